//! What the durable benches share: one engine on a fresh temporary data directory with
//! `Durability::Immediate`, the reference workload run under criterion by a number of
//! submitting threads (orders continue from sample to sample), and the check at the end.

use std::time::Duration;

use criterion::{Criterion, Throughput};
use o2c::{Durability, Engine, SledOptions};
use tempfile::TempDir;

use crate::driver::{Recorder, Workload, WorkloadError};

/// A finished durable bench: its engine and directory (still open), the orders it ran,
/// every command's latency, and the verification's verdict.
pub struct SledRun {
    /// The data directory.
    pub dir: TempDir,
    /// The engine, still open.
    pub engine: Engine,
    /// Orders run, warm-up included.
    pub orders: u64,
    /// Latency of every command.
    pub latencies: Recorder,
    /// What the final check said.
    pub verdict: String,
}

/// Benches `group/name`: each iteration runs `orders_per_iteration` orders shared by
/// `submitters` threads on one durable engine.
pub fn bench_on_sled(
    c: &mut Criterion,
    group: &str,
    name: &str,
    submitters: usize,
    orders_per_iteration: u64,
) -> Result<SledRun, WorkloadError> {
    let dir = tempfile::tempdir()?;
    let options = SledOptions {
        durability: Durability::Immediate,
        ..SledOptions::default()
    };
    let engine = Engine::open_with(dir.path(), options)?;
    let workload = Workload::set_up(&engine)?;
    let mut next = 0u64;
    let mut latencies = Recorder::new(true);
    let mut failure: Option<WorkloadError> = None;
    let mut criterion_group = c.benchmark_group(group);
    criterion_group.throughput(Throughput::Elements(orders_per_iteration));
    criterion_group.bench_function(name, |b| {
        b.iter_custom(|iterations| {
            let orders = iterations * orders_per_iteration;
            match workload.run_orders(&engine, next, orders, submitters, true) {
                Ok((recorder, elapsed)) => {
                    next += orders;
                    latencies.merge(recorder);
                    elapsed
                }
                Err(e) => {
                    failure.get_or_insert(e);
                    Duration::ZERO
                }
            }
        });
    });
    criterion_group.finish();
    if let Some(e) = failure {
        return Err(e);
    }
    let verdict = workload.verify(&engine, next)?;
    Ok(SledRun {
        dir,
        engine,
        orders: next,
        latencies,
        verdict,
    })
}
