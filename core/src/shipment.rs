//! Shipments: a delivery of an order's ready goods to the customer — from stock in a
//! one-step warehouse, from output after picking (and packing) otherwise — and its proof
//! of delivery.
//!
//! The order's shipping policy decides whether a partial shipment is allowed (as soon as
//! possible) or only one complete shipment (when complete). Its backorder policy (the
//! order's own, else the customer's) decides what happens to the rest: it stays open as a
//! backorder, or it is cancelled at once (its reservations released, goods already picked
//! brought back to stock).

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::book::Book;
use crate::envelope::Hash;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{ActorId, CustomerId, OrderId, ProductId, ShipmentId, WarehouseId};
use crate::location::{LocationKind, standard_location, virtual_location};
use crate::order::{
    BackorderPolicy, LineQuantity, QuantReservation, SalesOrder, ShippingPolicy, apply_quants,
    require_confirmed,
};
use crate::picking::{LineMove, Step, apply_line_moves, apply_returned, step_quantities};
use crate::stock::StockMove;
use crate::validate;

/// A quantity to ship (or pick, or pack) from one order line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipLine {
    /// Line number within the order.
    pub line: u32,
    /// Quantity, in the line's unit, at most what is ready for the line.
    pub quantity: Decimal,
}

/// Command: ship ready goods of a confirmed order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipOrder {
    /// The new shipment's id.
    pub shipment_id: ShipmentId,
    /// The order shipped.
    pub order_id: OrderId,
    /// What to ship; empty ships everything ready.
    #[serde(default)]
    pub lines: Vec<ShipLine>,
    /// The warehouse shipping (default: the order's).
    #[serde(default)]
    pub warehouse_id: Option<WarehouseId>,
    /// Carrier (may be empty).
    #[serde(default)]
    pub carrier: String,
    /// Carrier's tracking reference (may be empty).
    #[serde(default)]
    pub tracking_reference: String,
}

/// Event: a shipment left the warehouse.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipmentDispatched {
    /// The shipment's id.
    pub shipment_id: ShipmentId,
    /// The order shipped.
    pub order_id: OrderId,
    /// Who receives it.
    pub customer_id: CustomerId,
    /// Where it left from.
    pub warehouse_id: WarehouseId,
    /// Shipped quantities per order line, in the lines' units.
    pub lines: Vec<LineQuantity>,
    /// The moves to the customer, lot by lot (none in logs written before locations
    /// existed: from the warehouse's stock location, untracked).
    #[serde(default)]
    pub moves: Vec<LineMove>,
    /// Carrier.
    #[serde(default)]
    pub carrier: String,
    /// Tracking reference.
    #[serde(default)]
    pub tracking_reference: String,
    /// Quantities no longer expected (backorder policy "cancel the rest").
    #[serde(default)]
    pub cancelled: Vec<LineQuantity>,
    /// Reservations released with the cancelled rest.
    #[serde(default)]
    pub released: Vec<QuantReservation>,
    /// Picked goods of the cancelled rest, brought back to stock.
    #[serde(default)]
    pub returned: Vec<LineMove>,
}

/// Who signed for a delivery, and the document that proves it (the document itself stays
/// with the embedding service; its SHA-256 is kept here).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProofOfDelivery {
    /// Who signed.
    pub signed_by: String,
    /// When.
    pub signed_at: DateTime<Utc>,
    /// The embedding service's reference of the document.
    pub document_reference: String,
    /// SHA-256 of the document's bytes.
    pub document_sha256: Hash,
}

/// Command: record the proof that a shipment was delivered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmDelivery {
    /// The shipment.
    pub shipment_id: ShipmentId,
    /// The proof.
    pub proof: ProofOfDelivery,
}

/// Event: a shipment's delivery was confirmed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryConfirmed {
    /// The shipment.
    pub shipment_id: ShipmentId,
    /// The proof.
    pub proof: ProofOfDelivery,
}

/// A shipment's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shipment {
    /// The shipment's id.
    pub id: ShipmentId,
    /// The order shipped.
    pub order_id: OrderId,
    /// Who receives it.
    pub customer_id: CustomerId,
    /// Where it left from.
    pub warehouse_id: WarehouseId,
    /// Shipped quantities per order line.
    pub lines: Vec<LineQuantity>,
    /// What left, lot by lot.
    pub moves: Vec<LineMove>,
    /// Carrier.
    pub carrier: String,
    /// Tracking reference.
    pub tracking_reference: String,
    /// Who validated it.
    pub shipped_by: ActorId,
    /// Business date it left.
    pub shipped_on: NaiveDate,
    /// Proof of delivery, once confirmed.
    pub proof: Option<ProofOfDelivery>,
}

/// The rest of an order's lines in a warehouse that a shipment leaves open, when the
/// backorder policy cancels it: the quantities, the reservations released, and the picked
/// goods brought back to stock.
fn cancel_rest(
    book: &Book,
    order: &SalesOrder,
    warehouse: WarehouseId,
    shipped: &[LineQuantity],
    moves: &[LineMove],
) -> (Vec<LineQuantity>, Vec<QuantReservation>, Vec<LineMove>) {
    let mut cancelled = Vec::new();
    let mut released = Vec::new();
    let mut returned = Vec::new();
    let stock = standard_location(warehouse, LocationKind::Stock);
    for line in order.lines.iter().filter(|l| l.warehouse_id == warehouse) {
        let now: Decimal = shipped
            .iter()
            .filter(|s| s.line == line.line)
            .map(|s| s.quantity)
            .sum();
        let rest = line.open_quantity() - now;
        if rest <= Decimal::ZERO {
            continue;
        }
        cancelled.push(LineQuantity {
            line: line.line,
            product_id: line.product_id,
            quantity: rest,
        });
        for a in &line.allocations {
            let leaving: Decimal = moves
                .iter()
                .filter(|m| {
                    m.line == line.line && m.movement.from == a.location_id && m.movement.lot == a.lot
                })
                .map(|m| m.movement.quantity)
                .sum();
            let left = a.quantity - leaving;
            if left <= Decimal::ZERO {
                continue;
            }
            released.push(line.reservation(a, left));
            if !book.is_stock_location(a.location_id) {
                returned.push(LineMove {
                    line: line.line,
                    movement: StockMove {
                        product_id: line.product_id,
                        from: a.location_id,
                        to: stock,
                        lot: a.lot.clone(),
                        quantity: left,
                    },
                });
            }
        }
    }
    (cancelled, released, returned)
}

pub(crate) fn ship(book: &Book, cmd: &ShipOrder) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    book.require_unused(cmd.shipment_id.0)?;
    let order = require_confirmed(book, cmd.order_id)?;
    order.require_not_held()?;
    validate::free_text("carrier", &cmd.carrier)?;
    validate::free_text("tracking_reference", &cmd.tracking_reference)?;
    let warehouse = cmd.warehouse_id.unwrap_or(order.warehouse_id);
    book.require_warehouse(warehouse)?;
    let customers = virtual_location(company.id, LocationKind::Customer);
    let (lines, moves) = step_quantities(book, order, warehouse, Step::Ship, &cmd.lines, customers)?;
    if lines.is_empty() {
        return Err(DomainError::NothingReserved { order_id: order.id });
    }
    if order.shipping_policy == ShippingPolicy::WhenComplete {
        let complete = order
            .lines
            .iter()
            .filter(|l| l.warehouse_id == warehouse)
            .all(|l| {
                let now: Decimal = lines
                    .iter()
                    .filter(|s| s.line == l.line)
                    .map(|s| s.quantity)
                    .sum();
                now == l.open_quantity()
            });
        if !complete {
            return Err(DomainError::IncompleteShipment { order_id: order.id });
        }
    }
    let policy = order.backorder_policy.unwrap_or_else(|| {
        book.customer(order.customer_id)
            .map_or(BackorderPolicy::default(), |c| c.details.backorder_policy)
    });
    let (cancelled, released, returned) = match policy {
        BackorderPolicy::CreateBackorder => Default::default(),
        BackorderPolicy::CancelRest => cancel_rest(book, order, warehouse, &lines, &moves),
    };
    Ok(vec![Event::ShipmentDispatched(ShipmentDispatched {
        shipment_id: cmd.shipment_id,
        order_id: order.id,
        customer_id: order.customer_id,
        warehouse_id: warehouse,
        lines,
        moves,
        carrier: cmd.carrier.clone(),
        tracking_reference: cmd.tracking_reference.clone(),
        cancelled,
        released,
        returned,
    })])
}

pub(crate) fn confirm_delivery(book: &Book, cmd: &ConfirmDelivery) -> Result<Vec<Event>, DomainError> {
    book.require_company()?;
    let shipment = book.require_shipment(cmd.shipment_id)?;
    if shipment.proof.is_some() {
        return Err(DomainError::DeliveryAlreadyConfirmed {
            shipment_id: shipment.id,
        });
    }
    validate::name("proof.signed_by", &cmd.proof.signed_by)?;
    validate::name("proof.document_reference", &cmd.proof.document_reference)?;
    Ok(vec![Event::DeliveryConfirmed(DeliveryConfirmed {
        shipment_id: shipment.id,
        proof: cmd.proof.clone(),
    })])
}

/// The moves of a shipment; for logs written before locations existed, its lines from the
/// warehouse's stock location, untracked.
fn moves_or_legacy(book: &Book, e: &ShipmentDispatched) -> Vec<LineMove> {
    if !e.moves.is_empty() {
        return e.moves.clone();
    }
    let Some(company) = book.company() else {
        return Vec::new();
    };
    e.lines
        .iter()
        .map(|l| LineMove {
            line: l.line,
            movement: StockMove {
                product_id: l.product_id,
                from: standard_location(e.warehouse_id, LocationKind::Stock),
                to: virtual_location(company.id, LocationKind::Customer),
                lot: None,
                quantity: l.quantity,
            },
        })
        .collect()
}

pub(crate) fn apply_dispatched(book: &mut Book, e: &ShipmentDispatched, actor: &ActorId, date: NaiveDate) {
    let moves = moves_or_legacy(book, e);
    apply_line_moves(book, e.order_id, &moves, date);
    if let Some(order) = book.orders.get_mut(&e.order_id) {
        for shipped in &e.lines {
            if let Some(line) = order.line_mut(shipped.line) {
                line.reserved -= shipped.quantity;
                line.delivered += shipped.quantity;
            }
        }
        for c in &e.cancelled {
            if let Some(line) = order.line_mut(c.line) {
                line.cancelled += c.quantity;
            }
        }
    }
    apply_quants(book, e.order_id, &e.released, Decimal::NEGATIVE_ONE);
    apply_returned(book, e.order_id, &e.returned, date);
    book.shipments.insert(
        e.shipment_id,
        Box::new(Shipment {
            id: e.shipment_id,
            order_id: e.order_id,
            customer_id: e.customer_id,
            warehouse_id: e.warehouse_id,
            lines: e.lines.clone(),
            moves,
            carrier: e.carrier.clone(),
            tracking_reference: e.tracking_reference.clone(),
            shipped_by: actor.clone(),
            shipped_on: date,
            proof: None,
        }),
    );
}

pub(crate) fn apply_confirmed(book: &mut Book, e: &DeliveryConfirmed) {
    if let Some(shipment) = book.shipments.get_mut(&e.shipment_id) {
        shipment.proof = Some(e.proof.clone());
    }
}

/// Where a lot (or serial number) of a product went: each shipment that carried it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LotDelivery {
    /// The shipment.
    pub shipment_id: ShipmentId,
    /// The order.
    pub order_id: OrderId,
    /// The customer.
    pub customer_id: CustomerId,
    /// How much of the lot.
    pub quantity: Decimal,
}

impl Shipment {
    /// What the shipment carried of a lot (or serial number) of a product, if anything.
    pub(crate) fn lot_delivery(&self, product: ProductId, lot: &str) -> Option<LotDelivery> {
        let quantity: Decimal = self
            .moves
            .iter()
            .filter(|m| m.movement.product_id == product && m.movement.lot.as_deref() == Some(lot))
            .map(|m| m.movement.quantity)
            .sum();
        (quantity > Decimal::ZERO).then_some(LotDelivery {
            shipment_id: self.id,
            order_id: self.order_id,
            customer_id: self.customer_id,
            quantity,
        })
    }

    /// Each product and lot (or serial number) the shipment carried, once.
    pub(crate) fn lots(&self) -> BTreeSet<(ProductId, &str)> {
        self.moves
            .iter()
            .filter_map(|m| Some((m.movement.product_id, m.movement.lot.as_deref()?)))
            .collect()
    }
}

/// Every shipment that carried a lot or serial number of a product, archived ones
/// included, by shipment id.
pub fn lot_deliveries(book: &Book, product: ProductId, lot: &str) -> Vec<LotDelivery> {
    let mut deliveries: Vec<LotDelivery> = book
        .shipments()
        .filter_map(|s| s.lot_delivery(product, lot))
        .collect();
    deliveries.extend(book.archived().lot_deliveries(product, lot).iter().cloned());
    deliveries.sort_by_key(|d| d.shipment_id);
    deliveries
}
