//! The order backlog: what customers have ordered and are still waiting for, now or as of
//! any business date.
//!
//! ## Definition
//!
//! An order line is in the backlog while its order is **confirmed** (not a quotation, not
//! closed, not cancelled) and its open quantity (`OrderLine::open_quantity`: ordered less
//! delivered less cancelled by the backorder policy) is above zero. Its figures are:
//!
//! - the open quantity in the line's unit, and in the product's stock unit (open quantity
//!   × stock units per line unit), which is what the report's rows add up;
//! - its value: open quantity × the line's net unit price (`SalesOrder::value_of`: unit
//!   price after the line and the order discount), exact and unrounded, in the order's
//!   currency.
//!
//! Lines are grouped by customer, product, shipping warehouse, promised week (the ISO week
//! of the line's promised date; lines without one form their own group), currency and
//! whether the order is **on hold** (a credit hold or a manual hold, any of them). Held
//! orders are reported apart from the rest, since nothing of them can ship until released.
//!
//! ## How it is kept
//!
//! After every event that touches an order (its own stream, a shipment of it, an invoice or
//! credit note of it) the order's lines are read again from the book and each line's
//! figures are set in a [`Timeline`] keyed by group, order and line; a line that moved to
//! another group (a hold, a new promised date, a substitute product) leaves its old key.
//! The report now is the timeline's current figures; as of a date, the changes dated on or
//! before it. [`Backlog::recompute`] derives the same report straight from the book's
//! orders, so `backlog.report(None) == Backlog::recompute(book)` always holds.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Datelike, NaiveDate};
use o2c_core::order::{OrderStatus, SalesOrder};
use o2c_core::{Book, CurrencyCode, CustomerId, OrderId, ProductId, RecordedEvent, WarehouseId};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::{Projection, Timeline};

/// An ISO week (year and week number, Monday to Sunday) in which a line was promised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PromisedWeek {
    /// The ISO week-numbering year (may differ from the calendar year around New Year).
    pub year: i32,
    /// The week number, 1 to 53.
    pub week: u32,
}

impl PromisedWeek {
    /// The ISO week a date falls in.
    pub fn of(date: NaiveDate) -> Self {
        let week = date.iso_week();
        Self {
            year: week.year(),
            week: week.week(),
        }
    }
}

impl fmt::Display for PromisedWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-W{:02}", self.year, self.week)
    }
}

/// What backlog lines are grouped by. Ordered by customer, product, warehouse, promised
/// week (lines without a promise first), currency, then not held before held.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct BacklogGroup {
    /// Who ordered.
    pub customer_id: CustomerId,
    /// The line's product.
    pub product_id: ProductId,
    /// The warehouse that ships the line.
    pub warehouse_id: WarehouseId,
    /// The ISO week of the line's promised date; none when it has none.
    pub promised_week: Option<PromisedWeek>,
    /// The order's currency.
    pub currency: CurrencyCode,
    /// True while the order is on a credit or a manual hold.
    pub on_hold: bool,
}

/// The open figures of one order line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OpenLine {
    /// The group the line is counted in.
    pub group: BacklogGroup,
    /// Open quantity, in the line's unit.
    pub quantity: Decimal,
    /// Open quantity, in the product's stock unit.
    pub stock_quantity: Decimal,
    /// Open quantity × net unit price, exact, in the order's currency.
    pub value: Decimal,
}

/// One row of the backlog: the open lines of one group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BacklogRow {
    /// Who ordered.
    pub customer_id: CustomerId,
    /// The product.
    pub product_id: ProductId,
    /// The shipping warehouse.
    pub warehouse_id: WarehouseId,
    /// The promised ISO week; none for lines without a promised date.
    pub promised_week: Option<PromisedWeek>,
    /// The orders' currency.
    pub currency: CurrencyCode,
    /// How many order lines are open in the group.
    pub lines: u64,
    /// Open quantity, in the product's stock unit.
    pub quantity: Decimal,
    /// Open value at net unit prices, exact, in `currency`.
    pub value: Decimal,
}

/// The backlog's value in one currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BacklogTotal {
    /// The currency.
    pub currency: CurrencyCode,
    /// Open value of orders not on hold.
    pub open_value: Decimal,
    /// Open value of orders on hold.
    pub on_hold_value: Decimal,
}

/// The backlog now or as of a business date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BacklogReport {
    /// The business date the figures stood at the end of; none for now.
    pub as_of: Option<NaiveDate>,
    /// Rows of orders not on hold, in [`BacklogGroup`] order.
    pub open: Vec<BacklogRow>,
    /// Rows of orders on hold, apart, in the same order.
    pub on_hold: Vec<BacklogRow>,
    /// Totals per currency, by currency code.
    pub totals: Vec<BacklogTotal>,
}

/// One order line's place in the timeline.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct LineKey {
    group: BacklogGroup,
    order_id: OrderId,
    line: u32,
}

/// Open quantity (line unit), open quantity (stock unit), value.
type LineFigures = [Decimal; 3];

/// The order backlog projection (see the module documentation).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Backlog {
    /// Every open line's figures over business time.
    lines: Timeline<LineKey, LineFigures>,
    /// The group each open line is in now, by order and line number.
    groups: BTreeMap<OrderId, BTreeMap<u32, BacklogGroup>>,
}

impl Projection for Backlog {
    const NAME: &'static str = "backlog";

    fn apply(&mut self, event: &RecordedEvent, book: &Book) {
        let date = event.business_time.date_naive();
        for order_id in book.orders_touched(&event.payload) {
            self.refresh(order_id, date, book);
        }
    }
}

impl Backlog {
    /// Reads an order's lines again and records whatever changed in their figures.
    fn refresh(&mut self, order_id: OrderId, date: NaiveDate, book: &Book) {
        let now: BTreeMap<u32, (BacklogGroup, LineFigures)> = book
            .order(order_id)
            .map(open_lines)
            .unwrap_or_default()
            .into_iter()
            .map(|(line, group, figures)| (line, (group, figures)))
            .collect();
        let before = self.groups.remove(&order_id).unwrap_or_default();
        for (line, group) in before {
            if now.get(&line).map(|(g, _)| g) != Some(&group) {
                let key = LineKey {
                    group,
                    order_id,
                    line,
                };
                self.lines.set(date, key, LineFigures::default());
            }
        }
        let mut groups = BTreeMap::new();
        for (line, (group, figures)) in now {
            let key = LineKey {
                group: group.clone(),
                order_id,
                line,
            };
            self.lines.set(date, key, figures);
            groups.insert(line, group);
        }
        if !groups.is_empty() {
            self.groups.insert(order_id, groups);
        }
    }

    /// The backlog now (`None`) or as it stood at the end of a business date.
    pub fn report(&self, as_of: Option<NaiveDate>) -> BacklogReport {
        let figures = self.lines.at(as_of);
        build(as_of, figures.iter().map(|(key, f)| (&key.group, f)))
    }

    /// The open figures of one order line now (`None` for `as_of`) or at the end of a
    /// business date; none when the line was not open then.
    pub fn line(&self, order_id: OrderId, line: u32, as_of: Option<NaiveDate>) -> Option<OpenLine> {
        let found = match as_of {
            None => {
                let group = self.groups.get(&order_id)?.get(&line)?.clone();
                let key = LineKey {
                    group,
                    order_id,
                    line,
                };
                let figures = self.lines.get(&key);
                (key, figures)
            }
            Some(date) => self
                .lines
                .as_of(date)
                .into_iter()
                .find(|(key, _)| key.order_id == order_id && key.line == line)?,
        };
        let (key, [quantity, stock_quantity, value]) = found;
        Some(OpenLine {
            group: key.group,
            quantity,
            stock_quantity,
            value,
        })
    }

    /// The backlog now, derived directly from the book's orders: what [`Backlog::report`]
    /// with no date must equal.
    pub fn recompute(book: &Book) -> BacklogReport {
        let lines: Vec<(BacklogGroup, LineFigures)> = book
            .orders()
            .flat_map(open_lines)
            .map(|(_, group, figures)| (group, figures))
            .collect();
        build(None, lines.iter().map(|(group, figures)| (group, figures)))
    }
}

/// The open lines of an order: line number, group, figures. None unless it is confirmed.
fn open_lines(order: &SalesOrder) -> Vec<(u32, BacklogGroup, LineFigures)> {
    if order.status != OrderStatus::Confirmed {
        return Vec::new();
    }
    let on_hold = order.active_hold().is_some();
    order
        .lines
        .iter()
        .filter(|line| line.open_quantity() > Decimal::ZERO)
        .map(|line| {
            let open = line.open_quantity();
            let group = BacklogGroup {
                customer_id: order.customer_id,
                product_id: line.product_id,
                warehouse_id: line.warehouse_id,
                promised_week: line.promised_date.map(PromisedWeek::of),
                currency: order.currency,
                on_hold,
            };
            let figures = [open, line.to_stock(open), order.value_of(line, open)];
            (line.line, group, figures)
        })
        .collect()
}

/// Sums line figures into rows and currency totals.
fn build<'a>(
    as_of: Option<NaiveDate>,
    lines: impl Iterator<Item = (&'a BacklogGroup, &'a LineFigures)>,
) -> BacklogReport {
    let mut rows: BTreeMap<&BacklogGroup, (u64, Decimal, Decimal)> = BTreeMap::new();
    for (group, [_, stock_quantity, value]) in lines {
        let row = rows.entry(group).or_default();
        row.0 += 1;
        row.1 += stock_quantity;
        row.2 += value;
    }
    let mut report = BacklogReport {
        as_of,
        open: Vec::new(),
        on_hold: Vec::new(),
        totals: Vec::new(),
    };
    let mut totals: BTreeMap<CurrencyCode, (Decimal, Decimal)> = BTreeMap::new();
    for (group, (lines, quantity, value)) in rows {
        let total = totals.entry(group.currency).or_default();
        let row = BacklogRow {
            customer_id: group.customer_id,
            product_id: group.product_id,
            warehouse_id: group.warehouse_id,
            promised_week: group.promised_week,
            currency: group.currency,
            lines,
            quantity,
            value,
        };
        if group.on_hold {
            total.1 += value;
            report.on_hold.push(row);
        } else {
            total.0 += value;
            report.open.push(row);
        }
    }
    report.totals = totals
        .into_iter()
        .map(|(currency, (open_value, on_hold_value))| BacklogTotal {
            currency,
            open_value,
            on_hold_value,
        })
        .collect();
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use o2c_core::uuid::Uuid;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn promised_weeks_follow_iso_numbering() {
        assert_eq!(
            PromisedWeek::of(day(2026, 3, 2)),
            PromisedWeek { year: 2026, week: 10 }
        );
        assert_eq!(
            PromisedWeek::of(day(2026, 3, 8)),
            PromisedWeek { year: 2026, week: 10 }
        );
        assert_eq!(PromisedWeek::of(day(2026, 3, 9)).week, 11);
        // 1 January 2027 is a Friday: it belongs to the last week of 2026.
        assert_eq!(
            PromisedWeek::of(day(2027, 1, 1)),
            PromisedWeek { year: 2026, week: 53 }
        );
        assert_eq!(PromisedWeek::of(day(2026, 3, 2)).to_string(), "2026-W10");
    }

    #[test]
    fn a_backlog_survives_json_and_reads_one_line_now_and_as_of() {
        let (order_id, other) = (
            OrderId::from(Uuid::from_u128(7)),
            OrderId::from(Uuid::from_u128(8)),
        );
        let group = BacklogGroup {
            customer_id: CustomerId::from(Uuid::from_u128(1)),
            product_id: ProductId::from(Uuid::from_u128(2)),
            warehouse_id: WarehouseId::from(Uuid::from_u128(3)),
            promised_week: Some(PromisedWeek { year: 2026, week: 12 }),
            currency: CurrencyCode::new("USD")
                .unwrap_or(CurrencyCode::new("EUR").unwrap_or_else(|_| unreachable!())),
            on_hold: false,
        };
        let held = BacklogGroup {
            on_hold: true,
            ..group.clone()
        };
        let mut backlog = Backlog::default();
        let key = |group: &BacklogGroup, order_id, line| LineKey {
            group: group.clone(),
            order_id,
            line,
        };
        let (ten, hundred) = (Decimal::TEN, Decimal::ONE_HUNDRED);
        backlog
            .lines
            .set(day(2026, 3, 2), key(&group, order_id, 1), [ten, ten, hundred]);
        backlog
            .lines
            .set(day(2026, 3, 2), key(&group, other, 1), [ten, ten, hundred]);
        // On 5 March the first order goes on hold: it leaves its group for the held one.
        backlog
            .lines
            .set(day(2026, 3, 5), key(&group, order_id, 1), [Decimal::ZERO; 3]);
        backlog
            .lines
            .set(day(2026, 3, 5), key(&held, order_id, 1), [ten, ten, hundred]);
        backlog
            .groups
            .insert(order_id, BTreeMap::from([(1, held.clone())]));
        backlog.groups.insert(other, BTreeMap::from([(1, group.clone())]));

        let json = serde_json::to_string(&backlog).unwrap();
        let back: Backlog = serde_json::from_str(&json).unwrap();
        assert_eq!(back, backlog);

        let now = back.report(None);
        assert_eq!((now.open.len(), now.on_hold.len()), (1, 1));
        assert_eq!(now.totals[0].open_value, hundred);
        assert_eq!(now.totals[0].on_hold_value, hundred);
        let before = back.report(Some(day(2026, 3, 4)));
        assert!(before.on_hold.is_empty());
        assert_eq!(
            (before.open[0].lines, before.open[0].quantity),
            (2, Decimal::from(20))
        );
        assert_eq!(back.line(order_id, 1, None).map(|l| l.group.on_hold), Some(true));
        assert_eq!(
            back.line(order_id, 1, Some(day(2026, 3, 4)))
                .map(|l| l.group.on_hold),
            Some(false)
        );
        assert_eq!(back.line(order_id, 1, Some(day(2026, 3, 1))), None);
        assert_eq!(back.line(order_id, 2, None), None);
    }
}
