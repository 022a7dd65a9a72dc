//! Payments received from customers and their allocation to posted invoices. A payment
//! may be allocated in parts, to several invoices; what is not allocated stays on the
//! payment as unapplied credit. An allocation never exceeds the payment's unallocated
//! amount nor the invoice's open amount, and is always in the currency of both.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::book::Book;
use crate::context::CommandContext;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{CustomerId, InvoiceId, PaymentId};
use crate::invoice::InvoiceStatus;
use crate::money::Money;
use crate::validate;

/// How the money arrived.
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

/// Command: record a payment received from a customer.
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

/// Command: allocate part or all of a payment to a posted invoice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocatePayment {
    /// The payment.
    pub payment_id: PaymentId,
    /// The invoice it settles.
    pub invoice_id: InvoiceId,
    /// How much of the payment goes to the invoice.
    pub amount: Money,
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
}

/// One allocation of a payment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Allocation {
    /// The invoice settled.
    pub invoice_id: InvoiceId,
    /// How much.
    pub amount: Decimal,
}

/// A payment's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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
    /// Allocations in the order they were made.
    pub allocations: Vec<Allocation>,
}

impl Payment {
    /// Sum of allocations.
    pub fn allocated(&self) -> Decimal {
        self.allocations.iter().map(|a| a.amount).sum()
    }

    /// Not yet allocated: the customer's unapplied credit from this payment.
    pub fn unallocated(&self) -> Money {
        Money::new(self.amount.amount - self.allocated(), self.amount.currency)
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
    Ok(vec![Event::PaymentReceived(PaymentReceived {
        payment_id: cmd.payment_id,
        customer_id: cmd.customer_id,
        amount: cmd.amount,
        method: cmd.method,
        reference: cmd.reference.clone(),
        received_on: ctx.business_date(),
    })])
}

pub(crate) fn allocate(book: &Book, cmd: &AllocatePayment) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    let payment = book.require_payment(cmd.payment_id)?;
    let invoice = book.require_invoice(cmd.invoice_id)?;
    if invoice.status != InvoiceStatus::Posted {
        return Err(DomainError::InvoiceNotPosted {
            invoice_id: invoice.id,
            status: invoice.status,
        });
    }
    if payment.customer_id != invoice.customer_id {
        return Err(DomainError::PaymentCustomerMismatch {
            payment_id: payment.id,
            payment_customer: payment.customer_id,
            invoice_id: invoice.id,
            invoice_customer: invoice.customer_id,
        });
    }
    validate::in_currency(invoice.currency, &payment.amount)?;
    validate::in_currency(invoice.currency, &cmd.amount)?;
    validate::positive_amount(company, &cmd.amount)?;
    let unallocated = payment.unallocated();
    if cmd.amount.amount > unallocated.amount {
        return Err(DomainError::AllocationExceedsUnallocated {
            payment_id: payment.id,
            requested: cmd.amount,
            unallocated,
        });
    }
    let open = invoice.open_amount();
    if cmd.amount.amount > open.amount {
        return Err(DomainError::AllocationExceedsOpenAmount {
            invoice_id: invoice.id,
            requested: cmd.amount,
            open,
        });
    }
    Ok(vec![Event::PaymentAllocated(PaymentAllocated {
        payment_id: payment.id,
        invoice_id: invoice.id,
        customer_id: invoice.customer_id,
        amount: cmd.amount,
    })])
}

pub(crate) fn apply_received(book: &mut Book, e: &PaymentReceived) {
    book.payments.insert(
        e.payment_id,
        Payment {
            id: e.payment_id,
            customer_id: e.customer_id,
            amount: e.amount,
            method: e.method,
            reference: e.reference.clone(),
            received_on: e.received_on,
            allocations: Vec::new(),
        },
    );
}

pub(crate) fn apply_allocated(book: &mut Book, e: &PaymentAllocated) {
    if let Some(payment) = book.payments.get_mut(&e.payment_id) {
        payment.allocations.push(Allocation {
            invoice_id: e.invoice_id,
            amount: e.amount.amount,
        });
    }
    if let Some(invoice) = book.invoices.get_mut(&e.invoice_id) {
        invoice.paid += e.amount.amount;
        if invoice.open_amount().amount <= Decimal::ZERO {
            if let Some(open) = book.open_invoices.get_mut(&e.customer_id) {
                open.remove(&e.invoice_id);
            }
        }
    }
    if let Some(customer) = book.customers.get_mut(&e.customer_id) {
        customer.receivable -= e.amount.amount;
    }
}
