//! Units of measure: a product stocked in pieces and sold in boxes of 12 is priced, reserved,
//! shipped and invoiced exactly; conversions that are not exact, or cross categories, are
//! refused; unit definitions are checked.

use crate::common::*;
use crate::support::{dec, usd};
use o2c::invoice::{CreateInvoice, InvoiceCreated, InvoiceLine};
use o2c::location::LocationKind;
use o2c::order::{ReserveStock, RevalidateQuotation, StockReserved};
use o2c::product::{RegisterProduct, Unit};
use o2c::shipment::ShipmentDispatched;
use o2c::unit::{DefineUnit, UnitDefined, UnitDefinition};
use o2c::{DomainError, Event, InvoiceId};

#[test]
fn defining_a_unit_records_its_category_factor_and_precision() {
    let mut w = world_with_units();

    let event = only(w.h.ok(DefineUnit {
        code: "pallet".into(),
        category: "count".into(),
        factor: dec("480"),
        decimals: 0,
    }));

    assert_eq!(
        event,
        Event::UnitDefined(UnitDefined {
            company_id: crate::support::COMPANY,
            unit: UnitDefinition {
                code: "pallet".into(),
                category: "count".into(),
                factor: dec("480"),
                decimals: 0,
            },
        })
    );
    let box12 = w.h.engine.read(|b| b.unit_definition("box12").cloned()).unwrap();
    assert_eq!((box12.category.as_str(), box12.factor), ("count", dec("12")));
}

#[test]
fn a_box_of_twelve_is_priced_reserved_shipped_and_invoiced_in_whole_boxes() {
    // Given widgets stocked in pieces (10.00 USD each), 30 pieces in stock.
    let mut w = world_with_units();
    let (widget, warehouse_id) = (w.widget, w.warehouse);
    let stock_location = stock_of(&w);
    receive(&mut w, widget, "30");

    // When Acme orders 3 boxes of 12.
    let quotation = quotation(&mut w, vec![requested_in(widget, "3", "box12")]);
    let order_id = confirm(&mut w, quotation);

    // Then the line is in boxes at 12 x the list price, and the order is worth 360.00.
    let boxes = line(&w, order_id, 1);
    assert_eq!(boxes.unit, "box12");
    assert_eq!(boxes.quantity, dec("3"));
    assert_eq!(boxes.unit_price, usd("120.00"));
    assert_eq!(boxes.stock_per_unit, dec("12"));
    assert_eq!(exposure(&w), dec("360.00"));

    // When stock is reserved: 30 pieces make 2 whole boxes (24 pieces), never 2.5.
    let event = only(reserve(&mut w, order_id));
    assert_eq!(
        event,
        Event::StockReserved(StockReserved {
            order_id,
            warehouse_id,
            lines: vec![lq(1, widget, "2")],
            quants: vec![quant(1, widget, stock_location, None, "24")],
        })
    );
    let boxes = line(&w, order_id, 1);
    assert_eq!((boxes.reserved, boxes.unreserved()), (dec("2"), dec("1")));
    assert_eq!(figures(&w, widget), (dec("30"), dec("24"), dec("6")));

    // When everything reserved ships: 2 boxes leave as 24 pieces.
    let shipping = shipping(&mut w, order_id, &[]);
    let shipment_id = shipping.shipment_id;
    let event = only(w.h.ok(shipping));
    let customers = virtual_at(LocationKind::Customer);
    assert_eq!(
        event,
        Event::ShipmentDispatched(ShipmentDispatched {
            shipment_id,
            order_id,
            customer_id: w.customer,
            warehouse_id,
            lines: vec![lq(1, widget, "2")],
            moves: vec![line_move(1, mv(widget, stock_location, customers, None, "24"))],
            carrier: "UPS".into(),
            tracking_reference: "1Z999".into(),
            cancelled: vec![],
            released: vec![],
            returned: vec![],
        })
    );
    let widgets = stock(&w, widget);
    assert_eq!(widgets.at(stock_location), dec("6"));
    assert_eq!(widgets.at(customers), dec("24"));
    assert_eq!(figures(&w, widget), (dec("6"), dec("0"), dec("6")));
    let boxes = line(&w, order_id, 1);
    assert_eq!((boxes.delivered, boxes.reserved), (dec("2"), dec("0")));
    assert_eq!(order(&w, order_id).backorder(1), dec("1"));

    // Then the invoice bills 2 boxes at 120.00: 240.00.
    let invoice_id: InvoiceId = w.h.id();
    let event = only(w.h.ok(CreateInvoice {
        invoice_id,
        order_id,
        additional_orders: vec![],
        currency: None,
    }));
    assert_eq!(
        event,
        Event::InvoiceCreated(InvoiceCreated {
            invoice_id,
            order_id,
            customer_id: w.customer,
            lines: vec![InvoiceLine {
                order_line: 1,
                product_id: widget,
                quantity: dec("2"),
                unit_price: usd("120.00"),
                discount_percent: dec("0"),
                amount: usd("240.00"),
                order_id: Some(order_id),
                taxes: vec![],
            }],
            total: usd("240.00"),
            additional_orders: vec![],
            rate: None,
            taxes: vec![],
            deductions: vec![],
            untaxed: Some(usd("240.00")),
            tax: Some(usd("0.00")),
            down_payment: false,
        })
    );

    // And 6 more pieces complete the third box.
    receive(&mut w, widget, "6");
    let event = only(reserve(&mut w, order_id));
    assert_eq!(
        event,
        Event::StockReserved(StockReserved {
            order_id,
            warehouse_id,
            lines: vec![lq(1, widget, "1")],
            quants: vec![quant(1, widget, stock_location, None, "12")],
        })
    );
}

#[test]
fn fewer_pieces_than_a_box_reserve_nothing() {
    let mut w = world_with_units();
    let widget = w.widget;
    receive(&mut w, widget, "11");
    let quotation = quotation(&mut w, vec![requested_in(widget, "1", "box12")]);
    let order_id = confirm(&mut w, quotation);

    let error = w.h.refused(ReserveStock { order_id });

    assert_eq!(error, DomainError::NoStockAvailable { order_id });
}

#[test]
fn kilograms_sold_in_grams_stay_exact_through_reservation_shipment_and_invoice() {
    // Flour is stocked in kg (3 decimals) at 4.00 USD per kg; 1.2 kg in stock.
    let mut w = world_with_units();
    let flour = w.flour;
    let stock_location = stock_of(&w);
    receive(&mut w, flour, "1.2");
    let quotation = quotation(&mut w, vec![requested_in(flour, "1500", "g")]);
    let order_id = confirm(&mut w, quotation);
    let grams = line(&w, order_id, 1);
    assert_eq!(
        (grams.unit_price, grams.stock_per_unit),
        (usd("0.004"), dec("0.001"))
    );
    assert_eq!(exposure(&w), dec("6.00"));

    let event = only(reserve(&mut w, order_id));
    let Event::StockReserved(reserved) = event else {
        panic!("expected StockReserved, got {event:?}");
    };
    assert_eq!(reserved.lines, vec![lq(1, flour, "1200")]);
    assert_eq!(
        reserved.quants,
        vec![quant(1, flour, stock_location, None, "1.2")]
    );

    ship(&mut w, order_id, &[]);
    let invoice_id: InvoiceId = w.h.id();
    w.h.ok(CreateInvoice {
        invoice_id,
        order_id,
        additional_orders: vec![],
        currency: None,
    });
    let invoice = w.h.engine.invoice(invoice_id).unwrap();
    assert_eq!(
        (invoice.lines[0].quantity, invoice.total),
        (dec("1200"), usd("4.80"))
    );
    assert_eq!(stock(&w, flour).at(stock_location), dec("0"));
}

#[test]
fn selling_pieces_of_a_product_stocked_in_boxes_of_twelve_is_refused_as_inexact() {
    let mut w = world_with_units();
    let crate_of_jars = NewProduct::new("JARS", "box12", "60.00").register(&mut w.h);
    let quotation = quotation(&mut w, vec![requested_in(crate_of_jars, "24", "pcs")]);

    let error = w.h.refused(quotation);

    assert_eq!(
        error,
        DomainError::UnitConversionInexact {
            quantity: dec("1"),
            from: "pcs".into(),
            to: "box12".into(),
        }
    );
}

#[test]
fn pieces_that_are_not_whole_boxes_of_ten_are_refused() {
    // One piece is exactly 0.1 box of 10, so pieces may be sold, but only whole boxes' worth.
    let mut w = world_with_units();
    let carton = NewProduct::new("CARTON", "box10", "50.00").register(&mut w.h);
    let quotation = quotation(&mut w, vec![requested_in(carton, "25", "pcs")]);

    let error = w.h.refused(quotation);

    assert_eq!(
        error,
        DomainError::UnitConversionInexact {
            quantity: dec("25"),
            from: "pcs".into(),
            to: "box10".into(),
        }
    );
    let quotation = crate::common::quotation(&mut w, vec![requested_in(carton, "20", "pcs")]);
    let order_id = confirm(&mut w, quotation);
    assert_eq!(
        (
            line(&w, order_id, 1).unit_price,
            line(&w, order_id, 1).stock_per_unit
        ),
        (usd("5.00"), dec("0.1"))
    );
}

#[test]
fn a_unit_of_another_category_is_refused() {
    let mut w = world_with_units();
    let widget = w.widget;
    let quotation = quotation(&mut w, vec![requested_in(widget, "2", "kg")]);

    let error = w.h.refused(quotation);

    assert_eq!(
        error,
        DomainError::UnitCategoryMismatch {
            from: "kg".into(),
            to: "pcs".into(),
        }
    );
}

#[test]
fn an_undefined_unit_is_refused() {
    let mut w = world_with_units();
    let widget = w.widget;
    let quotation = quotation(&mut w, vec![requested_in(widget, "2", "dozen")]);

    let error = w.h.refused(quotation);

    assert_eq!(error, DomainError::UnknownUnit { code: "dozen".into() });
}

#[test]
fn unit_definitions_are_checked() {
    let mut w = world_with_units();
    let define = |code: &str, factor: &str, decimals: u32| DefineUnit {
        code: code.into(),
        category: "count".into(),
        factor: dec(factor),
        decimals,
    };

    assert_eq!(
        w.h.refused(define("box12", "12", 0)),
        DomainError::UnitAlreadyDefined { code: "box12".into() }
    );
    assert_eq!(
        w.h.refused(define("box0", "0", 0)),
        DomainError::InvalidUnitFactor { factor: dec("0") }
    );
    assert_eq!(
        w.h.refused(define("tiny", "0.5", 7)),
        DomainError::UnitPrecisionTooHigh {
            unit: "tiny".into(),
            decimals: 7,
            max: 6,
        }
    );
    // A code some product already uses as its own (undefined) unit is taken.
    NewProduct::new("BOLT", "each", "0.20").register(&mut w.h);
    assert_eq!(
        w.h.refused(define("each", "1", 0)),
        DomainError::UnitAlreadyDefined { code: "each".into() }
    );
    // Only an admin defines units.
    let error =
        w.h.as_actor(warehouse_manager(), |h| h.refused(define("crate", "24", 0)));
    assert!(
        matches!(
            error,
            DomainError::NotAuthorized {
                command: "DefineUnit",
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn a_product_in_a_defined_unit_takes_its_precision() {
    let mut w = world_with_units();
    let product_id = w.h.id();

    let error = w.h.refused(RegisterProduct {
        product_id,
        sku: "SUGAR".into(),
        name: "Sugar".into(),
        unit: Unit {
            code: "kg".into(),
            decimals: 2,
        },
        list_price: usd("1.50"),
        category: None,
        floor_price: None,
        tracking: Default::default(),
        substitutes: vec![],
        invoice_policy: Default::default(),
        taxes: vec![],
    });

    assert_eq!(
        error,
        DomainError::UnitMismatch {
            unit: "kg".into(),
            defined_decimals: 3,
        }
    );
}

#[test]
fn revalidating_a_quotation_in_boxes_keeps_the_price_of_a_box() {
    let mut w = world_with_units();
    let widget = w.widget;
    let quotation = quotation(&mut w, vec![requested_in(widget, "3", "box12")]);
    let order_id = quotation.order_id;
    w.h.ok(quotation);
    assert_eq!(line(&w, order_id, 1).unit_price, usd("120.00"));
    w.h.advance_days(31);

    w.h.ok(RevalidateQuotation { order_id });

    assert_eq!(line(&w, order_id, 1).unit_price, usd("120.00"));
}

#[test]
fn a_partial_shipment_in_pieces_never_splits_a_box() {
    // Cartons are stocked in boxes of 10 (0 decimals) and sold by the piece (0.1 box each).
    let mut w = world_with_units();
    let carton = NewProduct::new("CARTON", "box10", "50.00").register(&mut w.h);
    receive(&mut w, carton, "2");
    let quotation = quotation(&mut w, vec![requested_in(carton, "20", "pcs")]);
    let order_id = confirm(&mut w, quotation);
    reserve(&mut w, order_id);

    // Shipping 5 pieces would move 0.5 box: not a quantity of the stock unit.
    let command = shipping(&mut w, order_id, &[(1, "5")]);
    let error = w.h.refused(command);

    assert_eq!(
        error,
        DomainError::UnitConversionInexact {
            quantity: dec("5"),
            from: "pcs".into(),
            to: "box10".into(),
        }
    );
}
