//! Inspecting returned goods: each outcome moves them out of the returns location
//! (restock, quarantine, scrap, return to vendor), stock stays conserved, only received
//! and uninspected goods are decided on.

use crate::common::*;
use crate::support::{World, dec, person};
use o2c::location::LocationKind;
use o2c::order::{ReserveStock, StockReserved};
use o2c::returns::{InspectReturn, InspectedQuantity, InspectionOutcome, ReturnInspected, ReturnedQuantity};
use o2c::stock::MoveStock;
use o2c::warehouse::{ConfigureWarehouse, ReservationPolicy};
use o2c::{DomainError, Event, Role};

fn scrap(reason: &str) -> InspectionOutcome {
    InspectionOutcome::Scrap {
        reason: reason.into(),
    }
}

#[test]
fn each_outcome_moves_the_goods_to_its_location() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "10")]);
    let return_id = authorise(&mut w, order_id, vec![rq(1, "8")]);
    receive_back(&mut w, return_id, vec![rq(1, "8")]);
    // stock, returns, quarantine, scrap, customers, suppliers
    assert_eq!(where_is(&w, widget), decs(["0", "8", "0", "0", "2", "-10"]));

    let event = only(inspect(
        &mut w,
        return_id,
        vec![decision(1, "3", InspectionOutcome::Restock)],
    ));
    let Event::ReturnInspected(ReturnInspected { decisions, moves, .. }) = event else {
        panic!("expected ReturnInspected, got {event:?}");
    };
    assert_eq!(
        decisions,
        vec![InspectedQuantity {
            quantity: ReturnedQuantity {
                order_line: 1,
                product_id: widget,
                quantity: dec("3"),
                lot: None,
                serials: vec![],
            },
            outcome: InspectionOutcome::Restock,
        }]
    );
    assert_eq!(moves[0].movement.from, at(&w, LocationKind::Returns));
    assert_eq!(moves[0].movement.to, at(&w, LocationKind::Stock));
    assert_eq!(where_is(&w, widget), decs(["3", "5", "0", "0", "2", "-10"]));
    // Restocked goods are available again.
    let level = w.h.engine.read(|b| b.stock_level(widget, w.warehouse));
    assert_eq!((level.on_hand, level.available()), (dec("3"), dec("3")));

    inspect(
        &mut w,
        return_id,
        vec![decision(1, "2", InspectionOutcome::Quarantine)],
    );
    assert_eq!(where_is(&w, widget), decs(["3", "3", "2", "0", "2", "-10"]));

    inspect(
        &mut w,
        return_id,
        vec![decision(1, "1", scrap("housing cracked"))],
    );
    assert_eq!(where_is(&w, widget), decs(["3", "2", "2", "1", "2", "-10"]));

    inspect(
        &mut w,
        return_id,
        vec![decision(1, "2", InspectionOutcome::ReturnToVendor)],
    );
    assert_eq!(where_is(&w, widget), decs(["3", "0", "2", "1", "2", "-8"]));
    assert_conserved(&w, widget);
    // Only the restocked goods count as on hand.
    assert_eq!(
        w.h.engine.read(|b| b.stock_level(widget, w.warehouse)).on_hand,
        dec("3")
    );

    let inspected = rma(&w, return_id).lines[0].inspected;
    assert_eq!(
        [
            inspected.restocked,
            inspected.quarantined,
            inspected.scrapped,
            inspected.returned_to_vendor
        ],
        decs(["3", "2", "1", "2"])
    );
    assert_eq!(
        w.h.refused(InspectReturn {
            return_id,
            decisions: vec![decision(1, "1", InspectionOutcome::Restock)],
        }),
        DomainError::NothingToInspect { return_id }
    );
}

#[test]
fn several_decisions_in_one_inspection_share_what_was_received() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "10")]);
    let return_id = authorise(&mut w, order_id, vec![rq(1, "4")]);
    receive_back(&mut w, return_id, vec![rq(1, "4")]);
    assert_eq!(
        w.h.refused(InspectReturn {
            return_id,
            decisions: vec![
                decision(1, "3", InspectionOutcome::Restock),
                decision(1, "2", InspectionOutcome::Quarantine),
            ],
        }),
        DomainError::InspectionExceedsReceived {
            line: 1,
            lot: None,
            requested: dec("2"),
            uninspected: dec("1"),
        }
    );
    inspect(
        &mut w,
        return_id,
        vec![
            decision(1, "3", InspectionOutcome::Restock),
            decision(1, "1", scrap("wet")),
        ],
    );
    assert_eq!(where_is(&w, widget), decs(["3", "0", "0", "1", "6", "-10"]));
}

#[test]
fn nothing_is_inspected_before_it_is_received() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "10")]);
    let return_id = authorise(&mut w, order_id, vec![rq(1, "4")]);
    assert_eq!(
        w.h.refused(InspectReturn {
            return_id,
            decisions: vec![decision(1, "1", InspectionOutcome::Restock)],
        }),
        DomainError::NothingToInspect { return_id }
    );
    receive_back(&mut w, return_id, vec![rq(1, "2")]);
    assert_eq!(
        w.h.refused(InspectReturn {
            return_id,
            decisions: vec![],
        }),
        DomainError::EmptyReturn { return_id }
    );
    assert_eq!(
        w.h.refused(InspectReturn {
            return_id,
            decisions: vec![decision(1, "3", InspectionOutcome::Restock)],
        }),
        DomainError::InspectionExceedsReceived {
            line: 1,
            lot: None,
            requested: dec("3"),
            uninspected: dec("2"),
        }
    );
    assert_eq!(
        w.h.refused(InspectReturn {
            return_id,
            decisions: vec![decision(1, "1", scrap(""))],
        }),
        DomainError::InvalidText {
            field: "reason",
            reason: "must not be blank",
        }
    );
}

#[test]
fn goods_moved_out_of_the_returns_location_by_hand_cannot_be_inspected() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "10")]);
    let return_id = authorise(&mut w, order_id, vec![rq(1, "2")]);
    receive_back(&mut w, return_id, vec![rq(1, "2")]);
    let (returns, quarantine) = (at(&w, LocationKind::Returns), at(&w, LocationKind::Quarantine));
    w.h.ok(MoveStock {
        product_id: widget,
        from: returns,
        to: quarantine,
        lot: None,
        quantity: dec("1"),
        reason: "smells".into(),
    });
    assert_eq!(
        w.h.refused(InspectReturn {
            return_id,
            decisions: vec![decision(1, "2", InspectionOutcome::Restock)],
        }),
        DomainError::NotEnoughFreeStock {
            location_id: returns,
            requested: dec("2"),
            free: dec("1"),
        }
    );
}

#[test]
fn only_warehouse_managers_inspect() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "10")]);
    let return_id = authorise(&mut w, order_id, vec![rq(1, "2")]);
    receive_back(&mut w, return_id, vec![rq(1, "2")]);
    let command = InspectReturn {
        return_id,
        decisions: vec![decision(1, "2", InspectionOutcome::Restock)],
    };
    let refusal = w.h.as_actor(person("olga", &[Role::WarehouseOperator]), |h| {
        h.refused(command.clone())
    });
    assert!(matches!(
        refusal,
        DomainError::NotAuthorized {
            command: "InspectReturn",
            ..
        }
    ));
    w.h.as_actor(person("max", &[Role::WarehouseManager]), |h| h.ok(command));
    assert_eq!(where_is(&w, widget), decs(["2", "0", "0", "0", "8", "-10"]));
}

#[test]
fn restocked_goods_serve_waiting_orders_where_the_warehouse_reserves_at_confirmation() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "10")]);
    let warehouse_id = w.warehouse;
    w.h.ok(ConfigureWarehouse {
        warehouse_id,
        route: Default::default(),
        reservation: ReservationPolicy::AtConfirmation,
    });
    let customer = w.customer;
    let waiting = confirmed_for(&mut w, customer, &[(widget, "3")]);
    assert_eq!(order_line(&w, waiting, 1).reserved, dec("0"));
    let return_id = authorise(&mut w, order_id, vec![rq(1, "4")]);
    receive_back(&mut w, return_id, vec![rq(1, "4")]);
    let outcome = inspect(
        &mut w,
        return_id,
        vec![decision(1, "4", InspectionOutcome::Restock)],
    );
    assert_eq!(names(&outcome), ["ReturnInspected", "StockReserved"]);
    let Event::StockReserved(StockReserved { order_id: served, .. }) = &outcome.events[1].payload else {
        panic!("expected StockReserved");
    };
    assert_eq!(*served, waiting);
    assert_eq!(order_line(&w, waiting, 1).reserved, dec("3"));
    let level = w.h.engine.read(|b| b.stock_level(widget, w.warehouse));
    assert_eq!((level.on_hand, level.reserved), (dec("4"), dec("3")));
    assert_eq!(
        w.h.refused(ReserveStock { order_id: waiting }),
        DomainError::NothingToReserve { order_id: waiting }
    );
}
