//! Domain errors: every way a command can be refused, each with the figures a caller
//! needs to act on it. A refused command appends nothing and changes nothing.

use rust_decimal::Decimal;
use uuid::Uuid;

use chrono::NaiveDate;
use chrono::{DateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use crate::access::Role;
use crate::archive::Unsettled;
use crate::claim::{ClaimPriority, ClaimStatus, ClaimType};
use crate::customer::CustomerStatusChange;
use crate::document::{DocumentKind, DocumentSubject};
use crate::ids::{
    ActorId, CompanyId, CreditNoteId, CustomerGroupId, CustomerId, EntityKind, InvoiceId, OrderId, PaymentId,
    PaymentTermId, PriceListId, PriceRuleId, ProductId, TaxId, WarehouseId,
};
use crate::ids::{ClaimId, DocumentId};
use crate::invoice::InvoiceStatus;
use crate::money::{CurrencyCode, Money};
use crate::order::{ApprovalReason, HoldKind};

/// A duty that segregation of duties keeps apart from raising the order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Duty {
    /// Approving a quotation's discounts and prices.
    ApproveDiscount,
    /// Releasing an order's credit hold.
    ReleaseCreditHold,
}

/// Why a command was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    // --- the request itself -------------------------------------------------------------
    /// The command id was used before for a different command (or by another actor).
    #[error("command id {command_id} was already used for a different command")]
    CommandIdReused {
        /// The reused command id.
        command_id: Uuid,
    },
    /// The actor id is blank, too long or has control characters.
    #[error("invalid actor id {actor:?}")]
    InvalidActor {
        /// The id given.
        actor: String,
    },
    /// A text field is blank where required, too long, or has control characters.
    #[error("invalid {field}: {reason}")]
    InvalidText {
        /// The field.
        field: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
    /// A computed date falls outside the supported calendar.
    #[error("date out of range")]
    DateOutOfRange,
    /// An event could not be encoded (not expected with the built-in types).
    #[error("event could not be encoded: {message}")]
    Encoding {
        /// The encoder's message.
        message: String,
    },

    // --- who may do what -----------------------------------------------------------------
    /// The actor holds none of the roles the command needs in this company (or is not a
    /// member of it).
    #[error("{actor} may not issue {command} in company {company}; it needs one of the roles {required:?}")]
    NotAuthorized {
        /// Who asked.
        actor: ActorId,
        /// The command.
        command: &'static str,
        /// The book's company.
        company: CompanyId,
        /// Roles that would allow it.
        required: Vec<Role>,
    },
    /// The actor raised or changed the order, so may not also perform this duty.
    #[error("{actor} raised or changed order {order_id} and so may not {duty:?}")]
    SegregationOfDuties {
        /// Who asked.
        actor: ActorId,
        /// The order.
        order_id: OrderId,
        /// The duty refused.
        duty: Duty,
    },

    // --- company, ids and master data ---------------------------------------------------
    /// A company setting is out of its range.
    #[error("setting {field} is out of range: {value}")]
    SettingOutOfRange {
        /// The setting.
        field: &'static str,
        /// The value given.
        value: Decimal,
    },
    /// Another customer already has this tax id.
    #[error("tax id {tax_id:?} is already used by customer {customer_id}")]
    DuplicateTaxId {
        /// The tax id given.
        tax_id: String,
        /// The customer that has it.
        customer_id: CustomerId,
    },
    /// The customer is already in the status the command asks for.
    #[error("customer {customer_id} is already {change:?}")]
    CustomerStatusUnchanged {
        /// The customer.
        customer_id: CustomerId,
        /// The change asked for.
        change: CustomerStatusChange,
    },
    /// The customer is inactive: no new quotations.
    #[error("customer {customer_id} is inactive")]
    CustomerInactive {
        /// The customer.
        customer_id: CustomerId,
    },
    /// A customer group with this id does not exist.
    #[error("unknown customer group {group_id}")]
    UnknownCustomerGroup {
        /// The id given.
        group_id: CustomerGroupId,
    },
    /// A price list with this id does not exist.
    #[error("unknown price list {price_list_id}")]
    UnknownPriceList {
        /// The id given.
        price_list_id: PriceListId,
    },
    /// The price list has no rule with this id.
    #[error("price list {price_list_id} has no rule {rule_id}")]
    UnknownPriceRule {
        /// The list.
        price_list_id: PriceListId,
        /// The rule id given.
        rule_id: PriceRuleId,
    },
    /// The rule would make a price list's price depend on itself.
    #[error("price list {price_list_id} cannot be based on {base}: {base} depends on it")]
    PriceListCycle {
        /// The list the rule is added to.
        price_list_id: PriceListId,
        /// The base list named by the rule.
        base: PriceListId,
    },
    /// A validity period ends before it starts.
    #[error("period ends {until} before it starts {from}")]
    InvalidPeriod {
        /// Start.
        from: NaiveDate,
        /// End.
        until: NaiveDate,
    },
    /// No company has been set up in this book yet.
    #[error("the company is not set up yet; SetUpCompany must come first")]
    CompanyNotSetUp,
    /// The company is set up already.
    #[error("the company {company_id} is already set up")]
    CompanyAlreadySetUp {
        /// The existing company.
        company_id: CompanyId,
    },
    /// The id is already used by another entity (of this or another kind).
    #[error("id {id} is already used by a {kind}")]
    IdAlreadyUsed {
        /// The id.
        id: Uuid,
        /// What it names.
        kind: EntityKind,
    },
    /// A customer with this id does not exist.
    #[error("unknown customer {customer_id}")]
    UnknownCustomer {
        /// The id given.
        customer_id: CustomerId,
    },
    /// A product with this id does not exist.
    #[error("unknown product {product_id}")]
    UnknownProduct {
        /// The id given.
        product_id: ProductId,
    },
    /// A warehouse with this id does not exist.
    #[error("unknown warehouse {warehouse_id}")]
    UnknownWarehouse {
        /// The id given.
        warehouse_id: WarehouseId,
    },
    /// An order with this id does not exist.
    #[error("unknown order {order_id}")]
    UnknownOrder {
        /// The id given.
        order_id: OrderId,
    },
    /// An invoice with this id does not exist.
    #[error("unknown invoice {invoice_id}")]
    UnknownInvoice {
        /// The id given.
        invoice_id: InvoiceId,
    },
    /// A payment with this id does not exist.
    #[error("unknown payment {payment_id}")]
    UnknownPayment {
        /// The id given.
        payment_id: PaymentId,
    },
    /// Another product already has this SKU.
    #[error("SKU {sku:?} is already used by product {product_id}")]
    SkuAlreadyUsed {
        /// The SKU.
        sku: String,
        /// The product that has it.
        product_id: ProductId,
    },
    /// Another warehouse already has this code.
    #[error("warehouse code {code:?} is already used by warehouse {warehouse_id}")]
    WarehouseCodeAlreadyUsed {
        /// The code.
        code: String,
        /// The warehouse that has it.
        warehouse_id: WarehouseId,
    },
    /// The payment term is longer than supported.
    #[error("payment term of {days} days exceeds the maximum of {max}")]
    PaymentTermTooLong {
        /// Days given.
        days: u32,
        /// The maximum.
        max: u32,
    },
    /// A unit declares more decimals than supported.
    #[error("unit {unit:?} declares {decimals} decimals; at most {max} are supported")]
    UnitPrecisionTooHigh {
        /// The unit.
        unit: String,
        /// Decimals given.
        decimals: u32,
        /// The maximum.
        max: u32,
    },

    // --- money and quantities ----------------------------------------------------------
    /// Not a three-letter upper-case currency code.
    #[error("invalid currency code {code:?}")]
    InvalidCurrencyCode {
        /// The text given.
        code: String,
    },
    /// A currency declares more decimals than supported.
    #[error("currency {currency} declares {decimals} decimals; at most {max} are supported")]
    CurrencyPrecisionTooHigh {
        /// The currency.
        currency: CurrencyCode,
        /// Decimals given.
        decimals: u32,
        /// The maximum.
        max: u32,
    },
    /// A currency is listed twice.
    #[error("currency {currency} is listed twice")]
    DuplicateCurrency {
        /// The currency.
        currency: CurrencyCode,
    },
    /// The company does not accept this currency.
    #[error("currency {currency} is not one of the company's currencies")]
    UnknownCurrency {
        /// The currency.
        currency: CurrencyCode,
    },
    /// An amount is in the wrong currency.
    #[error("amount in {found} where {expected} is required")]
    CurrencyMismatch {
        /// The currency required.
        expected: CurrencyCode,
        /// The currency given.
        found: CurrencyCode,
    },
    /// A quantity that may be zero is negative.
    #[error("quantity must not be negative, got {quantity}")]
    NegativeQuantity {
        /// The quantity given.
        quantity: Decimal,
    },
    /// A percentage is outside 0..=100 or has more than 4 decimals.
    #[error("{field} must be a percentage from 0 to 100 with at most 4 decimals, got {value}")]
    InvalidPercent {
        /// The field.
        field: &'static str,
        /// The value given.
        value: Decimal,
    },
    /// A quantity is zero or negative.
    #[error("quantity must be positive, got {quantity}")]
    NonPositiveQuantity {
        /// The quantity given.
        quantity: Decimal,
    },
    /// A quantity has more decimals than its unit allows.
    #[error("quantity {quantity} has more than the {decimals} decimals unit {unit:?} allows")]
    QuantityPrecisionExceeded {
        /// The quantity given.
        quantity: Decimal,
        /// The unit.
        unit: String,
        /// Decimals the unit allows.
        decimals: u32,
    },
    /// An amount that must be positive is zero or negative.
    #[error("amount must be positive, got {amount}")]
    NonPositiveAmount {
        /// The amount given.
        amount: Money,
    },
    /// An amount that must not be negative is.
    #[error("amount must not be negative, got {amount}")]
    NegativeAmount {
        /// The amount given.
        amount: Money,
    },
    /// An amount has more decimals than its currency allows.
    #[error("amount {amount} has more than the {decimals} decimals its currency allows")]
    AmountPrecisionExceeded {
        /// The amount given.
        amount: Money,
        /// Decimals the currency allows.
        decimals: u32,
    },

    // --- orders, stock and shipments ---------------------------------------------------
    /// An order may not have more lines.
    #[error("an order may have at most {max} lines")]
    TooManyLines {
        /// The maximum.
        max: usize,
    },
    /// The order is confirmed already (and this command needs a quotation).
    #[error("order {order_id} is already confirmed")]
    OrderAlreadyConfirmed {
        /// The order.
        order_id: OrderId,
    },
    /// The order is still a quotation (and this command needs a confirmed order).
    #[error("order {order_id} is not confirmed")]
    OrderNotConfirmed {
        /// The order.
        order_id: OrderId,
    },
    /// A quotation without lines cannot be confirmed.
    #[error("order {order_id} has no lines")]
    EmptyOrder {
        /// The order.
        order_id: OrderId,
    },
    /// The order is closed.
    #[error("order {order_id} is closed")]
    OrderIsClosed {
        /// The order.
        order_id: OrderId,
    },
    /// The order is cancelled.
    #[error("order {order_id} is cancelled")]
    OrderIsCancelled {
        /// The order.
        order_id: OrderId,
    },
    /// The quotation's validity has passed; revalidate it first.
    #[error("quotation {order_id} expired on {valid_until}; revalidate it")]
    QuotationExpired {
        /// The quotation.
        order_id: OrderId,
        /// Its last valid day.
        valid_until: NaiveDate,
    },
    /// The quotation was already sent.
    #[error("quotation {order_id} was already sent")]
    QuotationAlreadySent {
        /// The quotation.
        order_id: OrderId,
    },
    /// The quotation needs a sales manager's approval before confirmation.
    #[error("quotation {order_id} needs approval: {reasons:?}")]
    ApprovalRequired {
        /// The quotation.
        order_id: OrderId,
        /// Why.
        reasons: Vec<ApprovalReason>,
    },
    /// Nothing in the quotation needs approval.
    #[error("quotation {order_id} needs no approval")]
    NoApprovalNeeded {
        /// The quotation.
        order_id: OrderId,
    },
    /// The quotation's discounts are approved already.
    #[error("quotation {order_id} is already approved")]
    AlreadyApproved {
        /// The quotation.
        order_id: OrderId,
    },
    /// The order is not on credit hold.
    #[error("order {order_id} is not on credit hold")]
    NotOnCreditHold {
        /// The order.
        order_id: OrderId,
    },
    /// The order is on hold: nothing is reserved or shipped.
    #[error("order {order_id} is on {hold:?} hold")]
    OrderOnHold {
        /// The order.
        order_id: OrderId,
        /// Which hold.
        hold: HoldKind,
    },
    /// The order is on manual hold already.
    #[error("order {order_id} is already on hold")]
    OrderAlreadyHeld {
        /// The order.
        order_id: OrderId,
    },
    /// The order is not on manual hold.
    #[error("order {order_id} is not on hold")]
    OrderNotHeld {
        /// The order.
        order_id: OrderId,
    },
    /// Something shipped, so the order cannot be cancelled; close it instead.
    #[error("order {order_id} has shipments; close it instead of cancelling")]
    OrderHasShipments {
        /// The order.
        order_id: OrderId,
    },
    /// A line's quantity cannot go below what has shipped.
    #[error("line {line} of order {order_id} cannot go to {quantity}: {delivered} already delivered")]
    QuantityBelowDelivered {
        /// The order.
        order_id: OrderId,
        /// The line.
        line: u32,
        /// Quantity asked for.
        quantity: Decimal,
        /// Quantity delivered.
        delivered: Decimal,
    },
    /// The change names nothing to change.
    #[error("the change to order {order_id} changes nothing")]
    NothingToChange {
        /// The order.
        order_id: OrderId,
    },
    /// Every open quantity of the order is already reserved.
    #[error("order {order_id} has nothing left to reserve")]
    NothingToReserve {
        /// The order.
        order_id: OrderId,
    },
    /// The order has open quantities but the warehouse has none of them available.
    #[error("no stock available in the warehouse for the open lines of order {order_id}")]
    NoStockAvailable {
        /// The order.
        order_id: OrderId,
    },
    /// Nothing is reserved for the order, so nothing can ship.
    #[error("order {order_id} has nothing reserved to ship")]
    NothingReserved {
        /// The order.
        order_id: OrderId,
    },
    /// The order has no line with this number.
    #[error("order {order_id} has no line {line}")]
    UnknownOrderLine {
        /// The order.
        order_id: OrderId,
        /// The line number given.
        line: u32,
    },
    /// A line number appears twice in one command.
    #[error("line {line} is listed twice")]
    DuplicateLine {
        /// The line number.
        line: u32,
    },
    /// Shipping more of a line than is reserved for it.
    #[error("cannot ship {requested} of line {line} of order {order_id}: only {reserved} reserved")]
    ShipmentExceedsReservation {
        /// The order.
        order_id: OrderId,
        /// The line.
        line: u32,
        /// Quantity asked for.
        requested: Decimal,
        /// Quantity reserved.
        reserved: Decimal,
    },

    // --- units, locations, lots and fulfilment -------------------------------------------
    /// Units of different categories do not convert.
    #[error("unit {from:?} does not convert to {to:?}: different categories")]
    UnitCategoryMismatch {
        /// From.
        from: String,
        /// To.
        to: String,
    },
    /// A conversion would not be exact within the target unit's precision.
    #[error("{quantity} {from} is not an exact quantity of {to}")]
    UnitConversionInexact {
        /// The quantity.
        quantity: Decimal,
        /// From.
        from: String,
        /// To.
        to: String,
    },
    /// A unit's factor must be positive.
    #[error("a unit's factor must be positive, got {factor}")]
    InvalidUnitFactor {
        /// The factor given.
        factor: Decimal,
    },
    /// The unit code is taken.
    #[error("unit {code:?} is already defined")]
    UnitAlreadyDefined {
        /// The code.
        code: String,
    },
    /// No unit with this code.
    #[error("unknown unit {code:?}")]
    UnknownUnit {
        /// The code.
        code: String,
    },
    /// A product names a defined unit with other decimals.
    #[error("unit {unit:?} is defined with {defined_decimals} decimals")]
    UnitMismatch {
        /// The unit.
        unit: String,
        /// Its defined decimals.
        defined_decimals: u32,
    },
    /// No location with this id.
    #[error("unknown location {location_id}")]
    UnknownLocation {
        /// The id given.
        location_id: crate::ids::LocationId,
    },
    /// The location is virtual (or otherwise outside a warehouse).
    #[error("location {location_id} is not a warehouse location")]
    NotAWarehouseLocation {
        /// The location.
        location_id: crate::ids::LocationId,
    },
    /// Removal strategies are set on a warehouse's stock location (or a product category).
    #[error("location {location_id} is not a warehouse's stock location")]
    NotAWarehouseStockLocation {
        /// The location.
        location_id: crate::ids::LocationId,
    },
    /// Another location has this code.
    #[error("location code {code:?} is already used")]
    LocationCodeAlreadyUsed {
        /// The code.
        code: String,
    },
    /// Receipts go to the stock location of the warehouse, or one of its bins.
    #[error("location {location_id} is not a stock location of warehouse {warehouse_id}")]
    NotAStockLocation {
        /// The location.
        location_id: crate::ids::LocationId,
        /// The warehouse.
        warehouse_id: WarehouseId,
    },
    /// Counts, scrapping and transfers happen in stock, returns, quarantine or scrap.
    #[error("location {location_id} is not a location goods are stored in")]
    NotAStoreLocation {
        /// The location.
        location_id: crate::ids::LocationId,
    },
    /// From and to are the same location.
    #[error("goods cannot move from location {location_id} to itself")]
    SameLocation {
        /// The location.
        location_id: crate::ids::LocationId,
    },
    /// A transfer between warehouses is not a single move.
    #[error("locations {from} and {to} are in different warehouses")]
    DifferentWarehouses {
        /// From.
        from: crate::ids::LocationId,
        /// To.
        to: crate::ids::LocationId,
    },
    /// The route cannot change while goods wait in packing or output.
    #[error("warehouse {warehouse_id} has goods in packing or output; ship them first")]
    GoodsInProcess {
        /// The warehouse.
        warehouse_id: WarehouseId,
    },
    /// The product is not tracked by lot or serial number.
    #[error("product {product_id} is not tracked by lot or serial number")]
    NotTracked {
        /// The product.
        product_id: ProductId,
    },
    /// The product is tracked: name the lot or serial number.
    #[error("product {product_id} is tracked; a lot or serial number is required")]
    LotRequired {
        /// The product.
        product_id: ProductId,
    },
    /// The lots' quantities must add up to the quantity received.
    #[error("lots add up to {lots}, the receipt is for {quantity}")]
    LotQuantitiesDoNotAddUp {
        /// The receipt's quantity.
        quantity: Decimal,
        /// The lots' total.
        lots: Decimal,
    },
    /// A lot is listed twice.
    #[error("lot {number:?} is listed twice")]
    DuplicateLot {
        /// The lot.
        number: String,
    },
    /// A known lot arrives with another expiry date.
    #[error("lot {number:?} expires on {recorded:?}, not {given:?}")]
    LotExpiryMismatch {
        /// The lot.
        number: String,
        /// Its recorded expiry.
        recorded: Option<NaiveDate>,
        /// The expiry given.
        given: Option<NaiveDate>,
    },
    /// A serial number stands for exactly one unit.
    #[error("serial number {number:?} must have quantity 1, got {quantity}")]
    SerialQuantityNotOne {
        /// The serial number.
        number: String,
        /// The quantity given.
        quantity: Decimal,
    },
    /// The serial number is already in stock.
    #[error("serial number {number:?} is already in stock")]
    DuplicateSerial {
        /// The serial number.
        number: String,
    },
    /// Not that much free (unreserved) stock there.
    #[error("only {free} free at location {location_id}, {requested} asked for")]
    NotEnoughFreeStock {
        /// The location.
        location_id: crate::ids::LocationId,
        /// Asked for.
        requested: Decimal,
        /// Free.
        free: Decimal,
    },
    /// The count found what the books say.
    #[error("the count found the recorded quantity {quantity}")]
    InventoryUnchanged {
        /// The quantity.
        quantity: Decimal,
    },
    /// A count cannot take away reserved goods; release them first.
    #[error("counted {counted}, but {reserved} is reserved there")]
    CountBelowReserved {
        /// Counted.
        counted: Decimal,
        /// Reserved.
        reserved: Decimal,
    },
    /// Nothing was due and available to reserve.
    #[error("nothing due as of {as_of} could be reserved")]
    NothingDue {
        /// The date.
        as_of: NaiveDate,
    },
    /// The order line ships from another warehouse.
    #[error("line {line} ships from warehouse {warehouse_id}")]
    LineInAnotherWarehouse {
        /// The line.
        line: u32,
        /// Its warehouse.
        warehouse_id: WarehouseId,
    },
    /// More asked of a step than is ready for it.
    #[error("cannot {step:?} {requested} of line {line} of order {order_id}: {ready} ready")]
    NotReady {
        /// The order.
        order_id: OrderId,
        /// The line.
        line: u32,
        /// The step.
        step: crate::picking::Step,
        /// Asked for.
        requested: Decimal,
        /// Ready.
        ready: Decimal,
    },
    /// The warehouse's route has no such step.
    #[error("warehouse {warehouse_id} has no {step:?} step")]
    StepNotInRoute {
        /// The warehouse.
        warehouse_id: WarehouseId,
        /// The step.
        step: crate::picking::Step,
    },
    /// Nothing of the order is ready for the step.
    #[error("nothing of order {order_id} is ready to {step:?}")]
    NothingReady {
        /// The order.
        order_id: OrderId,
        /// The step.
        step: crate::picking::Step,
    },
    /// A wave needs orders.
    #[error("wave {wave_id} has no orders")]
    EmptyWave {
        /// The wave.
        wave_id: crate::ids::WaveId,
    },
    /// An order is listed twice.
    #[error("order {order_id} is listed twice")]
    OrderTwiceInWave {
        /// The order.
        order_id: OrderId,
    },
    /// The order is in another open wave.
    #[error("order {order_id} is in open wave {wave_id}")]
    OrderInOpenWave {
        /// The order.
        order_id: OrderId,
        /// The wave.
        wave_id: crate::ids::WaveId,
    },
    /// No wave with this id.
    #[error("unknown wave {wave_id}")]
    UnknownWave {
        /// The id given.
        wave_id: crate::ids::WaveId,
    },
    /// The wave was confirmed already.
    #[error("wave {wave_id} is already completed")]
    WaveAlreadyCompleted {
        /// The wave.
        wave_id: crate::ids::WaveId,
    },
    /// The order is not in the wave.
    #[error("order {order_id} is not in wave {wave_id}")]
    OrderNotInWave {
        /// The order.
        order_id: OrderId,
        /// The wave.
        wave_id: crate::ids::WaveId,
    },
    /// The order ships only complete, and this shipment is not.
    #[error("order {order_id} ships only complete")]
    IncompleteShipment {
        /// The order.
        order_id: OrderId,
    },
    /// No shipment with this id.
    #[error("unknown shipment {shipment_id}")]
    UnknownShipment {
        /// The id given.
        shipment_id: crate::ids::ShipmentId,
    },
    /// The delivery was confirmed already.
    #[error("delivery of shipment {shipment_id} is already confirmed")]
    DeliveryAlreadyConfirmed {
        /// The shipment.
        shipment_id: crate::ids::ShipmentId,
    },
    /// Lines ship from the order's warehouse unless the company allows several.
    #[error("lines may not ship from warehouse {warehouse_id}: one order, one warehouse")]
    MultiWarehouseNotAllowed {
        /// The warehouse asked for.
        warehouse_id: WarehouseId,
    },
    /// The product is not one of the line product's substitutes.
    #[error("product {substitute_id} is not a substitute of {product_id}")]
    NotASubstitute {
        /// The line's product.
        product_id: ProductId,
        /// The product asked for.
        substitute_id: ProductId,
    },
    /// A substitute list names the product itself, a product twice, or an unknown product.
    #[error("product {substitute_id} cannot be a substitute here")]
    InvalidSubstitute {
        /// The product.
        substitute_id: ProductId,
    },
    /// Part of the line is already picked or shipped.
    #[error("line {line} of order {order_id} is already being picked or shipped")]
    LineAlreadyInFulfilment {
        /// The order.
        order_id: OrderId,
        /// The line.
        line: u32,
    },

    // --- invoices and payments ---------------------------------------------------------
    /// Nothing is left to invoice (by the products' invoice policies).
    #[error("order {order_id} has nothing to invoice")]
    NothingToInvoice {
        /// The order.
        order_id: OrderId,
    },
    /// The invoice is not a draft (posted or cancelled).
    #[error("invoice {invoice_id} is {status:?}, not a draft")]
    InvoiceNotDraft {
        /// The invoice.
        invoice_id: InvoiceId,
        /// Its status.
        status: InvoiceStatus,
    },
    /// The invoice is not posted, so it cannot be paid.
    #[error("invoice {invoice_id} is {status:?}, not posted")]
    InvoiceNotPosted {
        /// The invoice.
        invoice_id: InvoiceId,
        /// Its status.
        status: InvoiceStatus,
    },
    /// The payment and the invoice belong to different customers.
    #[error(
        "payment {payment_id} is from customer {payment_customer}, invoice {invoice_id} is billed to {invoice_customer}"
    )]
    PaymentCustomerMismatch {
        /// The payment.
        payment_id: PaymentId,
        /// Who paid.
        payment_customer: CustomerId,
        /// The invoice.
        invoice_id: InvoiceId,
        /// Who is billed.
        invoice_customer: CustomerId,
    },
    /// Allocating more than the payment has left.
    #[error("cannot allocate {requested} of payment {payment_id}: only {unallocated} unallocated")]
    AllocationExceedsUnallocated {
        /// The payment.
        payment_id: PaymentId,
        /// Amount asked for.
        requested: Money,
        /// What the payment has left.
        unallocated: Money,
    },
    /// Allocating more than the invoice has open.
    #[error("cannot allocate {requested} to invoice {invoice_id}: only {open} open")]
    AllocationExceedsOpenAmount {
        /// The invoice.
        invoice_id: InvoiceId,
        /// Amount asked for.
        requested: Money,
        /// What the invoice has open.
        open: Money,
    },
    // --- billing: taxes, terms, currencies ----------------------------------------------
    /// No tax with this id.
    #[error("unknown tax {tax_id}")]
    UnknownTax {
        /// The id given.
        tax_id: TaxId,
    },
    /// A product lists a tax twice.
    #[error("tax {tax_id} is listed twice")]
    DuplicateTax {
        /// The tax.
        tax_id: TaxId,
    },
    /// A tax included in the price cannot be part of the base of later taxes.
    #[error("tax {tax_id} is included in the price and cannot also be in the base of later taxes")]
    IncludedTaxAffectsLater {
        /// The tax.
        tax_id: TaxId,
    },
    /// A fiscal position maps the same tax twice.
    #[error("the fiscal position maps tax {tax_id} twice")]
    DuplicateTaxMapping {
        /// The tax.
        tax_id: TaxId,
    },
    /// The company currency's rate is always 1.
    #[error("{currency} is the company currency: its rate is always 1")]
    RateOfBaseCurrency {
        /// The currency.
        currency: CurrencyCode,
    },
    /// A rate must be positive, with at most 10 decimals.
    #[error("invalid exchange rate {rate}: must be positive with at most 10 decimals")]
    InvalidExchangeRate {
        /// The rate given.
        rate: Decimal,
    },
    /// No rate of the currency applies on the date.
    #[error("no exchange rate for {currency} on {date}")]
    NoExchangeRate {
        /// The currency.
        currency: CurrencyCode,
        /// The date.
        date: NaiveDate,
    },
    /// No payment term with this id.
    #[error("unknown payment term {payment_term_id}")]
    UnknownPaymentTerm {
        /// The id given.
        payment_term_id: PaymentTermId,
    },
    /// A payment term needs exactly one balance line, the last.
    #[error("a payment term needs exactly one balance line, and it must be the last")]
    BalanceLineMustBeLast,
    /// A day of the month outside 1-31.
    #[error("day of month {day} is not between 1 and 31")]
    InvalidDayOfMonth {
        /// The day given.
        day: u32,
    },

    // --- billing: invoices and credit notes ---------------------------------------------
    /// An order with invoices (drafts, posted invoices or down payments not credited)
    /// cannot be cancelled: cancel the drafts or credit the invoices first.
    #[error("order {order_id} has invoices: cancel the drafts or credit the invoices first")]
    OrderHasInvoices {
        /// The order.
        order_id: OrderId,
    },
    /// An invoice lists an order twice.
    #[error("order {order_id} is listed twice")]
    OrderListedTwice {
        /// The order.
        order_id: OrderId,
    },
    /// Orders invoiced together must have the same customer and currency.
    #[error("order {order_id} has another customer or currency than the invoice's first order")]
    InvoiceOrdersDiffer {
        /// The order.
        order_id: OrderId,
    },
    /// Down payments would exceed the order's value.
    #[error("down payment {requested} exceeds what is left of order {order_id}: {order_value}")]
    DownPaymentExceedsOrder {
        /// The order.
        order_id: OrderId,
        /// Amount asked for.
        requested: Money,
        /// Order value not yet covered by down payments.
        order_value: Money,
    },
    /// The orders have a down payment in another currency than the invoice's.
    #[error("down payment {down_payment} is in {currency}: invoice the order in {currency} to deduct it")]
    DownPaymentInOtherCurrency {
        /// The down-payment invoice.
        down_payment: InvoiceId,
        /// Its currency.
        currency: CurrencyCode,
    },
    /// A down-payment invoice has no lines to change.
    #[error("invoice {invoice_id} is a down payment and has no lines")]
    DownPaymentHasNoLines {
        /// The invoice.
        invoice_id: InvoiceId,
    },
    /// More than the order line may invoice.
    #[error("cannot invoice {requested} of line {order_line}: at most {invoiceable}")]
    InvoiceQuantityTooHigh {
        /// The order line.
        order_line: u32,
        /// Quantity asked for.
        requested: Decimal,
        /// Most it may invoice.
        invoiceable: Decimal,
    },
    /// A draft would have no line left.
    #[error("invoice {invoice_id} would have no line left (cancel it instead)")]
    EmptyInvoice {
        /// The invoice.
        invoice_id: InvoiceId,
    },
    /// Numbers follow dates: a document cannot be dated before the last one numbered.
    #[error("cannot number a document dated {date}: the last one numbered is dated {last}")]
    DatedBeforeLastNumbered {
        /// The date of the document.
        date: NaiveDate,
        /// The latest date numbered.
        last: NaiveDate,
    },
    /// No credit note with this id.
    #[error("unknown credit note {credit_note_id}")]
    UnknownCreditNote {
        /// The id given.
        credit_note_id: CreditNoteId,
    },
    /// A reversal credits a whole invoice: not one already partly credited.
    #[error("invoice {invoice_id} already has credit notes: credit the rest by goods or amount")]
    InvoiceAlreadyCredited {
        /// The invoice.
        invoice_id: InvoiceId,
    },
    /// A returned-goods credit note without lines.
    #[error("a credit note for returned goods needs at least one line")]
    EmptyCreditNote,
    /// More than the invoice line (or the delivery) allows to credit.
    #[error("cannot credit {requested} of line {order_line}: at most {creditable}")]
    CreditQuantityTooHigh {
        /// The order line.
        order_line: u32,
        /// Quantity asked for.
        requested: Decimal,
        /// Most that may be credited.
        creditable: Decimal,
    },
    /// Credit notes would exceed the invoice total.
    #[error("cannot credit {requested} on invoice {invoice_id}: only {creditable} left to credit")]
    CreditExceedsInvoice {
        /// The invoice.
        invoice_id: InvoiceId,
        /// Amount asked for.
        requested: Money,
        /// What is left to credit.
        creditable: Money,
    },
    /// Applying more than the credit note has left.
    #[error("cannot apply {requested} of credit note {credit_note_id}: only {unapplied} left")]
    CreditExceedsUnapplied {
        /// The credit note.
        credit_note_id: CreditNoteId,
        /// Amount asked for.
        requested: Money,
        /// What it has left.
        unapplied: Money,
    },
    /// The invoice and the credit belong to different customers.
    #[error("invoice {invoice_id} is billed to {invoice_customer}, the credit belongs to {customer}")]
    SettlementCustomerMismatch {
        /// The invoice.
        invoice_id: InvoiceId,
        /// Who is billed.
        invoice_customer: CustomerId,
        /// Whose credit it is.
        customer: CustomerId,
    },
    /// No installment with this index.
    #[error("invoice {invoice_id} has no installment {installment}")]
    UnknownInstallment {
        /// The invoice.
        invoice_id: InvoiceId,
        /// The index given.
        installment: usize,
    },
    /// Nothing is open on the invoice.
    #[error("invoice {invoice_id} has nothing open")]
    NothingOpen {
        /// The invoice.
        invoice_id: InvoiceId,
    },
    /// The open amount is above the company's write-off tolerance.
    #[error("invoice {invoice_id} has {open} open, above the write-off tolerance of {tolerance}")]
    WriteOffAboveTolerance {
        /// The invoice.
        invoice_id: InvoiceId,
        /// Its open amount, in the company currency.
        open: Money,
        /// The tolerance.
        tolerance: Money,
    },

    // --- billing: payments and collections ----------------------------------------------
    /// No open installment in the payment's currency takes anything.
    #[error("payment {payment_id} has nothing to allocate to")]
    NothingToAllocate {
        /// The payment.
        payment_id: PaymentId,
    },
    /// The bank returned the payment already.
    #[error("payment {payment_id} was returned")]
    PaymentAlreadyReturned {
        /// The payment.
        payment_id: PaymentId,
    },
    /// A refunded payment cannot be returned.
    #[error("payment {payment_id} was partly refunded and cannot be returned")]
    PaymentAlreadyRefunded {
        /// The payment.
        payment_id: PaymentId,
    },
    /// Refunding more than the credit left.
    #[error("cannot refund {requested}: only {available} of credit left")]
    RefundExceedsCredit {
        /// Amount asked for.
        requested: Money,
        /// Credit left.
        available: Money,
    },
    /// No customer has a dunning notice due.
    #[error("no dunning notice is due as of {as_of}")]
    NoDunningDue {
        /// The run's date.
        as_of: NaiveDate,
    },

    // --- returns (return authorisations) ------------------------------------------------
    /// A return reason code appears twice in the company's list.
    #[error("return reason {code:?} is listed twice")]
    DuplicateReturnReason {
        /// The code.
        code: String,
    },
    /// The reason code is not in the company's list of return reasons.
    #[error("unknown return reason {code:?}")]
    UnknownReturnReason {
        /// The code given.
        code: String,
    },
    /// No return authorisation with this id.
    #[error("unknown return authorisation {return_id}")]
    UnknownReturnAuthorisation {
        /// The id given.
        return_id: crate::ids::ReturnId,
    },
    /// A return command without lines.
    #[error("return {return_id}: the command lists no lines")]
    EmptyReturn {
        /// The authorisation.
        return_id: crate::ids::ReturnId,
    },
    /// The last valid day of an authorisation lies before today.
    #[error("a return cannot be valid until {valid_until}, before today ({today})")]
    ReturnValidityInPast {
        /// The date given.
        valid_until: NaiveDate,
        /// The business date.
        today: NaiveDate,
    },
    /// More than was delivered (less what is returned or expected back) of a line, lot or
    /// serial number.
    #[error("cannot return {requested} of line {line} (lot {lot:?}): at most {returnable}")]
    ReturnExceedsDelivered {
        /// The order line.
        line: u32,
        /// The lot or serial number, if the check was for one.
        lot: Option<String>,
        /// Quantity asked for.
        requested: Decimal,
        /// What may still be returned.
        returnable: Decimal,
    },
    /// The lot was never shipped on this order line (to this customer).
    #[error("lot {lot:?} was never shipped on line {line} of order {order_id}")]
    LotNotShippedToCustomer {
        /// The order.
        order_id: OrderId,
        /// The order line.
        line: u32,
        /// The lot.
        lot: String,
    },
    /// The serial number was never shipped on this order line (to this customer).
    #[error("serial number {serial:?} was never shipped on line {line} of order {order_id}")]
    SerialNotShippedToCustomer {
        /// The order.
        order_id: OrderId,
        /// The order line.
        line: u32,
        /// The serial number.
        serial: String,
    },
    /// A return line names a lot or serial numbers the product's tracking does not take
    /// (untracked: neither; by lot: a lot; by serial: serial numbers).
    #[error("product {product_id} is tracked {tracking:?}: the return line does not fit")]
    ReturnTrackingMismatch {
        /// The product.
        product_id: ProductId,
        /// How it is tracked.
        tracking: crate::stock::Tracking,
    },
    /// A serial number is listed twice in one line.
    #[error("serial number {serial:?} is listed twice")]
    SerialListedTwice {
        /// The serial number.
        serial: String,
    },
    /// The serial numbers do not count the quantity's stock units.
    #[error("line {line}: {serials} serial numbers for {quantity} units")]
    SerialCountMismatch {
        /// The order line.
        line: u32,
        /// The quantity, in stock units.
        quantity: Decimal,
        /// How many serial numbers were given.
        serials: usize,
    },
    /// Goods are no longer received on an authorisation after its last valid day.
    #[error("return {return_id} expired on {valid_until}; today is {date}")]
    ReturnAuthorisationExpired {
        /// The authorisation.
        return_id: crate::ids::ReturnId,
        /// Its last valid day.
        valid_until: NaiveDate,
        /// The business date.
        date: NaiveDate,
    },
    /// The authorisation is cancelled or fully resolved.
    #[error("return {return_id} is {status:?}")]
    ReturnNotOpen {
        /// The authorisation.
        return_id: crate::ids::ReturnId,
        /// Its status.
        status: crate::returns::ReturnStatus,
    },
    /// The order line and lot are not on the authorisation.
    #[error("line {line} (lot {lot:?}) is not authorised for return")]
    NotAuthorisedForReturn {
        /// The order line.
        line: u32,
        /// The lot.
        lot: Option<String>,
    },
    /// Receiving more than the authorisation still expects of a line and lot.
    #[error("cannot receive {requested} of line {line} (lot {lot:?}): only {outstanding} still authorised")]
    ReturnExceedsAuthorised {
        /// The order line.
        line: u32,
        /// The lot.
        lot: Option<String>,
        /// Quantity asked for.
        requested: Decimal,
        /// Authorised, not received nor cancelled.
        outstanding: Decimal,
    },
    /// The serial number is not authorised on the line, or already received.
    #[error("serial number {serial:?} is not expected back on line {line}")]
    SerialNotAuthorised {
        /// The order line.
        line: u32,
        /// The serial number.
        serial: String,
    },
    /// Nothing received on the authorisation awaits inspection.
    #[error("return {return_id} has nothing received left to inspect")]
    NothingToInspect {
        /// The authorisation.
        return_id: crate::ids::ReturnId,
    },
    /// Inspecting more of a line than was received and not yet inspected.
    #[error(
        "cannot inspect {requested} of line {line} (lot {lot:?}): only {uninspected} received and not inspected"
    )]
    InspectionExceedsReceived {
        /// The order line.
        line: u32,
        /// The lot.
        lot: Option<String>,
        /// Quantity asked for.
        requested: Decimal,
        /// Received and not inspected.
        uninspected: Decimal,
    },
    /// The serial number was not received on the line, or was inspected already.
    #[error("serial number {serial:?} of line {line} does not await inspection")]
    SerialNotAwaitingInspection {
        /// The order line.
        line: u32,
        /// The serial number.
        serial: String,
    },
    /// Nothing received on the authorisation awaits a resolution.
    #[error("return {return_id} has nothing received left to resolve")]
    NothingToResolve {
        /// The authorisation.
        return_id: crate::ids::ReturnId,
    },
    /// A refund was asked but the credit offset open invoices entirely (or nothing was
    /// invoiced, so nothing was credited): no customer credit to pay back.
    #[error(
        "return {return_id}: nothing became customer credit to refund (credited {credited:?}, all of it offsetting open invoices)"
    )]
    NothingToRefund {
        /// The authorisation.
        return_id: crate::ids::ReturnId,
        /// What the credit notes would credit (none when nothing was invoiced).
        credited: Option<Money>,
    },
    /// A returned line is on a draft invoice: post or cancel it before crediting.
    #[error("line {line} has {invoicing} on a draft invoice: post or cancel it before crediting the return")]
    ReturnLineOnDraftInvoice {
        /// The order line.
        line: u32,
        /// Quantity on draft invoices.
        invoicing: Decimal,
    },
    /// The authorisation expects nothing more (all received or cancelled).
    #[error("return {return_id} expects nothing more to cancel")]
    NothingOutstanding {
        /// The authorisation.
        return_id: crate::ids::ReturnId,
    },

    // --- claims and documents -------------------------------------------------------------
    /// A claim with this id does not exist.
    #[error("unknown claim {claim_id}")]
    UnknownClaim {
        /// The id given.
        claim_id: ClaimId,
    },
    /// A document with this id does not exist.
    #[error("unknown document {document_id}")]
    UnknownDocument {
        /// The id given.
        document_id: DocumentId,
    },
    /// A claim names no order, shipment, invoice or product.
    #[error("a claim must be about an order, a shipment, an invoice or a product")]
    ClaimSubjectMissing,
    /// A record named belongs to another customer.
    #[error("{kind} {id} belongs to customer {owner}, not to {customer_id}")]
    RecordOfAnotherCustomer {
        /// What the record is.
        kind: EntityKind,
        /// Its id.
        id: Uuid,
        /// Whose it is.
        owner: CustomerId,
        /// The customer of the claim.
        customer_id: CustomerId,
    },
    /// A shipment, invoice or product named with an order is not of that order.
    #[error("{kind} {id} is not of order {order_id}")]
    ClaimRecordNotOfOrder {
        /// What the record is.
        kind: EntityKind,
        /// Its id.
        id: Uuid,
        /// The order named.
        order_id: OrderId,
    },
    /// The customer never ordered the product.
    #[error("customer {customer_id} never ordered product {product_id}")]
    ProductNotOrderedByCustomer {
        /// The product.
        product_id: ProductId,
        /// The customer.
        customer_id: CustomerId,
    },
    /// A disputed amount outside a pricing dispute about an invoice.
    #[error("a disputed amount needs a pricing dispute about an invoice (got {claim_type:?})")]
    DisputeNotAllowed {
        /// The claim's type.
        claim_type: ClaimType,
        /// The invoice named, if any.
        invoice_id: Option<InvoiceId>,
    },
    /// The disputed amount is above what is open and not already disputed on the invoice.
    #[error("cannot dispute {requested} on invoice {invoice_id}: only {open} is open and undisputed")]
    DisputeExceedsOpenAmount {
        /// The invoice.
        invoice_id: InvoiceId,
        /// The amount disputed.
        requested: Money,
        /// What is open and not already disputed.
        open: Money,
    },
    /// The command does not apply to a claim in this state.
    #[error("{command} is not allowed on claim {claim_id}: it is {from:?}")]
    ClaimTransitionNotAllowed {
        /// The claim.
        claim_id: ClaimId,
        /// Its state.
        from: ClaimStatus,
        /// The command refused.
        command: &'static str,
    },
    /// The claim's reopen period is over.
    #[error("claim {claim_id} was resolved on {resolved_on}; it could be reopened until {last_day}")]
    ReopenPeriodOver {
        /// The claim.
        claim_id: ClaimId,
        /// Date of its resolution.
        resolved_on: NaiveDate,
        /// Last day it could be reopened.
        last_day: NaiveDate,
    },
    /// No claim has a new service-level breach.
    #[error("no claim has a new service-level breach as of {as_of}")]
    NoServiceLevelBreach {
        /// The instant measured.
        as_of: DateTime<Utc>,
    },
    /// A document hash that is not 64 lowercase hexadecimal characters.
    #[error("invalid SHA-256 {sha256:?}: expected 64 lowercase hexadecimal characters")]
    InvalidDocumentHash {
        /// The text given.
        sha256: String,
    },
    /// The superseded document is about another record or of another kind.
    #[error("document {document_id} is a {kind:?} about {about:?}: only its kind and record supersede it")]
    SupersededDocumentMismatch {
        /// The superseded document.
        document_id: DocumentId,
        /// What it is about.
        about: DocumentSubject,
        /// Its kind.
        kind: DocumentKind,
    },
    /// The document was superseded already.
    #[error("document {document_id} was already superseded by {superseded_by}")]
    DocumentAlreadySuperseded {
        /// The document.
        document_id: DocumentId,
        /// The document that superseded it.
        superseded_by: DocumentId,
    },
    /// This kind of document cannot be about this record (a tax exemption certificate is
    /// about a customer).
    #[error("a {kind:?} cannot be about {about:?}")]
    DocumentKindNotForSubject {
        /// The kind.
        kind: DocumentKind,
        /// The record.
        about: DocumentSubject,
    },
    /// Business hours that do not open before they close.
    #[error("business hours must open before they close (opens {opens}, closes {closes})")]
    InvalidBusinessHours {
        /// Opening time.
        opens: NaiveTime,
        /// Closing time.
        closes: NaiveTime,
    },
    /// Business hours without a working day.
    #[error("business hours need at least one working day")]
    NoWorkingDays,
    /// A claim priority without a service level.
    #[error("no service level for priority {priority:?}")]
    ServiceLevelMissing {
        /// The priority.
        priority: ClaimPriority,
    },
    /// Two service levels for one priority.
    #[error("more than one service level for priority {priority:?}")]
    DuplicateServiceLevel {
        /// The priority.
        priority: ClaimPriority,
    },
    /// A service-level target of zero hours or above the maximum.
    #[error("{field} of priority {priority:?} must be from 1 to 8760 hours, got {hours}")]
    ServiceLevelOutOfRange {
        /// The priority.
        priority: ClaimPriority,
        /// The target.
        field: &'static str,
        /// The hours given.
        hours: u32,
    },

    // --- archival ----------------------------------------------------------------------
    /// The command names a document that was archived: it is in the log, no longer in the
    /// book, and nothing more may happen to it.
    #[error("{kind} {id} is archived")]
    Archived {
        /// What the document is.
        kind: EntityKind,
        /// Its id.
        id: Uuid,
    },
    /// The order cannot be archived yet.
    #[error("order {order_id} is not settled: {reason}")]
    OrderNotSettled {
        /// The order.
        order_id: OrderId,
        /// What is still open.
        reason: Unsettled,
    },
}
