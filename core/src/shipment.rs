//! Shipments: a delivery of reserved order quantities to the customer. Whatever the order
//! still has open after a shipment is its backorder, reserved and shipped later.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::book::Book;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{CustomerId, OrderId, ShipmentId, WarehouseId};
use crate::order::{self, LineQuantity};
use crate::validate;

/// A quantity to ship from one order line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipLine {
    /// Line number within the order.
    pub line: u32,
    /// Quantity to ship, at most what is reserved for the line.
    pub quantity: Decimal,
}

/// Command: ship reserved quantities of a confirmed order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipOrder {
    /// The new shipment's id.
    pub shipment_id: ShipmentId,
    /// The order shipped.
    pub order_id: OrderId,
    /// What to ship; empty ships everything currently reserved.
    #[serde(default)]
    pub lines: Vec<ShipLine>,
}

/// Event: a shipment left the warehouse.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipmentDispatched {
    /// The shipment's id.
    pub shipment_id: ShipmentId,
    /// The order shipped.
    pub order_id: OrderId,
    /// Who receives it.
    pub customer_id: CustomerId,
    /// Where it left from.
    pub warehouse_id: WarehouseId,
    /// Shipped quantities per order line.
    pub lines: Vec<LineQuantity>,
}

/// A shipment's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Shipment {
    /// The shipment's id.
    pub id: ShipmentId,
    /// The order shipped.
    pub order_id: OrderId,
    /// Who receives it.
    pub customer_id: CustomerId,
    /// Where it left from.
    pub warehouse_id: WarehouseId,
    /// Shipped quantities per order line.
    pub lines: Vec<LineQuantity>,
}

pub(crate) fn ship(book: &Book, cmd: &ShipOrder) -> Result<Vec<Event>, DomainError> {
    book.require_company()?;
    book.require_unused(cmd.shipment_id.0)?;
    let order = order::require_confirmed(book, cmd.order_id)?;
    order.require_not_held()?;
    let lines = if cmd.lines.is_empty() {
        let reserved = order::reserved_lines(order);
        if reserved.is_empty() {
            return Err(DomainError::NothingReserved { order_id: order.id });
        }
        reserved
    } else {
        let mut chosen: Vec<LineQuantity> = Vec::with_capacity(cmd.lines.len());
        for requested in &cmd.lines {
            let line = order.line(requested.line).ok_or(DomainError::UnknownOrderLine {
                order_id: order.id,
                line: requested.line,
            })?;
            if chosen.iter().any(|c| c.line == requested.line) {
                return Err(DomainError::DuplicateLine { line: requested.line });
            }
            let product = book.require_product(line.product_id)?;
            validate::quantity(requested.quantity, &product.unit)?;
            if requested.quantity > line.reserved {
                return Err(DomainError::ShipmentExceedsReservation {
                    order_id: order.id,
                    line: line.line,
                    requested: requested.quantity,
                    reserved: line.reserved,
                });
            }
            chosen.push(LineQuantity {
                line: line.line,
                product_id: line.product_id,
                quantity: requested.quantity,
            });
        }
        chosen
    };
    Ok(vec![Event::ShipmentDispatched(ShipmentDispatched {
        shipment_id: cmd.shipment_id,
        order_id: order.id,
        customer_id: order.customer_id,
        warehouse_id: order.warehouse_id,
        lines,
    })])
}

pub(crate) fn apply_dispatched(book: &mut Book, e: &ShipmentDispatched) {
    if let Some(order) = book.orders.get_mut(&e.order_id) {
        for shipped in &e.lines {
            if let Some(line) = order.line_mut(shipped.line) {
                line.reserved -= shipped.quantity;
                line.delivered += shipped.quantity;
            }
        }
    }
    for shipped in &e.lines {
        book.stock
            .entry(shipped.product_id)
            .or_default()
            .ship(e.warehouse_id, shipped.quantity);
    }
    book.shipments.insert(
        e.shipment_id,
        Shipment {
            id: e.shipment_id,
            order_id: e.order_id,
            customer_id: e.customer_id,
            warehouse_id: e.warehouse_id,
            lines: e.lines.clone(),
        },
    );
}
