//! What a credit hold refuses: reserving and shipping for the held order.

use crate::common::*;
use crate::support::World;
use o2c::order::{HoldKind, ReserveStock};
use o2c::{DomainError, OrderId};

// Going over the credit limit no longer refuses the confirmation: the order is confirmed on
// credit hold (see `scenarios/credit_holds.rs`). What the hold refuses is moving goods for it.

/// A confirmed order of 1,001 widgets (10,010.00 against Acme's 10,000.00 limit), on credit
/// hold, with the stock for it received.
fn held_over_the_limit(w: &mut World) -> OrderId {
    let widget = w.widget;
    receive(w, widget, "1001");
    let order_id = confirmed(w, &[(widget, "1001")]);
    assert_eq!(
        w.h.engine.order(order_id).unwrap().active_hold(),
        Some(HoldKind::Credit)
    );
    order_id
}

#[test]
fn reserving_an_order_on_credit_hold_is_refused() {
    let mut w = World::new();
    let order_id = held_over_the_limit(&mut w);

    assert_eq!(
        w.h.refused(ReserveStock { order_id }),
        DomainError::OrderOnHold {
            order_id,
            hold: HoldKind::Credit
        }
    );
}

#[test]
fn shipping_an_order_on_credit_hold_is_refused() {
    let mut w = World::new();
    let order_id = held_over_the_limit(&mut w);

    assert_eq!(
        w.h.refused(ship_lines(order_id, &[])),
        DomainError::OrderOnHold {
            order_id,
            hold: HoldKind::Credit
        }
    );
}
