//! Stock locations and removal strategies.
//!
//! Every warehouse has six standard locations, created with it: stock (where goods are
//! stored and reserved; it may have sub-locations, "bins"), packing zone, output, returns,
//! quarantine and scrap. The company has three virtual locations: suppliers, customers and
//! inventory loss. Every quantity change is a move from one location to another, so the sum
//! of a product over all locations, virtual ones included, is always zero: receipts take
//! from suppliers (which go negative), shipments put at customers, adjustments and counts
//! go through inventory loss.
//!
//! Standard and virtual location ids are derived from the warehouse's or the company's id
//! (UUID v5 of the kind name), so they are the same in every replay.
//!
//! **Removal strategy** (which stock a reservation takes first): reservations search a
//! warehouse's stock location with its bins, under the strategy set on that stock
//! location; else the strategy of the product's category; else FIFO. (A strategy is set on
//! a warehouse's stock location, not on a bin.) FIFO takes the oldest receipt first (a lot's receipt date, else the
//! date the goods arrived at the location); FEFO takes the lot that expires first (lots
//! without expiry last), then FIFO. Both skip lots expired on the reservation date.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::book::Book;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{CompanyId, LocationId, WarehouseId};
use crate::validate;

/// What a location is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum LocationKind {
    /// Stored goods, available for reservation (a warehouse's stock and its bins).
    Stock,
    /// Picked goods waiting to be packed (three-step deliveries).
    Packing,
    /// Goods ready to leave (two- and three-step deliveries).
    Output,
    /// Goods coming back from customers.
    Returns,
    /// Goods held back from sale.
    Quarantine,
    /// Goods written off.
    Scrap,
    /// Virtual: where receipts come from.
    Supplier,
    /// Virtual: where shipments go.
    Customer,
    /// Virtual: the other side of inventory adjustments.
    InventoryLoss,
}

impl LocationKind {
    /// The standard locations every warehouse has.
    pub const WAREHOUSE: [LocationKind; 6] = [
        Self::Stock,
        Self::Packing,
        Self::Output,
        Self::Returns,
        Self::Quarantine,
        Self::Scrap,
    ];

    /// The company's virtual locations.
    pub const VIRTUAL: [LocationKind; 3] = [Self::Supplier, Self::Customer, Self::InventoryLoss];

    /// The kind's name (also the suffix of standard location codes).
    pub fn name(self) -> &'static str {
        match self {
            Self::Stock => "Stock",
            Self::Packing => "Packing",
            Self::Output => "Output",
            Self::Returns => "Returns",
            Self::Quarantine => "Quarantine",
            Self::Scrap => "Scrap",
            Self::Supplier => "Suppliers",
            Self::Customer => "Customers",
            Self::InventoryLoss => "Inventory loss",
        }
    }

    /// True for the virtual locations (outside any warehouse).
    pub fn is_virtual(self) -> bool {
        Self::VIRTUAL.contains(&self)
    }
}

/// Which stock a reservation takes first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum RemovalStrategy {
    /// First in, first out: oldest receipt first.
    #[default]
    Fifo,
    /// First expired, first out: nearest expiry first.
    Fefo,
}

/// A location.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// The location's id.
    pub id: LocationId,
    /// What it is for (a bin has its parent's kind).
    pub kind: LocationKind,
    /// Its warehouse (none for virtual locations).
    pub warehouse_id: Option<WarehouseId>,
    /// The location it is part of, for bins.
    pub parent: Option<LocationId>,
    /// Code, e.g. `WH-1/Stock/A-01`.
    pub code: String,
    /// Its own removal strategy, if set.
    pub removal: Option<RemovalStrategy>,
}

/// The id of a warehouse's standard location.
pub fn standard_location(warehouse: WarehouseId, kind: LocationKind) -> LocationId {
    LocationId(Uuid::new_v5(&warehouse.0, kind.name().as_bytes()))
}

/// The id of one of the company's virtual locations.
pub fn virtual_location(company: CompanyId, kind: LocationKind) -> LocationId {
    LocationId(Uuid::new_v5(&company.0, kind.name().as_bytes()))
}

/// Command: add a sub-location (a bin) under a location of a warehouse.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterLocation {
    /// The new location's id.
    pub location_id: LocationId,
    /// The location it is part of (a warehouse location).
    pub parent_id: LocationId,
    /// Its name within the parent, e.g. `A-01`.
    pub name: String,
}

/// Event: a sub-location was added.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocationRegistered {
    /// The new location's id.
    pub location_id: LocationId,
    /// Its warehouse.
    pub warehouse_id: WarehouseId,
    /// The location it is part of.
    pub parent_id: LocationId,
    /// Its kind (the parent's).
    pub kind: LocationKind,
    /// Its full code.
    pub code: String,
}

/// What a removal strategy is set for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RemovalTarget {
    /// Every product of a category.
    Category(String),
    /// A location and its sub-locations.
    Location(LocationId),
}

/// Command: set a removal strategy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetRemovalStrategy {
    /// What it applies to.
    pub target: RemovalTarget,
    /// The strategy.
    pub strategy: RemovalStrategy,
}

/// Event: a removal strategy was set. Recorded on the company's stream.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovalStrategySet {
    /// The company.
    pub company_id: CompanyId,
    /// What it applies to.
    pub target: RemovalTarget,
    /// The strategy.
    pub strategy: RemovalStrategy,
}

pub(crate) fn register(book: &Book, cmd: &RegisterLocation) -> Result<Vec<Event>, DomainError> {
    book.require_company()?;
    book.require_unused(cmd.location_id.0)?;
    let parent = book.require_location(cmd.parent_id)?;
    let Some(warehouse_id) = parent.warehouse_id else {
        return Err(DomainError::NotAWarehouseLocation {
            location_id: parent.id,
        });
    };
    validate::name("name", &cmd.name)?;
    if cmd.name.contains('/') {
        return Err(DomainError::InvalidText {
            field: "name",
            reason: "must not contain '/'",
        });
    }
    let code = format!("{}/{}", parent.code, cmd.name);
    if book.locations().any(|l| l.code == code) {
        return Err(DomainError::LocationCodeAlreadyUsed { code });
    }
    Ok(vec![Event::LocationRegistered(LocationRegistered {
        location_id: cmd.location_id,
        warehouse_id,
        parent_id: parent.id,
        kind: parent.kind,
        code,
    })])
}

pub(crate) fn set_removal(book: &Book, cmd: &SetRemovalStrategy) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    match &cmd.target {
        RemovalTarget::Category(category) => validate::name("category", category)?,
        RemovalTarget::Location(id) => {
            let location = book.require_location(*id)?;
            if location.kind != LocationKind::Stock || location.parent.is_some() {
                return Err(DomainError::NotAWarehouseStockLocation { location_id: *id });
            }
        }
    }
    Ok(vec![Event::RemovalStrategySet(RemovalStrategySet {
        company_id: company.id,
        target: cmd.target.clone(),
        strategy: cmd.strategy,
    })])
}

/// The locations a warehouse gets when it is registered.
pub(crate) fn warehouse_locations(warehouse_id: WarehouseId, warehouse_code: &str) -> Vec<Location> {
    LocationKind::WAREHOUSE
        .into_iter()
        .map(|kind| Location {
            id: standard_location(warehouse_id, kind),
            kind,
            warehouse_id: Some(warehouse_id),
            parent: None,
            code: format!("{warehouse_code}/{}", kind.name()),
            removal: None,
        })
        .collect()
}

/// The company's virtual locations.
pub(crate) fn company_locations(company_id: CompanyId) -> Vec<Location> {
    LocationKind::VIRTUAL
        .into_iter()
        .map(|kind| Location {
            id: virtual_location(company_id, kind),
            kind,
            warehouse_id: None,
            parent: None,
            code: kind.name().to_string(),
            removal: None,
        })
        .collect()
}
