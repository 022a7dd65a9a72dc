//! The sled side of the store: tree and key names, the head record, and the byte layout of
//! the first format's index values (read when such a directory is converted).

use o2c_core::store::{CommandRecord, StoreError};
use o2c_core::{Hash, Head};
use uuid::Uuid;

use crate::backend;

/// Store metadata: head and format.
pub const META_TREE: &str = "meta";
/// Key of the head record in [`META_TREE`].
pub const HEAD_KEY: &[u8] = b"head";
/// Key of the format marker in [`META_TREE`].
pub const FORMAT_KEY: &[u8] = b"format";
/// The format marker this build writes and reads.
pub const FORMAT: &[u8] = b"o2c-sled/2";

/// The first format's marker: the log and its indexes in sled trees.
pub(crate) const FORMAT_1: &[u8] = b"o2c-sled/1";
/// The first format's log: position (u64 BE) -> stored record.
pub(crate) const LOG_TREE_1: &str = "log";
/// The first format's command index: command id -> [`decode_command`].
pub(crate) const COMMANDS_TREE_1: &str = "commands";
/// The first format's trees, all dropped once converted (`projections` held the stored
/// projections then; they are kept in files now and rebuilt after the conversion).
pub(crate) const FORMAT_1_TREES: [&str; 4] = [LOG_TREE_1, "streams", COMMANDS_TREE_1, "projections"];

pub(crate) fn position(bytes: &[u8]) -> Option<u64> {
    Some(u64::from_be_bytes(bytes.try_into().ok()?))
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

/// The head record in `meta` (the empty head when there is none).
pub(crate) fn stored_head(meta: &sled::Tree) -> Result<Head, StoreError> {
    match meta.get(HEAD_KEY).map_err(backend)? {
        None => Ok(Head::default()),
        Some(bytes) => {
            decode_head(&bytes).ok_or_else(|| crate::undecodable(0, "the head record is malformed".into()))
        }
    }
}

/// Writes the head record (made durable by sled's next flush).
pub(crate) fn store_head(meta: &sled::Tree, head: Head) -> Result<(), StoreError> {
    meta.insert(HEAD_KEY, encode_head(head).as_slice())
        .map_err(backend)?;
    Ok(())
}

#[cfg(test)]
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
}
