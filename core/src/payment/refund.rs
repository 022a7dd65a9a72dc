//! Refunds of customer credit: money paid back from what a payment left unallocated (an
//! overpayment) or from what a credit note did not offset.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::PaymentMethod;
use crate::book::Book;
use crate::context::CommandContext;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{CreditNoteId, CustomerId, PaymentId};
use crate::ledger::{self, EntryKind};
use crate::money::Money;
use crate::validate;

/// Where refunded credit comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CreditSource {
    /// A payment's unallocated amount.
    Payment(PaymentId),
    /// A credit note's unapplied amount.
    CreditNote(CreditNoteId),
}

/// Command: pay customer credit back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundCustomerCredit {
    /// The credit refunded.
    pub source: CreditSource,
    /// How much, in the credit's currency.
    pub amount: Money,
    /// How it is paid.
    pub method: PaymentMethod,
    /// Bank reference (may be empty).
    #[serde(default)]
    pub reference: String,
}

/// Event: customer credit was refunded. Recorded on the customer's stream.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerCreditRefunded {
    /// The customer.
    pub customer_id: CustomerId,
    /// The credit refunded.
    pub source: CreditSource,
    /// How much.
    pub amount: Money,
    /// How it was paid.
    pub method: PaymentMethod,
    /// Bank reference.
    pub reference: String,
    /// Business date.
    pub refunded_on: NaiveDate,
}

/// The customer, the credit left and the rate of a credit source.
fn credit_of(book: &Book, source: CreditSource) -> Result<(CustomerId, Money, Decimal), DomainError> {
    match source {
        CreditSource::Payment(id) => {
            let payment = book.require_payment(id)?;
            if payment.returned_on.is_some() {
                return Err(DomainError::PaymentAlreadyReturned { payment_id: id });
            }
            Ok((payment.customer_id, payment.unallocated(), payment.rate))
        }
        CreditSource::CreditNote(id) => {
            let note = book.require_credit_note(id)?;
            Ok((note.customer_id, note.unapplied(), note.rate))
        }
    }
}

pub(crate) fn refund(
    book: &Book,
    cmd: &RefundCustomerCredit,
    ctx: &CommandContext,
) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    validate::free_text("reference", &cmd.reference)?;
    let (customer_id, available, _) = credit_of(book, cmd.source)?;
    validate::in_currency(available.currency, &cmd.amount)?;
    validate::positive_amount(company, &cmd.amount)?;
    if cmd.amount.amount > available.amount {
        return Err(DomainError::RefundExceedsCredit {
            requested: cmd.amount,
            available,
        });
    }
    Ok(vec![Event::CustomerCreditRefunded(CustomerCreditRefunded {
        customer_id,
        source: cmd.source,
        amount: cmd.amount,
        method: cmd.method,
        reference: cmd.reference.clone(),
        refunded_on: ctx.business_date(),
    })])
}

pub(crate) fn apply_refunded(book: &mut Book, e: &CustomerCreditRefunded) {
    let (document, reference, rate) = match e.source {
        CreditSource::Payment(id) => match book.payments.get_mut(&id) {
            Some(payment) => {
                payment.refunded += e.amount.amount;
                (id.0, payment.reference(), payment.rate)
            }
            None => return,
        },
        CreditSource::CreditNote(id) => match book.credit_notes.get_mut(&id) {
            Some(note) => {
                note.refunded += e.amount.amount;
                (id.0, note.number.clone(), note.rate)
            }
            None => return,
        },
    };
    let reference = if e.reference.is_empty() {
        reference
    } else {
        e.reference.clone()
    };
    let entry = ledger::Entry {
        date: e.refunded_on,
        kind: EntryKind::Refund,
        document,
        reference,
        currency: e.amount.currency,
        amount: e.amount.amount,
        value: e.amount.amount * rate,
    };
    ledger::record(book, e.customer_id, entry);
}
