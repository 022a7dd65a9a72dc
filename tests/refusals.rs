//! Refusals: every way the book turns a command down, one business case per test. Each
//! test brings the standard world (company, warehouse WH-1, customer Acme with a 10,000.00
//! USD limit, widget / gadget / flour) to the point where the rule bites, then checks with
//! `Harness::refused` that the command is refused with exactly the expected
//! [`DomainError`] variant and figures, and that nothing was appended and the book did not
//! change.
//!
//! Covered: unknown references (customer, product, warehouse, order, order line, invoice,
//! payment); quantities and amounts that are not positive or too precise; currencies the
//! company does not accept or that do not match; the order life cycle (empty, already
//! confirmed, not yet confirmed, nothing to reserve / ship / invoice, shipping more than
//! reserved, duplicate lines, too many lines); invoices that are not drafts or not posted;
//! allocations beyond what the payment or the invoice has; payments of another customer;
//! ids, SKUs, warehouse codes and currencies used twice; the company set up twice or not
//! yet; reserving or shipping an order on credit hold; bad text; bad actors; limits on
//! payment terms, unit and currency precision; dates beyond the calendar.

// A test crate: unwrapping is how a step says "this must succeed" (the shared harness
// and the helpers below unwrap and panic outside `#[test]` functions too).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use o2c::chrono::{NaiveDate, TimeZone, Utc};
use o2c::company::SetUpCompany;
use o2c::customer::{MAX_PAYMENT_TERM_DAYS, RegisterCustomer};
use o2c::invoice::{CancelInvoice, CreateInvoice, InvoiceStatus, PostInvoice};
use o2c::money::{Currency, CurrencyCode, MAX_CURRENCY_DECIMALS, Money, RoundingRule};
use o2c::order::{
    AddQuotationLine, ConfirmOrder, CreateQuotation, HoldKind, MAX_ORDER_LINES, RequestedLine, ReserveStock,
};
use o2c::payment::{AllocatePayment, PaymentMethod, ReceivePayment};
use o2c::product::{MAX_UNIT_DECIMALS, RegisterProduct, Unit};
use o2c::rust_decimal::Decimal;
use o2c::shipment::{ShipLine, ShipOrder};
use o2c::stock::ReceiveStock;
use o2c::uuid::Uuid;
use o2c::warehouse::RegisterWarehouse;
use o2c::{
    Actor, ActorId, Command, CommandContext, CompanyId, CustomerId, DomainError, EntityKind, Error,
    InvoiceId, OrderId, PaymentId, ProductId, Request, Role, ShipmentId, WarehouseId,
};
use support::{ALL_ROLES, COMPANY, Harness, World, dec, details, eur, person, usd};

// --- helpers ------------------------------------------------------------------------------

fn code(text: &str) -> CurrencyCode {
    CurrencyCode::new(text).unwrap()
}

fn gbp(amount: &str) -> Money {
    Money::new(dec(amount), code("GBP"))
}

/// An id no entity has.
fn unknown<T: From<Uuid>>() -> T {
    T::from(Uuid::from_u128(0xdead_beef))
}

fn requested(lines: &[(ProductId, &str)]) -> Vec<RequestedLine> {
    lines
        .iter()
        .map(|(product_id, quantity)| RequestedLine::new(*product_id, dec(quantity)))
        .collect()
}

fn quotation(w: &World, order_id: OrderId, lines: &[(ProductId, &str)]) -> CreateQuotation {
    CreateQuotation {
        order_id,
        customer_id: w.customer,
        warehouse_id: w.warehouse,
        lines: requested(lines),
        customer_reference: String::new(),
    }
}

fn receive(w: &mut World, product_id: ProductId, quantity: &str) {
    let warehouse_id = w.warehouse;
    w.h.ok(ReceiveStock {
        product_id,
        warehouse_id,
        quantity: dec(quantity),
        reference: String::new(),
    });
}

fn quote(w: &mut World, lines: &[(ProductId, &str)]) -> OrderId {
    let order_id = w.h.id();
    let command = quotation(w, order_id, lines);
    w.h.ok(command);
    order_id
}

fn confirmed(w: &mut World, lines: &[(ProductId, &str)]) -> OrderId {
    let order_id = quote(w, lines);
    w.h.ok(ConfirmOrder { order_id });
    order_id
}

/// A confirmed order with every line received and reserved, nothing shipped.
fn reserved(w: &mut World, lines: &[(ProductId, &str)]) -> OrderId {
    for (product, quantity) in lines {
        receive(w, *product, quantity);
    }
    let order_id = confirmed(w, lines);
    w.h.ok(ReserveStock { order_id });
    order_id
}

/// A confirmed order with every line received, reserved and shipped.
fn delivered(w: &mut World, lines: &[(ProductId, &str)]) -> OrderId {
    let order_id = reserved(w, lines);
    let shipment_id: ShipmentId = w.h.id();
    w.h.ok(ShipOrder {
        shipment_id,
        order_id,
        lines: vec![],
    });
    order_id
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

/// A posted invoice of `quantity` widgets (10.00 USD each) to Acme.
fn widget_invoice(w: &mut World, quantity: &str) -> InvoiceId {
    let widget = w.widget;
    let order_id = delivered(w, &[(widget, quantity)]);
    posted_invoice(w, order_id)
}

fn payment_from(w: &mut World, customer_id: CustomerId, amount: Money) -> PaymentId {
    let payment_id = w.h.id();
    w.h.ok(ReceivePayment {
        payment_id,
        customer_id,
        amount,
        method: PaymentMethod::BankTransfer,
        reference: String::new(),
    });
    payment_id
}

fn pay(w: &mut World, amount: Money) -> PaymentId {
    let customer_id = w.customer;
    payment_from(w, customer_id, amount)
}

fn payment(w: &World, amount: Money) -> ReceivePayment {
    ReceivePayment {
        payment_id: unknown(),
        customer_id: w.customer,
        amount,
        method: PaymentMethod::Cash,
        reference: String::new(),
    }
}

fn product(sku: &str, unit: Unit, list_price: Money) -> RegisterProduct {
    RegisterProduct {
        product_id: unknown(),
        sku: sku.into(),
        name: sku.into(),
        unit,
        list_price,
        category: None,
        floor_price: None,
    }
}

fn pieces() -> Unit {
    Unit {
        code: "pcs".into(),
        decimals: 0,
    }
}

fn customer(name: &str, credit_limit: Option<Money>) -> RegisterCustomer {
    RegisterCustomer {
        customer_id: unknown(),
        details: details(name, 30),
        credit_limit,
    }
}

/// Setting up the harness company (the one the harness actor holds its roles in).
fn company(base_currency: Currency, other_currencies: Vec<Currency>) -> SetUpCompany {
    SetUpCompany {
        company_id: COMPANY,
        name: "Another Company".into(),
        base_currency,
        other_currencies,
        rounding: RoundingRule::HalfAwayFromZero,
        settings: Default::default(),
    }
}

fn currency(text: &str, decimals: u32) -> Currency {
    Currency {
        code: code(text),
        decimals,
    }
}

fn ship_lines(order_id: OrderId, lines: &[(u32, &str)]) -> ShipOrder {
    ShipOrder {
        shipment_id: unknown(),
        order_id,
        lines: lines
            .iter()
            .map(|(line, quantity)| ShipLine {
                line: *line,
                quantity: dec(quantity),
            })
            .collect(),
    }
}

/// Executes a hand-built request that must be refused; checks nothing changed.
fn refused_request(h: &Harness, request: Request) -> DomainError {
    let (head, digest) = (h.engine.head(), h.engine.state_digest().unwrap());
    let error = match h.engine.execute(request) {
        Err(Error::Rejected(e)) => e,
        other => panic!("expected a domain refusal, got {other:?}"),
    };
    assert_eq!(h.engine.head(), head, "refused, but the log moved");
    assert_eq!(
        h.engine.state_digest().unwrap(),
        digest,
        "refused, but the book changed"
    );
    error
}

// --- unknown references ------------------------------------------------------------------------

#[test]
fn a_quotation_for_an_unknown_customer_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let mut command = quotation(&w, unknown(), &[(widget, "1")]);
    let stranger: CustomerId = Uuid::from_u128(0x5_7a11).into();
    command.customer_id = stranger;

    assert_eq!(
        w.h.refused(command),
        DomainError::UnknownCustomer {
            customer_id: stranger
        }
    );
}

#[test]
fn a_payment_from_an_unknown_customer_is_refused() {
    let mut w = World::new();
    let mut command = payment(&w, usd("10.00"));
    command.customer_id = Uuid::from_u128(0x5_7a11).into();

    assert_eq!(
        w.h.refused(command),
        DomainError::UnknownCustomer {
            customer_id: Uuid::from_u128(0x5_7a11).into()
        }
    );
}

#[test]
fn a_quotation_line_for_an_unknown_product_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let ghost: ProductId = unknown();
    let command = quotation(&w, unknown(), &[(widget, "1"), (ghost, "1")]);

    assert_eq!(
        w.h.refused(command),
        DomainError::UnknownProduct { product_id: ghost }
    );
}

#[test]
fn adding_a_line_for_an_unknown_product_is_refused() {
    let mut w = World::new();
    let order_id = quote(&mut w, &[]);
    let ghost: ProductId = unknown();

    assert_eq!(
        w.h.refused(AddQuotationLine {
            order_id,
            product_id: ghost,
            quantity: dec("1"),
            discount_percent: Decimal::ZERO,
            promised_date: None
        }),
        DomainError::UnknownProduct { product_id: ghost }
    );
}

#[test]
fn receiving_an_unknown_product_is_refused() {
    let mut w = World::new();
    let ghost: ProductId = unknown();
    let warehouse_id = w.warehouse;

    assert_eq!(
        w.h.refused(ReceiveStock {
            product_id: ghost,
            warehouse_id,
            quantity: dec("1"),
            reference: String::new()
        }),
        DomainError::UnknownProduct { product_id: ghost }
    );
}

#[test]
fn a_quotation_from_an_unknown_warehouse_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let nowhere: WarehouseId = unknown();
    let mut command = quotation(&w, unknown(), &[(widget, "1")]);
    command.warehouse_id = nowhere;

    assert_eq!(
        w.h.refused(command),
        DomainError::UnknownWarehouse {
            warehouse_id: nowhere
        }
    );
}

#[test]
fn receiving_into_an_unknown_warehouse_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let nowhere: WarehouseId = unknown();

    assert_eq!(
        w.h.refused(ReceiveStock {
            product_id: widget,
            warehouse_id: nowhere,
            quantity: dec("1"),
            reference: String::new()
        }),
        DomainError::UnknownWarehouse {
            warehouse_id: nowhere
        }
    );
}

#[test]
fn every_order_command_refuses_an_unknown_order() {
    let mut w = World::new();
    let widget = w.widget;
    let ghost: OrderId = unknown();
    let commands: Vec<Command> = vec![
        AddQuotationLine {
            order_id: ghost,
            product_id: widget,
            quantity: dec("1"),
            discount_percent: Decimal::ZERO,
            promised_date: None,
        }
        .into(),
        ConfirmOrder { order_id: ghost }.into(),
        ReserveStock { order_id: ghost }.into(),
        ShipOrder {
            shipment_id: Uuid::from_u128(0x5417).into(),
            order_id: ghost,
            lines: vec![],
        }
        .into(),
        CreateInvoice {
            invoice_id: Uuid::from_u128(0x1471).into(),
            order_id: ghost,
        }
        .into(),
    ];

    for command in commands {
        assert_eq!(
            w.h.refused(command),
            DomainError::UnknownOrder { order_id: ghost }
        );
    }
}

#[test]
fn posting_or_cancelling_an_unknown_invoice_is_refused() {
    let mut w = World::new();
    let ghost: InvoiceId = unknown();

    assert_eq!(
        w.h.refused(PostInvoice { invoice_id: ghost }),
        DomainError::UnknownInvoice { invoice_id: ghost }
    );
    assert_eq!(
        w.h.refused(CancelInvoice {
            invoice_id: ghost,
            reason: "typo".into()
        }),
        DomainError::UnknownInvoice { invoice_id: ghost }
    );
}

#[test]
fn allocating_to_an_unknown_invoice_is_refused() {
    let mut w = World::new();
    let payment_id = pay(&mut w, usd("10.00"));
    let ghost: InvoiceId = unknown();

    assert_eq!(
        w.h.refused(AllocatePayment {
            payment_id,
            invoice_id: ghost,
            amount: usd("10.00")
        }),
        DomainError::UnknownInvoice { invoice_id: ghost }
    );
}

#[test]
fn allocating_an_unknown_payment_is_refused() {
    let mut w = World::new();
    let invoice_id = widget_invoice(&mut w, "1");
    let ghost: PaymentId = unknown();

    assert_eq!(
        w.h.refused(AllocatePayment {
            payment_id: ghost,
            invoice_id,
            amount: usd("10.00")
        }),
        DomainError::UnknownPayment { payment_id: ghost }
    );
}

#[test]
fn shipping_an_unknown_order_line_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = reserved(&mut w, &[(widget, "2")]);

    assert_eq!(
        w.h.refused(ship_lines(order_id, &[(1, "1"), (3, "1")])),
        DomainError::UnknownOrderLine { order_id, line: 3 }
    );
}

// --- quantities -----------------------------------------------------------------------------

#[test]
fn receiving_zero_is_refused() {
    let mut w = World::new();
    let (widget, warehouse_id) = (w.widget, w.warehouse);

    assert_eq!(
        w.h.refused(ReceiveStock {
            product_id: widget,
            warehouse_id,
            quantity: dec("0"),
            reference: String::new()
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
            promised_date: None
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
            reference: String::new()
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

// --- amounts and currencies -------------------------------------------------------------------

#[test]
fn a_zero_list_price_is_refused() {
    let mut w = World::new();

    assert_eq!(
        w.h.refused(product("FREEBIE", pieces(), usd("0.00"))),
        DomainError::NonPositiveAmount { amount: usd("0") }
    );
}

#[test]
fn a_negative_list_price_is_refused() {
    let mut w = World::new();

    assert_eq!(
        w.h.refused(product("REBATE", pieces(), usd("-1.00"))),
        DomainError::NegativeAmount { amount: usd("-1.00") }
    );
}

#[test]
fn a_list_price_finer_than_the_cent_is_refused() {
    let mut w = World::new();

    assert_eq!(
        w.h.refused(product("SCREW", pieces(), usd("0.005"))),
        DomainError::AmountPrecisionExceeded {
            amount: usd("0.005"),
            decimals: 2
        }
    );
}

#[test]
fn a_list_price_outside_the_base_currency_is_refused() {
    let mut w = World::new();

    assert_eq!(
        w.h.refused(product("IMPORT", pieces(), eur("5.00"))),
        DomainError::CurrencyMismatch {
            expected: code("USD"),
            found: code("EUR")
        }
    );
    assert_eq!(
        w.h.refused(product("IMPORT", pieces(), gbp("5.00"))),
        DomainError::CurrencyMismatch {
            expected: code("USD"),
            found: code("GBP")
        }
    );
}

#[test]
fn a_negative_credit_limit_is_refused() {
    let mut w = World::new();

    assert_eq!(
        w.h.refused(customer("Globex", Some(usd("-100.00")))),
        DomainError::NegativeAmount {
            amount: usd("-100.00")
        }
    );
}

#[test]
fn a_credit_limit_finer_than_the_cent_is_refused() {
    let mut w = World::new();

    assert_eq!(
        w.h.refused(customer("Globex", Some(usd("100.001")))),
        DomainError::AmountPrecisionExceeded {
            amount: usd("100.001"),
            decimals: 2
        }
    );
}

#[test]
fn a_credit_limit_outside_the_base_currency_is_refused() {
    let mut w = World::new();

    assert_eq!(
        w.h.refused(customer("Globex", Some(eur("100.00")))),
        DomainError::CurrencyMismatch {
            expected: code("USD"),
            found: code("EUR")
        }
    );
}

#[test]
fn a_zero_payment_is_refused() {
    let mut w = World::new();
    let command = payment(&w, usd("0"));

    assert_eq!(
        w.h.refused(command),
        DomainError::NonPositiveAmount { amount: usd("0") }
    );
}

#[test]
fn a_negative_payment_is_refused() {
    let mut w = World::new();
    let command = payment(&w, usd("-25.00"));

    assert_eq!(
        w.h.refused(command),
        DomainError::NegativeAmount {
            amount: usd("-25.00")
        }
    );
}

#[test]
fn a_payment_finer_than_the_cent_is_refused() {
    let mut w = World::new();
    let command = payment(&w, eur("25.001"));

    assert_eq!(
        w.h.refused(command),
        DomainError::AmountPrecisionExceeded {
            amount: eur("25.001"),
            decimals: 2
        }
    );
}

#[test]
fn a_payment_in_a_currency_the_company_does_not_accept_is_refused() {
    let mut w = World::new();
    let command = payment(&w, gbp("25.00"));

    assert_eq!(
        w.h.refused(command),
        DomainError::UnknownCurrency {
            currency: code("GBP")
        }
    );
}

#[test]
fn allocating_zero_or_a_negative_amount_is_refused() {
    let mut w = World::new();
    let invoice_id = widget_invoice(&mut w, "1");
    let payment_id = pay(&mut w, usd("10.00"));

    assert_eq!(
        w.h.refused(AllocatePayment {
            payment_id,
            invoice_id,
            amount: usd("0.00")
        }),
        DomainError::NonPositiveAmount { amount: usd("0") }
    );
    assert_eq!(
        w.h.refused(AllocatePayment {
            payment_id,
            invoice_id,
            amount: usd("-1.00")
        }),
        DomainError::NegativeAmount { amount: usd("-1.00") }
    );
}

#[test]
fn allocating_an_amount_finer_than_the_cent_is_refused() {
    let mut w = World::new();
    let invoice_id = widget_invoice(&mut w, "1");
    let payment_id = pay(&mut w, usd("10.00"));

    assert_eq!(
        w.h.refused(AllocatePayment {
            payment_id,
            invoice_id,
            amount: usd("9.999")
        }),
        DomainError::AmountPrecisionExceeded {
            amount: usd("9.999"),
            decimals: 2
        }
    );
}

// --- the order life cycle ------------------------------------------------------------------------

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
            promised_date: None
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
            order_id
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
            promised_date: None
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

// --- invoices ------------------------------------------------------------------------------------

#[test]
fn invoicing_before_anything_is_delivered_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = reserved(&mut w, &[(widget, "4")]);

    assert_eq!(
        w.h.refused(CreateInvoice {
            invoice_id: unknown(),
            order_id
        }),
        DomainError::NothingToInvoice { order_id }
    );
}

#[test]
fn invoicing_what_is_already_on_a_draft_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "4")]);
    draft_invoice(&mut w, order_id);

    assert_eq!(
        w.h.refused(CreateInvoice {
            invoice_id: unknown(),
            order_id
        }),
        DomainError::NothingToInvoice { order_id }
    );
}

#[test]
fn invoicing_a_fully_invoiced_order_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "4")]);
    posted_invoice(&mut w, order_id);

    assert_eq!(
        w.h.refused(CreateInvoice {
            invoice_id: unknown(),
            order_id
        }),
        DomainError::NothingToInvoice { order_id }
    );
}

#[test]
fn posting_a_posted_invoice_is_refused() {
    let mut w = World::new();
    let invoice_id = widget_invoice(&mut w, "1");

    assert_eq!(
        w.h.refused(PostInvoice { invoice_id }),
        DomainError::InvoiceNotDraft {
            invoice_id,
            status: InvoiceStatus::Posted
        }
    );
}

#[test]
fn cancelling_a_posted_invoice_is_refused() {
    let mut w = World::new();
    let invoice_id = widget_invoice(&mut w, "1");

    assert_eq!(
        w.h.refused(CancelInvoice {
            invoice_id,
            reason: "customer changed their mind".into()
        }),
        DomainError::InvoiceNotDraft {
            invoice_id,
            status: InvoiceStatus::Posted
        }
    );
}

#[test]
fn posting_or_cancelling_a_cancelled_invoice_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "1")]);
    let invoice_id = draft_invoice(&mut w, order_id);
    w.h.ok(CancelInvoice {
        invoice_id,
        reason: "wrong price".into(),
    });

    assert_eq!(
        w.h.refused(PostInvoice { invoice_id }),
        DomainError::InvoiceNotDraft {
            invoice_id,
            status: InvoiceStatus::Cancelled
        }
    );
    assert_eq!(
        w.h.refused(CancelInvoice {
            invoice_id,
            reason: "again".into()
        }),
        DomainError::InvoiceNotDraft {
            invoice_id,
            status: InvoiceStatus::Cancelled
        }
    );
}

#[test]
fn posting_when_the_due_date_falls_beyond_the_calendar_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "1")]);
    let invoice_id = draft_invoice(&mut w, order_id);
    let last_days = NaiveDate::MAX.pred_opt().unwrap().pred_opt().unwrap();
    w.h.now = Utc.from_utc_datetime(&last_days.and_hms_opt(9, 0, 0).unwrap());

    assert_eq!(
        w.h.refused(PostInvoice { invoice_id }),
        DomainError::DateOutOfRange
    );
}

// --- payments and allocations ------------------------------------------------------------------------

#[test]
fn allocating_to_a_draft_invoice_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "1")]);
    let invoice_id = draft_invoice(&mut w, order_id);
    let payment_id = pay(&mut w, usd("10.00"));

    assert_eq!(
        w.h.refused(AllocatePayment {
            payment_id,
            invoice_id,
            amount: usd("10.00")
        }),
        DomainError::InvoiceNotPosted {
            invoice_id,
            status: InvoiceStatus::Draft
        }
    );
}

#[test]
fn allocating_to_a_cancelled_invoice_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "1")]);
    let invoice_id = draft_invoice(&mut w, order_id);
    w.h.ok(CancelInvoice {
        invoice_id,
        reason: "wrong price".into(),
    });
    let payment_id = pay(&mut w, usd("10.00"));

    assert_eq!(
        w.h.refused(AllocatePayment {
            payment_id,
            invoice_id,
            amount: usd("10.00")
        }),
        DomainError::InvoiceNotPosted {
            invoice_id,
            status: InvoiceStatus::Cancelled
        }
    );
}

#[test]
fn allocating_more_than_the_payment_has_left_is_refused() {
    let mut w = World::new();
    let invoice_id = widget_invoice(&mut w, "10");
    let payment_id = pay(&mut w, usd("50.00"));
    w.h.ok(AllocatePayment {
        payment_id,
        invoice_id,
        amount: usd("20.00"),
    });

    assert_eq!(
        w.h.refused(AllocatePayment {
            payment_id,
            invoice_id,
            amount: usd("30.01")
        }),
        DomainError::AllocationExceedsUnallocated {
            payment_id,
            requested: usd("30.01"),
            unallocated: usd("30.00"),
        }
    );
}

#[test]
fn allocating_more_than_the_invoice_has_open_is_refused() {
    let mut w = World::new();
    let invoice_id = widget_invoice(&mut w, "10");
    let first = pay(&mut w, usd("60.00"));
    w.h.ok(AllocatePayment {
        payment_id: first,
        invoice_id,
        amount: usd("60.00"),
    });
    let second = pay(&mut w, usd("500.00"));

    assert_eq!(
        w.h.refused(AllocatePayment {
            payment_id: second,
            invoice_id,
            amount: usd("40.01")
        }),
        DomainError::AllocationExceedsOpenAmount {
            invoice_id,
            requested: usd("40.01"),
            open: usd("40.00")
        }
    );
}

#[test]
fn allocating_a_euro_payment_to_a_dollar_invoice_is_refused() {
    let mut w = World::new();
    let invoice_id = widget_invoice(&mut w, "1");
    let payment_id = pay(&mut w, eur("10.00"));

    assert_eq!(
        w.h.refused(AllocatePayment {
            payment_id,
            invoice_id,
            amount: eur("10.00")
        }),
        DomainError::CurrencyMismatch {
            expected: code("USD"),
            found: code("EUR")
        }
    );
}

#[test]
fn allocating_a_dollar_payment_in_euros_is_refused() {
    let mut w = World::new();
    let invoice_id = widget_invoice(&mut w, "1");
    let payment_id = pay(&mut w, usd("10.00"));

    assert_eq!(
        w.h.refused(AllocatePayment {
            payment_id,
            invoice_id,
            amount: eur("10.00")
        }),
        DomainError::CurrencyMismatch {
            expected: code("USD"),
            found: code("EUR")
        }
    );
}

#[test]
fn allocating_another_customers_payment_is_refused() {
    let mut w = World::new();
    let invoice_id = widget_invoice(&mut w, "1");
    let globex: CustomerId = w.h.id();
    w.h.ok(RegisterCustomer {
        customer_id: globex,
        details: details("Globex", 30),
        credit_limit: None,
    });
    let payment_id = payment_from(&mut w, globex, usd("10.00"));

    assert_eq!(
        w.h.refused(AllocatePayment {
            payment_id,
            invoice_id,
            amount: usd("10.00")
        }),
        DomainError::PaymentCustomerMismatch {
            payment_id,
            payment_customer: globex,
            invoice_id,
            invoice_customer: w.customer,
        }
    );
}

// --- ids, codes and the company ---------------------------------------------------------------------

#[test]
fn a_customer_id_reused_as_an_order_id_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let command = quotation(&w, w.customer.0.into(), &[(widget, "1")]);

    assert_eq!(
        w.h.refused(command),
        DomainError::IdAlreadyUsed {
            id: w.customer.0,
            kind: EntityKind::Customer
        }
    );
}

#[test]
fn registering_a_product_id_twice_is_refused() {
    let mut w = World::new();
    let mut command = product("WIDGET-2", pieces(), usd("1.00"));
    command.product_id = w.widget;

    assert_eq!(
        w.h.refused(command),
        DomainError::IdAlreadyUsed {
            id: w.widget.0,
            kind: EntityKind::Product
        }
    );
}

#[test]
fn the_company_id_cannot_name_a_warehouse() {
    let mut w = World::new();
    let company_id = w.h.engine.read(|b| b.company().map(|c| c.id)).unwrap();

    assert_eq!(
        w.h.refused(RegisterWarehouse {
            warehouse_id: company_id.0.into(),
            code: "WH-2".into(),
            name: "Two".into()
        }),
        DomainError::IdAlreadyUsed {
            id: company_id.0,
            kind: EntityKind::Company
        }
    );
}

#[test]
fn document_ids_are_unique_across_orders_shipments_invoices_and_payments() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "1")]);
    let invoice_id = posted_invoice(&mut w, order_id);
    let payment_id = pay(&mut w, usd("10.00"));
    let customer_id = w.customer;

    assert_eq!(
        w.h.refused(ReceivePayment {
            payment_id: invoice_id.0.into(),
            customer_id,
            amount: usd("1.00"),
            method: PaymentMethod::Card,
            reference: String::new(),
        }),
        DomainError::IdAlreadyUsed {
            id: invoice_id.0,
            kind: EntityKind::Invoice
        }
    );
    assert_eq!(
        w.h.refused(CreateInvoice {
            invoice_id: payment_id.0.into(),
            order_id
        }),
        DomainError::IdAlreadyUsed {
            id: payment_id.0,
            kind: EntityKind::Payment
        }
    );
    assert_eq!(
        w.h.refused(ShipOrder {
            shipment_id: order_id.0.into(),
            order_id,
            lines: vec![]
        }),
        DomainError::IdAlreadyUsed {
            id: order_id.0,
            kind: EntityKind::Order
        }
    );
}

#[test]
fn a_shipment_id_used_twice_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    receive(&mut w, widget, "2");
    let order_id = confirmed(&mut w, &[(widget, "2")]);
    w.h.ok(ReserveStock { order_id });
    let shipment_id: ShipmentId = w.h.id();
    w.h.ok(ShipOrder {
        shipment_id,
        order_id,
        lines: vec![ShipLine {
            line: 1,
            quantity: dec("1"),
        }],
    });

    assert_eq!(
        w.h.refused(ShipOrder {
            shipment_id,
            order_id,
            lines: vec![]
        }),
        DomainError::IdAlreadyUsed {
            id: shipment_id.0,
            kind: EntityKind::Shipment
        }
    );
}

#[test]
fn a_sku_used_twice_is_refused() {
    let mut w = World::new();

    assert_eq!(
        w.h.refused(product("WIDGET", pieces(), usd("11.00"))),
        DomainError::SkuAlreadyUsed {
            sku: "WIDGET".into(),
            product_id: w.widget
        }
    );
}

#[test]
fn a_warehouse_code_used_twice_is_refused() {
    let mut w = World::new();

    assert_eq!(
        w.h.refused(RegisterWarehouse {
            warehouse_id: unknown(),
            code: "WH-1".into(),
            name: "Another".into()
        }),
        DomainError::WarehouseCodeAlreadyUsed {
            code: "WH-1".into(),
            warehouse_id: w.warehouse
        }
    );
}

#[test]
fn setting_up_the_company_twice_is_refused() {
    let mut w = World::new();
    let company_id = w.h.engine.read(|b| b.company().map(|c| c.id)).unwrap();
    let another: CompanyId = unknown();
    // An administrator of both companies, so that only the book's rule can refuse.
    let admin = person("ada.admin", &[Role::Admin]).member_of(another, [Role::Admin]);

    assert_eq!(
        w.h.refused(company(currency("EUR", 2), vec![])),
        DomainError::CompanyAlreadySetUp { company_id }
    );
    let second_company = SetUpCompany {
        company_id: another,
        ..company(currency("EUR", 2), vec![])
    };
    assert_eq!(
        w.h.as_actor(admin, |h| h.refused(second_company)),
        DomainError::CompanyAlreadySetUp { company_id }
    );
}

#[test]
fn every_command_before_the_company_is_set_up_is_refused() {
    let mut h = Harness::empty();
    let (customer_id, product_id, warehouse_id): (CustomerId, ProductId, WarehouseId) =
        (h.id(), h.id(), h.id());
    let (order_id, invoice_id, payment_id): (OrderId, InvoiceId, PaymentId) = (h.id(), h.id(), h.id());
    let commands: Vec<Command> = vec![
        RegisterCustomer {
            customer_id,
            details: details("Acme", 30),
            credit_limit: None,
        }
        .into(),
        RegisterProduct {
            product_id,
            ..product("WIDGET", pieces(), usd("10.00"))
        }
        .into(),
        RegisterWarehouse {
            warehouse_id,
            code: "WH-1".into(),
            name: "Main".into(),
        }
        .into(),
        ReceiveStock {
            product_id,
            warehouse_id,
            quantity: dec("1"),
            reference: String::new(),
        }
        .into(),
        CreateQuotation {
            order_id,
            customer_id,
            warehouse_id,
            lines: vec![],
            customer_reference: String::new(),
        }
        .into(),
        AddQuotationLine {
            order_id,
            product_id,
            quantity: dec("1"),
            discount_percent: Decimal::ZERO,
            promised_date: None,
        }
        .into(),
        ConfirmOrder { order_id }.into(),
        ReserveStock { order_id }.into(),
        ShipOrder {
            shipment_id: h.id(),
            order_id,
            lines: vec![],
        }
        .into(),
        CreateInvoice { invoice_id, order_id }.into(),
        PostInvoice { invoice_id }.into(),
        CancelInvoice {
            invoice_id,
            reason: "test".into(),
        }
        .into(),
        ReceivePayment {
            payment_id,
            customer_id,
            amount: usd("1.00"),
            method: PaymentMethod::Cash,
            reference: String::new(),
        }
        .into(),
        AllocatePayment {
            payment_id,
            invoice_id,
            amount: usd("1.00"),
        }
        .into(),
    ];

    for command in commands {
        let name = command.name();
        assert_eq!(h.refused(command), DomainError::CompanyNotSetUp, "{name}");
    }
    assert_eq!(h.engine.head().position, 0);
}

// --- credit holds --------------------------------------------------------------------------------
//
// Going over the credit limit no longer refuses the confirmation: the order is confirmed on
// credit hold (see `scenarios.rs`). What the hold refuses is moving goods for it.

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

// --- text, actors and limits ----------------------------------------------------------------------

#[test]
fn a_blank_customer_name_is_refused() {
    let mut w = World::new();

    assert_eq!(
        w.h.refused(customer(" \t ", None)),
        DomainError::InvalidText {
            field: "name",
            reason: "must not be blank"
        }
    );
}

#[test]
fn a_customer_name_with_control_characters_is_refused() {
    let mut w = World::new();

    assert_eq!(
        w.h.refused(customer("Acme\nRetail", None)),
        DomainError::InvalidText {
            field: "name",
            reason: "contains control characters"
        }
    );
}

#[test]
fn a_customer_name_over_200_characters_is_refused() {
    let mut w = World::new();

    assert_eq!(
        w.h.refused(customer(&"A".repeat(201), None)),
        DomainError::InvalidText {
            field: "name",
            reason: "longer than 200 characters"
        }
    );
    w.h.ok(customer(&"Ä".repeat(200), None));
}

#[test]
fn a_blank_company_name_is_refused() {
    let mut h = Harness::empty();

    assert_eq!(
        h.refused(SetUpCompany {
            name: String::new(),
            ..company(currency("USD", 2), vec![])
        }),
        DomainError::InvalidText {
            field: "name",
            reason: "must not be blank"
        }
    );
}

#[test]
fn a_blank_sku_or_unit_is_refused() {
    let mut w = World::new();

    assert_eq!(
        w.h.refused(product("", pieces(), usd("1.00"))),
        DomainError::InvalidText {
            field: "sku",
            reason: "must not be blank"
        }
    );
    assert_eq!(
        w.h.refused(product(
            "BOLT",
            Unit {
                code: " ".into(),
                decimals: 0
            },
            usd("1.00")
        )),
        DomainError::InvalidText {
            field: "unit.code",
            reason: "must not be blank"
        }
    );
}

#[test]
fn a_blank_warehouse_code_is_refused() {
    let mut w = World::new();

    assert_eq!(
        w.h.refused(RegisterWarehouse {
            warehouse_id: unknown(),
            code: String::new(),
            name: "Two".into()
        }),
        DomainError::InvalidText {
            field: "code",
            reason: "must not be blank"
        }
    );
}

#[test]
fn references_with_control_characters_are_refused() {
    let mut w = World::new();
    let (widget, warehouse_id) = (w.widget, w.warehouse);
    let mut quotation = quotation(&w, unknown(), &[(widget, "1")]);
    quotation.customer_reference = "PO\u{0}42".into();
    let mut receipt_payment = payment(&w, usd("1.00"));
    receipt_payment.reference = "bank\rref".into();

    assert_eq!(
        w.h.refused(quotation),
        DomainError::InvalidText {
            field: "customer_reference",
            reason: "contains control characters"
        }
    );
    assert_eq!(
        w.h.refused(ReceiveStock {
            product_id: widget,
            warehouse_id,
            quantity: dec("1"),
            reference: "PO\t1".into()
        }),
        DomainError::InvalidText {
            field: "reference",
            reason: "contains control characters"
        }
    );
    assert_eq!(
        w.h.refused(receipt_payment),
        DomainError::InvalidText {
            field: "reference",
            reason: "contains control characters"
        }
    );
}

#[test]
fn cancelling_a_draft_without_a_reason_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = delivered(&mut w, &[(widget, "1")]);
    let invoice_id = draft_invoice(&mut w, order_id);

    assert_eq!(
        w.h.refused(CancelInvoice {
            invoice_id,
            reason: "  ".into()
        }),
        DomainError::InvalidText {
            field: "reason",
            reason: "must not be blank"
        }
    );
}

#[test]
fn a_blank_actor_is_refused() {
    let mut w = World::new();
    let blank: ActorId = serde_json::from_str(r#""""#).unwrap();
    let actor = Actor::new(blank).member_of(COMPANY, ALL_ROLES);
    let context = CommandContext::new(Uuid::from_u128(0xac7), actor, w.h.now);
    let request = Request::new(context, customer("Globex", None));

    assert_eq!(
        refused_request(&w.h, request),
        DomainError::InvalidActor { actor: String::new() }
    );
    w.h.ok(customer("Globex", None));
}

#[test]
fn an_actor_with_surrounding_spaces_or_control_characters_is_refused() {
    let w = World::new();
    for text in [" alice", "bob ", "eve\u{7}"] {
        let id: ActorId = serde_json::from_value(serde_json::Value::String(text.into())).unwrap();
        let actor = Actor::new(id).member_of(COMPANY, ALL_ROLES);
        let context = CommandContext::new(Uuid::from_u128(0xac8), actor, w.h.now);
        let request = Request::new(context, customer("Globex", None));

        assert_eq!(
            refused_request(&w.h, request),
            DomainError::InvalidActor { actor: text.into() }
        );
    }
}

#[test]
fn a_payment_term_over_ten_years_is_refused() {
    let mut w = World::new();

    assert_eq!(
        w.h.refused(RegisterCustomer {
            details: details("Slow Payer", 3651),
            ..customer("Slow Payer", None)
        }),
        DomainError::PaymentTermTooLong {
            days: 3651,
            max: MAX_PAYMENT_TERM_DAYS
        }
    );
    assert_eq!(MAX_PAYMENT_TERM_DAYS, 3650);
    w.h.ok(RegisterCustomer {
        details: details("Slow Payer", 3650),
        ..customer("Slow Payer", None)
    });
}

#[test]
fn a_unit_finer_than_six_decimals_is_refused() {
    let mut w = World::new();

    assert_eq!(
        w.h.refused(product(
            "GOLD",
            Unit {
                code: "g".into(),
                decimals: 7
            },
            usd("60.00")
        )),
        DomainError::UnitPrecisionTooHigh {
            unit: "g".into(),
            decimals: 7,
            max: MAX_UNIT_DECIMALS
        }
    );
    assert_eq!(MAX_UNIT_DECIMALS, 6);
}

#[test]
fn a_currency_finer_than_six_decimals_is_refused() {
    let mut h = Harness::empty();

    assert_eq!(
        h.refused(company(currency("USD", 2), vec![currency("BTC", 8)])),
        DomainError::CurrencyPrecisionTooHigh {
            currency: code("BTC"),
            decimals: 8,
            max: MAX_CURRENCY_DECIMALS
        }
    );
    assert_eq!(
        h.refused(company(currency("XAU", 7), vec![])),
        DomainError::CurrencyPrecisionTooHigh {
            currency: code("XAU"),
            decimals: 7,
            max: 6
        }
    );
}

#[test]
fn a_currency_listed_twice_is_refused() {
    let mut h = Harness::empty();

    assert_eq!(
        h.refused(company(
            currency("USD", 2),
            vec![currency("EUR", 2), currency("EUR", 2)]
        )),
        DomainError::DuplicateCurrency {
            currency: code("EUR")
        }
    );
    assert_eq!(
        h.refused(company(currency("USD", 2), vec![currency("USD", 0)])),
        DomainError::DuplicateCurrency {
            currency: code("USD")
        }
    );
}
