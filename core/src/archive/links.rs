//! What archiving an order looks up instead of walking every document in the book: per
//! order in the book, its shipments, picking operations and invoices; per invoice, the
//! payments allocated to it; and, per order, shipment or invoice, the first return, claim
//! or credit note on file about it. Kept by the fold as those documents are created, and
//! emptied of an order's entries when it is archived, so an archival costs the same
//! whatever the size of the book.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::event::Event;
use crate::ids::{EntityKind, InvoiceId, OperationId, OrderId, PaymentId, ShipmentId};

use super::OrderArchived;

/// The documents of one order in the book, in the order they were created.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct OrderDocuments {
    pub(crate) shipments: Vec<ShipmentId>,
    pub(crate) operations: Vec<OperationId>,
    pub(crate) invoices: Vec<InvoiceId>,
}

/// The links (see the module documentation).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Links {
    pub(crate) of_order: BTreeMap<OrderId, OrderDocuments>,
    pub(crate) payments_of_invoice: BTreeMap<InvoiceId, Vec<PaymentId>>,
    /// The first after-sale document about an order, shipment or invoice (by its id).
    pub(crate) after_sale: BTreeMap<Uuid, (EntityKind, Uuid)>,
}

impl Links {
    /// Records what an event links.
    pub(crate) fn apply(&mut self, event: &Event) {
        match event {
            Event::ShipmentDispatched(e) => self.order(e.order_id).shipments.push(e.shipment_id),
            Event::OrderPicked(e) => self.order(e.order_id).operations.push(e.operation_id),
            Event::InvoiceCreated(e) => {
                for order in std::iter::once(e.order_id).chain(e.additional_orders.iter().copied()) {
                    self.order(order).invoices.push(e.invoice_id);
                }
            }
            Event::PaymentAllocated(e) => {
                let payments = self.payments_of_invoice.entry(e.invoice_id).or_default();
                if !payments.contains(&e.payment_id) {
                    payments.push(e.payment_id);
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
            Event::OrderArchived(e) => self.forget(e),
            _ => {}
        }
    }

    fn order(&mut self, order: OrderId) -> &mut OrderDocuments {
        self.of_order.entry(order).or_default()
    }

    fn on_file(&mut self, about: Uuid, kind: EntityKind, id: Uuid) {
        self.after_sale.entry(about).or_insert((kind, id));
    }

    /// The first after-sale document about any of `ids`.
    pub(crate) fn first_on_file(&self, ids: impl IntoIterator<Item = Uuid>) -> Option<(EntityKind, Uuid)> {
        ids.into_iter().find_map(|id| self.after_sale.get(&id).copied())
    }

    /// Drops what an archival took out of the book (an archived order has nothing on file
    /// after the sale).
    fn forget(&mut self, e: &OrderArchived) {
        self.of_order.remove(&e.order_id);
        for invoice in &e.invoice_ids {
            self.payments_of_invoice.remove(invoice);
        }
    }
}
