//! Backups taken while the server keeps selling, and restores.
//!
//! - SQLite: `VACUUM INTO` a copy, which reads one snapshot like any read transaction (WAL lets
//!   the server keep writing meanwhile); the copy is checked (`PRAGMA integrity_check`) before it
//!   takes the backup's name.
//! - PostgreSQL: `pg_dump` (custom format) on a snapshot exported from a transaction of ours, so
//!   that the counts and sums reported are those of the very data dumped. Without a working
//!   `pg_dump` (not installed, older than the server), the portable export.
//!
//! A restore recognizes the file by its content: an SQLite backup or a portable export is
//! written by [`load`] (one transaction, ids kept, verified) into SQLite or PostgreSQL alike;
//! a `pg_dump` archive goes through `pg_restore --single-transaction` into PostgreSQL.

use std::ffi::OsString;
use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use sqlx::Connection;

use super::dataset::Dataset;
use super::load::{LoadOptions, load_into, not_empty_message, replaced_note};
use super::photos::{self, PhotoFile};
use super::{FileKind, Partial, portable, seconds, size};
use crate::config::{Config, DatabaseUrl};
use crate::db::bulk::{self, Totals};
use crate::db::{self, Backend, Db, PoolSettings};
use crate::domain::time::BusinessCalendar;
use crate::storage::Photos;

/// A backup written.
#[derive(Debug)]
pub struct Backup {
    pub kind: FileKind,
    pub bytes: u64,
    pub elapsed: Duration,
    /// What the backup holds.
    pub totals: Totals,
    /// How many images of product photos it holds (in the file, or beside a `pg_dump` archive).
    pub photo_files: usize,
    /// Why the file is not in the database's native format, when it is not.
    pub note: Option<String>,
}

/// Writes a consistent backup of the database to `target`, which appears complete or not at
/// all (an existing file is replaced only by a complete new one).
/// The images of the product photos go with it (see [`photos`]).
pub async fn backup(db: &Db, storage: &Photos, target: &Path) -> anyhow::Result<Backup> {
    let started = Instant::now();
    let mut backup = match db.url() {
        DatabaseUrl::Sqlite { path } => sqlite_backup(path, storage, target).await?,
        DatabaseUrl::Postgres { url } => match pg_dump(db, storage, url, target).await? {
            Ok(backup) => backup,
            Err(why) => {
                let mut export = portable::snapshot(db).await?;
                let (files, missing) = photos::collect(storage, photos::keys(&export.data.product_photos)).await?;
                export.photo_files = files;
                let bytes = portable::write(&export, target)?;
                let why = format!("{why}; backup gravado no formato portável (JSON)");
                Backup {
                    kind: FileKind::Portable,
                    bytes,
                    elapsed: Duration::ZERO,
                    totals: export.totals,
                    photo_files: export.photo_files.len(),
                    note: Some(join_notes([Some(why), missing]).unwrap_or_default()),
                }
            }
        },
    };
    backup.elapsed = started.elapsed();
    Ok(backup)
}

fn join_notes(notes: impl IntoIterator<Item = Option<String>>) -> Option<String> {
    let notes: Vec<String> = notes.into_iter().flatten().collect();
    (!notes.is_empty()).then(|| notes.join("; "))
}

async fn sqlite_backup(path: &Path, storage: &Photos, target: &Path) -> anyhow::Result<Backup> {
    if !path.is_file() {
        bail!("banco SQLite não encontrado: {}", path.display());
    }
    let partial = Partial::new(target)?;
    let mut conn = db::open_other(&path.to_string_lossy())
        .await
        .with_context(|| format!("não foi possível abrir o banco {}", path.display()))?;
    bulk::sqlite_vacuum_into(&mut conn, &partial.path).await.context("falha ao copiar o banco (VACUUM INTO)")?;
    conn.close().await?;

    let mut copy = db::open_other(&partial.path.to_string_lossy()).await?;
    // The images of the photos the copy names, into the copy itself: one file holds the shop.
    let (files, missing) = photos::collect(storage, db::photos::all_keys(&mut copy).await?).await?;
    let files: Vec<(String, Vec<u8>)> = files.into_iter().map(|f| (f.key, f.data)).collect();
    db::photos::write_backup_files(&partial.path, &files).await.context("falha ao gravar as fotos no backup")?;
    if let Some(damage) = bulk::sqlite_damage(&mut copy).await? {
        bail!("a cópia não passou na verificação de integridade: {damage}");
    }
    let mut tx = copy.begin().await?;
    let totals = bulk::totals(&mut tx).await?;
    tx.rollback().await?;
    copy.close().await?;
    let bytes = partial.finish()?;
    Ok(Backup {
        kind: FileKind::Sqlite,
        bytes,
        elapsed: Duration::ZERO,
        totals,
        photo_files: files.len(),
        note: missing,
    })
}

/// A PostgreSQL URL without its password, and the password (for `PGPASSWORD`): a password on
/// a command line is visible to every user of the machine.
fn split_password(url: &str) -> (String, Option<String>) {
    let Some(scheme_end) = url.find("://") else {
        return (url.to_string(), None);
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
        return (url.to_string(), None);
    };
    let Some(colon) = rest[..at].find(':') else {
        return (url.to_string(), None);
    };
    let password = percent_encoding::percent_decode_str(&rest[colon + 1..at]).decode_utf8_lossy().into_owned();
    (format!("{}{}{}", &url[..scheme_end + 3], &rest[..colon], &rest[at..]), Some(password))
}

/// Runs a PostgreSQL client tool (`pg_dump`, `pg_restore`) on the database at `url`, with
/// `args` after `--dbname`. Err(None) when the tool is not installed.
async fn pg_tool(tool: &str, url: &str, args: &[OsString]) -> Result<Output, Option<std::io::Error>> {
    let (url, password) = split_password(url);
    let mut command = tokio::process::Command::new(tool);
    command.arg(format!("--dbname={url}")).args(args).kill_on_drop(true);
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    match command.output().await {
        Ok(output) => Ok(output),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(None),
        Err(e) => Err(Some(e)),
    }
}

fn os_args(args: &[&str]) -> Vec<OsString> {
    args.iter().map(OsString::from).collect()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).trim().to_string()
}

/// `pg_dump` of one snapshot, shared with a transaction of ours that counts what it holds.
/// Ok(Err(why)) when `pg_dump` is missing or cannot dump this server.
async fn pg_dump(db: &Db, storage: &Photos, url: &str, target: &Path) -> anyhow::Result<Result<Backup, String>> {
    let mut tx = db.begin_snapshot().await?;
    let snapshot = bulk::postgres_export_snapshot(&mut tx).await?;
    let totals = bulk::totals(&mut tx).await?;
    let keys = db::photos::all_keys(&mut tx).await?;
    let partial = Partial::new(target)?;
    let mut args = os_args(&["--format=custom", "--no-owner", "--no-privileges", &format!("--snapshot={snapshot}")]);
    let mut file = OsString::from("--file=");
    file.push(&partial.path);
    args.push(file);
    let output = pg_tool("pg_dump", url, &args).await;
    tx.rollback().await?;
    match output {
        Err(None) => Ok(Err("pg_dump não encontrado".into())),
        Err(Some(e)) => Ok(Err(format!("pg_dump não pôde ser executado ({e})"))),
        Ok(output) if !output.status.success() => Ok(Err(format!("pg_dump falhou ({})", stderr(&output)))),
        Ok(_) => {
            // An archive of pg_dump holds only the database: the images go beside it.
            let (files, missing) = photos::collect(storage, keys).await?;
            let photo_files = files.len();
            photos::write_sidecar(target, files)?;
            let bytes = partial.finish()?;
            Ok(Ok(Backup {
                kind: FileKind::PgDump,
                bytes,
                elapsed: Duration::ZERO,
                totals,
                photo_files,
                note: missing,
            }))
        }
    }
}

/// The rows of an SQLite backup of this system. Works on a copy: the backup stays untouched,
/// and the copy's schema is brought up to date first (a backup made by an older version).
async fn read_sqlite_backup(file: &Path) -> anyhow::Result<(Dataset, Vec<PhotoFile>)> {
    let scratch = tempfile::tempdir().context("não foi possível criar uma pasta temporária")?;
    let copy = scratch.path().join("backup.db");
    std::fs::copy(file, &copy).with_context(|| format!("não foi possível ler {}", file.display()))?;

    let mut conn = db::open_other(&copy.to_string_lossy())
        .await
        .with_context(|| format!("{} não pôde ser aberto como banco SQLite", file.display()))?;
    if let Some(damage) = bulk::sqlite_damage(&mut conn).await.context("backup corrompido")? {
        bail!("o backup {} está corrompido: {damage}", file.display());
    }
    let tables = db::table_names(&mut conn, Backend::Sqlite).await?;
    let files = db::photos::read_backup_files(&mut conn).await.context("falha ao ler as fotos do backup")?;
    let files = files.into_iter().map(|(key, data)| PhotoFile { key, data }).collect();
    conn.close().await?;
    if !tables.iter().any(|t| t == "_sqlx_migrations") {
        if db::first_version::TABLES.iter().all(|t| tables.iter().any(|have| have == t)) {
            bail!("{} é um banco da primeira versão, não um backup deste sistema: use import-v1", file.display());
        }
        bail!("{} não é um backup deste sistema", file.display());
    }

    let url = DatabaseUrl::Sqlite { path: copy };
    let settings = PoolSettings {
        size: 1,
        recycle: Duration::from_secs(600),
        acquire_timeout: Duration::from_secs(30),
        sqlite_full_sync: false,
    };
    let backup = Db::connect(&url, &settings).await?;
    let data = async {
        backup.migrate().await.context(
            "o esquema do backup não pôde ser atualizado (backup feito por uma versão mais nova do sistema?)",
        )?;
        let mut tx = backup.begin_snapshot().await?;
        let data = Dataset::read(&mut tx).await.context("falha ao ler o backup")?;
        tx.rollback().await?;
        anyhow::Ok(data)
    }
    .await;
    backup.close().await;
    Ok((data?, files))
}

/// `pg_restore --single-transaction` of a `pg_dump` archive into the configured PostgreSQL
/// database: all of it or nothing. Refuses a database that holds a shop unless `force`.
async fn pg_restore(db: &Db, url: &str, file: &Path, force: bool) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    let contents = bulk::contents(&mut tx).await?;
    tx.rollback().await?;
    if !contents.is_fresh() && !force {
        bail!(not_empty_message(&contents));
    }
    let mut args = os_args(&[
        "--single-transaction",
        "--exit-on-error",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
    ]);
    args.push(file.as_os_str().to_owned());
    match pg_tool("pg_restore", url, &args).await {
        Ok(output) if output.status.success() => Ok(()),
        Ok(output) => bail!("pg_restore falhou e nada foi alterado (transação única): {}", stderr(&output)),
        Err(None) => bail!(
            "pg_restore não encontrado: instale o cliente do PostgreSQL (pacote postgresql-client) da mesma versão do \
             servidor, ou restaure um backup no formato portável"
        ),
        Err(Some(e)) => bail!("pg_restore não pôde ser executado: {e}"),
    }
}

/// `backup <file>`.
pub async fn run_backup(config: &Config, file: &Path) -> anyhow::Result<()> {
    if let DatabaseUrl::Sqlite { path } = &config.database
        && !path.is_file()
    {
        bail!("banco SQLite não encontrado: {} (confira DATABASE_URL)", path.display());
    }
    let storage = Photos::open(&config.photos)?;
    let db = crate::connect(config).await?;
    let result = backup(&db, &storage, file).await;
    db.close().await;
    let backup = result?;
    println!(
        "Backup gravado em {} ({}, {}, em {}), com:",
        file.display(),
        backup.kind.describe(),
        size(backup.bytes),
        seconds(backup.elapsed)
    );
    print!("{}", backup.totals.render());
    if backup.photo_files > 0 {
        let beside = match backup.kind {
            FileKind::PgDump => format!(" (em {}, que acompanha o backup)", photos::sidecar(file).display()),
            _ => String::new(),
        };
        println!("  imagens de fotos: {}{beside}", backup.photo_files);
    }
    if let Some(note) = &backup.note {
        println!("Observação: {note}.");
    }
    println!("Para restaurar num banco vazio: sistema-vendas restore {}", file.display());
    Ok(())
}

/// `restore <file> [--force]`.
pub async fn run_restore(config: &Config, file: &Path, force: bool) -> anyhow::Result<()> {
    let started = Instant::now();
    let kind = FileKind::of(file)?;
    let calendar = BusinessCalendar::new(config.timezone);
    let storage = Photos::open(&config.photos)?;
    // The backup is read and checked before the database is touched.
    let (data, files) = match kind {
        FileKind::Sqlite => {
            let (data, files) = read_sqlite_backup(file).await?;
            (Some(data), files)
        }
        FileKind::Portable => {
            let export = portable::read(file)?;
            (Some(export.data), export.photo_files)
        }
        FileKind::PgDump => {
            if !matches!(config.database, DatabaseUrl::Postgres { .. }) {
                bail!(
                    "{} é um backup do PostgreSQL (pg_dump) e só pode ser restaurado num banco PostgreSQL; para levar \
                     os dados ao SQLite, restaure-o no PostgreSQL e use export/import",
                    file.display()
                );
            }
            (None, photos::read_sidecar(file)?)
        }
    };

    let restored_from_rows = data.is_some();
    let photo_files = files.len();
    let mut photos_note = None;
    let (mut totals, note) = match data {
        Some(mut data) => {
            // The images first, into this deployment's storage: the rows then name only images that are there.
            photos_note = photos::restore(&storage, files, &mut data.product_photos).await?;
            let loaded = load_into(config, data, LoadOptions { replace: force, calendar, marker: None }).await?;
            (loaded.totals, replaced_note(&loaded.replaced))
        }
        None => {
            let db = crate::connect(config).await?;
            let restored = async {
                db.migrate().await.context("falha ao preparar o banco de destino")?;
                let DatabaseUrl::Postgres { url } = db.url() else { unreachable!("pg_dump só com PostgreSQL") };
                pg_restore(&db, url, file, force).await
            }
            .await;
            db.close().await;
            restored?;
            photos::restore(&storage, files, &mut Vec::new()).await?;
            (Totals::default(), None)
        }
    };

    if !restored_from_rows {
        // The archive brought its own schema: bring it up to date and count what arrived, on
        // fresh connections (the tables were recreated under the old ones).
        let db = crate::connect(config).await?;
        let counted = async {
            db.migrate().await?;
            let mut tx = db.begin().await?;
            let totals = bulk::totals(&mut tx).await?;
            tx.rollback().await?;
            anyhow::Ok(totals)
        }
        .await;
        db.close().await;
        totals = counted?;
    }
    println!(
        "Backup {} ({}) restaurado em {} em {}:",
        file.display(),
        kind.describe(),
        config.database,
        seconds(started.elapsed())
    );
    print!("{}", totals.render());
    if photo_files > 0 {
        println!("  imagens de fotos: {photo_files} (em {})", storage.describe());
    }
    if restored_from_rows {
        println!("Conferido no destino: contagens e somas iguais às do backup.");
    }
    for note in [note, photos_note].into_iter().flatten() {
        println!("Observação: {note}.");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_leave_the_url_for_the_environment() {
        assert_eq!(
            split_password("postgres://vendas:s%40nha@db.example.com:5432/loja?sslmode=require"),
            ("postgres://vendas@db.example.com:5432/loja?sslmode=require".into(), Some("s@nha".into()))
        );
        assert_eq!(split_password("postgres://postgres@127.0.0.1/x"), ("postgres://postgres@127.0.0.1/x".into(), None));
        assert_eq!(split_password("postgres://h/x"), ("postgres://h/x".into(), None));
    }
}
