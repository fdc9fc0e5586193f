//! The only code that writes a product's stock. Every change of stock is a movement in
//! `stock_movements` — a signed quantity, the reason, the balance it left, who made it and, for
//! a sale, which sale — written in the same transaction as the change, so that a product's
//! stock is always the sum of its movements:
//!
//! - a sale takes the units of all its lines in one conditional statement ([`take_for_sale`]),
//!   never below zero, and records one movement per line ([`Taken::record`]) — except a sale
//!   made at a terminal without connection, which arrives after its goods left
//!   ([`Taking::AlreadyGone`]);
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
use crate::domain::catalog::{MAX_STOCK, Quantity, Unit};
use crate::domain::inventory::{Movement, MovementReason, StockChange, StockCommand, average_after_entry};
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
    pub unit: Unit,
    /// In the unit's integers.
    pub quantity: i64,
    /// The product's stock after the units were taken.
    pub balance: i64,
    /// Its average cost, or its cost, when known.
    pub unit_cost: Option<Money>,
    /// Whether the product is active and not archived (a sale made offline may take units of one
    /// that no longer is).
    pub live: bool,
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

/// `unit IN ('KG', 'L', 'M')`: the units whose stored integers are thousandths.
pub(super) fn fractional_units() -> String {
    let units: Vec<String> =
        Unit::ALL.iter().filter(|u| u.is_fractional()).map(|u| format!("'{}'", u.as_str())).collect();
    format!("unit IN ({})", units.join(", "))
}

/// Which stock a sale may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taking {
    /// A sale at the counter: only what active products have.
    Available,
    /// A sale made at a terminal without connection, arriving later: the goods already left, so
    /// the units are taken even below zero, and from products deactivated since — the one path
    /// by which stock goes negative (the sale is flagged for review).
    AlreadyGone,
}

/// Takes what every line asks for (each product once; quantities in thousandths, as typed), in
/// one statement, or nothing: a line that cannot be taken is an unknown product, a fraction of
/// a product sold in whole units, or (`Taking::Available`) an inactive product or missing stock,
/// and the caller must roll back. Of several such lines, the lowest product id is named.
pub async fn take_for_sale(tx: &mut Tx, backend: Backend, lines: &[SaleLine], taking: Taking) -> Result<Taken> {
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
    let typed: String = (0..lines.len()).map(|i| format!(" WHEN ${} THEN ${}", 1 + 2 * i, 2 + 2 * i)).collect();
    let typed = format!("CASE id{typed} END");
    let fractional = fractional_units();
    let stored = format!("(CASE WHEN {fractional} THEN {typed} ELSE {typed} / 1000 END)");
    let available = match taking {
        Taking::Available => format!(" AND archived_at IS NULL AND active = 1 AND stock >= {stored}"),
        Taking::AlreadyGone => String::new(),
    };
    let sql = format!(
        "UPDATE products SET stock = stock - {stored} \
         WHERE id IN ({}) AND ({fractional} OR {typed} % 1000 = 0){available} \
         RETURNING id, name, price_cents, stock, unit, COALESCE(average_cost_cents, cost_cents) AS unit_cost, \
         CASE WHEN archived_at IS NULL AND active = 1 THEN 1 ELSE 0 END AS live",
        ids.join(", ")
    );
    type TakenRow = (i64, String, i64, i64, String, Option<i64>, i64);
    let mut taken: HashMap<i64, TakenRow> = bind_all(sqlx::query_as::<_, TakenRow>(AssertSqlSafe(sql)), &args)
        .fetch_all(&mut **tx)
        .await?
        .into_iter()
        .map(|row| (row.0, row))
        .collect();
    if let Some(missing) = lines.iter().filter(|l| !taken.contains_key(&l.product_id)).min_by_key(|l| l.product_id) {
        let product_id = missing.product_id;
        return Err(match live_stock(&mut **tx, product_id).await? {
            None => DomainError::UnknownProduct { product_id },
            Some((name, _, false)) => DomainError::ProductInactive { product_id, name },
            Some((_, available, _)) if available.unit.from_thousandths(missing.quantity).is_none() => {
                DomainError::WholeUnitsOnly { product_id }
            }
            Some((name, available, _)) => DomainError::OutOfStock { product_id, name, available },
        }
        .into());
    }
    let mut taken_lines = Vec::with_capacity(lines.len());
    for line in lines {
        let Some((_, name, cents, balance, unit, cost, live)) = taken.remove(&line.product_id) else { continue };
        let unit = super::products::unit(unit)?;
        let quantity =
            unit.from_thousandths(line.quantity).ok_or(DomainError::WholeUnitsOnly { product_id: line.product_id })?;
        taken_lines.push(TakenLine {
            product_id: line.product_id,
            name,
            price: Money::from_cents(cents),
            unit,
            quantity,
            balance,
            unit_cost: cost.map(Money::from_cents),
            live: live != 0,
        });
    }
    Ok(Taken(taken_lines))
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

/// Applies an administrator's change to a live product's stock and returns the new stock. The
/// product's row is locked and read first: a count records the difference from the stock as it
/// is (sales committed meanwhile are never lost), an entry updates the average cost, and a change
/// typed for another unit than the product's is refused. Returns the new stock, or None when a
/// count equal to the stock recorded nothing.
pub async fn change(
    tx: &mut Tx,
    backend: Backend,
    product_id: i64,
    command: &StockCommand,
    user_id: Option<i64>,
    now: Timestamp,
) -> Result<Option<i64>> {
    let current = lock_live(tx, backend, product_id).await?.ok_or(DomainError::ProductNotFound)?;
    if current.unit != command.unit {
        return Err(DomainError::UnitChanged.into());
    }
    let available = Quantity::new(current.stock, current.unit);
    let (delta, reason, entry) = match &command.change {
        StockChange::Adjust(delta) => (*delta, MovementReason::Adjustment, None),
        StockChange::CountedAs(counted) => (counted - current.stock, MovementReason::Count, None),
        StockChange::Entry(entry) => (entry.quantity, MovementReason::Entry, Some(entry)),
    };
    if delta == 0 {
        return Ok(None);
    }
    let balance = current.stock + delta;
    if balance < 0 {
        return Err(DomainError::AdjustmentBelowZero { product_id, available }.into());
    }
    if balance > MAX_STOCK {
        return Err(DomainError::StockAboveLimit { product_id, available }.into());
    }
    let mut costs = String::new();
    let mut args = vec![Arg::Int(product_id), Arg::Int(balance), Arg::Int(now.micros())];
    if let Some(entry) = entry {
        let average =
            average_after_entry(current.stock, current.average.or(current.cost), entry.quantity, entry.unit_cost);
        args.extend([Arg::Int(average.cents()), Arg::Int(entry.unit_cost.cents())]);
        costs = ", average_cost_cents = $4, cost_cents = $5".into();
    }
    let sql = format!("UPDATE products SET stock = $2, updated_at = $3{costs} WHERE id = $1");
    bind_all(sqlx::query(AssertSqlSafe(sql)), &args).execute(&mut **tx).await?;
    sqlx::query(
        "INSERT INTO stock_movements (product_id, quantity, balance, reason, user_id, created_at, unit_cost_cents, \
         supplier, invoice, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(product_id)
    .bind(delta)
    .bind(balance)
    .bind(reason.as_str())
    .bind(user_id)
    .bind(now.micros())
    .bind(entry.map(|e| e.unit_cost.cents()))
    .bind(entry.and_then(|e| e.supplier.clone()))
    .bind(entry.and_then(|e| e.invoice.clone()))
    .bind(command.note.clone())
    .execute(&mut **tx)
    .await?;
    Ok(Some(balance))
}

/// What a stock change reads of a product, its row locked (PostgreSQL; SQLite's writer holds the
/// whole database).
struct Locked {
    stock: i64,
    unit: Unit,
    cost: Option<Money>,
    average: Option<Money>,
}

async fn lock_live(tx: &mut Tx, backend: Backend, product_id: i64) -> Result<Option<Locked>> {
    let lock = if backend == Backend::Postgres { " FOR UPDATE" } else { "" };
    let sql = format!(
        "SELECT stock, unit, cost_cents, average_cost_cents FROM products WHERE id = $1 AND archived_at IS NULL{lock}"
    );
    let row: Option<(i64, String, Option<i64>, Option<i64>)> =
        sqlx::query_as(AssertSqlSafe(sql)).bind(product_id).fetch_optional(&mut **tx).await?;
    let Some((stock, unit, cost, average)) = row else { return Ok(None) };
    Ok(Some(Locked {
        stock,
        unit: super::products::unit(unit)?,
        cost: cost.map(Money::from_cents),
        average: average.map(Money::from_cents),
    }))
}

/// The stock a product was created with, as its first movement.
pub async fn receive_initial(
    tx: &mut Tx,
    product_id: i64,
    quantity: i64,
    user_id: Option<i64>,
    now: Timestamp,
) -> Result<()> {
    receive_initial_many(tx, &[(product_id, quantity)], user_id, now).await
}

/// The stock each of these products (id, quantity) was created with, as its first movement: one
/// statement for the stock and one for the movements (a catalog import creates many at once).
pub async fn receive_initial_many(
    tx: &mut Tx,
    opening: &[(i64, i64)],
    user_id: Option<i64>,
    now: Timestamp,
) -> Result<()> {
    let opening: Vec<(i64, i64)> = opening.iter().copied().filter(|&(_, quantity)| quantity != 0).collect();
    if opening.is_empty() {
        return Ok(());
    }
    let mut args = vec![Arg::Int(now.micros())];
    let mut cases = String::new();
    let mut ids = Vec::with_capacity(opening.len());
    for &(product_id, quantity) in &opening {
        args.extend([Arg::Int(product_id), Arg::Int(quantity)]);
        cases.push_str(&format!(" WHEN ${} THEN ${}", args.len() - 1, args.len()));
        ids.push(format!("${}", args.len() - 1));
    }
    let sql = format!(
        "UPDATE products SET stock = stock + CASE id{cases} END, updated_at = $1 \
         WHERE id IN ({}) AND archived_at IS NULL RETURNING id, stock",
        ids.join(", ")
    );
    let balances: HashMap<i64, i64> =
        bind_all(sqlx::query_as(AssertSqlSafe(sql)), &args).fetch_all(&mut **tx).await?.into_iter().collect();
    let mut rows = Vec::with_capacity(opening.len());
    let mut args =
        vec![Arg::Text(MovementReason::Initial.as_str().into()), Arg::MaybeInt(user_id), Arg::Int(now.micros())];
    for (product_id, quantity) in opening {
        let balance = *balances.get(&product_id).ok_or(DomainError::ProductNotFound)?;
        args.extend([Arg::Int(product_id), Arg::Int(quantity), Arg::Int(balance)]);
        let n = args.len();
        rows.push(format!("(${}, ${}, ${}, $1, $2, $3)", n - 2, n - 1, n));
    }
    let sql = format!(
        "INSERT INTO stock_movements (product_id, quantity, balance, reason, user_id, created_at) VALUES {}",
        rows.join(", ")
    );
    bind_all(sqlx::query(AssertSqlSafe(sql)), &args).execute(&mut **tx).await?;
    Ok(())
}

/// Name, stock, unit and whether it is active, of a live product.
async fn live_stock<'c>(ex: impl AnyExecutor<'c>, id: i64) -> Result<Option<(String, Quantity, bool)>> {
    let row: Option<(String, i64, String, i64)> =
        sqlx::query_as("SELECT name, stock, unit, active FROM products WHERE id = $1 AND archived_at IS NULL")
            .bind(id)
            .fetch_optional(ex)
            .await?;
    let Some((name, stock, unit, active)) = row else { return Ok(None) };
    Ok(Some((name, Quantity::new(stock, super::products::unit(unit)?), active == 1)))
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
            unit: super::products::unit(row.try_get("unit")?)?,
            username: row.try_get("username")?,
            unit_cost: row.try_get::<Option<i64>, _>("unit_cost_cents")?.map(Money::from_cents),
            supplier: row.try_get("supplier")?,
            invoice: row.try_get("invoice")?,
            note: row.try_get("note")?,
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
        "SELECT m.id, m.product_id, m.quantity, m.balance, m.reason, m.user_id, m.sale_id, m.return_id, m.created_at, \
         p.unit, u.username, m.unit_cost_cents, m.supplier, m.invoice, m.note FROM stock_movements m \
         JOIN products p ON p.id = m.product_id LEFT JOIN users u ON u.id = m.user_id \
         WHERE m.product_id = $1 ORDER BY m.id DESC{}",
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
