//! The command context: who asks, when (in business time), under which command id, and
//! how the request relates to others (correlation and causation). The caller supplies all
//! of it; the core reads no clock and makes up no id.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::access::Actor;

/// Everything about a command that is not the command itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandContext {
    /// Unique per command; a repeat of the same id is answered from the log.
    pub command_id: Uuid,
    /// Who issues the command, with the roles held in each company.
    pub actor: Actor,
    /// When the command happens in business terms (dates invoices, payments, due dates).
    pub business_time: DateTime<Utc>,
    /// Groups the commands of one business conversation; defaults to the command id.
    #[serde(default)]
    pub correlation_id: Option<Uuid>,
    /// The message that caused this command; defaults to the command id.
    #[serde(default)]
    pub causation_id: Option<Uuid>,
}

impl CommandContext {
    /// A context without correlation or causation.
    pub fn new(command_id: Uuid, actor: Actor, business_time: DateTime<Utc>) -> Self {
        Self {
            command_id,
            actor,
            business_time,
            correlation_id: None,
            causation_id: None,
        }
    }

    /// The same context, correlated with a conversation and caused by a message.
    pub fn caused_by(mut self, correlation_id: Uuid, causation_id: Uuid) -> Self {
        self.correlation_id = Some(correlation_id);
        self.causation_id = Some(causation_id);
        self
    }

    /// The business date (UTC) of the command.
    pub fn business_date(&self) -> NaiveDate {
        self.business_time.date_naive()
    }

    /// The correlation id stamped on the events.
    pub fn correlation(&self) -> Uuid {
        self.correlation_id.unwrap_or(self.command_id)
    }

    /// The causation id stamped on the events.
    pub fn causation(&self) -> Uuid {
        self.causation_id.unwrap_or(self.command_id)
    }
}
