//! Figures that change over business time, kept as dated changes so that they can be read
//! as of any date.
//!
//! A projection calls [`Timeline::set`] with the new value of a key's figure whenever an
//! event may have changed it; the timeline records the difference from the value it held,
//! dated with the event's business date. [`Timeline::as_of`] sums the changes dated on or
//! before a date, [`Timeline::now`] is every change. While business dates follow log
//! order (as they do when commands are issued as things happen), the sum as of a date is
//! exactly the figure that stood at the end of that day; a back-dated event moves its
//! change to its own date.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

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

/// One dated change of one key's figure.
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
    serialize = "K: Serialize + Ord, V: Serialize",
    deserialize = "K: Deserialize<'de> + Ord, V: Deserialize<'de>"
))]
pub struct Timeline<K, V> {
    #[serde(with = "pairs")]
    current: BTreeMap<K, V>,
    changes: Vec<Change<K, V>>,
}

impl<K, V> Default for Timeline<K, V> {
    fn default() -> Self {
        Self {
            current: BTreeMap::new(),
            changes: Vec::new(),
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
        self.changes.push(Change { date, key, delta });
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
        for change in self.changes.iter().filter(|c| c.date <= date) {
            let entry = figures.entry(change.key.clone()).or_default();
            *entry = entry.plus(&change.delta);
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

    /// The recorded changes, in log order.
    pub fn changes(&self) -> &[Change<K, V>] {
        &self.changes
    }
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
        assert_eq!(t.changes().len(), 2);
        let json = serde_json::to_string(&t).unwrap_or_default();
        let back: Timeline<u32, [Decimal; 2]> = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back, t);
    }
}
