//! The shop's customers: who bought, for the receipt (the consumer's CPF or CNPJ) and for their
//! history. A customer needs only a name; the document, phone and e-mail are optional, and a
//! document belongs to one customer at most.

use super::documents::{self, DocumentError, format_cnpj, format_cpf};
use super::money::Money;
use super::time::Timestamp;

pub const MAX_PHONE_CHARS: usize = 30;
pub const MAX_EMAIL_CHARS: usize = 254;

/// A CPF or a CNPJ, normalised (see [`documents`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Document {
    Cpf(String),
    Cnpj(String),
}

impl Document {
    /// A CPF when the text has 11 digits once punctuation is left out, a CNPJ otherwise (with
    /// 14 characters, numeric or alphanumeric). The refusal says what is wrong with the kind
    /// the text looks like.
    pub fn parse(text: &str) -> Result<Document, DocumentError> {
        let characters = text.chars().filter(|c| c.is_ascii_alphanumeric()).count();
        let digits_only = text.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | ' '));
        if characters == 11 && digits_only {
            documents::cpf(text).map(Document::Cpf)
        } else if characters <= 11 && digits_only {
            Err(DocumentError::CpfLength)
        } else {
            documents::cnpj(text).map(Document::Cnpj)
        }
    }

    /// A stored value: 11 characters are a CPF, anything else a CNPJ.
    pub fn stored(value: String) -> Document {
        if value.len() == 11 { Document::Cpf(value) } else { Document::Cnpj(value) }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Document::Cpf(value) | Document::Cnpj(value) => value,
        }
    }

    /// `CPF` or `CNPJ`.
    pub fn kind(&self) -> &'static str {
        match self {
            Document::Cpf(_) => "CPF",
            Document::Cnpj(_) => "CNPJ",
        }
    }

    /// Punctuated for people: `123.456.789-09`, `12.ABC.345/01DE-35`.
    pub fn formatted(&self) -> String {
        match self {
            Document::Cpf(value) => format_cpf(value),
            Document::Cnpj(value) => format_cnpj(value),
        }
    }
}

/// A customer's details as typed: the name is required, the rest may be absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerDetails {
    pub name: String,
    pub document: Option<Document>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// A change of some of a customer's details: `None` leaves a field as it is, `Some(None)`
/// clears an optional one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerChanges {
    pub name: Option<String>,
    pub document: Option<Option<Document>>,
    pub phone: Option<Option<String>>,
    pub email: Option<Option<String>>,
}

impl CustomerChanges {
    pub fn is_empty(&self) -> bool {
        *self == CustomerChanges::default()
    }

    pub fn apply(self, details: &CustomerDetails) -> CustomerDetails {
        CustomerDetails {
            name: self.name.unwrap_or_else(|| details.name.clone()),
            document: self.document.unwrap_or_else(|| details.document.clone()),
            phone: self.phone.unwrap_or_else(|| details.phone.clone()),
            email: self.email.unwrap_or_else(|| details.email.clone()),
        }
    }
}

/// A customer with what they bought: the sales that stand, net of their returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    pub id: i64,
    pub details: CustomerDetails,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub purchases: i64,
    pub spent: Money,
    pub last_purchase_at: Option<Timestamp>,
}

/// A phone as typed: digits, with the usual `+ ( ) - .` and spaces, 8 to 15 digits.
pub fn phone(text: &str) -> Option<String> {
    let text = text.trim();
    let allowed = text.chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | '(' | ')' | '-' | '.' | ' '));
    let digits = text.chars().filter(char::is_ascii_digit).count();
    (allowed && (8..=15).contains(&digits) && text.chars().count() <= MAX_PHONE_CHARS).then(|| text.to_string())
}

/// An e-mail address as typed, lower-cased: one `@` with something before it and a domain with
/// a dot after it, no spaces.
pub fn email(text: &str) -> Option<String> {
    let text = text.trim().to_lowercase();
    let (local, domain) = text.split_once('@')?;
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !domain.contains('@');
    let visible =
        text.chars().all(|c| c.is_ascii_graphic() || (!c.is_ascii() && !c.is_whitespace() && !c.is_control()));
    (!local.is_empty() && domain_ok && visible && text.chars().count() <= MAX_EMAIL_CHARS).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_is_a_cpf_or_a_cnpj_by_its_shape() {
        assert_eq!(Document::parse("529.982.247-25"), Ok(Document::Cpf("52998224725".into())));
        assert_eq!(Document::parse("11.222.333/0001-81"), Ok(Document::Cnpj("11222333000181".into())));
        assert_eq!(Document::parse("12.abc.345/01de-35"), Ok(Document::Cnpj("12ABC34501DE35".into())));
        assert_eq!(Document::parse("529.982.247-24"), Err(DocumentError::CpfCheckDigits));
        assert_eq!(Document::parse("5299822472"), Err(DocumentError::CpfLength));
        assert_eq!(Document::parse("11.222.333/0001-82"), Err(DocumentError::CnpjCheckDigits));
        assert_eq!(Document::parse("12.ABC.345/01DE-36"), Err(DocumentError::CnpjCheckDigits));
        assert_eq!(Document::parse("1122233300018"), Err(DocumentError::CnpjLength));
    }

    #[test]
    fn a_stored_document_reads_back_as_its_kind() {
        assert_eq!(Document::stored("52998224725".into()).formatted(), "529.982.247-25");
        assert_eq!(Document::stored("12ABC34501DE35".into()).formatted(), "12.ABC.345/01DE-35");
        assert_eq!(Document::stored("12ABC34501DE35".into()).kind(), "CNPJ");
    }

    #[test]
    fn phones_and_emails_are_checked_loosely() {
        assert_eq!(phone(" (11) 98765-4321 "), Some("(11) 98765-4321".into()));
        assert_eq!(phone("+55 11 3333 4444"), Some("+55 11 3333 4444".into()));
        assert_eq!(phone("1234"), None);
        assert_eq!(phone("11 9876x4321"), None);
        assert_eq!(email(" Ana@Exemplo.com.br "), Some("ana@exemplo.com.br".into()));
        assert_eq!(email("ana@exemplo"), None);
        assert_eq!(email("@exemplo.com"), None);
        assert_eq!(email("ana silva@exemplo.com"), None);
        assert_eq!(email("ana@@exemplo.com"), None);
    }

    #[test]
    fn changes_apply_field_by_field() {
        let details = CustomerDetails {
            name: "Ana".into(),
            document: Some(Document::Cpf("52998224725".into())),
            phone: Some("11 98765-4321".into()),
            email: None,
        };
        let changed =
            CustomerChanges { phone: Some(None), email: Some(Some("ana@x.com".into())), ..Default::default() }
                .apply(&details);
        assert_eq!(changed.name, "Ana");
        assert_eq!(changed.document, details.document);
        assert_eq!(changed.phone, None);
        assert_eq!(changed.email.as_deref(), Some("ana@x.com"));
    }
}
