//! Receipts from suppliers: goods move from the suppliers' virtual location into a stock
//! location (or bin) of a warehouse, by lot or serial number for tracked products. In a
//! warehouse that reserves at confirmation, the receipt also serves waiting demand, by
//! priority (see [`crate::order::reservation`]).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Tracking;
use crate::book::Book;
use crate::context::CommandContext;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{LocationId, ProductId, WarehouseId};
use crate::location::{LocationKind, standard_location};
use crate::order::reservation;
use crate::validate;
use crate::warehouse::ReservationPolicy;

/// A lot (or serial number) received, and how much of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivedLot {
    /// Lot or serial number.
    pub number: String,
    /// Expiry date of the lot.
    #[serde(default)]
    pub expires_on: Option<NaiveDate>,
    /// Quantity of it (1 for a serial number).
    pub quantity: Decimal,
}

/// Command: receive goods into a warehouse (from a supplier or production).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiveStock {
    /// The product received.
    pub product_id: ProductId,
    /// Where it was received.
    pub warehouse_id: WarehouseId,
    /// How much, in the product's stock unit.
    pub quantity: Decimal,
    /// The supplier's delivery note or purchase order reference (may be empty).
    #[serde(default)]
    pub reference: String,
    /// The stock location or bin it goes to (default: the warehouse's stock location).
    #[serde(default)]
    pub location_id: Option<LocationId>,
    /// Lots or serial numbers, for tracked products (their quantities add up to
    /// `quantity`).
    #[serde(default)]
    pub lots: Vec<ReceivedLot>,
}

/// Event: goods were received into a warehouse.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockReceived {
    /// The product received.
    pub product_id: ProductId,
    /// Where it was received.
    pub warehouse_id: WarehouseId,
    /// How much, in the product's stock unit.
    pub quantity: Decimal,
    /// Delivery note or purchase order reference.
    pub reference: String,
    /// The stock location or bin (none: the warehouse's stock location).
    #[serde(default)]
    pub location_id: Option<LocationId>,
    /// Lots or serial numbers received.
    #[serde(default)]
    pub lots: Vec<ReceivedLot>,
}

impl StockReceived {
    /// Where the goods went.
    pub fn location(&self) -> LocationId {
        self.location_id
            .unwrap_or_else(|| standard_location(self.warehouse_id, LocationKind::Stock))
    }
}

fn check_lots(book: &Book, cmd: &ReceiveStock, tracking: Tracking) -> Result<(), DomainError> {
    let product = cmd.product_id;
    match tracking {
        Tracking::None if !cmd.lots.is_empty() => {
            return Err(DomainError::NotTracked { product_id: product });
        }
        Tracking::None => return Ok(()),
        Tracking::Lot | Tracking::Serial if cmd.lots.is_empty() => {
            return Err(DomainError::LotRequired { product_id: product });
        }
        Tracking::Lot | Tracking::Serial => {}
    }
    let total: Decimal = cmd.lots.iter().map(|l| l.quantity).sum();
    if total != cmd.quantity {
        return Err(DomainError::LotQuantitiesDoNotAddUp {
            quantity: cmd.quantity,
            lots: total,
        });
    }
    let stock = book.stock(product);
    for (index, lot) in cmd.lots.iter().enumerate() {
        validate::name("lots.number", &lot.number)?;
        if lot.quantity <= Decimal::ZERO {
            return Err(DomainError::NonPositiveQuantity {
                quantity: lot.quantity,
            });
        }
        if cmd.lots[..index].iter().any(|l| l.number == lot.number) {
            return Err(DomainError::DuplicateLot {
                number: lot.number.clone(),
            });
        }
        let known = stock.and_then(|s| s.lots.get(&lot.number));
        if let Some(known) = known {
            if known.expires_on != lot.expires_on {
                return Err(DomainError::LotExpiryMismatch {
                    number: lot.number.clone(),
                    recorded: known.expires_on,
                    given: lot.expires_on,
                });
            }
        }
        if tracking == Tracking::Serial {
            if lot.quantity != Decimal::ONE {
                return Err(DomainError::SerialQuantityNotOne {
                    number: lot.number.clone(),
                    quantity: lot.quantity,
                });
            }
            if book.serial_in_stock(product, &lot.number) {
                return Err(DomainError::DuplicateSerial {
                    number: lot.number.clone(),
                });
            }
        }
    }
    Ok(())
}

pub(crate) fn receive(
    book: &Book,
    cmd: &ReceiveStock,
    ctx: &CommandContext,
) -> Result<Vec<Event>, DomainError> {
    book.require_company()?;
    let product = book.require_product(cmd.product_id)?;
    let warehouse = book.require_warehouse(cmd.warehouse_id)?;
    validate::quantity(cmd.quantity, &product.unit)?;
    validate::free_text("reference", &cmd.reference)?;
    if let Some(location_id) = cmd.location_id {
        let location = book.require_location(location_id)?;
        if location.warehouse_id != Some(warehouse.id) || location.kind != LocationKind::Stock {
            return Err(DomainError::NotAStockLocation {
                location_id,
                warehouse_id: warehouse.id,
            });
        }
    }
    check_lots(book, cmd, product.tracking)?;
    let received = StockReceived {
        product_id: cmd.product_id,
        warehouse_id: cmd.warehouse_id,
        quantity: cmd.quantity,
        reference: cmd.reference.clone(),
        location_id: cmd.location_id,
        lots: cmd.lots.clone(),
    };
    let mut events = Vec::new();
    if warehouse.reservation == ReservationPolicy::AtConfirmation {
        events = reservation::serve_waiting_after_receipt(book, &received, ctx)?;
    }
    events.insert(0, Event::StockReceived(received));
    Ok(events)
}
