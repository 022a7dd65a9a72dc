//! The credit notes of a return's credit (or refund) resolution.
//!
//! Per order line, the quantity credited is the part of the resolved quantity that was
//! invoiced: what the line's posted invoices bill beyond what the line may bill now (by
//! its policy, what it delivered or what it expects), at most the resolved quantity. A
//! received quantity never invoiced is simply no longer expected: no credit note. The
//! credited quantity is taken from the line's posted invoices, newest first (invoice
//! date, then number), at each invoice's prices and taxes (see
//! [`crate::invoice::credit_note`]); one credit note per invoice.
//!
//! **Restocking fee.** A percentage withheld from each credited line before tax: the
//! line's withheld amount is `round(amount × percent / 100)` (the company's rounding, the
//! invoice currency's decimals), its withheld taxes the same share of its unrounded taxes;
//! the credit note credits the rest, and its taxes are computed on the rest as for any
//! invoice (per line or per document). Example: 4 widgets invoiced at 25.00 with 20% VAT
//! added, fee 15%: full credit 100.00 + 20.00; withheld 15.00 + 3.00; the credit note
//! credits 85.00 + 17.00 = 102.00, and 18.00 stays owed.
//!
//! **Several invoices.** The first credit note takes the id the command gives; the note of
//! each further invoice takes the UUID v5 of that id and the invoice's id, so the ids stay
//! deterministic and chosen by the caller.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::ReturnAuthorisation;
use crate::book::Book;
use crate::company::NumberedDocument;
use crate::error::DomainError;
use crate::ids::{CreditNoteId, InvoiceId};
use crate::invoice::create::tax_totals;
use crate::invoice::credit_note::{creditable_quantity, line_credit};
use crate::invoice::{
    CreditNoteIssued, CreditNoteKind, CreditedQuantity, Invoice, InvoiceLine, InvoiceStatus, LineTax,
    Withheld,
};
use crate::money::Money;
use crate::order::SalesOrder;

/// The id of the credit note for the `index`-th invoice a credit covers.
pub fn credit_note_id(first: CreditNoteId, index: usize, invoice: InvoiceId) -> CreditNoteId {
    if index == 0 {
        first
    } else {
        CreditNoteId(Uuid::new_v5(&first.0, invoice.0.as_bytes()))
    }
}

/// The posted invoices that bill lines of an order, newest first.
fn posted_invoices<'a>(book: &'a Book, order: &SalesOrder) -> Vec<&'a Invoice> {
    let mut invoices: Vec<&Invoice> = book
        .invoices()
        .filter(|i| i.status == InvoiceStatus::Posted && !i.down_payment && i.orders.contains(&order.id))
        .collect();
    invoices.sort_by(|a, b| (b.invoice_date, &b.number).cmp(&(a.invoice_date, &a.number)));
    invoices
}

/// How much of `resolved` of an order line was invoiced and must be credited.
pub(crate) fn invoiced_part(
    order: &SalesOrder,
    line: u32,
    resolved: Decimal,
) -> Result<Decimal, DomainError> {
    let Some(l) = order.line(line) else {
        return Err(DomainError::UnknownOrderLine {
            order_id: order.id,
            line,
        });
    };
    if l.invoicing > Decimal::ZERO {
        return Err(DomainError::ReturnLineOnDraftInvoice {
            line,
            invoicing: l.invoicing,
        });
    }
    Ok((l.invoiced - order.billable(l)).max(Decimal::ZERO).min(resolved))
}

/// Splits a credited line into what is withheld and what is credited.
fn withhold(
    line: InvoiceLine,
    percent: Decimal,
    round: impl Fn(Decimal) -> Decimal,
) -> (InvoiceLine, InvoiceLine) {
    let share = percent / Decimal::ONE_HUNDRED;
    let withheld_amount = round(line.amount.amount * share);
    let withheld = InvoiceLine {
        amount: Money::new(withheld_amount, line.amount.currency),
        taxes: line
            .taxes
            .iter()
            .map(|t| LineTax {
                tax_id: t.tax_id,
                amount: t.amount * share,
            })
            .collect(),
        ..line.clone()
    };
    let credited = InvoiceLine {
        amount: Money::new(line.amount.amount - withheld_amount, line.amount.currency),
        taxes: line
            .taxes
            .iter()
            .zip(&withheld.taxes)
            .map(|(t, w)| LineTax {
                tax_id: t.tax_id,
                amount: t.amount - w.amount,
            })
            .collect(),
        ..line
    };
    (credited, withheld)
}

/// The credit notes crediting `quantities` (order line, quantity to credit) of a return's
/// order, less a restocking fee of `fee_percent`, dated `date`.
pub(crate) fn credit_notes(
    book: &Book,
    rma: &ReturnAuthorisation,
    order: &SalesOrder,
    quantities: &[(u32, Decimal)],
    first_id: CreditNoteId,
    fee_percent: Decimal,
    date: NaiveDate,
) -> Result<Vec<CreditNoteIssued>, DomainError> {
    let company = book.require_company()?;
    let invoices = posted_invoices(book, order);
    // Per invoice (newest first), the (line index, quantity) to credit.
    let mut pieces: BTreeMap<usize, Vec<(usize, Decimal)>> = BTreeMap::new();
    for (order_line, quantity) in quantities {
        let mut left = *quantity;
        for (rank, invoice) in invoices.iter().enumerate() {
            if left <= Decimal::ZERO {
                break;
            }
            for (index, l) in invoice.lines.iter().enumerate() {
                if invoice.order_of(l) != order.id || l.order_line != *order_line || left <= Decimal::ZERO {
                    continue;
                }
                let take = creditable_quantity(invoice, index).min(left);
                if take > Decimal::ZERO {
                    pieces.entry(rank).or_default().push((index, take));
                    left -= take;
                }
            }
        }
    }
    let mut numbering = company.clone();
    let mut notes = Vec::with_capacity(pieces.len());
    for (n, (rank, pieces)) in pieces.into_iter().enumerate() {
        let Some(invoice) = invoices.get(rank).copied() else {
            continue;
        };
        let id = credit_note_id(first_id, n, invoice.id);
        book.require_unused(id.0)?;
        let currency = company.currency(invoice.currency)?;
        let round = |value: Decimal| company.rounding.round(value, currency.decimals);
        let mut lines = Vec::with_capacity(pieces.len());
        let mut withheld_lines = Vec::new();
        for (index, quantity) in &pieces {
            let Some(full) = line_credit(book, invoice, *index, *quantity, currency.decimals) else {
                continue;
            };
            if fee_percent.is_zero() {
                lines.push(full);
            } else {
                let (credited, withheld) = withhold(full, fee_percent, round);
                lines.push(credited);
                withheld_lines.push(withheld);
            }
        }
        let totals = |lines: &[InvoiceLine]| {
            let taxes = tax_totals(
                book,
                lines,
                currency,
                company.rounding,
                company.settings.tax_rounding,
            );
            let untaxed: Decimal = lines.iter().map(|l| l.amount.amount).sum();
            let tax: Decimal = taxes.iter().map(|t| t.amount).sum();
            (taxes, untaxed, tax)
        };
        let money = |amount| Money::new(amount, invoice.currency);
        let (taxes, untaxed, tax) = totals(&lines);
        let total = untaxed + tax;
        let creditable = invoice.total.amount - invoice.credit_notes_total;
        if total > creditable {
            return Err(DomainError::CreditExceedsInvoice {
                invoice_id: invoice.id,
                requested: money(total),
                creditable: money(creditable),
            });
        }
        let withheld = (!withheld_lines.is_empty()).then(|| {
            let (taxes, untaxed, tax) = totals(&withheld_lines);
            Withheld {
                percent: fee_percent,
                lines: withheld_lines.clone(),
                taxes,
                untaxed: money(untaxed),
                tax: money(tax),
                total: money(untaxed + tax),
            }
        });
        let (fiscal_year, sequence, number) = numbering.number_on(NumberedDocument::CreditNote, date)?;
        numbering.record_number(NumberedDocument::CreditNote, date, sequence);
        let kind = CreditNoteKind::ReturnedGoods(
            lines
                .iter()
                .map(|l| CreditedQuantity {
                    order_id: Some(order.id),
                    order_line: l.order_line,
                    quantity: l.quantity,
                })
                .collect(),
        );
        notes.push(CreditNoteIssued {
            credit_note_id: id,
            invoice_id: invoice.id,
            customer_id: invoice.customer_id,
            number,
            fiscal_year,
            sequence,
            issued_on: date,
            kind,
            lines,
            taxes,
            untaxed: money(untaxed),
            tax: money(tax),
            total: money(total),
            applied: money(total.min(invoice.open_amount().amount).max(Decimal::ZERO)),
            reason: format!("Returned goods ({})", rma.reason),
            return_id: Some(rma.id),
            withheld,
        });
    }
    Ok(notes)
}
