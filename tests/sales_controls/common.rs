//! Shared actors and steps of the sales-control tests: who acts, and the documents a rule needs.

use crate::support::{COMPANY, Harness, World, dec, details, person, usd};
use o2c::chrono::NaiveDate;
use o2c::company::{ChangeCompanySettings, CompanySettings};
use o2c::customer::{Customer, CustomerDetails, RegisterCustomer, RegisterCustomerGroup, SetCreditLimit};
use o2c::invoice::{CreateInvoice, PostInvoice};
use o2c::location::{LocationKind, standard_location};
use o2c::order::{
    ChangeOrderLine, ConfirmOrder, CreateQuotation, OrderConfirmed, OrderLine, QuantReservation, QuotedLine,
    RequestedLine, ReserveStock, SalesOrder, StockReserved,
};
use o2c::payment::{AllocatePayment, PaymentMethod, ReceivePayment};
use o2c::pricing::{
    self, AddPriceRule, CreatePriceList, PriceRule, PriceSource, Quote, RulePrice, RuleScope,
};
use o2c::product::{ChangeProduct, RegisterProduct, Unit};
use o2c::rust_decimal::Decimal;
use o2c::shipment::{ShipLine, ShipOrder};
use o2c::stock::{ReceiveStock, StockLevel};
use o2c::{
    Actor, ActorId, Command, CurrencyCode, CustomerGroupId, CustomerId, DomainError, Event, InvoiceId, Money,
    OrderId, Outcome, PriceListId, PriceRuleId, ProductId, RecordedEvent, Role, ShipmentId,
};

// --- actors ---------------------------------------------------------------------------------

pub(crate) fn actor_id(name: &str) -> ActorId {
    ActorId::new(name).unwrap()
}

/// Sales rep Rita.
pub(crate) fn rep() -> Actor {
    person("rita", &[Role::SalesRep])
}

/// Sales rep Ron.
pub(crate) fn rep2() -> Actor {
    person("ron", &[Role::SalesRep])
}

/// Sales manager Max.
pub(crate) fn manager() -> Actor {
    person("max", &[Role::SalesManager])
}

/// Sales manager Mona.
pub(crate) fn manager2() -> Actor {
    person("mona", &[Role::SalesManager])
}

/// Credit controller Carl.
pub(crate) fn controller() -> Actor {
    person("carl", &[Role::CreditController])
}

/// Billing clerk Bill.
pub(crate) fn clerk() -> Actor {
    person("bill", &[Role::BillingClerk])
}

/// Warehouse operator Wes.
pub(crate) fn picker() -> Actor {
    person("wes", &[Role::WarehouseOperator])
}

/// Admin Adam.
pub(crate) fn admin() -> Actor {
    person("adam", &[Role::Admin])
}

/// Auditor Ada.
pub(crate) fn auditor() -> Actor {
    person("ada", &[Role::Auditor])
}

// --- helpers --------------------------------------------------------------------------------

pub(crate) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub(crate) fn usd_code() -> CurrencyCode {
    CurrencyCode::new("USD").unwrap()
}

pub(crate) fn only(outcome: &Outcome) -> &RecordedEvent {
    assert_eq!(
        outcome.events.len(),
        1,
        "expected one event, got {:?}",
        outcome.events
    );
    &outcome.events[0]
}

/// The single event a command recorded.
pub(crate) fn event(outcome: Outcome) -> Event {
    only(&outcome).payload.clone()
}

pub(crate) fn ok_as(h: &mut Harness, actor: Actor, command: impl Into<Command>) -> Outcome {
    let command = command.into();
    h.as_actor(actor, |h| h.ok(command))
}

pub(crate) fn refused_as(h: &mut Harness, actor: Actor, command: impl Into<Command>) -> DomainError {
    let command = command.into();
    h.as_actor(actor, |h| h.refused(command))
}

pub(crate) fn not_authorized(actor: &str, command: &'static str, required: &[Role]) -> DomainError {
    DomainError::NotAuthorized {
        actor: actor_id(actor),
        command,
        company: COMPANY,
        required: required.to_vec(),
    }
}

pub(crate) fn blank_reason() -> DomainError {
    DomainError::InvalidText {
        field: "reason",
        reason: "must not be blank",
    }
}

pub(crate) fn requested(lines: &[(ProductId, &str)]) -> Vec<RequestedLine> {
    lines
        .iter()
        .map(|(product_id, quantity)| RequestedLine::new(*product_id, dec(quantity)))
        .collect()
}

pub(crate) fn discounted(product_id: ProductId, quantity: &str, discount: &str) -> RequestedLine {
    RequestedLine {
        discount_percent: dec(discount),
        ..RequestedLine::new(product_id, dec(quantity))
    }
}

/// A quotation for `customer_id` with `lines`, raised by the harness's current actor.
pub(crate) fn create_quotation(w: &mut World, customer_id: CustomerId, lines: Vec<RequestedLine>) -> OrderId {
    let order_id = w.h.id();
    let warehouse_id = w.warehouse;
    w.h.ok(CreateQuotation {
        order_id,
        customer_id,
        warehouse_id,
        lines,
        customer_reference: String::new(),
        shipping_policy: Default::default(),
        backorder_policy: None,
        urgent: false,
    });
    order_id
}

/// A quotation for Acme.
pub(crate) fn quotation(w: &mut World, lines: &[(ProductId, &str)]) -> OrderId {
    let customer = w.customer;
    create_quotation(w, customer, requested(lines))
}

/// A quotation for Acme raised by `actor`.
pub(crate) fn quotation_by(w: &mut World, actor: Actor, lines: Vec<RequestedLine>) -> OrderId {
    let previous = std::mem::replace(&mut w.h.actor, actor);
    let customer = w.customer;
    let order_id = create_quotation(w, customer, lines);
    w.h.actor = previous;
    order_id
}

pub(crate) fn confirm(w: &mut World, order_id: OrderId) -> OrderConfirmed {
    match event(w.h.ok(ConfirmOrder { order_id })) {
        Event::OrderConfirmed(e) => e,
        other => panic!("expected OrderConfirmed, got {other:?}"),
    }
}

/// A confirmed order for Acme.
pub(crate) fn confirmed(w: &mut World, lines: &[(ProductId, &str)]) -> OrderId {
    let order_id = quotation(w, lines);
    confirm(w, order_id);
    order_id
}

pub(crate) fn receive(w: &mut World, product_id: ProductId, quantity: &str) {
    let warehouse_id = w.warehouse;
    w.h.ok(ReceiveStock {
        product_id,
        warehouse_id,
        quantity: dec(quantity),
        reference: "PO".into(),
        location_id: None,
        lots: vec![],
    });
}

pub(crate) fn reserve(w: &mut World, order_id: OrderId) -> StockReserved {
    match event(w.h.ok(ReserveStock { order_id })) {
        Event::StockReserved(e) => e,
        other => panic!("expected StockReserved, got {other:?}"),
    }
}

/// Ships the given `(line, quantity)` pairs, or everything reserved when empty.
pub(crate) fn ship(w: &mut World, order_id: OrderId, lines: &[(u32, &str)]) -> ShipmentId {
    let shipment_id = w.h.id();
    w.h.ok(ShipOrder {
        shipment_id,
        order_id,
        lines: lines
            .iter()
            .map(|(line, quantity)| ShipLine {
                line: *line,
                quantity: dec(quantity),
            })
            .collect(),
        warehouse_id: None,
        carrier: String::new(),
        tracking_reference: String::new(),
    });
    shipment_id
}

/// An order for Acme received, confirmed, reserved and shipped in full.
pub(crate) fn delivered(w: &mut World, lines: &[(ProductId, &str)]) -> OrderId {
    for (product, quantity) in lines {
        receive(w, *product, quantity);
    }
    let order_id = confirmed(w, lines);
    reserve(w, order_id);
    ship(w, order_id, &[]);
    order_id
}

/// Invoices what the order delivered and posts it today.
pub(crate) fn post_invoice(w: &mut World, order_id: OrderId) -> InvoiceId {
    let invoice_id = w.h.id();
    w.h.ok(CreateInvoice {
        invoice_id,
        order_id,
        additional_orders: vec![],
        currency: None,
    });
    w.h.ok(PostInvoice { invoice_id });
    invoice_id
}

pub(crate) fn pay(w: &mut World, customer_id: CustomerId, invoice_id: InvoiceId, amount: &str) {
    let payment_id = w.h.id();
    w.h.ok(ReceivePayment {
        payment_id,
        customer_id,
        amount: usd(amount),
        method: PaymentMethod::BankTransfer,
        reference: String::new(),
    });
    w.h.ok(AllocatePayment {
        payment_id,
        invoice_id,
        amount: usd(amount),
        installment: None,
    });
}

pub(crate) fn order(w: &World, order_id: OrderId) -> SalesOrder {
    w.h.engine.order(order_id).unwrap()
}

pub(crate) fn line(w: &World, order_id: OrderId, number: u32) -> OrderLine {
    order(w, order_id).line(number).cloned().unwrap()
}

pub(crate) fn customer(w: &World, customer_id: CustomerId) -> Customer {
    w.h.engine.customer(customer_id).unwrap()
}

pub(crate) fn uninvoiced(w: &World) -> Decimal {
    customer(w, w.customer).uninvoiced_orders
}

pub(crate) fn level(w: &World, product: ProductId) -> StockLevel {
    w.h.engine.read(|book| book.stock_level(product, w.warehouse))
}

pub(crate) fn credit_limit(w: &World, customer_id: CustomerId) -> Option<Money> {
    w.h.engine.read(|book| book.credit_limit(customer_id))
}

pub(crate) fn set_limit(w: &mut World, customer_id: CustomerId, limit: Option<&str>) {
    ok_as(
        &mut w.h,
        controller(),
        SetCreditLimit {
            customer_id,
            credit_limit: limit.map(usd),
            reason: "credit review".into(),
        },
    );
}

pub(crate) fn settings(change: impl FnOnce(&mut CompanySettings)) -> ChangeCompanySettings {
    let mut settings = CompanySettings::default();
    change(&mut settings);
    ChangeCompanySettings { settings }
}

pub(crate) fn new_price_list(w: &mut World, name: &str) -> PriceListId {
    let price_list_id = w.h.id();
    w.h.ok(CreatePriceList {
        price_list_id,
        name: name.into(),
        currency: usd_code(),
    });
    price_list_id
}

pub(crate) fn rule(
    rule_id: PriceRuleId,
    scope: RuleScope,
    min_quantity: &str,
    price: RulePrice,
) -> PriceRule {
    PriceRule {
        rule_id,
        scope,
        min_quantity: dec(min_quantity),
        valid_from: None,
        valid_until: None,
        price,
    }
}

pub(crate) fn add_rule(
    w: &mut World,
    list: PriceListId,
    scope: RuleScope,
    min: &str,
    price: RulePrice,
) -> PriceRuleId {
    let rule_id = w.h.id();
    w.h.ok(AddPriceRule {
        price_list_id: list,
        rule: rule(rule_id, scope, min, price),
    });
    rule_id
}

pub(crate) fn fixed(amount: &str) -> RulePrice {
    RulePrice::Fixed(usd(amount))
}

pub(crate) fn off_list(percent: &str) -> RulePrice {
    RulePrice::PercentOffList(dec(percent))
}

pub(crate) fn by_rule(price_list_id: PriceListId, rule_id: PriceRuleId) -> PriceSource {
    PriceSource::Rule {
        price_list_id,
        rule_id,
    }
}

pub(crate) fn price(amount: &str, source: PriceSource) -> Quote {
    Quote {
        unit_price: usd(amount),
        source,
    }
}

/// What `o2c::pricing::quote` gives under `list` on `on`.
pub(crate) fn quoted(
    w: &World,
    list: PriceListId,
    product: ProductId,
    quantity: &str,
    on: NaiveDate,
) -> Quote {
    w.h.engine.read(|book| {
        pricing::quote(
            book,
            Some(list),
            book.product(product).unwrap(),
            dec(quantity),
            on,
        )
        .unwrap()
    })
}

pub(crate) fn new_group(
    w: &mut World,
    name: &str,
    limit: Option<&str>,
    list: Option<PriceListId>,
) -> CustomerGroupId {
    let group_id = w.h.id();
    w.h.ok(RegisterCustomerGroup {
        group_id,
        name: name.into(),
        default_credit_limit: limit.map(usd),
        default_price_list_id: list,
    });
    group_id
}

pub(crate) fn new_customer(w: &mut World, details: CustomerDetails, limit: Option<&str>) -> CustomerId {
    let customer_id = w.h.id();
    w.h.ok(RegisterCustomer {
        customer_id,
        details,
        credit_limit: limit.map(usd),
    });
    customer_id
}

pub(crate) fn with_tax_id(name: &str, tax_id: &str) -> CustomerDetails {
    CustomerDetails {
        tax_id: Some(tax_id.into()),
        ..details(name, 30)
    }
}

pub(crate) fn new_product(
    w: &mut World,
    sku: &str,
    list_price: &str,
    category: Option<&str>,
    floor: Option<&str>,
) -> ProductId {
    let product_id = w.h.id();
    w.h.ok(RegisterProduct {
        product_id,
        sku: sku.into(),
        name: sku.into(),
        unit: Unit {
            code: "pcs".into(),
            decimals: 0,
        },
        list_price: usd(list_price),
        category: category.map(Into::into),
        floor_price: floor.map(usd),
        tracking: Default::default(),
        substitutes: vec![],
        invoice_policy: Default::default(),
        taxes: vec![],
    });
    product_id
}

pub(crate) fn change_list_price(w: &mut World, product_id: ProductId, list_price: &str) {
    let product = w.h.engine.product(product_id).unwrap();
    w.h.ok(ChangeProduct {
        product_id,
        name: product.name,
        category: product.category,
        list_price: usd(list_price),
        floor_price: product.floor_price,
        substitutes: vec![],
        invoice_policy: Default::default(),
        taxes: vec![],
    });
}

pub(crate) fn widget_line(number: u32, widget: ProductId, quantity: &str) -> QuotedLine {
    QuotedLine {
        line: number,
        product_id: widget,
        quantity: dec(quantity),
        unit: "pcs".into(),
        unit_price: usd("10.00"),
        price_source: PriceSource::ListPrice,
        discount_percent: Decimal::ZERO,
        promised_date: None,
        stock_per_unit: o2c::rust_decimal::Decimal::ONE,
        warehouse_id: None,
        invoice_policy: Default::default(),
    }
}

pub(crate) fn change_quantity(order_id: OrderId, line: u32, quantity: &str, reason: &str) -> ChangeOrderLine {
    ChangeOrderLine {
        order_id,
        line,
        quantity: Some(dec(quantity)),
        discount_percent: None,
        promised_date: None,
        reason: reason.into(),
    }
}

/// A reservation of `quantity` for order line `line` at the standard world's stock
/// location, untracked.
pub(crate) fn stock_quant(w: &World, line: u32, product_id: ProductId, quantity: &str) -> QuantReservation {
    QuantReservation {
        line,
        product_id,
        location_id: standard_location(w.warehouse, LocationKind::Stock),
        lot: None,
        quantity: dec(quantity),
    }
}
