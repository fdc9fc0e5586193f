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
pub const ROLLUPS_VERSION: &str = "2";

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
            "INSERT INTO hourly_sales (day, store_id, hour, user_id, sales_count, quantity, gross_cents, discount_cents, \
             net_cents, cost_cents, costed_net_cents) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT (day, store_id, hour, user_id) DO UPDATE SET sales_count = hourly_sales.sales_count + excluded.sales_count, \
             quantity = hourly_sales.quantity + excluded.quantity, gross_cents = hourly_sales.gross_cents + excluded.gross_cents, \
             discount_cents = hourly_sales.discount_cents + excluded.discount_cents, \
             net_cents = hourly_sales.net_cents + excluded.net_cents, cost_cents = hourly_sales.cost_cents + excluded.cost_cents, \
             costed_net_cents = hourly_sales.costed_net_cents + excluded.costed_net_cents",
        )
        .bind(&day)
        .bind(facts.store_id)
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
            (0..facts.payments.len()).map(|i| format!("($1, $2, $3, {})", placeholders(4 + 3 * i, 3))).collect();
        let sql = format!(
            "INSERT INTO daily_payment_sales (day, store_id, user_id, method, sales_count, amount_cents) VALUES {} \
             ON CONFLICT (day, store_id, user_id, method) DO UPDATE SET \
             sales_count = daily_payment_sales.sales_count + excluded.sales_count, \
             amount_cents = daily_payment_sales.amount_cents + excluded.amount_cents",
            values.join(", ")
        );
        let mut args = vec![Arg::Text(day.clone()), Arg::Int(facts.store_id), Arg::Int(facts.user_id)];
        for (method, (count, amount)) in &facts.payments {
            args.extend([Arg::Text(method.clone()), Arg::Int(*count), Arg::Int(*amount)]);
        }
        bind_all(sqlx::query(AssertSqlSafe(sql)), &args).execute(&mut **tx).await?;
    }
    if !facts.products.is_empty() {
        for (table, period) in [("daily_product_sales", day.as_str()), ("monthly_product_sales", month_of(&day))] {
            let rows: Vec<(i64, i64, Figures)> =
                facts.products.iter().map(|(id, (units, f))| (*id, *units, *f)).collect();
            upsert_products(tx, table, period, facts.store_id, &rows).await?;
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

async fn upsert_products(
    tx: &mut Tx,
    table: &str,
    period: &str,
    store_id: i64,
    rows: &[(i64, i64, Figures)],
) -> Result<()> {
    let key = if table == "daily_product_sales" { "day" } else { "month" };
    let values: Vec<String> = (0..rows.len()).map(|i| format!("($1, $2, {})", placeholders(3 + 8 * i, 8))).collect();
    let updates: Vec<String> =
        PRODUCT_COLUMNS.split(", ").map(|c| format!("{c} = {table}.{c} + excluded.{c}")).collect();
    let sql = format!(
        "INSERT INTO {table} ({key}, store_id, product_id, {PRODUCT_COLUMNS}) VALUES {} \
         ON CONFLICT ({key}, store_id, product_id) \
         DO UPDATE SET {}",
        values.join(", "),
        updates.join(", ")
    );
    let mut args = vec![Arg::Text(period.to_string()), Arg::Int(store_id)];
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
    pub store_id: Option<i64>,
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
    if let Some(store_id) = window.store_id {
        args.push(Arg::Int(store_id));
        conditions.push(format!("store_id = ${}", args.len()));
    }
    if let Some(user_id) = window.user_id {
        args.push(Arg::Int(user_id));
        conditions.push(format!("user_id = ${}", args.len()));
    }
    if let Some((at, id)) = window.after {
        args.push(Arg::Int(at));
        args.push(Arg::Int(id));
        let (a, b) = (args.len() - 1, args.len());
        // A row value: both databases read the index from there (PostgreSQL would filter an OR).
        conditions.push(format!("(created_at, id) > (${a}, ${b})"));
    }
    args.push(Arg::Int(limit));
    let sql = format!(
        "SELECT id, store_id, user_id, created_at, status, total_cents FROM sales WHERE {} ORDER BY created_at, id \
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
                store_id: row.try_get("store_id")?,
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
    let mut hours: BTreeMap<(String, i64, i64, i64), Figures> = BTreeMap::new();
    let mut payments: BTreeMap<(String, i64, i64, String), (i64, i64)> = BTreeMap::new();
    let mut days: BTreeMap<(String, i64, i64), (i64, Figures)> = BTreeMap::new();
    let mut months: BTreeMap<(String, i64, i64), (i64, Figures)> = BTreeMap::new();
    let mut window = Window::default();
    loop {
        let sales = standing_sales(tx, window, PART).await?;
        let Some((id, last)) = sales.last() else { break };
        window.after = Some((last.created_at.micros(), *id));
        for (_, sale) in &sales {
            let facts = SaleFacts::of(sale, calendar);
            let day = day_key(facts.day);
            if !facts.sale.is_zero() {
                let key = (day.clone(), facts.store_id, i64::from(facts.hour), facts.user_id);
                hours.entry(key).or_default().add(&facts.sale);
            }
            for (method, (count, amount)) in &facts.payments {
                let entry = payments.entry((day.clone(), facts.store_id, facts.user_id, method.clone())).or_default();
                entry.0 += count;
                entry.1 += amount;
            }
            for (product, (units, f)) in &facts.products {
                for (map, period) in [(&mut days, day.clone()), (&mut months, month_of(&day).to_string())] {
                    let entry = map.entry((period, facts.store_id, *product)).or_default();
                    entry.0 += units;
                    entry.1.add(f);
                }
            }
        }
    }
    let hours: Vec<Vec<Arg>> = hours
        .into_iter()
        .map(|((day, store, hour, user), f)| {
            vec![Arg::Text(day), Arg::Int(store), Arg::Int(hour), Arg::Int(user)]
                .into_iter()
                .chain([f.count, f.quantity, f.gross, f.discount, f.net, f.cost, f.costed_net].map(Arg::Int))
                .collect()
        })
        .collect();
    insert_all(
        tx,
        "hourly_sales (day, store_id, hour, user_id, sales_count, quantity, gross_cents, discount_cents, net_cents, cost_cents, \
         costed_net_cents)",
        &hours,
    )
    .await?;
    let payments: Vec<Vec<Arg>> = payments
        .into_iter()
        .map(|((day, store, user, method), (count, amount))| {
            vec![Arg::Text(day), Arg::Int(store), Arg::Int(user), Arg::Text(method), Arg::Int(count), Arg::Int(amount)]
        })
        .collect();
    insert_all(tx, "daily_payment_sales (day, store_id, user_id, method, sales_count, amount_cents)", &payments)
        .await?;
    for (table, key, rows) in [("daily_product_sales", "day", days), ("monthly_product_sales", "month", months)] {
        let rows: Vec<Vec<Arg>> = rows
            .into_iter()
            .map(|((period, store, product), (units, f))| {
                vec![Arg::Text(period), Arg::Int(store), Arg::Int(product)]
                    .into_iter()
                    .chain(product_values(units, &f).map(Arg::Int))
                    .collect()
            })
            .collect();
        insert_all(tx, &format!("{table} ({key}, store_id, product_id, {PRODUCT_COLUMNS})"), &rows).await?;
    }
    meta::set(&mut **tx, ROLLUPS_VERSION_KEY, ROLLUPS_VERSION).await
}

/// Inserts rows of the same width, a few hundred per statement.
pub async fn insert_all(tx: &mut Tx, into: &str, rows: &[Vec<Arg>]) -> Result<()> {
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
            let mut args = Vec::new();
            let conditions = period_conditions(
                "day",
                &days,
                &[("user_id", request.user_id), ("store_id", request.store_id)],
                &mut args,
            );
            let sql =
                format!("SELECT CAST({column} AS TEXT), {sums} FROM hourly_sales WHERE {conditions} GROUP BY {column}");
            add_rows(pool, group, sql, args, &mut rows).await?;
        }
        Source::Payments => {
            let mut args = Vec::new();
            let conditions = period_conditions(
                "day",
                &days,
                &[("user_id", request.user_id), ("store_id", request.store_id)],
                &mut args,
            );
            let sql = format!(
                "SELECT method, CAST(SUM(sales_count) AS BIGINT), 0, 0, 0, CAST(SUM(amount_cents) AS BIGINT), 0, 0 \
                 FROM daily_payment_sales WHERE {conditions} GROUP BY method"
            );
            add_rows(pool, group, sql, args, &mut rows).await?;
        }
        Source::Products => {
            // Whole months from the monthly totals, when the rows need no finer grain.
            let by_month = !matches!(group, GroupBy::Day | GroupBy::Week);
            let reads = if by_month { product_reads(first, end) } else { vec![ProductRead::days(first, end)] };
            product_rows(pool, request, &reads, &mut rows).await?;
        }
        Source::Sales => unreachable!("read from the sales above"),
    }
    Ok(Grouped { rows, sales: None })
}

/// A part of the product totals a report reads: days (or months) `from..until`, added or
/// taken away.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ProductRead {
    monthly: bool,
    from: Option<NaiveDate>,
    until: Option<NaiveDate>,
    subtract: bool,
}

impl ProductRead {
    fn days(from: Option<NaiveDate>, until: Option<NaiveDate>) -> ProductRead {
        ProductRead { monthly: false, from, until, subtract: false }
    }
}

fn month_start(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

fn next_month(day: NaiveDate) -> NaiveDate {
    month_start(day) + chrono::Months::new(1)
}

/// The reads that add up to the product totals of the days first..end (end excluded; None:
/// unbounded) with the fewest rows: whole months from the monthly totals, and a month cut by
/// the period either as its days or, when the period covers most of it, as the month less the
/// days outside.
fn product_reads(first: Option<NaiveDate>, end: Option<NaiveDate>) -> Vec<ProductRead> {
    let whole_from = first.map(|day| if day.day() == 1 { day } else { next_month(day) });
    let whole_until = end.map(month_start);
    let mut reads = Vec::new();
    if !matches!((whole_from, whole_until), (Some(a), Some(b)) if a >= b) {
        reads.push(ProductRead { monthly: true, from: whole_from, until: whole_until, subtract: false });
    }
    // The cut months: the first one, and the last when it is another.
    let mut cut = Vec::new();
    if let Some(first) = first.filter(|day| day.day() != 1) {
        cut.push((first, end.map_or(next_month(first), |end| end.min(next_month(first)))));
    }
    if let Some(end) = end.filter(|day| day.day() != 1) {
        let from = first.map_or(month_start(end), |first| first.max(month_start(end)));
        if cut.first().is_none_or(|(a, _)| month_start(*a) != month_start(end)) {
            cut.push((from, end));
        }
    }
    for (from, until) in cut.into_iter().filter(|(from, until)| from < until) {
        let (start, next) = (month_start(from), next_month(from));
        let inside = (until - from).num_days();
        if 2 * inside > (next - start).num_days() {
            reads.push(ProductRead { monthly: true, from: Some(start), until: Some(next), subtract: false });
            for (a, b) in [(start, from), (until, next)].into_iter().filter(|(a, b)| a < b) {
                reads.push(ProductRead { monthly: false, from: Some(a), until: Some(b), subtract: true });
            }
        } else {
            reads.push(ProductRead::days(Some(from), Some(until)));
        }
    }
    reads
}

/// `column >= $n AND column < $n+1` for the bounds there are, and the equalities whose value
/// there is, their values pushed onto `args`.
fn period_conditions(
    column: &str,
    bounds: &(Option<String>, Option<String>),
    equal: &[(&str, Option<i64>)],
    args: &mut Vec<Arg>,
) -> String {
    let mut conditions = vec!["1 = 1".to_string()];
    if let Some(first) = &bounds.0 {
        args.push(Arg::Text(first.clone()));
        conditions.push(format!("{column} >= ${}", args.len()));
    }
    if let Some(end) = &bounds.1 {
        args.push(Arg::Text(end.clone()));
        conditions.push(format!("{column} < ${}", args.len()));
    }
    for (column, value) in equal {
        if let Some(value) = value {
            args.push(Arg::Int(*value));
            conditions.push(format!("{column} = ${}", args.len()));
        }
    }
    conditions.join(" AND ")
}

/// The product totals of the reads, grouped, in one statement (one snapshot: a sale committed
/// meanwhile is in a month and its days alike, or in neither).
async fn product_rows(
    pool: &AnyPool,
    request: &ReportRequest,
    reads: &[ProductRead],
    rows: &mut BTreeMap<String, Figures>,
) -> Result<()> {
    if reads.is_empty() {
        return Ok(());
    }
    let mut args = Vec::new();
    let mut parts = Vec::new();
    for read in reads {
        let (table, period, key): (&str, &str, fn(NaiveDate) -> String) = if read.monthly {
            ("monthly_product_sales", "month", |day| day.format("%Y-%m").to_string())
        } else {
            ("daily_product_sales", "day", day_key)
        };
        let bounds = (read.from.map(key), read.until.map(key));
        let equal = [("r.product_id", request.product_id), ("r.store_id", request.store_id)];
        let conditions = period_conditions(&format!("r.{period}"), &bounds, &equal, &mut args);
        let sign = if read.subtract { "-" } else { "" };
        let columns: Vec<String> = PRODUCT_COLUMNS.split(", ").map(|c| format!("{sign}r.{c} AS {c}")).collect();
        parts.push(format!(
            "SELECT r.product_id, r.{period} AS period, {} FROM {table} r WHERE {conditions}",
            columns.join(", ")
        ));
    }
    let mut category = String::new();
    if let Some(category_id) = request.category_id {
        args.push(Arg::Int(category_id));
        category = format!(" WHERE p.category_id = ${}", args.len());
    }
    let column = match request.group_by {
        GroupBy::Product => "d.product_id",
        GroupBy::Category => "p.category_id",
        _ => "d.period",
    };
    let fractional = super::inventory::fractional_units();
    let sql = format!(
        "SELECT CAST({column} AS TEXT), CAST(SUM(d.sales_count) AS BIGINT), \
         CAST(SUM(CASE WHEN {fractional} THEN d.quantity ELSE d.quantity * 1000 END) AS BIGINT), \
         CAST(SUM(d.gross_cents) AS BIGINT), CAST(SUM(d.discount_cents) AS BIGINT), CAST(SUM(d.amount_cents) AS BIGINT), \
         CAST(SUM(d.cost_cents) AS BIGINT), CAST(SUM(d.costed_net_cents) AS BIGINT) \
         FROM ({}) d JOIN products p ON p.id = d.product_id{category} GROUP BY {column}",
        parts.join(" UNION ALL ")
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
    let mut window = Window { from, until, user_id: request.user_id, store_id: request.store_id, after: None };
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

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn days(from: &str, until: &str, subtract: bool) -> ProductRead {
        ProductRead { monthly: false, from: Some(day(from)), until: Some(day(until)), subtract }
    }

    fn months(from: Option<&str>, until: Option<&str>) -> ProductRead {
        ProductRead { monthly: true, from: from.map(day), until: until.map(day), subtract: false }
    }

    #[test]
    fn a_month_mostly_inside_the_period_is_read_as_the_month_less_its_other_days() {
        assert_eq!(
            product_reads(Some(day("2026-01-01")), Some(day("2027-01-01"))),
            [months(Some("2026-01-01"), Some("2027-01-01"))]
        );
        assert_eq!(
            product_reads(Some(day("2026-01-10")), Some(day("2026-02-21"))),
            [
                months(Some("2026-01-01"), Some("2026-02-01")),
                days("2026-01-01", "2026-01-10", true),
                months(Some("2026-02-01"), Some("2026-03-01")),
                days("2026-02-21", "2026-03-01", true),
            ]
        );
        assert_eq!(
            product_reads(Some(day("2026-01-20")), Some(day("2026-01-25"))),
            [days("2026-01-20", "2026-01-25", false)]
        );
        assert_eq!(
            product_reads(None, Some(day("2026-03-05"))),
            [months(None, Some("2026-03-01")), days("2026-03-01", "2026-03-05", false)]
        );
    }

    /// Every day of the period counted once and every other day not at all, for periods
    /// starting and ending on every day of three years, bounded or not.
    #[test]
    fn the_reads_cover_each_day_of_the_period_exactly_once() {
        let all: Vec<NaiveDate> = day("2025-01-01").iter_days().take_while(|d| *d < day("2028-01-01")).collect();
        let covered = |reads: &[ProductRead], d: NaiveDate| -> i64 {
            reads
                .iter()
                .filter(|r| {
                    let unit = |x: NaiveDate| if r.monthly { month_start(x) } else { x };
                    r.from.is_none_or(|f| unit(d) >= f) && r.until.is_none_or(|u| unit(d) < u)
                })
                .map(|r| if r.subtract { -1 } else { 1 })
                .sum()
        };
        let bounds: Vec<Option<NaiveDate>> =
            std::iter::once(None).chain(all[300..800].iter().step_by(5).copied().map(Some)).collect();
        for first in &bounds {
            for end in bounds.iter().filter(|end| !matches!((first, end), (Some(a), Some(b)) if a >= b)) {
                let reads = product_reads(*first, *end);
                assert!(reads.len() <= 5, "{first:?}..{end:?}: {reads:?}");
                for d in &all {
                    let inside = first.is_none_or(|f| *d >= f) && end.is_none_or(|e| *d < e);
                    assert_eq!(covered(&reads, *d), i64::from(inside), "{first:?}..{end:?} em {d}: {reads:?}");
                }
            }
        }
    }
}
