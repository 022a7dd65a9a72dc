//! Warehouses: the places that hold stock and ship orders.

use serde::{Deserialize, Serialize};

use crate::book::Book;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::WarehouseId;
use crate::validate;

/// Command: register a warehouse.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterWarehouse {
    /// The new warehouse's id.
    pub warehouse_id: WarehouseId,
    /// Short code, unique in the company (e.g. `WH-EAST`).
    pub code: String,
    /// Display name.
    pub name: String,
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
}

/// A warehouse's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Warehouse {
    /// The warehouse's id.
    pub id: WarehouseId,
    /// Short code.
    pub code: String,
    /// Display name.
    pub name: String,
}

impl Warehouse {
    pub(crate) fn from_event(e: &WarehouseRegistered) -> Self {
        Self {
            id: e.warehouse_id,
            code: e.code.clone(),
            name: e.name.clone(),
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
    Ok(vec![Event::WarehouseRegistered(WarehouseRegistered {
        warehouse_id: cmd.warehouse_id,
        code: cmd.code.clone(),
        name: cmd.name.clone(),
    })])
}
