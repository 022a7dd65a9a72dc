//! What archiving an order looks up instead of walking every document in the book: per
//! order in the book, its shipments, picking operations, invoices and the payments
//! allocated to those invoices; and, per order, shipment or invoice, the first return,
//! claim or credit note on file about it. Kept by the fold as those documents are
//! created, and emptied of an order's entry when it is archived, so an archival costs the
//! same whatever the size of the book. An order's documents share one small vector (an
//! order has two to four of them), which keeps the links to ~150 bytes per order.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::event::Event;
use crate::ids::{EntityKind, InvoiceId, OperationId, OrderId, PaymentId, ShipmentId};
use crate::invoice::Invoice;

/// A document of an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Linked {
    Shipment(ShipmentId),
    Operation(OperationId),
    Invoice(InvoiceId),
    /// A payment allocated to one of the order's invoices.
    Payment(PaymentId),
}

/// The links (see the module documentation).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Links {
    /// Each order's documents, in the order they were linked.
    of_order: BTreeMap<OrderId, Vec<Linked>>,
    /// The first after-sale document about an order, shipment or invoice (by its id).
    after_sale: BTreeMap<Uuid, (EntityKind, Uuid)>,
}

impl Links {
    /// Records what an event links; `invoices` are the book's before the event.
    pub(crate) fn apply(&mut self, event: &Event, invoices: &BTreeMap<InvoiceId, Box<Invoice>>) {
        match event {
            Event::ShipmentDispatched(e) => self.link(e.order_id, Linked::Shipment(e.shipment_id)),
            Event::OrderPicked(e) => self.link(e.order_id, Linked::Operation(e.operation_id)),
            Event::InvoiceCreated(e) => {
                for order in std::iter::once(e.order_id).chain(e.additional_orders.iter().copied()) {
                    self.link(order, Linked::Invoice(e.invoice_id));
                }
            }
            Event::PaymentAllocated(e) => {
                for order in invoices.get(&e.invoice_id).into_iter().flat_map(|i| &i.orders) {
                    self.link(*order, Linked::Payment(e.payment_id));
                }
            }
            Event::ReturnAuthorised(e) => self.on_file(e.order_id.0, EntityKind::Return, e.return_id.0),
            Event::ClaimOpened(e) => {
                let about = [
                    e.about.order_id.map(|id| id.0),
                    e.about.shipment_id.map(|id| id.0),
                    e.about.invoice_id.map(|id| id.0),
                ];
                for id in about.into_iter().flatten() {
                    self.on_file(id, EntityKind::Claim, e.claim_id.0);
                }
            }
            Event::CreditNoteIssued(e) => {
                self.on_file(e.invoice_id.0, EntityKind::CreditNote, e.credit_note_id.0)
            }
            Event::CreditApplied(e) => {
                self.on_file(e.invoice_id.0, EntityKind::CreditNote, e.credit_note_id.0)
            }
            // An archived order has nothing on file after the sale: only its documents go.
            Event::OrderArchived(e) => {
                self.of_order.remove(&e.order_id);
            }
            _ => {}
        }
    }

    fn link(&mut self, order: OrderId, document: Linked) {
        let documents = self.of_order.entry(order).or_default();
        if !documents.contains(&document) {
            documents.push(document);
            documents.shrink_to_fit();
        }
    }

    fn on_file(&mut self, about: Uuid, kind: EntityKind, id: Uuid) {
        self.after_sale.entry(about).or_insert((kind, id));
    }

    /// An order's documents, in the order they were linked.
    pub(crate) fn of_order(&self, order: OrderId) -> &[Linked] {
        self.of_order.get(&order).map(Vec::as_slice).unwrap_or_default()
    }

    /// The first after-sale document about any of `ids`.
    pub(crate) fn first_on_file(&self, ids: impl IntoIterator<Item = Uuid>) -> Option<(EntityKind, Uuid)> {
        ids.into_iter().find_map(|id| self.after_sale.get(&id).copied())
    }
}
