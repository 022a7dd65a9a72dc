//! Partial shipments: a backorder for the rest by default, the rest cancelled by the order's
//! or the customer's backorder policy (reservations released, exposure down), and
//! all-or-nothing shipping.

use crate::common::*;
use crate::support::{World, dec, details};
use o2c::customer::ChangeCustomer;
use o2c::location::LocationKind;
use o2c::order::{
    BackorderPolicy, CreateQuotation, SetFulfilmentPolicy, ShippingPolicy, ShippingStatus, StockReserved,
};
use o2c::picking::{OperationState, Step};
use o2c::shipment::ShipmentDispatched;
use o2c::warehouse::{OutboundRoute, ReservationPolicy};
use o2c::{DomainError, Event, OrderId};

#[test]
fn partial_availability_ships_what_is_there_and_backorders_the_rest() {
    // Given 6 widgets and 10 gadgets, and an order for 10 widgets and 4 gadgets.
    let mut w = World::new();
    let (widget, gadget, warehouse_id) = (w.widget, w.gadget, w.warehouse);
    let stock_location = stock_of(&w);
    let customers = virtual_at(LocationKind::Customer);
    receive(&mut w, widget, "6");
    receive(&mut w, gadget, "10");
    let order_id = confirmed(&mut w, &[(widget, "10"), (gadget, "4")]);
    assert_eq!(exposure(&w), dec("110.00"));

    // When what is available is reserved and shipped.
    let event = only(reserve(&mut w, order_id));
    assert_eq!(
        event,
        Event::StockReserved(StockReserved {
            order_id,
            warehouse_id,
            lines: vec![lq(1, widget, "6"), lq(2, gadget, "4")],
            quants: vec![
                quant(1, widget, stock_location, None, "6"),
                quant(2, gadget, stock_location, None, "4"),
            ],
        })
    );
    let command = shipping(&mut w, order_id, &[]);
    let shipment_id = command.shipment_id;
    let event = only(w.h.ok(command));

    // Then 6 widgets and 4 gadgets leave; 4 widgets are a backorder, still expected.
    assert_eq!(
        event,
        Event::ShipmentDispatched(ShipmentDispatched {
            shipment_id,
            order_id,
            customer_id: w.customer,
            warehouse_id,
            lines: vec![lq(1, widget, "6"), lq(2, gadget, "4")],
            moves: vec![
                line_move(1, mv(widget, stock_location, customers, None, "6")),
                line_move(2, mv(gadget, stock_location, customers, None, "4")),
            ],
            carrier: "UPS".into(),
            tracking_reference: "1Z999".into(),
            cancelled: vec![],
            released: vec![],
            returned: vec![],
        })
    );
    let placed = order(&w, order_id);
    assert_eq!(placed.shipping_status(), ShippingStatus::PartiallyShipped);
    assert_eq!((placed.backorder(1), placed.backorder(2)), (dec("4"), dec("0")));
    let widgets = line(&w, order_id, 1);
    assert_eq!(
        (widgets.delivered, widgets.reserved, widgets.unreserved()),
        (dec("6"), dec("0"), dec("4"))
    );
    assert_eq!(exposure(&w), dec("110.00"));
    assert_eq!(figures(&w, widget), (dec("0"), dec("0"), dec("0")));

    // When 4 more arrive, the backorder is reserved and shipped.
    receive(&mut w, widget, "4");
    reserve(&mut w, order_id);
    let backorder = ship(&mut w, order_id, &[]);
    assert_eq!(
        w.h.engine.shipment(backorder).unwrap().lines,
        vec![lq(1, widget, "4")]
    );
    let placed = order(&w, order_id);
    assert_eq!(placed.shipping_status(), ShippingStatus::Shipped);
    assert_eq!(placed.backorder(1), dec("0"));
    assert_eq!(w.h.engine.read(|b| b.shipments_of(order_id).count()), 2);
}

/// Six widgets in stock and an order for ten (100.00) under `policy`, six reserved.
fn short_order(w: &mut World, policy: Option<BackorderPolicy>) -> OrderId {
    let widget = w.widget;
    receive(w, widget, "6");
    let quotation = CreateQuotation {
        backorder_policy: policy,
        ..quotation(w, vec![requested(widget, "10")])
    };
    let order_id = confirm(w, quotation);
    reserve(w, order_id);
    order_id
}

#[test]
fn the_order_policy_cancels_the_rest_after_a_partial_shipment() {
    let mut w = World::new();
    let widget = w.widget;
    let stock_location = stock_of(&w);
    let order_id = short_order(&mut w, Some(BackorderPolicy::CancelRest));
    assert_eq!(exposure(&w), dec("100.00"));

    // When only 4 of the 6 reserved ship.
    let command = shipping(&mut w, order_id, &[(1, "4")]);
    let event = only(w.h.ok(command));

    // Then the other 6 are cancelled and the 2 still reserved are released.
    let Event::ShipmentDispatched(shipped) = event else {
        panic!("expected ShipmentDispatched, got {event:?}");
    };
    assert_eq!(shipped.lines, vec![lq(1, widget, "4")]);
    assert_eq!(shipped.cancelled, vec![lq(1, widget, "6")]);
    assert_eq!(
        shipped.released,
        vec![quant(1, widget, stock_location, None, "2")]
    );
    assert!(shipped.returned.is_empty());
    let rest = line(&w, order_id, 1);
    assert_eq!(
        (
            rest.delivered,
            rest.cancelled,
            rest.reserved,
            rest.open_quantity()
        ),
        (dec("4"), dec("6"), dec("0"), dec("0"))
    );
    assert!(rest.allocations.is_empty());
    let placed = order(&w, order_id);
    assert_eq!(placed.shipping_status(), ShippingStatus::Shipped);
    assert_eq!(placed.backorder(1), dec("0"));
    assert_eq!(figures(&w, widget), (dec("2"), dec("0"), dec("2")));
    // Exposure falls to what shipped: 4 x 10.00.
    assert_eq!(exposure(&w), dec("40.00"));
    let ship_step = &steps(&w, order_id)[0];
    assert_eq!(
        (ship_step.step, ship_step.state),
        (Step::Ship, OperationState::Done)
    );
    assert_eq!(
        (ship_step.lines[0].demand, ship_step.lines[0].done),
        (dec("4"), dec("4"))
    );
    // Nothing is left to ship or reserve.
    let command = shipping(&mut w, order_id, &[]);
    assert_eq!(w.h.refused(command), DomainError::NothingReserved { order_id });
}

fn cancelling_customer(w: &mut World) {
    let customer_id = w.customer;
    w.h.ok(ChangeCustomer {
        customer_id,
        details: o2c::customer::CustomerDetails {
            backorder_policy: BackorderPolicy::CancelRest,
            ..details("Acme", 30)
        },
    });
}

#[test]
fn the_customer_default_cancels_the_rest_of_an_order_without_its_own_policy() {
    let mut w = World::new();
    let widget = w.widget;
    cancelling_customer(&mut w);
    let order_id = short_order(&mut w, None);

    let shipment_id = ship(&mut w, order_id, &[]);

    assert_eq!(
        w.h.engine.shipment(shipment_id).unwrap().lines,
        vec![lq(1, widget, "6")]
    );
    let rest = line(&w, order_id, 1);
    assert_eq!((rest.delivered, rest.cancelled), (dec("6"), dec("4")));
    assert_eq!(exposure(&w), dec("60.00"));
}

#[test]
fn an_order_keeps_its_backorder_against_the_customer_default() {
    let mut w = World::new();
    cancelling_customer(&mut w);
    let order_id = short_order(&mut w, Some(BackorderPolicy::CreateBackorder));

    ship(&mut w, order_id, &[]);

    let rest = line(&w, order_id, 1);
    assert_eq!((rest.delivered, rest.cancelled), (dec("6"), dec("0")));
    assert_eq!(order(&w, order_id).backorder(1), dec("4"));
    assert_eq!(exposure(&w), dec("100.00"));
}

#[test]
fn a_policy_set_after_confirmation_cancels_the_rest() {
    let mut w = World::new();
    let order_id = short_order(&mut w, None);
    w.h.ok(SetFulfilmentPolicy {
        order_id,
        shipping_policy: ShippingPolicy::AsSoonAsPossible,
        backorder_policy: Some(BackorderPolicy::CancelRest),
        urgent: false,
    });

    ship(&mut w, order_id, &[(1, "5")]);

    let rest = line(&w, order_id, 1);
    assert_eq!((rest.delivered, rest.cancelled), (dec("5"), dec("5")));
    assert_eq!(figures(&w, w.widget), (dec("1"), dec("0"), dec("1")));
}

#[test]
fn cancelling_the_rest_returns_goods_already_picked_to_stock() {
    let mut w = world(OutboundRoute::ThreeSteps, ReservationPolicy::Manual);
    let widget = w.widget;
    let (stock_location, packing) = (stock_of(&w), at(w.warehouse, LocationKind::Packing));
    receive(&mut w, widget, "10");
    let quotation = CreateQuotation {
        backorder_policy: Some(BackorderPolicy::CancelRest),
        ..quotation(&mut w, vec![requested(widget, "10")])
    };
    let order_id = confirm(&mut w, quotation);
    reserve(&mut w, order_id);
    pick(&mut w, order_id, &[]);
    pack(&mut w, order_id, &[(1, "6")]);

    let shipment_id = ship(&mut w, order_id, &[]);

    let shipment = w.h.engine.shipment(shipment_id).unwrap();
    assert_eq!(shipment.lines, vec![lq(1, widget, "6")]);
    let stream =
        w.h.engine
            .stream(&o2c::StreamId::new(o2c::StreamKind::Shipment, shipment_id.0))
            .unwrap();
    let Event::ShipmentDispatched(dispatched) = &stream[0].payload else {
        panic!("expected ShipmentDispatched, got {:?}", stream[0].payload);
    };
    assert_eq!(dispatched.cancelled, vec![lq(1, widget, "4")]);
    assert_eq!(dispatched.released, vec![quant(1, widget, packing, None, "4")]);
    assert_eq!(
        dispatched.returned,
        vec![line_move(1, mv(widget, packing, stock_location, None, "4"))]
    );
    let in_stock = stock(&w, widget).quant(stock_location, None);
    assert_eq!((in_stock.quantity, in_stock.reserved), (dec("4"), dec("0")));
    assert_eq!(stock(&w, widget).at(packing), dec("0"));
    assert_eq!(figures(&w, widget), (dec("4"), dec("0"), dec("4")));
}

#[test]
fn shipping_when_complete_refuses_a_partial_shipment_and_ships_once_everything_is_ready() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    receive(&mut w, widget, "10");
    receive(&mut w, gadget, "2");
    let quotation = CreateQuotation {
        shipping_policy: ShippingPolicy::WhenComplete,
        ..quotation(&mut w, vec![requested(widget, "5"), requested(gadget, "4")])
    };
    let order_id = confirm(&mut w, quotation);
    reserve(&mut w, order_id);

    // 5 widgets and 2 of 4 gadgets reserved: not complete.
    let command = shipping(&mut w, order_id, &[]);
    assert_eq!(w.h.refused(command), DomainError::IncompleteShipment { order_id });
    let command = shipping(&mut w, order_id, &[(1, "5")]);
    assert_eq!(w.h.refused(command), DomainError::IncompleteShipment { order_id });

    // Once the gadgets are in, it ships whole; a part of it would still be refused.
    receive(&mut w, gadget, "2");
    reserve(&mut w, order_id);
    let command = shipping(&mut w, order_id, &[(1, "5"), (2, "3")]);
    assert_eq!(w.h.refused(command), DomainError::IncompleteShipment { order_id });
    let shipment_id = ship(&mut w, order_id, &[]);

    assert_eq!(
        w.h.engine.shipment(shipment_id).unwrap().lines,
        vec![lq(1, widget, "5"), lq(2, gadget, "4")]
    );
    assert_eq!(order(&w, order_id).shipping_status(), ShippingStatus::Shipped);
}
