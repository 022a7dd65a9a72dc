//! Who may do what: role boundaries, the auditor, other companies, a replaced policy.

use crate::common::*;
use crate::support::{ALL_ROLES, COMPANY, World, dec, details, person, usd};
use o2c::customer::{BlockCustomer, RegisterCustomer, SetCreditLimit, UnblockCustomer};
use o2c::invoice::{CreateInvoice, PostInvoice};
use o2c::order::{
    ApproveDiscount, CancelOrder, CloseOrder, ConfirmOrder, CreateQuotation, HoldOrder, OrderStatus,
    ReleaseCreditHold, ReleaseOrder, ReserveStock, SendQuotation,
};
use o2c::payment::{AllocatePayment, PaymentMethod, ReceivePayment};
use o2c::pricing::{AddPriceRule, RuleScope};
use o2c::rust_decimal::Decimal;
use o2c::shipment::ShipOrder;
use o2c::stock::ReceiveStock;
use o2c::uuid::Uuid;
use o2c::{
    Actor, Command, CompanyId, CustomerId, DomainError, InvoiceId, OrderId, Policy, PriceRuleId, Role,
    ShipmentId,
};

#[test]
fn the_whole_flow_runs_with_each_step_done_by_its_own_role() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    let warehouse_id = w.warehouse;
    let h = &mut w.h;
    ok_as(
        h,
        controller(),
        SetCreditLimit {
            customer_id: acme,
            credit_limit: Some(usd("500.00")),
            reason: "Review".into(),
        },
    );
    ok_as(
        h,
        picker(),
        ReceiveStock {
            product_id: widget,
            warehouse_id,
            quantity: dec("10"),
            reference: "PO".into(),
            location_id: None,
            lots: vec![],
        },
    );
    let order_id = h.id();
    ok_as(
        h,
        rep(),
        CreateQuotation {
            order_id,
            customer_id: acme,
            warehouse_id,
            lines: vec![discounted(widget, "10", "20")],
            customer_reference: String::new(),
            shipping_policy: Default::default(),
            backorder_policy: None,
            urgent: false,
        },
    );
    ok_as(h, rep(), SendQuotation { order_id });
    ok_as(
        h,
        manager(),
        ApproveDiscount {
            order_id,
            note: "OK".into(),
        },
    );
    ok_as(h, rep(), ConfirmOrder { order_id });
    ok_as(h, picker(), ReserveStock { order_id });
    let shipment_id = h.id();
    ok_as(
        h,
        picker(),
        ShipOrder {
            shipment_id,
            order_id,
            lines: vec![],
            warehouse_id: None,
            carrier: String::new(),
            tracking_reference: String::new(),
        },
    );
    let invoice_id = h.id();
    ok_as(
        h,
        clerk(),
        CreateInvoice {
            invoice_id,
            order_id,
            additional_orders: vec![],
            currency: None,
        },
    );
    ok_as(h, clerk(), PostInvoice { invoice_id });
    let payment_id = h.id();
    ok_as(
        h,
        clerk(),
        ReceivePayment {
            payment_id,
            customer_id: acme,
            amount: usd("80.00"),
            method: PaymentMethod::Card,
            reference: String::new(),
        },
    );
    ok_as(
        h,
        clerk(),
        AllocatePayment {
            payment_id,
            invoice_id,
            amount: usd("80.00"),
            installment: None,
        },
    );
    let c = customer(&w, acme);
    assert_eq!(
        (c.receivable, c.uninvoiced_orders),
        (Decimal::ZERO, Decimal::ZERO)
    );
}

#[test]
fn each_role_is_refused_outside_its_duties() {
    let mut w = World::new();
    let (acme, widget, gadget) = (w.customer, w.widget, w.gadget);
    let warehouse_id = w.warehouse;
    let draft = quotation(&mut w, &[(widget, "1")]);
    receive(&mut w, widget, "5");
    let open = confirmed(&mut w, &[(widget, "5")]);
    reserve(&mut w, open);
    let shipped = delivered(&mut w, &[(gadget, "1")]);
    let draft_invoice: InvoiceId = w.h.id();
    w.h.ok(CreateInvoice {
        invoice_id: draft_invoice,
        order_id: shipped,
        additional_orders: vec![],
        currency: None,
    });
    let list = new_price_list(&mut w, "Trade");
    let (new_order, new_customer_id, new_shipment, new_invoice, new_rule) = (
        w.h.id::<OrderId>(),
        w.h.id::<CustomerId>(),
        w.h.id::<ShipmentId>(),
        w.h.id::<InvoiceId>(),
        w.h.id::<PriceRuleId>(),
    );

    use Role::*;
    let cases: Vec<(Actor, Command, &'static str, Vec<Role>)> = vec![
        (
            rep(),
            PostInvoice {
                invoice_id: draft_invoice,
            }
            .into(),
            "PostInvoice",
            vec![BillingClerk],
        ),
        (
            picker(),
            ConfirmOrder { order_id: draft }.into(),
            "ConfirmOrder",
            vec![SalesRep, SalesManager],
        ),
        (
            admin(),
            ConfirmOrder { order_id: draft }.into(),
            "ConfirmOrder",
            vec![SalesRep, SalesManager],
        ),
        (
            clerk(),
            ShipOrder {
                shipment_id: new_shipment,
                order_id: open,
                lines: vec![],
                warehouse_id: None,
                carrier: String::new(),
                tracking_reference: String::new(),
            }
            .into(),
            "ShipOrder",
            vec![WarehouseOperator, WarehouseManager],
        ),
        (
            controller(),
            CreateQuotation {
                order_id: new_order,
                customer_id: acme,
                warehouse_id,
                lines: vec![],
                customer_reference: String::new(),
                shipping_policy: Default::default(),
                backorder_policy: None,
                urgent: false,
            }
            .into(),
            "CreateQuotation",
            vec![SalesRep, SalesManager],
        ),
        (
            rep(),
            SetCreditLimit {
                customer_id: acme,
                credit_limit: None,
                reason: "Unlimited!".into(),
            }
            .into(),
            "SetCreditLimit",
            vec![CreditController],
        ),
        (
            rep(),
            UnblockCustomer {
                customer_id: acme,
                reason: "x".into(),
            }
            .into(),
            "UnblockCustomer",
            vec![CreditController],
        ),
        (
            rep(),
            CloseOrder {
                order_id: open,
                reason: "x".into(),
            }
            .into(),
            "CloseOrder",
            vec![SalesManager],
        ),
        (
            manager(),
            ReceiveStock {
                product_id: widget,
                warehouse_id,
                quantity: dec("1"),
                reference: String::new(),
                location_id: None,
                lots: vec![],
            }
            .into(),
            "ReceiveStock",
            vec![WarehouseOperator, WarehouseManager],
        ),
        (
            picker(),
            CreateInvoice {
                invoice_id: new_invoice,
                order_id: shipped,
                additional_orders: vec![],
                currency: None,
            }
            .into(),
            "CreateInvoice",
            vec![BillingClerk],
        ),
        (
            rep(),
            RegisterCustomer {
                customer_id: new_customer_id,
                details: details("Sneaky", 30),
                credit_limit: None,
            }
            .into(),
            "RegisterCustomer",
            vec![SalesManager, Admin],
        ),
        (
            manager(),
            settings(|s| s.discount_approval_threshold = dec("100")).into(),
            "ChangeCompanySettings",
            vec![Admin],
        ),
        (
            clerk(),
            CancelOrder {
                order_id: open,
                reason: "x".into(),
            }
            .into(),
            "CancelOrder",
            vec![SalesRep, SalesManager],
        ),
        (
            rep(),
            AddPriceRule {
                price_list_id: list,
                rule: rule(new_rule, RuleScope::AllProducts, "0", off_list("50")),
            }
            .into(),
            "AddPriceRule",
            vec![SalesManager, Admin],
        ),
        (
            controller(),
            ApproveDiscount {
                order_id: draft,
                note: String::new(),
            }
            .into(),
            "ApproveDiscount",
            vec![SalesManager],
        ),
    ];
    for (actor, command, name, required) in cases {
        let who = actor.id.clone();
        let refusal = refused_as(&mut w.h, actor, command);
        assert_eq!(
            refusal,
            DomainError::NotAuthorized {
                actor: who.clone(),
                command: name,
                company: COMPANY,
                required,
            },
            "{who} issuing {name}"
        );
    }
}

#[test]
fn an_auditor_may_issue_nothing() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    let warehouse_id = w.warehouse;
    receive(&mut w, widget, "5");
    let draft = quotation(&mut w, &[(widget, "1")]);
    let open = confirmed(&mut w, &[(widget, "5")]);
    let (order_id, shipment_id, invoice_id, payment_id) = (
        w.h.id::<OrderId>(),
        w.h.id::<ShipmentId>(),
        w.h.id::<InvoiceId>(),
        w.h.id(),
    );
    let commands: Vec<Command> = vec![
        CreateQuotation {
            order_id,
            customer_id: acme,
            warehouse_id,
            lines: vec![],
            customer_reference: String::new(),
            shipping_policy: Default::default(),
            backorder_policy: None,
            urgent: false,
        }
        .into(),
        SendQuotation { order_id: draft }.into(),
        ConfirmOrder { order_id: draft }.into(),
        ApproveDiscount {
            order_id: draft,
            note: String::new(),
        }
        .into(),
        HoldOrder {
            order_id: open,
            reason: "x".into(),
        }
        .into(),
        ReserveStock { order_id: open }.into(),
        ShipOrder {
            shipment_id,
            order_id: open,
            lines: vec![],
            warehouse_id: None,
            carrier: String::new(),
            tracking_reference: String::new(),
        }
        .into(),
        CreateInvoice {
            invoice_id,
            order_id: open,
            additional_orders: vec![],
            currency: None,
        }
        .into(),
        ReceivePayment {
            payment_id,
            customer_id: acme,
            amount: usd("1.00"),
            method: PaymentMethod::Cash,
            reference: String::new(),
        }
        .into(),
        BlockCustomer {
            customer_id: acme,
            reason: "x".into(),
        }
        .into(),
        ReleaseCreditHold {
            order_id: open,
            note: "x".into(),
        }
        .into(),
        settings(|_| {}).into(),
    ];
    let policy = Policy::standard();
    for command in commands {
        let name = command.name();
        let refusal = refused_as(&mut w.h, auditor(), command);
        assert_eq!(
            refusal,
            DomainError::NotAuthorized {
                actor: actor_id("ada"),
                command: name,
                company: COMPANY,
                required: policy.roles_for(name).into_iter().collect(),
            }
        );
    }
    // Reading is what an auditor does, and reading needs no command.
    assert_eq!(order(&w, open).status, OrderStatus::Confirmed);
}

#[test]
fn an_actor_of_another_company_only_is_refused_naming_the_company_and_roles() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    let warehouse_id = w.warehouse;
    let elsewhere = CompanyId(Uuid::from_u128(0xe15e));
    let olga = Actor::new(actor_id("olga")).member_of(elsewhere, ALL_ROLES);
    let order_id = w.h.id();
    let refusal = refused_as(
        &mut w.h,
        olga,
        CreateQuotation {
            order_id,
            customer_id: acme,
            warehouse_id,
            lines: requested(&[(widget, "1")]),
            customer_reference: String::new(),
            shipping_policy: Default::default(),
            backorder_policy: None,
            urgent: false,
        },
    );
    assert_eq!(
        refusal,
        not_authorized("olga", "CreateQuotation", &[Role::SalesRep, Role::SalesManager])
    );
    // Roles held elsewhere do not count even for a member of both companies.
    let both = person("bea", &[Role::Auditor]).member_of(elsewhere, [Role::SalesRep]);
    let refusal = refused_as(
        &mut w.h,
        both,
        CreateQuotation {
            order_id,
            customer_id: acme,
            warehouse_id,
            lines: vec![],
            customer_reference: String::new(),
            shipping_policy: Default::default(),
            backorder_policy: None,
            urgent: false,
        },
    );
    assert_eq!(
        refusal,
        not_authorized("bea", "CreateQuotation", &[Role::SalesRep, Role::SalesManager])
    );
}

#[test]
fn a_replaced_policy_changes_who_may_do_what() {
    let mut w = World::new();
    let widget = w.widget;
    let draft = quotation_by(&mut w, rep(), requested(&[(widget, "1")]));
    let open = confirmed(&mut w, &[(widget, "1")]);

    let mut policy = Policy::standard();
    policy
        .allowed
        .get_mut("HoldOrder")
        .unwrap()
        .insert(Role::SalesRep);
    policy
        .allowed
        .insert("ConfirmOrder".into(), [Role::SalesManager].into_iter().collect());
    policy.allowed.remove("CancelOrder");
    w.h.engine.set_policy(policy);

    let outcome = ok_as(
        &mut w.h,
        rep(),
        HoldOrder {
            order_id: open,
            reason: "Reps may hold now".into(),
        },
    );
    assert_eq!(only(&outcome).actor, actor_id("rita"));
    assert_eq!(
        refused_as(&mut w.h, rep(), ConfirmOrder { order_id: draft }),
        not_authorized("rita", "ConfirmOrder", &[Role::SalesManager])
    );
    assert_eq!(
        w.h.refused(CancelOrder {
            order_id: draft,
            reason: "Nobody may".into(),
        }),
        not_authorized("tester", "CancelOrder", &[])
    );
    ok_as(&mut w.h, manager(), ConfirmOrder { order_id: draft });

    w.h.engine.set_policy(Policy::standard());
    assert_eq!(
        refused_as(
            &mut w.h,
            rep(),
            ReleaseOrder {
                order_id: open,
                reason: "x".into(),
            }
        ),
        not_authorized("rita", "ReleaseOrder", &[Role::SalesManager])
    );
    let again = quotation_by(&mut w, rep(), requested(&[(widget, "1")]));
    ok_as(&mut w.h, rep(), ConfirmOrder { order_id: again });
}
