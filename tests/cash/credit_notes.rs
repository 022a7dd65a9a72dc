//! Credit notes against an invoice: a full reversal (own gapless numbering, the quantity
//! invoiceable again, no second reversal), a price correction taxed like the invoice, and
//! all credit notes together within the invoice total. Returned goods are in
//! `returned_goods`, credit left over for the customer in `customer_credit`.

use crate::common::*;
use crate::support::{World, dec, usd};
use o2c::invoice::{CreateCreditNote, CreditNoteIssued, CreditNoteKind, PaymentState, TaxTotal};
use o2c::order::InvoicingStatus;
use o2c::rust_decimal::Decimal;
use o2c::{DomainError, Event};

#[test]
fn a_reversal_credits_the_whole_invoice_under_its_own_number_and_frees_the_quantity() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "10")]);
    let invoice_id = posted_invoice(&mut w, order_id);
    let posted = invoice(&w, invoice_id);
    let credit_note_id = w.h.id();

    let event = only(w.h.ok(CreateCreditNote {
        credit_note_id,
        invoice_id,
        kind: CreditNoteKind::Reversal,
        reason: "wrong customer reference".into(),
    }));

    assert_eq!(
        event,
        Event::CreditNoteIssued(CreditNoteIssued {
            credit_note_id,
            invoice_id,
            customer_id: w.customer,
            number: "RINV/2026/00001".into(),
            fiscal_year: 2026,
            sequence: 1,
            issued_on: date(2026, 3, 2),
            kind: CreditNoteKind::Reversal,
            lines: posted.lines.clone(),
            taxes: vec![],
            untaxed: usd("100.00"),
            tax: usd("0"),
            total: usd("100.00"),
            applied: usd("100.00"),
            reason: "wrong customer reference".into(),
            return_id: None,
            withheld: None,
        })
    );
    let reversed = invoice(&w, invoice_id);
    assert_eq!(reversed.payment_state(), PaymentState::Reversed);
    assert_eq!(
        (reversed.credited, reversed.open_amount()),
        (dec("100.00"), usd("0.00"))
    );
    assert_eq!(customer(&w).receivable, Decimal::ZERO);
    let line = order_line(&w, order_id, 1);
    assert_eq!((line.invoiced, line.returned), (dec("0"), dec("0")));
    assert_eq!(
        order(&w, order_id).invoiceable(&line),
        dec("10"),
        "invoiceable again"
    );
    assert_eq!(order(&w, order_id).invoicing_status(), InvoicingStatus::ToInvoice);

    let corrected = posted_invoice(&mut w, order_id);
    assert_eq!(
        invoice(&w, corrected).number.as_deref(),
        Some("INV/2026/00002"),
        "invoices keep their own sequence"
    );
    let second_note = issue_credit_note(&mut w, corrected, CreditNoteKind::PriceCorrection(usd("1.00")));
    assert_eq!(credit_note(&w, second_note).number, "RINV/2026/00002", "gapless");
}

#[test]
fn an_invoice_is_reversed_only_once() {
    let mut w = World::new();
    let widget = w.widget;
    let invoice_id = invoiced(&mut w, &[(widget, "10")]);
    issue_credit_note(&mut w, invoice_id, CreditNoteKind::Reversal);
    let credit_note_id = w.h.id();

    let refusal = w.h.refused(CreateCreditNote {
        credit_note_id,
        invoice_id,
        kind: CreditNoteKind::Reversal,
        reason: "again".into(),
    });

    assert_eq!(refusal, DomainError::InvoiceAlreadyCredited { invoice_id });
}

#[test]
fn credit_notes_together_never_exceed_the_invoice_total() {
    let mut w = World::new();
    let (_, invoice_id, _) = taxed_two_line_invoice(&mut w);
    issue_credit_note(
        &mut w,
        invoice_id,
        CreditNoteKind::ReturnedGoods(vec![returned_goods(1, "3")]),
    );
    let credit_note_id = w.h.id();

    // 118.25 invoiced, 33.00 credited: 85.25 left; 77.51 untaxed is 85.26 with its tax.
    let refusal = w.h.refused(CreateCreditNote {
        credit_note_id,
        invoice_id,
        kind: CreditNoteKind::PriceCorrection(usd("77.51")),
        reason: "goodwill".into(),
    });

    assert_eq!(
        refusal,
        DomainError::CreditExceedsInvoice {
            invoice_id,
            requested: usd("85.26"),
            creditable: usd("85.25"),
        }
    );
    let exactly = issue_credit_note(&mut w, invoice_id, CreditNoteKind::PriceCorrection(usd("77.50")));
    let note = credit_note(&w, exactly);
    assert_eq!(note.total, usd("85.25"));
    assert_eq!(note.number, "RINV/2026/00002", "the refusal took no number");
    assert_eq!(invoice(&w, invoice_id).payment_state(), PaymentState::Reversed);
}

#[test]
fn a_price_correction_is_taxed_like_the_invoice_and_leaves_quantities_alone() {
    let mut w = World::new();
    let widget = w.widget;
    let tax_id = vat_10_on(&mut w, &[widget]);
    let order_id = delivered(&mut w, &[(widget, "10")]);
    let invoice_id = posted_invoice(&mut w, order_id);
    assert_eq!(invoice(&w, invoice_id).total, usd("110.00"));
    let credit_note_id = w.h.id();

    let event = only(w.h.ok(CreateCreditNote {
        credit_note_id,
        invoice_id,
        kind: CreditNoteKind::PriceCorrection(usd("15.00")),
        reason: "agreed price 8.50".into(),
    }));

    assert_eq!(
        event,
        Event::CreditNoteIssued(CreditNoteIssued {
            credit_note_id,
            invoice_id,
            customer_id: w.customer,
            number: "RINV/2026/00001".into(),
            fiscal_year: 2026,
            sequence: 1,
            issued_on: date(2026, 3, 2),
            kind: CreditNoteKind::PriceCorrection(usd("15.00")),
            lines: vec![],
            taxes: vec![TaxTotal {
                tax_id,
                name: "VAT 10%".into(),
                amount: dec("1.50"),
            }],
            untaxed: usd("15.00"),
            tax: usd("1.50"),
            total: usd("16.50"),
            applied: usd("16.50"),
            reason: "agreed price 8.50".into(),
            return_id: None,
            withheld: None,
        })
    );
    assert_eq!(invoice(&w, invoice_id).open_amount(), usd("93.50"));
    let line = order_line(&w, order_id, 1);
    assert_eq!((line.invoiced, line.returned), (dec("10"), dec("0")));
    assert_eq!(customer(&w).receivable, dec("93.50"));
}
