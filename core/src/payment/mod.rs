//! Payments received from customers: receipt (method, reference, date, amount, currency,
//! and the exchange rate of the day for a currency other than the company's), allocation
//! to posted invoices and their installments ([`allocation`]), a payment returned by the
//! bank ([`returned`]), and refunds of customer credit ([`refund`]).
//!
//! What a payment has not allocated is the customer's unapplied credit: it may be
//! allocated later or refunded. An allocation never exceeds the payment's unallocated
//! amount nor what the invoice's installments take, and is always in the currency of both.

pub mod allocation;
pub mod refund;
pub mod returned;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use allocation::*;
pub use refund::*;
pub use returned::*;

use crate::book::Book;
use crate::context::CommandContext;
use crate::error::DomainError;
use crate::event::Event;
use crate::exchange::require_rate;
use crate::ids::{CustomerId, InvoiceId, PaymentId};
use crate::ledger::{self, EntryKind};
use crate::money::Money;
use crate::validate;

/// How the money arrived (or left, for a refund).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaymentMethod {
    /// Bank transfer.
    BankTransfer,
    /// Card payment.
    Card,
    /// Cash.
    Cash,
    /// Cheque.
    Cheque,
    /// Direct debit.
    DirectDebit,
}

/// Command: record a payment received from a customer, dated the business date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivePayment {
    /// The new payment's id.
    pub payment_id: PaymentId,
    /// Who paid.
    pub customer_id: CustomerId,
    /// How much, in which currency.
    pub amount: Money,
    /// How it arrived.
    pub method: PaymentMethod,
    /// Bank or remittance reference (may be empty).
    #[serde(default)]
    pub reference: String,
}

/// Event: a payment was received.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentReceived {
    /// The payment's id.
    pub payment_id: PaymentId,
    /// Who paid.
    pub customer_id: CustomerId,
    /// How much.
    pub amount: Money,
    /// How it arrived.
    pub method: PaymentMethod,
    /// Bank or remittance reference.
    pub reference: String,
    /// Business date of receipt.
    pub received_on: NaiveDate,
    /// The exchange rate of that date, for a currency other than the company's.
    #[serde(default)]
    pub rate: Option<Decimal>,
}

/// One allocation of a payment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocation {
    /// The invoice settled.
    pub invoice_id: InvoiceId,
    /// The installment settled (none in logs from before installments).
    pub installment: Option<u32>,
    /// Money applied.
    pub amount: Decimal,
    /// Early-payment discount granted with it.
    pub discount: Decimal,
}

/// A payment's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    /// The payment's id.
    pub id: PaymentId,
    /// Who paid.
    pub customer_id: CustomerId,
    /// How much.
    pub amount: Money,
    /// How it arrived.
    pub method: PaymentMethod,
    /// Bank or remittance reference.
    pub reference: String,
    /// Date of receipt.
    pub received_on: NaiveDate,
    /// Company-currency units per unit of its currency on that date.
    pub rate: Decimal,
    /// Allocations in the order they were made.
    pub allocations: Vec<Allocation>,
    /// Refunded to the customer.
    pub refunded: Decimal,
    /// When the bank returned it, if it did (its allocations are then reversed).
    pub returned_on: Option<NaiveDate>,
}

impl Payment {
    /// Sum of allocations.
    pub fn allocated(&self) -> Decimal {
        self.allocations.iter().map(|a| a.amount).sum()
    }

    /// Not allocated nor refunded: the customer's unapplied credit from this payment
    /// (nothing once returned).
    pub fn unallocated(&self) -> Money {
        let left = match self.returned_on {
            Some(_) => Decimal::ZERO,
            None => self.amount.amount - self.allocated() - self.refunded,
        };
        Money::new(left, self.amount.currency)
    }

    /// The payment's own ledger reference: its bank reference, else its id.
    pub(crate) fn reference(&self) -> String {
        if self.reference.is_empty() {
            self.id.to_string()
        } else {
            self.reference.clone()
        }
    }

    /// A customer-account entry about this payment, at its rate.
    pub(crate) fn entry(&self, kind: EntryKind, date: NaiveDate, amount: Decimal) -> ledger::Entry {
        ledger::Entry {
            date,
            kind,
            document: self.id.0,
            reference: self.reference(),
            currency: self.amount.currency,
            amount,
            value: amount * self.rate,
        }
    }
}

pub(crate) fn receive(
    book: &Book,
    cmd: &ReceivePayment,
    ctx: &CommandContext,
) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    book.require_unused(cmd.payment_id.0)?;
    book.require_customer(cmd.customer_id)?;
    validate::positive_amount(company, &cmd.amount)?;
    validate::free_text("reference", &cmd.reference)?;
    let received_on = ctx.business_date();
    let rate = require_rate(book, cmd.amount.currency, received_on)?;
    Ok(vec![Event::PaymentReceived(PaymentReceived {
        payment_id: cmd.payment_id,
        customer_id: cmd.customer_id,
        amount: cmd.amount,
        method: cmd.method,
        reference: cmd.reference.clone(),
        received_on,
        rate: (rate != Decimal::ONE).then_some(rate),
    })])
}

pub(crate) fn apply_received(book: &mut Book, e: &PaymentReceived) {
    let payment = Payment {
        id: e.payment_id,
        customer_id: e.customer_id,
        amount: e.amount,
        method: e.method,
        reference: e.reference.clone(),
        received_on: e.received_on,
        rate: e.rate.unwrap_or(Decimal::ONE),
        allocations: Vec::new(),
        refunded: Decimal::ZERO,
        returned_on: None,
    };
    ledger::record(
        book,
        e.customer_id,
        payment.entry(EntryKind::Payment, e.received_on, -e.amount.amount),
    );
    book.payments.insert(e.payment_id, Box::new(payment));
}
