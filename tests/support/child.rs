//! Crash tests in a child process: a test starts one ignored test of its own binary as a
//! child working in a given directory, reads the "ack ..." lines the child prints for what
//! it has had acknowledged, and kills it (SIGKILL on Unix: no destructors, no flush).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command as Process, Stdio};

/// The environment variable naming the directory a child works in.
const CHILD_DIR: &str = "O2C_CRASH_CHILD_DIR";

/// In the child: the directory the parent test gave it.
pub fn child_dir() -> String {
    std::env::var(CHILD_DIR).expect("started by the crash test")
}

/// Starts the ignored test `test` of this test binary as a child working in `dir`, hands
/// what follows "ack " on each line it prints to `acknowledged` while that returns `true`,
/// then kills the child and waits for it. The child's output ending (it stopped) ends the
/// reading too.
pub fn run_child_until_killed(test: &str, dir: &Path, mut acknowledged: impl FnMut(&str) -> bool) {
    let mut child = Process::new(std::env::current_exe().unwrap())
        .args([test, "--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .env(CHILD_DIR, dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    for line in BufReader::new(stdout).lines() {
        if let Some(rest) = line.unwrap().strip_prefix("ack ") {
            if !acknowledged(rest) {
                break;
            }
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
}
