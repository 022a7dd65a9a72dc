//! Orders shipped from several warehouses: refused unless the company allows it; then
//! each line reserves, is viewed and ships in its own warehouse.

use crate::common::*;
use crate::support::{World, dec, usd};
use o2c::company::{ChangeCompanySettings, CompanySettings};
use o2c::invoice::CreateInvoice;
use o2c::location::LocationKind;
use o2c::order::{CreateQuotation, RequestedLine, StockReserved};
use o2c::picking::{OperationState, Step};
use o2c::shipment::ShipOrder;
use o2c::warehouse::ReservationPolicy;
use o2c::{DomainError, Event, InvoiceId, WarehouseId};

fn allow_multi_warehouse_orders(w: &mut World) {
    w.h.ok(ChangeCompanySettings {
        settings: CompanySettings {
            multi_warehouse_orders: true,
            ..CompanySettings::default()
        },
    });
}

/// 5 widgets from the order's warehouse and 4 gadgets from `east`.
fn split_quotation(w: &mut World, east: WarehouseId) -> CreateQuotation {
    let (widget, gadget) = (w.widget, w.gadget);
    quotation(
        w,
        vec![
            requested(widget, "5"),
            RequestedLine {
                warehouse_id: Some(east),
                ..requested(gadget, "4")
            },
        ],
    )
}

#[test]
fn a_line_from_another_warehouse_needs_the_company_setting() {
    let mut w = World::new();
    let east = warehouse(&mut w, "WH-EAST", ReservationPolicy::Manual);
    let quotation = split_quotation(&mut w, east);

    let error = w.h.refused(quotation);

    assert_eq!(
        error,
        DomainError::MultiWarehouseNotAllowed { warehouse_id: east }
    );
    // Naming the order's own warehouse on a line is not a second warehouse.
    let (widget, own) = (w.widget, w.warehouse);
    let quotation = crate::common::quotation(
        &mut w,
        vec![RequestedLine {
            warehouse_id: Some(own),
            ..requested(widget, "1")
        }],
    );
    let order_id = quotation.order_id;
    w.h.ok(quotation);
    assert_eq!(line(&w, order_id, 1).warehouse_id, own);
}

#[test]
fn each_line_reserves_and_ships_in_its_own_warehouse() {
    let mut w = World::new();
    let (widget, gadget, main) = (w.widget, w.gadget, w.warehouse);
    let east = warehouse(&mut w, "WH-EAST", ReservationPolicy::Manual);
    allow_multi_warehouse_orders(&mut w);
    receive(&mut w, widget, "5");
    receive_into(&mut w, gadget, east, "4");
    // Gadgets in the main warehouse are not the east line's.
    receive(&mut w, gadget, "10");
    let quotation = split_quotation(&mut w, east);
    let order_id = confirm(&mut w, quotation);
    assert_eq!(line(&w, order_id, 2).warehouse_id, east);

    // Reserving: one event per warehouse.
    let events = events(reserve(&mut w, order_id));
    assert_eq!(
        events,
        vec![
            Event::StockReserved(StockReserved {
                order_id,
                warehouse_id: main,
                lines: vec![lq(1, widget, "5")],
                quants: vec![quant(1, widget, at(main, LocationKind::Stock), None, "5")],
            }),
            Event::StockReserved(StockReserved {
                order_id,
                warehouse_id: east,
                lines: vec![lq(2, gadget, "4")],
                quants: vec![quant(2, gadget, at(east, LocationKind::Stock), None, "4")],
            }),
        ]
    );
    let east_gadgets = w.h.engine.read(|b| b.stock_level(gadget, east));
    assert_eq!(
        (east_gadgets.on_hand, east_gadgets.reserved),
        (dec("4"), dec("4"))
    );
    assert_eq!(figures(&w, gadget), (dec("10"), dec("0"), dec("10")));
    let views = steps(&w, order_id);
    assert_eq!(
        views
            .iter()
            .map(|v| (v.warehouse_id, v.step, v.state, v.lines.len()))
            .collect::<Vec<_>>(),
        vec![
            (main, Step::Ship, OperationState::Ready, 1),
            (east, Step::Ship, OperationState::Ready, 1),
        ]
    );

    // Shipping from the order's warehouse takes its lines only.
    let from_main = ship(&mut w, order_id, &[]);
    assert_eq!(
        w.h.engine.shipment(from_main).unwrap().lines,
        vec![lq(1, widget, "5")]
    );
    // The east line cannot ship from the main warehouse.
    let command = shipping(&mut w, order_id, &[(2, "4")]);
    assert_eq!(
        w.h.refused(command),
        DomainError::LineInAnotherWarehouse {
            line: 2,
            warehouse_id: east,
        }
    );
    // From the east warehouse.
    let command = ShipOrder {
        warehouse_id: Some(east),
        ..shipping(&mut w, order_id, &[])
    };
    let from_east = command.shipment_id;
    w.h.ok(command);
    let shipment = w.h.engine.shipment(from_east).unwrap();
    assert_eq!(shipment.warehouse_id, east);
    assert_eq!(shipment.lines, vec![lq(2, gadget, "4")]);
    assert_eq!(shipment.moves[0].movement.from, at(east, LocationKind::Stock));
    let east_gadgets = w.h.engine.read(|b| b.stock_level(gadget, east));
    assert_eq!(
        (east_gadgets.on_hand, east_gadgets.reserved),
        (dec("0"), dec("0"))
    );

    // One invoice for both: 5 x 10.00 + 4 x 2.50.
    let invoice_id: InvoiceId = w.h.id();
    w.h.ok(CreateInvoice {
        invoice_id,
        order_id,
        additional_orders: vec![],
        currency: None,
    });
    assert_eq!(w.h.engine.invoice(invoice_id).unwrap().total, usd("60.00"));
}

#[test]
fn a_multi_warehouse_order_reserves_at_confirmation_only_where_the_warehouse_says_so() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let east = warehouse(&mut w, "WH-EAST", ReservationPolicy::AtConfirmation);
    allow_multi_warehouse_orders(&mut w);
    receive(&mut w, widget, "5");
    receive_into(&mut w, gadget, east, "4");
    let quotation = split_quotation(&mut w, east);

    let order_id = confirm(&mut w, quotation);

    assert_eq!(line(&w, order_id, 1).reserved, dec("0"));
    assert_eq!(line(&w, order_id, 2).reserved, dec("4"));
}
