//! The claim, dispute and document events fold the same on replay: the stored log of a
//! flow with every claim and document event, folded into a fresh book, rebuilds the live
//! book exactly (claims, pauses, breaches, invoice holds, documents and their index), and
//! every event reads back from its stored JSON.

use crate::common::*;
use crate::support::{World, usd};
use o2c::Book;
use o2c::claim::{
    AskCustomer, ClaimPriority, ClaimResolution, ClaimSubject, ClaimType, CloseClaim, RecordCustomerReply,
    RecordServiceLevelBreaches, ReopenClaim, ResolveClaim, RespondToClaim,
};
use o2c::document::{DocumentKind, DocumentSubject};

#[test]
fn the_log_of_claims_disputes_and_documents_replays_to_the_same_book() {
    let mut w = World::new();
    let (order_id, shipment_id, invoice_id) = invoiced_widgets(&mut w);
    let photo = attach(
        &mut w,
        DocumentSubject::Shipment { shipment_id },
        DocumentKind::PhotoOfDamage,
        None,
    );
    let mut command = open_command(
        &mut w,
        ClaimSubject {
            order_id: Some(order_id),
            invoice_id: Some(invoice_id),
            ..ClaimSubject::default()
        },
        ClaimType::PricingDispute,
        ClaimPriority::Urgent,
    );
    command.document_ids = vec![photo];
    command.disputed_amount = Some(usd("25.00"));
    let claim_id = command.claim_id;
    w.h.ok(command);
    w.h.ok(RespondToClaim {
        claim_id,
        message: "Checking the quote.".into(),
    });
    w.h.ok(AskCustomer {
        claim_id,
        question: "Which quote number?".into(),
    });
    w.h.ok(RecordCustomerReply {
        claim_id,
        message: "Q-1.".into(),
    });
    w.h.ok(RecordServiceLevelBreaches {
        as_of: at(3, 20, 9, 0),
    });
    w.h.ok(ResolveClaim {
        claim_id,
        resolution: ClaimResolution::Replacement { order_id: None },
    });
    w.h.ok(CloseClaim { claim_id });
    w.h.ok(ReopenClaim {
        claim_id,
        reason: "The quote says 7.50.".into(),
    });
    let acme = acme(&w);
    let certificate = attach(
        &mut w,
        acme,
        DocumentKind::TaxExemptionCertificate,
        Some(date(6, 30)),
    );
    let mut renewal = attach_command(&mut w, acme, DocumentKind::TaxExemptionCertificate, None);
    renewal.supersedes_document_id = Some(certificate);
    w.h.ok(renewal);

    let live = w.h.engine.snapshot();
    let events = w.h.engine.events(1, usize::MAX).unwrap();
    let mut replayed = Book::new();
    for event in &events {
        event.verify_hash().unwrap();
        let stored = serde_json::to_string(&event.payload).unwrap();
        let decoded: o2c::Event = serde_json::from_str(&stored).unwrap();
        assert_eq!(decoded, event.payload);
        replayed.apply(event);
    }

    assert_eq!(replayed, live);
    assert_eq!(
        replayed.state_digest().unwrap(),
        w.h.engine.state_digest().unwrap()
    );
    assert_eq!(
        invoice(&w, invoice_id).disputed,
        o2c::rust_decimal::Decimal::new(2500, 2)
    );
    let names: Vec<&str> = events.iter().map(|e| e.payload.name()).collect();
    for name in [
        "ClaimOpened",
        "ClaimResponded",
        "ClaimCustomerAsked",
        "ClaimCustomerReplied",
        "ClaimServiceLevelBreached",
        "ClaimResolved",
        "ClaimClosed",
        "ClaimReopened",
        "DocumentAttached",
    ] {
        assert!(names.contains(&name), "{name} is not in the log");
    }
}
