//! The event-store port: what any durable (or in-memory) log must offer the engine.
//!
//! A store holds the global log (positions 1, 2, … without gaps), an index per stream, and
//! an index of command ids. [`EventStore::append`] writes one command's events atomically
//! and only if the log's head is still at the position the writer expects, so a second
//! writer can never interleave events into a decided batch. Implementations: [`MemoryStore`]
//! here (tests, scratch books) and `o2c-sled` (durable). A server-grade store implements
//! the same trait.

mod memory;

pub use memory::MemoryStore;

use uuid::Uuid;

use crate::codec::IntegrityError;
use crate::envelope::{Commit, Hash, Head, RecordedEvent};
use crate::error::DomainError;
use crate::stream::StreamId;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The log's head moved since the writer read it: another writer appended.
    #[error("append expected the log head at position {expected}, but it is at {actual}")]
    Conflict {
        /// The head position the writer decided against.
        expected: u64,
        /// The head position found.
        actual: u64,
    },
    /// The commit's command id is already in the command index.
    #[error("command {command_id} is already stored")]
    DuplicateCommand {
        /// The command id.
        command_id: Uuid,
    },
    /// The commit is malformed (no events, or positions not following the head).
    #[error("malformed commit: {reason}")]
    MalformedCommit {
        /// What is wrong.
        reason: String,
    },
    /// The data directory holds something that is not an o2c log of a format this build
    /// reads.
    #[error("incompatible store format: {found}")]
    IncompatibleFormat {
        /// What was found.
        found: String,
    },
    /// Stored data failed an integrity check.
    #[error(transparent)]
    Integrity(#[from] IntegrityError),
    /// The storage backend failed (I/O, corruption detected by the backend, ...).
    #[error("storage backend failed: {0}")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Where one command's events sit in the log, and the fingerprint of the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommandRecord {
    /// The command id.
    pub command_id: Uuid,
    /// The fingerprint of the request that was executed under it.
    pub fingerprint: Hash,
    /// Position of its first event.
    pub first_position: u64,
    /// How many events it appended.
    pub event_count: u32,
}

impl CommandRecord {
    /// The idempotency rule: a repeat of a command id is fine when it carries the same
    /// request; the same id for a different request is refused.
    pub fn check_repeat(&self, fingerprint: Hash) -> Result<(), DomainError> {
        if self.fingerprint == fingerprint {
            Ok(())
        } else {
            Err(DomainError::CommandIdReused {
                command_id: self.command_id,
            })
        }
    }
}

/// A boxed iterator over log events.
pub type EventIter<'a> = Box<dyn Iterator<Item = Result<RecordedEvent, StoreError>> + 'a>;

/// The event-store port.
pub trait EventStore: Send + Sync {
    /// The log's current head.
    fn head(&self) -> Result<Head, StoreError>;

    /// Appends a commit's events atomically, if and only if the head is at `expected`
    /// (`Conflict` otherwise) and the command id is new (`DuplicateCommand` otherwise).
    /// Returns the new head. When it returns `Ok`, the events are as durable as the
    /// store promises.
    fn append(&self, expected: u64, commit: &Commit) -> Result<Head, StoreError> {
        self.append_batch(expected, std::slice::from_ref(commit))
    }

    /// Appends several commits, one after the other from `expected`, all or nothing, with
    /// one flush for all of them (group commit). The same checks as [`EventStore::append`]
    /// apply to each commit, and no command id may appear twice in the batch.
    fn append_batch(&self, expected: u64, commits: &[Commit]) -> Result<Head, StoreError>;

    /// The log from `from` (inclusive; 1 is the first event) to the end, in order.
    fn read_log(&self, from: u64) -> EventIter<'_>;

    /// Every event of one stream, in stream order.
    fn read_stream(&self, stream: &StreamId) -> Result<Vec<RecordedEvent>, StoreError>;

    /// The record of a command id, if it was executed.
    fn find_command(&self, command_id: Uuid) -> Result<Option<CommandRecord>, StoreError>;

    /// The events a recorded command appended.
    fn command_events(&self, record: &CommandRecord) -> Result<Vec<RecordedEvent>, StoreError> {
        self.read_log(record.first_position)
            .take(record.event_count as usize)
            .collect()
    }

    /// Makes everything appended so far durable (a no-op where every append already is).
    fn flush(&self) -> Result<(), StoreError>;
}

/// Checks a batch of commits before any store writes it: at least one commit, each one
/// well formed and following the one before, no command id twice. Returns the batch's
/// last head.
pub fn check_batch(expected: u64, commits: &[Commit]) -> Result<Head, StoreError> {
    let mut position = expected;
    let mut head = None;
    for (index, commit) in commits.iter().enumerate() {
        check_commit(position, commit)?;
        if commits[..index].iter().any(|c| c.command_id == commit.command_id) {
            return Err(StoreError::DuplicateCommand {
                command_id: commit.command_id,
            });
        }
        position += commit.events.len() as u64;
        head = commit.head();
    }
    head.ok_or_else(|| StoreError::MalformedCommit {
        reason: "a batch needs at least one commit".into(),
    })
}

/// Checks a commit before any store writes it: events present, positions consecutive from
/// `expected + 1`, all from the commit's command.
pub fn check_commit(expected: u64, commit: &Commit) -> Result<(), StoreError> {
    if commit.events.is_empty() {
        return Err(StoreError::MalformedCommit {
            reason: "a commit needs at least one event".into(),
        });
    }
    for (offset, sealed) in (1u64..).zip(&commit.events) {
        if sealed.event.position != expected + offset {
            return Err(StoreError::MalformedCommit {
                reason: format!(
                    "event at index {} has position {}, expected {}",
                    offset - 1,
                    sealed.event.position,
                    expected + offset
                ),
            });
        }
        if sealed.event.command_id != commit.command_id {
            return Err(StoreError::MalformedCommit {
                reason: format!("event {} belongs to another command", sealed.event.position),
            });
        }
    }
    if u32::try_from(commit.events.len()).is_err() {
        return Err(StoreError::MalformedCommit {
            reason: "too many events in one commit".into(),
        });
    }
    Ok(())
}
