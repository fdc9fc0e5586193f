use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};
use utoipa::ToSchema;

use super::money::Money;
use super::time::Timestamp;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Category {
    pub id: i64,
    pub name: String,
    pub created_at: Timestamp,
    /// Active products in the category.
    pub products_count: i64,
}

impl FromRow<'_, AnyRow> for Category {
    fn from_row(row: &AnyRow) -> sqlx::Result<Category> {
        Ok(Category {
            id: row.try_get("id")?,
            name: row.try_get("name")?,
            created_at: Timestamp::from_micros(row.try_get("created_at")?),
            products_count: row.try_get("products_count")?,
        })
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Product {
    pub id: i64,
    pub name: String,
    pub description: Option<String>,
    pub price: Money,
    pub stock: i64,
    pub category_id: Option<i64>,
    pub category_name: Option<String>,
    pub created_at: Timestamp,
    /// Barcode or SKU, unique among active products.
    pub code: Option<String>,
    /// At or below this stock the product is flagged as low.
    pub min_stock: i64,
    pub low_stock: bool,
    pub updated_at: Timestamp,
}

impl FromRow<'_, AnyRow> for Product {
    fn from_row(row: &AnyRow) -> sqlx::Result<Product> {
        let stock: i64 = row.try_get("stock")?;
        let min_stock: i64 = row.try_get("min_stock")?;
        Ok(Product {
            id: row.try_get("id")?,
            name: row.try_get("name")?,
            description: row.try_get("description")?,
            price: Money::from_cents(row.try_get("price_cents")?),
            stock,
            category_id: row.try_get("category_id")?,
            category_name: row.try_get("category_name")?,
            created_at: Timestamp::from_micros(row.try_get("created_at")?),
            code: row.try_get("code")?,
            min_stock,
            low_stock: stock <= min_stock,
            updated_at: Timestamp::from_micros(row.try_get("updated_at")?),
        })
    }
}

/// Limits on what a product may hold.
pub const MAX_STOCK: i64 = 1_000_000_000;
pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_CODE_CHARS: usize = 64;
pub const MAX_DESCRIPTION_CHARS: usize = 2000;
pub const DEFAULT_MIN_STOCK: i64 = 5;
