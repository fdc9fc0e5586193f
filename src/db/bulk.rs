//! All SQL that moves a whole shop at once, driven by the registry of [`super::schema`]: what
//! a database holds, emptying it, continuing the id sequences after rows written with their
//! ids, and the counts and sums that verify a move. Used by export/import, backup/restore and
//! the first-version import.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, AssertSqlSafe, Row};

use super::schema::{CARRIED, NOT_CARRIED, NotCarried};
use super::{Backend, Result, audit, meta};
use crate::domain::money::brl;

/// How many rows the shop tables hold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Contents {
    pub users: i64,
    pub categories: i64,
    pub products: i64,
    pub sales: i64,
}

impl Contents {
    /// True when there is nothing but what the server creates on its first start (the `admin`
    /// user): no catalog, no sales, at most one user.
    pub fn is_fresh(&self) -> bool {
        self.categories == 0 && self.products == 0 && self.sales == 0 && self.users <= 1
    }
}

pub async fn contents(conn: &mut AnyConnection) -> Result<Contents> {
    let row = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM users) AS users, (SELECT COUNT(*) FROM categories) AS categories, \
         (SELECT COUNT(*) FROM products) AS products, (SELECT COUNT(*) FROM sales) AS sales",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(Contents {
        users: row.try_get("users")?,
        categories: row.try_get("categories")?,
        products: row.try_get("products")?,
        sales: row.try_get("sales")?,
    })
}

/// Deletes every row of the carried tables and of the tables rebuilt from them. Returns the
/// highest session version the deleted users had, so that tokens issued to them cannot match
/// the users written next.
pub async fn clear(conn: &mut AnyConnection) -> Result<i64> {
    let highest: i64 = sqlx::query_scalar("SELECT CAST(COALESCE(MAX(session_version), 0) AS BIGINT) FROM users")
        .fetch_one(&mut *conn)
        .await?;
    let rebuilt = NOT_CARRIED.iter().filter(|(_, why)| matches!(why, NotCarried::Rebuilt(_))).map(|(t, _)| *t);
    // The audit log refuses a DELETE unless this transaction says it replaces the whole shop.
    meta::set(&mut *conn, audit::REPLACING, "1").await?;
    for table in rebuilt.chain(CARRIED.iter().rev().map(|(t, _)| *t)) {
        sqlx::query(AssertSqlSafe(format!("DELETE FROM {table}"))).execute(&mut *conn).await?;
    }
    sqlx::query("DELETE FROM meta WHERE key = $1").bind(audit::REPLACING).execute(&mut *conn).await?;
    Ok(highest)
}

/// PostgreSQL: brings the planner's statistics up to the rows this transaction just wrote.
/// Without them its estimates for the loaded tables are so far off (thousands of items per
/// sale) that it JIT-compiles every part's query of the totals recomputed next: ten times the
/// query itself. (SQLite plans without statistics.)
pub async fn analyze(conn: &mut AnyConnection, backend: Backend) -> Result<()> {
    if backend == Backend::Postgres {
        sqlx::query("ANALYZE").execute(&mut *conn).await?;
    }
    Ok(())
}

/// Makes new rows continue after the highest id of each carried table. PostgreSQL identity
/// columns keep their own sequence, which explicit ids do not move; SQLite's AUTOINCREMENT
/// counter (`sqlite_sequence`) follows explicit ids on its own but keeps a higher value left by
/// rows that were deleted, so it is set too: both continue right after the rows written.
pub async fn continue_ids_after_rows(conn: &mut AnyConnection, backend: Backend) -> Result<()> {
    for (table, _) in CARRIED {
        let statements = match backend {
            Backend::Postgres => vec![format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )],
            Backend::Sqlite => vec![
                format!("DELETE FROM sqlite_sequence WHERE name = '{table}'"),
                format!("INSERT INTO sqlite_sequence (name, seq) SELECT '{table}', COALESCE(MAX(id), 0) FROM {table}"),
            ],
        };
        for sql in statements {
            sqlx::query(AssertSqlSafe(sql)).execute(&mut *conn).await?;
        }
    }
    Ok(())
}

/// Counts and sums that must be the same in the source and, after an import, in the database.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub users: i64,
    pub categories: i64,
    pub products: i64,
    pub sales: i64,
    pub sale_items: i64,
    /// Sum of the sales' totals.
    pub sales_cents: i64,
    /// Sum of quantity × price at sale over every item.
    pub items_cents: i64,
    pub units_sold: i64,
    /// Units in stock over every product.
    pub stock_units: i64,
    /// Sales per user, every user listed (with zero sales too), in id order.
    pub per_user: Vec<UserTotals>,
    /// Rows of every carried table (absent from files written before the registry).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tables: BTreeMap<String, i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserTotals {
    pub user_id: i64,
    pub username: String,
    pub sales: i64,
    pub cents: i64,
}

impl Totals {
    /// The report printed after an export, an import or a backup, in Portuguese.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!("  usuários    {:>8}\n", self.users));
        out.push_str(&format!("  categorias  {:>8}\n", self.categories));
        out.push_str(&format!("  produtos    {:>8}   ({} unidades em estoque)\n", self.products, self.stock_units));
        out.push_str(&format!("  vendas      {:>8}   total {}\n", self.sales, brl(self.sales_cents)));
        out.push_str(&format!(
            "  itens       {:>8}   {} unidades, {}\n",
            self.sale_items,
            self.units_sold,
            brl(self.items_cents)
        ));
        if let Some(movements) = self.tables.get("stock_movements") {
            out.push_str(&format!("  movimentos de estoque {movements:>8}\n"));
        }
        if !self.per_user.is_empty() {
            out.push_str("  por usuário:\n");
            let width = self.per_user.iter().map(|u| u.username.chars().count()).max().unwrap_or(0);
            for user in &self.per_user {
                out.push_str(&format!(
                    "    {:<width$}  {:>6} vendas  {:>16}\n",
                    user.username,
                    user.sales,
                    brl(user.cents),
                    width = width
                ));
            }
        }
        out
    }

    /// What differs between two reports, one line per field (empty when they agree). Row
    /// counts per table are compared when both reports have them.
    pub fn differences(&self, other: &Totals) -> Vec<String> {
        let mut out = Vec::new();
        let fields = [
            ("usuários", self.users, other.users),
            ("categorias", self.categories, other.categories),
            ("produtos", self.products, other.products),
            ("vendas", self.sales, other.sales),
            ("itens", self.sale_items, other.sale_items),
            ("total das vendas (centavos)", self.sales_cents, other.sales_cents),
            ("total dos itens (centavos)", self.items_cents, other.items_cents),
            ("unidades vendidas", self.units_sold, other.units_sold),
            ("unidades em estoque", self.stock_units, other.stock_units),
        ];
        for (name, a, b) in fields {
            if a != b {
                out.push(format!("{name}: esperado {a}, encontrado {b}"));
            }
        }
        if self.per_user != other.per_user {
            out.push(format!("totais por usuário: esperado {:?}, encontrado {:?}", self.per_user, other.per_user));
        }
        if !self.tables.is_empty() && !other.tables.is_empty() && self.tables != other.tables {
            out.push(format!("linhas por tabela: esperado {:?}, encontrado {:?}", self.tables, other.tables));
        }
        out
    }
}

/// The counts and sums of what the database holds, read in the caller's transaction.
pub async fn totals(conn: &mut AnyConnection) -> Result<Totals> {
    // Units count what is sold in whole units (not the grams of what is sold by weight).
    let whole = format!("NOT {}", super::inventory::fractional_units());
    let sql = format!(
        "SELECT (SELECT COUNT(*) FROM users) AS users, (SELECT COUNT(*) FROM categories) AS categories, \
         (SELECT COUNT(*) FROM products) AS products, (SELECT COUNT(*) FROM sales) AS sales, \
         (SELECT COUNT(*) FROM sale_items) AS sale_items, \
         (SELECT CAST(COALESCE(SUM(total_cents), 0) AS BIGINT) FROM sales) AS sales_cents, \
         (SELECT CAST(COALESCE(SUM(net_cents), 0) AS BIGINT) FROM sale_items) AS items_cents, \
         (SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM sale_items WHERE {whole}) AS units_sold, \
         (SELECT CAST(COALESCE(SUM(stock), 0) AS BIGINT) FROM products WHERE {whole}) AS stock_units"
    );
    let row = sqlx::query(AssertSqlSafe(sql)).fetch_one(&mut *conn).await?;
    let per_user = sqlx::query(
        "SELECT u.id, u.username, COUNT(s.id) AS sales, CAST(COALESCE(SUM(s.total_cents), 0) AS BIGINT) AS cents \
         FROM users u LEFT JOIN sales s ON s.user_id = u.id GROUP BY u.id, u.username ORDER BY u.id",
    )
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok(UserTotals {
            user_id: r.try_get("id")?,
            username: r.try_get("username")?,
            sales: r.try_get("sales")?,
            cents: r.try_get("cents")?,
        })
    })
    .collect::<sqlx::Result<Vec<_>>>()?;
    let mut tables = BTreeMap::new();
    for (table, _) in CARRIED {
        let count: i64 =
            sqlx::query_scalar(AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}"))).fetch_one(&mut *conn).await?;
        tables.insert(table.to_string(), count);
    }
    Ok(Totals {
        users: row.try_get("users")?,
        categories: row.try_get("categories")?,
        products: row.try_get("products")?,
        sales: row.try_get("sales")?,
        sale_items: row.try_get("sale_items")?,
        sales_cents: row.try_get("sales_cents")?,
        items_cents: row.try_get("items_cents")?,
        units_sold: row.try_get("units_sold")?,
        stock_units: row.try_get("stock_units")?,
        per_user,
        tables,
    })
}

/// Writes a consistent copy of an SQLite database to `target` (which must not exist) while
/// other connections keep writing: `VACUUM INTO` reads one snapshot, like any read
/// transaction. `conn` must not be `query_only`.
pub async fn sqlite_vacuum_into(conn: &mut AnyConnection, target: &Path) -> Result<()> {
    sqlx::query("VACUUM INTO $1").bind(target.to_string_lossy().into_owned()).execute(conn).await?;
    Ok(())
}

/// `PRAGMA integrity_check` of an SQLite database (a backup, a first-version source): None when
/// it is sound, else what is wrong.
pub async fn sqlite_damage(conn: &mut AnyConnection) -> Result<Option<String>> {
    let lines: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check").fetch_all(conn).await?;
    Ok((lines != ["ok"]).then(|| lines.join("; ")))
}

/// Exports the snapshot of the caller's `REPEATABLE READ` transaction so that another session
/// (pg_dump) can read the very same data: the caller keeps the transaction open meanwhile.
pub async fn postgres_export_snapshot(conn: &mut AnyConnection) -> Result<String> {
    Ok(sqlx::query_scalar("SELECT pg_export_snapshot()").fetch_one(&mut *conn).await?)
}
