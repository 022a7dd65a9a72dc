//! The store's in-memory indexes of its event file: where each position's record lies,
//! which positions each stream holds, and each command id's record. They are built in the
//! verifying pass that opens the store and extended by every append, so they never need
//! writing: the event file alone is the truth.

use std::collections::HashMap;

use o2c_core::store::CommandRecord;
use o2c_core::{Head, StreamId};
use uuid::Uuid;

/// Where one record lies in the event file.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RecordAt {
    pub(crate) offset: u64,
    pub(crate) len: u32,
}

/// The indexes, and the head they reach.
#[derive(Default)]
pub(crate) struct Index {
    /// Record of position `p` at `records[p - 1]`.
    records: Vec<RecordAt>,
    streams: HashMap<StreamId, Vec<u64>>,
    commands: HashMap<Uuid, CommandRecord>,
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

    pub(crate) fn command(&self, command_id: Uuid) -> Option<CommandRecord> {
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
    pub(crate) fn push_command(&mut self, record: CommandRecord) {
        self.commands.insert(record.command_id, record);
    }
}
