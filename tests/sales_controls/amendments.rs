//! Changes after confirmation: quantities, added lines, promised dates, fixed prices, reasons.

use crate::common::*;
use crate::support::{World, dec, usd};
use o2c::order::{
    AddOrderLine, AddQuotationLine, ApprovalReason, CancelOrder, ChangeOrderLine, CloseOrder, HoldOrder,
    OrderLineAdded, OrderLineChanged, OrderStatus, OverrideLinePrice, QuotedLine, ReleaseOrder, ReopenOrder,
    RequestedLine, RevalidateQuotation, SetOrderDiscount, ShippingStatus,
};
use o2c::pricing::PriceSource;
use o2c::product::ChangeProduct;
use o2c::rust_decimal::Decimal;
use o2c::stock::StockLevel;
use o2c::{Actor, Command, DomainError, Event};

#[test]
fn a_confirmed_quantity_may_go_up_and_down_at_the_confirmed_price() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = confirmed(&mut w, &[(widget, "10")]);
    assert_eq!(uninvoiced(&w), dec("100"));
    change_list_price(&mut w, widget, "20.00");

    let outcome = ok_as(
        &mut w.h,
        rep(),
        change_quantity(order_id, 1, "15", "Customer wants more"),
    );
    assert_eq!(
        event(outcome),
        Event::OrderLineChanged(OrderLineChanged {
            order_id,
            line: 1,
            quantity: dec("15"),
            unit_price: usd("10.00"),
            price_source: PriceSource::ListPrice,
            discount_percent: Decimal::ZERO,
            promised_date: None,
            released: Decimal::ZERO,
            reason: "Customer wants more".into(),
            credit_hold: None,
            released_quants: vec![],
        })
    );
    assert_eq!(uninvoiced(&w), dec("150"));
    ok_as(&mut w.h, rep(), change_quantity(order_id, 1, "8", "Budget cut"));
    assert_eq!(line(&w, order_id, 1).quantity, dec("8"));
    assert_eq!(uninvoiced(&w), dec("80"));
    assert_eq!(
        refused_as(&mut w.h, rep(), change_quantity(order_id, 1, "9", "")),
        blank_reason(),
        "a change after confirmation needs a reason"
    );
}

#[test]
fn a_confirmed_quantity_never_goes_below_what_was_delivered() {
    let mut w = World::new();
    let widget = w.widget;
    receive(&mut w, widget, "10");
    let order_id = confirmed(&mut w, &[(widget, "10")]);
    reserve(&mut w, order_id);
    ship(&mut w, order_id, &[(1, "4")]);

    assert_eq!(
        w.h.refused(change_quantity(order_id, 1, "3", "Too much")),
        DomainError::QuantityBelowDelivered {
            order_id,
            line: 1,
            quantity: dec("3"),
            delivered: dec("4"),
        }
    );
    let Event::OrderLineChanged(e) = event(w.h.ok(change_quantity(order_id, 1, "4", "Only what came")))
    else {
        panic!("expected OrderLineChanged")
    };
    assert_eq!(e.released, dec("6"));
    assert_eq!(order(&w, order_id).shipping_status(), ShippingStatus::Shipped);
}

#[test]
fn lowering_below_delivered_plus_reserved_releases_the_surplus_reservation() {
    let mut w = World::new();
    let widget = w.widget;
    receive(&mut w, widget, "10");
    let order_id = confirmed(&mut w, &[(widget, "10")]);
    reserve(&mut w, order_id);
    ship(&mut w, order_id, &[(1, "4")]);
    // Delivered 4, reserved 6; stock: 6 on hand, all reserved.
    assert_eq!(
        level(&w, widget),
        StockLevel {
            on_hand: dec("6"),
            reserved: dec("6"),
        }
    );

    let Event::OrderLineChanged(e) = event(w.h.ok(change_quantity(order_id, 1, "9", "Fewer"))) else {
        panic!("expected OrderLineChanged")
    };
    assert_eq!(e.released, dec("1"));
    let Event::OrderLineChanged(e) = event(w.h.ok(change_quantity(order_id, 1, "7", "Fewer still"))) else {
        panic!("expected OrderLineChanged")
    };
    assert_eq!(e.released, dec("2"));

    let l = line(&w, order_id, 1);
    assert_eq!(
        (l.quantity, l.delivered, l.reserved),
        (dec("7"), dec("4"), dec("3"))
    );
    assert_eq!(
        level(&w, widget),
        StockLevel {
            on_hand: dec("6"),
            reserved: dec("3"),
        }
    );
}

#[test]
fn lowering_within_what_is_unreserved_releases_nothing() {
    let mut w = World::new();
    let widget = w.widget;
    receive(&mut w, widget, "6");
    let order_id = confirmed(&mut w, &[(widget, "10")]);
    reserve(&mut w, order_id); // 6 of 10
    let Event::OrderLineChanged(e) = event(w.h.ok(change_quantity(order_id, 1, "8", "Fewer"))) else {
        panic!("expected OrderLineChanged")
    };
    assert_eq!(e.released, Decimal::ZERO);
    assert_eq!(line(&w, order_id, 1).reserved, dec("6"));
    assert_eq!(level(&w, widget).reserved, dec("6"));
}

#[test]
fn a_line_added_after_confirmation_needs_a_reason_and_is_priced_like_a_quotation_line() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let order_id = confirmed(&mut w, &[(widget, "1")]);
    assert_eq!(
        refused_as(
            &mut w.h,
            rep(),
            AddOrderLine {
                order_id,
                requested: RequestedLine::new(gadget, dec("4")),
                reason: String::new(),
            }
        ),
        blank_reason()
    );

    let outcome = ok_as(
        &mut w.h,
        rep(),
        AddOrderLine {
            order_id,
            requested: RequestedLine::new(gadget, dec("4")),
            reason: "Forgot the gadgets".into(),
        },
    );
    assert_eq!(only(&outcome).actor, actor_id("rita"));
    assert_eq!(
        event(outcome),
        Event::OrderLineAdded(OrderLineAdded {
            order_id,
            line: QuotedLine {
                line: 2,
                product_id: gadget,
                quantity: dec("4"),
                unit: "pcs".into(),
                unit_price: usd("2.50"),
                price_source: PriceSource::ListPrice,
                discount_percent: Decimal::ZERO,
                promised_date: None,
                stock_per_unit: o2c::rust_decimal::Decimal::ONE,
                warehouse_id: None,
                invoice_policy: Default::default(),
            },
            reason: "Forgot the gadgets".into(),
            credit_hold: None,
        })
    );
    assert_eq!(uninvoiced(&w), dec("20"), "10.00 + 4 x 2.50");
}

#[test]
fn a_line_added_after_confirmation_cannot_bypass_discount_approval() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let order_id = confirmed(&mut w, &[(widget, "1")]);
    let refusal = refused_as(
        &mut w.h,
        rep(),
        AddOrderLine {
            order_id,
            requested: discounted(gadget, "100", "90"),
            reason: "Friends and family".into(),
        },
    );
    assert!(
        matches!(
            refusal,
            DomainError::ApprovalRequired { .. } | DomainError::OrderAlreadyConfirmed { .. }
        ),
        "got {refusal:?}"
    );
}

#[test]
fn the_promised_date_may_move_after_confirmation_with_a_reason() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quotation(&mut w, &[]);
    w.h.ok(AddQuotationLine {
        order_id,
        product_id: widget,
        quantity: dec("3"),
        discount_percent: Decimal::ZERO,
        promised_date: Some(date(2026, 3, 20)),
        unit: None,
        warehouse_id: None,
    });
    confirm(&mut w, order_id);

    let move_to = |reason: &str| ChangeOrderLine {
        order_id,
        line: 1,
        quantity: None,
        discount_percent: None,
        promised_date: Some(date(2026, 3, 27)),
        reason: reason.into(),
    };
    assert_eq!(w.h.refused(move_to("")), blank_reason());
    let outcome = ok_as(&mut w.h, rep(), move_to("Supplier is late"));
    assert_eq!(
        event(outcome),
        Event::OrderLineChanged(OrderLineChanged {
            order_id,
            line: 1,
            quantity: dec("3"),
            unit_price: usd("10.00"),
            price_source: PriceSource::ListPrice,
            discount_percent: Decimal::ZERO,
            promised_date: Some(date(2026, 3, 27)),
            released: Decimal::ZERO,
            reason: "Supplier is late".into(),
            credit_hold: None,
            released_quants: vec![],
        })
    );
    assert_eq!(line(&w, order_id, 1).promised_date, Some(date(2026, 3, 27)));
}

#[test]
fn prices_and_discounts_are_fixed_once_confirmed() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = confirmed(&mut w, &[(widget, "10")]);
    let expected = DomainError::OrderAlreadyConfirmed { order_id };
    assert_eq!(
        w.h.refused(ChangeOrderLine {
            order_id,
            line: 1,
            quantity: None,
            discount_percent: Some(dec("5")),
            promised_date: None,
            reason: "Goodwill".into(),
        }),
        expected
    );
    assert_eq!(
        w.h.refused(SetOrderDiscount {
            order_id,
            discount_percent: dec("5"),
        }),
        expected
    );
    assert_eq!(
        refused_as(
            &mut w.h,
            manager(),
            OverrideLinePrice {
                order_id,
                line: 1,
                unit_price: usd("5.00"),
                reason: "Goodwill".into(),
            }
        ),
        expected
    );
    assert_eq!(w.h.refused(RevalidateQuotation { order_id }), expected);
}

#[test]
fn every_change_after_confirmation_records_its_actor_and_reason() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let order_id = confirmed(&mut w, &[(widget, "10")]);

    let steps: Vec<(Actor, Command, &str)> = vec![
        (rep(), change_quantity(order_id, 1, "12", "Raise").into(), "Raise"),
        (
            rep2(),
            AddOrderLine {
                order_id,
                requested: RequestedLine::new(gadget, dec("2")),
                reason: "Add".into(),
            }
            .into(),
            "Add",
        ),
        (
            manager(),
            HoldOrder {
                order_id,
                reason: "Hold".into(),
            }
            .into(),
            "Hold",
        ),
        (
            manager2(),
            ReleaseOrder {
                order_id,
                reason: "Release".into(),
            }
            .into(),
            "Release",
        ),
        (
            manager(),
            CloseOrder {
                order_id,
                reason: "Close".into(),
            }
            .into(),
            "Close",
        ),
        (
            manager2(),
            ReopenOrder {
                order_id,
                reason: "Reopen".into(),
            }
            .into(),
            "Reopen",
        ),
        (
            rep2(),
            CancelOrder {
                order_id,
                reason: "Cancel".into(),
            }
            .into(),
            "Cancel",
        ),
    ];
    for (actor, command, reason) in steps {
        let who = actor.id.clone();
        let outcome = ok_as(&mut w.h, actor, command);
        let recorded = only(&outcome);
        assert_eq!(recorded.actor, who, "{}", recorded.payload.name());
        let recorded_reason = match &recorded.payload {
            Event::OrderLineChanged(e) => &e.reason,
            Event::OrderLineAdded(e) => &e.reason,
            Event::OrderHeld(e) => &e.reason,
            Event::OrderReleased(e) => &e.reason,
            Event::OrderClosed(e) => &e.reason,
            Event::OrderReopened(e) => &e.reason,
            Event::OrderCancelled(e) => &e.reason,
            other => panic!("unexpected {other:?}"),
        };
        assert_eq!(recorded_reason, reason);
    }
    assert_eq!(order(&w, order_id).status, OrderStatus::Cancelled);
}

#[test]
fn a_change_that_changes_nothing_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = confirmed(&mut w, &[(widget, "3")]);
    let same = ChangeOrderLine {
        quantity: Some(dec("3.0")),
        ..change_quantity(order_id, 1, "3", "no change")
    };
    assert_eq!(w.h.refused(same), DomainError::NothingToChange { order_id });
}

#[test]
fn a_line_added_after_confirmation_below_the_floor_price_is_refused() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    ok_as(
        &mut w.h,
        admin(),
        ChangeProduct {
            product_id: gadget,
            name: "GADGET".into(),
            category: None,
            list_price: usd("2.50"),
            floor_price: Some(usd("2.40")),
            substitutes: vec![],
            invoice_policy: Default::default(),
            taxes: vec![],
        },
    );
    let order_id = quotation_by(&mut w, rep(), requested(&[(widget, "1")]));
    ok_as(
        &mut w.h,
        rep(),
        SetOrderDiscount {
            order_id,
            discount_percent: dec("5"),
        },
    );
    confirm(&mut w, order_id);
    // The order discount takes the gadget to 2.375, under its floor of 2.40.
    let refusal = refused_as(
        &mut w.h,
        rep(),
        AddOrderLine {
            order_id,
            requested: RequestedLine::new(gadget, dec("4")),
            reason: "by phone".into(),
        },
    );
    assert_eq!(
        refusal,
        DomainError::ApprovalRequired {
            order_id,
            reasons: vec![ApprovalReason::BelowFloorPrice {
                line: 2,
                net_price: usd("2.375"),
                floor_price: usd("2.40"),
            }],
        }
    );
}
