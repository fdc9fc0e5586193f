//! All SQL that reads and writes sales and their items.

use std::collections::HashMap;

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyExecutor, AnyPool, AssertSqlSafe, FromRow, Row};

use super::{Arg, Backend, Enforces, Error, Result, Tx, bind_all, limit_offset, placeholders};
use crate::domain::DomainError;
use crate::domain::catalog::Unit;
use crate::domain::checkout::{Payment, Priced, Settled};
use crate::domain::customers::Document;
use crate::domain::money::Money;
use crate::domain::page::PageRequest;
use crate::domain::sales::{
    Cancellation, PaymentMethod, ReturnedItem, ReviewReason, Reviewed, Sale, SaleCustomer, SaleItem, SaleReturn,
    SaleStatus, SalesFilter, SoldLine,
};
use crate::domain::time::Timestamp;

macro_rules! sale_columns {
    () => {
        "SELECT s.id, s.user_id, u.username AS user_username, s.total_cents, s.created_at, s.payment_method, \
         s.subtotal_cents, s.discount_cents, s.change_cents, s.refunded_cents, s.status, s.cancelled_at, \
         s.cancel_reason, s.cash_session_id, c.username AS cancelled_by_username, \
         a.username AS approved_by_username, s.customer_id, cu.name AS customer_name, cu.document AS customer_document, \
         s.client_id, COALESCE(s.received_at, s.created_at) AS received_at, s.review, s.reviewed_at, \
         r.username AS reviewed_by_username, s.store_id, st.name AS store_name"
    };
}

macro_rules! sale_tables {
    () => {
        " FROM sales s JOIN users u ON u.id = s.user_id LEFT JOIN users c ON c.id = s.cancelled_by \
         LEFT JOIN users a ON a.id = s.discount_approved_by LEFT JOIN customers cu ON cu.id = s.customer_id \
         LEFT JOIN users r ON r.id = s.reviewed_by JOIN stores st ON st.id = s.store_id"
    };
}

macro_rules! select_sale {
    () => {
        concat!(sale_columns!(), sale_tables!())
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
            unit: super::products::unit(row.try_get("unit")?)?,
            price_at_sale: Money::from_cents(row.try_get("price_cents")?),
            discount: Money::from_cents(row.try_get("discount_cents")?),
            net: Money::from_cents(row.try_get("net_cents")?),
            returned_quantity: row.try_get("returned_quantity")?,
        })
    }
}

impl FromRow<'_, AnyRow> for Sale {
    fn from_row(row: &AnyRow) -> sqlx::Result<Sale> {
        let payment: Option<String> = row.try_get("payment_method")?;
        let cents = |column: &str| row.try_get::<i64, _>(column).map(Money::from_cents);
        let status: String = row.try_get("status")?;
        let cancelled_at: Option<i64> = row.try_get("cancelled_at")?;
        let cancellation = match cancelled_at {
            Some(at) => Some(Cancellation {
                at: Timestamp::from_micros(at),
                by: row.try_get::<Option<String>, _>("cancelled_by_username")?.unwrap_or_default(),
                reason: row.try_get::<Option<String>, _>("cancel_reason")?.unwrap_or_default(),
            }),
            None => None,
        };
        Ok(Sale {
            id: row.try_get("id")?,
            user_id: row.try_get("user_id")?,
            user_username: row.try_get("user_username")?,
            total_amount: cents("total_cents")?,
            timestamp: Timestamp::from_micros(row.try_get("created_at")?),
            payment_method: payment.as_deref().and_then(PaymentMethod::parse),
            items: Vec::new(),
            subtotal: cents("subtotal_cents")?,
            discount: cents("discount_cents")?,
            change: cents("change_cents")?,
            refunded: cents("refunded_cents")?,
            status: SaleStatus::parse(&status).ok_or_else(|| sqlx::Error::Decode(format!("status {status}").into()))?,
            payments: Vec::new(),
            cancellation,
            discount_approved_by: row.try_get("approved_by_username")?,
            cash_session_id: row.try_get("cash_session_id")?,
            store_id: row.try_get("store_id")?,
            store_name: row.try_get("store_name")?,
            returns: Vec::new(),
            customer: match row.try_get::<Option<i64>, _>("customer_id")? {
                Some(id) => Some(SaleCustomer {
                    id,
                    name: row.try_get::<Option<String>, _>("customer_name")?.unwrap_or_default(),
                    document: row.try_get::<Option<String>, _>("customer_document")?.map(Document::stored),
                }),
                None => None,
            },
            client_id: row.try_get("client_id")?,
            received_at: Timestamp::from_micros(row.try_get("received_at")?),
            review: ReviewReason::split(row.try_get::<Option<String>, _>("review")?.as_deref()),
            reviewed: match row.try_get::<Option<i64>, _>("reviewed_at")? {
                Some(at) => Some(Reviewed {
                    at: Timestamp::from_micros(at),
                    by: row.try_get::<Option<String>, _>("reviewed_by_username")?.unwrap_or_default(),
                }),
                None => None,
            },
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
    if let Some(customer_id) = filter.customer_id {
        args.push(Arg::Int(customer_id));
        conditions.push(format!("s.customer_id = ${}", args.len()));
    }
    if let Some(store_id) = filter.store_id {
        args.push(Arg::Int(store_id));
        conditions.push(format!("s.store_id = ${}", args.len()));
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

/// A sale to record, once priced and settled.
#[derive(Debug)]
pub struct SaleToRecord<'a> {
    pub user_id: i64,
    pub priced: &'a Priced,
    pub settled: &'a Settled,
    pub approved_by: Option<i64>,
    pub cash_session_id: Option<i64>,
    pub customer_id: Option<i64>,
    /// When it was made.
    pub at: Timestamp,
    /// When the server records it (later than `at` for a sale made offline).
    pub received_at: Timestamp,
    pub keyed: Option<KeyedRequest<'a>>,
    pub client_id: Option<&'a str>,
    pub review: &'a [ReviewReason],
    pub store_id: i64,
}

/// Records a sale and its payments. A sale of the same user with the same idempotency key is
/// [`DomainError::IdempotencyKeyReused`]; a sale with the same client id,
/// [`DomainError::ClientIdRecorded`].
pub async fn insert(tx: &mut Tx, sale: &SaleToRecord<'_>) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO sales (user_id, total_cents, payment_method, created_at, idempotency_key, idempotency_fingerprint, \
         subtotal_cents, discount_cents, change_cents, discount_approved_by, cash_session_id, customer_id, client_id, \
         received_at, review, store_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
    )
    .bind(sale.user_id)
    .bind(sale.priced.total.cents())
    .bind(sale.settled.method.map(PaymentMethod::as_str))
    .bind(sale.at.micros())
    .bind(sale.keyed.map(|k| k.key))
    .bind(sale.keyed.map(|k| k.fingerprint))
    .bind(sale.priced.subtotal.cents())
    .bind(sale.priced.discount.cents())
    .bind(sale.settled.change.cents())
    .bind(sale.approved_by)
    .bind(sale.cash_session_id)
    .bind(sale.customer_id)
    .bind(sale.client_id)
    .bind(sale.received_at.micros())
    .bind(ReviewReason::join(sale.review))
    .bind(sale.store_id)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| match &e {
        // Both unique indexes of sales are answered with the sale already there; which one it was
        // is in the message on SQLite and in the constraint's name on PostgreSQL.
        sqlx::Error::Database(d)
            if d.is_unique_violation()
                && (d.constraint() == Some("sales_client_id") || d.message().contains("client_id")) =>
        {
            Error::Refused(DomainError::ClientIdRecorded)
        }
        _ => Error::from(e),
    })
    .unique_means(DomainError::IdempotencyKeyReused)?;
    let payments = &sale.settled.payments;
    if !payments.is_empty() {
        let values: Vec<String> =
            (0..payments.len()).map(|i| format!("($1, $2, {})", placeholders(3 + 3 * i, 3))).collect();
        let sql = format!(
            "INSERT INTO sale_payments (sale_id, store_id, method, amount_cents, tendered_cents) VALUES {}",
            values.join(", ")
        );
        let mut args = vec![Arg::Int(id), Arg::Int(sale.store_id)];
        for p in payments {
            args.extend([
                Arg::Text(p.method.as_str().into()),
                Arg::Int(p.amount.cents()),
                Arg::MaybeInt(p.tendered.map(Money::cents)),
            ]);
        }
        bind_all(sqlx::query(AssertSqlSafe(sql)), &args).execute(&mut **tx).await?;
    }
    Ok(id)
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
        ", s.idempotency_fingerprint",
        sale_tables!(),
        " WHERE s.user_id = $1 AND s.idempotency_key = $2"
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

/// The sale a terminal recorded with `client_id`.
pub async fn find_by_client_id(pool: &AnyPool, client_id: &str) -> Result<Option<Sale>> {
    let sale: Option<Sale> =
        sqlx::query_as(concat!(select_sale!(), " WHERE s.client_id = $1")).bind(client_id).fetch_optional(pool).await?;
    with_items(pool, sale.into_iter().collect()).await.map(|mut sales| sales.pop())
}

/// Marks a flagged sale as looked at; false when it had nothing to review or already was.
pub async fn mark_reviewed(tx: &mut Tx, sale_id: i64, by: i64, at: Timestamp) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE sales SET reviewed_at = $2, reviewed_by = $3 WHERE id = $1 AND review IS NOT NULL AND reviewed_at IS NULL",
    )
    .bind(sale_id)
    .bind(at.micros())
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The flagged sales nobody has looked at yet, newest first (at most `limit`).
pub async fn to_review(pool: &AnyPool, limit: i64) -> Result<Vec<Sale>> {
    let sales = sqlx::query_as(concat!(
        select_sale!(),
        " WHERE s.review IS NOT NULL AND s.reviewed_at IS NULL ORDER BY s.id DESC LIMIT CAST($1 AS BIGINT)"
    ))
    .bind(limit)
    .fetch_all(pool)
    .await?;
    with_items(pool, sales).await
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
pub async fn insert_items(tx: &mut Tx, sale_id: i64, store_id: i64, lines: &[SoldLine]) -> Result<Vec<SaleItem>> {
    let values: Vec<String> = (0..lines.len()).map(|i| format!("($1, $2, {})", placeholders(3 + 8 * i, 8))).collect();
    let sql = format!(
        "INSERT INTO sale_items (sale_id, store_id, product_id, product_name, quantity, price_cents, discount_cents, net_cents, \
         unit, cost_cents) \
         VALUES {} RETURNING id, product_id",
        values.join(", ")
    );
    let mut args = vec![Arg::Int(sale_id), Arg::Int(store_id)];
    for line in lines {
        args.extend([
            Arg::Int(line.product_id),
            Arg::Text(line.product_name.clone()),
            Arg::Int(line.quantity),
            Arg::Int(line.price.cents()),
            Arg::Int(line.discount.cents()),
            Arg::Int(line.net.cents()),
            Arg::Text(line.unit.as_str().into()),
            Arg::MaybeInt(line.unit_cost.map(Money::cents)),
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
                unit: line.unit,
                price_at_sale: line.price,
                discount: line.discount,
                net: line.net,
                returned_quantity: 0,
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

/// Up to `limit` sales of a filter after `after` (time, id), oldest first, with their items
/// (not their payments nor returns). The items come in the sale's row, as a JSON array: one row
/// per sale instead of four, which makes an export about twice as fast on SQLite, whose driver
/// hands every row over from its own thread (measured in docs/performance.md).
pub async fn part(
    conn: &mut AnyConnection,
    backend: Backend,
    filter: &SalesFilter,
    after: Option<(Timestamp, i64)>,
    limit: i64,
) -> Result<Vec<Sale>> {
    let (clause, mut args) = where_clause(filter);
    let mut clause = if clause.is_empty() { " WHERE 1 = 1".to_string() } else { clause };
    if let Some((at, id)) = after {
        args.extend([Arg::Int(at.micros()), Arg::Int(id)]);
        let (a, b) = (args.len() - 1, args.len());
        // A row value: both databases read the index from there (PostgreSQL would filter an OR).
        clause.push_str(&format!(" AND (s.created_at, s.id) > (${a}, ${b})"));
    }
    args.push(Arg::Int(limit));
    let (array, row) = match backend {
        Backend::Sqlite => ("json_group_array", "json_array"),
        Backend::Postgres => ("json_agg", "json_build_array"),
    };
    let sql = format!(
        concat!(
            sale_columns!(),
            ", (SELECT CAST({}({}(i.id, i.product_id, i.product_name, i.quantity, i.price_cents, i.discount_cents, \
             i.net_cents, i.returned_quantity, i.unit)) AS TEXT) FROM sale_items i WHERE i.sale_id = s.id) AS items",
            sale_tables!(),
            "{} ORDER BY s.created_at, s.id LIMIT CAST(${} AS BIGINT)"
        ),
        array,
        row,
        clause,
        args.len()
    );
    let rows = bind_all(sqlx::query(AssertSqlSafe(sql)), &args).fetch_all(&mut *conn).await?;
    let mut sales = Vec::with_capacity(rows.len());
    for row in rows {
        let mut sale = Sale::from_row(&row)?;
        let items: Option<String> = row.try_get("items")?;
        type Item = (i64, i64, String, i64, i64, i64, i64, i64, String);
        let items: Vec<Item> = serde_json::from_str(items.as_deref().unwrap_or("[]"))
            .map_err(|e| sqlx::Error::Decode(format!("itens da venda {}: {e}", sale.id).into()))?;
        for (id, product_id, product_name, quantity, price, discount, net, returned_quantity, unit) in items {
            sale.items.push(SaleItem {
                id,
                sale_id: sale.id,
                product_id,
                product_name,
                quantity,
                unit: super::products::unit(unit)?,
                price_at_sale: Money::from_cents(price),
                discount: Money::from_cents(discount),
                net: Money::from_cents(net),
                returned_quantity,
            });
        }
        sale.items.sort_by_key(|item| item.id);
        sales.push(sale);
    }
    Ok(sales)
}

/// Count (cancelled sales too: a listing shows them) and sum (of what the sales that stand
/// kept after their returns) of the sales of a filter, read from the sales themselves.
pub async fn count_and_sum<'c>(ex: impl AnyExecutor<'c>, filter: &SalesFilter) -> Result<(i64, Money)> {
    let (clause, args) = where_clause(filter);
    let sql = format!(
        "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN s.status = 'concluida' THEN s.total_cents - s.refunded_cents END), \
         0) AS BIGINT) FROM sales s{clause}"
    );
    let (count, sum): (i64, i64) = bind_all(sqlx::query_as(AssertSqlSafe(sql)), &args).fetch_one(ex).await?;
    Ok((count, Money::from_cents(sum)))
}

/// Fills in the items of each sale, with one query.
async fn add_items(conn: &mut AnyConnection, sales: &mut [Sale]) -> Result<()> {
    if sales.is_empty() {
        return Ok(());
    }
    let ids = placeholders(1, sales.len());
    let args: Vec<Arg> = sales.iter().map(|s| Arg::Int(s.id)).collect();
    let index: HashMap<i64, usize> = sales.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
    let sql = format!(
        "SELECT id, sale_id, product_id, product_name, quantity, price_cents, discount_cents, net_cents, \
         returned_quantity, unit FROM sale_items WHERE sale_id IN ({ids}) ORDER BY sale_id, id"
    );
    let items: Vec<SaleItem> = bind_all(sqlx::query_as(AssertSqlSafe(sql)), &args).fetch_all(&mut *conn).await?;
    for item in items {
        sales[index[&item.sale_id]].items.push(item);
    }
    Ok(())
}

/// Fills in the items, payments and returns of each sale, with one query each.
async fn with_items(pool: &AnyPool, mut sales: Vec<Sale>) -> Result<Vec<Sale>> {
    if sales.is_empty() {
        return Ok(sales);
    }
    add_items(&mut *pool.acquire().await?, &mut sales).await?;
    let ids = placeholders(1, sales.len());
    let args: Vec<Arg> = sales.iter().map(|s| Arg::Int(s.id)).collect();
    let index: HashMap<i64, usize> = sales.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
    let sql = format!(
        "SELECT sale_id, method, amount_cents, tendered_cents FROM sale_payments WHERE sale_id IN ({ids}) \
         ORDER BY sale_id, id"
    );
    for row in bind_all(sqlx::query(AssertSqlSafe(sql)), &args).fetch_all(pool).await? {
        let method: String = row.try_get("method")?;
        let payment = Payment {
            method: PaymentMethod::parse(&method).ok_or_else(|| sqlx::Error::Decode(method.into()))?,
            amount: Money::from_cents(row.try_get("amount_cents")?),
            tendered: row.try_get::<Option<i64>, _>("tendered_cents")?.map(Money::from_cents),
        };
        sales[index[&row.try_get::<i64, _>("sale_id")?]].payments.push(payment);
    }
    let refunded: Vec<usize> =
        sales.iter().enumerate().filter(|(_, s)| s.refunded > Money::ZERO || has_returns(s)).map(|(i, _)| i).collect();
    if !refunded.is_empty() {
        let ids: Vec<i64> = refunded.iter().map(|&i| sales[i].id).collect();
        for sale_return in returns_of(pool, &ids).await? {
            sales[index[&sale_return.sale_id]].returns.push(sale_return);
        }
    }
    Ok(sales)
}

/// Whether any of a sale's items came back (a return of a fully discounted line refunds
/// nothing and is still a return).
fn has_returns(sale: &Sale) -> bool {
    sale.items.iter().any(|i| i.returned_quantity > 0)
}

/// The returns of some sales, oldest first, with their items.
pub async fn returns_of(pool: &AnyPool, sale_ids: &[i64]) -> Result<Vec<SaleReturn>> {
    let sql = format!(
        "SELECT r.id, r.sale_id, r.user_id, u.username, r.reason, r.refund_method, r.refund_cents, r.cash_session_id, \
         r.created_at FROM sale_returns r JOIN users u ON u.id = r.user_id WHERE r.sale_id IN ({}) ORDER BY r.id",
        placeholders(1, sale_ids.len())
    );
    let args: Vec<Arg> = sale_ids.iter().map(|id| Arg::Int(*id)).collect();
    let mut returns = Vec::new();
    for row in bind_all(sqlx::query(AssertSqlSafe(sql)), &args).fetch_all(pool).await? {
        let method: String = row.try_get("refund_method")?;
        returns.push(SaleReturn {
            id: row.try_get("id")?,
            sale_id: row.try_get("sale_id")?,
            user_id: row.try_get("user_id")?,
            user_username: row.try_get("username")?,
            reason: row.try_get("reason")?,
            refund_method: PaymentMethod::parse(&method).ok_or_else(|| sqlx::Error::Decode(method.into()))?,
            refund: Money::from_cents(row.try_get("refund_cents")?),
            cash_session_id: row.try_get("cash_session_id")?,
            created_at: Timestamp::from_micros(row.try_get("created_at")?),
            items: Vec::new(),
        });
    }
    if returns.is_empty() {
        return Ok(returns);
    }
    let sql = format!(
        "SELECT return_id, sale_item_id, quantity, refund_cents FROM sale_return_items WHERE return_id IN ({}) \
         ORDER BY id",
        placeholders(1, returns.len())
    );
    let args: Vec<Arg> = returns.iter().map(|r| Arg::Int(r.id)).collect();
    let index: HashMap<i64, usize> = returns.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    for row in bind_all(sqlx::query(AssertSqlSafe(sql)), &args).fetch_all(pool).await? {
        let item = ReturnedItem {
            sale_item_id: row.try_get("sale_item_id")?,
            quantity: row.try_get("quantity")?,
            refund: Money::from_cents(row.try_get("refund_cents")?),
        };
        returns[index[&row.try_get::<i64, _>("return_id")?]].items.push(item);
    }
    Ok(returns)
}

/// A sale as a cancellation or a return finds it, under its row's lock.
#[derive(Debug)]
pub struct Locked {
    pub user_id: i64,
    pub created_at: Timestamp,
    pub total: Money,
    pub refunded: Money,
    /// Where it was sold: where its units come back.
    pub store_id: i64,
}

/// A line of a sale, for taking units back.
#[derive(Debug, Clone, Copy)]
pub struct LineState {
    pub id: i64,
    pub product_id: i64,
    pub quantity: i64,
    pub net: Money,
    pub returned: i64,
    pub unit: Unit,
}

fn locked(row: &AnyRow) -> sqlx::Result<Locked> {
    Ok(Locked {
        user_id: row.try_get("user_id")?,
        created_at: Timestamp::from_micros(row.try_get("created_at")?),
        total: Money::from_cents(row.try_get("total_cents")?),
        refunded: Money::from_cents(row.try_get("refunded_cents")?),
        store_id: row.try_get("store_id")?,
    })
}

pub async fn status_of<'c>(ex: impl AnyExecutor<'c>, id: i64) -> Result<Option<SaleStatus>> {
    let status: Option<String> =
        sqlx::query_scalar("SELECT status FROM sales WHERE id = $1").bind(id).fetch_optional(ex).await?;
    Ok(status.as_deref().and_then(SaleStatus::parse))
}

/// Marks a sale that stands as cancelled. None when it is not there or already cancelled: the
/// condition decides, so that two cancellations at once cancel once.
pub async fn cancel(tx: &mut Tx, id: i64, by: i64, reason: &str, at: Timestamp) -> Result<Option<Locked>> {
    let row = sqlx::query(
        "UPDATE sales SET status = 'cancelada', cancelled_at = $2, cancelled_by = $3, cancel_reason = $4 \
         WHERE id = $1 AND status = 'concluida' RETURNING user_id, created_at, total_cents, refunded_cents, store_id",
    )
    .bind(id)
    .bind(at.micros())
    .bind(by)
    .bind(reason)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.as_ref().map(locked).transpose()?)
}

/// Locks a sale that stands, for a return (returns of one sale are made one at a time). None
/// when it is not there or was cancelled.
pub async fn lock_standing(tx: &mut Tx, id: i64) -> Result<Option<Locked>> {
    let row = sqlx::query(
        "UPDATE sales SET refunded_cents = refunded_cents WHERE id = $1 AND status = 'concluida' \
         RETURNING user_id, created_at, total_cents, refunded_cents, store_id",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.as_ref().map(locked).transpose()?)
}

pub async fn lines_of(tx: &mut Tx, sale_id: i64) -> Result<Vec<LineState>> {
    let rows = sqlx::query(
        "SELECT id, product_id, quantity, net_cents, returned_quantity, unit FROM sale_items WHERE sale_id = $1 \
         ORDER BY id",
    )
    .bind(sale_id)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(LineState {
                id: r.try_get("id")?,
                product_id: r.try_get("product_id")?,
                quantity: r.try_get("quantity")?,
                net: Money::from_cents(r.try_get("net_cents")?),
                returned: r.try_get("returned_quantity")?,
                unit: super::products::unit(r.try_get("unit")?)?,
            })
        })
        .collect()
}

/// Counts `quantity` more units of a line as returned, if that many are left: the condition
/// decides, so that concurrent returns never return more than was sold.
pub async fn mark_returned(tx: &mut Tx, item_id: i64, quantity: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE sale_items SET returned_quantity = returned_quantity + $2 \
         WHERE id = $1 AND returned_quantity + $2 <= quantity",
    )
    .bind(item_id)
    .bind(quantity)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A return to record.
#[derive(Debug)]
pub struct ReturnToRecord<'a> {
    pub sale_id: i64,
    /// The sale's store.
    pub store_id: i64,
    pub user_id: i64,
    pub reason: &'a str,
    pub refund_method: PaymentMethod,
    pub refund: Money,
    pub cash_session_id: Option<i64>,
    pub at: Timestamp,
    pub items: &'a [ReturnedItem],
}

/// Records a return and adds its refund to the sale's.
pub async fn insert_return(tx: &mut Tx, r: &ReturnToRecord<'_>) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO sale_returns (sale_id, user_id, reason, refund_method, refund_cents, cash_session_id, created_at, \
         store_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(r.sale_id)
    .bind(r.user_id)
    .bind(r.reason)
    .bind(r.refund_method.as_str())
    .bind(r.refund.cents())
    .bind(r.cash_session_id)
    .bind(r.at.micros())
    .bind(r.store_id)
    .fetch_one(&mut **tx)
    .await?;
    let values: Vec<String> = (0..r.items.len()).map(|i| format!("($1, $2, {})", placeholders(3 + 3 * i, 3))).collect();
    let sql = format!(
        "INSERT INTO sale_return_items (return_id, store_id, sale_item_id, quantity, refund_cents) VALUES {}",
        values.join(", ")
    );
    let mut args = vec![Arg::Int(id), Arg::Int(r.store_id)];
    for item in r.items {
        args.extend([Arg::Int(item.sale_item_id), Arg::Int(item.quantity), Arg::Int(item.refund.cents())]);
    }
    bind_all(sqlx::query(AssertSqlSafe(sql)), &args).execute(&mut **tx).await?;
    sqlx::query("UPDATE sales SET refunded_cents = refunded_cents + $2 WHERE id = $1")
        .bind(r.sale_id)
        .bind(r.refund.cents())
        .execute(&mut **tx)
        .await?;
    Ok(id)
}
