//! The `o2c` binary end to end, on data directories made by the order-to-cash example
//! (and on stored fixture logs, and one made of returns and claims): audit, events,
//! history, replay, KPIs and scenario files, and how each fails. This file holds what the tests share; one module per command.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

// The very walk-through `cargo run --example order_to_cash` runs makes the data.
#[allow(dead_code)] // its `main` is the example's, unused here
#[path = "../../../../examples/order_to_cash.rs"]
mod example;

mod after_sale;
mod audit;
mod events;
mod history;
mod kpi;
mod replay;
mod scenario;

use std::path::Path;
use std::process::{Command, Output};

use o2c::{Engine, Head, OrderId, RecordedEvent};
use tempfile::TempDir;

/// A data directory made by the example, with its order and head.
struct Made {
    dir: TempDir,
    order: OrderId,
    head: Head,
    events: Vec<RecordedEvent>,
}

fn made_by_the_example() -> Made {
    let dir = tempfile::tempdir().unwrap();
    let order = example::run(dir.path()).unwrap();
    let engine = Engine::open(dir.path()).unwrap();
    let head = engine.head();
    let events = engine.events(1, usize::MAX).unwrap();
    engine.close().unwrap();
    Made {
        dir,
        order,
        head,
        events,
    }
}

/// The README promises the example runs again on the same directory: the second walk
/// starts after the first one's dates, so its invoices number on.
#[test]
fn the_example_runs_again_on_its_own_directory() {
    let made = made_by_the_example();
    let second = example::run(made.dir.path()).unwrap();
    assert_ne!(second, made.order);
    let engine = Engine::open(made.dir.path()).unwrap();
    assert!(engine.head().position > made.head.position);
    // Each walk archives its order at the end: the numbers are read from the log.
    let numbers: Vec<String> = engine
        .events(1, usize::MAX)
        .unwrap()
        .into_iter()
        .filter_map(|e| match e.payload {
            o2c::Event::InvoicePosted(p) => Some(p.number),
            _ => None,
        })
        .collect();
    assert_eq!(numbers.len(), 4, "two invoices per walk: {numbers:?}");
    assert!(numbers.contains(&"INV/2026/00004".to_string()), "{numbers:?}");
}

fn o2c(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_o2c"))
        .args(args)
        .output()
        .unwrap()
}

fn o2c_on(dir: &Path, args: &[&str]) -> Output {
    let dir = dir.to_str().unwrap();
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--data", dir]);
    o2c(&all)
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn succeeded(output: &Output) -> String {
    assert!(
        output.status.success(),
        "o2c failed: {}\n{}",
        stderr(output),
        stdout(output)
    );
    stdout(output)
}

/// Rewrites the stored record at `position` in the event file (recomputing its frame's
/// checksum), so only o2c's hash chain can notice.
fn tamper(dir: &Path, position: u64, from: &str, to: &str) {
    let mut commits = o2c_sled::read_commits(dir).unwrap();
    let record = commits
        .iter_mut()
        .flat_map(|c| c.records.iter_mut())
        .nth(position as usize - 1)
        .unwrap();
    let text = String::from_utf8(record.clone()).unwrap();
    assert!(
        text.contains(from),
        "record {position} does not hold {from}: {text}"
    );
    *record = text.replacen(from, to, 1).into_bytes();
    o2c_sled::write_commits(dir, &commits).unwrap();
}

/// The stored records, raw, as the event file keeps them.
fn stored_records(dir: &Path) -> Vec<String> {
    o2c_sled::read_commits(dir)
        .unwrap()
        .into_iter()
        .flat_map(|c| c.records)
        .map(|record| String::from_utf8(record).unwrap())
        .collect()
}

/// The log of schema version 1, as it was stored.
const V1: &str = include_str!("../../../../tests/fixtures/events-v1.jsonl");

/// The log of schema version 4: every kind of event.
const V4: &str = include_str!("../../../../tests/fixtures/events-v4.jsonl");

/// The log of schema version 6: it ends with an order archived.
const V6: &str = include_str!("../../../../tests/fixtures/events-v6.jsonl");

/// A data directory holding `records` (stored JSON records, positions from 1) in the
/// layout `o2c-sled/2`: the event file (records grouped by the command each names, with
/// a fingerprint the fixtures do not record), the format marker and the head record.
fn data_dir_of(records: &str) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut head = Head::default();
    let mut commits: Vec<o2c_sled::StoredCommit> = Vec::new();
    for (line, position) in records.lines().zip(1u64..) {
        let event = o2c::codec::decode(position, line.as_bytes()).unwrap();
        head = event.head();
        match commits.last_mut() {
            Some(commit) if commit.command_id == event.command_id => {
                commit.records.push(line.as_bytes().to_vec())
            }
            _ => commits.push(o2c_sled::StoredCommit {
                command_id: event.command_id,
                fingerprint: o2c::Hash::ZERO,
                records: vec![line.as_bytes().to_vec()],
            }),
        }
    }
    let db = sled::open(dir.path()).unwrap();
    let meta = db.open_tree(o2c_sled::META_TREE).unwrap();
    meta.insert(o2c_sled::FORMAT_KEY, o2c_sled::FORMAT).unwrap();
    let mut head_record = head.position.to_be_bytes().to_vec();
    head_record.extend_from_slice(&head.hash.0);
    meta.insert(o2c_sled::HEAD_KEY, head_record).unwrap();
    db.flush().unwrap();
    drop(db);
    o2c_sled::write_commits(dir.path(), &commits).unwrap();
    dir
}

fn json_lines(out: &str) -> Vec<serde_json::Value> {
    out.lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// The positions listed in a history table.
fn listed_positions(out: &str) -> Vec<u64> {
    out.lines()
        .filter_map(|line| line.split_whitespace().next()?.parse().ok())
        .collect()
}
