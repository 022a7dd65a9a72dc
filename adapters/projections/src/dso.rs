//! Days sales outstanding (DSO): how many days of credit sales the receivable represents,
//! over a period, for the company and per customer.
//!
//! For a period from `from` to `to`, both included:
//!
//! - **credit sales** = the company-currency value of the invoices posted in the period
//!   (their totals, down payments included, final invoices net of the down payments they
//!   deduct) less the value of the credit notes issued in it, each as the customer account
//!   books it (amount × the document's rate, exact);
//! - **receivable** = what is open on posted invoices at the end of `to`, from the
//!   [`Aging`] projection (the same figure as `Customer::receivable` on that date);
//! - **days** = the number of days in the period;
//! - **DSO** = receivable ÷ credit sales × days, rounded to 2 decimals (half away from
//!   zero); none when the period has no credit sales (zero or less: nothing to measure
//!   against) or is empty (`to` before `from`).
//!
//! The projection keeps, per customer, its credit sales to date as dated changes, so the
//! sales of any period are the figure at the end of `to` less the figure at the end of the
//! day before `from`.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use o2c_core::ledger::EntryKind;
use o2c_core::uuid::Uuid;
use o2c_core::{Book, CustomerId, Event, RecordedEvent};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::{Aging, Projection, Timeline};

/// DSO figures of one customer over a period.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DsoRow {
    /// The customer.
    pub customer_id: CustomerId,
    /// Its open receivable at the end of the period (company currency, exact).
    pub receivable: Decimal,
    /// Its credit sales in the period (company currency, exact).
    pub credit_sales: Decimal,
    /// Its DSO in days; none without credit sales in the period.
    pub dso: Option<Decimal>,
}

/// DSO over a period: the company's and every customer's.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DsoReport {
    /// First day of the period.
    pub from: NaiveDate,
    /// Last day of the period.
    pub to: NaiveDate,
    /// Days in the period (both ends included; zero when `to` is before `from`).
    pub days: u32,
    /// Every customer's open receivable at the end of the period.
    pub receivable: Decimal,
    /// Every customer's credit sales in the period.
    pub credit_sales: Decimal,
    /// The company's DSO in days; none without credit sales in the period.
    pub dso: Option<Decimal>,
    /// Customers with credit sales in the period or a receivable at its end, by id.
    pub customers: Vec<DsoRow>,
}

/// The DSO projection: every customer's credit sales to date, dated.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Dso {
    sales: Timeline<CustomerId, Decimal>,
}

impl Dso {
    /// DSO from `from` to `to` (both included), with the receivable at the end of `to` read
    /// from `aging` (folded over the same log).
    pub fn report(&self, aging: &Aging, from: NaiveDate, to: NaiveDate) -> DsoReport {
        let days = period_days(from, to);
        let sales = self.sales_between(from, to);
        let receivables = aging.receivables(Some(to));
        let customers: BTreeSet<CustomerId> = sales.keys().chain(receivables.keys()).copied().collect();
        let rows: Vec<DsoRow> = customers
            .into_iter()
            .map(|customer_id| {
                let receivable = receivables.get(&customer_id).copied().unwrap_or_default();
                let credit_sales = sales.get(&customer_id).copied().unwrap_or_default();
                DsoRow {
                    customer_id,
                    receivable,
                    credit_sales,
                    dso: dso(receivable, credit_sales, days),
                }
            })
            .collect();
        let receivable: Decimal = rows.iter().map(|r| r.receivable).sum();
        let credit_sales: Decimal = rows.iter().map(|r| r.credit_sales).sum();
        DsoReport {
            from,
            to,
            days,
            receivable,
            credit_sales,
            dso: dso(receivable, credit_sales, days),
            customers: rows,
        }
    }

    /// A customer's credit sales from `from` to `to`, both included (company currency).
    pub fn credit_sales(&self, customer: CustomerId, from: NaiveDate, to: NaiveDate) -> Decimal {
        self.sales_between(from, to)
            .get(&customer)
            .copied()
            .unwrap_or_default()
    }

    /// Every customer's credit sales in the period; customers without any left out.
    fn sales_between(&self, from: NaiveDate, to: NaiveDate) -> BTreeMap<CustomerId, Decimal> {
        if to < from {
            return BTreeMap::new();
        }
        let mut sales = self.sales.as_of(to);
        if let Some(before) = from.pred_opt() {
            for (customer, earlier) in self.sales.as_of(before) {
                *sales.entry(customer).or_default() -= earlier;
            }
        }
        sales.retain(|_, value| !value.is_zero());
        sales
    }

    /// Adds a document's value, as the customer account booked it, to the customer's sales.
    fn add(&mut self, date: NaiveDate, book: &Book, customer: CustomerId, kind: EntryKind, document: Uuid) {
        let booked = book
            .ledger(customer)
            .iter()
            .rev()
            .find(|entry| entry.kind == kind && entry.document == document);
        if let Some(entry) = booked {
            let total = self.sales.get(&customer) + entry.value;
            self.sales.set(date, customer, total);
        }
    }
}

/// Days from `from` to `to`, both included; zero when `to` is before `from`.
fn period_days(from: NaiveDate, to: NaiveDate) -> u32 {
    u32::try_from((to - from).num_days() + 1).unwrap_or(0)
}

/// receivable ÷ sales × days, to 2 decimals; none without sales or days (or beyond what a
/// decimal holds).
fn dso(receivable: Decimal, sales: Decimal, days: u32) -> Option<Decimal> {
    if sales <= Decimal::ZERO || days == 0 {
        return None;
    }
    receivable
        .checked_mul(Decimal::from(days))?
        .checked_div(sales)
        .map(|days| days.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
}

impl Projection for Dso {
    const NAME: &'static str = "dso";

    fn apply(&mut self, event: &RecordedEvent, book: &Book) {
        let date = event.business_time.date_naive();
        match &event.payload {
            Event::InvoicePosted(e) => {
                if let Some(invoice) = book.invoice(e.invoice_id) {
                    self.add(
                        date,
                        book,
                        invoice.customer_id,
                        EntryKind::Invoice,
                        e.invoice_id.0,
                    );
                }
            }
            Event::CreditNoteIssued(e) => {
                self.add(
                    date,
                    book,
                    e.customer_id,
                    EntryKind::CreditNote,
                    e.credit_note_id.0,
                );
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dso_is_receivable_over_sales_times_days_to_two_decimals() {
        assert_eq!(
            dso(Decimal::new(500, 0), Decimal::new(1500, 0), 31),
            Some(Decimal::new(1033, 2))
        );
        assert_eq!(dso(Decimal::ONE, Decimal::ZERO, 31), None);
        assert_eq!(dso(Decimal::ONE, Decimal::NEGATIVE_ONE, 31), None);
        assert_eq!(dso(Decimal::ONE, Decimal::ONE, 0), None);
    }

    #[test]
    fn a_period_counts_both_ends() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap_or_default();
        assert_eq!(period_days(day(1), day(31)), 31);
        assert_eq!(period_days(day(5), day(5)), 1);
        assert_eq!(period_days(day(5), day(4)), 0);
    }
}
