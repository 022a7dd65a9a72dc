//! The quotation life cycle: sending, confirming, cancelling, validity, revalidation, lines.

use crate::common::*;
use crate::support::{World, dec, details, usd};
use o2c::customer::{ChangeCustomer, CustomerDetails};
use o2c::order::{
    AddOrderLine, AddQuotationLine, CancelOrder, ChangeOrderLine, ConfirmOrder, CreateQuotation, LinePrice,
    OrderCancelled, OrderLineChanged, OrderStatus, OverrideLinePrice, QuotationCreated, QuotationLineAdded,
    QuotationLineRemoved, QuotationRevalidated, QuotationSent, QuotedLine, RemoveQuotationLine,
    RequestedLine, RevalidateQuotation, SendQuotation,
};
use o2c::pricing::{PriceSource, RuleScope};
use o2c::rust_decimal::Decimal;
use o2c::{DomainError, Event};

#[test]
fn a_quotation_goes_from_draft_to_sent_to_confirmed() {
    let mut w = World::new();
    let (acme, widget, warehouse_id) = (w.customer, w.widget, w.warehouse);
    let order_id = w.h.id();
    let outcome = ok_as(
        &mut w.h,
        rep(),
        CreateQuotation {
            order_id,
            customer_id: acme,
            warehouse_id,
            lines: requested(&[(widget, "2")]),
            customer_reference: String::new(),
            shipping_policy: Default::default(),
            backorder_policy: None,
            urgent: false,
        },
    );
    assert_eq!(
        event(outcome),
        Event::QuotationCreated(QuotationCreated {
            order_id,
            customer_id: acme,
            warehouse_id,
            currency: usd_code(),
            customer_reference: String::new(),
            lines: vec![widget_line(1, widget, "2")],
            price_list_id: None,
            valid_until: Some(date(2026, 4, 1)),
            shipping_policy: Default::default(),
            backorder_policy: None,
            urgent: false,
        })
    );
    assert_eq!(order(&w, order_id).status, OrderStatus::Draft);
    assert_eq!(order(&w, order_id).created_by, actor_id("rita"));

    let outcome = ok_as(&mut w.h, rep(), SendQuotation { order_id });
    assert_eq!(event(outcome), Event::QuotationSent(QuotationSent { order_id }));
    assert_eq!(order(&w, order_id).status, OrderStatus::Sent);
    assert_eq!(
        refused_as(&mut w.h, rep(), SendQuotation { order_id }),
        DomainError::QuotationAlreadySent { order_id }
    );

    let outcome = ok_as(&mut w.h, rep(), ConfirmOrder { order_id });
    assert!(matches!(event(outcome), Event::OrderConfirmed(_)));
    assert_eq!(order(&w, order_id).status, OrderStatus::Confirmed);
    assert_eq!(
        refused_as(&mut w.h, rep(), SendQuotation { order_id }),
        DomainError::OrderAlreadyConfirmed { order_id }
    );
    assert_eq!(
        refused_as(&mut w.h, rep(), ConfirmOrder { order_id }),
        DomainError::OrderAlreadyConfirmed { order_id }
    );
}

#[test]
fn a_quotation_can_be_cancelled_and_then_goes_nowhere() {
    let mut w = World::new();
    let widget = w.widget;
    let draft = quotation(&mut w, &[(widget, "1")]);
    let sent = quotation(&mut w, &[(widget, "1")]);
    w.h.ok(SendQuotation { order_id: sent });

    assert_eq!(
        w.h.refused(CancelOrder {
            order_id: draft,
            reason: " ".into(),
        }),
        blank_reason()
    );
    for order_id in [draft, sent] {
        let outcome = ok_as(
            &mut w.h,
            rep(),
            CancelOrder {
                order_id,
                reason: "Customer declined".into(),
            },
        );
        assert_eq!(
            event(outcome),
            Event::OrderCancelled(OrderCancelled {
                order_id,
                released: vec![],
                reason: "Customer declined".into(),
                released_quants: vec![],
                returned: vec![],
            })
        );
        assert_eq!(order(&w, order_id).status, OrderStatus::Cancelled);
        assert_eq!(
            w.h.refused(ConfirmOrder { order_id }),
            DomainError::OrderIsCancelled { order_id }
        );
    }
    assert_eq!(
        w.h.refused(SendQuotation { order_id: draft }),
        DomainError::OrderIsCancelled { order_id: draft }
    );
    assert_eq!(uninvoiced(&w), Decimal::ZERO);
}

#[test]
fn validity_is_the_creation_date_plus_the_company_default() {
    let mut w = World::new();
    let widget = w.widget;
    // Created on 2026-03-02 with the default 30 days.
    let first = quotation(&mut w, &[(widget, "1")]);
    assert_eq!(order(&w, first).valid_until, Some(date(2026, 4, 1)));

    w.h.ok(settings(|s| s.quotation_validity_days = 7));
    w.h.advance_days(1);
    let second = quotation(&mut w, &[(widget, "1")]);
    assert_eq!(order(&w, second).valid_until, Some(date(2026, 3, 10)));
    assert_eq!(
        order(&w, first).valid_until,
        Some(date(2026, 4, 1)),
        "a quotation keeps the validity it was given"
    );
}

#[test]
fn a_quotation_may_be_confirmed_on_its_last_valid_day_but_not_the_day_after() {
    let mut w = World::new();
    let widget = w.widget;
    let on_time = quotation(&mut w, &[(widget, "1")]);
    let late = quotation(&mut w, &[(widget, "1")]);

    w.h.advance_days(30); // 2026-04-01, the last valid day
    confirm(&mut w, on_time);
    w.h.advance_days(1); // 2026-04-02
    assert_eq!(
        w.h.refused(ConfirmOrder { order_id: late }),
        DomainError::QuotationExpired {
            order_id: late,
            valid_until: date(2026, 4, 1),
        }
    );
}

#[test]
fn revalidating_recomputes_prices_renews_validity_and_keeps_manual_prices() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let order_id = quotation(&mut w, &[(widget, "5"), (gadget, "4")]);
    ok_as(
        &mut w.h,
        manager(),
        OverrideLinePrice {
            order_id,
            line: 2,
            unit_price: usd("2.00"),
            reason: "Match competitor".into(),
        },
    );
    change_list_price(&mut w, widget, "12.00");
    w.h.advance_days(31); // 2026-04-02: expired
    assert_eq!(
        w.h.refused(ConfirmOrder { order_id }),
        DomainError::QuotationExpired {
            order_id,
            valid_until: date(2026, 4, 1),
        }
    );

    let outcome = w.h.ok(RevalidateQuotation { order_id });

    assert_eq!(
        event(outcome),
        Event::QuotationRevalidated(QuotationRevalidated {
            order_id,
            valid_until: date(2026, 5, 2),
            price_list_id: None,
            prices: vec![LinePrice {
                line: 1,
                unit_price: usd("12.00"),
                price_source: PriceSource::ListPrice,
            }],
        })
    );
    let o = order(&w, order_id);
    assert_eq!(o.valid_until, Some(date(2026, 5, 2)));
    assert_eq!(o.lines[0].unit_price, usd("12.00"));
    assert_eq!(o.lines[1].unit_price, usd("2.00"));
    assert_eq!(
        o.lines[1].price_source,
        PriceSource::Manual {
            by: actor_id("max"),
            reason: "Match competitor".into(),
        }
    );
    let e = confirm(&mut w, order_id);
    assert_eq!(e.amount, usd("68.00"), "5 x 12.00 + 4 x 2.00");
}

#[test]
fn revalidating_picks_up_a_price_rule_added_in_between() {
    let mut w = World::new();
    let widget = w.widget;
    let list = new_price_list(&mut w, "Trade");
    let member = new_customer(
        &mut w,
        CustomerDetails {
            price_list_id: Some(list),
            ..details("Listed", 30)
        },
        None,
    );
    let order_id = create_quotation(&mut w, member, requested(&[(widget, "3")]));
    assert_eq!(line(&w, order_id, 1).price_source, PriceSource::ListPrice);

    let rule_id = add_rule(&mut w, list, RuleScope::Product(widget), "0", fixed("9.00"));
    assert_eq!(
        line(&w, order_id, 1).unit_price,
        usd("10.00"),
        "a line keeps its price"
    );
    w.h.ok(RevalidateQuotation { order_id });

    let l = line(&w, order_id, 1);
    assert_eq!(l.unit_price, usd("9.00"));
    assert_eq!(l.price_source, by_rule(list, rule_id));
}

#[test]
fn lines_are_added_changed_and_removed_while_draft_or_sent() {
    let mut w = World::new();
    let (widget, gadget, flour) = (w.widget, w.gadget, w.flour);
    let order_id = quotation(&mut w, &[(widget, "2"), (gadget, "3")]);

    let outcome = w.h.ok(AddQuotationLine {
        order_id,
        product_id: flour,
        quantity: dec("1.5"),
        discount_percent: dec("2"),
        promised_date: Some(date(2026, 3, 20)),
        unit: None,
        warehouse_id: None,
    });
    assert_eq!(
        event(outcome),
        Event::QuotationLineAdded(QuotationLineAdded {
            order_id,
            line: QuotedLine {
                line: 3,
                product_id: flour,
                quantity: dec("1.5"),
                unit: "kg".into(),
                unit_price: usd("4.00"),
                price_source: PriceSource::ListPrice,
                discount_percent: dec("2"),
                promised_date: Some(date(2026, 3, 20)),
                stock_per_unit: o2c::rust_decimal::Decimal::ONE,
                warehouse_id: None,
                invoice_policy: Default::default(),
            },
        })
    );

    w.h.ok(SendQuotation { order_id });
    let outcome = w.h.ok(ChangeOrderLine {
        order_id,
        line: 1,
        quantity: Some(dec("5")),
        discount_percent: Some(dec("5")),
        promised_date: Some(date(2026, 3, 25)),
        reason: String::new(),
    });
    assert_eq!(
        event(outcome),
        Event::OrderLineChanged(OrderLineChanged {
            order_id,
            line: 1,
            quantity: dec("5"),
            unit_price: usd("10.00"),
            price_source: PriceSource::ListPrice,
            discount_percent: dec("5"),
            promised_date: Some(date(2026, 3, 25)),
            released: Decimal::ZERO,
            reason: String::new(),
            credit_hold: None,
            released_quants: vec![],
        })
    );
    let outcome = w.h.ok(RemoveQuotationLine { order_id, line: 2 });
    assert_eq!(
        event(outcome),
        Event::QuotationLineRemoved(QuotationLineRemoved { order_id, line: 2 })
    );
    w.h.ok(AddQuotationLine {
        order_id,
        product_id: gadget,
        quantity: dec("7"),
        discount_percent: Decimal::ZERO,
        promised_date: None,
        unit: None,
        warehouse_id: None,
    });

    let o = order(&w, order_id);
    assert_eq!(o.status, OrderStatus::Sent);
    let numbers: Vec<u32> = o.lines.iter().map(|l| l.line).collect();
    assert_eq!(
        numbers,
        vec![1, 3, 4],
        "line 2 is gone and its number is not reused"
    );
    let first = &o.lines[0];
    assert_eq!(
        (
            first.quantity,
            first.unit.as_str(),
            first.unit_price,
            first.discount_percent,
            first.promised_date
        ),
        (dec("5"), "pcs", usd("10.00"), dec("5"), Some(date(2026, 3, 25)))
    );
    assert_eq!(
        w.h.refused(RemoveQuotationLine { order_id, line: 2 }),
        DomainError::UnknownOrderLine { order_id, line: 2 }
    );
}

#[test]
fn a_removed_line_number_is_never_reused_even_when_it_was_the_last_line() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let order_id = quotation(&mut w, &[(widget, "1"), (gadget, "1")]);
    w.h.ok(RemoveQuotationLine { order_id, line: 2 });
    let outcome = w.h.ok(AddQuotationLine {
        order_id,
        product_id: gadget,
        quantity: dec("9"),
        discount_percent: Decimal::ZERO,
        promised_date: None,
        unit: None,
        warehouse_id: None,
    });
    let Event::QuotationLineAdded(added) = event(outcome) else {
        panic!("expected QuotationLineAdded")
    };
    assert_eq!(
        added.line.line, 3,
        "line 2 was removed; its number must not come back"
    );
}

#[test]
fn the_customers_reference_is_kept_on_the_order() {
    let mut w = World::new();
    let (acme, widget, warehouse_id) = (w.customer, w.widget, w.warehouse);
    let order_id = w.h.id();
    let outcome = w.h.ok(CreateQuotation {
        order_id,
        customer_id: acme,
        warehouse_id,
        lines: requested(&[(widget, "1")]),
        customer_reference: "PO-4711".into(),
        shipping_policy: Default::default(),
        backorder_policy: None,
        urgent: false,
    });
    let Event::QuotationCreated(created) = event(outcome) else {
        panic!("expected QuotationCreated")
    };
    assert_eq!(created.customer_reference, "PO-4711");
    confirm(&mut w, order_id);
    assert_eq!(order(&w, order_id).customer_reference, "PO-4711");
}

#[test]
fn quotation_edits_are_refused_once_confirmed_and_order_edits_before() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let order_id = confirmed(&mut w, &[(widget, "1")]);
    assert_eq!(
        w.h.refused(AddQuotationLine {
            order_id,
            product_id: gadget,
            quantity: dec("1"),
            discount_percent: Decimal::ZERO,
            promised_date: None,
            unit: None,
            warehouse_id: None,
        }),
        DomainError::OrderAlreadyConfirmed { order_id }
    );
    assert_eq!(
        w.h.refused(RemoveQuotationLine { order_id, line: 1 }),
        DomainError::OrderAlreadyConfirmed { order_id }
    );
    let draft = quotation(&mut w, &[(widget, "1")]);
    assert_eq!(
        w.h.refused(AddOrderLine {
            order_id: draft,
            requested: RequestedLine::new(gadget, dec("1")),
            reason: "more".into(),
        }),
        DomainError::OrderNotConfirmed { order_id: draft }
    );
}

#[test]
fn lines_added_later_are_priced_from_the_quotations_own_list_until_revalidation() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    let first = new_price_list(&mut w, "First");
    add_rule(&mut w, first, RuleScope::Product(widget), "0", fixed("8.00"));
    let second = new_price_list(&mut w, "Second");
    add_rule(&mut w, second, RuleScope::Product(widget), "0", fixed("7.00"));
    let mut acme_details = customer(&w, acme).details;
    acme_details.price_list_id = Some(first);
    ok_as(
        &mut w.h,
        admin(),
        ChangeCustomer {
            customer_id: acme,
            details: acme_details.clone(),
        },
    );
    let order_id = quotation(&mut w, &[(widget, "1")]);
    acme_details.price_list_id = Some(second);
    ok_as(
        &mut w.h,
        admin(),
        ChangeCustomer {
            customer_id: acme,
            details: acme_details,
        },
    );

    w.h.ok(AddQuotationLine {
        order_id,
        product_id: widget,
        quantity: dec("2"),
        discount_percent: Decimal::ZERO,
        promised_date: None,
        unit: None,
        warehouse_id: None,
    });
    let prices: Vec<_> = order(&w, order_id).lines.iter().map(|l| l.unit_price).collect();
    assert_eq!(prices, vec![usd("8.00"), usd("8.00")]);
    assert_eq!(order(&w, order_id).price_list_id, Some(first));

    w.h.ok(RevalidateQuotation { order_id });
    let revalidated = order(&w, order_id);
    assert_eq!(revalidated.price_list_id, Some(second));
    assert!(revalidated.lines.iter().all(|l| l.unit_price == usd("7.00")));
}

#[test]
fn an_empty_quotation_cannot_be_sent() {
    let mut w = World::new();
    let order_id = quotation(&mut w, &[]);
    assert_eq!(
        w.h.refused(SendQuotation { order_id }),
        DomainError::EmptyOrder { order_id }
    );
}
