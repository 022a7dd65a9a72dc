//! The JSON scenario suite: every `tests/scenarios/*.json` file runs on a fresh engine and
//! must pass step by step (see `docs/scenarios.md`). Also proves that the runner reports a
//! wrong expectation as a readable difference and goes on, that a malformed file is
//! refused naming the file, step and field, and that the examples in `docs/scenarios.md`
//! are files of the suite, word for word.

use std::path::{Path, PathBuf};

use o2c::scenario::{self, ScenarioError, StepOutcome};
use serde_json::Value;

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios")
}

fn suite_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(suite_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_scenario_file_passes() {
    let files = suite_files();
    let mut failed = Vec::new();
    for file in &files {
        match scenario::run_file(file) {
            Ok(report) if report.passed() => {}
            Ok(report) => failed.push(report.to_string()),
            Err(error) => failed.push(error.to_string()),
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
    assert!(files.len() >= 8, "the suite has {} files", files.len());
}

/// A small scenario: an order of 5 widgets of which 3 can ship.
fn partial_shipment(steps: &str) -> String {
    format!(
        r#"{{
  "name": "partial shipment",
  "at": "2026-03-02T09:00:00Z",
  "company": {{"company_id": "CO", "name": "Co", "base_currency": {{"code": "USD", "decimals": 2}}}},
  "actors": {{"ops": ["Admin", "SalesManager", "SalesRep", "WarehouseOperator"]}},
  "steps": [
    {{"actor": "ops", "command": {{"RegisterWarehouse": {{"warehouse_id": "WH", "code": "WH", "name": "Main"}}}}}},
    {{"actor": "ops", "command": {{"RegisterProduct": {{"product_id": "WIDGET", "sku": "W", "name": "Widget",
      "unit": {{"code": "pcs", "decimals": 0}}, "list_price": {{"amount": "10.00", "currency": "USD"}}}}}}}},
    {{"actor": "ops", "command": {{"RegisterCustomer": {{"customer_id": "ACME", "name": "Acme", "payment_term_days": 30}}}}}},
    {{"actor": "ops", "command": {{"ReceiveStock": {{"product_id": "WIDGET", "warehouse_id": "WH", "quantity": "3"}}}}}},
    {{"actor": "ops", "command": {{"CreateQuotation": {{"order_id": "SO-1", "customer_id": "ACME", "warehouse_id": "WH",
      "lines": [{{"product_id": "WIDGET", "quantity": "5"}}]}}}}}},
    {{"actor": "ops", "command": {{"ConfirmOrder": {{"order_id": "SO-1"}}}}}},
    {{"actor": "ops", "command": {{"ReserveStock": {{"order_id": "SO-1"}}}}}},
    {{"actor": "ops", "command": {{"ShipOrder": {{"shipment_id": "SH-1", "order_id": "SO-1"}}}}}},
    {steps}
  ]
}}"#
    )
}

#[test]
fn a_wrong_expectation_fails_with_a_readable_difference_and_the_run_goes_on() {
    let text = partial_shipment(
        r#"{"query": {"order": "SO-1"}, "expect": {"lines": [{"ordered": "5", "delivered": "5"}]}},
    {"actor": "ops", "command": {"ReserveStock": {"order_id": "SO-1"}}, "expect": "ok"},
    {"actor": "ops", "command": {"CloseOrder": {"order_id": "SO-1", "reason": "rest not wanted"}}, "expect": {"error": "OrderIsClosed"}},
    {"query": {"order": "SO-1"}, "expect": {"status": "Closed", "lines": [{"delivered": "3.00"}]}}"#,
    );
    let parsed = scenario::parse("inline.json", &text).unwrap();
    let report = scenario::run(&parsed);
    assert!(!report.passed());
    let failed: Vec<usize> = report.failures().map(|s| s.number).collect();
    assert_eq!(failed, [9, 10, 11], "{report}");
    let shown = report.to_string();
    assert!(shown.contains("step 8 ShipOrder SO-1: ok"), "{shown}");
    assert!(
        shown.contains("step 9 query order SO-1: FAILED\n    lines[0].delivered: expected 5, actual 3"),
        "{shown}"
    );
    assert!(
        shown.contains(
            "step 10 ReserveStock SO-1: FAILED\n    outcome: expected ok, actual error NoStockAvailable"
        ),
        "{shown}"
    );
    assert!(
        shown.contains("step 11 CloseOrder SO-1: FAILED\n    outcome: expected error OrderIsClosed, actual ok (OrderClosed)"),
        "{shown}"
    );
    // The run went on: the close happened, and the last query saw it.
    assert!(shown.contains("step 12 query order SO-1: ok"), "{shown}");
    let StepOutcome::Failed(differences) = &report.steps[9].outcome else {
        panic!("step 9 passed: {report}")
    };
    assert_eq!(differences.len(), 1);
    assert_eq!(differences[0].path, "lines[0].delivered");
    assert_eq!(
        (differences[0].expected.as_str(), differences[0].actual.as_str()),
        ("5", "3")
    );
}

fn malformed(text: &str) -> (String, Option<usize>, String, String) {
    match scenario::parse("tests/scenarios/broken.json", text) {
        Err(ScenarioError::Malformed {
            file,
            step,
            field,
            message,
        }) => (file, step, field, message),
        Err(other) => panic!("not a malformed-file error: {other}"),
        Ok(_) => panic!("accepted"),
    }
}

#[test]
fn malformed_input_names_the_file_the_step_and_the_field() {
    let missing_order = partial_shipment(r#"{"actor": "ops", "command": {"ConfirmOrder": {}}}"#);
    let (file, step, field, message) = malformed(&missing_order);
    assert_eq!(file, "tests/scenarios/broken.json");
    assert_eq!(step, Some(9));
    assert_eq!(field, "command.ConfirmOrder.order_id");
    assert!(message.contains("missing field"), "{message}");
    let shown = scenario::parse("tests/scenarios/broken.json", &missing_order)
        .err()
        .unwrap()
        .to_string();
    assert!(
        shown.starts_with(
            "tests/scenarios/broken.json: step 9, field command.ConfirmOrder.order_id: missing field"
        ),
        "{shown}"
    );

    let cases = [
        (
            r#"{"actor": "ops", "command": {"ConfirmOrdr": {"order_id": "SO-1"}}}"#,
            "command.ConfirmOrdr",
        ),
        (
            r#"{"actor": "nobody", "command": {"ConfirmOrder": {"order_id": "SO-1"}}}"#,
            "roles",
        ),
        (
            r#"{"actor": "ops", "roles": ["Boss"], "command": {"ConfirmOrder": {"order_id": "SO-1"}}}"#,
            "roles[0]",
        ),
        (
            r#"{"actor": "ops", "at": "yesterday", "command": {"ConfirmOrder": {"order_id": "SO-1"}}}"#,
            "at",
        ),
        (
            r#"{"actor": "ops", "command": {"ConfirmOrder": {"order_id": "SO-1"}}, "expect": "fine"}"#,
            "expect",
        ),
        (
            r#"{"actor": "ops", "command": {"ConfirmOrder": {"order_id": "SO-1"}}, "expect": {"events": ["Confirmed"]}}"#,
            "expect.events[0]",
        ),
        (
            r#"{"actor": "ops", "command": {"ConfirmOrder": {"order_id": "SO-1"}}, "expcet": "ok"}"#,
            "expcet",
        ),
        (
            r#"{"actor": "ops", "command": {"CreateQuotation": {"order_id": "SO-2", "customer_id": "ACME",
                "warehouse_id": "WH", "lines": [{"product_id": "WIDGET", "quantity": "1", "discount_precent": "5"}]}}}"#,
            "command.CreateQuotation.lines[0].discount_precent",
        ),
        (r#"{"query": {"order": "SO-1"}}"#, "expect"),
        (r#"{"query": {"orders": "SO-1"}, "expect": {}}"#, "query.orders"),
        (
            r#"{"query": {"stock": {"location": "WH/Stock"}}, "expect": {}}"#,
            "query.stock.product",
        ),
        (
            r#"{"query": {"fill_rate": {"from": "2026-03-01"}}, "expect": {}}"#,
            "query.fill_rate.to",
        ),
        (
            r#"{"query": {"aging": {"as_of": "03/02/2026"}}, "expect": {}}"#,
            "query.aging.as_of",
        ),
    ];
    for (step, expected_field) in cases {
        let (_, number, field, message) = malformed(&partial_shipment(step));
        assert_eq!(
            (number, field.as_str()),
            (Some(9), expected_field),
            "{step}: {message}"
        );
    }

    // Header problems name no step.
    let (_, step, field, _) = malformed(r#"{"name": "x", "at": "2026-03-02", "steps": []}"#);
    assert_eq!((step, field.as_str()), (None, "company"));
    let (_, step, field, message) = malformed("{\"name\": \"x\",\n \"at\": }");
    assert_eq!((step, field.as_str()), (None, "(document)"));
    assert!(message.contains("line 2"), "{message}");
}

#[test]
fn a_missing_file_is_an_io_error_naming_it() {
    let error = scenario::run_file(&suite_dir().join("no-such-file.json"))
        .err()
        .unwrap();
    assert!(matches!(error, ScenarioError::Io { .. }), "{error}");
    assert!(error.to_string().contains("no-such-file.json"), "{error}");
}

/// The JSON blocks of `docs/scenarios.md` introduced by a line naming a suite file.
fn documented_examples() -> Vec<(String, Value)> {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/scenarios.md"))
        .unwrap();
    let mut out = Vec::new();
    let mut lines = doc.lines();
    while let Some(line) = lines.next() {
        let Some(rest) = line.strip_prefix("File: `tests/scenarios/") else {
            continue;
        };
        let name = rest.trim_end_matches(['`', ':', ' ']).to_string();
        let mut block = String::new();
        let mut inside = false;
        for line in lines.by_ref() {
            match (inside, line.trim()) {
                (false, "```json") => inside = true,
                (false, _) => {}
                (true, "```") => break,
                (true, _) => {
                    block.push_str(line);
                    block.push('\n');
                }
            }
        }
        let value = serde_json::from_str(&block).unwrap_or_else(|e| panic!("docs example {name}: {e}"));
        out.push((name, value));
    }
    out
}

#[test]
fn the_documented_examples_are_files_of_the_suite() {
    let examples = documented_examples();
    assert!(
        examples.len() >= 6,
        "docs/scenarios.md shows {} suite files",
        examples.len()
    );
    for (name, documented) in examples {
        let text = std::fs::read_to_string(suite_dir().join(&name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let file: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            documented, file,
            "docs/scenarios.md shows {name} differently from the file"
        );
    }
}
