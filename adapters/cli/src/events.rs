//! `o2c events`: the stored events as JSON lines, one event per line, for auditors and
//! for tools (`jq`, spreadsheets, another system's import).
//!
//! Each line is the event's stored record, byte for byte as the store keeps it: the
//! envelope's fields, the payload as written (in the schema version that wrote it), the
//! `prev_hash` and the `hash` that covers that very text (see `o2c::codec`). Opening the
//! store verifies the whole chain first, so every line printed is part of a verified log.

use std::io::Write;
use std::path::Path;

use o2c::chrono::NaiveDate;
use o2c::{EventStore, RecordedEvent, StreamId};

use crate::data;
use crate::failure::Failure;

/// Which events to print.
#[derive(Clone, Debug)]
pub struct Filter {
    /// Only this stream.
    pub stream: Option<StreamId>,
    /// Only events at this position or later.
    pub from: u64,
    /// Only events whose business date is on or before this date.
    pub until_date: Option<NaiveDate>,
}

impl Filter {
    fn admits(&self, event: &RecordedEvent) -> bool {
        event.position >= self.from
            && self
                .until_date
                .is_none_or(|until| event.business_time.date_naive() <= until)
            && self.stream.is_none_or(|stream| event.stream == stream)
    }
}

/// Prints the events the filter admits, in log order.
pub fn run(dir: &Path, filter: &Filter, out: &mut dyn Write) -> Result<(), Failure> {
    let store = data::open_store(dir)?;
    let events: Box<dyn Iterator<Item = Result<RecordedEvent, o2c::StoreError>>> = match &filter.stream {
        Some(stream) => Box::new(
            store
                .read_stream(stream)
                .map_err(|e| Failure::store(e, dir))?
                .into_iter()
                .map(Ok),
        ),
        None => store.read_log(filter.from),
    };
    for event in events {
        let event = event.map_err(|e| Failure::store(e, dir))?;
        if !filter.admits(&event) {
            continue;
        }
        let record = store
            .stored_record(event.position)
            .map_err(|e| Failure::store(e, dir))?
            .ok_or_else(|| Failure::new(format!("event {} vanished while it was read", event.position)))?;
        out.write_all(&record)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
