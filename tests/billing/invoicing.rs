//! What an invoice bills: each product's invoice policy (ordered or delivered quantities)
//! and the order's invoicing status; one invoice for several orders of a customer; down
//! payments invoiced on a confirmed order and deducted from its final invoice.

use crate::common::*;
use crate::support::{World, dec, details, usd};
use o2c::customer::RegisterCustomer;
use o2c::invoice::{
    CreateDownPaymentInvoice, CreateInvoice, Deduction, DownPaymentAmount, InvoiceCreated, InvoiceLine,
    InvoicePolicy, InvoiceStatus, PostInvoice,
};
use o2c::order::InvoicingStatus;
use o2c::rust_decimal::Decimal;
use o2c::{DomainError, Event};

#[test]
fn a_product_invoiced_on_ordered_quantities_is_invoiceable_right_after_confirmation() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    set_billing(&mut w, widget, InvoicePolicy::OnOrdered, &[]);
    let order_id = confirmed(&mut w, &[(widget, "5"), (gadget, "2")]);

    assert_eq!(line(&w, order_id, 1).invoice_policy, InvoicePolicy::OnOrdered);
    assert_eq!(line(&w, order_id, 2).invoice_policy, InvoicePolicy::OnDelivered);
    assert_eq!(
        (invoiceable(&w, order_id, 1), invoiceable(&w, order_id, 2)),
        (dec("5"), dec("0")),
        "nothing is delivered yet: only the widgets are invoiceable"
    );
    assert_eq!(order(&w, order_id).invoicing_status(), InvoicingStatus::ToInvoice);

    let invoice_id = draft_invoice(&mut w, order_id);

    let draft = invoice(&w, invoice_id);
    assert_eq!(draft.lines.len(), 1);
    assert_eq!(
        (
            draft.lines[0].order_line,
            draft.lines[0].quantity,
            draft.lines[0].amount
        ),
        (1, dec("5"), usd("50.00"))
    );
    assert_eq!(draft.total, usd("50.00"));
    assert_eq!(
        (line(&w, order_id, 1).invoicing, invoiceable(&w, order_id, 1)),
        (dec("5"), dec("0"))
    );
    assert_eq!(
        order(&w, order_id).invoicing_status(),
        InvoicingStatus::NothingToInvoice
    );
}

#[test]
fn an_order_mixing_both_policies_is_fully_invoiced_once_the_delivered_part_is_billed() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    set_billing(&mut w, widget, InvoicePolicy::OnOrdered, &[]);
    receive(&mut w, widget, "5");
    receive(&mut w, gadget, "2");
    let order_id = confirmed(&mut w, &[(widget, "5"), (gadget, "2")]);
    posted_invoice(&mut w, order_id);
    assert_eq!(
        (line(&w, order_id, 1).invoiced, line(&w, order_id, 2).invoiced),
        (dec("5"), dec("0"))
    );
    assert_eq!(
        order(&w, order_id).invoicing_status(),
        InvoicingStatus::NothingToInvoice,
        "the gadgets wait for their delivery"
    );

    ship_all(&mut w, order_id);
    assert_eq!(
        (invoiceable(&w, order_id, 1), invoiceable(&w, order_id, 2)),
        (dec("0"), dec("2")),
        "delivering the widgets does not bill them twice"
    );
    assert_eq!(order(&w, order_id).invoicing_status(), InvoicingStatus::ToInvoice);
    let second = posted_invoice(&mut w, order_id);

    let posted = invoice(&w, second);
    assert_eq!(posted.lines.len(), 1);
    assert_eq!(
        (posted.lines[0].order_line, posted.lines[0].quantity, posted.total),
        (2, dec("2"), usd("5.00"))
    );
    assert_eq!(
        (line(&w, order_id, 1).invoiced, line(&w, order_id, 2).invoiced),
        (dec("5"), dec("2"))
    );
    assert_eq!(
        order(&w, order_id).invoicing_status(),
        InvoicingStatus::FullyInvoiced
    );
    assert_eq!(customer(&w).receivable, dec("55.00"));
}

#[test]
fn one_invoice_bills_two_orders_of_the_same_customer_each_line_pointing_to_its_order() {
    let mut w = World::new();
    let (widget, gadget, customer_id) = (w.widget, w.gadget, w.customer);
    let first = delivered(&mut w, &[(widget, "2")]);
    let second = delivered(&mut w, &[(gadget, "4")]);
    let invoice_id = w.h.id();

    let event = only(w.h.ok(CreateInvoice {
        invoice_id,
        order_id: first,
        additional_orders: vec![second],
        currency: None,
    }));

    let billed = |order_id, product_id, quantity: &str, unit_price: &str, amount: &str| InvoiceLine {
        order_line: 1,
        product_id,
        quantity: dec(quantity),
        unit_price: usd(unit_price),
        discount_percent: Decimal::ZERO,
        amount: usd(amount),
        order_id: Some(order_id),
        taxes: vec![],
    };
    assert_eq!(
        event,
        Event::InvoiceCreated(InvoiceCreated {
            invoice_id,
            order_id: first,
            customer_id,
            lines: vec![
                billed(first, widget, "2", "10.00", "20.00"),
                billed(second, gadget, "4", "2.50", "10.00"),
            ],
            total: usd("30.00"),
            additional_orders: vec![second],
            rate: None,
            taxes: vec![],
            deductions: vec![],
            untaxed: Some(usd("30.00")),
            tax: Some(usd("0.00")),
            down_payment: false,
        })
    );
    assert_eq!(invoice(&w, invoice_id).orders, vec![first, second]);

    w.h.ok(PostInvoice { invoice_id });

    for order_id in [first, second] {
        assert_eq!(line(&w, order_id, 1).invoiced, line(&w, order_id, 1).quantity);
        assert_eq!(
            order(&w, order_id).invoicing_status(),
            InvoicingStatus::FullyInvoiced
        );
    }
    assert_eq!(customer(&w).receivable, dec("30.00"));
}

#[test]
fn an_order_listed_twice_on_one_invoice_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "2")]);
    let invoice_id = w.h.id();

    assert_eq!(
        w.h.refused(CreateInvoice {
            invoice_id,
            order_id,
            additional_orders: vec![order_id],
            currency: None,
        }),
        DomainError::OrderListedTwice { order_id }
    );
}

#[test]
fn orders_of_two_customers_cannot_share_an_invoice() {
    let mut w = World::new();
    let widget = w.widget;
    let bolt = w.h.id();
    w.h.ok(RegisterCustomer {
        customer_id: bolt,
        details: details("Bolt", 30),
        credit_limit: Some(usd("10000.00")),
    });
    receive(&mut w, widget, "3");
    let acme_order = confirmed(&mut w, &[(widget, "1")]);
    ship_all(&mut w, acme_order);
    let bolt_order = confirmed_for(&mut w, bolt, &[(widget, "2")]);
    ship_all(&mut w, bolt_order);
    let invoice_id = w.h.id();

    assert_eq!(
        w.h.refused(CreateInvoice {
            invoice_id,
            order_id: acme_order,
            additional_orders: vec![bolt_order],
            currency: None,
        }),
        DomainError::InvoiceOrdersDiffer { order_id: bolt_order }
    );
}

#[test]
fn down_payments_by_percent_and_fixed_amount_are_deducted_from_the_final_invoice() {
    let mut w = World::new();
    let (widget, customer_id) = (w.widget, w.customer);
    receive(&mut w, widget, "10");
    let order_id = confirmed(&mut w, &[(widget, "10")]);
    let percent = w.h.id();

    let event = only(w.h.ok(CreateDownPaymentInvoice {
        invoice_id: percent,
        order_id,
        amount: DownPaymentAmount::Percent(dec("30")),
    }));

    assert_eq!(
        event,
        Event::InvoiceCreated(InvoiceCreated {
            invoice_id: percent,
            order_id,
            customer_id,
            lines: vec![],
            total: usd("30.00"),
            additional_orders: vec![],
            rate: None,
            taxes: vec![],
            deductions: vec![],
            untaxed: Some(usd("30.00")),
            tax: Some(usd("0.00")),
            down_payment: true,
        })
    );
    w.h.ok(PostInvoice { invoice_id: percent });
    let fixed = w.h.id();
    w.h.ok(CreateDownPaymentInvoice {
        invoice_id: fixed,
        order_id,
        amount: DownPaymentAmount::Fixed(usd("25.00")),
    });
    w.h.ok(PostInvoice { invoice_id: fixed });
    assert_eq!(invoice(&w, percent).status, InvoiceStatus::Posted);
    assert_eq!(invoice(&w, fixed).number.as_deref(), Some("INV/2026/00002"));
    assert_eq!(customer(&w).receivable, dec("55.00"));
    assert_eq!(
        line(&w, order_id, 1).invoiced,
        dec("0"),
        "a down payment bills no quantity"
    );

    ship_all(&mut w, order_id);
    let last = posted_invoice(&mut w, order_id);

    let last = invoice(&w, last);
    assert_eq!(
        last.deductions,
        vec![
            Deduction {
                invoice_id: percent,
                amount: dec("30.00")
            },
            Deduction {
                invoice_id: fixed,
                amount: dec("25.00")
            },
        ]
    );
    assert_eq!(
        (last.untaxed, last.tax, last.total),
        (usd("100.00"), usd("0.00"), usd("45.00"))
    );
    assert_eq!(
        (invoice(&w, percent).deducted, invoice(&w, fixed).deducted),
        (dec("30.00"), dec("25.00"))
    );
    assert_eq!(
        customer(&w).receivable,
        dec("100.00"),
        "the order is billed once in all"
    );
    assert_eq!(
        order(&w, order_id).invoicing_status(),
        InvoicingStatus::FullyInvoiced
    );
}

#[test]
fn down_payments_beyond_the_order_value_are_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = confirmed(&mut w, &[(widget, "10")]);
    let first = w.h.id();
    w.h.ok(CreateDownPaymentInvoice {
        invoice_id: first,
        order_id,
        amount: DownPaymentAmount::Percent(dec("60")),
    });
    let second = w.h.id();

    assert_eq!(
        w.h.refused(CreateDownPaymentInvoice {
            invoice_id: second,
            order_id,
            amount: DownPaymentAmount::Fixed(usd("40.01")),
        }),
        DomainError::DownPaymentExceedsOrder {
            order_id,
            requested: usd("40.01"),
            order_value: usd("40.00"),
        }
    );
    w.h.ok(CreateDownPaymentInvoice {
        invoice_id: second,
        order_id,
        amount: DownPaymentAmount::Fixed(usd("40.00")),
    });
    assert_eq!(
        invoice(&w, second).total,
        usd("40.00"),
        "exactly the rest is allowed"
    );
}
