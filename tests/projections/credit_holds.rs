//! Open credit holds: held since the event that put the order on hold, aged in days on the
//! date asked, oldest first; ended by a release, a cancellation or closing the order (a
//! closed order reopened still on hold is held again); the list now equals what the book's
//! orders say.

use o2c::customer::BlockCustomer;
use o2c::order::{CancelOrder, ChangeOrderLine, CloseOrder, CreditHoldReason, ReopenOrder};
use o2c::projections::{CreditHoldEnding, CreditHolds, OpenCreditHold};
use o2c::{CustomerId, OrderId};

use crate::steps::{customer, day, order_for, projections, release_credit_hold};
use crate::support::{World, dec, usd};

/// Registers "Tight", whose credit limit is 100.00 USD.
fn tight(w: &mut World) -> CustomerId {
    customer(w, "Tight", 30, Some("100.00"))
}

fn over_limit(exposure: &str) -> Vec<CreditHoldReason> {
    vec![CreditHoldReason::OverCreditLimit {
        exposure: usd(exposure),
        limit: usd("100.00"),
    }]
}

/// The orders and ages of a list.
fn ages(list: &[OpenCreditHold]) -> Vec<(OrderId, i64)> {
    list.iter().map(|h| (h.order_id, h.age_days)).collect()
}

#[test]
fn a_hold_is_open_from_the_confirmation_until_its_release_and_ages_by_the_day() {
    let mut w = World::new();
    let widget = w.widget;
    let customer_id = tight(&mut w);
    let order_id = order_for(&mut w, customer_id, &[(widget, "20", None)]); // 03-02: 200.00 > 100.00
    w.h.advance_days(5); // 03-07
    release_credit_hold(&mut w, order_id, "paid up front");
    let holds = projections(&w).credit_holds.state;

    assert_eq!(holds.open(Some(day(3, 1))), []);
    assert_eq!(
        holds.open(Some(day(3, 5))),
        [OpenCreditHold {
            order_id,
            customer_id,
            held_since: day(3, 2),
            age_days: 3,
            reasons: over_limit("200.00"),
            exposure: Some(usd("200.00")),
            credit_limit: Some(usd("100.00")),
        }]
    );
    assert_eq!(ages(&holds.open(Some(day(3, 2)))), [(order_id, 0)]);
    assert_eq!(
        ages(&holds.open(Some(day(3, 6)))),
        [(order_id, 4)],
        "the day before the release"
    );
    assert_eq!(holds.open(Some(day(3, 7))), [], "released on 03-07");
    assert_eq!(holds.open(None), []);
    assert_eq!(
        holds.history()[0].ended,
        Some((day(3, 7), CreditHoldEnding::Released))
    );
    let book = w.h.engine.snapshot();
    assert_eq!(holds.held_now(), CreditHolds::recompute(&book));
    assert!(CreditHolds::recompute(&book).is_empty());
}

#[test]
fn cancelling_or_closing_the_order_ends_its_hold_and_reopening_holds_it_again() {
    let mut w = World::new();
    let widget = w.widget;
    let customer_id = tight(&mut w);
    let a = order_for(&mut w, customer_id, &[(widget, "20", None)]); // 03-02: exposure 200.00
    let b = order_for(&mut w, customer_id, &[(widget, "15", None)]); // 03-02: exposure 350.00
    w.h.advance_days(2); // 03-04
    w.h.ok(CancelOrder {
        order_id: a,
        reason: "customer withdrew".into(),
    });
    w.h.advance_days(2); // 03-06
    w.h.ok(CloseOrder {
        order_id: b,
        reason: "nothing to ship".into(),
    });
    w.h.advance_days(3); // 03-09
    w.h.ok(ReopenOrder {
        order_id: b,
        reason: "customer insists".into(),
    });
    let holds = projections(&w).credit_holds.state;

    assert_eq!(
        ages(&holds.open(Some(day(3, 3)))),
        [(a, 1), (b, 1)],
        "same day: in the order they were held"
    );
    assert_eq!(ages(&holds.open(Some(day(3, 4)))), [(b, 2)]);
    assert_eq!(holds.open(Some(day(3, 6))), []);
    assert_eq!(holds.open(Some(day(3, 8))), []);
    let now = holds.open(None);
    assert_eq!(ages(&now), [(b, 0)]);
    assert_eq!(now[0].held_since, day(3, 9));
    assert_eq!(
        now[0].reasons,
        over_limit("350.00"),
        "the hold it kept through closing"
    );
    let endings: Vec<_> = holds.history().iter().map(|s| (s.order_id, s.ended)).collect();
    assert_eq!(
        endings,
        [
            (a, Some((day(3, 4), CreditHoldEnding::OrderCancelled))),
            (b, Some((day(3, 6), CreditHoldEnding::OrderClosed))),
            (b, None),
        ]
    );
    let book = w.h.engine.snapshot();
    assert_eq!(holds.held_now(), CreditHolds::recompute(&book));
}

#[test]
fn holds_from_amendments_and_blocked_customers_are_listed_oldest_first() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    let customer_id = tight(&mut w);
    let a = order_for(&mut w, customer_id, &[(widget, "5", None)]); // 03-02: 50.00, no hold
    w.h.advance_days(2); // 03-04: raised to 200.00
    w.h.ok(ChangeOrderLine {
        order_id: a,
        line: 1,
        quantity: Some(dec("20")),
        discount_percent: None,
        promised_date: None,
        reason: "customer wants more".into(),
    });
    w.h.advance_days(2); // 03-06: Acme blocked, then an order of 10.00
    w.h.ok(BlockCustomer {
        customer_id: acme,
        reason: "legal dispute".into(),
    });
    let c = order_for(&mut w, acme, &[(widget, "1", None)]);
    w.h.advance_days(4); // 03-10: something else happens
    tight(&mut w);
    let holds = projections(&w).credit_holds.state;

    assert_eq!(
        holds.open(None),
        [
            OpenCreditHold {
                order_id: a,
                customer_id,
                held_since: day(3, 4),
                age_days: 6,
                reasons: over_limit("200.00"),
                exposure: Some(usd("200.00")),
                credit_limit: Some(usd("100.00")),
            },
            OpenCreditHold {
                order_id: c,
                customer_id: acme,
                held_since: day(3, 6),
                age_days: 4,
                reasons: vec![CreditHoldReason::CustomerBlocked {
                    reason: "legal dispute".into(),
                }],
                exposure: Some(usd("10.00")),
                credit_limit: Some(usd("10000.00")),
            },
        ],
        "now: aged on the log's latest date, 03-10"
    );
    assert_eq!(ages(&holds.open(Some(day(3, 3)))), []);
    assert_eq!(ages(&holds.open(Some(day(3, 20)))), [(a, 16), (c, 14)]);
    let book = w.h.engine.snapshot();
    let mut expected = vec![a, c];
    expected.sort();
    assert_eq!(
        CreditHolds::recompute(&book)
            .iter()
            .map(|h| h.order_id)
            .collect::<Vec<_>>(),
        expected
    );
    assert_eq!(holds.held_now(), CreditHolds::recompute(&book));
}

#[test]
fn a_hold_released_the_day_it_was_put_is_open_at_no_day_end_and_survives_storage() {
    let mut w = World::new();
    let widget = w.widget;
    let customer_id = tight(&mut w);
    let released = order_for(&mut w, customer_id, &[(widget, "20", None)]); // 03-02
    release_credit_hold(&mut w, released, "paid up front"); // 03-02 too
    w.h.advance_days(1); // 03-03
    let held = order_for(&mut w, customer_id, &[(widget, "11", None)]); // 200.00 + 110.00
    let holds = projections(&w).credit_holds.state;

    assert_eq!(holds.open(Some(day(3, 2))), []);
    assert_eq!(ages(&holds.open(Some(day(3, 3)))), [(held, 0)]);
    assert_eq!(holds.open(None)[0].exposure, Some(usd("310.00")));
    assert_eq!(holds.history().len(), 2);
    let json = serde_json::to_string(&holds).unwrap();
    let stored: CreditHolds = serde_json::from_str(&json).unwrap();
    assert_eq!(stored, holds);
    assert_eq!(stored.open(Some(day(3, 5))), holds.open(Some(day(3, 5))));
}
