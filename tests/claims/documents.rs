//! Document references: attached to a customer, an order, a shipment, an invoice, a return
//! or a claim with a storage reference, the SHA-256 of the bytes, who and when; never
//! deleted, only superseded by a document of the same kind about the same record. A
//! customer's current tax exemption certificate gives the expiry of its exemption.

use crate::common::*;
use crate::support::{World, person, usd};
use o2c::claim::{ClaimPriority, ClaimType, claim_documents};
use o2c::customer::{ChangeCustomer, TaxTreatment};
use o2c::document::{AttachDocument, DocumentAttached, DocumentKind, DocumentSubject};
use o2c::ids::{ClaimId, DocumentId, ReturnId};
use o2c::product::ChangeProduct;
use o2c::rust_decimal::Decimal;
use o2c::tax::{DefineTax, FiscalTreatment, SetFiscalPosition, Tax, TaxComputation, TaxMapping};
use o2c::{ActorId, DomainError, Event, OrderId, Role};

#[test]
fn attaching_records_the_reference_the_uploader_and_the_time() {
    let mut w = World::new();
    let widget = w.widget;
    let (_, shipment_id) = delivered(&mut w, &[(widget, "10")]);
    let about = DocumentSubject::Shipment { shipment_id };
    let mut command = attach_command(&mut w, about, DocumentKind::ProofOfDelivery, None);
    command.title = "Signed delivery note".into();
    let document_id = command.document_id;
    let driver = person("driver", &[Role::WarehouseOperator]);
    clock(&mut w.h, at(3, 3, 14, 0));

    let event = w.h.as_actor(driver, |h| only(h.ok(command)));

    assert_eq!(
        event,
        Event::DocumentAttached(DocumentAttached {
            document_id,
            about,
            kind: DocumentKind::ProofOfDelivery,
            title: "Signed delivery note".into(),
            storage_reference: "s3://o2c-docs/scan.pdf".into(),
            sha256: sha('a'),
            expires_on: None,
            supersedes_document_id: None,
        })
    );
    let document = document(&w, document_id);
    assert_eq!(document.attached_by, ActorId::new("driver").unwrap());
    assert_eq!(document.attached_at, at(3, 3, 14, 0));
    assert!(document.is_current());
    let about_shipment: Vec<DocumentId> =
        w.h.engine
            .read(|book| book.documents_about(&about).map(|d| d.id).collect());
    assert_eq!(about_shipment, [document_id]);
}

#[test]
fn a_new_document_supersedes_the_current_one_and_both_remain() {
    let mut w = World::new();
    let about = acme(&w);
    let first = attach(&mut w, about, DocumentKind::Contract, Some(date(12, 31)));
    let mut command = attach_command(&mut w, about, DocumentKind::Contract, Some(date(12, 31)));
    command.supersedes_document_id = Some(first);
    command.sha256 = sha('b');
    let second = command.document_id;

    w.h.ok(command);

    let old = document(&w, first);
    assert_eq!(old.superseded_by, Some(second));
    assert!(!old.is_current());
    let new = document(&w, second);
    assert_eq!(new.supersedes, Some(first));
    assert!(new.is_current());
    let listed: Vec<(DocumentId, bool)> = w.h.engine.read(|book| {
        book.documents_about(&about)
            .map(|d| (d.id, d.is_current()))
            .collect()
    });
    assert_eq!(listed, [(first, false), (second, true)]);
}

#[test]
fn only_a_current_document_of_the_same_kind_about_the_same_record_is_superseded() {
    let mut w = World::new();
    let about = acme(&w);
    let first = attach(&mut w, about, DocumentKind::Contract, None);
    let mut command = attach_command(&mut w, about, DocumentKind::Contract, None);
    command.supersedes_document_id = Some(first);
    let second = command.document_id;
    w.h.ok(command);

    let mut again = attach_command(&mut w, about, DocumentKind::Contract, None);
    again.supersedes_document_id = Some(first);
    assert_eq!(
        w.h.refused(again),
        DomainError::DocumentAlreadySuperseded {
            document_id: first,
            superseded_by: second,
        }
    );
    let mut other_kind = attach_command(&mut w, about, DocumentKind::Correspondence, None);
    other_kind.supersedes_document_id = Some(second);
    assert_eq!(
        w.h.refused(other_kind),
        DomainError::SupersededDocumentMismatch {
            document_id: second,
            about,
            kind: DocumentKind::Contract,
        }
    );
    let widget = w.widget;
    let (order_id, _) = delivered(&mut w, &[(widget, "1")]);
    let mut other_record = attach_command(
        &mut w,
        DocumentSubject::Order { order_id },
        DocumentKind::Contract,
        None,
    );
    other_record.supersedes_document_id = Some(second);
    assert_eq!(
        w.h.refused(other_record),
        DomainError::SupersededDocumentMismatch {
            document_id: second,
            about,
            kind: DocumentKind::Contract,
        }
    );
    let missing: DocumentId = w.h.id();
    let mut unknown = attach_command(&mut w, about, DocumentKind::Contract, None);
    unknown.supersedes_document_id = Some(missing);
    assert_eq!(
        w.h.refused(unknown),
        DomainError::UnknownDocument { document_id: missing }
    );
}

#[test]
fn a_hash_must_be_sixty_four_lowercase_hexadecimal_characters() {
    let mut w = World::new();
    let about = acme(&w);
    for bad in [
        sha('A'),
        sha('g'),
        "a".repeat(63),
        "a".repeat(65),
        format!("{} ", "a".repeat(63)),
        String::new(),
    ] {
        let mut command = attach_command(&mut w, about, DocumentKind::Contract, None);
        command.sha256 = bad.clone();
        assert_eq!(
            w.h.refused(command),
            DomainError::InvalidDocumentHash { sha256: bad }
        );
    }
    let mut command = attach_command(&mut w, about, DocumentKind::Contract, None);
    command.sha256 = "0123456789abcdef".repeat(4);
    w.h.ok(command);
}

#[test]
fn a_document_needs_a_title_a_storage_reference_and_an_existing_record() {
    let mut w = World::new();
    let about = acme(&w);
    let mut command = attach_command(&mut w, about, DocumentKind::Contract, None);
    command.storage_reference = "  ".into();
    assert!(matches!(
        w.h.refused(command),
        DomainError::InvalidText {
            field: "storage_reference",
            ..
        }
    ));
    let mut command = attach_command(&mut w, about, DocumentKind::Contract, None);
    command.title = String::new();
    assert!(matches!(
        w.h.refused(command),
        DomainError::InvalidText { field: "title", .. }
    ));
    let order_id: OrderId = w.h.id();
    let command = attach_command(
        &mut w,
        DocumentSubject::Order { order_id },
        DocumentKind::Contract,
        None,
    );
    assert_eq!(w.h.refused(command), DomainError::UnknownOrder { order_id });
    let claim_id: ClaimId = w.h.id();
    let command = attach_command(
        &mut w,
        DocumentSubject::Claim { claim_id },
        DocumentKind::PhotoOfDamage,
        None,
    );
    assert_eq!(w.h.refused(command), DomainError::UnknownClaim { claim_id });
    let return_id = ReturnId(w.customer.0);
    let command = attach_command(
        &mut w,
        DocumentSubject::Return { return_id },
        DocumentKind::PhotoOfDamage,
        None,
    );
    assert_eq!(
        w.h.refused(command),
        DomainError::UnknownReturnAuthorisation { return_id }
    );
}

#[test]
fn a_tax_exemption_certificate_is_about_a_customer() {
    let mut w = World::new();
    let widget = w.widget;
    let (order_id, _) = delivered(&mut w, &[(widget, "1")]);
    let about = DocumentSubject::Order { order_id };

    let command = attach_command(&mut w, about, DocumentKind::TaxExemptionCertificate, None);

    assert_eq!(
        w.h.refused(command),
        DomainError::DocumentKindNotForSubject {
            kind: DocumentKind::TaxExemptionCertificate,
            about,
        }
    );
}

#[test]
fn an_auditor_attaches_nothing_and_a_used_id_is_refused() {
    let mut w = World::new();
    let about = acme(&w);
    let command = attach_command(&mut w, about, DocumentKind::Contract, None);
    let auditor = person("auditor", &[Role::Auditor]);
    assert!(matches!(
        w.h.as_actor(auditor, |h| h.refused(command.clone())),
        DomainError::NotAuthorized {
            command: "AttachDocument",
            ..
        }
    ));
    w.h.ok(command.clone());
    let document_id = command.document_id;
    let again = AttachDocument {
        sha256: sha('c'),
        ..command
    };
    assert_eq!(
        w.h.refused(again),
        DomainError::IdAlreadyUsed {
            id: document_id.0,
            kind: o2c::EntityKind::Document,
        }
    );
}

#[test]
fn a_claim_lists_its_linked_and_attached_documents() {
    let mut w = World::new();
    let widget = w.widget;
    let (order_id, shipment_id) = delivered(&mut w, &[(widget, "10")]);
    let photo = attach(
        &mut w,
        DocumentSubject::Shipment { shipment_id },
        DocumentKind::PhotoOfDamage,
        None,
    );
    let mut command = open_command(
        &mut w,
        about_order(order_id),
        ClaimType::DamagedGoods,
        ClaimPriority::High,
    );
    command.document_ids = vec![photo];
    let claim_id = command.claim_id;
    w.h.ok(command);

    let letter = attach(
        &mut w,
        DocumentSubject::Claim { claim_id },
        DocumentKind::Correspondence,
        None,
    );

    let documents = w.h.engine.read(|book| claim_documents(book, claim_id));
    assert_eq!(documents, [photo, letter]);
}

/// VAT 10% on the widget, removed for exempt customers; Acme exempt under certificate
/// "EX-1" whose tax treatment says it expires on `treatment_expiry`.
fn exempt_acme(w: &mut World, treatment_expiry: Option<o2c::chrono::NaiveDate>) {
    let tax_id = w.h.id();
    w.h.ok(DefineTax {
        tax: Tax {
            tax_id,
            name: "VAT 10%".into(),
            computation: TaxComputation::Percent(Decimal::TEN),
            price_included: false,
            affects_later: false,
        },
    });
    let widget = w.widget;
    let product = w.h.engine.read(|book| book.product(widget).cloned().unwrap());
    w.h.ok(ChangeProduct {
        product_id: widget,
        name: product.name,
        category: product.category,
        list_price: product.list_price,
        floor_price: product.floor_price,
        substitutes: product.substitutes,
        invoice_policy: product.invoice_policy,
        taxes: vec![tax_id],
    });
    w.h.ok(SetFiscalPosition {
        treatment: FiscalTreatment::Exempt,
        mappings: vec![TaxMapping {
            from: tax_id,
            to: None,
        }],
    });
    let customer_id = w.customer;
    let mut details = w.h.engine.customer(customer_id).unwrap().details;
    details.tax_treatment = TaxTreatment::Exempt {
        certificate: "EX-1".into(),
        expires_on: treatment_expiry,
    };
    w.h.ok(ChangeCustomer { customer_id, details });
}

/// The total of widget ×10 delivered to Acme and invoiced at `day` (March) 10:00.
fn invoice_total_on(w: &mut World, day: u32) -> o2c::Money {
    clock(&mut w.h, at(3, day, 10, 0));
    let (_, _, invoice_id) = invoiced_widgets(w);
    invoice(w, invoice_id).total
}

#[test]
fn an_expired_certificate_document_brings_the_normal_taxes_back_until_a_new_one_supersedes_it() {
    let mut w = World::new();
    // The tax treatment says the exemption runs all year; the certificate document says it
    // ended on 5 March: the document wins.
    exempt_acme(&mut w, Some(date(12, 31)));
    let about = acme(&w);
    assert_eq!(invoice_total_on(&mut w, 3), usd("100.00"), "no document yet");
    let expired = attach(
        &mut w,
        about,
        DocumentKind::TaxExemptionCertificate,
        Some(date(3, 5)),
    );
    assert_eq!(
        invoice_total_on(&mut w, 5),
        usd("100.00"),
        "valid on its last day"
    );

    assert_eq!(
        invoice_total_on(&mut w, 6),
        usd("110.00"),
        "expired on the invoice date: normal taxes"
    );

    let mut renewal = attach_command(
        &mut w,
        about,
        DocumentKind::TaxExemptionCertificate,
        Some(date(12, 31)),
    );
    renewal.supersedes_document_id = Some(expired);
    w.h.ok(renewal);
    assert_eq!(invoice_total_on(&mut w, 9), usd("100.00"), "exempt again");
}

#[test]
fn a_valid_certificate_document_outranks_an_expired_tax_treatment_but_never_exempts_a_taxable_customer() {
    let mut w = World::new();
    exempt_acme(&mut w, Some(date(3, 1)));
    let about = acme(&w);
    assert_eq!(
        invoice_total_on(&mut w, 3),
        usd("110.00"),
        "the treatment expired"
    );
    attach(&mut w, about, DocumentKind::TaxExemptionCertificate, None);
    assert_eq!(
        invoice_total_on(&mut w, 4),
        usd("100.00"),
        "the document has no expiry"
    );

    let customer_id = w.customer;
    let mut details = w.h.engine.customer(customer_id).unwrap().details;
    details.tax_treatment = TaxTreatment::Taxable;
    w.h.ok(ChangeCustomer { customer_id, details });

    assert_eq!(invoice_total_on(&mut w, 5), usd("110.00"));
}
