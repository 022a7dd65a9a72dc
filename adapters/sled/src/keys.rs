//! Tree names and the byte layout of keys and index values (see the crate docs' table).

use o2c_core::store::CommandRecord;
use o2c_core::{Hash, Head, StreamId};
use uuid::Uuid;

/// The global log: position -> stored event record.
pub const LOG_TREE: &str = "log";
/// The stream index: stream id, 0x00, stream version -> position.
pub const STREAMS_TREE: &str = "streams";
/// The command index: command id -> fingerprint, first position, event count.
pub const COMMANDS_TREE: &str = "commands";
/// Store metadata: head and format.
pub const META_TREE: &str = "meta";
/// Key of the head record in [`META_TREE`].
pub const HEAD_KEY: &[u8] = b"head";
/// Key of the format marker in [`META_TREE`].
pub const FORMAT_KEY: &[u8] = b"format";
/// The format marker this build writes and reads.
pub const FORMAT: &[u8] = b"o2c-sled/1";

pub(crate) fn position_key(position: u64) -> [u8; 8] {
    position.to_be_bytes()
}

pub(crate) fn position(bytes: &[u8]) -> Option<u64> {
    Some(u64::from_be_bytes(bytes.try_into().ok()?))
}

pub(crate) fn stream_prefix(stream: &StreamId) -> Vec<u8> {
    let mut key = stream.to_string().into_bytes();
    key.push(0);
    key
}

pub(crate) fn stream_key(stream: &StreamId, version: u64) -> Vec<u8> {
    let mut key = stream_prefix(stream);
    key.extend_from_slice(&version.to_be_bytes());
    key
}

pub(crate) fn encode_head(head: Head) -> [u8; 40] {
    let mut out = [0u8; 40];
    out[..8].copy_from_slice(&head.position.to_be_bytes());
    out[8..].copy_from_slice(&head.hash.0);
    out
}

pub(crate) fn decode_head(bytes: &[u8]) -> Option<Head> {
    let bytes: &[u8; 40] = bytes.try_into().ok()?;
    let position = u64::from_be_bytes(bytes[..8].try_into().ok()?);
    let hash = Hash(bytes[8..].try_into().ok()?);
    Some(Head { position, hash })
}

pub(crate) fn encode_command(fingerprint: Hash, first_position: u64, event_count: u32) -> [u8; 44] {
    let mut out = [0u8; 44];
    out[..32].copy_from_slice(&fingerprint.0);
    out[32..40].copy_from_slice(&first_position.to_be_bytes());
    out[40..].copy_from_slice(&event_count.to_be_bytes());
    out
}

pub(crate) fn decode_command(command_id: Uuid, bytes: &[u8]) -> Option<CommandRecord> {
    let bytes: &[u8; 44] = bytes.try_into().ok()?;
    Some(CommandRecord {
        command_id,
        fingerprint: Hash(bytes[..32].try_into().ok()?),
        first_position: u64::from_be_bytes(bytes[32..40].try_into().ok()?),
        event_count: u32::from_be_bytes(bytes[40..].try_into().ok()?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use o2c_core::StreamKind;

    #[test]
    fn records_round_trip() {
        let head = Head {
            position: 42,
            hash: Hash::of_parts(&[b"x"]),
        };
        assert_eq!(decode_head(&encode_head(head)), Some(head));
        let id = Uuid::from_u128(9);
        let record = decode_command(id, &encode_command(head.hash, 7, 3)).unwrap();
        assert_eq!(
            (record.first_position, record.event_count, record.fingerprint),
            (7, 3, head.hash)
        );
        assert_eq!(decode_head(b"short"), None);
    }

    #[test]
    fn stream_keys_sort_by_version_within_a_stream() {
        let s = StreamId::new(StreamKind::Order, Uuid::from_u128(1));
        assert!(stream_key(&s, 2) < stream_key(&s, 10));
        assert!(stream_key(&s, 1).starts_with(&stream_prefix(&s)));
    }
}
