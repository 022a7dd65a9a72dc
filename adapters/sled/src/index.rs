//! The store's in-memory indexes of its event file: where each position's record lies,
//! which positions each stream holds, and where each command id's events are. They are
//! built in the verifying pass that opens the store and extended by every append, so they
//! never need writing: the event file alone is the truth.
//!
//! A command's fingerprint is not kept here: it stands in the commit's header in the event
//! file, just before the command's first record, and is read from there when a command
//! id comes again (rare), which keeps the entry of every command to its two numbers.

use std::collections::HashMap;

use o2c_core::{Head, StreamId};
use uuid::Uuid;

/// Where one record lies in the event file.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RecordAt {
    pub(crate) offset: u64,
    pub(crate) len: u32,
}

/// Where a command's events are: its first position and how many.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CommandAt {
    pub(crate) first_position: u64,
    pub(crate) event_count: u32,
}

/// The indexes, and the head they reach.
#[derive(Default)]
pub(crate) struct Index {
    /// Record of position `p` at `records[p - 1]`.
    records: Vec<RecordAt>,
    streams: HashMap<StreamId, Vec<u64>>,
    commands: HashMap<Uuid, CommandAt>,
    head: Head,
}

impl Index {
    pub(crate) fn head(&self) -> Head {
        self.head
    }

    pub(crate) fn record(&self, position: u64) -> Option<RecordAt> {
        let index = usize::try_from(position.checked_sub(1)?).ok()?;
        self.records.get(index).copied()
    }

    pub(crate) fn stream(&self, stream: &StreamId) -> &[u64] {
        self.streams.get(stream).map(Vec::as_slice).unwrap_or_default()
    }

    pub(crate) fn command(&self, command_id: Uuid) -> Option<CommandAt> {
        self.commands.get(&command_id).copied()
    }

    pub(crate) fn contains_command(&self, command_id: Uuid) -> bool {
        self.commands.contains_key(&command_id)
    }

    /// Records the next event: it must follow the head (the caller has checked).
    pub(crate) fn push_event(&mut self, head: Head, stream: StreamId, at: RecordAt) {
        self.records.push(at);
        self.streams.entry(stream).or_default().push(head.position);
        self.head = head;
    }

    /// Records a command whose events were pushed.
    pub(crate) fn push_command(&mut self, command_id: Uuid, at: CommandAt) {
        self.commands.insert(command_id, at);
    }
}
