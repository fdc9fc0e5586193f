//! All SQL that reads and writes sales and their items.

use std::collections::HashMap;

use sqlx::any::AnyRow;
use sqlx::{AnyExecutor, AnyPool, AssertSqlSafe, FromRow, Row};

use super::{Arg, Enforces, Result, Tx, bind_all, limit_offset, placeholders};
use crate::domain::DomainError;
use crate::domain::money::Money;
use crate::domain::page::PageRequest;
use crate::domain::sales::{PaymentMethod, Sale, SaleItem, SalesFilter, SoldLine};
use crate::domain::time::Timestamp;

macro_rules! sale_columns {
    () => {
        "SELECT s.id, s.user_id, u.username AS user_username, s.total_cents, s.created_at, s.payment_method"
    };
}

macro_rules! select_sale {
    () => {
        concat!(sale_columns!(), " FROM sales s JOIN users u ON u.id = s.user_id")
    };
}

impl FromRow<'_, AnyRow> for SaleItem {
    fn from_row(row: &AnyRow) -> sqlx::Result<SaleItem> {
        Ok(SaleItem {
            id: row.try_get("id")?,
            sale_id: row.try_get("sale_id")?,
            product_id: row.try_get("product_id")?,
            product_name: row.try_get("product_name")?,
            quantity: row.try_get("quantity")?,
            price_at_sale: Money::from_cents(row.try_get("price_cents")?),
        })
    }
}

impl FromRow<'_, AnyRow> for Sale {
    fn from_row(row: &AnyRow) -> sqlx::Result<Sale> {
        let payment: Option<String> = row.try_get("payment_method")?;
        Ok(Sale {
            id: row.try_get("id")?,
            user_id: row.try_get("user_id")?,
            user_username: row.try_get("user_username")?,
            total_amount: Money::from_cents(row.try_get("total_cents")?),
            timestamp: Timestamp::from_micros(row.try_get("created_at")?),
            payment_method: payment.as_deref().and_then(PaymentMethod::parse),
            items: Vec::new(),
        })
    }
}

/// The conditions and arguments of a sales listing.
fn where_clause(filter: &SalesFilter) -> (String, Vec<Arg>) {
    let mut conditions = Vec::new();
    let mut args = Vec::new();
    if let Some(from) = filter.from {
        args.push(Arg::Int(from.micros()));
        conditions.push(format!("s.created_at >= ${}", args.len()));
    }
    if let Some(until) = filter.until {
        args.push(Arg::Int(until.micros()));
        conditions.push(format!("s.created_at < ${}", args.len()));
    }
    if let Some(user_id) = filter.user_id {
        args.push(Arg::Int(user_id));
        conditions.push(format!("s.user_id = ${}", args.len()));
    }
    let clause = if conditions.is_empty() { String::new() } else { format!(" WHERE {}", conditions.join(" AND ")) };
    (clause, args)
}

/// An idempotency key as stored with the sale it made: the key, and the fingerprint of the
/// request that made it.
#[derive(Debug, Clone, Copy)]
pub struct KeyedRequest<'a> {
    pub key: &'a str,
    pub fingerprint: &'a str,
}

/// Records a sale. A sale of the same user with the same idempotency key is
/// [`DomainError::IdempotencyKeyReused`].
pub async fn insert(
    tx: &mut Tx,
    user_id: i64,
    total: Money,
    payment_method: Option<PaymentMethod>,
    now: Timestamp,
    keyed: Option<KeyedRequest<'_>>,
) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO sales (user_id, total_cents, payment_method, created_at, idempotency_key, idempotency_fingerprint) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(user_id)
    .bind(total.cents())
    .bind(payment_method.map(PaymentMethod::as_str))
    .bind(now.micros())
    .bind(keyed.map(|k| k.key))
    .bind(keyed.map(|k| k.fingerprint))
    .fetch_one(&mut **tx)
    .await
    .unique_means(DomainError::IdempotencyKeyReused)
}

/// The sale a user made with an idempotency key, with the fingerprint of the request that made
/// it (None for sales recorded before fingerprints were kept).
pub async fn find_by_idempotency_key(
    pool: &AnyPool,
    user_id: i64,
    key: &str,
) -> Result<Option<(Sale, Option<String>)>> {
    let row = sqlx::query(concat!(
        sale_columns!(),
        ", s.idempotency_fingerprint FROM sales s JOIN users u ON u.id = s.user_id \
         WHERE s.user_id = $1 AND s.idempotency_key = $2"
    ))
    .bind(user_id)
    .bind(key)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let fingerprint: Option<String> = row.try_get("idempotency_fingerprint")?;
    let sale = with_items(pool, vec![Sale::from_row(&row)?]).await?.pop().ok_or(sqlx::Error::RowNotFound)?;
    Ok(Some((sale, fingerprint)))
}

/// Frees an expired idempotency key: the sale keeps everything else.
pub async fn forget_idempotency_key(tx: &mut Tx, sale_id: i64) -> Result<()> {
    sqlx::query("UPDATE sales SET idempotency_key = NULL, idempotency_fingerprint = NULL WHERE id = $1")
        .bind(sale_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Writes the items of a sale in one statement. `lines` name each product once.
pub async fn insert_items(tx: &mut Tx, sale_id: i64, lines: &[SoldLine]) -> Result<Vec<SaleItem>> {
    let values: Vec<String> = (0..lines.len()).map(|i| format!("($1, {})", placeholders(2 + 4 * i, 4))).collect();
    let sql = format!(
        "INSERT INTO sale_items (sale_id, product_id, product_name, quantity, price_cents) VALUES {} \
         RETURNING id, product_id",
        values.join(", ")
    );
    let mut args = vec![Arg::Int(sale_id)];
    for line in lines {
        args.extend([
            Arg::Int(line.product_id),
            Arg::Text(line.product_name.clone()),
            Arg::Int(line.quantity),
            Arg::Int(line.price.cents()),
        ]);
    }
    let ids: HashMap<i64, i64> = bind_all(sqlx::query_as::<_, (i64, i64)>(AssertSqlSafe(sql)), &args)
        .fetch_all(&mut **tx)
        .await?
        .into_iter()
        .map(|(id, product_id)| (product_id, id))
        .collect();
    lines
        .iter()
        .map(|line| {
            Ok(SaleItem {
                id: *ids.get(&line.product_id).ok_or(sqlx::Error::RowNotFound)?,
                sale_id,
                product_id: line.product_id,
                product_name: line.product_name.clone(),
                quantity: line.quantity,
                price_at_sale: line.price,
            })
        })
        .collect()
}

pub async fn get(pool: &AnyPool, id: i64) -> Result<Option<Sale>> {
    let sale: Option<Sale> =
        sqlx::query_as(concat!(select_sale!(), " WHERE s.id = $1")).bind(id).fetch_optional(pool).await?;
    with_items(pool, sale.into_iter().collect()).await.map(|mut sales| sales.pop())
}

/// A page of sales, newest first, with their items.
pub async fn list(pool: &AnyPool, filter: &SalesFilter, page: PageRequest) -> Result<Vec<Sale>> {
    let (clause, mut args) = where_clause(filter);
    args.push(Arg::Int(page.per_page));
    args.push(Arg::Int(page.offset()));
    let sql = format!(
        concat!(select_sale!(), "{} ORDER BY s.created_at DESC, s.id DESC{}"),
        clause,
        limit_offset(args.len() - 1)
    );
    let sales = bind_all(sqlx::query_as(AssertSqlSafe(sql)), &args).fetch_all(pool).await?;
    with_items(pool, sales).await
}

/// Every sale of the filter, oldest first, with items (for exports).
pub async fn all(pool: &AnyPool, filter: &SalesFilter) -> Result<Vec<Sale>> {
    let (clause, args) = where_clause(filter);
    let sql = format!(concat!(select_sale!(), "{} ORDER BY s.created_at, s.id"), clause);
    let sales: Vec<Sale> = bind_all(sqlx::query_as(AssertSqlSafe(sql)), &args).fetch_all(pool).await?;
    let mut with = Vec::with_capacity(sales.len());
    let mut chunks = sales.into_iter().peekable();
    while chunks.peek().is_some() {
        let chunk: Vec<Sale> = chunks.by_ref().take(500).collect();
        with.extend(with_items(pool, chunk).await?);
    }
    Ok(with)
}

/// Count and sum of the sales of a filter, read from the sales themselves.
pub async fn count_and_sum<'c>(ex: impl AnyExecutor<'c>, filter: &SalesFilter) -> Result<(i64, Money)> {
    let (clause, args) = where_clause(filter);
    let sql = format!("SELECT COUNT(*), CAST(COALESCE(SUM(s.total_cents), 0) AS BIGINT) FROM sales s{clause}");
    let (count, sum): (i64, i64) = bind_all(sqlx::query_as(AssertSqlSafe(sql)), &args).fetch_one(ex).await?;
    Ok((count, Money::from_cents(sum)))
}

/// Fills in the items of each sale with one query.
async fn with_items(pool: &AnyPool, mut sales: Vec<Sale>) -> Result<Vec<Sale>> {
    if sales.is_empty() {
        return Ok(sales);
    }
    let sql = format!(
        "SELECT id, sale_id, product_id, product_name, quantity, price_cents FROM sale_items \
         WHERE sale_id IN ({}) ORDER BY sale_id, id",
        placeholders(1, sales.len())
    );
    let args: Vec<Arg> = sales.iter().map(|s| Arg::Int(s.id)).collect();
    let items: Vec<SaleItem> = bind_all(sqlx::query_as(AssertSqlSafe(sql)), &args).fetch_all(pool).await?;
    for item in items {
        if let Some(sale) = sales.iter_mut().find(|s| s.id == item.sale_id) {
            sale.items.push(item);
        }
    }
    Ok(sales)
}
