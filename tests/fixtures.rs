//! Stored-event fixtures: event JSON exactly as an earlier version stored it must keep
//! decoding, verifying and folding into the same business state in every later version.
//! `tests/fixtures/events-v<N>.jsonl` holds one record per line, as written to sled by
//! schema version N, covering every event type of that version. Never edit or regenerate
//! an existing fixture; a new schema version gets a new file beside it.

// Test code: a failed expectation panics, which is what a test should do.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

#[path = "fixture_scenarios/billing.rs"]
mod billing;

#[path = "fixture_scenarios/after_sale.rs"]
mod after_sale;

#[path = "fixture_scenarios/archival.rs"]
mod archival;

use std::collections::BTreeSet;
use std::path::Path;

use o2c::chrono::NaiveDate;
use o2c::claim::{ClaimStatus, PauseKind, ServiceLevelTarget, claim_documents};
use o2c::codec;
use o2c::company::{ChangeCompanySettings, CompanySettings};
use o2c::customer::{
    Address, BlockCustomer, ChangeCustomer, CustomerDetails, DeactivateCustomer, ReactivateCustomer,
    RegisterCustomer, RegisterCustomerGroup, SetCreditLimit, TaxTreatment, UnblockCustomer,
};
use o2c::document::{DocumentKind, DocumentSubject};
use o2c::invoice::{CancelInvoice, CreateInvoice, InvoiceStatus, PaymentState, PostInvoice};
use o2c::location::{
    LocationKind, RegisterLocation, RemovalStrategy, RemovalTarget, SetRemovalStrategy, standard_location,
};
use o2c::order::{
    AddOrderLine, AddQuotationLine, ApproveDiscount, CancelOrder, ChangeOrderLine, CloseOrder, ConfirmOrder,
    CreateQuotation, HoldOrder, OrderStatus, OverrideLinePrice, ReleaseCreditHold, ReleaseOrder,
    RemoveQuotationLine, ReopenOrder, RequestedLine, ReserveStock, RevalidateQuotation, SendQuotation,
    SetOrderDiscount,
};
use o2c::order::{BackorderPolicy, SetFulfilmentPolicy, ShippingPolicy, SubstituteProduct, UnreserveStock};
use o2c::payment::{AllocatePayment, PaymentMethod, ReceivePayment};
use o2c::picking::{ConfirmWave, CreateWave, PackOrder, WavePick};
use o2c::pricing::{
    AddPriceRule, CreatePriceList, PriceRule, PriceSource, RemovePriceRule, RulePrice, RuleScope,
};
use o2c::product::ChangeProduct;
use o2c::product::{RegisterProduct, Unit};
use o2c::returns::ReturnStatus;
use o2c::shipment::{ConfirmDelivery, ProofOfDelivery};
use o2c::shipment::{ShipLine, ShipOrder};
use o2c::stock::ReceiveStock;
use o2c::stock::{AdjustInventory, AdjustmentReason, MoveStock, ReceivedLot, ScrapStock, Tracking};
use o2c::unit::DefineUnit;
use o2c::warehouse::{ConfigureWarehouse, OutboundRoute, RegisterWarehouse, ReservationPolicy};
use o2c::{
    Book, ChainVerifier, CustomerGroupId, CustomerId, Engine, Event, InvoiceId, LocationId, OperationId,
    OrderId, PaymentId, PriceListId, PriceRuleId, ProductId, Role, ShipmentId, WarehouseId, WaveId,
};
use support::{World, dec, details, person, usd};

const V1: &str = include_str!("fixtures/events-v1.jsonl");
const V2: &str = include_str!("fixtures/events-v2.jsonl");
const V3: &str = include_str!("fixtures/events-v3.jsonl");
const V4: &str = include_str!("fixtures/events-v4.jsonl");
const V5: &str = include_str!("fixtures/events-v5.jsonl");
const V6: &str = include_str!("fixtures/events-v6.jsonl");

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
    // Posted before payment terms: one installment, due on the due date, settled by the
    // allocations recorded without installments.
    assert_eq!(posted.installments.len(), 1);
    assert_eq!(posted.installments[0].due_date, posted.due_date.unwrap());
    assert_eq!(
        (posted.installments[0].amount, posted.installments[0].settled),
        (dec("41.00"), dec("41.00"))
    );
    let customer = book.customers().next().unwrap();
    assert_eq!(customer.receivable, dec("0"));
    // 2 gadgets are still on order, not invoiced.
    assert_eq!(customer.exposure(), dec("5.00"));
    let payment = book.payments().next().unwrap();
    assert_eq!(payment.unallocated(), usd("9.00"));
}

/// Event types version 4 (billing) added.
const ADDED_IN_V4: [&str; 11] = [
    "TaxDefined",
    "FiscalPositionSet",
    "ExchangeRateSet",
    "PaymentTermDefined",
    "DraftInvoiceChanged",
    "InvoiceWrittenOff",
    "CreditNoteIssued",
    "CreditApplied",
    "PaymentReturned",
    "CustomerCreditRefunded",
    "DunningNoticeIssued",
];

/// Event types version 5 added (the v1 to v4 fixtures cannot hold them).
const ADDED_IN_V5: &[&str] = &[
    // Returns.
    "ReturnAuthorised",
    "ReturnReceived",
    "ReturnInspected",
    "ReturnResolved",
    "ReturnCancelled",
    // Claims and documents.
    "ClaimOpened",
    "ClaimResponded",
    "ClaimCustomerAsked",
    "ClaimCustomerReplied",
    "ClaimResolved",
    "ClaimClosed",
    "ClaimReopened",
    "ClaimServiceLevelBreached",
    "DocumentAttached",
];

/// Event types version 6 added (the v1 to v5 fixtures cannot hold them).
const ADDED_IN_V6: &[&str] = &["OrderArchived"];

/// Added after version 4.
fn newer(name: &&str) -> bool {
    ADDED_IN_V5.contains(name) || ADDED_IN_V6.contains(name)
}

#[test]
fn v2_events_decode_verify_and_cover_every_v2_event_type() {
    let (book, seen) = fold(V2);
    // Version 3 added these; every other event type existed in version 2.
    let added_in_v3 = [
        "UnitDefined",
        "RemovalStrategySet",
        "WarehouseConfigured",
        "LocationRegistered",
        "InventoryAdjusted",
        "StockScrapped",
        "StockMoved",
        "StockUnreserved",
        "LineSubstituted",
        "FulfilmentPolicySet",
        "OrderPicked",
        "WaveCreated",
        "WaveCompleted",
        "DeliveryConfirmed",
    ];
    let v2: BTreeSet<&str> = Event::NAMES
        .iter()
        .copied()
        .filter(|n| !added_in_v3.contains(n) && !ADDED_IN_V4.contains(n) && !newer(n))
        .collect();
    assert_eq!(seen, v2, "the v2 fixture must hold every event type of version 2");
    assert_eq!(book.head().position, V2.lines().count() as u64);
    for (position, line) in (1u64..).zip(V2.lines()) {
        assert_eq!(
            codec::decode(position, line.as_bytes()).unwrap().schema_version,
            2
        );
    }
}

#[test]
fn v2_events_fold_into_the_recorded_business_state() {
    let (book, _) = fold(V2);
    let settings = &book.company().unwrap().settings;
    assert_eq!(
        (settings.quotation_validity_days, settings.overdue_grace_days),
        (14, 5)
    );

    let orders: Vec<_> = book.orders().collect();
    let beta_order = orders
        .iter()
        .find(|o| o.status == OrderStatus::Confirmed)
        .unwrap();
    let held = orders
        .iter()
        .find(|o| o.status == OrderStatus::Cancelled)
        .unwrap();
    assert_eq!(beta_order.order_discount_percent, dec("5"));
    assert_eq!(
        beta_order.discount_approved_by.as_ref().map(|a| a.as_str()),
        Some("mia.manager")
    );
    let lines: Vec<_> = beta_order
        .lines
        .iter()
        .map(|l| {
            (
                l.line,
                l.quantity,
                l.unit_price.amount,
                l.discount_percent,
                l.delivered,
                l.invoiced,
            )
        })
        .collect();
    assert_eq!(
        lines,
        vec![
            (1, dec("8"), dec("9.50"), dec("0"), dec("8"), dec("8")),
            (2, dec("1.5"), dec("3.60"), dec("8"), dec("0"), dec("0")),
            (4, dec("2"), dec("2.50"), dec("0"), dec("0"), dec("0")),
        ]
    );
    assert!(
        matches!(&beta_order.lines[0].price_source, PriceSource::Manual { by, .. } if by.as_str() == "tester")
    );
    assert!(matches!(
        beta_order.lines[1].price_source,
        PriceSource::Rule { .. }
    ));
    assert_eq!(beta_order.lines[2].price_source, PriceSource::ListPrice);
    assert_eq!(
        held.credit_hold, None,
        "the hold was released before the order was cancelled"
    );

    let beta = book.customers().find(|c| c.name() == "Beta Bakery Ltd").unwrap();
    let acme = book.customers().find(|c| c.name() == "Acme").unwrap();
    assert_eq!(
        book.credit_limit(beta.id),
        Some(usd("500.00")),
        "the group's default limit"
    );
    assert_eq!(book.credit_limit(acme.id), Some(usd("2000.00")));
    assert!(beta.active && acme.blocked.is_none());
    // 1.5 kg at 3.60 less 8% and 5%, plus 2 gadgets at 2.50 less 5%; line 1 is invoiced.
    assert_eq!(beta.exposure(), dec("9.4696"));
    assert_eq!(acme.exposure(), dec("0"));

    let invoices: Vec<_> = book.invoices().collect();
    let posted = invoices
        .iter()
        .find(|i| i.status == InvoiceStatus::Posted)
        .unwrap();
    assert_eq!(posted.number.as_deref(), Some("INV/2026/00001"));
    assert_eq!(posted.total, usd("72.20"));
    assert_eq!(posted.lines[0].discount_percent, dec("5"));
    assert_eq!(posted.payment_state(), PaymentState::Paid);
    assert_eq!(
        invoices
            .iter()
            .filter(|i| i.status == InvoiceStatus::Cancelled)
            .count(),
        1
    );
    assert_eq!(book.payments().next().unwrap().unallocated(), usd("27.80"));
}

#[test]
fn v3_events_decode_verify_and_cover_every_event_type() {
    let (book, seen) = fold(V3);
    let v3: BTreeSet<&str> = Event::NAMES
        .iter()
        .copied()
        .filter(|n| !ADDED_IN_V4.contains(n) && !newer(n))
        .collect();
    assert_eq!(seen, v3, "the v3 fixture must hold every event type of version 3");
    assert_eq!(book.head().position, V3.lines().count() as u64);
}

#[test]
fn v3_events_fold_into_the_recorded_fulfilment_state() {
    let (book, _) = fold(V3);
    let yeast = book.products().find(|p| p.sku == "YEAST").unwrap();
    let widget = book.products().find(|p| p.sku == "WIDGET").unwrap();
    let wh2 = book.warehouse_by_code("WH-2").unwrap();
    let bin = book.locations().find(|l| l.code == "WH-2/Stock/A-01").unwrap().id;
    let stock = standard_location(wh2, LocationKind::Stock);
    // FEFO shipped the lot that expires first.
    let yeast_stock = book.stock(yeast.id).unwrap();
    assert_eq!(yeast_stock.quant(bin, Some("L2")).quantity, dec("2"));
    assert_eq!(yeast_stock.quant(bin, Some("L1")).quantity, dec("5"));
    let deliveries = book.lot_deliveries(yeast.id, "L2");
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0].quantity, dec("3"));
    // 30 received, 1 lost, 1 scrapped, 24 (two boxes of 12) shipped.
    let widget_stock = book.stock(widget.id).unwrap();
    assert_eq!(widget_stock.level(wh2).on_hand, dec("4"));
    assert_eq!(widget_stock.level(wh2).reserved, dec("0"));
    assert_eq!(widget_stock.at(stock) + widget_stock.at(bin), dec("4"));
    let total: o2c::rust_decimal::Decimal = widget_stock.each_quant().map(|(_, _, q)| q.quantity).sum();
    assert_eq!(
        total,
        dec("0"),
        "conserved over every location, virtual ones included"
    );
    // The order in boxes shipped complete; its delivery is proven.
    let order = book
        .orders()
        .find(|o| o.lines.first().is_some_and(|l| l.unit == "box12"))
        .unwrap();
    assert_eq!(order.lines[0].delivered, dec("2"));
    assert_eq!(order.lines[0].unit_price, usd("120.00"));
    assert!(order.urgent);
    let shipment = book.shipments_of(order.id).next().unwrap();
    assert_eq!(shipment.carrier, "DHL");
    assert_eq!(
        shipment.proof.as_ref().map(|p| p.signed_by.as_str()),
        Some("J. Doe")
    );
    // The substituted quotation line kept its price.
    let substituted = book.orders().find(|o| o.status == OrderStatus::Draft).unwrap();
    assert_eq!(substituted.lines[0].product_id, widget.substitutes[0]);
    assert_eq!(substituted.lines[0].unit_price, usd("10.00"));
}

#[test]
fn v4_events_decode_verify_and_cover_every_event_type() {
    let (book, seen) = fold(V4);
    let all: BTreeSet<&str> = Event::NAMES.iter().copied().filter(|n| !newer(n)).collect();
    assert_eq!(
        seen, all,
        "the v4 fixture must hold every event type of version 4"
    );
    assert_eq!(book.head().position, V4.lines().count() as u64);
}

#[test]
fn v4_events_fold_into_the_recorded_billing_state() {
    let (book, _) = fold(V4);
    let gamma = book.customers().find(|c| c.name() == "Gamma Trading").unwrap();
    let number = |n: &str| book.invoices().find(|i| i.number.as_deref() == Some(n)).unwrap();
    // The final invoice: 36 gadgets at 2.50 + 20% VAT less the 10.00 down payment, in two
    // installments, both paid within the discount window (2% of the untaxed part).
    let last = number("INV/2026/00003");
    assert_eq!(
        (last.untaxed, last.tax, last.total),
        (usd("90.00"), usd("18.00"), usd("98.00"))
    );
    assert_eq!(last.deductions[0].amount, dec("10.00"));
    let installments: Vec<_> = last
        .installments
        .iter()
        .map(|i| (i.amount, i.untaxed, i.settled))
        .collect();
    assert_eq!(
        installments,
        [
            (dec("29.40"), dec("24.00"), dec("29.40")),
            (dec("68.60"), dec("56.00"), dec("68.60"))
        ]
    );
    assert_eq!((last.paid, last.discounts), (dec("96.40"), dec("1.60")));
    assert_eq!(last.payment_state(), PaymentState::Paid);
    let order = book.orders().find(|o| o.customer_reference == "PO-G-1").unwrap();
    assert_eq!(
        (order.lines[0].invoiced, order.invoiceable(&order.lines[0])),
        (dec("36"), dec("4"))
    );
    // The second invoice: 5.00 of rebate credit applied, a returned cheque, a reminder,
    // then the rest written off.
    let second = number("INV/2026/00004");
    assert_eq!(
        (second.credited, second.paid, second.written_off),
        (dec("5.00"), dec("0"), dec("7.00"))
    );
    assert_eq!(gamma.dunning_level, Some(0));
    let rebate = book.credit_notes().next().unwrap();
    assert_eq!(
        (rebate.number.as_str(), rebate.total, rebate.unapplied()),
        ("RINV/2026/00001", usd("6.00"), usd("0.00"))
    );
    let company = book.company().unwrap();
    assert_eq!(
        (
            company.invoice_sequences[&2026],
            company.credit_note_sequences[&2026]
        ),
        (4, 1)
    );
    // Nothing open; 0.30 of the first payment is still the customer's credit.
    assert_eq!(gamma.receivable, dec("0"));
    let far = |y| NaiveDate::from_ymd_opt(y, 1, 1).unwrap();
    assert_eq!(
        book.statement(gamma.id, far(2000), far(2100)).closing_balance,
        dec("-0.30")
    );
    assert!(
        book.payments()
            .any(|p| p.reference == "CHQ-9" && p.returned_on.is_some())
    );
}

#[test]
fn v5_events_decode_verify_and_cover_every_event_type() {
    let (book, seen) = fold(V5);
    let all: BTreeSet<&str> = Event::NAMES
        .iter()
        .copied()
        .filter(|n| !ADDED_IN_V6.contains(n))
        .collect();
    assert_eq!(
        seen, all,
        "the v5 fixture must hold every event type of version 5"
    );
    assert_eq!(book.head().position, V5.lines().count() as u64);
    for (position, line) in (1u64..).zip(V5.lines()) {
        assert_eq!(
            codec::decode(position, line.as_bytes()).unwrap().schema_version,
            5
        );
    }
}

#[test]
fn v5_events_fold_into_the_recorded_after_sale_state() {
    let (book, _) = fold(V5);
    let delta = book.customers().find(|c| c.name() == "Delta Deli").unwrap();
    let oil = book.products().find(|p| p.sku == "OIL-1L").unwrap();
    let order = book.orders().find(|o| o.customer_reference == "DD-1").unwrap();
    let returns: Vec<_> = book
        .return_authorisations()
        .filter(|r| r.order_id == order.id)
        .collect();
    let by_reason = |reason: &str| *returns.iter().find(|r| r.reason == reason).unwrap();

    // Damaged in transit: 3 of lot O-1 restocked, 1 of lot O-2 scrapped, all credited.
    let damaged = by_reason("damaged-in-transit");
    assert_eq!(damaged.status, ReturnStatus::Resolved);
    assert_eq!(damaged.authorised_by.as_str(), "lea.lead");
    let lines: Vec<_> = damaged
        .lines
        .iter()
        .map(|l| {
            (
                l.lot.as_deref(),
                l.authorised,
                l.received,
                l.inspected.restocked,
                l.inspected.scrapped,
                l.credited,
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            (Some("O-1"), dec("3"), dec("3"), dec("3"), dec("0"), dec("3")),
            (Some("O-2"), dec("1"), dec("1"), dec("0"), dec("1"), dec("1")),
        ]
    );
    // Surplus: cancelled before anything came back.
    let surplus = by_reason("surplus");
    assert_eq!(surplus.status, ReturnStatus::Cancelled);
    assert_eq!(
        (surplus.lines[0].authorised, surplus.lines[0].cancelled),
        (dec("2"), dec("2"))
    );
    // Expired: replaced, the bottle back and still awaiting inspection.
    let expired = by_reason("expired");
    assert_eq!(expired.status, ReturnStatus::Resolved);
    assert_eq!(
        (
            expired.lines[0].replaced,
            expired.lines[0].uninspected(),
            expired.credit_notes.len()
        ),
        (dec("1"), dec("1"), 0)
    );

    // 10 delivered, 5 back, the replacement shipped again: 6 with the customer, 4 of them
    // credited and no longer invoiced.
    let line = &order.lines[0];
    assert_eq!(
        (
            line.quantity,
            line.delivered,
            line.return_pending,
            line.return_credited,
            line.invoiced
        ),
        (dec("10"), dec("6"), dec("0"), dec("4"), dec("6"))
    );
    assert_eq!(order.invoiceable(line), dec("0"));

    let warehouse = book.warehouse_by_code("WH-1").unwrap();
    let stock = book.stock(oil.id).unwrap();
    let returns_location = standard_location(warehouse, LocationKind::Returns);
    let scrap = standard_location(warehouse, LocationKind::Scrap);
    assert_eq!(stock.quant(returns_location, Some("O-2")).quantity, dec("1"));
    assert_eq!(stock.quant(scrap, Some("O-2")).quantity, dec("1"));
    assert_eq!(
        stock.at(standard_location(warehouse, LocationKind::Stock)),
        dec("4")
    );
    let total: o2c::rust_decimal::Decimal = stock.each_quant().map(|(_, _, q)| q.quantity).sum();
    assert_eq!(total, dec("0"), "conserved over every location");

    // The credit note: 4 × 8.00 less the 10% fee, plus 20% VAT; the invoice was paid, so
    // all of it is the customer's credit.
    let note = book
        .credit_notes()
        .find(|n| n.return_id == Some(damaged.id))
        .unwrap();
    assert_eq!(damaged.credit_notes, [note.id]);
    assert_eq!(note.number, "RINV/2026/00002");
    assert_eq!(
        (note.untaxed, note.tax, note.total, note.unapplied()),
        (usd("28.80"), usd("5.76"), usd("34.56"), usd("34.56"))
    );
    let withheld = note.withheld.as_ref().unwrap();
    assert_eq!(
        (withheld.percent, withheld.untaxed, withheld.tax, withheld.total),
        (dec("10"), usd("3.20"), usd("0.64"), usd("3.84"))
    );

    // The pricing dispute: breached its resolution target, rejected, closed and reopened,
    // so its 12.00 is on hold on the gadget invoice again.
    let claim = book.claims().next().unwrap();
    assert_eq!(claim.customer_id, delta.id);
    assert_eq!((claim.status, claim.reopened), (ClaimStatus::InProgress, 1));
    assert_eq!(
        claim.breaches.iter().copied().collect::<Vec<_>>(),
        [ServiceLevelTarget::Resolution]
    );
    assert_eq!(
        claim.pauses.iter().map(|p| p.kind).collect::<Vec<_>>(),
        [PauseKind::WaitingOnCustomer, PauseKind::Resolved]
    );
    assert!(claim.pauses.iter().all(|p| p.until.is_some()));
    let disputed = book.invoice(claim.about.invoice_id.unwrap()).unwrap();
    assert_eq!(
        (disputed.total, disputed.open_amount(), disputed.disputed),
        (usd("60.00"), usd("60.00"), dec("12.00"))
    );
    assert_eq!(disputed.on_hold(), [dec("12.00")]);
    assert_eq!(claim_documents(&book, claim.id), claim.document_ids);

    // Documents: the photo of the return and the quotation are current; the first
    // certificate is superseded by its renewal, and both remain.
    let photo = DocumentSubject::Return {
        return_id: damaged.id,
    };
    let photos: Vec<_> = book.documents_about(&photo).map(|d| d.kind).collect();
    assert_eq!(photos, [DocumentKind::PhotoOfDamage]);
    let quotation = book.document(claim.document_ids[0]).unwrap();
    assert_eq!(
        (quotation.kind, quotation.is_current()),
        (DocumentKind::Correspondence, true)
    );
    let beta = book.customers().find(|c| c.name() == "Beta Bakery Ltd").unwrap();
    let about_beta = DocumentSubject::Customer { customer_id: beta.id };
    let certificates: Vec<_> = book
        .documents_about(&about_beta)
        .map(|d| (d.title.as_str(), d.expires_on, d.is_current()))
        .collect();
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
    assert_eq!(
        certificates,
        [
            ("Exemption certificate EX-2026-17", date(2026, 6, 30), false),
            ("Exemption certificate EX-2027-04", date(2027, 6, 30), true),
        ]
    );
}

#[test]
fn v6_events_decode_verify_and_cover_every_event_type() {
    let (book, seen) = fold(V6);
    let all: BTreeSet<&str> = Event::NAMES.iter().copied().collect();
    assert_eq!(
        seen, all,
        "the v6 fixture must hold every event type of version 6"
    );
    assert_eq!(book.head().position, V6.lines().count() as u64);
    for (position, line) in (1u64..).zip(V6.lines()) {
        assert_eq!(
            codec::decode(position, line.as_bytes()).unwrap().schema_version,
            6
        );
    }
}

#[test]
fn v6_events_fold_into_the_recorded_archive() {
    let (book, _) = fold(V6);
    let honey = book.products().find(|p| p.sku == "HONEY-500").unwrap().id;
    // The archived order, its shipment, invoice and payment have left the book; where
    // the lot went and what the customer ordered are kept.
    let deliveries = book.lot_deliveries(honey, "H-1");
    assert_eq!(deliveries.len(), 1);
    let delivery = &deliveries[0];
    assert_eq!(delivery.quantity, dec("3"));
    assert!(book.order(delivery.order_id).is_none());
    assert!(book.is_archived(delivery.order_id.0));
    assert!(book.shipment(delivery.shipment_id).is_none());
    assert!(book.is_archived(delivery.shipment_id.0));
    assert!(!book.invoices().any(|i| i.orders.contains(&delivery.order_id)));
    assert!(!book.payments().any(|p| p.reference == "AC-PAY-60"));
    assert_eq!(book.archived().orders(), 1);
    assert!(book.archived().ordered(delivery.customer_id, honey));
    // The customer's ledger still holds the invoice and the payment.
    let ledger = book.ledger(delivery.customer_id);
    assert!(ledger.len() >= 2);
}

/// Writes `tests/fixtures/events-v<SCHEMA_VERSION>.jsonl` from a sled log of a scenario that
/// records every event type of the current version. Run by hand, once per schema version:
/// `cargo test --test fixtures write_current_fixture -- --ignored`. Refuses to overwrite an
/// existing file.
#[test]
#[ignore = "writes the fixture file; run by hand for a new schema version"]
fn write_current_fixture() {
    let name = format!("events-v{}.jsonl", o2c::envelope::SCHEMA_VERSION);
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name);
    assert!(
        !path.exists(),
        "{} exists; fixtures are never regenerated",
        path.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let mut w = World::on(Engine::open(dir.path()).unwrap());
    every_event_type(&mut w);
    let engine = std::mem::replace(&mut w.h.engine, Engine::in_memory());
    engine.close().unwrap();

    let mut out = String::new();
    for commit in o2c_sled::read_commits(dir.path()).unwrap() {
        for record in commit.records {
            out.push_str(std::str::from_utf8(&record).unwrap());
            out.push('\n');
        }
    }
    std::fs::write(&path, out).unwrap();
}

/// A scenario that records every event type at least once.
fn every_event_type(w: &mut World) {
    let (widget, gadget, flour, warehouse) = (w.widget, w.gadget, w.flour, w.warehouse);
    let acme = w.customer;
    let h = &mut w.h;
    let mia = person("mia.manager", &[Role::SalesManager]);
    let cora = person("cora.credit", &[Role::CreditController]);
    h.ok(ChangeCompanySettings {
        settings: CompanySettings {
            quotation_validity_days: 14,
            discount_approval_threshold: dec("10"),
            overdue_grace_days: 5,
            multi_warehouse_orders: false,
            ..CompanySettings::default()
        },
    });
    // Pricing: a list with a category rule, a product quantity break and a removed rule.
    let list: PriceListId = h.id();
    h.ok(CreatePriceList {
        price_list_id: list,
        name: "Trade".into(),
        currency: usd("0").currency,
    });
    h.ok(ChangeProduct {
        product_id: flour,
        name: "FLOUR".into(),
        category: Some("bakery".into()),
        list_price: usd("4.00"),
        floor_price: Some(usd("3.00")),
        substitutes: vec![],
        invoice_policy: Default::default(),
        taxes: vec![],
    });
    let (bakery, widget_break, everything): (PriceRuleId, PriceRuleId, PriceRuleId) =
        (h.id(), h.id(), h.id());
    for (rule_id, scope, min_quantity, price) in [
        (
            bakery,
            RuleScope::Category("bakery".into()),
            "0",
            RulePrice::PercentOffList(dec("10")),
        ),
        (
            widget_break,
            RuleScope::Product(widget),
            "5",
            RulePrice::Fixed(usd("9.00")),
        ),
        (
            everything,
            RuleScope::AllProducts,
            "0",
            RulePrice::PercentOffList(dec("1")),
        ),
    ] {
        h.ok(AddPriceRule {
            price_list_id: list,
            rule: PriceRule {
                rule_id,
                scope,
                min_quantity: dec(min_quantity),
                valid_from: None,
                valid_until: None,
                price,
            },
        });
    }
    h.ok(RemovePriceRule {
        price_list_id: list,
        rule_id: everything,
        reason: "promotion over".into(),
    });
    // Customers: a group with a default limit and list; a member with full master data.
    let group: CustomerGroupId = h.id();
    h.ok(RegisterCustomerGroup {
        group_id: group,
        name: "Bakeries".into(),
        default_credit_limit: Some(usd("500.00")),
        default_price_list_id: Some(list),
    });
    let beta: CustomerId = h.id();
    let address = Address {
        street: "1 Mill Lane".into(),
        city: "Leeds".into(),
        postal_code: "LS1 1AA".into(),
        country: "GB".into(),
    };
    let mut beta_details = CustomerDetails {
        tax_id: Some("GB 987 6543 21".into()),
        billing_address: Some(address.clone()),
        shipping_addresses: vec![address],
        group_id: Some(group),
        tax_treatment: TaxTreatment::Exempt {
            certificate: "EX-2026-17".into(),
            expires_on: Some(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()),
        },
        ..details("Beta Bakery", 14)
    };
    h.ok(RegisterCustomer {
        customer_id: beta,
        details: beta_details.clone(),
        credit_limit: None,
    });
    beta_details.name = "Beta Bakery Ltd".into();
    h.ok(ChangeCustomer {
        customer_id: beta,
        details: beta_details,
    });
    h.ok(DeactivateCustomer {
        customer_id: beta,
        reason: "dormant".into(),
    });
    h.ok(ReactivateCustomer {
        customer_id: beta,
        reason: "ordering again".into(),
    });
    h.ok(SetCreditLimit {
        customer_id: acme,
        credit_limit: Some(usd("2000.00")),
        reason: "annual review".into(),
    });
    for (product_id, quantity) in [(widget, "10"), (gadget, "10"), (flour, "5")] {
        h.ok(ReceiveStock {
            product_id,
            warehouse_id: warehouse,
            quantity: dec(quantity),
            reference: "PO-9".into(),
            location_id: None,
            lots: vec![],
        });
    }

    // A quotation through its whole life: edits, approval, confirmation, amendments.
    let order: OrderId = h.id();
    h.ok(CreateQuotation {
        order_id: order,
        customer_id: beta,
        warehouse_id: warehouse,
        lines: vec![
            RequestedLine::new(widget, dec("6")),
            RequestedLine {
                discount_percent: dec("8"),
                ..RequestedLine::new(flour, dec("1.5"))
            },
        ],
        customer_reference: "BETA-77".into(),
        shipping_policy: Default::default(),
        backorder_policy: None,
        urgent: false,
    });
    h.ok(AddQuotationLine {
        order_id: order,
        product_id: gadget,
        quantity: dec("2"),
        discount_percent: dec("0"),
        promised_date: None,
        unit: None,
        warehouse_id: None,
    });
    h.ok(RemoveQuotationLine {
        order_id: order,
        line: 3,
    });
    h.ok(SetOrderDiscount {
        order_id: order,
        discount_percent: dec("5"),
    });
    h.ok(OverrideLinePrice {
        order_id: order,
        line: 1,
        unit_price: usd("9.50"),
        reason: "matched competitor".into(),
    });
    h.ok(SendQuotation { order_id: order });
    h.advance_days(1);
    h.ok(RevalidateQuotation { order_id: order });
    h.as_actor(mia, |h| {
        h.ok(ApproveDiscount {
            order_id: order,
            note: "bakery launch".into(),
        })
    });
    h.ok(ConfirmOrder { order_id: order });
    h.ok(ChangeOrderLine {
        order_id: order,
        line: 1,
        quantity: Some(dec("8")),
        discount_percent: None,
        promised_date: Some(NaiveDate::from_ymd_opt(2026, 3, 20).unwrap()),
        reason: "customer raised the quantity".into(),
    });
    h.ok(AddOrderLine {
        order_id: order,
        requested: RequestedLine::new(gadget, dec("2")),
        reason: "added by phone".into(),
    });
    h.ok(HoldOrder {
        order_id: order,
        reason: "address check".into(),
    });
    h.ok(ReleaseOrder {
        order_id: order,
        reason: "address confirmed".into(),
    });
    h.ok(ReserveStock { order_id: order });
    let shipment_id = h.id();
    h.ok(ShipOrder {
        shipment_id,
        order_id: order,
        lines: vec![ShipLine {
            line: 1,
            quantity: dec("8"),
        }],
        warehouse_id: None,
        carrier: String::new(),
        tracking_reference: String::new(),
    });
    h.ok(CloseOrder {
        order_id: order,
        reason: "rest no longer wanted".into(),
    });
    h.ok(ReopenOrder {
        order_id: order,
        reason: "customer changed their mind".into(),
    });
    let draft: InvoiceId = h.id();
    h.ok(CreateInvoice {
        invoice_id: draft,
        order_id: order,
        additional_orders: vec![],
        currency: None,
    });
    h.ok(CancelInvoice {
        invoice_id: draft,
        reason: "wrong date".into(),
    });
    let invoice: InvoiceId = h.id();
    h.ok(CreateInvoice {
        invoice_id: invoice,
        order_id: order,
        additional_orders: vec![],
        currency: None,
    });
    h.ok(PostInvoice { invoice_id: invoice });
    let payment: PaymentId = h.id();
    h.ok(ReceivePayment {
        payment_id: payment,
        customer_id: beta,
        amount: usd("100.00"),
        method: PaymentMethod::BankTransfer,
        reference: "BANK-7".into(),
    });
    h.ok(AllocatePayment {
        payment_id: payment,
        invoice_id: invoice,
        amount: usd("72.20"),
        installment: None,
    });

    // A blocked customer's order: confirmed on credit hold, released by a credit
    // controller, then cancelled.
    h.ok(BlockCustomer {
        customer_id: acme,
        reason: "cheque bounced".into(),
    });
    let held: OrderId = h.id();
    h.ok(CreateQuotation {
        order_id: held,
        customer_id: acme,
        warehouse_id: warehouse,
        lines: vec![RequestedLine::new(gadget, dec("1"))],
        customer_reference: String::new(),
        shipping_policy: Default::default(),
        backorder_policy: None,
        urgent: false,
    });
    h.ok(ConfirmOrder { order_id: held });
    h.as_actor(cora, |h| {
        h.ok(ReleaseCreditHold {
            order_id: held,
            note: "paid by card".into(),
        })
    });
    h.ok(CancelOrder {
        order_id: held,
        reason: "customer withdrew".into(),
    });
    h.ok(UnblockCustomer {
        customer_id: acme,
        reason: "cleared".into(),
    });
    every_fulfilment_event(w);
}

/// The part of the scenario that records the fulfilment events of schema version 3.
fn every_fulfilment_event(w: &mut World) {
    let (widget, gadget, acme) = (w.widget, w.gadget, w.customer);
    let h = &mut w.h;
    // Units, a three-step warehouse with a bin, FEFO for the bakery category.
    h.ok(DefineUnit {
        code: "box12".into(),
        category: "pcs".into(),
        factor: dec("12"),
        decimals: 0,
    });
    let wh2: WarehouseId = h.id();
    h.ok(RegisterWarehouse {
        warehouse_id: wh2,
        code: "WH-2".into(),
        name: "North".into(),
        route: OutboundRoute::ThreeSteps,
        reservation: ReservationPolicy::AtConfirmation,
    });
    h.ok(ConfigureWarehouse {
        warehouse_id: wh2,
        route: OutboundRoute::ThreeSteps,
        reservation: ReservationPolicy::Manual,
    });
    let bin: LocationId = h.id();
    let stock = standard_location(wh2, LocationKind::Stock);
    h.ok(RegisterLocation {
        location_id: bin,
        parent_id: stock,
        name: "A-01".into(),
    });
    h.ok(SetRemovalStrategy {
        target: RemovalTarget::Category("bakery".into()),
        strategy: RemovalStrategy::Fefo,
    });
    let yeast: ProductId = h.id();
    h.ok(RegisterProduct {
        product_id: yeast,
        sku: "YEAST".into(),
        name: "Yeast".into(),
        unit: Unit {
            code: "pcs".into(),
            decimals: 0,
        },
        list_price: usd("3.00"),
        category: Some("bakery".into()),
        floor_price: None,
        tracking: Tracking::Lot,
        substitutes: vec![],
        invoice_policy: Default::default(),
        taxes: vec![],
    });
    h.ok(ReceiveStock {
        product_id: yeast,
        warehouse_id: wh2,
        quantity: dec("10"),
        reference: "PO-20".into(),
        location_id: Some(bin),
        lots: vec![
            ReceivedLot {
                number: "L1".into(),
                expires_on: NaiveDate::from_ymd_opt(2026, 6, 1),
                quantity: dec("5"),
            },
            ReceivedLot {
                number: "L2".into(),
                expires_on: NaiveDate::from_ymd_opt(2026, 5, 1),
                quantity: dec("5"),
            },
        ],
    });
    h.ok(ReceiveStock {
        product_id: widget,
        warehouse_id: wh2,
        quantity: dec("30"),
        reference: "PO-21".into(),
        location_id: None,
        lots: vec![],
    });
    h.ok(AdjustInventory {
        product_id: widget,
        location_id: stock,
        lot: None,
        counted: dec("29"),
        reason: AdjustmentReason::Lost,
        note: "cycle count".into(),
    });
    h.ok(ScrapStock {
        product_id: widget,
        location_id: stock,
        lot: None,
        quantity: dec("1"),
        reason: "dented".into(),
    });
    h.ok(MoveStock {
        product_id: widget,
        from: stock,
        to: bin,
        lot: None,
        quantity: dec("4"),
        reason: "replenish".into(),
    });

    // An urgent order in boxes, reserved FEFO, picked in a wave, packed, shipped, delivered.
    let order: OrderId = h.id();
    h.ok(CreateQuotation {
        order_id: order,
        customer_id: acme,
        warehouse_id: wh2,
        lines: vec![
            RequestedLine {
                unit: Some("box12".into()),
                ..RequestedLine::new(widget, dec("2"))
            },
            RequestedLine::new(yeast, dec("3")),
        ],
        customer_reference: "ACME-77".into(),
        shipping_policy: ShippingPolicy::AsSoonAsPossible,
        backorder_policy: None,
        urgent: false,
    });
    h.ok(SetFulfilmentPolicy {
        order_id: order,
        shipping_policy: ShippingPolicy::AsSoonAsPossible,
        backorder_policy: Some(BackorderPolicy::CancelRest),
        urgent: true,
    });
    h.ok(ConfirmOrder { order_id: order });
    h.ok(ReserveStock { order_id: order });
    h.ok(UnreserveStock {
        order_id: order,
        reason: "re-plan".into(),
    });
    h.ok(ReserveStock { order_id: order });
    let wave: WaveId = h.id();
    h.ok(CreateWave {
        wave_id: wave,
        warehouse_id: wh2,
        order_ids: vec![order],
    });
    h.ok(ConfirmWave {
        wave_id: wave,
        picks: vec![
            WavePick {
                order_id: order,
                line: 1,
                quantity: dec("2"),
            },
            WavePick {
                order_id: order,
                line: 2,
                quantity: dec("3"),
            },
        ],
    });
    let pack: OperationId = h.id();
    h.ok(PackOrder {
        operation_id: pack,
        order_id: order,
        warehouse_id: None,
        lines: vec![],
    });
    let shipment: ShipmentId = h.id();
    h.ok(ShipOrder {
        shipment_id: shipment,
        order_id: order,
        lines: vec![],
        warehouse_id: None,
        carrier: "DHL".into(),
        tracking_reference: "JD0001".into(),
    });
    h.ok(ConfirmDelivery {
        shipment_id: shipment,
        proof: ProofOfDelivery {
            signed_by: "J. Doe".into(),
            signed_at: h.now,
            document_reference: "pod/2026/1".into(),
            document_sha256: o2c::Hash::of_parts(&[b"signed delivery note"]),
        },
    });

    // A substitute for a line of a quotation.
    h.ok(ChangeProduct {
        product_id: widget,
        name: "WIDGET".into(),
        category: None,
        list_price: usd("10.00"),
        floor_price: None,
        substitutes: vec![gadget],
        invoice_policy: Default::default(),
        taxes: vec![],
    });
    let draft: OrderId = h.id();
    h.ok(CreateQuotation {
        order_id: draft,
        customer_id: acme,
        warehouse_id: w.warehouse,
        lines: vec![RequestedLine::new(widget, dec("1"))],
        customer_reference: String::new(),
        shipping_policy: ShippingPolicy::AsSoonAsPossible,
        backorder_policy: None,
        urgent: false,
    });
    h.ok(SubstituteProduct {
        order_id: draft,
        line: 1,
        substitute_id: gadget,
        keep_price: true,
        reason: "widget short".into(),
    });
    billing::every_billing_event(w);
    after_sale::every_after_sale_event(w);
    archival::every_archival_event(w);
}
