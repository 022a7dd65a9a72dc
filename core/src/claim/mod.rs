//! Customer claims: a complaint or dispute about an order, a shipment, an invoice or a
//! product, handled by customer service against service levels.
//!
//! Life cycle: *open* → (first response) *in progress* ⇄ *waiting on customer* →
//! *resolved* (credit, replacement, return authorised, or rejected with a reason) →
//! *closed*; a resolved or closed claim may be reopened within the company's
//! `claim_reopen_days` of its resolution, and is in progress again. The commands and their
//! rules are in [`handling`], the service levels (business time, breaches) in
//! [`service_level`].
//!
//! **Disputes.** A pricing dispute about a posted invoice may put a disputed amount on
//! hold. The amount stays in the receivable (aging and statements still show it) but
//! dunning leaves it out while the claim is unresolved: the invoice's `disputed` figure is
//! raised when the claim opens or is reopened and lowered when it is resolved (see
//! [`crate::collections`] for how the hold is taken off the installments).

pub mod handling;
pub mod service_level;

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use handling::*;
pub use service_level::{
    BusinessHours, ClaimServiceLevel, ClaimServiceLevelBreached, RecordServiceLevelBreaches, ServiceLevel,
    ServiceLevelTarget, TargetStatus,
};

use crate::book::Book;
use crate::error::DomainError;
use crate::ids::{
    ActorId, ClaimId, CreditNoteId, CustomerId, DocumentId, InvoiceId, OrderId, ProductId, ReturnId,
    ShipmentId,
};
use crate::money::Money;

/// What a claim is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ClaimType {
    /// Goods arrived damaged.
    DamagedGoods,
    /// Less arrived than was shipped or invoiced.
    ShortShipment,
    /// Another item arrived than was ordered.
    WrongItem,
    /// The customer disputes a price on an invoice.
    PricingDispute,
    /// The goods arrived late.
    LateDelivery,
    /// Anything else.
    Other,
}

/// How urgent a claim is; each priority has its own service levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ClaimPriority {
    /// Urgent.
    Urgent,
    /// High.
    High,
    /// Normal.
    Normal,
    /// Low.
    Low,
}

impl ClaimPriority {
    /// Every priority, most urgent first.
    pub const ALL: [ClaimPriority; 4] = [Self::Urgent, Self::High, Self::Normal, Self::Low];
}

/// Where a claim stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClaimStatus {
    /// Opened, nobody answered yet.
    Open,
    /// Customer service is on it.
    InProgress,
    /// A question to the customer is unanswered (the service-level clocks are paused).
    WaitingOnCustomer,
    /// Resolved; may be reopened within the reopen period.
    Resolved,
    /// Closed after its resolution; may still be reopened within the reopen period.
    Closed,
}

impl ClaimStatus {
    /// Not resolved yet (open, in progress or waiting on the customer).
    pub fn is_unresolved(self) -> bool {
        matches!(self, Self::Open | Self::InProgress | Self::WaitingOnCustomer)
    }
}

/// The records a claim is about: at least one; each must belong to the claim's customer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimSubject {
    /// An order of the customer.
    #[serde(default)]
    pub order_id: Option<OrderId>,
    /// A shipment to the customer (of the order, when both are named).
    #[serde(default)]
    pub shipment_id: Option<ShipmentId>,
    /// An invoice billed to the customer (of the order, when both are named).
    #[serde(default)]
    pub invoice_id: Option<InvoiceId>,
    /// A product the customer ordered (on the order, when both are named).
    #[serde(default)]
    pub product_id: Option<ProductId>,
}

/// How a claim was resolved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClaimResolution {
    /// A credit note of the customer settles it.
    Credit {
        /// The credit note.
        credit_note_id: CreditNoteId,
    },
    /// The goods are replaced, by a replacement order of the customer if one is named.
    Replacement {
        /// The replacement order.
        #[serde(default)]
        order_id: Option<OrderId>,
    },
    /// The goods come back under a return authorisation.
    ReturnAuthorised {
        /// The return.
        return_id: ReturnId,
    },
    /// The claim is rejected (needs the roles of `ReopenClaim`: the customer-service lead).
    Rejected {
        /// Why.
        reason: String,
    },
}

/// Why a claim's service-level clocks were stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PauseKind {
    /// Waiting on the customer's answer.
    WaitingOnCustomer,
    /// Resolved (until reopened).
    Resolved,
}

/// A period the service-level clocks were stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    /// Why.
    pub kind: PauseKind,
    /// From (business time of the event that started it).
    pub from: DateTime<Utc>,
    /// Until (business time of the event that ended it), if it ended.
    pub until: Option<DateTime<Utc>>,
}

/// What a message on a claim was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MessageKind {
    /// The claim's description, at opening.
    Description,
    /// Customer service's response.
    Response,
    /// A question to the customer.
    Question,
    /// The customer's reply.
    CustomerReply,
    /// Why the claim was reopened.
    Reopening,
}

/// One message in a claim's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimMessage {
    /// What it was.
    pub kind: MessageKind,
    /// Its text.
    pub text: String,
    /// Who recorded it.
    pub by: ActorId,
    /// When (business time).
    pub at: DateTime<Utc>,
}

/// A claim's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    /// The claim's id.
    pub id: ClaimId,
    /// The customer who claims.
    pub customer_id: CustomerId,
    /// What it is about.
    pub about: ClaimSubject,
    /// Its type.
    pub claim_type: ClaimType,
    /// Its priority.
    pub priority: ClaimPriority,
    /// The customer's description.
    pub description: String,
    /// Documents linked at opening (documents attached to the claim later are found with
    /// `Book::documents_about`).
    pub document_ids: Vec<DocumentId>,
    /// The disputed amount of a pricing dispute (on hold while the claim is unresolved).
    pub disputed_amount: Option<Money>,
    /// Where it stands.
    pub status: ClaimStatus,
    /// Who opened it.
    pub opened_by: ActorId,
    /// When (business time).
    pub opened_at: DateTime<Utc>,
    /// When it first got a response (a response, a question or a resolution).
    pub first_response_at: Option<DateTime<Utc>>,
    /// The latest resolution.
    pub resolution: Option<ClaimResolution>,
    /// When it was last resolved.
    pub resolved_at: Option<DateTime<Utc>>,
    /// When it was last closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// The periods its clocks were stopped, in order.
    pub pauses: Vec<Pause>,
    /// Its messages, in order.
    pub messages: Vec<ClaimMessage>,
    /// The service-level targets whose breach was recorded.
    pub breaches: BTreeSet<ServiceLevelTarget>,
    /// How many times it was reopened.
    pub reopened: u32,
}

impl Claim {
    /// The disputed amount on hold now: the claim's disputed amount while it is unresolved.
    pub fn amount_on_hold(&self) -> Option<Money> {
        self.disputed_amount.filter(|_| self.status.is_unresolved())
    }

    fn note(&mut self, kind: MessageKind, text: &str, by: &ActorId, at: DateTime<Utc>) {
        self.messages.push(ClaimMessage {
            kind,
            text: text.to_string(),
            by: by.clone(),
            at,
        });
    }

    fn end_pause(&mut self, kind: PauseKind, at: DateTime<Utc>) {
        if let Some(pause) = self
            .pauses
            .iter_mut()
            .rev()
            .find(|p| p.kind == kind && p.until.is_none())
        {
            pause.until = Some(at);
        }
    }
}

/// Moves a claim's disputed amount onto (`sign` 1) or off (`sign` -1) its invoice's hold.
fn hold(book: &mut Book, claim_id: ClaimId, sign: Decimal) {
    let Some((invoice_id, amount)) = book
        .claims
        .get(&claim_id)
        .and_then(|c| Some((c.about.invoice_id?, c.disputed_amount?)))
    else {
        return;
    };
    if let Some(invoice) = book.invoices.get_mut(&invoice_id) {
        invoice.disputed = (invoice.disputed + sign * amount.amount).max(Decimal::ZERO);
    }
}

pub(crate) fn apply_opened(book: &mut Book, e: &ClaimOpened, actor: &ActorId, at: DateTime<Utc>) {
    let mut claim = Claim {
        id: e.claim_id,
        customer_id: e.customer_id,
        about: e.about.clone(),
        claim_type: e.claim_type,
        priority: e.priority,
        description: e.description.clone(),
        document_ids: e.document_ids.clone(),
        disputed_amount: e.disputed_amount,
        status: ClaimStatus::Open,
        opened_by: actor.clone(),
        opened_at: at,
        first_response_at: None,
        resolution: None,
        resolved_at: None,
        closed_at: None,
        pauses: Vec::new(),
        messages: Vec::new(),
        breaches: BTreeSet::new(),
        reopened: 0,
    };
    claim.note(MessageKind::Description, &e.description, actor, at);
    book.claims.insert(e.claim_id, claim);
    hold(book, e.claim_id, Decimal::ONE);
}

fn with_claim(book: &mut Book, claim_id: ClaimId, change: impl FnOnce(&mut Claim)) {
    if let Some(claim) = book.claims.get_mut(&claim_id) {
        change(claim);
    }
}

pub(crate) fn apply_responded(book: &mut Book, e: &ClaimResponded, actor: &ActorId, at: DateTime<Utc>) {
    with_claim(book, e.claim_id, |claim| {
        claim.first_response_at.get_or_insert(at);
        claim.status = ClaimStatus::InProgress;
        claim.note(MessageKind::Response, &e.message, actor, at);
    });
}

pub(crate) fn apply_customer_asked(
    book: &mut Book,
    e: &ClaimCustomerAsked,
    actor: &ActorId,
    at: DateTime<Utc>,
) {
    with_claim(book, e.claim_id, |claim| {
        claim.first_response_at.get_or_insert(at);
        claim.status = ClaimStatus::WaitingOnCustomer;
        claim.pauses.push(Pause {
            kind: PauseKind::WaitingOnCustomer,
            from: at,
            until: None,
        });
        claim.note(MessageKind::Question, &e.question, actor, at);
    });
}

pub(crate) fn apply_customer_replied(
    book: &mut Book,
    e: &ClaimCustomerReplied,
    actor: &ActorId,
    at: DateTime<Utc>,
) {
    with_claim(book, e.claim_id, |claim| {
        claim.end_pause(PauseKind::WaitingOnCustomer, at);
        claim.status = ClaimStatus::InProgress;
        claim.note(MessageKind::CustomerReply, &e.message, actor, at);
    });
}

pub(crate) fn apply_resolved(book: &mut Book, e: &ClaimResolved, at: DateTime<Utc>) {
    hold(book, e.claim_id, Decimal::NEGATIVE_ONE);
    with_claim(book, e.claim_id, |claim| {
        claim.first_response_at.get_or_insert(at);
        claim.end_pause(PauseKind::WaitingOnCustomer, at);
        claim.pauses.push(Pause {
            kind: PauseKind::Resolved,
            from: at,
            until: None,
        });
        claim.status = ClaimStatus::Resolved;
        claim.resolution = Some(e.resolution.clone());
        claim.resolved_at = Some(at);
    });
}

pub(crate) fn apply_closed(book: &mut Book, e: &ClaimClosed, at: DateTime<Utc>) {
    with_claim(book, e.claim_id, |claim| {
        claim.status = ClaimStatus::Closed;
        claim.closed_at = Some(at);
    });
}

pub(crate) fn apply_reopened(book: &mut Book, e: &ClaimReopened, actor: &ActorId, at: DateTime<Utc>) {
    with_claim(book, e.claim_id, |claim| {
        claim.end_pause(PauseKind::Resolved, at);
        claim.status = ClaimStatus::InProgress;
        claim.reopened += 1;
        claim.note(MessageKind::Reopening, &e.reason, actor, at);
    });
    hold(book, e.claim_id, Decimal::ONE);
}

impl Book {
    /// A claim.
    pub fn claim(&self, id: ClaimId) -> Option<&Claim> {
        self.claims.get(&id)
    }

    /// Every claim, by id.
    pub fn claims(&self) -> impl Iterator<Item = &Claim> {
        self.claims.values()
    }

    /// Every claim opened by `as_of`, measured against its service levels as of then (see
    /// [`service_level`]).
    pub fn claim_service_levels(&self, as_of: DateTime<Utc>) -> Vec<ClaimServiceLevel> {
        service_level::service_levels(self, as_of)
    }

    pub(crate) fn require_claim(&self, id: ClaimId) -> Result<&Claim, DomainError> {
        self.claims
            .get(&id)
            .ok_or(DomainError::UnknownClaim { claim_id: id })
    }
}
