//! Settling a posted invoice's installments: how a payment or a customer credit is spread
//! over them (oldest due first, or one named installment), which installments earn the
//! early-payment discount, and the fold that books a settlement or takes it back.
//!
//! An installment earns the discount when money received within the discount window
//! settles it, the discount making up the rest: with 100.00 open and a 2.00 discount, 98.00
//! settles it. Money short of that settles part of it without discount; money beyond what
//! the installments take is refused (explicit allocation) or left unapplied (automatic).
//!
//! Every settlement reduces the customer's receivable by its value at the invoice's rate;
//! the money's own rate may differ, and the difference is the realised exchange
//! difference (positive: a gain), kept exact.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Invoice;
use crate::book::Book;
use crate::error::DomainError;
use crate::ids::{CustomerId, InvoiceId};
use crate::money::{Money, RoundingRule};
use crate::payment_term::EarlyDiscountBasis;

/// What one settlement does to one installment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    /// The installment (index in due-date order of the term's lines).
    pub installment: u32,
    /// Money applied.
    pub amount: Decimal,
    /// Early-payment discount granted.
    pub discount: Decimal,
    /// The discount's tax share, where the company reduces tax.
    pub tax_reduction: Decimal,
}

/// The money a settlement comes from: its amount and (for payments) the date it was
/// received, which decides the discount.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Source {
    pub amount: Money,
    pub received_on: Option<NaiveDate>,
}

/// Refuses an invoice that is not posted or not the customer's (`mismatch` says why), or
/// in another currency.
pub(crate) fn require_settleable<'a>(
    book: &'a Book,
    invoice_id: InvoiceId,
    customer: CustomerId,
    source: &Money,
    mismatch: impl FnOnce(&Invoice) -> DomainError,
) -> Result<&'a Invoice, DomainError> {
    let invoice = super::require_posted(book, invoice_id)?;
    if invoice.customer_id != customer {
        return Err(mismatch(invoice));
    }
    crate::validate::in_currency(invoice.currency, source)?;
    Ok(invoice)
}

/// The part `left` settles of one installment: the discount when it completes it.
fn part_of(
    invoice: &Invoice,
    index: usize,
    left: Decimal,
    received_on: Option<NaiveDate>,
    decimals: u32,
    rounding: RoundingRule,
) -> Option<Part> {
    let installment = invoice.installments.get(index)?;
    let open = installment.open();
    if open <= Decimal::ZERO || left <= Decimal::ZERO {
        return None;
    }
    let discount = match (&invoice.early_discount, received_on) {
        (Some(terms), Some(date)) => terms.on(installment, date, decimals, rounding),
        _ => Decimal::ZERO,
    };
    // The discount completes a payment: it is never granted on money that is not there
    // (an installment a credit brought down to its discount or below takes money in full).
    let (amount, discount) = if discount > Decimal::ZERO && open > discount && left >= open - discount {
        (open - discount, discount)
    } else {
        (left.min(open), Decimal::ZERO)
    };
    let tax_reduction = match invoice.early_discount.as_ref().map(|d| d.basis) {
        Some(EarlyDiscountBasis::TotalReducingTax) if !installment.amount.is_zero() => rounding.round(
            discount * (installment.amount - installment.untaxed) / installment.amount,
            decimals,
        ),
        _ => Decimal::ZERO,
    };
    Some(Part {
        installment: u32::try_from(index).ok()?,
        amount,
        discount,
        tax_reduction,
    })
}

/// Spreads `source` over an invoice: over `installment` alone, or oldest due first.
/// Refused when the money is more than the installments take.
pub(crate) fn plan(
    book: &Book,
    invoice: &Invoice,
    source: Source,
    installment: Option<u32>,
) -> Result<Vec<Part>, DomainError> {
    let company = book.require_company()?;
    let decimals = company.currency(invoice.currency)?.decimals;
    let order: Vec<usize> = match installment {
        Some(index) => {
            let index = usize::try_from(index).unwrap_or(usize::MAX);
            if index >= invoice.installments.len() {
                return Err(DomainError::UnknownInstallment {
                    invoice_id: invoice.id,
                    installment: index,
                });
            }
            vec![index]
        }
        None => invoice.due_order(),
    };
    let mut left = source.amount.amount;
    let mut parts = Vec::new();
    let mut takes = Decimal::ZERO;
    for index in order {
        let full = part_of(
            invoice,
            index,
            Decimal::MAX,
            source.received_on,
            decimals,
            company.rounding,
        );
        takes += full.map_or(Decimal::ZERO, |p| p.amount);
        if let Some(part) = part_of(
            invoice,
            index,
            left,
            source.received_on,
            decimals,
            company.rounding,
        ) {
            left -= part.amount;
            parts.push(part);
        }
    }
    if left > Decimal::ZERO {
        return Err(DomainError::AllocationExceedsOpenAmount {
            invoice_id: invoice.id,
            requested: source.amount,
            open: Money::new(takes, invoice.currency),
        });
    }
    Ok(parts)
}

/// Spreads money over every open installment of a customer's invoices in its currency,
/// oldest due date first (then invoice number); what is left stays unapplied.
pub(crate) fn plan_oldest_first(
    book: &Book,
    customer: CustomerId,
    source: Source,
) -> Result<Vec<(InvoiceId, Part)>, DomainError> {
    let company = book.require_company()?;
    let decimals = company.currency(source.amount.currency)?.decimals;
    let mut due: Vec<(NaiveDate, Option<&str>, &Invoice, usize)> = book
        .open_invoices_of(customer)
        .filter(|i| i.currency == source.amount.currency)
        .flat_map(|i| {
            i.installments
                .iter()
                .enumerate()
                .filter(|(_, inst)| inst.open() > Decimal::ZERO)
                .map(move |(index, inst)| (inst.due_date, i.number.as_deref(), i, index))
        })
        .collect();
    due.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let mut left = source.amount.amount;
    let mut parts = Vec::new();
    for (_, _, invoice, index) in due {
        if let Some(part) = part_of(
            invoice,
            index,
            left,
            source.received_on,
            decimals,
            company.rounding,
        ) {
            left -= part.amount;
            parts.push((invoice.id, part));
        }
    }
    Ok(parts)
}

/// What settles an invoice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum By {
    /// A payment.
    Payment,
    /// A credit note.
    Credit,
    /// A write-off.
    WriteOff,
}

impl By {
    fn figure(self, invoice: &mut Invoice) -> &mut Decimal {
        match self {
            By::Payment => &mut invoice.paid,
            By::Credit => &mut invoice.credited,
            By::WriteOff => &mut invoice.written_off,
        }
    }
}

/// Books a settlement of an invoice: `amount` and `discount`, on one installment (`None`:
/// oldest due first, as logs from before installments record it).
pub(crate) fn apply(
    book: &mut Book,
    invoice_id: InvoiceId,
    installment: Option<u32>,
    by: By,
    amount: Decimal,
    discount: Decimal,
) {
    book_change(book, invoice_id, installment, by, amount, discount);
}

/// Takes back a settlement booked by [`apply`] (a returned payment).
pub(crate) fn reverse(
    book: &mut Book,
    invoice_id: InvoiceId,
    installment: Option<u32>,
    by: By,
    amount: Decimal,
    discount: Decimal,
) {
    book_change(book, invoice_id, installment, by, -amount, -discount);
}

/// Changes what settles an invoice by `amount` and `discount` (negative: taken back), its
/// installments, its place among the customer's open invoices, and the receivable.
fn book_change(
    book: &mut Book,
    invoice_id: InvoiceId,
    installment: Option<u32>,
    by: By,
    amount: Decimal,
    discount: Decimal,
) {
    let Some(invoice) = book.invoices.get_mut(&invoice_id) else {
        return;
    };
    let settled = amount + discount;
    *by.figure(invoice) += amount;
    invoice.discounts += discount;
    match installment.and_then(|i| invoice.installments.get_mut(i as usize)) {
        Some(target) => target.settled += settled,
        None if settled >= Decimal::ZERO => invoice.settle(settled),
        None => invoice.unsettle(-settled),
    }
    let (customer_id, value, open) = (
        invoice.customer_id,
        settled * invoice.rate,
        invoice.open_amount().amount > Decimal::ZERO,
    );
    let open_invoices = book.open_invoices.entry(customer_id).or_default();
    if open {
        open_invoices.insert(invoice_id);
    } else {
        open_invoices.remove(&invoice_id);
    }
    if let Some(customer) = book.customers.get_mut(&customer_id) {
        customer.receivable -= value;
        if by == By::Payment && settled > Decimal::ZERO {
            // A payment lets the customer's dunning start over.
            customer.dunning_level = None;
        }
    }
}
