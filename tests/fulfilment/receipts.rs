//! Receipts: into a bin, by lot with expiry dates, by serial number; the quants per location
//! and lot, the lot registry, and every way a receipt's lots can be wrong.

use crate::common::*;
use crate::support::{World, dec};
use o2c::location::{LocationKind, LocationRegistered, RegisterLocation};
use o2c::stock::{Lot, ReceiveStock, StockReceived, Tracking};
use o2c::{DomainError, Event, LocationId, ProductId};

fn milk(w: &mut World) -> ProductId {
    NewProduct::new("MILK", "pcs", "1.20")
        .category("dairy")
        .tracked(Tracking::Lot)
        .register(&mut w.h)
}

fn scanner(w: &mut World) -> ProductId {
    NewProduct::new("SCANNER", "pcs", "250.00")
        .tracked(Tracking::Serial)
        .register(&mut w.h)
}

#[test]
fn a_bin_is_a_sub_location_of_the_warehouse_stock() {
    let mut w = World::new();
    let (warehouse_id, stock_location) = (w.warehouse, stock_of(&w));
    let location_id: LocationId = w.h.id();

    let event = only(w.h.ok(RegisterLocation {
        location_id,
        parent_id: stock_location,
        name: "A-01".into(),
    }));

    assert_eq!(
        event,
        Event::LocationRegistered(LocationRegistered {
            location_id,
            warehouse_id,
            parent_id: stock_location,
            kind: LocationKind::Stock,
            code: "WH-1/Stock/A-01".into(),
        })
    );
    let location = w.h.engine.read(|b| b.location(location_id).cloned()).unwrap();
    assert_eq!(
        (location.parent, location.warehouse_id, location.removal),
        (Some(stock_location), Some(warehouse_id), None)
    );
}

#[test]
fn bins_are_refused_under_virtual_locations_twice_or_with_a_slash() {
    let mut w = World::new();
    let stock_location = stock_of(&w);
    bin(&mut w, stock_location, "A-01");
    let register = |w: &mut World, parent_id: LocationId, name: &str| {
        let location_id = w.h.id();
        w.h.refused(RegisterLocation {
            location_id,
            parent_id,
            name: name.into(),
        })
    };

    assert_eq!(
        register(&mut w, stock_location, "A-01"),
        DomainError::LocationCodeAlreadyUsed {
            code: "WH-1/Stock/A-01".into()
        }
    );
    let customers = virtual_at(LocationKind::Customer);
    assert_eq!(
        register(&mut w, customers, "DOCK"),
        DomainError::NotAWarehouseLocation {
            location_id: customers
        }
    );
    assert_eq!(
        register(&mut w, stock_location, "A/02"),
        DomainError::InvalidText {
            field: "name",
            reason: "must not contain '/'",
        }
    );
    let unknown = LocationId(o2c::uuid::Uuid::from_u128(42));
    assert_eq!(
        register(&mut w, unknown, "X"),
        DomainError::UnknownLocation { location_id: unknown }
    );
}

#[test]
fn a_receipt_into_a_bin_is_counted_in_the_warehouse_stock() {
    let mut w = World::new();
    let (widget, warehouse_id, stock_location) = (w.widget, w.warehouse, stock_of(&w));
    let a01 = bin(&mut w, stock_location, "A-01");

    let event = only(w.h.ok(ReceiveStock {
        product_id: widget,
        warehouse_id,
        quantity: dec("5"),
        reference: "PO-7".into(),
        location_id: Some(a01),
        lots: vec![],
    }));

    assert_eq!(
        event,
        Event::StockReceived(StockReceived {
            product_id: widget,
            warehouse_id,
            quantity: dec("5"),
            reference: "PO-7".into(),
            location_id: Some(a01),
            lots: vec![],
        })
    );
    let widgets = stock(&w, widget);
    let in_bin = widgets.quant(a01, None);
    assert_eq!(
        (in_bin.quantity, in_bin.reserved, in_bin.in_date),
        (dec("5"), dec("0"), Some(date(2026, 3, 2)))
    );
    assert_eq!(widgets.at(stock_location), dec("0"));
    // The quantity came from the suppliers' virtual location: the sum stays zero.
    assert_eq!(widgets.at(virtual_at(LocationKind::Supplier)), dec("-5"));
    assert_eq!(figures(&w, widget), (dec("5"), dec("0"), dec("5")));
}

#[test]
fn goods_are_received_only_into_a_stock_location_of_the_warehouse() {
    let mut w = World::new();
    let (widget, warehouse_id) = (w.widget, w.warehouse);
    let east = warehouse(&mut w, "WH-EAST", Default::default());
    let east_bin = bin(&mut w, at(east, LocationKind::Stock), "E-01");
    for location_id in [at(warehouse_id, LocationKind::Output), east_bin] {
        let error = w.h.refused(ReceiveStock {
            product_id: widget,
            warehouse_id,
            quantity: dec("5"),
            reference: String::new(),
            location_id: Some(location_id),
            lots: vec![],
        });
        assert_eq!(
            error,
            DomainError::NotAStockLocation {
                location_id,
                warehouse_id
            }
        );
    }
}

#[test]
fn a_lot_receipt_keeps_a_quant_per_lot_and_registers_the_lots() {
    let mut w = World::new();
    let milk = milk(&mut w);
    let stock_location = stock_of(&w);

    let event = only(receive_lots(
        &mut w,
        milk,
        vec![
            lot("L1", Some(date(2026, 4, 1)), "6"),
            lot("L2", Some(date(2026, 4, 15)), "4"),
        ],
    ));

    let Event::StockReceived(received) = event else {
        panic!("expected StockReceived, got {event:?}");
    };
    assert_eq!(received.quantity, dec("10"));
    assert_eq!(received.lots.len(), 2);
    let milk_stock = stock(&w, milk);
    assert_eq!(milk_stock.quant(stock_location, Some("L1")).quantity, dec("6"));
    assert_eq!(milk_stock.quant(stock_location, Some("L2")).quantity, dec("4"));
    assert_eq!(milk_stock.quant(stock_location, None).quantity, dec("0"));
    assert_eq!(milk_stock.at(stock_location), dec("10"));
    assert_eq!(
        milk_stock.lots.get("L1"),
        Some(&Lot {
            number: "L1".into(),
            expires_on: Some(date(2026, 4, 1)),
            received_on: date(2026, 3, 2),
        })
    );
    assert_eq!(
        milk_stock.lots.get("L2").map(|l| l.expires_on),
        Some(Some(date(2026, 4, 15)))
    );
    assert_eq!(figures(&w, milk), (dec("10"), dec("0"), dec("10")));
}

#[test]
fn a_lot_received_again_adds_to_its_quant_and_keeps_its_first_receipt_date() {
    let mut w = World::new();
    let milk = milk(&mut w);
    let stock_location = stock_of(&w);
    receive_lots(&mut w, milk, vec![lot("L1", Some(date(2026, 4, 1)), "6")]);
    w.h.advance_days(2);

    receive_lots(&mut w, milk, vec![lot("L1", Some(date(2026, 4, 1)), "3")]);

    let milk_stock = stock(&w, milk);
    assert_eq!(milk_stock.quant(stock_location, Some("L1")).quantity, dec("9"));
    assert_eq!(milk_stock.lots["L1"].received_on, date(2026, 3, 2));
}

#[test]
fn a_lot_received_again_must_keep_its_expiry_date() {
    let mut w = World::new();
    let milk = milk(&mut w);
    receive_lots(&mut w, milk, vec![lot("L1", Some(date(2026, 4, 1)), "6")]);

    let command = lot_receipt(&w, milk, vec![lot("L1", Some(date(2026, 4, 2)), "3")]);
    let error = w.h.refused(command);

    assert_eq!(
        error,
        DomainError::LotExpiryMismatch {
            number: "L1".into(),
            recorded: Some(date(2026, 4, 1)),
            given: Some(date(2026, 4, 2)),
        }
    );
}

#[test]
fn lot_quantities_must_add_up_to_the_receipt() {
    let mut w = World::new();
    let milk = milk(&mut w);
    let mut command = lot_receipt(&w, milk, vec![lot("L1", None, "6"), lot("L2", None, "3")]);
    command.quantity = dec("10");

    let error = w.h.refused(command);

    assert_eq!(
        error,
        DomainError::LotQuantitiesDoNotAddUp {
            quantity: dec("10"),
            lots: dec("9"),
        }
    );
}

#[test]
fn a_tracked_product_needs_lots_and_an_untracked_one_takes_none() {
    let mut w = World::new();
    let (milk, widget, warehouse_id) = (milk(&mut w), w.widget, w.warehouse);
    let plain = |product_id: ProductId| ReceiveStock {
        product_id,
        warehouse_id,
        quantity: dec("5"),
        reference: String::new(),
        location_id: None,
        lots: vec![],
    };

    assert_eq!(
        w.h.refused(plain(milk)),
        DomainError::LotRequired { product_id: milk }
    );
    let command = lot_receipt(&w, widget, vec![lot("L1", None, "5")]);
    assert_eq!(
        w.h.refused(command),
        DomainError::NotTracked { product_id: widget }
    );
}

#[test]
fn a_lot_listed_twice_or_empty_is_refused() {
    let mut w = World::new();
    let milk = milk(&mut w);

    let command = lot_receipt(&w, milk, vec![lot("L1", None, "2"), lot("L1", None, "3")]);
    assert_eq!(
        w.h.refused(command),
        DomainError::DuplicateLot { number: "L1".into() }
    );
    let command = lot_receipt(&w, milk, vec![lot("L1", None, "2"), lot("L2", None, "0")]);
    assert_eq!(
        w.h.refused(command),
        DomainError::NonPositiveQuantity { quantity: dec("0") }
    );
    let command = lot_receipt(&w, milk, vec![lot(" ", None, "2")]);
    assert_eq!(
        w.h.refused(command),
        DomainError::InvalidText {
            field: "lots.number",
            reason: "must not be blank",
        }
    );
}

#[test]
fn serial_numbers_are_received_one_unit_each() {
    let mut w = World::new();
    let scanner = scanner(&mut w);
    let stock_location = stock_of(&w);

    receive_lots(
        &mut w,
        scanner,
        vec![lot("SN-1", None, "1"), lot("SN-2", None, "1")],
    );

    let scanners = stock(&w, scanner);
    assert_eq!(scanners.quant(stock_location, Some("SN-1")).quantity, dec("1"));
    assert_eq!(scanners.quant(stock_location, Some("SN-2")).quantity, dec("1"));
    assert_eq!(scanners.lots.len(), 2);
    assert_eq!(figures(&w, scanner), (dec("2"), dec("0"), dec("2")));
}

#[test]
fn a_serial_number_already_in_stock_cannot_be_received_again() {
    let mut w = World::new();
    let scanner = scanner(&mut w);
    receive_lots(&mut w, scanner, vec![lot("SN-1", None, "1")]);

    let command = lot_receipt(&w, scanner, vec![lot("SN-2", None, "1"), lot("SN-1", None, "1")]);
    let error = w.h.refused(command);

    assert_eq!(
        error,
        DomainError::DuplicateSerial {
            number: "SN-1".into()
        }
    );
}

#[test]
fn a_serial_number_still_in_the_warehouse_counts_as_in_stock_wherever_it_is() {
    // Scrapped goods are still in the warehouse (in its scrap location).
    let mut w = World::new();
    let scanner = scanner(&mut w);
    let stock_location = stock_of(&w);
    receive_lots(&mut w, scanner, vec![lot("SN-1", None, "1")]);
    w.h.ok(o2c::stock::ScrapStock {
        product_id: scanner,
        location_id: stock_location,
        lot: Some("SN-1".into()),
        quantity: dec("1"),
        reason: "cracked screen".into(),
    });

    let command = lot_receipt(&w, scanner, vec![lot("SN-1", None, "1")]);
    let error = w.h.refused(command);

    assert_eq!(
        error,
        DomainError::DuplicateSerial {
            number: "SN-1".into()
        }
    );
}

#[test]
fn a_serial_number_has_quantity_one() {
    let mut w = World::new();
    let scanner = scanner(&mut w);

    let command = lot_receipt(&w, scanner, vec![lot("SN-3", None, "2")]);
    let error = w.h.refused(command);

    assert_eq!(
        error,
        DomainError::SerialQuantityNotOne {
            number: "SN-3".into(),
            quantity: dec("2"),
        }
    );
}

#[test]
fn a_serial_number_shipped_to_a_customer_may_be_received_again() {
    let mut w = World::new();
    let scanner = scanner(&mut w);
    receive_lots(&mut w, scanner, vec![lot("SN-1", None, "1")]);
    let order_id = confirmed(&mut w, &[(scanner, "1")]);
    reserve(&mut w, order_id);
    let shipment_id = ship(&mut w, order_id, &[]);
    let shipment = w.h.engine.shipment(shipment_id).unwrap();
    assert_eq!(shipment.moves[0].movement.lot.as_deref(), Some("SN-1"));

    receive_lots(&mut w, scanner, vec![lot("SN-1", None, "1")]);

    let scanners = stock(&w, scanner);
    assert_eq!(scanners.quant(stock_of(&w), Some("SN-1")).quantity, dec("1"));
    assert_eq!(
        scanners
            .quant(virtual_at(LocationKind::Customer), Some("SN-1"))
            .quantity,
        dec("1")
    );
}
