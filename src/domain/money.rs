use std::fmt;
use std::iter::Sum;
use std::ops::{Add, Mul, Sub};

use super::number::{NumberError, parse_scaled};

/// An amount of money in integer cents. [`Money::as_f64`] is what JSON clients get: a number
/// with at most two decimals (`12.5`, `0.3`), since cents / 100 is correctly rounded and the
/// shortest representation of that double is exactly the decimal amount.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i64);

impl Money {
    pub const ZERO: Money = Money(0);
    /// The largest price a product may have: R$ 10.000.000,00.
    pub const MAX_PRICE: Money = Money(1_000_000_000);

    pub const fn from_cents(cents: i64) -> Money {
        Money(cents)
    }

    pub const fn cents(self) -> i64 {
        self.0
    }

    /// A price: greater than zero, at most two decimals, at most [`Money::MAX_PRICE`].
    pub fn parse_price(text: &str) -> Result<Money, NumberError> {
        parse_scaled(text, 2, 1, Self::MAX_PRICE.0).map(Money)
    }

    /// `total / count`, rounded half up to the cent; zero when there is nothing to divide.
    pub fn average(self, count: i64) -> Money {
        if count <= 0 {
            return Money::ZERO;
        }
        let (total, count) = (i128::from(self.0), i128::from(count));
        Money(((2 * total + count) / (2 * count)) as i64)
    }

    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }
}

/// Money for people: `R$ 1.234,56`.
pub fn brl(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    let units = (cents / 100).to_string();
    let mut grouped = String::with_capacity(units.len() + units.len() / 3);
    for (i, digit) in units.chars().enumerate() {
        if i > 0 && (units.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    format!("{sign}R$ {grouped},{:02}", cents % 100)
}

impl From<i64> for Money {
    fn from(cents: i64) -> Money {
        Money(cents)
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, other: Money) -> Money {
        Money(self.0 + other.0)
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, other: Money) -> Money {
        Money(self.0 - other.0)
    }
}

impl Mul<i64> for Money {
    type Output = Money;
    fn mul(self, quantity: i64) -> Money {
        Money(self.0 * quantity)
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

/// `1234.50` — a plain decimal, for logs and CSV building.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn json(cents: i64) -> String {
        serde_json::to_string(&Money::from_cents(cents).as_f64()).unwrap()
    }

    #[test]
    fn as_a_json_number_it_has_at_most_two_decimals() {
        assert_eq!(json(1250), "12.5");
        assert_eq!(json(30), "0.3");
        assert_eq!(json(27357), "273.57");
        assert_eq!(json(0), "0.0");
        assert_eq!(json(3498), "34.98");
    }

    #[test]
    fn prices_must_be_positive_and_bounded() {
        assert_eq!(Money::parse_price("0.01"), Ok(Money(1)));
        assert_eq!(Money::parse_price("0"), Err(NumberError::OutOfRange));
        assert_eq!(Money::parse_price("-1"), Err(NumberError::OutOfRange));
        assert_eq!(Money::parse_price("10000000.01"), Err(NumberError::OutOfRange));
        assert_eq!(Money::parse_price("10000000"), Ok(Money::MAX_PRICE));
    }

    #[test]
    fn average_rounds_half_up_to_the_cent() {
        assert_eq!(Money(1000).average(3), Money(333));
        assert_eq!(Money(1001).average(2), Money(501));
        assert_eq!(Money(5).average(0), Money::ZERO);
    }

    #[test]
    fn money_is_written_the_brazilian_way() {
        assert_eq!(brl(0), "R$ 0,00");
        assert_eq!(brl(5), "R$ 0,05");
        assert_eq!(brl(27357), "R$ 273,57");
        assert_eq!(brl(123_456_789), "R$ 1.234.567,89");
        assert_eq!(brl(-100_000), "-R$ 1.000,00");
    }

    #[test]
    fn display_is_a_plain_decimal() {
        assert_eq!(Money(123450).to_string(), "1234.50");
        assert_eq!(Money(-5).to_string(), "-0.05");
    }

    proptest! {
        #[test]
        // Up to R$ 100 bilhões the doubles are dense enough for every cent to print exactly.
        fn json_text_parses_back_to_the_same_cents(cents in 0i64..=10_000_000_000_000) {
            let text = json(cents);
            prop_assert_eq!(parse_scaled(&text, 2, 0, i64::MAX), Ok(cents));
        }
    }
}
