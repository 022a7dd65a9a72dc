//! The data directory: checked before anything opens it, so that a mistyped path is
//! reported instead of becoming a fresh, empty log.

use std::path::Path;

use o2c::{Engine, SledOptions, SledStore};

use crate::failure::Failure;

/// Fails unless `dir` is a directory holding a sled database (an engine's data directory).
/// Read commands call this first: opening a store creates one where there is none.
pub fn existing(dir: &Path) -> Result<(), Failure> {
    if !dir.exists() {
        return Err(Failure::new(format!(
            "the data directory {} does not exist",
            dir.display()
        )));
    }
    if !dir.is_dir() {
        return Err(Failure::new(format!("{} is not a directory", dir.display())));
    }
    // sled keeps its configuration in `conf` and its pages in `db`.
    if !dir.join("conf").is_file() || !dir.join("db").is_file() {
        return Err(Failure::new(format!(
            "{} is not an o2c data directory (no event log in it)",
            dir.display()
        )));
    }
    Ok(())
}

/// Opens the event store of an existing data directory; opening verifies the whole hash
/// chain.
pub fn open_store(dir: &Path) -> Result<SledStore, Failure> {
    existing(dir)?;
    SledStore::open(dir, SledOptions::default()).map_err(|e| Failure::store(e, dir))
}

/// Opens the engine of an existing data directory: the log is verified and folded into
/// the book.
pub fn open_engine(dir: &Path) -> Result<Engine, Failure> {
    existing(dir)?;
    Engine::open(dir).map_err(|e| match e {
        o2c::Error::Store(store) => Failure::store(store, dir),
        other => Failure::from(other),
    })
}
