//! Money: currency codes, currency precision, amounts that carry their currency, and the
//! company's rounding rule.
//!
//! Amounts are exact decimals. An amount is *valid* for a currency when it has no more
//! decimals than the currency's precision (trailing zeros do not count: `10.50` fits a
//! 2-decimal currency, `10.505` does not). Computed amounts (a line total, a tax) are
//! rounded to the currency's precision with the company's [`RoundingRule`].

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::DomainError;

/// A three-letter upper-case currency code such as `USD`, `EUR` or `JPY`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CurrencyCode([u8; 3]);

impl CurrencyCode {
    /// Parses a code; anything but exactly three ASCII upper-case letters is refused.
    pub fn new(code: &str) -> Result<Self, DomainError> {
        match code.as_bytes() {
            [a, b, c] if [a, b, c].iter().all(|x| x.is_ascii_uppercase()) => Ok(Self([*a, *b, *c])),
            _ => Err(DomainError::InvalidCurrencyCode {
                code: code.to_string(),
            }),
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        // The three bytes are ASCII upper-case letters by construction.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl fmt::Display for CurrencyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CurrencyCode {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl Serialize for CurrencyCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CurrencyCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Self::new(&text).map_err(serde::de::Error::custom)
    }
}

/// Highest number of decimals a currency may declare.
pub const MAX_CURRENCY_DECIMALS: u32 = 6;

/// A currency the company works with, and its precision (decimals of its minor unit:
/// 2 for USD and EUR, 0 for JPY, 3 for KWD).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Currency {
    /// The currency code.
    pub code: CurrencyCode,
    /// Decimals of the smallest unit; every amount in this currency fits this precision.
    pub decimals: u32,
}

/// How a computed amount is brought to a currency's precision. One rule per company.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoundingRule {
    /// Half away from zero (0.125 -> 0.13, -0.125 -> -0.13): what most ERPs do; the default.
    #[default]
    HalfAwayFromZero,
    /// Half to even, banker's rounding (0.125 -> 0.12, 0.135 -> 0.14).
    HalfEven,
}

impl RoundingRule {
    /// Rounds `value` to `decimals` places under this rule.
    pub fn round(self, value: Decimal, decimals: u32) -> Decimal {
        let strategy = match self {
            Self::HalfAwayFromZero => RoundingStrategy::MidpointAwayFromZero,
            Self::HalfEven => RoundingStrategy::MidpointNearestEven,
        };
        value.round_dp_with_strategy(decimals, strategy)
    }
}

/// True when `value` needs no more than `decimals` places (trailing zeros ignored).
pub fn fits_precision(value: Decimal, decimals: u32) -> bool {
    value.normalize().scale() <= decimals
}

/// An amount in a currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    /// The exact amount.
    pub amount: Decimal,
    /// Its currency.
    pub currency: CurrencyCode,
}

impl Money {
    /// An amount in a currency.
    pub fn new(amount: Decimal, currency: CurrencyCode) -> Self {
        Self { amount, currency }
    }

    /// Zero in a currency.
    pub fn zero(currency: CurrencyCode) -> Self {
        Self::new(Decimal::ZERO, currency)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn currency_codes_are_three_upper_case_letters() {
        assert_eq!(CurrencyCode::new("USD").unwrap().as_str(), "USD");
        for bad in ["usd", "US", "USDX", "U$D", ""] {
            assert!(matches!(
                CurrencyCode::new(bad),
                Err(DomainError::InvalidCurrencyCode { .. })
            ));
        }
    }

    #[test]
    fn rounding_rules_differ_only_on_midpoints() {
        let away = RoundingRule::HalfAwayFromZero;
        let even = RoundingRule::HalfEven;
        assert_eq!(away.round(d("0.125"), 2), d("0.13"));
        assert_eq!(even.round(d("0.125"), 2), d("0.12"));
        assert_eq!(away.round(d("-0.125"), 2), d("-0.13"));
        assert_eq!(even.round(d("0.135"), 2), d("0.14"));
        assert_eq!(away.round(d("0.124"), 2), even.round(d("0.124"), 2));
        assert_eq!(away.round(d("1234.5"), 0), d("1235"));
        assert_eq!(even.round(d("1234.5"), 0), d("1234"));
    }

    #[test]
    fn precision_ignores_trailing_zeros() {
        assert!(fits_precision(d("10.50"), 2));
        assert!(fits_precision(d("10.500"), 2));
        assert!(!fits_precision(d("10.505"), 2));
        assert!(fits_precision(d("1200"), 0));
        assert!(!fits_precision(d("0.5"), 0));
    }

    #[test]
    fn money_serializes_amount_as_exact_text() {
        let m = Money::new(d("10.50"), CurrencyCode::new("EUR").unwrap());
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(json, r#"{"amount":"10.50","currency":"EUR"}"#);
        let back: Money = serde_json::from_str(&json).unwrap();
        assert_eq!(back, m);
        assert!(serde_json::from_str::<Money>(r#"{"amount":10.5,"currency":"EUR"}"#).is_err());
    }
}
