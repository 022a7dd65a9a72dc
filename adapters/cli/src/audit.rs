//! `o2c audit verify`: checks the whole hash chain of a data directory and prints its
//! head (position and hash), the figure an auditor writes down and compares later.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use o2c::EventStore;

use crate::data;
use crate::failure::Failure;

/// Verifies every stored event (its hash, its link to the one before, its position) and
/// the head record. Prints the head on success; fails naming the first bad position.
pub fn verify(dir: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    let started = Instant::now();
    // Opening the store reads the whole log and checks every record and link.
    let store = data::open_store(dir)?;
    let head = store.head().map_err(|e| Failure::store(e, dir))?;
    let elapsed = started.elapsed();
    writeln!(out, "log verified: {} events, hash chain intact", head.position)?;
    writeln!(out, "head position: {}", head.position)?;
    writeln!(out, "head hash:     {}", head.hash)?;
    writeln!(out, "checked in {:.2} s", elapsed.as_secs_f64())?;
    Ok(())
}
