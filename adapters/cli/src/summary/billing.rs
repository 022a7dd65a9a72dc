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
    let withheld = e
        .withheld
        .as_ref()
        .map(|w| {
            format!(
                ", restocking fee of {} withheld ({})",
                format::percent(w.percent),
                names.money(&w.total)
            )
        })
        .unwrap_or_default();
    let applied = if e.applied.amount > Decimal::ZERO {
        format!(", {} applied to the invoice", names.money(&e.applied))
    } else {
        String::new()
    };
    format!(
        "Credit note {} issued on {} against invoice {} {kind}: total {}{withheld}{applied}{}",
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use o2c::chrono::NaiveDate;
    use o2c::ids::ReturnId;
    use o2c::invoice::{CreditedQuantity, Withheld};
    use o2c::money::{CurrencyCode, Money};
    use o2c::uuid::Uuid;
    use o2c::{Book, CreditNoteId, CustomerId, InvoiceId};

    use super::*;

    fn usd(amount: &str) -> Money {
        Money::new(amount.parse().unwrap(), CurrencyCode::new("USD").unwrap())
    }

    fn returned_goods(withheld: Option<Withheld>) -> CreditNoteIssued {
        let id = |n: u128| Uuid::from_u128(0xabcdef12_0000_0000_0000_000000000000 | n);
        CreditNoteIssued {
            credit_note_id: CreditNoteId(id(1)),
            invoice_id: InvoiceId(id(2)),
            customer_id: CustomerId(id(3)),
            number: "RINV/2026/00002".into(),
            fiscal_year: 2026,
            sequence: 2,
            issued_on: NaiveDate::from_ymd_opt(2026, 5, 12).unwrap(),
            kind: CreditNoteKind::ReturnedGoods(vec![CreditedQuantity {
                order_id: None,
                order_line: 1,
                quantity: Decimal::from(4),
            }]),
            lines: vec![],
            taxes: vec![],
            untaxed: usd("28.80"),
            tax: usd("5.76"),
            total: usd("34.56"),
            applied: usd("0.00"),
            reason: "Returned goods (damaged-in-transit)".into(),
            return_id: Some(ReturnId(id(4))),
            withheld,
        }
    }

    #[test]
    fn a_credit_note_names_the_restocking_fee_it_withheld() {
        let book = Book::new();
        let names = Names::new(&book);
        let fee = Withheld {
            percent: "10".parse().unwrap(),
            lines: vec![],
            taxes: vec![],
            untaxed: usd("3.20"),
            tax: usd("0.64"),
            total: usd("3.84"),
        };

        let with_fee = credit_note_issued(&returned_goods(Some(fee)), &names);
        let without = credit_note_issued(&returned_goods(None), &names);

        assert_eq!(
            with_fee,
            "Credit note RINV/2026/00002 issued on 2026-05-12 against invoice abcdef12 (unposted) \
             for 1 returned line(s): total 34.56 USD, restocking fee of 10% withheld (3.84 USD): \
             Returned goods (damaged-in-transit)"
        );
        assert_eq!(
            without,
            "Credit note RINV/2026/00002 issued on 2026-05-12 against invoice abcdef12 (unposted) \
             for 1 returned line(s): total 34.56 USD: Returned goods (damaged-in-transit)"
        );
    }
}
