//! Scenario tests for customer claims, disputes and document references: given the
//! standard world (company in USD, customer Acme net 30, widget / gadget / flour, warehouse
//! WH-1) and the delivered and invoiced orders a scenario needs, when a claim or document
//! command runs, then the events it recorded and the state it left are exactly what the
//! business expects, and every refusal changes nothing.
//!
//! Covered: the claim life cycle and every refused transition (`lifecycle`); what a claim
//! may be about and the documents it links (`opening`); resolutions and the roles they
//! need (`resolution`); service levels in business time over nights, weekends, waits on
//! the customer and reopenings, the breach query and the scheduled breach recording
//! (`service_levels`); disputed amounts on hold and dunning (`disputes`); document
//! references, superseding, and the tax exemption certificate rule (`documents`); replaying
//! the log of all of it (`replay`).

// A test crate: unwrapping is how a step says "this must succeed".
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../support/mod.rs"]
mod support;

mod common;

mod disputes;
mod documents;
mod lifecycle;
mod opening;
mod replay;
mod resolution;
mod service_levels;
