//! Summaries of claim and document events: claims opened, answered, resolved, closed and
//! reopened, their service-level breaches, and document references attached.

use o2c::claim::{
    ClaimClosed, ClaimCustomerAsked, ClaimCustomerReplied, ClaimOpened, ClaimPriority, ClaimReopened,
    ClaimResolution, ClaimResolved, ClaimResponded, ClaimServiceLevelBreached, ClaimType, ServiceLevelTarget,
};
use o2c::document::{DocumentAttached, DocumentKind, DocumentSubject};

use super::{Names, because, short};

fn claim_type(claim_type: ClaimType) -> &'static str {
    match claim_type {
        ClaimType::DamagedGoods => "damaged goods",
        ClaimType::ShortShipment => "short shipment",
        ClaimType::WrongItem => "wrong item",
        ClaimType::PricingDispute => "pricing dispute",
        ClaimType::LateDelivery => "late delivery",
        ClaimType::Other => "other",
    }
}

fn priority(priority: ClaimPriority) -> &'static str {
    match priority {
        ClaimPriority::Urgent => "urgent",
        ClaimPriority::High => "high",
        ClaimPriority::Normal => "normal",
        ClaimPriority::Low => "low",
    }
}

fn claim(id: o2c::ids::ClaimId) -> String {
    format!("claim {}", short(id.0))
}

pub(super) fn claim_opened(e: &ClaimOpened, names: &Names<'_>) -> String {
    let mut about = Vec::new();
    if let Some(order) = e.about.order_id {
        about.push(names.order(order));
    }
    if let Some(shipment) = e.about.shipment_id {
        about.push(format!("shipment {}", short(shipment.0)));
    }
    if let Some(invoice) = e.about.invoice_id {
        about.push(format!("invoice {}", names.invoice(invoice)));
    }
    if let Some(product) = e.about.product_id {
        about.push(names.product(product));
    }
    let disputed = e
        .disputed_amount
        .map(|m| format!(", {} on hold", names.money(&m)))
        .unwrap_or_default();
    format!(
        "Claim {} opened by {} ({}, {} priority) about {}{disputed}",
        short(e.claim_id.0),
        names.customer(e.customer_id),
        claim_type(e.claim_type),
        priority(e.priority),
        about.join(", ")
    )
}

pub(super) fn claim_responded(e: &ClaimResponded) -> String {
    format!("First response to {}", claim(e.claim_id))
}

pub(super) fn claim_customer_asked(e: &ClaimCustomerAsked) -> String {
    format!(
        "Customer asked about {}; waiting on the customer",
        claim(e.claim_id)
    )
}

pub(super) fn claim_customer_replied(e: &ClaimCustomerReplied) -> String {
    format!("Customer replied on {}", claim(e.claim_id))
}

pub(super) fn claim_resolved(e: &ClaimResolved, names: &Names<'_>) -> String {
    let how = match &e.resolution {
        ClaimResolution::Credit { credit_note_id } => {
            format!("credit {}", names.credit_note(*credit_note_id))
        }
        ClaimResolution::Replacement {
            order_id: Some(order),
        } => {
            format!("replacement by {}", names.order(*order))
        }
        ClaimResolution::Replacement { order_id: None } => "replacement".into(),
        ClaimResolution::ReturnAuthorised { return_id } => {
            format!("return {} authorised", short(return_id.0))
        }
        ClaimResolution::Rejected { reason } => format!("rejected{}", because(reason)),
    };
    format!("{} resolved: {how}", claim(e.claim_id))
}

pub(super) fn claim_closed(e: &ClaimClosed) -> String {
    format!("{} closed", claim(e.claim_id))
}

pub(super) fn claim_reopened(e: &ClaimReopened) -> String {
    format!("{} reopened{}", claim(e.claim_id), because(&e.reason))
}

pub(super) fn claim_service_level_breached(e: &ClaimServiceLevelBreached) -> String {
    let target = match e.target {
        ServiceLevelTarget::FirstResponse => "first response",
        ServiceLevelTarget::Resolution => "resolution",
    };
    format!(
        "{} breached its {target} target (due {})",
        claim(e.claim_id),
        e.due_at.format("%Y-%m-%d %H:%M UTC")
    )
}

pub(super) fn document_attached(e: &DocumentAttached, names: &Names<'_>) -> String {
    let kind = match e.kind {
        DocumentKind::Contract => "Contract",
        DocumentKind::TaxExemptionCertificate => "Tax exemption certificate",
        DocumentKind::ProofOfDelivery => "Proof of delivery",
        DocumentKind::PhotoOfDamage => "Photo of damage",
        DocumentKind::Correspondence => "Correspondence",
    };
    let about = match e.about {
        DocumentSubject::Customer { customer_id } => names.customer(customer_id),
        DocumentSubject::Order { order_id } => names.order(order_id),
        DocumentSubject::Shipment { shipment_id } => format!("shipment {}", short(shipment_id.0)),
        DocumentSubject::Invoice { invoice_id } => format!("invoice {}", names.invoice(invoice_id)),
        DocumentSubject::Return { return_id } => format!("return {}", short(return_id.0)),
        DocumentSubject::Claim { claim_id } => claim(claim_id),
    };
    let expires = e.expires_on.map(|d| format!(", expires {d}")).unwrap_or_default();
    let supersedes = e
        .supersedes_document_id
        .map(|d| format!(", supersedes {}", short(d.0)))
        .unwrap_or_default();
    format!("{kind} \"{}\" attached to {about}{expires}{supersedes}", e.title)
}
