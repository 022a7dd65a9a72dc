//! Payment terms: installments with exact due dates (days, months, end of month, a day of
//! the next month) and amounts (percentages rounded, fixed amounts, the balance taking the
//! rest) that add up to the total; the terms a company may not define; the early-payment
//! discount a posted invoice carries.

use crate::common::*;
use crate::currencies::{yen, yen_invoice, yen_world};
use crate::support::{COMPANY, World, dec, usd};
use o2c::chrono::{TimeZone, Utc};
use o2c::invoice::{InvoicePosted, PostInvoice};
use o2c::money::RoundingRule;
use o2c::payment_term::{
    DefinePaymentTerm, Delay, EarlyDiscount, EarlyDiscountBasis, Installment, InvoiceDiscount,
    PaymentTermDefined, TermAmount, TermLine,
};
use o2c::rust_decimal::Decimal;
use o2c::{DomainError, Event, PaymentTermId};

fn term_line(amount: TermAmount, delay: Delay) -> TermLine {
    TermLine {
        amount,
        delay,
        end_of_month: false,
        day_of_next_month: None,
    }
}

fn installment(due: (i32, u32, u32), amount: &str, untaxed: &str) -> Installment {
    Installment {
        due_date: date(due.0, due.1, due.2),
        amount: dec(amount),
        untaxed: dec(untaxed),
        settled: Decimal::ZERO,
    }
}

/// 30% on the invoice date, the balance at the end of the following month.
fn thirty_now_balance_end_of_next_month() -> Vec<TermLine> {
    vec![
        term_line(TermAmount::Percent(dec("30")), Delay::Days(0)),
        TermLine {
            end_of_month: true,
            ..term_line(TermAmount::Balance, Delay::Months(1))
        },
    ]
}

/// Defines a term and gives it to Acme.
fn acme_pays_by(w: &mut World, lines: Vec<TermLine>, early_discount: Option<EarlyDiscount>) -> PaymentTermId {
    let payment_term_id = w.h.id();
    w.h.ok(DefinePaymentTerm {
        payment_term_id,
        name: "Acme's term".into(),
        lines,
        early_discount,
    });
    change_acme(w, |d| d.payment_term_id = Some(payment_term_id));
    payment_term_id
}

fn define(w: &mut World, lines: Vec<TermLine>) -> DefinePaymentTerm {
    DefinePaymentTerm {
        payment_term_id: w.h.id(),
        name: "Term".into(),
        lines,
        early_discount: None,
    }
}

#[test]
fn thirty_percent_now_and_the_balance_at_the_end_of_next_month_add_up_to_the_total() {
    let mut w = World::new();
    let flour = w.flour;
    let payment_term_id = w.h.id();
    let event = only(w.h.ok(DefinePaymentTerm {
        payment_term_id,
        name: "30% now, balance end of next month".into(),
        lines: thirty_now_balance_end_of_next_month(),
        early_discount: None,
    }));
    assert_eq!(
        event,
        Event::PaymentTermDefined(PaymentTermDefined {
            company_id: COMPANY,
            payment_term_id,
            name: "30% now, balance end of next month".into(),
            lines: thirty_now_balance_end_of_next_month(),
            early_discount: None,
        })
    );
    change_acme(&mut w, |d| d.payment_term_id = Some(payment_term_id));
    let order_id = delivered(&mut w, &[(flour, "2.345")]);
    let invoice_id = draft_invoice(&mut w, order_id);

    let event = only(w.h.ok(PostInvoice { invoice_id }));

    assert_eq!(
        event,
        Event::InvoicePosted(InvoicePosted {
            invoice_id,
            number: "INV/2026/00001".into(),
            fiscal_year: 2026,
            sequence: 1,
            invoice_date: date(2026, 3, 2),
            due_date: date(2026, 4, 30),
            total: usd("9.38"),
            restated: None,
            rate: None,
            installments: vec![
                installment((2026, 3, 2), "2.81", "2.81"),
                installment((2026, 4, 30), "6.57", "6.57"),
            ],
            early_discount: None,
        }),
        "30% of 9.38 is 2.814; the balance takes the remaining 6.57"
    );
    let posted = invoice(&w, invoice_id);
    assert_eq!(posted.installments.len(), 2);
    assert_eq!(posted.due_date, Some(date(2026, 4, 30)));
}

#[test]
fn the_untaxed_parts_of_the_installments_add_up_to_the_untaxed_amount() {
    let mut w = World::new();
    let flour = w.flour;
    let vat = percent_tax(&mut w, "VAT 20%", "20");
    set_taxes(&mut w, flour, &[vat]);
    acme_pays_by(&mut w, thirty_now_balance_end_of_next_month(), None);
    let order_id = delivered(&mut w, &[(flour, "2.188")]);

    let posted = posted(&mut w, order_id);

    assert_eq!(
        (posted.untaxed, posted.tax, posted.total),
        (usd("8.75"), usd("1.75"), usd("10.50"))
    );
    assert_eq!(
        posted.installments,
        vec![
            installment((2026, 3, 2), "3.15", "2.63"),
            installment((2026, 4, 30), "7.35", "6.12"),
        ],
        "3.15 holds 2.625 untaxed, rounded to 2.63; the balance takes the untaxed rest"
    );
}

#[test]
fn fixed_and_percentage_lines_come_first_and_the_balance_falls_on_a_day_of_the_next_month() {
    let mut w = World::new();
    let widget = w.widget;
    acme_pays_by(
        &mut w,
        vec![
            term_line(TermAmount::Fixed(usd("5.00")), Delay::Days(0)),
            term_line(TermAmount::Percent(dec("50")), Delay::Days(30)),
            TermLine {
                day_of_next_month: Some(10),
                ..term_line(TermAmount::Balance, Delay::Days(0))
            },
        ],
        None,
    );
    let order_id = delivered(&mut w, &[(widget, "3")]);

    let posted = posted(&mut w, order_id);

    assert_eq!(
        posted.installments,
        vec![
            installment((2026, 3, 2), "5.00", "5.00"),
            installment((2026, 4, 1), "15.00", "15.00"),
            installment((2026, 4, 10), "10.00", "10.00"),
        ]
    );
    assert_eq!(posted.due_date, Some(date(2026, 4, 10)));
}

#[test]
fn the_31st_of_a_short_next_month_is_its_last_day() {
    let mut w = World::new();
    let widget = w.widget;
    acme_pays_by(
        &mut w,
        vec![TermLine {
            day_of_next_month: Some(31),
            ..term_line(TermAmount::Balance, Delay::Days(0))
        }],
        None,
    );
    let order_id = delivered(&mut w, &[(widget, "1")]);
    let invoice_id = draft_invoice(&mut w, order_id);
    w.h.now = Utc.with_ymd_and_hms(2027, 1, 20, 9, 0, 0).unwrap();

    w.h.ok(PostInvoice { invoice_id });

    assert_eq!(
        invoice(&w, invoice_id).installments,
        vec![installment((2027, 2, 28), "10.00", "10.00")]
    );
}

#[test]
fn installments_in_yen_are_whole_yen_and_fixed_dollar_lines_are_converted() {
    let mut w = yen_world();
    let widget = w.widget;
    acme_pays_by(
        &mut w,
        vec![
            term_line(TermAmount::Fixed(usd("10.00")), Delay::Days(0)),
            term_line(TermAmount::Percent(dec("30")), Delay::Days(30)),
            term_line(TermAmount::Balance, Delay::Days(60)),
        ],
        None,
    );
    let order_id = confirmed(&mut w, &[(widget, "3")]);
    let invoice_id = yen_invoice(&mut w, order_id);
    assert_eq!(invoice(&w, invoice_id).total, yen("3750"));
    let gadget = w.gadget;
    let more = confirmed(&mut w, &[(gadget, "1")]);
    let second = yen_invoice(&mut w, more);

    w.h.ok(PostInvoice { invoice_id });
    w.h.ok(PostInvoice { invoice_id: second });

    assert_eq!(
        invoice(&w, invoice_id).installments,
        vec![
            installment((2026, 3, 2), "1250", "1250"),
            installment((2026, 4, 1), "1125", "1125"),
            installment((2026, 5, 1), "1375", "1375"),
        ],
        "10.00 USD is 1250 yen; 30% of 3750 is 1125"
    );
    assert_eq!(
        invoice(&w, second).installments,
        vec![
            installment((2026, 3, 2), "313", "313"),
            installment((2026, 4, 1), "0", "0"),
            installment((2026, 5, 1), "0", "0"),
        ],
        "the fixed line takes all of a 313-yen invoice"
    );
}

#[test]
fn a_term_without_a_balance_line_or_with_the_balance_not_last_is_refused() {
    let mut w = World::new();
    let no_balance = define(
        &mut w,
        vec![term_line(TermAmount::Percent(dec("100")), Delay::Days(30))],
    );
    assert_eq!(w.h.refused(no_balance), DomainError::BalanceLineMustBeLast);

    let balance_first = define(
        &mut w,
        vec![
            term_line(TermAmount::Balance, Delay::Days(0)),
            term_line(TermAmount::Percent(dec("30")), Delay::Days(30)),
        ],
    );
    assert_eq!(w.h.refused(balance_first), DomainError::BalanceLineMustBeLast);

    let two_balances = define(
        &mut w,
        vec![
            term_line(TermAmount::Balance, Delay::Days(0)),
            term_line(TermAmount::Balance, Delay::Days(30)),
        ],
    );
    assert_eq!(w.h.refused(two_balances), DomainError::BalanceLineMustBeLast);
}

#[test]
fn percentages_above_a_hundred_in_all_are_refused() {
    let mut w = World::new();
    let term = define(
        &mut w,
        vec![
            term_line(TermAmount::Percent(dec("60")), Delay::Days(0)),
            term_line(TermAmount::Percent(dec("50")), Delay::Days(30)),
            term_line(TermAmount::Balance, Delay::Days(60)),
        ],
    );

    assert_eq!(
        w.h.refused(term),
        DomainError::InvalidPercent {
            field: "lines",
            value: dec("110"),
        }
    );
}

#[test]
fn a_day_of_the_next_month_outside_1_to_31_is_refused() {
    let mut w = World::new();
    for day in [0, 32] {
        let term = define(
            &mut w,
            vec![TermLine {
                day_of_next_month: Some(day),
                ..term_line(TermAmount::Balance, Delay::Days(0))
            }],
        );
        assert_eq!(w.h.refused(term), DomainError::InvalidDayOfMonth { day });
    }
}

#[test]
fn a_posted_invoice_carries_the_early_payment_discount_of_its_term() {
    let mut w = World::new();
    let widget = w.widget;
    let vat = percent_tax(&mut w, "VAT 20%", "20");
    set_taxes(&mut w, widget, &[vat]);
    acme_pays_by(
        &mut w,
        vec![term_line(TermAmount::Balance, Delay::Days(30))],
        Some(EarlyDiscount {
            percent: dec("2"),
            within_days: 10,
        }),
    );
    let order_id = delivered(&mut w, &[(widget, "3")]);

    let posted = posted(&mut w, order_id);

    let discount = posted.early_discount.clone().expect("the term grants one");
    assert_eq!(
        discount,
        InvoiceDiscount {
            percent: dec("2"),
            until: date(2026, 3, 12),
            basis: EarlyDiscountBasis::Untaxed,
        }
    );
    let only_installment = &posted.installments[0];
    assert_eq!(*only_installment, installment((2026, 4, 1), "36.00", "30.00"));
    let on = |day| {
        discount.on(
            only_installment,
            date(2026, 3, day),
            2,
            RoundingRule::HalfAwayFromZero,
        )
    };
    assert_eq!(on(12), dec("0.60"), "2% of the untaxed 30.00, on the last day");
    assert_eq!(on(13), dec("0"), "too late");
    let on_total = InvoiceDiscount {
        basis: EarlyDiscountBasis::Total,
        ..discount
    };
    assert_eq!(
        on_total.on(
            only_installment,
            date(2026, 3, 5),
            2,
            RoundingRule::HalfAwayFromZero
        ),
        dec("0.72"),
        "2% of the total 36.00"
    );
}

#[test]
fn the_early_discount_basis_is_the_company_setting_at_posting() {
    let mut w = World::new();
    let widget = w.widget;
    change_settings(&mut w, |s| s.early_discount_basis = EarlyDiscountBasis::Total);
    acme_pays_by(
        &mut w,
        vec![term_line(TermAmount::Balance, Delay::Days(30))],
        Some(EarlyDiscount {
            percent: dec("2.5"),
            within_days: 8,
        }),
    );
    let order_id = delivered(&mut w, &[(widget, "1")]);
    let invoice_id = draft_invoice(&mut w, order_id);
    w.h.advance_days(1);

    let event = only(w.h.ok(PostInvoice { invoice_id }));

    let Event::InvoicePosted(posted) = event else {
        panic!("expected InvoicePosted, got {event:?}")
    };
    assert_eq!(
        posted.early_discount,
        Some(InvoiceDiscount {
            percent: dec("2.5"),
            until: date(2026, 3, 11),
            basis: EarlyDiscountBasis::Total,
        })
    );
}
