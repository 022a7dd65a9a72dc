//! `o2c events`: the stored records as JSON lines, and its filters.

use o2c::{StreamId, StreamKind};

use crate::{json_lines, made_by_the_example, o2c_on, stderr, stored_records, succeeded};

#[test]
fn events_prints_each_stored_record_as_one_json_line() {
    let made = made_by_the_example();
    let out = succeeded(&o2c_on(made.dir.path(), &["events"]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len() as u64, made.head.position);
    // Exactly the bytes the store keeps: what each hash was computed over.
    assert_eq!(lines, stored_records(made.dir.path()));
    let records = json_lines(&out);
    for (record, event) in records.iter().zip(&made.events) {
        assert_eq!(record["position"], event.position);
        assert_eq!(record["hash"], event.hash.to_hex());
        assert_eq!(record["prev_hash"], event.prev_hash.to_hex());
        assert_eq!(record["stream"], event.stream.to_string());
    }
}

#[test]
fn events_filters_by_stream_position_and_business_date() {
    let made = made_by_the_example();
    let dir = made.dir.path();
    let stream = StreamId::new(StreamKind::Order, made.order.0).to_string();
    let records = json_lines(&succeeded(&o2c_on(dir, &["events", "--stream", &stream])));
    let expected: Vec<u64> = made
        .events
        .iter()
        .filter(|e| e.stream.to_string() == stream)
        .map(|e| e.position)
        .collect();
    assert!(expected.len() >= 4);
    let positions: Vec<u64> = records.iter().map(|r| r["position"].as_u64().unwrap()).collect();
    assert_eq!(positions, expected);

    let records = json_lines(&succeeded(&o2c_on(dir, &["events", "--from", "20"])));
    assert_eq!(records.len() as u64, made.head.position - 19);
    assert_eq!(records[0]["position"], 20);

    let until = "2026-03-04";
    let records = json_lines(&succeeded(&o2c_on(dir, &["events", "--until-date", until])));
    let expected = made
        .events
        .iter()
        .filter(|e| e.business_time.date_naive().to_string().as_str() <= until)
        .count();
    assert!(expected > 0 && expected < made.events.len());
    assert_eq!(records.len(), expected);

    let records = json_lines(&succeeded(&o2c_on(
        dir,
        &[
            "events",
            "--stream",
            &stream,
            "--from",
            "14",
            "--until-date",
            "2026-03-16",
        ],
    )));
    assert!(!records.is_empty());
    for record in &records {
        assert_eq!(record["stream"], stream.as_str());
        assert!(record["position"].as_u64().unwrap() >= 14);
        assert!(record["business_time"].as_str().unwrap() < "2026-03-17");
    }

    let output = o2c_on(dir, &["events", "--stream", "order-42"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("not a stream id"), "{}", stderr(&output));
}
