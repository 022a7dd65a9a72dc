//! Return authorisations (RMA): goods a customer sends back from a delivered order, from
//! the authorisation to the commercial resolution.
//!
//! Life of an authorisation:
//! 1. [`authorise`]: a sales manager or customer-service lead authorises quantities of
//!    delivered order lines (per lot or serial number for tracked products) for a reason
//!    from the company's list; it is valid until a date (by default
//!    `return_validity_days` after authorising). What is authorised never exceeds what
//!    was delivered on the line (and of the lot or serial) less what is already returned
//!    or authorised on other live authorisations. The rest not yet received may be
//!    cancelled.
//! 2. [`receipt`]: the warehouse receives the goods (partial receipts allowed, never
//!    after the last valid day) from the customers' location into the warehouse's returns
//!    location. The order line's delivered quantity goes down by what came back, which is
//!    now *pending* a resolution: neither open to ship nor to invoice.
//! 3. [`inspection`]: a warehouse manager decides per line what becomes of the received
//!    goods: restocked (available again), quarantined, scrapped (with a reason) or sent
//!    back to the vendor.
//! 4. [`resolution`]: for the received, unresolved quantity: a credit note (at the
//!    invoiced prices and taxes, less an optional restocking fee), a replacement (the
//!    quantity is open again on the order and ships through the ordinary flow, at the
//!    order's prices, with nothing new to invoice), or a refund (the credit note, then
//!    what it left as customer credit is paid back).
//!
//! Quantities of an authorisation are in the order line's unit; stock moves in the
//! product's stock unit. Every stock change is a [`crate::stock::StockMove`] inside the
//! event that causes it, so stock is conserved.

pub mod authorise;
pub mod credit;
pub mod inspection;
pub mod receipt;
pub mod resolution;

use std::collections::BTreeSet;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use authorise::*;
pub use inspection::*;
pub use receipt::*;
pub use resolution::*;

use crate::book::Book;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{ActorId, CreditNoteId, CustomerId, OrderId, ProductId, ReturnId, WarehouseId};
use crate::order::SalesOrder;
use crate::stock::Tracking;
use crate::validate;

/// A reason a return may be authorised for, from the company's configurable list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnReason {
    /// Short code, e.g. `damaged-in-transit`.
    pub code: String,
    /// What it means.
    pub description: String,
}

impl ReturnReason {
    /// A reason.
    pub fn new(code: &str, description: &str) -> Self {
        Self {
            code: code.to_string(),
            description: description.to_string(),
        }
    }

    /// The default list: damaged in transit, wrong item, not as described, surplus,
    /// expired.
    pub fn defaults() -> Vec<Self> {
        vec![
            Self::new("damaged-in-transit", "Damaged in transit"),
            Self::new("wrong-item", "Wrong item shipped"),
            Self::new("not-as-described", "Not as described"),
            Self::new("surplus", "Surplus: more than the customer needs"),
            Self::new("expired", "Expired or too close to expiry"),
        ]
    }
}

/// Checks a list of return reasons: codes and descriptions valid, codes unique.
pub(crate) fn validate_reasons(reasons: &[ReturnReason]) -> Result<(), DomainError> {
    for (index, reason) in reasons.iter().enumerate() {
        validate::name("return_reasons.code", &reason.code)?;
        validate::free_text("return_reasons.description", &reason.description)?;
        if reasons[..index].iter().any(|r| r.code == reason.code) {
            return Err(DomainError::DuplicateReturnReason {
                code: reason.code.clone(),
            });
        }
    }
    Ok(())
}

/// A quantity of an order line (of one lot, or some serial numbers) in a return command.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnQuantity {
    /// The order line.
    pub order_line: u32,
    /// How much, in the order line's unit.
    pub quantity: Decimal,
    /// The lot, for lot-tracked products.
    #[serde(default)]
    pub lot: Option<String>,
    /// The serial numbers, for serial-tracked products (one per stock unit).
    #[serde(default)]
    pub serials: Vec<String>,
}

/// A quantity of one line of an authorisation, as recorded in events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnedQuantity {
    /// The order line.
    pub order_line: u32,
    /// The line's product.
    pub product_id: ProductId,
    /// How much, in the order line's unit.
    pub quantity: Decimal,
    /// The lot, for lot-tracked products.
    #[serde(default)]
    pub lot: Option<String>,
    /// The serial numbers, for serial-tracked products.
    #[serde(default)]
    pub serials: Vec<String>,
}

/// Where an authorisation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReturnStatus {
    /// Authorised; nothing received yet.
    Authorised,
    /// Some received, more expected.
    PartiallyReceived,
    /// Everything expected received (the rest cancelled); some not resolved yet.
    Received,
    /// Everything received is resolved and nothing more is expected.
    Resolved,
    /// Cancelled before anything was received.
    Cancelled,
}

/// What inspection decided for the received goods of a line, by outcome, in the order
/// line's unit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inspected {
    /// Moved to stock: available again.
    pub restocked: Decimal,
    /// Moved to quarantine.
    pub quarantined: Decimal,
    /// Scrapped.
    pub scrapped: Decimal,
    /// Sent back to the vendor.
    pub returned_to_vendor: Decimal,
}

impl Inspected {
    /// Everything inspected.
    pub fn total(&self) -> Decimal {
        self.restocked + self.quarantined + self.scrapped + self.returned_to_vendor
    }
}

/// One line of an authorisation: an order line, of one lot (or some serial numbers).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnLine {
    /// The order line.
    pub order_line: u32,
    /// Its product.
    pub product_id: ProductId,
    /// The lot, for lot-tracked products.
    pub lot: Option<String>,
    /// The serial numbers authorised, for serial-tracked products.
    pub serials: Vec<String>,
    /// Authorised.
    pub authorised: Decimal,
    /// Received back.
    pub received: Decimal,
    /// The serial numbers received back.
    pub received_serials: Vec<String>,
    /// Cancelled before being received.
    pub cancelled: Decimal,
    /// Inspected, by outcome.
    pub inspected: Inspected,
    /// The serial numbers inspected.
    pub inspected_serials: Vec<String>,
    /// Resolved (credited or replaced).
    pub resolved: Decimal,
    /// Resolved by a credit (credit note or refund): no longer expected on the order.
    pub credited: Decimal,
    /// Resolved by a replacement: open again on the order.
    pub replaced: Decimal,
}

impl ReturnLine {
    /// Authorised and neither received nor cancelled.
    pub fn outstanding(&self) -> Decimal {
        self.authorised - self.received - self.cancelled
    }

    /// Received and not yet inspected.
    pub fn uninspected(&self) -> Decimal {
        self.received - self.inspected.total()
    }

    /// Received and not yet resolved.
    pub fn unresolved(&self) -> Decimal {
        self.received - self.resolved
    }

    /// Authorised serial numbers not received yet (none once the rest is cancelled).
    pub fn outstanding_serials(&self) -> impl Iterator<Item = &String> {
        let open = self.outstanding() > Decimal::ZERO;
        self.serials
            .iter()
            .filter(move |s| open && !self.received_serials.contains(s))
    }

    /// Received serial numbers not inspected yet.
    pub fn uninspected_serials(&self) -> impl Iterator<Item = &String> {
        self.received_serials
            .iter()
            .filter(|s| !self.inspected_serials.contains(s))
    }

    /// True when this line is for `order_line` and `lot`.
    pub fn is(&self, order_line: u32, lot: Option<&str>) -> bool {
        self.order_line == order_line && self.lot.as_deref() == lot
    }
}

/// A return authorisation's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnAuthorisation {
    /// Its id.
    pub id: ReturnId,
    /// The order the goods were delivered on.
    pub order_id: OrderId,
    /// Who returns them.
    pub customer_id: CustomerId,
    /// The warehouse that receives them (into its returns location).
    pub warehouse_id: WarehouseId,
    /// The reason code.
    pub reason: String,
    /// Free note.
    pub note: String,
    /// Who authorised it.
    pub authorised_by: ActorId,
    /// When.
    pub authorised_on: NaiveDate,
    /// The last day goods may be received on it.
    pub valid_until: NaiveDate,
    /// Where it stands.
    pub status: ReturnStatus,
    /// Its lines.
    pub lines: Vec<ReturnLine>,
    /// The credit notes its resolutions issued.
    pub credit_notes: Vec<CreditNoteId>,
}

impl ReturnAuthorisation {
    /// The line for an order line and lot.
    pub fn line(&self, order_line: u32, lot: Option<&str>) -> Option<&ReturnLine> {
        self.lines.iter().find(|l| l.is(order_line, lot))
    }

    fn line_mut(&mut self, order_line: u32, lot: Option<&str>) -> Option<&mut ReturnLine> {
        self.lines.iter_mut().find(|l| l.is(order_line, lot))
    }

    /// True when goods may no longer be received on `date`.
    pub fn expired_on(&self, date: NaiveDate) -> bool {
        date > self.valid_until
    }

    /// Authorised, not received nor cancelled, over every line.
    pub fn outstanding(&self) -> Decimal {
        self.lines.iter().map(ReturnLine::outstanding).sum()
    }

    /// The status its figures give.
    fn derived_status(&self) -> ReturnStatus {
        let received: Decimal = self.lines.iter().map(|l| l.received).sum();
        let unresolved: Decimal = self.lines.iter().map(ReturnLine::unresolved).sum();
        let outstanding = self.outstanding();
        if received.is_zero() && outstanding.is_zero() {
            ReturnStatus::Cancelled
        } else if received.is_zero() {
            ReturnStatus::Authorised
        } else if outstanding > Decimal::ZERO {
            ReturnStatus::PartiallyReceived
        } else if unresolved > Decimal::ZERO {
            ReturnStatus::Received
        } else {
            ReturnStatus::Resolved
        }
    }

    fn refresh_status(&mut self) {
        self.status = self.derived_status();
    }
}

/// The authorisation, refused when unknown.
pub(crate) fn require_return(book: &Book, id: ReturnId) -> Result<&ReturnAuthorisation, DomainError> {
    book.return_authorisation(id)
        .ok_or(DomainError::UnknownReturnAuthorisation { return_id: id })
}

/// Checks the lot and serial numbers of a return quantity against the product's tracking:
/// untracked products name neither, lot-tracked ones a lot, serial-tracked ones as many
/// distinct serial numbers as the quantity has stock units.
pub(crate) fn check_tracking(
    order: &SalesOrder,
    tracking: Tracking,
    product_id: ProductId,
    q: &ReturnQuantity,
) -> Result<(), DomainError> {
    let mismatch = DomainError::ReturnTrackingMismatch { product_id, tracking };
    match tracking {
        Tracking::None if q.lot.is_some() || !q.serials.is_empty() => return Err(mismatch),
        Tracking::Lot if q.lot.is_none() || !q.serials.is_empty() => return Err(mismatch),
        Tracking::Serial if q.lot.is_some() || q.serials.is_empty() => return Err(mismatch),
        _ => {}
    }
    if let Some(lot) = &q.lot {
        validate::name("lot", lot)?;
    }
    let mut seen = BTreeSet::new();
    for serial in &q.serials {
        validate::name("serials", serial)?;
        if !seen.insert(serial.as_str()) {
            return Err(DomainError::SerialListedTwice {
                serial: serial.clone(),
            });
        }
    }
    if tracking == Tracking::Serial {
        let stock = order
            .line(q.order_line)
            .map_or(q.quantity, |l| l.to_stock(q.quantity));
        if stock != Decimal::from(q.serials.len()) {
            return Err(DomainError::SerialCountMismatch {
                line: q.order_line,
                quantity: stock,
                serials: q.serials.len(),
            });
        }
    }
    Ok(())
}

/// Refuses the same order line and lot twice in one command.
pub(crate) fn check_unique(quantities: &[ReturnQuantity]) -> Result<(), DomainError> {
    for (index, q) in quantities.iter().enumerate() {
        if quantities[..index]
            .iter()
            .any(|p| p.order_line == q.order_line && p.lot == q.lot)
        {
            return Err(DomainError::DuplicateLine { line: q.order_line });
        }
    }
    Ok(())
}

/// Folds the events of return authorisations.
pub(crate) fn apply(book: &mut Book, event: &Event, actor: &ActorId) {
    match event {
        Event::ReturnAuthorised(e) => authorise::apply_authorised(book, e, actor),
        Event::ReturnCancelled(e) => authorise::apply_cancelled(book, e),
        Event::ReturnReceived(e) => receipt::apply_received(book, e),
        Event::ReturnInspected(e) => inspection::apply_inspected(book, e),
        Event::ReturnResolved(e) => resolution::apply_resolved(book, e),
        _ => {}
    }
}
