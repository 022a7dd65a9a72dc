//! Taxes and fiscal positions, and the tax computation of an invoice line.
//!
//! A tax is a percentage of its base or a fixed amount per unit; it is either included in
//! the price (the price already contains it) or added to it; an added tax may be included
//! in the base of the added taxes after it on the same line. A product names the taxes its
//! sales carry, in order.
//!
//! **Computation of a line** (quantity `q`, gross amount `g = q × net unit price`):
//! the untaxed base `b = (g − q × Σ fixed included taxes) / (1 + Σ included rates)`; an
//! included tax is `b × rate` or `q × amount`; an added tax is `rate ×` (the base plus the
//! amounts of the earlier added taxes that are included in later bases), or `q × amount`.
//!
//! **Rounding** (a company setting, both half away from zero at the currency's precision):
//! per line, every tax amount is rounded on its line and the document's tax is the sum of
//! the rounded amounts; per document, the unrounded amounts of each tax are summed over the
//! lines and rounded once. Included taxes are always rounded per line, so a tax-included
//! price is exactly what the customer pays: the line's untaxed amount is its rounded gross
//! amount less its rounded included taxes. Worked example, two added 10% taxes on three
//! lines of 0.05: per line each tax is 0.005, rounded to 0.01, three times: 0.03 per tax,
//! total 0.21; per document each tax is 0.015, rounded once to 0.02: total 0.19.
//!
//! **Fiscal positions** replace or remove taxes for a customer's tax treatment: one for
//! exempt customers (used only while the exemption certificate is valid on the invoice
//! date; after its expiry the normal taxes apply; the customer's current certificate
//! documents, when it has any, give the expiry) and one for exports.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::book::Book;
use crate::customer::TaxTreatment;
use crate::document;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{CompanyId, CustomerId, TaxId};
use crate::money::Money;
use crate::validate;

/// How a tax is computed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaxComputation {
    /// A percentage of the base.
    Percent(Decimal),
    /// A fixed amount per unit (in the company currency).
    FixedPerUnit(Money),
}

/// A tax.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tax {
    /// The tax's id.
    pub tax_id: TaxId,
    /// Name shown on invoices.
    pub name: String,
    /// How it is computed.
    pub computation: TaxComputation,
    /// The price already contains it.
    #[serde(default)]
    pub price_included: bool,
    /// It is part of the base of the added taxes after it.
    #[serde(default)]
    pub affects_later: bool,
}

/// Command: define a tax.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefineTax {
    /// The tax.
    #[serde(flatten)]
    pub tax: Tax,
}

/// Event: a tax was defined. Recorded on the company's stream.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxDefined {
    /// The company.
    pub company_id: CompanyId,
    /// The tax.
    pub tax: Tax,
}

/// The tax treatments a fiscal position is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum FiscalTreatment {
    /// Customers exempt under a valid certificate.
    Exempt,
    /// Export sales.
    Export,
}

/// A tax replaced (or removed, with `to: None`) by a fiscal position.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxMapping {
    /// The tax a product names.
    pub from: TaxId,
    /// The tax that applies instead, if any.
    pub to: Option<TaxId>,
}

/// Command: set the fiscal position of a tax treatment (replaces the previous one).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetFiscalPosition {
    /// The treatment.
    pub treatment: FiscalTreatment,
    /// Its mappings; taxes not mapped apply unchanged.
    pub mappings: Vec<TaxMapping>,
}

/// Event: a fiscal position was set. Recorded on the company's stream.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiscalPositionSet {
    /// The company.
    pub company_id: CompanyId,
    /// The treatment.
    pub treatment: FiscalTreatment,
    /// Its mappings.
    pub mappings: Vec<TaxMapping>,
}

/// How tax amounts are rounded (a company setting).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaxRounding {
    /// Each tax amount on each line.
    #[default]
    PerLine,
    /// Each tax once per document, on the summed unrounded amounts.
    PerDocument,
}

/// The unrounded amounts of one line: base and each tax.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineTaxes {
    /// Untaxed base.
    pub base: Decimal,
    /// Each tax's amount, in the order the taxes apply.
    pub amounts: Vec<(TaxId, Decimal)>,
}

pub(crate) fn define(book: &Book, cmd: &DefineTax) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    let tax = &cmd.tax;
    book.require_unused(tax.tax_id.0)?;
    validate::name("name", &tax.name)?;
    match &tax.computation {
        TaxComputation::Percent(rate) => validate::percent("computation", *rate)?,
        TaxComputation::FixedPerUnit(amount) => {
            validate::in_currency(company.base_currency.code, amount)?;
            validate::positive_amount(company, amount)?;
        }
    }
    if tax.price_included && tax.affects_later {
        return Err(DomainError::IncludedTaxAffectsLater { tax_id: tax.tax_id });
    }
    Ok(vec![Event::TaxDefined(TaxDefined {
        company_id: company.id,
        tax: tax.clone(),
    })])
}

pub(crate) fn set_fiscal_position(book: &Book, cmd: &SetFiscalPosition) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    for (index, mapping) in cmd.mappings.iter().enumerate() {
        book.require_tax(mapping.from)?;
        if let Some(to) = mapping.to {
            book.require_tax(to)?;
        }
        if cmd.mappings[..index].iter().any(|m| m.from == mapping.from) {
            return Err(DomainError::DuplicateTaxMapping { tax_id: mapping.from });
        }
    }
    Ok(vec![Event::FiscalPositionSet(FiscalPositionSet {
        company_id: company.id,
        treatment: cmd.treatment,
        mappings: cmd.mappings.clone(),
    })])
}

/// The fiscal treatment that applies to a customer on a date: exempt only while the
/// certificate is valid. An exempt customer's current tax-exemption-certificate documents,
/// when it has any, decide the validity (one valid on the date suffices; the expiry in the
/// tax treatment is then not read); without one, the tax treatment's expiry does (see
/// [`crate::document`]).
pub fn treatment_on(book: &Book, customer: CustomerId, date: chrono::NaiveDate) -> Option<FiscalTreatment> {
    match &book.customer(customer)?.details.tax_treatment {
        TaxTreatment::Taxable => None,
        TaxTreatment::Exempt { expires_on, .. } => document::certificate_valid_on(book, customer, date)
            .unwrap_or_else(|| expires_on.is_none_or(|expiry| date <= expiry))
            .then_some(FiscalTreatment::Exempt),
        TaxTreatment::Export => Some(FiscalTreatment::Export),
    }
}

/// The taxes a product's sale to a customer carries on a date, fiscal position applied.
pub fn taxes_for(
    book: &Book,
    customer: CustomerId,
    product_taxes: &[TaxId],
    date: chrono::NaiveDate,
) -> Vec<TaxId> {
    let position = treatment_on(book, customer, date).and_then(|t| book.fiscal_position(t));
    product_taxes
        .iter()
        .filter_map(
            |tax| match position.and_then(|p| p.iter().find(|m| m.from == *tax)) {
                Some(mapping) => mapping.to,
                None => Some(*tax),
            },
        )
        .collect()
}

/// The unrounded base and tax amounts of `quantity` at a gross amount (tax-included where
/// included taxes apply).
pub fn compute(taxes: &[&Tax], quantity: Decimal, gross: Decimal, rate_to_invoice: Decimal) -> LineTaxes {
    let fixed = |tax: &Tax| match &tax.computation {
        TaxComputation::FixedPerUnit(amount) => Some(quantity * amount.amount / rate_to_invoice),
        TaxComputation::Percent(_) => None,
    };
    let included: Vec<&&Tax> = taxes.iter().filter(|t| t.price_included).collect();
    let included_fixed: Decimal = included.iter().filter_map(|t| fixed(t)).sum();
    let included_rate: Decimal = included
        .iter()
        .filter_map(|t| match t.computation {
            TaxComputation::Percent(rate) => Some(rate),
            TaxComputation::FixedPerUnit(_) => None,
        })
        .sum();
    let base = (gross - included_fixed) / (Decimal::ONE + included_rate / Decimal::ONE_HUNDRED);
    let mut later_base = Decimal::ZERO;
    let mut amounts = Vec::with_capacity(taxes.len());
    for tax in taxes {
        let amount = match (&tax.computation, tax.price_included) {
            (TaxComputation::Percent(rate), true) => base * rate / Decimal::ONE_HUNDRED,
            (TaxComputation::Percent(rate), false) => (base + later_base) * rate / Decimal::ONE_HUNDRED,
            (TaxComputation::FixedPerUnit(_), _) => fixed(tax).unwrap_or_default(),
        };
        if tax.affects_later && !tax.price_included {
            later_base += amount;
        }
        amounts.push((tax.tax_id, amount));
    }
    LineTaxes { base, amounts }
}
