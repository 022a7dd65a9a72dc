//! Getting a data directory ready for the current format: a new directory gets an empty
//! event file and the marker; a directory of the first format (`o2c-sled/1`, the log in sled
//! trees) is converted; anything else is refused.
//!
//! The conversion copies every stored record byte for byte, grouped by the command each
//! names, with the command's fingerprint from the old command index, into a new event file
//! (one frame per command). The file is synced and renamed into place before the marker
//! changes, and the old trees are dropped only after, so an interrupted conversion simply
//! runs again on the next open. Opening then verifies the converted log as always.

use std::path::Path;

use o2c_core::codec;
use o2c_core::store::StoreError;
use uuid::Uuid;

use crate::event_file::{self, FrameBuilder, MAGIC};
use crate::keys::{
    self, COMMANDS_TREE_1, FORMAT, FORMAT_1, FORMAT_1_TREES, FORMAT_KEY, HEAD_KEY, LOG_TREE_1,
};
use crate::{backend, backend_io};
use std::os::unix::fs::FileExt;

/// Makes `db` and the event file at `events` a store of the current format.
pub(crate) fn prepare(db: &sled::Db, meta: &sled::Tree, events: &Path) -> Result<(), StoreError> {
    let marker = meta.get(FORMAT_KEY).map_err(backend)?;
    match marker.as_deref() {
        Some(found) if found == FORMAT => {
            if !events.exists() {
                return Err(StoreError::IncompatibleFormat {
                    found: format!("{} without its event file {}", show(FORMAT), events.display()),
                });
            }
            drop_format_1_trees(db)
        }
        Some(found) if found == FORMAT_1 => convert(db, meta, events),
        Some(found) => Err(StoreError::IncompatibleFormat { found: show(found) }),
        None if !has_format_1_log(db)
            && meta.get(HEAD_KEY).map_err(backend)?.is_none()
            && !events.exists() =>
        {
            event_file::create(events)?;
            meta.insert(FORMAT_KEY, FORMAT).map_err(backend)?;
            db.flush().map_err(backend)?;
            Ok(())
        }
        None => Err(StoreError::IncompatibleFormat {
            found: "data without an o2c format marker".into(),
        }),
    }
}

fn show(marker: &[u8]) -> String {
    String::from_utf8_lossy(marker).into_owned()
}

fn has_format_1_log(db: &sled::Db) -> bool {
    db.tree_names()
        .iter()
        .any(|name| name.as_ref() == LOG_TREE_1.as_bytes())
}

fn drop_format_1_trees(db: &sled::Db) -> Result<(), StoreError> {
    let mut dropped = false;
    for name in FORMAT_1_TREES {
        if db.tree_names().iter().any(|n| n.as_ref() == name.as_bytes()) {
            dropped |= db.drop_tree(name).map_err(backend)?;
        }
    }
    if dropped {
        db.flush().map_err(backend)?;
    }
    Ok(())
}

/// Converts a first-format directory (see the module docs).
fn convert(db: &sled::Db, meta: &sled::Tree, events: &Path) -> Result<(), StoreError> {
    let log = db.open_tree(LOG_TREE_1).map_err(backend)?;
    let commands = db.open_tree(COMMANDS_TREE_1).map_err(backend)?;
    let converting = events.with_extension("log.converting");
    let file = event_file::create(&converting)?;
    let mut end = MAGIC.len() as u64;
    let mut write = |command_id: Uuid, records: &[sled::IVec]| -> Result<(), StoreError> {
        let bytes = commands.get(command_id.as_bytes()).map_err(backend)?;
        let record = bytes
            .as_deref()
            .and_then(|b| keys::decode_command(command_id, b))
            .ok_or_else(|| StoreError::IncompatibleFormat {
                found: format!(
                    "{} log whose command index lacks command {command_id}",
                    show(FORMAT_1)
                ),
            })?;
        let frame = FrameBuilder::of_commit(command_id, record.fingerprint, records)
            .finish()?
            .bytes;
        file.write_all_at(&frame, end).map_err(backend_io)?;
        end += frame.len() as u64;
        Ok(())
    };
    let mut current: Option<(Uuid, Vec<sled::IVec>)> = None;
    for entry in log.iter() {
        let (key, value) = entry.map_err(backend)?;
        let position = keys::position(&key)
            .ok_or_else(|| crate::undecodable(0, "a log key is not a position".into()))?;
        let command_id = codec::decode(position, &value)?.command_id;
        match &mut current {
            Some((id, records)) if *id == command_id => records.push(value),
            _ => {
                if let Some((id, records)) = current.take() {
                    write(id, &records)?;
                }
                current = Some((command_id, vec![value]));
            }
        }
    }
    if let Some((id, records)) = current {
        write(id, &records)?;
    }
    file.sync_all().map_err(backend_io)?;
    std::fs::rename(&converting, events).map_err(backend_io)?;
    event_file::sync_directory(events)?;
    meta.insert(FORMAT_KEY, FORMAT).map_err(backend)?;
    db.flush().map_err(backend)?;
    tracing::info!(events = %events.display(), "converted an o2c-sled/1 data directory to o2c-sled/2");
    drop_format_1_trees(db)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SledOptions, SledStore};
    use o2c_core::Hash;
    use o2c_core::store::EventStore;

    /// A first-format directory holding the stored records of `lines` (positions from 1),
    /// each record's command indexed with a fingerprint made from its id.
    fn format_1_dir(lines: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let db = sled::open(dir.path()).unwrap();
        let log = db.open_tree(LOG_TREE_1).unwrap();
        let commands = db.open_tree(COMMANDS_TREE_1).unwrap();
        let mut head = o2c_core::Head::default();
        for (line, position) in lines.iter().zip(1u64..) {
            let event = codec::decode(position, line.as_bytes()).unwrap();
            head = event.head();
            log.insert(position.to_be_bytes(), line.as_bytes()).unwrap();
            let fingerprint = Hash::of_parts(&[event.command_id.as_bytes()]);
            if commands.get(event.command_id.as_bytes()).unwrap().is_none() {
                let record = keys::encode_command(fingerprint, position, 1);
                commands
                    .insert(event.command_id.as_bytes(), record.as_slice())
                    .unwrap();
            }
        }
        let meta = db.open_tree(keys::META_TREE).unwrap();
        meta.insert(FORMAT_KEY, FORMAT_1).unwrap();
        meta.insert(HEAD_KEY, keys::encode_head(head).as_slice()).unwrap();
        db.flush().unwrap();
        dir
    }

    const V1: &str = include_str!("../../../tests/fixtures/events-v1.jsonl");

    #[test]
    fn a_first_format_directory_is_converted_record_for_record() {
        let lines: Vec<&str> = V1.lines().collect();
        let dir = format_1_dir(&lines);
        let store = SledStore::open(dir.path(), SledOptions::default()).unwrap();
        assert_eq!(store.head().unwrap().position, lines.len() as u64);
        for (line, position) in lines.iter().zip(1u64..) {
            assert_eq!(store.stored_record(position).unwrap().unwrap(), line.as_bytes());
            let event = codec::decode(position, line.as_bytes()).unwrap();
            let record = store.find_command(event.command_id).unwrap().unwrap();
            assert_eq!(record.fingerprint, Hash::of_parts(&[event.command_id.as_bytes()]));
        }
        drop(store);
        let db = sled::open(dir.path()).unwrap();
        assert!(!has_format_1_log(&db), "the old log tree is dropped");
        assert_eq!(
            db.open_tree(keys::META_TREE)
                .unwrap()
                .get(FORMAT_KEY)
                .unwrap()
                .unwrap()
                .as_ref(),
            FORMAT
        );
    }

    #[test]
    fn a_first_format_log_without_its_command_index_is_refused_and_left_as_it_was() {
        let lines: Vec<&str> = V1.lines().collect();
        let dir = format_1_dir(&lines);
        {
            let db = sled::open(dir.path()).unwrap();
            db.drop_tree(COMMANDS_TREE_1).unwrap();
            db.flush().unwrap();
        }
        assert!(matches!(
            SledStore::open(dir.path(), SledOptions::default()),
            Err(StoreError::IncompatibleFormat { .. })
        ));
        let db = sled::open(dir.path()).unwrap();
        assert!(has_format_1_log(&db));
        assert!(!dir.path().join(event_file::EVENT_FILE).exists());
    }

    #[test]
    fn an_unknown_marker_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        {
            let db = sled::open(dir.path()).unwrap();
            db.open_tree(keys::META_TREE)
                .unwrap()
                .insert(FORMAT_KEY, b"o2c-sled/9".as_slice())
                .unwrap();
            db.flush().unwrap();
        }
        match SledStore::open(dir.path(), SledOptions::default()) {
            Err(StoreError::IncompatibleFormat { found }) => assert_eq!(found, "o2c-sled/9"),
            other => panic!("expected the marker to be refused, got {:?}", other.err()),
        }
    }
}
