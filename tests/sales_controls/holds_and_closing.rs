//! Stopping a confirmed order: manual holds, closing and reopening, cancelling only before anything ships.

use crate::common::*;
use crate::support::{World, dec};
use o2c::order::{
    CancelOrder, CloseOrder, HoldKind, HoldOrder, LineQuantity, OrderCancelled, OrderClosed, OrderHeld,
    OrderReleased, OrderReopened, OrderStatus, ReleaseOrder, ReopenOrder, ReserveStock, ShippingStatus,
};
use o2c::rust_decimal::Decimal;
use o2c::shipment::ShipOrder;
use o2c::stock::StockLevel;
use o2c::{DomainError, Event, Role};

#[test]
fn a_manual_hold_stops_reservation_and_shipping_until_released() {
    let mut w = World::new();
    let widget = w.widget;
    receive(&mut w, widget, "10");
    let order_id = confirmed(&mut w, &[(widget, "10")]);
    let on_hold = DomainError::OrderOnHold {
        order_id,
        hold: HoldKind::Manual,
    };

    assert_eq!(
        refused_as(
            &mut w.h,
            rep(),
            HoldOrder {
                order_id,
                reason: "Check address".into(),
            }
        ),
        not_authorized("rita", "HoldOrder", &[Role::SalesManager])
    );
    let outcome = ok_as(
        &mut w.h,
        manager(),
        HoldOrder {
            order_id,
            reason: "Check address".into(),
        },
    );
    assert_eq!(
        event(outcome),
        Event::OrderHeld(OrderHeld {
            order_id,
            reason: "Check address".into(),
        })
    );
    assert_eq!(order(&w, order_id).active_hold(), Some(HoldKind::Manual));
    assert_eq!(w.h.refused(ReserveStock { order_id }), on_hold);
    assert_eq!(
        refused_as(
            &mut w.h,
            manager(),
            HoldOrder {
                order_id,
                reason: "again".into(),
            }
        ),
        DomainError::OrderAlreadyHeld { order_id }
    );

    let outcome = ok_as(
        &mut w.h,
        manager(),
        ReleaseOrder {
            order_id,
            reason: "Address confirmed".into(),
        },
    );
    assert_eq!(
        event(outcome),
        Event::OrderReleased(OrderReleased {
            order_id,
            reason: "Address confirmed".into(),
        })
    );
    reserve(&mut w, order_id);
    ok_as(
        &mut w.h,
        manager(),
        HoldOrder {
            order_id,
            reason: "Dispute".into(),
        },
    );
    let shipment_id = w.h.id();
    assert_eq!(
        w.h.refused(ShipOrder {
            shipment_id,
            order_id,
            lines: vec![],
            warehouse_id: None,
            carrier: String::new(),
            tracking_reference: String::new(),
        }),
        on_hold
    );
    ok_as(
        &mut w.h,
        manager(),
        ReleaseOrder {
            order_id,
            reason: "Settled".into(),
        },
    );
    assert_eq!(
        refused_as(
            &mut w.h,
            manager(),
            ReleaseOrder {
                order_id,
                reason: "again".into(),
            }
        ),
        DomainError::OrderNotHeld { order_id }
    );
    ship(&mut w, order_id, &[]);
    assert_eq!(line(&w, order_id, 1).delivered, dec("10"));
}

#[test]
fn closing_stops_expecting_the_rest_and_releases_it_and_reopening_expects_it_again() {
    let mut w = World::new();
    let widget = w.widget;
    receive(&mut w, widget, "10");
    let order_id = confirmed(&mut w, &[(widget, "10")]);
    reserve(&mut w, order_id);
    ship(&mut w, order_id, &[(1, "4")]);
    let o = order(&w, order_id);
    assert_eq!(
        (o.backorder(1), o.shipping_status()),
        (dec("6"), ShippingStatus::PartiallyShipped)
    );
    assert_eq!(uninvoiced(&w), dec("100"));

    let outcome = ok_as(
        &mut w.h,
        manager(),
        CloseOrder {
            order_id,
            reason: "Rest no longer needed".into(),
        },
    );

    assert_eq!(
        event(outcome),
        Event::OrderClosed(OrderClosed {
            order_id,
            released: vec![LineQuantity {
                line: 1,
                product_id: widget,
                quantity: dec("6"),
            }],
            reason: "Rest no longer needed".into(),
            released_quants: vec![stock_quant(&w, 1, widget, "6")],
            returned: vec![],
        })
    );
    let o = order(&w, order_id);
    assert_eq!(o.status, OrderStatus::Closed);
    assert_eq!(o.lines[0].reserved, Decimal::ZERO);
    assert_eq!(o.backorder(1), Decimal::ZERO);
    assert_eq!(o.shipping_status(), ShippingStatus::Shipped);
    assert_eq!(uninvoiced(&w), dec("40"), "only the 4 delivered remain expected");
    assert_eq!(
        level(&w, widget),
        StockLevel {
            on_hand: dec("6"),
            reserved: Decimal::ZERO,
        }
    );
    assert_eq!(
        refused_as(
            &mut w.h,
            manager(),
            CloseOrder {
                order_id,
                reason: "again".into(),
            }
        ),
        DomainError::OrderIsClosed { order_id }
    );
    assert_eq!(
        w.h.refused(ReserveStock { order_id }),
        DomainError::OrderIsClosed { order_id }
    );

    let outcome = ok_as(
        &mut w.h,
        manager(),
        ReopenOrder {
            order_id,
            reason: "Customer changed their mind".into(),
        },
    );
    assert_eq!(
        event(outcome),
        Event::OrderReopened(OrderReopened {
            order_id,
            reason: "Customer changed their mind".into(),
            credit_hold: None,
        })
    );
    let o = order(&w, order_id);
    assert_eq!(o.status, OrderStatus::Confirmed);
    assert_eq!(
        (o.backorder(1), o.shipping_status()),
        (dec("6"), ShippingStatus::PartiallyShipped)
    );
    assert_eq!(uninvoiced(&w), dec("100"));
    assert_eq!(reserve(&mut w, order_id).lines[0].quantity, dec("6"));
    assert_eq!(
        refused_as(
            &mut w.h,
            manager(),
            ReopenOrder {
                order_id,
                reason: "again".into(),
            }
        ),
        DomainError::OrderAlreadyConfirmed { order_id }
    );
}

#[test]
fn an_order_is_cancelled_only_while_nothing_has_shipped() {
    let mut w = World::new();
    let widget = w.widget;
    receive(&mut w, widget, "20");
    let untouched = confirmed(&mut w, &[(widget, "10")]);
    reserve(&mut w, untouched);
    let outcome = ok_as(
        &mut w.h,
        rep(),
        CancelOrder {
            order_id: untouched,
            reason: "Customer cancelled".into(),
        },
    );
    assert_eq!(
        event(outcome),
        Event::OrderCancelled(OrderCancelled {
            order_id: untouched,
            released: vec![LineQuantity {
                line: 1,
                product_id: widget,
                quantity: dec("10"),
            }],
            reason: "Customer cancelled".into(),
            released_quants: vec![stock_quant(&w, 1, widget, "10")],
            returned: vec![],
        })
    );
    assert_eq!(level(&w, widget).reserved, Decimal::ZERO);
    assert_eq!(uninvoiced(&w), Decimal::ZERO);

    let shipped = confirmed(&mut w, &[(widget, "10")]);
    reserve(&mut w, shipped);
    ship(&mut w, shipped, &[(1, "1")]);
    assert_eq!(
        refused_as(
            &mut w.h,
            rep(),
            CancelOrder {
                order_id: shipped,
                reason: "Customer cancelled".into(),
            }
        ),
        DomainError::OrderHasShipments { order_id: shipped }
    );
    ok_as(
        &mut w.h,
        manager(),
        CloseOrder {
            order_id: shipped,
            reason: "Close instead".into(),
        },
    );
    assert_eq!(order(&w, shipped).status, OrderStatus::Closed);
}
