//! The projection trait, a projection with its checkpoint, and the set of every
//! projection o2c keeps.

use std::fmt::Debug;

use o2c_core::{Book, RecordedEvent};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::store::{ProjectionError, ProjectionStore};
use crate::{Aging, Backlog, Claims, CreditHolds, CycleTimes, Dso, FillRate, OnTime, Returns};

/// A read model folded from the log.
pub trait Projection:
    Clone + Debug + Default + PartialEq + Serialize + DeserializeOwned + Send + Sync + 'static
{
    /// The name it is stored under; never changed once released.
    const NAME: &'static str;

    /// Folds one event. `book` is the book right after that event was folded into it, so
    /// the documents the event touched are read in their new state.
    fn apply(&mut self, event: &RecordedEvent, book: &Book);
}

/// A projection and the position of the last event folded into it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(bound = "P: Projection")]
pub struct Checkpointed<P> {
    /// Position of the last event folded (0: none).
    pub checkpoint: u64,
    /// The projection's state after that event.
    pub state: P,
}

impl<P: Projection> Checkpointed<P> {
    /// Folds `event` unless it is at or before the checkpoint (already folded).
    pub fn apply(&mut self, event: &RecordedEvent, book: &Book) {
        if event.position <= self.checkpoint {
            return;
        }
        self.state.apply(event, book);
        self.checkpoint = event.position;
    }
}

macro_rules! projection_set {
    ($($field:ident: $ty:ty),* $(,)?) => {
        /// Every projection o2c keeps, each with its own checkpoint.
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct Projections {
            $(
                #[doc = concat!("The `", stringify!($field), "` projection.")]
                pub $field: Checkpointed<$ty>,
            )*
        }

        impl Projections {
            /// The names of every projection, as stored.
            pub const NAMES: &'static [&'static str] = &[$(<$ty as Projection>::NAME),*];

            /// Folds one event into every projection that has not folded it yet.
            pub fn apply(&mut self, event: &RecordedEvent, book: &Book) {
                $(self.$field.apply(event, book);)*
            }

            /// The lowest checkpoint: every projection has folded the log up to here.
            pub fn checkpoint(&self) -> u64 {
                [$(self.$field.checkpoint),*].into_iter().min().unwrap_or(0)
            }

            /// Loads every projection from `store`. A projection never stored, or stored
            /// beyond `head` (a log that lost its tail), starts empty and is rebuilt by the
            /// replay that follows.
            pub fn load(store: &ProjectionStore, head: u64) -> Result<Self, ProjectionError> {
                Ok(Self { $($field: store.load_at_most(head)?,)* })
            }

            /// Stores every projection with its checkpoint (each replaced whole; each
            /// resumes from its own checkpoint, so they need not be written together).
            pub fn save(&self, store: &ProjectionStore) -> Result<(), ProjectionError> {
                $(store.save(&self.$field)?;)*
                Ok(())
            }
        }
    };
}

projection_set!(
    backlog: Backlog,
    fill_rate: FillRate,
    on_time: OnTime,
    cycle_times: CycleTimes,
    aging: Aging,
    dso: Dso,
    credit_holds: CreditHolds,
    returns: Returns,
    claims: Claims,
);

impl Projections {
    /// Every projection rebuilt from position 0: `events` folded, in order, into a fresh
    /// book and fresh projections.
    pub fn rebuild<'a>(events: impl IntoIterator<Item = &'a RecordedEvent>) -> Self {
        let mut book = Book::new();
        let mut projections = Self::default();
        for event in events {
            book.apply(event);
            projections.apply(event, &book);
        }
        projections
    }
}
