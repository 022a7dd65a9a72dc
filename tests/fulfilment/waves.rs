//! Waves: the picks of several orders of one warehouse grouped and confirmed at once, a
//! short pick leaving the rest waiting, one open wave per order, and the wave refusals.

use crate::common::*;
use crate::support::{World, dec};
use o2c::location::LocationKind;
use o2c::picking::{
    ConfirmWave, CreateWave, OperationState, OrderPicked, Step, Wave, WaveCompleted, WaveCreated, WavePick,
};
use o2c::uuid::Uuid;
use o2c::warehouse::{OutboundRoute, ReservationPolicy};
use o2c::{DomainError, Event, OperationId, OrderId, WaveId};

/// A two-step warehouse with 20 widgets and three reserved orders: 5, 3 and 4 widgets.
fn three_orders() -> (World, [OrderId; 3]) {
    let mut w = world(OutboundRoute::TwoSteps, ReservationPolicy::Manual);
    let widget = w.widget;
    receive(&mut w, widget, "20");
    let orders = ["5", "3", "4"].map(|quantity| {
        let order_id = confirmed(&mut w, &[(widget, quantity)]);
        reserve(&mut w, order_id);
        order_id
    });
    (w, orders)
}

fn create_wave(w: &mut World, order_ids: &[OrderId]) -> WaveId {
    let wave_id = w.h.id();
    let warehouse_id = w.warehouse;
    w.h.as_actor(picker(), |h| {
        h.ok(CreateWave {
            wave_id,
            warehouse_id,
            order_ids: order_ids.to_vec(),
        })
    });
    wave_id
}

fn wave_pick(order_id: OrderId, quantity: &str) -> WavePick {
    WavePick {
        order_id,
        line: 1,
        quantity: dec(quantity),
    }
}

/// The id a wave gives the pick operation of one of its orders.
fn derived(wave_id: WaveId, order_id: OrderId) -> OperationId {
    OperationId(Uuid::new_v5(&wave_id.0, order_id.0.as_bytes()))
}

#[test]
fn a_wave_of_three_orders_with_a_short_pick() {
    let (mut w, [a, b, c]) = three_orders();
    let (widget, warehouse_id) = (w.widget, w.warehouse);
    let (stock_location, output) = (stock_of(&w), at(warehouse_id, LocationKind::Output));

    // Given a wave of the three orders.
    let wave_id: WaveId = w.h.id();
    let event = only(w.h.ok(CreateWave {
        wave_id,
        warehouse_id,
        order_ids: vec![a, b, c],
    }));
    assert_eq!(
        event,
        Event::WaveCreated(WaveCreated {
            wave_id,
            warehouse_id,
            order_ids: vec![a, b, c],
        })
    );
    assert_eq!(w.h.engine.read(|b| b.open_wave_of(a)), Some(wave_id));

    // When the picker confirms it, finding only 2 of order B's 3.
    let events = w.h.as_actor(picker(), |h| {
        events(h.ok(ConfirmWave {
            wave_id,
            picks: vec![wave_pick(a, "5"), wave_pick(b, "2"), wave_pick(c, "4")],
        }))
    });

    // Then one pick per order, with ids derived from the wave, then the wave's completion.
    let picked = |order_id, quantity| {
        Event::OrderPicked(OrderPicked {
            operation_id: derived(wave_id, order_id),
            order_id,
            warehouse_id,
            step: Step::Pick,
            lines: vec![lq(1, widget, quantity)],
            moves: vec![line_move(1, mv(widget, stock_location, output, None, quantity))],
            wave_id: Some(wave_id),
        })
    };
    assert_eq!(
        events,
        vec![
            picked(a, "5"),
            picked(b, "2"),
            picked(c, "4"),
            Event::WaveCompleted(WaveCompleted {
                wave_id,
                operations: vec![derived(wave_id, a), derived(wave_id, b), derived(wave_id, c)],
            }),
        ]
    );
    assert_eq!(
        w.h.engine.read(|book| book.wave(wave_id).cloned()),
        Some(Wave {
            id: wave_id,
            warehouse_id,
            order_ids: vec![a, b, c],
            completed: true,
        })
    );
    assert_eq!(w.h.engine.read(|book| book.open_wave_of(a)), None);

    // B's missing widget stays reserved in stock, its pick still ready.
    let short = line(&w, b, 1);
    assert_eq!((short.reserved, short.picked), (dec("3"), dec("2")));
    assert_eq!(short.allocated_at(stock_location), dec("1"));
    let b_pick = &steps(&w, b)[0];
    assert_eq!((b_pick.step, b_pick.state), (Step::Pick, OperationState::Ready));
    assert_eq!(b_pick.validated, vec![(derived(wave_id, b).0, actor_id("paula"))]);
    let a_pick = &steps(&w, a)[0];
    assert_eq!(a_pick.state, OperationState::Done);
    let operation =
        w.h.engine
            .read(|book| book.operations_of(c).next().cloned())
            .unwrap();
    assert_eq!(
        (operation.wave_id, operation.validated_by.clone()),
        (Some(wave_id), actor_id("paula"))
    );
    let widgets = stock(&w, widget);
    assert_eq!(widgets.quant(output, None).reserved, dec("11"));
    assert_eq!(figures(&w, widget), (dec("9"), dec("1"), dec("8")));

    // B's rest may go in a new wave; A has nothing left to pick.
    create_wave(&mut w, &[b]);
    let next: WaveId = w.h.id();
    assert_eq!(
        w.h.refused(CreateWave {
            wave_id: next,
            warehouse_id,
            order_ids: vec![a],
        }),
        DomainError::NothingReady {
            order_id: a,
            step: Step::Pick,
        }
    );
    // The completed wave cannot be confirmed again.
    assert_eq!(
        w.h.refused(ConfirmWave {
            wave_id,
            picks: vec![],
        }),
        DomainError::WaveAlreadyCompleted { wave_id }
    );
}

#[test]
fn an_order_in_an_open_wave_cannot_join_a_second_wave() {
    let (mut w, [a, b, c]) = three_orders();
    let warehouse_id = w.warehouse;
    let first = create_wave(&mut w, &[a, b]);
    let second: WaveId = w.h.id();

    let error = w.h.refused(CreateWave {
        wave_id: second,
        warehouse_id,
        order_ids: vec![c, b],
    });

    assert_eq!(
        error,
        DomainError::OrderInOpenWave {
            order_id: b,
            wave_id: first,
        }
    );
    create_wave(&mut w, &[c]);
}

#[test]
fn an_order_of_the_wave_that_picked_nothing_keeps_its_goods_ready() {
    let (mut w, [a, b, _]) = three_orders();
    let wave_id = create_wave(&mut w, &[a, b]);

    let events = events(w.h.ok(ConfirmWave {
        wave_id,
        picks: vec![wave_pick(a, "5")],
    }));

    assert_eq!(
        events.last(),
        Some(&Event::WaveCompleted(WaveCompleted {
            wave_id,
            operations: vec![derived(wave_id, a)],
        }))
    );
    assert_eq!(events.len(), 2);
    assert_eq!(line(&w, b, 1).picked, dec("0"));
    assert_eq!(steps(&w, b)[0].state, OperationState::Ready);
    assert_eq!(w.h.engine.read(|book| book.open_wave_of(b)), None);
}

#[test]
fn a_wave_pick_of_more_than_is_ready_refuses_the_whole_wave() {
    let (mut w, [a, b, _]) = three_orders();
    let wave_id = create_wave(&mut w, &[a, b]);

    let error = w.h.refused(ConfirmWave {
        wave_id,
        picks: vec![wave_pick(a, "5"), wave_pick(b, "4")],
    });

    assert_eq!(
        error,
        DomainError::NotReady {
            order_id: b,
            line: 1,
            step: Step::Pick,
            requested: dec("4"),
            ready: dec("3"),
        }
    );
    assert_eq!(line(&w, a, 1).picked, dec("0"));
}

#[test]
fn wave_refusals() {
    let (mut w, [a, b, c]) = three_orders();
    let warehouse_id = w.warehouse;
    let create = |w: &mut World, order_ids: Vec<OrderId>, warehouse_id| {
        let wave_id: WaveId = w.h.id();
        (
            wave_id,
            w.h.refused(CreateWave {
                wave_id,
                warehouse_id,
                order_ids,
            }),
        )
    };

    let (wave_id, error) = create(&mut w, vec![], warehouse_id);
    assert_eq!(error, DomainError::EmptyWave { wave_id });
    let (_, error) = create(&mut w, vec![a, b, a], warehouse_id);
    assert_eq!(error, DomainError::OrderTwiceInWave { order_id: a });
    let one_step = warehouse(&mut w, "WH-2", ReservationPolicy::Manual);
    let (_, error) = create(&mut w, vec![a], one_step);
    assert_eq!(
        error,
        DomainError::StepNotInRoute {
            warehouse_id: one_step,
            step: Step::Pick,
        }
    );
    let unknown: WaveId = w.h.id();
    assert_eq!(
        w.h.refused(ConfirmWave {
            wave_id: unknown,
            picks: vec![],
        }),
        DomainError::UnknownWave { wave_id: unknown }
    );
    let wave_id = create_wave(&mut w, &[a, b]);
    assert_eq!(
        w.h.refused(ConfirmWave {
            wave_id,
            picks: vec![wave_pick(c, "4")],
        }),
        DomainError::OrderNotInWave { order_id: c, wave_id }
    );
    let error = w.h.as_actor(rep(), |h| {
        h.refused(ConfirmWave {
            wave_id,
            picks: vec![wave_pick(a, "5")],
        })
    });
    assert!(
        matches!(
            error,
            DomainError::NotAuthorized {
                command: "ConfirmWave",
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn an_order_in_an_open_wave_is_picked_by_the_wave_only() {
    let (mut w, orders) = three_orders();
    let wave_id = create_wave(&mut w, &orders[..2]);
    let operation_id: OperationId = w.h.id();
    let alone = o2c::picking::PickOrder {
        operation_id,
        order_id: orders[0],
        warehouse_id: None,
        lines: vec![],
    };
    assert_eq!(
        w.h.as_actor(picker(), |h| h.refused(alone)),
        DomainError::OrderInOpenWave {
            order_id: orders[0],
            wave_id
        }
    );
    // An order outside the wave is picked on its own.
    pick(&mut w, orders[2], &[]);
}
