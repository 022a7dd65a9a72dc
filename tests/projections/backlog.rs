//! Tests of the backlog projection: open lines grouped by customer, product, warehouse and
//! promised week, orders on hold apart, the backlog as of earlier dates, and agreement with
//! a recomputation from the book.

use o2c::money::CurrencyCode;
use o2c::order::{CancelOrder, ChangeOrderLine, CloseOrder, HoldOrder, ReleaseOrder, RequestedLine};
use o2c::projections::{Backlog, BacklogReport, BacklogRow, BacklogTotal, PromisedWeek};
use o2c::{CustomerId, ProductId};

use crate::steps::{
    checked_projections, confirm, customer, day, deliver, on, order, order_for, quote, receive,
    release_credit_hold, reserve, ship,
};
use crate::support::{World, dec};

fn usd() -> CurrencyCode {
    CurrencyCode::new("USD").unwrap()
}

/// A backlog row of the standard warehouse in dollars.
fn row(
    w: &World,
    customer_id: CustomerId,
    product_id: ProductId,
    week: Option<u32>,
    lines: u64,
    quantity: &str,
    value: &str,
) -> BacklogRow {
    BacklogRow {
        customer_id,
        product_id,
        warehouse_id: w.warehouse,
        promised_week: week.map(|week| PromisedWeek { year: 2026, week }),
        currency: usd(),
        lines,
        quantity: dec(quantity),
        value: dec(value),
    }
}

fn totals(open_value: &str, on_hold_value: &str) -> Vec<BacklogTotal> {
    vec![BacklogTotal {
        currency: usd(),
        open_value: dec(open_value),
        on_hold_value: dec(on_hold_value),
    }]
}

/// The backlog now, checked against a recomputation from the book.
fn backlog_now(w: &World) -> (Backlog, BacklogReport) {
    let backlog = checked_projections(w).backlog.state;
    let report = backlog.report(None);
    let recomputed = w.h.engine.read(Backlog::recompute);
    assert_eq!(
        report, recomputed,
        "the kept backlog equals one recomputed from the book"
    );
    (backlog, report)
}

#[test]
fn open_lines_are_grouped_by_customer_product_warehouse_and_promised_week() {
    let mut w = World::new();
    let (acme, widget, gadget) = (w.customer, w.widget, w.gadget);
    // 16 and 20 March are both in ISO week 12; 25 March is in week 13.
    let first = order(&mut w, &[(widget, "5", Some(16)), (gadget, "4", None)]);
    let second = order(&mut w, &[(widget, "3", Some(20)), (widget, "2", Some(25))]);
    let _quotation_only = quote(&mut w, acme, vec![RequestedLine::new(widget, dec("100"))]);

    let (backlog, report) = backlog_now(&w);

    assert_eq!(report.as_of, None);
    assert_eq!(
        report.open,
        vec![
            row(&w, acme, widget, Some(12), 2, "8", "80.00"),
            row(&w, acme, widget, Some(13), 1, "2", "20.00"),
            row(&w, acme, gadget, None, 1, "4", "10.00"),
        ],
        "a quotation is not in the backlog; lines without a promise form their own group"
    );
    assert!(report.on_hold.is_empty());
    assert_eq!(report.totals, totals("110.00", "0"));
    let line = backlog.line(first, 1, None).unwrap();
    assert_eq!(
        (line.quantity, line.stock_quantity, line.value),
        (dec("5"), dec("5"), dec("50.00"))
    );
    assert_eq!(
        backlog
            .line(second, 2, None)
            .unwrap()
            .group
            .promised_week
            .unwrap()
            .week,
        13
    );
}

#[test]
fn a_partial_shipment_leaves_its_backorder_and_closing_the_order_removes_it() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    let order_id = order(&mut w, &[(widget, "10", Some(18))]);
    receive(&mut w, widget, "6");
    reserve(&mut w, order_id);
    on(&mut w, 4);
    ship(&mut w, order_id, &[]);

    let (backlog, report) = backlog_now(&w);
    assert_eq!(
        report.open,
        vec![row(&w, acme, widget, Some(12), 1, "4", "40.00")]
    );
    let line = backlog.line(order_id, 1, None).unwrap();
    assert_eq!((line.quantity, line.value), (dec("4"), dec("40.00")));

    on(&mut w, 6);
    w.h.ok(CloseOrder {
        order_id,
        reason: "customer needs no more".into(),
    });
    let (backlog, report) = backlog_now(&w);
    assert!(
        report.open.is_empty() && report.totals.is_empty(),
        "a closed order leaves the backlog"
    );
    assert_eq!(backlog.line(order_id, 1, None), None);
    assert_eq!(
        backlog.report(Some(day(3, 5))).open,
        vec![row(&w, acme, widget, Some(12), 1, "4", "40.00")],
        "the backorder as it stood before the close"
    );
}

#[test]
fn orders_on_hold_are_shown_apart_until_released() {
    let mut w = World::new();
    let (acme, widget, gadget) = (w.customer, w.widget, w.gadget);
    let beta = customer(&mut w, "Beta", 30, Some("100.00"));
    on(&mut w, 3);
    // 20 widgets = 200.00 over Beta's 100.00 limit: confirmed on credit hold.
    let over_limit = order_for(&mut w, beta, &[(widget, "20", None)]);
    let held = order(&mut w, &[(gadget, "8", Some(17))]);
    let _free = order(&mut w, &[(widget, "1", Some(17))]);
    on(&mut w, 5);
    w.h.ok(HoldOrder {
        order_id: held,
        reason: "address to check".into(),
    });

    let (backlog, report) = backlog_now(&w);
    assert_eq!(
        report.open,
        vec![row(&w, acme, widget, Some(12), 1, "1", "10.00")]
    );
    assert_eq!(
        report.on_hold,
        vec![
            row(&w, acme, gadget, Some(12), 1, "8", "20.00"),
            row(&w, beta, widget, None, 1, "20", "200.00"),
        ],
        "a manual hold and a credit hold, both apart"
    );
    assert_eq!(report.totals, totals("10.00", "220.00"));
    assert!(backlog.line(over_limit, 1, None).unwrap().group.on_hold);
    assert_eq!(
        backlog.report(Some(day(3, 4))).on_hold,
        vec![row(&w, beta, widget, None, 1, "20", "200.00")],
        "before 5 March only the credit hold held anything"
    );

    on(&mut w, 6);
    w.h.ok(ReleaseOrder {
        order_id: held,
        reason: "address checked".into(),
    });
    release_credit_hold(&mut w, over_limit, "prepayment promised");
    let (_, report) = backlog_now(&w);
    assert!(report.on_hold.is_empty());
    assert_eq!(report.totals, totals("230.00", "0"));
    assert_eq!(report.open.len(), 3);
}

#[test]
fn as_of_an_earlier_date_the_backlog_is_what_it_was_then() {
    let mut w = World::new();
    let (acme, widget, gadget) = (w.customer, w.widget, w.gadget);
    on(&mut w, 3);
    let first = order(&mut w, &[(widget, "10", Some(10))]);
    on(&mut w, 5);
    let second = order(&mut w, &[(gadget, "6", Some(10))]);
    on(&mut w, 7);
    deliver(&mut w, first);
    on(&mut w, 9);
    w.h.ok(ChangeOrderLine {
        order_id: second,
        line: 1,
        quantity: Some(dec("4")),
        discount_percent: None,
        promised_date: Some(day(3, 24)),
        reason: "customer asked for less, later".into(),
    });
    on(&mut w, 11);
    w.h.ok(CancelOrder {
        order_id: second,
        reason: "customer withdrew".into(),
    });

    let (backlog, now) = backlog_now(&w);
    assert!(now.open.is_empty() && now.on_hold.is_empty() && now.totals.is_empty());
    assert_eq!(backlog.report(Some(day(3, 2))).open, vec![]);
    assert_eq!(
        backlog.report(Some(day(3, 3))).open,
        vec![row(&w, acme, widget, Some(11), 1, "10", "100.00")]
    );
    let on_the_fifth = backlog.report(Some(day(3, 5)));
    assert_eq!(on_the_fifth.as_of, Some(day(3, 5)));
    assert_eq!(
        on_the_fifth.open,
        vec![
            row(&w, acme, widget, Some(11), 1, "10", "100.00"),
            row(&w, acme, gadget, Some(11), 1, "6", "15.00"),
        ]
    );
    assert_eq!(on_the_fifth.totals, totals("115.00", "0"));
    assert_eq!(
        backlog.report(Some(day(3, 8))).open,
        vec![row(&w, acme, gadget, Some(11), 1, "6", "15.00")],
        "the first order shipped in full on 7 March"
    );
    assert_eq!(
        backlog.report(Some(day(3, 10))).open,
        vec![row(&w, acme, gadget, Some(13), 1, "4", "10.00")],
        "the change moved the line to the week of 24 March"
    );
    let line = backlog.line(second, 1, Some(day(3, 6))).unwrap();
    assert_eq!((line.quantity, line.value), (dec("6"), dec("15.00")));
    assert_eq!(backlog.line(second, 1, Some(day(3, 12))), None, "cancelled");
}

#[test]
fn value_is_the_open_quantity_at_the_net_unit_price() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    let mut line = RequestedLine::new(widget, dec("7"));
    line.discount_percent = dec("5");
    let order_id = quote(&mut w, acme, vec![line]);
    confirm(&mut w, order_id);
    receive(&mut w, widget, "3");
    reserve(&mut w, order_id);
    ship(&mut w, order_id, &[(1, "3")]);

    let (backlog, report) = backlog_now(&w);
    // 4 open × 10.00 less 5 % = 38.00.
    assert_eq!(report.open, vec![row(&w, acme, widget, None, 1, "4", "38.00")]);
    assert_eq!(backlog.line(order_id, 1, None).unwrap().value, dec("38.00"));
    assert_eq!(report.totals, totals("38.00", "0"));
}
