//! Receivables aging: an invoice moving through the buckets as the date advances, the
//! installments of one invoice aged apart, payments lowering the bucket they settle, euro
//! invoices valued at their rate, and every customer's aging total equal to its receivable
//! now and as of earlier dates (credit notes, returned payments, write-offs).

use o2c::CustomerId;
use o2c::company::ChangeCompanySettings;
use o2c::customer::ChangeCustomer;
use o2c::invoice::{CreditNoteKind, WriteOffInvoice};
use o2c::money::CurrencyCode;
use o2c::payment::ReturnPayment;
use o2c::payment_term::{DefinePaymentTerm, Delay, TermAmount, TermLine};
use o2c::projections::{Aging, AgingBucket, AgingReport, AgingRow, Buckets};
use o2c::rust_decimal::Decimal;

use crate::steps::{credit_note, customer, day, euro_at, invoiced, pay, projections, receivable};
use crate::support::{World, dec, eur, usd};

/// Amounts per default bucket: not due, 1-30, 31-60, 61-90, over 90.
fn amounts(figures: [&str; 5]) -> Vec<Decimal> {
    figures.iter().map(|f| dec(f)).collect()
}

/// The single row of a report, for `customer_id`.
fn only_row(report: &AgingReport, customer_id: CustomerId) -> &AgingRow {
    assert_eq!(report.rows.len(), 1, "one customer expected: {report:?}");
    report.row(customer_id).unwrap()
}

/// Gives Acme the term "50% in 10 days, the balance in 60 days".
fn half_in_ten_rest_in_sixty(w: &mut World) {
    let line = |amount, days| TermLine {
        amount,
        delay: Delay::Days(days),
        end_of_month: false,
        day_of_next_month: None,
    };
    let payment_term_id = w.h.id();
    w.h.ok(DefinePaymentTerm {
        payment_term_id,
        name: "50% in 10 days, balance in 60".into(),
        lines: vec![
            line(TermAmount::Percent(dec("50")), 10),
            line(TermAmount::Balance, 60),
        ],
        early_discount: None,
    });
    let customer_id = w.customer;
    let mut details = w.h.engine.customer(customer_id).unwrap().details;
    details.payment_term_id = Some(payment_term_id);
    w.h.ok(ChangeCustomer { customer_id, details });
}

#[test]
fn an_open_invoice_moves_through_the_buckets_as_the_date_advances() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    // 2026-03-02: 100.00, net 30: due 2026-04-01.
    invoiced(&mut w, acme, &[(widget, "10")], None);
    let aging = projections(&w).aging.state;
    let buckets = Buckets::default();

    let expected = [
        (day(3, 2), ["100", "0", "0", "0", "0"]),
        (day(4, 1), ["100", "0", "0", "0", "0"]), // on the due date: not due
        (day(4, 2), ["0", "100", "0", "0", "0"]), // 1 day past due
        (day(5, 1), ["0", "100", "0", "0", "0"]), // 30
        (day(5, 2), ["0", "0", "100", "0", "0"]), // 31
        (day(5, 31), ["0", "0", "100", "0", "0"]), // 60
        (day(6, 1), ["0", "0", "0", "100", "0"]), // 61
        (day(6, 30), ["0", "0", "0", "100", "0"]), // 90
        (day(7, 1), ["0", "0", "0", "0", "100"]), // 91
    ];
    for (as_of, figures) in expected {
        let report = aging.report(as_of, &buckets);
        assert_eq!(only_row(&report, acme).amounts, amounts(figures), "as of {as_of}");
        assert_eq!(report.totals, amounts(figures));
        assert_eq!(report.total, dec("100.00"));
        let book = w.h.engine.snapshot();
        assert_eq!(report, Aging::recompute(&book, as_of, &buckets), "as of {as_of}");
    }
    assert_eq!(
        aging.report(day(3, 1), &buckets),
        AgingReport {
            as_of: day(3, 1),
            buckets: vec![
                AgingBucket::NotDue,
                AgingBucket::PastDue {
                    from_days: 1,
                    to_days: 30
                },
                AgingBucket::PastDue {
                    from_days: 31,
                    to_days: 60
                },
                AgingBucket::PastDue {
                    from_days: 61,
                    to_days: 90
                },
                AgingBucket::Over { days: 90 },
            ],
            rows: vec![],
            totals: amounts(["0"; 5]),
            total: Decimal::ZERO,
        },
        "nothing was posted before 2026-03-02"
    );
    // Other buckets: a week, two weeks, over two weeks; 04-10 is 9 days past due.
    let weekly = Buckets::new(vec![7, 14]).unwrap();
    let report = aging.report(day(4, 10), &weekly);
    let labels: Vec<String> = report.buckets.iter().map(ToString::to_string).collect();
    assert_eq!(labels, ["not due", "1-7", "8-14", "over 14"]);
    assert_eq!(
        only_row(&report, acme).amounts,
        [dec("0"), dec("0"), dec("100"), dec("0")]
    );
    assert_eq!(receivable(&w, acme), dec("100.00"));
}

#[test]
fn the_installments_of_one_invoice_age_by_their_own_due_dates() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    half_in_ten_rest_in_sixty(&mut w);
    // 2026-03-02: 100.00 -> 50.00 due 2026-03-12, 50.00 due 2026-05-01.
    let invoice_id = invoiced(&mut w, acme, &[(widget, "10")], None);
    let installments = w.h.engine.invoice(invoice_id).unwrap().installments;
    assert_eq!(
        installments
            .iter()
            .map(|i| (i.due_date, i.amount))
            .collect::<Vec<_>>(),
        [(day(3, 12), dec("50.00")), (day(5, 1), dec("50.00"))]
    );
    let aging = projections(&w).aging.state;
    let buckets = Buckets::default();

    let report = aging.report(day(4, 1), &buckets);
    assert_eq!(
        only_row(&report, acme).amounts,
        amounts(["50", "50", "0", "0", "0"]),
        "the first is 20 days past due, the second not due"
    );
    let report = aging.report(day(5, 15), &buckets);
    assert_eq!(
        only_row(&report, acme).amounts,
        amounts(["0", "50", "0", "50", "0"]),
        "64 days and 14 days past due"
    );
    assert_eq!(only_row(&report, acme).total, receivable(&w, acme));
    let open = aging.open_installments(None);
    assert_eq!(open.len(), 2);
    assert!(open.values().all(|value| *value == dec("50.00")));
}

#[test]
fn a_partial_payment_lowers_the_bucket_of_the_installment_it_settles() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    half_in_ten_rest_in_sixty(&mut w);
    let invoice_id = invoiced(&mut w, acme, &[(widget, "10")], None);
    w.h.advance_days(20); // 2026-03-22: the first installment is 10 days past due
    pay(&mut w, acme, invoice_id, usd("30.00"), None);
    w.h.advance_days(1); // 2026-03-23
    pay(&mut w, acme, invoice_id, usd("40.00"), Some(1));
    let aging = projections(&w).aging.state;
    let buckets = Buckets::default();

    assert_eq!(
        only_row(&aging.report(day(3, 21), &buckets), acme).amounts,
        amounts(["50", "50", "0", "0", "0"]),
        "before the payments"
    );
    assert_eq!(
        only_row(&aging.report(day(3, 22), &buckets), acme).amounts,
        amounts(["50", "20", "0", "0", "0"]),
        "30.00 went to the oldest installment"
    );
    let report = aging.report(day(3, 23), &buckets);
    assert_eq!(
        only_row(&report, acme).amounts,
        amounts(["10", "20", "0", "0", "0"]),
        "40.00 went to the second installment, as asked"
    );
    assert_eq!(report.total, dec("30.00"));
    assert_eq!(receivable(&w, acme), dec("30.00"));
    assert_eq!(aging.receivable_as_of(acme, day(3, 22)), dec("70.00"));
    assert_eq!(aging.receivable(acme), dec("30.00"));
    let book = w.h.engine.snapshot();
    assert_eq!(report, Aging::recompute(&book, day(3, 23), &buckets));
}

#[test]
fn a_euro_invoice_is_aged_at_its_own_rate_whatever_rate_pays_it() {
    let mut w = World::new();
    let (acme, widget, gadget) = (w.customer, w.widget, w.gadget);
    euro_at(&mut w, day(3, 1), "1.25");
    // 100.00 USD of widgets invoiced in euros: 80.00 EUR at 1.25; and 10.00 USD of gadgets.
    let euro_invoice = invoiced(&mut w, acme, &[(widget, "10")], CurrencyCode::new("EUR").ok());
    assert_eq!(w.h.engine.invoice(euro_invoice).unwrap().total, eur("80.00"));
    invoiced(&mut w, acme, &[(gadget, "4")], None);
    euro_at(&mut w, day(3, 10), "1.3075");
    w.h.advance_days(8); // 2026-03-10
    pay(&mut w, acme, euro_invoice, eur("40.00"), None);
    let aging = projections(&w).aging.state;
    let buckets = Buckets::default();

    let before = aging.report(day(3, 9), &buckets);
    assert_eq!(
        only_row(&before, acme).amounts,
        amounts(["110", "0", "0", "0", "0"])
    );
    let after = aging.report(day(3, 10), &buckets);
    assert_eq!(
        only_row(&after, acme).total,
        dec("60.00"),
        "40.00 EUR still open × 1.25, plus 10.00 USD"
    );
    assert_eq!(receivable(&w, acme), dec("60.00"));
    assert_eq!(aging.receivable_as_of(acme, day(3, 9)), dec("110.00"));
    let book = w.h.engine.snapshot();
    assert_eq!(after, Aging::recompute(&book, day(3, 10), &buckets));
}

#[test]
fn credit_notes_returned_payments_and_write_offs_keep_each_total_equal_to_the_receivable() {
    let mut w = World::new();
    let (acme, widget, gadget) = (w.customer, w.widget, w.gadget);
    let mut settings = w.h.engine.read(|b| b.company().unwrap().settings.clone());
    settings.write_off_tolerance = dec("1.00");
    w.h.ok(ChangeCompanySettings { settings });
    let beta = customer(&mut w, "Beta", 15, None);
    // 2026-03-02: Acme 100.00 (due 04-01), Beta 20.00 (due 03-17).
    let a = invoiced(&mut w, acme, &[(widget, "10")], None);
    let b = invoiced(&mut w, beta, &[(gadget, "8")], None);
    w.h.advance_days(3); // 03-05: 10.00 off Acme's invoice
    credit_note(
        &mut w,
        a,
        CreditNoteKind::PriceCorrection(usd("10.00")),
        "price agreed",
    );
    w.h.advance_days(5); // 03-10: Acme pays the 90.00 left
    let payment = pay(&mut w, acme, a, usd("90.00"), None);
    w.h.advance_days(2); // 03-12: the bank returns it
    w.h.ok(ReturnPayment {
        payment_id: payment,
        reason: "insufficient funds".into(),
    });
    w.h.advance_days(8); // 03-20: Beta pays 19.99; the cent is written off
    pay(&mut w, beta, b, usd("19.99"), None);
    w.h.ok(WriteOffInvoice {
        invoice_id: b,
        reason: "bank charge".into(),
    });
    let aging = projections(&w).aging.state;

    let acme_by_date = [
        (day(3, 1), "0"),
        (day(3, 4), "100"),
        (day(3, 5), "90"),
        (day(3, 10), "0"),
        (day(3, 11), "0"),
        (day(3, 12), "90"),
        (day(3, 20), "90"),
    ];
    for (date, expected) in acme_by_date {
        assert_eq!(
            aging.receivable_as_of(acme, date),
            dec(expected),
            "Acme as of {date}"
        );
    }
    assert_eq!(aging.receivable_as_of(beta, day(3, 19)), dec("20.00"));
    assert_eq!(aging.receivable_as_of(beta, day(3, 20)), Decimal::ZERO);
    let buckets = Buckets::default();
    let report = aging.report(day(4, 20), &buckets);
    assert_eq!(
        only_row(&report, acme).amounts,
        amounts(["0", "90", "0", "0", "0"]),
        "Beta has nothing open"
    );
    for customer_id in [acme, beta] {
        assert_eq!(aging.receivable(customer_id), receivable(&w, customer_id));
    }
    let mut expected = vec![
        AgingRow {
            customer_id: acme,
            amounts: amounts(["90", "0", "0", "0", "0"]),
            total: dec("90"),
        },
        AgingRow {
            customer_id: beta,
            amounts: amounts(["20", "0", "0", "0", "0"]),
            total: dec("20"),
        },
    ];
    expected.sort_by_key(|row| row.customer_id);
    assert_eq!(
        aging.report(day(3, 17), &buckets).rows,
        expected,
        "03-17 is Beta's due date: not due yet"
    );
    let book = w.h.engine.snapshot();
    assert_eq!(report, Aging::recompute(&book, day(4, 20), &buckets));
}
