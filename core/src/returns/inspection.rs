//! Inspecting returned goods: per line (and lot or serial numbers), what becomes of goods
//! received and not yet inspected. They leave the warehouse's returns location:
//!
//! | outcome | to |
//! |---|---|
//! | restock | the warehouse's stock location: available again (in a warehouse that reserves at confirmation, waiting orders take them at once, as after a receipt) |
//! | quarantine | the warehouse's quarantine location |
//! | scrap (with a reason) | the warehouse's scrap location |
//! | return to vendor | the suppliers' location (out of the company) |
//!
//! Inspection is a warehouse matter and independent of the commercial resolution: goods
//! may be inspected before or after the authorisation is resolved.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{ReturnedQuantity, require_return};
use crate::book::Book;
use crate::context::CommandContext;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{LocationId, ReturnId, WarehouseId};
use crate::location::{LocationKind, standard_location, virtual_location};
use crate::order::reservation::{Allocator, serve_waiting};
use crate::picking::LineMove;
use crate::stock;
use crate::validate;
use crate::warehouse::ReservationPolicy;

/// What becomes of inspected goods.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InspectionOutcome {
    /// Back to stock: available for sale again.
    Restock,
    /// Held back from sale in the quarantine location.
    Quarantine,
    /// Written off.
    Scrap {
        /// Why.
        reason: String,
    },
    /// Sent back to the vendor.
    ReturnToVendor,
}

impl InspectionOutcome {
    /// Where the goods go.
    pub fn destination(&self, company: crate::ids::CompanyId, warehouse: WarehouseId) -> LocationId {
        match self {
            Self::Restock => standard_location(warehouse, LocationKind::Stock),
            Self::Quarantine => standard_location(warehouse, LocationKind::Quarantine),
            Self::Scrap { .. } => standard_location(warehouse, LocationKind::Scrap),
            Self::ReturnToVendor => virtual_location(company, LocationKind::Supplier),
        }
    }
}

/// One inspection decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectionDecision {
    /// The order line.
    pub order_line: u32,
    /// The lot, for lot-tracked products.
    #[serde(default)]
    pub lot: Option<String>,
    /// The serial numbers, for serial-tracked products.
    #[serde(default)]
    pub serials: Vec<String>,
    /// How much, in the order line's unit.
    pub quantity: Decimal,
    /// What becomes of it.
    pub outcome: InspectionOutcome,
}

/// Command: decide what becomes of received returned goods.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectReturn {
    /// The authorisation.
    pub return_id: ReturnId,
    /// The decisions.
    pub decisions: Vec<InspectionDecision>,
}

/// One decision as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectedQuantity {
    /// The quantity decided on.
    #[serde(flatten)]
    pub quantity: ReturnedQuantity,
    /// What became of it.
    pub outcome: InspectionOutcome,
}

/// Event: returned goods were inspected and moved out of the returns location.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnInspected {
    /// The authorisation.
    pub return_id: ReturnId,
    /// The warehouse.
    pub warehouse_id: WarehouseId,
    /// The decisions.
    pub decisions: Vec<InspectedQuantity>,
    /// The moves out of the returns location, lot by lot.
    pub moves: Vec<LineMove>,
    /// The business date.
    pub inspected_on: NaiveDate,
}

pub(crate) fn inspect(
    book: &Book,
    cmd: &InspectReturn,
    ctx: &CommandContext,
) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    let rma = require_return(book, cmd.return_id)?;
    if rma.lines.iter().all(|l| l.uninspected() <= Decimal::ZERO) {
        return Err(DomainError::NothingToInspect { return_id: rma.id });
    }
    if cmd.decisions.is_empty() {
        return Err(DomainError::EmptyReturn { return_id: rma.id });
    }
    let order = book.require_order(rma.order_id)?;
    let returns = standard_location(rma.warehouse_id, LocationKind::Returns);
    let mut decisions = Vec::with_capacity(cmd.decisions.len());
    let mut moves = Vec::new();
    // Stock units taken from the returns location per product and lot by earlier decisions.
    let mut taken: Vec<(crate::ids::ProductId, Option<String>, Decimal)> = Vec::new();
    for (index, d) in cmd.decisions.iter().enumerate() {
        let line = rma
            .line(d.order_line, d.lot.as_deref())
            .ok_or(DomainError::NotAuthorisedForReturn {
                line: d.order_line,
                lot: d.lot.clone(),
            })?;
        let order_line = order.line(d.order_line).ok_or(DomainError::UnknownOrderLine {
            order_id: order.id,
            line: d.order_line,
        })?;
        validate::quantity(d.quantity, &book.line_unit(order_line))?;
        if let InspectionOutcome::Scrap { reason } = &d.outcome {
            validate::name("reason", reason)?;
        }
        let earlier: Decimal = cmd.decisions[..index]
            .iter()
            .filter(|p| p.order_line == d.order_line && p.lot == d.lot)
            .map(|p| p.quantity)
            .sum();
        let uninspected = line.uninspected() - earlier;
        if d.quantity > uninspected {
            return Err(DomainError::InspectionExceedsReceived {
                line: d.order_line,
                lot: d.lot.clone(),
                requested: d.quantity,
                uninspected: uninspected.max(Decimal::ZERO),
            });
        }
        let serial_tracked = !line.serials.is_empty();
        if serial_tracked && order_line.to_stock(d.quantity) != Decimal::from(d.serials.len()) {
            return Err(DomainError::SerialCountMismatch {
                line: d.order_line,
                quantity: order_line.to_stock(d.quantity),
                serials: d.serials.len(),
            });
        }
        if !serial_tracked && !d.serials.is_empty() {
            return Err(DomainError::ReturnTrackingMismatch {
                product_id: line.product_id,
                tracking: book.require_product(line.product_id)?.tracking,
            });
        }
        for (n, serial) in d.serials.iter().enumerate() {
            let decided_before = cmd.decisions[..index]
                .iter()
                .flat_map(|p| &p.serials)
                .chain(&d.serials[..n])
                .any(|s| s == serial);
            if decided_before || !line.uninspected_serials().any(|s| s == serial) {
                return Err(DomainError::SerialNotAwaitingInspection {
                    line: d.order_line,
                    serial: serial.clone(),
                });
            }
        }
        let quantity = ReturnedQuantity {
            order_line: d.order_line,
            product_id: line.product_id,
            quantity: d.quantity,
            lot: d.lot.clone(),
            serials: d.serials.clone(),
        };
        let to = d.outcome.destination(company.id, rma.warehouse_id);
        let step = super::receipt::moves_of(&quantity, order_line.to_stock(d.quantity), returns, to);
        // The goods must still be in the returns location (nobody moved them away).
        for m in &step {
            let lot = m.movement.lot.clone();
            let before: Decimal = taken
                .iter()
                .filter(|(p, l, _)| *p == m.movement.product_id && *l == lot)
                .map(|(.., q)| *q)
                .sum();
            let free = book
                .stock(m.movement.product_id)
                .map(|s| s.quant(returns, lot.as_deref()).free())
                .unwrap_or_default()
                - before;
            if m.movement.quantity > free {
                return Err(DomainError::NotEnoughFreeStock {
                    location_id: returns,
                    requested: m.movement.quantity,
                    free,
                });
            }
            taken.push((m.movement.product_id, lot, m.movement.quantity));
        }
        moves.extend(step);
        decisions.push(InspectedQuantity {
            quantity,
            outcome: d.outcome.clone(),
        });
    }
    let mut events = vec![Event::ReturnInspected(ReturnInspected {
        return_id: rma.id,
        warehouse_id: rma.warehouse_id,
        decisions,
        moves: moves.clone(),
        inspected_on: ctx.business_date(),
    })];
    // Restocked goods serve waiting orders at once where the warehouse reserves at
    // confirmation, as a receipt does.
    let reserves_at_confirmation = book
        .warehouse(rma.warehouse_id)
        .is_some_and(|w| w.reservation == ReservationPolicy::AtConfirmation);
    if reserves_at_confirmation {
        let stock_location = standard_location(rma.warehouse_id, LocationKind::Stock);
        events.extend(serve_restocked(
            book,
            &moves,
            stock_location,
            rma.warehouse_id,
            ctx,
        ));
    }
    Ok(events)
}

/// Serves waiting orders with restocked goods, product by product (a product's
/// reservations never take another product's goods, so one allocator per product sees
/// everything it may take).
fn serve_restocked(
    book: &Book,
    moves: &[LineMove],
    stock_location: LocationId,
    warehouse: WarehouseId,
    ctx: &CommandContext,
) -> Vec<Event> {
    let mut products: Vec<crate::ids::ProductId> = moves
        .iter()
        .filter(|m| m.movement.to == stock_location)
        .map(|m| m.movement.product_id)
        .collect();
    products.sort();
    products.dedup();
    let mut events = Vec::new();
    for product in products {
        let mut allocator = Allocator::new(book, ctx.business_date());
        for m in moves
            .iter()
            .filter(|m| m.movement.to == stock_location && m.movement.product_id == product)
        {
            allocator.add_free(
                product,
                stock_location,
                m.movement.lot.as_deref(),
                m.movement.quantity,
            );
        }
        events.extend(serve_waiting(allocator, product, warehouse));
    }
    events
}

pub(crate) fn apply_inspected(book: &mut Book, e: &ReturnInspected) {
    for m in &e.moves {
        stock::apply_move(book, &m.movement, false, e.inspected_on);
    }
    let Some(rma) = book.returns.get_mut(&e.return_id) else {
        return;
    };
    for d in &e.decisions {
        let q = &d.quantity;
        if let Some(line) = rma.line_mut(q.order_line, q.lot.as_deref()) {
            let figure = match d.outcome {
                InspectionOutcome::Restock => &mut line.inspected.restocked,
                InspectionOutcome::Quarantine => &mut line.inspected.quarantined,
                InspectionOutcome::Scrap { .. } => &mut line.inspected.scrapped,
                InspectionOutcome::ReturnToVendor => &mut line.inspected.returned_to_vendor,
            };
            *figure += q.quantity;
            line.inspected_serials.extend(q.serials.iter().cloned());
        }
    }
}
