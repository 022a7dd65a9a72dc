//! Units of measure: categories (count, weight, length, ...), exact conversion factors
//! within a category, and each unit's precision.
//!
//! A unit is defined once for the company: `{code: "box12", category: "count", factor: 12,
//! decimals: 0}` says one box is 12 reference units of the count category. Converting a
//! quantity multiplies by the source factor and divides by the target factor; the result
//! must be exact and fit the target unit's decimals (so 2 boxes are 24 pieces, but 5 pieces
//! are not a whole number of boxes), otherwise the conversion is refused rather than
//! rounded. Units of different categories never convert.
//!
//! A product's unit is its stock unit. A unit code that was never defined (products set up
//! before unit definitions existed) is its own category with factor 1.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::book::Book;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::CompanyId;
use crate::money::fits_precision;
use crate::product::{MAX_UNIT_DECIMALS, Unit};
use crate::validate;

/// Command: define a unit of measure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefineUnit {
    /// Short code, unique in the company (`pcs`, `box12`, `kg`, `g`).
    pub code: String,
    /// Category; only units of one category convert into each other.
    pub category: String,
    /// How many reference units of the category one of this unit is (positive).
    pub factor: Decimal,
    /// Decimals a quantity in this unit may have.
    pub decimals: u32,
}

/// Event: a unit of measure was defined.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitDefined {
    /// The company.
    pub company_id: CompanyId,
    /// The unit.
    pub unit: UnitDefinition,
}

/// A unit of measure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitDefinition {
    /// Short code.
    pub code: String,
    /// Category.
    pub category: String,
    /// Reference units per one of this unit.
    pub factor: Decimal,
    /// Decimals a quantity in this unit may have.
    pub decimals: u32,
}

impl UnitDefinition {
    /// The stand-in definition of a unit code that was never defined: its own category,
    /// factor 1.
    pub fn standalone(unit: &Unit) -> Self {
        Self {
            code: unit.code.clone(),
            category: unit.code.clone(),
            factor: Decimal::ONE,
            decimals: unit.decimals,
        }
    }

    /// The product-facing shape of the unit.
    pub fn as_unit(&self) -> Unit {
        Unit {
            code: self.code.clone(),
            decimals: self.decimals,
        }
    }

    /// `quantity` of this unit expressed in `target`, exactly.
    pub fn convert(&self, quantity: Decimal, target: &UnitDefinition) -> Result<Decimal, DomainError> {
        if self.category != target.category {
            return Err(DomainError::UnitCategoryMismatch {
                from: self.code.clone(),
                to: target.code.clone(),
            });
        }
        if self.code == target.code {
            return Ok(quantity);
        }
        let converted = (quantity * self.factor)
            .checked_div(target.factor)
            .filter(|q| fits_precision(*q, target.decimals))
            .ok_or_else(|| DomainError::UnitConversionInexact {
                quantity,
                from: self.code.clone(),
                to: target.code.clone(),
            })?;
        Ok(converted.normalize())
    }

    /// Stock units of `stock` per one of this unit, exactly (refused when one of this unit
    /// is not an exact decimal number of `stock` units, e.g. a piece of a product kept in
    /// boxes of 12).
    pub fn stock_per_unit(&self, stock: &UnitDefinition) -> Result<Decimal, DomainError> {
        if self.category != stock.category {
            return Err(DomainError::UnitCategoryMismatch {
                from: self.code.clone(),
                to: stock.code.clone(),
            });
        }
        let ratio = self
            .factor
            .checked_div(stock.factor)
            .filter(|r| *r * stock.factor == self.factor);
        ratio
            .map(|r| r.normalize())
            .ok_or_else(|| DomainError::UnitConversionInexact {
                quantity: Decimal::ONE,
                from: self.code.clone(),
                to: stock.code.clone(),
            })
    }

    /// The largest quantity of this unit, within its precision, that is no more than
    /// `quantity` of `source` (used to reserve whole units of a line from stock).
    pub fn floor_from(&self, quantity: Decimal, source: &UnitDefinition) -> Decimal {
        let exact = quantity * source.factor / self.factor;
        exact
            .round_dp_with_strategy(self.decimals, rust_decimal::RoundingStrategy::ToZero)
            .normalize()
    }
}

pub(crate) fn define(book: &Book, cmd: &DefineUnit) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    validate::name("code", &cmd.code)?;
    validate::name("category", &cmd.category)?;
    if cmd.factor <= Decimal::ZERO {
        return Err(DomainError::InvalidUnitFactor { factor: cmd.factor });
    }
    if cmd.decimals > MAX_UNIT_DECIMALS {
        return Err(DomainError::UnitPrecisionTooHigh {
            unit: cmd.code.clone(),
            decimals: cmd.decimals,
            max: MAX_UNIT_DECIMALS,
        });
    }
    if book.unit_definition(&cmd.code).is_some() || book.products().any(|p| p.unit.code == cmd.code) {
        return Err(DomainError::UnitAlreadyDefined {
            code: cmd.code.clone(),
        });
    }
    Ok(vec![Event::UnitDefined(UnitDefined {
        company_id: company.id,
        unit: UnitDefinition {
            code: cmd.code.clone(),
            category: cmd.category.clone(),
            factor: cmd.factor,
            decimals: cmd.decimals,
        },
    })])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(code: &str, category: &str, factor: &str, decimals: u32) -> UnitDefinition {
        UnitDefinition {
            code: code.into(),
            category: category.into(),
            factor: factor.parse().unwrap(),
            decimals,
        }
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn conversions_are_exact_or_refused() {
        let pcs = unit("pcs", "count", "1", 0);
        let box12 = unit("box12", "count", "12", 0);
        let kg = unit("kg", "weight", "1", 3);
        let g = unit("g", "weight", "0.001", 0);
        assert_eq!(box12.convert(d("2"), &pcs).unwrap(), d("24"));
        assert_eq!(pcs.convert(d("24"), &box12).unwrap(), d("2"));
        assert!(matches!(
            pcs.convert(d("5"), &box12),
            Err(DomainError::UnitConversionInexact { .. })
        ));
        assert_eq!(g.convert(d("1250"), &kg).unwrap(), d("1.25"));
        assert!(matches!(
            g.convert(d("1"), &pcs),
            Err(DomainError::UnitCategoryMismatch { .. })
        ));
        assert_eq!(box12.floor_from(d("30"), &pcs), d("2"));
        assert_eq!(kg.floor_from(d("1234.5"), &g), d("1.234"));
    }
}
