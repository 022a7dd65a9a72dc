//! Stream ids. Every event belongs to exactly one stream: the document or master record it
//! is about (`order-<uuid>`, `invoice-<uuid>`, ...). Streams give each document its own
//! numbered history; the global log orders all of them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use uuid::Uuid;
use uuid::fmt::Hyphenated;

/// What a stream is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StreamKind {
    /// The company record (settings, currencies, sequences).
    Company,
    /// A customer's master record.
    Customer,
    /// A customer group.
    CustomerGroup,
    /// A price list and its rules.
    PriceList,
    /// A product's catalogue record.
    Product,
    /// A warehouse's master record, configuration and locations.
    Warehouse,
    /// A warehouse operation (pick or pack) of an order.
    Operation,
    /// A wave of picks.
    Wave,
    /// The stock of one product across warehouses (receipts).
    Stock,
    /// A sales order (quotation, confirmation, reservations).
    Order,
    /// A shipment of an order.
    Shipment,
    /// An invoice.
    Invoice,
    /// A credit note.
    CreditNote,
    /// A payment and its allocations.
    Payment,
    /// A return authorisation: receipts, inspections, resolution.
    Return,
    /// A customer's claim and its handling.
    Claim,
    /// A document reference and what supersedes it.
    Document,
}

impl StreamKind {
    const ALL: [StreamKind; 17] = [
        Self::Company,
        Self::Customer,
        Self::CustomerGroup,
        Self::PriceList,
        Self::Product,
        Self::Warehouse,
        Self::Operation,
        Self::Wave,
        Self::Stock,
        Self::Order,
        Self::Shipment,
        Self::Invoice,
        Self::CreditNote,
        Self::Payment,
        Self::Return,
        Self::Claim,
        Self::Document,
    ];

    /// The prefix used in the textual stream id.
    pub fn prefix(self) -> &'static str {
        match self {
            Self::Company => "company",
            Self::Customer => "customer",
            Self::CustomerGroup => "customergroup",
            Self::PriceList => "pricelist",
            Self::Product => "product",
            Self::Warehouse => "warehouse",
            Self::Operation => "operation",
            Self::Wave => "wave",
            Self::Stock => "stock",
            Self::Order => "order",
            Self::Shipment => "shipment",
            Self::Invoice => "invoice",
            Self::CreditNote => "creditnote",
            Self::Payment => "payment",
            Self::Return => "return",
            Self::Claim => "claim",
            Self::Document => "document",
        }
    }
}

/// A stream: its kind and the id of the entity it is about. Written `order-<uuid>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StreamId {
    /// What the stream is about.
    pub kind: StreamKind,
    /// The entity's id.
    pub id: Uuid,
}

/// The longest text of a stream id: the longest kind prefix, `-`, a hyphenated UUID.
pub(crate) const STREAM_TEXT_MAX: usize = "customergroup-".len() + Hyphenated::LENGTH;

impl StreamId {
    /// A stream id.
    pub fn new(kind: StreamKind, id: impl Into<Uuid>) -> Self {
        Self { kind, id: id.into() }
    }

    /// Writes the stream id's text, `<kind>-<uuid>`, into `buffer` and returns it (what
    /// `Display` writes, without the formatting machinery or an allocation: the stored
    /// record and the hash chain take it for every event).
    pub(crate) fn encode_text<'b>(&self, buffer: &'b mut [u8; STREAM_TEXT_MAX]) -> &'b [u8] {
        let prefix = self.kind.prefix().as_bytes();
        let len = prefix.len() + 1 + Hyphenated::LENGTH;
        let (head, rest) = buffer[..len].split_at_mut(prefix.len());
        head.copy_from_slice(prefix);
        rest[0] = b'-';
        self.id.hyphenated().encode_lower(&mut rest[1..]);
        &buffer[..len]
    }
}

impl fmt::Display for StreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.kind.prefix(), self.id.as_hyphenated())
    }
}

/// A text that is not `<kind>-<uuid>`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "not a stream id: {text:?} (expected <kind>-<uuid>, kind one of company, customer, customergroup, pricelist, product, warehouse, operation, wave, stock, order, shipment, invoice, creditnote, payment, return, claim, document)"
)]
pub struct InvalidStreamId {
    /// The text that was given.
    pub text: String,
}

impl FromStr for StreamId {
    type Err = InvalidStreamId;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = || InvalidStreamId { text: s.to_string() };
        let (prefix, id) = s.split_once('-').ok_or_else(invalid)?;
        let kind = StreamKind::ALL
            .into_iter()
            .find(|k| k.prefix() == prefix)
            .ok_or_else(invalid)?;
        let id = Uuid::try_parse(id).map_err(|_| invalid())?;
        Ok(Self { kind, id })
    }
}

impl Serialize for StreamId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for StreamId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_encoded_text_is_the_displayed_text() {
        for kind in StreamKind::ALL {
            let stream = StreamId::new(kind, Uuid::from_u128(0x0123_4567_89ab_cdef_fedc_ba98_7654_3210));
            let mut buffer = [0; STREAM_TEXT_MAX];
            assert_eq!(stream.encode_text(&mut buffer), stream.to_string().as_bytes());
        }
    }

    #[test]
    fn stream_ids_round_trip_through_text() {
        for kind in StreamKind::ALL {
            let id = StreamId::new(kind, Uuid::from_u128(0xabc));
            let text = id.to_string();
            assert!(text.starts_with(kind.prefix()));
            assert_eq!(text.parse::<StreamId>().unwrap(), id);
        }
    }

    #[test]
    fn malformed_stream_ids_are_refused() {
        for bad in [
            "",
            "order",
            "order-",
            "orders-00000000-0000-0000-0000-000000000001",
            "order-xyz",
        ] {
            assert!(bad.parse::<StreamId>().is_err(), "{bad} accepted");
        }
    }
}
