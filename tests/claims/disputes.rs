//! Disputed amounts: a pricing dispute about a posted invoice puts an amount on hold (in the
//! invoice's currency, above zero, at most what is open and not already disputed). The
//! amount stays in the receivable but dunning leaves it out until the claim is resolved:
//! the hold is taken off the open installments latest due first, and an invoice whose
//! overdue part the hold covers is not dunned.

use crate::common::*;
use crate::support::{World, dec, eur, usd};
use o2c::claim::{
    ClaimPriority, ClaimResolution, ClaimSubject, ClaimType, OpenClaim, ReopenClaim, ResolveClaim,
};
use o2c::collections::{DunningNoticeIssued, OverdueInstallment, RunDunning};
use o2c::customer::ChangeCustomer;
use o2c::ids::ClaimId;
use o2c::invoice::InvoiceStatus;
use o2c::money::Money;
use o2c::payment_term::{DefinePaymentTerm, Delay, TermAmount, TermLine};
use o2c::{DomainError, Event, InvoiceId, PaymentTermId};

fn about_invoice(invoice_id: InvoiceId) -> ClaimSubject {
    ClaimSubject {
        invoice_id: Some(invoice_id),
        ..ClaimSubject::default()
    }
}

fn dispute_command(w: &mut World, invoice_id: InvoiceId, amount: Money) -> OpenClaim {
    let mut command = open_command(
        w,
        about_invoice(invoice_id),
        ClaimType::PricingDispute,
        ClaimPriority::Normal,
    );
    command.description = "The widgets were quoted at 7.00, not 10.00.".into();
    command.disputed_amount = Some(amount);
    command
}

fn dispute(w: &mut World, invoice_id: InvoiceId, amount: Money) -> ClaimId {
    let command = dispute_command(w, invoice_id, amount);
    let claim_id = command.claim_id;
    w.h.ok(command);
    claim_id
}

fn resolve(w: &mut World, claim_id: ClaimId) {
    w.h.ok(ResolveClaim {
        claim_id,
        resolution: ClaimResolution::Rejected {
            reason: "The order confirmation shows 10.00.".into(),
        },
    });
}

fn overdue(
    w: &World,
    invoice_id: InvoiceId,
    installment: u32,
    open: &str,
    days_overdue: u32,
) -> OverdueInstallment {
    let posted = invoice(w, invoice_id);
    OverdueInstallment {
        invoice_id,
        number: posted.number.unwrap(),
        installment,
        due_date: posted.installments[installment as usize].due_date,
        open: usd(open),
        days_overdue,
    }
}

fn notice(w: &World, as_of: o2c::chrono::NaiveDate, installments: Vec<OverdueInstallment>) -> Event {
    Event::DunningNoticeIssued(DunningNoticeIssued {
        customer_id: w.customer,
        level: 0,
        level_name: "Reminder".into(),
        as_of,
        installments,
    })
}

#[test]
fn a_disputed_invoice_is_excluded_from_dunning_and_dunned_again_after_resolution() {
    let mut w = World::new();
    // Posted 2 March, net 30: due 1 April; 7 days overdue on 8 April.
    let (_, _, invoice_id) = invoiced_widgets(&mut w);
    let claim_id = dispute(&mut w, invoice_id, usd("100.00"));
    let as_of = date(4, 8);

    assert_eq!(
        w.h.refused(RunDunning { as_of }),
        DomainError::NoDunningDue { as_of }
    );
    // Still receivable, and still open on the invoice.
    let customer_id = w.customer;
    let receivable = w.h.engine.customer(customer_id).unwrap().receivable;
    assert_eq!(receivable, dec("100.00"));
    let held = invoice(&w, invoice_id);
    assert_eq!(held.open_amount(), usd("100.00"));
    assert_eq!(held.disputed, dec("100.00"));
    assert_eq!(held.installments[0].open(), dec("100.00"));

    resolve(&mut w, claim_id);

    assert_eq!(invoice(&w, invoice_id).disputed, dec("0"));
    let event = only(w.h.ok(RunDunning { as_of }));
    assert_eq!(
        event,
        notice(&w, as_of, vec![overdue(&w, invoice_id, 0, "100.00", 7)])
    );
}

#[test]
fn only_the_undisputed_part_is_dunned() {
    let mut w = World::new();
    let (_, _, invoice_id) = invoiced_widgets(&mut w);
    dispute(&mut w, invoice_id, usd("30.00"));
    let as_of = date(4, 8);

    let event = only(w.h.ok(RunDunning { as_of }));

    assert_eq!(
        event,
        notice(&w, as_of, vec![overdue(&w, invoice_id, 0, "70.00", 7)])
    );
}

/// Gives Acme "half in 30 days, the balance in 60".
fn half_now_half_later(w: &mut World) -> PaymentTermId {
    let payment_term_id = w.h.id();
    let line = |amount: TermAmount, days: u32| TermLine {
        amount,
        delay: Delay::Days(days),
        end_of_month: false,
        day_of_next_month: None,
    };
    w.h.ok(DefinePaymentTerm {
        payment_term_id,
        name: "Half and half".into(),
        lines: vec![
            line(TermAmount::Percent(dec("50")), 30),
            line(TermAmount::Balance, 60),
        ],
        early_discount: None,
    });
    let customer_id = w.customer;
    let mut details = w.h.engine.customer(customer_id).unwrap().details;
    details.payment_term_id = Some(payment_term_id);
    w.h.ok(ChangeCustomer { customer_id, details });
    payment_term_id
}

#[test]
fn the_hold_covers_the_latest_installments_first() {
    let mut w = World::new();
    half_now_half_later(&mut w);
    // 100.00 due 50.00 on 1 April and 50.00 on 1 May.
    let (_, _, invoice_id) = invoiced_widgets(&mut w);
    dispute(&mut w, invoice_id, usd("70.00"));

    assert_eq!(invoice(&w, invoice_id).on_hold(), [dec("20.00"), dec("50.00")]);
    let as_of = date(4, 8);
    let event = only(w.h.ok(RunDunning { as_of }));
    assert_eq!(
        event,
        notice(&w, as_of, vec![overdue(&w, invoice_id, 0, "30.00", 7)])
    );
    let customer_id = w.customer;
    let may =
        w.h.engine
            .read(|book| book.overdue_installments(customer_id, date(5, 9)));
    assert_eq!(
        may,
        [overdue(&w, invoice_id, 0, "30.00", 38)],
        "the second installment is wholly on hold"
    );
}

#[test]
fn reopening_a_dispute_puts_the_amount_on_hold_again() {
    let mut w = World::new();
    let (_, _, invoice_id) = invoiced_widgets(&mut w);
    let claim_id = dispute(&mut w, invoice_id, usd("100.00"));
    resolve(&mut w, claim_id);
    let customer_id = w.customer;
    let dunnable = |w: &World| {
        w.h.engine
            .read(|book| book.overdue_installments(customer_id, date(4, 8)))
            .len()
    };
    assert_eq!(dunnable(&w), 1);

    w.h.ok(ReopenClaim {
        claim_id,
        reason: "New evidence of the quoted price.".into(),
    });

    assert_eq!(invoice(&w, invoice_id).disputed, dec("100.00"));
    assert_eq!(dunnable(&w), 0);
}

#[test]
fn a_disputed_amount_needs_a_pricing_dispute_about_a_posted_invoice() {
    let mut w = World::new();
    let (order_id, _, invoice_id) = invoiced_widgets(&mut w);

    let mut command = dispute_command(&mut w, invoice_id, usd("10.00"));
    command.claim_type = ClaimType::DamagedGoods;
    assert_eq!(
        w.h.refused(command),
        DomainError::DisputeNotAllowed {
            claim_type: ClaimType::DamagedGoods,
            invoice_id: Some(invoice_id),
        }
    );
    let mut command = dispute_command(&mut w, invoice_id, usd("10.00"));
    command.about = about_order(order_id);
    assert_eq!(
        w.h.refused(command),
        DomainError::DisputeNotAllowed {
            claim_type: ClaimType::PricingDispute,
            invoice_id: None,
        }
    );
    let gadget = w.gadget;
    let (other_order, _) = delivered(&mut w, &[(gadget, "2")]);
    let unposted = draft(&mut w, other_order);
    let command = dispute_command(&mut w, unposted, usd("1.00"));
    assert_eq!(
        w.h.refused(command),
        DomainError::InvoiceNotPosted {
            invoice_id: unposted,
            status: InvoiceStatus::Draft,
        }
    );
}

#[test]
fn a_disputed_amount_is_in_the_invoice_currency_above_zero_and_within_what_is_open() {
    let mut w = World::new();
    let (_, _, invoice_id) = invoiced_widgets(&mut w);
    let usd_code = usd("0").currency;

    let command = dispute_command(&mut w, invoice_id, eur("10.00"));
    assert_eq!(
        w.h.refused(command),
        DomainError::CurrencyMismatch {
            expected: usd_code,
            found: eur("0").currency,
        }
    );
    let command = dispute_command(&mut w, invoice_id, usd("0.00"));
    assert_eq!(
        w.h.refused(command),
        DomainError::NonPositiveAmount { amount: usd("0.00") }
    );
    let command = dispute_command(&mut w, invoice_id, usd("10.001"));
    assert_eq!(
        w.h.refused(command),
        DomainError::AmountPrecisionExceeded {
            amount: usd("10.001"),
            decimals: 2,
        }
    );
    let command = dispute_command(&mut w, invoice_id, usd("100.01"));
    assert_eq!(
        w.h.refused(command),
        DomainError::DisputeExceedsOpenAmount {
            invoice_id,
            requested: usd("100.01"),
            open: usd("100.00"),
        }
    );
    dispute(&mut w, invoice_id, usd("60.00"));
    let command = dispute_command(&mut w, invoice_id, usd("50.00"));
    assert_eq!(
        w.h.refused(command),
        DomainError::DisputeExceedsOpenAmount {
            invoice_id,
            requested: usd("50.00"),
            open: usd("40.00"),
        },
        "what another dispute holds is not open to dispute"
    );
}
