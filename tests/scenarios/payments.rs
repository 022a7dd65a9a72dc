//! Payments and their allocation: partial, full, several invoices, an unapplied remainder.

use crate::common::*;
use crate::support::{World, dec, eur, usd};
use o2c::Event;
use o2c::chrono::NaiveDate;
use o2c::exchange::SetExchangeRate;
use o2c::invoice::PaymentState;
use o2c::payment::{PaymentAllocated, PaymentMethod, PaymentReceived, ReceivePayment};
use o2c::rust_decimal::Decimal;

#[test]
fn receiving_a_payment_records_it_unallocated() {
    let mut w = World::new();
    let customer_id = w.customer;
    let payment_id = w.h.id();
    w.h.advance_days(10);

    let event = only(w.h.ok(ReceivePayment {
        payment_id,
        customer_id,
        amount: usd("150.00"),
        method: PaymentMethod::Cheque,
        reference: "CHQ 0042".into(),
    }));

    assert_eq!(
        event,
        Event::PaymentReceived(PaymentReceived {
            payment_id,
            customer_id,
            amount: usd("150.00"),
            method: PaymentMethod::Cheque,
            reference: "CHQ 0042".into(),
            received_on: NaiveDate::from_ymd_opt(2026, 3, 12).unwrap(),
            rate: None,
        })
    );
    let received = payment(&w, payment_id);
    assert_eq!(received.allocated(), Decimal::ZERO);
    assert_eq!(received.unallocated(), usd("150.00"));
    assert_eq!(
        customer(&w).receivable,
        Decimal::ZERO,
        "an unallocated payment settles nothing yet"
    );
}

#[test]
fn a_payment_in_another_accepted_currency_is_recorded() {
    let mut w = World::new();
    w.h.ok(SetExchangeRate {
        currency: eur("1").currency,
        date: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        rate: dec("1.0825"),
    });

    let payment_id = pay(&mut w, eur("75.00"));

    let received = payment(&w, payment_id);
    assert_eq!(received.unallocated(), eur("75.00"));
    assert_eq!(received.rate, dec("1.0825"), "the rate of the day of receipt");
    let customer_id = w.customer;
    let entry = w.h.engine.read(|b| b.ledger(customer_id)[0].clone());
    assert_eq!(
        (entry.amount, entry.value),
        (dec("-75.00"), dec("-81.1875")),
        "valued at the rate of the day"
    );
}

#[test]
fn allocating_part_then_the_rest_pays_the_invoice() {
    let mut w = World::new();
    let (widget, customer_id) = (w.widget, w.customer);
    let order_id = delivered(&mut w, &[(widget, "10")]);
    let invoice_id = posted_invoice(&mut w, order_id);
    let payment_id = pay(&mut w, usd("100.00"));

    let event = only(allocate(&mut w, payment_id, invoice_id, usd("30.00")));

    assert_eq!(
        event,
        Event::PaymentAllocated(PaymentAllocated {
            payment_id,
            invoice_id,
            customer_id,
            amount: usd("30.00"),
            installment: Some(0),
            discount: Default::default(),
            tax_reduction: Default::default(),
            exchange_difference: Default::default(),
        })
    );
    let partly = invoice(&w, invoice_id);
    assert_eq!(partly.payment_state(), PaymentState::PartiallyPaid);
    assert_eq!(partly.open_amount(), usd("70.00"));
    assert_eq!(payment(&w, payment_id).unallocated(), usd("70.00"));
    assert_eq!(customer(&w).receivable, dec("70.00"));

    allocate(&mut w, payment_id, invoice_id, usd("70.00"));

    let paid = invoice(&w, invoice_id);
    assert_eq!(paid.payment_state(), PaymentState::Paid);
    assert_eq!(paid.open_amount(), usd("0.00"));
    assert_eq!(paid.paid, dec("100.00"));
    assert_eq!(payment(&w, payment_id).unallocated(), usd("0.00"));
    assert_eq!(payment(&w, payment_id).allocations.len(), 2);
    assert_eq!(customer(&w).receivable, Decimal::ZERO);
}

#[test]
fn one_payment_settles_two_invoices() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let first_order = delivered(&mut w, &[(widget, "2")]);
    let second_order = delivered(&mut w, &[(gadget, "3")]);
    let first = posted_invoice(&mut w, first_order);
    let second = posted_invoice(&mut w, second_order);
    assert_eq!(customer(&w).receivable, dec("27.50"));
    let payment_id = pay(&mut w, usd("27.50"));

    allocate(&mut w, payment_id, first, usd("20.00"));
    allocate(&mut w, payment_id, second, usd("7.50"));

    assert_eq!(invoice(&w, first).payment_state(), PaymentState::Paid);
    assert_eq!(invoice(&w, second).payment_state(), PaymentState::Paid);
    let settled = payment(&w, payment_id);
    assert_eq!(
        settled
            .allocations
            .iter()
            .map(|a| (a.invoice_id, a.amount))
            .collect::<Vec<_>>(),
        [(first, dec("20.00")), (second, dec("7.50"))]
    );
    assert_eq!(settled.unallocated(), usd("0.00"));
    assert_eq!(customer(&w).receivable, Decimal::ZERO);
}

#[test]
fn an_overpayment_stays_on_the_payment_as_unapplied_credit() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "4")]);
    let invoice_id = posted_invoice(&mut w, order_id);
    let payment_id = pay(&mut w, usd("50.00"));

    allocate(&mut w, payment_id, invoice_id, usd("40.00"));

    assert_eq!(invoice(&w, invoice_id).payment_state(), PaymentState::Paid);
    assert_eq!(payment(&w, payment_id).unallocated(), usd("10.00"));
    assert_eq!(customer(&w).receivable, Decimal::ZERO);
}
