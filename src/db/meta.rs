//! Small facts the system keeps about itself (its generated signing secret, the time zone the
//! daily totals were computed in).

use sqlx::AnyExecutor;

use super::Result;

pub async fn get<'c>(ex: impl AnyExecutor<'c>, key: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("SELECT value FROM meta WHERE key = $1").bind(key).fetch_optional(ex).await?)
}

pub async fn set<'c>(ex: impl AnyExecutor<'c>, key: &str, value: &str) -> Result<()> {
    sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(key)
        .bind(value)
        .execute(ex)
        .await?;
    Ok(())
}

/// Stores `value` unless the key already has one; returns the value that is stored.
pub async fn get_or_insert<'c>(ex: impl AnyExecutor<'c> + Copy, key: &str, value: &str) -> Result<String> {
    sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
        .bind(key)
        .bind(value)
        .execute(ex)
        .await?;
    Ok(sqlx::query_scalar("SELECT value FROM meta WHERE key = $1").bind(key).fetch_one(ex).await?)
}
