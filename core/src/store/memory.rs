//! An in-memory event store: the same contract as the durable stores, nothing kept after
//! the process ends. For tests, scenario runs and scratch books.

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};

use uuid::Uuid;

use super::{CommandRecord, EventIter, EventStore, StoreError, check_batch};
use crate::envelope::{Commit, Head, RecordedEvent};
use crate::stream::StreamId;

#[derive(Default)]
struct Log {
    events: Vec<RecordedEvent>,
    streams: HashMap<StreamId, Vec<u64>>,
    commands: HashMap<Uuid, CommandRecord>,
}

/// A log held in memory.
#[derive(Default)]
pub struct MemoryStore {
    log: RwLock<Log>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Log> {
        // Nothing panics while holding the lock, so a poisoned lock still holds whole data.
        self.log.read().unwrap_or_else(PoisonError::into_inner)
    }
}

impl EventStore for MemoryStore {
    fn head(&self) -> Result<Head, StoreError> {
        Ok(self
            .read()
            .events
            .last()
            .map(RecordedEvent::head)
            .unwrap_or_default())
    }

    fn append_batch(&self, expected: u64, commits: &[Commit]) -> Result<Head, StoreError> {
        let mut log = self.log.write().unwrap_or_else(PoisonError::into_inner);
        let actual = log.events.len() as u64;
        if actual != expected {
            return Err(StoreError::Conflict { expected, actual });
        }
        if let Some(known) = commits.iter().find(|c| log.commands.contains_key(&c.command_id)) {
            return Err(StoreError::DuplicateCommand {
                command_id: known.command_id,
            });
        }
        let head = check_batch(expected, commits)?;
        for commit in commits {
            let first_position = log.events.len() as u64 + 1;
            for sealed in &commit.events {
                let event = sealed.event.clone();
                log.streams.entry(event.stream).or_default().push(event.position);
                log.events.push(event);
            }
            log.commands.insert(
                commit.command_id,
                CommandRecord {
                    command_id: commit.command_id,
                    fingerprint: commit.fingerprint,
                    first_position,
                    event_count: commit.events.len() as u32,
                },
            );
        }
        Ok(head)
    }

    fn read_log(&self, from: u64) -> EventIter<'_> {
        // Lazy: each step takes the read lock for one event, so a long read neither copies
        // the log nor holds writers back.
        let start = usize::try_from(from.max(1) - 1).unwrap_or(usize::MAX);
        Box::new((start..).map_while(move |index| self.read().events.get(index).cloned().map(Ok)))
    }

    fn read_stream(&self, stream: &StreamId) -> Result<Vec<RecordedEvent>, StoreError> {
        let log = self.read();
        let positions = log.streams.get(stream).map(Vec::as_slice).unwrap_or_default();
        Ok(positions
            .iter()
            .filter_map(|p| log.events.get(usize::try_from(*p - 1).ok()?).cloned())
            .collect())
    }

    fn find_command(&self, command_id: Uuid) -> Result<Option<CommandRecord>, StoreError> {
        Ok(self.read().commands.get(&command_id).copied())
    }

    fn flush(&self) -> Result<(), StoreError> {
        Ok(())
    }
}
