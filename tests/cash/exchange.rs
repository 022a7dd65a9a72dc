//! Settling in another currency: a euro invoice records the rate of its date; a euro
//! payment or euro credit applied at another rate realises the exact exchange difference
//! (amount × (rate of the money − rate of the invoice)), which a returned payment takes
//! back; the customer account stays exact in the company currency throughout.

use crate::common::*;
use crate::support::{World, dec, eur};
use o2c::exchange::SetExchangeRate;
use o2c::invoice::settlement::Part;
use o2c::invoice::{ApplyCredit, CreditApplied, CreditNoteKind, PaymentState, PostInvoice};
use o2c::ledger::EntryKind;
use o2c::payment::{AllocatePayment, PaymentAllocated, ReturnPayment};
use o2c::rust_decimal::Decimal;
use o2c::{Event, InvoiceId, ProductId};

/// Sets the euro at `rate` (USD per EUR) from `day` March 2026.
fn euro_at(w: &mut World, day: u32, rate: &str) {
    w.h.ok(SetExchangeRate {
        currency: eur_code(),
        date: date(2026, 3, day),
        rate: dec(rate),
    });
}

/// An order of `lines` delivered to Acme and invoiced in euros today.
fn invoiced_in_euros(w: &mut World, lines: &[(ProductId, &str)]) -> InvoiceId {
    let order_id = delivered(w, lines);
    let invoice_id = draft_in(w, order_id, Some(eur_code()));
    w.h.ok(PostInvoice { invoice_id });
    invoice_id
}

#[test]
fn a_euro_payment_at_another_rate_than_the_euro_invoice_realises_the_exchange_difference() {
    let mut w = World::new();
    let (widget, customer_id) = (w.widget, w.customer);
    euro_at(&mut w, 1, "1.25");
    let invoice_id = invoiced_in_euros(&mut w, &[(widget, "10")]);
    let posted = invoice(&w, invoice_id);
    assert_eq!(
        (posted.total, posted.rate),
        (eur("80.00"), dec("1.25")),
        "10 × 10.00 USD / 1.25"
    );
    assert_eq!(customer(&w).receivable, dec("100.00"));
    euro_at(&mut w, 10, "1.3075");
    w.h.advance_days(10);
    let payment_id = pay(&mut w, eur("80.00"));

    let event = only(w.h.ok(AllocatePayment {
        payment_id,
        invoice_id,
        amount: eur("80.00"),
        installment: None,
    }));

    assert_eq!(
        event,
        Event::PaymentAllocated(PaymentAllocated {
            payment_id,
            invoice_id,
            customer_id,
            amount: eur("80.00"),
            installment: Some(0),
            discount: Decimal::ZERO,
            tax_reduction: Decimal::ZERO,
            exchange_difference: dec("4.60"),
        }),
        "80.00 × (1.3075 − 1.25): a gain"
    );
    assert_eq!(invoice(&w, invoice_id).payment_state(), PaymentState::Paid);
    assert_eq!(customer(&w).receivable, Decimal::ZERO);
    assert_eq!(
        ledger(&w),
        [
            (EntryKind::Invoice, dec("100.00")),
            (EntryKind::Payment, dec("-104.60")),
            (EntryKind::ExchangeDifference, dec("4.60")),
        ]
    );
    assert_eq!(balance(&w), Decimal::ZERO);
}

#[test]
fn a_returned_euro_payment_takes_its_exchange_difference_back() {
    let mut w = World::new();
    let widget = w.widget;
    euro_at(&mut w, 1, "1.25");
    let invoice_id = invoiced_in_euros(&mut w, &[(widget, "10")]);
    euro_at(&mut w, 10, "1.3075");
    w.h.advance_days(10);
    let payment_id = pay(&mut w, eur("80.00"));
    allocate(&mut w, payment_id, invoice_id, eur("80.00"));

    w.h.ok(ReturnPayment {
        payment_id,
        reason: "chargeback".into(),
    });

    assert_eq!(invoice(&w, invoice_id).payment_state(), PaymentState::NotPaid);
    assert_eq!(customer(&w).receivable, dec("100.00"));
    assert_eq!(
        ledger(&w),
        [
            (EntryKind::Invoice, dec("100.00")),
            (EntryKind::Payment, dec("-104.60")),
            (EntryKind::ExchangeDifference, dec("4.60")),
            (EntryKind::ExchangeDifference, dec("-4.60")),
            (EntryKind::PaymentReturned, dec("104.60")),
        ]
    );
    assert_eq!(balance(&w), dec("100.00"));
}

#[test]
fn euro_credit_applied_to_an_invoice_at_a_higher_rate_realises_a_loss() {
    let mut w = World::new();
    let (widget, gadget, customer_id) = (w.widget, w.gadget, w.customer);
    euro_at(&mut w, 1, "1.25");
    let first = invoiced_in_euros(&mut w, &[(widget, "10")]);
    let payment_id = pay(&mut w, eur("80.00"));
    allocate(&mut w, payment_id, first, eur("80.00"));
    let credit_note_id = issue_credit_note(&mut w, first, CreditNoteKind::PriceCorrection(eur("8.00")));
    assert_eq!(credit_note(&w, credit_note_id).rate, dec("1.25"));
    euro_at(&mut w, 10, "1.30");
    w.h.advance_days(8);
    // 4 × 2.50 USD at 1.30: 7.69 EUR.
    let second = invoiced_in_euros(&mut w, &[(gadget, "4")]);
    assert_eq!(invoice(&w, second).total, eur("7.69"));

    let event = only(w.h.ok(ApplyCredit {
        credit_note_id,
        invoice_id: second,
        amount: eur("7.69"),
    }));

    assert_eq!(
        event,
        Event::CreditApplied(CreditApplied {
            credit_note_id,
            invoice_id: second,
            customer_id,
            amount: eur("7.69"),
            parts: vec![Part {
                installment: 0,
                amount: dec("7.69"),
                discount: Decimal::ZERO,
                tax_reduction: Decimal::ZERO,
            }],
            exchange_difference: dec("-0.3845"),
            applied_on: date(2026, 3, 10),
        }),
        "7.69 × (1.25 − 1.30)"
    );
    assert_eq!(customer(&w).receivable, Decimal::ZERO);
    assert_eq!(credit_note(&w, credit_note_id).unapplied(), eur("0.31"));
    assert_eq!(balance(&w), dec("-0.3875"), "0.31 EUR of credit at 1.25");
}
