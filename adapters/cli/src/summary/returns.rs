//! Summaries of return authorisation events: authorised, received, inspected, resolved
//! and cancelled returns.

use o2c::returns::{
    InspectionOutcome, Resolution, ReturnAuthorised, ReturnCancelled, ReturnInspected, ReturnReceived,
    ReturnResolved, ReturnedQuantity,
};
use o2c::{OrderId, ids::ReturnId};

use super::{Names, because, listed, short};
use crate::format;

fn rma(id: ReturnId) -> String {
    format!("return {}", short(id.0))
}

/// `4 pcs WIDGET (lot L-1)`: a returned quantity in its line's unit.
fn quantity(names: &Names<'_>, order: Option<OrderId>, l: &ReturnedQuantity) -> String {
    let tracked = match (&l.lot, l.serials.is_empty()) {
        (Some(lot), _) => format!(" (lot {lot})"),
        (None, false) => format!(" (serials {})", l.serials.join(", ")),
        (None, true) => String::new(),
    };
    let unit = match order {
        Some(order) => names.line_unit(order, l.order_line, l.product_id),
        None => names.product_unit(l.product_id),
    };
    let unit = if unit.is_empty() {
        String::new()
    } else {
        format!(" {unit}")
    };
    format!(
        "{}{unit} {}{tracked}",
        format::quantity(l.quantity),
        names.product(l.product_id)
    )
}

/// Returned quantities in their lines' units.
fn goods(names: &Names<'_>, order: OrderId, lines: &[ReturnedQuantity]) -> String {
    listed(lines.iter().map(|l| quantity(names, Some(order), l)))
}

pub(super) fn return_authorised(e: &ReturnAuthorised, names: &Names<'_>) -> String {
    format!(
        "Return {} authorised for {} on {}: {}, reason {}, valid until {}",
        short(e.return_id.0),
        names.customer(e.customer_id),
        names.order(e.order_id),
        goods(names, e.order_id, &e.lines),
        e.reason,
        e.valid_until
    )
}

pub(super) fn return_received(e: &ReturnReceived, names: &Names<'_>) -> String {
    format!(
        "Received {} back into {} on {}",
        goods(names, e.order_id, &e.lines),
        names.warehouse(e.warehouse_id),
        rma(e.return_id)
    )
}

pub(super) fn return_inspected(e: &ReturnInspected, names: &Names<'_>) -> String {
    let order = names.book.return_authorisation(e.return_id).map(|r| r.order_id);
    let decisions = listed(e.decisions.iter().map(|d| {
        let outcome = match &d.outcome {
            InspectionOutcome::Restock => "restocked".to_string(),
            InspectionOutcome::Quarantine => "quarantined".to_string(),
            InspectionOutcome::Scrap { reason } => format!("scrapped{}", because(reason)),
            InspectionOutcome::ReturnToVendor => "sent back to the vendor".to_string(),
        };
        format!("{} {outcome}", quantity(names, order, &d.quantity))
    }));
    format!("Inspected the goods of {}: {decisions}", rma(e.return_id))
}

pub(super) fn return_resolved(e: &ReturnResolved, names: &Names<'_>) -> String {
    let how = match &e.resolution {
        Resolution::Credit {
            restocking_fee_percent,
            ..
        } if !restocking_fee_percent.is_zero() => format!(
            "credited less a {} restocking fee",
            format::percent(*restocking_fee_percent)
        ),
        Resolution::Credit { .. } => "credited".to_string(),
        Resolution::Replacement => "to be replaced".to_string(),
        Resolution::Refund { .. } => "credited and refunded".to_string(),
    };
    let notes = if e.credit_notes.is_empty() {
        String::new()
    } else {
        format!(
            " ({})",
            listed(e.credit_notes.iter().map(|n| names.credit_note(*n)))
        )
    };
    format!(
        "Resolved {}: {} {how}{notes}",
        rma(e.return_id),
        goods(names, e.order_id, &e.lines)
    )
}

pub(super) fn return_cancelled(e: &ReturnCancelled, names: &Names<'_>) -> String {
    format!(
        "Cancelled what {} still expected: {}{}",
        rma(e.return_id),
        goods(names, e.order_id, &e.lines),
        because(&e.reason)
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use o2c::chrono::NaiveDate;
    use o2c::returns::InspectedQuantity;
    use o2c::rust_decimal::Decimal;
    use o2c::uuid::Uuid;
    use o2c::{Book, CreditNoteId, CustomerId, Event, ProductId, WarehouseId};

    use super::*;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(0xabcdef12_0000_0000_0000_000000000000 | n)
    }

    #[test]
    fn every_return_event_reads_as_a_business_sentence() {
        let book = Book::new();
        let names = Names::new(&book);
        let (return_id, order_id) = (ReturnId(id(1)), OrderId(id(2)));
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let lines = vec![ReturnedQuantity {
            order_line: 1,
            product_id: ProductId(id(3)),
            quantity: Decimal::from(4),
            lot: Some("L-1".into()),
            serials: vec![],
        }];
        let events = [
            Event::ReturnAuthorised(ReturnAuthorised {
                return_id,
                order_id,
                customer_id: CustomerId(id(4)),
                warehouse_id: WarehouseId(id(5)),
                lines: lines.clone(),
                reason: "damaged-in-transit".into(),
                note: String::new(),
                authorised_on: day,
                valid_until: day,
            }),
            Event::ReturnReceived(ReturnReceived {
                return_id,
                order_id,
                warehouse_id: WarehouseId(id(5)),
                lines: lines.clone(),
                moves: vec![],
                received_on: day,
            }),
            Event::ReturnInspected(ReturnInspected {
                return_id,
                warehouse_id: WarehouseId(id(5)),
                decisions: vec![InspectedQuantity {
                    quantity: lines[0].clone(),
                    outcome: InspectionOutcome::Scrap { reason: "wet".into() },
                }],
                moves: vec![],
                inspected_on: day,
            }),
            Event::ReturnResolved(ReturnResolved {
                return_id,
                order_id,
                resolution: Resolution::Credit {
                    credit_note_id: CreditNoteId(id(6)),
                    restocking_fee_percent: Decimal::from(15),
                },
                lines: lines.clone(),
                credit_notes: vec![CreditNoteId(id(6))],
                resolved_on: day,
            }),
            Event::ReturnCancelled(ReturnCancelled {
                return_id,
                order_id,
                lines,
                reason: "kept".into(),
                cancelled_on: day,
            }),
        ];
        let texts: Vec<String> = events.iter().map(|e| crate::summary::line(e, &names)).collect();
        assert_eq!(
            texts,
            [
                "Return abcdef12 authorised for customer abcdef12 on order abcdef12: 4 product abcdef12 (lot L-1), reason damaged-in-transit, valid until 2026-03-02",
                "Received 4 product abcdef12 (lot L-1) back into warehouse abcdef12 on return abcdef12",
                "Inspected the goods of return abcdef12: 4 product abcdef12 (lot L-1) scrapped: wet",
                "Resolved return abcdef12: 4 product abcdef12 (lot L-1) credited less a 15% restocking fee (credit note abcdef12)",
                "Cancelled what return abcdef12 still expected: 4 product abcdef12 (lot L-1): kept",
            ]
        );
    }
}
