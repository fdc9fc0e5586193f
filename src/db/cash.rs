//! Cash sessions: a cashier's drawer from the opening float to the count at closing, its
//! movements (suprimentos, sangrias), and what its sales and cash refunds put in and took out.

use std::collections::HashMap;

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyExecutor, AssertSqlSafe, FromRow, Row};

use super::{Arg, Backend, Enforces, Result, Tx, bind_all, limit_offset, placeholders};
use crate::domain::DomainError;
use crate::domain::cash::{
    Activity, CashMovement, CashRefund, CashSession, CashSessionsFilter, Closing, MethodTotal, MovementKind,
    NewMovement,
};
use crate::domain::money::Money;
use crate::domain::page::PageRequest;
use crate::domain::sales::PaymentMethod;
use crate::domain::time::Timestamp;

/// The user's open session: the one `open_cash_sessions` names, if it is not closed yet (a
/// closing that a locking read waited for has set `closed_at`, and the read skips it).
pub(super) const OPEN_SESSION_OF_USER: &str = "SELECT s.id FROM open_cash_sessions o JOIN cash_sessions s \
     ON s.id = o.session_id AND s.store_id = o.store_id WHERE o.user_id = $1 AND s.closed_at IS NULL";

/// How a transaction that counts on a session staying open reads it: on PostgreSQL the
/// session's row is share-locked until the transaction ends, so that a closing waits for it and
/// then counts it, and one that waited for a closing finds the session closed. (SQLite's single
/// writer already runs them one after the other.)
pub(super) fn share_lock(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "",
        Backend::Postgres => " FOR SHARE OF s",
    }
}

/// The id of the user's open cash session, if any, for a transaction that takes cash out of it
/// (a cash refund; a sale reads it the same way in `settings::sale_rules`), held with
/// [`share_lock`].
pub async fn hold_open_session(tx: &mut Tx, backend: Backend, user_id: i64) -> Result<Option<i64>> {
    let sql = format!("{OPEN_SESSION_OF_USER}{}", share_lock(backend));
    Ok(sqlx::query_scalar(AssertSqlSafe(sql)).bind(user_id).fetch_optional(&mut **tx).await?)
}

/// A cash session's owner, whether it is still open, and its store, for a sale made offline that
/// names it; held with [`share_lock`], so that a closing counts the sale
/// or the sale finds the session closed.
pub async fn hold_session(tx: &mut Tx, backend: Backend, session_id: i64) -> Result<Option<HeldSession>> {
    let sql = format!(
        "SELECT s.user_id, CASE WHEN s.closed_at IS NULL THEN 1 ELSE 0 END, s.store_id FROM cash_sessions s \
         WHERE s.id = $1{}",
        share_lock(backend)
    );
    let row: Option<(i64, i64, i64)> =
        sqlx::query_as(AssertSqlSafe(sql)).bind(session_id).fetch_optional(&mut **tx).await?;
    Ok(row.map(|(owner, open, store_id)| HeldSession { owner, open: open != 0, store_id }))
}

#[derive(Debug, Clone, Copy)]
pub struct HeldSession {
    pub owner: i64,
    pub open: bool,
    pub store_id: i64,
}

const SELECT_SESSION: &str = "SELECT s.id, s.user_id, u.username AS user_username, s.terminal, s.store_id, \
     s.terminal_id, s.opening_float_cents, \
     s.opened_at, s.closed_at, s.closed_by, c.username AS closed_by_username, s.counted_cents, s.expected_cents, \
     s.difference_cents FROM cash_sessions s JOIN users u ON u.id = s.user_id LEFT JOIN users c ON c.id = s.closed_by";

impl FromRow<'_, AnyRow> for CashSession {
    fn from_row(row: &AnyRow) -> sqlx::Result<CashSession> {
        let closed_at: Option<i64> = row.try_get("closed_at")?;
        let closing = match closed_at {
            None => None,
            Some(at) => {
                // Written together by `close`.
                let cents = |column: &str| -> sqlx::Result<Money> {
                    row.try_get::<Option<i64>, _>(column)?.map(Money::from_cents).ok_or_else(|| {
                        sqlx::Error::Decode(format!("cash_sessions.{column} nulo num caixa fechado").into())
                    })
                };
                Some(Closing {
                    at: Timestamp::from_micros(at),
                    by: row.try_get("closed_by")?,
                    by_username: row.try_get("closed_by_username")?,
                    counted: cents("counted_cents")?,
                    expected: cents("expected_cents")?,
                    difference: cents("difference_cents")?,
                })
            }
        };
        Ok(CashSession {
            id: row.try_get("id")?,
            user_id: row.try_get("user_id")?,
            user_username: row.try_get("user_username")?,
            terminal: row.try_get("terminal")?,
            store_id: row.try_get("store_id")?,
            terminal_id: row.try_get("terminal_id")?,
            opening_float: Money::from_cents(row.try_get("opening_float_cents")?),
            opened_at: Timestamp::from_micros(row.try_get("opened_at")?),
            closing,
        })
    }
}

/// A session as it is opened: where, and with how much.
#[derive(Debug, Clone, Copy)]
pub struct SessionToOpen<'a> {
    pub terminal: &'a str,
    pub opening_float: Money,
    pub store_id: i64,
    pub terminal_id: Option<i64>,
}

/// Opens a session for the user. A user with an open session already is
/// [`DomainError::CashSessionAlreadyOpen`] (the key of `open_cash_sessions` decides, also
/// between two opens at the same moment).
pub async fn insert(tx: &mut Tx, user_id: i64, new: &SessionToOpen<'_>, at: Timestamp) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO cash_sessions (user_id, terminal, opening_float_cents, opened_at, store_id, terminal_id) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(user_id)
    .bind(new.terminal)
    .bind(new.opening_float.cents())
    .bind(at.micros())
    .bind(new.store_id)
    .bind(new.terminal_id)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query("INSERT INTO open_cash_sessions (user_id, session_id, store_id) VALUES ($1, $2, $3)")
        .bind(user_id)
        .bind(id)
        .bind(new.store_id)
        .execute(&mut **tx)
        .await
        .unique_means(DomainError::CashSessionAlreadyOpen)?;
    Ok(id)
}

pub async fn get<'c>(ex: impl AnyExecutor<'c>, id: i64) -> Result<Option<CashSession>> {
    let sql = format!("{SELECT_SESSION} WHERE s.id = $1");
    Ok(sqlx::query_as(AssertSqlSafe(sql)).bind(id).fetch_optional(ex).await?)
}

/// The session, its row locked until the transaction ends (on PostgreSQL; SQLite's write
/// transactions already run one at a time): movements and the closing of one session happen
/// one after the other, each seeing what the one before it wrote.
pub async fn lock(tx: &mut Tx, backend: Backend, id: i64) -> Result<Option<CashSession>> {
    let lock = match backend {
        Backend::Sqlite => "",
        Backend::Postgres => " FOR UPDATE OF s",
    };
    let sql = format!("{SELECT_SESSION} WHERE s.id = $1{lock}");
    Ok(sqlx::query_as(AssertSqlSafe(sql)).bind(id).fetch_optional(&mut **tx).await?)
}

/// The user's open session.
pub async fn current_of<'c>(ex: impl AnyExecutor<'c>, user_id: i64) -> Result<Option<CashSession>> {
    let sql = format!("{SELECT_SESSION} WHERE s.id = ({OPEN_SESSION_OF_USER})");
    Ok(sqlx::query_as(AssertSqlSafe(sql)).bind(user_id).fetch_optional(ex).await?)
}

/// Closes an open session with its count. False when it was closed already (the condition
/// of the update decides, also between two closings at the same moment). The operator has no
/// open session after it.
pub async fn close(
    tx: &mut Tx,
    session: &CashSession,
    by: Option<i64>,
    counted: Money,
    expected: Money,
    at: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE cash_sessions SET closed_at = $2, closed_by = $3, counted_cents = $4, expected_cents = $5, \
         difference_cents = $6 WHERE id = $1 AND store_id = $7 AND closed_at IS NULL",
    )
    .bind(session.id)
    .bind(at.micros())
    .bind(by)
    .bind(counted.cents())
    .bind(expected.cents())
    .bind((counted - expected).cents())
    .bind(session.store_id)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM open_cash_sessions WHERE user_id = $1 AND session_id = $2")
        .bind(session.user_id)
        .bind(session.id)
        .execute(&mut **tx)
        .await?;
    Ok(true)
}

/// Names every session without a closing as its operator's open one (after a load, which
/// carries the sessions and not `open_cash_sessions`).
pub async fn rebuild_open_sessions(tx: &mut Tx) -> Result<()> {
    sqlx::query(
        "INSERT INTO open_cash_sessions (user_id, session_id, store_id) \
         SELECT user_id, id, store_id FROM cash_sessions WHERE closed_at IS NULL ORDER BY user_id",
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn insert_movement(
    tx: &mut Tx,
    (session_id, store_id): (i64, i64),
    user_id: i64,
    movement: &NewMovement,
    at: Timestamp,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO cash_movements (session_id, kind, amount_cents, reason, user_id, created_at, store_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(session_id)
    .bind(movement.kind.as_str())
    .bind(movement.amount.cents())
    .bind(movement.reason.as_deref())
    .bind(user_id)
    .bind(at.micros())
    .bind(store_id)
    .fetch_one(&mut **tx)
    .await?)
}

fn decode<T>(what: &str, text: &str, parse: impl Fn(&str) -> Option<T>) -> sqlx::Result<T> {
    parse(text).ok_or_else(|| sqlx::Error::Decode(format!("{what} {text}").into()))
}

/// The movements of a session, oldest first.
pub async fn movements_of<'c>(ex: impl AnyExecutor<'c>, session_id: i64) -> Result<Vec<CashMovement>> {
    let rows = sqlx::query(
        "SELECT m.id, m.session_id, m.kind, m.amount_cents, m.reason, m.user_id, u.username, m.created_at \
         FROM cash_movements m JOIN users u ON u.id = m.user_id WHERE m.session_id = $1 ORDER BY m.id",
    )
    .bind(session_id)
    .fetch_all(ex)
    .await?;
    let movement = |row: &AnyRow| -> sqlx::Result<CashMovement> {
        Ok(CashMovement {
            id: row.try_get("id")?,
            session_id: row.try_get("session_id")?,
            kind: decode("kind", &row.try_get::<String, _>("kind")?, MovementKind::parse)?,
            amount: Money::from_cents(row.try_get("amount_cents")?),
            reason: row.try_get("reason")?,
            user_id: row.try_get("user_id")?,
            user_username: row.try_get("username")?,
            created_at: Timestamp::from_micros(row.try_get("created_at")?),
        })
    };
    Ok(rows.iter().map(movement).collect::<sqlx::Result<_>>()?)
}

/// The returns refunded in cash from a session's drawer, oldest first.
pub async fn cash_refunds_of<'c>(ex: impl AnyExecutor<'c>, session_id: i64) -> Result<Vec<CashRefund>> {
    let rows = sqlx::query(
        "SELECT r.id, r.sale_id, r.refund_cents, r.user_id, u.username, r.created_at FROM sale_returns r \
         JOIN users u ON u.id = r.user_id WHERE r.cash_session_id = $1 AND r.refund_method = 'dinheiro' ORDER BY r.id",
    )
    .bind(session_id)
    .fetch_all(ex)
    .await?;
    let refund = |row: &AnyRow| -> sqlx::Result<CashRefund> {
        Ok(CashRefund {
            return_id: row.try_get("id")?,
            sale_id: row.try_get("sale_id")?,
            amount: Money::from_cents(row.try_get("refund_cents")?),
            user_id: row.try_get("user_id")?,
            user_username: row.try_get("username")?,
            created_at: Timestamp::from_micros(row.try_get("created_at")?),
        })
    };
    Ok(rows.iter().map(refund).collect::<sqlx::Result<_>>()?)
}

/// What went on in each session, read from the sales, payments, movements and returns that
/// name it (one query each, whatever the number of sessions).
pub async fn activities(conn: &mut AnyConnection, ids: &[i64]) -> Result<HashMap<i64, Activity>> {
    let mut activities: HashMap<i64, Activity> = ids.iter().map(|id| (*id, Activity::default())).collect();
    if ids.is_empty() {
        return Ok(activities);
    }
    let list = placeholders(1, ids.len());
    let args: Vec<Arg> = ids.iter().map(|id| Arg::Int(*id)).collect();

    let sql = format!(
        "SELECT cash_session_id, CAST(SUM(CASE WHEN status = 'concluida' THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN status = 'cancelada' THEN 1 ELSE 0 END) AS BIGINT) FROM sales \
         WHERE cash_session_id IN ({list}) GROUP BY cash_session_id"
    );
    let counts: Vec<(i64, i64, i64)> =
        bind_all(sqlx::query_as(AssertSqlSafe(sql)), &args).fetch_all(&mut *conn).await?;
    for (id, sold, cancelled) in counts {
        if let Some(a) = activities.get_mut(&id) {
            (a.sales_count, a.cancelled_count) = (sold, cancelled);
        }
    }

    let sql = format!(
        "SELECT s.cash_session_id, p.method, COUNT(DISTINCT s.id), CAST(SUM(p.amount_cents) AS BIGINT) \
         FROM sale_payments p JOIN sales s ON s.id = p.sale_id \
         WHERE s.cash_session_id IN ({list}) AND s.status = 'concluida' GROUP BY s.cash_session_id, p.method"
    );
    let payments: Vec<(i64, String, i64, i64)> =
        bind_all(sqlx::query_as(AssertSqlSafe(sql)), &args).fetch_all(&mut *conn).await?;
    for (id, method, count, cents) in payments {
        let method = decode("method", &method, PaymentMethod::parse)?;
        if let Some(a) = activities.get_mut(&id) {
            a.payments.push(MethodTotal { method, count, amount: Money::from_cents(cents) });
        }
    }
    for a in activities.values_mut() {
        a.payments.sort_by_key(|p| PaymentMethod::ALL.iter().position(|m| *m == p.method));
    }

    let sql = format!(
        "SELECT session_id, kind, CAST(SUM(amount_cents) AS BIGINT) FROM cash_movements \
         WHERE session_id IN ({list}) GROUP BY session_id, kind"
    );
    let movements: Vec<(i64, String, i64)> =
        bind_all(sqlx::query_as(AssertSqlSafe(sql)), &args).fetch_all(&mut *conn).await?;
    for (id, kind, cents) in movements {
        let kind = decode("kind", &kind, MovementKind::parse)?;
        if let Some(a) = activities.get_mut(&id) {
            match kind {
                MovementKind::Suprimento => a.suprimentos = Money::from_cents(cents),
                MovementKind::Sangria => a.sangrias = Money::from_cents(cents),
            }
        }
    }

    let sql = format!(
        "SELECT cash_session_id, CAST(SUM(refund_cents) AS BIGINT) FROM sale_returns \
         WHERE cash_session_id IN ({list}) AND refund_method = 'dinheiro' GROUP BY cash_session_id"
    );
    let refunds: Vec<(i64, i64)> = bind_all(sqlx::query_as(AssertSqlSafe(sql)), &args).fetch_all(&mut *conn).await?;
    for (id, cents) in refunds {
        if let Some(a) = activities.get_mut(&id) {
            a.cash_refunds = Money::from_cents(cents);
        }
    }
    Ok(activities)
}

/// What went on in one session.
pub async fn activity(conn: &mut AnyConnection, id: i64) -> Result<Activity> {
    Ok(activities(conn, &[id]).await?.remove(&id).unwrap_or_default())
}

fn where_clause(filter: &CashSessionsFilter) -> (String, Vec<Arg>) {
    let mut conditions = Vec::new();
    let mut args = Vec::new();
    if let Some(from) = filter.from {
        args.push(Arg::Int(from.micros()));
        conditions.push(format!("s.opened_at >= ${}", args.len()));
    }
    if let Some(until) = filter.until {
        args.push(Arg::Int(until.micros()));
        conditions.push(format!("s.opened_at < ${}", args.len()));
    }
    if let Some(user_id) = filter.user_id {
        args.push(Arg::Int(user_id));
        conditions.push(format!("s.user_id = ${}", args.len()));
    }
    if let Some(store_id) = filter.store_id {
        args.push(Arg::Int(store_id));
        conditions.push(format!("s.store_id = ${}", args.len()));
    }
    let clause = if conditions.is_empty() { String::new() } else { format!(" WHERE {}", conditions.join(" AND ")) };
    (clause, args)
}

pub async fn count<'c>(ex: impl AnyExecutor<'c>, filter: &CashSessionsFilter) -> Result<i64> {
    let (clause, args) = where_clause(filter);
    let sql = format!("SELECT COUNT(*) FROM cash_sessions s{clause}");
    Ok(bind_all(sqlx::query_scalar(AssertSqlSafe(sql)), &args).fetch_one(ex).await?)
}

/// A page of sessions, the last opened first.
pub async fn list<'c>(
    ex: impl AnyExecutor<'c>,
    filter: &CashSessionsFilter,
    page: PageRequest,
) -> Result<Vec<CashSession>> {
    let (clause, mut args) = where_clause(filter);
    args.push(Arg::Int(page.per_page));
    args.push(Arg::Int(page.offset()));
    let sql = format!("{SELECT_SESSION}{clause} ORDER BY s.opened_at DESC, s.id DESC{}", limit_offset(args.len() - 1));
    Ok(bind_all(sqlx::query_as(AssertSqlSafe(sql)), &args).fetch_all(ex).await?)
}

/// Every session opened in `[from, until)`, the first opened first.
pub async fn opened_between<'c>(
    ex: impl AnyExecutor<'c>,
    from: Timestamp,
    until: Timestamp,
) -> Result<Vec<CashSession>> {
    let sql = format!("{SELECT_SESSION} WHERE s.opened_at >= $1 AND s.opened_at < $2 ORDER BY s.opened_at, s.id");
    Ok(sqlx::query_as(AssertSqlSafe(sql)).bind(from.micros()).bind(until.micros()).fetch_all(ex).await?)
}
