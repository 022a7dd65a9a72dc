//! Orders on credit hold: which are held now or were held on a business date, since when,
//! and why, oldest first, so that credit controllers see what waits longest.
//!
//! A credit hold is open while the book has the order confirmed and on credit hold. It
//! opens with the event that put it there: the confirmation whose credit check called for
//! it, or an amendment that made a confirmed order worth more (a raised quantity, an added
//! line, a reopened order). It ends with the first of:
//!
//! - the **release** by a credit controller (`CreditHoldReleased`);
//! - the **cancellation** of the order;
//! - the **closing** of the order (nothing more will ship, so nothing waits for credit).
//!
//! A closed order reopened while its hold was never released is on credit hold again: a
//! new hold opens on the reopening date. Each hold is kept with its dates, so the list
//! can be read as of any business date: a hold is open at the end of a date when it opened
//! on or before it and had not ended by then. Its age is the number of days from the day
//! it opened to that date.

use chrono::NaiveDate;
use o2c_core::order::{CreditHoldReason, OrderStatus, SalesOrder};
use o2c_core::{Book, CustomerId, Event, Money, OrderId, RecordedEvent};
use serde::{Deserialize, Serialize};

use crate::Projection;

/// How a credit hold ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CreditHoldEnding {
    /// A credit controller released it.
    Released,
    /// The order was closed.
    OrderClosed,
    /// The order was cancelled.
    OrderCancelled,
}

/// One credit hold of an order, open or ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreditHoldSpell {
    /// The order held.
    pub order_id: OrderId,
    /// Its customer.
    pub customer_id: CustomerId,
    /// Business date of the event that put the order on hold.
    pub held_since: NaiveDate,
    /// Why the credit check held it.
    pub reasons: Vec<CreditHoldReason>,
    /// The customer's exposure the check found, when the event carries it.
    pub exposure: Option<Money>,
    /// The credit limit that applied, when the event carries it.
    pub credit_limit: Option<Money>,
    /// When and how it ended; none while open.
    pub ended: Option<(NaiveDate, CreditHoldEnding)>,
}

impl CreditHoldSpell {
    /// True when the hold was open at the end of `date`.
    pub fn open_on(&self, date: NaiveDate) -> bool {
        self.held_since <= date && self.ended.is_none_or(|(ended, _)| ended > date)
    }
}

/// An order on credit hold, as a query lists it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OpenCreditHold {
    /// The order held.
    pub order_id: OrderId,
    /// Its customer.
    pub customer_id: CustomerId,
    /// Business date of the event that put the order on hold.
    pub held_since: NaiveDate,
    /// Days from `held_since` to the date the list is read on.
    pub age_days: i64,
    /// Why the credit check held it.
    pub reasons: Vec<CreditHoldReason>,
    /// The customer's exposure the check found, when the event carries it.
    pub exposure: Option<Money>,
    /// The credit limit that applied, when the event carries it.
    pub credit_limit: Option<Money>,
}

/// An order the book has on credit hold now (what the book alone can tell).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HeldOrder {
    /// The order held.
    pub order_id: OrderId,
    /// Its customer.
    pub customer_id: CustomerId,
    /// Why the credit check held it.
    pub reasons: Vec<CreditHoldReason>,
}

/// The credit-holds projection: every credit hold with its dates, in the order they opened.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CreditHolds {
    spells: Vec<CreditHoldSpell>,
    /// The latest business date folded: the day "now" is aged on.
    latest: Option<NaiveDate>,
}

impl CreditHolds {
    /// The holds open at the end of `as_of`, aged on that date; with `None`, the holds open
    /// now (every event folded), aged on the latest business date of the log. Oldest
    /// first (then in the order they opened).
    pub fn open(&self, as_of: Option<NaiveDate>) -> Vec<OpenCreditHold> {
        let (open, on): (Vec<&CreditHoldSpell>, Option<NaiveDate>) = match as_of {
            Some(date) => (
                self.spells.iter().filter(|s| s.open_on(date)).collect(),
                Some(date),
            ),
            None => (
                self.spells.iter().filter(|s| s.ended.is_none()).collect(),
                self.latest,
            ),
        };
        let mut open: Vec<OpenCreditHold> = open
            .into_iter()
            .map(|spell| OpenCreditHold {
                order_id: spell.order_id,
                customer_id: spell.customer_id,
                held_since: spell.held_since,
                age_days: on.map_or(0, |on| (on - spell.held_since).num_days().max(0)),
                reasons: spell.reasons.clone(),
                exposure: spell.exposure,
                credit_limit: spell.credit_limit,
            })
            .collect();
        open.sort_by_key(|hold| hold.held_since);
        open
    }

    /// Every credit hold, open or ended, in the order they opened.
    pub fn history(&self) -> &[CreditHoldSpell] {
        &self.spells
    }

    /// The orders on credit hold now, by order id: equal to [`CreditHolds::recompute`] of
    /// the book folded over the same log.
    pub fn held_now(&self) -> Vec<HeldOrder> {
        let mut held: Vec<HeldOrder> = self
            .spells
            .iter()
            .filter(|s| s.ended.is_none())
            .map(|s| HeldOrder {
                order_id: s.order_id,
                customer_id: s.customer_id,
                reasons: s.reasons.clone(),
            })
            .collect();
        held.sort_by_key(|h| h.order_id);
        held
    }

    /// The orders the book has on credit hold now, by order id, read from its orders.
    pub fn recompute(book: &Book) -> Vec<HeldOrder> {
        book.orders()
            .filter(|order| on_credit_hold(order))
            .map(|order| HeldOrder {
                order_id: order.id,
                customer_id: order.customer_id,
                reasons: order
                    .credit_hold
                    .as_ref()
                    .map(|hold| hold.reasons.clone())
                    .unwrap_or_default(),
            })
            .collect()
    }

    fn open_spell(&mut self, order: OrderId) -> Option<&mut CreditHoldSpell> {
        self.spells
            .iter_mut()
            .rev()
            .find(|s| s.order_id == order && s.ended.is_none())
    }
}

/// Confirmed and on credit hold.
fn on_credit_hold(order: &SalesOrder) -> bool {
    order.status == OrderStatus::Confirmed && order.credit_hold.is_some()
}

/// The exposure and limit an event that put an order on hold carries: the confirmation's
/// credit figures, else those of an "over credit limit" reason.
fn credit_figures(event: &Event, reasons: &[CreditHoldReason]) -> (Option<Money>, Option<Money>) {
    if let Event::OrderConfirmed(e) = event {
        return (Some(e.exposure), e.credit_limit);
    }
    reasons
        .iter()
        .find_map(|reason| match reason {
            CreditHoldReason::OverCreditLimit { exposure, limit } => Some((Some(*exposure), Some(*limit))),
            _ => None,
        })
        .unwrap_or((None, None))
}

impl Projection for CreditHolds {
    const NAME: &'static str = "credit_holds";

    fn apply(&mut self, event: &RecordedEvent, book: &Book) {
        let date = event.business_time.date_naive();
        self.latest = Some(self.latest.map_or(date, |latest| latest.max(date)));
        let Some(order) = event.payload.order_id().and_then(|id| book.order(id)) else {
            return;
        };
        let held = on_credit_hold(order);
        match (self.open_spell(order.id), held) {
            (None, true) => {
                let reasons = order
                    .credit_hold
                    .as_ref()
                    .map(|hold| hold.reasons.clone())
                    .unwrap_or_default();
                let (exposure, credit_limit) = credit_figures(&event.payload, &reasons);
                self.spells.push(CreditHoldSpell {
                    order_id: order.id,
                    customer_id: order.customer_id,
                    held_since: date,
                    reasons,
                    exposure,
                    credit_limit,
                    ended: None,
                });
            }
            (Some(spell), false) => {
                let how = match order.status {
                    OrderStatus::Cancelled => CreditHoldEnding::OrderCancelled,
                    OrderStatus::Closed => CreditHoldEnding::OrderClosed,
                    _ => CreditHoldEnding::Released,
                };
                spell.ended = Some((date, how));
            }
            _ => {}
        }
    }
}
