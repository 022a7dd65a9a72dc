//! Orders over the credit limit confirmed on credit hold, exposure judged at the cent, a zero limit.

use crate::common::*;
use crate::support::{World, dec, details, usd};
use o2c::customer::RegisterCustomer;
use o2c::money::Money;
use o2c::order::{
    CancelOrder, ConfirmOrder, CreateQuotation, CreditHold, CreditHoldReason, HoldKind, OrderConfirmed,
    OrderStatus, ReserveStock,
};
use o2c::rust_decimal::Decimal;
use o2c::{CustomerId, DomainError, Event, OrderId, Outcome, ProductId};

// Going over the credit limit does not refuse the confirmation: the order is confirmed on
// credit hold, with the exposure (judged at the cent) and the limit recorded, and nothing is
// reserved or shipped until the hold is released.

/// The `OrderConfirmed` event of a confirmation.
fn confirmation(outcome: Outcome) -> OrderConfirmed {
    match only(outcome) {
        Event::OrderConfirmed(e) => e,
        other => panic!("expected OrderConfirmed, got {other:?}"),
    }
}

/// The credit hold of an order whose exposure went over its limit.
fn over_limit(exposure: Money, limit: Money) -> Option<CreditHold> {
    Some(CreditHold {
        reasons: vec![CreditHoldReason::OverCreditLimit { exposure, limit }],
    })
}

/// Registers a customer with its own credit limit (which needs the credit controller's
/// role; the harness actor holds every role).
fn customer_with_limit(w: &mut World, name: &str, payment_term_days: u32, limit: Money) -> CustomerId {
    let customer_id = w.h.id();
    w.h.ok(RegisterCustomer {
        customer_id,
        details: details(name, payment_term_days),
        credit_limit: Some(limit),
    });
    customer_id
}

fn quote_for(w: &mut World, customer_id: CustomerId, lines: &[(ProductId, &str)]) -> OrderId {
    let order_id = w.h.id();
    let warehouse_id = w.warehouse;
    w.h.ok(CreateQuotation {
        order_id,
        customer_id,
        warehouse_id,
        lines: requested(lines),
        customer_reference: String::new(),
        shipping_policy: Default::default(),
        backorder_policy: None,
        urgent: false,
    });
    order_id
}

#[test]
fn an_order_over_the_credit_limit_is_confirmed_on_credit_hold() {
    let mut w = World::new();
    let (widget, customer_id) = (w.widget, w.customer);
    receive(&mut w, widget, "1001");
    let order_id = quote(&mut w, &[(widget, "1001")]);

    let event = only(w.h.ok(ConfirmOrder { order_id }));

    assert_eq!(
        event,
        Event::OrderConfirmed(OrderConfirmed {
            order_id,
            customer_id,
            amount: usd("10010.00"),
            exposure: usd("10010.00"),
            credit_limit: Some(usd("10000.00")),
            credit_hold: over_limit(usd("10010.00"), usd("10000.00")),
        })
    );
    let held = order(&w, order_id);
    assert_eq!(held.status, OrderStatus::Confirmed);
    assert_eq!(held.credit_hold, over_limit(usd("10010.00"), usd("10000.00")));
    assert_eq!(held.active_hold(), Some(HoldKind::Credit));
    assert_eq!(
        customer(&w).exposure(),
        dec("10010.00"),
        "a held order is still expected, so it counts"
    );
    assert_eq!(
        w.h.refused(ReserveStock { order_id }),
        DomainError::OrderOnHold {
            order_id,
            hold: HoldKind::Credit
        },
        "nothing is reserved while the hold stands"
    );
    assert_eq!(level(&w, widget).reserved, Decimal::ZERO);
}

#[test]
fn uninvoiced_orders_and_the_receivable_count_against_the_credit_limit() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let invoiced = delivered(&mut w, &[(widget, "300")]);
    let invoice_id = posted_invoice(&mut w, invoiced);
    confirmed(&mut w, &[(widget, "600")]);
    let lines = [(widget, "100"), (gadget, "1")];
    let order_id = quote(&mut w, &lines);
    assert_eq!(customer(&w).receivable, dec("3000.00"));

    let held = confirmation(w.h.ok(ConfirmOrder { order_id }));

    assert_eq!(
        held.credit_hold,
        over_limit(usd("10002.50"), usd("10000.00")),
        "3,000.00 receivable + 6,000.00 uninvoiced + 1,002.50 for this order"
    );

    // Cancel the held order and take 2.50 off the receivable: the same order now fits,
    // exactly at the limit.
    w.h.ok(CancelOrder {
        order_id,
        reason: "over the credit limit".into(),
    });
    assert_eq!(customer(&w).exposure(), dec("9000.00"));
    let payment_id = pay(&mut w, usd("2.50"));
    allocate(&mut w, payment_id, invoice_id, usd("2.50"));
    let again = quote(&mut w, &lines);

    let confirmed_again = confirmation(w.h.ok(ConfirmOrder { order_id: again }));

    assert_eq!(confirmed_again.exposure, usd("10000.00"));
    assert_eq!(confirmed_again.credit_hold, None);
    assert_eq!(order(&w, again).credit_hold, None);
}

#[test]
fn the_credit_check_judges_exposure_at_the_cent() {
    let mut w = World::new();
    let flour = w.flour;
    let customer_id = customer_with_limit(&mut w, "Tiny", 30, usd("1.00"));
    // 1.004 rounds to 1.00: within the limit; 1.008 rounds to 1.01: over it.
    let within = quote_for(&mut w, customer_id, &[(flour, "0.251")]);
    let over = quote_for(&mut w, customer_id, &[(flour, "0.252")]);

    let first = confirmation(w.h.ok(ConfirmOrder { order_id: within }));

    assert_eq!(first.exposure, usd("1.00"));
    assert_eq!(first.credit_hold, None);
    let exposure_after_first = w.h.engine.customer(customer_id).unwrap().exposure();
    assert_eq!(exposure_after_first, dec("1.004"), "kept exact between checks");

    let second = confirmation(w.h.ok(ConfirmOrder { order_id: over }));

    assert_eq!(
        second.credit_hold,
        over_limit(usd("2.01"), usd("1.00")),
        "1.004 + 1.008 = 2.012, judged at the cent"
    );
    assert_eq!(order(&w, over).credit_hold, over_limit(usd("2.01"), usd("1.00")));
    assert_eq!(order(&w, within).credit_hold, None);
}

#[test]
fn a_single_order_just_over_the_limit_after_rounding_goes_on_credit_hold() {
    let mut w = World::new();
    let flour = w.flour;
    let customer_id = customer_with_limit(&mut w, "Tiny", 30, usd("1.00"));
    let order_id = quote_for(&mut w, customer_id, &[(flour, "0.252")]);

    let e = confirmation(w.h.ok(ConfirmOrder { order_id }));

    assert_eq!(e.amount, usd("1.01"));
    assert_eq!(e.exposure, usd("1.01"), "1.008 rounds to 1.01");
    assert_eq!(e.credit_hold, over_limit(usd("1.01"), usd("1.00")));
    assert_eq!(order(&w, order_id).active_hold(), Some(HoldKind::Credit));
}

#[test]
fn a_customer_with_a_zero_limit_gets_no_credit() {
    let mut w = World::new();
    let gadget = w.gadget;
    let customer_id = customer_with_limit(&mut w, "Cash Only", 0, usd("0"));
    let order_id = quote_for(&mut w, customer_id, &[(gadget, "1")]);

    let e = confirmation(w.h.ok(ConfirmOrder { order_id }));

    assert_eq!(e.credit_limit, Some(usd("0")));
    assert_eq!(e.credit_hold, over_limit(usd("2.50"), usd("0")));
    assert_eq!(order(&w, order_id).credit_hold, over_limit(usd("2.50"), usd("0")));
}
