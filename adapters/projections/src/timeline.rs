//! Figures that change over business time, kept as dated changes so that they can be read
//! as of any date.
//!
//! A projection calls [`Timeline::set`] with the new value of a key's figure whenever an
//! event may have changed it; the timeline adds the difference from the value it held to
//! the key's net change on the event's business date. [`Timeline::as_of`] sums the net
//! changes dated on or before a date, [`Timeline::now`] is every change. While business
//! dates follow log order (as they do when commands are issued as things happen), the sum
//! as of a date is exactly the figure that stood at the end of that day; a back-dated
//! event moves its change to its own date.
//!
//! Only the net change per key and date is kept: a figure that rises and falls back on the
//! same day (an order confirmed and shipped the same day, an invoice posted and paid the
//! same day) leaves nothing behind, so a timeline grows with the keys and days on which
//! figures really moved, not with every event. Sums as of any date are unaffected.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::sum_rows::{self, SumRow};

/// A figure that can be added, subtracted and tested for zero.
pub trait Figure: Clone + Default + PartialEq {
    /// `self + other`.
    fn plus(&self, other: &Self) -> Self;
    /// `self - other`.
    fn minus(&self, other: &Self) -> Self;
    /// True when every part is zero.
    fn is_zero(&self) -> bool {
        *self == Self::default()
    }
}

impl Figure for Decimal {
    fn plus(&self, other: &Self) -> Self {
        self + other
    }
    fn minus(&self, other: &Self) -> Self {
        self - other
    }
    fn is_zero(&self) -> bool {
        Decimal::is_zero(self)
    }
}

macro_rules! figure_arrays {
    ($($n:literal),*) => {$(
        impl Figure for [Decimal; $n] {
            fn plus(&self, other: &Self) -> Self {
                std::array::from_fn(|i| self[i] + other[i])
            }
            fn minus(&self, other: &Self) -> Self {
                std::array::from_fn(|i| self[i] - other[i])
            }
            fn is_zero(&self) -> bool {
                self.iter().all(Decimal::is_zero)
            }
        }
    )*};
}

figure_arrays!(2, 3, 4);

/// One dated change of one key's figure: how the net changes are stored (a list; older
/// stored timelines may list a key twice on one date, and are netted when read).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change<K, V> {
    /// Business date of the event that made it.
    pub date: NaiveDate,
    /// Whose figure changed.
    pub key: K,
    /// By how much.
    pub delta: V,
}

/// A figure per key, as it stands now and as it stood on any business date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(bound(
    serialize = "K: Serialize + Ord + Clone, V: Serialize + Figure",
    deserialize = "K: Deserialize<'de> + Ord + Clone, V: Deserialize<'de> + Figure"
))]
pub struct Timeline<K, V> {
    #[serde(with = "pairs")]
    current: BTreeMap<K, V>,
    /// The net change per business date and key; never zero.
    #[serde(
        serialize_with = "sum_rows::serialize::<Change<K, V>, _>",
        deserialize_with = "read_changes"
    )]
    changes: BTreeMap<(NaiveDate, K), V>,
}

impl<K, V> Default for Timeline<K, V> {
    fn default() -> Self {
        Self {
            current: BTreeMap::new(),
            changes: BTreeMap::new(),
        }
    }
}

impl<K: Ord + Clone, V: Figure> Timeline<K, V> {
    /// Records that `key`'s figure is `value` from `date` on. Nothing is recorded when it
    /// did not change.
    pub fn set(&mut self, date: NaiveDate, key: K, value: V) {
        let old = self.current.get(&key).cloned().unwrap_or_default();
        if old == value {
            return;
        }
        let delta = value.minus(&old);
        if value.is_zero() {
            self.current.remove(&key);
        } else {
            self.current.insert(key.clone(), value);
        }
        net(&mut self.changes, date, key, &delta);
    }

    /// `key`'s figure now (zero when it has none).
    pub fn get(&self, key: &K) -> V {
        self.current.get(key).cloned().unwrap_or_default()
    }

    /// Every key with a non-zero figure now.
    pub fn now(&self) -> &BTreeMap<K, V> {
        &self.current
    }

    /// Every key with a non-zero figure as of the end of `date`.
    pub fn as_of(&self, date: NaiveDate) -> BTreeMap<K, V> {
        let mut figures: BTreeMap<K, V> = BTreeMap::new();
        for ((_, key), delta) in self.changes.iter().take_while(|((day, _), _)| *day <= date) {
            let entry = figures.entry(key.clone()).or_default();
            *entry = entry.plus(delta);
        }
        figures.retain(|_, v| !v.is_zero());
        figures
    }

    /// The figures now, or as of `date` when one is given.
    pub fn at(&self, date: Option<NaiveDate>) -> BTreeMap<K, V> {
        match date {
            Some(date) => self.as_of(date),
            None => self.current.clone(),
        }
    }

    /// The net change of each key on each business date on which its figure moved, in
    /// date order.
    pub fn changes(&self) -> impl Iterator<Item = (NaiveDate, &K, &V)> {
        self.changes
            .iter()
            .map(|((date, key), delta)| (*date, key, delta))
    }
}

/// Adds `delta` to `key`'s net change on `date`, dropping it when it comes back to zero.
fn net<K: Ord, V: Figure>(changes: &mut BTreeMap<(NaiveDate, K), V>, date: NaiveDate, key: K, delta: &V) {
    match changes.entry((date, key)) {
        Entry::Vacant(entry) => {
            if !delta.is_zero() {
                entry.insert(delta.clone());
            }
        }
        Entry::Occupied(mut entry) => {
            let sum = entry.get().plus(delta);
            if sum.is_zero() {
                entry.remove();
            } else {
                entry.insert(sum);
            }
        }
    }
}

impl<K: Ord + Clone, V: Figure> SumRow for Change<K, V> {
    type Key = (NaiveDate, K);
    type Sum = V;
    fn split(self) -> (Self::Key, V) {
        ((self.date, self.key), self.delta)
    }
    fn join((date, key): &Self::Key, delta: &V) -> Self {
        Self {
            date: *date,
            key: key.clone(),
            delta: delta.clone(),
        }
    }
    fn add(sum: &mut V, more: V) {
        *sum = sum.plus(&more);
    }
}

/// Reads stored changes netted per key and date, without those that come to zero.
fn read_changes<'de, K, V, D>(deserializer: D) -> Result<BTreeMap<(NaiveDate, K), V>, D::Error>
where
    K: Deserialize<'de> + Ord + Clone,
    V: Deserialize<'de> + Figure,
    D: serde::Deserializer<'de>,
{
    let mut changes = sum_rows::deserialize::<Change<K, V>, D>(deserializer)?;
    changes.retain(|_, delta| !delta.is_zero());
    Ok(changes)
}

/// A map stored as a list of pairs, since JSON object keys must be strings.
mod pairs {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<K: Serialize, V: Serialize, S: Serializer>(
        map: &BTreeMap<K, V>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(map.iter())
    }

    pub fn deserialize<'de, K: Deserialize<'de> + Ord, V: Deserialize<'de>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<BTreeMap<K, V>, D::Error> {
        Ok(Vec::<(K, V)>::deserialize(deserializer)?.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap_or_default()
    }

    #[test]
    fn as_of_sums_changes_up_to_the_date_even_out_of_order() {
        let mut t: Timeline<u32, Decimal> = Timeline::default();
        t.set(day(5), 1, Decimal::from(10));
        t.set(day(3), 1, Decimal::from(4)); // recorded later, dated earlier: -6 on day 3
        t.set(day(7), 2, Decimal::from(1));
        assert_eq!(t.get(&1), Decimal::from(4));
        assert_eq!(t.as_of(day(4)).get(&1), Some(&Decimal::from(-6)));
        assert_eq!(t.as_of(day(5)).get(&1), Some(&Decimal::from(4)));
        assert_eq!(t.as_of(day(6)).get(&2), None);
        assert_eq!(t.at(None), t.as_of(day(31)));
    }

    #[test]
    fn a_figure_back_to_zero_leaves_the_map() {
        let mut t: Timeline<u32, [Decimal; 2]> = Timeline::default();
        t.set(day(1), 1, [Decimal::ONE, Decimal::TWO]);
        t.set(day(2), 1, [Decimal::ZERO; 2]);
        assert!(t.now().is_empty());
        assert!(t.as_of(day(2)).is_empty());
        assert_eq!(t.changes().count(), 2);
        let json = serde_json::to_string(&t).unwrap_or_default();
        let back: Timeline<u32, [Decimal; 2]> = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back, t);
    }

    #[test]
    fn a_figure_that_rises_and_falls_back_on_one_day_leaves_no_change() {
        let mut t: Timeline<u32, Decimal> = Timeline::default();
        t.set(day(2), 1, Decimal::from(5));
        t.set(day(2), 2, Decimal::from(7));
        t.set(day(2), 1, Decimal::ZERO);
        t.set(day(3), 2, Decimal::from(3));
        let changes: Vec<_> = t.changes().map(|(d, k, v)| (d, *k, *v)).collect();
        assert_eq!(
            changes,
            [(day(2), 2, Decimal::from(7)), (day(3), 2, Decimal::from(-4))]
        );
        assert_eq!(t.as_of(day(2)).get(&2), Some(&Decimal::from(7)));
        assert_eq!(t.as_of(day(2)).get(&1), None);
    }

    #[test]
    fn a_stored_list_with_several_changes_of_a_key_on_one_date_is_netted() {
        let stored = r#"{"current":[[1,"2"]],"changes":[
            {"date":"2026-03-01","key":1,"delta":"5"},
            {"date":"2026-03-01","key":1,"delta":"-5"},
            {"date":"2026-03-02","key":1,"delta":"2"}]}"#;
        let t: Timeline<u32, Decimal> = serde_json::from_str(stored).unwrap_or_default();
        assert_eq!(t.changes().count(), 1);
        assert_eq!(t.as_of(day(1)).get(&1), None);
        assert_eq!(t.as_of(day(2)).get(&1), Some(&Decimal::from(2)));
    }

    proptest::proptest! {
        /// Netting per key and date changes no figure: as of every date, the timeline
        /// equals the plain sum of every difference it was given, and so does its stored
        /// form read back.
        #[test]
        fn netted_figures_equal_the_sum_of_every_difference(
            steps in proptest::collection::vec((1u32..6, 0u32..4, -3i64..4), 0..60)
        ) {
            let mut t: Timeline<u32, Decimal> = Timeline::default();
            let mut every: Vec<(NaiveDate, u32, Decimal)> = Vec::new();
            for (d, key, value) in steps {
                let value = Decimal::from(value);
                every.push((day(d), key, value - t.get(&key)));
                t.set(day(d), key, value);
            }
            let json = serde_json::to_string(&t).unwrap_or_default();
            let back: Timeline<u32, Decimal> = serde_json::from_str(&json).unwrap_or_default();
            proptest::prop_assert_eq!(&back, &t);
            for d in 1..7 {
                let mut expected: BTreeMap<u32, Decimal> = BTreeMap::new();
                for (_, key, delta) in every.iter().filter(|(date, _, _)| *date <= day(d)) {
                    *expected.entry(*key).or_default() += delta;
                }
                expected.retain(|_, v| !v.is_zero());
                proptest::prop_assert_eq!(t.as_of(day(d)), expected);
            }
            proptest::prop_assert!(t.changes().all(|(_, _, delta)| !delta.is_zero()));
        }
    }
}
