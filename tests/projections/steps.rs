//! The steps every projection test shares: dates of 2026, customers, quotations and
//! confirmed orders (with promised dates), stock received, reserved and shipped, invoices
//! drafted and posted, payments, credit notes, exchange rates and credit-hold releases,
//! returns received and resolved, claims opened, answered, resolved and reopened, and the
//! projections rebuilt from the engine's log.

use o2c::chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use o2c::claim::{
    ClaimPriority, ClaimResolution, ClaimSubject, ClaimType, OpenClaim, ReopenClaim, ResolveClaim,
    RespondToClaim,
};
use o2c::customer::RegisterCustomer;
use o2c::exchange::SetExchangeRate;
use o2c::ids::{ClaimId, ReturnId};
use o2c::invoice::{CreateCreditNote, CreateInvoice, CreditNoteKind, PostInvoice};
use o2c::money::{CurrencyCode, Money};
use o2c::order::{ConfirmOrder, CreateQuotation, ReleaseCreditHold, RequestedLine, ReserveStock};
use o2c::payment::{AllocatePayment, PaymentMethod, ReceivePayment};
use o2c::projections::Projections;
use o2c::returns::{
    AuthoriseReturn, InspectReturn, InspectionDecision, InspectionOutcome, ReceiveReturn, Resolution,
    ResolveReturn, ReturnQuantity,
};
use o2c::rust_decimal::Decimal;
use o2c::shipment::{ShipLine, ShipOrder};
use o2c::stock::ReceiveStock;
use o2c::{CreditNoteId, CustomerId, InvoiceId, OrderId, PaymentId, ProductId, Role, ShipmentId};

use crate::support::{World, dec, details, person, usd};

/// A date of 2026 (the harness starts on 2026-03-02).
pub(crate) fn day(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, day).unwrap()
}

/// Moves the business clock to 09:00 on a day of March 2026 (never backwards: on the
/// current day the clock stays where it is).
pub(crate) fn on(w: &mut World, d: u32) {
    assert!(w.h.now.date_naive() <= day(3, d), "the clock never goes back");
    if w.h.now.date_naive() < day(3, d) {
        w.h.now = Utc.with_ymd_and_hms(2026, 3, d, 9, 0, 0).unwrap();
    }
}

/// Every projection, rebuilt from the engine's whole log.
pub(crate) fn projections(w: &World) -> Projections {
    Projections::rebuild(&w.h.engine.events(1, usize::MAX).unwrap())
}

/// Every projection rebuilt from the engine's log, after checking that the ones the engine
/// keeps live (backlog, fill rate, on-time, cycle times) are the same as their rebuilds.
pub(crate) fn checked_projections(w: &World) -> Projections {
    let rebuilt = projections(w);
    let live = w.h.engine.projections(Projections::clone);
    assert_eq!(live.backlog, rebuilt.backlog, "live backlog = rebuilt backlog");
    assert_eq!(live.fill_rate, rebuilt.fill_rate, "live fill rate = rebuilt");
    assert_eq!(live.on_time, rebuilt.on_time, "live on-time = rebuilt");
    assert_eq!(
        live.cycle_times, rebuilt.cycle_times,
        "live cycle times = rebuilt"
    );
    assert_eq!(live.returns, rebuilt.returns, "live returns = rebuilt");
    assert_eq!(live.claims, rebuilt.claims, "live claims = rebuilt");
    rebuilt
}

/// An instant of 2026, UTC. March 2026: the 2nd, 9th, 16th and 23rd are Mondays.
pub(crate) fn at(month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, hour, minute, 0).unwrap()
}

/// The next command runs at `time` (the harness adds a minute before each command).
pub(crate) fn clock(w: &mut World, time: DateTime<Utc>) {
    assert!(time > w.h.now, "the business clock only moves forward");
    w.h.now = time - Duration::minutes(1);
}

/// A customer's receivable as the book keeps it.
pub(crate) fn receivable(w: &World, customer_id: CustomerId) -> Decimal {
    w.h.engine.customer(customer_id).unwrap().receivable
}

/// Registers a customer paying `days` after the invoice date, with a credit limit in
/// dollars or none.
pub(crate) fn customer(w: &mut World, name: &str, days: u32, credit_limit: Option<&str>) -> CustomerId {
    let customer_id = w.h.id();
    w.h.ok(RegisterCustomer {
        customer_id,
        details: details(name, days),
        credit_limit: credit_limit.map(usd),
    });
    customer_id
}

/// Receives `quantity` of a product into the standard warehouse.
pub(crate) fn receive(w: &mut World, product_id: ProductId, quantity: &str) {
    let warehouse_id = w.warehouse;
    w.h.ok(ReceiveStock {
        product_id,
        warehouse_id,
        quantity: dec(quantity),
        reference: "PO-1".into(),
        location_id: None,
        lots: vec![],
    });
}

/// A line to order: product, quantity, day of March promised (if any).
pub(crate) type Wanted<'a> = (ProductId, &'a str, Option<u32>);

/// A quotation of `customer_id` for `lines`, shipped from the standard warehouse.
pub(crate) fn quote(w: &mut World, customer_id: CustomerId, lines: Vec<RequestedLine>) -> OrderId {
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

/// Confirms a quotation.
pub(crate) fn confirm(w: &mut World, order_id: OrderId) {
    w.h.ok(ConfirmOrder { order_id });
}

/// A confirmed order of `customer_id`.
pub(crate) fn order_for(w: &mut World, customer_id: CustomerId, lines: &[Wanted<'_>]) -> OrderId {
    let lines = lines
        .iter()
        .map(|(product_id, quantity, promised)| {
            let mut line = RequestedLine::new(*product_id, dec(quantity));
            line.promised_date = promised.map(|d| day(3, d));
            line
        })
        .collect();
    let order_id = quote(w, customer_id, lines);
    confirm(w, order_id);
    order_id
}

/// A confirmed order of Acme.
pub(crate) fn order(w: &mut World, lines: &[Wanted<'_>]) -> OrderId {
    let customer_id = w.customer;
    order_for(w, customer_id, lines)
}

/// Reserves what stock there is for an order.
pub(crate) fn reserve(w: &mut World, order_id: OrderId) {
    w.h.ok(ReserveStock { order_id });
}

/// Ships `(line, quantity)` of an order's reserved goods; no lines ships all of them.
pub(crate) fn ship(w: &mut World, order_id: OrderId, lines: &[(u32, &str)]) -> ShipmentId {
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
        warehouse_id: None,
        carrier: String::new(),
        tracking_reference: String::new(),
    });
    shipment_id
}

/// Receives what an order needs, reserves and ships it all.
pub(crate) fn deliver(w: &mut World, order_id: OrderId) -> ShipmentId {
    let needs: Vec<(ProductId, String)> =
        w.h.engine
            .order(order_id)
            .unwrap()
            .lines
            .iter()
            .map(|l| (l.product_id, l.open_quantity().to_string()))
            .collect();
    for (product_id, quantity) in &needs {
        receive(w, *product_id, quantity);
    }
    reserve(w, order_id);
    ship(w, order_id, &[])
}

/// Drafts an invoice of what an order may invoice, in the order's currency or in
/// `currency`.
pub(crate) fn draft_invoice(w: &mut World, order_id: OrderId, currency: Option<CurrencyCode>) -> InvoiceId {
    let invoice_id = w.h.id();
    w.h.ok(CreateInvoice {
        invoice_id,
        order_id,
        additional_orders: vec![],
        currency,
    });
    invoice_id
}

/// Drafts and posts an invoice of what an order may invoice, in the order's currency.
pub(crate) fn post_invoice(w: &mut World, order_id: OrderId) -> InvoiceId {
    let invoice_id = draft_invoice(w, order_id, None);
    w.h.ok(PostInvoice { invoice_id });
    invoice_id
}

/// An order of `customer_id` for `lines`, confirmed, received, shipped, and invoiced today
/// in its currency or in `currency`.
pub(crate) fn invoiced(
    w: &mut World,
    customer_id: CustomerId,
    lines: &[(ProductId, &str)],
    currency: Option<CurrencyCode>,
) -> InvoiceId {
    let wanted: Vec<Wanted<'_>> = lines
        .iter()
        .map(|(product_id, quantity)| (*product_id, *quantity, None))
        .collect();
    let order_id = order_for(w, customer_id, &wanted);
    deliver(w, order_id);
    let invoice_id = draft_invoice(w, order_id, currency);
    w.h.ok(PostInvoice { invoice_id });
    invoice_id
}

/// A payment of `amount` received today from `customer_id`, allocated to `invoice_id`
/// (to `installment`, or oldest installment first).
pub(crate) fn pay(
    w: &mut World,
    customer_id: CustomerId,
    invoice_id: InvoiceId,
    amount: Money,
    installment: Option<u32>,
) -> PaymentId {
    let payment_id = w.h.id();
    w.h.ok(ReceivePayment {
        payment_id,
        customer_id,
        amount,
        method: PaymentMethod::BankTransfer,
        reference: "remittance".into(),
    });
    w.h.ok(AllocatePayment {
        payment_id,
        invoice_id,
        amount,
        installment,
    });
    payment_id
}

/// Issues a credit note of `kind` against an invoice today.
pub(crate) fn credit_note(
    w: &mut World,
    invoice_id: InvoiceId,
    kind: CreditNoteKind,
    reason: &str,
) -> CreditNoteId {
    let credit_note_id = w.h.id();
    w.h.ok(CreateCreditNote {
        credit_note_id,
        invoice_id,
        kind,
        reason: reason.into(),
    });
    credit_note_id
}

/// Sets the euro at `rate` USD from `from` on.
pub(crate) fn euro_at(w: &mut World, from: NaiveDate, rate: &str) {
    w.h.ok(SetExchangeRate {
        currency: CurrencyCode::new("EUR").unwrap(),
        date: from,
        rate: dec(rate),
    });
}

/// A credit controller (not the order's creator) releases an order's credit hold.
pub(crate) fn release_credit_hold(w: &mut World, order_id: OrderId, note: &str) {
    let controller = person("controller", &[Role::CreditController]);
    w.h.as_actor(controller, |h| {
        h.ok(ReleaseCreditHold {
            order_id,
            note: note.into(),
        })
    });
}

/// `(order line, quantity)` pairs as return quantities (untracked goods).
fn return_lines(lines: &[(u32, &str)]) -> Vec<ReturnQuantity> {
    lines
        .iter()
        .map(|(order_line, quantity)| ReturnQuantity {
            order_line: *order_line,
            quantity: dec(quantity),
            lot: None,
            serials: vec![],
        })
        .collect()
}

/// Authorises the return of `(order line, quantity)` of an order for a reason code.
pub(crate) fn authorise_return(
    w: &mut World,
    order_id: OrderId,
    reason: &str,
    lines: &[(u32, &str)],
) -> ReturnId {
    let return_id = w.h.id();
    w.h.ok(AuthoriseReturn {
        return_id,
        order_id,
        lines: return_lines(lines),
        reason: reason.into(),
        note: String::new(),
        valid_until: None,
        warehouse_id: None,
    });
    return_id
}

/// Receives `(order line, quantity)` back on an authorisation.
pub(crate) fn receive_return(w: &mut World, return_id: ReturnId, lines: &[(u32, &str)]) {
    w.h.ok(ReceiveReturn {
        return_id,
        lines: return_lines(lines),
    });
}

/// Puts `(order line, quantity)` of received goods back into stock.
pub(crate) fn restock(w: &mut World, return_id: ReturnId, lines: &[(u32, &str)]) {
    w.h.ok(InspectReturn {
        return_id,
        decisions: lines
            .iter()
            .map(|(order_line, quantity)| InspectionDecision {
                order_line: *order_line,
                lot: None,
                serials: vec![],
                quantity: dec(quantity),
                outcome: InspectionOutcome::Restock,
            })
            .collect(),
    });
}

/// Resolves what an authorisation received and did not resolve yet.
pub(crate) fn resolve_return(w: &mut World, return_id: ReturnId, resolution: Resolution) {
    w.h.ok(ResolveReturn {
        return_id,
        resolution,
    });
}

/// A claim about an order (or, with `disputed`, a pricing dispute about an invoice).
pub(crate) fn about_order(order_id: OrderId) -> ClaimSubject {
    ClaimSubject {
        order_id: Some(order_id),
        ..ClaimSubject::default()
    }
}

/// Opens a claim of `customer_id` and returns its id; `disputed` puts an amount of the
/// invoice claimed about on hold.
pub(crate) fn open_claim(
    w: &mut World,
    customer_id: CustomerId,
    about: ClaimSubject,
    (claim_type, priority): (ClaimType, ClaimPriority),
    disputed: Option<Money>,
) -> ClaimId {
    let claim_id = w.h.id();
    w.h.ok(OpenClaim {
        claim_id,
        customer_id,
        about,
        claim_type,
        priority,
        description: "Not what we expected.".into(),
        document_ids: vec![],
        disputed_amount: disputed,
    });
    claim_id
}

/// Customer service answers a claim (its first response).
pub(crate) fn respond(w: &mut World, claim_id: ClaimId) {
    w.h.ok(RespondToClaim {
        claim_id,
        message: "We are on it.".into(),
    });
}

/// Resolves a claim: a replacement, or rejected with a reason.
pub(crate) fn resolve_claim(w: &mut World, claim_id: ClaimId, rejected: bool) {
    let resolution = if rejected {
        ClaimResolution::Rejected {
            reason: "The order confirmation shows the price invoiced.".into(),
        }
    } else {
        ClaimResolution::Replacement { order_id: None }
    };
    w.h.ok(ResolveClaim { claim_id, resolution });
}

/// Reopens a resolved or closed claim.
pub(crate) fn reopen_claim(w: &mut World, claim_id: ClaimId) {
    w.h.ok(ReopenClaim {
        claim_id,
        reason: "The customer came back.".into(),
    });
}
