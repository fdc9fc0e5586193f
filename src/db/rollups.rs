//! The sales reports' totals: per day, hour and seller (`hourly_sales`), per day, seller and
//! payment method (`daily_payment_sales`), per day and per month and product
//! (`daily_product_sales`, `monthly_product_sales`). A sale, a cancellation and a return add
//! what they change ([`record`], with `domain::figures`) in their own transaction; [`rebuild`]
//! computes them all again from the sales, with the same rule, and [`standing_sales`] reads the
//! sales as they stand for whatever the totals cannot answer (the partial days at the ends of a
//! period, filters they do not keep).

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Days, NaiveDate};
use sqlx::{AnyConnection, AnyPool, AssertSqlSafe, Row};

use super::{Arg, Result, Tx, bind_all, meta, placeholders};
use crate::domain::figures::{Figures, GroupBy, ReportRequest, SaleFacts, StandingLine, StandingSale, add_to};
use crate::domain::money::Money;
use crate::domain::sales::{PaymentMethod, SaleStatus};
use crate::domain::time::{BusinessCalendar, Timestamp, day_key};

/// The `meta` key that says the rollups were computed with this version of the rule; any
/// other value (none: a database migrated from before them) means [`rebuild`].
pub const ROLLUPS_VERSION_KEY: &str = "report_rollups_version";
pub const ROLLUPS_VERSION: &str = "1";

/// `YYYY-MM` of a day key.
fn month_of(day: &str) -> &str {
    day.get(..7).unwrap_or(day)
}

/// Adds what a sale changed to every rollup. Rows in key order: concurrent sales lock them in
/// the same order.
pub async fn record(tx: &mut Tx, facts: &SaleFacts) -> Result<()> {
    let day = day_key(facts.day);
    if !facts.sale.is_zero() {
        let f = &facts.sale;
        sqlx::query(
            "INSERT INTO hourly_sales (day, hour, user_id, sales_count, quantity, gross_cents, discount_cents, \
             net_cents, cost_cents, costed_net_cents) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (day, hour, user_id) DO UPDATE SET sales_count = hourly_sales.sales_count + excluded.sales_count, \
             quantity = hourly_sales.quantity + excluded.quantity, gross_cents = hourly_sales.gross_cents + excluded.gross_cents, \
             discount_cents = hourly_sales.discount_cents + excluded.discount_cents, \
             net_cents = hourly_sales.net_cents + excluded.net_cents, cost_cents = hourly_sales.cost_cents + excluded.cost_cents, \
             costed_net_cents = hourly_sales.costed_net_cents + excluded.costed_net_cents",
        )
        .bind(&day)
        .bind(i64::from(facts.hour))
        .bind(facts.user_id)
        .bind(f.count)
        .bind(f.quantity)
        .bind(f.gross)
        .bind(f.discount)
        .bind(f.net)
        .bind(f.cost)
        .bind(f.costed_net)
        .execute(&mut **tx)
        .await?;
    }
    if !facts.payments.is_empty() {
        let values: Vec<String> =
            (0..facts.payments.len()).map(|i| format!("($1, $2, {})", placeholders(3 + 3 * i, 3))).collect();
        let sql = format!(
            "INSERT INTO daily_payment_sales (day, user_id, method, sales_count, amount_cents) VALUES {} \
             ON CONFLICT (day, user_id, method) DO UPDATE SET \
             sales_count = daily_payment_sales.sales_count + excluded.sales_count, \
             amount_cents = daily_payment_sales.amount_cents + excluded.amount_cents",
            values.join(", ")
        );
        let mut args = vec![Arg::Text(day.clone()), Arg::Int(facts.user_id)];
        for (method, (count, amount)) in &facts.payments {
            args.extend([Arg::Text(method.clone()), Arg::Int(*count), Arg::Int(*amount)]);
        }
        bind_all(sqlx::query(AssertSqlSafe(sql)), &args).execute(&mut **tx).await?;
    }
    if !facts.products.is_empty() {
        for (table, period) in [("daily_product_sales", day.as_str()), ("monthly_product_sales", month_of(&day))] {
            let rows: Vec<(i64, i64, Figures)> =
                facts.products.iter().map(|(id, (units, f))| (*id, *units, *f)).collect();
            upsert_products(tx, table, period, &rows).await?;
        }
    }
    Ok(())
}

/// The product columns, in the order [`product_values`] gives them.
const PRODUCT_COLUMNS: &str =
    "quantity, amount_cents, sales_count, gross_cents, discount_cents, cost_cents, costed_net_cents";

fn product_values(units: i64, f: &Figures) -> [i64; 7] {
    [units, f.net, f.count, f.gross, f.discount, f.cost, f.costed_net]
}

async fn upsert_products(tx: &mut Tx, table: &str, period: &str, rows: &[(i64, i64, Figures)]) -> Result<()> {
    let key = if table == "daily_product_sales" { "day" } else { "month" };
    let values: Vec<String> = (0..rows.len()).map(|i| format!("($1, {})", placeholders(2 + 8 * i, 8))).collect();
    let updates: Vec<String> =
        PRODUCT_COLUMNS.split(", ").map(|c| format!("{c} = {table}.{c} + excluded.{c}")).collect();
    let sql = format!(
        "INSERT INTO {table} ({key}, product_id, {PRODUCT_COLUMNS}) VALUES {} ON CONFLICT ({key}, product_id) \
         DO UPDATE SET {}",
        values.join(", "),
        updates.join(", ")
    );
    let mut args = vec![Arg::Text(period.to_string())];
    for (id, units, f) in rows {
        args.push(Arg::Int(*id));
        args.extend(product_values(*units, f).map(Arg::Int));
    }
    bind_all(sqlx::query(AssertSqlSafe(sql)), &args).execute(&mut **tx).await?;
    Ok(())
}

/// Which sales [`standing_sales`] reads: the half-open period, the seller, and where to go on
/// from (the last sale's time and id of the part before).
#[derive(Debug, Clone, Copy, Default)]
pub struct Window {
    pub from: Option<Timestamp>,
    pub until: Option<Timestamp>,
    pub user_id: Option<i64>,
    pub after: Option<(i64, i64)>,
}

/// Up to `limit` sales of the window as they stand, in time order, with their ids.
pub async fn standing_sales(conn: &mut AnyConnection, window: Window, limit: i64) -> Result<Vec<(i64, StandingSale)>> {
    let mut conditions = vec!["1 = 1".to_string()];
    let mut args = Vec::new();
    if let Some(from) = window.from {
        args.push(Arg::Int(from.micros()));
        conditions.push(format!("created_at >= ${}", args.len()));
    }
    if let Some(until) = window.until {
        args.push(Arg::Int(until.micros()));
        conditions.push(format!("created_at < ${}", args.len()));
    }
    if let Some(user_id) = window.user_id {
        args.push(Arg::Int(user_id));
        conditions.push(format!("user_id = ${}", args.len()));
    }
    if let Some((at, id)) = window.after {
        args.push(Arg::Int(at));
        args.push(Arg::Int(id));
        let (a, b) = (args.len() - 1, args.len());
        conditions.push(format!("(created_at > ${a} OR (created_at = ${a} AND id > ${b}))"));
    }
    args.push(Arg::Int(limit));
    let sql = format!(
        "SELECT id, user_id, created_at, status, total_cents FROM sales WHERE {} ORDER BY created_at, id \
         LIMIT CAST(${} AS BIGINT)",
        conditions.join(" AND "),
        args.len()
    );
    let rows = bind_all(sqlx::query(AssertSqlSafe(sql)), &args).fetch_all(&mut *conn).await?;
    let mut sales: Vec<(i64, StandingSale)> = Vec::with_capacity(rows.len());
    let mut totals = Vec::with_capacity(rows.len());
    for row in rows {
        let status: String = row.try_get("status")?;
        totals.push(Money::from_cents(row.try_get("total_cents")?));
        sales.push((
            row.try_get("id")?,
            StandingSale {
                created_at: Timestamp::from_micros(row.try_get("created_at")?),
                user_id: row.try_get("user_id")?,
                cancelled: status == SaleStatus::Cancelled.as_str(),
                lines: Vec::new(),
                payments: Vec::new(),
                refunds: Vec::new(),
            },
        ));
    }
    if sales.is_empty() {
        return Ok(sales);
    }
    let index: HashMap<i64, usize> = sales.iter().enumerate().map(|(i, (id, _))| (*id, i)).collect();
    let ids = placeholders(1, sales.len());
    let args: Vec<Arg> = sales.iter().map(|(id, _)| Arg::Int(*id)).collect();
    let sql = format!(
        "SELECT sale_id, product_id, unit, quantity, returned_quantity, price_cents, net_cents, cost_cents \
         FROM sale_items WHERE sale_id IN ({ids}) ORDER BY sale_id, id"
    );
    for row in bind_all(sqlx::query(AssertSqlSafe(sql)), &args).fetch_all(&mut *conn).await? {
        let line = StandingLine {
            product_id: row.try_get("product_id")?,
            unit: super::products::unit(row.try_get("unit")?)?,
            quantity: row.try_get("quantity")?,
            returned: row.try_get("returned_quantity")?,
            price: Money::from_cents(row.try_get("price_cents")?),
            net: Money::from_cents(row.try_get("net_cents")?),
            unit_cost: row.try_get::<Option<i64>, _>("cost_cents")?.map(Money::from_cents),
        };
        sales[index[&row.try_get::<i64, _>("sale_id")?]].1.lines.push(line);
    }
    let sql = format!("SELECT sale_id, method, amount_cents FROM sale_payments WHERE sale_id IN ({ids}) ORDER BY id");
    for row in bind_all(sqlx::query(AssertSqlSafe(sql)), &args).fetch_all(&mut *conn).await? {
        let method: String = row.try_get("method")?;
        let payment = (PaymentMethod::parse(&method), Money::from_cents(row.try_get("amount_cents")?));
        sales[index[&row.try_get::<i64, _>("sale_id")?]].1.payments.push(payment);
    }
    let sql =
        format!("SELECT sale_id, refund_method, refund_cents FROM sale_returns WHERE sale_id IN ({ids}) ORDER BY id");
    for row in bind_all(sqlx::query(AssertSqlSafe(sql)), &args).fetch_all(&mut *conn).await? {
        let method: String = row.try_get("refund_method")?;
        let Some(method) = PaymentMethod::parse(&method) else { continue };
        let refund = (method, Money::from_cents(row.try_get("refund_cents")?));
        sales[index[&row.try_get::<i64, _>("sale_id")?]].1.refunds.push(refund);
    }
    // A sale that recorded no payment paid its total with a method nobody wrote down.
    for ((_, sale), total) in sales.iter_mut().zip(totals) {
        if sale.payments.is_empty() && total > Money::ZERO {
            sale.payments.push((None, total));
        }
    }
    Ok(sales)
}

/// One sale as it stands (inside the transaction that is about to change it).
pub async fn standing_sale(tx: &mut Tx, sale_id: i64) -> Result<Option<StandingSale>> {
    let at: Option<i64> = sqlx::query_scalar("SELECT created_at FROM sales WHERE id = $1")
        .bind(sale_id)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(at) = at else { return Ok(None) };
    // The sale is the first after (its time, its id - 1) at its own time.
    let window = Window { from: Some(Timestamp::from_micros(at)), after: Some((at, sale_id - 1)), ..Window::default() };
    let mut found = standing_sales(tx, window, 1).await?;
    Ok(found.pop().filter(|(id, _)| *id == sale_id).map(|(_, sale)| sale))
}

/// How many sales [`standing_sales`] reads at a time.
pub const PART: i64 = 2000;

/// Computes every rollup again from the sales, a part at a time, and writes them.
pub async fn rebuild(tx: &mut Tx, calendar: BusinessCalendar) -> Result<()> {
    for table in ["hourly_sales", "daily_payment_sales", "daily_product_sales", "monthly_product_sales"] {
        sqlx::query(AssertSqlSafe(format!("DELETE FROM {table}"))).execute(&mut **tx).await?;
    }
    let mut hours: BTreeMap<(String, i64, i64), Figures> = BTreeMap::new();
    let mut payments: BTreeMap<(String, i64, String), (i64, i64)> = BTreeMap::new();
    let mut days: BTreeMap<(String, i64), (i64, Figures)> = BTreeMap::new();
    let mut months: BTreeMap<(String, i64), (i64, Figures)> = BTreeMap::new();
    let mut window = Window::default();
    loop {
        let sales = standing_sales(tx, window, PART).await?;
        let Some((id, last)) = sales.last() else { break };
        window.after = Some((last.created_at.micros(), *id));
        for (_, sale) in &sales {
            let facts = SaleFacts::of(sale, calendar);
            let day = day_key(facts.day);
            if !facts.sale.is_zero() {
                hours.entry((day.clone(), i64::from(facts.hour), facts.user_id)).or_default().add(&facts.sale);
            }
            for (method, (count, amount)) in &facts.payments {
                let entry = payments.entry((day.clone(), facts.user_id, method.clone())).or_default();
                entry.0 += count;
                entry.1 += amount;
            }
            for (product, (units, f)) in &facts.products {
                for (map, period) in [(&mut days, day.clone()), (&mut months, month_of(&day).to_string())] {
                    let entry = map.entry((period, *product)).or_default();
                    entry.0 += units;
                    entry.1.add(f);
                }
            }
        }
    }
    let hours: Vec<Vec<Arg>> = hours
        .into_iter()
        .map(|((day, hour, user), f)| {
            vec![Arg::Text(day), Arg::Int(hour), Arg::Int(user)]
                .into_iter()
                .chain([f.count, f.quantity, f.gross, f.discount, f.net, f.cost, f.costed_net].map(Arg::Int))
                .collect()
        })
        .collect();
    insert_all(
        tx,
        "hourly_sales (day, hour, user_id, sales_count, quantity, gross_cents, discount_cents, net_cents, cost_cents, \
         costed_net_cents)",
        &hours,
    )
    .await?;
    let payments: Vec<Vec<Arg>> = payments
        .into_iter()
        .map(|((day, user, method), (count, amount))| {
            vec![Arg::Text(day), Arg::Int(user), Arg::Text(method), Arg::Int(count), Arg::Int(amount)]
        })
        .collect();
    insert_all(tx, "daily_payment_sales (day, user_id, method, sales_count, amount_cents)", &payments).await?;
    for (table, key, rows) in [("daily_product_sales", "day", days), ("monthly_product_sales", "month", months)] {
        let rows: Vec<Vec<Arg>> = rows
            .into_iter()
            .map(|((period, product), (units, f))| {
                vec![Arg::Text(period), Arg::Int(product)]
                    .into_iter()
                    .chain(product_values(units, &f).map(Arg::Int))
                    .collect()
            })
            .collect();
        insert_all(tx, &format!("{table} ({key}, product_id, {PRODUCT_COLUMNS})"), &rows).await?;
    }
    meta::set(&mut **tx, ROLLUPS_VERSION_KEY, ROLLUPS_VERSION).await
}

/// Inserts rows of the same width, a few hundred per statement.
async fn insert_all(tx: &mut Tx, into: &str, rows: &[Vec<Arg>]) -> Result<()> {
    let Some(width) = rows.first().map(Vec::len) else { return Ok(()) };
    for chunk in rows.chunks(2000 / width) {
        let values: Vec<String> =
            (0..chunk.len()).map(|i| format!("({})", placeholders(1 + width * i, width))).collect();
        let sql = format!("INSERT INTO {into} VALUES {}", values.join(", "));
        let args: Vec<Arg> = chunk.iter().flatten().cloned().collect();
        bind_all(sqlx::query(AssertSqlSafe(sql)), &args).execute(&mut **tx).await?;
    }
    Ok(())
}

/// Where a report's whole days are read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Hours,
    Payments,
    Products,
    /// No total keeps what the report asks (a seller's products, the hours of a product):
    /// the sales themselves.
    Sales,
}

/// The figures of a report's rows by key (see `GroupBy::key_of`). Whole days come from the
/// totals (whole months too, for reports by month, product or category); the partial days at
/// the ends of the period, and the combinations no total keeps, from the sales as they stand.
/// A report's rows by key, and how many sales it covers when it read them (by payment method
/// from the sales, where a sale paid two ways is in two rows).
#[derive(Debug, Default)]
pub struct Grouped {
    pub rows: BTreeMap<String, Figures>,
    pub sales: Option<i64>,
}

pub async fn report(pool: &AnyPool, calendar: BusinessCalendar, request: &ReportRequest) -> Result<Grouped> {
    let group = request.group_by;
    let source = match (group, request.by_product()) {
        (GroupBy::PaymentMethod, false) => Source::Payments,
        // A sale's payments pay all of its lines: the sales that had the products.
        (GroupBy::PaymentMethod, true) => Source::Sales,
        (_, false) => Source::Hours,
        (GroupBy::Hour | GroupBy::Employee, true) => Source::Sales,
        (_, true) if request.user_id.is_some() => Source::Sales,
        (_, true) => Source::Products,
    };
    let first = request.from.map(|from| {
        let day = calendar.date_of(from);
        if calendar.start_of(day) >= from { day } else { day + Days::new(1) }
    });
    // The whole days are first..end (end excluded).
    let end = request.until.map(|until| calendar.date_of(until));
    let no_whole_day = matches!((first, end), (Some(first), Some(end)) if first >= end);
    let mut rows = BTreeMap::new();
    if source == Source::Sales || no_whole_day {
        let mut sales = 0;
        from_sales(pool, calendar, request, request.from, request.until, &mut rows, &mut sales).await?;
        return Ok(Grouped { rows, sales: (group == GroupBy::PaymentMethod).then_some(sales) });
    }
    let edges = [
        request.from.zip(first).map(|(from, day)| (from, calendar.start_of(day))),
        request.until.zip(end).map(|(until, day)| (calendar.start_of(day), until)),
    ];
    for (from, until) in edges.into_iter().flatten().filter(|(from, until)| from < until) {
        from_sales(pool, calendar, request, Some(from), Some(until), &mut rows, &mut 0).await?;
    }
    let days = (first.map(day_key), end.map(day_key));
    match source {
        Source::Hours => {
            let column = match group {
                GroupBy::Hour => "hour",
                GroupBy::Employee => "user_id",
                _ => "day",
            };
            let sums = "CAST(SUM(sales_count) AS BIGINT), CAST(SUM(quantity) AS BIGINT), \
                        CAST(SUM(gross_cents) AS BIGINT), CAST(SUM(discount_cents) AS BIGINT), \
                        CAST(SUM(net_cents) AS BIGINT), CAST(SUM(cost_cents) AS BIGINT), \
                        CAST(SUM(costed_net_cents) AS BIGINT)";
            let (conditions, args) = period_conditions("day", &days, request.user_id.map(|id| ("user_id", id)));
            let sql =
                format!("SELECT CAST({column} AS TEXT), {sums} FROM hourly_sales WHERE {conditions} GROUP BY {column}");
            add_rows(pool, group, sql, args, &mut rows).await?;
        }
        Source::Payments => {
            let (conditions, args) = period_conditions("day", &days, request.user_id.map(|id| ("user_id", id)));
            let sql = format!(
                "SELECT method, CAST(SUM(sales_count) AS BIGINT), 0, 0, 0, CAST(SUM(amount_cents) AS BIGINT), 0, 0 \
                 FROM daily_payment_sales WHERE {conditions} GROUP BY method"
            );
            add_rows(pool, group, sql, args, &mut rows).await?;
        }
        Source::Products => {
            // Whole months from the monthly totals, when the rows need no finer grain.
            let by_month = !matches!(group, GroupBy::Day | GroupBy::Week);
            let months = if by_month { whole_months(first, end) } else { None };
            // The days before the first whole month and after the last (none when the months
            // are unbounded on that side).
            let day_ranges = match &months {
                Some((first_month, end_month)) => [
                    first_month.as_ref().map(|m| (days.0.clone(), Some(format!("{m}-01")))),
                    end_month.as_ref().map(|m| (Some(format!("{m}-01")), days.1.clone())),
                ]
                .into_iter()
                .flatten()
                .collect(),
                None => vec![days.clone()],
            };
            for range in day_ranges {
                if matches!(&range, (Some(a), Some(b)) if a >= b) {
                    continue;
                }
                product_rows(pool, request, "daily_product_sales", "day", &range, &mut rows).await?;
            }
            if let Some(months) = months {
                product_rows(pool, request, "monthly_product_sales", "month", &months, &mut rows).await?;
            }
        }
        Source::Sales => unreachable!("read from the sales above"),
    }
    Ok(Grouped { rows, sales: None })
}

/// The months wholly inside the days first..end, as `YYYY-MM` (first included, end excluded;
/// None: unbounded), or None when there is none.
fn whole_months(first: Option<NaiveDate>, end: Option<NaiveDate>) -> Option<(Option<String>, Option<String>)> {
    let month = |day: NaiveDate| day.format("%Y-%m").to_string();
    let first_month = first.map(|day| {
        if day.day() == 1 {
            day
        } else {
            (day.with_day(1).unwrap_or(day) + chrono::Months::new(1)).with_day(1).unwrap_or(day)
        }
    });
    let end_month = end.map(|day| day.with_day(1).unwrap_or(day));
    if matches!((first_month, end_month), (Some(a), Some(b)) if a >= b) {
        return None;
    }
    Some((first_month.map(month), end_month.map(month)))
}

/// `column >= $1 AND column < $2` for the bounds there are, and one more equality.
fn period_conditions(
    column: &str,
    bounds: &(Option<String>, Option<String>),
    equal: Option<(&str, i64)>,
) -> (String, Vec<Arg>) {
    let mut conditions = vec!["1 = 1".to_string()];
    let mut args = Vec::new();
    if let Some(first) = &bounds.0 {
        args.push(Arg::Text(first.clone()));
        conditions.push(format!("{column} >= ${}", args.len()));
    }
    if let Some(end) = &bounds.1 {
        args.push(Arg::Text(end.clone()));
        conditions.push(format!("{column} < ${}", args.len()));
    }
    if let Some((column, value)) = equal {
        args.push(Arg::Int(value));
        conditions.push(format!("{column} = ${}", args.len()));
    }
    (conditions.join(" AND "), args)
}

async fn product_rows(
    pool: &AnyPool,
    request: &ReportRequest,
    table: &str,
    period: &str,
    bounds: &(Option<String>, Option<String>),
    rows: &mut BTreeMap<String, Figures>,
) -> Result<()> {
    let (mut conditions, mut args) = period_conditions(&format!("d.{period}"), bounds, None);
    if let Some(product_id) = request.product_id {
        args.push(Arg::Int(product_id));
        conditions.push_str(&format!(" AND d.product_id = ${}", args.len()));
    }
    if let Some(category_id) = request.category_id {
        args.push(Arg::Int(category_id));
        conditions.push_str(&format!(" AND p.category_id = ${}", args.len()));
    }
    let column = match request.group_by {
        GroupBy::Product => "d.product_id".to_string(),
        GroupBy::Category => "p.category_id".to_string(),
        _ => format!("d.{period}"),
    };
    let fractional = super::inventory::fractional_units();
    let sql = format!(
        "SELECT CAST({column} AS TEXT), CAST(SUM(d.sales_count) AS BIGINT), \
         CAST(SUM(CASE WHEN {fractional} THEN d.quantity ELSE d.quantity * 1000 END) AS BIGINT), \
         CAST(SUM(d.gross_cents) AS BIGINT), CAST(SUM(d.discount_cents) AS BIGINT), CAST(SUM(d.amount_cents) AS BIGINT), \
         CAST(SUM(d.cost_cents) AS BIGINT), CAST(SUM(d.costed_net_cents) AS BIGINT) \
         FROM {table} d JOIN products p ON p.id = d.product_id WHERE {conditions} GROUP BY {column}"
    );
    add_rows(pool, request.group_by, sql, args, rows).await
}

/// Runs a grouped query (key, count, quantity, gross, discount, net, cost, costed net) and adds
/// its rows.
async fn add_rows(
    pool: &AnyPool,
    group: GroupBy,
    sql: String,
    args: Vec<Arg>,
    rows: &mut BTreeMap<String, Figures>,
) -> Result<()> {
    type Grouped = (Option<String>, i64, i64, i64, i64, i64, i64, i64);
    let found: Vec<Grouped> = bind_all(sqlx::query_as(AssertSqlSafe(sql)), &args).fetch_all(pool).await?;
    for (key, count, quantity, gross, discount, net, cost, costed_net) in found {
        let figures = Figures { count, quantity, gross, discount, net, cost, costed_net };
        add_to(rows, group.key_of(&key.unwrap_or_default()), &figures);
    }
    Ok(())
}

/// Adds the sales of `[from, until)` as they stand, read a part at a time.
async fn from_sales(
    pool: &AnyPool,
    calendar: BusinessCalendar,
    request: &ReportRequest,
    from: Option<Timestamp>,
    until: Option<Timestamp>,
    rows: &mut BTreeMap<String, Figures>,
    sales_counted: &mut i64,
) -> Result<()> {
    let mut conn = pool.acquire().await?;
    let categories: HashMap<i64, Option<i64>> =
        if request.group_by == GroupBy::Category || request.category_id.is_some() {
            sqlx::query_as("SELECT id, category_id FROM products").fetch_all(&mut *conn).await?.into_iter().collect()
        } else {
            HashMap::new()
        };
    let category = |product: i64| categories.get(&product).copied().flatten();
    let mut window = Window { from, until, user_id: request.user_id, after: None };
    loop {
        let sales = standing_sales(&mut conn, window, PART).await?;
        let Some((id, last)) = sales.last() else { return Ok(()) };
        window.after = Some((last.created_at.micros(), *id));
        for (_, sale) in &sales {
            let facts = SaleFacts::of(sale, calendar);
            let group = request.group_by;
            let wanted = |product: i64| {
                request.product_id.is_none_or(|id| id == product)
                    && request.category_id.is_none_or(|id| category(product) == Some(id))
            };
            if group == GroupBy::PaymentMethod {
                if facts.sale.count == 0 || (request.by_product() && !facts.products.keys().any(|p| wanted(*p))) {
                    continue;
                }
                *sales_counted += 1;
                for (method, (count, amount)) in &facts.payments {
                    add_to(rows, method.clone(), &Figures { count: *count, net: *amount, ..Figures::default() });
                }
            } else if request.by_product() {
                for (product, (_, figures)) in facts.products.iter().filter(|(p, _)| wanted(**p)) {
                    let key = match group {
                        GroupBy::Product => product.to_string(),
                        GroupBy::Category => category(*product).map(|id| id.to_string()).unwrap_or_default(),
                        _ => group.key_of_sale(&facts),
                    };
                    add_to(rows, key, figures);
                }
            } else if !facts.sale.is_zero() {
                add_to(rows, group.key_of_sale(&facts), &facts.sale);
            }
        }
    }
}

/// The names of some rows of `table` (users, products, categories) by id.
pub async fn names(pool: &AnyPool, table: &str, column: &str, ids: &[i64]) -> Result<HashMap<i64, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!("SELECT id, {column} FROM {table} WHERE id IN ({})", placeholders(1, ids.len()));
    let args: Vec<Arg> = ids.iter().map(|id| Arg::Int(*id)).collect();
    Ok(bind_all(sqlx::query_as(AssertSqlSafe(sql)), &args).fetch_all(pool).await?.into_iter().collect())
}
