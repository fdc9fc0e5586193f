//! Barcodes: the GS1 codes printed on packaged goods (EAN-8, UPC-A, EAN-13, GTIN-14), and the
//! labels a shop's scale prints for weighed goods (EAN-13 starting with `2`, laid out by a mask).

use super::error::DomainError;

/// A product's barcode, check digit verified. The same code scanned as UPC-A (12 digits) or as
/// EAN-13 with a leading zero is the same GTIN: `key` is what uniqueness and lookups compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Barcode {
    /// The digits as printed under the bars.
    pub digits: String,
}

impl Barcode {
    pub fn parse(text: &str) -> Result<Barcode, DomainError> {
        let digits = text.trim();
        let invalid = || DomainError::InvalidBarcode { barcode: digits.chars().take(20).collect() };
        if !matches!(digits.len(), 8 | 12 | 13 | 14) || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        if !check_digit_matches(digits) {
            return Err(invalid());
        }
        Ok(Barcode { digits: digits.to_string() })
    }

    /// The GTIN-14 form: the digits left-padded with zeros.
    pub fn key(&self) -> String {
        key_of(&self.digits)
    }
}

/// The GTIN-14 form of a string of digits (what a scanned code is looked up by).
pub fn key_of(digits: &str) -> String {
    format!("{digits:0>14}")
}

/// The GS1 check digit of `payload` (all digits but the last): weights 3 and 1 alternate from
/// the rightmost payload digit.
pub fn check_digit(payload: &str) -> u8 {
    let sum: u32 =
        payload.bytes().rev().enumerate().map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 3 } else { 1 }).sum();
    ((10 - sum % 10) % 10) as u8
}

fn check_digit_matches(digits: &str) -> bool {
    let (payload, last) = digits.split_at(digits.len() - 1);
    last.as_bytes()[0] - b'0' == check_digit(payload)
}

/// Whether the value a scale label carries is the weight or the price.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelValue {
    /// Grams.
    Weight,
    /// Cents.
    Price,
}

impl LabelValue {
    pub const ALL: [LabelValue; 2] = [LabelValue::Weight, LabelValue::Price];

    pub fn as_str(self) -> &'static str {
        match self {
            LabelValue::Weight => "peso",
            LabelValue::Price => "preco",
        }
    }

    pub fn parse(text: &str) -> Option<LabelValue> {
        LabelValue::ALL.into_iter().find(|v| v.as_str() == text)
    }
}

/// The layout of the labels the shop's scale prints, as scales and POS systems write it: 13
/// characters, one per digit of the EAN-13 — a digit must be that digit (the `2` of an in-store
/// code), `C` is the product's code (the scale's PLU), `V` the value, `X` a digit ignored (some
/// scales print a check digit of the value there), and `D` the label's check digit, last.
/// `2CCCCCXVVVVVD` reads a five-digit code and a five-digit value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelMask(String);

pub const DEFAULT_LABEL_MASK: &str = "2CCCCCXVVVVVD";

impl LabelMask {
    pub fn parse(text: &str) -> Result<LabelMask, DomainError> {
        let mask = text.trim().to_ascii_uppercase();
        let bytes = mask.as_bytes();
        let valid = bytes.len() == 13
            && bytes[12] == b'D'
            && bytes[..12].iter().all(|b| b.is_ascii_digit() || matches!(b, b'C' | b'V' | b'X'))
            && bytes[0] == b'2'
            && bytes.contains(&b'C')
            && bytes.contains(&b'V');
        if valid { Ok(LabelMask(mask)) } else { Err(DomainError::InvalidLabelMask) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Reads a scanned code: None when it is not a label of this layout (another barcode), an
    /// error when it is one with a wrong check digit.
    pub fn read(&self, scanned: &str) -> Result<Option<ScaleLabel>, DomainError> {
        let code = scanned.trim();
        if code.len() != 13 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(None);
        }
        let fits = self.0.bytes().zip(code.bytes()).all(|(m, c)| !m.is_ascii_digit() || m == c);
        if !fits {
            return Ok(None);
        }
        if !check_digit_matches(code) {
            return Err(DomainError::InvalidLabel { label: code.to_string() });
        }
        let pick = |which: u8| -> String {
            self.0.bytes().zip(code.chars()).filter(|(m, _)| *m == which).map(|(_, c)| c).collect()
        };
        let plu = pick(b'C');
        let value = pick(b'V').parse::<i64>().map_err(|_| DomainError::InvalidLabel { label: code.to_string() })?;
        Ok(Some(ScaleLabel { plu: plu.trim_start_matches('0').to_string(), printed_plu: plu, value }))
    }
}

impl Default for LabelMask {
    fn default() -> LabelMask {
        LabelMask(DEFAULT_LABEL_MASK.to_string())
    }
}

/// What a scale label says: the product's code and a weight or a price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaleLabel {
    /// The code without leading zeros (`00123` → `123`).
    pub plu: String,
    /// The code as printed.
    pub printed_plu: String,
    /// Grams or cents, as the settings say.
    pub value: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_gs1_codes_of_every_length() {
        for code in ["96385074", "036000291452", "7891000100103", "4006381333931", "10012345678902", "00012345600012"] {
            assert!(Barcode::parse(code).is_ok(), "{code}");
        }
    }

    #[test]
    fn a_wrong_check_digit_or_length_or_character_is_refused() {
        for code in
            ["96385075", "036000291453", "7891000100104", "10012345678903", "1234567", "123456789", "78910001001O3", ""]
        {
            assert!(matches!(Barcode::parse(code), Err(DomainError::InvalidBarcode { .. })), "{code}");
        }
    }

    #[test]
    fn upc_a_and_its_ean_13_form_share_a_key() {
        let upc = Barcode::parse("036000291452").unwrap();
        let ean = Barcode::parse("0036000291452").unwrap();
        assert_eq!(upc.key(), ean.key());
        assert_eq!(upc.key(), "00036000291452");
        assert_ne!(upc.digits, ean.digits);
    }

    fn label(payload: &str) -> String {
        format!("{payload}{}", check_digit(payload))
    }

    #[test]
    fn a_label_gives_its_code_and_value_by_the_mask() {
        let mask = LabelMask::parse("2CCCCCXVVVVVD").unwrap();
        let read = mask.read(&label("200123001250")).unwrap().unwrap();
        assert_eq!(read, ScaleLabel { plu: "123".into(), printed_plu: "00123".into(), value: 1250 });
        let mask = LabelMask::parse("2cccc0vvvvvvd").unwrap();
        assert_eq!(mask.as_str(), "2CCCC0VVVVVVD");
        let read = mask.read(&label("201230012345")).unwrap().unwrap();
        assert_eq!((read.plu.as_str(), read.value), ("123", 12345));
    }

    #[test]
    fn other_codes_are_not_labels_and_a_bad_check_digit_is_an_error() {
        let mask = LabelMask::default();
        assert_eq!(mask.read("7891000100103").unwrap(), None);
        assert_eq!(mask.read("2001").unwrap(), None);
        let mut bad = label("200123001250");
        bad.replace_range(12.., if bad.ends_with('0') { "1" } else { "0" });
        assert!(matches!(mask.read(&bad), Err(DomainError::InvalidLabel { .. })));
    }

    #[test]
    fn masks_that_cannot_be_read_are_refused() {
        for mask in
            ["2CCCCCXVVVVV", "2CCCCCXVVVVVVD", "1CCCCCXVVVVVD", "2XXXXXXVVVVVD", "2CCCCCXXXXXXD", "2CCCCCYVVVVVD"]
        {
            assert_eq!(LabelMask::parse(mask), Err(DomainError::InvalidLabelMask), "{mask}");
        }
    }
}
