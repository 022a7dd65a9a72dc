//! Amounts that are not positive or too precise, and currencies the company does not accept.

use crate::common::*;
use crate::support::{World, eur, usd};
use o2c::DomainError;
use o2c::payment::AllocatePayment;

#[test]
fn a_zero_list_price_is_refused() {
    let mut w = World::new();

    assert_eq!(
        w.h.refused(product("FREEBIE", pieces(), usd("0.00"))),
        DomainError::NonPositiveAmount { amount: usd("0") }
    );
}

#[test]
fn a_negative_list_price_is_refused() {
    let mut w = World::new();

    assert_eq!(
        w.h.refused(product("REBATE", pieces(), usd("-1.00"))),
        DomainError::NegativeAmount { amount: usd("-1.00") }
    );
}

#[test]
fn a_list_price_finer_than_the_cent_is_refused() {
    let mut w = World::new();

    assert_eq!(
        w.h.refused(product("SCREW", pieces(), usd("0.005"))),
        DomainError::AmountPrecisionExceeded {
            amount: usd("0.005"),
            decimals: 2
        }
    );
}

#[test]
fn a_list_price_outside_the_base_currency_is_refused() {
    let mut w = World::new();

    assert_eq!(
        w.h.refused(product("IMPORT", pieces(), eur("5.00"))),
        DomainError::CurrencyMismatch {
            expected: code("USD"),
            found: code("EUR")
        }
    );
    assert_eq!(
        w.h.refused(product("IMPORT", pieces(), gbp("5.00"))),
        DomainError::CurrencyMismatch {
            expected: code("USD"),
            found: code("GBP")
        }
    );
}

#[test]
fn a_negative_credit_limit_is_refused() {
    let mut w = World::new();

    assert_eq!(
        w.h.refused(customer("Globex", Some(usd("-100.00")))),
        DomainError::NegativeAmount {
            amount: usd("-100.00")
        }
    );
}

#[test]
fn a_credit_limit_finer_than_the_cent_is_refused() {
    let mut w = World::new();

    assert_eq!(
        w.h.refused(customer("Globex", Some(usd("100.001")))),
        DomainError::AmountPrecisionExceeded {
            amount: usd("100.001"),
            decimals: 2
        }
    );
}

#[test]
fn a_credit_limit_outside_the_base_currency_is_refused() {
    let mut w = World::new();

    assert_eq!(
        w.h.refused(customer("Globex", Some(eur("100.00")))),
        DomainError::CurrencyMismatch {
            expected: code("USD"),
            found: code("EUR")
        }
    );
}

#[test]
fn a_zero_payment_is_refused() {
    let mut w = World::new();
    let command = payment(&w, usd("0"));

    assert_eq!(
        w.h.refused(command),
        DomainError::NonPositiveAmount { amount: usd("0") }
    );
}

#[test]
fn a_negative_payment_is_refused() {
    let mut w = World::new();
    let command = payment(&w, usd("-25.00"));

    assert_eq!(
        w.h.refused(command),
        DomainError::NegativeAmount {
            amount: usd("-25.00")
        }
    );
}

#[test]
fn a_payment_finer_than_the_cent_is_refused() {
    let mut w = World::new();
    let command = payment(&w, eur("25.001"));

    assert_eq!(
        w.h.refused(command),
        DomainError::AmountPrecisionExceeded {
            amount: eur("25.001"),
            decimals: 2
        }
    );
}

#[test]
fn a_payment_in_a_currency_the_company_does_not_accept_is_refused() {
    let mut w = World::new();
    let command = payment(&w, gbp("25.00"));

    assert_eq!(
        w.h.refused(command),
        DomainError::UnknownCurrency {
            currency: code("GBP")
        }
    );
}

#[test]
fn allocating_zero_or_a_negative_amount_is_refused() {
    let mut w = World::new();
    let invoice_id = widget_invoice(&mut w, "1");
    let payment_id = pay(&mut w, usd("10.00"));

    assert_eq!(
        w.h.refused(AllocatePayment {
            payment_id,
            invoice_id,
            amount: usd("0.00"),
            installment: None,
        }),
        DomainError::NonPositiveAmount { amount: usd("0") }
    );
    assert_eq!(
        w.h.refused(AllocatePayment {
            payment_id,
            invoice_id,
            amount: usd("-1.00"),
            installment: None,
        }),
        DomainError::NegativeAmount { amount: usd("-1.00") }
    );
}

#[test]
fn allocating_an_amount_finer_than_the_cent_is_refused() {
    let mut w = World::new();
    let invoice_id = widget_invoice(&mut w, "1");
    let payment_id = pay(&mut w, usd("10.00"));

    assert_eq!(
        w.h.refused(AllocatePayment {
            payment_id,
            invoice_id,
            amount: usd("9.999"),
            installment: None,
        }),
        DomainError::AmountPrecisionExceeded {
            amount: usd("9.999"),
            decimals: 2
        }
    );
}
