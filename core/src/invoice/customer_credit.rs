//! Customer credit from credit notes: what a credit note did not offset on its own
//! invoice may be applied to another posted invoice of the same customer, in the same
//! currency (oldest installment first), or refunded (see [`crate::payment::refund`]).
//! Applied at another rate than the invoice's, it books the realised exchange difference.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::settlement::{self, By, Source};
use crate::book::Book;
use crate::context::CommandContext;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{CreditNoteId, CustomerId, InvoiceId};
use crate::ledger::{self, EntryKind};
use crate::money::Money;
use crate::validate;

/// Command: apply a credit note's remaining credit to another posted invoice of the
/// customer, in the same currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplyCredit {
    /// The credit note.
    pub credit_note_id: CreditNoteId,
    /// The invoice it settles.
    pub invoice_id: InvoiceId,
    /// How much.
    pub amount: Money,
}

/// Event: credit was applied to an invoice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditApplied {
    /// The credit note.
    pub credit_note_id: CreditNoteId,
    /// The invoice settled.
    pub invoice_id: InvoiceId,
    /// The customer of both.
    pub customer_id: CustomerId,
    /// How much.
    pub amount: Money,
    /// The installments settled.
    pub parts: Vec<settlement::Part>,
    /// Realised exchange difference (company currency, exact; positive: a gain).
    pub exchange_difference: Decimal,
    /// Business date.
    pub applied_on: NaiveDate,
}

pub(crate) fn apply_credit(
    book: &Book,
    cmd: &ApplyCredit,
    ctx: &CommandContext,
) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    let note = book.require_credit_note(cmd.credit_note_id)?;
    let invoice = settlement::require_settleable(book, cmd.invoice_id, note.customer_id, &note.total, |i| {
        DomainError::SettlementCustomerMismatch {
            invoice_id: i.id,
            invoice_customer: i.customer_id,
            customer: note.customer_id,
        }
    })?;
    validate::in_currency(invoice.currency, &cmd.amount)?;
    validate::positive_amount(company, &cmd.amount)?;
    let unapplied = note.unapplied();
    if cmd.amount.amount > unapplied.amount {
        return Err(DomainError::CreditExceedsUnapplied {
            credit_note_id: note.id,
            requested: cmd.amount,
            unapplied,
        });
    }
    let source = Source {
        amount: cmd.amount,
        received_on: None,
    };
    let parts = settlement::plan(book, invoice, source, None)?;
    Ok(vec![Event::CreditApplied(CreditApplied {
        credit_note_id: note.id,
        invoice_id: invoice.id,
        customer_id: note.customer_id,
        amount: cmd.amount,
        parts,
        exchange_difference: cmd.amount.amount * (note.rate - invoice.rate),
        applied_on: ctx.business_date(),
    })])
}

pub(crate) fn apply_applied(book: &mut Book, e: &CreditApplied) {
    for part in &e.parts {
        settlement::apply(
            book,
            e.invoice_id,
            Some(part.installment),
            By::Credit,
            part.amount,
            part.discount,
        );
    }
    if let Some(note) = book.credit_notes.get_mut(&e.credit_note_id) {
        note.applied.push((e.invoice_id, e.amount.amount));
    }
    if !e.exchange_difference.is_zero() {
        let entry = ledger::Entry {
            date: e.applied_on,
            kind: EntryKind::ExchangeDifference,
            document: e.credit_note_id.0,
            reference: book
                .credit_notes
                .get(&e.credit_note_id)
                .map(|n| n.number.clone())
                .unwrap_or_default(),
            currency: e.amount.currency,
            amount: Decimal::ZERO,
            value: e.exchange_difference,
        };
        ledger::record(book, e.customer_id, entry);
    }
}
