//! Scenario tests for the cash side of order-to-cash: given the standard world (company in
//! USD accepting EUR, customer Acme net 30, widget / gadget / flour, warehouse WH-1) and
//! the delivered and invoiced orders a scenario needs, when a cash command runs, then the
//! events it recorded and the state it left are exactly what the business expects.
//!
//! Covered: credit notes (reversal, returned goods, price correction, the invoice total as
//! a limit); customer credit (applied to another invoice, refunded); payments (automatic
//! allocation oldest due first, overpayment and refund, one installment); early-payment
//! discounts and their basis; exchange differences in euros; write-offs within the
//! company's tolerance; payments returned by the bank; dunning levels; the customer
//! statement; and archiving settled orders.

// A test crate: unwrapping is how a step says "this must succeed".
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../support/mod.rs"]
mod support;

mod common;

mod archival;
mod credit_notes;
mod customer_credit;
mod discounts;
mod dunning;
mod exchange;
mod payments;
mod returned;
mod returned_goods;
mod statements;
mod write_offs;
