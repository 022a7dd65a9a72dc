//! `o2c history`: an order's, an invoice's story with business time, actor and summary.

use std::collections::BTreeSet;

use o2c::{Event, StreamId, StreamKind};

use crate::{V6, data_dir_of, listed_positions, made_by_the_example, o2c_on, stderr, succeeded};

#[test]
fn history_of_the_example_order_tells_its_story_in_order() {
    let made = made_by_the_example();
    let out = succeeded(&o2c_on(made.dir.path(), &["history", &made.order.0.to_string()]));
    assert!(out.starts_with(&format!("Order {}", made.order.0)), "{out}");

    // Its own stream, its shipments, its invoices and the payments settling them: the
    // walk ends by archiving the order, whose event names them.
    let archived = made
        .events
        .iter()
        .find_map(|e| match &e.payload {
            Event::OrderArchived(a) if a.order_id == made.order => Some(a),
            _ => None,
        })
        .unwrap();
    let mut streams: BTreeSet<StreamId> = BTreeSet::from([StreamId::new(StreamKind::Order, made.order.0)]);
    streams.extend(
        archived
            .shipment_ids
            .iter()
            .map(|s| StreamId::new(StreamKind::Shipment, s.0)),
    );
    streams.extend(
        archived
            .invoice_ids
            .iter()
            .map(|i| StreamId::new(StreamKind::Invoice, i.0)),
    );
    streams.extend(
        archived
            .payment_ids
            .iter()
            .map(|p| StreamId::new(StreamKind::Payment, p.0)),
    );
    assert_eq!(
        (
            archived.shipment_ids.len(),
            archived.invoice_ids.len(),
            archived.payment_ids.len()
        ),
        (2, 2, 2)
    );
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
        "archived with 2 shipments, 2 invoices and 2 payments",
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
    // Archived with its order at the end of the walk: read from the log.
    assert!(out.starts_with("Invoice INV/2026/00002"), "{out}");
    assert!(out.contains("archived on 2026-03-24 with order"), "{out}");
    assert_eq!(listed_positions(&out), vec![22, 23, 24, 25, 26], "{out}");

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

#[test]
fn history_of_an_archived_order_is_read_from_the_log() {
    let dir = data_dir_of(V6);
    let events: Vec<o2c::RecordedEvent> = V6
        .lines()
        .zip(1u64..)
        .map(|(line, position)| o2c::codec::decode(position, line.as_bytes()).unwrap())
        .collect();
    let Some(o2c::Event::OrderArchived(archived)) = events.last().map(|e| &e.payload) else {
        panic!("the v6 fixture ends with an archival");
    };
    let order = archived.order_id.0;
    let out = succeeded(&o2c_on(dir.path(), &["history", &order.to_string()]));

    assert!(
        out.starts_with(&format!("Order {order} for Acme: archived on 2026-05-28")),
        "{out}"
    );
    // Its own stream, its shipment, invoice and payment (named by the archival), and
    // every event naming the order.
    let mut streams = vec![order];
    streams.extend(archived.shipment_ids.iter().map(|s| s.0));
    streams.extend(archived.invoice_ids.iter().map(|i| i.0));
    streams.extend(archived.payment_ids.iter().map(|p| p.0));
    let named = |e: &o2c::RecordedEvent| {
        serde_json::to_string(&e.payload)
            .unwrap()
            .contains(&order.to_string())
    };
    let expected: Vec<u64> = events
        .iter()
        .filter(|e| streams.contains(&e.stream.id) || named(e))
        .map(|e| e.position)
        .collect();
    assert_eq!(expected.len(), 9, "{expected:?}");
    assert_eq!(listed_positions(&out), expected, "{out}");
    assert!(
        out.contains("archived with 1 shipment, 1 invoice and 1 payment"),
        "{out}"
    );

    // The archived invoice, by its number.
    let invoice = archived.invoice_ids[0].0;
    let number = events
        .iter()
        .find_map(|e| match &e.payload {
            o2c::Event::InvoicePosted(p) if p.invoice_id.0 == invoice => Some(p.number.clone()),
            _ => None,
        })
        .unwrap();
    let out = succeeded(&o2c_on(dir.path(), &["history", &number]));
    assert!(
        out.starts_with(&format!(
            "Invoice {number} ({invoice}) for Acme: archived on 2026-05-28"
        )),
        "{out}"
    );
}
