//! Quotations priced from the list price, their lines and their numbering.

use crate::common::*;
use crate::support::{World, dec, usd};
use o2c::Event;
use o2c::chrono::NaiveDate;
use o2c::order::{
    AddQuotationLine, CreateQuotation, InvoicingStatus, OrderStatus, QuotationCreated, QuotationLineAdded,
    QuotedLine,
};
use o2c::pricing::PriceSource;
use o2c::rust_decimal::Decimal;

#[test]
fn a_quotation_prices_its_lines_from_the_list_price() {
    let mut w = World::new();
    let (widget, flour, customer_id, warehouse_id) = (w.widget, w.flour, w.customer, w.warehouse);
    let order_id = w.h.id();

    let event = only(w.h.ok(CreateQuotation {
        order_id,
        customer_id,
        warehouse_id,
        lines: requested(&[(widget, "3"), (flour, "1.5")]),
        customer_reference: "ACME-PO-7".into(),
        shipping_policy: Default::default(),
        backorder_policy: None,
        urgent: false,
    }));

    assert_eq!(
        event,
        Event::QuotationCreated(QuotationCreated {
            order_id,
            customer_id,
            warehouse_id,
            currency: usd_code(),
            customer_reference: "ACME-PO-7".into(),
            lines: vec![
                QuotedLine {
                    line: 1,
                    product_id: widget,
                    quantity: dec("3"),
                    unit: "pcs".into(),
                    unit_price: usd("10.00"),
                    price_source: PriceSource::ListPrice,
                    discount_percent: Decimal::ZERO,
                    promised_date: None,
                    stock_per_unit: Decimal::ONE,
                    warehouse_id: None,
                    invoice_policy: Default::default(),
                },
                QuotedLine {
                    line: 2,
                    product_id: flour,
                    quantity: dec("1.5"),
                    unit: "kg".into(),
                    unit_price: usd("4.00"),
                    price_source: PriceSource::ListPrice,
                    discount_percent: Decimal::ZERO,
                    promised_date: None,
                    stock_per_unit: Decimal::ONE,
                    warehouse_id: None,
                    invoice_policy: Default::default(),
                },
            ],
            price_list_id: None,
            // Business date 2026-03-02 plus the company's default validity of 30 days.
            valid_until: NaiveDate::from_ymd_opt(2026, 4, 1),
            shipping_policy: Default::default(),
            backorder_policy: None,
            urgent: false,
        })
    );
    let quotation = order(&w, order_id);
    assert_eq!(quotation.status, OrderStatus::Draft);
    assert_eq!(quotation.lines.iter().map(|l| l.line).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(quotation.invoicing_status(), InvoicingStatus::NothingToInvoice);
    assert_eq!(
        customer(&w).exposure(),
        Decimal::ZERO,
        "a quotation promises nothing"
    );
}

#[test]
fn adding_a_line_to_a_quotation_numbers_it_next_and_prices_it() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let order_id = quote(&mut w, &[(widget, "1"), (widget, "2")]);

    let event = only(w.h.ok(AddQuotationLine {
        order_id,
        product_id: gadget,
        quantity: dec("4"),
        discount_percent: Decimal::ZERO,
        promised_date: None,
        unit: None,
        warehouse_id: None,
    }));

    assert_eq!(
        event,
        Event::QuotationLineAdded(QuotationLineAdded {
            order_id,
            line: QuotedLine {
                line: 3,
                product_id: gadget,
                quantity: dec("4"),
                unit: "pcs".into(),
                unit_price: usd("2.50"),
                price_source: PriceSource::ListPrice,
                discount_percent: Decimal::ZERO,
                promised_date: None,
                stock_per_unit: o2c::rust_decimal::Decimal::ONE,
                warehouse_id: None,
                invoice_policy: Default::default(),
            },
        })
    );
    assert_eq!(order(&w, order_id).lines.len(), 3);
}

#[test]
fn a_quotation_may_start_empty_and_get_its_first_line_later() {
    let mut w = World::new();
    let flour = w.flour;
    let order_id = quote(&mut w, &[]);

    w.h.ok(AddQuotationLine {
        order_id,
        product_id: flour,
        quantity: dec("0.25"),
        discount_percent: Decimal::ZERO,
        promised_date: None,
        unit: None,
        warehouse_id: None,
    });

    let first = line(&w, order_id, 1);
    assert_eq!(
        (first.product_id, first.quantity, first.unit.as_str()),
        (flour, dec("0.25"), "kg")
    );
}
