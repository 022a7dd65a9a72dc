//! Property tests: random command sequences keep the book's invariants, refusals change
//! nothing, and the stored log rebuilds the live book on both stores.
//!
//! Each case sets up one company (USD, accepting EUR), two warehouses, three customers
//! (no credit limit, a large one, a small one) and four products (two counted in pieces,
//! two weighed to the gram), then executes a random sequence of up to 40 operations drawn
//! over small id pools, so that ids collide and many commands are refused: receipts,
//! quotations (0-3 lines) and added lines, confirmations, reservations, shipments
//! (everything reserved, or explicit line quantities, sometimes more than reserved),
//! invoices (create, post, cancel), payments (sometimes in EUR) and allocations (sometimes
//! more than is open), clock moves across a year end, repeats of the previous command id,
//! and "progress" steps that take an open order one step further along the flow, so that
//! whole quotation-to-allocated-payment flows are common (a plain test below checks that
//! the generator reaches every event and both years).
//!
//! For every command:
//! - a refusal (`Error::Rejected`) changes nothing: same log head, same state digest;
//! - an acceptance appends at least one event, right after the old head, and those are the
//!   events the store now holds there;
//! - a repeated command id returns the original outcome and appends nothing; a reused id
//!   with a different body is refused;
//! - after an acceptance the book keeps its invariants: per product and warehouse
//!   `0 <= reserved <= on_hand`, on hand == received - shipped (from the events seen),
//!   reserved == what the orders hold; per order line `reserved + delivered <= quantity`
//!   and `invoiced + invoicing <= delivered`, each figure equal to what the shipments and
//!   draft/posted invoices say; each invoice line amount is quantity x unit price rounded
//!   half away from zero to cents, the total is the sum of its lines, `0 <= paid <= total`
//!   and paid equals the allocations; per payment `0 <= allocated <= amount`; per customer
//!   the running receivable and uninvoiced order value (the credit exposure) equal their
//!   recomputation from posted invoices and confirmed orders; the posted invoice numbers of
//!   each year are exactly 1..n, dated and due as their posting and the payment term say;
//!   a confirmation's exposure is within the credit limit.
//!
//! After the sequence, on the in-memory store and on sled: replaying the stored log into a
//! fresh `Book` rebuilds the live book exactly (same head, same digest), the hash chain
//! verifies, every stream reads back as its slice of the log, and an engine built with
//! `Engine::with_store` on a fresh `MemoryStore` holding those events has the same book.
//! On sled (buffered durability) the sequence is split by a close and reopen: the reopened
//! engine has the same book and head and goes on chaining from it; and the same commands
//! on an in-memory engine give the same outcomes and the same book (apart from the head
//! hash, which covers the recording time).
//!
//! Cases: 256 in memory, 48 on sled; proptest's `PROPTEST_CASES` overrides both.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Display;
use std::path::Path;

use o2c::chrono::{Datelike, Duration, TimeZone, Utc};
use o2c::company::SetUpCompany;
use o2c::customer::RegisterCustomer;
use o2c::envelope::{Commit, SealedEvent};
use o2c::invoice::{CancelInvoice, CreateInvoice, Invoice, InvoiceStatus, PostInvoice};
use o2c::money::{Currency, CurrencyCode, Money, RoundingRule};
use o2c::order::{
    AddQuotationLine, ConfirmOrder, CreateQuotation, CreditHoldReason, LineQuantity, OrderStatus,
    RequestedLine, ReserveStock, SalesOrder,
};
use o2c::payment::{AllocatePayment, Payment, PaymentMethod, ReceivePayment};
use o2c::product::{RegisterProduct, Unit};
use o2c::projections::{Aging, Backlog, Buckets, CreditHolds, Projections};
use o2c::rust_decimal::{Decimal, RoundingStrategy};
use o2c::shipment::{ShipLine, ShipOrder};
use o2c::stock::ReceiveStock;
use o2c::uuid::Uuid;
use o2c::warehouse::RegisterWarehouse;
use o2c::{
    Book, ChainVerifier, Command, CustomerId, DomainError, Durability, Engine, EngineOptions, Error, Event,
    EventStore, Hash, InvoiceId, MemoryStore, OrderId, PaymentId, ProductId, RecordedEvent, Request,
    ShipmentId, SledOptions, StreamId, WarehouseId,
};
use proptest::prelude::*;
use proptest::strategy::{Union, ValueTree};
use proptest::test_runner::{TestCaseError, TestRunner};
use support::{Harness, dec};

// --- ids -------------------------------------------------------------------------------

const CUSTOMERS: usize = 3;
const PRODUCTS: usize = 4;
const WAREHOUSES: usize = 2;
const ORDERS: usize = 6;
const SHIPMENTS: usize = 6;
const INVOICES: usize = 6;
const PAYMENTS: usize = 4;

const CUSTOMER: u128 = 2;
const PRODUCT: u128 = 3;
const WAREHOUSE: u128 = 4;
const ORDER: u128 = 5;
const SHIPMENT: u128 = 6;
const INVOICE: u128 = 7;
const PAYMENT: u128 = 8;

fn raw(kind: u128, index: usize) -> Uuid {
    Uuid::from_u128(0xb000_0000_0000_0000_0000_0000_0000_0000 | (kind << 32) | index as u128)
}

/// Index `i` of a pool of `n`; `i == n` (the generator's "odd one") names an id of another
/// kind: never registered as this kind, and already taken when used for a new document.
fn pooled<T: From<Uuid>>(kind: u128, i: usize, n: usize, other: u128) -> T {
    T::from(if i < n { raw(kind, i) } else { raw(other, 0) })
}

fn customer(i: usize) -> CustomerId {
    pooled(CUSTOMER, i, CUSTOMERS, ORDER)
}

fn product(i: usize) -> ProductId {
    pooled(PRODUCT, i, PRODUCTS, CUSTOMER)
}

fn warehouse(i: usize) -> WarehouseId {
    pooled(WAREHOUSE, i, WAREHOUSES, PRODUCT)
}

fn order(i: usize) -> OrderId {
    pooled(ORDER, i, ORDERS, CUSTOMER)
}

fn shipment(i: usize) -> ShipmentId {
    pooled(SHIPMENT, i, SHIPMENTS, ORDER)
}

fn invoice(i: usize) -> InvoiceId {
    pooled(INVOICE, i, INVOICES, ORDER)
}

fn payment(i: usize) -> PaymentId {
    pooled(PAYMENT, i, PAYMENTS, INVOICE)
}

fn code(text: &str) -> Result<CurrencyCode, TestCaseError> {
    CurrencyCode::new(text).map_err(fail)
}

fn fail(e: impl Display) -> TestCaseError {
    TestCaseError::fail(e.to_string())
}

// --- operations ------------------------------------------------------------------------

/// A reference to an existing document, resolved when the operation runs: either a pool
/// index (see [`pooled`]; the document may not exist) or the k-th (modulo their number)
/// document of that kind in the book, so that documents often go the whole way from
/// quotation to allocated payment while other references miss and get refused.
#[derive(Clone, Copy, Debug)]
enum Ref {
    Pool(usize),
    Existing(usize),
}

/// The id a reference names: a pool id, or the k-th (modulo their number) of the documents
/// that fit the command, else of all documents of the kind, else a pool id.
fn choose<T: Copy>(r: Ref, pool: fn(usize) -> T, fitting: &[T], all: &[T]) -> T {
    match r {
        Ref::Pool(i) => pool(i),
        Ref::Existing(k) => fitting
            .get(k % fitting.len().max(1))
            .or_else(|| all.get(k % all.len().max(1)))
            .copied()
            .unwrap_or_else(|| pool(k)),
    }
}

/// Where a receipt goes: a pool product and warehouse, or the product and warehouse of the
/// k-th (modulo their number) order line in the book.
#[derive(Clone, Copy, Debug)]
enum Dest {
    Pool { product: usize, warehouse: usize },
    OrderLine(usize),
}

/// How much of an order line a shipment asks for, resolved against the line when run.
#[derive(Clone, Debug)]
enum ShipQty {
    /// Everything reserved for the line.
    Reserved,
    /// A given quantity.
    Exactly(Decimal),
    /// One unit more than is reserved.
    BeyondReserved,
}

/// How much an allocation asks for, resolved against the invoice and payment when run.
#[derive(Clone, Debug)]
enum AllocQty {
    /// The invoice's open amount.
    Open,
    /// As much as both the invoice and the payment allow.
    Settle,
    /// A cent more than the invoice's open amount.
    OpenPlusCent,
    /// A given amount.
    Exactly(Decimal),
}

#[derive(Clone, Debug)]
enum Op {
    ReceiveStock {
        dest: Dest,
        quantity: Decimal,
    },
    CreateQuotation {
        order: usize,
        customer: usize,
        warehouse: usize,
        lines: Vec<(usize, Decimal)>,
    },
    AddQuotationLine {
        order: Ref,
        product: usize,
        quantity: Decimal,
    },
    ConfirmOrder {
        order: Ref,
    },
    ReserveStock {
        order: Ref,
    },
    ShipOrder {
        shipment: usize,
        order: Ref,
        lines: Vec<(u32, ShipQty)>,
    },
    CreateInvoice {
        invoice: usize,
        order: Ref,
    },
    PostInvoice {
        invoice: Ref,
    },
    CancelInvoice {
        invoice: Ref,
        blank_reason: bool,
    },
    ReceivePayment {
        payment: usize,
        customer: usize,
        amount: Decimal,
        euro: bool,
    },
    AllocatePayment {
        payment: Ref,
        invoice: Ref,
        amount: AllocQty,
        euro: bool,
    },
    /// Takes the k-th unfinished order (modulo their number) one step further along the
    /// flow: add a line, confirm, receive missing stock, reserve, ship, invoice, post,
    /// receive a payment, allocate it. New documents take pool index `id`, which may be
    /// taken already. This keeps whole flows common in sequences of a few dozen operations.
    Progress {
        order: usize,
        id: usize,
    },
    /// Moves the business clock forward (invoices are numbered per calendar year).
    NextDays(i64),
    /// Sends the previous request again under its command id, unchanged or with another body.
    Repeat {
        altered: bool,
    },
}

/// An index into a pool of `n`, now and then `n` itself (see [`pooled`]).
fn pick(n: usize) -> impl Strategy<Value = usize> + Clone {
    prop_oneof![15 => 0..n, 1 => Just(n)]
}

/// A reference into a pool of `n` documents: a third by pool index, the rest by state.
fn reference(n: usize) -> impl Strategy<Value = Ref> + Clone {
    prop_oneof![
        1 => pick(n).prop_map(Ref::Pool),
        2 => (0..8usize).prop_map(Ref::Existing),
    ]
}

/// Order quantities: mostly whole units, often grams (refused for pieces), now and then
/// too precise for any unit, zero or negative.
fn quantity() -> impl Strategy<Value = Decimal> + Clone {
    prop_oneof![
        20 => (1i64..=5).prop_map(Decimal::from),
        4 => (1i64..=5000).prop_map(|m| Decimal::new(m, 3)),
        1 => prop_oneof![
            (1i64..=50000).prop_map(|m| Decimal::new(m, 4)),
            Just(Decimal::ZERO),
            Just(Decimal::NEGATIVE_ONE),
        ],
    ]
}

/// A product and a quantity for it: mostly valid for the product's unit, now and then not.
fn product_line() -> impl Strategy<Value = (usize, Decimal)> + Clone {
    pick(PRODUCTS).prop_flat_map(|p| {
        // Tenths often land on a rounding midpoint with the 4.05 and 0.33 prices.
        let grams = prop_oneof![
            (1i64..=5000).prop_map(|m| Decimal::new(m, 3)),
            (1i64..=50).prop_map(|t| Decimal::new(t, 1)),
        ];
        let quantity = if p < 2 {
            prop_oneof![12 => (1i64..=5).prop_map(Decimal::from), 1 => grams, 1 => quantity()].boxed()
        } else {
            prop_oneof![4 => (1i64..=5).prop_map(Decimal::from), 8 => grams, 1 => quantity()].boxed()
        };
        (Just(p), quantity)
    })
}

/// Received quantities: whole units, grams or tenths, now and then zero (refused).
fn receipt() -> impl Strategy<Value = Decimal> + Clone {
    prop_oneof![
        6 => (1i64..=12).prop_map(Decimal::from),
        2 => (1i64..=12000).prop_map(|m| Decimal::new(m, 3)),
        1 => (1i64..=120).prop_map(|t| Decimal::new(t, 1)),
        1 => Just(Decimal::ZERO),
    ]
}

/// Money amounts: mostly whole cents, now and then sub-cent (refused) or zero.
fn amount() -> impl Strategy<Value = Decimal> + Clone {
    prop_oneof![
        12 => (1i64..=20000).prop_map(|c| Decimal::new(c, 2)),
        1 => (1i64..=20000).prop_map(|m| Decimal::new(m, 3)),
        1 => Just(Decimal::ZERO),
    ]
}

fn ship_qty() -> impl Strategy<Value = ShipQty> + Clone {
    prop_oneof![
        3 => Just(ShipQty::Reserved),
        3 => quantity().prop_map(ShipQty::Exactly),
        1 => Just(ShipQty::BeyondReserved),
    ]
}

fn alloc_qty() -> impl Strategy<Value = AllocQty> + Clone {
    prop_oneof![
        3 => Just(AllocQty::Open),
        3 => Just(AllocQty::Settle),
        1 => Just(AllocQty::OpenPlusCent),
        3 => amount().prop_map(AllocQty::Exactly),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    let dest = prop_oneof![
        1 => (pick(PRODUCTS), pick(WAREHOUSES)).prop_map(|(product, warehouse)| Dest::Pool { product, warehouse }),
        1 => (0..8usize).prop_map(Dest::OrderLine),
    ];
    let lines = prop_oneof![
        1 => Just(0usize),
        4 => 1usize..=3,
    ]
    .prop_flat_map(|n| proptest::collection::vec(product_line(), n));
    let ship_lines = prop_oneof![
        2 => Just(Vec::new()),
        1 => proptest::collection::vec((1u32..=4, ship_qty()), 1..=2),
    ];
    let euro = proptest::bool::weighted;
    let arms: Vec<(u32, BoxedStrategy<Op>)> = vec![
        (
            5,
            (dest, receipt())
                .prop_map(|(dest, quantity)| Op::ReceiveStock { dest, quantity })
                .boxed(),
        ),
        (
            7,
            (pick(ORDERS), pick(CUSTOMERS), pick(WAREHOUSES), lines)
                .prop_map(|(order, customer, warehouse, lines)| Op::CreateQuotation {
                    order,
                    customer,
                    warehouse,
                    lines,
                })
                .boxed(),
        ),
        (
            2,
            (reference(ORDERS), product_line())
                .prop_map(|(order, (product, quantity))| Op::AddQuotationLine {
                    order,
                    product,
                    quantity,
                })
                .boxed(),
        ),
        (
            5,
            reference(ORDERS)
                .prop_map(|order| Op::ConfirmOrder { order })
                .boxed(),
        ),
        (
            4,
            reference(ORDERS)
                .prop_map(|order| Op::ReserveStock { order })
                .boxed(),
        ),
        (
            4,
            (pick(SHIPMENTS), reference(ORDERS), ship_lines)
                .prop_map(|(shipment, order, lines)| Op::ShipOrder {
                    shipment,
                    order,
                    lines,
                })
                .boxed(),
        ),
        (
            4,
            (pick(INVOICES), reference(ORDERS))
                .prop_map(|(invoice, order)| Op::CreateInvoice { invoice, order })
                .boxed(),
        ),
        (
            4,
            reference(INVOICES)
                .prop_map(|invoice| Op::PostInvoice { invoice })
                .boxed(),
        ),
        (
            3,
            (reference(INVOICES), proptest::bool::weighted(0.2))
                .prop_map(|(invoice, blank_reason)| Op::CancelInvoice {
                    invoice,
                    blank_reason,
                })
                .boxed(),
        ),
        (
            3,
            (pick(PAYMENTS), pick(CUSTOMERS), amount(), euro(0.1))
                .prop_map(|(payment, customer, amount, euro)| Op::ReceivePayment {
                    payment,
                    customer,
                    amount,
                    euro,
                })
                .boxed(),
        ),
        (
            4,
            (reference(PAYMENTS), reference(INVOICES), alloc_qty(), euro(0.05))
                .prop_map(|(payment, invoice, amount, euro)| Op::AllocatePayment {
                    payment,
                    invoice,
                    amount,
                    euro,
                })
                .boxed(),
        ),
        (
            30,
            (0..8usize, 0..=SHIPMENTS.max(INVOICES))
                .prop_map(|(order, id)| Op::Progress { order, id })
                .boxed(),
        ),
        (2, (1i64..=3).prop_map(Op::NextDays).boxed()),
        (
            1,
            proptest::bool::weighted(0.3)
                .prop_map(|altered| Op::Repeat { altered })
                .boxed(),
        ),
    ];
    Union::new_weighted(arms)
}

fn ops(max: usize) -> impl Strategy<Value = Vec<Op>> {
    proptest::collection::vec(op(), 1..=max)
}

/// The next step of the k-th unfinished order (see [`Op::Progress`]).
fn progress(book: &Book, k: usize, id: usize) -> Command {
    let steps: Vec<Command> = book.orders().filter_map(|o| next_step(book, o, id)).collect();
    match steps.get(k % steps.len().max(1)) {
        Some(step) => step.clone(),
        // Nothing to do: start a quotation (the id may be taken).
        None => CreateQuotation {
            order_id: order(id % (ORDERS + 1)),
            customer_id: customer(k % CUSTOMERS),
            warehouse_id: warehouse(k % WAREHOUSES),
            lines: vec![RequestedLine::new(
                product(k % PRODUCTS),
                handy_quantity(k % PRODUCTS),
            )],
            customer_reference: String::new(),
            shipping_policy: Default::default(),
            backorder_policy: None,
            urgent: false,
        }
        .into(),
    }
}

/// A valid quantity of pool product `p`; for the weighed products one whose amount lies on
/// a rounding midpoint (2.5 kg x 4.05 = 10.125, 2.5 kg x 0.33 = 0.825).
fn handy_quantity(p: usize) -> Decimal {
    if p < 2 {
        Decimal::from(2)
    } else {
        Decimal::new(25, 1)
    }
}

/// The next step along the flow for one order, if it has one.
fn next_step(book: &Book, o: &SalesOrder, id: usize) -> Option<Command> {
    let zero = Decimal::ZERO;
    let usd = book.company()?.base_currency.code;
    if o.status == OrderStatus::Draft {
        if o.lines.is_empty() {
            let p = id % PRODUCTS;
            return Some(
                AddQuotationLine {
                    order_id: o.id,
                    product_id: product(p),
                    quantity: handy_quantity(p),
                    discount_percent: Decimal::ZERO,
                    promised_date: None,
                    unit: None,
                    warehouse_id: None,
                }
                .into(),
            );
        }
        return Some(ConfirmOrder { order_id: o.id }.into());
    }
    let invoices: Vec<&Invoice> = book.invoices().filter(|i| i.order_id == o.id).collect();
    if let Some(draft) = invoices.iter().find(|i| i.status == InvoiceStatus::Draft) {
        // Now and then the draft is cancelled instead, and a new one is made next.
        if id % 4 == 3 {
            return Some(
                CancelInvoice {
                    invoice_id: draft.id,
                    reason: "wrong quantities".into(),
                }
                .into(),
            );
        }
        return Some(PostInvoice { invoice_id: draft.id }.into());
    }
    if let Some(open) = invoices.iter().find(|i| i.open_amount().amount > zero) {
        let open_amount = open.open_amount().amount;
        let credit = book.payments().find(|p| {
            p.customer_id == open.customer_id && p.amount.currency == usd && p.unallocated().amount > zero
        });
        return Some(match credit {
            Some(p) => AllocatePayment {
                payment_id: p.id,
                invoice_id: open.id,
                amount: Money::new(open_amount.min(p.unallocated().amount), usd),
                installment: None,
            }
            .into(),
            None => ReceivePayment {
                payment_id: payment(id % (PAYMENTS + 1)),
                customer_id: o.customer_id,
                amount: Money::new(open_amount, usd),
                method: PaymentMethod::Card,
                reference: String::new(),
            }
            .into(),
        });
    }
    if o.lines.iter().any(|l| l.to_invoice() > zero) {
        return Some(
            CreateInvoice {
                invoice_id: invoice(id % (INVOICES + 1)),
                order_id: o.id,
                additional_orders: vec![],
                currency: None,
            }
            .into(),
        );
    }
    if o.lines.iter().any(|l| l.reserved > zero) {
        return Some(
            ShipOrder {
                shipment_id: shipment(id % (SHIPMENTS + 1)),
                order_id: o.id,
                lines: Vec::new(),
                warehouse_id: None,
                carrier: String::new(),
                tracking_reference: String::new(),
            }
            .into(),
        );
    }
    let line = o.lines.iter().find(|l| l.unreserved() > zero)?;
    let available = book.stock_level(line.product_id, o.warehouse_id).available();
    if available <= zero {
        return Some(
            ReceiveStock {
                product_id: line.product_id,
                warehouse_id: o.warehouse_id,
                quantity: line.unreserved(),
                reference: String::new(),
                location_id: None,
                lots: vec![],
            }
            .into(),
        );
    }
    Some(ReserveStock { order_id: o.id }.into())
}

// --- running ---------------------------------------------------------------------------

/// What the test saw: running totals from the accepted events, the previous request and
/// its outcome, and every command's outcome (event count or refusal).
#[derive(Default)]
struct Tracker {
    received: BTreeMap<(ProductId, WarehouseId), Decimal>,
    shipped: BTreeMap<(ProductId, WarehouseId), Decimal>,
    delivered: BTreeMap<(OrderId, u32), Decimal>,
    shipments: BTreeMap<ShipmentId, Vec<LineQuantity>>,
    last: Option<(Request, Result<Vec<RecordedEvent>, DomainError>)>,
    outcomes: Vec<Result<usize, DomainError>>,
    events_seen: BTreeMap<&'static str, usize>,
    posted_years: BTreeSet<i32>,
}

struct Run {
    h: Harness,
    t: Tracker,
}

impl Run {
    /// Sets up the master data on an empty engine. The clock starts shortly before a year
    /// end so that some sequences post invoices in two years.
    fn start(engine: Engine) -> Result<Self, TestCaseError> {
        let mut h = Harness::on(engine);
        h.now = Utc
            .with_ymd_and_hms(2026, 12, 30, 9, 0, 0)
            .single()
            .ok_or_else(|| fail("bad date"))?;
        let mut run = Self {
            h,
            t: Tracker::default(),
        };
        let usd = Currency {
            code: code("USD")?,
            decimals: 2,
        };
        let eur = Currency {
            code: code("EUR")?,
            decimals: 2,
        };
        run.setup(SetUpCompany {
            company_id: support::COMPANY,
            name: "Property Distribution".into(),
            base_currency: usd,
            other_currencies: vec![eur],
            rounding: RoundingRule::HalfAwayFromZero,
            settings: Default::default(),
        })?;
        for i in 0..WAREHOUSES {
            run.setup(RegisterWarehouse {
                warehouse_id: warehouse(i),
                code: format!("WH-{i}"),
                name: format!("Warehouse {i}"),
                route: Default::default(),
                reservation: Default::default(),
            })?;
        }
        let customers = [(None, 0), (Some("2000.00"), 30), (Some("25.00"), 60)];
        for (i, (limit, term)) in customers.into_iter().enumerate() {
            run.setup(RegisterCustomer {
                customer_id: customer(i),
                details: support::details(&format!("Customer {i}"), term),
                credit_limit: limit.map(|l| Money::new(dec(l), usd.code)),
            })?;
        }
        let products = [
            ("pcs", 0, "10.00"),
            ("pcs", 0, "2.49"),
            ("kg", 3, "4.05"),
            ("kg", 3, "0.33"),
        ];
        for (i, (unit, decimals, price)) in products.into_iter().enumerate() {
            run.setup(RegisterProduct {
                product_id: product(i),
                sku: format!("SKU-{i}"),
                name: format!("Product {i}"),
                unit: Unit {
                    code: unit.into(),
                    decimals,
                },
                list_price: Money::new(dec(price), usd.code),
                category: None,
                floor_price: None,
                tracking: Default::default(),
                substitutes: vec![],
                invoice_policy: Default::default(),
                taxes: vec![],
            })?;
        }
        Ok(run)
    }

    fn setup(&mut self, command: impl Into<Command>) -> Result<(), TestCaseError> {
        let request = self.h.request(command);
        self.h.engine.execute(request).map_err(fail)?;
        Ok(())
    }

    fn engine(&self) -> &Engine {
        &self.h.engine
    }

    /// The order a reference names; `fits` says which orders the command can apply to.
    fn order_ref(&self, r: Ref, fits: impl Fn(&SalesOrder) -> bool) -> OrderId {
        self.engine().read(|book| {
            let all: Vec<_> = book.orders().map(|o| o.id).collect();
            let fitting: Vec<_> = book.orders().filter(|o| fits(o)).map(|o| o.id).collect();
            choose(r, order, &fitting, &all)
        })
    }

    /// The invoice a reference names; `fits` says which invoices the command can apply to.
    fn invoice_ref(&self, r: Ref, fits: impl Fn(&Invoice) -> bool) -> InvoiceId {
        self.engine().read(|book| {
            let all: Vec<_> = book.invoices().map(|i| i.id).collect();
            let fitting: Vec<_> = book.invoices().filter(|i| fits(i)).map(|i| i.id).collect();
            choose(r, invoice, &fitting, &all)
        })
    }

    /// The payment a reference names; `fits` says which payments the command can apply to.
    fn payment_ref(&self, r: Ref, fits: impl Fn(&Payment) -> bool) -> PaymentId {
        self.engine().read(|book| {
            let all: Vec<_> = book.payments().map(|p| p.id).collect();
            let fitting: Vec<_> = book.payments().filter(|p| fits(p)).map(|p| p.id).collect();
            choose(r, payment, &fitting, &all)
        })
    }

    /// Turns an operation into a command, reading the book where an id, a quantity or an
    /// amount is relative to the current state.
    fn command(&self, op: &Op) -> Result<Command, TestCaseError> {
        let usd = code("USD")?;
        let eur = code("EUR")?;
        Ok(match op.clone() {
            Op::ReceiveStock { dest, quantity } => {
                let (product_id, warehouse_id) = match dest {
                    Dest::Pool {
                        product: p,
                        warehouse: w,
                    } => (product(p), warehouse(w)),
                    Dest::OrderLine(k) => self.engine().read(|book| {
                        let lines: Vec<_> = book
                            .orders()
                            .flat_map(|o| o.lines.iter().map(move |l| (l.product_id, o.warehouse_id)))
                            .collect();
                        if lines.is_empty() {
                            (product(k % PRODUCTS), warehouse(0))
                        } else {
                            lines[k % lines.len()]
                        }
                    }),
                };
                ReceiveStock {
                    product_id,
                    warehouse_id,
                    quantity,
                    reference: String::new(),
                    location_id: None,
                    lots: vec![],
                }
                .into()
            }
            Op::CreateQuotation {
                order: o,
                customer: c,
                warehouse: w,
                lines,
            } => CreateQuotation {
                order_id: order(o),
                customer_id: customer(c),
                warehouse_id: warehouse(w),
                lines: lines
                    .into_iter()
                    .map(|(p, quantity)| RequestedLine::new(product(p), quantity))
                    .collect(),
                customer_reference: format!("PO-{o}"),
                shipping_policy: Default::default(),
                backorder_policy: None,
                urgent: false,
            }
            .into(),
            Op::AddQuotationLine {
                order: o,
                product: p,
                quantity,
            } => AddQuotationLine {
                order_id: self.order_ref(o, |o| o.status == OrderStatus::Draft),
                product_id: product(p),
                quantity,
                discount_percent: Decimal::ZERO,
                promised_date: None,
                unit: None,
                warehouse_id: None,
            }
            .into(),
            Op::ConfirmOrder { order: o } => ConfirmOrder {
                order_id: self.order_ref(o, |o| o.status == OrderStatus::Draft && !o.lines.is_empty()),
            }
            .into(),
            Op::ReserveStock { order: o } => ReserveStock {
                order_id: self.order_ref(o, |o| {
                    o.status == OrderStatus::Confirmed
                        && o.lines.iter().any(|l| l.unreserved() > Decimal::ZERO)
                }),
            }
            .into(),
            Op::ShipOrder {
                shipment: s,
                order: o,
                lines,
            } => {
                let order_id = self.order_ref(o, |o| o.lines.iter().any(|l| l.reserved > Decimal::ZERO));
                let lines = self.engine().read(|book| {
                    lines
                        .iter()
                        .map(|(line, qty)| {
                            let reserved = book
                                .order(order_id)
                                .and_then(|order| order.line(*line))
                                .map_or(Decimal::ZERO, |l| l.reserved);
                            let quantity = match qty {
                                ShipQty::Reserved => reserved,
                                ShipQty::Exactly(q) => *q,
                                ShipQty::BeyondReserved => reserved + Decimal::ONE,
                            };
                            ShipLine {
                                line: *line,
                                quantity,
                            }
                        })
                        .collect()
                });
                ShipOrder {
                    shipment_id: shipment(s),
                    order_id,
                    lines,
                    warehouse_id: None,
                    carrier: String::new(),
                    tracking_reference: String::new(),
                }
                .into()
            }
            Op::CreateInvoice { invoice: i, order: o } => CreateInvoice {
                invoice_id: invoice(i),
                order_id: self.order_ref(o, |o| o.lines.iter().any(|l| l.to_invoice() > Decimal::ZERO)),
                additional_orders: vec![],
                currency: None,
            }
            .into(),
            Op::PostInvoice { invoice: i } => PostInvoice {
                invoice_id: self.invoice_ref(i, |i| i.status == InvoiceStatus::Draft),
            }
            .into(),
            Op::CancelInvoice {
                invoice: i,
                blank_reason,
            } => CancelInvoice {
                invoice_id: self.invoice_ref(i, |i| i.status == InvoiceStatus::Draft),
                reason: if blank_reason {
                    " ".into()
                } else {
                    "customer changed their mind".into()
                },
            }
            .into(),
            Op::ReceivePayment {
                payment: p,
                customer: c,
                amount,
                euro,
            } => ReceivePayment {
                payment_id: payment(p),
                customer_id: customer(c),
                amount: Money::new(amount, if euro { eur } else { usd }),
                method: PaymentMethod::BankTransfer,
                reference: String::new(),
            }
            .into(),
            Op::AllocatePayment {
                payment: p,
                invoice: i,
                amount,
                euro,
            } => {
                let invoice_id = self.invoice_ref(i, |i| {
                    i.status == InvoiceStatus::Posted && i.open_amount().amount > Decimal::ZERO
                });
                let billed = self
                    .engine()
                    .read(|book| book.invoice(invoice_id).map(|i| (i.customer_id, i.currency)));
                let payment_id = self.payment_ref(p, |p| {
                    Some((p.customer_id, p.amount.currency)) == billed
                        && p.unallocated().amount > Decimal::ZERO
                });
                let (open, unallocated) = self.engine().read(|book| {
                    (
                        book.invoice(invoice_id)
                            .map_or(Decimal::ONE, |inv| inv.open_amount().amount),
                        book.payment(payment_id)
                            .map_or(Decimal::ONE, |pay| pay.unallocated().amount),
                    )
                });
                let amount = match amount {
                    AllocQty::Open => open,
                    AllocQty::Settle => open.min(unallocated),
                    AllocQty::OpenPlusCent => open + Decimal::new(1, 2),
                    AllocQty::Exactly(a) => a,
                };
                AllocatePayment {
                    payment_id,
                    invoice_id,
                    amount: Money::new(amount, if euro { eur } else { usd }),
                    installment: None,
                }
                .into()
            }
            Op::Progress { order: k, id } => self.engine().read(|book| progress(book, k, id)),
            Op::NextDays(_) | Op::Repeat { .. } => return Err(fail("not a command")),
        })
    }

    /// Executes one operation and checks everything that must hold around it.
    fn step(&mut self, op: &Op) -> Result<(), TestCaseError> {
        let request = match op {
            Op::NextDays(days) => {
                self.h.now += Duration::days(*days);
                return Ok(());
            }
            Op::Repeat { altered } => return self.repeat(*altered),
            op => {
                let command = self.command(op)?;
                self.h.request(command)
            }
        };
        let head = self.engine().head();
        let digest = self.engine().state_digest().map_err(fail)?;
        let name = request.command.name();
        match self.engine().execute(request.clone()) {
            Ok(outcome) => {
                prop_assert!(
                    !outcome.repeated,
                    "{} with a fresh command id came back as a repeat",
                    name
                );
                prop_assert!(
                    !outcome.events.is_empty(),
                    "{} was accepted but appended nothing",
                    name
                );
                let new_head = self.engine().head();
                prop_assert_eq!(new_head.position, head.position + outcome.events.len() as u64);
                prop_assert_eq!(outcome.events.first().map(|e| e.prev_hash), Some(head.hash));
                let stored = self
                    .engine()
                    .events(head.position + 1, usize::MAX)
                    .map_err(fail)?;
                prop_assert_eq!(
                    &stored,
                    &outcome.events,
                    "the store does not hold what {} returned",
                    name
                );
                prop_assert_eq!(stored.last().map(RecordedEvent::head), Some(new_head));
                for event in &outcome.events {
                    self.fold(event)?;
                }
                self.engine().read(|book| check_invariants(book, &self.t))?;
                self.t.outcomes.push(Ok(outcome.events.len()));
                self.t.last = Some((request, Ok(outcome.events)));
            }
            Err(Error::Rejected(refusal)) => {
                prop_assert_eq!(
                    self.engine().head(),
                    head,
                    "{} was refused ({}) but the log moved",
                    name,
                    refusal
                );
                prop_assert_eq!(
                    self.engine().state_digest().map_err(fail)?,
                    digest,
                    "{} was refused ({}) but the book changed",
                    name,
                    refusal
                );
                self.t.outcomes.push(Err(refusal.clone()));
                self.t.last = Some((request, Err(refusal)));
            }
            Err(other) => return Err(fail(format!("{name}: the engine failed: {other}"))),
        }
        Ok(())
    }

    /// Sends the previous request's command id again: with the same body it must return
    /// the original outcome (or the same refusal, since a refusal records nothing); with
    /// another body it must be refused when the id was recorded.
    fn repeat(&mut self, altered: bool) -> Result<(), TestCaseError> {
        let Some((request, original)) = self.t.last.clone() else {
            return Ok(());
        };
        let head = self.engine().head();
        let digest = self.engine().state_digest().map_err(fail)?;
        let mut again = request.clone();
        if altered {
            again.command = ConfirmOrder {
                order_id: raw(ORDER, 99).into(),
            }
            .into();
        }
        let result = self.engine().execute(again);
        prop_assert_eq!(self.engine().head(), head, "a repeated command id moved the log");
        prop_assert_eq!(
            self.engine().state_digest().map_err(fail)?,
            digest,
            "a repeat changed the book"
        );
        match (altered, &original, result) {
            (false, Ok(events), Ok(outcome)) => {
                prop_assert!(outcome.repeated, "a repeat was not reported as one");
                prop_assert_eq!(&outcome.events, events, "a repeat returned other events");
            }
            (false, Err(refusal), Err(Error::Rejected(again))) => prop_assert_eq!(&again, refusal),
            (true, Ok(_), Err(Error::Rejected(DomainError::CommandIdReused { command_id }))) => {
                prop_assert_eq!(command_id, request.context.command_id);
            }
            (true, Err(_), Err(Error::Rejected(DomainError::UnknownOrder { .. }))) => {}
            (altered, original, result) => {
                let result = result.map(|o| o.events.len());
                return Err(fail(format!(
                    "repeat (altered: {altered}) of {original:?} gave {result:?}"
                )));
            }
        }
        Ok(())
    }

    fn fold(&mut self, event: &RecordedEvent) -> Result<(), TestCaseError> {
        *self.t.events_seen.entry(event.payload.name()).or_default() += 1;
        match &event.payload {
            Event::StockReceived(e) => {
                *self.t.received.entry((e.product_id, e.warehouse_id)).or_default() += e.quantity;
            }
            Event::ShipmentDispatched(e) => {
                for line in &e.lines {
                    *self
                        .t
                        .shipped
                        .entry((line.product_id, e.warehouse_id))
                        .or_default() += line.quantity;
                    *self.t.delivered.entry((e.order_id, line.line)).or_default() += line.quantity;
                }
                self.t.shipments.insert(e.shipment_id, e.lines.clone());
            }
            Event::InvoicePosted(e) => {
                let date = event.business_time.date_naive();
                prop_assert_eq!(e.invoice_date, date, "an invoice is dated by its posting command");
                prop_assert_eq!(e.fiscal_year, date.year());
                self.t.posted_years.insert(e.fiscal_year);
                prop_assert_eq!(&e.number, &format!("INV/{}/{:05}", e.fiscal_year, e.sequence));
                let term = self.engine().read(|book| {
                    let customer = book.invoice(e.invoice_id).map(|i| i.customer_id);
                    customer
                        .and_then(|c| book.customer(c))
                        .map(|c| c.details.payment_term_days)
                });
                let due = term.map(|days| date + Duration::days(i64::from(days)));
                prop_assert_eq!(Some(e.due_date), due, "due date of invoice {}", e.invoice_id);
            }
            Event::PaymentReceived(e) => {
                prop_assert_eq!(e.received_on, event.business_time.date_naive());
            }
            Event::OrderConfirmed(e) => {
                // Over the limit means confirmed on credit hold, naming the figures.
                let over = e.credit_limit.filter(|limit| e.exposure.amount > limit.amount);
                let held_for_limit = e.credit_hold.as_ref().and_then(|hold| {
                    hold.reasons.iter().find_map(|reason| match reason {
                        CreditHoldReason::OverCreditLimit { exposure, limit } => Some((*exposure, *limit)),
                        _ => None,
                    })
                });
                prop_assert_eq!(
                    held_for_limit,
                    over.map(|limit| (e.exposure, limit)),
                    "order {} confirmed with exposure {} against limit {:?}",
                    e.order_id,
                    e.exposure,
                    e.credit_limit
                );
            }
            _ => {}
        }
        Ok(())
    }

    fn run(&mut self, ops: &[Op]) -> Result<(), TestCaseError> {
        for op in ops {
            self.step(op)?;
        }
        Ok(())
    }
}

// --- invariants ------------------------------------------------------------------------

fn round_cents(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

fn check_invariants(book: &Book, t: &Tracker) -> Result<(), TestCaseError> {
    let zero = Decimal::ZERO;

    // Stock: bounds, conservation, and reservations matching the orders.
    let mut order_reserved: BTreeMap<(ProductId, WarehouseId), Decimal> = BTreeMap::new();
    for order in book.orders() {
        for line in &order.lines {
            *order_reserved
                .entry((line.product_id, order.warehouse_id))
                .or_default() += line.reserved;
        }
    }
    let mut keys: BTreeSet<(ProductId, WarehouseId)> =
        t.received.keys().chain(t.shipped.keys()).copied().collect();
    keys.extend(order_reserved.keys().copied());
    for p in book.products() {
        if let Some(stock) = book.stock(p.id) {
            keys.extend(stock.levels.keys().map(|w| (p.id, *w)));
        }
    }
    for key in keys {
        let (p, w) = key;
        let level = book.stock_level(p, w);
        prop_assert!(
            zero <= level.reserved && level.reserved <= level.on_hand,
            "stock of {} in {}: reserved {} on hand {}",
            p,
            w,
            level.reserved,
            level.on_hand
        );
        let received = t.received.get(&key).copied().unwrap_or_default();
        let shipped = t.shipped.get(&key).copied().unwrap_or_default();
        prop_assert_eq!(
            level.on_hand,
            received - shipped,
            "on hand of {} in {} is not received - shipped",
            p,
            w
        );
        let reserved = order_reserved.get(&key).copied().unwrap_or_default();
        prop_assert_eq!(
            level.reserved,
            reserved,
            "reserved of {} in {} differs from the orders'",
            p,
            w
        );
    }

    // Order lines against shipments and invoices.
    for (id, lines) in &t.shipments {
        let found = book.shipment(*id).map(|s| &s.lines);
        prop_assert_eq!(found, Some(lines), "shipment {}", id);
    }
    let mut invoicing: BTreeMap<(OrderId, u32), Decimal> = BTreeMap::new();
    let mut invoiced: BTreeMap<(OrderId, u32), Decimal> = BTreeMap::new();
    for inv in book.invoices() {
        let target = match inv.status {
            InvoiceStatus::Draft => &mut invoicing,
            InvoiceStatus::Posted => &mut invoiced,
            InvoiceStatus::Cancelled => continue,
        };
        for l in &inv.lines {
            *target.entry((inv.order_id, l.order_line)).or_default() += l.quantity;
        }
    }
    for order in book.orders() {
        for line in &order.lines {
            let key = (order.id, line.line);
            let what = format!("order {} line {}", order.id, line.line);
            prop_assert!(
                zero <= line.reserved
                    && zero <= line.delivered
                    && zero <= line.invoicing
                    && zero <= line.invoiced,
                "{}: negative figure in {:?}",
                what,
                line
            );
            prop_assert!(
                line.reserved + line.delivered <= line.quantity,
                "{}: over-reserved {:?}",
                what,
                line
            );
            prop_assert!(
                line.invoiced + line.invoicing <= line.delivered,
                "{}: over-invoiced {:?}",
                what,
                line
            );
            prop_assert_eq!(
                line.delivered,
                t.delivered.get(&key).copied().unwrap_or_default(),
                "{}",
                what
            );
            prop_assert_eq!(
                line.invoicing,
                invoicing.get(&key).copied().unwrap_or_default(),
                "{}",
                what
            );
            prop_assert_eq!(
                line.invoiced,
                invoiced.get(&key).copied().unwrap_or_default(),
                "{}",
                what
            );
            if order.status == OrderStatus::Draft {
                prop_assert!(
                    line.reserved.is_zero() && line.delivered.is_zero(),
                    "{}: quotation moved",
                    what
                );
            }
        }
    }

    // Invoices: amounts and payments.
    let mut allocated_to: BTreeMap<InvoiceId, Decimal> = BTreeMap::new();
    for pay in book.payments() {
        let allocated = pay.allocated();
        prop_assert!(
            zero <= allocated && allocated <= pay.amount.amount,
            "payment {} allocated {} of {}",
            pay.id,
            allocated,
            pay.amount
        );
        for a in &pay.allocations {
            prop_assert!(
                a.amount > zero,
                "payment {} has a non-positive allocation",
                pay.id
            );
            *allocated_to.entry(a.invoice_id).or_default() += a.amount;
            let inv = book.invoice(a.invoice_id);
            prop_assert_eq!(
                inv.map(|i| i.customer_id),
                Some(pay.customer_id),
                "allocation across customers"
            );
            prop_assert_eq!(
                inv.map(|i| i.currency),
                Some(pay.amount.currency),
                "allocation across currencies"
            );
        }
    }
    for inv in book.invoices() {
        let order = book.order(inv.order_id);
        prop_assert!(!inv.lines.is_empty(), "invoice {} has no lines", inv.id);
        for l in &inv.lines {
            prop_assert_eq!(
                l.amount.amount,
                round_cents(l.quantity * l.unit_price.amount),
                "invoice {} line {} amount",
                inv.id,
                l.order_line
            );
            prop_assert_eq!(l.amount.currency, inv.currency);
            let order_line = order.and_then(|o| o.line(l.order_line));
            prop_assert_eq!(
                order_line.map(|ol| (ol.product_id, ol.unit_price)),
                Some((l.product_id, l.unit_price))
            );
        }
        let sum: Decimal = inv.lines.iter().map(|l| l.amount.amount).sum();
        prop_assert_eq!(
            inv.total.amount,
            sum,
            "invoice {} total is not the sum of its lines",
            inv.id
        );
        prop_assert!(
            zero <= inv.paid && inv.paid <= inv.total.amount,
            "invoice {} paid {} of {}",
            inv.id,
            inv.paid,
            inv.total
        );
        prop_assert_eq!(
            inv.paid,
            allocated_to.get(&inv.id).copied().unwrap_or_default(),
            "invoice {} paid",
            inv.id
        );
        if inv.status != InvoiceStatus::Posted {
            prop_assert!(
                inv.paid.is_zero() && inv.number.is_none(),
                "unposted invoice {} paid or numbered",
                inv.id
            );
        }
    }

    // Customers: running figures against their recomputation.
    for c in book.customers() {
        let receivable: Decimal = book
            .invoices()
            .filter(|i| i.customer_id == c.id && i.status == InvoiceStatus::Posted)
            .map(|i| i.total.amount - i.paid)
            .sum();
        let uninvoiced: Decimal = book
            .orders()
            .filter(|o| o.customer_id == c.id && o.status == OrderStatus::Confirmed)
            .flat_map(|o| &o.lines)
            .map(|l| (l.quantity - l.invoiced) * l.unit_price.amount)
            .sum();
        prop_assert_eq!(c.receivable, receivable, "receivable of customer {}", c.id);
        prop_assert_eq!(
            c.uninvoiced_orders,
            uninvoiced,
            "uninvoiced orders of customer {}",
            c.id
        );
        prop_assert_eq!(c.exposure(), receivable + uninvoiced);
    }

    // Invoice numbers: per year exactly 1..n, matching the company's sequence.
    let mut numbers: BTreeMap<i32, Vec<u32>> = BTreeMap::new();
    for inv in book.invoices().filter(|i| i.status == InvoiceStatus::Posted) {
        let (Some(number), Some(date)) = (&inv.number, inv.invoice_date) else {
            return Err(fail(format!("posted invoice {} has no number or date", inv.id)));
        };
        let year = date.year();
        let parts: Vec<&str> = number.split('/').collect();
        let sequence = match parts.as_slice() {
            ["INV", y, seq] if *y == year.to_string() && seq.len() == 5 => {
                seq.parse::<u32>().map_err(fail)?
            }
            _ => {
                return Err(fail(format!(
                    "invoice number {number} does not fit its date {date}"
                )));
            }
        };
        numbers.entry(year).or_default().push(sequence);
    }
    let company = book.company().ok_or_else(|| fail("no company"))?;
    for (year, mut sequences) in numbers.clone() {
        sequences.sort_unstable();
        let n = sequences.len() as u32;
        prop_assert_eq!(
            &sequences,
            &(1..=n).collect::<Vec<_>>(),
            "invoice numbers of {}",
            year
        );
        prop_assert_eq!(
            company.invoice_sequences.get(&year).copied(),
            Some(n),
            "sequence of {}",
            year
        );
    }
    prop_assert_eq!(
        company.invoice_sequences.len(),
        numbers.len(),
        "a sequence without posted invoices"
    );
    Ok(())
}

// --- replay ----------------------------------------------------------------------------

/// The engine's stored log rebuilds its live book: folded into a fresh book, and as the
/// log of a fresh `MemoryStore` under `Engine::with_store`. The chain and every hash check.
fn check_replay(engine: &Engine) -> Result<(), TestCaseError> {
    let live = engine.snapshot();
    let events = engine.events(1, usize::MAX).map_err(fail)?;
    prop_assert_eq!(
        events.len() as u64,
        live.head().position,
        "the log and the book disagree on length"
    );
    let mut chain = ChainVerifier::new();
    let mut replayed = Book::new();
    for event in &events {
        event.verify_hash().map_err(fail)?;
        chain.check(event).map_err(fail)?;
        replayed.apply(event);
    }
    prop_assert_eq!(chain.head(), engine.head());
    prop_assert_eq!(replayed.head(), engine.head());
    prop_assert_eq!(&replayed, &live, "replaying the log does not rebuild the book");
    prop_assert_eq!(
        replayed.state_digest().map_err(fail)?,
        engine.state_digest().map_err(fail)?
    );
    check_projections(engine, &events, &live)?;

    // Every stream reads back as its slice of the log, versions 1..n, as the book counts.
    let mut streams: BTreeMap<StreamId, Vec<RecordedEvent>> = BTreeMap::new();
    for event in &events {
        streams.entry(event.stream).or_default().push(event.clone());
    }
    for (stream, expected) in &streams {
        let read = engine.stream(stream).map_err(fail)?;
        prop_assert_eq!(
            &read,
            expected,
            "stream {} does not read back as its slice of the log",
            stream
        );
        let versions: Vec<u64> = read.iter().map(|e| e.stream_version).collect();
        prop_assert_eq!(
            versions,
            (1..=read.len() as u64).collect::<Vec<_>>(),
            "versions of {}",
            stream
        );
        prop_assert_eq!(
            live.stream_version(stream),
            read.len() as u64,
            "book's version of {}",
            stream
        );
    }

    let store = MemoryStore::new();
    let mut position = 0;
    for batch in events.chunk_by(|a, b| a.command_id == b.command_id) {
        let commit = Commit {
            command_id: batch[0].command_id,
            fingerprint: Hash::ZERO,
            events: batch
                .iter()
                .map(|event| SealedEvent {
                    event: event.clone(),
                    stored: Vec::new(),
                })
                .collect(),
        };
        position = store.append(position, &commit).map_err(fail)?.position;
    }
    let rebuilt = Engine::with_store(Box::new(store)).map_err(fail)?;
    prop_assert_eq!(rebuilt.head(), engine.head());
    prop_assert_eq!(
        &rebuilt.snapshot(),
        &live,
        "an engine on a copy of the log has another book"
    );
    Ok(())
}

/// Every projection the engine kept incrementally (through reopens from stored
/// checkpoints, on sled) equals the projections rebuilt from position 0, and equals a
/// direct recomputation from the book where one exists.
fn check_projections(engine: &Engine, events: &[RecordedEvent], live: &Book) -> Result<(), TestCaseError> {
    let kept = engine.projections(Projections::clone);
    let rebuilt = Projections::rebuild(events);
    prop_assert_eq!(
        kept.checkpoint(),
        engine.head().position,
        "projections lag the book"
    );
    prop_assert_eq!(&kept, &rebuilt, "incremental projections differ from a rebuild");

    let today = events
        .last()
        .map(|e| e.business_time.date_naive())
        .unwrap_or_default();
    let buckets = Buckets::default();
    prop_assert_eq!(
        kept.aging.state.current(today, &buckets),
        Aging::recompute(live, today, &buckets),
        "aging differs from the book's open installments"
    );
    for customer in live.customers() {
        prop_assert_eq!(
            kept.aging.state.receivable(customer.id),
            customer.receivable,
            "aging total of {} differs from its receivable",
            customer.id
        );
    }
    prop_assert_eq!(
        kept.backlog.state.report(None),
        Backlog::recompute(live),
        "the backlog differs from the book's open order lines"
    );
    prop_assert_eq!(
        kept.credit_holds.state.held_now(),
        CreditHolds::recompute(live),
        "open credit holds differ from the orders on hold"
    );
    Ok(())
}

/// The book as JSON without its head (whose hash covers the recording time, so it differs
/// between two engines that executed the same commands).
fn without_head(book: &Book) -> Result<serde_json::Value, TestCaseError> {
    let mut value = serde_json::to_value(book).map_err(fail)?;
    if let Some(fields) = value.as_object_mut() {
        fields.remove("head");
    }
    Ok(value)
}

fn in_memory(ops: &[Op]) -> Result<Run, TestCaseError> {
    let mut run = Run::start(Engine::in_memory())?;
    run.run(ops)?;
    check_replay(run.engine())?;
    Ok(run)
}

/// Buffered sled, the projections stored every few events so that reopening resumes
/// them from a checkpoint behind the head as often as at it.
fn buffered() -> EngineOptions {
    EngineOptions {
        store: SledOptions {
            durability: Durability::Buffered { flush_every_ms: 50 },
            ..SledOptions::default()
        },
        checkpoint_every: 7,
        ..EngineOptions::default()
    }
}

/// Reopens a closed sled engine (opening waits out the moment sled keeps the directory's
/// lock after a close).
fn reopen(path: &Path) -> Result<Engine, TestCaseError> {
    Engine::open_with(path, buffered()).map_err(|e| fail(format!("reopening: {e}")))
}

fn on_sled(ops: &[Op], split: prop::sample::Index) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().map_err(fail)?;
    let engine = Engine::open_with(dir.path(), buffered()).map_err(|e| fail(format!("opening: {e}")))?;
    let mut run = Run::start(engine)?;
    let (before, after) = ops.split_at(split.index(ops.len() + 1));
    run.run(before)?;
    check_replay(run.engine())?;

    // Close and reopen: same book, same head, and the log goes on from there.
    let book = run.engine().snapshot();
    let digest = run.engine().state_digest().map_err(fail)?;
    let engine = std::mem::replace(&mut run.h.engine, Engine::in_memory());
    engine.close().map_err(fail)?;
    run.h.engine = reopen(dir.path())?;
    prop_assert_eq!(run.engine().head(), book.head(), "reopening moved the head");
    prop_assert_eq!(&run.engine().snapshot(), &book, "reopening changed the book");
    prop_assert_eq!(run.engine().state_digest().map_err(fail)?, digest);
    run.run(after)?;
    check_replay(run.engine())?;

    // The same commands on the in-memory store: same outcomes, same book.
    let memory = in_memory(ops)?;
    prop_assert_eq!(
        &run.t.outcomes,
        &memory.t.outcomes,
        "sled and memory decided differently"
    );
    prop_assert_eq!(run.engine().head().position, memory.engine().head().position);
    prop_assert_eq!(
        without_head(&run.engine().snapshot())?,
        without_head(&memory.engine().snapshot())?,
        "sled and memory built different books"
    );
    let engine = std::mem::replace(&mut run.h.engine, Engine::in_memory());
    engine.close().map_err(fail)?;
    Ok(())
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        // Failures are reported with their shrunk sequence; found bugs become named tests.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// Random sequences on the in-memory engine: refusals change nothing, acceptances
    /// append, invariants hold after every command, and the log replays to the book.
    #[test]
    fn random_sequences_keep_invariants_and_replay_in_memory(ops in ops(40)) {
        in_memory(&ops)?;
    }
}

proptest! {
    #![proptest_config(config(48))]

    /// The same on sled (buffered), split by a close and reopen, and compared with the
    /// in-memory engine running the same commands.
    #[test]
    fn random_sequences_replay_and_reopen_on_sled(ops in ops(40), split in any::<prop::sample::Index>()) {
        on_sled(&ops, split)?;
    }
}

/// The generator is not vacuous: over a fixed set of sequences every kind of event is
/// recorded, and commands are both accepted and refused in fair numbers.
#[test]
fn generated_sequences_reach_every_event() {
    let mut runner = TestRunner::deterministic();
    let strategy = ops(40);
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut years = BTreeSet::new();
    let (mut accepted, mut refused) = (0usize, 0usize);
    let mut refusals: BTreeMap<String, usize> = BTreeMap::new();
    for _ in 0..64 {
        let ops = strategy.new_tree(&mut runner).unwrap().current();
        let run = in_memory(&ops).unwrap();
        years.extend(run.t.posted_years.iter().copied());
        for (name, count) in &run.t.events_seen {
            *seen.entry(*name).or_insert(0usize) += count;
        }
        for outcome in &run.t.outcomes {
            match outcome {
                Ok(_) => accepted += 1,
                Err(e) => {
                    refused += 1;
                    let name = format!("{e:?}");
                    let name = name.split([' ', '{', '(']).next().unwrap_or_default().to_string();
                    *refusals.entry(name).or_default() += 1;
                }
            }
        }
    }
    eprintln!("accepted {accepted}, refused {refused}; posted in {years:?}");
    eprintln!("events: {seen:?}");
    eprintln!("refusals: {refusals:?}");
    // The order-to-cash flow this generator drives (set-up events excluded; the sales
    // controls have their own generator in `sales_properties.rs`).
    let flow = [
        "StockReceived",
        "QuotationCreated",
        "QuotationLineAdded",
        "OrderConfirmed",
        "StockReserved",
        "ShipmentDispatched",
        "InvoiceCreated",
        "InvoicePosted",
        "InvoiceCancelled",
        "PaymentReceived",
        "PaymentAllocated",
    ];
    assert!(flow.iter().all(|name| Event::NAMES.contains(name)));
    let missing: Vec<_> = flow.iter().filter(|name| !seen.contains_key(*name)).collect();
    assert!(missing.is_empty(), "no generated sequence recorded {missing:?}");
    assert!(years.len() >= 2, "invoices were posted in {years:?} only");
    assert!(
        accepted * 4 > accepted + refused,
        "fewer than a quarter of the commands were accepted"
    );
    assert!(
        refused * 4 > accepted + refused,
        "fewer than a quarter of the commands were refused"
    );
}
