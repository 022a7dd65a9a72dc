//! Reservation policies (at confirmation, a number of days before the promised date, manual),
//! serving waiting demand by priority when stock arrives, and releasing reservations.

use crate::common::*;
use crate::support::{World, dec};
use o2c::location::LocationKind;
use o2c::order::{
    CreateQuotation, ReleaseCreditHold, ReserveDue, ReserveStock, StockReserved, StockUnreserved,
    UnreserveStock,
};
use o2c::warehouse::{OutboundRoute, ReservationPolicy};
use o2c::{DomainError, Event, OrderId, ProductId};

fn reserved(order_id: OrderId, w: &World, lines: Vec<o2c::order::LineQuantity>) -> Event {
    let stock_location = stock_of(w);
    let quants = lines
        .iter()
        .map(|l| o2c::order::QuantReservation {
            line: l.line,
            product_id: l.product_id,
            location_id: stock_location,
            lot: None,
            quantity: l.quantity,
        })
        .collect();
    Event::StockReserved(StockReserved {
        order_id,
        warehouse_id: w.warehouse,
        lines,
        quants,
    })
}

fn names(events: &[Event]) -> Vec<&'static str> {
    events.iter().map(Event::name).collect()
}

#[test]
fn at_confirmation_reserves_what_is_available_when_the_order_is_confirmed() {
    let mut w = world(OutboundRoute::OneStep, ReservationPolicy::AtConfirmation);
    let (widget, gadget) = (w.widget, w.gadget);
    receive(&mut w, widget, "10");
    let quotation = quotation(&mut w, vec![requested(widget, "4"), requested(gadget, "3")]);
    let order_id = quotation.order_id;
    w.h.ok(quotation);

    let events = events(w.h.ok(o2c::order::ConfirmOrder { order_id }));

    assert_eq!(names(&events), ["OrderConfirmed", "StockReserved"]);
    assert_eq!(events[1], reserved(order_id, &w, vec![lq(1, widget, "4")]));
    assert_eq!(line(&w, order_id, 2).unreserved(), dec("3"));
    assert_eq!(figures(&w, widget), (dec("10"), dec("4"), dec("6")));

    // When gadgets arrive, the waiting line is served in the same command.
    let events = events_of(receive(&mut w, gadget, "5"));
    assert_eq!(names(&events), ["StockReceived", "StockReserved"]);
    assert_eq!(events[1], reserved(order_id, &w, vec![lq(2, gadget, "3")]));
    assert_eq!(figures(&w, gadget), (dec("5"), dec("3"), dec("2")));
}

#[test]
fn at_confirmation_reserves_when_a_credit_hold_is_released() {
    let mut w = world(OutboundRoute::OneStep, ReservationPolicy::AtConfirmation);
    let widget = w.widget;
    receive(&mut w, widget, "50");
    // 1,001 widgets at 10.00 = 10,010.00, over Acme's 10,000.00 limit.
    let quotation = quotation(&mut w, vec![requested(widget, "1001")]);
    let order_id = quotation.order_id;
    w.h.ok(quotation);

    let events = events(w.h.ok(o2c::order::ConfirmOrder { order_id }));
    assert_eq!(names(&events), ["OrderConfirmed"]);
    assert!(order(&w, order_id).credit_hold.is_some());
    assert_eq!(
        w.h.refused(ReserveStock { order_id }),
        DomainError::OrderOnHold {
            order_id,
            hold: o2c::order::HoldKind::Credit,
        }
    );
    // Stock arriving does not serve an order on hold.
    assert_eq!(
        names(&events_of(receive(&mut w, widget, "10"))),
        ["StockReceived"]
    );

    let events = w.h.as_actor(controller(), |h| {
        events_of(h.ok(ReleaseCreditHold {
            order_id,
            note: "customer paid upfront".into(),
        }))
    });

    assert_eq!(names(&events), ["CreditHoldReleased", "StockReserved"]);
    assert_eq!(events[1], reserved(order_id, &w, vec![lq(1, widget, "60")]));
    assert_eq!(line(&w, order_id, 1).reserved, dec("60"));
}

/// [`events`], for tests that name their own variable `events`.
fn events_of(outcome: o2c::Outcome) -> Vec<Event> {
    events(outcome)
}

/// A confirmed order of 4 of `product`, with the given promise and urgency.
fn waiting_order(
    w: &mut World,
    product: ProductId,
    promised_on: Option<o2c::chrono::NaiveDate>,
    urgent: bool,
) -> OrderId {
    let line = match promised_on {
        Some(on) => promised(product, "4", on),
        None => requested(product, "4"),
    };
    let quotation = CreateQuotation {
        urgent,
        ..quotation(w, vec![line])
    };
    confirm(w, quotation)
}

#[test]
fn arriving_stock_serves_urgent_orders_then_earliest_promise_then_confirmation_order() {
    let mut w = world(OutboundRoute::OneStep, ReservationPolicy::AtConfirmation);
    let widget = w.widget;
    // Confirmed in this order, each for 4 widgets, none in stock.
    let first = waiting_order(&mut w, widget, None, false);
    let promised_late = waiting_order(&mut w, widget, Some(date(2026, 3, 20)), false);
    let promised_soon = waiting_order(&mut w, widget, Some(date(2026, 3, 10)), false);
    let fifth = waiting_order(&mut w, widget, None, false);
    let urgent = waiting_order(&mut w, widget, None, true);
    let waiting = w.h.engine.read(|b| b.waiting_orders().count());
    assert_eq!(waiting, 5);

    // 14 arrive: 4 + 4 + 4 + 2.
    let events = events(receive(&mut w, widget, "14"));

    assert_eq!(
        events[1..],
        [
            reserved(urgent, &w, vec![lq(1, widget, "4")]),
            reserved(promised_soon, &w, vec![lq(1, widget, "4")]),
            reserved(promised_late, &w, vec![lq(1, widget, "4")]),
            reserved(first, &w, vec![lq(1, widget, "2")]),
        ]
    );
    assert_eq!(line(&w, fifth, 1).reserved, dec("0"));

    // 6 more: the first order's rest, then the one confirmed after it.
    let events = events_of(receive(&mut w, widget, "6"));
    assert_eq!(
        events[1..],
        [
            reserved(first, &w, vec![lq(1, widget, "2")]),
            reserved(fifth, &w, vec![lq(1, widget, "4")]),
        ]
    );
    assert_eq!(w.h.engine.read(|b| b.waiting_orders().count()), 0);
    assert_eq!(figures(&w, widget), (dec("20"), dec("20"), dec("0")));
}

#[test]
fn at_confirmation_serves_waiting_demand_only_in_the_warehouse_that_received() {
    let mut w = world(OutboundRoute::OneStep, ReservationPolicy::AtConfirmation);
    let widget = w.widget;
    let order_id = confirmed(&mut w, &[(widget, "4")]);
    let manual = warehouse(&mut w, "WH-MANUAL", ReservationPolicy::Manual);

    let events = events(receive_into(&mut w, widget, manual, "10"));

    assert_eq!(names(&events), ["StockReceived"]);
    assert_eq!(line(&w, order_id, 1).reserved, dec("0"));
}

#[test]
fn days_before_promised_reserves_by_reserve_due_only_the_lines_due() {
    let mut w = world(OutboundRoute::OneStep, ReservationPolicy::DaysBeforePromised(3));
    let widget = w.widget;
    receive(&mut w, widget, "100");
    let quotation = quotation(
        &mut w,
        vec![
            promised(widget, "5", date(2026, 3, 5)),
            promised(widget, "7", date(2026, 3, 20)),
            requested(widget, "2"),
        ],
    );
    let order_id = quotation.order_id;
    w.h.ok(quotation);

    // Nothing is reserved at confirmation, nor when stock arrives.
    assert_eq!(
        names(&events(w.h.ok(o2c::order::ConfirmOrder { order_id }))),
        ["OrderConfirmed"]
    );
    assert_eq!(names(&events(receive(&mut w, widget, "1"))), ["StockReceived"]);

    // As of 2 March, lines promised up to 5 March are due, and lines without a promise.
    let event = only(w.h.ok(ReserveDue {
        as_of: date(2026, 3, 2),
        warehouse_id: None,
    }));
    assert_eq!(
        event,
        reserved(order_id, &w, vec![lq(1, widget, "5"), lq(3, widget, "2")])
    );
    assert_eq!(line(&w, order_id, 2).reserved, dec("0"));

    // As of 16 March the line promised on 20 March is not due yet: nothing to do.
    let as_of = date(2026, 3, 16);
    assert_eq!(
        w.h.refused(ReserveDue {
            as_of,
            warehouse_id: None,
        }),
        DomainError::NothingDue { as_of }
    );

    // As of 17 March, the line promised on 20 March is due.
    let event = only(w.h.ok(ReserveDue {
        as_of: date(2026, 3, 17),
        warehouse_id: Some(w.warehouse),
    }));
    assert_eq!(event, reserved(order_id, &w, vec![lq(2, widget, "7")]));
    assert_eq!(figures(&w, widget), (dec("101"), dec("14"), dec("87")));
}

#[test]
fn reserve_due_serves_the_earliest_promise_first() {
    let mut w = world(OutboundRoute::OneStep, ReservationPolicy::DaysBeforePromised(10));
    let widget = w.widget;
    let later = waiting_order(&mut w, widget, Some(date(2026, 3, 9)), false);
    let sooner = waiting_order(&mut w, widget, Some(date(2026, 3, 6)), false);
    receive(&mut w, widget, "5");

    let events = events(w.h.ok(ReserveDue {
        as_of: date(2026, 3, 2),
        warehouse_id: None,
    }));

    assert_eq!(
        events,
        [
            reserved(sooner, &w, vec![lq(1, widget, "4")]),
            reserved(later, &w, vec![lq(1, widget, "1")]),
        ]
    );
}

#[test]
fn manual_reservation_waits_for_reserve_stock() {
    let mut w = World::new();
    let widget = w.widget;
    receive(&mut w, widget, "10");
    let quotation = quotation(&mut w, vec![requested(widget, "4")]);
    let order_id = quotation.order_id;
    w.h.ok(quotation);

    assert_eq!(
        names(&events(w.h.ok(o2c::order::ConfirmOrder { order_id }))),
        ["OrderConfirmed"]
    );
    let as_of = date(2026, 3, 2);
    assert_eq!(
        w.h.refused(ReserveDue {
            as_of,
            warehouse_id: None,
        }),
        DomainError::NothingDue { as_of }
    );
    assert_eq!(names(&events(receive(&mut w, widget, "1"))), ["StockReceived"]);
    assert_eq!(line(&w, order_id, 1).reserved, dec("0"));

    let event = w.h.as_actor(picker(), |h| only(h.ok(ReserveStock { order_id })));

    assert_eq!(event, reserved(order_id, &w, vec![lq(1, widget, "4")]));
    assert_eq!(
        w.h.refused(ReserveStock { order_id }),
        DomainError::NothingToReserve { order_id }
    );
}

#[test]
fn unreserving_releases_the_stock_reservations_of_an_order() {
    let mut w = World::new();
    let widget = w.widget;
    let stock_location = stock_of(&w);
    receive(&mut w, widget, "10");
    let order_id = confirmed(&mut w, &[(widget, "6")]);
    reserve(&mut w, order_id);

    let event = w.h.as_actor(picker(), |h| {
        only(h.ok(UnreserveStock {
            order_id,
            reason: "customer asked to wait".into(),
        }))
    });

    assert_eq!(
        event,
        Event::StockUnreserved(StockUnreserved {
            order_id,
            lines: vec![lq(1, widget, "6")],
            quants: vec![quant(1, widget, stock_location, None, "6")],
            reason: "customer asked to wait".into(),
        })
    );
    assert_eq!(line(&w, order_id, 1).reserved, dec("0"));
    assert!(line(&w, order_id, 1).allocations.is_empty());
    assert_eq!(figures(&w, widget), (dec("10"), dec("0"), dec("10")));
    assert_eq!(
        w.h.refused(UnreserveStock {
            order_id,
            reason: "again".into(),
        }),
        DomainError::NothingReserved { order_id }
    );
    assert_eq!(
        w.h.refused(UnreserveStock {
            order_id,
            reason: " ".into(),
        }),
        DomainError::InvalidText {
            field: "reason",
            reason: "must not be blank",
        }
    );
}

#[test]
fn unreserving_keeps_picked_goods_reserved() {
    let mut w = world(OutboundRoute::TwoSteps, ReservationPolicy::Manual);
    let widget = w.widget;
    let (stock_location, output) = (stock_of(&w), at(w.warehouse, LocationKind::Output));
    receive(&mut w, widget, "10");
    let order_id = confirmed(&mut w, &[(widget, "6")]);
    reserve(&mut w, order_id);
    pick(&mut w, order_id, &[(1, "4")]);

    let event = only(w.h.ok(UnreserveStock {
        order_id,
        reason: "short of trucks".into(),
    }));

    assert_eq!(
        event,
        Event::StockUnreserved(StockUnreserved {
            order_id,
            lines: vec![lq(1, widget, "2")],
            quants: vec![quant(1, widget, stock_location, None, "2")],
            reason: "short of trucks".into(),
        })
    );
    let picked = line(&w, order_id, 1);
    assert_eq!((picked.reserved, picked.picked), (dec("4"), dec("4")));
    let on_output = stock(&w, widget).quant(output, None);
    assert_eq!((on_output.quantity, on_output.reserved), (dec("4"), dec("4")));
    assert_eq!(figures(&w, widget), (dec("6"), dec("0"), dec("6")));
}

#[test]
fn at_confirmation_reserves_a_raised_quantity_at_once() {
    let mut w = world(OutboundRoute::OneStep, ReservationPolicy::AtConfirmation);
    let widget = w.widget;
    receive(&mut w, widget, "10");
    let order_id = confirmed(&mut w, &[(widget, "4")]);
    assert_eq!(line(&w, order_id, 1).reserved, dec("4"));

    let raise = o2c::order::ChangeOrderLine {
        order_id,
        line: 1,
        quantity: Some(dec("7")),
        discount_percent: None,
        promised_date: None,
        reason: "customer wants more".into(),
    };
    let events = events(w.h.ok(raise));

    assert_eq!(names(&events), ["OrderLineChanged", "StockReserved"]);
    assert_eq!(events[1], reserved(order_id, &w, vec![lq(1, widget, "3")]));
    assert_eq!(figures(&w, widget), (dec("10"), dec("7"), dec("3")));
}

#[test]
fn a_count_that_finds_goods_serves_waiting_orders_where_reservation_is_at_confirmation() {
    let mut w = world(OutboundRoute::OneStep, ReservationPolicy::AtConfirmation);
    let widget = w.widget;
    let order_id = confirmed(&mut w, &[(widget, "5")]);
    assert_eq!(line(&w, order_id, 1).reserved, dec("0"));
    let stock_location = stock_of(&w);

    let count = o2c::stock::AdjustInventory {
        product_id: widget,
        location_id: stock_location,
        lot: None,
        counted: dec("3"),
        reason: o2c::stock::AdjustmentReason::CountFound,
        note: String::new(),
    };
    let events = events(w.h.as_actor(warehouse_manager(), |h| h.ok(count)));

    assert_eq!(names(&events), ["InventoryAdjusted", "StockReserved"]);
    assert_eq!(events[1], reserved(order_id, &w, vec![lq(1, widget, "3")]));
    assert_eq!(line(&w, order_id, 1).unreserved(), dec("2"));
}
