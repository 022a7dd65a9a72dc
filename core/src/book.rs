//! The book: every aggregate of one company in memory, the command router, and the fold.
//!
//! [`Book::decide`] turns a request into events without changing anything; rules that span
//! aggregates (credit exposure at confirmation, stock availability at reservation, open
//! amounts at allocation) read the other aggregates right here, so they are exact without
//! sagas. [`Book::apply`] folds one recorded event into every aggregate it touches and is
//! the only way the book changes. Replaying a log through `apply` always rebuilds the same
//! book.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Days, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use uuid::Uuid;

use crate::access::Policy;
use crate::command::{Command, Request};
use crate::company::{self, Company};
use crate::customer::{self, Customer, CustomerGroup, CustomerStatusChange as Status};
use crate::envelope::{self, Commit, Hash, Head, RecordedEvent};
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{
    CustomerGroupId, CustomerId, EntityKind, InvoiceId, OrderId, PaymentId, PriceListId, ProductId,
    ShipmentId, WarehouseId,
};
use crate::invoice::{self, Invoice};
use crate::money::Money;
use crate::order::{SalesOrder, amendment, confirmation, quotation, reservation};
use crate::payment::{self, Payment};
use crate::pricing::{self, PriceList};
use crate::product::{self, Product};
use crate::shipment::{self, Shipment};
use crate::stock::{self, ProductStock, StockLevel};
use crate::stream::StreamId;
use crate::warehouse::{self, Warehouse};

/// Every aggregate of one company, as of the last applied event.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Book {
    pub(crate) company: Option<Company>,
    pub(crate) customer_groups: BTreeMap<CustomerGroupId, CustomerGroup>,
    pub(crate) customers: BTreeMap<CustomerId, Customer>,
    /// Normalised tax id -> customer.
    pub(crate) tax_ids: BTreeMap<String, CustomerId>,
    pub(crate) products: BTreeMap<ProductId, Product>,
    pub(crate) skus: BTreeMap<String, ProductId>,
    pub(crate) price_lists: BTreeMap<PriceListId, PriceList>,
    pub(crate) warehouses: BTreeMap<WarehouseId, Warehouse>,
    pub(crate) warehouse_codes: BTreeMap<String, WarehouseId>,
    pub(crate) stock: BTreeMap<ProductId, ProductStock>,
    pub(crate) orders: BTreeMap<OrderId, SalesOrder>,
    pub(crate) shipments: BTreeMap<ShipmentId, Shipment>,
    pub(crate) invoices: BTreeMap<InvoiceId, Invoice>,
    /// Posted invoices with something open, per customer (the overdue check reads them).
    pub(crate) open_invoices: BTreeMap<CustomerId, BTreeSet<InvoiceId>>,
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

    /// Decides a request under `policy`: the events it would append, or why it is refused.
    /// Changes nothing. The actor is checked against the policy first. (The policy is
    /// configuration, not state: it shapes decisions, never the fold.)
    pub fn decide(&self, policy: &Policy, request: &Request) -> Result<Vec<Event>, DomainError> {
        let ctx = &request.context;
        ctx.actor.id.validate()?;
        let company_id = match &request.command {
            Command::SetUpCompany(c) => c.company_id,
            _ => self.require_company()?.id,
        };
        policy.authorize(&ctx.actor, company_id, &request.command)?;
        match &request.command {
            Command::SetUpCompany(c) => company::set_up(self, c),
            Command::ChangeCompanySettings(c) => company::change_settings(self, c),
            Command::RegisterCustomerGroup(c) => customer::register_group(self, c, policy, &ctx.actor),
            Command::RegisterCustomer(c) => customer::register(self, c, policy, &ctx.actor),
            Command::ChangeCustomer(c) => customer::change(self, c),
            Command::SetCreditLimit(c) => customer::set_credit_limit(self, c),
            Command::BlockCustomer(c) => {
                customer::change_status(self, c.customer_id, &c.reason, Status::Blocked)
            }
            Command::UnblockCustomer(c) => {
                customer::change_status(self, c.customer_id, &c.reason, Status::Unblocked)
            }
            Command::DeactivateCustomer(c) => {
                customer::change_status(self, c.customer_id, &c.reason, Status::Deactivated)
            }
            Command::ReactivateCustomer(c) => {
                customer::change_status(self, c.customer_id, &c.reason, Status::Reactivated)
            }
            Command::RegisterProduct(c) => product::register(self, c),
            Command::ChangeProduct(c) => product::change(self, c),
            Command::CreatePriceList(c) => pricing::create_list(self, c),
            Command::AddPriceRule(c) => pricing::add_rule(self, c),
            Command::RemovePriceRule(c) => pricing::remove_rule(self, c),
            Command::RegisterWarehouse(c) => warehouse::register(self, c),
            Command::ReceiveStock(c) => stock::receive(self, c),
            Command::CreateQuotation(c) => quotation::create(self, c, ctx),
            Command::AddQuotationLine(c) => quotation::add_line(self, c, ctx),
            Command::RemoveQuotationLine(c) => quotation::remove_line(self, c),
            Command::ChangeOrderLine(c) => amendment::change_line(self, c, ctx),
            Command::SetOrderDiscount(c) => quotation::set_discount(self, c),
            Command::OverrideLinePrice(c) => quotation::override_price(self, c),
            Command::SendQuotation(c) => quotation::send(self, c),
            Command::RevalidateQuotation(c) => quotation::revalidate(self, c, ctx),
            Command::ApproveDiscount(c) => quotation::approve(self, c, ctx),
            Command::ConfirmOrder(c) => confirmation::confirm(self, c, ctx),
            Command::ReleaseCreditHold(c) => confirmation::release_credit_hold(self, c, ctx),
            Command::AddOrderLine(c) => amendment::add_line(self, c, ctx),
            Command::HoldOrder(c) => amendment::hold(self, c),
            Command::ReleaseOrder(c) => amendment::release_hold(self, c),
            Command::CloseOrder(c) => amendment::close(self, c),
            Command::ReopenOrder(c) => amendment::reopen(self, c, ctx),
            Command::CancelOrder(c) => amendment::cancel(self, c),
            Command::ReserveStock(c) => reservation::reserve(self, c),
            Command::ShipOrder(c) => shipment::ship(self, c),
            Command::CreateInvoice(c) => invoice::create(self, c),
            Command::PostInvoice(c) => invoice::post(self, c, ctx),
            Command::CancelInvoice(c) => invoice::cancel(self, c),
            Command::ReceivePayment(c) => payment::receive(self, c, ctx),
            Command::AllocatePayment(c) => payment::allocate(self, c),
        }
    }

    /// Decides a request under `policy` and seals its events into a commit chained after
    /// this book's head, stamped with `recorded_time`. Changes nothing; apply the commit's
    /// events once the store has accepted them.
    pub fn prepare(
        &self,
        policy: &Policy,
        request: &Request,
        recorded_time: DateTime<Utc>,
    ) -> Result<Commit, DomainError> {
        let fingerprint = request.fingerprint()?;
        let events = self.decide(policy, request)?;
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
        let event = &recorded.payload;
        let actor = &recorded.actor;
        // An order's contribution to its customer's exposure is re-read around every event
        // that touches the order, so the customer's running figure follows it exactly.
        let touched = self.order_touched(event);
        let before = touched
            .and_then(|id| self.orders.get(&id))
            .map(SalesOrder::uninvoiced_value);
        self.register_ids(event);
        match event {
            Event::CompanySetUp(e) => self.company = Some(Company::from_event(e)),
            Event::CompanySettingsChanged(e) => {
                if let Some(company) = self.company.as_mut() {
                    company.settings = e.settings;
                }
            }
            Event::CustomerGroupRegistered(_)
            | Event::CustomerRegistered(_)
            | Event::CustomerChanged(_)
            | Event::CreditLimitSet(_)
            | Event::CustomerBlocked(_)
            | Event::CustomerUnblocked(_)
            | Event::CustomerDeactivated(_)
            | Event::CustomerReactivated(_) => customer::apply(self, event),
            Event::ProductRegistered(e) => {
                self.skus.insert(e.sku.clone(), e.product_id);
                self.products.insert(e.product_id, Product::from_event(e));
            }
            Event::ProductChanged(e) => {
                if let Some(product) = self.products.get_mut(&e.product_id) {
                    product.apply_changed(e);
                }
            }
            Event::PriceListCreated(_) | Event::PriceRuleAdded(_) | Event::PriceRuleRemoved(_) => {
                pricing::apply(self, event)
            }
            Event::WarehouseRegistered(e) => {
                self.warehouse_codes.insert(e.code.clone(), e.warehouse_id);
                self.warehouses.insert(e.warehouse_id, Warehouse::from_event(e));
            }
            Event::StockReceived(e) => {
                self.stock
                    .entry(e.product_id)
                    .or_default()
                    .receive(e.warehouse_id, e.quantity);
            }
            Event::QuotationCreated(_)
            | Event::QuotationLineAdded(_)
            | Event::QuotationLineRemoved(_)
            | Event::OrderDiscountSet(_)
            | Event::LinePriceOverridden(_)
            | Event::QuotationSent(_)
            | Event::QuotationRevalidated(_)
            | Event::DiscountApproved(_) => quotation::apply(self, event, actor),
            Event::OrderConfirmed(_) | Event::CreditHoldReleased(_) => confirmation::apply(self, event),
            Event::OrderLineChanged(_)
            | Event::OrderLineAdded(_)
            | Event::OrderHeld(_)
            | Event::OrderReleased(_)
            | Event::OrderClosed(_)
            | Event::OrderReopened(_)
            | Event::OrderCancelled(_) => amendment::apply(self, event, actor),
            Event::StockReserved(e) => reservation::apply(self, e),
            Event::ShipmentDispatched(e) => shipment::apply_dispatched(self, e),
            Event::InvoiceCreated(e) => invoice::apply_created(self, e),
            Event::InvoicePosted(e) => invoice::apply_posted(self, e),
            Event::InvoiceCancelled(e) => invoice::apply_cancelled(self, e),
            Event::PaymentReceived(e) => payment::apply_received(self, e),
            Event::PaymentAllocated(e) => payment::apply_allocated(self, e),
        }
        if let Some(order) = touched.and_then(|id| self.orders.get(&id)) {
            let change = order.uninvoiced_value() - before.unwrap_or_default();
            if let Some(customer) = self.customers.get_mut(&order.customer_id) {
                customer.uninvoiced_orders += change;
            }
        }
        self.streams.insert(recorded.stream, recorded.stream_version);
        self.head = recorded.head();
    }

    /// The order whose quantities or status an event may change.
    fn order_touched(&self, event: &Event) -> Option<OrderId> {
        match event {
            Event::ShipmentDispatched(e) => Some(e.order_id),
            Event::InvoiceCreated(e) => Some(e.order_id),
            Event::InvoicePosted(e) => self.invoices.get(&e.invoice_id).map(|i| i.order_id),
            Event::InvoiceCancelled(e) => self.invoices.get(&e.invoice_id).map(|i| i.order_id),
            _ => event.order_id(),
        }
    }

    /// Records the ids that creation events take.
    fn register_ids(&mut self, event: &Event) {
        let created = match event {
            Event::CompanySetUp(e) => (e.company_id.0, EntityKind::Company),
            Event::CustomerGroupRegistered(e) => (e.group_id.0, EntityKind::CustomerGroup),
            Event::CustomerRegistered(e) => (e.customer_id.0, EntityKind::Customer),
            Event::ProductRegistered(e) => (e.product_id.0, EntityKind::Product),
            Event::PriceListCreated(e) => (e.price_list_id.0, EntityKind::PriceList),
            Event::PriceRuleAdded(e) => (e.rule.rule_id.0, EntityKind::PriceRule),
            Event::WarehouseRegistered(e) => (e.warehouse_id.0, EntityKind::Warehouse),
            Event::QuotationCreated(e) => (e.order_id.0, EntityKind::Order),
            Event::ShipmentDispatched(e) => (e.shipment_id.0, EntityKind::Shipment),
            Event::InvoiceCreated(e) => (e.invoice_id.0, EntityKind::Invoice),
            Event::PaymentReceived(e) => (e.payment_id.0, EntityKind::Payment),
            _ => return,
        };
        self.ids.insert(created.0, created.1);
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

    /// A customer group.
    pub fn customer_group(&self, id: CustomerGroupId) -> Option<&CustomerGroup> {
        self.customer_groups.get(&id)
    }

    /// A price list.
    pub fn price_list(&self, id: PriceListId) -> Option<&PriceList> {
        self.price_lists.get(&id)
    }

    /// The customer with this tax id (any spelling: compared normalised).
    pub fn customer_by_tax_id(&self, tax_id: &str) -> Option<CustomerId> {
        self.tax_ids.get(&customer::normalize_tax_id(tax_id)).copied()
    }

    /// The credit limit that applies to a customer: its own, else its group's default,
    /// else none (no limit).
    pub fn credit_limit(&self, customer_id: CustomerId) -> Option<Money> {
        let customer = self.customers.get(&customer_id)?;
        customer.credit_limit.or_else(|| {
            let group = self.customer_groups.get(&customer.details.group_id?)?;
            group.default_credit_limit
        })
    }

    /// The customer's posted invoices that are still open more than `grace_days` after
    /// their due date on `date`: their open total and the earliest due date among them.
    pub fn overdue(
        &self,
        customer_id: CustomerId,
        date: NaiveDate,
        grace_days: u32,
    ) -> Option<(Decimal, NaiveDate)> {
        let mut total = Decimal::ZERO;
        let mut oldest: Option<NaiveDate> = None;
        for invoice in self
            .open_invoices
            .get(&customer_id)
            .into_iter()
            .flatten()
            .filter_map(|id| self.invoices.get(id))
        {
            let Some(due) = invoice.due_date else { continue };
            let late_from = due
                .checked_add_days(Days::new(u64::from(grace_days)))
                .unwrap_or(NaiveDate::MAX);
            let open = invoice.open_amount().amount;
            if date > late_from && open > Decimal::ZERO {
                total += open;
                oldest = Some(oldest.map_or(due, |o| o.min(due)));
            }
        }
        oldest.map(|oldest| (total, oldest))
    }

    pub(crate) fn index_tax_id(&mut self, customer_id: CustomerId, old: Option<&str>, new: Option<&str>) {
        if let Some(old) = old {
            let old = customer::normalize_tax_id(old);
            if self.tax_ids.get(&old) == Some(&customer_id) {
                self.tax_ids.remove(&old);
            }
        }
        if let Some(new) = new {
            self.tax_ids.insert(customer::normalize_tax_id(new), customer_id);
        }
    }

    pub(crate) fn require_customer_group(&self, id: CustomerGroupId) -> Result<&CustomerGroup, DomainError> {
        self.customer_groups
            .get(&id)
            .ok_or(DomainError::UnknownCustomerGroup { group_id: id })
    }

    pub(crate) fn require_price_list(&self, id: PriceListId) -> Result<&PriceList, DomainError> {
        self.price_lists
            .get(&id)
            .ok_or(DomainError::UnknownPriceList { price_list_id: id })
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
