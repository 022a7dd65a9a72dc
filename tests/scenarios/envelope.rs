//! The envelope: streams, versions, the log sequence, correlation and causation.

use crate::common::*;
use crate::support::{World, dec, person, usd};
use o2c::envelope::SCHEMA_VERSION;
use o2c::order::{ConfirmOrder, ReserveStock};
use o2c::stock::ReceiveStock;
use o2c::uuid::Uuid;
use o2c::{Role, StreamId, StreamKind};

#[test]
fn events_land_on_their_streams_with_consecutive_versions() {
    let mut w = World::new();
    let widget = w.widget;
    receive(&mut w, widget, "5");
    receive(&mut w, widget, "5");
    let order_id = confirmed(&mut w, &[(widget, "4")]);
    w.h.ok(ReserveStock { order_id });
    let shipment_id = ship_all(&mut w, order_id);
    let invoice_id = posted_invoice(&mut w, order_id);
    let payment_id = pay(&mut w, usd("40.00"));
    allocate(&mut w, payment_id, invoice_id, usd("40.00"));

    let stream = |kind: StreamKind, id: Uuid| -> Vec<(u64, &'static str)> {
        let events = w.h.engine.stream(&StreamId::new(kind, id)).unwrap();
        for event in &events {
            assert_eq!(event.stream, StreamId::new(kind, id));
            assert_eq!(event.payload.stream(), event.stream);
        }
        events
            .iter()
            .map(|e| (e.stream_version, e.payload.name()))
            .collect()
    };

    assert_eq!(
        stream(StreamKind::Order, order_id.0),
        [
            (1, "QuotationCreated"),
            (2, "OrderConfirmed"),
            (3, "StockReserved")
        ]
    );
    assert_eq!(
        stream(StreamKind::Stock, widget.0),
        [(1, "StockReceived"), (2, "StockReceived")]
    );
    assert_eq!(
        stream(StreamKind::Shipment, shipment_id.0),
        [(1, "ShipmentDispatched")]
    );
    assert_eq!(
        stream(StreamKind::Invoice, invoice_id.0),
        [(1, "InvoiceCreated"), (2, "InvoicePosted")]
    );
    assert_eq!(
        stream(StreamKind::Payment, payment_id.0),
        [(1, "PaymentReceived"), (2, "PaymentAllocated")]
    );
    assert_eq!(
        stream(StreamKind::Customer, w.customer.0),
        [(1, "CustomerRegistered")]
    );
    assert_eq!(stream(StreamKind::Product, widget.0), [(1, "ProductRegistered")]);
    assert_eq!(
        stream(StreamKind::Warehouse, w.warehouse.0),
        [(1, "WarehouseRegistered")]
    );
    assert_eq!(
        w.h.engine
            .read(|b| b.stream_version(&StreamId::new(StreamKind::Order, order_id.0))),
        3
    );
}

#[test]
fn the_log_numbers_every_event_and_chains_it_to_the_one_before() {
    let mut w = World::new();
    let widget = w.widget;
    receive(&mut w, widget, "5");
    confirmed(&mut w, &[(widget, "4")]);

    let log = w.h.engine.events(1, 100).unwrap();

    assert_eq!(log.len(), 9);
    assert_eq!(
        log.iter().map(|e| e.position).collect::<Vec<_>>(),
        (1..=9).collect::<Vec<u64>>()
    );
    assert_eq!(log[0].prev_hash, o2c::Hash::ZERO);
    for pair in log.windows(2) {
        assert_eq!(pair[1].prev_hash, pair[0].hash);
    }
    assert!(
        log.iter()
            .all(|e| e.verify_hash().is_ok() && e.schema_version == SCHEMA_VERSION)
    );
    assert_eq!(w.h.engine.head(), log[8].head());
}

#[test]
fn events_carry_the_command_id_actor_and_business_time() {
    let mut w = World::new();
    let widget = w.widget;
    w.h.actor = person("wes.warehouse", &[Role::WarehouseOperator]);
    let request = w.h.request(ReceiveStock {
        product_id: widget,
        warehouse_id: w.warehouse,
        quantity: dec("5"),
        reference: String::new(),
        location_id: None,
        lots: vec![],
    });
    let (command_id, business_time) = (request.context.command_id, request.context.business_time);

    let outcome = w.h.engine.execute(request).unwrap();

    let event = &outcome.events[0];
    assert_eq!(event.command_id, command_id);
    assert_eq!(event.actor.as_str(), "wes.warehouse");
    assert_eq!(event.business_time, business_time);
    assert_eq!(event.event_id, Uuid::new_v5(&command_id, &0u64.to_be_bytes()));
}

#[test]
fn correlation_and_causation_default_to_the_command_id() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quote(&mut w, &[(widget, "1")]);
    let request = w.h.request(ConfirmOrder { order_id });
    let command_id = request.context.command_id;

    let outcome = w.h.engine.execute(request).unwrap();

    assert_eq!(outcome.events.len(), 1);
    assert_eq!(outcome.events[0].correlation_id, command_id);
    assert_eq!(outcome.events[0].causation_id, command_id);
}

#[test]
fn correlation_and_causation_are_stamped_when_given() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quote(&mut w, &[(widget, "1")]);
    let conversation = Uuid::from_u128(0xc0ffee);
    let cause = Uuid::from_u128(0xca05e);
    let mut request = w.h.request(ConfirmOrder { order_id });
    request.context = request.context.caused_by(conversation, cause);

    let outcome = w.h.engine.execute(request).unwrap();

    let stored =
        w.h.engine
            .stream(&StreamId::new(StreamKind::Order, order_id.0))
            .unwrap();
    for event in [&outcome.events[0], &stored[1]] {
        assert_eq!(event.correlation_id, conversation);
        assert_eq!(event.causation_id, cause);
    }
}
