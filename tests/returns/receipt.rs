//! Receiving returned goods: into the returns location, lowering the delivered quantity;
//! partial receipts; the last valid day; cancelling what was not received; the roles.

use crate::common::*;
use crate::support::{World, dec, person};
use o2c::location::LocationKind;
use o2c::order::{InvoicingStatus, ShippingStatus};
use o2c::picking::LineMove;
use o2c::returns::{
    CancelReturn, ReceiveReturn, ReturnCancelled, ReturnReceived, ReturnStatus, ReturnedQuantity,
};
use o2c::stock::StockMove;
use o2c::{DomainError, Event, Role};

#[test]
fn goods_received_back_go_to_the_returns_location_and_are_no_longer_delivered() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "10")]);
    let return_id = authorise(&mut w, order_id, vec![rq(1, "4")]);
    let event = only(receive_back(&mut w, return_id, vec![rq(1, "4")]));
    assert_eq!(
        event,
        Event::ReturnReceived(ReturnReceived {
            return_id,
            order_id,
            warehouse_id: w.warehouse,
            lines: vec![ReturnedQuantity {
                order_line: 1,
                product_id: widget,
                quantity: dec("4"),
                lot: None,
                serials: vec![],
            }],
            moves: vec![LineMove {
                line: 1,
                movement: StockMove {
                    product_id: widget,
                    from: virtual_at(LocationKind::Customer),
                    to: at(&w, LocationKind::Returns),
                    lot: None,
                    quantity: dec("4"),
                },
            }],
            received_on: date(2026, 3, 2),
        })
    );
    // stock, returns, quarantine, scrap, customers, suppliers
    assert_eq!(where_is(&w, widget), decs(["0", "4", "0", "0", "6", "-10"]));
    assert_conserved(&w, widget);
    // Delivered 6, 4 pending a resolution; nothing open to ship nor to invoice for them.
    assert_eq!(figures(&w, order_id, 1), decs(["6", "4", "0", "0"]));
    let order = order(&w, order_id);
    let line = order.line(1).unwrap();
    assert_eq!(line.open_quantity(), dec("0"));
    assert_eq!(order.shipping_status(), ShippingStatus::Shipped);
    assert_eq!(order.invoiceable(line), dec("6"));
    assert_eq!(order.invoicing_status(), InvoicingStatus::ToInvoice);
    // Not available for sale: the returns location is no stock location.
    assert_eq!(
        w.h.engine.read(|b| b.stock_level(widget, w.warehouse)).on_hand,
        dec("0")
    );
    let state = rma(&w, return_id);
    assert_eq!(state.status, ReturnStatus::Received);
    assert_eq!(state.lines[0].received, dec("4"));
}

#[test]
fn goods_may_come_back_in_several_receipts_up_to_what_was_authorised() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "10")]);
    let return_id = authorise(&mut w, order_id, vec![rq(1, "5")]);
    receive_back(&mut w, return_id, vec![rq(1, "2")]);
    assert_eq!(rma(&w, return_id).status, ReturnStatus::PartiallyReceived);
    assert_eq!(figures(&w, order_id, 1), decs(["8", "2", "0", "0"]));
    assert_eq!(
        w.h.refused(ReceiveReturn {
            return_id,
            lines: vec![rq(1, "4")],
        }),
        DomainError::ReturnExceedsAuthorised {
            line: 1,
            lot: None,
            requested: dec("4"),
            outstanding: dec("3"),
        }
    );
    receive_back(&mut w, return_id, vec![rq(1, "3")]);
    assert_eq!(rma(&w, return_id).status, ReturnStatus::Received);
    assert_eq!(figures(&w, order_id, 1), decs(["5", "5", "0", "0"]));
    assert_eq!(where_is(&w, widget), decs(["0", "5", "0", "0", "5", "-10"]));
    assert_eq!(
        w.h.refused(ReceiveReturn {
            return_id,
            lines: vec![rq(1, "1")],
        }),
        DomainError::ReturnExceedsAuthorised {
            line: 1,
            lot: None,
            requested: dec("1"),
            outstanding: dec("0"),
        }
    );
}

#[test]
fn nothing_is_received_after_the_last_valid_day() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "10")]);
    let return_id = w.h.id();
    let mut command = authorisation(return_id, order_id, vec![rq(1, "4")]);
    command.valid_until = Some(date(2026, 3, 5));
    w.h.ok(command);
    // The last valid day still counts.
    w.h.advance_days(3);
    receive_back(&mut w, return_id, vec![rq(1, "1")]);
    w.h.advance_days(1);
    assert_eq!(
        w.h.refused(ReceiveReturn {
            return_id,
            lines: vec![rq(1, "1")],
        }),
        DomainError::ReturnAuthorisationExpired {
            return_id,
            valid_until: date(2026, 3, 5),
            date: date(2026, 3, 6),
        }
    );
    // The expired rest may be cancelled.
    let event = only(w.h.ok(CancelReturn {
        return_id,
        reason: "never sent".into(),
    }));
    let Event::ReturnCancelled(ReturnCancelled { lines, .. }) = event else {
        panic!("expected ReturnCancelled, got {event:?}");
    };
    assert_eq!(lines[0].quantity, dec("3"));
}

#[test]
fn cancelling_drops_what_was_not_received_and_frees_it_for_another_return() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "10")]);
    let return_id = authorise(&mut w, order_id, vec![rq(1, "5")]);
    receive_back(&mut w, return_id, vec![rq(1, "2")]);
    let event = only(w.h.ok(CancelReturn {
        return_id,
        reason: "customer keeps the rest".into(),
    }));
    assert_eq!(
        event,
        Event::ReturnCancelled(ReturnCancelled {
            return_id,
            order_id,
            lines: vec![ReturnedQuantity {
                order_line: 1,
                product_id: widget,
                quantity: dec("3"),
                lot: None,
                serials: vec![],
            }],
            reason: "customer keeps the rest".into(),
            cancelled_on: date(2026, 3, 2),
        })
    );
    let state = rma(&w, return_id);
    assert_eq!(state.status, ReturnStatus::Received);
    assert_eq!(
        (state.lines[0].cancelled, state.outstanding()),
        (dec("3"), dec("0"))
    );
    assert_eq!(
        w.h.refused(CancelReturn {
            return_id,
            reason: "again".into(),
        }),
        DomainError::NothingOutstanding { return_id }
    );
    // 8 are still delivered and nothing else is expected back: all 8 may be authorised.
    let again = authorise(&mut w, order_id, vec![rq(1, "8")]);
    assert_eq!(rma(&w, again).outstanding(), dec("8"));
}

#[test]
fn an_authorisation_cancelled_before_anything_came_back_receives_nothing() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "10")]);
    let return_id = authorise(&mut w, order_id, vec![rq(1, "5")]);
    assert_eq!(
        w.h.refused(CancelReturn {
            return_id,
            reason: " ".into(),
        }),
        DomainError::InvalidText {
            field: "reason",
            reason: "must not be blank",
        }
    );
    let refusal = w.h.as_actor(person("max", &[Role::WarehouseManager]), |h| {
        h.refused(CancelReturn {
            return_id,
            reason: "customer found a use".into(),
        })
    });
    assert!(matches!(
        refusal,
        DomainError::NotAuthorized {
            command: "CancelReturn",
            ..
        }
    ));
    w.h.ok(CancelReturn {
        return_id,
        reason: "customer found a use".into(),
    });
    assert_eq!(rma(&w, return_id).status, ReturnStatus::Cancelled);
    assert_eq!(
        w.h.refused(ReceiveReturn {
            return_id,
            lines: vec![rq(1, "1")],
        }),
        DomainError::ReturnNotOpen {
            return_id,
            status: ReturnStatus::Cancelled,
        }
    );
    assert_eq!(figures(&w, order_id, 1), decs(["10", "0", "0", "0"]));
}

#[test]
fn only_lines_on_the_authorisation_are_received() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let order_id = delivered(&mut w, &[(widget, "10"), (gadget, "4")]);
    let return_id = authorise(&mut w, order_id, vec![rq(1, "2")]);
    assert_eq!(
        w.h.refused(ReceiveReturn {
            return_id,
            lines: vec![rq(2, "1")],
        }),
        DomainError::NotAuthorisedForReturn { line: 2, lot: None }
    );
    assert_eq!(
        w.h.refused(ReceiveReturn {
            return_id,
            lines: vec![],
        }),
        DomainError::EmptyReturn { return_id }
    );
    let unknown = w.h.id();
    assert_eq!(
        w.h.refused(ReceiveReturn {
            return_id: unknown,
            lines: vec![rq(1, "1")],
        }),
        DomainError::UnknownReturnAuthorisation { return_id: unknown }
    );
}

#[test]
fn warehouse_staff_receive_returns() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "10")]);
    let return_id = authorise(&mut w, order_id, vec![rq(1, "2")]);
    let refusal = w.h.as_actor(person("sam", &[Role::SalesManager]), |h| {
        h.refused(ReceiveReturn {
            return_id,
            lines: vec![rq(1, "2")],
        })
    });
    assert!(matches!(
        refusal,
        DomainError::NotAuthorized {
            command: "ReceiveReturn",
            ..
        }
    ));
    w.h.as_actor(person("olga", &[Role::WarehouseOperator]), |h| {
        h.ok(ReceiveReturn {
            return_id,
            lines: vec![rq(1, "2")],
        })
    });
    assert_eq!(rma(&w, return_id).lines[0].received, dec("2"));
}
