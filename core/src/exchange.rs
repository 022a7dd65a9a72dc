//! Exchange rates: how many units of the company currency one unit of another currency is
//! worth, from a date on. The rate of a date is the latest rate set on or before it; the
//! company currency's rate is always 1.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::book::Book;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::CompanyId;
use crate::money::{CurrencyCode, fits_precision};

/// Most decimals an exchange rate may have.
pub const RATE_DECIMALS: u32 = 10;

/// Command: set the rate of a currency from a date on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetExchangeRate {
    /// The currency (not the company's).
    pub currency: CurrencyCode,
    /// First day the rate applies.
    pub date: NaiveDate,
    /// Company-currency units per one unit of `currency`.
    pub rate: Decimal,
}

/// Event: an exchange rate was set. Recorded on the company's stream.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExchangeRateSet {
    /// The company.
    pub company_id: CompanyId,
    /// The currency.
    pub currency: CurrencyCode,
    /// First day the rate applies.
    pub date: NaiveDate,
    /// Company-currency units per one unit of `currency`.
    pub rate: Decimal,
}

pub(crate) fn set(book: &Book, cmd: &SetExchangeRate) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    company.currency(cmd.currency)?;
    if cmd.currency == company.base_currency.code {
        return Err(DomainError::RateOfBaseCurrency {
            currency: cmd.currency,
        });
    }
    if cmd.rate <= Decimal::ZERO || !fits_precision(cmd.rate, RATE_DECIMALS) {
        return Err(DomainError::InvalidExchangeRate { rate: cmd.rate });
    }
    Ok(vec![Event::ExchangeRateSet(ExchangeRateSet {
        company_id: company.id,
        currency: cmd.currency,
        date: cmd.date,
        rate: cmd.rate,
    })])
}

/// The rate of a currency on a date (1 for the company currency), refused when none is set
/// yet.
pub(crate) fn require_rate(
    book: &Book,
    currency: CurrencyCode,
    date: NaiveDate,
) -> Result<Decimal, DomainError> {
    if book.require_company()?.base_currency.code == currency {
        return Ok(Decimal::ONE);
    }
    book.exchange_rate(currency, date)
        .ok_or(DomainError::NoExchangeRate { currency, date })
}
