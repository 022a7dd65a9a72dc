//! Payments returned by the bank: the allocations are reversed (with the early-payment
//! discounts they earned), the invoices are open again and the receivable back up; a payment
//! is returned only once, never after part of it was refunded, and is no credit any more.

use crate::common::*;
use crate::support::{World, dec, usd};
use o2c::invoice::PaymentState;
use o2c::ledger::EntryKind;
use o2c::payment::{
    AllocatePayment, AllocatePaymentAutomatically, CreditSource, PaymentMethod, PaymentReturned,
    RefundCustomerCredit, ReturnPayment,
};
use o2c::rust_decimal::Decimal;
use o2c::{DomainError, Event, PaymentId};

fn bounced(payment_id: PaymentId) -> ReturnPayment {
    ReturnPayment {
        payment_id,
        reason: "insufficient funds".into(),
    }
}

#[test]
fn a_returned_payment_reopens_the_invoices_it_paid() {
    let mut w = World::new();
    let (widget, gadget, customer_id) = (w.widget, w.gadget, w.customer);
    let first = invoiced(&mut w, &[(widget, "10")]);
    let second = invoiced(&mut w, &[(gadget, "16")]);
    let payment_id = pay(&mut w, usd("150.00"));
    w.h.ok(AllocatePaymentAutomatically { payment_id });
    assert_eq!(customer(&w).receivable, Decimal::ZERO);
    w.h.advance_days(3);

    let event = only(w.h.ok(bounced(payment_id)));

    assert_eq!(
        event,
        Event::PaymentReturned(PaymentReturned {
            payment_id,
            customer_id,
            reason: "insufficient funds".into(),
            returned_on: date(2026, 3, 5),
        })
    );
    for (invoice_id, total) in [(first, "100.00"), (second, "40.00")] {
        let reopened = invoice(&w, invoice_id);
        assert_eq!(reopened.payment_state(), PaymentState::NotPaid);
        assert_eq!((reopened.paid, reopened.open_amount()), (dec("0.00"), usd(total)));
    }
    assert_eq!(customer(&w).receivable, dec("140.00"));
    let returned = payment(&w, payment_id);
    assert_eq!(returned.returned_on, Some(date(2026, 3, 5)));
    assert_eq!(
        returned.unallocated(),
        usd("0"),
        "a returned payment is no credit"
    );
    assert_eq!(
        ledger(&w).last(),
        Some(&(EntryKind::PaymentReturned, dec("150.00")))
    );
    assert_eq!(balance(&w), dec("140.00"));
    let customer_id = w.customer;
    let open: Vec<_> =
        w.h.engine
            .read(|book| book.open_invoices_of(customer_id).map(|i| i.id).collect());
    assert_eq!(open.len(), 2, "both invoices are open again");
}

#[test]
fn a_returned_payment_takes_back_the_early_payment_discount() {
    let mut w = World::new();
    let widget = w.widget;
    two_ten_net_thirty(&mut w);
    let invoice_id = invoiced(&mut w, &[(widget, "10")]);
    let payment_id = pay(&mut w, usd("98.00"));
    allocate(&mut w, payment_id, invoice_id, usd("98.00"));
    assert_eq!(invoice(&w, invoice_id).discounts, dec("2.00"));

    w.h.ok(bounced(payment_id));

    let reopened = invoice(&w, invoice_id);
    assert_eq!(
        (reopened.paid, reopened.discounts, reopened.open_amount()),
        (dec("0.00"), dec("0.00"), usd("100.00"))
    );
    assert_eq!(reopened.installments[0].settled, dec("0.00"));
    assert_eq!(reopened.payment_state(), PaymentState::NotPaid);
    assert_eq!(customer(&w).receivable, dec("100.00"));
    assert_eq!(
        ledger(&w),
        [
            (EntryKind::Invoice, dec("100.00")),
            (EntryKind::Payment, dec("-98.00")),
            (EntryKind::EarlyDiscount, dec("-2.00")),
            (EntryKind::EarlyDiscount, dec("2.00")),
            (EntryKind::PaymentReturned, dec("98.00")),
        ]
    );
}

#[test]
fn a_payment_is_returned_only_once_and_then_allocates_nothing() {
    let mut w = World::new();
    let widget = w.widget;
    let invoice_id = invoiced(&mut w, &[(widget, "10")]);
    let payment_id = pay(&mut w, usd("100.00"));
    w.h.ok(bounced(payment_id));

    assert_eq!(
        w.h.refused(bounced(payment_id)),
        DomainError::PaymentAlreadyReturned { payment_id }
    );
    assert_eq!(
        w.h.refused(AllocatePayment {
            payment_id,
            invoice_id,
            amount: usd("100.00"),
            installment: None,
        }),
        DomainError::PaymentAlreadyReturned { payment_id }
    );
}

#[test]
fn a_partly_refunded_payment_cannot_be_returned() {
    let mut w = World::new();
    let widget = w.widget;
    let invoice_id = invoiced(&mut w, &[(widget, "10")]);
    let payment_id = pay(&mut w, usd("150.00"));
    allocate(&mut w, payment_id, invoice_id, usd("100.00"));
    w.h.ok(RefundCustomerCredit {
        source: CreditSource::Payment(payment_id),
        amount: usd("10.00"),
        method: PaymentMethod::BankTransfer,
        reference: String::new(),
    });

    let refusal = w.h.refused(bounced(payment_id));

    assert_eq!(refusal, DomainError::PaymentAlreadyRefunded { payment_id });
    assert_eq!(invoice(&w, invoice_id).payment_state(), PaymentState::Paid);
}
