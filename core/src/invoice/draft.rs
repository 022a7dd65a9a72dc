//! Editing and cancelling draft invoices. A draft's line quantity may change (within what
//! the order line may invoice) or go to zero (the line leaves the draft); the draft is
//! priced again as a whole. Cancelling a draft frees its quantities and its deductions and
//! uses no invoice number.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::create::{Billable, Pricing, deduct, price};
use super::{Deduction, Invoice, InvoiceAmounts, InvoiceLine, InvoiceStatus};
use crate::book::Book;
use crate::context::CommandContext;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{InvoiceId, OrderId};
use crate::validate;

/// Command: change the quantity of a draft invoice's line (zero removes it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeDraftInvoiceLine {
    /// The draft.
    pub invoice_id: InvoiceId,
    /// The order of the line (default: the invoice's order).
    #[serde(default)]
    pub order_id: Option<OrderId>,
    /// The order line.
    pub order_line: u32,
    /// The new quantity, in the order line's unit.
    pub quantity: Decimal,
}

/// Event: a draft invoice changed; its complete new amounts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftInvoiceChanged {
    /// The draft.
    pub invoice_id: InvoiceId,
    /// Its new amounts.
    pub amounts: InvoiceAmounts,
    /// The exchange rate they were priced at (1 in the company currency).
    pub rate: Decimal,
}

/// Command: cancel a draft invoice, freeing its quantities.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelInvoice {
    /// The draft to cancel.
    pub invoice_id: InvoiceId,
    /// Why.
    pub reason: String,
}

/// Event: a draft invoice was cancelled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceCancelled {
    /// The invoice's id.
    pub invoice_id: InvoiceId,
    /// Why.
    pub reason: String,
}

pub(crate) fn require_draft(book: &Book, invoice_id: InvoiceId) -> Result<&Invoice, DomainError> {
    let invoice = book.require_invoice(invoice_id)?;
    match invoice.status {
        InvoiceStatus::Draft => Ok(invoice),
        status => Err(DomainError::InvoiceNotDraft { invoice_id, status }),
    }
}

pub(crate) fn change_line(
    book: &Book,
    cmd: &ChangeDraftInvoiceLine,
    ctx: &CommandContext,
) -> Result<Vec<Event>, DomainError> {
    let invoice = require_draft(book, cmd.invoice_id)?;
    if invoice.down_payment {
        return Err(DomainError::DownPaymentHasNoLines {
            invoice_id: invoice.id,
        });
    }
    let order_id = cmd.order_id.unwrap_or(invoice.order_id);
    let current = invoice
        .lines
        .iter()
        .find(|l| invoice.order_of(l) == order_id && l.order_line == cmd.order_line)
        .ok_or(DomainError::UnknownOrderLine {
            order_id,
            line: cmd.order_line,
        })?;
    let order = book.require_order(order_id)?;
    let line = order.line(cmd.order_line).ok_or(DomainError::UnknownOrderLine {
        order_id,
        line: cmd.order_line,
    })?;
    if cmd.quantity < Decimal::ZERO {
        return Err(DomainError::NegativeQuantity {
            quantity: cmd.quantity,
        });
    }
    if !cmd.quantity.is_zero() {
        validate::quantity(cmd.quantity, &book.line_unit(line))?;
    }
    let most = current.quantity + order.invoiceable(line);
    if cmd.quantity > most {
        return Err(DomainError::InvoiceQuantityTooHigh {
            order_line: cmd.order_line,
            requested: cmd.quantity,
            invoiceable: most,
        });
    }
    let changed = |l: &InvoiceLine| {
        if invoice.order_of(l) == order_id && l.order_line == cmd.order_line {
            cmd.quantity
        } else {
            l.quantity
        }
    };
    let (amounts, rate) = reprice(book, invoice, changed, ctx.business_date())?;
    Ok(vec![Event::DraftInvoiceChanged(DraftInvoiceChanged {
        invoice_id: invoice.id,
        amounts,
        rate,
    })])
}

/// Prices a draft's lines again on `date` (taxes and the rate of that day), with the
/// quantities `quantity` gives; the draft keeps its deductions, up to its new total and to
/// what their down payments leave.
/// Returns the amounts and the rate.
pub(crate) fn reprice(
    book: &Book,
    invoice: &Invoice,
    quantity: impl Fn(&InvoiceLine) -> Decimal,
    date: NaiveDate,
) -> Result<(InvoiceAmounts, Decimal), DomainError> {
    let mut items = Vec::with_capacity(invoice.lines.len());
    let mut order_currency = invoice.currency;
    for l in &invoice.lines {
        let order = book.require_order(invoice.order_of(l))?;
        order_currency = order.currency;
        let line = order.line(l.order_line).ok_or(DomainError::UnknownOrderLine {
            order_id: order.id,
            line: l.order_line,
        })?;
        let quantity = quantity(l);
        if quantity > Decimal::ZERO {
            items.push(Billable {
                order,
                line,
                quantity,
            });
        }
    }
    if items.is_empty() {
        return Err(DomainError::EmptyInvoice {
            invoice_id: invoice.id,
        });
    }
    let pricing = Pricing::on(book, Some(invoice.currency), order_currency, date)?;
    // Each deduction may grow back to what its down payment still leaves undeducted (a
    // draft lowered below its down payment and raised again deducts it in full).
    let deductions = invoice.deductions.iter().map(|d| {
        let left = book.invoice(d.invoice_id).map_or(Decimal::ZERO, |down_payment| {
            down_payment.total.amount - down_payment.deducted - down_payment.credit_notes_total
        });
        Deduction {
            amount: (d.amount + left).max(Decimal::ZERO),
            ..d.clone()
        }
    });
    let amounts = deduct(
        price(book, invoice.customer_id, &items, pricing, date)?,
        deductions,
    );
    Ok((amounts, pricing.rate))
}

pub(crate) fn cancel(book: &Book, cmd: &CancelInvoice) -> Result<Vec<Event>, DomainError> {
    book.require_company()?;
    let invoice = require_draft(book, cmd.invoice_id)?;
    validate::name("reason", &cmd.reason)?;
    Ok(vec![Event::InvoiceCancelled(InvoiceCancelled {
        invoice_id: invoice.id,
        reason: cmd.reason.clone(),
    })])
}

/// Frees a draft's quantities and deductions.
fn release(book: &mut Book, invoice: &Invoice) {
    super::move_line_quantities(&mut book.orders, invoice, |line, quantity| {
        line.invoicing -= quantity
    });
    for deduction in &invoice.deductions {
        if let Some(down_payment) = book.invoices.get_mut(&deduction.invoice_id) {
            down_payment.deducted -= deduction.amount;
        }
    }
}

/// Takes a draft's quantities and deductions.
fn take(book: &mut Book, invoice: &Invoice) {
    super::move_line_quantities(&mut book.orders, invoice, |line, quantity| {
        line.invoicing += quantity
    });
    for deduction in &invoice.deductions {
        if let Some(down_payment) = book.invoices.get_mut(&deduction.invoice_id) {
            down_payment.deducted += deduction.amount;
        }
    }
}

/// Replaces an invoice's amounts (a draft changed, or restated at posting), moving the
/// order lines' invoicing quantities and the deductions along.
pub(crate) fn replace_amounts(
    book: &mut Book,
    invoice_id: InvoiceId,
    amounts: &InvoiceAmounts,
    rate: Decimal,
) {
    let Some(old) = book.invoices.get(&invoice_id).cloned() else {
        return;
    };
    release(book, &old);
    let mut new = old;
    new.lines = amounts.lines.clone();
    new.taxes = amounts.taxes.clone();
    new.deductions = amounts.deductions.clone();
    new.untaxed = amounts.untaxed;
    new.tax = amounts.tax;
    new.total = amounts.total;
    new.rate = rate;
    new.credited_quantities = vec![Decimal::ZERO; new.lines.len()];
    take(book, &new);
    book.invoices.insert(invoice_id, new);
}

pub(crate) fn apply_changed(book: &mut Book, e: &DraftInvoiceChanged) {
    replace_amounts(book, e.invoice_id, &e.amounts, e.rate);
}

pub(crate) fn apply_cancelled(book: &mut Book, e: &InvoiceCancelled) {
    let Some(invoice) = book.invoices.get(&e.invoice_id).cloned() else {
        return;
    };
    release(book, &invoice);
    if let Some(invoice) = book.invoices.get_mut(&e.invoice_id) {
        invoice.status = InvoiceStatus::Cancelled;
    }
}
