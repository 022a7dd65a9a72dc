//! Stock: quantities of each product per location and lot ("quants"), the lots
//! themselves, the moves that change quantities, and per-warehouse levels.
//!
//! A quant holds a quantity and how much of it is reserved for orders. Every change is a
//! [`StockMove`] between two locations, so quantities are conserved (see
//! [`crate::location`]). The level of a product in a warehouse (on hand, reserved,
//! available) counts only its stock locations (the stock location and its bins): goods in
//! the packing zone or output are on their way out, goods in returns, quarantine or scrap
//! are not for sale.
//!
//! Invariants: no warehouse location goes negative; `0 <= reserved <= quantity` in every
//! quant; a move is folded exactly once (it is part of exactly one event).
//!
//! Quantities here are in the product's stock unit.

pub mod adjustment;
pub mod receipt;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use adjustment::*;
pub use receipt::*;

use crate::book::Book;
use crate::ids::{LocationId, ProductId, WarehouseId};
use crate::location::LocationKind;

/// How a product is tracked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tracking {
    /// Not tracked: all units are alike.
    #[default]
    None,
    /// By lot (batch), each lot with an optional expiry date.
    Lot,
    /// By serial number: each unit is unique.
    Serial,
}

/// A lot (or serial number) of a product.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lot {
    /// The lot or serial number.
    pub number: String,
    /// Last day it may be sold.
    pub expires_on: Option<NaiveDate>,
    /// First receipt date.
    pub received_on: NaiveDate,
}

impl Lot {
    /// True when the lot has expired on `date`.
    pub fn expired_on(&self, date: NaiveDate) -> bool {
        self.expires_on.is_some_and(|expiry| expiry < date)
    }
}

/// A quantity of one product at one location, of one lot (or untracked).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quant {
    /// How much is there.
    pub quantity: Decimal,
    /// How much of it is reserved for orders.
    pub reserved: Decimal,
    /// When goods first arrived here (for FIFO among untracked goods).
    pub in_date: Option<NaiveDate>,
}

impl Quant {
    /// Quantity not reserved.
    pub fn free(&self) -> Decimal {
        self.quantity - self.reserved
    }
}

/// A move of a quantity of a product from one location to another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockMove {
    /// The product.
    pub product_id: ProductId,
    /// From where.
    pub from: LocationId,
    /// To where.
    pub to: LocationId,
    /// The lot or serial number, for tracked products.
    #[serde(default)]
    pub lot: Option<String>,
    /// How much, in the product's stock unit.
    pub quantity: Decimal,
}

/// Quantities of one product in one warehouse's stock locations.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockLevel {
    /// Physically present.
    pub on_hand: Decimal,
    /// Promised to confirmed orders, not yet picked or shipped.
    pub reserved: Decimal,
}

impl StockLevel {
    /// On hand and not reserved (expired lots included; reservations skip them).
    pub fn available(&self) -> Decimal {
        self.on_hand - self.reserved
    }
}

/// The key of an untracked quant's lot.
const NO_LOT: &str = "";

/// The stock of one product.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductStock {
    /// Levels per warehouse (stock locations only); a warehouse that never held the
    /// product is absent.
    pub levels: BTreeMap<WarehouseId, StockLevel>,
    /// Quants per location and lot number (`""` for untracked goods), virtual locations
    /// included.
    pub quants: BTreeMap<LocationId, BTreeMap<String, Quant>>,
    /// Lots and serial numbers ever received, by number.
    pub lots: BTreeMap<String, Lot>,
}

impl ProductStock {
    /// The level in one warehouse (zero when the product was never there).
    pub fn level(&self, warehouse: WarehouseId) -> StockLevel {
        self.levels.get(&warehouse).copied().unwrap_or_default()
    }

    /// The quant at a location for a lot (`None`: untracked).
    pub fn quant(&self, location: LocationId, lot: Option<&str>) -> Quant {
        self.quants
            .get(&location)
            .and_then(|lots| lots.get(lot.unwrap_or(NO_LOT)))
            .copied()
            .unwrap_or_default()
    }

    /// Total quantity at a location, all lots.
    pub fn at(&self, location: LocationId) -> Decimal {
        self.quants
            .get(&location)
            .map_or(Decimal::ZERO, |lots| lots.values().map(|q| q.quantity).sum())
    }

    /// Every quant with a quantity: location, lot, quant.
    pub fn each_quant(&self) -> impl Iterator<Item = (LocationId, Option<&str>, &Quant)> {
        self.quants.iter().flat_map(|(location, lots)| {
            lots.iter()
                .map(move |(lot, quant)| (*location, (!lot.is_empty()).then_some(lot.as_str()), quant))
        })
    }

    fn quant_mut(&mut self, location: LocationId, lot: Option<&str>) -> &mut Quant {
        self.quants
            .entry(location)
            .or_default()
            .entry(lot.unwrap_or(NO_LOT).to_string())
            .or_default()
    }
}

/// Where a location sits, for the level bookkeeping: its warehouse when it is a stock
/// location.
fn stock_warehouse(book: &Book, location: LocationId) -> Option<WarehouseId> {
    let location = book.location(location)?;
    (location.kind == LocationKind::Stock)
        .then_some(location.warehouse_id)
        .flatten()
}

/// Folds a move: quantity leaves `from` and arrives at `to`. With `reserved`, the moved
/// goods were reserved and stay reserved at their destination (a pick), or leave their
/// reservation behind (a shipment: the destination is a virtual location).
pub(crate) fn apply_move(book: &mut Book, m: &StockMove, reserved: bool, date: NaiveDate) {
    let from_wh = stock_warehouse(book, m.from);
    let to_wh = stock_warehouse(book, m.to);
    let to_virtual = book.location(m.to).is_none_or(|l| l.kind.is_virtual());
    let stock = book.stock.entry(m.product_id).or_default();
    let lot = m.lot.as_deref();
    let source = stock.quant_mut(m.from, lot);
    source.quantity -= m.quantity;
    if reserved {
        source.reserved -= m.quantity;
    }
    let keep_reserved = reserved && !to_virtual;
    let target = stock.quant_mut(m.to, lot);
    target.quantity += m.quantity;
    if keep_reserved {
        target.reserved += m.quantity;
    }
    target.in_date = Some(target.in_date.map_or(date, |d| d.min(date)));
    if let Some(wh) = from_wh {
        let level = stock.levels.entry(wh).or_default();
        level.on_hand -= m.quantity;
        if reserved {
            level.reserved -= m.quantity;
        }
    }
    if let Some(wh) = to_wh {
        let level = stock.levels.entry(wh).or_default();
        level.on_hand += m.quantity;
        if keep_reserved {
            level.reserved += m.quantity;
        }
    }
}

/// Folds a change of the reserved quantity of a quant (positive: reserve; negative:
/// release).
pub(crate) fn apply_reservation(
    book: &mut Book,
    product: ProductId,
    location: LocationId,
    lot: Option<&str>,
    change: Decimal,
) {
    let warehouse = stock_warehouse(book, location);
    let stock = book.stock.entry(product).or_default();
    stock.quant_mut(location, lot).reserved += change;
    if let Some(wh) = warehouse {
        stock.levels.entry(wh).or_default().reserved += change;
    }
}

/// Folds a receipt: the goods move from the suppliers' location into the warehouse, lot by
/// lot; new lots are registered.
pub(crate) fn apply_received(book: &mut Book, e: &StockReceived, date: NaiveDate) {
    let Some(company) = book.company().map(|c| c.id) else {
        return;
    };
    let from = crate::location::virtual_location(company, LocationKind::Supplier);
    let to = e.location();
    let moves: Vec<StockMove> = if e.lots.is_empty() {
        vec![StockMove {
            product_id: e.product_id,
            from,
            to,
            lot: None,
            quantity: e.quantity,
        }]
    } else {
        e.lots
            .iter()
            .map(|l| StockMove {
                product_id: e.product_id,
                from,
                to,
                lot: Some(l.number.clone()),
                quantity: l.quantity,
            })
            .collect()
    };
    for lot in &e.lots {
        book.stock
            .entry(e.product_id)
            .or_default()
            .lots
            .entry(lot.number.clone())
            .or_insert(Lot {
                number: lot.number.clone(),
                expires_on: lot.expires_on,
                received_on: date,
            });
    }
    for m in &moves {
        apply_move(book, m, false, date);
    }
}
