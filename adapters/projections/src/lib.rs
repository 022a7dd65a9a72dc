//! # o2c-projections: the read models of o2c
//!
//! Each projection is a fold over the global log that answers one management question:
//! the order backlog, fill rates, on-time shipment, cycle times, receivables aging, DSO,
//! open credit holds, returns, and customer claims (open, service levels, disputes). It is **for** reading: projections never decide anything and
//! never change the book. It is **not** a reporting database: the figures are kept in
//! memory, incrementally, and stored with their checkpoint so they survive a restart.
//!
//! ## How a projection folds
//!
//! A projection is handed every event in log order together with the book *as it stands
//! right after that event* ([`Projection::apply`]). It reads the documents the event
//! touched from the book (so no business rule is computed twice, once in the domain and
//! once here) and records what changed as dated figures, keyed by the event's business
//! date. That is what lets every projection answer "as of" a business date as well as
//! now: a query sums what was recorded on or before the date.
//!
//! The fold is a pure function of the log: the same events give the same projection, so
//! a projection kept incrementally equals one rebuilt from position 0 ([`Projections::rebuild`]).
//!
//! ## Checkpoints
//!
//! [`ProjectionStore`] keeps each projection's state and the position of the last event it
//! folded in one file, replaced whole, so state and checkpoint can never disagree. After a crash a projection resumes from its stored checkpoint: while the
//! engine replays the log into the book on open, events at or before the checkpoint only
//! fold the book; later ones fold both. Nothing is applied twice or skipped.

mod aging;
mod backlog;
mod claims;
mod credit_holds;
mod cycle_times;
mod dso;
mod fill_rate;
mod on_time;
mod returns;
mod set;
mod store;
mod sum_rows;
mod timeline;

pub use aging::{Aging, AgingBucket, AgingKey, AgingReport, AgingRow, Buckets};
pub use backlog::{Backlog, BacklogGroup, BacklogReport, BacklogRow, BacklogTotal, OpenLine, PromisedWeek};
pub use claims::{
    Attainment, Claims, DisputeOnHold, DisputesReport, OpenClaim, OpenClaimsOfType, OpenClaimsReport,
    PriorityAttainment, ServiceLevelReport,
};
pub use credit_holds::{CreditHoldEnding, CreditHoldSpell, CreditHolds, HeldOrder, OpenCreditHold};
pub use cycle_times::{CycleTimeReport, CycleTimes, Durations};
pub use dso::{Dso, DsoReport, DsoRow};
pub use fill_rate::{CustomerFillRates, FillRate, FillRateReport, FillRates, ProductFillRates};
pub use on_time::{CustomerOnTime, OnTime, OnTimeFigures, OnTimeReport, ProductOnTime};
pub use returns::{CustomerReturns, ProductReturns, ReasonReturns, ReturnRate, Returns, ReturnsReport};
pub use set::{Checkpointed, Projection, Projections};
pub use store::{PROJECTIONS_DIR, ProjectionError, ProjectionStore};
pub use timeline::{Change, Figure, Timeline};
