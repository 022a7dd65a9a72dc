//! The product catalogue: SKU, name, category, unit of measure, list price in the company
//! currency, the floor price below which a sale needs a sales manager's approval, and for
//! billing its invoice policy (ordered or delivered quantities) and the taxes it carries.

use serde::{Deserialize, Serialize};

use crate::book::Book;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{ProductId, TaxId};
use crate::invoice::InvoicePolicy;
use crate::money::Money;
use crate::stock::Tracking;
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
    /// Category code (price rules may apply to a whole category).
    #[serde(default)]
    pub category: Option<String>,
    /// Lowest net unit price allowed without approval.
    #[serde(default)]
    pub floor_price: Option<Money>,
    /// How units are told apart (lots, serial numbers, or not at all).
    #[serde(default)]
    pub tracking: Tracking,
    /// Products that may replace it when it is short.
    #[serde(default)]
    pub substitutes: Vec<ProductId>,
    /// Invoiced on delivered (default) or on ordered quantities.
    #[serde(default)]
    pub invoice_policy: InvoicePolicy,
    /// The taxes its sales carry, in the order they apply.
    #[serde(default)]
    pub taxes: Vec<TaxId>,
}

/// Command: change a product's name, category, list price or floor price. The SKU and the
/// unit never change (stock and history are kept in them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeProduct {
    /// The product.
    pub product_id: ProductId,
    /// Display name.
    pub name: String,
    /// Category code.
    #[serde(default)]
    pub category: Option<String>,
    /// Price per unit, in the company currency.
    pub list_price: Money,
    /// Lowest net unit price allowed without approval.
    #[serde(default)]
    pub floor_price: Option<Money>,
    /// Products that may replace it when it is short (the complete list).
    #[serde(default)]
    pub substitutes: Vec<ProductId>,
    /// Invoiced on delivered (default) or on ordered quantities.
    #[serde(default)]
    pub invoice_policy: InvoicePolicy,
    /// The taxes its sales carry, in the order they apply.
    #[serde(default)]
    pub taxes: Vec<TaxId>,
}

/// Event: a product's name, category, list price or floor price changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductChanged {
    /// The product.
    pub product_id: ProductId,
    /// Display name.
    pub name: String,
    /// Category code.
    pub category: Option<String>,
    /// Price per unit.
    pub list_price: Money,
    /// Floor price.
    pub floor_price: Option<Money>,
    /// Substitutes.
    #[serde(default)]
    pub substitutes: Vec<ProductId>,
    /// Invoiced on delivered (default) or on ordered quantities.
    #[serde(default)]
    pub invoice_policy: InvoicePolicy,
    /// The taxes its sales carry, in the order they apply.
    #[serde(default)]
    pub taxes: Vec<TaxId>,
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
    /// Category code.
    #[serde(default)]
    pub category: Option<String>,
    /// Floor price.
    #[serde(default)]
    pub floor_price: Option<Money>,
    /// Tracking.
    #[serde(default)]
    pub tracking: Tracking,
    /// Substitutes.
    #[serde(default)]
    pub substitutes: Vec<ProductId>,
    /// Invoiced on delivered (default) or on ordered quantities.
    #[serde(default)]
    pub invoice_policy: InvoicePolicy,
    /// The taxes its sales carry, in the order they apply.
    #[serde(default)]
    pub taxes: Vec<TaxId>,
}

/// A product's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Category code.
    pub category: Option<String>,
    /// Lowest net unit price allowed without approval.
    pub floor_price: Option<Money>,
    /// Tracking.
    pub tracking: Tracking,
    /// Products that may replace it.
    pub substitutes: Vec<ProductId>,
    /// Invoiced on delivered (default) or on ordered quantities.
    pub invoice_policy: InvoicePolicy,
    /// The taxes its sales carry, in the order they apply.
    pub taxes: Vec<TaxId>,
}

impl Product {
    pub(crate) fn from_event(e: &ProductRegistered) -> Self {
        Self {
            id: e.product_id,
            sku: e.sku.clone(),
            name: e.name.clone(),
            unit: e.unit.clone(),
            list_price: e.list_price,
            category: e.category.clone(),
            floor_price: e.floor_price,
            tracking: e.tracking,
            substitutes: e.substitutes.clone(),
            invoice_policy: e.invoice_policy,
            taxes: e.taxes.clone(),
        }
    }

    pub(crate) fn apply_changed(&mut self, e: &ProductChanged) {
        self.name = e.name.clone();
        self.category = e.category.clone();
        self.list_price = e.list_price;
        self.floor_price = e.floor_price;
        self.substitutes = e.substitutes.clone();
        self.invoice_policy = e.invoice_policy;
        self.taxes = e.taxes.clone();
    }
}

fn check_prices(
    book: &Book,
    name: &str,
    category: Option<&String>,
    list_price: &Money,
    floor_price: Option<&Money>,
) -> Result<(), DomainError> {
    let company = book.require_company()?;
    validate::name("name", name)?;
    if let Some(category) = category {
        validate::name("category", category)?;
    }
    validate::in_currency(company.base_currency.code, list_price)?;
    validate::positive_amount(company, list_price)?;
    if let Some(floor) = floor_price {
        validate::in_currency(company.base_currency.code, floor)?;
        validate::non_negative_amount(company, floor)?;
    }
    Ok(())
}

/// Substitutes must be other existing products, each listed once.
fn check_substitutes(book: &Book, product: ProductId, substitutes: &[ProductId]) -> Result<(), DomainError> {
    for (index, substitute) in substitutes.iter().enumerate() {
        book.require_product(*substitute)?;
        if *substitute == product || substitutes[..index].contains(substitute) {
            return Err(DomainError::InvalidSubstitute {
                substitute_id: *substitute,
            });
        }
    }
    Ok(())
}

/// Taxes must exist, each listed once.
fn check_taxes(book: &Book, taxes: &[TaxId]) -> Result<(), DomainError> {
    for (index, tax) in taxes.iter().enumerate() {
        book.require_tax(*tax)?;
        if taxes[..index].contains(tax) {
            return Err(DomainError::DuplicateTax { tax_id: *tax });
        }
    }
    Ok(())
}

pub(crate) fn register(book: &Book, cmd: &RegisterProduct) -> Result<Vec<Event>, DomainError> {
    book.require_company()?;
    book.require_unused(cmd.product_id.0)?;
    validate::name("sku", &cmd.sku)?;
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
    check_prices(
        book,
        &cmd.name,
        cmd.category.as_ref(),
        &cmd.list_price,
        cmd.floor_price.as_ref(),
    )?;
    if let Some(defined) = book.unit_definition(&cmd.unit.code) {
        if defined.decimals != cmd.unit.decimals {
            return Err(DomainError::UnitMismatch {
                unit: cmd.unit.code.clone(),
                defined_decimals: defined.decimals,
            });
        }
    }
    check_substitutes(book, cmd.product_id, &cmd.substitutes)?;
    check_taxes(book, &cmd.taxes)?;
    Ok(vec![Event::ProductRegistered(ProductRegistered {
        product_id: cmd.product_id,
        sku: cmd.sku.clone(),
        name: cmd.name.clone(),
        unit: cmd.unit.clone(),
        list_price: cmd.list_price,
        category: cmd.category.clone(),
        floor_price: cmd.floor_price,
        tracking: cmd.tracking,
        substitutes: cmd.substitutes.clone(),
        invoice_policy: cmd.invoice_policy,
        taxes: cmd.taxes.clone(),
    })])
}

pub(crate) fn change(book: &Book, cmd: &ChangeProduct) -> Result<Vec<Event>, DomainError> {
    book.require_product(cmd.product_id)?;
    check_prices(
        book,
        &cmd.name,
        cmd.category.as_ref(),
        &cmd.list_price,
        cmd.floor_price.as_ref(),
    )?;
    check_substitutes(book, cmd.product_id, &cmd.substitutes)?;
    check_taxes(book, &cmd.taxes)?;
    Ok(vec![Event::ProductChanged(ProductChanged {
        product_id: cmd.product_id,
        name: cmd.name.clone(),
        category: cmd.category.clone(),
        list_price: cmd.list_price,
        floor_price: cmd.floor_price,
        substitutes: cmd.substitutes.clone(),
        invoice_policy: cmd.invoice_policy,
        taxes: cmd.taxes.clone(),
    })])
}
