//! Customer invoices. An invoice is created as a draft for the delivered quantities of an
//! order that are on no invoice yet, posted (which numbers it from the company's gapless
//! yearly sequence, dates it, and sets its due date from the customer's payment term), and
//! paid through payment allocations. A draft may be cancelled, which frees its quantities
//! for the next invoice; a posted invoice is never changed.
//!
//! Amounts: each line is `quantity × net unit price` (the order line's price less its
//! effective discount), rounded to the currency's precision with the company rule; the
//! total is the sum of the rounded lines. A closed order can still be invoiced for what
//! it delivered.

use chrono::{Datelike, Days, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::book::Book;
use crate::context::CommandContext;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{CustomerId, InvoiceId, OrderId, ProductId};
use crate::money::{CurrencyCode, Money};
use crate::order::OrderStatus;
use crate::validate;

/// Command: invoice what an order delivered and nobody invoiced yet (creates a draft).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateInvoice {
    /// The new invoice's id.
    pub invoice_id: InvoiceId,
    /// The order to invoice.
    pub order_id: OrderId,
}

/// Command: post a draft invoice. The invoice date is the command's business date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostInvoice {
    /// The draft to post.
    pub invoice_id: InvoiceId,
}

/// Command: cancel a draft invoice, freeing its quantities.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelInvoice {
    /// The draft to cancel.
    pub invoice_id: InvoiceId,
    /// Why.
    pub reason: String,
}

/// One invoice line, pointing back to its order line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceLine {
    /// The order line invoiced.
    pub order_line: u32,
    /// The product.
    pub product_id: ProductId,
    /// Quantity invoiced.
    pub quantity: Decimal,
    /// Price per unit before discounts, from the order line.
    pub unit_price: Money,
    /// Effective discount of the order line (line and order discount combined), percent.
    #[serde(default)]
    pub discount_percent: Decimal,
    /// `quantity × unit_price × (1 − discount)`, rounded to the currency's precision.
    pub amount: Money,
}

/// Event: a draft invoice was created.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceCreated {
    /// The invoice's id.
    pub invoice_id: InvoiceId,
    /// The order invoiced.
    pub order_id: OrderId,
    /// Who is billed.
    pub customer_id: CustomerId,
    /// Lines.
    pub lines: Vec<InvoiceLine>,
    /// Sum of the line amounts.
    pub total: Money,
}

/// Event: an invoice was posted: numbered, dated, due, and part of the receivable.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoicePosted {
    /// The invoice's id.
    pub invoice_id: InvoiceId,
    /// The invoice number, e.g. `INV/2026/00001`.
    pub number: String,
    /// Fiscal year of the number's sequence.
    pub fiscal_year: i32,
    /// Position in that year's sequence, from 1, without gaps.
    pub sequence: u32,
    /// Invoice date.
    pub invoice_date: NaiveDate,
    /// Due date (invoice date + the customer's payment term).
    pub due_date: NaiveDate,
    /// Invoice total.
    pub total: Money,
}

/// Event: a draft invoice was cancelled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceCancelled {
    /// The invoice's id.
    pub invoice_id: InvoiceId,
    /// Why.
    pub reason: String,
}

/// Lifecycle of an invoice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvoiceStatus {
    /// Editable, not numbered, not receivable.
    Draft,
    /// Numbered, immutable, receivable.
    Posted,
    /// A cancelled draft.
    Cancelled,
}

/// How much of a posted invoice is paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaymentState {
    /// Nothing allocated.
    NotPaid,
    /// Some allocated, some open.
    PartiallyPaid,
    /// Nothing open.
    Paid,
}

/// An invoice's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Invoice {
    /// The invoice's id.
    pub id: InvoiceId,
    /// The order invoiced.
    pub order_id: OrderId,
    /// Who is billed.
    pub customer_id: CustomerId,
    /// The invoice currency.
    pub currency: CurrencyCode,
    /// Lines.
    pub lines: Vec<InvoiceLine>,
    /// Sum of the line amounts.
    pub total: Money,
    /// Draft, posted or cancelled.
    pub status: InvoiceStatus,
    /// Number, once posted.
    pub number: Option<String>,
    /// Invoice date, once posted.
    pub invoice_date: Option<NaiveDate>,
    /// Due date, once posted.
    pub due_date: Option<NaiveDate>,
    /// Allocated payments so far.
    pub paid: Decimal,
}

impl Invoice {
    /// What the customer still owes on it (zero unless posted).
    pub fn open_amount(&self) -> Money {
        let open = match self.status {
            InvoiceStatus::Posted => self.total.amount - self.paid,
            InvoiceStatus::Draft | InvoiceStatus::Cancelled => Decimal::ZERO,
        };
        Money::new(open, self.currency)
    }

    /// Paid (nothing owed, an invoice totalling zero included), partially paid or not paid.
    pub fn payment_state(&self) -> PaymentState {
        if self.paid >= self.total.amount {
            PaymentState::Paid
        } else if self.paid.is_zero() {
            PaymentState::NotPaid
        } else {
            PaymentState::PartiallyPaid
        }
    }
}

pub(crate) fn create(book: &Book, cmd: &CreateInvoice) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    book.require_unused(cmd.invoice_id.0)?;
    let order = book.require_order(cmd.order_id)?;
    order.require_status(&[OrderStatus::Confirmed, OrderStatus::Closed])?;
    let currency = company.currency(order.currency)?;
    let lines: Vec<InvoiceLine> = order
        .lines
        .iter()
        .filter(|l| l.to_invoice() > Decimal::ZERO)
        .map(|l| {
            let quantity = l.to_invoice();
            let amount = company
                .rounding
                .round(order.value_of(l, quantity), currency.decimals);
            InvoiceLine {
                order_line: l.line,
                product_id: l.product_id,
                quantity,
                unit_price: l.unit_price,
                discount_percent: order.effective_discount(l),
                amount: Money::new(amount, order.currency),
            }
        })
        .collect();
    if lines.is_empty() {
        return Err(DomainError::NothingToInvoice { order_id: order.id });
    }
    let total = lines.iter().map(|l| l.amount.amount).sum();
    Ok(vec![Event::InvoiceCreated(InvoiceCreated {
        invoice_id: cmd.invoice_id,
        order_id: order.id,
        customer_id: order.customer_id,
        lines,
        total: Money::new(total, order.currency),
    })])
}

fn require_draft(book: &Book, invoice_id: InvoiceId) -> Result<&Invoice, DomainError> {
    let invoice = book.require_invoice(invoice_id)?;
    match invoice.status {
        InvoiceStatus::Draft => Ok(invoice),
        status => Err(DomainError::InvoiceNotDraft { invoice_id, status }),
    }
}

pub(crate) fn post(book: &Book, cmd: &PostInvoice, ctx: &CommandContext) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    let invoice = require_draft(book, cmd.invoice_id)?;
    let customer = book.require_customer(invoice.customer_id)?;
    let invoice_date = ctx.business_date();
    let due_date = invoice_date
        .checked_add_days(Days::new(u64::from(customer.details.payment_term_days)))
        .ok_or(DomainError::DateOutOfRange)?;
    let fiscal_year = invoice_date.year();
    let (sequence, number) = company.next_invoice_number(fiscal_year);
    Ok(vec![Event::InvoicePosted(InvoicePosted {
        invoice_id: invoice.id,
        number,
        fiscal_year,
        sequence,
        invoice_date,
        due_date,
        total: invoice.total,
    })])
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

pub(crate) fn apply_created(book: &mut Book, e: &InvoiceCreated) {
    if let Some(order) = book.orders.get_mut(&e.order_id) {
        for l in &e.lines {
            if let Some(line) = order.line_mut(l.order_line) {
                line.invoicing += l.quantity;
            }
        }
    }
    book.invoices.insert(
        e.invoice_id,
        Invoice {
            id: e.invoice_id,
            order_id: e.order_id,
            customer_id: e.customer_id,
            currency: e.total.currency,
            lines: e.lines.clone(),
            total: e.total,
            status: InvoiceStatus::Draft,
            number: None,
            invoice_date: None,
            due_date: None,
            paid: Decimal::ZERO,
        },
    );
}

pub(crate) fn apply_posted(book: &mut Book, e: &InvoicePosted) {
    let Some(invoice) = book.invoices.get_mut(&e.invoice_id) else {
        return;
    };
    invoice.status = InvoiceStatus::Posted;
    invoice.number = Some(e.number.clone());
    invoice.invoice_date = Some(e.invoice_date);
    invoice.due_date = Some(e.due_date);
    let (order_id, customer_id) = (invoice.order_id, invoice.customer_id);
    if invoice.open_amount().amount > Decimal::ZERO {
        book.open_invoices
            .entry(customer_id)
            .or_default()
            .insert(e.invoice_id);
    }
    let lines = invoice.lines.clone();
    if let Some(order) = book.orders.get_mut(&order_id) {
        for l in &lines {
            if let Some(line) = order.line_mut(l.order_line) {
                line.invoicing -= l.quantity;
                line.invoiced += l.quantity;
            }
        }
    }
    if let Some(customer) = book.customers.get_mut(&customer_id) {
        customer.receivable += e.total.amount;
    }
    if let Some(company) = book.company.as_mut() {
        company.invoice_sequences.insert(e.fiscal_year, e.sequence);
    }
}

pub(crate) fn apply_cancelled(book: &mut Book, e: &InvoiceCancelled) {
    let Some(invoice) = book.invoices.get_mut(&e.invoice_id) else {
        return;
    };
    invoice.status = InvoiceStatus::Cancelled;
    if let Some(order) = book.orders.get_mut(&invoice.order_id) {
        for l in &invoice.lines {
            if let Some(line) = order.line_mut(l.order_line) {
                line.invoicing -= l.quantity;
            }
        }
    }
}
