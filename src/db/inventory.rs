//! The only code that writes a product's stock. Every change of stock is a movement in
//! `stock_movements` — a signed quantity, the reason, the balance it left, who made it and, for
//! a sale, which sale — written in the same transaction as the change, so that a product's
//! stock is always the sum of its movements:
//!
//! - a sale takes the units of all its lines in one conditional statement ([`take_for_sale`]),
//!   never below zero, and records one movement per line ([`Taken::record`]);
//! - an administrator adds or removes units, or sets a counted stock, which is a movement of
//!   the difference ([`change`]);
//! - a new product's starting stock is its first movement ([`receive_initial`]).
//!
//! The one other place a stock value is written is a bulk load (restore, import), which puts
//! saved rows back as they were, movements included, and then proves with [`unbalanced`] that
//! every product's stock still equals the sum of its movements, or writes nothing.

use std::collections::HashMap;

use sqlx::{AnyExecutor, AssertSqlSafe, Row};

use super::{Arg, Backend, Result, Tx, bind_all, limit_offset, placeholders};
use crate::domain::DomainError;
use crate::domain::catalog::MAX_STOCK;
use crate::domain::inventory::{Movement, MovementReason, StockChange};
use crate::domain::money::Money;
use crate::domain::page::PageRequest;
use crate::domain::sales::SaleLine;
use crate::domain::time::Timestamp;

/// A line of a sale whose units were taken, and what the product was at that moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TakenLine {
    pub product_id: i64,
    pub name: String,
    pub price: Money,
    pub quantity: i64,
    /// The product's stock after the units were taken.
    pub balance: i64,
}

/// The units a sale took, in the order of its lines: their movements must be recorded with
/// [`Taken::record`] once the sale has its id, in the same transaction.
#[must_use = "the movements of the taken units must be recorded with Taken::record"]
#[derive(Debug)]
pub struct Taken(Vec<TakenLine>);

impl Taken {
    pub fn lines(&self) -> &[TakenLine] {
        &self.0
    }

    /// One movement per line, for the sale `sale_id` made by `user_id`.
    pub async fn record(self, tx: &mut Tx, sale_id: i64, user_id: i64, now: Timestamp) -> Result<()> {
        let values: Vec<String> =
            (0..self.0.len()).map(|i| format!("({}, 'venda', $1, $2, $3)", placeholders(4 + 3 * i, 3))).collect();
        let sql = format!(
            "INSERT INTO stock_movements (product_id, quantity, balance, reason, user_id, sale_id, created_at) VALUES {}",
            values.join(", ")
        );
        let mut args = vec![Arg::Int(user_id), Arg::Int(sale_id), Arg::Int(now.micros())];
        for line in &self.0 {
            args.extend([Arg::Int(line.product_id), Arg::Int(-line.quantity), Arg::Int(line.balance)]);
        }
        bind_all(sqlx::query(AssertSqlSafe(sql)), &args).execute(&mut **tx).await?;
        Ok(())
    }
}

/// Takes the units of every line (each product once) from active products that have that many,
/// in one statement, or none: a line that cannot be taken is an unknown product or missing
/// stock, and the caller must roll back. Of several such lines, the lowest product id is named.
pub async fn take_for_sale(tx: &mut Tx, backend: Backend, lines: &[SaleLine]) -> Result<Taken> {
    let mut args = Vec::with_capacity(2 * lines.len());
    for line in lines {
        args.extend([Arg::Int(line.product_id), Arg::Int(line.quantity)]);
    }
    if backend == Backend::Postgres && lines.len() > 1 {
        // Concurrent sales lock their rows in id order, so that they cannot deadlock.
        let sql =
            format!("SELECT id FROM products WHERE id IN ({}) ORDER BY id FOR UPDATE", placeholders(1, lines.len()));
        let ids: Vec<Arg> = lines.iter().map(|l| Arg::Int(l.product_id)).collect();
        bind_all(sqlx::query(AssertSqlSafe(sql)), &ids).execute(&mut **tx).await?;
    }
    let ids: Vec<String> = (0..lines.len()).map(|i| format!("${}", 1 + 2 * i)).collect();
    let quantity_of: String = (0..lines.len()).map(|i| format!(" WHEN ${} THEN ${}", 1 + 2 * i, 2 + 2 * i)).collect();
    let sql = format!(
        "UPDATE products SET stock = stock - CASE id{quantity_of} END \
         WHERE id IN ({}) AND archived_at IS NULL AND stock >= CASE id{quantity_of} END \
         RETURNING id, name, price_cents, stock",
        ids.join(", ")
    );
    let mut taken: HashMap<i64, (String, i64, i64)> =
        bind_all(sqlx::query_as::<_, (i64, String, i64, i64)>(AssertSqlSafe(sql)), &args)
            .fetch_all(&mut **tx)
            .await?
            .into_iter()
            .map(|(id, name, cents, balance)| (id, (name, cents, balance)))
            .collect();
    if let Some(missing) = lines.iter().map(|l| l.product_id).filter(|id| !taken.contains_key(id)).min() {
        return Err(match live_stock(&mut **tx, missing).await? {
            None => DomainError::UnknownProduct { product_id: missing },
            Some((name, available)) => DomainError::OutOfStock { product_id: missing, name, available },
        }
        .into());
    }
    let lines = lines
        .iter()
        .filter_map(|line| {
            let (name, cents, balance) = taken.remove(&line.product_id)?;
            Some(TakenLine {
                product_id: line.product_id,
                name,
                price: Money::from_cents(cents),
                quantity: line.quantity,
                balance,
            })
        })
        .collect();
    Ok(Taken(lines))
}

/// Units of a sale that come back — all of a cancelled sale's, or a return's — in one
/// statement, with one movement per product (`lines`: each product once, quantities > 0). The
/// product may have been archived since: its units still come back.
pub struct PutBack<'a> {
    pub lines: &'a [(i64, i64)],
    pub reason: MovementReason,
    pub user_id: i64,
    pub sale_id: i64,
    pub return_id: Option<i64>,
    pub at: Timestamp,
}

pub async fn put_back(tx: &mut Tx, backend: Backend, back: PutBack<'_>) -> Result<()> {
    let lines = back.lines;
    if lines.is_empty() {
        return Ok(());
    }
    if backend == Backend::Postgres && lines.len() > 1 {
        // The same order as a sale's locks: concurrent sales and returns cannot deadlock.
        let sql =
            format!("SELECT id FROM products WHERE id IN ({}) ORDER BY id FOR UPDATE", placeholders(1, lines.len()));
        let ids: Vec<Arg> = lines.iter().map(|(id, _)| Arg::Int(*id)).collect();
        bind_all(sqlx::query(AssertSqlSafe(sql)), &ids).execute(&mut **tx).await?;
    }
    let mut args = Vec::with_capacity(2 * lines.len() + 1);
    for (product_id, quantity) in lines {
        args.extend([Arg::Int(*product_id), Arg::Int(*quantity)]);
    }
    args.push(Arg::Int(back.at.micros()));
    let ids: Vec<String> = (0..lines.len()).map(|i| format!("${}", 1 + 2 * i)).collect();
    let quantity_of: String = (0..lines.len()).map(|i| format!(" WHEN ${} THEN ${}", 1 + 2 * i, 2 + 2 * i)).collect();
    let sql = format!(
        "UPDATE products SET stock = stock + CASE id{quantity_of} END, updated_at = ${} WHERE id IN ({}) \
         RETURNING id, stock",
        args.len(),
        ids.join(", ")
    );
    let balances: HashMap<i64, i64> = bind_all(sqlx::query_as::<_, (i64, i64)>(AssertSqlSafe(sql)), &args)
        .fetch_all(&mut **tx)
        .await?
        .into_iter()
        .collect();
    let values: Vec<String> =
        (0..lines.len()).map(|i| format!("({}, $1, $2, $3, $4, $5)", placeholders(6 + 3 * i, 3))).collect();
    let sql = format!(
        "INSERT INTO stock_movements (product_id, quantity, balance, reason, user_id, sale_id, return_id, created_at) \
         VALUES {}",
        values.join(", ")
    );
    let mut args = vec![
        Arg::Text(back.reason.as_str().into()),
        Arg::Int(back.user_id),
        Arg::Int(back.sale_id),
        Arg::MaybeInt(back.return_id),
        Arg::Int(back.at.micros()),
    ];
    for (product_id, quantity) in lines {
        let balance = *balances.get(product_id).ok_or(sqlx::Error::RowNotFound)?;
        args.extend([Arg::Int(*product_id), Arg::Int(*quantity), Arg::Int(balance)]);
    }
    bind_all(sqlx::query(AssertSqlSafe(sql)), &args).execute(&mut **tx).await?;
    Ok(())
}

/// Applies an administrator's change to an active product's stock and returns the new stock.
/// A counted stock locks the product's row, reads its stock and records the difference, so
/// that sales committed meanwhile are never lost; a change to the same value records nothing.
pub async fn change(
    tx: &mut Tx,
    backend: Backend,
    product_id: i64,
    change: StockChange,
    user_id: Option<i64>,
    now: Timestamp,
) -> Result<i64> {
    let (delta, reason) = match change {
        StockChange::Adjust(delta) => (delta, MovementReason::Adjustment),
        StockChange::CountedAs(counted) => {
            let lock = if backend == Backend::Postgres { " FOR UPDATE" } else { "" };
            let sql = format!("SELECT stock FROM products WHERE id = $1 AND archived_at IS NULL{lock}");
            let current: Option<i64> =
                sqlx::query_scalar(AssertSqlSafe(sql)).bind(product_id).fetch_optional(&mut **tx).await?;
            (counted - current.ok_or(DomainError::ProductNotFound)?, MovementReason::Count)
        }
    };
    if delta == 0 {
        return live_stock(&mut **tx, product_id)
            .await?
            .map(|(_, stock)| stock)
            .ok_or(DomainError::ProductNotFound.into());
    }
    match add(tx, product_id, delta, reason, user_id, now).await? {
        Some(balance) => Ok(balance),
        None => Err(match live_stock(&mut **tx, product_id).await? {
            None => DomainError::ProductNotFound,
            Some((_, available)) if delta < 0 => DomainError::AdjustmentBelowZero { product_id, available },
            Some((_, available)) => DomainError::StockAboveLimit { product_id, available },
        }
        .into()),
    }
}

/// The stock a product was created with, as its first movement.
pub async fn receive_initial(
    tx: &mut Tx,
    product_id: i64,
    quantity: i64,
    user_id: Option<i64>,
    now: Timestamp,
) -> Result<()> {
    if quantity != 0 {
        add(tx, product_id, quantity, MovementReason::Initial, user_id, now)
            .await?
            .ok_or(DomainError::ProductNotFound)?;
    }
    Ok(())
}

/// Adds `delta` to an active product's stock if the result stays within 0..=MAX, with its
/// movement. Returns the new stock, or None when that is not possible.
async fn add(
    tx: &mut Tx,
    product_id: i64,
    delta: i64,
    reason: MovementReason,
    user_id: Option<i64>,
    now: Timestamp,
) -> Result<Option<i64>> {
    let balance: Option<i64> = sqlx::query_scalar(
        "UPDATE products SET stock = stock + $2, updated_at = $3 \
         WHERE id = $1 AND archived_at IS NULL AND stock + $2 >= 0 AND stock + $2 <= $4 RETURNING stock",
    )
    .bind(product_id)
    .bind(delta)
    .bind(now.micros())
    .bind(MAX_STOCK)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(balance) = balance {
        sqlx::query(
            "INSERT INTO stock_movements (product_id, quantity, balance, reason, user_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(product_id)
        .bind(delta)
        .bind(balance)
        .bind(reason.as_str())
        .bind(user_id)
        .bind(now.micros())
        .execute(&mut **tx)
        .await?;
    }
    Ok(balance)
}

/// Name and stock of an active product.
async fn live_stock<'c>(ex: impl AnyExecutor<'c>, id: i64) -> Result<Option<(String, i64)>> {
    let row = sqlx::query("SELECT name, stock FROM products WHERE id = $1 AND archived_at IS NULL")
        .bind(id)
        .fetch_optional(ex)
        .await?;
    Ok(row.map(|r| Ok::<_, sqlx::Error>((r.try_get("name")?, r.try_get("stock")?))).transpose()?)
}

/// Products whose stock is not the sum of their movements: (product, stock, sum). Empty when
/// the ledger holds, as it always must.
pub async fn unbalanced<'c>(ex: impl AnyExecutor<'c>) -> Result<Vec<(i64, i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT p.id, p.stock, CAST(COALESCE(SUM(m.quantity), 0) AS BIGINT) FROM products p \
         LEFT JOIN stock_movements m ON m.product_id = p.id GROUP BY p.id, p.stock \
         HAVING p.stock <> COALESCE(SUM(m.quantity), 0) ORDER BY p.id",
    )
    .fetch_all(ex)
    .await?)
}

impl sqlx::FromRow<'_, sqlx::any::AnyRow> for Movement {
    fn from_row(row: &sqlx::any::AnyRow) -> sqlx::Result<Movement> {
        let reason: String = row.try_get("reason")?;
        Ok(Movement {
            id: row.try_get("id")?,
            product_id: row.try_get("product_id")?,
            quantity: row.try_get("quantity")?,
            balance: row.try_get("balance")?,
            reason: MovementReason::parse(&reason)
                .ok_or_else(|| sqlx::Error::Decode(format!("motivo desconhecido no banco: {reason:?}").into()))?,
            user_id: row.try_get("user_id")?,
            sale_id: row.try_get("sale_id")?,
            return_id: row.try_get("return_id")?,
            created_at: Timestamp::from_micros(row.try_get("created_at")?),
        })
    }
}

/// A page of a product's movements, newest first, and how many it has.
pub async fn movements<'c>(
    ex: impl AnyExecutor<'c> + Copy,
    product_id: i64,
    page: PageRequest,
) -> Result<(Vec<Movement>, i64)> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM stock_movements WHERE product_id = $1")
        .bind(product_id)
        .fetch_one(ex)
        .await?;
    let sql = format!(
        "SELECT id, product_id, quantity, balance, reason, user_id, sale_id, return_id, created_at FROM stock_movements \
         WHERE product_id = $1 ORDER BY id DESC{}",
        limit_offset(2)
    );
    let movements = sqlx::query_as(AssertSqlSafe(sql))
        .bind(product_id)
        .bind(page.per_page)
        .bind(page.offset())
        .fetch_all(ex)
        .await?;
    Ok((movements, total))
}
