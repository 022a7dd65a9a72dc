//! What a claim may be about: at least one record; each must exist and be the customer's;
//! a shipment, an invoice or a product named with an order must be of that order; a
//! product alone must be one the customer ordered. Linked documents must exist and be
//! about the customer's records.

use crate::common::*;
use crate::support::{World, details, usd};
use o2c::claim::{ClaimPriority, ClaimSubject, ClaimType};
use o2c::customer::RegisterCustomer;
use o2c::document::{DocumentKind, DocumentSubject};
use o2c::ids::DocumentId;
use o2c::{CustomerId, DomainError, EntityKind, OrderId};

fn register_globex(w: &mut World) -> CustomerId {
    let customer_id = w.h.id();
    w.h.ok(RegisterCustomer {
        customer_id,
        details: details("Globex", 30),
        credit_limit: Some(usd("5000.00")),
    });
    customer_id
}

#[test]
fn a_claim_about_every_kind_of_record_of_the_customer_opens() {
    let mut w = World::new();
    let (order_id, shipment_id, invoice_id) = invoiced_widgets(&mut w);
    let widget = w.widget;
    let about = ClaimSubject {
        order_id: Some(order_id),
        shipment_id: Some(shipment_id),
        invoice_id: Some(invoice_id),
        product_id: Some(widget),
    };

    let claim_id = open(
        &mut w,
        about.clone(),
        ClaimType::ShortShipment,
        ClaimPriority::Urgent,
    );

    assert_eq!(claim(&w, claim_id).about, about);
    let product_only = ClaimSubject {
        product_id: Some(widget),
        ..ClaimSubject::default()
    };
    let claim_id = open(&mut w, product_only.clone(), ClaimType::Other, ClaimPriority::Low);
    assert_eq!(claim(&w, claim_id).about, product_only);
}

#[test]
fn a_claim_about_nothing_or_about_unknown_records_is_refused() {
    let mut w = World::new();
    let command = open_command(
        &mut w,
        ClaimSubject::default(),
        ClaimType::Other,
        ClaimPriority::Low,
    );
    assert_eq!(w.h.refused(command), DomainError::ClaimSubjectMissing);

    let unknown: OrderId = w.h.id();
    let command = open_command(&mut w, about_order(unknown), ClaimType::Other, ClaimPriority::Low);
    assert_eq!(
        w.h.refused(command),
        DomainError::UnknownOrder { order_id: unknown }
    );

    let mut command = open_command(&mut w, about_order(unknown), ClaimType::Other, ClaimPriority::Low);
    let nobody: CustomerId = w.h.id();
    command.customer_id = nobody;
    assert_eq!(
        w.h.refused(command),
        DomainError::UnknownCustomer { customer_id: nobody }
    );
}

#[test]
fn records_of_another_customer_are_refused() {
    let mut w = World::new();
    let globex = register_globex(&mut w);
    let gadget = w.gadget;
    let (their_order, their_shipment) = delivered_to(&mut w, globex, &[(gadget, "4")]);

    let command = open_command(
        &mut w,
        about_order(their_order),
        ClaimType::LateDelivery,
        ClaimPriority::High,
    );
    assert_eq!(
        w.h.refused(command),
        DomainError::RecordOfAnotherCustomer {
            kind: EntityKind::Order,
            id: their_order.0,
            owner: globex,
            customer_id: w.customer,
        }
    );
    let about = ClaimSubject {
        shipment_id: Some(their_shipment),
        ..ClaimSubject::default()
    };
    let command = open_command(&mut w, about, ClaimType::LateDelivery, ClaimPriority::High);
    assert_eq!(
        w.h.refused(command),
        DomainError::RecordOfAnotherCustomer {
            kind: EntityKind::Shipment,
            id: their_shipment.0,
            owner: globex,
            customer_id: w.customer,
        }
    );
}

#[test]
fn records_named_with_an_order_must_be_of_that_order() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let (first, _) = delivered(&mut w, &[(widget, "10")]);
    let (_, second_shipment) = delivered(&mut w, &[(gadget, "2")]);

    let about = ClaimSubject {
        order_id: Some(first),
        shipment_id: Some(second_shipment),
        ..ClaimSubject::default()
    };
    let command = open_command(&mut w, about, ClaimType::DamagedGoods, ClaimPriority::Normal);
    assert_eq!(
        w.h.refused(command),
        DomainError::ClaimRecordNotOfOrder {
            kind: EntityKind::Shipment,
            id: second_shipment.0,
            order_id: first,
        }
    );
    let about = ClaimSubject {
        order_id: Some(first),
        product_id: Some(gadget),
        ..ClaimSubject::default()
    };
    let command = open_command(&mut w, about, ClaimType::WrongItem, ClaimPriority::Normal);
    assert_eq!(
        w.h.refused(command),
        DomainError::ClaimRecordNotOfOrder {
            kind: EntityKind::Product,
            id: gadget.0,
            order_id: first,
        }
    );
}

#[test]
fn a_product_the_customer_never_ordered_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    delivered(&mut w, &[(widget, "10")]);
    let flour = w.flour;
    let about = ClaimSubject {
        product_id: Some(flour),
        ..ClaimSubject::default()
    };
    let command = open_command(&mut w, about, ClaimType::DamagedGoods, ClaimPriority::Normal);

    assert_eq!(
        w.h.refused(command),
        DomainError::ProductNotOrderedByCustomer {
            product_id: flour,
            customer_id: w.customer,
        }
    );
}

#[test]
fn linked_documents_must_exist_and_be_about_the_customers_records() {
    let mut w = World::new();
    let widget = w.widget;
    let (order_id, shipment_id) = delivered(&mut w, &[(widget, "10")]);
    let photo = attach(
        &mut w,
        DocumentSubject::Shipment { shipment_id },
        DocumentKind::PhotoOfDamage,
        None,
    );
    let globex = register_globex(&mut w);
    let contract = attach(
        &mut w,
        DocumentSubject::Customer { customer_id: globex },
        DocumentKind::Contract,
        None,
    );

    let mut command = open_command(
        &mut w,
        about_order(order_id),
        ClaimType::DamagedGoods,
        ClaimPriority::High,
    );
    command.document_ids = vec![photo, contract];
    assert_eq!(
        w.h.refused(command.clone()),
        DomainError::RecordOfAnotherCustomer {
            kind: EntityKind::Document,
            id: contract.0,
            owner: globex,
            customer_id: w.customer,
        }
    );
    let missing: DocumentId = w.h.id();
    command.document_ids = vec![photo, missing];
    assert_eq!(
        w.h.refused(command.clone()),
        DomainError::UnknownDocument { document_id: missing }
    );
    command.document_ids = vec![photo];
    let claim_id = command.claim_id;
    w.h.ok(command);
    assert_eq!(claim(&w, claim_id).document_ids, vec![photo]);
}

#[test]
fn a_blank_description_or_a_used_id_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let (order_id, _) = delivered(&mut w, &[(widget, "10")]);
    let mut command = open_command(
        &mut w,
        about_order(order_id),
        ClaimType::Other,
        ClaimPriority::Low,
    );
    command.description = " \n ".into();
    assert!(matches!(
        w.h.refused(command.clone()),
        DomainError::InvalidText {
            field: "description",
            ..
        }
    ));
    command.description = "Line one.\nLine two.".into();
    command.claim_id = o2c::ids::ClaimId(order_id.0);
    assert_eq!(
        w.h.refused(command),
        DomainError::IdAlreadyUsed {
            id: order_id.0,
            kind: EntityKind::Order,
        }
    );
}
