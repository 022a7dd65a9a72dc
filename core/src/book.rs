//! The book: every aggregate of one company in memory, the command router, and the fold.
//!
//! [`Book::decide`] turns a request into events without changing anything; rules that span
//! aggregates (credit exposure at confirmation, stock availability at reservation, open
//! amounts at allocation) read the other aggregates right here, so they are exact without
//! sagas. [`Book::apply`] folds one recorded event into every aggregate it touches and is
//! the only way the book changes. Replaying a log through `apply` always rebuilds the same
//! book.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Days, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize, Serializer};
use uuid::Uuid;

use crate::access::Policy;
use crate::archive::{self, Archived};
use crate::claim::{self, Claim};
use crate::collections;
use crate::command::{Command, Request};
use crate::company::{self, Company};
use crate::customer::{self, Customer, CustomerGroup, CustomerStatusChange as Status};
use crate::document::{self, Document};
use crate::envelope::{self, Commit, Hash, Head, RecordedEvent};
use crate::error::DomainError;
use crate::event::Event;
use crate::exchange;
use crate::ids::ReturnId;
use crate::ids::{ClaimId, DocumentId};
use crate::ids::{
    CreditNoteId, CustomerGroupId, CustomerId, EntityKind, InvoiceId, LocationId, OperationId, OrderId,
    PaymentId, PaymentTermId, PriceListId, ProductId, ShipmentId, TaxId, WarehouseId, WaveId,
};
use crate::invoice::{self, CreditNote, Invoice};
use crate::ledger::{self, Statement};
use crate::location::{self, Location, LocationKind, RemovalStrategy, RemovalTarget};
use crate::money::CurrencyCode;
use crate::money::Money;
use crate::order::{OrderLine, SalesOrder, amendment, confirmation, quotation, reservation, substitution};
use crate::payment::{self, Payment};
use crate::payment_term::{self, PaymentTerm};
use crate::picking::{self, Operation, StepView, Wave};
use crate::pricing::{self, PriceList};
use crate::product::Unit;
use crate::product::{self, Product};
use crate::returns::{self, ReturnAuthorisation};
use crate::shipment::LotDelivery;
use crate::shipment::{self, Shipment};
use crate::stock::{self, ProductStock, StockLevel};
use crate::stream::StreamId;
use crate::tax::{self, FiscalTreatment, Tax, TaxMapping};
use crate::unit::{self, UnitDefinition};
use crate::warehouse::{self, Warehouse};

/// Every aggregate of one company, as of the last applied event.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Units of measure defined by the company, by code.
    pub(crate) units: BTreeMap<String, UnitDefinition>,
    pub(crate) locations: BTreeMap<LocationId, Location>,
    /// Removal strategies per product category.
    pub(crate) category_removal: BTreeMap<String, RemovalStrategy>,
    pub(crate) stock: BTreeMap<ProductId, ProductStock>,
    // Documents are boxed: a B-tree node holds eleven values inline and is often only
    // half full (ids that arrive in order split nodes in two and never fill the left
    // one), so inline documents of a few hundred bytes would leave as much room empty.
    pub(crate) orders: BTreeMap<OrderId, Box<SalesOrder>>,
    /// Confirmed, unheld orders with open quantities not reserved (served by priority).
    pub(crate) waiting: BTreeSet<OrderId>,
    pub(crate) operations: BTreeMap<OperationId, Operation>,
    pub(crate) waves: BTreeMap<WaveId, Wave>,
    pub(crate) shipments: BTreeMap<ShipmentId, Box<Shipment>>,
    pub(crate) invoices: BTreeMap<InvoiceId, Box<Invoice>>,
    /// Posted invoices with something open, per customer (the overdue check reads them).
    pub(crate) open_invoices: BTreeMap<CustomerId, BTreeSet<InvoiceId>>,
    pub(crate) payments: BTreeMap<PaymentId, Box<Payment>>,
    pub(crate) credit_notes: BTreeMap<CreditNoteId, CreditNote>,
    pub(crate) taxes: BTreeMap<TaxId, Tax>,
    pub(crate) fiscal_positions: BTreeMap<FiscalTreatment, Vec<TaxMapping>>,
    /// Per currency, the rates by the date they apply from.
    pub(crate) exchange_rates: BTreeMap<CurrencyCode, BTreeMap<NaiveDate, Decimal>>,
    pub(crate) payment_terms: BTreeMap<PaymentTermId, PaymentTerm>,
    /// Every customer's account entries, in log order.
    pub(crate) ledgers: BTreeMap<CustomerId, Vec<ledger::Entry>>,
    // Returns.
    /// Return authorisations.
    pub(crate) returns: BTreeMap<ReturnId, ReturnAuthorisation>,
    // Claims and documents.
    /// Customer claims.
    pub(crate) claims: BTreeMap<ClaimId, Claim>,
    /// Document references.
    pub(crate) documents: BTreeMap<DocumentId, Document>,
    /// The documents about each record (by the record's id), in the order attached.
    pub(crate) documents_by_record: BTreeMap<Uuid, Vec<DocumentId>>,
    /// What is kept of archived orders (their documents have left the maps above).
    pub(crate) archived: Archived,
    /// What archiving an order looks up: its documents, their payments, what is on file.
    pub(crate) archive_links: archive::Links,
    /// Every entity id in use and what it names (looked up, never walked: a hash map, as
    /// every creation inserts into it).
    #[serde(serialize_with = "in_key_order")]
    pub(crate) ids: HashMap<Uuid, EntityKind>,
    /// Current version of every stream (looked up, never walked: a hash map, as every
    /// event updates it).
    #[serde(serialize_with = "in_key_order")]
    pub(crate) streams: HashMap<StreamId, u64>,
    /// The last applied event.
    pub(crate) head: Head,
}

/// Writes a hash map in key order, as a `BTreeMap` of the same entries is written, so the
/// book's JSON and its digest do not depend on the map's iteration order.
fn in_key_order<K: Ord + Serialize, V: Serialize, S: Serializer>(
    map: &HashMap<K, V>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_map(map.iter().collect::<BTreeMap<_, _>>())
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
            Command::DefineUnit(c) => unit::define(self, c),
            Command::RegisterWarehouse(c) => warehouse::register(self, c),
            Command::ConfigureWarehouse(c) => warehouse::configure(self, c),
            Command::RegisterLocation(c) => location::register(self, c),
            Command::SetRemovalStrategy(c) => location::set_removal(self, c),
            Command::ReceiveStock(c) => stock::receive(self, c, ctx),
            Command::AdjustInventory(c) => stock::adjust(self, c, ctx),
            Command::ScrapStock(c) => stock::scrap(self, c),
            Command::MoveStock(c) => stock::transfer(self, c),
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
            Command::ReleaseOrder(c) => amendment::release_hold(self, c, ctx),
            Command::CloseOrder(c) => amendment::close(self, c),
            Command::ReopenOrder(c) => amendment::reopen(self, c, ctx),
            Command::CancelOrder(c) => amendment::cancel(self, c),
            Command::SetFulfilmentPolicy(c) => amendment::set_fulfilment(self, c),
            Command::SubstituteProduct(c) => substitution::substitute(self, c, ctx),
            Command::ReserveStock(c) => reservation::reserve(self, c, ctx),
            Command::UnreserveStock(c) => reservation::unreserve(self, c),
            Command::ReserveDue(c) => reservation::reserve_due(self, c, ctx),
            Command::PickOrder(c) => picking::pick(self, c),
            Command::PackOrder(c) => picking::pack(self, c),
            Command::CreateWave(c) => picking::create_wave(self, c),
            Command::ConfirmWave(c) => picking::confirm_wave(self, c),
            Command::ShipOrder(c) => shipment::ship(self, c),
            Command::ConfirmDelivery(c) => shipment::confirm_delivery(self, c),
            Command::DefineTax(c) => tax::define(self, c),
            Command::SetFiscalPosition(c) => tax::set_fiscal_position(self, c),
            Command::SetExchangeRate(c) => exchange::set(self, c),
            Command::DefinePaymentTerm(c) => payment_term::define(self, c),
            Command::CreateInvoice(c) => invoice::create::create(self, c, ctx),
            Command::CreateDownPaymentInvoice(c) => invoice::create::create_down_payment(self, c, ctx),
            Command::ChangeDraftInvoiceLine(c) => invoice::draft::change_line(self, c, ctx),
            Command::CancelInvoice(c) => invoice::draft::cancel(self, c),
            Command::PostInvoice(c) => invoice::post::post(self, c, ctx),
            Command::CreateCreditNote(c) => invoice::credit_note::create(self, c, ctx),
            Command::ApplyCredit(c) => invoice::customer_credit::apply_credit(self, c, ctx),
            Command::WriteOffInvoice(c) => invoice::write_off::write_off(self, c, ctx),
            Command::ReceivePayment(c) => payment::receive(self, c, ctx),
            Command::AllocatePayment(c) => payment::allocation::allocate(self, c),
            Command::AllocatePaymentAutomatically(c) => payment::allocation::allocate_automatically(self, c),
            Command::ReturnPayment(c) => payment::returned::return_payment(self, c, ctx),
            Command::RefundCustomerCredit(c) => payment::refund::refund(self, c, ctx),
            Command::RunDunning(c) => collections::run(self, c),
            // Returns.
            Command::AuthoriseReturn(c) => returns::authorise::authorise(self, c, ctx),
            Command::ReceiveReturn(c) => returns::receipt::receive(self, c, ctx),
            Command::InspectReturn(c) => returns::inspection::inspect(self, c, ctx),
            Command::ResolveReturn(c) => returns::resolution::resolve(self, c, ctx),
            Command::CancelReturn(c) => returns::authorise::cancel(self, c, ctx),
            // Claims and documents.
            Command::OpenClaim(c) => claim::handling::open(self, c),
            Command::RespondToClaim(c) => claim::handling::respond(self, c),
            Command::AskCustomer(c) => claim::handling::ask(self, c),
            Command::RecordCustomerReply(c) => claim::handling::reply(self, c),
            Command::ResolveClaim(c) => claim::handling::resolve(self, c, policy, ctx),
            Command::CloseClaim(c) => claim::handling::close(self, c),
            Command::ReopenClaim(c) => claim::handling::reopen(self, c, ctx),
            Command::RecordServiceLevelBreaches(c) => claim::service_level::record_breaches(self, c),
            Command::AttachDocument(c) => document::attach(self, c),
            Command::ArchiveOrder(c) => archive::archive(self, c),
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
        let date = recorded.business_time.date_naive();
        // An order's contribution to its customer's exposure is re-read around every event
        // that touches the order, so the customer's running figure follows it exactly; its
        // place among the orders waiting for stock too.
        let touched = self.orders_touched(event);
        let before: Vec<Decimal> = touched
            .iter()
            .map(|id| {
                self.orders
                    .get(id)
                    .map(|order| order.uninvoiced_value())
                    .unwrap_or_default()
            })
            .collect();
        self.register_ids(event);
        self.archive_links.apply(event, &self.invoices);
        match event {
            Event::CompanySetUp(e) => {
                for location in location::company_locations(e.company_id) {
                    self.ids.insert(location.id.0, EntityKind::Location);
                    self.locations.insert(location.id, location);
                }
                self.company = Some(Company::from_event(e));
            }
            Event::CompanySettingsChanged(e) => {
                if let Some(company) = self.company.as_mut() {
                    company.settings = e.settings.clone();
                }
            }
            Event::UnitDefined(e) => {
                self.units.insert(e.unit.code.clone(), e.unit.clone());
            }
            Event::RemovalStrategySet(e) => match &e.target {
                RemovalTarget::Category(category) => {
                    self.category_removal.insert(category.clone(), e.strategy);
                }
                RemovalTarget::Location(id) => {
                    if let Some(location) = self.locations.get_mut(id) {
                        location.removal = Some(e.strategy);
                    }
                }
            },
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
                for location in location::warehouse_locations(e.warehouse_id, &e.code) {
                    self.ids.insert(location.id.0, EntityKind::Location);
                    self.locations.insert(location.id, location);
                }
                self.warehouse_codes.insert(e.code.clone(), e.warehouse_id);
                self.warehouses.insert(e.warehouse_id, Warehouse::from_event(e));
            }
            Event::WarehouseConfigured(e) => {
                if let Some(warehouse) = self.warehouses.get_mut(&e.warehouse_id) {
                    warehouse.route = e.route;
                    warehouse.reservation = e.reservation;
                }
            }
            Event::LocationRegistered(e) => {
                self.locations.insert(
                    e.location_id,
                    Location {
                        id: e.location_id,
                        kind: e.kind,
                        warehouse_id: Some(e.warehouse_id),
                        parent: Some(e.parent_id),
                        code: e.code.clone(),
                        removal: None,
                    },
                );
            }
            Event::StockReceived(e) => stock::apply_received(self, e, date),
            Event::InventoryAdjusted(e) => {
                if let Some(number) = &e.stock_move.lot {
                    // A count may find a lot never received: it is known from then on.
                    self.stock
                        .entry(e.product_id)
                        .or_default()
                        .lots
                        .entry(number.clone())
                        .or_insert(stock::Lot {
                            number: number.clone(),
                            expires_on: None,
                            received_on: date,
                        });
                }
                stock::apply_move(self, &e.stock_move, false, date)
            }
            Event::StockScrapped(e) => stock::apply_move(self, &e.stock_move, false, date),
            Event::StockMoved(e) => stock::apply_move(self, &e.stock_move, false, date),
            Event::QuotationCreated(_)
            | Event::QuotationLineAdded(_)
            | Event::QuotationLineRemoved(_)
            | Event::OrderDiscountSet(_)
            | Event::LinePriceOverridden(_)
            | Event::QuotationSent(_)
            | Event::QuotationRevalidated(_)
            | Event::DiscountApproved(_) => quotation::apply(self, event, actor),
            Event::OrderConfirmed(e) => {
                confirmation::apply(self, event);
                if let Some(order) = self.orders.get_mut(&e.order_id) {
                    order.confirmed_at = Some(recorded.position);
                }
            }
            Event::CreditHoldReleased(_) => confirmation::apply(self, event),
            Event::OrderLineChanged(_)
            | Event::OrderLineAdded(_)
            | Event::FulfilmentPolicySet(_)
            | Event::OrderHeld(_)
            | Event::OrderReleased(_)
            | Event::OrderClosed(_)
            | Event::OrderReopened(_)
            | Event::OrderCancelled(_) => amendment::apply(self, event, actor, date),
            Event::LineSubstituted(e) => substitution::apply(self, e),
            Event::StockReserved(_) | Event::StockUnreserved(_) => reservation::apply(self, event),
            Event::OrderPicked(e) => picking::apply_picked(self, e, actor, date),
            Event::WaveCreated(e) => {
                self.waves.insert(
                    e.wave_id,
                    Wave {
                        id: e.wave_id,
                        warehouse_id: e.warehouse_id,
                        order_ids: e.order_ids.clone(),
                        completed: false,
                    },
                );
            }
            Event::WaveCompleted(e) => {
                if let Some(wave) = self.waves.get_mut(&e.wave_id) {
                    wave.completed = true;
                }
            }
            Event::ShipmentDispatched(e) => shipment::apply_dispatched(self, e, actor, date),
            Event::DeliveryConfirmed(e) => shipment::apply_confirmed(self, e),
            Event::TaxDefined(e) => {
                self.taxes.insert(e.tax.tax_id, e.tax.clone());
            }
            Event::FiscalPositionSet(e) => {
                self.fiscal_positions.insert(e.treatment, e.mappings.clone());
            }
            Event::ExchangeRateSet(e) => {
                self.exchange_rates
                    .entry(e.currency)
                    .or_default()
                    .insert(e.date, e.rate);
            }
            Event::PaymentTermDefined(e) => {
                self.payment_terms.insert(e.payment_term_id, e.clone());
            }
            Event::InvoiceCreated(e) => invoice::create::apply_created(self, e),
            Event::DraftInvoiceChanged(e) => invoice::draft::apply_changed(self, e),
            Event::InvoicePosted(e) => invoice::post::apply_posted(self, e),
            Event::InvoiceCancelled(e) => invoice::draft::apply_cancelled(self, e),
            Event::InvoiceWrittenOff(e) => invoice::write_off::apply_written_off(self, e),
            Event::CreditNoteIssued(e) => invoice::credit_note::apply_issued(self, e),
            Event::CreditApplied(e) => invoice::customer_credit::apply_applied(self, e),
            Event::PaymentReceived(e) => payment::apply_received(self, e),
            Event::PaymentAllocated(e) => payment::allocation::apply_allocated(self, e, date),
            Event::PaymentReturned(e) => payment::returned::apply_returned(self, e),
            Event::CustomerCreditRefunded(e) => payment::refund::apply_refunded(self, e),
            Event::DunningNoticeIssued(e) => collections::apply_issued(self, e),
            // Returns.
            Event::ReturnAuthorised(_)
            | Event::ReturnReceived(_)
            | Event::ReturnInspected(_)
            | Event::ReturnResolved(_)
            | Event::ReturnCancelled(_) => returns::apply(self, event, actor),
            // Claims and documents.
            Event::ClaimOpened(e) => claim::apply_opened(self, e, actor, recorded.business_time),
            Event::ClaimResponded(e) => claim::apply_responded(self, e, actor, recorded.business_time),
            Event::ClaimCustomerAsked(e) => {
                claim::apply_customer_asked(self, e, actor, recorded.business_time)
            }
            Event::ClaimCustomerReplied(e) => {
                claim::apply_customer_replied(self, e, actor, recorded.business_time)
            }
            Event::ClaimResolved(e) => claim::apply_resolved(self, e, recorded.business_time),
            Event::ClaimClosed(e) => claim::apply_closed(self, e, recorded.business_time),
            Event::ClaimReopened(e) => claim::apply_reopened(self, e, actor, recorded.business_time),
            Event::ClaimServiceLevelBreached(e) => claim::service_level::apply_breached(self, e),
            Event::DocumentAttached(e) => document::apply_attached(self, e, actor, recorded.business_time),
            Event::OrderArchived(e) => archive::apply_archived(self, e),
        }
        for (id, before) in touched.into_iter().zip(before) {
            let Some(order) = self.orders.get(&id) else {
                continue;
            };
            let change = order.uninvoiced_value() - before;
            let (customer_id, waiting) = (order.customer_id, order.is_waiting());
            if let Some(customer) = self.customers.get_mut(&customer_id) {
                customer.uninvoiced_orders += change;
            }
            if waiting {
                self.waiting.insert(id);
            } else {
                self.waiting.remove(&id);
            }
        }
        self.streams.insert(recorded.stream, recorded.stream_version);
        self.head = recorded.head();
    }

    /// The orders whose quantities or status an event may change (read models use it to
    /// know which orders to look at again after the event).
    pub fn orders_touched(&self, event: &Event) -> Vec<OrderId> {
        let of_invoice = |id: &InvoiceId| {
            self.invoices
                .get(id)
                .map(|i| i.orders.clone())
                .unwrap_or_default()
        };
        match event {
            Event::ShipmentDispatched(e) => vec![e.order_id],
            Event::OrderPicked(e) => vec![e.order_id],
            Event::InvoiceCreated(e) => std::iter::once(e.order_id)
                .chain(e.additional_orders.iter().copied())
                .collect(),
            Event::DraftInvoiceChanged(e) => of_invoice(&e.invoice_id),
            Event::InvoicePosted(e) => of_invoice(&e.invoice_id),
            Event::InvoiceCancelled(e) => of_invoice(&e.invoice_id),
            Event::CreditNoteIssued(e) => of_invoice(&e.invoice_id),
            // Returns.
            Event::ReturnReceived(e) => vec![e.order_id],
            Event::ReturnResolved(e) => vec![e.order_id],
            _ => event.order_id().into_iter().collect(),
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
            Event::LocationRegistered(e) => (e.location_id.0, EntityKind::Location),
            Event::OrderPicked(e) => (e.operation_id.0, EntityKind::Operation),
            Event::WaveCreated(e) => (e.wave_id.0, EntityKind::Wave),
            Event::QuotationCreated(e) => (e.order_id.0, EntityKind::Order),
            Event::ShipmentDispatched(e) => (e.shipment_id.0, EntityKind::Shipment),
            Event::InvoiceCreated(e) => (e.invoice_id.0, EntityKind::Invoice),
            Event::PaymentReceived(e) => (e.payment_id.0, EntityKind::Payment),
            Event::TaxDefined(e) => (e.tax.tax_id.0, EntityKind::Tax),
            Event::PaymentTermDefined(e) => (e.payment_term_id.0, EntityKind::PaymentTerm),
            Event::CreditNoteIssued(e) => (e.credit_note_id.0, EntityKind::CreditNote),
            // Returns.
            Event::ReturnAuthorised(e) => (e.return_id.0, EntityKind::Return),
            // Claims and documents.
            Event::ClaimOpened(e) => (e.claim_id.0, EntityKind::Claim),
            Event::DocumentAttached(e) => (e.document_id.0, EntityKind::Document),
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
        self.orders.get(&id).map(Box::as_ref)
    }

    /// Every sales order, by id.
    pub fn orders(&self) -> impl Iterator<Item = &SalesOrder> {
        self.orders.values().map(Box::as_ref)
    }

    /// A shipment.
    pub fn shipment(&self, id: ShipmentId) -> Option<&Shipment> {
        self.shipments.get(&id).map(Box::as_ref)
    }

    /// An invoice.
    pub fn invoice(&self, id: InvoiceId) -> Option<&Invoice> {
        self.invoices.get(&id).map(Box::as_ref)
    }

    /// Every invoice, by id.
    pub fn invoices(&self) -> impl Iterator<Item = &Invoice> {
        self.invoices.values().map(Box::as_ref)
    }

    /// A payment.
    pub fn payment(&self, id: PaymentId) -> Option<&Payment> {
        self.payments.get(&id).map(Box::as_ref)
    }

    /// Every payment, by id.
    pub fn payments(&self) -> impl Iterator<Item = &Payment> {
        self.payments.values().map(Box::as_ref)
    }

    /// A unit of measure the company defined.
    pub fn unit_definition(&self, code: &str) -> Option<&UnitDefinition> {
        self.units.get(code)
    }

    /// A product's stock unit (its own category when never defined).
    pub fn unit_of(&self, product: &Product) -> UnitDefinition {
        self.units
            .get(&product.unit.code)
            .cloned()
            .unwrap_or_else(|| UnitDefinition::standalone(&product.unit))
    }

    /// A unit a product may be sold in: its stock unit, or a defined unit.
    pub(crate) fn require_unit(&self, code: &str, product: &Product) -> Result<UnitDefinition, DomainError> {
        if code == product.unit.code {
            return Ok(self.unit_of(product));
        }
        self.units.get(code).cloned().ok_or(DomainError::UnknownUnit {
            code: code.to_string(),
        })
    }

    /// Decimals of a unit code used for a product.
    pub fn unit_decimals(&self, code: &str, product: ProductId) -> u32 {
        self.units
            .get(code)
            .map(|u| u.decimals)
            .unwrap_or_else(|| self.products.get(&product).map_or(0, |p| p.unit.decimals))
    }

    /// The unit of an order line.
    pub fn line_unit(&self, line: &OrderLine) -> Unit {
        Unit {
            code: line.unit.clone(),
            decimals: self.unit_decimals(&line.unit, line.product_id),
        }
    }

    /// A location.
    pub fn location(&self, id: LocationId) -> Option<&Location> {
        self.locations.get(&id)
    }

    /// True for a warehouse's stock location or one of its bins (where goods are stored
    /// and reserved).
    pub fn is_stock_location(&self, id: LocationId) -> bool {
        self.locations
            .get(&id)
            .is_some_and(|l| l.kind == LocationKind::Stock)
    }

    /// What of a line is on its way (picked into packing or output, not yet shipped), in
    /// the line's unit.
    pub fn in_process(&self, line: &OrderLine) -> Decimal {
        let stock: Decimal = line
            .allocations
            .iter()
            .filter(|a| !self.is_stock_location(a.location_id))
            .map(|a| a.quantity)
            .sum();
        stock / line.stock_per_unit
    }

    /// Every location, by id.
    pub fn locations(&self) -> impl Iterator<Item = &Location> {
        self.locations.values()
    }

    pub(crate) fn require_location(&self, id: LocationId) -> Result<&Location, DomainError> {
        self.locations
            .get(&id)
            .ok_or(DomainError::UnknownLocation { location_id: id })
    }

    /// The removal strategy for a product in a warehouse: the warehouse stock location's,
    /// else the product category's, else FIFO.
    pub fn removal_strategy(&self, product: ProductId, warehouse: WarehouseId) -> RemovalStrategy {
        let stock = location::standard_location(warehouse, LocationKind::Stock);
        self.locations
            .get(&stock)
            .and_then(|l| l.removal)
            .or_else(|| {
                let category = self.products.get(&product)?.category.as_ref()?;
                self.category_removal.get(category).copied()
            })
            .unwrap_or_default()
    }

    /// True when a serial number of a product is in a warehouse location now.
    pub fn serial_in_stock(&self, product: ProductId, number: &str) -> bool {
        self.stock.get(&product).is_some_and(|s| {
            s.each_quant().any(|(location, lot, quant)| {
                lot == Some(number)
                    && quant.quantity > Decimal::ZERO
                    && self
                        .locations
                        .get(&location)
                        .is_some_and(|l| !l.kind.is_virtual())
            })
        })
    }

    /// True when goods of any product wait in the warehouse's packing zone or output.
    pub fn goods_in_process(&self, warehouse: WarehouseId) -> bool {
        let packing = location::standard_location(warehouse, LocationKind::Packing);
        let output = location::standard_location(warehouse, LocationKind::Output);
        self.stock
            .values()
            .any(|s| s.at(packing) > Decimal::ZERO || s.at(output) > Decimal::ZERO)
    }

    /// Confirmed, unheld orders with open quantities not reserved.
    pub fn waiting_orders(&self) -> impl Iterator<Item = &SalesOrder> {
        self.waiting.iter().filter_map(|id| self.order(*id))
    }

    /// The picks and packs of an order.
    pub fn operations_of(&self, order: OrderId) -> impl Iterator<Item = &Operation> {
        self.operations.values().filter(move |o| o.order_id == order)
    }

    /// Every step of an order's delivery as an operation with its state.
    pub fn order_operations(&self, order: OrderId) -> Vec<StepView> {
        self.orders
            .get(&order)
            .map(|o| picking::operations(self, o))
            .unwrap_or_default()
    }

    /// A wave.
    pub fn wave(&self, id: WaveId) -> Option<&Wave> {
        self.waves.get(&id)
    }

    /// The open wave an order is in, if any.
    pub fn open_wave_of(&self, order: OrderId) -> Option<WaveId> {
        self.waves
            .values()
            .find(|w| !w.completed && w.order_ids.contains(&order))
            .map(|w| w.id)
    }

    /// Every shipment, by id.
    pub fn shipments(&self) -> impl Iterator<Item = &Shipment> {
        self.shipments.values().map(Box::as_ref)
    }

    /// The shipments of an order.
    pub fn shipments_of(&self, order: OrderId) -> impl Iterator<Item = &Shipment> {
        self.shipments().filter(move |s| s.order_id == order)
    }

    /// Every shipment that carried a lot or serial number of a product.
    pub fn lot_deliveries(&self, product: ProductId, lot: &str) -> Vec<LotDelivery> {
        shipment::lot_deliveries(self, product, lot)
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

    /// The customer's installments still open more than `grace_days` after their due date
    /// on `date`: their open total in the company currency and the earliest due date among
    /// them.
    pub fn overdue(
        &self,
        customer_id: CustomerId,
        date: NaiveDate,
        grace_days: u32,
    ) -> Option<(Decimal, NaiveDate)> {
        let mut total = Decimal::ZERO;
        let mut oldest: Option<NaiveDate> = None;
        for invoice in self.open_invoices_of(customer_id) {
            for installment in &invoice.installments {
                let due = installment.due_date;
                let late_from = due
                    .checked_add_days(Days::new(u64::from(grace_days)))
                    .unwrap_or(NaiveDate::MAX);
                let open = installment.open();
                if date > late_from && open > Decimal::ZERO {
                    total += open * invoice.rate;
                    oldest = Some(oldest.map_or(due, |o| o.min(due)));
                }
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
        self.order(id)
            .ok_or_else(|| self.missing(id.0, DomainError::UnknownOrder { order_id: id }))
    }

    pub(crate) fn require_shipment(&self, id: ShipmentId) -> Result<&Shipment, DomainError> {
        self.shipment(id)
            .ok_or_else(|| self.missing(id.0, DomainError::UnknownShipment { shipment_id: id }))
    }

    pub(crate) fn require_invoice(&self, id: InvoiceId) -> Result<&Invoice, DomainError> {
        self.invoice(id)
            .ok_or_else(|| self.missing(id.0, DomainError::UnknownInvoice { invoice_id: id }))
    }

    pub(crate) fn require_payment(&self, id: PaymentId) -> Result<&Payment, DomainError> {
        self.payment(id)
            .ok_or_else(|| self.missing(id.0, DomainError::UnknownPayment { payment_id: id }))
    }

    /// The error for a document not in the book: archived, or else `unknown`.
    fn missing(&self, id: Uuid, unknown: DomainError) -> DomainError {
        match self.ids.get(&id) {
            Some(&kind) if self.is_archived(id) => DomainError::Archived { kind, id },
            _ => unknown,
        }
    }

    /// True when the id names an order, shipment, operation, invoice or payment that was
    /// archived (its id stays taken; the document is no longer in the book).
    pub fn is_archived(&self, id: Uuid) -> bool {
        match self.ids.get(&id) {
            Some(EntityKind::Order) => !self.orders.contains_key(&OrderId(id)),
            Some(EntityKind::Shipment) => !self.shipments.contains_key(&ShipmentId(id)),
            Some(EntityKind::Operation) => !self.operations.contains_key(&OperationId(id)),
            Some(EntityKind::Invoice) => !self.invoices.contains_key(&InvoiceId(id)),
            Some(EntityKind::Payment) => !self.payments.contains_key(&PaymentId(id)),
            _ => false,
        }
    }

    /// What the book keeps of archived orders.
    pub fn archived(&self) -> &Archived {
        &self.archived
    }

    /// A tax.
    pub fn tax(&self, id: TaxId) -> Option<&Tax> {
        self.taxes.get(&id)
    }

    pub(crate) fn require_tax(&self, id: TaxId) -> Result<&Tax, DomainError> {
        self.taxes.get(&id).ok_or(DomainError::UnknownTax { tax_id: id })
    }

    /// The tax mappings of a fiscal position, if set.
    pub fn fiscal_position(&self, treatment: FiscalTreatment) -> Option<&[TaxMapping]> {
        self.fiscal_positions.get(&treatment).map(Vec::as_slice)
    }

    /// The exchange rate of a currency on a date: the latest set on or before it.
    pub fn exchange_rate(&self, currency: CurrencyCode, date: NaiveDate) -> Option<Decimal> {
        self.exchange_rates
            .get(&currency)?
            .range(..=date)
            .next_back()
            .map(|(_, rate)| *rate)
    }

    /// A payment term.
    pub fn payment_term(&self, id: PaymentTermId) -> Option<&PaymentTerm> {
        self.payment_terms.get(&id)
    }

    pub(crate) fn require_payment_term(&self, id: PaymentTermId) -> Result<&PaymentTerm, DomainError> {
        self.payment_terms
            .get(&id)
            .ok_or(DomainError::UnknownPaymentTerm { payment_term_id: id })
    }

    /// A credit note.
    pub fn credit_note(&self, id: CreditNoteId) -> Option<&CreditNote> {
        self.credit_notes.get(&id)
    }

    /// Every credit note, by id.
    pub fn credit_notes(&self) -> impl Iterator<Item = &CreditNote> {
        self.credit_notes.values()
    }

    // Returns.
    /// A return authorisation.
    pub fn return_authorisation(&self, id: ReturnId) -> Option<&ReturnAuthorisation> {
        self.returns.get(&id)
    }

    /// Every return authorisation, by id.
    pub fn return_authorisations(&self) -> impl Iterator<Item = &ReturnAuthorisation> {
        self.returns.values()
    }

    pub(crate) fn require_credit_note(&self, id: CreditNoteId) -> Result<&CreditNote, DomainError> {
        self.credit_notes
            .get(&id)
            .ok_or(DomainError::UnknownCreditNote { credit_note_id: id })
    }

    /// A customer's posted invoices with something open.
    pub fn open_invoices_of(&self, customer: CustomerId) -> impl Iterator<Item = &Invoice> {
        self.open_invoices
            .get(&customer)
            .into_iter()
            .flatten()
            .filter_map(|id| self.invoice(*id))
    }

    /// A customer's account entries, in the order they were recorded.
    pub fn ledger(&self, customer: CustomerId) -> &[ledger::Entry] {
        self.ledgers.get(&customer).map(Vec::as_slice).unwrap_or_default()
    }

    /// A customer's statement from `from` to `to` (both included): opening balance,
    /// invoices, credit notes, payments, refunds and the rest, closing balance.
    pub fn statement(&self, customer: CustomerId, from: NaiveDate, to: NaiveDate) -> Statement {
        ledger::statement(self, customer, from, to)
    }

    /// A customer's overdue installments as of a date, most overdue first.
    pub fn overdue_installments(
        &self,
        customer: CustomerId,
        as_of: NaiveDate,
    ) -> Vec<collections::OverdueInstallment> {
        collections::overdue_installments(self, customer, as_of)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stream::StreamKind;

    #[derive(Serialize)]
    struct Hashed {
        #[serde(serialize_with = "in_key_order")]
        streams: HashMap<StreamId, u64>,
    }

    #[derive(Serialize)]
    struct Ordered {
        streams: BTreeMap<StreamId, u64>,
    }

    #[test]
    fn hash_maps_of_the_book_are_written_as_the_btree_maps_they_replaced() {
        let streams: BTreeMap<StreamId, u64> = (0u64..200)
            .map(|n| {
                let kind = if n % 3 == 0 {
                    StreamKind::Order
                } else {
                    StreamKind::Invoice
                };
                let id =
                    Uuid::from_u128(u128::from(n).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c834));
                (StreamId::new(kind, id), n)
            })
            .collect();
        let hashed = Hashed {
            streams: streams.iter().map(|(k, v)| (*k, *v)).collect(),
        };
        assert_eq!(
            serde_json::to_string(&hashed).unwrap(),
            serde_json::to_string(&Ordered { streams }).unwrap(),
        );
    }
}
