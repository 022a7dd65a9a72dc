//! Resolving a return: a credit note at the invoiced prices and taxes (with or without a
//! restocking fee), a refund, a replacement; what the order lines and the customer's
//! account show after each.

use crate::common::*;
use crate::support::{World, dec, person, usd};
use o2c::invoice::{
    CreditNoteIssued, CreditNoteKind, CreditedQuantity, InvoiceLine, LineTax, TaxTotal, Withheld,
};
use o2c::order::{CloseOrder, InvoicingStatus, ShippingStatus};
use o2c::payment::{CreditSource, CustomerCreditRefunded, PaymentMethod};
use o2c::returns::{
    InspectionOutcome, Resolution, ResolveReturn, ReturnResolved, ReturnStatus, ReturnedQuantity,
};
use o2c::warehouse::{ConfigureWarehouse, ReservationPolicy};
use o2c::{DomainError, Event, Role};

fn refund(credit_note_id: o2c::CreditNoteId) -> Resolution {
    Resolution::Refund {
        credit_note_id,
        restocking_fee_percent: dec("0"),
        method: PaymentMethod::BankTransfer,
        reference: "RMA refund".into(),
    }
}

/// `quantity` of an invoice line credited, for `amount`, with its taxes.
fn credited_line(line: &InvoiceLine, quantity: &str, amount: &str, taxes: Vec<LineTax>) -> InvoiceLine {
    InvoiceLine {
        quantity: dec(quantity),
        amount: usd(amount),
        taxes,
        ..line.clone()
    }
}

#[test]
fn part_of_a_delivery_comes_back_and_is_refunded_through_a_credit_note() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "10")]);
    let invoice_id = posted_invoice(&mut w, order_id);
    pay(&mut w, invoice_id, "100.00");
    let return_id = authorise(&mut w, order_id, vec![rq(1, "4")]);
    receive_back(&mut w, return_id, vec![rq(1, "4")]);
    assert_eq!(figures(&w, order_id, 1), decs(["6", "4", "0", "10"]));

    let credit_note_id = w.h.id();
    let outcome = resolve(&mut w, return_id, refund(credit_note_id));
    assert_eq!(
        names(&outcome),
        ["CreditNoteIssued", "CustomerCreditRefunded", "ReturnResolved"]
    );
    let events = events(outcome);
    let invoiced = invoice(&w, invoice_id);
    assert_eq!(
        events[0],
        Event::CreditNoteIssued(CreditNoteIssued {
            credit_note_id,
            invoice_id,
            customer_id: w.customer,
            number: "RINV/2026/00001".into(),
            fiscal_year: 2026,
            sequence: 1,
            issued_on: date(2026, 3, 2),
            kind: CreditNoteKind::ReturnedGoods(vec![CreditedQuantity {
                order_id: Some(order_id),
                order_line: 1,
                quantity: dec("4"),
            }]),
            lines: vec![credited_line(&invoiced.lines[0], "4", "40.00", vec![])],
            taxes: vec![],
            untaxed: usd("40.00"),
            tax: usd("0"),
            total: usd("40.00"),
            applied: usd("0.00"),
            reason: "Returned goods (damaged-in-transit)".into(),
            return_id: Some(return_id),
            withheld: None,
        })
    );
    assert_eq!(
        events[1],
        Event::CustomerCreditRefunded(CustomerCreditRefunded {
            customer_id: w.customer,
            source: CreditSource::CreditNote(credit_note_id),
            amount: usd("40.00"),
            method: PaymentMethod::BankTransfer,
            reference: "RMA refund".into(),
            refunded_on: date(2026, 3, 2),
        })
    );
    assert_eq!(
        events[2],
        Event::ReturnResolved(ReturnResolved {
            return_id,
            order_id,
            resolution: refund(credit_note_id),
            lines: vec![ReturnedQuantity {
                order_line: 1,
                product_id: widget,
                quantity: dec("4"),
                lot: None,
                serials: vec![],
            }],
            credit_notes: vec![credit_note_id],
            resolved_on: date(2026, 3, 2),
        })
    );
    // Delivered and invoiced both went down by the 4 returned.
    assert_eq!(figures(&w, order_id, 1), decs(["6", "0", "4", "6"]));
    let order = order(&w, order_id);
    assert_eq!(order.invoicing_status(), InvoicingStatus::FullyInvoiced);
    assert_eq!(order.shipping_status(), ShippingStatus::Shipped);
    let note = credit_note(&w, credit_note_id);
    assert_eq!((note.refunded, note.unapplied()), (dec("40.00"), usd("0.00")));
    assert_eq!(note.return_id, Some(return_id));
    let customer = w.h.engine.customer(w.customer).unwrap();
    assert_eq!(customer.receivable, dec("0"));
    assert_eq!(customer.uninvoiced_orders, dec("0"));
    let state = rma(&w, return_id);
    assert_eq!(state.status, ReturnStatus::Resolved);
    assert_eq!(state.credit_notes, vec![credit_note_id]);
    assert_eq!(
        (state.lines[0].resolved, state.lines[0].credited),
        (dec("4"), dec("4"))
    );
}

#[test]
fn a_credit_note_offsets_the_open_invoice_and_then_nothing_is_left_to_refund() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "10")]);
    let invoice_id = posted_invoice(&mut w, order_id);
    let return_id = authorise(&mut w, order_id, vec![rq(1, "4")]);
    receive_back(&mut w, return_id, vec![rq(1, "4")]);
    let credit_note_id = w.h.id();
    assert_eq!(
        w.h.refused(ResolveReturn {
            return_id,
            resolution: refund(credit_note_id),
        }),
        DomainError::NothingToRefund {
            return_id,
            credited: Some(usd("40.00")),
        }
    );
    let outcome = resolve(
        &mut w,
        return_id,
        Resolution::Credit {
            credit_note_id,
            restocking_fee_percent: dec("0"),
        },
    );
    assert_eq!(names(&outcome), ["CreditNoteIssued", "ReturnResolved"]);
    assert_eq!(credit_note(&w, credit_note_id).unapplied(), usd("0.00"));
    assert_eq!(invoice(&w, invoice_id).open_amount(), usd("60.00"));
    assert_eq!(w.h.engine.customer(w.customer).unwrap().receivable, dec("60.00"));
    assert_eq!(figures(&w, order_id, 1), decs(["6", "0", "4", "6"]));
    assert_eq!(
        w.h.refused(ResolveReturn {
            return_id,
            resolution: Resolution::Replacement,
        }),
        DomainError::NothingToResolve { return_id }
    );
}

#[test]
fn a_restocking_fee_is_withheld_from_each_credited_line_before_tax() {
    let mut w = World::new();
    let chair = product(&mut w, "CHAIR", "25.00", Default::default());
    let vat = vat_on(&mut w, "20", chair);
    let order_id = delivered(&mut w, &[(chair, "4")]);
    let invoice_id = posted_invoice(&mut w, order_id);
    assert_eq!(invoice(&w, invoice_id).total, usd("120.00"));
    let return_id = authorise(&mut w, order_id, vec![rq(1, "4")]);
    receive_back(&mut w, return_id, vec![rq(1, "4")]);
    let (credit_note_id, resolution) = credit(&mut w, "15");
    let outcome = resolve(&mut w, return_id, resolution);
    let Event::CreditNoteIssued(note) = &outcome.events[0].payload else {
        panic!("expected a credit note");
    };
    let line = &invoice(&w, invoice_id).lines[0];
    let tax = |amount: &str| LineTax {
        tax_id: vat,
        amount: dec(amount),
    };
    let total = |amount: &str| TaxTotal {
        tax_id: vat,
        name: "VAT 20%".into(),
        amount: dec(amount),
    };
    // 4 × 25.00 = 100.00 + 20.00: 15.00 and 3.00 withheld, 85.00 + 17.00 credited.
    assert_eq!(
        note.lines,
        vec![credited_line(line, "4", "85.00", vec![tax("17")])]
    );
    assert_eq!(note.taxes, vec![total("17.00")]);
    assert_eq!(
        (note.untaxed, note.tax, note.total),
        (usd("85.00"), usd("17.00"), usd("102.00"))
    );
    assert_eq!(
        note.withheld,
        Some(Withheld {
            percent: dec("15"),
            lines: vec![credited_line(line, "4", "15.00", vec![tax("3")])],
            taxes: vec![total("3.00")],
            untaxed: usd("15.00"),
            tax: usd("3.00"),
            total: usd("18.00"),
        })
    );
    // The fee stays owed on the invoice.
    assert_eq!(invoice(&w, invoice_id).open_amount(), usd("18.00"));
    assert_eq!(
        credit_note(&w, credit_note_id).withheld.unwrap().total,
        usd("18.00")
    );
    assert_eq!(figures(&w, order_id, 1), decs(["0", "0", "4", "0"]));
}

#[test]
fn crediting_the_rest_of_a_line_later_never_hands_the_fee_back() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "3")]);
    let invoice_id = posted_invoice(&mut w, order_id);
    let return_id = authorise(&mut w, order_id, vec![rq(1, "3")]);
    receive_back(&mut w, return_id, vec![rq(1, "1")]);
    let (first, resolution) = credit(&mut w, "15");
    resolve(&mut w, return_id, resolution);
    assert_eq!(credit_note(&w, first).total, usd("8.50"));
    // The rest of the line: 30.00 less 8.50 credited and 1.50 withheld.
    receive_back(&mut w, return_id, vec![rq(1, "2")]);
    let (second, resolution) = credit(&mut w, "0");
    resolve(&mut w, return_id, resolution);
    assert_eq!(credit_note(&w, second).total, usd("20.00"));
    assert_eq!(credit_note(&w, second).number, "RINV/2026/00002");
    assert_eq!(invoice(&w, invoice_id).open_amount(), usd("1.50"));
    assert_eq!(figures(&w, order_id, 1), decs(["0", "0", "3", "0"]));
    assert_eq!(rma(&w, return_id).credit_notes, vec![first, second]);
}

#[test]
fn a_replacement_ships_again_at_the_order_prices_without_a_new_invoice() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "10")]);
    let invoice_id = posted_invoice(&mut w, order_id);
    let return_id = authorise(&mut w, order_id, vec![rq(1, "4")]);
    receive_back(&mut w, return_id, vec![rq(1, "4")]);
    let outcome = resolve(&mut w, return_id, Resolution::Replacement);
    assert_eq!(names(&outcome), ["ReturnResolved"]);
    // The 4 are open again; invoiced stays at 10, so nothing is invoiceable.
    assert_eq!(figures(&w, order_id, 1), decs(["6", "0", "0", "10"]));
    let order_now = order(&w, order_id);
    let line = order_now.line(1).unwrap();
    assert_eq!(line.open_quantity(), dec("4"));
    assert_eq!(order_now.invoiceable(line), dec("-4"));
    assert_eq!(order_now.shipping_status(), ShippingStatus::PartiallyShipped);
    let draft = w.h.id();
    let nothing = w.h.refused(o2c::invoice::CreateInvoice {
        invoice_id: draft,
        order_id,
        additional_orders: vec![],
        currency: None,
    });
    assert_eq!(nothing, DomainError::NothingToInvoice { order_id });
    assert_eq!(
        w.h.engine.customer(w.customer).unwrap().uninvoiced_orders,
        dec("0")
    );
    // The returned goods go back to stock and ship again through the ordinary flow.
    inspect(
        &mut w,
        return_id,
        vec![decision(1, "4", InspectionOutcome::Restock)],
    );
    ship(&mut w, order_id, &[]);
    assert_eq!(figures(&w, order_id, 1), decs(["10", "0", "0", "10"]));
    let order_after = order(&w, order_id);
    assert_eq!(order_after.shipping_status(), ShippingStatus::Shipped);
    assert_eq!(order_after.invoicing_status(), InvoicingStatus::FullyInvoiced);
    assert_eq!(
        w.h.refused(o2c::invoice::CreateInvoice {
            invoice_id: draft,
            order_id,
            additional_orders: vec![],
            currency: None,
        }),
        DomainError::NothingToInvoice { order_id }
    );
    assert_eq!(invoice(&w, invoice_id).open_amount(), usd("100.00"));
    let state = rma(&w, return_id);
    assert_eq!(
        (state.lines[0].replaced, state.status),
        (dec("4"), ReturnStatus::Resolved)
    );
    assert_eq!(where_is(&w, widget), decs(["0", "0", "0", "0", "10", "-10"]));
}

#[test]
fn a_replacement_is_reserved_at_once_where_the_warehouse_reserves_at_confirmation() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "10")]);
    let warehouse_id = w.warehouse;
    w.h.ok(ConfigureWarehouse {
        warehouse_id,
        route: Default::default(),
        reservation: ReservationPolicy::AtConfirmation,
    });
    receive(&mut w, widget, "5");
    let return_id = authorise(&mut w, order_id, vec![rq(1, "4")]);
    receive_back(&mut w, return_id, vec![rq(1, "4")]);
    let outcome = resolve(&mut w, return_id, Resolution::Replacement);
    assert_eq!(names(&outcome), ["ReturnResolved", "StockReserved"]);
    assert_eq!(order_line(&w, order_id, 1).reserved, dec("4"));
}

#[test]
fn a_closed_order_cannot_be_replaced_but_may_be_credited() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "10")]);
    posted_invoice(&mut w, order_id);
    let return_id = authorise(&mut w, order_id, vec![rq(1, "4")]);
    receive_back(&mut w, return_id, vec![rq(1, "4")]);
    w.h.ok(CloseOrder {
        order_id,
        reason: "done".into(),
    });
    assert_eq!(
        w.h.refused(ResolveReturn {
            return_id,
            resolution: Resolution::Replacement,
        }),
        DomainError::OrderIsClosed { order_id }
    );
    let (credit_note_id, resolution) = credit(&mut w, "0");
    resolve(&mut w, return_id, resolution);
    assert_eq!(credit_note(&w, credit_note_id).total, usd("40.00"));
    assert_eq!(figures(&w, order_id, 1), decs(["6", "0", "4", "6"]));
    assert_eq!(
        order(&w, order_id).invoicing_status(),
        InvoicingStatus::FullyInvoiced
    );
}

#[test]
fn goods_never_invoiced_are_no_longer_expected_and_no_credit_note_is_issued() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "10")]);
    assert_eq!(
        w.h.engine.customer(w.customer).unwrap().uninvoiced_orders,
        dec("100.00")
    );
    let return_id = authorise(&mut w, order_id, vec![rq(1, "4")]);
    receive_back(&mut w, return_id, vec![rq(1, "4")]);
    let (credit_note_id, resolution) = credit(&mut w, "10");
    let outcome = resolve(&mut w, return_id, resolution);
    assert_eq!(names(&outcome), ["ReturnResolved"]);
    assert!(w.h.engine.read(|b| b.credit_note(credit_note_id).is_none()));
    assert_eq!(figures(&w, order_id, 1), decs(["6", "0", "4", "0"]));
    assert_eq!(
        w.h.engine.customer(w.customer).unwrap().uninvoiced_orders,
        dec("60.00")
    );
    let invoice_id = posted_invoice(&mut w, order_id);
    assert_eq!(invoice(&w, invoice_id).total, usd("60.00"));
    assert_eq!(
        order(&w, order_id).invoicing_status(),
        InvoicingStatus::FullyInvoiced
    );
}

#[test]
fn only_the_invoiced_part_of_what_came_back_is_credited() {
    let mut w = World::new();
    let widget = w.widget;
    receive(&mut w, widget, "10");
    let customer = w.customer;
    let order_id = confirmed_for(&mut w, customer, &[(widget, "10")]);
    ship(&mut w, order_id, &[(1, "6")]);
    let invoice_id = posted_invoice(&mut w, order_id);
    ship(&mut w, order_id, &[]);
    assert_eq!(figures(&w, order_id, 1), decs(["10", "0", "0", "6"]));
    // 8 come back: the customer keeps 2 but paid for 6, so 4 are credited.
    let return_id = authorise(&mut w, order_id, vec![rq(1, "8")]);
    receive_back(&mut w, return_id, vec![rq(1, "8")]);
    let (credit_note_id, resolution) = credit(&mut w, "0");
    resolve(&mut w, return_id, resolution);
    let note = credit_note(&w, credit_note_id);
    assert_eq!((note.lines[0].quantity, note.total), (dec("4"), usd("40.00")));
    assert_eq!(note.invoice_id, invoice_id);
    assert_eq!(figures(&w, order_id, 1), decs(["2", "0", "8", "2"]));
    let order = order(&w, order_id);
    assert_eq!(order.invoiceable(order.line(1).unwrap()), dec("0"));
    assert_eq!(order.invoicing_status(), InvoicingStatus::FullyInvoiced);
}

#[test]
fn a_credit_over_two_invoices_issues_one_numbered_note_each_newest_first() {
    let mut w = World::new();
    let widget = w.widget;
    receive(&mut w, widget, "10");
    let customer = w.customer;
    let order_id = confirmed_for(&mut w, customer, &[(widget, "10")]);
    ship(&mut w, order_id, &[(1, "6")]);
    let older = posted_invoice(&mut w, order_id);
    ship(&mut w, order_id, &[]);
    let newer = posted_invoice(&mut w, order_id);
    let return_id = authorise(&mut w, order_id, vec![rq(1, "10")]);
    receive_back(&mut w, return_id, vec![rq(1, "10")]);
    let (first, resolution) = credit(&mut w, "0");
    let outcome = resolve(&mut w, return_id, resolution);
    assert_eq!(
        names(&outcome),
        ["CreditNoteIssued", "CreditNoteIssued", "ReturnResolved"]
    );
    let second = o2c::returns::credit::credit_note_id(first, 1, older);
    let (a, b) = (credit_note(&w, first), credit_note(&w, second));
    assert_eq!(
        (a.invoice_id, a.number.as_str(), a.total),
        (newer, "RINV/2026/00001", usd("40.00"))
    );
    assert_eq!(
        (b.invoice_id, b.number.as_str(), b.total),
        (older, "RINV/2026/00002", usd("60.00"))
    );
    assert_eq!(rma(&w, return_id).credit_notes, vec![first, second]);
    assert_eq!(figures(&w, order_id, 1), decs(["0", "0", "10", "0"]));
    assert_eq!(w.h.engine.customer(w.customer).unwrap().receivable, dec("0"));
}

#[test]
fn crediting_waits_for_draft_invoices_of_the_lines() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "10")]);
    let draft = w.h.id();
    w.h.ok(o2c::invoice::CreateInvoice {
        invoice_id: draft,
        order_id,
        additional_orders: vec![],
        currency: None,
    });
    let return_id = authorise(&mut w, order_id, vec![rq(1, "4")]);
    receive_back(&mut w, return_id, vec![rq(1, "4")]);
    let (_, resolution) = credit(&mut w, "0");
    assert_eq!(
        w.h.refused(ResolveReturn {
            return_id,
            resolution: resolution.clone(),
        }),
        DomainError::ReturnLineOnDraftInvoice {
            line: 1,
            invoicing: dec("10"),
        }
    );
    w.h.ok(o2c::invoice::PostInvoice { invoice_id: draft });
    resolve(&mut w, return_id, resolution);
    assert_eq!(figures(&w, order_id, 1), decs(["6", "0", "4", "6"]));
}

#[test]
fn nothing_is_resolved_before_it_comes_back_and_the_fee_stays_below_100_percent() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "10")]);
    posted_invoice(&mut w, order_id);
    let return_id = authorise(&mut w, order_id, vec![rq(1, "4")]);
    assert_eq!(
        w.h.refused(ResolveReturn {
            return_id,
            resolution: Resolution::Replacement,
        }),
        DomainError::NothingToResolve { return_id }
    );
    receive_back(&mut w, return_id, vec![rq(1, "4")]);
    for fee in ["100", "-1", "12.00001"] {
        let (_, resolution) = credit(&mut w, fee);
        assert_eq!(
            w.h.refused(ResolveReturn {
                return_id,
                resolution
            }),
            DomainError::InvalidPercent {
                field: "restocking_fee_percent",
                value: dec(fee),
            }
        );
    }
    let refusal = w.h.as_actor(person("max", &[Role::WarehouseManager]), |h| {
        h.refused(ResolveReturn {
            return_id,
            resolution: Resolution::Replacement,
        })
    });
    assert!(matches!(
        refusal,
        DomainError::NotAuthorized {
            command: "ResolveReturn",
            ..
        }
    ));
    w.h.as_actor(person("lead", &[Role::CustomerServiceLead]), |h| {
        h.ok(ResolveReturn {
            return_id,
            resolution: Resolution::Replacement,
        })
    });
    assert_eq!(rma(&w, return_id).status, ReturnStatus::Resolved);
}

#[test]
fn a_refund_needs_something_invoiced_and_a_credit_stays_within_the_invoice() {
    let mut w = World::new();
    let widget = w.widget;
    // Never invoiced: no credit note, so nothing to refund.
    let order_id = delivered(&mut w, &[(widget, "10")]);
    let return_id = authorise(&mut w, order_id, vec![rq(1, "4")]);
    receive_back(&mut w, return_id, vec![rq(1, "4")]);
    let credit_note_id = w.h.id();
    assert_eq!(
        w.h.refused(ResolveReturn {
            return_id,
            resolution: refund(credit_note_id),
        }),
        DomainError::NothingToRefund {
            return_id,
            credited: None,
        }
    );

    // A down payment deducted from the invoice leaves less to credit than the goods.
    receive(&mut w, widget, "10");
    let customer = w.customer;
    let second = confirmed_for(&mut w, customer, &[(widget, "10")]);
    let down_payment = w.h.id();
    w.h.ok(o2c::invoice::CreateDownPaymentInvoice {
        invoice_id: down_payment,
        order_id: second,
        amount: o2c::invoice::DownPaymentAmount::Percent(dec("50")),
    });
    w.h.ok(o2c::invoice::PostInvoice {
        invoice_id: down_payment,
    });
    ship(&mut w, second, &[]);
    let invoice_id = posted_invoice(&mut w, second);
    assert_eq!(invoice(&w, invoice_id).total, usd("50.00"));
    let all_back = authorise(&mut w, second, vec![rq(1, "10")]);
    receive_back(&mut w, all_back, vec![rq(1, "10")]);
    let (_, resolution) = credit(&mut w, "0");
    assert_eq!(
        w.h.refused(ResolveReturn {
            return_id: all_back,
            resolution,
        }),
        DomainError::CreditExceedsInvoice {
            invoice_id,
            requested: usd("100.00"),
            creditable: usd("50.00"),
        }
    );
}
