//! Cycle times: how long the order-to-cash steps take, in days, as an average and a 90th
//! percentile over the cycles that ended in a period.
//!
//! ## Definitions
//!
//! Every duration is the number of whole days between two business dates (end − start),
//! and is counted in the period that contains its **end** date. Each cycle is counted once,
//! the first time it ends; what happens afterwards (a reopened order, a reversed invoice,
//! a returned payment) does not change it.
//!
//! - **Confirmation → fully shipped**, per order: from the business date of its
//!   `OrderConfirmed` to the date of the event after which the order, still confirmed, has
//!   shipped everything it expects (`ShippingStatus::Shipped`: every line's open quantity
//!   is zero, something was delivered; rests cancelled by the backorder policy are not
//!   expected). Orders closed short are not counted while closed (they count from their
//!   first confirmation if reopened and shipped in full); cancelled orders never count.
//! - **Shipment → invoiced**, per shipment: from the shipment's business date to the date
//!   of the event (an invoice posting) after which every order line it carried is covered
//!   by posted invoices, shipments of a line being covered oldest first: the line's
//!   invoiced quantity (posted invoices, less credit notes) plus its returned quantity is
//!   at least the line's delivered quantity right after that shipment. Draft invoices do
//!   not count; a line invoiced before it shipped (invoiced on ordered quantities) makes
//!   its shipment invoiced on the day it ships (0 days). A shipment whose lines are only
//!   partly invoiced keeps waiting; a reversal credit note that uncovers it before it is
//!   counted makes it wait for the new invoice.
//! - **Invoice posted → paid**, per posted invoice with a total above zero (down payments
//!   included): from its invoice date to the date of the event after which its payment
//!   state is `Paid` (payments, early-payment discounts, customer credit applied, credit
//!   notes that did not reverse it in full, and write-offs within tolerance together
//!   settle its total). An invoice reversed in full by its own credit notes
//!   (`PaymentState::Reversed`) is never counted; credit notes are not invoices.
//!
//! A report gives, per step, the number of cycles, the average in days rounded to 2
//! decimals half away from zero, and the 90th percentile by the **nearest-rank** method:
//! the durations sorted ascending, the value at rank ⌈0.9 × n⌉ (1-based). Both are `None`
//! when no cycle ended in the period. A period `from..=to` includes both dates.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use o2c_core::invoice::PaymentState;
use o2c_core::order::{OrderStatus, ShippingStatus};
use o2c_core::{Book, Event, InvoiceId, OrderId, RecordedEvent, ShipmentId};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::Projection;
use crate::sum_rows::{self, SumRow};

/// How long one step took over the cycles that ended in a period.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Durations {
    /// Cycles counted.
    pub count: u64,
    /// Average days, 2 decimals; none without cycles.
    pub average_days: Option<Decimal>,
    /// 90th percentile in days, nearest rank; none without cycles.
    pub p90_days: Option<Decimal>,
}

/// The cycle times of a period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CycleTimeReport {
    /// First day of the period.
    pub from: NaiveDate,
    /// Last day of the period (included).
    pub to: NaiveDate,
    /// Order confirmation to the order fully shipped.
    pub confirmation_to_shipped: Durations,
    /// Shipment to its quantities on posted invoices.
    pub shipment_to_invoiced: Durations,
    /// Invoice posted to invoice paid.
    pub invoice_to_paid: Durations,
}

/// The steps measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
enum Step {
    ConfirmationToShipped,
    ShipmentToInvoiced,
    InvoiceToPaid,
}

/// Finished cycles of one step that started and ended on the same dates, counted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Cycles {
    step: Step,
    started: NaiveDate,
    ended: NaiveDate,
    /// Stored lists of older builds have one row per cycle and no count.
    #[serde(default = "sum_rows::one")]
    count: u64,
}

impl SumRow for Cycles {
    type Key = (Step, NaiveDate, NaiveDate);
    type Sum = u64;
    fn split(self) -> (Self::Key, u64) {
        ((self.step, self.started, self.ended), self.count)
    }
    fn join(&(step, started, ended): &Self::Key, count: &u64) -> Self {
        Self {
            step,
            started,
            ended,
            count: *count,
        }
    }
    fn add(sum: &mut u64, more: u64) {
        *sum += more;
    }
}

/// A shipment waiting to be invoiced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct PendingShipment {
    shipment_id: ShipmentId,
    shipped_on: NaiveDate,
    /// Per line it carried: the line's delivered quantity right after it.
    delivered_through: Vec<(u32, Decimal)>,
}

/// The cycle-time projection (see the module documentation).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CycleTimes {
    /// Confirmed orders not yet fully shipped, with their confirmation date.
    confirmed: BTreeMap<OrderId, NaiveDate>,
    /// Shipments not yet invoiced, by order, oldest first.
    shipments: BTreeMap<OrderId, Vec<PendingShipment>>,
    /// Posted invoices not yet paid, with their invoice date.
    invoices: BTreeMap<InvoiceId, NaiveDate>,
    /// Finished cycles, counted by step, start date and end date.
    #[serde(
        serialize_with = "sum_rows::serialize::<Cycles, _>",
        deserialize_with = "sum_rows::deserialize::<Cycles, _>"
    )]
    cycles: BTreeMap<<Cycles as SumRow>::Key, u64>,
}

impl Projection for CycleTimes {
    const NAME: &'static str = "cycle_times";

    fn apply(&mut self, event: &RecordedEvent, book: &Book) {
        let date = event.business_time.date_naive();
        match &event.payload {
            Event::OrderConfirmed(e) => {
                self.confirmed.insert(e.order_id, date);
            }
            Event::OrderCancelled(e) => {
                self.confirmed.remove(&e.order_id);
            }
            // An archived order's cycles can no longer end (a closed order's confirmation
            // never reaches "shipped"): they need not be remembered.
            Event::OrderArchived(e) => {
                self.confirmed.remove(&e.order_id);
                self.shipments.remove(&e.order_id);
                for invoice_id in &e.invoice_ids {
                    self.invoices.remove(invoice_id);
                }
            }
            Event::ShipmentDispatched(e) => {
                if let (Some(shipment), Some(order)) = (book.shipment(e.shipment_id), book.order(e.order_id))
                {
                    let delivered_through = shipment
                        .lines
                        .iter()
                        .filter_map(|s| order.line(s.line).map(|l| (s.line, l.delivered)))
                        .collect();
                    self.shipments
                        .entry(e.order_id)
                        .or_default()
                        .push(PendingShipment {
                            shipment_id: e.shipment_id,
                            shipped_on: shipment.shipped_on,
                            delivered_through,
                        });
                }
            }
            Event::InvoicePosted(e) => {
                if let Some(invoice) = book.invoice(e.invoice_id) {
                    if invoice.total.amount > Decimal::ZERO {
                        let posted_on = invoice.invoice_date.unwrap_or(date);
                        self.invoices.insert(e.invoice_id, posted_on);
                    }
                }
            }
            _ => {}
        }
        for order_id in book.orders_touched(&event.payload) {
            self.order_progress(order_id, date, book);
        }
        if let Some(invoice_id) = invoice_settled(&event.payload) {
            self.invoice_progress(invoice_id, date, book);
        }
    }
}

/// The invoice whose settlement an event may change.
fn invoice_settled(event: &Event) -> Option<InvoiceId> {
    match event {
        Event::InvoicePosted(e) => Some(e.invoice_id),
        Event::PaymentAllocated(e) => Some(e.invoice_id),
        Event::CreditApplied(e) => Some(e.invoice_id),
        Event::CreditNoteIssued(e) => Some(e.invoice_id),
        Event::InvoiceWrittenOff(e) => Some(e.invoice_id),
        _ => None,
    }
}

impl CycleTimes {
    /// Ends the order's confirmation cycle once fully shipped, and the cycles of its
    /// shipments now covered by posted invoices.
    fn order_progress(&mut self, order_id: OrderId, date: NaiveDate, book: &Book) {
        let Some(order) = book.order(order_id) else {
            return;
        };
        if order.status == OrderStatus::Confirmed && order.shipping_status() == ShippingStatus::Shipped {
            if let Some(started) = self.confirmed.remove(&order_id) {
                self.end(Step::ConfirmationToShipped, started, date);
            }
        }
        let Some(pending) = self.shipments.remove(&order_id) else {
            return;
        };
        let covered = |s: &PendingShipment| {
            s.delivered_through.iter().all(|(line, through)| {
                order
                    .line(*line)
                    .is_some_and(|l| l.invoiced + l.returned >= *through)
            })
        };
        let (done, waiting): (Vec<_>, Vec<_>) = pending.into_iter().partition(covered);
        for shipment in done {
            self.end(Step::ShipmentToInvoiced, shipment.shipped_on, date);
        }
        if !waiting.is_empty() {
            self.shipments.insert(order_id, waiting);
        }
    }

    /// Ends the invoice's cycle once paid; forgets it once reversed.
    fn invoice_progress(&mut self, invoice_id: InvoiceId, date: NaiveDate, book: &Book) {
        let Some(invoice) = book.invoice(invoice_id) else {
            return;
        };
        match invoice.payment_state() {
            PaymentState::Paid => {
                if let Some(started) = self.invoices.remove(&invoice_id) {
                    self.end(Step::InvoiceToPaid, started, date);
                }
            }
            PaymentState::Reversed => {
                self.invoices.remove(&invoice_id);
            }
            PaymentState::NotPaid | PaymentState::PartiallyPaid => {}
        }
    }

    fn end(&mut self, step: Step, started: NaiveDate, ended: NaiveDate) {
        sum_rows::add::<Cycles>(&mut self.cycles, (step, started, ended), 1);
    }

    /// The cycle times of the cycles that ended in `from..=to`.
    pub fn report(&self, from: NaiveDate, to: NaiveDate) -> CycleTimeReport {
        let of = |step: Step| {
            let days: Vec<i64> = self
                .cycles
                .iter()
                .filter(|((of, _, ended), _)| *of == step && *ended >= from && *ended <= to)
                .flat_map(|((_, started, ended), count)| {
                    let days = (*ended - *started).num_days().max(0);
                    std::iter::repeat_n(days, usize::try_from(*count).unwrap_or(usize::MAX))
                })
                .collect();
            durations(days)
        };
        CycleTimeReport {
            from,
            to,
            confirmation_to_shipped: of(Step::ConfirmationToShipped),
            shipment_to_invoiced: of(Step::ShipmentToInvoiced),
            invoice_to_paid: of(Step::InvoiceToPaid),
        }
    }
}

/// Count, average and nearest-rank 90th percentile of durations in days.
fn durations(mut days: Vec<i64>) -> Durations {
    days.sort_unstable();
    let count = days.len();
    if count == 0 {
        return Durations::default();
    }
    let total: i64 = days.iter().sum();
    let average = Decimal::from(total)
        .checked_div(Decimal::from(count))
        .map(round_days);
    // Nearest rank: ⌈0.9 × n⌉, 1-based.
    let rank = (9 * count).div_ceil(10);
    Durations {
        count: u64::try_from(count).unwrap_or(u64::MAX),
        average_days: average,
        p90_days: rank
            .checked_sub(1)
            .and_then(|i| days.get(i))
            .map(|d| Decimal::from(*d)),
    }
}

/// Days rounded to 2 decimals, half away from zero.
pub(crate) fn round_days(days: Decimal) -> Decimal {
    days.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn p90_takes_the_nearest_rank() {
        let one = durations(vec![7]);
        assert_eq!(
            (one.count, one.average_days, one.p90_days),
            (1, Some(dec("7")), Some(dec("7")))
        );
        // Ten values: rank 9.
        let ten = durations((1..=10).rev().collect());
        assert_eq!(
            (ten.average_days, ten.p90_days),
            (Some(dec("5.5")), Some(dec("9")))
        );
        // Eleven values: rank ⌈9.9⌉ = 10.
        let eleven = durations((0..=10).collect());
        assert_eq!(eleven.p90_days, Some(dec("9")));
        // Three values: rank ⌈2.7⌉ = 3, the largest.
        let three = durations(vec![1, 2, 2]);
        assert_eq!(
            (three.average_days, three.p90_days),
            (Some(dec("1.67")), Some(dec("2")))
        );
        assert_eq!(durations(vec![]), Durations::default());
    }
}
