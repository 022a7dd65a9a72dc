//! Collections: dunning. The company configures levels by days overdue (by default a
//! reminder at 7 days, a second reminder at 21, a final notice at 45). The embedding
//! service runs dunning "as of" a date on a schedule; for every customer with overdue
//! installments, the level reached is the highest whose days the most overdue installment
//! has passed, and a notice is issued when that level is above the customer's current
//! one, listing every overdue installment. A customer's level only rises: it starts over
//! when the customer pays (a payment allocation), never by itself.
//!
//! **Disputes.** An amount a pricing dispute (an unresolved claim) holds on an invoice is
//! not dunned: the hold, at most what is open, is taken off the invoice's open
//! installments latest due first, and only the rest of each installment counts as
//! overdue. An invoice whose overdue part the hold covers is not dunned at all; once the
//! claim is resolved the whole open amount is dunnable again. The receivable, the aging
//! and the credit check's overdue figure still count the held amount.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::book::Book;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{CustomerId, InvoiceId};
use crate::money::Money;

/// Command: issue the dunning notices due as of a date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunDunning {
    /// The date overdue days are counted to.
    pub as_of: NaiveDate,
}

/// One overdue installment on a notice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdueInstallment {
    /// The invoice.
    pub invoice_id: InvoiceId,
    /// Its number.
    pub number: String,
    /// The installment.
    pub installment: u32,
    /// Its due date.
    pub due_date: NaiveDate,
    /// What is open on it.
    pub open: Money,
    /// Days past due on the run's date.
    pub days_overdue: u32,
}

/// Event: a dunning notice was issued to a customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DunningNoticeIssued {
    /// The customer.
    pub customer_id: CustomerId,
    /// The level reached (0 is the first configured level).
    pub level: u32,
    /// Its name.
    pub level_name: String,
    /// The run's date.
    pub as_of: NaiveDate,
    /// Every overdue installment of the customer.
    pub installments: Vec<OverdueInstallment>,
}

/// A customer's overdue installments as of a date, most overdue first, each with what is
/// open on it less the part a pricing dispute holds (an installment wholly on hold is not
/// listed; see [`crate::invoice::Invoice::on_hold`]).
pub fn overdue_installments(book: &Book, customer: CustomerId, as_of: NaiveDate) -> Vec<OverdueInstallment> {
    let mut out: Vec<OverdueInstallment> = book
        .open_invoices_of(customer)
        .flat_map(|invoice| {
            let held = invoice.on_hold();
            invoice.installments.iter().zip(held).enumerate().filter_map(
                move |(index, (installment, held))| {
                    let days = (as_of - installment.due_date).num_days();
                    let open = installment.open() - held;
                    (open > Decimal::ZERO && days > 0).then(|| OverdueInstallment {
                        invoice_id: invoice.id,
                        number: invoice.number.clone().unwrap_or_default(),
                        installment: u32::try_from(index).unwrap_or(u32::MAX),
                        due_date: installment.due_date,
                        open: Money::new(open, invoice.currency),
                        days_overdue: u32::try_from(days).unwrap_or(u32::MAX),
                    })
                },
            )
        })
        .collect();
    out.sort_by(|a, b| (a.due_date, &a.number, a.installment).cmp(&(b.due_date, &b.number, b.installment)));
    out
}

pub(crate) fn run(book: &Book, cmd: &RunDunning) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    let levels = &company.settings.dunning_levels;
    let mut events = Vec::new();
    for customer in book.customers() {
        let installments = overdue_installments(book, customer.id, cmd.as_of);
        let Some(most) = installments.iter().map(|i| i.days_overdue).max() else {
            continue;
        };
        let Some(level) = levels.iter().rposition(|l| most >= l.days_overdue) else {
            continue;
        };
        let level = u32::try_from(level).unwrap_or(u32::MAX);
        if customer.dunning_level.is_some_and(|current| current >= level) {
            continue;
        }
        events.push(Event::DunningNoticeIssued(DunningNoticeIssued {
            customer_id: customer.id,
            level,
            level_name: levels[level as usize].name.clone(),
            as_of: cmd.as_of,
            installments,
        }));
    }
    if events.is_empty() {
        return Err(DomainError::NoDunningDue { as_of: cmd.as_of });
    }
    Ok(events)
}

pub(crate) fn apply_issued(book: &mut Book, e: &DunningNoticeIssued) {
    if let Some(customer) = book.customers.get_mut(&e.customer_id) {
        customer.dunning_level = Some(e.level);
    }
}
