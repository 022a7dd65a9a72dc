//! Events: every fact the book records. Each event names the stream it belongs to (the
//! document or record it is about) and may change several aggregates when folded: a
//! shipment's event lowers the order's open quantity and the warehouse's stock.
//!
//! Events serialize with a stable external tag, e.g. `{"StockReceived":{…}}`. A tag is
//! never renamed and a field is never repurposed; a changed shape gets a new schema
//! version and an upcaster in [`crate::codec`].

use serde::{Deserialize, Serialize};

use crate::company::CompanySetUp;
use crate::customer::CustomerRegistered;
use crate::invoice::{InvoiceCancelled, InvoiceCreated, InvoicePosted};
use crate::order::{OrderConfirmed, QuotationCreated, QuotationLineAdded, StockReserved};
use crate::payment::{PaymentAllocated, PaymentReceived};
use crate::product::ProductRegistered;
use crate::shipment::ShipmentDispatched;
use crate::stock::StockReceived;
use crate::stream::{StreamId, StreamKind};
use crate::warehouse::WarehouseRegistered;

/// A recorded fact.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)] // each variant is documented on its event type
pub enum Event {
    CompanySetUp(CompanySetUp),
    CustomerRegistered(CustomerRegistered),
    ProductRegistered(ProductRegistered),
    WarehouseRegistered(WarehouseRegistered),
    StockReceived(StockReceived),
    QuotationCreated(QuotationCreated),
    QuotationLineAdded(QuotationLineAdded),
    OrderConfirmed(OrderConfirmed),
    StockReserved(StockReserved),
    ShipmentDispatched(ShipmentDispatched),
    InvoiceCreated(InvoiceCreated),
    InvoicePosted(InvoicePosted),
    InvoiceCancelled(InvoiceCancelled),
    PaymentReceived(PaymentReceived),
    PaymentAllocated(PaymentAllocated),
}

macro_rules! event_names {
    ($($variant:ident),* $(,)?) => {
        impl Event {
            /// Every event name, as in the JSON tags.
            pub const NAMES: &'static [&'static str] = &[$(stringify!($variant)),*];

            /// The event's name, as in its JSON tag.
            pub fn name(&self) -> &'static str {
                match self {
                    $(Event::$variant(_) => stringify!($variant),)*
                }
            }
        }
    };
}

event_names!(
    CompanySetUp,
    CustomerRegistered,
    ProductRegistered,
    WarehouseRegistered,
    StockReceived,
    QuotationCreated,
    QuotationLineAdded,
    OrderConfirmed,
    StockReserved,
    ShipmentDispatched,
    InvoiceCreated,
    InvoicePosted,
    InvoiceCancelled,
    PaymentReceived,
    PaymentAllocated,
);

impl Event {
    /// The stream the event belongs to.
    pub fn stream(&self) -> StreamId {
        use StreamKind as K;
        match self {
            Event::CompanySetUp(e) => StreamId::new(K::Company, e.company_id.0),
            Event::CustomerRegistered(e) => StreamId::new(K::Customer, e.customer_id.0),
            Event::ProductRegistered(e) => StreamId::new(K::Product, e.product_id.0),
            Event::WarehouseRegistered(e) => StreamId::new(K::Warehouse, e.warehouse_id.0),
            Event::StockReceived(e) => StreamId::new(K::Stock, e.product_id.0),
            Event::QuotationCreated(e) => StreamId::new(K::Order, e.order_id.0),
            Event::QuotationLineAdded(e) => StreamId::new(K::Order, e.order_id.0),
            Event::OrderConfirmed(e) => StreamId::new(K::Order, e.order_id.0),
            Event::StockReserved(e) => StreamId::new(K::Order, e.order_id.0),
            Event::ShipmentDispatched(e) => StreamId::new(K::Shipment, e.shipment_id.0),
            Event::InvoiceCreated(e) => StreamId::new(K::Invoice, e.invoice_id.0),
            Event::InvoicePosted(e) => StreamId::new(K::Invoice, e.invoice_id.0),
            Event::InvoiceCancelled(e) => StreamId::new(K::Invoice, e.invoice_id.0),
            Event::PaymentReceived(e) => StreamId::new(K::Payment, e.payment_id.0),
            Event::PaymentAllocated(e) => StreamId::new(K::Payment, e.payment_id.0),
        }
    }
}
