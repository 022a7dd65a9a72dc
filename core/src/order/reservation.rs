//! Reserving stock for a confirmed order that is not on hold: in the order's warehouse,
//! line by line in line order, each line taking what is available up to what it still has
//! open and unreserved (lines of one product share the availability, first line first).
//! Partial reservation is allowed; the rest waits for the next call.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{LineQuantity, require_confirmed};
use crate::book::Book;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{OrderId, ProductId, WarehouseId};

/// Command: reserve what is available for the order's open lines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReserveStock {
    /// The confirmed order.
    pub order_id: OrderId,
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

pub(crate) fn reserve(book: &Book, cmd: &ReserveStock) -> Result<Vec<Event>, DomainError> {
    book.require_company()?;
    let order = require_confirmed(book, cmd.order_id)?;
    order.require_not_held()?;
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

pub(crate) fn apply(book: &mut Book, e: &StockReserved) {
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
