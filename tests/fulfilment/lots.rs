//! Lots and removal strategies: FEFO (by product category or by the warehouse's stock
//! location) takes the nearest expiry and never an expired lot; FIFO, the default, takes
//! the oldest receipt; and traceability from a lot to its shipments, orders and customers.

use crate::common::*;
use crate::support::{World, dec, details, usd};
use o2c::customer::RegisterCustomer;
use o2c::location::{LocationKind, RemovalStrategy, RemovalStrategySet, RemovalTarget, SetRemovalStrategy};
use o2c::order::{ReserveStock, StockReserved};
use o2c::shipment::LotDelivery;
use o2c::stock::{ReceiveStock, Tracking};
use o2c::{CustomerId, DomainError, Event, LocationId, ProductId};

fn lot_product(w: &mut World, sku: &str, category: Option<&str>) -> ProductId {
    let product = NewProduct::new(sku, "pcs", "1.20").tracked(Tracking::Lot);
    match category {
        Some(category) => product.category(category).register(&mut w.h),
        None => product.register(&mut w.h),
    }
}

fn set_removal(w: &mut World, target: RemovalTarget, strategy: RemovalStrategy) -> Event {
    only(w.h.ok(SetRemovalStrategy { target, strategy }))
}

/// The quants an order's only reservation event took.
fn reserved_quants(
    w: &mut World,
    order_id: o2c::OrderId,
) -> Vec<(Option<String>, o2c::rust_decimal::Decimal)> {
    let event = only(reserve(w, order_id));
    let Event::StockReserved(StockReserved { quants, .. }) = event else {
        panic!("expected StockReserved, got {event:?}");
    };
    quants.into_iter().map(|q| (q.lot, q.quantity)).collect()
}

fn lots(pairs: &[(&str, &str)]) -> Vec<(Option<String>, o2c::rust_decimal::Decimal)> {
    pairs
        .iter()
        .map(|(lot, quantity)| (Some((*lot).to_string()), dec(quantity)))
        .collect()
}

/// Yoghurt in three lots received on 2 March 2026: one expired on 1 March, one expiring
/// 30 April, one expiring 15 March.
fn yoghurt_in_three_lots(w: &mut World) -> ProductId {
    let yoghurt = lot_product(w, "YOGHURT", Some("dairy"));
    receive_lots(
        w,
        yoghurt,
        vec![
            lot("L-OLD", Some(date(2026, 3, 1)), "5"),
            lot("L-LATE", Some(date(2026, 4, 30)), "10"),
            lot("L-SOON", Some(date(2026, 3, 15)), "4"),
        ],
    );
    yoghurt
}

#[test]
fn fefo_by_category_takes_the_nearest_expiry_and_skips_an_expired_lot() {
    let mut w = World::new();
    let event = set_removal(
        &mut w,
        RemovalTarget::Category("dairy".into()),
        RemovalStrategy::Fefo,
    );
    assert_eq!(
        event,
        Event::RemovalStrategySet(RemovalStrategySet {
            company_id: crate::support::COMPANY,
            target: RemovalTarget::Category("dairy".into()),
            strategy: RemovalStrategy::Fefo,
        })
    );
    let yoghurt = yoghurt_in_three_lots(&mut w);
    let stock_location = stock_of(&w);
    assert_eq!(
        w.h.engine.read(|b| b.removal_strategy(yoghurt, w.warehouse)),
        RemovalStrategy::Fefo
    );

    // 8 pots: the 4 expiring 15 March first, then 4 of the lot expiring 30 April.
    let first = confirmed(&mut w, &[(yoghurt, "8")]);
    assert_eq!(
        reserved_quants(&mut w, first),
        lots(&[("L-SOON", "4"), ("L-LATE", "4")])
    );
    // The expired lot stays on hand (and counts as available) but is never reserved.
    assert_eq!(figures(&w, yoghurt), (dec("19"), dec("8"), dec("11")));
    let second = confirmed(&mut w, &[(yoghurt, "10")]);
    assert_eq!(reserved_quants(&mut w, second), lots(&[("L-LATE", "6")]));
    let third = confirmed(&mut w, &[(yoghurt, "1")]);
    assert_eq!(
        w.h.refused(ReserveStock { order_id: third }),
        DomainError::NoStockAvailable { order_id: third }
    );
    let quant = stock(&w, yoghurt).quant(stock_location, Some("L-OLD"));
    assert_eq!((quant.quantity, quant.reserved), (dec("5"), dec("0")));

    // The shipment takes the reserved lots, lot by lot.
    let shipment_id = ship(&mut w, first, &[]);
    let moved: Vec<_> =
        w.h.engine
            .shipment(shipment_id)
            .unwrap()
            .moves
            .into_iter()
            .map(|m| (m.movement.lot, m.movement.quantity))
            .collect();
    assert_eq!(moved, lots(&[("L-SOON", "4"), ("L-LATE", "4")]));
}

#[test]
fn a_lot_is_still_reserved_on_its_expiry_date() {
    let mut w = World::new();
    set_removal(
        &mut w,
        RemovalTarget::Category("dairy".into()),
        RemovalStrategy::Fefo,
    );
    let yoghurt = lot_product(&mut w, "YOGHURT", Some("dairy"));
    receive_lots(
        &mut w,
        yoghurt,
        vec![
            lot("L-TODAY", Some(date(2026, 3, 2)), "2"),
            lot("L-LATER", Some(date(2026, 3, 9)), "2"),
        ],
    );
    let order_id = confirmed(&mut w, &[(yoghurt, "3")]);

    assert_eq!(
        reserved_quants(&mut w, order_id),
        lots(&[("L-TODAY", "2"), ("L-LATER", "1")])
    );
}

#[test]
fn fifo_is_the_default_and_takes_the_oldest_receipt_first() {
    let mut w = World::new();
    let juice = lot_product(&mut w, "JUICE", None);
    // B-2 arrives first but expires last; B-1 arrives a day later and expires first.
    receive_lots(&mut w, juice, vec![lot("B-2", Some(date(2026, 4, 30)), "5")]);
    w.h.advance_days(1);
    receive_lots(&mut w, juice, vec![lot("B-1", Some(date(2026, 3, 20)), "5")]);
    assert_eq!(
        w.h.engine.read(|b| b.removal_strategy(juice, w.warehouse)),
        RemovalStrategy::Fifo
    );
    let order_id = confirmed(&mut w, &[(juice, "6")]);

    assert_eq!(
        reserved_quants(&mut w, order_id),
        lots(&[("B-2", "5"), ("B-1", "1")])
    );
}

#[test]
fn fifo_among_untracked_goods_takes_the_bin_filled_first() {
    let mut w = World::new();
    let (widget, warehouse_id, stock_location) = (w.widget, w.warehouse, stock_of(&w));
    let b01 = bin(&mut w, stock_location, "B-01");
    let a01 = bin(&mut w, stock_location, "A-01");
    let into = |location_id: LocationId| ReceiveStock {
        product_id: widget,
        warehouse_id,
        quantity: dec("4"),
        reference: String::new(),
        location_id: Some(location_id),
        lots: vec![],
    };
    w.h.ok(into(b01));
    w.h.advance_days(1);
    w.h.ok(into(a01));
    let order_id = confirmed(&mut w, &[(widget, "6")]);

    let event = only(reserve(&mut w, order_id));

    let Event::StockReserved(reserved) = event else {
        panic!("expected StockReserved, got {event:?}");
    };
    assert_eq!(
        reserved.quants,
        vec![quant(1, widget, b01, None, "4"), quant(1, widget, a01, None, "2"),]
    );
}

#[test]
fn fefo_on_the_warehouse_stock_location_wins_over_the_category() {
    let mut w = World::new();
    let stock_location = stock_of(&w);
    set_removal(
        &mut w,
        RemovalTarget::Category("drinks".into()),
        RemovalStrategy::Fifo,
    );
    set_removal(
        &mut w,
        RemovalTarget::Location(stock_location),
        RemovalStrategy::Fefo,
    );
    let juice = lot_product(&mut w, "JUICE", Some("drinks"));
    receive_lots(&mut w, juice, vec![lot("B-2", Some(date(2026, 4, 30)), "5")]);
    w.h.advance_days(1);
    receive_lots(
        &mut w,
        juice,
        vec![
            lot("B-1", Some(date(2026, 3, 20)), "5"),
            lot("B-0", Some(date(2026, 3, 2)), "3"),
        ],
    );
    let order_id = confirmed(&mut w, &[(juice, "6")]);

    // B-0 expired on 2 March (today is 3 March): skipped.
    assert_eq!(
        reserved_quants(&mut w, order_id),
        lots(&[("B-1", "5"), ("B-2", "1")])
    );
    let location = w.h.engine.read(|b| b.location(stock_location).cloned()).unwrap();
    assert_eq!(location.removal, Some(RemovalStrategy::Fefo));
}

#[test]
fn a_removal_strategy_is_set_by_a_warehouse_manager_on_a_warehouse_location_only() {
    let mut w = World::new();
    let customers = virtual_at(LocationKind::Customer);
    let set = |target| SetRemovalStrategy {
        target,
        strategy: RemovalStrategy::Fefo,
    };

    assert_eq!(
        w.h.refused(set(RemovalTarget::Location(customers))),
        DomainError::NotAWarehouseStockLocation {
            location_id: customers
        }
    );
    let unknown = LocationId(o2c::uuid::Uuid::from_u128(7));
    assert_eq!(
        w.h.refused(set(RemovalTarget::Location(unknown))),
        DomainError::UnknownLocation { location_id: unknown }
    );
    assert_eq!(
        w.h.refused(set(RemovalTarget::Category(String::new()))),
        DomainError::InvalidText {
            field: "category",
            reason: "must not be blank",
        }
    );
    let error =
        w.h.as_actor(rep(), |h| h.refused(set(RemovalTarget::Category("dairy".into()))));
    assert!(
        matches!(
            error,
            DomainError::NotAuthorized {
                command: "SetRemovalStrategy",
                ..
            }
        ),
        "{error:?}"
    );
    w.h.as_actor(warehouse_manager(), |h| {
        h.ok(set(RemovalTarget::Category("dairy".into())))
    });
}

#[test]
fn a_removal_strategy_is_set_on_the_warehouse_stock_and_rules_its_bins() {
    let mut w = World::new();
    let (warehouse_id, stock_location) = (w.warehouse, stock_of(&w));
    let cold = bin(&mut w, stock_location, "COLD");
    // Reservations search the whole stock location: a bin has no strategy of its own.
    let on_bin = SetRemovalStrategy {
        target: RemovalTarget::Location(cold),
        strategy: RemovalStrategy::Fefo,
    };
    assert_eq!(
        w.h.refused(on_bin),
        DomainError::NotAWarehouseStockLocation { location_id: cold }
    );
    set_removal(
        &mut w,
        RemovalTarget::Location(stock_location),
        RemovalStrategy::Fefo,
    );
    let juice = lot_product(&mut w, "JUICE", None);
    let into_cold = |lot_number: &str, expiry| ReceiveStock {
        product_id: juice,
        warehouse_id,
        quantity: dec("5"),
        reference: String::new(),
        location_id: Some(cold),
        lots: vec![lot(lot_number, Some(expiry), "5")],
    };
    w.h.ok(into_cold("B-2", date(2026, 4, 30)));
    w.h.advance_days(1);
    w.h.ok(into_cold("B-1", date(2026, 3, 20)));
    let order_id = confirmed(&mut w, &[(juice, "6")]);

    assert_eq!(
        reserved_quants(&mut w, order_id),
        lots(&[("B-1", "5"), ("B-2", "1")])
    );
}

fn register_customer(w: &mut World, name: &str) -> CustomerId {
    let customer_id = w.h.id();
    w.h.ok(RegisterCustomer {
        customer_id,
        details: details(name, 30),
        credit_limit: Some(usd("10000.00")),
    });
    customer_id
}

#[test]
fn traceability_follows_a_lot_to_every_shipment_order_and_customer() {
    let mut w = World::new();
    set_removal(
        &mut w,
        RemovalTarget::Category("dairy".into()),
        RemovalStrategy::Fefo,
    );
    let yoghurt = yoghurt_in_three_lots(&mut w);
    let beta = register_customer(&mut w, "Beta Foods");
    let acme = w.customer;
    let acme_order = confirmed(&mut w, &[(yoghurt, "3")]);
    let mut beta_quotation = quotation(&mut w, vec![requested(yoghurt, "3")]);
    beta_quotation.customer_id = beta;
    let beta_order = confirm(&mut w, beta_quotation);
    reserve(&mut w, acme_order);
    reserve(&mut w, beta_order);
    let to_acme = ship(&mut w, acme_order, &[]);
    let to_beta = ship(&mut w, beta_order, &[]);

    let soon = w.h.engine.read(|b| b.lot_deliveries(yoghurt, "L-SOON"));
    let late = w.h.engine.read(|b| b.lot_deliveries(yoghurt, "L-LATE"));
    let old = w.h.engine.read(|b| b.lot_deliveries(yoghurt, "L-OLD"));

    assert_eq!(
        soon,
        vec![
            LotDelivery {
                shipment_id: to_acme,
                order_id: acme_order,
                customer_id: acme,
                quantity: dec("3"),
            },
            LotDelivery {
                shipment_id: to_beta,
                order_id: beta_order,
                customer_id: beta,
                quantity: dec("1"),
            },
        ]
    );
    assert_eq!(
        late,
        vec![LotDelivery {
            shipment_id: to_beta,
            order_id: beta_order,
            customer_id: beta,
            quantity: dec("2"),
        }]
    );
    assert!(old.is_empty());
    // And back: the shipment names the lots it carried, from stock to the customers.
    let shipment = w.h.engine.shipment(to_beta).unwrap();
    let customers = virtual_at(LocationKind::Customer);
    assert_eq!(
        shipment.moves,
        vec![
            line_move(1, mv(yoghurt, stock_of(&w), customers, Some("L-SOON"), "1")),
            line_move(1, mv(yoghurt, stock_of(&w), customers, Some("L-LATE"), "2")),
        ]
    );
    assert_eq!(
        stock(&w, yoghurt).quant(customers, Some("L-SOON")).quantity,
        dec("4")
    );
}

#[test]
fn traceability_of_a_serial_number_names_its_one_customer() {
    let mut w = World::new();
    let scanner = NewProduct::new("SCANNER", "pcs", "250.00")
        .tracked(Tracking::Serial)
        .register(&mut w.h);
    receive_lots(
        &mut w,
        scanner,
        vec![lot("SN-1", None, "1"), lot("SN-2", None, "1")],
    );
    let order_id = confirmed(&mut w, &[(scanner, "1")]);
    reserve(&mut w, order_id);
    let shipment_id = ship(&mut w, order_id, &[]);

    let sn1 = w.h.engine.read(|b| b.lot_deliveries(scanner, "SN-1"));
    let sn2 = w.h.engine.read(|b| b.lot_deliveries(scanner, "SN-2"));

    assert_eq!(
        sn1,
        vec![LotDelivery {
            shipment_id,
            order_id,
            customer_id: w.customer,
            quantity: dec("1"),
        }]
    );
    assert!(sn2.is_empty());
}
