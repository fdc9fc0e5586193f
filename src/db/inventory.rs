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

use sqlx::{AnyConnection, AnyExecutor, AssertSqlSafe, Row};

use super::{Arg, Backend, Result, Tx, bind_all, limit_offset, placeholders};
use crate::domain::DomainError;
use crate::domain::catalog::{MAX_STOCK, Quantity, Unit};
use crate::domain::inventory::{Movement, MovementReason, StockChange, StockCommand, average_after_entry};
use crate::domain::money::Money;
use crate::domain::page::PageRequest;
use crate::domain::time::Timestamp;

/// Where units move and why: every movement of one operation shares these.
#[derive(Debug, Clone, Copy)]
pub struct Moving {
    pub store_id: i64,
    pub reason: MovementReason,
    /// None for the operator at the command line and for imports.
    pub user_id: Option<i64>,
    pub at: Timestamp,
    pub sale_id: Option<i64>,
    pub return_id: Option<i64>,
    pub transfer_id: Option<i64>,
}

impl Moving {
    pub fn new(store_id: i64, reason: MovementReason, user_id: Option<i64>, at: Timestamp) -> Moving {
        Moving { store_id, reason, user_id, at, sale_id: None, return_id: None, transfer_id: None }
    }
}

/// A line whose units were taken from a store, and what the product was at that moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TakenLine {
    pub product_id: i64,
    pub name: String,
    /// The store's price, or else the catalog's.
    pub price: Money,
    pub unit: Unit,
    /// In the unit's integers.
    pub quantity: i64,
    /// The product's stock in the store after the units were taken.
    pub balance: i64,
    /// Its average cost, or its cost, when known.
    pub unit_cost: Option<Money>,
    /// Whether the product is active and not archived (a sale made offline may take units of one
    /// that no longer is).
    pub live: bool,
}

/// The units taken, in the order of the lines: their movements must be recorded with
/// [`Taken::record`] once the operation has its id, in the same transaction.
#[must_use = "the movements of the taken units must be recorded with Taken::record"]
#[derive(Debug)]
pub struct Taken {
    store_id: i64,
    lines: Vec<TakenLine>,
}

impl Taken {
    pub fn lines(&self) -> &[TakenLine] {
        &self.lines
    }

    /// One movement out per line (`moving.store_id` is the store the units were taken from).
    pub async fn record(self, tx: &mut Tx, moving: Moving) -> Result<()> {
        debug_assert_eq!(moving.store_id, self.store_id);
        let rows: Vec<(i64, i64, i64)> = self.lines.iter().map(|l| (l.product_id, -l.quantity, l.balance)).collect();
        record(tx, &moving, &rows).await
    }
}

/// One movement per row (product, signed quantity, the store's balance after it).
async fn record(tx: &mut Tx, moving: &Moving, rows: &[(i64, i64, i64)]) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let values: Vec<String> =
        (0..rows.len()).map(|i| format!("({}, $1, $2, $3, $4, $5, $6, $7)", placeholders(8 + 3 * i, 3))).collect();
    let sql = format!(
        "INSERT INTO stock_movements (product_id, quantity, balance, store_id, reason, user_id, sale_id, return_id, \
         transfer_id, created_at) VALUES {}",
        values.join(", ")
    );
    let mut args = vec![
        Arg::Int(moving.store_id),
        Arg::Text(moving.reason.as_str().into()),
        Arg::MaybeInt(moving.user_id),
        Arg::MaybeInt(moving.sale_id),
        Arg::MaybeInt(moving.return_id),
        Arg::MaybeInt(moving.transfer_id),
        Arg::Int(moving.at.micros()),
    ];
    for &(product_id, quantity, balance) in rows {
        args.extend([Arg::Int(product_id), Arg::Int(quantity), Arg::Int(balance)]);
    }
    bind_all(sqlx::query(AssertSqlSafe(sql)), &args).execute(&mut **tx).await?;
    Ok(())
}

/// `unit IN ('KG', 'L', 'M')`: the units whose stored integers are thousandths.
pub(super) fn fractional_units() -> String {
    let units: Vec<String> =
        Unit::ALL.iter().filter(|u| u.is_fractional()).map(|u| format!("'{}'", u.as_str())).collect();
    format!("unit IN ({})", units.join(", "))
}

/// Which stock may be taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taking {
    /// A sale at the counter, a transfer sent: only what active products have in the store.
    Available,
    /// A sale made at a terminal without connection, arriving later: the goods already left, so
    /// the units are taken even below zero, and from products deactivated since — the one path
    /// by which stock goes negative (the sale is flagged for review).
    AlreadyGone,
}

/// Concurrent changes of stock lock their products' rows in id order, before any other row of
/// stock, so that they cannot deadlock: every change of a store's stock holds its products' rows
/// (PostgreSQL; SQLite's writer holds the whole database, and one row needs no order).
async fn lock_products(tx: &mut Tx, backend: Backend, ids: &[i64]) -> Result<()> {
    if backend == Backend::Postgres && ids.len() > 1 {
        let sql =
            format!("SELECT id FROM products WHERE id IN ({}) ORDER BY id FOR UPDATE", placeholders(1, ids.len()));
        let ids: Vec<Arg> = ids.iter().map(|&id| Arg::Int(id)).collect();
        bind_all(sqlx::query(AssertSqlSafe(sql)), &ids).execute(&mut **tx).await?;
    }
    Ok(())
}

/// `CASE {column} WHEN $a THEN $b ... END` over `pairs` bound from `$first` on, and the `$a`s.
fn case_of(column: &str, first: usize, count: usize) -> (String, Vec<String>) {
    let ids: Vec<String> = (0..count).map(|i| format!("${}", first + 2 * i)).collect();
    let cases: String = (0..count).map(|i| format!(" WHEN ${} THEN ${}", first + 2 * i, first + 1 + 2 * i)).collect();
    (format!("CASE {column}{cases} END"), ids)
}

fn pair_args(pairs: &[(i64, i64)]) -> Vec<Arg> {
    pairs.iter().flat_map(|&(a, b)| [Arg::Int(a), Arg::Int(b)]).collect()
}

/// Adds signed quantities (product, stored integers) to products' totals. The caller holds the
/// products' locks ([`lock_products`]) and changes their stores' stock in the same transaction.
async fn add_to_totals(tx: &mut Tx, deltas: &[(i64, i64)]) -> Result<()> {
    let (delta, ids) = case_of("id", 1, deltas.len());
    let sql = format!("UPDATE products SET stock = stock + {delta} WHERE id IN ({})", ids.join(", "));
    bind_all(sqlx::query(AssertSqlSafe(sql)), &pair_args(deltas)).execute(&mut **tx).await?;
    Ok(())
}

/// Adds signed quantities to products' stock in `store_id` (a store without the product yet gets
/// its row), in product order; returns each product's balance in the store.
async fn add_to_store(tx: &mut Tx, store_id: i64, deltas: &[(i64, i64)]) -> Result<HashMap<i64, i64>> {
    let mut sorted = deltas.to_vec();
    sorted.sort_unstable();
    let values: Vec<String> = (0..sorted.len()).map(|i| format!("($1, ${}, ${})", 2 + 2 * i, 3 + 2 * i)).collect();
    let sql = format!(
        "INSERT INTO store_stock (store_id, product_id, stock) VALUES {} ON CONFLICT (store_id, product_id) \
         DO UPDATE SET stock = store_stock.stock + excluded.stock RETURNING product_id, stock",
        values.join(", ")
    );
    let mut args = vec![Arg::Int(store_id)];
    args.extend(pair_args(&sorted));
    Ok(bind_all(sqlx::query_as::<_, (i64, i64)>(AssertSqlSafe(sql)), &args)
        .fetch_all(&mut **tx)
        .await?
        .into_iter()
        .collect())
}

/// Takes what every line asks for (product, quantity in thousandths as typed; each product
/// once) from the stock of `store_id`, or nothing: a line that cannot be taken is an unknown
/// product, a fraction of a product sold in whole units, or (`Taking::Available`) an inactive
/// product or one the store does not have enough of, and the caller must roll back. Of several
/// such lines, the lowest product id is named.
pub async fn take(tx: &mut Tx, backend: Backend, store_id: i64, lines: &[(i64, i64)], taking: Taking) -> Result<Taken> {
    let ids: Vec<i64> = lines.iter().map(|&(id, _)| id).collect();
    lock_products(tx, backend, &ids).await?;
    // The products first: their units and prices, and their totals (their rows locked).
    let (typed, placeholders_of_ids) = case_of("id", 1, lines.len());
    let fractional = fractional_units();
    let stored = format!("(CASE WHEN {fractional} THEN {typed} ELSE {typed} / 1000 END)");
    let live = match taking {
        Taking::Available => " AND archived_at IS NULL AND active = 1",
        Taking::AlreadyGone => "",
    };
    let sql = format!(
        "UPDATE products SET stock = stock - {stored} \
         WHERE id IN ({}) AND ({fractional} OR {typed} % 1000 = 0){live} \
         RETURNING id, name, COALESCE((SELECT sp.price_cents FROM store_prices sp WHERE sp.store_id = {store_id} \
         AND sp.product_id = products.id), price_cents) AS price_cents, unit, \
         COALESCE(average_cost_cents, cost_cents) AS unit_cost, \
         CASE WHEN archived_at IS NULL AND active = 1 THEN 1 ELSE 0 END AS live",
        placeholders_of_ids.join(", ")
    );
    type ProductRow = (i64, String, i64, String, Option<i64>, i64);
    let mut found: HashMap<i64, ProductRow> =
        bind_all(sqlx::query_as::<_, ProductRow>(AssertSqlSafe(sql)), &pair_args(lines))
            .fetch_all(&mut **tx)
            .await?
            .into_iter()
            .map(|row| (row.0, row))
            .collect();
    if let Some(&(product_id, quantity)) =
        lines.iter().filter(|(id, _)| !found.contains_key(id)).min_by_key(|(id, _)| *id)
    {
        return Err(match live_stock(&mut **tx, product_id).await? {
            Some((name, _, false)) => DomainError::ProductInactive { product_id, name },
            Some((_, unit, _)) if unit.from_thousandths(quantity).is_none() => {
                DomainError::WholeUnitsOnly { product_id }
            }
            _ => DomainError::UnknownProduct { product_id },
        }
        .into());
    }
    let mut taken = Vec::with_capacity(lines.len());
    for &(product_id, typed) in lines {
        let Some((_, name, cents, unit, cost, live)) = found.remove(&product_id) else { continue };
        let unit = super::products::unit(unit)?;
        let quantity = unit.from_thousandths(typed).ok_or(DomainError::WholeUnitsOnly { product_id })?;
        taken.push(TakenLine {
            product_id,
            name,
            price: Money::from_cents(cents),
            unit,
            quantity,
            balance: 0,
            unit_cost: cost.map(Money::from_cents),
            live: live != 0,
        });
    }
    let quantities: Vec<(i64, i64)> = taken.iter().map(|l| (l.product_id, l.quantity)).collect();
    let balances: HashMap<i64, i64> = match taking {
        Taking::AlreadyGone => {
            let deltas: Vec<(i64, i64)> = quantities.iter().map(|&(id, q)| (id, -q)).collect();
            add_to_store(tx, store_id, &deltas).await?
        }
        Taking::Available => {
            let (quantity, ids) = case_of("product_id", 2, quantities.len());
            let sql = format!(
                "UPDATE store_stock SET stock = stock - {quantity} \
                 WHERE store_id = $1 AND product_id IN ({}) AND stock >= {quantity} RETURNING product_id, stock",
                ids.join(", ")
            );
            let mut args = vec![Arg::Int(store_id)];
            args.extend(pair_args(&quantities));
            bind_all(sqlx::query_as::<_, (i64, i64)>(AssertSqlSafe(sql)), &args)
                .fetch_all(&mut **tx)
                .await?
                .into_iter()
                .collect()
        }
    };
    if let Some(short) = taken.iter().filter(|l| !balances.contains_key(&l.product_id)).min_by_key(|l| l.product_id) {
        let (product_id, name) = (short.product_id, short.name.clone());
        let available = Quantity::new(store_stock(&mut **tx, store_id, product_id).await?, short.unit);
        return Err(DomainError::OutOfStock { product_id, name, available }.into());
    }
    for line in &mut taken {
        line.balance = balances[&line.product_id];
    }
    Ok(Taken { store_id, lines: taken })
}

/// Units that come into a store — a cancelled sale's or a return's back where they were sold,
/// a transfer received (or cancelled, back where it was sent from) — in one statement per table,
/// with one movement per product (`lines`: product and stored quantity > 0, each product once).
/// The product may have been archived since: its units still come back.
pub async fn put_back(tx: &mut Tx, backend: Backend, lines: &[(i64, i64)], moving: Moving) -> Result<()> {
    if lines.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = lines.iter().map(|&(id, _)| id).collect();
    lock_products(tx, backend, &ids).await?;
    add_to_totals(tx, lines).await?;
    let balances = add_to_store(tx, moving.store_id, lines).await?;
    let rows = with_balances(lines, &balances)?;
    record(tx, &moving, &rows).await
}

fn with_balances(lines: &[(i64, i64)], balances: &HashMap<i64, i64>) -> Result<Vec<(i64, i64, i64)>> {
    lines
        .iter()
        .map(|&(id, quantity)| Ok((id, quantity, *balances.get(&id).ok_or(DomainError::ProductNotFound)?)))
        .collect()
}

/// Applies an administrator's change to a live product's stock in `store_id` and returns the
/// store's new stock. The product's row is locked and read first: a count records the difference
/// from the store's stock as it is (sales committed meanwhile are never lost), an entry updates
/// the product's average cost (over the units of every store), and a change typed for another
/// unit than the product's is refused. Returns None when a count equal to the stock recorded
/// nothing.
pub async fn change(
    tx: &mut Tx,
    backend: Backend,
    store_id: i64,
    product_id: i64,
    command: &StockCommand,
    user_id: Option<i64>,
    now: Timestamp,
) -> Result<Option<i64>> {
    let current = lock_live(tx, backend, product_id).await?.ok_or(DomainError::ProductNotFound)?;
    if current.unit != command.unit {
        return Err(DomainError::UnitChanged.into());
    }
    let in_store = store_stock(&mut **tx, store_id, product_id).await?;
    let available = Quantity::new(in_store, current.unit);
    let (delta, reason, entry) = match &command.change {
        StockChange::Adjust(delta) => (*delta, MovementReason::Adjustment, None),
        StockChange::CountedAs(counted) => (counted - in_store, MovementReason::Count, None),
        StockChange::Entry(entry) => (entry.quantity, MovementReason::Entry, Some(entry)),
    };
    if delta == 0 {
        return Ok(None);
    }
    let balance = in_store + delta;
    if balance < 0 {
        return Err(DomainError::AdjustmentBelowZero { product_id, available }.into());
    }
    if balance > MAX_STOCK || current.stock + delta > MAX_STOCK {
        return Err(DomainError::StockAboveLimit { product_id, available }.into());
    }
    let mut costs = String::new();
    let mut args = vec![Arg::Int(product_id), Arg::Int(delta), Arg::Int(now.micros())];
    if let Some(entry) = entry {
        let average =
            average_after_entry(current.stock, current.average.or(current.cost), entry.quantity, entry.unit_cost);
        args.extend([Arg::Int(average.cents()), Arg::Int(entry.unit_cost.cents())]);
        costs = ", average_cost_cents = $4, cost_cents = $5".into();
    }
    let sql = format!("UPDATE products SET stock = stock + $2, updated_at = $3{costs} WHERE id = $1");
    bind_all(sqlx::query(AssertSqlSafe(sql)), &args).execute(&mut **tx).await?;
    add_to_store(tx, store_id, &[(product_id, delta)]).await?;
    sqlx::query(
        "INSERT INTO stock_movements (product_id, quantity, balance, store_id, reason, user_id, created_at, \
         unit_cost_cents, supplier, invoice, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(product_id)
    .bind(delta)
    .bind(balance)
    .bind(store_id)
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
    /// Of all the stores.
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

/// The stock each of these new products (id, quantity) was created with, in `store_id`, as its
/// first movement (a catalog import creates many at once).
pub async fn receive_initial(
    tx: &mut Tx,
    backend: Backend,
    store_id: i64,
    opening: &[(i64, i64)],
    user_id: Option<i64>,
    now: Timestamp,
) -> Result<()> {
    let opening: Vec<(i64, i64)> = opening.iter().copied().filter(|&(_, quantity)| quantity != 0).collect();
    put_back(tx, backend, &opening, Moving::new(store_id, MovementReason::Initial, user_id, now)).await
}

/// A product's stock in a store (zero where it has none).
pub async fn store_stock<'c>(ex: impl AnyExecutor<'c>, store_id: i64, product_id: i64) -> Result<i64> {
    let stock: Option<i64> =
        sqlx::query_scalar("SELECT stock FROM store_stock WHERE store_id = $1 AND product_id = $2")
            .bind(store_id)
            .bind(product_id)
            .fetch_optional(ex)
            .await?;
    Ok(stock.unwrap_or(0))
}

/// Name, unit and whether it is active, of a live product.
async fn live_stock<'c>(ex: impl AnyExecutor<'c>, id: i64) -> Result<Option<(String, Unit, bool)>> {
    let row: Option<(String, String, i64)> =
        sqlx::query_as("SELECT name, unit, active FROM products WHERE id = $1 AND archived_at IS NULL")
            .bind(id)
            .fetch_optional(ex)
            .await?;
    let Some((name, unit, active)) = row else { return Ok(None) };
    Ok(Some((name, super::products::unit(unit)?, active == 1)))
}

/// Where the ledger does not hold: a product's stock in a store (`store_id`) or its total
/// (`store_id` None) that is not the sum of its movements there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unbalanced {
    pub product_id: i64,
    pub store_id: Option<i64>,
    pub stock: i64,
    pub moved: i64,
}

/// Every product whose total, or whose stock in a store, is not the sum of its movements (and
/// every total that is not the sum of the stores'). Empty when the ledger holds, as it always
/// must.
pub async fn unbalanced(conn: &mut AnyConnection) -> Result<Vec<Unbalanced>> {
    let totals: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT p.id, p.stock, CAST(COALESCE(SUM(m.quantity), 0) AS BIGINT) FROM products p \
         LEFT JOIN stock_movements m ON m.product_id = p.id GROUP BY p.id, p.stock \
         HAVING p.stock <> COALESCE(SUM(m.quantity), 0) ORDER BY p.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    // Both ways: a store's row its movements do not explain, and movements without their row.
    let stores: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT product_id, store_id, CAST(SUM(stock) AS BIGINT), CAST(SUM(moved) AS BIGINT) FROM ( \
           SELECT product_id, store_id, stock, 0 AS moved FROM store_stock \
           UNION ALL SELECT product_id, store_id, 0, quantity FROM stock_movements \
         ) AS ledger GROUP BY product_id, store_id HAVING SUM(stock) <> SUM(moved) ORDER BY product_id, store_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut found: Vec<Unbalanced> = totals
        .into_iter()
        .map(|(product_id, stock, moved)| Unbalanced { product_id, store_id: None, stock, moved })
        .collect();
    found.extend(stores.into_iter().map(|(product_id, store_id, stock, moved)| Unbalanced {
        product_id,
        store_id: Some(store_id),
        stock,
        moved,
    }));
    Ok(found)
}

/// Writes every store's stock as the sum of its movements (after a load, which carries the
/// ledger and not this table).
pub async fn rebuild_store_stock(tx: &mut Tx) -> Result<()> {
    sqlx::query(
        "INSERT INTO store_stock (store_id, product_id, stock) SELECT store_id, product_id, SUM(quantity) \
         FROM stock_movements GROUP BY store_id, product_id HAVING SUM(quantity) <> 0 ORDER BY store_id, product_id",
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
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
            store_id: row.try_get("store_id")?,
            store_name: row.try_get("store_name")?,
            transfer_id: row.try_get("transfer_id")?,
        })
    }
}

/// A page of a product's movements (in one store, or in all), newest first, and how many there
/// are.
pub async fn movements<'c>(
    ex: impl AnyExecutor<'c> + Copy,
    product_id: i64,
    store_id: Option<i64>,
    page: PageRequest,
) -> Result<(Vec<Movement>, i64)> {
    let in_store = if store_id.is_some() { " AND m.store_id = $2" } else { "" };
    let mut args = vec![Arg::Int(product_id)];
    args.extend(store_id.map(Arg::Int));
    let sql = format!("SELECT COUNT(*) FROM stock_movements m WHERE m.product_id = $1{in_store}");
    let total: i64 = bind_all(sqlx::query_scalar(AssertSqlSafe(sql)), &args).fetch_one(ex).await?;
    let sql = format!(
        "SELECT m.id, m.product_id, m.quantity, m.balance, m.reason, m.user_id, m.sale_id, m.return_id, m.created_at, \
         p.unit, u.username, m.unit_cost_cents, m.supplier, m.invoice, m.note, m.store_id, s.name AS store_name, \
         m.transfer_id FROM stock_movements m \
         JOIN products p ON p.id = m.product_id LEFT JOIN users u ON u.id = m.user_id \
         LEFT JOIN stores s ON s.id = m.store_id \
         WHERE m.product_id = $1{in_store} ORDER BY m.id DESC{}",
        limit_offset(args.len() + 1)
    );
    args.extend([Arg::Int(page.per_page), Arg::Int(page.offset())]);
    let movements = bind_all(sqlx::query_as(AssertSqlSafe(sql)), &args).fetch_all(ex).await?;
    Ok((movements, total))
}
