//! Write-offs: a billing clerk closes a small open amount within the company's tolerance
//! (judged in the company currency); a larger amount, an invoice with nothing open, or a
//! person without the billing clerk's role is refused.

use crate::common::*;
use crate::support::{COMPANY, World, dec, eur, person, usd};
use o2c::exchange::SetExchangeRate;
use o2c::invoice::{InvoiceWrittenOff, PaymentState, PostInvoice, WriteOffInvoice};
use o2c::ledger::EntryKind;
use o2c::rust_decimal::Decimal;
use o2c::{ActorId, DomainError, Event, InvoiceId, Role};

/// Widget ×10 (100.00) with `paid` of it paid, the tolerance 1.00 USD.
fn paid_short(w: &mut World, paid: &str) -> InvoiceId {
    change_settings(w, |s| s.write_off_tolerance = dec("1.00"));
    let widget = w.widget;
    let invoice_id = invoiced(w, &[(widget, "10")]);
    let payment_id = pay(w, usd(paid));
    allocate(w, payment_id, invoice_id, usd(paid));
    invoice_id
}

fn write_off(invoice_id: InvoiceId) -> WriteOffInvoice {
    WriteOffInvoice {
        invoice_id,
        reason: "bank charges".into(),
    }
}

#[test]
fn a_small_difference_within_the_tolerance_is_written_off_and_the_invoice_paid() {
    let mut w = World::new();
    let invoice_id = paid_short(&mut w, "99.50");
    assert_eq!(customer(&w).receivable, dec("0.50"));

    let event = only(w.h.ok(write_off(invoice_id)));

    assert_eq!(
        event,
        Event::InvoiceWrittenOff(InvoiceWrittenOff {
            invoice_id,
            customer_id: w.customer,
            amount: usd("0.50"),
            reason: "bank charges".into(),
            written_off_on: date(2026, 3, 2),
        })
    );
    let closed = invoice(&w, invoice_id);
    assert_eq!(
        (closed.written_off, closed.open_amount(), closed.payment_state()),
        (dec("0.50"), usd("0.00"), PaymentState::Paid)
    );
    assert_eq!(customer(&w).receivable, Decimal::ZERO);
    assert_eq!(ledger(&w).last(), Some(&(EntryKind::WriteOff, dec("-0.50"))));
    assert_eq!(balance(&w), Decimal::ZERO);
    assert_eq!(
        w.h.refused(write_off(invoice_id)),
        DomainError::NothingOpen { invoice_id },
        "nothing is left to write off"
    );
}

#[test]
fn a_difference_above_the_tolerance_is_not_written_off() {
    let mut w = World::new();
    let invoice_id = paid_short(&mut w, "98.50");

    let refusal = w.h.refused(write_off(invoice_id));

    assert_eq!(
        refusal,
        DomainError::WriteOffAboveTolerance {
            invoice_id,
            open: usd("1.50"),
            tolerance: usd("1.00"),
        }
    );
}

#[test]
fn the_tolerance_is_judged_in_the_company_currency() {
    let mut w = World::new();
    change_settings(&mut w, |s| s.write_off_tolerance = dec("1.00"));
    w.h.ok(SetExchangeRate {
        currency: eur_code(),
        date: date(2026, 3, 1),
        rate: dec("1.25"),
    });
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "10")]);
    let invoice_id = draft_in(&mut w, order_id, Some(eur_code()));
    w.h.ok(PostInvoice { invoice_id });
    let payment_id = pay(&mut w, eur("79.10"));
    allocate(&mut w, payment_id, invoice_id, eur("79.10"));

    // 0.90 EUR open is 1.125 USD: above the 1.00 USD tolerance.
    let refusal = w.h.refused(write_off(invoice_id));

    assert_eq!(
        refusal,
        DomainError::WriteOffAboveTolerance {
            invoice_id,
            open: usd("1.13"),
            tolerance: usd("1.00"),
        }
    );
}

#[test]
fn only_a_billing_clerk_writes_off() {
    let mut w = World::new();
    let invoice_id = paid_short(&mut w, "99.50");
    let rep = person("sam", &[Role::SalesRep, Role::CreditController]);

    let refusal = w.h.as_actor(rep, |h| h.refused(write_off(invoice_id)));

    assert_eq!(
        refusal,
        DomainError::NotAuthorized {
            actor: ActorId::new("sam").unwrap(),
            command: "WriteOffInvoice",
            company: COMPANY,
            required: vec![Role::BillingClerk],
        }
    );
    assert_eq!(invoice(&w, invoice_id).open_amount(), usd("0.50"));
}
