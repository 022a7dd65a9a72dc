//! Comparing a query's expected value (partial JSON) with the actual one.
//!
//! Rules: an expected object compares only the keys it lists (a listed key missing from the
//! actual object is a difference, unless `null` is expected: `null` also stands for "absent");
//! an expected array compares its length and each element;
//! two strings that both read as decimals compare numerically (`"5"` equals `"5.00"`); a
//! whole JSON number compares numerically with a decimal string (`5` equals `"5.00"`);
//! anything else compares exactly. Each difference names the path of the value, e.g.
//! `lines[0].delivered`.

use std::fmt;
use std::str::FromStr;

use o2c_core::rust_decimal::Decimal;
use serde_json::Value;

/// One value that differs from what the scenario expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// Where the value is: `lines[0].delivered`, `outcome`, or `$` for the whole value.
    pub path: String,
    /// What the scenario expected.
    pub expected: String,
    /// What the engine gave.
    pub actual: String,
}

impl Difference {
    /// A difference at `path`.
    pub fn new(path: impl Into<String>, expected: impl Into<String>, actual: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            expected: expected.into(),
            actual: actual.into(),
        }
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: expected {}, actual {}",
            self.path, self.expected, self.actual
        )
    }
}

/// A JSON value as a report shows it: strings without quotes, anything else as compact
/// JSON.
pub(crate) fn show(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Every difference between `expected` (partial) and `actual`.
pub(crate) fn compare(expected: &Value, actual: &Value) -> Vec<Difference> {
    let mut out = Vec::new();
    walk("", expected, actual, &mut out);
    out
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn shown_path(path: &str) -> String {
    if path.is_empty() {
        "$".to_string()
    } else {
        path.to_string()
    }
}

fn walk(path: &str, expected: &Value, actual: &Value, out: &mut Vec<Difference>) {
    match (expected, actual) {
        (Value::Object(want), Value::Object(have)) => {
            for (key, want_value) in want {
                let key_path = child(path, key);
                match have.get(key) {
                    Some(have_value) => walk(&key_path, want_value, have_value, out),
                    None if want_value.is_null() => {}
                    None => out.push(Difference::new(key_path, show(want_value), "(missing)")),
                }
            }
        }
        (Value::Array(want), Value::Array(have)) => {
            if want.len() != have.len() {
                out.push(Difference::new(
                    format!("{}.length", shown_path(path)),
                    want.len().to_string(),
                    have.len().to_string(),
                ));
            }
            for (index, (want_value, have_value)) in want.iter().zip(have).enumerate() {
                walk(&format!("{path}[{index}]"), want_value, have_value, out);
            }
        }
        _ if scalars_equal(expected, actual) => {}
        _ => out.push(Difference::new(shown_path(path), show(expected), show(actual))),
    }
}

/// A decimal read from a JSON string or a whole JSON number (never from a float).
fn decimal(value: &Value) -> Option<Decimal> {
    match value {
        Value::String(text) => Decimal::from_str(text).ok(),
        Value::Number(number) => number
            .as_i64()
            .map(Decimal::from)
            .or_else(|| number.as_u64().map(Decimal::from)),
        Value::Null | Value::Bool(_) | Value::Array(_) | Value::Object(_) => None,
    }
}

fn scalars_equal(expected: &Value, actual: &Value) -> bool {
    if expected == actual {
        return true;
    }
    let numeric = matches!(expected, Value::String(_) | Value::Number(_))
        && matches!(actual, Value::String(_) | Value::Number(_));
    numeric && matches!((decimal(expected), decimal(actual)), (Some(a), Some(b)) if a == b)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn objects_compare_only_listed_keys_and_decimals_numerically() {
        let actual = json!({"status": "Confirmed", "total": "12.50", "lines": [{"delivered": "5.000"}]});
        assert!(compare(&json!({"total": "12.5"}), &actual).is_empty());
        assert!(compare(&json!({"lines": [{"delivered": 5}]}), &actual).is_empty());
        assert!(compare(&json!({"lines": [{}]}), &actual).is_empty());
    }

    #[test]
    fn differences_name_their_path() {
        let actual = json!({"lines": [{"delivered": "3"}], "status": "Confirmed"});
        let diffs = compare(
            &json!({"lines": [{"delivered": "5"}], "status": "Closed", "missing": 1}),
            &actual,
        );
        let shown: Vec<String> = diffs.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "lines[0].delivered: expected 5, actual 3",
                "missing: expected 1, actual (missing)",
                "status: expected Closed, actual Confirmed",
            ]
        );
    }

    #[test]
    fn arrays_compare_length_and_elements() {
        let diffs = compare(&json!([1, 2]), &json!([1, 3, 4]));
        let shown: Vec<String> = diffs.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            ["$.length: expected 2, actual 3", "[1]: expected 2, actual 3"]
        );
    }

    #[test]
    fn text_that_is_not_a_number_compares_exactly() {
        assert_eq!(compare(&json!("2026-03-02"), &json!("2026-03-02")), vec![]);
        assert_eq!(compare(&json!("abc"), &json!("ABC")).len(), 1);
        assert_eq!(compare(&json!(null), &json!("0")).len(), 1);
        // null stands for an absent key too.
        assert!(compare(&json!({"USD": null}), &json!({"EUR": "1"})).is_empty());
        assert_eq!(compare(&json!({"USD": null}), &json!({"USD": "1"})).len(), 1);
        assert_eq!(compare(&json!(true), &json!("true")).len(), 1);
    }
}
