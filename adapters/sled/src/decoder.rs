//! Reading the event file when a store opens. One thread reads the frames in order and
//! checks them; decoding threads (one per core, at most four) parse their records and
//! recompute their hashes, taking chunks of frames in turn; the opening thread takes the
//! decoded chunks back in the same turn, so in log order, and checks the links between
//! events, indexes them and folds them. Frames travel in chunks of about
//! [`CHUNK_BYTES`] (a frame is one append, often a single command) so that handing work
//! between threads costs little beside the decoding. Decoding a record is independent of every other record;
//! only the link check needs the order, and it is done where the order is kept.

use std::path::Path;
use std::sync::mpsc::{self, Receiver, SyncSender};

use o2c_core::codec;
use o2c_core::store::StoreError;
use o2c_core::{RecordLink, RecordedEvent};
use uuid::Uuid;

use crate::event_file::{FrameReader, FramedCommit, Next};
use crate::index::RecordAt;
use crate::{backend_io, undecodable};

/// How many chunks may wait in each channel.
const CHUNKS_AHEAD: usize = 4;
/// A chunk of frames is handed on once it holds at least this many bytes of records.
const CHUNK_BYTES: usize = 32 * 1024;
/// The most decoding threads.
const MAX_DECODERS: usize = 4;

/// One command of the log, its records decoded (or only checked) and hash-checked.
pub(crate) struct DecodedCommit {
    pub(crate) command_id: Uuid,
    /// Each record with where it lies in the file.
    pub(crate) events: Vec<(DecodedRecord, RecordAt)>,
}

/// A record read back.
// Held briefly in a chunk's vector, then moved on; boxing the event would cost an
// allocation per event.
#[allow(clippy::large_enum_variant)]
pub(crate) enum DecodedRecord {
    /// Decoded into its event.
    Event(RecordedEvent),
    /// Checked without decoding its payload (at or before the position the caller
    /// already holds folded).
    Checked(RecordLink),
}

impl DecodedRecord {
    pub(crate) fn link(&self) -> RecordLink {
        match self {
            Self::Event(event) => event.link(),
            Self::Checked(link) => *link,
        }
    }
}

/// Where the log ends.
pub(crate) enum LogEnd {
    /// At this offset, cleanly.
    At(u64),
    /// With a torn last frame at `offset` (see [`Next::Torn`]).
    Torn { offset: u64, reason: String },
}

/// A frame as read, for a decoding thread.
struct RawFrame {
    body_offset: u64,
    body: Vec<u8>,
    commits: Vec<FramedCommit>,
    /// The position of the frame's first record.
    first_position: u64,
}

/// What the reading thread hands a decoding thread.
enum Read {
    /// Consecutive frames, in log order.
    Frames(Vec<RawFrame>),
    End(Result<LogEnd, StoreError>),
}

/// What a decoding thread hands the opening thread.
enum Decoded {
    Commits(Vec<DecodedCommit>),
    End(LogEnd),
}

/// Reads the event file at `path` from the start and hands every command, in log order,
/// to `fold` (on the calling thread); records at positions up to `check_only_through` are
/// checked without decoding their payloads. Stops at the first error of any side.
pub(crate) fn decode_log(
    path: &Path,
    check_only_through: u64,
    mut fold: impl FnMut(DecodedCommit) -> Result<(), StoreError>,
) -> Result<LogEnd, StoreError> {
    let reader = FrameReader::open(path)?;
    let decoders = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, MAX_DECODERS);
    std::thread::scope(|scope| {
        let mut to_decoders = Vec::with_capacity(decoders);
        let mut from_decoders = Vec::with_capacity(decoders);
        for n in 0..decoders {
            let (send_raw, receive_raw) = mpsc::sync_channel(CHUNKS_AHEAD);
            let (send_decoded, receive_decoded) = mpsc::sync_channel(CHUNKS_AHEAD);
            std::thread::Builder::new()
                .name(format!("o2c-event-file-decode-{n}"))
                .spawn_scoped(scope, move || {
                    decode_frames(receive_raw, send_decoded, check_only_through)
                })
                .map_err(backend_io)?;
            to_decoders.push(send_raw);
            from_decoders.push(receive_decoded);
        }
        std::thread::Builder::new()
            .name("o2c-event-file-read".into())
            .spawn_scoped(scope, move || read_frames(reader, to_decoders))
            .map_err(backend_io)?;
        // Leaving early drops the receivers, which stops every thread at its next send.
        for turn in (0..decoders).cycle() {
            let Ok(message) = from_decoders[turn].recv() else {
                break;
            };
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
            "the event file's reading threads stopped before the end of the log".into(),
        ))
    })
}

/// The reading thread: chunks of frames go to the decoding threads in turn; the end (or
/// a failure) to the next in turn, after the frames read before it.
fn read_frames(mut reader: FrameReader, decoders: Vec<SyncSender<Read>>) {
    let mut turns = decoders.iter().cycle();
    let mut position = 0u64;
    let mut chunk: Vec<RawFrame> = Vec::new();
    let mut chunk_bytes = 0usize;
    loop {
        let end = match reader.next_frame() {
            Ok(Next::Frame { offset, commits }) => {
                let first_position = position + 1;
                position += commits.iter().map(|c| c.records.len() as u64).sum::<u64>();
                let frame = RawFrame {
                    body_offset: reader.body_offset(offset),
                    body: reader.take_body(),
                    commits,
                    first_position,
                };
                chunk_bytes += frame.body.len();
                chunk.push(frame);
                if chunk_bytes < CHUNK_BYTES {
                    continue;
                }
                None
            }
            Ok(Next::End { offset }) => Some(Ok(LogEnd::At(offset))),
            Ok(Next::Torn { offset, reason }) => Some(Ok(LogEnd::Torn { offset, reason })),
            Ok(Next::Damaged { offset, reason }) => Some(Err(undecodable(
                position + 1,
                format!("the event file's frame at byte {offset} is damaged: {reason}"),
            ))),
            Err(error) => Some(Err(error)),
        };
        if !chunk.is_empty() {
            let frames = std::mem::take(&mut chunk);
            chunk_bytes = 0;
            if turns
                .next()
                .is_none_or(|decoder| decoder.send(Read::Frames(frames)).is_err())
            {
                return;
            }
        }
        if let Some(end) = end {
            if let Some(decoder) = turns.next() {
                let _ = decoder.send(Read::End(end));
            }
            return;
        }
    }
}

/// A decoding thread: decodes the chunks it is given, in the order given.
fn decode_frames(
    frames: Receiver<Read>,
    decoded: SyncSender<Result<Decoded, StoreError>>,
    check_only_through: u64,
) {
    for read in frames {
        let (message, done) = match read {
            Read::Frames(frames) => (
                decode_chunk(frames, check_only_through).map(Decoded::Commits),
                false,
            ),
            Read::End(end) => (end.map(Decoded::End), true),
        };
        let failed = message.is_err();
        if decoded.send(message).is_err() || done || failed {
            return;
        }
    }
}

fn decode_chunk(frames: Vec<RawFrame>, check_only_through: u64) -> Result<Vec<DecodedCommit>, StoreError> {
    let mut decoded = Vec::with_capacity(frames.iter().map(|f| f.commits.len()).sum());
    for frame in frames {
        decode_frame(frame, check_only_through, &mut decoded)?;
    }
    Ok(decoded)
}

fn decode_frame(
    frame: RawFrame,
    check_only_through: u64,
    decoded: &mut Vec<DecodedCommit>,
) -> Result<(), StoreError> {
    let mut position = frame.first_position;
    for commit in frame.commits {
        let mut events = Vec::with_capacity(commit.records.len());
        for (start, len) in commit.records {
            let record = &frame.body[start..start + len];
            let event = if position <= check_only_through {
                DecodedRecord::Checked(codec::verify(position, record)?)
            } else {
                DecodedRecord::Event(codec::decode(position, record)?)
            };
            let at = RecordAt {
                offset: frame.body_offset + start as u64,
                len: len as u32,
            };
            events.push((event, at));
            position += 1;
        }
        decoded.push(DecodedCommit {
            command_id: commit.command_id,
            events,
        });
    }
    Ok(())
}
