//! Pricing: rule scopes, quantity breaks, validity, precedence, customer and group lists, overrides.

use crate::common::*;
use crate::support::{World, dec, details, usd};
use o2c::customer::CustomerDetails;
use o2c::order::{ConfirmOrder, CreateQuotation, LinePriceOverridden, OverrideLinePrice};
use o2c::pricing::{
    AddPriceRule, CreatePriceList, PriceListCreated, PriceRule, PriceRuleAdded, PriceRuleRemoved,
    PriceSource, Quote, RemovePriceRule, RulePrice, RuleScope,
};
use o2c::product::ChangeProduct;
use o2c::{CurrencyCode, DomainError, Event, PriceListId, PriceRuleId, ProductId, Role};

/// Products for the pricing scenarios: drill and saw in category "tools", glue without one.
struct Catalogue {
    drill: ProductId,
    saw: ProductId,
    glue: ProductId,
}

fn catalogue(w: &mut World) -> Catalogue {
    Catalogue {
        drill: new_product(w, "DRILL", "10.00", Some("tools"), None),
        saw: new_product(w, "SAW", "20.00", Some("tools"), None),
        glue: new_product(w, "GLUE", "4.00", None, None),
    }
}

#[test]
fn the_most_specific_valid_rule_wins_scope_then_break_then_the_latest() {
    let mut w = World::new();
    let c = catalogue(&mut w);
    let list = new_price_list(&mut w, "Trade");
    let day = date(2026, 3, 2);

    let all = add_rule(&mut w, list, RuleScope::AllProducts, "0", off_list("5"));
    assert_eq!(
        quoted(&w, list, c.drill, "1", day),
        price("9.50", by_rule(list, all))
    );
    assert_eq!(
        quoted(&w, list, c.glue, "1", day),
        price("3.80", by_rule(list, all))
    );

    // Category over all products.
    let tools = add_rule(
        &mut w,
        list,
        RuleScope::Category("tools".into()),
        "0",
        off_list("10"),
    );
    assert_eq!(
        quoted(&w, list, c.drill, "1", day),
        price("9.00", by_rule(list, tools))
    );
    assert_eq!(
        quoted(&w, list, c.glue, "1", day),
        price("3.80", by_rule(list, all))
    );

    // Product over category.
    let drill = add_rule(&mut w, list, RuleScope::Product(c.drill), "0", fixed("8.50"));
    assert_eq!(
        quoted(&w, list, c.drill, "1", day),
        price("8.50", by_rule(list, drill))
    );
    assert_eq!(
        quoted(&w, list, c.saw, "1", day),
        price("18.00", by_rule(list, tools))
    );

    // Within a scope, the higher break reached.
    let drill_10 = add_rule(&mut w, list, RuleScope::Product(c.drill), "10", fixed("8.00"));
    assert_eq!(
        quoted(&w, list, c.drill, "9", day),
        price("8.50", by_rule(list, drill))
    );
    assert_eq!(
        quoted(&w, list, c.drill, "10", day),
        price("8.00", by_rule(list, drill_10))
    );

    // Same scope and break: the rule added last.
    let drill_10_later = add_rule(&mut w, list, RuleScope::Product(c.drill), "10", fixed("7.90"));
    assert_eq!(
        quoted(&w, list, c.drill, "10", day),
        price("7.90", by_rule(list, drill_10_later))
    );

    // Scope before break: a category rule with a higher break loses to a product rule.
    let tools_100 = add_rule(
        &mut w,
        list,
        RuleScope::Category("tools".into()),
        "100",
        fixed("5.00"),
    );
    assert_eq!(
        quoted(&w, list, c.drill, "100", day),
        price("7.90", by_rule(list, drill_10_later))
    );
    assert_eq!(
        quoted(&w, list, c.saw, "100", day),
        price("5.00", by_rule(list, tools_100))
    );
    assert_eq!(
        quoted(&w, list, c.saw, "99", day),
        price("18.00", by_rule(list, tools))
    );
    let all_1000 = add_rule(&mut w, list, RuleScope::AllProducts, "1000", fixed("1.00"));
    assert_eq!(
        quoted(&w, list, c.saw, "1000", day),
        price("5.00", by_rule(list, tools_100))
    );
    assert_eq!(
        quoted(&w, list, c.glue, "1000", day),
        price("1.00", by_rule(list, all_1000))
    );

    // And the line carries the price with the rule that produced it.
    let buyer = new_customer(
        &mut w,
        CustomerDetails {
            price_list_id: Some(list),
            ..details("Buyer", 30)
        },
        None,
    );
    let order_id = create_quotation(&mut w, buyer, requested(&[(c.drill, "10"), (c.saw, "1")]));
    let o = order(&w, order_id);
    assert_eq!(o.price_list_id, Some(list));
    assert_eq!(
        (o.lines[0].unit_price, o.lines[0].price_source.clone()),
        (usd("7.90"), by_rule(list, drill_10_later))
    );
    assert_eq!(
        (o.lines[1].unit_price, o.lines[1].price_source.clone()),
        (usd("18.00"), by_rule(list, tools))
    );
}

#[test]
fn a_rule_applies_only_within_its_validity_period() {
    let mut w = World::new();
    let c = catalogue(&mut w);
    let list = new_price_list(&mut w, "Promo");
    let base = add_rule(&mut w, list, RuleScope::Product(c.drill), "0", fixed("9.00"));
    let promo_id: PriceRuleId = w.h.id();
    w.h.ok(AddPriceRule {
        price_list_id: list,
        rule: PriceRule {
            valid_from: Some(date(2026, 4, 1)),
            valid_until: Some(date(2026, 4, 30)),
            ..rule(promo_id, RuleScope::Product(c.drill), "0", fixed("6.00"))
        },
    });

    for (day, expected) in [
        (date(2026, 3, 31), price("9.00", by_rule(list, base))),
        (date(2026, 4, 1), price("6.00", by_rule(list, promo_id))),
        (date(2026, 4, 30), price("6.00", by_rule(list, promo_id))),
        (date(2026, 5, 1), price("9.00", by_rule(list, base))),
    ] {
        assert_eq!(quoted(&w, list, c.drill, "1", day), expected, "on {day}");
    }

    // A quotation is priced on its business date.
    let buyer = new_customer(
        &mut w,
        CustomerDetails {
            price_list_id: Some(list),
            ..details("Buyer", 30)
        },
        None,
    );
    let before = create_quotation(&mut w, buyer, requested(&[(c.drill, "1")]));
    w.h.advance_days(30); // 2026-04-01
    let during = create_quotation(&mut w, buyer, requested(&[(c.drill, "1")]));
    assert_eq!(line(&w, before, 1).unit_price, usd("9.00"));
    assert_eq!(line(&w, during, 1).unit_price, usd("6.00"));
    assert_eq!(line(&w, during, 1).price_source, by_rule(list, promo_id));

    let bad: PriceRuleId = w.h.id();
    assert_eq!(
        w.h.refused(AddPriceRule {
            price_list_id: list,
            rule: PriceRule {
                valid_from: Some(date(2026, 5, 1)),
                valid_until: Some(date(2026, 4, 1)),
                ..rule(bad, RuleScope::AllProducts, "0", fixed("1.00"))
            },
        }),
        DomainError::InvalidPeriod {
            from: date(2026, 5, 1),
            until: date(2026, 4, 1),
        }
    );
}

#[test]
fn quantity_breaks_pick_the_highest_break_reached_and_reprice_a_quotation_line() {
    let mut w = World::new();
    let gadget = w.gadget;
    let list = new_price_list(&mut w, "Volume");
    let r10 = add_rule(&mut w, list, RuleScope::Product(gadget), "10", fixed("2.25"));
    let r50 = add_rule(&mut w, list, RuleScope::Product(gadget), "50", fixed("2.00"));
    let r100 = add_rule(&mut w, list, RuleScope::Product(gadget), "100", fixed("1.80"));
    let day = date(2026, 3, 2);
    for (quantity, expected) in [
        ("9", price("2.50", PriceSource::ListPrice)),
        ("10", price("2.25", by_rule(list, r10))),
        ("49", price("2.25", by_rule(list, r10))),
        ("50", price("2.00", by_rule(list, r50))),
        ("100", price("1.80", by_rule(list, r100))),
        ("5000", price("1.80", by_rule(list, r100))),
    ] {
        assert_eq!(
            quoted(&w, list, gadget, quantity, day),
            expected,
            "{quantity} gadgets"
        );
    }

    let buyer = new_customer(
        &mut w,
        CustomerDetails {
            price_list_id: Some(list),
            ..details("Buyer", 30)
        },
        None,
    );
    let order_id = create_quotation(&mut w, buyer, requested(&[(gadget, "10")]));
    let Event::OrderLineChanged(e) = event(w.h.ok(change_quantity(order_id, 1, "50", ""))) else {
        panic!("expected OrderLineChanged")
    };
    assert_eq!((e.unit_price, e.price_source), (usd("2.00"), by_rule(list, r50)));

    // Once confirmed, a quantity change keeps the confirmed price.
    confirm(&mut w, order_id);
    let Event::OrderLineChanged(e) = event(w.h.ok(change_quantity(order_id, 1, "100", "More"))) else {
        panic!("expected OrderLineChanged")
    };
    assert_eq!((e.unit_price, e.price_source), (usd("2.00"), by_rule(list, r50)));
}

#[test]
fn a_rule_gives_a_fixed_price_a_percent_off_list_or_a_percent_off_another_list() {
    let mut w = World::new();
    let c = catalogue(&mut w);
    let tape = new_product(&mut w, "TAPE", "1.00", None, None);
    w.h.ok(ChangeProduct {
        product_id: c.glue,
        name: "GLUE".into(),
        category: Some("adhesives".into()),
        list_price: usd("3.33"),
        floor_price: None,
        substitutes: vec![],
        invoice_policy: Default::default(),
        taxes: vec![],
    });
    let base = new_price_list(&mut w, "Base");
    let fixed_drill = add_rule(&mut w, base, RuleScope::Product(c.drill), "0", fixed("8.00"));
    let off_saw = add_rule(&mut w, base, RuleScope::Product(c.saw), "0", off_list("12.5"));
    let off_glue = add_rule(
        &mut w,
        base,
        RuleScope::Category("adhesives".into()),
        "0",
        off_list("5"),
    );
    let derived = new_price_list(&mut w, "Derived");
    let from_base = add_rule(
        &mut w,
        derived,
        RuleScope::AllProducts,
        "0",
        RulePrice::PercentOffPriceList {
            base,
            percent: dec("10"),
        },
    );
    let day = date(2026, 3, 2);

    assert_eq!(
        quoted(&w, base, c.drill, "1", day),
        price("8.00", by_rule(base, fixed_drill))
    );
    assert_eq!(
        quoted(&w, base, c.saw, "1", day),
        price("17.50", by_rule(base, off_saw))
    );
    // 3.33 less 5% = 3.1635, rounded half away from zero.
    assert_eq!(
        quoted(&w, base, c.glue, "1", day),
        price("3.16", by_rule(base, off_glue))
    );
    assert_eq!(
        quoted(&w, base, tape, "1", day),
        price("1.00", PriceSource::ListPrice)
    );

    assert_eq!(
        quoted(&w, derived, c.drill, "1", day),
        price("7.20", by_rule(derived, from_base))
    );
    assert_eq!(
        quoted(&w, derived, c.saw, "1", day),
        price("15.75", by_rule(derived, from_base))
    );
    // 3.16 less 10% = 2.844.
    assert_eq!(
        quoted(&w, derived, c.glue, "1", day),
        price("2.84", by_rule(derived, from_base))
    );
    // No rule of the base list: its list price, less 10%.
    assert_eq!(
        quoted(&w, derived, tape, "1", day),
        price("0.90", by_rule(derived, from_base))
    );
}

#[test]
fn a_price_list_that_would_depend_on_itself_is_refused() {
    let mut w = World::new();
    let a = new_price_list(&mut w, "A");
    let b = new_price_list(&mut w, "B");
    let c = new_price_list(&mut w, "C");
    let based_on = |base: PriceListId| RulePrice::PercentOffPriceList {
        base,
        percent: dec("1"),
    };
    let refused = |w: &mut World, list: PriceListId, base: PriceListId| {
        let rule_id = w.h.id();
        w.h.refused(AddPriceRule {
            price_list_id: list,
            rule: rule(rule_id, RuleScope::AllProducts, "0", based_on(base)),
        })
    };

    assert_eq!(
        refused(&mut w, a, a),
        DomainError::PriceListCycle {
            price_list_id: a,
            base: a,
        }
    );
    add_rule(&mut w, b, RuleScope::AllProducts, "0", based_on(a));
    assert_eq!(
        refused(&mut w, a, b),
        DomainError::PriceListCycle {
            price_list_id: a,
            base: b,
        }
    );
    add_rule(&mut w, c, RuleScope::AllProducts, "0", based_on(b));
    assert_eq!(
        refused(&mut w, a, c),
        DomainError::PriceListCycle {
            price_list_id: a,
            base: c,
        }
    );
    // Not a cycle: C may also be based on A directly.
    add_rule(&mut w, c, RuleScope::AllProducts, "5", based_on(a));
}

#[test]
fn the_customers_own_list_beats_the_group_default_which_beats_the_list_price() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let own = new_price_list(&mut w, "Own");
    let own_rule = add_rule(&mut w, own, RuleScope::Product(widget), "0", fixed("7.00"));
    let group_list = new_price_list(&mut w, "Group");
    let group_rule = add_rule(&mut w, group_list, RuleScope::Product(widget), "0", fixed("8.00"));
    let group = new_group(&mut w, "Wholesale", None, Some(group_list));
    let in_group = |name: &str| CustomerDetails {
        group_id: Some(group),
        ..details(name, 30)
    };
    let with_own = new_customer(
        &mut w,
        CustomerDetails {
            price_list_id: Some(own),
            ..in_group("Own list")
        },
        None,
    );
    let group_only = new_customer(&mut w, in_group("Group only"), None);
    let neither = new_customer(&mut w, details("Neither", 30), None);

    let cases = [
        (with_own, Some(own), price("7.00", by_rule(own, own_rule))),
        (
            group_only,
            Some(group_list),
            price("8.00", by_rule(group_list, group_rule)),
        ),
        (neither, None, price("10.00", PriceSource::ListPrice)),
    ];
    for (customer_id, list, expected) in cases {
        let order_id = w.h.id();
        let warehouse_id = w.warehouse;
        let outcome = w.h.ok(CreateQuotation {
            order_id,
            customer_id,
            warehouse_id,
            lines: requested(&[(widget, "1"), (gadget, "1")]),
            customer_reference: String::new(),
            shipping_policy: Default::default(),
            backorder_policy: None,
            urgent: false,
        });
        let Event::QuotationCreated(created) = event(outcome) else {
            panic!("expected QuotationCreated")
        };
        assert_eq!(created.price_list_id, list);
        let first = &created.lines[0];
        assert_eq!(
            Quote {
                unit_price: first.unit_price,
                source: first.price_source.clone(),
            },
            expected
        );
        // No rule for gadgets in any list: the list price, from whichever list.
        assert_eq!(
            (created.lines[1].unit_price, created.lines[1].price_source.clone()),
            (usd("2.50"), PriceSource::ListPrice)
        );
    }
}

#[test]
fn a_sales_manager_may_override_a_line_price_and_it_is_recorded_as_manual() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quotation_by(&mut w, rep(), requested(&[(widget, "5")]));

    let outcome = ok_as(
        &mut w.h,
        manager(),
        OverrideLinePrice {
            order_id,
            line: 1,
            unit_price: usd("7.00"),
            reason: "Match competitor".into(),
        },
    );
    assert_eq!(only(&outcome).actor, actor_id("max"));
    assert_eq!(
        event(outcome),
        Event::LinePriceOverridden(LinePriceOverridden {
            order_id,
            line: 1,
            unit_price: usd("7.00"),
            reason: "Match competitor".into(),
        })
    );
    let manual = PriceSource::Manual {
        by: actor_id("max"),
        reason: "Match competitor".into(),
    };
    assert_eq!(
        (
            line(&w, order_id, 1).unit_price,
            line(&w, order_id, 1).price_source
        ),
        (usd("7.00"), manual.clone())
    );

    // A later quantity change keeps the manual price.
    ok_as(&mut w.h, rep(), change_quantity(order_id, 1, "8", ""));
    assert_eq!(
        (
            line(&w, order_id, 1).unit_price,
            line(&w, order_id, 1).price_source
        ),
        (usd("7.00"), manual)
    );
    let e = ok_as(&mut w.h, rep(), ConfirmOrder { order_id });
    let Event::OrderConfirmed(e) = event(e) else {
        panic!("expected OrderConfirmed")
    };
    assert_eq!(e.amount, usd("56.00"));
}

#[test]
fn a_sales_rep_may_not_override_a_price() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quotation_by(&mut w, rep(), requested(&[(widget, "5")]));
    assert_eq!(
        refused_as(
            &mut w.h,
            rep(),
            OverrideLinePrice {
                order_id,
                line: 1,
                unit_price: usd("1.00"),
                reason: "Please".into(),
            }
        ),
        not_authorized("rita", "OverrideLinePrice", &[Role::SalesManager])
    );
}

#[test]
fn removing_a_rule_leaves_priced_lines_alone_and_prices_new_ones_without_it() {
    let mut w = World::new();
    let widget = w.widget;
    let list = new_price_list(&mut w, "Trade");
    let rule_id = add_rule(&mut w, list, RuleScope::Product(widget), "0", fixed("9.00"));
    let buyer = new_customer(
        &mut w,
        CustomerDetails {
            price_list_id: Some(list),
            ..details("Buyer", 30)
        },
        None,
    );
    let old = create_quotation(&mut w, buyer, requested(&[(widget, "1")]));

    let outcome = w.h.ok(RemovePriceRule {
        price_list_id: list,
        rule_id,
        reason: "Promotion over".into(),
    });
    assert_eq!(
        event(outcome),
        Event::PriceRuleRemoved(PriceRuleRemoved {
            price_list_id: list,
            rule_id,
            reason: "Promotion over".into(),
        })
    );
    assert_eq!(line(&w, old, 1).price_source, by_rule(list, rule_id));
    assert_eq!(line(&w, old, 1).unit_price, usd("9.00"));
    let new = create_quotation(&mut w, buyer, requested(&[(widget, "1")]));
    assert_eq!(
        (line(&w, new, 1).unit_price, line(&w, new, 1).price_source),
        (usd("10.00"), PriceSource::ListPrice)
    );
    assert_eq!(
        w.h.refused(RemovePriceRule {
            price_list_id: list,
            rule_id,
            reason: "again".into(),
        }),
        DomainError::UnknownPriceRule {
            price_list_id: list,
            rule_id,
        }
    );
}

#[test]
fn price_lists_and_rules_are_recorded_as_created() {
    let mut w = World::new();
    let widget = w.widget;
    let price_list_id = w.h.id();
    let outcome = w.h.ok(CreatePriceList {
        price_list_id,
        name: "Trade".into(),
        currency: usd_code(),
    });
    assert_eq!(
        event(outcome),
        Event::PriceListCreated(PriceListCreated {
            price_list_id,
            name: "Trade".into(),
            currency: usd_code(),
        })
    );
    let rule_id = w.h.id();
    let r = rule(rule_id, RuleScope::Product(widget), "5", fixed("9.00"));
    let outcome = w.h.ok(AddPriceRule {
        price_list_id,
        rule: r.clone(),
    });
    assert_eq!(
        event(outcome),
        Event::PriceRuleAdded(PriceRuleAdded {
            price_list_id,
            rule: r.clone(),
        })
    );
    assert_eq!(
        w.h.engine
            .read(|b| b.price_list(price_list_id).unwrap().rules.clone()),
        vec![r]
    );
    let eur_list = w.h.id();
    assert_eq!(
        w.h.refused(CreatePriceList {
            price_list_id: eur_list,
            name: "Euro".into(),
            currency: CurrencyCode::new("EUR").unwrap(),
        }),
        DomainError::CurrencyMismatch {
            expected: usd_code(),
            found: CurrencyCode::new("EUR").unwrap(),
        }
    );
}
