//! Password hashes: bcrypt for everything this system writes. Hashing is deliberately slow, so
//! it runs on the blocking thread pool, never on the async runtime's workers.

use anyhow::Context;

/// Hashes a password with bcrypt at the given cost.
pub async fn hash(password: String, cost: u32) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || bcrypt::hash(password, cost))
        .await
        .context("tarefa de hash interrompida")?
        .context("falha ao gerar o hash da senha")
}

/// The outcome of checking a password against a stored hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verified {
    No,
    Yes,
    /// Right password, but the stored hash is of an older format and should be replaced.
    YesUpgrade,
}

/// Checks `password` against a stored hash of any format this system knows.
pub async fn verify(password: String, stored: String) -> Verified {
    tokio::task::spawn_blocking(move || verify_blocking(&password, &stored)).await.unwrap_or(Verified::No)
}

fn verify_blocking(password: &str, stored: &str) -> Verified {
    if stored.starts_with("$2") {
        return if bcrypt::verify(password, stored).unwrap_or(false) { Verified::Yes } else { Verified::No };
    }
    if super::werkzeug::verify(password, stored) { Verified::YesUpgrade } else { Verified::No }
}

/// A bcrypt hash of a random password, checked when a login names an unknown user so that the
/// answer takes as long as for a known one.
pub fn decoy_hash(cost: u32) -> String {
    bcrypt::hash(uuid::Uuid::new_v4().to_string(), cost).unwrap_or_default()
}

/// The known default password (see [`crate::config::KNOWN_DEFAULT_PASSWORDS`]) that a stored
/// hash matches, if any. The candidates are checked in parallel on the blocking pool.
pub async fn known_default(stored: &str) -> Option<&'static str> {
    let checks: Vec<_> = crate::config::KNOWN_DEFAULT_PASSWORDS
        .iter()
        .map(|candidate| {
            let stored = stored.to_string();
            (*candidate, tokio::task::spawn_blocking(move || verify_blocking(candidate, &stored)))
        })
        .collect();
    let mut found = None;
    for (candidate, check) in checks {
        if check.await.is_ok_and(|verified| verified != Verified::No) {
            found = found.or(Some(candidate));
        }
    }
    found
}
