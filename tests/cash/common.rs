//! Shared steps of the cash scenarios: delivering and invoicing an order, taxes and payment
//! terms, company settings, payments and their allocation, credit notes, dates and reads.

use crate::support::{World, dec, usd};
use o2c::chrono::NaiveDate;
use o2c::company::{ChangeCompanySettings, CompanySettings};
use o2c::customer::{ChangeCustomer, Customer};
use o2c::invoice::{
    CreateCreditNote, CreateInvoice, CreditNote, CreditNoteKind, CreditedQuantity, Invoice, PostInvoice,
};
use o2c::ledger::{EntryKind, Statement};
use o2c::money::{CurrencyCode, Money};
use o2c::order::{ConfirmOrder, CreateQuotation, OrderLine, RequestedLine, ReserveStock, SalesOrder};
use o2c::payment::{AllocatePayment, Payment, PaymentMethod, ReceivePayment};
use o2c::payment_term::{DefinePaymentTerm, Delay, EarlyDiscount, TermAmount, TermLine};
use o2c::product::ChangeProduct;
use o2c::rust_decimal::Decimal;
use o2c::shipment::ShipOrder;
use o2c::stock::ReceiveStock;
use o2c::tax::{DefineTax, Tax, TaxComputation};
use o2c::{
    CreditNoteId, CustomerId, Event, InvoiceId, OrderId, Outcome, PaymentId, PaymentTermId, ProductId, TaxId,
};

/// A calendar date.
pub(crate) fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

/// The euro's code.
pub(crate) fn eur_code() -> CurrencyCode {
    CurrencyCode::new("EUR").unwrap()
}

/// The payloads a command recorded.
pub(crate) fn events(outcome: Outcome) -> Vec<Event> {
    outcome.events.into_iter().map(|e| e.payload).collect()
}

/// The single event a command recorded.
pub(crate) fn only(outcome: Outcome) -> Event {
    let mut events = events(outcome);
    assert_eq!(events.len(), 1, "expected one event, got {events:?}");
    events.remove(0)
}

/// An order of Acme, confirmed, with every line received, reserved and shipped in full.
pub(crate) fn delivered(w: &mut World, lines: &[(ProductId, &str)]) -> OrderId {
    delivered_to(w, w.customer, lines)
}

/// An order of `customer`, confirmed, with every line received, reserved and shipped.
pub(crate) fn delivered_to(w: &mut World, customer_id: CustomerId, lines: &[(ProductId, &str)]) -> OrderId {
    let requested = lines
        .iter()
        .map(|(product_id, quantity)| RequestedLine::new(*product_id, dec(quantity)))
        .collect();
    delivered_as_requested(w, customer_id, requested)
}

/// An order of `customer` for `lines` (with their discounts), confirmed, with every line
/// received, reserved and shipped.
pub(crate) fn delivered_as_requested(
    w: &mut World,
    customer_id: CustomerId,
    lines: Vec<RequestedLine>,
) -> OrderId {
    let warehouse_id = w.warehouse;
    for line in &lines {
        w.h.ok(ReceiveStock {
            product_id: line.product_id,
            warehouse_id,
            quantity: line.quantity,
            reference: "PO-1".into(),
            location_id: None,
            lots: vec![],
        });
    }
    let order_id = w.h.id();
    w.h.ok(CreateQuotation {
        order_id,
        customer_id,
        warehouse_id,
        lines,
        customer_reference: String::new(),
        shipping_policy: Default::default(),
        backorder_policy: None,
        urgent: false,
    });
    w.h.ok(ConfirmOrder { order_id });
    w.h.ok(ReserveStock { order_id });
    let shipment_id = w.h.id();
    w.h.ok(ShipOrder {
        shipment_id,
        order_id,
        lines: vec![],
        warehouse_id: None,
        carrier: String::new(),
        tracking_reference: String::new(),
    });
    order_id
}

/// A draft invoice of an order, in the order's currency or in `currency`.
pub(crate) fn draft_in(w: &mut World, order_id: OrderId, currency: Option<CurrencyCode>) -> InvoiceId {
    let invoice_id = w.h.id();
    w.h.ok(CreateInvoice {
        invoice_id,
        order_id,
        additional_orders: vec![],
        currency,
    });
    invoice_id
}

/// A posted invoice of an order, dated today.
pub(crate) fn posted_invoice(w: &mut World, order_id: OrderId) -> InvoiceId {
    let invoice_id = draft_in(w, order_id, None);
    w.h.ok(PostInvoice { invoice_id });
    invoice_id
}

/// An order of `lines` delivered to Acme and invoiced today.
pub(crate) fn invoiced(w: &mut World, lines: &[(ProductId, &str)]) -> InvoiceId {
    let order_id = delivered(w, lines);
    posted_invoice(w, order_id)
}

pub(crate) fn invoice(w: &World, invoice_id: InvoiceId) -> Invoice {
    w.h.engine.invoice(invoice_id).unwrap()
}

pub(crate) fn order(w: &World, order_id: OrderId) -> SalesOrder {
    w.h.engine.order(order_id).unwrap()
}

pub(crate) fn order_line(w: &World, order_id: OrderId, number: u32) -> OrderLine {
    order(w, order_id).line(number).cloned().unwrap()
}

pub(crate) fn customer_of(w: &World, customer_id: CustomerId) -> Customer {
    w.h.engine.customer(customer_id).unwrap()
}

pub(crate) fn customer(w: &World) -> Customer {
    customer_of(w, w.customer)
}

pub(crate) fn payment(w: &World, payment_id: PaymentId) -> Payment {
    w.h.engine.payment(payment_id).unwrap()
}

pub(crate) fn credit_note(w: &World, credit_note_id: CreditNoteId) -> CreditNote {
    w.h.engine
        .read(|book| book.credit_note(credit_note_id).cloned().unwrap())
}

/// Acme's statement from `from` to `to`.
pub(crate) fn statement(w: &World, from: NaiveDate, to: NaiveDate) -> Statement {
    let customer_id = w.customer;
    w.h.engine.read(|book| book.statement(customer_id, from, to))
}

/// The kinds and company-currency values of Acme's account entries, in recording order.
pub(crate) fn ledger(w: &World) -> Vec<(EntryKind, Decimal)> {
    let customer_id = w.customer;
    w.h.engine.read(|book| {
        book.ledger(customer_id)
            .iter()
            .map(|e| (e.kind, e.value))
            .collect()
    })
}

/// The balance of Acme's account: what it owes less its unapplied credit.
pub(crate) fn balance(w: &World) -> Decimal {
    ledger(w).iter().map(|(_, value)| *value).sum()
}

/// A payment from `customer_id` received today by bank transfer.
pub(crate) fn pay_from(w: &mut World, customer_id: CustomerId, amount: Money) -> PaymentId {
    let payment_id = w.h.id();
    w.h.ok(ReceivePayment {
        payment_id,
        customer_id,
        amount,
        method: PaymentMethod::BankTransfer,
        reference: "remittance".into(),
    });
    payment_id
}

/// A payment from Acme received today by bank transfer.
pub(crate) fn pay(w: &mut World, amount: Money) -> PaymentId {
    pay_from(w, w.customer, amount)
}

/// Allocates part of a payment to an invoice, oldest installment first.
pub(crate) fn allocate(
    w: &mut World,
    payment_id: PaymentId,
    invoice_id: InvoiceId,
    amount: Money,
) -> Outcome {
    w.h.ok(AllocatePayment {
        payment_id,
        invoice_id,
        amount,
        installment: None,
    })
}

/// `quantity` of an order line of the invoice's order, returned.
pub(crate) fn returned_goods(order_line: u32, quantity: &str) -> CreditedQuantity {
    CreditedQuantity {
        order_id: None,
        order_line,
        quantity: dec(quantity),
    }
}

/// Widget ×10 and gadget ×3 with VAT 10% on both: 100.00 + 7.50 untaxed, 11.75 tax.
pub(crate) fn taxed_two_line_invoice(w: &mut World) -> (OrderId, InvoiceId, TaxId) {
    let (widget, gadget) = (w.widget, w.gadget);
    let tax_id = vat_10_on(w, &[widget, gadget]);
    let order_id = delivered(w, &[(widget, "10"), (gadget, "3")]);
    let invoice_id = posted_invoice(w, order_id);
    assert_eq!(invoice(w, invoice_id).total, usd("118.25"));
    (order_id, invoice_id, tax_id)
}

/// Issues a credit note against an invoice today.
pub(crate) fn issue_credit_note(w: &mut World, invoice_id: InvoiceId, kind: CreditNoteKind) -> CreditNoteId {
    let credit_note_id = w.h.id();
    w.h.ok(CreateCreditNote {
        credit_note_id,
        invoice_id,
        kind,
        reason: "customer claim".into(),
    });
    credit_note_id
}

/// Changes the company's settings, starting from the current ones.
pub(crate) fn change_settings(w: &mut World, change: impl FnOnce(&mut CompanySettings)) {
    let mut settings = w.h.engine.read(|book| book.company().unwrap().settings.clone());
    change(&mut settings);
    w.h.ok(ChangeCompanySettings { settings });
}

/// Changes a product's master data, starting from the current ones.
pub(crate) fn change_product(w: &mut World, product_id: ProductId, change: impl FnOnce(&mut ChangeProduct)) {
    let product = w.h.engine.read(|book| book.product(product_id).cloned().unwrap());
    let mut command = ChangeProduct {
        product_id,
        name: product.name,
        category: product.category,
        list_price: product.list_price,
        floor_price: product.floor_price,
        substitutes: product.substitutes,
        invoice_policy: product.invoice_policy,
        taxes: product.taxes,
    };
    change(&mut command);
    w.h.ok(command);
}

/// Defines "VAT 10%", added to the price, and puts it on `products`.
pub(crate) fn vat_10_on(w: &mut World, products: &[ProductId]) -> TaxId {
    let tax_id = w.h.id();
    w.h.ok(DefineTax {
        tax: Tax {
            tax_id,
            name: "VAT 10%".into(),
            computation: TaxComputation::Percent(dec("10")),
            price_included: false,
            affects_later: false,
        },
    });
    for product_id in products {
        change_product(w, *product_id, |change| change.taxes = vec![tax_id]);
    }
    tax_id
}

/// A term line of a percentage due `days` after the invoice date.
pub(crate) fn percent_in(percent: &str, days: u32) -> TermLine {
    TermLine {
        amount: TermAmount::Percent(dec(percent)),
        delay: Delay::Days(days),
        end_of_month: false,
        day_of_next_month: None,
    }
}

/// A term line of the balance due `days` after the invoice date.
pub(crate) fn balance_in(days: u32) -> TermLine {
    TermLine {
        amount: TermAmount::Balance,
        delay: Delay::Days(days),
        end_of_month: false,
        day_of_next_month: None,
    }
}

/// Defines a payment term and gives it to Acme.
pub(crate) fn give_acme_term(
    w: &mut World,
    lines: Vec<TermLine>,
    early_discount: Option<EarlyDiscount>,
) -> PaymentTermId {
    let payment_term_id = w.h.id();
    w.h.ok(DefinePaymentTerm {
        payment_term_id,
        name: "Acme terms".into(),
        lines,
        early_discount,
    });
    let customer_id = w.customer;
    let mut details = customer(w).details;
    details.payment_term_id = Some(payment_term_id);
    w.h.ok(ChangeCustomer { customer_id, details });
    payment_term_id
}

/// "2% 10 days, net 30".
pub(crate) fn two_ten_net_thirty(w: &mut World) -> PaymentTermId {
    give_acme_term(
        w,
        vec![balance_in(30)],
        Some(EarlyDiscount {
            percent: dec("2"),
            within_days: 10,
        }),
    )
}
