//! Quantities that are not positive or finer than their unit allows.

use crate::common::*;
use crate::support::{World, dec};
use o2c::DomainError;
use o2c::order::AddQuotationLine;
use o2c::rust_decimal::Decimal;
use o2c::stock::ReceiveStock;

#[test]
fn receiving_zero_is_refused() {
    let mut w = World::new();
    let (widget, warehouse_id) = (w.widget, w.warehouse);

    assert_eq!(
        w.h.refused(ReceiveStock {
            product_id: widget,
            warehouse_id,
            quantity: dec("0"),
            reference: String::new(),
            location_id: None,
            lots: vec![],
        }),
        DomainError::NonPositiveQuantity { quantity: dec("0") }
    );
}

#[test]
fn quoting_a_negative_quantity_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let command = quotation(&w, unknown(), &[(widget, "-2")]);

    assert_eq!(
        w.h.refused(command),
        DomainError::NonPositiveQuantity { quantity: dec("-2") }
    );
}

#[test]
fn adding_a_line_of_zero_is_refused() {
    let mut w = World::new();
    let flour = w.flour;
    let order_id = quote(&mut w, &[]);

    assert_eq!(
        w.h.refused(AddQuotationLine {
            order_id,
            product_id: flour,
            quantity: dec("0.000"),
            discount_percent: Decimal::ZERO,
            promised_date: None,
            unit: None,
            warehouse_id: None,
        }),
        DomainError::NonPositiveQuantity { quantity: dec("0") }
    );
}

#[test]
fn shipping_zero_of_a_line_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = reserved(&mut w, &[(widget, "2")]);

    assert_eq!(
        w.h.refused(ship_lines(order_id, &[(1, "0")])),
        DomainError::NonPositiveQuantity { quantity: dec("0") }
    );
}

#[test]
fn a_fraction_of_a_piece_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let command = quotation(&w, unknown(), &[(widget, "1.5")]);

    assert_eq!(
        w.h.refused(command),
        DomainError::QuantityPrecisionExceeded {
            quantity: dec("1.5"),
            unit: "pcs".into(),
            decimals: 0
        }
    );
}

#[test]
fn weighing_finer_than_the_gram_is_refused() {
    let mut w = World::new();
    let (flour, warehouse_id) = (w.flour, w.warehouse);

    assert_eq!(
        w.h.refused(ReceiveStock {
            product_id: flour,
            warehouse_id,
            quantity: dec("2.0005"),
            reference: String::new(),
            location_id: None,
            lots: vec![],
        }),
        DomainError::QuantityPrecisionExceeded {
            quantity: dec("2.0005"),
            unit: "kg".into(),
            decimals: 3
        }
    );
}

#[test]
fn shipping_a_fraction_of_a_piece_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = reserved(&mut w, &[(widget, "2")]);

    assert_eq!(
        w.h.refused(ship_lines(order_id, &[(1, "0.5")])),
        DomainError::QuantityPrecisionExceeded {
            quantity: dec("0.5"),
            unit: "pcs".into(),
            decimals: 0
        }
    );
}

#[test]
fn trailing_zeros_do_not_count_against_precision() {
    let mut w = World::new();
    let (widget, flour) = (w.widget, w.flour);

    receive(&mut w, widget, "3.000");
    receive(&mut w, flour, "1.2500");

    assert_eq!(
        w.h.engine.read(|b| b.stock_level(widget, w.warehouse)).on_hand,
        dec("3")
    );
    assert_eq!(
        w.h.engine.read(|b| b.stock_level(flour, w.warehouse)).on_hand,
        dec("1.25")
    );
}
