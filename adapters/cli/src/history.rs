//! `o2c history`: how one order, invoice, customer, return, claim (or any record) got to
//! its state. Lists, in log order, the events of the record's own stream and the events of
//! other streams that concern it (a shipment of the order, a payment allocated to the
//! invoice, the credit note of a return, a document attached to a claim), each with its
//! business time, its actor and a one-line summary.
//!
//! "Concerns it" is decided on the stored facts themselves: an event belongs to the
//! history when it is on the record's stream or its payload mentions the record's id (or
//! the id of a document that belongs to it: an order's shipments and invoices, a return's
//! credit notes, the documents linked to a claim). That
//! finds every link an event records, whatever its kind, without a table to keep up to
//! date.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use o2c::claim::Claim;
use o2c::ids::{ClaimId, DocumentId, ReturnId};
use o2c::invoice::{CreditNote, Invoice};
use o2c::order::SalesOrder;
use o2c::returns::ReturnAuthorisation;
use o2c::uuid::Uuid;
use o2c::{
    Book, CreditNoteId, CustomerId, Event, InvoiceId, OrderId, PaymentId, ProductId, RecordedEvent,
    ShipmentId, StreamId, WarehouseId,
};

use crate::data;
use crate::failure::Failure;
use crate::summary::{self, Names, claim_type, priority, short};
use crate::table::{Align, Table};

/// The record a history is about: a title, the ids whose mentions make an event part of
/// it, and the payments settling it (their receipt and return belong to it too, their
/// allocations to other invoices do not).
struct Subject {
    title: String,
    ids: BTreeSet<Uuid>,
    payments: BTreeSet<Uuid>,
}

impl Subject {
    fn one(title: String, id: Uuid) -> Self {
        Self {
            title,
            ids: BTreeSet::from([id]),
            payments: BTreeSet::new(),
        }
    }

    /// Adds the payments in the book allocated to `invoices` (ids).
    fn with_payments_of(mut self, book: &Book, invoices: &BTreeSet<Uuid>) -> Self {
        self.payments.extend(
            book.payments()
                .filter(|p| p.allocations.iter().any(|a| invoices.contains(&a.invoice_id.0)))
                .map(|p| p.id.0),
        );
        self
    }
}

/// Prints the history of `entity` (an id, a stream id, or an invoice or credit-note
/// number) in the data directory `dir`.
pub fn run(dir: &Path, entity: &str, out: &mut dyn Write) -> Result<(), Failure> {
    let engine = data::open_engine(dir)?;
    let events = engine.events(1, usize::MAX)?;
    engine.read(|book| {
        let subject = resolve(book, &events, entity.trim())?;
        let needles: Vec<String> = subject
            .ids
            .iter()
            .map(|id| id.as_hyphenated().to_string())
            .collect();
        let mut table = Table::new(&[
            ("#", Align::Right),
            ("business time", Align::Left),
            ("actor", Align::Left),
            ("record", Align::Left),
            ("what happened", Align::Left),
        ]);
        let names = Names::with_log(book, &events);
        for event in &events {
            if !concerns(event, &subject, &needles)? {
                continue;
            }
            table.row(vec![
                event.position.to_string(),
                event.business_time.format("%Y-%m-%d %H:%M").to_string(),
                event.actor.as_str().to_string(),
                format!("{} {}", event.stream.kind.prefix(), short(event.stream.id)),
                summary::line(&event.payload, &names),
            ]);
        }
        if table.is_empty() {
            return Err(Failure::new(format!("no event in the log concerns {entity}")));
        }
        writeln!(out, "{}", subject.title)?;
        writeln!(out)?;
        table.write(out, 0)?;
        Ok(())
    })
}

/// True when `event` is on one of the subject's streams, its payload mentions one of its
/// ids, or it is the receipt or return of a payment settling it.
fn concerns(event: &RecordedEvent, subject: &Subject, needles: &[String]) -> Result<bool, Failure> {
    if subject.ids.contains(&event.stream.id) {
        return Ok(true);
    }
    if subject.payments.contains(&event.stream.id)
        && matches!(
            event.payload,
            Event::PaymentReceived(_) | Event::PaymentReturned(_)
        )
    {
        return Ok(true);
    }
    let payload = serde_json::to_string(&event.payload)
        .map_err(|e| Failure::new(format!("event {} cannot be read as JSON: {e}", event.position)))?;
    Ok(needles.iter().any(|needle| payload.contains(needle.as_str())))
}

/// Finds what `text` names.
fn resolve(book: &Book, events: &[RecordedEvent], text: &str) -> Result<Subject, Failure> {
    let id = match Uuid::try_parse(text) {
        Ok(id) => Some(id),
        Err(_) => text.parse::<StreamId>().ok().map(|stream| stream.id),
    };
    if let Some(id) = id {
        return Ok(by_id(book, events, id));
    }
    if let Some(invoice) = book.invoices().find(|i| i.number.as_deref() == Some(text)) {
        return Ok(invoice_subject(book, invoice));
    }
    // An archived invoice: its number is in the log.
    let posted = events.iter().find_map(|e| match &e.payload {
        Event::InvoicePosted(p) if p.number == text => Some(p.invoice_id.0),
        _ => None,
    });
    if let Some(id) = posted {
        return Ok(by_id(book, events, id));
    }
    if let Some(note) = book.credit_notes().find(|c| c.number == text) {
        return Ok(credit_note_subject(book, note));
    }
    Err(Failure::new(format!(
        "{text:?} is neither an id (UUID, or a stream id such as order-<uuid>) nor the number of an invoice or \
         credit note in this log (numbers look like INV/2026/00001)"
    )))
}

fn by_id(book: &Book, events: &[RecordedEvent], id: Uuid) -> Subject {
    let names = Names::new(book);
    let one = |title: String| Subject::one(title, id);
    if let Some(order) = book.order(OrderId(id)) {
        return order_subject(book, order);
    }
    if let Some(invoice) = book.invoice(InvoiceId(id)) {
        return invoice_subject(book, invoice);
    }
    if let Some(customer) = book.customer(CustomerId(id)) {
        return one(format!(
            "Customer {}: receivable {}, exposure {}{}",
            customer.details.name,
            names.base_amount(customer.receivable),
            names.base_amount(customer.exposure()),
            customer
                .blocked
                .as_ref()
                .map(|reason| format!(", blocked ({reason})"))
                .unwrap_or_default()
        ));
    }
    if let Some(shipment) = book.shipment(ShipmentId(id)) {
        return one(format!(
            "Shipment {} of {} to {}, shipped on {}{}",
            short(id),
            names.order(shipment.order_id),
            names.customer(shipment.customer_id),
            shipment.shipped_on,
            if shipment.proof.is_some() {
                ", delivered"
            } else {
                ""
            }
        ));
    }
    if let Some(payment) = book.payment(PaymentId(id)) {
        return one(format!(
            "Payment {} from {} received on {}: {}",
            short(id),
            names.customer(payment.customer_id),
            payment.received_on,
            names.money(&payment.amount)
        ));
    }
    if let Some(note) = book.credit_note(CreditNoteId(id)) {
        return credit_note_subject(book, note);
    }
    if let Some(rma) = book.return_authorisation(ReturnId(id)) {
        return return_subject(book, rma);
    }
    if let Some(claim) = book.claim(ClaimId(id)) {
        return claim_subject(book, claim);
    }
    if let Some(document) = book.document(DocumentId(id)) {
        return one(format!(
            "Document \"{}\" ({:?}){}{}",
            document.title,
            document.kind,
            document
                .expires_on
                .map(|d| format!(", expires {d}"))
                .unwrap_or_default(),
            document
                .superseded_by
                .map(|d| format!(", superseded by {}", short(d.0)))
                .unwrap_or_default()
        ));
    }
    if let Some(product) = book.product(ProductId(id)) {
        return one(format!("Product {} ({})", product.sku, product.name));
    }
    if let Some(warehouse) = book.warehouse(WarehouseId(id)) {
        return one(format!("Warehouse {} ({})", warehouse.code, warehouse.name));
    }
    if book.is_archived(id) {
        // No longer in the book: its events (and those naming it) are still in the log.
        return archived_subject(book, events, id).unwrap_or_else(|| one(format!("Archived record {id}")));
    }
    one(format!("Record {id}"))
}

/// An archived order (with its shipments, its invoices and the payments settling them) or
/// an archived invoice, read from the log: the archival event names what left with it.
fn archived_subject(book: &Book, events: &[RecordedEvent], id: Uuid) -> Option<Subject> {
    let names = Names::new(book);
    let (archival, archived) = events.iter().find_map(|event| match &event.payload {
        Event::OrderArchived(e) if e.order_id.0 == id || e.invoice_ids.iter().any(|i| i.0 == id) => {
            Some((event, e))
        }
        _ => None,
    })?;
    let on = archival.business_time.date_naive();
    if archived.order_id.0 != id {
        let number = events.iter().find_map(|e| match &e.payload {
            Event::InvoicePosted(p) if p.invoice_id.0 == id => Some(p.number.clone()),
            _ => None,
        });
        let title = format!(
            "Invoice {} ({id}) for {}: archived on {on} with order {}",
            number.unwrap_or_else(|| "(never posted)".into()),
            names.customer(archived.customer_id),
            short(archived.order_id.0)
        );
        let invoices = BTreeSet::from([id]);
        let mut subject = Subject::one(title, id);
        subject.payments = allocated_to(events, &invoices);
        return Some(subject);
    }
    // Its invoices: those archived with it, and any other it is on (one of several orders).
    let mut invoices: BTreeSet<Uuid> = archived.invoice_ids.iter().map(|i| i.0).collect();
    invoices.extend(events.iter().filter_map(|e| match &e.payload {
        Event::InvoiceCreated(c) if c.order_id.0 == id || c.additional_orders.iter().any(|o| o.0 == id) => {
            Some(c.invoice_id.0)
        }
        _ => None,
    }));
    let mut ids = BTreeSet::from([id]);
    ids.extend(archived.shipment_ids.iter().map(|s| s.0));
    ids.extend(invoices.iter().copied());
    Some(Subject {
        title: format!(
            "Order {id} for {}: archived on {on}",
            names.customer(archived.customer_id)
        ),
        ids,
        payments: allocated_to(events, &invoices),
    })
}

/// The payments the log allocated to any of `invoices` (in the book or archived).
fn allocated_to(events: &[RecordedEvent], invoices: &BTreeSet<Uuid>) -> BTreeSet<Uuid> {
    events
        .iter()
        .filter_map(|e| match &e.payload {
            Event::PaymentAllocated(a) if invoices.contains(&a.invoice_id.0) => Some(a.payment_id.0),
            _ => None,
        })
        .collect()
}

/// An order, its shipments and its invoices.
fn order_subject(book: &Book, order: &SalesOrder) -> Subject {
    let names = Names::new(book);
    let invoices: BTreeSet<Uuid> = book
        .invoices()
        .filter(|i| i.order_id == order.id || i.orders.contains(&order.id))
        .map(|i| i.id.0)
        .collect();
    let mut ids = BTreeSet::from([order.id.0]);
    ids.extend(book.shipments_of(order.id).map(|s| s.id.0));
    ids.extend(invoices.iter().copied());
    let reference = if order.customer_reference.is_empty() {
        String::new()
    } else {
        format!(" (their reference {})", order.customer_reference)
    };
    Subject {
        title: format!(
            "Order {}{reference} for {}: {:?}, shipping {:?}, invoicing {:?}",
            order.id,
            names.customer(order.customer_id),
            order.status,
            order.shipping_status(),
            order.invoicing_status()
        ),
        ids,
        payments: BTreeSet::new(),
    }
    .with_payments_of(book, &invoices)
}

fn invoice_subject(book: &Book, invoice: &Invoice) -> Subject {
    let names = Names::new(book);
    let number = invoice.number.clone().unwrap_or_else(|| "(draft)".into());
    Subject::one(
        format!(
            "Invoice {number} ({}) for {}: {:?}, total {}, open {}, {:?}",
            invoice.id,
            names.customer(invoice.customer_id),
            invoice.status,
            names.money(&invoice.total),
            names.money(&invoice.open_amount()),
            invoice.payment_state()
        ),
        invoice.id.0,
    )
    .with_payments_of(book, &BTreeSet::from([invoice.id.0]))
}

fn credit_note_subject(book: &Book, note: &CreditNote) -> Subject {
    let names = Names::new(book);
    Subject::one(
        format!(
            "Credit note {} against invoice {}: total {}",
            note.number,
            names.invoice(note.invoice_id),
            names.money(&note.total)
        ),
        note.id.0,
    )
}

/// A return authorisation and the credit notes its resolutions issued.
fn return_subject(book: &Book, rma: &ReturnAuthorisation) -> Subject {
    let names = Names::new(book);
    let mut ids = BTreeSet::from([rma.id.0]);
    ids.extend(rma.credit_notes.iter().map(|n| n.0));
    Subject {
        title: format!(
            "Return {} of {} for {} ({}): {:?}, valid until {}",
            rma.id,
            names.order(rma.order_id),
            names.customer(rma.customer_id),
            rma.reason,
            rma.status,
            rma.valid_until
        ),
        ids,
        payments: BTreeSet::new(),
    }
}

/// A claim and the documents linked to it when it was opened.
fn claim_subject(book: &Book, claim: &Claim) -> Subject {
    let names = Names::new(book);
    let mut ids = BTreeSet::from([claim.id.0]);
    ids.extend(claim.document_ids.iter().map(|d| d.0));
    let disputed = claim
        .amount_on_hold()
        .map(|m| format!(", {} on hold", names.money(&m)))
        .unwrap_or_default();
    Subject {
        title: format!(
            "Claim {} of {} ({}, {} priority): {:?}{disputed}",
            claim.id,
            names.customer(claim.customer_id),
            claim_type(claim.claim_type),
            priority(claim.priority),
            claim.status
        ),
        ids,
        payments: BTreeSet::new(),
    }
}
