//! Receiving returned goods: from the customers' location into the returns location of
//! the authorisation's warehouse, by lot or serial number as authorised. Partial receipts
//! are allowed; nothing is received after the authorisation's last valid day. What comes
//! back lowers the order line's delivered quantity and waits, pending, for a resolution.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{ReturnQuantity, ReturnStatus, ReturnedQuantity, check_tracking, check_unique, require_return};
use crate::book::Book;
use crate::context::CommandContext;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{OrderId, ReturnId, WarehouseId};
use crate::location::{LocationKind, standard_location, virtual_location};
use crate::picking::LineMove;
use crate::stock::{self, StockMove};
use crate::validate;

/// Command: receive returned goods of an authorisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiveReturn {
    /// The authorisation.
    pub return_id: ReturnId,
    /// What arrived, per order line and lot (or serial numbers).
    pub lines: Vec<ReturnQuantity>,
}

/// Event: returned goods were received into the returns location.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnReceived {
    /// The authorisation.
    pub return_id: ReturnId,
    /// The order.
    pub order_id: OrderId,
    /// The receiving warehouse.
    pub warehouse_id: WarehouseId,
    /// What arrived.
    pub lines: Vec<ReturnedQuantity>,
    /// The moves from the customers' location to the returns location, lot by lot.
    pub moves: Vec<LineMove>,
    /// The business date.
    pub received_on: NaiveDate,
}

/// The moves that bring a returned quantity of an order line from `from` to `to`: one per
/// serial number, else one (with its lot).
pub(crate) fn moves_of(
    q: &ReturnedQuantity,
    stock: Decimal,
    from: crate::ids::LocationId,
    to: crate::ids::LocationId,
) -> Vec<LineMove> {
    let movement = |lot: Option<String>, quantity: Decimal| LineMove {
        line: q.order_line,
        movement: StockMove {
            product_id: q.product_id,
            from,
            to,
            lot,
            quantity,
        },
    };
    if q.serials.is_empty() {
        vec![movement(q.lot.clone(), stock)]
    } else {
        q.serials
            .iter()
            .map(|s| movement(Some(s.clone()), Decimal::ONE))
            .collect()
    }
}

pub(crate) fn receive(
    book: &Book,
    cmd: &ReceiveReturn,
    ctx: &CommandContext,
) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    let rma = require_return(book, cmd.return_id)?;
    if matches!(rma.status, ReturnStatus::Cancelled | ReturnStatus::Resolved) {
        return Err(DomainError::ReturnNotOpen {
            return_id: rma.id,
            status: rma.status,
        });
    }
    let today = ctx.business_date();
    if rma.expired_on(today) {
        return Err(DomainError::ReturnAuthorisationExpired {
            return_id: rma.id,
            valid_until: rma.valid_until,
            date: today,
        });
    }
    let order = book.require_order(rma.order_id)?;
    if cmd.lines.is_empty() {
        return Err(DomainError::EmptyReturn { return_id: rma.id });
    }
    check_unique(&cmd.lines)?;
    let from = virtual_location(company.id, LocationKind::Customer);
    let to = standard_location(rma.warehouse_id, LocationKind::Returns);
    let mut lines = Vec::with_capacity(cmd.lines.len());
    let mut moves = Vec::new();
    for (index, q) in cmd.lines.iter().enumerate() {
        let authorised =
            rma.line(q.order_line, q.lot.as_deref())
                .ok_or(DomainError::NotAuthorisedForReturn {
                    line: q.order_line,
                    lot: q.lot.clone(),
                })?;
        let line = order.line(q.order_line).ok_or(DomainError::UnknownOrderLine {
            order_id: order.id,
            line: q.order_line,
        })?;
        validate::quantity(q.quantity, &book.line_unit(line))?;
        let product = book.require_product(line.product_id)?;
        check_tracking(order, product.tracking, product.id, q)?;
        if q.quantity > authorised.outstanding() {
            return Err(DomainError::ReturnExceedsAuthorised {
                line: q.order_line,
                lot: q.lot.clone(),
                requested: q.quantity,
                outstanding: authorised.outstanding(),
            });
        }
        for serial in &q.serials {
            if !authorised.outstanding_serials().any(|s| s == serial) {
                return Err(DomainError::SerialNotAuthorised {
                    line: q.order_line,
                    serial: serial.clone(),
                });
            }
        }
        // Never more than the line still counts as delivered.
        let earlier: Decimal = cmd.lines[..index]
            .iter()
            .filter(|p| p.order_line == q.order_line)
            .map(|p| p.quantity)
            .sum();
        let returnable = line.delivered - line.returned - earlier;
        if q.quantity > returnable {
            return Err(DomainError::ReturnExceedsDelivered {
                line: q.order_line,
                lot: q.lot.clone(),
                requested: q.quantity,
                returnable: returnable.max(Decimal::ZERO),
            });
        }
        let received = ReturnedQuantity {
            order_line: q.order_line,
            product_id: line.product_id,
            quantity: q.quantity,
            lot: q.lot.clone(),
            serials: q.serials.clone(),
        };
        moves.extend(moves_of(&received, line.to_stock(q.quantity), from, to));
        lines.push(received);
    }
    Ok(vec![Event::ReturnReceived(ReturnReceived {
        return_id: rma.id,
        order_id: rma.order_id,
        warehouse_id: rma.warehouse_id,
        lines,
        moves,
        received_on: today,
    })])
}

pub(crate) fn apply_received(book: &mut Book, e: &ReturnReceived) {
    for m in &e.moves {
        stock::apply_move(book, &m.movement, false, e.received_on);
    }
    if let Some(order) = book.orders.get_mut(&e.order_id) {
        for received in &e.lines {
            if let Some(line) = order.line_mut(received.order_line) {
                line.delivered -= received.quantity;
                line.return_pending += received.quantity;
            }
        }
    }
    let Some(rma) = book.returns.get_mut(&e.return_id) else {
        return;
    };
    for received in &e.lines {
        if let Some(line) = rma.line_mut(received.order_line, received.lot.as_deref()) {
            line.received += received.quantity;
            line.received_serials.extend(received.serials.iter().cloned());
        }
    }
    rma.refresh_status();
}
