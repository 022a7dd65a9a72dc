//! Price lists and the price of an order line.
//!
//! A price list has a currency and rules. A rule applies to one product, to a product
//! category, or to all products; from a minimum quantity (a quantity break); within an
//! optional validity period; and gives a fixed unit price, a percentage off the product's
//! list price, or a percentage off the price another price list gives.
//!
//! **Which rule wins.** Among the rules of the list that are valid on the pricing date and
//! whose minimum quantity the line reaches: the most specific scope (product over category
//! over all products), then the highest quantity break, then the rule added last. No rule:
//! the product's list price. A computed price is rounded to the currency's precision with
//! the company rule. The price and its source (list price, which rule of which list, or a
//! manual override) are stored on the order line, so "why this price" is answerable from
//! the log.
//!
//! Price lists are kept in the company currency: orders are in the company currency until
//! invoices in other currencies (with exchange rates) exist.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::book::Book;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{ActorId, PriceListId, PriceRuleId, ProductId};
use crate::money::{CurrencyCode, Money};
use crate::product::Product;
use crate::validate;

/// What a price rule applies to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RuleScope {
    /// Every product.
    AllProducts,
    /// Products of one category.
    Category(String),
    /// One product.
    Product(ProductId),
}

impl RuleScope {
    fn specificity(&self) -> u8 {
        match self {
            Self::AllProducts => 0,
            Self::Category(_) => 1,
            Self::Product(_) => 2,
        }
    }

    fn covers(&self, product: &Product) -> bool {
        match self {
            Self::AllProducts => true,
            Self::Category(category) => product.category.as_ref() == Some(category),
            Self::Product(id) => *id == product.id,
        }
    }
}

/// How a rule prices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RulePrice {
    /// This unit price.
    Fixed(Money),
    /// The product's list price less this percentage.
    PercentOffList(Decimal),
    /// The price another list gives, less this percentage.
    PercentOffPriceList {
        /// The list whose price is the base.
        base: PriceListId,
        /// Percentage off that price.
        percent: Decimal,
    },
}

/// One rule of a price list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceRule {
    /// The rule's id.
    pub rule_id: PriceRuleId,
    /// What it applies to.
    pub scope: RuleScope,
    /// Applies from this quantity (in the product's unit) upwards.
    #[serde(default)]
    pub min_quantity: Decimal,
    /// First day it applies.
    #[serde(default)]
    pub valid_from: Option<NaiveDate>,
    /// Last day it applies.
    #[serde(default)]
    pub valid_until: Option<NaiveDate>,
    /// The price it gives.
    pub price: RulePrice,
}

impl PriceRule {
    fn applies(&self, product: &Product, quantity: Decimal, date: NaiveDate) -> bool {
        self.scope.covers(product)
            && quantity >= self.min_quantity
            && self.valid_from.is_none_or(|from| date >= from)
            && self.valid_until.is_none_or(|until| date <= until)
    }
}

/// Command: create a price list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatePriceList {
    /// The new list's id.
    pub price_list_id: PriceListId,
    /// Name.
    pub name: String,
    /// Currency of its prices (the company currency).
    pub currency: CurrencyCode,
}

/// Event: a price list was created.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceListCreated {
    /// The list's id.
    pub price_list_id: PriceListId,
    /// Name.
    pub name: String,
    /// Currency.
    pub currency: CurrencyCode,
}

/// Command: add a rule to a price list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddPriceRule {
    /// The list.
    pub price_list_id: PriceListId,
    /// The rule.
    pub rule: PriceRule,
}

/// Event: a rule was added to a price list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceRuleAdded {
    /// The list.
    pub price_list_id: PriceListId,
    /// The rule.
    pub rule: PriceRule,
}

/// Command: take a rule out of a price list (lines already priced by it keep their price).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovePriceRule {
    /// The list.
    pub price_list_id: PriceListId,
    /// The rule.
    pub rule_id: PriceRuleId,
    /// Why.
    pub reason: String,
}

/// Event: a rule was taken out of a price list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceRuleRemoved {
    /// The list.
    pub price_list_id: PriceListId,
    /// The rule.
    pub rule_id: PriceRuleId,
    /// Why.
    pub reason: String,
}

/// A price list's state: its rules in the order they were added.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceList {
    /// The list's id.
    pub id: PriceListId,
    /// Name.
    pub name: String,
    /// Currency.
    pub currency: CurrencyCode,
    /// Rules, oldest first.
    pub rules: Vec<PriceRule>,
}

/// Where a line's unit price came from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PriceSource {
    /// The product's list price (no price list, or no rule of it applied).
    #[default]
    ListPrice,
    /// A rule of a price list.
    Rule {
        /// The list.
        price_list_id: PriceListId,
        /// The winning rule.
        rule_id: PriceRuleId,
    },
    /// Set by hand by an authorised person.
    Manual {
        /// Who set it.
        by: ActorId,
        /// Why.
        reason: String,
    },
}

/// A unit price and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quote {
    /// The unit price.
    pub unit_price: Money,
    /// Its source.
    pub source: PriceSource,
}

/// The unit price of `quantity` of `product` on `date` under `price_list` (or the list
/// price without one).
pub fn quote(
    book: &Book,
    price_list: Option<PriceListId>,
    product: &Product,
    quantity: Decimal,
    date: NaiveDate,
) -> Result<Quote, DomainError> {
    let Some(list_id) = price_list else {
        return Ok(Quote {
            unit_price: product.list_price,
            source: PriceSource::ListPrice,
        });
    };
    let list = book.require_price_list(list_id)?;
    let winner = list
        .rules
        .iter()
        .enumerate()
        .filter(|(_, rule)| rule.applies(product, quantity, date))
        .max_by_key(|(index, rule)| (rule.scope.specificity(), rule.min_quantity, *index))
        .map(|(_, rule)| rule);
    let Some(rule) = winner else {
        return Ok(Quote {
            unit_price: product.list_price,
            source: PriceSource::ListPrice,
        });
    };
    let company = book.require_company()?;
    let currency = company.currency(list.currency)?;
    let off =
        |base: Decimal, percent: Decimal| base * (Decimal::ONE_HUNDRED - percent) / Decimal::ONE_HUNDRED;
    let exact = match &rule.price {
        RulePrice::Fixed(price) => price.amount,
        RulePrice::PercentOffList(percent) => off(product.list_price.amount, *percent),
        RulePrice::PercentOffPriceList { base, percent } => off(
            quote(book, Some(*base), product, quantity, date)?
                .unit_price
                .amount,
            *percent,
        ),
    };
    Ok(Quote {
        unit_price: Money::new(company.rounding.round(exact, currency.decimals), list.currency),
        source: PriceSource::Rule {
            price_list_id: list.id,
            rule_id: rule.rule_id,
        },
    })
}

/// True when pricing through `from` can reach `to` (following percent-off-list rules).
fn depends_on(book: &Book, from: PriceListId, to: PriceListId) -> bool {
    let mut pending = vec![from];
    let mut seen = Vec::new();
    while let Some(list_id) = pending.pop() {
        if list_id == to {
            return true;
        }
        if seen.contains(&list_id) {
            continue;
        }
        seen.push(list_id);
        if let Some(list) = book.price_list(list_id) {
            for rule in &list.rules {
                if let RulePrice::PercentOffPriceList { base, .. } = rule.price {
                    pending.push(base);
                }
            }
        }
    }
    false
}

pub(crate) fn create_list(book: &Book, cmd: &CreatePriceList) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    book.require_unused(cmd.price_list_id.0)?;
    validate::name("name", &cmd.name)?;
    company.currency(cmd.currency)?;
    if cmd.currency != company.base_currency.code {
        return Err(DomainError::CurrencyMismatch {
            expected: company.base_currency.code,
            found: cmd.currency,
        });
    }
    Ok(vec![Event::PriceListCreated(PriceListCreated {
        price_list_id: cmd.price_list_id,
        name: cmd.name.clone(),
        currency: cmd.currency,
    })])
}

pub(crate) fn add_rule(book: &Book, cmd: &AddPriceRule) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    let list = book.require_price_list(cmd.price_list_id)?;
    let rule = &cmd.rule;
    book.require_unused(rule.rule_id.0)?;
    match &rule.scope {
        RuleScope::AllProducts => {}
        RuleScope::Category(category) => validate::name("scope.category", category)?,
        RuleScope::Product(product_id) => {
            book.require_product(*product_id)?;
        }
    }
    if rule.min_quantity < Decimal::ZERO {
        return Err(DomainError::NegativeQuantity {
            quantity: rule.min_quantity,
        });
    }
    if let (Some(from), Some(until)) = (rule.valid_from, rule.valid_until) {
        if until < from {
            return Err(DomainError::InvalidPeriod { from, until });
        }
    }
    match &rule.price {
        RulePrice::Fixed(price) => {
            validate::in_currency(list.currency, price)?;
            validate::positive_amount(company, price)?;
        }
        RulePrice::PercentOffList(percent) => validate::percent("price.percent", *percent)?,
        RulePrice::PercentOffPriceList { base, percent } => {
            validate::percent("price.percent", *percent)?;
            book.require_price_list(*base)?;
            if depends_on(book, *base, list.id) {
                return Err(DomainError::PriceListCycle {
                    price_list_id: list.id,
                    base: *base,
                });
            }
        }
    }
    Ok(vec![Event::PriceRuleAdded(PriceRuleAdded {
        price_list_id: list.id,
        rule: rule.clone(),
    })])
}

pub(crate) fn remove_rule(book: &Book, cmd: &RemovePriceRule) -> Result<Vec<Event>, DomainError> {
    book.require_company()?;
    let list = book.require_price_list(cmd.price_list_id)?;
    validate::name("reason", &cmd.reason)?;
    if !list.rules.iter().any(|r| r.rule_id == cmd.rule_id) {
        return Err(DomainError::UnknownPriceRule {
            price_list_id: list.id,
            rule_id: cmd.rule_id,
        });
    }
    Ok(vec![Event::PriceRuleRemoved(PriceRuleRemoved {
        price_list_id: list.id,
        rule_id: cmd.rule_id,
        reason: cmd.reason.clone(),
    })])
}

/// Folds the price-list events.
pub(crate) fn apply(book: &mut Book, event: &Event) {
    match event {
        Event::PriceListCreated(e) => {
            book.price_lists.insert(
                e.price_list_id,
                PriceList {
                    id: e.price_list_id,
                    name: e.name.clone(),
                    currency: e.currency,
                    rules: Vec::new(),
                },
            );
        }
        Event::PriceRuleAdded(e) => {
            if let Some(list) = book.price_lists.get_mut(&e.price_list_id) {
                list.rules.push(e.rule.clone());
            }
        }
        Event::PriceRuleRemoved(e) => {
            if let Some(list) = book.price_lists.get_mut(&e.price_list_id) {
                list.rules.retain(|r| r.rule_id != e.rule_id);
            }
        }
        _ => {}
    }
}
