//! Payments: automatic allocation over several invoices, oldest due date first; an
//! overpayment kept as credit, allocated to a later invoice and refunded; allocation to one
//! named installment. Early-payment discounts are in `discounts`, other currencies in
//! `exchange`.

use crate::common::*;
use crate::support::{World, dec, details, usd};
use o2c::customer::ChangeCustomer;
use o2c::invoice::PaymentState;
use o2c::payment::{
    AllocatePayment, AllocatePaymentAutomatically, CreditSource, CustomerCreditRefunded, PaymentAllocated,
    PaymentMethod, RefundCustomerCredit,
};
use o2c::rust_decimal::Decimal;
use o2c::{DomainError, Event, InvoiceId, PaymentId};

fn allocated(
    w: &World,
    payment_id: PaymentId,
    invoice_id: InvoiceId,
    amount: &str,
    installment: u32,
) -> Event {
    Event::PaymentAllocated(PaymentAllocated {
        payment_id,
        invoice_id,
        customer_id: w.customer,
        amount: usd(amount),
        installment: Some(installment),
        discount: Decimal::ZERO,
        tax_reduction: Decimal::ZERO,
        exchange_difference: Decimal::ZERO,
    })
}

#[test]
fn automatic_allocation_settles_the_oldest_due_installments_first() {
    let mut w = World::new();
    let (widget, gadget, customer_id) = (w.widget, w.gadget, w.customer);
    // Posted on 2 March (net 30: due 1 April) and 3 March (due 2 April); the third on
    // 4 March after Acme moved to net 14, so it is due first, on 18 March.
    let first = invoiced(&mut w, &[(widget, "10")]);
    w.h.advance_days(1);
    let second = invoiced(&mut w, &[(gadget, "8")]);
    w.h.advance_days(1);
    w.h.ok(ChangeCustomer {
        customer_id,
        details: details("Acme", 14),
    });
    let third = invoiced(&mut w, &[(widget, "4")]);
    let due = |w: &World, id| invoice(w, id).due_date.unwrap();
    assert_eq!(
        [due(&w, first), due(&w, second), due(&w, third)],
        [date(2026, 4, 1), date(2026, 4, 2), date(2026, 3, 18)]
    );
    let payment_id = pay(&mut w, usd("150.00"));

    let recorded = events(w.h.ok(AllocatePaymentAutomatically { payment_id }));

    assert_eq!(
        recorded,
        [
            allocated(&w, payment_id, third, "40.00", 0),
            allocated(&w, payment_id, first, "100.00", 0),
            allocated(&w, payment_id, second, "10.00", 0),
        ]
    );
    assert_eq!(invoice(&w, third).payment_state(), PaymentState::Paid);
    assert_eq!(invoice(&w, first).payment_state(), PaymentState::Paid);
    let partly = invoice(&w, second);
    assert_eq!(partly.payment_state(), PaymentState::PartiallyPaid);
    assert_eq!(partly.open_amount(), usd("10.00"));
    assert_eq!(payment(&w, payment_id).unallocated(), usd("0.00"));
    assert_eq!(customer(&w).receivable, dec("10.00"));
}

#[test]
fn an_overpayment_is_kept_as_credit_for_a_later_invoice_and_the_rest_refunded() {
    let mut w = World::new();
    let (widget, gadget, customer_id) = (w.widget, w.gadget, w.customer);
    let first = invoiced(&mut w, &[(widget, "4")]);
    let payment_id = pay(&mut w, usd("100.00"));

    let recorded = events(w.h.ok(AllocatePaymentAutomatically { payment_id }));

    assert_eq!(recorded, [allocated(&w, payment_id, first, "40.00", 0)]);
    assert_eq!(payment(&w, payment_id).unallocated(), usd("60.00"));
    assert_eq!(balance(&w), dec("-60.00"), "Acme has 60.00 of credit");

    w.h.advance_days(5);
    let later = invoiced(&mut w, &[(gadget, "10")]);
    let recorded = events(w.h.ok(AllocatePaymentAutomatically { payment_id }));

    assert_eq!(recorded, [allocated(&w, payment_id, later, "25.00", 0)]);
    assert_eq!(invoice(&w, later).payment_state(), PaymentState::Paid);
    assert_eq!(payment(&w, payment_id).unallocated(), usd("35.00"));

    let refund = |amount| RefundCustomerCredit {
        source: CreditSource::Payment(payment_id),
        amount: usd(amount),
        method: PaymentMethod::BankTransfer,
        reference: "REFUND 7".into(),
    };
    assert_eq!(
        w.h.refused(refund("35.01")),
        DomainError::RefundExceedsCredit {
            requested: usd("35.01"),
            available: usd("35.00"),
        }
    );

    let event = only(w.h.ok(refund("35.00")));

    assert_eq!(
        event,
        Event::CustomerCreditRefunded(CustomerCreditRefunded {
            customer_id,
            source: CreditSource::Payment(payment_id),
            amount: usd("35.00"),
            method: PaymentMethod::BankTransfer,
            reference: "REFUND 7".into(),
            refunded_on: date(2026, 3, 7),
        })
    );
    let refunded = payment(&w, payment_id);
    assert_eq!(
        (refunded.refunded, refunded.unallocated()),
        (dec("35.00"), usd("0.00"))
    );
    assert_eq!(customer(&w).receivable, Decimal::ZERO);
    assert_eq!(balance(&w), Decimal::ZERO);
    assert_eq!(
        w.h.refused(AllocatePaymentAutomatically { payment_id }),
        DomainError::NothingToAllocate { payment_id }
    );
}

#[test]
fn a_payment_allocated_to_one_installment_settles_that_installment_only() {
    let mut w = World::new();
    let widget = w.widget;
    give_acme_term(&mut w, vec![percent_in("50", 15), balance_in(45)], None);
    let invoice_id = invoiced(&mut w, &[(widget, "10")]);
    let due: Vec<_> = invoice(&w, invoice_id)
        .installments
        .iter()
        .map(|i| (i.due_date, i.amount))
        .collect();
    assert_eq!(
        due,
        [
            (date(2026, 3, 17), dec("50.00")),
            (date(2026, 4, 16), dec("50.00"))
        ]
    );
    let payment_id = pay(&mut w, usd("80.00"));

    let event = only(w.h.ok(AllocatePayment {
        payment_id,
        invoice_id,
        amount: usd("50.00"),
        installment: Some(1),
    }));

    assert_eq!(event, allocated(&w, payment_id, invoice_id, "50.00", 1));
    let partly = invoice(&w, invoice_id);
    let open: Vec<Decimal> = partly.installments.iter().map(|i| i.open()).collect();
    assert_eq!(
        open,
        [dec("50.00"), dec("0.00")],
        "the first installment is still open"
    );
    assert_eq!(partly.payment_state(), PaymentState::PartiallyPaid);
    assert_eq!(
        w.h.refused(AllocatePayment {
            payment_id,
            invoice_id,
            amount: usd("10.00"),
            installment: Some(1),
        }),
        DomainError::AllocationExceedsOpenAmount {
            invoice_id,
            requested: usd("10.00"),
            open: usd("0.00"),
        },
        "the second installment is settled"
    );
    assert_eq!(
        w.h.refused(AllocatePayment {
            payment_id,
            invoice_id,
            amount: usd("10.00"),
            installment: Some(2),
        }),
        DomainError::UnknownInstallment {
            invoice_id,
            installment: 2,
        }
    );
}
