//! Resolutions: a credit note, a replacement (with or without an order), a return
//! authorisation, or a rejection with a reason. The documents a resolution names must
//! exist and be the claim's customer's (a return authorisation too); rejecting needs the customer-service lead (the
//! roles of `ReopenClaim`).

use crate::common::*;
use crate::support::{World, dec, details, person, usd};
use o2c::claim::{ClaimResolution, ClaimStatus, ResolveClaim};
use o2c::customer::RegisterCustomer;
use o2c::document::{DocumentKind, DocumentSubject};
use o2c::ids::{ClaimId, ReturnId};
use o2c::invoice::{CreateCreditNote, CreditNoteKind};
use o2c::returns::{AuthoriseReturn, ReturnQuantity};
use o2c::{CreditNoteId, CustomerId, DomainError, EntityKind, InvoiceId, OrderId, Role};

fn credit_note(w: &mut World, invoice_id: InvoiceId, amount: &str) -> CreditNoteId {
    let credit_note_id = w.h.id();
    w.h.ok(CreateCreditNote {
        credit_note_id,
        invoice_id,
        kind: CreditNoteKind::PriceCorrection(usd(amount)),
        reason: "claim".into(),
    });
    credit_note_id
}

fn register_globex(w: &mut World) -> CustomerId {
    let customer_id = w.h.id();
    w.h.ok(RegisterCustomer {
        customer_id,
        details: details("Globex", 30),
        credit_limit: None,
    });
    customer_id
}

fn resolve(claim_id: ClaimId, resolution: ClaimResolution) -> ResolveClaim {
    ResolveClaim { claim_id, resolution }
}

#[test]
fn a_credit_note_of_the_customer_resolves_the_claim() {
    let mut w = World::new();
    let (order_id, _, invoice_id) = invoiced_widgets(&mut w);
    let claim_id = open_about(&mut w, order_id);
    let credit_note_id = credit_note(&mut w, invoice_id, "10.00");
    let resolution = ClaimResolution::Credit { credit_note_id };

    w.h.ok(resolve(claim_id, resolution.clone()));

    let claim = claim(&w, claim_id);
    assert_eq!(claim.status, ClaimStatus::Resolved);
    assert_eq!(claim.resolution, Some(resolution));
}

#[test]
fn a_credit_note_of_another_customer_or_an_unknown_one_is_refused() {
    let mut w = World::new();
    let (order_id, _, _) = invoiced_widgets(&mut w);
    let claim_id = open_about(&mut w, order_id);
    let globex = register_globex(&mut w);
    let gadget = w.gadget;
    let (their_order, _) = delivered_to(&mut w, globex, &[(gadget, "4")]);
    let their_invoice = posted(&mut w, their_order);
    let their_note = credit_note(&mut w, their_invoice, "1.00");

    assert_eq!(
        w.h.refused(resolve(
            claim_id,
            ClaimResolution::Credit {
                credit_note_id: their_note
            }
        )),
        DomainError::RecordOfAnotherCustomer {
            kind: EntityKind::CreditNote,
            id: their_note.0,
            owner: globex,
            customer_id: w.customer,
        }
    );
    let unknown: CreditNoteId = w.h.id();
    assert_eq!(
        w.h.refused(resolve(
            claim_id,
            ClaimResolution::Credit {
                credit_note_id: unknown
            }
        )),
        DomainError::UnknownCreditNote {
            credit_note_id: unknown
        }
    );
    assert_eq!(
        w.h.refused(resolve(
            claim_id,
            ClaimResolution::Replacement {
                order_id: Some(their_order)
            }
        )),
        DomainError::RecordOfAnotherCustomer {
            kind: EntityKind::Order,
            id: their_order.0,
            owner: globex,
            customer_id: w.customer,
        }
    );
}

#[test]
fn a_replacement_order_of_the_customer_resolves_the_claim() {
    let mut w = World::new();
    let widget = w.widget;
    let (order_id, _) = delivered(&mut w, &[(widget, "10")]);
    let claim_id = open_about(&mut w, order_id);
    let (replacement, _) = delivered(&mut w, &[(widget, "3")]);
    let resolution = ClaimResolution::Replacement {
        order_id: Some(replacement),
    };

    w.h.ok(resolve(claim_id, resolution.clone()));

    assert_eq!(claim(&w, claim_id).resolution, Some(resolution));
}

/// Authorises the return of one piece of line 1 of an order.
fn authorise_return(w: &mut World, order_id: OrderId) -> ReturnId {
    let return_id = w.h.id();
    w.h.ok(AuthoriseReturn {
        return_id,
        order_id,
        lines: vec![ReturnQuantity {
            order_line: 1,
            quantity: dec("1"),
            lot: None,
            serials: vec![],
        }],
        reason: "damaged-in-transit".into(),
        note: String::new(),
        valid_until: None,
        warehouse_id: None,
    });
    return_id
}

#[test]
fn a_return_authorisation_of_the_customer_resolves_the_claim() {
    let mut w = World::new();
    let widget = w.widget;
    let (order_id, _) = delivered(&mut w, &[(widget, "10")]);
    let claim_id = open_about(&mut w, order_id);
    let return_id = authorise_return(&mut w, order_id);
    let resolution = ClaimResolution::ReturnAuthorised { return_id };

    w.h.ok(resolve(claim_id, resolution.clone()));

    assert_eq!(claim(&w, claim_id).resolution, Some(resolution));
    let about = DocumentSubject::Return { return_id };
    let label = attach(&mut w, about, DocumentKind::Correspondence, None);
    assert_eq!(document(&w, label).about, about);
}

#[test]
fn a_return_authorisation_must_exist_and_be_the_customers() {
    let mut w = World::new();
    let widget = w.widget;
    let (order_id, _) = delivered(&mut w, &[(widget, "10")]);
    let claim_id = open_about(&mut w, order_id);
    let not_a_return = ReturnId(order_id.0);
    assert_eq!(
        w.h.refused(resolve(
            claim_id,
            ClaimResolution::ReturnAuthorised {
                return_id: not_a_return
            }
        )),
        DomainError::UnknownReturnAuthorisation {
            return_id: not_a_return
        }
    );
    let globex = register_globex(&mut w);
    let gadget = w.gadget;
    let (their_order, _) = delivered_to(&mut w, globex, &[(gadget, "4")]);
    let their_return = authorise_return(&mut w, their_order);

    assert_eq!(
        w.h.refused(resolve(
            claim_id,
            ClaimResolution::ReturnAuthorised {
                return_id: their_return
            }
        )),
        DomainError::RecordOfAnotherCustomer {
            kind: EntityKind::Return,
            id: their_return.0,
            owner: globex,
            customer_id: w.customer,
        }
    );
}

#[test]
fn only_the_customer_service_lead_rejects_a_claim_and_with_a_reason() {
    let mut w = World::new();
    let widget = w.widget;
    let (order_id, _) = delivered(&mut w, &[(widget, "10")]);
    let claim_id = open_about(&mut w, order_id);
    let rejected = ClaimResolution::Rejected {
        reason: "The damage happened after delivery.".into(),
    };
    let agent = person("agent", &[Role::CustomerService]);
    let lead = person("lead", &[Role::CustomerServiceLead]);

    let refused =
        w.h.as_actor(agent, |h| h.refused(resolve(claim_id, rejected.clone())));
    assert!(
        matches!(
            &refused,
            DomainError::NotAuthorized {
                command: "ReopenClaim",
                required,
                ..
            } if required == &vec![Role::CustomerServiceLead]
        ),
        "{refused:?}"
    );
    let blank = ClaimResolution::Rejected { reason: "".into() };
    assert!(matches!(
        w.h.as_actor(lead.clone(), |h| h.refused(resolve(claim_id, blank))),
        DomainError::InvalidText { field: "reason", .. }
    ));
    w.h.as_actor(lead, |h| h.ok(resolve(claim_id, rejected.clone())));
    assert_eq!(claim(&w, claim_id).resolution, Some(rejected));
}
