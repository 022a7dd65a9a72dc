//! Bench 3: the reference workload on sled with `Durability::Immediate` and group commit,
//! 8 and 64 submitting threads sharing one engine: orders per second, and the p50 / p99
//! latency of one command over every order each bench ran (warm-up included), printed
//! after criterion's figures.
//!
//! One iteration is 4 orders per submitter, run concurrently; each bench has its own
//! engine on a fresh temporary data directory, verified at the end.
//! `cargo bench --bench group_commit`.

// Each bench uses part of the shared driver.
#[allow(dead_code)]
#[path = "../examples/workload/driver.rs"]
mod driver;
#[allow(dead_code)]
#[path = "common/sled_run.rs"]
mod sled_run;

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use driver::WorkloadError;
use sled_run::bench_on_sled;

/// Orders each submitter runs per iteration.
const ORDERS_PER_SUBMITTER: u64 = 4;

fn group_commit(c: &mut Criterion) {
    for submitters in [8usize, 64] {
        if let Err(e) = run(c, submitters) {
            eprintln!("the workload failed: {e}");
            std::process::exit(1);
        }
    }
}

fn run(c: &mut Criterion, submitters: usize) -> Result<(), WorkloadError> {
    let chunk = ORDERS_PER_SUBMITTER * submitters as u64;
    let mut run = bench_on_sled(
        c,
        "group_commit",
        &format!("{submitters}_submitters"),
        submitters,
        chunk,
    )?;
    eprintln!(
        "group_commit/{submitters}_submitters: command latency p50 {:?}, p99 {:?}; {}",
        run.latencies.quantile(0.50).unwrap_or_default(),
        run.latencies.quantile(0.99).unwrap_or_default(),
        run.verdict,
    );
    run.engine.close()?;
    Ok(())
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    targets = group_commit
}
criterion_main!(benches);
