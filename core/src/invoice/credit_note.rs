//! Credit notes: the only way to undo a posted invoice, in full or in part.
//!
//! - A **reversal** credits the whole invoice; its quantities go back to "to invoice" on
//!   the orders (and its down-payment deductions may be deducted again), so a corrected
//!   invoice can follow.
//! - **Returned goods** credit quantities of the invoice's lines at the invoice's prices
//!   and taxes; the order lines count them as returned: neither invoiced nor expected any
//!   more. Crediting the rest of a line credits what earlier credit notes left of its
//!   amount and taxes, so a line returned piece by piece is credited to the cent. A return
//!   authorisation's credit ([`crate::returns`]) issues the same kind of credit note, naming
//!   the return and what a restocking fee withheld ([`Withheld`]).
//! - A **price correction** credits an untaxed amount, taxed in the proportions of the
//!   invoice's taxes; quantities do not change.
//!
//! A credit note is numbered from its own gapless yearly sequence (`RINV/2026/00001`) and
//! dated the command's business date. What it credits first offsets the invoice's open
//! amount (oldest installment first); the rest is customer credit, which may be applied
//! to another invoice of the customer (see [`super::customer_credit`]) or refunded. All
//! credit notes of an invoice together never exceed its total.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::create::tax_totals;
use super::settlement::{self, By};
use super::{Invoice, InvoiceLine, LineTax, TaxTotal};
use crate::book::Book;
use crate::company::NumberedDocument;
use crate::context::CommandContext;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{CreditNoteId, CustomerId, InvoiceId, OrderId, ReturnId};
use crate::ledger::{self, EntryKind};
use crate::money::Money;
use crate::tax::TaxRounding;
use crate::validate;

/// Quantity of one invoice line to credit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditedQuantity {
    /// The order of the line (default: the invoice's order).
    #[serde(default)]
    pub order_id: Option<OrderId>,
    /// The order line.
    pub order_line: u32,
    /// Quantity, in the order line's unit.
    pub quantity: Decimal,
}

/// What a credit note credits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CreditNoteKind {
    /// The whole invoice; its quantities may be invoiced again.
    Reversal,
    /// Goods returned: these quantities at the invoice's prices and taxes.
    ReturnedGoods(Vec<CreditedQuantity>),
    /// A price correction: this untaxed amount, taxed like the invoice.
    PriceCorrection(Money),
}

/// Command: issue a credit note against a posted invoice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateCreditNote {
    /// The new credit note's id.
    pub credit_note_id: CreditNoteId,
    /// The invoice credited.
    pub invoice_id: InvoiceId,
    /// What is credited.
    pub kind: CreditNoteKind,
    /// Why.
    pub reason: String,
}

/// Event: a credit note was issued (numbered, dated).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditNoteIssued {
    /// The credit note's id.
    pub credit_note_id: CreditNoteId,
    /// The invoice credited.
    pub invoice_id: InvoiceId,
    /// Who is credited.
    pub customer_id: CustomerId,
    /// Its number, e.g. `RINV/2026/00001`.
    pub number: String,
    /// Fiscal year of the number's sequence.
    pub fiscal_year: i32,
    /// Position in that year's sequence, from 1, without gaps.
    pub sequence: u32,
    /// Date.
    pub issued_on: NaiveDate,
    /// What is credited.
    pub kind: CreditNoteKind,
    /// Lines credited (quantities and amounts), none for a price correction.
    pub lines: Vec<InvoiceLine>,
    /// Tax totals.
    pub taxes: Vec<TaxTotal>,
    /// Untaxed amount.
    pub untaxed: Money,
    /// Tax.
    pub tax: Money,
    /// Total credited.
    pub total: Money,
    /// The part that offsets the invoice's open amount.
    pub applied: Money,
    /// Why.
    pub reason: String,
    /// The return authorisation it resolves: its quantities came back at the return's
    /// receipt (the order lines' delivered quantities were lowered then), so the order
    /// lines only see their invoiced quantities go down, not their returned ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_id: Option<ReturnId>,
    /// What a restocking fee withheld from the credited lines (see [`Withheld`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withheld: Option<Withheld>,
}

/// What a restocking fee withholds from a credit note for returned goods: per credited
/// line, `round(amount × percent / 100)` of its untaxed amount and the same share of its
/// unrounded taxes. The credit note's lines are what is credited (the full credit less
/// this); these lines together with them make up the full credit, so crediting the rest
/// of an invoice line later never hands the fee back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withheld {
    /// The fee, percent.
    pub percent: Decimal,
    /// The withheld part of each credited line.
    pub lines: Vec<InvoiceLine>,
    /// Tax totals of the withheld part.
    pub taxes: Vec<TaxTotal>,
    /// Untaxed amount withheld.
    pub untaxed: Money,
    /// Tax withheld.
    pub tax: Money,
    /// Total withheld.
    pub total: Money,
}

/// A credit note's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditNote {
    /// The credit note's id.
    pub id: CreditNoteId,
    /// The invoice credited.
    pub invoice_id: InvoiceId,
    /// Who is credited.
    pub customer_id: CustomerId,
    /// Its number.
    pub number: String,
    /// Date.
    pub issued_on: NaiveDate,
    /// What is credited.
    pub kind: CreditNoteKind,
    /// Lines credited.
    pub lines: Vec<InvoiceLine>,
    /// Tax totals.
    pub taxes: Vec<TaxTotal>,
    /// Untaxed amount.
    pub untaxed: Money,
    /// Tax.
    pub tax: Money,
    /// Total.
    pub total: Money,
    /// The credited invoice's exchange rate.
    pub rate: Decimal,
    /// Applied to invoices: the credited invoice first, then others.
    pub applied: Vec<(InvoiceId, Decimal)>,
    /// Refunded to the customer.
    pub refunded: Decimal,
    /// Why.
    pub reason: String,
    /// The return authorisation it resolves, if any.
    pub return_id: Option<ReturnId>,
    /// What a restocking fee withheld, if any.
    pub withheld: Option<Withheld>,
}

impl CreditNote {
    /// Credit not yet applied nor refunded.
    pub fn unapplied(&self) -> Money {
        let applied: Decimal = self.applied.iter().map(|(_, a)| *a).sum();
        Money::new(self.total.amount - applied - self.refunded, self.total.currency)
    }
}

/// The lines a credit note credits, with their unrounded taxes.
fn credited_lines(
    book: &Book,
    invoice: &Invoice,
    kind: &CreditNoteKind,
) -> Result<Vec<InvoiceLine>, DomainError> {
    match kind {
        CreditNoteKind::Reversal => {
            if invoice.credit_notes_total > Decimal::ZERO {
                return Err(DomainError::InvoiceAlreadyCredited {
                    invoice_id: invoice.id,
                });
            }
            Ok(invoice.lines.clone())
        }
        CreditNoteKind::PriceCorrection(_) => Ok(Vec::new()),
        CreditNoteKind::ReturnedGoods(quantities) => {
            if quantities.is_empty() {
                return Err(DomainError::EmptyCreditNote);
            }
            let company = book.require_company()?;
            let decimals = company.currency(invoice.currency)?.decimals;
            let mut lines = Vec::with_capacity(quantities.len());
            for (n, credited) in quantities.iter().enumerate() {
                let order_id = credited.order_id.unwrap_or(invoice.order_id);
                let unknown = DomainError::UnknownOrderLine {
                    order_id,
                    line: credited.order_line,
                };
                let index = invoice
                    .lines
                    .iter()
                    .position(|l| invoice.order_of(l) == order_id && l.order_line == credited.order_line)
                    .ok_or(unknown.clone())?;
                if quantities[..n].iter().any(|q| {
                    q.order_id.unwrap_or(invoice.order_id) == order_id && q.order_line == credited.order_line
                }) {
                    return Err(DomainError::DuplicateLine {
                        line: credited.order_line,
                    });
                }
                let order_line = book
                    .require_order(order_id)?
                    .line(credited.order_line)
                    .ok_or(unknown)?;
                validate::quantity(credited.quantity, &book.line_unit(order_line))?;
                let creditable = creditable_quantity(invoice, index);
                let returnable = order_line.delivered - order_line.returned;
                if credited.quantity > creditable || credited.quantity > returnable {
                    return Err(DomainError::CreditQuantityTooHigh {
                        order_line: credited.order_line,
                        requested: credited.quantity,
                        creditable: creditable.min(returnable),
                    });
                }
                lines.extend(line_credit(book, invoice, index, credited.quantity, decimals));
            }
            Ok(lines)
        }
    }
}

/// What credit notes have not credited yet of an invoice's line `index`.
pub(crate) fn creditable_quantity(invoice: &Invoice, index: usize) -> Decimal {
    invoice.lines.get(index).map_or(Decimal::ZERO, |line| {
        line.quantity
            - invoice
                .credited_quantities
                .get(index)
                .copied()
                .unwrap_or_default()
    })
}

/// The credit of `quantity` of an invoice's line `index` (at most what is creditable of
/// it; none for an unknown line), at the invoice's prices and taxes: the line's share, or
/// for the rest of the line what earlier credit notes left of its amount and taxes.
/// `decimals`: the invoice currency's.
pub(crate) fn line_credit(
    book: &Book,
    invoice: &Invoice,
    index: usize,
    quantity: Decimal,
    decimals: u32,
) -> Option<InvoiceLine> {
    let line = invoice.lines.get(index)?;
    let rounding = book.company().map(|c| c.rounding).unwrap_or_default();
    let round = |value: Decimal| rounding.round(value, decimals);
    let (amount, taxes) = if quantity == creditable_quantity(invoice, index) {
        rest_of_line(book, invoice, line, round)
    } else {
        let share = quantity / line.quantity;
        let taxes = line
            .taxes
            .iter()
            .map(|t| LineTax {
                tax_id: t.tax_id,
                amount: t.amount * share,
            })
            .collect();
        (round(line.amount.amount * share), taxes)
    };
    Some(InvoiceLine {
        quantity,
        amount: Money::new(amount, invoice.currency),
        order_id: Some(invoice.order_of(line)),
        taxes,
        ..line.clone()
    })
}

/// The rest of an invoice line: what earlier credit notes left of its amount and taxes, so
/// that crediting it piece by piece credits it to the cent. Taxes rounded per line (always
/// for taxes included in the price) leave their rounded rest; per document, their
/// unrounded rest.
fn rest_of_line(
    book: &Book,
    invoice: &Invoice,
    line: &InvoiceLine,
    round: impl Fn(Decimal) -> Decimal,
) -> (Decimal, Vec<LineTax>) {
    let order_id = invoice.order_of(line);
    // What restocking fees withheld counts as credited: it is never handed back.
    let earlier: Vec<&InvoiceLine> = book
        .credit_notes()
        .filter(|n| n.invoice_id == invoice.id)
        .flat_map(|n| n.lines.iter().chain(n.withheld.iter().flat_map(|w| &w.lines)))
        .filter(|l| l.order_id.unwrap_or(invoice.order_id) == order_id && l.order_line == line.order_line)
        .collect();
    let amount = line.amount.amount - earlier.iter().map(|l| l.amount.amount).sum::<Decimal>();
    let per_document = book
        .company()
        .is_some_and(|c| c.settings.tax_rounding == TaxRounding::PerDocument);
    let taxes = line
        .taxes
        .iter()
        .map(|t| {
            let earlier = earlier
                .iter()
                .flat_map(|l| &l.taxes)
                .filter(|e| e.tax_id == t.tax_id);
            let per_line = !per_document || book.tax(t.tax_id).is_some_and(|d| d.price_included);
            let amount = if per_line {
                round(t.amount) - earlier.map(|e| round(e.amount)).sum::<Decimal>()
            } else {
                t.amount - earlier.map(|e| e.amount).sum::<Decimal>()
            };
            LineTax {
                tax_id: t.tax_id,
                amount,
            }
        })
        .collect();
    (amount, taxes)
}

pub(crate) fn create(
    book: &Book,
    cmd: &CreateCreditNote,
    ctx: &CommandContext,
) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    book.require_unused(cmd.credit_note_id.0)?;
    let invoice = super::require_posted(book, cmd.invoice_id)?;
    validate::name("reason", &cmd.reason)?;
    let currency = company.currency(invoice.currency)?;
    let issued_on = ctx.business_date();
    let (fiscal_year, sequence, number) = company.number_on(NumberedDocument::CreditNote, issued_on)?;
    let lines = credited_lines(book, invoice, &cmd.kind)?;
    let (untaxed, taxes, total) = match &cmd.kind {
        CreditNoteKind::Reversal => (
            invoice.untaxed.amount,
            invoice.taxes.clone(),
            invoice.total.amount,
        ),
        CreditNoteKind::ReturnedGoods(_) => {
            let taxes = tax_totals(
                book,
                &lines,
                currency,
                company.rounding,
                company.settings.tax_rounding,
            );
            let untaxed: Decimal = lines.iter().map(|l| l.amount.amount).sum();
            (
                untaxed,
                taxes.clone(),
                untaxed + taxes.iter().map(|t| t.amount).sum::<Decimal>(),
            )
        }
        CreditNoteKind::PriceCorrection(amount) => {
            validate::in_currency(invoice.currency, amount)?;
            validate::positive_amount(company, amount)?;
            let taxes: Vec<TaxTotal> = invoice
                .taxes
                .iter()
                .filter(|_| !invoice.untaxed.amount.is_zero())
                .map(|t| TaxTotal {
                    amount: company.rounding.round(
                        amount.amount * t.amount / invoice.untaxed.amount,
                        currency.decimals,
                    ),
                    ..t.clone()
                })
                .collect();
            (
                amount.amount,
                taxes.clone(),
                amount.amount + taxes.iter().map(|t| t.amount).sum::<Decimal>(),
            )
        }
    };
    let creditable = invoice.total.amount - invoice.credit_notes_total;
    if total <= Decimal::ZERO || total > creditable {
        return Err(DomainError::CreditExceedsInvoice {
            invoice_id: invoice.id,
            requested: Money::new(total, invoice.currency),
            creditable: Money::new(creditable, invoice.currency),
        });
    }
    let tax: Decimal = taxes.iter().map(|t| t.amount).sum();
    let money = |amount| Money::new(amount, invoice.currency);
    Ok(vec![Event::CreditNoteIssued(CreditNoteIssued {
        credit_note_id: cmd.credit_note_id,
        invoice_id: invoice.id,
        customer_id: invoice.customer_id,
        number,
        fiscal_year,
        sequence,
        issued_on,
        kind: cmd.kind.clone(),
        lines,
        taxes,
        untaxed: money(untaxed),
        tax: money(tax),
        total: money(total),
        applied: money(total.min(invoice.open_amount().amount)),
        reason: cmd.reason.clone(),
        return_id: None,
        withheld: None,
    })])
}

pub(crate) fn apply_issued(book: &mut Book, e: &CreditNoteIssued) {
    let Some(invoice) = book.invoices.get(&e.invoice_id).cloned() else {
        return;
    };
    let goods = match &e.kind {
        CreditNoteKind::Reversal => Some(false),
        // Goods of a return authorisation were taken off the delivered quantity at their
        // receipt: they are not counted as returned a second time.
        CreditNoteKind::ReturnedGoods(_) => Some(e.return_id.is_none()),
        CreditNoteKind::PriceCorrection(_) => None,
    };
    if let Some(returned) = goods {
        credit_quantities(book, &invoice, &e.lines, returned);
    }
    if matches!(e.kind, CreditNoteKind::Reversal) {
        for deduction in &invoice.deductions {
            if let Some(down_payment) = book.invoices.get_mut(&deduction.invoice_id) {
                down_payment.deducted -= deduction.amount;
            }
        }
    }
    if let Some(invoice) = book.invoices.get_mut(&e.invoice_id) {
        invoice.credit_notes_total += e.total.amount;
    }
    settlement::apply(
        book,
        e.invoice_id,
        None,
        By::Credit,
        e.applied.amount,
        Decimal::ZERO,
    );
    let note = CreditNote {
        id: e.credit_note_id,
        invoice_id: e.invoice_id,
        customer_id: e.customer_id,
        number: e.number.clone(),
        issued_on: e.issued_on,
        kind: e.kind.clone(),
        lines: e.lines.clone(),
        taxes: e.taxes.clone(),
        untaxed: e.untaxed,
        tax: e.tax,
        total: e.total,
        rate: invoice.rate,
        applied: vec![(e.invoice_id, e.applied.amount)],
        refunded: Decimal::ZERO,
        reason: e.reason.clone(),
        return_id: e.return_id,
        withheld: e.withheld.clone(),
    };
    if let Some(company) = book.company.as_mut() {
        company.record_number(NumberedDocument::CreditNote, e.issued_on, e.sequence);
    }
    let entry = ledger::Entry {
        date: e.issued_on,
        kind: EntryKind::CreditNote,
        document: e.credit_note_id.0,
        reference: e.number.clone(),
        currency: e.total.currency,
        amount: -e.total.amount,
        value: -e.total.amount * invoice.rate,
    };
    ledger::record(book, e.customer_id, entry);
    book.credit_notes.insert(note.id, note);
}

/// Takes credited quantities off the order lines' invoiced figures (and counts returned
/// goods as returned).
fn credit_quantities(book: &mut Book, invoice: &Invoice, lines: &[InvoiceLine], returned: bool) {
    for credited in lines {
        let order_id = invoice.order_of(credited);
        if let Some(line) = book
            .orders
            .get_mut(&order_id)
            .and_then(|o| o.line_mut(credited.order_line))
        {
            line.invoiced -= credited.quantity;
            if returned {
                line.returned += credited.quantity;
            }
        }
        if let Some(target) = book.invoices.get_mut(&invoice.id) {
            let index = target
                .lines
                .iter()
                .position(|l| target.order_of(l) == order_id && l.order_line == credited.order_line);
            if let Some(quantity) = index.and_then(|i| target.credited_quantities.get_mut(i)) {
                *quantity += credited.quantity;
            }
        }
    }
}
