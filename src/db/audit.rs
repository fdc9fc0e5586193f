//! All SQL of the audit log. Entries are appended in the transaction of what they record, as
//! its last statement ([`append`]): on PostgreSQL the append takes a transaction-wide lock that
//! orders every appending transaction, held until the commit, so each entry links to the one
//! committed just before it. Taken last, it never enters a cycle of locks (the catalog
//! version's deferred trigger, taken at the commit, always comes after it).

use sqlx::any::AnyRow;
use sqlx::{AnyExecutor, AssertSqlSafe, FromRow, Row};

use super::{Arg, Backend, Result, Tx, counted_page};
use crate::domain::audit::{ActionFilter, AuditFilter, Entry, GENESIS, NewEntry};
use crate::domain::page::PageRequest;
use crate::domain::time::Timestamp;

/// The advisory lock key that orders appends on PostgreSQL ("SVAU").
const APPEND_LOCK: i64 = 0x5356_4155;

/// The `meta` key that lets a DELETE of the log through, inside the transaction that replaces
/// a whole shop (see the migration's triggers).
pub const REPLACING: &str = "audit_log_replacing";

const COLUMNS: &str =
    "id, created_at, user_id, username, action, entity, entity_id, client, details, prev_hash, hash, store_id";

impl FromRow<'_, AnyRow> for Entry {
    fn from_row(row: &AnyRow) -> sqlx::Result<Entry> {
        Ok(Entry {
            id: row.try_get("id")?,
            created_at: Timestamp::from_micros(row.try_get("created_at")?),
            user_id: row.try_get("user_id")?,
            username: row.try_get("username")?,
            action: row.try_get("action")?,
            entity: row.try_get("entity")?,
            entity_id: row.try_get("entity_id")?,
            client: row.try_get("client")?,
            details: row.try_get("details")?,
            prev_hash: row.try_get("prev_hash")?,
            hash: row.try_get("hash")?,
            store_id: row.try_get("store_id")?,
        })
    }
}

/// Appends entries after the last one, linked to it. Call it as the transaction's last
/// statement (see the module's comment).
pub async fn append(tx: &mut Tx, backend: Backend, entries: &[NewEntry], at: Timestamp) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    if backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(APPEND_LOCK).execute(&mut **tx).await?;
    }
    let last: Option<(i64, String)> =
        sqlx::query_as("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetch_optional(&mut **tx).await?;
    let (mut id, mut hash) = last.unwrap_or((0, GENESIS.to_string()));
    for new in entries {
        let entry = new.sealed((id, &hash), at);
        sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO audit_log ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        )))
        .bind(entry.id)
        .bind(entry.created_at.micros())
        .bind(entry.user_id)
        .bind(&entry.username)
        .bind(&entry.action)
        .bind(&entry.entity)
        .bind(entry.entity_id)
        .bind(&entry.client)
        .bind(&entry.details)
        .bind(&entry.prev_hash)
        .bind(&entry.hash)
        .bind(entry.store_id)
        .execute(&mut **tx)
        .await?;
        (id, hash) = (entry.id, entry.hash);
    }
    Ok(())
}

/// A page of entries, newest first, and how many match.
pub async fn list<'c>(
    ex: impl AnyExecutor<'c> + Copy,
    filter: &AuditFilter,
    page: PageRequest,
) -> Result<(Vec<Entry>, i64)> {
    let mut conditions = vec!["1 = 1".to_string()];
    let mut args = Vec::new();
    if let Some(user_id) = filter.user_id {
        args.push(Arg::Int(user_id));
        conditions.push(format!("user_id = ${}", args.len()));
    }
    if let Some(store_id) = filter.store_id {
        args.push(Arg::Int(store_id));
        conditions.push(format!("store_id = ${}", args.len()));
    }
    match &filter.action {
        Some(ActionFilter::Exactly(action)) => {
            args.push(Arg::Text(action.to_string()));
            conditions.push(format!("action = ${}", args.len()));
        }
        // Areas are plain words (`produto.`): no LIKE wildcard in them to escape.
        Some(ActionFilter::Area(prefix)) => {
            args.push(Arg::Text(format!("{prefix}%")));
            conditions.push(format!("action LIKE CAST(${} AS TEXT)", args.len()));
        }
        None => {}
    }
    if let Some(from) = filter.from {
        args.push(Arg::Int(from.micros()));
        conditions.push(format!("created_at >= ${}", args.len()));
    }
    if let Some(until) = filter.until {
        args.push(Arg::Int(until.micros()));
        conditions.push(format!("created_at < ${}", args.len()));
    }
    let from = format!("FROM audit_log WHERE {}", conditions.join(" AND "));
    counted_page(ex, &format!("SELECT {COLUMNS}"), &from, "id DESC", args, page).await
}

/// Up to `limit` entries after `after`, in id order (to walk the whole chain a part at a time).
pub async fn after<'c>(ex: impl AnyExecutor<'c>, after: i64, limit: i64) -> Result<Vec<Entry>> {
    let sql = format!("SELECT {COLUMNS} FROM audit_log WHERE id > $1 ORDER BY id LIMIT CAST($2 AS BIGINT)");
    Ok(sqlx::query_as(AssertSqlSafe(sql)).bind(after).bind(limit).fetch_all(ex).await?)
}
