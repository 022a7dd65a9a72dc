//! The book: every aggregate of one company in memory, the command router, and the fold.
//!
//! [`Book::decide`] turns a request into events without changing anything; rules that span
//! aggregates (credit exposure at confirmation, stock availability at reservation, open
//! amounts at allocation) read the other aggregates right here, so they are exact without
//! sagas. [`Book::apply`] folds one recorded event into every aggregate it touches and is
//! the only way the book changes. Replaying a log through `apply` always rebuilds the same
//! book.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::command::{Command, Request};
use crate::company::{self, Company};
use crate::customer::{self, Customer};
use crate::envelope::{self, Commit, Hash, Head, RecordedEvent};
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{CustomerId, EntityKind, InvoiceId, OrderId, PaymentId, ProductId, ShipmentId, WarehouseId};
use crate::invoice::{self, Invoice};
use crate::order::{self, SalesOrder};
use crate::payment::{self, Payment};
use crate::product::{self, Product};
use crate::shipment::{self, Shipment};
use crate::stock::{self, ProductStock, StockLevel};
use crate::stream::StreamId;
use crate::warehouse::{self, Warehouse};

/// Every aggregate of one company, as of the last applied event.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Book {
    pub(crate) company: Option<Company>,
    pub(crate) customers: BTreeMap<CustomerId, Customer>,
    pub(crate) products: BTreeMap<ProductId, Product>,
    pub(crate) skus: BTreeMap<String, ProductId>,
    pub(crate) warehouses: BTreeMap<WarehouseId, Warehouse>,
    pub(crate) warehouse_codes: BTreeMap<String, WarehouseId>,
    pub(crate) stock: BTreeMap<ProductId, ProductStock>,
    pub(crate) orders: BTreeMap<OrderId, SalesOrder>,
    pub(crate) shipments: BTreeMap<ShipmentId, Shipment>,
    pub(crate) invoices: BTreeMap<InvoiceId, Invoice>,
    pub(crate) payments: BTreeMap<PaymentId, Payment>,
    /// Every entity id in use and what it names.
    pub(crate) ids: BTreeMap<Uuid, EntityKind>,
    /// Current version of every stream.
    pub(crate) streams: BTreeMap<StreamId, u64>,
    /// The last applied event.
    pub(crate) head: Head,
}

impl Book {
    /// An empty book.
    pub fn new() -> Self {
        Self::default()
    }

    /// Decides a request: the events it would append, or why it is refused. Changes
    /// nothing.
    pub fn decide(&self, request: &Request) -> Result<Vec<Event>, DomainError> {
        request.context.actor.validate()?;
        let ctx = &request.context;
        match &request.command {
            Command::SetUpCompany(c) => company::set_up(self, c),
            Command::RegisterCustomer(c) => customer::register(self, c),
            Command::RegisterProduct(c) => product::register(self, c),
            Command::RegisterWarehouse(c) => warehouse::register(self, c),
            Command::ReceiveStock(c) => stock::receive(self, c),
            Command::CreateQuotation(c) => order::create_quotation(self, c),
            Command::AddQuotationLine(c) => order::add_line(self, c),
            Command::ConfirmOrder(c) => order::confirm(self, c),
            Command::ReserveStock(c) => order::reserve(self, c),
            Command::ShipOrder(c) => shipment::ship(self, c),
            Command::CreateInvoice(c) => invoice::create(self, c),
            Command::PostInvoice(c) => invoice::post(self, c, ctx),
            Command::CancelInvoice(c) => invoice::cancel(self, c),
            Command::ReceivePayment(c) => payment::receive(self, c, ctx),
            Command::AllocatePayment(c) => payment::allocate(self, c),
        }
    }

    /// Decides a request and seals its events into a commit chained after this book's
    /// head, stamped with `recorded_time`. Changes nothing; apply the commit's events once
    /// the store has accepted them.
    pub fn prepare(&self, request: &Request, recorded_time: DateTime<Utc>) -> Result<Commit, DomainError> {
        let fingerprint = request.fingerprint()?;
        let events = self.decide(request)?;
        let events = envelope::seal(self.head, &request.context, recorded_time, events, |stream| {
            self.streams.get(stream).copied().unwrap_or(0)
        })?;
        Ok(Commit {
            command_id: request.context.command_id,
            fingerprint,
            events,
        })
    }

    /// Folds one recorded event into the book. The event must follow the book's head (the
    /// engine and replay guarantee it by verifying the chain first).
    pub fn apply(&mut self, recorded: &RecordedEvent) {
        match &recorded.payload {
            Event::CompanySetUp(e) => {
                self.ids.insert(e.company_id.0, EntityKind::Company);
                self.company = Some(Company::from_event(e));
            }
            Event::CustomerRegistered(e) => {
                self.ids.insert(e.customer_id.0, EntityKind::Customer);
                self.customers.insert(e.customer_id, Customer::from_event(e));
            }
            Event::ProductRegistered(e) => {
                self.ids.insert(e.product_id.0, EntityKind::Product);
                self.skus.insert(e.sku.clone(), e.product_id);
                self.products.insert(e.product_id, Product::from_event(e));
            }
            Event::WarehouseRegistered(e) => {
                self.ids.insert(e.warehouse_id.0, EntityKind::Warehouse);
                self.warehouse_codes.insert(e.code.clone(), e.warehouse_id);
                self.warehouses.insert(e.warehouse_id, Warehouse::from_event(e));
            }
            Event::StockReceived(e) => {
                self.stock
                    .entry(e.product_id)
                    .or_default()
                    .receive(e.warehouse_id, e.quantity);
            }
            Event::QuotationCreated(e) => {
                self.ids.insert(e.order_id.0, EntityKind::Order);
                order::apply_quotation_created(self, e);
            }
            Event::QuotationLineAdded(e) => order::apply_line_added(self, e),
            Event::OrderConfirmed(e) => order::apply_confirmed(self, e),
            Event::StockReserved(e) => order::apply_reserved(self, e),
            Event::ShipmentDispatched(e) => {
                self.ids.insert(e.shipment_id.0, EntityKind::Shipment);
                shipment::apply_dispatched(self, e);
            }
            Event::InvoiceCreated(e) => {
                self.ids.insert(e.invoice_id.0, EntityKind::Invoice);
                invoice::apply_created(self, e);
            }
            Event::InvoicePosted(e) => invoice::apply_posted(self, e),
            Event::InvoiceCancelled(e) => invoice::apply_cancelled(self, e),
            Event::PaymentReceived(e) => {
                self.ids.insert(e.payment_id.0, EntityKind::Payment);
                payment::apply_received(self, e);
            }
            Event::PaymentAllocated(e) => payment::apply_allocated(self, e),
        }
        self.streams.insert(recorded.stream, recorded.stream_version);
        self.head = recorded.head();
    }

    /// The last applied event's position and hash.
    pub fn head(&self) -> Head {
        self.head
    }

    /// SHA-256 over the book's canonical JSON: equal digests mean equal books.
    pub fn state_digest(&self) -> Result<Hash, DomainError> {
        let json = serde_json::to_vec(self).map_err(|e| DomainError::Encoding {
            message: e.to_string(),
        })?;
        Ok(Hash::of_parts(&[b"o2c.book.v1", &json]))
    }

    /// The current version of a stream (0 if it has no events).
    pub fn stream_version(&self, stream: &StreamId) -> u64 {
        self.streams.get(stream).copied().unwrap_or(0)
    }

    /// The company, once set up.
    pub fn company(&self) -> Option<&Company> {
        self.company.as_ref()
    }

    /// A customer.
    pub fn customer(&self, id: CustomerId) -> Option<&Customer> {
        self.customers.get(&id)
    }

    /// Every customer, by id.
    pub fn customers(&self) -> impl Iterator<Item = &Customer> {
        self.customers.values()
    }

    /// A product.
    pub fn product(&self, id: ProductId) -> Option<&Product> {
        self.products.get(&id)
    }

    /// Every product, by id.
    pub fn products(&self) -> impl Iterator<Item = &Product> {
        self.products.values()
    }

    /// The product with this SKU.
    pub fn product_by_sku(&self, sku: &str) -> Option<ProductId> {
        self.skus.get(sku).copied()
    }

    /// A warehouse.
    pub fn warehouse(&self, id: WarehouseId) -> Option<&Warehouse> {
        self.warehouses.get(&id)
    }

    /// The warehouse with this code.
    pub fn warehouse_by_code(&self, code: &str) -> Option<WarehouseId> {
        self.warehouse_codes.get(code).copied()
    }

    /// A product's stock across warehouses (`None` if it never had any).
    pub fn stock(&self, product: ProductId) -> Option<&ProductStock> {
        self.stock.get(&product)
    }

    /// A product's stock in one warehouse (zero when it never had any).
    pub fn stock_level(&self, product: ProductId, warehouse: WarehouseId) -> StockLevel {
        self.stock
            .get(&product)
            .map(|s| s.level(warehouse))
            .unwrap_or_default()
    }

    /// A sales order.
    pub fn order(&self, id: OrderId) -> Option<&SalesOrder> {
        self.orders.get(&id)
    }

    /// Every sales order, by id.
    pub fn orders(&self) -> impl Iterator<Item = &SalesOrder> {
        self.orders.values()
    }

    /// A shipment.
    pub fn shipment(&self, id: ShipmentId) -> Option<&Shipment> {
        self.shipments.get(&id)
    }

    /// An invoice.
    pub fn invoice(&self, id: InvoiceId) -> Option<&Invoice> {
        self.invoices.get(&id)
    }

    /// Every invoice, by id.
    pub fn invoices(&self) -> impl Iterator<Item = &Invoice> {
        self.invoices.values()
    }

    /// A payment.
    pub fn payment(&self, id: PaymentId) -> Option<&Payment> {
        self.payments.get(&id)
    }

    /// Every payment, by id.
    pub fn payments(&self) -> impl Iterator<Item = &Payment> {
        self.payments.values()
    }

    pub(crate) fn require_company(&self) -> Result<&Company, DomainError> {
        self.company.as_ref().ok_or(DomainError::CompanyNotSetUp)
    }

    pub(crate) fn require_unused(&self, id: Uuid) -> Result<(), DomainError> {
        match self.ids.get(&id) {
            Some(kind) => Err(DomainError::IdAlreadyUsed { id, kind: *kind }),
            None => Ok(()),
        }
    }

    pub(crate) fn require_customer(&self, id: CustomerId) -> Result<&Customer, DomainError> {
        self.customers
            .get(&id)
            .ok_or(DomainError::UnknownCustomer { customer_id: id })
    }

    pub(crate) fn require_product(&self, id: ProductId) -> Result<&Product, DomainError> {
        self.products
            .get(&id)
            .ok_or(DomainError::UnknownProduct { product_id: id })
    }

    pub(crate) fn require_warehouse(&self, id: WarehouseId) -> Result<&Warehouse, DomainError> {
        self.warehouses
            .get(&id)
            .ok_or(DomainError::UnknownWarehouse { warehouse_id: id })
    }

    pub(crate) fn require_order(&self, id: OrderId) -> Result<&SalesOrder, DomainError> {
        self.orders
            .get(&id)
            .ok_or(DomainError::UnknownOrder { order_id: id })
    }

    pub(crate) fn require_invoice(&self, id: InvoiceId) -> Result<&Invoice, DomainError> {
        self.invoices
            .get(&id)
            .ok_or(DomainError::UnknownInvoice { invoice_id: id })
    }

    pub(crate) fn require_payment(&self, id: PaymentId) -> Result<&Payment, DomainError> {
        self.payments
            .get(&id)
            .ok_or(DomainError::UnknownPayment { payment_id: id })
    }
}
