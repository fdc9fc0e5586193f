//! All SQL that touches products and their stock. Stock only ever changes through a
//! conditional update that cannot take it below zero.

use sqlx::{AnyExecutor, AssertSqlSafe, Row};

use super::{Arg, Backend, Tx, bind_all, limit_offset, placeholders};
use crate::domain::catalog::{MAX_STOCK, Product};
use crate::domain::money::Money;
use crate::domain::page::PageRequest;
use crate::domain::text::contains_pattern;
use crate::domain::time::Timestamp;

macro_rules! select_product {
    () => {
        "SELECT p.id, p.name, p.description, p.price_cents, p.stock, p.category_id, \
         c.name AS category_name, p.created_at, p.code, p.min_stock, p.updated_at \
         FROM products p LEFT JOIN categories c ON c.id = p.category_id"
    };
}

/// Which products a listing shows. Archived products never appear.
#[derive(Debug, Default, Clone, PartialEq, Eq, Hash)]
pub struct ProductFilter {
    /// Already normalized with `search_key`: matched anywhere in the name or code.
    pub search: Option<String>,
    pub category_id: Option<i64>,
    /// Exact code (what a barcode scanner reads).
    pub code: Option<String>,
    pub low_stock: bool,
}

impl ProductFilter {
    fn where_clause(&self) -> (String, Vec<Arg>) {
        let mut conditions = vec!["p.archived_at IS NULL".to_string()];
        let mut args = Vec::new();
        if let Some(search) = &self.search {
            args.push(Arg::Text(contains_pattern(search)));
            // A cast, for the reason in `limit_offset`: SQLite looks at a bare bound pattern.
            conditions.push(format!("p.search_key LIKE CAST(${} AS TEXT) ESCAPE '\\'", args.len()));
        }
        if let Some(category_id) = self.category_id {
            args.push(Arg::Int(category_id));
            conditions.push(format!("p.category_id = ${}", args.len()));
        }
        if let Some(code) = &self.code {
            args.push(Arg::Text(code.clone()));
            conditions.push(format!("p.code = ${}", args.len()));
        }
        if self.low_stock {
            conditions.push("p.stock <= p.min_stock".to_string());
        }
        (conditions.join(" AND "), args)
    }
}

pub async fn list<'c>(
    ex: impl AnyExecutor<'c> + Copy,
    filter: &ProductFilter,
    page: PageRequest,
) -> sqlx::Result<(Vec<Product>, i64)> {
    let (conditions, mut args) = filter.where_clause();
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
pub async fn get<'c>(ex: impl AnyExecutor<'c>, id: i64) -> sqlx::Result<Option<Product>> {
    sqlx::query_as(concat!(select_product!(), " WHERE p.id = $1 AND p.archived_at IS NULL"))
        .bind(id)
        .fetch_optional(ex)
        .await
}

/// The fields of a product that an edit sets (stock changes separately).
#[derive(Debug, Clone)]
pub struct ProductFields {
    pub name: String,
    pub search_key: String,
    pub code: Option<String>,
    pub description: Option<String>,
    pub price: Money,
    pub min_stock: i64,
    pub category_id: i64,
}

pub async fn insert(tx: &mut Tx, fields: &ProductFields, stock: i64, now: Timestamp) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO products (name, search_key, code, description, price_cents, stock, min_stock, category_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(&fields.name)
    .bind(&fields.search_key)
    .bind(&fields.code)
    .bind(&fields.description)
    .bind(fields.price.cents())
    .bind(stock)
    .bind(fields.min_stock)
    .bind(fields.category_id)
    .bind(now.micros())
    .fetch_one(&mut **tx)
    .await
}

/// Sets every field but the stock. Returns false when there is no such active product.
pub async fn update(tx: &mut Tx, id: i64, fields: &ProductFields, now: Timestamp) -> sqlx::Result<bool> {
    let result = sqlx::query(
        "UPDATE products SET name = $2, search_key = $3, code = $4, description = $5, price_cents = $6, \
         min_stock = $7, category_id = $8, updated_at = $9 WHERE id = $1 AND archived_at IS NULL",
    )
    .bind(id)
    .bind(&fields.name)
    .bind(&fields.search_key)
    .bind(&fields.code)
    .bind(&fields.description)
    .bind(fields.price.cents())
    .bind(fields.min_stock)
    .bind(fields.category_id)
    .bind(now.micros())
    .execute(&mut **tx)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Sets the stock to a counted value. Returns false when there is no such active product.
pub async fn set_stock<'c>(ex: impl AnyExecutor<'c>, id: i64, stock: i64, now: Timestamp) -> sqlx::Result<bool> {
    let result = sqlx::query("UPDATE products SET stock = $2, updated_at = $3 WHERE id = $1 AND archived_at IS NULL")
        .bind(id)
        .bind(stock)
        .bind(now.micros())
        .execute(ex)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Adds `delta` (negative to remove) to the stock, only if the result stays within 0..=MAX.
/// Returns false when that is not possible or there is no such active product.
pub async fn adjust_stock<'c>(ex: impl AnyExecutor<'c>, id: i64, delta: i64, now: Timestamp) -> sqlx::Result<bool> {
    let result = sqlx::query(
        "UPDATE products SET stock = stock + $2, updated_at = $3 \
         WHERE id = $1 AND archived_at IS NULL AND stock + $2 >= 0 AND stock + $2 <= $4",
    )
    .bind(id)
    .bind(delta)
    .bind(now.micros())
    .bind(MAX_STOCK)
    .execute(ex)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Takes the units of each line from active products that have that many in stock, in one
/// statement, and returns the name and price of each product it took from, at this moment. A
/// line missing from the answer was not taken (unknown, archived, or not enough stock): the
/// caller must then roll back. `lines` are (product id, quantity), each product once.
pub async fn take_stock(
    tx: &mut Tx,
    backend: Backend,
    lines: &[(i64, i64)],
) -> sqlx::Result<Vec<(i64, String, Money)>> {
    let mut args = Vec::with_capacity(2 * lines.len());
    for &(id, quantity) in lines {
        args.extend([Arg::Int(id), Arg::Int(quantity)]);
    }
    if backend == Backend::Postgres && lines.len() > 1 {
        // Concurrent sales lock their rows in id order, so that they cannot deadlock.
        let sql =
            format!("SELECT id FROM products WHERE id IN ({}) ORDER BY id FOR UPDATE", placeholders(1, lines.len()));
        let ids: Vec<Arg> = lines.iter().map(|&(id, _)| Arg::Int(id)).collect();
        bind_all(sqlx::query(AssertSqlSafe(sql)), &ids).execute(&mut **tx).await?;
    }
    let ids: Vec<String> = (0..lines.len()).map(|i| format!("${}", 1 + 2 * i)).collect();
    let quantity_of: String = (0..lines.len()).map(|i| format!(" WHEN ${} THEN ${}", 1 + 2 * i, 2 + 2 * i)).collect();
    let sql = format!(
        "UPDATE products SET stock = stock - CASE id{quantity_of} END \
         WHERE id IN ({}) AND archived_at IS NULL AND stock >= CASE id{quantity_of} END \
         RETURNING id, name, price_cents",
        ids.join(", ")
    );
    bind_all(sqlx::query_as::<_, (i64, String, i64)>(AssertSqlSafe(sql)), &args)
        .fetch_all(&mut **tx)
        .await
        .map(|rows| rows.into_iter().map(|(id, name, cents)| (id, name, Money::from_cents(cents))).collect())
}

/// Name and stock of an active product.
pub async fn live_stock<'c>(ex: impl AnyExecutor<'c>, id: i64) -> sqlx::Result<Option<(String, i64)>> {
    let row = sqlx::query("SELECT name, stock FROM products WHERE id = $1 AND archived_at IS NULL")
        .bind(id)
        .fetch_optional(ex)
        .await?;
    row.map(|r| Ok((r.try_get("name")?, r.try_get("stock")?))).transpose()
}

/// Archives an active product. Returns false when there is no such active product.
pub async fn archive<'c>(ex: impl AnyExecutor<'c>, id: i64, now: Timestamp) -> sqlx::Result<bool> {
    let result =
        sqlx::query("UPDATE products SET archived_at = $2, updated_at = $2 WHERE id = $1 AND archived_at IS NULL")
            .bind(id)
            .bind(now.micros())
            .execute(ex)
            .await?;
    Ok(result.rows_affected() == 1)
}
