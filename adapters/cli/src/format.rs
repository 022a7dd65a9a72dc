//! How figures read on a terminal: grouped thousands, amounts padded to their currency's
//! decimals, quantities without trailing zeros. Exact: nothing here rounds.

use o2c::Money;
use o2c::rust_decimal::Decimal;

/// `1234567.5` → `1,234,567.5`: the integer part grouped by thousands, the rest as is.
pub fn grouped(value: Decimal) -> String {
    let text = value.to_string();
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (digits, None),
    };
    let mut out = String::with_capacity(text.len() + whole.len() / 3);
    out.push_str(sign);
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if let Some(fraction) = fraction {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// An amount shown with at least `decimals` decimals (padded with zeros, never rounded;
/// an exact figure with more decimals keeps its significant ones), thousands grouped:
/// `1200` with 2 decimals → `1,200.00`, `4.71960` → `4.7196`.
pub fn amount(value: Decimal, decimals: u32) -> String {
    let mut padded = value.normalize();
    if padded.scale() < decimals {
        padded.rescale(decimals);
    }
    grouped(padded)
}

/// An amount with its currency: `1,200.00 USD`.
pub fn money(value: &Money, decimals: u32) -> String {
    format!("{} {}", amount(value.amount, decimals), value.currency)
}

/// A quantity without trailing zeros: `25.50` → `25.5`, `10.000` → `10`.
pub fn quantity(value: Decimal) -> String {
    grouped(value.normalize())
}

/// A percentage without trailing zeros: `12.50` → `12.5%`.
pub fn percent(value: Decimal) -> String {
    format!("{}%", value.normalize())
}

/// A whole count, thousands grouped.
pub fn count(value: u64) -> String {
    grouped(Decimal::from(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap_or_default()
    }

    #[test]
    fn thousands_are_grouped_and_decimals_padded() {
        assert_eq!(grouped(d("1234567.5")), "1,234,567.5");
        assert_eq!(grouped(d("-1234")), "-1,234");
        assert_eq!(grouped(d("999")), "999");
        assert_eq!(amount(d("1200"), 2), "1,200.00");
        assert_eq!(amount(d("0.125"), 2), "0.125");
        assert_eq!(amount(d("4.71960"), 2), "4.7196");
        assert_eq!(amount(d("0.000"), 2), "0.00");
        assert_eq!(quantity(d("25.50")), "25.5");
        assert_eq!(count(1_000_000), "1,000,000");
        assert_eq!(percent(d("12.50")), "12.5%");
    }
}
