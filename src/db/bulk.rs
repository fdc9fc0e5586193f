//! All SQL that moves a whole shop at once: reading every row in one snapshot, writing rows
//! with their ids, continuing the id sequences after them, and the counts and sums that verify
//! a move. Used by export/import, backup/restore and the first-version import.

use std::path::Path;

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

use super::{Arg, Backend, bind_all, placeholders};
use crate::domain::text::{product_search_key, search_key};
use crate::domain::time::Timestamp;
use crate::transfer::dataset::{CategoryRow, Dataset, ItemRow, ProductRow, SaleRow, Totals, UserRow, UserTotals};

/// The tables of a shop, in the order they can be written (each refers only to earlier ones).
pub const TABLES: [&str; 5] = ["users", "categories", "products", "sales", "sale_items"];

/// Rows per multi-row `INSERT`: well under the bind limits of SQLite (32766) and PostgreSQL
/// (65535) for the widest table.
const CHUNK: usize = 500;

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

pub async fn contents(conn: &mut AnyConnection) -> sqlx::Result<Contents> {
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

/// Deletes every row of the shop (the daily totals too). Returns the highest session version
/// the deleted users had, so that tokens issued to them cannot match the users written next.
pub async fn clear(conn: &mut AnyConnection) -> sqlx::Result<i64> {
    let highest: i64 = sqlx::query_scalar("SELECT CAST(COALESCE(MAX(session_version), 0) AS BIGINT) FROM users")
        .fetch_one(&mut *conn)
        .await?;
    for table in ["daily_sales", "daily_product_sales", "sale_items", "sales", "products", "categories", "users"] {
        sqlx::query(AssertSqlSafe(format!("DELETE FROM {table}"))).execute(&mut *conn).await?;
    }
    Ok(highest)
}

/// Writes `rows` into `table (columns)` with multi-row inserts; each row gives one `Arg` per
/// column.
async fn insert_rows(conn: &mut AnyConnection, table: &str, columns: &[&str], rows: Vec<Vec<Arg>>) -> sqlx::Result<()> {
    for chunk in rows.chunks(CHUNK) {
        let values: Vec<String> =
            (0..chunk.len()).map(|i| format!("({})", placeholders(1 + columns.len() * i, columns.len()))).collect();
        let sql = format!("INSERT INTO {table} ({}) VALUES {}", columns.join(", "), values.join(", "));
        let args: Vec<Arg> = chunk.iter().flatten().cloned().collect();
        bind_all(sqlx::query(AssertSqlSafe(sql)), &args).execute(&mut *conn).await?;
    }
    Ok(())
}

fn micros(t: Option<Timestamp>) -> Arg {
    Arg::MaybeInt(t.map(Timestamp::micros))
}

/// Writes every row of `data` with its id. `session_floor`: the lowest session version a user
/// may get (see [`clear`]).
pub async fn insert_all(conn: &mut AnyConnection, data: &Dataset, session_floor: i64) -> sqlx::Result<()> {
    let users = data.users.iter().map(|u| {
        vec![
            Arg::Int(u.id),
            Arg::Text(u.username.clone()),
            Arg::Text(u.password_hash.clone()),
            Arg::Text(u.role.clone()),
            Arg::Int(u.session_version.max(session_floor)),
            Arg::Int(u.created_at.micros()),
            micros(u.deactivated_at),
            micros(u.deleted_at),
        ]
    });
    let columns =
        ["id", "username", "password_hash", "role", "session_version", "created_at", "deactivated_at", "deleted_at"];
    insert_rows(conn, "users", &columns, users.collect()).await?;

    let categories = data.categories.iter().map(|c| {
        vec![Arg::Int(c.id), Arg::Text(c.name.clone()), Arg::Text(search_key(&c.name)), Arg::Int(c.created_at.micros())]
    });
    insert_rows(conn, "categories", &["id", "name", "name_key", "created_at"], categories.collect()).await?;

    let products = data.products.iter().map(|p| {
        vec![
            Arg::Int(p.id),
            Arg::Text(p.name.clone()),
            Arg::Text(product_search_key(&p.name, p.code.as_deref())),
            Arg::MaybeText(p.code.clone()),
            Arg::MaybeText(p.description.clone()),
            Arg::Int(p.price_cents),
            Arg::Int(p.stock),
            Arg::Int(p.min_stock),
            Arg::MaybeInt(p.category_id),
            Arg::Int(p.created_at.micros()),
            Arg::Int(p.updated_at.micros()),
            micros(p.archived_at),
        ]
    });
    let columns = [
        "id",
        "name",
        "search_key",
        "code",
        "description",
        "price_cents",
        "stock",
        "min_stock",
        "category_id",
        "created_at",
        "updated_at",
        "archived_at",
    ];
    insert_rows(conn, "products", &columns, products.collect()).await?;

    let sales = data.sales.iter().map(|s| {
        vec![
            Arg::Int(s.id),
            Arg::Int(s.user_id),
            Arg::Int(s.total_cents),
            Arg::MaybeText(s.payment_method.clone()),
            Arg::Int(s.created_at.micros()),
            Arg::MaybeText(s.idempotency_key.clone()),
        ]
    });
    let columns = ["id", "user_id", "total_cents", "payment_method", "created_at", "idempotency_key"];
    insert_rows(conn, "sales", &columns, sales.collect()).await?;

    let items = data.items.iter().map(|i| {
        vec![
            Arg::Int(i.id),
            Arg::Int(i.sale_id),
            Arg::Int(i.product_id),
            Arg::Text(i.product_name.clone()),
            Arg::Int(i.quantity),
            Arg::Int(i.price_cents),
        ]
    });
    let columns = ["id", "sale_id", "product_id", "product_name", "quantity", "price_cents"];
    insert_rows(conn, "sale_items", &columns, items.collect()).await
}

/// Makes new rows continue after the highest id of each table. PostgreSQL identity columns
/// keep their own sequence, which explicit ids do not move; SQLite's AUTOINCREMENT counter
/// (`sqlite_sequence`) follows explicit ids on its own but keeps a higher value left by rows
/// that were deleted, so it is set too: both continue right after the rows written.
pub async fn continue_ids_after_rows(conn: &mut AnyConnection, backend: Backend) -> sqlx::Result<()> {
    for table in TABLES {
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

/// The counts and sums of what the database holds, read in the caller's transaction.
pub async fn totals(conn: &mut AnyConnection) -> sqlx::Result<Totals> {
    let row = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM users) AS users, (SELECT COUNT(*) FROM categories) AS categories, \
         (SELECT COUNT(*) FROM products) AS products, (SELECT COUNT(*) FROM sales) AS sales, \
         (SELECT COUNT(*) FROM sale_items) AS sale_items, \
         (SELECT CAST(COALESCE(SUM(total_cents), 0) AS BIGINT) FROM sales) AS sales_cents, \
         (SELECT CAST(COALESCE(SUM(quantity * price_cents), 0) AS BIGINT) FROM sale_items) AS items_cents, \
         (SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM sale_items) AS units_sold, \
         (SELECT CAST(COALESCE(SUM(stock), 0) AS BIGINT) FROM products) AS stock_units",
    )
    .fetch_one(&mut *conn)
    .await?;
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
    })
}

fn timestamp(row: &AnyRow, column: &str) -> sqlx::Result<Timestamp> {
    Ok(Timestamp::from_micros(row.try_get(column)?))
}

fn maybe_timestamp(row: &AnyRow, column: &str) -> sqlx::Result<Option<Timestamp>> {
    Ok(row.try_get::<Option<i64>, _>(column)?.map(Timestamp::from_micros))
}

/// Every row of the shop, in the caller's transaction (a snapshot: see `Db::begin_snapshot`).
pub async fn read_all(conn: &mut AnyConnection) -> sqlx::Result<Dataset> {
    let users = sqlx::query(
        "SELECT id, username, password_hash, role, session_version, created_at, deactivated_at, deleted_at \
         FROM users ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok(UserRow {
            id: r.try_get("id")?,
            username: r.try_get("username")?,
            password_hash: r.try_get("password_hash")?,
            role: r.try_get("role")?,
            session_version: r.try_get("session_version")?,
            created_at: timestamp(r, "created_at")?,
            deactivated_at: maybe_timestamp(r, "deactivated_at")?,
            deleted_at: maybe_timestamp(r, "deleted_at")?,
        })
    })
    .collect::<sqlx::Result<Vec<_>>>()?;

    let categories = sqlx::query("SELECT id, name, created_at FROM categories ORDER BY id")
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            Ok(CategoryRow { id: r.try_get("id")?, name: r.try_get("name")?, created_at: timestamp(r, "created_at")? })
        })
        .collect::<sqlx::Result<Vec<_>>>()?;

    let products = sqlx::query(
        "SELECT id, name, code, description, price_cents, stock, min_stock, category_id, created_at, updated_at, \
         archived_at FROM products ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok(ProductRow {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            code: r.try_get("code")?,
            description: r.try_get("description")?,
            price_cents: r.try_get("price_cents")?,
            stock: r.try_get("stock")?,
            min_stock: r.try_get("min_stock")?,
            category_id: r.try_get("category_id")?,
            created_at: timestamp(r, "created_at")?,
            updated_at: timestamp(r, "updated_at")?,
            archived_at: maybe_timestamp(r, "archived_at")?,
        })
    })
    .collect::<sqlx::Result<Vec<_>>>()?;

    let sales = sqlx::query(
        "SELECT id, user_id, total_cents, payment_method, created_at, idempotency_key FROM sales ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok(SaleRow {
            id: r.try_get("id")?,
            user_id: r.try_get("user_id")?,
            total_cents: r.try_get("total_cents")?,
            payment_method: r.try_get("payment_method")?,
            created_at: timestamp(r, "created_at")?,
            idempotency_key: r.try_get("idempotency_key")?,
        })
    })
    .collect::<sqlx::Result<Vec<_>>>()?;

    let items =
        sqlx::query("SELECT id, sale_id, product_id, product_name, quantity, price_cents FROM sale_items ORDER BY id")
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| {
                Ok(ItemRow {
                    id: r.try_get("id")?,
                    sale_id: r.try_get("sale_id")?,
                    product_id: r.try_get("product_id")?,
                    product_name: r.try_get("product_name")?,
                    quantity: r.try_get("quantity")?,
                    price_cents: r.try_get("price_cents")?,
                })
            })
            .collect::<sqlx::Result<Vec<_>>>()?;

    Ok(Dataset { users, categories, products, sales, items })
}

/// Writes a consistent copy of an SQLite database to `target` (which must not exist) while
/// other connections keep writing: `VACUUM INTO` reads one snapshot, like any read
/// transaction. `conn` must not be `query_only`.
pub async fn sqlite_vacuum_into(conn: &mut AnyConnection, target: &Path) -> sqlx::Result<()> {
    sqlx::query("VACUUM INTO $1").bind(target.to_string_lossy().into_owned()).execute(conn).await.map(|_| ())
}

/// `PRAGMA integrity_check` of an SQLite database (a backup, a first-version source): None when
/// it is sound, else what is wrong.
pub async fn sqlite_damage(conn: &mut AnyConnection) -> sqlx::Result<Option<String>> {
    let lines: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check").fetch_all(conn).await?;
    Ok((lines != ["ok"]).then(|| lines.join("; ")))
}

/// Exports the snapshot of the caller's `REPEATABLE READ` transaction so that another session
/// (pg_dump) can read the very same data: the caller keeps the transaction open meanwhile.
pub async fn postgres_export_snapshot(conn: &mut AnyConnection) -> sqlx::Result<String> {
    sqlx::query_scalar("SELECT pg_export_snapshot()").fetch_one(&mut *conn).await
}
