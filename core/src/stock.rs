//! Stock of one product per warehouse: on hand, reserved for confirmed orders, and
//! available (on hand minus reserved). Receipts add to on hand; reservations and
//! shipments are recorded on the order and shipment streams and folded in here.
//!
//! Invariants: `0 <= reserved <= on_hand` in every warehouse; on hand only grows by
//! receipts and only shrinks by shipments.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::book::Book;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{ProductId, WarehouseId};
use crate::validate;

/// Command: receive goods into a warehouse (from a supplier or production).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiveStock {
    /// The product received.
    pub product_id: ProductId,
    /// Where it was received.
    pub warehouse_id: WarehouseId,
    /// How much, in the product's unit.
    pub quantity: Decimal,
    /// The supplier's delivery note or purchase order reference (may be empty).
    #[serde(default)]
    pub reference: String,
}

/// Event: goods were received into a warehouse.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockReceived {
    /// The product received.
    pub product_id: ProductId,
    /// Where it was received.
    pub warehouse_id: WarehouseId,
    /// How much, in the product's unit.
    pub quantity: Decimal,
    /// Delivery note or purchase order reference.
    pub reference: String,
}

/// Quantities of one product in one warehouse.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct StockLevel {
    /// Physically present.
    pub on_hand: Decimal,
    /// Promised to confirmed orders, not yet shipped.
    pub reserved: Decimal,
}

impl StockLevel {
    /// On hand and not reserved.
    pub fn available(&self) -> Decimal {
        self.on_hand - self.reserved
    }
}

/// The stock of one product, per warehouse.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ProductStock {
    /// Levels per warehouse; a warehouse that never held the product is absent.
    pub levels: BTreeMap<WarehouseId, StockLevel>,
}

impl ProductStock {
    /// The level in one warehouse (zero when the product was never there).
    pub fn level(&self, warehouse: WarehouseId) -> StockLevel {
        self.levels.get(&warehouse).copied().unwrap_or_default()
    }

    pub(crate) fn receive(&mut self, warehouse: WarehouseId, quantity: Decimal) {
        self.levels.entry(warehouse).or_default().on_hand += quantity;
    }

    pub(crate) fn reserve(&mut self, warehouse: WarehouseId, quantity: Decimal) {
        self.levels.entry(warehouse).or_default().reserved += quantity;
    }

    pub(crate) fn unreserve(&mut self, warehouse: WarehouseId, quantity: Decimal) {
        self.levels.entry(warehouse).or_default().reserved -= quantity;
    }

    /// Shipping takes reserved goods out of the warehouse.
    pub(crate) fn ship(&mut self, warehouse: WarehouseId, quantity: Decimal) {
        let level = self.levels.entry(warehouse).or_default();
        level.on_hand -= quantity;
        level.reserved -= quantity;
    }
}

pub(crate) fn receive(book: &Book, cmd: &ReceiveStock) -> Result<Vec<Event>, DomainError> {
    book.require_company()?;
    let product = book.require_product(cmd.product_id)?;
    book.require_warehouse(cmd.warehouse_id)?;
    validate::quantity(cmd.quantity, &product.unit)?;
    validate::free_text("reference", &cmd.reference)?;
    Ok(vec![Event::StockReceived(StockReceived {
        product_id: cmd.product_id,
        warehouse_id: cmd.warehouse_id,
        quantity: cmd.quantity,
        reference: cmd.reference.clone(),
    })])
}
