//! Domain errors: every way a command can be refused, each with the figures a caller
//! needs to act on it. A refused command appends nothing and changes nothing.

use rust_decimal::Decimal;
use uuid::Uuid;

use crate::ids::{CompanyId, CustomerId, EntityKind, InvoiceId, OrderId, PaymentId, ProductId, WarehouseId};
use crate::invoice::InvoiceStatus;
use crate::money::{CurrencyCode, Money};

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

    // --- company, ids and master data ---------------------------------------------------
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
    /// Confirming would take the customer's exposure over the credit limit.
    #[error(
        "credit limit of customer {customer_id} exceeded: exposure would be {exposure}, limit is {limit}"
    )]
    CreditLimitExceeded {
        /// The customer.
        customer_id: CustomerId,
        /// Exposure including the order being confirmed.
        exposure: Money,
        /// The limit.
        limit: Money,
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

    // --- invoices and payments ---------------------------------------------------------
    /// Nothing delivered is left uninvoiced.
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
}
