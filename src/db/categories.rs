//! All SQL that touches categories.

use sqlx::AnyExecutor;

use super::Tx;
use crate::domain::catalog::Category;
use crate::domain::time::Timestamp;

macro_rules! select_category {
    () => {
        "SELECT c.id, c.name, c.created_at, \
         (SELECT COUNT(*) FROM products p WHERE p.category_id = c.id AND p.archived_at IS NULL) AS products_count \
         FROM categories c"
    };
}

pub async fn list<'c>(ex: impl AnyExecutor<'c>) -> sqlx::Result<Vec<Category>> {
    sqlx::query_as(concat!(select_category!(), " ORDER BY c.name_key, c.id")).fetch_all(ex).await
}

pub async fn get<'c>(ex: impl AnyExecutor<'c>, id: i64) -> sqlx::Result<Option<Category>> {
    sqlx::query_as(concat!(select_category!(), " WHERE c.id = $1")).bind(id).fetch_optional(ex).await
}

pub async fn exists<'c>(ex: impl AnyExecutor<'c>, id: i64) -> sqlx::Result<bool> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM categories WHERE id = $1").bind(id).fetch_optional(ex).await?;
    Ok(found.is_some())
}

/// Fails with a unique violation when a category with the same key exists.
pub async fn insert<'c>(ex: impl AnyExecutor<'c>, name: &str, name_key: &str, now: Timestamp) -> sqlx::Result<i64> {
    sqlx::query_scalar("INSERT INTO categories (name, name_key, created_at) VALUES ($1, $2, $3) RETURNING id")
        .bind(name)
        .bind(name_key)
        .bind(now.micros())
        .fetch_one(ex)
        .await
}

/// Returns false when there is no such category; a unique violation when the name is taken.
pub async fn rename<'c>(ex: impl AnyExecutor<'c>, id: i64, name: &str, name_key: &str) -> sqlx::Result<bool> {
    let result = sqlx::query("UPDATE categories SET name = $2, name_key = $3 WHERE id = $1")
        .bind(id)
        .bind(name)
        .bind(name_key)
        .execute(ex)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Active products in a category.
pub async fn live_products<'c>(ex: impl AnyExecutor<'c>, id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM products WHERE category_id = $1 AND archived_at IS NULL")
        .bind(id)
        .fetch_one(ex)
        .await
}

/// Deletes a category that has no active products; archived products it held lose their
/// category (their sales keep the product name). Returns false when there is no such category.
pub async fn delete(tx: &mut Tx, id: i64) -> sqlx::Result<bool> {
    sqlx::query("UPDATE products SET category_id = NULL WHERE category_id = $1 AND archived_at IS NOT NULL")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let result = sqlx::query("DELETE FROM categories WHERE id = $1").bind(id).execute(&mut **tx).await?;
    Ok(result.rows_affected() == 1)
}
