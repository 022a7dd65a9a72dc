//! The queries a scenario step may ask, how they are written and how they are answered.
//!
//! A query is a JSON object with one key, its kind: `{"order": "SO-1"}`, `{"stock":
//! {"product": "WIDGET", "location": "WH-1/Stock"}}`, `{"invoice": "INV-1"}`,
//! `{"credit_note": "CN-1"}`, `{"customer": "ACME"}`, `{"payment": "PAY-1"}`,
//! `{"shipment": "SH-1"}`, `{"return": "RMA-1"}`, `{"claim": "CLM-1"}`, `{"document":
//! "DOC-1"}`, or one of the projections (see [`super::projection`]). The answer is the
//! serde JSON of a view (see [`super::views`], [`super::billing`] and
//! [`super::after_sale`]).

use chrono::{DateTime, Utc};
use o2c_core::ids::{ClaimId, DocumentId, ReturnId};
use o2c_core::uuid::Uuid;
use o2c_core::{Book, CreditNoteId, CustomerId, InvoiceId, OrderId, PaymentId, ProductId, ShipmentId};
use serde_json::{Map, Value};

use super::labels::Labels;
use super::projection::{self, ProjectionQuery};
use super::{after_sale, billing, views};

/// A query of a scenario step, its ids resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Query {
    /// An order's status, holds and line quantities.
    Order(OrderId),
    /// A product's stock, everywhere or at one warehouse or location (code or label, with
    /// the id the label stands for).
    Stock {
        product: ProductId,
        location: Option<(String, Uuid)>,
    },
    /// An invoice's amounts, payment state and installments.
    Invoice(InvoiceId),
    /// A credit note's amounts and what is left of it.
    CreditNote(CreditNoteId),
    /// A customer's account figures.
    Customer(CustomerId),
    /// A payment's allocations and unapplied amount.
    Payment(PaymentId),
    /// A shipment's quantities.
    Shipment(ShipmentId),
    /// A return authorisation's lines: authorised, received, inspected, resolved.
    Return(ReturnId),
    /// A claim's status, service levels and disputed amount.
    Claim(ClaimId),
    /// A document reference: kind, subject, current or superseded, expiry.
    Document(DocumentId),
    /// A projection's report.
    Projection(ProjectionQuery),
}

/// A field problem: (field, message).
type FieldError = (String, String);

/// The domain query kinds (projection kinds are in [`projection::KINDS`]).
pub(crate) const DOMAIN_KINDS: &[&str] = &[
    "order",
    "stock",
    "invoice",
    "credit_note",
    "customer",
    "payment",
    "shipment",
    "return",
    "claim",
    "document",
];

fn id_text<'v>(value: &'v Value, field: &str) -> Result<&'v str, FieldError> {
    value
        .as_str()
        .filter(|t| !t.is_empty())
        .ok_or_else(|| (field.to_string(), "must be a label or a UUID".to_string()))
}

/// Reads a query; returns it with its title ("order SO-1").
pub(crate) fn parse(value: &Value, labels: &mut Labels) -> Result<(Query, String), FieldError> {
    let all = || {
        DOMAIN_KINDS
            .iter()
            .chain(projection::KINDS)
            .copied()
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (kind, arg) = match value {
        Value::Object(map) if map.len() == 1 => {
            map.iter().next().ok_or_else(|| ("query".to_string(), all()))?
        }
        _ => {
            return Err((
                "query".into(),
                format!("must be an object with one key, one of {}", all()),
            ));
        }
    };
    let field = format!("query.{kind}");
    let title = |target: &str| format!("{kind} {target}");
    let query = match kind.as_str() {
        "order" => {
            let text = id_text(arg, &field)?;
            (Query::Order(OrderId(labels.resolve(text))), title(text))
        }
        "invoice" => {
            let text = id_text(arg, &field)?;
            (Query::Invoice(InvoiceId(labels.resolve(text))), title(text))
        }
        "credit_note" => {
            let text = id_text(arg, &field)?;
            (Query::CreditNote(CreditNoteId(labels.resolve(text))), title(text))
        }
        "customer" => {
            let text = id_text(arg, &field)?;
            (Query::Customer(CustomerId(labels.resolve(text))), title(text))
        }
        "payment" => {
            let text = id_text(arg, &field)?;
            (Query::Payment(PaymentId(labels.resolve(text))), title(text))
        }
        "shipment" => {
            let text = id_text(arg, &field)?;
            (Query::Shipment(ShipmentId(labels.resolve(text))), title(text))
        }
        "return" => {
            let text = id_text(arg, &field)?;
            (Query::Return(ReturnId(labels.resolve(text))), title(text))
        }
        "claim" => {
            let text = id_text(arg, &field)?;
            (Query::Claim(ClaimId(labels.resolve(text))), title(text))
        }
        "document" => {
            let text = id_text(arg, &field)?;
            (Query::Document(DocumentId(labels.resolve(text))), title(text))
        }
        "stock" => stock(arg, &field, labels)?,
        other if projection::KINDS.contains(&other) => {
            let (query, title) = projection::parse(other, arg, &field)?;
            (Query::Projection(query), title)
        }
        other => {
            return Err((
                format!("query.{other}"),
                format!("unknown query; expected one of {}", all()),
            ));
        }
    };
    Ok(query)
}

fn stock(arg: &Value, field: &str, labels: &mut Labels) -> Result<(Query, String), FieldError> {
    let Value::Object(map) = arg else {
        return Err((
            field.to_string(),
            "must be {\"product\": …, \"location\"?: …}".into(),
        ));
    };
    check_keys(map, field, &["product", "location"])?;
    let product_field = format!("{field}.product");
    let product = id_text(
        map.get("product")
            .ok_or_else(|| (product_field.clone(), "required".to_string()))?,
        &product_field,
    )?;
    let product_id = ProductId(labels.resolve(product));
    let location = match map.get("location") {
        None => None,
        Some(value) => {
            let text = id_text(value, &format!("{field}.location"))?;
            Some((text.to_string(), labels.resolve_location(text)))
        }
    };
    let title = match &location {
        Some((text, _)) => format!("stock {product} at {text}"),
        None => format!("stock {product}"),
    };
    Ok((
        Query::Stock {
            product: product_id,
            location,
        },
        title,
    ))
}

/// Refuses keys other than `allowed` in a query's arguments.
pub(crate) fn check_keys(map: &Map<String, Value>, field: &str, allowed: &[&str]) -> Result<(), FieldError> {
    match map.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(key) => Err((
            format!("{field}.{key}"),
            format!("unknown field; expected one of {}", allowed.join(", ")),
        )),
        None => Ok(()),
    }
}

/// Answers a query on the book (and, for projections, on the log the book was folded
/// from). `now` is the scenario's current business time (claims are measured against
/// their service levels then; its date is the day overdue amounts and expiries are
/// judged on). `Err` says what is missing.
pub(crate) fn answer(
    query: &Query,
    engine: &crate::Engine,
    labels: &Labels,
    now: DateTime<Utc>,
) -> Result<Value, String> {
    let today = now.date_naive();
    let on_book = |f: &dyn Fn(&Book) -> Result<Value, String>| engine.read(f);
    // An archived order, shipment, invoice or payment is no longer in the book: it answers
    // `{"archived": true}`.
    let archived = |id: Uuid| engine.read(|book| book.is_archived(id));
    match query {
        Query::Order(OrderId(id))
        | Query::Invoice(InvoiceId(id))
        | Query::Payment(PaymentId(id))
        | Query::Shipment(ShipmentId(id))
            if archived(*id) =>
        {
            Ok(serde_json::json!({"archived": true}))
        }
        Query::Order(id) => on_book(&|book| views::order(book, labels, *id)),
        Query::Stock { product, location } => on_book(&|book| {
            let location = location.as_ref().map(|(text, id)| (text.as_str(), *id));
            views::stock(book, labels, *product, location)
        }),
        Query::Invoice(id) => on_book(&|book| billing::invoice(book, labels, *id)),
        Query::CreditNote(id) => on_book(&|book| billing::credit_note(book, labels, *id)),
        Query::Customer(id) => on_book(&|book| billing::customer(book, labels, *id, today)),
        Query::Payment(id) => on_book(&|book| billing::payment(book, labels, *id)),
        Query::Shipment(id) => on_book(&|book| views::shipment(book, labels, *id)),
        Query::Return(id) => on_book(&|book| after_sale::return_authorisation(book, labels, *id)),
        Query::Claim(id) => on_book(&|book| after_sale::claim(book, labels, *id, now)),
        Query::Document(id) => on_book(&|book| after_sale::document(book, labels, *id, today)),
        Query::Projection(query) => projection::answer(query, engine, labels, today),
    }
}
