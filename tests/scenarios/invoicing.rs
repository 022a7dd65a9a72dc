//! Invoicing delivered quantities with line rounding; posting, numbering and cancelling drafts.

use crate::common::*;
use crate::support::{COMPANY, Harness, World, dec, details, usd};
use o2c::chrono::{NaiveDate, TimeZone, Utc};
use o2c::company::SetUpCompany;
use o2c::customer::RegisterCustomer;
use o2c::invoice::{
    CancelInvoice, CreateInvoice, InvoiceCancelled, InvoiceCreated, InvoiceLine, InvoicePosted,
    InvoiceStatus, PaymentState, PostInvoice,
};
use o2c::money::{Money, RoundingRule};
use o2c::order::{ConfirmOrder, CreateQuotation, InvoicingStatus, ReserveStock};
use o2c::payment_term::Installment;
use o2c::product::{RegisterProduct, Unit};
use o2c::rust_decimal::Decimal;
use o2c::shipment::ShipOrder;
use o2c::stock::ReceiveStock;
use o2c::warehouse::RegisterWarehouse;
use o2c::{Event, ProductId};

#[test]
fn an_invoice_bills_only_delivered_quantities_not_yet_invoiced() {
    let mut w = World::new();
    let (widget, gadget, customer_id) = (w.widget, w.gadget, w.customer);
    receive(&mut w, widget, "10");
    receive(&mut w, gadget, "4");
    let order_id = confirmed(&mut w, &[(widget, "10"), (gadget, "6")]);
    w.h.ok(ReserveStock { order_id });
    ship(&mut w, order_id, &[(1, "7"), (2, "4")]);
    let invoice_id = w.h.id();

    let event = only(w.h.ok(CreateInvoice {
        invoice_id,
        order_id,
        additional_orders: vec![],
        currency: None,
    }));

    assert_eq!(
        event,
        Event::InvoiceCreated(InvoiceCreated {
            invoice_id,
            order_id,
            customer_id,
            lines: vec![
                InvoiceLine {
                    order_line: 1,
                    product_id: widget,
                    quantity: dec("7"),
                    unit_price: usd("10.00"),
                    discount_percent: Decimal::ZERO,
                    amount: usd("70.00"),
                    order_id: Some(order_id),
                    taxes: vec![],
                },
                InvoiceLine {
                    order_line: 2,
                    product_id: gadget,
                    quantity: dec("4"),
                    unit_price: usd("2.50"),
                    discount_percent: Decimal::ZERO,
                    amount: usd("10.00"),
                    order_id: Some(order_id),
                    taxes: vec![],
                },
            ],
            total: usd("80.00"),
            additional_orders: vec![],
            rate: None,
            taxes: vec![],
            deductions: vec![],
            untaxed: Some(usd("80.00")),
            tax: Some(usd("0.00")),
            down_payment: false,
        })
    );
    let draft = invoice(&w, invoice_id);
    assert_eq!(draft.status, InvoiceStatus::Draft);
    assert_eq!(
        (draft.number.clone(), draft.invoice_date, draft.due_date),
        (None, None, None)
    );
    assert_eq!(draft.open_amount(), usd("0"), "a draft is not receivable");
    let widget_line = line(&w, order_id, 1);
    assert_eq!(
        (
            widget_line.invoicing,
            widget_line.invoiced,
            widget_line.to_invoice()
        ),
        (dec("7"), dec("0"), dec("0"))
    );
    assert_eq!(
        customer(&w).receivable,
        Decimal::ZERO,
        "a draft does not touch the receivable"
    );
}

#[test]
fn a_second_invoice_bills_only_what_shipped_since_the_first() {
    let mut w = World::new();
    let widget = w.widget;
    receive(&mut w, widget, "10");
    let order_id = confirmed(&mut w, &[(widget, "10")]);
    w.h.ok(ReserveStock { order_id });
    ship(&mut w, order_id, &[(1, "3")]);
    posted_invoice(&mut w, order_id);
    ship(&mut w, order_id, &[(1, "5")]);

    let second = draft_invoice(&mut w, order_id);

    let draft = invoice(&w, second);
    assert_eq!(draft.lines.len(), 1);
    assert_eq!(
        (draft.lines[0].quantity, draft.lines[0].amount),
        (dec("5"), usd("50.00"))
    );
    assert_eq!(draft.total, usd("50.00"));
    let widget_line = line(&w, order_id, 1);
    assert_eq!(
        (
            widget_line.invoiced,
            widget_line.invoicing,
            widget_line.to_invoice()
        ),
        (dec("3"), dec("5"), dec("0"))
    );
}

#[test]
fn invoice_amounts_for_weighed_goods_are_exact() {
    let mut w = World::new();
    let flour = w.flour;
    let order_id = delivered(&mut w, &[(flour, "0.125"), (flour, "1.235")]);

    let invoice_id = draft_invoice(&mut w, order_id);

    let draft = invoice(&w, invoice_id);
    let amounts: Vec<Money> = draft.lines.iter().map(|l| l.amount).collect();
    assert_eq!(amounts, [usd("0.50"), usd("4.94")]);
    assert_eq!(draft.total, usd("5.44"));
}

#[test]
fn invoice_line_amounts_round_half_away_from_zero_and_the_total_sums_the_rounded_lines() {
    let mut w = World::new();
    let salt: ProductId = w.h.id();
    w.h.ok(RegisterProduct {
        product_id: salt,
        sku: "SALT".into(),
        name: "Salt".into(),
        unit: Unit {
            code: "kg".into(),
            decimals: 3,
        },
        list_price: usd("1.00"),
        category: None,
        floor_price: None,
        tracking: Default::default(),
        substitutes: vec![],
        invoice_policy: Default::default(),
        taxes: vec![],
    });
    let order_id = delivered(&mut w, &[(salt, "0.125"), (salt, "2.345"), (salt, "0.124")]);

    let invoice_id = draft_invoice(&mut w, order_id);

    let draft = invoice(&w, invoice_id);
    let amounts: Vec<Money> = draft.lines.iter().map(|l| l.amount).collect();
    assert_eq!(amounts, [usd("0.13"), usd("2.35"), usd("0.12")]);
    assert_eq!(
        draft.total,
        usd("2.60"),
        "sum of the rounded lines, not the rounded sum (2.594 -> 2.59)"
    );
}

#[test]
fn a_half_even_company_rounds_invoice_midpoints_to_even() {
    let mut h = Harness::empty();
    // The harness actor holds its roles in this company.
    let company_id = COMPANY;
    h.ok(SetUpCompany {
        company_id,
        name: "Banker's Distribution".into(),
        base_currency: usd_2(),
        other_currencies: vec![],
        rounding: RoundingRule::HalfEven,
        settings: Default::default(),
    });
    let warehouse = h.id();
    h.ok(RegisterWarehouse {
        warehouse_id: warehouse,
        code: "WH".into(),
        name: "Main".into(),
        route: Default::default(),
        reservation: Default::default(),
    });
    let customer = h.id();
    h.ok(RegisterCustomer {
        customer_id: customer,
        details: details("Acme", 30),
        credit_limit: None,
    });
    let salt: ProductId = h.id();
    h.ok(RegisterProduct {
        product_id: salt,
        sku: "SALT".into(),
        name: "Salt".into(),
        unit: Unit {
            code: "kg".into(),
            decimals: 3,
        },
        list_price: usd("1.00"),
        category: None,
        floor_price: None,
        tracking: Default::default(),
        substitutes: vec![],
        invoice_policy: Default::default(),
        taxes: vec![],
    });
    h.ok(ReceiveStock {
        product_id: salt,
        warehouse_id: warehouse,
        quantity: dec("10"),
        reference: String::new(),
        location_id: None,
        lots: vec![],
    });
    let order_id = h.id();
    h.ok(CreateQuotation {
        order_id,
        customer_id: customer,
        warehouse_id: warehouse,
        lines: requested(&[(salt, "0.125"), (salt, "0.135")]),
        customer_reference: String::new(),
        shipping_policy: Default::default(),
        backorder_policy: None,
        urgent: false,
    });
    h.ok(ConfirmOrder { order_id });
    h.ok(ReserveStock { order_id });
    let shipment_id = h.id();
    h.ok(ShipOrder {
        shipment_id,
        order_id,
        lines: vec![],
        warehouse_id: None,
        carrier: String::new(),
        tracking_reference: String::new(),
    });
    let invoice_id = h.id();

    let event = only(h.ok(CreateInvoice {
        invoice_id,
        order_id,
        additional_orders: vec![],
        currency: None,
    }));

    let Event::InvoiceCreated(e) = event else {
        panic!("expected InvoiceCreated, got {event:?}")
    };
    assert_eq!(
        e.lines.iter().map(|l| l.amount).collect::<Vec<_>>(),
        [usd("0.12"), usd("0.14")]
    );
    assert_eq!(e.total, usd("0.26"));
}

#[test]
fn posting_numbers_dates_and_dues_the_invoice() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "3")]);
    let invoice_id = draft_invoice(&mut w, order_id);
    w.h.advance_days(3);

    let event = only(w.h.ok(PostInvoice { invoice_id }));

    assert_eq!(w.h.now.date_naive(), NaiveDate::from_ymd_opt(2026, 3, 5).unwrap());
    assert_eq!(
        event,
        Event::InvoicePosted(InvoicePosted {
            invoice_id,
            number: "INV/2026/00001".into(),
            fiscal_year: 2026,
            sequence: 1,
            invoice_date: NaiveDate::from_ymd_opt(2026, 3, 5).unwrap(),
            due_date: NaiveDate::from_ymd_opt(2026, 4, 4).unwrap(),
            total: usd("30.00"),
            restated: None,
            rate: None,
            installments: vec![Installment {
                due_date: NaiveDate::from_ymd_opt(2026, 4, 4).unwrap(),
                amount: dec("30.00"),
                untaxed: dec("30.00"),
                settled: Decimal::ZERO,
            }],
            early_discount: None,
        })
    );
    let posted = invoice(&w, invoice_id);
    assert_eq!(posted.status, InvoiceStatus::Posted);
    assert_eq!(posted.number.as_deref(), Some("INV/2026/00001"));
    assert_eq!(posted.invoice_date, NaiveDate::from_ymd_opt(2026, 3, 5));
    assert_eq!(posted.due_date, NaiveDate::from_ymd_opt(2026, 4, 4));
    assert_eq!(posted.open_amount(), usd("30.00"));
    assert_eq!(posted.payment_state(), PaymentState::NotPaid);
}

#[test]
fn posting_moves_the_value_from_uninvoiced_orders_to_the_receivable() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    receive(&mut w, widget, "10");
    let order_id = confirmed(&mut w, &[(widget, "10"), (gadget, "2")]);
    w.h.ok(ReserveStock { order_id });
    ship_all(&mut w, order_id);
    let invoice_id = draft_invoice(&mut w, order_id);
    assert_eq!(customer(&w).uninvoiced_orders, dec("105.00"));

    w.h.ok(PostInvoice { invoice_id });

    let acme = customer(&w);
    assert_eq!(acme.receivable, dec("100.00"));
    assert_eq!(
        acme.uninvoiced_orders,
        dec("5.00"),
        "the two gadgets are still to be invoiced"
    );
    assert_eq!(
        acme.exposure(),
        dec("105.00"),
        "posting moves value, it does not add any"
    );
    let widget_line = line(&w, order_id, 1);
    assert_eq!(
        (widget_line.invoicing, widget_line.invoiced),
        (dec("0"), dec("10"))
    );
}

#[test]
fn invoice_numbers_run_in_sequence() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let first_order = delivered(&mut w, &[(widget, "1")]);
    let second_order = delivered(&mut w, &[(gadget, "1")]);
    let first = draft_invoice(&mut w, first_order);
    let second = draft_invoice(&mut w, second_order);

    w.h.ok(PostInvoice { invoice_id: second });
    w.h.ok(PostInvoice { invoice_id: first });

    assert_eq!(
        invoice(&w, second).number.as_deref(),
        Some("INV/2026/00001"),
        "numbered in posting order"
    );
    assert_eq!(invoice(&w, first).number.as_deref(), Some("INV/2026/00002"));
    let company = w.h.engine.read(|b| b.company().cloned()).unwrap();
    assert_eq!(company.invoice_sequences.get(&2026), Some(&2));
}

#[test]
fn cancelling_a_draft_frees_its_quantities_for_a_new_invoice() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "4")]);
    let cancelled = draft_invoice(&mut w, order_id);

    let event = only(w.h.ok(CancelInvoice {
        invoice_id: cancelled,
        reason: "wrong address".into(),
    }));

    assert_eq!(
        event,
        Event::InvoiceCancelled(InvoiceCancelled {
            invoice_id: cancelled,
            reason: "wrong address".into()
        })
    );
    assert_eq!(invoice(&w, cancelled).status, InvoiceStatus::Cancelled);
    assert_eq!(line(&w, order_id, 1).to_invoice(), dec("4"));
    assert_eq!(order(&w, order_id).invoicing_status(), InvoicingStatus::ToInvoice);
    let replacement = draft_invoice(&mut w, order_id);
    assert_eq!(invoice(&w, replacement).total, usd("40.00"));
    assert_eq!(invoice(&w, replacement).lines[0].quantity, dec("4"));
}

#[test]
fn invoice_numbers_restart_with_each_fiscal_year() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let december = delivered(&mut w, &[(widget, "1")]);
    let january = delivered(&mut w, &[(gadget, "1")]);
    let last_of_year = draft_invoice(&mut w, december);
    let first_of_year = draft_invoice(&mut w, january);
    w.h.now = Utc.with_ymd_and_hms(2026, 12, 31, 23, 58, 0).unwrap();

    w.h.ok(PostInvoice {
        invoice_id: last_of_year,
    });
    w.h.ok(PostInvoice {
        invoice_id: first_of_year,
    });

    let old = invoice(&w, last_of_year);
    assert_eq!(old.number.as_deref(), Some("INV/2026/00001"));
    assert_eq!(old.due_date, NaiveDate::from_ymd_opt(2027, 1, 30));
    let new = invoice(&w, first_of_year);
    assert_eq!(new.number.as_deref(), Some("INV/2027/00001"));
    assert_eq!(new.invoice_date, NaiveDate::from_ymd_opt(2027, 1, 1));
}

#[test]
fn a_cancelled_draft_uses_no_invoice_number() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "4")]);
    let cancelled = draft_invoice(&mut w, order_id);
    w.h.ok(CancelInvoice {
        invoice_id: cancelled,
        reason: "duplicate".into(),
    });

    let replacement = posted_invoice(&mut w, order_id);

    assert_eq!(invoice(&w, replacement).number.as_deref(), Some("INV/2026/00001"));
    assert_eq!(invoice(&w, cancelled).number, None);
    assert_eq!(
        customer(&w).receivable,
        dec("40.00"),
        "the cancelled draft adds nothing"
    );
}

#[test]
fn invoicing_status_goes_from_nothing_to_invoice_to_fully_invoiced() {
    let mut w = World::new();
    let widget = w.widget;
    receive(&mut w, widget, "5");
    let order_id = confirmed(&mut w, &[(widget, "5")]);
    w.h.ok(ReserveStock { order_id });
    assert_eq!(
        order(&w, order_id).invoicing_status(),
        InvoicingStatus::NothingToInvoice
    );

    ship(&mut w, order_id, &[(1, "2")]);
    assert_eq!(order(&w, order_id).invoicing_status(), InvoicingStatus::ToInvoice);

    posted_invoice(&mut w, order_id);
    assert_eq!(
        order(&w, order_id).invoicing_status(),
        InvoicingStatus::NothingToInvoice,
        "3 not delivered yet"
    );

    ship_all(&mut w, order_id);
    assert_eq!(order(&w, order_id).invoicing_status(), InvoicingStatus::ToInvoice);

    let last = draft_invoice(&mut w, order_id);
    assert_eq!(
        order(&w, order_id).invoicing_status(),
        InvoicingStatus::NothingToInvoice,
        "on a draft, not yet on a posted invoice"
    );

    w.h.ok(PostInvoice { invoice_id: last });
    assert_eq!(
        order(&w, order_id).invoicing_status(),
        InvoicingStatus::FullyInvoiced
    );
}

#[test]
fn an_invoice_with_nothing_to_pay_is_not_reported_unpaid() {
    let mut w = World::new();
    let flour = w.flour;
    let order_id = delivered(&mut w, &[(flour, "0.001")]);

    let invoice_id = posted_invoice(&mut w, order_id);

    let posted = invoice(&w, invoice_id);
    assert_eq!(posted.total, usd("0.00"), "0.001 kg at 4.00 is 0.004");
    assert_eq!(posted.open_amount(), usd("0.00"));
    assert_eq!(posted.payment_state(), PaymentState::Paid);
}
