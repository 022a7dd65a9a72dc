//! The query views of the domain: small, stable shapes a scenario compares its
//! expectations with. This file has the sales and stock views (an order, a product's
//! stock, a shipment) and what every view shares; [`super::billing`] has the billing and
//! cash views. They read the book and show ids by the labels the scenario gave them;
//! amounts and quantities are exact decimals, written as strings.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use o2c_core::location::LocationKind;
use o2c_core::order::{CreditHoldReason, InvoicingStatus, OrderStatus, ShippingStatus};
use o2c_core::rust_decimal::Decimal;
use o2c_core::stock::{ProductStock, StockLevel};
use o2c_core::uuid::Uuid;
use o2c_core::{Book, OrderId, ProductId, ShipmentId};
use serde::Serialize;

use super::labels::Labels;

/// Why a view could not be given: the thing asked for does not exist.
pub(crate) type Missing = String;

/// Quantities of a product somewhere.
#[derive(Serialize)]
pub(crate) struct Level {
    on_hand: Decimal,
    reserved: Decimal,
    available: Decimal,
}

impl Level {
    fn new(on_hand: Decimal, reserved: Decimal) -> Self {
        Self {
            on_hand,
            reserved,
            available: on_hand - reserved,
        }
    }

    fn of(level: StockLevel) -> Self {
        Self::new(level.on_hand, level.reserved)
    }
}

#[derive(Serialize)]
struct OrderLineView {
    line: u32,
    product: String,
    unit: String,
    unit_price: Decimal,
    discount_percent: Decimal,
    promised_date: Option<NaiveDate>,
    ordered: Decimal,
    reserved: Decimal,
    picked: Decimal,
    packed: Decimal,
    delivered: Decimal,
    cancelled: Decimal,
    returned: Decimal,
    return_pending: Decimal,
    return_credited: Decimal,
    backorder: Decimal,
    invoicing: Decimal,
    invoiced: Decimal,
    to_invoice: Decimal,
}

#[derive(Serialize)]
struct OrderView {
    customer: String,
    warehouse: String,
    status: OrderStatus,
    currency: String,
    discount_percent: Decimal,
    amount: Decimal,
    valid_until: Option<NaiveDate>,
    credit_hold: bool,
    credit_hold_reasons: Vec<&'static str>,
    on_hold: bool,
    shipping_status: ShippingStatus,
    invoicing_status: InvoicingStatus,
    lines: Vec<OrderLineView>,
}

/// The name of a credit-hold reason.
pub(crate) fn reason_name(reason: &CreditHoldReason) -> &'static str {
    match reason {
        CreditHoldReason::OverCreditLimit { .. } => "OverCreditLimit",
        CreditHoldReason::OverdueInvoices { .. } => "OverdueInvoices",
        CreditHoldReason::CustomerBlocked { .. } => "CustomerBlocked",
    }
}

/// Rounds an amount of the company currency as the company rounds.
pub(crate) fn round_base(book: &Book, value: Decimal) -> Decimal {
    match book.company() {
        Some(company) => company.rounding.round(value, company.base_currency.decimals),
        None => value,
    }
}

/// Rounds an amount of `currency` as the company rounds it.
fn round_in(book: &Book, value: Decimal, currency: o2c_core::CurrencyCode) -> Decimal {
    match book.company() {
        Some(company) => {
            let decimals = company
                .currencies
                .get(&currency)
                .map_or(company.base_currency.decimals, |c| c.decimals);
            company.rounding.round(value, decimals)
        }
        None => value,
    }
}

pub(crate) fn to_value(view: impl Serialize) -> Result<serde_json::Value, Missing> {
    serde_json::to_value(view).map_err(|e| format!("the view could not be encoded: {e}"))
}

/// An order: status, holds, and per line the ordered, reserved, delivered and invoiced
/// quantities (in the line's unit).
pub(crate) fn order(book: &Book, labels: &Labels, id: OrderId) -> Result<serde_json::Value, Missing> {
    let order = book
        .order(id)
        .ok_or_else(|| format!("no order {}", labels.name_of(id.0)))?;
    let amount = order
        .lines
        .iter()
        .map(|l| round_in(book, order.value_of(l, l.quantity), order.currency))
        .sum();
    let lines = order
        .lines
        .iter()
        .map(|l| OrderLineView {
            line: l.line,
            product: labels.name_of(l.product_id.0),
            unit: l.unit.clone(),
            unit_price: l.unit_price.amount,
            discount_percent: l.discount_percent,
            promised_date: l.promised_date,
            ordered: l.quantity,
            reserved: l.reserved,
            picked: l.picked,
            packed: l.packed,
            delivered: l.delivered,
            cancelled: l.cancelled,
            returned: l.returned,
            return_pending: l.return_pending,
            return_credited: l.return_credited,
            backorder: order.backorder(l.line),
            invoicing: l.invoicing,
            invoiced: l.invoiced,
            to_invoice: order.invoiceable(l),
        })
        .collect();
    to_value(OrderView {
        customer: labels.name_of(order.customer_id.0),
        warehouse: labels.name_of(order.warehouse_id.0),
        status: order.status,
        currency: order.currency.as_str().to_string(),
        discount_percent: order.order_discount_percent,
        amount,
        valid_until: order.valid_until,
        credit_hold: order.credit_hold.is_some(),
        credit_hold_reasons: order
            .credit_hold
            .iter()
            .flat_map(|h| h.reasons.iter().map(reason_name))
            .collect(),
        on_hold: order.hold.is_some(),
        shipping_status: order.shipping_status(),
        invoicing_status: order.invoicing_status(),
        lines,
    })
}

#[derive(Serialize)]
struct StockView {
    sku: String,
    on_hand: Decimal,
    reserved: Decimal,
    available: Decimal,
    warehouses: BTreeMap<String, Level>,
    locations: BTreeMap<String, Level>,
}

#[derive(Serialize)]
struct LocationStockView {
    location: String,
    on_hand: Decimal,
    reserved: Decimal,
    available: Decimal,
}

/// The quantities at one location (all lots).
fn at_location(stock: &ProductStock, location: o2c_core::LocationId) -> Level {
    let quants = stock.quants.get(&location);
    let sum =
        |f: fn(&o2c_core::stock::Quant) -> Decimal| quants.map_or(Decimal::ZERO, |q| q.values().map(f).sum());
    Level::new(sum(|q| q.quantity), sum(|q| q.reserved))
}

/// A product's stock (in its stock unit): totals over its warehouses, per warehouse (by
/// code; stock location and bins) and per warehouse location (by code) — or, with
/// `location`, the figures of one warehouse (a warehouse code or label: its stock location
/// and bins) or one location (a location code or label).
pub(crate) fn stock(
    book: &Book,
    labels: &Labels,
    product: ProductId,
    location: Option<(&str, Uuid)>,
) -> Result<serde_json::Value, Missing> {
    let item = book
        .product(product)
        .ok_or_else(|| format!("no product {}", labels.name_of(product.0)))?;
    let empty = ProductStock::default();
    let stock = book.stock(product).unwrap_or(&empty);
    if let Some((text, id)) = location {
        let warehouse = book
            .warehouse_by_code(text)
            .or_else(|| book.warehouse(o2c_core::WarehouseId(id)).map(|w| w.id));
        let (name, level) = if let Some(warehouse) = warehouse {
            (text.to_string(), Level::of(stock.level(warehouse)))
        } else {
            let found = book
                .locations()
                .find(|l| l.code == text)
                .or_else(|| book.location(o2c_core::LocationId(id)))
                .ok_or_else(|| format!("no warehouse or location {text}"))?;
            (found.code.clone(), at_location(stock, found.id))
        };
        return to_value(LocationStockView {
            location: name,
            on_hand: level.on_hand,
            reserved: level.reserved,
            available: level.available,
        });
    }
    let warehouses: BTreeMap<String, Level> = stock
        .levels
        .iter()
        .map(|(id, level)| {
            let code = book
                .warehouse(*id)
                .map_or_else(|| labels.name_of(id.0), |w| w.code.clone());
            (code, Level::of(*level))
        })
        .collect();
    let locations = stock
        .quants
        .keys()
        .filter_map(|id| book.location(*id))
        .filter(|l| !LocationKind::VIRTUAL.contains(&l.kind))
        .map(|l| (l.code.clone(), at_location(stock, l.id)))
        .collect();
    let on_hand = stock.levels.values().map(|l| l.on_hand).sum();
    let reserved = stock.levels.values().map(|l| l.reserved).sum();
    to_value(StockView {
        sku: item.sku.clone(),
        on_hand,
        reserved,
        available: on_hand - reserved,
        warehouses,
        locations,
    })
}

#[derive(Serialize)]
struct ShipmentLineView {
    line: u32,
    product: String,
    quantity: Decimal,
}

#[derive(Serialize)]
struct ShipmentView {
    order: String,
    warehouse: String,
    shipped_on: NaiveDate,
    carrier: String,
    delivery_confirmed: bool,
    lines: Vec<ShipmentLineView>,
}

/// A shipment: its order, date, quantities per order line and whether delivery was
/// confirmed.
pub(crate) fn shipment(book: &Book, labels: &Labels, id: ShipmentId) -> Result<serde_json::Value, Missing> {
    let shipment = book
        .shipment(id)
        .ok_or_else(|| format!("no shipment {}", labels.name_of(id.0)))?;
    to_value(ShipmentView {
        order: labels.name_of(shipment.order_id.0),
        warehouse: labels.name_of(shipment.warehouse_id.0),
        shipped_on: shipment.shipped_on,
        carrier: shipment.carrier.clone(),
        delivery_confirmed: shipment.proof.is_some(),
        lines: shipment
            .lines
            .iter()
            .map(|l| ShipmentLineView {
                line: l.line,
                product: labels.name_of(l.product_id.0),
                quantity: l.quantity,
            })
            .collect(),
    })
}
