//! All SQL that touches stores, their terminals and the stores users work in.

use sqlx::any::AnyRow;
use sqlx::{AnyExecutor, FromRow, Row};

use super::{Enforces, Result, Tx};
use crate::domain::DomainError;
use crate::domain::money::Money;
use crate::domain::settings::StoreSettings;
use crate::domain::stores::{Store, StorePrice, Terminal, Workplace};
use crate::domain::time::Timestamp;

impl FromRow<'_, AnyRow> for Store {
    fn from_row(row: &AnyRow) -> sqlx::Result<Store> {
        Ok(Store {
            id: row.try_get("id")?,
            name: row.try_get("name")?,
            created_at: Timestamp::from_micros(row.try_get("created_at")?),
            active: row.try_get::<Option<i64>, _>("archived_at")?.is_none(),
        })
    }
}

impl FromRow<'_, AnyRow> for Terminal {
    fn from_row(row: &AnyRow) -> sqlx::Result<Terminal> {
        Ok(Terminal {
            id: row.try_get("id")?,
            store_id: row.try_get("store_id")?,
            name: row.try_get("name")?,
            created_at: Timestamp::from_micros(row.try_get("created_at")?),
            active: row.try_get::<Option<i64>, _>("archived_at")?.is_none(),
        })
    }
}

/// Every store, in id order (store 1 first).
pub async fn list<'c>(ex: impl AnyExecutor<'c>) -> Result<Vec<Store>> {
    Ok(sqlx::query_as("SELECT id, name, created_at, archived_at FROM stores ORDER BY id").fetch_all(ex).await?)
}

/// The columns of a store and whether user `$1` works in it, over `stores st`.
pub const WORKPLACE_COLUMNS: &str = "st.id, st.name, st.created_at, st.archived_at, \
     CASE WHEN EXISTS (SELECT 1 FROM user_stores us WHERE us.user_id = $1 AND us.store_id = st.id) THEN 1 ELSE 0 END \
     AS mine";

/// The stores, and the ones the user works in.
pub async fn workplace(tx: &mut Tx, user_id: i64, admin: bool) -> Result<Workplace> {
    let sql = format!("SELECT {WORKPLACE_COLUMNS} FROM stores st ORDER BY st.id");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(user_id).fetch_all(&mut **tx).await?;
    workplace_of(&rows, admin)
}

/// A [`Workplace`] from rows of [`WORKPLACE_COLUMNS`] (a row without a store is skipped).
pub fn workplace_of(rows: &[AnyRow], admin: bool) -> Result<Workplace> {
    let mut workplace = Workplace { stores: Vec::with_capacity(rows.len()), mine: Vec::new(), admin };
    for row in rows {
        if row.try_get::<Option<i64>, _>("id")?.is_none() {
            continue;
        }
        let store = Store::from_row(row)?;
        if row.try_get::<i64, _>("mine")? == 1 {
            workplace.mine.push(store.id);
        }
        workplace.stores.push(store);
    }
    Ok(workplace)
}

/// The ids of the stores a user works in.
pub async fn stores_of<'c>(ex: impl AnyExecutor<'c>, user_id: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar("SELECT store_id FROM user_stores WHERE user_id = $1 ORDER BY store_id")
        .bind(user_id)
        .fetch_all(ex)
        .await?)
}

/// The stores a user works in from now on: exactly `stores`.
pub async fn set_stores_of(tx: &mut Tx, user_id: i64, stores: &[i64]) -> Result<()> {
    sqlx::query("DELETE FROM user_stores WHERE user_id = $1").bind(user_id).execute(&mut **tx).await?;
    for store in stores {
        sqlx::query("INSERT INTO user_stores (user_id, store_id) VALUES ($1, $2)")
            .bind(user_id)
            .bind(store)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

pub async fn get<'c>(ex: impl AnyExecutor<'c>, id: i64) -> Result<Option<Store>> {
    Ok(sqlx::query_as("SELECT id, name, created_at, archived_at FROM stores WHERE id = $1")
        .bind(id)
        .fetch_optional(ex)
        .await?)
}

/// A name already taken is [`DomainError::StoreNameTaken`].
pub async fn insert(tx: &mut Tx, name: &str, now: Timestamp) -> Result<i64> {
    sqlx::query_scalar("INSERT INTO stores (name, created_at) VALUES ($1, $2) RETURNING id")
        .bind(name)
        .bind(now.micros())
        .fetch_one(&mut **tx)
        .await
        .unique_means(DomainError::StoreNameTaken)
}

/// A store or a terminal: what [`update`] changes.
#[derive(Debug, Clone, Copy)]
pub enum Place {
    Store,
    Terminal,
}

impl Place {
    fn table(self) -> &'static str {
        match self {
            Place::Store => "stores",
            Place::Terminal => "terminals",
        }
    }

    fn name_taken(self) -> DomainError {
        match self {
            Place::Store => DomainError::StoreNameTaken,
            Place::Terminal => DomainError::TerminalNameTaken,
        }
    }
}

/// Renames, closes or reopens a store or a terminal (one closed before keeps the time it was
/// closed).
pub async fn update(tx: &mut Tx, place: Place, id: i64, name: &str, active: bool, now: Timestamp) -> Result<()> {
    let sql = format!(
        "UPDATE {} SET name = $2, archived_at = CASE WHEN $3 = 1 THEN NULL ELSE COALESCE(archived_at, $4) END \
         WHERE id = $1",
        place.table()
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(name)
        .bind(i64::from(active))
        .bind(now.micros())
        .execute(&mut **tx)
        .await
        .unique_means(place.name_taken())?;
    Ok(())
}

const SELECT_TERMINAL: &str = "SELECT id, store_id, name, created_at, archived_at FROM terminals";

pub async fn terminals<'c>(ex: impl AnyExecutor<'c>) -> Result<Vec<Terminal>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT_TERMINAL} ORDER BY store_id, name, id")))
        .fetch_all(ex)
        .await?)
}

pub async fn terminal<'c>(ex: impl AnyExecutor<'c>, id: i64) -> Result<Option<Terminal>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT_TERMINAL} WHERE id = $1")))
        .bind(id)
        .fetch_optional(ex)
        .await?)
}

/// A name the store already has is [`DomainError::TerminalNameTaken`].
pub async fn insert_terminal(tx: &mut Tx, store_id: i64, name: &str, now: Timestamp) -> Result<i64> {
    sqlx::query_scalar("INSERT INTO terminals (store_id, name, created_at) VALUES ($1, $2, $3) RETURNING id")
        .bind(store_id)
        .bind(name)
        .bind(now.micros())
        .fetch_one(&mut **tx)
        .await
        .unique_means(DomainError::TerminalNameTaken)
}

const STORE_SETTINGS: &str =
    "shop_cnpj, shop_address, shop_phone, pix_key, pix_merchant_name, pix_merchant_city, printer_address";

/// A store's own settings (None: no such store).
pub async fn settings<'c>(ex: impl AnyExecutor<'c>, id: i64) -> Result<Option<StoreSettings>> {
    let sql = format!("SELECT {STORE_SETTINGS} FROM stores WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(ex).await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some(StoreSettings {
        shop_cnpj: row.try_get("shop_cnpj")?,
        shop_address: row.try_get("shop_address")?,
        shop_phone: row.try_get("shop_phone")?,
        pix_key: row.try_get("pix_key")?,
        pix_merchant_name: row.try_get("pix_merchant_name")?,
        pix_merchant_city: row.try_get("pix_merchant_city")?,
        printer_address: row.try_get("printer_address")?,
    }))
}

/// Replaces a store's own settings.
pub async fn set_settings(tx: &mut Tx, id: i64, s: &StoreSettings) -> Result<()> {
    sqlx::query(
        "UPDATE stores SET shop_cnpj = $2, shop_address = $3, shop_phone = $4, pix_key = $5, \
         pix_merchant_name = $6, pix_merchant_city = $7, printer_address = $8 WHERE id = $1",
    )
    .bind(id)
    .bind(s.shop_cnpj.clone())
    .bind(s.shop_address.clone())
    .bind(s.shop_phone.clone())
    .bind(s.pix_key.clone())
    .bind(s.pix_merchant_name.clone())
    .bind(s.pix_merchant_city.clone())
    .bind(s.printer_address.clone())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The prices a store charges instead of the catalog's, of live products, by name.
pub async fn prices<'c>(ex: impl AnyExecutor<'c>, store_id: i64) -> Result<Vec<StorePrice>> {
    let rows: Vec<(i64, String, i64, i64)> = sqlx::query_as(
        "SELECT p.id, p.name, sp.price_cents, p.price_cents FROM store_prices sp JOIN products p ON p.id = sp.product_id \
         WHERE sp.store_id = $1 AND p.archived_at IS NULL ORDER BY p.search_key, p.id",
    )
    .bind(store_id)
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(product_id, product_name, price, catalog)| StorePrice {
            product_id,
            product_name,
            price: Money::from_cents(price),
            catalog_price: Money::from_cents(catalog),
        })
        .collect())
}

/// Sets a store's own price of a product; returns the price it had (None: the catalog's).
pub async fn set_price(
    tx: &mut Tx,
    store_id: i64,
    product_id: i64,
    price: Money,
    at: Timestamp,
) -> Result<Option<Money>> {
    let before = price_of(tx, store_id, product_id).await?;
    sqlx::query(
        "INSERT INTO store_prices (store_id, product_id, price_cents, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (store_id, product_id) DO UPDATE SET price_cents = excluded.price_cents, updated_at = excluded.updated_at",
    )
    .bind(store_id)
    .bind(product_id)
    .bind(price.cents())
    .bind(at.micros())
    .execute(&mut **tx)
    .await?;
    Ok(before)
}

/// Removes a store's own price of a product (it charges the catalog's again); returns the price
/// it had, None if it had none.
pub async fn remove_price(tx: &mut Tx, store_id: i64, product_id: i64) -> Result<Option<Money>> {
    let before = price_of(tx, store_id, product_id).await?;
    sqlx::query("DELETE FROM store_prices WHERE store_id = $1 AND product_id = $2")
        .bind(store_id)
        .bind(product_id)
        .execute(&mut **tx)
        .await?;
    Ok(before)
}

async fn price_of(tx: &mut Tx, store_id: i64, product_id: i64) -> Result<Option<Money>> {
    let cents: Option<i64> =
        sqlx::query_scalar("SELECT price_cents FROM store_prices WHERE store_id = $1 AND product_id = $2")
            .bind(store_id)
            .bind(product_id)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(cents.map(Money::from_cents))
}
