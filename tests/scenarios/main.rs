//! Scenario tests for the order-to-cash flow, one business step at a time: given the
//! standard world (company, warehouse WH-1, customer Acme, widget / gadget / flour) and
//! the earlier steps a scenario needs, when a command runs, then the events it recorded
//! and the state it left are exactly what the business expects.
//!
//! Covered: company and master data; stock receipts; quotations priced from the list;
//! confirmation and the credit figures; orders over the credit limit confirmed on credit
//! hold (exposure judged at the cent, a zero limit); reservation with full and partial
//! availability; shipping (everything reserved, explicit lines, backorders); invoicing
//! delivered quantities with line rounding; posting (numbering, dates, receivable);
//! cancelling drafts; payments and their allocation (partial, full, several invoices,
//! unapplied remainder); a whole order with a backorder; the envelope (streams, versions,
//! correlation and causation); and command idempotency.
//!
//! The JSON scenario files beside these modules (`*.json`, format in `docs/scenarios.md`)
//! tell the same flow and its exception paths as business stories; `json_suite` runs
//! every one of them and checks the runner's own error reporting.
//!
//! Refusals (every `DomainError` a command can meet) live in `refusals/`.

// A test crate: unwrapping is how a step says "this must succeed" (the shared harness
// and the helpers in `common` unwrap and panic outside `#[test]` functions too).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../support/mod.rs"]
mod support;

mod common;

mod confirmation;
mod credit_holds;
mod end_to_end;
mod envelope;
mod idempotency;
mod invoicing;
mod json_suite;
mod master_data;
mod payments;
mod quotations;
mod shipping;
mod stock;
