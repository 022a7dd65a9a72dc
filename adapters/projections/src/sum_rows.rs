//! Figures added up per key, stored as a list of rows.
//!
//! Several projections keep sums per key (a date with a customer or a product, a step's
//! start and end dates, ...) instead of one entry per event, so that they grow with the
//! keys on which something happened, not with the log. In the stored JSON each key and its
//! sum make one row ([`SumRow`]); reading adds up the rows that name the same key, so a
//! list written one row per event reads into the same sums.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One stored row: a key and its sum.
pub(crate) trait SumRow: Sized {
    /// What the sums are kept by.
    type Key: Ord;
    /// What is added up.
    type Sum;
    /// The row's key and sum.
    fn split(self) -> (Self::Key, Self::Sum);
    /// The row of one key and its sum.
    fn join(key: &Self::Key, sum: &Self::Sum) -> Self;
    /// `sum += more`.
    fn add(sum: &mut Self::Sum, more: Self::Sum);
}

/// The count of a stored row written before rows were counted (one row per item).
pub(crate) fn one() -> u64 {
    1
}

/// Adds `more` to `key`'s sum.
pub(crate) fn add<R: SumRow>(sums: &mut BTreeMap<R::Key, R::Sum>, key: R::Key, more: R::Sum) {
    match sums.entry(key) {
        Entry::Vacant(entry) => {
            entry.insert(more);
        }
        Entry::Occupied(mut entry) => R::add(entry.get_mut(), more),
    }
}

/// Stores the sums as one row per key (for `#[serde(serialize_with)]`).
pub(crate) fn serialize<R, S>(sums: &BTreeMap<R::Key, R::Sum>, serializer: S) -> Result<S::Ok, S::Error>
where
    R: SumRow + Serialize,
    S: Serializer,
{
    serializer.collect_seq(sums.iter().map(|(key, sum)| R::join(key, sum)))
}

/// Reads stored rows, adding up those of one key (for `#[serde(deserialize_with)]`).
pub(crate) fn deserialize<'de, R, D>(deserializer: D) -> Result<BTreeMap<R::Key, R::Sum>, D::Error>
where
    R: SumRow + Deserialize<'de>,
    D: Deserializer<'de>,
{
    let mut sums = BTreeMap::new();
    for row in Vec::<R>::deserialize(deserializer)? {
        let (key, sum) = row.split();
        add::<R>(&mut sums, key, sum);
    }
    Ok(sums)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Row {
        key: u32,
        count: u64,
    }

    impl SumRow for Row {
        type Key = u32;
        type Sum = u64;
        fn split(self) -> (u32, u64) {
            (self.key, self.count)
        }
        fn join(key: &u32, sum: &u64) -> Self {
            Row {
                key: *key,
                count: *sum,
            }
        }
        fn add(sum: &mut u64, more: u64) {
            *sum += more;
        }
    }

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    struct Held {
        #[serde(
            serialize_with = "serialize::<Row, _>",
            deserialize_with = "deserialize::<Row, _>"
        )]
        sums: BTreeMap<u32, u64>,
    }

    #[test]
    fn rows_of_one_key_are_added_up_when_read_and_stored_once() {
        let stored = r#"{"sums":[{"key":2,"count":1},{"key":1,"count":4},{"key":2,"count":5}]}"#;
        let held: Held = serde_json::from_str(stored).unwrap_or_default();
        assert_eq!(held.sums, BTreeMap::from([(1, 4), (2, 6)]));
        let json = serde_json::to_string(&held).unwrap_or_default();
        assert_eq!(json, r#"{"sums":[{"key":1,"count":4},{"key":2,"count":6}]}"#);
    }
}
