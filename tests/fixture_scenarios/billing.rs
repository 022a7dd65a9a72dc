//! The part of the fixture scenario that records the billing events of schema version 4:
//! taxes, a fiscal position, an exchange rate, a payment term with an early discount, a
//! down payment and the final invoice that deducts it (edited as a draft first), a
//! payment within the discount window allocated automatically, refunds, a price-correction
//! credit note applied to another invoice, a returned cheque, a dunning run and a
//! write-off.

use o2c::chrono::NaiveDate;
use o2c::collections::RunDunning;
use o2c::company::{ChangeCompanySettings, CompanySettings};
use o2c::customer::{RegisterCustomer, TaxTreatment};
use o2c::exchange::SetExchangeRate;
use o2c::invoice::{
    ApplyCredit, ChangeDraftInvoiceLine, CreateCreditNote, CreateDownPaymentInvoice, CreateInvoice,
    CreditNoteKind, DownPaymentAmount, InvoicePolicy, PostInvoice, WriteOffInvoice,
};
use o2c::money::CurrencyCode;
use o2c::order::{ConfirmOrder, CreateQuotation, RequestedLine};
use o2c::payment::{
    AllocatePayment, AllocatePaymentAutomatically, CreditSource, PaymentMethod, ReceivePayment,
    RefundCustomerCredit, ReturnPayment,
};
use o2c::payment_term::{DefinePaymentTerm, Delay, EarlyDiscount, TermAmount, TermLine};
use o2c::product::ChangeProduct;
use o2c::tax::{DefineTax, FiscalTreatment, SetFiscalPosition, Tax, TaxComputation, TaxMapping};
use o2c::{CreditNoteId, CustomerId, InvoiceId, OrderId, PaymentId, PaymentTermId, TaxId};

use crate::support::{World, dec, details, usd};

/// Records every billing event type at least once.
pub fn every_billing_event(w: &mut World) {
    let (gadget, warehouse) = (w.gadget, w.warehouse);
    let h = &mut w.h;
    // Taxes: VAT 20% on the gadget, zero-rated for exports.
    let (vat, export): (TaxId, TaxId) = (h.id(), h.id());
    for (tax_id, name, rate) in [(vat, "VAT 20%", "20"), (export, "Export 0%", "0")] {
        h.ok(DefineTax {
            tax: Tax {
                tax_id,
                name: name.into(),
                computation: TaxComputation::Percent(dec(rate)),
                price_included: false,
                affects_later: false,
            },
        });
    }
    h.ok(SetFiscalPosition {
        treatment: FiscalTreatment::Export,
        mappings: vec![TaxMapping {
            from: vat,
            to: Some(export),
        }],
    });
    h.ok(SetExchangeRate {
        currency: CurrencyCode::new("EUR").unwrap(),
        date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        rate: dec("1.08"),
    });
    let term: PaymentTermId = h.id();
    h.ok(DefinePaymentTerm {
        payment_term_id: term,
        name: "30% now, balance end of next month".into(),
        lines: vec![
            TermLine {
                amount: TermAmount::Percent(dec("30")),
                delay: Delay::Days(0),
                end_of_month: false,
                day_of_next_month: None,
            },
            TermLine {
                amount: TermAmount::Balance,
                delay: Delay::Months(1),
                end_of_month: true,
                day_of_next_month: None,
            },
        ],
        early_discount: Some(EarlyDiscount {
            percent: dec("2"),
            within_days: 10,
        }),
    });
    h.ok(ChangeProduct {
        product_id: gadget,
        name: "GADGET".into(),
        category: None,
        list_price: usd("2.50"),
        floor_price: None,
        substitutes: vec![],
        invoice_policy: InvoicePolicy::OnOrdered,
        taxes: vec![vat],
    });
    h.ok(ChangeCompanySettings {
        settings: CompanySettings {
            write_off_tolerance: dec("10.00"),
            ..CompanySettings::default()
        },
    });
    let gamma: CustomerId = h.id();
    let mut gamma_details = details("Gamma Trading", 30);
    gamma_details.payment_term_id = Some(term);
    gamma_details.tax_treatment = TaxTreatment::Taxable;
    h.ok(RegisterCustomer {
        customer_id: gamma,
        details: gamma_details,
        credit_limit: None,
    });

    // An order invoiced on ordered quantities: a 10% down payment, then the final invoice,
    // edited from 40 to 36 gadgets before posting.
    let order: OrderId = h.id();
    h.ok(CreateQuotation {
        order_id: order,
        customer_id: gamma,
        warehouse_id: warehouse,
        lines: vec![RequestedLine::new(gadget, dec("40"))],
        customer_reference: "PO-G-1".into(),
        shipping_policy: Default::default(),
        backorder_policy: None,
        urgent: false,
    });
    h.ok(ConfirmOrder { order_id: order });
    let down_payment: InvoiceId = h.id();
    h.ok(CreateDownPaymentInvoice {
        invoice_id: down_payment,
        order_id: order,
        amount: DownPaymentAmount::Percent(dec("10")),
    });
    h.ok(PostInvoice {
        invoice_id: down_payment,
    });
    let last: InvoiceId = h.id();
    h.ok(CreateInvoice {
        invoice_id: last,
        order_id: order,
        additional_orders: vec![],
        currency: None,
    });
    h.ok(ChangeDraftInvoiceLine {
        invoice_id: last,
        order_id: None,
        order_line: 1,
        quantity: dec("36"),
    });
    h.ok(PostInvoice { invoice_id: last });

    // Paid within the discount window, automatically oldest due first; part of what is
    // left over is refunded.
    let payment: PaymentId = h.id();
    h.ok(ReceivePayment {
        payment_id: payment,
        customer_id: gamma,
        amount: usd("107.00"),
        method: PaymentMethod::BankTransfer,
        reference: "G-1".into(),
    });
    h.ok(AllocatePaymentAutomatically { payment_id: payment });
    h.ok(RefundCustomerCredit {
        source: CreditSource::Payment(payment),
        amount: usd("0.50"),
        method: PaymentMethod::BankTransfer,
        reference: "RF-1".into(),
    });

    // A second order: a rebate on the paid invoice is credited and applied to it, a cheque
    // for it comes back from the bank, it is dunned, and what is left is written off.
    let second: OrderId = h.id();
    h.ok(CreateQuotation {
        order_id: second,
        customer_id: gamma,
        warehouse_id: warehouse,
        lines: vec![RequestedLine::new(gadget, dec("4"))],
        customer_reference: "PO-G-2".into(),
        shipping_policy: Default::default(),
        backorder_policy: None,
        urgent: false,
    });
    h.ok(ConfirmOrder { order_id: second });
    let invoice: InvoiceId = h.id();
    h.ok(CreateInvoice {
        invoice_id: invoice,
        order_id: second,
        additional_orders: vec![],
        currency: None,
    });
    h.ok(PostInvoice { invoice_id: invoice });
    let rebate: CreditNoteId = h.id();
    h.ok(CreateCreditNote {
        credit_note_id: rebate,
        invoice_id: last,
        kind: CreditNoteKind::PriceCorrection(usd("5.00")),
        reason: "agreed rebate".into(),
    });
    h.ok(ApplyCredit {
        credit_note_id: rebate,
        invoice_id: invoice,
        amount: usd("5.00"),
    });
    h.ok(RefundCustomerCredit {
        source: CreditSource::CreditNote(rebate),
        amount: usd("1.00"),
        method: PaymentMethod::BankTransfer,
        reference: "RF-2".into(),
    });
    let cheque: PaymentId = h.id();
    h.ok(ReceivePayment {
        payment_id: cheque,
        customer_id: gamma,
        amount: usd("3.60"),
        method: PaymentMethod::Cheque,
        reference: "CHQ-9".into(),
    });
    h.ok(AllocatePayment {
        payment_id: cheque,
        invoice_id: invoice,
        amount: usd("3.60"),
        installment: Some(1),
    });
    h.ok(ReturnPayment {
        payment_id: cheque,
        reason: "insufficient funds".into(),
    });
    h.advance_days(70);
    let as_of = h.now.date_naive();
    h.ok(RunDunning { as_of });
    h.ok(WriteOffInvoice {
        invoice_id: invoice,
        reason: "not worth collecting".into(),
    });
}
