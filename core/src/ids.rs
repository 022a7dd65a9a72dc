//! Typed identifiers. Every entity id is a UUID chosen by the caller (the core never
//! generates one), wrapped in a type per entity so an order id cannot be passed where a
//! customer id is expected. The actor id names who issued a command.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::DomainError;

macro_rules! entity_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }
    };
}

entity_id!(
    /// The company whose book this is.
    CompanyId
);
entity_id!(
    /// A customer (bill-to party).
    CustomerId
);
entity_id!(
    /// A product in the catalogue.
    ProductId
);
entity_id!(
    /// A warehouse that holds stock and ships orders.
    WarehouseId
);
entity_id!(
    /// A customer group (default credit limit and price list for its members).
    CustomerGroupId
);
entity_id!(
    /// A price list.
    PriceListId
);
entity_id!(
    /// A rule within a price list.
    PriceRuleId
);
entity_id!(
    /// A stock location: a warehouse's stock, bins, packing zone, output, returns,
    /// quarantine or scrap, or a virtual location (suppliers, customers, inventory loss).
    LocationId
);
entity_id!(
    /// A warehouse operation (a pick or a pack).
    OperationId
);
entity_id!(
    /// A wave of picks across orders.
    WaveId
);
entity_id!(
    /// A tax.
    TaxId
);
entity_id!(
    /// A payment term.
    PaymentTermId
);
entity_id!(
    /// A credit note.
    CreditNoteId
);
entity_id!(
    /// A sales order, from quotation onwards.
    OrderId
);
entity_id!(
    /// A shipment (delivery) of an order.
    ShipmentId
);
entity_id!(
    /// A customer invoice.
    InvoiceId
);
entity_id!(
    /// A payment received from a customer.
    PaymentId
);
entity_id!(
    /// A return authorisation (RMA) of delivered goods.
    ReturnId
);
entity_id!(
    /// A customer's claim (a complaint or dispute handled by customer service).
    ClaimId
);
entity_id!(
    /// A document reference attached to a record.
    DocumentId
);

/// The kind of entity an id was first used for. Ids are unique across kinds: an id used
/// for a customer can never name an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EntityKind {
    /// The company.
    Company,
    /// A customer.
    Customer,
    /// A customer group.
    CustomerGroup,
    /// A price list.
    PriceList,
    /// A price rule.
    PriceRule,
    /// A product.
    Product,
    /// A warehouse.
    Warehouse,
    /// A tax.
    Tax,
    /// A payment term.
    PaymentTerm,
    /// A credit note.
    CreditNote,
    /// A stock location.
    Location,
    /// A warehouse operation.
    Operation,
    /// A wave of picks.
    Wave,
    /// A sales order.
    Order,
    /// A shipment.
    Shipment,
    /// An invoice.
    Invoice,
    /// A payment.
    Payment,
    /// A return authorisation.
    Return,
    /// A claim.
    Claim,
    /// A document reference.
    Document,
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Self::Company => "company",
            Self::Customer => "customer",
            Self::CustomerGroup => "customer group",
            Self::PriceList => "price list",
            Self::PriceRule => "price rule",
            Self::Product => "product",
            Self::Warehouse => "warehouse",
            Self::Tax => "tax",
            Self::PaymentTerm => "payment term",
            Self::CreditNote => "credit note",
            Self::Location => "location",
            Self::Operation => "operation",
            Self::Wave => "wave",
            Self::Order => "order",
            Self::Shipment => "shipment",
            Self::Invoice => "invoice",
            Self::Payment => "payment",
            Self::Return => "return",
            Self::Claim => "claim",
            Self::Document => "document",
        };
        f.write_str(name)
    }
}

/// Longest accepted actor id, in characters.
pub const MAX_ACTOR_LEN: usize = 128;

/// Who issued a command: a user name, a service account or an integration's name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ActorId(String);

impl ActorId {
    /// Accepts a non-blank id of at most [`MAX_ACTOR_LEN`] characters without control
    /// characters or surrounding spaces.
    pub fn new(id: &str) -> Result<Self, DomainError> {
        let valid = !id.is_empty()
            && id.trim() == id
            && id.chars().count() <= MAX_ACTOR_LEN
            && !id.chars().any(char::is_control);
        if valid {
            Ok(Self(id.to_string()))
        } else {
            Err(DomainError::InvalidActor {
                actor: id.to_string(),
            })
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Checks an id that arrived through deserialisation (which bypasses [`ActorId::new`]).
    pub fn validate(&self) -> Result<(), DomainError> {
        Self::new(&self.0).map(|_| ())
    }
}

impl fmt::Display for ActorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actor_ids_must_be_clean_text() {
        assert!(ActorId::new("alice").is_ok());
        for bad in ["", " alice", "bob ", "a\nb"] {
            assert!(ActorId::new(bad).is_err(), "{bad:?} accepted");
        }
        assert!(ActorId::new(&"x".repeat(MAX_ACTOR_LEN + 1)).is_err());
    }

    #[test]
    fn ids_serialize_as_plain_uuids() {
        let id = OrderId(Uuid::from_u128(7));
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, "\"00000000-0000-0000-0000-000000000007\"");
    }
}
