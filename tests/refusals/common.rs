//! Shared steps of the refusal tests: bringing the standard world to where a rule bites.

use crate::support::{COMPANY, Harness, World, dec, details};
use o2c::company::SetUpCompany;
use o2c::customer::RegisterCustomer;
use o2c::invoice::{CreateInvoice, PostInvoice};
use o2c::money::{Currency, CurrencyCode, Money, RoundingRule};
use o2c::order::{ConfirmOrder, CreateQuotation, RequestedLine, ReserveStock};
use o2c::payment::{PaymentMethod, ReceivePayment};
use o2c::product::{RegisterProduct, Unit};
use o2c::shipment::{ShipLine, ShipOrder};
use o2c::stock::ReceiveStock;
use o2c::uuid::Uuid;
use o2c::{CustomerId, DomainError, Error, InvoiceId, OrderId, PaymentId, ProductId, Request, ShipmentId};

pub(crate) fn code(text: &str) -> CurrencyCode {
    CurrencyCode::new(text).unwrap()
}

pub(crate) fn gbp(amount: &str) -> Money {
    Money::new(dec(amount), code("GBP"))
}

/// An id no entity has.
pub(crate) fn unknown<T: From<Uuid>>() -> T {
    T::from(Uuid::from_u128(0xdead_beef))
}

pub(crate) fn requested(lines: &[(ProductId, &str)]) -> Vec<RequestedLine> {
    lines
        .iter()
        .map(|(product_id, quantity)| RequestedLine::new(*product_id, dec(quantity)))
        .collect()
}

pub(crate) fn quotation(w: &World, order_id: OrderId, lines: &[(ProductId, &str)]) -> CreateQuotation {
    CreateQuotation {
        order_id,
        customer_id: w.customer,
        warehouse_id: w.warehouse,
        lines: requested(lines),
        customer_reference: String::new(),
        shipping_policy: Default::default(),
        backorder_policy: None,
        urgent: false,
    }
}

pub(crate) fn receive(w: &mut World, product_id: ProductId, quantity: &str) {
    let warehouse_id = w.warehouse;
    w.h.ok(ReceiveStock {
        product_id,
        warehouse_id,
        quantity: dec(quantity),
        reference: String::new(),
        location_id: None,
        lots: vec![],
    });
}

pub(crate) fn quote(w: &mut World, lines: &[(ProductId, &str)]) -> OrderId {
    let order_id = w.h.id();
    let command = quotation(w, order_id, lines);
    w.h.ok(command);
    order_id
}

pub(crate) fn confirmed(w: &mut World, lines: &[(ProductId, &str)]) -> OrderId {
    let order_id = quote(w, lines);
    w.h.ok(ConfirmOrder { order_id });
    order_id
}

/// A confirmed order with every line received and reserved, nothing shipped.
pub(crate) fn reserved(w: &mut World, lines: &[(ProductId, &str)]) -> OrderId {
    for (product, quantity) in lines {
        receive(w, *product, quantity);
    }
    let order_id = confirmed(w, lines);
    w.h.ok(ReserveStock { order_id });
    order_id
}

/// A confirmed order with every line received, reserved and shipped.
pub(crate) fn delivered(w: &mut World, lines: &[(ProductId, &str)]) -> OrderId {
    let order_id = reserved(w, lines);
    let shipment_id: ShipmentId = w.h.id();
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

pub(crate) fn draft_invoice(w: &mut World, order_id: OrderId) -> InvoiceId {
    let invoice_id = w.h.id();
    w.h.ok(CreateInvoice {
        invoice_id,
        order_id,
        additional_orders: vec![],
        currency: None,
    });
    invoice_id
}

pub(crate) fn posted_invoice(w: &mut World, order_id: OrderId) -> InvoiceId {
    let invoice_id = draft_invoice(w, order_id);
    w.h.ok(PostInvoice { invoice_id });
    invoice_id
}

/// A posted invoice of `quantity` widgets (10.00 USD each) to Acme.
pub(crate) fn widget_invoice(w: &mut World, quantity: &str) -> InvoiceId {
    let widget = w.widget;
    let order_id = delivered(w, &[(widget, quantity)]);
    posted_invoice(w, order_id)
}

pub(crate) fn payment_from(w: &mut World, customer_id: CustomerId, amount: Money) -> PaymentId {
    let payment_id = w.h.id();
    w.h.ok(ReceivePayment {
        payment_id,
        customer_id,
        amount,
        method: PaymentMethod::BankTransfer,
        reference: String::new(),
    });
    payment_id
}

pub(crate) fn pay(w: &mut World, amount: Money) -> PaymentId {
    let customer_id = w.customer;
    payment_from(w, customer_id, amount)
}

pub(crate) fn payment(w: &World, amount: Money) -> ReceivePayment {
    ReceivePayment {
        payment_id: unknown(),
        customer_id: w.customer,
        amount,
        method: PaymentMethod::Cash,
        reference: String::new(),
    }
}

pub(crate) fn product(sku: &str, unit: Unit, list_price: Money) -> RegisterProduct {
    RegisterProduct {
        product_id: unknown(),
        sku: sku.into(),
        name: sku.into(),
        unit,
        list_price,
        category: None,
        floor_price: None,
        tracking: Default::default(),
        substitutes: vec![],
        invoice_policy: Default::default(),
        taxes: vec![],
    }
}

pub(crate) fn pieces() -> Unit {
    Unit {
        code: "pcs".into(),
        decimals: 0,
    }
}

pub(crate) fn customer(name: &str, credit_limit: Option<Money>) -> RegisterCustomer {
    RegisterCustomer {
        customer_id: unknown(),
        details: details(name, 30),
        credit_limit,
    }
}

/// Setting up the harness company (the one the harness actor holds its roles in).
pub(crate) fn company(base_currency: Currency, other_currencies: Vec<Currency>) -> SetUpCompany {
    SetUpCompany {
        company_id: COMPANY,
        name: "Another Company".into(),
        base_currency,
        other_currencies,
        rounding: RoundingRule::HalfAwayFromZero,
        settings: Default::default(),
    }
}

pub(crate) fn currency(text: &str, decimals: u32) -> Currency {
    Currency {
        code: code(text),
        decimals,
    }
}

pub(crate) fn ship_lines(order_id: OrderId, lines: &[(u32, &str)]) -> ShipOrder {
    ShipOrder {
        shipment_id: unknown(),
        order_id,
        lines: lines
            .iter()
            .map(|(line, quantity)| ShipLine {
                line: *line,
                quantity: dec(quantity),
            })
            .collect(),
        warehouse_id: None,
        carrier: String::new(),
        tracking_reference: String::new(),
    }
}

/// Executes a hand-built request that must be refused; checks nothing changed.
pub(crate) fn refused_request(h: &Harness, request: Request) -> DomainError {
    let (head, digest) = (h.engine.head(), h.engine.state_digest().unwrap());
    let error = match h.engine.execute(request) {
        Err(Error::Rejected(e)) => e,
        other => panic!("expected a domain refusal, got {other:?}"),
    };
    assert_eq!(h.engine.head(), head, "refused, but the log moved");
    assert_eq!(
        h.engine.state_digest().unwrap(),
        digest,
        "refused, but the book changed"
    );
    error
}
