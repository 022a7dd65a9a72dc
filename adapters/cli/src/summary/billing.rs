//! Summaries of invoicing and cash events: invoices and drafts, posting, write-offs,
//! credit notes and customer credit, payments and their allocation, returned payments,
//! refunds and dunning.

use o2c::collections::DunningNoticeIssued;
use o2c::invoice::{
    CreditApplied, CreditNoteIssued, CreditNoteKind, DraftInvoiceChanged, InvoiceCancelled, InvoiceCreated,
    InvoicePosted, InvoiceWrittenOff,
};
use o2c::payment::{
    CreditSource, CustomerCreditRefunded, PaymentAllocated, PaymentMethod, PaymentReceived, PaymentReturned,
};
use o2c::rust_decimal::Decimal;

use super::{Names, because, listed};
use crate::format;

fn method(method: PaymentMethod) -> &'static str {
    match method {
        PaymentMethod::BankTransfer => "bank transfer",
        PaymentMethod::Card => "card",
        PaymentMethod::Cash => "cash",
        PaymentMethod::Cheque => "cheque",
        PaymentMethod::DirectDebit => "direct debit",
    }
}

pub(super) fn invoice_created(e: &InvoiceCreated, names: &Names<'_>) -> String {
    let kind = if e.down_payment {
        "Down-payment invoice"
    } else {
        "Invoice"
    };
    let more = if e.additional_orders.is_empty() {
        String::new()
    } else {
        format!(
            ", also for {}",
            listed(e.additional_orders.iter().map(|o| names.order(*o)))
        )
    };
    let deducted = if e.deductions.is_empty() {
        String::new()
    } else {
        let total: Decimal = e.deductions.iter().map(|d| d.amount).sum();
        format!(
            ", down payments deducted {}",
            names.amount(total, e.total.currency)
        )
    };
    format!(
        "{kind} {} drafted for {}: {} line(s), total {}{deducted}{more}",
        names.invoice(e.invoice_id),
        names.customer(e.customer_id),
        e.lines.len(),
        names.money(&e.total)
    )
}

pub(super) fn invoice_posted(e: &InvoicePosted, names: &Names<'_>) -> String {
    let installments = if e.installments.len() > 1 {
        format!(", in {} installments", e.installments.len())
    } else {
        String::new()
    };
    let discount = e
        .early_discount
        .as_ref()
        .map(|d| format!(", {} off if paid by {}", format::percent(d.percent), d.until))
        .unwrap_or_default();
    format!(
        "Invoice {} posted on {}: total {}, due {}{installments}{discount}",
        e.number,
        e.invoice_date,
        names.money(&e.total),
        e.due_date
    )
}

pub(super) fn invoice_cancelled(e: &InvoiceCancelled, names: &Names<'_>) -> String {
    format!(
        "Invoice {} cancelled as a draft{}",
        names.invoice(e.invoice_id),
        because(&e.reason)
    )
}

pub(super) fn draft_invoice_changed(e: &DraftInvoiceChanged, names: &Names<'_>) -> String {
    format!(
        "Draft invoice {} changed: {} line(s), total {}",
        names.invoice(e.invoice_id),
        e.amounts.lines.len(),
        names.money(&e.amounts.total)
    )
}

pub(super) fn invoice_written_off(e: &InvoiceWrittenOff, names: &Names<'_>) -> String {
    format!(
        "{} of invoice {} written off on {}{}",
        names.money(&e.amount),
        names.invoice(e.invoice_id),
        e.written_off_on,
        because(&e.reason)
    )
}

pub(super) fn credit_note_issued(e: &CreditNoteIssued, names: &Names<'_>) -> String {
    let kind = match &e.kind {
        CreditNoteKind::Reversal => "reversing it".to_string(),
        CreditNoteKind::ReturnedGoods(lines) => format!("for {} returned line(s)", lines.len()),
        CreditNoteKind::PriceCorrection(amount) => format!("correcting prices by {}", names.money(amount)),
    };
    let applied = if e.applied.amount > Decimal::ZERO {
        format!(", {} applied to the invoice", names.money(&e.applied))
    } else {
        String::new()
    };
    format!(
        "Credit note {} issued on {} against invoice {} {kind}: total {}{applied}{}",
        e.number,
        e.issued_on,
        names.invoice(e.invoice_id),
        names.money(&e.total),
        because(&e.reason)
    )
}

pub(super) fn credit_applied(e: &CreditApplied, names: &Names<'_>) -> String {
    format!(
        "{} of credit note {} applied to invoice {} on {}",
        names.money(&e.amount),
        names.credit_note(e.credit_note_id),
        names.invoice(e.invoice_id),
        e.applied_on
    )
}

pub(super) fn payment_received(e: &PaymentReceived, names: &Names<'_>) -> String {
    let reference = if e.reference.is_empty() {
        String::new()
    } else {
        format!(", reference \"{}\"", e.reference)
    };
    format!(
        "Payment of {} received from {} by {} on {}{reference}",
        names.money(&e.amount),
        names.customer(e.customer_id),
        method(e.method),
        e.received_on
    )
}

pub(super) fn payment_allocated(e: &PaymentAllocated, names: &Names<'_>) -> String {
    let currency = e.amount.currency;
    // Installments are numbered from 0 in the log; people count from 1.
    let count = names.installments(e.invoice_id);
    let installment = match e.installment {
        Some(index) if count > 1 => format!(" (installment {} of {count})", u64::from(index) + 1),
        _ => String::new(),
    };
    let discount = if e.discount > Decimal::ZERO {
        format!(", early-payment discount {}", names.amount(e.discount, currency))
    } else {
        String::new()
    };
    let difference = if e.exchange_difference == Decimal::ZERO {
        String::new()
    } else {
        format!(
            ", exchange difference {}",
            names.base_amount(e.exchange_difference)
        )
    };
    format!(
        "{} of {} allocated to invoice {}{installment}{discount}{difference}",
        names.money(&e.amount),
        names.payment(e.payment_id),
        names.invoice(e.invoice_id),
    )
}

pub(super) fn payment_returned(e: &PaymentReturned, names: &Names<'_>) -> String {
    format!(
        "{} of {} returned by the bank on {}{}",
        names.payment(e.payment_id),
        names.customer(e.customer_id),
        e.returned_on,
        because(&e.reason)
    )
}

pub(super) fn customer_credit_refunded(e: &CustomerCreditRefunded, names: &Names<'_>) -> String {
    let source = match e.source {
        CreditSource::Payment(payment) => names.payment(payment),
        CreditSource::CreditNote(note) => format!("credit note {}", names.credit_note(note)),
    };
    format!(
        "{} refunded to {} by {} on {}, from {source}",
        names.money(&e.amount),
        names.customer(e.customer_id),
        method(e.method),
        e.refunded_on
    )
}

pub(super) fn dunning_notice_issued(e: &DunningNoticeIssued, names: &Names<'_>) -> String {
    let overdue = listed(e.installments.iter().map(|i| {
        format!(
            "{} installment {} {} open, {} days late",
            i.number,
            u64::from(i.installment) + 1,
            names.money(&i.open),
            i.days_overdue
        )
    }));
    format!(
        "Dunning notice at level {} ({}) sent to {} as of {}: {overdue}",
        u64::from(e.level) + 1,
        e.level_name,
        names.customer(e.customer_id),
        e.as_of
    )
}
