//! The order life cycle: empty, confirmed twice, not yet confirmed, nothing to reserve or ship, cancelled with invoices.

use crate::common::*;
use crate::support::{World, dec};
use o2c::invoice::{
    CreateCreditNote, CreateDownPaymentInvoice, CreateInvoice, CreditNoteKind, DownPaymentAmount,
    InvoicePolicy, PostInvoice,
};
use o2c::order::{AddQuotationLine, CancelOrder, ConfirmOrder, MAX_ORDER_LINES, OrderStatus, ReserveStock};
use o2c::product::ChangeProduct;
use o2c::rust_decimal::Decimal;
use o2c::{DomainError, InvoiceId};

#[test]
fn confirming_an_empty_quotation_is_refused() {
    let mut w = World::new();
    let order_id = quote(&mut w, &[]);

    assert_eq!(
        w.h.refused(ConfirmOrder { order_id }),
        DomainError::EmptyOrder { order_id }
    );
}

#[test]
fn confirming_an_order_twice_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = confirmed(&mut w, &[(widget, "1")]);

    assert_eq!(
        w.h.refused(ConfirmOrder { order_id }),
        DomainError::OrderAlreadyConfirmed { order_id }
    );
}

#[test]
fn adding_a_line_to_a_confirmed_order_is_refused() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let order_id = confirmed(&mut w, &[(widget, "1")]);

    assert_eq!(
        w.h.refused(AddQuotationLine {
            order_id,
            product_id: gadget,
            quantity: dec("1"),
            discount_percent: Decimal::ZERO,
            promised_date: None,
            unit: None,
            warehouse_id: None,
        }),
        DomainError::OrderAlreadyConfirmed { order_id }
    );
}

#[test]
fn reserving_for_a_quotation_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    receive(&mut w, widget, "5");
    let order_id = quote(&mut w, &[(widget, "1")]);

    assert_eq!(
        w.h.refused(ReserveStock { order_id }),
        DomainError::OrderNotConfirmed { order_id }
    );
}

#[test]
fn shipping_a_quotation_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quote(&mut w, &[(widget, "1")]);

    assert_eq!(
        w.h.refused(ship_lines(order_id, &[])),
        DomainError::OrderNotConfirmed { order_id }
    );
}

#[test]
fn invoicing_a_quotation_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quote(&mut w, &[(widget, "1")]);

    assert_eq!(
        w.h.refused(CreateInvoice {
            invoice_id: unknown(),
            order_id,
            additional_orders: vec![],
            currency: None,
        }),
        DomainError::OrderNotConfirmed { order_id }
    );
}

#[test]
fn a_quotation_with_too_many_lines_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let lines = vec![(widget, "1"); MAX_ORDER_LINES + 1];
    let command = quotation(&w, unknown(), &lines);

    assert_eq!(w.h.refused(command), DomainError::TooManyLines { max: 500 });
}

#[test]
fn adding_a_line_to_a_full_quotation_is_refused() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let order_id = quote(&mut w, &vec![(widget, "1"); MAX_ORDER_LINES]);

    assert_eq!(
        w.h.refused(AddQuotationLine {
            order_id,
            product_id: gadget,
            quantity: dec("1"),
            discount_percent: Decimal::ZERO,
            promised_date: None,
            unit: None,
            warehouse_id: None,
        }),
        DomainError::TooManyLines { max: MAX_ORDER_LINES }
    );
}

#[test]
fn reserving_when_everything_open_is_reserved_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = reserved(&mut w, &[(widget, "3")]);
    receive(&mut w, widget, "10");

    assert_eq!(
        w.h.refused(ReserveStock { order_id }),
        DomainError::NothingToReserve { order_id }
    );
}

#[test]
fn reserving_a_fully_shipped_order_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "3")]);
    receive(&mut w, widget, "10");

    assert_eq!(
        w.h.refused(ReserveStock { order_id }),
        DomainError::NothingToReserve { order_id }
    );
}

#[test]
fn reserving_with_no_stock_available_is_refused() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    receive(&mut w, gadget, "5");
    let order_id = confirmed(&mut w, &[(widget, "3")]);

    assert_eq!(
        w.h.refused(ReserveStock { order_id }),
        DomainError::NoStockAvailable { order_id }
    );
}

#[test]
fn reserving_stock_another_order_holds_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    reserved(&mut w, &[(widget, "3")]);
    let order_id = confirmed(&mut w, &[(widget, "1")]);

    assert_eq!(
        w.h.refused(ReserveStock { order_id }),
        DomainError::NoStockAvailable { order_id }
    );
}

#[test]
fn shipping_with_nothing_reserved_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = confirmed(&mut w, &[(widget, "3")]);

    assert_eq!(
        w.h.refused(ship_lines(order_id, &[])),
        DomainError::NothingReserved { order_id }
    );
}

#[test]
fn shipping_more_than_is_reserved_is_refused() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    receive(&mut w, widget, "5");
    receive(&mut w, gadget, "4");
    let order_id = confirmed(&mut w, &[(widget, "5"), (gadget, "6")]);
    w.h.ok(ReserveStock { order_id });

    assert_eq!(
        w.h.refused(ship_lines(order_id, &[(1, "5"), (2, "5")])),
        DomainError::ShipmentExceedsReservation {
            order_id,
            line: 2,
            requested: dec("5"),
            reserved: dec("4")
        }
    );
}

#[test]
fn shipping_a_line_with_nothing_reserved_is_refused() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    receive(&mut w, widget, "5");
    let order_id = confirmed(&mut w, &[(widget, "5"), (gadget, "1")]);
    w.h.ok(ReserveStock { order_id });

    assert_eq!(
        w.h.refused(ship_lines(order_id, &[(2, "1")])),
        DomainError::ShipmentExceedsReservation {
            order_id,
            line: 2,
            requested: dec("1"),
            reserved: dec("0")
        }
    );
}

#[test]
fn listing_a_line_twice_in_one_shipment_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = reserved(&mut w, &[(widget, "4")]);

    assert_eq!(
        w.h.refused(ship_lines(order_id, &[(1, "2"), (1, "2")])),
        DomainError::DuplicateLine { line: 1 }
    );
}

/// Makes the widget a product invoiced on ordered quantities.
fn widget_invoiced_on_order(w: &mut World) {
    let widget = w.widget;
    let product = w.h.engine.read(|b| b.product(widget).cloned()).unwrap();
    w.h.ok(ChangeProduct {
        product_id: widget,
        name: product.name,
        category: product.category,
        list_price: product.list_price,
        floor_price: product.floor_price,
        substitutes: product.substitutes,
        invoice_policy: InvoicePolicy::OnOrdered,
        taxes: product.taxes,
    });
}

#[test]
fn cancelling_an_order_with_a_draft_invoice_is_refused() {
    let mut w = World::new();
    widget_invoiced_on_order(&mut w);
    let widget = w.widget;
    let order_id = confirmed(&mut w, &[(widget, "2")]);
    draft_invoice(&mut w, order_id);

    assert_eq!(
        w.h.refused(CancelOrder {
            order_id,
            reason: "customer changed their mind".into()
        }),
        DomainError::OrderHasInvoices { order_id }
    );
}

#[test]
fn cancelling_an_order_with_a_posted_down_payment_is_refused_until_it_is_credited() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = confirmed(&mut w, &[(widget, "2")]);
    let down_payment: InvoiceId = w.h.id();
    w.h.ok(CreateDownPaymentInvoice {
        invoice_id: down_payment,
        order_id,
        amount: DownPaymentAmount::Percent(dec("50")),
    });
    w.h.ok(PostInvoice {
        invoice_id: down_payment,
    });
    let cancel = || CancelOrder {
        order_id,
        reason: "customer changed their mind".into(),
    };

    assert_eq!(w.h.refused(cancel()), DomainError::OrderHasInvoices { order_id });

    let credit_note_id = w.h.id();
    w.h.ok(CreateCreditNote {
        credit_note_id,
        invoice_id: down_payment,
        kind: CreditNoteKind::Reversal,
        reason: "order cancelled".into(),
    });
    w.h.ok(cancel());
    assert_eq!(w.h.engine.order(order_id).unwrap().status, OrderStatus::Cancelled);
}
