//! Writing off what is left open on a posted invoice: a small difference (a customer paid
//! a few cents short, a bank charge) closes the invoice when its value in the company
//! currency is within the company's write-off tolerance. A billing clerk does it, with a
//! reason; anything larger stays open for collection or a credit note.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::settlement::{self, By};
use crate::book::Book;
use crate::context::CommandContext;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{CustomerId, InvoiceId};
use crate::ledger::{self, EntryKind};
use crate::money::Money;
use crate::validate;

/// Command: write off what is open on a posted invoice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteOffInvoice {
    /// The invoice.
    pub invoice_id: InvoiceId,
    /// Why.
    pub reason: String,
}

/// Event: an invoice's open amount was written off.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceWrittenOff {
    /// The invoice.
    pub invoice_id: InvoiceId,
    /// Who is billed.
    pub customer_id: CustomerId,
    /// The amount written off, in the invoice currency.
    pub amount: Money,
    /// Why.
    pub reason: String,
    /// Business date.
    pub written_off_on: NaiveDate,
}

pub(crate) fn write_off(
    book: &Book,
    cmd: &WriteOffInvoice,
    ctx: &CommandContext,
) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    let invoice = super::require_posted(book, cmd.invoice_id)?;
    validate::name("reason", &cmd.reason)?;
    let open = invoice.open_amount();
    if open.amount <= Decimal::ZERO {
        return Err(DomainError::NothingOpen {
            invoice_id: invoice.id,
        });
    }
    let value = open.amount * invoice.rate;
    let tolerance = company.settings.write_off_tolerance;
    if value > tolerance {
        return Err(DomainError::WriteOffAboveTolerance {
            invoice_id: invoice.id,
            open: Money::new(
                company.rounding.round(value, company.base_currency.decimals),
                company.base_currency.code,
            ),
            tolerance: Money::new(tolerance, company.base_currency.code),
        });
    }
    Ok(vec![Event::InvoiceWrittenOff(InvoiceWrittenOff {
        invoice_id: invoice.id,
        customer_id: invoice.customer_id,
        amount: open,
        reason: cmd.reason.clone(),
        written_off_on: ctx.business_date(),
    })])
}

pub(crate) fn apply_written_off(book: &mut Book, e: &InvoiceWrittenOff) {
    let Some(invoice) = book.invoices.get(&e.invoice_id) else {
        return;
    };
    let entry = ledger::Entry::of_invoice(invoice, EntryKind::WriteOff, e.written_off_on, -e.amount.amount);
    settlement::apply(
        book,
        e.invoice_id,
        None,
        By::WriteOff,
        e.amount.amount,
        Decimal::ZERO,
    );
    ledger::record(book, e.customer_id, entry);
}
