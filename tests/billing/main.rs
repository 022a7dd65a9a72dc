//! Scenario tests for billing: given the standard world (company in USD accepting EUR,
//! warehouse WH-1, customer Acme net 30, widget / gadget / flour) and the billing master
//! data a scenario needs, when an invoicing command runs, then the events it recorded and
//! the invoices, orders and receivables it left carry exactly the expected figures.
//!
//! Covered: invoice policies (ordered or delivered quantities) and invoicing status; one
//! invoice for several orders; down payments and their deduction (`invoicing`); editing,
//! cancelling and numbering drafts (`drafts`); added, fixed, cascading and included taxes,
//! tax totals and their rounding per line or per document (`taxes`); fiscal positions for
//! exempt and export customers (`fiscal_positions`); invoices in another currency and in a
//! currency without decimals (`currencies`); payment terms with installments and the
//! early-payment discount (`terms`).

// A test crate: unwrapping is how a step says "this must succeed".
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../support/mod.rs"]
mod support;

mod common;

mod currencies;
mod drafts;
mod fiscal_positions;
mod invoicing;
mod taxes;
mod terms;
