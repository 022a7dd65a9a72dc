//! Stored-event fixtures: event JSON exactly as an earlier version stored it must keep
//! decoding, verifying and folding into the same business state in every later version.
//! `tests/fixtures/events-v1.jsonl` holds one record per line, as written to sled by
//! schema version 1, covering every event type of that version. Never edit or regenerate
//! an existing fixture; a new schema version gets a new file beside it.

// Test code: a failed expectation panics, which is what a test should do.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use o2c::codec;
use o2c::invoice::{CancelInvoice, CreateInvoice, InvoiceStatus, PaymentState, PostInvoice};
use o2c::order::{AddQuotationLine, ConfirmOrder, CreateQuotation, RequestedLine, ReserveStock};
use o2c::payment::{AllocatePayment, PaymentMethod, ReceivePayment};
use o2c::shipment::ShipOrder;
use o2c::stock::ReceiveStock;
use o2c::uuid::Uuid;
use o2c::{Book, ChainVerifier, Engine, Event, InvoiceId, OrderId};
use support::{World, dec, usd};

const V1: &str = include_str!("fixtures/events-v1.jsonl");

/// Folds the fixture, checking every record and link.
fn fold(fixture: &str) -> (Book, BTreeSet<&'static str>) {
    let mut book = Book::new();
    let mut chain = ChainVerifier::new();
    let mut seen = BTreeSet::new();
    for (position, line) in (1u64..).zip(fixture.lines()) {
        let event = codec::decode(position, line.as_bytes())
            .unwrap_or_else(|e| panic!("fixture line {position} no longer decodes: {e}"));
        chain.check(&event).unwrap();
        seen.insert(event.payload.name());
        book.apply(&event);
    }
    (book, seen)
}

#[test]
fn v1_events_decode_verify_and_cover_every_v1_event_type() {
    let (book, seen) = fold(V1);
    let v1_names: BTreeSet<&str> = [
        "CompanySetUp",
        "CustomerRegistered",
        "ProductRegistered",
        "WarehouseRegistered",
        "StockReceived",
        "QuotationCreated",
        "QuotationLineAdded",
        "OrderConfirmed",
        "StockReserved",
        "ShipmentDispatched",
        "InvoiceCreated",
        "InvoicePosted",
        "InvoiceCancelled",
        "PaymentReceived",
        "PaymentAllocated",
    ]
    .into_iter()
    .collect();
    assert_eq!(seen, v1_names);
    assert!(
        v1_names.iter().all(|name| Event::NAMES.contains(name)),
        "a v1 event name was dropped"
    );
    assert_eq!(book.head().position, V1.lines().count() as u64);
}

#[test]
fn v1_events_fold_into_the_recorded_business_state() {
    let (book, _) = fold(V1);
    let order = book.orders().next().unwrap();
    let quantities: Vec<_> = order
        .lines
        .iter()
        .map(|l| (l.quantity, l.delivered, l.invoiced))
        .collect();
    assert_eq!(
        quantities,
        vec![
            (dec("3"), dec("3"), dec("3")),
            (dec("1.5"), dec("1.5"), dec("1.5")),
            (dec("4"), dec("2"), dec("2"))
        ]
    );
    let invoices: Vec<_> = book.invoices().collect();
    assert_eq!(invoices.len(), 2);
    let cancelled = invoices
        .iter()
        .filter(|i| i.status == InvoiceStatus::Cancelled)
        .count();
    assert_eq!(cancelled, 1);
    let posted = invoices
        .iter()
        .find(|i| i.status == InvoiceStatus::Posted)
        .unwrap();
    assert_eq!(posted.number.as_deref(), Some("INV/2026/00001"));
    // 3 × 10.00 + 1.5 kg × 4.00 + 2 × 2.50
    assert_eq!(posted.total, usd("41.00"));
    assert_eq!(posted.payment_state(), PaymentState::Paid);
    let customer = book.customers().next().unwrap();
    assert_eq!(customer.receivable, dec("0"));
    // 2 gadgets are still on order, not invoiced.
    assert_eq!(customer.exposure(), dec("5.00"));
    let payment = book.payments().next().unwrap();
    assert_eq!(payment.unallocated(), usd("9.00"));
}

/// Writes `tests/fixtures/events-v1.jsonl` from a sled log. Run by hand, once per schema
/// version: `cargo test --test fixtures write_v1_fixture -- --ignored`. Refuses to
/// overwrite an existing file.
#[test]
#[ignore = "writes the fixture file; run by hand for a new schema version"]
fn write_v1_fixture() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/events-v1.jsonl");
    assert!(
        !path.exists(),
        "{} exists; fixtures are never regenerated",
        path.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let mut w = World::on(Engine::open(dir.path()).unwrap());
    let h = &mut w.h;
    for (product_id, quantity) in [(w.widget, "3"), (w.flour, "1.5"), (w.gadget, "2")] {
        h.ok(ReceiveStock {
            product_id,
            warehouse_id: w.warehouse,
            quantity: dec(quantity),
            reference: "PO-1".into(),
        });
    }
    let order_id: OrderId = h.id();
    h.ok(CreateQuotation {
        order_id,
        customer_id: w.customer,
        warehouse_id: w.warehouse,
        lines: vec![
            RequestedLine::new(w.widget, dec("3")),
            RequestedLine::new(w.flour, dec("1.5")),
        ],
        customer_reference: "ACME-PO-1".into(),
    });
    h.ok(AddQuotationLine {
        order_id,
        product_id: w.gadget,
        quantity: dec("4"),
        discount_percent: dec("0"),
        promised_date: None,
    });
    h.ok(ConfirmOrder { order_id });
    h.ok(ReserveStock { order_id });
    let shipment_id = h.id();
    h.ok(ShipOrder {
        shipment_id,
        order_id,
        lines: vec![],
    });
    let draft: InvoiceId = h.id();
    h.ok(CreateInvoice {
        invoice_id: draft,
        order_id,
    });
    h.ok(CancelInvoice {
        invoice_id: draft,
        reason: "wrong date".into(),
    });
    let invoice_id: InvoiceId = h.id();
    h.ok(CreateInvoice { invoice_id, order_id });
    h.ok(PostInvoice { invoice_id });
    let payment_id = h.id();
    let correlation = Uuid::from_u128(0xc0ffee);
    let mut request = h.request(ReceivePayment {
        payment_id,
        customer_id: w.customer,
        amount: usd("50.00"),
        method: PaymentMethod::BankTransfer,
        reference: "BANK-42".into(),
    });
    request.context = request.context.caused_by(correlation, Uuid::from_u128(0xbeef));
    h.engine.execute(request).unwrap();
    h.ok(AllocatePayment {
        payment_id,
        invoice_id,
        amount: usd("41.00"),
    });
    std::mem::replace(&mut h.engine, Engine::in_memory())
        .close()
        .unwrap();

    let db = sled::open(dir.path()).unwrap();
    let log = db.open_tree(o2c_sled::LOG_TREE).unwrap();
    let mut out = String::new();
    for entry in log.iter() {
        let (_, value) = entry.unwrap();
        out.push_str(std::str::from_utf8(&value).unwrap());
        out.push('\n');
    }
    std::fs::write(&path, out).unwrap();
}
