//! Unknown references: customers, products, warehouses, orders, order lines, invoices and payments.

use crate::common::*;
use crate::support::{World, dec, usd};
use o2c::invoice::{CancelInvoice, CreateInvoice, PostInvoice};
use o2c::order::{AddQuotationLine, ConfirmOrder, ReserveStock};
use o2c::payment::AllocatePayment;
use o2c::rust_decimal::Decimal;
use o2c::shipment::ShipOrder;
use o2c::stock::ReceiveStock;
use o2c::uuid::Uuid;
use o2c::{Command, CustomerId, DomainError, InvoiceId, OrderId, PaymentId, ProductId, WarehouseId};

#[test]
fn a_quotation_for_an_unknown_customer_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let mut command = quotation(&w, unknown(), &[(widget, "1")]);
    let stranger: CustomerId = Uuid::from_u128(0x5_7a11).into();
    command.customer_id = stranger;

    assert_eq!(
        w.h.refused(command),
        DomainError::UnknownCustomer {
            customer_id: stranger
        }
    );
}

#[test]
fn a_payment_from_an_unknown_customer_is_refused() {
    let mut w = World::new();
    let mut command = payment(&w, usd("10.00"));
    command.customer_id = Uuid::from_u128(0x5_7a11).into();

    assert_eq!(
        w.h.refused(command),
        DomainError::UnknownCustomer {
            customer_id: Uuid::from_u128(0x5_7a11).into()
        }
    );
}

#[test]
fn a_quotation_line_for_an_unknown_product_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let ghost: ProductId = unknown();
    let command = quotation(&w, unknown(), &[(widget, "1"), (ghost, "1")]);

    assert_eq!(
        w.h.refused(command),
        DomainError::UnknownProduct { product_id: ghost }
    );
}

#[test]
fn adding_a_line_for_an_unknown_product_is_refused() {
    let mut w = World::new();
    let order_id = quote(&mut w, &[]);
    let ghost: ProductId = unknown();

    assert_eq!(
        w.h.refused(AddQuotationLine {
            order_id,
            product_id: ghost,
            quantity: dec("1"),
            discount_percent: Decimal::ZERO,
            promised_date: None,
            unit: None,
            warehouse_id: None,
        }),
        DomainError::UnknownProduct { product_id: ghost }
    );
}

#[test]
fn receiving_an_unknown_product_is_refused() {
    let mut w = World::new();
    let ghost: ProductId = unknown();
    let warehouse_id = w.warehouse;

    assert_eq!(
        w.h.refused(ReceiveStock {
            product_id: ghost,
            warehouse_id,
            quantity: dec("1"),
            reference: String::new(),
            location_id: None,
            lots: vec![],
        }),
        DomainError::UnknownProduct { product_id: ghost }
    );
}

#[test]
fn a_quotation_from_an_unknown_warehouse_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let nowhere: WarehouseId = unknown();
    let mut command = quotation(&w, unknown(), &[(widget, "1")]);
    command.warehouse_id = nowhere;

    assert_eq!(
        w.h.refused(command),
        DomainError::UnknownWarehouse {
            warehouse_id: nowhere
        }
    );
}

#[test]
fn receiving_into_an_unknown_warehouse_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let nowhere: WarehouseId = unknown();

    assert_eq!(
        w.h.refused(ReceiveStock {
            product_id: widget,
            warehouse_id: nowhere,
            quantity: dec("1"),
            reference: String::new(),
            location_id: None,
            lots: vec![],
        }),
        DomainError::UnknownWarehouse {
            warehouse_id: nowhere
        }
    );
}

#[test]
fn every_order_command_refuses_an_unknown_order() {
    let mut w = World::new();
    let widget = w.widget;
    let ghost: OrderId = unknown();
    let commands: Vec<Command> = vec![
        AddQuotationLine {
            order_id: ghost,
            product_id: widget,
            quantity: dec("1"),
            discount_percent: Decimal::ZERO,
            promised_date: None,
            unit: None,
            warehouse_id: None,
        }
        .into(),
        ConfirmOrder { order_id: ghost }.into(),
        ReserveStock { order_id: ghost }.into(),
        ShipOrder {
            shipment_id: Uuid::from_u128(0x5417).into(),
            order_id: ghost,
            lines: vec![],
            warehouse_id: None,
            carrier: String::new(),
            tracking_reference: String::new(),
        }
        .into(),
        CreateInvoice {
            invoice_id: Uuid::from_u128(0x1471).into(),
            order_id: ghost,
            additional_orders: vec![],
            currency: None,
        }
        .into(),
    ];

    for command in commands {
        assert_eq!(
            w.h.refused(command),
            DomainError::UnknownOrder { order_id: ghost }
        );
    }
}

#[test]
fn posting_or_cancelling_an_unknown_invoice_is_refused() {
    let mut w = World::new();
    let ghost: InvoiceId = unknown();

    assert_eq!(
        w.h.refused(PostInvoice { invoice_id: ghost }),
        DomainError::UnknownInvoice { invoice_id: ghost }
    );
    assert_eq!(
        w.h.refused(CancelInvoice {
            invoice_id: ghost,
            reason: "typo".into()
        }),
        DomainError::UnknownInvoice { invoice_id: ghost }
    );
}

#[test]
fn allocating_to_an_unknown_invoice_is_refused() {
    let mut w = World::new();
    let payment_id = pay(&mut w, usd("10.00"));
    let ghost: InvoiceId = unknown();

    assert_eq!(
        w.h.refused(AllocatePayment {
            payment_id,
            invoice_id: ghost,
            amount: usd("10.00"),
            installment: None,
        }),
        DomainError::UnknownInvoice { invoice_id: ghost }
    );
}

#[test]
fn allocating_an_unknown_payment_is_refused() {
    let mut w = World::new();
    let invoice_id = widget_invoice(&mut w, "1");
    let ghost: PaymentId = unknown();

    assert_eq!(
        w.h.refused(AllocatePayment {
            payment_id: ghost,
            invoice_id,
            amount: usd("10.00"),
            installment: None,
        }),
        DomainError::UnknownPayment { payment_id: ghost }
    );
}

#[test]
fn shipping_an_unknown_order_line_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = reserved(&mut w, &[(widget, "2")]);

    assert_eq!(
        w.h.refused(ship_lines(order_id, &[(1, "1"), (3, "1")])),
        DomainError::UnknownOrderLine { order_id, line: 3 }
    );
}
