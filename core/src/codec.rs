//! The stored form of an event, and reading it back with its integrity checked.
//!
//! An event is stored as one compact JSON object with the envelope's fields in a fixed
//! order and the payload embedded as written (see [`crate::envelope`] for the fields).
//! Reading it back recomputes the hash over the *stored* payload text, so the chain stays
//! verifiable after upcasting changes how an old payload decodes.
//!
//! Schema evolution: payloads are decoded according to their `schema_version`. When a shape
//! changes, the version goes up and an upcaster here rewrites older payload JSON into the
//! new shape before decoding. A record from a newer version than this build knows is
//! refused, never guessed at (so an older build never silently drops fields it does not
//! know).
//!
//! | version | change | upcaster |
//! |---|---|---|
//! | 1 | first version | — |
//! | 2 | sales controls: optional fields on existing events (customer details, product category and floor price, line price source / discount / promised date, quotation validity and price list, credit hold on confirmation, invoice line discount, company settings) and new events | none needed: every added field has a default, so v1 JSON decodes as is |
//! | 3 | fulfilment: locations, lots and serials, units, routes and waves; fields on receipts, reservations, shipments, order lines, closings and cancellations (all defaulted; events without them are read as before locations existed: the warehouse's stock location, untracked) | none needed |
//! | 4 | billing: taxes, fiscal positions, exchange rates, payment terms, credit notes, write-offs, returned payments, refunds, dunning; fields on products (invoice policy, taxes), customer details (payment term), quoted lines (invoice policy), invoices (several orders, rate, taxes, deductions, down payment), postings (restated amounts, rate, installments, early discount), payments (rate) and allocations (installment, discount, exchange difference) (all defaulted; a posting without installments has one, due on its due date) | none needed |
//! | 5 | after the sale: return authorisations (receipts, inspections, resolutions), claims with service levels and disputes, document references; fields on order lines (returns) and credit notes (the return they resolve) (all defaulted) | none needed |

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use uuid::Uuid;

use crate::envelope::{Hash, HashInput, RecordedEvent, SCHEMA_VERSION};
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::ActorId;
use crate::stream::StreamId;

/// A stored event failed an integrity check.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("integrity check failed at position {position}: {problem}")]
pub struct IntegrityError {
    /// The first position where the log is not what it should be.
    pub position: u64,
    /// What is wrong there.
    pub problem: IntegrityProblem,
}

/// What is wrong with a stored event.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IntegrityProblem {
    /// The bytes are not a valid event record.
    #[error("the record does not decode: {0}")]
    Undecodable(String),
    /// The record's contents do not hash to its stored hash: it was altered.
    #[error("the record's contents do not match its hash (altered)")]
    HashMismatch,
    /// The record's previous-hash does not match the event before it.
    #[error("the record does not link to the event before it")]
    BrokenLink,
    /// A different position was found where this one was expected.
    #[error("expected this position, found position {found}")]
    PositionGap {
        /// The position found instead.
        found: u64,
    },
    /// The record was written by a newer version of o2c.
    #[error("schema version {0} is newer than this build understands")]
    UnsupportedSchemaVersion(u32),
    /// The store's head marker does not match its last event.
    #[error("the store's head marker does not match its last event")]
    HeadMismatch,
}

#[derive(Serialize, Deserialize)]
struct StoredRecord<'a> {
    position: u64,
    stream: StreamId,
    stream_version: u64,
    event_id: Uuid,
    command_id: Uuid,
    #[serde(borrow)]
    actor: Cow<'a, str>,
    business_time: DateTime<Utc>,
    recorded_time: DateTime<Utc>,
    correlation_id: Uuid,
    causation_id: Uuid,
    schema_version: u32,
    #[serde(borrow)]
    payload: &'a RawValue,
    prev_hash: Hash,
    hash: Hash,
}

/// Encodes an event whose payload was already serialised to `payload` (the text its hash
/// was computed over).
pub(crate) fn encode(event: &RecordedEvent, payload: &RawValue) -> Result<Vec<u8>, DomainError> {
    let record = StoredRecord {
        position: event.position,
        stream: event.stream,
        stream_version: event.stream_version,
        event_id: event.event_id,
        command_id: event.command_id,
        actor: Cow::Borrowed(event.actor.as_str()),
        business_time: event.business_time,
        recorded_time: event.recorded_time,
        correlation_id: event.correlation_id,
        causation_id: event.causation_id,
        schema_version: event.schema_version,
        payload,
        prev_hash: event.prev_hash,
        hash: event.hash,
    };
    serde_json::to_vec(&record).map_err(|e| DomainError::Encoding {
        message: e.to_string(),
    })
}

/// Decodes a stored record found at `position`, checking that it is well formed, that it
/// says it is at that position, and that its contents hash to its stored hash.
pub fn decode(position: u64, bytes: &[u8]) -> Result<RecordedEvent, IntegrityError> {
    let fail = |problem| IntegrityError { position, problem };
    let record: StoredRecord<'_> =
        serde_json::from_slice(bytes).map_err(|e| fail(IntegrityProblem::Undecodable(e.to_string())))?;
    if record.position != position {
        return Err(fail(IntegrityProblem::PositionGap {
            found: record.position,
        }));
    }
    let computed = HashInput {
        prev_hash: record.prev_hash,
        position: record.position,
        stream: record.stream,
        stream_version: record.stream_version,
        event_id: record.event_id,
        command_id: record.command_id,
        actor: &record.actor,
        business_time: record.business_time,
        recorded_time: record.recorded_time,
        correlation_id: record.correlation_id,
        causation_id: record.causation_id,
        schema_version: record.schema_version,
        payload_json: record.payload.get(),
    }
    .hash();
    if computed != record.hash {
        return Err(fail(IntegrityProblem::HashMismatch));
    }
    let actor =
        ActorId::new(&record.actor).map_err(|e| fail(IntegrityProblem::Undecodable(e.to_string())))?;
    let payload = decode_payload(record.schema_version, record.payload).map_err(fail)?;
    let event = RecordedEvent {
        position: record.position,
        stream: record.stream,
        stream_version: record.stream_version,
        event_id: record.event_id,
        command_id: record.command_id,
        actor,
        business_time: record.business_time,
        recorded_time: record.recorded_time,
        correlation_id: record.correlation_id,
        causation_id: record.causation_id,
        schema_version: record.schema_version,
        payload,
        prev_hash: record.prev_hash,
        hash: record.hash,
    };
    if event.payload.stream() != event.stream {
        return Err(fail(IntegrityProblem::Undecodable(format!(
            "payload belongs to stream {}, record says {}",
            event.payload.stream(),
            event.stream
        ))));
    }
    Ok(event)
}

/// Decodes a payload written under `schema_version` into the current [`Event`] shape.
fn decode_payload(schema_version: u32, payload: &RawValue) -> Result<Event, IntegrityProblem> {
    if schema_version > SCHEMA_VERSION || schema_version == 0 {
        return Err(IntegrityProblem::UnsupportedSchemaVersion(schema_version));
    }
    // Versions 1 to 3 share one JSON shape (later versions only added defaulted fields):
    // nothing to upcast yet.
    serde_json::from_str(payload.get()).map_err(|e| IntegrityProblem::Undecodable(e.to_string()))
}
