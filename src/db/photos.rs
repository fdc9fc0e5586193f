//! All SQL about product photos: the `product_photos` rows (which name the images kept in the
//! photo storage), and the images written into an SQLite backup beside its rows.

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyExecutor, Row};

use super::{Result, Tx};
use crate::domain::photo::{PhotoKeys, ProductPhoto};
use crate::domain::time::Timestamp;

const COLUMNS: &str = "product_id, photo_key, thumb_key, width, height, bytes, updated_at";

fn photo(row: &AnyRow) -> sqlx::Result<ProductPhoto> {
    Ok(ProductPhoto {
        product_id: row.try_get("product_id")?,
        photo_key: row.try_get("photo_key")?,
        thumb_key: row.try_get("thumb_key")?,
        width: row.try_get("width")?,
        height: row.try_get("height")?,
        bytes: row.try_get("bytes")?,
        updated_at: Timestamp::from_micros(row.try_get("updated_at")?),
    })
}

/// The keys of a product row joined with its photo (`photo_key`, `thumb_key`; null for none).
pub fn keys(row: &AnyRow) -> sqlx::Result<Option<PhotoKeys>> {
    let photo: Option<String> = row.try_get("photo_key")?;
    let thumbnail: Option<String> = row.try_get("thumb_key")?;
    Ok(photo.zip(thumbnail).map(|(photo, thumbnail)| PhotoKeys { photo, thumbnail }))
}

pub async fn get<'c>(ex: impl AnyExecutor<'c>, product_id: i64) -> Result<Option<ProductPhoto>> {
    let sql = format!("SELECT {COLUMNS} FROM product_photos WHERE product_id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(product_id).fetch_optional(ex).await?;
    Ok(row.as_ref().map(photo).transpose()?)
}

/// Sets the photo of a product, replacing the one it had.
pub async fn save(tx: &mut Tx, p: &ProductPhoto) -> Result<()> {
    let sql = format!(
        "INSERT INTO product_photos ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (product_id) DO \
         UPDATE SET photo_key = $2, thumb_key = $3, width = $4, height = $5, bytes = $6, updated_at = $7"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(p.product_id)
        .bind(p.photo_key.clone())
        .bind(p.thumb_key.clone())
        .bind(p.width)
        .bind(p.height)
        .bind(p.bytes)
        .bind(p.updated_at.micros())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Removes the photo of a product; returns the one it had.
pub async fn delete(tx: &mut Tx, product_id: i64) -> Result<Option<ProductPhoto>> {
    let sql = format!("DELETE FROM product_photos WHERE product_id = $1 RETURNING {COLUMNS}");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(product_id).fetch_optional(&mut **tx).await?;
    Ok(row.as_ref().map(photo).transpose()?)
}

/// Whether any product's photo uses the image `key` (two products can have the same photo).
pub async fn is_used<'c>(ex: impl AnyExecutor<'c>, key: &str) -> Result<bool> {
    let used: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM product_photos WHERE photo_key = $1 OR thumb_key = $1")
        .bind(key)
        .fetch_one(ex)
        .await?;
    Ok(used > 0)
}

/// The table of an SQLite backup that holds the images of its photos: not part of the schema
/// (a migrated database never has it), written into the backup's copy only.
const BACKUP_FILES: &str = "backup_photo_files";

/// Writes images into the SQLite backup file at `path` (see [`BACKUP_FILES`]).
pub async fn write_backup_files(path: &std::path::Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    use sqlx::Connection;
    if files.is_empty() {
        return Ok(());
    }
    let mut conn = AnyConnection::connect(&format!("sqlite://{}?mode=rw", path.display())).await?;
    let create = format!("CREATE TABLE IF NOT EXISTS {BACKUP_FILES} (key TEXT PRIMARY KEY, data BLOB NOT NULL)");
    sqlx::query(sqlx::AssertSqlSafe(create)).execute(&mut conn).await?;
    let insert = format!("INSERT OR REPLACE INTO {BACKUP_FILES} (key, data) VALUES ($1, $2)");
    for (key, data) in files {
        sqlx::query(sqlx::AssertSqlSafe(insert.clone()))
            .bind(key.clone())
            .bind(data.clone())
            .execute(&mut conn)
            .await?;
    }
    conn.close().await?;
    Ok(())
}

/// The images an SQLite backup holds (none in a backup made before photos).
pub async fn read_backup_files(conn: &mut AnyConnection) -> Result<Vec<(String, Vec<u8>)>> {
    let exists: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $1")
        .bind(BACKUP_FILES)
        .fetch_one(&mut *conn)
        .await?;
    if exists == 0 {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT key, data FROM {BACKUP_FILES} ORDER BY key");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&mut *conn).await?;
    Ok(rows
        .iter()
        .map(|r| Ok((r.try_get("key")?, r.try_get("data")?)))
        .collect::<sqlx::Result<Vec<(String, Vec<u8>)>>>()?)
}

/// The keys of every image a photo names, in the caller's transaction (a backup's snapshot).
pub async fn all_keys(conn: &mut AnyConnection) -> Result<Vec<String>> {
    let rows = sqlx::query("SELECT photo_key, thumb_key FROM product_photos ORDER BY id").fetch_all(&mut *conn).await?;
    let mut keys = Vec::new();
    for row in &rows {
        keys.push(row.try_get("photo_key")?);
        keys.push(row.try_get("thumb_key")?);
    }
    keys.sort();
    keys.dedup();
    Ok(keys)
}
