//! Input checks shared by the aggregates: text fields, quantities and amounts. Each check
//! returns the specific [`DomainError`] a caller can act on.

use rust_decimal::Decimal;

use crate::company::Company;
use crate::error::DomainError;
use crate::money::{CurrencyCode, Money, fits_precision};
use crate::product::Unit;

/// Longest accepted name or reference, in characters.
pub const MAX_TEXT_LEN: usize = 200;

/// A required name: not blank, at most [`MAX_TEXT_LEN`] characters, no control characters.
pub(crate) fn name(field: &'static str, value: &str) -> Result<(), DomainError> {
    if value.trim().is_empty() {
        return Err(DomainError::InvalidText {
            field,
            reason: "must not be blank",
        });
    }
    free_text(field, value)
}

/// An optional text (may be empty): at most [`MAX_TEXT_LEN`] characters, no control
/// characters.
pub(crate) fn free_text(field: &'static str, value: &str) -> Result<(), DomainError> {
    if value.chars().count() > MAX_TEXT_LEN {
        return Err(DomainError::InvalidText {
            field,
            reason: "longer than 200 characters",
        });
    }
    if value.chars().any(char::is_control) {
        return Err(DomainError::InvalidText {
            field,
            reason: "contains control characters",
        });
    }
    Ok(())
}

/// A quantity of a product: positive and within the unit's precision.
pub(crate) fn quantity(quantity: Decimal, unit: &Unit) -> Result<(), DomainError> {
    if quantity <= Decimal::ZERO {
        return Err(DomainError::NonPositiveQuantity { quantity });
    }
    if !fits_precision(quantity, unit.decimals) {
        return Err(DomainError::QuantityPrecisionExceeded {
            quantity,
            unit: unit.code.clone(),
            decimals: unit.decimals,
        });
    }
    Ok(())
}

/// An amount in a currency the company accepts, within that currency's precision, and not
/// negative.
pub(crate) fn non_negative_amount(company: &Company, amount: &Money) -> Result<(), DomainError> {
    let currency = company.currency(amount.currency)?;
    if amount.amount < Decimal::ZERO {
        return Err(DomainError::NegativeAmount { amount: *amount });
    }
    if !fits_precision(amount.amount, currency.decimals) {
        return Err(DomainError::AmountPrecisionExceeded {
            amount: *amount,
            decimals: currency.decimals,
        });
    }
    Ok(())
}

/// Like [`non_negative_amount`], and zero is refused too.
pub(crate) fn positive_amount(company: &Company, amount: &Money) -> Result<(), DomainError> {
    non_negative_amount(company, amount)?;
    if amount.amount.is_zero() {
        return Err(DomainError::NonPositiveAmount { amount: *amount });
    }
    Ok(())
}

/// Most decimals a percentage may have.
pub const PERCENT_DECIMALS: u32 = 4;

/// A percentage between 0 and 100 with at most [`PERCENT_DECIMALS`] decimals.
pub(crate) fn percent(field: &'static str, value: Decimal) -> Result<(), DomainError> {
    if value < Decimal::ZERO || value > Decimal::ONE_HUNDRED || !fits_precision(value, PERCENT_DECIMALS) {
        return Err(DomainError::InvalidPercent { field, value });
    }
    Ok(())
}

/// An amount that must be in one given currency.
pub(crate) fn in_currency(expected: CurrencyCode, found: &Money) -> Result<(), DomainError> {
    if expected == found.currency {
        Ok(())
    } else {
        Err(DomainError::CurrencyMismatch {
            expected,
            found: found.currency,
        })
    }
}
