//! # o2c: the embedding API
//!
//! What a Rust service embeds to run order-to-cash on o2c: an [`Engine`] that decides
//! commands one at a time (a single writer), appends each command's events atomically to
//! its store, folds them into the in-memory [`Book`], and answers reads from it. The
//! engine is `Send + Sync + Clone`: share it across threads; writes are serialised inside.
//!
//! It is **for** embedding: opening a data directory ([`Engine::open`]: the event file, every
//! command synced to disk before it is acknowledged), or a scratch engine
//! ([`Engine::in_memory`]); executing [`Request`]s; reading customers, stock, orders,
//! invoices and payments; reading the log for audit. It is **not** a server and has no
//! network surface. The domain types are re-exported from `o2c-core`.
//!
//! ```
//! use o2c::chrono::{TimeZone, Utc};
//! use o2c::company::SetUpCompany;
//! use o2c::money::{Currency, CurrencyCode, RoundingRule};
//! use o2c::uuid::Uuid;
//! use o2c::{Actor, ActorId, CommandContext, Engine, Request, Role};
//!
//! let engine = Engine::in_memory();
//! let usd = Currency { code: CurrencyCode::new("USD")?, decimals: 2 };
//! let company_id = Uuid::from_u128(2).into();
//! // The embedding service authenticated alice; she is an admin of the company.
//! let alice = Actor::new(ActorId::new("alice")?).member_of(company_id, [Role::Admin]);
//! let ctx = CommandContext::new(
//!     Uuid::from_u128(1),
//!     alice,
//!     Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap(),
//! );
//! let outcome = engine.execute(Request::new(ctx.clone(), SetUpCompany {
//!     company_id,
//!     name: "Northwind Distribution".into(),
//!     base_currency: usd,
//!     other_currencies: vec![],
//!     rounding: RoundingRule::HalfAwayFromZero,
//!     settings: Default::default(),
//! }))?;
//! assert_eq!(outcome.events.len(), 1);
//!
//! // The same command id again: the original outcome, nothing appended.
//! let again = engine.execute(Request::new(ctx, SetUpCompany {
//!     company_id,
//!     name: "Northwind Distribution".into(),
//!     base_currency: usd,
//!     other_currencies: vec![],
//!     rounding: RoundingRule::HalfAwayFromZero,
//!     settings: Default::default(),
//! }))?;
//! assert!(again.repeated);
//! assert_eq!(engine.head().position, 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod engine;
pub mod scenario;

/// The README's code blocks, compiled and run as doctests.
#[doc = include_str!("../../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

pub use engine::{Engine, EngineOptions, Error, Outcome, SNAPSHOT_FILE, Subscription};

/// The domain crate, whole.
pub use o2c_core as core;
pub use o2c_core::returns;
pub use o2c_core::{
    Actor, ActorId, Book, ChainVerifier, Command, CommandContext, Commit, CompanyId, CreditNoteId,
    CurrencyCode, CustomerGroupId, CustomerId, DomainError, EntityKind, Event, EventStore, Hash, Head,
    InvoiceId, LocationId, MemoryStore, Money, OperationId, OrderId, PaymentId, PaymentTermId, Policy,
    PriceListId, PriceRuleId, ProductId, RecordedEvent, Request, Role, SealedEvent, ShipmentId, StoreError,
    StreamId, StreamKind, TaxId, WarehouseId, WaveId,
};
pub use o2c_core::{
    access, codec, collections, company, customer, envelope, exchange, ids, invoice, ledger, location, money,
    order, payment, payment_term, picking, pricing, product, shipment, stock, store, stream, tax, unit,
    warehouse,
};
pub use o2c_core::{archive, claim, document};
pub use o2c_core::{chrono, rust_decimal, uuid};
/// The read models, whole.
pub use o2c_projections as projections;
pub use o2c_sled::{Durability, SledOptions, SledStore};
