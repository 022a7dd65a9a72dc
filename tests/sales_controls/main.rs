//! Sales controls (issue 3), one focused scenario per rule: given the standard world and
//! the steps a rule needs, when a command runs, then the events, figures and states are
//! exactly what the rule says, or the command is refused with the exact `DomainError`
//! (and, through the harness, appends nothing and changes nothing).
//!
//! Covered:
//! - customers: full master data, tax id uniqueness in any spelling (naming the holder),
//!   changes, inactive customers, credit limit precedence (own > group default > none),
//!   who may grant credit, blocking and unblocking;
//! - the quotation life cycle: draft -> sent -> confirmed, cancelling, validity from the
//!   company default, expiry and revalidation (prices recomputed, manual prices kept),
//!   line edits and line numbers, the customer's reference;
//! - changes after confirmation: quantities (never below delivered, surplus reservations
//!   released), added lines, promised dates, fixed prices and discounts, manual holds,
//!   closing and reopening, cancelling only before anything ships, actor and reason on
//!   every change;
//! - pricing: rule scopes, quantity breaks, validity periods, fixed / percent off list /
//!   percent off another list, the documented precedence step by step, customer and group
//!   lists, price and source on the line, manual overrides, cycles;
//! - discount approval: combined discounts, threshold, floor price, segregation of duties,
//!   voiding by a later change;
//! - credit control: exposure, credit holds with their figures, overdue invoices and grace
//!   days, blocked customers, release by another credit controller, cancelling a held order;
//! - who may do what: role boundaries, the auditor, other companies, a replaced policy.
//!
//! Tests marked `#[ignore = "BUG: ..."]` describe what a user would expect and what the
//! product does not do yet.

// A test crate: unwrapping is how a step says "this must succeed".
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../support/mod.rs"]
mod support;

mod common;

mod access;
mod amendments;
mod approvals;
mod credit;
mod customers;
mod holds_and_closing;
mod pricing;
mod quotations;
