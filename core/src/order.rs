//! Sales orders from quotation to confirmation and reservation.
//!
//! A quotation is priced from the products' list prices when a line is added; confirming it
//! runs the credit check (exposure after confirmation must stay within the customer's
//! limit); reserving takes what the order's warehouse has available, line by line in line
//! order, and leaves the rest waiting. Shipping and invoicing live in [`crate::shipment`]
//! and [`crate::invoice`]; their events update the quantities kept here.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::book::Book;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{CustomerId, OrderId, ProductId, WarehouseId};
use crate::money::{CurrencyCode, Money};
use crate::validate;

/// Most lines one order may carry.
pub const MAX_ORDER_LINES: usize = 500;

/// A product and quantity asked for on a quotation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestedLine {
    /// The product.
    pub product_id: ProductId,
    /// Quantity in the product's unit.
    pub quantity: Decimal,
}

/// Command: create a quotation (a draft sales order), optionally with lines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateQuotation {
    /// The new order's id.
    pub order_id: OrderId,
    /// Who buys.
    pub customer_id: CustomerId,
    /// The warehouse that will ship it.
    pub warehouse_id: WarehouseId,
    /// Lines, numbered 1, 2, ... in this order.
    #[serde(default)]
    pub lines: Vec<RequestedLine>,
    /// The customer's own reference (purchase order number), may be empty.
    #[serde(default)]
    pub customer_reference: String,
}

/// Command: add a line to a quotation that is not yet confirmed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddQuotationLine {
    /// The quotation.
    pub order_id: OrderId,
    /// The product.
    pub product_id: ProductId,
    /// Quantity in the product's unit.
    pub quantity: Decimal,
}

/// Command: confirm a quotation into a sales order (runs the credit check).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmOrder {
    /// The quotation to confirm.
    pub order_id: OrderId,
}

/// Command: reserve, in the order's warehouse, what is available for the order's open
/// lines. Partial reservation is allowed; what cannot be reserved waits for the next call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReserveStock {
    /// The confirmed order.
    pub order_id: OrderId,
}

/// A priced order line as recorded in events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotedLine {
    /// Line number within the order, from 1.
    pub line: u32,
    /// The product.
    pub product_id: ProductId,
    /// Quantity ordered, in `unit`.
    pub quantity: Decimal,
    /// The product's unit at quotation time.
    pub unit: String,
    /// Price per unit (the list price at quotation time).
    pub unit_price: Money,
}

/// A quantity of one order line, as moved by a reservation or a shipment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineQuantity {
    /// Line number within the order.
    pub line: u32,
    /// The line's product.
    pub product_id: ProductId,
    /// The quantity, in the product's unit.
    pub quantity: Decimal,
}

/// Event: a quotation was created.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotationCreated {
    /// The order's id.
    pub order_id: OrderId,
    /// Who buys.
    pub customer_id: CustomerId,
    /// The shipping warehouse.
    pub warehouse_id: WarehouseId,
    /// The order's currency (the company currency).
    pub currency: CurrencyCode,
    /// The customer's reference.
    pub customer_reference: String,
    /// Priced lines.
    pub lines: Vec<QuotedLine>,
}

/// Event: a line was added to a quotation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotationLineAdded {
    /// The order's id.
    pub order_id: OrderId,
    /// The new priced line.
    pub line: QuotedLine,
}

/// Event: a quotation was confirmed; the credit figures at that moment are kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderConfirmed {
    /// The order's id.
    pub order_id: OrderId,
    /// Who buys.
    pub customer_id: CustomerId,
    /// Order value (sum of rounded line amounts).
    pub amount: Money,
    /// The customer's credit exposure including this order.
    pub exposure: Money,
    /// The customer's credit limit at that moment, if any.
    pub credit_limit: Option<Money>,
}

/// Event: stock was reserved for some of an order's lines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockReserved {
    /// The order's id.
    pub order_id: OrderId,
    /// Where the stock is reserved.
    pub warehouse_id: WarehouseId,
    /// Reserved quantities per line (only lines that got something).
    pub lines: Vec<LineQuantity>,
}

/// Where an order is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderStatus {
    /// A quotation: lines may be added; nothing is promised yet.
    Quotation,
    /// A confirmed sales order.
    Confirmed,
}

/// How much of a confirmed order has shipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShippingStatus {
    /// Nothing has shipped.
    NotShipped,
    /// Some has shipped; the rest is a backorder.
    PartiallyShipped,
    /// Everything ordered has shipped.
    Shipped,
}

/// How much of what was delivered has been invoiced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvoicingStatus {
    /// Nothing is delivered and not yet invoiced, and the order is not fully invoiced.
    NothingToInvoice,
    /// Some delivered quantity is not on any invoice yet.
    ToInvoice,
    /// Every ordered quantity is on a posted invoice.
    FullyInvoiced,
}

/// One line of an order with its running quantities.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OrderLine {
    /// Line number within the order.
    pub line: u32,
    /// The product.
    pub product_id: ProductId,
    /// Unit of the quantities.
    pub unit: String,
    /// Ordered quantity.
    pub quantity: Decimal,
    /// Price per unit.
    pub unit_price: Money,
    /// Reserved in the warehouse and not yet shipped.
    pub reserved: Decimal,
    /// Shipped to the customer.
    pub delivered: Decimal,
    /// On draft invoices.
    pub invoicing: Decimal,
    /// On posted invoices.
    pub invoiced: Decimal,
}

impl OrderLine {
    fn from_quoted(q: &QuotedLine) -> Self {
        Self {
            line: q.line,
            product_id: q.product_id,
            unit: q.unit.clone(),
            quantity: q.quantity,
            unit_price: q.unit_price,
            reserved: Decimal::ZERO,
            delivered: Decimal::ZERO,
            invoicing: Decimal::ZERO,
            invoiced: Decimal::ZERO,
        }
    }

    /// Quantity × unit price, exact (not rounded).
    pub fn value_of(&self, quantity: Decimal) -> Decimal {
        quantity * self.unit_price.amount
    }

    /// Still to ship (ordered minus delivered).
    pub fn open_quantity(&self) -> Decimal {
        self.quantity - self.delivered
    }

    /// Open and not yet reserved.
    pub fn unreserved(&self) -> Decimal {
        self.open_quantity() - self.reserved
    }

    /// Delivered and on no invoice yet.
    pub fn to_invoice(&self) -> Decimal {
        self.delivered - self.invoiced - self.invoicing
    }
}

/// A sales order's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SalesOrder {
    /// The order's id.
    pub id: OrderId,
    /// Who buys.
    pub customer_id: CustomerId,
    /// The shipping warehouse.
    pub warehouse_id: WarehouseId,
    /// The order's currency.
    pub currency: CurrencyCode,
    /// The customer's reference.
    pub customer_reference: String,
    /// Quotation or confirmed.
    pub status: OrderStatus,
    /// Lines in line-number order.
    pub lines: Vec<OrderLine>,
}

impl SalesOrder {
    /// The line with this number.
    pub fn line(&self, line: u32) -> Option<&OrderLine> {
        self.lines.iter().find(|l| l.line == line)
    }

    pub(crate) fn line_mut(&mut self, line: u32) -> Option<&mut OrderLine> {
        self.lines.iter_mut().find(|l| l.line == line)
    }

    /// True once any quantity of the order has shipped.
    pub fn has_shipped(&self) -> bool {
        self.lines.iter().any(|l| l.delivered > Decimal::ZERO)
    }

    /// The backorder of a line: once the order has shipped anything, whatever the line
    /// still has open waits for a later shipment (a line with nothing shipped yet included).
    /// Zero before the first shipment, and for an unknown line.
    pub fn backorder(&self, line: u32) -> Decimal {
        match self.line(line) {
            Some(l) if self.has_shipped() => l.open_quantity(),
            _ => Decimal::ZERO,
        }
    }

    /// Shipping progress (meaningful once confirmed).
    pub fn shipping_status(&self) -> ShippingStatus {
        if !self.has_shipped() {
            ShippingStatus::NotShipped
        } else if self.lines.iter().all(|l| l.open_quantity() <= Decimal::ZERO) {
            ShippingStatus::Shipped
        } else {
            ShippingStatus::PartiallyShipped
        }
    }

    /// Invoicing progress.
    pub fn invoicing_status(&self) -> InvoicingStatus {
        if self.lines.iter().any(|l| l.to_invoice() > Decimal::ZERO) {
            InvoicingStatus::ToInvoice
        } else if !self.lines.is_empty() && self.lines.iter().all(|l| l.invoiced >= l.quantity) {
            InvoicingStatus::FullyInvoiced
        } else {
            InvoicingStatus::NothingToInvoice
        }
    }

    fn next_line_number(&self) -> u32 {
        self.lines.iter().map(|l| l.line).max().unwrap_or(0) + 1
    }
}

fn price_line(book: &Book, line: u32, requested: &RequestedLine) -> Result<QuotedLine, DomainError> {
    let product = book.require_product(requested.product_id)?;
    validate::quantity(requested.quantity, &product.unit)?;
    Ok(QuotedLine {
        line,
        product_id: product.id,
        quantity: requested.quantity,
        unit: product.unit.code.clone(),
        unit_price: product.list_price,
    })
}

fn require_quotation(book: &Book, order_id: OrderId) -> Result<&SalesOrder, DomainError> {
    let order = book.require_order(order_id)?;
    match order.status {
        OrderStatus::Quotation => Ok(order),
        OrderStatus::Confirmed => Err(DomainError::OrderAlreadyConfirmed { order_id }),
    }
}

pub(crate) fn require_confirmed(book: &Book, order_id: OrderId) -> Result<&SalesOrder, DomainError> {
    let order = book.require_order(order_id)?;
    match order.status {
        OrderStatus::Confirmed => Ok(order),
        OrderStatus::Quotation => Err(DomainError::OrderNotConfirmed { order_id }),
    }
}

pub(crate) fn create_quotation(book: &Book, cmd: &CreateQuotation) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    book.require_unused(cmd.order_id.0)?;
    book.require_customer(cmd.customer_id)?;
    book.require_warehouse(cmd.warehouse_id)?;
    validate::free_text("customer_reference", &cmd.customer_reference)?;
    if cmd.lines.len() > MAX_ORDER_LINES {
        return Err(DomainError::TooManyLines { max: MAX_ORDER_LINES });
    }
    let lines = (1u32..)
        .zip(&cmd.lines)
        .map(|(n, requested)| price_line(book, n, requested))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(vec![Event::QuotationCreated(QuotationCreated {
        order_id: cmd.order_id,
        customer_id: cmd.customer_id,
        warehouse_id: cmd.warehouse_id,
        currency: company.base_currency.code,
        customer_reference: cmd.customer_reference.clone(),
        lines,
    })])
}

pub(crate) fn add_line(book: &Book, cmd: &AddQuotationLine) -> Result<Vec<Event>, DomainError> {
    book.require_company()?;
    let order = require_quotation(book, cmd.order_id)?;
    if order.lines.len() >= MAX_ORDER_LINES {
        return Err(DomainError::TooManyLines { max: MAX_ORDER_LINES });
    }
    let requested = RequestedLine {
        product_id: cmd.product_id,
        quantity: cmd.quantity,
    };
    let line = price_line(book, order.next_line_number(), &requested)?;
    Ok(vec![Event::QuotationLineAdded(QuotationLineAdded {
        order_id: cmd.order_id,
        line,
    })])
}

pub(crate) fn confirm(book: &Book, cmd: &ConfirmOrder) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    let order = require_quotation(book, cmd.order_id)?;
    if order.lines.is_empty() {
        return Err(DomainError::EmptyOrder { order_id: order.id });
    }
    let customer = book.require_customer(order.customer_id)?;
    let currency = company.currency(order.currency)?;
    // Exposure is kept exact; it is judged, like any money, at the currency's precision.
    let value: Decimal = order.lines.iter().map(|l| l.value_of(l.quantity)).sum();
    let exposure = company
        .rounding
        .round(customer.exposure() + value, currency.decimals);
    let exposure = Money::new(exposure, order.currency);
    if let Some(limit) = customer.credit_limit {
        if exposure.amount > limit.amount {
            return Err(DomainError::CreditLimitExceeded {
                customer_id: customer.id,
                exposure,
                limit,
            });
        }
    }
    let amount: Decimal = order
        .lines
        .iter()
        .map(|l| company.rounding.round(l.value_of(l.quantity), currency.decimals))
        .sum();
    Ok(vec![Event::OrderConfirmed(OrderConfirmed {
        order_id: order.id,
        customer_id: customer.id,
        amount: Money::new(amount, order.currency),
        exposure,
        credit_limit: customer.credit_limit,
    })])
}

pub(crate) fn reserve(book: &Book, cmd: &ReserveStock) -> Result<Vec<Event>, DomainError> {
    book.require_company()?;
    let order = require_confirmed(book, cmd.order_id)?;
    if order.lines.iter().all(|l| l.unreserved() <= Decimal::ZERO) {
        return Err(DomainError::NothingToReserve { order_id: order.id });
    }
    // Lines of the same product draw on the same availability, first line first.
    let mut taken: Vec<(ProductId, Decimal)> = Vec::new();
    let mut lines = Vec::new();
    for line in order.lines.iter().filter(|l| l.unreserved() > Decimal::ZERO) {
        let already: Decimal = taken
            .iter()
            .filter(|(p, _)| *p == line.product_id)
            .map(|(_, q)| *q)
            .sum();
        let available = book.stock_level(line.product_id, order.warehouse_id).available() - already;
        let quantity = line.unreserved().min(available);
        if quantity > Decimal::ZERO {
            taken.push((line.product_id, quantity));
            lines.push(LineQuantity {
                line: line.line,
                product_id: line.product_id,
                quantity,
            });
        }
    }
    if lines.is_empty() {
        return Err(DomainError::NoStockAvailable { order_id: order.id });
    }
    Ok(vec![Event::StockReserved(StockReserved {
        order_id: order.id,
        warehouse_id: order.warehouse_id,
        lines,
    })])
}

pub(crate) fn apply_quotation_created(book: &mut Book, e: &QuotationCreated) {
    let order = SalesOrder {
        id: e.order_id,
        customer_id: e.customer_id,
        warehouse_id: e.warehouse_id,
        currency: e.currency,
        customer_reference: e.customer_reference.clone(),
        status: OrderStatus::Quotation,
        lines: e.lines.iter().map(OrderLine::from_quoted).collect(),
    };
    book.orders.insert(e.order_id, order);
}

pub(crate) fn apply_line_added(book: &mut Book, e: &QuotationLineAdded) {
    if let Some(order) = book.orders.get_mut(&e.order_id) {
        order.lines.push(OrderLine::from_quoted(&e.line));
    }
}

pub(crate) fn apply_confirmed(book: &mut Book, e: &OrderConfirmed) {
    let Some(order) = book.orders.get_mut(&e.order_id) else {
        return;
    };
    order.status = OrderStatus::Confirmed;
    let value: Decimal = order.lines.iter().map(|l| l.value_of(l.quantity)).sum();
    if let Some(customer) = book.customers.get_mut(&order.customer_id) {
        customer.uninvoiced_orders += value;
    }
}

pub(crate) fn apply_reserved(book: &mut Book, e: &StockReserved) {
    if let Some(order) = book.orders.get_mut(&e.order_id) {
        for reserved in &e.lines {
            if let Some(line) = order.line_mut(reserved.line) {
                line.reserved += reserved.quantity;
            }
        }
    }
    for reserved in &e.lines {
        book.stock
            .entry(reserved.product_id)
            .or_default()
            .reserve(e.warehouse_id, reserved.quantity);
    }
}
