//! Quotations: creating one (priced through the customer's price list), editing its lines
//! and discounts while it is a draft or sent, overriding a price, sending it, revalidating
//! an expired one (prices recomputed), and the discount approval that a quotation needs
//! before confirmation when a line's effective discount exceeds the company threshold or
//! its net price falls below the product's floor price.
//!
//! Segregation of duties: the approver must hold the approving role and must be neither
//! the person who created the quotation nor anyone who changed its lines, prices or
//! discounts (so nobody can approve a discount they set by letting a colleague make the
//! last change). Any later change of lines, prices or discounts voids an approval, and an
//! approval covers the reasons it was given for: a reason that appears later (a raised floor
//! price, a lowered threshold) needs a new approval.

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{
    BackorderPolicy, MAX_ORDER_LINES, OrderLine, OrderStatus, QuotedLine, SalesOrder, ShippingPolicy,
    require_quotation,
};
use crate::book::Book;
use crate::context::CommandContext;
use crate::customer::Customer;
use crate::error::{DomainError, Duty};
use crate::event::Event;
use crate::ids::{ActorId, CustomerId, OrderId, PriceListId, ProductId, WarehouseId};
use crate::money::{CurrencyCode, Money};
use crate::pricing::{self, PriceSource};
use crate::validate;

/// A product and quantity asked for on a quotation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestedLine {
    /// The product.
    pub product_id: ProductId,
    /// Quantity in the product's unit.
    pub quantity: Decimal,
    /// Line discount, percent.
    #[serde(default)]
    pub discount_percent: Decimal,
    /// The date promised to the customer.
    #[serde(default)]
    pub promised_date: Option<NaiveDate>,
    /// The unit of `quantity` (default: the product's stock unit); any unit of its
    /// category that is a whole number of stock units' worth.
    #[serde(default)]
    pub unit: Option<String>,
    /// The warehouse shipping this line, when not the order's (needs the company setting
    /// `multi_warehouse_orders`).
    #[serde(default)]
    pub warehouse_id: Option<WarehouseId>,
}

impl RequestedLine {
    /// A line for `quantity` of a product in its stock unit, without discount or promised
    /// date, shipped from the order's warehouse.
    pub fn new(product_id: ProductId, quantity: Decimal) -> Self {
        Self {
            product_id,
            quantity,
            discount_percent: Decimal::ZERO,
            promised_date: None,
            unit: None,
            warehouse_id: None,
        }
    }
}

/// Command: create a quotation (a draft sales order), optionally with lines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateQuotation {
    /// The new order's id.
    pub order_id: OrderId,
    /// Who buys (must be active).
    pub customer_id: CustomerId,
    /// The warehouse that will ship it.
    pub warehouse_id: WarehouseId,
    /// Lines, numbered 1, 2, ... in this order.
    #[serde(default)]
    pub lines: Vec<RequestedLine>,
    /// The customer's own reference (purchase order number), may be empty.
    #[serde(default)]
    pub customer_reference: String,
    /// When the order may ship.
    #[serde(default)]
    pub shipping_policy: ShippingPolicy,
    /// What happens to the rest after a partial shipment (default: the customer's policy).
    #[serde(default)]
    pub backorder_policy: Option<BackorderPolicy>,
    /// Serve this order first when stock is short.
    #[serde(default)]
    pub urgent: bool,
}

/// Command: add a line to a quotation (draft or sent).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddQuotationLine {
    /// The quotation.
    pub order_id: OrderId,
    /// The product.
    pub product_id: ProductId,
    /// Quantity in the line's unit.
    pub quantity: Decimal,
    /// Line discount, percent.
    #[serde(default)]
    pub discount_percent: Decimal,
    /// The date promised to the customer.
    #[serde(default)]
    pub promised_date: Option<NaiveDate>,
    /// The line's unit (default: the product's stock unit).
    #[serde(default)]
    pub unit: Option<String>,
    /// The warehouse shipping the line, when not the order's.
    #[serde(default)]
    pub warehouse_id: Option<WarehouseId>,
}

/// Command: remove a line from a quotation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoveQuotationLine {
    /// The quotation.
    pub order_id: OrderId,
    /// The line number.
    pub line: u32,
}

/// Command: set the order-level discount of a quotation (applied on top of line discounts).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetOrderDiscount {
    /// The quotation.
    pub order_id: OrderId,
    /// Discount, percent.
    pub discount_percent: Decimal,
}

/// Command: set a line's unit price by hand (an authorised role only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverrideLinePrice {
    /// The quotation.
    pub order_id: OrderId,
    /// The line number.
    pub line: u32,
    /// The new unit price, before discounts.
    pub unit_price: Money,
    /// Why.
    pub reason: String,
}

/// Command: mark a draft quotation as sent to the customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendQuotation {
    /// The quotation.
    pub order_id: OrderId,
}

/// Command: recompute a quotation's prices as of today and renew its validity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevalidateQuotation {
    /// The quotation.
    pub order_id: OrderId,
}

/// Command: approve a quotation's discounts and prices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApproveDiscount {
    /// The quotation.
    pub order_id: OrderId,
    /// The approver's note.
    #[serde(default)]
    pub note: String,
}

/// Event: a quotation was created.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotationCreated {
    /// The order's id.
    pub order_id: OrderId,
    /// Who buys.
    pub customer_id: CustomerId,
    /// The shipping warehouse.
    pub warehouse_id: WarehouseId,
    /// The order's currency (the company currency).
    pub currency: CurrencyCode,
    /// The customer's reference.
    pub customer_reference: String,
    /// Priced lines.
    pub lines: Vec<QuotedLine>,
    /// The price list that priced the lines, if any.
    #[serde(default)]
    pub price_list_id: Option<PriceListId>,
    /// Last day it may be confirmed.
    #[serde(default)]
    pub valid_until: Option<NaiveDate>,
    /// When the order may ship.
    #[serde(default)]
    pub shipping_policy: ShippingPolicy,
    /// Its own backorder policy, if any.
    #[serde(default)]
    pub backorder_policy: Option<BackorderPolicy>,
    /// Urgent.
    #[serde(default)]
    pub urgent: bool,
}

/// Event: a line was added to a quotation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotationLineAdded {
    /// The order's id.
    pub order_id: OrderId,
    /// The new priced line.
    pub line: QuotedLine,
}

/// Event: a line was removed from a quotation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotationLineRemoved {
    /// The order's id.
    pub order_id: OrderId,
    /// The removed line's number (never reused).
    pub line: u32,
}

/// Event: the order-level discount was set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderDiscountSet {
    /// The order's id.
    pub order_id: OrderId,
    /// Discount, percent.
    pub discount_percent: Decimal,
}

/// Event: a line's price was set by hand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinePriceOverridden {
    /// The order's id.
    pub order_id: OrderId,
    /// The line number.
    pub line: u32,
    /// The new unit price, before discounts.
    pub unit_price: Money,
    /// Why.
    pub reason: String,
}

/// Event: a quotation was sent to the customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotationSent {
    /// The order's id.
    pub order_id: OrderId,
}

/// A line's new price after revalidation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinePrice {
    /// The line number.
    pub line: u32,
    /// Unit price before discounts.
    pub unit_price: Money,
    /// Where it came from.
    pub price_source: PriceSource,
}

/// Event: a quotation's prices were recomputed and its validity renewed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotationRevalidated {
    /// The order's id.
    pub order_id: OrderId,
    /// New last day it may be confirmed.
    pub valid_until: NaiveDate,
    /// The price list that priced it.
    pub price_list_id: Option<PriceListId>,
    /// New prices of the lines not priced by hand (those keep their price).
    pub prices: Vec<LinePrice>,
}

/// Why a quotation needs approval.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ApprovalReason {
    /// A line's effective discount is above the company threshold.
    DiscountAboveThreshold {
        /// The line.
        line: u32,
        /// Its effective discount, percent.
        discount_percent: Decimal,
        /// The threshold, percent.
        threshold: Decimal,
    },
    /// A line's net unit price is below the product's floor price.
    BelowFloorPrice {
        /// The line.
        line: u32,
        /// Its net unit price (exact).
        net_price: Money,
        /// The product's floor price.
        floor_price: Money,
    },
}

impl ApprovalReason {
    /// The line the reason is about.
    pub fn line(&self) -> u32 {
        match self {
            Self::DiscountAboveThreshold { line, .. } | Self::BelowFloorPrice { line, .. } => *line,
        }
    }
}

/// Event: a quotation's discounts and prices were approved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiscountApproved {
    /// The order's id.
    pub order_id: OrderId,
    /// What was approved.
    pub reasons: Vec<ApprovalReason>,
    /// The approver's note.
    pub note: String,
}

/// Why `order` needs approval before confirmation (empty: it does not).
pub fn approval_reasons(book: &Book, order: &SalesOrder) -> Vec<ApprovalReason> {
    let threshold = book
        .company()
        .map_or(Decimal::ONE_HUNDRED, |c| c.settings.discount_approval_threshold);
    let mut reasons = Vec::new();
    for line in &order.lines {
        let discount = order.effective_discount(line);
        if discount > threshold {
            reasons.push(ApprovalReason::DiscountAboveThreshold {
                line: line.line,
                discount_percent: discount,
                threshold,
            });
        }
        let floor = book.product(line.product_id).and_then(|p| p.floor_price);
        if let Some(floor) = floor {
            // The floor is per stock unit.
            let net = order.net_unit_price(line) / line.stock_per_unit;
            if net < floor.amount {
                reasons.push(ApprovalReason::BelowFloorPrice {
                    line: line.line,
                    net_price: Money::new(net, order.currency),
                    floor_price: floor,
                });
            }
        }
    }
    reasons
}

/// The price list that applies to a customer: its own, else its group's default.
pub(crate) fn price_list_for(book: &Book, customer_id: CustomerId) -> Option<PriceListId> {
    let customer = book.customer(customer_id)?;
    customer.details.price_list_id.or_else(|| {
        let group = book.customer_group(customer.details.group_id?)?;
        group.default_price_list_id
    })
}

/// Prices a requested line on `date` through `price_list`.
/// Prices a requested line on `date` through `price_list`: the line's unit (the product's
/// stock unit unless another unit of its category is asked for), the exact number of stock
/// units per line unit, the unit price for the line's unit (the stock unit's price times
/// that number, exact), and the shipping warehouse when it is not the order's.
pub(crate) fn price_line(
    book: &Book,
    order_warehouse: WarehouseId,
    price_list: Option<PriceListId>,
    line: u32,
    requested: &RequestedLine,
    date: NaiveDate,
) -> Result<QuotedLine, DomainError> {
    let product = book.require_product(requested.product_id)?;
    let stock_unit = book.unit_of(product);
    let line_unit = match &requested.unit {
        Some(code) => book.require_unit(code, product)?,
        None => stock_unit.clone(),
    };
    validate::quantity(requested.quantity, &line_unit.as_unit())?;
    validate::percent("discount_percent", requested.discount_percent)?;
    let stock_per_unit = line_unit.stock_per_unit(&stock_unit)?;
    let stock_quantity = line_unit.convert(requested.quantity, &stock_unit)?;
    let warehouse_id = match requested.warehouse_id {
        Some(warehouse) if warehouse != order_warehouse => {
            book.require_warehouse(warehouse)?;
            if !book.require_company()?.settings.multi_warehouse_orders {
                return Err(DomainError::MultiWarehouseNotAllowed {
                    warehouse_id: warehouse,
                });
            }
            Some(warehouse)
        }
        _ => None,
    };
    let quote = line_quote(book, price_list, product, stock_quantity, stock_per_unit, date)?;
    Ok(QuotedLine {
        line,
        product_id: product.id,
        quantity: requested.quantity,
        unit: line_unit.code.clone(),
        unit_price: quote.unit_price,
        price_source: quote.source,
        discount_percent: requested.discount_percent,
        promised_date: requested.promised_date,
        stock_per_unit,
        warehouse_id,
        invoice_policy: product.invoice_policy,
    })
}

/// The price of a line's unit: the stock unit's price for `stock_quantity` (quantity breaks
/// are in stock units) times the stock units per line unit, exact.
fn line_quote(
    book: &Book,
    price_list: Option<PriceListId>,
    product: &crate::product::Product,
    stock_quantity: Decimal,
    stock_per_unit: Decimal,
    date: NaiveDate,
) -> Result<pricing::Quote, DomainError> {
    let quote = pricing::quote(book, price_list, product, stock_quantity, date)?;
    Ok(pricing::Quote {
        unit_price: Money::new(
            quote.unit_price.amount * stock_per_unit,
            quote.unit_price.currency,
        ),
        source: quote.source,
    })
}

/// The customer, refused when inactive (no new quotations or orders).
pub(crate) fn require_active(book: &Book, customer_id: CustomerId) -> Result<&Customer, DomainError> {
    let customer = book.require_customer(customer_id)?;
    if customer.active {
        Ok(customer)
    } else {
        Err(DomainError::CustomerInactive { customer_id })
    }
}

fn valid_until(book: &Book, ctx: &CommandContext) -> Result<NaiveDate, DomainError> {
    let days = book.require_company()?.settings.quotation_validity_days;
    ctx.business_date()
        .checked_add_days(Days::new(u64::from(days)))
        .ok_or(DomainError::DateOutOfRange)
}

pub(crate) fn create(
    book: &Book,
    cmd: &CreateQuotation,
    ctx: &CommandContext,
) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    book.require_unused(cmd.order_id.0)?;
    let customer = require_active(book, cmd.customer_id)?;
    book.require_warehouse(cmd.warehouse_id)?;
    validate::free_text("customer_reference", &cmd.customer_reference)?;
    if cmd.lines.len() > MAX_ORDER_LINES {
        return Err(DomainError::TooManyLines { max: MAX_ORDER_LINES });
    }
    let price_list = price_list_for(book, customer.id);
    let date = ctx.business_date();
    let lines = (1u32..)
        .zip(&cmd.lines)
        .map(|(n, requested)| price_line(book, cmd.warehouse_id, price_list, n, requested, date))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(vec![Event::QuotationCreated(QuotationCreated {
        order_id: cmd.order_id,
        customer_id: cmd.customer_id,
        warehouse_id: cmd.warehouse_id,
        currency: company.base_currency.code,
        customer_reference: cmd.customer_reference.clone(),
        lines,
        price_list_id: price_list,
        valid_until: Some(valid_until(book, ctx)?),
        shipping_policy: cmd.shipping_policy,
        backorder_policy: cmd.backorder_policy,
        urgent: cmd.urgent,
    })])
}

pub(crate) fn add_line(
    book: &Book,
    cmd: &AddQuotationLine,
    ctx: &CommandContext,
) -> Result<Vec<Event>, DomainError> {
    let order = require_quotation(book, cmd.order_id)?;
    let line = priced_new_line(book, order, &cmd.requested(), ctx)?;
    Ok(vec![Event::QuotationLineAdded(QuotationLineAdded {
        order_id: order.id,
        line,
    })])
}

impl AddQuotationLine {
    fn requested(&self) -> RequestedLine {
        RequestedLine {
            product_id: self.product_id,
            quantity: self.quantity,
            discount_percent: self.discount_percent,
            promised_date: self.promised_date,
            unit: self.unit.clone(),
            warehouse_id: self.warehouse_id,
        }
    }
}

/// Prices a line to be added to `order` (numbered next), within the line limit.
pub(crate) fn priced_new_line(
    book: &Book,
    order: &SalesOrder,
    requested: &RequestedLine,
    ctx: &CommandContext,
) -> Result<QuotedLine, DomainError> {
    if order.lines.len() >= MAX_ORDER_LINES {
        return Err(DomainError::TooManyLines { max: MAX_ORDER_LINES });
    }
    // The quotation's own price list, until a revalidation re-reads the customer's.
    price_line(
        book,
        order.warehouse_id,
        order.price_list_id,
        order.next_line_number(),
        requested,
        ctx.business_date(),
    )
}

fn require_line(order: &SalesOrder, line: u32) -> Result<&OrderLine, DomainError> {
    order.line(line).ok_or(DomainError::UnknownOrderLine {
        order_id: order.id,
        line,
    })
}

pub(crate) fn remove_line(book: &Book, cmd: &RemoveQuotationLine) -> Result<Vec<Event>, DomainError> {
    let order = require_quotation(book, cmd.order_id)?;
    require_line(order, cmd.line)?;
    Ok(vec![Event::QuotationLineRemoved(QuotationLineRemoved {
        order_id: order.id,
        line: cmd.line,
    })])
}

pub(crate) fn set_discount(book: &Book, cmd: &SetOrderDiscount) -> Result<Vec<Event>, DomainError> {
    let order = require_quotation(book, cmd.order_id)?;
    validate::percent("discount_percent", cmd.discount_percent)?;
    Ok(vec![Event::OrderDiscountSet(OrderDiscountSet {
        order_id: order.id,
        discount_percent: cmd.discount_percent,
    })])
}

pub(crate) fn override_price(book: &Book, cmd: &OverrideLinePrice) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    let order = require_quotation(book, cmd.order_id)?;
    require_line(order, cmd.line)?;
    validate::in_currency(order.currency, &cmd.unit_price)?;
    validate::positive_amount(company, &cmd.unit_price)?;
    validate::name("reason", &cmd.reason)?;
    Ok(vec![Event::LinePriceOverridden(LinePriceOverridden {
        order_id: order.id,
        line: cmd.line,
        unit_price: cmd.unit_price,
        reason: cmd.reason.clone(),
    })])
}

pub(crate) fn send(book: &Book, cmd: &SendQuotation) -> Result<Vec<Event>, DomainError> {
    let order = book.require_order(cmd.order_id)?;
    if order.status == OrderStatus::Sent {
        return Err(DomainError::QuotationAlreadySent { order_id: order.id });
    }
    order.require_status(&[OrderStatus::Draft])?;
    if order.lines.is_empty() {
        return Err(DomainError::EmptyOrder { order_id: order.id });
    }
    Ok(vec![Event::QuotationSent(QuotationSent { order_id: order.id })])
}

pub(crate) fn revalidate(
    book: &Book,
    cmd: &RevalidateQuotation,
    ctx: &CommandContext,
) -> Result<Vec<Event>, DomainError> {
    let order = require_quotation(book, cmd.order_id)?;
    require_active(book, order.customer_id)?;
    let price_list = price_list_for(book, order.customer_id);
    let date = ctx.business_date();
    let mut prices = Vec::new();
    for line in order
        .lines
        .iter()
        .filter(|l| !matches!(l.price_source, PriceSource::Manual { .. }))
    {
        let product = book.require_product(line.product_id)?;
        let quote = line_quote(
            book,
            price_list,
            product,
            line.to_stock(line.quantity),
            line.stock_per_unit,
            date,
        )?;
        prices.push(LinePrice {
            line: line.line,
            unit_price: quote.unit_price,
            price_source: quote.source,
        });
    }
    Ok(vec![Event::QuotationRevalidated(QuotationRevalidated {
        order_id: order.id,
        valid_until: valid_until(book, ctx)?,
        price_list_id: price_list,
        prices,
    })])
}

pub(crate) fn approve(
    book: &Book,
    cmd: &ApproveDiscount,
    ctx: &CommandContext,
) -> Result<Vec<Event>, DomainError> {
    let order = require_quotation(book, cmd.order_id)?;
    validate::free_text("note", &cmd.note)?;
    let reasons = approval_reasons(book, order);
    if reasons.is_empty() {
        return Err(DomainError::NoApprovalNeeded { order_id: order.id });
    }
    if unapproved_reasons(order, reasons.clone()).is_empty() {
        return Err(DomainError::AlreadyApproved { order_id: order.id });
    }
    let approver = &ctx.actor.id;
    if *approver == order.created_by || order.price_changers.contains(approver) {
        return Err(DomainError::SegregationOfDuties {
            actor: approver.clone(),
            order_id: order.id,
            duty: Duty::ApproveDiscount,
        });
    }
    Ok(vec![Event::DiscountApproved(DiscountApproved {
        order_id: order.id,
        reasons,
        note: cmd.note.clone(),
    })])
}

/// The reasons an approval does not cover (all of them without an approval).
pub(crate) fn unapproved_reasons(order: &SalesOrder, reasons: Vec<ApprovalReason>) -> Vec<ApprovalReason> {
    if order.discount_approved_by.is_none() {
        return reasons;
    }
    reasons
        .into_iter()
        .filter(|r| !order.approved_reasons.contains(r))
        .collect()
}

/// Records a change of lines, prices or discounts: voids an approval.
pub(crate) fn changed(order: &mut SalesOrder, actor: &ActorId) {
    order.last_changed_by = actor.clone();
    if let Err(at) = order.price_changers.binary_search(actor) {
        order.price_changers.insert(at, actor.clone());
    }
    order.discount_approved_by = None;
    order.approved_reasons.clear();
}

/// Folds the quotation events.
pub(crate) fn apply(book: &mut Book, event: &Event, actor: &ActorId) {
    if let Event::QuotationCreated(e) = event {
        book.orders.insert(
            e.order_id,
            Box::new(SalesOrder {
                id: e.order_id,
                customer_id: e.customer_id,
                warehouse_id: e.warehouse_id,
                currency: e.currency,
                customer_reference: e.customer_reference.clone(),
                status: OrderStatus::Draft,
                lines: e
                    .lines
                    .iter()
                    .map(|l| OrderLine::from_quoted(l, e.warehouse_id))
                    .collect(),
                last_line: e.lines.iter().map(|l| l.line).max().unwrap_or(0),
                price_list_id: e.price_list_id,
                order_discount_percent: Decimal::ZERO,
                valid_until: e.valid_until,
                created_by: actor.clone(),
                last_changed_by: actor.clone(),
                price_changers: vec![actor.clone()],
                discount_approved_by: None,
                approved_reasons: Vec::new(),
                credit_hold: None,
                hold: None,
                shipping_policy: e.shipping_policy,
                backorder_policy: e.backorder_policy,
                urgent: e.urgent,
                confirmed_at: None,
                down_payments: Vec::new(),
            }),
        );
        return;
    }
    let Some(order_id) = event.order_id() else {
        return;
    };
    let Some(order) = book.orders.get_mut(&order_id) else {
        return;
    };
    match event {
        Event::QuotationLineAdded(e) => {
            order.push_line(&e.line);
            changed(order, actor);
        }
        Event::QuotationLineRemoved(e) => {
            order.lines.retain(|l| l.line != e.line);
            changed(order, actor);
        }
        Event::OrderDiscountSet(e) => {
            order.order_discount_percent = e.discount_percent;
            changed(order, actor);
        }
        Event::LinePriceOverridden(e) => {
            if let Some(line) = order.line_mut(e.line) {
                line.unit_price = e.unit_price;
                line.price_source = PriceSource::Manual {
                    by: actor.clone(),
                    reason: e.reason.clone(),
                };
            }
            changed(order, actor);
        }
        Event::QuotationSent(_) => order.status = OrderStatus::Sent,
        Event::QuotationRevalidated(e) => {
            order.valid_until = Some(e.valid_until);
            order.price_list_id = e.price_list_id;
            for price in &e.prices {
                if let Some(line) = order.line_mut(price.line) {
                    line.unit_price = price.unit_price;
                    line.price_source = price.price_source.clone();
                }
            }
            changed(order, actor);
        }
        Event::DiscountApproved(e) => {
            order.discount_approved_by = Some(actor.clone());
            order.approved_reasons = e.reasons.clone();
        }
        _ => {}
    }
}
