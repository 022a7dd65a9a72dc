//! The company whose book this is: its name, base currency, the other currencies it
//! accepts, its rounding rule, its sales settings (quotation validity, discount approval
//! threshold, overdue grace days), and the invoice number sequences (one per fiscal year).
//!
//! Setting up the company is the first command of every book; every other command is
//! refused with [`DomainError::CompanyNotSetUp`] until then.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::book::Book;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::CompanyId;
use crate::money::{Currency, CurrencyCode, MAX_CURRENCY_DECIMALS, RoundingRule};
use crate::validate;

/// Sales settings of a company. Missing fields take the documented defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CompanySettings {
    /// A quotation is valid this many days after it is created or revalidated (default 30).
    pub quotation_validity_days: u32,
    /// A line whose effective discount exceeds this percentage needs a sales manager's
    /// approval before the order is confirmed (default 10).
    pub discount_approval_threshold: Decimal,
    /// An invoice counts as overdue for the credit check once it is this many days past its
    /// due date (default 0: the day after it is due).
    pub overdue_grace_days: u32,
    /// Whether one order may ship lines from different warehouses (default no).
    pub multi_warehouse_orders: bool,
}

impl Default for CompanySettings {
    fn default() -> Self {
        Self {
            quotation_validity_days: 30,
            discount_approval_threshold: Decimal::TEN,
            overdue_grace_days: 0,
            multi_warehouse_orders: false,
        }
    }
}

/// Longest accepted quotation validity or grace period, in days.
pub const MAX_SETTING_DAYS: u32 = 3650;

impl CompanySettings {
    fn validate(&self) -> Result<(), DomainError> {
        for (field, days) in [
            ("quotation_validity_days", self.quotation_validity_days),
            ("overdue_grace_days", self.overdue_grace_days),
        ] {
            if days > MAX_SETTING_DAYS {
                return Err(DomainError::SettingOutOfRange {
                    field,
                    value: Decimal::from(days),
                });
            }
        }
        validate::percent("discount_approval_threshold", self.discount_approval_threshold)
    }
}

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
    /// Sales settings.
    #[serde(default)]
    pub settings: CompanySettings,
}

/// Command: change the company's sales settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeCompanySettings {
    /// The new settings.
    pub settings: CompanySettings,
}

/// Event: the company's sales settings changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanySettingsChanged {
    /// The company.
    pub company_id: CompanyId,
    /// The new settings.
    pub settings: CompanySettings,
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
    /// Sales settings (defaults for logs written before settings existed).
    #[serde(default)]
    pub settings: CompanySettings,
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
    /// Sales settings.
    pub settings: CompanySettings,
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
            settings: e.settings,
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
    cmd.settings.validate()?;
    Ok(vec![Event::CompanySetUp(CompanySetUp {
        company_id: cmd.company_id,
        name: cmd.name.clone(),
        base_currency: cmd.base_currency,
        other_currencies: cmd.other_currencies.clone(),
        rounding: cmd.rounding,
        settings: cmd.settings,
    })])
}

pub(crate) fn change_settings(book: &Book, cmd: &ChangeCompanySettings) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    cmd.settings.validate()?;
    Ok(vec![Event::CompanySettingsChanged(CompanySettingsChanged {
        company_id: company.id,
        settings: cmd.settings,
    })])
}
