//! Scenario tests for return authorisations (RMA): given the standard world (company in
//! USD, customer Acme, widget 10.00 / gadget 2.50, warehouse WH-1) and the delivered and
//! invoiced orders a scenario needs, when a return command runs, then the events it
//! recorded, the order lines' figures, the stock by location and the money are exactly
//! what the business expects; every refusal leaves the book unchanged.
//!
//! Covered: authorising (what may be returned, reasons, validity, roles), receiving
//! (partial receipts, expiry, cancelling the rest), inspecting (restock, quarantine, scrap,
//! return to vendor, stock by location), resolving (credit note, restocking fee,
//! replacement, refund), and lots and serial numbers.

// A test crate: unwrapping is how a step says "this must succeed".
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../support/mod.rs"]
mod support;

mod common;

mod authorisation;
mod inspection;
mod receipt;
mod resolution;
mod tracked;
