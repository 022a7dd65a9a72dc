//! Customers: master data, tax ids, changes, inactive customers, credit limits, blocking.

use crate::common::*;
use crate::support::{World, details, person, usd};
use o2c::customer::{
    Address, BlockCustomer, ChangeCustomer, Customer, CustomerBlocked, CustomerChanged, CustomerDeactivated,
    CustomerDetails, CustomerRegistered, CustomerStatusChange, CustomerUnblocked, DeactivateCustomer,
    ReactivateCustomer, RegisterCustomer, RegisterCustomerGroup, SetCreditLimit, TaxTreatment,
    UnblockCustomer,
};
use o2c::order::{
    ConfirmOrder, CreateQuotation, CreditHold, CreditHoldReason, OrderStatus, RevalidateQuotation,
};
use o2c::rust_decimal::Decimal;
use o2c::{DomainError, Event, Role};

#[test]
fn registering_a_customer_records_its_full_master_data() {
    let mut w = World::new();
    let list = new_price_list(&mut w, "Trade");
    let group = new_group(&mut w, "Wholesale", Some("5000.00"), Some(list));
    let address = |street: &str, city: &str| Address {
        street: street.into(),
        city: city.into(),
        postal_code: "12345".into(),
        country: "US".into(),
    };
    let full = CustomerDetails {
        name: "Globex Ltd".into(),
        payment_term_days: 45,
        tax_id: Some("DE 123-456-789".into()),
        billing_address: Some(address("1 Main St", "Springfield")),
        shipping_addresses: vec![
            address("9 Dock Rd", "Shelbyville"),
            address("2 Yard Ln", "Ogdenville"),
        ],
        group_id: Some(group),
        price_list_id: Some(list),
        tax_treatment: TaxTreatment::Exempt {
            certificate: "EX-2026-17".into(),
            expires_on: Some(date(2026, 12, 31)),
        },
        backorder_policy: Default::default(),
        payment_term_id: None,
    };
    let customer_id = w.h.id();
    let sam = person("sam", &[Role::SalesManager, Role::CreditController]);

    let outcome = ok_as(
        &mut w.h,
        sam,
        RegisterCustomer {
            customer_id,
            details: full.clone(),
            credit_limit: Some(usd("7500.00")),
        },
    );

    assert_eq!(
        event(outcome),
        Event::CustomerRegistered(CustomerRegistered {
            customer_id,
            details: full.clone(),
            credit_limit: Some(usd("7500.00")),
        })
    );
    assert_eq!(
        customer(&w, customer_id),
        Customer {
            id: customer_id,
            details: full,
            credit_limit: Some(usd("7500.00")),
            blocked: None,
            active: true,
            receivable: Decimal::ZERO,
            uninvoiced_orders: Decimal::ZERO,
            dunning_level: None,
        }
    );
    assert_eq!(
        w.h.engine.read(|b| b.customer_by_tax_id("de123456789")),
        Some(customer_id)
    );
}

#[test]
fn a_second_customer_with_the_same_tax_id_in_any_spelling_is_refused_naming_the_first() {
    let mut w = World::new();
    let globex = new_customer(&mut w, with_tax_id("Globex", "DE 123-456-789"), None);

    for spelling in [
        "DE 123-456-789",
        "de123456789",
        "De.123.456.789",
        " DE-123 456-789 ",
    ] {
        let customer_id = w.h.id();
        let refusal = w.h.refused(RegisterCustomer {
            customer_id,
            details: with_tax_id("Globex Copy", spelling),
            credit_limit: None,
        });
        assert_eq!(
            refusal,
            DomainError::DuplicateTaxId {
                tax_id: spelling.into(),
                customer_id: globex,
            }
        );
    }
    // An existing customer cannot take it either.
    let acme = w.customer;
    let refusal = w.h.refused(ChangeCustomer {
        customer_id: acme,
        details: with_tax_id("Acme", "de-123-456-789"),
    });
    assert_eq!(
        refusal,
        DomainError::DuplicateTaxId {
            tax_id: "de-123-456-789".into(),
            customer_id: globex,
        }
    );
}

#[test]
fn changing_master_data_keeps_the_own_tax_id_and_frees_the_old_one() {
    let mut w = World::new();
    let globex = new_customer(&mut w, with_tax_id("Globex", "FR-111"), None);

    // Its own tax id, spelled differently, is not a duplicate.
    let renamed = CustomerDetails {
        payment_term_days: 60,
        ..with_tax_id("Globex International", "fr 111")
    };
    let outcome = w.h.ok(ChangeCustomer {
        customer_id: globex,
        details: renamed.clone(),
    });
    assert_eq!(
        event(outcome),
        Event::CustomerChanged(CustomerChanged {
            customer_id: globex,
            details: renamed.clone(),
        })
    );
    assert_eq!(customer(&w, globex).details, renamed);
    assert_eq!(customer(&w, globex).name(), "Globex International");

    // A new tax id frees the old one for someone else.
    w.h.ok(ChangeCustomer {
        customer_id: globex,
        details: with_tax_id("Globex International", "FR-222"),
    });
    let other = new_customer(&mut w, with_tax_id("Initech", "FR111"), None);
    w.h.engine.read(|b| {
        assert_eq!(b.customer_by_tax_id("fr-222"), Some(globex));
        assert_eq!(b.customer_by_tax_id("FR-111"), Some(other));
    });
}

#[test]
fn an_inactive_customer_cannot_get_a_new_quotation() {
    let mut w = World::new();
    let acme = w.customer;
    let outcome = w.h.ok(DeactivateCustomer {
        customer_id: acme,
        reason: "Merged into Globex".into(),
    });
    assert_eq!(
        event(outcome),
        Event::CustomerDeactivated(CustomerDeactivated {
            customer_id: acme,
            reason: "Merged into Globex".into(),
        })
    );
    assert!(!customer(&w, acme).active);

    let (order_id, warehouse_id, widget) = (w.h.id(), w.warehouse, w.widget);
    let refusal = w.h.refused(CreateQuotation {
        order_id,
        customer_id: acme,
        warehouse_id,
        lines: requested(&[(widget, "1")]),
        customer_reference: String::new(),
        shipping_policy: Default::default(),
        backorder_policy: None,
        urgent: false,
    });
    assert_eq!(refusal, DomainError::CustomerInactive { customer_id: acme });
    let again = w.h.refused(DeactivateCustomer {
        customer_id: acme,
        reason: "again".into(),
    });
    assert_eq!(
        again,
        DomainError::CustomerStatusUnchanged {
            customer_id: acme,
            change: CustomerStatusChange::Deactivated,
        }
    );

    w.h.ok(ReactivateCustomer {
        customer_id: acme,
        reason: "Contract renewed".into(),
    });
    let order_id = quotation(&mut w, &[(widget, "1")]);
    assert_eq!(order(&w, order_id).status, OrderStatus::Draft);
}

#[test]
fn the_credit_limit_is_the_customers_own_else_its_groups_default_else_none() {
    let mut w = World::new();
    let group = new_group(&mut w, "Wholesale", Some("5000.00"), None);
    let member = new_customer(
        &mut w,
        CustomerDetails {
            group_id: Some(group),
            ..details("Member", 30)
        },
        None,
    );
    let loner = new_customer(&mut w, details("Loner", 30), None);

    assert_eq!(credit_limit(&w, member), Some(usd("5000.00")), "group default");
    set_limit(&mut w, member, Some("2000.00"));
    assert_eq!(credit_limit(&w, member), Some(usd("2000.00")), "own limit wins");
    set_limit(&mut w, member, None);
    assert_eq!(
        credit_limit(&w, member),
        Some(usd("5000.00")),
        "back to the group"
    );
    assert_eq!(credit_limit(&w, loner), None, "no own limit, no group: none");
}

#[test]
fn confirmation_applies_the_limit_that_takes_precedence() {
    let mut w = World::new();
    let widget = w.widget;
    let group = new_group(&mut w, "Wholesale", Some("500.00"), None);
    let in_group = CustomerDetails {
        group_id: Some(group),
        ..details("Member", 30)
    };
    let member = new_customer(&mut w, in_group.clone(), None);
    let own = new_customer(&mut w, in_group, Some("1000.00"));
    let loner = new_customer(&mut w, details("Loner", 30), None);

    // 60 widgets = 600.00: over the group's 500.00, within the own 1,000.00, no limit at all.
    let held = create_quotation(&mut w, member, requested(&[(widget, "60")]));
    let e = confirm(&mut w, held);
    assert_eq!(e.credit_limit, Some(usd("500.00")));
    assert_eq!(
        e.credit_hold,
        Some(CreditHold {
            reasons: vec![CreditHoldReason::OverCreditLimit {
                exposure: usd("600.00"),
                limit: usd("500.00"),
            }],
        })
    );
    let fine = create_quotation(&mut w, own, requested(&[(widget, "60")]));
    let e = confirm(&mut w, fine);
    assert_eq!((e.credit_limit, e.credit_hold), (Some(usd("1000.00")), None));
    let unlimited = create_quotation(&mut w, loner, requested(&[(widget, "60000")]));
    let e = confirm(&mut w, unlimited);
    assert_eq!(e.exposure, usd("600000.00"));
    assert_eq!((e.credit_limit, e.credit_hold), (None, None));
}

#[test]
fn an_own_limit_of_zero_means_no_credit_at_all() {
    let mut w = World::new();
    let acme = w.customer;
    let gadget = w.gadget;
    set_limit(&mut w, acme, Some("0.00"));
    let order_id = quotation(&mut w, &[(gadget, "1")]);
    let e = confirm(&mut w, order_id);
    assert_eq!(
        e.credit_hold,
        Some(CreditHold {
            reasons: vec![CreditHoldReason::OverCreditLimit {
                exposure: usd("2.50"),
                limit: usd("0.00"),
            }],
        })
    );
}

#[test]
fn granting_credit_at_registration_needs_the_credit_controller_role() {
    let mut w = World::new();
    let customer_id = w.h.id();
    let refusal = refused_as(
        &mut w.h,
        manager(),
        RegisterCustomer {
            customer_id,
            details: details("Globex", 30),
            credit_limit: Some(usd("1000.00")),
        },
    );
    assert_eq!(
        refusal,
        not_authorized("max", "SetCreditLimit", &[Role::CreditController])
    );
    // Without a limit the sales manager may register it; the credit controller sets it.
    ok_as(
        &mut w.h,
        manager(),
        RegisterCustomer {
            customer_id,
            details: details("Globex", 30),
            credit_limit: None,
        },
    );
    let refusal = refused_as(
        &mut w.h,
        manager(),
        SetCreditLimit {
            customer_id,
            credit_limit: Some(usd("1000.00")),
            reason: "new account".into(),
        },
    );
    assert_eq!(
        refusal,
        not_authorized("max", "SetCreditLimit", &[Role::CreditController])
    );
    set_limit(&mut w, customer_id, Some("1000.00"));
    assert_eq!(customer(&w, customer_id).credit_limit, Some(usd("1000.00")));
}

#[test]
fn a_group_default_credit_limit_needs_the_credit_controller_role() {
    let mut w = World::new();
    let group_id = w.h.id();
    let refusal = refused_as(
        &mut w.h,
        manager(),
        RegisterCustomerGroup {
            group_id,
            name: "Friends of Max".into(),
            default_credit_limit: Some(usd("1000000.00")),
            default_price_list_id: None,
        },
    );
    assert_eq!(
        refusal,
        not_authorized("max", "SetCreditLimit", &[Role::CreditController])
    );
}

#[test]
fn blocking_and_unblocking_a_customer_records_the_reason_and_refuses_no_op_changes() {
    let mut w = World::new();
    let acme = w.customer;
    let outcome = ok_as(
        &mut w.h,
        controller(),
        BlockCustomer {
            customer_id: acme,
            reason: "Cheque bounced".into(),
        },
    );
    assert_eq!(
        event(outcome),
        Event::CustomerBlocked(CustomerBlocked {
            customer_id: acme,
            reason: "Cheque bounced".into(),
        })
    );
    assert_eq!(customer(&w, acme).blocked.as_deref(), Some("Cheque bounced"));
    let refusal = refused_as(
        &mut w.h,
        controller(),
        BlockCustomer {
            customer_id: acme,
            reason: "again".into(),
        },
    );
    assert_eq!(
        refusal,
        DomainError::CustomerStatusUnchanged {
            customer_id: acme,
            change: CustomerStatusChange::Blocked,
        }
    );

    let outcome = ok_as(
        &mut w.h,
        controller(),
        UnblockCustomer {
            customer_id: acme,
            reason: "Paid in cash".into(),
        },
    );
    assert_eq!(
        event(outcome),
        Event::CustomerUnblocked(CustomerUnblocked {
            customer_id: acme,
            reason: "Paid in cash".into(),
        })
    );
    assert_eq!(customer(&w, acme).blocked, None);
    let refusal = refused_as(
        &mut w.h,
        controller(),
        UnblockCustomer {
            customer_id: acme,
            reason: "again".into(),
        },
    );
    assert_eq!(
        refusal,
        DomainError::CustomerStatusUnchanged {
            customer_id: acme,
            change: CustomerStatusChange::Unblocked,
        }
    );
    let refusal = refused_as(
        &mut w.h,
        manager(),
        BlockCustomer {
            customer_id: acme,
            reason: "I don't like them".into(),
        },
    );
    assert_eq!(
        refusal,
        not_authorized("max", "BlockCustomer", &[Role::CreditController])
    );
}

#[test]
fn a_quotation_of_a_customer_made_inactive_can_be_neither_revalidated_nor_confirmed() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    let order_id = quotation(&mut w, &[(widget, "1")]);
    ok_as(
        &mut w.h,
        admin(),
        DeactivateCustomer {
            customer_id: acme,
            reason: "closed down".into(),
        },
    );
    let inactive = DomainError::CustomerInactive { customer_id: acme };
    assert_eq!(w.h.refused(RevalidateQuotation { order_id }), inactive);
    assert_eq!(w.h.refused(ConfirmOrder { order_id }), inactive);
}
