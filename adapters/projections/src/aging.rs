//! Receivables aging: what each customer owes on posted invoices, by how long it is past
//! its due date, now or as of any business date.
//!
//! The unit is the **installment**: an invoice split by its payment term ages each part by
//! its own due date, so one invoice may sit in two buckets. Each installment's open amount
//! (its amount less what settled it: payments, discounts, credit, write-offs) is read from
//! the book after every event that can change it and valued in the company currency at the
//! invoice's rate, exactly (unrounded), which is how the book keeps the customer's
//! receivable. Hence, per customer, the aging total equals `Customer::receivable` now, and
//! the receivable as of a date is the aging total as of that date.
//!
//! The events that change an installment's open amount are the posting of its invoice,
//! payment allocations, credit notes (their part offsetting the invoice), credit applied
//! from other credit notes, write-offs and returned payments (which reopen every invoice
//! the payment settled).
//!
//! A query ages the figures on one date: an installment is *not due* on or before its due
//! date, then `days past due` = date − due date falls in the first past-due bucket whose
//! upper limit it does not exceed, or in the last, open-ended one ([`Buckets`]).

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use o2c_core::invoice::{Invoice, InvoiceStatus};
use o2c_core::{Book, CustomerId, Event, InvoiceId, RecordedEvent};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::{Projection, Timeline};

/// The aging buckets: "not due", then one bucket per upper limit of days past due, then
/// one open-ended bucket beyond the last limit. The default limits are 30, 60 and 90:
/// not due, 1-30, 31-60, 61-90, over 90 days past due.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Buckets {
    limits: Vec<u32>,
}

impl Default for Buckets {
    fn default() -> Self {
        Self {
            limits: vec![30, 60, 90],
        }
    }
}

impl Buckets {
    /// Buckets with these upper limits of days past due (`[30, 60, 90]`: 1-30, 31-60,
    /// 61-90, over 90). `None` unless every limit is above zero and above the one before;
    /// no limits at all gives "not due" and "past due".
    pub fn new(limits: Vec<u32>) -> Option<Self> {
        let increasing = limits.windows(2).all(|pair| pair[0] < pair[1]);
        let positive = limits.first().is_none_or(|first| *first > 0);
        (increasing && positive).then_some(Self { limits })
    }

    /// The upper limits, in days past due.
    pub fn limits(&self) -> &[u32] {
        &self.limits
    }

    /// Every bucket, in order: the columns of a report.
    pub fn columns(&self) -> Vec<AgingBucket> {
        let mut columns = vec![AgingBucket::NotDue];
        let mut from = 1;
        for limit in &self.limits {
            columns.push(AgingBucket::PastDue {
                from_days: from,
                to_days: *limit,
            });
            from = limit.saturating_add(1);
        }
        columns.push(AgingBucket::Over {
            days: self.limits.last().copied().unwrap_or(0),
        });
        columns
    }

    /// The index (in [`Buckets::columns`]) of the bucket for an installment due on `due`,
    /// aged on `on`.
    pub fn index_of(&self, due: NaiveDate, on: NaiveDate) -> usize {
        let days = (on - due).num_days();
        if days <= 0 {
            return 0;
        }
        self.limits
            .iter()
            .position(|limit| days <= i64::from(*limit))
            .map_or(self.limits.len() + 1, |i| i + 1)
    }
}

/// One aging bucket.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AgingBucket {
    /// On or before the due date.
    NotDue,
    /// Between two numbers of days past due, both included.
    PastDue {
        /// First day past due in the bucket.
        from_days: u32,
        /// Last day past due in the bucket.
        to_days: u32,
    },
    /// More than this many days past due.
    Over {
        /// The last limit.
        days: u32,
    },
}

impl fmt::Display for AgingBucket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AgingBucket::NotDue => write!(f, "not due"),
            AgingBucket::PastDue { from_days, to_days } => write!(f, "{from_days}-{to_days}"),
            AgingBucket::Over { days } => write!(f, "over {days}"),
        }
    }
}

/// One customer's line of an aging report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AgingRow {
    /// The customer.
    pub customer_id: CustomerId,
    /// Open amount per bucket, in the order of [`AgingReport::buckets`] (company currency,
    /// exact).
    pub amounts: Vec<Decimal>,
    /// Everything the customer has open: its receivable.
    pub total: Decimal,
}

/// An aging report: open amounts per customer and bucket on one date.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AgingReport {
    /// The date the installments are aged on.
    pub as_of: NaiveDate,
    /// The columns.
    pub buckets: Vec<AgingBucket>,
    /// One row per customer with something open, by customer id.
    pub rows: Vec<AgingRow>,
    /// Per bucket, every customer's amount.
    pub totals: Vec<Decimal>,
    /// Everything open: the company's receivable.
    pub total: Decimal,
}

impl AgingReport {
    /// The row of a customer, if it has something open.
    pub fn row(&self, customer: CustomerId) -> Option<&AgingRow> {
        self.rows.iter().find(|r| r.customer_id == customer)
    }

    /// Ages `items` (installments with their due date and open value) on `as_of`.
    fn build(
        as_of: NaiveDate,
        buckets: &Buckets,
        items: impl IntoIterator<Item = (CustomerId, NaiveDate, Decimal)>,
    ) -> Self {
        let columns = buckets.columns();
        let mut rows: BTreeMap<CustomerId, Vec<Decimal>> = BTreeMap::new();
        for (customer_id, due, value) in items {
            if value.is_zero() {
                continue;
            }
            let amounts = rows
                .entry(customer_id)
                .or_insert_with(|| vec![Decimal::ZERO; columns.len()]);
            if let Some(amount) = amounts.get_mut(buckets.index_of(due, as_of)) {
                *amount += value;
            }
        }
        let mut totals = vec![Decimal::ZERO; columns.len()];
        let rows: Vec<AgingRow> = rows
            .into_iter()
            .map(|(customer_id, amounts)| {
                for (total, amount) in totals.iter_mut().zip(&amounts) {
                    *total += amount;
                }
                AgingRow {
                    customer_id,
                    total: amounts.iter().sum(),
                    amounts,
                }
            })
            .collect();
        Self {
            as_of,
            buckets: columns,
            total: totals.iter().sum(),
            totals,
            rows,
        }
    }
}

/// One installment of a posted invoice, as the aging keys it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AgingKey {
    /// Who owes it.
    pub customer_id: CustomerId,
    /// The invoice.
    pub invoice_id: InvoiceId,
    /// The installment's index on the invoice.
    pub installment: u32,
    /// Its due date.
    pub due_date: NaiveDate,
}

/// The aging projection: every installment's open amount in the company currency, dated.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Aging {
    open: Timeline<AgingKey, Decimal>,
}

impl Aging {
    /// The aging as of the end of `as_of`: what was open that day, aged on that day.
    pub fn report(&self, as_of: NaiveDate, buckets: &Buckets) -> AgingReport {
        AgingReport::build(as_of, buckets, Self::items(&self.open.as_of(as_of)))
    }

    /// What is open now (every event folded, whatever its date), aged on `on`.
    pub fn current(&self, on: NaiveDate, buckets: &Buckets) -> AgingReport {
        AgingReport::build(on, buckets, Self::items(self.open.now()))
    }

    /// The aging of what the book has open now, aged on `on`, computed from its invoices
    /// alone: equal to [`Aging::current`] of a projection folded over the same log, and to
    /// [`Aging::report`] on `on` when no event is dated after it.
    pub fn recompute(book: &Book, on: NaiveDate, buckets: &Buckets) -> AgingReport {
        let items = book.invoices().flat_map(|invoice| {
            open_values(invoice)
                .into_iter()
                .map(|(key, value)| (key.customer_id, key.due_date, value))
        });
        AgingReport::build(on, buckets, items)
    }

    /// A customer's open receivable as of the end of `date` (company currency, exact).
    pub fn receivable_as_of(&self, customer: CustomerId, date: NaiveDate) -> Decimal {
        self.receivables(Some(date))
            .get(&customer)
            .copied()
            .unwrap_or_default()
    }

    /// A customer's open receivable now.
    pub fn receivable(&self, customer: CustomerId) -> Decimal {
        self.open
            .now()
            .iter()
            .filter(|(key, _)| key.customer_id == customer)
            .map(|(_, value)| *value)
            .sum()
    }

    /// Every customer's open receivable now, or as of the end of `date`; customers with
    /// nothing open are left out.
    pub fn receivables(&self, date: Option<NaiveDate>) -> BTreeMap<CustomerId, Decimal> {
        let mut receivables: BTreeMap<CustomerId, Decimal> = BTreeMap::new();
        for (key, value) in self.open.at(date) {
            *receivables.entry(key.customer_id).or_default() += value;
        }
        receivables.retain(|_, value| !value.is_zero());
        receivables
    }

    /// The open installments now, or as of the end of `date`, with their open value.
    pub fn open_installments(&self, date: Option<NaiveDate>) -> BTreeMap<AgingKey, Decimal> {
        self.open.at(date)
    }

    fn items(figures: &BTreeMap<AgingKey, Decimal>) -> Vec<(CustomerId, NaiveDate, Decimal)> {
        figures
            .iter()
            .map(|(key, value)| (key.customer_id, key.due_date, *value))
            .collect()
    }

    /// Records the open values of an invoice's installments as the book has them now.
    fn record(&mut self, date: NaiveDate, invoice: &Invoice) {
        for (key, value) in open_values(invoice) {
            self.open.set(date, key, value);
        }
    }
}

/// Every installment of a posted invoice with its open value in the company currency
/// (open amount × the invoice's rate, exact); nothing for drafts and cancelled drafts.
fn open_values(invoice: &Invoice) -> Vec<(AgingKey, Decimal)> {
    if invoice.status != InvoiceStatus::Posted {
        return Vec::new();
    }
    invoice
        .installments
        .iter()
        .enumerate()
        .filter_map(|(index, installment)| {
            let key = AgingKey {
                customer_id: invoice.customer_id,
                invoice_id: invoice.id,
                installment: u32::try_from(index).ok()?,
                due_date: installment.due_date,
            };
            Some((key, installment.open() * invoice.rate))
        })
        .collect()
}

/// The invoices whose open amounts an event changes.
fn invoices_settled(event: &Event, book: &Book) -> Vec<InvoiceId> {
    match event {
        Event::InvoicePosted(e) => vec![e.invoice_id],
        Event::PaymentAllocated(e) => vec![e.invoice_id],
        Event::CreditNoteIssued(e) => vec![e.invoice_id],
        Event::CreditApplied(e) => vec![e.invoice_id],
        Event::InvoiceWrittenOff(e) => vec![e.invoice_id],
        Event::PaymentReturned(e) => {
            let mut invoices: Vec<InvoiceId> = book
                .payment(e.payment_id)
                .map(|p| p.allocations.iter().map(|a| a.invoice_id).collect())
                .unwrap_or_default();
            invoices.sort();
            invoices.dedup();
            invoices
        }
        _ => Vec::new(),
    }
}

impl Projection for Aging {
    const NAME: &'static str = "aging";

    fn apply(&mut self, event: &RecordedEvent, book: &Book) {
        let date = event.business_time.date_naive();
        for invoice_id in invoices_settled(&event.payload, book) {
            if let Some(invoice) = book.invoice(invoice_id) {
                self.record(date, invoice);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default()
    }

    #[test]
    fn the_default_buckets_are_not_due_then_thirty_sixty_ninety_and_over() {
        let buckets = Buckets::default();
        let labels: Vec<String> = buckets.columns().iter().map(ToString::to_string).collect();
        assert_eq!(labels, ["not due", "1-30", "31-60", "61-90", "over 90"]);
        let due = day(3, 1);
        assert_eq!(buckets.index_of(due, day(2, 1)), 0);
        assert_eq!(buckets.index_of(due, due), 0);
        assert_eq!(buckets.index_of(due, day(3, 2)), 1);
        assert_eq!(buckets.index_of(due, day(3, 31)), 1, "30 days past due");
        assert_eq!(buckets.index_of(due, day(4, 1)), 2, "31 days past due");
        assert_eq!(buckets.index_of(due, day(5, 30)), 3, "90 days past due");
        assert_eq!(buckets.index_of(due, day(5, 31)), 4, "91 days past due");
    }

    #[test]
    fn buckets_need_increasing_positive_limits() {
        assert_eq!(Buckets::new(vec![30, 60, 90]), Some(Buckets::default()));
        assert_eq!(Buckets::new(vec![0, 30]), None);
        assert_eq!(Buckets::new(vec![30, 30]), None);
        assert_eq!(Buckets::new(vec![60, 30]), None);
        let none = Buckets::new(vec![]).unwrap_or_default();
        assert_eq!(
            none.columns(),
            [AgingBucket::NotDue, AgingBucket::Over { days: 0 }]
        );
        assert_eq!(none.index_of(day(3, 1), day(3, 2)), 1);
    }
}
