//! The query views of the after-sale records: a return authorisation, a claim (with its
//! service levels as of the step's business time) and a document reference. Like the
//! other views they read the book, show ids by label and write exact decimals as strings.

use chrono::{DateTime, NaiveDate, Utc};
use o2c_core::Book;
use o2c_core::claim::{
    ClaimPriority, ClaimResolution, ClaimStatus, ClaimType, ServiceLevelTarget, TargetStatus,
};
use o2c_core::document::{DocumentKind, DocumentSubject};
use o2c_core::ids::{ClaimId, DocumentId, ReturnId};
use o2c_core::returns::{Inspected, ReturnStatus};
use o2c_core::rust_decimal::Decimal;
use serde::Serialize;

use super::labels::Labels;
use super::views::{Missing, to_value};

#[derive(Serialize)]
struct ReturnLineView {
    order_line: u32,
    product: String,
    lot: Option<String>,
    serials: Vec<String>,
    authorised: Decimal,
    received: Decimal,
    cancelled: Decimal,
    outstanding: Decimal,
    inspected: Inspected,
    uninspected: Decimal,
    resolved: Decimal,
    credited: Decimal,
    replaced: Decimal,
}

#[derive(Serialize)]
struct ReturnView {
    order: String,
    customer: String,
    warehouse: String,
    reason: String,
    status: ReturnStatus,
    authorised_by: String,
    authorised_on: NaiveDate,
    valid_until: NaiveDate,
    credit_notes: Vec<String>,
    lines: Vec<ReturnLineView>,
}

/// A return authorisation: its order, reason, status, the credit notes its resolutions
/// issued, and per line (and lot) what was authorised, received, cancelled, inspected by
/// outcome and resolved (credited or replaced), in the order line's unit.
pub(crate) fn return_authorisation(
    book: &Book,
    labels: &Labels,
    id: ReturnId,
) -> Result<serde_json::Value, Missing> {
    let rma = book
        .return_authorisation(id)
        .ok_or_else(|| format!("no return {}", labels.name_of(id.0)))?;
    to_value(ReturnView {
        order: labels.name_of(rma.order_id.0),
        customer: labels.name_of(rma.customer_id.0),
        warehouse: labels.name_of(rma.warehouse_id.0),
        reason: rma.reason.clone(),
        status: rma.status,
        authorised_by: rma.authorised_by.as_str().to_string(),
        authorised_on: rma.authorised_on,
        valid_until: rma.valid_until,
        credit_notes: rma.credit_notes.iter().map(|n| labels.name_of(n.0)).collect(),
        lines: rma
            .lines
            .iter()
            .map(|l| ReturnLineView {
                order_line: l.order_line,
                product: labels.name_of(l.product_id.0),
                lot: l.lot.clone(),
                serials: l.serials.clone(),
                authorised: l.authorised,
                received: l.received,
                cancelled: l.cancelled,
                outstanding: l.outstanding(),
                inspected: l.inspected,
                uninspected: l.uninspected(),
                resolved: l.resolved,
                credited: l.credited,
                replaced: l.replaced,
            })
            .collect(),
    })
}

#[derive(Serialize)]
struct SubjectView {
    order: Option<String>,
    shipment: Option<String>,
    invoice: Option<String>,
    product: Option<String>,
}

/// How a claim was resolved, ids by label.
#[derive(Serialize)]
#[serde(tag = "kind")]
enum ResolutionView {
    Credit { credit_note: String },
    Replacement { order: Option<String> },
    ReturnAuthorised { r#return: String },
    Rejected { reason: String },
}

#[derive(Serialize)]
struct ServiceLevelsView {
    waiting_on_customer: bool,
    first_response: TargetStatus,
    resolution: TargetStatus,
}

#[derive(Serialize)]
struct ClaimView {
    customer: String,
    about: SubjectView,
    claim_type: ClaimType,
    priority: ClaimPriority,
    status: ClaimStatus,
    opened_at: DateTime<Utc>,
    first_response_at: Option<DateTime<Utc>>,
    resolved_at: Option<DateTime<Utc>>,
    closed_at: Option<DateTime<Utc>>,
    reopened: u32,
    resolution: Option<ResolutionView>,
    service_levels: Option<ServiceLevelsView>,
    breaches_recorded: Vec<ServiceLevelTarget>,
    disputed_amount: Option<Decimal>,
    currency: Option<String>,
    on_hold: Decimal,
    documents: Vec<String>,
}

/// A claim: what it is about, its type, priority and status, when it was opened,
/// answered, resolved and closed, how it was resolved, both service-level targets as of
/// `now` (the step's business time), the breaches recorded, the disputed amount and what
/// of it is on hold now, and its documents (linked, then attached).
pub(crate) fn claim(
    book: &Book,
    labels: &Labels,
    id: ClaimId,
    now: DateTime<Utc>,
) -> Result<serde_json::Value, Missing> {
    let claim = book
        .claim(id)
        .ok_or_else(|| format!("no claim {}", labels.name_of(id.0)))?;
    let name = |id: Option<o2c_core::uuid::Uuid>| id.map(|id| labels.name_of(id));
    let resolution = claim.resolution.as_ref().map(|r| match r {
        ClaimResolution::Credit { credit_note_id } => ResolutionView::Credit {
            credit_note: labels.name_of(credit_note_id.0),
        },
        ClaimResolution::Replacement { order_id } => ResolutionView::Replacement {
            order: name(order_id.map(|o| o.0)),
        },
        ClaimResolution::ReturnAuthorised { return_id } => ResolutionView::ReturnAuthorised {
            r#return: labels.name_of(return_id.0),
        },
        ClaimResolution::Rejected { reason } => ResolutionView::Rejected {
            reason: reason.clone(),
        },
    });
    let service_levels = book
        .claim_service_levels(now)
        .into_iter()
        .find(|s| s.claim_id == id)
        .map(|s| ServiceLevelsView {
            waiting_on_customer: s.waiting_on_customer,
            first_response: s.first_response,
            resolution: s.resolution,
        });
    to_value(ClaimView {
        customer: labels.name_of(claim.customer_id.0),
        about: SubjectView {
            order: name(claim.about.order_id.map(|i| i.0)),
            shipment: name(claim.about.shipment_id.map(|i| i.0)),
            invoice: name(claim.about.invoice_id.map(|i| i.0)),
            product: name(claim.about.product_id.map(|i| i.0)),
        },
        claim_type: claim.claim_type,
        priority: claim.priority,
        status: claim.status,
        opened_at: claim.opened_at,
        first_response_at: claim.first_response_at,
        resolved_at: claim.resolved_at,
        closed_at: claim.closed_at,
        reopened: claim.reopened,
        resolution,
        service_levels,
        breaches_recorded: claim.breaches.iter().copied().collect(),
        disputed_amount: claim.disputed_amount.map(|m| m.amount),
        currency: claim.disputed_amount.map(|m| m.currency.as_str().to_string()),
        on_hold: claim.amount_on_hold().map_or(Decimal::ZERO, |m| m.amount),
        documents: o2c_core::claim::claim_documents(book, id)
            .iter()
            .map(|d| labels.name_of(d.0))
            .collect(),
    })
}

#[derive(Serialize)]
struct DocumentView {
    kind: DocumentKind,
    about_kind: &'static str,
    about: String,
    title: String,
    storage_reference: String,
    sha256: String,
    expires_on: Option<NaiveDate>,
    expired: bool,
    current: bool,
    supersedes: Option<String>,
    superseded_by: Option<String>,
    attached_by: String,
    attached_at: DateTime<Utc>,
}

/// The kind of record a document is about, and its id.
fn subject(about: &DocumentSubject) -> &'static str {
    match about {
        DocumentSubject::Customer { .. } => "Customer",
        DocumentSubject::Order { .. } => "Order",
        DocumentSubject::Shipment { .. } => "Shipment",
        DocumentSubject::Invoice { .. } => "Invoice",
        DocumentSubject::Return { .. } => "Return",
        DocumentSubject::Claim { .. } => "Claim",
    }
}

/// A document reference: its kind, the record it is about, title, storage reference and
/// hash, expiry (and whether it is expired on `today`), whether it is current, what it
/// superseded or was superseded by, and who attached it when.
pub(crate) fn document(
    book: &Book,
    labels: &Labels,
    id: DocumentId,
    today: NaiveDate,
) -> Result<serde_json::Value, Missing> {
    let document = book
        .document(id)
        .ok_or_else(|| format!("no document {}", labels.name_of(id.0)))?;
    to_value(DocumentView {
        kind: document.kind,
        about_kind: subject(&document.about),
        about: labels.name_of(document.about.record_id()),
        title: document.title.clone(),
        storage_reference: document.storage_reference.clone(),
        sha256: document.sha256.clone(),
        expires_on: document.expires_on,
        expired: !document.valid_on(today),
        current: document.is_current(),
        supersedes: document.supersedes.map(|d| labels.name_of(d.0)),
        superseded_by: document.superseded_by.map(|d| labels.name_of(d.0)),
        attached_by: document.attached_by.as_str().to_string(),
        attached_at: document.attached_at,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_resolution_shows_its_kind_and_the_labels_it_names() {
        let views = [
            ResolutionView::ReturnAuthorised {
                r#return: "RMA-1".into(),
            },
            ResolutionView::Replacement { order: None },
            ResolutionView::Credit {
                credit_note: "CN-1".into(),
            },
        ];
        let json: Vec<serde_json::Value> = views.iter().map(|v| serde_json::to_value(v).unwrap()).collect();
        assert_eq!(
            json,
            [
                serde_json::json!({"kind": "ReturnAuthorised", "return": "RMA-1"}),
                serde_json::json!({"kind": "Replacement", "order": null}),
                serde_json::json!({"kind": "Credit", "credit_note": "CN-1"}),
            ]
        );
    }
}
