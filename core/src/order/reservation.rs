//! Reserving stock for confirmed orders that are not on hold.
//!
//! A line reserves in its warehouse's stock locations (the stock location and its bins),
//! taking quants in the order of the removal strategy (see [`crate::location`]) and never
//! an expired lot. It reserves whole units of the line's unit (a line of boxes reserves
//! whole boxes); partial reservation is allowed and the rest waits. Lines of one product
//! share the availability, first line first.
//!
//! **When.** By `ReserveStock` (any policy); at confirmation, at the release of a hold
//! and on a reopening in warehouses that reserve at confirmation; by the scheduled
//! `ReserveDue` as of a date, for lines due in warehouses that reserve a number of days
//! before the promised date (and for any waiting demand in warehouses that reserve at
//! confirmation); and when stock arrives in a warehouse that reserves at confirmation.
//!
//! **Who is served first** when several orders wait: urgent orders first, then the
//! earliest promised date among an order's open lines (orders without one after those
//! with one), then confirmation order.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{LineQuantity, OrderLine, OrderStatus, SalesOrder, require_confirmed};
use crate::book::Book;
use crate::context::CommandContext;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{LocationId, OrderId, ProductId, WarehouseId};
use crate::location::{LocationKind, RemovalStrategy, standard_location};
use crate::picking::LineMove;
use crate::stock::{Lot, StockMove, StockReceived};
use crate::validate;
use crate::warehouse::ReservationPolicy;

/// Command: reserve what is available for the order's open lines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReserveStock {
    /// The confirmed order.
    pub order_id: OrderId,
}

/// Command: release what an order has reserved in stock (goods already picked stay
/// reserved: they are on their way).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnreserveStock {
    /// The order.
    pub order_id: OrderId,
    /// Why.
    pub reason: String,
}

/// Command (scheduled): reserve, by priority, what is due as of a date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReserveDue {
    /// The date the schedule runs for.
    pub as_of: NaiveDate,
    /// Only this warehouse (default: all).
    #[serde(default)]
    pub warehouse_id: Option<WarehouseId>,
}

/// Stock reserved for one order line at one location (and lot), in stock units.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuantReservation {
    /// The order line.
    pub line: u32,
    /// Its product.
    pub product_id: ProductId,
    /// Where the goods are.
    pub location_id: LocationId,
    /// Their lot or serial number.
    #[serde(default)]
    pub lot: Option<String>,
    /// How much, in the product's stock unit.
    pub quantity: Decimal,
}

/// Event: stock was reserved for some of an order's lines in one warehouse.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockReserved {
    /// The order's id.
    pub order_id: OrderId,
    /// Where the stock is reserved.
    pub warehouse_id: WarehouseId,
    /// Reserved quantities per line, in the lines' units (only lines that got something).
    pub lines: Vec<LineQuantity>,
    /// The quants reserved (none in logs written before locations existed: the warehouse's
    /// stock location then, untracked).
    #[serde(default)]
    pub quants: Vec<QuantReservation>,
}

/// Event: an order's reservations in stock were released.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockUnreserved {
    /// The order's id.
    pub order_id: OrderId,
    /// Released quantities per line, in the lines' units.
    pub lines: Vec<LineQuantity>,
    /// The quants released.
    pub quants: Vec<QuantReservation>,
    /// Why.
    pub reason: String,
}

/// A free quantity a reservation could take.
struct Candidate {
    location: LocationId,
    lot: Option<String>,
    free: Decimal,
}

/// Decides reservations, remembering what it already took (and what a receipt being
/// decided adds) so several lines and orders in one command never take the same goods.
pub(crate) struct Allocator<'a> {
    book: &'a Book,
    date: NaiveDate,
    /// Taken (positive) or added (negative) free quantity per product, location and lot.
    used: BTreeMap<(ProductId, LocationId, String), Decimal>,
    /// Lots a receipt being decided brings.
    new_lots: BTreeMap<(ProductId, String), Lot>,
}

impl<'a> Allocator<'a> {
    pub(crate) fn new(book: &'a Book, date: NaiveDate) -> Self {
        Self {
            book,
            date,
            used: BTreeMap::new(),
            new_lots: BTreeMap::new(),
        }
    }

    /// Counts goods a count being decided finds as free.
    pub(crate) fn add_free(
        &mut self,
        product: ProductId,
        location: LocationId,
        lot: Option<&str>,
        quantity: Decimal,
    ) {
        *self
            .used
            .entry((product, location, lot.unwrap_or_default().to_string()))
            .or_default() -= quantity;
    }

    /// Counts goods a receipt being decided brings as free.
    pub(crate) fn add_receipt(&mut self, receipt: &StockReceived) {
        let location = receipt.location();
        if receipt.lots.is_empty() {
            *self
                .used
                .entry((receipt.product_id, location, String::new()))
                .or_default() -= receipt.quantity;
        }
        for lot in &receipt.lots {
            *self
                .used
                .entry((receipt.product_id, location, lot.number.clone()))
                .or_default() -= lot.quantity;
            self.new_lots
                .entry((receipt.product_id, lot.number.clone()))
                .or_insert(Lot {
                    number: lot.number.clone(),
                    expires_on: lot.expires_on,
                    received_on: self.date,
                });
        }
    }

    fn lot(&self, product: ProductId, number: &str) -> Option<Lot> {
        self.book
            .stock(product)
            .and_then(|s| s.lots.get(number))
            .or_else(|| self.new_lots.get(&(product, number.to_string())))
            .cloned()
    }

    /// Free, unexpired goods of `product` in the stock locations of `warehouse`, in the
    /// order the removal strategy takes them.
    fn candidates(&self, product: ProductId, warehouse: WarehouseId) -> Vec<Candidate> {
        let mut found: BTreeMap<(LocationId, String), Decimal> = BTreeMap::new();
        if let Some(stock) = self.book.stock(product) {
            for (location, lot, quant) in stock.each_quant() {
                found.insert((location, lot.unwrap_or_default().to_string()), quant.free());
            }
        }
        for ((p, location, lot), used) in &self.used {
            if *p == product {
                *found.entry((*location, lot.clone())).or_default() -= *used;
            }
        }
        let strategy = self.book.removal_strategy(product, warehouse);
        let mut candidates: Vec<(Candidate, (NaiveDate, NaiveDate, String))> = found
            .into_iter()
            .filter(|((location, _), free)| *free > Decimal::ZERO && self.is_stock_of(*location, warehouse))
            .filter_map(|((location, lot), free)| {
                let info = (!lot.is_empty()).then(|| self.lot(product, &lot)).flatten();
                if info.as_ref().is_some_and(|l| l.expired_on(self.date)) {
                    return None;
                }
                let in_date = self.book.stock(product).and_then(|s| {
                    s.quants
                        .get(&location)
                        .and_then(|lots| lots.get(&lot))
                        .and_then(|q| q.in_date)
                });
                let received = info
                    .as_ref()
                    .map(|l| l.received_on)
                    .or(in_date)
                    .unwrap_or(self.date);
                let expiry = match strategy {
                    RemovalStrategy::Fefo => {
                        info.as_ref().and_then(|l| l.expires_on).unwrap_or(NaiveDate::MAX)
                    }
                    RemovalStrategy::Fifo => NaiveDate::MIN,
                };
                let code = self
                    .book
                    .location(location)
                    .map(|l| l.code.clone())
                    .unwrap_or_default();
                let lot = (!lot.is_empty()).then_some(lot);
                Some((
                    Candidate {
                        location,
                        lot: lot.clone(),
                        free,
                    },
                    (
                        expiry,
                        received,
                        format!("{code}\u{0}{}", lot.unwrap_or_default()),
                    ),
                ))
            })
            .collect();
        candidates.sort_by(|a, b| a.1.cmp(&b.1));
        candidates.into_iter().map(|(c, _)| c).collect()
    }

    fn is_stock_of(&self, location: LocationId, warehouse: WarehouseId) -> bool {
        self.book
            .location(location)
            .is_some_and(|l| l.kind == LocationKind::Stock && l.warehouse_id == Some(warehouse))
    }

    /// Reserves up to `wanted` (line units) for a line: whole line units only.
    fn reserve_line(
        &mut self,
        line: &OrderLine,
        wanted: Decimal,
    ) -> Option<(LineQuantity, Vec<QuantReservation>)> {
        if wanted <= Decimal::ZERO {
            return None;
        }
        let candidates = self.candidates(line.product_id, line.warehouse_id);
        let free: Decimal = candidates.iter().map(|c| c.free).sum();
        let line_decimals = self.book.unit_decimals(&line.unit, line.product_id);
        let stock_decimals = self.book.product(line.product_id).map_or(0, |p| p.unit.decimals);
        let quantity = whole_quantity(
            line.to_stock(wanted).min(free),
            line.stock_per_unit,
            line_decimals,
            stock_decimals,
        );
        if quantity <= Decimal::ZERO {
            return None;
        }
        let mut remaining = line.to_stock(quantity);
        let mut quants = Vec::new();
        for candidate in candidates {
            if remaining <= Decimal::ZERO {
                break;
            }
            let take = candidate.free.min(remaining);
            remaining -= take;
            *self
                .used
                .entry((
                    line.product_id,
                    candidate.location,
                    candidate.lot.clone().unwrap_or_default(),
                ))
                .or_default() += take;
            quants.push(QuantReservation {
                line: line.line,
                product_id: line.product_id,
                location_id: candidate.location,
                lot: candidate.lot,
                quantity: take,
            });
        }
        Some((
            LineQuantity {
                line: line.line,
                product_id: line.product_id,
                quantity,
            },
            quants,
        ))
    }

    /// Reserves for an order's lines that `due` accepts (and `product`, when given), one
    /// event per warehouse that reserved something.
    pub(crate) fn reserve_order(
        &mut self,
        order: &SalesOrder,
        due: impl Fn(&OrderLine) -> bool,
        product: Option<ProductId>,
    ) -> Vec<Event> {
        let mut by_warehouse: BTreeMap<WarehouseId, (Vec<LineQuantity>, Vec<QuantReservation>)> =
            BTreeMap::new();
        for line in &order.lines {
            if !due(line) || product.is_some_and(|p| p != line.product_id) {
                continue;
            }
            if let Some((quantity, quants)) = self.reserve_line(line, line.unreserved()) {
                let entry = by_warehouse.entry(line.warehouse_id).or_default();
                entry.0.push(quantity);
                entry.1.extend(quants);
            }
        }
        by_warehouse
            .into_iter()
            .map(|(warehouse_id, (lines, quants))| {
                Event::StockReserved(StockReserved {
                    order_id: order.id,
                    warehouse_id,
                    lines,
                    quants,
                })
            })
            .collect()
    }
}

/// The largest quantity of a line's unit, within its precision, whose stock quantity is
/// within the stock unit's precision and at most `stock` (a line in pieces of a product kept
/// in boxes of ten reserves multiples of ten pieces).
fn whole_quantity(
    stock: Decimal,
    stock_per_unit: Decimal,
    line_decimals: u32,
    stock_decimals: u32,
) -> Decimal {
    use rust_decimal::RoundingStrategy::ToZero;
    let step = Decimal::new(1, line_decimals);
    let stock = stock.round_dp_with_strategy(stock_decimals, ToZero);
    let mut quantity = (stock / stock_per_unit).round_dp_with_strategy(line_decimals, ToZero);
    // Only line units finer than the stock unit need stepping down: at most one stock
    // unit's worth of line units.
    let mut steps = 0u32;
    while quantity > Decimal::ZERO && !crate::money::fits_precision(quantity * stock_per_unit, stock_decimals)
    {
        quantity -= step;
        steps += 1;
        if steps > 1_000_000 {
            return Decimal::ZERO;
        }
    }
    quantity.max(Decimal::ZERO).normalize()
}

/// The waiting orders in serving priority: urgent first, then earliest promise, then
/// confirmation order.
fn by_priority(book: &Book) -> Vec<&SalesOrder> {
    let mut waiting: Vec<&SalesOrder> = book.waiting_orders().collect();
    waiting.sort_by_key(|o| {
        (
            !o.urgent,
            o.earliest_promise().is_none(),
            o.earliest_promise(),
            o.confirmed_at.unwrap_or(u64::MAX),
        )
    });
    waiting
}

pub(crate) fn reserve(
    book: &Book,
    cmd: &ReserveStock,
    ctx: &CommandContext,
) -> Result<Vec<Event>, DomainError> {
    book.require_company()?;
    let order = require_confirmed(book, cmd.order_id)?;
    order.require_not_held()?;
    if order.lines.iter().all(|l| l.unreserved() <= Decimal::ZERO) {
        return Err(DomainError::NothingToReserve { order_id: order.id });
    }
    let events = Allocator::new(book, ctx.business_date()).reserve_order(order, |_| true, None);
    if events.is_empty() {
        return Err(DomainError::NoStockAvailable { order_id: order.id });
    }
    Ok(events)
}

/// The reservations an order makes on its own in warehouses that reserve at confirmation
/// (at confirmation, at the release of a hold, on reopening). `order` is the order as it
/// will be once the triggering event is folded.
pub(crate) fn auto_reserve(book: &Book, order: &SalesOrder, date: NaiveDate) -> Vec<Event> {
    if order.active_hold().is_some() {
        return Vec::new();
    }
    let at_confirmation = |line: &OrderLine| {
        book.warehouse(line.warehouse_id)
            .is_some_and(|w| w.reservation == ReservationPolicy::AtConfirmation)
    };
    Allocator::new(book, date).reserve_order(order, at_confirmation, None)
}

/// After a receipt into a warehouse that reserves at confirmation: waiting orders get the
/// new goods, by priority.
pub(crate) fn serve_waiting_after_receipt(
    book: &Book,
    receipt: &StockReceived,
    ctx: &CommandContext,
) -> Result<Vec<Event>, DomainError> {
    let mut allocator = Allocator::new(book, ctx.business_date());
    allocator.add_receipt(receipt);
    Ok(serve_waiting(allocator, receipt.product_id, receipt.warehouse_id))
}

/// After goods of `product` became free in `warehouse` (a receipt, a count that found
/// more): waiting orders take them, by priority.
pub(crate) fn serve_waiting(
    mut allocator: Allocator<'_>,
    product: ProductId,
    warehouse: WarehouseId,
) -> Vec<Event> {
    let mut events = Vec::new();
    for order in by_priority(allocator.book) {
        let here = |line: &OrderLine| line.warehouse_id == warehouse;
        events.extend(allocator.reserve_order(order, here, Some(product)));
    }
    events
}

pub(crate) fn reserve_due(
    book: &Book,
    cmd: &ReserveDue,
    ctx: &CommandContext,
) -> Result<Vec<Event>, DomainError> {
    book.require_company()?;
    if let Some(warehouse_id) = cmd.warehouse_id {
        book.require_warehouse(warehouse_id)?;
    }
    // Lines are due as of the schedule's date; lots are judged on the day the reservation
    // is made (a late run never reserves a lot that has expired since).
    let mut allocator = Allocator::new(book, ctx.business_date().max(cmd.as_of));
    let mut events = Vec::new();
    for order in by_priority(book) {
        let due = |line: &OrderLine| {
            if cmd.warehouse_id.is_some_and(|w| w != line.warehouse_id) {
                return false;
            }
            match book.warehouse(line.warehouse_id).map(|w| w.reservation) {
                Some(ReservationPolicy::AtConfirmation) => true,
                Some(ReservationPolicy::DaysBeforePromised(days)) => {
                    line.promised_date.is_none_or(|promised| {
                        cmd.as_of
                            .checked_add_days(Days::new(u64::from(days)))
                            .is_none_or(|horizon| promised <= horizon)
                    })
                }
                Some(ReservationPolicy::Manual) | None => false,
            }
        };
        events.extend(allocator.reserve_order(order, due, None));
    }
    if events.is_empty() {
        return Err(DomainError::NothingDue { as_of: cmd.as_of });
    }
    Ok(events)
}

/// What each line holds in stock locations (not picked goods), as line and quant
/// quantities.
pub(crate) fn stock_allocations(
    book: &Book,
    order: &SalesOrder,
) -> (Vec<LineQuantity>, Vec<QuantReservation>) {
    let mut lines = Vec::new();
    let mut quants = Vec::new();
    for line in &order.lines {
        let mut stock = Decimal::ZERO;
        for a in &line.allocations {
            if book.is_stock_location(a.location_id) {
                stock += a.quantity;
                quants.push(line.reservation(a, a.quantity));
            }
        }
        if stock > Decimal::ZERO {
            lines.push(LineQuantity {
                line: line.line,
                product_id: line.product_id,
                quantity: stock / line.stock_per_unit,
            });
        }
    }
    (lines, quants)
}

/// Everything an order holds, for closing or cancelling: the reservations released, and
/// moves that bring picked goods back from packing or output to their warehouse's stock.
pub(crate) fn release_everything(
    book: &Book,
    order: &SalesOrder,
) -> (Vec<LineQuantity>, Vec<QuantReservation>, Vec<LineMove>) {
    let mut lines = Vec::new();
    let mut quants = Vec::new();
    let mut returned = Vec::new();
    for line in order.lines.iter().filter(|l| l.reserved > Decimal::ZERO) {
        lines.push(LineQuantity {
            line: line.line,
            product_id: line.product_id,
            quantity: line.reserved,
        });
        for a in &line.allocations {
            quants.push(line.reservation(a, a.quantity));
            let location = book.location(a.location_id);
            if let Some(warehouse) = location
                .filter(|l| l.kind != LocationKind::Stock)
                .and_then(|l| l.warehouse_id)
            {
                returned.push(LineMove {
                    line: line.line,
                    movement: StockMove {
                        product_id: line.product_id,
                        from: a.location_id,
                        to: standard_location(warehouse, LocationKind::Stock),
                        lot: a.lot.clone(),
                        quantity: a.quantity,
                    },
                });
            }
        }
    }
    (lines, quants, returned)
}

pub(crate) fn unreserve(book: &Book, cmd: &UnreserveStock) -> Result<Vec<Event>, DomainError> {
    book.require_company()?;
    let order = book.require_order(cmd.order_id)?;
    order.require_status(&[OrderStatus::Confirmed])?;
    validate::name("reason", &cmd.reason)?;
    let (lines, quants) = stock_allocations(book, order);
    if lines.is_empty() {
        return Err(DomainError::NothingReserved { order_id: order.id });
    }
    Ok(vec![Event::StockUnreserved(StockUnreserved {
        order_id: order.id,
        lines,
        quants,
        reason: cmd.reason.clone(),
    })])
}

/// The quants of a reservation event; for logs written before quants existed, the lines
/// at the warehouse's stock location, untracked.
pub(crate) fn quants_or_legacy(
    warehouse: WarehouseId,
    lines: &[LineQuantity],
    quants: &[QuantReservation],
) -> Vec<QuantReservation> {
    if !quants.is_empty() || lines.is_empty() {
        return quants.to_vec();
    }
    lines
        .iter()
        .map(|l| QuantReservation {
            line: l.line,
            product_id: l.product_id,
            location_id: standard_location(warehouse, LocationKind::Stock),
            lot: None,
            quantity: l.quantity,
        })
        .collect()
}

/// Folds reservations (`sign` +1) or releases (`sign` -1) of quants into the order's lines
/// (their allocations, and their reserved quantity in line units) and the quants.
pub(crate) fn apply_quants(book: &mut Book, order_id: OrderId, quants: &[QuantReservation], sign: Decimal) {
    if let Some(order) = book.orders.get_mut(&order_id) {
        // Per line, the stock quantities are added up first and converted once, so a line
        // in boxes reserved from several quants stays an exact number of boxes.
        let mut per_line: BTreeMap<u32, Decimal> = BTreeMap::new();
        for q in quants {
            if let Some(line) = order.line_mut(q.line) {
                line.allocate(q.location_id, q.lot.as_deref(), sign * q.quantity);
                *per_line.entry(q.line).or_default() += q.quantity;
            }
        }
        for (number, stock) in per_line {
            if let Some(line) = order.line_mut(number) {
                line.reserved += sign * stock / line.stock_per_unit;
            }
        }
    }
    for q in quants {
        crate::stock::apply_reservation(
            book,
            q.product_id,
            q.location_id,
            q.lot.as_deref(),
            sign * q.quantity,
        );
    }
}

pub(crate) fn apply(book: &mut Book, event: &Event) {
    match event {
        Event::StockReserved(e) => {
            let quants = quants_or_legacy(e.warehouse_id, &e.lines, &e.quants);
            apply_quants(book, e.order_id, &quants, Decimal::ONE);
        }
        Event::StockUnreserved(e) => apply_quants(book, e.order_id, &e.quants, Decimal::NEGATIVE_ONE),
        _ => {}
    }
}
