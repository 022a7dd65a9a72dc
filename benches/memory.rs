//! Bench 6: resident memory per completed order after many orders (the size is
//! 100,000: `O2C_BENCH_MEMORY_ORDERS=100000 cargo bench --bench memory`; default 20,000).
//!
//! Not a timing: each store is measured in a child process of its own (this program run
//! again with `O2C_BENCH_MEMORY_CHILD=mem|sled`), so memory one measurement freed cannot
//! hide the next one's growth. The child sets up the reference workload, reads its
//! resident set (`VmRSS`), runs the orders on one submitter without keeping latencies,
//! verifies them, reads `VmRSS` again and reports the growth divided by the orders.
//! In memory the figure holds the book, the projections and the in-memory log; on sled
//! (`Durability::Buffered`, a temporary directory) the book, the projections and sled's
//! page cache. A third child runs the same on sled archiving each order once paid
//! (`ArchiveOrder`): what stays per order is then the log's indexes and the ids the book
//! keeps. `cargo bench --bench memory`.

// Each bench uses part of the shared driver.
#[allow(dead_code)]
#[path = "../examples/workload/driver.rs"]
mod driver;

use std::process::Command;
use std::time::Instant;

use driver::{Workload, WorkloadError};
use o2c::{Durability, Engine, SledOptions};

/// Default number of orders.
const DEFAULT_ORDERS: u64 = 20_000;

fn orders_wanted() -> u64 {
    std::env::var("O2C_BENCH_MEMORY_ORDERS")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(DEFAULT_ORDERS)
}

fn main() {
    let result = match std::env::var("O2C_BENCH_MEMORY_CHILD") {
        Ok(store) => measure(&store, orders_wanted()),
        Err(_) => parent(),
    };
    if let Err(e) = result {
        eprintln!("the memory bench failed: {e}");
        std::process::exit(1);
    }
}

/// Runs one child per store and passes its report on.
fn parent() -> Result<(), WorkloadError> {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: skip then.
    if !std::env::args().any(|a| a == "--bench") {
        return Ok(());
    }
    let me = std::env::current_exe()?;
    for store in ["mem", "sled", "sled-archived"] {
        let status = Command::new(&me).env("O2C_BENCH_MEMORY_CHILD", store).status()?;
        if !status.success() {
            return Err(format!("the {store} measurement failed ({status})").into());
        }
    }
    Ok(())
}

fn measure(store: &str, orders: u64) -> Result<(), WorkloadError> {
    let dir = tempfile::tempdir()?;
    let engine = match store {
        "mem" => Engine::in_memory(),
        "sled" | "sled-archived" => Engine::open_with(
            dir.path(),
            SledOptions {
                durability: Durability::Buffered { flush_every_ms: 500 },
                ..SledOptions::default()
            },
        )?,
        other => return Err(format!("unknown store {other}").into()),
    };
    let workload = Workload::set_up(&engine)?;
    let workload = if store == "sled-archived" {
        workload.archiving()
    } else {
        workload
    };
    let before = driver::resident_bytes()?;
    let started = Instant::now();
    workload.run_orders(&engine, 0, orders, 1, false)?;
    let elapsed = started.elapsed();
    let after = driver::resident_bytes()?;
    let verdict = workload.verify(&engine, orders)?;
    let events = engine.head().position;
    eprintln!(
        "memory/{store}: {:.0} resident bytes per completed order ({:.1} MiB grown over {orders} orders, \
         {events} events, {:.1} s); {verdict}",
        after.saturating_sub(before) as f64 / orders.max(1) as f64,
        after.saturating_sub(before) as f64 / (1024.0 * 1024.0),
        elapsed.as_secs_f64()
    );
    engine.close()?;
    Ok(())
}
