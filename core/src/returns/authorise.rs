//! Authorising a return, and cancelling what an authorisation still expects.
//!
//! What may be authorised of an order line is what it delivered (its delivered quantity,
//! which receipts of returned goods already lowered, less goods credited as returned
//! without an authorisation) less what other live authorisations still expect of it; for
//! a lot, what shipments of this order carried of that lot on that line, less what came
//! back of it and what other live authorisations expect of it; a serial number must have
//! gone to the customer on that line and not come back. An authorisation is live while
//! it expects goods and has not expired.

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{
    Inspected, ReturnAuthorisation, ReturnLine, ReturnQuantity, ReturnStatus, ReturnedQuantity,
    check_tracking, check_unique, require_return,
};
use crate::book::Book;
use crate::context::CommandContext;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{ActorId, CustomerId, OrderId, ReturnId, WarehouseId};
use crate::order::{OrderLine, OrderStatus, SalesOrder};
use crate::validate;

/// Command: authorise the return of delivered goods of an order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthoriseReturn {
    /// The new authorisation's id.
    pub return_id: ReturnId,
    /// The order the goods were delivered on.
    pub order_id: OrderId,
    /// What may come back, per order line and lot (or serial numbers).
    pub lines: Vec<ReturnQuantity>,
    /// A reason code from the company's list.
    pub reason: String,
    /// Free note (may be empty).
    #[serde(default)]
    pub note: String,
    /// The last day goods may be received (default: `return_validity_days` after today).
    #[serde(default)]
    pub valid_until: Option<NaiveDate>,
    /// The warehouse that receives the goods (default: the order's).
    #[serde(default)]
    pub warehouse_id: Option<WarehouseId>,
}

/// Event: a return was authorised.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnAuthorised {
    /// The authorisation's id.
    pub return_id: ReturnId,
    /// The order.
    pub order_id: OrderId,
    /// Who returns the goods.
    pub customer_id: CustomerId,
    /// The warehouse that receives them.
    pub warehouse_id: WarehouseId,
    /// What may come back.
    pub lines: Vec<ReturnedQuantity>,
    /// The reason code.
    pub reason: String,
    /// Free note.
    pub note: String,
    /// The business date it was authorised.
    pub authorised_on: NaiveDate,
    /// The last day goods may be received.
    pub valid_until: NaiveDate,
}

/// Command: cancel what an authorisation still expects (authorised, not received).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelReturn {
    /// The authorisation.
    pub return_id: ReturnId,
    /// Why.
    pub reason: String,
}

/// Event: what an authorisation still expected was cancelled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnCancelled {
    /// The authorisation.
    pub return_id: ReturnId,
    /// The order.
    pub order_id: OrderId,
    /// The quantities no longer expected (with the serial numbers no longer expected).
    pub lines: Vec<ReturnedQuantity>,
    /// Why.
    pub reason: String,
    /// The business date.
    pub cancelled_on: NaiveDate,
}

/// What other authorisations of an order still expect, and what came back, for one line
/// (and lot) as of a date.
#[derive(Default)]
struct Claimed {
    /// Expected by live authorisations (not received, not cancelled, not expired).
    outstanding: Decimal,
    /// Received back on any authorisation.
    received: Decimal,
}

fn claimed(book: &Book, order_id: OrderId, date: NaiveDate, of: impl Fn(&ReturnLine) -> bool) -> Claimed {
    let mut claimed = Claimed::default();
    for rma in book.return_authorisations().filter(|r| r.order_id == order_id) {
        let live = !rma.expired_on(date);
        for l in rma.lines.iter().filter(|l| of(l)) {
            if live {
                claimed.outstanding += l.outstanding();
            }
            claimed.received += l.received;
        }
    }
    claimed
}

/// How often a serial number went to the customer on an order line, less how often it
/// came back or is expected back on a live authorisation.
fn serial_balance(book: &Book, order_id: OrderId, date: NaiveDate, line: u32, serial: &str) -> (bool, i64) {
    let shipped = book
        .shipments_of(order_id)
        .flat_map(|s| &s.moves)
        .filter(|m| m.line == line && m.movement.lot.as_deref() == Some(serial))
        .count();
    let mut back = 0usize;
    for rma in book.return_authorisations().filter(|r| r.order_id == order_id) {
        let live = !rma.expired_on(date);
        for l in rma.lines.iter().filter(|l| l.order_line == line) {
            back += l.received_serials.iter().filter(|s| *s == serial).count();
            if live {
                back += l.outstanding_serials().filter(|s| *s == serial).count();
            }
        }
    }
    let balance = i64::try_from(shipped).unwrap_or(i64::MAX) - i64::try_from(back).unwrap_or(i64::MAX);
    (shipped > 0, balance)
}

/// What shipments of an order carried of a line and lot, in the line's unit.
fn shipped_of_lot(book: &Book, order_id: OrderId, line: &OrderLine, lot: &str) -> Decimal {
    let stock: Decimal = book
        .shipments_of(order_id)
        .flat_map(|s| &s.moves)
        .filter(|m| m.line == line.line && m.movement.lot.as_deref() == Some(lot))
        .map(|m| m.movement.quantity)
        .sum();
    stock / line.stock_per_unit
}

/// Checks that `q` may be returned from `line`, `earlier` being what the same command
/// already asks of the line.
fn check_returnable(
    book: &Book,
    order: &SalesOrder,
    line: &OrderLine,
    q: &ReturnQuantity,
    earlier: Decimal,
    date: NaiveDate,
) -> Result<(), DomainError> {
    let on_line = claimed(book, order.id, date, |l| l.order_line == line.line);
    let returnable = line.delivered - line.returned - on_line.outstanding - earlier;
    if q.quantity > returnable {
        return Err(DomainError::ReturnExceedsDelivered {
            line: line.line,
            lot: q.lot.clone(),
            requested: q.quantity,
            returnable: returnable.max(Decimal::ZERO),
        });
    }
    if let Some(lot) = &q.lot {
        let shipped = shipped_of_lot(book, order.id, line, lot);
        if shipped.is_zero() {
            return Err(DomainError::LotNotShippedToCustomer {
                order_id: order.id,
                line: line.line,
                lot: lot.clone(),
            });
        }
        let of_lot = claimed(book, order.id, date, |l| l.is(line.line, Some(lot)));
        let returnable = shipped - of_lot.received - of_lot.outstanding;
        if q.quantity > returnable {
            return Err(DomainError::ReturnExceedsDelivered {
                line: line.line,
                lot: Some(lot.clone()),
                requested: q.quantity,
                returnable: returnable.max(Decimal::ZERO),
            });
        }
    }
    for serial in &q.serials {
        let (shipped, balance) = serial_balance(book, order.id, date, line.line, serial);
        if !shipped {
            return Err(DomainError::SerialNotShippedToCustomer {
                order_id: order.id,
                line: line.line,
                serial: serial.clone(),
            });
        }
        if balance < 1 {
            return Err(DomainError::ReturnExceedsDelivered {
                line: line.line,
                lot: Some(serial.clone()),
                requested: Decimal::ONE,
                returnable: Decimal::ZERO,
            });
        }
    }
    Ok(())
}

pub(crate) fn authorise(
    book: &Book,
    cmd: &AuthoriseReturn,
    ctx: &CommandContext,
) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    book.require_unused(cmd.return_id.0)?;
    let order = book.require_order(cmd.order_id)?;
    order.require_status(&[OrderStatus::Confirmed, OrderStatus::Closed])?;
    if !company
        .settings
        .return_reasons
        .iter()
        .any(|r| r.code == cmd.reason)
    {
        return Err(DomainError::UnknownReturnReason {
            code: cmd.reason.clone(),
        });
    }
    validate::free_text("note", &cmd.note)?;
    let today = ctx.business_date();
    let valid_until = match cmd.valid_until {
        Some(date) => date,
        None => today
            .checked_add_days(Days::new(u64::from(company.settings.return_validity_days)))
            .ok_or(DomainError::DateOutOfRange)?,
    };
    if valid_until < today {
        return Err(DomainError::ReturnValidityInPast { valid_until, today });
    }
    let warehouse_id = cmd.warehouse_id.unwrap_or(order.warehouse_id);
    book.require_warehouse(warehouse_id)?;
    if cmd.lines.is_empty() {
        return Err(DomainError::EmptyReturn {
            return_id: cmd.return_id,
        });
    }
    check_unique(&cmd.lines)?;
    let mut lines = Vec::with_capacity(cmd.lines.len());
    for (index, q) in cmd.lines.iter().enumerate() {
        let line = order.line(q.order_line).ok_or(DomainError::UnknownOrderLine {
            order_id: order.id,
            line: q.order_line,
        })?;
        validate::quantity(q.quantity, &book.line_unit(line))?;
        let product = book.require_product(line.product_id)?;
        check_tracking(order, product.tracking, product.id, q)?;
        let earlier: Decimal = cmd.lines[..index]
            .iter()
            .filter(|p| p.order_line == q.order_line)
            .map(|p| p.quantity)
            .sum();
        check_returnable(book, order, line, q, earlier, today)?;
        lines.push(ReturnedQuantity {
            order_line: q.order_line,
            product_id: line.product_id,
            quantity: q.quantity,
            lot: q.lot.clone(),
            serials: q.serials.clone(),
        });
    }
    Ok(vec![Event::ReturnAuthorised(ReturnAuthorised {
        return_id: cmd.return_id,
        order_id: order.id,
        customer_id: order.customer_id,
        warehouse_id,
        lines,
        reason: cmd.reason.clone(),
        note: cmd.note.clone(),
        authorised_on: today,
        valid_until,
    })])
}

pub(crate) fn cancel(
    book: &Book,
    cmd: &CancelReturn,
    ctx: &CommandContext,
) -> Result<Vec<Event>, DomainError> {
    book.require_company()?;
    let rma = require_return(book, cmd.return_id)?;
    validate::name("reason", &cmd.reason)?;
    let lines: Vec<ReturnedQuantity> = rma
        .lines
        .iter()
        .filter(|l| l.outstanding() > Decimal::ZERO)
        .map(|l| ReturnedQuantity {
            order_line: l.order_line,
            product_id: l.product_id,
            quantity: l.outstanding(),
            lot: l.lot.clone(),
            serials: l.outstanding_serials().cloned().collect(),
        })
        .collect();
    if lines.is_empty() {
        return Err(DomainError::NothingOutstanding { return_id: rma.id });
    }
    Ok(vec![Event::ReturnCancelled(ReturnCancelled {
        return_id: rma.id,
        order_id: rma.order_id,
        lines,
        reason: cmd.reason.clone(),
        cancelled_on: ctx.business_date(),
    })])
}

pub(crate) fn apply_authorised(book: &mut Book, e: &ReturnAuthorised, actor: &ActorId) {
    let lines = e
        .lines
        .iter()
        .map(|l| ReturnLine {
            order_line: l.order_line,
            product_id: l.product_id,
            lot: l.lot.clone(),
            serials: l.serials.clone(),
            authorised: l.quantity,
            received: Decimal::ZERO,
            received_serials: Vec::new(),
            cancelled: Decimal::ZERO,
            inspected: Inspected::default(),
            inspected_serials: Vec::new(),
            resolved: Decimal::ZERO,
            credited: Decimal::ZERO,
            replaced: Decimal::ZERO,
        })
        .collect();
    book.returns.insert(
        e.return_id,
        ReturnAuthorisation {
            id: e.return_id,
            order_id: e.order_id,
            customer_id: e.customer_id,
            warehouse_id: e.warehouse_id,
            reason: e.reason.clone(),
            note: e.note.clone(),
            authorised_by: actor.clone(),
            authorised_on: e.authorised_on,
            valid_until: e.valid_until,
            status: ReturnStatus::Authorised,
            lines,
            credit_notes: Vec::new(),
        },
    );
}

pub(crate) fn apply_cancelled(book: &mut Book, e: &ReturnCancelled) {
    let Some(rma) = book.returns.get_mut(&e.return_id) else {
        return;
    };
    for cancelled in &e.lines {
        if let Some(line) = rma.line_mut(cancelled.order_line, cancelled.lot.as_deref()) {
            line.cancelled += cancelled.quantity;
        }
    }
    rma.refresh_status();
}
