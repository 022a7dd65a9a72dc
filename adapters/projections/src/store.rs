//! Where projections are stored: one file per projection in a directory beside the log,
//! holding its checkpoint and its state together, so the two are always written (and
//! recovered) as one.
//!
//! A projection is written to `<name>.json.new` and renamed over `<name>.json`, so a reader
//! finds the previous file or the new one, never a mix, and the space of the previous
//! version is freed at once. The file is not synced: a crash may leave it short, and one
//! that does not decode is rebuilt from position 0 on opening, like one from a build whose
//! projections had another shape. (They were sled values before: sled 0.34
//! kept every replaced large value as a blob file, and a log of a million events left
//! tens of gigabytes of them behind.)

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use crate::set::{Checkpointed, Projection};

/// The directory the projections live in, inside the engine's data directory.
pub const PROJECTIONS_DIR: &str = "projections";

/// Why a projection could not be loaded or stored.
#[derive(Debug, thiserror::Error)]
pub enum ProjectionError {
    /// Reading or writing a projection's file failed.
    #[error("projection storage failed at {path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// A stored projection could not be read (or one could not be encoded).
    #[error("projection {name} could not be encoded or decoded: {message}")]
    Encoding {
        /// The projection's name.
        name: &'static str,
        /// What went wrong.
        message: String,
    },
}

/// The projections' home: a directory with one file per projection.
#[derive(Clone, Debug)]
pub struct ProjectionStore {
    dir: PathBuf,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ProjectionError + '_ {
    move |source| ProjectionError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl ProjectionStore {
    /// Projections stored in `dir` (normally [`PROJECTIONS_DIR`] inside the engine's data
    /// directory), which is created if missing.
    pub fn open(dir: impl AsRef<Path>) -> Result<Self, ProjectionError> {
        let dir = dir.as_ref().to_path_buf();
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        Ok(Self { dir })
    }

    fn path<P: Projection>(&self) -> PathBuf {
        self.dir.join(format!("{}.json", P::NAME))
    }

    /// The stored projection `P` with its checkpoint, if one was stored.
    pub fn load<P: Projection>(&self) -> Result<Option<Checkpointed<P>>, ProjectionError> {
        let path = self.path::<P>();
        // Read whole: serde_json parses a slice several times faster than a reader.
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io(&path)(e)),
        };
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| ProjectionError::Encoding {
                name: P::NAME,
                message: e.to_string(),
            })
    }

    /// The stored projection `P`, or an empty one (to be rebuilt from position 0) when none
    /// is stored, when the stored one is ahead of `head` (its events are not in the log),
    /// or when it does not decode (stored by a build whose projection had another shape,
    /// or cut short by a crash): a projection is derived data, so it never keeps the log
    /// from opening.
    pub fn load_at_most<P: Projection>(&self, head: u64) -> Result<Checkpointed<P>, ProjectionError> {
        let stored = match self.load::<P>() {
            Err(ProjectionError::Encoding { message, .. }) => {
                tracing::warn!(projection = P::NAME, %message, "stored projection does not decode; rebuilding it");
                None
            }
            other => other?,
        };
        match stored {
            Some(stored) if stored.checkpoint <= head => Ok(stored),
            Some(stored) => {
                tracing::warn!(
                    projection = P::NAME,
                    checkpoint = stored.checkpoint,
                    head,
                    "stored projection is ahead of the log; rebuilding it"
                );
                Ok(Checkpointed::default())
            }
            None => Ok(Checkpointed::default()),
        }
    }

    /// Stores one projection with its checkpoint, replacing the stored one whole.
    pub fn save<P: Projection>(&self, projection: &Checkpointed<P>) -> Result<(), ProjectionError> {
        let path = self.path::<P>();
        let new = path.with_extension("json.new");
        let file = File::create(&new).map_err(io(&new))?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        serde_json::to_writer(&mut out, projection).map_err(|e| ProjectionError::Encoding {
            name: P::NAME,
            message: e.to_string(),
        })?;
        // Not synced: after a crash a file that does not decode is rebuilt (`load_at_most`).
        out.into_inner().map_err(|e| io(&new)(e.into_error()))?;
        std::fs::rename(&new, &path).map_err(io(&path))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Backlog;

    #[test]
    fn a_saved_projection_is_replaced_whole_and_nothing_else_is_left_behind() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProjectionStore::open(dir.path().join(PROJECTIONS_DIR)).unwrap();
        assert!(store.load::<Backlog>().unwrap().is_none());
        for checkpoint in [7, 9] {
            let projection = Checkpointed::<Backlog> {
                checkpoint,
                ..Default::default()
            };
            store.save(&projection).unwrap();
            assert_eq!(store.load::<Backlog>().unwrap(), Some(projection));
        }
        let files: Vec<_> = std::fs::read_dir(dir.path().join(PROJECTIONS_DIR))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(files, vec![format!("{}.json", Backlog::NAME)]);
        assert_eq!(
            store.load_at_most::<Backlog>(8).unwrap().checkpoint,
            0,
            "ahead of the log"
        );
    }

    #[test]
    fn an_unreadable_projection_file_is_an_encoding_error_and_rebuilt_on_opening() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProjectionStore::open(dir.path()).unwrap();
        std::fs::write(
            dir.path().join(format!("{}.json", Backlog::NAME)),
            b"{\"checkpoint\":",
        )
        .unwrap();
        assert!(matches!(
            store.load::<Backlog>(),
            Err(ProjectionError::Encoding { name, .. }) if name == Backlog::NAME
        ));
        assert_eq!(
            store.load_at_most::<Backlog>(100).unwrap(),
            Checkpointed::default(),
            "opening rebuilds it instead"
        );
    }
}
