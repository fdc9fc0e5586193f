//! All SQL that reads a first-version database (Flask + SQLAlchemy): `users`, `categories`,
//! `products`, `sales`, `sale_items`, on SQLite or PostgreSQL. Read only.
//!
//! The first version's money columns are `NUMERIC(10,2)`: exact decimals on PostgreSQL (read
//! as text, since sqlx's `Any` driver has no decimal type), binary floats on SQLite (read as
//! they are stored: real, integer or text, and rounded to cents once by the caller). Times are
//! naive UTC, read as text.

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

use super::Backend;

/// The tables a first-version database must have.
pub const TABLES: [&str; 5] = ["users", "categories", "products", "sales", "sale_items"];

/// A number as the source stored it.
#[derive(Debug, Clone, PartialEq)]
pub enum Stored {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
}

#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub role: String,
    pub created_at: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Category {
    pub id: i64,
    pub name: String,
    pub created_at: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Product {
    pub id: i64,
    pub name: String,
    pub description: Option<String>,
    pub price: Stored,
    pub stock: i64,
    pub category_id: Option<i64>,
    pub created_at: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Sale {
    pub id: i64,
    pub user_id: i64,
    pub total_amount: Stored,
    pub timestamp: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Item {
    pub id: i64,
    pub sale_id: i64,
    pub product_id: i64,
    pub quantity: i64,
    pub price_at_sale: Stored,
}

#[derive(Debug, Clone, Default)]
pub struct Contents {
    pub users: Vec<User>,
    pub categories: Vec<Category>,
    pub products: Vec<Product>,
    pub sales: Vec<Sale>,
    pub items: Vec<Item>,
}

/// A money column, in the form [`Stored`] can hold on each database.
fn money(backend: Backend, column: &str) -> String {
    match backend {
        Backend::Sqlite => column.to_string(),
        Backend::Postgres => format!("CAST({column} AS TEXT) AS {column}"),
    }
}

fn stored(row: &AnyRow, column: &str) -> sqlx::Result<Stored> {
    if let Ok(value) = row.try_get::<Option<i64>, _>(column) {
        return Ok(value.map_or(Stored::Null, Stored::Integer));
    }
    if let Ok(value) = row.try_get::<Option<f64>, _>(column) {
        return Ok(value.map_or(Stored::Null, Stored::Real));
    }
    Ok(row.try_get::<Option<String>, _>(column)?.map_or(Stored::Null, Stored::Text))
}

/// Runs one `SELECT` of a source table; the error names the table.
async fn select(conn: &mut AnyConnection, table: &str, columns: &str) -> Result<Vec<AnyRow>, ReadError> {
    sqlx::query(AssertSqlSafe(format!("SELECT {columns} FROM {table} ORDER BY id")))
        .fetch_all(conn)
        .await
        .map_err(|source| ReadError { table: table.to_string(), source })
}

/// A table of the source that could not be read as the first version wrote it.
#[derive(Debug, thiserror::Error)]
#[error("não foi possível ler a tabela {table} da origem: {source}")]
pub struct ReadError {
    pub table: String,
    #[source]
    pub source: sqlx::Error,
}

fn rows<T>(table: &str, rows: Vec<AnyRow>, f: impl Fn(&AnyRow) -> sqlx::Result<T>) -> Result<Vec<T>, ReadError> {
    rows.iter().map(|r| f(r).map_err(|source| ReadError { table: table.to_string(), source })).collect()
}

/// Every row of the five tables, in id order. Meant to run in one read transaction.
pub async fn read(conn: &mut AnyConnection, backend: Backend) -> Result<Contents, ReadError> {
    let found =
        select(conn, "users", "id, username, password_hash, role, CAST(created_at AS TEXT) AS created_at").await?;
    let users = rows("users", found, |r| {
        Ok(User {
            id: r.try_get("id")?,
            username: r.try_get("username")?,
            password_hash: r.try_get("password_hash")?,
            role: r.try_get("role")?,
            created_at: r.try_get("created_at")?,
        })
    })?;

    let found = select(conn, "categories", "id, name, CAST(created_at AS TEXT) AS created_at").await?;
    let categories = rows("categories", found, |r| {
        Ok(Category { id: r.try_get("id")?, name: r.try_get("name")?, created_at: r.try_get("created_at")? })
    })?;

    let columns = format!(
        "id, name, description, {}, stock, category_id, CAST(created_at AS TEXT) AS created_at",
        money(backend, "price")
    );
    let found = select(conn, "products", &columns).await?;
    let products = rows("products", found, |r| {
        Ok(Product {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            description: r.try_get("description")?,
            price: stored(r, "price")?,
            stock: r.try_get("stock")?,
            category_id: r.try_get("category_id")?,
            created_at: r.try_get("created_at")?,
        })
    })?;

    let columns =
        format!("id, user_id, {}, CAST(\"timestamp\" AS TEXT) AS \"timestamp\"", money(backend, "total_amount"));
    let found = select(conn, "sales", &columns).await?;
    let sales = rows("sales", found, |r| {
        Ok(Sale {
            id: r.try_get("id")?,
            user_id: r.try_get("user_id")?,
            total_amount: stored(r, "total_amount")?,
            timestamp: r.try_get("timestamp")?,
        })
    })?;

    let columns = format!("id, sale_id, product_id, quantity, {}", money(backend, "price_at_sale"));
    let found = select(conn, "sale_items", &columns).await?;
    let items = rows("sale_items", found, |r| {
        Ok(Item {
            id: r.try_get("id")?,
            sale_id: r.try_get("sale_id")?,
            product_id: r.try_get("product_id")?,
            quantity: r.try_get("quantity")?,
            price_at_sale: stored(r, "price_at_sale")?,
        })
    })?;

    Ok(Contents { users, categories, products, sales, items })
}
