//! Fiscal positions: an exempt customer pays no tax while its certificate is valid on the
//! invoice date (and the normal tax once it has expired, a draft being restated at
//! posting); an export customer gets the zero-rate export tax in place of the sales tax.

use crate::common::*;
use crate::support::{World, dec, usd};
use o2c::Event;
use o2c::chrono::NaiveDate;
use o2c::customer::TaxTreatment;
use o2c::invoice::{InvoiceAmounts, InvoiceLine, InvoicePosted, LineTax, PostInvoice, TaxTotal};
use o2c::payment_term::Installment;
use o2c::rust_decimal::Decimal;
use o2c::tax::{FiscalTreatment, SetFiscalPosition, TaxMapping};
use o2c::{OrderId, TaxId};

/// The standard world with VAT 20% on the widget, exempt customers paying none of it, and
/// three delivered widgets for Acme, exempt until `expires_on`.
fn exempt_acme_until(expires_on: Option<NaiveDate>) -> (World, TaxId, OrderId) {
    let mut w = World::new();
    let widget = w.widget;
    let vat = percent_tax(&mut w, "VAT 20%", "20");
    set_taxes(&mut w, widget, &[vat]);
    w.h.ok(SetFiscalPosition {
        treatment: FiscalTreatment::Exempt,
        mappings: vec![TaxMapping { from: vat, to: None }],
    });
    change_acme(&mut w, |d| {
        d.tax_treatment = TaxTreatment::Exempt {
            certificate: "EX-2026-17".into(),
            expires_on,
        }
    });
    let order_id = delivered(&mut w, &[(widget, "3")]);
    (w, vat, order_id)
}

#[test]
fn an_exempt_customer_with_a_valid_certificate_pays_no_tax() {
    let (mut w, _, order_id) = exempt_acme_until(Some(date(2026, 12, 31)));

    let invoice_id = posted_invoice(&mut w, order_id);

    let posted = invoice(&w, invoice_id);
    assert_eq!(posted.lines[0].taxes, vec![]);
    assert_eq!(posted.taxes, vec![]);
    assert_eq!(
        (posted.untaxed, posted.tax, posted.total),
        (usd("30.00"), usd("0.00"), usd("30.00"))
    );
    assert_eq!(customer(&w).receivable, dec("30.00"));
}

#[test]
fn a_certificate_valid_through_the_invoice_date_still_exempts() {
    let (mut w, _, order_id) = exempt_acme_until(Some(date(2026, 3, 2)));

    let draft = drafted(&mut w, order_id);

    assert_eq!(w.h.now.date_naive(), date(2026, 3, 2));
    assert_eq!((draft.tax, draft.total), (usd("0.00"), usd("30.00")));
}

#[test]
fn an_exempt_customer_whose_certificate_has_expired_pays_the_normal_tax() {
    let (mut w, vat, order_id) = exempt_acme_until(Some(date(2026, 3, 1)));

    let draft = drafted(&mut w, order_id);

    assert_eq!(
        draft.taxes,
        vec![TaxTotal {
            tax_id: vat,
            name: "VAT 20%".into(),
            amount: dec("6.00"),
        }]
    );
    assert_eq!((draft.tax, draft.total), (usd("6.00"), usd("36.00")));
}

#[test]
fn a_draft_made_while_exempt_and_posted_after_the_expiry_is_restated_with_the_tax() {
    let (mut w, vat, order_id) = exempt_acme_until(Some(date(2026, 3, 5)));
    let widget = w.widget;
    let invoice_id = draft_invoice(&mut w, order_id);
    assert_eq!(invoice(&w, invoice_id).total, usd("30.00"));
    w.h.advance_days(5);

    let event = only(w.h.ok(PostInvoice { invoice_id }));

    assert_eq!(
        event,
        Event::InvoicePosted(InvoicePosted {
            invoice_id,
            number: "INV/2026/00001".into(),
            fiscal_year: 2026,
            sequence: 1,
            invoice_date: date(2026, 3, 7),
            due_date: date(2026, 4, 6),
            total: usd("36.00"),
            restated: Some(InvoiceAmounts {
                lines: vec![InvoiceLine {
                    order_line: 1,
                    product_id: widget,
                    quantity: dec("3"),
                    unit_price: usd("10.00"),
                    discount_percent: Decimal::ZERO,
                    amount: usd("30.00"),
                    order_id: Some(order_id),
                    taxes: vec![LineTax {
                        tax_id: vat,
                        amount: dec("6.00"),
                    }],
                }],
                taxes: vec![TaxTotal {
                    tax_id: vat,
                    name: "VAT 20%".into(),
                    amount: dec("6.00"),
                }],
                deductions: vec![],
                untaxed: usd("30.00"),
                tax: usd("6.00"),
                total: usd("36.00"),
            }),
            rate: None,
            installments: vec![Installment {
                due_date: date(2026, 4, 6),
                amount: dec("36.00"),
                untaxed: dec("30.00"),
                settled: Decimal::ZERO,
            }],
            early_discount: None,
        })
    );
    let posted = invoice(&w, invoice_id);
    assert_eq!((posted.tax, posted.total), (usd("6.00"), usd("36.00")));
    assert_eq!(customer(&w).receivable, dec("36.00"));
}

#[test]
fn an_export_sale_carries_the_zero_rate_export_tax_instead_of_the_sales_tax() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let vat = percent_tax(&mut w, "VAT 20%", "20");
    let export = percent_tax(&mut w, "Export 0%", "0");
    let eco = fixed_tax(&mut w, "Eco fee", "0.15");
    set_taxes(&mut w, widget, &[vat, eco]);
    set_taxes(&mut w, gadget, &[vat]);
    w.h.ok(SetFiscalPosition {
        treatment: FiscalTreatment::Export,
        mappings: vec![TaxMapping {
            from: vat,
            to: Some(export),
        }],
    });
    change_acme(&mut w, |d| d.tax_treatment = TaxTreatment::Export);
    let order_id = delivered(&mut w, &[(widget, "3"), (gadget, "2")]);

    let draft = drafted(&mut w, order_id);

    let line_taxes = |line: &InvoiceLine| {
        line.taxes
            .iter()
            .map(|t| (t.tax_id, t.amount))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        line_taxes(&draft.lines[0]),
        vec![(export, dec("0")), (eco, dec("0.45"))],
        "the unmapped eco fee applies unchanged"
    );
    assert_eq!(line_taxes(&draft.lines[1]), vec![(export, dec("0"))]);
    assert_eq!(
        draft.taxes,
        vec![
            TaxTotal {
                tax_id: export,
                name: "Export 0%".into(),
                amount: dec("0.00"),
            },
            TaxTotal {
                tax_id: eco,
                name: "Eco fee".into(),
                amount: dec("0.45"),
            },
        ]
    );
    assert_eq!(
        (draft.untaxed, draft.tax, draft.total),
        (usd("35.00"), usd("0.45"), usd("35.45"))
    );
}
