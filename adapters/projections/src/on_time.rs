//! On-time shipment: the share of order lines fully shipped on or before the date promised
//! to the customer, and how late the others were, over a period, overall, by customer and
//! by product.
//!
//! ## Definitions
//!
//! - A line becomes **fully shipped** on the business date of the event after which its
//!   open quantity (`OrderLine::open_quantity`: ordered less delivered less cancelled) is
//!   zero while something of it was delivered. That event is normally the shipment that
//!   carried its last units, or the one whose backorder policy cancelled the rest; it can
//!   also be a change that cut the line's quantity down to what had already shipped.
//!   A line is counted once, at the first time it became fully shipped, in the period
//!   that contains that date; raising its quantity afterwards does not count it again.
//!   Lines of orders closed or cancelled with something still open never become fully
//!   shipped and are not counted (the fill rate shows what they lacked).
//! - The **promised date** is the line's promised date as it stands when it becomes fully
//!   shipped (a date moved before then counts as moved).
//! - **Days late** = shipped date − promised date, in whole days, zero when on time. A line
//!   is **on time** when it has none.
//! - Lines **without a promised date** are counted apart (`without_promise`): they are in
//!   neither the rate nor the average.
//! - **On-time rate** = lines on time / lines with a promised date, a ratio rounded to 4
//!   decimals half away from zero; **average days late** = total days late / lines with a
//!   promised date (on-time lines count as 0), rounded to 2 decimals half away from zero.
//!   Both are `None` when no line with a promised date was counted.
//!
//! A period `from..=to` includes both dates; since a counted line never changes, the
//! figures as of a date are those of a period ending on it.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use o2c_core::{Book, CustomerId, Event, OrderId, ProductId, RecordedEvent};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::Projection;
use crate::cycle_times::round_days;
use crate::fill_rate::ratio;
use crate::sum_rows::{self, SumRow};

/// On-time figures of a set of fully shipped lines.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OnTimeFigures {
    /// Lines with a promised date.
    pub lines: u64,
    /// Of those, shipped on or before their promised date.
    pub on_time: u64,
    /// Of those, shipped after it.
    pub late: u64,
    /// `on_time / lines`, 4 decimals; none without lines.
    pub on_time_rate: Option<Decimal>,
    /// Days late summed over `lines` (on-time lines count 0).
    pub days_late: u64,
    /// `days_late / lines`, 2 decimals; none without lines.
    pub average_days_late: Option<Decimal>,
    /// Fully shipped lines without a promised date, counted apart.
    pub without_promise: u64,
}

/// One customer's on-time figures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CustomerOnTime {
    /// The customer.
    pub customer_id: CustomerId,
    /// Its figures.
    pub figures: OnTimeFigures,
}

/// One product's on-time figures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProductOnTime {
    /// The product.
    pub product_id: ProductId,
    /// Its figures.
    pub figures: OnTimeFigures,
}

/// On-time shipment of the lines fully shipped in a period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OnTimeReport {
    /// First day of the period.
    pub from: NaiveDate,
    /// Last day of the period (included).
    pub to: NaiveDate,
    /// Every line.
    pub overall: OnTimeFigures,
    /// Per customer, by customer id.
    pub by_customer: Vec<CustomerOnTime>,
    /// Per product, by product id.
    pub by_product: Vec<ProductOnTime>,
}

/// Lines as they were when they became fully shipped: how many of one customer and
/// product became so on one date with one promised date (the stored row).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct ShippedLine {
    customer_id: CustomerId,
    product_id: ProductId,
    /// Business date it became fully shipped.
    shipped_on: NaiveDate,
    /// Its promised date then.
    promised: Option<NaiveDate>,
    /// Stored lists of older builds have one row per line and no count.
    #[serde(default = "sum_rows::one")]
    count: u64,
}

/// What shipped lines are counted by: the date first, for a period's range.
type LineKey = (NaiveDate, CustomerId, ProductId, Option<NaiveDate>);

impl SumRow for ShippedLine {
    type Key = LineKey;
    type Sum = u64;
    fn split(self) -> (LineKey, u64) {
        (
            (self.shipped_on, self.customer_id, self.product_id, self.promised),
            self.count,
        )
    }
    fn join(&(shipped_on, customer_id, product_id, promised): &LineKey, count: &u64) -> Self {
        Self {
            customer_id,
            product_id,
            shipped_on,
            promised,
            count: *count,
        }
    }
    fn add(sum: &mut u64, more: u64) {
        *sum += more;
    }
}

impl ShippedLine {
    /// Days after the promised date (0 when on time); none without a promise.
    fn days_late(&self) -> Option<u64> {
        let promised = self.promised?;
        let late = (self.shipped_on - promised).num_days().max(0);
        Some(u64::try_from(late).unwrap_or(0))
    }
}

/// The on-time projection (see the module documentation).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OnTime {
    /// Lines already counted, by order and line number.
    counted: BTreeSet<(OrderId, u32)>,
    /// The counted lines, by the date they became fully shipped, customer, product and
    /// promised date.
    #[serde(
        serialize_with = "sum_rows::serialize::<ShippedLine, _>",
        deserialize_with = "sum_rows::deserialize::<ShippedLine, _>"
    )]
    lines: BTreeMap<LineKey, u64>,
}

impl Projection for OnTime {
    const NAME: &'static str = "on_time";

    fn apply(&mut self, event: &RecordedEvent, book: &Book) {
        if let Event::OrderArchived(e) = &event.payload {
            // Nothing more can ship on an archived order: its lines need not be remembered.
            let lines: Vec<_> = self
                .counted
                .range((e.order_id, 0)..=(e.order_id, u32::MAX))
                .copied()
                .collect();
            for line in lines {
                self.counted.remove(&line);
            }
            return;
        }
        let date = event.business_time.date_naive();
        for order_id in book.orders_touched(&event.payload) {
            let Some(order) = book.order(order_id) else {
                continue;
            };
            for line in &order.lines {
                let done = line.delivered > Decimal::ZERO && line.open_quantity() <= Decimal::ZERO;
                if done && self.counted.insert((order_id, line.line)) {
                    let key = (date, order.customer_id, line.product_id, line.promised_date);
                    sum_rows::add::<ShippedLine>(&mut self.lines, key, 1);
                }
            }
        }
    }
}

impl OnTime {
    /// On-time figures of the lines that became fully shipped in `from..=to`.
    pub fn report(&self, from: NaiveDate, to: NaiveDate) -> OnTimeReport {
        let mut overall = Tally::default();
        let mut by_customer: BTreeMap<CustomerId, Tally> = BTreeMap::new();
        let mut by_product: BTreeMap<ProductId, Tally> = BTreeMap::new();
        let period = self
            .lines
            .iter()
            .skip_while(|((date, ..), _)| *date < from)
            .take_while(|((date, ..), _)| *date <= to);
        for (key, &count) in period {
            let line = ShippedLine::join(key, &count);
            overall.add(&line);
            by_customer.entry(line.customer_id).or_default().add(&line);
            by_product.entry(line.product_id).or_default().add(&line);
        }
        OnTimeReport {
            from,
            to,
            overall: overall.figures(),
            by_customer: by_customer
                .into_iter()
                .map(|(customer_id, tally)| CustomerOnTime {
                    customer_id,
                    figures: tally.figures(),
                })
                .collect(),
            by_product: by_product
                .into_iter()
                .map(|(product_id, tally)| ProductOnTime {
                    product_id,
                    figures: tally.figures(),
                })
                .collect(),
        }
    }
}

/// Counts before the rates are taken.
#[derive(Default)]
struct Tally {
    lines: u64,
    on_time: u64,
    days_late: u64,
    without_promise: u64,
}

impl Tally {
    fn add(&mut self, line: &ShippedLine) {
        match line.days_late() {
            Some(days) => {
                self.lines += line.count;
                self.on_time += if days == 0 { line.count } else { 0 };
                self.days_late += days * line.count;
            }
            None => self.without_promise += line.count,
        }
    }

    fn figures(&self) -> OnTimeFigures {
        let lines = Decimal::from(self.lines);
        OnTimeFigures {
            lines: self.lines,
            on_time: self.on_time,
            late: self.lines - self.on_time,
            on_time_rate: ratio(Decimal::from(self.on_time), lines),
            days_late: self.days_late,
            average_days_late: (self.lines > 0)
                .then(|| Decimal::from(self.days_late).checked_div(lines).map(round_days))
                .flatten(),
            without_promise: self.without_promise,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use o2c_core::uuid::Uuid;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    fn shipped(on: u32, promised: Option<u32>) -> (LineKey, u64) {
        let customer_id = CustomerId::from(Uuid::from_u128(1));
        let product_id = ProductId::from(Uuid::from_u128(2));
        ((day(on), customer_id, product_id, promised.map(day)), 1)
    }

    #[test]
    fn early_lines_are_on_time_with_zero_days_and_lines_without_promise_stand_apart() {
        let on_time = OnTime {
            counted: BTreeSet::new(),
            lines: BTreeMap::from([
                shipped(10, Some(12)),
                shipped(10, Some(10)),
                shipped(11, Some(8)),
                shipped(11, None),
                shipped(20, Some(1)),
            ]),
        };
        let report = on_time.report(day(10), day(11));
        let figures = &report.overall;
        assert_eq!((figures.lines, figures.on_time, figures.late), (3, 2, 1));
        assert_eq!(figures.on_time_rate, Some("0.6667".parse().unwrap()));
        assert_eq!(
            (figures.days_late, figures.average_days_late),
            (3, Some(Decimal::ONE))
        );
        assert_eq!(figures.without_promise, 1);
        assert_eq!(report.by_customer.len(), 1);
        assert_eq!(on_time.report(day(12), day(19)).overall, OnTimeFigures::default());
    }
}
