//! `o2c history`: an order's, an invoice's story with business time, actor and summary.

use std::collections::BTreeSet;

use o2c::{Engine, StreamId, StreamKind};

use crate::{listed_positions, made_by_the_example, o2c_on, stderr, succeeded};

#[test]
fn history_of_the_example_order_tells_its_story_in_order() {
    let made = made_by_the_example();
    let out = succeeded(&o2c_on(made.dir.path(), &["history", &made.order.0.to_string()]));
    assert!(out.starts_with(&format!("Order {}", made.order.0)), "{out}");

    // Its own stream, its shipments, its invoices and the payments settling them.
    let engine = Engine::open(made.dir.path()).unwrap();
    let mut streams: BTreeSet<StreamId> = BTreeSet::from([StreamId::new(StreamKind::Order, made.order.0)]);
    engine.read(|book| {
        let invoices: Vec<_> = book
            .invoices()
            .filter(|i| i.order_id == made.order)
            .map(|i| i.id)
            .collect();
        streams.extend(
            book.shipments_of(made.order)
                .map(|s| StreamId::new(StreamKind::Shipment, s.id.0)),
        );
        streams.extend(invoices.iter().map(|i| StreamId::new(StreamKind::Invoice, i.0)));
        streams.extend(
            book.payments()
                .filter(|p| p.allocations.iter().any(|a| invoices.contains(&a.invoice_id)))
                .map(|p| StreamId::new(StreamKind::Payment, p.id.0)),
        );
    });
    engine.close().unwrap();
    let expected: Vec<u64> = made
        .events
        .iter()
        .filter(|e| streams.contains(&e.stream))
        .map(|e| e.position)
        .collect();
    assert_eq!(listed_positions(&out), expected, "{out}");

    // Business time, actor and a sentence per event, in log order.
    let phrases = [
        "2026-03-03 09:00  sam.sales",
        "Quotation for Acme Retail Ltd (their reference ACME-PO-2291)",
        "Order confirmed: value 395.00 USD, exposure 395.00 USD of limit 5,000.00 USD",
        "Reserved 10 pcs WID-100, 4 pcs GAD-200, 25.5 m CAB-300",
        "Shipped 10 pcs WID-100, 4 pcs GAD-200, 25.5 m CAB-300 to Acme Retail Ltd",
        "Invoice INV/2026/00001 posted on 2026-03-05: total 315.20 USD",
        "Payment of 315.20 USD received from Acme Retail Ltd by bank transfer",
        "315.20 USD of payment \"remittance for INV/2026/00001\" allocated to invoice INV/2026/00001",
        "Shipped 2 pcs GAD-200",
        "Invoice INV/2026/00002 posted on 2026-03-17: total 79.80 USD",
        "allocated to invoice INV/2026/00002",
    ];
    let mut from = 0;
    for phrase in phrases {
        let found = out[from..]
            .find(phrase)
            .unwrap_or_else(|| panic!("{phrase:?} missing or out of order:\n{out}"));
        from += found;
    }
}

#[test]
fn history_finds_an_invoice_by_its_number_and_refuses_what_it_cannot_find() {
    let made = made_by_the_example();
    let dir = made.dir.path();
    let out = succeeded(&o2c_on(dir, &["history", "INV/2026/00002"]));
    assert!(out.starts_with("Invoice INV/2026/00002"), "{out}");
    assert!(
        out.contains("Posted, total 79.80 USD, open 0.00 USD, Paid"),
        "{out}"
    );
    assert_eq!(listed_positions(&out), vec![22, 23, 24, 25], "{out}");

    let output = o2c_on(dir, &["history", "INV/2099/00001"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("INV/2026/00001"), "{}", stderr(&output));

    let stranger = uuid::Uuid::new_v4().to_string();
    let output = o2c_on(dir, &["history", &stranger]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("no event in the log concerns"),
        "{}",
        stderr(&output)
    );
}
