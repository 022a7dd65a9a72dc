//! The steps of a delivery before it ships: picking (stock → packing zone, or → output in
//! a two-step warehouse), packing (packing zone → output, three-step warehouses), waves
//! that pick for several orders at once, and the view of every step of an order as an
//! operation with its state.
//!
//! The goods stay reserved for their order line on their way: a pick moves the line's
//! allocations, lot by lot in the order they were reserved. A short pick (less than was
//! ready) leaves the rest reserved in stock, waiting for the next pick.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use uuid::Uuid;

use crate::book::Book;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{ActorId, LocationId, OperationId, OrderId, WarehouseId, WaveId};
use crate::location::{LocationKind, standard_location};
use crate::order::{LineQuantity, OrderLine, OrderStatus, SalesOrder, require_confirmed};
use crate::shipment::ShipLine;
use crate::stock::StockMove;
use crate::validate;
use crate::warehouse::OutboundRoute;

/// A step of an outbound delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Step {
    /// Stock to packing zone (three steps) or output (two steps).
    Pick,
    /// Packing zone to output.
    Pack,
    /// To the customer.
    Ship,
}

impl OutboundRoute {
    /// The route's steps, in order.
    pub fn steps(self) -> &'static [Step] {
        match self {
            Self::OneStep => &[Step::Ship],
            Self::TwoSteps => &[Step::Pick, Step::Ship],
            Self::ThreeSteps => &[Step::Pick, Step::Pack, Step::Ship],
        }
    }

    /// Where a step takes goods from (`None`: the warehouse's stock locations) and where it
    /// puts them (`None`: the customer). Steps outside the route get the route's shipping
    /// step's locations.
    pub fn locations(self, warehouse: WarehouseId, step: Step) -> (Option<LocationId>, Option<LocationId>) {
        let at = |kind| Some(standard_location(warehouse, kind));
        match (self, step) {
            (Self::OneStep, _) => (None, None),
            (Self::TwoSteps, Step::Pick) => (None, at(LocationKind::Output)),
            (Self::TwoSteps, _) => (at(LocationKind::Output), None),
            (Self::ThreeSteps, Step::Pick) => (None, at(LocationKind::Packing)),
            (Self::ThreeSteps, Step::Pack) => (at(LocationKind::Packing), at(LocationKind::Output)),
            (Self::ThreeSteps, Step::Ship) => (at(LocationKind::Output), None),
        }
    }
}

/// A move of an order line's goods. In JSON (events, the book's digest) the move's
/// fields sit beside the line's number; in a binary form (the book snapshot), where a
/// flattened map cannot be written, the two follow each other.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineMove {
    /// The order line.
    pub line: u32,
    /// The move.
    pub movement: StockMove,
}

/// [`LineMove`] as JSON writes it.
#[derive(Serialize)]
struct LineMoveText<'a> {
    line: u32,
    #[serde(flatten)]
    movement: &'a StockMove,
}

/// [`LineMove`] as JSON reads it.
#[derive(Deserialize)]
struct LineMoveRead {
    line: u32,
    #[serde(flatten)]
    movement: StockMove,
}

impl Serialize for LineMove {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            LineMoveText {
                line: self.line,
                movement: &self.movement,
            }
            .serialize(serializer)
        } else {
            (self.line, &self.movement).serialize(serializer)
        }
    }
}

impl<'de> Deserialize<'de> for LineMove {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (line, movement) = if deserializer.is_human_readable() {
            let read = LineMoveRead::deserialize(deserializer)?;
            (read.line, read.movement)
        } else {
            <(u32, StockMove)>::deserialize(deserializer)?
        };
        Ok(Self { line, movement })
    }
}

/// Command: pick reserved goods of an order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickOrder {
    /// The new operation's id.
    pub operation_id: OperationId,
    /// The order.
    pub order_id: OrderId,
    /// The warehouse picking (default: the order's).
    #[serde(default)]
    pub warehouse_id: Option<WarehouseId>,
    /// What to pick, in the lines' units; empty picks everything ready.
    #[serde(default)]
    pub lines: Vec<ShipLine>,
}

/// Command: pack picked goods of an order (three-step warehouses).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackOrder {
    /// The new operation's id.
    pub operation_id: OperationId,
    /// The order.
    pub order_id: OrderId,
    /// The warehouse packing (default: the order's).
    #[serde(default)]
    pub warehouse_id: Option<WarehouseId>,
    /// What to pack, in the lines' units; empty packs everything picked.
    #[serde(default)]
    pub lines: Vec<ShipLine>,
}

/// Event: a pick or a pack was done.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderPicked {
    /// The operation's id.
    pub operation_id: OperationId,
    /// The order.
    pub order_id: OrderId,
    /// The warehouse.
    pub warehouse_id: WarehouseId,
    /// Pick or pack.
    pub step: Step,
    /// Quantities per line, in the lines' units.
    pub lines: Vec<LineQuantity>,
    /// The moves, lot by lot.
    pub moves: Vec<LineMove>,
    /// The wave it was part of.
    #[serde(default)]
    pub wave_id: Option<WaveId>,
}

/// Command: group the picks of several orders of one warehouse into a wave.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateWave {
    /// The new wave's id.
    pub wave_id: WaveId,
    /// The warehouse.
    pub warehouse_id: WarehouseId,
    /// The orders whose ready goods the wave picks.
    pub order_ids: Vec<OrderId>,
}

/// A quantity picked in a wave.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WavePick {
    /// The order.
    pub order_id: OrderId,
    /// The line.
    pub line: u32,
    /// Quantity picked, in the line's unit.
    pub quantity: Decimal,
}

/// Command: confirm what a wave picked (lines not listed picked nothing).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmWave {
    /// The wave.
    pub wave_id: WaveId,
    /// What was picked.
    pub picks: Vec<WavePick>,
}

/// Event: a wave was created.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaveCreated {
    /// The wave's id.
    pub wave_id: WaveId,
    /// The warehouse.
    pub warehouse_id: WarehouseId,
    /// Its orders.
    pub order_ids: Vec<OrderId>,
}

/// Event: a wave was confirmed (its picks are the `OrderPicked` events before it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaveCompleted {
    /// The wave's id.
    pub wave_id: WaveId,
    /// The pick operations it produced.
    pub operations: Vec<OperationId>,
}

/// A wave's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wave {
    /// The wave's id.
    pub id: WaveId,
    /// The warehouse.
    pub warehouse_id: WarehouseId,
    /// Its orders.
    pub order_ids: Vec<OrderId>,
    /// True once confirmed.
    pub completed: bool,
}

/// A done pick or pack.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operation {
    /// The operation's id.
    pub id: OperationId,
    /// The order.
    pub order_id: OrderId,
    /// The warehouse.
    pub warehouse_id: WarehouseId,
    /// Pick or pack.
    pub step: Step,
    /// Quantities per line.
    pub lines: Vec<LineQuantity>,
    /// Who validated it.
    pub validated_by: ActorId,
    /// Its wave.
    pub wave_id: Option<WaveId>,
}

/// Goods held for a line where a step takes them from: the warehouse's stock locations, or
/// one standard location.
pub(crate) fn ready_at(book: &Book, line: &OrderLine, source: Option<LocationId>) -> Decimal {
    line.allocations
        .iter()
        .filter(|a| match source {
            Some(location) => a.location_id == location,
            None => book.is_stock_location(a.location_id),
        })
        .map(|a| a.quantity)
        .sum()
}

/// Moves `quantity` (stock units) of a line's goods from a step's source to `to`,
/// allocation by allocation.
pub(crate) fn take(
    book: &Book,
    line: &OrderLine,
    source: Option<LocationId>,
    to: LocationId,
    quantity: Decimal,
) -> Vec<LineMove> {
    let mut remaining = quantity;
    let mut moves = Vec::new();
    for a in &line.allocations {
        let here = match source {
            Some(location) => a.location_id == location,
            None => book.is_stock_location(a.location_id),
        };
        if !here || remaining <= Decimal::ZERO {
            continue;
        }
        let moved = a.quantity.min(remaining);
        remaining -= moved;
        moves.push(LineMove {
            line: line.line,
            movement: StockMove {
                product_id: line.product_id,
                from: a.location_id,
                to,
                lot: a.lot.clone(),
                quantity: moved,
            },
        });
    }
    moves
}

/// Decides the quantities of a step for an order in a warehouse: explicit lines (each at
/// most what is ready) or everything ready. Returns line quantities and the moves.
pub(crate) fn step_quantities(
    book: &Book,
    order: &SalesOrder,
    warehouse: WarehouseId,
    step: Step,
    requested: &[ShipLine],
    to: LocationId,
) -> Result<(Vec<LineQuantity>, Vec<LineMove>), DomainError> {
    let route = book.require_warehouse(warehouse)?.route;
    let (source, _) = route.locations(warehouse, step);
    let mut lines = Vec::new();
    let mut moves = Vec::new();
    if requested.is_empty() {
        for line in order.lines.iter().filter(|l| l.warehouse_id == warehouse) {
            let ready = ready_at(book, line, source);
            if ready > Decimal::ZERO {
                let quantity = ready / line.stock_per_unit;
                lines.push(LineQuantity {
                    line: line.line,
                    product_id: line.product_id,
                    quantity,
                });
                moves.extend(take(book, line, source, to, ready));
            }
        }
        return Ok((lines, moves));
    }
    for (index, wanted) in requested.iter().enumerate() {
        let line = order.line(wanted.line).ok_or(DomainError::UnknownOrderLine {
            order_id: order.id,
            line: wanted.line,
        })?;
        if requested[..index].iter().any(|r| r.line == wanted.line) {
            return Err(DomainError::DuplicateLine { line: wanted.line });
        }
        if line.warehouse_id != warehouse {
            return Err(DomainError::LineInAnotherWarehouse {
                line: line.line,
                warehouse_id: line.warehouse_id,
            });
        }
        validate::quantity(wanted.quantity, &book.line_unit(line))?;
        let stock_decimals = book.product(line.product_id).map_or(0, |p| p.unit.decimals);
        if !crate::money::fits_precision(line.to_stock(wanted.quantity), stock_decimals) {
            return Err(DomainError::UnitConversionInexact {
                quantity: wanted.quantity,
                from: line.unit.clone(),
                to: book
                    .product(line.product_id)
                    .map(|p| p.unit.code.clone())
                    .unwrap_or_default(),
            });
        }
        let ready = ready_at(book, line, source) / line.stock_per_unit;
        if wanted.quantity > ready {
            return Err(match step {
                Step::Ship => DomainError::ShipmentExceedsReservation {
                    order_id: order.id,
                    line: line.line,
                    requested: wanted.quantity,
                    reserved: ready,
                },
                Step::Pick | Step::Pack => DomainError::NotReady {
                    order_id: order.id,
                    line: line.line,
                    step,
                    requested: wanted.quantity,
                    ready,
                },
            });
        }
        lines.push(LineQuantity {
            line: line.line,
            product_id: line.product_id,
            quantity: wanted.quantity,
        });
        moves.extend(take(book, line, source, to, line.to_stock(wanted.quantity)));
    }
    Ok((lines, moves))
}

/// Checks that `step` belongs to the warehouse's route.
fn require_step(book: &Book, warehouse: WarehouseId, step: Step) -> Result<LocationId, DomainError> {
    let route = book.require_warehouse(warehouse)?.route;
    match route.locations(warehouse, step) {
        (_, Some(to)) if route.steps().contains(&step) => Ok(to),
        _ => Err(DomainError::StepNotInRoute {
            warehouse_id: warehouse,
            step,
        }),
    }
}

fn decide_step(
    book: &Book,
    operation_id: OperationId,
    order_id: OrderId,
    warehouse: Option<WarehouseId>,
    step: Step,
    requested: &[ShipLine],
) -> Result<Vec<Event>, DomainError> {
    book.require_company()?;
    book.require_unused(operation_id.0)?;
    let order = require_confirmed(book, order_id)?;
    order.require_not_held()?;
    if let Some(wave_id) = book.open_wave_of(order_id) {
        return Err(DomainError::OrderInOpenWave { order_id, wave_id });
    }
    let warehouse = warehouse.unwrap_or(order.warehouse_id);
    let to = require_step(book, warehouse, step)?;
    let (lines, moves) = step_quantities(book, order, warehouse, step, requested, to)?;
    if lines.is_empty() {
        return Err(DomainError::NothingReady { order_id, step });
    }
    Ok(vec![Event::OrderPicked(OrderPicked {
        operation_id,
        order_id,
        warehouse_id: warehouse,
        step,
        lines,
        moves,
        wave_id: None,
    })])
}

pub(crate) fn pick(book: &Book, cmd: &PickOrder) -> Result<Vec<Event>, DomainError> {
    decide_step(
        book,
        cmd.operation_id,
        cmd.order_id,
        cmd.warehouse_id,
        Step::Pick,
        &cmd.lines,
    )
}

pub(crate) fn pack(book: &Book, cmd: &PackOrder) -> Result<Vec<Event>, DomainError> {
    decide_step(
        book,
        cmd.operation_id,
        cmd.order_id,
        cmd.warehouse_id,
        Step::Pack,
        &cmd.lines,
    )
}

pub(crate) fn create_wave(book: &Book, cmd: &CreateWave) -> Result<Vec<Event>, DomainError> {
    book.require_company()?;
    book.require_unused(cmd.wave_id.0)?;
    require_step(book, cmd.warehouse_id, Step::Pick)?;
    if cmd.order_ids.is_empty() {
        return Err(DomainError::EmptyWave { wave_id: cmd.wave_id });
    }
    let (source, _) = book
        .require_warehouse(cmd.warehouse_id)?
        .route
        .locations(cmd.warehouse_id, Step::Pick);
    for (index, order_id) in cmd.order_ids.iter().enumerate() {
        if cmd.order_ids[..index].contains(order_id) {
            return Err(DomainError::OrderTwiceInWave { order_id: *order_id });
        }
        let order = require_confirmed(book, *order_id)?;
        order.require_not_held()?;
        if let Some(wave) = book.open_wave_of(*order_id) {
            return Err(DomainError::OrderInOpenWave {
                order_id: *order_id,
                wave_id: wave,
            });
        }
        let ready = order
            .lines
            .iter()
            .filter(|l| l.warehouse_id == cmd.warehouse_id)
            .any(|l| ready_at(book, l, source) > Decimal::ZERO);
        if !ready {
            return Err(DomainError::NothingReady {
                order_id: *order_id,
                step: Step::Pick,
            });
        }
    }
    Ok(vec![Event::WaveCreated(WaveCreated {
        wave_id: cmd.wave_id,
        warehouse_id: cmd.warehouse_id,
        order_ids: cmd.order_ids.clone(),
    })])
}

pub(crate) fn confirm_wave(book: &Book, cmd: &ConfirmWave) -> Result<Vec<Event>, DomainError> {
    book.require_company()?;
    let wave = book
        .wave(cmd.wave_id)
        .ok_or(DomainError::UnknownWave { wave_id: cmd.wave_id })?;
    if wave.completed {
        return Err(DomainError::WaveAlreadyCompleted { wave_id: wave.id });
    }
    let to = require_step(book, wave.warehouse_id, Step::Pick)?;
    let mut per_order: BTreeMap<OrderId, Vec<ShipLine>> = BTreeMap::new();
    for pick in &cmd.picks {
        if !wave.order_ids.contains(&pick.order_id) {
            return Err(DomainError::OrderNotInWave {
                order_id: pick.order_id,
                wave_id: wave.id,
            });
        }
        per_order.entry(pick.order_id).or_default().push(ShipLine {
            line: pick.line,
            quantity: pick.quantity,
        });
    }
    let mut events = Vec::new();
    let mut operations = Vec::new();
    for order_id in &wave.order_ids {
        let Some(requested) = per_order.get(order_id) else {
            continue;
        };
        let order = require_confirmed(book, *order_id)?;
        order.require_not_held()?;
        let (lines, moves) = step_quantities(book, order, wave.warehouse_id, Step::Pick, requested, to)?;
        let operation_id = OperationId(Uuid::new_v5(&wave.id.0, order_id.0.as_bytes()));
        operations.push(operation_id);
        events.push(Event::OrderPicked(OrderPicked {
            operation_id,
            order_id: *order_id,
            warehouse_id: wave.warehouse_id,
            step: Step::Pick,
            lines,
            moves,
            wave_id: Some(wave.id),
        }));
    }
    events.push(Event::WaveCompleted(WaveCompleted {
        wave_id: wave.id,
        operations,
    }));
    Ok(events)
}

/// Folds moves of order lines' goods into the quants and the lines' allocations:
/// reserved goods moving on (a pick or pack), or leaving to the customer (a shipment).
pub(crate) fn apply_line_moves(
    book: &mut Book,
    order_id: OrderId,
    moves: &[LineMove],
    date: chrono::NaiveDate,
) {
    for m in moves {
        crate::stock::apply_move(book, &m.movement, true, date);
    }
    let virtual_targets: Vec<bool> = moves
        .iter()
        .map(|m| book.location(m.movement.to).is_none_or(|l| l.kind.is_virtual()))
        .collect();
    if let Some(order) = book.orders.get_mut(&order_id) {
        for (m, leaves) in moves.iter().zip(virtual_targets) {
            if let Some(line) = order.line_mut(m.line) {
                let lot = m.movement.lot.as_deref();
                line.allocate(m.movement.from, lot, -m.movement.quantity);
                if !leaves {
                    line.allocate(m.movement.to, lot, m.movement.quantity);
                }
            }
        }
    }
}

/// Folds picked goods brought back to stock after their reservation was released (an
/// order closed or cancelled, or its rest cancelled): they are no longer on their way, so
/// the lines' picked (and, from output in a three-step warehouse, packed) quantities go
/// down.
pub(crate) fn apply_returned(
    book: &mut Book,
    order_id: OrderId,
    returned: &[LineMove],
    date: chrono::NaiveDate,
) {
    for m in returned {
        crate::stock::apply_move(book, &m.movement, false, date);
    }
    let from_output: Vec<bool> = returned
        .iter()
        .map(|m| {
            book.location(m.movement.from)
                .is_some_and(|l| l.kind == LocationKind::Output)
        })
        .collect();
    let Some(order) = book.orders.get_mut(&order_id) else {
        return;
    };
    for (m, output) in returned.iter().zip(from_output) {
        if let Some(line) = order.line_mut(m.line) {
            let quantity = m.movement.quantity / line.stock_per_unit;
            line.picked -= quantity;
            if output && line.packed > line.delivered {
                line.packed -= quantity.min(line.packed - line.delivered);
            }
        }
    }
}

/// Folds a pick or pack: the goods move and stay reserved for their lines.
pub(crate) fn apply_picked(book: &mut Book, e: &OrderPicked, actor: &ActorId, date: chrono::NaiveDate) {
    apply_line_moves(book, e.order_id, &e.moves, date);
    if let Some(order) = book.orders.get_mut(&e.order_id) {
        for l in &e.lines {
            if let Some(line) = order.line_mut(l.line) {
                match e.step {
                    Step::Pick => line.picked += l.quantity,
                    Step::Pack => line.packed += l.quantity,
                    Step::Ship => {}
                }
            }
        }
    }
    book.operations.insert(
        e.operation_id,
        Operation {
            id: e.operation_id,
            order_id: e.order_id,
            warehouse_id: e.warehouse_id,
            step: e.step,
            lines: e.lines.clone(),
            validated_by: actor.clone(),
            wave_id: e.wave_id,
        },
    );
}

/// The state of one step of an order's delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OperationState {
    /// Nothing is ready for it yet.
    Waiting,
    /// Goods are ready for it.
    Ready,
    /// Everything expected went through it.
    Done,
    /// The order was closed or cancelled with goods still expected here.
    Cancelled,
}

/// One line of a step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StepLine {
    /// The order line.
    pub line: u32,
    /// What the step must handle in total (ordered less cancelled), line units.
    pub demand: Decimal,
    /// Ready for the step now.
    pub ready: Decimal,
    /// Already through the step.
    pub done: Decimal,
}

/// One step of an order's delivery in one warehouse, as an operation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StepView {
    /// The warehouse.
    pub warehouse_id: WarehouseId,
    /// The step.
    pub step: Step,
    /// Its state.
    pub state: OperationState,
    /// Its lines.
    pub lines: Vec<StepLine>,
    /// The validations so far: operation or shipment id, and who validated it.
    pub validated: Vec<(Uuid, ActorId)>,
    /// The step after it.
    pub next: Option<Step>,
}

/// Every step of an order's delivery, per warehouse, in route order.
pub fn operations(book: &Book, order: &SalesOrder) -> Vec<StepView> {
    let mut warehouses: Vec<WarehouseId> = order.lines.iter().map(|l| l.warehouse_id).collect();
    warehouses.sort();
    warehouses.dedup();
    let mut views = Vec::new();
    for warehouse in warehouses {
        let Some(route) = book.warehouse(warehouse).map(|w| w.route) else {
            continue;
        };
        let steps = route.steps();
        for (index, step) in steps.iter().enumerate() {
            let (source, _) = route.locations(warehouse, *step);
            let lines: Vec<StepLine> = order
                .lines
                .iter()
                .filter(|l| l.warehouse_id == warehouse)
                .map(|l| StepLine {
                    line: l.line,
                    demand: match order.status {
                        OrderStatus::Closed | OrderStatus::Cancelled => l.delivered,
                        _ => l.quantity - l.cancelled - l.came_back(),
                    },
                    ready: ready_at(book, l, source) / l.stock_per_unit,
                    done: match step {
                        Step::Pick => l.picked,
                        Step::Pack => l.packed,
                        Step::Ship => l.delivered,
                    },
                })
                .collect();
            let mut validated: Vec<(Uuid, ActorId)> = book
                .operations_of(order.id)
                .filter(|o| o.warehouse_id == warehouse && o.step == *step)
                .map(|o| (o.id.0, o.validated_by.clone()))
                .collect();
            if *step == Step::Ship {
                validated.extend(
                    book.shipments_of(order.id)
                        .filter(|s| s.warehouse_id == warehouse)
                        .map(|s| (s.id.0, s.shipped_by.clone())),
                );
            }
            let expected_more = lines.iter().any(|l| {
                (order.lines.iter().find(|o| o.line == l.line))
                    .is_some_and(|o| o.quantity - o.cancelled > l.done)
            });
            let state = if lines.iter().any(|l| l.ready > Decimal::ZERO) {
                OperationState::Ready
            } else if matches!(order.status, OrderStatus::Closed | OrderStatus::Cancelled) && expected_more {
                OperationState::Cancelled
            } else if lines.iter().all(|l| l.done >= l.demand)
                && lines.iter().any(|l| l.demand > Decimal::ZERO)
            {
                OperationState::Done
            } else {
                OperationState::Waiting
            };
            views.push(StepView {
                warehouse_id: warehouse,
                step: *step,
                state,
                lines,
                validated,
                next: steps.get(index + 1).copied(),
            });
        }
    }
    views
}
