//! Summaries of claim and document events: claims opened, answered, resolved, closed and
//! reopened, their service-level breaches, and document references attached.

use o2c::claim::{
    ClaimClosed, ClaimCustomerAsked, ClaimCustomerReplied, ClaimOpened, ClaimPriority, ClaimReopened,
    ClaimResolution, ClaimResolved, ClaimResponded, ClaimServiceLevelBreached, ClaimType, ServiceLevelTarget,
};
use o2c::document::{DocumentAttached, DocumentKind, DocumentSubject};

use super::{Names, because, short};

/// A claim type in words.
pub fn claim_type(claim_type: ClaimType) -> &'static str {
    match claim_type {
        ClaimType::DamagedGoods => "damaged goods",
        ClaimType::ShortShipment => "short shipment",
        ClaimType::WrongItem => "wrong item",
        ClaimType::PricingDispute => "pricing dispute",
        ClaimType::LateDelivery => "late delivery",
        ClaimType::Other => "other",
    }
}

/// A claim priority in words.
pub fn priority(priority: ClaimPriority) -> &'static str {
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
        "Question to the customer on {}; waiting for the reply",
        claim(e.claim_id)
    )
}

pub(super) fn claim_customer_replied(e: &ClaimCustomerReplied) -> String {
    format!("Customer replied on {}", claim(e.claim_id))
}

pub(super) fn claim_resolved(e: &ClaimResolved, names: &Names<'_>) -> String {
    let how = match &e.resolution {
        ClaimResolution::Credit { credit_note_id } => {
            format!("resolved: credited by {}", names.credit_note(*credit_note_id))
        }
        ClaimResolution::Replacement {
            order_id: Some(order),
        } => {
            format!("resolved: replaced by {}", names.order(*order))
        }
        ClaimResolution::Replacement { order_id: None } => "resolved: the goods will be replaced".into(),
        ClaimResolution::ReturnAuthorised { return_id } => {
            format!("resolved: return {} authorised", short(return_id.0))
        }
        ClaimResolution::Rejected { reason } => format!("rejected{}", because(reason)),
    };
    format!("Claim {} {how}", short(e.claim_id.0))
}

pub(super) fn claim_closed(e: &ClaimClosed) -> String {
    format!("Claim {} closed", short(e.claim_id.0))
}

pub(super) fn claim_reopened(e: &ClaimReopened) -> String {
    format!("Claim {} reopened{}", short(e.claim_id.0), because(&e.reason))
}

pub(super) fn claim_service_level_breached(e: &ClaimServiceLevelBreached) -> String {
    let target = match e.target {
        ServiceLevelTarget::FirstResponse => "first response",
        ServiceLevelTarget::Resolution => "resolution",
    };
    format!(
        "Claim {} breached its {target} target (due {})",
        short(e.claim_id.0),
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use o2c::chrono::{NaiveDate, TimeZone, Utc};
    use o2c::claim::ClaimSubject;
    use o2c::ids::{ClaimId, DocumentId, ReturnId};
    use o2c::uuid::Uuid;
    use o2c::{Book, CreditNoteId, CurrencyCode, CustomerId, Event, InvoiceId, Money, OrderId};

    use super::*;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(0xabcdef12_0000_0000_0000_000000000000 | n)
    }

    #[test]
    fn every_claim_and_document_event_reads_as_a_business_sentence() {
        let book = Book::new();
        let names = Names::new(&book);
        let claim_id = ClaimId(id(1));
        let resolved = |resolution| Event::ClaimResolved(ClaimResolved { claim_id, resolution });
        let events = [
            Event::ClaimOpened(ClaimOpened {
                claim_id,
                customer_id: CustomerId(id(2)),
                about: ClaimSubject {
                    invoice_id: Some(InvoiceId(id(3))),
                    ..ClaimSubject::default()
                },
                claim_type: ClaimType::PricingDispute,
                priority: ClaimPriority::High,
                description: "quoted 7.00".into(),
                document_ids: vec![],
                disputed_amount: Some(Money::new(30.into(), CurrencyCode::new("USD").unwrap())),
            }),
            Event::ClaimResponded(ClaimResponded {
                claim_id,
                message: "on it".into(),
            }),
            Event::ClaimCustomerAsked(ClaimCustomerAsked {
                claim_id,
                question: "which?".into(),
            }),
            Event::ClaimCustomerReplied(ClaimCustomerReplied {
                claim_id,
                message: "that one".into(),
            }),
            resolved(ClaimResolution::Credit {
                credit_note_id: CreditNoteId(id(4)),
            }),
            resolved(ClaimResolution::Replacement {
                order_id: Some(OrderId(id(5))),
            }),
            resolved(ClaimResolution::Replacement { order_id: None }),
            resolved(ClaimResolution::ReturnAuthorised {
                return_id: ReturnId(id(6)),
            }),
            resolved(ClaimResolution::Rejected {
                reason: "price as quoted".into(),
            }),
            Event::ClaimClosed(ClaimClosed { claim_id }),
            Event::ClaimReopened(ClaimReopened {
                claim_id,
                reason: "more damage".into(),
            }),
            Event::ClaimServiceLevelBreached(ClaimServiceLevelBreached {
                claim_id,
                target: ServiceLevelTarget::Resolution,
                due_at: Utc.with_ymd_and_hms(2026, 3, 16, 15, 0, 0).unwrap(),
                as_of: Utc.with_ymd_and_hms(2026, 3, 16, 16, 0, 0).unwrap(),
            }),
            Event::DocumentAttached(DocumentAttached {
                document_id: DocumentId(id(7)),
                about: DocumentSubject::Claim { claim_id },
                kind: DocumentKind::PhotoOfDamage,
                title: "Cracked housing".into(),
                storage_reference: "s3://docs/photo.jpg".into(),
                sha256: "a".repeat(64),
                expires_on: NaiveDate::from_ymd_opt(2026, 12, 31),
                supersedes_document_id: Some(DocumentId(id(8))),
            }),
        ];
        let texts: Vec<String> = events.iter().map(|e| crate::summary::line(e, &names)).collect();
        assert_eq!(
            texts,
            [
                "Claim abcdef12 opened by customer abcdef12 (pricing dispute, high priority) about invoice abcdef12 (unposted), 30 USD on hold",
                "First response to claim abcdef12",
                "Question to the customer on claim abcdef12; waiting for the reply",
                "Customer replied on claim abcdef12",
                "Claim abcdef12 resolved: credited by credit note abcdef12",
                "Claim abcdef12 resolved: replaced by order abcdef12",
                "Claim abcdef12 resolved: the goods will be replaced",
                "Claim abcdef12 resolved: return abcdef12 authorised",
                "Claim abcdef12 rejected: price as quoted",
                "Claim abcdef12 closed",
                "Claim abcdef12 reopened: more damage",
                "Claim abcdef12 breached its resolution target (due 2026-03-16 15:00 UTC)",
                "Photo of damage \"Cracked housing\" attached to claim abcdef12, expires 2026-12-31, supersedes abcdef12",
            ]
        );
    }
}
