//! Credit control: exposure, credit holds and their figures, overdue invoices, releasing holds.

use crate::common::*;
use crate::support::{World, dec, person, usd};
use o2c::core::error::Duty;
use o2c::customer::BlockCustomer;
use o2c::order::{
    CancelOrder, CloseOrder, CreditHold, CreditHoldReason, CreditHoldReleased, HoldKind, HoldOrder,
    OrderCancelled, OrderConfirmed, OrderStatus, ReleaseCreditHold, ReopenOrder, ReserveStock,
};
use o2c::rust_decimal::Decimal;
use o2c::shipment::ShipOrder;
use o2c::{DomainError, Event, OrderId, Role};

#[test]
fn exposure_is_open_receivables_plus_confirmed_uninvoiced_orders_plus_this_order() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    // Invoiced and partly paid: 1,000.00 posted, 300.00 paid -> 700.00 open.
    let a = delivered(&mut w, &[(widget, "100")]);
    let invoice_a = post_invoice(&mut w, a);
    pay(&mut w, acme, invoice_a, "300.00");
    // Confirmed 2,000.00, of which 500.00 shipped and invoiced -> 1,500.00 not invoiced.
    let b = confirmed(&mut w, &[(widget, "200")]);
    receive(&mut w, widget, "50");
    reserve(&mut w, b);
    ship(&mut w, b, &[]);
    post_invoice(&mut w, b);
    // Closed after shipping 10 of 30 -> 100.00 delivered and not invoiced.
    let d = confirmed(&mut w, &[(widget, "30")]);
    receive(&mut w, widget, "10");
    reserve(&mut w, d);
    ship(&mut w, d, &[]);
    w.h.ok(CloseOrder {
        order_id: d,
        reason: "Short".into(),
    });
    // Neither quotations nor cancelled orders count.
    quotation(&mut w, &[(widget, "1000")]);
    let cancelled = confirmed(&mut w, &[(widget, "1000")]);
    w.h.ok(CancelOrder {
        order_id: cancelled,
        reason: "Mistake".into(),
    });
    let c = customer(&w, acme);
    assert_eq!((c.receivable, c.uninvoiced_orders), (dec("1200"), dec("1600")));

    let order_id = quotation(&mut w, &[(widget, "50")]);
    let e = confirm(&mut w, order_id);
    assert_eq!(
        e,
        OrderConfirmed {
            order_id,
            customer_id: acme,
            amount: usd("500.00"),
            exposure: usd("3300.00"),
            credit_limit: Some(usd("10000.00")),
            credit_hold: None,
        }
    );
    assert_eq!(customer(&w, acme).exposure(), dec("3300"));
}

#[test]
fn confirming_over_the_limit_puts_the_order_on_credit_hold_with_the_figures() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    let first = confirmed(&mut w, &[(widget, "800")]);
    assert_eq!(order(&w, first).credit_hold, None);

    let order_id = quotation(&mut w, &[(widget, "300")]);
    let e = confirm(&mut w, order_id);
    assert_eq!(
        e,
        OrderConfirmed {
            order_id,
            customer_id: acme,
            amount: usd("3000.00"),
            exposure: usd("11000.00"),
            credit_limit: Some(usd("10000.00")),
            credit_hold: Some(CreditHold {
                reasons: vec![CreditHoldReason::OverCreditLimit {
                    exposure: usd("11000.00"),
                    limit: usd("10000.00"),
                }],
            }),
        }
    );
    let o = order(&w, order_id);
    assert_eq!(o.status, OrderStatus::Confirmed, "confirmed, not refused");
    assert_eq!(o.active_hold(), Some(HoldKind::Credit));
    assert_eq!(
        uninvoiced(&w),
        dec("11000"),
        "a held order is part of the exposure"
    );
}

#[test]
fn an_invoice_overdue_beyond_the_grace_days_puts_the_next_order_on_credit_hold() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    w.h.ok(settings(|s| s.overdue_grace_days = 5));
    // 2026-03-02: 100.00 invoiced, due 2026-04-01 (net 30); 40.00 paid.
    let a = delivered(&mut w, &[(widget, "10")]);
    let first = post_invoice(&mut w, a);
    pay(&mut w, acme, first, "40.00");
    // 2026-03-10: 50.00 invoiced, due 2026-04-09.
    let b = delivered(&mut w, &[(widget, "5")]);
    w.h.advance_days(8);
    post_invoice(&mut w, b);

    w.h.advance_days(27); // 2026-04-06: due + 5 grace days, not yet overdue
    let order_id = quotation(&mut w, &[(widget, "1")]);
    assert_eq!(confirm(&mut w, order_id).credit_hold, None);

    w.h.advance_days(1); // 2026-04-07
    let order_id = quotation(&mut w, &[(widget, "1")]);
    assert_eq!(
        confirm(&mut w, order_id).credit_hold,
        Some(CreditHold {
            reasons: vec![CreditHoldReason::OverdueInvoices {
                overdue_amount: usd("60.00"),
                oldest_due_date: date(2026, 4, 1),
            }],
        })
    );

    w.h.advance_days(8); // 2026-04-15: the second invoice is past its grace days too
    let order_id = quotation(&mut w, &[(widget, "1")]);
    assert_eq!(
        confirm(&mut w, order_id).credit_hold,
        Some(CreditHold {
            reasons: vec![CreditHoldReason::OverdueInvoices {
                overdue_amount: usd("110.00"),
                oldest_due_date: date(2026, 4, 1),
            }],
        })
    );
}

#[test]
fn a_blocked_customer_gets_orders_confirmed_on_credit_hold() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    ok_as(
        &mut w.h,
        controller(),
        BlockCustomer {
            customer_id: acme,
            reason: "Bankruptcy filing".into(),
        },
    );
    let order_id = quotation(&mut w, &[(widget, "1")]);
    let e = confirm(&mut w, order_id);
    assert_eq!(
        e.credit_hold,
        Some(CreditHold {
            reasons: vec![CreditHoldReason::CustomerBlocked {
                reason: "Bankruptcy filing".into(),
            }],
        })
    );
    assert_eq!(order(&w, order_id).status, OrderStatus::Confirmed);
}

#[test]
fn every_credit_hold_reason_that_applies_is_recorded() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    let a = delivered(&mut w, &[(widget, "10")]);
    post_invoice(&mut w, a); // 100.00 due 2026-04-01
    set_limit(&mut w, acme, Some("150.00"));
    ok_as(
        &mut w.h,
        controller(),
        BlockCustomer {
            customer_id: acme,
            reason: "Dunning level 3".into(),
        },
    );
    w.h.advance_days(31); // 2026-04-02
    let order_id = quotation(&mut w, &[(widget, "6")]);
    let e = confirm(&mut w, order_id);
    assert_eq!(e.exposure, usd("160.00"));
    assert_eq!(
        e.credit_hold,
        Some(CreditHold {
            reasons: vec![
                CreditHoldReason::CustomerBlocked {
                    reason: "Dunning level 3".into(),
                },
                CreditHoldReason::OverCreditLimit {
                    exposure: usd("160.00"),
                    limit: usd("150.00"),
                },
                CreditHoldReason::OverdueInvoices {
                    overdue_amount: usd("100.00"),
                    oldest_due_date: date(2026, 4, 1),
                },
            ],
        })
    );
}

#[test]
fn raising_a_confirmed_order_past_the_credit_limit_puts_it_on_credit_hold() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = confirmed(&mut w, &[(widget, "1")]);
    assert_eq!(order(&w, order_id).credit_hold, None);
    ok_as(
        &mut w.h,
        rep(),
        change_quantity(order_id, 1, "1500", "Customer wants more"),
    );
    assert_eq!(uninvoiced(&w), dec("15000"), "over the 10,000.00 limit");
    assert_eq!(
        order(&w, order_id).active_hold(),
        Some(HoldKind::Credit),
        "nothing stops this order from being reserved and shipped"
    );
}

/// An order for 10 widgets on credit hold (Acme's limit lowered to 50.00), raised by the
/// harness's current actor.
fn held_order(w: &mut World) -> OrderId {
    let (acme, widget) = (w.customer, w.widget);
    set_limit(w, acme, Some("50.00"));
    let order_id = quotation(w, &[(widget, "10")]);
    let e = confirm(w, order_id);
    assert!(e.credit_hold.is_some());
    order_id
}

#[test]
fn nothing_is_reserved_or_shipped_while_on_credit_hold() {
    let mut w = World::new();
    let widget = w.widget;
    receive(&mut w, widget, "10");
    let order_id = held_order(&mut w);
    let on_hold = DomainError::OrderOnHold {
        order_id,
        hold: HoldKind::Credit,
    };
    assert_eq!(refused_as(&mut w.h, picker(), ReserveStock { order_id }), on_hold);
    let shipment_id = w.h.id();
    assert_eq!(
        refused_as(
            &mut w.h,
            picker(),
            ShipOrder {
                shipment_id,
                order_id,
                lines: vec![],
                warehouse_id: None,
                carrier: String::new(),
                tracking_reference: String::new(),
            }
        ),
        on_hold
    );
    assert_eq!(level(&w, widget).reserved, Decimal::ZERO);
    // A manual hold on top does not hide the credit hold.
    ok_as(
        &mut w.h,
        manager(),
        HoldOrder {
            order_id,
            reason: "Also".into(),
        },
    );
    assert_eq!(order(&w, order_id).active_hold(), Some(HoldKind::Credit));
}

#[test]
fn another_credit_controller_releases_the_hold_recording_the_exposure_at_that_moment() {
    let mut w = World::new();
    let widget = w.widget;
    receive(&mut w, widget, "300");
    let big = confirmed(&mut w, &[(widget, "800")]);
    let order_id = quotation(&mut w, &[(widget, "300")]);
    assert_eq!(confirm(&mut w, order_id).exposure, usd("11000.00"));
    w.h.ok(CancelOrder {
        order_id: big,
        reason: "Replaced".into(),
    });

    let outcome = ok_as(
        &mut w.h,
        controller(),
        ReleaseCreditHold {
            order_id,
            note: "Deposit received".into(),
        },
    );

    assert_eq!(only(&outcome).actor, actor_id("carl"));
    assert_eq!(
        event(outcome),
        Event::CreditHoldReleased(CreditHoldReleased {
            order_id,
            exposure: usd("3000.00"),
            credit_limit: Some(usd("10000.00")),
            overdue_amount: usd("0.00"),
            note: "Deposit received".into(),
        })
    );
    assert_eq!(order(&w, order_id).active_hold(), None);
    assert_eq!(reserve(&mut w, order_id).lines[0].quantity, dec("300"));
    assert_eq!(
        refused_as(
            &mut w.h,
            controller(),
            ReleaseCreditHold {
                order_id,
                note: "again".into(),
            }
        ),
        DomainError::NotOnCreditHold { order_id }
    );
}

#[test]
fn the_creator_of_an_order_may_not_release_its_credit_hold() {
    let mut w = World::new();
    let sam = person("sam", &[Role::SalesRep, Role::CreditController]);
    let previous = std::mem::replace(&mut w.h.actor, sam.clone());
    let order_id = held_order(&mut w);
    w.h.actor = previous;
    assert_eq!(order(&w, order_id).created_by, actor_id("sam"));

    assert_eq!(
        refused_as(
            &mut w.h,
            sam,
            ReleaseCreditHold {
                order_id,
                note: "Trust me".into(),
            }
        ),
        DomainError::SegregationOfDuties {
            actor: actor_id("sam"),
            order_id,
            duty: Duty::ReleaseCreditHold,
        }
    );
    ok_as(
        &mut w.h,
        controller(),
        ReleaseCreditHold {
            order_id,
            note: "Checked".into(),
        },
    );
}

#[test]
fn a_sales_manager_may_not_release_a_credit_hold() {
    let mut w = World::new();
    let order_id = held_order(&mut w);
    assert_eq!(
        refused_as(
            &mut w.h,
            manager(),
            ReleaseCreditHold {
                order_id,
                note: "Good customer".into(),
            }
        ),
        not_authorized("max", "ReleaseCreditHold", &[Role::CreditController])
    );
}

#[test]
fn cancelling_an_order_on_credit_hold_frees_its_exposure() {
    let mut w = World::new();
    let order_id = held_order(&mut w);
    assert_eq!(uninvoiced(&w), dec("100"));
    let outcome = ok_as(
        &mut w.h,
        rep(),
        CancelOrder {
            order_id,
            reason: "Customer cannot pay".into(),
        },
    );
    assert_eq!(
        event(outcome),
        Event::OrderCancelled(OrderCancelled {
            order_id,
            released: vec![],
            reason: "Customer cannot pay".into(),
            released_quants: vec![],
            returned: vec![],
        })
    );
    assert_eq!(uninvoiced(&w), Decimal::ZERO);
    assert_eq!(
        refused_as(
            &mut w.h,
            controller(),
            ReleaseCreditHold {
                order_id,
                note: "late".into(),
            }
        ),
        DomainError::OrderIsCancelled { order_id }
    );
}

#[test]
fn reopening_an_order_whose_rest_no_longer_fits_the_limit_puts_it_on_credit_hold() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    receive(&mut w, widget, "100");
    let order_id = confirmed(&mut w, &[(widget, "900")]);
    reserve(&mut w, order_id);
    ship(&mut w, order_id, &[(1, "100")]);
    ok_as(
        &mut w.h,
        manager(),
        CloseOrder {
            order_id,
            reason: "rest not wanted".into(),
        },
    );
    // Closing freed 800 x 10.00; another order takes that room.
    let other = confirmed(&mut w, &[(widget, "900")]);
    assert_eq!(order(&w, other).credit_hold, None);
    assert_eq!(customer(&w, acme).exposure(), dec("10000"));

    let outcome = ok_as(
        &mut w.h,
        manager(),
        ReopenOrder {
            order_id,
            reason: "customer wants it after all".into(),
        },
    );
    let Event::OrderReopened(reopened) = event(outcome) else {
        panic!("not a reopening")
    };
    assert_eq!(
        reopened.credit_hold,
        Some(CreditHold {
            reasons: vec![CreditHoldReason::OverCreditLimit {
                exposure: usd("18000.00"),
                limit: usd("10000.00")
            }],
        })
    );
    assert_eq!(order(&w, order_id).active_hold(), Some(HoldKind::Credit));
}
