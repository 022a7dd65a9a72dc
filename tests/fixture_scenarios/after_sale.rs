//! The part of the fixture scenario that records the after-sale events of schema version
//! 5: a delivered, invoiced and paid order of a lot-tracked product; goods of it coming
//! back on a return authorisation (received in two parts, inspected into stock and scrap,
//! credited less a restocking fee, with a photo of the damage); an authorisation cancelled
//! before anything came back; a replacement shipped again; a pricing dispute about another
//! invoice, with a photo of the quotation, answered, asked about, replied to, breaching its
//! resolution service level, rejected, closed and reopened; and a customer's tax exemption
//! certificate superseded by its renewal.

use o2c::chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use o2c::claim::{
    AskCustomer, ClaimPriority, ClaimResolution, ClaimSubject, ClaimType, CloseClaim, OpenClaim,
    RecordCustomerReply, RecordServiceLevelBreaches, ReopenClaim, ResolveClaim, RespondToClaim,
};
use o2c::customer::RegisterCustomer;
use o2c::document::{AttachDocument, DocumentKind, DocumentSubject};
use o2c::ids::{ClaimId, DocumentId, ReturnId};
use o2c::invoice::{CreateInvoice, PostInvoice};
use o2c::order::{ConfirmOrder, CreateQuotation, RequestedLine, ReserveStock};
use o2c::payment::{AllocatePayment, PaymentMethod, ReceivePayment};
use o2c::product::{RegisterProduct, Unit};
use o2c::returns::{
    AuthoriseReturn, CancelReturn, InspectReturn, InspectionDecision, InspectionOutcome, ReceiveReturn,
    Resolution, ResolveReturn, ReturnQuantity,
};
use o2c::shipment::ShipOrder;
use o2c::stock::{ReceiveStock, ReceivedLot, Tracking};
use o2c::{CreditNoteId, CustomerId, InvoiceId, OrderId, PaymentId, ProductId, Role, ShipmentId};

use crate::support::{Harness, World, dec, details, person, usd};

/// An instant of 2026, UTC. 18 May 2026 is a Monday.
fn instant(month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, hour, minute, 0).unwrap()
}

/// The next command runs at `time` (the harness adds a minute before each command).
fn clock(h: &mut Harness, time: DateTime<Utc>) {
    assert!(time > h.now, "the business clock only moves forward");
    h.now = time - Duration::minutes(1);
}

/// `quantity` of a lot of an order line.
fn of_lot(order_line: u32, quantity: &str, lot: &str) -> ReturnQuantity {
    ReturnQuantity {
        order_line,
        quantity: dec(quantity),
        lot: Some(lot.into()),
        serials: vec![],
    }
}

/// A document reference about `about`.
fn document(
    document_id: DocumentId,
    about: DocumentSubject,
    kind: DocumentKind,
    title: &str,
    digit: char,
) -> AttachDocument {
    AttachDocument {
        document_id,
        about,
        kind,
        title: title.into(),
        storage_reference: format!("s3://o2c-docs/{document_id}.pdf"),
        sha256: digit.to_string().repeat(64),
        expires_on: None,
        supersedes_document_id: None,
    }
}

/// Records every after-sale event type at least once.
pub fn every_after_sale_event(w: &mut World) {
    let (gadget, warehouse) = (w.gadget, w.warehouse);
    let h = &mut w.h;
    let lead = person("lea.lead", &[Role::CustomerServiceLead]);
    let agent = person("cai.service", &[Role::CustomerService]);
    let operator = person("olga.operator", &[Role::WarehouseOperator]);
    let manager = person("max.manager", &[Role::WarehouseManager]);
    let rep = person("sam.sales", &[Role::SalesRep]);

    // Olive oil in lots, taxed as the gadget is (VAT 20%), for a new customer.
    let vat = h.engine.read(|book| book.product(gadget).unwrap().taxes.clone());
    let oil: ProductId = h.id();
    h.ok(RegisterProduct {
        product_id: oil,
        sku: "OIL-1L".into(),
        name: "Olive oil 1 l".into(),
        unit: Unit {
            code: "pcs".into(),
            decimals: 0,
        },
        list_price: usd("8.00"),
        category: None,
        floor_price: None,
        tracking: Tracking::Lot,
        substitutes: vec![],
        invoice_policy: Default::default(),
        taxes: vat,
    });
    h.ok(ReceiveStock {
        product_id: oil,
        warehouse_id: warehouse,
        quantity: dec("12"),
        reference: "PO-50".into(),
        location_id: None,
        lots: vec![
            ReceivedLot {
                number: "O-1".into(),
                expires_on: NaiveDate::from_ymd_opt(2027, 1, 31),
                quantity: dec("6"),
            },
            ReceivedLot {
                number: "O-2".into(),
                expires_on: NaiveDate::from_ymd_opt(2027, 3, 31),
                quantity: dec("6"),
            },
        ],
    });
    let delta: CustomerId = h.id();
    h.ok(RegisterCustomer {
        customer_id: delta,
        details: details("Delta Deli", 30),
        credit_limit: None,
    });

    // Ten bottles delivered, invoiced (80.00 + 16.00 VAT) and paid.
    let order: OrderId = h.id();
    h.ok(CreateQuotation {
        order_id: order,
        customer_id: delta,
        warehouse_id: warehouse,
        lines: vec![RequestedLine::new(oil, dec("10"))],
        customer_reference: "DD-1".into(),
        shipping_policy: Default::default(),
        backorder_policy: None,
        urgent: false,
    });
    h.ok(ConfirmOrder { order_id: order });
    h.ok(ReserveStock { order_id: order });
    let shipment: ShipmentId = h.id();
    h.ok(ShipOrder {
        shipment_id: shipment,
        order_id: order,
        lines: vec![],
        warehouse_id: None,
        carrier: "UPS".into(),
        tracking_reference: "1Z-77".into(),
    });
    let lots: Vec<(String, o2c::rust_decimal::Decimal)> = h
        .engine
        .shipment(shipment)
        .unwrap()
        .moves
        .into_iter()
        .map(|m| (m.movement.lot.unwrap(), m.movement.quantity))
        .collect();
    assert_eq!(
        lots,
        [("O-1".to_string(), dec("6")), ("O-2".to_string(), dec("4"))]
    );
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
        customer_id: delta,
        amount: usd("96.00"),
        method: PaymentMethod::BankTransfer,
        reference: "DD-PAY-1".into(),
    });
    h.ok(AllocatePayment {
        payment_id: payment,
        invoice_id: invoice,
        amount: usd("96.00"),
        installment: None,
    });

    // Four bottles damaged in transit come back in two parcels, with a photo; three are
    // fine once unpacked, the leaking one is scrapped; credited less a 10% restocking fee.
    let damaged: ReturnId = h.id();
    h.as_actor(lead.clone(), |h| {
        h.ok(AuthoriseReturn {
            return_id: damaged,
            order_id: order,
            lines: vec![of_lot(1, "3", "O-1"), of_lot(1, "1", "O-2")],
            reason: "damaged-in-transit".into(),
            note: "carton crushed by the carrier".into(),
            valid_until: None,
            warehouse_id: None,
        })
    });
    h.as_actor(operator.clone(), |h| {
        h.ok(ReceiveReturn {
            return_id: damaged,
            lines: vec![of_lot(1, "3", "O-1")],
        });
        let photo: DocumentId = h.id();
        h.ok(document(
            photo,
            DocumentSubject::Return { return_id: damaged },
            DocumentKind::PhotoOfDamage,
            "Photo of the crushed carton",
            '1',
        ));
        h.ok(ReceiveReturn {
            return_id: damaged,
            lines: vec![of_lot(1, "1", "O-2")],
        });
    });
    h.as_actor(manager, |h| {
        h.ok(InspectReturn {
            return_id: damaged,
            decisions: vec![
                InspectionDecision {
                    order_line: 1,
                    lot: Some("O-1".into()),
                    serials: vec![],
                    quantity: dec("3"),
                    outcome: InspectionOutcome::Restock,
                },
                InspectionDecision {
                    order_line: 1,
                    lot: Some("O-2".into()),
                    serials: vec![],
                    quantity: dec("1"),
                    outcome: InspectionOutcome::Scrap {
                        reason: "bottle leaking".into(),
                    },
                },
            ],
        })
    });
    let credit_note: CreditNoteId = h.id();
    h.as_actor(lead.clone(), |h| {
        h.ok(ResolveReturn {
            return_id: damaged,
            resolution: Resolution::Credit {
                credit_note_id: credit_note,
                restocking_fee_percent: dec("10"),
            },
        })
    });

    // Two more bottles authorised as surplus; the customer keeps them after all.
    let surplus: ReturnId = h.id();
    h.as_actor(lead.clone(), |h| {
        h.ok(AuthoriseReturn {
            return_id: surplus,
            order_id: order,
            lines: vec![of_lot(1, "2", "O-1")],
            reason: "surplus".into(),
            note: String::new(),
            valid_until: None,
            warehouse_id: None,
        });
        h.ok(CancelReturn {
            return_id: surplus,
            reason: "customer keeps them".into(),
        });
    });

    // A bottle too close to its expiry is replaced: it comes back and awaits inspection,
    // a fresh one ships on the same order with nothing new to invoice.
    let expired: ReturnId = h.id();
    h.as_actor(lead.clone(), |h| {
        h.ok(AuthoriseReturn {
            return_id: expired,
            order_id: order,
            lines: vec![of_lot(1, "1", "O-2")],
            reason: "expired".into(),
            note: "best before too short for the deli".into(),
            valid_until: NaiveDate::from_ymd_opt(2026, 5, 31),
            warehouse_id: None,
        })
    });
    h.as_actor(operator, |h| {
        h.ok(ReceiveReturn {
            return_id: expired,
            lines: vec![of_lot(1, "1", "O-2")],
        })
    });
    h.as_actor(lead.clone(), |h| {
        h.ok(ResolveReturn {
            return_id: expired,
            resolution: Resolution::Replacement,
        })
    });
    h.ok(ReserveStock { order_id: order });
    let again: ShipmentId = h.id();
    h.ok(ShipOrder {
        shipment_id: again,
        order_id: order,
        lines: vec![],
        warehouse_id: None,
        carrier: "UPS".into(),
        tracking_reference: "1Z-78".into(),
    });

    // Twenty gadgets invoiced on order (50.00 + 10.00 VAT), open; the customer says they
    // were quoted at 2.00 and disputes 12.00 of it.
    let gadgets: OrderId = h.id();
    h.ok(CreateQuotation {
        order_id: gadgets,
        customer_id: delta,
        warehouse_id: warehouse,
        lines: vec![RequestedLine::new(gadget, dec("20"))],
        customer_reference: "DD-2".into(),
        shipping_policy: Default::default(),
        backorder_policy: None,
        urgent: false,
    });
    h.ok(ConfirmOrder { order_id: gadgets });
    let disputed: InvoiceId = h.id();
    h.ok(CreateInvoice {
        invoice_id: disputed,
        order_id: gadgets,
        additional_orders: vec![],
        currency: None,
    });
    h.ok(PostInvoice { invoice_id: disputed });
    let claim: ClaimId = h.id();
    let quotation: DocumentId = h.id();
    // Tuesday 19 May 10:00, normal priority: first response due after 8 business hours
    // (Wednesday 10:00), resolution after 40.
    clock(h, instant(5, 19, 10, 0));
    h.as_actor(agent.clone(), |h| {
        h.ok(document(
            quotation,
            DocumentSubject::Invoice { invoice_id: disputed },
            DocumentKind::Correspondence,
            "Photo of the quotation at 2.00",
            '2',
        ));
        h.ok(OpenClaim {
            claim_id: claim,
            customer_id: delta,
            about: ClaimSubject {
                invoice_id: Some(disputed),
                ..ClaimSubject::default()
            },
            claim_type: ClaimType::PricingDispute,
            priority: ClaimPriority::Normal,
            description: "The gadgets were quoted at 2.00, not 2.50.".into(),
            document_ids: vec![quotation],
            disputed_amount: Some(usd("12.00")),
        });
    });
    clock(h, instant(5, 19, 11, 0));
    h.as_actor(agent.clone(), |h| {
        h.ok(RespondToClaim {
            claim_id: claim,
            message: "Thank you; we are checking the quotation.".into(),
        })
    });
    clock(h, instant(5, 19, 14, 0));
    h.as_actor(agent.clone(), |h| {
        h.ok(AskCustomer {
            claim_id: claim,
            question: "Which quotation number was it?".into(),
        })
    });
    // Waiting from Tuesday 14:00 to Wednesday 10:00: 4 business hours paused.
    clock(h, instant(5, 20, 10, 0));
    h.as_actor(agent.clone(), |h| {
        h.ok(RecordCustomerReply {
            claim_id: claim,
            message: "Quotation Q-2026-118, dated 2 March.".into(),
        })
    });
    // Resolution was due Tuesday 26 May 14:00; the scheduled run on Wednesday records it.
    let as_of = instant(5, 27, 9, 0);
    clock(h, instant(5, 27, 9, 5));
    h.as_actor(lead.clone(), |h| {
        h.ok(RecordServiceLevelBreaches { as_of });
        h.ok(ResolveClaim {
            claim_id: claim,
            resolution: ClaimResolution::Rejected {
                reason: "Quotation Q-2026-118 had expired before the order.".into(),
            },
        });
    });
    h.as_actor(agent, |h| h.ok(CloseClaim { claim_id: claim }));
    clock(h, instant(5, 28, 10, 0));
    h.as_actor(lead, |h| {
        h.ok(ReopenClaim {
            claim_id: claim,
            reason: "The customer sent a renewed quotation.".into(),
        })
    });

    // Beta Bakery's exemption certificate on file, superseded by its renewal.
    let beta = h.engine.read(|book| {
        book.customers()
            .find(|c| c.name() == "Beta Bakery Ltd")
            .unwrap()
            .id
    });
    let (certificate, renewal): (DocumentId, DocumentId) = (h.id(), h.id());
    h.as_actor(rep, |h| {
        h.ok(AttachDocument {
            expires_on: NaiveDate::from_ymd_opt(2026, 6, 30),
            ..document(
                certificate,
                DocumentSubject::Customer { customer_id: beta },
                DocumentKind::TaxExemptionCertificate,
                "Exemption certificate EX-2026-17",
                '3',
            )
        });
        h.ok(AttachDocument {
            expires_on: NaiveDate::from_ymd_opt(2027, 6, 30),
            supersedes_document_id: Some(certificate),
            ..document(
                renewal,
                DocumentSubject::Customer { customer_id: beta },
                DocumentKind::TaxExemptionCertificate,
                "Exemption certificate EX-2027-04",
                '4',
            )
        });
    });
}
