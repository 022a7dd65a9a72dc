//! Customer invoices: their state and the folds of their events.
//!
//! Life cycle: a *draft* (editable, not numbered, not receivable) for what one or several
//! orders of a customer may invoice (see [`create`]), *posted* (numbered from the
//! company's gapless yearly sequence, dated, split into installments by the payment term,
//! receivable; see [`post`]), or a *cancelled* draft. A posted invoice never changes: a
//! credit note undoes it, in full or in part (see [`credit_note`]).
//!
//! Amounts are in the invoice's currency; with a currency other than the company's, the
//! invoice records the exchange rate of its invoice date, and its company-currency value is
//! its amounts times that rate.

pub mod create;
pub mod credit_note;
pub mod customer_credit;
pub mod draft;
pub mod post;
pub mod settlement;
pub mod write_off;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use create::*;
pub use credit_note::*;
pub use customer_credit::*;
pub use draft::*;
pub use post::*;
pub use write_off::*;

use crate::book::Book;
use crate::ids::{CustomerId, InvoiceId, OrderId, ProductId, TaxId};
use crate::money::{CurrencyCode, Money};
use crate::order::SalesOrder;
use crate::payment_term::{Installment, InvoiceDiscount};

/// Whether a product is invoiced on what was ordered or on what was delivered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvoicePolicy {
    /// Delivered quantities (the default).
    #[default]
    OnDelivered,
    /// Ordered quantities, as soon as the order is confirmed.
    OnOrdered,
}

/// One tax of an invoice line, unrounded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineTax {
    /// The tax.
    pub tax_id: TaxId,
    /// Its unrounded amount on the line.
    pub amount: Decimal,
}

/// One invoice line, pointing back to its order line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceLine {
    /// The order line invoiced.
    pub order_line: u32,
    /// The product.
    pub product_id: ProductId,
    /// Quantity invoiced, in the order line's unit.
    pub quantity: Decimal,
    /// Price per unit before discounts, in the invoice currency.
    pub unit_price: Money,
    /// Effective discount of the order line (line and order discount combined), percent.
    #[serde(default)]
    pub discount_percent: Decimal,
    /// The line's untaxed amount, rounded to the currency's precision.
    pub amount: Money,
    /// The order of the line (none in invoices of one order: the invoice's order).
    #[serde(default)]
    pub order_id: Option<OrderId>,
    /// The line's taxes, unrounded.
    #[serde(default)]
    pub taxes: Vec<LineTax>,
}

/// The total of one tax on an invoice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxTotal {
    /// The tax.
    pub tax_id: TaxId,
    /// Its name.
    pub name: String,
    /// Its rounded amount.
    pub amount: Decimal,
}

/// A down payment deducted from an invoice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deduction {
    /// The down-payment invoice.
    pub invoice_id: InvoiceId,
    /// The amount deducted.
    pub amount: Decimal,
}

/// Every amount of an invoice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceAmounts {
    /// Lines.
    pub lines: Vec<InvoiceLine>,
    /// Taxes, each rounded as the company rounds.
    pub taxes: Vec<TaxTotal>,
    /// Down payments deducted.
    pub deductions: Vec<Deduction>,
    /// Sum of the line amounts.
    pub untaxed: Money,
    /// Sum of the taxes.
    pub tax: Money,
    /// Untaxed plus tax less deductions.
    pub total: Money,
}

/// Lifecycle of an invoice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvoiceStatus {
    /// Editable, not numbered, not receivable.
    Draft,
    /// Numbered, immutable, receivable.
    Posted,
    /// A cancelled draft.
    Cancelled,
}

/// How much of a posted invoice is settled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaymentState {
    /// Nothing settled.
    NotPaid,
    /// Some settled, some open.
    PartiallyPaid,
    /// Nothing open.
    Paid,
    /// Fully offset by credit notes.
    Reversed,
}

/// An invoice's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    /// The invoice's id.
    pub id: InvoiceId,
    /// The (first) order invoiced.
    pub order_id: OrderId,
    /// Every order invoiced, the first included.
    pub orders: Vec<OrderId>,
    /// Who is billed.
    pub customer_id: CustomerId,
    /// The invoice currency.
    pub currency: CurrencyCode,
    /// Company-currency units per unit of the invoice currency.
    pub rate: Decimal,
    /// A down-payment invoice (no lines; deducted from later invoices of its order).
    pub down_payment: bool,
    /// Lines.
    pub lines: Vec<InvoiceLine>,
    /// Tax totals.
    pub taxes: Vec<TaxTotal>,
    /// Down payments deducted.
    pub deductions: Vec<Deduction>,
    /// Sum of the line amounts.
    pub untaxed: Money,
    /// Sum of the taxes.
    pub tax: Money,
    /// Untaxed plus tax less deductions.
    pub total: Money,
    /// Draft, posted or cancelled.
    pub status: InvoiceStatus,
    /// Number, once posted.
    pub number: Option<String>,
    /// Invoice date, once posted.
    pub invoice_date: Option<NaiveDate>,
    /// Last due date, once posted.
    pub due_date: Option<NaiveDate>,
    /// Installments, once posted.
    pub installments: Vec<Installment>,
    /// The early-payment discount of the payment term, if any.
    pub early_discount: Option<InvoiceDiscount>,
    /// Per line, the quantity credit notes credited.
    pub credited_quantities: Vec<Decimal>,
    /// Allocated payments.
    pub paid: Decimal,
    /// Early-payment discounts granted.
    pub discounts: Decimal,
    /// Offset by credit notes.
    pub credited: Decimal,
    /// Total of the credit notes issued against it.
    pub credit_notes_total: Decimal,
    /// Written off.
    pub written_off: Decimal,
    /// For a down payment: how much later invoices have deducted (drafts included).
    pub deducted: Decimal,
    /// Put on hold by unresolved pricing disputes (claims): still receivable, left out of
    /// dunning up to what is open (see [`Invoice::on_hold`]).
    pub disputed: Decimal,
}

impl Invoice {
    /// Its amounts: lines, taxes, deductions and totals.
    pub fn amounts(&self) -> InvoiceAmounts {
        InvoiceAmounts {
            lines: self.lines.clone(),
            taxes: self.taxes.clone(),
            deductions: self.deductions.clone(),
            untaxed: self.untaxed,
            tax: self.tax,
            total: self.total,
        }
    }

    /// What the customer still owes on it (zero unless posted).
    pub fn open_amount(&self) -> Money {
        let open = match self.status {
            InvoiceStatus::Posted => self.total.amount - self.settled(),
            InvoiceStatus::Draft | InvoiceStatus::Cancelled => Decimal::ZERO,
        };
        Money::new(open, self.currency)
    }

    /// Per installment, the part of the disputed amount on hold: the hold, at most what is
    /// open, is taken off the open installments latest due first, the mirror of settlements
    /// (which go oldest first): the disputed part is the last money owed. Parallel to
    /// `installments`.
    pub fn on_hold(&self) -> Vec<Decimal> {
        let mut held = vec![Decimal::ZERO; self.installments.len()];
        let mut left = self.disputed.max(Decimal::ZERO);
        for index in self.due_order().into_iter().rev() {
            if left <= Decimal::ZERO {
                break;
            }
            if let (Some(installment), Some(slot)) = (self.installments.get(index), held.get_mut(index)) {
                let take = installment.open().max(Decimal::ZERO).min(left);
                *slot = take;
                left -= take;
            }
        }
        held
    }

    /// Paid, discounted, credited and written off.
    pub fn settled(&self) -> Decimal {
        self.paid + self.discounts + self.credited + self.written_off
    }

    /// Paid (nothing owed, an invoice totalling zero included), partially paid, not paid,
    /// or reversed (its own credit notes credit its whole total; credit from other
    /// invoices' notes settles it like a payment).
    pub fn payment_state(&self) -> PaymentState {
        if self.credit_notes_total >= self.total.amount && self.total.amount > Decimal::ZERO {
            PaymentState::Reversed
        } else if self.settled() >= self.total.amount {
            PaymentState::Paid
        } else if self.settled().is_zero() {
            PaymentState::NotPaid
        } else {
            PaymentState::PartiallyPaid
        }
    }

    /// The order of a line.
    pub fn order_of(&self, line: &InvoiceLine) -> OrderId {
        line.order_id.unwrap_or(self.order_id)
    }

    /// Installment indexes in due order (oldest first).
    pub fn due_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.installments.len()).collect();
        order.sort_by_key(|i| self.installments[*i].due_date);
        order
    }

    /// Spreads a settlement over the open installments, oldest due first: (index, amount).
    pub fn spread(&self, amount: Decimal) -> Vec<(usize, Decimal)> {
        let mut left = amount;
        let mut parts = Vec::new();
        for index in self.due_order() {
            if left <= Decimal::ZERO {
                break;
            }
            let take = self.installments[index].open().min(left);
            if take > Decimal::ZERO {
                parts.push((index, take));
                left -= take;
            }
        }
        parts
    }

    /// Applies a settlement of `amount`, oldest installment first.
    pub(crate) fn settle(&mut self, amount: Decimal) {
        for (index, part) in self.spread(amount) {
            if let Some(installment) = self.installments.get_mut(index) {
                installment.settled += part;
            }
        }
    }

    /// Takes back a settlement of `amount`, newest installment first.
    pub(crate) fn unsettle(&mut self, amount: Decimal) {
        let mut left = amount;
        for index in self.due_order().into_iter().rev() {
            if left <= Decimal::ZERO {
                break;
            }
            if let Some(installment) = self.installments.get_mut(index) {
                let back = installment.settled.min(left);
                installment.settled -= back;
                left -= back;
            }
        }
    }
}

/// A posted invoice, refused otherwise (`InvoiceNotPosted`).
pub(crate) fn require_posted(
    book: &Book,
    invoice_id: InvoiceId,
) -> Result<&Invoice, crate::error::DomainError> {
    let invoice = book.require_invoice(invoice_id)?;
    match invoice.status {
        InvoiceStatus::Posted => Ok(invoice),
        status => Err(crate::error::DomainError::InvoiceNotPosted { invoice_id, status }),
    }
}

/// Moves quantities between an order line's "invoicing" (drafts) and "invoiced" (posted)
/// figures, for the lines of an invoice.
pub(crate) fn move_line_quantities(
    orders: &mut BTreeMap<OrderId, Box<SalesOrder>>,
    invoice: &Invoice,
    change: impl Fn(&mut crate::order::OrderLine, Decimal),
) {
    for line in &invoice.lines {
        let order_id = invoice.order_of(line);
        if let Some(order_line) = orders
            .get_mut(&order_id)
            .and_then(|o| o.line_mut(line.order_line))
        {
            change(order_line, line.quantity);
        }
    }
}
