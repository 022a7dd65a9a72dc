//! Discount approval: combined discounts, threshold, floor price, segregation of duties.

use crate::common::*;
use crate::support::{World, dec, usd};
use o2c::core::error::Duty;
use o2c::order::{
    AddQuotationLine, ApprovalReason, ApproveDiscount, ChangeOrderLine, ConfirmOrder, DiscountApproved,
    OverrideLinePrice, RevalidateQuotation, SetOrderDiscount, combined_discount,
};
use o2c::product::ChangeProduct;
use o2c::rust_decimal::Decimal;
use o2c::{Actor, Command, DomainError, Event, OrderId, ProductId, Role};

fn above_threshold(line: u32, discount: &str) -> ApprovalReason {
    ApprovalReason::DiscountAboveThreshold {
        line,
        discount_percent: dec(discount),
        threshold: dec("10"),
    }
}

#[test]
fn line_and_order_discounts_combine() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quotation_by(&mut w, rep(), vec![discounted(widget, "10", "10")]);
    ok_as(
        &mut w.h,
        rep(),
        SetOrderDiscount {
            order_id,
            discount_percent: dec("5"),
        },
    );
    let o = order(&w, order_id);
    assert_eq!(combined_discount(dec("10"), dec("5")), dec("14.5"));
    assert_eq!(o.effective_discount(&o.lines[0]), dec("14.5"));
    assert_eq!(o.net_unit_price(&o.lines[0]), dec("8.55"));

    assert_eq!(
        refused_as(&mut w.h, rep(), ConfirmOrder { order_id }),
        DomainError::ApprovalRequired {
            order_id,
            reasons: vec![above_threshold(1, "14.5")],
        }
    );
}

#[test]
fn a_discount_at_the_threshold_needs_no_approval() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quotation_by(&mut w, rep(), vec![discounted(widget, "10", "10")]);
    let Event::OrderConfirmed(e) = event(ok_as(&mut w.h, rep(), ConfirmOrder { order_id })) else {
        panic!("expected OrderConfirmed")
    };
    assert_eq!(e.amount, usd("90.00"));
}

#[test]
fn a_changed_threshold_applies_to_the_next_confirmation() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quotation_by(&mut w, rep(), vec![discounted(widget, "10", "10")]);
    w.h.ok(settings(|s| s.discount_approval_threshold = dec("7.5")));
    assert_eq!(
        refused_as(&mut w.h, rep(), ConfirmOrder { order_id }),
        DomainError::ApprovalRequired {
            order_id,
            reasons: vec![ApprovalReason::DiscountAboveThreshold {
                line: 1,
                discount_percent: dec("10"),
                threshold: dec("7.5"),
            }],
        }
    );
}

#[test]
fn a_net_price_below_the_floor_price_needs_approval() {
    let mut w = World::new();
    let premium = new_product(&mut w, "PREMIUM", "10.00", None, Some("9.60"));
    let small = quotation_by(&mut w, rep(), vec![discounted(premium, "1", "5")]);
    assert_eq!(
        refused_as(&mut w.h, rep(), ConfirmOrder { order_id: small }),
        DomainError::ApprovalRequired {
            order_id: small,
            reasons: vec![ApprovalReason::BelowFloorPrice {
                line: 1,
                net_price: usd("9.50"),
                floor_price: usd("9.60"),
            }],
        }
    );
    // Both reasons, in line order: the discount, then the floor.
    let big = quotation_by(&mut w, rep(), vec![discounted(premium, "1", "15")]);
    assert_eq!(
        refused_as(&mut w.h, rep(), ConfirmOrder { order_id: big }),
        DomainError::ApprovalRequired {
            order_id: big,
            reasons: vec![
                above_threshold(1, "15"),
                ApprovalReason::BelowFloorPrice {
                    line: 1,
                    net_price: usd("8.50"),
                    floor_price: usd("9.60"),
                },
            ],
        }
    );
    // A manual price below the floor needs it too.
    let manual = quotation_by(&mut w, rep(), requested(&[(premium, "1")]));
    ok_as(
        &mut w.h,
        manager(),
        OverrideLinePrice {
            order_id: manual,
            line: 1,
            unit_price: usd("9.00"),
            reason: "Clearance".into(),
        },
    );
    assert_eq!(
        refused_as(&mut w.h, rep(), ConfirmOrder { order_id: manual }),
        DomainError::ApprovalRequired {
            order_id: manual,
            reasons: vec![ApprovalReason::BelowFloorPrice {
                line: 1,
                net_price: usd("9.00"),
                floor_price: usd("9.60"),
            }],
        }
    );
}

#[test]
fn a_sales_manager_who_neither_created_nor_last_changed_it_approves() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quotation_by(&mut w, rep(), vec![discounted(widget, "10", "15")]);

    let outcome = ok_as(
        &mut w.h,
        manager(),
        ApproveDiscount {
            order_id,
            note: "Volume deal".into(),
        },
    );
    assert_eq!(only(&outcome).actor, actor_id("max"));
    assert_eq!(
        event(outcome),
        Event::DiscountApproved(DiscountApproved {
            order_id,
            reasons: vec![above_threshold(1, "15")],
            note: "Volume deal".into(),
        })
    );
    assert_eq!(order(&w, order_id).discount_approved_by, Some(actor_id("max")));
    let Event::OrderConfirmed(e) = event(ok_as(&mut w.h, rep(), ConfirmOrder { order_id })) else {
        panic!("expected OrderConfirmed")
    };
    assert_eq!(e.amount, usd("85.00"));
}

#[test]
fn the_creator_may_not_approve_their_own_discount() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quotation_by(&mut w, manager(), vec![discounted(widget, "10", "15")]);
    assert_eq!(
        refused_as(
            &mut w.h,
            manager(),
            ApproveDiscount {
                order_id,
                note: String::new(),
            }
        ),
        DomainError::SegregationOfDuties {
            actor: actor_id("max"),
            order_id,
            duty: Duty::ApproveDiscount,
        }
    );
}

#[test]
fn the_last_changer_may_not_approve_the_discount() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quotation_by(&mut w, rep(), requested(&[(widget, "10")]));
    ok_as(
        &mut w.h,
        manager2(),
        SetOrderDiscount {
            order_id,
            discount_percent: dec("12"),
        },
    );
    assert_eq!(order(&w, order_id).last_changed_by, actor_id("mona"));
    assert_eq!(
        refused_as(
            &mut w.h,
            manager2(),
            ApproveDiscount {
                order_id,
                note: String::new(),
            }
        ),
        DomainError::SegregationOfDuties {
            actor: actor_id("mona"),
            order_id,
            duty: Duty::ApproveDiscount,
        }
    );
    ok_as(
        &mut w.h,
        manager(),
        ApproveDiscount {
            order_id,
            note: "OK".into(),
        },
    );
    confirm(&mut w, order_id);
}

#[test]
fn a_sales_rep_may_not_approve_a_discount() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quotation_by(&mut w, rep(), vec![discounted(widget, "10", "15")]);
    assert_eq!(
        refused_as(
            &mut w.h,
            rep2(),
            ApproveDiscount {
                order_id,
                note: String::new(),
            }
        ),
        not_authorized("ron", "ApproveDiscount", &[Role::SalesManager])
    );
}

#[test]
fn approving_needs_something_to_approve_and_happens_once() {
    let mut w = World::new();
    let widget = w.widget;
    let plain = quotation_by(&mut w, rep(), requested(&[(widget, "10")]));
    assert_eq!(
        refused_as(
            &mut w.h,
            manager(),
            ApproveDiscount {
                order_id: plain,
                note: String::new(),
            }
        ),
        DomainError::NoApprovalNeeded { order_id: plain }
    );
    let order_id = quotation_by(&mut w, rep(), vec![discounted(widget, "10", "15")]);
    ok_as(
        &mut w.h,
        manager(),
        ApproveDiscount {
            order_id,
            note: String::new(),
        },
    );
    assert_eq!(
        refused_as(
            &mut w.h,
            manager2(),
            ApproveDiscount {
                order_id,
                note: String::new(),
            }
        ),
        DomainError::AlreadyApproved { order_id }
    );
}

#[test]
fn any_later_price_change_voids_the_approval() {
    type Change = fn(OrderId, ProductId) -> (Actor, Command);
    let changes: [(&str, Change); 5] = [
        ("order discount", |order_id, _| {
            (
                rep(),
                SetOrderDiscount {
                    order_id,
                    discount_percent: dec("1"),
                }
                .into(),
            )
        }),
        ("line change", |order_id, _| {
            (rep(), change_quantity(order_id, 1, "11", "").into())
        }),
        ("price override", |order_id, _| {
            (
                manager2(),
                OverrideLinePrice {
                    order_id,
                    line: 1,
                    unit_price: usd("9.00"),
                    reason: "Rounder".into(),
                }
                .into(),
            )
        }),
        ("added line", |order_id, gadget| {
            (
                rep(),
                AddQuotationLine {
                    order_id,
                    product_id: gadget,
                    quantity: dec("1"),
                    discount_percent: Decimal::ZERO,
                    promised_date: None,
                    unit: None,
                    warehouse_id: None,
                }
                .into(),
            )
        }),
        ("revalidation", |order_id, _| {
            (rep(), RevalidateQuotation { order_id }.into())
        }),
    ];
    for (what, change) in changes {
        let mut w = World::new();
        let (widget, gadget) = (w.widget, w.gadget);
        let order_id = quotation_by(&mut w, rep(), vec![discounted(widget, "10", "15")]);
        ok_as(
            &mut w.h,
            manager(),
            ApproveDiscount {
                order_id,
                note: String::new(),
            },
        );
        let (actor, command) = change(order_id, gadget);
        ok_as(&mut w.h, actor, command);
        assert_eq!(order(&w, order_id).discount_approved_by, None, "{what}");
        let refusal = refused_as(&mut w.h, rep(), ConfirmOrder { order_id });
        assert!(
            matches!(&refusal, DomainError::ApprovalRequired { order_id: o, reasons } if *o == order_id && !reasons.is_empty()),
            "{what}: {refusal:?}"
        );
    }
}

#[test]
fn nobody_who_changed_the_prices_may_approve_even_after_a_colleagues_later_change() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quotation_by(&mut w, rep(), requested(&[(widget, "10")]));
    // mona sets the discount; the rep then changes only the quantity, becoming the last
    // changer: mona may still not approve her own discount.
    ok_as(
        &mut w.h,
        manager2(),
        SetOrderDiscount {
            order_id,
            discount_percent: dec("30"),
        },
    );
    ok_as(&mut w.h, rep(), change_quantity(order_id, 1, "11", ""));
    assert_eq!(order(&w, order_id).last_changed_by, actor_id("rita"));
    // Each changer once, in order (rita created the quotation and changed it again).
    assert_eq!(
        order(&w, order_id).price_changers,
        [actor_id("mona"), actor_id("rita")]
    );
    assert_eq!(
        refused_as(
            &mut w.h,
            manager2(),
            ApproveDiscount {
                order_id,
                note: String::new()
            }
        ),
        DomainError::SegregationOfDuties {
            actor: actor_id("mona"),
            order_id,
            duty: Duty::ApproveDiscount
        }
    );
    ok_as(
        &mut w.h,
        manager(),
        ApproveDiscount {
            order_id,
            note: "OK".into(),
        },
    );
    confirm(&mut w, order_id);
}

#[test]
fn moving_only_the_promised_date_of_a_quotation_keeps_its_approval() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quotation_by(&mut w, rep(), vec![discounted(widget, "10", "15")]);
    ok_as(
        &mut w.h,
        manager(),
        ApproveDiscount {
            order_id,
            note: String::new(),
        },
    );
    ok_as(
        &mut w.h,
        rep(),
        ChangeOrderLine {
            order_id,
            line: 1,
            quantity: None,
            discount_percent: None,
            promised_date: Some(date(2026, 4, 1)),
            reason: String::new(),
        },
    );
    assert_eq!(order(&w, order_id).discount_approved_by, Some(actor_id("max")));
    confirm(&mut w, order_id);
}

#[test]
fn an_approval_does_not_cover_a_reason_that_appears_after_it() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quotation_by(&mut w, rep(), vec![discounted(widget, "10", "15")]);
    ok_as(
        &mut w.h,
        manager(),
        ApproveDiscount {
            order_id,
            note: String::new(),
        },
    );
    // The widget's floor price is raised above the approved net price (10.00 less 15%).
    ok_as(
        &mut w.h,
        admin(),
        ChangeProduct {
            product_id: widget,
            name: "WIDGET".into(),
            category: None,
            list_price: usd("10.00"),
            floor_price: Some(usd("9.00")),
            substitutes: vec![],
            invoice_policy: Default::default(),
            taxes: vec![],
        },
    );
    let refusal = refused_as(&mut w.h, rep(), ConfirmOrder { order_id });
    assert_eq!(
        refusal,
        DomainError::ApprovalRequired {
            order_id,
            reasons: vec![ApprovalReason::BelowFloorPrice {
                line: 1,
                net_price: usd("8.50"),
                floor_price: usd("9.00"),
            }],
        }
    );
    ok_as(
        &mut w.h,
        manager2(),
        ApproveDiscount {
            order_id,
            note: "floor exception".into(),
        },
    );
    confirm(&mut w, order_id);
}
