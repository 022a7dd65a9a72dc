//! Delivery validation: the shipment records carrier, tracking reference, who shipped and
//! when; proof of delivery records who signed, when, the document's reference and its
//! SHA-256 (the bytes stay with the embedding service), once.

use crate::common::*;
use crate::support::{World, dec};
use o2c::chrono::{TimeZone, Utc};
use o2c::shipment::{ConfirmDelivery, DeliveryConfirmed, ProofOfDelivery};
use o2c::{DomainError, Event, Hash, ShipmentId};

/// SHA-256 of the bytes "abc".
const ABC_SHA256: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

fn proof(signed_by: &str) -> ProofOfDelivery {
    ProofOfDelivery {
        signed_by: signed_by.into(),
        signed_at: Utc.with_ymd_and_hms(2026, 3, 3, 14, 30, 0).unwrap(),
        document_reference: "POD-2026-0001".into(),
        document_sha256: Hash::from_hex(ABC_SHA256).unwrap(),
    }
}

/// A shipment of 4 widgets to Acme.
fn shipped(w: &mut World) -> ShipmentId {
    let widget = w.widget;
    receive(w, widget, "4");
    let order_id = confirmed(w, &[(widget, "4")]);
    reserve(w, order_id);
    ship(w, order_id, &[])
}

#[test]
fn a_shipment_records_carrier_tracking_and_who_shipped_it() {
    let mut w = World::new();
    let widget = w.widget;

    let shipment_id = shipped(&mut w);

    let shipment = w.h.engine.shipment(shipment_id).unwrap();
    assert_eq!(
        (shipment.carrier.as_str(), shipment.tracking_reference.as_str()),
        ("UPS", "1Z999")
    );
    assert_eq!(shipment.shipped_by, actor_id("paula"));
    assert_eq!(shipment.shipped_on, date(2026, 3, 2));
    assert_eq!(shipment.customer_id, w.customer);
    assert_eq!(shipment.lines, vec![lq(1, widget, "4")]);
    assert_eq!(shipment.proof, None);
}

#[test]
fn confirming_delivery_stores_the_proof() {
    let mut w = World::new();
    let shipment_id = shipped(&mut w);

    let event = w.h.as_actor(picker(), |h| {
        only(h.ok(ConfirmDelivery {
            shipment_id,
            proof: proof("J. Doe"),
        }))
    });

    assert_eq!(
        event,
        Event::DeliveryConfirmed(DeliveryConfirmed {
            shipment_id,
            proof: proof("J. Doe"),
        })
    );
    let stored = w.h.engine.shipment(shipment_id).unwrap().proof.unwrap();
    assert_eq!(stored.signed_by, "J. Doe");
    assert_eq!(
        stored.signed_at,
        Utc.with_ymd_and_hms(2026, 3, 3, 14, 30, 0).unwrap()
    );
    assert_eq!(stored.document_reference, "POD-2026-0001");
    assert_eq!(stored.document_sha256.to_hex(), ABC_SHA256);
}

#[test]
fn a_delivery_is_confirmed_only_once() {
    let mut w = World::new();
    let shipment_id = shipped(&mut w);
    w.h.ok(ConfirmDelivery {
        shipment_id,
        proof: proof("J. Doe"),
    });

    let error = w.h.refused(ConfirmDelivery {
        shipment_id,
        proof: proof("Someone Else"),
    });

    assert_eq!(error, DomainError::DeliveryAlreadyConfirmed { shipment_id });
    let stored = w.h.engine.shipment(shipment_id).unwrap().proof.unwrap();
    assert_eq!(stored.signed_by, "J. Doe");
}

#[test]
fn a_proof_needs_a_known_shipment_a_signer_a_document_and_a_warehouse_role() {
    let mut w = World::new();
    let shipment_id = shipped(&mut w);
    let unknown: ShipmentId = w.h.id();

    assert_eq!(
        w.h.refused(ConfirmDelivery {
            shipment_id: unknown,
            proof: proof("J. Doe"),
        }),
        DomainError::UnknownShipment { shipment_id: unknown }
    );
    assert_eq!(
        w.h.refused(ConfirmDelivery {
            shipment_id,
            proof: proof(" "),
        }),
        DomainError::InvalidText {
            field: "proof.signed_by",
            reason: "must not be blank",
        }
    );
    assert_eq!(
        w.h.refused(ConfirmDelivery {
            shipment_id,
            proof: ProofOfDelivery {
                document_reference: String::new(),
                ..proof("J. Doe")
            },
        }),
        DomainError::InvalidText {
            field: "proof.document_reference",
            reason: "must not be blank",
        }
    );
    let error = w.h.as_actor(rep(), |h| {
        h.refused(ConfirmDelivery {
            shipment_id,
            proof: proof("J. Doe"),
        })
    });
    assert!(
        matches!(
            error,
            DomainError::NotAuthorized {
                command: "ConfirmDelivery",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(figures(&w, w.widget), (dec("0"), dec("0"), dec("0")));
}
