//! How the domain's values are written in JSON and described in the OpenAPI document: money as
//! a number of reais with at most two decimals (as the first version sent it), instants as
//! RFC 3339, and the codes of payment methods and roles.

use serde::{Serialize, Serializer};
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::{KnownFormat, RefOr, SchemaFormat};
use utoipa::{PartialSchema, ToSchema};

use crate::domain::catalog::{Quantity, Unit};
use crate::domain::money::Money;
use crate::domain::sales::PaymentMethod;
use crate::domain::time::Timestamp;
use crate::domain::users::Role;

/// Past 2^53 cents (about R$ 90 trilhões) a double no longer holds every cent.
const MAX_EXACT_CENTS: i64 = 1 << 53;

/// A number: cents / 100 is correctly rounded, so its shortest text is the exact amount. An
/// amount a double cannot hold exactly is an error, never a rounded number.
impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.cents().unsigned_abs() > MAX_EXACT_CENTS as u64 {
            return Err(serde::ser::Error::custom(format!("valor {self} não cabe exato num número JSON")));
        }
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

/// A number of whole units: an integer for a product sold in units, up to three decimals for
/// one sold by weight or measure (exact: stored in thousandths, far below 2^53).
impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.unit.is_fractional() {
            serializer.serialize_f64(self.as_f64())
        } else {
            serializer.serialize_i64(self.stored)
        }
    }
}

impl PartialSchema for Quantity {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Number)
            .description(Some("Quantidade: inteira em UN, CX, ...; até três casas decimais em KG, L e M"))
            .examples([serde_json::json!(2), serde_json::json!(0.35)])
            .into()
    }
}

impl ToSchema for Quantity {}

impl Serialize for Unit {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl PartialSchema for Unit {
    fn schema() -> RefOr<Schema> {
        codes(Unit::ALL.map(Unit::as_str))
    }
}

impl ToSchema for Unit {}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_an_exact_json_number_or_an_error() {
        let json = |cents: i64| serde_json::to_string(&Money::from_cents(cents));
        assert_eq!(json(1250).unwrap(), "12.5");
        assert_eq!(json(MAX_EXACT_CENTS).unwrap(), "90071992547409.92");
        assert!(json(MAX_EXACT_CENTS + 1).is_err());
        assert!(json(i64::MAX).is_err());
    }

    #[test]
    fn quantities_are_integers_in_whole_units_and_decimals_by_weight() {
        let json = |stored: i64, unit: Unit| serde_json::to_string(&Quantity::new(stored, unit)).unwrap();
        assert_eq!(json(3, Unit::Un), "3");
        assert_eq!(json(350, Unit::Kg), "0.35");
        assert_eq!(json(2000, Unit::Kg), "2.0");
        assert_eq!(json(1_000_000_000, Unit::L), "1000000.0");
    }
}
