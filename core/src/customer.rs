//! Customers and customer groups: who buys, where to bill and ship, on what payment term,
//! at which prices, up to which credit limit, under which tax treatment; whether they are
//! blocked (orders go on credit hold) or inactive (no new quotations); and the running
//! account figures the credit check reads (open receivable, uninvoiced order value).
//!
//! Credit limit precedence: the customer's own limit when set; otherwise the default of the
//! customer's group when the group has one; otherwise no limit. A limit of zero means no
//! credit at all. Setting a customer's own limit, at registration or later, needs a role
//! that may issue `SetCreditLimit` (the credit controller in the standard policy); so does
//! registering a group with a default limit. The same precedence picks the price list: the customer's own, else the
//! group's default, else the products' list prices.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::access::{Actor, Policy};
use crate::book::Book;
use crate::company::Company;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{CustomerGroupId, CustomerId, PaymentTermId, PriceListId};
use crate::money::Money;
use crate::order::BackorderPolicy;
use crate::validate;

/// Longest accepted payment term, in days.
pub const MAX_PAYMENT_TERM_DAYS: u32 = 3650;

/// A postal address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// Street and number (required).
    pub street: String,
    /// City (required).
    pub city: String,
    /// Postal code (may be empty).
    #[serde(default)]
    pub postal_code: String,
    /// Country, ISO 3166 two-letter code.
    pub country: String,
}

/// How sales to a customer are taxed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaxTreatment {
    /// Normal taxes apply.
    #[default]
    Taxable,
    /// Exempt, under a certificate that may expire.
    Exempt {
        /// The exemption certificate's reference.
        certificate: String,
        /// Last day the certificate is valid, if it expires.
        expires_on: Option<NaiveDate>,
    },
    /// Export: sales leave the tax territory.
    Export,
}

/// A customer's master data (everything but the credit limit, which the credit controller
/// sets). Fields other than name and payment term may be omitted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerDetails {
    /// Legal name.
    pub name: String,
    /// Net payment term: an invoice is due this many days after its date (0 = immediately),
    /// unless the customer has a payment term with installments.
    pub payment_term_days: u32,
    /// The payment term that splits the customer's invoices into installments.
    #[serde(default)]
    pub payment_term_id: Option<PaymentTermId>,
    /// Tax (VAT) id; unique among customers (compared ignoring case, spaces, dots, dashes).
    #[serde(default)]
    pub tax_id: Option<String>,
    /// Where invoices go.
    #[serde(default)]
    pub billing_address: Option<Address>,
    /// Where goods may be delivered.
    #[serde(default)]
    pub shipping_addresses: Vec<Address>,
    /// The customer's group.
    #[serde(default)]
    pub group_id: Option<CustomerGroupId>,
    /// The customer's own price list.
    #[serde(default)]
    pub price_list_id: Option<PriceListId>,
    /// Tax treatment.
    #[serde(default)]
    pub tax_treatment: TaxTreatment,
    /// What happens to the rest of the customer's orders after a partial shipment (an
    /// order may set its own).
    #[serde(default)]
    pub backorder_policy: BackorderPolicy,
}

/// Command: register a customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterCustomer {
    /// The new customer's id.
    pub customer_id: CustomerId,
    /// Master data.
    #[serde(flatten)]
    pub details: CustomerDetails,
    /// Own credit limit in the company currency; `None` defers to the group's default.
    #[serde(default)]
    pub credit_limit: Option<Money>,
}

/// Event: a customer was registered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerRegistered {
    /// The customer's id.
    pub customer_id: CustomerId,
    /// Master data.
    #[serde(flatten)]
    pub details: CustomerDetails,
    /// Own credit limit, if any.
    pub credit_limit: Option<Money>,
}

/// Command: change a customer's master data (not the credit limit).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeCustomer {
    /// The customer.
    pub customer_id: CustomerId,
    /// The new master data, complete.
    #[serde(flatten)]
    pub details: CustomerDetails,
}

/// Event: a customer's master data changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerChanged {
    /// The customer.
    pub customer_id: CustomerId,
    /// The new master data, complete.
    #[serde(flatten)]
    pub details: CustomerDetails,
}

/// Command: set or clear a customer's own credit limit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetCreditLimit {
    /// The customer.
    pub customer_id: CustomerId,
    /// The new own limit; `None` defers to the group's default.
    pub credit_limit: Option<Money>,
    /// Why.
    pub reason: String,
}

/// Event: a customer's own credit limit was set or cleared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditLimitSet {
    /// The customer.
    pub customer_id: CustomerId,
    /// The new own limit.
    pub credit_limit: Option<Money>,
    /// Why.
    pub reason: String,
}

/// The customer status changes that carry only a reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CustomerStatusChange {
    /// Blocked: orders are confirmed on credit hold.
    Blocked,
    /// Unblocked.
    Unblocked,
    /// Inactive: no new quotations.
    Deactivated,
    /// Active again.
    Reactivated,
}

macro_rules! status_command {
    ($(#[$doc:meta])* $command:ident, $(#[$edoc:meta])* $event:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
        pub struct $command {
            /// The customer.
            pub customer_id: CustomerId,
            /// Why.
            pub reason: String,
        }

        $(#[$edoc])*
        #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
        pub struct $event {
            /// The customer.
            pub customer_id: CustomerId,
            /// Why.
            pub reason: String,
        }
    };
}

status_command!(
    /// Command: block a customer (new orders go on credit hold).
    BlockCustomer,
    /// Event: a customer was blocked.
    CustomerBlocked
);
status_command!(
    /// Command: lift a customer's block.
    UnblockCustomer,
    /// Event: a customer's block was lifted.
    CustomerUnblocked
);
status_command!(
    /// Command: make a customer inactive (no new quotations).
    DeactivateCustomer,
    /// Event: a customer became inactive.
    CustomerDeactivated
);
status_command!(
    /// Command: make an inactive customer active again.
    ReactivateCustomer,
    /// Event: a customer became active again.
    CustomerReactivated
);

/// Command: register a customer group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterCustomerGroup {
    /// The new group's id.
    pub group_id: CustomerGroupId,
    /// Name.
    pub name: String,
    /// Credit limit for members without one of their own.
    #[serde(default)]
    pub default_credit_limit: Option<Money>,
    /// Price list for members without one of their own.
    #[serde(default)]
    pub default_price_list_id: Option<PriceListId>,
}

/// Event: a customer group was registered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerGroupRegistered {
    /// The group's id.
    pub group_id: CustomerGroupId,
    /// Name.
    pub name: String,
    /// Default credit limit.
    pub default_credit_limit: Option<Money>,
    /// Default price list.
    pub default_price_list_id: Option<PriceListId>,
}

/// A customer group's state.
pub type CustomerGroup = CustomerGroupRegistered;

/// A customer's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    /// The customer's id.
    pub id: CustomerId,
    /// Master data.
    pub details: CustomerDetails,
    /// Own credit limit, if any (see [`Book::credit_limit`] for the one that applies).
    pub credit_limit: Option<Money>,
    /// Why the customer is blocked, if blocked.
    pub blocked: Option<String>,
    /// False once deactivated.
    pub active: bool,
    /// What is open on posted invoices, valued at their rates in the company currency
    /// (exact).
    pub receivable: Decimal,
    /// The dunning level last reached, until a payment starts it over.
    pub dunning_level: Option<u32>,
    /// Confirmed order quantities not yet on a posted invoice, valued at their net prices
    /// (exact, unrounded), in the company currency.
    pub uninvoiced_orders: Decimal,
}

impl Customer {
    /// Legal name.
    pub fn name(&self) -> &str {
        &self.details.name
    }

    /// Credit exposure: open receivable plus confirmed orders not yet invoiced.
    pub fn exposure(&self) -> Decimal {
        self.receivable + self.uninvoiced_orders
    }

    pub(crate) fn from_event(e: &CustomerRegistered) -> Self {
        Self {
            id: e.customer_id,
            details: e.details.clone(),
            credit_limit: e.credit_limit,
            blocked: None,
            active: true,
            receivable: Decimal::ZERO,
            dunning_level: None,
            uninvoiced_orders: Decimal::ZERO,
        }
    }
}

/// The tax id as compared for uniqueness: upper case, letters and digits only.
pub fn normalize_tax_id(tax_id: &str) -> String {
    tax_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn check_address(address: &Address) -> Result<(), DomainError> {
    validate::name("address.street", &address.street)?;
    validate::name("address.city", &address.city)?;
    validate::free_text("address.postal_code", &address.postal_code)?;
    let country_ok = address.country.len() == 2 && address.country.chars().all(|c| c.is_ascii_uppercase());
    if !country_ok {
        return Err(DomainError::InvalidText {
            field: "address.country",
            reason: "must be a two-letter upper-case ISO 3166 code",
        });
    }
    Ok(())
}

fn check_details(book: &Book, customer_id: CustomerId, details: &CustomerDetails) -> Result<(), DomainError> {
    validate::name("name", &details.name)?;
    if details.payment_term_days > MAX_PAYMENT_TERM_DAYS {
        return Err(DomainError::PaymentTermTooLong {
            days: details.payment_term_days,
            max: MAX_PAYMENT_TERM_DAYS,
        });
    }
    if let Some(tax_id) = &details.tax_id {
        validate::name("tax_id", tax_id)?;
        let normalized = normalize_tax_id(tax_id);
        if normalized.is_empty() {
            return Err(DomainError::InvalidText {
                field: "tax_id",
                reason: "must contain letters or digits",
            });
        }
        if let Some(existing) = book.customer_by_tax_id(&normalized) {
            if existing != customer_id {
                return Err(DomainError::DuplicateTaxId {
                    tax_id: tax_id.clone(),
                    customer_id: existing,
                });
            }
        }
    }
    for address in details.billing_address.iter().chain(&details.shipping_addresses) {
        check_address(address)?;
    }
    if let Some(group_id) = details.group_id {
        book.require_customer_group(group_id)?;
    }
    if let Some(price_list_id) = details.price_list_id {
        book.require_price_list(price_list_id)?;
    }
    if let Some(term) = details.payment_term_id {
        book.require_payment_term(term)?;
    }
    if let TaxTreatment::Exempt { certificate, .. } = &details.tax_treatment {
        validate::name("tax_treatment.certificate", certificate)?;
    }
    Ok(())
}

fn check_credit_limit(company: &Company, limit: Option<&Money>) -> Result<(), DomainError> {
    if let Some(limit) = limit {
        validate::in_currency(company.base_currency.code, limit)?;
        validate::non_negative_amount(company, limit)?;
    }
    Ok(())
}

pub(crate) fn register(
    book: &Book,
    cmd: &RegisterCustomer,
    policy: &Policy,
    actor: &Actor,
) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    book.require_unused(cmd.customer_id.0)?;
    if cmd.credit_limit.is_some() {
        // Granting credit is the credit controller's duty, also at registration.
        policy.authorize_as(actor, company.id, "SetCreditLimit")?;
    }
    check_details(book, cmd.customer_id, &cmd.details)?;
    check_credit_limit(company, cmd.credit_limit.as_ref())?;
    Ok(vec![Event::CustomerRegistered(CustomerRegistered {
        customer_id: cmd.customer_id,
        details: cmd.details.clone(),
        credit_limit: cmd.credit_limit,
    })])
}

pub(crate) fn change(book: &Book, cmd: &ChangeCustomer) -> Result<Vec<Event>, DomainError> {
    book.require_customer(cmd.customer_id)?;
    check_details(book, cmd.customer_id, &cmd.details)?;
    Ok(vec![Event::CustomerChanged(CustomerChanged {
        customer_id: cmd.customer_id,
        details: cmd.details.clone(),
    })])
}

pub(crate) fn set_credit_limit(book: &Book, cmd: &SetCreditLimit) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    book.require_customer(cmd.customer_id)?;
    check_credit_limit(company, cmd.credit_limit.as_ref())?;
    validate::name("reason", &cmd.reason)?;
    Ok(vec![Event::CreditLimitSet(CreditLimitSet {
        customer_id: cmd.customer_id,
        credit_limit: cmd.credit_limit,
        reason: cmd.reason.clone(),
    })])
}

/// Decides one of the reason-only status changes; refuses a change that changes nothing.
pub(crate) fn change_status(
    book: &Book,
    customer_id: CustomerId,
    reason: &str,
    change: CustomerStatusChange,
) -> Result<Vec<Event>, DomainError> {
    let customer = book.require_customer(customer_id)?;
    validate::name("reason", reason)?;
    let (already, event) = match change {
        CustomerStatusChange::Blocked => (
            customer.blocked.is_some(),
            Event::CustomerBlocked(CustomerBlocked {
                customer_id,
                reason: reason.into(),
            }),
        ),
        CustomerStatusChange::Unblocked => (
            customer.blocked.is_none(),
            Event::CustomerUnblocked(CustomerUnblocked {
                customer_id,
                reason: reason.into(),
            }),
        ),
        CustomerStatusChange::Deactivated => (
            !customer.active,
            Event::CustomerDeactivated(CustomerDeactivated {
                customer_id,
                reason: reason.into(),
            }),
        ),
        CustomerStatusChange::Reactivated => (
            customer.active,
            Event::CustomerReactivated(CustomerReactivated {
                customer_id,
                reason: reason.into(),
            }),
        ),
    };
    if already {
        return Err(DomainError::CustomerStatusUnchanged { customer_id, change });
    }
    Ok(vec![event])
}

pub(crate) fn register_group(
    book: &Book,
    cmd: &RegisterCustomerGroup,
    policy: &Policy,
    actor: &Actor,
) -> Result<Vec<Event>, DomainError> {
    let company = book.require_company()?;
    book.require_unused(cmd.group_id.0)?;
    if cmd.default_credit_limit.is_some() {
        // A group's default limit grants credit to its members: the credit controller's duty.
        policy.authorize_as(actor, company.id, "SetCreditLimit")?;
    }
    validate::name("name", &cmd.name)?;
    check_credit_limit(company, cmd.default_credit_limit.as_ref())?;
    if let Some(price_list_id) = cmd.default_price_list_id {
        book.require_price_list(price_list_id)?;
    }
    Ok(vec![Event::CustomerGroupRegistered(CustomerGroupRegistered {
        group_id: cmd.group_id,
        name: cmd.name.clone(),
        default_credit_limit: cmd.default_credit_limit,
        default_price_list_id: cmd.default_price_list_id,
    })])
}

/// Folds the customer master-data events.
pub(crate) fn apply(book: &mut Book, event: &Event) {
    match event {
        Event::CustomerRegistered(e) => {
            book.index_tax_id(e.customer_id, None, e.details.tax_id.as_deref());
            book.customers.insert(e.customer_id, Customer::from_event(e));
        }
        Event::CustomerChanged(e) => {
            let old = book
                .customers
                .get(&e.customer_id)
                .and_then(|c| c.details.tax_id.clone());
            book.index_tax_id(e.customer_id, old.as_deref(), e.details.tax_id.as_deref());
            if let Some(customer) = book.customers.get_mut(&e.customer_id) {
                customer.details = e.details.clone();
            }
        }
        Event::CreditLimitSet(e) => {
            if let Some(customer) = book.customers.get_mut(&e.customer_id) {
                customer.credit_limit = e.credit_limit;
            }
        }
        Event::CustomerBlocked(e) => {
            if let Some(customer) = book.customers.get_mut(&e.customer_id) {
                customer.blocked = Some(e.reason.clone());
            }
        }
        Event::CustomerUnblocked(e) => {
            if let Some(customer) = book.customers.get_mut(&e.customer_id) {
                customer.blocked = None;
            }
        }
        Event::CustomerDeactivated(e) => {
            if let Some(customer) = book.customers.get_mut(&e.customer_id) {
                customer.active = false;
            }
        }
        Event::CustomerReactivated(e) => {
            if let Some(customer) = book.customers.get_mut(&e.customer_id) {
                customer.active = true;
            }
        }
        Event::CustomerGroupRegistered(e) => {
            book.customer_groups.insert(e.group_id, e.clone());
        }
        _ => {}
    }
}
