//! Placeholder: replaced by the fill_rate projection.

use o2c_core::{Book, RecordedEvent};
use serde::{Deserialize, Serialize};

use crate::Projection;

/// The fill_rate projection.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FillRate {}

impl Projection for FillRate {
    const NAME: &'static str = "fill_rate";
    fn apply(&mut self, _event: &RecordedEvent, _book: &Book) {}
}
