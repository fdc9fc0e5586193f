//! Backups the server takes by itself (`BACKUP_DIR`): one every `BACKUP_INTERVAL` (24 h by
//! default), kept `BACKUP_KEEP_DAYS` (7 by default). The time of the newest backup in the
//! folder decides when the next is due, so that a shop that switches its computer off every
//! night still gets its daily backup when it starts the server in the morning.
//!
//! Files are named `sistema-vendas-AAAAMMDD-HHMMSS.db` (SQLite) or `.backup` (PostgreSQL:
//! pg_dump, or the portable export); only files named so are ever removed, the newest never.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, Utc};

use super::{backup, seconds, size};
use crate::config::BackupSchedule;
use crate::db::{Backend, Db};
use crate::storage::Photos;

const PREFIX: &str = "sistema-vendas-";
const TIME_FORMAT: &str = "%Y%m%d-%H%M%S";
/// After a failed backup, the next attempt comes at most this much later.
const RETRY: Duration = Duration::from_secs(300);

/// The name of a backup taken at `at`.
pub fn file_name(at: DateTime<Utc>, backend: Backend) -> String {
    let extension = match backend {
        Backend::Sqlite => "db",
        Backend::Postgres => "backup",
    };
    format!("{PREFIX}{}.{extension}", at.format(TIME_FORMAT))
}

/// When a file of the folder is a scheduled backup, the time its name gives.
fn taken_at(name: &str) -> Option<DateTime<Utc>> {
    let rest = name.strip_prefix(PREFIX)?;
    let (stamp, extension) = rest.split_once('.')?;
    if !matches!(extension, "db" | "backup") {
        return None;
    }
    NaiveDateTime::parse_from_str(stamp, TIME_FORMAT).ok().map(|t| t.and_utc())
}

/// The scheduled backups in `dir`, oldest first.
fn backups_in(dir: &Path) -> Vec<(DateTime<Utc>, PathBuf)> {
    let mut found: Vec<(DateTime<Utc>, PathBuf)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name();
            taken_at(name.to_str()?).map(|at| (at, entry.path()))
        })
        .collect();
    found.sort();
    found
}

/// When the next backup is due: one interval after the newest, or now.
pub fn next_due(dir: &Path, every: Duration, now: DateTime<Utc>) -> DateTime<Utc> {
    match backups_in(dir).last() {
        Some((newest, _)) => (*newest + every).min(now + every).max(now),
        None => now,
    }
}

/// Removes the scheduled backups older than `keep`, never the newest, and what backups cut
/// short by a stop of the server left behind (hidden `.partial` files). Runs between backups.
/// Returns what it removed.
pub fn prune(dir: &Path, keep: Duration, now: DateTime<Utc>) -> Vec<PathBuf> {
    let mut backups = backups_in(dir);
    backups.pop();
    let old = backups
        .into_iter()
        .filter(|(at, _)| now.signed_duration_since(*at).to_std().is_ok_and(|age| age > keep))
        .map(|(_, path)| path);
    let partial = std::fs::read_dir(dir).into_iter().flatten().flatten().map(|e| e.path()).filter(|path| {
        path.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(&format!(".{PREFIX}")) && n.ends_with(".partial"))
    });
    old.chain(partial.collect::<Vec<_>>())
        .filter(|path| std::fs::remove_file(path).is_ok())
        .inspect(|path| {
            // The images beside a pg_dump archive go with it.
            let _ = std::fs::remove_file(super::photos::sidecar(path));
        })
        .collect()
}

/// Takes backups on schedule until the task is aborted (when the server stops).
pub async fn run(db: Db, storage: Photos, schedule: BackupSchedule) {
    if let Err(e) = std::fs::create_dir_all(&schedule.dir) {
        tracing::error!(dir = %schedule.dir.display(), error = %e, "BACKUP_DIR inacessível: backups automáticos desligados");
        return;
    }
    tracing::info!(dir = %schedule.dir.display(), every = ?schedule.every, "backups automáticos ligados");
    let mut retry_at = None;
    loop {
        let now = Utc::now();
        let due = retry_at.unwrap_or_else(|| next_due(&schedule.dir, schedule.every, now));
        if let Ok(wait) = due.signed_duration_since(now).to_std() {
            tokio::time::sleep(wait).await;
        }
        let now = Utc::now();
        let path = schedule.dir.join(file_name(now, db.backend));
        match backup::backup(&db, &storage, &path).await {
            Ok(done) => {
                retry_at = None;
                tracing::info!(
                    file = %path.display(),
                    size = %size(done.bytes),
                    took = %seconds(done.elapsed),
                    sales = done.totals.sales,
                    note = done.note.as_deref().unwrap_or(""),
                    "backup automático gravado"
                );
                for removed in prune(&schedule.dir, schedule.keep, now) {
                    tracing::info!(file = %removed.display(), "backup antigo removido");
                }
            }
            Err(e) => {
                tracing::error!(file = %path.display(), error = format!("{e:#}"), "backup automático falhou");
                retry_at = Some(now + schedule.every.min(RETRY));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn names_carry_the_time_and_only_they_are_recognized() {
        let name = file_name(at("2026-11-29T17:05:09Z"), Backend::Sqlite);
        assert_eq!(name, "sistema-vendas-20261129-170509.db");
        assert_eq!(taken_at(&name), Some(at("2026-11-29T17:05:09Z")));
        assert_eq!(taken_at("sistema-vendas-20261129-170509.backup"), Some(at("2026-11-29T17:05:09Z")));
        for other in ["sistema-vendas.db", "sistema-vendas-2026.db", "sistema-vendas-20261129-170509.txt", "notas.db"] {
            assert_eq!(taken_at(other), None, "{other}");
        }
    }

    #[test]
    fn the_next_backup_follows_the_newest_and_old_ones_go() {
        let dir = tempfile::tempdir().unwrap();
        let day = Duration::from_secs(86_400);
        let now = at("2026-11-29T12:00:00Z");
        assert_eq!(next_due(dir.path(), day, now), now, "sem backups: agora");
        for name in [
            "sistema-vendas-20261101-080000.db",
            "sistema-vendas-20261120-080000.db",
            "sistema-vendas-20261129-080000.db",
            "outro-arquivo.db",
            ".sistema-vendas-20261128-080000.db.partial",
        ] {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        assert_eq!(next_due(dir.path(), day, now), at("2026-11-30T08:00:00Z"));
        assert_eq!(next_due(dir.path(), day, at("2026-12-05T12:00:00Z")), at("2026-12-05T12:00:00Z"), "atrasado");
        let removed = prune(dir.path(), 7 * day, now);
        assert_eq!(removed.len(), 3, "dois antigos e um parcial: {removed:?}");
        let mut left: Vec<String> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        left.sort();
        assert_eq!(left, ["outro-arquivo.db", "sistema-vendas-20261129-080000.db"]);
        // The newest stays even when it is old.
        assert!(prune(dir.path(), day, at("2027-06-01T00:00:00Z")).is_empty());
    }
}
