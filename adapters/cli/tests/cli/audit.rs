//! `o2c audit verify`, and what every read command does with a missing, foreign, busy or
//! tampered data directory.

use crate::{V1, data_dir_of, made_by_the_example, o2c_on, stderr, succeeded, tamper};

#[test]
fn audit_verify_prints_the_head_of_an_intact_log() {
    let made = made_by_the_example();
    let out = succeeded(&o2c_on(made.dir.path(), &["audit", "verify"]));
    assert!(
        out.contains(&format!("{} events, hash chain intact", made.head.position)),
        "{out}"
    );
    assert!(
        out.contains(&format!("head position: {}", made.head.position)),
        "{out}"
    );
    assert!(
        out.contains(&format!("head hash:     {}", made.head.hash)),
        "{out}"
    );
}

#[test]
fn audit_verify_names_the_position_of_a_tampered_event() {
    let made = made_by_the_example();
    // Position 8 is the first stock receipt, against purchase order PO-7781.
    tamper(made.dir.path(), 8, "PO-7781", "PO-1234");
    let output = o2c_on(made.dir.path(), &["audit", "verify"]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(message.contains("fails verification at position 8"), "{message}");
    assert!(message.contains("altered"), "{message}");
    assert!(message.contains("positions 1 to 7 verify"), "{message}");
    // Nothing reads a log that fails verification.
    for command in [
        &["events"][..],
        &["replay"],
        &["history", "INV/2026/00001"],
        &["kpi"],
    ] {
        let output = o2c_on(made.dir.path(), command);
        assert!(!output.status.success(), "{command:?} read a tampered log");
        assert!(
            stderr(&output).contains("position 8"),
            "{command:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn read_commands_refuse_a_missing_data_directory_without_creating_it() {
    let parent = tempfile::tempdir().unwrap();
    let missing = parent.path().join("no-such-dir");
    for command in [
        &["audit", "verify"][..],
        &["events"],
        &["replay"],
        &["history", "INV/2026/00001"],
        &["kpi"],
    ] {
        let output = o2c_on(&missing, command);
        assert_eq!(output.status.code(), Some(1), "{command:?}");
        assert!(
            stderr(&output).contains("does not exist"),
            "{command:?}: {}",
            stderr(&output)
        );
        assert!(!missing.exists(), "{command:?} created the data directory");
    }
    // A directory that holds no log is not taken for one (and gets none).
    let empty = tempfile::tempdir().unwrap();
    let output = o2c_on(empty.path(), &["audit", "verify"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("not an o2c data directory"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read_dir(empty.path()).unwrap().count(), 0);
}

#[test]
fn an_older_log_verifies_and_its_events_print_as_stored() {
    let dir = data_dir_of(V1);
    let count = V1.lines().count();
    let out = succeeded(&o2c_on(dir.path(), &["audit", "verify"]));
    assert!(out.contains(&format!("log verified: {count} events")), "{out}");

    // Version-1 records print in their own shape, byte for byte: the text their hashes
    // cover, not today's shape of the same events.
    let out = succeeded(&o2c_on(dir.path(), &["events"]));
    assert_eq!(out.lines().collect::<Vec<_>>(), V1.lines().collect::<Vec<_>>());
}

#[test]
fn a_data_directory_another_process_holds_is_reported_as_in_use() {
    let made = made_by_the_example();
    let holder = sled::open(made.dir.path()).unwrap();
    let output = o2c_on(made.dir.path(), &["audit", "verify"]);
    drop(holder);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("is in use by another process"),
        "{}",
        stderr(&output)
    );
}
