//! Warehouses: the places that hold stock and ship orders, and how each one works: its
//! outbound route (ship in one step; pick then ship; or pick, pack and ship) and its
//! reservation policy (manual; at order confirmation; or a number of days before the
//! promised date, by the scheduled `ReserveDue` command).

use serde::{Deserialize, Serialize};

use crate::book::Book;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::WarehouseId;
use crate::validate;

/// The steps a delivery goes through in a warehouse.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum OutboundRoute {
    /// Ship straight from stock.
    #[default]
    OneStep,
    /// Pick from stock to output, then ship.
    TwoSteps,
    /// Pick from stock to the packing zone, pack to output, then ship.
    ThreeSteps,
}

/// When a warehouse reserves stock for confirmed orders.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReservationPolicy {
    /// Only by `ReserveStock` (or `ReserveDue`).
    #[default]
    Manual,
    /// At confirmation (and when a credit hold is released), and waiting demand is served
    /// as soon as stock arrives.
    AtConfirmation,
    /// By `ReserveDue` as of a date: lines promised within this many days (lines without a
    /// promised date are always due).
    DaysBeforePromised(u32),
}

/// Command: register a warehouse (its six standard locations come with it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterWarehouse {
    /// The new warehouse's id.
    pub warehouse_id: WarehouseId,
    /// Short code, unique in the company (e.g. `WH-EAST`).
    pub code: String,
    /// Display name.
    pub name: String,
    /// Outbound route.
    #[serde(default)]
    pub route: OutboundRoute,
    /// Reservation policy.
    #[serde(default)]
    pub reservation: ReservationPolicy,
}

/// Command: change how a warehouse works.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigureWarehouse {
    /// The warehouse.
    pub warehouse_id: WarehouseId,
    /// Outbound route (changes only while nothing waits in packing or output).
    pub route: OutboundRoute,
    /// Reservation policy.
    pub reservation: ReservationPolicy,
}

/// Event: a warehouse's route or reservation policy changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarehouseConfigured {
    /// The warehouse.
    pub warehouse_id: WarehouseId,
    /// Outbound route.
    pub route: OutboundRoute,
    /// Reservation policy.
    pub reservation: ReservationPolicy,
}

/// Event: a warehouse was registered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarehouseRegistered {
    /// The warehouse's id.
    pub warehouse_id: WarehouseId,
    /// Short code.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Outbound route.
    #[serde(default)]
    pub route: OutboundRoute,
    /// Reservation policy.
    #[serde(default)]
    pub reservation: ReservationPolicy,
}

/// A warehouse's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warehouse {
    /// The warehouse's id.
    pub id: WarehouseId,
    /// Short code.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Outbound route.
    pub route: OutboundRoute,
    /// Reservation policy.
    pub reservation: ReservationPolicy,
}

impl Warehouse {
    pub(crate) fn from_event(e: &WarehouseRegistered) -> Self {
        Self {
            id: e.warehouse_id,
            code: e.code.clone(),
            name: e.name.clone(),
            route: e.route,
            reservation: e.reservation,
        }
    }
}

pub(crate) fn register(book: &Book, cmd: &RegisterWarehouse) -> Result<Vec<Event>, DomainError> {
    book.require_company()?;
    book.require_unused(cmd.warehouse_id.0)?;
    validate::name("code", &cmd.code)?;
    validate::name("name", &cmd.name)?;
    if let Some(existing) = book.warehouse_by_code(&cmd.code) {
        return Err(DomainError::WarehouseCodeAlreadyUsed {
            code: cmd.code.clone(),
            warehouse_id: existing,
        });
    }
    if cmd.code.contains('/') {
        return Err(DomainError::InvalidText {
            field: "code",
            reason: "must not contain '/'",
        });
    }
    Ok(vec![Event::WarehouseRegistered(WarehouseRegistered {
        warehouse_id: cmd.warehouse_id,
        code: cmd.code.clone(),
        name: cmd.name.clone(),
        route: cmd.route,
        reservation: cmd.reservation,
    })])
}

pub(crate) fn configure(book: &Book, cmd: &ConfigureWarehouse) -> Result<Vec<Event>, DomainError> {
    book.require_company()?;
    let warehouse = book.require_warehouse(cmd.warehouse_id)?;
    if cmd.route != warehouse.route && book.goods_in_process(warehouse.id) {
        return Err(DomainError::GoodsInProcess {
            warehouse_id: warehouse.id,
        });
    }
    Ok(vec![Event::WarehouseConfigured(WarehouseConfigured {
        warehouse_id: warehouse.id,
        route: cmd.route,
        reservation: cmd.reservation,
    })])
}
