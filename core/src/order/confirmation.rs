//! Confirming a quotation, and the credit check that comes with it.
//!
//! Confirmation is refused while the quotation is empty, expired (revalidate it first) or
//! waiting for discount approval. Otherwise it succeeds, and the credit check decides
//! whether the order is confirmed *on credit hold*:
//!
//! - exposure = open receivable + confirmed orders not yet invoiced + this order, rounded
//!   to the currency's precision, above the credit limit that applies (the customer's own,
//!   else its group's default); or
//! - an invoice of the customer more than the company's grace days past due and still
//!   open; or
//! - the customer is blocked.
//!
//! The event records the reasons and the figures. Nothing is reserved or shipped while the
//! hold stands. The same check runs again when a confirmed order grows (a quantity raised,
//! a line added, a closed order reopened): the amendment's event then carries the hold. A credit controller who did not create the order releases it (the release
//! records the exposure at that moment, re-deciding nothing), or the order is cancelled.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::quotation::{require_active, unapproved_reasons};
use super::reservation::auto_reserve;
use super::{OPEN, SalesOrder, approval_reasons, require_quotation};
use crate::book::Book;
use crate::context::CommandContext;
use crate::customer::Customer;
use crate::error::{DomainError, Duty};
use crate::event::Event;
use crate::ids::{CustomerId, OrderId};
use crate::money::Money;
use crate::validate;

/// Command: confirm a quotation into a sales order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmOrder {
    /// The quotation to confirm.
    pub order_id: OrderId,
}

/// Command: release an order's credit hold (a credit controller who did not raise it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseCreditHold {
    /// The order on credit hold.
    pub order_id: OrderId,
    /// The credit controller's note.
    pub note: String,
}

/// Why an order went on credit hold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CreditHoldReason {
    /// Exposure including the order exceeds the credit limit.
    OverCreditLimit {
        /// Exposure including the order.
        exposure: Money,
        /// The limit that applies.
        limit: Money,
    },
    /// The customer has invoices past due beyond the grace days.
    OverdueInvoices {
        /// Their open amount.
        overdue_amount: Money,
        /// The earliest due date among them.
        oldest_due_date: NaiveDate,
    },
    /// The customer is blocked.
    CustomerBlocked {
        /// Why it is blocked.
        reason: String,
    },
}

/// A credit hold: why, decided at confirmation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditHold {
    /// Every reason that applied.
    pub reasons: Vec<CreditHoldReason>,
}

/// Event: a quotation was confirmed; the credit figures at that moment are kept, with the
/// credit hold if the check put the order on one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderConfirmed {
    /// The order's id.
    pub order_id: OrderId,
    /// Who buys.
    pub customer_id: CustomerId,
    /// Order value (sum of rounded net line amounts).
    pub amount: Money,
    /// The customer's credit exposure including this order.
    pub exposure: Money,
    /// The credit limit that applied, if any.
    pub credit_limit: Option<Money>,
    /// The credit hold, if the check decided one.
    #[serde(default)]
    pub credit_hold: Option<CreditHold>,
}

/// Event: a credit hold was released.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditHoldReleased {
    /// The order's id.
    pub order_id: OrderId,
    /// The customer's exposure at the release (the order included).
    pub exposure: Money,
    /// The credit limit that applied at the release.
    pub credit_limit: Option<Money>,
    /// Overdue amount at the release.
    pub overdue_amount: Money,
    /// The credit controller's note.
    pub note: String,
}

/// The credit figures of a customer on a date.
pub(crate) struct CreditFigures {
    exposure: Money,
    limit: Option<Money>,
    overdue: Option<(Money, NaiveDate)>,
}

fn credit_figures(
    book: &Book,
    customer: &Customer,
    added: Decimal,
    date: NaiveDate,
) -> Result<CreditFigures, DomainError> {
    let company = book.require_company()?;
    let currency = company.base_currency;
    let exposure = company
        .rounding
        .round(customer.exposure() + added, currency.decimals);
    let grace = company.settings.overdue_grace_days;
    let overdue = book.overdue(customer.id, date, grace).map(|(amount, oldest)| {
        (
            Money::new(company.rounding.round(amount, currency.decimals), currency.code),
            oldest,
        )
    });
    Ok(CreditFigures {
        exposure: Money::new(exposure, currency.code),
        limit: book.credit_limit(customer.id),
        overdue,
    })
}

/// The credit check for `added` more value of a customer's orders on `date`: the figures,
/// and the hold they call for, if any.
pub(crate) fn credit_check(
    book: &Book,
    customer: &Customer,
    added: Decimal,
    date: NaiveDate,
) -> Result<(CreditFigures, Option<CreditHold>), DomainError> {
    let figures = credit_figures(book, customer, added, date)?;
    let mut reasons = Vec::new();
    if let Some(reason) = &customer.blocked {
        reasons.push(CreditHoldReason::CustomerBlocked {
            reason: reason.clone(),
        });
    }
    if let Some(limit) = figures.limit {
        if figures.exposure.amount > limit.amount {
            reasons.push(CreditHoldReason::OverCreditLimit {
                exposure: figures.exposure,
                limit,
            });
        }
    }
    if let Some((overdue_amount, oldest_due_date)) = figures.overdue {
        reasons.push(CreditHoldReason::OverdueInvoices {
            overdue_amount,
            oldest_due_date,
        });
    }
    let hold = (!reasons.is_empty()).then_some(CreditHold { reasons });
    Ok((figures, hold))
}

/// The hold a change that adds `added` value to a confirmed order calls for: none when the
/// value does not grow or the order is on credit hold already.
pub(crate) fn recheck(
    book: &Book,
    order: &SalesOrder,
    added: Decimal,
    date: NaiveDate,
) -> Result<Option<CreditHold>, DomainError> {
    if added <= Decimal::ZERO || order.credit_hold.is_some() {
        return Ok(None);
    }
    let customer = book.require_customer(order.customer_id)?;
    Ok(credit_check(book, customer, added, date)?.1)
}

pub(crate) fn confirm(
    book: &Book,
    cmd: &ConfirmOrder,
    ctx: &CommandContext,
) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    let order = require_quotation(book, cmd.order_id)?;
    if order.lines.is_empty() {
        return Err(DomainError::EmptyOrder { order_id: order.id });
    }
    let customer = require_active(book, order.customer_id)?;
    let today = ctx.business_date();
    if let Some(valid_until) = order.valid_until {
        if today > valid_until {
            return Err(DomainError::QuotationExpired {
                order_id: order.id,
                valid_until,
            });
        }
    }
    let unapproved = unapproved_reasons(order, approval_reasons(book, order));
    if !unapproved.is_empty() {
        return Err(DomainError::ApprovalRequired {
            order_id: order.id,
            reasons: unapproved,
        });
    }
    let value: Decimal = order.lines.iter().map(|l| order.value_of(l, l.quantity)).sum();
    let (figures, credit_hold) = credit_check(book, customer, value, today)?;
    let currency = company.currency(order.currency)?;
    let amount: Decimal = order
        .lines
        .iter()
        .map(|l| {
            company
                .rounding
                .round(order.value_of(l, l.quantity), currency.decimals)
        })
        .sum();
    let mut after = order.clone();
    after.status = super::OrderStatus::Confirmed;
    after.credit_hold = credit_hold.clone();
    let mut events = vec![Event::OrderConfirmed(OrderConfirmed {
        order_id: order.id,
        customer_id: customer.id,
        amount: Money::new(amount, order.currency),
        exposure: figures.exposure,
        credit_limit: figures.limit,
        credit_hold,
    })];
    events.extend(auto_reserve(book, &after, today));
    Ok(events)
}

pub(crate) fn release_credit_hold(
    book: &Book,
    cmd: &ReleaseCreditHold,
    ctx: &CommandContext,
) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    let order: &SalesOrder = book.require_order(cmd.order_id)?;
    order.require_status(OPEN)?;
    if order.credit_hold.is_none() {
        return Err(DomainError::NotOnCreditHold { order_id: order.id });
    }
    validate::name("note", &cmd.note)?;
    if ctx.actor.id == order.created_by {
        return Err(DomainError::SegregationOfDuties {
            actor: ctx.actor.id.clone(),
            order_id: order.id,
            duty: Duty::ReleaseCreditHold,
        });
    }
    let customer = book.require_customer(order.customer_id)?;
    let figures = credit_figures(book, customer, Decimal::ZERO, ctx.business_date())?;
    let mut after = order.clone();
    after.credit_hold = None;
    let mut events = vec![Event::CreditHoldReleased(CreditHoldReleased {
        order_id: order.id,
        exposure: figures.exposure,
        credit_limit: figures.limit,
        overdue_amount: figures
            .overdue
            .map_or(Money::zero(company.base_currency.code), |(amount, _)| amount),
        note: cmd.note.clone(),
    })];
    events.extend(auto_reserve(book, &after, ctx.business_date()));
    Ok(events)
}

/// Folds the confirmation events.
pub(crate) fn apply(book: &mut Book, event: &Event) {
    match event {
        Event::OrderConfirmed(e) => {
            if let Some(order) = book.orders.get_mut(&e.order_id) {
                order.status = super::OrderStatus::Confirmed;
                order.credit_hold = e.credit_hold.clone();
            }
        }
        Event::CreditHoldReleased(e) => {
            if let Some(order) = book.orders.get_mut(&e.order_id) {
                order.credit_hold = None;
            }
        }
        _ => {}
    }
}
