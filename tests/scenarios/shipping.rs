//! Shipping: everything reserved, explicit lines, backorders and shipping them later.

use crate::common::*;
use crate::support::{World, dec};
use o2c::Event;
use o2c::order::{LineQuantity, ReserveStock, ShippingStatus};
use o2c::rust_decimal::Decimal;
use o2c::shipment::{ShipLine, ShipOrder, ShipmentDispatched};
use o2c::stock::StockLevel;

#[test]
fn shipping_everything_reserved_delivers_it_and_takes_it_out_of_stock() {
    let mut w = World::new();
    let (widget, flour, customer_id, warehouse_id) = (w.widget, w.flour, w.customer, w.warehouse);
    receive(&mut w, widget, "10");
    receive(&mut w, flour, "5");
    let order_id = confirmed(&mut w, &[(widget, "4"), (flour, "2.5")]);
    w.h.ok(ReserveStock { order_id });
    let shipment_id = w.h.id();

    let event = only(w.h.ok(ShipOrder {
        shipment_id,
        order_id,
        lines: vec![],
        warehouse_id: None,
        carrier: String::new(),
        tracking_reference: String::new(),
    }));

    let shipped = vec![
        LineQuantity {
            line: 1,
            product_id: widget,
            quantity: dec("4"),
        },
        LineQuantity {
            line: 2,
            product_id: flour,
            quantity: dec("2.5"),
        },
    ];
    let moves = vec![
        shipped_from_stock(&w, 1, widget, "4"),
        shipped_from_stock(&w, 2, flour, "2.5"),
    ];
    assert_eq!(
        event,
        Event::ShipmentDispatched(ShipmentDispatched {
            shipment_id,
            order_id,
            customer_id,
            warehouse_id,
            lines: shipped.clone(),
            moves: moves.clone(),
            carrier: String::new(),
            tracking_reference: String::new(),
            cancelled: vec![],
            released: vec![],
            returned: vec![],
        })
    );
    let widgets = level(&w, widget);
    assert_eq!(
        (widgets.on_hand, widgets.reserved, widgets.available()),
        (dec("6"), dec("0"), dec("6"))
    );
    let flour_level = level(&w, flour);
    assert_eq!(
        (flour_level.on_hand, flour_level.reserved),
        (dec("2.5"), dec("0"))
    );
    let first = line(&w, order_id, 1);
    assert_eq!(
        (
            first.reserved,
            first.delivered,
            first.open_quantity(),
            order(&w, order_id).backorder(1)
        ),
        (dec("0"), dec("4"), dec("0"), dec("0"))
    );
    assert_eq!(order(&w, order_id).shipping_status(), ShippingStatus::Shipped);
    let shipment = w.h.engine.shipment(shipment_id).unwrap();
    assert_eq!(
        (
            shipment.order_id,
            shipment.customer_id,
            shipment.lines,
            shipment.moves
        ),
        (order_id, customer_id, shipped, moves)
    );
    assert_eq!(
        w.h.engine
            .read(|b| b.stock(widget).map(|s| s.at(customers_location()))),
        Some(dec("4")),
        "the shipped widgets are at the customers' location"
    );
}

#[test]
fn shipping_explicit_lines_leaves_a_backorder() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    receive(&mut w, widget, "10");
    receive(&mut w, gadget, "6");
    let order_id = confirmed(&mut w, &[(widget, "10"), (gadget, "6")]);
    w.h.ok(ReserveStock { order_id });
    let shipment_id = w.h.id();

    let event = only(w.h.ok(ShipOrder {
        shipment_id,
        order_id,
        lines: vec![
            ShipLine {
                line: 1,
                quantity: dec("6"),
            },
            ShipLine {
                line: 2,
                quantity: dec("6"),
            },
        ],
        warehouse_id: None,
        carrier: String::new(),
        tracking_reference: String::new(),
    }));

    let Event::ShipmentDispatched(e) = event else {
        panic!("expected ShipmentDispatched, got {event:?}")
    };
    assert_eq!(
        e.lines,
        vec![
            LineQuantity {
                line: 1,
                product_id: widget,
                quantity: dec("6")
            },
            LineQuantity {
                line: 2,
                product_id: gadget,
                quantity: dec("6")
            },
        ]
    );
    assert_eq!(
        e.moves,
        vec![
            shipped_from_stock(&w, 1, widget, "6"),
            shipped_from_stock(&w, 2, gadget, "6"),
        ]
    );
    assert_eq!(
        (e.cancelled, e.released, e.returned),
        (vec![], vec![], vec![]),
        "the default backorder policy keeps the rest open"
    );
    let widget_line = line(&w, order_id, 1);
    assert_eq!(widget_line.delivered, dec("6"));
    assert_eq!(order(&w, order_id).backorder(1), dec("4"));
    assert_eq!(widget_line.reserved, dec("4"), "what did not ship stays reserved");
    assert_eq!(order(&w, order_id).backorder(2), Decimal::ZERO);
    assert_eq!(
        order(&w, order_id).shipping_status(),
        ShippingStatus::PartiallyShipped
    );
    let widgets = level(&w, widget);
    assert_eq!(
        (widgets.on_hand, widgets.reserved, widgets.available()),
        (dec("4"), dec("4"), dec("0"))
    );
}

#[test]
fn the_backorder_ships_once_it_is_reserved() {
    let mut w = World::new();
    let gadget = w.gadget;
    receive(&mut w, gadget, "4");
    let order_id = confirmed(&mut w, &[(gadget, "6")]);
    w.h.ok(ReserveStock { order_id });
    ship_all(&mut w, order_id);
    assert_eq!(order(&w, order_id).backorder(1), dec("2"));
    receive(&mut w, gadget, "2");
    w.h.ok(ReserveStock { order_id });

    let shipment_id = ship_all(&mut w, order_id);

    let shipment = w.h.engine.shipment(shipment_id).unwrap();
    assert_eq!(
        shipment.lines,
        vec![LineQuantity {
            line: 1,
            product_id: gadget,
            quantity: dec("2")
        }]
    );
    assert_eq!(shipment.moves, vec![shipped_from_stock(&w, 1, gadget, "2")]);
    assert_eq!(order(&w, order_id).backorder(1), Decimal::ZERO);
    assert_eq!(order(&w, order_id).shipping_status(), ShippingStatus::Shipped);
    assert_eq!(
        level(&w, gadget),
        StockLevel {
            on_hand: dec("0"),
            reserved: dec("0")
        }
    );
}

#[test]
fn a_line_with_nothing_shipped_is_backordered_once_the_order_ships_partially() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    receive(&mut w, widget, "10");
    let order_id = confirmed(&mut w, &[(widget, "10"), (gadget, "6")]);
    w.h.ok(ReserveStock { order_id });

    ship_all(&mut w, order_id);

    assert_eq!(
        order(&w, order_id).shipping_status(),
        ShippingStatus::PartiallyShipped
    );
    let shipped = order(&w, order_id);
    let backorder: Decimal = shipped.lines.iter().map(|l| shipped.backorder(l.line)).sum();
    assert_eq!(order(&w, order_id).backorder(2), dec("6"), "all six gadgets wait");
    assert_eq!(backorder, dec("6"));
}
