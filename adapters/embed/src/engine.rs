//! The engine: one writer deciding commands against the book, one store keeping the log.
//!
//! `execute` runs, under the writer lock: the idempotency check (command id already in the
//! store?), the decision (under a read lock on the book, so readers are never blocked by
//! deciding), the atomic append (which flushes, for a durable store), and only then the
//! fold into the book (under a short write lock). A refused command touches neither store
//! nor book. If the store fails during an append, the engine halts: the book can no longer
//! be trusted to match the log, so every later command is refused until the engine is
//! reopened (which rebuilds the book from what the log really holds).

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError, RwLock, RwLockReadGuard};

use chrono::Utc;
use o2c_core::customer::Customer;
use o2c_core::invoice::Invoice;
use o2c_core::order::SalesOrder;
use o2c_core::payment::Payment;
use o2c_core::product::Product;
use o2c_core::shipment::Shipment;
use o2c_core::stock::ProductStock;
use o2c_core::{
    Book, ChainVerifier, CustomerId, DomainError, EventStore, Hash, Head, InvoiceId, MemoryStore, OrderId,
    PaymentId, Policy, ProductId, RecordedEvent, Request, ShipmentId, StoreError, StreamId,
};
use o2c_sled::{SledOptions, SledStore};

/// Why `execute` (or opening an engine) failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command was refused by a business rule; nothing was appended.
    #[error("command refused: {0}")]
    Rejected(#[from] DomainError),
    /// The store failed (I/O, integrity, a second writer).
    #[error(transparent)]
    Store(#[from] StoreError),
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

struct Shared {
    store: Box<dyn EventStore>,
    book: RwLock<Book>,
    /// The writer lock, and what only the writer reads.
    writer: Mutex<Writer>,
}

/// The single writer's own state.
#[derive(Default)]
struct Writer {
    /// Who may issue which command.
    policy: Policy,
    /// Why the engine halted, if it did.
    halted: Option<String>,
}

/// The embedded order-to-cash engine. Cheap to clone; clones share one engine.
#[derive(Clone)]
pub struct Engine {
    shared: Arc<Shared>,
}

impl Engine {
    /// An engine on an in-memory store: nothing survives the process.
    pub fn in_memory() -> Self {
        Self::from_parts(Box::new(MemoryStore::new()), Book::new())
    }

    /// Opens (or creates) the engine's data directory on sled with the default options:
    /// every command is durable before `execute` returns. The whole log is verified and
    /// replayed into the book.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, Error> {
        Self::open_with(path, SledOptions::default())
    }

    /// Like [`Engine::open`], with explicit store options.
    pub fn open_with(path: impl AsRef<Path>, options: SledOptions) -> Result<Self, Error> {
        let mut book = Book::new();
        let store = SledStore::open_and_replay(path, options, |event| book.apply(event))?;
        Ok(Self::from_parts(Box::new(store), book))
    }

    /// An engine on any store: its log is read from the start, every hash and link is
    /// checked, and the book is rebuilt from it.
    pub fn with_store(store: Box<dyn EventStore>) -> Result<Self, Error> {
        let mut book = Book::new();
        let mut chain = ChainVerifier::new();
        for event in store.read_log(1) {
            let event = event?;
            event.verify_hash().map_err(StoreError::from)?;
            chain.check(&event).map_err(StoreError::from)?;
            book.apply(&event);
        }
        Ok(Self::from_parts(store, book))
    }

    fn from_parts(store: Box<dyn EventStore>, book: Book) -> Self {
        Self {
            shared: Arc::new(Shared {
                store,
                book: RwLock::new(book),
                writer: Mutex::new(Writer::default()),
            }),
        }
    }

    /// Executes a request: decides it, appends its events atomically and folds them into
    /// the book. A command id seen before returns the original events with `repeated`
    /// set (or [`DomainError::CommandIdReused`] if the request differs); a refused command
    /// appends nothing and changes nothing.
    pub fn execute(&self, request: Request) -> Result<Outcome, Error> {
        let mut writer = self.shared.writer.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(reason) = writer.halted.as_ref() {
            return Err(Error::Halted {
                reason: reason.clone(),
            });
        }
        let store = &self.shared.store;
        if let Some(record) = store.find_command(request.context.command_id)? {
            record.check_repeat(request.fingerprint()?)?;
            return Ok(Outcome {
                events: store.command_events(&record)?,
                repeated: true,
            });
        }
        let (expected, commit) = {
            let book = self.book();
            (
                book.head().position,
                book.prepare(&writer.policy, &request, Utc::now())?,
            )
        };
        if let Err(e) = store.append(expected, &commit) {
            tracing::error!(error = %e, command_id = %commit.command_id, "append failed; engine halted");
            writer.halted = Some(e.to_string());
            return Err(e.into());
        }
        let mut book = self.shared.book.write().unwrap_or_else(PoisonError::into_inner);
        for sealed in &commit.events {
            book.apply(&sealed.event);
        }
        drop(book);
        Ok(Outcome {
            events: commit.events.into_iter().map(|sealed| sealed.event).collect(),
            repeated: false,
        })
    }

    /// Replaces the policy that says which roles may issue which command (the standard
    /// policy until then). Affects decisions from the next command on; the log is
    /// unaffected.
    pub fn set_policy(&self, policy: Policy) {
        self.shared
            .writer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .policy = policy;
    }

    fn book(&self) -> RwLockReadGuard<'_, Book> {
        // Nothing panics while holding the book's locks, so a poisoned lock still guards a
        // whole book.
        self.shared.book.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `f` on the current book (without copying it). Keep `f` short: the writer waits
    /// for it before folding the next command.
    pub fn read<R>(&self, f: impl FnOnce(&Book) -> R) -> R {
        f(&self.book())
    }

    /// A copy of the whole current book.
    pub fn snapshot(&self) -> Book {
        self.book().clone()
    }

    /// The log's head: position and hash of the last event.
    pub fn head(&self) -> Head {
        self.book().head()
    }

    /// SHA-256 of the book's state; equal digests mean equal books.
    pub fn state_digest(&self) -> Result<Hash, Error> {
        Ok(self.book().state_digest()?)
    }

    /// A customer.
    pub fn customer(&self, id: CustomerId) -> Option<Customer> {
        self.book().customer(id).cloned()
    }

    /// A product.
    pub fn product(&self, id: ProductId) -> Option<Product> {
        self.book().product(id).cloned()
    }

    /// A product's stock per warehouse.
    pub fn stock(&self, id: ProductId) -> Option<ProductStock> {
        self.book().stock(id).cloned()
    }

    /// A sales order.
    pub fn order(&self, id: OrderId) -> Option<SalesOrder> {
        self.book().order(id).cloned()
    }

    /// A shipment.
    pub fn shipment(&self, id: ShipmentId) -> Option<Shipment> {
        self.book().shipment(id).cloned()
    }

    /// An invoice.
    pub fn invoice(&self, id: InvoiceId) -> Option<Invoice> {
        self.book().invoice(id).cloned()
    }

    /// A payment.
    pub fn payment(&self, id: PaymentId) -> Option<Payment> {
        self.book().payment(id).cloned()
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

    /// Flushes the store and releases this handle. The data directory is released when the
    /// last clone of the engine is dropped.
    pub fn close(self) -> Result<(), Error> {
        self.shared.store.flush()?;
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
    }
}
