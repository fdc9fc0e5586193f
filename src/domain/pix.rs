//! PIX: the shop's key and the Banco Central's static "BR Code", the EMV merchant-presented
//! QR code that a customer scans with a bank's app to pay the shop, optionally with the amount
//! and an identifier of the sale already filled in.
//!
//! ```text
//! let key = PixKey::parse("+55 (11) 91234-5678")?;
//! let text = pix::payload(&key, "Mercadinho São José", "São Paulo", Some(total), Some("VENDA123"))?;
//! let svg = pix::qr_svg(&text);
//! ```

use std::fmt::Write;

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::documents::{self, DocumentError};
use super::money::Money;

/// The longest e-mail a PIX key may be.
pub const MAX_EMAIL: usize = 77;
/// The longest merchant name in a BR Code; longer names are cut.
pub const MAX_MERCHANT_NAME: usize = 25;
/// The longest merchant city in a BR Code; longer names are cut.
pub const MAX_MERCHANT_CITY: usize = 15;
/// The longest transaction identifier (txid) in a static BR Code.
pub const MAX_TXID: usize = 25;

/// The identifier of the PIX arrangement inside field 26.
const GUI: &str = "br.gov.bcb.pix";
/// Each field's value is at most 99 characters: its length is written in two digits.
const MAX_FIELD: usize = 99;
/// The amount field holds at most 13 characters (`9999999999.99`).
const MAX_AMOUNT: usize = 13;

/// Why a PIX key or a BR Code is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PixError {
    #[error("Chave PIX não informada")]
    EmptyKey,
    /// Neither an e-mail, a phone, a random key, a CPF nor a CNPJ.
    #[error("Chave PIX não reconhecida: use CPF, CNPJ, e-mail, telefone com +55 ou chave aleatória")]
    UnknownKey,
    /// A CPF or CNPJ key that is not a valid document.
    #[error(transparent)]
    Document(#[from] DocumentError),
    /// 11 digits without `+55` or `(DDD)` are read as a CPF, and these are not a valid one.
    #[error("CPF inválido: dígito verificador não confere (para telefone, use +55 ou o DDD entre parênteses)")]
    CpfOrPhone,
    #[error("E-mail inválido")]
    Email,
    #[error("E-mail deve ter no máximo 77 caracteres")]
    EmailTooLong,
    #[error("Telefone inválido: informe o DDD e o número, como +55 (11) 91234-5678")]
    Phone,
    #[error("Telefone deve ser do Brasil (+55)")]
    ForeignPhone,
    #[error("Chave aleatória inválida: deve ser como 123e4567-e89b-12d3-a456-426614174000")]
    RandomKey,
    #[error("Nome do recebedor não informado")]
    MerchantName,
    #[error("Cidade do recebedor não informada")]
    MerchantCity,
    #[error("Valor do PIX deve ser maior que zero")]
    AmountNotPositive,
    #[error("Valor do PIX acima do limite")]
    AmountTooLarge,
    #[error("Identificador da transação (txid) deve ter de 1 a 25 letras ou dígitos, sem acentos nem espaços")]
    Txid,
}

/// What a PIX key is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyKind {
    Cpf,
    Cnpj,
    Email,
    Phone,
    /// The "chave aleatória" (EVP) a bank hands out: a UUID.
    Random,
}

impl KeyKind {
    /// The kind as people call it.
    pub fn label(self) -> &'static str {
        match self {
            KeyKind::Cpf => "CPF",
            KeyKind::Cnpj => "CNPJ",
            KeyKind::Email => "E-mail",
            KeyKind::Phone => "Telefone",
            KeyKind::Random => "Chave aleatória",
        }
    }
}

/// A valid PIX key, normalised as the DICT stores it: a CPF as 11 digits, a CNPJ as 14
/// upper-case characters, an e-mail in lower case, a phone as `+55` with the DDD and the number
/// (`+5511912345678`), a random key as a lower-case UUID.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PixKey {
    kind: KeyKind,
    value: String,
}

impl PixKey {
    /// A key of a kind found from how it is written, in this order:
    ///
    /// 1. with an `@`: an e-mail;
    /// 2. starting with `+` or `(`: a phone (`+55 11 91234-5678`, `(11) 91234-5678`);
    /// 3. 36 characters: a random key;
    /// 4. 11 digits once `.`, `-` and spaces are left out: a CPF. A phone written as bare
    ///    digits (`11912345678`) is therefore read as a CPF, and refused when its check digits do
    ///    not add up, with a message that says how to write a phone;
    /// 5. 14 characters once `.`, `/`, `-` and spaces are left out: a CNPJ, numeric or
    ///    alphanumeric.
    ///
    /// Where the kind is known (the user picked it), [`PixKey::parse_as`] reads bare digits
    /// as a phone too.
    pub fn parse(text: &str) -> Result<PixKey, PixError> {
        let text = text.trim();
        let compact: String = text.chars().filter(|c| !c.is_whitespace() && !matches!(c, '.' | '-' | '/')).collect();
        let kind = if text.is_empty() {
            return Err(PixError::EmptyKey);
        } else if text.contains('@') {
            KeyKind::Email
        } else if text.starts_with('+') || text.starts_with('(') {
            KeyKind::Phone
        } else if text.chars().count() == 36 {
            KeyKind::Random
        } else if compact.len() == 11 && compact.bytes().all(|b| b.is_ascii_digit()) {
            KeyKind::Cpf
        } else if compact.chars().count() == 14 {
            KeyKind::Cnpj
        } else {
            return Err(PixError::UnknownKey);
        };
        PixKey::parse_as(kind, text).map_err(|error| match error {
            PixError::Document(DocumentError::CpfCheckDigits) => PixError::CpfOrPhone,
            other => other,
        })
    }

    /// A key of the given kind. A phone may be written without `+55` here
    /// (`11 91234-5678`): the kind says it is no CPF.
    pub fn parse_as(kind: KeyKind, text: &str) -> Result<PixKey, PixError> {
        let text = text.trim();
        let value = match kind {
            KeyKind::Cpf => documents::cpf(text)?,
            KeyKind::Cnpj => documents::cnpj(text)?,
            KeyKind::Email => email(text)?,
            KeyKind::Phone => phone(text)?,
            KeyKind::Random => random(text)?,
        };
        Ok(PixKey { kind, value })
    }

    /// The key as it goes into the BR Code.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    pub fn kind(&self) -> KeyKind {
        self.kind
    }
}

/// A simple, sane e-mail: one `@`, a local part of the characters e-mail allows without quoting,
/// a domain of at least two labels of letters, digits and inner hyphens; lower-cased.
fn email(text: &str) -> Result<String, PixError> {
    let email = text.to_ascii_lowercase();
    if email.chars().count() > MAX_EMAIL {
        return Err(PixError::EmailTooLong);
    }
    let (local, domain) = email.split_once('@').ok_or(PixError::Email)?;
    let local_ok = !local.is_empty()
        && local.split('.').all(|part| !part.is_empty())
        && local.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || "!#$%&'*+/=?^_`{|}~-".contains(c));
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    let domain_ok = domain.contains('.') && domain.split('.').all(label_ok);
    if local_ok && domain_ok { Ok(email) } else { Err(PixError::Email) }
}

/// `+55`, the DDD (two digits, neither 0) and the number: 8 digits, or 9 starting with 9 (a
/// mobile). Spaces, `-`, `.` and parentheses are left out; without a `+` the digits are the DDD
/// and the number.
fn phone(text: &str) -> Result<String, PixError> {
    let (international, rest) = match text.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let digits: String = rest.chars().filter(|c| !c.is_whitespace() && !matches!(c, '-' | '.' | '(' | ')')).collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PixError::Phone);
    }
    let national =
        if international { digits.strip_prefix("55").ok_or(PixError::ForeignPhone)? } else { digits.as_str() };
    let bytes = national.as_bytes();
    let ddd_ok = bytes.len() >= 2 && bytes[..2].iter().all(|&b| b != b'0');
    let number_ok = match bytes.len() {
        10 => true,
        11 => bytes[2] == b'9',
        _ => false,
    };
    if ddd_ok && number_ok { Ok(format!("+55{national}")) } else { Err(PixError::Phone) }
}

/// A UUID as `8-4-4-4-12` hexadecimal digits, lower-cased. The version is not checked: the
/// Banco Central's own example (`123e4567-e12b-12d1-...`) is of no version.
fn random(text: &str) -> Result<String, PixError> {
    let key = text.to_ascii_lowercase();
    let shape_ok = key.len() == 36
        && key.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        });
    if shape_ok { Ok(key) } else { Err(PixError::RandomKey) }
}

/// The static BR Code that pays `key`: the text a QR code carries (see [`qr_svg`]).
///
/// The name and city lose their accents (`São Paulo` → `Sao Paulo`) and are cut to 25 and 15
/// characters. Without an amount the payer types it; without a txid the code carries `***`.
/// The amount must be positive; a txid is 1 to 25 ASCII letters or digits.
pub fn payload(
    key: &PixKey,
    merchant_name: &str,
    merchant_city: &str,
    amount: Option<Money>,
    txid: Option<&str>,
) -> Result<String, PixError> {
    let name = ascii_cut(merchant_name, MAX_MERCHANT_NAME).ok_or(PixError::MerchantName)?;
    let city = ascii_cut(merchant_city, MAX_MERCHANT_CITY).ok_or(PixError::MerchantCity)?;
    let amount = amount.map(amount_field).transpose()?;
    let txid = match txid {
        None => "***",
        Some(txid) if (1..=MAX_TXID).contains(&txid.len()) && txid.bytes().all(|b| b.is_ascii_alphanumeric()) => txid,
        Some(_) => return Err(PixError::Txid),
    };

    let mut account = String::new();
    field(&mut account, "00", GUI);
    field(&mut account, "01", key.as_str());
    let mut additional = String::new();
    field(&mut additional, "05", txid);

    let mut code = String::new();
    field(&mut code, "00", "01");
    field(&mut code, "26", &account);
    field(&mut code, "52", "0000");
    field(&mut code, "53", "986");
    if let Some(amount) = &amount {
        field(&mut code, "54", amount);
    }
    field(&mut code, "58", "BR");
    field(&mut code, "59", &name);
    field(&mut code, "60", &city);
    field(&mut code, "62", &additional);
    code.push_str("6304");
    let crc = crc16(code.as_bytes());
    write!(code, "{crc:04X}").unwrap();
    Ok(code)
}

/// The QR code of a BR Code as an SVG document: medium error correction, the 4-module quiet
/// zone, black modules of 8 by 8 units on white.
///
/// Panics if `payload` is longer than a QR code holds (over 2,000 bytes), which no [`payload`]
/// is: the longest is about 200.
pub fn qr_svg(payload: &str) -> String {
    let code = QrCode::with_error_correction_level(payload, EcLevel::M).expect("a BR Code fits in a QR code");
    code.render::<svg::Color>()
        .quiet_zone(true)
        .module_dimensions(8, 8)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build()
}

/// Appends the field `id` with `value` (ASCII): the id, the length in two digits, the value.
fn field(code: &mut String, id: &str, value: &str) {
    // The keys, names, amounts and txids let through above are all short enough: the longest
    // field is 26 with a 77-character e-mail, exactly 99.
    debug_assert!(value.len() <= MAX_FIELD && value.is_ascii(), "field {id} too long or not ASCII");
    write!(code, "{id}{:02}{value}", value.len()).unwrap();
}

/// `10.50`: the amount with a dot and two decimals.
fn amount_field(amount: Money) -> Result<String, PixError> {
    if amount.cents() <= 0 {
        return Err(PixError::AmountNotPositive);
    }
    let text = amount.to_string();
    if text.len() > MAX_AMOUNT { Err(PixError::AmountTooLarge) } else { Ok(text) }
}

/// `text` in printable ASCII, cut to `max` characters; `None` when nothing is left.
fn ascii_cut(text: &str, max: usize) -> Option<String> {
    let text = ascii(text);
    let cut: String = text.chars().take(max).collect();
    let cut = cut.trim_end();
    (!cut.is_empty()).then(|| cut.to_string())
}

/// `text` in printable ASCII, as close as it goes: accents dropped (`São José` → `Sao Jose`,
/// `ç` → `c`, `º` → `o`), a few letters spelt out (`ß` → `ss`, `æ` → `ae`), typographic quotes
/// and dashes made plain, anything else left out; whitespace runs become one space.
fn ascii(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    for c in text.nfkd().filter(|c| !is_combining_mark(*c)) {
        if c.is_whitespace() {
            plain.push(' ');
        } else if c.is_ascii_graphic() {
            plain.push(c);
        } else if let Some(close) = close_ascii(c) {
            plain.push_str(close);
        }
    }
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The ASCII for letters and marks that have no decomposition.
fn close_ascii(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'Æ' => "AE",
        'æ' => "ae",
        'Œ' => "OE",
        'œ' => "oe",
        'Ø' => "O",
        'ø' => "o",
        'Đ' | 'Ð' => "D",
        'đ' | 'ð' => "d",
        'Ł' => "L",
        'ł' => "l",
        'Þ' => "Th",
        'þ' => "th",
        'ı' => "i",
        '‘' | '’' | '´' | '`' => "'",
        '“' | '”' => "\"",
        '–' | '—' => "-",
        _ => return None,
    })
}

/// CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR.
fn crc16(data: &[u8]) -> u16 {
    let mut crc: u16 = 0xFFFF;
    for &byte in data {
        crc ^= u16::from(byte) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 { (crc << 1) ^ 0x1021 } else { crc << 1 };
        }
    }
    crc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> PixKey {
        PixKey::parse(text).unwrap()
    }

    /// The top-level fields of a BR Code as (id, value), checking each length on the way.
    fn fields(code: &str) -> Vec<(String, String)> {
        let mut rest = code;
        let mut out = Vec::new();
        while !rest.is_empty() {
            let len: usize = rest[2..4].parse().unwrap();
            out.push((rest[..2].to_string(), rest[4..4 + len].to_string()));
            rest = &rest[4 + len..];
        }
        out
    }

    fn value(code: &str, id: &str) -> Option<String> {
        fields(code).into_iter().find(|(i, _)| i == id).map(|(_, v)| v)
    }

    #[test]
    fn the_banco_centrals_example_comes_out_byte_for_byte() {
        let random = key("123e4567-e12b-12d1-a456-426655440000");
        assert_eq!(random.kind(), KeyKind::Random);
        assert_eq!(
            payload(&random, "Fulano de Tal", "BRASILIA", None, None).unwrap(),
            "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de \
             Tal6008BRASILIA62070503***63041D3D"
        );
    }

    #[test]
    fn the_crc_is_ccitt_false() {
        assert_eq!(crc16(b"123456789"), 0x29B1);
        assert_eq!(crc16(b""), 0xFFFF);
    }

    #[test]
    fn an_amount_and_a_txid_go_into_fields_54_and_62() {
        // The CRC checked against Python's binascii.crc_hqx(code, 0xFFFF).
        let code =
            payload(&key("11.222.333/0001-81"), "Loja", "Recife", Some(Money::from_cents(1050)), Some("VENDA42"))
                .unwrap();
        assert_eq!(
            code,
            "00020126360014br.gov.bcb.pix011411222333000181520400005303986540510.505802BR5904Loja6006Recife\
             62110507VENDA426304AB01"
        );
        let code = payload(&key("fulano@example.com"), "Loja", "Recife", Some(Money::from_cents(1)), None).unwrap();
        assert_eq!(value(&code, "54").as_deref(), Some("0.01"));
        let code = payload(&key("fulano@example.com"), "Loja", "Recife", Some(Money::from_cents(123_456_789)), None);
        assert_eq!(value(&code.unwrap(), "54").as_deref(), Some("1234567.89"));
    }

    #[test]
    fn the_fields_come_in_the_manuals_order() {
        let code = payload(&key("+5511912345678"), "Loja", "Recife", Some(Money::from_cents(500)), Some("A1")).unwrap();
        let ids: Vec<String> = fields(&code).into_iter().map(|(id, _)| id).collect();
        assert_eq!(ids, ["00", "26", "52", "53", "54", "58", "59", "60", "62", "63"]);
        assert_eq!(value(&code, "26").unwrap(), "0014br.gov.bcb.pix0114+5511912345678");
        assert_eq!(value(&code, "62").unwrap(), "0502A1");
        let without = payload(&key("+5511912345678"), "Loja", "Recife", None, None).unwrap();
        assert_eq!(value(&without, "54"), None);
    }

    #[test]
    fn the_amount_must_be_positive_and_fit_13_characters() {
        let k = key("fulano@example.com");
        let pay = |cents| payload(&k, "Loja", "Recife", Some(Money::from_cents(cents)), None);
        assert_eq!(pay(0), Err(PixError::AmountNotPositive));
        assert_eq!(pay(-100), Err(PixError::AmountNotPositive));
        assert_eq!(value(&pay(999_999_999_999).unwrap(), "54").as_deref(), Some("9999999999.99"));
        assert_eq!(pay(1_000_000_000_000), Err(PixError::AmountTooLarge));
    }

    #[test]
    fn a_txid_is_up_to_25_letters_or_digits() {
        let k = key("fulano@example.com");
        let pay = |txid: &str| payload(&k, "Loja", "Recife", None, Some(txid));
        assert_eq!(value(&pay("aZ09").unwrap(), "62").as_deref(), Some("0504aZ09"));
        let (longest, too_long) = ("A".repeat(25), "A".repeat(26));
        assert_eq!(value(&pay(&longest).unwrap(), "62"), Some(format!("0525{longest}")));
        for wrong in ["", "***", "VENDA-1", "VENDA 1", "VENDÃ1", &too_long] {
            assert_eq!(pay(wrong), Err(PixError::Txid), "{wrong:?}");
        }
    }

    #[test]
    fn the_name_and_city_are_cut_to_25_and_15_characters() {
        let k = key("fulano@example.com");
        let code = payload(&k, "Supermercado Bom Preço da Esquina Ltda", "São José dos Campos", None, None).unwrap();
        assert_eq!(value(&code, "59").as_deref(), Some("Supermercado Bom Preco da"));
        assert_eq!(value(&code, "60").as_deref(), Some("Sao Jose dos Ca"));
        // A cut that ends in a space loses the space.
        let code = payload(&k, "Loja", "Ribeirão Preto Sul", None, None).unwrap();
        assert_eq!(value(&code, "60").as_deref(), Some("Ribeirao Preto"));
    }

    #[test]
    fn accents_and_other_non_ascii_characters_are_made_plain() {
        assert_eq!(ascii("São Paulo"), "Sao Paulo");
        assert_eq!(ascii("Açaí & Pão de Queijo Nº 1"), "Acai & Pao de Queijo No 1");
        assert_eq!(ascii("Ótica D’Ávila"), "Otica D'Avila");
        assert_eq!(ascii("Straße Øst"), "Strasse Ost");
        assert_eq!(ascii("  Loja\t\nda  Vila 🙂 "), "Loja da Vila");
        assert_eq!(ascii("ＡＢＣ"), "ABC");
        let code = payload(&key("fulano@example.com"), "Padaria Conceição", "São Paulo", None, None).unwrap();
        assert_eq!(value(&code, "59").as_deref(), Some("Padaria Conceicao"));
        assert_eq!(value(&code, "60").as_deref(), Some("Sao Paulo"));
    }

    #[test]
    fn the_name_and_city_must_leave_something() {
        let k = key("fulano@example.com");
        assert_eq!(payload(&k, "  ", "Recife", None, None), Err(PixError::MerchantName));
        assert_eq!(payload(&k, "Loja", "🙂", None, None), Err(PixError::MerchantCity));
    }

    #[test]
    fn the_longest_email_key_still_fits_field_26() {
        let email = format!("{}@example.com", "a".repeat(MAX_EMAIL - "@example.com".len()));
        let code = payload(&key(&email), "Loja", "Recife", None, None).unwrap();
        assert_eq!(value(&code, "26").unwrap().len(), 99);
    }

    #[test]
    fn cpf_keys_are_stored_as_digits() {
        let cpf = key("123.456.789-09");
        assert_eq!((cpf.kind(), cpf.as_str()), (KeyKind::Cpf, "12345678909"));
        assert_eq!(PixKey::parse("000.000.000-00"), Err(PixError::Document(DocumentError::CpfRepeated)));
    }

    #[test]
    fn cnpj_keys_may_be_alphanumeric() {
        let numeric = key("11.222.333/0001-81");
        assert_eq!((numeric.kind(), numeric.as_str()), (KeyKind::Cnpj, "11222333000181"));
        let alphanumeric = key("12.abc.345/01de-35");
        assert_eq!((alphanumeric.kind(), alphanumeric.as_str()), (KeyKind::Cnpj, "12ABC34501DE35"));
        assert_eq!(PixKey::parse("11.222.333/0001-82"), Err(PixError::Document(DocumentError::CnpjCheckDigits)));
    }

    #[test]
    fn email_keys_are_lower_cased_and_at_most_77_characters() {
        let email = key("  Fulano.Tal+loja@Example.COM.br ");
        assert_eq!((email.kind(), email.as_str()), (KeyKind::Email, "fulano.tal+loja@example.com.br"));
        let long = format!("{}@example.com", "a".repeat(66));
        assert_eq!(PixKey::parse(&long), Err(PixError::EmailTooLong));
        for wrong in ["@example.com", "fulano@", "fulano@example", "a@@example.com", "a b@example.com", "a..b@x.com"] {
            assert_eq!(PixKey::parse(wrong), Err(PixError::Email), "{wrong:?}");
        }
        for wrong in [".a@x.com", "a@-x.com", "a@x..com", "joão@x.com", "a@x.com.", "a@x_y.com"] {
            assert_eq!(PixKey::parse(wrong), Err(PixError::Email), "{wrong:?}");
        }
    }

    #[test]
    fn phone_keys_are_plus_55_the_ddd_and_the_number() {
        for written in
            ["+5511912345678", "+55 11 91234-5678", "+55 (11) 91234-5678", "(11) 91234-5678", "(11)912345678"]
        {
            let phone = key(written);
            assert_eq!((phone.kind(), phone.as_str()), (KeyKind::Phone, "+5511912345678"), "{written:?}");
        }
        assert_eq!(key("(21) 3333-4444").as_str(), "+552133334444");
        assert_eq!(key("+55 21 3333-4444").as_str(), "+552133334444");
        assert_eq!(PixKey::parse("+1 415 555 0100"), Err(PixError::ForeignPhone));
        for wrong in ["+55 11 81234-5678", "+55 (01) 91234-5678", "+55 11 81234-56789", "(11) 1234-567", "+55 11 9abc"]
        {
            assert_eq!(PixKey::parse(wrong), Err(PixError::Phone), "{wrong:?}");
        }
    }

    #[test]
    fn eleven_bare_digits_are_a_cpf_and_a_phone_needs_plus_55_or_the_ddd_in_parentheses() {
        // A valid CPF is a CPF, even where it could be a phone.
        assert_eq!(key("52998224725").kind(), KeyKind::Cpf);
        // A phone as bare digits is read as a CPF and refused, saying how to write a phone.
        assert_eq!(PixKey::parse("11912345678"), Err(PixError::CpfOrPhone));
        assert_eq!(PixKey::parse("11 91234-5678"), Err(PixError::CpfOrPhone));
        assert_eq!(key("+55 11 91234-5678").kind(), KeyKind::Phone);
        assert_eq!(key("(11) 91234-5678").kind(), KeyKind::Phone);
        // When the kind is given, bare digits may be a phone.
        let phone = PixKey::parse_as(KeyKind::Phone, "11 91234-5678").unwrap();
        assert_eq!((phone.kind(), phone.as_str()), (KeyKind::Phone, "+5511912345678"));
        assert_eq!(PixKey::parse_as(KeyKind::Phone, "52998224725").unwrap().as_str(), "+5552998224725");
        assert_eq!(
            PixKey::parse_as(KeyKind::Cpf, "11912345678"),
            Err(PixError::Document(DocumentError::CpfCheckDigits))
        );
    }

    #[test]
    fn random_keys_are_lower_case_uuids() {
        let random = key("123E4567-E12B-12D1-A456-426655440000");
        assert_eq!((random.kind(), random.as_str()), (KeyKind::Random, "123e4567-e12b-12d1-a456-426655440000"));
        assert_eq!(PixKey::parse("123e4567-e12b-12d1-a456-42665544000g"), Err(PixError::RandomKey));
        assert_eq!(PixKey::parse("123e4567e-12b-12d1-a456-426655440000"), Err(PixError::RandomKey));
        assert_eq!(PixKey::parse("123e4567e12b12d1a456426655440000"), Err(PixError::UnknownKey));
    }

    #[test]
    fn anything_else_is_no_key() {
        assert_eq!(PixKey::parse("   "), Err(PixError::EmptyKey));
        assert_eq!(PixKey::parse("loja"), Err(PixError::UnknownKey));
        assert_eq!(PixKey::parse("1234567890"), Err(PixError::UnknownKey));
    }

    #[test]
    fn kinds_have_portuguese_labels() {
        let labels: Vec<&str> =
            [KeyKind::Cpf, KeyKind::Cnpj, KeyKind::Email, KeyKind::Phone, KeyKind::Random].map(KeyKind::label).into();
        assert_eq!(labels, ["CPF", "CNPJ", "E-mail", "Telefone", "Chave aleatória"]);
        assert_eq!(PixError::CpfOrPhone.to_string().split(':').next(), Some("CPF inválido"));
        assert_eq!(PixError::from(DocumentError::CnpjLength).to_string(), "CNPJ deve ter 14 caracteres");
    }

    #[test]
    fn the_qr_code_is_an_svg_document() {
        let code = payload(&key("123e4567-e12b-12d1-a456-426655440000"), "Fulano de Tal", "BRASILIA", None, None);
        let svg = qr_svg(&code.unwrap());
        assert!(svg.starts_with("<?xml") || svg.starts_with("<svg"));
        assert!(svg.contains("<svg") && svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains(r##"fill="#000000""##) && svg.contains(r##"fill="#ffffff""##));
    }
}
