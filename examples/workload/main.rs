//! The reference workload as a plain program: N orders from quotation to paid invoice on
//! an in-memory or sled engine, with K submitting threads, printed as one table.
//!
//! ```text
//! cargo run --release --example workload -- --orders 10000 --store mem
//! cargo run --release --example workload -- --orders 2000 --store sled --submitters 1
//! cargo run --release --example workload -- --orders 20000 --store sled --submitters 64
//! cargo run --release --example workload -- --orders 20000 --store sled --durability buffered
//! cargo run --release --example workload -- --orders 20000 --store sled --durability buffered --archive
//! ```
//!
//! The flow and its set-up are in `driver.rs` (shared with the benches). The table gives
//! orders per second for the whole flow, commands and events per order, the mean latency
//! of each step, p50 / p99 command latency, the store's durability, the resident memory
//! grown per order, and a raw fsync probe on the data directory's disk: the time of one
//! small write + `fdatasync`, and the orders per second one submitter could reach if
//! every command cost exactly one such flush (the bound durable figures are read against;
//! `docs/performance.md` says how sled's own flush compares). The
//! run ends by verifying that every invoice is paid and stock is exact, and says so; a
//! failed check fails the program, so no figure is ever printed for a broken run.
#![allow(clippy::print_stdout)]

#[path = "driver.rs"]
mod driver;

use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, ValueEnum};
use driver::{Step, Workload, WorkloadError};
use o2c::uuid::Uuid;
use o2c::{Durability, Engine, EngineOptions, SledOptions};

/// Which store the engine runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Store {
    /// `Engine::in_memory`: nothing is written to disk.
    Mem,
    /// `Engine::open_with` on a sled data directory.
    Sled,
}

/// When a sled append counts as done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum DurabilityArg {
    /// Every command (every group commit) flushed with fsync before it is acknowledged.
    Immediate,
    /// Acknowledged in memory; sled flushes every 500 ms in the background.
    Buffered,
}

/// Runs the reference workload and prints one table of figures.
#[derive(Debug, Parser)]
#[command(about = "o2c reference workload: N orders from quotation to paid invoice")]
struct Args {
    /// Number of orders.
    #[arg(long, default_value_t = 10_000)]
    orders: u64,
    /// Store of the engine.
    #[arg(long, value_enum, default_value_t = Store::Mem)]
    store: Store,
    /// Threads submitting orders concurrently to the one shared engine.
    #[arg(long, default_value_t = 1)]
    submitters: usize,
    /// Durability of the sled store.
    #[arg(long, value_enum, default_value_t = DurabilityArg::Immediate)]
    durability: DurabilityArg,
    /// Data directory for sled (must be empty or absent); default: a fresh directory under
    /// the system temp dir, removed at the end.
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Keep the data directory made when `--dir` is not given.
    #[arg(long)]
    keep: bool,
    /// Write + fsync rounds of the disk probe.
    #[arg(long, default_value_t = 200)]
    fsync_rounds: u32,
    /// Archive each order once paid (`ArchiveOrder`, a ninth command per order): the
    /// order, its shipment, invoice and payment leave the in-memory book.
    #[arg(long)]
    archive: bool,
}

fn main() -> Result<(), WorkloadError> {
    let args = Args::parse();
    let (dir, made_here) = match &args.dir {
        Some(dir) => (dir.clone(), false),
        None => (
            std::env::temp_dir().join(format!("o2c-workload-{}", Uuid::new_v4().simple())),
            true,
        ),
    };
    let durability = match args.durability {
        DurabilityArg::Immediate => Durability::Immediate,
        DurabilityArg::Buffered => Durability::Buffered { flush_every_ms: 500 },
    };
    let engine = match args.store {
        Store::Mem => Engine::in_memory(),
        Store::Sled => {
            let options = EngineOptions::from(SledOptions {
                durability,
                ..SledOptions::default()
            });
            let engine = Engine::open_with(&dir, options)?;
            if engine.head().position != 0 {
                return Err(format!("{} holds a log already: give an empty directory", dir.display()).into());
            }
            engine
        }
    };
    let set_up_started = std::time::Instant::now();
    let workload = Workload::set_up(&engine)?;
    let workload = if args.archive {
        workload.archiving()
    } else {
        workload
    };
    let set_up = set_up_started.elapsed();
    let head_before = engine.head().position;
    let probe_dir = match args.store {
        Store::Sled => dir.clone(),
        Store::Mem => std::env::temp_dir(),
    };
    // The disk's sync time drifts, so it is probed right before and right after the run.
    let fsync_before = driver::fsync_probe(&probe_dir, args.fsync_rounds)?;
    let resident_before = driver::resident_bytes()?;
    let (mut recorder, elapsed) = workload.run_orders(&engine, 0, args.orders, args.submitters, true)?;
    let resident_after = driver::resident_bytes()?;
    let events = engine.head().position - head_before;
    let verdict = workload.verify(&engine, args.orders)?;
    let fsync_after = driver::fsync_probe(&probe_dir, args.fsync_rounds)?;
    let fsync = (fsync_before + fsync_after) / 2;
    engine.close()?;
    if made_here && args.store == Store::Sled && !args.keep {
        remove_when_released(&dir);
    }

    let orders = args.orders.max(1) as f64;
    let seconds = elapsed.as_secs_f64().max(f64::MIN_POSITIVE);
    let commands = recorder.commands();
    let per_order = commands as f64 / orders;
    let fsync_bound = 1.0 / (fsync.as_secs_f64().max(f64::MIN_POSITIVE) * per_order);
    let mut rows: Vec<(String, String)> = vec![
        (
            "store".into(),
            match args.store {
                Store::Mem => "in memory".into(),
                Store::Sled => format!("sled, {}", dir.display()),
            },
        ),
        (
            "durability".into(),
            match (args.store, durability) {
                (Store::Mem, _) => "none: nothing is written to disk".into(),
                (Store::Sled, Durability::Immediate) => {
                    "Immediate: each command flushed before it is acknowledged, one flush per group commit"
                        .into()
                }
                (Store::Sled, Durability::Buffered { flush_every_ms }) => {
                    format!(
                        "Buffered: acknowledged once written to the operating system, synced every {flush_every_ms} ms"
                    )
                }
            },
        ),
        ("submitters".into(), args.submitters.max(1).to_string()),
        ("orders".into(), args.orders.to_string()),
        (
            "set-up (not timed)".into(),
            format!("{:.2} s", set_up.as_secs_f64()),
        ),
        ("wall time".into(), format!("{seconds:.3} s")),
        ("orders/s".into(), format!("{:.0}", orders / seconds)),
        ("commands per order".into(), format!("{per_order:.2}")),
        ("commands/s".into(), format!("{:.0}", commands as f64 / seconds)),
        (
            "events per order".into(),
            format!("{:.2}", events as f64 / orders),
        ),
        (
            "command latency p50 / p99 / max".into(),
            format!(
                "{} / {} / {}",
                micros(recorder.quantile(0.50)),
                micros(recorder.quantile(0.99)),
                micros(recorder.quantile(1.0))
            ),
        ),
    ];
    for step in Step::ALL {
        if let Some(mean) = recorder.mean(step) {
            rows.push((format!("mean {}", step.command()), micros(Some(mean))));
        }
    }
    rows.extend([
        (
            "resident growth per order".into(),
            format!(
                "{:.0} B (incl. {} B of this program's latency samples)",
                resident_after.saturating_sub(resident_before) as f64 / orders,
                8.0 * per_order
            ),
        ),
        (
            "fsync probe".into(),
            format!(
                "{:.0} µs per 512 B write + fdatasync in {} (mean of {} rounds before the run, {:.0} µs, and after it, {:.0} µs)",
                fsync.as_secs_f64() * 1e6,
                probe_dir.display(),
                args.fsync_rounds,
                fsync_before.as_secs_f64() * 1e6,
                fsync_after.as_secs_f64() * 1e6,
            ),
        ),
        (
            format!("fsync bound, 1 submitter ({per_order:.0} flushes/order)"),
            format!("{fsync_bound:.0} orders/s"),
        ),
    ]);
    if args.store == Store::Sled {
        rows.push((
            "orders/s ÷ fsync bound".into(),
            format!("{:.2}", orders / seconds / fsync_bound),
        ));
    }
    rows.push(("check".into(), verdict));
    print_table(&rows);
    Ok(())
}

/// A duration in microseconds (or milliseconds past 10 ms).
fn micros(d: Option<Duration>) -> String {
    match d {
        None => "-".into(),
        Some(d) if d >= Duration::from_millis(10) => format!("{:.2} ms", d.as_secs_f64() * 1e3),
        Some(d) => format!("{:.1} µs", d.as_secs_f64() * 1e6),
    }
}

fn print_table(rows: &[(String, String)]) {
    let width = rows.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
    let value_width = rows.iter().map(|(_, v)| v.chars().count()).max().unwrap_or(0);
    println!("| {:<width$} | {:<value_width$} |", "o2c reference workload", "");
    println!("|{}|{}|", "-".repeat(width + 2), "-".repeat(value_width + 2));
    for (key, value) in rows {
        println!("| {key:<width$} | {value:<value_width$} |");
    }
}

/// Removes the data directory once sled's background threads let go of it.
fn remove_when_released(dir: &std::path::Path) {
    for _ in 0..50 {
        if std::fs::remove_dir_all(dir).is_ok() || !dir.exists() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
