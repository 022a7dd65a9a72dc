//! Where projections are stored: one sled value per projection holding its checkpoint
//! and its state together, so the two are always written (and recovered) as one.

use crate::set::{Checkpointed, Projection};

/// The sled tree the projections live in, beside the event store's trees.
pub const PROJECTIONS_TREE: &str = "projections";

/// Why a projection could not be loaded or stored.
#[derive(Debug, thiserror::Error)]
pub enum ProjectionError {
    /// sled failed.
    #[error("projection storage failed: {0}")]
    Backend(#[from] sled::Error),
    /// A stored projection could not be read (or one could not be encoded).
    #[error("projection {name} could not be encoded or decoded: {message}")]
    Encoding {
        /// The projection's name.
        name: &'static str,
        /// What went wrong.
        message: String,
    },
}

/// The projections' home in a sled database.
#[derive(Clone)]
pub struct ProjectionStore {
    tree: sled::Tree,
}

impl ProjectionStore {
    /// Projections stored in `tree` (normally the [`PROJECTIONS_TREE`] of the engine's
    /// data directory).
    pub fn new(tree: sled::Tree) -> Self {
        Self { tree }
    }

    /// The stored projection `P` with its checkpoint, if one was stored.
    pub fn load<P: Projection>(&self) -> Result<Option<Checkpointed<P>>, ProjectionError> {
        let Some(bytes) = self.tree.get(P::NAME)? else {
            return Ok(None);
        };
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| ProjectionError::Encoding {
                name: P::NAME,
                message: e.to_string(),
            })
    }

    /// The stored projection `P`, or an empty one when none is stored or the stored one is
    /// ahead of `head` (its events are not in the log).
    pub fn load_at_most<P: Projection>(&self, head: u64) -> Result<Checkpointed<P>, ProjectionError> {
        match self.load::<P>()? {
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

    /// Stores one projection with its checkpoint (one insert).
    pub fn save<P: Projection>(&self, projection: &Checkpointed<P>) -> Result<(), ProjectionError> {
        let mut batch = sled::Batch::default();
        Self::stage(&mut batch, projection)?;
        self.apply(batch)
    }

    pub(crate) fn stage<P: Projection>(
        batch: &mut sled::Batch,
        projection: &Checkpointed<P>,
    ) -> Result<(), ProjectionError> {
        let bytes = serde_json::to_vec(projection).map_err(|e| ProjectionError::Encoding {
            name: P::NAME,
            message: e.to_string(),
        })?;
        batch.insert(P::NAME, bytes);
        Ok(())
    }

    pub(crate) fn apply(&self, batch: sled::Batch) -> Result<(), ProjectionError> {
        self.tree.apply_batch(batch)?;
        Ok(())
    }

    /// Flushes the stored projections to disk.
    pub fn flush(&self) -> Result<(), ProjectionError> {
        self.tree.flush()?;
        Ok(())
    }
}
