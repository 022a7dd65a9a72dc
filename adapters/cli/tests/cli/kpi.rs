//! `o2c kpi`: every table, as of a date and by default.

use crate::{V4, data_dir_of, listed_positions, made_by_the_example, o2c_on, stderr, succeeded};

#[test]
fn kpi_prints_every_table() {
    let made = made_by_the_example();
    let dir = made.dir.path();
    // On 10 March the second shipment (2 gadgets) is still open and the first invoice unpaid.
    let out = succeeded(&o2c_on(dir, &["kpi", "--as-of", "2026-03-10"]));
    for heading in [
        "Key figures of Northwind Distribution as of 2026-03-10",
        "rates over 2026-02-09 to 2026-03-10",
        "Order backlog as of 2026-03-10",
        "Fill rate of first shipments, 2026-02-09 to 2026-03-10",
        "On-time shipment of lines shipped in full",
        "Cycle times in days",
        "Receivables aging as of 2026-03-10",
        "Days sales outstanding, 2026-02-09 to 2026-03-10 (30 days)",
        "Orders on credit hold as of 2026-03-10",
    ] {
        assert!(out.contains(heading), "{heading:?} missing:\n{out}");
    }
    let row = |start: &str| {
        out.lines()
            .find(|line| line.trim_start().starts_with(start) && line.contains("GAD-200"))
            .map(str::to_string)
    };
    let backlog = row("Acme Retail Ltd").unwrap_or_else(|| panic!("no backlog row:\n{out}"));
    assert!(
        backlog.contains("2 pcs") && backlog.contains("79.80 USD"),
        "{backlog}"
    );
    assert!(
        out.contains("total USD: open 79.80 USD, on hold 0.00 USD"),
        "{out}"
    );
    // The first invoice (315.20) is open and not yet due.
    let aging = out
        .lines()
        .skip_while(|line| !line.starts_with("Receivables aging"))
        .find(|line| line.trim_start().starts_with("all customers"))
        .unwrap_or_else(|| panic!("no aging total:\n{out}"));
    assert!(aging.contains("315.20 USD"), "{aging}");

    // By default: as of the latest business date in the log.
    let out = succeeded(&o2c_on(dir, &["kpi"]));
    assert!(out.contains("as of 2026-03-24"), "{out}");
    assert!(out.contains("rates over 2026-02-23 to 2026-03-24"), "{out}");

    let output = o2c_on(dir, &["kpi", "--from", "2026-04-01", "--to", "2026-03-01"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("after it ends"), "{}", stderr(&output));
}

#[test]
fn history_and_kpi_read_a_log_with_every_kind_of_event() {
    let dir = data_dir_of(V4);
    let out = succeeded(&o2c_on(dir.path(), &["history", "INV/2026/00004"]));
    // Posted, credit from another invoice's credit note, a cheque that bounced, dunning,
    // and the rest written off.
    assert_eq!(
        listed_positions(&out),
        vec![101, 102, 104, 106, 107, 108, 109, 110],
        "{out}"
    );
    for phrase in [
        "5.00 USD of credit note RINV/2026/00001 applied to invoice INV/2026/00004",
        "returned by the bank on 2026-03-03: insufficient funds",
        "Dunning notice at level 1 (Reminder) sent to Gamma Trading",
        "7.00 USD of invoice INV/2026/00004 written off on 2026-05-12",
    ] {
        assert!(out.contains(phrase), "{phrase:?} missing:\n{out}");
    }

    let out = succeeded(&o2c_on(dir.path(), &["kpi"]));
    assert!(out.contains("as of 2026-05-12 (log position 110)"), "{out}");
    let gamma = out
        .lines()
        .find(|line| line.trim_start().starts_with("Gamma Trading") && line.contains("GADGET"))
        .unwrap_or_else(|| panic!("no backlog row of Gamma Trading:\n{out}"));
    assert!(
        gamma.contains("44 pcs") && gamma.contains("110.00 USD"),
        "{gamma}"
    );
    // Backlog values are exact: no rounding hides a part of a cent.
    assert!(out.contains("4.7196 USD"), "{out}");
}
