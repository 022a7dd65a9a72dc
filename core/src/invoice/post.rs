//! Posting an invoice: the draft is dated (the command's business date), priced again on
//! that date when anything changed since it was drafted (the taxes of the fiscal position
//! that applies that day, an exemption certificate expired, the exchange rate of the day),
//! numbered from the company's gapless sequence of the year, and split into installments
//! by the customer's payment term. From then on it is part of the customer's receivable
//! (at its exchange rate) and never changes.
//!
//! The number is taken by the event that posts: a refused post appends nothing and takes
//! nothing, so the sequence never has a gap; a cancelled draft never had a number.

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::draft::{replace_amounts, reprice, require_draft};
use super::{InvoiceAmounts, InvoiceStatus};
use crate::book::Book;
use crate::company::NumberedDocument;
use crate::context::CommandContext;
use crate::error::DomainError;
use crate::event::Event;
use crate::exchange::require_rate;
use crate::ids::InvoiceId;
use crate::ledger::{self, EntryKind};
use crate::money::Money;
use crate::payment_term::{self, Installment, InvoiceDiscount};

/// Command: post a draft invoice. The invoice date is the command's business date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostInvoice {
    /// The draft to post.
    pub invoice_id: InvoiceId,
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
    /// Due date of the last installment.
    pub due_date: NaiveDate,
    /// Invoice total.
    pub total: Money,
    /// The amounts as priced on the invoice date, when they differ from the draft's.
    #[serde(default)]
    pub restated: Option<InvoiceAmounts>,
    /// The exchange rate of the invoice date, for an invoice in another currency.
    #[serde(default)]
    pub rate: Option<Decimal>,
    /// Installments (absent in logs from before payment terms: one, due on `due_date`).
    #[serde(default)]
    pub installments: Vec<Installment>,
    /// The early-payment discount the payment term grants, if any.
    #[serde(default)]
    pub early_discount: Option<InvoiceDiscount>,
}

pub(crate) fn post(book: &Book, cmd: &PostInvoice, ctx: &CommandContext) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    let invoice = require_draft(book, cmd.invoice_id)?;
    let customer = book.require_customer(invoice.customer_id)?;
    let invoice_date = ctx.business_date();
    let (fiscal_year, sequence, number) = company.number_on(NumberedDocument::Invoice, invoice_date)?;
    let (amounts, rate) = if invoice.down_payment {
        (
            invoice.amounts(),
            require_rate(book, invoice.currency, invoice_date)?,
        )
    } else {
        reprice(book, invoice, |l| l.quantity, invoice_date)?
    };
    let currency = company.currency(invoice.currency)?;
    let term = customer
        .details
        .payment_term_id
        .map(|id| book.require_payment_term(id))
        .transpose()?;
    let installments = payment_term::installments(
        term,
        customer.details.payment_term_days,
        invoice_date,
        amounts.total.amount,
        (amounts.total.amount - amounts.tax.amount).max(Decimal::ZERO),
        currency.decimals,
        company.rounding,
        rate,
    )?;
    let due_date = installments
        .iter()
        .map(|i| i.due_date)
        .max()
        .unwrap_or(invoice_date);
    let early_discount = match term.and_then(|t| t.early_discount.as_ref()) {
        Some(discount) => Some(InvoiceDiscount {
            percent: discount.percent,
            until: invoice_date
                .checked_add_days(Days::new(u64::from(discount.within_days)))
                .ok_or(DomainError::DateOutOfRange)?,
            basis: company.settings.early_discount_basis,
        }),
        None => None,
    };
    Ok(vec![Event::InvoicePosted(InvoicePosted {
        invoice_id: invoice.id,
        number,
        fiscal_year,
        sequence,
        invoice_date,
        due_date,
        total: amounts.total,
        restated: (amounts != invoice.amounts()).then_some(amounts),
        rate: (rate != invoice.rate).then_some(rate),
        installments,
        early_discount,
    })])
}

pub(crate) fn apply_posted(book: &mut Book, e: &InvoicePosted) {
    let Some(invoice) = book.invoices.get(&e.invoice_id) else {
        return;
    };
    let rate = e.rate.unwrap_or(invoice.rate);
    let amounts = e.restated.clone().unwrap_or_else(|| invoice.amounts());
    replace_amounts(book, e.invoice_id, &amounts, rate);
    let Some(invoice) = book.invoices.get_mut(&e.invoice_id) else {
        return;
    };
    invoice.status = InvoiceStatus::Posted;
    invoice.number = Some(e.number.clone());
    invoice.invoice_date = Some(e.invoice_date);
    invoice.due_date = Some(e.due_date);
    invoice.installments = if e.installments.is_empty() {
        vec![Installment {
            due_date: e.due_date,
            amount: invoice.total.amount,
            untaxed: invoice.total.amount - invoice.tax.amount,
            settled: Decimal::ZERO,
        }]
    } else {
        e.installments.clone()
    };
    invoice.early_discount = e.early_discount.clone();
    // The invoice stays borrowed from its map while the other parts of the book it
    // touches (orders, open invoices, customers, company) are changed.
    let invoice: &super::Invoice = invoice;
    super::move_line_quantities(&mut book.orders, invoice, |line, quantity| {
        line.invoicing -= quantity;
        line.invoiced += quantity;
    });
    if invoice.open_amount().amount > Decimal::ZERO {
        book.open_invoices
            .entry(invoice.customer_id)
            .or_default()
            .insert(invoice.id);
    }
    if let Some(customer) = book.customers.get_mut(&invoice.customer_id) {
        customer.receivable += invoice.total.amount * invoice.rate;
    }
    if let Some(company) = book.company.as_mut() {
        company.record_number(NumberedDocument::Invoice, e.invoice_date, e.sequence);
    }
    let customer_id = invoice.customer_id;
    let entry = ledger::Entry::of_invoice(invoice, EntryKind::Invoice, e.invoice_date, invoice.total.amount);
    ledger::record(book, customer_id, entry);
}
