//! Ids, SKUs, warehouse codes and the company used twice, and commands before the company is set up.

use crate::common::*;
use crate::support::{Harness, World, dec, details, person, usd};
use o2c::company::SetUpCompany;
use o2c::customer::RegisterCustomer;
use o2c::invoice::{CancelInvoice, CreateInvoice, PostInvoice};
use o2c::order::{AddQuotationLine, ConfirmOrder, CreateQuotation, ReserveStock};
use o2c::payment::{AllocatePayment, PaymentMethod, ReceivePayment};
use o2c::product::RegisterProduct;
use o2c::rust_decimal::Decimal;
use o2c::shipment::{ShipLine, ShipOrder};
use o2c::stock::ReceiveStock;
use o2c::warehouse::RegisterWarehouse;
use o2c::{
    Command, CompanyId, CustomerId, DomainError, EntityKind, InvoiceId, OrderId, PaymentId, ProductId, Role,
    ShipmentId, WarehouseId,
};

#[test]
fn a_customer_id_reused_as_an_order_id_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let command = quotation(&w, w.customer.0.into(), &[(widget, "1")]);

    assert_eq!(
        w.h.refused(command),
        DomainError::IdAlreadyUsed {
            id: w.customer.0,
            kind: EntityKind::Customer
        }
    );
}

#[test]
fn registering_a_product_id_twice_is_refused() {
    let mut w = World::new();
    let mut command = product("WIDGET-2", pieces(), usd("1.00"));
    command.product_id = w.widget;

    assert_eq!(
        w.h.refused(command),
        DomainError::IdAlreadyUsed {
            id: w.widget.0,
            kind: EntityKind::Product
        }
    );
}

#[test]
fn the_company_id_cannot_name_a_warehouse() {
    let mut w = World::new();
    let company_id = w.h.engine.read(|b| b.company().map(|c| c.id)).unwrap();

    assert_eq!(
        w.h.refused(RegisterWarehouse {
            warehouse_id: company_id.0.into(),
            code: "WH-2".into(),
            name: "Two".into(),
            route: Default::default(),
            reservation: Default::default(),
        }),
        DomainError::IdAlreadyUsed {
            id: company_id.0,
            kind: EntityKind::Company
        }
    );
}

#[test]
fn document_ids_are_unique_across_orders_shipments_invoices_and_payments() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "1")]);
    let invoice_id = posted_invoice(&mut w, order_id);
    let payment_id = pay(&mut w, usd("10.00"));
    let customer_id = w.customer;

    assert_eq!(
        w.h.refused(ReceivePayment {
            payment_id: invoice_id.0.into(),
            customer_id,
            amount: usd("1.00"),
            method: PaymentMethod::Card,
            reference: String::new(),
        }),
        DomainError::IdAlreadyUsed {
            id: invoice_id.0,
            kind: EntityKind::Invoice
        }
    );
    assert_eq!(
        w.h.refused(CreateInvoice {
            invoice_id: payment_id.0.into(),
            order_id,
            additional_orders: vec![],
            currency: None,
        }),
        DomainError::IdAlreadyUsed {
            id: payment_id.0,
            kind: EntityKind::Payment
        }
    );
    assert_eq!(
        w.h.refused(ShipOrder {
            shipment_id: order_id.0.into(),
            order_id,
            lines: vec![],
            warehouse_id: None,
            carrier: String::new(),
            tracking_reference: String::new(),
        }),
        DomainError::IdAlreadyUsed {
            id: order_id.0,
            kind: EntityKind::Order
        }
    );
}

#[test]
fn a_shipment_id_used_twice_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    receive(&mut w, widget, "2");
    let order_id = confirmed(&mut w, &[(widget, "2")]);
    w.h.ok(ReserveStock { order_id });
    let shipment_id: ShipmentId = w.h.id();
    w.h.ok(ShipOrder {
        shipment_id,
        order_id,
        lines: vec![ShipLine {
            line: 1,
            quantity: dec("1"),
        }],
        warehouse_id: None,
        carrier: String::new(),
        tracking_reference: String::new(),
    });

    assert_eq!(
        w.h.refused(ShipOrder {
            shipment_id,
            order_id,
            lines: vec![],
            warehouse_id: None,
            carrier: String::new(),
            tracking_reference: String::new(),
        }),
        DomainError::IdAlreadyUsed {
            id: shipment_id.0,
            kind: EntityKind::Shipment
        }
    );
}

#[test]
fn a_sku_used_twice_is_refused() {
    let mut w = World::new();

    assert_eq!(
        w.h.refused(product("WIDGET", pieces(), usd("11.00"))),
        DomainError::SkuAlreadyUsed {
            sku: "WIDGET".into(),
            product_id: w.widget
        }
    );
}

#[test]
fn a_warehouse_code_used_twice_is_refused() {
    let mut w = World::new();

    assert_eq!(
        w.h.refused(RegisterWarehouse {
            warehouse_id: unknown(),
            code: "WH-1".into(),
            name: "Another".into(),
            route: Default::default(),
            reservation: Default::default(),
        }),
        DomainError::WarehouseCodeAlreadyUsed {
            code: "WH-1".into(),
            warehouse_id: w.warehouse
        }
    );
}

#[test]
fn setting_up_the_company_twice_is_refused() {
    let mut w = World::new();
    let company_id = w.h.engine.read(|b| b.company().map(|c| c.id)).unwrap();
    let another: CompanyId = unknown();
    // An administrator of both companies, so that only the book's rule can refuse.
    let admin = person("ada.admin", &[Role::Admin]).member_of(another, [Role::Admin]);

    assert_eq!(
        w.h.refused(company(currency("EUR", 2), vec![])),
        DomainError::CompanyAlreadySetUp { company_id }
    );
    let second_company = SetUpCompany {
        company_id: another,
        ..company(currency("EUR", 2), vec![])
    };
    assert_eq!(
        w.h.as_actor(admin, |h| h.refused(second_company)),
        DomainError::CompanyAlreadySetUp { company_id }
    );
}

#[test]
fn every_command_before_the_company_is_set_up_is_refused() {
    let mut h = Harness::empty();
    let (customer_id, product_id, warehouse_id): (CustomerId, ProductId, WarehouseId) =
        (h.id(), h.id(), h.id());
    let (order_id, invoice_id, payment_id): (OrderId, InvoiceId, PaymentId) = (h.id(), h.id(), h.id());
    let commands: Vec<Command> = vec![
        RegisterCustomer {
            customer_id,
            details: details("Acme", 30),
            credit_limit: None,
        }
        .into(),
        RegisterProduct {
            product_id,
            ..product("WIDGET", pieces(), usd("10.00"))
        }
        .into(),
        RegisterWarehouse {
            warehouse_id,
            code: "WH-1".into(),
            name: "Main".into(),
            route: Default::default(),
            reservation: Default::default(),
        }
        .into(),
        ReceiveStock {
            product_id,
            warehouse_id,
            quantity: dec("1"),
            reference: String::new(),
            location_id: None,
            lots: vec![],
        }
        .into(),
        CreateQuotation {
            order_id,
            customer_id,
            warehouse_id,
            lines: vec![],
            customer_reference: String::new(),
            shipping_policy: Default::default(),
            backorder_policy: None,
            urgent: false,
        }
        .into(),
        AddQuotationLine {
            order_id,
            product_id,
            quantity: dec("1"),
            discount_percent: Decimal::ZERO,
            promised_date: None,
            unit: None,
            warehouse_id: None,
        }
        .into(),
        ConfirmOrder { order_id }.into(),
        ReserveStock { order_id }.into(),
        ShipOrder {
            shipment_id: h.id(),
            order_id,
            lines: vec![],
            warehouse_id: None,
            carrier: String::new(),
            tracking_reference: String::new(),
        }
        .into(),
        CreateInvoice {
            invoice_id,
            order_id,
            additional_orders: vec![],
            currency: None,
        }
        .into(),
        PostInvoice { invoice_id }.into(),
        CancelInvoice {
            invoice_id,
            reason: "test".into(),
        }
        .into(),
        ReceivePayment {
            payment_id,
            customer_id,
            amount: usd("1.00"),
            method: PaymentMethod::Cash,
            reference: String::new(),
        }
        .into(),
        AllocatePayment {
            payment_id,
            invoice_id,
            amount: usd("1.00"),
            installment: None,
        }
        .into(),
    ];

    for command in commands {
        let name = command.name();
        assert_eq!(h.refused(command), DomainError::CompanyNotSetUp, "{name}");
    }
    assert_eq!(h.engine.head().position, 0);
}
