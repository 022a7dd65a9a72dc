//! # o2c-sled: the durable event store on sled
//!
//! [`SledStore`] implements o2c's [`EventStore`] port on an embedded [sled] database. It is
//! the default store behind `o2c::Engine::open`. It is **for** one process owning one data
//! directory: sled locks the directory, and o2c's single writer decides commands one after
//! another. It is **not** a server: a service that outgrows one machine needs a
//! server-grade implementation of the same port.
//!
//! ## Layout (format `o2c-sled/1`)
//!
//! | tree       | key                                   | value                                     |
//! |------------|---------------------------------------|-------------------------------------------|
//! | `log`      | position, u64 big-endian              | the event's stored JSON record            |
//! | `streams`  | stream id text, `0x00`, version (u64 BE) | position (u64 BE)                      |
//! | `commands` | command id (16 bytes)                 | fingerprint (32) · first position (u64 BE) · event count (u32 BE) |
//! | `meta`     | `head`                                | head position (u64 BE) · head hash (32)  |
//! | `meta`     | `format`                              | `o2c-sled/1`                              |
//!
//! One command's events, their index entries, the command record and the new head are
//! written in one multi-tree transaction that first checks the stored head against the
//! writer's expected position: positions come from that head record, never from sled's
//! `generate_id`, so they are gapless.
//!
//! ## Durability
//!
//! With [`Durability::Immediate`] (the default) every append is flushed (written and
//! fsynced) before it is acknowledged. With [`Durability::Buffered`] sled flushes in the
//! background every few milliseconds; an acknowledged append may be lost in a crash, but
//! never half of one: recovery always yields a prefix of whole transactions.
//!
//! ## Opening
//!
//! [`SledStore::open`] reads the whole log, decodes every record, recomputes every hash and
//! checks every link, and compares the last event with the head record. Anything altered,
//! missing or torn is reported as [`StoreError::Integrity`] naming the first bad position.

mod keys;

use std::path::Path;
use std::time::{Duration, Instant};

use o2c_core::codec;
use o2c_core::envelope::ChainVerifier;
use o2c_core::store::{CommandRecord, EventIter, EventStore, StoreError, check_batch};
use o2c_core::{Commit, Head, RecordedEvent, StreamId};
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError};
use uuid::Uuid;

pub use keys::{COMMANDS_TREE, FORMAT, FORMAT_KEY, HEAD_KEY, LOG_TREE, META_TREE, STREAMS_TREE};

/// When an append counts as done.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Durability {
    /// Flushed to disk (fsync) before the append returns. The default.
    #[default]
    Immediate,
    /// Acknowledged once in sled's memory; sled flushes every `flush_every_ms`
    /// milliseconds. Faster; a crash may lose the appends of the last interval (whole
    /// commands only, never part of one).
    Buffered {
        /// Background flush interval in milliseconds.
        flush_every_ms: u64,
    },
}

/// Options for opening a store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SledOptions {
    /// When an append counts as done.
    pub durability: Durability,
    /// How long opening waits for the directory's lock when another handle still holds it
    /// (sled's background threads keep it for a moment after a store is dropped). Another
    /// process that keeps the directory open makes opening fail after this wait.
    pub lock_wait: Duration,
}

impl Default for SledOptions {
    fn default() -> Self {
        Self {
            durability: Durability::default(),
            lock_wait: Duration::from_secs(2),
        }
    }
}

/// The event store on sled.
pub struct SledStore {
    db: sled::Db,
    log: sled::Tree,
    streams: sled::Tree,
    commands: sled::Tree,
    meta: sled::Tree,
    durability: Durability,
    /// sled's data file, opened again to force its written pages to the medium (see
    /// [`SledStore::sync`]).
    data_file: std::fs::File,
}

fn backend(e: sled::Error) -> StoreError {
    StoreError::Backend(Box::new(e))
}

fn backend_io(e: std::io::Error) -> StoreError {
    StoreError::Backend(Box::new(e))
}

/// The file sled 0.34 keeps its log and pages in, inside the data directory.
const DATA_FILE: &str = "db";

/// Why a transaction refused to write.
enum Refusal {
    Conflict { actual: u64 },
    Duplicate(Uuid),
}

impl SledStore {
    /// Opens (or creates) the store in `path` and verifies the whole log.
    pub fn open(path: impl AsRef<Path>, options: SledOptions) -> Result<Self, StoreError> {
        Self::open_and_replay(path, options, |_| {})
    }

    /// Opens (or creates) the store in `path`, verifies the whole log, and hands every
    /// verified event, in order, to `replay` (one pass for verification and rebuild).
    pub fn open_and_replay(
        path: impl AsRef<Path>,
        options: SledOptions,
        replay: impl FnMut(&RecordedEvent),
    ) -> Result<Self, StoreError> {
        Self::begin_open(path, options)?.verify_and_replay(replay)
    }

    /// Opens (or creates) the store in `path` without reading the log yet, so that data
    /// kept beside the log (projections) can be loaded before the one verifying pass.
    pub fn begin_open(path: impl AsRef<Path>, options: SledOptions) -> Result<OpeningStore, StoreError> {
        let started = Instant::now();
        let flush_every_ms = match options.durability {
            Durability::Immediate => Some(500),
            Durability::Buffered { flush_every_ms } => Some(flush_every_ms.max(1)),
        };
        let config = sled::Config::new()
            .path(path.as_ref())
            .flush_every_ms(flush_every_ms);
        let db = open_waiting_for_lock(&config, options.lock_wait)?;
        let store = Self {
            log: db.open_tree(LOG_TREE).map_err(backend)?,
            streams: db.open_tree(STREAMS_TREE).map_err(backend)?,
            commands: db.open_tree(COMMANDS_TREE).map_err(backend)?,
            meta: db.open_tree(META_TREE).map_err(backend)?,
            db,
            durability: options.durability,
            data_file: std::fs::File::open(path.as_ref().join(DATA_FILE)).map_err(backend_io)?,
        };
        store.check_format()?;
        Ok(OpeningStore {
            store,
            path: path.as_ref().display().to_string(),
            started,
        })
    }

    fn check_format(&self) -> Result<(), StoreError> {
        match self.meta.get(FORMAT_KEY).map_err(backend)? {
            Some(found) if found.as_ref() == FORMAT => Ok(()),
            Some(found) => Err(StoreError::IncompatibleFormat {
                found: String::from_utf8_lossy(&found).into_owned(),
            }),
            None if self.log.is_empty() && self.meta.get(HEAD_KEY).map_err(backend)?.is_none() => {
                self.meta.insert(FORMAT_KEY, FORMAT).map_err(backend)?;
                self.db.flush().map_err(backend)?;
                Ok(())
            }
            None => Err(StoreError::IncompatibleFormat {
                found: "data without an o2c format marker".into(),
            }),
        }
    }

    /// Reads the whole log, checking every record and link, and the head marker.
    fn verify(&self, replay: &mut impl FnMut(&RecordedEvent)) -> Result<Head, StoreError> {
        let mut chain = ChainVerifier::new();
        for entry in self.log.iter() {
            let (key, value) = entry.map_err(backend)?;
            let expected = chain.head().position + 1;
            let position =
                keys::position(&key).ok_or_else(|| integrity(expected, "log key is not a position"))?;
            let event = codec::decode(position, &value)?;
            chain.check(&event)?;
            replay(&event);
        }
        let head = chain.head();
        if self.stored_head()? != head {
            return Err(StoreError::Integrity(codec::IntegrityError {
                position: head.position,
                problem: codec::IntegrityProblem::HeadMismatch,
            }));
        }
        Ok(head)
    }

    /// Makes everything written so far durable: sled's flush writes its buffers, but on
    /// Linux it only asks for the written range to reach the device
    /// (`sync_file_range`), which neither empties the device's write cache nor records
    /// the file's new size, so a power loss could still lose acknowledged writes. The
    /// `fdatasync` of the data file that follows does both.
    fn sync(&self) -> Result<(), StoreError> {
        self.db.flush().map_err(backend)?;
        self.data_file.sync_data().map_err(backend_io)
    }

    /// Another tree of the same database, for data kept beside the log (the projections
    /// and their checkpoints). Trees of the log's own layout are refused.
    pub fn open_tree(&self, name: &str) -> Result<sled::Tree, StoreError> {
        if [LOG_TREE, STREAMS_TREE, COMMANDS_TREE, META_TREE].contains(&name) {
            return Err(StoreError::MalformedCommit {
                reason: format!("tree {name} belongs to the event log"),
            });
        }
        self.db.open_tree(name).map_err(backend)
    }

    /// The stored record of the event at `position`, byte for byte as it was written: the
    /// compact JSON whose payload text the event's hash covers (see `o2c_core::codec`).
    /// What an auditor exports; events of older schema versions keep their old text here.
    pub fn stored_record(&self, position: u64) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self
            .log
            .get(keys::position_key(position))
            .map_err(backend)?
            .map(|bytes| bytes.to_vec()))
    }

    fn stored_head(&self) -> Result<Head, StoreError> {
        match self.meta.get(HEAD_KEY).map_err(backend)? {
            None => Ok(Head::default()),
            Some(bytes) => keys::decode_head(&bytes).ok_or_else(|| integrity(0, "head record is malformed")),
        }
    }

    fn decode_at(&self, position: u64) -> Result<Option<RecordedEvent>, StoreError> {
        match self.log.get(keys::position_key(position)).map_err(backend)? {
            None => Ok(None),
            Some(bytes) => Ok(Some(codec::decode(position, &bytes)?)),
        }
    }
}

/// A store whose directory is open but whose log has not been verified yet: it offers
/// only what may be read before verification; [`OpeningStore::verify_and_replay`] turns
/// it into a [`SledStore`].
pub struct OpeningStore {
    store: SledStore,
    path: String,
    started: Instant,
}

impl OpeningStore {
    /// Another tree of the same database (see [`SledStore::open_tree`]).
    pub fn open_tree(&self, name: &str) -> Result<sled::Tree, StoreError> {
        self.store.open_tree(name)
    }

    /// The head the store's head record names (not verified yet).
    pub fn recorded_head(&self) -> Result<Head, StoreError> {
        self.store.stored_head()
    }

    /// Reads the whole log, checking every record and link and the head record, and hands
    /// every verified event, in order, to `replay`.
    pub fn verify_and_replay(self, mut replay: impl FnMut(&RecordedEvent)) -> Result<SledStore, StoreError> {
        let head = self.store.verify(&mut replay)?;
        tracing::info!(
            path = %self.path,
            events = head.position,
            head = %head.hash,
            elapsed_ms = self.started.elapsed().as_millis() as u64,
            "opened and verified o2c log"
        );
        Ok(self.store)
    }
}

/// Opens the database, retrying while the directory's lock is held, up to `wait`.
fn open_waiting_for_lock(config: &sled::Config, wait: Duration) -> Result<sled::Db, StoreError> {
    let deadline = Instant::now() + wait;
    loop {
        match config.open() {
            // sled reports a lock held elsewhere as an I/O error with this text.
            Err(sled::Error::Io(e))
                if e.to_string().starts_with("could not acquire lock") && Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            opened => return opened.map_err(backend),
        }
    }
}

fn integrity(position: u64, what: &str) -> StoreError {
    StoreError::Integrity(codec::IntegrityError {
        position,
        problem: codec::IntegrityProblem::Undecodable(what.to_string()),
    })
}

impl EventStore for SledStore {
    fn head(&self) -> Result<Head, StoreError> {
        self.stored_head()
    }

    fn append_batch(&self, expected: u64, commits: &[Commit]) -> Result<Head, StoreError> {
        let new_head = check_batch(expected, commits)?;
        let mut first_position = expected + 1;
        let records: Vec<([u8; 16], [u8; 44])> = commits
            .iter()
            .map(|commit| {
                let record =
                    keys::encode_command(commit.fingerprint, first_position, commit.events.len() as u32);
                first_position += commit.events.len() as u64;
                (*commit.command_id.as_bytes(), record)
            })
            .collect();
        let result = (&self.log, &self.streams, &self.commands, &self.meta).transaction(
            |(log, streams, commands, meta)| {
                let actual = match meta.get(HEAD_KEY)? {
                    None => 0,
                    Some(bytes) => keys::decode_head(&bytes).map_or(u64::MAX, |h| h.position),
                };
                if actual != expected {
                    return Err(ConflictableTransactionError::Abort(Refusal::Conflict { actual }));
                }
                for (commit, (command_key, record)) in commits.iter().zip(&records) {
                    if commands.get(command_key)?.is_some() {
                        return Err(ConflictableTransactionError::Abort(Refusal::Duplicate(
                            commit.command_id,
                        )));
                    }
                    for sealed in &commit.events {
                        let event = &sealed.event;
                        let position = keys::position_key(event.position);
                        log.insert(&position, sealed.stored.as_slice())?;
                        streams.insert(keys::stream_key(&event.stream, event.stream_version), &position)?;
                    }
                    commands.insert(command_key, record.as_slice())?;
                }
                meta.insert(HEAD_KEY, keys::encode_head(new_head).as_slice())?;
                Ok(())
            },
        );
        match result {
            Ok(()) => {}
            Err(TransactionError::Abort(Refusal::Conflict { actual })) => {
                return Err(StoreError::Conflict { expected, actual });
            }
            Err(TransactionError::Abort(Refusal::Duplicate(command_id))) => {
                return Err(StoreError::DuplicateCommand { command_id });
            }
            Err(TransactionError::Storage(e)) => return Err(backend(e)),
        }
        if self.durability == Durability::Immediate {
            self.sync()?;
        }
        Ok(new_head)
    }

    fn read_log(&self, from: u64) -> EventIter<'_> {
        let start = keys::position_key(from.max(1));
        Box::new(self.log.range(start..).map(|entry| {
            let (key, value) = entry.map_err(backend)?;
            let position = keys::position(&key).ok_or_else(|| integrity(0, "log key is not a position"))?;
            Ok(codec::decode(position, &value)?)
        }))
    }

    fn read_stream(&self, stream: &StreamId) -> Result<Vec<RecordedEvent>, StoreError> {
        let mut events = Vec::new();
        for entry in self.streams.scan_prefix(keys::stream_prefix(stream)) {
            let (_, value) = entry.map_err(backend)?;
            let position =
                keys::position(&value).ok_or_else(|| integrity(0, "stream index entry is not a position"))?;
            let event = self
                .decode_at(position)?
                .ok_or_else(|| integrity(position, "stream index points past the log"))?;
            events.push(event);
        }
        Ok(events)
    }

    fn find_command(&self, command_id: Uuid) -> Result<Option<CommandRecord>, StoreError> {
        match self.commands.get(command_id.as_bytes()).map_err(backend)? {
            None => Ok(None),
            Some(bytes) => keys::decode_command(command_id, &bytes)
                .map(Some)
                .ok_or_else(|| integrity(0, "command index entry is malformed")),
        }
    }

    fn flush(&self) -> Result<(), StoreError> {
        self.sync()
    }
}
