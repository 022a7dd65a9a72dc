//! Shared steps of the claim scenarios: delivering and invoicing an order, opening a claim,
//! attaching a document, setting the business clock, and reads.

use crate::support::{Harness, World, dec};
use o2c::chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use o2c::claim::{Claim, ClaimPriority, ClaimServiceLevel, ClaimSubject, ClaimType, OpenClaim};
use o2c::document::{AttachDocument, Document, DocumentKind, DocumentSubject};
use o2c::ids::{ClaimId, DocumentId};
use o2c::invoice::{CreateInvoice, Invoice, PostInvoice};
use o2c::order::{ConfirmOrder, CreateQuotation, RequestedLine, ReserveStock};
use o2c::shipment::ShipOrder;
use o2c::stock::ReceiveStock;
use o2c::{CustomerId, Event, InvoiceId, OrderId, Outcome, ProductId, ShipmentId};

/// An instant, UTC. March 2026: the 2nd, 9th, 16th and 23rd are Mondays.
pub(crate) fn at(month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, hour, minute, 0).unwrap()
}

/// A calendar date in 2026.
pub(crate) fn date(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, day).unwrap()
}

/// The next command runs at `time` (the harness adds a minute before each command).
pub(crate) fn clock(h: &mut Harness, time: DateTime<Utc>) {
    assert!(time > h.now, "the business clock only moves forward");
    h.now = time - Duration::minutes(1);
}

/// The payloads a command recorded.
pub(crate) fn events(outcome: Outcome) -> Vec<Event> {
    outcome.events.into_iter().map(|e| e.payload).collect()
}

/// The single event a command recorded.
pub(crate) fn only(outcome: Outcome) -> Event {
    let mut events = events(outcome);
    assert_eq!(events.len(), 1, "expected one event, got {events:?}");
    events.remove(0)
}

/// An order of `customer_id` for `lines`, confirmed, received, reserved and shipped in
/// full: the order and its shipment.
pub(crate) fn delivered_to(
    w: &mut World,
    customer_id: CustomerId,
    lines: &[(ProductId, &str)],
) -> (OrderId, ShipmentId) {
    let warehouse_id = w.warehouse;
    for (product_id, quantity) in lines {
        w.h.ok(ReceiveStock {
            product_id: *product_id,
            warehouse_id,
            quantity: dec(quantity),
            reference: "PO-1".into(),
            location_id: None,
            lots: vec![],
        });
    }
    let order_id = w.h.id();
    w.h.ok(CreateQuotation {
        order_id,
        customer_id,
        warehouse_id,
        lines: lines
            .iter()
            .map(|(product_id, quantity)| RequestedLine::new(*product_id, dec(quantity)))
            .collect(),
        customer_reference: String::new(),
        shipping_policy: Default::default(),
        backorder_policy: None,
        urgent: false,
    });
    w.h.ok(ConfirmOrder { order_id });
    w.h.ok(ReserveStock { order_id });
    let shipment_id = w.h.id();
    w.h.ok(ShipOrder {
        shipment_id,
        order_id,
        lines: vec![],
        warehouse_id: None,
        carrier: String::new(),
        tracking_reference: String::new(),
    });
    (order_id, shipment_id)
}

/// An order of Acme delivered in full.
pub(crate) fn delivered(w: &mut World, lines: &[(ProductId, &str)]) -> (OrderId, ShipmentId) {
    delivered_to(w, w.customer, lines)
}

/// A draft invoice of an order.
pub(crate) fn draft(w: &mut World, order_id: OrderId) -> InvoiceId {
    let invoice_id = w.h.id();
    w.h.ok(CreateInvoice {
        invoice_id,
        order_id,
        additional_orders: vec![],
        currency: None,
    });
    invoice_id
}

/// A posted invoice of an order, dated today.
pub(crate) fn posted(w: &mut World, order_id: OrderId) -> InvoiceId {
    let invoice_id = draft(w, order_id);
    w.h.ok(PostInvoice { invoice_id });
    invoice_id
}

/// Widget ×10 delivered to Acme and invoiced today (100.00 USD, due in 30 days).
pub(crate) fn invoiced_widgets(w: &mut World) -> (OrderId, ShipmentId, InvoiceId) {
    let widget = w.widget;
    let (order_id, shipment_id) = delivered(w, &[(widget, "10")]);
    let invoice_id = posted(w, order_id);
    (order_id, shipment_id, invoice_id)
}

/// A claim about an order.
pub(crate) fn about_order(order_id: OrderId) -> ClaimSubject {
    ClaimSubject {
        order_id: Some(order_id),
        ..ClaimSubject::default()
    }
}

/// The command opening a claim of Acme.
pub(crate) fn open_command(
    w: &mut World,
    about: ClaimSubject,
    claim_type: ClaimType,
    priority: ClaimPriority,
) -> OpenClaim {
    OpenClaim {
        claim_id: w.h.id(),
        customer_id: w.customer,
        about,
        claim_type,
        priority,
        description: "Three widgets arrived with cracked housings.".into(),
        document_ids: vec![],
        disputed_amount: None,
    }
}

/// Opens a claim of Acme and returns its id.
pub(crate) fn open(
    w: &mut World,
    about: ClaimSubject,
    claim_type: ClaimType,
    priority: ClaimPriority,
) -> ClaimId {
    let command = open_command(w, about, claim_type, priority);
    let claim_id = command.claim_id;
    w.h.ok(command);
    claim_id
}

/// Opens a normal damaged-goods claim about an order.
pub(crate) fn open_about(w: &mut World, order_id: OrderId) -> ClaimId {
    open(
        w,
        about_order(order_id),
        ClaimType::DamagedGoods,
        ClaimPriority::Normal,
    )
}

/// A claim's state.
pub(crate) fn claim(w: &World, claim_id: ClaimId) -> Claim {
    w.h.engine.read(|book| book.claim(claim_id).cloned().unwrap())
}

/// A claim measured against its service levels as of an instant.
pub(crate) fn service_level(w: &World, claim_id: ClaimId, as_of: DateTime<Utc>) -> ClaimServiceLevel {
    w.h.engine.read(|book| {
        book.claim_service_levels(as_of)
            .into_iter()
            .find(|s| s.claim_id == claim_id)
            .unwrap()
    })
}

/// An invoice's state.
pub(crate) fn invoice(w: &World, invoice_id: InvoiceId) -> Invoice {
    w.h.engine.invoice(invoice_id).unwrap()
}

/// A SHA-256 digest in lowercase hexadecimal, made of one repeated digit.
pub(crate) fn sha(digit: char) -> String {
    digit.to_string().repeat(64)
}

/// The command attaching a document.
pub(crate) fn attach_command(
    w: &mut World,
    about: DocumentSubject,
    kind: DocumentKind,
    expires_on: Option<NaiveDate>,
) -> AttachDocument {
    AttachDocument {
        document_id: w.h.id(),
        about,
        kind,
        title: "Scan".into(),
        storage_reference: "s3://o2c-docs/scan.pdf".into(),
        sha256: sha('a'),
        expires_on,
        supersedes_document_id: None,
    }
}

/// Attaches a document and returns its id.
pub(crate) fn attach(
    w: &mut World,
    about: DocumentSubject,
    kind: DocumentKind,
    expires_on: Option<NaiveDate>,
) -> DocumentId {
    let command = attach_command(w, about, kind, expires_on);
    let document_id = command.document_id;
    w.h.ok(command);
    document_id
}

/// A document's state.
pub(crate) fn document(w: &World, document_id: DocumentId) -> Document {
    w.h.engine
        .read(|book| book.document(document_id).cloned().unwrap())
}

/// Acme as a document subject.
pub(crate) fn acme(w: &World) -> DocumentSubject {
    DocumentSubject::Customer {
        customer_id: w.customer,
    }
}
