//! Customers: who buys, on what payment term, up to which credit limit; and the running
//! account figures the credit check reads (open receivable, uninvoiced order value).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::book::Book;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::CustomerId;
use crate::money::Money;
use crate::validate;

/// Longest accepted payment term, in days.
pub const MAX_PAYMENT_TERM_DAYS: u32 = 3650;

/// Command: register a customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterCustomer {
    /// The new customer's id.
    pub customer_id: CustomerId,
    /// Legal name.
    pub name: String,
    /// Net payment term: an invoice is due this many days after its date (0 = immediately).
    pub payment_term_days: u32,
    /// Credit limit in the company currency; `None` means no limit. Zero means no credit.
    #[serde(default)]
    pub credit_limit: Option<Money>,
}

/// Event: a customer was registered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerRegistered {
    /// The customer's id.
    pub customer_id: CustomerId,
    /// Legal name.
    pub name: String,
    /// Net payment term in days.
    pub payment_term_days: u32,
    /// Credit limit in the company currency, if any.
    pub credit_limit: Option<Money>,
}

/// A customer's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Customer {
    /// The customer's id.
    pub id: CustomerId,
    /// Legal name.
    pub name: String,
    /// Net payment term in days.
    pub payment_term_days: u32,
    /// Credit limit, if any.
    pub credit_limit: Option<Money>,
    /// Posted invoices not yet paid, in the company currency.
    pub receivable: Decimal,
    /// Confirmed order quantities not yet on a posted invoice, valued at their unit prices
    /// (exact, unrounded), in the company currency.
    pub uninvoiced_orders: Decimal,
}

impl Customer {
    /// Credit exposure: open receivable plus confirmed orders not yet invoiced.
    pub fn exposure(&self) -> Decimal {
        self.receivable + self.uninvoiced_orders
    }

    pub(crate) fn from_event(e: &CustomerRegistered) -> Self {
        Self {
            id: e.customer_id,
            name: e.name.clone(),
            payment_term_days: e.payment_term_days,
            credit_limit: e.credit_limit,
            receivable: Decimal::ZERO,
            uninvoiced_orders: Decimal::ZERO,
        }
    }
}

pub(crate) fn register(book: &Book, cmd: &RegisterCustomer) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    book.require_unused(cmd.customer_id.0)?;
    validate::name("name", &cmd.name)?;
    if cmd.payment_term_days > MAX_PAYMENT_TERM_DAYS {
        return Err(DomainError::PaymentTermTooLong {
            days: cmd.payment_term_days,
            max: MAX_PAYMENT_TERM_DAYS,
        });
    }
    if let Some(limit) = &cmd.credit_limit {
        validate::in_currency(company.base_currency.code, limit)?;
        validate::non_negative_amount(company, limit)?;
    }
    Ok(vec![Event::CustomerRegistered(CustomerRegistered {
        customer_id: cmd.customer_id,
        name: cmd.name.clone(),
        payment_term_days: cmd.payment_term_days,
        credit_limit: cmd.credit_limit,
    })])
}
