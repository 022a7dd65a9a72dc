//! Placeholder: replaced by the cycle_times projection.

use o2c_core::{Book, RecordedEvent};
use serde::{Deserialize, Serialize};

use crate::Projection;

/// The cycle_times projection.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CycleTimes {}

impl Projection for CycleTimes {
    const NAME: &'static str = "cycle_times";
    fn apply(&mut self, _event: &RecordedEvent, _book: &Book) {}
}
