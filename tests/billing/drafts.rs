//! Editing drafts (lowering a quantity frees it, raising it is bounded by what the order
//! line may invoice, zero removes a line, nothing may be left empty, a line of another
//! order of the draft is named by its order; down-payment deductions follow the draft's
//! total), cancelling them (freeing quantities and deductions), and the gapless
//! numbering: neither a cancelled draft nor a refused post uses a number.

use crate::common::*;
use crate::support::{COMPANY, World, dec, usd};
use o2c::DomainError;
use o2c::Event;
use o2c::invoice::{
    CancelInvoice, ChangeDraftInvoiceLine, CreateDownPaymentInvoice, CreateInvoice, Deduction,
    DownPaymentAmount, DraftInvoiceChanged, InvoiceAmounts, InvoiceLine, InvoiceStatus, PostInvoice,
};
use o2c::order::InvoicingStatus;
use o2c::rust_decimal::Decimal;
use o2c::{InvoiceId, OrderId, ProductId};

fn widget_line(order_id: OrderId, widget: ProductId, quantity: &str, amount: &str) -> InvoiceLine {
    InvoiceLine {
        order_line: 1,
        product_id: widget,
        quantity: dec(quantity),
        unit_price: usd("10.00"),
        discount_percent: Decimal::ZERO,
        amount: usd(amount),
        order_id: Some(order_id),
        taxes: vec![],
    }
}

fn change_line(invoice_id: InvoiceId, order_line: u32, quantity: &str) -> ChangeDraftInvoiceLine {
    ChangeDraftInvoiceLine {
        invoice_id,
        order_id: None,
        order_line,
        quantity: dec(quantity),
    }
}

#[test]
fn lowering_a_draft_line_frees_the_rest_for_a_later_invoice() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "5")]);
    let invoice_id = draft_invoice(&mut w, order_id);

    let event = only(w.h.ok(change_line(invoice_id, 1, "3")));

    assert_eq!(
        event,
        Event::DraftInvoiceChanged(DraftInvoiceChanged {
            invoice_id,
            amounts: InvoiceAmounts {
                lines: vec![widget_line(order_id, widget, "3", "30.00")],
                taxes: vec![],
                deductions: vec![],
                untaxed: usd("30.00"),
                tax: usd("0.00"),
                total: usd("30.00"),
            },
            rate: Decimal::ONE,
        })
    );
    assert_eq!(invoice(&w, invoice_id).total, usd("30.00"));
    assert_eq!(
        (line(&w, order_id, 1).invoicing, invoiceable(&w, order_id, 1)),
        (dec("3"), dec("2"))
    );
    assert_eq!(order(&w, order_id).invoicing_status(), InvoicingStatus::ToInvoice);
    let rest = draft_invoice(&mut w, order_id);
    assert_eq!(
        (invoice(&w, rest).lines[0].quantity, invoice(&w, rest).total),
        (dec("2"), usd("20.00"))
    );
}

#[test]
fn a_draft_line_cannot_bill_more_than_its_order_line_may_invoice() {
    let mut w = World::new();
    let widget = w.widget;
    receive(&mut w, widget, "5");
    let order_id = confirmed(&mut w, &[(widget, "8")]);
    ship_all(&mut w, order_id);
    let invoice_id = draft_invoice(&mut w, order_id);
    w.h.ok(change_line(invoice_id, 1, "2"));

    assert_eq!(
        w.h.refused(change_line(invoice_id, 1, "6")),
        DomainError::InvoiceQuantityTooHigh {
            order_line: 1,
            requested: dec("6"),
            invoiceable: dec("5"),
        },
        "5 delivered of 8 ordered"
    );
    w.h.ok(change_line(invoice_id, 1, "5"));
    assert_eq!(
        invoice(&w, invoice_id).total,
        usd("50.00"),
        "raising it back is allowed"
    );
}

#[test]
fn a_zero_quantity_removes_the_line_from_the_draft() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let order_id = delivered(&mut w, &[(widget, "2"), (gadget, "4")]);
    let invoice_id = draft_invoice(&mut w, order_id);

    w.h.ok(change_line(invoice_id, 2, "0"));

    let draft = invoice(&w, invoice_id);
    assert_eq!(draft.lines, vec![widget_line(order_id, widget, "2", "20.00")]);
    assert_eq!(draft.total, usd("20.00"));
    assert_eq!(
        (line(&w, order_id, 2).invoicing, invoiceable(&w, order_id, 2)),
        (dec("0"), dec("4"))
    );
}

#[test]
fn removing_the_last_line_of_a_draft_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "2")]);
    let invoice_id = draft_invoice(&mut w, order_id);

    assert_eq!(
        w.h.refused(change_line(invoice_id, 1, "0")),
        DomainError::EmptyInvoice { invoice_id }
    );
}

#[test]
fn cancelling_a_draft_frees_its_quantities_and_uses_no_number() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "4")]);
    let cancelled = draft_invoice(&mut w, order_id);

    w.h.ok(CancelInvoice {
        invoice_id: cancelled,
        reason: "wrong customer reference".into(),
    });

    assert_eq!(invoice(&w, cancelled).status, InvoiceStatus::Cancelled);
    assert_eq!(
        (line(&w, order_id, 1).invoicing, invoiceable(&w, order_id, 1)),
        (dec("0"), dec("4"))
    );
    let replacement = posted_invoice(&mut w, order_id);
    assert_eq!(invoice(&w, replacement).number.as_deref(), Some("INV/2026/00001"));
    assert_eq!(invoice(&w, replacement).total, usd("40.00"));
    assert_eq!(invoice(&w, cancelled).number, None);
}

#[test]
fn a_post_dated_before_the_last_numbered_invoice_is_refused_and_uses_no_number() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let first_order = delivered(&mut w, &[(widget, "1")]);
    let second_order = delivered(&mut w, &[(gadget, "1")]);
    let first = posted_invoice(&mut w, first_order);
    let second = draft_invoice(&mut w, second_order);
    w.h.advance_days(-1);

    assert_eq!(
        w.h.refused(PostInvoice { invoice_id: second }),
        DomainError::DatedBeforeLastNumbered {
            date: date(2026, 3, 1),
            last: date(2026, 3, 2),
        }
    );
    assert_eq!(invoice(&w, second).status, InvoiceStatus::Draft);

    w.h.advance_days(1);
    w.h.ok(PostInvoice { invoice_id: second });

    assert_eq!(invoice(&w, first).number.as_deref(), Some("INV/2026/00001"));
    assert_eq!(invoice(&w, second).number.as_deref(), Some("INV/2026/00002"));
    let company = w.h.engine.read(|book| book.company().cloned()).unwrap();
    assert_eq!(company.id, COMPANY);
    assert_eq!(company.invoice_sequences.get(&2026), Some(&2), "no gap");
}

/// A delivered order of ten widgets (100.00) with a posted 30% down payment, and its final
/// draft deducting the down payment.
fn final_draft_after_a_down_payment(w: &mut World) -> (OrderId, InvoiceId, InvoiceId) {
    let widget = w.widget;
    receive(w, widget, "10");
    let order_id = confirmed(w, &[(widget, "10")]);
    let down_payment = w.h.id();
    w.h.ok(CreateDownPaymentInvoice {
        invoice_id: down_payment,
        order_id,
        amount: DownPaymentAmount::Percent(dec("30")),
    });
    w.h.ok(PostInvoice {
        invoice_id: down_payment,
    });
    ship_all(w, order_id);
    let draft = draft_invoice(w, order_id);
    assert_eq!(
        invoice(w, draft).deductions,
        vec![Deduction {
            invoice_id: down_payment,
            amount: dec("30.00")
        }]
    );
    (order_id, down_payment, draft)
}

#[test]
fn cancelling_a_draft_frees_its_down_payment_deduction_for_the_next_invoice() {
    let mut w = World::new();
    let (order_id, down_payment, draft) = final_draft_after_a_down_payment(&mut w);

    w.h.ok(CancelInvoice {
        invoice_id: draft,
        reason: "redo".into(),
    });

    assert_eq!(invoice(&w, down_payment).deducted, dec("0"));
    let replacement = drafted(&mut w, order_id);
    assert_eq!(replacement.deductions[0].amount, dec("30.00"));
    assert_eq!(replacement.total, usd("70.00"));
}

#[test]
fn a_draft_lowered_below_its_down_payment_deducts_it_in_full_once_raised_again() {
    let mut w = World::new();
    let (order_id, down_payment, draft) = final_draft_after_a_down_payment(&mut w);

    w.h.ok(change_line(draft, 1, "2"));
    assert_eq!(
        (invoice(&w, draft).deductions[0].amount, invoice(&w, draft).total),
        (dec("20.00"), usd("0.00")),
        "a draft deducts at most what it bills"
    );
    assert_eq!(invoice(&w, down_payment).deducted, dec("20.00"));

    w.h.ok(change_line(draft, 1, "10"));
    w.h.ok(PostInvoice { invoice_id: draft });

    let last = invoice(&w, draft);
    assert_eq!(
        (last.deductions[0].amount, last.total),
        (dec("30.00"), usd("70.00")),
        "the whole down payment is deducted again"
    );
    assert_eq!(invoice(&w, down_payment).deducted, dec("30.00"));
    assert_eq!(
        order(&w, order_id).invoicing_status(),
        InvoicingStatus::FullyInvoiced
    );
    assert_eq!(customer(&w).receivable, dec("100.00"), "the order is billed once");
}

#[test]
fn a_line_of_the_second_order_of_a_draft_is_changed_by_naming_its_order() {
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

    w.h.ok(ChangeDraftInvoiceLine {
        invoice_id,
        order_id: Some(second),
        order_line: 1,
        quantity: dec("1"),
    });

    let draft = invoice(&w, invoice_id);
    assert_eq!(
        draft
            .lines
            .iter()
            .map(|l| (l.order_id, l.quantity, l.amount))
            .collect::<Vec<_>>(),
        vec![
            (Some(first), dec("2"), usd("20.00")),
            (Some(second), dec("1"), usd("2.50"))
        ]
    );
    assert_eq!(draft.total, usd("22.50"));
    assert_eq!(
        (line(&w, first, 1).invoicing, line(&w, second, 1).invoicing),
        (dec("2"), dec("1"))
    );
    assert_eq!(invoiceable(&w, second, 1), dec("3"));
}
