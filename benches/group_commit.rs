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

use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use driver::{Recorder, Workload, WorkloadError};
use o2c::{Durability, Engine, SledOptions};

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
    let dir = tempfile::tempdir()?;
    let options = SledOptions {
        durability: Durability::Immediate,
        ..SledOptions::default()
    };
    let engine = Engine::open_with(dir.path(), options)?;
    let workload = Workload::set_up(&engine)?;
    let chunk = ORDERS_PER_SUBMITTER * submitters as u64;
    let mut next = 0u64;
    let mut all = Recorder::new(true);
    let mut failure: Option<WorkloadError> = None;
    let mut group = c.benchmark_group("group_commit");
    group.throughput(Throughput::Elements(chunk));
    group.bench_function(format!("{submitters}_submitters"), |b| {
        b.iter_custom(|iterations| {
            let orders = iterations * chunk;
            match workload.run_orders(&engine, next, orders, submitters, true) {
                Ok((recorder, elapsed)) => {
                    next += orders;
                    all.merge(recorder);
                    elapsed
                }
                Err(e) => {
                    failure.get_or_insert(e);
                    Duration::ZERO
                }
            }
        });
    });
    group.finish();
    if let Some(e) = failure {
        return Err(e);
    }
    let verdict = workload.verify(&engine, next)?;
    eprintln!(
        "group_commit/{submitters}_submitters: command latency p50 {:?}, p99 {:?}; {verdict}",
        all.quantile(0.50).unwrap_or_default(),
        all.quantile(0.99).unwrap_or_default(),
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
    targets = group_commit
}
criterion_main!(benches);
