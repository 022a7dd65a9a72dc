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

use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use driver::{Recorder, Workload, WorkloadError};
use o2c::{Durability, Engine, SledOptions};

fn sled_immediate(c: &mut Criterion) {
    if let Err(e) = run(c) {
        eprintln!("the workload failed: {e}");
        std::process::exit(1);
    }
}

fn run(c: &mut Criterion) -> Result<(), WorkloadError> {
    let dir = tempfile::tempdir()?;
    let options = SledOptions {
        durability: Durability::Immediate,
        ..SledOptions::default()
    };
    let engine = Engine::open_with(dir.path(), options)?;
    let workload = Workload::set_up(&engine)?;
    let mut next = 0u64;
    let mut all = Recorder::new(true);
    let mut failure: Option<WorkloadError> = None;
    let mut group = c.benchmark_group("sled_immediate");
    group.throughput(Throughput::Elements(1));
    group.bench_function("one_submitter", |b| {
        b.iter_custom(
            |orders| match workload.run_orders(&engine, next, orders, 1, true) {
                Ok((recorder, elapsed)) => {
                    next += orders;
                    all.merge(recorder);
                    elapsed
                }
                Err(e) => {
                    failure.get_or_insert(e);
                    Duration::ZERO
                }
            },
        );
    });
    group.finish();
    if let Some(e) = failure {
        return Err(e);
    }
    let verdict = workload.verify(&engine, next)?;
    let probe = driver::fsync_probe(dir.path(), 200)?;
    let per_order = all.commands() as f64 / next.max(1) as f64;
    eprintln!(
        "sled_immediate/one_submitter: command latency p50 {:?}, p99 {:?}; fsync probe {:?} per write, \
         bound {:.0} orders/s at {per_order:.0} flushes per order; {verdict}",
        all.quantile(0.50).unwrap_or_default(),
        all.quantile(0.99).unwrap_or_default(),
        probe,
        1.0 / (probe.as_secs_f64().max(f64::MIN_POSITIVE) * per_order),
    );
    engine.close()?;
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
