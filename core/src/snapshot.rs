//! The book's snapshot: the whole state of a [`Book`] at one position of the log, in a
//! compact binary form, so that opening a long log can check every record's hash and
//! link yet fold only the events after the snapshot (see `docs/architecture.md`).
//!
//! Layout (all integers little-endian):
//!
//! ```text
//! "o2c-book-snapshot"   17 bytes
//! format                u32  (SNAPSHOT_FORMAT)
//! position              u64  the head the book was folded to
//! hash                  32 bytes, that head's hash
//! digest                32 bytes, SHA-256 of the body (Hash::of_parts)
//! body                  the book, serde-encoded with postcard
//! ```
//!
//! The digest catches a damaged file, not a forged one: a snapshot is data the engine
//! wrote itself, like the projections' checkpoints, and the log stays the record an
//! auditor replays. A snapshot is only good for the build that wrote it: the format
//! number changes whenever the book's shape or folding does (a test pins it to the state
//! of the folded fixtures), and a snapshot of another format is not read.

use thiserror::Error;

use crate::book::Book;
use crate::envelope::{Hash, Head};
use crate::error::DomainError;

/// The snapshot format this build writes and reads. Raise it whenever the book's fields
/// or its folding change; `the_format_is_pinned_to_the_folded_fixtures` says when.
pub const SNAPSHOT_FORMAT: u32 = 2;

const MAGIC: &[u8; 17] = b"o2c-book-snapshot";
const HEADER_LEN: usize = MAGIC.len() + 4 + 8 + 32 + 32;
const DIGEST_DOMAIN: &[u8] = b"o2c.book-snapshot";

/// Why a snapshot cannot be used.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum SnapshotError {
    /// The bytes do not start with a snapshot's header.
    #[error("not a book snapshot")]
    NotASnapshot,
    /// Written by a build with another snapshot format.
    #[error("book snapshot of format {found}; this build reads format {expected}")]
    OtherFormat {
        /// The file's format.
        found: u32,
        /// This build's format.
        expected: u32,
    },
    /// The body is not what the header's digest says.
    #[error("the book snapshot's contents do not match its digest")]
    DigestMismatch,
    /// The body does not decode into a book.
    #[error("the book snapshot does not decode: {0}")]
    Undecodable(String),
    /// The book in the body is at another head than the header names.
    #[error("the book snapshot names position {named} but holds a book at position {held}")]
    HeadMismatch {
        /// The header's position.
        named: u64,
        /// The decoded book's position.
        held: u64,
    },
}

impl Book {
    /// The book as a snapshot (see the module docs).
    pub fn encode_snapshot(&self) -> Result<Vec<u8>, DomainError> {
        let head = self.head();
        let mut bytes = Vec::with_capacity(HEADER_LEN + 4096);
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&SNAPSHOT_FORMAT.to_le_bytes());
        bytes.extend_from_slice(&head.position.to_le_bytes());
        bytes.extend_from_slice(&head.hash.0);
        bytes.extend_from_slice(&[0; 32]);
        let mut bytes = postcard::to_io(self, bytes).map_err(|e| DomainError::Encoding {
            message: e.to_string(),
        })?;
        let digest = Hash::of_parts(&[DIGEST_DOMAIN, &bytes[HEADER_LEN..]]);
        bytes[HEADER_LEN - 32..HEADER_LEN].copy_from_slice(&digest.0);
        Ok(bytes)
    }

    /// Reads a snapshot written by [`Book::encode_snapshot`] of this build's format.
    pub fn decode_snapshot(bytes: &[u8]) -> Result<Book, SnapshotError> {
        let head = snapshot_head(bytes)?;
        let (digest, body) = bytes[HEADER_LEN - 32..].split_at(32);
        if Hash::of_parts(&[DIGEST_DOMAIN, body]).0 != digest {
            return Err(SnapshotError::DigestMismatch);
        }
        let (book, rest): (Book, _) =
            postcard::take_from_bytes(body).map_err(|e| SnapshotError::Undecodable(e.to_string()))?;
        if !rest.is_empty() {
            return Err(SnapshotError::Undecodable(format!(
                "{} bytes after the book",
                rest.len()
            )));
        }
        if book.head() != head {
            return Err(SnapshotError::HeadMismatch {
                named: head.position,
                held: book.head().position,
            });
        }
        Ok(book)
    }
}

/// The head a snapshot names, from its header alone (the body is not checked).
pub fn snapshot_head(bytes: &[u8]) -> Result<Head, SnapshotError> {
    if bytes.len() < HEADER_LEN || &bytes[..MAGIC.len()] != MAGIC {
        return Err(SnapshotError::NotASnapshot);
    }
    let field = |from: usize, len: usize| &bytes[MAGIC.len() + from..MAGIC.len() + from + len];
    let format = u32::from_le_bytes(field(0, 4).try_into().unwrap_or_default());
    if format != SNAPSHOT_FORMAT {
        return Err(SnapshotError::OtherFormat {
            found: format,
            expected: SNAPSHOT_FORMAT,
        });
    }
    let position = u64::from_le_bytes(field(4, 8).try_into().unwrap_or_default());
    let hash = Hash(field(12, 32).try_into().unwrap_or_default());
    Ok(Head { position, hash })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::{self, tests::FIXTURES};

    /// Each fixture folded event by event; `each` sees the book after every event.
    fn fold_fixtures(mut each: impl FnMut(&Book)) -> Vec<Book> {
        FIXTURES
            .iter()
            .map(|fixture| {
                let mut book = Book::new();
                for (n, line) in fixture.lines().enumerate() {
                    let event = codec::decode(n as u64 + 1, line.as_bytes()).unwrap();
                    book.apply(&event);
                    each(&book);
                }
                book
            })
            .collect()
    }

    #[test]
    fn every_folded_fixture_book_comes_back_from_its_snapshot() {
        let mut checked = 0;
        fold_fixtures(|book| {
            let bytes = book.encode_snapshot().unwrap();
            assert_eq!(snapshot_head(&bytes).unwrap(), book.head());
            assert_eq!(&Book::decode_snapshot(&bytes).unwrap(), book);
            checked += 1;
        });
        assert!(checked > 400, "{checked} books checked");
    }

    #[test]
    fn the_format_is_pinned_to_the_folded_fixtures() {
        // When this fails, the book's fields or its folding changed, and a snapshot of an
        // earlier build would be read as a different book: raise SNAPSHOT_FORMAT and pin
        // the digest printed here.
        let digests: Vec<u8> = fold_fixtures(|_| {})
            .iter()
            .flat_map(|book| book.state_digest().unwrap().0)
            .collect();
        let digest = Hash::of_parts(&[&digests]).to_hex();
        assert_eq!(
            (SNAPSHOT_FORMAT, digest.as_str()),
            (
                2,
                "d6180729bb63e64236c246b4a891220d50934201f4b5650b0d84bd55df7a6965"
            )
        );
    }

    fn a_snapshot() -> (Book, Vec<u8>) {
        let book = fold_fixtures(|_| {}).pop().unwrap();
        let bytes = book.encode_snapshot().unwrap();
        (book, bytes)
    }

    #[test]
    fn a_damaged_body_is_refused() {
        let (_, mut bytes) = a_snapshot();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        assert_eq!(Book::decode_snapshot(&bytes), Err(SnapshotError::DigestMismatch));
        bytes[last] ^= 1;
        bytes.truncate(last);
        assert_eq!(Book::decode_snapshot(&bytes), Err(SnapshotError::DigestMismatch));
    }

    #[test]
    fn another_format_or_no_header_is_refused() {
        let (_, mut bytes) = a_snapshot();
        bytes[MAGIC.len()] = 9;
        assert_eq!(
            Book::decode_snapshot(&bytes),
            Err(SnapshotError::OtherFormat {
                found: 9,
                expected: SNAPSHOT_FORMAT
            })
        );
        assert_eq!(
            Book::decode_snapshot(&bytes[..HEADER_LEN - 1]),
            Err(SnapshotError::NotASnapshot)
        );
        assert_eq!(
            Book::decode_snapshot(b"{\"book\":1}"),
            Err(SnapshotError::NotASnapshot)
        );
    }

    #[test]
    fn a_header_naming_another_head_is_refused() {
        let (book, mut bytes) = a_snapshot();
        let named = book.head().position - 1;
        bytes[MAGIC.len() + 4..MAGIC.len() + 12].copy_from_slice(&named.to_le_bytes());
        assert_eq!(
            Book::decode_snapshot(&bytes),
            Err(SnapshotError::HeadMismatch {
                named,
                held: book.head().position
            })
        );
    }
}
