//! Archiving settled orders: a settled order leaves the in-memory book, with its
//! shipments, picking operations, and the invoices and payments that concern nothing else
//! still in the book. The log keeps every event; the book keeps what later rules need:
//! every id (so none is reused, and a command naming an archived document is refused with
//! [`DomainError::Archived`]), each stream's version, the customers' ledgers (statements
//! stay exact), which products each customer ordered (claims about a product alone), and
//! where each lot went (recalls).
//!
//! An order is settled when nothing about it can still move: confirmed and shipped in
//! full (and on no hold), closed, or cancelled; nothing reserved, picked or on a draft invoice; everything
//! expected invoiced; every invoice it is on posted and paid (or cancelled); every wave it
//! is in completed; and no return, claim or credit note on file about it, its shipments or
//! its invoices (those orders stay in the book). An invoice shared with an order still in
//! the book stays until its last order is archived, and a payment stays until every
//! invoice it was allocated to is archived and none of it is left to allocate.
//!
//! Archival is a command ([`ArchiveOrder`]) and an event ([`OrderArchived`]) that names
//! every document it removes, so replaying the log rebuilds exactly the same book. What an
//! archival needs to find (an order's documents and their payments, what is on file
//! after the sale) is kept in the `links` module, so it never walks the whole book.

mod links;

use links::Linked;
pub(crate) use links::Links;

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::book::Book;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{
    CustomerId, EntityKind, InvoiceId, OperationId, OrderId, PaymentId, ProductId, ShipmentId, WaveId,
};
use crate::invoice::{Invoice, InvoiceStatus, PaymentState};
use crate::order::{OrderLine, OrderStatus, SalesOrder};
use crate::shipment::{LotDelivery, Shipment};

/// Command: archive a settled order (see the module documentation).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchiveOrder {
    /// The order.
    pub order_id: OrderId,
}

/// Event: an order left the book, with the documents named.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderArchived {
    /// The order.
    pub order_id: OrderId,
    /// Its customer.
    pub customer_id: CustomerId,
    /// Its shipments.
    pub shipment_ids: Vec<ShipmentId>,
    /// Its picking and packing operations.
    pub operation_ids: Vec<OperationId>,
    /// The invoices archived with it: those whose every order is now archived.
    pub invoice_ids: Vec<InvoiceId>,
    /// The payments archived with it: fully allocated, and only to archived invoices.
    pub payment_ids: Vec<PaymentId>,
}

/// Why an order is not settled yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unsettled {
    /// Still a quotation (cancel it first).
    Quotation,
    /// A confirmed order with quantities still to ship (ship or close it).
    OpenQuantity,
    /// A confirmed order on a credit or manual hold (release it, or close the order).
    OnHold,
    /// Stock reserved for it or picked and on its way.
    StockHeld,
    /// Something expected is not on a posted invoice yet.
    NotFullyInvoiced,
    /// An invoice of it is a draft.
    DraftInvoice {
        /// The invoice.
        invoice_id: InvoiceId,
    },
    /// An invoice of it still has something open or disputed.
    InvoiceOpen {
        /// The invoice.
        invoice_id: InvoiceId,
    },
    /// It is in a wave not completed.
    OpenWave {
        /// The wave.
        wave_id: WaveId,
    },
    /// A return, claim or credit note is on file about it, its shipments or its invoices.
    AfterSaleOnFile {
        /// What is on file.
        kind: EntityKind,
        /// Its id.
        id: Uuid,
    },
}

impl std::fmt::Display for Unsettled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Quotation => write!(f, "it is still a quotation"),
            Self::OpenQuantity => write!(f, "quantities are still to ship"),
            Self::OnHold => write!(f, "it is on hold"),
            Self::StockHeld => write!(f, "stock is reserved or on its way"),
            Self::NotFullyInvoiced => write!(f, "not everything expected is invoiced"),
            Self::DraftInvoice { invoice_id } => write!(f, "invoice {invoice_id} is a draft"),
            Self::InvoiceOpen { invoice_id } => write!(f, "invoice {invoice_id} is not paid"),
            Self::OpenWave { wave_id } => write!(f, "wave {wave_id} is not completed"),
            Self::AfterSaleOnFile { kind, id } => write!(f, "{kind} {id} is on file about it"),
        }
    }
}

/// What the book keeps of archived orders: bounded by customers, products and lots, not
/// by orders.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Archived {
    /// How many orders were archived.
    pub(crate) orders: u64,
    /// Per customer, the products on its archived orders.
    pub(crate) products_ordered: BTreeMap<CustomerId, BTreeSet<ProductId>>,
    /// Per product and lot (or serial number), the archived shipments that carried it.
    pub(crate) lot_deliveries: BTreeMap<ProductId, BTreeMap<String, Vec<LotDelivery>>>,
}

impl Archived {
    /// How many orders were archived.
    pub fn orders(&self) -> u64 {
        self.orders
    }

    /// True when an archived order of the customer had the product on a line.
    pub fn ordered(&self, customer: CustomerId, product: ProductId) -> bool {
        self.products_ordered
            .get(&customer)
            .is_some_and(|products| products.contains(&product))
    }

    /// The archived shipments that carried a lot of a product.
    pub fn lot_deliveries(&self, product: ProductId, lot: &str) -> &[LotDelivery] {
        self.lot_deliveries
            .get(&product)
            .and_then(|lots| lots.get(lot))
            .map(Vec::as_slice)
            .unwrap_or_default()
    }
}

pub(crate) fn archive(book: &Book, cmd: &ArchiveOrder) -> Result<Vec<Event>, DomainError> {
    book.require_company()?;
    let order = book.require_order(cmd.order_id)?;
    let (mut shipment_ids, mut operation_ids, mut invoices, mut payments) = (vec![], vec![], vec![], vec![]);
    for document in book.archive_links.of_order(order.id) {
        match *document {
            Linked::Shipment(id) => shipment_ids.push(id),
            Linked::Operation(id) => operation_ids.push(id),
            Linked::Invoice(id) => invoices.extend(book.invoice(id)),
            Linked::Payment(id) => payments.extend(book.payment(id)),
        }
    }
    settled(book, order, &invoices, &shipment_ids).map_err(|reason| DomainError::OrderNotSettled {
        order_id: order.id,
        reason,
    })?;

    // What goes with it: the invoices no order still in the book is on, then the payments
    // left with nothing to allocate and every allocation to an archived invoice.
    let invoice_ids: Vec<InvoiceId> = invoices
        .iter()
        .filter(|i| i.orders.iter().all(|o| *o == order.id || book.is_archived(o.0)))
        .map(|i| i.id)
        .collect();
    let gone = |id: &InvoiceId| invoice_ids.contains(id) || book.is_archived(id.0);
    let payment_ids: Vec<PaymentId> = payments
        .iter()
        .filter(|p| p.unallocated().amount.is_zero() && p.allocations.iter().all(|a| gone(&a.invoice_id)))
        .map(|p| p.id)
        .collect();
    Ok(vec![Event::OrderArchived(OrderArchived {
        order_id: order.id,
        customer_id: order.customer_id,
        shipment_ids,
        operation_ids,
        invoice_ids,
        payment_ids,
    })])
}

/// Whether nothing about the order can still move, checked in the order a clerk would
/// settle it: shipped (or closed, or cancelled), no stock held, its invoices posted and
/// paid, everything invoiced, its waves completed, nothing on file after the sale.
fn settled(
    book: &Book,
    order: &SalesOrder,
    invoices: &[&Invoice],
    shipment_ids: &[ShipmentId],
) -> Result<(), Unsettled> {
    match order.status {
        OrderStatus::Draft | OrderStatus::Sent => return Err(Unsettled::Quotation),
        OrderStatus::Confirmed if order.lines.iter().any(|l| l.open_quantity() > Decimal::ZERO) => {
            return Err(Unsettled::OpenQuantity);
        }
        // A hold is still open business (the credit-holds report lists it).
        OrderStatus::Confirmed if order.active_hold().is_some() => return Err(Unsettled::OnHold),
        OrderStatus::Confirmed | OrderStatus::Closed | OrderStatus::Cancelled => {}
    }
    if order
        .lines
        .iter()
        .any(|l| l.reserved > Decimal::ZERO || !l.allocations.is_empty())
    {
        return Err(Unsettled::StockHeld);
    }
    for invoice in invoices {
        let invoice_id = invoice.id;
        match invoice.status {
            InvoiceStatus::Draft => return Err(Unsettled::DraftInvoice { invoice_id }),
            InvoiceStatus::Posted
                if invoice.payment_state() != PaymentState::Paid || invoice.disputed > Decimal::ZERO =>
            {
                return Err(Unsettled::InvoiceOpen { invoice_id });
            }
            InvoiceStatus::Posted | InvoiceStatus::Cancelled => {}
        }
    }
    let invoicing = |l: &OrderLine| l.invoicing > Decimal::ZERO || order.invoiceable(l) > Decimal::ZERO;
    if !order.uninvoiced_value().is_zero() || order.lines.iter().any(invoicing) {
        return Err(Unsettled::NotFullyInvoiced);
    }
    if let Some(wave_id) = book.open_wave_of(order.id) {
        return Err(Unsettled::OpenWave { wave_id });
    }
    // No return, claim or credit note about the order, its shipments or its invoices.
    let about = std::iter::once(order.id.0)
        .chain(shipment_ids.iter().map(|s| s.0))
        .chain(invoices.iter().map(|i| i.id.0));
    match book.archive_links.first_on_file(about) {
        Some((kind, id)) => Err(Unsettled::AfterSaleOnFile { kind, id }),
        None => Ok(()),
    }
}

/// Folds an archival: the documents named leave the book; what later rules need stays.
pub(crate) fn apply_archived(book: &mut Book, e: &OrderArchived) {
    if let Some(order) = book.orders.remove(&e.order_id) {
        let products = book
            .archived
            .products_ordered
            .entry(order.customer_id)
            .or_default();
        products.extend(order.lines.iter().map(|l| l.product_id));
        book.archived.orders += 1;
    }
    book.waiting.remove(&e.order_id);
    for id in &e.shipment_ids {
        if let Some(shipment) = book.shipments.remove(id) {
            keep_lots(&mut book.archived, &shipment);
        }
    }
    for id in &e.operation_ids {
        book.operations.remove(id);
    }
    for id in &e.invoice_ids {
        if let Some(invoice) = book.invoices.remove(id) {
            if let Some(open) = book.open_invoices.get_mut(&invoice.customer_id) {
                open.remove(id);
            }
        }
    }
    for id in &e.payment_ids {
        book.payments.remove(id);
    }
}

/// Records where an archived shipment's lots went, as `lot_deliveries` reads them from a
/// shipment in the book.
fn keep_lots(archived: &mut Archived, shipment: &Shipment) {
    for (product, lot) in shipment.lots() {
        if let Some(delivery) = shipment.lot_delivery(product, lot) {
            let lots = archived.lot_deliveries.entry(product).or_default();
            lots.entry(lot.to_string()).or_default().push(delivery);
        }
    }
}
