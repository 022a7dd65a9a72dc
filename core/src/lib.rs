//! # o2c-core: the order-to-cash domain, pure
//!
//! This crate is the part of o2c that must never be wrong: the commands a distributor
//! issues (quote, confirm, reserve, ship, invoice, collect), the events that record what
//! happened, the aggregates those events fold into, and the rules that decide between
//! them. It is pure: no I/O, no clock, no random ids, no threads. The caller supplies ids
//! and business time in each command's [`CommandContext`]; the same events always fold
//! into the same [`Book`].
//!
//! What it is **for**: deciding commands ([`Book::decide`], [`Book::prepare`]), folding
//! events ([`Book::apply`]), sealing them into a hash-chained log ([`envelope`]), reading
//! stored events back with their integrity checked ([`codec`]), and the event-store port
//! ([`store::EventStore`]) with an in-memory implementation.
//!
//! What it is **not** for: durable storage (see `o2c-sled`), threads, clocks and the
//! embedding API (see the `o2c` crate, which is what services embed), read models.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use o2c_core::{Actor, ActorId, Book, CommandContext, Policy, Request, Role};
//! use o2c_core::company::SetUpCompany;
//! use o2c_core::money::{Currency, CurrencyCode, RoundingRule};
//! use uuid::Uuid;
//!
//! let usd = Currency { code: CurrencyCode::new("USD").unwrap(), decimals: 2 };
//! let company_id = Uuid::from_u128(1).into();
//! let set_up = SetUpCompany {
//!     company_id,
//!     name: "Northwind Distribution".into(),
//!     base_currency: usd,
//!     other_currencies: vec![],
//!     rounding: RoundingRule::HalfAwayFromZero,
//!     settings: Default::default(),
//! };
//! let ctx = CommandContext::new(
//!     Uuid::from_u128(100),
//!     Actor::new(ActorId::new("alice").unwrap()).member_of(company_id, [Role::Admin]),
//!     Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap(),
//! );
//! let mut book = Book::new();
//! let recorded = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 1).unwrap();
//! let policy = Policy::standard();
//! let commit = book.prepare(&policy, &Request::new(ctx, set_up), recorded).unwrap();
//! for sealed in &commit.events {
//!     book.apply(&sealed.event);
//! }
//! assert_eq!(book.company().unwrap().name, "Northwind Distribution");
//! ```

pub mod access;
pub mod archive;
pub mod book;
pub mod claim;
pub mod codec;
pub mod collections;
pub mod command;
pub mod company;
pub mod context;
pub mod customer;
pub mod document;
pub mod envelope;
pub mod error;
pub mod event;
pub mod exchange;
pub mod ids;
pub mod invoice;
pub mod ledger;
pub mod location;
pub mod money;
pub mod order;
pub mod payment;
pub mod payment_term;
pub mod picking;
pub mod pricing;
pub mod product;
pub mod returns;
pub mod shipment;
pub mod snapshot;
pub mod stock;
pub mod store;
pub mod stream;
pub mod tax;
pub mod unit;
pub mod validate;
pub mod warehouse;

pub use access::{Actor, Policy, Role};
pub use book::Book;
pub use command::{Command, Request};
pub use context::CommandContext;
pub use envelope::{ChainVerifier, Commit, Hash, Head, RecordLink, RecordedEvent, SealedEvent};
pub use error::DomainError;
pub use event::Event;
pub use ids::{
    ActorId, ClaimId, CompanyId, CreditNoteId, CustomerGroupId, CustomerId, DocumentId, EntityKind,
    InvoiceId, LocationId, OperationId, OrderId, PaymentId, PaymentTermId, PriceListId, PriceRuleId,
    ProductId, ReturnId, ShipmentId, TaxId, WarehouseId, WaveId,
};
pub use money::{Currency, CurrencyCode, Money, RoundingRule};
pub use store::{EventStore, MemoryStore, StoreError};
pub use stream::{StreamId, StreamKind};

/// The date-time crate the domain types use, re-exported so embedders match its version.
pub use chrono;
/// The decimal crate for money and quantities, re-exported.
pub use rust_decimal;
/// The UUID crate for ids, re-exported.
pub use uuid;
