//! The company whose book this is: its name, base currency, the other currencies it
//! accepts, its rounding rule, its settings (quotation validity, discount approval
//! threshold, overdue grace days, tax rounding, write-off tolerance, dunning levels, early
//! discount basis, claim service levels, business hours and reopen period, return reasons
//! and validity), and the gapless number sequences of invoices and credit notes (one per
//! fiscal year each).
//!
//! Setting up the company is the first command of every book; every other command is
//! refused with [`DomainError::CompanyNotSetUp`] until then.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::book::Book;
use crate::claim::{self, BusinessHours, ServiceLevel};
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::CompanyId;
use crate::money::{Currency, CurrencyCode, MAX_CURRENCY_DECIMALS, RoundingRule};
use crate::payment_term::EarlyDiscountBasis;
use crate::returns::ReturnReason;
use crate::tax::TaxRounding;
use crate::validate;

/// Sales settings of a company. Missing fields take the documented defaults.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
    /// How invoice taxes are rounded (default per line).
    pub tax_rounding: TaxRounding,
    /// The largest open amount (company currency) a billing clerk may write off (default
    /// 0: none).
    pub write_off_tolerance: Decimal,
    /// Dunning levels, lowest first (default: reminder at 7 days overdue, second
    /// reminder at 21, final notice at 45).
    pub dunning_levels: Vec<DunningLevel>,
    /// What early-payment discounts are computed on (default the untaxed amount).
    pub early_discount_basis: EarlyDiscountBasis,
    /// Claims: the service levels per priority, in business hours (default urgent 2 / 8,
    /// high 4 / 24, normal 8 / 40, low 16 / 80 to first response / resolution).
    pub service_levels: Vec<ServiceLevel>,
    /// Claims: the business hours service levels are measured in (default 09:00–17:00 UTC,
    /// Monday to Friday).
    pub business_hours: BusinessHours,
    /// Claims: a resolved claim may be reopened until this many days after the date of its
    /// resolution (default 14).
    pub claim_reopen_days: u32,
    /// Returns: the reasons a return may be authorised for (default: damaged in transit,
    /// wrong item, not as described, surplus, expired).
    pub return_reasons: Vec<ReturnReason>,
    /// Returns: an authorisation is valid this many days unless it says otherwise
    /// (default 30).
    pub return_validity_days: u32,
}

/// A dunning level: how many days overdue an installment must be to reach it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DunningLevel {
    /// Name, e.g. "Reminder".
    pub name: String,
    /// Days past due.
    pub days_overdue: u32,
}

impl Default for CompanySettings {
    fn default() -> Self {
        Self {
            quotation_validity_days: 30,
            discount_approval_threshold: Decimal::TEN,
            overdue_grace_days: 0,
            multi_warehouse_orders: false,
            tax_rounding: TaxRounding::PerLine,
            write_off_tolerance: Decimal::ZERO,
            dunning_levels: vec![
                DunningLevel {
                    name: "Reminder".into(),
                    days_overdue: 7,
                },
                DunningLevel {
                    name: "Second reminder".into(),
                    days_overdue: 21,
                },
                DunningLevel {
                    name: "Final notice".into(),
                    days_overdue: 45,
                },
            ],
            early_discount_basis: EarlyDiscountBasis::Untaxed,
            service_levels: claim::service_level::default_service_levels(),
            business_hours: BusinessHours::default(),
            claim_reopen_days: 14,
            return_reasons: ReturnReason::defaults(),
            return_validity_days: 30,
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
            ("claim_reopen_days", self.claim_reopen_days),
            ("return_validity_days", self.return_validity_days),
        ] {
            if days > MAX_SETTING_DAYS {
                return Err(DomainError::SettingOutOfRange {
                    field,
                    value: Decimal::from(days),
                });
            }
        }
        validate::percent("discount_approval_threshold", self.discount_approval_threshold)?;
        if self.write_off_tolerance < Decimal::ZERO {
            return Err(DomainError::SettingOutOfRange {
                field: "write_off_tolerance",
                value: self.write_off_tolerance,
            });
        }
        let mut previous = None;
        for level in &self.dunning_levels {
            validate::name("dunning_levels.name", &level.name)?;
            if previous.is_some_and(|p| level.days_overdue <= p) || level.days_overdue > MAX_SETTING_DAYS {
                return Err(DomainError::SettingOutOfRange {
                    field: "dunning_levels",
                    value: Decimal::from(level.days_overdue),
                });
            }
            previous = Some(level.days_overdue);
        }
        claim::service_level::validate_settings(&self.service_levels, &self.business_hours)?;
        crate::returns::validate_reasons(&self.return_reasons)?;
        Ok(())
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Last credit-note sequence number used, per fiscal (calendar) year.
    pub credit_note_sequences: BTreeMap<i32, u32>,
    /// The latest date an invoice or credit note was numbered on: numbers follow dates.
    pub last_numbered_on: Option<NaiveDate>,
}

/// The numbered documents, each with its own gapless sequence per fiscal year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberedDocument {
    /// Invoices: `INV/<year>/<sequence>`.
    Invoice,
    /// Credit notes: `RINV/<year>/<sequence>`.
    CreditNote,
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
        self.next_number(NumberedDocument::Invoice, year)
    }

    /// The sequence number and the number the next document of a kind numbered in `year`
    /// gets.
    pub fn next_number(&self, document: NumberedDocument, year: i32) -> (u32, String) {
        let (sequences, prefix) = match document {
            NumberedDocument::Invoice => (&self.invoice_sequences, "INV"),
            NumberedDocument::CreditNote => (&self.credit_note_sequences, "RINV"),
        };
        let sequence = sequences.get(&year).copied().unwrap_or(0) + 1;
        (sequence, format!("{prefix}/{year}/{sequence:05}"))
    }

    /// Numbers a document dated `date`: refused when an earlier-numbered document carries a
    /// later date, so that numbers always follow dates.
    pub(crate) fn number_on(
        &self,
        document: NumberedDocument,
        date: NaiveDate,
    ) -> Result<(i32, u32, String), DomainError> {
        if let Some(last) = self.last_numbered_on.filter(|last| date < *last) {
            return Err(DomainError::DatedBeforeLastNumbered { date, last });
        }
        let (sequence, number) = self.next_number(document, date.year());
        Ok((date.year(), sequence, number))
    }

    /// Records a number used.
    pub(crate) fn record_number(&mut self, document: NumberedDocument, date: NaiveDate, sequence: u32) {
        let sequences = match document {
            NumberedDocument::Invoice => &mut self.invoice_sequences,
            NumberedDocument::CreditNote => &mut self.credit_note_sequences,
        };
        sequences.insert(date.year(), sequence);
        self.last_numbered_on = Some(self.last_numbered_on.map_or(date, |last| last.max(date)));
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
            settings: e.settings.clone(),
            invoice_sequences: BTreeMap::new(),
            credit_note_sequences: BTreeMap::new(),
            last_numbered_on: None,
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
        settings: cmd.settings.clone(),
    })])
}

pub(crate) fn change_settings(book: &Book, cmd: &ChangeCompanySettings) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    cmd.settings.validate()?;
    Ok(vec![Event::CompanySettingsChanged(CompanySettingsChanged {
        company_id: company.id,
        settings: cmd.settings.clone(),
    })])
}
