//! Placeholder: replaced by the dso projection.

use o2c_core::{Book, RecordedEvent};
use serde::{Deserialize, Serialize};

use crate::Projection;

/// The dso projection.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Dso {}

impl Projection for Dso {
    const NAME: &'static str = "dso";
    fn apply(&mut self, _event: &RecordedEvent, _book: &Book) {}
}
