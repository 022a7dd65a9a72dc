//! Placeholder: replaced by the credit_holds projection.

use o2c_core::{Book, RecordedEvent};
use serde::{Deserialize, Serialize};

use crate::Projection;

/// The credit_holds projection.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CreditHolds {}

impl Projection for CreditHolds {
    const NAME: &'static str = "credit_holds";
    fn apply(&mut self, _event: &RecordedEvent, _book: &Book) {}
}
