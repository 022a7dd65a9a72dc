//! Customer credit from credit notes: a credit note on a paid invoice offsets nothing and
//! becomes credit, which is applied to another invoice of the customer (which is then paid,
//! not reversed) and refunded, never beyond what is left.

use crate::common::*;
use crate::support::{World, dec, usd};
use o2c::invoice::settlement::Part;
use o2c::invoice::{ApplyCredit, CreditApplied, CreditNoteKind, PaymentState};
use o2c::payment::{CreditSource, CustomerCreditRefunded, PaymentMethod, RefundCustomerCredit};
use o2c::rust_decimal::Decimal;
use o2c::{CreditNoteId, DomainError, Event, InvoiceId};

/// Widget ×10 invoiced and paid, gadget ×4 invoiced and open (10.00), and a credit note of
/// `credit` on the paid invoice.
fn credit_on_a_paid_invoice(w: &mut World, credit: &str) -> (InvoiceId, InvoiceId, CreditNoteId) {
    let (widget, gadget) = (w.widget, w.gadget);
    let paid = invoiced(w, &[(widget, "10")]);
    let payment_id = pay(w, usd("100.00"));
    allocate(w, payment_id, paid, usd("100.00"));
    let other = invoiced(w, &[(gadget, "4")]);
    let credit_note_id = issue_credit_note(w, paid, CreditNoteKind::PriceCorrection(usd(credit)));
    (paid, other, credit_note_id)
}

#[test]
fn a_credit_note_on_a_paid_invoice_becomes_credit_applied_elsewhere_then_refunded() {
    let mut w = World::new();
    let customer_id = w.customer;

    let (paid, other, credit_note_id) = credit_on_a_paid_invoice(&mut w, "20.00");

    let note = credit_note(&w, credit_note_id);
    assert_eq!(note.applied, [(paid, dec("0"))], "nothing left to offset");
    assert_eq!(note.unapplied(), usd("20.00"));
    assert_eq!(invoice(&w, paid).payment_state(), PaymentState::Paid);
    assert_eq!(customer(&w).receivable, dec("10.00"));
    assert_eq!(balance(&w), dec("-10.00"), "10.00 owed less 20.00 of credit");

    let event = only(w.h.ok(ApplyCredit {
        credit_note_id,
        invoice_id: other,
        amount: usd("10.00"),
    }));

    assert_eq!(
        event,
        Event::CreditApplied(CreditApplied {
            credit_note_id,
            invoice_id: other,
            customer_id,
            amount: usd("10.00"),
            parts: vec![Part {
                installment: 0,
                amount: dec("10.00"),
                discount: Decimal::ZERO,
                tax_reduction: Decimal::ZERO,
            }],
            exchange_difference: Decimal::ZERO,
            applied_on: date(2026, 3, 2),
        })
    );
    let settled = invoice(&w, other);
    assert_eq!(
        (settled.credited, settled.open_amount()),
        (dec("10.00"), usd("0.00"))
    );
    assert_eq!(credit_note(&w, credit_note_id).unapplied(), usd("10.00"));
    assert_eq!(customer(&w).receivable, Decimal::ZERO);

    let refund = RefundCustomerCredit {
        source: CreditSource::CreditNote(credit_note_id),
        amount: usd("10.00"),
        method: PaymentMethod::BankTransfer,
        reference: "REFUND 1".into(),
    };
    let event = only(w.h.ok(refund.clone()));

    assert_eq!(
        event,
        Event::CustomerCreditRefunded(CustomerCreditRefunded {
            customer_id,
            source: CreditSource::CreditNote(credit_note_id),
            amount: usd("10.00"),
            method: PaymentMethod::BankTransfer,
            reference: "REFUND 1".into(),
            refunded_on: date(2026, 3, 2),
        })
    );
    let refunded = credit_note(&w, credit_note_id);
    assert_eq!(
        (refunded.refunded, refunded.unapplied()),
        (dec("10.00"), usd("0.00"))
    );
    assert_eq!(balance(&w), Decimal::ZERO);
    assert_eq!(
        w.h.refused(refund),
        DomainError::RefundExceedsCredit {
            requested: usd("10.00"),
            available: usd("0.00"),
        }
    );
}

#[test]
fn an_invoice_settled_with_credit_from_another_invoice_is_paid_not_reversed() {
    let mut w = World::new();
    let (_, other, credit_note_id) = credit_on_a_paid_invoice(&mut w, "20.00");

    w.h.ok(ApplyCredit {
        credit_note_id,
        invoice_id: other,
        amount: usd("10.00"),
    });

    assert_eq!(
        invoice(&w, other).payment_state(),
        PaymentState::Paid,
        "the gadgets were sold and paid with customer credit; no credit note undid them"
    );
}

#[test]
fn credit_is_applied_neither_beyond_what_is_left_nor_beyond_what_the_invoice_owes() {
    let mut w = World::new();
    let (_, other, credit_note_id) = credit_on_a_paid_invoice(&mut w, "5.00");

    assert_eq!(
        w.h.refused(ApplyCredit {
            credit_note_id,
            invoice_id: other,
            amount: usd("5.01"),
        }),
        DomainError::CreditExceedsUnapplied {
            credit_note_id,
            requested: usd("5.01"),
            unapplied: usd("5.00"),
        }
    );
    w.h.ok(ApplyCredit {
        credit_note_id,
        invoice_id: other,
        amount: usd("4.00"),
    });
    let widget = w.widget;
    let third = invoiced(&mut w, &[(widget, "1")]);
    let payment_id = pay(&mut w, usd("6.00"));
    allocate(&mut w, payment_id, other, usd("6.00"));

    assert_eq!(
        w.h.refused(ApplyCredit {
            credit_note_id,
            invoice_id: other,
            amount: usd("1.00"),
        }),
        DomainError::AllocationExceedsOpenAmount {
            invoice_id: other,
            requested: usd("1.00"),
            open: usd("0.00"),
        },
        "the gadgets are paid"
    );
    w.h.ok(ApplyCredit {
        credit_note_id,
        invoice_id: third,
        amount: usd("1.00"),
    });
    assert_eq!(invoice(&w, third).open_amount(), usd("9.00"));
    assert_eq!(credit_note(&w, credit_note_id).unapplied(), usd("0.00"));
}
