//! Bench 2: the reference workload on sled with `Durability::Immediate` (every command
//! flushed before it is acknowledged) and one submitter: orders per second, and the p50 /
//! p99 latency of one command over every order the bench ran (warm-up included), printed
//! after criterion's figures.
//!
//! One engine on a fresh temporary data directory serves the whole bench; its orders
//! continue from sample to sample and are verified at the end.
//! `cargo bench --bench sled_immediate`.

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

fn sled_immediate(c: &mut Criterion) {
    if let Err(e) = run(c) {
        eprintln!("the workload failed: {e}");
        std::process::exit(1);
    }
}

fn run(c: &mut Criterion) -> Result<(), WorkloadError> {
    let mut run = bench_on_sled(c, "sled_immediate", "one_submitter", 1, 1)?;
    let probe = driver::fsync_probe(run.dir.path(), 200)?;
    let per_order = run.latencies.commands() as f64 / run.orders.max(1) as f64;
    eprintln!(
        "sled_immediate/one_submitter: command latency p50 {:?}, p99 {:?}; fsync probe {:?} per write, \
         bound {:.0} orders/s at {per_order:.0} flushes per order; {}",
        run.latencies.quantile(0.50).unwrap_or_default(),
        run.latencies.quantile(0.99).unwrap_or_default(),
        probe,
        1.0 / (probe.as_secs_f64().max(f64::MIN_POSITIVE) * per_order),
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
    targets = sled_immediate
}
criterion_main!(benches);
