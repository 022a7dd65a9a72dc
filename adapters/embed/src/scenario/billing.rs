//! The query views of billing and cash: an invoice, a credit note, a customer's account and
//! a payment. Like the other views they read the book, show ids by label and write exact
//! decimals as strings.

use chrono::NaiveDate;
use o2c_core::customer::Customer;
use o2c_core::invoice::{CreditNoteKind, InvoiceStatus, PaymentState};
use o2c_core::order::OrderStatus;
use o2c_core::payment_term::EarlyDiscountBasis;
use o2c_core::rust_decimal::Decimal;
use o2c_core::{Book, CreditNoteId, CustomerId, InvoiceId, PaymentId};
use serde::Serialize;

use super::labels::Labels;
use super::views::{Missing, round_base, to_value};

#[derive(Serialize)]
struct InstallmentView {
    due: NaiveDate,
    amount: Decimal,
    settled: Decimal,
    open: Decimal,
}

#[derive(Serialize)]
struct InvoiceLineView {
    order: String,
    order_line: u32,
    product: String,
    quantity: Decimal,
    unit_price: Decimal,
    discount_percent: Decimal,
    amount: Decimal,
}

#[derive(Serialize)]
struct TaxView {
    tax: String,
    name: String,
    amount: Decimal,
}

#[derive(Serialize)]
struct DiscountView {
    percent: Decimal,
    until: NaiveDate,
    basis: EarlyDiscountBasis,
}

#[derive(Serialize)]
struct InvoiceView {
    number: Option<String>,
    status: InvoiceStatus,
    customer: String,
    orders: Vec<String>,
    currency: String,
    rate: Decimal,
    down_payment: bool,
    invoice_date: Option<NaiveDate>,
    due_date: Option<NaiveDate>,
    untaxed: Decimal,
    tax: Decimal,
    deducted: Decimal,
    total: Decimal,
    paid: Decimal,
    discounts: Decimal,
    credited: Decimal,
    written_off: Decimal,
    open: Decimal,
    disputed: Decimal,
    payment_state: PaymentState,
    taxes: Vec<TaxView>,
    lines: Vec<InvoiceLineView>,
    installments: Vec<InstallmentView>,
    early_discount: Option<DiscountView>,
}

/// An invoice: number, amounts, what is open, payment state, taxes, lines and
/// installments (amounts in the invoice's currency).
pub(crate) fn invoice(book: &Book, labels: &Labels, id: InvoiceId) -> Result<serde_json::Value, Missing> {
    let invoice = book
        .invoice(id)
        .ok_or_else(|| format!("no invoice {}", labels.name_of(id.0)))?;
    to_value(InvoiceView {
        number: invoice.number.clone(),
        status: invoice.status,
        customer: labels.name_of(invoice.customer_id.0),
        orders: invoice.orders.iter().map(|o| labels.name_of(o.0)).collect(),
        currency: invoice.currency.as_str().to_string(),
        rate: invoice.rate,
        down_payment: invoice.down_payment,
        invoice_date: invoice.invoice_date,
        due_date: invoice.due_date,
        untaxed: invoice.untaxed.amount,
        tax: invoice.tax.amount,
        deducted: invoice.deductions.iter().map(|d| d.amount).sum(),
        total: invoice.total.amount,
        paid: invoice.paid,
        discounts: invoice.discounts,
        credited: invoice.credited,
        written_off: invoice.written_off,
        open: invoice.open_amount().amount,
        disputed: invoice.disputed,
        payment_state: invoice.payment_state(),
        taxes: invoice
            .taxes
            .iter()
            .map(|t| TaxView {
                tax: labels.name_of(t.tax_id.0),
                name: t.name.clone(),
                amount: t.amount,
            })
            .collect(),
        lines: invoice
            .lines
            .iter()
            .map(|l| InvoiceLineView {
                order: labels.name_of(invoice.order_of(l).0),
                order_line: l.order_line,
                product: labels.name_of(l.product_id.0),
                quantity: l.quantity,
                unit_price: l.unit_price.amount,
                discount_percent: l.discount_percent,
                amount: l.amount.amount,
            })
            .collect(),
        installments: invoice
            .installments
            .iter()
            .map(|i| InstallmentView {
                due: i.due_date,
                amount: i.amount,
                settled: i.settled,
                open: i.open(),
            })
            .collect(),
        early_discount: invoice.early_discount.as_ref().map(|d| DiscountView {
            percent: d.percent,
            until: d.until,
            basis: d.basis,
        }),
    })
}

#[derive(Serialize)]
struct CreditLineView {
    order_line: u32,
    product: String,
    quantity: Decimal,
    amount: Decimal,
}

#[derive(Serialize)]
struct CreditNoteView {
    number: String,
    invoice: String,
    customer: String,
    kind: &'static str,
    issued_on: NaiveDate,
    untaxed: Decimal,
    tax: Decimal,
    total: Decimal,
    applied: Decimal,
    refunded: Decimal,
    unapplied: Decimal,
    lines: Vec<CreditLineView>,
}

/// A credit note: number, amounts, and how much of it is applied, refunded or left.
pub(crate) fn credit_note(
    book: &Book,
    labels: &Labels,
    id: CreditNoteId,
) -> Result<serde_json::Value, Missing> {
    let note = book
        .credit_note(id)
        .ok_or_else(|| format!("no credit note {}", labels.name_of(id.0)))?;
    to_value(CreditNoteView {
        number: note.number.clone(),
        invoice: labels.name_of(note.invoice_id.0),
        customer: labels.name_of(note.customer_id.0),
        kind: match note.kind {
            CreditNoteKind::Reversal => "Reversal",
            CreditNoteKind::ReturnedGoods(_) => "ReturnedGoods",
            CreditNoteKind::PriceCorrection(_) => "PriceCorrection",
        },
        issued_on: note.issued_on,
        untaxed: note.untaxed.amount,
        tax: note.tax.amount,
        total: note.total.amount,
        applied: note.applied.iter().map(|(_, a)| *a).sum(),
        refunded: note.refunded,
        unapplied: note.unapplied().amount,
        lines: note
            .lines
            .iter()
            .map(|l| CreditLineView {
                order_line: l.order_line,
                product: labels.name_of(l.product_id.0),
                quantity: l.quantity,
                amount: l.amount.amount,
            })
            .collect(),
    })
}

#[derive(Serialize)]
struct CustomerView {
    name: String,
    active: bool,
    blocked: bool,
    credit_limit: Option<Decimal>,
    exposure: Decimal,
    receivable: Decimal,
    uninvoiced_orders: Decimal,
    unapplied_credit: Decimal,
    balance: Decimal,
    overdue: Decimal,
    on_credit_hold: bool,
    orders_on_credit_hold: Vec<String>,
    dunning_level: Option<u32>,
    dunning_level_name: Option<String>,
}

/// Unallocated payments and unapplied credit notes of a customer, company currency.
fn unapplied_credit(book: &Book, customer: CustomerId) -> Decimal {
    let payments: Decimal = book
        .payments()
        .filter(|p| p.customer_id == customer)
        .map(|p| p.unallocated().amount * p.rate)
        .sum();
    let notes: Decimal = book
        .credit_notes()
        .filter(|n| n.customer_id == customer)
        .map(|n| n.unapplied().amount * n.rate)
        .sum();
    payments + notes
}

/// A customer's account (company currency, rounded to its decimals): credit exposure,
/// open receivable, unapplied credit, the balance, what is overdue on `today`, the credit
/// holds of its open orders and its dunning level (0 is the first configured level).
pub(crate) fn customer(
    book: &Book,
    labels: &Labels,
    id: CustomerId,
    today: NaiveDate,
) -> Result<serde_json::Value, Missing> {
    let customer: &Customer = book
        .customer(id)
        .ok_or_else(|| format!("no customer {}", labels.name_of(id.0)))?;
    let unapplied = unapplied_credit(book, id);
    let overdue: Decimal = book
        .overdue_installments(id, today)
        .iter()
        .map(|i| i.open.amount * book.invoice(i.invoice_id).map_or(Decimal::ONE, |inv| inv.rate))
        .sum();
    let held: Vec<String> = book
        .orders()
        .filter(|o| o.customer_id == id && o.status == OrderStatus::Confirmed && o.credit_hold.is_some())
        .map(|o| labels.name_of(o.id.0))
        .collect();
    let level_name = customer.dunning_level.and_then(|level| {
        book.company()
            .and_then(|c| c.settings.dunning_levels.get(level as usize))
            .map(|l| l.name.clone())
    });
    to_value(CustomerView {
        name: customer.name().to_string(),
        active: customer.active,
        blocked: customer.blocked.is_some(),
        credit_limit: book.credit_limit(id).map(|m| m.amount),
        exposure: round_base(book, customer.exposure()),
        receivable: round_base(book, customer.receivable),
        uninvoiced_orders: round_base(book, customer.uninvoiced_orders),
        unapplied_credit: round_base(book, unapplied),
        balance: round_base(book, customer.receivable - unapplied),
        overdue: round_base(book, overdue),
        on_credit_hold: !held.is_empty(),
        orders_on_credit_hold: held,
        dunning_level: customer.dunning_level,
        dunning_level_name: level_name,
    })
}

#[derive(Serialize)]
struct AllocationView {
    invoice: String,
    installment: Option<u32>,
    amount: Decimal,
    discount: Decimal,
}

#[derive(Serialize)]
struct PaymentView {
    customer: String,
    amount: Decimal,
    currency: String,
    received_on: NaiveDate,
    allocated: Decimal,
    discounts: Decimal,
    refunded: Decimal,
    unallocated: Decimal,
    returned: bool,
    allocations: Vec<AllocationView>,
}

/// A payment: amount, what it allocated (with discounts), refunded and left unapplied.
pub(crate) fn payment(book: &Book, labels: &Labels, id: PaymentId) -> Result<serde_json::Value, Missing> {
    let payment = book
        .payment(id)
        .ok_or_else(|| format!("no payment {}", labels.name_of(id.0)))?;
    to_value(PaymentView {
        customer: labels.name_of(payment.customer_id.0),
        amount: payment.amount.amount,
        currency: payment.amount.currency.as_str().to_string(),
        received_on: payment.received_on,
        allocated: payment.allocated(),
        discounts: payment.allocations.iter().map(|a| a.discount).sum(),
        refunded: payment.refunded,
        unallocated: payment.unallocated().amount,
        returned: payment.returned_on.is_some(),
        allocations: payment
            .allocations
            .iter()
            .map(|a| AllocationView {
                invoice: labels.name_of(a.invoice_id.0),
                installment: a.installment,
                amount: a.amount,
                discount: a.discount,
            })
            .collect(),
    })
}
