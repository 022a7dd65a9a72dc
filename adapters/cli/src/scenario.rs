//! `o2c scenario run`: runs scenario files (business stories written as JSON, see
//! `docs/scenarios.md`) on fresh in-memory engines and prints each report: every step,
//! and for a step that went otherwise than expected, each difference between what the file
//! expected and what the engine did.
//!
//! Every file is run, even after one fails; the command fails when any scenario fails or
//! any file cannot be read or is malformed (the message names the file, the step and the
//! field).

use std::io::Write;
use std::path::PathBuf;

use o2c::scenario;

use crate::failure::Failure;

/// Runs every file in order and prints its report; fails if any did not pass.
pub fn run(files: &[PathBuf], out: &mut dyn Write) -> Result<(), Failure> {
    let mut failed: Vec<String> = Vec::new();
    for file in files {
        match scenario::run_file(file) {
            Ok(report) => {
                writeln!(out, "{report}")?;
                writeln!(out)?;
                if !report.passed() {
                    failed.push(format!(
                        "{} ({} step(s) failed)",
                        file.display(),
                        report.failures().count()
                    ));
                }
            }
            Err(error) => {
                // Keep the order of what the terminal shows: reports so far, then this.
                out.flush()?;
                eprintln!("o2c: {error}");
                failed.push(format!("{} (not run)", file.display()));
            }
        }
    }
    let passed = files.len() - failed.len();
    writeln!(out, "{passed} of {} scenario file(s) passed", files.len())?;
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Failure::new(format!("scenarios failed: {}", failed.join(", "))))
    }
}
