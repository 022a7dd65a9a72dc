//! Confirmation: the amount, the exposure and the credit limit it records and raises.

use crate::common::*;
use crate::support::{World, dec, details, usd};
use o2c::customer::RegisterCustomer;
use o2c::order::{ConfirmOrder, CreateQuotation, OrderConfirmed, OrderStatus, ShippingStatus};
use o2c::product::{RegisterProduct, Unit};
use o2c::rust_decimal::Decimal;
use o2c::{Event, ProductId};

#[test]
fn confirming_records_the_amount_the_exposure_and_the_credit_limit() {
    let mut w = World::new();
    let (widget, gadget, customer_id) = (w.widget, w.gadget, w.customer);
    let order_id = quote(&mut w, &[(widget, "3"), (gadget, "5")]);

    let event = only(w.h.ok(ConfirmOrder { order_id }));

    assert_eq!(
        event,
        Event::OrderConfirmed(OrderConfirmed {
            order_id,
            customer_id,
            amount: usd("42.50"),
            exposure: usd("42.50"),
            credit_limit: Some(usd("10000.00")),
            credit_hold: None,
        })
    );
    assert_eq!(order(&w, order_id).status, OrderStatus::Confirmed);
    assert_eq!(order(&w, order_id).shipping_status(), ShippingStatus::NotShipped);
}

#[test]
fn confirming_raises_the_customers_uninvoiced_orders_and_exposure() {
    let mut w = World::new();
    let (widget, flour) = (w.widget, w.flour);

    confirmed(&mut w, &[(widget, "2"), (flour, "0.125")]);

    let acme = customer(&w);
    assert_eq!(acme.uninvoiced_orders, dec("20.50"));
    assert_eq!(acme.receivable, Decimal::ZERO);
    assert_eq!(acme.exposure(), dec("20.50"));
}

#[test]
fn a_second_order_adds_to_the_exposure_already_there() {
    let mut w = World::new();
    let widget = w.widget;
    confirmed(&mut w, &[(widget, "100")]);
    let second = quote(&mut w, &[(widget, "50")]);

    let event = only(w.h.ok(ConfirmOrder { order_id: second }));

    let Event::OrderConfirmed(e) = event else {
        panic!("expected OrderConfirmed, got {event:?}")
    };
    assert_eq!(e.amount, usd("500.00"));
    assert_eq!(e.exposure, usd("1500.00"));
    assert_eq!(customer(&w).exposure(), dec("1500"));
}

#[test]
fn confirming_up_to_exactly_the_credit_limit_is_allowed() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quote(&mut w, &[(widget, "1000")]);

    let event = only(w.h.ok(ConfirmOrder { order_id }));

    let Event::OrderConfirmed(e) = event else {
        panic!("expected OrderConfirmed, got {event:?}")
    };
    assert_eq!(e.exposure, usd("10000.00"));
    assert_eq!(e.credit_limit, Some(usd("10000.00")));
    assert_eq!(e.credit_hold, None, "exactly at the limit is within it");
    assert_eq!(order(&w, order_id).credit_hold, None);
}

#[test]
fn the_order_amount_sums_rounded_lines_while_exposure_stays_exact() {
    let mut w = World::new();
    let salt: ProductId = w.h.id();
    w.h.ok(RegisterProduct {
        product_id: salt,
        sku: "SALT".into(),
        name: "Salt".into(),
        unit: Unit {
            code: "kg".into(),
            decimals: 3,
        },
        list_price: usd("1.00"),
        category: None,
        floor_price: None,
        tracking: Default::default(),
        substitutes: vec![],
        invoice_policy: Default::default(),
        taxes: vec![],
    });
    let order_id = quote(&mut w, &[(salt, "0.125"), (salt, "0.125")]);

    let event = only(w.h.ok(ConfirmOrder { order_id }));

    let Event::OrderConfirmed(e) = event else {
        panic!("expected OrderConfirmed, got {event:?}")
    };
    assert_eq!(e.amount, usd("0.26"), "0.13 + 0.13");
    assert_eq!(e.exposure, usd("0.25"), "0.125 + 0.125, judged at the cent");
    assert_eq!(customer(&w).uninvoiced_orders, dec("0.250"));
}

#[test]
fn a_customer_without_a_credit_limit_is_not_held_to_one() {
    let mut w = World::new();
    let (widget, warehouse_id) = (w.widget, w.warehouse);
    let customer_id = w.h.id();
    w.h.ok(RegisterCustomer {
        customer_id,
        details: details("Initech", 0),
        credit_limit: None,
    });
    let order_id = w.h.id();
    w.h.ok(CreateQuotation {
        order_id,
        customer_id,
        warehouse_id,
        lines: requested(&[(widget, "5000")]),
        customer_reference: String::new(),
        shipping_policy: Default::default(),
        backorder_policy: None,
        urgent: false,
    });

    let event = only(w.h.ok(ConfirmOrder { order_id }));

    let Event::OrderConfirmed(e) = event else {
        panic!("expected OrderConfirmed, got {event:?}")
    };
    assert_eq!(e.amount, usd("50000.00"));
    assert_eq!(e.exposure, usd("50000.00"));
    assert_eq!(e.credit_limit, None);
    assert_eq!(e.credit_hold, None);
}
