//! The product catalogue: SKU, name, unit of measure and list price in the company
//! currency.

use serde::{Deserialize, Serialize};

use crate::book::Book;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::ProductId;
use crate::money::Money;
use crate::validate;

/// Highest number of decimals a unit of measure may declare.
pub const MAX_UNIT_DECIMALS: u32 = 6;

/// A unit of measure and its precision: `{"code":"pcs","decimals":0}` counts whole pieces,
/// `{"code":"kg","decimals":3}` weighs to the gram.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// Short name of the unit.
    pub code: String,
    /// Decimals a quantity in this unit may have.
    pub decimals: u32,
}

/// Command: add a product to the catalogue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterProduct {
    /// The new product's id.
    pub product_id: ProductId,
    /// Stock-keeping unit code, unique in the catalogue.
    pub sku: String,
    /// Display name.
    pub name: String,
    /// The unit the product is stocked and sold in.
    pub unit: Unit,
    /// Price per unit, in the company currency.
    pub list_price: Money,
}

/// Event: a product was added to the catalogue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductRegistered {
    /// The product's id.
    pub product_id: ProductId,
    /// Stock-keeping unit code.
    pub sku: String,
    /// Display name.
    pub name: String,
    /// Stock and sales unit.
    pub unit: Unit,
    /// Price per unit, in the company currency.
    pub list_price: Money,
}

/// A product's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Product {
    /// The product's id.
    pub id: ProductId,
    /// Stock-keeping unit code.
    pub sku: String,
    /// Display name.
    pub name: String,
    /// Stock and sales unit.
    pub unit: Unit,
    /// Price per unit, in the company currency.
    pub list_price: Money,
}

impl Product {
    pub(crate) fn from_event(e: &ProductRegistered) -> Self {
        Self {
            id: e.product_id,
            sku: e.sku.clone(),
            name: e.name.clone(),
            unit: e.unit.clone(),
            list_price: e.list_price,
        }
    }
}

pub(crate) fn register(book: &Book, cmd: &RegisterProduct) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    book.require_unused(cmd.product_id.0)?;
    validate::name("sku", &cmd.sku)?;
    validate::name("name", &cmd.name)?;
    validate::name("unit.code", &cmd.unit.code)?;
    if cmd.unit.decimals > MAX_UNIT_DECIMALS {
        return Err(DomainError::UnitPrecisionTooHigh {
            unit: cmd.unit.code.clone(),
            decimals: cmd.unit.decimals,
            max: MAX_UNIT_DECIMALS,
        });
    }
    if let Some(existing) = book.product_by_sku(&cmd.sku) {
        return Err(DomainError::SkuAlreadyUsed {
            sku: cmd.sku.clone(),
            product_id: existing,
        });
    }
    validate::in_currency(company.base_currency.code, &cmd.list_price)?;
    validate::positive_amount(company, &cmd.list_price)?;
    Ok(vec![Event::ProductRegistered(ProductRegistered {
        product_id: cmd.product_id,
        sku: cmd.sku.clone(),
        name: cmd.name.clone(),
        unit: cmd.unit.clone(),
        list_price: cmd.list_price,
    })])
}
