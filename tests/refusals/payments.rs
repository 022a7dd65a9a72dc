//! Payments and allocations: draft or cancelled invoices, too much, mismatched currencies, another customer.

use crate::common::*;
use crate::support::{World, dec, details, eur, usd};
use o2c::chrono::NaiveDate;
use o2c::customer::RegisterCustomer;
use o2c::exchange::SetExchangeRate;
use o2c::invoice::{CancelInvoice, InvoiceStatus};
use o2c::payment::AllocatePayment;
use o2c::{CustomerId, DomainError};

#[test]
fn allocating_to_a_draft_invoice_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "1")]);
    let invoice_id = draft_invoice(&mut w, order_id);
    let payment_id = pay(&mut w, usd("10.00"));

    assert_eq!(
        w.h.refused(AllocatePayment {
            payment_id,
            invoice_id,
            amount: usd("10.00"),
            installment: None,
        }),
        DomainError::InvoiceNotPosted {
            invoice_id,
            status: InvoiceStatus::Draft
        }
    );
}

#[test]
fn allocating_to_a_cancelled_invoice_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "1")]);
    let invoice_id = draft_invoice(&mut w, order_id);
    w.h.ok(CancelInvoice {
        invoice_id,
        reason: "wrong price".into(),
    });
    let payment_id = pay(&mut w, usd("10.00"));

    assert_eq!(
        w.h.refused(AllocatePayment {
            payment_id,
            invoice_id,
            amount: usd("10.00"),
            installment: None,
        }),
        DomainError::InvoiceNotPosted {
            invoice_id,
            status: InvoiceStatus::Cancelled
        }
    );
}

#[test]
fn allocating_more_than_the_payment_has_left_is_refused() {
    let mut w = World::new();
    let invoice_id = widget_invoice(&mut w, "10");
    let payment_id = pay(&mut w, usd("50.00"));
    w.h.ok(AllocatePayment {
        payment_id,
        invoice_id,
        amount: usd("20.00"),
        installment: None,
    });

    assert_eq!(
        w.h.refused(AllocatePayment {
            payment_id,
            invoice_id,
            amount: usd("30.01"),
            installment: None,
        }),
        DomainError::AllocationExceedsUnallocated {
            payment_id,
            requested: usd("30.01"),
            unallocated: usd("30.00"),
        }
    );
}

#[test]
fn allocating_more_than_the_invoice_has_open_is_refused() {
    let mut w = World::new();
    let invoice_id = widget_invoice(&mut w, "10");
    let first = pay(&mut w, usd("60.00"));
    w.h.ok(AllocatePayment {
        payment_id: first,
        invoice_id,
        amount: usd("60.00"),
        installment: None,
    });
    let second = pay(&mut w, usd("500.00"));

    assert_eq!(
        w.h.refused(AllocatePayment {
            payment_id: second,
            invoice_id,
            amount: usd("40.01"),
            installment: None,
        }),
        DomainError::AllocationExceedsOpenAmount {
            invoice_id,
            requested: usd("40.01"),
            open: usd("40.00")
        }
    );
}

#[test]
fn allocating_a_euro_payment_to_a_dollar_invoice_is_refused() {
    let mut w = World::new();
    let invoice_id = widget_invoice(&mut w, "1");
    w.h.ok(SetExchangeRate {
        currency: code("EUR"),
        date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        rate: dec("1.08"),
    });
    let payment_id = pay(&mut w, eur("10.00"));

    assert_eq!(
        w.h.refused(AllocatePayment {
            payment_id,
            invoice_id,
            amount: eur("10.00"),
            installment: None,
        }),
        DomainError::CurrencyMismatch {
            expected: code("USD"),
            found: code("EUR")
        }
    );
}

#[test]
fn allocating_a_dollar_payment_in_euros_is_refused() {
    let mut w = World::new();
    let invoice_id = widget_invoice(&mut w, "1");
    let payment_id = pay(&mut w, usd("10.00"));

    assert_eq!(
        w.h.refused(AllocatePayment {
            payment_id,
            invoice_id,
            amount: eur("10.00"),
            installment: None,
        }),
        DomainError::CurrencyMismatch {
            expected: code("USD"),
            found: code("EUR")
        }
    );
}

#[test]
fn allocating_another_customers_payment_is_refused() {
    let mut w = World::new();
    let invoice_id = widget_invoice(&mut w, "1");
    let globex: CustomerId = w.h.id();
    w.h.ok(RegisterCustomer {
        customer_id: globex,
        details: details("Globex", 30),
        credit_limit: None,
    });
    let payment_id = payment_from(&mut w, globex, usd("10.00"));

    assert_eq!(
        w.h.refused(AllocatePayment {
            payment_id,
            invoice_id,
            amount: usd("10.00"),
            installment: None,
        }),
        DomainError::PaymentCustomerMismatch {
            payment_id,
            payment_customer: globex,
            invoice_id,
            invoice_customer: w.customer,
        }
    );
}
