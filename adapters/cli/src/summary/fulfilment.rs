//! Summaries of stock and shipping events: receipts, counts, scrapping, transfers,
//! reservations, picking and packing, waves, shipments and proof of delivery.

use o2c::order::{StockReserved, StockUnreserved};
use o2c::picking::{OrderPicked, Step, WaveCompleted, WaveCreated};
use o2c::shipment::{DeliveryConfirmed, ShipmentDispatched};
use o2c::stock::{AdjustmentReason, InventoryAdjusted, StockMove, StockMoved, StockReceived, StockScrapped};

use super::{Names, because, listed, short};
use crate::format;

fn lot(stock_move: &StockMove) -> String {
    stock_move
        .lot
        .as_ref()
        .map(|l| format!(" (lot {l})"))
        .unwrap_or_default()
}

pub(super) fn stock_received(e: &StockReceived, names: &Names<'_>) -> String {
    let lots = if e.lots.is_empty() {
        String::new()
    } else {
        format!(" in lots {}", listed(e.lots.iter().map(|l| l.number.clone())))
    };
    let reference = if e.reference.is_empty() {
        String::new()
    } else {
        format!(", reference {}", e.reference)
    };
    format!(
        "Received {}{lots} into {}{reference}",
        names.stock(e.product_id, e.quantity),
        names.warehouse(e.warehouse_id)
    )
}

pub(super) fn inventory_adjusted(e: &InventoryAdjusted, names: &Names<'_>) -> String {
    let reason = match e.reason {
        AdjustmentReason::CountFound => "found at a count",
        AdjustmentReason::Damaged => "damaged",
        AdjustmentReason::Lost => "lost",
        AdjustmentReason::CycleCount => "cycle count",
    };
    format!(
        "Inventory of {} at {}{} counted: {} -> {} ({reason}){}",
        names.product(e.product_id),
        names.location(e.stock_move.from),
        lot(&e.stock_move),
        format::quantity(e.previous),
        format::quantity(e.counted),
        because(&e.note)
    )
}

pub(super) fn stock_scrapped(e: &StockScrapped, names: &Names<'_>) -> String {
    format!(
        "Scrapped {}{} from {}{}",
        names.stock(e.product_id, e.stock_move.quantity),
        lot(&e.stock_move),
        names.location(e.stock_move.from),
        because(&e.reason)
    )
}

pub(super) fn stock_moved(e: &StockMoved, names: &Names<'_>) -> String {
    format!(
        "Moved {}{} from {} to {}{}",
        names.stock(e.product_id, e.stock_move.quantity),
        lot(&e.stock_move),
        names.location(e.stock_move.from),
        names.location(e.stock_move.to),
        because(&e.reason)
    )
}

pub(super) fn stock_reserved(e: &StockReserved, names: &Names<'_>) -> String {
    format!(
        "Reserved {} in {}",
        names.goods(e.order_id, &e.lines),
        names.warehouse(e.warehouse_id)
    )
}

pub(super) fn stock_unreserved(e: &StockUnreserved, names: &Names<'_>) -> String {
    format!(
        "Reservation released: {}{}",
        names.goods(e.order_id, &e.lines),
        because(&e.reason)
    )
}

pub(super) fn order_picked(e: &OrderPicked, names: &Names<'_>) -> String {
    let step = match e.step {
        Step::Pick => "Picked",
        Step::Pack => "Packed",
        Step::Ship => "Made ready to ship",
    };
    let wave = e
        .wave_id
        .map(|w| format!(" in wave {}", short(w.0)))
        .unwrap_or_default();
    format!(
        "{step} {} for {} in {}{wave}",
        names.goods(e.order_id, &e.lines),
        names.order(e.order_id),
        names.warehouse(e.warehouse_id)
    )
}

pub(super) fn wave_created(e: &WaveCreated, names: &Names<'_>) -> String {
    format!(
        "Wave of {} order(s) started in {}: {}",
        e.order_ids.len(),
        names.warehouse(e.warehouse_id),
        listed(e.order_ids.iter().map(|o| names.order(*o)))
    )
}

pub(super) fn wave_completed(e: &WaveCompleted) -> String {
    format!("Wave completed: {} operation(s) done", e.operations.len())
}

pub(super) fn shipment_dispatched(e: &ShipmentDispatched, names: &Names<'_>) -> String {
    let carrier = match (e.carrier.is_empty(), e.tracking_reference.is_empty()) {
        (true, true) => String::new(),
        (false, true) => format!(" by {}", e.carrier),
        (true, false) => format!(", tracking {}", e.tracking_reference),
        (false, false) => format!(" by {}, tracking {}", e.carrier, e.tracking_reference),
    };
    let cancelled = if e.cancelled.is_empty() {
        String::new()
    } else {
        format!("; rest cancelled: {}", names.goods(e.order_id, &e.cancelled))
    };
    format!(
        "Shipped {} to {} from {}{carrier} (shipment {}){cancelled}",
        names.goods(e.order_id, &e.lines),
        names.customer(e.customer_id),
        names.warehouse(e.warehouse_id),
        short(e.shipment_id.0)
    )
}

pub(super) fn delivery_confirmed(e: &DeliveryConfirmed) -> String {
    let proof = &e.proof;
    let document = if proof.document_reference.is_empty() {
        String::new()
    } else {
        format!(", document {}", proof.document_reference)
    };
    format!(
        "Delivery of shipment {} confirmed: signed by {} at {}{document}",
        short(e.shipment_id.0),
        proof.signed_by,
        proof.signed_at.format("%Y-%m-%d %H:%M")
    )
}
