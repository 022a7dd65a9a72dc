//! Shared steps of the return scenarios: products (tracked by lot or serial, taxed),
//! delivered and invoiced orders, the return commands, and reads of stock by location.

use crate::support::{COMPANY, World, dec, details, usd};
use o2c::chrono::NaiveDate;
use o2c::company::{ChangeCompanySettings, CompanySettings};
use o2c::customer::RegisterCustomer;
use o2c::ids::ReturnId;
use o2c::invoice::{CreateInvoice, CreditNote, Invoice, PostInvoice};
use o2c::location::{LocationKind, standard_location, virtual_location};
use o2c::order::{ConfirmOrder, CreateQuotation, OrderLine, RequestedLine, ReserveStock, SalesOrder};
use o2c::payment::{AllocatePayment, PaymentMethod, ReceivePayment};
use o2c::product::{ChangeProduct, RegisterProduct, Unit};
use o2c::returns::{
    AuthoriseReturn, InspectReturn, InspectionDecision, InspectionOutcome, ReceiveReturn, Resolution,
    ResolveReturn, ReturnAuthorisation, ReturnQuantity,
};
use o2c::rust_decimal::Decimal;
use o2c::shipment::{ShipLine, ShipOrder};
use o2c::stock::{ReceiveStock, ReceivedLot, Tracking};
use o2c::tax::{DefineTax, Tax, TaxComputation};
use o2c::{
    CreditNoteId, CustomerId, Event, InvoiceId, LocationId, OrderId, Outcome, PaymentId, ProductId,
    ShipmentId, TaxId,
};

/// A calendar date.
pub(crate) fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

/// The payloads a command recorded.
pub(crate) fn events(outcome: Outcome) -> Vec<Event> {
    outcome.events.into_iter().map(|e| e.payload).collect()
}

/// The single event a command recorded.
pub(crate) fn only(outcome: Outcome) -> Event {
    let mut events = events(outcome);
    assert_eq!(events.len(), 1, "expected one event, got {events:?}");
    events.remove(0)
}

/// The names of the events a command recorded, in order.
pub(crate) fn names(outcome: &Outcome) -> Vec<&'static str> {
    outcome.events.iter().map(|e| e.payload.name()).collect()
}

// --- master data ----------------------------------------------------------------------------

/// Registers a piece product at `price` tracked as given.
pub(crate) fn product(w: &mut World, sku: &str, price: &str, tracking: Tracking) -> ProductId {
    let product_id = w.h.id();
    w.h.ok(RegisterProduct {
        product_id,
        sku: sku.into(),
        name: sku.into(),
        unit: Unit {
            code: "pcs".into(),
            decimals: 0,
        },
        list_price: usd(price),
        category: None,
        floor_price: None,
        tracking,
        substitutes: vec![],
        invoice_policy: Default::default(),
        taxes: vec![],
    });
    product_id
}

/// Defines "VAT <rate>%", added to the price, and puts it on `product_id`.
pub(crate) fn vat_on(w: &mut World, rate: &str, product_id: ProductId) -> TaxId {
    let tax_id = w.h.id();
    w.h.ok(DefineTax {
        tax: Tax {
            tax_id,
            name: format!("VAT {rate}%"),
            computation: TaxComputation::Percent(dec(rate)),
            price_included: false,
            affects_later: false,
        },
    });
    let p = w.h.engine.read(|book| book.product(product_id).cloned().unwrap());
    w.h.ok(ChangeProduct {
        product_id,
        name: p.name,
        category: p.category,
        list_price: p.list_price,
        floor_price: p.floor_price,
        substitutes: p.substitutes,
        invoice_policy: p.invoice_policy,
        taxes: vec![tax_id],
    });
    tax_id
}

/// Registers another customer.
pub(crate) fn other_customer(w: &mut World, name: &str) -> CustomerId {
    let customer_id = w.h.id();
    w.h.ok(RegisterCustomer {
        customer_id,
        details: details(name, 30),
        credit_limit: None,
    });
    customer_id
}

/// Changes the company's settings, starting from the current ones.
pub(crate) fn change_settings(w: &mut World, change: impl FnOnce(&mut CompanySettings)) {
    let mut settings = w.h.engine.read(|book| book.company().unwrap().settings.clone());
    change(&mut settings);
    w.h.ok(ChangeCompanySettings { settings });
}

// --- stock ----------------------------------------------------------------------------------

/// Receives untracked goods into the standard warehouse.
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

/// Receives lots (or serial numbers) of a tracked product.
pub(crate) fn receive_lots(w: &mut World, product_id: ProductId, lots: &[(&str, &str)]) {
    let warehouse_id = w.warehouse;
    let received: Vec<ReceivedLot> = lots
        .iter()
        .map(|(number, quantity)| ReceivedLot {
            number: (*number).into(),
            expires_on: None,
            quantity: dec(quantity),
        })
        .collect();
    w.h.ok(ReceiveStock {
        product_id,
        warehouse_id,
        quantity: received.iter().map(|l| l.quantity).sum(),
        reference: "PO-1".into(),
        location_id: None,
        lots: received,
    });
}

/// A standard location of the standard warehouse.
pub(crate) fn at(w: &World, kind: LocationKind) -> LocationId {
    standard_location(w.warehouse, kind)
}

/// One of the company's virtual locations.
pub(crate) fn virtual_at(kind: LocationKind) -> LocationId {
    virtual_location(COMPANY, kind)
}

/// The quantity of a product (all lots, or one lot) at a location.
pub(crate) fn qty_at(w: &World, product_id: ProductId, location: LocationId, lot: Option<&str>) -> Decimal {
    w.h.engine.read(|book| {
        book.stock(product_id).map_or(Decimal::ZERO, |s| match lot {
            Some(lot) => s.quant(location, Some(lot)).quantity,
            None => s.at(location),
        })
    })
}

/// A product's quantities at the standard warehouse's stock, returns, quarantine and scrap
/// locations and at the customers' and suppliers' locations.
pub(crate) fn where_is(w: &World, product_id: ProductId) -> [Decimal; 6] {
    [
        qty_at(w, product_id, at(w, LocationKind::Stock), None),
        qty_at(w, product_id, at(w, LocationKind::Returns), None),
        qty_at(w, product_id, at(w, LocationKind::Quarantine), None),
        qty_at(w, product_id, at(w, LocationKind::Scrap), None),
        qty_at(w, product_id, virtual_at(LocationKind::Customer), None),
        qty_at(w, product_id, virtual_at(LocationKind::Supplier), None),
    ]
}

/// Asserts that a product sums to zero over every location.
pub(crate) fn assert_conserved(w: &World, product_id: ProductId) {
    let total: Decimal = w.h.engine.read(|book| {
        book.stock(product_id).map_or(Decimal::ZERO, |s| {
            s.each_quant().map(|(_, _, q)| q.quantity).sum()
        })
    });
    assert_eq!(total, Decimal::ZERO, "stock of {product_id} is not conserved");
}

/// Decimals from text, in order.
pub(crate) fn decs<const N: usize>(values: [&str; N]) -> [Decimal; N] {
    values.map(dec)
}

// --- orders, shipments, invoices ------------------------------------------------------------

/// A confirmed order of `customer_id` for `lines`.
pub(crate) fn confirmed_for(w: &mut World, customer_id: CustomerId, lines: &[(ProductId, &str)]) -> OrderId {
    let order_id = w.h.id();
    let warehouse_id = w.warehouse;
    w.h.ok(CreateQuotation {
        order_id,
        customer_id,
        warehouse_id,
        lines: lines
            .iter()
            .map(|(product_id, quantity)| RequestedLine::new(*product_id, dec(quantity)))
            .collect(),
        customer_reference: String::new(),
        shipping_policy: Default::default(),
        backorder_policy: None,
        urgent: false,
    });
    w.h.ok(ConfirmOrder { order_id });
    order_id
}

/// Reserves what an order still needs and ships what it has reserved (all of it, or
/// `lines`).
pub(crate) fn ship(w: &mut World, order_id: OrderId, lines: &[(u32, &str)]) -> ShipmentId {
    if order(w, order_id)
        .lines
        .iter()
        .any(|l| l.unreserved() > Decimal::ZERO)
    {
        w.h.ok(ReserveStock { order_id });
    }
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

/// An order of Acme for `lines`, received, reserved and shipped in full.
pub(crate) fn delivered(w: &mut World, lines: &[(ProductId, &str)]) -> OrderId {
    for (product_id, quantity) in lines {
        receive(w, *product_id, quantity);
    }
    let customer = w.customer;
    let order_id = confirmed_for(w, customer, lines);
    ship(w, order_id, &[]);
    order_id
}

/// A posted invoice of what an order may invoice now.
pub(crate) fn posted_invoice(w: &mut World, order_id: OrderId) -> InvoiceId {
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

/// Acme pays `amount` and it is allocated to the invoice.
pub(crate) fn pay(w: &mut World, invoice_id: InvoiceId, amount: &str) -> PaymentId {
    let payment_id = w.h.id();
    let customer_id = w.customer;
    w.h.ok(ReceivePayment {
        payment_id,
        customer_id,
        amount: usd(amount),
        method: PaymentMethod::BankTransfer,
        reference: "remittance".into(),
    });
    w.h.ok(AllocatePayment {
        payment_id,
        invoice_id,
        amount: usd(amount),
        installment: None,
    });
    payment_id
}

pub(crate) fn order(w: &World, order_id: OrderId) -> SalesOrder {
    w.h.engine.order(order_id).unwrap()
}

pub(crate) fn order_line(w: &World, order_id: OrderId, number: u32) -> OrderLine {
    order(w, order_id).line(number).cloned().unwrap()
}

/// A line's delivered, pending, credited and invoiced quantities.
pub(crate) fn figures(w: &World, order_id: OrderId, number: u32) -> [Decimal; 4] {
    let l = order_line(w, order_id, number);
    [l.delivered, l.return_pending, l.return_credited, l.invoiced]
}

pub(crate) fn invoice(w: &World, invoice_id: InvoiceId) -> Invoice {
    w.h.engine.invoice(invoice_id).unwrap()
}

pub(crate) fn credit_note(w: &World, credit_note_id: CreditNoteId) -> CreditNote {
    w.h.engine
        .read(|book| book.credit_note(credit_note_id).cloned().unwrap())
}

// --- returns --------------------------------------------------------------------------------

/// `quantity` of an order line.
pub(crate) fn rq(order_line: u32, quantity: &str) -> ReturnQuantity {
    ReturnQuantity {
        order_line,
        quantity: dec(quantity),
        lot: None,
        serials: vec![],
    }
}

/// `quantity` of a lot of an order line.
pub(crate) fn rq_lot(order_line: u32, quantity: &str, lot: &str) -> ReturnQuantity {
    ReturnQuantity {
        lot: Some(lot.into()),
        ..rq(order_line, quantity)
    }
}

/// Serial numbers of an order line (one piece each).
pub(crate) fn rq_serials(order_line: u32, serials: &[&str]) -> ReturnQuantity {
    ReturnQuantity {
        order_line,
        quantity: Decimal::from(serials.len()),
        lot: None,
        serials: serials.iter().map(|s| (*s).to_string()).collect(),
    }
}

/// The command authorising `lines` of an order as damaged in transit.
pub(crate) fn authorisation(
    return_id: ReturnId,
    order_id: OrderId,
    lines: Vec<ReturnQuantity>,
) -> AuthoriseReturn {
    AuthoriseReturn {
        return_id,
        order_id,
        lines,
        reason: "damaged-in-transit".into(),
        note: String::new(),
        valid_until: None,
        warehouse_id: None,
    }
}

/// Authorises `lines` of an order as damaged in transit.
pub(crate) fn authorise(w: &mut World, order_id: OrderId, lines: Vec<ReturnQuantity>) -> ReturnId {
    let return_id = w.h.id();
    w.h.ok(authorisation(return_id, order_id, lines));
    return_id
}

/// Receives returned goods.
pub(crate) fn receive_back(w: &mut World, return_id: ReturnId, lines: Vec<ReturnQuantity>) -> Outcome {
    w.h.ok(ReceiveReturn { return_id, lines })
}

/// An inspection decision for an untracked line.
pub(crate) fn decision(order_line: u32, quantity: &str, outcome: InspectionOutcome) -> InspectionDecision {
    InspectionDecision {
        order_line,
        lot: None,
        serials: vec![],
        quantity: dec(quantity),
        outcome,
    }
}

/// Inspects returned goods.
pub(crate) fn inspect(w: &mut World, return_id: ReturnId, decisions: Vec<InspectionDecision>) -> Outcome {
    w.h.ok(InspectReturn { return_id, decisions })
}

/// Resolves a return.
pub(crate) fn resolve(w: &mut World, return_id: ReturnId, resolution: Resolution) -> Outcome {
    w.h.ok(ResolveReturn {
        return_id,
        resolution,
    })
}

/// A credit resolution with a fresh credit note id and a restocking fee.
pub(crate) fn credit(w: &mut World, fee: &str) -> (CreditNoteId, Resolution) {
    let credit_note_id = w.h.id();
    (
        credit_note_id,
        Resolution::Credit {
            credit_note_id,
            restocking_fee_percent: dec(fee),
        },
    )
}

/// An authorisation's state.
pub(crate) fn rma(w: &World, return_id: ReturnId) -> ReturnAuthorisation {
    w.h.engine
        .read(|book| book.return_authorisation(return_id).cloned().unwrap())
}
