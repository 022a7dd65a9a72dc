//! Changing an order: line changes (quotations and confirmed orders), lines added after
//! confirmation, manual holds, closing and reopening, cancelling. Every change after
//! confirmation carries a reason, and the event records the actor (in its envelope).
//!
//! After confirmation a line's quantity may go up or down but never below what has shipped;
//! lowering it below what is delivered plus reserved releases the surplus reservation. The
//! promised date may move. Prices and discounts are fixed at confirmation (a line added
//! later takes the order discount only and must need no approval). A change that makes a
//! confirmed order worth more (a raised quantity, an added line, a reopened order) runs the
//! credit check again, and its event carries the credit hold when one is called for. Closing stops
//! expecting what has not shipped and releases its reservations; reopening expects it
//! again (reserve it again with `ReserveStock`). Cancelling is for orders with nothing
//! shipped and nothing invoiced (drafts cancelled, invoices and down payments credited
//! first); an order that has shipped is closed instead.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::confirmation::{CreditHold, recheck};
use super::quotation::{RequestedLine, approval_reasons, changed, price_line, priced_new_line};
use super::reservation::{
    QuantReservation, apply_quants, auto_reserve, quants_or_legacy, release_everything,
};
use super::{
    BackorderPolicy, LineQuantity, OPEN, OrderLine, OrderStatus, QUOTATION, QuotedLine, SalesOrder,
    ShippingPolicy,
};
use crate::book::Book;
use crate::context::CommandContext;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{ActorId, OrderId};
use crate::invoice::InvoiceStatus;
use crate::picking::{LineMove, apply_returned};
use crate::pricing::{PriceSource, Quote};
use crate::validate;

/// Command: change a line of a quotation or a confirmed order. Omitted fields stay as
/// they are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeOrderLine {
    /// The order.
    pub order_id: OrderId,
    /// The line number.
    pub line: u32,
    /// New quantity (re-priced on a quotation unless its price was set by hand).
    #[serde(default)]
    pub quantity: Option<Decimal>,
    /// New line discount, percent (quotations only).
    #[serde(default)]
    pub discount_percent: Option<Decimal>,
    /// New promised date.
    #[serde(default)]
    pub promised_date: Option<NaiveDate>,
    /// Why (required once the order is confirmed).
    #[serde(default)]
    pub reason: String,
}

/// Command: add a line to a confirmed order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddOrderLine {
    /// The order.
    pub order_id: OrderId,
    /// The line, priced like a quotation line.
    pub requested: RequestedLine,
    /// Why.
    pub reason: String,
}

macro_rules! order_reason_command {
    ($(#[$doc:meta])* $command:ident, $(#[$edoc:meta])* $event:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
        pub struct $command {
            /// The order.
            pub order_id: OrderId,
            /// Why.
            pub reason: String,
        }

        $(#[$edoc])*
        #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
        pub struct $event {
            /// The order.
            pub order_id: OrderId,
            /// Why.
            pub reason: String,
        }
    };
}

order_reason_command!(
    /// Command: put a confirmed order on hold (nothing is reserved or shipped while held).
    HoldOrder,
    /// Event: an order was put on hold.
    OrderHeld
);
order_reason_command!(
    /// Command: release an order's manual hold.
    ReleaseOrder,
    /// Event: an order's manual hold was released.
    OrderReleased
);
/// Command: reopen a closed order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReopenOrder {
    /// The order.
    pub order_id: OrderId,
    /// Why.
    pub reason: String,
}

/// Event: a closed order was reopened (on credit hold if the credit check calls for it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderReopened {
    /// The order.
    pub order_id: OrderId,
    /// Why.
    pub reason: String,
    /// The credit hold the grown exposure calls for, if any.
    #[serde(default)]
    pub credit_hold: Option<CreditHold>,
}

/// Command: set how an order ships: its shipping policy, its own backorder policy (none:
/// the customer's), and whether it is urgent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetFulfilmentPolicy {
    /// The order (not closed or cancelled).
    pub order_id: OrderId,
    /// When it may ship.
    pub shipping_policy: ShippingPolicy,
    /// What happens to the rest after a partial shipment.
    #[serde(default)]
    pub backorder_policy: Option<BackorderPolicy>,
    /// Serve it first when stock is short.
    #[serde(default)]
    pub urgent: bool,
}

/// Event: an order's fulfilment policy was set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FulfilmentPolicySet {
    /// The order.
    pub order_id: OrderId,
    /// When it may ship.
    pub shipping_policy: ShippingPolicy,
    /// Its own backorder policy.
    pub backorder_policy: Option<BackorderPolicy>,
    /// Urgent.
    pub urgent: bool,
}

/// Command: close a confirmed order: what has not shipped is no longer expected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloseOrder {
    /// The order.
    pub order_id: OrderId,
    /// Why.
    pub reason: String,
}

/// Command: cancel an order with nothing shipped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelOrder {
    /// The order.
    pub order_id: OrderId,
    /// Why.
    pub reason: String,
}

/// Event: a line of an order changed; the line's complete new terms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLineChanged {
    /// The order.
    pub order_id: OrderId,
    /// The line number.
    pub line: u32,
    /// Quantity.
    pub quantity: Decimal,
    /// Unit price before discounts.
    pub unit_price: crate::money::Money,
    /// Where it came from.
    pub price_source: PriceSource,
    /// Line discount, percent.
    pub discount_percent: Decimal,
    /// Promised date.
    pub promised_date: Option<NaiveDate>,
    /// Reservation released because the quantity went down, in the line's unit.
    pub released: Decimal,
    /// The quants released (none in logs written before quants existed: the order
    /// warehouse's stock location, untracked).
    #[serde(default)]
    pub released_quants: Vec<QuantReservation>,
    /// Why.
    pub reason: String,
    /// The credit hold a raised quantity calls for, if any.
    #[serde(default)]
    pub credit_hold: Option<CreditHold>,
}

/// Event: a line was added to a confirmed order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLineAdded {
    /// The order.
    pub order_id: OrderId,
    /// The new priced line.
    pub line: QuotedLine,
    /// Why.
    pub reason: String,
    /// The credit hold the added value calls for, if any.
    #[serde(default)]
    pub credit_hold: Option<CreditHold>,
}

/// Event: an order was closed; its reservations were released.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderClosed {
    /// The order.
    pub order_id: OrderId,
    /// Reservations released, in the lines' units.
    pub released: Vec<LineQuantity>,
    /// The quants released (none in logs written before quants existed: the order
    /// warehouse's stock location, untracked).
    #[serde(default)]
    pub released_quants: Vec<QuantReservation>,
    /// Picked goods brought back from packing or output to stock.
    #[serde(default)]
    pub returned: Vec<LineMove>,
    /// Why.
    pub reason: String,
}

/// Event: an order was cancelled; its reservations were released.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderCancelled {
    /// The order.
    pub order_id: OrderId,
    /// Reservations released, in the lines' units.
    pub released: Vec<LineQuantity>,
    /// The quants released (none in logs written before quants existed: the order
    /// warehouse's stock location, untracked).
    #[serde(default)]
    pub released_quants: Vec<QuantReservation>,
    /// Picked goods brought back from packing or output to stock.
    #[serde(default)]
    pub returned: Vec<LineMove>,
    /// Why.
    pub reason: String,
}

fn require_line(order: &SalesOrder, line: u32) -> Result<&OrderLine, DomainError> {
    order.line(line).ok_or(DomainError::UnknownOrderLine {
        order_id: order.id,
        line,
    })
}

pub(crate) fn change_line(
    book: &Book,
    cmd: &ChangeOrderLine,
    ctx: &CommandContext,
) -> Result<Vec<Event>, DomainError> {
    let order = book.require_order(cmd.order_id)?;
    order.require_status(&[OrderStatus::Draft, OrderStatus::Sent, OrderStatus::Confirmed])?;
    let line = require_line(order, cmd.line)?;
    let confirmed = order.status == OrderStatus::Confirmed;
    let unchanged = cmd.quantity.is_none_or(|q| q == line.quantity)
        && cmd.discount_percent.is_none_or(|d| d == line.discount_percent)
        && cmd.promised_date.is_none_or(|d| Some(d) == line.promised_date);
    if unchanged {
        return Err(DomainError::NothingToChange { order_id: order.id });
    }
    if confirmed {
        validate::name("reason", &cmd.reason)?;
        if cmd.discount_percent.is_some_and(|d| d != line.discount_percent) {
            return Err(DomainError::OrderAlreadyConfirmed { order_id: order.id });
        }
    } else {
        validate::free_text("reason", &cmd.reason)?;
    }
    let quantity = cmd.quantity.unwrap_or(line.quantity);
    let discount_percent = cmd.discount_percent.unwrap_or(line.discount_percent);
    let requested = RequestedLine {
        product_id: line.product_id,
        quantity,
        discount_percent,
        promised_date: cmd.promised_date.or(line.promised_date),
        unit: Some(line.unit.clone()),
        warehouse_id: Some(line.warehouse_id),
    };
    // Validates quantity and discount; on a quotation also re-prices for the new quantity.
    let date = ctx.business_date();
    let repriced = price_line(
        book,
        order.warehouse_id,
        order.price_list_id,
        line.line,
        &requested,
        date,
    )?;
    let keep_price = confirmed || matches!(line.price_source, PriceSource::Manual { .. });
    let price = if keep_price {
        Quote {
            unit_price: line.unit_price,
            source: line.price_source.clone(),
        }
    } else {
        Quote {
            unit_price: repriced.unit_price,
            source: repriced.price_source,
        }
    };
    // Never below what has shipped (goods that came back on a return included), is on its
    // way, or was cancelled.
    let in_process = book.in_process(line);
    let floor = line.delivered + line.came_back() + in_process + line.cancelled;
    if quantity < floor {
        return Err(DomainError::QuantityBelowDelivered {
            order_id: order.id,
            line: line.line,
            quantity,
            delivered: floor,
        });
    }
    let in_stock = line.reserved - in_process;
    let still_needed = quantity - floor;
    let released = (in_stock - still_needed).max(Decimal::ZERO);
    let released_quants = release_from_stock(book, line, line.to_stock(released));
    let credit_hold = if confirmed {
        recheck(book, order, order.value_of(line, quantity - line.quantity), date)?
    } else {
        None
    };
    // A raised quantity is reserved at once where the warehouse reserves at confirmation.
    let mut after = order.clone();
    if let Some(changed) = after.line_mut(line.line) {
        changed.quantity = quantity;
    }
    if credit_hold.is_some() {
        after.credit_hold = credit_hold.clone();
    }
    let mut events = vec![Event::OrderLineChanged(OrderLineChanged {
        order_id: order.id,
        line: line.line,
        quantity,
        unit_price: price.unit_price,
        price_source: price.source,
        discount_percent,
        promised_date: requested.promised_date,
        released,
        released_quants,
        reason: cmd.reason.clone(),
        credit_hold,
    })];
    if confirmed && quantity > line.quantity {
        events.extend(auto_reserve(book, &after, date));
    }
    Ok(events)
}

/// The stock allocations of a line to release for `quantity` stock units, the most
/// recently reserved first.
fn release_from_stock(book: &Book, line: &OrderLine, quantity: Decimal) -> Vec<QuantReservation> {
    let mut remaining = quantity;
    let mut released = Vec::new();
    for a in line.allocations.iter().rev() {
        if remaining <= Decimal::ZERO {
            break;
        }
        if !book.is_stock_location(a.location_id) {
            continue;
        }
        let take = a.quantity.min(remaining);
        remaining -= take;
        released.push(line.reservation(a, take));
    }
    released
}

pub(crate) fn add_line(
    book: &Book,
    cmd: &AddOrderLine,
    ctx: &CommandContext,
) -> Result<Vec<Event>, DomainError> {
    let order = book.require_order(cmd.order_id)?;
    if order.status.is_quotation() {
        return Err(DomainError::OrderNotConfirmed { order_id: order.id });
    }
    order.require_status(OPEN)?;
    validate::name("reason", &cmd.reason)?;
    // Discounts are fixed at confirmation: a new line takes the order discount only, and
    // may not need an approval that can no longer be given.
    if !cmd.requested.discount_percent.is_zero() {
        return Err(DomainError::OrderAlreadyConfirmed { order_id: order.id });
    }
    let line = priced_new_line(book, order, &cmd.requested, ctx)?;
    let mut with_line = order.clone();
    with_line.push_line(&line);
    let reasons: Vec<_> = approval_reasons(book, &with_line)
        .into_iter()
        .filter(|r| r.line() == line.line)
        .collect();
    if !reasons.is_empty() {
        return Err(DomainError::ApprovalRequired {
            order_id: order.id,
            reasons,
        });
    }
    let added = with_line
        .line(line.line)
        .map_or(Decimal::ZERO, |l| with_line.value_of(l, l.quantity));
    let credit_hold = recheck(book, order, added, ctx.business_date())?;
    if credit_hold.is_some() {
        with_line.credit_hold = credit_hold.clone();
    }
    let mut events = vec![Event::OrderLineAdded(OrderLineAdded {
        order_id: order.id,
        line,
        reason: cmd.reason.clone(),
        credit_hold,
    })];
    events.extend(auto_reserve(book, &with_line, ctx.business_date()));
    Ok(events)
}

pub(crate) fn set_fulfilment(book: &Book, cmd: &SetFulfilmentPolicy) -> Result<Vec<Event>, DomainError> {
    let order = book.require_order(cmd.order_id)?;
    order.require_status(&[OrderStatus::Draft, OrderStatus::Sent, OrderStatus::Confirmed])?;
    Ok(vec![Event::FulfilmentPolicySet(FulfilmentPolicySet {
        order_id: order.id,
        shipping_policy: cmd.shipping_policy,
        backorder_policy: cmd.backorder_policy,
        urgent: cmd.urgent,
    })])
}

pub(crate) fn hold(book: &Book, cmd: &HoldOrder) -> Result<Vec<Event>, DomainError> {
    let order = book.require_order(cmd.order_id)?;
    order.require_status(OPEN)?;
    validate::name("reason", &cmd.reason)?;
    if order.hold.is_some() {
        return Err(DomainError::OrderAlreadyHeld { order_id: order.id });
    }
    Ok(vec![Event::OrderHeld(OrderHeld {
        order_id: order.id,
        reason: cmd.reason.clone(),
    })])
}

pub(crate) fn release_hold(
    book: &Book,
    cmd: &ReleaseOrder,
    ctx: &CommandContext,
) -> Result<Vec<Event>, DomainError> {
    let order = book.require_order(cmd.order_id)?;
    order.require_status(OPEN)?;
    validate::name("reason", &cmd.reason)?;
    if order.hold.is_none() {
        return Err(DomainError::OrderNotHeld { order_id: order.id });
    }
    let mut after = order.clone();
    after.hold = None;
    let mut events = vec![Event::OrderReleased(OrderReleased {
        order_id: order.id,
        reason: cmd.reason.clone(),
    })];
    events.extend(auto_reserve(book, &after, ctx.business_date()));
    Ok(events)
}

pub(crate) fn close(book: &Book, cmd: &CloseOrder) -> Result<Vec<Event>, DomainError> {
    let order = book.require_order(cmd.order_id)?;
    order.require_status(OPEN)?;
    validate::name("reason", &cmd.reason)?;
    let (released, released_quants, returned) = release_everything(book, order);
    Ok(vec![Event::OrderClosed(OrderClosed {
        order_id: order.id,
        released,
        released_quants,
        returned,
        reason: cmd.reason.clone(),
    })])
}

pub(crate) fn reopen(
    book: &Book,
    cmd: &ReopenOrder,
    ctx: &CommandContext,
) -> Result<Vec<Event>, DomainError> {
    let order = book.require_order(cmd.order_id)?;
    order.require_status(&[OrderStatus::Closed])?;
    validate::name("reason", &cmd.reason)?;
    // Reopening expects the unshipped rest again: that much more exposure.
    let added: Decimal = order
        .lines
        .iter()
        .map(|l| order.value_of(l, l.open_quantity()))
        .sum();
    let credit_hold = recheck(book, order, added, ctx.business_date())?;
    let mut after = order.clone();
    after.status = OrderStatus::Confirmed;
    after.credit_hold = credit_hold.clone();
    let mut events = vec![Event::OrderReopened(OrderReopened {
        order_id: order.id,
        reason: cmd.reason.clone(),
        credit_hold,
    })];
    events.extend(auto_reserve(book, &after, ctx.business_date()));
    Ok(events)
}

pub(crate) fn cancel(book: &Book, cmd: &CancelOrder) -> Result<Vec<Event>, DomainError> {
    let order = book.require_order(cmd.order_id)?;
    let allowed: Vec<OrderStatus> = QUOTATION.iter().chain(OPEN).copied().collect();
    order.require_status(&allowed)?;
    validate::name("reason", &cmd.reason)?;
    if order.has_shipped() {
        return Err(DomainError::OrderHasShipments { order_id: order.id });
    }
    let invoiced = order
        .lines
        .iter()
        .any(|l| l.invoiced > Decimal::ZERO || l.invoicing > Decimal::ZERO)
        || order
            .down_payments
            .iter()
            .filter_map(|id| book.invoice(*id))
            .any(|i| i.status != InvoiceStatus::Cancelled && i.credit_notes_total < i.total.amount);
    if invoiced {
        return Err(DomainError::OrderHasInvoices { order_id: order.id });
    }
    let (released, released_quants, returned) = release_everything(book, order);
    Ok(vec![Event::OrderCancelled(OrderCancelled {
        order_id: order.id,
        released,
        released_quants,
        returned,
        reason: cmd.reason.clone(),
    })])
}

/// Folds the release of everything an order held: reservations, and picked goods back to
/// stock.
fn release_all(
    book: &mut Book,
    order_id: OrderId,
    lines: &[LineQuantity],
    quants: &[QuantReservation],
    returned: &[LineMove],
    date: NaiveDate,
) {
    let Some(warehouse) = book.orders.get(&order_id).map(|o| o.warehouse_id) else {
        return;
    };
    let quants = quants_or_legacy(warehouse, lines, quants);
    apply_quants(book, order_id, &quants, Decimal::NEGATIVE_ONE);
    apply_returned(book, order_id, returned, date);
}

/// Folds the amendment events.
pub(crate) fn apply(book: &mut Book, event: &Event, actor: &ActorId, date: NaiveDate) {
    match event {
        Event::OrderLineChanged(e) => {
            let Some(order) = book.orders.get_mut(&e.order_id) else {
                return;
            };
            let quotation = order.status.is_quotation();
            let warehouse = order.warehouse_id;
            let mut released = Vec::new();
            let mut price_changed = false;
            if let Some(line) = order.line_mut(e.line) {
                price_changed = line.quantity != e.quantity
                    || line.unit_price != e.unit_price
                    || line.discount_percent != e.discount_percent;
                line.quantity = e.quantity;
                line.unit_price = e.unit_price;
                line.price_source = e.price_source.clone();
                line.discount_percent = e.discount_percent;
                line.promised_date = e.promised_date;
                if e.released > Decimal::ZERO {
                    released.push(LineQuantity {
                        line: line.line,
                        product_id: line.product_id,
                        quantity: e.released,
                    });
                }
            }
            if quotation && price_changed {
                changed(order, actor);
            }
            if e.credit_hold.is_some() {
                order.credit_hold = e.credit_hold.clone();
            }
            let quants = quants_or_legacy(warehouse, &released, &e.released_quants);
            apply_quants(book, e.order_id, &quants, Decimal::NEGATIVE_ONE);
        }
        Event::OrderLineAdded(e) => {
            if let Some(order) = book.orders.get_mut(&e.order_id) {
                order.push_line(&e.line);
                if e.credit_hold.is_some() {
                    order.credit_hold = e.credit_hold.clone();
                }
            }
        }
        Event::FulfilmentPolicySet(e) => {
            if let Some(order) = book.orders.get_mut(&e.order_id) {
                order.shipping_policy = e.shipping_policy;
                order.backorder_policy = e.backorder_policy;
                order.urgent = e.urgent;
            }
        }
        Event::OrderHeld(e) => {
            if let Some(order) = book.orders.get_mut(&e.order_id) {
                order.hold = Some(e.reason.clone());
            }
        }
        Event::OrderReleased(e) => {
            if let Some(order) = book.orders.get_mut(&e.order_id) {
                order.hold = None;
            }
        }
        Event::OrderClosed(e) => {
            release_all(
                book,
                e.order_id,
                &e.released,
                &e.released_quants,
                &e.returned,
                date,
            );
            if let Some(order) = book.orders.get_mut(&e.order_id) {
                order.status = OrderStatus::Closed;
            }
        }
        Event::OrderReopened(e) => {
            if let Some(order) = book.orders.get_mut(&e.order_id) {
                order.status = OrderStatus::Confirmed;
                if e.credit_hold.is_some() {
                    order.credit_hold = e.credit_hold.clone();
                }
            }
        }
        Event::OrderCancelled(e) => {
            release_all(
                book,
                e.order_id,
                &e.released,
                &e.released_quants,
                &e.returned,
                date,
            );
            if let Some(order) = book.orders.get_mut(&e.order_id) {
                order.status = OrderStatus::Cancelled;
            }
        }
        _ => {}
    }
}
