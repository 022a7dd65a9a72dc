//! Tests of the on-time projection: lines fully shipped on or before their promised date,
//! days late, lines without a promise counted apart, each line counted in the period of
//! the day it became fully shipped.

use o2c::order::{BackorderPolicy, ChangeOrderLine, CloseOrder, SetFulfilmentPolicy, ShippingPolicy};
use o2c::projections::{CustomerOnTime, OnTime, OnTimeFigures, ProductOnTime};

use crate::steps::*;
use crate::support::{World, dec};

/// Figures from (lines, on time, days late, without promise) and the expected rate and
/// average.
fn figures(counts: (u64, u64, u64, u64), rate: Option<&str>, average: Option<&str>) -> OnTimeFigures {
    let (lines, on_time, days_late, without_promise) = counts;
    OnTimeFigures {
        lines,
        on_time,
        late: lines - on_time,
        on_time_rate: rate.map(dec),
        days_late,
        average_days_late: average.map(dec),
        without_promise,
    }
}

fn on_time(w: &World) -> OnTime {
    checked_projections(w).on_time.state
}

#[test]
fn a_line_shipped_after_its_promise_is_late_by_the_days_in_between() {
    let mut w = World::new();
    let (acme, widget, gadget) = (w.customer, w.widget, w.gadget);
    let beta = customer(&mut w, "Beta", 30, Some("5000.00"));
    let early = order(&mut w, &[(widget, "5", Some(10))]);
    let three_late = order(&mut w, &[(gadget, "4", Some(10))]);
    let on_the_day = order_for(&mut w, beta, &[(widget, "2", Some(12))]);
    let four_late = order_for(&mut w, beta, &[(gadget, "1", Some(9))]);
    on(&mut w, 8);
    deliver(&mut w, early);
    on(&mut w, 12);
    deliver(&mut w, on_the_day);
    on(&mut w, 13);
    deliver(&mut w, three_late);
    deliver(&mut w, four_late);

    let report = on_time(&w).report(day(3, 1), day(3, 31));

    assert_eq!(report.overall, figures((4, 2, 7, 0), Some("0.5"), Some("1.75")));
    assert_eq!(
        report.by_customer,
        vec![
            CustomerOnTime {
                customer_id: acme,
                figures: figures((2, 1, 3, 0), Some("0.5"), Some("1.5")),
            },
            CustomerOnTime {
                customer_id: beta,
                figures: figures((2, 1, 4, 0), Some("0.5"), Some("2")),
            },
        ]
    );
    assert_eq!(
        report.by_product,
        vec![
            ProductOnTime {
                product_id: widget,
                figures: figures((2, 2, 0, 0), Some("1"), Some("0")),
            },
            ProductOnTime {
                product_id: gadget,
                figures: figures((2, 0, 7, 0), Some("0"), Some("3.5")),
            },
        ]
    );
    assert_eq!(
        on_time(&w).report(day(3, 1), day(3, 12)).overall,
        figures((2, 2, 0, 0), Some("1"), Some("0")),
        "as of 12 March only the two lines shipped on time were complete"
    );
}

#[test]
fn a_line_shipped_in_parts_counts_on_the_day_its_last_units_ship() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = order(&mut w, &[(widget, "10", Some(10))]);
    receive(&mut w, widget, "6");
    reserve(&mut w, order_id);
    on(&mut w, 9);
    ship(&mut w, order_id, &[]);
    on(&mut w, 12);
    receive(&mut w, widget, "4");
    reserve(&mut w, order_id);
    ship(&mut w, order_id, &[]);
    let on_time = on_time(&w);

    let before = on_time.report(day(3, 1), day(3, 11));
    assert_eq!(
        before.overall,
        OnTimeFigures::default(),
        "a partly shipped line is not counted"
    );
    assert_eq!(
        (before.overall.on_time_rate, before.overall.average_days_late),
        (None, None)
    );
    assert!(before.by_customer.is_empty());
    assert_eq!(
        on_time.report(day(3, 12), day(3, 12)).overall,
        figures((1, 0, 2, 0), Some("0"), Some("2"))
    );
}

#[test]
fn lines_without_a_promised_date_are_counted_apart() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let order_id = order(&mut w, &[(widget, "3", None), (gadget, "2", Some(5))]);
    on(&mut w, 5);
    deliver(&mut w, order_id);

    let report = on_time(&w).report(day(3, 5), day(3, 5));

    assert_eq!(report.overall, figures((1, 1, 0, 1), Some("1"), Some("0")));
    assert_eq!(
        report.by_product[0],
        ProductOnTime {
            product_id: widget,
            figures: figures((0, 0, 0, 1), None, None),
        },
        "a product whose lines had no promise has no rate"
    );
}

#[test]
fn a_promise_moved_before_shipping_counts_as_moved_and_a_line_closed_short_is_not_counted() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let moved = order(&mut w, &[(widget, "3", Some(5))]);
    let closed_short = order(&mut w, &[(gadget, "10", Some(6))]);
    on(&mut w, 4);
    w.h.ok(ChangeOrderLine {
        order_id: moved,
        line: 1,
        quantity: None,
        discount_percent: None,
        promised_date: Some(day(3, 9)),
        reason: "customer agreed to a later date".into(),
    });
    on(&mut w, 7);
    receive(&mut w, gadget, "4");
    reserve(&mut w, closed_short);
    ship(&mut w, closed_short, &[]);
    on(&mut w, 8);
    w.h.ok(CloseOrder {
        order_id: closed_short,
        reason: "customer needs no more".into(),
    });
    deliver(&mut w, moved);

    let report = on_time(&w).report(day(3, 1), day(3, 31));

    assert_eq!(report.overall, figures((1, 1, 0, 0), Some("1"), Some("0")));
    assert_eq!(report.by_product.len(), 1);
    assert_eq!(report.by_product[0].product_id, widget);
}

#[test]
fn a_rest_cancelled_by_the_backorder_policy_completes_the_line_on_that_day() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = order(&mut w, &[(widget, "5", Some(7))]);
    w.h.ok(SetFulfilmentPolicy {
        order_id,
        shipping_policy: ShippingPolicy::AsSoonAsPossible,
        backorder_policy: Some(BackorderPolicy::CancelRest),
        urgent: false,
    });
    receive(&mut w, widget, "2");
    reserve(&mut w, order_id);
    on(&mut w, 9);
    ship(&mut w, order_id, &[]);

    let report = on_time(&w).report(day(3, 9), day(3, 9));

    assert_eq!(report.overall, figures((1, 0, 2, 0), Some("0"), Some("2")));
}
