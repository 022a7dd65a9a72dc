//! Bad text, bad actors, and limits on payment terms, unit and currency precision.

use crate::common::*;
use crate::support::{ALL_ROLES, COMPANY, Harness, World, dec, details, usd};
use o2c::company::SetUpCompany;
use o2c::customer::{MAX_PAYMENT_TERM_DAYS, RegisterCustomer};
use o2c::invoice::CancelInvoice;
use o2c::money::MAX_CURRENCY_DECIMALS;
use o2c::product::{MAX_UNIT_DECIMALS, Unit};
use o2c::stock::ReceiveStock;
use o2c::uuid::Uuid;
use o2c::warehouse::RegisterWarehouse;
use o2c::{Actor, ActorId, CommandContext, DomainError, Request};

#[test]
fn a_blank_customer_name_is_refused() {
    let mut w = World::new();

    assert_eq!(
        w.h.refused(customer(" \t ", None)),
        DomainError::InvalidText {
            field: "name",
            reason: "must not be blank"
        }
    );
}

#[test]
fn a_customer_name_with_control_characters_is_refused() {
    let mut w = World::new();

    assert_eq!(
        w.h.refused(customer("Acme\nRetail", None)),
        DomainError::InvalidText {
            field: "name",
            reason: "contains control characters"
        }
    );
}

#[test]
fn a_customer_name_over_200_characters_is_refused() {
    let mut w = World::new();

    assert_eq!(
        w.h.refused(customer(&"A".repeat(201), None)),
        DomainError::InvalidText {
            field: "name",
            reason: "longer than 200 characters"
        }
    );
    w.h.ok(customer(&"Ä".repeat(200), None));
}

#[test]
fn a_blank_company_name_is_refused() {
    let mut h = Harness::empty();

    assert_eq!(
        h.refused(SetUpCompany {
            name: String::new(),
            ..company(currency("USD", 2), vec![])
        }),
        DomainError::InvalidText {
            field: "name",
            reason: "must not be blank"
        }
    );
}

#[test]
fn a_blank_sku_or_unit_is_refused() {
    let mut w = World::new();

    assert_eq!(
        w.h.refused(product("", pieces(), usd("1.00"))),
        DomainError::InvalidText {
            field: "sku",
            reason: "must not be blank"
        }
    );
    assert_eq!(
        w.h.refused(product(
            "BOLT",
            Unit {
                code: " ".into(),
                decimals: 0
            },
            usd("1.00")
        )),
        DomainError::InvalidText {
            field: "unit.code",
            reason: "must not be blank"
        }
    );
}

#[test]
fn a_blank_warehouse_code_is_refused() {
    let mut w = World::new();

    assert_eq!(
        w.h.refused(RegisterWarehouse {
            warehouse_id: unknown(),
            code: String::new(),
            name: "Two".into(),
            route: Default::default(),
            reservation: Default::default(),
        }),
        DomainError::InvalidText {
            field: "code",
            reason: "must not be blank"
        }
    );
}

#[test]
fn references_with_control_characters_are_refused() {
    let mut w = World::new();
    let (widget, warehouse_id) = (w.widget, w.warehouse);
    let mut quotation = quotation(&w, unknown(), &[(widget, "1")]);
    quotation.customer_reference = "PO\u{0}42".into();
    let mut receipt_payment = payment(&w, usd("1.00"));
    receipt_payment.reference = "bank\rref".into();

    assert_eq!(
        w.h.refused(quotation),
        DomainError::InvalidText {
            field: "customer_reference",
            reason: "contains control characters"
        }
    );
    assert_eq!(
        w.h.refused(ReceiveStock {
            product_id: widget,
            warehouse_id,
            quantity: dec("1"),
            reference: "PO\t1".into(),
            location_id: None,
            lots: vec![],
        }),
        DomainError::InvalidText {
            field: "reference",
            reason: "contains control characters"
        }
    );
    assert_eq!(
        w.h.refused(receipt_payment),
        DomainError::InvalidText {
            field: "reference",
            reason: "contains control characters"
        }
    );
}

#[test]
fn cancelling_a_draft_without_a_reason_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "1")]);
    let invoice_id = draft_invoice(&mut w, order_id);

    assert_eq!(
        w.h.refused(CancelInvoice {
            invoice_id,
            reason: "  ".into()
        }),
        DomainError::InvalidText {
            field: "reason",
            reason: "must not be blank"
        }
    );
}

#[test]
fn a_blank_actor_is_refused() {
    let mut w = World::new();
    let blank: ActorId = serde_json::from_str(r#""""#).unwrap();
    let actor = Actor::new(blank).member_of(COMPANY, ALL_ROLES);
    let context = CommandContext::new(Uuid::from_u128(0xac7), actor, w.h.now);
    let request = Request::new(context, customer("Globex", None));

    assert_eq!(
        refused_request(&w.h, request),
        DomainError::InvalidActor { actor: String::new() }
    );
    w.h.ok(customer("Globex", None));
}

#[test]
fn an_actor_with_surrounding_spaces_or_control_characters_is_refused() {
    let w = World::new();
    for text in [" alice", "bob ", "eve\u{7}"] {
        let id: ActorId = serde_json::from_value(serde_json::Value::String(text.into())).unwrap();
        let actor = Actor::new(id).member_of(COMPANY, ALL_ROLES);
        let context = CommandContext::new(Uuid::from_u128(0xac8), actor, w.h.now);
        let request = Request::new(context, customer("Globex", None));

        assert_eq!(
            refused_request(&w.h, request),
            DomainError::InvalidActor { actor: text.into() }
        );
    }
}

#[test]
fn a_payment_term_over_ten_years_is_refused() {
    let mut w = World::new();

    assert_eq!(
        w.h.refused(RegisterCustomer {
            details: details("Slow Payer", 3651),
            ..customer("Slow Payer", None)
        }),
        DomainError::PaymentTermTooLong {
            days: 3651,
            max: MAX_PAYMENT_TERM_DAYS
        }
    );
    assert_eq!(MAX_PAYMENT_TERM_DAYS, 3650);
    w.h.ok(RegisterCustomer {
        details: details("Slow Payer", 3650),
        ..customer("Slow Payer", None)
    });
}

#[test]
fn a_unit_finer_than_six_decimals_is_refused() {
    let mut w = World::new();

    assert_eq!(
        w.h.refused(product(
            "GOLD",
            Unit {
                code: "g".into(),
                decimals: 7
            },
            usd("60.00")
        )),
        DomainError::UnitPrecisionTooHigh {
            unit: "g".into(),
            decimals: 7,
            max: MAX_UNIT_DECIMALS
        }
    );
    assert_eq!(MAX_UNIT_DECIMALS, 6);
}

#[test]
fn a_currency_finer_than_six_decimals_is_refused() {
    let mut h = Harness::empty();

    assert_eq!(
        h.refused(company(currency("USD", 2), vec![currency("BTC", 8)])),
        DomainError::CurrencyPrecisionTooHigh {
            currency: code("BTC"),
            decimals: 8,
            max: MAX_CURRENCY_DECIMALS
        }
    );
    assert_eq!(
        h.refused(company(currency("XAU", 7), vec![])),
        DomainError::CurrencyPrecisionTooHigh {
            currency: code("XAU"),
            decimals: 7,
            max: 6
        }
    );
}

#[test]
fn a_currency_listed_twice_is_refused() {
    let mut h = Harness::empty();

    assert_eq!(
        h.refused(company(
            currency("USD", 2),
            vec![currency("EUR", 2), currency("EUR", 2)]
        )),
        DomainError::DuplicateCurrency {
            currency: code("EUR")
        }
    );
    assert_eq!(
        h.refused(company(currency("USD", 2), vec![currency("USD", 0)])),
        DomainError::DuplicateCurrency {
            currency: code("USD")
        }
    );
}
