//! Handling a claim: opening it (what it is about, linked documents, a disputed amount),
//! the first response, questions to the customer and the customer's replies, the
//! resolution, closing and reopening.
//!
//! | command | from | to |
//! |---|---|---|
//! | `OpenClaim` | — | open |
//! | `RespondToClaim` | open | in progress |
//! | `AskCustomer` | open, in progress | waiting on customer |
//! | `RecordCustomerReply` | waiting on customer | in progress |
//! | `ResolveClaim` | open, in progress, waiting on customer | resolved |
//! | `CloseClaim` | resolved | closed |
//! | `ReopenClaim` | resolved, closed (within `claim_reopen_days` of the resolution date) | in progress |
//!
//! Any other transition is refused with [`DomainError::ClaimTransitionNotAllowed`]. A
//! question or a resolution before any response counts as the first response. Rejecting a
//! claim needs the roles of `ReopenClaim` (the customer-service lead in the standard
//! policy), as reopening does; other resolutions are customer service's.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{ClaimPriority, ClaimResolution, ClaimStatus, ClaimSubject, ClaimType};
use crate::access::Policy;
use crate::book::Book;
use crate::context::CommandContext;
use crate::document::{self, DocumentSubject};
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{ClaimId, CustomerId, DocumentId, EntityKind, ReturnId};
use crate::invoice;
use crate::money::Money;
use crate::validate;

/// Longest accepted description, message or reason on a claim, in characters.
pub const MAX_MESSAGE_LEN: usize = 4000;

/// Command: open a claim of a customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenClaim {
    /// The new claim's id.
    pub claim_id: ClaimId,
    /// The customer who claims.
    pub customer_id: CustomerId,
    /// What it is about (at least one record, each the customer's).
    pub about: ClaimSubject,
    /// Its type.
    pub claim_type: ClaimType,
    /// Its priority (which service levels apply).
    pub priority: ClaimPriority,
    /// The customer's description.
    pub description: String,
    /// Documents already attached that support it (each about a record of the customer).
    #[serde(default)]
    pub document_ids: Vec<DocumentId>,
    /// For a pricing dispute about a posted invoice: the amount disputed, put on hold from
    /// dunning until the claim is resolved (in the invoice's currency, above zero, at most
    /// what is open and not already disputed).
    #[serde(default)]
    pub disputed_amount: Option<Money>,
}

/// Event: a claim was opened. Who and when are the envelope's actor and business time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimOpened {
    /// The claim.
    pub claim_id: ClaimId,
    /// The customer.
    pub customer_id: CustomerId,
    /// What it is about.
    pub about: ClaimSubject,
    /// Its type.
    pub claim_type: ClaimType,
    /// Its priority.
    pub priority: ClaimPriority,
    /// The description.
    pub description: String,
    /// Linked documents.
    #[serde(default)]
    pub document_ids: Vec<DocumentId>,
    /// The disputed amount on hold, if any.
    #[serde(default)]
    pub disputed_amount: Option<Money>,
}

/// Command: give a claim its first response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RespondToClaim {
    /// The claim.
    pub claim_id: ClaimId,
    /// The response.
    pub message: String,
}

/// Event: customer service responded to a claim (it is in progress).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimResponded {
    /// The claim.
    pub claim_id: ClaimId,
    /// The response.
    pub message: String,
}

/// Command: ask the customer a question (the claim waits on the customer; its
/// service-level clocks stop until the reply).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskCustomer {
    /// The claim.
    pub claim_id: ClaimId,
    /// The question.
    pub question: String,
}

/// Event: the customer was asked a question about a claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimCustomerAsked {
    /// The claim.
    pub claim_id: ClaimId,
    /// The question.
    pub question: String,
}

/// Command: record the customer's reply to a question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordCustomerReply {
    /// The claim.
    pub claim_id: ClaimId,
    /// The reply.
    pub message: String,
}

/// Event: the customer replied (the claim is in progress again, its clocks run).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimCustomerReplied {
    /// The claim.
    pub claim_id: ClaimId,
    /// The reply.
    pub message: String,
}

/// Command: resolve a claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolveClaim {
    /// The claim.
    pub claim_id: ClaimId,
    /// How.
    pub resolution: ClaimResolution,
}

/// Event: a claim was resolved (a disputed amount is no longer on hold).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimResolved {
    /// The claim.
    pub claim_id: ClaimId,
    /// How.
    pub resolution: ClaimResolution,
}

/// Command: close a resolved claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloseClaim {
    /// The claim.
    pub claim_id: ClaimId,
}

/// Event: a claim was closed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimClosed {
    /// The claim.
    pub claim_id: ClaimId,
}

/// Command: reopen a resolved or closed claim within the reopen period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReopenClaim {
    /// The claim.
    pub claim_id: ClaimId,
    /// Why.
    pub reason: String,
}

/// Event: a claim was reopened (in progress again; a disputed amount is on hold again).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimReopened {
    /// The claim.
    pub claim_id: ClaimId,
    /// Why.
    pub reason: String,
}

/// A claim's text: not blank, at most [`MAX_MESSAGE_LEN`] characters, no control
/// characters but line breaks and tabs.
fn message(field: &'static str, text: &str) -> Result<(), DomainError> {
    if text.trim().is_empty() {
        return Err(DomainError::InvalidText {
            field,
            reason: "must not be blank",
        });
    }
    if text.chars().count() > MAX_MESSAGE_LEN {
        return Err(DomainError::InvalidText {
            field,
            reason: "longer than 4000 characters",
        });
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(DomainError::InvalidText {
            field,
            reason: "contains control characters",
        });
    }
    Ok(())
}

/// The customer of a return authorisation, refused when the id names none.
pub(crate) fn return_customer(book: &Book, return_id: ReturnId) -> Result<CustomerId, DomainError> {
    book.return_authorisation(return_id)
        .map(|r| r.customer_id)
        .ok_or(DomainError::UnknownReturnAuthorisation { return_id })
}

/// Refuses a record that belongs to another customer.
fn owned_by(
    customer_id: CustomerId,
    kind: EntityKind,
    id: uuid::Uuid,
    owner: CustomerId,
) -> Result<(), DomainError> {
    if owner == customer_id {
        Ok(())
    } else {
        Err(DomainError::RecordOfAnotherCustomer {
            kind,
            id,
            owner,
            customer_id,
        })
    }
}

/// Checks what a claim is about: at least one record, each existing and the customer's,
/// and the shipment, invoice and product of the order when an order is named.
fn check_subject(book: &Book, customer_id: CustomerId, about: &ClaimSubject) -> Result<(), DomainError> {
    if about.order_id.is_none()
        && about.shipment_id.is_none()
        && about.invoice_id.is_none()
        && about.product_id.is_none()
    {
        return Err(DomainError::ClaimSubjectMissing);
    }
    let order = about.order_id.map(|id| book.require_order(id)).transpose()?;
    if let Some(order) = order {
        owned_by(customer_id, EntityKind::Order, order.id.0, order.customer_id)?;
    }
    if let Some(shipment_id) = about.shipment_id {
        let shipment = book.require_shipment(shipment_id)?;
        owned_by(
            customer_id,
            EntityKind::Shipment,
            shipment_id.0,
            shipment.customer_id,
        )?;
        if let Some(order) = order.filter(|o| o.id != shipment.order_id) {
            return Err(DomainError::ClaimRecordNotOfOrder {
                kind: EntityKind::Shipment,
                id: shipment_id.0,
                order_id: order.id,
            });
        }
    }
    if let Some(invoice_id) = about.invoice_id {
        let invoice = book.require_invoice(invoice_id)?;
        owned_by(
            customer_id,
            EntityKind::Invoice,
            invoice_id.0,
            invoice.customer_id,
        )?;
        if let Some(order) = order.filter(|o| !invoice.orders.contains(&o.id)) {
            return Err(DomainError::ClaimRecordNotOfOrder {
                kind: EntityKind::Invoice,
                id: invoice_id.0,
                order_id: order.id,
            });
        }
    }
    if let Some(product_id) = about.product_id {
        book.require_product(product_id)?;
        let on = |o: &crate::order::SalesOrder| o.lines.iter().any(|l| l.product_id == product_id);
        match order {
            Some(order) if !on(order) => {
                return Err(DomainError::ClaimRecordNotOfOrder {
                    kind: EntityKind::Product,
                    id: product_id.0,
                    order_id: order.id,
                });
            }
            Some(_) => {}
            None => {
                let archived = book.archived().ordered(customer_id, product_id);
                if !archived && !book.orders().any(|o| o.customer_id == customer_id && on(o)) {
                    return Err(DomainError::ProductNotOrderedByCustomer {
                        product_id,
                        customer_id,
                    });
                }
            }
        }
    }
    Ok(())
}

/// Checks a disputed amount: a pricing dispute about a posted invoice, in its currency,
/// above zero, within what is open and not already disputed.
fn check_dispute(book: &Book, cmd: &OpenClaim, amount: &Money) -> Result<(), DomainError> {
    let company = book.require_company()?;
    let invoice_id = match (cmd.claim_type, cmd.about.invoice_id) {
        (ClaimType::PricingDispute, Some(invoice_id)) => invoice_id,
        (claim_type, invoice_id) => {
            return Err(DomainError::DisputeNotAllowed {
                claim_type,
                invoice_id,
            });
        }
    };
    let invoice = invoice::require_posted(book, invoice_id)?;
    validate::in_currency(invoice.currency, amount)?;
    validate::positive_amount(company, amount)?;
    let open = invoice.open_amount().amount - invoice.disputed;
    if amount.amount > open {
        return Err(DomainError::DisputeExceedsOpenAmount {
            invoice_id,
            requested: *amount,
            open: Money::new(open.max(rust_decimal::Decimal::ZERO), invoice.currency),
        });
    }
    Ok(())
}

pub(crate) fn open(book: &Book, cmd: &OpenClaim) -> Result<Vec<Event>, DomainError> {
    book.require_company()?;
    book.require_unused(cmd.claim_id.0)?;
    book.require_customer(cmd.customer_id)?;
    message("description", &cmd.description)?;
    check_subject(book, cmd.customer_id, &cmd.about)?;
    for document_id in &cmd.document_ids {
        let about = book.require_document(*document_id)?.about;
        let owner = document::subject_customer(book, &about)?;
        owned_by(cmd.customer_id, EntityKind::Document, document_id.0, owner)?;
    }
    if let Some(amount) = &cmd.disputed_amount {
        check_dispute(book, cmd, amount)?;
    }
    Ok(vec![Event::ClaimOpened(ClaimOpened {
        claim_id: cmd.claim_id,
        customer_id: cmd.customer_id,
        about: cmd.about.clone(),
        claim_type: cmd.claim_type,
        priority: cmd.priority,
        description: cmd.description.clone(),
        document_ids: cmd.document_ids.clone(),
        disputed_amount: cmd.disputed_amount,
    })])
}

/// The claim, refused unless it is in one of `from`.
fn claim_in<'a>(
    book: &'a Book,
    claim_id: ClaimId,
    from: &[ClaimStatus],
    command: &'static str,
) -> Result<&'a super::Claim, DomainError> {
    let claim = book.require_claim(claim_id)?;
    if from.contains(&claim.status) {
        Ok(claim)
    } else {
        Err(DomainError::ClaimTransitionNotAllowed {
            claim_id,
            from: claim.status,
            command,
        })
    }
}

pub(crate) fn respond(book: &Book, cmd: &RespondToClaim) -> Result<Vec<Event>, DomainError> {
    claim_in(book, cmd.claim_id, &[ClaimStatus::Open], "RespondToClaim")?;
    message("message", &cmd.message)?;
    Ok(vec![Event::ClaimResponded(ClaimResponded {
        claim_id: cmd.claim_id,
        message: cmd.message.clone(),
    })])
}

pub(crate) fn ask(book: &Book, cmd: &AskCustomer) -> Result<Vec<Event>, DomainError> {
    claim_in(
        book,
        cmd.claim_id,
        &[ClaimStatus::Open, ClaimStatus::InProgress],
        "AskCustomer",
    )?;
    message("question", &cmd.question)?;
    Ok(vec![Event::ClaimCustomerAsked(ClaimCustomerAsked {
        claim_id: cmd.claim_id,
        question: cmd.question.clone(),
    })])
}

pub(crate) fn reply(book: &Book, cmd: &RecordCustomerReply) -> Result<Vec<Event>, DomainError> {
    claim_in(
        book,
        cmd.claim_id,
        &[ClaimStatus::WaitingOnCustomer],
        "RecordCustomerReply",
    )?;
    message("message", &cmd.message)?;
    Ok(vec![Event::ClaimCustomerReplied(ClaimCustomerReplied {
        claim_id: cmd.claim_id,
        message: cmd.message.clone(),
    })])
}

pub(crate) fn resolve(
    book: &Book,
    cmd: &ResolveClaim,
    policy: &Policy,
    ctx: &CommandContext,
) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    let claim = claim_in(
        book,
        cmd.claim_id,
        &[
            ClaimStatus::Open,
            ClaimStatus::InProgress,
            ClaimStatus::WaitingOnCustomer,
        ],
        "ResolveClaim",
    )?;
    let customer_id = claim.customer_id;
    match &cmd.resolution {
        ClaimResolution::Credit { credit_note_id } => {
            let note = book.require_credit_note(*credit_note_id)?;
            owned_by(
                customer_id,
                EntityKind::CreditNote,
                credit_note_id.0,
                note.customer_id,
            )?;
        }
        ClaimResolution::Replacement { order_id } => {
            if let Some(order_id) = order_id {
                let order = book.require_order(*order_id)?;
                owned_by(customer_id, EntityKind::Order, order_id.0, order.customer_id)?;
            }
        }
        ClaimResolution::ReturnAuthorised { return_id } => {
            let owner = return_customer(book, *return_id)?;
            owned_by(customer_id, EntityKind::Return, return_id.0, owner)?;
        }
        ClaimResolution::Rejected { reason } => {
            message("reason", reason)?;
            policy.authorize_as(&ctx.actor, company.id, "ReopenClaim")?;
        }
    }
    Ok(vec![Event::ClaimResolved(ClaimResolved {
        claim_id: cmd.claim_id,
        resolution: cmd.resolution.clone(),
    })])
}

pub(crate) fn close(book: &Book, cmd: &CloseClaim) -> Result<Vec<Event>, DomainError> {
    claim_in(book, cmd.claim_id, &[ClaimStatus::Resolved], "CloseClaim")?;
    Ok(vec![Event::ClaimClosed(ClaimClosed {
        claim_id: cmd.claim_id,
    })])
}

pub(crate) fn reopen(
    book: &Book,
    cmd: &ReopenClaim,
    ctx: &CommandContext,
) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    let claim = claim_in(
        book,
        cmd.claim_id,
        &[ClaimStatus::Resolved, ClaimStatus::Closed],
        "ReopenClaim",
    )?;
    message("reason", &cmd.reason)?;
    let resolved_on = claim
        .resolved_at
        .map(|at| at.date_naive())
        .unwrap_or(NaiveDate::MIN);
    let last_day = resolved_on
        .checked_add_days(Days::new(u64::from(company.settings.claim_reopen_days)))
        .unwrap_or(NaiveDate::MAX);
    if ctx.business_date() > last_day {
        return Err(DomainError::ReopenPeriodOver {
            claim_id: cmd.claim_id,
            resolved_on,
            last_day,
        });
    }
    Ok(vec![Event::ClaimReopened(ClaimReopened {
        claim_id: cmd.claim_id,
        reason: cmd.reason.clone(),
    })])
}

/// A claim's documents: those linked when it was opened, then those attached to it since.
pub fn claim_documents(book: &Book, claim_id: ClaimId) -> Vec<DocumentId> {
    let Some(claim) = book.claim(claim_id) else {
        return Vec::new();
    };
    let mut ids = claim.document_ids.clone();
    ids.extend(
        book.documents_about(&DocumentSubject::Claim { claim_id })
            .map(|d| d.id)
            .filter(|id| !claim.document_ids.contains(id)),
    );
    ids
}
