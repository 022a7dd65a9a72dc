//! After the sale on the command line: `o2c kpi` prints the returns, open claims, service
//! levels and disputes tables with their figures, and `o2c history` tells the story of a
//! return or a claim. The data directory is made here by commands in business order (the
//! ids are scenario labels, `o2c::scenario::label_id`).

use o2c::chrono::{DateTime, TimeZone, Utc};
use o2c::document::DocumentSubject;
use o2c::scenario::label_id;
use o2c::uuid::Uuid;
use o2c::{
    Actor, ActorId, Command, CommandContext, CompanyId, Engine, Event, Request, Role, StreamId, StreamKind,
};
use serde_json::{Value, json};
use tempfile::TempDir;

use crate::{listed_positions, o2c_on, succeeded};

/// The id of a label, as JSON text.
fn id(label: &str) -> String {
    label_id(label).to_string()
}

/// Executes commands against a data directory, each with its actor's roles and a
/// business time.
struct Writer {
    engine: Engine,
    company: CompanyId,
    step: u32,
}

impl Writer {
    fn run(&mut self, actor: &str, roles: &[Role], at: DateTime<Utc>, command: Value) {
        self.step += 1;
        let text = command.to_string();
        let command: Command = serde_json::from_value(command).unwrap_or_else(|e| panic!("{text}: {e}"));
        let actor = Actor::new(ActorId::new(actor).unwrap()).member_of(self.company, roles.iter().copied());
        let command_id = Uuid::new_v5(&label_id("after-sale"), &self.step.to_be_bytes());
        let context = CommandContext::new(command_id, actor, at);
        self.engine
            .execute(Request::new(context, command))
            .unwrap_or_else(|e| panic!("{text}: {e}"));
    }
}

fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, hour, minute, 0).unwrap()
}

fn usd(amount: &str) -> Value {
    json!({"amount": amount, "currency": "USD"})
}

const SALES: &[Role] = &[Role::SalesManager, Role::SalesRep, Role::Admin];
const WAREHOUSE: &[Role] = &[Role::WarehouseOperator, Role::WarehouseManager];
const BILLING: &[Role] = &[Role::BillingClerk];
const SERVICE: &[Role] = &[Role::CustomerServiceLead];

/// Orders shipped and invoiced to Acme and Beta; two returns received (one credited), three
/// claims: one answered in time and resolved late, one answered late, one pricing dispute.
fn made_after_sale() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let company = CompanyId(label_id("NORTHWIND"));
    let mut w = Writer {
        engine: Engine::open(dir.path()).unwrap(),
        company,
        step: 0,
    };
    let day2 = at(2, 9, 0);
    w.run("ada", &[Role::Admin], day2, json!({"SetUpCompany": {"company_id": id("NORTHWIND"),
        "name": "Northwind Distribution", "base_currency": {"code": "USD", "decimals": 2}, "other_currencies": [],
        "rounding": "HalfAwayFromZero", "settings": {}}}));
    w.run(
        "ada",
        SALES,
        day2,
        json!({"RegisterWarehouse": {"warehouse_id": id("WH-1"), "code": "WH-1", "name": "Main"}}),
    );
    for (product, sku, price) in [("WIDGET", "W-100", "10.00"), ("GADGET", "G-200", "2.50")] {
        w.run(
            "mia",
            SALES,
            day2,
            json!({"RegisterProduct": {"product_id": id(product), "sku": sku, "name": sku,
            "unit": {"code": "pcs", "decimals": 0}, "list_price": usd(price)}}),
        );
        w.run("wes", WAREHOUSE, day2, json!({"ReceiveStock": {"product_id": id(product), "warehouse_id": id("WH-1"), "quantity": "50"}}));
    }
    for (customer, name) in [("ACME", "Acme Retail"), ("BETA", "Beta Stores")] {
        w.run(
            "mia",
            SALES,
            day2,
            json!({"RegisterCustomer": {"customer_id": id(customer), "name": name, "payment_term_days": 30}}),
        );
    }
    let orders = [
        (
            "SO-1",
            "ACME",
            json!([{"product_id": id("WIDGET"), "quantity": "10"}, {"product_id": id("GADGET"), "quantity": "4"}]),
        ),
        (
            "SO-2",
            "BETA",
            json!([{"product_id": id("WIDGET"), "quantity": "5"}]),
        ),
    ];
    for (n, (order, customer, lines)) in orders.into_iter().enumerate() {
        w.run(
            "sam",
            SALES,
            day2,
            json!({"CreateQuotation": {"order_id": id(order), "customer_id": id(customer),
            "warehouse_id": id("WH-1"), "lines": lines}}),
        );
        w.run(
            "sam",
            SALES,
            day2,
            json!({"ConfirmOrder": {"order_id": id(order)}}),
        );
        w.run(
            "wes",
            WAREHOUSE,
            day2,
            json!({"ReserveStock": {"order_id": id(order)}}),
        );
        let shipment = format!("SH-{}", n + 1);
        w.run(
            "wes",
            WAREHOUSE,
            day2,
            json!({"ShipOrder": {"shipment_id": id(&shipment), "order_id": id(order)}}),
        );
        let invoice = format!("INV-{}", n + 1);
        w.run(
            "bill",
            BILLING,
            day2,
            json!({"CreateInvoice": {"invoice_id": id(&invoice), "order_id": id(order)}}),
        );
        w.run(
            "bill",
            BILLING,
            day2,
            json!({"PostInvoice": {"invoice_id": id(&invoice)}}),
        );
    }
    // Returns: 3 widgets of Acme's credited, 1 of Beta's received.
    let one = |quantity: &str| json!([{"order_line": 1, "quantity": quantity}]);
    w.run(
        "lena",
        SERVICE,
        at(5, 9, 0),
        json!({"AuthoriseReturn": {"return_id": id("RMA-1"), "order_id": id("SO-1"),
        "lines": one("3"), "reason": "damaged-in-transit"}}),
    );
    w.run(
        "lena",
        SERVICE,
        at(5, 9, 0),
        json!({"AuthoriseReturn": {"return_id": id("RMA-2"), "order_id": id("SO-2"),
        "lines": one("1"), "reason": "wrong-item"}}),
    );
    w.run(
        "wes",
        WAREHOUSE,
        at(6, 9, 0),
        json!({"ReceiveReturn": {"return_id": id("RMA-1"), "lines": one("3")}}),
    );
    w.run(
        "wes",
        WAREHOUSE,
        at(6, 9, 30),
        json!({"ReceiveReturn": {"return_id": id("RMA-2"), "lines": one("1")}}),
    );
    w.run(
        "max",
        WAREHOUSE,
        at(6, 10, 0),
        json!({"InspectReturn": {"return_id": id("RMA-1"),
        "decisions": [{"order_line": 1, "quantity": "3", "outcome": "Restock"}]}}),
    );
    w.run(
        "lena",
        SERVICE,
        at(6, 11, 0),
        json!({"ResolveReturn": {"return_id": id("RMA-1"),
        "resolution": {"Credit": {"credit_note_id": id("CN-1")}}}}),
    );
    // Claims. Normal (8 / 40 business hours), opened Friday 6 March 15:00: answered in
    // time on Monday, resolved after its due instant (Friday 13 March 15:00).
    w.run(
        "cora",
        SERVICE,
        at(6, 15, 0),
        json!({"OpenClaim": {"claim_id": id("CLM-1"), "customer_id": id("ACME"),
        "about": {"order_id": id("SO-1")}, "claim_type": "DamagedGoods", "priority": "Normal",
        "description": "Cracked housings."}}),
    );
    w.run(
        "cora",
        SERVICE,
        at(7, 10, 0),
        json!({"AttachDocument": {"document_id": id("DOC-1"),
        "about": {"Claim": {"claim_id": id("CLM-1")}}, "kind": "PhotoOfDamage", "title": "Cracked housing",
        "storage_reference": "s3://docs/clm-1.jpg", "sha256": "a".repeat(64)}}),
    );
    w.run(
        "cora",
        SERVICE,
        at(9, 14, 30),
        json!({"RespondToClaim": {"claim_id": id("CLM-1"), "message": "Sorry."}}),
    );
    // High (4 business hours to the first response): answered late.
    w.run(
        "cora",
        SERVICE,
        at(10, 9, 0),
        json!({"OpenClaim": {"claim_id": id("CLM-2"), "customer_id": id("BETA"),
        "about": {"order_id": id("SO-2")}, "claim_type": "ShortShipment", "priority": "High",
        "description": "One carton missing."}}),
    );
    w.run(
        "cora",
        SERVICE,
        at(10, 15, 0),
        json!({"RespondToClaim": {"claim_id": id("CLM-2"), "message": "Checking."}}),
    );
    w.run(
        "cora",
        SERVICE,
        at(11, 9, 0),
        json!({"OpenClaim": {"claim_id": id("CLM-3"), "customer_id": id("ACME"),
        "about": {"invoice_id": id("INV-1")}, "claim_type": "PricingDispute", "priority": "Normal",
        "description": "Gadgets were quoted at 2.00.", "disputed_amount": usd("20.00")}}),
    );
    w.run(
        "lena",
        SERVICE,
        at(17, 10, 0),
        json!({"ResolveClaim": {"claim_id": id("CLM-1"),
        "resolution": {"Replacement": {}}}}),
    );
    w.engine.close().unwrap();
    dir
}

/// The lines of `out` from the heading starting with `title` to the next blank line after
/// its tables.
fn section<'a>(out: &'a str, title: &str) -> Vec<&'a str> {
    let mut lines = out.lines().skip_while(|l| !l.starts_with(title));
    let mut found: Vec<&str> = lines.next().into_iter().collect();
    // A section's tables are separated by one blank line; the next heading follows one too.
    for line in lines {
        if !line.is_empty() && !line.starts_with("  ") {
            break;
        }
        found.push(line);
    }
    assert!(!found.is_empty(), "no section {title:?}:\n{out}");
    found
}

/// The row of a section whose first cell is `first`, split into its cells.
fn row<'a>(lines: &[&'a str], first: &str) -> Vec<&'a str> {
    lines
        .iter()
        .find(|l| l.trim_start().starts_with(first))
        .map(|l| l.split("  ").map(str::trim).filter(|c| !c.is_empty()).collect())
        .unwrap_or_else(|| panic!("no row {first:?} in:\n{}", lines.join("\n")))
}

#[test]
fn kpi_prints_returns_claims_service_levels_and_disputes() {
    let dir = made_after_sale();
    let out = succeeded(&o2c_on(dir.path(), &["kpi"]));
    assert!(out.contains("as of 2026-03-17"), "{out}");

    let returns = section(&out, "Returns received 2026-02-16 to 2026-03-17");
    assert_eq!(
        row(&returns, "damaged-in-transit"),
        ["damaged-in-transit", "1", "3", "30.00 USD"]
    );
    assert_eq!(row(&returns, "wrong-item"), ["wrong-item", "1", "1", "10.00 USD"]);
    // 4 of 15 widgets came back; no gadget did.
    assert_eq!(row(&returns, "W-100"), ["W-100", "15", "4", "26.67%"]);
    assert!(!returns.iter().any(|l| l.contains("G-200")), "{returns:?}");
    assert_eq!(row(&returns, "Acme Retail"), ["Acme Retail", "14", "3", "21.43%"]);
    assert_eq!(row(&returns, "Beta Stores"), ["Beta Stores", "5", "1", "20%"]);

    let open = section(&out, "Claims open as of 2026-03-17");
    assert_eq!(row(&open, "short shipment"), ["short shipment", "1", "7", "7"]);
    assert_eq!(row(&open, "pricing dispute"), ["pricing dispute", "1", "6", "6"]);
    let claims: Vec<&str> = open
        .iter()
        .filter(|l| l.starts_with("  ") && l.contains("2026-03-1"))
        .map(|l| l.split_whitespace().next().unwrap_or_default())
        .collect();
    let short = |label: &str| label_id(label).simple().to_string()[..8].to_string();
    assert_eq!(claims, [short("CLM-2"), short("CLM-3")], "oldest first: {open:?}");

    let levels = section(&out, "Claim service levels, targets met 2026-02-16 to 2026-03-17");
    assert_eq!(
        row(&levels, "normal"),
        ["normal", "1", "1", "100%", "1", "0", "0%"]
    );
    assert_eq!(row(&levels, "high"), ["high", "1", "0", "0%", "0", "0", "-"]);
    assert_eq!(row(&levels, "urgent"), ["urgent", "0", "0", "-", "0", "0", "-"]);

    let disputes = section(&out, "Disputed amounts on hold as of 2026-03-17");
    assert_eq!(
        row(&disputes, "Acme Retail"),
        ["Acme Retail", "INV/2026/00001", &short("CLM-3"), "20.00 USD"]
    );
    assert!(disputes.contains(&"  total USD: 20.00 USD"), "{disputes:?}");

    // Before anything came back or was claimed.
    let out = succeeded(&o2c_on(dir.path(), &["kpi", "--as-of", "2026-03-04"]));
    assert!(out.contains("nothing came back in the period"), "{out}");
    assert!(
        out.contains("no claim was answered or resolved in the period"),
        "{out}"
    );
    assert_eq!(section(&out, "Claims open as of 2026-03-04")[1], "  none");
    assert_eq!(
        section(&out, "Disputed amounts on hold as of 2026-03-04")[1],
        "  none"
    );
}

/// The positions of the events on `stream` or matching `also`, in log order.
fn positions(dir: &TempDir, stream: StreamId, also: impl Fn(&Event) -> bool) -> Vec<u64> {
    let engine = Engine::open(dir.path()).unwrap();
    let events = engine.events(1, usize::MAX).unwrap();
    engine.close().unwrap();
    events
        .iter()
        .filter(|e| e.stream == stream || also(&e.payload))
        .map(|e| e.position)
        .collect()
}

/// Asserts that `phrases` appear in `out` in this order.
fn in_order(out: &str, phrases: &[&str]) {
    let mut from = 0;
    for phrase in phrases {
        let found = out[from..]
            .find(phrase)
            .unwrap_or_else(|| panic!("{phrase:?} missing or out of order:\n{out}"));
        from += found;
    }
}

#[test]
fn history_of_a_return_tells_its_authorisation_receipt_inspection_and_credit() {
    let dir = made_after_sale();
    let return_id = label_id("RMA-1");
    let out = succeeded(&o2c_on(dir.path(), &["history", &return_id.to_string()]));

    assert!(out.starts_with(&format!("Return {return_id} of order ")), "{out}");
    assert!(
        out.lines()
            .next()
            .unwrap_or_default()
            .ends_with("for Acme Retail (damaged-in-transit): Resolved, valid until 2026-04-04"),
        "{out}"
    );
    // Its own stream and its credit note, nothing of the other return.
    let stream = StreamId::new(StreamKind::Return, return_id);
    let credit_note = label_id("CN-1");
    let expected = positions(
        &dir,
        stream,
        |e| matches!(e, Event::CreditNoteIssued(n) if n.credit_note_id.0 == credit_note),
    );
    assert_eq!(expected.len(), 5, "{expected:?}");
    assert_eq!(listed_positions(&out), expected, "{out}");
    in_order(
        &out,
        &[
            "2026-03-05 09:00  lena",
            "authorised for Acme Retail on order",
            "3 pcs W-100, reason damaged-in-transit, valid until 2026-04-04",
            "2026-03-06 09:00  wes",
            "Received 3 pcs W-100 back into WH-1 on return",
            "Inspected the goods of return",
            "3 pcs W-100 restocked",
            "RINV/2026/00001",
            ": 3 pcs W-100 credited (RINV/2026/00001)",
        ],
    );
    // A stream id names it too.
    let by_stream = succeeded(&o2c_on(dir.path(), &["history", &stream.to_string()]));
    assert_eq!(by_stream, out);
}

#[test]
fn history_of_a_claim_tells_its_opening_documents_response_and_resolution() {
    let dir = made_after_sale();
    let claim_id = label_id("CLM-1");
    let out = succeeded(&o2c_on(dir.path(), &["history", &claim_id.to_string()]));

    assert!(
        out.starts_with(&format!(
            "Claim {claim_id} of Acme Retail (damaged goods, normal priority): Resolved"
        )),
        "{out}"
    );
    let stream = StreamId::new(StreamKind::Claim, claim_id);
    let expected = positions(
        &dir,
        stream,
        |e| matches!(e, Event::DocumentAttached(d) if d.about == DocumentSubject::Claim { claim_id: o2c::ids::ClaimId(claim_id) }),
    );
    assert_eq!(expected.len(), 4, "{expected:?}");
    assert_eq!(listed_positions(&out), expected, "{out}");
    let short = &claim_id.simple().to_string()[..8];
    in_order(
        &out,
        &[
            "2026-03-06 15:00  cora",
            &format!("Claim {short} opened by Acme Retail (damaged goods, normal priority) about order"),
            &format!("Photo of damage \"Cracked housing\" attached to claim {short}"),
            "2026-03-09 14:30",
            &format!("First response to claim {short}"),
            "2026-03-17 10:00  lena",
            &format!("Claim {short} resolved: the goods will be replaced"),
        ],
    );
    // The pricing dispute shows what it holds.
    let dispute = succeeded(&o2c_on(dir.path(), &["history", &label_id("CLM-3").to_string()]));
    assert!(
        dispute.starts_with(&format!(
            "Claim {} of Acme Retail (pricing dispute, normal priority): Open, 20.00 USD on hold",
            label_id("CLM-3")
        )),
        "{dispute}"
    );
    assert!(
        dispute.contains("about invoice INV/2026/00001, 20.00 USD on hold"),
        "{dispute}"
    );
}
