//! Archiving settled orders: a delivered, invoiced and paid order leaves the book with its
//! shipment, invoice and payment; the customer's figures, ledger and statement do not
//! move; a command naming an archived document is refused as archived; an order with
//! anything still open stays, with the reason; an invoice of several orders leaves with
//! the last of them, a payment once nothing of it is left to allocate.

use crate::common::*;
use crate::support::{World, dec, person, usd};
use o2c::archive::{ArchiveOrder, OrderArchived, Unsettled};
use o2c::claim::{ClaimPriority, ClaimSubject, ClaimType, OpenClaim};
use o2c::invoice::{CreateInvoice, CreditNoteKind, PostInvoice};
use o2c::order::{
    CancelOrder, CloseOrder, ConfirmOrder, CreateQuotation, HoldOrder, ReleaseOrder, RequestedLine,
};
use o2c::payment::{CreditSource, PaymentMethod, RefundCustomerCredit, ReturnPayment};
use o2c::returns::{AuthoriseReturn, ReturnQuantity};
use o2c::rust_decimal::Decimal;
use o2c::shipment::ShipOrder;
use o2c::{DomainError, EntityKind, Event, InvoiceId, OrderId, PaymentId, Role};

fn archive(order_id: OrderId) -> ArchiveOrder {
    ArchiveOrder { order_id }
}

/// Widget ×10 delivered, invoiced (100.00) and paid in full.
fn paid_order(w: &mut World) -> (OrderId, InvoiceId, PaymentId) {
    let widget = w.widget;
    let order_id = delivered(w, &[(widget, "10")]);
    let invoice_id = posted_invoice(w, order_id);
    let payment_id = pay(w, usd("100.00"));
    allocate(w, payment_id, invoice_id, usd("100.00"));
    (order_id, invoice_id, payment_id)
}

/// A quotation of Acme for `quantity` widgets, under `order_id`.
fn widgets(w: &World, order_id: OrderId, quantity: &str) -> CreateQuotation {
    CreateQuotation {
        order_id,
        customer_id: w.customer,
        warehouse_id: w.warehouse,
        lines: vec![RequestedLine::new(w.widget, dec(quantity))],
        customer_reference: String::new(),
        shipping_policy: Default::default(),
        backorder_policy: None,
        urgent: false,
    }
}

fn unsettled(w: &mut World, order_id: OrderId) -> Unsettled {
    match w.h.refused(archive(order_id)) {
        DomainError::OrderNotSettled {
            order_id: refused,
            reason,
        } if refused == order_id => reason,
        other => panic!("expected the order to be unsettled, got {other}"),
    }
}

#[test]
fn a_paid_order_leaves_the_book_with_its_shipment_invoice_and_payment() {
    let mut w = World::new();
    let (order_id, invoice_id, payment_id) = paid_order(&mut w);
    let shipment_id = w.h.engine.read(|b| b.shipments_of(order_id).next().unwrap().id);
    let customer_before = customer(&w);
    let ledger_before = ledger(&w);
    let statement_before = statement(&w, date(2026, 3, 1), date(2026, 3, 31));

    let event = only(w.h.ok(archive(order_id)));

    assert_eq!(
        event,
        Event::OrderArchived(OrderArchived {
            order_id,
            customer_id: w.customer,
            shipment_ids: vec![shipment_id],
            operation_ids: vec![],
            invoice_ids: vec![invoice_id],
            payment_ids: vec![payment_id],
        })
    );
    assert!(w.h.engine.order(order_id).is_none());
    assert!(w.h.engine.shipment(shipment_id).is_none());
    assert!(w.h.engine.invoice(invoice_id).is_none());
    assert!(w.h.engine.payment(payment_id).is_none());
    w.h.engine.read(|book| {
        for id in [order_id.0, shipment_id.0, invoice_id.0, payment_id.0] {
            assert!(book.is_archived(id));
        }
        assert_eq!(book.archived().orders(), 1);
        assert!(book.archived().ordered(w.customer, w.widget));
        assert!(!book.archived().ordered(w.customer, w.gadget));
    });
    // The customer's figures, ledger and statement are those of before.
    assert_eq!(customer(&w), customer_before);
    assert_eq!(ledger(&w), ledger_before);
    assert_eq!(
        statement(&w, date(2026, 3, 1), date(2026, 3, 31)),
        statement_before
    );
}

#[test]
fn a_command_naming_an_archived_document_is_refused_as_archived() {
    let mut w = World::new();
    let (order_id, invoice_id, payment_id) = paid_order(&mut w);
    let shipment_id = w.h.engine.read(|b| b.shipments_of(order_id).next().unwrap().id);
    w.h.ok(archive(order_id));
    let archived = |kind, id| DomainError::Archived { kind, id };

    assert_eq!(
        w.h.refused(archive(order_id)),
        archived(EntityKind::Order, order_id.0)
    );
    assert_eq!(
        w.h.refused(CloseOrder {
            order_id,
            reason: "done".into()
        }),
        archived(EntityKind::Order, order_id.0)
    );
    assert_eq!(
        w.h.refused(PostInvoice { invoice_id }),
        archived(EntityKind::Invoice, invoice_id.0)
    );
    assert_eq!(
        w.h.refused(ReturnPayment {
            payment_id,
            reason: "bounced".into()
        }),
        archived(EntityKind::Payment, payment_id.0)
    );
    let claim_about_shipment = OpenClaim {
        claim_id: w.h.id(),
        customer_id: w.customer,
        about: ClaimSubject {
            shipment_id: Some(shipment_id),
            ..ClaimSubject::default()
        },
        claim_type: ClaimType::DamagedGoods,
        priority: ClaimPriority::Normal,
        description: "a dented case".into(),
        document_ids: vec![],
        disputed_amount: None,
    };
    assert_eq!(
        w.h.refused(claim_about_shipment),
        archived(EntityKind::Shipment, shipment_id.0)
    );
    // Its id stays taken.
    assert_eq!(
        w.h.refused(widgets(&w, order_id, "1")),
        DomainError::IdAlreadyUsed {
            id: order_id.0,
            kind: EntityKind::Order
        }
    );
}

#[test]
fn a_claim_about_a_product_of_archived_orders_only_is_still_the_customers() {
    let mut w = World::new();
    let (order_id, _, _) = paid_order(&mut w);
    w.h.ok(archive(order_id));
    let (customer_id, widget) = (w.customer, w.widget);
    let product_claim = OpenClaim {
        claim_id: w.h.id(),
        customer_id,
        about: ClaimSubject {
            product_id: Some(widget),
            ..ClaimSubject::default()
        },
        claim_type: ClaimType::Other,
        priority: ClaimPriority::Normal,
        description: "the housings crack".into(),
        document_ids: vec![],
        disputed_amount: None,
    };
    w.h.ok(product_claim);
}

#[test]
fn an_order_with_anything_open_stays_in_the_book_with_the_reason() {
    let mut w = World::new();
    let (customer_id, gadget) = (w.customer, w.gadget);

    // A quotation.
    let quotation: OrderId = w.h.id();
    w.h.ok(widgets(&w, quotation, "2"));
    assert_eq!(unsettled(&mut w, quotation), Unsettled::Quotation);
    // Confirmed with nothing in stock: still to ship.
    w.h.ok(ConfirmOrder { order_id: quotation });
    assert_eq!(unsettled(&mut w, quotation), Unsettled::OpenQuantity);

    // Delivered, not invoiced; then a draft; then posted, unpaid; then partly paid.
    let order_id = delivered(&mut w, &[(gadget, "4")]);
    assert_eq!(unsettled(&mut w, order_id), Unsettled::NotFullyInvoiced);
    let invoice_id = draft_in(&mut w, order_id, None);
    assert_eq!(
        unsettled(&mut w, order_id),
        Unsettled::DraftInvoice { invoice_id }
    );
    w.h.ok(PostInvoice { invoice_id });
    assert_eq!(unsettled(&mut w, order_id), Unsettled::InvoiceOpen { invoice_id });
    let payment_id = pay(&mut w, usd("4.00"));
    allocate(&mut w, payment_id, invoice_id, usd("4.00"));
    assert_eq!(unsettled(&mut w, order_id), Unsettled::InvoiceOpen { invoice_id });
    let rest = pay(&mut w, usd("6.00"));
    allocate(&mut w, rest, invoice_id, usd("6.00"));

    // Paid, but held by a sales manager after shipping: released first.
    let (held, _, _) = paid_order(&mut w);
    let hold = HoldOrder {
        order_id: held,
        reason: "customer asked to wait".into(),
    };
    w.h.ok(hold);
    assert_eq!(unsettled(&mut w, held), Unsettled::OnHold);
    w.h.ok(ReleaseOrder {
        order_id: held,
        reason: "cleared".into(),
    });
    w.h.ok(archive(held));

    // Paid, but with a claim, a return or a credit note on file.
    let (claimed, _, _) = paid_order(&mut w);
    let claim_id = w.h.id();
    w.h.ok(OpenClaim {
        claim_id,
        customer_id,
        about: ClaimSubject {
            order_id: Some(claimed),
            ..ClaimSubject::default()
        },
        claim_type: ClaimType::LateDelivery,
        priority: ClaimPriority::Low,
        description: "two days late".into(),
        document_ids: vec![],
        disputed_amount: None,
    });
    assert_eq!(
        unsettled(&mut w, claimed),
        Unsettled::AfterSaleOnFile {
            kind: EntityKind::Claim,
            id: claim_id.0
        }
    );
    let (returned, _, _) = paid_order(&mut w);
    let return_id = w.h.id();
    w.h.ok(AuthoriseReturn {
        return_id,
        order_id: returned,
        lines: vec![ReturnQuantity {
            order_line: 1,
            quantity: dec("1"),
            lot: None,
            serials: vec![],
        }],
        reason: "damaged-in-transit".into(),
        note: String::new(),
        valid_until: None,
        warehouse_id: None,
    });
    assert_eq!(
        unsettled(&mut w, returned),
        Unsettled::AfterSaleOnFile {
            kind: EntityKind::Return,
            id: return_id.0
        }
    );
    let (credited, credited_invoice, _) = paid_order(&mut w);
    let credit_note_id = issue_credit_note(
        &mut w,
        credited_invoice,
        CreditNoteKind::PriceCorrection(usd("5.00")),
    );
    assert_eq!(
        unsettled(&mut w, credited),
        Unsettled::AfterSaleOnFile {
            kind: EntityKind::CreditNote,
            id: credit_note_id.0
        }
    );

    // Settled once paid in full.
    assert!(matches!(only(w.h.ok(archive(order_id))), Event::OrderArchived(_)));
}

#[test]
fn a_cancelled_or_closed_order_is_settled_once_its_rest_is_let_go() {
    let mut w = World::new();
    let (warehouse_id, widget) = (w.warehouse, w.widget);
    let cancelled: OrderId = w.h.id();
    w.h.ok(widgets(&w, cancelled, "2"));
    w.h.ok(CancelOrder {
        order_id: cancelled,
        reason: "lost to a competitor".into(),
    });
    let event = only(w.h.ok(archive(cancelled)));
    let Event::OrderArchived(archived) = event else {
        panic!("expected the archival");
    };
    assert!(archived.shipment_ids.is_empty() && archived.invoice_ids.is_empty());

    // Five of ten shipped, invoiced and paid; the rest closed.
    let (order_id, _, _) = paid_order(&mut w);
    let partial: OrderId = w.h.id();
    w.h.ok(widgets(&w, partial, "10"));
    w.h.ok(ConfirmOrder { order_id: partial });
    assert!(w.h.engine.order(order_id).is_some());
    w.h.ok(o2c::stock::ReceiveStock {
        product_id: widget,
        warehouse_id,
        quantity: dec("5"),
        reference: "PO-2".into(),
        location_id: None,
        lots: vec![],
    });
    w.h.ok(o2c::order::ReserveStock { order_id: partial });
    let shipment_id = w.h.id();
    w.h.ok(ShipOrder {
        shipment_id,
        order_id: partial,
        lines: vec![],
        warehouse_id: None,
        carrier: String::new(),
        tracking_reference: String::new(),
    });
    let invoice_id = posted_invoice(&mut w, partial);
    let payment_id = pay(&mut w, usd("50.00"));
    allocate(&mut w, payment_id, invoice_id, usd("50.00"));
    assert_eq!(unsettled(&mut w, partial), Unsettled::OpenQuantity);
    w.h.ok(CloseOrder {
        order_id: partial,
        reason: "customer takes no more".into(),
    });
    w.h.ok(archive(partial));
    assert!(w.h.engine.order(partial).is_none());
}

#[test]
fn an_invoice_of_two_orders_leaves_with_the_last_and_its_payment_with_it() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let first = delivered(&mut w, &[(widget, "2")]);
    let second = delivered(&mut w, &[(gadget, "4")]);
    let invoice_id = w.h.id();
    w.h.ok(CreateInvoice {
        invoice_id,
        order_id: first,
        additional_orders: vec![second],
        currency: None,
    });
    w.h.ok(PostInvoice { invoice_id });
    assert_eq!(invoice(&w, invoice_id).total, usd("30.00"));
    let payment_id = pay(&mut w, usd("30.00"));
    allocate(&mut w, payment_id, invoice_id, usd("30.00"));

    let Event::OrderArchived(first_archived) = only(w.h.ok(archive(first))) else {
        panic!("expected the archival");
    };
    assert!(first_archived.invoice_ids.is_empty() && first_archived.payment_ids.is_empty());
    assert_eq!(invoice(&w, invoice_id).orders, [first, second]);

    let Event::OrderArchived(second_archived) = only(w.h.ok(archive(second))) else {
        panic!("expected the archival");
    };
    assert_eq!(
        (second_archived.invoice_ids, second_archived.payment_ids),
        (vec![invoice_id], vec![payment_id])
    );
    assert!(w.h.engine.invoice(invoice_id).is_none());
    assert!(w.h.engine.payment(payment_id).is_none());
}

#[test]
fn a_payment_with_credit_left_stays_and_cannot_bounce_onto_an_archived_invoice() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "10")]);
    let invoice_id = posted_invoice(&mut w, order_id);
    let payment_id = pay(&mut w, usd("150.00"));
    allocate(&mut w, payment_id, invoice_id, usd("100.00"));

    let Event::OrderArchived(archived) = only(w.h.ok(archive(order_id))) else {
        panic!("expected the archival");
    };
    assert_eq!(
        (archived.invoice_ids, archived.payment_ids),
        (vec![invoice_id], vec![])
    );
    assert_eq!(payment(&w, payment_id).unallocated(), usd("50.00"));
    // Returned by the bank, it would reopen an invoice no longer in the book.
    assert_eq!(
        w.h.refused(ReturnPayment {
            payment_id,
            reason: "bounced".into()
        }),
        DomainError::Archived {
            kind: EntityKind::Invoice,
            id: invoice_id.0
        }
    );
    // Its credit is still the customer's, to refund or allocate.
    w.h.ok(RefundCustomerCredit {
        source: CreditSource::Payment(payment_id),
        amount: usd("50.00"),
        method: PaymentMethod::BankTransfer,
        reference: "refund".into(),
    });
    assert_eq!(payment(&w, payment_id).unallocated().amount, Decimal::ZERO);
}

#[test]
fn only_a_billing_clerk_archives() {
    let mut w = World::new();
    let (order_id, _, _) = paid_order(&mut w);
    let rep = person("sam.sales", &[Role::SalesRep]);
    let refusal = w.h.as_actor(rep, |h| h.refused(archive(order_id)));
    assert!(matches!(refusal, DomainError::NotAuthorized { .. }), "{refusal}");
    let clerk = person("bill.clerk", &[Role::BillingClerk]);
    w.h.as_actor(clerk, |h| h.ok(archive(order_id)));
}
