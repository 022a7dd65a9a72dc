//! Early-payment discounts ("2% 10 days, net 30"): a payment received within the window for
//! the total less the discount settles the invoice; the same money after the window leaves
//! the discount open; and with a taxed invoice, the discount on the untaxed amount or on the
//! total with its tax share booked as a tax reduction.

use crate::common::*;
use crate::support::{World, dec, usd};
use o2c::invoice::PaymentState;
use o2c::ledger::EntryKind;
use o2c::payment::{AllocatePayment, PaymentAllocated};
use o2c::payment_term::{EarlyDiscountBasis, InvoiceDiscount};
use o2c::rust_decimal::Decimal;
use o2c::{DomainError, Event, InvoiceId, PaymentId};

fn allocate_all(w: &mut World, payment_id: PaymentId, invoice_id: InvoiceId, amount: &str) -> Event {
    only(w.h.ok(AllocatePayment {
        payment_id,
        invoice_id,
        amount: usd(amount),
        installment: None,
    }))
}

fn with_discount(
    w: &World,
    payment_id: PaymentId,
    invoice_id: InvoiceId,
    amount: &str,
    discount: &str,
    tax_reduction: &str,
) -> Event {
    Event::PaymentAllocated(PaymentAllocated {
        payment_id,
        invoice_id,
        customer_id: w.customer,
        amount: usd(amount),
        installment: Some(0),
        discount: dec(discount),
        tax_reduction: dec(tax_reduction),
        exchange_difference: Decimal::ZERO,
    })
}

#[test]
fn paying_the_total_less_the_discount_within_the_window_settles_the_invoice() {
    let mut w = World::new();
    let widget = w.widget;
    two_ten_net_thirty(&mut w);
    let invoice_id = invoiced(&mut w, &[(widget, "10")]);
    assert_eq!(
        invoice(&w, invoice_id).early_discount,
        Some(InvoiceDiscount {
            percent: dec("2"),
            until: date(2026, 3, 12),
            basis: EarlyDiscountBasis::Untaxed,
        })
    );
    w.h.advance_days(10);
    let payment_id = pay(&mut w, usd("98.00"));

    let event = allocate_all(&mut w, payment_id, invoice_id, "98.00");

    assert_eq!(
        event,
        with_discount(&w, payment_id, invoice_id, "98.00", "2.00", "0")
    );
    let paid = invoice(&w, invoice_id);
    assert_eq!(
        (paid.paid, paid.discounts, paid.payment_state()),
        (dec("98.00"), dec("2.00"), PaymentState::Paid)
    );
    assert_eq!(customer(&w).receivable, Decimal::ZERO);
    assert_eq!(
        ledger(&w),
        [
            (EntryKind::Invoice, dec("100.00")),
            (EntryKind::Payment, dec("-98.00")),
            (EntryKind::EarlyDiscount, dec("-2.00")),
        ]
    );
}

#[test]
fn the_full_amount_within_the_window_is_more_than_the_invoice_takes() {
    let mut w = World::new();
    let widget = w.widget;
    two_ten_net_thirty(&mut w);
    let invoice_id = invoiced(&mut w, &[(widget, "10")]);
    let payment_id = pay(&mut w, usd("100.00"));

    let refusal = w.h.refused(AllocatePayment {
        payment_id,
        invoice_id,
        amount: usd("100.00"),
        installment: None,
    });

    assert_eq!(
        refusal,
        DomainError::AllocationExceedsOpenAmount {
            invoice_id,
            requested: usd("100.00"),
            open: usd("98.00"),
        }
    );
}

#[test]
fn the_same_payment_after_the_window_leaves_the_discount_open() {
    let mut w = World::new();
    let widget = w.widget;
    two_ten_net_thirty(&mut w);
    let invoice_id = invoiced(&mut w, &[(widget, "10")]);
    w.h.advance_days(11);
    let payment_id = pay(&mut w, usd("98.00"));

    let event = allocate_all(&mut w, payment_id, invoice_id, "98.00");

    assert_eq!(
        event,
        with_discount(&w, payment_id, invoice_id, "98.00", "0", "0")
    );
    let partly = invoice(&w, invoice_id);
    assert_eq!(
        (partly.discounts, partly.open_amount(), partly.payment_state()),
        (Decimal::ZERO, usd("2.00"), PaymentState::PartiallyPaid)
    );
    assert_eq!(customer(&w).receivable, dec("2.00"));
}

/// Widget ×10 with VAT 10% (100.00 + 10.00), "2% 10 days", the discount computed on `basis`.
fn taxed_invoice_with_discount_on(w: &mut World, basis: EarlyDiscountBasis) -> InvoiceId {
    let widget = w.widget;
    vat_10_on(w, &[widget]);
    change_settings(w, |s| s.early_discount_basis = basis);
    two_ten_net_thirty(w);
    let invoice_id = invoiced(w, &[(widget, "10")]);
    let posted = invoice(w, invoice_id);
    assert_eq!(
        (posted.installments[0].amount, posted.installments[0].untaxed),
        (dec("110.00"), dec("100.00"))
    );
    invoice_id
}

#[test]
fn on_the_untaxed_basis_the_discount_is_two_percent_of_the_untaxed_amount_and_reduces_no_tax() {
    let mut w = World::new();
    let invoice_id = taxed_invoice_with_discount_on(&mut w, EarlyDiscountBasis::Untaxed);
    let payment_id = pay(&mut w, usd("108.00"));

    let event = allocate_all(&mut w, payment_id, invoice_id, "108.00");

    assert_eq!(
        event,
        with_discount(&w, payment_id, invoice_id, "108.00", "2.00", "0")
    );
    assert_eq!(invoice(&w, invoice_id).payment_state(), PaymentState::Paid);
    assert_eq!(customer(&w).receivable, Decimal::ZERO);
}

#[test]
fn on_the_total_reducing_tax_the_discount_is_two_percent_of_the_total_with_its_tax_share() {
    let mut w = World::new();
    let invoice_id = taxed_invoice_with_discount_on(&mut w, EarlyDiscountBasis::TotalReducingTax);
    let payment_id = pay(&mut w, usd("107.80"));

    let event = allocate_all(&mut w, payment_id, invoice_id, "107.80");

    // 2% of 110.00 is 2.20, of which 10/110 is tax: 0.20.
    assert_eq!(
        event,
        with_discount(&w, payment_id, invoice_id, "107.80", "2.20", "0.20")
    );
    let paid = invoice(&w, invoice_id);
    assert_eq!(
        (paid.discounts, paid.payment_state()),
        (dec("2.20"), PaymentState::Paid)
    );
    assert_eq!(customer(&w).receivable, Decimal::ZERO);
}
