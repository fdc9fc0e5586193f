//! All SQL of transfers between stores, but their stock: that moves in [`super::inventory`], in
//! the same transaction.

use std::collections::HashMap;

use sqlx::any::AnyRow;
use sqlx::{AnyExecutor, AssertSqlSafe, FromRow, Row};

use super::{Arg, Result, Tx, bind_all, counted_page, placeholders};
use crate::domain::inventory::{Transfer, TransferItem, TransferStatus};
use crate::domain::page::PageRequest;
use crate::domain::time::Timestamp;

const SELECT: &str = "SELECT t.id, t.from_store_id, sf.name AS from_store_name, t.to_store_id, \
     st.name AS to_store_name, t.status, t.note, t.user_id, u.username, t.created_at, t.closed_by, t.closed_at";
const FROM: &str = "FROM stock_transfers t JOIN stores sf ON sf.id = t.from_store_id \
     JOIN stores st ON st.id = t.to_store_id LEFT JOIN users u ON u.id = t.user_id";

impl FromRow<'_, AnyRow> for Transfer {
    fn from_row(row: &AnyRow) -> sqlx::Result<Transfer> {
        let status: String = row.try_get("status")?;
        Ok(Transfer {
            id: row.try_get("id")?,
            from_store_id: row.try_get("from_store_id")?,
            from_store_name: row.try_get("from_store_name")?,
            to_store_id: row.try_get("to_store_id")?,
            to_store_name: row.try_get("to_store_name")?,
            status: TransferStatus::parse(&status)
                .ok_or_else(|| sqlx::Error::Decode(format!("situação desconhecida: {status:?}").into()))?,
            note: row.try_get("note")?,
            user_id: row.try_get("user_id")?,
            username: row.try_get("username")?,
            created_at: Timestamp::from_micros(row.try_get("created_at")?),
            closed_by: row.try_get("closed_by")?,
            closed_at: row.try_get::<Option<i64>, _>("closed_at")?.map(Timestamp::from_micros),
            // Filled by `with_items`.
            items: Vec::new(),
        })
    }
}

/// A new transfer, in transit, without its items yet.
pub async fn insert(
    tx: &mut Tx,
    from_store_id: i64,
    to_store_id: i64,
    note: Option<&str>,
    user_id: Option<i64>,
    at: Timestamp,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO stock_transfers (from_store_id, to_store_id, status, note, user_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(from_store_id)
    .bind(to_store_id)
    .bind(TransferStatus::InTransit.as_str())
    .bind(note)
    .bind(user_id)
    .bind(at.micros())
    .fetch_one(&mut **tx)
    .await?)
}

/// The items (product, quantity in the unit's integers) of a transfer.
pub async fn insert_items(tx: &mut Tx, transfer_id: i64, items: &[(i64, i64)]) -> Result<()> {
    let values: Vec<String> = (0..items.len()).map(|i| format!("($1, {})", placeholders(2 + 2 * i, 2))).collect();
    let sql =
        format!("INSERT INTO stock_transfer_items (transfer_id, product_id, quantity) VALUES {}", values.join(", "));
    let mut args = vec![Arg::Int(transfer_id)];
    args.extend(items.iter().flat_map(|&(product, quantity)| [Arg::Int(product), Arg::Int(quantity)]));
    bind_all(sqlx::query(AssertSqlSafe(sql)), &args).execute(&mut **tx).await?;
    Ok(())
}

/// A transfer in transit, as received or cancelled now: its stores (origin, destination). None
/// when it is not there or no longer in transit (the condition decides, so that two requests at
/// once close it once).
pub async fn close(
    tx: &mut Tx,
    id: i64,
    status: TransferStatus,
    by: Option<i64>,
    at: Timestamp,
) -> Result<Option<(i64, i64)>> {
    Ok(sqlx::query_as(
        "UPDATE stock_transfers SET status = $2, closed_by = $3, closed_at = $4 \
         WHERE id = $1 AND status = 'em_transito' RETURNING from_store_id, to_store_id",
    )
    .bind(id)
    .bind(status.as_str())
    .bind(by)
    .bind(at.micros())
    .fetch_optional(&mut **tx)
    .await?)
}

/// A transfer's origin, destination and status.
pub async fn stores_of<'c>(ex: impl AnyExecutor<'c>, id: i64) -> Result<Option<(i64, i64, TransferStatus)>> {
    let row: Option<(i64, i64, String)> =
        sqlx::query_as("SELECT from_store_id, to_store_id, status FROM stock_transfers WHERE id = $1")
            .bind(id)
            .fetch_optional(ex)
            .await?;
    Ok(row.and_then(|(from, to, status)| Some((from, to, TransferStatus::parse(&status)?))))
}

/// A transfer's items: product and quantity, in product order.
pub async fn items_of(tx: &mut Tx, id: i64) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT product_id, quantity FROM stock_transfer_items WHERE transfer_id = $1 ORDER BY product_id",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await?)
}

pub async fn get<'c>(ex: impl AnyExecutor<'c> + Copy, id: i64) -> Result<Option<Transfer>> {
    let sql = format!("{SELECT} {FROM} WHERE t.id = $1");
    let found: Option<Transfer> = sqlx::query_as(AssertSqlSafe(sql)).bind(id).fetch_optional(ex).await?;
    Ok(match found {
        Some(transfer) => with_items(ex, vec![transfer]).await?.pop(),
        None => None,
    })
}

/// Which transfers a listing shows: by status, and those from or to any of `stores` (None: all).
#[derive(Debug, Clone, Default)]
pub struct TransferFilter {
    pub status: Option<TransferStatus>,
    pub stores: Option<Vec<i64>>,
}

/// A page of transfers, newest first, and how many the filter finds.
pub async fn list<'c>(
    ex: impl AnyExecutor<'c> + Copy,
    filter: &TransferFilter,
    page: PageRequest,
) -> Result<(Vec<Transfer>, i64)> {
    let mut conditions = vec!["1 = 1".to_string()];
    let mut args = Vec::new();
    if let Some(status) = filter.status {
        args.push(Arg::Text(status.as_str().into()));
        conditions.push(format!("t.status = ${}", args.len()));
    }
    if let Some(stores) = &filter.stores {
        let first = args.len() + 1;
        args.extend(stores.iter().map(|&id| Arg::Int(id)));
        let list = if stores.is_empty() { "NULL".to_string() } else { placeholders(first, stores.len()) };
        conditions.push(format!("(t.from_store_id IN ({list}) OR t.to_store_id IN ({list}))"));
    }
    let from = format!("{FROM} WHERE {}", conditions.join(" AND "));
    let (transfers, total) = counted_page(ex, SELECT, &from, "t.id DESC", args, page).await?;
    Ok((with_items(ex, transfers).await?, total))
}

async fn with_items<'c>(ex: impl AnyExecutor<'c>, mut transfers: Vec<Transfer>) -> Result<Vec<Transfer>> {
    if transfers.is_empty() {
        return Ok(transfers);
    }
    let sql = format!(
        "SELECT i.transfer_id, i.product_id, p.name, p.unit, i.quantity FROM stock_transfer_items i \
         JOIN products p ON p.id = i.product_id WHERE i.transfer_id IN ({}) ORDER BY i.id",
        placeholders(1, transfers.len())
    );
    let ids: Vec<Arg> = transfers.iter().map(|t| Arg::Int(t.id)).collect();
    let rows: Vec<(i64, i64, String, String, i64)> =
        bind_all(sqlx::query_as(AssertSqlSafe(sql)), &ids).fetch_all(ex).await?;
    let mut by_transfer: HashMap<i64, Vec<TransferItem>> = HashMap::new();
    for (transfer_id, product_id, product_name, unit, quantity) in rows {
        let unit = super::products::unit(unit)?;
        by_transfer.entry(transfer_id).or_default().push(TransferItem { product_id, product_name, unit, quantity });
    }
    for transfer in &mut transfers {
        transfer.items = by_transfer.remove(&transfer.id).unwrap_or_default();
    }
    Ok(transfers)
}
