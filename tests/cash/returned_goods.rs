//! Credit notes for returned goods: the goods count as returned and are not invoiced
//! again; a part of a line is credited in proportion with its taxes, and the rest of a line
//! credited piece by piece comes to the cent; never more than was invoiced and not yet
//! credited, nor more than was delivered.

use crate::common::*;
use crate::support::{World, dec, usd};
use o2c::invoice::{CreateCreditNote, CreditNoteKind, InvoicePolicy, PaymentState, TaxTotal};
use o2c::order::{ConfirmOrder, CreateQuotation, InvoicingStatus, RequestedLine, ReserveStock};
use o2c::rust_decimal::Decimal;
use o2c::shipment::{ShipLine, ShipOrder};
use o2c::stock::ReceiveStock;
use o2c::tax::TaxRounding;
use o2c::{DomainError, ProductId};

#[test]
fn returned_goods_are_credited_in_proportion_with_their_taxes_and_not_invoiced_again() {
    let mut w = World::new();
    let (order_id, invoice_id, tax_id) = taxed_two_line_invoice(&mut w);

    let credit_note_id = issue_credit_note(
        &mut w,
        invoice_id,
        CreditNoteKind::ReturnedGoods(vec![returned_goods(1, "3"), returned_goods(2, "1")]),
    );

    let note = credit_note(&w, credit_note_id);
    let amounts: Vec<(ProductId, Decimal, Decimal)> = note
        .lines
        .iter()
        .map(|l| (l.product_id, l.quantity, l.amount.amount))
        .collect();
    assert_eq!(
        amounts,
        [
            (w.widget, dec("3"), dec("30.00")),
            (w.gadget, dec("1"), dec("2.50")),
        ],
        "3/10 of 100.00 and 1/3 of 7.50"
    );
    assert_eq!(
        note.taxes,
        [TaxTotal {
            tax_id,
            name: "VAT 10%".into(),
            amount: dec("3.25"),
        }]
    );
    assert_eq!(
        (note.untaxed, note.tax, note.total),
        (usd("32.50"), usd("3.25"), usd("35.75"))
    );
    assert_eq!(note.applied, [(invoice_id, dec("35.75"))]);
    let credited = invoice(&w, invoice_id);
    assert_eq!(credited.credited_quantities, [dec("3"), dec("1")]);
    assert_eq!(credited.open_amount(), usd("82.50"));
    assert_eq!(credited.payment_state(), PaymentState::PartiallyPaid);
    let widgets = order_line(&w, order_id, 1);
    assert_eq!(
        (widgets.delivered, widgets.invoiced, widgets.returned),
        (dec("10"), dec("7"), dec("3"))
    );
    assert_eq!(order(&w, order_id).invoiceable(&widgets), Decimal::ZERO);
    assert_eq!(
        order(&w, order_id).invoicing_status(),
        InvoicingStatus::FullyInvoiced,
        "returned goods are not expected to be invoiced again"
    );
    assert_eq!(customer(&w).receivable, dec("82.50"));
}

#[test]
fn goods_returned_one_at_a_time_are_credited_to_the_cent_of_the_line() {
    let mut w = World::new();
    let (gadget, customer_id) = (w.gadget, w.customer);
    vat_10_on(&mut w, &[gadget]);
    // 3 × 2.50 less 5% is 7.125: the line is 7.13, its tax 0.7125 (0.71).
    let order_id = delivered_as_requested(
        &mut w,
        customer_id,
        vec![RequestedLine {
            discount_percent: dec("5"),
            ..RequestedLine::new(gadget, dec("3"))
        }],
    );
    let invoice_id = posted_invoice(&mut w, order_id);
    let posted = invoice(&w, invoice_id);
    assert_eq!((posted.untaxed, posted.tax), (usd("7.13"), usd("0.71")));

    let notes: Vec<_> = (0..3)
        .map(|_| {
            let id = issue_credit_note(
                &mut w,
                invoice_id,
                CreditNoteKind::ReturnedGoods(vec![returned_goods(1, "1")]),
            );
            let note = credit_note(&w, id);
            (note.untaxed.amount, note.tax.amount)
        })
        .collect();

    // A third of 7.13 is 2.3767 (2.38), of 0.7125 is 0.2375 (0.24): the last return
    // credits what the line has left.
    assert_eq!(
        notes,
        [
            (dec("2.38"), dec("0.24")),
            (dec("2.38"), dec("0.24")),
            (dec("2.37"), dec("0.23")),
        ]
    );
    let credited = invoice(&w, invoice_id);
    assert_eq!(credited.open_amount(), usd("0.00"));
    assert_eq!(credited.payment_state(), PaymentState::Reversed);
}

#[test]
fn more_goods_than_invoiced_and_not_yet_credited_cannot_be_credited() {
    let mut w = World::new();
    let (_, invoice_id, _) = taxed_two_line_invoice(&mut w);
    issue_credit_note(
        &mut w,
        invoice_id,
        CreditNoteKind::ReturnedGoods(vec![returned_goods(1, "3")]),
    );
    let credit_note_id = w.h.id();

    let refusal = w.h.refused(CreateCreditNote {
        credit_note_id,
        invoice_id,
        kind: CreditNoteKind::ReturnedGoods(vec![returned_goods(1, "8")]),
        reason: "returned".into(),
    });

    assert_eq!(
        refusal,
        DomainError::CreditQuantityTooHigh {
            order_line: 1,
            requested: dec("8"),
            creditable: dec("7"),
        }
    );
}

#[test]
fn goods_invoiced_on_order_are_credited_as_returned_only_up_to_what_was_delivered() {
    let mut w = World::new();
    let (widget, warehouse_id, customer_id) = (w.widget, w.warehouse, w.customer);
    change_product(&mut w, widget, |p| p.invoice_policy = InvoicePolicy::OnOrdered);
    let order_id = w.h.id();
    w.h.ok(CreateQuotation {
        order_id,
        customer_id,
        warehouse_id,
        lines: vec![RequestedLine::new(widget, dec("10"))],
        customer_reference: String::new(),
        shipping_policy: Default::default(),
        backorder_policy: None,
        urgent: false,
    });
    w.h.ok(ConfirmOrder { order_id });
    let invoice_id = posted_invoice(&mut w, order_id);
    assert_eq!(
        invoice(&w, invoice_id).total,
        usd("100.00"),
        "all 10 invoiced on order"
    );
    w.h.ok(ReceiveStock {
        product_id: widget,
        warehouse_id,
        quantity: dec("4"),
        reference: "PO-2".into(),
        location_id: None,
        lots: vec![],
    });
    w.h.ok(ReserveStock { order_id });
    let shipment_id = w.h.id();
    w.h.ok(ShipOrder {
        shipment_id,
        order_id,
        lines: vec![ShipLine {
            line: 1,
            quantity: dec("4"),
        }],
        warehouse_id: None,
        carrier: String::new(),
        tracking_reference: String::new(),
    });
    assert_eq!(order_line(&w, order_id, 1).delivered, dec("4"));
    let credit_note_id = w.h.id();

    let refusal = w.h.refused(CreateCreditNote {
        credit_note_id,
        invoice_id,
        kind: CreditNoteKind::ReturnedGoods(vec![returned_goods(1, "5")]),
        reason: "returned".into(),
    });

    assert_eq!(
        refusal,
        DomainError::CreditQuantityTooHigh {
            order_line: 1,
            requested: dec("5"),
            creditable: dec("4"),
        },
        "only 4 were delivered, so only 4 can come back"
    );
}

#[test]
fn with_taxes_rounded_per_document_a_whole_return_credits_exactly_the_invoice() {
    let mut w = World::new();
    let (gadget, flour, customer_id) = (w.gadget, w.flour, w.customer);
    change_settings(&mut w, |s| s.tax_rounding = TaxRounding::PerDocument);
    vat_10_on(&mut w, &[gadget, flour]);
    // Taxes 0.7125 and 0.4032: 1.12 rounded once (1.11 line by line).
    let order_id = delivered_as_requested(
        &mut w,
        customer_id,
        vec![
            RequestedLine {
                discount_percent: dec("5"),
                ..RequestedLine::new(gadget, dec("3"))
            },
            RequestedLine::new(flour, dec("1.008")),
        ],
    );
    let invoice_id = posted_invoice(&mut w, order_id);
    let posted = invoice(&w, invoice_id);
    assert_eq!(
        (posted.untaxed, posted.tax, posted.total),
        (usd("11.16"), usd("1.12"), usd("12.28"))
    );

    let credit_note_id = issue_credit_note(
        &mut w,
        invoice_id,
        CreditNoteKind::ReturnedGoods(vec![returned_goods(1, "3"), returned_goods(2, "1.008")]),
    );

    let note = credit_note(&w, credit_note_id);
    assert_eq!(
        (note.untaxed, note.tax, note.total),
        (usd("11.16"), usd("1.12"), usd("12.28"))
    );
    assert_eq!(invoice(&w, invoice_id).payment_state(), PaymentState::Reversed);
}
