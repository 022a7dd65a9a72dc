//! One order from quotation to cash, on the embedded durable store.
//!
//! ```text
//! cargo run --example order_to_cash [DATA_DIR]
//! ```
//!
//! A quotation with three lines is confirmed; one line is only partly in stock, so the
//! first shipment leaves a backorder; the delivered quantities are invoiced and paid;
//! then the backorder ships, is invoiced and paid. The read side follows: fill rate, cycle
//! times, backlog and credit holds from the live projections, and a subscriber catching up
//! with the log. The order, settled, is archived: it leaves the in-memory book with its
//! shipments, invoices and payments, its events staying in the log. Finally the engine is
//! closed, the data directory reopened and the log
//! replayed, and the rebuilt state and head hash are compared with the live ones; then
//! reopened once more, resuming from the book's snapshot stored on close, to the same state.
//!
//! Without DATA_DIR a fresh directory under the system temp dir is used. Running again on
//! the same directory works: company, customer and products carry fixed command ids and
//! are answered from the log (idempotency); each run stocks a warehouse of its own and
//! takes a new order, so an earlier (even interrupted) run cannot change this one.
//!
//! The walk itself is [`run`]; the command line's tests include this file to make a data
//! directory "made by the example".
#![allow(clippy::print_stdout)]

use std::error::Error;
use std::path::{Path, PathBuf};

use o2c::archive::ArchiveOrder;
use o2c::chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use o2c::company::SetUpCompany;
use o2c::customer::CustomerDetails;
use o2c::customer::{RegisterCustomer, SetCreditLimit};
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
    Actor, ActorId, Command, CommandContext, CompanyId, Engine, EngineOptions, Event, InvoiceId, OrderId,
    Outcome, Request, Role,
};

/// Fixed ids for master data, so a second run on the same directory finds them.
fn fixed(name: &str) -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, format!("o2c-example:{name}").as_bytes())
}

/// The day a walk starts on: 1 March 2026 on a fresh directory, else the day after the
/// latest business date in the log, so that every run's documents follow the last run's
/// (invoice numbers follow invoice dates).
fn first_day(engine: &Engine) -> Result<DateTime<Utc>, Box<dyn Error>> {
    let start = Utc
        .with_ymd_and_hms(2026, 3, 1, 0, 0, 0)
        .single()
        .ok_or("no such date")?;
    let head = engine.head().position;
    let latest = engine.events(head, 1)?.first().map(|e| e.business_time);
    Ok(match latest {
        Some(latest) if latest >= start => (latest + Duration::days(1))
            .date_naive()
            .and_time(NaiveTime::MIN)
            .and_utc(),
        _ => start,
    })
}

fn dec(text: &str) -> Result<Decimal, Box<dyn Error>> {
    Ok(text.parse()?)
}

struct Walk {
    engine: Engine,
    /// Day 1 of this walk.
    start: DateTime<Utc>,
    company: CompanyId,
    usd: CurrencyCode,
    step: u32,
}

impl Walk {
    /// The business time `hour`:00 on day `day` of the walk (day 1 is its first day).
    fn at(&self, day: u32, hour: u32) -> DateTime<Utc> {
        self.start + Duration::days(i64::from(day) - 1) + Duration::hours(i64::from(hour))
    }

    fn run(
        &mut self,
        actor: &str,
        when: DateTime<Utc>,
        command_id: Uuid,
        command: impl Into<Command>,
    ) -> Result<Outcome, Box<dyn Error>> {
        // The embedding service would look these up in its identity system.
        let role = match actor {
            "ada.admin" => Role::Admin,
            "sam.sales" => Role::SalesRep,
            "wes.warehouse" => Role::WarehouseOperator,
            "cora.credit" => Role::CreditController,
            _ => Role::BillingClerk,
        };
        let actor = Actor::new(ActorId::new(actor)?).member_of(self.company, [role]);
        let ctx = CommandContext::new(command_id, actor, when);
        let outcome = self.engine.execute(Request::new(ctx, command))?;
        let names: Vec<&str> = outcome.events.iter().map(|e| e.payload.name()).collect();
        let first = outcome.events.first().map_or(0, |e| e.position);
        let note = if outcome.repeated {
            " (already recorded: original outcome returned, nothing appended)"
        } else {
            ""
        };
        println!("      log #{first:<3} {}{note}", names.join(", "));
        Ok(outcome)
    }

    fn say(&mut self, text: String) {
        self.step += 1;
        println!("{:>3}. {text}", self.step);
    }

    fn money(&self, amount: Decimal) -> String {
        format!("{:.2} {}", amount, self.usd)
    }

    fn show_order(&self, order_id: OrderId) {
        let Some(order) = self.engine.order(order_id) else {
            return;
        };
        for line in &order.lines {
            println!(
                "      line {}: ordered {:>5} {:<3} reserved {:>5}  delivered {:>5}  invoiced {:>5}  backorder {:>5}",
                line.line,
                line.quantity.normalize(),
                line.unit,
                line.reserved.normalize(),
                line.delivered.normalize(),
                line.invoiced.normalize(),
                order.backorder(line.line).normalize()
            );
        }
        println!(
            "      order status: {:?}, shipping {:?}, invoicing {:?}",
            order.status,
            order.shipping_status(),
            order.invoicing_status()
        );
    }

    fn invoice_and_collect(
        &mut self,
        order_id: OrderId,
        day: u32,
        label: &str,
    ) -> Result<InvoiceId, Box<dyn Error>> {
        let invoice_id = InvoiceId(Uuid::new_v4());
        self.run(
            "bea.billing",
            self.at(day, 10),
            Uuid::new_v4(),
            CreateInvoice {
                invoice_id,
                order_id,
                additional_orders: vec![],
                currency: None,
            },
        )?;
        self.run(
            "bea.billing",
            self.at(day, 11),
            Uuid::new_v4(),
            PostInvoice { invoice_id },
        )?;
        let invoice = self.engine.invoice(invoice_id).ok_or("invoice missing")?;
        self.say(format!(
            "{label} invoice {} posted on {}: {} line(s), total {}, due {}",
            invoice.number.as_deref().unwrap_or("?"),
            invoice.invoice_date.map(|d| d.to_string()).unwrap_or_default(),
            invoice.lines.len(),
            self.money(invoice.total.amount),
            invoice.due_date.map(|d| d.to_string()).unwrap_or_default(),
        ));
        let payment_id = Uuid::new_v4().into();
        let customer_id = invoice.customer_id;
        let amount = invoice.total;
        self.run(
            "bea.billing",
            self.at(day + 7, 9),
            Uuid::new_v4(),
            ReceivePayment {
                payment_id,
                customer_id,
                amount,
                method: PaymentMethod::BankTransfer,
                reference: format!("remittance for {}", invoice.number.as_deref().unwrap_or("?")),
            },
        )?;
        self.run(
            "bea.billing",
            self.at(day + 7, 9),
            Uuid::new_v4(),
            AllocatePayment {
                payment_id,
                invoice_id,
                amount,
                installment: None,
            },
        )?;
        let invoice = self.engine.invoice(invoice_id).ok_or("invoice missing")?;
        self.say(format!(
            "payment of {} received and allocated: invoice open amount {}, payment state {:?}",
            self.money(amount.amount),
            self.money(invoice.open_amount().amount),
            invoice.payment_state()
        ));
        Ok(invoice_id)
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    let data_dir = match std::env::args_os().nth(1) {
        Some(path) => PathBuf::from(path),
        None => std::env::temp_dir().join(format!("o2c-order-to-cash-{}", Uuid::new_v4().simple())),
    };
    run(&data_dir).map(|_order| ())
}

/// Walks one order from quotation to cash on the data directory `data_dir` (created if
/// missing), printing each step, then closes the engine, reopens the directory and checks
/// that the replayed state and head hash equal the live ones. Returns the walk's order.
pub fn run(data_dir: &Path) -> Result<OrderId, Box<dyn Error>> {
    println!("o2c order-to-cash walk-through");
    println!("data directory: {}", data_dir.display());
    println!();

    let usd = CurrencyCode::new("USD")?;
    let company_id = fixed("company").into();
    let engine = Engine::open(data_dir)?;
    let mut walk = Walk {
        start: first_day(&engine)?,
        engine,
        company: company_id,
        usd,
        step: 0,
    };

    // --- master data (fixed ids: idempotent across runs) -------------------------------
    let customer_id = fixed("customer").into();
    let products = [
        ("WID-100", "Widget, steel", "pcs", 0, "12.50"),
        ("GAD-200", "Gadget, boxed", "pcs", 0, "39.90"),
        ("CAB-300", "Cable, sold by the metre", "m", 1, "1.20"),
    ];
    walk.say(
        "company, customer (with a credit limit set by the credit controller) and three products are set up"
            .into(),
    );
    walk.run(
        "ada.admin",
        walk.at(2, 8),
        fixed("cmd-company"),
        SetUpCompany {
            company_id,
            name: "Northwind Distribution".into(),
            base_currency: Currency {
                code: usd,
                decimals: 2,
            },
            other_currencies: vec![Currency {
                code: CurrencyCode::new("EUR")?,
                decimals: 2,
            }],
            rounding: RoundingRule::HalfAwayFromZero,
            settings: Default::default(),
        },
    )?;
    walk.run(
        "ada.admin",
        walk.at(2, 8),
        fixed("cmd-customer"),
        RegisterCustomer {
            customer_id,
            details: CustomerDetails {
                name: "Acme Retail Ltd".into(),
                payment_term_days: 30,
                tax_id: Some("GB 123 4567 89".into()),
                billing_address: None,
                shipping_addresses: vec![],
                group_id: None,
                price_list_id: None,
                tax_treatment: Default::default(),
                backorder_policy: Default::default(),
                payment_term_id: None,
            },
            credit_limit: None,
        },
    )?;
    walk.run(
        "cora.credit",
        walk.at(2, 8),
        fixed("cmd-credit-limit"),
        SetCreditLimit {
            customer_id,
            credit_limit: Some(Money::new(dec("5000.00")?, usd)),
            reason: "opening limit after credit review".into(),
        },
    )?;
    let mut product_ids = Vec::new();
    for (sku, name, unit, decimals, price) in products {
        let product_id = fixed(sku).into();
        product_ids.push(product_id);
        walk.run(
            "ada.admin",
            walk.at(2, 8),
            fixed(&format!("cmd-{sku}")),
            RegisterProduct {
                product_id,
                sku: sku.into(),
                name: name.into(),
                unit: Unit {
                    code: unit.into(),
                    decimals,
                },
                list_price: Money::new(dec(price)?, usd),
                category: None,
                floor_price: None,
                tracking: Default::default(),
                substitutes: vec![],
                invoice_policy: Default::default(),
                taxes: vec![],
            },
        )?;
    }
    let [widget, gadget, cable] = [product_ids[0], product_ids[1], product_ids[2]];

    // --- this run's warehouse; stock arrives: enough widgets and cable, 4 of 6 gadgets ---
    let run = Uuid::new_v4();
    let warehouse_id = run.into();
    let warehouse_code = format!("WH-{}", &run.simple().to_string()[..8]);
    walk.run(
        "ada.admin",
        walk.at(2, 8),
        Uuid::new_v4(),
        RegisterWarehouse {
            warehouse_id,
            code: warehouse_code.clone(),
            name: "Main warehouse".into(),
            route: Default::default(),
            reservation: Default::default(),
        },
    )?;
    for (product_id, quantity) in [(widget, "10"), (gadget, "4"), (cable, "25.5")] {
        walk.run(
            "wes.warehouse",
            walk.at(2, 9),
            Uuid::new_v4(),
            ReceiveStock {
                product_id,
                warehouse_id,
                quantity: dec(quantity)?,
                reference: "PO-7781".into(),
                location_id: None,
                lots: vec![],
            },
        )?;
    }
    walk.say(format!(
        "warehouse {warehouse_code} registered; received 10 widgets, 4 gadgets, 25.5 m of cable"
    ));

    // --- quotation -> confirmed -------------------------------------------------------
    let order_id = OrderId(Uuid::new_v4());
    walk.run(
        "sam.sales",
        walk.at(3, 9),
        Uuid::new_v4(),
        CreateQuotation {
            order_id,
            customer_id,
            warehouse_id,
            lines: vec![
                RequestedLine::new(widget, dec("10")?),
                RequestedLine::new(gadget, dec("6")?),
                RequestedLine::new(cable, dec("25.5")?),
            ],
            customer_reference: "ACME-PO-2291".into(),
            shipping_policy: Default::default(),
            backorder_policy: None,
            urgent: false,
        },
    )?;
    walk.say("quotation created for Acme Retail with three lines, priced from the list prices".into());
    walk.show_order(order_id);
    let confirmed = walk.run(
        "sam.sales",
        walk.at(3, 10),
        Uuid::new_v4(),
        ConfirmOrder { order_id },
    )?;
    if let Some(o2c::Event::OrderConfirmed(e)) = confirmed.events.first().map(|e| &e.payload) {
        walk.say(format!(
            "order confirmed: value {}, credit exposure {} within limit {}",
            walk.money(e.amount.amount),
            walk.money(e.exposure.amount),
            e.credit_limit
                .map(|l| walk.money(l.amount))
                .unwrap_or_else(|| "none".into())
        ));
    }

    // --- reserve: the gadget line is only partly available --------------------------------
    walk.run(
        "wes.warehouse",
        walk.at(3, 11),
        Uuid::new_v4(),
        ReserveStock { order_id },
    )?;
    walk.say("stock reserved: the gadget line gets 4 of 6, the other 2 wait".into());
    walk.show_order(order_id);

    // --- first shipment; the rest is a backorder -----------------------------------------
    walk.run(
        "wes.warehouse",
        walk.at(4, 14),
        Uuid::new_v4(),
        ShipOrder {
            shipment_id: Uuid::new_v4().into(),
            order_id,
            lines: vec![],
            warehouse_id: None,
            carrier: String::new(),
            tracking_reference: String::new(),
        },
    )?;
    walk.say("shipment 1 dispatched with everything reserved; 2 gadgets left as a backorder".into());
    walk.show_order(order_id);

    // --- invoice the delivered quantities, receive and allocate the payment -------------
    walk.invoice_and_collect(order_id, 5, "first")?;

    // --- the backorder: stock arrives, is reserved, ships, is invoiced and paid ----------
    walk.run(
        "wes.warehouse",
        walk.at(16, 9),
        Uuid::new_v4(),
        ReceiveStock {
            product_id: gadget,
            warehouse_id,
            quantity: dec("2")?,
            reference: "PO-7790".into(),
            location_id: None,
            lots: vec![],
        },
    )?;
    walk.run(
        "wes.warehouse",
        walk.at(16, 10),
        Uuid::new_v4(),
        ReserveStock { order_id },
    )?;
    walk.run(
        "wes.warehouse",
        walk.at(16, 15),
        Uuid::new_v4(),
        ShipOrder {
            shipment_id: Uuid::new_v4().into(),
            order_id,
            lines: vec![],
            warehouse_id: None,
            carrier: String::new(),
            tracking_reference: String::new(),
        },
    )?;
    walk.say("2 gadgets received, reserved and shipped as shipment 2: the backorder is closed".into());
    walk.show_order(order_id);
    walk.invoice_and_collect(order_id, 17, "second")?;
    walk.show_order(order_id);
    let customer = walk.engine.customer(customer_id).ok_or("customer missing")?;
    walk.say(format!(
        "Acme Retail: receivable {}, exposure {}",
        walk.money(customer.receivable),
        walk.money(customer.exposure())
    ));

    // --- the read side: projections and a subscription --------------------------------------
    // Over the 30 days from the walk's first day: this walk's figures (a run on a used
    // directory starts after the latest business date already in the log).
    let (first, thirtieth) = (walk.at(1, 0).date_naive(), walk.at(30, 0).date_naive());
    let fill = walk.engine.fill_rate(first, thirtieth).overall;
    let cycles = walk.engine.cycle_times(first, thirtieth);
    let percent = |rate: Option<Decimal>| {
        rate.map_or("-".to_string(), |r| {
            format!("{}%", (r * Decimal::ONE_HUNDRED).normalize())
        })
    };
    walk.say(format!(
        "fill rate: {} of {} orders complete in their first shipment; units {}",
        fill.orders_complete,
        fill.orders,
        percent(fill.unit_rate)
    ));
    let days = |d: Option<Decimal>| d.map_or("-".to_string(), |d| format!("{d} days"));
    walk.say(format!(
        "cycle times: confirmed -> shipped {}, invoice -> paid {} (averages)",
        days(cycles.confirmation_to_shipped.average_days),
        days(cycles.invoice_to_paid.average_days)
    ));
    walk.say(format!(
        "backlog: {} open row(s); orders on credit hold: {}",
        walk.engine.backlog(None).open.len(),
        walk.engine.credit_holds(None).len()
    ));
    let mut feed = walk.engine.subscribe(1);
    let mut received = 0u64;
    while feed.try_next()?.is_some() {
        received += 1;
    }
    walk.say(format!(
        "a subscriber from position 1 caught up with {received} events; it now waits for new ones at position {}",
        feed.position()
    ));
    drop(feed);

    // --- archival: the settled order leaves the in-memory book ------------------------------
    let archival = walk.run(
        "bea.billing",
        walk.at(24, 10),
        Uuid::new_v4(),
        ArchiveOrder { order_id },
    )?;
    let archived = archival
        .events
        .iter()
        .find_map(|e| match &e.payload {
            Event::OrderArchived(a) => Some(a),
            _ => None,
        })
        .ok_or("the archival recorded no OrderArchived")?;
    if walk.engine.order(order_id).is_some() {
        return Err("the archived order is still in the book".into());
    }
    walk.say(format!(
        "the order is settled (shipped, invoiced and paid): archived with {} shipments, {} invoices and {} payments; \
         the book no longer holds them, the log keeps their events",
        archived.shipment_ids.len(),
        archived.invoice_ids.len(),
        archived.payment_ids.len()
    ));

    // --- close, reopen, replay ------------------------------------------------------------
    let live_head = walk.engine.head();
    let live_digest = walk.engine.state_digest()?;
    println!();
    println!(
        "live:     head position {}, head hash {}",
        live_head.position, live_head.hash
    );
    println!("          state digest {live_digest}");
    walk.engine.close()?;

    // The whole log folded again (the book's snapshot stored on close left unread).
    let whole_log = EngineOptions {
        book_snapshot: false,
        ..EngineOptions::default()
    };
    let reopened = Engine::open_with(data_dir, whole_log)?;
    let replayed_head = reopened.head();
    let replayed_digest = reopened.state_digest()?;
    drop(reopened);
    println!(
        "replayed: head position {}, head hash {}",
        replayed_head.position, replayed_head.hash
    );
    println!("          state digest {replayed_digest}");
    // And resumed from that snapshot, as a plain open does.
    let resumed = Engine::open(data_dir)?;
    let resumed_from = resumed.resumed_from();
    let resumed_digest = resumed.state_digest()?;
    println!(
        "resumed from the book snapshot at position {}: state digest {resumed_digest}",
        resumed_from.map_or(0, |head| head.position)
    );
    if replayed_head != live_head || replayed_digest != live_digest {
        return Err("replayed state differs from the live state".into());
    }
    if resumed_from != Some(live_head) || resumed_digest != live_digest {
        return Err("the state resumed from the book snapshot differs from the live state".into());
    }
    println!("the reopened log verifies, and the rebuilt state and head hash are identical");
    Ok(order_id)
}
