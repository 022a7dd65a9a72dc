//! The book's snapshot beside the log: closing stores it, opening resumes from it (only
//! the events after it are decoded and folded, every record is still checked), and a
//! snapshot that does not fit (damaged, of another log, ahead of the stored projections)
//! is left unused and the whole log is folded, to the same state.

// Test code: a failed expectation panics, which is what a test should do.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::Path;

use o2c::projections::Projections;
use o2c::{Engine, EngineOptions, Hash, Head, SNAPSHOT_FILE};
use support::World;

/// What an engine holds: its head, the digest of its book, its projections.
fn state(engine: &Engine) -> (Head, Hash, Projections) {
    (
        engine.head(),
        engine.state_digest().unwrap(),
        engine.projections(Projections::clone),
    )
}

/// Closes the world's engine (its harness goes on with an in-memory one until reopened).
fn close(w: &mut World) {
    std::mem::replace(&mut w.h.engine, Engine::in_memory())
        .close()
        .unwrap();
}

/// Runs `orders` orders in a fresh world on `dir` (business days later by `days`), closes
/// the engine and returns what it held.
fn write_and_close(dir: &Path, days: i64, orders: usize) -> (Head, Hash, Projections) {
    let mut w = World::on(Engine::open(dir).unwrap());
    w.h.advance_days(days);
    for _ in 0..orders {
        w.one_order();
    }
    let held = state(&w.h.engine);
    close(&mut w);
    held
}

/// Opens `dir` and checks that it holds `expected`, also when folded from the whole log;
/// returns the head of the snapshot it resumed from.
fn reopen(dir: &Path, expected: &(Head, Hash, Projections)) -> Option<Head> {
    let engine = Engine::open(dir).unwrap();
    assert_eq!(&state(&engine), expected);
    let events = engine.events(1, usize::MAX).unwrap();
    assert_eq!(
        engine.projections(Projections::clone),
        Projections::rebuild(&events)
    );
    engine.resumed_from()
}

#[test]
fn reopening_resumes_from_the_snapshot_stored_on_close() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = World::on(Engine::open(dir.path()).unwrap());
    w.one_order();
    w.one_order();
    let closed = state(&w.h.engine);
    close(&mut w);
    assert!(dir.path().join(SNAPSHOT_FILE).exists());
    assert_eq!(reopen(dir.path(), &closed), Some(closed.0));

    // Carry on, then stop without closing: the snapshot stays where it was and the
    // events after it are folded.
    w.h.engine = Engine::open(dir.path()).unwrap();
    w.one_order();
    let live = state(&w.h.engine);
    assert!(live.0.position > closed.0.position);
    drop(std::mem::replace(&mut w.h.engine, Engine::in_memory()));
    assert_eq!(reopen(dir.path(), &live), Some(closed.0));

    // Without the snapshot, the whole log folds to the same state.
    std::fs::remove_file(dir.path().join(SNAPSHOT_FILE)).unwrap();
    assert_eq!(reopen(dir.path(), &live), None);
}

#[test]
fn a_damaged_snapshot_is_not_used() {
    let dir = tempfile::tempdir().unwrap();
    let closed = write_and_close(dir.path(), 0, 1);
    let path = dir.path().join(SNAPSHOT_FILE);
    let mut bytes = std::fs::read(&path).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x40;
    std::fs::write(&path, bytes).unwrap();
    assert_eq!(reopen(dir.path(), &closed), None);
}

#[test]
fn a_snapshot_of_another_log_is_not_used() {
    let (mine, other) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    // The other log is shorter and was written on another day, so at its snapshot's
    // position this log holds an event with another hash.
    let closed = write_and_close(mine.path(), 0, 2);
    let other_head = write_and_close(other.path(), 3, 1).0;
    assert!(other_head.position < closed.0.position);
    std::fs::copy(other.path().join(SNAPSHOT_FILE), mine.path().join(SNAPSHOT_FILE)).unwrap();
    assert_eq!(reopen(mine.path(), &closed), None);
}

#[test]
fn a_snapshot_ahead_of_the_stored_projections_is_not_used() {
    let dir = tempfile::tempdir().unwrap();
    let closed = write_and_close(dir.path(), 0, 1);
    std::fs::remove_dir_all(dir.path().join("projections")).unwrap();
    assert_eq!(reopen(dir.path(), &closed), None);
}

#[test]
fn without_book_snapshots_the_whole_log_is_folded_and_none_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let options = EngineOptions {
        book_snapshot: false,
        ..EngineOptions::default()
    };
    let mut w = World::on(Engine::open_with(dir.path(), options).unwrap());
    w.one_order();
    let closed = state(&w.h.engine);
    close(&mut w);
    assert!(!dir.path().join(SNAPSHOT_FILE).exists());

    // A snapshot stored by a default engine is not read either.
    Engine::open(dir.path()).unwrap().close().unwrap();
    assert!(dir.path().join(SNAPSHOT_FILE).exists());
    let engine = Engine::open_with(dir.path(), options).unwrap();
    assert_eq!(state(&engine), closed);
    assert_eq!(engine.resumed_from(), None);
}
