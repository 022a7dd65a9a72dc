//! Shared steps of the billing scenarios: orders (quoted, confirmed, delivered), invoices
//! (drafted, posted, in another currency), and the billing master data (taxes, product
//! invoice policies and taxes, customer terms and tax treatments, company settings).

use crate::support::{World, dec, usd};
use o2c::chrono::NaiveDate;
use o2c::company::{ChangeCompanySettings, CompanySettings};
use o2c::customer::{ChangeCustomer, Customer, CustomerDetails};
use o2c::invoice::{CreateInvoice, Invoice, InvoicePolicy, PostInvoice};
use o2c::money::CurrencyCode;
use o2c::order::{ConfirmOrder, CreateQuotation, OrderLine, RequestedLine, ReserveStock, SalesOrder};
use o2c::product::{ChangeProduct, RegisterProduct, Unit};
use o2c::shipment::ShipOrder;
use o2c::stock::ReceiveStock;
use o2c::tax::{DefineTax, Tax, TaxComputation};
use o2c::{CustomerId, Event, InvoiceId, OrderId, Outcome, ProductId, TaxId};

/// A calendar date.
pub(crate) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Euro's currency code.
pub(crate) fn eur_code() -> CurrencyCode {
    CurrencyCode::new("EUR").unwrap()
}

/// The single event a command recorded.
pub(crate) fn only(outcome: Outcome) -> Event {
    assert_eq!(
        outcome.events.len(),
        1,
        "expected one event, got {:?}",
        outcome.events
    );
    outcome.events.into_iter().next().unwrap().payload
}

pub(crate) fn receive(w: &mut World, product_id: ProductId, quantity: &str) {
    let warehouse_id = w.warehouse;
    w.h.ok(ReceiveStock {
        product_id,
        warehouse_id,
        quantity: dec(quantity),
        reference: "PO-1".into(),
        location_id: None,
        lots: vec![],
    });
}

/// A quotation of `customer_id` for `lines`.
pub(crate) fn quote_for(w: &mut World, customer_id: CustomerId, lines: &[(ProductId, &str)]) -> OrderId {
    let order_id = w.h.id();
    let warehouse_id = w.warehouse;
    w.h.ok(CreateQuotation {
        order_id,
        customer_id,
        warehouse_id,
        lines: lines
            .iter()
            .map(|(product_id, quantity)| RequestedLine::new(*product_id, dec(quantity)))
            .collect(),
        customer_reference: String::new(),
        shipping_policy: Default::default(),
        backorder_policy: None,
        urgent: false,
    });
    order_id
}

/// A confirmed order of `customer_id`.
pub(crate) fn confirmed_for(w: &mut World, customer_id: CustomerId, lines: &[(ProductId, &str)]) -> OrderId {
    let order_id = quote_for(w, customer_id, lines);
    w.h.ok(ConfirmOrder { order_id });
    order_id
}

/// A confirmed order of Acme.
pub(crate) fn confirmed(w: &mut World, lines: &[(ProductId, &str)]) -> OrderId {
    let customer = w.customer;
    confirmed_for(w, customer, lines)
}

/// Reserves and ships everything an order can take from stock.
pub(crate) fn ship_all(w: &mut World, order_id: OrderId) {
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
}

/// A confirmed order of Acme whose lines were received, reserved and shipped in full.
pub(crate) fn delivered(w: &mut World, lines: &[(ProductId, &str)]) -> OrderId {
    for (product, quantity) in lines {
        receive(w, *product, quantity);
    }
    let order_id = confirmed(w, lines);
    ship_all(w, order_id);
    order_id
}

/// The command creating a draft invoice of one order.
pub(crate) fn create_invoice(invoice_id: InvoiceId, order_id: OrderId) -> CreateInvoice {
    CreateInvoice {
        invoice_id,
        order_id,
        additional_orders: vec![],
        currency: None,
    }
}

pub(crate) fn draft_invoice(w: &mut World, order_id: OrderId) -> InvoiceId {
    let invoice_id = w.h.id();
    w.h.ok(create_invoice(invoice_id, order_id));
    invoice_id
}

pub(crate) fn posted_invoice(w: &mut World, order_id: OrderId) -> InvoiceId {
    let invoice_id = draft_invoice(w, order_id);
    w.h.ok(PostInvoice { invoice_id });
    invoice_id
}

pub(crate) fn invoice(w: &World, invoice_id: InvoiceId) -> Invoice {
    w.h.engine.invoice(invoice_id).unwrap()
}

pub(crate) fn order(w: &World, order_id: OrderId) -> SalesOrder {
    w.h.engine.order(order_id).unwrap()
}

pub(crate) fn line(w: &World, order_id: OrderId, number: u32) -> OrderLine {
    order(w, order_id).line(number).cloned().unwrap()
}

/// What a line of an order may invoice now.
pub(crate) fn invoiceable(w: &World, order_id: OrderId, number: u32) -> o2c::rust_decimal::Decimal {
    let order = order(w, order_id);
    order.invoiceable(order.line(number).unwrap())
}

pub(crate) fn customer(w: &World) -> Customer {
    w.h.engine.customer(w.customer).unwrap()
}

/// Defines a tax and returns its id.
pub(crate) fn define_tax(
    w: &mut World,
    name: &str,
    computation: TaxComputation,
    price_included: bool,
    affects_later: bool,
) -> TaxId {
    let tax_id = w.h.id();
    w.h.ok(DefineTax {
        tax: Tax {
            tax_id,
            name: name.into(),
            computation,
            price_included,
            affects_later,
        },
    });
    tax_id
}

/// An added percentage tax.
pub(crate) fn percent_tax(w: &mut World, name: &str, rate: &str) -> TaxId {
    define_tax(w, name, TaxComputation::Percent(dec(rate)), false, false)
}

/// An added fixed tax per unit, in dollars.
pub(crate) fn fixed_tax(w: &mut World, name: &str, per_unit: &str) -> TaxId {
    define_tax(w, name, TaxComputation::FixedPerUnit(usd(per_unit)), false, false)
}

/// Changes a product's invoice policy and taxes, keeping everything else.
pub(crate) fn set_billing(w: &mut World, product_id: ProductId, policy: InvoicePolicy, taxes: &[TaxId]) {
    let product = w.h.engine.product(product_id).unwrap();
    w.h.ok(ChangeProduct {
        product_id,
        name: product.name,
        category: product.category,
        list_price: product.list_price,
        floor_price: product.floor_price,
        substitutes: product.substitutes,
        invoice_policy: policy,
        taxes: taxes.to_vec(),
    });
}

/// Changes a product's taxes (invoiced on delivered quantities).
pub(crate) fn set_taxes(w: &mut World, product_id: ProductId, taxes: &[TaxId]) {
    set_billing(w, product_id, InvoicePolicy::OnDelivered, taxes);
}

/// Registers a piece product invoiced on ordered quantities (no stock needed) carrying
/// `taxes`.
pub(crate) fn ordered_product(w: &mut World, sku: &str, price: &str, taxes: &[TaxId]) -> ProductId {
    let product_id = w.h.id();
    w.h.ok(RegisterProduct {
        product_id,
        sku: sku.into(),
        name: sku.into(),
        unit: Unit {
            code: "pcs".into(),
            decimals: 0,
        },
        list_price: usd(price),
        category: None,
        floor_price: None,
        tracking: Default::default(),
        substitutes: vec![],
        invoice_policy: InvoicePolicy::OnOrdered,
        taxes: taxes.to_vec(),
    });
    product_id
}

/// Changes Acme's master data.
pub(crate) fn change_acme(w: &mut World, change: impl FnOnce(&mut CustomerDetails)) {
    let customer_id = w.customer;
    let mut details = customer(w).details;
    change(&mut details);
    w.h.ok(ChangeCustomer { customer_id, details });
}

/// Changes the company's settings, keeping the others.
pub(crate) fn change_settings(w: &mut World, change: impl FnOnce(&mut CompanySettings)) {
    let mut settings = w.h.engine.read(|book| book.company().unwrap().settings.clone());
    change(&mut settings);
    w.h.ok(ChangeCompanySettings { settings });
}

/// A draft invoice of an order, as it stands.
pub(crate) fn drafted(w: &mut World, order_id: OrderId) -> Invoice {
    let invoice_id = draft_invoice(w, order_id);
    invoice(w, invoice_id)
}

/// A posted invoice of an order, as it stands.
pub(crate) fn posted(w: &mut World, order_id: OrderId) -> Invoice {
    let invoice_id = posted_invoice(w, order_id);
    invoice(w, invoice_id)
}
