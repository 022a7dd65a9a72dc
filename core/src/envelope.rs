//! The event envelope and the hash chain.
//!
//! Every stored event is a [`RecordedEvent`]: the payload plus its global position, its
//! stream and version within the stream, ids (event, command, correlation, causation), the
//! actor, business and recorded time, the schema version, and two hashes. `hash` is
//! SHA-256 over a canonical encoding of every other field, chained to `prev_hash`, the
//! hash of the event before it (zero for the first). Altering, dropping or reordering any
//! stored event breaks the chain at that position.
//!
//! Canonical encoding (each item in this order; integers big-endian; "text" and "bytes"
//! are a u64 length followed by the bytes):
//! domain tag `o2c.event.v1` (text), prev_hash (32 bytes), position (u64), stream (text),
//! stream_version (u64), event_id (16 bytes), command_id (16 bytes), actor (text),
//! business_time and recorded_time (each i64 seconds since the Unix epoch, u32
//! nanoseconds), correlation_id, causation_id (16 bytes each), schema_version (u32),
//! payload (text: the payload's JSON exactly as stored).

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::codec::{self, IntegrityError, IntegrityProblem};
use crate::context::CommandContext;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::ActorId;
use crate::stream::{STREAM_TEXT_MAX, StreamId};

/// The schema version written on new events. Versions 2 and 3 added fields to existing
/// events (all with defaults) and new events; older payloads decode into the current
/// shapes unchanged (see the table in [`crate::codec`]).
pub const SCHEMA_VERSION: u32 = 6;

/// A SHA-256 digest.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hash(pub [u8; 32]);

impl Hash {
    /// All zeros: the `prev_hash` of the first event.
    pub const ZERO: Hash = Hash([0; 32]);

    /// SHA-256 over the parts, each prefixed with its length so that no two different
    /// sequences of parts hash alike.
    pub fn of_parts(parts: &[&[u8]]) -> Hash {
        let mut hasher = Sha256::new();
        for part in parts {
            hasher.update((part.len() as u64).to_be_bytes());
            hasher.update(part);
        }
        Hash(hasher.finalize().into())
    }

    /// Lower-case hexadecimal.
    pub fn to_hex(&self) -> String {
        self.encode_hex().iter().copied().map(char::from).collect()
    }

    /// Lower-case hexadecimal digits, without an allocation (the stored record writes two
    /// per event).
    pub(crate) fn encode_hex(&self) -> [u8; 64] {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut out = [0u8; 64];
        for (pair, byte) in out.chunks_exact_mut(2).zip(self.0) {
            pair[0] = DIGITS[usize::from(byte >> 4)];
            pair[1] = DIGITS[usize::from(byte & 0x0f)];
        }
        out
    }

    /// Parses 64 hexadecimal digits.
    pub fn from_hex(text: &str) -> Option<Hash> {
        let bytes = text.as_bytes();
        if bytes.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (slot, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
            let (high, low) = (HEX_VALUE[usize::from(pair[0])], HEX_VALUE[usize::from(pair[1])]);
            if high > 15 || low > 15 {
                return None;
            }
            *slot = high << 4 | low;
        }
        Some(Hash(out))
    }
}

/// Each byte's value as a hexadecimal digit (either case), 255 for any other byte.
const HEX_VALUE: [u8; 256] = {
    let mut table = [255u8; 256];
    let mut n = 0;
    while n < 10 {
        table[b'0' as usize + n] = n as u8;
        n += 1;
    }
    let mut n = 0;
    while n < 6 {
        table[b'a' as usize + n] = 10 + n as u8;
        table[b'A' as usize + n] = 10 + n as u8;
        n += 1;
    }
    table
};

impl fmt::Display for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash({})", self.to_hex())
    }
}

impl Serialize for Hash {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Hash {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Hash::from_hex(&text).ok_or_else(|| serde::de::Error::custom("expected 64 hexadecimal digits"))
    }
}

/// The last event of a log: its position (0 for an empty log) and hash.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    /// Global position of the last event; 0 when the log is empty.
    pub position: u64,
    /// Hash of the last event; [`Hash::ZERO`] when the log is empty.
    pub hash: Hash,
}

/// A stored event: payload and envelope.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecordedEvent {
    /// Position in the global log, from 1, without gaps.
    pub position: u64,
    /// The stream it belongs to.
    pub stream: StreamId,
    /// Version within the stream, from 1, without gaps.
    pub stream_version: u64,
    /// The event's id, derived from the command id and the event's index in the command.
    pub event_id: Uuid,
    /// The command that produced it.
    pub command_id: Uuid,
    /// Who issued that command.
    pub actor: ActorId,
    /// Business time of the command.
    pub business_time: DateTime<Utc>,
    /// When the engine stored it.
    pub recorded_time: DateTime<Utc>,
    /// Correlation id of the command.
    pub correlation_id: Uuid,
    /// Causation id of the command.
    pub causation_id: Uuid,
    /// Schema version the payload was written in.
    pub schema_version: u32,
    /// The fact.
    pub payload: Event,
    /// Hash of the previous event in the log.
    pub prev_hash: Hash,
    /// Hash of this event (see the module docs for what it covers).
    pub hash: Hash,
}

/// The fields the chained hash covers; the payload as its stored JSON text.
pub(crate) struct HashInput<'a> {
    pub prev_hash: Hash,
    pub position: u64,
    pub stream: StreamId,
    pub stream_version: u64,
    pub event_id: Uuid,
    pub command_id: Uuid,
    pub actor: &'a str,
    pub business_time: DateTime<Utc>,
    pub recorded_time: DateTime<Utc>,
    pub correlation_id: Uuid,
    pub causation_id: Uuid,
    pub schema_version: u32,
    pub payload_json: &'a str,
}

fn time_bytes(t: DateTime<Utc>) -> [u8; 12] {
    let mut out = [0u8; 12];
    out[..8].copy_from_slice(&t.timestamp().to_be_bytes());
    out[8..].copy_from_slice(&t.timestamp_subsec_nanos().to_be_bytes());
    out
}

impl HashInput<'_> {
    pub(crate) fn hash(&self) -> Hash {
        let mut stream = [0; STREAM_TEXT_MAX];
        Hash::of_parts(&[
            b"o2c.event.v1",
            &self.prev_hash.0,
            &self.position.to_be_bytes(),
            self.stream.encode_text(&mut stream),
            &self.stream_version.to_be_bytes(),
            self.event_id.as_bytes(),
            self.command_id.as_bytes(),
            self.actor.as_bytes(),
            &time_bytes(self.business_time),
            &time_bytes(self.recorded_time),
            self.correlation_id.as_bytes(),
            self.causation_id.as_bytes(),
            &self.schema_version.to_be_bytes(),
            self.payload_json.as_bytes(),
        ])
    }
}

impl RecordedEvent {
    pub(crate) fn hash_input<'a>(&'a self, payload_json: &'a str) -> HashInput<'a> {
        HashInput {
            prev_hash: self.prev_hash,
            position: self.position,
            stream: self.stream,
            stream_version: self.stream_version,
            event_id: self.event_id,
            command_id: self.command_id,
            actor: self.actor.as_str(),
            business_time: self.business_time,
            recorded_time: self.recorded_time,
            correlation_id: self.correlation_id,
            causation_id: self.causation_id,
            schema_version: self.schema_version,
            payload_json,
        }
    }

    /// Recomputes the hash from the event as held in memory (re-encoding the payload) and
    /// compares it with the recorded one. Stored events are checked against their stored
    /// bytes instead, by [`codec::decode`].
    pub fn verify_hash(&self) -> Result<(), IntegrityError> {
        let payload = serde_json::to_string(&self.payload).map_err(|e| IntegrityError {
            position: self.position,
            problem: IntegrityProblem::Undecodable(e.to_string()),
        })?;
        if self.hash_input(&payload).hash() == self.hash {
            Ok(())
        } else {
            Err(IntegrityError {
                position: self.position,
                problem: IntegrityProblem::HashMismatch,
            })
        }
    }

    /// The head this event makes.
    pub fn head(&self) -> Head {
        Head {
            position: self.position,
            hash: self.hash,
        }
    }

    /// Where this event stands in the log and how it links to the event before it.
    pub fn link(&self) -> RecordLink {
        RecordLink {
            position: self.position,
            stream: self.stream,
            command_id: self.command_id,
            prev_hash: self.prev_hash,
            hash: self.hash,
        }
    }
}

/// Where a stored event stands in the log and how it links to the event before it: what
/// verifying the chain and indexing the log need, without the payload
/// ([`codec::verify`] reads it from a stored record).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordLink {
    /// Global position.
    pub position: u64,
    /// The stream the event belongs to.
    pub stream: StreamId,
    /// The command that recorded it.
    pub command_id: Uuid,
    /// Hash of the event before it.
    pub prev_hash: Hash,
    /// Its own hash.
    pub hash: Hash,
}

impl RecordLink {
    /// The head this event makes.
    pub fn head(&self) -> Head {
        Head {
            position: self.position,
            hash: self.hash,
        }
    }
}

/// A recorded event together with its stored bytes (the canonical JSON record).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealedEvent {
    /// The event.
    pub event: RecordedEvent,
    /// Its stored form: the JSON record described in [`codec`].
    pub stored: Vec<u8>,
}

/// Everything one command appends, atomically.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Commit {
    /// The command's id.
    pub command_id: Uuid,
    /// The request's fingerprint (see [`crate::Request::fingerprint`]).
    pub fingerprint: Hash,
    /// The events, positions consecutive from the head it was sealed on.
    pub events: Vec<SealedEvent>,
}

impl Commit {
    /// The head after this commit, or `None` for a commit without events.
    pub fn head(&self) -> Option<Head> {
        self.events.last().map(|e| e.event.head())
    }
}

/// Wraps a command's events into envelopes chained after `head`. `stream_version` gives
/// each stream's current version.
pub(crate) fn seal(
    head: Head,
    ctx: &CommandContext,
    recorded_time: DateTime<Utc>,
    events: Vec<Event>,
    stream_version: impl Fn(&StreamId) -> u64,
) -> Result<Vec<SealedEvent>, DomainError> {
    let mut sealed: Vec<SealedEvent> = Vec::with_capacity(events.len());
    let mut prev = head;
    for (index, payload) in (0u64..).zip(events) {
        let stream = payload.stream();
        let earlier_in_batch = sealed.iter().filter(|s| s.event.stream == stream).count() as u64;
        let payload_json = payload_text(&payload)?;
        let mut event = RecordedEvent {
            position: prev.position + 1,
            stream,
            stream_version: stream_version(&stream) + earlier_in_batch + 1,
            event_id: Uuid::new_v5(&ctx.command_id, &index.to_be_bytes()),
            command_id: ctx.command_id,
            actor: ctx.actor.id.clone(),
            business_time: ctx.business_time,
            recorded_time,
            correlation_id: ctx.correlation(),
            causation_id: ctx.causation(),
            schema_version: SCHEMA_VERSION,
            payload,
            prev_hash: prev.hash,
            hash: Hash::ZERO,
        };
        event.hash = event.hash_input(&payload_json).hash();
        let stored = codec::encode(&event, &payload_json)?;
        prev = event.head();
        sealed.push(SealedEvent { event, stored });
    }
    Ok(sealed)
}

/// A payload's JSON text, written into a buffer sized for a typical event (growing one from
/// empty costs several copies per event).
fn payload_text(payload: &Event) -> Result<String, DomainError> {
    let encoding = |message: String| DomainError::Encoding { message };
    let mut text = Vec::with_capacity(1024);
    serde_json::to_writer(&mut text, payload).map_err(|e| encoding(e.to_string()))?;
    String::from_utf8(text).map_err(|e| encoding(e.to_string()))
}

/// Checks that events follow each other without gaps and with unbroken hash links.
/// (Each event's own hash is checked where its bytes are read: [`codec::decode`], or
/// [`RecordedEvent::verify_hash`] for events held in memory.)
#[derive(Clone, Copy, Debug, Default)]
pub struct ChainVerifier {
    head: Head,
}

impl ChainVerifier {
    /// A verifier for a log that starts at position 1.
    pub fn new() -> Self {
        Self::default()
    }

    /// A verifier that continues after a trusted head.
    pub fn resume(head: Head) -> Self {
        Self { head }
    }

    /// Checks that `event` directly follows the last checked one.
    pub fn check(&mut self, event: &RecordedEvent) -> Result<(), IntegrityError> {
        self.check_link(&event.link())
    }

    /// Checks that the event `link` describes directly follows the last checked one.
    pub fn check_link(&mut self, event: &RecordLink) -> Result<(), IntegrityError> {
        let expected = self.head.position + 1;
        if event.position != expected {
            return Err(IntegrityError {
                position: expected,
                problem: IntegrityProblem::PositionGap {
                    found: event.position,
                },
            });
        }
        if event.prev_hash != self.head.hash {
            return Err(IntegrityError {
                position: event.position,
                problem: IntegrityProblem::BrokenLink,
            });
        }
        self.head = event.head();
        Ok(())
    }

    /// The last verified head.
    pub fn head(&self) -> Head {
        self.head
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips() {
        let h = Hash::of_parts(&[b"abc"]);
        assert_eq!(Hash::from_hex(&h.to_hex()), Some(h));
        assert_eq!(Hash::from_hex("zz"), None);
        assert_eq!(Hash::from_hex(&"g".repeat(64)), None);
        for c in (0u8..128).map(char::from) {
            let text = format!("{c}1{}", "0".repeat(62));
            let expected = c.to_digit(16).map(|d| {
                let mut bytes = [0; 32];
                bytes[0] = d as u8 * 16 + 1;
                Hash(bytes)
            });
            assert_eq!(Hash::from_hex(&text), expected, "{c:?}");
        }
        assert_eq!(Hash::from_hex(&h.to_hex().to_uppercase()), Some(h));
    }

    #[test]
    fn length_prefixes_keep_part_boundaries() {
        assert_ne!(Hash::of_parts(&[b"ab", b"c"]), Hash::of_parts(&[b"a", b"bc"]));
    }
}
