//! Substitutes: when a product is short, a sales manager may switch an order line to one
//! of the product's substitutes (before anything of the line is picked or shipped). The
//! line's stock reservations are released (reserve again for the substitute). The line
//! takes the substitute's price from the order's price list, unless the decision keeps the
//! line's price; the invoice then follows the line. The event records the original, the
//! substitute, the price decision, who (its envelope) and why.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::quotation::{RequestedLine, price_line};
use super::reservation::{QuantReservation, apply_quants, stock_allocations};
use super::{OrderStatus, QuotedLine};
use crate::book::Book;
use crate::context::CommandContext;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{OrderId, ProductId};
use crate::money::Money;
use crate::pricing::PriceSource;
use crate::validate;

/// Command: switch an order line to a substitute product.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubstituteProduct {
    /// The order.
    pub order_id: OrderId,
    /// The line.
    pub line: u32,
    /// The substitute (one of the line product's substitutes).
    pub substitute_id: ProductId,
    /// Keep the line's unit price instead of pricing the substitute.
    #[serde(default)]
    pub keep_price: bool,
    /// Why.
    pub reason: String,
}

/// Event: an order line was switched to a substitute product.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineSubstituted {
    /// The order.
    pub order_id: OrderId,
    /// The line.
    pub line: u32,
    /// The product it had.
    pub original_id: ProductId,
    /// The product it has now.
    pub substitute_id: ProductId,
    /// Stock units of the substitute per unit of the line.
    pub stock_per_unit: Decimal,
    /// The line's unit price from now on.
    pub unit_price: Money,
    /// Where that price comes from.
    pub price_source: PriceSource,
    /// True when the decision kept the line's price.
    pub kept_price: bool,
    /// Reservations of the original released.
    pub released: Vec<QuantReservation>,
    /// Why.
    pub reason: String,
}

pub(crate) fn substitute(
    book: &Book,
    cmd: &SubstituteProduct,
    ctx: &CommandContext,
) -> Result<Vec<Event>, DomainError> {
    book.require_company()?;
    let order = book.require_order(cmd.order_id)?;
    order.require_status(&[OrderStatus::Draft, OrderStatus::Sent, OrderStatus::Confirmed])?;
    let line = order.line(cmd.line).ok_or(DomainError::UnknownOrderLine {
        order_id: order.id,
        line: cmd.line,
    })?;
    validate::name("reason", &cmd.reason)?;
    let original = book.require_product(line.product_id)?;
    if !original.substitutes.contains(&cmd.substitute_id) {
        return Err(DomainError::NotASubstitute {
            product_id: original.id,
            substitute_id: cmd.substitute_id,
        });
    }
    book.require_product(cmd.substitute_id)?;
    if line.delivered > Decimal::ZERO || line.picked > Decimal::ZERO {
        return Err(DomainError::LineAlreadyInFulfilment {
            order_id: order.id,
            line: line.line,
        });
    }
    // Prices the substitute for the line's quantity in the line's unit (also checks that
    // the unit converts into the substitute's stock unit).
    let requested = RequestedLine {
        product_id: cmd.substitute_id,
        quantity: line.quantity,
        discount_percent: line.discount_percent,
        promised_date: line.promised_date,
        unit: Some(line.unit.clone()),
        warehouse_id: Some(line.warehouse_id),
    };
    let priced: QuotedLine = price_line(
        book,
        order.warehouse_id,
        order.price_list_id,
        line.line,
        &requested,
        ctx.business_date(),
    )?;
    let (unit_price, price_source) = if cmd.keep_price {
        (line.unit_price, line.price_source.clone())
    } else {
        (priced.unit_price, priced.price_source)
    };
    let (_, stock) = stock_allocations(book, order);
    let released = stock.into_iter().filter(|q| q.line == line.line).collect();
    Ok(vec![Event::LineSubstituted(LineSubstituted {
        order_id: order.id,
        line: line.line,
        original_id: original.id,
        substitute_id: cmd.substitute_id,
        stock_per_unit: priced.stock_per_unit,
        unit_price,
        price_source,
        kept_price: cmd.keep_price,
        released,
        reason: cmd.reason.clone(),
    })])
}

pub(crate) fn apply(book: &mut Book, e: &LineSubstituted) {
    apply_quants(book, e.order_id, &e.released, Decimal::NEGATIVE_ONE);
    if let Some(line) = book.orders.get_mut(&e.order_id).and_then(|o| o.line_mut(e.line)) {
        line.product_id = e.substitute_id;
        line.stock_per_unit = e.stock_per_unit;
        line.unit_price = e.unit_price;
        line.price_source = e.price_source.clone();
    }
}
