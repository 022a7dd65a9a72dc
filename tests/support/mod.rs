//! Shared test support: a harness that executes commands with deterministic ids and an
//! advancing business clock, checks that refusals change nothing, and a standard world of
//! master data (company, warehouse, customer, products); [`child`] runs crash tests in a
//! child process.
#![allow(dead_code)]
// Test code: a failed expectation panics, which is what a test should do.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod child;

use o2c::chrono::{DateTime, Duration, TimeZone, Utc};
use o2c::company::SetUpCompany;
use o2c::customer::CustomerDetails;
use o2c::customer::RegisterCustomer;
use o2c::invoice::{CreateInvoice, PostInvoice};
use o2c::money::{Currency, CurrencyCode, Money, RoundingRule};
use o2c::order::{ConfirmOrder, CreateQuotation, RequestedLine, ReserveStock};
use o2c::payment::{AllocatePayment, PaymentMethod, ReceivePayment};
use o2c::product::{RegisterProduct, Unit};
use o2c::rust_decimal::Decimal;
use o2c::shipment::ShipOrder;
use o2c::stock::ReceiveStock;
use o2c::uuid::Uuid;
use o2c::warehouse::RegisterWarehouse;
use o2c::{
    Actor, ActorId, Command, CommandContext, CompanyId, CustomerId, DomainError, Engine, Error, Outcome,
    ProductId, Request, Role, WarehouseId,
};

/// The company every harness works in.
pub const COMPANY: CompanyId = CompanyId(Uuid::from_u128(0xc0_0000));

/// Every role.
pub const ALL_ROLES: [Role; 10] = [
    Role::SalesRep,
    Role::SalesManager,
    Role::CreditController,
    Role::WarehouseOperator,
    Role::WarehouseManager,
    Role::BillingClerk,
    Role::Admin,
    Role::Auditor,
    Role::CustomerService,
    Role::CustomerServiceLead,
];

/// An actor holding `roles` in the harness company.
pub fn person(id: &str, roles: &[Role]) -> Actor {
    Actor::new(ActorId::new(id).unwrap()).member_of(COMPANY, roles.iter().copied())
}

/// Customer master data with just a name and a payment term.
pub fn details(name: &str, payment_term_days: u32) -> CustomerDetails {
    CustomerDetails {
        name: name.into(),
        payment_term_days,
        tax_id: None,
        billing_address: None,
        shipping_addresses: Vec::new(),
        group_id: None,
        price_list_id: None,
        tax_treatment: Default::default(),
        backorder_policy: Default::default(),
        payment_term_id: None,
    }
}

/// An exact decimal from text.
pub fn dec(text: &str) -> Decimal {
    text.parse()
        .unwrap_or_else(|e| panic!("bad decimal {text:?}: {e}"))
}

/// US dollars.
pub fn usd(amount: &str) -> Money {
    Money::new(dec(amount), CurrencyCode::new("USD").unwrap())
}

/// Euros (an accepted second currency in the standard world).
pub fn eur(amount: &str) -> Money {
    Money::new(dec(amount), CurrencyCode::new("EUR").unwrap())
}

/// Executes commands with fresh, deterministic command ids and a business clock that
/// advances one minute per command, as `actor` (by default "tester", holding every role in
/// [`COMPANY`]).
pub struct Harness {
    pub engine: Engine,
    pub actor: Actor,
    pub now: DateTime<Utc>,
    next: u128,
}

impl Harness {
    /// A harness on an in-memory engine with nothing in it.
    pub fn empty() -> Self {
        Self::on(Engine::in_memory())
    }

    /// A harness on a given engine.
    pub fn on(engine: Engine) -> Self {
        Self {
            engine,
            actor: person("tester", &ALL_ROLES),
            now: Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap(),
            next: 1,
        }
    }

    /// A fresh id (deterministic: the n-th id of the harness).
    pub fn id<T: From<Uuid>>(&mut self) -> T {
        self.next += 1;
        T::from(Uuid::from_u128(
            0xa000_0000_0000_0000_0000_0000_0000_0000 | self.next,
        ))
    }

    /// The request the next `exec` would send (fresh command id, current clock).
    pub fn request(&mut self, command: impl Into<Command>) -> Request {
        let command_id = self.id::<Uuid>();
        self.now += Duration::minutes(1);
        let ctx = CommandContext::new(command_id, self.actor.clone(), self.now);
        Request::new(ctx, command)
    }

    /// Executes a command.
    pub fn exec(&mut self, command: impl Into<Command>) -> Result<Outcome, Error> {
        let request = self.request(command);
        self.engine.execute(request)
    }

    /// Executes a command that must succeed.
    pub fn ok(&mut self, command: impl Into<Command>) -> Outcome {
        let command = command.into();
        let name = command.name();
        self.exec(command)
            .unwrap_or_else(|e| panic!("{name} failed: {e}"))
    }

    /// Executes a command that must be refused by a business rule, asserts that nothing was
    /// appended and the book did not change, and returns the refusal.
    pub fn refused(&mut self, command: impl Into<Command>) -> DomainError {
        let head = self.engine.head();
        let digest = self.engine.state_digest().unwrap();
        let command = command.into();
        let name = command.name();
        let error = match self.exec(command) {
            Err(Error::Rejected(e)) => e,
            Err(other) => panic!("{name}: expected a domain refusal, got {other}"),
            Ok(outcome) => panic!("{name}: expected a refusal, got {:?}", outcome.events),
        };
        assert_eq!(self.engine.head(), head, "{name} was refused but the log moved");
        assert_eq!(
            self.engine.state_digest().unwrap(),
            digest,
            "{name} was refused but the book changed"
        );
        error
    }

    /// Runs `f` with `actor` as the current actor, then restores the previous one.
    pub fn as_actor<R>(&mut self, actor: Actor, f: impl FnOnce(&mut Self) -> R) -> R {
        let previous = std::mem::replace(&mut self.actor, actor);
        let result = f(self);
        self.actor = previous;
        result
    }

    /// Moves the business clock forward.
    pub fn advance_days(&mut self, days: i64) {
        self.now += Duration::days(days);
    }
}

/// The standard master data most tests start from.
pub struct World {
    pub h: Harness,
    pub warehouse: WarehouseId,
    pub customer: CustomerId,
    /// 10.00 USD per piece (0 decimals).
    pub widget: ProductId,
    /// 2.50 USD per piece (0 decimals).
    pub gadget: ProductId,
    /// 4.00 USD per kg (3 decimals).
    pub flour: ProductId,
}

impl World {
    /// The standard world on an in-memory engine.
    pub fn new() -> Self {
        Self::on(Engine::in_memory())
    }

    /// The standard world on a given (empty) engine: company "Test Distribution" in USD
    /// (2 decimals) accepting EUR, half away from zero; warehouse WH-1; customer "Acme"
    /// (net 30, credit limit 10,000.00 USD); products widget, gadget, flour.
    pub fn on(engine: Engine) -> Self {
        let mut h = Harness::on(engine);
        let usd_currency = Currency {
            code: CurrencyCode::new("USD").unwrap(),
            decimals: 2,
        };
        let eur_currency = Currency {
            code: CurrencyCode::new("EUR").unwrap(),
            decimals: 2,
        };
        h.ok(SetUpCompany {
            company_id: COMPANY,
            name: "Test Distribution".into(),
            base_currency: usd_currency,
            other_currencies: vec![eur_currency],
            rounding: RoundingRule::HalfAwayFromZero,
            settings: Default::default(),
        });
        let warehouse = h.id();
        h.ok(RegisterWarehouse {
            warehouse_id: warehouse,
            code: "WH-1".into(),
            name: "Main".into(),
            route: Default::default(),
            reservation: Default::default(),
        });
        let customer = h.id();
        h.ok(RegisterCustomer {
            customer_id: customer,
            details: details("Acme", 30),
            credit_limit: Some(usd("10000.00")),
        });
        let product = |h: &mut Harness, sku: &str, unit: &str, decimals: u32, price: &str| {
            let product_id = h.id();
            h.ok(RegisterProduct {
                product_id,
                sku: sku.into(),
                name: sku.into(),
                unit: Unit {
                    code: unit.into(),
                    decimals,
                },
                list_price: usd(price),
                category: None,
                floor_price: None,
                tracking: Default::default(),
                substitutes: vec![],
                invoice_policy: Default::default(),
                taxes: vec![],
            });
            product_id
        };
        let widget = product(&mut h, "WIDGET", "pcs", 0, "10.00");
        let gadget = product(&mut h, "GADGET", "pcs", 0, "2.50");
        let flour = product(&mut h, "FLOUR", "kg", 3, "4.00");
        Self {
            h,
            warehouse,
            customer,
            widget,
            gadget,
            flour,
        }
    }
}

/// A property test's configuration: `cases` cases unless `PROPTEST_CASES` asks for another
/// number (a longer hunt), and no persisted failures: a failure is reported with its shrunk
/// sequence and becomes a named test.
pub fn proptest_config(cases: u32) -> proptest::test_runner::Config {
    proptest::test_runner::Config {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(cases),
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    }
}

impl World {
    /// Runs one order from quotation to paid invoice: widgets received, a quotation for
    /// widgets and flour confirmed, reserved, shipped, invoiced, posted and paid in full.
    pub fn one_order(&mut self) {
        let h = &mut self.h;
        h.ok(ReceiveStock {
            product_id: self.widget,
            warehouse_id: self.warehouse,
            quantity: dec("5"),
            reference: "PO-1".into(),
            location_id: None,
            lots: vec![],
        });
        let order_id = h.id();
        h.ok(CreateQuotation {
            order_id,
            customer_id: self.customer,
            warehouse_id: self.warehouse,
            lines: vec![
                RequestedLine::new(self.widget, dec("8")),
                RequestedLine::new(self.flour, dec("0.125")),
            ],
            customer_reference: String::new(),
            shipping_policy: Default::default(),
            backorder_policy: None,
            urgent: false,
        });
        h.ok(ConfirmOrder { order_id });
        h.ok(ReserveStock { order_id });
        let shipment_id = h.id();
        h.ok(ShipOrder {
            shipment_id,
            order_id,
            lines: vec![],
            warehouse_id: None,
            carrier: String::new(),
            tracking_reference: String::new(),
        });
        let invoice_id = h.id();
        h.ok(CreateInvoice {
            invoice_id,
            order_id,
            additional_orders: vec![],
            currency: None,
        });
        h.ok(PostInvoice { invoice_id });
        let payment_id = h.id();
        h.ok(ReceivePayment {
            payment_id,
            customer_id: self.customer,
            amount: usd("50.00"),
            method: PaymentMethod::BankTransfer,
            reference: "r".into(),
        });
        h.ok(AllocatePayment {
            payment_id,
            invoice_id,
            amount: usd("50.00"),
            installment: None,
        });
    }
}
