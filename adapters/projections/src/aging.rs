//! Placeholder: replaced by the aging projection.

use o2c_core::{Book, RecordedEvent};
use serde::{Deserialize, Serialize};

use crate::Projection;

/// The aging projection.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Aging {}

impl Projection for Aging {
    const NAME: &'static str = "aging";
    fn apply(&mut self, _event: &RecordedEvent, _book: &Book) {}
}
