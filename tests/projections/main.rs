//! Scenario tests for the projections: given the standard world and a flow of orders,
//! shipments, invoices, payments, returns and claims, the read models answer with exactly the expected
//! figures, now and as of earlier business dates. Each projection is read from a rebuild
//! of the engine's log ([`o2c::projections::Projections::rebuild`]) and, where the engine
//! keeps it live, from the engine too.

// A test crate: unwrapping is how a step says "this must succeed".
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../support/mod.rs"]
mod support;

mod aging;
mod backlog;
mod claims;
mod credit_holds;
mod cycle_times;
mod dso;
mod fill_rate;
mod on_time;
mod returns;
mod steps;
