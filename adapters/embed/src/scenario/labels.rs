//! Labels: the readable names a scenario file gives its ids ("SO-1", "ACME"), and the rule
//! that says which JSON positions of a command hold ids.
//!
//! A label maps to `Uuid::new_v5(&NAMESPACE, label)`, so the same label is the same id in
//! every run and every file. A string that already parses as a UUID is used as it is.
//!
//! **Id positions** (in the command's JSON body, at any depth):
//!
//! 1. a key ending in `_id` holds one id (or `null`), except `tax_id` directly in the body
//!    of `RegisterCustomer` and `ChangeCustomer`: there it is the customer's tax
//!    registration number (the customer's details are flattened into those commands);
//! 2. a key ending in `_ids`, and the keys `taxes`, `substitutes` and `additional_orders`,
//!    hold a list of ids;
//! 3. the keys `from` and `to` (a stock move's locations, a fiscal position's taxes) and
//!    `base` (the price list a rule's price is based on) hold one id (or `null`);
//! 4. the single-key enum objects `{"Product": …}` (a price rule's scope), `{"Location":
//!    …}` (a removal strategy's target), `{"Payment": …}` and `{"CreditNote": …}` (a
//!    refund's source) hold one id.
//!
//! Returns, claims and documents need nothing more: their ids (`return_id`, `claim_id`,
//! `document_id`, `supersedes_document_id`, a claim's `document_ids`, the records a claim
//! or a document is about, a resolution's credit note, order or return) all sit in `*_id`
//! and `*_ids` keys (the unit test `scenario::id_rule_tests` proves it on the real command
//! types).
//!
//! **Standard locations.** Every warehouse has six locations whose ids the book derives
//! from the warehouse's id. In a location position (`location_id`, `parent_id`, a stock
//! move's `from` and `to`, `{"Location": …}`), a label `<warehouse>/<Kind>` with `Kind` one
//! of `Stock`, `Packing`, `Output`, `Returns`, `Quarantine`, `Scrap` names that standard
//! location of the warehouse labelled `<warehouse>`.

use std::collections::BTreeMap;

use o2c_core::WarehouseId;
use o2c_core::location::{LocationKind, standard_location};
use o2c_core::uuid::Uuid;
use serde_json::Value;

/// The namespace of label ids: the bytes of the text `o2c_scenario_ids`. Never changes, so
/// a label names the same id forever.
pub const NAMESPACE: Uuid = Uuid::from_u128(0x6f32_635f_7363_656e_6172_696f_5f69_6473);

/// The id a label stands for: `Uuid::new_v5(&NAMESPACE, label)`, or the UUID itself when
/// the text is one.
pub fn label_id(label: &str) -> Uuid {
    Uuid::parse_str(label).unwrap_or_else(|_| Uuid::new_v5(&NAMESPACE, label.as_bytes()))
}

/// Keys holding a list of ids besides those ending in `_ids`.
const ID_LIST_KEYS: &[&str] = &["taxes", "substitutes", "additional_orders"];
/// Keys holding one id besides those ending in `_id`.
const ID_KEYS: &[&str] = &["from", "to", "base"];
/// Enum variants whose payload is an id.
const ID_VARIANTS: &[&str] = &["Product", "Location", "Payment", "CreditNote"];
/// Commands whose body carries the customer's tax registration number as `tax_id`.
const CUSTOMER_DETAIL_COMMANDS: &[&str] = &["RegisterCustomer", "ChangeCustomer"];

/// What an id position holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Position {
    /// Not an id.
    Text,
    /// One id of any kind.
    Id,
    /// One location id (standard-location labels allowed).
    Location,
    /// A list of ids.
    IdList,
}

/// Classifies a key of a command body (`top` when the key is directly in the body).
fn position(command: &str, key: &str, top: bool) -> Position {
    if top && key == "tax_id" && CUSTOMER_DETAIL_COMMANDS.contains(&command) {
        return Position::Text;
    }
    let location = matches!(key, "location_id" | "parent_id" | "Location")
        || (command == "MoveStock" && matches!(key, "from" | "to"));
    if location {
        Position::Location
    } else if key.ends_with("_id") || ID_KEYS.contains(&key) || ID_VARIANTS.contains(&key) {
        Position::Id
    } else if key.ends_with("_ids") || ID_LIST_KEYS.contains(&key) {
        Position::IdList
    } else {
        Position::Text
    }
}

/// The labels a scenario used, remembered so that reports and query views can show ids by
/// their labels again.
#[derive(Clone, Debug, Default)]
pub(crate) struct Labels {
    names: BTreeMap<Uuid, String>,
}

impl Labels {
    /// The id of a label (or UUID text), remembering the label.
    pub(crate) fn resolve(&mut self, text: &str) -> Uuid {
        let id = label_id(text);
        if Uuid::parse_str(text).is_err() {
            self.names.entry(id).or_insert_with(|| text.to_string());
        }
        id
    }

    /// The id of a location label: `<warehouse>/<Kind>` names a standard location of the
    /// warehouse, any other text is an ordinary label.
    pub(crate) fn resolve_location(&mut self, text: &str) -> Uuid {
        if let Some((warehouse, kind)) = text.rsplit_once('/') {
            if let Some(kind) = LocationKind::WAREHOUSE.into_iter().find(|k| k.name() == kind) {
                let warehouse = WarehouseId(self.resolve(warehouse));
                let id = standard_location(warehouse, kind).0;
                self.names.entry(id).or_insert_with(|| text.to_string());
                return id;
            }
        }
        self.resolve(text)
    }

    /// How an id is shown: its label when the scenario named it by one, else the UUID.
    pub(crate) fn name_of(&self, id: Uuid) -> String {
        self.names.get(&id).cloned().unwrap_or_else(|| id.to_string())
    }

    /// A message with every id the scenario labelled replaced by its label.
    pub(crate) fn relabel_text(&self, text: &str) -> String {
        self.names.iter().fold(text.to_string(), |text, (id, name)| {
            text.replace(&id.to_string(), name)
        })
    }

    /// Replaces the labels in every id position of a command body (the object inside the
    /// command's tag) by their ids.
    pub(crate) fn rewrite_command(&mut self, command: &str, body: &mut Value) {
        self.rewrite(command, body, true);
    }

    fn rewrite(&mut self, command: &str, value: &mut Value, top: bool) {
        match value {
            Value::Object(map) => {
                for (key, item) in map.iter_mut() {
                    match position(command, key, top) {
                        Position::Text => self.rewrite(command, item, false),
                        Position::Id => self.rewrite_id(item, false),
                        Position::Location => self.rewrite_id(item, true),
                        Position::IdList => {
                            if let Value::Array(items) = item {
                                for id in items {
                                    self.rewrite_id(id, false);
                                }
                            }
                        }
                    }
                }
            }
            Value::Array(items) => {
                for item in items {
                    self.rewrite(command, item, false);
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {}
        }
    }

    /// Rewrites one id position; anything but a string is left for the command's own
    /// decoding to judge.
    fn rewrite_id(&mut self, value: &mut Value, location: bool) {
        if let Value::String(text) = value {
            let id = if location {
                self.resolve_location(text)
            } else {
                self.resolve(text)
            };
            *value = Value::String(id.to_string());
        }
    }
}

/// The id keys that name what a command is about, most telling first (for step titles).
const SUBJECT_KEYS: &[&str] = &[
    "return_id",
    "claim_id",
    "document_id",
    "order_id",
    "invoice_id",
    "credit_note_id",
    "payment_id",
    "shipment_id",
    "wave_id",
    "operation_id",
    "customer_id",
    "group_id",
    "product_id",
    "price_list_id",
    "payment_term_id",
    "tax_id",
    "warehouse_id",
    "location_id",
    "company_id",
    "Payment",
    "CreditNote",
];

/// The label (or id text) a command is about, read from its body before labels are
/// replaced: the first subject key found directly in the body, else one level down.
pub(crate) fn subject(command: &str, body: &Value) -> Option<String> {
    let Value::Object(map) = body else {
        return None;
    };
    let direct = |map: &serde_json::Map<String, Value>| {
        SUBJECT_KEYS.iter().find_map(|key| {
            let is_id = position(command, key, true) != Position::Text;
            map.get(*key)
                .and_then(Value::as_str)
                .filter(|_| is_id)
                .map(str::to_string)
        })
    };
    direct(map).or_else(|| {
        map.values().find_map(|v| match v {
            Value::Object(inner) => direct(inner),
            _ => None,
        })
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    #[test]
    fn labels_map_to_fixed_v5_ids_and_uuids_stay() {
        assert_eq!(label_id("SO-1"), Uuid::new_v5(&NAMESPACE, b"SO-1"));
        assert_eq!(label_id("SO-1"), label_id("SO-1"));
        assert_ne!(label_id("SO-1"), label_id("SO-2"));
        let text = "00000000-0000-0000-0000-000000000007";
        assert_eq!(label_id(text), Uuid::from_u128(7));
        // The namespace is the ASCII text "o2c_scenario_ids".
        assert_eq!(NAMESPACE.as_bytes(), b"o2c_scenario_ids");
    }

    #[test]
    fn standard_location_labels_follow_the_warehouse() {
        let mut labels = Labels::default();
        let stock = labels.resolve_location("WH-1/Stock");
        let expected = standard_location(WarehouseId(label_id("WH-1")), LocationKind::Stock).0;
        assert_eq!(stock, expected);
        assert_eq!(labels.name_of(stock), "WH-1/Stock");
        // A bin is an ordinary label.
        assert_eq!(
            labels.resolve_location("WH-1/Stock/A-01"),
            label_id("WH-1/Stock/A-01")
        );
    }

    #[test]
    fn customer_tax_id_is_text_but_a_tax_definition_id_is_an_id() {
        let mut labels = Labels::default();
        let mut customer = serde_json::json!({"customer_id": "ACME", "tax_id": "DE-123", "name": "Acme"});
        labels.rewrite_command("RegisterCustomer", &mut customer);
        assert_eq!(customer["tax_id"], "DE-123");
        assert_eq!(customer["customer_id"], label_id("ACME").to_string());
        // A tax's own definition is flattened into `DefineTax`: there `tax_id` is its id.
        let mut tax = serde_json::json!({"tax_id": "VAT", "name": "VAT"});
        labels.rewrite_command("DefineTax", &mut tax);
        assert_eq!(tax["tax_id"], label_id("VAT").to_string());
        assert_eq!(labels.name_of(label_id("VAT")), "VAT");
    }
}
