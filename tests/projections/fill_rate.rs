//! Tests of the fill-rate projection: what the first shipment of each order carried of what
//! was ordered, in units, lines and orders, overall, by customer and by product, counted in
//! the period of the first shipment.

use o2c::order::{BackorderPolicy, CancelOrder, ChangeOrderLine, SetFulfilmentPolicy, ShippingPolicy};
use o2c::projections::{CustomerFillRates, FillRate, FillRates, ProductFillRates};
use o2c::rust_decimal::Decimal;

use crate::steps::*;
use crate::support::{World, dec};

/// Fill rates from their counts (units as text), the rates as expected.
fn rates(
    units: (&str, &str),
    unit_rate: Option<&str>,
    lines: (u64, u64),
    line_rate: Option<&str>,
    orders: (u64, u64),
    order_rate: Option<&str>,
) -> FillRates {
    FillRates {
        units_ordered: dec(units.0),
        units_first_shipment: dec(units.1),
        unit_rate: unit_rate.map(dec),
        lines: lines.0,
        lines_complete: lines.1,
        line_rate: line_rate.map(dec),
        orders: orders.0,
        orders_complete: orders.1,
        order_rate: order_rate.map(dec),
    }
}

fn fill_rate(w: &World) -> FillRate {
    checked_projections(w).fill_rate.state
}

#[test]
fn a_partial_first_shipment_then_the_backorder_leaves_the_rates_below_one() {
    let mut w = World::new();
    let (acme, widget, gadget) = (w.customer, w.widget, w.gadget);
    let order_id = order(&mut w, &[(widget, "10", None), (gadget, "4", None)]);
    receive(&mut w, widget, "6");
    receive(&mut w, gadget, "4");
    reserve(&mut w, order_id);
    on(&mut w, 3);
    ship(&mut w, order_id, &[]);
    // The backorder ships later: the first shipment's figures stay.
    on(&mut w, 6);
    receive(&mut w, widget, "4");
    reserve(&mut w, order_id);
    ship(&mut w, order_id, &[]);

    let report = fill_rate(&w).report(day(3, 1), day(3, 31));

    // 10 of 14 units; the gadget line complete, the widget line not; the order not.
    let overall = rates(
        ("14", "10"),
        Some("0.7143"),
        (2, 1),
        Some("0.5"),
        (1, 0),
        Some("0"),
    );
    assert_eq!(report.overall, overall);
    assert_eq!(
        report.by_customer,
        vec![CustomerFillRates {
            customer_id: acme,
            rates: overall.clone(),
        }]
    );
    assert_eq!(
        report.by_product,
        vec![
            ProductFillRates {
                product_id: widget,
                rates: rates(("10", "6"), Some("0.6"), (1, 0), Some("0"), (1, 0), Some("0")),
            },
            ProductFillRates {
                product_id: gadget,
                rates: rates(("4", "4"), Some("1"), (1, 1), Some("1"), (1, 1), Some("1")),
            },
        ]
    );
    assert_eq!((report.from, report.to), (day(3, 1), day(3, 31)));
}

#[test]
fn orders_count_in_the_period_of_their_first_shipment() {
    let mut w = World::new();
    let (acme, widget, gadget) = (w.customer, w.widget, w.gadget);
    let beta = customer(&mut w, "Beta", 30, Some("5000.00"));
    let complete = order(&mut w, &[(widget, "5", None)]);
    let partial = order_for(&mut w, beta, &[(gadget, "8", None)]);
    on(&mut w, 3);
    deliver(&mut w, complete);
    on(&mut w, 10);
    receive(&mut w, gadget, "2");
    reserve(&mut w, partial);
    ship(&mut w, partial, &[]);
    let fill = fill_rate(&w);

    let early = fill.report(day(3, 1), day(3, 5));
    assert_eq!(
        early.overall,
        rates(("5", "5"), Some("1"), (1, 1), Some("1"), (1, 1), Some("1"))
    );
    let late = fill.report(day(3, 6), day(3, 10));
    assert_eq!(
        late.overall,
        rates(("8", "2"), Some("0.25"), (1, 0), Some("0"), (1, 0), Some("0"))
    );
    let month = fill.report(day(3, 1), day(3, 31));
    assert_eq!(
        month.overall,
        rates(
            ("13", "7"),
            Some("0.5385"),
            (2, 1),
            Some("0.5"),
            (2, 1),
            Some("0.5")
        )
    );
    let customers: Vec<_> = month
        .by_customer
        .iter()
        .map(|c| (c.customer_id, c.rates.order_rate))
        .collect();
    assert_eq!(
        customers,
        vec![(acme, Some(Decimal::ONE)), (beta, Some(Decimal::ZERO))]
    );
    let nothing = fill.report(day(3, 11), day(3, 31));
    assert_eq!(
        nothing.overall,
        FillRates::default(),
        "no rates when nothing was counted"
    );
    assert_eq!(nothing.overall.unit_rate, None);
    assert!(nothing.by_customer.is_empty() && nothing.by_product.is_empty());
}

#[test]
fn a_line_changed_before_shipping_counts_as_changed_and_a_line_left_behind_as_unshipped() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let order_id = order(&mut w, &[(widget, "10", None), (gadget, "5", None)]);
    on(&mut w, 2);
    w.h.ok(ChangeOrderLine {
        order_id,
        line: 1,
        quantity: Some(dec("8")),
        discount_percent: None,
        promised_date: None,
        reason: "customer cut the quantity".into(),
    });
    receive(&mut w, widget, "8");
    reserve(&mut w, order_id);
    on(&mut w, 4);
    ship(&mut w, order_id, &[]);

    let report = fill_rate(&w).report(day(3, 4), day(3, 4));

    // Ordered 8 widgets (as changed) and 5 gadgets; the first shipment carried 8 widgets.
    assert_eq!(
        report.overall,
        rates(
            ("13", "8"),
            Some("0.6154"),
            (2, 1),
            Some("0.5"),
            (1, 0),
            Some("0")
        )
    );
    let gadget_rates = &report.by_product[1].rates;
    assert_eq!(report.by_product[1].product_id, gadget);
    assert_eq!(
        *gadget_rates,
        rates(("5", "0"), Some("0"), (1, 0), Some("0"), (1, 0), Some("0"))
    );
}

#[test]
fn a_rest_cancelled_at_the_first_shipment_was_ordered_and_a_cancelled_order_is_not_counted() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = order(&mut w, &[(widget, "10", None)]);
    w.h.ok(SetFulfilmentPolicy {
        order_id,
        shipping_policy: ShippingPolicy::AsSoonAsPossible,
        backorder_policy: Some(BackorderPolicy::CancelRest),
        urgent: false,
    });
    let cancelled = order(&mut w, &[(widget, "3", None)]);
    w.h.ok(CancelOrder {
        order_id: cancelled,
        reason: "duplicate".into(),
    });
    receive(&mut w, widget, "7");
    reserve(&mut w, order_id);
    on(&mut w, 5);
    ship(&mut w, order_id, &[]);
    let line = w.h.engine.order(order_id).unwrap().lines[0].clone();
    assert_eq!((line.delivered, line.cancelled), (dec("7"), dec("3")));

    let report = fill_rate(&w).report(day(3, 1), day(3, 31));

    assert_eq!(
        report.overall,
        rates(("10", "7"), Some("0.7"), (1, 0), Some("0"), (1, 0), Some("0"))
    );
}

#[test]
fn the_projection_survives_its_stored_form() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = order(&mut w, &[(widget, "4", None)]);
    on(&mut w, 3);
    deliver(&mut w, order_id);
    let fill = fill_rate(&w);

    let json = serde_json::to_string(&fill).unwrap();
    let back: FillRate = serde_json::from_str(&json).unwrap();

    assert_eq!(back, fill);
    assert_eq!(
        back.report(day(3, 3), day(3, 3)).overall.order_rate,
        Some(Decimal::ONE)
    );
}
