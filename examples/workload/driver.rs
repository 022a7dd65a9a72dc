//! The reference workload (one distribution order from quotation to paid invoice, N
//! times), driven through the embedding API only: what a user of `o2c` would call.
//!
//! Shared by the `workload` example and the criterion benches (both include this file with
//! `#[path]`), so every figure comes from the same flow:
//!
//! - set-up (not timed): one company in USD with 2 decimals; one warehouse reserving at
//!   confirmation; one 10% sales tax added to the price; 10 products priced
//!   `10.00 + i × 1.25` carrying that tax, each with 1,000,000 units received; 100
//!   customers, payment term net 30, each with a credit limit the workload never reaches;
//! - per order `k` (timed): a quotation of 3 lines (products `k`, `k + 3`, `k + 7` mod
//!   10, quantities 1, 2, 3) for customer `k mod 100`; confirm it (the credit check runs
//!   and the warehouse reserves at confirmation; were nothing reserved, `ReserveStock`
//!   follows); ship everything reserved in one delivery (one-step route); create the
//!   invoice on the delivered quantities and post it; receive one payment of the posted
//!   total and allocate it to the invoice;
//! - [`Workload::verify`]: every invoice of the run paid, nothing left reserved, and on
//!   hand = 1,000,000 − shipped for every product.
//!
//! Every command of one run carries the same business day (invoice numbers follow invoice
//! dates, and concurrent submitters must not post out of date order); ids are made from
//! the order index, so a run is deterministic apart from recorded times.

use std::error::Error;
use std::time::{Duration, Instant};

use o2c::archive::ArchiveOrder;
use o2c::chrono::{DateTime, TimeZone, Utc};
use o2c::company::SetUpCompany;
use o2c::customer::{CustomerDetails, RegisterCustomer, SetCreditLimit};
use o2c::invoice::{CreateInvoice, PaymentState, PostInvoice};
use o2c::money::{Currency, CurrencyCode, Money, RoundingRule};
use o2c::order::{ConfirmOrder, CreateQuotation, RequestedLine, ReserveStock};
use o2c::payment::{AllocatePayment, PaymentMethod, ReceivePayment};
use o2c::product::{RegisterProduct, Unit};
use o2c::rust_decimal::Decimal;
use o2c::shipment::ShipOrder;
use o2c::stock::ReceiveStock;
use o2c::tax::{DefineTax, Tax, TaxComputation};
use o2c::uuid::Uuid;
use o2c::warehouse::{RegisterWarehouse, ReservationPolicy};
use o2c::{
    Actor, ActorId, Command, CommandContext, CompanyId, CustomerId, Engine, Event, InvoiceId, OrderId,
    Outcome, PaymentId, ProductId, Request, Role, ShipmentId, TaxId, WarehouseId,
};

/// What a workload step or check can fail with (sendable, for submitter threads).
pub type WorkloadError = Box<dyn Error + Send + Sync>;

/// Number of products in the catalogue.
pub const PRODUCTS: usize = 10;
/// Number of customers, served round-robin.
pub const CUSTOMERS: usize = 100;
/// Units of every product on hand after set-up.
pub const INITIAL_STOCK: i64 = 1_000_000;
/// Each order's lines: offset of the product from the order index, and quantity.
pub const LINES: [(usize, i64); 3] = [(0, 1), (3, 2), (7, 3)];

/// The steps of one order, in the order they run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// `CreateQuotation`.
    Quotation,
    /// `ConfirmOrder` (the credit check; the warehouse reserves at confirmation).
    Confirm,
    /// `ReserveStock`, only when confirming reserved nothing.
    Reserve,
    /// `ShipOrder`: everything reserved, in one delivery.
    Ship,
    /// `CreateInvoice` on the delivered quantities.
    Invoice,
    /// `PostInvoice`.
    Post,
    /// `ReceivePayment` of the invoice total.
    Payment,
    /// `AllocatePayment` to the invoice.
    Allocate,
    /// `ArchiveOrder`, only when the workload archives each order once paid.
    Archive,
}

impl Step {
    /// Every step, in order.
    pub const ALL: [Step; 9] = [
        Step::Quotation,
        Step::Confirm,
        Step::Reserve,
        Step::Ship,
        Step::Invoice,
        Step::Post,
        Step::Payment,
        Step::Allocate,
        Step::Archive,
    ];

    /// The command's name.
    pub fn command(self) -> &'static str {
        match self {
            Step::Quotation => "CreateQuotation",
            Step::Confirm => "ConfirmOrder",
            Step::Reserve => "ReserveStock",
            Step::Ship => "ShipOrder",
            Step::Invoice => "CreateInvoice",
            Step::Post => "PostInvoice",
            Step::Payment => "ReceivePayment",
            Step::Allocate => "AllocatePayment",
            Step::Archive => "ArchiveOrder",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Times and counts of the commands a submitter ran.
#[derive(Clone, Debug, Default)]
pub struct Recorder {
    /// Per step: commands run and their summed latency.
    pub steps: [(u64, Duration); 9],
    /// Every command's latency in nanoseconds, when `keep_latencies` is set.
    pub latencies: Vec<u64>,
    /// Whether to keep every latency (memory grows with the run).
    pub keep_latencies: bool,
}

impl Recorder {
    /// A recorder that keeps every latency (for percentiles) or only sums per step.
    pub fn new(keep_latencies: bool) -> Self {
        Self {
            keep_latencies,
            ..Self::default()
        }
    }

    fn record(&mut self, step: Step, elapsed: Duration) {
        let slot = &mut self.steps[step.index()];
        slot.0 += 1;
        slot.1 += elapsed;
        if self.keep_latencies {
            self.latencies
                .push(u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX));
        }
    }

    /// Adds another submitter's figures to these.
    pub fn merge(&mut self, other: Recorder) {
        for (mine, theirs) in self.steps.iter_mut().zip(other.steps) {
            mine.0 += theirs.0;
            mine.1 += theirs.1;
        }
        self.latencies.extend(other.latencies);
    }

    /// Commands run, all steps together.
    pub fn commands(&self) -> u64 {
        self.steps.iter().map(|s| s.0).sum()
    }

    /// Mean latency of one step's commands, if any ran.
    pub fn mean(&self, step: Step) -> Option<Duration> {
        let (count, total) = self.steps[step.index()];
        u32::try_from(count).ok().filter(|c| *c > 0).map(|c| total / c)
    }

    /// The latency at quantile `q` (0..=1) of every kept latency; sorts them.
    pub fn quantile(&mut self, q: f64) -> Option<Duration> {
        if self.latencies.is_empty() {
            return None;
        }
        self.latencies.sort_unstable();
        let last = self.latencies.len() - 1;
        let index = ((last as f64) * q).round() as usize;
        Some(Duration::from_nanos(self.latencies[index.min(last)]))
    }
}

/// A fixed id in the workload's own range: `kind` tells entity and command ids apart.
fn id(kind: u8, order: u64, item: u8) -> Uuid {
    const TAG: u128 = 0x0c2c_0000_0000_0000_0000_0000_0000_0000;
    Uuid::from_u128(TAG | (u128::from(kind) << 80) | (u128::from(order) << 8) | u128::from(item))
}

/// The master data of a set-up engine and the actors that run the flow.
#[derive(Clone, Debug)]
pub struct Workload {
    warehouse: WarehouseId,
    products: Vec<ProductId>,
    customers: Vec<CustomerId>,
    tax: TaxId,
    day: DateTime<Utc>,
    sales: Actor,
    warehouse_operator: Actor,
    billing: Actor,
    /// Whether each order is archived once paid.
    archive: bool,
}

impl Workload {
    /// Sets up the company, tax, warehouse, products with their stock and the customers
    /// on an empty engine. Not part of any timed figure.
    pub fn set_up(engine: &Engine) -> Result<Self, WorkloadError> {
        let company: CompanyId = id(1, 0, 0).into();
        let usd = CurrencyCode::new("USD")?;
        let day = Utc
            .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .single()
            .ok_or("no such date")?;
        let actor = |name: &str, role: Role| -> Result<Actor, WorkloadError> {
            Ok(Actor::new(ActorId::new(name)?).member_of(company, [role]))
        };
        let workload = Self {
            warehouse: id(1, 0, 1).into(),
            products: (0..PRODUCTS as u64).map(|i| id(2, i, 0).into()).collect(),
            customers: (0..CUSTOMERS as u64).map(|i| id(3, i, 0).into()).collect(),
            tax: id(1, 0, 2).into(),
            day,
            sales: actor("sam.sales", Role::SalesRep)?,
            warehouse_operator: actor("wes.warehouse", Role::WarehouseOperator)?,
            billing: actor("bea.billing", Role::BillingClerk)?,
            archive: false,
        };
        let admin = actor("ada.admin", Role::Admin)?;
        let credit = actor("cora.credit", Role::CreditController)?;
        let mut next = 0u8..;
        let mut setup = |actor: &Actor, order: u64, command: Command| -> Result<(), WorkloadError> {
            let item = next.next().ok_or("too many set-up commands")?;
            let ctx = CommandContext::new(id(9, order, item), actor.clone(), day);
            engine.execute(Request::new(ctx, command))?;
            Ok(())
        };
        setup(
            &admin,
            0,
            SetUpCompany {
                company_id: company,
                name: "Reference Distribution".into(),
                base_currency: Currency {
                    code: usd,
                    decimals: 2,
                },
                other_currencies: vec![],
                rounding: RoundingRule::HalfAwayFromZero,
                settings: Default::default(),
            }
            .into(),
        )?;
        setup(
            &admin,
            0,
            DefineTax {
                tax: Tax {
                    tax_id: workload.tax,
                    name: "Sales tax 10%".into(),
                    computation: TaxComputation::Percent(Decimal::TEN),
                    price_included: false,
                    affects_later: false,
                },
            }
            .into(),
        )?;
        setup(
            &admin,
            0,
            RegisterWarehouse {
                warehouse_id: workload.warehouse,
                code: "WH-1".into(),
                name: "Main warehouse".into(),
                route: Default::default(),
                reservation: ReservationPolicy::AtConfirmation,
            }
            .into(),
        )?;
        for (i, product_id) in (0u64..).zip(&workload.products) {
            let price = Decimal::new(1000 + 125 * i as i64, 2);
            setup(
                &admin,
                1,
                RegisterProduct {
                    product_id: *product_id,
                    sku: format!("SKU-{i:02}"),
                    name: format!("Product {i}"),
                    unit: Unit {
                        code: "pcs".into(),
                        decimals: 0,
                    },
                    list_price: Money::new(price, usd),
                    category: None,
                    floor_price: None,
                    tracking: Default::default(),
                    substitutes: vec![],
                    invoice_policy: Default::default(),
                    taxes: vec![workload.tax],
                }
                .into(),
            )?;
            setup(
                &workload.warehouse_operator,
                1,
                ReceiveStock {
                    product_id: *product_id,
                    warehouse_id: workload.warehouse,
                    quantity: Decimal::from(INITIAL_STOCK),
                    reference: "opening stock".into(),
                    location_id: None,
                    lots: vec![],
                }
                .into(),
            )?;
        }
        for (i, customer_id) in (0u64..).zip(&workload.customers) {
            let order = 2 + i / 100;
            setup(
                &admin,
                order,
                RegisterCustomer {
                    customer_id: *customer_id,
                    details: CustomerDetails {
                        name: format!("Customer {i:03}"),
                        payment_term_days: 30,
                        tax_id: None,
                        billing_address: None,
                        shipping_addresses: vec![],
                        group_id: None,
                        price_list_id: None,
                        tax_treatment: Default::default(),
                        backorder_policy: Default::default(),
                        payment_term_id: None,
                    },
                    credit_limit: None,
                }
                .into(),
            )?;
            setup(
                &credit,
                order,
                SetCreditLimit {
                    customer_id: *customer_id,
                    credit_limit: Some(Money::new(Decimal::from(1_000_000), usd)),
                    reason: "workload limit".into(),
                }
                .into(),
            )?;
        }
        Ok(workload)
    }

    fn run(
        &self,
        engine: &Engine,
        recorder: &mut Recorder,
        step: Step,
        order: u64,
        actor: &Actor,
        command: impl Into<Command>,
    ) -> Result<Outcome, WorkloadError> {
        let ctx = CommandContext::new(id(5, order, step as u8), actor.clone(), self.day);
        let request = Request::new(ctx, command);
        let started = Instant::now();
        let outcome = engine.execute(request)?;
        recorder.record(step, started.elapsed());
        if outcome.repeated {
            return Err(format!("order {order}: {} was already recorded", step.command()).into());
        }
        Ok(outcome)
    }

    /// Runs order `k` from quotation to paid invoice.
    pub fn run_order(&self, engine: &Engine, k: u64, recorder: &mut Recorder) -> Result<(), WorkloadError> {
        let order_id: OrderId = id(4, k, 0).into();
        let lines = LINES
            .iter()
            .map(|(offset, quantity)| {
                let product = self.products[(k as usize + offset) % PRODUCTS];
                RequestedLine::new(product, Decimal::from(*quantity))
            })
            .collect();
        let customer_id = self.customers[k as usize % CUSTOMERS];
        let quotation = CreateQuotation {
            order_id,
            customer_id,
            warehouse_id: self.warehouse,
            lines,
            customer_reference: String::new(),
            shipping_policy: Default::default(),
            backorder_policy: None,
            urgent: false,
        };
        self.run(engine, recorder, Step::Quotation, k, &self.sales, quotation)?;
        let confirmed = self.run(
            engine,
            recorder,
            Step::Confirm,
            k,
            &self.sales,
            ConfirmOrder { order_id },
        )?;
        let reserved = confirmed
            .events
            .iter()
            .any(|e| matches!(e.payload, Event::StockReserved(_)));
        if !reserved {
            let op = &self.warehouse_operator;
            self.run(engine, recorder, Step::Reserve, k, op, ReserveStock { order_id })?;
        }
        let ship = ShipOrder {
            shipment_id: ShipmentId::from(id(4, k, 1)),
            order_id,
            lines: vec![],
            warehouse_id: None,
            carrier: String::new(),
            tracking_reference: String::new(),
        };
        self.run(engine, recorder, Step::Ship, k, &self.warehouse_operator, ship)?;
        let invoice_id: InvoiceId = id(4, k, 2).into();
        let invoice = CreateInvoice {
            invoice_id,
            order_id,
            additional_orders: vec![],
            currency: None,
        };
        self.run(engine, recorder, Step::Invoice, k, &self.billing, invoice)?;
        let posted = self.run(
            engine,
            recorder,
            Step::Post,
            k,
            &self.billing,
            PostInvoice { invoice_id },
        )?;
        let total = posted
            .events
            .iter()
            .find_map(|e| match &e.payload {
                Event::InvoicePosted(p) => Some(p.total),
                _ => None,
            })
            .ok_or_else(|| format!("order {k}: posting recorded no InvoicePosted"))?;
        let payment_id: PaymentId = id(4, k, 3).into();
        let payment = ReceivePayment {
            payment_id,
            customer_id,
            amount: total,
            method: PaymentMethod::BankTransfer,
            reference: String::new(),
        };
        self.run(engine, recorder, Step::Payment, k, &self.billing, payment)?;
        let allocation = AllocatePayment {
            payment_id,
            invoice_id,
            amount: total,
            installment: None,
        };
        self.run(engine, recorder, Step::Allocate, k, &self.billing, allocation)?;
        if self.archive {
            self.archive_order(engine, k, recorder)?;
        }
        Ok(())
    }

    /// Archives order `k` (run and paid before), checking that its invoice and payment
    /// left with it.
    pub fn archive_order(
        &self,
        engine: &Engine,
        k: u64,
        recorder: &mut Recorder,
    ) -> Result<(), WorkloadError> {
        let order_id: OrderId = id(4, k, 0).into();
        let (invoice_id, payment_id): (InvoiceId, PaymentId) = (id(4, k, 2).into(), id(4, k, 3).into());
        let archive = ArchiveOrder { order_id };
        let archived = self.run(engine, recorder, Step::Archive, k, &self.billing, archive)?;
        let with_its_documents = archived.events.iter().any(|e| {
            matches!(&e.payload, Event::OrderArchived(a)
                if a.invoice_ids == [invoice_id] && a.payment_ids == [payment_id])
        });
        if !with_its_documents {
            return Err(format!("order {k}: not archived with its invoice and payment").into());
        }
        Ok(())
    }

    /// The same workload, archiving each order (with its shipment, invoice and payment)
    /// once it is paid: a ninth command per order.
    pub fn archiving(self) -> Self {
        Self {
            archive: true,
            ..self
        }
    }

    /// Runs orders `first..first + count` on `submitters` threads sharing `engine`: thread
    /// `t` runs the orders whose index is `t` modulo `submitters`. Returns the merged
    /// figures and the wall time.
    pub fn run_orders(
        &self,
        engine: &Engine,
        first: u64,
        count: u64,
        submitters: usize,
        keep_latencies: bool,
    ) -> Result<(Recorder, Duration), WorkloadError> {
        let submitters = submitters.max(1) as u64;
        let started = Instant::now();
        let results: Vec<Result<Recorder, WorkloadError>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..submitters)
                .map(|t| {
                    scope.spawn(move || {
                        let mut recorder = Recorder::new(keep_latencies);
                        let mut k = first + t;
                        while k < first + count {
                            self.run_order(engine, k, &mut recorder)?;
                            k += submitters;
                        }
                        Ok(recorder)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err("a submitter thread panicked".into()))
                })
                .collect()
        });
        let elapsed = started.elapsed();
        let mut merged = Recorder::new(keep_latencies);
        for result in results {
            merged.merge(result?);
        }
        Ok((merged, elapsed))
    }

    /// Checks what orders `0..orders` must have left: every invoice paid (or archived:
    /// only a paid invoice is), nothing reserved, and on hand = initial − shipped for
    /// every product. Returns a sentence saying what was verified.
    pub fn verify(&self, engine: &Engine, orders: u64) -> Result<String, WorkloadError> {
        let mut shipped = [0i64; PRODUCTS];
        for k in 0..orders {
            for (offset, quantity) in LINES {
                shipped[(k as usize + offset) % PRODUCTS] += quantity;
            }
        }
        engine.read(|book| -> Result<(), WorkloadError> {
            for k in 0..orders {
                let invoice_id: InvoiceId = id(4, k, 2).into();
                if self.archive && book.is_archived(invoice_id.0) {
                    continue;
                }
                let invoice = book
                    .invoice(invoice_id)
                    .ok_or_else(|| format!("order {k}: invoice missing"))?;
                if invoice.payment_state() != PaymentState::Paid {
                    return Err(format!("order {k}: invoice is {:?}", invoice.payment_state()).into());
                }
            }
            for (product_id, shipped) in self.products.iter().zip(shipped) {
                let level = book.stock_level(*product_id, self.warehouse);
                let expected = Decimal::from(INITIAL_STOCK - shipped);
                if level.on_hand != expected || !level.reserved.is_zero() {
                    return Err(format!(
                        "product {product_id}: on hand {} reserved {}, expected {expected} and 0",
                        level.on_hand, level.reserved
                    )
                    .into());
                }
            }
            Ok(())
        })?;
        let paid = if self.archive { "paid and archived" } else { "paid" };
        Ok(format!(
            "verified: all {orders} invoices {paid}; on hand = {INITIAL_STOCK} - shipped, nothing reserved, for all {PRODUCTS} products"
        ))
    }
}

/// Reads this process's resident set size in bytes (`VmRSS` of `/proc/self/status`).
pub fn resident_bytes() -> Result<u64, WorkloadError> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .ok_or("no VmRSS line in /proc/self/status")?;
    let kib: u64 = line
        .trim_start_matches("VmRSS:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()?;
    Ok(kib * 1024)
}

/// The raw cost of one durable small write on the disk holding `dir`: 512 bytes written
/// at a rotating offset of a preallocated 1 MiB file and forced to the device with
/// `fdatasync`, `rounds` times; returns the mean. The file is removed afterwards.
pub fn fsync_probe(dir: &std::path::Path, rounds: u32) -> Result<Duration, WorkloadError> {
    use std::os::unix::fs::FileExt;
    const SIZE: u64 = 1 << 20;
    const RECORD: usize = 512;
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("fsync-probe-{}", std::process::id()));
    let file = std::fs::File::create(&path)?;
    file.write_all_at(&vec![0u8; SIZE as usize], 0)?;
    file.sync_all()?;
    let record = [0x5au8; RECORD];
    let rounds = rounds.max(1);
    let started = Instant::now();
    for round in 0..u64::from(rounds) {
        file.write_all_at(&record, (round * RECORD as u64) % SIZE)?;
        file.sync_data()?;
    }
    let elapsed = started.elapsed();
    drop(file);
    std::fs::remove_file(&path)?;
    Ok(elapsed / rounds)
}
