//! `o2c replay`: rebuilds the book and every projection from the log, from position 1, in
//! the same pass that verifies every hash and link, and stores the rebuilt projections with
//! their checkpoints. What an operator runs after
//! a projection changed shape, or to measure how long a cold start takes.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use o2c::projections::{PROJECTIONS_DIR, ProjectionStore, Projections};
use o2c::{Book, SledOptions, SledStore};

use crate::data;
use crate::failure::Failure;
use crate::format;

/// Replays the whole log of `dir` into a fresh book and fresh projections, with a progress
/// bar on standard error, stores the projections and prints the count, the rate and the
/// head.
pub fn run(dir: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    data::existing(dir)?;
    let opening = SledStore::begin_open(dir, SledOptions::default()).map_err(|e| Failure::store(e, dir))?;
    let recorded = opening.recorded_head().map_err(|e| Failure::store(e, dir))?;

    // One pass: every event is decoded, its hash and link checked, then folded.
    let bar = progress_bar(recorded.position);
    let started = Instant::now();
    let mut book = Book::new();
    let mut projections = Projections::default();
    let store = opening
        .verify_and_replay(|event| {
            book.apply(event);
            projections.apply(event, &book);
            bar.inc(1);
        })
        .map_err(|e| Failure::store(e, dir))?;
    let elapsed = started.elapsed();
    bar.finish_and_clear();
    let head = book.head();
    let count = head.position;

    ProjectionStore::open(store.dir().join(PROJECTIONS_DIR))
        .and_then(|stored| projections.save(&stored))
        .map_err(|e| Failure::new(format!("the rebuilt projections could not be stored: {e}")))?;
    let digest = book
        .state_digest()
        .map_err(|e| Failure::new(format!("the rebuilt state could not be digested: {e}")))?;

    writeln!(
        out,
        "replayed {} events in {:.3} s ({} events/s)",
        format::count(count),
        elapsed.as_secs_f64(),
        format::count(rate(count, elapsed))
    )?;
    writeln!(out, "head position: {}", head.position)?;
    writeln!(out, "head hash:     {}", head.hash)?;
    writeln!(out, "state digest:  {digest}")?;
    writeln!(
        out,
        "projections stored at position {}: {}",
        projections.checkpoint(),
        Projections::NAMES.join(", ")
    )?;
    Ok(())
}

/// Events per second, whole.
fn rate(count: u64, elapsed: Duration) -> u64 {
    let seconds = elapsed.as_secs_f64().max(1e-6);
    // A rate is a measurement, not money: a float is fine here.
    (count as f64 / seconds).round() as u64
}

/// A bar on standard error (drawn only when it is a terminal).
fn progress_bar(total: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "replaying {bar:40} {human_pos}/{human_len} events, {per_sec}, {eta} left",
    ) {
        bar.set_style(style);
    }
    bar
}
