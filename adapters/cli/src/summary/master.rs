//! Summaries of master-data events: the company and its settings, units, customers and
//! groups, products, price lists, warehouses and locations, taxes, exchange rates and
//! payment terms.

use o2c::company::{CompanySetUp, CompanySettingsChanged};
use o2c::customer::{
    CreditLimitSet, CustomerBlocked, CustomerChanged, CustomerDeactivated, CustomerDetails,
    CustomerGroupRegistered, CustomerReactivated, CustomerRegistered, CustomerUnblocked,
};
use o2c::exchange::ExchangeRateSet;
use o2c::location::{LocationKind, LocationRegistered, RemovalStrategy, RemovalStrategySet, RemovalTarget};
use o2c::money::RoundingRule;
use o2c::payment_term::{Delay, PaymentTermDefined, TermAmount};
use o2c::pricing::{PriceListCreated, PriceRuleAdded, PriceRuleRemoved, RulePrice, RuleScope};
use o2c::product::{ProductChanged, ProductRegistered};
use o2c::tax::{FiscalPositionSet, FiscalTreatment, TaxComputation, TaxDefined};
use o2c::unit::UnitDefined;
use o2c::warehouse::{OutboundRoute, ReservationPolicy, WarehouseConfigured, WarehouseRegistered};

use super::{Names, because, listed, short};
use crate::format;

pub(super) fn company_set_up(e: &CompanySetUp, _names: &Names<'_>) -> String {
    let others: Vec<String> = e.other_currencies.iter().map(|c| c.code.to_string()).collect();
    let also = if others.is_empty() {
        String::new()
    } else {
        format!(", also {}", others.join(", "))
    };
    let rounding = match e.rounding {
        RoundingRule::HalfAwayFromZero => "half away from zero",
        RoundingRule::HalfEven => "half to even",
    };
    format!(
        "Company {} set up: books in {} ({} decimals){also}, rounding {rounding}",
        e.name, e.base_currency.code, e.base_currency.decimals
    )
}

pub(super) fn company_settings_changed(e: &CompanySettingsChanged) -> String {
    let s = &e.settings;
    format!(
        "Company settings changed: quotations valid {} days, discounts above {} need approval, {} days' grace \
         on overdue invoices, write-off tolerance {}, {} dunning level(s)",
        s.quotation_validity_days,
        format::percent(s.discount_approval_threshold),
        s.overdue_grace_days,
        format::quantity(s.write_off_tolerance),
        s.dunning_levels.len()
    )
}

pub(super) fn unit_defined(e: &UnitDefined) -> String {
    let u = &e.unit;
    format!(
        "Unit {} defined: {} of the {} reference unit, {} decimal(s)",
        u.code,
        format::quantity(u.factor),
        u.category,
        u.decimals
    )
}

pub(super) fn removal_strategy_set(e: &RemovalStrategySet, names: &Names<'_>) -> String {
    let strategy = match e.strategy {
        RemovalStrategy::Fifo => "first in, first out",
        RemovalStrategy::Fefo => "first expiry, first out",
    };
    let target = match &e.target {
        RemovalTarget::Category(category) => format!("category {category}"),
        RemovalTarget::Location(location) => format!("location {}", names.location(*location)),
    };
    format!("Goods of {target} leave {strategy}")
}

pub(super) fn customer_group_registered(e: &CustomerGroupRegistered, names: &Names<'_>) -> String {
    let limit = e
        .default_credit_limit
        .map(|l| format!(", default credit limit {}", names.money(&l)))
        .unwrap_or_default();
    format!("Customer group {} registered{limit}", e.name)
}

fn details(d: &CustomerDetails) -> String {
    let tax_id = d
        .tax_id
        .as_ref()
        .map(|t| format!(", tax id {t}"))
        .unwrap_or_default();
    format!("payment term {} days{tax_id}", d.payment_term_days)
}

pub(super) fn customer_registered(e: &CustomerRegistered, names: &Names<'_>) -> String {
    let limit = e
        .credit_limit
        .map(|l| format!(", credit limit {}", names.money(&l)))
        .unwrap_or_default();
    format!(
        "Customer {} registered: {}{limit}",
        e.details.name,
        details(&e.details)
    )
}

pub(super) fn customer_changed(e: &CustomerChanged) -> String {
    format!(
        "Customer details changed: {}, {}",
        e.details.name,
        details(&e.details)
    )
}

pub(super) fn credit_limit_set(e: &CreditLimitSet, names: &Names<'_>) -> String {
    match e.credit_limit {
        Some(limit) => format!(
            "Credit limit of {} set to {}{}",
            names.customer(e.customer_id),
            names.money(&limit),
            because(&e.reason)
        ),
        None => format!(
            "Credit limit of {} removed (the group's applies, or none){}",
            names.customer(e.customer_id),
            because(&e.reason)
        ),
    }
}

pub(super) fn customer_blocked(e: &CustomerBlocked, names: &Names<'_>) -> String {
    format!(
        "Customer {} blocked{}",
        names.customer(e.customer_id),
        because(&e.reason)
    )
}

pub(super) fn customer_unblocked(e: &CustomerUnblocked, names: &Names<'_>) -> String {
    format!(
        "Customer {} unblocked{}",
        names.customer(e.customer_id),
        because(&e.reason)
    )
}

pub(super) fn customer_deactivated(e: &CustomerDeactivated, names: &Names<'_>) -> String {
    format!(
        "Customer {} deactivated{}",
        names.customer(e.customer_id),
        because(&e.reason)
    )
}

pub(super) fn customer_reactivated(e: &CustomerReactivated, names: &Names<'_>) -> String {
    format!(
        "Customer {} reactivated{}",
        names.customer(e.customer_id),
        because(&e.reason)
    )
}

pub(super) fn product_registered(e: &ProductRegistered, names: &Names<'_>) -> String {
    format!(
        "Product {} ({}) registered: list price {} per {}",
        e.sku,
        e.name,
        names.money(&e.list_price),
        e.unit.code
    )
}

pub(super) fn product_changed(e: &ProductChanged, names: &Names<'_>) -> String {
    let floor = e
        .floor_price
        .map(|f| format!(", floor price {}", names.money(&f)))
        .unwrap_or_default();
    format!(
        "Product {} changed: {}, list price {}{floor}",
        names.product(e.product_id),
        e.name,
        names.money(&e.list_price)
    )
}

pub(super) fn price_list_created(e: &PriceListCreated) -> String {
    format!("Price list {} created in {}", e.name, e.currency)
}

pub(super) fn price_rule_added(e: &PriceRuleAdded, names: &Names<'_>) -> String {
    let rule = &e.rule;
    let scope = match &rule.scope {
        RuleScope::AllProducts => "every product".to_string(),
        RuleScope::Category(category) => format!("category {category}"),
        RuleScope::Product(product) => names.product(*product),
    };
    let price = match &rule.price {
        RulePrice::Fixed(price) => format!("at {}", names.money(price)),
        RulePrice::PercentOffList(percent) => format!("{} off the list price", format::percent(*percent)),
        RulePrice::PercentOffPriceList { base, percent } => {
            format!(
                "{} off price list {}",
                format::percent(*percent),
                names.price_list(*base)
            )
        }
    };
    let from = if rule.min_quantity > o2c::rust_decimal::Decimal::ZERO {
        format!(" from {} units", format::quantity(rule.min_quantity))
    } else {
        String::new()
    };
    format!(
        "Price list {}: {scope} {price}{from}",
        names.price_list(e.price_list_id)
    )
}

pub(super) fn price_rule_removed(e: &PriceRuleRemoved, names: &Names<'_>) -> String {
    format!(
        "Price rule {} removed from price list {}{}",
        short(e.rule_id.0),
        names.price_list(e.price_list_id),
        because(&e.reason)
    )
}

fn route(route: OutboundRoute) -> &'static str {
    match route {
        OutboundRoute::OneStep => "ship directly",
        OutboundRoute::TwoSteps => "pick, then ship",
        OutboundRoute::ThreeSteps => "pick, pack, then ship",
    }
}

fn reservation(policy: ReservationPolicy) -> String {
    match policy {
        ReservationPolicy::Manual => "reserved on request".into(),
        ReservationPolicy::AtConfirmation => "reserved at confirmation".into(),
        ReservationPolicy::DaysBeforePromised(days) => {
            format!("reserved {days} days before the promised date")
        }
    }
}

pub(super) fn warehouse_registered(e: &WarehouseRegistered) -> String {
    format!(
        "Warehouse {} ({}) registered: {}, goods {}",
        e.code,
        e.name,
        route(e.route),
        reservation(e.reservation)
    )
}

pub(super) fn warehouse_configured(e: &WarehouseConfigured, names: &Names<'_>) -> String {
    format!(
        "Warehouse {} configured: {}, goods {}",
        names.warehouse(e.warehouse_id),
        route(e.route),
        reservation(e.reservation)
    )
}

pub(super) fn location_registered(e: &LocationRegistered, names: &Names<'_>) -> String {
    let kind = match e.kind {
        LocationKind::Stock => "stock",
        LocationKind::Packing => "packing",
        LocationKind::Output => "output",
        LocationKind::Returns => "returns",
        LocationKind::Quarantine => "quarantine",
        LocationKind::Scrap => "scrap",
        LocationKind::Supplier => "supplier",
        LocationKind::Customer => "customer",
        LocationKind::InventoryLoss => "inventory loss",
    };
    format!(
        "Location {} ({kind}) registered in warehouse {}, under {}",
        e.code,
        names.warehouse(e.warehouse_id),
        names.location(e.parent_id)
    )
}

pub(super) fn tax_defined(e: &TaxDefined, names: &Names<'_>) -> String {
    let tax = &e.tax;
    let rate = match &tax.computation {
        TaxComputation::Percent(percent) => format::percent(*percent),
        TaxComputation::FixedPerUnit(amount) => format!("{} per unit", names.money(amount)),
    };
    let included = if tax.price_included {
        ", included in prices"
    } else {
        ""
    };
    format!("Tax {} defined: {rate}{included}", tax.name)
}

pub(super) fn fiscal_position_set(e: &FiscalPositionSet, names: &Names<'_>) -> String {
    let who = match e.treatment {
        FiscalTreatment::Exempt => "exempt customers",
        FiscalTreatment::Export => "export customers",
    };
    let mappings = listed(e.mappings.iter().map(|m| match m.to {
        Some(to) => format!("{} becomes {}", names.tax(m.from), names.tax(to)),
        None => format!("{} dropped", names.tax(m.from)),
    }));
    format!("Taxes for {who}: {mappings}")
}

pub(super) fn exchange_rate_set(e: &ExchangeRateSet, names: &Names<'_>) -> String {
    format!(
        "Exchange rate from {}: 1 {} = {}",
        e.date,
        e.currency,
        names.base_amount(e.rate)
    )
}

pub(super) fn payment_term_defined(e: &PaymentTermDefined, names: &Names<'_>) -> String {
    let lines = listed(e.lines.iter().map(|line| {
        let amount = match &line.amount {
            TermAmount::Percent(percent) => format::percent(*percent),
            TermAmount::Fixed(amount) => names.money(amount),
            TermAmount::Balance => "the balance".into(),
        };
        let delay = match line.delay {
            Delay::Days(days) => format!("{days} days"),
            Delay::Months(months) => format!("{months} month(s)"),
        };
        let end = if line.end_of_month { " end of month" } else { "" };
        format!("{amount} at {delay}{end}")
    }));
    let discount = e
        .early_discount
        .as_ref()
        .map(|d| {
            format!(
                "; {} off if paid within {} days",
                format::percent(d.percent),
                d.within_days
            )
        })
        .unwrap_or_default();
    format!("Payment term {} defined: {lines}{discount}", e.name)
}
