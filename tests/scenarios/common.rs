//! Shared steps of the scenarios: receiving, quoting, confirming, shipping, invoicing, paying.

use crate::support::{ALL_ROLES, COMPANY, World, dec, person};
use o2c::customer::Customer;
use o2c::invoice::{CreateInvoice, Invoice, PostInvoice};
use o2c::location::{LocationKind, standard_location, virtual_location};
use o2c::money::{Currency, CurrencyCode, Money};
use o2c::order::{
    ConfirmOrder, CreateQuotation, OrderLine, QuantReservation, RequestedLine, ReserveStock, SalesOrder,
};
use o2c::payment::{AllocatePayment, Payment, PaymentMethod, ReceivePayment};
use o2c::picking::LineMove;
use o2c::shipment::{ShipLine, ShipOrder};
use o2c::stock::{ReceiveStock, StockLevel, StockMove};
use o2c::uuid::Uuid;
use o2c::{
    CommandContext, Event, InvoiceId, LocationId, OrderId, Outcome, PaymentId, ProductId, Request, ShipmentId,
};

pub(crate) fn usd_code() -> CurrencyCode {
    CurrencyCode::new("USD").unwrap()
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

pub(crate) fn receive(w: &mut World, product_id: ProductId, quantity: &str) -> Outcome {
    let warehouse_id = w.warehouse;
    w.h.ok(ReceiveStock {
        product_id,
        warehouse_id,
        quantity: dec(quantity),
        reference: "PO-1".into(),
        location_id: None,
        lots: vec![],
    })
}

pub(crate) fn level(w: &World, product: ProductId) -> StockLevel {
    w.h.engine.read(|book| book.stock_level(product, w.warehouse))
}

/// The standard warehouse's stock location: where receipts land and reservations take from.
pub(crate) fn stock_location(w: &World) -> LocationId {
    standard_location(w.warehouse, LocationKind::Stock)
}

/// The company's virtual customers location: where shipments go.
pub(crate) fn customers_location() -> LocationId {
    virtual_location(COMPANY, LocationKind::Customer)
}

/// Untracked goods reserved for an order line at the standard warehouse's stock location.
pub(crate) fn reserved_in_stock(
    w: &World,
    line: u32,
    product_id: ProductId,
    quantity: &str,
) -> QuantReservation {
    QuantReservation {
        line,
        product_id,
        location_id: stock_location(w),
        lot: None,
        quantity: dec(quantity),
    }
}

/// Untracked goods of an order line shipped from the standard warehouse's stock location
/// to the customers.
pub(crate) fn shipped_from_stock(w: &World, line: u32, product_id: ProductId, quantity: &str) -> LineMove {
    LineMove {
        line,
        movement: StockMove {
            product_id,
            from: stock_location(w),
            to: customers_location(),
            lot: None,
            quantity: dec(quantity),
        },
    }
}

pub(crate) fn requested(lines: &[(ProductId, &str)]) -> Vec<RequestedLine> {
    lines
        .iter()
        .map(|(product_id, quantity)| RequestedLine::new(*product_id, dec(quantity)))
        .collect()
}

pub(crate) fn quote(w: &mut World, lines: &[(ProductId, &str)]) -> OrderId {
    let order_id = w.h.id();
    let (customer_id, warehouse_id) = (w.customer, w.warehouse);
    w.h.ok(CreateQuotation {
        order_id,
        customer_id,
        warehouse_id,
        lines: requested(lines),
        customer_reference: String::new(),
        shipping_policy: Default::default(),
        backorder_policy: None,
        urgent: false,
    });
    order_id
}

pub(crate) fn confirmed(w: &mut World, lines: &[(ProductId, &str)]) -> OrderId {
    let order_id = quote(w, lines);
    w.h.ok(ConfirmOrder { order_id });
    order_id
}

/// A confirmed order whose lines were received, reserved and shipped in full.
pub(crate) fn delivered(w: &mut World, lines: &[(ProductId, &str)]) -> OrderId {
    for (product, quantity) in lines {
        receive(w, *product, quantity);
    }
    let order_id = confirmed(w, lines);
    w.h.ok(ReserveStock { order_id });
    ship_all(w, order_id);
    order_id
}

pub(crate) fn order(w: &World, order_id: OrderId) -> SalesOrder {
    w.h.engine.order(order_id).unwrap()
}

pub(crate) fn line(w: &World, order_id: OrderId, number: u32) -> OrderLine {
    order(w, order_id).line(number).cloned().unwrap()
}

pub(crate) fn customer(w: &World) -> Customer {
    w.h.engine.customer(w.customer).unwrap()
}

pub(crate) fn ship_all(w: &mut World, order_id: OrderId) -> ShipmentId {
    let shipment_id = w.h.id();
    w.h.ok(ShipOrder {
        shipment_id,
        order_id,
        lines: vec![],
        warehouse_id: None,
        carrier: String::new(),
        tracking_reference: String::new(),
    });
    shipment_id
}

pub(crate) fn ship(w: &mut World, order_id: OrderId, lines: &[(u32, &str)]) -> ShipmentId {
    let shipment_id = w.h.id();
    let lines = lines
        .iter()
        .map(|(line, quantity)| ShipLine {
            line: *line,
            quantity: dec(quantity),
        })
        .collect();
    w.h.ok(ShipOrder {
        shipment_id,
        order_id,
        lines,
        warehouse_id: None,
        carrier: String::new(),
        tracking_reference: String::new(),
    });
    shipment_id
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

pub(crate) fn invoice(w: &World, invoice_id: InvoiceId) -> Invoice {
    w.h.engine.invoice(invoice_id).unwrap()
}

pub(crate) fn pay(w: &mut World, amount: Money) -> PaymentId {
    let payment_id = w.h.id();
    let customer_id = w.customer;
    w.h.ok(ReceivePayment {
        payment_id,
        customer_id,
        amount,
        method: PaymentMethod::BankTransfer,
        reference: "remittance".into(),
    });
    payment_id
}

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

pub(crate) fn payment(w: &World, payment_id: PaymentId) -> Payment {
    w.h.engine.payment(payment_id).unwrap()
}

/// A request under a chosen command id and actor (holding every role), at the harness's
/// current business time.
pub(crate) fn request_as(
    w: &World,
    command_id: Uuid,
    actor: &str,
    command: impl Into<o2c::Command>,
) -> Request {
    Request::new(
        CommandContext::new(command_id, person(actor, &ALL_ROLES), w.h.now),
        command,
    )
}

pub(crate) fn usd_2() -> Currency {
    Currency {
        code: usd_code(),
        decimals: 2,
    }
}
