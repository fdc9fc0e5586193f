//! The database: one code path for SQLite and PostgreSQL through sqlx's `Any` driver, with
//! portable SQL (`$1` placeholders, integer cents, integer microsecond timestamps). Where the
//! dialects differ, this module branches in one place ([`Backend`]).
//!
//! On SQLite all writes go through a single connection (SQLite has one writer at a time; a
//! queue in the pool is cheaper and fairer than busy-waiting on locks), reads through a pool
//! of read-only connections that WAL lets run beside the writer.
//!
//! Every function here maps rows to `domain` types and returns [`Result`]: a failure of the
//! database, told apart into "unavailable, retry" and the rest, or a rule of the shop that a
//! constraint of the schema enforced (a name that must be unique), as the [`DomainError`] it
//! means. Stock is written by [`inventory`] alone; [`schema`] lists every table and how it
//! moves with backups and exports.

pub mod audit;
pub mod bulk;
pub mod cash;
pub mod categories;
pub mod customers;
pub mod first_version;
pub mod inventory;
pub mod meta;
pub mod photos;
pub mod products;
pub mod reports;
pub mod rollups;
pub mod sales;
pub mod schema;
pub mod settings;
pub mod stores;
pub mod transfers;
pub mod users;

use std::time::Duration;

use anyhow::Context;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyPool, Executor, Transaction};

use crate::config::DatabaseUrl;
use crate::domain::DomainError;

/// What a database call fails with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A rule of the shop that a constraint of the schema enforced.
    #[error(transparent)]
    Refused(#[from] DomainError),
    /// The database cannot be reached right now (a lost connection, a busy SQLite): a client may
    /// retry.
    #[error("banco de dados indisponível: {0}")]
    Unavailable(#[source] sqlx::Error),
    #[error(transparent)]
    Failed(sqlx::Error),
    /// A sum beyond what an integer of cents holds: reported, never wrapped or clamped.
    #[error("{0} acima do limite representável")]
    Overflow(&'static str),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<sqlx::Error> for Error {
    fn from(error: sqlx::Error) -> Error {
        let unavailable = match &error {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) => true,
            sqlx::Error::Database(e) => e.code().is_some_and(|code| is_unavailable_code(&code)),
            _ => false,
        };
        if unavailable { Error::Unavailable(error) } else { Error::Failed(error) }
    }
}

/// Database error codes that mean "not now" rather than "never": PostgreSQL's connection
/// exceptions (SQLSTATE class 08), the ends of a connection an operator or the server caused
/// (57P01-57P05: shutdowns, a database dropped, an idle session ended) and the database
/// missing when connecting (3D000, after a drop), and SQLite's busy and locked (extended) codes
/// once `busy_timeout` ran out.
fn is_unavailable_code(code: &str) -> bool {
    if code.len() == 5 {
        return code.starts_with("08") || code.starts_with("57P") || code == "3D000";
    }
    code.parse::<u32>().is_ok_and(|sqlite| matches!(sqlite & 0xff, 5 | 6))
}

/// Turns the violation of a constraint a client can cause into the rule it enforces.
pub(crate) trait Enforces<T> {
    /// A unique constraint (index) on the statement's table.
    fn unique_means(self, rule: DomainError) -> Result<T>;
    /// A foreign key of the statement's table.
    fn foreign_key_means(self, rule: DomainError) -> Result<T>;
}

impl<T> Enforces<T> for Result<T> {
    fn unique_means(self, rule: DomainError) -> Result<T> {
        match self {
            Err(Error::Failed(sqlx::Error::Database(e))) if e.is_unique_violation() => Err(Error::Refused(rule)),
            other => other,
        }
    }

    fn foreign_key_means(self, rule: DomainError) -> Result<T> {
        match self {
            Err(Error::Failed(sqlx::Error::Database(e))) if e.is_foreign_key_violation() => Err(Error::Refused(rule)),
            other => other,
        }
    }
}

impl<T> Enforces<T> for sqlx::Result<T> {
    fn unique_means(self, rule: DomainError) -> Result<T> {
        self.map_err(Error::from).unique_means(rule)
    }

    fn foreign_key_means(self, rule: DomainError) -> Result<T> {
        self.map_err(Error::from).foreign_key_means(rule)
    }
}

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

/// Commit durability on SQLite: WAL with `synchronous = NORMAL` by default. A commit is in the
/// write-ahead log, in the operating system's hands, before the sale is answered 201: it
/// survives a killed or crashed process. The log is synced at checkpoints, not on every commit,
/// so a power cut can lose the last moments of sales but never corrupts the database. `FULL`
/// (`SQLITE_SYNCHRONOUS=full`, a sync per commit, for a shop without a UPS) survives that too;
/// it measured 620 sales/s against 950-1,100 on a slow day of this machine, 1,427 against 1,652
/// on a fast one; see docs/performance.md.
fn sqlite_pragmas(full_sync: bool) -> &'static str {
    macro_rules! pragmas {
        ($synchronous:literal) => {
            concat!(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = ",
                $synchronous,
                "; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA temp_store = MEMORY; \
                 PRAGMA cache_size = -32000;"
            )
        };
    }
    if full_sync { pragmas!("FULL") } else { pragmas!("NORMAL") }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone)]
pub struct PoolSettings {
    pub size: u32,
    pub recycle: Duration,
    pub acquire_timeout: Duration,
    /// SQLite only: a sync to the disk on every commit (see `sqlite_pragmas`).
    pub sqlite_full_sync: bool,
}

#[derive(Clone)]
pub struct Db {
    /// Reads that need no transaction.
    pub read: AnyPool,
    /// Writes and transactions.
    pub write: AnyPool,
    pub backend: Backend,
    url: DatabaseUrl,
}

pub type Tx = Transaction<'static, Any>;

impl Db {
    pub async fn connect(url: &DatabaseUrl, settings: &PoolSettings) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        let options: AnyConnectOptions =
            url.connect_url().parse().with_context(|| format!("DATABASE_URL inválido: {url}"))?;
        // A connection is checked before use when it crosses a network (a server or a proxy may
        // have closed it). A SQLite connection is a file handle that cannot go stale, and the
        // check would cost a round trip to its worker thread on every query.
        let base = || {
            AnyPoolOptions::new()
                .max_lifetime(settings.recycle)
                .acquire_timeout(settings.acquire_timeout)
                .test_before_acquire(!url.is_sqlite())
        };
        let db = match url {
            DatabaseUrl::Sqlite { path } => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("não foi possível criar a pasta {}", dir.display()))?;
                }
                let pragmas = sqlite_pragmas(settings.sqlite_full_sync);
                let write = base()
                    .max_connections(1)
                    .after_connect(move |conn, _| Box::pin(async move { conn.execute(pragmas).await.map(|_| ()) }))
                    .connect_with(options.clone())
                    .await
                    .with_context(|| format!("não foi possível abrir o banco {url}"))?;
                let read = base()
                    .max_connections(settings.size)
                    .after_connect(move |conn, _| {
                        Box::pin(async move {
                            conn.execute(pragmas).await?;
                            conn.execute("PRAGMA query_only = ON").await.map(|_| ())
                        })
                    })
                    .connect_lazy_with(options);
                Db { read, write, backend: Backend::Sqlite, url: url.clone() }
            }
            DatabaseUrl::Postgres { .. } => {
                let pool = base()
                    .max_connections(settings.size)
                    .connect_with(options)
                    .await
                    .with_context(|| format!("não foi possível conectar ao PostgreSQL em {url}"))?;
                Db { read: pool.clone(), write: pool, backend: Backend::Postgres, url: url.clone() }
            }
        };
        Ok(db)
    }

    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    /// Brings the schema up to date. Safe when several instances start at once: PostgreSQL
    /// serializes migrators with an advisory lock, and on SQLite a lock file beside the database
    /// does the same across processes.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        match &self.url {
            DatabaseUrl::Postgres { .. } => POSTGRES_MIGRATIONS.run(&self.write).await?,
            DatabaseUrl::Sqlite { path } => {
                let lock_path = path.with_extension("migrate.lock");
                let lock = tokio::task::spawn_blocking(move || -> std::io::Result<std::fs::File> {
                    let file = std::fs::File::options().create(true).truncate(false).write(true).open(&lock_path)?;
                    file.lock()?;
                    Ok(file)
                })
                .await?
                .context("não foi possível obter o bloqueio de migração do SQLite")?;
                let result = SQLITE_MIGRATIONS.run(&self.write).await;
                drop(lock);
                result?;
            }
        }
        Ok(())
    }

    /// Migrations applied to this database, and migrations this binary knows (for `check`).
    pub async fn migration_status(&self) -> anyhow::Result<(usize, usize)> {
        let known = match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.iter().count(),
            Backend::Postgres => POSTGRES_MIGRATIONS.iter().count(),
        };
        // No table yet: nothing applied.
        let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
            .fetch_one(&self.read)
            .await
            .unwrap_or(0);
        Ok((applied as usize, known))
    }

    /// A short description of the server, e.g. `PostgreSQL 15.19 ...` or `SQLite 3.51.0`.
    pub async fn server_version(&self) -> Result<String> {
        match self.backend {
            Backend::Sqlite => {
                let version: String = sqlx::query_scalar("SELECT sqlite_version()").fetch_one(&self.write).await?;
                let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&self.write).await?;
                let synchronous = if synchronous >= 2 { "FULL" } else { "NORMAL" };
                Ok(format!("SQLite {version}, synchronous = {synchronous}"))
            }
            Backend::Postgres => Ok(sqlx::query_scalar("SELECT version()").fetch_one(&self.read).await?),
        }
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`): a transaction that reads first and writes later could otherwise fail with
    /// "database is locked" when another process wrote in between, instead of waiting its turn.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self.backend {
            Backend::Sqlite => self.write.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.write.begin().await?,
        })
    }

    /// Starts a read-only transaction that sees one consistent snapshot of the whole database
    /// while writers go on: `REPEATABLE READ` on PostgreSQL; on SQLite (WAL) a read transaction
    /// keeps the snapshot of its first read until it ends.
    pub async fn begin_snapshot(&self) -> Result<Tx> {
        Ok(match self.backend {
            Backend::Sqlite => self.read.begin().await?,
            Backend::Postgres => self.read.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?,
        })
    }

    /// True when the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.read).await.is_ok()
    }

    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }

    /// On PostgreSQL, locks the rows a statement selects until the transaction ends (SQLite
    /// needs nothing: its single writer already serializes write transactions).
    pub fn for_update(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE",
        }
    }
}

/// One connection outside the pools, to a database that is not the system's own (a backup, a
/// first-version source): a `postgres://` URL, or an SQLite file opened read-only.
pub async fn open_other(url_or_sqlite_file: &str) -> Result<sqlx::AnyConnection> {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    Ok(if url_or_sqlite_file.starts_with("postgres://") {
        sqlx::AnyConnection::connect(url_or_sqlite_file).await?
    } else {
        sqlx::AnyConnection::connect(&format!("sqlite://{url_or_sqlite_file}?mode=ro")).await?
    })
}

/// The names of the tables of a database (in its current schema, on PostgreSQL).
pub async fn table_names(conn: &mut sqlx::AnyConnection, backend: Backend) -> Result<Vec<String>> {
    let sql = match backend {
        Backend::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table'",
        Backend::Postgres => {
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables WHERE table_schema = current_schema()"
        }
    };
    Ok(sqlx::query_scalar(sql).fetch_all(conn).await?)
}

/// The names of the columns of a table.
pub async fn column_names(conn: &mut sqlx::AnyConnection, backend: Backend, table: &str) -> Result<Vec<String>> {
    let names = match backend {
        Backend::Sqlite => {
            sqlx::query_scalar("SELECT name FROM pragma_table_info($1)").bind(table).fetch_all(conn).await?
        }
        Backend::Postgres => {
            sqlx::query_scalar(
                "SELECT CAST(column_name AS TEXT) FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1",
            )
            .bind(table)
            .fetch_all(conn)
            .await?
        }
    };
    Ok(names)
}

/// A list of `$n` placeholders starting at `$first`: `$3, $4, $5`.
pub fn placeholders(first: usize, count: usize) -> String {
    (first..first + count).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ")
}

/// `LIMIT` and `OFFSET` bound to parameters `$first` and `$first + 1`. Through a cast: SQLite
/// reads a bare bound `LIMIT` value while planning, and then compiles the statement again every
/// time the value is bound, which cost more than the rest of a product page.
pub fn limit_offset(first: usize) -> String {
    format!(" LIMIT CAST(${first} AS BIGINT) OFFSET CAST(${} AS BIGINT)", first + 1)
}

/// A page of rows in `order`, and how many rows `from` (`FROM ... WHERE ...`, with `args`)
/// holds: the count first, and no page read past the last row.
pub async fn counted_page<'c, T>(
    ex: impl sqlx::AnyExecutor<'c> + Copy,
    select: &str,
    from: &str,
    order: &str,
    mut args: Vec<Arg>,
    page: crate::domain::page::PageRequest,
) -> Result<(Vec<T>, i64)>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let count_sql = format!("SELECT COUNT(*) {from}");
    let total: i64 = bind_all(sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql)), &args).fetch_one(ex).await?;
    if page.offset() >= total {
        return Ok((Vec::new(), total));
    }
    args.push(Arg::Int(page.per_page));
    args.push(Arg::Int(page.offset()));
    let sql = format!("{select} {from} ORDER BY {order}{}", limit_offset(args.len() - 1));
    Ok((bind_all(sqlx::query_as(sqlx::AssertSqlSafe(sql)), &args).fetch_all(ex).await?, total))
}

/// A value bound to a statement whose text is built at run time (optional filters).
#[derive(Debug, Clone)]
pub enum Arg {
    Int(i64),
    Text(String),
    MaybeInt(Option<i64>),
    MaybeText(Option<String>),
}

/// Binds `args`, in order, to `$1`, `$2`, ... of a query.
pub fn bind_all<'q, Q: Bind<'q>>(mut query: Q, args: &[Arg]) -> Q {
    for arg in args {
        query = match arg {
            Arg::Int(v) => query.bind_value(*v),
            Arg::Text(v) => query.bind_value(v.clone()),
            Arg::MaybeInt(v) => query.bind_value(*v),
            Arg::MaybeText(v) => query.bind_value(v.clone()),
        };
    }
    query
}

/// The queries `bind_all` works on.
pub trait Bind<'q>: Sized {
    fn bind_value<T: 'q + sqlx::Encode<'q, Any> + sqlx::Type<Any>>(self, value: T) -> Self;
}

impl<'q> Bind<'q> for sqlx::query::Query<'q, Any, sqlx::any::AnyArguments> {
    fn bind_value<T: 'q + sqlx::Encode<'q, Any> + sqlx::Type<Any>>(self, value: T) -> Self {
        self.bind(value)
    }
}

impl<'q, O> Bind<'q> for sqlx::query::QueryAs<'q, Any, O, sqlx::any::AnyArguments> {
    fn bind_value<T: 'q + sqlx::Encode<'q, Any> + sqlx::Type<Any>>(self, value: T) -> Self {
        self.bind(value)
    }
}

impl<'q, O> Bind<'q> for sqlx::query::QueryScalar<'q, Any, O, sqlx::any::AnyArguments> {
    fn bind_value<T: 'q + sqlx::Encode<'q, Any> + sqlx::Type<Any>>(self, value: T) -> Self {
        self.bind(value)
    }
}

#[cfg(test)]
mod tests {
    use super::is_unavailable_code;

    #[test]
    fn lost_connections_and_busy_databases_are_unavailable_not_internal() {
        for code in ["08006", "08003", "57P01", "57P03", "57P04", "57P05", "3D000", "5", "6", "517", "261"] {
            assert!(is_unavailable_code(code), "{code}");
        }
        for code in ["23505", "23503", "40001", "42601", "22005", "57014", "0A000", "55000", "19", "2067", "1"] {
            assert!(!is_unavailable_code(code), "{code}");
        }
    }
}
