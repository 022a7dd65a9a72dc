//! `o2c scenario run`: passing, failing and malformed files.

use std::path::Path;

use crate::{o2c, stderr, stdout, succeeded};

const SCENARIO: &str = r#"{
  "name": "A customer is registered",
  "at": "2026-03-02T09:00:00Z",
  "company": {"company_id": "NORTHWIND", "name": "Northwind",
              "base_currency": {"code": "USD", "decimals": 2}},
  "actors": {"sam": ["SalesManager"]},
  "steps": [
    {"actor": "sam", "command": {"RegisterCustomer": {"customer_id": "ACME", "name": "Acme",
        "payment_term_days": 30}}, "expect": "ok"},
    {"query": {"customer": "ACME"}, "expect": {"receivable": "0", "on_credit_hold": false}}
  ]
}"#;

fn scenario_file(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn scenario_run_passes_a_passing_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = scenario_file(dir.path(), "pass.json", SCENARIO);
    let out = succeeded(&o2c(&["scenario", "run", &file]));
    assert!(
        out.contains("scenario") && out.contains("A customer is registered"),
        "{out}"
    );
    assert!(out.contains("step 2 query customer ACME: ok"), "{out}");
    assert!(out.contains("1 of 1 scenario file(s) passed"), "{out}");
}

#[test]
fn scenario_run_fails_on_a_failing_file_showing_the_difference() {
    let dir = tempfile::tempdir().unwrap();
    let pass = scenario_file(dir.path(), "pass.json", SCENARIO);
    let fail = scenario_file(
        dir.path(),
        "fail.json",
        &SCENARIO.replace(r#""receivable": "0""#, r#""receivable": "125.00""#),
    );
    let output = o2c(&["scenario", "run", &fail, &pass]);
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    assert!(out.contains("step 2 query customer ACME: FAILED"), "{out}");
    assert!(out.contains("receivable: expected 125.00, actual 0"), "{out}");
    // The other file still ran.
    assert!(out.contains("1 of 2 scenario file(s) passed"), "{out}");
    assert!(
        stderr(&output).contains("fail.json (1 step(s) failed)"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn scenario_run_names_the_step_and_field_of_a_malformed_file() {
    let dir = tempfile::tempdir().unwrap();
    let bad = scenario_file(
        dir.path(),
        "bad.json",
        &SCENARIO.replace(r#""payment_term_days": 30"#, r#""payment_term_days": "thirty""#),
    );
    let output = o2c(&["scenario", "run", &bad]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.contains("bad.json: step 1, field command.RegisterCustomer"),
        "{message}"
    );
    assert!(message.contains("thirty"), "{message}");

    let output = o2c(&[
        "scenario",
        "run",
        &dir.path().join("missing.json").display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("missing.json"), "{}", stderr(&output));
}
