//! Stock: receipts per warehouse, and reserving it for orders with full or partial availability.

use crate::common::*;
use crate::support::{World, dec};
use o2c::location::LocationKind;
use o2c::order::{LineQuantity, ReserveStock, StockReserved};
use o2c::rust_decimal::Decimal;
use o2c::stock::{ReceiveStock, StockReceived};
use o2c::warehouse::RegisterWarehouse;
use o2c::{Event, WarehouseId};

#[test]
fn receiving_stock_raises_on_hand_and_availability() {
    let mut w = World::new();
    let (widget, warehouse_id) = (w.widget, w.warehouse);

    let event = only(receive(&mut w, widget, "10"));

    assert_eq!(
        event,
        Event::StockReceived(StockReceived {
            product_id: widget,
            warehouse_id,
            quantity: dec("10"),
            reference: "PO-1".into(),
            location_id: None,
            lots: vec![],
        })
    );
    let stock = level(&w, widget);
    assert_eq!(
        (stock.on_hand, stock.reserved, stock.available()),
        (dec("10"), dec("0"), dec("10"))
    );
}

#[test]
fn receipts_add_up_per_warehouse() {
    let mut w = World::new();
    let flour = w.flour;
    let east: WarehouseId = w.h.id();
    w.h.ok(RegisterWarehouse {
        warehouse_id: east,
        code: "WH-EAST".into(),
        name: "East".into(),
        route: Default::default(),
        reservation: Default::default(),
    });

    receive(&mut w, flour, "12.5");
    receive(&mut w, flour, "0.125");
    w.h.ok(ReceiveStock {
        product_id: flour,
        warehouse_id: east,
        quantity: dec("3"),
        reference: String::new(),
        location_id: None,
        lots: vec![],
    });

    assert_eq!(level(&w, flour).on_hand, dec("12.625"));
    let east_level = w.h.engine.read(|b| b.stock_level(flour, east));
    assert_eq!(east_level.on_hand, dec("3"));
    assert_eq!(w.h.engine.stock(flour).unwrap().levels.len(), 2);
}

#[test]
fn reserving_with_full_availability_reserves_every_open_line() {
    let mut w = World::new();
    let (widget, flour, warehouse_id) = (w.widget, w.flour, w.warehouse);
    receive(&mut w, widget, "10");
    receive(&mut w, flour, "5");
    let order_id = confirmed(&mut w, &[(widget, "4"), (flour, "2.5")]);

    let event = only(w.h.ok(ReserveStock { order_id }));

    assert_eq!(
        event,
        Event::StockReserved(StockReserved {
            order_id,
            warehouse_id,
            lines: vec![
                LineQuantity {
                    line: 1,
                    product_id: widget,
                    quantity: dec("4")
                },
                LineQuantity {
                    line: 2,
                    product_id: flour,
                    quantity: dec("2.5")
                },
            ],
            quants: vec![
                reserved_in_stock(&w, 1, widget, "4"),
                reserved_in_stock(&w, 2, flour, "2.5"),
            ],
        })
    );
    assert_eq!(
        w.h.engine
            .read(|b| b.location(stock_location(&w)).map(|l| (l.kind, l.code.clone()))),
        Some((LocationKind::Stock, "WH-1/Stock".to_string())),
        "the goods are reserved where they were received: WH-1's stock location"
    );
    let widgets = level(&w, widget);
    assert_eq!(
        (widgets.on_hand, widgets.reserved, widgets.available()),
        (dec("10"), dec("4"), dec("6"))
    );
    let flour_level = level(&w, flour);
    assert_eq!(
        (flour_level.on_hand, flour_level.reserved, flour_level.available()),
        (dec("5"), dec("2.5"), dec("2.5"))
    );
    assert_eq!(line(&w, order_id, 1).reserved, dec("4"));
    assert_eq!(line(&w, order_id, 1).unreserved(), Decimal::ZERO);
    assert_eq!(line(&w, order_id, 2).reserved, dec("2.5"));
}

#[test]
fn reserving_with_partial_availability_leaves_the_rest_waiting() {
    let mut w = World::new();
    let (widget, gadget, warehouse_id) = (w.widget, w.gadget, w.warehouse);
    receive(&mut w, widget, "10");
    receive(&mut w, gadget, "4");
    let order_id = confirmed(&mut w, &[(widget, "10"), (gadget, "6")]);

    let event = only(w.h.ok(ReserveStock { order_id }));

    assert_eq!(
        event,
        Event::StockReserved(StockReserved {
            order_id,
            warehouse_id,
            lines: vec![
                LineQuantity {
                    line: 1,
                    product_id: widget,
                    quantity: dec("10")
                },
                LineQuantity {
                    line: 2,
                    product_id: gadget,
                    quantity: dec("4")
                },
            ],
            quants: vec![
                reserved_in_stock(&w, 1, widget, "10"),
                reserved_in_stock(&w, 2, gadget, "4"),
            ],
        })
    );
    let gadget_line = line(&w, order_id, 2);
    assert_eq!(
        (gadget_line.reserved, gadget_line.unreserved()),
        (dec("4"), dec("2"))
    );
    let gadgets = level(&w, gadget);
    assert_eq!(
        (gadgets.on_hand, gadgets.reserved, gadgets.available()),
        (dec("4"), dec("4"), dec("0"))
    );
}

#[test]
fn a_later_receipt_lets_the_next_reservation_take_the_rest() {
    let mut w = World::new();
    let (widget, gadget, warehouse_id) = (w.widget, w.gadget, w.warehouse);
    receive(&mut w, widget, "10");
    receive(&mut w, gadget, "4");
    let order_id = confirmed(&mut w, &[(widget, "10"), (gadget, "6")]);
    w.h.ok(ReserveStock { order_id });
    receive(&mut w, gadget, "5");

    let event = only(w.h.ok(ReserveStock { order_id }));

    assert_eq!(
        event,
        Event::StockReserved(StockReserved {
            order_id,
            warehouse_id,
            lines: vec![LineQuantity {
                line: 2,
                product_id: gadget,
                quantity: dec("2")
            }],
            quants: vec![reserved_in_stock(&w, 2, gadget, "2")],
        }),
        "only the waiting gadget line is reserved, and only what it still needs"
    );
    assert_eq!(line(&w, order_id, 2).reserved, dec("6"));
    let gadgets = level(&w, gadget);
    assert_eq!(
        (gadgets.on_hand, gadgets.reserved, gadgets.available()),
        (dec("9"), dec("6"), dec("3"))
    );
}

#[test]
fn two_lines_of_one_product_share_availability_first_line_first() {
    let mut w = World::new();
    let (widget, warehouse_id) = (w.widget, w.warehouse);
    receive(&mut w, widget, "5");
    let order_id = confirmed(&mut w, &[(widget, "3"), (widget, "4")]);

    let event = only(w.h.ok(ReserveStock { order_id }));

    assert_eq!(
        event,
        Event::StockReserved(StockReserved {
            order_id,
            warehouse_id,
            lines: vec![
                LineQuantity {
                    line: 1,
                    product_id: widget,
                    quantity: dec("3")
                },
                LineQuantity {
                    line: 2,
                    product_id: widget,
                    quantity: dec("2")
                },
            ],
            quants: vec![
                reserved_in_stock(&w, 1, widget, "3"),
                reserved_in_stock(&w, 2, widget, "2"),
            ],
        })
    );
    assert_eq!(level(&w, widget).reserved, dec("5"));
    assert_eq!(line(&w, order_id, 2).unreserved(), dec("2"));
}

#[test]
fn stock_reserved_for_one_order_is_not_available_to_another() {
    let mut w = World::new();
    let widget = w.widget;
    receive(&mut w, widget, "10");
    let first = confirmed(&mut w, &[(widget, "7")]);
    w.h.ok(ReserveStock { order_id: first });
    let second = confirmed(&mut w, &[(widget, "7")]);

    let event = only(w.h.ok(ReserveStock { order_id: second }));

    let Event::StockReserved(e) = event else {
        panic!("expected StockReserved, got {event:?}")
    };
    assert_eq!(
        e.lines,
        vec![LineQuantity {
            line: 1,
            product_id: widget,
            quantity: dec("3")
        }]
    );
    assert_eq!(e.quants, vec![reserved_in_stock(&w, 1, widget, "3")]);
    let widgets = level(&w, widget);
    assert_eq!((widgets.reserved, widgets.available()), (dec("10"), dec("0")));
}

#[test]
fn stock_in_another_warehouse_is_not_reserved_for_the_order() {
    let mut w = World::new();
    let widget = w.widget;
    let east: WarehouseId = w.h.id();
    w.h.ok(RegisterWarehouse {
        warehouse_id: east,
        code: "WH-EAST".into(),
        name: "East".into(),
        route: Default::default(),
        reservation: Default::default(),
    });
    w.h.ok(ReceiveStock {
        product_id: widget,
        warehouse_id: east,
        quantity: dec("50"),
        reference: String::new(),
        location_id: None,
        lots: vec![],
    });
    receive(&mut w, widget, "2");
    let order_id = confirmed(&mut w, &[(widget, "5")]);

    let event = only(w.h.ok(ReserveStock { order_id }));

    let Event::StockReserved(e) = event else {
        panic!("expected StockReserved, got {event:?}")
    };
    assert_eq!(e.warehouse_id, w.warehouse);
    assert_eq!(
        e.lines,
        vec![LineQuantity {
            line: 1,
            product_id: widget,
            quantity: dec("2")
        }]
    );
    assert_eq!(
        e.quants,
        vec![reserved_in_stock(&w, 1, widget, "2")],
        "only goods in WH-1's stock location are reserved"
    );
    assert_eq!(
        w.h.engine.read(|b| b.stock_level(widget, east)).reserved,
        Decimal::ZERO
    );
}
