//! Reading the event file when a store opens: frames are read, checked and their records
//! decoded (JSON parsed, hash recomputed) on a second thread, while the opening thread
//! checks the links between events, indexes them and folds them, so the two halves of
//! opening run side by side on two cores. Order is kept: one reader, one channel.

use std::path::Path;
use std::sync::mpsc::{self, SyncSender};

use o2c_core::codec;
use o2c_core::store::StoreError;
use o2c_core::{Hash, RecordedEvent};
use uuid::Uuid;

use crate::event_file::{FrameReader, Next};
use crate::index::RecordAt;
use crate::{backend_io, undecodable};

/// How many decoded frames may wait for the opening thread.
const FRAMES_AHEAD: usize = 64;

/// One command of the log, its records decoded and hash-checked.
pub(crate) struct DecodedCommit {
    pub(crate) command_id: Uuid,
    pub(crate) fingerprint: Hash,
    /// Each event with where its record lies in the file.
    pub(crate) events: Vec<(RecordedEvent, RecordAt)>,
}

/// Where the log ends.
pub(crate) enum LogEnd {
    /// At this offset, cleanly.
    At(u64),
    /// With a torn last frame at `offset` (see [`Next::Torn`]).
    Torn { offset: u64, reason: String },
}

enum Decoded {
    Commits(Vec<DecodedCommit>),
    End(LogEnd),
}

/// Reads the event file at `path` from the start and hands every command, in log order,
/// to `fold` (on the calling thread). Stops at the first error of either side.
pub(crate) fn decode_log(
    path: &Path,
    mut fold: impl FnMut(DecodedCommit) -> Result<(), StoreError>,
) -> Result<LogEnd, StoreError> {
    let reader = FrameReader::open(path)?;
    std::thread::scope(|scope| {
        let (send, receive) = mpsc::sync_channel(FRAMES_AHEAD);
        std::thread::Builder::new()
            .name("o2c-event-file-read".into())
            .spawn_scoped(scope, move || decode_frames(reader, send))
            .map_err(backend_io)?;
        // Leaving early drops the receiver, which stops the reading thread at its next send.
        for message in receive {
            match message? {
                Decoded::Commits(commits) => {
                    for commit in commits {
                        fold(commit)?;
                    }
                }
                Decoded::End(end) => return Ok(end),
            }
        }
        Err(StoreError::Backend(
            "the event file's reading thread stopped before the end of the log".into(),
        ))
    })
}

fn decode_frames(mut reader: FrameReader, send: SyncSender<Result<Decoded, StoreError>>) {
    let mut position = 0;
    loop {
        let message = decode_next(&mut reader, &mut position);
        let done = !matches!(message, Ok(Decoded::Commits(_)));
        if send.send(message).is_err() || done {
            return;
        }
    }
}

/// Decodes the next frame; `position` is the last position decoded before it.
fn decode_next(reader: &mut FrameReader, position: &mut u64) -> Result<Decoded, StoreError> {
    let (offset, commits) = match reader.next_frame()? {
        Next::Frame { offset, commits } => (offset, commits),
        Next::End { offset } => return Ok(Decoded::End(LogEnd::At(offset))),
        Next::Torn { offset, reason } => return Ok(Decoded::End(LogEnd::Torn { offset, reason })),
        Next::Damaged { offset, reason } => {
            return Err(undecodable(
                *position + 1,
                format!("the event file's frame at byte {offset} is damaged: {reason}"),
            ));
        }
    };
    let body_offset = reader.body_offset(offset);
    let body = reader.body();
    let mut decoded = Vec::with_capacity(commits.len());
    for commit in commits {
        let mut events = Vec::with_capacity(commit.records.len());
        for (start, len) in commit.records {
            *position += 1;
            let event = codec::decode(*position, &body[start..start + len])?;
            let at = RecordAt {
                offset: body_offset + start as u64,
                len: len as u32,
            };
            events.push((event, at));
        }
        decoded.push(DecodedCommit {
            command_id: commit.command_id,
            fingerprint: commit.fingerprint,
            events,
        });
    }
    Ok(Decoded::Commits(decoded))
}
