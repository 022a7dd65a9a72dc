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
//! | 6 | archival: `OrderArchived` (a settled order and its documents leave the book) | none needed: no shape changed |

use std::borrow::Cow;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use uuid::Uuid;

use crate::envelope::{Hash, HashInput, RecordLink, RecordedEvent, SCHEMA_VERSION};
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::ActorId;
use crate::stream::{STREAM_TEXT_MAX, StreamId};

mod layout;

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

/// A stored record's fields as read from its text, the payload as its raw JSON text.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
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
    #[serde(borrow, deserialize_with = "raw_json", serialize_with = "as_raw_json")]
    payload: &'a str,
    prev_hash: Hash,
    hash: Hash,
}

/// Room for the envelope's fields around the payload: field names, five UUIDs, two times,
/// two hashes, numbers and an actor id of ordinary length.
const ENVELOPE_BYTES: usize = 640;

/// Encodes an event whose payload was already serialised to `payload` (the JSON text its
/// hash was computed over).
///
/// The record is written field by field into one buffer sized for it, the payload copied
/// in as it is: the bytes are exactly those `serde_json` writes for [`StoredRecord`] (the
/// tests hold the two together on every stored fixture), without its per-character
/// escaping of texts that never need it (UUIDs, stream ids, times, hashes).
pub(crate) fn encode(event: &RecordedEvent, payload: &str) -> Result<Vec<u8>, DomainError> {
    let mut out = Vec::with_capacity(payload.len() + event.actor.as_str().len() + ENVELOPE_BYTES);
    let written = write_record(&mut out, event, payload);
    written.map_err(|e| DomainError::Encoding {
        message: e.to_string(),
    })?;
    Ok(out)
}

fn write_record(out: &mut Vec<u8>, event: &RecordedEvent, payload: &str) -> serde_json::Result<()> {
    out.extend_from_slice(b"{\"position\":");
    serde_json::to_writer(&mut *out, &event.position)?;
    out.extend_from_slice(b",\"stream\":\"");
    out.extend_from_slice(event.stream.encode_text(&mut [0; STREAM_TEXT_MAX]));
    out.extend_from_slice(b"\",\"stream_version\":");
    serde_json::to_writer(&mut *out, &event.stream_version)?;
    write_uuid(out, "event_id", event.event_id);
    write_uuid(out, "command_id", event.command_id);
    out.extend_from_slice(b",\"actor\":");
    serde_json::to_writer(&mut *out, event.actor.as_str())?;
    write_time(out, "business_time", event.business_time);
    write_time(out, "recorded_time", event.recorded_time);
    write_uuid(out, "correlation_id", event.correlation_id);
    write_uuid(out, "causation_id", event.causation_id);
    out.extend_from_slice(b",\"schema_version\":");
    serde_json::to_writer(&mut *out, &event.schema_version)?;
    out.extend_from_slice(b",\"payload\":");
    out.extend_from_slice(payload.as_bytes());
    out.extend_from_slice(b",\"prev_hash\":\"");
    out.extend_from_slice(&event.prev_hash.encode_hex());
    out.extend_from_slice(b"\",\"hash\":\"");
    out.extend_from_slice(&event.hash.encode_hex());
    out.extend_from_slice(b"\"}");
    Ok(())
}

/// `,"name":"<uuid, hyphenated, lower case>"`, as serde writes a UUID.
fn write_uuid(out: &mut Vec<u8>, name: &str, id: Uuid) {
    out.extend_from_slice(b",\"");
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\":\"");
    out.extend_from_slice(
        id.hyphenated()
            .encode_lower(&mut Uuid::encode_buffer())
            .as_bytes(),
    );
    out.push(b'"');
}

/// `,"name":"<RFC 3339 time>"`, as chrono's serde writes a UTC time (seconds fraction as
/// needed, `Z`).
fn write_time(out: &mut Vec<u8>, name: &str, time: DateTime<Utc>) {
    out.extend_from_slice(b",\"");
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\":\"");
    out.extend_from_slice(time.to_rfc3339_opts(SecondsFormat::AutoSi, true).as_bytes());
    out.push(b'"');
}

/// The text of a JSON value, as it stands in the record.
fn raw_json<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<&'de str, D::Error> {
    <&'de RawValue>::deserialize(deserializer).map(RawValue::get)
}

/// Writes `text`, a JSON value, as it is.
fn as_raw_json<S: serde::Serializer>(text: &str, serializer: S) -> Result<S::Ok, S::Error> {
    let raw = RawValue::from_string(text.to_owned()).map_err(serde::ser::Error::custom)?;
    raw.serialize(serializer)
}

/// Decodes a stored record found at `position`, checking that it is well formed, that it
/// says it is at that position, and that its contents hash to its stored hash.
///
/// A record laid out as this build writes it is read field by field without a general JSON
/// parser; anything else (and any record that fails a check that way) by `serde_json`, so
/// the answer, value or error, is the same either way.
pub fn decode(position: u64, bytes: &[u8]) -> Result<RecordedEvent, IntegrityError> {
    if let Some(record) = layout::read(bytes) {
        if let Ok(event) = check(position, record) {
            return Ok(event);
        }
    }
    decode_with_serde(position, bytes)
}

/// [`decode`] by `serde_json` alone.
fn decode_with_serde(position: u64, bytes: &[u8]) -> Result<RecordedEvent, IntegrityError> {
    check(position, read_with_serde(position, bytes)?)
}

/// Checks a stored record found at `position` as [`decode`] does, except that its payload
/// is not decoded into an event: for records whose events the reader already holds folded
/// (a book snapshot, see [`crate::snapshot`]). The hash covers the payload's text, so the
/// record is still exactly as written.
pub fn verify(position: u64, bytes: &[u8]) -> Result<RecordLink, IntegrityError> {
    if let Some(record) = layout::read(bytes) {
        if let Ok((link, _)) = check_envelope(position, &record) {
            return Ok(link);
        }
    }
    check_envelope(position, &read_with_serde(position, bytes)?).map(|(link, _)| link)
}

/// Reads a record by `serde_json` alone.
fn read_with_serde(position: u64, bytes: &[u8]) -> Result<StoredRecord<'_>, IntegrityError> {
    serde_json::from_slice(bytes).map_err(|e| IntegrityError {
        position,
        problem: IntegrityProblem::Undecodable(e.to_string()),
    })
}

/// Checks a record read at `position` and builds its event: the envelope (below), then the
/// payload under its schema version and the payload's stream.
fn check(position: u64, record: StoredRecord<'_>) -> Result<RecordedEvent, IntegrityError> {
    let fail = |problem| IntegrityError { position, problem };
    let (_, actor) = check_envelope(position, &record)?;
    let payload = decode_payload(record.payload).map_err(fail)?;
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

/// Checks a record's envelope: the position it names, the hash of its contents, the actor
/// id and the schema version (one this build reads, never guessed at).
fn check_envelope(position: u64, record: &StoredRecord<'_>) -> Result<(RecordLink, ActorId), IntegrityError> {
    let fail = |problem| IntegrityError { position, problem };
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
        payload_json: record.payload,
    }
    .hash();
    if computed != record.hash {
        return Err(fail(IntegrityProblem::HashMismatch));
    }
    let actor =
        ActorId::new(&record.actor).map_err(|e| fail(IntegrityProblem::Undecodable(e.to_string())))?;
    if record.schema_version > SCHEMA_VERSION || record.schema_version == 0 {
        return Err(fail(IntegrityProblem::UnsupportedSchemaVersion(
            record.schema_version,
        )));
    }
    let link = RecordLink {
        position: record.position,
        stream: record.stream,
        command_id: record.command_id,
        prev_hash: record.prev_hash,
        hash: record.hash,
    };
    Ok((link, actor))
}

/// Decodes a payload of a supported schema version into the current [`Event`] shape.
fn decode_payload(payload: &str) -> Result<Event, IntegrityProblem> {
    // Versions 1 to 5 share one JSON shape (later versions only added defaulted fields):
    // nothing to upcast yet.
    serde_json::from_str(payload).map_err(|e| IntegrityProblem::Undecodable(e.to_string()))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Every stored fixture, one record per line, positions from 1 in each.
    pub(crate) const FIXTURES: [&str; 6] = [
        include_str!("../../../tests/fixtures/events-v1.jsonl"),
        include_str!("../../../tests/fixtures/events-v2.jsonl"),
        include_str!("../../../tests/fixtures/events-v3.jsonl"),
        include_str!("../../../tests/fixtures/events-v4.jsonl"),
        include_str!("../../../tests/fixtures/events-v5.jsonl"),
        include_str!("../../../tests/fixtures/events-v6.jsonl"),
    ];

    /// What serde_json writes for the record of `event` with `payload`.
    fn serde_record(event: &RecordedEvent, payload: &str) -> Vec<u8> {
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
        serde_json::to_vec(&record).unwrap()
    }

    #[test]
    fn encoding_a_stored_record_again_gives_its_bytes() {
        let mut records = 0;
        for fixture in FIXTURES {
            for (line, position) in fixture.lines().zip(1u64..) {
                let event = decode(position, line.as_bytes()).unwrap();
                let stored: StoredRecord<'_> = serde_json::from_str(line).unwrap();
                let payload = stored.payload;
                assert_eq!(
                    encode(&event, payload).unwrap(),
                    line.as_bytes(),
                    "position {position}"
                );
                assert_eq!(serde_record(&event, stored.payload), line.as_bytes());
                records += 1;
            }
        }
        assert_eq!(records, 569);
    }

    #[test]
    fn checking_without_the_payload_reads_every_fixture_as_decoding_does() {
        for fixture in FIXTURES {
            for (line, position) in fixture.lines().zip(1u64..) {
                let event = decode(position, line.as_bytes()).unwrap();
                assert_eq!(verify(position, line.as_bytes()), Ok(event.link()));
            }
        }
        let line = FIXTURES[4].lines().nth(2).unwrap();
        let altered = line.replacen("\"payload\":{", "\"payload\":{ ", 1);
        assert_eq!(
            verify(3, altered.as_bytes()),
            Err(IntegrityError {
                position: 3,
                problem: IntegrityProblem::HashMismatch
            })
        );
        assert_eq!(
            verify(4, line.as_bytes()).map_err(|e| e.problem),
            Err(IntegrityProblem::PositionGap { found: 3 })
        );
    }

    #[test]
    fn actors_and_times_are_written_as_serde_writes_them() {
        let line = FIXTURES[3].lines().next().unwrap();
        let stored: StoredRecord<'_> = serde_json::from_str(line).unwrap();
        let mut event = decode(1, line.as_bytes()).unwrap();
        let actors = ["ann \"the\" o'hara \\ back/slash", "zoë, 日本", "plain.actor"];
        let times = [
            "2026-03-02T09:01:00Z",
            "2026-03-02T09:01:00.5Z",
            "2026-03-02T09:01:00.000001Z",
            "1969-12-31T23:59:59.999999999Z",
            "0001-01-01T00:00:00Z",
        ];
        for (actor, time) in actors.iter().cycle().zip(times) {
            event.actor = ActorId::new(actor).unwrap();
            event.business_time = time.parse().unwrap();
            event.recorded_time = event.business_time + chrono::Duration::nanoseconds(123);
            let ours = encode(&event, stored.payload).unwrap();
            assert_eq!(ours, serde_record(&event, stored.payload), "{actor} at {time}");
            let back = serde_json::from_slice::<StoredRecord<'_>>(&ours).unwrap();
            assert_eq!(
                (back.actor.as_ref(), back.business_time),
                (*actor, event.business_time)
            );
        }
    }
}
