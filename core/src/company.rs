//! The company whose book this is: its name, base currency, the other currencies it
//! accepts, its rounding rule, and the invoice number sequences (one per fiscal year).
//!
//! Setting up the company is the first command of every book; every other command is
//! refused with [`DomainError::CompanyNotSetUp`] until then.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::book::Book;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::CompanyId;
use crate::money::{Currency, CurrencyCode, MAX_CURRENCY_DECIMALS, RoundingRule};
use crate::validate;

/// Command: set up the company. Allowed once per book.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetUpCompany {
    /// The company's id.
    pub company_id: CompanyId,
    /// Legal name.
    pub name: String,
    /// The currency the books are kept in; list prices and credit limits are in it.
    pub base_currency: Currency,
    /// Further currencies the company accepts (for payments, later for invoices).
    #[serde(default)]
    pub other_currencies: Vec<Currency>,
    /// Rounding rule for computed amounts.
    #[serde(default)]
    pub rounding: RoundingRule,
}

/// Event: the company was set up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanySetUp {
    /// The company's id.
    pub company_id: CompanyId,
    /// Legal name.
    pub name: String,
    /// The currency the books are kept in.
    pub base_currency: Currency,
    /// Further accepted currencies.
    pub other_currencies: Vec<Currency>,
    /// Rounding rule for computed amounts.
    pub rounding: RoundingRule,
}

/// The company's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Company {
    /// The company's id.
    pub id: CompanyId,
    /// Legal name.
    pub name: String,
    /// The currency the books are kept in.
    pub base_currency: Currency,
    /// Every accepted currency, the base currency included.
    pub currencies: BTreeMap<CurrencyCode, Currency>,
    /// Rounding rule for computed amounts.
    pub rounding: RoundingRule,
    /// Last invoice sequence number used, per fiscal (calendar) year.
    pub invoice_sequences: BTreeMap<i32, u32>,
}

impl Company {
    /// The accepted currency with this code.
    pub fn currency(&self, code: CurrencyCode) -> Result<Currency, DomainError> {
        self.currencies
            .get(&code)
            .copied()
            .ok_or(DomainError::UnknownCurrency { currency: code })
    }

    /// The sequence number and the invoice number the next invoice posted in `year` gets,
    /// e.g. `(1, "INV/2026/00001")`. Numbers are gapless: a number is only consumed by
    /// the event that posts the invoice.
    pub fn next_invoice_number(&self, year: i32) -> (u32, String) {
        let sequence = self.invoice_sequences.get(&year).copied().unwrap_or(0) + 1;
        (sequence, format!("INV/{year}/{sequence:05}"))
    }

    pub(crate) fn from_event(e: &CompanySetUp) -> Self {
        let currencies = std::iter::once(e.base_currency)
            .chain(e.other_currencies.iter().copied())
            .map(|c| (c.code, c))
            .collect();
        Self {
            id: e.company_id,
            name: e.name.clone(),
            base_currency: e.base_currency,
            currencies,
            rounding: e.rounding,
            invoice_sequences: BTreeMap::new(),
        }
    }
}

pub(crate) fn set_up(book: &Book, cmd: &SetUpCompany) -> Result<Vec<Event>, DomainError> {
    if let Some(company) = book.company() {
        return Err(DomainError::CompanyAlreadySetUp {
            company_id: company.id,
        });
    }
    validate::name("name", &cmd.name)?;
    let mut seen = Vec::new();
    for currency in std::iter::once(&cmd.base_currency).chain(&cmd.other_currencies) {
        if currency.decimals > MAX_CURRENCY_DECIMALS {
            return Err(DomainError::CurrencyPrecisionTooHigh {
                currency: currency.code,
                decimals: currency.decimals,
                max: MAX_CURRENCY_DECIMALS,
            });
        }
        if seen.contains(&currency.code) {
            return Err(DomainError::DuplicateCurrency {
                currency: currency.code,
            });
        }
        seen.push(currency.code);
    }
    Ok(vec![Event::CompanySetUp(CompanySetUp {
        company_id: cmd.company_id,
        name: cmd.name.clone(),
        base_currency: cmd.base_currency,
        other_currencies: cmd.other_currencies.clone(),
        rounding: cmd.rounding,
    })])
}
