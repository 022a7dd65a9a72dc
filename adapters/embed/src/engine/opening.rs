//! Opening a data directory: the one pass over the log that checks every record and
//! folds the book and the projections, resuming the book from its stored snapshot when
//! there is one that fits (`book_file`).
//!
//! The records up to the snapshot are checked without decoding their payloads; the events
//! after it are decoded and folded. A snapshot serves only if every stored projection is
//! at or after it (the projections fold each event with the book as it was then, as after
//! a clean close) and if the log holds its head; otherwise the whole log is folded. (The
//! snapshot is decoded before the pass: decoded on a thread of its own during the pass, it
//! competed with the pass's threads for the cores and opening took no less time.)

use std::path::Path;

use o2c_core::{Book, EventStore, Head};
use o2c_projections::{ProjectionStore, Projections};
use o2c_sled::{OpeningStore, SledStore};

use super::{Error, State, book_file};

/// What opening found: the store, the state folded to its head, and the head of the
/// snapshot the book was resumed from, if it was.
pub(super) struct Opened {
    pub(super) store: SledStore,
    pub(super) state: State,
    pub(super) resumed_from: Option<Head>,
}

/// Verifies the log of `opening` and folds it, resuming from the stored book snapshot if
/// `snapshots` allows and one fits.
pub(super) fn fold_log(
    opening: OpeningStore,
    dir: &Path,
    projection_store: &ProjectionStore,
    snapshots: bool,
) -> Result<Opened, Error> {
    let recorded_head = opening.recorded_head()?.position;
    let projections = Projections::load(projection_store, recorded_head)?;
    let snapshot = snapshots.then(|| book_file::load(dir)).flatten().filter(|book| {
        let fits = book.head().position <= projections.checkpoint();
        if !fits {
            tracing::info!(
                snapshot = book.head().position,
                projections = projections.checkpoint(),
                "the projections are stored before the book snapshot; folding the whole log"
            );
        }
        fits
    });
    let held = snapshot.as_ref().map_or_else(Head::default, Book::head);
    let mut state = State {
        book: snapshot.unwrap_or_default(),
        projections,
    };
    // One pass: events at or before a projection's checkpoint fold only the book.
    let (store, holds) = opening.verify_and_replay_after(held, |event| state.apply(event))?;
    if holds {
        let resumed_from = (held.position > 0).then_some(held);
        return Ok(Opened {
            store,
            state,
            resumed_from,
        });
    }
    tracing::warn!(
        position = held.position,
        "the book snapshot is not of this log; folding the whole log"
    );
    let mut state = State {
        book: Book::new(),
        projections: Projections::load(projection_store, recorded_head)?,
    };
    for event in store.read_log(1) {
        state.apply(&event?);
    }
    Ok(Opened {
        store,
        state,
        resumed_from: None,
    })
}
