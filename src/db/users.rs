//! All SQL that touches users. A deleted user keeps their row for the sales they made;
//! "live" below means not deleted.

use sqlx::any::AnyRow;
use sqlx::{AnyExecutor, FromRow, Row};

use super::{Db, Enforces, Result, Tx};
use crate::domain::DomainError;
use crate::domain::time::Timestamp;
use crate::domain::users::{Role, User};

impl FromRow<'_, AnyRow> for User {
    fn from_row(row: &AnyRow) -> sqlx::Result<User> {
        Ok(User {
            id: row.try_get("id")?,
            username: row.try_get("username")?,
            role: role_column(row)?,
            active: row.try_get::<Option<i64>, _>("deactivated_at")?.is_none(),
            created_at: Timestamp::from_micros(row.try_get("created_at")?),
            stores: row
                .try_get::<Option<String>, _>("store_ids")?
                .unwrap_or_default()
                .split(',')
                .filter_map(|id| id.parse().ok())
                .collect(),
        })
    }
}

fn role_column(row: &AnyRow) -> sqlx::Result<Role> {
    let text: String = row.try_get("role")?;
    Role::parse(&text).ok_or_else(|| sqlx::Error::Decode(format!("papel desconhecido no banco: {text:?}").into()))
}

macro_rules! select_user {
    () => {
        "SELECT id, username, role, deactivated_at, created_at, \
         (SELECT string_agg(CAST(store_id AS TEXT), ',' ORDER BY store_id) FROM user_stores WHERE user_id = users.id) \
         AS store_ids FROM users"
    };
}

/// What authentication needs to know about a user.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub password_hash: String,
    pub session_version: i64,
    pub active: bool,
}

impl FromRow<'_, AnyRow> for Credentials {
    fn from_row(row: &AnyRow) -> sqlx::Result<Credentials> {
        Ok(Credentials {
            id: row.try_get("id")?,
            username: row.try_get("username")?,
            role: role_column(row)?,
            password_hash: row.try_get("password_hash")?,
            session_version: row.try_get("session_version")?,
            active: row.try_get::<Option<i64>, _>("deactivated_at")?.is_none(),
        })
    }
}

macro_rules! credential_columns {
    () => {
        "id, username, role, password_hash, session_version, deactivated_at"
    };
}

macro_rules! select_credentials {
    () => {
        concat!("SELECT ", credential_columns!(), " FROM users")
    };
}

pub async fn credentials_by_username<'c>(ex: impl AnyExecutor<'c>, username: &str) -> Result<Option<Credentials>> {
    Ok(sqlx::query_as(concat!(select_credentials!(), " WHERE username = $1 AND deleted_at IS NULL"))
        .bind(username)
        .fetch_optional(ex)
        .await?)
}

/// A live user's credentials, as checked on every authenticated request, and the catalog's
/// version at that moment (migration 0002), read in the same round trip for the product pages
/// kept in memory (`http::products::ProductPages`).
pub async fn session<'c>(ex: impl AnyExecutor<'c>, id: i64) -> Result<Option<(Credentials, i64)>> {
    let row = sqlx::query(concat!(
        "SELECT ",
        credential_columns!(),
        ", (SELECT version FROM catalog_version) AS catalog_version FROM users WHERE id = $1 AND deleted_at IS NULL"
    ))
    .bind(id)
    .fetch_optional(ex)
    .await?;
    Ok(row
        .map(|row| Ok::<_, sqlx::Error>((Credentials::from_row(&row)?, row.try_get("catalog_version")?)))
        .transpose()?)
}

pub async fn credentials_by_id<'c>(ex: impl AnyExecutor<'c>, id: i64) -> Result<Option<Credentials>> {
    Ok(sqlx::query_as(concat!(select_credentials!(), " WHERE id = $1 AND deleted_at IS NULL"))
        .bind(id)
        .fetch_optional(ex)
        .await?)
}

pub async fn list<'c>(ex: impl AnyExecutor<'c>) -> Result<Vec<User>> {
    Ok(sqlx::query_as(concat!(select_user!(), " WHERE deleted_at IS NULL ORDER BY username, id")).fetch_all(ex).await?)
}

pub async fn get<'c>(ex: impl AnyExecutor<'c>, id: i64) -> Result<Option<User>> {
    Ok(sqlx::query_as(concat!(select_user!(), " WHERE id = $1 AND deleted_at IS NULL"))
        .bind(id)
        .fetch_optional(ex)
        .await?)
}

/// A live user with the same name is [`DomainError::UserExists`].
pub async fn insert<'c>(
    ex: impl AnyExecutor<'c>,
    username: &str,
    password_hash: &str,
    role: Role,
    now: Timestamp,
) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO users (username, password_hash, role, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(username)
    .bind(password_hash)
    .bind(role.as_str())
    .bind(now.micros())
    .fetch_one(ex)
    .await
    .unique_means(DomainError::UserExists)
}

/// The user's fields after an edit.
#[derive(Debug, Clone)]
pub struct UserFields {
    pub username: String,
    pub role: Role,
    pub active: bool,
    /// Some: a new password hash, which also ends every session of the user.
    pub new_password_hash: Option<String>,
}

/// Another live user with the new name is [`DomainError::UsernameTaken`].
pub async fn update(tx: &mut Tx, id: i64, fields: &UserFields, was_active: bool, now: Timestamp) -> Result<()> {
    let ends_sessions = fields.new_password_hash.is_some() || (was_active && !fields.active);
    sqlx::query(
        "UPDATE users SET username = $2, role = $3, \
         deactivated_at = CASE WHEN $4 = 1 THEN NULL ELSE COALESCE(deactivated_at, $5) END, \
         password_hash = COALESCE($6, password_hash), \
         session_version = session_version + $7 \
         WHERE id = $1 AND deleted_at IS NULL",
    )
    .bind(id)
    .bind(&fields.username)
    .bind(fields.role.as_str())
    .bind(i64::from(fields.active))
    .bind(now.micros())
    .bind(&fields.new_password_hash)
    .bind(i64::from(ends_sessions))
    .execute(&mut **tx)
    .await
    .unique_means(DomainError::UsernameTaken)?;
    Ok(())
}

/// Replaces a password hash without ending sessions (an upgrade of an old hash format on login).
pub async fn upgrade_password_hash<'c>(
    ex: impl AnyExecutor<'c>,
    id: i64,
    old_hash: &str,
    new_hash: &str,
) -> Result<()> {
    sqlx::query("UPDATE users SET password_hash = $3 WHERE id = $1 AND password_hash = $2")
        .bind(id)
        .bind(old_hash)
        .bind(new_hash)
        .execute(ex)
        .await?;
    Ok(())
}

/// Sets a new password and ends the user's sessions; returns the new session version.
pub async fn set_password<'c>(ex: impl AnyExecutor<'c>, id: i64, new_hash: &str) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "UPDATE users SET password_hash = $2, session_version = session_version + 1 \
         WHERE id = $1 AND deleted_at IS NULL RETURNING session_version",
    )
    .bind(id)
    .bind(new_hash)
    .fetch_optional(ex)
    .await?)
}

/// Marks a user deleted (their sales keep pointing at the row) and ends their sessions.
pub async fn delete(tx: &mut Tx, id: i64, now: Timestamp) -> Result<bool> {
    let result = sqlx::query(
        "UPDATE users SET deleted_at = $2, deactivated_at = COALESCE(deactivated_at, $2), \
         session_version = session_version + 1 WHERE id = $1 AND deleted_at IS NULL",
    )
    .bind(id)
    .bind(now.micros())
    .execute(&mut **tx)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Active administrators other than `id`. On PostgreSQL every active administrator's row stays
/// locked (in id order, so two of these never deadlock) until the transaction ends: two
/// administrators cannot demote each other at the same time.
pub async fn other_active_admins(tx: &mut Tx, db: &Db, id: i64) -> Result<usize> {
    let sql = format!(
        "SELECT id FROM users WHERE role = 'admin' AND deactivated_at IS NULL AND deleted_at IS NULL ORDER BY id{}",
        db.for_update()
    );
    let ids: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_all(&mut **tx).await?;
    Ok(ids.into_iter().filter(|admin| *admin != id).count())
}

/// Creates the first administrator when there are no users at all. Returns true if it did.
pub async fn create_first_admin(db: &Db, password_hash: &str, now: Timestamp) -> Result<bool> {
    let result = sqlx::query(
        "INSERT INTO users (username, password_hash, role, created_at) \
         SELECT 'admin', $1, 'admin', $2 WHERE NOT EXISTS (SELECT 1 FROM users)",
    )
    .bind(password_hash)
    .bind(now.micros())
    .execute(&db.write)
    .await
    .unique_means(DomainError::UserExists);
    match result {
        Ok(r) if r.rows_affected() == 1 => {
            // Where the administrator sells by default: the shop's first store.
            sqlx::query(
                "INSERT INTO user_stores (user_id, store_id) \
                 SELECT u.id, (SELECT MIN(id) FROM stores) FROM users u WHERE u.username = 'admin' \
                 AND EXISTS (SELECT 1 FROM stores) AND NOT EXISTS (SELECT 1 FROM user_stores WHERE user_id = u.id)",
            )
            .execute(&db.write)
            .await?;
            Ok(true)
        }
        Ok(_) => Ok(false),
        // Another instance starting at the same moment created it first.
        Err(super::Error::Refused(DomainError::UserExists)) => Ok(false),
        Err(e) => Err(e),
    }
}

pub async fn count_live<'c>(ex: impl AnyExecutor<'c>) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE deleted_at IS NULL").fetch_one(ex).await?)
}

/// Every active administrator, with their password hash.
pub async fn active_admins<'c>(ex: impl AnyExecutor<'c>) -> Result<Vec<Credentials>> {
    Ok(sqlx::query_as(concat!(
        select_credentials!(),
        " WHERE role = 'admin' AND deactivated_at IS NULL AND deleted_at IS NULL ORDER BY id"
    ))
    .fetch_all(ex)
    .await?)
}
