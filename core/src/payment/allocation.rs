//! Allocating payments to posted invoices: explicitly (an invoice, optionally one of its
//! installments, an amount) or automatically (the payment's unallocated amount over the
//! customer's open installments in its currency, oldest due date first). Each installment
//! settled is one `PaymentAllocated` event, carrying the early-payment discount it earned
//! and the realised exchange difference; see [`crate::invoice::settlement`] for the rules.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Allocation, Payment};
use crate::book::Book;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{CustomerId, InvoiceId, PaymentId};
use crate::invoice::settlement::{self, By, Part, Source};
use crate::ledger::{self, EntryKind};
use crate::money::Money;
use crate::validate;

/// Command: allocate part or all of a payment to a posted invoice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocatePayment {
    /// The payment.
    pub payment_id: PaymentId,
    /// The invoice it settles.
    pub invoice_id: InvoiceId,
    /// How much of the payment goes to the invoice.
    pub amount: Money,
    /// One installment to settle (default: the invoice's, oldest due first).
    #[serde(default)]
    pub installment: Option<u32>,
}

/// Command: allocate what a payment has left to the customer's open installments, oldest
/// due date first; what they do not take stays unapplied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocatePaymentAutomatically {
    /// The payment.
    pub payment_id: PaymentId,
}

/// Event: part of a payment was allocated to an invoice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentAllocated {
    /// The payment.
    pub payment_id: PaymentId,
    /// The invoice settled.
    pub invoice_id: InvoiceId,
    /// The customer of both.
    pub customer_id: CustomerId,
    /// The amount allocated.
    pub amount: Money,
    /// The installment settled (absent in logs from before installments: oldest first).
    #[serde(default)]
    pub installment: Option<u32>,
    /// Early-payment discount granted, in the invoice currency.
    #[serde(default)]
    pub discount: Decimal,
    /// The discount's tax share, where the company reduces tax.
    #[serde(default)]
    pub tax_reduction: Decimal,
    /// Realised exchange difference (company currency, exact; positive: a gain).
    #[serde(default)]
    pub exchange_difference: Decimal,
}

fn require_unallocated(payment: &Payment, requested: Money) -> Result<(), DomainError> {
    if payment.returned_on.is_some() {
        return Err(DomainError::PaymentAlreadyReturned {
            payment_id: payment.id,
        });
    }
    let unallocated = payment.unallocated();
    if requested.amount > unallocated.amount {
        return Err(DomainError::AllocationExceedsUnallocated {
            payment_id: payment.id,
            requested,
            unallocated,
        });
    }
    Ok(())
}

fn allocated(payment: &Payment, invoice_id: InvoiceId, invoice_rate: Decimal, part: Part) -> Event {
    Event::PaymentAllocated(PaymentAllocated {
        payment_id: payment.id,
        invoice_id,
        customer_id: payment.customer_id,
        amount: Money::new(part.amount, payment.amount.currency),
        installment: Some(part.installment),
        discount: part.discount,
        tax_reduction: part.tax_reduction,
        exchange_difference: part.amount * (payment.rate - invoice_rate),
    })
}

fn source(payment: &Payment, amount: Money) -> Source {
    Source {
        amount,
        received_on: Some(payment.received_on),
    }
}

pub(crate) fn allocate(book: &Book, cmd: &AllocatePayment) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    let payment = book.require_payment(cmd.payment_id)?;
    let invoice =
        settlement::require_settleable(book, cmd.invoice_id, payment.customer_id, &payment.amount, |i| {
            DomainError::PaymentCustomerMismatch {
                payment_id: payment.id,
                payment_customer: payment.customer_id,
                invoice_id: i.id,
                invoice_customer: i.customer_id,
            }
        })?;
    validate::in_currency(invoice.currency, &cmd.amount)?;
    validate::positive_amount(company, &cmd.amount)?;
    require_unallocated(payment, cmd.amount)?;
    let parts = settlement::plan(book, invoice, source(payment, cmd.amount), cmd.installment)?;
    Ok(parts
        .into_iter()
        .map(|part| allocated(payment, invoice.id, invoice.rate, part))
        .collect())
}

pub(crate) fn allocate_automatically(
    book: &Book,
    cmd: &AllocatePaymentAutomatically,
) -> Result<Vec<Event>, DomainError> {
    let payment = book.require_payment(cmd.payment_id)?;
    let left = payment.unallocated();
    require_unallocated(payment, left)?;
    let parts = settlement::plan_oldest_first(book, payment.customer_id, source(payment, left))?;
    if parts.is_empty() {
        return Err(DomainError::NothingToAllocate {
            payment_id: payment.id,
        });
    }
    parts
        .into_iter()
        .map(|(invoice_id, part)| {
            let invoice = book.require_invoice(invoice_id)?;
            Ok(allocated(payment, invoice_id, invoice.rate, part))
        })
        .collect()
}

pub(crate) fn apply_allocated(book: &mut Book, e: &PaymentAllocated, date: NaiveDate) {
    settlement::apply(
        book,
        e.invoice_id,
        e.installment,
        By::Payment,
        e.amount.amount,
        e.discount,
    );
    let Some(payment) = book.payments.get_mut(&e.payment_id) else {
        return;
    };
    if payment.allocations.is_empty() {
        // Most payments settle one invoice: room for exactly one (a push would leave room
        // for four); later allocations grow the list as usual.
        payment.allocations.reserve_exact(1);
    }
    payment.allocations.push(Allocation {
        invoice_id: e.invoice_id,
        installment: e.installment,
        amount: e.amount.amount,
        discount: e.discount,
    });
    let payment = payment.clone();
    if !e.discount.is_zero() {
        if let Some(invoice) = book.invoices.get(&e.invoice_id) {
            let entry = ledger::Entry::of_invoice(invoice, EntryKind::EarlyDiscount, date, -e.discount);
            ledger::record(book, e.customer_id, entry);
        }
    }
    if !e.exchange_difference.is_zero() {
        let entry = ledger::Entry {
            value: e.exchange_difference,
            ..payment.entry(EntryKind::ExchangeDifference, date, Decimal::ZERO)
        };
        ledger::record(book, e.customer_id, entry);
    }
}
