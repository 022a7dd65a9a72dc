//! Command idempotency: repeats return the original events, reused command ids are refused.

use crate::common::*;
use crate::support::{World, dec};
use o2c::order::{ConfirmOrder, ReserveStock};
use o2c::stock::ReceiveStock;
use o2c::uuid::Uuid;
use o2c::{DomainError, Error, OrderId};

#[test]
fn repeating_a_command_returns_the_original_events_and_appends_nothing() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quote(&mut w, &[(widget, "2")]);
    let request = w.h.request(ConfirmOrder { order_id });
    let original = w.h.engine.execute(request.clone()).unwrap();
    let (head, digest) = (w.h.engine.head(), w.h.engine.state_digest().unwrap());

    let again = w.h.engine.execute(request).unwrap();

    assert!(!original.repeated);
    assert!(again.repeated);
    assert_eq!(again.events, original.events);
    assert_eq!(w.h.engine.head(), head);
    assert_eq!(w.h.engine.state_digest().unwrap(), digest);
    assert_eq!(
        customer(&w).uninvoiced_orders,
        dec("20"),
        "the order was confirmed once"
    );
}

#[test]
fn a_retry_with_a_later_business_time_is_still_a_repeat() {
    let mut w = World::new();
    let widget = w.widget;
    let request = w.h.request(ReceiveStock {
        product_id: widget,
        warehouse_id: w.warehouse,
        quantity: dec("5"),
        reference: String::new(),
        location_id: None,
        lots: vec![],
    });
    let original = w.h.engine.execute(request.clone()).unwrap();
    let mut retry = request;
    retry.context.business_time += o2c::chrono::Duration::hours(2);

    let again = w.h.engine.execute(retry).unwrap();

    assert!(again.repeated);
    assert_eq!(again.events, original.events);
    assert_eq!(level(&w, widget).on_hand, dec("5"));
}

#[test]
fn reusing_a_command_id_for_a_different_command_is_refused() {
    let w = World::new();
    let widget = w.widget;
    let command_id = Uuid::from_u128(0x1d);
    let receipt = |quantity: &str| ReceiveStock {
        product_id: widget,
        warehouse_id: w.warehouse,
        quantity: dec(quantity),
        reference: String::new(),
        location_id: None,
        lots: vec![],
    };
    w.h.engine
        .execute(request_as(&w, command_id, "tester", receipt("5")))
        .unwrap();
    let (head, digest) = (w.h.engine.head(), w.h.engine.state_digest().unwrap());

    let different_body =
        w.h.engine
            .execute(request_as(&w, command_id, "tester", receipt("6")));
    let different_command = w.h.engine.execute(request_as(
        &w,
        command_id,
        "tester",
        ReserveStock {
            order_id: OrderId(Uuid::from_u128(0x0d)),
        },
    ));

    for result in [different_body, different_command] {
        match result {
            Err(Error::Rejected(DomainError::CommandIdReused { command_id: reused })) => {
                assert_eq!(reused, command_id)
            }
            other => panic!("expected CommandIdReused, got {other:?}"),
        }
    }
    assert_eq!(w.h.engine.head(), head);
    assert_eq!(w.h.engine.state_digest().unwrap(), digest);
    assert_eq!(level(&w, widget).on_hand, dec("5"));
}

#[test]
fn reusing_a_command_id_under_another_actor_is_refused() {
    let w = World::new();
    let widget = w.widget;
    let command_id = Uuid::from_u128(0x1e);
    let receipt = ReceiveStock {
        product_id: widget,
        warehouse_id: w.warehouse,
        quantity: dec("5"),
        reference: String::new(),
        location_id: None,
        lots: vec![],
    };
    w.h.engine
        .execute(request_as(&w, command_id, "alice", receipt.clone()))
        .unwrap();
    let head = w.h.engine.head();

    let result = w.h.engine.execute(request_as(&w, command_id, "mallory", receipt));

    match result {
        Err(Error::Rejected(DomainError::CommandIdReused { command_id: reused })) => {
            assert_eq!(reused, command_id)
        }
        other => panic!("expected CommandIdReused, got {other:?}"),
    }
    assert_eq!(w.h.engine.head(), head);
}

#[test]
fn a_refused_command_does_not_use_up_its_command_id() {
    let mut w = World::new();
    let widget = w.widget;
    let command_id = Uuid::from_u128(0x1f);
    let order_id = quote(&mut w, &[(widget, "1")]);
    let too_early =
        w.h.engine
            .execute(request_as(&w, command_id, "tester", ReserveStock { order_id }));
    assert!(matches!(
        too_early,
        Err(Error::Rejected(DomainError::OrderNotConfirmed { .. }))
    ));

    let outcome =
        w.h.engine
            .execute(request_as(&w, command_id, "tester", ConfirmOrder { order_id }))
            .unwrap();

    assert!(!outcome.repeated);
    assert_eq!(outcome.events[0].payload.name(), "OrderConfirmed");
}
