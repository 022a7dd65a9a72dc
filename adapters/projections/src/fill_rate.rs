//! Fill rates: how much of what customers ordered left in the order's **first** shipment,
//! over a period, overall, by customer and by product.
//!
//! ## Definitions
//!
//! An order is counted once, at its first shipment (the first `ShipmentDispatched` of the
//! order in the log), in the period that contains that shipment's business date. What
//! happens to the order afterwards (backorders shipped later, lines added or changed,
//! returns) does not change its figures.
//!
//! - **Ordered** is each line's quantity as it stands right after the first shipment was
//!   folded: changes made before the first shipment count (a line cut from 10 to 8 before
//!   shipping was ordered as 8), and a rest the backorder policy cancelled at the first
//!   shipment still counts as ordered and not shipped. Every line the order has at that
//!   moment counts, including lines with nothing in the first shipment (0 shipped, not
//!   complete) and lines of another warehouse that this shipment could not carry. Lines
//!   with an ordered quantity of zero are not counted. Orders cancelled before they
//!   shipped anything never have a first shipment and are not counted.
//! - Quantities are in the product's **stock unit** (line quantity × stock units per line
//!   unit), so lines of one product in different units add up.
//! - **Unit fill rate** = units in the first shipment / units ordered.
//! - **Line fill rate** = lines whose first-shipment quantity covers their ordered quantity
//!   / lines.
//! - **Order fill rate** = orders whose every counted line is complete / orders.
//! - **By customer**: the figures of that customer's orders. **By product**: the units and
//!   lines of that product; an order counts for each product it carries, and is complete
//!   for that product when every line of the product in it is complete.
//!
//! Rates are ratios (0.875, not 87.5 %) rounded to 4 decimals half away from zero, and
//! `None` when nothing was counted. A period `from..=to` includes both dates; the figures
//! "as of" a date are those of a period ending on it, since a first shipment never changes.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use o2c_core::{Book, CustomerId, Event, OrderId, ProductId, RecordedEvent};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::Projection;
use crate::sum_rows::{self, SumRow};

/// Fill rates of a set of orders (see the module documentation for the definitions).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FillRates {
    /// Units ordered (stock units).
    pub units_ordered: Decimal,
    /// Units in the orders' first shipments (stock units).
    pub units_first_shipment: Decimal,
    /// `units_first_shipment / units_ordered`, 4 decimals; none when nothing was ordered.
    pub unit_rate: Option<Decimal>,
    /// Order lines counted.
    pub lines: u64,
    /// Lines shipped complete in the first shipment.
    pub lines_complete: u64,
    /// `lines_complete / lines`, 4 decimals; none without lines.
    pub line_rate: Option<Decimal>,
    /// Orders counted.
    pub orders: u64,
    /// Orders shipped complete in the first shipment.
    pub orders_complete: u64,
    /// `orders_complete / orders`, 4 decimals; none without orders.
    pub order_rate: Option<Decimal>,
}

/// One customer's fill rates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CustomerFillRates {
    /// The customer.
    pub customer_id: CustomerId,
    /// Its fill rates.
    pub rates: FillRates,
}

/// One product's fill rates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProductFillRates {
    /// The product.
    pub product_id: ProductId,
    /// Its fill rates.
    pub rates: FillRates,
}

/// Fill rates of the orders first shipped in a period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FillRateReport {
    /// First day of the period.
    pub from: NaiveDate,
    /// Last day of the period (included).
    pub to: NaiveDate,
    /// Every order.
    pub overall: FillRates,
    /// Per customer, by customer id.
    pub by_customer: Vec<CustomerFillRates>,
    /// Per product, by product id.
    pub by_product: Vec<ProductFillRates>,
}

/// One line of an order as its first shipment left it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct FirstLine {
    product_id: ProductId,
    /// Ordered, stock units.
    ordered: Decimal,
    /// In the first shipment, stock units.
    shipped: Decimal,
}

impl FirstLine {
    fn complete(&self) -> bool {
        self.shipped >= self.ordered
    }
}

/// Whose orders a tally counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
enum Scope {
    /// Every order.
    All,
    /// One customer's orders.
    Customer(CustomerId),
    /// The lines of one product (an order counts for each product it carries).
    Product(ProductId),
}

/// The tally of the orders first shipped on one date, for one scope: the stored row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct DayTally {
    date: NaiveDate,
    scope: Scope,
    tally: Tally,
}

impl SumRow for DayTally {
    type Key = (NaiveDate, Scope);
    type Sum = Tally;
    fn split(self) -> (Self::Key, Tally) {
        ((self.date, self.scope), self.tally)
    }
    fn join(&(date, scope): &Self::Key, tally: &Tally) -> Self {
        Self {
            date,
            scope,
            tally: tally.clone(),
        }
    }
    fn add(sum: &mut Tally, more: Tally) {
        sum.add(&more);
    }
}

/// The fill-rate projection (see the module documentation).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FillRate {
    /// Orders whose first shipment is recorded.
    shipped: BTreeSet<OrderId>,
    /// The first shipments' counts, by business date and scope (every figure of a report
    /// is a sum of these).
    #[serde(
        serialize_with = "sum_rows::serialize::<DayTally, _>",
        deserialize_with = "sum_rows::deserialize::<DayTally, _>"
    )]
    tallies: BTreeMap<(NaiveDate, Scope), Tally>,
}

impl Projection for FillRate {
    const NAME: &'static str = "fill_rate";

    fn apply(&mut self, event: &RecordedEvent, book: &Book) {
        let e = match &event.payload {
            Event::ShipmentDispatched(e) => e,
            // Nothing more can ship on an archived order: it need not be remembered.
            Event::OrderArchived(e) => {
                self.shipped.remove(&e.order_id);
                return;
            }
            _ => return,
        };
        if self.shipped.contains(&e.order_id) {
            return;
        }
        let (Some(order), Some(shipment)) = (book.order(e.order_id), book.shipment(e.shipment_id)) else {
            return;
        };
        let lines = order
            .lines
            .iter()
            .filter(|line| line.quantity > Decimal::ZERO)
            .map(|line| {
                let shipped: Decimal = shipment
                    .lines
                    .iter()
                    .filter(|s| s.line == line.line)
                    .map(|s| s.quantity)
                    .sum();
                FirstLine {
                    product_id: line.product_id,
                    ordered: line.to_stock(line.quantity),
                    shipped: line.to_stock(shipped),
                }
            })
            .collect::<Vec<_>>();
        self.shipped.insert(e.order_id);
        self.count_first(shipment.shipped_on, order.customer_id, &lines);
    }
}

impl FillRate {
    /// Counts an order's first shipment, made of `lines`, on `date`: overall, for its
    /// customer (even without lines), and for each product it carries.
    fn count_first(&mut self, date: NaiveDate, customer_id: CustomerId, lines: &[FirstLine]) {
        let mut per_product: BTreeMap<ProductId, Vec<&FirstLine>> = BTreeMap::new();
        for line in lines {
            per_product.entry(line.product_id).or_default().push(line);
        }
        let all: Vec<&FirstLine> = lines.iter().collect();
        let scopes = [(Scope::All, all.clone()), (Scope::Customer(customer_id), all)]
            .into_iter()
            .chain(
                per_product
                    .into_iter()
                    .map(|(id, lines)| (Scope::Product(id), lines)),
            );
        for (scope, lines) in scopes {
            let mut tally = Tally::default();
            tally.add_order(&lines);
            sum_rows::add::<DayTally>(&mut self.tallies, (date, scope), tally);
        }
    }

    /// Fill rates of the orders whose first shipment's business date is in `from..=to`.
    pub fn report(&self, from: NaiveDate, to: NaiveDate) -> FillRateReport {
        let mut overall = Tally::default();
        let mut by_customer: BTreeMap<CustomerId, Tally> = BTreeMap::new();
        let mut by_product: BTreeMap<ProductId, Tally> = BTreeMap::new();
        let period = self
            .tallies
            .iter()
            .skip_while(|((date, _), _)| *date < from)
            .take_while(|((date, _), _)| *date <= to);
        for ((_, scope), tally) in period {
            match scope {
                Scope::All => overall.add(tally),
                Scope::Customer(id) => by_customer.entry(*id).or_default().add(tally),
                Scope::Product(id) => by_product.entry(*id).or_default().add(tally),
            }
        }
        FillRateReport {
            from,
            to,
            overall: overall.rates(),
            by_customer: by_customer
                .into_iter()
                .map(|(customer_id, tally)| CustomerFillRates {
                    customer_id,
                    rates: tally.rates(),
                })
                .collect(),
            by_product: by_product
                .into_iter()
                .map(|(product_id, tally)| ProductFillRates {
                    product_id,
                    rates: tally.rates(),
                })
                .collect(),
        }
    }
}

/// Counts of a set of orders, before the rates are taken.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Tally {
    units_ordered: Decimal,
    units_shipped: Decimal,
    lines: u64,
    lines_complete: u64,
    orders: u64,
    orders_complete: u64,
}

impl Tally {
    /// Adds one order made of `lines` (nothing when it has none).
    fn add_order(&mut self, lines: &[&FirstLine]) {
        if lines.is_empty() {
            return;
        }
        for line in lines {
            self.units_ordered += line.ordered;
            self.units_shipped += line.shipped;
            self.lines += 1;
            self.lines_complete += u64::from(line.complete());
        }
        self.orders += 1;
        self.orders_complete += u64::from(lines.iter().all(|l| l.complete()));
    }

    fn add(&mut self, other: &Tally) {
        self.units_ordered += other.units_ordered;
        self.units_shipped += other.units_shipped;
        self.lines += other.lines;
        self.lines_complete += other.lines_complete;
        self.orders += other.orders;
        self.orders_complete += other.orders_complete;
    }

    fn rates(&self) -> FillRates {
        FillRates {
            units_ordered: self.units_ordered,
            units_first_shipment: self.units_shipped,
            unit_rate: ratio(self.units_shipped, self.units_ordered),
            lines: self.lines,
            lines_complete: self.lines_complete,
            line_rate: ratio(Decimal::from(self.lines_complete), Decimal::from(self.lines)),
            orders: self.orders,
            orders_complete: self.orders_complete,
            order_rate: ratio(Decimal::from(self.orders_complete), Decimal::from(self.orders)),
        }
    }
}

/// `part / whole` rounded to 4 decimals half away from zero; none when `whole` is zero.
pub(crate) fn ratio(part: Decimal, whole: Decimal) -> Option<Decimal> {
    if whole.is_zero() {
        return None;
    }
    part.checked_div(whole)
        .map(|r| r.round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero))
}

#[cfg(test)]
mod tests {
    use super::*;
    use o2c_core::uuid::Uuid;

    fn line(product: u128, ordered: i64, shipped: i64) -> FirstLine {
        FirstLine {
            product_id: ProductId::from(Uuid::from_u128(product)),
            ordered: Decimal::from(ordered),
            shipped: Decimal::from(shipped),
        }
    }

    #[test]
    fn ratios_round_to_four_decimals_and_nothing_counted_is_none() {
        assert_eq!(
            ratio(Decimal::ONE, Decimal::from(3)),
            Some("0.3333".parse().unwrap())
        );
        assert_eq!(
            ratio(Decimal::TWO, Decimal::from(3)),
            Some("0.6667".parse().unwrap())
        );
        assert_eq!(ratio(Decimal::ONE, Decimal::ONE), Some(Decimal::ONE));
        assert_eq!(ratio(Decimal::ZERO, Decimal::ZERO), None);
    }

    #[test]
    fn a_product_counts_an_order_complete_when_its_own_lines_are() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let mut fill = FillRate::default();
        let customer = CustomerId::from(Uuid::from_u128(20));
        fill.count_first(day, customer, &[line(1, 10, 10), line(2, 4, 1), line(1, 5, 5)]);
        let report = fill.report(day, day);
        assert_eq!(report.overall.orders_complete, 0);
        assert_eq!(
            report.overall.unit_rate,
            Some("0.8421".parse().unwrap()),
            "16 of 19"
        );
        let first = &report.by_product[0].rates;
        assert_eq!((first.lines, first.orders, first.orders_complete), (2, 1, 1));
        let second = &report.by_product[1].rates;
        assert_eq!(
            (second.lines_complete, second.order_rate),
            (0, Some(Decimal::ZERO))
        );
        let empty = fill.report(day.succ_opt().unwrap(), day.succ_opt().unwrap());
        assert_eq!(empty.overall, FillRates::default());
        assert!(empty.by_customer.is_empty());
    }
}
