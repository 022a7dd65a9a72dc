//! A payment returned by the bank (a bounced cheque, a failed direct debit): its
//! allocations are reversed, with the early-payment discounts they earned, and the invoices
//! they settled are open again. A payment already partly refunded cannot be returned (the
//! refund would have paid out money never received); settle that with the customer first.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::book::Book;
use crate::context::CommandContext;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{CustomerId, PaymentId};
use crate::invoice::settlement::{self, By};
use crate::ledger::{self, EntryKind};
use crate::validate;

/// Command: record that the bank returned a payment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnPayment {
    /// The payment.
    pub payment_id: PaymentId,
    /// Why, as the bank reports it.
    pub reason: String,
}

/// Event: a payment was returned; its allocations are reversed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentReturned {
    /// The payment.
    pub payment_id: PaymentId,
    /// Who paid.
    pub customer_id: CustomerId,
    /// Why.
    pub reason: String,
    /// Business date.
    pub returned_on: NaiveDate,
}

pub(crate) fn return_payment(
    book: &Book,
    cmd: &ReturnPayment,
    ctx: &CommandContext,
) -> Result<Vec<Event>, DomainError> {
    book.require_company()?;
    let payment = book.require_payment(cmd.payment_id)?;
    validate::name("reason", &cmd.reason)?;
    if payment.returned_on.is_some() {
        return Err(DomainError::PaymentAlreadyReturned {
            payment_id: payment.id,
        });
    }
    if payment.refunded > Decimal::ZERO {
        return Err(DomainError::PaymentAlreadyRefunded {
            payment_id: payment.id,
        });
    }
    // Every invoice it settled opens again: none may have been archived.
    for allocation in &payment.allocations {
        book.require_invoice(allocation.invoice_id)?;
    }
    Ok(vec![Event::PaymentReturned(PaymentReturned {
        payment_id: payment.id,
        customer_id: payment.customer_id,
        reason: cmd.reason.clone(),
        returned_on: ctx.business_date(),
    })])
}

pub(crate) fn apply_returned(book: &mut Book, e: &PaymentReturned) {
    let Some(payment) = book.payments.get(&e.payment_id).cloned() else {
        return;
    };
    for allocation in &payment.allocations {
        settlement::reverse(
            book,
            allocation.invoice_id,
            allocation.installment,
            By::Payment,
            allocation.amount,
            allocation.discount,
        );
        if let Some(invoice) = book.invoices.get(&allocation.invoice_id).cloned() {
            if !allocation.discount.is_zero() {
                let entry = ledger::Entry::of_invoice(
                    &invoice,
                    EntryKind::EarlyDiscount,
                    e.returned_on,
                    allocation.discount,
                );
                ledger::record(book, e.customer_id, entry);
            }
            let difference = allocation.amount * (payment.rate - invoice.rate);
            if !difference.is_zero() {
                let entry = ledger::Entry {
                    value: -difference,
                    ..payment.entry(EntryKind::ExchangeDifference, e.returned_on, Decimal::ZERO)
                };
                ledger::record(book, e.customer_id, entry);
            }
        }
    }
    let entry = payment.entry(EntryKind::PaymentReturned, e.returned_on, payment.amount.amount);
    ledger::record(book, e.customer_id, entry);
    if let Some(payment) = book.payments.get_mut(&e.payment_id) {
        payment.returned_on = Some(e.returned_on);
    }
}
