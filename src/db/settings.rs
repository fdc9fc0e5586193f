//! The settings row (id 1); none stored means the defaults.

use sqlx::any::AnyRow;
use sqlx::{AnyExecutor, Row};

use super::{Backend, Error, Result};
use crate::domain::barcode::{LabelMask, LabelValue};
use crate::domain::settings::{DEFAULT_OFFLINE_SALE_MAX_HOURS, SaleRules, Settings};
use crate::domain::stores::Workplace;
use crate::domain::time::Timestamp;

const COLUMNS: &str = "shop_name, shop_cnpj, shop_address, shop_phone, pix_key, pix_merchant_name, pix_merchant_city, \
                       max_discount_bp, require_cash_session, auto_print, printer_address, printer_columns, open_drawer, \
                       scale_label_mask, scale_label_value, offline_sale_max_hours, updated_at";

fn settings(row: &AnyRow) -> sqlx::Result<Settings> {
    let flag = |column: &str| row.try_get::<i64, _>(column).map(|v| v != 0);
    Ok(Settings {
        shop_name: row.try_get("shop_name")?,
        shop_cnpj: row.try_get("shop_cnpj")?,
        shop_address: row.try_get("shop_address")?,
        shop_phone: row.try_get("shop_phone")?,
        pix_key: row.try_get("pix_key")?,
        pix_merchant_name: row.try_get("pix_merchant_name")?,
        pix_merchant_city: row.try_get("pix_merchant_city")?,
        max_discount_bp: row.try_get("max_discount_bp")?,
        require_cash_session: flag("require_cash_session")?,
        auto_print: flag("auto_print")?,
        printer_address: row.try_get("printer_address")?,
        printer_columns: row.try_get("printer_columns")?,
        open_drawer: flag("open_drawer")?,
        scale_label_mask: LabelMask::parse(&row.try_get::<String, _>("scale_label_mask")?)
            .map_err(|e| sqlx::Error::Decode(e.to_string().into()))?,
        scale_label_value: LabelValue::parse(&row.try_get::<String, _>("scale_label_value")?)
            .ok_or_else(|| sqlx::Error::Decode("valor de etiqueta desconhecido".into()))?,
        offline_sale_max_hours: row.try_get("offline_sale_max_hours")?,
        updated_at: Some(Timestamp::from_micros(row.try_get("updated_at")?)),
    })
}

pub async fn get<'c>(ex: impl AnyExecutor<'c>) -> Result<Settings> {
    let sql = format!("SELECT {COLUMNS} FROM settings WHERE id = 1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_optional(ex).await?;
    Ok(row.as_ref().map(settings).transpose()?.unwrap_or_default())
}

/// Stores every field of `s`, as of `now`.
pub async fn save<'c>(ex: impl AnyExecutor<'c>, s: &Settings, now: Timestamp) -> Result<()> {
    let sql = format!(
        "INSERT INTO settings (id, {COLUMNS}) VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) \
         ON CONFLICT (id) DO UPDATE SET shop_name = excluded.shop_name, shop_cnpj = excluded.shop_cnpj, \
         shop_address = excluded.shop_address, shop_phone = excluded.shop_phone, pix_key = excluded.pix_key, \
         pix_merchant_name = excluded.pix_merchant_name, pix_merchant_city = excluded.pix_merchant_city, \
         max_discount_bp = excluded.max_discount_bp, require_cash_session = excluded.require_cash_session, \
         auto_print = excluded.auto_print, printer_address = excluded.printer_address, \
         printer_columns = excluded.printer_columns, open_drawer = excluded.open_drawer, \
         scale_label_mask = excluded.scale_label_mask, scale_label_value = excluded.scale_label_value, \
         offline_sale_max_hours = excluded.offline_sale_max_hours, updated_at = excluded.updated_at"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(s.shop_name.clone())
        .bind(s.shop_cnpj.clone())
        .bind(s.shop_address.clone())
        .bind(s.shop_phone.clone())
        .bind(s.pix_key.clone())
        .bind(s.pix_merchant_name.clone())
        .bind(s.pix_merchant_city.clone())
        .bind(s.max_discount_bp)
        .bind(i64::from(s.require_cash_session))
        .bind(i64::from(s.auto_print))
        .bind(s.printer_address.clone())
        .bind(s.printer_columns)
        .bind(i64::from(s.open_drawer))
        .bind(s.scale_label_mask.as_str().to_string())
        .bind(s.scale_label_value.as_str())
        .bind(s.offline_sale_max_hours)
        .bind(now.micros())
        .execute(ex)
        .await?;
    Ok(())
}

/// What a sale needs to know before it is made, in one query: the employees' discount limit,
/// whether a cash session is required, the seller's open cash session, and the stores with the
/// seller's share of them (a row per store, the rest repeated). On PostgreSQL the
/// session's row is share-locked until the sale commits (see `db::cash::hold_open_session`): a
/// closing waits for the sale and counts it, and a sale that waited for a closing finds none.
pub async fn sale_rules<'c>(
    ex: impl AnyExecutor<'c>,
    backend: Backend,
    seller: i64,
    seller_is_admin: bool,
) -> Result<(SaleRules, Workplace)> {
    let sql = format!(
        "SELECT (SELECT max_discount_bp FROM settings WHERE id = 1) AS max_discount_bp, \
         (SELECT require_cash_session FROM settings WHERE id = 1) AS require_cash_session, \
         (SELECT offline_sale_max_hours FROM settings WHERE id = 1) AS offline_sale_max_hours, \
         ({}{}) AS cash_session_id, \
         (SELECT store_id FROM open_cash_sessions WHERE user_id = $1) AS cash_session_store, \
         {} FROM (SELECT 1 AS one) one LEFT JOIN stores st ON 1 = 1 ORDER BY st.id",
        super::cash::OPEN_SESSION_OF_USER,
        super::cash::share_lock(backend),
        super::stores::WORKPLACE_COLUMNS
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(seller).fetch_all(ex).await?;
    // The LEFT JOIN gives one row even without stores.
    let row = rows.first().ok_or(Error::Failed(sqlx::Error::RowNotFound))?;
    let rules = SaleRules {
        max_discount_bp: row.try_get::<Option<i64>, _>("max_discount_bp")?.unwrap_or(0),
        require_cash_session: row.try_get::<Option<i64>, _>("require_cash_session")?.unwrap_or(0) != 0,
        cash_session: match (row.try_get("cash_session_id")?, row.try_get("cash_session_store")?) {
            (Some(id), Some(store)) => Some((id, store)),
            _ => None,
        },
        offline_sale_max_hours: row
            .try_get::<Option<i64>, _>("offline_sale_max_hours")?
            .unwrap_or(DEFAULT_OFFLINE_SALE_MAX_HOURS),
    };
    Ok((rules, super::stores::workplace_of(&rows, seller_is_admin)?))
}
