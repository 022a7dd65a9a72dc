//! Placeholder: replaced by the backlog projection.

use o2c_core::{Book, RecordedEvent};
use serde::{Deserialize, Serialize};

use crate::Projection;

/// The backlog projection.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Backlog {}

impl Projection for Backlog {
    const NAME: &'static str = "backlog";
    fn apply(&mut self, _event: &RecordedEvent, _book: &Book) {}
}
