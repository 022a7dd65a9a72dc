//! Refusals: every way the book turns a command down, one business case per test. Each
//! test brings the standard world (company, warehouse WH-1, customer Acme with a 10,000.00
//! USD limit, widget / gadget / flour) to the point where the rule bites, then checks with
//! `Harness::refused` that the command is refused with exactly the expected
//! [`DomainError`] variant and figures, and that nothing was appended and the book did not
//! change.
//!
//! Covered: unknown references (customer, product, warehouse, order, order line, invoice,
//! payment); quantities and amounts that are not positive or too precise; currencies the
//! company does not accept or that do not match; the order life cycle (empty, already
//! confirmed, not yet confirmed, nothing to reserve / ship / invoice, shipping more than
//! reserved, duplicate lines, too many lines); invoices that are not drafts or not posted;
//! allocations beyond what the payment or the invoice has; payments of another customer;
//! ids, SKUs, warehouse codes and currencies used twice; the company set up twice or not
//! yet; reserving or shipping an order on credit hold; bad text; bad actors; limits on
//! payment terms, unit and currency precision; dates beyond the calendar.

// A test crate: unwrapping is how a step says "this must succeed" (the shared harness
// and the helpers in `common` unwrap and panic outside `#[test]` functions too).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../support/mod.rs"]
mod support;

mod common;

mod amounts;
mod credit_holds;
mod ids_and_codes;
mod invoices;
mod order_life_cycle;
mod payments;
mod quantities;
mod text_and_limits;
mod unknown_references;
