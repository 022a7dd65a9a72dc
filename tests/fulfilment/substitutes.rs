//! Substitutes: a sales manager switches a short order line to one of the product's
//! substitutes; its reservation is released; the line is repriced unless the decision keeps
//! its price; the invoice follows the line.

use crate::common::*;
use crate::support::{World, dec, usd};
use o2c::invoice::CreateInvoice;
use o2c::order::{CloseOrder, LineSubstituted, SubstituteProduct};
use o2c::pricing::PriceSource;
use o2c::warehouse::{OutboundRoute, ReservationPolicy};
use o2c::{DomainError, Event, InvoiceId, OrderId, ProductId};

/// A kettle (30.00) whose substitute is the kettle plus (36.00); 2 kettles and 10 kettles
/// plus in stock.
fn kettles(w: &mut World) -> (ProductId, ProductId) {
    let plus = NewProduct::new("KETTLE-PLUS", "pcs", "36.00").register(&mut w.h);
    let kettle = NewProduct {
        substitutes: vec![plus],
        ..NewProduct::new("KETTLE", "pcs", "30.00")
    }
    .register(&mut w.h);
    receive(w, kettle, "2");
    receive(w, plus, "10");
    (kettle, plus)
}

/// An order for 5 kettles, 2 of them reserved.
fn short_kettle_order(w: &mut World, kettle: ProductId) -> OrderId {
    let order_id = confirmed(w, &[(kettle, "5")]);
    reserve(w, order_id);
    order_id
}

fn substitute(order_id: OrderId, substitute_id: ProductId, keep_price: bool) -> SubstituteProduct {
    SubstituteProduct {
        order_id,
        line: 1,
        substitute_id,
        keep_price,
        reason: "KETTLE short until April".into(),
    }
}

fn invoice_total(w: &mut World, order_id: OrderId) -> o2c::Money {
    let invoice_id: InvoiceId = w.h.id();
    w.h.ok(CreateInvoice {
        invoice_id,
        order_id,
        additional_orders: vec![],
        currency: None,
    });
    w.h.engine.invoice(invoice_id).unwrap().total
}

#[test]
fn a_sales_manager_switches_a_short_line_to_a_substitute_at_its_price() {
    let mut w = World::new();
    let (kettle, plus) = kettles(&mut w);
    let stock_location = stock_of(&w);
    let order_id = short_kettle_order(&mut w, kettle);
    assert_eq!(exposure(&w), dec("150.00"));

    let event =
        w.h.as_actor(sales_manager(), |h| only(h.ok(substitute(order_id, plus, false))));

    assert_eq!(
        event,
        Event::LineSubstituted(LineSubstituted {
            order_id,
            line: 1,
            original_id: kettle,
            substitute_id: plus,
            stock_per_unit: dec("1"),
            unit_price: usd("36.00"),
            price_source: PriceSource::ListPrice,
            kept_price: false,
            released: vec![quant(1, kettle, stock_location, None, "2")],
            reason: "KETTLE short until April".into(),
        })
    );
    let switched = line(&w, order_id, 1);
    assert_eq!(
        (switched.product_id, switched.unit_price, switched.reserved),
        (plus, usd("36.00"), dec("0"))
    );
    assert!(switched.allocations.is_empty());
    assert_eq!(figures(&w, kettle), (dec("2"), dec("0"), dec("2")));
    assert_eq!(exposure(&w), dec("180.00"));

    // Reserve again: the substitute's stock; the invoice bills the substitute's price.
    let event = only(reserve(&mut w, order_id));
    let Event::StockReserved(reserved) = event else {
        panic!("expected StockReserved, got {event:?}");
    };
    assert_eq!(reserved.lines, vec![lq(1, plus, "5")]);
    assert_eq!(figures(&w, plus), (dec("10"), dec("5"), dec("5")));
    ship(&mut w, order_id, &[]);
    assert_eq!(invoice_total(&mut w, order_id), usd("180.00"));
}

#[test]
fn a_substitution_that_keeps_the_price_is_invoiced_at_the_original_price() {
    let mut w = World::new();
    let (kettle, plus) = kettles(&mut w);
    let order_id = short_kettle_order(&mut w, kettle);

    let event =
        w.h.as_actor(sales_manager(), |h| only(h.ok(substitute(order_id, plus, true))));

    let Event::LineSubstituted(substituted) = event else {
        panic!("expected LineSubstituted, got {event:?}");
    };
    assert_eq!(
        (substituted.unit_price, substituted.kept_price),
        (usd("30.00"), true)
    );
    let switched = line(&w, order_id, 1);
    assert_eq!((switched.product_id, switched.unit_price), (plus, usd("30.00")));
    assert_eq!(exposure(&w), dec("150.00"));
    reserve(&mut w, order_id);
    ship(&mut w, order_id, &[]);
    let invoice_id: InvoiceId = w.h.id();
    w.h.ok(CreateInvoice {
        invoice_id,
        order_id,
        additional_orders: vec![],
        currency: None,
    });
    let invoice = w.h.engine.invoice(invoice_id).unwrap();
    assert_eq!(invoice.lines[0].product_id, plus);
    assert_eq!(
        (invoice.lines[0].unit_price, invoice.total),
        (usd("30.00"), usd("150.00"))
    );
}

#[test]
fn only_a_listed_substitute_may_replace_a_product() {
    let mut w = World::new();
    let (kettle, _) = kettles(&mut w);
    let gadget = w.gadget;
    let order_id = short_kettle_order(&mut w, kettle);

    let error = w.h.refused(substitute(order_id, gadget, false));

    assert_eq!(
        error,
        DomainError::NotASubstitute {
            product_id: kettle,
            substitute_id: gadget,
        }
    );
}

#[test]
fn a_sales_rep_may_not_substitute() {
    let mut w = World::new();
    let (kettle, plus) = kettles(&mut w);
    let order_id = short_kettle_order(&mut w, kettle);

    let error =
        w.h.as_actor(rep(), |h| h.refused(substitute(order_id, plus, false)));

    assert_eq!(
        error,
        DomainError::NotAuthorized {
            actor: actor_id("rita"),
            command: "SubstituteProduct",
            company: crate::support::COMPANY,
            required: vec![o2c::Role::SalesManager],
        }
    );
}

#[test]
fn a_line_already_picked_or_shipped_keeps_its_product() {
    let mut w = world(OutboundRoute::TwoSteps, ReservationPolicy::Manual);
    let (kettle, plus) = kettles(&mut w);
    let picked = short_kettle_order(&mut w, kettle);
    pick(&mut w, picked, &[(1, "1")]);

    assert_eq!(
        w.h.refused(substitute(picked, plus, false)),
        DomainError::LineAlreadyInFulfilment {
            order_id: picked,
            line: 1,
        }
    );

    // In a one-step warehouse nothing is picked: a shipment is what starts fulfilment.
    let mut w = World::new();
    let (kettle, plus) = kettles(&mut w);
    let shipped = short_kettle_order(&mut w, kettle);
    ship(&mut w, shipped, &[(1, "1")]);
    assert_eq!(
        w.h.refused(substitute(shipped, plus, false)),
        DomainError::LineAlreadyInFulfilment {
            order_id: shipped,
            line: 1,
        }
    );
}

#[test]
fn a_closed_order_or_a_blank_reason_is_refused() {
    let mut w = World::new();
    let (kettle, plus) = kettles(&mut w);
    let order_id = short_kettle_order(&mut w, kettle);

    assert_eq!(
        w.h.refused(SubstituteProduct {
            reason: String::new(),
            ..substitute(order_id, plus, false)
        }),
        DomainError::InvalidText {
            field: "reason",
            reason: "must not be blank",
        }
    );
    assert_eq!(
        w.h.refused(SubstituteProduct {
            line: 2,
            ..substitute(order_id, plus, false)
        }),
        DomainError::UnknownOrderLine { order_id, line: 2 }
    );
    w.h.ok(CloseOrder {
        order_id,
        reason: "customer cancelled".into(),
    });
    assert_eq!(
        w.h.refused(substitute(order_id, plus, false)),
        DomainError::OrderIsClosed { order_id }
    );
}
