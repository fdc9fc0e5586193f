//! Request input: a JSON body whose fields are kept as raw JSON text (so that numbers are
//! parsed exactly and each field gets its own error message), query parameters, path ids.
//! Every rejection is a 4xx with `{"error": ...}` in Portuguese.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use unicode_normalization::UnicodeNormalization;

use super::error::{Error, Result};
use crate::domain::DomainError;
use crate::domain::number::{NumberError, parse_scaled};
use crate::domain::page::PageRequest;
use crate::domain::text::{self, TextError};

/// A field of a JSON body, as sent.
pub type Raw = Box<RawValue>;

/// A JSON object body. An empty body counts as `{}` (the first version's clients sometimes send
/// none); the `Content-Type` is not checked, as the first version did not either. Unknown fields
/// are ignored, but no body may nest deeper than [`MAX_JSON_DEPTH`].
pub struct JsonBody<T>(pub T);

/// Arrays and objects inside one another. The deepest body the API reads is
/// `{"items": [{...}]}` (3); the rest is room for what clients add in fields the API ignores.
pub const MAX_JSON_DEPTH: usize = 32;

/// True when `json` nests arrays and objects deeper than `max`. A linear scan that skips strings
/// (with their escapes), run before parsing: serde skips unknown fields without a depth limit.
fn nests_deeper_than(json: &[u8], max: usize) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &byte in json {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self> {
        let bytes = Bytes::from_request(req, state).await.map_err(|_| Error::PayloadTooLarge)?;
        let bytes: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) { b"{}" } else { &bytes };
        if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(Error::invalid("Corpo da requisição deve ser um objeto JSON válido"));
        }
        if nests_deeper_than(bytes, MAX_JSON_DEPTH) {
            return Err(Error::invalid("Corpo da requisição aninhado demais"));
        }
        serde_json::from_slice(bytes)
            .map(JsonBody)
            .map_err(|_| Error::invalid("Corpo da requisição deve ser um objeto JSON válido"))
    }
}

/// For fields where an explicit `null` means "clear it": keeps the null instead of reading it
/// as an absent field. Use with `#[serde(default, deserialize_with = "keep_null")]`.
pub fn keep_null<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Raw>, D::Error> {
    <Raw as serde::Deserialize>::deserialize(deserializer).map(Some)
}

/// A field holds a value of the wrong JSON type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WrongType;

/// What a raw JSON field holds.
enum Value<'a> {
    Absent,
    Text(String),
    Number(&'a str),
    Bool(bool),
    Other,
}

fn value(raw: Option<&RawValue>) -> Value<'_> {
    let Some(raw) = raw else { return Value::Absent };
    let text = raw.get();
    match text.as_bytes().first() {
        Some(b'"') => serde_json::from_str(text).map(Value::Text).unwrap_or(Value::Other),
        Some(b'-' | b'0'..=b'9') => Value::Number(text),
        _ => match text {
            "null" => Value::Absent,
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::Other,
        },
    }
}

/// True when a field is absent or null.
pub fn is_absent(raw: &Option<Raw>) -> bool {
    matches!(value(raw.as_deref()), Value::Absent)
}

/// Refuses an explicit `null` in fields that cannot be cleared (read with [`keep_null`]): on an
/// update, a null must not pass for "leave it as it is".
pub fn refuse_nulls(fields: &[(&str, &Option<Raw>)]) -> Result<()> {
    match fields.iter().find(|(_, raw)| raw.as_ref().is_some_and(|r| r.get() == "null")) {
        Some((name, _)) => Err(Error::invalid(format!("O campo {name} não pode ser nulo"))),
        None => Ok(()),
    }
}

/// A text field: None when absent or null; Err when it holds something else, or a NUL
/// character (which PostgreSQL cannot store and no one types).
pub fn text(raw: &Option<Raw>) -> Result<Option<String>, WrongType> {
    match value(raw.as_deref()) {
        Value::Absent => Ok(None),
        Value::Text(text) if !text.contains('\0') => Ok(Some(text)),
        _ => Err(WrongType),
    }
}

const INVALID_CHARACTERS: &str = "contém caracteres inválidos";

fn refusal(error: TextError, subject: &str) -> Error {
    Error::invalid(match error {
        TextError::Empty => format!("{subject} é obrigatório"),
        TextError::InvalidCharacters => format!("{subject} {INVALID_CHARACTERS}"),
    })
}

/// A one-line name as typed (see [`text::name`]). `subject` names the field, a masculine noun
/// ("Nome do produto"), in the messages: "… é obrigatório", "… contém caracteres inválidos".
pub fn name_field(typed: &str, subject: &str) -> Result<String> {
    text::name(typed).map_err(|e| refusal(e, subject))
}

/// An optional text of one or more lines as typed (see [`text::multi_line`]): None when nothing
/// visible is left, which clears the field. `subject` names the field in the message.
pub fn text_field(typed: &str, subject: &str) -> Result<Option<String>> {
    match text::multi_line(typed) {
        Ok(text) => Ok(Some(text)),
        Err(TextError::Empty) => Ok(None),
        Err(e) => Err(refusal(e, subject)),
    }
}

/// An optional text field of an update: None when absent (left as it is), `Some(None)` when
/// null or blank (cleared), `Some(Some(text))` otherwise, at most `max_chars` characters.
pub fn optional_text(raw: &Option<Raw>, field: &str, max_chars: usize) -> Result<Option<Option<String>>> {
    if raw.is_none() {
        return Ok(None);
    }
    let value = text(raw)
        .map_err(|_| Error::invalid(format!("{field} deve ser texto")))?
        .map(|t| text_field(&t, field))
        .transpose()?
        .flatten();
    if value.as_ref().is_some_and(|v| v.chars().count() > max_chars) {
        return Err(Error::invalid(format!("{field} deve ter no máximo {max_chars} caracteres")));
    }
    Ok(Some(value))
}

/// For fields where the first version answered every refusal with one message (`other`): a
/// refusal of the characters keeps its own message, which says what to fix.
pub fn keep_character_refusal(other: impl Fn() -> Error) -> impl Fn(Error) -> Error {
    move |error| match &error {
        Error::Invalid(message) if message.ends_with(INVALID_CHARACTERS) => error,
        _ => other(),
    }
}

/// A boolean field: None when absent or null.
pub fn boolean(raw: &Option<Raw>) -> Result<Option<bool>, WrongType> {
    match value(raw.as_deref()) {
        Value::Absent => Ok(None),
        Value::Bool(b) => Ok(Some(b)),
        _ => Err(WrongType),
    }
}

/// A number sent as a JSON number or a numeric string (`12.5`, `"12.50"`), scaled by
/// `10^scale` exactly and checked against `min..=max`. None when absent or null.
pub fn number(raw: &Option<Raw>, scale: u32, min: i64, max: i64) -> Result<Option<i64>, NumberError> {
    match value(raw.as_deref()) {
        Value::Absent => Ok(None),
        Value::Number(text) => parse_scaled(text, scale, min, max).map(Some),
        Value::Text(text) => parse_scaled(text.trim(), scale, min, max).map(Some),
        Value::Bool(_) | Value::Other => Err(NumberError::NotANumber),
    }
}

/// A whole number in `min..=max`.
pub fn integer(raw: &Option<Raw>, min: i64, max: i64) -> Result<Option<i64>, NumberError> {
    number(raw, 0, min, max)
}

/// Query-string parameters, trimmed and in NFC as stored names are. Empty values count as
/// absent, as in the first version.
pub struct Params(HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self> {
        let query = parts.uri.query().unwrap_or_default();
        let map: HashMap<String, String> = form_urlencoded::parse(query.as_bytes())
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| (k.into_owned(), v.trim().nfc().collect()))
            .collect();
        if map.values().any(|v| v.contains('\0')) {
            return Err(Error::invalid("Parâmetros da URL contêm caracteres inválidos"));
        }
        Ok(Params(map))
    }
}

impl Params {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// An optional whole number; `message` when it is not one.
    pub fn integer(&self, name: &str, message: &str) -> Result<Option<i64>> {
        self.get(name).map(|v| parse_scaled(v, 0, i64::MIN, i64::MAX).map_err(|_| Error::invalid(message))).transpose()
    }

    /// `true`/`false` (also `1`/`0`); None when absent.
    pub fn flag(&self, name: &str) -> Result<Option<bool>> {
        match self.get(name) {
            None => Ok(None),
            Some("true" | "1") => Ok(Some(true)),
            Some("false" | "0") => Ok(Some(false)),
            Some(_) => Err(Error::invalid(format!("Parâmetro {name} deve ser true ou false"))),
        }
    }

    /// `page` and `per_page`, within their bounds.
    pub fn page(&self, default_per_page: i64) -> Result<PageRequest> {
        let page = match self.get("page") {
            None => 1,
            Some(v) => parse_scaled(v, 0, 1, 1_000_000_000_000)
                .map_err(|_| Error::invalid("Parâmetro page deve ser um número inteiro maior que zero"))?,
        };
        let per_page = match self.get("per_page") {
            None => default_per_page,
            Some(v) => parse_scaled(v, 0, 1, PageRequest::MAX_PER_PAGE).map_err(|_| {
                Error::invalid(format!("Parâmetro per_page deve estar entre 1 e {}", PageRequest::MAX_PER_PAGE))
            })?,
        };
        Ok(PageRequest { page, per_page })
    }
}

/// A resource id from the path; anything that is not a positive id is `missing`.
pub fn path_id(text: &str, missing: DomainError) -> Result<i64> {
    text.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| missing.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_arrays_and_objects_but_not_brackets_in_strings() {
        assert!(!nests_deeper_than(br#"{"items": [{"product_id": 1}]}"#, 3));
        assert!(nests_deeper_than(br#"{"items": [{"product_id": [1]}]}"#, 3));
        assert!(!nests_deeper_than(br#"{"a": "[[[[{{{{", "b": "\"[[[["}"#, 1));
        assert!(!nests_deeper_than(br#"{"a": "\\", "b": 1}"#, 1));
        assert!(nests_deeper_than(br#"{"a": "\\", "b": [1]}"#, 1));
        assert!(!nests_deeper_than(br#"[] [] [] {} {}"#, 1));
        assert!(nests_deeper_than("[".repeat(400_000).as_bytes(), MAX_JSON_DEPTH));
    }
}
