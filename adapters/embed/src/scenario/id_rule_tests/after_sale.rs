//! Samples of the return, claim and document commands for the label-rule proof: every id
//! shape of theirs (ids in nested objects, in enum payloads, in lists), with text that
//! reads like a label (a lot, a serial number, a reason code, a title) to show it stays
//! text.

use o2c_core::Command;
use o2c_core::claim::{
    ClaimPriority, ClaimResolution, ClaimSubject, ClaimType, OpenClaim, ReopenClaim, ResolveClaim,
    RespondToClaim,
};
use o2c_core::document::{AttachDocument, DocumentKind, DocumentSubject};
use o2c_core::payment::PaymentMethod;
use o2c_core::returns::{
    AuthoriseReturn, CancelReturn, InspectReturn, InspectionDecision, InspectionOutcome, ReceiveReturn,
    Resolution, ResolveReturn, ReturnQuantity,
};
use o2c_core::rust_decimal::Decimal;

use super::{id, usd};

/// A return quantity whose lot and serial numbers read like labels: they must stay text.
fn returned(quantity: i64) -> ReturnQuantity {
    ReturnQuantity {
        order_line: 1,
        quantity: Decimal::from(quantity),
        lot: Some("WIDGET".into()),
        serials: vec!["SO-2".into()],
    }
}

/// The commands of returns, claims and documents, every id shape of theirs.
pub(super) fn samples() -> Vec<Command> {
    let mut samples: Vec<Command> = vec![
        // A reason code, a lot and a serial number that look like labels stay text.
        AuthoriseReturn {
            return_id: id("RMA-1"),
            order_id: id("SO-1"),
            lines: vec![returned(1)],
            reason: "GADGET".into(),
            note: "ACME".into(),
            valid_until: None,
            warehouse_id: Some(id("WH-1")),
        }
        .into(),
        ReceiveReturn {
            return_id: id("RMA-1"),
            lines: vec![returned(1)],
        }
        .into(),
        InspectReturn {
            return_id: id("RMA-1"),
            decisions: vec![InspectionDecision {
                order_line: 1,
                lot: Some("WIDGET".into()),
                serials: vec![],
                quantity: Decimal::ONE,
                outcome: InspectionOutcome::Scrap {
                    reason: "SO-1".into(),
                },
            }],
        }
        .into(),
        CancelReturn {
            return_id: id("RMA-1"),
            reason: "RMA-1".into(),
        }
        .into(),
    ];
    for resolution in [
        Resolution::Credit {
            credit_note_id: id("CN-1"),
            restocking_fee_percent: Decimal::from(15),
        },
        Resolution::Replacement,
        Resolution::Refund {
            credit_note_id: id("CN-1"),
            restocking_fee_percent: Decimal::ZERO,
            method: PaymentMethod::BankTransfer,
            reference: "PAY-1".into(),
        },
    ] {
        samples.push(
            ResolveReturn {
                return_id: id("RMA-1"),
                resolution,
            }
            .into(),
        );
    }
    samples.push(
        OpenClaim {
            claim_id: id("CLM-1"),
            customer_id: id("ACME"),
            about: ClaimSubject {
                order_id: Some(id("SO-1")),
                shipment_id: Some(id("SH-1")),
                invoice_id: Some(id("INV-1")),
                product_id: Some(id("WIDGET")),
            },
            claim_type: ClaimType::PricingDispute,
            priority: ClaimPriority::Urgent,
            description: "INV-1".into(),
            document_ids: vec![id("DOC-1"), id("DOC-2")],
            disputed_amount: Some(usd(30)),
        }
        .into(),
    );
    samples.push(
        RespondToClaim {
            claim_id: id("CLM-1"),
            message: "CLM-1".into(),
        }
        .into(),
    );
    for resolution in [
        ClaimResolution::Credit {
            credit_note_id: id("CN-1"),
        },
        ClaimResolution::Replacement {
            order_id: Some(id("SO-2")),
        },
        ClaimResolution::ReturnAuthorised {
            return_id: id("RMA-1"),
        },
        ClaimResolution::Rejected {
            reason: "WIDGET".into(),
        },
    ] {
        samples.push(
            ResolveClaim {
                claim_id: id("CLM-1"),
                resolution,
            }
            .into(),
        );
    }
    samples.push(
        ReopenClaim {
            claim_id: id("CLM-1"),
            reason: "ACME".into(),
        }
        .into(),
    );
    for about in [
        DocumentSubject::Customer {
            customer_id: id("ACME"),
        },
        DocumentSubject::Order { order_id: id("SO-1") },
        DocumentSubject::Shipment {
            shipment_id: id("SH-1"),
        },
        DocumentSubject::Invoice {
            invoice_id: id("INV-1"),
        },
        DocumentSubject::Return {
            return_id: id("RMA-1"),
        },
        DocumentSubject::Claim {
            claim_id: id("CLM-1"),
        },
    ] {
        samples.push(
            AttachDocument {
                document_id: id("DOC-2"),
                about,
                kind: DocumentKind::TaxExemptionCertificate,
                title: "DOC-1".into(),
                storage_reference: "ACME".into(),
                sha256: "a".repeat(64),
                expires_on: None,
                supersedes_document_id: Some(id("DOC-1")),
            }
            .into(),
        );
    }
    samples
}
