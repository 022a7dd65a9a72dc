//! The book's snapshot beside the log (`book.snapshot` in the data directory): written
//! when the engine closes, read when it opens, so that opening decodes and folds only the
//! events after it while every record of the log is still checked (frame, hash, link).
//! Its form is `o2c_core::snapshot`'s. A snapshot that cannot be used (another build's
//! format, damaged, not of this log) is reported and the whole log is folded instead.

use std::fs::{self, File};
use std::io::{ErrorKind, Write};
use std::path::Path;

use o2c_core::Book;

/// The snapshot's file name in the data directory.
pub const SNAPSHOT_FILE: &str = "book.snapshot";

/// The stored snapshot, if there is a whole one of this build's format.
pub(super) fn load(dir: &Path) -> Option<Book> {
    let path = dir.join(SNAPSHOT_FILE);
    let bytes = match fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == ErrorKind::NotFound => return None,
        Err(error) => {
            tracing::warn!(path = %path.display(), %error, "the book snapshot cannot be read; folding the whole log");
            return None;
        }
    };
    match Book::decode_snapshot(&bytes) {
        Ok(book) => Some(book),
        Err(error) => {
            tracing::warn!(path = %path.display(), %error, "not using the book snapshot; folding the whole log");
            None
        }
    }
}

/// Stores the snapshot of `book`: written whole to a new file, synced, then renamed over
/// the old one, so a crash leaves one whole snapshot or the other.
pub(super) fn save(dir: &Path, book: &Book) -> std::io::Result<()> {
    let bytes = book
        .encode_snapshot()
        .map_err(|error| std::io::Error::other(error.to_string()))?;
    let path = dir.join(SNAPSHOT_FILE);
    let new = path.with_extension("snapshot.new");
    let mut file = File::create(&new)?;
    file.write_all(&bytes)?;
    file.sync_all()?;
    fs::rename(&new, &path)?;
    File::open(dir)?.sync_all()
}
