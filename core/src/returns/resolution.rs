//! Resolving a return: what the customer gets for the received, unresolved quantity.
//!
//! - **Credit**: the invoiced part is credited by credit notes at the invoiced prices and
//!   taxes, less an optional restocking fee (see [`super::credit`]); the order lines no
//!   longer expect the quantity (it moves from pending to credited) and their invoiced
//!   quantity goes down by what the credit notes credit.
//! - **Replacement**: the quantity is open again on the order (it must still be
//!   confirmed): the ordinary reservation and shipping deliver it at the order's prices,
//!   and since its invoiced quantity did not go down nothing new is invoiced. Where the
//!   warehouse reserves at confirmation, the replacement is reserved at once if stock
//!   allows.
//! - **Refund**: the credit, then what its credit notes left as customer credit (what
//!   did not offset the invoices' open amounts) is paid back; refused when nothing became
//!   customer credit.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{ReturnedQuantity, credit, require_return};
use crate::book::Book;
use crate::context::CommandContext;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{CreditNoteId, OrderId, ReturnId};
use crate::money::Money;
use crate::order::OrderStatus;
use crate::order::reservation::auto_reserve;
use crate::payment::{CreditSource, CustomerCreditRefunded, PaymentMethod};
use crate::validate;

/// What the customer gets for returned goods.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Resolution {
    /// A credit note for the invoiced part, less a restocking fee.
    Credit {
        /// The credit note's id (further invoices' notes derive theirs from it).
        credit_note_id: CreditNoteId,
        /// Withheld from the credited amounts, percent (0 to under 100).
        #[serde(default)]
        restocking_fee_percent: Decimal,
    },
    /// The goods are shipped again; no credit, no new invoice.
    Replacement,
    /// A credit note as for a credit, and what it left as customer credit paid back.
    Refund {
        /// The credit note's id.
        credit_note_id: CreditNoteId,
        /// Withheld from the credited amounts, percent (0 to under 100).
        #[serde(default)]
        restocking_fee_percent: Decimal,
        /// How the money is paid back.
        method: PaymentMethod,
        /// Bank reference (may be empty).
        #[serde(default)]
        reference: String,
    },
}

/// Command: resolve the received, unresolved goods of an authorisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolveReturn {
    /// The authorisation.
    pub return_id: ReturnId,
    /// How.
    pub resolution: Resolution,
}

/// Event: received returned goods were resolved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnResolved {
    /// The authorisation.
    pub return_id: ReturnId,
    /// The order.
    pub order_id: OrderId,
    /// How.
    pub resolution: Resolution,
    /// The quantities resolved, per line and lot.
    pub lines: Vec<ReturnedQuantity>,
    /// The credit notes issued (none for a replacement or goods never invoiced).
    pub credit_notes: Vec<CreditNoteId>,
    /// The business date.
    pub resolved_on: NaiveDate,
}

fn check_fee(percent: Decimal) -> Result<(), DomainError> {
    validate::percent("restocking_fee_percent", percent)?;
    if percent >= Decimal::ONE_HUNDRED {
        return Err(DomainError::InvalidPercent {
            field: "restocking_fee_percent",
            value: percent,
        });
    }
    Ok(())
}

pub(crate) fn resolve(
    book: &Book,
    cmd: &ResolveReturn,
    ctx: &CommandContext,
) -> Result<Vec<Event>, DomainError> {
    book.require_company()?;
    let rma = require_return(book, cmd.return_id)?;
    let lines: Vec<ReturnedQuantity> = rma
        .lines
        .iter()
        .filter(|l| l.unresolved() > Decimal::ZERO)
        .map(|l| ReturnedQuantity {
            order_line: l.order_line,
            product_id: l.product_id,
            quantity: l.unresolved(),
            lot: l.lot.clone(),
            serials: Vec::new(),
        })
        .collect();
    if lines.is_empty() {
        return Err(DomainError::NothingToResolve { return_id: rma.id });
    }
    let order = book.require_order(rma.order_id)?;
    let date = ctx.business_date();
    let resolved = |credit_notes| {
        Event::ReturnResolved(ReturnResolved {
            return_id: rma.id,
            order_id: order.id,
            resolution: cmd.resolution.clone(),
            lines: lines.clone(),
            credit_notes,
            resolved_on: date,
        })
    };
    let (credit_note_id, fee) = match &cmd.resolution {
        Resolution::Replacement => {
            order.require_status(&[OrderStatus::Confirmed])?;
            let mut after = order.clone();
            for q in &lines {
                if let Some(line) = after.line_mut(q.order_line) {
                    line.return_pending -= q.quantity;
                }
            }
            let mut events = vec![resolved(Vec::new())];
            events.extend(auto_reserve(book, &after, date));
            return Ok(events);
        }
        Resolution::Credit {
            credit_note_id,
            restocking_fee_percent,
        } => (*credit_note_id, *restocking_fee_percent),
        Resolution::Refund {
            credit_note_id,
            restocking_fee_percent,
            reference,
            ..
        } => {
            validate::free_text("reference", reference)?;
            (*credit_note_id, *restocking_fee_percent)
        }
    };
    check_fee(fee)?;
    // Per order line, the resolved quantity, then its invoiced part.
    let mut per_line: Vec<(u32, Decimal)> = Vec::new();
    for q in &lines {
        match per_line.iter_mut().find(|(line, _)| *line == q.order_line) {
            Some(entry) => entry.1 += q.quantity,
            None => per_line.push((q.order_line, q.quantity)),
        }
    }
    let mut to_credit = Vec::with_capacity(per_line.len());
    for (line, quantity) in per_line {
        let invoiced = credit::invoiced_part(order, line, quantity)?;
        if invoiced > Decimal::ZERO {
            to_credit.push((line, invoiced));
        }
    }
    let notes = credit::credit_notes(book, rma, order, &to_credit, credit_note_id, fee, date)?;
    let ids: Vec<CreditNoteId> = notes.iter().map(|n| n.credit_note_id).collect();
    let mut refunds = Vec::new();
    if let Resolution::Refund {
        method, reference, ..
    } = &cmd.resolution
    {
        for note in &notes {
            let left = note.total.amount - note.applied.amount;
            if left > Decimal::ZERO {
                refunds.push(Event::CustomerCreditRefunded(CustomerCreditRefunded {
                    customer_id: note.customer_id,
                    source: CreditSource::CreditNote(note.credit_note_id),
                    amount: Money::new(left, note.total.currency),
                    method: *method,
                    reference: reference.clone(),
                    refunded_on: date,
                }));
            }
        }
        if refunds.is_empty() {
            let credited = notes
                .iter()
                .map(|n| n.total)
                .reduce(|a, b| Money::new(a.amount + b.amount, a.currency));
            return Err(DomainError::NothingToRefund {
                return_id: rma.id,
                credited,
            });
        }
    }
    let mut events: Vec<Event> = notes.into_iter().map(Event::CreditNoteIssued).collect();
    events.extend(refunds);
    events.push(resolved(ids));
    Ok(events)
}

pub(crate) fn apply_resolved(book: &mut Book, e: &ReturnResolved) {
    let credit = !matches!(e.resolution, Resolution::Replacement);
    if let Some(order) = book.orders.get_mut(&e.order_id) {
        for q in &e.lines {
            if let Some(line) = order.line_mut(q.order_line) {
                line.return_pending -= q.quantity;
                if credit {
                    line.return_credited += q.quantity;
                }
            }
        }
    }
    let Some(rma) = book.returns.get_mut(&e.return_id) else {
        return;
    };
    for q in &e.lines {
        if let Some(line) = rma.line_mut(q.order_line, q.lot.as_deref()) {
            line.resolved += q.quantity;
            if credit {
                line.credited += q.quantity;
            } else {
                line.replaced += q.quantity;
            }
        }
    }
    rma.credit_notes.extend(e.credit_notes.iter().copied());
    rma.refresh_status();
}
