//! Sales controls (issue 3), one focused scenario per rule: given the standard world and
//! the steps a rule needs, when a command runs, then the events, figures and states are
//! exactly what the rule says, or the command is refused with the exact `DomainError`
//! (and, through the harness, appends nothing and changes nothing).
//!
//! Covered:
//! - customers: full master data, tax id uniqueness in any spelling (naming the holder),
//!   changes, inactive customers, credit limit precedence (own > group default > none),
//!   who may grant credit, blocking and unblocking;
//! - the quotation life cycle: draft -> sent -> confirmed, cancelling, validity from the
//!   company default, expiry and revalidation (prices recomputed, manual prices kept),
//!   line edits and line numbers, the customer's reference;
//! - changes after confirmation: quantities (never below delivered, surplus reservations
//!   released), added lines, promised dates, fixed prices and discounts, manual holds,
//!   closing and reopening, cancelling only before anything ships, actor and reason on
//!   every change;
//! - pricing: rule scopes, quantity breaks, validity periods, fixed / percent off list /
//!   percent off another list, the documented precedence step by step, customer and group
//!   lists, price and source on the line, manual overrides, cycles;
//! - discount approval: combined discounts, threshold, floor price, segregation of duties,
//!   voiding by a later change;
//! - credit control: exposure, credit holds with their figures, overdue invoices and grace
//!   days, blocked customers, release by another credit controller, cancelling a held order;
//! - who may do what: role boundaries, the auditor, other companies, a replaced policy.
//!
//! Tests marked `#[ignore = "BUG: ..."]` describe what a user would expect and what the
//! product does not do yet.

// A test crate: unwrapping is how a step says "this must succeed".
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use o2c::chrono::NaiveDate;
use o2c::company::{ChangeCompanySettings, CompanySettings};
use o2c::core::error::Duty;
use o2c::customer::{
    Address, BlockCustomer, ChangeCustomer, Customer, CustomerBlocked, CustomerChanged, CustomerDeactivated,
    CustomerDetails, CustomerRegistered, CustomerStatusChange, CustomerUnblocked, DeactivateCustomer,
    ReactivateCustomer, RegisterCustomer, RegisterCustomerGroup, SetCreditLimit, TaxTreatment,
    UnblockCustomer,
};
use o2c::invoice::{CreateInvoice, PostInvoice};
use o2c::order::{
    AddOrderLine, AddQuotationLine, ApprovalReason, ApproveDiscount, CancelOrder, ChangeOrderLine,
    CloseOrder, ConfirmOrder, CreateQuotation, CreditHold, CreditHoldReason, CreditHoldReleased,
    DiscountApproved, HoldKind, HoldOrder, LinePrice, LinePriceOverridden, LineQuantity, OrderCancelled,
    OrderClosed, OrderConfirmed, OrderHeld, OrderLine, OrderLineAdded, OrderLineChanged, OrderReleased,
    OrderReopened, OrderStatus, OverrideLinePrice, QuotationCreated, QuotationLineAdded,
    QuotationLineRemoved, QuotationRevalidated, QuotationSent, QuotedLine, ReleaseCreditHold, ReleaseOrder,
    RemoveQuotationLine, ReopenOrder, RequestedLine, ReserveStock, RevalidateQuotation, SalesOrder,
    SendQuotation, SetOrderDiscount, ShippingStatus, StockReserved, combined_discount,
};
use o2c::payment::{AllocatePayment, PaymentMethod, ReceivePayment};
use o2c::pricing::{
    self, AddPriceRule, CreatePriceList, PriceListCreated, PriceRule, PriceRuleAdded, PriceRuleRemoved,
    PriceSource, Quote, RemovePriceRule, RulePrice, RuleScope,
};
use o2c::product::{ChangeProduct, RegisterProduct, Unit};
use o2c::rust_decimal::Decimal;
use o2c::shipment::{ShipLine, ShipOrder};
use o2c::stock::{ReceiveStock, StockLevel};
use o2c::uuid::Uuid;
use o2c::{
    Actor, ActorId, Command, CompanyId, CurrencyCode, CustomerGroupId, CustomerId, DomainError, Event,
    InvoiceId, Money, OrderId, Outcome, Policy, PriceListId, PriceRuleId, ProductId, RecordedEvent, Role,
    ShipmentId,
};
use support::{ALL_ROLES, COMPANY, Harness, World, dec, details, person, usd};

// --- actors ---------------------------------------------------------------------------------

fn actor_id(name: &str) -> ActorId {
    ActorId::new(name).unwrap()
}

/// Sales rep Rita.
fn rep() -> Actor {
    person("rita", &[Role::SalesRep])
}

/// Sales rep Ron.
fn rep2() -> Actor {
    person("ron", &[Role::SalesRep])
}

/// Sales manager Max.
fn manager() -> Actor {
    person("max", &[Role::SalesManager])
}

/// Sales manager Mona.
fn manager2() -> Actor {
    person("mona", &[Role::SalesManager])
}

/// Credit controller Carl.
fn controller() -> Actor {
    person("carl", &[Role::CreditController])
}

/// Billing clerk Bill.
fn clerk() -> Actor {
    person("bill", &[Role::BillingClerk])
}

/// Warehouse operator Wes.
fn picker() -> Actor {
    person("wes", &[Role::WarehouseOperator])
}

/// Admin Adam.
fn admin() -> Actor {
    person("adam", &[Role::Admin])
}

/// Auditor Ada.
fn auditor() -> Actor {
    person("ada", &[Role::Auditor])
}

// --- helpers --------------------------------------------------------------------------------

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn usd_code() -> CurrencyCode {
    CurrencyCode::new("USD").unwrap()
}

fn only(outcome: &Outcome) -> &RecordedEvent {
    assert_eq!(
        outcome.events.len(),
        1,
        "expected one event, got {:?}",
        outcome.events
    );
    &outcome.events[0]
}

/// The single event a command recorded.
fn event(outcome: Outcome) -> Event {
    only(&outcome).payload.clone()
}

fn ok_as(h: &mut Harness, actor: Actor, command: impl Into<Command>) -> Outcome {
    let command = command.into();
    h.as_actor(actor, |h| h.ok(command))
}

fn refused_as(h: &mut Harness, actor: Actor, command: impl Into<Command>) -> DomainError {
    let command = command.into();
    h.as_actor(actor, |h| h.refused(command))
}

fn not_authorized(actor: &str, command: &'static str, required: &[Role]) -> DomainError {
    DomainError::NotAuthorized {
        actor: actor_id(actor),
        command,
        company: COMPANY,
        required: required.to_vec(),
    }
}

fn blank_reason() -> DomainError {
    DomainError::InvalidText {
        field: "reason",
        reason: "must not be blank",
    }
}

fn requested(lines: &[(ProductId, &str)]) -> Vec<RequestedLine> {
    lines
        .iter()
        .map(|(product_id, quantity)| RequestedLine::new(*product_id, dec(quantity)))
        .collect()
}

fn discounted(product_id: ProductId, quantity: &str, discount: &str) -> RequestedLine {
    RequestedLine {
        discount_percent: dec(discount),
        ..RequestedLine::new(product_id, dec(quantity))
    }
}

/// A quotation for `customer_id` with `lines`, raised by the harness's current actor.
fn create_quotation(w: &mut World, customer_id: CustomerId, lines: Vec<RequestedLine>) -> OrderId {
    let order_id = w.h.id();
    let warehouse_id = w.warehouse;
    w.h.ok(CreateQuotation {
        order_id,
        customer_id,
        warehouse_id,
        lines,
        customer_reference: String::new(),
    });
    order_id
}

/// A quotation for Acme.
fn quotation(w: &mut World, lines: &[(ProductId, &str)]) -> OrderId {
    let customer = w.customer;
    create_quotation(w, customer, requested(lines))
}

/// A quotation for Acme raised by `actor`.
fn quotation_by(w: &mut World, actor: Actor, lines: Vec<RequestedLine>) -> OrderId {
    let previous = std::mem::replace(&mut w.h.actor, actor);
    let customer = w.customer;
    let order_id = create_quotation(w, customer, lines);
    w.h.actor = previous;
    order_id
}

fn confirm(w: &mut World, order_id: OrderId) -> OrderConfirmed {
    match event(w.h.ok(ConfirmOrder { order_id })) {
        Event::OrderConfirmed(e) => e,
        other => panic!("expected OrderConfirmed, got {other:?}"),
    }
}

/// A confirmed order for Acme.
fn confirmed(w: &mut World, lines: &[(ProductId, &str)]) -> OrderId {
    let order_id = quotation(w, lines);
    confirm(w, order_id);
    order_id
}

fn receive(w: &mut World, product_id: ProductId, quantity: &str) {
    let warehouse_id = w.warehouse;
    w.h.ok(ReceiveStock {
        product_id,
        warehouse_id,
        quantity: dec(quantity),
        reference: "PO".into(),
    });
}

fn reserve(w: &mut World, order_id: OrderId) -> StockReserved {
    match event(w.h.ok(ReserveStock { order_id })) {
        Event::StockReserved(e) => e,
        other => panic!("expected StockReserved, got {other:?}"),
    }
}

/// Ships the given `(line, quantity)` pairs, or everything reserved when empty.
fn ship(w: &mut World, order_id: OrderId, lines: &[(u32, &str)]) -> ShipmentId {
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
    });
    shipment_id
}

/// An order for Acme received, confirmed, reserved and shipped in full.
fn delivered(w: &mut World, lines: &[(ProductId, &str)]) -> OrderId {
    for (product, quantity) in lines {
        receive(w, *product, quantity);
    }
    let order_id = confirmed(w, lines);
    reserve(w, order_id);
    ship(w, order_id, &[]);
    order_id
}

/// Invoices what the order delivered and posts it today.
fn post_invoice(w: &mut World, order_id: OrderId) -> InvoiceId {
    let invoice_id = w.h.id();
    w.h.ok(CreateInvoice { invoice_id, order_id });
    w.h.ok(PostInvoice { invoice_id });
    invoice_id
}

fn pay(w: &mut World, customer_id: CustomerId, invoice_id: InvoiceId, amount: &str) {
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
    });
}

fn order(w: &World, order_id: OrderId) -> SalesOrder {
    w.h.engine.order(order_id).unwrap()
}

fn line(w: &World, order_id: OrderId, number: u32) -> OrderLine {
    order(w, order_id).line(number).cloned().unwrap()
}

fn customer(w: &World, customer_id: CustomerId) -> Customer {
    w.h.engine.customer(customer_id).unwrap()
}

fn uninvoiced(w: &World) -> Decimal {
    customer(w, w.customer).uninvoiced_orders
}

fn level(w: &World, product: ProductId) -> StockLevel {
    w.h.engine.read(|book| book.stock_level(product, w.warehouse))
}

fn credit_limit(w: &World, customer_id: CustomerId) -> Option<Money> {
    w.h.engine.read(|book| book.credit_limit(customer_id))
}

fn set_limit(w: &mut World, customer_id: CustomerId, limit: Option<&str>) {
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

fn settings(change: impl FnOnce(&mut CompanySettings)) -> ChangeCompanySettings {
    let mut settings = CompanySettings::default();
    change(&mut settings);
    ChangeCompanySettings { settings }
}

fn new_price_list(w: &mut World, name: &str) -> PriceListId {
    let price_list_id = w.h.id();
    w.h.ok(CreatePriceList {
        price_list_id,
        name: name.into(),
        currency: usd_code(),
    });
    price_list_id
}

fn rule(rule_id: PriceRuleId, scope: RuleScope, min_quantity: &str, price: RulePrice) -> PriceRule {
    PriceRule {
        rule_id,
        scope,
        min_quantity: dec(min_quantity),
        valid_from: None,
        valid_until: None,
        price,
    }
}

fn add_rule(w: &mut World, list: PriceListId, scope: RuleScope, min: &str, price: RulePrice) -> PriceRuleId {
    let rule_id = w.h.id();
    w.h.ok(AddPriceRule {
        price_list_id: list,
        rule: rule(rule_id, scope, min, price),
    });
    rule_id
}

fn fixed(amount: &str) -> RulePrice {
    RulePrice::Fixed(usd(amount))
}

fn off_list(percent: &str) -> RulePrice {
    RulePrice::PercentOffList(dec(percent))
}

fn by_rule(price_list_id: PriceListId, rule_id: PriceRuleId) -> PriceSource {
    PriceSource::Rule {
        price_list_id,
        rule_id,
    }
}

fn price(amount: &str, source: PriceSource) -> Quote {
    Quote {
        unit_price: usd(amount),
        source,
    }
}

/// What `o2c::pricing::quote` gives under `list` on `on`.
fn quoted(w: &World, list: PriceListId, product: ProductId, quantity: &str, on: NaiveDate) -> Quote {
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

fn new_group(w: &mut World, name: &str, limit: Option<&str>, list: Option<PriceListId>) -> CustomerGroupId {
    let group_id = w.h.id();
    w.h.ok(RegisterCustomerGroup {
        group_id,
        name: name.into(),
        default_credit_limit: limit.map(usd),
        default_price_list_id: list,
    });
    group_id
}

fn new_customer(w: &mut World, details: CustomerDetails, limit: Option<&str>) -> CustomerId {
    let customer_id = w.h.id();
    w.h.ok(RegisterCustomer {
        customer_id,
        details,
        credit_limit: limit.map(usd),
    });
    customer_id
}

fn with_tax_id(name: &str, tax_id: &str) -> CustomerDetails {
    CustomerDetails {
        tax_id: Some(tax_id.into()),
        ..details(name, 30)
    }
}

fn new_product(
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
    });
    product_id
}

fn change_list_price(w: &mut World, product_id: ProductId, list_price: &str) {
    let product = w.h.engine.product(product_id).unwrap();
    w.h.ok(ChangeProduct {
        product_id,
        name: product.name,
        category: product.category,
        list_price: usd(list_price),
        floor_price: product.floor_price,
    });
}

fn widget_line(number: u32, widget: ProductId, quantity: &str) -> QuotedLine {
    QuotedLine {
        line: number,
        product_id: widget,
        quantity: dec(quantity),
        unit: "pcs".into(),
        unit_price: usd("10.00"),
        price_source: PriceSource::ListPrice,
        discount_percent: Decimal::ZERO,
        promised_date: None,
    }
}

fn change_quantity(order_id: OrderId, line: u32, quantity: &str, reason: &str) -> ChangeOrderLine {
    ChangeOrderLine {
        order_id,
        line,
        quantity: Some(dec(quantity)),
        discount_percent: None,
        promised_date: None,
        reason: reason.into(),
    }
}

// === customers ==============================================================================

#[test]
fn registering_a_customer_records_its_full_master_data() {
    let mut w = World::new();
    let list = new_price_list(&mut w, "Trade");
    let group = new_group(&mut w, "Wholesale", Some("5000.00"), Some(list));
    let address = |street: &str, city: &str| Address {
        street: street.into(),
        city: city.into(),
        postal_code: "12345".into(),
        country: "US".into(),
    };
    let full = CustomerDetails {
        name: "Globex Ltd".into(),
        payment_term_days: 45,
        tax_id: Some("DE 123-456-789".into()),
        billing_address: Some(address("1 Main St", "Springfield")),
        shipping_addresses: vec![
            address("9 Dock Rd", "Shelbyville"),
            address("2 Yard Ln", "Ogdenville"),
        ],
        group_id: Some(group),
        price_list_id: Some(list),
        tax_treatment: TaxTreatment::Exempt {
            certificate: "EX-2026-17".into(),
            expires_on: Some(date(2026, 12, 31)),
        },
    };
    let customer_id = w.h.id();
    let sam = person("sam", &[Role::SalesManager, Role::CreditController]);

    let outcome = ok_as(
        &mut w.h,
        sam,
        RegisterCustomer {
            customer_id,
            details: full.clone(),
            credit_limit: Some(usd("7500.00")),
        },
    );

    assert_eq!(
        event(outcome),
        Event::CustomerRegistered(CustomerRegistered {
            customer_id,
            details: full.clone(),
            credit_limit: Some(usd("7500.00")),
        })
    );
    assert_eq!(
        customer(&w, customer_id),
        Customer {
            id: customer_id,
            details: full,
            credit_limit: Some(usd("7500.00")),
            blocked: None,
            active: true,
            receivable: Decimal::ZERO,
            uninvoiced_orders: Decimal::ZERO,
        }
    );
    assert_eq!(
        w.h.engine.read(|b| b.customer_by_tax_id("de123456789")),
        Some(customer_id)
    );
}

#[test]
fn a_second_customer_with_the_same_tax_id_in_any_spelling_is_refused_naming_the_first() {
    let mut w = World::new();
    let globex = new_customer(&mut w, with_tax_id("Globex", "DE 123-456-789"), None);

    for spelling in [
        "DE 123-456-789",
        "de123456789",
        "De.123.456.789",
        " DE-123 456-789 ",
    ] {
        let customer_id = w.h.id();
        let refusal = w.h.refused(RegisterCustomer {
            customer_id,
            details: with_tax_id("Globex Copy", spelling),
            credit_limit: None,
        });
        assert_eq!(
            refusal,
            DomainError::DuplicateTaxId {
                tax_id: spelling.into(),
                customer_id: globex,
            }
        );
    }
    // An existing customer cannot take it either.
    let acme = w.customer;
    let refusal = w.h.refused(ChangeCustomer {
        customer_id: acme,
        details: with_tax_id("Acme", "de-123-456-789"),
    });
    assert_eq!(
        refusal,
        DomainError::DuplicateTaxId {
            tax_id: "de-123-456-789".into(),
            customer_id: globex,
        }
    );
}

#[test]
fn changing_master_data_keeps_the_own_tax_id_and_frees_the_old_one() {
    let mut w = World::new();
    let globex = new_customer(&mut w, with_tax_id("Globex", "FR-111"), None);

    // Its own tax id, spelled differently, is not a duplicate.
    let renamed = CustomerDetails {
        payment_term_days: 60,
        ..with_tax_id("Globex International", "fr 111")
    };
    let outcome = w.h.ok(ChangeCustomer {
        customer_id: globex,
        details: renamed.clone(),
    });
    assert_eq!(
        event(outcome),
        Event::CustomerChanged(CustomerChanged {
            customer_id: globex,
            details: renamed.clone(),
        })
    );
    assert_eq!(customer(&w, globex).details, renamed);
    assert_eq!(customer(&w, globex).name(), "Globex International");

    // A new tax id frees the old one for someone else.
    w.h.ok(ChangeCustomer {
        customer_id: globex,
        details: with_tax_id("Globex International", "FR-222"),
    });
    let other = new_customer(&mut w, with_tax_id("Initech", "FR111"), None);
    w.h.engine.read(|b| {
        assert_eq!(b.customer_by_tax_id("fr-222"), Some(globex));
        assert_eq!(b.customer_by_tax_id("FR-111"), Some(other));
    });
}

#[test]
fn an_inactive_customer_cannot_get_a_new_quotation() {
    let mut w = World::new();
    let acme = w.customer;
    let outcome = w.h.ok(DeactivateCustomer {
        customer_id: acme,
        reason: "Merged into Globex".into(),
    });
    assert_eq!(
        event(outcome),
        Event::CustomerDeactivated(CustomerDeactivated {
            customer_id: acme,
            reason: "Merged into Globex".into(),
        })
    );
    assert!(!customer(&w, acme).active);

    let (order_id, warehouse_id, widget) = (w.h.id(), w.warehouse, w.widget);
    let refusal = w.h.refused(CreateQuotation {
        order_id,
        customer_id: acme,
        warehouse_id,
        lines: requested(&[(widget, "1")]),
        customer_reference: String::new(),
    });
    assert_eq!(refusal, DomainError::CustomerInactive { customer_id: acme });
    let again = w.h.refused(DeactivateCustomer {
        customer_id: acme,
        reason: "again".into(),
    });
    assert_eq!(
        again,
        DomainError::CustomerStatusUnchanged {
            customer_id: acme,
            change: CustomerStatusChange::Deactivated,
        }
    );

    w.h.ok(ReactivateCustomer {
        customer_id: acme,
        reason: "Contract renewed".into(),
    });
    let order_id = quotation(&mut w, &[(widget, "1")]);
    assert_eq!(order(&w, order_id).status, OrderStatus::Draft);
}

#[test]
fn the_credit_limit_is_the_customers_own_else_its_groups_default_else_none() {
    let mut w = World::new();
    let group = new_group(&mut w, "Wholesale", Some("5000.00"), None);
    let member = new_customer(
        &mut w,
        CustomerDetails {
            group_id: Some(group),
            ..details("Member", 30)
        },
        None,
    );
    let loner = new_customer(&mut w, details("Loner", 30), None);

    assert_eq!(credit_limit(&w, member), Some(usd("5000.00")), "group default");
    set_limit(&mut w, member, Some("2000.00"));
    assert_eq!(credit_limit(&w, member), Some(usd("2000.00")), "own limit wins");
    set_limit(&mut w, member, None);
    assert_eq!(
        credit_limit(&w, member),
        Some(usd("5000.00")),
        "back to the group"
    );
    assert_eq!(credit_limit(&w, loner), None, "no own limit, no group: none");
}

#[test]
fn confirmation_applies_the_limit_that_takes_precedence() {
    let mut w = World::new();
    let widget = w.widget;
    let group = new_group(&mut w, "Wholesale", Some("500.00"), None);
    let in_group = CustomerDetails {
        group_id: Some(group),
        ..details("Member", 30)
    };
    let member = new_customer(&mut w, in_group.clone(), None);
    let own = new_customer(&mut w, in_group, Some("1000.00"));
    let loner = new_customer(&mut w, details("Loner", 30), None);

    // 60 widgets = 600.00: over the group's 500.00, within the own 1,000.00, no limit at all.
    let held = create_quotation(&mut w, member, requested(&[(widget, "60")]));
    let e = confirm(&mut w, held);
    assert_eq!(e.credit_limit, Some(usd("500.00")));
    assert_eq!(
        e.credit_hold,
        Some(CreditHold {
            reasons: vec![CreditHoldReason::OverCreditLimit {
                exposure: usd("600.00"),
                limit: usd("500.00"),
            }],
        })
    );
    let fine = create_quotation(&mut w, own, requested(&[(widget, "60")]));
    let e = confirm(&mut w, fine);
    assert_eq!((e.credit_limit, e.credit_hold), (Some(usd("1000.00")), None));
    let unlimited = create_quotation(&mut w, loner, requested(&[(widget, "60000")]));
    let e = confirm(&mut w, unlimited);
    assert_eq!(e.exposure, usd("600000.00"));
    assert_eq!((e.credit_limit, e.credit_hold), (None, None));
}

#[test]
fn an_own_limit_of_zero_means_no_credit_at_all() {
    let mut w = World::new();
    let acme = w.customer;
    let gadget = w.gadget;
    set_limit(&mut w, acme, Some("0.00"));
    let order_id = quotation(&mut w, &[(gadget, "1")]);
    let e = confirm(&mut w, order_id);
    assert_eq!(
        e.credit_hold,
        Some(CreditHold {
            reasons: vec![CreditHoldReason::OverCreditLimit {
                exposure: usd("2.50"),
                limit: usd("0.00"),
            }],
        })
    );
}

#[test]
fn granting_credit_at_registration_needs_the_credit_controller_role() {
    let mut w = World::new();
    let customer_id = w.h.id();
    let refusal = refused_as(
        &mut w.h,
        manager(),
        RegisterCustomer {
            customer_id,
            details: details("Globex", 30),
            credit_limit: Some(usd("1000.00")),
        },
    );
    assert_eq!(
        refusal,
        not_authorized("max", "SetCreditLimit", &[Role::CreditController])
    );
    // Without a limit the sales manager may register it; the credit controller sets it.
    ok_as(
        &mut w.h,
        manager(),
        RegisterCustomer {
            customer_id,
            details: details("Globex", 30),
            credit_limit: None,
        },
    );
    let refusal = refused_as(
        &mut w.h,
        manager(),
        SetCreditLimit {
            customer_id,
            credit_limit: Some(usd("1000.00")),
            reason: "new account".into(),
        },
    );
    assert_eq!(
        refusal,
        not_authorized("max", "SetCreditLimit", &[Role::CreditController])
    );
    set_limit(&mut w, customer_id, Some("1000.00"));
    assert_eq!(customer(&w, customer_id).credit_limit, Some(usd("1000.00")));
}

#[test]
fn a_group_default_credit_limit_needs_the_credit_controller_role() {
    let mut w = World::new();
    let group_id = w.h.id();
    let refusal = refused_as(
        &mut w.h,
        manager(),
        RegisterCustomerGroup {
            group_id,
            name: "Friends of Max".into(),
            default_credit_limit: Some(usd("1000000.00")),
            default_price_list_id: None,
        },
    );
    assert_eq!(
        refusal,
        not_authorized("max", "SetCreditLimit", &[Role::CreditController])
    );
}

#[test]
fn blocking_and_unblocking_a_customer_records_the_reason_and_refuses_no_op_changes() {
    let mut w = World::new();
    let acme = w.customer;
    let outcome = ok_as(
        &mut w.h,
        controller(),
        BlockCustomer {
            customer_id: acme,
            reason: "Cheque bounced".into(),
        },
    );
    assert_eq!(
        event(outcome),
        Event::CustomerBlocked(CustomerBlocked {
            customer_id: acme,
            reason: "Cheque bounced".into(),
        })
    );
    assert_eq!(customer(&w, acme).blocked.as_deref(), Some("Cheque bounced"));
    let refusal = refused_as(
        &mut w.h,
        controller(),
        BlockCustomer {
            customer_id: acme,
            reason: "again".into(),
        },
    );
    assert_eq!(
        refusal,
        DomainError::CustomerStatusUnchanged {
            customer_id: acme,
            change: CustomerStatusChange::Blocked,
        }
    );

    let outcome = ok_as(
        &mut w.h,
        controller(),
        UnblockCustomer {
            customer_id: acme,
            reason: "Paid in cash".into(),
        },
    );
    assert_eq!(
        event(outcome),
        Event::CustomerUnblocked(CustomerUnblocked {
            customer_id: acme,
            reason: "Paid in cash".into(),
        })
    );
    assert_eq!(customer(&w, acme).blocked, None);
    let refusal = refused_as(
        &mut w.h,
        controller(),
        UnblockCustomer {
            customer_id: acme,
            reason: "again".into(),
        },
    );
    assert_eq!(
        refusal,
        DomainError::CustomerStatusUnchanged {
            customer_id: acme,
            change: CustomerStatusChange::Unblocked,
        }
    );
    let refusal = refused_as(
        &mut w.h,
        manager(),
        BlockCustomer {
            customer_id: acme,
            reason: "I don't like them".into(),
        },
    );
    assert_eq!(
        refusal,
        not_authorized("max", "BlockCustomer", &[Role::CreditController])
    );
}

// === quotation life cycle ===================================================================

#[test]
fn a_quotation_goes_from_draft_to_sent_to_confirmed() {
    let mut w = World::new();
    let (acme, widget, warehouse_id) = (w.customer, w.widget, w.warehouse);
    let order_id = w.h.id();
    let outcome = ok_as(
        &mut w.h,
        rep(),
        CreateQuotation {
            order_id,
            customer_id: acme,
            warehouse_id,
            lines: requested(&[(widget, "2")]),
            customer_reference: String::new(),
        },
    );
    assert_eq!(
        event(outcome),
        Event::QuotationCreated(QuotationCreated {
            order_id,
            customer_id: acme,
            warehouse_id,
            currency: usd_code(),
            customer_reference: String::new(),
            lines: vec![widget_line(1, widget, "2")],
            price_list_id: None,
            valid_until: Some(date(2026, 4, 1)),
        })
    );
    assert_eq!(order(&w, order_id).status, OrderStatus::Draft);
    assert_eq!(order(&w, order_id).created_by, actor_id("rita"));

    let outcome = ok_as(&mut w.h, rep(), SendQuotation { order_id });
    assert_eq!(event(outcome), Event::QuotationSent(QuotationSent { order_id }));
    assert_eq!(order(&w, order_id).status, OrderStatus::Sent);
    assert_eq!(
        refused_as(&mut w.h, rep(), SendQuotation { order_id }),
        DomainError::QuotationAlreadySent { order_id }
    );

    let outcome = ok_as(&mut w.h, rep(), ConfirmOrder { order_id });
    assert!(matches!(event(outcome), Event::OrderConfirmed(_)));
    assert_eq!(order(&w, order_id).status, OrderStatus::Confirmed);
    assert_eq!(
        refused_as(&mut w.h, rep(), SendQuotation { order_id }),
        DomainError::OrderAlreadyConfirmed { order_id }
    );
    assert_eq!(
        refused_as(&mut w.h, rep(), ConfirmOrder { order_id }),
        DomainError::OrderAlreadyConfirmed { order_id }
    );
}

#[test]
fn a_quotation_can_be_cancelled_and_then_goes_nowhere() {
    let mut w = World::new();
    let widget = w.widget;
    let draft = quotation(&mut w, &[(widget, "1")]);
    let sent = quotation(&mut w, &[(widget, "1")]);
    w.h.ok(SendQuotation { order_id: sent });

    assert_eq!(
        w.h.refused(CancelOrder {
            order_id: draft,
            reason: " ".into(),
        }),
        blank_reason()
    );
    for order_id in [draft, sent] {
        let outcome = ok_as(
            &mut w.h,
            rep(),
            CancelOrder {
                order_id,
                reason: "Customer declined".into(),
            },
        );
        assert_eq!(
            event(outcome),
            Event::OrderCancelled(OrderCancelled {
                order_id,
                released: vec![],
                reason: "Customer declined".into(),
            })
        );
        assert_eq!(order(&w, order_id).status, OrderStatus::Cancelled);
        assert_eq!(
            w.h.refused(ConfirmOrder { order_id }),
            DomainError::OrderIsCancelled { order_id }
        );
    }
    assert_eq!(
        w.h.refused(SendQuotation { order_id: draft }),
        DomainError::OrderIsCancelled { order_id: draft }
    );
    assert_eq!(uninvoiced(&w), Decimal::ZERO);
}

#[test]
fn validity_is_the_creation_date_plus_the_company_default() {
    let mut w = World::new();
    let widget = w.widget;
    // Created on 2026-03-02 with the default 30 days.
    let first = quotation(&mut w, &[(widget, "1")]);
    assert_eq!(order(&w, first).valid_until, Some(date(2026, 4, 1)));

    w.h.ok(settings(|s| s.quotation_validity_days = 7));
    w.h.advance_days(1);
    let second = quotation(&mut w, &[(widget, "1")]);
    assert_eq!(order(&w, second).valid_until, Some(date(2026, 3, 10)));
    assert_eq!(
        order(&w, first).valid_until,
        Some(date(2026, 4, 1)),
        "a quotation keeps the validity it was given"
    );
}

#[test]
fn a_quotation_may_be_confirmed_on_its_last_valid_day_but_not_the_day_after() {
    let mut w = World::new();
    let widget = w.widget;
    let on_time = quotation(&mut w, &[(widget, "1")]);
    let late = quotation(&mut w, &[(widget, "1")]);

    w.h.advance_days(30); // 2026-04-01, the last valid day
    confirm(&mut w, on_time);
    w.h.advance_days(1); // 2026-04-02
    assert_eq!(
        w.h.refused(ConfirmOrder { order_id: late }),
        DomainError::QuotationExpired {
            order_id: late,
            valid_until: date(2026, 4, 1),
        }
    );
}

#[test]
fn revalidating_recomputes_prices_renews_validity_and_keeps_manual_prices() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let order_id = quotation(&mut w, &[(widget, "5"), (gadget, "4")]);
    ok_as(
        &mut w.h,
        manager(),
        OverrideLinePrice {
            order_id,
            line: 2,
            unit_price: usd("2.00"),
            reason: "Match competitor".into(),
        },
    );
    change_list_price(&mut w, widget, "12.00");
    w.h.advance_days(31); // 2026-04-02: expired
    assert_eq!(
        w.h.refused(ConfirmOrder { order_id }),
        DomainError::QuotationExpired {
            order_id,
            valid_until: date(2026, 4, 1),
        }
    );

    let outcome = w.h.ok(RevalidateQuotation { order_id });

    assert_eq!(
        event(outcome),
        Event::QuotationRevalidated(QuotationRevalidated {
            order_id,
            valid_until: date(2026, 5, 2),
            price_list_id: None,
            prices: vec![LinePrice {
                line: 1,
                unit_price: usd("12.00"),
                price_source: PriceSource::ListPrice,
            }],
        })
    );
    let o = order(&w, order_id);
    assert_eq!(o.valid_until, Some(date(2026, 5, 2)));
    assert_eq!(o.lines[0].unit_price, usd("12.00"));
    assert_eq!(o.lines[1].unit_price, usd("2.00"));
    assert_eq!(
        o.lines[1].price_source,
        PriceSource::Manual {
            by: actor_id("max"),
            reason: "Match competitor".into(),
        }
    );
    let e = confirm(&mut w, order_id);
    assert_eq!(e.amount, usd("68.00"), "5 x 12.00 + 4 x 2.00");
}

#[test]
fn revalidating_picks_up_a_price_rule_added_in_between() {
    let mut w = World::new();
    let widget = w.widget;
    let list = new_price_list(&mut w, "Trade");
    let member = new_customer(
        &mut w,
        CustomerDetails {
            price_list_id: Some(list),
            ..details("Listed", 30)
        },
        None,
    );
    let order_id = create_quotation(&mut w, member, requested(&[(widget, "3")]));
    assert_eq!(line(&w, order_id, 1).price_source, PriceSource::ListPrice);

    let rule_id = add_rule(&mut w, list, RuleScope::Product(widget), "0", fixed("9.00"));
    assert_eq!(
        line(&w, order_id, 1).unit_price,
        usd("10.00"),
        "a line keeps its price"
    );
    w.h.ok(RevalidateQuotation { order_id });

    let l = line(&w, order_id, 1);
    assert_eq!(l.unit_price, usd("9.00"));
    assert_eq!(l.price_source, by_rule(list, rule_id));
}

#[test]
fn lines_are_added_changed_and_removed_while_draft_or_sent() {
    let mut w = World::new();
    let (widget, gadget, flour) = (w.widget, w.gadget, w.flour);
    let order_id = quotation(&mut w, &[(widget, "2"), (gadget, "3")]);

    let outcome = w.h.ok(AddQuotationLine {
        order_id,
        product_id: flour,
        quantity: dec("1.5"),
        discount_percent: dec("2"),
        promised_date: Some(date(2026, 3, 20)),
    });
    assert_eq!(
        event(outcome),
        Event::QuotationLineAdded(QuotationLineAdded {
            order_id,
            line: QuotedLine {
                line: 3,
                product_id: flour,
                quantity: dec("1.5"),
                unit: "kg".into(),
                unit_price: usd("4.00"),
                price_source: PriceSource::ListPrice,
                discount_percent: dec("2"),
                promised_date: Some(date(2026, 3, 20)),
            },
        })
    );

    w.h.ok(SendQuotation { order_id });
    let outcome = w.h.ok(ChangeOrderLine {
        order_id,
        line: 1,
        quantity: Some(dec("5")),
        discount_percent: Some(dec("5")),
        promised_date: Some(date(2026, 3, 25)),
        reason: String::new(),
    });
    assert_eq!(
        event(outcome),
        Event::OrderLineChanged(OrderLineChanged {
            order_id,
            line: 1,
            quantity: dec("5"),
            unit_price: usd("10.00"),
            price_source: PriceSource::ListPrice,
            discount_percent: dec("5"),
            promised_date: Some(date(2026, 3, 25)),
            released: Decimal::ZERO,
            reason: String::new(),
            credit_hold: None,
        })
    );
    let outcome = w.h.ok(RemoveQuotationLine { order_id, line: 2 });
    assert_eq!(
        event(outcome),
        Event::QuotationLineRemoved(QuotationLineRemoved { order_id, line: 2 })
    );
    w.h.ok(AddQuotationLine {
        order_id,
        product_id: gadget,
        quantity: dec("7"),
        discount_percent: Decimal::ZERO,
        promised_date: None,
    });

    let o = order(&w, order_id);
    assert_eq!(o.status, OrderStatus::Sent);
    let numbers: Vec<u32> = o.lines.iter().map(|l| l.line).collect();
    assert_eq!(
        numbers,
        vec![1, 3, 4],
        "line 2 is gone and its number is not reused"
    );
    let first = &o.lines[0];
    assert_eq!(
        (
            first.quantity,
            first.unit.as_str(),
            first.unit_price,
            first.discount_percent,
            first.promised_date
        ),
        (dec("5"), "pcs", usd("10.00"), dec("5"), Some(date(2026, 3, 25)))
    );
    assert_eq!(
        w.h.refused(RemoveQuotationLine { order_id, line: 2 }),
        DomainError::UnknownOrderLine { order_id, line: 2 }
    );
}

#[test]
fn a_removed_line_number_is_never_reused_even_when_it_was_the_last_line() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let order_id = quotation(&mut w, &[(widget, "1"), (gadget, "1")]);
    w.h.ok(RemoveQuotationLine { order_id, line: 2 });
    let outcome = w.h.ok(AddQuotationLine {
        order_id,
        product_id: gadget,
        quantity: dec("9"),
        discount_percent: Decimal::ZERO,
        promised_date: None,
    });
    let Event::QuotationLineAdded(added) = event(outcome) else {
        panic!("expected QuotationLineAdded")
    };
    assert_eq!(
        added.line.line, 3,
        "line 2 was removed; its number must not come back"
    );
}

#[test]
fn the_customers_reference_is_kept_on_the_order() {
    let mut w = World::new();
    let (acme, widget, warehouse_id) = (w.customer, w.widget, w.warehouse);
    let order_id = w.h.id();
    let outcome = w.h.ok(CreateQuotation {
        order_id,
        customer_id: acme,
        warehouse_id,
        lines: requested(&[(widget, "1")]),
        customer_reference: "PO-4711".into(),
    });
    let Event::QuotationCreated(created) = event(outcome) else {
        panic!("expected QuotationCreated")
    };
    assert_eq!(created.customer_reference, "PO-4711");
    confirm(&mut w, order_id);
    assert_eq!(order(&w, order_id).customer_reference, "PO-4711");
}

#[test]
fn quotation_edits_are_refused_once_confirmed_and_order_edits_before() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let order_id = confirmed(&mut w, &[(widget, "1")]);
    assert_eq!(
        w.h.refused(AddQuotationLine {
            order_id,
            product_id: gadget,
            quantity: dec("1"),
            discount_percent: Decimal::ZERO,
            promised_date: None,
        }),
        DomainError::OrderAlreadyConfirmed { order_id }
    );
    assert_eq!(
        w.h.refused(RemoveQuotationLine { order_id, line: 1 }),
        DomainError::OrderAlreadyConfirmed { order_id }
    );
    let draft = quotation(&mut w, &[(widget, "1")]);
    assert_eq!(
        w.h.refused(AddOrderLine {
            order_id: draft,
            requested: RequestedLine::new(gadget, dec("1")),
            reason: "more".into(),
        }),
        DomainError::OrderNotConfirmed { order_id: draft }
    );
}

// === after confirmation =====================================================================

#[test]
fn a_confirmed_quantity_may_go_up_and_down_at_the_confirmed_price() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = confirmed(&mut w, &[(widget, "10")]);
    assert_eq!(uninvoiced(&w), dec("100"));
    change_list_price(&mut w, widget, "20.00");

    let outcome = ok_as(
        &mut w.h,
        rep(),
        change_quantity(order_id, 1, "15", "Customer wants more"),
    );
    assert_eq!(
        event(outcome),
        Event::OrderLineChanged(OrderLineChanged {
            order_id,
            line: 1,
            quantity: dec("15"),
            unit_price: usd("10.00"),
            price_source: PriceSource::ListPrice,
            discount_percent: Decimal::ZERO,
            promised_date: None,
            released: Decimal::ZERO,
            reason: "Customer wants more".into(),
            credit_hold: None,
        })
    );
    assert_eq!(uninvoiced(&w), dec("150"));
    ok_as(&mut w.h, rep(), change_quantity(order_id, 1, "8", "Budget cut"));
    assert_eq!(line(&w, order_id, 1).quantity, dec("8"));
    assert_eq!(uninvoiced(&w), dec("80"));
    assert_eq!(
        refused_as(&mut w.h, rep(), change_quantity(order_id, 1, "9", "")),
        blank_reason(),
        "a change after confirmation needs a reason"
    );
}

#[test]
fn a_confirmed_quantity_never_goes_below_what_was_delivered() {
    let mut w = World::new();
    let widget = w.widget;
    receive(&mut w, widget, "10");
    let order_id = confirmed(&mut w, &[(widget, "10")]);
    reserve(&mut w, order_id);
    ship(&mut w, order_id, &[(1, "4")]);

    assert_eq!(
        w.h.refused(change_quantity(order_id, 1, "3", "Too much")),
        DomainError::QuantityBelowDelivered {
            order_id,
            line: 1,
            quantity: dec("3"),
            delivered: dec("4"),
        }
    );
    let Event::OrderLineChanged(e) = event(w.h.ok(change_quantity(order_id, 1, "4", "Only what came")))
    else {
        panic!("expected OrderLineChanged")
    };
    assert_eq!(e.released, dec("6"));
    assert_eq!(order(&w, order_id).shipping_status(), ShippingStatus::Shipped);
}

#[test]
fn lowering_below_delivered_plus_reserved_releases_the_surplus_reservation() {
    let mut w = World::new();
    let widget = w.widget;
    receive(&mut w, widget, "10");
    let order_id = confirmed(&mut w, &[(widget, "10")]);
    reserve(&mut w, order_id);
    ship(&mut w, order_id, &[(1, "4")]);
    // Delivered 4, reserved 6; stock: 6 on hand, all reserved.
    assert_eq!(
        level(&w, widget),
        StockLevel {
            on_hand: dec("6"),
            reserved: dec("6"),
        }
    );

    let Event::OrderLineChanged(e) = event(w.h.ok(change_quantity(order_id, 1, "9", "Fewer"))) else {
        panic!("expected OrderLineChanged")
    };
    assert_eq!(e.released, dec("1"));
    let Event::OrderLineChanged(e) = event(w.h.ok(change_quantity(order_id, 1, "7", "Fewer still"))) else {
        panic!("expected OrderLineChanged")
    };
    assert_eq!(e.released, dec("2"));

    let l = line(&w, order_id, 1);
    assert_eq!(
        (l.quantity, l.delivered, l.reserved),
        (dec("7"), dec("4"), dec("3"))
    );
    assert_eq!(
        level(&w, widget),
        StockLevel {
            on_hand: dec("6"),
            reserved: dec("3"),
        }
    );
}

#[test]
fn lowering_within_what_is_unreserved_releases_nothing() {
    let mut w = World::new();
    let widget = w.widget;
    receive(&mut w, widget, "6");
    let order_id = confirmed(&mut w, &[(widget, "10")]);
    reserve(&mut w, order_id); // 6 of 10
    let Event::OrderLineChanged(e) = event(w.h.ok(change_quantity(order_id, 1, "8", "Fewer"))) else {
        panic!("expected OrderLineChanged")
    };
    assert_eq!(e.released, Decimal::ZERO);
    assert_eq!(line(&w, order_id, 1).reserved, dec("6"));
    assert_eq!(level(&w, widget).reserved, dec("6"));
}

#[test]
fn a_line_added_after_confirmation_needs_a_reason_and_is_priced_like_a_quotation_line() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let order_id = confirmed(&mut w, &[(widget, "1")]);
    assert_eq!(
        refused_as(
            &mut w.h,
            rep(),
            AddOrderLine {
                order_id,
                requested: RequestedLine::new(gadget, dec("4")),
                reason: String::new(),
            }
        ),
        blank_reason()
    );

    let outcome = ok_as(
        &mut w.h,
        rep(),
        AddOrderLine {
            order_id,
            requested: RequestedLine::new(gadget, dec("4")),
            reason: "Forgot the gadgets".into(),
        },
    );
    assert_eq!(only(&outcome).actor, actor_id("rita"));
    assert_eq!(
        event(outcome),
        Event::OrderLineAdded(OrderLineAdded {
            order_id,
            line: QuotedLine {
                line: 2,
                product_id: gadget,
                quantity: dec("4"),
                unit: "pcs".into(),
                unit_price: usd("2.50"),
                price_source: PriceSource::ListPrice,
                discount_percent: Decimal::ZERO,
                promised_date: None,
            },
            reason: "Forgot the gadgets".into(),
            credit_hold: None,
        })
    );
    assert_eq!(uninvoiced(&w), dec("20"), "10.00 + 4 x 2.50");
}

#[test]
fn a_line_added_after_confirmation_cannot_bypass_discount_approval() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let order_id = confirmed(&mut w, &[(widget, "1")]);
    let refusal = refused_as(
        &mut w.h,
        rep(),
        AddOrderLine {
            order_id,
            requested: discounted(gadget, "100", "90"),
            reason: "Friends and family".into(),
        },
    );
    assert!(
        matches!(
            refusal,
            DomainError::ApprovalRequired { .. } | DomainError::OrderAlreadyConfirmed { .. }
        ),
        "got {refusal:?}"
    );
}

#[test]
fn the_promised_date_may_move_after_confirmation_with_a_reason() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quotation(&mut w, &[]);
    w.h.ok(AddQuotationLine {
        order_id,
        product_id: widget,
        quantity: dec("3"),
        discount_percent: Decimal::ZERO,
        promised_date: Some(date(2026, 3, 20)),
    });
    confirm(&mut w, order_id);

    let move_to = |reason: &str| ChangeOrderLine {
        order_id,
        line: 1,
        quantity: None,
        discount_percent: None,
        promised_date: Some(date(2026, 3, 27)),
        reason: reason.into(),
    };
    assert_eq!(w.h.refused(move_to("")), blank_reason());
    let outcome = ok_as(&mut w.h, rep(), move_to("Supplier is late"));
    assert_eq!(
        event(outcome),
        Event::OrderLineChanged(OrderLineChanged {
            order_id,
            line: 1,
            quantity: dec("3"),
            unit_price: usd("10.00"),
            price_source: PriceSource::ListPrice,
            discount_percent: Decimal::ZERO,
            promised_date: Some(date(2026, 3, 27)),
            released: Decimal::ZERO,
            reason: "Supplier is late".into(),
            credit_hold: None,
        })
    );
    assert_eq!(line(&w, order_id, 1).promised_date, Some(date(2026, 3, 27)));
}

#[test]
fn prices_and_discounts_are_fixed_once_confirmed() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = confirmed(&mut w, &[(widget, "10")]);
    let expected = DomainError::OrderAlreadyConfirmed { order_id };
    assert_eq!(
        w.h.refused(ChangeOrderLine {
            order_id,
            line: 1,
            quantity: None,
            discount_percent: Some(dec("5")),
            promised_date: None,
            reason: "Goodwill".into(),
        }),
        expected
    );
    assert_eq!(
        w.h.refused(SetOrderDiscount {
            order_id,
            discount_percent: dec("5"),
        }),
        expected
    );
    assert_eq!(
        refused_as(
            &mut w.h,
            manager(),
            OverrideLinePrice {
                order_id,
                line: 1,
                unit_price: usd("5.00"),
                reason: "Goodwill".into(),
            }
        ),
        expected
    );
    assert_eq!(w.h.refused(RevalidateQuotation { order_id }), expected);
}

#[test]
fn a_manual_hold_stops_reservation_and_shipping_until_released() {
    let mut w = World::new();
    let widget = w.widget;
    receive(&mut w, widget, "10");
    let order_id = confirmed(&mut w, &[(widget, "10")]);
    let on_hold = DomainError::OrderOnHold {
        order_id,
        hold: HoldKind::Manual,
    };

    assert_eq!(
        refused_as(
            &mut w.h,
            rep(),
            HoldOrder {
                order_id,
                reason: "Check address".into(),
            }
        ),
        not_authorized("rita", "HoldOrder", &[Role::SalesManager])
    );
    let outcome = ok_as(
        &mut w.h,
        manager(),
        HoldOrder {
            order_id,
            reason: "Check address".into(),
        },
    );
    assert_eq!(
        event(outcome),
        Event::OrderHeld(OrderHeld {
            order_id,
            reason: "Check address".into(),
        })
    );
    assert_eq!(order(&w, order_id).active_hold(), Some(HoldKind::Manual));
    assert_eq!(w.h.refused(ReserveStock { order_id }), on_hold);
    assert_eq!(
        refused_as(
            &mut w.h,
            manager(),
            HoldOrder {
                order_id,
                reason: "again".into(),
            }
        ),
        DomainError::OrderAlreadyHeld { order_id }
    );

    let outcome = ok_as(
        &mut w.h,
        manager(),
        ReleaseOrder {
            order_id,
            reason: "Address confirmed".into(),
        },
    );
    assert_eq!(
        event(outcome),
        Event::OrderReleased(OrderReleased {
            order_id,
            reason: "Address confirmed".into(),
        })
    );
    reserve(&mut w, order_id);
    ok_as(
        &mut w.h,
        manager(),
        HoldOrder {
            order_id,
            reason: "Dispute".into(),
        },
    );
    let shipment_id = w.h.id();
    assert_eq!(
        w.h.refused(ShipOrder {
            shipment_id,
            order_id,
            lines: vec![],
        }),
        on_hold
    );
    ok_as(
        &mut w.h,
        manager(),
        ReleaseOrder {
            order_id,
            reason: "Settled".into(),
        },
    );
    assert_eq!(
        refused_as(
            &mut w.h,
            manager(),
            ReleaseOrder {
                order_id,
                reason: "again".into(),
            }
        ),
        DomainError::OrderNotHeld { order_id }
    );
    ship(&mut w, order_id, &[]);
    assert_eq!(line(&w, order_id, 1).delivered, dec("10"));
}

#[test]
fn closing_stops_expecting_the_rest_and_releases_it_and_reopening_expects_it_again() {
    let mut w = World::new();
    let widget = w.widget;
    receive(&mut w, widget, "10");
    let order_id = confirmed(&mut w, &[(widget, "10")]);
    reserve(&mut w, order_id);
    ship(&mut w, order_id, &[(1, "4")]);
    let o = order(&w, order_id);
    assert_eq!(
        (o.backorder(1), o.shipping_status()),
        (dec("6"), ShippingStatus::PartiallyShipped)
    );
    assert_eq!(uninvoiced(&w), dec("100"));

    let outcome = ok_as(
        &mut w.h,
        manager(),
        CloseOrder {
            order_id,
            reason: "Rest no longer needed".into(),
        },
    );

    assert_eq!(
        event(outcome),
        Event::OrderClosed(OrderClosed {
            order_id,
            released: vec![LineQuantity {
                line: 1,
                product_id: widget,
                quantity: dec("6"),
            }],
            reason: "Rest no longer needed".into(),
        })
    );
    let o = order(&w, order_id);
    assert_eq!(o.status, OrderStatus::Closed);
    assert_eq!(o.lines[0].reserved, Decimal::ZERO);
    assert_eq!(o.backorder(1), Decimal::ZERO);
    assert_eq!(o.shipping_status(), ShippingStatus::Shipped);
    assert_eq!(uninvoiced(&w), dec("40"), "only the 4 delivered remain expected");
    assert_eq!(
        level(&w, widget),
        StockLevel {
            on_hand: dec("6"),
            reserved: Decimal::ZERO,
        }
    );
    assert_eq!(
        refused_as(
            &mut w.h,
            manager(),
            CloseOrder {
                order_id,
                reason: "again".into(),
            }
        ),
        DomainError::OrderIsClosed { order_id }
    );
    assert_eq!(
        w.h.refused(ReserveStock { order_id }),
        DomainError::OrderIsClosed { order_id }
    );

    let outcome = ok_as(
        &mut w.h,
        manager(),
        ReopenOrder {
            order_id,
            reason: "Customer changed their mind".into(),
        },
    );
    assert_eq!(
        event(outcome),
        Event::OrderReopened(OrderReopened {
            order_id,
            reason: "Customer changed their mind".into(),
            credit_hold: None,
        })
    );
    let o = order(&w, order_id);
    assert_eq!(o.status, OrderStatus::Confirmed);
    assert_eq!(
        (o.backorder(1), o.shipping_status()),
        (dec("6"), ShippingStatus::PartiallyShipped)
    );
    assert_eq!(uninvoiced(&w), dec("100"));
    assert_eq!(reserve(&mut w, order_id).lines[0].quantity, dec("6"));
    assert_eq!(
        refused_as(
            &mut w.h,
            manager(),
            ReopenOrder {
                order_id,
                reason: "again".into(),
            }
        ),
        DomainError::OrderAlreadyConfirmed { order_id }
    );
}

#[test]
fn an_order_is_cancelled_only_while_nothing_has_shipped() {
    let mut w = World::new();
    let widget = w.widget;
    receive(&mut w, widget, "20");
    let untouched = confirmed(&mut w, &[(widget, "10")]);
    reserve(&mut w, untouched);
    let outcome = ok_as(
        &mut w.h,
        rep(),
        CancelOrder {
            order_id: untouched,
            reason: "Customer cancelled".into(),
        },
    );
    assert_eq!(
        event(outcome),
        Event::OrderCancelled(OrderCancelled {
            order_id: untouched,
            released: vec![LineQuantity {
                line: 1,
                product_id: widget,
                quantity: dec("10"),
            }],
            reason: "Customer cancelled".into(),
        })
    );
    assert_eq!(level(&w, widget).reserved, Decimal::ZERO);
    assert_eq!(uninvoiced(&w), Decimal::ZERO);

    let shipped = confirmed(&mut w, &[(widget, "10")]);
    reserve(&mut w, shipped);
    ship(&mut w, shipped, &[(1, "1")]);
    assert_eq!(
        refused_as(
            &mut w.h,
            rep(),
            CancelOrder {
                order_id: shipped,
                reason: "Customer cancelled".into(),
            }
        ),
        DomainError::OrderHasShipments { order_id: shipped }
    );
    ok_as(
        &mut w.h,
        manager(),
        CloseOrder {
            order_id: shipped,
            reason: "Close instead".into(),
        },
    );
    assert_eq!(order(&w, shipped).status, OrderStatus::Closed);
}

#[test]
fn every_change_after_confirmation_records_its_actor_and_reason() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let order_id = confirmed(&mut w, &[(widget, "10")]);

    let steps: Vec<(Actor, Command, &str)> = vec![
        (rep(), change_quantity(order_id, 1, "12", "Raise").into(), "Raise"),
        (
            rep2(),
            AddOrderLine {
                order_id,
                requested: RequestedLine::new(gadget, dec("2")),
                reason: "Add".into(),
            }
            .into(),
            "Add",
        ),
        (
            manager(),
            HoldOrder {
                order_id,
                reason: "Hold".into(),
            }
            .into(),
            "Hold",
        ),
        (
            manager2(),
            ReleaseOrder {
                order_id,
                reason: "Release".into(),
            }
            .into(),
            "Release",
        ),
        (
            manager(),
            CloseOrder {
                order_id,
                reason: "Close".into(),
            }
            .into(),
            "Close",
        ),
        (
            manager2(),
            ReopenOrder {
                order_id,
                reason: "Reopen".into(),
            }
            .into(),
            "Reopen",
        ),
        (
            rep2(),
            CancelOrder {
                order_id,
                reason: "Cancel".into(),
            }
            .into(),
            "Cancel",
        ),
    ];
    for (actor, command, reason) in steps {
        let who = actor.id.clone();
        let outcome = ok_as(&mut w.h, actor, command);
        let recorded = only(&outcome);
        assert_eq!(recorded.actor, who, "{}", recorded.payload.name());
        let recorded_reason = match &recorded.payload {
            Event::OrderLineChanged(e) => &e.reason,
            Event::OrderLineAdded(e) => &e.reason,
            Event::OrderHeld(e) => &e.reason,
            Event::OrderReleased(e) => &e.reason,
            Event::OrderClosed(e) => &e.reason,
            Event::OrderReopened(e) => &e.reason,
            Event::OrderCancelled(e) => &e.reason,
            other => panic!("unexpected {other:?}"),
        };
        assert_eq!(recorded_reason, reason);
    }
    assert_eq!(order(&w, order_id).status, OrderStatus::Cancelled);
}

// === pricing ================================================================================

/// Products for the pricing scenarios: drill and saw in category "tools", glue without one.
struct Catalogue {
    drill: ProductId,
    saw: ProductId,
    glue: ProductId,
}

fn catalogue(w: &mut World) -> Catalogue {
    Catalogue {
        drill: new_product(w, "DRILL", "10.00", Some("tools"), None),
        saw: new_product(w, "SAW", "20.00", Some("tools"), None),
        glue: new_product(w, "GLUE", "4.00", None, None),
    }
}

#[test]
fn the_most_specific_valid_rule_wins_scope_then_break_then_the_latest() {
    let mut w = World::new();
    let c = catalogue(&mut w);
    let list = new_price_list(&mut w, "Trade");
    let day = date(2026, 3, 2);

    let all = add_rule(&mut w, list, RuleScope::AllProducts, "0", off_list("5"));
    assert_eq!(
        quoted(&w, list, c.drill, "1", day),
        price("9.50", by_rule(list, all))
    );
    assert_eq!(
        quoted(&w, list, c.glue, "1", day),
        price("3.80", by_rule(list, all))
    );

    // Category over all products.
    let tools = add_rule(
        &mut w,
        list,
        RuleScope::Category("tools".into()),
        "0",
        off_list("10"),
    );
    assert_eq!(
        quoted(&w, list, c.drill, "1", day),
        price("9.00", by_rule(list, tools))
    );
    assert_eq!(
        quoted(&w, list, c.glue, "1", day),
        price("3.80", by_rule(list, all))
    );

    // Product over category.
    let drill = add_rule(&mut w, list, RuleScope::Product(c.drill), "0", fixed("8.50"));
    assert_eq!(
        quoted(&w, list, c.drill, "1", day),
        price("8.50", by_rule(list, drill))
    );
    assert_eq!(
        quoted(&w, list, c.saw, "1", day),
        price("18.00", by_rule(list, tools))
    );

    // Within a scope, the higher break reached.
    let drill_10 = add_rule(&mut w, list, RuleScope::Product(c.drill), "10", fixed("8.00"));
    assert_eq!(
        quoted(&w, list, c.drill, "9", day),
        price("8.50", by_rule(list, drill))
    );
    assert_eq!(
        quoted(&w, list, c.drill, "10", day),
        price("8.00", by_rule(list, drill_10))
    );

    // Same scope and break: the rule added last.
    let drill_10_later = add_rule(&mut w, list, RuleScope::Product(c.drill), "10", fixed("7.90"));
    assert_eq!(
        quoted(&w, list, c.drill, "10", day),
        price("7.90", by_rule(list, drill_10_later))
    );

    // Scope before break: a category rule with a higher break loses to a product rule.
    let tools_100 = add_rule(
        &mut w,
        list,
        RuleScope::Category("tools".into()),
        "100",
        fixed("5.00"),
    );
    assert_eq!(
        quoted(&w, list, c.drill, "100", day),
        price("7.90", by_rule(list, drill_10_later))
    );
    assert_eq!(
        quoted(&w, list, c.saw, "100", day),
        price("5.00", by_rule(list, tools_100))
    );
    assert_eq!(
        quoted(&w, list, c.saw, "99", day),
        price("18.00", by_rule(list, tools))
    );
    let all_1000 = add_rule(&mut w, list, RuleScope::AllProducts, "1000", fixed("1.00"));
    assert_eq!(
        quoted(&w, list, c.saw, "1000", day),
        price("5.00", by_rule(list, tools_100))
    );
    assert_eq!(
        quoted(&w, list, c.glue, "1000", day),
        price("1.00", by_rule(list, all_1000))
    );

    // And the line carries the price with the rule that produced it.
    let buyer = new_customer(
        &mut w,
        CustomerDetails {
            price_list_id: Some(list),
            ..details("Buyer", 30)
        },
        None,
    );
    let order_id = create_quotation(&mut w, buyer, requested(&[(c.drill, "10"), (c.saw, "1")]));
    let o = order(&w, order_id);
    assert_eq!(o.price_list_id, Some(list));
    assert_eq!(
        (o.lines[0].unit_price, o.lines[0].price_source.clone()),
        (usd("7.90"), by_rule(list, drill_10_later))
    );
    assert_eq!(
        (o.lines[1].unit_price, o.lines[1].price_source.clone()),
        (usd("18.00"), by_rule(list, tools))
    );
}

#[test]
fn a_rule_applies_only_within_its_validity_period() {
    let mut w = World::new();
    let c = catalogue(&mut w);
    let list = new_price_list(&mut w, "Promo");
    let base = add_rule(&mut w, list, RuleScope::Product(c.drill), "0", fixed("9.00"));
    let promo_id: PriceRuleId = w.h.id();
    w.h.ok(AddPriceRule {
        price_list_id: list,
        rule: PriceRule {
            valid_from: Some(date(2026, 4, 1)),
            valid_until: Some(date(2026, 4, 30)),
            ..rule(promo_id, RuleScope::Product(c.drill), "0", fixed("6.00"))
        },
    });

    for (day, expected) in [
        (date(2026, 3, 31), price("9.00", by_rule(list, base))),
        (date(2026, 4, 1), price("6.00", by_rule(list, promo_id))),
        (date(2026, 4, 30), price("6.00", by_rule(list, promo_id))),
        (date(2026, 5, 1), price("9.00", by_rule(list, base))),
    ] {
        assert_eq!(quoted(&w, list, c.drill, "1", day), expected, "on {day}");
    }

    // A quotation is priced on its business date.
    let buyer = new_customer(
        &mut w,
        CustomerDetails {
            price_list_id: Some(list),
            ..details("Buyer", 30)
        },
        None,
    );
    let before = create_quotation(&mut w, buyer, requested(&[(c.drill, "1")]));
    w.h.advance_days(30); // 2026-04-01
    let during = create_quotation(&mut w, buyer, requested(&[(c.drill, "1")]));
    assert_eq!(line(&w, before, 1).unit_price, usd("9.00"));
    assert_eq!(line(&w, during, 1).unit_price, usd("6.00"));
    assert_eq!(line(&w, during, 1).price_source, by_rule(list, promo_id));

    let bad: PriceRuleId = w.h.id();
    assert_eq!(
        w.h.refused(AddPriceRule {
            price_list_id: list,
            rule: PriceRule {
                valid_from: Some(date(2026, 5, 1)),
                valid_until: Some(date(2026, 4, 1)),
                ..rule(bad, RuleScope::AllProducts, "0", fixed("1.00"))
            },
        }),
        DomainError::InvalidPeriod {
            from: date(2026, 5, 1),
            until: date(2026, 4, 1),
        }
    );
}

#[test]
fn quantity_breaks_pick_the_highest_break_reached_and_reprice_a_quotation_line() {
    let mut w = World::new();
    let gadget = w.gadget;
    let list = new_price_list(&mut w, "Volume");
    let r10 = add_rule(&mut w, list, RuleScope::Product(gadget), "10", fixed("2.25"));
    let r50 = add_rule(&mut w, list, RuleScope::Product(gadget), "50", fixed("2.00"));
    let r100 = add_rule(&mut w, list, RuleScope::Product(gadget), "100", fixed("1.80"));
    let day = date(2026, 3, 2);
    for (quantity, expected) in [
        ("9", price("2.50", PriceSource::ListPrice)),
        ("10", price("2.25", by_rule(list, r10))),
        ("49", price("2.25", by_rule(list, r10))),
        ("50", price("2.00", by_rule(list, r50))),
        ("100", price("1.80", by_rule(list, r100))),
        ("5000", price("1.80", by_rule(list, r100))),
    ] {
        assert_eq!(
            quoted(&w, list, gadget, quantity, day),
            expected,
            "{quantity} gadgets"
        );
    }

    let buyer = new_customer(
        &mut w,
        CustomerDetails {
            price_list_id: Some(list),
            ..details("Buyer", 30)
        },
        None,
    );
    let order_id = create_quotation(&mut w, buyer, requested(&[(gadget, "10")]));
    let Event::OrderLineChanged(e) = event(w.h.ok(change_quantity(order_id, 1, "50", ""))) else {
        panic!("expected OrderLineChanged")
    };
    assert_eq!((e.unit_price, e.price_source), (usd("2.00"), by_rule(list, r50)));

    // Once confirmed, a quantity change keeps the confirmed price.
    confirm(&mut w, order_id);
    let Event::OrderLineChanged(e) = event(w.h.ok(change_quantity(order_id, 1, "100", "More"))) else {
        panic!("expected OrderLineChanged")
    };
    assert_eq!((e.unit_price, e.price_source), (usd("2.00"), by_rule(list, r50)));
}

#[test]
fn a_rule_gives_a_fixed_price_a_percent_off_list_or_a_percent_off_another_list() {
    let mut w = World::new();
    let c = catalogue(&mut w);
    let tape = new_product(&mut w, "TAPE", "1.00", None, None);
    w.h.ok(ChangeProduct {
        product_id: c.glue,
        name: "GLUE".into(),
        category: Some("adhesives".into()),
        list_price: usd("3.33"),
        floor_price: None,
    });
    let base = new_price_list(&mut w, "Base");
    let fixed_drill = add_rule(&mut w, base, RuleScope::Product(c.drill), "0", fixed("8.00"));
    let off_saw = add_rule(&mut w, base, RuleScope::Product(c.saw), "0", off_list("12.5"));
    let off_glue = add_rule(
        &mut w,
        base,
        RuleScope::Category("adhesives".into()),
        "0",
        off_list("5"),
    );
    let derived = new_price_list(&mut w, "Derived");
    let from_base = add_rule(
        &mut w,
        derived,
        RuleScope::AllProducts,
        "0",
        RulePrice::PercentOffPriceList {
            base,
            percent: dec("10"),
        },
    );
    let day = date(2026, 3, 2);

    assert_eq!(
        quoted(&w, base, c.drill, "1", day),
        price("8.00", by_rule(base, fixed_drill))
    );
    assert_eq!(
        quoted(&w, base, c.saw, "1", day),
        price("17.50", by_rule(base, off_saw))
    );
    // 3.33 less 5% = 3.1635, rounded half away from zero.
    assert_eq!(
        quoted(&w, base, c.glue, "1", day),
        price("3.16", by_rule(base, off_glue))
    );
    assert_eq!(
        quoted(&w, base, tape, "1", day),
        price("1.00", PriceSource::ListPrice)
    );

    assert_eq!(
        quoted(&w, derived, c.drill, "1", day),
        price("7.20", by_rule(derived, from_base))
    );
    assert_eq!(
        quoted(&w, derived, c.saw, "1", day),
        price("15.75", by_rule(derived, from_base))
    );
    // 3.16 less 10% = 2.844.
    assert_eq!(
        quoted(&w, derived, c.glue, "1", day),
        price("2.84", by_rule(derived, from_base))
    );
    // No rule of the base list: its list price, less 10%.
    assert_eq!(
        quoted(&w, derived, tape, "1", day),
        price("0.90", by_rule(derived, from_base))
    );
}

#[test]
fn a_price_list_that_would_depend_on_itself_is_refused() {
    let mut w = World::new();
    let a = new_price_list(&mut w, "A");
    let b = new_price_list(&mut w, "B");
    let c = new_price_list(&mut w, "C");
    let based_on = |base: PriceListId| RulePrice::PercentOffPriceList {
        base,
        percent: dec("1"),
    };
    let refused = |w: &mut World, list: PriceListId, base: PriceListId| {
        let rule_id = w.h.id();
        w.h.refused(AddPriceRule {
            price_list_id: list,
            rule: rule(rule_id, RuleScope::AllProducts, "0", based_on(base)),
        })
    };

    assert_eq!(
        refused(&mut w, a, a),
        DomainError::PriceListCycle {
            price_list_id: a,
            base: a,
        }
    );
    add_rule(&mut w, b, RuleScope::AllProducts, "0", based_on(a));
    assert_eq!(
        refused(&mut w, a, b),
        DomainError::PriceListCycle {
            price_list_id: a,
            base: b,
        }
    );
    add_rule(&mut w, c, RuleScope::AllProducts, "0", based_on(b));
    assert_eq!(
        refused(&mut w, a, c),
        DomainError::PriceListCycle {
            price_list_id: a,
            base: c,
        }
    );
    // Not a cycle: C may also be based on A directly.
    add_rule(&mut w, c, RuleScope::AllProducts, "5", based_on(a));
}

#[test]
fn the_customers_own_list_beats_the_group_default_which_beats_the_list_price() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    let own = new_price_list(&mut w, "Own");
    let own_rule = add_rule(&mut w, own, RuleScope::Product(widget), "0", fixed("7.00"));
    let group_list = new_price_list(&mut w, "Group");
    let group_rule = add_rule(&mut w, group_list, RuleScope::Product(widget), "0", fixed("8.00"));
    let group = new_group(&mut w, "Wholesale", None, Some(group_list));
    let in_group = |name: &str| CustomerDetails {
        group_id: Some(group),
        ..details(name, 30)
    };
    let with_own = new_customer(
        &mut w,
        CustomerDetails {
            price_list_id: Some(own),
            ..in_group("Own list")
        },
        None,
    );
    let group_only = new_customer(&mut w, in_group("Group only"), None);
    let neither = new_customer(&mut w, details("Neither", 30), None);

    let cases = [
        (with_own, Some(own), price("7.00", by_rule(own, own_rule))),
        (
            group_only,
            Some(group_list),
            price("8.00", by_rule(group_list, group_rule)),
        ),
        (neither, None, price("10.00", PriceSource::ListPrice)),
    ];
    for (customer_id, list, expected) in cases {
        let order_id = w.h.id();
        let warehouse_id = w.warehouse;
        let outcome = w.h.ok(CreateQuotation {
            order_id,
            customer_id,
            warehouse_id,
            lines: requested(&[(widget, "1"), (gadget, "1")]),
            customer_reference: String::new(),
        });
        let Event::QuotationCreated(created) = event(outcome) else {
            panic!("expected QuotationCreated")
        };
        assert_eq!(created.price_list_id, list);
        let first = &created.lines[0];
        assert_eq!(
            Quote {
                unit_price: first.unit_price,
                source: first.price_source.clone(),
            },
            expected
        );
        // No rule for gadgets in any list: the list price, from whichever list.
        assert_eq!(
            (created.lines[1].unit_price, created.lines[1].price_source.clone()),
            (usd("2.50"), PriceSource::ListPrice)
        );
    }
}

#[test]
fn a_sales_manager_may_override_a_line_price_and_it_is_recorded_as_manual() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quotation_by(&mut w, rep(), requested(&[(widget, "5")]));

    let outcome = ok_as(
        &mut w.h,
        manager(),
        OverrideLinePrice {
            order_id,
            line: 1,
            unit_price: usd("7.00"),
            reason: "Match competitor".into(),
        },
    );
    assert_eq!(only(&outcome).actor, actor_id("max"));
    assert_eq!(
        event(outcome),
        Event::LinePriceOverridden(LinePriceOverridden {
            order_id,
            line: 1,
            unit_price: usd("7.00"),
            reason: "Match competitor".into(),
        })
    );
    let manual = PriceSource::Manual {
        by: actor_id("max"),
        reason: "Match competitor".into(),
    };
    assert_eq!(
        (
            line(&w, order_id, 1).unit_price,
            line(&w, order_id, 1).price_source
        ),
        (usd("7.00"), manual.clone())
    );

    // A later quantity change keeps the manual price.
    ok_as(&mut w.h, rep(), change_quantity(order_id, 1, "8", ""));
    assert_eq!(
        (
            line(&w, order_id, 1).unit_price,
            line(&w, order_id, 1).price_source
        ),
        (usd("7.00"), manual)
    );
    let e = ok_as(&mut w.h, rep(), ConfirmOrder { order_id });
    let Event::OrderConfirmed(e) = event(e) else {
        panic!("expected OrderConfirmed")
    };
    assert_eq!(e.amount, usd("56.00"));
}

#[test]
fn a_sales_rep_may_not_override_a_price() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quotation_by(&mut w, rep(), requested(&[(widget, "5")]));
    assert_eq!(
        refused_as(
            &mut w.h,
            rep(),
            OverrideLinePrice {
                order_id,
                line: 1,
                unit_price: usd("1.00"),
                reason: "Please".into(),
            }
        ),
        not_authorized("rita", "OverrideLinePrice", &[Role::SalesManager])
    );
}

#[test]
fn removing_a_rule_leaves_priced_lines_alone_and_prices_new_ones_without_it() {
    let mut w = World::new();
    let widget = w.widget;
    let list = new_price_list(&mut w, "Trade");
    let rule_id = add_rule(&mut w, list, RuleScope::Product(widget), "0", fixed("9.00"));
    let buyer = new_customer(
        &mut w,
        CustomerDetails {
            price_list_id: Some(list),
            ..details("Buyer", 30)
        },
        None,
    );
    let old = create_quotation(&mut w, buyer, requested(&[(widget, "1")]));

    let outcome = w.h.ok(RemovePriceRule {
        price_list_id: list,
        rule_id,
        reason: "Promotion over".into(),
    });
    assert_eq!(
        event(outcome),
        Event::PriceRuleRemoved(PriceRuleRemoved {
            price_list_id: list,
            rule_id,
            reason: "Promotion over".into(),
        })
    );
    assert_eq!(line(&w, old, 1).price_source, by_rule(list, rule_id));
    assert_eq!(line(&w, old, 1).unit_price, usd("9.00"));
    let new = create_quotation(&mut w, buyer, requested(&[(widget, "1")]));
    assert_eq!(
        (line(&w, new, 1).unit_price, line(&w, new, 1).price_source),
        (usd("10.00"), PriceSource::ListPrice)
    );
    assert_eq!(
        w.h.refused(RemovePriceRule {
            price_list_id: list,
            rule_id,
            reason: "again".into(),
        }),
        DomainError::UnknownPriceRule {
            price_list_id: list,
            rule_id,
        }
    );
}

#[test]
fn price_lists_and_rules_are_recorded_as_created() {
    let mut w = World::new();
    let widget = w.widget;
    let price_list_id = w.h.id();
    let outcome = w.h.ok(CreatePriceList {
        price_list_id,
        name: "Trade".into(),
        currency: usd_code(),
    });
    assert_eq!(
        event(outcome),
        Event::PriceListCreated(PriceListCreated {
            price_list_id,
            name: "Trade".into(),
            currency: usd_code(),
        })
    );
    let rule_id = w.h.id();
    let r = rule(rule_id, RuleScope::Product(widget), "5", fixed("9.00"));
    let outcome = w.h.ok(AddPriceRule {
        price_list_id,
        rule: r.clone(),
    });
    assert_eq!(
        event(outcome),
        Event::PriceRuleAdded(PriceRuleAdded {
            price_list_id,
            rule: r.clone(),
        })
    );
    assert_eq!(
        w.h.engine
            .read(|b| b.price_list(price_list_id).unwrap().rules.clone()),
        vec![r]
    );
    let eur_list = w.h.id();
    assert_eq!(
        w.h.refused(CreatePriceList {
            price_list_id: eur_list,
            name: "Euro".into(),
            currency: CurrencyCode::new("EUR").unwrap(),
        }),
        DomainError::CurrencyMismatch {
            expected: usd_code(),
            found: CurrencyCode::new("EUR").unwrap(),
        }
    );
}

// === discount approval ======================================================================

fn above_threshold(line: u32, discount: &str) -> ApprovalReason {
    ApprovalReason::DiscountAboveThreshold {
        line,
        discount_percent: dec(discount),
        threshold: dec("10"),
    }
}

#[test]
fn line_and_order_discounts_combine() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quotation_by(&mut w, rep(), vec![discounted(widget, "10", "10")]);
    ok_as(
        &mut w.h,
        rep(),
        SetOrderDiscount {
            order_id,
            discount_percent: dec("5"),
        },
    );
    let o = order(&w, order_id);
    assert_eq!(combined_discount(dec("10"), dec("5")), dec("14.5"));
    assert_eq!(o.effective_discount(&o.lines[0]), dec("14.5"));
    assert_eq!(o.net_unit_price(&o.lines[0]), dec("8.55"));

    assert_eq!(
        refused_as(&mut w.h, rep(), ConfirmOrder { order_id }),
        DomainError::ApprovalRequired {
            order_id,
            reasons: vec![above_threshold(1, "14.5")],
        }
    );
}

#[test]
fn a_discount_at_the_threshold_needs_no_approval() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quotation_by(&mut w, rep(), vec![discounted(widget, "10", "10")]);
    let Event::OrderConfirmed(e) = event(ok_as(&mut w.h, rep(), ConfirmOrder { order_id })) else {
        panic!("expected OrderConfirmed")
    };
    assert_eq!(e.amount, usd("90.00"));
}

#[test]
fn a_changed_threshold_applies_to_the_next_confirmation() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quotation_by(&mut w, rep(), vec![discounted(widget, "10", "10")]);
    w.h.ok(settings(|s| s.discount_approval_threshold = dec("7.5")));
    assert_eq!(
        refused_as(&mut w.h, rep(), ConfirmOrder { order_id }),
        DomainError::ApprovalRequired {
            order_id,
            reasons: vec![ApprovalReason::DiscountAboveThreshold {
                line: 1,
                discount_percent: dec("10"),
                threshold: dec("7.5"),
            }],
        }
    );
}

#[test]
fn a_net_price_below_the_floor_price_needs_approval() {
    let mut w = World::new();
    let premium = new_product(&mut w, "PREMIUM", "10.00", None, Some("9.60"));
    let small = quotation_by(&mut w, rep(), vec![discounted(premium, "1", "5")]);
    assert_eq!(
        refused_as(&mut w.h, rep(), ConfirmOrder { order_id: small }),
        DomainError::ApprovalRequired {
            order_id: small,
            reasons: vec![ApprovalReason::BelowFloorPrice {
                line: 1,
                net_price: usd("9.50"),
                floor_price: usd("9.60"),
            }],
        }
    );
    // Both reasons, in line order: the discount, then the floor.
    let big = quotation_by(&mut w, rep(), vec![discounted(premium, "1", "15")]);
    assert_eq!(
        refused_as(&mut w.h, rep(), ConfirmOrder { order_id: big }),
        DomainError::ApprovalRequired {
            order_id: big,
            reasons: vec![
                above_threshold(1, "15"),
                ApprovalReason::BelowFloorPrice {
                    line: 1,
                    net_price: usd("8.50"),
                    floor_price: usd("9.60"),
                },
            ],
        }
    );
    // A manual price below the floor needs it too.
    let manual = quotation_by(&mut w, rep(), requested(&[(premium, "1")]));
    ok_as(
        &mut w.h,
        manager(),
        OverrideLinePrice {
            order_id: manual,
            line: 1,
            unit_price: usd("9.00"),
            reason: "Clearance".into(),
        },
    );
    assert_eq!(
        refused_as(&mut w.h, rep(), ConfirmOrder { order_id: manual }),
        DomainError::ApprovalRequired {
            order_id: manual,
            reasons: vec![ApprovalReason::BelowFloorPrice {
                line: 1,
                net_price: usd("9.00"),
                floor_price: usd("9.60"),
            }],
        }
    );
}

#[test]
fn a_sales_manager_who_neither_created_nor_last_changed_it_approves() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quotation_by(&mut w, rep(), vec![discounted(widget, "10", "15")]);

    let outcome = ok_as(
        &mut w.h,
        manager(),
        ApproveDiscount {
            order_id,
            note: "Volume deal".into(),
        },
    );
    assert_eq!(only(&outcome).actor, actor_id("max"));
    assert_eq!(
        event(outcome),
        Event::DiscountApproved(DiscountApproved {
            order_id,
            reasons: vec![above_threshold(1, "15")],
            note: "Volume deal".into(),
        })
    );
    assert_eq!(order(&w, order_id).discount_approved_by, Some(actor_id("max")));
    let Event::OrderConfirmed(e) = event(ok_as(&mut w.h, rep(), ConfirmOrder { order_id })) else {
        panic!("expected OrderConfirmed")
    };
    assert_eq!(e.amount, usd("85.00"));
}

#[test]
fn the_creator_may_not_approve_their_own_discount() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quotation_by(&mut w, manager(), vec![discounted(widget, "10", "15")]);
    assert_eq!(
        refused_as(
            &mut w.h,
            manager(),
            ApproveDiscount {
                order_id,
                note: String::new(),
            }
        ),
        DomainError::SegregationOfDuties {
            actor: actor_id("max"),
            order_id,
            duty: Duty::ApproveDiscount,
        }
    );
}

#[test]
fn the_last_changer_may_not_approve_the_discount() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quotation_by(&mut w, rep(), requested(&[(widget, "10")]));
    ok_as(
        &mut w.h,
        manager2(),
        SetOrderDiscount {
            order_id,
            discount_percent: dec("12"),
        },
    );
    assert_eq!(order(&w, order_id).last_changed_by, actor_id("mona"));
    assert_eq!(
        refused_as(
            &mut w.h,
            manager2(),
            ApproveDiscount {
                order_id,
                note: String::new(),
            }
        ),
        DomainError::SegregationOfDuties {
            actor: actor_id("mona"),
            order_id,
            duty: Duty::ApproveDiscount,
        }
    );
    ok_as(
        &mut w.h,
        manager(),
        ApproveDiscount {
            order_id,
            note: "OK".into(),
        },
    );
    confirm(&mut w, order_id);
}

#[test]
fn a_sales_rep_may_not_approve_a_discount() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quotation_by(&mut w, rep(), vec![discounted(widget, "10", "15")]);
    assert_eq!(
        refused_as(
            &mut w.h,
            rep2(),
            ApproveDiscount {
                order_id,
                note: String::new(),
            }
        ),
        not_authorized("ron", "ApproveDiscount", &[Role::SalesManager])
    );
}

#[test]
fn approving_needs_something_to_approve_and_happens_once() {
    let mut w = World::new();
    let widget = w.widget;
    let plain = quotation_by(&mut w, rep(), requested(&[(widget, "10")]));
    assert_eq!(
        refused_as(
            &mut w.h,
            manager(),
            ApproveDiscount {
                order_id: plain,
                note: String::new(),
            }
        ),
        DomainError::NoApprovalNeeded { order_id: plain }
    );
    let order_id = quotation_by(&mut w, rep(), vec![discounted(widget, "10", "15")]);
    ok_as(
        &mut w.h,
        manager(),
        ApproveDiscount {
            order_id,
            note: String::new(),
        },
    );
    assert_eq!(
        refused_as(
            &mut w.h,
            manager2(),
            ApproveDiscount {
                order_id,
                note: String::new(),
            }
        ),
        DomainError::AlreadyApproved { order_id }
    );
}

#[test]
fn any_later_price_change_voids_the_approval() {
    type Change = fn(OrderId, ProductId) -> (Actor, Command);
    let changes: [(&str, Change); 5] = [
        ("order discount", |order_id, _| {
            (
                rep(),
                SetOrderDiscount {
                    order_id,
                    discount_percent: dec("1"),
                }
                .into(),
            )
        }),
        ("line change", |order_id, _| {
            (rep(), change_quantity(order_id, 1, "11", "").into())
        }),
        ("price override", |order_id, _| {
            (
                manager2(),
                OverrideLinePrice {
                    order_id,
                    line: 1,
                    unit_price: usd("9.00"),
                    reason: "Rounder".into(),
                }
                .into(),
            )
        }),
        ("added line", |order_id, gadget| {
            (
                rep(),
                AddQuotationLine {
                    order_id,
                    product_id: gadget,
                    quantity: dec("1"),
                    discount_percent: Decimal::ZERO,
                    promised_date: None,
                }
                .into(),
            )
        }),
        ("revalidation", |order_id, _| {
            (rep(), RevalidateQuotation { order_id }.into())
        }),
    ];
    for (what, change) in changes {
        let mut w = World::new();
        let (widget, gadget) = (w.widget, w.gadget);
        let order_id = quotation_by(&mut w, rep(), vec![discounted(widget, "10", "15")]);
        ok_as(
            &mut w.h,
            manager(),
            ApproveDiscount {
                order_id,
                note: String::new(),
            },
        );
        let (actor, command) = change(order_id, gadget);
        ok_as(&mut w.h, actor, command);
        assert_eq!(order(&w, order_id).discount_approved_by, None, "{what}");
        let refusal = refused_as(&mut w.h, rep(), ConfirmOrder { order_id });
        assert!(
            matches!(&refusal, DomainError::ApprovalRequired { order_id: o, reasons } if *o == order_id && !reasons.is_empty()),
            "{what}: {refusal:?}"
        );
    }
}

// === credit control =========================================================================

#[test]
fn exposure_is_open_receivables_plus_confirmed_uninvoiced_orders_plus_this_order() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    // Invoiced and partly paid: 1,000.00 posted, 300.00 paid -> 700.00 open.
    let a = delivered(&mut w, &[(widget, "100")]);
    let invoice_a = post_invoice(&mut w, a);
    pay(&mut w, acme, invoice_a, "300.00");
    // Confirmed 2,000.00, of which 500.00 shipped and invoiced -> 1,500.00 not invoiced.
    let b = confirmed(&mut w, &[(widget, "200")]);
    receive(&mut w, widget, "50");
    reserve(&mut w, b);
    ship(&mut w, b, &[]);
    post_invoice(&mut w, b);
    // Closed after shipping 10 of 30 -> 100.00 delivered and not invoiced.
    let d = confirmed(&mut w, &[(widget, "30")]);
    receive(&mut w, widget, "10");
    reserve(&mut w, d);
    ship(&mut w, d, &[]);
    w.h.ok(CloseOrder {
        order_id: d,
        reason: "Short".into(),
    });
    // Neither quotations nor cancelled orders count.
    quotation(&mut w, &[(widget, "1000")]);
    let cancelled = confirmed(&mut w, &[(widget, "1000")]);
    w.h.ok(CancelOrder {
        order_id: cancelled,
        reason: "Mistake".into(),
    });
    let c = customer(&w, acme);
    assert_eq!((c.receivable, c.uninvoiced_orders), (dec("1200"), dec("1600")));

    let order_id = quotation(&mut w, &[(widget, "50")]);
    let e = confirm(&mut w, order_id);
    assert_eq!(
        e,
        OrderConfirmed {
            order_id,
            customer_id: acme,
            amount: usd("500.00"),
            exposure: usd("3300.00"),
            credit_limit: Some(usd("10000.00")),
            credit_hold: None,
        }
    );
    assert_eq!(customer(&w, acme).exposure(), dec("3300"));
}

#[test]
fn confirming_over_the_limit_puts_the_order_on_credit_hold_with_the_figures() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    let first = confirmed(&mut w, &[(widget, "800")]);
    assert_eq!(order(&w, first).credit_hold, None);

    let order_id = quotation(&mut w, &[(widget, "300")]);
    let e = confirm(&mut w, order_id);
    assert_eq!(
        e,
        OrderConfirmed {
            order_id,
            customer_id: acme,
            amount: usd("3000.00"),
            exposure: usd("11000.00"),
            credit_limit: Some(usd("10000.00")),
            credit_hold: Some(CreditHold {
                reasons: vec![CreditHoldReason::OverCreditLimit {
                    exposure: usd("11000.00"),
                    limit: usd("10000.00"),
                }],
            }),
        }
    );
    let o = order(&w, order_id);
    assert_eq!(o.status, OrderStatus::Confirmed, "confirmed, not refused");
    assert_eq!(o.active_hold(), Some(HoldKind::Credit));
    assert_eq!(
        uninvoiced(&w),
        dec("11000"),
        "a held order is part of the exposure"
    );
}

#[test]
fn an_invoice_overdue_beyond_the_grace_days_puts_the_next_order_on_credit_hold() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    w.h.ok(settings(|s| s.overdue_grace_days = 5));
    // 2026-03-02: 100.00 invoiced, due 2026-04-01 (net 30); 40.00 paid.
    let a = delivered(&mut w, &[(widget, "10")]);
    let first = post_invoice(&mut w, a);
    pay(&mut w, acme, first, "40.00");
    // 2026-03-10: 50.00 invoiced, due 2026-04-09.
    let b = delivered(&mut w, &[(widget, "5")]);
    w.h.advance_days(8);
    post_invoice(&mut w, b);

    w.h.advance_days(27); // 2026-04-06: due + 5 grace days, not yet overdue
    let order_id = quotation(&mut w, &[(widget, "1")]);
    assert_eq!(confirm(&mut w, order_id).credit_hold, None);

    w.h.advance_days(1); // 2026-04-07
    let order_id = quotation(&mut w, &[(widget, "1")]);
    assert_eq!(
        confirm(&mut w, order_id).credit_hold,
        Some(CreditHold {
            reasons: vec![CreditHoldReason::OverdueInvoices {
                overdue_amount: usd("60.00"),
                oldest_due_date: date(2026, 4, 1),
            }],
        })
    );

    w.h.advance_days(8); // 2026-04-15: the second invoice is past its grace days too
    let order_id = quotation(&mut w, &[(widget, "1")]);
    assert_eq!(
        confirm(&mut w, order_id).credit_hold,
        Some(CreditHold {
            reasons: vec![CreditHoldReason::OverdueInvoices {
                overdue_amount: usd("110.00"),
                oldest_due_date: date(2026, 4, 1),
            }],
        })
    );
}

#[test]
fn a_blocked_customer_gets_orders_confirmed_on_credit_hold() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    ok_as(
        &mut w.h,
        controller(),
        BlockCustomer {
            customer_id: acme,
            reason: "Bankruptcy filing".into(),
        },
    );
    let order_id = quotation(&mut w, &[(widget, "1")]);
    let e = confirm(&mut w, order_id);
    assert_eq!(
        e.credit_hold,
        Some(CreditHold {
            reasons: vec![CreditHoldReason::CustomerBlocked {
                reason: "Bankruptcy filing".into(),
            }],
        })
    );
    assert_eq!(order(&w, order_id).status, OrderStatus::Confirmed);
}

#[test]
fn every_credit_hold_reason_that_applies_is_recorded() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    let a = delivered(&mut w, &[(widget, "10")]);
    post_invoice(&mut w, a); // 100.00 due 2026-04-01
    set_limit(&mut w, acme, Some("150.00"));
    ok_as(
        &mut w.h,
        controller(),
        BlockCustomer {
            customer_id: acme,
            reason: "Dunning level 3".into(),
        },
    );
    w.h.advance_days(31); // 2026-04-02
    let order_id = quotation(&mut w, &[(widget, "6")]);
    let e = confirm(&mut w, order_id);
    assert_eq!(e.exposure, usd("160.00"));
    assert_eq!(
        e.credit_hold,
        Some(CreditHold {
            reasons: vec![
                CreditHoldReason::CustomerBlocked {
                    reason: "Dunning level 3".into(),
                },
                CreditHoldReason::OverCreditLimit {
                    exposure: usd("160.00"),
                    limit: usd("150.00"),
                },
                CreditHoldReason::OverdueInvoices {
                    overdue_amount: usd("100.00"),
                    oldest_due_date: date(2026, 4, 1),
                },
            ],
        })
    );
}

#[test]
fn raising_a_confirmed_order_past_the_credit_limit_puts_it_on_credit_hold() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = confirmed(&mut w, &[(widget, "1")]);
    assert_eq!(order(&w, order_id).credit_hold, None);
    ok_as(
        &mut w.h,
        rep(),
        change_quantity(order_id, 1, "1500", "Customer wants more"),
    );
    assert_eq!(uninvoiced(&w), dec("15000"), "over the 10,000.00 limit");
    assert_eq!(
        order(&w, order_id).active_hold(),
        Some(HoldKind::Credit),
        "nothing stops this order from being reserved and shipped"
    );
}

/// An order for 10 widgets on credit hold (Acme's limit lowered to 50.00), raised by the
/// harness's current actor.
fn held_order(w: &mut World) -> OrderId {
    let (acme, widget) = (w.customer, w.widget);
    set_limit(w, acme, Some("50.00"));
    let order_id = quotation(w, &[(widget, "10")]);
    let e = confirm(w, order_id);
    assert!(e.credit_hold.is_some());
    order_id
}

#[test]
fn nothing_is_reserved_or_shipped_while_on_credit_hold() {
    let mut w = World::new();
    let widget = w.widget;
    receive(&mut w, widget, "10");
    let order_id = held_order(&mut w);
    let on_hold = DomainError::OrderOnHold {
        order_id,
        hold: HoldKind::Credit,
    };
    assert_eq!(refused_as(&mut w.h, picker(), ReserveStock { order_id }), on_hold);
    let shipment_id = w.h.id();
    assert_eq!(
        refused_as(
            &mut w.h,
            picker(),
            ShipOrder {
                shipment_id,
                order_id,
                lines: vec![],
            }
        ),
        on_hold
    );
    assert_eq!(level(&w, widget).reserved, Decimal::ZERO);
    // A manual hold on top does not hide the credit hold.
    ok_as(
        &mut w.h,
        manager(),
        HoldOrder {
            order_id,
            reason: "Also".into(),
        },
    );
    assert_eq!(order(&w, order_id).active_hold(), Some(HoldKind::Credit));
}

#[test]
fn another_credit_controller_releases_the_hold_recording_the_exposure_at_that_moment() {
    let mut w = World::new();
    let widget = w.widget;
    receive(&mut w, widget, "300");
    let big = confirmed(&mut w, &[(widget, "800")]);
    let order_id = quotation(&mut w, &[(widget, "300")]);
    assert_eq!(confirm(&mut w, order_id).exposure, usd("11000.00"));
    w.h.ok(CancelOrder {
        order_id: big,
        reason: "Replaced".into(),
    });

    let outcome = ok_as(
        &mut w.h,
        controller(),
        ReleaseCreditHold {
            order_id,
            note: "Deposit received".into(),
        },
    );

    assert_eq!(only(&outcome).actor, actor_id("carl"));
    assert_eq!(
        event(outcome),
        Event::CreditHoldReleased(CreditHoldReleased {
            order_id,
            exposure: usd("3000.00"),
            credit_limit: Some(usd("10000.00")),
            overdue_amount: usd("0.00"),
            note: "Deposit received".into(),
        })
    );
    assert_eq!(order(&w, order_id).active_hold(), None);
    assert_eq!(reserve(&mut w, order_id).lines[0].quantity, dec("300"));
    assert_eq!(
        refused_as(
            &mut w.h,
            controller(),
            ReleaseCreditHold {
                order_id,
                note: "again".into(),
            }
        ),
        DomainError::NotOnCreditHold { order_id }
    );
}

#[test]
fn the_creator_of_an_order_may_not_release_its_credit_hold() {
    let mut w = World::new();
    let sam = person("sam", &[Role::SalesRep, Role::CreditController]);
    let previous = std::mem::replace(&mut w.h.actor, sam.clone());
    let order_id = held_order(&mut w);
    w.h.actor = previous;
    assert_eq!(order(&w, order_id).created_by, actor_id("sam"));

    assert_eq!(
        refused_as(
            &mut w.h,
            sam,
            ReleaseCreditHold {
                order_id,
                note: "Trust me".into(),
            }
        ),
        DomainError::SegregationOfDuties {
            actor: actor_id("sam"),
            order_id,
            duty: Duty::ReleaseCreditHold,
        }
    );
    ok_as(
        &mut w.h,
        controller(),
        ReleaseCreditHold {
            order_id,
            note: "Checked".into(),
        },
    );
}

#[test]
fn a_sales_manager_may_not_release_a_credit_hold() {
    let mut w = World::new();
    let order_id = held_order(&mut w);
    assert_eq!(
        refused_as(
            &mut w.h,
            manager(),
            ReleaseCreditHold {
                order_id,
                note: "Good customer".into(),
            }
        ),
        not_authorized("max", "ReleaseCreditHold", &[Role::CreditController])
    );
}

#[test]
fn cancelling_an_order_on_credit_hold_frees_its_exposure() {
    let mut w = World::new();
    let order_id = held_order(&mut w);
    assert_eq!(uninvoiced(&w), dec("100"));
    let outcome = ok_as(
        &mut w.h,
        rep(),
        CancelOrder {
            order_id,
            reason: "Customer cannot pay".into(),
        },
    );
    assert_eq!(
        event(outcome),
        Event::OrderCancelled(OrderCancelled {
            order_id,
            released: vec![],
            reason: "Customer cannot pay".into(),
        })
    );
    assert_eq!(uninvoiced(&w), Decimal::ZERO);
    assert_eq!(
        refused_as(
            &mut w.h,
            controller(),
            ReleaseCreditHold {
                order_id,
                note: "late".into(),
            }
        ),
        DomainError::OrderIsCancelled { order_id }
    );
}

// === who may do what ========================================================================

#[test]
fn the_whole_flow_runs_with_each_step_done_by_its_own_role() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    let warehouse_id = w.warehouse;
    let h = &mut w.h;
    ok_as(
        h,
        controller(),
        SetCreditLimit {
            customer_id: acme,
            credit_limit: Some(usd("500.00")),
            reason: "Review".into(),
        },
    );
    ok_as(
        h,
        picker(),
        ReceiveStock {
            product_id: widget,
            warehouse_id,
            quantity: dec("10"),
            reference: "PO".into(),
        },
    );
    let order_id = h.id();
    ok_as(
        h,
        rep(),
        CreateQuotation {
            order_id,
            customer_id: acme,
            warehouse_id,
            lines: vec![discounted(widget, "10", "20")],
            customer_reference: String::new(),
        },
    );
    ok_as(h, rep(), SendQuotation { order_id });
    ok_as(
        h,
        manager(),
        ApproveDiscount {
            order_id,
            note: "OK".into(),
        },
    );
    ok_as(h, rep(), ConfirmOrder { order_id });
    ok_as(h, picker(), ReserveStock { order_id });
    let shipment_id = h.id();
    ok_as(
        h,
        picker(),
        ShipOrder {
            shipment_id,
            order_id,
            lines: vec![],
        },
    );
    let invoice_id = h.id();
    ok_as(h, clerk(), CreateInvoice { invoice_id, order_id });
    ok_as(h, clerk(), PostInvoice { invoice_id });
    let payment_id = h.id();
    ok_as(
        h,
        clerk(),
        ReceivePayment {
            payment_id,
            customer_id: acme,
            amount: usd("80.00"),
            method: PaymentMethod::Card,
            reference: String::new(),
        },
    );
    ok_as(
        h,
        clerk(),
        AllocatePayment {
            payment_id,
            invoice_id,
            amount: usd("80.00"),
        },
    );
    let c = customer(&w, acme);
    assert_eq!(
        (c.receivable, c.uninvoiced_orders),
        (Decimal::ZERO, Decimal::ZERO)
    );
}

#[test]
fn each_role_is_refused_outside_its_duties() {
    let mut w = World::new();
    let (acme, widget, gadget) = (w.customer, w.widget, w.gadget);
    let warehouse_id = w.warehouse;
    let draft = quotation(&mut w, &[(widget, "1")]);
    receive(&mut w, widget, "5");
    let open = confirmed(&mut w, &[(widget, "5")]);
    reserve(&mut w, open);
    let shipped = delivered(&mut w, &[(gadget, "1")]);
    let draft_invoice: InvoiceId = w.h.id();
    w.h.ok(CreateInvoice {
        invoice_id: draft_invoice,
        order_id: shipped,
    });
    let list = new_price_list(&mut w, "Trade");
    let (new_order, new_customer_id, new_shipment, new_invoice, new_rule) = (
        w.h.id::<OrderId>(),
        w.h.id::<CustomerId>(),
        w.h.id::<ShipmentId>(),
        w.h.id::<InvoiceId>(),
        w.h.id::<PriceRuleId>(),
    );

    use Role::*;
    let cases: Vec<(Actor, Command, &'static str, Vec<Role>)> = vec![
        (
            rep(),
            PostInvoice {
                invoice_id: draft_invoice,
            }
            .into(),
            "PostInvoice",
            vec![BillingClerk],
        ),
        (
            picker(),
            ConfirmOrder { order_id: draft }.into(),
            "ConfirmOrder",
            vec![SalesRep, SalesManager],
        ),
        (
            admin(),
            ConfirmOrder { order_id: draft }.into(),
            "ConfirmOrder",
            vec![SalesRep, SalesManager],
        ),
        (
            clerk(),
            ShipOrder {
                shipment_id: new_shipment,
                order_id: open,
                lines: vec![],
            }
            .into(),
            "ShipOrder",
            vec![WarehouseOperator, WarehouseManager],
        ),
        (
            controller(),
            CreateQuotation {
                order_id: new_order,
                customer_id: acme,
                warehouse_id,
                lines: vec![],
                customer_reference: String::new(),
            }
            .into(),
            "CreateQuotation",
            vec![SalesRep, SalesManager],
        ),
        (
            rep(),
            SetCreditLimit {
                customer_id: acme,
                credit_limit: None,
                reason: "Unlimited!".into(),
            }
            .into(),
            "SetCreditLimit",
            vec![CreditController],
        ),
        (
            rep(),
            UnblockCustomer {
                customer_id: acme,
                reason: "x".into(),
            }
            .into(),
            "UnblockCustomer",
            vec![CreditController],
        ),
        (
            rep(),
            CloseOrder {
                order_id: open,
                reason: "x".into(),
            }
            .into(),
            "CloseOrder",
            vec![SalesManager],
        ),
        (
            manager(),
            ReceiveStock {
                product_id: widget,
                warehouse_id,
                quantity: dec("1"),
                reference: String::new(),
            }
            .into(),
            "ReceiveStock",
            vec![WarehouseOperator, WarehouseManager],
        ),
        (
            picker(),
            CreateInvoice {
                invoice_id: new_invoice,
                order_id: shipped,
            }
            .into(),
            "CreateInvoice",
            vec![BillingClerk],
        ),
        (
            rep(),
            RegisterCustomer {
                customer_id: new_customer_id,
                details: details("Sneaky", 30),
                credit_limit: None,
            }
            .into(),
            "RegisterCustomer",
            vec![SalesManager, Admin],
        ),
        (
            manager(),
            settings(|s| s.discount_approval_threshold = dec("100")).into(),
            "ChangeCompanySettings",
            vec![Admin],
        ),
        (
            clerk(),
            CancelOrder {
                order_id: open,
                reason: "x".into(),
            }
            .into(),
            "CancelOrder",
            vec![SalesRep, SalesManager],
        ),
        (
            rep(),
            AddPriceRule {
                price_list_id: list,
                rule: rule(new_rule, RuleScope::AllProducts, "0", off_list("50")),
            }
            .into(),
            "AddPriceRule",
            vec![SalesManager, Admin],
        ),
        (
            controller(),
            ApproveDiscount {
                order_id: draft,
                note: String::new(),
            }
            .into(),
            "ApproveDiscount",
            vec![SalesManager],
        ),
    ];
    for (actor, command, name, required) in cases {
        let who = actor.id.clone();
        let refusal = refused_as(&mut w.h, actor, command);
        assert_eq!(
            refusal,
            DomainError::NotAuthorized {
                actor: who.clone(),
                command: name,
                company: COMPANY,
                required,
            },
            "{who} issuing {name}"
        );
    }
}

#[test]
fn an_auditor_may_issue_nothing() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    let warehouse_id = w.warehouse;
    receive(&mut w, widget, "5");
    let draft = quotation(&mut w, &[(widget, "1")]);
    let open = confirmed(&mut w, &[(widget, "5")]);
    let (order_id, shipment_id, invoice_id, payment_id) = (
        w.h.id::<OrderId>(),
        w.h.id::<ShipmentId>(),
        w.h.id::<InvoiceId>(),
        w.h.id(),
    );
    let commands: Vec<Command> = vec![
        CreateQuotation {
            order_id,
            customer_id: acme,
            warehouse_id,
            lines: vec![],
            customer_reference: String::new(),
        }
        .into(),
        SendQuotation { order_id: draft }.into(),
        ConfirmOrder { order_id: draft }.into(),
        ApproveDiscount {
            order_id: draft,
            note: String::new(),
        }
        .into(),
        HoldOrder {
            order_id: open,
            reason: "x".into(),
        }
        .into(),
        ReserveStock { order_id: open }.into(),
        ShipOrder {
            shipment_id,
            order_id: open,
            lines: vec![],
        }
        .into(),
        CreateInvoice {
            invoice_id,
            order_id: open,
        }
        .into(),
        ReceivePayment {
            payment_id,
            customer_id: acme,
            amount: usd("1.00"),
            method: PaymentMethod::Cash,
            reference: String::new(),
        }
        .into(),
        BlockCustomer {
            customer_id: acme,
            reason: "x".into(),
        }
        .into(),
        ReleaseCreditHold {
            order_id: open,
            note: "x".into(),
        }
        .into(),
        settings(|_| {}).into(),
    ];
    let policy = Policy::standard();
    for command in commands {
        let name = command.name();
        let refusal = refused_as(&mut w.h, auditor(), command);
        assert_eq!(
            refusal,
            DomainError::NotAuthorized {
                actor: actor_id("ada"),
                command: name,
                company: COMPANY,
                required: policy.roles_for(name).into_iter().collect(),
            }
        );
    }
    // Reading is what an auditor does, and reading needs no command.
    assert_eq!(order(&w, open).status, OrderStatus::Confirmed);
}

#[test]
fn an_actor_of_another_company_only_is_refused_naming_the_company_and_roles() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    let warehouse_id = w.warehouse;
    let elsewhere = CompanyId(Uuid::from_u128(0xe15e));
    let olga = Actor::new(actor_id("olga")).member_of(elsewhere, ALL_ROLES);
    let order_id = w.h.id();
    let refusal = refused_as(
        &mut w.h,
        olga,
        CreateQuotation {
            order_id,
            customer_id: acme,
            warehouse_id,
            lines: requested(&[(widget, "1")]),
            customer_reference: String::new(),
        },
    );
    assert_eq!(
        refusal,
        not_authorized("olga", "CreateQuotation", &[Role::SalesRep, Role::SalesManager])
    );
    // Roles held elsewhere do not count even for a member of both companies.
    let both = person("bea", &[Role::Auditor]).member_of(elsewhere, [Role::SalesRep]);
    let refusal = refused_as(
        &mut w.h,
        both,
        CreateQuotation {
            order_id,
            customer_id: acme,
            warehouse_id,
            lines: vec![],
            customer_reference: String::new(),
        },
    );
    assert_eq!(
        refusal,
        not_authorized("bea", "CreateQuotation", &[Role::SalesRep, Role::SalesManager])
    );
}

#[test]
fn a_replaced_policy_changes_who_may_do_what() {
    let mut w = World::new();
    let widget = w.widget;
    let draft = quotation_by(&mut w, rep(), requested(&[(widget, "1")]));
    let open = confirmed(&mut w, &[(widget, "1")]);

    let mut policy = Policy::standard();
    policy
        .allowed
        .get_mut("HoldOrder")
        .unwrap()
        .insert(Role::SalesRep);
    policy
        .allowed
        .insert("ConfirmOrder".into(), [Role::SalesManager].into_iter().collect());
    policy.allowed.remove("CancelOrder");
    w.h.engine.set_policy(policy);

    let outcome = ok_as(
        &mut w.h,
        rep(),
        HoldOrder {
            order_id: open,
            reason: "Reps may hold now".into(),
        },
    );
    assert_eq!(only(&outcome).actor, actor_id("rita"));
    assert_eq!(
        refused_as(&mut w.h, rep(), ConfirmOrder { order_id: draft }),
        not_authorized("rita", "ConfirmOrder", &[Role::SalesManager])
    );
    assert_eq!(
        w.h.refused(CancelOrder {
            order_id: draft,
            reason: "Nobody may".into(),
        }),
        not_authorized("tester", "CancelOrder", &[])
    );
    ok_as(&mut w.h, manager(), ConfirmOrder { order_id: draft });

    w.h.engine.set_policy(Policy::standard());
    assert_eq!(
        refused_as(
            &mut w.h,
            rep(),
            ReleaseOrder {
                order_id: open,
                reason: "x".into(),
            }
        ),
        not_authorized("rita", "ReleaseOrder", &[Role::SalesManager])
    );
    let again = quotation_by(&mut w, rep(), requested(&[(widget, "1")]));
    ok_as(&mut w.h, rep(), ConfirmOrder { order_id: again });
}

// --- closing the gaps around approvals, price lists and inactive customers -------------------

#[test]
fn nobody_who_changed_the_prices_may_approve_even_after_a_colleagues_later_change() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quotation_by(&mut w, rep(), requested(&[(widget, "10")]));
    // mona sets the discount; the rep then changes only the quantity, becoming the last
    // changer: mona may still not approve her own discount.
    ok_as(
        &mut w.h,
        manager2(),
        SetOrderDiscount {
            order_id,
            discount_percent: dec("30"),
        },
    );
    ok_as(&mut w.h, rep(), change_quantity(order_id, 1, "11", ""));
    assert_eq!(order(&w, order_id).last_changed_by, actor_id("rita"));
    assert_eq!(
        refused_as(
            &mut w.h,
            manager2(),
            ApproveDiscount {
                order_id,
                note: String::new()
            }
        ),
        DomainError::SegregationOfDuties {
            actor: actor_id("mona"),
            order_id,
            duty: Duty::ApproveDiscount
        }
    );
    ok_as(
        &mut w.h,
        manager(),
        ApproveDiscount {
            order_id,
            note: "OK".into(),
        },
    );
    confirm(&mut w, order_id);
}

#[test]
fn moving_only_the_promised_date_of_a_quotation_keeps_its_approval() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quotation_by(&mut w, rep(), vec![discounted(widget, "10", "15")]);
    ok_as(
        &mut w.h,
        manager(),
        ApproveDiscount {
            order_id,
            note: String::new(),
        },
    );
    ok_as(
        &mut w.h,
        rep(),
        ChangeOrderLine {
            order_id,
            line: 1,
            quantity: None,
            discount_percent: None,
            promised_date: Some(date(2026, 4, 1)),
            reason: String::new(),
        },
    );
    assert_eq!(order(&w, order_id).discount_approved_by, Some(actor_id("max")));
    confirm(&mut w, order_id);
}

#[test]
fn an_approval_does_not_cover_a_reason_that_appears_after_it() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = quotation_by(&mut w, rep(), vec![discounted(widget, "10", "15")]);
    ok_as(
        &mut w.h,
        manager(),
        ApproveDiscount {
            order_id,
            note: String::new(),
        },
    );
    // The widget's floor price is raised above the approved net price (10.00 less 15%).
    ok_as(
        &mut w.h,
        admin(),
        ChangeProduct {
            product_id: widget,
            name: "WIDGET".into(),
            category: None,
            list_price: usd("10.00"),
            floor_price: Some(usd("9.00")),
        },
    );
    let refusal = refused_as(&mut w.h, rep(), ConfirmOrder { order_id });
    assert_eq!(
        refusal,
        DomainError::ApprovalRequired {
            order_id,
            reasons: vec![ApprovalReason::BelowFloorPrice {
                line: 1,
                net_price: usd("8.50"),
                floor_price: usd("9.00"),
            }],
        }
    );
    ok_as(
        &mut w.h,
        manager2(),
        ApproveDiscount {
            order_id,
            note: "floor exception".into(),
        },
    );
    confirm(&mut w, order_id);
}

#[test]
fn lines_added_later_are_priced_from_the_quotations_own_list_until_revalidation() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    let first = new_price_list(&mut w, "First");
    add_rule(&mut w, first, RuleScope::Product(widget), "0", fixed("8.00"));
    let second = new_price_list(&mut w, "Second");
    add_rule(&mut w, second, RuleScope::Product(widget), "0", fixed("7.00"));
    let mut acme_details = customer(&w, acme).details;
    acme_details.price_list_id = Some(first);
    ok_as(
        &mut w.h,
        admin(),
        ChangeCustomer {
            customer_id: acme,
            details: acme_details.clone(),
        },
    );
    let order_id = quotation(&mut w, &[(widget, "1")]);
    acme_details.price_list_id = Some(second);
    ok_as(
        &mut w.h,
        admin(),
        ChangeCustomer {
            customer_id: acme,
            details: acme_details,
        },
    );

    w.h.ok(AddQuotationLine {
        order_id,
        product_id: widget,
        quantity: dec("2"),
        discount_percent: Decimal::ZERO,
        promised_date: None,
    });
    let prices: Vec<_> = order(&w, order_id).lines.iter().map(|l| l.unit_price).collect();
    assert_eq!(prices, vec![usd("8.00"), usd("8.00")]);
    assert_eq!(order(&w, order_id).price_list_id, Some(first));

    w.h.ok(RevalidateQuotation { order_id });
    let revalidated = order(&w, order_id);
    assert_eq!(revalidated.price_list_id, Some(second));
    assert!(revalidated.lines.iter().all(|l| l.unit_price == usd("7.00")));
}

#[test]
fn a_quotation_of_a_customer_made_inactive_can_be_neither_revalidated_nor_confirmed() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    let order_id = quotation(&mut w, &[(widget, "1")]);
    ok_as(
        &mut w.h,
        admin(),
        DeactivateCustomer {
            customer_id: acme,
            reason: "closed down".into(),
        },
    );
    let inactive = DomainError::CustomerInactive { customer_id: acme };
    assert_eq!(w.h.refused(RevalidateQuotation { order_id }), inactive);
    assert_eq!(w.h.refused(ConfirmOrder { order_id }), inactive);
}

#[test]
fn a_change_that_changes_nothing_is_refused() {
    let mut w = World::new();
    let widget = w.widget;
    let order_id = confirmed(&mut w, &[(widget, "3")]);
    let same = ChangeOrderLine {
        quantity: Some(dec("3.0")),
        ..change_quantity(order_id, 1, "3", "no change")
    };
    assert_eq!(w.h.refused(same), DomainError::NothingToChange { order_id });
}

#[test]
fn an_empty_quotation_cannot_be_sent() {
    let mut w = World::new();
    let order_id = quotation(&mut w, &[]);
    assert_eq!(
        w.h.refused(SendQuotation { order_id }),
        DomainError::EmptyOrder { order_id }
    );
}

#[test]
fn a_line_added_after_confirmation_below_the_floor_price_is_refused() {
    let mut w = World::new();
    let (widget, gadget) = (w.widget, w.gadget);
    ok_as(
        &mut w.h,
        admin(),
        ChangeProduct {
            product_id: gadget,
            name: "GADGET".into(),
            category: None,
            list_price: usd("2.50"),
            floor_price: Some(usd("2.40")),
        },
    );
    let order_id = quotation_by(&mut w, rep(), requested(&[(widget, "1")]));
    ok_as(
        &mut w.h,
        rep(),
        SetOrderDiscount {
            order_id,
            discount_percent: dec("5"),
        },
    );
    confirm(&mut w, order_id);
    // The order discount takes the gadget to 2.375, under its floor of 2.40.
    let refusal = refused_as(
        &mut w.h,
        rep(),
        AddOrderLine {
            order_id,
            requested: RequestedLine::new(gadget, dec("4")),
            reason: "by phone".into(),
        },
    );
    assert_eq!(
        refusal,
        DomainError::ApprovalRequired {
            order_id,
            reasons: vec![ApprovalReason::BelowFloorPrice {
                line: 2,
                net_price: usd("2.375"),
                floor_price: usd("2.40"),
            }],
        }
    );
}

#[test]
fn reopening_an_order_whose_rest_no_longer_fits_the_limit_puts_it_on_credit_hold() {
    let mut w = World::new();
    let (acme, widget) = (w.customer, w.widget);
    receive(&mut w, widget, "100");
    let order_id = confirmed(&mut w, &[(widget, "900")]);
    reserve(&mut w, order_id);
    ship(&mut w, order_id, &[(1, "100")]);
    ok_as(
        &mut w.h,
        manager(),
        CloseOrder {
            order_id,
            reason: "rest not wanted".into(),
        },
    );
    // Closing freed 800 x 10.00; another order takes that room.
    let other = confirmed(&mut w, &[(widget, "900")]);
    assert_eq!(order(&w, other).credit_hold, None);
    assert_eq!(customer(&w, acme).exposure(), dec("10000"));

    let outcome = ok_as(
        &mut w.h,
        manager(),
        ReopenOrder {
            order_id,
            reason: "customer wants it after all".into(),
        },
    );
    let Event::OrderReopened(reopened) = event(outcome) else {
        panic!("not a reopening")
    };
    assert_eq!(
        reopened.credit_hold,
        Some(CreditHold {
            reasons: vec![CreditHoldReason::OverCreditLimit {
                exposure: usd("18000.00"),
                limit: usd("10000.00")
            }],
        })
    );
    assert_eq!(order(&w, order_id).active_hold(), Some(HoldKind::Credit));
}
