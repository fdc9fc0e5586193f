//! Exact parsing of decimal numbers as clients send them: JSON number literals (`12.5`, `1e2`)
//! or numeric strings (`"12.50"`). Nothing passes through binary floating point.

/// Why a text is not an acceptable number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberError {
    /// Not a decimal number at all (`"abc"`, `true`, `[]`, `"1,5"`).
    NotANumber,
    /// Has more fractional digits than allowed (`12.345` as money, `1.5` as a quantity).
    TooPrecise,
    /// Outside the allowed range (negative, zero where not allowed, `1e300`, `2^63`).
    OutOfRange,
}

/// Parses `text` as a decimal and returns it multiplied by `10^scale`, exactly, if the result
/// is a whole number that lies in `min..=max`.
///
/// Grammar: optional sign, digits with an optional fraction (`.5` and `5.` are accepted as
/// strings often carry them), optional exponent (`e`/`E`, optional sign, digits).
pub fn parse_scaled(text: &str, scale: u32, min: i64, max: i64) -> Result<i64, NumberError> {
    let (negative, digits, exponent) = split_decimal(text).ok_or(NumberError::NotANumber)?;
    // value = digits * 10^exponent; scaled = digits * 10^(exponent + scale)
    let digits = digits.trim_start_matches('0');
    let trimmed = digits.trim_end_matches('0');
    let shift = exponent.saturating_add(i64::from(scale)).saturating_add((digits.len() - trimmed.len()) as i64);
    if trimmed.is_empty() {
        return check_range(0, min, max);
    }
    if shift < 0 {
        return Err(NumberError::TooPrecise);
    }
    // i64 holds at most 19 digits: anything longer is out of range for every use here.
    if trimmed.len() as i64 + shift > 19 {
        return Err(NumberError::OutOfRange);
    }
    let mut value: i128 = trimmed.parse().map_err(|_| NumberError::OutOfRange)?;
    for _ in 0..shift {
        value *= 10;
    }
    if negative {
        value = -value;
    }
    let value = i64::try_from(value).map_err(|_| NumberError::OutOfRange)?;
    check_range(value, min, max)
}

fn check_range(value: i64, min: i64, max: i64) -> Result<i64, NumberError> {
    if (min..=max).contains(&value) { Ok(value) } else { Err(NumberError::OutOfRange) }
}

/// Splits a decimal literal into (negative, all significant digits, decimal exponent), so that
/// value = digits * 10^exponent. Returns None when the text is not a decimal literal.
fn split_decimal(text: &str) -> Option<(bool, String, i64)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    let negative = match bytes.first() {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let int_start = i;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        i += 1;
    }
    let int_part = &text[int_start..i];
    let mut frac_part = "";
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        let frac_start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        frac_part = &text[frac_start..i];
    }
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    let mut exponent: i64 = 0;
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        i += 1;
        let exp_negative = match bytes.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let exp_start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let exp_digits = &text[exp_start..i];
        if exp_digits.is_empty() {
            return None;
        }
        // Exponents beyond any representable value saturate; the range check rejects them.
        exponent = exp_digits.parse::<i64>().unwrap_or(i64::MAX / 4).min(i64::MAX / 4);
        if exp_negative {
            exponent = -exponent;
        }
    }
    if i != bytes.len() {
        return None;
    }
    let digits = format!("{int_part}{frac_part}");
    Some((negative, digits, exponent - frac_part.len() as i64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cents(text: &str) -> Result<i64, NumberError> {
        parse_scaled(text, 2, 0, i64::MAX)
    }

    #[test]
    fn decimal_literals_scale_exactly() {
        assert_eq!(cents("12.5"), Ok(1250));
        assert_eq!(cents("12.50"), Ok(1250));
        assert_eq!(cents("0.10"), Ok(10));
        assert_eq!(cents("0.1"), Ok(10));
        assert_eq!(cents(".5"), Ok(50));
        assert_eq!(cents("5."), Ok(500));
        assert_eq!(cents("1e2"), Ok(10000));
        assert_eq!(cents("1.5E-1"), Ok(15));
        assert_eq!(cents("0"), Ok(0));
        assert_eq!(cents("000.000"), Ok(0));
        assert_eq!(cents("12.3400000"), Ok(1234));
        assert_eq!(cents("1234e-2"), Ok(1234));
    }

    #[test]
    fn more_decimals_than_the_scale_are_refused_not_rounded() {
        assert_eq!(cents("12.345"), Err(NumberError::TooPrecise));
        assert_eq!(cents("0.001"), Err(NumberError::TooPrecise));
        assert_eq!(cents("1e-3"), Err(NumberError::TooPrecise));
        assert_eq!(cents("12.3400000000000001"), Err(NumberError::TooPrecise));
        assert_eq!(parse_scaled("1.5", 0, 0, 100), Err(NumberError::TooPrecise));
        assert_eq!(parse_scaled("3.0", 0, 0, 100), Ok(3));
    }

    #[test]
    fn huge_and_negative_values_are_out_of_range() {
        assert_eq!(cents("1e300"), Err(NumberError::OutOfRange));
        assert_eq!(cents("9223372036854775808"), Err(NumberError::OutOfRange));
        assert_eq!(parse_scaled("9223372036854775807", 0, 0, i64::MAX), Ok(i64::MAX));
        assert_eq!(cents("-1"), Err(NumberError::OutOfRange));
        assert_eq!(cents("1e99999999999999999999"), Err(NumberError::OutOfRange));
        assert_eq!(cents("1e-99999999999999999999"), Err(NumberError::TooPrecise));
        assert_eq!(parse_scaled("-5", 0, -10, 10), Ok(-5));
    }

    #[test]
    fn non_numbers_are_refused() {
        for text in ["", "-", "+", ".", "abc", "1,5", "1.2.3", "1e", "e5", " 1", "1 ", "0x10", "NaN", "inf", "1_000"] {
            assert_eq!(cents(text), Err(NumberError::NotANumber), "{text:?}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(text in "\\PC{0,40}") {
            let _ = parse_scaled(&text, 2, i64::MIN, i64::MAX);
        }

        #[test]
        fn numberish_text_never_panics(text in "[-+]?[0-9]{0,30}(\\.[0-9]{0,30})?([eE][-+]?[0-9]{0,25})?") {
            let _ = parse_scaled(&text, 2, i64::MIN, i64::MAX);
        }

        #[test]
        fn formatted_cents_round_trip(value in 0i64..=i64::MAX / 100) {
            let text = format!("{}.{:02}", value / 100, value % 100);
            prop_assert_eq!(cents(&text), Ok(value));
        }

        #[test]
        fn exponent_form_matches_plain_form(mantissa in 0i64..1_000_000, exp in -2i64..8) {
            let plain = parse_scaled(&format!("{mantissa}e{exp}"), 2, 0, i64::MAX);
            let expected = i128::from(mantissa) * 10i128.pow((exp + 2) as u32);
            prop_assert_eq!(plain.map(i128::from), Ok(expected).and_then(|v| if v <= i128::from(i64::MAX) { Ok(v) } else { Err(NumberError::OutOfRange) }));
        }
    }
}
