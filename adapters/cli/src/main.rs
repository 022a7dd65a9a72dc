//! # o2c: the command line
//!
//! A thin front over the embedding crate for the people around an o2c log: scenario
//! authors (`scenario run`), operators (`replay`), auditors (`audit verify`, `events`,
//! `history`) and managers (`kpi`). It never changes the log: every command here only
//! reads it (`replay` rewrites the stored projections, which are derived data).
//!
//! Every failure prints one clear message to standard error and ends the process with a
//! non-zero exit code; results go to standard output, progress to standard error.

// A command-line program's output is standard output: printing is its purpose.
#![allow(clippy::print_stdout)]

mod audit;
mod data;
mod events;
mod failure;
mod format;
mod history;
mod kpi;
mod replay;
mod scenario;
mod summary;
mod table;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use o2c::StreamId;
use o2c::chrono::NaiveDate;

use crate::failure::Failure;

/// o2c: run scenarios, rebuild and audit an o2c event log, and read it as history and KPIs.
#[derive(Debug, Parser)]
#[command(name = "o2c", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Scenario files: business stories with their expected outcome.
    Scenario {
        #[command(subcommand)]
        action: ScenarioAction,
    },
    /// Rebuild the state and every projection from the log, and store the projections.
    Replay {
        /// The engine's data directory.
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
    },
    /// Audit the log.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
    /// Print stored events as JSON lines, exactly as they were hashed.
    Events {
        /// The engine's data directory.
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// Only this stream, e.g. order-0c7d5a8e-1f0b-4a4e-9d1e-3b5f2c6a7d80.
        #[arg(long, value_name = "STREAM")]
        stream: Option<StreamId>,
        /// Only events at this log position or later.
        #[arg(long, value_name = "POSITION", default_value_t = 1)]
        from: u64,
        /// Only events whose business date is on or before this date (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        until_date: Option<NaiveDate>,
    },
    /// How an order, invoice, customer, return, claim (or any record) got to its state.
    History {
        /// The engine's data directory.
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// A record's id: a UUID, or a stream id such as order-0c7d5a8e-1f0b-4a4e-9d1e-3b5f2c6a7d80;
        /// or an invoice or credit-note number such as INV/2026/00001.
        entity: String,
    },
    /// The key figures: backlog, fill rate, on-time shipment, cycle times, aging, DSO,
    /// credit holds, returns, open claims, claim service levels, disputes on hold.
    Kpi {
        /// The engine's data directory.
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// The business date the figures are taken at (default: the latest business date
        /// in the log).
        #[arg(long, value_name = "DATE")]
        as_of: Option<NaiveDate>,
        /// First day of the period for rates and cycle times (default: 29 days before
        /// the end of the period).
        #[arg(long, value_name = "DATE")]
        from: Option<NaiveDate>,
        /// Last day of the period for rates and cycle times (default: the as-of date).
        #[arg(long, value_name = "DATE")]
        to: Option<NaiveDate>,
    },
}

#[derive(Debug, Subcommand)]
enum ScenarioAction {
    /// Run scenario files and print each report; fails if any scenario fails.
    Run {
        /// The scenario files.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum AuditAction {
    /// Verify the hash chain of the whole log; print its head, or where it breaks.
    Verify {
        /// The engine's data directory.
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
    },
}

fn run(cli: Cli, out: &mut dyn Write) -> Result<(), Failure> {
    match cli.command {
        Command::Scenario {
            action: ScenarioAction::Run { files },
        } => scenario::run(&files, out),
        Command::Replay { data } => replay::run(&data, out),
        Command::Audit {
            action: AuditAction::Verify { data },
        } => audit::verify(&data, out),
        Command::Events {
            data,
            stream,
            from,
            until_date,
        } => events::run(
            &data,
            &events::Filter {
                stream,
                from,
                until_date,
            },
            out,
        ),
        Command::History { data, entity } => history::run(&data, &entity, out),
        Command::Kpi {
            data,
            as_of,
            from,
            to,
        } => kpi::run(&data, kpi::Period { as_of, from, to }, out),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let result = run(cli, &mut out);
    // What was written before a failure is still shown, before the failure's message.
    let flushed = out.flush().map_err(Failure::from);
    match result.and(flushed) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::ClosedOutput) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("o2c: {failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}
