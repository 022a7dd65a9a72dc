//! Returns by reason, product and customer: counted when the goods are received (not when
//! authorised, and never when an authorisation is cancelled), in the product's stock unit,
//! valued at the order line's net price; the return rate against what shipped in the same
//! period, which a replacement shipment raises like any other shipment. The engine's live
//! report equals the rebuild's.

use o2c::chrono::NaiveDate;
use o2c::order::RequestedLine;
use o2c::projections::{CustomerReturns, ProductReturns, ReasonReturns, ReturnRate, ReturnsReport};
use o2c::returns::{CancelReturn, Resolution};
use o2c::unit::DefineUnit;
use o2c::{CurrencyCode, CustomerId, ProductId};

use crate::steps::{
    authorise_return, checked_projections, confirm, customer, day, deliver, on, order, post_invoice, quote,
    receive, receive_return, reserve, resolve_return, restock, ship,
};
use crate::support::{World, dec};

/// The returns report over a period, from the rebuild, after checking that the engine's
/// live report is the same.
fn returns(w: &World, from: NaiveDate, to: NaiveDate) -> ReturnsReport {
    let rebuilt = checked_projections(w).returns.state.report(from, to);
    assert_eq!(w.h.engine.returns(from, to), rebuilt, "engine.returns = rebuild");
    rebuilt
}

fn usd_reason(reason: &str, lines: u64, quantity: &str, value: &str) -> ReasonReturns {
    ReasonReturns {
        reason: reason.into(),
        currency: CurrencyCode::new("USD").unwrap(),
        lines,
        quantity: dec(quantity),
        value: dec(value),
    }
}

fn figures(shipped: &str, returned: &str, rate: Option<&str>) -> ReturnRate {
    ReturnRate {
        shipped: dec(shipped),
        returned: dec(returned),
        rate: rate.map(dec),
    }
}

/// Product rows in the report's order (by product id).
fn products(mut rows: Vec<(ProductId, ReturnRate)>) -> Vec<ProductReturns> {
    rows.sort_by_key(|(id, _)| *id);
    rows.into_iter()
        .map(|(product_id, figures)| ProductReturns { product_id, figures })
        .collect()
}

/// Customer rows in the report's order (by customer id).
fn customers(mut rows: Vec<(CustomerId, ReturnRate)>) -> Vec<CustomerReturns> {
    rows.sort_by_key(|(id, _)| *id);
    rows.into_iter()
        .map(|(customer_id, figures)| CustomerReturns { customer_id, figures })
        .collect()
}

#[test]
fn returns_are_counted_by_reason_product_and_customer_when_received_at_net_prices() {
    let mut w = World::new();
    let (widget, gadget, acme) = (w.widget, w.gadget, w.customer);
    let beta = customer(&mut w, "Beta", 30, None);
    // 03-02: Acme gets 10 widgets (10.00) and 8 gadgets (2.50); Beta 5 widgets at 5% off.
    let acme_order = order(&mut w, &[(widget, "10", None), (gadget, "8", None)]);
    deliver(&mut w, acme_order);
    let discounted = RequestedLine {
        discount_percent: dec("5"),
        ..RequestedLine::new(widget, dec("5"))
    };
    let beta_order = quote(&mut w, beta, vec![discounted]);
    confirm(&mut w, beta_order);
    deliver(&mut w, beta_order);
    on(&mut w, 4);
    let damaged = authorise_return(&mut w, acme_order, "damaged-in-transit", &[(1, "3")]);
    let wrong = authorise_return(&mut w, acme_order, "wrong-item", &[(2, "2")]);
    authorise_return(&mut w, acme_order, "surplus", &[(1, "1")]); // never arrives
    on(&mut w, 5);
    receive_return(&mut w, damaged, &[(1, "3")]);
    receive_return(&mut w, wrong, &[(2, "2")]);
    let beta_damaged = authorise_return(&mut w, beta_order, "damaged-in-transit", &[(1, "2")]);
    on(&mut w, 6);
    receive_return(&mut w, beta_damaged, &[(1, "2")]);

    let march = returns(&w, day(3, 1), day(3, 31));

    assert_eq!(
        march.by_reason,
        [
            // 3 × 10.00 + 2 × 9.50; the surplus authorisation never arrived.
            usd_reason("damaged-in-transit", 2, "5", "49.00"),
            usd_reason("wrong-item", 1, "2", "5.00"),
        ]
    );
    assert_eq!(
        march.by_product,
        products(vec![
            (widget, figures("15", "5", Some("0.3333"))),
            (gadget, figures("8", "2", Some("0.25"))),
        ])
    );
    assert_eq!(
        march.by_customer,
        customers(vec![
            (acme, figures("18", "5", Some("0.2778"))),
            (beta, figures("5", "2", Some("0.4"))),
        ])
    );
    // Up to 03-05: Beta's widgets are not back yet.
    let early = returns(&w, day(3, 1), day(3, 5));
    assert_eq!(
        early.by_reason,
        [
            usd_reason("damaged-in-transit", 1, "3", "30.00"),
            usd_reason("wrong-item", 1, "2", "5.00"),
        ]
    );
    assert_eq!(
        early.by_customer,
        customers(vec![(acme, figures("18", "5", Some("0.2778")))])
    );
    assert_eq!(
        early.by_product,
        products(vec![
            (widget, figures("15", "3", Some("0.2"))),
            (gadget, figures("8", "2", Some("0.25"))),
        ])
    );
}

#[test]
fn the_period_holds_what_was_received_in_it_against_what_shipped_in_it() {
    let mut w = World::new();
    let (widget, acme) = (w.widget, w.customer);
    let first = order(&mut w, &[(widget, "10", None)]);
    deliver(&mut w, first); // 03-02: 10 shipped
    on(&mut w, 5);
    let return_id = authorise_return(&mut w, first, "damaged-in-transit", &[(1, "4")]);
    on(&mut w, 6);
    receive_return(&mut w, return_id, &[(1, "2")]);
    on(&mut w, 9);
    receive_return(&mut w, return_id, &[(1, "2")]);
    let second = order(&mut w, &[(widget, "1", None)]);
    deliver(&mut w, second); // 03-09: 1 shipped

    let authorised_only = returns(&w, day(3, 1), day(3, 5));
    assert_eq!(
        (
            authorised_only.by_reason.len(),
            authorised_only.by_product.len(),
            authorised_only.by_customer.len()
        ),
        (0, 0, 0),
        "authorised goods are not returns until they arrive"
    );
    let nothing_shipped = returns(&w, day(3, 5), day(3, 6));
    assert_eq!(
        nothing_shipped.by_product,
        products(vec![(widget, figures("0", "2", None))])
    );
    let one_day = returns(&w, day(3, 9), day(3, 9));
    assert_eq!(
        one_day.by_customer,
        customers(vec![(acme, figures("1", "2", Some("2"))),]),
        "goods shipped earlier come back: the rate exceeds 1"
    );
    let march = returns(&w, day(3, 1), day(3, 31));
    assert_eq!(
        march,
        ReturnsReport {
            from: day(3, 1),
            to: day(3, 31),
            by_reason: vec![usd_reason("damaged-in-transit", 2, "4", "40.00")],
            by_product: products(vec![(widget, figures("11", "4", Some("0.3636")))]),
            by_customer: customers(vec![(acme, figures("11", "4", Some("0.3636")))]),
        }
    );
}

#[test]
fn quantities_are_counted_in_the_stock_unit_and_valued_in_the_line_unit() {
    let mut w = World::new();
    let (widget, acme) = (w.widget, w.customer);
    // The product's own unit "pcs" stands alone in a category of its name.
    w.h.ok(DefineUnit {
        code: "box12".into(),
        category: "pcs".into(),
        factor: dec("12"),
        decimals: 0,
    });
    // 2 boxes of 12 widgets and 6 loose widgets: 30 pieces.
    let boxes = RequestedLine {
        unit: Some("box12".into()),
        ..RequestedLine::new(widget, dec("2"))
    };
    let order_id = quote(&mut w, acme, vec![boxes, RequestedLine::new(widget, dec("6"))]);
    confirm(&mut w, order_id);
    receive(&mut w, widget, "30");
    reserve(&mut w, order_id);
    ship(&mut w, order_id, &[]);
    let box_price = w.h.engine.order(order_id).unwrap().lines[0].unit_price.amount;
    assert_eq!(box_price, dec("120.00"), "a box is priced as 12 pieces");
    on(&mut w, 3);
    let return_id = authorise_return(&mut w, order_id, "surplus", &[(1, "1"), (2, "3")]);
    receive_return(&mut w, return_id, &[(1, "1"), (2, "3")]);

    let march = returns(&w, day(3, 1), day(3, 31));

    // One box (12 pieces, 120.00) and 3 pieces (30.00).
    assert_eq!(march.by_reason, [usd_reason("surplus", 2, "15", "150.00")]);
    assert_eq!(
        march.by_product,
        products(vec![(widget, figures("30", "15", Some("0.5")))])
    );
}

#[test]
fn a_replacement_ships_again_and_a_cancelled_authorisation_counts_nothing() {
    let mut w = World::new();
    let (widget, acme) = (w.widget, w.customer);
    let order_id = order(&mut w, &[(widget, "10", None)]);
    deliver(&mut w, order_id);
    post_invoice(&mut w, order_id);
    on(&mut w, 3);
    let replaced = authorise_return(&mut w, order_id, "damaged-in-transit", &[(1, "4")]);
    receive_return(&mut w, replaced, &[(1, "4")]);
    restock(&mut w, replaced, &[(1, "4")]);
    resolve_return(&mut w, replaced, Resolution::Replacement);
    let cancelled = authorise_return(&mut w, order_id, "surplus", &[(1, "2")]);
    w.h.ok(CancelReturn {
        return_id: cancelled,
        reason: "the customer keeps them".into(),
    });
    on(&mut w, 4);
    reserve(&mut w, order_id);
    ship(&mut w, order_id, &[]); // the 4 replacements
    let line = w.h.engine.order(order_id).unwrap().lines[0].clone();
    assert_eq!(
        (
            line.delivered,
            line.invoiced,
            line.return_pending,
            line.return_credited
        ),
        (dec("10"), dec("10"), dec("0"), dec("0")),
        "replaced goods are delivered again and not invoiced again"
    );

    let march = returns(&w, day(3, 1), day(3, 31));

    assert_eq!(
        march,
        ReturnsReport {
            from: day(3, 1),
            to: day(3, 31),
            by_reason: vec![usd_reason("damaged-in-transit", 1, "4", "40.00")],
            // 10 first shipped, then 4 replacements: 4 ÷ 14.
            by_product: products(vec![(widget, figures("14", "4", Some("0.2857")))]),
            by_customer: customers(vec![(acme, figures("14", "4", Some("0.2857")))]),
        }
    );
    let before_the_replacement = returns(&w, day(3, 3), day(3, 3));
    assert_eq!(
        before_the_replacement.by_customer,
        customers(vec![(acme, figures("0", "4", None))])
    );
}
