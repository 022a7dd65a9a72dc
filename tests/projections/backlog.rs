//! Tests of the backlog projection: open lines grouped by customer, product, warehouse and
//! promised week, orders on hold apart, the backlog as of earlier dates, and agreement with
//! a recomputation from the book. The steps the other projection tests share (orders with
//! promised dates, shipments, invoices, payments on given March days) live in [`steps`].

use o2c::money::CurrencyCode;
use o2c::order::{ChangeOrderLine, CloseOrder, HoldOrder, ReleaseCreditHold, ReleaseOrder};
use o2c::projections::{Backlog, BacklogReport, BacklogRow, BacklogTotal, PromisedWeek};
use o2c::{CustomerId, OrderId, ProductId, Role};

use crate::support::{World, dec, person};
use steps::*;

/// Shared steps: every command runs on a chosen day of March 2026 (the harness's month).
pub(crate) mod steps {
    use o2c::chrono::{NaiveDate, TimeZone, Utc};
    use o2c::customer::RegisterCustomer;
    use o2c::invoice::{CreateInvoice, PostInvoice};
    use o2c::order::{ConfirmOrder, CreateQuotation, RequestedLine, ReserveStock};
    use o2c::payment::{AllocatePayment, PaymentMethod, ReceivePayment};
    use o2c::projections::Projections;
    use o2c::shipment::{ShipLine, ShipOrder};
    use o2c::stock::ReceiveStock;
    use o2c::{CustomerId, InvoiceId, OrderId, ProductId, ShipmentId};

    use crate::support::{World, dec, details, usd};

    /// A day of March 2026.
    pub(crate) fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    /// Moves the business clock to 09:00 on a day of March 2026 (never backwards: on the
    /// current day the clock stays where it is).
    pub(crate) fn on(w: &mut World, d: u32) {
        assert!(w.h.now.date_naive() <= day(d), "the clock never goes back");
        if w.h.now.date_naive() < day(d) {
            w.h.now = Utc.with_ymd_and_hms(2026, 3, d, 9, 0, 0).unwrap();
        }
    }

    /// Every projection rebuilt from the engine's log; where the engine keeps them live,
    /// they must be the same.
    pub(crate) fn projections(w: &World) -> Projections {
        let events = w.h.engine.events(1, usize::MAX).unwrap();
        let rebuilt = Projections::rebuild(&events);
        let live = w.h.engine.projections(Projections::clone);
        assert_eq!(live.backlog, rebuilt.backlog, "live backlog = rebuilt backlog");
        assert_eq!(live.fill_rate, rebuilt.fill_rate, "live fill rate = rebuilt");
        assert_eq!(live.on_time, rebuilt.on_time, "live on-time = rebuilt");
        assert_eq!(
            live.cycle_times, rebuilt.cycle_times,
            "live cycle times = rebuilt"
        );
        rebuilt
    }

    /// A customer with its own credit limit in dollars.
    pub(crate) fn customer(w: &mut World, name: &str, limit: &str) -> CustomerId {
        let customer_id = w.h.id();
        w.h.ok(RegisterCustomer {
            customer_id,
            details: details(name, 30),
            credit_limit: Some(usd(limit)),
        });
        customer_id
    }

    pub(crate) fn receive(w: &mut World, product_id: ProductId, quantity: &str) {
        let warehouse_id = w.warehouse;
        w.h.ok(ReceiveStock {
            product_id,
            warehouse_id,
            quantity: dec(quantity),
            reference: "PO-1".into(),
            location_id: None,
            lots: vec![],
        });
    }

    /// A line to order: product, quantity, day of March promised (if any).
    pub(crate) type Wanted<'a> = (ProductId, &'a str, Option<u32>);

    /// A confirmed order of `customer_id`.
    pub(crate) fn order_for(w: &mut World, customer_id: CustomerId, lines: &[Wanted<'_>]) -> OrderId {
        let order_id = w.h.id();
        let warehouse_id = w.warehouse;
        let lines = lines
            .iter()
            .map(|(product_id, quantity, promised)| {
                let mut line = RequestedLine::new(*product_id, dec(quantity));
                line.promised_date = promised.map(day);
                line
            })
            .collect();
        w.h.ok(CreateQuotation {
            order_id,
            customer_id,
            warehouse_id,
            lines,
            customer_reference: String::new(),
            shipping_policy: Default::default(),
            backorder_policy: None,
            urgent: false,
        });
        w.h.ok(ConfirmOrder { order_id });
        order_id
    }

    /// A confirmed order of Acme.
    pub(crate) fn order(w: &mut World, lines: &[Wanted<'_>]) -> OrderId {
        let customer_id = w.customer;
        order_for(w, customer_id, lines)
    }

    pub(crate) fn reserve(w: &mut World, order_id: OrderId) {
        w.h.ok(ReserveStock { order_id });
    }

    /// Ships `(line, quantity)` of an order's reserved goods; no lines ships all of them.
    pub(crate) fn ship(w: &mut World, order_id: OrderId, lines: &[(u32, &str)]) -> ShipmentId {
        let shipment_id = w.h.id();
        let lines = lines
            .iter()
            .map(|(line, quantity)| ShipLine {
                line: *line,
                quantity: dec(quantity),
            })
            .collect();
        w.h.ok(ShipOrder {
            shipment_id,
            order_id,
            lines,
            warehouse_id: None,
            carrier: String::new(),
            tracking_reference: String::new(),
        });
        shipment_id
    }

    /// Receives what an order needs, reserves and ships it all.
    pub(crate) fn deliver(w: &mut World, order_id: OrderId) -> ShipmentId {
        let needs: Vec<(ProductId, String)> =
            w.h.engine
                .order(order_id)
                .unwrap()
                .lines
                .iter()
                .map(|l| (l.product_id, l.open_quantity().to_string()))
                .collect();
        for (product_id, quantity) in &needs {
            receive(w, *product_id, quantity);
        }
        reserve(w, order_id);
        ship(w, order_id, &[])
    }

    /// Drafts an invoice of what an order may invoice.
    pub(crate) fn draft_invoice(w: &mut World, order_id: OrderId) -> InvoiceId {
        let invoice_id = w.h.id();
        w.h.ok(CreateInvoice {
            invoice_id,
            order_id,
            additional_orders: vec![],
            currency: None,
        });
        invoice_id
    }

    /// Drafts and posts an invoice of what an order may invoice.
    pub(crate) fn post_invoice(w: &mut World, order_id: OrderId) -> InvoiceId {
        let invoice_id = draft_invoice(w, order_id);
        w.h.ok(PostInvoice { invoice_id });
        invoice_id
    }

    /// Acme pays `amount` dollars on an invoice.
    pub(crate) fn pay(w: &mut World, invoice_id: InvoiceId, amount: &str) {
        let (payment_id, customer_id) = (w.h.id(), w.customer);
        w.h.ok(ReceivePayment {
            payment_id,
            customer_id,
            amount: usd(amount),
            method: PaymentMethod::BankTransfer,
            reference: String::new(),
        });
        w.h.ok(AllocatePayment {
            payment_id,
            invoice_id,
            amount: usd(amount),
            installment: None,
        });
    }
}

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
    let backlog = projections(w).backlog.state;
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
    let _quotation_only = {
        let id: OrderId = w.h.id();
        let warehouse_id = w.warehouse;
        w.h.ok(o2c::order::CreateQuotation {
            order_id: id,
            customer_id: acme,
            warehouse_id,
            lines: vec![o2c::order::RequestedLine::new(widget, dec("100"))],
            customer_reference: String::new(),
            shipping_policy: Default::default(),
            backorder_policy: None,
            urgent: false,
        });
        id
    };

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
        backlog.report(Some(day(5))).open,
        vec![row(&w, acme, widget, Some(12), 1, "4", "40.00")],
        "the backorder as it stood before the close"
    );
}

#[test]
fn orders_on_hold_are_shown_apart_until_released() {
    let mut w = World::new();
    let (acme, widget, gadget) = (w.customer, w.widget, w.gadget);
    let beta = customer(&mut w, "Beta", "100.00");
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
        backlog.report(Some(day(4))).on_hold,
        vec![row(&w, beta, widget, None, 1, "20", "200.00")],
        "before 5 March only the credit hold held anything"
    );

    on(&mut w, 6);
    w.h.ok(ReleaseOrder {
        order_id: held,
        reason: "address checked".into(),
    });
    let controller = person("controller", &[Role::CreditController]);
    w.h.as_actor(controller, |h| {
        h.ok(ReleaseCreditHold {
            order_id: over_limit,
            note: "prepayment promised".into(),
        })
    });
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
        promised_date: Some(day(24)),
        reason: "customer asked for less, later".into(),
    });
    on(&mut w, 11);
    w.h.ok(o2c::order::CancelOrder {
        order_id: second,
        reason: "customer withdrew".into(),
    });

    let (backlog, now) = backlog_now(&w);
    assert!(now.open.is_empty() && now.on_hold.is_empty() && now.totals.is_empty());
    assert_eq!(backlog.report(Some(day(2))).open, vec![]);
    assert_eq!(
        backlog.report(Some(day(3))).open,
        vec![row(&w, acme, widget, Some(11), 1, "10", "100.00")]
    );
    let on_the_fifth = backlog.report(Some(day(5)));
    assert_eq!(on_the_fifth.as_of, Some(day(5)));
    assert_eq!(
        on_the_fifth.open,
        vec![
            row(&w, acme, widget, Some(11), 1, "10", "100.00"),
            row(&w, acme, gadget, Some(11), 1, "6", "15.00"),
        ]
    );
    assert_eq!(on_the_fifth.totals, totals("115.00", "0"));
    assert_eq!(
        backlog.report(Some(day(8))).open,
        vec![row(&w, acme, gadget, Some(11), 1, "6", "15.00")],
        "the first order shipped in full on 7 March"
    );
    assert_eq!(
        backlog.report(Some(day(10))).open,
        vec![row(&w, acme, gadget, Some(13), 1, "4", "10.00")],
        "the change moved the line to the week of 24 March"
    );
    let line = backlog.line(second, 1, Some(day(6))).unwrap();
    assert_eq!((line.quantity, line.value), (dec("6"), dec("15.00")));
    assert_eq!(backlog.line(second, 1, Some(day(12))), None, "cancelled");
}

#[test]
fn value_is_the_open_quantity_at_the_net_unit_price() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    let order_id = w.h.id();
    let warehouse_id = w.warehouse;
    let mut line = o2c::order::RequestedLine::new(widget, dec("7"));
    line.discount_percent = dec("5");
    w.h.ok(o2c::order::CreateQuotation {
        order_id,
        customer_id: acme,
        warehouse_id,
        lines: vec![line],
        customer_reference: String::new(),
        shipping_policy: Default::default(),
        backorder_policy: None,
        urgent: false,
    });
    w.h.ok(o2c::order::ConfirmOrder { order_id });
    receive(&mut w, widget, "3");
    reserve(&mut w, order_id);
    ship(&mut w, order_id, &[(1, "3")]);

    let (backlog, report) = backlog_now(&w);
    // 4 open × 10.00 less 5 % = 38.00.
    assert_eq!(report.open, vec![row(&w, acme, widget, None, 1, "4", "38.00")]);
    assert_eq!(backlog.line(order_id, 1, None).unwrap().value, dec("38.00"));
    assert_eq!(report.totals, totals("38.00", "0"));
}
