//! Inventory adjustments (counts), scrapping and internal transfers. A count sets the
//! quantity of a product at a location (and lot) to what was found, moving the difference
//! from or to the inventory-loss location; scrapping moves goods to the warehouse's scrap
//! location; a transfer moves free goods between two locations of one warehouse (bins,
//! quarantine, returns). Reserved goods are never counted away, scrapped or moved here:
//! release their reservation first.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{StockMove, Tracking};
use crate::book::Book;
use crate::context::CommandContext;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{LocationId, ProductId};
use crate::location::{Location, LocationKind, standard_location, virtual_location};
use crate::order::reservation::{Allocator, serve_waiting};
use crate::validate;
use crate::warehouse::ReservationPolicy;

/// Why an inventory quantity was corrected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AdjustmentReason {
    /// Found more than the books say.
    CountFound,
    /// Damaged goods taken out.
    Damaged,
    /// Lost or stolen.
    Lost,
    /// A routine cycle count.
    CycleCount,
}

/// Command: set the quantity at a location (and lot) to what a count found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdjustInventory {
    /// The product counted.
    pub product_id: ProductId,
    /// Where.
    pub location_id: LocationId,
    /// The lot or serial number counted (tracked products).
    #[serde(default)]
    pub lot: Option<String>,
    /// The quantity found, in the product's stock unit.
    pub counted: Decimal,
    /// Why.
    pub reason: AdjustmentReason,
    /// Free note.
    #[serde(default)]
    pub note: String,
}

/// Event: an inventory quantity was corrected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InventoryAdjusted {
    /// The product.
    pub product_id: ProductId,
    /// The quantity the books had.
    pub previous: Decimal,
    /// The quantity found.
    pub counted: Decimal,
    /// The correcting move (to or from inventory loss).
    pub stock_move: StockMove,
    /// Why.
    pub reason: AdjustmentReason,
    /// Free note.
    pub note: String,
}

/// Command: scrap free goods.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScrapStock {
    /// The product.
    pub product_id: ProductId,
    /// Where the goods are.
    pub location_id: LocationId,
    /// Lot or serial number (tracked products).
    #[serde(default)]
    pub lot: Option<String>,
    /// How much, in the product's stock unit.
    pub quantity: Decimal,
    /// Why.
    pub reason: String,
}

/// Event: goods were scrapped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockScrapped {
    /// The product.
    pub product_id: ProductId,
    /// The move to the scrap location.
    pub stock_move: StockMove,
    /// Why.
    pub reason: String,
}

/// Command: move free goods between two locations of one warehouse.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveStock {
    /// The product.
    pub product_id: ProductId,
    /// From where.
    pub from: LocationId,
    /// To where.
    pub to: LocationId,
    /// Lot or serial number (tracked products).
    #[serde(default)]
    pub lot: Option<String>,
    /// How much, in the product's stock unit.
    pub quantity: Decimal,
    /// Why (may be empty).
    #[serde(default)]
    pub reason: String,
}

/// Event: goods moved between two locations of a warehouse.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockMoved {
    /// The product.
    pub product_id: ProductId,
    /// The move.
    pub stock_move: StockMove,
    /// Why.
    pub reason: String,
}

/// A warehouse location where goods may be counted, scrapped or moved by hand (not the
/// packing zone or output, whose goods belong to deliveries under way).
fn require_store(book: &Book, location_id: LocationId) -> Result<&Location, DomainError> {
    let location = book.require_location(location_id)?;
    match location.kind {
        LocationKind::Stock | LocationKind::Returns | LocationKind::Quarantine | LocationKind::Scrap => {
            Ok(location)
        }
        _ => Err(DomainError::NotAStoreLocation { location_id }),
    }
}

/// Checks the lot given against the product's tracking.
fn check_lot(product: ProductId, tracking: Tracking, lot: Option<&String>) -> Result<(), DomainError> {
    match (tracking, lot) {
        (Tracking::None, None) => Ok(()),
        (Tracking::None, Some(_)) => Err(DomainError::NotTracked { product_id: product }),
        (_, None) => Err(DomainError::LotRequired { product_id: product }),
        (_, Some(number)) => validate::name("lot", number),
    }
}

/// Refuses more than the free quantity of a quant.
fn require_free(
    book: &Book,
    product: ProductId,
    location: LocationId,
    lot: Option<&str>,
    quantity: Decimal,
) -> Result<(), DomainError> {
    let quant = book
        .stock(product)
        .map(|s| s.quant(location, lot))
        .unwrap_or_default();
    if quantity > quant.free() {
        return Err(DomainError::NotEnoughFreeStock {
            location_id: location,
            requested: quantity,
            free: quant.free(),
        });
    }
    Ok(())
}

pub(crate) fn adjust(
    book: &Book,
    cmd: &AdjustInventory,
    ctx: &CommandContext,
) -> Result<Vec<Event>, DomainError> {
    let date = ctx.business_date();
    let company = book.require_company()?;
    let product = book.require_product(cmd.product_id)?;
    let location = require_store(book, cmd.location_id)?;
    check_lot(product.id, product.tracking, cmd.lot.as_ref())?;
    validate::free_text("note", &cmd.note)?;
    if cmd.counted < Decimal::ZERO {
        return Err(DomainError::NegativeQuantity {
            quantity: cmd.counted,
        });
    }
    if !cmd.counted.is_zero() {
        validate::quantity(cmd.counted, &product.unit)?;
    }
    if product.tracking == Tracking::Serial && cmd.counted > Decimal::ONE {
        return Err(DomainError::SerialQuantityNotOne {
            number: cmd.lot.clone().unwrap_or_default(),
            quantity: cmd.counted,
        });
    }
    let quant = book
        .stock(product.id)
        .map(|s| s.quant(location.id, cmd.lot.as_deref()))
        .unwrap_or_default();
    if product.tracking == Tracking::Serial && cmd.counted > quant.quantity {
        if let Some(number) = &cmd.lot {
            if book.serial_in_stock(product.id, number) {
                return Err(DomainError::DuplicateSerial {
                    number: number.clone(),
                });
            }
        }
    }
    if cmd.counted == quant.quantity {
        return Err(DomainError::InventoryUnchanged {
            quantity: quant.quantity,
        });
    }
    if cmd.counted < quant.reserved {
        return Err(DomainError::CountBelowReserved {
            counted: cmd.counted,
            reserved: quant.reserved,
        });
    }
    let loss = virtual_location(company.id, LocationKind::InventoryLoss);
    let difference = cmd.counted - quant.quantity;
    let (from, to) = if difference > Decimal::ZERO {
        (loss, location.id)
    } else {
        (location.id, loss)
    };
    // Goods found in a stock location of a warehouse that reserves at confirmation serve
    // waiting orders at once, like a receipt.
    let mut served = Vec::new();
    if let Some(warehouse) = location.warehouse_id.and_then(|w| book.warehouse(w)) {
        let found_in_stock = difference > Decimal::ZERO && location.kind == LocationKind::Stock;
        if found_in_stock && warehouse.reservation == ReservationPolicy::AtConfirmation {
            let mut allocator = Allocator::new(book, date);
            allocator.add_free(product.id, location.id, cmd.lot.as_deref(), difference);
            served = serve_waiting(allocator, product.id, warehouse.id);
        }
    }
    let mut events = vec![Event::InventoryAdjusted(InventoryAdjusted {
        product_id: product.id,
        previous: quant.quantity,
        counted: cmd.counted,
        stock_move: StockMove {
            product_id: product.id,
            from,
            to,
            lot: cmd.lot.clone(),
            quantity: difference.abs(),
        },
        reason: cmd.reason,
        note: cmd.note.clone(),
    })];
    events.extend(served);
    Ok(events)
}

pub(crate) fn scrap(book: &Book, cmd: &ScrapStock) -> Result<Vec<Event>, DomainError> {
    book.require_company()?;
    let product = book.require_product(cmd.product_id)?;
    let location = require_store(book, cmd.location_id)?;
    let Some(warehouse) = location.warehouse_id else {
        return Err(DomainError::NotAStoreLocation {
            location_id: location.id,
        });
    };
    check_lot(product.id, product.tracking, cmd.lot.as_ref())?;
    validate::quantity(cmd.quantity, &product.unit)?;
    validate::name("reason", &cmd.reason)?;
    let scrap = standard_location(warehouse, LocationKind::Scrap);
    if location.id == scrap {
        return Err(DomainError::SameLocation { location_id: scrap });
    }
    require_free(book, product.id, location.id, cmd.lot.as_deref(), cmd.quantity)?;
    Ok(vec![Event::StockScrapped(StockScrapped {
        product_id: product.id,
        stock_move: StockMove {
            product_id: product.id,
            from: location.id,
            to: scrap,
            lot: cmd.lot.clone(),
            quantity: cmd.quantity,
        },
        reason: cmd.reason.clone(),
    })])
}

pub(crate) fn transfer(book: &Book, cmd: &MoveStock) -> Result<Vec<Event>, DomainError> {
    book.require_company()?;
    let product = book.require_product(cmd.product_id)?;
    let from = require_store(book, cmd.from)?;
    let to = require_store(book, cmd.to)?;
    if from.id == to.id {
        return Err(DomainError::SameLocation { location_id: from.id });
    }
    if from.warehouse_id != to.warehouse_id {
        return Err(DomainError::DifferentWarehouses {
            from: from.id,
            to: to.id,
        });
    }
    check_lot(product.id, product.tracking, cmd.lot.as_ref())?;
    validate::quantity(cmd.quantity, &product.unit)?;
    validate::free_text("reason", &cmd.reason)?;
    require_free(book, product.id, from.id, cmd.lot.as_deref(), cmd.quantity)?;
    Ok(vec![Event::StockMoved(StockMoved {
        product_id: product.id,
        stock_move: StockMove {
            product_id: product.id,
            from: from.id,
            to: to.id,
            lot: cmd.lot.clone(),
            quantity: cmd.quantity,
        },
        reason: cmd.reason.clone(),
    })])
}
