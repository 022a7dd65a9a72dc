//! Inventory adjustments (counts through the inventory-loss location, by a warehouse
//! manager), scrapping to the warehouse's scrap location, and moves between bins; reserved
//! goods are never counted away, scrapped or moved.

use crate::common::*;
use crate::support::{World, dec};
use o2c::location::LocationKind;
use o2c::stock::{
    AdjustInventory, AdjustmentReason, InventoryAdjusted, MoveStock, ReceiveStock, ScrapStock, StockMoved,
    StockScrapped, Tracking,
};
use o2c::{DomainError, Event, LocationId, ProductId};

fn count(
    product_id: ProductId,
    location_id: LocationId,
    counted: &str,
    reason: AdjustmentReason,
) -> AdjustInventory {
    AdjustInventory {
        product_id,
        location_id,
        lot: None,
        counted: dec(counted),
        reason,
        note: "cycle count aisle A".into(),
    }
}

fn scrap(product_id: ProductId, location_id: LocationId, quantity: &str) -> ScrapStock {
    ScrapStock {
        product_id,
        location_id,
        lot: None,
        quantity: dec(quantity),
        reason: "crushed by forklift".into(),
    }
}

fn moving(product_id: ProductId, from: LocationId, to: LocationId, quantity: &str) -> MoveStock {
    MoveStock {
        product_id,
        from,
        to,
        lot: None,
        quantity: dec(quantity),
        reason: "re-slotting".into(),
    }
}

#[test]
fn a_count_that_finds_more_moves_the_difference_from_inventory_loss() {
    let mut w = World::new();
    let widget = w.widget;
    let (stock_location, loss) = (stock_of(&w), virtual_at(LocationKind::InventoryLoss));
    receive(&mut w, widget, "10");

    let event = w.h.as_actor(warehouse_manager(), |h| {
        only(h.ok(count(widget, stock_location, "12", AdjustmentReason::CountFound)))
    });

    assert_eq!(
        event,
        Event::InventoryAdjusted(InventoryAdjusted {
            product_id: widget,
            previous: dec("10"),
            counted: dec("12"),
            stock_move: mv(widget, loss, stock_location, None, "2"),
            reason: AdjustmentReason::CountFound,
            note: "cycle count aisle A".into(),
        })
    );
    assert_eq!(figures(&w, widget), (dec("12"), dec("0"), dec("12")));
    assert_eq!(stock(&w, widget).at(loss), dec("-2"));
}

#[test]
fn a_count_that_finds_less_moves_the_difference_to_inventory_loss() {
    let mut w = World::new();
    let widget = w.widget;
    let (stock_location, loss) = (stock_of(&w), virtual_at(LocationKind::InventoryLoss));
    receive(&mut w, widget, "10");

    let event = only(w.h.ok(count(widget, stock_location, "7", AdjustmentReason::Lost)));

    assert_eq!(
        event,
        Event::InventoryAdjusted(InventoryAdjusted {
            product_id: widget,
            previous: dec("10"),
            counted: dec("7"),
            stock_move: mv(widget, stock_location, loss, None, "3"),
            reason: AdjustmentReason::Lost,
            note: "cycle count aisle A".into(),
        })
    );
    assert_eq!(figures(&w, widget), (dec("7"), dec("0"), dec("7")));
    let widgets = stock(&w, widget);
    assert_eq!(widgets.at(loss), dec("3"));
    // Conserved: suppliers -10, stock 7, inventory loss 3.
    let total: o2c::rust_decimal::Decimal = widgets.each_quant().map(|(_, _, q)| q.quantity).sum();
    assert_eq!(total, dec("0"));
    // A count of zero empties the location.
    w.h.ok(count(widget, stock_location, "0", AdjustmentReason::Damaged));
    assert_eq!(figures(&w, widget), (dec("0"), dec("0"), dec("0")));
}

#[test]
fn adjustments_and_scrap_need_a_warehouse_manager() {
    let mut w = World::new();
    let widget = w.widget;
    let stock_location = stock_of(&w);
    receive(&mut w, widget, "10");

    let error = w.h.as_actor(picker(), |h| {
        h.refused(count(widget, stock_location, "9", AdjustmentReason::Lost))
    });
    assert_eq!(
        error,
        DomainError::NotAuthorized {
            actor: actor_id("paula"),
            command: "AdjustInventory",
            company: crate::support::COMPANY,
            required: vec![o2c::Role::WarehouseManager],
        }
    );
    let error =
        w.h.as_actor(picker(), |h| h.refused(scrap(widget, stock_location, "1")));
    assert!(
        matches!(
            error,
            DomainError::NotAuthorized {
                command: "ScrapStock",
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn a_count_never_goes_below_what_is_reserved() {
    let mut w = World::new();
    let widget = w.widget;
    let stock_location = stock_of(&w);
    receive(&mut w, widget, "10");
    let order_id = confirmed(&mut w, &[(widget, "5")]);
    reserve(&mut w, order_id);

    let error =
        w.h.refused(count(widget, stock_location, "4", AdjustmentReason::Lost));

    assert_eq!(
        error,
        DomainError::CountBelowReserved {
            counted: dec("4"),
            reserved: dec("5"),
        }
    );
    w.h.ok(count(widget, stock_location, "5", AdjustmentReason::Lost));
    assert_eq!(figures(&w, widget), (dec("5"), dec("5"), dec("0")));
}

#[test]
fn counts_are_checked() {
    let mut w = World::new();
    let (widget, warehouse_id) = (w.widget, w.warehouse);
    let stock_location = stock_of(&w);
    receive(&mut w, widget, "10");

    assert_eq!(
        w.h.refused(count(widget, stock_location, "10", AdjustmentReason::CycleCount)),
        DomainError::InventoryUnchanged { quantity: dec("10") }
    );
    assert_eq!(
        w.h.refused(count(widget, stock_location, "-1", AdjustmentReason::Lost)),
        DomainError::NegativeQuantity { quantity: dec("-1") }
    );
    assert_eq!(
        w.h.refused(count(widget, stock_location, "9.5", AdjustmentReason::Lost)),
        DomainError::QuantityPrecisionExceeded {
            quantity: dec("9.5"),
            unit: "pcs".into(),
            decimals: 0,
        }
    );
    let output = at(warehouse_id, LocationKind::Output);
    assert_eq!(
        w.h.refused(count(widget, output, "1", AdjustmentReason::CountFound)),
        DomainError::NotAStoreLocation { location_id: output }
    );
    let milk = NewProduct::new("MILK", "pcs", "1.20")
        .tracked(Tracking::Lot)
        .register(&mut w.h);
    assert_eq!(
        w.h.refused(count(milk, stock_location, "1", AdjustmentReason::CountFound)),
        DomainError::LotRequired { product_id: milk }
    );
    assert_eq!(
        w.h.refused(AdjustInventory {
            lot: Some("L1".into()),
            ..count(widget, stock_location, "9", AdjustmentReason::Lost)
        }),
        DomainError::NotTracked { product_id: widget }
    );
}

#[test]
fn a_lot_is_counted_on_its_own() {
    let mut w = World::new();
    let stock_location = stock_of(&w);
    let milk = NewProduct::new("MILK", "pcs", "1.20")
        .tracked(Tracking::Lot)
        .register(&mut w.h);
    receive_lots(
        &mut w,
        milk,
        vec![lot("L1", Some(date(2026, 4, 1)), "6"), lot("L2", None, "4")],
    );

    let event = only(w.h.ok(AdjustInventory {
        lot: Some("L2".into()),
        ..count(milk, stock_location, "1", AdjustmentReason::Damaged)
    }));

    let Event::InventoryAdjusted(adjusted) = event else {
        panic!("expected InventoryAdjusted, got {event:?}");
    };
    assert_eq!(adjusted.previous, dec("4"));
    assert_eq!(adjusted.stock_move.lot.as_deref(), Some("L2"));
    let milk_stock = stock(&w, milk);
    assert_eq!(milk_stock.quant(stock_location, Some("L1")).quantity, dec("6"));
    assert_eq!(milk_stock.quant(stock_location, Some("L2")).quantity, dec("1"));
}

#[test]
fn a_count_cannot_create_a_second_unit_of_a_serial_number() {
    let mut w = World::new();
    let quarantine = at(w.warehouse, LocationKind::Quarantine);
    let scanner = NewProduct::new("SCANNER", "pcs", "250.00")
        .tracked(Tracking::Serial)
        .register(&mut w.h);
    receive_lots(&mut w, scanner, vec![lot("SN-1", None, "1")]);

    let error = w.h.refused(AdjustInventory {
        lot: Some("SN-1".into()),
        ..count(scanner, quarantine, "1", AdjustmentReason::CountFound)
    });

    assert_eq!(
        error,
        DomainError::DuplicateSerial {
            number: "SN-1".into()
        }
    );
}

#[test]
fn scrapping_moves_free_goods_to_the_scrap_location() {
    let mut w = World::new();
    let widget = w.widget;
    let (stock_location, scrap_location) = (stock_of(&w), at(w.warehouse, LocationKind::Scrap));
    receive(&mut w, widget, "10");
    let order_id = confirmed(&mut w, &[(widget, "7")]);
    reserve(&mut w, order_id);

    let event = w.h.as_actor(warehouse_manager(), |h| {
        only(h.ok(scrap(widget, stock_location, "3")))
    });

    assert_eq!(
        event,
        Event::StockScrapped(StockScrapped {
            product_id: widget,
            stock_move: mv(widget, stock_location, scrap_location, None, "3"),
            reason: "crushed by forklift".into(),
        })
    );
    assert_eq!(figures(&w, widget), (dec("7"), dec("7"), dec("0")));
    assert_eq!(stock(&w, widget).at(scrap_location), dec("3"));
    // The 7 left are reserved: none may be scrapped.
    assert_eq!(
        w.h.refused(scrap(widget, stock_location, "1")),
        DomainError::NotEnoughFreeStock {
            location_id: stock_location,
            requested: dec("1"),
            free: dec("0"),
        }
    );
    assert_eq!(
        w.h.refused(scrap(widget, scrap_location, "1")),
        DomainError::SameLocation {
            location_id: scrap_location
        }
    );
    assert_eq!(
        w.h.refused(ScrapStock {
            reason: String::new(),
            ..scrap(widget, stock_location, "1")
        }),
        DomainError::InvalidText {
            field: "reason",
            reason: "must not be blank",
        }
    );
}

#[test]
fn free_goods_move_between_bins_and_to_quarantine() {
    let mut w = World::new();
    let (widget, warehouse_id, stock_location) = (w.widget, w.warehouse, stock_of(&w));
    let a01 = bin(&mut w, stock_location, "A-01");
    let b01 = bin(&mut w, stock_location, "B-01");
    w.h.ok(ReceiveStock {
        product_id: widget,
        warehouse_id,
        quantity: dec("10"),
        reference: String::new(),
        location_id: Some(a01),
        lots: vec![],
    });

    // A warehouse operator may move stock.
    let event =
        w.h.as_actor(picker(), |h| only(h.ok(moving(widget, a01, b01, "4"))));

    assert_eq!(
        event,
        Event::StockMoved(StockMoved {
            product_id: widget,
            stock_move: mv(widget, a01, b01, None, "4"),
            reason: "re-slotting".into(),
        })
    );
    let widgets = stock(&w, widget);
    assert_eq!((widgets.at(a01), widgets.at(b01)), (dec("6"), dec("4")));
    assert_eq!(figures(&w, widget), (dec("10"), dec("0"), dec("10")));
    assert_eq!(
        w.h.refused(moving(widget, a01, b01, "7")),
        DomainError::NotEnoughFreeStock {
            location_id: a01,
            requested: dec("7"),
            free: dec("6"),
        }
    );

    // Goods in quarantine are not stock: on hand drops.
    let quarantine = at(warehouse_id, LocationKind::Quarantine);
    w.h.ok(moving(widget, b01, quarantine, "3"));
    assert_eq!(figures(&w, widget), (dec("7"), dec("0"), dec("7")));
    assert_eq!(stock(&w, widget).at(quarantine), dec("3"));
}

#[test]
fn reserved_goods_stay_where_they_are() {
    let mut w = World::new();
    let (widget, warehouse_id, stock_location) = (w.widget, w.warehouse, stock_of(&w));
    let a01 = bin(&mut w, stock_location, "A-01");
    let b01 = bin(&mut w, stock_location, "B-01");
    w.h.ok(ReceiveStock {
        product_id: widget,
        warehouse_id,
        quantity: dec("6"),
        reference: String::new(),
        location_id: Some(a01),
        lots: vec![],
    });
    let order_id = confirmed(&mut w, &[(widget, "5")]);
    reserve(&mut w, order_id);

    let error = w.h.refused(moving(widget, a01, b01, "2"));

    assert_eq!(
        error,
        DomainError::NotEnoughFreeStock {
            location_id: a01,
            requested: dec("2"),
            free: dec("1"),
        }
    );
}

#[test]
fn moves_stay_within_one_warehouse_between_store_locations() {
    let mut w = World::new();
    let (widget, warehouse_id, stock_location) = (w.widget, w.warehouse, stock_of(&w));
    receive(&mut w, widget, "10");
    let east = warehouse(&mut w, "WH-EAST", Default::default());
    let east_stock = at(east, LocationKind::Stock);
    let output = at(warehouse_id, LocationKind::Output);

    assert_eq!(
        w.h.refused(moving(widget, stock_location, east_stock, "1")),
        DomainError::DifferentWarehouses {
            from: stock_location,
            to: east_stock,
        }
    );
    assert_eq!(
        w.h.refused(moving(widget, stock_location, output, "1")),
        DomainError::NotAStoreLocation { location_id: output }
    );
    assert_eq!(
        w.h.refused(moving(widget, stock_location, stock_location, "1")),
        DomainError::SameLocation {
            location_id: stock_location
        }
    );
    let customers = virtual_at(LocationKind::Customer);
    assert_eq!(
        w.h.refused(moving(widget, stock_location, customers, "1")),
        DomainError::NotAStoreLocation {
            location_id: customers
        }
    );
}
