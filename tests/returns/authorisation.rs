//! Authorising a return: what may be returned of a line (delivered, less what other live
//! authorisations expect), the reason list, the validity, the roles.

use crate::common::*;
use crate::support::{COMPANY, World, dec, person};
use o2c::order::{ConfirmOrder, CreateQuotation, OrderStatus, RequestedLine};
use o2c::returns::{ReturnAuthorised, ReturnReason, ReturnStatus, ReturnedQuantity};
use o2c::{DomainError, Event, Role};

#[test]
fn authorising_part_of_a_delivery_records_the_lines_the_reason_and_the_default_validity() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "10")]);
    let return_id = w.h.id();
    let mut command = authorisation(return_id, order_id, vec![rq(1, "4")]);
    command.note = "two boxes crushed".into();
    let event = only(w.h.ok(command));
    assert_eq!(
        event,
        Event::ReturnAuthorised(ReturnAuthorised {
            return_id,
            order_id,
            customer_id: w.customer,
            warehouse_id: w.warehouse,
            lines: vec![ReturnedQuantity {
                order_line: 1,
                product_id: widget,
                quantity: dec("4"),
                lot: None,
                serials: vec![],
            }],
            reason: "damaged-in-transit".into(),
            note: "two boxes crushed".into(),
            authorised_on: date(2026, 3, 2),
            valid_until: date(2026, 4, 1),
        })
    );
    let state = rma(&w, return_id);
    assert_eq!(state.status, ReturnStatus::Authorised);
    assert_eq!(state.outstanding(), dec("4"));
    assert_eq!(state.authorised_by.as_str(), "tester");
    // Nothing changes on the order or in stock until the goods come back.
    assert_eq!(figures(&w, order_id, 1), decs(["10", "0", "0", "0"]));
    assert_eq!(where_is(&w, widget), decs(["0", "0", "0", "0", "10", "-10"]));
}

#[test]
fn more_than_was_delivered_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "10")]);
    let return_id = w.h.id();
    assert_eq!(
        w.h.refused(authorisation(return_id, order_id, vec![rq(1, "11")])),
        DomainError::ReturnExceedsDelivered {
            line: 1,
            lot: None,
            requested: dec("11"),
            returnable: dec("10"),
        }
    );
}

#[test]
fn a_line_not_shipped_yet_has_nothing_to_return() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    receive(&mut w, widget, "10");
    let customer = w.customer;
    let order_id = confirmed_for(&mut w, customer, &[(widget, "10"), (gadget, "5")]);
    ship(&mut w, order_id, &[(1, "10")]);
    let return_id = w.h.id();
    assert_eq!(
        w.h.refused(authorisation(return_id, order_id, vec![rq(2, "1")])),
        DomainError::ReturnExceedsDelivered {
            line: 2,
            lot: None,
            requested: dec("1"),
            returnable: dec("0"),
        }
    );
    assert_eq!(
        w.h.refused(authorisation(return_id, order_id, vec![rq(3, "1")])),
        DomainError::UnknownOrderLine { order_id, line: 3 }
    );
}

#[test]
fn a_quotation_has_nothing_to_return() {
    let mut w = World::new();
    let order_id = w.h.id();
    let (customer_id, warehouse_id, widget) = (w.customer, w.warehouse, w.widget);
    w.h.ok(CreateQuotation {
        order_id,
        customer_id,
        warehouse_id,
        lines: vec![RequestedLine::new(widget, dec("1"))],
        customer_reference: String::new(),
        shipping_policy: Default::default(),
        backorder_policy: None,
        urgent: false,
    });
    let return_id = w.h.id();
    assert_eq!(
        w.h.refused(authorisation(return_id, order_id, vec![rq(1, "1")])),
        DomainError::OrderNotConfirmed { order_id }
    );
    w.h.ok(ConfirmOrder { order_id });
    assert_eq!(order(&w, order_id).status, OrderStatus::Confirmed);
    assert_eq!(
        w.h.refused(authorisation(return_id, order_id, vec![rq(1, "1")])),
        DomainError::ReturnExceedsDelivered {
            line: 1,
            lot: None,
            requested: dec("1"),
            returnable: dec("0"),
        }
    );
}

#[test]
fn another_live_authorisation_counts_against_what_may_be_returned_until_it_expires() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "10")]);
    let first = w.h.id();
    let mut command = authorisation(first, order_id, vec![rq(1, "6")]);
    command.valid_until = Some(date(2026, 3, 10));
    w.h.ok(command);
    let second = w.h.id();
    assert_eq!(
        w.h.refused(authorisation(second, order_id, vec![rq(1, "5")])),
        DomainError::ReturnExceedsDelivered {
            line: 1,
            lot: None,
            requested: dec("5"),
            returnable: dec("4"),
        }
    );
    // Once the first expires, what it still expected may be authorised again.
    w.h.advance_days(9);
    w.h.ok(authorisation(second, order_id, vec![rq(1, "10")]));
    assert_eq!(rma(&w, second).outstanding(), dec("10"));
}

#[test]
fn the_reason_must_come_from_the_company_list_which_is_configurable() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "10")]);
    let return_id = w.h.id();
    let mut command = authorisation(return_id, order_id, vec![rq(1, "1")]);
    command.reason = "changed-mind".into();
    assert_eq!(
        w.h.refused(command.clone()),
        DomainError::UnknownReturnReason {
            code: "changed-mind".into()
        }
    );
    let defaults: Vec<String> = ReturnReason::defaults().into_iter().map(|r| r.code).collect();
    assert_eq!(
        defaults,
        [
            "damaged-in-transit",
            "wrong-item",
            "not-as-described",
            "surplus",
            "expired"
        ]
    );
    change_settings(&mut w, |s| {
        s.return_reasons.push(ReturnReason::new(
            "changed-mind",
            "The customer changed their mind",
        ))
    });
    w.h.ok(command);
    assert_eq!(rma(&w, return_id).reason, "changed-mind");
    // A list with a code twice is refused.
    let mut settings = w.h.engine.read(|b| b.company().unwrap().settings.clone());
    settings
        .return_reasons
        .push(ReturnReason::new("surplus", "again"));
    assert_eq!(
        w.h.refused(o2c::company::ChangeCompanySettings { settings }),
        DomainError::DuplicateReturnReason {
            code: "surplus".into()
        }
    );
}

#[test]
fn validity_is_the_setting_unless_given_and_never_before_today() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "10")]);
    change_settings(&mut w, |s| s.return_validity_days = 7);
    let first = authorise(&mut w, order_id, vec![rq(1, "1")]);
    assert_eq!(rma(&w, first).valid_until, date(2026, 3, 9));
    let second = w.h.id();
    let mut command = authorisation(second, order_id, vec![rq(1, "1")]);
    command.valid_until = Some(date(2026, 3, 1));
    assert_eq!(
        w.h.refused(command.clone()),
        DomainError::ReturnValidityInPast {
            valid_until: date(2026, 3, 1),
            today: date(2026, 3, 2),
        }
    );
    command.valid_until = Some(date(2026, 3, 2));
    w.h.ok(command);
    assert_eq!(rma(&w, second).valid_until, date(2026, 3, 2));
}

#[test]
fn empty_and_repeated_lines_and_reused_ids_are_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "10")]);
    let return_id = w.h.id();
    assert_eq!(
        w.h.refused(authorisation(return_id, order_id, vec![])),
        DomainError::EmptyReturn { return_id }
    );
    assert_eq!(
        w.h.refused(authorisation(return_id, order_id, vec![rq(1, "1"), rq(1, "2")])),
        DomainError::DuplicateLine { line: 1 }
    );
    assert_eq!(
        w.h.refused(authorisation(return_id, order_id, vec![rq(1, "0")])),
        DomainError::NonPositiveQuantity { quantity: dec("0") }
    );
    assert_eq!(
        w.h.refused(authorisation(order_id.0.into(), order_id, vec![rq(1, "1")])),
        DomainError::IdAlreadyUsed {
            id: order_id.0,
            kind: o2c::EntityKind::Order,
        }
    );
}

#[test]
fn only_sales_managers_and_customer_service_leads_authorise() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "10")]);
    let return_id = w.h.id();
    for role in [Role::SalesRep, Role::CustomerService, Role::WarehouseManager] {
        let refusal = w.h.as_actor(person("someone", &[role]), |h| {
            h.refused(authorisation(return_id, order_id, vec![rq(1, "1")]))
        });
        assert!(
            matches!(
                &refusal,
                DomainError::NotAuthorized { command: "AuthoriseReturn", company, required, .. }
                    if *company == COMPANY
                        && *required == vec![Role::SalesManager, Role::CustomerServiceLead]
            ),
            "{role}: {refusal:?}"
        );
    }
    w.h.as_actor(person("lead", &[Role::CustomerServiceLead]), |h| {
        h.ok(authorisation(return_id, order_id, vec![rq(1, "1")]))
    });
    assert_eq!(rma(&w, return_id).authorised_by.as_str(), "lead");
}
