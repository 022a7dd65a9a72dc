//! Scenario tests for fulfilment: warehouses and their locations, units of measure,
//! reservation policies, pick-pack-ship routes, waves, partial shipments and backorders,
//! lots and serial numbers with FIFO / FEFO removal, traceability, proof of delivery,
//! substitutes, inventory adjustments and orders shipped from several warehouses.
//!
//! Each test is given / when / then with exact figures: the standard world (company,
//! warehouse WH-1, customer Acme, widget / gadget / flour; see `support`) plus what the
//! scenario needs, a command, and then the events it recorded and the state it left
//! (quants per location and lot, order line quantities, operation views). Refusals assert
//! the exact `DomainError` and, through `Harness::refused`, that nothing changed.
//!

// A test crate: unwrapping is how a step says "this must succeed" (the shared harness
// and the helpers in `common` unwrap and panic outside `#[test]` functions too).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../support/mod.rs"]
mod support;

mod common;

mod adjustments;
mod backorders;
mod delivery;
mod lots;
mod multi_warehouse;
mod receipts;
mod reservation;
mod routes;
mod substitutes;
mod units;
mod waves;
