//! Returns by reason, product and customer: what came back, what it was worth, and how
//! it compares with what was shipped.
//!
//! Definitions (also in `docs/projections.md`):
//!
//! - A return is counted when the goods are **received** (`ReturnReceived`), on that
//!   business date, under the reason its authorisation names. Authorised goods that never
//!   arrive are not returns.
//! - **Quantity** is in the product's stock unit (line quantity × stock units per line
//!   unit), so lines sold in different units of one product add up.
//! - **Value** is the returned quantity at the order line's net unit price (both discounts
//!   applied, exact), in the order's currency; rows are kept per currency.
//! - **Return rate** = quantity returned in the period ÷ quantity shipped in the period
//!   (`ShipmentDispatched`, stock units), per product and per customer, rounded to 4
//!   decimals; absent when nothing was shipped in the period. Goods returned in a period
//!   may have been shipped in an earlier one, so a rate can exceed 1 over a short period.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use o2c_core::{Book, CurrencyCode, CustomerId, Event, ProductId, RecordedEvent};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::Projection;
use crate::sum_rows::{self, SumRow};

/// One received return line, as counted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Returned {
    date: NaiveDate,
    reason: String,
    customer_id: CustomerId,
    product_id: ProductId,
    currency: CurrencyCode,
    quantity: Decimal,
    value: Decimal,
}

/// Quantity shipped on one date to one customer of one product (stock units): rates
/// need only these sums, so shipped lines are added up as they come.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Shipped {
    date: NaiveDate,
    customer_id: CustomerId,
    product_id: ProductId,
    quantity: Decimal,
}

/// The returns projection: every received return line, and the quantities shipped per
/// date, customer and product.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Returns {
    returned: Vec<Returned>,
    #[serde(
        serialize_with = "sum_rows::serialize::<Shipped, _>",
        deserialize_with = "sum_rows::deserialize::<Shipped, _>"
    )]
    shipped: BTreeMap<<Shipped as SumRow>::Key, Decimal>,
}

/// Returns of one reason in one currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReasonReturns {
    /// The reason code.
    pub reason: String,
    /// The orders' currency.
    pub currency: CurrencyCode,
    /// Return lines received.
    pub lines: u64,
    /// Quantity received back, stock units.
    pub quantity: Decimal,
    /// Value at the order lines' net prices.
    pub value: Decimal,
}

/// Returned against shipped, for one product or one customer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ReturnRate {
    /// Quantity shipped in the period, stock units.
    pub shipped: Decimal,
    /// Quantity received back in the period, stock units.
    pub returned: Decimal,
    /// Returned ÷ shipped, 4 decimals; none when nothing shipped.
    pub rate: Option<Decimal>,
}

/// A product's returns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProductReturns {
    /// The product.
    pub product_id: ProductId,
    /// Its figures.
    pub figures: ReturnRate,
}

/// A customer's returns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CustomerReturns {
    /// The customer.
    pub customer_id: CustomerId,
    /// Their figures.
    pub figures: ReturnRate,
}

/// Returns over a period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReturnsReport {
    /// First day (included).
    pub from: NaiveDate,
    /// Last day (included).
    pub to: NaiveDate,
    /// By reason and currency, by reason code.
    pub by_reason: Vec<ReasonReturns>,
    /// By product, by product id.
    pub by_product: Vec<ProductReturns>,
    /// By customer, by customer id.
    pub by_customer: Vec<CustomerReturns>,
}

impl Projection for Returns {
    const NAME: &'static str = "returns";

    fn apply(&mut self, event: &RecordedEvent, book: &Book) {
        let date = event.business_time.date_naive();
        match &event.payload {
            Event::ReturnReceived(e) => {
                let (Some(rma), Some(order)) =
                    (book.return_authorisation(e.return_id), book.order(e.order_id))
                else {
                    return;
                };
                for received in &e.lines {
                    let Some(line) = order.lines.iter().find(|l| l.line == received.order_line) else {
                        continue;
                    };
                    self.returned.push(Returned {
                        date,
                        reason: rma.reason.clone(),
                        customer_id: rma.customer_id,
                        product_id: received.product_id,
                        currency: order.currency,
                        quantity: line.to_stock(received.quantity),
                        value: order.value_of(line, received.quantity),
                    });
                }
            }
            Event::ShipmentDispatched(e) => {
                let Some(order) = book.order(e.order_id) else {
                    return;
                };
                for shipped in &e.lines {
                    let Some(line) = order.lines.iter().find(|l| l.line == shipped.line) else {
                        continue;
                    };
                    let key = (date, e.customer_id, shipped.product_id);
                    sum_rows::add::<Shipped>(&mut self.shipped, key, line.to_stock(shipped.quantity));
                }
            }
            _ => {}
        }
    }
}

impl Returns {
    /// Returns received from `from` to `to` (both included), by reason, product and
    /// customer.
    pub fn report(&self, from: NaiveDate, to: NaiveDate) -> ReturnsReport {
        let within = |date: NaiveDate| from <= date && date <= to;
        let mut by_reason: BTreeMap<(String, CurrencyCode), ReasonReturns> = BTreeMap::new();
        let mut by_product: BTreeMap<ProductId, ReturnRate> = BTreeMap::new();
        let mut by_customer: BTreeMap<CustomerId, ReturnRate> = BTreeMap::new();
        for r in self.returned.iter().filter(|r| within(r.date)) {
            let row = by_reason
                .entry((r.reason.clone(), r.currency))
                .or_insert_with(|| ReasonReturns {
                    reason: r.reason.clone(),
                    currency: r.currency,
                    lines: 0,
                    quantity: Decimal::ZERO,
                    value: Decimal::ZERO,
                });
            row.lines += 1;
            row.quantity += r.quantity;
            row.value += r.value;
            by_product.entry(r.product_id).or_default().returned += r.quantity;
            by_customer.entry(r.customer_id).or_default().returned += r.quantity;
        }
        let period = self
            .shipped
            .iter()
            .skip_while(|((date, _, _), _)| *date < from)
            .take_while(|((date, _, _), _)| *date <= to);
        for ((_, customer_id, product_id), quantity) in period {
            by_product.entry(*product_id).or_default().shipped += quantity;
            by_customer.entry(*customer_id).or_default().shipped += quantity;
        }
        let rated = |mut figures: ReturnRate| {
            figures.rate = ratio(figures.returned, figures.shipped);
            figures
        };
        ReturnsReport {
            from,
            to,
            by_reason: by_reason.into_values().collect(),
            by_product: by_product
                .into_iter()
                .filter(|(_, f)| !f.returned.is_zero())
                .map(|(product_id, figures)| ProductReturns {
                    product_id,
                    figures: rated(figures),
                })
                .collect(),
            by_customer: by_customer
                .into_iter()
                .filter(|(_, f)| !f.returned.is_zero())
                .map(|(customer_id, figures)| CustomerReturns {
                    customer_id,
                    figures: rated(figures),
                })
                .collect(),
        }
    }
}

impl SumRow for Shipped {
    type Key = (NaiveDate, CustomerId, ProductId);
    type Sum = Decimal;
    fn split(self) -> (Self::Key, Decimal) {
        ((self.date, self.customer_id, self.product_id), self.quantity)
    }
    fn join(&(date, customer_id, product_id): &Self::Key, quantity: &Decimal) -> Self {
        Self {
            date,
            customer_id,
            product_id,
            quantity: *quantity,
        }
    }
    fn add(sum: &mut Decimal, more: Decimal) {
        *sum += more;
    }
}

/// `part ÷ whole` to 4 decimals, half away from zero; none when `whole` is zero.
fn ratio(part: Decimal, whole: Decimal) -> Option<Decimal> {
    (!whole.is_zero())
        .then(|| (part / whole).round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero))
}
