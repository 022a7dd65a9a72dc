//! Bench 1: the whole reference workload on the in-memory engine, in orders per second.
//!
//! Each sample sets up a fresh in-memory engine (not timed) and runs its orders from
//! quotation to paid invoice on one submitter; criterion reports the throughput in
//! orders (elements) per second. The run is verified after each sample, so a figure is
//! never of a broken run. `cargo bench --bench workload_memory`.

// Each bench uses part of the shared driver.
#[allow(dead_code)]
#[path = "../examples/workload/driver.rs"]
mod driver;

use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use driver::Workload;
use o2c::Engine;

fn in_memory_workload(c: &mut Criterion) {
    let mut group = c.benchmark_group("in_memory");
    group.throughput(Throughput::Elements(1));
    group.bench_function("order_to_cash", |b| {
        b.iter_custom(|orders| {
            let engine = Engine::in_memory();
            let workload = Workload::set_up(&engine).unwrap_or_else(|e| fail(&e));
            let (_, elapsed) = workload
                .run_orders(&engine, 0, orders, 1, false)
                .unwrap_or_else(|e| fail(&e));
            workload.verify(&engine, orders).unwrap_or_else(|e| fail(&e));
            elapsed
        });
    });
    group.finish();
}

/// A bench whose workload fails has no figure to give.
fn fail(error: &driver::WorkloadError) -> ! {
    eprintln!("the workload failed: {error}");
    std::process::exit(1)
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    targets = in_memory_workload
}
criterion_main!(benches);
