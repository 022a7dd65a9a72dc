//! The customer account: every posted fact that changes what a customer owes, dated, in
//! the document's currency and in the company currency, and the customer statement over a
//! period read from it.
//!
//! Signs: positive raises what the customer owes (an invoice, a refund, a returned
//! payment), negative lowers it (a credit note, a payment, a write-off, an early-payment
//! discount). The balance is therefore the open receivable less the customer's unapplied
//! credit (payments and credit notes not yet allocated). Company-currency values are exact
//! (amount × the document's rate); a settlement at a rate other than the invoice's adds
//! the realised exchange difference, so the balance stays exact across currencies.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::book::Book;
use crate::ids::CustomerId;
use crate::invoice::Invoice;
use crate::money::CurrencyCode;

/// What an account entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EntryKind {
    /// A posted invoice.
    Invoice,
    /// A credit note.
    CreditNote,
    /// A payment received.
    Payment,
    /// A payment returned by the bank (bounced).
    PaymentReturned,
    /// Customer credit paid back.
    Refund,
    /// An open amount written off.
    WriteOff,
    /// An early-payment discount granted (negative), or taken back with a returned payment.
    EarlyDiscount,
    /// The realised exchange difference of a settlement (company currency only).
    ExchangeDifference,
}

/// One entry of a customer account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Business date.
    pub date: NaiveDate,
    /// What it records.
    pub kind: EntryKind,
    /// The document: invoice, credit note or payment id.
    pub document: Uuid,
    /// Its number or reference.
    pub reference: String,
    /// The document's currency.
    pub currency: CurrencyCode,
    /// Signed amount in that currency.
    pub amount: Decimal,
    /// Signed value in the company currency (exact).
    pub value: Decimal,
}

impl Entry {
    /// An entry about an invoice, valued at the invoice's rate.
    pub(crate) fn of_invoice(invoice: &Invoice, kind: EntryKind, date: NaiveDate, amount: Decimal) -> Self {
        Self {
            date,
            kind,
            document: invoice.id.0,
            reference: invoice.number.clone().unwrap_or_default(),
            currency: invoice.currency,
            amount,
            value: amount * invoice.rate,
        }
    }
}

/// Adds an entry to a customer's account.
pub(crate) fn record(book: &mut Book, customer: CustomerId, entry: Entry) {
    book.ledgers.entry(customer).or_default().push(entry);
}

/// An entry of a statement, with the running balance after it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatementLine {
    /// The entry.
    pub entry: Entry,
    /// Balance after it, company currency.
    pub balance: Decimal,
}

/// A customer statement for a period, in the company currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Statement {
    /// The customer.
    pub customer_id: CustomerId,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Balance before `from`.
    pub opening_balance: Decimal,
    /// Entries dated within the period, in the order they were recorded.
    pub lines: Vec<StatementLine>,
    /// Balance at the end of `to`.
    pub closing_balance: Decimal,
}

impl Statement {
    /// The sum of the period's entries of a kind.
    pub fn total_of(&self, kind: EntryKind) -> Decimal {
        self.lines
            .iter()
            .filter(|l| l.entry.kind == kind)
            .map(|l| l.entry.value)
            .sum()
    }
}

/// A customer's statement from `from` to `to`, both included.
pub(crate) fn statement(book: &Book, customer: CustomerId, from: NaiveDate, to: NaiveDate) -> Statement {
    let entries = book.ledgers.get(&customer).map(Vec::as_slice).unwrap_or_default();
    let opening_balance: Decimal = entries.iter().filter(|e| e.date < from).map(|e| e.value).sum();
    let mut balance = opening_balance;
    let lines = entries
        .iter()
        .filter(|e| e.date >= from && e.date <= to)
        .map(|entry| {
            balance += entry.value;
            StatementLine {
                entry: entry.clone(),
                balance,
            }
        })
        .collect();
    Statement {
        customer_id: customer,
        from,
        to,
        opening_balance,
        lines,
        closing_balance: balance,
    }
}
