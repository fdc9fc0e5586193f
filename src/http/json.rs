//! How the domain's values are written in JSON and described in the OpenAPI document: money as
//! a number of reais with at most two decimals (as the first version sent it), instants as
//! RFC 3339, and the codes of payment methods and roles.

use serde::{Serialize, Serializer};
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::{KnownFormat, RefOr, SchemaFormat};
use utoipa::{PartialSchema, ToSchema};

use crate::domain::money::Money;
use crate::domain::sales::PaymentMethod;
use crate::domain::time::Timestamp;
use crate::domain::users::Role;

/// A number: cents / 100 is correctly rounded, so its shortest text is the exact amount.
impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.as_f64())
    }
}

impl PartialSchema for Money {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Number)
            .description(Some("Valor em reais, com no máximo duas casas decimais"))
            .examples([serde_json::json!(12.5)])
            .into()
    }
}

impl ToSchema for Money {}

impl PartialSchema for Timestamp {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
            .examples([serde_json::json!("2026-11-29T17:05:00Z")])
            .into()
    }
}

impl ToSchema for Timestamp {}

/// A string schema with a closed list of values.
fn codes(values: impl IntoIterator<Item = &'static str>) -> RefOr<Schema> {
    ObjectBuilder::new().schema_type(SchemaType::new(Type::String)).enum_values(Some(values)).into()
}

impl Serialize for PaymentMethod {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl PartialSchema for PaymentMethod {
    fn schema() -> RefOr<Schema> {
        codes(PaymentMethod::ALL.map(PaymentMethod::as_str))
    }
}

impl ToSchema for PaymentMethod {}

impl Serialize for Role {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl PartialSchema for Role {
    fn schema() -> RefOr<Schema> {
        codes(Role::ALL.map(Role::as_str))
    }
}

impl ToSchema for Role {}
