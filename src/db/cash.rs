//! Cash sessions: a cashier's drawer from the opening float to the count at closing.

use sqlx::AnyExecutor;

use super::Result;

/// The id of the user's open cash session, if any.
pub async fn open_session_of<'c>(ex: impl AnyExecutor<'c>, user_id: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT id FROM cash_sessions WHERE user_id = $1 AND closed_at IS NULL")
        .bind(user_id)
        .fetch_optional(ex)
        .await?)
}
