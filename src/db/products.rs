//! All SQL that reads products and writes their details. Their stock is written by
//! [`super::inventory`] alone.

use sqlx::any::AnyRow;
use sqlx::{AnyExecutor, AssertSqlSafe, FromRow, Row};

use super::{Arg, Enforces, Result, Tx, bind_all, limit_offset};
use crate::domain::DomainError;
use crate::domain::catalog::{Product, ProductDetails, ProductFilter};
use crate::domain::money::Money;
use crate::domain::page::PageRequest;
use crate::domain::text::{contains_pattern, product_search_key};
use crate::domain::time::Timestamp;

macro_rules! select_product {
    () => {
        "SELECT p.id, p.name, p.description, p.price_cents, p.stock, p.category_id, \
         c.name AS category_name, p.created_at, p.code, p.min_stock, p.updated_at, \
         ph.photo_key, ph.thumb_key \
         FROM products p LEFT JOIN categories c ON c.id = p.category_id \
         LEFT JOIN product_photos ph ON ph.product_id = p.id"
    };
}

impl FromRow<'_, AnyRow> for Product {
    fn from_row(row: &AnyRow) -> sqlx::Result<Product> {
        Ok(Product {
            id: row.try_get("id")?,
            name: row.try_get("name")?,
            description: row.try_get("description")?,
            price: Money::from_cents(row.try_get("price_cents")?),
            stock: row.try_get("stock")?,
            category_id: row.try_get("category_id")?,
            category_name: row.try_get("category_name")?,
            created_at: Timestamp::from_micros(row.try_get("created_at")?),
            code: row.try_get("code")?,
            min_stock: row.try_get("min_stock")?,
            updated_at: Timestamp::from_micros(row.try_get("updated_at")?),
            photo: super::photos::keys(row)?,
        })
    }
}

/// The conditions and arguments of a product listing.
fn where_clause(filter: &ProductFilter) -> (String, Vec<Arg>) {
    let mut conditions = vec!["p.archived_at IS NULL".to_string()];
    let mut args = Vec::new();
    if let Some(search) = &filter.search {
        args.push(Arg::Text(contains_pattern(search)));
        // A cast, for the reason in `limit_offset`: SQLite looks at a bare bound pattern.
        conditions.push(format!("p.search_key LIKE CAST(${} AS TEXT) ESCAPE '\\'", args.len()));
    }
    if let Some(category_id) = filter.category_id {
        args.push(Arg::Int(category_id));
        conditions.push(format!("p.category_id = ${}", args.len()));
    }
    if let Some(code) = &filter.code {
        args.push(Arg::Text(code.clone()));
        conditions.push(format!("p.code = ${}", args.len()));
    }
    if filter.low_stock {
        conditions.push("p.stock <= p.min_stock".to_string());
    }
    (conditions.join(" AND "), args)
}

pub async fn list<'c>(
    ex: impl AnyExecutor<'c> + Copy,
    filter: &ProductFilter,
    page: PageRequest,
) -> Result<(Vec<Product>, i64)> {
    let (conditions, mut args) = where_clause(filter);
    let count_sql = format!("SELECT COUNT(*) FROM products p WHERE {conditions}");
    let total: i64 = bind_all(sqlx::query_scalar(AssertSqlSafe(count_sql)), &args).fetch_one(ex).await?;
    if page.offset() >= total {
        return Ok((Vec::new(), total));
    }
    args.push(Arg::Int(page.per_page));
    args.push(Arg::Int(page.offset()));
    let sql = format!(
        concat!(select_product!(), " WHERE {} ORDER BY p.search_key, p.id{}"),
        conditions,
        limit_offset(args.len() - 1)
    );
    let products = bind_all(sqlx::query_as(AssertSqlSafe(sql)), &args).fetch_all(ex).await?;
    Ok((products, total))
}

/// An active (not archived) product.
pub async fn get<'c>(ex: impl AnyExecutor<'c>, id: i64) -> Result<Option<Product>> {
    Ok(sqlx::query_as(concat!(select_product!(), " WHERE p.id = $1 AND p.archived_at IS NULL"))
        .bind(id)
        .fetch_optional(ex)
        .await?)
}

/// The details as bound to `$1` to `$8` of an insert or an update: name, search key, code,
/// description, price, minimum stock, category, and the time of the change.
fn details_args(details: &ProductDetails, now: Timestamp) -> Vec<Arg> {
    vec![
        Arg::Text(details.name.clone()),
        Arg::Text(product_search_key(&details.name, details.code.as_deref())),
        Arg::MaybeText(details.code.clone()),
        Arg::MaybeText(details.description.clone()),
        Arg::Int(details.price.cents()),
        Arg::Int(details.min_stock),
        Arg::Int(details.category_id),
        Arg::Int(now.micros()),
    ]
}

/// Creates a product with no stock (its stock comes in through the inventory).
pub async fn insert(tx: &mut Tx, details: &ProductDetails, now: Timestamp) -> Result<i64> {
    let sql = "INSERT INTO products (name, search_key, code, description, price_cents, min_stock, category_id, \
               created_at, updated_at, stock) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, 0) RETURNING id";
    bind_all(sqlx::query_scalar(sql), &details_args(details, now))
        .fetch_one(&mut **tx)
        .await
        .unique_means(DomainError::CodeTaken)
        // The category was deleted a moment ago.
        .foreign_key_means(DomainError::CategoryNotFound)
}

/// Sets the details of an active product. Returns false when there is none.
pub async fn update(tx: &mut Tx, id: i64, details: &ProductDetails, now: Timestamp) -> Result<bool> {
    let sql = "UPDATE products SET name = $1, search_key = $2, code = $3, description = $4, price_cents = $5, \
               min_stock = $6, category_id = $7, updated_at = $8 WHERE id = $9 AND archived_at IS NULL";
    let mut args = details_args(details, now);
    args.push(Arg::Int(id));
    let result = bind_all(sqlx::query(sql), &args)
        .execute(&mut **tx)
        .await
        .unique_means(DomainError::CodeTaken)
        .foreign_key_means(DomainError::CategoryNotFound)?;
    Ok(result.rows_affected() == 1)
}

/// Archives an active product. Returns false when there is no such active product.
pub async fn archive<'c>(ex: impl AnyExecutor<'c>, id: i64, now: Timestamp) -> Result<bool> {
    let result =
        sqlx::query("UPDATE products SET archived_at = $2, updated_at = $2 WHERE id = $1 AND archived_at IS NULL")
            .bind(id)
            .bind(now.micros())
            .execute(ex)
            .await?;
    Ok(result.rows_affected() == 1)
}
