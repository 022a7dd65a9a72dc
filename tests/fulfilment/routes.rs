//! Outbound routes: three steps (pick, pack, ship) with a short pick, two steps (pick,
//! ship), steps outside the route, the operation views, changing a warehouse's route, and
//! closing or cancelling an order whose goods are on their way (they go back to stock).

use crate::common::*;
use crate::support::{World, dec};
use o2c::location::LocationKind;
use o2c::order::{
    Allocation, CancelOrder, ChangeOrderLine, CloseOrder, OrderCancelled, OrderClosed, ReopenOrder,
};
use o2c::picking::{OperationState, OrderPicked, PackOrder, PickOrder, Step, StepLine, StepView};
use o2c::shipment::ShipmentDispatched;
use o2c::uuid::Uuid;
use o2c::warehouse::{ConfigureWarehouse, OutboundRoute, ReservationPolicy, WarehouseConfigured};
use o2c::{DomainError, EntityKind, Event, OperationId, OrderId};

/// The view of one step of a one-line order.
fn view(
    w: &World,
    step: Step,
    state: OperationState,
    (demand, ready, done): (&str, &str, &str),
    validated: &[Uuid],
    next: Option<Step>,
) -> StepView {
    StepView {
        warehouse_id: w.warehouse,
        step,
        state,
        lines: vec![StepLine {
            line: 1,
            demand: dec(demand),
            ready: dec(ready),
            done: dec(done),
        }],
        validated: validated.iter().map(|id| (*id, actor_id("paula"))).collect(),
        next,
    }
}

/// Ten widgets in stock and an order for ten of them, reserved.
fn reserved_order(w: &mut World) -> OrderId {
    let widget = w.widget;
    receive(w, widget, "10");
    let order_id = confirmed(w, &[(widget, "10")]);
    reserve(w, order_id);
    order_id
}

#[test]
fn a_three_step_route_with_a_short_pick() {
    use OperationState::{Done, Ready, Waiting};
    let mut w = world(OutboundRoute::ThreeSteps, ReservationPolicy::Manual);
    let (widget, warehouse_id) = (w.widget, w.warehouse);
    let stock_location = stock_of(&w);
    let packing = at(warehouse_id, LocationKind::Packing);
    let output = at(warehouse_id, LocationKind::Output);
    let customers = virtual_at(LocationKind::Customer);
    let order_id = reserved_order(&mut w);
    assert_eq!(
        steps(&w, order_id),
        vec![
            view(&w, Step::Pick, Ready, ("10", "10", "0"), &[], Some(Step::Pack)),
            view(&w, Step::Pack, Waiting, ("10", "0", "0"), &[], Some(Step::Ship)),
            view(&w, Step::Ship, Waiting, ("10", "0", "0"), &[], None),
        ]
    );

    // When the picker finds only 6 of the 10 ready.
    let operation_id: OperationId = w.h.id();
    let event = w.h.as_actor(picker(), |h| {
        only(h.ok(PickOrder {
            operation_id,
            order_id,
            warehouse_id: None,
            lines: vec![o2c::shipment::ShipLine {
                line: 1,
                quantity: dec("6"),
            }],
        }))
    });

    // Then 6 move to the packing zone, still reserved; 4 stay reserved in stock.
    assert_eq!(
        event,
        Event::OrderPicked(OrderPicked {
            operation_id,
            order_id,
            warehouse_id,
            step: Step::Pick,
            lines: vec![lq(1, widget, "6")],
            moves: vec![line_move(1, mv(widget, stock_location, packing, None, "6"))],
            wave_id: None,
        })
    );
    let widgets = stock(&w, widget);
    let in_stock = widgets.quant(stock_location, None);
    let in_packing = widgets.quant(packing, None);
    assert_eq!((in_stock.quantity, in_stock.reserved), (dec("4"), dec("4")));
    assert_eq!((in_packing.quantity, in_packing.reserved), (dec("6"), dec("6")));
    assert_eq!(figures(&w, widget), (dec("4"), dec("4"), dec("0")));
    let picked = line(&w, order_id, 1);
    assert_eq!(
        (picked.reserved, picked.picked, picked.packed, picked.delivered),
        (dec("10"), dec("6"), dec("0"), dec("0"))
    );
    assert_eq!(
        picked.allocations,
        vec![
            Allocation {
                location_id: stock_location,
                lot: None,
                quantity: dec("4"),
            },
            Allocation {
                location_id: packing,
                lot: None,
                quantity: dec("6"),
            },
        ]
    );
    assert_eq!(
        steps(&w, order_id),
        vec![
            view(
                &w,
                Step::Pick,
                Ready,
                ("10", "4", "6"),
                &[operation_id.0],
                Some(Step::Pack)
            ),
            view(&w, Step::Pack, Ready, ("10", "6", "0"), &[], Some(Step::Ship)),
            view(&w, Step::Ship, Waiting, ("10", "0", "0"), &[], None),
        ]
    );
    // Nothing is on output yet: nothing to ship.
    let command = shipping(&mut w, order_id, &[]);
    assert_eq!(w.h.refused(command), DomainError::NothingReserved { order_id });
    let command = shipping(&mut w, order_id, &[(1, "6")]);
    assert_eq!(
        w.h.refused(command),
        DomainError::ShipmentExceedsReservation {
            order_id,
            line: 1,
            requested: dec("6"),
            reserved: dec("0"),
        }
    );

    // When the 6 are packed, they wait on output.
    let pack_id = pack(&mut w, order_id, &[]);
    assert_eq!(stock(&w, widget).quant(output, None).reserved, dec("6"));
    assert_eq!(
        steps(&w, order_id)[1..],
        [
            view(
                &w,
                Step::Pack,
                Waiting,
                ("10", "0", "6"),
                &[pack_id.0],
                Some(Step::Ship)
            ),
            view(&w, Step::Ship, Ready, ("10", "6", "0"), &[], None),
        ]
    );

    // When they ship: from output to the customer; the 4 in stock stay reserved.
    let command = shipping(&mut w, order_id, &[]);
    let shipment_id = command.shipment_id;
    let event = w.h.as_actor(picker(), |h| only(h.ok(command)));
    assert_eq!(
        event,
        Event::ShipmentDispatched(ShipmentDispatched {
            shipment_id,
            order_id,
            customer_id: w.customer,
            warehouse_id,
            lines: vec![lq(1, widget, "6")],
            moves: vec![line_move(1, mv(widget, output, customers, None, "6"))],
            carrier: "UPS".into(),
            tracking_reference: "1Z999".into(),
            cancelled: vec![],
            released: vec![],
            returned: vec![],
        })
    );
    let shipped = line(&w, order_id, 1);
    assert_eq!((shipped.reserved, shipped.delivered), (dec("4"), dec("6")));
    assert_eq!(order(&w, order_id).backorder(1), dec("4"));
    assert_eq!(figures(&w, widget), (dec("4"), dec("4"), dec("0")));
    assert_eq!(
        steps(&w, order_id),
        vec![
            view(
                &w,
                Step::Pick,
                Ready,
                ("10", "4", "6"),
                &[operation_id.0],
                Some(Step::Pack)
            ),
            view(
                &w,
                Step::Pack,
                Waiting,
                ("10", "0", "6"),
                &[pack_id.0],
                Some(Step::Ship)
            ),
            view(&w, Step::Ship, Waiting, ("10", "0", "6"), &[shipment_id.0], None),
        ]
    );

    // When the rest goes through every step, every step is done.
    let second_pick = pick(&mut w, order_id, &[]);
    let second_pack = pack(&mut w, order_id, &[]);
    let second_shipment = ship(&mut w, order_id, &[]);
    let mut picks = vec![operation_id.0, second_pick.0];
    let mut packs = vec![pack_id.0, second_pack.0];
    let mut shipments = vec![shipment_id.0, second_shipment.0];
    for ids in [&mut picks, &mut packs, &mut shipments] {
        ids.sort();
    }
    assert_eq!(
        steps(&w, order_id),
        vec![
            view(&w, Step::Pick, Done, ("10", "0", "10"), &picks, Some(Step::Pack)),
            view(&w, Step::Pack, Done, ("10", "0", "10"), &packs, Some(Step::Ship)),
            view(&w, Step::Ship, Done, ("10", "0", "10"), &shipments, None),
        ]
    );
    assert_eq!(figures(&w, widget), (dec("0"), dec("0"), dec("0")));
    assert_eq!(stock(&w, widget).at(customers), dec("10"));
}

#[test]
fn a_two_step_route_picks_to_output_and_ships_from_there() {
    use OperationState::{Done, Ready, Waiting};
    let mut w = world(OutboundRoute::TwoSteps, ReservationPolicy::Manual);
    let (widget, warehouse_id) = (w.widget, w.warehouse);
    let (stock_location, output) = (stock_of(&w), at(warehouse_id, LocationKind::Output));
    let order_id = reserved_order(&mut w);
    assert_eq!(
        steps(&w, order_id),
        vec![
            view(&w, Step::Pick, Ready, ("10", "10", "0"), &[], Some(Step::Ship)),
            view(&w, Step::Ship, Waiting, ("10", "0", "0"), &[], None),
        ]
    );

    let operation_id = pick(&mut w, order_id, &[]);

    let operation =
        w.h.engine
            .read(|b| b.operations_of(order_id).next().cloned())
            .unwrap();
    assert_eq!(
        (operation.id, operation.step, operation.validated_by.clone()),
        (operation_id, Step::Pick, actor_id("paula"))
    );
    assert_eq!(operation.lines, vec![lq(1, widget, "10")]);
    let on_output = stock(&w, widget).quant(output, None);
    assert_eq!((on_output.quantity, on_output.reserved), (dec("10"), dec("10")));
    assert_eq!(stock(&w, widget).at(stock_location), dec("0"));
    let operation_id = pack_refused(&mut w, order_id);
    assert_eq!(
        operation_id,
        DomainError::StepNotInRoute {
            warehouse_id,
            step: Step::Pack,
        }
    );

    let shipment_id = ship(&mut w, order_id, &[]);

    let shipment = w.h.engine.shipment(shipment_id).unwrap();
    assert_eq!(shipment.moves[0].movement.from, output);
    assert_eq!(
        steps(&w, order_id),
        vec![
            view(
                &w,
                Step::Pick,
                Done,
                ("10", "0", "10"),
                &[operation.id.0],
                Some(Step::Ship)
            ),
            view(&w, Step::Ship, Done, ("10", "0", "10"), &[shipment_id.0], None),
        ]
    );
}

fn pack_refused(w: &mut World, order_id: OrderId) -> DomainError {
    let operation_id = w.h.id();
    w.h.refused(PackOrder {
        operation_id,
        order_id,
        warehouse_id: None,
        lines: vec![],
    })
}

fn pick_refused(w: &mut World, order_id: OrderId, lines: &[(u32, &str)]) -> DomainError {
    let operation_id = w.h.id();
    let lines = lines
        .iter()
        .map(|(line, quantity)| o2c::shipment::ShipLine {
            line: *line,
            quantity: dec(quantity),
        })
        .collect();
    w.h.refused(PickOrder {
        operation_id,
        order_id,
        warehouse_id: None,
        lines,
    })
}

#[test]
fn a_one_step_warehouse_has_no_pick_and_ships_from_stock() {
    let mut w = World::new();
    let warehouse_id = w.warehouse;
    let order_id = reserved_order(&mut w);

    assert_eq!(
        pick_refused(&mut w, order_id, &[]),
        DomainError::StepNotInRoute {
            warehouse_id,
            step: Step::Pick,
        }
    );
    let views = steps(&w, order_id);
    assert_eq!(views.len(), 1);
    assert_eq!(
        (views[0].step, views[0].state),
        (Step::Ship, OperationState::Ready)
    );
}

#[test]
fn picking_and_packing_more_than_is_ready_is_refused() {
    let mut w = world(OutboundRoute::ThreeSteps, ReservationPolicy::Manual);
    let order_id = reserved_order(&mut w);

    assert_eq!(
        pick_refused(&mut w, order_id, &[(1, "11")]),
        DomainError::NotReady {
            order_id,
            line: 1,
            step: Step::Pick,
            requested: dec("11"),
            ready: dec("10"),
        }
    );
    assert_eq!(
        pick_refused(&mut w, order_id, &[(2, "1")]),
        DomainError::UnknownOrderLine { order_id, line: 2 }
    );
    assert_eq!(
        pack_refused(&mut w, order_id),
        DomainError::NothingReady {
            order_id,
            step: Step::Pack,
        }
    );
    let operation_id = pick(&mut w, order_id, &[(1, "6")]);
    let operation_id_again = PickOrder {
        operation_id,
        order_id,
        warehouse_id: None,
        lines: vec![],
    };
    assert_eq!(
        w.h.refused(operation_id_again),
        DomainError::IdAlreadyUsed {
            id: operation_id.0,
            kind: EntityKind::Operation,
        }
    );
    let pack_id = w.h.id();
    assert_eq!(
        w.h.refused(PackOrder {
            operation_id: pack_id,
            order_id,
            warehouse_id: None,
            lines: vec![o2c::shipment::ShipLine {
                line: 1,
                quantity: dec("7"),
            }],
        }),
        DomainError::NotReady {
            order_id,
            line: 1,
            step: Step::Pack,
            requested: dec("7"),
            ready: dec("6"),
        }
    );
    // Nothing reserved: nothing ready to pick.
    let widget = w.widget;
    let unreserved = confirmed(&mut w, &[(widget, "1")]);
    assert_eq!(
        pick_refused(&mut w, unreserved, &[]),
        DomainError::NothingReady {
            order_id: unreserved,
            step: Step::Pick,
        }
    );
}

#[test]
fn a_route_changes_only_while_nothing_waits_in_packing_or_output() {
    let mut w = world(OutboundRoute::ThreeSteps, ReservationPolicy::Manual);
    let warehouse_id = w.warehouse;
    let order_id = reserved_order(&mut w);
    pick(&mut w, order_id, &[(1, "6")]);
    let configure = |route, reservation| ConfigureWarehouse {
        warehouse_id,
        route,
        reservation,
    };

    // Goods in the packing zone.
    assert_eq!(
        w.h.refused(configure(OutboundRoute::TwoSteps, ReservationPolicy::Manual)),
        DomainError::GoodsInProcess { warehouse_id }
    );
    // The reservation policy alone may change.
    let event = only(w.h.ok(configure(
        OutboundRoute::ThreeSteps,
        ReservationPolicy::AtConfirmation,
    )));
    assert_eq!(
        event,
        Event::WarehouseConfigured(WarehouseConfigured {
            warehouse_id,
            route: OutboundRoute::ThreeSteps,
            reservation: ReservationPolicy::AtConfirmation,
        })
    );
    // Goods on output.
    pack(&mut w, order_id, &[]);
    assert_eq!(
        w.h.refused(configure(OutboundRoute::OneStep, ReservationPolicy::Manual)),
        DomainError::GoodsInProcess { warehouse_id }
    );
    // A warehouse operator may not reconfigure.
    let error = w.h.as_actor(picker(), |h| {
        h.refused(configure(OutboundRoute::OneStep, ReservationPolicy::Manual))
    });
    assert!(
        matches!(
            error,
            DomainError::NotAuthorized {
                command: "ConfigureWarehouse",
                ..
            }
        ),
        "{error:?}"
    );

    // Once shipped, nothing waits: the route may change, and the 4 in stock ship in one step.
    ship(&mut w, order_id, &[]);
    w.h.as_actor(warehouse_manager(), |h| {
        h.ok(configure(OutboundRoute::OneStep, ReservationPolicy::Manual))
    });
    let warehouse = w.h.engine.read(|b| b.warehouse(warehouse_id).cloned()).unwrap();
    assert_eq!(
        (warehouse.route, warehouse.reservation),
        (OutboundRoute::OneStep, ReservationPolicy::Manual)
    );
    let shipment_id = ship(&mut w, order_id, &[]);
    let shipment = w.h.engine.shipment(shipment_id).unwrap();
    assert_eq!(shipment.lines, vec![lq(1, w.widget, "4")]);
    assert_eq!(shipment.moves[0].movement.from, stock_of(&w));
}

#[test]
fn cancelling_an_order_with_picked_goods_returns_them_to_stock() {
    use OperationState::Cancelled;
    let mut w = world(OutboundRoute::ThreeSteps, ReservationPolicy::Manual);
    let (widget, warehouse_id) = (w.widget, w.warehouse);
    let (stock_location, packing) = (stock_of(&w), at(warehouse_id, LocationKind::Packing));
    let order_id = reserved_order(&mut w);
    pick(&mut w, order_id, &[(1, "6")]);

    let event = only(w.h.ok(CancelOrder {
        order_id,
        reason: "customer withdrew".into(),
    }));

    assert_eq!(
        event,
        Event::OrderCancelled(OrderCancelled {
            order_id,
            released: vec![lq(1, widget, "10")],
            released_quants: vec![
                quant(1, widget, stock_location, None, "4"),
                quant(1, widget, packing, None, "6"),
            ],
            returned: vec![line_move(1, mv(widget, packing, stock_location, None, "6"))],
            reason: "customer withdrew".into(),
        })
    );
    let widgets = stock(&w, widget);
    let in_stock = widgets.quant(stock_location, None);
    assert_eq!((in_stock.quantity, in_stock.reserved), (dec("10"), dec("0")));
    assert_eq!(widgets.at(packing), dec("0"));
    assert_eq!(figures(&w, widget), (dec("10"), dec("0"), dec("10")));
    let cancelled = line(&w, order_id, 1);
    assert_eq!(cancelled.reserved, dec("0"));
    assert!(cancelled.allocations.is_empty());
    let states: Vec<_> = steps(&w, order_id).iter().map(|s| s.state).collect();
    assert_eq!(states, [Cancelled, Cancelled, Cancelled]);
    // The warehouse may change its route again.
    w.h.ok(ConfigureWarehouse {
        warehouse_id,
        route: OutboundRoute::OneStep,
        reservation: ReservationPolicy::Manual,
    });
}

#[test]
fn closing_an_order_returns_its_picked_rest_to_stock() {
    let mut w = world(OutboundRoute::ThreeSteps, ReservationPolicy::Manual);
    let (widget, warehouse_id) = (w.widget, w.warehouse);
    let (stock_location, packing) = (stock_of(&w), at(warehouse_id, LocationKind::Packing));
    let order_id = reserved_order(&mut w);
    pick(&mut w, order_id, &[]);
    pack(&mut w, order_id, &[(1, "6")]);
    ship(&mut w, order_id, &[]);

    let event = only(w.h.ok(CloseOrder {
        order_id,
        reason: "rest no longer needed".into(),
    }));

    assert_eq!(
        event,
        Event::OrderClosed(OrderClosed {
            order_id,
            released: vec![lq(1, widget, "4")],
            released_quants: vec![quant(1, widget, packing, None, "4")],
            returned: vec![line_move(1, mv(widget, packing, stock_location, None, "4"))],
            reason: "rest no longer needed".into(),
        })
    );
    assert_eq!(figures(&w, widget), (dec("4"), dec("0"), dec("4")));
    assert_eq!(stock(&w, widget).at(packing), dec("0"));
    let closed = line(&w, order_id, 1);
    assert_eq!((closed.reserved, closed.delivered), (dec("0"), dec("6")));
    assert!(!w.h.engine.read(|b| b.goods_in_process(warehouse_id)));
}

#[test]
fn a_reopened_order_does_not_count_returned_goods_as_in_process() {
    let mut w = world(OutboundRoute::ThreeSteps, ReservationPolicy::Manual);
    let order_id = reserved_order(&mut w);
    pick(&mut w, order_id, &[]);
    pack(&mut w, order_id, &[(1, "6")]);
    ship(&mut w, order_id, &[]);
    w.h.ok(CloseOrder {
        order_id,
        reason: "rest no longer needed".into(),
    });
    // The 4 picked but unshipped widgets went back to stock.
    let closed = line(&w, order_id, 1);
    assert_eq!(w.h.engine.read(|b| b.in_process(&closed)), dec("0"));
    w.h.ok(ReopenOrder {
        order_id,
        reason: "customer wants one more".into(),
    });

    // 6 delivered, nothing on its way: the line may go down to 7.
    w.h.ok(ChangeOrderLine {
        order_id,
        line: 1,
        quantity: Some(dec("7")),
        discount_percent: None,
        promised_date: None,
        reason: "only one more".into(),
    });

    assert_eq!(line(&w, order_id, 1).quantity, dec("7"));
}
