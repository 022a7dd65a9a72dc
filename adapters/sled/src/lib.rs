//! # o2c-sled: the durable event store
//!
//! [`SledStore`] implements o2c's [`EventStore`] port for one data directory. It is the
//! default store behind `o2c::Engine::open`. It is **for** one process owning one data
//! directory: sled locks the directory, and o2c's single writer decides commands one after
//! another. It is **not** a server: a service that outgrows one machine needs a
//! server-grade implementation of the same port.
//!
//! ## Layout (format `o2c-sled/2`)
//!
//! | where | what |
//! |---|---|
//! | `events.log` | the log: one frame per append, each holding whole commands and their events' stored JSON records ([`event_file`]) |
//! | sled tree `meta`, key `format` | `o2c-sled/2` |
//! | sled tree `meta`, key `head` | a head the log has reached: position (u64 BE) · hash (32); written after an append is durable, at most every 100 ms, and on flush |
//! | other sled trees | data a user keeps beside the log ([`SledStore::open_tree`]) |
//!
//! The stream index and the command index are kept in memory: opening builds them in the
//! same pass that verifies the log, and every append extends them. The log is an
//! append-only file rather than sled trees because a sled transaction over four trees cost
//! about 140 µs of CPU per command and sled's flush added a device round trip of its own
//! before the `fdatasync` that makes it power-loss safe (see `docs/performance.md`); one
//! frame written and synced is one round trip.
//!
//! A data directory of the first format (`o2c-sled/1`: the log and its indexes in sled
//! trees) is converted when it is opened: its records are copied byte for byte into the
//! event file, which is synced and renamed into place before the marker changes, so an
//! interrupted conversion starts again on the next open.
//!
//! ## Durability
//!
//! With [`Durability::Immediate`] (the default) every append is written and `fdatasync`ed
//! before it is acknowledged. With [`Durability::Buffered`] a background thread syncs the
//! file every few milliseconds; an acknowledged append may be lost in a crash, but never
//! half of one: a frame that was not completely written is dropped on opening, so recovery
//! always yields a prefix of whole appends.
//!
//! ## Opening
//!
//! [`SledStore::open`] reads the whole log, decodes every record, recomputes every hash and
//! checks every link, and checks the head record against the log. Anything altered,
//! missing or damaged is reported as [`StoreError::Integrity`] naming the first bad
//! position. Only an incomplete last frame past the head record is repaired (cut off).

mod decoder;
pub mod event_file;
mod flusher;
mod index;
mod keys;
mod migrate;

use std::fs::{File, OpenOptions};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock, RwLockReadGuard};
use std::time::{Duration, Instant};

use o2c_core::codec::{self, IntegrityError, IntegrityProblem};
use o2c_core::envelope::ChainVerifier;
use o2c_core::store::{CommandRecord, EventIter, EventStore, StoreError, check_batch};
use o2c_core::{Commit, Head, RecordedEvent, StreamId};
use uuid::Uuid;

use decoder::{DecodedRecord, LogEnd};
use event_file::{EVENT_FILE, FrameBuilder};
use flusher::Flusher;
use index::{CommandAt, Index, RecordAt};

pub use event_file::{StoredCommit, read_commits, write_commits};
pub use keys::{FORMAT, FORMAT_KEY, HEAD_KEY, META_TREE};

/// When an append counts as done.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Durability {
    /// Written and `fdatasync`ed before the append returns. The default.
    #[default]
    Immediate,
    /// Acknowledged once written to the operating system; a background thread syncs the
    /// file every `flush_every_ms` milliseconds. Faster; a crash may lose the appends of
    /// the last interval (whole appends only, never part of one).
    Buffered {
        /// Background sync interval in milliseconds.
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

/// The durable event store: the log in the event file, its head record and the data kept
/// beside it in sled.
pub struct SledStore {
    dir: PathBuf,
    db: sled::Db,
    meta: sled::Tree,
    /// The event file, read and written at explicit offsets.
    file: Arc<File>,
    index: Arc<RwLock<Index>>,
    /// The writer's lock, and where the next frame goes.
    tail: Mutex<Tail>,
    durability: Durability,
    /// Syncs the file in the background when buffered.
    flusher: Option<Flusher>,
}

/// The end of the log in the event file, and how far the file is filled (zeros after the
/// end, see [`event_file`]).
#[derive(Clone, Copy, Debug, Default)]
struct Tail {
    end: u64,
    allocated: u64,
    /// When the head record was last written (by appends; see [`HEAD_RECORD_EVERY`]).
    head_recorded: Option<Instant>,
}

/// How often an `Immediate` store writes its head record while appending (and always when
/// it is flushed or closed). Writing it after every append cost about 10 µs per command;
/// the record only has to be a head the log has reached, and sled makes it durable in the
/// background anyway.
const HEAD_RECORD_EVERY: Duration = Duration::from_millis(100);

pub(crate) fn backend(e: sled::Error) -> StoreError {
    StoreError::Backend(Box::new(e))
}

pub(crate) fn backend_io(e: std::io::Error) -> StoreError {
    StoreError::Backend(Box::new(e))
}

pub(crate) fn integrity(position: u64, problem: IntegrityProblem) -> StoreError {
    StoreError::Integrity(IntegrityError { position, problem })
}

pub(crate) fn undecodable(position: u64, what: String) -> StoreError {
    integrity(position, IntegrityProblem::Undecodable(what))
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
    /// kept beside the log (projections) can be loaded before the one verifying pass. A
    /// directory of the first format is converted here (see the crate docs).
    pub fn begin_open(path: impl AsRef<Path>, options: SledOptions) -> Result<OpeningStore, StoreError> {
        let started = Instant::now();
        let dir = path.as_ref();
        // sled only holds the head record and the projections; its own background flush
        // writes them, and the log does not depend on it.
        let config = sled::Config::new().path(dir).flush_every_ms(Some(500));
        let db = open_waiting_for_lock(&config, options.lock_wait)?;
        let meta = db.open_tree(META_TREE).map_err(backend)?;
        let events = dir.join(EVENT_FILE);
        migrate::prepare(&db, &meta, &events)?;
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(&events)
            .map_err(backend_io)?;
        Ok(OpeningStore {
            store: Self {
                dir: dir.to_path_buf(),
                db,
                meta,
                file: Arc::new(file),
                index: Arc::default(),
                tail: Mutex::default(),
                durability: options.durability,
                flusher: None,
            },
            events,
            started,
        })
    }

    /// Reads the whole log, checking every record and link, and the head record; builds the
    /// indexes; cuts off a torn last frame. Events after `held` are decoded and handed to
    /// `replay`; records up to it are checked without decoding their payloads. Returns the
    /// head and whether the log holds `held`.
    fn verify(
        &mut self,
        events: &Path,
        held: Head,
        replay: &mut impl FnMut(&RecordedEvent),
    ) -> Result<(Head, bool), StoreError> {
        let marker = self.stored_head()?;
        let mut chain = ChainVerifier::new();
        let mut index = Index::default();
        let mut holds = held.position == 0;
        let end = decoder::decode_log(events, held.position, |commit| {
            let first_position = chain.head().position + 1;
            let event_count = commit.events.len() as u32;
            for (record, at) in commit.events {
                let link = record.link();
                chain.check_link(&link)?;
                if link.command_id != commit.command_id {
                    return Err(undecodable(
                        link.position,
                        "the record belongs to another command".into(),
                    ));
                }
                if link.position == marker.position && link.hash != marker.hash {
                    return Err(integrity(link.position, IntegrityProblem::HeadMismatch));
                }
                if link.position == held.position {
                    holds = link.head() == held;
                }
                index.push_event(link.head(), link.stream, at);
                if let DecodedRecord::Event(event) = record {
                    replay(&event);
                }
            }
            index.push_command(
                commit.command_id,
                CommandAt {
                    first_position,
                    event_count,
                },
            );
            Ok(())
        })?;
        let head = chain.head();
        if marker.position > head.position {
            return Err(integrity(head.position, IntegrityProblem::HeadMismatch));
        }
        let tail = match end {
            LogEnd::At(end) => Tail {
                end,
                allocated: self.file.metadata().map_err(backend_io)?.len(),
                head_recorded: None,
            },
            LogEnd::Torn { offset, reason } => {
                tracing::warn!(
                    offset,
                    reason,
                    head = head.position,
                    "cutting off an incomplete last append"
                );
                self.file.set_len(offset).map_err(backend_io)?;
                self.file.sync_all().map_err(backend_io)?;
                Tail {
                    end: offset,
                    allocated: offset,
                    head_recorded: None,
                }
            }
        };
        *self.tail.get_mut().unwrap_or_else(PoisonError::into_inner) = tail;
        *self.index.write().unwrap_or_else(PoisonError::into_inner) = index;
        Ok((head, holds))
    }

    fn index(&self) -> RwLockReadGuard<'_, Index> {
        // Nothing panics while holding the lock, so a poisoned one still guards whole data.
        self.index.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Another tree of the same database, for small data a service keeps beside the log
    /// (a subscriber's position, say). Trees of the store's own layout, and those of its
    /// first format, are refused.
    pub fn open_tree(&self, name: &str) -> Result<sled::Tree, StoreError> {
        if name == META_TREE || keys::FORMAT_1_TREES.contains(&name) {
            return Err(StoreError::MalformedCommit {
                reason: format!("tree {name} belongs to the event store"),
            });
        }
        self.db.open_tree(name).map_err(backend)
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The stored record of the event at `position`, byte for byte as it was written: the
    /// compact JSON whose payload text the event's hash covers (see `o2c_core::codec`).
    /// What an auditor exports; events of older schema versions keep their old text here.
    pub fn stored_record(&self, position: u64) -> Result<Option<Vec<u8>>, StoreError> {
        let Some(at) = self.index().record(position) else {
            return Ok(None);
        };
        let mut bytes = vec![0; at.len as usize];
        self.file
            .read_exact_at(&mut bytes, at.offset)
            .map_err(backend_io)?;
        Ok(Some(bytes))
    }

    fn stored_head(&self) -> Result<Head, StoreError> {
        keys::stored_head(&self.meta)
    }

    fn decode_at(&self, position: u64) -> Result<Option<RecordedEvent>, StoreError> {
        match self.stored_record(position)? {
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
    events: PathBuf,
    started: Instant,
}

impl OpeningStore {
    /// Another tree of the same database (see [`SledStore::open_tree`]).
    pub fn open_tree(&self, name: &str) -> Result<sled::Tree, StoreError> {
        self.store.open_tree(name)
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        self.store.dir()
    }

    /// The head the store's head record names (not verified yet). The log holds at least
    /// this much; it may hold more (the record is written after appends, at most every
    /// 100 ms, and when the store is flushed).
    pub fn recorded_head(&self) -> Result<Head, StoreError> {
        self.store.stored_head()
    }

    /// Reads the whole log, checking every record and link and the head record, and hands
    /// every verified event, in order, to `replay`.
    pub fn verify_and_replay(self, replay: impl FnMut(&RecordedEvent)) -> Result<SledStore, StoreError> {
        self.verify_and_replay_after(Head::default(), replay)
            .map(|(store, _)| store)
    }

    /// Like [`OpeningStore::verify_and_replay`], for a caller that already holds the log
    /// folded up to `held` (a book snapshot): every record is checked alike (frame, hash,
    /// link, head record) and indexed, but only the events after `held` are decoded and
    /// handed to `replay`; the payloads up to it are covered by their hashes and not
    /// decoded. Also says whether the log holds `held` (the event at its position has its
    /// hash); if not, what the caller holds is not this log's and it must fold the log
    /// from the start ([`EventStore::read_log`]).
    pub fn verify_and_replay_after(
        self,
        held: Head,
        mut replay: impl FnMut(&RecordedEvent),
    ) -> Result<(SledStore, bool), StoreError> {
        let Self {
            mut store,
            events,
            started,
        } = self;
        let (head, holds) = store.verify(&events, held, &mut replay)?;
        if let Durability::Buffered { flush_every_ms } = store.durability {
            store.flusher = Some(Flusher::start(
                Arc::clone(&store.file),
                Arc::clone(&store.index),
                store.meta.clone(),
                Duration::from_millis(flush_every_ms.max(1)),
            )?);
        }
        tracing::info!(
            path = %events.display(),
            events = head.position,
            head = %head.hash,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "opened and verified o2c log"
        );
        Ok((store, holds))
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

impl EventStore for SledStore {
    fn head(&self) -> Result<Head, StoreError> {
        Ok(self.index().head())
    }

    fn append_batch(&self, expected: u64, commits: &[Commit]) -> Result<Head, StoreError> {
        let new_head = check_batch(expected, commits)?;
        let mut tail = self.tail.lock().unwrap_or_else(PoisonError::into_inner);
        {
            let index = self.index();
            let actual = index.head().position;
            if actual != expected {
                return Err(StoreError::Conflict { expected, actual });
            }
            if let Some(commit) = commits.iter().find(|c| index.contains_command(c.command_id)) {
                return Err(StoreError::DuplicateCommand {
                    command_id: commit.command_id,
                });
            }
        }
        let frame = FrameBuilder::of_batch(commits).finish()?;
        let end = tail.end;
        let size = frame.bytes.len() as u64;
        tail.allocated = event_file::reserve(&self.file, tail.allocated, end + size + 12)?;
        if let Err(e) = self.file.write_all_at(&frame.bytes, end) {
            // Best effort: leave no partial frame behind (opening would cut it off anyway).
            let _ = self.file.write_all_at(&vec![0; frame.bytes.len()], end);
            return Err(backend_io(e));
        }
        if self.durability == Durability::Immediate {
            self.file.sync_data().map_err(backend_io)?;
        }
        {
            let mut index = self.index.write().unwrap_or_else(PoisonError::into_inner);
            let mut records = frame.records.iter();
            for commit in commits {
                for (sealed, &(offset, len)) in commit.events.iter().zip(records.by_ref()) {
                    let at = RecordAt {
                        offset: end + offset,
                        len,
                    };
                    index.push_event(sealed.event.head(), sealed.event.stream, at);
                }
                index.push_command(
                    commit.command_id,
                    CommandAt {
                        first_position: commit.events.first().map_or(0, |e| e.event.position),
                        event_count: commit.events.len() as u32,
                    },
                );
            }
        }
        tail.end += size;
        let due = tail
            .head_recorded
            .is_none_or(|at| at.elapsed() >= HEAD_RECORD_EVERY);
        if self.durability == Durability::Immediate && due {
            keys::store_head(&self.meta, new_head)?;
            tail.head_recorded = Some(Instant::now());
        }
        Ok(new_head)
    }

    fn read_log(&self, from: u64) -> EventIter<'_> {
        let mut position = from.max(1);
        Box::new(std::iter::from_fn(move || {
            let found = self.decode_at(position).transpose()?;
            position += 1;
            Some(found)
        }))
    }

    fn read_stream(&self, stream: &StreamId) -> Result<Vec<RecordedEvent>, StoreError> {
        let positions = self.index().stream(stream);
        positions
            .into_iter()
            .map(|position| {
                self.decode_at(position)?
                    .ok_or_else(|| undecodable(position, "the stream index points past the log".into()))
            })
            .collect()
    }

    fn find_command(&self, command_id: Uuid) -> Result<Option<CommandRecord>, StoreError> {
        let (command, first) = {
            let index = self.index();
            let Some(command) = index.command(command_id) else {
                return Ok(None);
            };
            (command, index.record(command.first_position))
        };
        let position = command.first_position;
        let first =
            first.ok_or_else(|| undecodable(position, "the command index points past the log".into()))?;
        let fingerprint =
            event_file::commit_fingerprint(&self.file, first.offset, command_id, command.event_count)
                .map_err(|what| undecodable(position, what))?;
        Ok(Some(CommandRecord {
            command_id,
            fingerprint,
            first_position: position,
            event_count: command.event_count,
        }))
    }

    fn flush(&self) -> Result<(), StoreError> {
        let _writer = self.tail.lock().unwrap_or_else(PoisonError::into_inner);
        flusher::sync_and_record_head(&self.file, &self.index, &self.meta)?;
        self.db.flush().map_err(backend)?;
        Ok(())
    }
}
