//! The engine: one writer deciding commands against the book, one store keeping the log,
//! the projections folded beside the book, and subscribers following the log.
//!
//! `execute` hands its request to the writer (see [`writer`](self) for group commit): the
//! writer decides queued commands one at a time against the book, folds each accepted
//! command into the book and the projections at once (so the next decision sees it),
//! appends the whole batch atomically with one flush, and only then answers the callers
//! and tells subscribers. A refused command touches neither store nor book. If the store
//! fails during an append, the engine halts: the book can no longer be trusted to match
//! the log, so every later command is refused until the engine is reopened (which
//! rebuilds the book from what the log really holds).

mod book_file;
mod opening;
mod reports;
mod saver;
mod subscription;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError, RwLock, RwLockReadGuard};

use o2c_core::customer::Customer;
use o2c_core::invoice::Invoice;
use o2c_core::order::SalesOrder;
use o2c_core::payment::Payment;
use o2c_core::product::Product;
use o2c_core::shipment::Shipment;
use o2c_core::stock::ProductStock;
use o2c_core::{
    Book, ChainVerifier, CustomerId, DomainError, EventStore, Hash, Head, InvoiceId, MemoryStore, OrderId,
    PaymentId, Policy, ProductId, RecordedEvent, ShipmentId, StoreError, StreamId,
};
use o2c_projections::{PROJECTIONS_DIR, ProjectionError, ProjectionStore, Projections};
use o2c_sled::{SledOptions, SledStore};

pub use book_file::SNAPSHOT_FILE;
use saver::Saver;
pub use subscription::Subscription;
use writer::{InFlight, Queue, Writer};

/// Why `execute` (or opening an engine) failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command was refused by a business rule; nothing was appended.
    #[error("command refused: {0}")]
    Rejected(#[from] DomainError),
    /// The store failed (I/O, integrity, a second writer).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The stored projections could not be read or written.
    #[error(transparent)]
    Projection(#[from] ProjectionError),
    /// An earlier append failed, so this engine accepts no more commands; reopen it.
    #[error("the engine stopped accepting commands after a storage failure: {reason}")]
    Halted {
        /// The failure that halted it.
        reason: String,
    },
}

/// What an executed command appended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The command's events, in log order.
    pub events: Vec<RecordedEvent>,
    /// True when the command id had been executed before: `events` are the original
    /// events, read back from the log, and nothing new was appended.
    pub repeated: bool,
}

/// How an engine runs: its store's options and the writer's knobs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EngineOptions {
    /// The durable store's options (durability, lock wait); unused in memory.
    pub store: SledOptions,
    /// The most commands one group commit decides, writes and flushes together. Larger
    /// batches amortise a flush over more commands under concurrent load; a single caller
    /// always forms batches of one. Default 256.
    pub max_batch: usize,
    /// The projections are stored with their checkpoint once at least this many events
    /// were appended since they were last stored, and at least a quarter as many as they
    /// had been stored at (they are written whole, so the interval grows with the log to
    /// keep the total written proportional to it); and when the engine closes. Lower
    /// means less to fold again after a crash, higher means less writing. Default 10,000.
    pub checkpoint_every: u64,
    /// Store the book's snapshot when the engine closes and, on opening, resume the book
    /// from it, folding only the events after it (every record of the log is checked
    /// either way). `false` folds the whole log on every open. Default `true`.
    pub book_snapshot: bool,
}

impl Default for EngineOptions {
    fn default() -> Self {
        Self {
            store: SledOptions::default(),
            max_batch: 256,
            checkpoint_every: 10_000,
            book_snapshot: true,
        }
    }
}

impl From<SledOptions> for EngineOptions {
    fn from(store: SledOptions) -> Self {
        Self {
            store,
            ..Self::default()
        }
    }
}

/// What readers see: the book and the projections, always folded to the same position.
struct State {
    book: Book,
    projections: Projections,
}

impl State {
    /// Folds one event into the book, then into the projections (which read the book as
    /// it stands after the event).
    fn apply(&mut self, event: &RecordedEvent) {
        self.book.apply(event);
        self.projections.apply(event, &self.book);
    }
}

/// The position up to which the log is durable and folded, for subscribers to wait on.
#[derive(Default)]
struct Committed {
    position: Mutex<u64>,
    changed: Condvar,
}

impl Committed {
    fn publish(&self, position: u64) {
        *self.position.lock().unwrap_or_else(PoisonError::into_inner) = position;
        self.changed.notify_all();
    }
}

/// What an engine on a data directory keeps beside the log.
struct Beside {
    projections: ProjectionStore,
    dir: PathBuf,
    /// The head of the book snapshot the engine was opened from, if it was.
    resumed_from: Option<Head>,
}

struct Shared {
    store: Box<dyn EventStore>,
    state: RwLock<State>,
    /// The writer lock (deciding), and what only the deciding stage reads.
    writer: Mutex<Writer>,
    /// The append lock: decided batches are appended one at a time, in decision order.
    append_turn: Mutex<()>,
    /// Commands decided but not yet durable.
    in_flight: Mutex<InFlight>,
    /// Why the engine halted, once an append failed.
    halted: OnceLock<String>,
    /// Stores the projections in the background (none in memory).
    saver: Mutex<Option<Saver>>,
    /// The data directory, where the book's snapshot is stored on close (none in memory).
    dir: Option<PathBuf>,
    /// The head of the book snapshot the engine was opened from, if it was.
    resumed_from: Option<Head>,
    /// Requests waiting for the writer.
    queue: Mutex<Queue>,
    /// Wakes a leader waiting for the append lock: a request arrived, or the lock is free.
    arrived: Condvar,
    committed: Committed,
    options: EngineOptions,
}

/// The embedded order-to-cash engine. Cheap to clone; clones share one engine.
#[derive(Clone)]
pub struct Engine {
    shared: Arc<Shared>,
}

impl Engine {
    /// An engine on an in-memory store: nothing survives the process.
    pub fn in_memory() -> Self {
        let state = State {
            book: Book::new(),
            projections: Projections::default(),
        };
        Self::from_parts(
            Box::new(MemoryStore::new()),
            state,
            None,
            EngineOptions::default(),
        )
    }

    /// Opens (or creates) the engine's data directory with the default options:
    /// every command is durable before `execute` returns. The whole log is verified; the
    /// book is rebuilt from it, or resumed from the snapshot stored when the engine last
    /// closed (then only the events after it are folded); the stored projections resume
    /// from their checkpoints.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, Error> {
        Self::open_with(path, EngineOptions::default())
    }

    /// Like [`Engine::open`], with explicit options ([`SledOptions`] alone will do).
    pub fn open_with(path: impl AsRef<Path>, options: impl Into<EngineOptions>) -> Result<Self, Error> {
        let options = options.into();
        let opening = SledStore::begin_open(path, options.store)?;
        let dir = opening.dir().to_path_buf();
        let projection_store = ProjectionStore::open(dir.join(PROJECTIONS_DIR))?;
        let opened = opening::fold_log(opening, &dir, &projection_store, options.book_snapshot)?;
        let beside = Beside {
            projections: projection_store,
            dir,
            resumed_from: opened.resumed_from,
        };
        Ok(Self::from_parts(
            Box::new(opened.store),
            opened.state,
            Some(beside),
            options,
        ))
    }

    /// An engine on any store: its log is read from the start, every hash and link is
    /// checked, and the book and the projections are rebuilt from it.
    pub fn with_store(store: Box<dyn EventStore>) -> Result<Self, Error> {
        let mut state = State {
            book: Book::new(),
            projections: Projections::default(),
        };
        let mut chain = ChainVerifier::new();
        for event in store.read_log(1) {
            let event = event?;
            event.verify_hash().map_err(StoreError::from)?;
            chain.check(&event).map_err(StoreError::from)?;
            state.apply(&event);
        }
        Ok(Self::from_parts(store, state, None, EngineOptions::default()))
    }

    fn from_parts(
        store: Box<dyn EventStore>,
        state: State,
        beside: Option<Beside>,
        options: EngineOptions,
    ) -> Self {
        let (projection_store, dir, resumed_from) = match beside {
            Some(beside) => (Some(beside.projections), Some(beside.dir), beside.resumed_from),
            None => (None, None, None),
        };
        let head = state.book.head().position;
        let committed = Committed::default();
        committed.publish(head);
        Self {
            shared: Arc::new(Shared {
                store,
                writer: Mutex::new(Writer::new(state.projections.checkpoint())),
                append_turn: Mutex::new(()),
                in_flight: Mutex::new(InFlight::new()),
                halted: OnceLock::new(),
                saver: Mutex::new(projection_store.map(Saver::start)),
                dir,
                resumed_from,
                state: RwLock::new(state),
                queue: Mutex::new(Queue::default()),
                arrived: Condvar::new(),
                committed,
                options,
            }),
        }
    }

    /// Replaces the policy that says which roles may issue which command (the standard
    /// policy until then). Affects decisions from the next command on; the log is
    /// unaffected.
    pub fn set_policy(&self, policy: Policy) {
        self.writer().policy = policy;
    }

    fn writer(&self) -> MutexGuard<'_, Writer> {
        self.shared.writer.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn saver(&self) -> MutexGuard<'_, Option<Saver>> {
        self.shared.saver.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn state(&self) -> RwLockReadGuard<'_, State> {
        // Nothing panics while holding the state's locks, so a poisoned lock still guards
        // a whole book.
        self.shared.state.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `f` on the current book (without copying it). Keep `f` short: the writer waits
    /// for it before folding the next command.
    pub fn read<R>(&self, f: impl FnOnce(&Book) -> R) -> R {
        f(&self.state().book)
    }

    /// Runs `f` on the current projections, folded to the same position as the book.
    /// Keep `f` short, as with [`Engine::read`].
    pub fn projections<R>(&self, f: impl FnOnce(&Projections) -> R) -> R {
        f(&self.state().projections)
    }

    /// A copy of the whole current book.
    pub fn snapshot(&self) -> Book {
        self.state().book.clone()
    }

    /// The head of the book snapshot this engine was opened from (only the events after
    /// it were folded), or `None` if the book was rebuilt from the whole log.
    pub fn resumed_from(&self) -> Option<Head> {
        self.shared.resumed_from
    }

    /// The log's head: position and hash of the last event.
    pub fn head(&self) -> Head {
        self.state().book.head()
    }

    /// SHA-256 of the book's state; equal digests mean equal books.
    pub fn state_digest(&self) -> Result<Hash, Error> {
        Ok(self.state().book.state_digest()?)
    }

    /// A customer.
    pub fn customer(&self, id: CustomerId) -> Option<Customer> {
        self.state().book.customer(id).cloned()
    }

    /// A product.
    pub fn product(&self, id: ProductId) -> Option<Product> {
        self.state().book.product(id).cloned()
    }

    /// A product's stock per warehouse.
    pub fn stock(&self, id: ProductId) -> Option<ProductStock> {
        self.state().book.stock(id).cloned()
    }

    /// A sales order.
    pub fn order(&self, id: OrderId) -> Option<SalesOrder> {
        self.state().book.order(id).cloned()
    }

    /// A shipment.
    pub fn shipment(&self, id: ShipmentId) -> Option<Shipment> {
        self.state().book.shipment(id).cloned()
    }

    /// An invoice.
    pub fn invoice(&self, id: InvoiceId) -> Option<Invoice> {
        self.state().book.invoice(id).cloned()
    }

    /// A payment.
    pub fn payment(&self, id: PaymentId) -> Option<Payment> {
        self.state().book.payment(id).cloned()
    }

    /// Up to `limit` events of the log from position `from` (1 is the first).
    pub fn events(&self, from: u64, limit: usize) -> Result<Vec<RecordedEvent>, Error> {
        Ok(self
            .shared
            .store
            .read_log(from)
            .take(limit)
            .collect::<Result<_, _>>()?)
    }

    /// Every event of one stream, in order.
    pub fn stream(&self, stream: &StreamId) -> Result<Vec<RecordedEvent>, Error> {
        Ok(self.shared.store.read_stream(stream)?)
    }

    /// Follows the log from position `from` (1 is the first event): the subscription
    /// first delivers the stored events, then each newly committed one, in log order,
    /// without gap or repeat. See [`Subscription`].
    pub fn subscribe(&self, from: u64) -> Subscription {
        Subscription::new(Arc::clone(&self.shared), from)
    }

    /// Stores the projections with their checkpoint, flushes the store, and stores the
    /// book's snapshot (see [`Engine::open`]; a snapshot that cannot be written is
    /// reported and the earlier one, if any, stays: the next open resumes from it or folds
    /// the whole log). The data directory is released when the last clone of the engine
    /// is dropped.
    pub fn close(self) -> Result<(), Error> {
        // No batch is being decided or appended while both locks are held.
        let _writer = self.writer();
        let _append_turn = self
            .shared
            .append_turn
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(saver) = self.saver().as_mut() {
            saver.save_now(&self.state().projections)?;
        }
        self.shared.store.flush()?;
        // After a failed append what the log holds is uncertain: no snapshot then.
        let wanted = self.shared.options.book_snapshot && self.shared.halted.get().is_none();
        if let Some(dir) = self.shared.dir.as_deref().filter(|_| wanted) {
            if let Err(error) = book_file::save(dir, &self.state().book) {
                tracing::warn!(%error, "storing the book snapshot failed");
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_is_shareable_across_threads() {
        fn assert_shareable<T: Send + Sync + Clone + 'static>() {}
        assert_shareable::<Engine>();
        assert_shareable::<Subscription>();
    }
}
