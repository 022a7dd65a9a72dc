//! Sales orders, from quotation to closing: the order's state and the folds of its events.
//!
//! Life cycle: `Draft` (a quotation being prepared) → `Sent` (offered to the customer) →
//! `Confirmed` (a sales order), or `Cancelled`; a confirmed order may be `Closed` (what is
//! still open is no longer expected) and reopened. Besides its status, a confirmed order may
//! be on *credit hold* (decided at confirmation by the credit check) and/or on a *manual
//! hold*; nothing is reserved or shipped while either holds.
//!
//! The rules live beside the state, one file per stage:
//! [`quotation`] (pricing, lines, discounts, sending, revalidation, discount approval),
//! [`confirmation`] (credit check and credit holds), [`amendment`] (changes after
//! confirmation, holds, closing, cancelling) and [`reservation`]. Shipping and invoicing
//! live in [`crate::shipment`] and [`crate::invoice`]; their events update the quantities
//! kept here.

pub mod amendment;
pub mod confirmation;
pub mod quotation;
pub mod reservation;
pub mod substitution;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use amendment::*;
pub use confirmation::*;
pub use quotation::*;
pub use reservation::*;
pub use substitution::*;

use crate::book::Book;
use crate::error::DomainError;
use crate::ids::{ActorId, CustomerId, InvoiceId, LocationId, OrderId, PriceListId, ProductId, WarehouseId};
use crate::invoice::InvoicePolicy;
use crate::money::{CurrencyCode, Money};
use crate::pricing::PriceSource;

/// Most lines one order may carry.
pub const MAX_ORDER_LINES: usize = 500;

/// A priced order line as recorded in events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotedLine {
    /// Line number within the order, from 1.
    pub line: u32,
    /// The product.
    pub product_id: ProductId,
    /// Quantity ordered, in `unit`.
    pub quantity: Decimal,
    /// The product's unit at quotation time.
    pub unit: String,
    /// Price per unit before discounts.
    pub unit_price: Money,
    /// Where the unit price came from.
    #[serde(default)]
    pub price_source: PriceSource,
    /// Line discount, percent.
    #[serde(default)]
    pub discount_percent: Decimal,
    /// The date promised to the customer.
    #[serde(default)]
    pub promised_date: Option<NaiveDate>,
    /// Stock units per unit of the line (1 when the line is in the product's stock unit).
    #[serde(default = "one")]
    pub stock_per_unit: Decimal,
    /// The warehouse that ships the line, when not the order's.
    #[serde(default)]
    pub warehouse_id: Option<WarehouseId>,
    /// Invoiced on ordered or on delivered quantities (the product's policy).
    #[serde(default)]
    pub invoice_policy: InvoicePolicy,
}

fn one() -> Decimal {
    Decimal::ONE
}

/// Goods held for an order line at one location (and lot), in the product's stock unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocation {
    /// Where the goods are.
    pub location_id: LocationId,
    /// Their lot or serial number.
    pub lot: Option<String>,
    /// How much.
    pub quantity: Decimal,
}

/// A quantity of one order line, as moved by a reservation, a shipment or a release.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineQuantity {
    /// Line number within the order.
    pub line: u32,
    /// The line's product.
    pub product_id: ProductId,
    /// The quantity, in the line's unit.
    pub quantity: Decimal,
}

/// When an order may ship.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShippingPolicy {
    /// Ship whatever is ready (partial shipments).
    #[default]
    AsSoonAsPossible,
    /// Ship only when everything open is ready, in one shipment.
    WhenComplete,
}

/// What happens to the rest of an order after a partial shipment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum BackorderPolicy {
    /// The rest stays open as a backorder.
    #[default]
    CreateBackorder,
    /// The rest is cancelled.
    CancelRest,
}

/// Where an order is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderStatus {
    /// A quotation being prepared.
    Draft,
    /// A quotation offered to the customer.
    Sent,
    /// A confirmed sales order.
    Confirmed,
    /// Confirmed, then closed: what was not shipped is no longer expected.
    Closed,
    /// Cancelled before anything shipped.
    Cancelled,
}

impl OrderStatus {
    /// Draft or sent.
    pub fn is_quotation(self) -> bool {
        matches!(self, Self::Draft | Self::Sent)
    }
}

/// How much of a confirmed order has shipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShippingStatus {
    /// Nothing has shipped.
    NotShipped,
    /// Some has shipped; the rest is a backorder.
    PartiallyShipped,
    /// Everything expected has shipped.
    Shipped,
}

/// How much of what was delivered has been invoiced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvoicingStatus {
    /// Nothing is delivered and not yet invoiced, and the order is not fully invoiced.
    NothingToInvoice,
    /// Some delivered quantity is not on any invoice yet.
    ToInvoice,
    /// Every expected quantity is on a posted invoice.
    FullyInvoiced,
}

/// A hold that stops reservation and shipping.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HoldKind {
    /// Decided by the credit check; a credit controller releases it.
    Credit,
    /// Put by a sales manager.
    Manual,
}

/// One line of an order with its running quantities.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    /// Line number within the order.
    pub line: u32,
    /// The product.
    pub product_id: ProductId,
    /// Unit of the quantities.
    pub unit: String,
    /// Ordered quantity.
    pub quantity: Decimal,
    /// Price per unit before discounts.
    pub unit_price: Money,
    /// Where the unit price came from.
    pub price_source: PriceSource,
    /// Line discount, percent.
    pub discount_percent: Decimal,
    /// Date promised to the customer.
    pub promised_date: Option<NaiveDate>,
    /// Stock units per unit of the line.
    pub stock_per_unit: Decimal,
    /// The warehouse that ships the line.
    pub warehouse_id: WarehouseId,
    /// Reserved for the line and not yet shipped (in stock, or picked and on its way).
    pub reserved: Decimal,
    /// Moved out of stock by picking (three- and two-step routes), cumulative.
    pub picked: Decimal,
    /// Moved from packing to output (three-step route), cumulative.
    pub packed: Decimal,
    /// Shipped to the customer.
    pub delivered: Decimal,
    /// No longer expected: cancelled by the backorder policy after a shipment.
    pub cancelled: Decimal,
    /// Delivered, then credited as returned goods: neither expected nor invoiced again.
    pub returned: Decimal,
    /// Received back on a return authorisation and not resolved yet: taken off the
    /// delivered quantity, neither open to ship nor to invoice.
    pub return_pending: Decimal,
    /// Received back on a return authorisation and resolved by a credit: no longer
    /// expected (its invoiced part was credited).
    pub return_credited: Decimal,
    /// Invoiced on ordered or on delivered quantities.
    pub invoice_policy: InvoicePolicy,
    /// Where the reserved goods are, by location and lot, in stock units.
    pub allocations: Vec<Allocation>,
    /// On draft invoices.
    pub invoicing: Decimal,
    /// On posted invoices.
    pub invoiced: Decimal,
}

impl OrderLine {
    pub(crate) fn from_quoted(q: &QuotedLine, order_warehouse: WarehouseId) -> Self {
        Self {
            line: q.line,
            product_id: q.product_id,
            unit: q.unit.clone(),
            quantity: q.quantity,
            unit_price: q.unit_price,
            price_source: q.price_source.clone(),
            discount_percent: q.discount_percent,
            promised_date: q.promised_date,
            stock_per_unit: q.stock_per_unit,
            warehouse_id: q.warehouse_id.unwrap_or(order_warehouse),
            reserved: Decimal::ZERO,
            picked: Decimal::ZERO,
            packed: Decimal::ZERO,
            delivered: Decimal::ZERO,
            cancelled: Decimal::ZERO,
            returned: Decimal::ZERO,
            return_pending: Decimal::ZERO,
            return_credited: Decimal::ZERO,
            invoice_policy: q.invoice_policy,
            allocations: Vec::new(),
            invoicing: Decimal::ZERO,
            invoiced: Decimal::ZERO,
        }
    }

    /// Still to ship (ordered minus delivered and cancelled, and minus goods that came back
    /// on a return authorisation and are not to be replaced).
    pub fn open_quantity(&self) -> Decimal {
        self.quantity - self.delivered - self.cancelled - self.came_back()
    }

    /// Received back on return authorisations: pending a resolution or credited (a
    /// replacement makes its quantity open again).
    pub fn came_back(&self) -> Decimal {
        self.return_pending + self.return_credited
    }

    /// A quantity of the line in the product's stock unit.
    pub fn to_stock(&self, quantity: Decimal) -> Decimal {
        quantity * self.stock_per_unit
    }

    /// Stock held for the line at a location, all lots.
    pub fn allocated_at(&self, location: LocationId) -> Decimal {
        self.allocations
            .iter()
            .filter(|a| a.location_id == location)
            .map(|a| a.quantity)
            .sum()
    }

    /// `quantity` of one of the line's allocations, as a reservation to release or record.
    pub(crate) fn reservation(&self, allocation: &Allocation, quantity: Decimal) -> QuantReservation {
        QuantReservation {
            line: self.line,
            product_id: self.product_id,
            location_id: allocation.location_id,
            lot: allocation.lot.clone(),
            quantity,
        }
    }

    pub(crate) fn allocate(&mut self, location_id: LocationId, lot: Option<&str>, quantity: Decimal) {
        match self
            .allocations
            .iter_mut()
            .find(|a| a.location_id == location_id && a.lot.as_deref() == lot)
        {
            Some(a) => a.quantity += quantity,
            None => self.allocations.push(Allocation {
                location_id,
                lot: lot.map(str::to_string),
                quantity,
            }),
        }
        self.allocations.retain(|a| !a.quantity.is_zero());
        // Most lines hold one allocation, and none once shipped: the book keeps every
        // line, so it keeps no room beyond what the line holds (a push would leave room
        // for four).
        self.allocations.shrink_to_fit();
    }

    /// Open and not yet reserved.
    pub fn unreserved(&self) -> Decimal {
        self.open_quantity() - self.reserved
    }

    /// Delivered (and not returned) and on no invoice yet.
    pub fn to_invoice(&self) -> Decimal {
        self.delivered - self.returned - self.invoiced - self.invoicing
    }
}

/// Combined effect of two successive discounts, in percent: 10% then 5% is 14.5%.
pub fn combined_discount(first: Decimal, second: Decimal) -> Decimal {
    first + second - first * second / Decimal::ONE_HUNDRED
}

/// A sales order's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesOrder {
    /// The order's id.
    pub id: OrderId,
    /// Who buys.
    pub customer_id: CustomerId,
    /// The shipping warehouse.
    pub warehouse_id: WarehouseId,
    /// The order's currency.
    pub currency: CurrencyCode,
    /// The customer's reference.
    pub customer_reference: String,
    /// Life-cycle status.
    pub status: OrderStatus,
    /// Lines in line-number order.
    pub lines: Vec<OrderLine>,
    /// The highest line number ever used (removed lines' numbers are never reused).
    pub last_line: u32,
    /// The price list the lines were priced with, if any.
    pub price_list_id: Option<PriceListId>,
    /// Order-level discount, percent, applied on top of each line's discount.
    pub order_discount_percent: Decimal,
    /// Last day the quotation may be confirmed (none for quotations without validity).
    pub valid_until: Option<NaiveDate>,
    /// Who created the quotation.
    pub created_by: ActorId,
    /// Who last changed its lines, prices or discounts.
    pub last_changed_by: ActorId,
    /// Everyone who created or changed its lines, prices or discounts, in order, each
    /// once: none of them may approve its discounts. (A sorted vector, written as the set
    /// it is: most orders have one or two, and a set's tree node kept room for eleven.)
    pub price_changers: Vec<ActorId>,
    /// Who approved its discounts, if approved since the last price change.
    pub discount_approved_by: Option<ActorId>,
    /// What that approval covered; a reason that appears later needs a new approval.
    pub approved_reasons: Vec<ApprovalReason>,
    /// The credit hold decided at confirmation, until released.
    pub credit_hold: Option<CreditHold>,
    /// The reason of a manual hold, while held.
    pub hold: Option<String>,
    /// When the order may ship.
    pub shipping_policy: ShippingPolicy,
    /// What happens to the rest after a partial shipment (none: the customer's policy).
    pub backorder_policy: Option<BackorderPolicy>,
    /// Urgent orders are served first when stock is short.
    pub urgent: bool,
    /// Log position of the confirmation (confirmation order, for serving priority).
    pub confirmed_at: Option<u64>,
    /// Its down-payment invoices, in the order they were created.
    pub down_payments: Vec<InvoiceId>,
}

impl SalesOrder {
    /// The line with this number.
    pub fn line(&self, line: u32) -> Option<&OrderLine> {
        self.lines.iter().find(|l| l.line == line)
    }

    pub(crate) fn line_mut(&mut self, line: u32) -> Option<&mut OrderLine> {
        self.lines.iter_mut().find(|l| l.line == line)
    }

    /// The effective discount of a line, order discount included, percent.
    pub fn effective_discount(&self, line: &OrderLine) -> Decimal {
        combined_discount(line.discount_percent, self.order_discount_percent)
    }

    /// Net unit price of a line after both discounts (exact, unrounded).
    pub fn net_unit_price(&self, line: &OrderLine) -> Decimal {
        line.unit_price.amount * (Decimal::ONE_HUNDRED - self.effective_discount(line)) / Decimal::ONE_HUNDRED
    }

    /// `quantity` of a line at its net unit price (exact, unrounded).
    pub fn value_of(&self, line: &OrderLine, quantity: Decimal) -> Decimal {
        quantity * self.net_unit_price(line)
    }

    /// The order's contribution to its customer's credit exposure: what is expected and
    /// not yet on a posted invoice, at net prices (exact).
    pub fn uninvoiced_value(&self) -> Decimal {
        self.lines
            .iter()
            .map(|l| self.value_of(l, (self.expected_invoiced(l) - l.invoiced).max(Decimal::ZERO)))
            .sum()
    }

    /// The hold that stops reservation and shipping, if any (credit first).
    pub fn active_hold(&self) -> Option<HoldKind> {
        if self.credit_hold.is_some() {
            Some(HoldKind::Credit)
        } else if self.hold.is_some() {
            Some(HoldKind::Manual)
        } else {
            None
        }
    }

    /// True once any quantity of the order has shipped (goods that came back since
    /// included).
    pub fn has_shipped(&self) -> bool {
        self.lines
            .iter()
            .any(|l| l.delivered > Decimal::ZERO || l.came_back() > Decimal::ZERO)
    }

    /// The backorder of a line: once the order has shipped anything, whatever the line
    /// still has open waits for a later shipment (a line with nothing shipped yet included).
    /// Zero before the first shipment, for a closed order, and for an unknown line.
    pub fn backorder(&self, line: u32) -> Decimal {
        match self.line(line) {
            Some(l) if self.has_shipped() && self.status == OrderStatus::Confirmed => l.open_quantity(),
            _ => Decimal::ZERO,
        }
    }

    /// Shipping progress (meaningful once confirmed).
    pub fn shipping_status(&self) -> ShippingStatus {
        if !self.has_shipped() {
            ShippingStatus::NotShipped
        } else if self.status == OrderStatus::Closed
            || self.lines.iter().all(|l| l.open_quantity() <= Decimal::ZERO)
        {
            ShippingStatus::Shipped
        } else {
            ShippingStatus::PartiallyShipped
        }
    }

    /// What a line expects to be invoiced in the end: its ordered quantity less what was
    /// cancelled (what it delivered once the order is closed), less returned goods (goods
    /// that came back on a return authorisation, pending or credited, included).
    pub fn expected_invoiced(&self, line: &OrderLine) -> Decimal {
        let expected = match self.status {
            OrderStatus::Closed => line.delivered,
            OrderStatus::Confirmed => line.quantity - line.cancelled - line.came_back(),
            OrderStatus::Draft | OrderStatus::Sent | OrderStatus::Cancelled => Decimal::ZERO,
        };
        expected - line.returned
    }

    /// What a line may bill in all by now, by its policy: what it delivered (less returned
    /// goods), or what it expects.
    pub fn billable(&self, line: &OrderLine) -> Decimal {
        match line.invoice_policy {
            InvoicePolicy::OnDelivered => line.delivered - line.returned,
            InvoicePolicy::OnOrdered => self.expected_invoiced(line),
        }
    }

    /// What may be invoiced of a line now: what it may bill less what is on invoices
    /// (negative when goods came back after being invoiced: nothing to invoice then).
    pub fn invoiceable(&self, line: &OrderLine) -> Decimal {
        self.billable(line) - line.invoiced - line.invoicing
    }

    /// Invoicing progress.
    pub fn invoicing_status(&self) -> InvoicingStatus {
        let expected = |l: &OrderLine| self.expected_invoiced(l);
        if self.lines.iter().any(|l| self.invoiceable(l) > Decimal::ZERO) {
            InvoicingStatus::ToInvoice
        } else if self.lines.iter().any(|l| expected(l) > Decimal::ZERO)
            && self.lines.iter().all(|l| l.invoiced >= expected(l))
        {
            InvoicingStatus::FullyInvoiced
        } else {
            InvoicingStatus::NothingToInvoice
        }
    }

    pub(crate) fn next_line_number(&self) -> u32 {
        self.last_line + 1
    }

    /// Adds a line from an event, remembering its number.
    pub(crate) fn push_line(&mut self, line: &QuotedLine) {
        self.last_line = self.last_line.max(line.line);
        self.lines.push(OrderLine::from_quoted(line, self.warehouse_id));
    }

    /// True when a confirmed, unheld order has open quantities not reserved.
    pub fn is_waiting(&self) -> bool {
        self.status == OrderStatus::Confirmed
            && self.active_hold().is_none()
            && self.lines.iter().any(|l| l.unreserved() > Decimal::ZERO)
    }

    /// The earliest promised date among lines still open (none when no open line has one).
    pub fn earliest_promise(&self) -> Option<NaiveDate> {
        self.lines
            .iter()
            .filter(|l| l.open_quantity() > Decimal::ZERO)
            .filter_map(|l| l.promised_date)
            .min()
    }

    /// Refuses unless the order's status is one of `allowed`, with the error that names
    /// why: not yet confirmed, already confirmed, closed or cancelled.
    pub(crate) fn require_status(&self, allowed: &[OrderStatus]) -> Result<(), DomainError> {
        if allowed.contains(&self.status) {
            return Ok(());
        }
        let order_id = self.id;
        Err(match self.status {
            OrderStatus::Draft | OrderStatus::Sent => DomainError::OrderNotConfirmed { order_id },
            OrderStatus::Confirmed => DomainError::OrderAlreadyConfirmed { order_id },
            OrderStatus::Closed => DomainError::OrderIsClosed { order_id },
            OrderStatus::Cancelled => DomainError::OrderIsCancelled { order_id },
        })
    }

    /// Refuses while a hold stops reservation and shipping.
    pub(crate) fn require_not_held(&self) -> Result<(), DomainError> {
        match self.active_hold() {
            Some(hold) => Err(DomainError::OrderOnHold {
                order_id: self.id,
                hold,
            }),
            None => Ok(()),
        }
    }
}

/// The order statuses of a quotation.
pub(crate) const QUOTATION: &[OrderStatus] = &[OrderStatus::Draft, OrderStatus::Sent];
/// The status of an order that can still be reserved and shipped.
pub(crate) const OPEN: &[OrderStatus] = &[OrderStatus::Confirmed];

pub(crate) fn require_quotation(book: &Book, order_id: OrderId) -> Result<&SalesOrder, DomainError> {
    let order = book.require_order(order_id)?;
    order.require_status(QUOTATION)?;
    Ok(order)
}

pub(crate) fn require_confirmed(book: &Book, order_id: OrderId) -> Result<&SalesOrder, DomainError> {
    let order = book.require_order(order_id)?;
    order.require_status(OPEN)?;
    Ok(order)
}
