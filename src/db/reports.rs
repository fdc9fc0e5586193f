//! Reports read the daily totals (`daily_sales`, `daily_product_sales`), which every sale
//! updates in its own transaction: a summary reads a few thousand small rows whatever the
//! number of sales. Periods that do not start or end at midnight add the sales of their
//! partial days, read from the sales table through its time index. The summary keeps the
//! totals of the days before today in memory while they hold (see [`SummaryCache`]).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use chrono::{Days, NaiveDate};
use sqlx::{AnyPool, AssertSqlSafe, Row};

use super::sales::count_and_sum;
use super::{Arg, Result, Tx, bind_all, meta, placeholders};
use crate::domain::catalog::{Quantity, Unit};
use crate::domain::money::Money;
use crate::domain::reports::{DailyTotal, REPORT_DAYS, Summary, TopProduct};
use crate::domain::sales::{SaleStatus, SalesFilter};
use crate::domain::time::{BusinessCalendar, Timestamp, day_key};

/// Adds a sale to the seller's daily totals in its store, inside the sale's transaction (the
/// reports' totals are `rollups::record`'s).
pub async fn record_sale(tx: &mut Tx, day: &str, store_id: i64, user_id: i64, total: Money) -> Result<()> {
    sqlx::query(
        "INSERT INTO daily_sales (day, store_id, user_id, sales_count, amount_cents) VALUES ($1, $2, $3, 1, $4) \
         ON CONFLICT (day, store_id, user_id) DO UPDATE SET sales_count = daily_sales.sales_count + 1, \
         amount_cents = daily_sales.amount_cents + excluded.amount_cents",
    )
    .bind(day)
    .bind(store_id)
    .bind(user_id)
    .bind(total.cents())
    .execute(&mut **tx)
    .await?;

    Ok(())
}

/// Takes what a cancellation or a return removed out of the seller's daily totals of the
/// sale's day and store: `amount`, and the sale itself (counted apart) when `cancelled`. The days
/// before today change, so the summary's kept days are marked stale (a new generation).
pub async fn remove_from_totals(
    tx: &mut Tx,
    day: &str,
    (store_id, user_id): (i64, i64),
    cancelled: bool,
    amount: Money,
) -> Result<()> {
    let moved = i64::from(cancelled);
    sqlx::query(
        "UPDATE daily_sales SET sales_count = sales_count - $4, cancelled_count = cancelled_count + $4, \
         amount_cents = amount_cents - $5 WHERE day = $1 AND store_id = $2 AND user_id = $3",
    )
    .bind(day)
    .bind(store_id)
    .bind(user_id)
    .bind(moved)
    .bind(amount.cents())
    .execute(&mut **tx)
    .await?;
    meta::set(&mut **tx, AGGREGATES_GENERATION, &uuid::Uuid::new_v4().to_string()).await
}

/// What the summary reads from the days before today: they change only when the daily totals
/// are rebuilt (an import, a changed time zone) or when a sale stamped before midnight commits
/// after it. A summary computes them once and keeps them while [`ClosedKey`] says they hold, so
/// that its cost does not grow with the sales of the past.
#[derive(Debug)]
struct ClosedDays {
    /// (count, cents) of every sale before today.
    total: (i64, i64),
    /// (count, cents) of this month before today.
    month: (i64, i64),
    /// Day key -> (count, cents), for the report's days before today.
    daily: HashMap<String, (i64, i64)>,
    /// Product -> (units, cents) over the report's days before today.
    products: HashMap<i64, (i64, i64)>,
}

/// When the days before today were read: the day, the rebuild that wrote the daily totals, and
/// the newest sale before today (a later one, committed late, changes it).
#[derive(Debug, Clone, PartialEq, Eq)]
struct ClosedKey {
    today: NaiveDate,
    store_id: Option<i64>,
    generation: Option<String>,
    last_closed_sale: Option<i64>,
}

/// The last value computed for a key (the dashboard only ever asks about today).
struct Latest<K, V>(Mutex<Option<(K, Arc<V>)>>);

impl<K: PartialEq, V> Default for Latest<K, V> {
    fn default() -> Self {
        Latest(Mutex::new(None))
    }
}

impl<K: PartialEq, V> Latest<K, V> {
    /// The value kept for `key`, or the one `compute` gives, kept from then on.
    async fn get_or_compute<F>(&self, key: K, compute: F) -> Result<Arc<V>>
    where
        F: Future<Output = Result<V>>,
    {
        let kept = {
            let entry = self.0.lock().unwrap_or_else(|e| e.into_inner());
            entry.as_ref().filter(|(k, _)| *k == key).map(|(_, value)| Arc::clone(value))
        };
        if let Some(value) = kept {
            return Ok(value);
        }
        let value = Arc::new(compute.await?);
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some((key, Arc::clone(&value)));
        Ok(value)
    }
}

/// Units and cents of a product over the report's days.
type ProductTotals = (i64, (i64, i64));

/// What the latest summary read, kept while it holds: the days before today (see
/// [`ClosedDays`]), and the top products, which hold while today's count and total of sales do
/// too (a sale always changes them).
#[derive(Default)]
pub struct SummaryCache {
    closed: Latest<ClosedKey, ClosedDays>,
    top: Latest<(ClosedKey, (i64, i64)), Vec<ProductTotals>>,
}

/// The `meta` key that changes every time the daily totals are rebuilt.
pub const AGGREGATES_GENERATION: &str = "aggregates_generation";

/// ` AND store_id = $n` when there is a store, its id pushed onto `args`.
fn of_store(store_id: Option<i64>, args: &mut Vec<Arg>) -> String {
    let Some(store_id) = store_id else { return String::new() };
    args.push(Arg::Int(store_id));
    format!(" AND store_id = ${}", args.len())
}

/// The dashboard's figures, of one store or of all (None).
pub async fn summary(
    pool: &AnyPool,
    calendar: BusinessCalendar,
    cache: &SummaryCache,
    store_id: Option<i64>,
) -> Result<Summary> {
    let today = calendar.today();
    let first_day = today - Days::new(REPORT_DAYS - 1);
    let today_key = day_key(today);

    // Today's totals, and what tells whether the days before today are still as last read.
    let mut args = vec![
        Arg::Text(AGGREGATES_GENERATION.into()),
        Arg::Int(calendar.start_of(today).micros()),
        Arg::Text(today_key.clone()),
    ];
    let store = of_store(store_id, &mut args);
    let sql = format!(
        "SELECT (SELECT value FROM meta WHERE key = $1) AS generation, \
         (SELECT id FROM sales WHERE created_at < $2 ORDER BY created_at DESC, id DESC LIMIT 1) AS last_closed_sale, \
         (SELECT CAST(COALESCE(SUM(sales_count), 0) AS BIGINT) FROM daily_sales WHERE day = $3{store}) AS today_count, \
         (SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM daily_sales WHERE day = $3{store}) AS today_amount"
    );
    let row = bind_all(sqlx::query(AssertSqlSafe(sql)), &args).fetch_one(pool).await?;
    let key = ClosedKey {
        today,
        store_id,
        generation: row.try_get("generation")?,
        last_closed_sale: row.try_get("last_closed_sale")?,
    };
    let today_totals: (i64, i64) = (row.try_get("today_count")?, row.try_get("today_amount")?);
    let closed = cache.closed.get_or_compute(key.clone(), closed_days(pool, calendar, today, store_id)).await?;
    let top = cache.top.get_or_compute((key, today_totals), best_sellers(pool, &closed, &today_key, store_id)).await?;
    let named: HashMap<i64, (String, Unit)> = if top.is_empty() {
        HashMap::new()
    } else {
        let sql = format!("SELECT id, name, unit FROM products WHERE id IN ({})", placeholders(1, top.len()));
        let args: Vec<Arg> = top.iter().map(|&(id, _)| Arg::Int(id)).collect();
        let rows: Vec<(i64, String, String)> =
            bind_all(sqlx::query_as(AssertSqlSafe(sql)), &args).fetch_all(pool).await?;
        rows.into_iter()
            .map(|(id, name, stored)| Ok((id, (name, super::products::unit(stored)?))))
            .collect::<sqlx::Result<_>>()?
    };
    let top_products = top
        .iter()
        .map(|&(product_id, (units, cents))| {
            let (name, unit) = named.get(&product_id).cloned().unwrap_or((String::new(), Unit::Un));
            TopProduct {
                product_id,
                name,
                total_sold: Quantity::new(units, unit),
                total_amount: Money::from_cents(cents),
            }
        })
        .collect();

    let daily = first_day
        .iter_days()
        .take(REPORT_DAYS as usize)
        .map(|date| {
            let date = day_key(date);
            let (count, amount) =
                if date == today_key { today_totals } else { closed.daily.get(&date).copied().unwrap_or_default() };
            DailyTotal { date, count, total: Money::from_cents(amount) }
        })
        .collect();
    let month_sales = Money::from_cents(add(closed.month.1, today_totals.1)?);
    let month_count = closed.month.0 + today_totals.0;
    Ok(Summary {
        today_sales: Money::from_cents(today_totals.1),
        month_sales,
        total_sales: Money::from_cents(add(closed.total.1, today_totals.1)?),
        today_count: today_totals.0,
        month_count,
        total_count: closed.total.0 + today_totals.0,
        average_ticket: month_sales.average(month_count),
        top_products,
        daily,
        timezone: calendar.tz.name().to_string(),
    })
}

/// A sum of cents, exact or an error (never wrapped or clamped).
fn add(a: i64, b: i64) -> Result<i64> {
    a.checked_add(b).ok_or(super::Error::Overflow("soma de valores"))
}

/// The five products with most units sold over the report's days.
async fn best_sellers(
    pool: &AnyPool,
    closed: &ClosedDays,
    today_key: &str,
    store_id: Option<i64>,
) -> Result<Vec<ProductTotals>> {
    let mut products = closed.products.clone();
    let mut args = vec![Arg::Text(today_key.to_string())];
    let store = of_store(store_id, &mut args);
    let sql = format!("SELECT product_id, quantity, amount_cents FROM daily_product_sales WHERE day = $1{store}");
    let rows = bind_all(sqlx::query(AssertSqlSafe(sql)), &args).fetch_all(pool).await?;
    for row in rows {
        let entry = products.entry(row.try_get("product_id")?).or_default();
        entry.0 += row.try_get::<i64, _>("quantity")?;
        entry.1 += row.try_get::<i64, _>("amount_cents")?;
    }
    // Units sold compare as whole units: a weighed product's grams count as kilograms.
    let sql = format!("SELECT id FROM products WHERE {}", super::inventory::fractional_units());
    let fractional: HashSet<i64> = sqlx::query_scalar(AssertSqlSafe(sql)).fetch_all(pool).await?.into_iter().collect();
    let thousandths = |id: i64, units: i64| if fractional.contains(&id) { units } else { units.saturating_mul(1000) };
    let mut top: Vec<ProductTotals> = products.into_iter().collect();
    top.sort_unstable_by_key(|&(id, (units, _))| (std::cmp::Reverse(thousandths(id, units)), id));
    top.truncate(5);
    Ok(top)
}

async fn closed_days(
    pool: &AnyPool,
    calendar: BusinessCalendar,
    today: NaiveDate,
    store_id: Option<i64>,
) -> Result<ClosedDays> {
    let first_key = day_key(today - Days::new(REPORT_DAYS - 1));
    let (today_key, month_key) = (day_key(today), day_key(calendar.month_start(today)));
    let mut args = vec![Arg::Text(today_key.clone()), Arg::Text(month_key)];
    let store = of_store(store_id, &mut args);
    let sql = format!(
        "SELECT CAST(COALESCE(SUM(sales_count), 0) AS BIGINT) AS total_count, \
         CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) AS total_amount, \
         CAST(COALESCE(SUM(CASE WHEN day >= $2 THEN sales_count END), 0) AS BIGINT) AS month_count, \
         CAST(COALESCE(SUM(CASE WHEN day >= $2 THEN amount_cents END), 0) AS BIGINT) AS month_amount \
         FROM daily_sales WHERE day < $1{store}"
    );
    let row = bind_all(sqlx::query(AssertSqlSafe(sql)), &args).fetch_one(pool).await?;
    let mut args = vec![Arg::Text(first_key), Arg::Text(today_key)];
    let store = of_store(store_id, &mut args);
    let sql = format!(
        "SELECT day, CAST(SUM(sales_count) AS BIGINT), CAST(SUM(amount_cents) AS BIGINT) \
         FROM daily_sales WHERE day >= $1 AND day < $2{store} GROUP BY day"
    );
    let daily = bind_all(sqlx::query_as(AssertSqlSafe(sql)), &args)
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|(day, count, amount)| (day, (count, amount)))
        .collect();
    let sql = format!(
        "SELECT product_id, CAST(SUM(quantity) AS BIGINT), CAST(SUM(amount_cents) AS BIGINT) \
         FROM daily_product_sales WHERE day >= $1 AND day < $2{store} GROUP BY product_id"
    );
    let products = bind_all(sqlx::query_as(AssertSqlSafe(sql)), &args)
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|(id, units, amount)| (id, (units, amount)))
        .collect();
    Ok(ClosedDays {
        total: (row.try_get("total_count")?, row.try_get("total_amount")?),
        month: (row.try_get("month_count")?, row.try_get("month_amount")?),
        daily,
        products,
    })
}

/// Count and sum of the sales of a filter. Whole days inside the period come from the daily
/// totals; only the partial days at its ends are read from the sales table.
pub async fn count_and_sum_of(
    pool: &AnyPool,
    calendar: BusinessCalendar,
    filter: &SalesFilter,
) -> Result<(i64, Money)> {
    let first_full_day = filter.from.map(|from| {
        let day = calendar.date_of(from);
        if calendar.start_of(day) >= from { day } else { day + Days::new(1) }
    });
    // The day after the last whole day: the whole days are first_full_day..end_day.
    let end_day = filter.until.map(|until| calendar.date_of(until));
    // The daily totals know days, stores and sellers, not customers.
    let no_whole_day = matches!((first_full_day, end_day), (Some(first), Some(end)) if first >= end);
    if no_whole_day || filter.customer_id.is_some() {
        return count_and_sum(pool, filter).await;
    }

    let (mut count, mut cents) = whole_days(pool, first_full_day, end_day, filter).await?;
    let edges = [
        filter.from.zip(first_full_day).map(|(from, day)| (from, calendar.start_of(day))),
        filter.until.zip(end_day).map(|(until, day)| (calendar.start_of(day), until)),
    ];
    for (from, until) in edges.into_iter().flatten().filter(|(from, until)| from < until) {
        let edge = SalesFilter { from: Some(from), until: Some(until), ..*filter };
        let (c, m) = count_and_sum(pool, &edge).await?;
        count += c;
        cents = add(cents, m.cents())?;
    }
    Ok((count, Money::from_cents(cents)))
}

async fn whole_days(
    pool: &AnyPool,
    first: Option<NaiveDate>,
    end: Option<NaiveDate>,
    filter: &SalesFilter,
) -> Result<(i64, i64)> {
    let mut conditions = vec!["1 = 1".to_string()];
    let mut args = Vec::new();
    if let Some(first) = first {
        args.push(Arg::Text(day_key(first)));
        conditions.push(format!("day >= ${}", args.len()));
    }
    if let Some(end) = end {
        args.push(Arg::Text(day_key(end)));
        conditions.push(format!("day < ${}", args.len()));
    }
    if let Some(user_id) = filter.user_id {
        args.push(Arg::Int(user_id));
        conditions.push(format!("user_id = ${}", args.len()));
    }
    if let Some(store_id) = filter.store_id {
        args.push(Arg::Int(store_id));
        conditions.push(format!("store_id = ${}", args.len()));
    }
    let sql = format!(
        "SELECT CAST(COALESCE(SUM(sales_count + cancelled_count), 0) AS BIGINT), \
         CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM daily_sales WHERE {}",
        conditions.join(" AND ")
    );
    Ok(bind_all(sqlx::query_as(AssertSqlSafe(sql)), &args).fetch_one(pool).await?)
}

/// The `meta` key that records the time zone the daily totals were computed in.
pub const AGGREGATES_TIMEZONE: &str = "aggregates_timezone";

/// Makes sure the daily totals were computed in the configured time zone, and recomputes them
/// from the sales if not (a changed `BUSINESS_TIMEZONE`, or data written by another tool).
pub async fn ensure_aggregates(db: &super::Db, calendar: BusinessCalendar) -> anyhow::Result<bool> {
    let wanted = calendar.tz.name();
    let mut tx = db.begin().await?;
    let current = meta::get(&mut *tx, AGGREGATES_TIMEZONE).await?;
    let rollups = meta::get(&mut *tx, super::rollups::ROLLUPS_VERSION_KEY).await?;
    if current.as_deref() == Some(wanted) && rollups.as_deref() == Some(super::rollups::ROLLUPS_VERSION) {
        return Ok(false);
    }
    let has_sales: Option<i64> = sqlx::query_scalar("SELECT id FROM sales LIMIT 1").fetch_optional(&mut *tx).await?;
    if current.is_some() || has_sales.is_some() {
        rebuild_aggregates(&mut tx, calendar).await?;
    }
    meta::set(&mut *tx, AGGREGATES_TIMEZONE, wanted).await?;
    meta::set(&mut *tx, super::rollups::ROLLUPS_VERSION_KEY, super::rollups::ROLLUPS_VERSION).await?;
    tx.commit().await?;
    Ok(current.is_some() || has_sales.is_some())
}

/// Recomputes the daily totals and the reports' totals from the sales.
pub async fn rebuild_aggregates(tx: &mut Tx, calendar: BusinessCalendar) -> Result<()> {
    sqlx::query("DELETE FROM daily_sales").execute(&mut **tx).await?;

    // Cancelled sales count apart (a listing shows them) and add nothing; returns subtract
    // what they refunded, on the day of the sale.
    let mut by_user: HashMap<(String, i64, i64), (i64, i64, i64)> = HashMap::new();
    let rows = sqlx::query("SELECT store_id, user_id, created_at, total_cents, refunded_cents, status FROM sales")
        .fetch_all(&mut **tx)
        .await?;
    for row in rows {
        let day = day_key(calendar.date_of(Timestamp::from_micros(row.try_get("created_at")?)));
        let entry = by_user.entry((day, row.try_get("store_id")?, row.try_get("user_id")?)).or_default();
        if row.try_get::<String, _>("status")? == SaleStatus::Cancelled.as_str() {
            entry.1 += 1;
        } else {
            entry.0 += 1;
            entry.2 += row.try_get::<i64, _>("total_cents")? - row.try_get::<i64, _>("refunded_cents")?;
        }
    }
    let by_user: Vec<Vec<Arg>> = by_user
        .into_iter()
        .map(|((day, store, user), (count, cancelled, cents))| {
            vec![Arg::Text(day), Arg::Int(store), Arg::Int(user), Arg::Int(count), Arg::Int(cents), Arg::Int(cancelled)]
        })
        .collect();
    let into = "daily_sales (day, store_id, user_id, sales_count, amount_cents, cancelled_count)";
    super::rollups::insert_all(tx, into, &by_user).await?;
    super::rollups::rebuild(tx, calendar).await?;
    meta::set(&mut **tx, AGGREGATES_GENERATION, &uuid::Uuid::new_v4().to_string()).await
}
