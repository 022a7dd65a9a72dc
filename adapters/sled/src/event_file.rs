//! The event file: the append-only file that holds the log in format `o2c-sled/2`.
//!
//! Every append of the store (one command, or a group commit of several) becomes one
//! *frame* at the end of the file, written with one `write` and, when the store is
//! `Immediate`, made durable with one `fdatasync` before it is acknowledged. All integers
//! are little-endian:
//!
//! ```text
//! file   := "o2c-events/1\n" frame*
//! frame  := length:u32  crc:u32  body  length:u32        one append, all or nothing
//! body   := commits:u32  commit*
//! commit := command id (16)  fingerprint (32)  events:u32  (record length:u32  record)*
//! ```
//!
//! `crc` is the CRC-32 (IEEE) of `body`, so a frame that was only partly written is told
//! apart from a whole one; `length` is repeated after the body so the last frame can be
//! found from the end. A record is the event's stored JSON, byte for byte what its hash
//! covers (see `o2c_core::codec`); positions are not framed: the records are in log order
//! and each names its own position, which opening checks.
//!
//! The file is kept longer than the log: zeros are written ahead of the last frame in steps
//! of 16 MiB, so that appending a frame overwrites allocated blocks and its
//! `fdatasync` does not also have to record a new file size (which costs the file system a
//! journal commit, a second device round trip). A zero length where the next frame would
//! start, followed only by zeros, is the end of the log.
//!
//! A crash can leave only the frame being written incomplete (appends are sequential and
//! each acknowledged frame was synced before the next began). Opening drops such a torn
//! last frame (one that does not check and is followed only by zeros or the end of the
//! file), because none of its commands were acknowledged; anything else that does not read
//! is an integrity error.
//!
//! [`read_commits`] and [`write_commits`] read and rewrite a whole file, for tools and tests
//! that inspect or deliberately damage a log; a store never rewrites its file.

use std::fs::{File, OpenOptions};
use std::io::{BufReader, Read};
use std::os::unix::fs::FileExt;
use std::path::Path;

use o2c_core::store::StoreError;
use o2c_core::{Commit, Hash};
use uuid::Uuid;

use crate::backend_io;

/// The name of the event file inside the data directory.
pub const EVENT_FILE: &str = "events.log";
/// The first bytes of every event file.
pub const MAGIC: &[u8] = b"o2c-events/1\n";
/// The largest frame body opening accepts (a larger length field is damage).
const MAX_BODY: u32 = 1 << 30;
/// How far ahead of the log's end the file is filled with zeros.
pub(crate) const RESERVE: u64 = 16 << 20;
/// Bytes around a body: length and CRC before it, length after it.
const FRAME_OVERHEAD: u64 = 12;

/// One command's part of a frame, owned (what [`read_commits`] returns).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredCommit {
    /// The command id.
    pub command_id: Uuid,
    /// The fingerprint of the request executed under it.
    pub fingerprint: Hash,
    /// Its events' stored records, in log order.
    pub records: Vec<Vec<u8>>,
}

/// Bytes of a commit's header in a body: command id, fingerprint, event count.
const COMMIT_HEADER: usize = 16 + 32 + 4;
/// Bytes of a record's length before it.
const RECORD_HEADER: usize = 4;

/// One frame's bytes, and where each record lies in them.
pub(crate) struct Frame {
    pub(crate) bytes: Vec<u8>,
    /// (offset from the frame's start, length) of each record, in order.
    pub(crate) records: Vec<(u64, u32)>,
}

/// Builds one frame's bytes.
pub(crate) struct FrameBuilder {
    bytes: Vec<u8>,
    commits: u32,
    records: Vec<(u64, u32)>,
}

impl FrameBuilder {
    pub(crate) fn with_capacity(body: usize) -> Self {
        let mut bytes = Vec::with_capacity(body + FRAME_OVERHEAD as usize + 4);
        bytes.extend_from_slice(&[0; 8]); // length and CRC, filled in by `finish`
        bytes.extend_from_slice(&[0; 4]); // commit count
        Self {
            bytes,
            commits: 0,
            records: Vec::new(),
        }
    }

    /// A frame of a store's batch.
    pub(crate) fn of_batch(commits: &[Commit]) -> Self {
        let size = commits
            .iter()
            .flat_map(|c| &c.events)
            .map(|e| e.stored.len() + RECORD_HEADER)
            .sum::<usize>()
            + commits.len() * COMMIT_HEADER;
        let mut frame = Self::with_capacity(size);
        for commit in commits {
            frame.commit(commit.command_id, commit.fingerprint, commit.events.len());
            for sealed in &commit.events {
                frame.record(&sealed.stored);
            }
        }
        frame
    }

    /// A frame of one command's records.
    pub(crate) fn of_commit<R: AsRef<[u8]>>(command_id: Uuid, fingerprint: Hash, records: &[R]) -> Self {
        let size = records
            .iter()
            .map(|r| r.as_ref().len() + RECORD_HEADER)
            .sum::<usize>()
            + COMMIT_HEADER;
        let mut frame = Self::with_capacity(size);
        frame.commit(command_id, fingerprint, records.len());
        for record in records {
            frame.record(record.as_ref());
        }
        frame
    }

    pub(crate) fn commit(&mut self, command_id: Uuid, fingerprint: Hash, events: usize) {
        self.commits += 1;
        self.bytes.extend_from_slice(command_id.as_bytes());
        self.bytes.extend_from_slice(&fingerprint.0);
        self.bytes.extend_from_slice(&(events as u32).to_le_bytes());
    }

    pub(crate) fn record(&mut self, record: &[u8]) {
        self.bytes.extend_from_slice(&(record.len() as u32).to_le_bytes());
        self.records.push((self.bytes.len() as u64, record.len() as u32));
        self.bytes.extend_from_slice(record);
    }

    /// The frame, or an error when it is larger than a frame may be.
    pub(crate) fn finish(mut self) -> Result<Frame, StoreError> {
        let body_len = self.bytes.len() - 8;
        let length = u32::try_from(body_len)
            .ok()
            .filter(|l| *l <= MAX_BODY)
            .ok_or_else(|| StoreError::MalformedCommit {
                reason: format!("a batch of {body_len} bytes is larger than one frame may be"),
            })?;
        self.bytes[8..12].copy_from_slice(&self.commits.to_le_bytes());
        let crc = crc32fast::hash(&self.bytes[8..]);
        self.bytes[..4].copy_from_slice(&length.to_le_bytes());
        self.bytes[4..8].copy_from_slice(&crc.to_le_bytes());
        self.bytes.extend_from_slice(&length.to_le_bytes());
        Ok(Frame {
            bytes: self.bytes,
            records: self.records,
        })
    }
}

/// The fingerprint in the header of the commit whose first record starts at byte
/// `first_record` of the file, once the header is checked to name `command_id` with
/// `events` events; otherwise what is wrong there.
pub(crate) fn commit_fingerprint(
    file: &File,
    first_record: u64,
    command_id: Uuid,
    events: u32,
) -> Result<Hash, String> {
    let start = first_record
        .checked_sub((COMMIT_HEADER + RECORD_HEADER) as u64)
        .ok_or("no commit header before the command's first record")?;
    let mut bytes = [0u8; COMMIT_HEADER];
    file.read_exact_at(&mut bytes, start)
        .map_err(|e| format!("reading the commit header: {e}"))?;
    match CommitHeader::parse(&bytes) {
        Some(header) if header.command_id == command_id && header.events == events => Ok(header.fingerprint),
        _ => Err(format!(
            "the commit header before the first record is not command {command_id}'s"
        )),
    }
}

/// A commit's header in a frame body (see the module docs), as read back.
struct CommitHeader {
    command_id: Uuid,
    fingerprint: Hash,
    events: u32,
}

impl CommitHeader {
    /// The header in `bytes` (exactly [`COMMIT_HEADER`] of them).
    fn parse(bytes: &[u8]) -> Option<Self> {
        let (id, rest) = bytes.split_at_checked(16)?;
        let (fingerprint, count) = rest.split_at_checked(32)?;
        Some(Self {
            command_id: Uuid::from_slice(id).ok()?,
            fingerprint: Hash(fingerprint.try_into().ok()?),
            events: u32::from_le_bytes(count.try_into().ok()?),
        })
    }
}

/// One command of a frame read back: its records are ranges of the frame's body.
pub(crate) struct FramedCommit {
    pub(crate) command_id: Uuid,
    pub(crate) fingerprint: Hash,
    /// (offset in the body, length) of each record.
    pub(crate) records: Vec<(usize, usize)>,
}

/// Splits a frame body into its commits, or `None` when it is not well formed.
pub(crate) fn parse_body(body: &[u8]) -> Option<Vec<FramedCommit>> {
    let mut at = 0usize;
    let mut take = |n: usize| -> Option<(usize, &[u8])> {
        let start = at;
        let bytes = body.get(start..start.checked_add(n)?)?;
        at = start + n;
        Some((start, bytes))
    };
    let count = u32::from_le_bytes(take(4)?.1.try_into().ok()?);
    let mut commits = Vec::with_capacity(count.min(1024) as usize);
    for _ in 0..count {
        let header = CommitHeader::parse(take(COMMIT_HEADER)?.1)?;
        let mut records = Vec::with_capacity(header.events.min(1024) as usize);
        for _ in 0..header.events {
            let len = u32::from_le_bytes(take(4)?.1.try_into().ok()?) as usize;
            let (start, _) = take(len)?;
            records.push((start, len));
        }
        commits.push(FramedCommit {
            command_id: header.command_id,
            fingerprint: header.fingerprint,
            records,
        });
    }
    (at == body.len()).then_some(commits)
}

/// What reading the next frame found.
pub(crate) enum Next {
    /// A whole, well-formed frame starting at `offset`; its body is in the reader's buffer.
    Frame { offset: u64, commits: Vec<FramedCommit> },
    /// The end of the log, at `offset`: the end of the file, or zeros up to it.
    End { offset: u64 },
    /// The last frame, from `offset` on, is incomplete or does not check, and only zeros
    /// (or nothing) follow it: the append that wrote it was interrupted.
    Torn { offset: u64, reason: String },
    /// A frame that does not check is followed by more data: the file was damaged.
    Damaged { offset: u64, reason: String },
}

/// Reads an event file's frames from the start, in order.
pub(crate) struct FrameReader {
    input: BufReader<File>,
    offset: u64,
    size: u64,
    body: Vec<u8>,
}

impl FrameReader {
    /// Opens `path` and checks its magic bytes.
    pub(crate) fn open(path: &Path) -> Result<Self, StoreError> {
        let file = File::open(path).map_err(backend_io)?;
        let size = file.metadata().map_err(backend_io)?.len();
        let mut input = BufReader::with_capacity(1 << 20, file);
        let mut magic = vec![0; MAGIC.len()];
        if size < MAGIC.len() as u64 || input.read_exact(&mut magic).is_err() || magic != MAGIC {
            return Err(StoreError::IncompatibleFormat {
                found: format!("{} does not start as an o2c event file", path.display()),
            });
        }
        Ok(Self {
            input,
            offset: MAGIC.len() as u64,
            size,
            body: Vec::new(),
        })
    }

    /// The body of the frame last returned by [`FrameReader::next_frame`].
    pub(crate) fn body(&self) -> &[u8] {
        &self.body
    }

    /// Takes the body of the frame last returned (the next frame reads into a new one).
    pub(crate) fn take_body(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.body)
    }

    /// Where the body of the frame last returned starts in the file.
    pub(crate) fn body_offset(&self, frame_offset: u64) -> u64 {
        frame_offset + 8
    }

    /// Reads the next frame.
    pub(crate) fn next_frame(&mut self) -> Result<Next, StoreError> {
        let offset = self.offset;
        let remaining = self.size - offset;
        if remaining == 0 {
            return Ok(Next::End { offset });
        }
        let torn = |reason: &str| Next::Torn {
            offset,
            reason: reason.to_string(),
        };
        if remaining < FRAME_OVERHEAD {
            return Ok(torn("fewer bytes than a frame header"));
        }
        let mut header = [0u8; 8];
        self.input.read_exact(&mut header).map_err(backend_io)?;
        let length = u32::from_le_bytes([header[0], header[1], header[2], header[3]]);
        let crc = u32::from_le_bytes([header[4], header[5], header[6], header[7]]);
        if length == 0 && crc == 0 {
            return Ok(if self.rest_is_zero()? {
                Next::End { offset }
            } else {
                torn("a zero length is followed by data")
            });
        }
        let frame_size = u64::from(length) + FRAME_OVERHEAD;
        if length > MAX_BODY || frame_size > remaining {
            return Ok(torn("the frame runs past the end of the file"));
        }
        self.body.resize(length as usize, 0);
        self.input.read_exact(&mut self.body).map_err(backend_io)?;
        let mut trailer = [0u8; 4];
        self.input.read_exact(&mut trailer).map_err(backend_io)?;
        self.offset += frame_size;
        let problem = if u32::from_le_bytes(trailer) != length {
            Some("the lengths before and after the frame differ")
        } else if crc32fast::hash(&self.body) != crc {
            Some("the frame's checksum does not match")
        } else {
            None
        };
        let commits = match problem {
            None => parse_body(&self.body),
            Some(_) => None,
        };
        match commits {
            Some(commits) => Ok(Next::Frame { offset, commits }),
            None => {
                let reason = problem
                    .unwrap_or("the frame's contents are not well formed")
                    .to_string();
                Ok(if self.rest_is_zero()? {
                    Next::Torn { offset, reason }
                } else {
                    Next::Damaged { offset, reason }
                })
            }
        }
    }
}

impl FrameReader {
    /// Whether everything after the current offset is zeros (reads it all).
    fn rest_is_zero(&mut self) -> Result<bool, StoreError> {
        let mut chunk = vec![0u8; 1 << 16];
        loop {
            let read = self.input.read(&mut chunk).map_err(backend_io)?;
            if read == 0 {
                return Ok(true);
            }
            if chunk[..read].iter().any(|b| *b != 0) {
                return Ok(false);
            }
        }
    }
}

/// Makes sure the file at `file` has zeros written up to at least `needed` bytes: when it
/// is shorter, zeros are written from `allocated` to `needed` plus [`RESERVE`]. Returns the
/// new length. The caller's next `fdatasync` makes them durable with the data.
pub(crate) fn reserve(file: &File, allocated: u64, needed: u64) -> Result<u64, StoreError> {
    if needed <= allocated {
        return Ok(allocated);
    }
    let target = needed + RESERVE;
    let zeros = vec![0u8; 1 << 20];
    let mut at = allocated;
    while at < target {
        let n = (target - at).min(zeros.len() as u64);
        file.write_all_at(&zeros[..n as usize], at).map_err(backend_io)?;
        at += n;
    }
    Ok(target)
}

/// Creates an empty event file at `path` (replacing any) and makes it durable.
pub(crate) fn create(path: &Path) -> Result<File, StoreError> {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
        .map_err(backend_io)?;
    file.write_all_at(MAGIC, 0).map_err(backend_io)?;
    file.sync_all().map_err(backend_io)?;
    sync_directory(path)?;
    Ok(file)
}

/// Makes a new or renamed file's directory entry durable.
pub(crate) fn sync_directory(path: &Path) -> Result<(), StoreError> {
    match path.parent() {
        Some(dir) => File::open(dir).and_then(|d| d.sync_all()).map_err(backend_io),
        None => Ok(()),
    }
}

/// Every commit in the event file of the data directory `dir`, in log order. Fails on a
/// torn or damaged frame. The directory must not be open in a store.
pub fn read_commits(dir: impl AsRef<Path>) -> Result<Vec<StoredCommit>, StoreError> {
    let mut reader = FrameReader::open(&dir.as_ref().join(EVENT_FILE))?;
    let mut out = Vec::new();
    loop {
        match reader.next_frame()? {
            Next::Frame { commits, .. } => {
                for commit in commits {
                    out.push(StoredCommit {
                        command_id: commit.command_id,
                        fingerprint: commit.fingerprint,
                        records: commit
                            .records
                            .iter()
                            .map(|&(start, len)| reader.body()[start..start + len].to_vec())
                            .collect(),
                    });
                }
            }
            Next::End { .. } => return Ok(out),
            Next::Torn { offset, reason } | Next::Damaged { offset, reason } => {
                return Err(StoreError::Backend(
                    format!("event file frame at byte {offset}: {reason}").into(),
                ));
            }
        }
    }
}

/// Replaces the event file of the data directory `dir` with `commits`, one frame each,
/// exactly as given: nothing is checked, so this can write a log that no longer verifies.
/// For tools and tests; the directory must not be open in a store.
pub fn write_commits(dir: impl AsRef<Path>, commits: &[StoredCommit]) -> Result<(), StoreError> {
    let path = dir.as_ref().join(EVENT_FILE);
    let file = create(&path)?;
    let mut end = MAGIC.len() as u64;
    for commit in commits {
        let bytes = FrameBuilder::of_commit(commit.command_id, commit.fingerprint, &commit.records)
            .finish()?
            .bytes;
        file.write_all_at(&bytes, end).map_err(backend_io)?;
        end += bytes.len() as u64;
    }
    file.sync_all().map_err(backend_io)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit(n: u128, records: &[&[u8]]) -> StoredCommit {
        StoredCommit {
            command_id: Uuid::from_u128(n),
            fingerprint: Hash::of_parts(&[&n.to_le_bytes()]),
            records: records.iter().map(|r| r.to_vec()).collect(),
        }
    }

    #[test]
    fn commits_round_trip_through_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let commits = vec![commit(1, &[b"{\"a\":1}"]), commit(2, &[b"x", b"", b"yz"])];
        write_commits(dir.path(), &commits).unwrap();
        assert_eq!(read_commits(dir.path()).unwrap(), commits);
    }

    #[test]
    fn a_cut_or_damaged_last_frame_is_torn_and_a_damaged_middle_frame_is_not() {
        let dir = tempfile::tempdir().unwrap();
        write_commits(dir.path(), &[commit(1, &[b"first"]), commit(2, &[b"second"])]).unwrap();
        let path = dir.path().join(EVENT_FILE);
        let whole = std::fs::read(&path).unwrap();
        let first_end = MAGIC.len() + 12 + 4 + 52 + 4 + 5;
        let outcome = |bytes: &[u8]| {
            std::fs::write(&path, bytes).unwrap();
            let mut reader = FrameReader::open(&path).unwrap();
            assert!(matches!(reader.next_frame().unwrap(), Next::Frame { .. }));
            match reader.next_frame().unwrap() {
                Next::Torn { offset, .. } => ("torn", offset),
                Next::Damaged { offset, .. } => ("damaged", offset),
                Next::Frame { .. } => ("frame", 0),
                Next::End { .. } => ("end", 0),
            }
        };
        for cut in [first_end + 3, whole.len() - 1] {
            assert_eq!(outcome(&whole[..cut]), ("torn", first_end as u64), "cut at {cut}");
        }
        let mut flipped = whole.clone();
        let last = flipped.len() - 6;
        flipped[last] ^= 1;
        assert_eq!(outcome(&flipped), ("torn", first_end as u64));
        let mut middle = whole.clone();
        middle[MAGIC.len() + 30] ^= 1;
        std::fs::write(&path, &middle).unwrap();
        let mut reader = FrameReader::open(&path).unwrap();
        assert!(matches!(
            reader.next_frame().unwrap(),
            Next::Damaged { offset, .. } if offset == MAGIC.len() as u64
        ));
    }

    #[test]
    fn zeros_reserved_after_the_log_end_it_and_a_torn_frame_among_them_is_torn() {
        let dir = tempfile::tempdir().unwrap();
        write_commits(dir.path(), &[commit(1, &[b"first"])]).unwrap();
        let path = dir.path().join(EVENT_FILE);
        let end = std::fs::metadata(&path).unwrap().len();
        let file = OpenOptions::new().read(true).write(true).open(&path).unwrap();
        let allocated = reserve(&file, end, end + 100).unwrap();
        assert_eq!(allocated, end + 100 + RESERVE);
        assert_eq!(std::fs::metadata(&path).unwrap().len(), allocated);
        assert_eq!(
            reserve(&file, allocated, end + 200).unwrap(),
            allocated,
            "already long enough"
        );
        let next = |path: &Path| {
            let mut reader = FrameReader::open(path).unwrap();
            assert!(matches!(reader.next_frame().unwrap(), Next::Frame { .. }));
            reader.next_frame().unwrap()
        };
        assert!(matches!(next(&path), Next::End { offset } if offset == end));
        // Half of a frame written over the zeros.
        let mut frame = FrameBuilder::with_capacity(0);
        frame.commit(Uuid::from_u128(2), Hash::ZERO, 1);
        frame.record(b"second");
        let bytes = frame.finish().unwrap().bytes;
        file.write_all_at(&bytes[..bytes.len() / 2], end).unwrap();
        assert!(matches!(next(&path), Next::Torn { offset, .. } if offset == end));
        // Only its end reached the disk: a zero length followed by data.
        file.write_all_at(&[0; 8], end).unwrap();
        assert!(matches!(next(&path), Next::Torn { offset, .. } if offset == end));
    }

    #[test]
    fn a_file_without_the_magic_bytes_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(EVENT_FILE);
        std::fs::write(&path, b"something else entirely").unwrap();
        assert!(matches!(
            FrameReader::open(&path),
            Err(StoreError::IncompatibleFormat { .. })
        ));
    }

    #[test]
    fn malformed_bodies_do_not_parse() {
        let mut frame = FrameBuilder::with_capacity(0);
        frame.commit(Uuid::from_u128(1), Hash::ZERO, 2);
        frame.record(b"only one");
        let bytes = frame.finish().unwrap().bytes;
        assert!(parse_body(&bytes[8..bytes.len() - 4]).is_none());
        assert!(parse_body(&[1, 0]).is_none());
    }
}
