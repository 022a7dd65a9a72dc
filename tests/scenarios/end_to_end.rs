//! The whole order-to-cash flow with a backorder, end to end.

use crate::common::*;
use crate::support::{World, dec, usd};
use o2c::Event;
use o2c::chrono::NaiveDate;
use o2c::invoice::PaymentState;
use o2c::order::{ConfirmOrder, InvoicingStatus, ReserveStock, ShippingStatus};
use o2c::stock::StockLevel;

/// Mirrors `examples/order_to_cash.rs`: three lines, one only partly in stock; the first
/// shipment leaves a backorder; delivered quantities are invoiced and paid; the backorder
/// ships, is invoiced and paid.
#[test]
fn order_to_cash_with_a_backorder_end_to_end() {
    let mut w = World::new();
    let (widget, gadget, flour) = (w.widget, w.gadget, w.flour);
    receive(&mut w, widget, "10");
    receive(&mut w, gadget, "4");
    receive(&mut w, flour, "25.5");

    // Quotation -> confirmed: 100.00 + 15.00 + 102.00.
    let order_id = quote(&mut w, &[(widget, "10"), (gadget, "6"), (flour, "25.5")]);
    let confirmation = only(w.h.ok(ConfirmOrder { order_id }));
    let Event::OrderConfirmed(e) = confirmation else {
        panic!("expected OrderConfirmed, got {confirmation:?}")
    };
    assert_eq!((e.amount, e.exposure), (usd("217.00"), usd("217.00")));

    // Reserve: the gadget line gets 4 of 6.
    w.h.ok(ReserveStock { order_id });
    assert_eq!(line(&w, order_id, 2).reserved, dec("4"));
    assert_eq!(line(&w, order_id, 2).unreserved(), dec("2"));

    // First shipment: everything reserved; 2 gadgets are backordered.
    ship_all(&mut w, order_id);
    assert_eq!(
        order(&w, order_id).shipping_status(),
        ShippingStatus::PartiallyShipped
    );
    let shipped = order(&w, order_id);
    assert_eq!(
        shipped
            .lines
            .iter()
            .map(|l| shipped.backorder(l.line))
            .collect::<Vec<_>>(),
        [dec("0"), dec("2"), dec("0")]
    );

    // First invoice, posted and paid.
    w.h.advance_days(1);
    let first = posted_invoice(&mut w, order_id);
    let first_invoice = invoice(&w, first);
    assert_eq!(first_invoice.number.as_deref(), Some("INV/2026/00001"));
    assert_eq!(first_invoice.total, usd("212.00"));
    assert_eq!(first_invoice.invoice_date, NaiveDate::from_ymd_opt(2026, 3, 3));
    assert_eq!(first_invoice.due_date, NaiveDate::from_ymd_opt(2026, 4, 2));
    assert_eq!(
        (customer(&w).receivable, customer(&w).uninvoiced_orders),
        (dec("212.00"), dec("5.00"))
    );
    w.h.advance_days(7);
    let first_payment = pay(&mut w, usd("212.00"));
    allocate(&mut w, first_payment, first, usd("212.00"));
    assert_eq!(invoice(&w, first).payment_state(), PaymentState::Paid);
    assert_eq!(
        order(&w, order_id).invoicing_status(),
        InvoicingStatus::NothingToInvoice
    );

    // The backorder: received, reserved, shipped, invoiced, paid.
    w.h.advance_days(5);
    receive(&mut w, gadget, "2");
    w.h.ok(ReserveStock { order_id });
    ship_all(&mut w, order_id);
    assert_eq!(order(&w, order_id).shipping_status(), ShippingStatus::Shipped);
    assert_eq!(order(&w, order_id).invoicing_status(), InvoicingStatus::ToInvoice);
    let second = posted_invoice(&mut w, order_id);
    let second_invoice = invoice(&w, second);
    assert_eq!(second_invoice.number.as_deref(), Some("INV/2026/00002"));
    assert_eq!(second_invoice.total, usd("5.00"));
    assert_eq!(second_invoice.lines.len(), 1);
    assert_eq!(
        (
            second_invoice.lines[0].order_line,
            second_invoice.lines[0].quantity
        ),
        (2, dec("2"))
    );
    let second_payment = pay(&mut w, usd("5.00"));
    allocate(&mut w, second_payment, second, usd("5.00"));

    // Everything delivered, invoiced and paid; stock is where it should be.
    assert_eq!(
        order(&w, order_id).invoicing_status(),
        InvoicingStatus::FullyInvoiced
    );
    assert_eq!(invoice(&w, second).payment_state(), PaymentState::Paid);
    let acme = customer(&w);
    assert_eq!(
        (acme.receivable, acme.uninvoiced_orders, acme.exposure()),
        (dec("0"), dec("0"), dec("0"))
    );
    for product in [widget, gadget, flour] {
        assert_eq!(
            level(&w, product),
            StockLevel {
                on_hand: dec("0"),
                reserved: dec("0")
            }
        );
    }
    // One event per command: 6 of master data, 3 receipts, quotation and confirmation,
    // reserve and ship, invoice and payment (4), then receipt, reserve and ship of the
    // backorder and its invoice and payment (4).
    assert_eq!(w.h.engine.head().position, 6 + 3 + 2 + 2 + 4 + 3 + 4);
}
