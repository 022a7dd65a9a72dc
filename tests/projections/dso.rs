//! Days sales outstanding: receivable at the end of a period ÷ the period's credit sales
//! (posted invoices less credit notes, in the company currency) × its days, for the
//! company and per customer, on known periods; credit notes lower the sales of their own
//! period only; no sales, no DSO.

use crate::steps::{credit_note, customer, day, euro_at, invoiced, pay, projections, receivable};
use crate::support::{World, dec, eur, usd};
use o2c::invoice::CreditNoteKind;
use o2c::money::CurrencyCode;
use o2c::projections::{DsoReport, DsoRow};
use o2c::rust_decimal::Decimal;

#[test]
fn dso_is_the_receivable_at_the_end_over_the_sales_of_the_period_times_its_days() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    let first = invoiced(&mut w, acme, &[(widget, "10")], None); // 03-02: 100.00
    w.h.advance_days(14);
    invoiced(&mut w, acme, &[(widget, "20")], None); // 03-16: 200.00
    w.h.advance_days(4);
    pay(&mut w, acme, first, usd("100.00"), None); // 03-20
    let p = projections(&w);

    let march = p.dso.state.report(&p.aging.state, day(3, 1), day(3, 31));
    assert_eq!(
        march,
        DsoReport {
            from: day(3, 1),
            to: day(3, 31),
            days: 31,
            receivable: dec("200.00"),
            credit_sales: dec("300.00"),
            dso: Some(dec("20.67")),
            customers: vec![DsoRow {
                customer_id: acme,
                receivable: dec("200.00"),
                credit_sales: dec("300.00"),
                dso: Some(dec("20.67")),
            }],
        },
        "200 / 300 × 31 = 20.666…"
    );
    assert_eq!(march.receivable, receivable(&w, acme));
    let first_half = p.dso.state.report(&p.aging.state, day(3, 1), day(3, 15));
    assert_eq!(
        (
            first_half.days,
            first_half.credit_sales,
            first_half.receivable,
            first_half.dso
        ),
        (15, dec("100.00"), dec("100.00"), Some(dec("15.00"))),
        "the receivable as of 03-15, before the second invoice"
    );
    let one_day = p.dso.state.report(&p.aging.state, day(3, 16), day(3, 16));
    assert_eq!(
        (
            one_day.days,
            one_day.credit_sales,
            one_day.receivable,
            one_day.dso
        ),
        (1, dec("200.00"), dec("300.00"), Some(dec("1.50")))
    );
}

#[test]
fn a_credit_note_lowers_the_sales_of_the_period_it_is_dated_in() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    let invoice_id = invoiced(&mut w, acme, &[(widget, "10")], None); // 03-02: 100.00
    w.h.advance_days(30); // 04-01
    credit_note(
        &mut w,
        invoice_id,
        CreditNoteKind::PriceCorrection(usd("20.00")),
        "price agreed",
    );
    let p = projections(&w);
    let (dso, aging) = (&p.dso.state, &p.aging.state);

    let march = dso.report(aging, day(3, 1), day(3, 31));
    assert_eq!(
        (march.credit_sales, march.receivable, march.dso),
        (dec("100.00"), dec("100.00"), Some(dec("31.00"))),
        "March is as it stood: the credit note is April's"
    );
    let april = dso.report(aging, day(4, 1), day(4, 30));
    assert_eq!(
        (april.credit_sales, april.receivable, april.dso),
        (dec("-20.00"), dec("80.00"), None),
        "April has only a credit note: no sales to measure against"
    );
    let both = dso.report(aging, day(3, 1), day(4, 30));
    assert_eq!(
        (both.days, both.credit_sales, both.receivable, both.dso),
        (61, dec("80.00"), dec("80.00"), Some(dec("61.00")))
    );
    assert_eq!(dso.credit_sales(acme, day(3, 2), day(4, 1)), dec("80.00"));
    assert_eq!(dso.credit_sales(acme, day(3, 3), day(3, 31)), Decimal::ZERO);
}

#[test]
fn a_period_without_sales_has_no_dso_but_shows_the_receivable() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    invoiced(&mut w, acme, &[(widget, "10")], None); // 03-02: 100.00
    w.h.advance_days(40);
    let p = projections(&w);
    let (dso, aging) = (&p.dso.state, &p.aging.state);

    assert_eq!(
        dso.report(aging, day(4, 1), day(4, 30)),
        DsoReport {
            from: day(4, 1),
            to: day(4, 30),
            days: 30,
            receivable: dec("100.00"),
            credit_sales: Decimal::ZERO,
            dso: None,
            customers: vec![DsoRow {
                customer_id: acme,
                receivable: dec("100.00"),
                credit_sales: Decimal::ZERO,
                dso: None,
            }],
        }
    );
    let before = dso.report(aging, day(2, 1), day(2, 28));
    assert_eq!(
        (before.receivable, before.dso, before.customers),
        (Decimal::ZERO, None, vec![])
    );
    let backwards = dso.report(aging, day(3, 31), day(3, 1));
    assert_eq!(
        (backwards.days, backwards.credit_sales, backwards.dso),
        (0, Decimal::ZERO, None),
        "a period ending before it starts is empty"
    );
}

#[test]
fn each_customer_has_its_own_dso_and_euro_sales_count_at_their_rate() {
    let mut w = World::new();
    let (acme, widget, gadget) = (w.customer, w.widget, w.gadget);
    let beta = customer(&mut w, "Beta", 15, None);
    euro_at(&mut w, day(3, 1), "1.25");
    // 03-02: Acme 80.00 EUR at 1.25 = 100.00; Beta 20.00 USD.
    let euro_invoice = invoiced(&mut w, acme, &[(widget, "10")], CurrencyCode::new("EUR").ok());
    assert_eq!(w.h.engine.invoice(euro_invoice).unwrap().total, eur("80.00"));
    let beta_invoice = invoiced(&mut w, beta, &[(gadget, "8")], None);
    w.h.advance_days(8); // 03-10: Beta pays
    pay(&mut w, beta, beta_invoice, usd("20.00"), None);
    let p = projections(&w);

    let march = p.dso.state.report(&p.aging.state, day(3, 1), day(3, 31));
    assert_eq!(
        (march.credit_sales, march.receivable, march.dso),
        (dec("120.00"), dec("100.00"), Some(dec("25.83"))),
        "100 / 120 × 31 = 25.833…"
    );
    let mut expected = vec![
        DsoRow {
            customer_id: acme,
            receivable: dec("100.00"),
            credit_sales: dec("100.00"),
            dso: Some(dec("31.00")),
        },
        DsoRow {
            customer_id: beta,
            receivable: Decimal::ZERO,
            credit_sales: dec("20.00"),
            dso: Some(Decimal::ZERO),
        },
    ];
    expected.sort_by_key(|row| row.customer_id);
    assert_eq!(march.customers, expected);
    let early = p.dso.state.report(&p.aging.state, day(3, 1), day(3, 9));
    assert_eq!(
        early
            .customers
            .iter()
            .find(|r| r.customer_id == beta)
            .map(|r| r.dso),
        Some(Some(dec("9.00"))),
        "before Beta paid: 20 / 20 × 9"
    );
}
