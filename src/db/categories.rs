//! All SQL that touches categories.

use sqlx::any::AnyRow;
use sqlx::{AnyExecutor, FromRow, Row};

use super::{Enforces, Result, Tx};
use crate::domain::DomainError;
use crate::domain::catalog::Category;
use crate::domain::text::search_key;
use crate::domain::time::Timestamp;

macro_rules! select_category {
    () => {
        "SELECT c.id, c.name, c.created_at, \
         (SELECT COUNT(*) FROM products p WHERE p.category_id = c.id AND p.archived_at IS NULL) AS products_count \
         FROM categories c"
    };
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

pub async fn list<'c>(ex: impl AnyExecutor<'c>) -> Result<Vec<Category>> {
    Ok(sqlx::query_as(concat!(select_category!(), " ORDER BY c.name_key, c.id")).fetch_all(ex).await?)
}

pub async fn get<'c>(ex: impl AnyExecutor<'c>, id: i64) -> Result<Option<Category>> {
    Ok(sqlx::query_as(concat!(select_category!(), " WHERE c.id = $1")).bind(id).fetch_optional(ex).await?)
}

/// The category whose name has this name's search key.
pub async fn id_by_name<'c>(ex: impl AnyExecutor<'c>, name: &str) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT id FROM categories WHERE name_key = $1")
        .bind(search_key(name))
        .fetch_optional(ex)
        .await?)
}

pub async fn exists<'c>(ex: impl AnyExecutor<'c>, id: i64) -> Result<bool> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM categories WHERE id = $1").bind(id).fetch_optional(ex).await?;
    Ok(found.is_some())
}

/// A category whose name has the same search key (case and accents do not count) is
/// [`DomainError::CategoryExists`].
pub async fn insert<'c>(ex: impl AnyExecutor<'c>, name: &str, now: Timestamp) -> Result<i64> {
    sqlx::query_scalar("INSERT INTO categories (name, name_key, created_at) VALUES ($1, $2, $3) RETURNING id")
        .bind(name)
        .bind(search_key(name))
        .bind(now.micros())
        .fetch_one(ex)
        .await
        .unique_means(DomainError::CategoryExists)
}

/// Returns false when there is no such category; a name taken by another category is
/// [`DomainError::CategoryNameTaken`].
pub async fn rename<'c>(ex: impl AnyExecutor<'c>, id: i64, name: &str) -> Result<bool> {
    let result = sqlx::query("UPDATE categories SET name = $2, name_key = $3 WHERE id = $1")
        .bind(id)
        .bind(name)
        .bind(search_key(name))
        .execute(ex)
        .await
        .unique_means(DomainError::CategoryNameTaken)?;
    Ok(result.rows_affected() == 1)
}

/// Active products in a category.
pub async fn live_products<'c>(ex: impl AnyExecutor<'c>, id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM products WHERE category_id = $1 AND archived_at IS NULL")
        .bind(id)
        .fetch_one(ex)
        .await?)
}

/// Deletes a category that has no active products; archived products it held lose their
/// category (their sales keep the product name). Returns false when there is no such category;
/// a product added to it meanwhile is [`DomainError::CategoryInUse`].
pub async fn delete(tx: &mut Tx, id: i64) -> Result<bool> {
    sqlx::query("UPDATE products SET category_id = NULL WHERE category_id = $1 AND archived_at IS NOT NULL")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let result = sqlx::query("DELETE FROM categories WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await
        .foreign_key_means(DomainError::CategoryInUse)?;
    Ok(result.rows_affected() == 1)
}
