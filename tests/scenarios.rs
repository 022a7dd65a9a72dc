//! Scenario tests for the order-to-cash flow, one business step at a time: given the
//! standard world (company, warehouse WH-1, customer Acme, widget / gadget / flour) and
//! the earlier steps a scenario needs, when a command runs, then the events it recorded
//! and the state it left are exactly what the business expects.
//!
//! Covered: company and master data; stock receipts; quotations priced from the list;
//! confirmation and the credit figures; orders over the credit limit confirmed on credit
//! hold (exposure judged at the cent, a zero limit); reservation with full and partial
//! availability; shipping (everything reserved, explicit lines, backorders); invoicing
//! delivered quantities with line rounding; posting (numbering, dates, receivable);
//! cancelling drafts; payments and their allocation (partial, full, several invoices,
//! unapplied remainder); a whole order with a backorder; the envelope (streams, versions,
//! correlation and causation); and command idempotency.
//!
//! Refusals (every `DomainError` a command can meet) live in `refusals.rs`.

// A test crate: unwrapping is how a step says "this must succeed" (the shared harness
// and the helpers below unwrap and panic outside `#[test]` functions too).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use o2c::chrono::{NaiveDate, TimeZone, Utc};
use o2c::company::SetUpCompany;
use o2c::customer::{Customer, CustomerDetails, CustomerRegistered, RegisterCustomer, TaxTreatment};
use o2c::envelope::SCHEMA_VERSION;
use o2c::invoice::{
    CancelInvoice, CreateInvoice, Invoice, InvoiceCancelled, InvoiceCreated, InvoiceLine, InvoicePosted,
    InvoiceStatus, PaymentState, PostInvoice,
};
use o2c::money::{Currency, CurrencyCode, Money, RoundingRule};
use o2c::order::{
    AddQuotationLine, CancelOrder, ConfirmOrder, CreateQuotation, CreditHold, CreditHoldReason, HoldKind,
    InvoicingStatus, LineQuantity, OrderConfirmed, OrderLine, OrderStatus, QuotationCreated,
    QuotationLineAdded, QuotedLine, RequestedLine, ReserveStock, SalesOrder, ShippingStatus, StockReserved,
};
use o2c::payment::{
    AllocatePayment, Payment, PaymentAllocated, PaymentMethod, PaymentReceived, ReceivePayment,
};
use o2c::pricing::PriceSource;
use o2c::product::{ProductRegistered, RegisterProduct, Unit};
use o2c::rust_decimal::Decimal;
use o2c::shipment::{ShipLine, ShipOrder, ShipmentDispatched};
use o2c::stock::{ReceiveStock, StockLevel, StockReceived};
use o2c::uuid::Uuid;
use o2c::warehouse::{RegisterWarehouse, WarehouseRegistered};
use o2c::{
    CommandContext, CustomerId, DomainError, Error, Event, InvoiceId, OrderId, Outcome, PaymentId, ProductId,
    Request, Role, ShipmentId, StreamId, StreamKind, WarehouseId,
};
use support::{ALL_ROLES, COMPANY, Harness, World, dec, details, eur, person, usd};

// --- helpers ------------------------------------------------------------------------------

fn usd_code() -> CurrencyCode {
    CurrencyCode::new("USD").unwrap()
}

/// The single event a command recorded.
fn only(outcome: Outcome) -> Event {
    assert_eq!(
        outcome.events.len(),
        1,
        "expected one event, got {:?}",
        outcome.events
    );
    outcome.events.into_iter().next().unwrap().payload
}

fn receive(w: &mut World, product_id: ProductId, quantity: &str) -> Outcome {
    let warehouse_id = w.warehouse;
    w.h.ok(ReceiveStock {
        product_id,
        warehouse_id,
        quantity: dec(quantity),
        reference: "PO-1".into(),
    })
}

fn level(w: &World, product: ProductId) -> StockLevel {
    w.h.engine.read(|book| book.stock_level(product, w.warehouse))
}

fn requested(lines: &[(ProductId, &str)]) -> Vec<RequestedLine> {
    lines
        .iter()
        .map(|(product_id, quantity)| RequestedLine::new(*product_id, dec(quantity)))
        .collect()
}

fn quote(w: &mut World, lines: &[(ProductId, &str)]) -> OrderId {
    let order_id = w.h.id();
    let (customer_id, warehouse_id) = (w.customer, w.warehouse);
    w.h.ok(CreateQuotation {
        order_id,
        customer_id,
        warehouse_id,
        lines: requested(lines),
        customer_reference: String::new(),
    });
    order_id
}

fn confirmed(w: &mut World, lines: &[(ProductId, &str)]) -> OrderId {
    let order_id = quote(w, lines);
    w.h.ok(ConfirmOrder { order_id });
    order_id
}

/// A confirmed order whose lines were received, reserved and shipped in full.
fn delivered(w: &mut World, lines: &[(ProductId, &str)]) -> OrderId {
    for (product, quantity) in lines {
        receive(w, *product, quantity);
    }
    let order_id = confirmed(w, lines);
    w.h.ok(ReserveStock { order_id });
    ship_all(w, order_id);
    order_id
}

fn order(w: &World, order_id: OrderId) -> SalesOrder {
    w.h.engine.order(order_id).unwrap()
}

fn line(w: &World, order_id: OrderId, number: u32) -> OrderLine {
    order(w, order_id).line(number).cloned().unwrap()
}

fn customer(w: &World) -> Customer {
    w.h.engine.customer(w.customer).unwrap()
}

fn ship_all(w: &mut World, order_id: OrderId) -> ShipmentId {
    let shipment_id = w.h.id();
    w.h.ok(ShipOrder {
        shipment_id,
        order_id,
        lines: vec![],
    });
    shipment_id
}

fn ship(w: &mut World, order_id: OrderId, lines: &[(u32, &str)]) -> ShipmentId {
    let shipment_id = w.h.id();
    let lines = lines
        .iter()
        .map(|(line, quantity)| ShipLine {
            line: *line,
            quantity: dec(quantity),
        })
        .collect();
    w.h.ok(ShipOrder {
        shipment_id,
        order_id,
        lines,
    });
    shipment_id
}

fn draft_invoice(w: &mut World, order_id: OrderId) -> InvoiceId {
    let invoice_id = w.h.id();
    w.h.ok(CreateInvoice { invoice_id, order_id });
    invoice_id
}

fn posted_invoice(w: &mut World, order_id: OrderId) -> InvoiceId {
    let invoice_id = draft_invoice(w, order_id);
    w.h.ok(PostInvoice { invoice_id });
    invoice_id
}

fn invoice(w: &World, invoice_id: InvoiceId) -> Invoice {
    w.h.engine.invoice(invoice_id).unwrap()
}

fn pay(w: &mut World, amount: Money) -> PaymentId {
    let payment_id = w.h.id();
    let customer_id = w.customer;
    w.h.ok(ReceivePayment {
        payment_id,
        customer_id,
        amount,
        method: PaymentMethod::BankTransfer,
        reference: "remittance".into(),
    });
    payment_id
}

fn allocate(w: &mut World, payment_id: PaymentId, invoice_id: InvoiceId, amount: Money) -> Outcome {
    w.h.ok(AllocatePayment {
        payment_id,
        invoice_id,
        amount,
    })
}

fn payment(w: &World, payment_id: PaymentId) -> Payment {
    w.h.engine.payment(payment_id).unwrap()
}

/// A request under a chosen command id and actor (holding every role), at the harness's
/// current business time.
fn request_as(w: &World, command_id: Uuid, actor: &str, command: impl Into<o2c::Command>) -> Request {
    Request::new(
        CommandContext::new(command_id, person(actor, &ALL_ROLES), w.h.now),
        command,
    )
}

fn usd_2() -> Currency {
    Currency {
        code: usd_code(),
        decimals: 2,
    }
}

// --- company and master data ---------------------------------------------------------------

#[test]
fn setting_up_the_company_records_its_currencies_and_rounding_rule() {
    let mut h = Harness::empty();
    // The harness actor holds its roles in this company.
    let company_id = COMPANY;
    let eur_2 = Currency {
        code: CurrencyCode::new("EUR").unwrap(),
        decimals: 2,
    };
    let set_up = SetUpCompany {
        company_id,
        name: "Test Distribution".into(),
        base_currency: usd_2(),
        other_currencies: vec![eur_2],
        rounding: RoundingRule::HalfAwayFromZero,
        settings: Default::default(),
    };

    let event = only(h.ok(set_up));

    let Event::CompanySetUp(e) = event else {
        panic!("expected CompanySetUp, got {event:?}")
    };
    assert_eq!(e.company_id, company_id);
    assert_eq!(e.name, "Test Distribution");
    assert_eq!(e.base_currency, usd_2());
    assert_eq!(e.other_currencies, vec![eur_2]);
    let company = h.engine.read(|b| b.company().cloned()).unwrap();
    assert_eq!(company.id, company_id);
    assert_eq!(company.base_currency, usd_2());
    assert_eq!(
        company
            .currencies
            .keys()
            .map(CurrencyCode::as_str)
            .collect::<Vec<_>>(),
        ["EUR", "USD"]
    );
    assert_eq!(company.rounding, RoundingRule::HalfAwayFromZero);
    assert!(company.invoice_sequences.is_empty());
    assert_eq!(
        company.next_invoice_number(2026),
        (1, "INV/2026/00001".to_string())
    );
}

#[test]
fn registering_a_customer_opens_an_account_with_no_exposure() {
    let mut w = World::new();
    let customer_id = w.h.id();
    let register = RegisterCustomer {
        customer_id,
        details: details("Globex", 45),
        credit_limit: Some(usd("2500.00")),
    };

    let event = only(w.h.ok(register));

    assert_eq!(
        event,
        Event::CustomerRegistered(CustomerRegistered {
            customer_id,
            details: CustomerDetails {
                name: "Globex".into(),
                payment_term_days: 45,
                tax_id: None,
                billing_address: None,
                shipping_addresses: vec![],
                group_id: None,
                price_list_id: None,
                tax_treatment: TaxTreatment::Taxable,
            },
            credit_limit: Some(usd("2500.00")),
        })
    );
    let globex = w.h.engine.customer(customer_id).unwrap();
    assert_eq!(globex.name(), "Globex");
    assert_eq!(globex.details.payment_term_days, 45);
    assert_eq!(globex.credit_limit, Some(usd("2500.00")));
    assert_eq!(globex.receivable, Decimal::ZERO);
    assert_eq!(globex.uninvoiced_orders, Decimal::ZERO);
    assert_eq!(globex.exposure(), Decimal::ZERO);
}

#[test]
fn registering_a_product_lists_it_by_sku_with_its_unit_and_price() {
    let mut w = World::new();
    let product_id = w.h.id();
    let unit = Unit {
        code: "m".into(),
        decimals: 1,
    };

    let event = only(w.h.ok(RegisterProduct {
        product_id,
        sku: "CABLE".into(),
        name: "Cable, by the metre".into(),
        unit: unit.clone(),
        list_price: usd("1.20"),
        category: None,
        floor_price: None,
    }));

    assert_eq!(
        event,
        Event::ProductRegistered(ProductRegistered {
            product_id,
            sku: "CABLE".into(),
            name: "Cable, by the metre".into(),
            unit: unit.clone(),
            list_price: usd("1.20"),
            category: None,
            floor_price: None,
        })
    );
    assert_eq!(w.h.engine.read(|b| b.product_by_sku("CABLE")), Some(product_id));
    let cable = w.h.engine.product(product_id).unwrap();
    assert_eq!(cable.unit, unit);
    assert_eq!(cable.list_price, usd("1.20"));
    assert_eq!(
        w.h.engine.stock(product_id),
        None,
        "a new product has no stock record yet"
    );
}

#[test]
fn registering_a_warehouse_lists_it_by_code() {
    let mut w = World::new();
    let warehouse_id = w.h.id();

    let event = only(w.h.ok(RegisterWarehouse {
        warehouse_id,
        code: "WH-EAST".into(),
        name: "East".into(),
    }));

    assert_eq!(
        event,
        Event::WarehouseRegistered(WarehouseRegistered {
            warehouse_id,
            code: "WH-EAST".into(),
            name: "East".into(),
        })
    );
    assert_eq!(
        w.h.engine.read(|b| b.warehouse_by_code("WH-EAST")),
        Some(warehouse_id)
    );
    assert_eq!(
        w.h.engine.read(|b| b.warehouse_by_code("WH-1")),
        Some(w.warehouse)
    );
    assert_eq!(
        w.h.engine
            .read(|b| b.warehouse(warehouse_id).map(|x| x.name.clone())),
        Some("East".into())
    );
}

// --- stock ---------------------------------------------------------------------------------

#[test]
fn receiving_stock_raises_on_hand_and_availability() {
    let mut w = World::new();
    let (widget, warehouse_id) = (w.widget, w.warehouse);

    let event = only(receive(&mut w, widget, "10"));

    assert_eq!(
        event,
        Event::StockReceived(StockReceived {
            product_id: widget,
            warehouse_id,
            quantity: dec("10"),
            reference: "PO-1".into(),
        })
    );
    let stock = level(&w, widget);
    assert_eq!(
        (stock.on_hand, stock.reserved, stock.available()),
        (dec("10"), dec("0"), dec("10"))
    );
}

#[test]
fn receipts_add_up_per_warehouse() {
    let mut w = World::new();
    let flour = w.flour;
    let east: WarehouseId = w.h.id();
    w.h.ok(RegisterWarehouse {
        warehouse_id: east,
        code: "WH-EAST".into(),
        name: "East".into(),
    });

    receive(&mut w, flour, "12.5");
    receive(&mut w, flour, "0.125");
    w.h.ok(ReceiveStock {
        product_id: flour,
        warehouse_id: east,
        quantity: dec("3"),
        reference: String::new(),
    });

    assert_eq!(level(&w, flour).on_hand, dec("12.625"));
    let east_level = w.h.engine.read(|b| b.stock_level(flour, east));
    assert_eq!(east_level.on_hand, dec("3"));
    assert_eq!(w.h.engine.stock(flour).unwrap().levels.len(), 2);
}

// --- quotations ------------------------------------------------------------------------------

#[test]
fn a_quotation_prices_its_lines_from_the_list_price() {
    let mut w = World::new();
    let (widget, flour, customer_id, warehouse_id) = (w.widget, w.flour, w.customer, w.warehouse);
    let order_id = w.h.id();

    let event = only(w.h.ok(CreateQuotation {
        order_id,
        customer_id,
        warehouse_id,
        lines: requested(&[(widget, "3"), (flour, "1.5")]),
        customer_reference: "ACME-PO-7".into(),
    }));

    assert_eq!(
        event,
        Event::QuotationCreated(QuotationCreated {
            order_id,
            customer_id,
            warehouse_id,
            currency: usd_code(),
            customer_reference: "ACME-PO-7".into(),
            lines: vec![
                QuotedLine {
                    line: 1,
                    product_id: widget,
                    quantity: dec("3"),
                    unit: "pcs".into(),
                    unit_price: usd("10.00"),
                    price_source: PriceSource::ListPrice,
                    discount_percent: Decimal::ZERO,
                    promised_date: None,
                },
                QuotedLine {
                    line: 2,
                    product_id: flour,
                    quantity: dec("1.5"),
                    unit: "kg".into(),
                    unit_price: usd("4.00"),
                    price_source: PriceSource::ListPrice,
                    discount_percent: Decimal::ZERO,
                    promised_date: None,
                },
            ],
            price_list_id: None,
            // Business date 2026-03-02 plus the company's default validity of 30 days.
            valid_until: NaiveDate::from_ymd_opt(2026, 4, 1),
        })
    );
    let quotation = order(&w, order_id);
    assert_eq!(quotation.status, OrderStatus::Draft);
    assert_eq!(quotation.lines.iter().map(|l| l.line).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(quotation.invoicing_status(), InvoicingStatus::NothingToInvoice);
    assert_eq!(
        customer(&w).exposure(),
        Decimal::ZERO,
        "a quotation promises nothing"
    );
}

#[test]
fn adding_a_line_to_a_quotation_numbers_it_next_and_prices_it() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let order_id = quote(&mut w, &[(widget, "1"), (widget, "2")]);

    let event = only(w.h.ok(AddQuotationLine {
        order_id,
        product_id: gadget,
        quantity: dec("4"),
        discount_percent: Decimal::ZERO,
        promised_date: None,
    }));

    assert_eq!(
        event,
        Event::QuotationLineAdded(QuotationLineAdded {
            order_id,
            line: QuotedLine {
                line: 3,
                product_id: gadget,
                quantity: dec("4"),
                unit: "pcs".into(),
                unit_price: usd("2.50"),
                price_source: PriceSource::ListPrice,
                discount_percent: Decimal::ZERO,
                promised_date: None,
            },
        })
    );
    assert_eq!(order(&w, order_id).lines.len(), 3);
}

#[test]
fn a_quotation_may_start_empty_and_get_its_first_line_later() {
    let mut w = World::new();
    let flour = w.flour;
    let order_id = quote(&mut w, &[]);

    w.h.ok(AddQuotationLine {
        order_id,
        product_id: flour,
        quantity: dec("0.25"),
        discount_percent: Decimal::ZERO,
        promised_date: None,
    });

    let first = line(&w, order_id, 1);
    assert_eq!(
        (first.product_id, first.quantity, first.unit.as_str()),
        (flour, dec("0.25"), "kg")
    );
}

// --- confirmation ----------------------------------------------------------------------------

#[test]
fn confirming_records_the_amount_the_exposure_and_the_credit_limit() {
    let mut w = World::new();
    let (widget, gadget, customer_id) = (w.widget, w.gadget, w.customer);
    let order_id = quote(&mut w, &[(widget, "3"), (gadget, "5")]);

    let event = only(w.h.ok(ConfirmOrder { order_id }));

    assert_eq!(
        event,
        Event::OrderConfirmed(OrderConfirmed {
            order_id,
            customer_id,
            amount: usd("42.50"),
            exposure: usd("42.50"),
            credit_limit: Some(usd("10000.00")),
            credit_hold: None,
        })
    );
    assert_eq!(order(&w, order_id).status, OrderStatus::Confirmed);
    assert_eq!(order(&w, order_id).shipping_status(), ShippingStatus::NotShipped);
}

#[test]
fn confirming_raises_the_customers_uninvoiced_orders_and_exposure() {
    let mut w = World::new();
    let (widget, flour) = (w.widget, w.flour);

    confirmed(&mut w, &[(widget, "2"), (flour, "0.125")]);

    let acme = customer(&w);
    assert_eq!(acme.uninvoiced_orders, dec("20.50"));
    assert_eq!(acme.receivable, Decimal::ZERO);
    assert_eq!(acme.exposure(), dec("20.50"));
}

#[test]
fn a_second_order_adds_to_the_exposure_already_there() {
    let mut w = World::new();
    let widget = w.widget;
    confirmed(&mut w, &[(widget, "100")]);
    let second = quote(&mut w, &[(widget, "50")]);

    let event = only(w.h.ok(ConfirmOrder { order_id: second }));

    let Event::OrderConfirmed(e) = event else {
        panic!("expected OrderConfirmed, got {event:?}")
    };
    assert_eq!(e.amount, usd("500.00"));
    assert_eq!(e.exposure, usd("1500.00"));
    assert_eq!(customer(&w).exposure(), dec("1500"));
}

#[test]
fn confirming_up_to_exactly_the_credit_limit_is_allowed() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quote(&mut w, &[(widget, "1000")]);

    let event = only(w.h.ok(ConfirmOrder { order_id }));

    let Event::OrderConfirmed(e) = event else {
        panic!("expected OrderConfirmed, got {event:?}")
    };
    assert_eq!(e.exposure, usd("10000.00"));
    assert_eq!(e.credit_limit, Some(usd("10000.00")));
    assert_eq!(e.credit_hold, None, "exactly at the limit is within it");
    assert_eq!(order(&w, order_id).credit_hold, None);
}

#[test]
fn the_order_amount_sums_rounded_lines_while_exposure_stays_exact() {
    let mut w = World::new();
    let salt: ProductId = w.h.id();
    w.h.ok(RegisterProduct {
        product_id: salt,
        sku: "SALT".into(),
        name: "Salt".into(),
        unit: Unit {
            code: "kg".into(),
            decimals: 3,
        },
        list_price: usd("1.00"),
        category: None,
        floor_price: None,
    });
    let order_id = quote(&mut w, &[(salt, "0.125"), (salt, "0.125")]);

    let event = only(w.h.ok(ConfirmOrder { order_id }));

    let Event::OrderConfirmed(e) = event else {
        panic!("expected OrderConfirmed, got {event:?}")
    };
    assert_eq!(e.amount, usd("0.26"), "0.13 + 0.13");
    assert_eq!(e.exposure, usd("0.25"), "0.125 + 0.125, judged at the cent");
    assert_eq!(customer(&w).uninvoiced_orders, dec("0.250"));
}

#[test]
fn a_customer_without_a_credit_limit_is_not_held_to_one() {
    let mut w = World::new();
    let (widget, warehouse_id) = (w.widget, w.warehouse);
    let customer_id = w.h.id();
    w.h.ok(RegisterCustomer {
        customer_id,
        details: details("Initech", 0),
        credit_limit: None,
    });
    let order_id = w.h.id();
    w.h.ok(CreateQuotation {
        order_id,
        customer_id,
        warehouse_id,
        lines: requested(&[(widget, "5000")]),
        customer_reference: String::new(),
    });

    let event = only(w.h.ok(ConfirmOrder { order_id }));

    let Event::OrderConfirmed(e) = event else {
        panic!("expected OrderConfirmed, got {event:?}")
    };
    assert_eq!(e.amount, usd("50000.00"));
    assert_eq!(e.exposure, usd("50000.00"));
    assert_eq!(e.credit_limit, None);
    assert_eq!(e.credit_hold, None);
}

// --- credit holds ------------------------------------------------------------------------------
//
// Going over the credit limit does not refuse the confirmation: the order is confirmed on
// credit hold, with the exposure (judged at the cent) and the limit recorded, and nothing is
// reserved or shipped until the hold is released.

/// The `OrderConfirmed` event of a confirmation.
fn confirmation(outcome: Outcome) -> OrderConfirmed {
    match only(outcome) {
        Event::OrderConfirmed(e) => e,
        other => panic!("expected OrderConfirmed, got {other:?}"),
    }
}

/// The credit hold of an order whose exposure went over its limit.
fn over_limit(exposure: Money, limit: Money) -> Option<CreditHold> {
    Some(CreditHold {
        reasons: vec![CreditHoldReason::OverCreditLimit { exposure, limit }],
    })
}

/// Registers a customer with its own credit limit (which needs the credit controller's
/// role; the harness actor holds every role).
fn customer_with_limit(w: &mut World, name: &str, payment_term_days: u32, limit: Money) -> CustomerId {
    let customer_id = w.h.id();
    w.h.ok(RegisterCustomer {
        customer_id,
        details: details(name, payment_term_days),
        credit_limit: Some(limit),
    });
    customer_id
}

fn quote_for(w: &mut World, customer_id: CustomerId, lines: &[(ProductId, &str)]) -> OrderId {
    let order_id = w.h.id();
    let warehouse_id = w.warehouse;
    w.h.ok(CreateQuotation {
        order_id,
        customer_id,
        warehouse_id,
        lines: requested(lines),
        customer_reference: String::new(),
    });
    order_id
}

#[test]
fn an_order_over_the_credit_limit_is_confirmed_on_credit_hold() {
    let mut w = World::new();
    let (widget, customer_id) = (w.widget, w.customer);
    receive(&mut w, widget, "1001");
    let order_id = quote(&mut w, &[(widget, "1001")]);

    let event = only(w.h.ok(ConfirmOrder { order_id }));

    assert_eq!(
        event,
        Event::OrderConfirmed(OrderConfirmed {
            order_id,
            customer_id,
            amount: usd("10010.00"),
            exposure: usd("10010.00"),
            credit_limit: Some(usd("10000.00")),
            credit_hold: over_limit(usd("10010.00"), usd("10000.00")),
        })
    );
    let held = order(&w, order_id);
    assert_eq!(held.status, OrderStatus::Confirmed);
    assert_eq!(held.credit_hold, over_limit(usd("10010.00"), usd("10000.00")));
    assert_eq!(held.active_hold(), Some(HoldKind::Credit));
    assert_eq!(
        customer(&w).exposure(),
        dec("10010.00"),
        "a held order is still expected, so it counts"
    );
    assert_eq!(
        w.h.refused(ReserveStock { order_id }),
        DomainError::OrderOnHold {
            order_id,
            hold: HoldKind::Credit
        },
        "nothing is reserved while the hold stands"
    );
    assert_eq!(level(&w, widget).reserved, Decimal::ZERO);
}

#[test]
fn uninvoiced_orders_and_the_receivable_count_against_the_credit_limit() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let invoiced = delivered(&mut w, &[(widget, "300")]);
    let invoice_id = posted_invoice(&mut w, invoiced);
    confirmed(&mut w, &[(widget, "600")]);
    let lines = [(widget, "100"), (gadget, "1")];
    let order_id = quote(&mut w, &lines);
    assert_eq!(customer(&w).receivable, dec("3000.00"));

    let held = confirmation(w.h.ok(ConfirmOrder { order_id }));

    assert_eq!(
        held.credit_hold,
        over_limit(usd("10002.50"), usd("10000.00")),
        "3,000.00 receivable + 6,000.00 uninvoiced + 1,002.50 for this order"
    );

    // Cancel the held order and take 2.50 off the receivable: the same order now fits,
    // exactly at the limit.
    w.h.ok(CancelOrder {
        order_id,
        reason: "over the credit limit".into(),
    });
    assert_eq!(customer(&w).exposure(), dec("9000.00"));
    let payment_id = pay(&mut w, usd("2.50"));
    allocate(&mut w, payment_id, invoice_id, usd("2.50"));
    let again = quote(&mut w, &lines);

    let confirmed_again = confirmation(w.h.ok(ConfirmOrder { order_id: again }));

    assert_eq!(confirmed_again.exposure, usd("10000.00"));
    assert_eq!(confirmed_again.credit_hold, None);
    assert_eq!(order(&w, again).credit_hold, None);
}

#[test]
fn the_credit_check_judges_exposure_at_the_cent() {
    let mut w = World::new();
    let flour = w.flour;
    let customer_id = customer_with_limit(&mut w, "Tiny", 30, usd("1.00"));
    // 1.004 rounds to 1.00: within the limit; 1.008 rounds to 1.01: over it.
    let within = quote_for(&mut w, customer_id, &[(flour, "0.251")]);
    let over = quote_for(&mut w, customer_id, &[(flour, "0.252")]);

    let first = confirmation(w.h.ok(ConfirmOrder { order_id: within }));

    assert_eq!(first.exposure, usd("1.00"));
    assert_eq!(first.credit_hold, None);
    let exposure_after_first = w.h.engine.customer(customer_id).unwrap().exposure();
    assert_eq!(exposure_after_first, dec("1.004"), "kept exact between checks");

    let second = confirmation(w.h.ok(ConfirmOrder { order_id: over }));

    assert_eq!(
        second.credit_hold,
        over_limit(usd("2.01"), usd("1.00")),
        "1.004 + 1.008 = 2.012, judged at the cent"
    );
    assert_eq!(order(&w, over).credit_hold, over_limit(usd("2.01"), usd("1.00")));
    assert_eq!(order(&w, within).credit_hold, None);
}

#[test]
fn a_single_order_just_over_the_limit_after_rounding_goes_on_credit_hold() {
    let mut w = World::new();
    let flour = w.flour;
    let customer_id = customer_with_limit(&mut w, "Tiny", 30, usd("1.00"));
    let order_id = quote_for(&mut w, customer_id, &[(flour, "0.252")]);

    let e = confirmation(w.h.ok(ConfirmOrder { order_id }));

    assert_eq!(e.amount, usd("1.01"));
    assert_eq!(e.exposure, usd("1.01"), "1.008 rounds to 1.01");
    assert_eq!(e.credit_hold, over_limit(usd("1.01"), usd("1.00")));
    assert_eq!(order(&w, order_id).active_hold(), Some(HoldKind::Credit));
}

#[test]
fn a_customer_with_a_zero_limit_gets_no_credit() {
    let mut w = World::new();
    let gadget = w.gadget;
    let customer_id = customer_with_limit(&mut w, "Cash Only", 0, usd("0"));
    let order_id = quote_for(&mut w, customer_id, &[(gadget, "1")]);

    let e = confirmation(w.h.ok(ConfirmOrder { order_id }));

    assert_eq!(e.credit_limit, Some(usd("0")));
    assert_eq!(e.credit_hold, over_limit(usd("2.50"), usd("0")));
    assert_eq!(order(&w, order_id).credit_hold, over_limit(usd("2.50"), usd("0")));
}

// --- reservation -----------------------------------------------------------------------------

#[test]
fn reserving_with_full_availability_reserves_every_open_line() {
    let mut w = World::new();
    let (widget, flour, warehouse_id) = (w.widget, w.flour, w.warehouse);
    receive(&mut w, widget, "10");
    receive(&mut w, flour, "5");
    let order_id = confirmed(&mut w, &[(widget, "4"), (flour, "2.5")]);

    let event = only(w.h.ok(ReserveStock { order_id }));

    assert_eq!(
        event,
        Event::StockReserved(StockReserved {
            order_id,
            warehouse_id,
            lines: vec![
                LineQuantity {
                    line: 1,
                    product_id: widget,
                    quantity: dec("4")
                },
                LineQuantity {
                    line: 2,
                    product_id: flour,
                    quantity: dec("2.5")
                },
            ],
        })
    );
    let widgets = level(&w, widget);
    assert_eq!(
        (widgets.on_hand, widgets.reserved, widgets.available()),
        (dec("10"), dec("4"), dec("6"))
    );
    let flour_level = level(&w, flour);
    assert_eq!(
        (flour_level.on_hand, flour_level.reserved, flour_level.available()),
        (dec("5"), dec("2.5"), dec("2.5"))
    );
    assert_eq!(line(&w, order_id, 1).reserved, dec("4"));
    assert_eq!(line(&w, order_id, 1).unreserved(), Decimal::ZERO);
    assert_eq!(line(&w, order_id, 2).reserved, dec("2.5"));
}

#[test]
fn reserving_with_partial_availability_leaves_the_rest_waiting() {
    let mut w = World::new();
    let (widget, gadget, warehouse_id) = (w.widget, w.gadget, w.warehouse);
    receive(&mut w, widget, "10");
    receive(&mut w, gadget, "4");
    let order_id = confirmed(&mut w, &[(widget, "10"), (gadget, "6")]);

    let event = only(w.h.ok(ReserveStock { order_id }));

    assert_eq!(
        event,
        Event::StockReserved(StockReserved {
            order_id,
            warehouse_id,
            lines: vec![
                LineQuantity {
                    line: 1,
                    product_id: widget,
                    quantity: dec("10")
                },
                LineQuantity {
                    line: 2,
                    product_id: gadget,
                    quantity: dec("4")
                },
            ],
        })
    );
    let gadget_line = line(&w, order_id, 2);
    assert_eq!(
        (gadget_line.reserved, gadget_line.unreserved()),
        (dec("4"), dec("2"))
    );
    let gadgets = level(&w, gadget);
    assert_eq!(
        (gadgets.on_hand, gadgets.reserved, gadgets.available()),
        (dec("4"), dec("4"), dec("0"))
    );
}

#[test]
fn a_later_receipt_lets_the_next_reservation_take_the_rest() {
    let mut w = World::new();
    let (widget, gadget, warehouse_id) = (w.widget, w.gadget, w.warehouse);
    receive(&mut w, widget, "10");
    receive(&mut w, gadget, "4");
    let order_id = confirmed(&mut w, &[(widget, "10"), (gadget, "6")]);
    w.h.ok(ReserveStock { order_id });
    receive(&mut w, gadget, "5");

    let event = only(w.h.ok(ReserveStock { order_id }));

    assert_eq!(
        event,
        Event::StockReserved(StockReserved {
            order_id,
            warehouse_id,
            lines: vec![LineQuantity {
                line: 2,
                product_id: gadget,
                quantity: dec("2")
            }],
        }),
        "only the waiting gadget line is reserved, and only what it still needs"
    );
    assert_eq!(line(&w, order_id, 2).reserved, dec("6"));
    let gadgets = level(&w, gadget);
    assert_eq!(
        (gadgets.on_hand, gadgets.reserved, gadgets.available()),
        (dec("9"), dec("6"), dec("3"))
    );
}

#[test]
fn two_lines_of_one_product_share_availability_first_line_first() {
    let mut w = World::new();
    let (widget, warehouse_id) = (w.widget, w.warehouse);
    receive(&mut w, widget, "5");
    let order_id = confirmed(&mut w, &[(widget, "3"), (widget, "4")]);

    let event = only(w.h.ok(ReserveStock { order_id }));

    assert_eq!(
        event,
        Event::StockReserved(StockReserved {
            order_id,
            warehouse_id,
            lines: vec![
                LineQuantity {
                    line: 1,
                    product_id: widget,
                    quantity: dec("3")
                },
                LineQuantity {
                    line: 2,
                    product_id: widget,
                    quantity: dec("2")
                },
            ],
        })
    );
    assert_eq!(level(&w, widget).reserved, dec("5"));
    assert_eq!(line(&w, order_id, 2).unreserved(), dec("2"));
}

#[test]
fn stock_reserved_for_one_order_is_not_available_to_another() {
    let mut w = World::new();
    let widget = w.widget;
    receive(&mut w, widget, "10");
    let first = confirmed(&mut w, &[(widget, "7")]);
    w.h.ok(ReserveStock { order_id: first });
    let second = confirmed(&mut w, &[(widget, "7")]);

    let event = only(w.h.ok(ReserveStock { order_id: second }));

    let Event::StockReserved(e) = event else {
        panic!("expected StockReserved, got {event:?}")
    };
    assert_eq!(
        e.lines,
        vec![LineQuantity {
            line: 1,
            product_id: widget,
            quantity: dec("3")
        }]
    );
    let widgets = level(&w, widget);
    assert_eq!((widgets.reserved, widgets.available()), (dec("10"), dec("0")));
}

#[test]
fn stock_in_another_warehouse_is_not_reserved_for_the_order() {
    let mut w = World::new();
    let widget = w.widget;
    let east: WarehouseId = w.h.id();
    w.h.ok(RegisterWarehouse {
        warehouse_id: east,
        code: "WH-EAST".into(),
        name: "East".into(),
    });
    w.h.ok(ReceiveStock {
        product_id: widget,
        warehouse_id: east,
        quantity: dec("50"),
        reference: String::new(),
    });
    receive(&mut w, widget, "2");
    let order_id = confirmed(&mut w, &[(widget, "5")]);

    let event = only(w.h.ok(ReserveStock { order_id }));

    let Event::StockReserved(e) = event else {
        panic!("expected StockReserved, got {event:?}")
    };
    assert_eq!(e.warehouse_id, w.warehouse);
    assert_eq!(
        e.lines,
        vec![LineQuantity {
            line: 1,
            product_id: widget,
            quantity: dec("2")
        }]
    );
    assert_eq!(
        w.h.engine.read(|b| b.stock_level(widget, east)).reserved,
        Decimal::ZERO
    );
}

// --- shipping --------------------------------------------------------------------------------

#[test]
fn shipping_everything_reserved_delivers_it_and_takes_it_out_of_stock() {
    let mut w = World::new();
    let (widget, flour, customer_id, warehouse_id) = (w.widget, w.flour, w.customer, w.warehouse);
    receive(&mut w, widget, "10");
    receive(&mut w, flour, "5");
    let order_id = confirmed(&mut w, &[(widget, "4"), (flour, "2.5")]);
    w.h.ok(ReserveStock { order_id });
    let shipment_id = w.h.id();

    let event = only(w.h.ok(ShipOrder {
        shipment_id,
        order_id,
        lines: vec![],
    }));

    let shipped = vec![
        LineQuantity {
            line: 1,
            product_id: widget,
            quantity: dec("4"),
        },
        LineQuantity {
            line: 2,
            product_id: flour,
            quantity: dec("2.5"),
        },
    ];
    assert_eq!(
        event,
        Event::ShipmentDispatched(ShipmentDispatched {
            shipment_id,
            order_id,
            customer_id,
            warehouse_id,
            lines: shipped.clone(),
        })
    );
    let widgets = level(&w, widget);
    assert_eq!(
        (widgets.on_hand, widgets.reserved, widgets.available()),
        (dec("6"), dec("0"), dec("6"))
    );
    let flour_level = level(&w, flour);
    assert_eq!(
        (flour_level.on_hand, flour_level.reserved),
        (dec("2.5"), dec("0"))
    );
    let first = line(&w, order_id, 1);
    assert_eq!(
        (
            first.reserved,
            first.delivered,
            first.open_quantity(),
            order(&w, order_id).backorder(1)
        ),
        (dec("0"), dec("4"), dec("0"), dec("0"))
    );
    assert_eq!(order(&w, order_id).shipping_status(), ShippingStatus::Shipped);
    let shipment = w.h.engine.shipment(shipment_id).unwrap();
    assert_eq!(
        (shipment.order_id, shipment.customer_id, shipment.lines),
        (order_id, customer_id, shipped)
    );
}

#[test]
fn shipping_explicit_lines_leaves_a_backorder() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    receive(&mut w, widget, "10");
    receive(&mut w, gadget, "6");
    let order_id = confirmed(&mut w, &[(widget, "10"), (gadget, "6")]);
    w.h.ok(ReserveStock { order_id });
    let shipment_id = w.h.id();

    let event = only(w.h.ok(ShipOrder {
        shipment_id,
        order_id,
        lines: vec![
            ShipLine {
                line: 1,
                quantity: dec("6"),
            },
            ShipLine {
                line: 2,
                quantity: dec("6"),
            },
        ],
    }));

    let Event::ShipmentDispatched(e) = event else {
        panic!("expected ShipmentDispatched, got {event:?}")
    };
    assert_eq!(
        e.lines,
        vec![
            LineQuantity {
                line: 1,
                product_id: widget,
                quantity: dec("6")
            },
            LineQuantity {
                line: 2,
                product_id: gadget,
                quantity: dec("6")
            },
        ]
    );
    let widget_line = line(&w, order_id, 1);
    assert_eq!(widget_line.delivered, dec("6"));
    assert_eq!(order(&w, order_id).backorder(1), dec("4"));
    assert_eq!(widget_line.reserved, dec("4"), "what did not ship stays reserved");
    assert_eq!(order(&w, order_id).backorder(2), Decimal::ZERO);
    assert_eq!(
        order(&w, order_id).shipping_status(),
        ShippingStatus::PartiallyShipped
    );
    let widgets = level(&w, widget);
    assert_eq!(
        (widgets.on_hand, widgets.reserved, widgets.available()),
        (dec("4"), dec("4"), dec("0"))
    );
}

#[test]
fn the_backorder_ships_once_it_is_reserved() {
    let mut w = World::new();
    let gadget = w.gadget;
    receive(&mut w, gadget, "4");
    let order_id = confirmed(&mut w, &[(gadget, "6")]);
    w.h.ok(ReserveStock { order_id });
    ship_all(&mut w, order_id);
    assert_eq!(order(&w, order_id).backorder(1), dec("2"));
    receive(&mut w, gadget, "2");
    w.h.ok(ReserveStock { order_id });

    let shipment_id = ship_all(&mut w, order_id);

    let shipment = w.h.engine.shipment(shipment_id).unwrap();
    assert_eq!(
        shipment.lines,
        vec![LineQuantity {
            line: 1,
            product_id: gadget,
            quantity: dec("2")
        }]
    );
    assert_eq!(order(&w, order_id).backorder(1), Decimal::ZERO);
    assert_eq!(order(&w, order_id).shipping_status(), ShippingStatus::Shipped);
    assert_eq!(
        level(&w, gadget),
        StockLevel {
            on_hand: dec("0"),
            reserved: dec("0")
        }
    );
}

#[test]
fn a_line_with_nothing_shipped_is_backordered_once_the_order_ships_partially() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    receive(&mut w, widget, "10");
    let order_id = confirmed(&mut w, &[(widget, "10"), (gadget, "6")]);
    w.h.ok(ReserveStock { order_id });

    ship_all(&mut w, order_id);

    assert_eq!(
        order(&w, order_id).shipping_status(),
        ShippingStatus::PartiallyShipped
    );
    let shipped = order(&w, order_id);
    let backorder: Decimal = shipped.lines.iter().map(|l| shipped.backorder(l.line)).sum();
    assert_eq!(order(&w, order_id).backorder(2), dec("6"), "all six gadgets wait");
    assert_eq!(backorder, dec("6"));
}

// --- invoicing -------------------------------------------------------------------------------

#[test]
fn an_invoice_bills_only_delivered_quantities_not_yet_invoiced() {
    let mut w = World::new();
    let (widget, gadget, customer_id) = (w.widget, w.gadget, w.customer);
    receive(&mut w, widget, "10");
    receive(&mut w, gadget, "4");
    let order_id = confirmed(&mut w, &[(widget, "10"), (gadget, "6")]);
    w.h.ok(ReserveStock { order_id });
    ship(&mut w, order_id, &[(1, "7"), (2, "4")]);
    let invoice_id = w.h.id();

    let event = only(w.h.ok(CreateInvoice { invoice_id, order_id }));

    assert_eq!(
        event,
        Event::InvoiceCreated(InvoiceCreated {
            invoice_id,
            order_id,
            customer_id,
            lines: vec![
                InvoiceLine {
                    order_line: 1,
                    product_id: widget,
                    quantity: dec("7"),
                    unit_price: usd("10.00"),
                    discount_percent: Decimal::ZERO,
                    amount: usd("70.00"),
                },
                InvoiceLine {
                    order_line: 2,
                    product_id: gadget,
                    quantity: dec("4"),
                    unit_price: usd("2.50"),
                    discount_percent: Decimal::ZERO,
                    amount: usd("10.00"),
                },
            ],
            total: usd("80.00"),
        })
    );
    let draft = invoice(&w, invoice_id);
    assert_eq!(draft.status, InvoiceStatus::Draft);
    assert_eq!(
        (draft.number.clone(), draft.invoice_date, draft.due_date),
        (None, None, None)
    );
    assert_eq!(draft.open_amount(), usd("0"), "a draft is not receivable");
    let widget_line = line(&w, order_id, 1);
    assert_eq!(
        (
            widget_line.invoicing,
            widget_line.invoiced,
            widget_line.to_invoice()
        ),
        (dec("7"), dec("0"), dec("0"))
    );
    assert_eq!(
        customer(&w).receivable,
        Decimal::ZERO,
        "a draft does not touch the receivable"
    );
}

#[test]
fn a_second_invoice_bills_only_what_shipped_since_the_first() {
    let mut w = World::new();
    let widget = w.widget;
    receive(&mut w, widget, "10");
    let order_id = confirmed(&mut w, &[(widget, "10")]);
    w.h.ok(ReserveStock { order_id });
    ship(&mut w, order_id, &[(1, "3")]);
    posted_invoice(&mut w, order_id);
    ship(&mut w, order_id, &[(1, "5")]);

    let second = draft_invoice(&mut w, order_id);

    let draft = invoice(&w, second);
    assert_eq!(draft.lines.len(), 1);
    assert_eq!(
        (draft.lines[0].quantity, draft.lines[0].amount),
        (dec("5"), usd("50.00"))
    );
    assert_eq!(draft.total, usd("50.00"));
    let widget_line = line(&w, order_id, 1);
    assert_eq!(
        (
            widget_line.invoiced,
            widget_line.invoicing,
            widget_line.to_invoice()
        ),
        (dec("3"), dec("5"), dec("0"))
    );
}

#[test]
fn invoice_amounts_for_weighed_goods_are_exact() {
    let mut w = World::new();
    let flour = w.flour;
    let order_id = delivered(&mut w, &[(flour, "0.125"), (flour, "1.235")]);

    let invoice_id = draft_invoice(&mut w, order_id);

    let draft = invoice(&w, invoice_id);
    let amounts: Vec<Money> = draft.lines.iter().map(|l| l.amount).collect();
    assert_eq!(amounts, [usd("0.50"), usd("4.94")]);
    assert_eq!(draft.total, usd("5.44"));
}

#[test]
fn invoice_line_amounts_round_half_away_from_zero_and_the_total_sums_the_rounded_lines() {
    let mut w = World::new();
    let salt: ProductId = w.h.id();
    w.h.ok(RegisterProduct {
        product_id: salt,
        sku: "SALT".into(),
        name: "Salt".into(),
        unit: Unit {
            code: "kg".into(),
            decimals: 3,
        },
        list_price: usd("1.00"),
        category: None,
        floor_price: None,
    });
    let order_id = delivered(&mut w, &[(salt, "0.125"), (salt, "2.345"), (salt, "0.124")]);

    let invoice_id = draft_invoice(&mut w, order_id);

    let draft = invoice(&w, invoice_id);
    let amounts: Vec<Money> = draft.lines.iter().map(|l| l.amount).collect();
    assert_eq!(amounts, [usd("0.13"), usd("2.35"), usd("0.12")]);
    assert_eq!(
        draft.total,
        usd("2.60"),
        "sum of the rounded lines, not the rounded sum (2.594 -> 2.59)"
    );
}

#[test]
fn a_half_even_company_rounds_invoice_midpoints_to_even() {
    let mut h = Harness::empty();
    // The harness actor holds its roles in this company.
    let company_id = COMPANY;
    h.ok(SetUpCompany {
        company_id,
        name: "Banker's Distribution".into(),
        base_currency: usd_2(),
        other_currencies: vec![],
        rounding: RoundingRule::HalfEven,
        settings: Default::default(),
    });
    let warehouse = h.id();
    h.ok(RegisterWarehouse {
        warehouse_id: warehouse,
        code: "WH".into(),
        name: "Main".into(),
    });
    let customer = h.id();
    h.ok(RegisterCustomer {
        customer_id: customer,
        details: details("Acme", 30),
        credit_limit: None,
    });
    let salt: ProductId = h.id();
    h.ok(RegisterProduct {
        product_id: salt,
        sku: "SALT".into(),
        name: "Salt".into(),
        unit: Unit {
            code: "kg".into(),
            decimals: 3,
        },
        list_price: usd("1.00"),
        category: None,
        floor_price: None,
    });
    h.ok(ReceiveStock {
        product_id: salt,
        warehouse_id: warehouse,
        quantity: dec("10"),
        reference: String::new(),
    });
    let order_id = h.id();
    h.ok(CreateQuotation {
        order_id,
        customer_id: customer,
        warehouse_id: warehouse,
        lines: requested(&[(salt, "0.125"), (salt, "0.135")]),
        customer_reference: String::new(),
    });
    h.ok(ConfirmOrder { order_id });
    h.ok(ReserveStock { order_id });
    let shipment_id = h.id();
    h.ok(ShipOrder {
        shipment_id,
        order_id,
        lines: vec![],
    });
    let invoice_id = h.id();

    let event = only(h.ok(CreateInvoice { invoice_id, order_id }));

    let Event::InvoiceCreated(e) = event else {
        panic!("expected InvoiceCreated, got {event:?}")
    };
    assert_eq!(
        e.lines.iter().map(|l| l.amount).collect::<Vec<_>>(),
        [usd("0.12"), usd("0.14")]
    );
    assert_eq!(e.total, usd("0.26"));
}

#[test]
fn posting_numbers_dates_and_dues_the_invoice() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "3")]);
    let invoice_id = draft_invoice(&mut w, order_id);
    w.h.advance_days(3);

    let event = only(w.h.ok(PostInvoice { invoice_id }));

    assert_eq!(w.h.now.date_naive(), NaiveDate::from_ymd_opt(2026, 3, 5).unwrap());
    assert_eq!(
        event,
        Event::InvoicePosted(InvoicePosted {
            invoice_id,
            number: "INV/2026/00001".into(),
            fiscal_year: 2026,
            sequence: 1,
            invoice_date: NaiveDate::from_ymd_opt(2026, 3, 5).unwrap(),
            due_date: NaiveDate::from_ymd_opt(2026, 4, 4).unwrap(),
            total: usd("30.00"),
        })
    );
    let posted = invoice(&w, invoice_id);
    assert_eq!(posted.status, InvoiceStatus::Posted);
    assert_eq!(posted.number.as_deref(), Some("INV/2026/00001"));
    assert_eq!(posted.invoice_date, NaiveDate::from_ymd_opt(2026, 3, 5));
    assert_eq!(posted.due_date, NaiveDate::from_ymd_opt(2026, 4, 4));
    assert_eq!(posted.open_amount(), usd("30.00"));
    assert_eq!(posted.payment_state(), PaymentState::NotPaid);
}

#[test]
fn posting_moves_the_value_from_uninvoiced_orders_to_the_receivable() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    receive(&mut w, widget, "10");
    let order_id = confirmed(&mut w, &[(widget, "10"), (gadget, "2")]);
    w.h.ok(ReserveStock { order_id });
    ship_all(&mut w, order_id);
    let invoice_id = draft_invoice(&mut w, order_id);
    assert_eq!(customer(&w).uninvoiced_orders, dec("105.00"));

    w.h.ok(PostInvoice { invoice_id });

    let acme = customer(&w);
    assert_eq!(acme.receivable, dec("100.00"));
    assert_eq!(
        acme.uninvoiced_orders,
        dec("5.00"),
        "the two gadgets are still to be invoiced"
    );
    assert_eq!(
        acme.exposure(),
        dec("105.00"),
        "posting moves value, it does not add any"
    );
    let widget_line = line(&w, order_id, 1);
    assert_eq!(
        (widget_line.invoicing, widget_line.invoiced),
        (dec("0"), dec("10"))
    );
}

#[test]
fn invoice_numbers_run_in_sequence() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let first_order = delivered(&mut w, &[(widget, "1")]);
    let second_order = delivered(&mut w, &[(gadget, "1")]);
    let first = draft_invoice(&mut w, first_order);
    let second = draft_invoice(&mut w, second_order);

    w.h.ok(PostInvoice { invoice_id: second });
    w.h.ok(PostInvoice { invoice_id: first });

    assert_eq!(
        invoice(&w, second).number.as_deref(),
        Some("INV/2026/00001"),
        "numbered in posting order"
    );
    assert_eq!(invoice(&w, first).number.as_deref(), Some("INV/2026/00002"));
    let company = w.h.engine.read(|b| b.company().cloned()).unwrap();
    assert_eq!(company.invoice_sequences.get(&2026), Some(&2));
}

#[test]
fn cancelling_a_draft_frees_its_quantities_for_a_new_invoice() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "4")]);
    let cancelled = draft_invoice(&mut w, order_id);

    let event = only(w.h.ok(CancelInvoice {
        invoice_id: cancelled,
        reason: "wrong address".into(),
    }));

    assert_eq!(
        event,
        Event::InvoiceCancelled(InvoiceCancelled {
            invoice_id: cancelled,
            reason: "wrong address".into()
        })
    );
    assert_eq!(invoice(&w, cancelled).status, InvoiceStatus::Cancelled);
    assert_eq!(line(&w, order_id, 1).to_invoice(), dec("4"));
    assert_eq!(order(&w, order_id).invoicing_status(), InvoicingStatus::ToInvoice);
    let replacement = draft_invoice(&mut w, order_id);
    assert_eq!(invoice(&w, replacement).total, usd("40.00"));
    assert_eq!(invoice(&w, replacement).lines[0].quantity, dec("4"));
}

#[test]
fn invoice_numbers_restart_with_each_fiscal_year() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let december = delivered(&mut w, &[(widget, "1")]);
    let january = delivered(&mut w, &[(gadget, "1")]);
    let last_of_year = draft_invoice(&mut w, december);
    let first_of_year = draft_invoice(&mut w, january);
    w.h.now = Utc.with_ymd_and_hms(2026, 12, 31, 23, 58, 0).unwrap();

    w.h.ok(PostInvoice {
        invoice_id: last_of_year,
    });
    w.h.ok(PostInvoice {
        invoice_id: first_of_year,
    });

    let old = invoice(&w, last_of_year);
    assert_eq!(old.number.as_deref(), Some("INV/2026/00001"));
    assert_eq!(old.due_date, NaiveDate::from_ymd_opt(2027, 1, 30));
    let new = invoice(&w, first_of_year);
    assert_eq!(new.number.as_deref(), Some("INV/2027/00001"));
    assert_eq!(new.invoice_date, NaiveDate::from_ymd_opt(2027, 1, 1));
}

#[test]
fn a_cancelled_draft_uses_no_invoice_number() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "4")]);
    let cancelled = draft_invoice(&mut w, order_id);
    w.h.ok(CancelInvoice {
        invoice_id: cancelled,
        reason: "duplicate".into(),
    });

    let replacement = posted_invoice(&mut w, order_id);

    assert_eq!(invoice(&w, replacement).number.as_deref(), Some("INV/2026/00001"));
    assert_eq!(invoice(&w, cancelled).number, None);
    assert_eq!(
        customer(&w).receivable,
        dec("40.00"),
        "the cancelled draft adds nothing"
    );
}

#[test]
fn invoicing_status_goes_from_nothing_to_invoice_to_fully_invoiced() {
    let mut w = World::new();
    let widget = w.widget;
    receive(&mut w, widget, "5");
    let order_id = confirmed(&mut w, &[(widget, "5")]);
    w.h.ok(ReserveStock { order_id });
    assert_eq!(
        order(&w, order_id).invoicing_status(),
        InvoicingStatus::NothingToInvoice
    );

    ship(&mut w, order_id, &[(1, "2")]);
    assert_eq!(order(&w, order_id).invoicing_status(), InvoicingStatus::ToInvoice);

    posted_invoice(&mut w, order_id);
    assert_eq!(
        order(&w, order_id).invoicing_status(),
        InvoicingStatus::NothingToInvoice,
        "3 not delivered yet"
    );

    ship_all(&mut w, order_id);
    assert_eq!(order(&w, order_id).invoicing_status(), InvoicingStatus::ToInvoice);

    let last = draft_invoice(&mut w, order_id);
    assert_eq!(
        order(&w, order_id).invoicing_status(),
        InvoicingStatus::NothingToInvoice,
        "on a draft, not yet on a posted invoice"
    );

    w.h.ok(PostInvoice { invoice_id: last });
    assert_eq!(
        order(&w, order_id).invoicing_status(),
        InvoicingStatus::FullyInvoiced
    );
}

#[test]
fn an_invoice_with_nothing_to_pay_is_not_reported_unpaid() {
    let mut w = World::new();
    let flour = w.flour;
    let order_id = delivered(&mut w, &[(flour, "0.001")]);

    let invoice_id = posted_invoice(&mut w, order_id);

    let posted = invoice(&w, invoice_id);
    assert_eq!(posted.total, usd("0.00"), "0.001 kg at 4.00 is 0.004");
    assert_eq!(posted.open_amount(), usd("0.00"));
    assert_eq!(posted.payment_state(), PaymentState::Paid);
}

// --- payments ----------------------------------------------------------------------------------

#[test]
fn receiving_a_payment_records_it_unallocated() {
    let mut w = World::new();
    let customer_id = w.customer;
    let payment_id = w.h.id();
    w.h.advance_days(10);

    let event = only(w.h.ok(ReceivePayment {
        payment_id,
        customer_id,
        amount: usd("150.00"),
        method: PaymentMethod::Cheque,
        reference: "CHQ 0042".into(),
    }));

    assert_eq!(
        event,
        Event::PaymentReceived(PaymentReceived {
            payment_id,
            customer_id,
            amount: usd("150.00"),
            method: PaymentMethod::Cheque,
            reference: "CHQ 0042".into(),
            received_on: NaiveDate::from_ymd_opt(2026, 3, 12).unwrap(),
        })
    );
    let received = payment(&w, payment_id);
    assert_eq!(received.allocated(), Decimal::ZERO);
    assert_eq!(received.unallocated(), usd("150.00"));
    assert_eq!(
        customer(&w).receivable,
        Decimal::ZERO,
        "an unallocated payment settles nothing yet"
    );
}

#[test]
fn a_payment_in_another_accepted_currency_is_recorded() {
    let mut w = World::new();

    let payment_id = pay(&mut w, eur("75.00"));

    assert_eq!(payment(&w, payment_id).unallocated(), eur("75.00"));
}

#[test]
fn allocating_part_then_the_rest_pays_the_invoice() {
    let mut w = World::new();
    let (widget, customer_id) = (w.widget, w.customer);
    let order_id = delivered(&mut w, &[(widget, "10")]);
    let invoice_id = posted_invoice(&mut w, order_id);
    let payment_id = pay(&mut w, usd("100.00"));

    let event = only(allocate(&mut w, payment_id, invoice_id, usd("30.00")));

    assert_eq!(
        event,
        Event::PaymentAllocated(PaymentAllocated {
            payment_id,
            invoice_id,
            customer_id,
            amount: usd("30.00")
        })
    );
    let partly = invoice(&w, invoice_id);
    assert_eq!(partly.payment_state(), PaymentState::PartiallyPaid);
    assert_eq!(partly.open_amount(), usd("70.00"));
    assert_eq!(payment(&w, payment_id).unallocated(), usd("70.00"));
    assert_eq!(customer(&w).receivable, dec("70.00"));

    allocate(&mut w, payment_id, invoice_id, usd("70.00"));

    let paid = invoice(&w, invoice_id);
    assert_eq!(paid.payment_state(), PaymentState::Paid);
    assert_eq!(paid.open_amount(), usd("0.00"));
    assert_eq!(paid.paid, dec("100.00"));
    assert_eq!(payment(&w, payment_id).unallocated(), usd("0.00"));
    assert_eq!(payment(&w, payment_id).allocations.len(), 2);
    assert_eq!(customer(&w).receivable, Decimal::ZERO);
}

#[test]
fn one_payment_settles_two_invoices() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let first_order = delivered(&mut w, &[(widget, "2")]);
    let second_order = delivered(&mut w, &[(gadget, "3")]);
    let first = posted_invoice(&mut w, first_order);
    let second = posted_invoice(&mut w, second_order);
    assert_eq!(customer(&w).receivable, dec("27.50"));
    let payment_id = pay(&mut w, usd("27.50"));

    allocate(&mut w, payment_id, first, usd("20.00"));
    allocate(&mut w, payment_id, second, usd("7.50"));

    assert_eq!(invoice(&w, first).payment_state(), PaymentState::Paid);
    assert_eq!(invoice(&w, second).payment_state(), PaymentState::Paid);
    let settled = payment(&w, payment_id);
    assert_eq!(
        settled
            .allocations
            .iter()
            .map(|a| (a.invoice_id, a.amount))
            .collect::<Vec<_>>(),
        [(first, dec("20.00")), (second, dec("7.50"))]
    );
    assert_eq!(settled.unallocated(), usd("0.00"));
    assert_eq!(customer(&w).receivable, Decimal::ZERO);
}

#[test]
fn an_overpayment_stays_on_the_payment_as_unapplied_credit() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "4")]);
    let invoice_id = posted_invoice(&mut w, order_id);
    let payment_id = pay(&mut w, usd("50.00"));

    allocate(&mut w, payment_id, invoice_id, usd("40.00"));

    assert_eq!(invoice(&w, invoice_id).payment_state(), PaymentState::Paid);
    assert_eq!(payment(&w, payment_id).unallocated(), usd("10.00"));
    assert_eq!(customer(&w).receivable, Decimal::ZERO);
}

// --- the whole flow ------------------------------------------------------------------------------

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

// --- the envelope ----------------------------------------------------------------------------------

#[test]
fn events_land_on_their_streams_with_consecutive_versions() {
    let mut w = World::new();
    let widget = w.widget;
    receive(&mut w, widget, "5");
    receive(&mut w, widget, "5");
    let order_id = confirmed(&mut w, &[(widget, "4")]);
    w.h.ok(ReserveStock { order_id });
    let shipment_id = ship_all(&mut w, order_id);
    let invoice_id = posted_invoice(&mut w, order_id);
    let payment_id = pay(&mut w, usd("40.00"));
    allocate(&mut w, payment_id, invoice_id, usd("40.00"));

    let stream = |kind: StreamKind, id: Uuid| -> Vec<(u64, &'static str)> {
        let events = w.h.engine.stream(&StreamId::new(kind, id)).unwrap();
        for event in &events {
            assert_eq!(event.stream, StreamId::new(kind, id));
            assert_eq!(event.payload.stream(), event.stream);
        }
        events
            .iter()
            .map(|e| (e.stream_version, e.payload.name()))
            .collect()
    };

    assert_eq!(
        stream(StreamKind::Order, order_id.0),
        [
            (1, "QuotationCreated"),
            (2, "OrderConfirmed"),
            (3, "StockReserved")
        ]
    );
    assert_eq!(
        stream(StreamKind::Stock, widget.0),
        [(1, "StockReceived"), (2, "StockReceived")]
    );
    assert_eq!(
        stream(StreamKind::Shipment, shipment_id.0),
        [(1, "ShipmentDispatched")]
    );
    assert_eq!(
        stream(StreamKind::Invoice, invoice_id.0),
        [(1, "InvoiceCreated"), (2, "InvoicePosted")]
    );
    assert_eq!(
        stream(StreamKind::Payment, payment_id.0),
        [(1, "PaymentReceived"), (2, "PaymentAllocated")]
    );
    assert_eq!(
        stream(StreamKind::Customer, w.customer.0),
        [(1, "CustomerRegistered")]
    );
    assert_eq!(stream(StreamKind::Product, widget.0), [(1, "ProductRegistered")]);
    assert_eq!(
        stream(StreamKind::Warehouse, w.warehouse.0),
        [(1, "WarehouseRegistered")]
    );
    assert_eq!(
        w.h.engine
            .read(|b| b.stream_version(&StreamId::new(StreamKind::Order, order_id.0))),
        3
    );
}

#[test]
fn the_log_numbers_every_event_and_chains_it_to_the_one_before() {
    let mut w = World::new();
    let widget = w.widget;
    receive(&mut w, widget, "5");
    confirmed(&mut w, &[(widget, "4")]);

    let log = w.h.engine.events(1, 100).unwrap();

    assert_eq!(log.len(), 9);
    assert_eq!(
        log.iter().map(|e| e.position).collect::<Vec<_>>(),
        (1..=9).collect::<Vec<u64>>()
    );
    assert_eq!(log[0].prev_hash, o2c::Hash::ZERO);
    for pair in log.windows(2) {
        assert_eq!(pair[1].prev_hash, pair[0].hash);
    }
    assert!(
        log.iter()
            .all(|e| e.verify_hash().is_ok() && e.schema_version == SCHEMA_VERSION)
    );
    assert_eq!(w.h.engine.head(), log[8].head());
}

#[test]
fn events_carry_the_command_id_actor_and_business_time() {
    let mut w = World::new();
    let widget = w.widget;
    w.h.actor = person("wes.warehouse", &[Role::WarehouseOperator]);
    let request = w.h.request(ReceiveStock {
        product_id: widget,
        warehouse_id: w.warehouse,
        quantity: dec("5"),
        reference: String::new(),
    });
    let (command_id, business_time) = (request.context.command_id, request.context.business_time);

    let outcome = w.h.engine.execute(request).unwrap();

    let event = &outcome.events[0];
    assert_eq!(event.command_id, command_id);
    assert_eq!(event.actor.as_str(), "wes.warehouse");
    assert_eq!(event.business_time, business_time);
    assert_eq!(event.event_id, Uuid::new_v5(&command_id, &0u64.to_be_bytes()));
}

#[test]
fn correlation_and_causation_default_to_the_command_id() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quote(&mut w, &[(widget, "1")]);
    let request = w.h.request(ConfirmOrder { order_id });
    let command_id = request.context.command_id;

    let outcome = w.h.engine.execute(request).unwrap();

    assert_eq!(outcome.events.len(), 1);
    assert_eq!(outcome.events[0].correlation_id, command_id);
    assert_eq!(outcome.events[0].causation_id, command_id);
}

#[test]
fn correlation_and_causation_are_stamped_when_given() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quote(&mut w, &[(widget, "1")]);
    let conversation = Uuid::from_u128(0xc0ffee);
    let cause = Uuid::from_u128(0xca05e);
    let mut request = w.h.request(ConfirmOrder { order_id });
    request.context = request.context.caused_by(conversation, cause);

    let outcome = w.h.engine.execute(request).unwrap();

    let stored =
        w.h.engine
            .stream(&StreamId::new(StreamKind::Order, order_id.0))
            .unwrap();
    for event in [&outcome.events[0], &stored[1]] {
        assert_eq!(event.correlation_id, conversation);
        assert_eq!(event.causation_id, cause);
    }
}

// --- idempotency -------------------------------------------------------------------------------------

#[test]
fn repeating_a_command_returns_the_original_events_and_appends_nothing() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quote(&mut w, &[(widget, "2")]);
    let request = w.h.request(ConfirmOrder { order_id });
    let original = w.h.engine.execute(request.clone()).unwrap();
    let (head, digest) = (w.h.engine.head(), w.h.engine.state_digest().unwrap());

    let again = w.h.engine.execute(request).unwrap();

    assert!(!original.repeated);
    assert!(again.repeated);
    assert_eq!(again.events, original.events);
    assert_eq!(w.h.engine.head(), head);
    assert_eq!(w.h.engine.state_digest().unwrap(), digest);
    assert_eq!(
        customer(&w).uninvoiced_orders,
        dec("20"),
        "the order was confirmed once"
    );
}

#[test]
fn a_retry_with_a_later_business_time_is_still_a_repeat() {
    let mut w = World::new();
    let widget = w.widget;
    let request = w.h.request(ReceiveStock {
        product_id: widget,
        warehouse_id: w.warehouse,
        quantity: dec("5"),
        reference: String::new(),
    });
    let original = w.h.engine.execute(request.clone()).unwrap();
    let mut retry = request;
    retry.context.business_time += o2c::chrono::Duration::hours(2);

    let again = w.h.engine.execute(retry).unwrap();

    assert!(again.repeated);
    assert_eq!(again.events, original.events);
    assert_eq!(level(&w, widget).on_hand, dec("5"));
}

#[test]
fn reusing_a_command_id_for_a_different_command_is_refused() {
    let w = World::new();
    let widget = w.widget;
    let command_id = Uuid::from_u128(0x1d);
    let receipt = |quantity: &str| ReceiveStock {
        product_id: widget,
        warehouse_id: w.warehouse,
        quantity: dec(quantity),
        reference: String::new(),
    };
    w.h.engine
        .execute(request_as(&w, command_id, "tester", receipt("5")))
        .unwrap();
    let (head, digest) = (w.h.engine.head(), w.h.engine.state_digest().unwrap());

    let different_body =
        w.h.engine
            .execute(request_as(&w, command_id, "tester", receipt("6")));
    let different_command = w.h.engine.execute(request_as(
        &w,
        command_id,
        "tester",
        ReserveStock {
            order_id: OrderId(Uuid::from_u128(0x0d)),
        },
    ));

    for result in [different_body, different_command] {
        match result {
            Err(Error::Rejected(DomainError::CommandIdReused { command_id: reused })) => {
                assert_eq!(reused, command_id)
            }
            other => panic!("expected CommandIdReused, got {other:?}"),
        }
    }
    assert_eq!(w.h.engine.head(), head);
    assert_eq!(w.h.engine.state_digest().unwrap(), digest);
    assert_eq!(level(&w, widget).on_hand, dec("5"));
}

#[test]
fn reusing_a_command_id_under_another_actor_is_refused() {
    let w = World::new();
    let widget = w.widget;
    let command_id = Uuid::from_u128(0x1e);
    let receipt = ReceiveStock {
        product_id: widget,
        warehouse_id: w.warehouse,
        quantity: dec("5"),
        reference: String::new(),
    };
    w.h.engine
        .execute(request_as(&w, command_id, "alice", receipt.clone()))
        .unwrap();
    let head = w.h.engine.head();

    let result = w.h.engine.execute(request_as(&w, command_id, "mallory", receipt));

    match result {
        Err(Error::Rejected(DomainError::CommandIdReused { command_id: reused })) => {
            assert_eq!(reused, command_id)
        }
        other => panic!("expected CommandIdReused, got {other:?}"),
    }
    assert_eq!(w.h.engine.head(), head);
}

#[test]
fn a_refused_command_does_not_use_up_its_command_id() {
    let mut w = World::new();
    let widget = w.widget;
    let command_id = Uuid::from_u128(0x1f);
    let order_id = quote(&mut w, &[(widget, "1")]);
    let too_early =
        w.h.engine
            .execute(request_as(&w, command_id, "tester", ReserveStock { order_id }));
    assert!(matches!(
        too_early,
        Err(Error::Rejected(DomainError::OrderNotConfirmed { .. }))
    ));

    let outcome =
        w.h.engine
            .execute(request_as(&w, command_id, "tester", ConfirmOrder { order_id }))
            .unwrap();

    assert!(!outcome.repeated);
    assert_eq!(outcome.events[0].payload.name(), "OrderConfirmed");
}
