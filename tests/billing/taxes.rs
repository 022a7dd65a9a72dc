//! Taxes on invoice lines: a percentage added to the price, a fixed amount per unit, two
//! taxes on one line, a tax included in the base of the taxes after it, a tax included in
//! the price; the totals per tax and per document; and rounding per line or per document
//! (the worked example of `o2c::tax`).

use crate::common::*;
use crate::support::{World, dec, usd};
use o2c::Event;
use o2c::invoice::{InvoiceCreated, InvoiceLine, LineTax, PostInvoice, TaxTotal};
use o2c::money::RoundingRule;
use o2c::rust_decimal::Decimal;
use o2c::tax::{DefineTax, Tax, TaxComputation, TaxRounding};
use o2c::{DomainError, TaxId};

fn total(tax_id: TaxId, name: &str, amount: &str) -> TaxTotal {
    TaxTotal {
        tax_id,
        name: name.into(),
        amount: dec(amount),
    }
}

fn line_tax(tax_id: TaxId, amount: &str) -> LineTax {
    LineTax {
        tax_id,
        amount: dec(amount),
    }
}

#[test]
fn a_percentage_tax_is_added_to_the_line_and_to_the_receivable() {
    let mut w = World::new();
    let (widget, customer_id) = (w.widget, w.customer);
    let vat = percent_tax(&mut w, "VAT 20%", "20");
    set_taxes(&mut w, widget, &[vat]);
    let order_id = delivered(&mut w, &[(widget, "3")]);
    let invoice_id = w.h.id();

    let event = only(w.h.ok(create_invoice(invoice_id, order_id)));

    assert_eq!(
        event,
        Event::InvoiceCreated(InvoiceCreated {
            invoice_id,
            order_id,
            customer_id,
            lines: vec![InvoiceLine {
                order_line: 1,
                product_id: widget,
                quantity: dec("3"),
                unit_price: usd("10.00"),
                discount_percent: Decimal::ZERO,
                amount: usd("30.00"),
                order_id: Some(order_id),
                taxes: vec![line_tax(vat, "6.00")],
            }],
            total: usd("36.00"),
            additional_orders: vec![],
            rate: None,
            taxes: vec![total(vat, "VAT 20%", "6.00")],
            deductions: vec![],
            untaxed: Some(usd("30.00")),
            tax: Some(usd("6.00")),
            down_payment: false,
        })
    );
    w.h.ok(PostInvoice { invoice_id });
    let posted = invoice(&w, invoice_id);
    assert_eq!(posted.open_amount(), usd("36.00"));
    assert_eq!(
        (posted.installments[0].amount, posted.installments[0].untaxed),
        (dec("36.00"), dec("30.00"))
    );
    assert_eq!(customer(&w).receivable, dec("36.00"));
}

#[test]
fn a_fixed_tax_is_charged_per_unit() {
    let mut w = World::new();
    let gadget = w.gadget;
    let eco = fixed_tax(&mut w, "Eco fee", "0.15");
    set_taxes(&mut w, gadget, &[eco]);
    let order_id = delivered(&mut w, &[(gadget, "4")]);

    let draft = drafted(&mut w, order_id);

    assert_eq!(draft.lines[0].taxes, vec![line_tax(eco, "0.60")]);
    assert_eq!(draft.taxes, vec![total(eco, "Eco fee", "0.60")]);
    assert_eq!(
        (draft.untaxed, draft.tax, draft.total),
        (usd("10.00"), usd("0.60"), usd("10.60"))
    );
}

#[test]
fn two_taxes_on_one_line_are_totalled_per_tax_and_per_document() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let vat = percent_tax(&mut w, "VAT 20%", "20");
    let eco = fixed_tax(&mut w, "Eco fee", "0.15");
    set_taxes(&mut w, widget, &[vat, eco]);
    set_taxes(&mut w, gadget, &[vat]);
    let order_id = delivered(&mut w, &[(widget, "3"), (gadget, "1")]);

    let draft = drafted(&mut w, order_id);

    assert_eq!(
        draft.lines[0].taxes,
        vec![line_tax(vat, "6.00"), line_tax(eco, "0.45")]
    );
    assert_eq!(draft.lines[1].taxes, vec![line_tax(vat, "0.50")]);
    assert_eq!(
        draft.taxes,
        vec![total(vat, "VAT 20%", "6.50"), total(eco, "Eco fee", "0.45")]
    );
    assert_eq!(
        (draft.untaxed, draft.tax, draft.total),
        (usd("32.50"), usd("6.95"), usd("39.45"))
    );
}

#[test]
fn a_tax_affecting_later_ones_is_in_the_base_of_the_taxes_after_it_only() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let excise = define_tax(
        &mut w,
        "Excise 10%",
        TaxComputation::Percent(dec("10")),
        false,
        true,
    );
    let vat = percent_tax(&mut w, "VAT 20%", "20");
    set_taxes(&mut w, widget, &[excise, vat]);
    set_taxes(&mut w, gadget, &[vat, excise]);
    let order_id = delivered(&mut w, &[(widget, "3"), (gadget, "4")]);

    let draft = drafted(&mut w, order_id);

    assert_eq!(
        draft.lines[0].taxes,
        vec![line_tax(excise, "3.00"), line_tax(vat, "6.60")],
        "VAT on 30.00 + 3.00 excise"
    );
    assert_eq!(
        draft.lines[1].taxes,
        vec![line_tax(vat, "2.00"), line_tax(excise, "1.00")],
        "VAT comes first: on 10.00 alone"
    );
    assert_eq!(
        draft.taxes,
        vec![total(excise, "Excise 10%", "4.00"), total(vat, "VAT 20%", "8.60")]
    );
    assert_eq!(
        (draft.untaxed, draft.tax, draft.total),
        (usd("40.00"), usd("12.60"), usd("52.60"))
    );
}

#[test]
fn a_fixed_tax_affecting_later_ones_is_taxed_by_them() {
    let mut w = World::new();
    let widget = w.widget;
    let eco = define_tax(
        &mut w,
        "Eco fee",
        TaxComputation::FixedPerUnit(usd("0.50")),
        false,
        true,
    );
    let vat = percent_tax(&mut w, "VAT 20%", "20");
    set_taxes(&mut w, widget, &[eco, vat]);
    let order_id = delivered(&mut w, &[(widget, "3")]);

    let draft = drafted(&mut w, order_id);

    assert_eq!(
        draft.lines[0].taxes,
        vec![line_tax(eco, "1.50"), line_tax(vat, "6.30")]
    );
    assert_eq!(
        (draft.untaxed, draft.tax, draft.total),
        (usd("30.00"), usd("7.80"), usd("37.80"))
    );
}

#[test]
fn with_a_tax_included_in_the_price_the_customer_pays_the_price() {
    let mut w = World::new();
    let gadget = w.gadget;
    let vat = define_tax(
        &mut w,
        "VAT 20% incl.",
        TaxComputation::Percent(dec("20")),
        true,
        false,
    );
    set_taxes(&mut w, gadget, &[vat]);
    let order_id = delivered(&mut w, &[(gadget, "1")]);

    let draft = drafted(&mut w, order_id);

    let line = &draft.lines[0];
    assert_eq!(line.unit_price, usd("2.50"));
    assert_eq!(
        line.amount,
        usd("2.08"),
        "2.50 / 1.2 = 2.0833, less the rounded tax"
    );
    assert_eq!(line.taxes.len(), 1);
    assert_eq!(
        RoundingRule::HalfAwayFromZero.round(line.taxes[0].amount, 2),
        dec("0.42"),
        "unrounded 0.41666…"
    );
    assert_eq!(draft.taxes, vec![total(vat, "VAT 20% incl.", "0.42")]);
    assert_eq!(
        (draft.untaxed, draft.tax, draft.total),
        (usd("2.08"), usd("0.42"), usd("2.50"))
    );
}

#[test]
fn taxes_included_in_the_price_are_rounded_per_line_even_when_the_company_rounds_per_document() {
    let mut w = World::new();
    let gadget = w.gadget;
    change_settings(&mut w, |s| s.tax_rounding = TaxRounding::PerDocument);
    let vat = define_tax(
        &mut w,
        "VAT 20% incl.",
        TaxComputation::Percent(dec("20")),
        true,
        false,
    );
    set_taxes(&mut w, gadget, &[vat]);
    let order_id = delivered(&mut w, &[(gadget, "1"), (gadget, "1")]);

    let draft = drafted(&mut w, order_id);

    assert_eq!(
        draft.lines.iter().map(|l| l.amount).collect::<Vec<_>>(),
        [usd("2.08"), usd("2.08")]
    );
    assert_eq!(
        draft.taxes,
        vec![total(vat, "VAT 20% incl.", "0.84")],
        "0.42 twice, not 0.8333 rounded once"
    );
    assert_eq!(
        (draft.untaxed, draft.tax, draft.total),
        (usd("4.16"), usd("0.84"), usd("5.00"))
    );
}

#[test]
fn fixed_and_percentage_taxes_included_in_the_price_both_come_out_of_it() {
    let mut w = World::new();
    let gadget = w.gadget;
    let eco = define_tax(
        &mut w,
        "Eco fee incl.",
        TaxComputation::FixedPerUnit(usd("0.10")),
        true,
        false,
    );
    let vat = define_tax(
        &mut w,
        "VAT 20% incl.",
        TaxComputation::Percent(dec("20")),
        true,
        false,
    );
    set_taxes(&mut w, gadget, &[eco, vat]);
    let order_id = delivered(&mut w, &[(gadget, "3")]);

    let draft = drafted(&mut w, order_id);

    assert_eq!(
        draft.lines[0].taxes,
        vec![line_tax(eco, "0.30"), line_tax(vat, "1.20")],
        "base (7.50 - 0.30) / 1.2 = 6.00"
    );
    assert_eq!(
        (draft.untaxed, draft.tax, draft.total),
        (usd("6.00"), usd("1.50"), usd("7.50"))
    );
}

#[test]
fn a_tax_included_in_the_price_cannot_be_in_the_base_of_later_taxes() {
    let mut w = World::new();
    let tax_id = w.h.id();

    assert_eq!(
        w.h.refused(DefineTax {
            tax: Tax {
                tax_id,
                name: "VAT 20% incl.".into(),
                computation: TaxComputation::Percent(dec("20")),
                price_included: true,
                affects_later: true,
            },
        }),
        DomainError::IncludedTaxAffectsLater { tax_id }
    );
}

/// Three lines of one 0.05 pin, each carrying two added 10% taxes, under `rounding`.
fn three_pins_under(rounding: TaxRounding) -> (o2c::invoice::Invoice, TaxId, TaxId) {
    let mut w = World::new();
    change_settings(&mut w, |s| s.tax_rounding = rounding);
    let state = percent_tax(&mut w, "State 10%", "10");
    let city = percent_tax(&mut w, "City 10%", "10");
    let pin = ordered_product(&mut w, "PIN", "0.05", &[state, city]);
    let order_id = confirmed(&mut w, &[(pin, "1"), (pin, "1"), (pin, "1")]);
    let invoice_id = draft_invoice(&mut w, order_id);
    let draft = invoice(&w, invoice_id);
    assert_eq!(
        draft.lines[0].taxes,
        vec![line_tax(state, "0.005"), line_tax(city, "0.005")],
        "unrounded on the line"
    );
    (draft, state, city)
}

#[test]
fn rounding_per_line_rounds_each_tax_on_each_line() {
    let (draft, state, city) = three_pins_under(TaxRounding::PerLine);

    assert_eq!(
        draft.taxes,
        vec![total(state, "State 10%", "0.03"), total(city, "City 10%", "0.03")],
        "0.005 rounds to 0.01, three times"
    );
    assert_eq!(
        (draft.untaxed, draft.tax, draft.total),
        (usd("0.15"), usd("0.06"), usd("0.21"))
    );
}

#[test]
fn rounding_per_document_rounds_each_tax_once_on_its_unrounded_sum() {
    let (draft, state, city) = three_pins_under(TaxRounding::PerDocument);

    assert_eq!(
        draft.taxes,
        vec![total(state, "State 10%", "0.02"), total(city, "City 10%", "0.02")],
        "0.015 rounds once to 0.02"
    );
    assert_eq!(
        (draft.untaxed, draft.tax, draft.total),
        (usd("0.15"), usd("0.04"), usd("0.19"))
    );
}
