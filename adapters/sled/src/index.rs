//! The store's in-memory indexes of its event file: where each position's record lies,
//! which positions each stream holds, and where each command id's events are. They are
//! built in the verifying pass that opens the store and extended by every append, so they
//! never need writing: the event file alone is the truth.
//!
//! A stream's positions are a chain: the index keeps each stream's last position, and
//! each position the distance back to the one before it in its stream (in the room its
//! record's place leaves free), instead of a list per stream. Most streams hold a few
//! events, and a list of its own for each cost more than the events it listed.
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

/// One position: where its record lies, and how far back the stream's event before it is.
#[derive(Clone, Copy, Debug)]
struct Entry {
    offset: u64,
    len: u32,
    /// Positions back to the previous event of the same stream: 0 for a stream's first
    /// event; [`FAR`] when the distance does not fit, kept in `Index::far` instead.
    back: u32,
}

/// `Entry::back` of an event whose stream's previous event is too far back to fit.
const FAR: u32 = u32::MAX;

/// The indexes, and the head they reach.
#[derive(Default)]
pub(crate) struct Index {
    /// Position `p` at `entries[p - 1]`.
    entries: Vec<Entry>,
    /// Each stream's last position.
    streams: HashMap<StreamId, u64>,
    /// Previous positions in the stream too far back for `Entry::back`, by position.
    far: HashMap<u64, u64>,
    commands: HashMap<Uuid, CommandAt>,
    head: Head,
}

impl Index {
    pub(crate) fn head(&self) -> Head {
        self.head
    }

    fn entry(&self, position: u64) -> Option<&Entry> {
        let index = usize::try_from(position.checked_sub(1)?).ok()?;
        self.entries.get(index)
    }

    pub(crate) fn record(&self, position: u64) -> Option<RecordAt> {
        self.entry(position).map(|e| RecordAt {
            offset: e.offset,
            len: e.len,
        })
    }

    /// The positions of a stream's events, in log order.
    pub(crate) fn stream(&self, stream: &StreamId) -> Vec<u64> {
        let mut positions = Vec::new();
        let mut next = self.streams.get(stream).copied();
        while let Some(position) = next {
            positions.push(position);
            next = match self.entry(position).map(|e| e.back) {
                None | Some(0) => None,
                Some(FAR) => self.far.get(&position).copied(),
                Some(back) => position.checked_sub(u64::from(back)),
            };
        }
        positions.reverse();
        positions
    }

    pub(crate) fn command(&self, command_id: Uuid) -> Option<CommandAt> {
        self.commands.get(&command_id).copied()
    }

    pub(crate) fn contains_command(&self, command_id: Uuid) -> bool {
        self.commands.contains_key(&command_id)
    }

    /// Records the next event: it must follow the head (the caller has checked).
    pub(crate) fn push_event(&mut self, head: Head, stream: StreamId, at: RecordAt) {
        let position = head.position;
        let back = match self.streams.insert(stream, position) {
            None => 0,
            Some(previous) => self.link_back(position, previous),
        };
        self.entries.push(Entry {
            offset: at.offset,
            len: at.len,
            back,
        });
        self.head = head;
    }

    /// `Entry::back` of `position`, whose stream's event before it is at `previous`.
    fn link_back(&mut self, position: u64, previous: u64) -> u32 {
        match position.checked_sub(previous).map(u32::try_from) {
            Some(Ok(back)) if back != FAR && back != 0 => back,
            _ => {
                self.far.insert(position, previous);
                FAR
            }
        }
    }

    /// Records a command whose events were pushed.
    pub(crate) fn push_command(&mut self, command_id: Uuid, at: CommandAt) {
        self.commands.insert(command_id, at);
    }
}

#[cfg(test)]
mod tests {
    use o2c_core::{Hash, StreamKind};

    use super::*;

    fn head(position: u64) -> Head {
        Head {
            position,
            hash: Hash::ZERO,
        }
    }

    fn at(position: u64) -> RecordAt {
        RecordAt {
            offset: position * 100,
            len: 10,
        }
    }

    #[test]
    fn interleaved_streams_list_their_own_positions_in_order() {
        let streams: Vec<StreamId> = (0..3u128)
            .map(|n| StreamId::new(StreamKind::Order, Uuid::from_u128(n)))
            .collect();
        let mut index = Index::default();
        let owners = [0, 1, 0, 2, 0, 1, 1, 0];
        for (position, owner) in (1u64..).zip(owners) {
            index.push_event(head(position), streams[owner], at(position));
        }
        assert_eq!(index.stream(&streams[0]), [1, 3, 5, 8]);
        assert_eq!(index.stream(&streams[1]), [2, 6, 7]);
        assert_eq!(index.stream(&streams[2]), [4]);
        let unknown = StreamId::new(StreamKind::Invoice, Uuid::from_u128(9));
        assert!(index.stream(&unknown).is_empty());
        assert_eq!(index.record(7).map(|r| r.offset), Some(700));
        assert!(index.far.is_empty());
    }

    #[test]
    fn a_previous_event_too_far_back_for_the_entry_is_kept_aside_and_followed() {
        let stream = StreamId::new(StreamKind::Order, Uuid::from_u128(1));
        let mut index = Index::default();
        index.push_event(head(1), stream, at(1));
        // As if position 2 came 2^32 positions after position 1 in the same stream.
        let far_back = 1 + (1u64 << 32);
        assert_eq!(index.link_back(far_back, 1), FAR);
        assert_eq!(index.link_back(2, 1), 1);
        index.entries.push(Entry {
            offset: 200,
            len: 10,
            back: FAR,
        });
        index.far.insert(2, 1);
        index.streams.insert(stream, 2);
        assert_eq!(index.stream(&stream), [1, 2]);
    }
}
