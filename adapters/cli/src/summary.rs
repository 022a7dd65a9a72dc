//! One line in business words for every kind of event: what `o2c history` prints beside
//! each event ("Order confirmed: value 457.80 USD, exposure 457.80 USD of limit 5,000.00
//! USD", "Shipped 10 pcs WID-100 to Acme Retail Ltd from WH-1").
//!
//! [`line()`] matches every variant of [`Event`] without a wildcard, so a new event does not
//! compile until it has its summary. Each kind has its own function, grouped by area:
//! master data ([`master`]), sales ([`sales`]), stock and shipping ([`fulfilment`]),
//! invoices and cash ([`billing`]), returns ([`returns`]), claims and documents
//! ([`claims`]). [`Names`] turns ids into the names people use (SKUs,
//! customer names, warehouse codes, invoice numbers), read from the book.

mod billing;
mod claims;
mod fulfilment;
mod master;
mod returns;
mod sales;

use std::collections::HashMap;

use o2c::order::LineQuantity;
use o2c::rust_decimal::Decimal;
use o2c::uuid::Uuid;
use o2c::{
    Book, CreditNoteId, CurrencyCode, CustomerId, Event, InvoiceId, LocationId, Money, OrderId, PaymentId,
    PriceListId, ProductId, RecordedEvent, TaxId, WarehouseId,
};

use crate::format;

pub use claims::{claim_type, priority};
pub use sales::hold_reason;

/// The one-line summary of an event.
pub fn line(event: &Event, names: &Names<'_>) -> String {
    match event {
        Event::CompanySetUp(e) => master::company_set_up(e, names),
        Event::CompanySettingsChanged(e) => master::company_settings_changed(e),
        Event::UnitDefined(e) => master::unit_defined(e),
        Event::RemovalStrategySet(e) => master::removal_strategy_set(e, names),
        Event::CustomerGroupRegistered(e) => master::customer_group_registered(e, names),
        Event::CustomerRegistered(e) => master::customer_registered(e, names),
        Event::CustomerChanged(e) => master::customer_changed(e),
        Event::CreditLimitSet(e) => master::credit_limit_set(e, names),
        Event::CustomerBlocked(e) => master::customer_blocked(e, names),
        Event::CustomerUnblocked(e) => master::customer_unblocked(e, names),
        Event::CustomerDeactivated(e) => master::customer_deactivated(e, names),
        Event::CustomerReactivated(e) => master::customer_reactivated(e, names),
        Event::ProductRegistered(e) => master::product_registered(e, names),
        Event::ProductChanged(e) => master::product_changed(e, names),
        Event::PriceListCreated(e) => master::price_list_created(e),
        Event::PriceRuleAdded(e) => master::price_rule_added(e, names),
        Event::PriceRuleRemoved(e) => master::price_rule_removed(e, names),
        Event::WarehouseRegistered(e) => master::warehouse_registered(e),
        Event::WarehouseConfigured(e) => master::warehouse_configured(e, names),
        Event::LocationRegistered(e) => master::location_registered(e, names),
        Event::TaxDefined(e) => master::tax_defined(e, names),
        Event::FiscalPositionSet(e) => master::fiscal_position_set(e, names),
        Event::ExchangeRateSet(e) => master::exchange_rate_set(e, names),
        Event::PaymentTermDefined(e) => master::payment_term_defined(e, names),
        Event::QuotationCreated(e) => sales::quotation_created(e, names),
        Event::QuotationLineAdded(e) => sales::quotation_line_added(e, names),
        Event::QuotationLineRemoved(e) => sales::quotation_line_removed(e, names),
        Event::OrderDiscountSet(e) => sales::order_discount_set(e),
        Event::LinePriceOverridden(e) => sales::line_price_overridden(e, names),
        Event::QuotationSent(e) => sales::quotation_sent(e, names),
        Event::QuotationRevalidated(e) => sales::quotation_revalidated(e),
        Event::DiscountApproved(e) => sales::discount_approved(e, names),
        Event::OrderConfirmed(e) => sales::order_confirmed(e, names),
        Event::CreditHoldReleased(e) => sales::credit_hold_released(e, names),
        Event::OrderLineChanged(e) => sales::order_line_changed(e, names),
        Event::OrderLineAdded(e) => sales::order_line_added(e, names),
        Event::OrderHeld(e) => sales::order_held(e),
        Event::OrderReleased(e) => sales::order_released(e),
        Event::OrderClosed(e) => sales::order_closed(e, names),
        Event::OrderReopened(e) => sales::order_reopened(e, names),
        Event::OrderCancelled(e) => sales::order_cancelled(e, names),
        Event::LineSubstituted(e) => sales::line_substituted(e, names),
        Event::FulfilmentPolicySet(e) => sales::fulfilment_policy_set(e),
        Event::StockReceived(e) => fulfilment::stock_received(e, names),
        Event::InventoryAdjusted(e) => fulfilment::inventory_adjusted(e, names),
        Event::StockScrapped(e) => fulfilment::stock_scrapped(e, names),
        Event::StockMoved(e) => fulfilment::stock_moved(e, names),
        Event::StockReserved(e) => fulfilment::stock_reserved(e, names),
        Event::StockUnreserved(e) => fulfilment::stock_unreserved(e, names),
        Event::OrderPicked(e) => fulfilment::order_picked(e, names),
        Event::WaveCreated(e) => fulfilment::wave_created(e, names),
        Event::WaveCompleted(e) => fulfilment::wave_completed(e),
        Event::ShipmentDispatched(e) => fulfilment::shipment_dispatched(e, names),
        Event::DeliveryConfirmed(e) => fulfilment::delivery_confirmed(e),
        Event::InvoiceCreated(e) => billing::invoice_created(e, names),
        Event::InvoicePosted(e) => billing::invoice_posted(e, names),
        Event::InvoiceCancelled(e) => billing::invoice_cancelled(e, names),
        Event::DraftInvoiceChanged(e) => billing::draft_invoice_changed(e, names),
        Event::InvoiceWrittenOff(e) => billing::invoice_written_off(e, names),
        Event::CreditNoteIssued(e) => billing::credit_note_issued(e, names),
        Event::CreditApplied(e) => billing::credit_applied(e, names),
        Event::PaymentReceived(e) => billing::payment_received(e, names),
        Event::PaymentAllocated(e) => billing::payment_allocated(e, names),
        Event::PaymentReturned(e) => billing::payment_returned(e, names),
        Event::CustomerCreditRefunded(e) => billing::customer_credit_refunded(e, names),
        Event::DunningNoticeIssued(e) => billing::dunning_notice_issued(e, names),
        // Returns.
        Event::ReturnAuthorised(e) => returns::return_authorised(e, names),
        Event::ReturnReceived(e) => returns::return_received(e, names),
        Event::ReturnInspected(e) => returns::return_inspected(e, names),
        Event::ReturnResolved(e) => returns::return_resolved(e, names),
        Event::ReturnCancelled(e) => returns::return_cancelled(e, names),
        // Claims and documents.
        Event::ClaimOpened(e) => claims::claim_opened(e, names),
        Event::ClaimResponded(e) => claims::claim_responded(e),
        Event::ClaimCustomerAsked(e) => claims::claim_customer_asked(e),
        Event::ClaimCustomerReplied(e) => claims::claim_customer_replied(e),
        Event::ClaimResolved(e) => claims::claim_resolved(e, names),
        Event::ClaimClosed(e) => claims::claim_closed(e),
        Event::ClaimReopened(e) => claims::claim_reopened(e),
        Event::ClaimServiceLevelBreached(e) => claims::claim_service_level_breached(e),
        Event::DocumentAttached(e) => claims::document_attached(e, names),
        Event::OrderArchived(e) => sales::order_archived(e, names),
    }
}

/// The first eight hexadecimal digits of an id: enough to tell records apart on a line.
pub fn short(id: Uuid) -> String {
    let mut text = id.simple().to_string();
    text.truncate(8);
    text
}

/// The names people use for the records an event mentions, looked up in a book (normally
/// the book as the whole log leaves it). A record the book does not know is shown by its
/// short id.
pub struct Names<'a> {
    book: &'a Book,
    /// What the log says of the invoices and payments archived out of the book: the
    /// numbers the invoices were posted with, the references the payments came with.
    archived: HashMap<Uuid, String>,
}

impl<'a> Names<'a> {
    /// Names from `book`.
    pub fn new(book: &'a Book) -> Self {
        Self {
            book,
            archived: HashMap::new(),
        }
    }

    /// Names from `book`, and from `log` (the events folded into it) for the invoices
    /// archived out of it.
    pub fn with_log(book: &'a Book, log: &[RecordedEvent]) -> Self {
        let archived = log
            .iter()
            .filter_map(|e| match &e.payload {
                Event::InvoicePosted(p) => Some((p.invoice_id.0, &p.number)),
                Event::PaymentReceived(p) => Some((p.payment_id.0, &p.reference)),
                _ => None,
            })
            .filter(|(id, _)| book.is_archived(*id))
            .map(|(id, text)| (id, text.clone()))
            .collect();
        Self { book, archived }
    }

    /// A product's SKU.
    pub fn product(&self, id: ProductId) -> String {
        self.book
            .product(id)
            .map_or_else(|| format!("product {}", short(id.0)), |p| p.sku.clone())
    }

    /// A product's stock unit.
    pub fn product_unit(&self, id: ProductId) -> String {
        self.book
            .product(id)
            .map(|p| p.unit.code.clone())
            .unwrap_or_default()
    }

    /// The unit of an order line (the product's stock unit when the line is unknown).
    pub fn line_unit(&self, order: OrderId, line: u32, product: ProductId) -> String {
        self.book
            .order(order)
            .and_then(|o| o.line(line))
            .map_or_else(|| self.product_unit(product), |l| l.unit.clone())
    }

    /// The unit of an order line, or nothing when the line is unknown.
    pub fn order_line_unit(&self, order: OrderId, line: u32) -> String {
        self.book
            .order(order)
            .and_then(|o| o.line(line))
            .map(|l| l.unit.clone())
            .unwrap_or_default()
    }

    /// A customer's name.
    pub fn customer(&self, id: CustomerId) -> String {
        self.book
            .customer(id)
            .map_or_else(|| format!("customer {}", short(id.0)), |c| c.details.name.clone())
    }

    /// A warehouse's code.
    pub fn warehouse(&self, id: WarehouseId) -> String {
        self.book
            .warehouse(id)
            .map_or_else(|| format!("warehouse {}", short(id.0)), |w| w.code.clone())
    }

    /// A location's code.
    pub fn location(&self, id: LocationId) -> String {
        self.book
            .location(id)
            .map_or_else(|| format!("location {}", short(id.0)), |l| l.code.clone())
    }

    /// An invoice's number, or `<short id> (unposted)` for one never posted.
    pub fn invoice(&self, id: InvoiceId) -> String {
        match self.book.invoice(id).and_then(|i| i.number.clone()) {
            Some(number) => number,
            None if self.book.is_archived(id.0) => match self.archived.get(&id.0) {
                Some(number) => number.clone(),
                None => format!("{} (archived)", short(id.0)),
            },
            None => format!("{} (unposted)", short(id.0)),
        }
    }

    /// How many installments an invoice is due in (1 when unknown).
    pub fn installments(&self, id: InvoiceId) -> usize {
        self.book.invoice(id).map_or(1, |i| i.installments.len().max(1))
    }

    /// A credit note's number.
    pub fn credit_note(&self, id: CreditNoteId) -> String {
        self.book
            .credit_note(id)
            .map_or_else(|| format!("credit note {}", short(id.0)), |c| c.number.clone())
    }

    /// An order: the customer's reference when it has one, else its short id.
    pub fn order(&self, id: OrderId) -> String {
        match self.book.order(id) {
            Some(order) if !order.customer_reference.is_empty() => {
                format!("order {} ({})", short(id.0), order.customer_reference)
            }
            _ => format!("order {}", short(id.0)),
        }
    }

    /// A payment: its reference, or its short id.
    pub fn payment(&self, id: PaymentId) -> String {
        let reference = match self.book.payment(id) {
            Some(payment) => Some(&payment.reference),
            None => self.archived.get(&id.0),
        };
        match reference {
            Some(reference) if !reference.is_empty() => format!("payment \"{reference}\""),
            _ => format!("payment {}", short(id.0)),
        }
    }

    /// A price list's name.
    pub fn price_list(&self, id: PriceListId) -> String {
        self.book
            .price_list(id)
            .map_or_else(|| format!("price list {}", short(id.0)), |p| p.name.clone())
    }

    /// A tax's name.
    pub fn tax(&self, id: TaxId) -> String {
        self.book
            .tax(id)
            .map_or_else(|| format!("tax {}", short(id.0)), |t| t.name.clone())
    }

    /// An amount with its currency, padded to the currency's decimals.
    pub fn money(&self, money: &Money) -> String {
        format::money(money, self.decimals(money.currency))
    }

    /// An amount in `currency`.
    pub fn amount(&self, amount: Decimal, currency: CurrencyCode) -> String {
        self.money(&Money::new(amount, currency))
    }

    /// An amount in the company's base currency.
    pub fn base_amount(&self, amount: Decimal) -> String {
        match self.book.company() {
            Some(company) => self.amount(amount, company.base_currency.code),
            None => format::quantity(amount),
        }
    }

    fn decimals(&self, currency: CurrencyCode) -> u32 {
        self.book
            .company()
            .and_then(|c| c.currencies.get(&currency))
            .map_or(0, |c| c.decimals)
    }

    /// `10 pcs WID-100, 4 pcs GAD-200`: order lines' quantities in their units.
    pub fn goods(&self, order: OrderId, lines: &[LineQuantity]) -> String {
        listed(lines.iter().map(|l| {
            format!(
                "{} {} {}",
                format::quantity(l.quantity),
                self.line_unit(order, l.line, l.product_id),
                self.product(l.product_id)
            )
        }))
    }

    /// `5 pcs WID-100`: a stock quantity of a product in its stock unit.
    pub fn stock(&self, product: ProductId, quantity: Decimal) -> String {
        let unit = self.product_unit(product);
        if unit.is_empty() {
            format!("{} {}", format::quantity(quantity), self.product(product))
        } else {
            format!(
                "{} {} {}",
                format::quantity(quantity),
                unit,
                self.product(product)
            )
        }
    }
}

/// Up to four items joined with commas, then how many more.
pub fn listed(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.collect();
    const SHOWN: usize = 4;
    if items.is_empty() {
        return "nothing".into();
    }
    if items.len() <= SHOWN {
        return items.join(", ");
    }
    format!("{} and {} more", items[..SHOWN].join(", "), items.len() - SHOWN)
}

/// `": reason"`, or nothing for an empty reason.
pub fn because(reason: &str) -> String {
    if reason.trim().is_empty() {
        String::new()
    } else {
        format!(": {}", reason.trim())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::collections::BTreeSet;

    use super::*;

    /// The stored log of schema version 6: every kind of event at least once.
    const V6: &str = include_str!("../../../tests/fixtures/events-v6.jsonl");

    #[test]
    fn every_kind_of_event_reads_as_a_business_sentence() {
        let events: Vec<o2c::RecordedEvent> = V6
            .lines()
            .zip(1u64..)
            .map(|(line, position)| o2c::codec::decode(position, line.as_bytes()).unwrap())
            .collect();
        let mut book = Book::new();
        for event in &events {
            book.apply(event);
        }
        let names = Names::new(&book);
        let mut kinds = BTreeSet::new();
        for event in &events {
            let text = line(&event.payload, &names);
            assert!(
                !text.trim().is_empty(),
                "{} has an empty summary",
                event.payload.name()
            );
            assert!(
                !text.contains("{"),
                "{} summary shows raw data: {text}",
                event.payload.name()
            );
            kinds.insert(event.payload.name());
        }
        assert_eq!(
            kinds,
            Event::NAMES.iter().copied().collect::<BTreeSet<_>>(),
            "the fixture no longer holds every kind of event"
        );
        // The credit note of the return names the restocking fee it withheld.
        let fee = events
            .iter()
            .find_map(|e| match &e.payload {
                Event::CreditNoteIssued(note) if note.withheld.is_some() => Some(line(&e.payload, &names)),
                _ => None,
            })
            .unwrap();
        assert!(fee.contains("restocking fee of 10% withheld (3.84 USD)"), "{fee}");
    }

    #[test]
    fn names_fall_back_to_short_ids() {
        let book = Book::new();
        let names = Names::new(&book);
        let id = Uuid::from_u128(0xabcdef12_3456_7890_abcd_ef1234567890);
        assert_eq!(names.product(ProductId(id)), "product abcdef12");
        assert_eq!(names.invoice(InvoiceId(id)), "abcdef12 (unposted)");
        assert_eq!(listed((1..=6).map(|n| n.to_string())), "1, 2, 3, 4 and 2 more");
        assert_eq!(because("  "), "");
    }
}
