//! Scenario files: order-to-cash stories written as JSON, run on a fresh in-memory engine
//! and checked step by step.
//!
//! A scenario file has a header (its name, the business time it starts at, the company
//! to set up, the actors and their roles) and a list of steps. A step is either a command
//! (the same serde JSON as [`crate::Command`]) with its actor, roles, business time and
//! expectation (`"ok"`, the events it appends, or the `DomainError` it is refused with), or
//! a query (an order, a product's stock, an invoice, a customer, a return, a claim, a
//! document, a projection…) with the values expected of it. Ids are readable labels
//! (`"SO-1"`, `"ACME"`), each the same UUID v5 in every run ([`label_id`]).
//! `docs/scenarios.md` describes the format in full.
//!
//! ```
//! let text = r#"{
//!   "name": "A customer is registered",
//!   "at": "2026-03-02T09:00:00Z",
//!   "company": {"company_id": "NORTHWIND", "name": "Northwind",
//!               "base_currency": {"code": "USD", "decimals": 2}, "other_currencies": [],
//!               "rounding": "HalfAwayFromZero", "settings": {}},
//!   "actors": {"sam": ["SalesManager"]},
//!   "steps": [
//!     {"actor": "sam", "command": {"RegisterCustomer": {"customer_id": "ACME",
//!         "name": "Acme", "payment_term_days": 30}}, "expect": "ok"},
//!     {"query": {"customer": "ACME"}, "expect": {"receivable": "0", "on_credit_hold": false}}
//!   ]
//! }"#;
//! let scenario = o2c::scenario::parse("example.json", text)?;
//! let report = o2c::scenario::run(&scenario);
//! assert!(report.passed(), "{report}");
//! # Ok::<(), o2c::scenario::ScenarioError>(())
//! ```

mod after_sale;
mod after_sale_reports;
mod billing;
mod compare;
mod format;
mod labels;
mod projection;
mod query;
mod report;
mod runner;
mod views;

#[cfg(test)]
mod id_rule_tests;

use std::fmt;
use std::path::Path;

use chrono::{DateTime, Utc};
use o2c_core::Actor;
use o2c_core::company::SetUpCompany;
use o2c_core::uuid::Uuid;

pub use compare::Difference;
pub use labels::{NAMESPACE, label_id};
pub use report::{ScenarioReport, StepOutcome, StepReport};

/// Why a scenario file could not be run.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("{file}: {source}")]
    Io {
        /// The file.
        file: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a valid scenario.
    #[error("{file}: {}field {field}: {message}", step_prefix(*.step))]
    Malformed {
        /// The file.
        file: String,
        /// The step (numbered from 1), or none for the header.
        step: Option<usize>,
        /// The field, as a path within the step (or the header): `command.ConfirmOrder.order_id`.
        field: String,
        /// What is wrong with it.
        message: String,
    },
}

fn step_prefix(step: Option<usize>) -> String {
    step.map(|n| format!("step {n}, ")).unwrap_or_default()
}

/// A scenario read from its file, ready to run.
#[derive(Clone, Debug)]
pub struct Scenario {
    file: String,
    name: String,
    description: Option<String>,
    at: DateTime<Utc>,
    company: SetUpCompany,
    company_title: String,
    setup_command_id: Uuid,
    setup_actor: Actor,
    steps: Vec<format::Step>,
    labels: labels::Labels,
}

impl Scenario {
    /// The file it was read from.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its description, if it has one.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// How many steps it has (the company set-up not counted).
    pub fn step_count(&self) -> usize {
        self.steps.len()
    }
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}, {} steps)", self.name, self.file, self.steps.len())
    }
}

/// Reads a scenario from its text; `file_name` names it in errors and reports, and its
/// last path component seeds the steps' command ids.
pub fn parse(file_name: &str, text: &str) -> Result<Scenario, ScenarioError> {
    format::parse(file_name, text)
}

/// Runs a scenario on a fresh in-memory engine and reports every step.
pub fn run(scenario: &Scenario) -> ScenarioReport {
    runner::run(scenario)
}

/// Reads and runs one scenario file.
pub fn run_file(path: &Path) -> Result<ScenarioReport, ScenarioError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Io {
        file: file.clone(),
        source,
    })?;
    Ok(run(&parse(&file, &text)?))
}
