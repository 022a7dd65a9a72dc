//! Bench 4: opening a sled data directory whose log holds N events: the whole chain
//! verified, the book rebuilt from the whole log, the stored projections loaded; events
//! per second and seconds to open (`replay/open_…`). Then the same open resuming the book
//! from the snapshot stored when the engine closed, every record still checked
//! (`replay/resume_…`).
//!
//! The log is the reference workload's, written once with `Durability::Buffered` and 8
//! submitters and cached under cargo's target directory (`CARGO_TARGET_TMPDIR`), one
//! directory per size, reused by later runs. N is `O2C_BENCH_REPLAY_EVENTS` (default
//! 200,000; the size is 1,000,000:
//! `O2C_BENCH_REPLAY_EVENTS=1000000 cargo bench --bench replay`). Run as a test
//! (`cargo test --benches`) it opens a log of 2,000 events once.

// Each bench uses part of the shared driver.
#[allow(dead_code)]
#[path = "../examples/workload/driver.rs"]
mod driver;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use driver::{Workload, WorkloadError};
use o2c::{Durability, Engine, EngineOptions, SNAPSHOT_FILE, SledOptions};

/// Default size of the log, in events.
const DEFAULT_EVENTS: u64 = 200_000;

/// Size of the log run as a test (`cargo test --benches`, criterion's test mode).
const TEST_EVENTS: u64 = 2_000;

fn events_wanted() -> u64 {
    if !std::env::args().any(|a| a == "--bench") {
        return TEST_EVENTS;
    }
    std::env::var("O2C_BENCH_REPLAY_EVENTS")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(DEFAULT_EVENTS)
}

/// The cached log of at least `events` events, written now if it is not there yet.
fn cached_log(events: u64) -> Result<PathBuf, WorkloadError> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("o2c-replay-{events}"));
    let marker = dir.join("o2c-bench-complete");
    if marker.exists() {
        return Ok(dir);
    }
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    let started = Instant::now();
    let options = SledOptions {
        durability: Durability::Buffered { flush_every_ms: 500 },
        ..SledOptions::default()
    };
    let engine = Engine::open_with(&dir, options)?;
    let workload = Workload::set_up(&engine)?;
    let per_order = 8;
    let orders = (events.saturating_sub(engine.head().position)).div_ceil(per_order);
    let mut done = 0u64;
    while done < orders || engine.head().position < events {
        let step = 10_000u64.min(orders.saturating_sub(done)).max(1);
        workload.run_orders(&engine, done, step, 8, false)?;
        done += step;
    }
    let verdict = workload.verify(&engine, done)?;
    let head = engine.head().position;
    engine.close()?;
    std::fs::write(&marker, format!("{head} events\n"))?;
    eprintln!(
        "replay: wrote a log of {head} events ({done} orders) in {:.1} s; {verdict}",
        started.elapsed().as_secs_f64()
    );
    Ok(dir)
}

fn replay(c: &mut Criterion) {
    if let Err(e) = run(c) {
        eprintln!("the replay bench failed: {e}");
        std::process::exit(1);
    }
}

/// Opens `dir` with `options` and drops the engine (no close, so nothing is stored):
/// the snapshot resumed from, the head's position and the time the open took.
fn open(dir: &Path, options: EngineOptions) -> Result<(Option<u64>, u64, Duration), WorkloadError> {
    let started = Instant::now();
    let engine = Engine::open_with(dir, options)?;
    let elapsed = started.elapsed();
    let resumed = engine.resumed_from().map(|head| head.position);
    let head = engine.head().position;
    drop(engine);
    Ok((resumed, head, elapsed))
}

/// Benchmarks opening `dir` with `options` as `name`.
fn bench_open(
    c: &mut Criterion,
    dir: &Path,
    name: &str,
    events: u64,
    options: EngineOptions,
) -> Result<(), WorkloadError> {
    let mut failure: Option<WorkloadError> = None;
    let mut group = c.benchmark_group("replay");
    group.throughput(Throughput::Elements(events));
    group.bench_function(format!("{name}_{events}_events"), |b| {
        b.iter_custom(|opens| {
            let mut total = Duration::ZERO;
            for _ in 0..opens {
                match open(dir, options) {
                    Ok((_, _, elapsed)) => total += elapsed,
                    Err(e) => {
                        failure.get_or_insert(e);
                    }
                }
            }
            total
        });
    });
    group.finish();
    failure.map_or(Ok(()), Err)
}

fn run(c: &mut Criterion) -> Result<(), WorkloadError> {
    let dir = cached_log(events_wanted())?;
    let whole_log = EngineOptions {
        book_snapshot: false,
        ..EngineOptions::default()
    };
    let (_, events, first) = open(&dir, whole_log)?;
    eprintln!(
        "replay: first open of {events} events took {:.3} s ({:.0} events/s), the whole log folded",
        first.as_secs_f64(),
        events as f64 / first.as_secs_f64().max(f64::MIN_POSITIVE)
    );
    if !dir.join(SNAPSHOT_FILE).exists() {
        // A log cached by a build that stored no snapshot: close an engine once.
        let started = Instant::now();
        Engine::open(&dir)?.close()?;
        eprintln!(
            "replay: opened and closed once to store the book snapshot ({:.3} s)",
            started.elapsed().as_secs_f64()
        );
    }
    let (resumed, _, first) = open(&dir, EngineOptions::default())?;
    let Some(resumed) = resumed else {
        return Err("the book snapshot was not used".into());
    };
    eprintln!(
        "replay: first open resuming from the book snapshot at position {resumed} took {:.3} s ({:.0} events/s checked)",
        first.as_secs_f64(),
        events as f64 / first.as_secs_f64().max(f64::MIN_POSITIVE)
    );
    bench_open(c, &dir, "open", events, whole_log)?;
    bench_open(c, &dir, "resume", events, EngineOptions::default())
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10));
    targets = replay
}
criterion_main!(benches);
