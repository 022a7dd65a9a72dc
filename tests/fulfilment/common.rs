//! Shared steps of the fulfilment scenarios: actors, locations, products, receipts, orders,
//! and the pick / pack / ship steps, plus short constructors for the expected events.

use crate::support::{COMPANY, Harness, World, dec, details, person, usd};
use o2c::chrono::NaiveDate;
use o2c::company::SetUpCompany;
use o2c::customer::RegisterCustomer;
use o2c::location::{LocationKind, RegisterLocation, standard_location, virtual_location};
use o2c::money::{Currency, CurrencyCode, RoundingRule};
use o2c::order::{
    ConfirmOrder, CreateQuotation, LineQuantity, OrderLine, QuantReservation, RequestedLine, ReserveStock,
    SalesOrder,
};
use o2c::picking::{LineMove, PackOrder, PickOrder, StepView};
use o2c::product::{RegisterProduct, Unit};
use o2c::rust_decimal::Decimal;
use o2c::shipment::{ShipLine, ShipOrder};
use o2c::stock::{ProductStock, ReceiveStock, ReceivedLot, StockLevel, StockMove, Tracking};
use o2c::unit::DefineUnit;
use o2c::warehouse::{ConfigureWarehouse, OutboundRoute, RegisterWarehouse, ReservationPolicy};
use o2c::{
    Actor, ActorId, Event, LocationId, OperationId, OrderId, Outcome, ProductId, Role, ShipmentId,
    WarehouseId,
};

// --- actors ---------------------------------------------------------------------------------

/// Warehouse operator Paula (picks, packs, ships).
pub(crate) fn picker() -> Actor {
    person("paula", &[Role::WarehouseOperator])
}

/// Warehouse manager Walt (adjusts and scraps).
pub(crate) fn warehouse_manager() -> Actor {
    person("walt", &[Role::WarehouseManager])
}

/// Sales manager Max.
pub(crate) fn sales_manager() -> Actor {
    person("max", &[Role::SalesManager])
}

/// Sales rep Rita.
pub(crate) fn rep() -> Actor {
    person("rita", &[Role::SalesRep])
}

/// Credit controller Carl.
pub(crate) fn controller() -> Actor {
    person("carl", &[Role::CreditController])
}

pub(crate) fn actor_id(name: &str) -> ActorId {
    ActorId::new(name).unwrap()
}

// --- outcomes -------------------------------------------------------------------------------

/// The payloads a command recorded, in log order.
pub(crate) fn events(outcome: Outcome) -> Vec<Event> {
    outcome.events.into_iter().map(|e| e.payload).collect()
}

/// The single event a command recorded.
pub(crate) fn only(outcome: Outcome) -> Event {
    let mut events = events(outcome);
    assert_eq!(events.len(), 1, "expected one event, got {events:?}");
    events.remove(0)
}

// --- dates, locations -----------------------------------------------------------------------

pub(crate) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A standard location of a warehouse.
pub(crate) fn at(warehouse: WarehouseId, kind: LocationKind) -> LocationId {
    standard_location(warehouse, kind)
}

/// The standard world's stock location.
pub(crate) fn stock_of(w: &World) -> LocationId {
    at(w.warehouse, LocationKind::Stock)
}

/// One of the company's virtual locations.
pub(crate) fn virtual_at(kind: LocationKind) -> LocationId {
    virtual_location(COMPANY, kind)
}

/// Registers a bin under a location.
pub(crate) fn bin(w: &mut World, parent: LocationId, name: &str) -> LocationId {
    let location_id = w.h.id();
    w.h.ok(RegisterLocation {
        location_id,
        parent_id: parent,
        name: name.into(),
    });
    location_id
}

// --- warehouses -----------------------------------------------------------------------------

/// Changes the standard warehouse's route and reservation policy.
pub(crate) fn configure(w: &mut World, route: OutboundRoute, reservation: ReservationPolicy) {
    let warehouse_id = w.warehouse;
    w.h.ok(ConfigureWarehouse {
        warehouse_id,
        route,
        reservation,
    });
}

/// A standard world whose warehouse works with `route` and `reservation`.
pub(crate) fn world(route: OutboundRoute, reservation: ReservationPolicy) -> World {
    let mut w = World::new();
    configure(&mut w, route, reservation);
    w
}

/// Registers a second warehouse.
pub(crate) fn warehouse(w: &mut World, code: &str, reservation: ReservationPolicy) -> WarehouseId {
    let warehouse_id = w.h.id();
    w.h.ok(RegisterWarehouse {
        warehouse_id,
        code: code.into(),
        name: code.into(),
        route: OutboundRoute::OneStep,
        reservation,
    });
    warehouse_id
}

// --- products -------------------------------------------------------------------------------

/// A product to register (list price in USD).
pub(crate) struct NewProduct<'a> {
    pub sku: &'a str,
    pub unit: &'a str,
    pub decimals: u32,
    pub price: &'a str,
    pub category: Option<&'a str>,
    pub tracking: Tracking,
    pub substitutes: Vec<ProductId>,
}

impl<'a> NewProduct<'a> {
    /// Untracked, uncategorised, counted in whole `unit`s.
    pub(crate) fn new(sku: &'a str, unit: &'a str, price: &'a str) -> Self {
        Self {
            sku,
            unit,
            decimals: 0,
            price,
            category: None,
            tracking: Tracking::None,
            substitutes: vec![],
        }
    }

    pub(crate) fn tracked(mut self, tracking: Tracking) -> Self {
        self.tracking = tracking;
        self
    }

    pub(crate) fn category(mut self, category: &'a str) -> Self {
        self.category = Some(category);
        self
    }

    pub(crate) fn register(self, h: &mut Harness) -> ProductId {
        let product_id = h.id();
        h.ok(RegisterProduct {
            product_id,
            sku: self.sku.into(),
            name: self.sku.into(),
            unit: Unit {
                code: self.unit.into(),
                decimals: self.decimals,
            },
            list_price: usd(self.price),
            category: self.category.map(Into::into),
            floor_price: None,
            tracking: self.tracking,
            substitutes: self.substitutes,
            invoice_policy: Default::default(),
            taxes: vec![],
        });
        product_id
    }
}

/// The standard world's master data, but with units defined before the products:
/// `pcs` (count, factor 1), `box12` (count, factor 12), `box10` (count, factor 10),
/// `kg` (weight, factor 1, 3 decimals) and `g` (weight, factor 0.001). Widget and gadget are
/// stocked in `pcs`, flour in `kg`.
pub(crate) fn world_with_units() -> World {
    let mut h = Harness::empty();
    let usd_currency = Currency {
        code: CurrencyCode::new("USD").unwrap(),
        decimals: 2,
    };
    h.ok(SetUpCompany {
        company_id: COMPANY,
        name: "Test Distribution".into(),
        base_currency: usd_currency,
        other_currencies: vec![],
        rounding: RoundingRule::HalfAwayFromZero,
        settings: Default::default(),
    });
    for (code, category, factor, decimals) in [
        ("pcs", "count", "1", 0),
        ("box12", "count", "12", 0),
        ("box10", "count", "10", 0),
        ("kg", "weight", "1", 3),
        ("g", "weight", "0.001", 0),
    ] {
        h.ok(DefineUnit {
            code: code.into(),
            category: category.into(),
            factor: dec(factor),
            decimals,
        });
    }
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
    let widget = NewProduct::new("WIDGET", "pcs", "10.00").register(&mut h);
    let gadget = NewProduct::new("GADGET", "pcs", "2.50").register(&mut h);
    let flour = NewProduct {
        decimals: 3,
        ..NewProduct::new("FLOUR", "kg", "4.00")
    }
    .register(&mut h);
    World {
        h,
        warehouse,
        customer,
        widget,
        gadget,
        flour,
    }
}

// --- receipts -------------------------------------------------------------------------------

pub(crate) fn receive(w: &mut World, product_id: ProductId, quantity: &str) -> Outcome {
    let warehouse_id = w.warehouse;
    receive_into(w, product_id, warehouse_id, quantity)
}

pub(crate) fn receive_into(
    w: &mut World,
    product_id: ProductId,
    warehouse_id: WarehouseId,
    quantity: &str,
) -> Outcome {
    w.h.ok(ReceiveStock {
        product_id,
        warehouse_id,
        quantity: dec(quantity),
        reference: "PO-1".into(),
        location_id: None,
        lots: vec![],
    })
}

/// A received lot: number, expiry, quantity.
pub(crate) fn lot(number: &str, expires_on: Option<NaiveDate>, quantity: &str) -> ReceivedLot {
    ReceivedLot {
        number: number.into(),
        expires_on,
        quantity: dec(quantity),
    }
}

/// The command receiving `lots` of a product into the standard warehouse's stock.
pub(crate) fn lot_receipt(w: &World, product_id: ProductId, lots: Vec<ReceivedLot>) -> ReceiveStock {
    ReceiveStock {
        product_id,
        warehouse_id: w.warehouse,
        quantity: lots.iter().map(|l| l.quantity).sum(),
        reference: "PO-LOTS".into(),
        location_id: None,
        lots,
    }
}

pub(crate) fn receive_lots(w: &mut World, product_id: ProductId, lots: Vec<ReceivedLot>) -> Outcome {
    let command = lot_receipt(w, product_id, lots);
    w.h.ok(command)
}

// --- orders ---------------------------------------------------------------------------------

pub(crate) fn requested(product_id: ProductId, quantity: &str) -> RequestedLine {
    RequestedLine::new(product_id, dec(quantity))
}

/// A line in another unit than the product's stock unit.
pub(crate) fn requested_in(product_id: ProductId, quantity: &str, unit: &str) -> RequestedLine {
    RequestedLine {
        unit: Some(unit.into()),
        ..requested(product_id, quantity)
    }
}

/// A line with a promised date.
pub(crate) fn promised(product_id: ProductId, quantity: &str, on: NaiveDate) -> RequestedLine {
    RequestedLine {
        promised_date: Some(on),
        ..requested(product_id, quantity)
    }
}

/// A quotation for the standard customer and warehouse with a fresh id (not yet executed),
/// so a test may adjust its policies first.
pub(crate) fn quotation(w: &mut World, lines: Vec<RequestedLine>) -> CreateQuotation {
    CreateQuotation {
        order_id: w.h.id(),
        customer_id: w.customer,
        warehouse_id: w.warehouse,
        lines,
        customer_reference: String::new(),
        shipping_policy: Default::default(),
        backorder_policy: None,
        urgent: false,
    }
}

/// Creates and confirms a quotation.
pub(crate) fn confirm(w: &mut World, quotation: CreateQuotation) -> OrderId {
    let order_id = quotation.order_id;
    w.h.ok(quotation);
    w.h.ok(ConfirmOrder { order_id });
    order_id
}

/// A confirmed order for the standard customer, one line per (product, quantity).
pub(crate) fn confirmed(w: &mut World, lines: &[(ProductId, &str)]) -> OrderId {
    let lines = lines.iter().map(|(p, q)| requested(*p, q)).collect();
    let quotation = quotation(w, lines);
    confirm(w, quotation)
}

pub(crate) fn reserve(w: &mut World, order_id: OrderId) -> Outcome {
    w.h.ok(ReserveStock { order_id })
}

fn ship_lines(lines: &[(u32, &str)]) -> Vec<ShipLine> {
    lines
        .iter()
        .map(|(line, quantity)| ShipLine {
            line: *line,
            quantity: dec(quantity),
        })
        .collect()
}

/// Picks (empty `lines`: everything ready) as the picker; returns the operation's id.
pub(crate) fn pick(w: &mut World, order_id: OrderId, lines: &[(u32, &str)]) -> OperationId {
    let operation_id = w.h.id();
    let lines = ship_lines(lines);
    w.h.as_actor(picker(), |h| {
        h.ok(PickOrder {
            operation_id,
            order_id,
            warehouse_id: None,
            lines,
        })
    });
    operation_id
}

/// Packs (empty `lines`: everything picked) as the picker; returns the operation's id.
pub(crate) fn pack(w: &mut World, order_id: OrderId, lines: &[(u32, &str)]) -> OperationId {
    let operation_id = w.h.id();
    let lines = ship_lines(lines);
    w.h.as_actor(picker(), |h| {
        h.ok(PackOrder {
            operation_id,
            order_id,
            warehouse_id: None,
            lines,
        })
    });
    operation_id
}

/// The command shipping `lines` (empty: everything ready) from the order's warehouse.
pub(crate) fn shipping(w: &mut World, order_id: OrderId, lines: &[(u32, &str)]) -> ShipOrder {
    ShipOrder {
        shipment_id: w.h.id(),
        order_id,
        lines: ship_lines(lines),
        warehouse_id: None,
        carrier: "UPS".into(),
        tracking_reference: "1Z999".into(),
    }
}

/// Ships as the picker; returns the shipment's id.
pub(crate) fn ship(w: &mut World, order_id: OrderId, lines: &[(u32, &str)]) -> ShipmentId {
    let command = shipping(w, order_id, lines);
    let shipment_id = command.shipment_id;
    w.h.as_actor(picker(), |h| h.ok(command));
    shipment_id
}

// --- reading --------------------------------------------------------------------------------

pub(crate) fn order(w: &World, order_id: OrderId) -> SalesOrder {
    w.h.engine.order(order_id).unwrap()
}

pub(crate) fn line(w: &World, order_id: OrderId, number: u32) -> OrderLine {
    order(w, order_id).line(number).cloned().unwrap()
}

pub(crate) fn stock(w: &World, product: ProductId) -> ProductStock {
    w.h.engine.stock(product).unwrap_or_default()
}

/// The product's level in the standard warehouse.
pub(crate) fn level(w: &World, product: ProductId) -> StockLevel {
    w.h.engine.read(|book| book.stock_level(product, w.warehouse))
}

/// (on hand, reserved, available) of the product in the standard warehouse.
pub(crate) fn figures(w: &World, product: ProductId) -> (Decimal, Decimal, Decimal) {
    let level = level(w, product);
    (level.on_hand, level.reserved, level.available())
}

/// Every step of an order's delivery.
pub(crate) fn steps(w: &World, order_id: OrderId) -> Vec<StepView> {
    w.h.engine.read(|book| book.order_operations(order_id))
}

/// The customer's credit exposure.
pub(crate) fn exposure(w: &World) -> Decimal {
    w.h.engine.customer(w.customer).unwrap().exposure()
}

// --- expected values ------------------------------------------------------------------------

pub(crate) fn lq(line: u32, product_id: ProductId, quantity: &str) -> LineQuantity {
    LineQuantity {
        line,
        product_id,
        quantity: dec(quantity),
    }
}

pub(crate) fn quant(
    line: u32,
    product_id: ProductId,
    location_id: LocationId,
    lot: Option<&str>,
    quantity: &str,
) -> QuantReservation {
    QuantReservation {
        line,
        product_id,
        location_id,
        lot: lot.map(Into::into),
        quantity: dec(quantity),
    }
}

pub(crate) fn mv(
    product_id: ProductId,
    from: LocationId,
    to: LocationId,
    lot: Option<&str>,
    quantity: &str,
) -> StockMove {
    StockMove {
        product_id,
        from,
        to,
        lot: lot.map(Into::into),
        quantity: dec(quantity),
    }
}

pub(crate) fn line_move(line: u32, movement: StockMove) -> LineMove {
    LineMove { line, movement }
}
