//! Creating invoices: a draft for what one or several confirmed orders of one customer may
//! invoice now (by each product's invoice policy: ordered or delivered quantities), in the
//! company currency or another one at the rate of the day, with its taxes; and down-payment
//! invoices, whose amount later invoices of the order deduct.
//!
//! A down payment is a share of the order's untaxed value (a percentage or a fixed amount);
//! it carries no tax of its own: the order's invoices charge the taxes in full and deduct
//! the down payments, up to their total.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Deduction, Invoice, InvoiceAmounts, InvoiceLine, InvoiceStatus, LineTax, TaxTotal};
use crate::book::Book;
use crate::context::CommandContext;
use crate::error::DomainError;
use crate::event::Event;
use crate::exchange::require_rate;
use crate::ids::{CustomerId, InvoiceId, OrderId, TaxId};
use crate::money::{Currency, CurrencyCode, Money, RoundingRule};
use crate::order::{OrderLine, OrderStatus, SalesOrder};
use crate::tax::{self, TaxRounding};
use crate::validate;

/// Command: invoice what one or several orders of a customer may invoice (a draft).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateInvoice {
    /// The new invoice's id.
    pub invoice_id: InvoiceId,
    /// The order to invoice.
    pub order_id: OrderId,
    /// Further orders of the same customer to invoice together.
    #[serde(default)]
    pub additional_orders: Vec<OrderId>,
    /// The invoice currency (default: the orders' currency).
    #[serde(default)]
    pub currency: Option<CurrencyCode>,
}

/// How large a down payment is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DownPaymentAmount {
    /// A percentage of the order's untaxed value.
    Percent(Decimal),
    /// A fixed amount in the order's currency.
    Fixed(Money),
}

/// Command: invoice a down payment on a confirmed order (a draft).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateDownPaymentInvoice {
    /// The new invoice's id.
    pub invoice_id: InvoiceId,
    /// The order.
    pub order_id: OrderId,
    /// How much.
    pub amount: DownPaymentAmount,
}

/// Event: a draft invoice was created.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceCreated {
    /// The invoice's id.
    pub invoice_id: InvoiceId,
    /// The (first) order invoiced.
    pub order_id: OrderId,
    /// Who is billed.
    pub customer_id: CustomerId,
    /// Lines.
    pub lines: Vec<InvoiceLine>,
    /// Untaxed plus tax less deductions.
    pub total: Money,
    /// Further orders invoiced.
    #[serde(default)]
    pub additional_orders: Vec<OrderId>,
    /// The exchange rate (company-currency units per invoice-currency unit), for an invoice
    /// in another currency.
    #[serde(default)]
    pub rate: Option<Decimal>,
    /// Tax totals.
    #[serde(default)]
    pub taxes: Vec<TaxTotal>,
    /// Down payments deducted.
    #[serde(default)]
    pub deductions: Vec<Deduction>,
    /// Sum of the line amounts (absent in logs from before taxes: the total).
    #[serde(default)]
    pub untaxed: Option<Money>,
    /// Sum of the taxes (absent in logs from before taxes: zero).
    #[serde(default)]
    pub tax: Option<Money>,
    /// A down-payment invoice.
    #[serde(default)]
    pub down_payment: bool,
}

/// What an invoice bills of one order line.
pub(crate) struct Billable<'a> {
    pub order: &'a SalesOrder,
    pub line: &'a OrderLine,
    pub quantity: Decimal,
}

/// The currency an invoice is priced in, on its date.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pricing {
    /// The invoice currency.
    pub currency: Currency,
    /// Company-currency units per invoice-currency unit.
    pub rate: Decimal,
    /// Invoice-currency units per unit of the orders' currency.
    pub conversion: Decimal,
}

impl Pricing {
    /// The invoice currency (`requested`, else the orders') and its rates on `date`.
    pub(crate) fn on(
        book: &Book,
        requested: Option<CurrencyCode>,
        order_currency: CurrencyCode,
        date: NaiveDate,
    ) -> Result<Self, DomainError> {
        let company = book.require_company()?;
        let currency = company.currency(requested.unwrap_or(order_currency))?;
        let rate = require_rate(book, currency.code, date)?;
        let conversion = require_rate(book, order_currency, date)? / rate;
        Ok(Self {
            currency,
            rate,
            conversion,
        })
    }
}

/// Prices billable quantities for a customer on a date: lines, taxes (after the fiscal
/// position of that date), rounding as the company rounds. No deductions yet.
pub(crate) fn price(
    book: &Book,
    customer: CustomerId,
    items: &[Billable<'_>],
    pricing: Pricing,
    date: NaiveDate,
) -> Result<InvoiceAmounts, DomainError> {
    let Pricing {
        currency,
        rate,
        conversion,
    } = pricing;
    let company = book.require_company()?;
    let round = |value: Decimal| company.rounding.round(value, currency.decimals);
    let mut lines = Vec::with_capacity(items.len());
    for item in items {
        let (order, line, quantity) = (item.order, item.line, item.quantity);
        let product = book.require_product(line.product_id)?;
        let tax_ids = tax::taxes_for(book, customer, &product.taxes, date);
        let taxes = tax_ids
            .iter()
            .map(|id| book.require_tax(*id))
            .collect::<Result<Vec<_>, _>>()?;
        let gross = order.value_of(line, quantity) * conversion;
        let computed = tax::compute(&taxes, quantity, gross, rate);
        let included: Decimal = taxes
            .iter()
            .zip(&computed.amounts)
            .filter(|(t, _)| t.price_included)
            .map(|(_, (_, amount))| round(*amount))
            .sum();
        let untaxed = if taxes.iter().any(|t| t.price_included) {
            round(gross) - included
        } else {
            round(computed.base)
        };
        lines.push(InvoiceLine {
            order_line: line.line,
            product_id: line.product_id,
            quantity,
            unit_price: Money::new(line.unit_price.amount * conversion, currency.code),
            discount_percent: order.effective_discount(line),
            amount: Money::new(untaxed, currency.code),
            order_id: Some(order.id),
            taxes: computed
                .amounts
                .iter()
                .map(|(tax_id, amount)| LineTax {
                    tax_id: *tax_id,
                    amount: *amount,
                })
                .collect(),
        });
    }
    let taxes = tax_totals(
        book,
        &lines,
        currency,
        company.rounding,
        company.settings.tax_rounding,
    );
    let untaxed: Decimal = lines.iter().map(|l| l.amount.amount).sum();
    let tax: Decimal = taxes.iter().map(|t| t.amount).sum();
    Ok(InvoiceAmounts {
        lines,
        taxes,
        deductions: Vec::new(),
        untaxed: Money::new(untaxed, currency.code),
        tax: Money::new(tax, currency.code),
        total: Money::new(untaxed + tax, currency.code),
    })
}

/// The tax totals of invoice lines: per line, the sum of each line's rounded amount; per
/// document, the rounded sum of the unrounded amounts (taxes included in the price are
/// always rounded per line, see [`crate::tax`]).
pub(crate) fn tax_totals(
    book: &Book,
    lines: &[InvoiceLine],
    currency: Currency,
    rounding: RoundingRule,
    tax_rounding: TaxRounding,
) -> Vec<TaxTotal> {
    let round = |value: Decimal| rounding.round(value, currency.decimals);
    // Per tax: (sum of rounded line amounts, unrounded sum).
    let mut per_tax: Vec<(TaxId, Decimal, Decimal)> = Vec::new();
    for tax in lines.iter().flat_map(|l| &l.taxes) {
        match per_tax.iter_mut().find(|(id, ..)| *id == tax.tax_id) {
            Some(entry) => {
                entry.1 += round(tax.amount);
                entry.2 += tax.amount;
            }
            None => per_tax.push((tax.tax_id, round(tax.amount), tax.amount)),
        }
    }
    per_tax
        .into_iter()
        .map(|(tax_id, rounded, exact)| {
            let definition = book.tax(tax_id);
            let included = definition.is_some_and(|t| t.price_included);
            let amount = match (tax_rounding, included) {
                (TaxRounding::PerDocument, false) => round(exact),
                _ => rounded,
            };
            TaxTotal {
                tax_id,
                name: definition.map(|t| t.name.clone()).unwrap_or_default(),
                amount,
            }
        })
        .collect()
}

/// Deducts down payments, in order, each up to what the total has left.
pub(crate) fn deduct(
    amounts: InvoiceAmounts,
    candidates: impl IntoIterator<Item = Deduction>,
) -> InvoiceAmounts {
    let mut left = amounts.total.amount;
    let mut deductions = Vec::new();
    for candidate in candidates {
        let amount = candidate.amount.min(left);
        if amount > Decimal::ZERO {
            left -= amount;
            deductions.push(Deduction { amount, ..candidate });
        }
    }
    InvoiceAmounts {
        deductions,
        total: Money::new(left, amounts.total.currency),
        ..amounts
    }
}

/// The down payments of `orders` that are posted and not yet deducted in full. They are in
/// their orders' currency: an invoice in another currency cannot deduct them
/// (`DownPaymentInOtherCurrency`).
fn deductions(
    book: &Book,
    orders: &[&SalesOrder],
    currency: CurrencyCode,
) -> Result<Vec<Deduction>, DomainError> {
    let mut out = Vec::new();
    for down_payment in orders
        .iter()
        .flat_map(|o| &o.down_payments)
        .filter_map(|id| book.invoice(*id))
    {
        let left = down_payment.total.amount - down_payment.deducted - down_payment.credit_notes_total;
        if down_payment.status != InvoiceStatus::Posted || left <= Decimal::ZERO {
            continue;
        }
        if down_payment.currency != currency {
            return Err(DomainError::DownPaymentInOtherCurrency {
                down_payment: down_payment.id,
                currency: down_payment.currency,
            });
        }
        out.push(Deduction {
            invoice_id: down_payment.id,
            amount: left,
        });
    }
    Ok(out)
}

/// The orders of an invoice: the first and the additional ones, each once, confirmed or
/// closed, all of one customer.
fn invoiced_orders<'a>(book: &'a Book, cmd: &CreateInvoice) -> Result<Vec<&'a SalesOrder>, DomainError> {
    let mut orders: Vec<&SalesOrder> = Vec::new();
    for order_id in std::iter::once(&cmd.order_id).chain(&cmd.additional_orders) {
        if orders.iter().any(|o| o.id == *order_id) {
            return Err(DomainError::OrderListedTwice { order_id: *order_id });
        }
        let order = book.require_order(*order_id)?;
        order.require_status(&[OrderStatus::Confirmed, OrderStatus::Closed])?;
        if let Some(first) = orders.first() {
            if order.customer_id != first.customer_id || order.currency != first.currency {
                return Err(DomainError::InvoiceOrdersDiffer { order_id: order.id });
            }
        }
        orders.push(order);
    }
    Ok(orders)
}

pub(crate) fn create(
    book: &Book,
    cmd: &CreateInvoice,
    ctx: &CommandContext,
) -> Result<Vec<Event>, DomainError> {
    book.require_company()?;
    book.require_unused(cmd.invoice_id.0)?;
    let orders = invoiced_orders(book, cmd)?;
    let first = orders[0];
    let date = ctx.business_date();
    let pricing = Pricing::on(book, cmd.currency, first.currency, date)?;
    let items: Vec<Billable<'_>> = orders
        .iter()
        .flat_map(|order| {
            order.lines.iter().filter_map(move |line| {
                let quantity = order.invoiceable(line);
                (quantity > Decimal::ZERO).then_some(Billable {
                    order,
                    line,
                    quantity,
                })
            })
        })
        .collect();
    if items.is_empty() {
        return Err(DomainError::NothingToInvoice { order_id: first.id });
    }
    let ids: Vec<OrderId> = orders.iter().map(|o| o.id).collect();
    let amounts = deduct(
        price(book, first.customer_id, &items, pricing, date)?,
        deductions(book, &orders, pricing.currency.code)?,
    );
    Ok(vec![Event::InvoiceCreated(created(
        cmd.invoice_id,
        first,
        &ids[1..],
        amounts,
        pricing.rate,
        false,
    ))])
}

fn created(
    invoice_id: InvoiceId,
    order: &SalesOrder,
    additional: &[OrderId],
    amounts: InvoiceAmounts,
    rate: Decimal,
    down_payment: bool,
) -> InvoiceCreated {
    InvoiceCreated {
        invoice_id,
        order_id: order.id,
        customer_id: order.customer_id,
        lines: amounts.lines,
        total: amounts.total,
        additional_orders: additional.to_vec(),
        rate: (rate != Decimal::ONE).then_some(rate),
        taxes: amounts.taxes,
        deductions: amounts.deductions,
        untaxed: Some(amounts.untaxed),
        tax: Some(amounts.tax),
        down_payment,
    }
}

pub(crate) fn create_down_payment(
    book: &Book,
    cmd: &CreateDownPaymentInvoice,
    ctx: &CommandContext,
) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    book.require_unused(cmd.invoice_id.0)?;
    let order = book.require_order(cmd.order_id)?;
    order.require_status(&[OrderStatus::Confirmed])?;
    let Pricing { currency, rate, .. } = Pricing::on(book, None, order.currency, ctx.business_date())?;
    let value: Decimal = order
        .lines
        .iter()
        .map(|l| {
            company
                .rounding
                .round(order.value_of(l, order.expected_invoiced(l)), currency.decimals)
        })
        .sum();
    let amount = match &cmd.amount {
        DownPaymentAmount::Percent(percent) => {
            validate::percent("amount", *percent)?;
            company
                .rounding
                .round(value * percent / Decimal::ONE_HUNDRED, currency.decimals)
        }
        DownPaymentAmount::Fixed(money) => {
            validate::in_currency(order.currency, money)?;
            validate::positive_amount(company, money)?;
            money.amount
        }
    };
    let earlier: Decimal = order
        .down_payments
        .iter()
        .filter_map(|id| book.invoice(*id))
        .filter(|i| i.status != InvoiceStatus::Cancelled)
        .map(|i| i.total.amount - i.credit_notes_total)
        .sum();
    if amount <= Decimal::ZERO || earlier + amount > value {
        return Err(DomainError::DownPaymentExceedsOrder {
            order_id: order.id,
            requested: Money::new(amount, order.currency),
            order_value: Money::new(value - earlier, order.currency),
        });
    }
    let money = Money::new(amount, order.currency);
    let amounts = InvoiceAmounts {
        lines: Vec::new(),
        taxes: Vec::new(),
        deductions: Vec::new(),
        untaxed: money,
        tax: Money::zero(order.currency),
        total: money,
    };
    Ok(vec![Event::InvoiceCreated(created(
        cmd.invoice_id,
        order,
        &[],
        amounts,
        rate,
        true,
    ))])
}

pub(crate) fn apply_created(book: &mut Book, e: &InvoiceCreated) {
    let currency = e.total.currency;
    let invoice = Invoice {
        id: e.invoice_id,
        order_id: e.order_id,
        orders: std::iter::once(e.order_id)
            .chain(e.additional_orders.iter().copied())
            .collect(),
        customer_id: e.customer_id,
        currency,
        rate: e.rate.unwrap_or(Decimal::ONE),
        down_payment: e.down_payment,
        lines: e.lines.clone(),
        taxes: e.taxes.clone(),
        deductions: e.deductions.clone(),
        untaxed: e.untaxed.unwrap_or(e.total),
        tax: e.tax.unwrap_or(Money::zero(currency)),
        total: e.total,
        status: InvoiceStatus::Draft,
        number: None,
        invoice_date: None,
        due_date: None,
        installments: Vec::new(),
        early_discount: None,
        credited_quantities: vec![Decimal::ZERO; e.lines.len()],
        paid: Decimal::ZERO,
        discounts: Decimal::ZERO,
        credited: Decimal::ZERO,
        credit_notes_total: Decimal::ZERO,
        written_off: Decimal::ZERO,
        deducted: Decimal::ZERO,
        disputed: Decimal::ZERO,
    };
    super::move_line_quantities(&mut book.orders, &invoice, |line, quantity| {
        line.invoicing += quantity
    });
    if invoice.down_payment {
        if let Some(order) = book.orders.get_mut(&invoice.order_id) {
            order.down_payments.push(invoice.id);
        }
    }
    for deduction in &invoice.deductions {
        if let Some(down_payment) = book.invoices.get_mut(&deduction.invoice_id) {
            down_payment.deducted += deduction.amount;
        }
    }
    book.invoices.insert(invoice.id, Box::new(invoice));
}
