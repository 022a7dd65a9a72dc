//! Events: every fact the book records. Each event names the stream it belongs to (the
//! document or record it is about) and may change several aggregates when folded: a
//! shipment's event lowers the order's open quantity and the warehouse's stock.
//!
//! Events serialize with a stable external tag, e.g. `{"StockReceived":{…}}`. A tag is
//! never renamed and a field is never repurposed; a changed shape gets a new schema
//! version and an upcaster in [`crate::codec`].

use serde::{Deserialize, Serialize};

use crate::archive::OrderArchived;
use crate::claim::{
    ClaimClosed, ClaimCustomerAsked, ClaimCustomerReplied, ClaimOpened, ClaimReopened, ClaimResolved,
    ClaimResponded, ClaimServiceLevelBreached,
};
use crate::collections::DunningNoticeIssued;
use crate::company::{CompanySetUp, CompanySettingsChanged};
use crate::customer::{
    CreditLimitSet, CustomerBlocked, CustomerChanged, CustomerDeactivated, CustomerGroupRegistered,
    CustomerReactivated, CustomerRegistered, CustomerUnblocked,
};
use crate::document::DocumentAttached;
use crate::exchange::ExchangeRateSet;
use crate::ids::OrderId;
use crate::invoice::{
    CreditApplied, CreditNoteIssued, DraftInvoiceChanged, InvoiceCancelled, InvoiceCreated, InvoicePosted,
    InvoiceWrittenOff,
};
use crate::location::{LocationRegistered, RemovalStrategySet};
use crate::order::{
    CreditHoldReleased, DiscountApproved, FulfilmentPolicySet, LinePriceOverridden, LineSubstituted,
    OrderCancelled, OrderClosed, OrderConfirmed, OrderDiscountSet, OrderHeld, OrderLineAdded,
    OrderLineChanged, OrderReleased, OrderReopened, QuotationCreated, QuotationLineAdded,
    QuotationLineRemoved, QuotationRevalidated, QuotationSent, StockReserved, StockUnreserved,
};
use crate::payment::{CustomerCreditRefunded, PaymentReturned};
use crate::payment::{PaymentAllocated, PaymentReceived};
use crate::payment_term::PaymentTermDefined;
use crate::picking::{OrderPicked, WaveCompleted, WaveCreated};
use crate::pricing::{PriceListCreated, PriceRuleAdded, PriceRuleRemoved};
use crate::product::{ProductChanged, ProductRegistered};
use crate::returns::{ReturnAuthorised, ReturnCancelled, ReturnInspected, ReturnReceived, ReturnResolved};
use crate::shipment::DeliveryConfirmed;
use crate::shipment::ShipmentDispatched;
use crate::stock::StockReceived;
use crate::stock::{InventoryAdjusted, StockMoved, StockScrapped};
use crate::stream::{StreamId, StreamKind};
use crate::tax::{FiscalPositionSet, TaxDefined};
use crate::unit::UnitDefined;
use crate::warehouse::WarehouseConfigured;
use crate::warehouse::WarehouseRegistered;

macro_rules! events {
    ($($variant:ident => $kind:ident($field:ident)),* $(,)?) => {
        /// A recorded fact.
        #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
        #[allow(missing_docs)] // each variant is documented on its event type
        pub enum Event {
            $($variant($variant),)*
        }

        impl Event {
            /// Every event name, as in the JSON tags.
            pub const NAMES: &'static [&'static str] = &[$(stringify!($variant)),*];

            /// The event's name, as in its JSON tag.
            pub fn name(&self) -> &'static str {
                match self {
                    $(Event::$variant(_) => stringify!($variant),)*
                }
            }

            /// The stream the event belongs to.
            pub fn stream(&self) -> StreamId {
                match self {
                    $(Event::$variant(e) => StreamId::new(StreamKind::$kind, e.$field.0),)*
                }
            }
        }
    };
}

events!(
    CompanySetUp => Company(company_id),
    CompanySettingsChanged => Company(company_id),
    UnitDefined => Company(company_id),
    RemovalStrategySet => Company(company_id),
    CustomerGroupRegistered => CustomerGroup(group_id),
    CustomerRegistered => Customer(customer_id),
    CustomerChanged => Customer(customer_id),
    CreditLimitSet => Customer(customer_id),
    CustomerBlocked => Customer(customer_id),
    CustomerUnblocked => Customer(customer_id),
    CustomerDeactivated => Customer(customer_id),
    CustomerReactivated => Customer(customer_id),
    ProductRegistered => Product(product_id),
    ProductChanged => Product(product_id),
    PriceListCreated => PriceList(price_list_id),
    PriceRuleAdded => PriceList(price_list_id),
    PriceRuleRemoved => PriceList(price_list_id),
    WarehouseRegistered => Warehouse(warehouse_id),
    WarehouseConfigured => Warehouse(warehouse_id),
    LocationRegistered => Warehouse(warehouse_id),
    StockReceived => Stock(product_id),
    InventoryAdjusted => Stock(product_id),
    StockScrapped => Stock(product_id),
    StockMoved => Stock(product_id),
    QuotationCreated => Order(order_id),
    QuotationLineAdded => Order(order_id),
    QuotationLineRemoved => Order(order_id),
    OrderDiscountSet => Order(order_id),
    LinePriceOverridden => Order(order_id),
    QuotationSent => Order(order_id),
    QuotationRevalidated => Order(order_id),
    DiscountApproved => Order(order_id),
    OrderConfirmed => Order(order_id),
    CreditHoldReleased => Order(order_id),
    OrderLineChanged => Order(order_id),
    OrderLineAdded => Order(order_id),
    OrderHeld => Order(order_id),
    OrderReleased => Order(order_id),
    OrderClosed => Order(order_id),
    OrderReopened => Order(order_id),
    OrderCancelled => Order(order_id),
    StockReserved => Order(order_id),
    StockUnreserved => Order(order_id),
    LineSubstituted => Order(order_id),
    FulfilmentPolicySet => Order(order_id),
    OrderPicked => Operation(operation_id),
    WaveCreated => Wave(wave_id),
    WaveCompleted => Wave(wave_id),
    ShipmentDispatched => Shipment(shipment_id),
    DeliveryConfirmed => Shipment(shipment_id),
    InvoiceCreated => Invoice(invoice_id),
    InvoicePosted => Invoice(invoice_id),
    InvoiceCancelled => Invoice(invoice_id),
    PaymentReceived => Payment(payment_id),
    PaymentAllocated => Payment(payment_id),
    TaxDefined => Company(company_id),
    FiscalPositionSet => Company(company_id),
    ExchangeRateSet => Company(company_id),
    PaymentTermDefined => Company(company_id),
    DraftInvoiceChanged => Invoice(invoice_id),
    InvoiceWrittenOff => Invoice(invoice_id),
    CreditNoteIssued => CreditNote(credit_note_id),
    CreditApplied => CreditNote(credit_note_id),
    PaymentReturned => Payment(payment_id),
    CustomerCreditRefunded => Customer(customer_id),
    DunningNoticeIssued => Customer(customer_id),
    // Returns.
    ReturnAuthorised => Return(return_id),
    ReturnReceived => Return(return_id),
    ReturnInspected => Return(return_id),
    ReturnResolved => Return(return_id),
    ReturnCancelled => Return(return_id),
    // Claims and documents.
    ClaimOpened => Claim(claim_id),
    ClaimResponded => Claim(claim_id),
    ClaimCustomerAsked => Claim(claim_id),
    ClaimCustomerReplied => Claim(claim_id),
    ClaimResolved => Claim(claim_id),
    ClaimClosed => Claim(claim_id),
    ClaimReopened => Claim(claim_id),
    ClaimServiceLevelBreached => Claim(claim_id),
    DocumentAttached => Document(document_id),
    // Archival.
    OrderArchived => Order(order_id),
);

impl Event {
    /// The order an event of the order stream is about.
    pub fn order_id(&self) -> Option<OrderId> {
        let stream = self.stream();
        (stream.kind == StreamKind::Order).then_some(OrderId(stream.id))
    }
}
