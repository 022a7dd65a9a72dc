//! Tests of the cycle-time projection: confirmation to fully shipped, shipment to invoiced,
//! invoice posted to paid, as averages and nearest-rank 90th percentiles in days over the
//! cycles that ended in a period.

use o2c::invoice::{ChangeDraftInvoiceLine, CreditNoteKind, InvoicePolicy, PostInvoice};
use o2c::order::CloseOrder;
use o2c::product::{RegisterProduct, Unit};
use o2c::projections::{CycleTimes, Durations};

use crate::steps::*;
use crate::support::{World, dec, usd};

fn durations(count: u64, average: Option<&str>, p90: Option<&str>) -> Durations {
    Durations {
        count,
        average_days: average.map(dec),
        p90_days: p90.map(dec),
    }
}

fn cycle_times(w: &World) -> CycleTimes {
    checked_projections(w).cycle_times.state
}

#[test]
fn confirmation_to_fully_shipped_over_several_orders() {
    let mut w = World::new();
    let widget = w.widget;
    // Five orders confirmed on 2 March, shipped in full 1, 2, 3, 4 and 10 days later.
    let orders: Vec<_> = (0..5).map(|_| order(&mut w, &[(widget, "1", None)])).collect();
    let closed_short = order(&mut w, &[(widget, "2", None)]);
    for (order_id, shipped_on) in orders.iter().zip([3, 4, 5, 6, 12]) {
        on(&mut w, shipped_on);
        deliver(&mut w, *order_id);
    }
    receive(&mut w, widget, "1");
    reserve(&mut w, closed_short);
    ship(&mut w, closed_short, &[]);
    w.h.ok(CloseOrder {
        order_id: closed_short,
        reason: "the rest is no longer wanted".into(),
    });
    let cycles = cycle_times(&w);

    let month = cycles.report(day(3, 1), day(3, 31));
    // (1 + 2 + 3 + 4 + 10) / 5 = 4; nearest rank ⌈0.9 × 5⌉ = 5: the 10 days.
    assert_eq!(month.confirmation_to_shipped, durations(5, Some("4"), Some("10")));
    // Counted in the period of the shipment that completed them.
    let early = cycles.report(day(3, 1), day(3, 5));
    assert_eq!(early.confirmation_to_shipped, durations(3, Some("2"), Some("3")));
    assert_eq!(
        cycles.report(day(3, 7), day(3, 11)).confirmation_to_shipped,
        durations(0, None, None)
    );
    assert_eq!(
        month.invoice_to_paid,
        Durations::default(),
        "nothing was invoiced"
    );
}

#[test]
fn a_shipment_is_invoiced_once_posted_invoices_cover_what_it_carried() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = order(&mut w, &[(widget, "10", None)]);
    receive(&mut w, widget, "6");
    reserve(&mut w, order_id);
    on(&mut w, 3);
    ship(&mut w, order_id, &[]);
    on(&mut w, 4);
    let first = draft_invoice(&mut w, order_id, None);
    on(&mut w, 5);
    w.h.ok(PostInvoice { invoice_id: first });
    on(&mut w, 6);
    receive(&mut w, widget, "4");
    reserve(&mut w, order_id);
    ship(&mut w, order_id, &[]);
    on(&mut w, 8);
    // Only 1 of the 4 units of the second shipment is invoiced: it keeps waiting.
    let second = draft_invoice(&mut w, order_id, None);
    w.h.ok(ChangeDraftInvoiceLine {
        invoice_id: second,
        order_id: None,
        order_line: 1,
        quantity: dec("1"),
    });
    w.h.ok(PostInvoice { invoice_id: second });
    let after_the_part = cycle_times(&w).report(day(3, 1), day(3, 31));
    assert_eq!(
        after_the_part.shipment_to_invoiced,
        durations(1, Some("2"), Some("2")),
        "the first shipment: shipped on the 3rd, its invoice posted (not drafted) on the 5th"
    );
    on(&mut w, 11);
    post_invoice(&mut w, order_id);

    let cycles = cycle_times(&w);

    assert_eq!(
        cycles.report(day(3, 1), day(3, 31)).shipment_to_invoiced,
        durations(2, Some("3.5"), Some("5"))
    );
    assert_eq!(
        cycles.report(day(3, 9), day(3, 11)).shipment_to_invoiced,
        durations(1, Some("5"), Some("5"))
    );
}

#[test]
fn an_invoice_is_paid_on_the_day_its_last_part_is_settled() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    let orders: Vec<_> = (0..3).map(|_| order(&mut w, &[(widget, "1", None)])).collect();
    for order_id in &orders {
        deliver(&mut w, *order_id);
    }
    on(&mut w, 3);
    let invoices: Vec<_> = orders.iter().map(|o| post_invoice(&mut w, *o)).collect();
    assert_eq!(w.h.engine.invoice(invoices[0]).unwrap().total, usd("10.00"));
    on(&mut w, 5);
    pay(&mut w, acme, invoices[0], usd("10.00"), None);
    pay(&mut w, acme, invoices[1], usd("4.00"), None);
    on(&mut w, 6);
    pay(&mut w, acme, invoices[2], usd("9.99"), None);
    on(&mut w, 10);
    pay(&mut w, acme, invoices[1], usd("6.00"), None);

    let cycles = cycle_times(&w);

    // 2 and 7 days; the third invoice is still partly open.
    let month = cycles.report(day(3, 1), day(3, 31));
    assert_eq!(month.invoice_to_paid, durations(2, Some("4.5"), Some("7")));
    assert_eq!(
        cycles.report(day(3, 1), day(3, 9)).invoice_to_paid,
        durations(1, Some("2"), Some("2"))
    );
    // Every order shipped and was invoiced the day after: 1 day each.
    assert_eq!(month.shipment_to_invoiced, durations(3, Some("1"), Some("1")));
    assert_eq!(month.confirmation_to_shipped, durations(3, Some("0"), Some("0")));
}

#[test]
fn a_reversed_invoice_is_never_paid_and_a_shipment_is_counted_once() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    let order_id = order(&mut w, &[(widget, "2", None)]);
    on(&mut w, 3);
    deliver(&mut w, order_id);
    on(&mut w, 4);
    let reversed = post_invoice(&mut w, order_id);
    on(&mut w, 6);
    credit_note(
        &mut w,
        reversed,
        CreditNoteKind::Reversal,
        "wrong billing address",
    );
    on(&mut w, 7);
    let again = post_invoice(&mut w, order_id);
    on(&mut w, 9);
    pay(&mut w, acme, again, usd("20.00"), None);

    let month = cycle_times(&w).report(day(3, 1), day(3, 31));

    assert_eq!(
        month.invoice_to_paid,
        durations(1, Some("2"), Some("2")),
        "only the new invoice"
    );
    assert_eq!(
        month.shipment_to_invoiced,
        durations(1, Some("1"), Some("1")),
        "the shipment counted at its first invoice only"
    );
}

#[test]
fn a_line_invoiced_on_ordered_quantities_before_it_ships_is_invoiced_the_day_it_ships() {
    let mut w = World::new();
    let service = w.h.id();
    w.h.ok(RegisterProduct {
        product_id: service,
        sku: "KIT".into(),
        name: "Kit".into(),
        unit: Unit {
            code: "pcs".into(),
            decimals: 0,
        },
        list_price: usd("5.00"),
        category: None,
        floor_price: None,
        tracking: Default::default(),
        substitutes: vec![],
        invoice_policy: InvoicePolicy::OnOrdered,
        taxes: vec![],
    });
    let order_id = order(&mut w, &[(service, "3", None)]);
    on(&mut w, 3);
    post_invoice(&mut w, order_id);
    on(&mut w, 5);
    deliver(&mut w, order_id);

    let cycles = cycle_times(&w);

    assert_eq!(
        cycles.report(day(3, 5), day(3, 5)).shipment_to_invoiced,
        durations(1, Some("0"), Some("0"))
    );
    assert_eq!(
        cycles.report(day(3, 3), day(3, 4)).shipment_to_invoiced,
        Durations::default()
    );
}
