//! The customer statement: the opening balance (everything before the period), the period's
//! invoices, credit notes, payments and refunds with the running balance, and the closing
//! balance, which is the open receivable less the customer's unapplied credit.

use crate::common::*;
use crate::support::{World, dec, usd};
use o2c::invoice::CreditNoteKind;
use o2c::ledger::EntryKind;
use o2c::payment::{AllocatePaymentAutomatically, CreditSource, PaymentMethod, RefundCustomerCredit};
use o2c::rust_decimal::Decimal;

#[test]
fn a_statement_runs_from_the_opening_balance_through_the_period_to_the_closing_balance() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    // Before the period: an invoice of 100.00 on 2 March.
    invoiced(&mut w, &[(widget, "10")]);
    // In the period (5 to 31 March).
    w.h.advance_days(8);
    let first_payment = pay(&mut w, usd("60.00"));
    w.h.ok(AllocatePaymentAutomatically {
        payment_id: first_payment,
    });
    w.h.advance_days(5);
    let second = invoiced(&mut w, &[(gadget, "16")]);
    w.h.advance_days(5);
    issue_credit_note(&mut w, second, CreditNoteKind::PriceCorrection(usd("10.00")));
    w.h.advance_days(5);
    let second_payment = pay(&mut w, usd("100.00"));
    w.h.ok(AllocatePaymentAutomatically {
        payment_id: second_payment,
    });
    w.h.advance_days(1);
    w.h.ok(RefundCustomerCredit {
        source: CreditSource::Payment(second_payment),
        amount: usd("10.00"),
        method: PaymentMethod::BankTransfer,
        reference: "REFUND 1".into(),
    });
    // After the period: another invoice on 3 April.
    w.h.advance_days(8);
    invoiced(&mut w, &[(gadget, "10")]);

    let march = statement(&w, date(2026, 3, 5), date(2026, 3, 31));

    assert_eq!(march.opening_balance, dec("100.00"));
    let lines: Vec<_> = march
        .lines
        .iter()
        .map(|l| {
            (
                l.entry.date,
                l.entry.kind,
                l.entry.reference.as_str(),
                l.entry.value,
                l.balance,
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            (
                date(2026, 3, 10),
                EntryKind::Payment,
                "remittance",
                dec("-60.00"),
                dec("40.00")
            ),
            (
                date(2026, 3, 15),
                EntryKind::Invoice,
                "INV/2026/00002",
                dec("40.00"),
                dec("80.00")
            ),
            (
                date(2026, 3, 20),
                EntryKind::CreditNote,
                "RINV/2026/00001",
                dec("-10.00"),
                dec("70.00")
            ),
            (
                date(2026, 3, 25),
                EntryKind::Payment,
                "remittance",
                dec("-100.00"),
                dec("-30.00")
            ),
            (
                date(2026, 3, 26),
                EntryKind::Refund,
                "REFUND 1",
                dec("10.00"),
                dec("-20.00")
            ),
        ]
    );
    assert_eq!(march.closing_balance, dec("-20.00"));
    assert_eq!(march.total_of(EntryKind::Payment), dec("-160.00"));
    // On 31 March nothing was open and 20.00 of the second payment was unapplied.
    assert_eq!(payment(&w, second_payment).unallocated(), usd("20.00"));

    let to_date = statement(&w, date(2026, 3, 1), date(2026, 4, 30));
    assert_eq!(to_date.opening_balance, Decimal::ZERO);
    assert_eq!(to_date.lines.len(), 7);
    assert_eq!(
        to_date.closing_balance,
        dec("5.00"),
        "25.00 owed less 20.00 of credit"
    );
    assert_eq!(
        to_date.closing_balance,
        customer(&w).receivable - payment(&w, second_payment).unallocated().amount
    );
}

#[test]
fn a_period_with_nothing_in_it_opens_and_closes_on_the_same_balance() {
    let mut w = World::new();
    let widget = w.widget;
    invoiced(&mut w, &[(widget, "10")]);
    w.h.advance_days(40);
    let payment_id = pay(&mut w, usd("100.00"));
    w.h.ok(AllocatePaymentAutomatically { payment_id });

    let quiet = statement(&w, date(2026, 3, 10), date(2026, 4, 10));

    assert_eq!(
        (quiet.opening_balance, quiet.lines.len(), quiet.closing_balance),
        (dec("100.00"), 0, dec("100.00"))
    );
    let after = statement(&w, date(2026, 4, 11), date(2026, 4, 30));
    assert_eq!(
        (after.opening_balance, after.closing_balance),
        (dec("100.00"), dec("0.00"))
    );
}
