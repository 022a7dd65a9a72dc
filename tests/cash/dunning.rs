//! Dunning: levels at 7, 21 and 45 days overdue by default; one notice per customer listing
//! every overdue installment; a level is issued once and never goes back; a payment lets
//! the customer start over; customers with nothing overdue get nothing.

use crate::common::*;
use crate::support::{World, details, usd};
use o2c::chrono::NaiveDate;
use o2c::collections::{DunningNoticeIssued, OverdueInstallment, RunDunning};
use o2c::company::DunningLevel;
use o2c::customer::RegisterCustomer;
use o2c::{CustomerId, DomainError, Event, InvoiceId};

fn overdue(w: &World, invoice_id: InvoiceId, open: &str, as_of: NaiveDate) -> OverdueInstallment {
    let posted = invoice(w, invoice_id);
    let due_date = posted.installments[0].due_date;
    OverdueInstallment {
        invoice_id,
        number: posted.number.unwrap(),
        installment: 0,
        due_date,
        open: usd(open),
        days_overdue: u32::try_from((as_of - due_date).num_days()).unwrap(),
    }
}

fn notice(
    customer_id: CustomerId,
    level: u32,
    level_name: &str,
    as_of: NaiveDate,
    installments: Vec<OverdueInstallment>,
) -> Event {
    Event::DunningNoticeIssued(DunningNoticeIssued {
        customer_id,
        level,
        level_name: level_name.into(),
        as_of,
        installments,
    })
}

/// Widget ×10 invoiced to Acme on 2 March: due 1 April.
fn acme_owes_100(w: &mut World) -> InvoiceId {
    let widget = w.widget;
    invoiced(w, &[(widget, "10")])
}

#[test]
fn seven_days_overdue_brings_a_reminder_listing_every_overdue_installment() {
    let mut w = World::new();
    let first = acme_owes_100(&mut w);
    w.h.advance_days(3);
    let gadget = w.gadget;
    let second = invoiced(&mut w, &[(gadget, "4")]);
    let as_of = date(2026, 4, 8);

    let event = only(w.h.ok(RunDunning { as_of }));

    // The first is 7 days overdue, the second (due 4 April) 4 days.
    assert_eq!(
        event,
        notice(
            w.customer,
            0,
            "Reminder",
            as_of,
            vec![
                overdue(&w, first, "100.00", as_of),
                overdue(&w, second, "10.00", as_of)
            ],
        )
    );
    assert_eq!(customer(&w).dunning_level, Some(0));
}

#[test]
fn nothing_is_due_before_the_first_level_nor_twice_the_same_level() {
    let mut w = World::new();
    acme_owes_100(&mut w);
    let early = date(2026, 4, 7);
    assert_eq!(
        w.h.refused(RunDunning { as_of: early }),
        DomainError::NoDunningDue { as_of: early },
        "6 days overdue reaches no level"
    );
    let as_of = date(2026, 4, 8);
    w.h.ok(RunDunning { as_of });

    assert_eq!(
        w.h.refused(RunDunning { as_of }),
        DomainError::NoDunningDue { as_of }
    );
}

#[test]
fn twenty_one_days_overdue_brings_the_second_reminder_and_the_level_never_goes_back() {
    let mut w = World::new();
    let invoice_id = acme_owes_100(&mut w);
    w.h.ok(RunDunning {
        as_of: date(2026, 4, 8),
    });
    let as_of = date(2026, 4, 22);

    let event = only(w.h.ok(RunDunning { as_of }));

    assert_eq!(
        event,
        notice(
            w.customer,
            1,
            "Second reminder",
            as_of,
            vec![overdue(&w, invoice_id, "100.00", as_of)],
        )
    );
    assert_eq!(customer(&w).dunning_level, Some(1));
    let earlier = date(2026, 4, 10);
    assert_eq!(
        w.h.refused(RunDunning { as_of: earlier }),
        DomainError::NoDunningDue { as_of: earlier },
        "an earlier run does not bring the reminder back"
    );
    assert_eq!(customer(&w).dunning_level, Some(1));
}

#[test]
fn a_payment_lets_the_customer_start_over() {
    let mut w = World::new();
    let invoice_id = acme_owes_100(&mut w);
    let as_of = date(2026, 4, 22);
    w.h.ok(RunDunning { as_of });
    assert_eq!(customer(&w).dunning_level, Some(1));
    let payment_id = pay(&mut w, usd("30.00"));

    allocate(&mut w, payment_id, invoice_id, usd("30.00"));

    assert_eq!(customer(&w).dunning_level, None);
    let event = only(w.h.ok(RunDunning { as_of }));
    assert_eq!(
        event,
        notice(
            w.customer,
            1,
            "Second reminder",
            as_of,
            vec![overdue(&w, invoice_id, "70.00", as_of)],
        ),
        "the notice is issued again, for what is still open"
    );
}

#[test]
fn one_run_issues_one_notice_per_customer_with_something_overdue() {
    let mut w = World::new();
    let acme_invoice = acme_owes_100(&mut w);
    let register = |w: &mut World, name: &str| {
        let customer_id: CustomerId = w.h.id();
        w.h.ok(RegisterCustomer {
            customer_id,
            details: details(name, 30),
            credit_limit: Some(usd("5000.00")),
        });
        customer_id
    };
    let globex = register(&mut w, "Globex");
    let initech = register(&mut w, "Initech");
    let gadget = w.gadget;
    let order_id = delivered_to(&mut w, globex, &[(gadget, "20")]);
    let globex_invoice = posted_invoice(&mut w, order_id);
    let order_id = delivered_to(&mut w, initech, &[(gadget, "2")]);
    let initech_invoice = posted_invoice(&mut w, order_id);
    let payment_id = pay_from(&mut w, initech, usd("5.00"));
    allocate(&mut w, payment_id, initech_invoice, usd("5.00"));
    let as_of = date(2026, 4, 8);

    let recorded = events(w.h.ok(RunDunning { as_of }));

    assert_eq!(
        recorded,
        [
            notice(
                w.customer,
                0,
                "Reminder",
                as_of,
                vec![overdue(&w, acme_invoice, "100.00", as_of)],
            ),
            notice(
                globex,
                0,
                "Reminder",
                as_of,
                vec![overdue(&w, globex_invoice, "50.00", as_of)],
            ),
        ],
        "Initech paid and gets nothing"
    );
    assert_eq!(customer_of(&w, initech).dunning_level, None);
}

#[test]
fn the_company_configures_its_own_levels() {
    let mut w = World::new();
    let invoice_id = acme_owes_100(&mut w);
    change_settings(&mut w, |s| {
        s.dunning_levels = vec![
            DunningLevel {
                name: "Courtesy call".into(),
                days_overdue: 1,
            },
            DunningLevel {
                name: "Collection agency".into(),
                days_overdue: 60,
            },
        ];
    });
    let as_of = date(2026, 4, 2);

    let event = only(w.h.ok(RunDunning { as_of }));

    assert_eq!(
        event,
        notice(
            w.customer,
            0,
            "Courtesy call",
            as_of,
            vec![overdue(&w, invoice_id, "100.00", as_of)],
        ),
        "one day overdue"
    );
    let as_of = date(2026, 5, 31);
    let event = only(w.h.ok(RunDunning { as_of }));
    assert_eq!(
        event,
        notice(
            w.customer,
            1,
            "Collection agency",
            as_of,
            vec![overdue(&w, invoice_id, "100.00", as_of)],
        ),
        "sixty days overdue"
    );
}
