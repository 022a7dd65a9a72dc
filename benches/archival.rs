//! Archiving settled orders out of a large book: the time of one `ArchiveOrder`, which
//! must not grow with the number of documents the book holds.
//!
//! An in-memory engine runs `O2C_BENCH_ARCHIVAL_ORDERS` orders of the reference workload
//! from quotation to paid invoice (default 20,000; 50 when run as a test with
//! `cargo test --benches`); each sample then archives the oldest paid orders, one command
//! each, after first running as many new ones (not timed), so the book keeps that many
//! paid orders throughout. Each archival is checked to take its invoice and payment with
//! it. `cargo bench --bench archival`.

// Each bench uses part of the shared driver.
#[allow(dead_code)]
#[path = "../examples/workload/driver.rs"]
mod driver;

use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use driver::{Recorder, Workload};
use o2c::Engine;

/// Default number of paid orders the book holds.
const DEFAULT_ORDERS: u64 = 20_000;

/// Orders run as a test (`cargo test --benches`, criterion's test mode).
const TEST_ORDERS: u64 = 50;

fn orders_wanted() -> u64 {
    if !std::env::args().any(|a| a == "--bench") {
        return TEST_ORDERS;
    }
    std::env::var("O2C_BENCH_ARCHIVAL_ORDERS")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(DEFAULT_ORDERS)
}

fn archival(c: &mut Criterion) {
    let orders = orders_wanted();
    let engine = Engine::in_memory();
    let workload = Workload::set_up(&engine).unwrap_or_else(|e| fail(&e));
    workload
        .run_orders(&engine, 0, orders, 1, false)
        .unwrap_or_else(|e| fail(&e));
    // Orders `oldest..next` are paid and in the book.
    let (mut oldest, mut next) = (0u64, orders);
    let mut recorder = Recorder::new(false);
    let mut group = c.benchmark_group("archival");
    group.throughput(Throughput::Elements(1));
    group.bench_function(format!("archive_one_of_{orders}_paid_orders"), |b| {
        b.iter_custom(|count| {
            workload
                .run_orders(&engine, next, count, 1, false)
                .unwrap_or_else(|e| fail(&e));
            next += count;
            let started = Instant::now();
            for k in oldest..oldest + count {
                workload
                    .archive_order(&engine, k, &mut recorder)
                    .unwrap_or_else(|e| fail(&e));
            }
            oldest += count;
            started.elapsed()
        });
    });
    group.finish();
    let live = engine.read(|book| book.orders().count() as u64);
    if live != next - oldest {
        fail(&format!("{live} orders in the book, expected {}", next - oldest).into());
    }
}

/// A bench whose workload fails has no figure to give.
fn fail(error: &driver::WorkloadError) -> ! {
    eprintln!("the archival bench failed: {error}");
    std::process::exit(1)
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(1));
    targets = archival
}
criterion_main!(benches);
