//! Lots and serial numbers: only what was shipped on the order (to that customer) comes
//! back, lot by lot and serial by serial, through receipt and inspection.

use crate::common::*;
use crate::support::{World, dec};
use o2c::location::LocationKind;
use o2c::returns::{InspectReturn, InspectionDecision, InspectionOutcome, ReceiveReturn, ReturnStatus};
use o2c::stock::Tracking;
use o2c::{DomainError, ProductId};

fn lot_decision(
    order_line: u32,
    quantity: &str,
    lot: &str,
    outcome: InspectionOutcome,
) -> InspectionDecision {
    InspectionDecision {
        lot: Some(lot.into()),
        ..decision(order_line, quantity, outcome)
    }
}

/// Yoghurt in lots L-A (5) and L-B (5); Acme's order of 8 takes L-A 5 and L-B 3, Beta's
/// order of 2 takes L-B 2.
fn yoghurt_shipped_to_two_customers(w: &mut World) -> (ProductId, o2c::OrderId, o2c::OrderId) {
    let yoghurt = product(w, "YOGHURT", "2.00", Tracking::Lot);
    receive_lots(w, yoghurt, &[("L-A", "5"), ("L-B", "5")]);
    let acme = w.customer;
    let acme_order = confirmed_for(w, acme, &[(yoghurt, "8")]);
    let shipment = ship(w, acme_order, &[]);
    let lots: Vec<_> =
        w.h.engine
            .shipment(shipment)
            .unwrap()
            .moves
            .into_iter()
            .map(|m| (m.movement.lot.unwrap(), m.movement.quantity))
            .collect();
    assert_eq!(
        lots,
        vec![("L-A".to_string(), dec("5")), ("L-B".to_string(), dec("3"))]
    );
    let beta = other_customer(w, "Beta");
    let beta_order = confirmed_for(w, beta, &[(yoghurt, "2")]);
    ship(w, beta_order, &[]);
    (yoghurt, acme_order, beta_order)
}

#[test]
fn a_lot_never_shipped_to_that_customer_is_refused() {
    let mut w = World::new();
    let (_, acme_order, beta_order) = yoghurt_shipped_to_two_customers(&mut w);
    let return_id = w.h.id();
    assert_eq!(
        w.h.refused(authorisation(return_id, acme_order, vec![rq_lot(1, "1", "L-C")])),
        DomainError::LotNotShippedToCustomer {
            order_id: acme_order,
            line: 1,
            lot: "L-C".into(),
        }
    );
    // L-A went to Acme only: Beta cannot return it.
    assert_eq!(
        w.h.refused(authorisation(return_id, beta_order, vec![rq_lot(1, "1", "L-A")])),
        DomainError::LotNotShippedToCustomer {
            order_id: beta_order,
            line: 1,
            lot: "L-A".into(),
        }
    );
    // Acme got 3 of L-B: not 4.
    assert_eq!(
        w.h.refused(authorisation(return_id, acme_order, vec![rq_lot(1, "4", "L-B")])),
        DomainError::ReturnExceedsDelivered {
            line: 1,
            lot: Some("L-B".into()),
            requested: dec("4"),
            returnable: dec("3"),
        }
    );
    // A lot-tracked line names its lot; an untracked one names none.
    let yoghurt = order(&w, acme_order).lines[0].product_id;
    assert_eq!(
        w.h.refused(authorisation(return_id, acme_order, vec![rq(1, "1")])),
        DomainError::ReturnTrackingMismatch {
            product_id: yoghurt,
            tracking: Tracking::Lot,
        }
    );
    let widget = w.widget;
    let widget_order = delivered(&mut w, &[(widget, "2")]);
    assert_eq!(
        w.h.refused(authorisation(
            return_id,
            widget_order,
            vec![rq_lot(1, "1", "L-A")]
        )),
        DomainError::ReturnTrackingMismatch {
            product_id: widget,
            tracking: Tracking::None,
        }
    );
    w.h.ok(authorisation(return_id, beta_order, vec![rq_lot(1, "2", "L-B")]));
}

#[test]
fn lots_come_back_and_are_inspected_lot_by_lot() {
    let mut w = World::new();
    let (yoghurt, acme_order, _) = yoghurt_shipped_to_two_customers(&mut w);
    let return_id = authorise(
        &mut w,
        acme_order,
        vec![rq_lot(1, "2", "L-A"), rq_lot(1, "3", "L-B")],
    );
    // Other authorisations of the lot count too.
    let second = w.h.id();
    assert_eq!(
        w.h.refused(authorisation(second, acme_order, vec![rq_lot(1, "4", "L-A")])),
        DomainError::ReturnExceedsDelivered {
            line: 1,
            lot: Some("L-A".into()),
            requested: dec("4"),
            returnable: dec("3"),
        }
    );
    assert_eq!(
        w.h.refused(ReceiveReturn {
            return_id,
            lines: vec![rq_lot(1, "1", "L-C")],
        }),
        DomainError::NotAuthorisedForReturn {
            line: 1,
            lot: Some("L-C".into()),
        }
    );
    receive_back(
        &mut w,
        return_id,
        vec![rq_lot(1, "2", "L-A"), rq_lot(1, "1", "L-B")],
    );
    let returns = at(&w, LocationKind::Returns);
    assert_eq!(qty_at(&w, yoghurt, returns, Some("L-A")), dec("2"));
    assert_eq!(qty_at(&w, yoghurt, returns, Some("L-B")), dec("1"));
    assert_eq!(figures(&w, acme_order, 1), decs(["5", "3", "0", "0"]));
    assert_eq!(rma(&w, return_id).status, ReturnStatus::PartiallyReceived);
    assert_eq!(
        w.h.refused(InspectReturn {
            return_id,
            decisions: vec![lot_decision(1, "2", "L-B", InspectionOutcome::Restock)],
        }),
        DomainError::InspectionExceedsReceived {
            line: 1,
            lot: Some("L-B".into()),
            requested: dec("2"),
            uninspected: dec("1"),
        }
    );
    inspect(
        &mut w,
        return_id,
        vec![
            lot_decision(1, "2", "L-A", InspectionOutcome::Restock),
            lot_decision(
                1,
                "1",
                "L-B",
                InspectionOutcome::Scrap {
                    reason: "past best before".into(),
                },
            ),
        ],
    );
    let stock = at(&w, LocationKind::Stock);
    assert_eq!(qty_at(&w, yoghurt, stock, Some("L-A")), dec("2"));
    assert_eq!(
        qty_at(&w, yoghurt, at(&w, LocationKind::Scrap), Some("L-B")),
        dec("1")
    );
    assert_eq!(qty_at(&w, yoghurt, returns, None), dec("0"));
    assert_conserved(&w, yoghurt);
}

#[test]
fn serial_numbers_come_back_one_by_one_as_shipped() {
    let mut w = World::new();
    let phone = product(&mut w, "PHONE", "300.00", Tracking::Serial);
    receive_lots(&mut w, phone, &[("SN-1", "1"), ("SN-2", "1"), ("SN-3", "1")]);
    let customer = w.customer;
    let order_id = confirmed_for(&mut w, customer, &[(phone, "2")]);
    ship(&mut w, order_id, &[]);
    let return_id = w.h.id();
    assert_eq!(
        w.h.refused(authorisation(return_id, order_id, vec![rq_serials(1, &["SN-3"])])),
        DomainError::SerialNotShippedToCustomer {
            order_id,
            line: 1,
            serial: "SN-3".into(),
        }
    );
    assert_eq!(
        w.h.refused(authorisation(
            return_id,
            order_id,
            vec![rq_serials(1, &["SN-1", "SN-1"])]
        )),
        DomainError::SerialListedTwice {
            serial: "SN-1".into()
        }
    );
    let mut too_few = rq_serials(1, &["SN-1"]);
    too_few.quantity = dec("2");
    assert_eq!(
        w.h.refused(authorisation(return_id, order_id, vec![too_few])),
        DomainError::SerialCountMismatch {
            line: 1,
            quantity: dec("2"),
            serials: 1,
        }
    );
    assert_eq!(
        w.h.refused(authorisation(return_id, order_id, vec![rq_lot(1, "1", "SN-1")])),
        DomainError::ReturnTrackingMismatch {
            product_id: phone,
            tracking: Tracking::Serial,
        }
    );
    w.h.ok(authorisation(return_id, order_id, vec![rq_serials(1, &["SN-1"])]));
    // SN-1 is expected back already.
    let second = w.h.id();
    assert_eq!(
        w.h.refused(authorisation(second, order_id, vec![rq_serials(1, &["SN-1"])])),
        DomainError::ReturnExceedsDelivered {
            line: 1,
            lot: Some("SN-1".into()),
            requested: dec("1"),
            returnable: dec("0"),
        }
    );
    assert_eq!(
        w.h.refused(ReceiveReturn {
            return_id,
            lines: vec![rq_serials(1, &["SN-2"])],
        }),
        DomainError::SerialNotAuthorised {
            line: 1,
            serial: "SN-2".into(),
        }
    );
    receive_back(&mut w, return_id, vec![rq_serials(1, &["SN-1"])]);
    let returns = at(&w, LocationKind::Returns);
    assert_eq!(qty_at(&w, phone, returns, Some("SN-1")), dec("1"));
    assert_eq!(
        qty_at(&w, phone, virtual_at(LocationKind::Customer), Some("SN-1")),
        dec("0")
    );
    let restock = InspectionDecision {
        serials: vec!["SN-1".into()],
        ..decision(1, "1", InspectionOutcome::Restock)
    };
    assert_eq!(
        w.h.refused(InspectReturn {
            return_id,
            decisions: vec![InspectionDecision {
                serials: vec!["SN-2".into()],
                ..restock.clone()
            }],
        }),
        DomainError::SerialNotAwaitingInspection {
            line: 1,
            serial: "SN-2".into(),
        }
    );
    inspect(&mut w, return_id, vec![restock]);
    assert_eq!(
        qty_at(&w, phone, at(&w, LocationKind::Stock), Some("SN-1")),
        dec("1")
    );
    assert!(w.h.engine.read(|b| b.serial_in_stock(phone, "SN-1")));
    // Back with the company, SN-1 may be sold and returned again; SN-2 is still out.
    let again = w.h.id();
    w.h.ok(authorisation(again, order_id, vec![rq_serials(1, &["SN-2"])]));
    assert_conserved(&w, phone);
}
