//! Placeholder: replaced by the on_time projection.

use o2c_core::{Book, RecordedEvent};
use serde::{Deserialize, Serialize};

use crate::Projection;

/// The on_time projection.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OnTime {}

impl Projection for OnTime {
    const NAME: &'static str = "on_time";
    fn apply(&mut self, _event: &RecordedEvent, _book: &Book) {}
}
