//! Bench 5: every projection rebuilt from position 0 (`Projections::rebuild`: the events
//! folded into a fresh book and fresh projections), in events per second.
//!
//! The events are the reference workload's, run once on an in-memory engine and read
//! back through `Engine::events`; their number of orders is `O2C_BENCH_PROJECTION_ORDERS`
//! (default 10,000, about 80,000 events; 200 when run as a test with
//! `cargo test --benches`). `cargo bench --bench projections`.

// Each bench uses part of the shared driver.
#[allow(dead_code)]
#[path = "../examples/workload/driver.rs"]
mod driver;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use driver::{Workload, WorkloadError};
use o2c::projections::Projections;
use o2c::{Engine, RecordedEvent};

/// Default number of orders whose events are folded.
const DEFAULT_ORDERS: u64 = 10_000;

/// Orders run as a test (`cargo test --benches`, criterion's test mode).
const TEST_ORDERS: u64 = 200;

fn orders_wanted() -> u64 {
    if !std::env::args().any(|a| a == "--bench") {
        return TEST_ORDERS;
    }
    std::env::var("O2C_BENCH_PROJECTION_ORDERS")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(DEFAULT_ORDERS)
}

fn workload_events(orders: u64) -> Result<Vec<RecordedEvent>, WorkloadError> {
    let engine = Engine::in_memory();
    let workload = Workload::set_up(&engine)?;
    workload.run_orders(&engine, 0, orders, 1, false)?;
    workload.verify(&engine, orders)?;
    let head = usize::try_from(engine.head().position)?;
    let events = engine.events(1, head)?;
    // The rebuilt projections must be the live ones.
    let live = engine.projections(Clone::clone);
    if Projections::rebuild(&events) != live {
        return Err("projections rebuilt from position 0 differ from the live ones".into());
    }
    Ok(events)
}

fn rebuild(c: &mut Criterion) {
    let events = match workload_events(orders_wanted()) {
        Ok(events) => events,
        Err(e) => {
            eprintln!("the workload failed: {e}");
            std::process::exit(1);
        }
    };
    let mut group = c.benchmark_group("projections");
    group.throughput(Throughput::Elements(events.len() as u64));
    group.bench_function(format!("rebuild_{}_events", events.len()), |b| {
        b.iter(|| black_box(Projections::rebuild(black_box(&events))));
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    targets = rebuild
}
criterion_main!(benches);
