//! All SQL that reads products and writes their details. Their stock is written by
//! [`super::inventory`] alone.

use std::collections::{HashMap, HashSet};

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyExecutor, AssertSqlSafe, FromRow, Row};

use super::{Arg, Enforces, Result, Tx, bind_all, limit_offset, placeholders};
use crate::domain::DomainError;
use crate::domain::barcode::{self, Barcode, ScaleLabel};
use crate::domain::catalog::{Product, ProductDetails, ProductFilter, Quantity, Unit};
use crate::domain::money::Money;
use crate::domain::page::PageRequest;
use crate::domain::text::{contains_pattern, product_search_key};
use crate::domain::time::Timestamp;

/// A product's stock as read for a store (its row there, or zero), or for all of them (the total).
fn stock_in(store: Option<i64>) -> String {
    match store {
        None => "p.stock".into(),
        Some(id) => {
            format!(
                "COALESCE((SELECT ss.stock FROM store_stock ss WHERE ss.store_id = {id} AND ss.product_id = p.id), 0)"
            )
        }
    }
}

/// A product's price as read for a store (its own, else the catalog's), or the catalog's.
fn price_in(store: Option<i64>) -> String {
    match store {
        None => "p.price_cents".into(),
        Some(id) => format!(
            "COALESCE((SELECT sp.price_cents FROM store_prices sp WHERE sp.store_id = {id} AND sp.product_id = p.id), \
             p.price_cents)"
        ),
    }
}

/// The columns a [`Product`] is read from, for a store or for all (the ids are integers, written
/// into the statement).
fn select_product(store: Option<i64>) -> String {
    format!(
        "SELECT p.id, p.name, p.description, {} AS price_cents, p.price_cents AS catalog_price_cents, {} AS stock, \
         p.category_id, c.name AS category_name, p.created_at, p.code, p.min_stock, p.updated_at, p.unit, \
         p.cost_cents, p.average_cost_cents, p.active, ph.photo_key, ph.thumb_key \
         FROM products p LEFT JOIN categories c ON c.id = p.category_id \
         LEFT JOIN product_photos ph ON ph.product_id = p.id",
        price_in(store),
        stock_in(store)
    )
}

impl FromRow<'_, AnyRow> for Product {
    fn from_row(row: &AnyRow) -> sqlx::Result<Product> {
        Ok(Product {
            id: row.try_get("id")?,
            name: row.try_get("name")?,
            description: row.try_get("description")?,
            price: Money::from_cents(row.try_get("price_cents")?),
            catalog_price: Money::from_cents(row.try_get("catalog_price_cents")?),
            stock: row.try_get("stock")?,
            category_id: row.try_get("category_id")?,
            category_name: row.try_get("category_name")?,
            created_at: Timestamp::from_micros(row.try_get("created_at")?),
            code: row.try_get("code")?,
            min_stock: row.try_get("min_stock")?,
            updated_at: Timestamp::from_micros(row.try_get("updated_at")?),
            unit: unit(row.try_get("unit")?)?,
            cost: row.try_get::<Option<i64>, _>("cost_cents")?.map(Money::from_cents),
            average_cost: row.try_get::<Option<i64>, _>("average_cost_cents")?.map(Money::from_cents),
            active: row.try_get::<i64, _>("active")? == 1,
            // Filled by `with_barcodes`.
            barcodes: Vec::new(),
            photo: super::photos::keys(row)?,
        })
    }
}

/// A unit as stored (the schema's CHECK allows only known ones).
pub(super) fn unit(text: String) -> sqlx::Result<Unit> {
    Unit::parse(&text).ok_or_else(|| sqlx::Error::Decode(format!("unidade desconhecida: {text}").into()))
}

/// The SQL condition and ordering of a search: anywhere in the name or the code, or exactly one
/// of the barcodes; a search that is a whole barcode or code puts those matches first.
fn is_code_like(search: &str) -> bool {
    (8..=14).contains(&search.len()) && search.bytes().all(|b| b.is_ascii_digit())
}

/// The conditions and arguments of a product listing.
fn where_clause(filter: &ProductFilter) -> (String, Vec<Arg>) {
    let mut conditions = vec!["p.archived_at IS NULL".to_string()];
    let mut args = Vec::new();
    if let Some(search) = &filter.search {
        args.push(Arg::Text(contains_pattern(search)));
        // A cast, for the reason in `limit_offset`: SQLite looks at a bare bound pattern.
        let like = format!("p.search_key LIKE CAST(${} AS TEXT) ESCAPE '\\'", args.len());
        if is_code_like(search) {
            args.push(Arg::Text(barcode::key_of(search)));
            conditions.push(format!("({like} OR p.id IN ({}))", barcode_match(args.len())));
        } else {
            conditions.push(like);
        }
    }
    if let Some(active) = filter.active {
        conditions.push(format!("p.active = {}", i64::from(active)));
    }
    if let Some(category_id) = filter.category_id {
        args.push(Arg::Int(category_id));
        conditions.push(format!("p.category_id = ${}", args.len()));
    }
    if let Some(code) = &filter.code {
        args.push(Arg::Text(code.clone()));
        conditions.push(format!("p.code = ${}", args.len()));
    }
    if filter.low_stock {
        conditions.push(format!("{} <= p.min_stock", stock_in(filter.store_id)));
    }
    (conditions.join(" AND "), args)
}

pub async fn list<'c>(
    ex: impl AnyExecutor<'c> + Copy,
    filter: &ProductFilter,
    page: PageRequest,
    known_total: Option<i64>,
) -> Result<(Vec<Product>, i64)> {
    let (conditions, mut args) = where_clause(filter);
    let total = match known_total {
        Some(total) => total,
        None => {
            let count_sql = format!("SELECT COUNT(*) FROM products p WHERE {conditions}");
            bind_all(sqlx::query_scalar(AssertSqlSafe(count_sql)), &args).fetch_one(ex).await?
        }
    };
    if page.offset() >= total {
        return Ok((Vec::new(), total));
    }
    let exact_first = match &filter.search {
        // The search's key is the last argument of the conditions.
        Some(search) if is_code_like(search) => {
            args.push(Arg::Text(search.clone()));
            format!(
                "CASE WHEN p.id IN ({}) OR p.code = ${} THEN 0 ELSE 1 END, ",
                barcode_match(args.len() - 1),
                args.len()
            )
        }
        _ => String::new(),
    };
    args.push(Arg::Int(page.per_page));
    args.push(Arg::Int(page.offset()));
    // The page's ids first, from the (search_key, id) index alone: rows skipped by the offset
    // are never read from the table or joined (on a deep page of a big catalog, that is most).
    let order = format!("{exact_first}p.search_key, p.id");
    let sql = format!(
        "{} WHERE p.id IN (SELECT p.id FROM products p WHERE {conditions} ORDER BY {order}{}) ORDER BY {order}",
        select_product(filter.store_id),
        limit_offset(args.len() - 1),
    );
    let products = bind_all(sqlx::query_as(AssertSqlSafe(sql)), &args).fetch_all(ex).await?;
    Ok((with_barcodes(ex, products).await?, total))
}

/// The products whose live barcode has the GTIN-14 key bound to `$n`.
fn barcode_match(n: usize) -> String {
    format!("SELECT product_id FROM product_barcodes WHERE gtin = ${n} AND live = 1")
}

/// Fills in the products' barcodes, in one query.
async fn with_barcodes<'c>(ex: impl AnyExecutor<'c>, mut products: Vec<Product>) -> Result<Vec<Product>> {
    if products.is_empty() {
        return Ok(products);
    }
    let ids: Vec<Arg> = products.iter().map(|p| Arg::Int(p.id)).collect();
    let sql = format!(
        "SELECT product_id, barcode FROM product_barcodes WHERE product_id IN ({}) ORDER BY id",
        placeholders(1, ids.len())
    );
    let rows: Vec<(i64, String)> = bind_all(sqlx::query_as(AssertSqlSafe(sql)), &ids).fetch_all(ex).await?;
    let mut by_product: HashMap<i64, Vec<String>> = HashMap::new();
    for (product_id, code) in rows {
        by_product.entry(product_id).or_default().push(code);
    }
    for product in &mut products {
        product.barcodes = by_product.remove(&product.id).unwrap_or_default();
    }
    Ok(products)
}

async fn with_barcodes_of_one(conn: &mut AnyConnection, found: Option<Product>) -> Result<Option<Product>> {
    Ok(match found {
        Some(product) => with_barcodes(conn, vec![product]).await?.pop(),
        None => None,
    })
}

/// The live product a scanned code names: one of its barcodes, or else its code (read for
/// `store`).
pub async fn find_by_code(conn: &mut AnyConnection, code: &str, store: Option<i64>) -> Result<Option<Product>> {
    let mut found: Option<Product> = None;
    let select = select_product(store);
    if code.len() <= 14 && code.bytes().all(|b| b.is_ascii_digit()) {
        let sql = format!("{select} WHERE p.archived_at IS NULL AND p.id IN ({})", barcode_match(1));
        found = sqlx::query_as(AssertSqlSafe(sql)).bind(barcode::key_of(code)).fetch_optional(&mut *conn).await?;
    }
    if found.is_none() {
        let sql = format!("{select} WHERE p.archived_at IS NULL AND p.code = $1");
        found = sqlx::query_as(AssertSqlSafe(sql)).bind(code).fetch_optional(&mut *conn).await?;
    }
    with_barcodes_of_one(conn, found).await
}

/// Every product the filter keeps (no page), in the listing's order, with their barcodes.
pub async fn all(conn: &mut AnyConnection, filter: &ProductFilter) -> Result<Vec<Product>> {
    let (conditions, args) = where_clause(filter);
    let sql = format!("{} WHERE {conditions} ORDER BY p.search_key, p.id", select_product(filter.store_id));
    let products: Vec<Product> = bind_all(sqlx::query_as(AssertSqlSafe(sql)), &args).fetch_all(&mut *conn).await?;
    let sql = format!(
        "SELECT product_id, barcode FROM product_barcodes WHERE product_id IN (SELECT p.id FROM products p WHERE {conditions}) ORDER BY id"
    );
    let rows: Vec<(i64, String)> = bind_all(sqlx::query_as(AssertSqlSafe(sql)), &args).fetch_all(&mut *conn).await?;
    let mut barcodes: HashMap<i64, Vec<String>> = HashMap::new();
    for (product_id, code) in rows {
        barcodes.entry(product_id).or_default().push(code);
    }
    Ok(products.into_iter().map(|p| Product { barcodes: barcodes.remove(&p.id).unwrap_or_default(), ..p }).collect())
}

/// The active product a scale label's code names: its code is the label's code as printed or
/// without its leading zeros.
pub async fn find_by_scale_code<'c>(
    ex: impl AnyExecutor<'c>,
    label: &ScaleLabel,
    store: Option<i64>,
) -> Result<Option<Product>> {
    let sql = format!(
        "{} WHERE p.archived_at IS NULL AND p.active = 1 AND p.code IN ($1, $2) ORDER BY p.code = $2 DESC LIMIT 1",
        select_product(store)
    );
    Ok(sqlx::query_as(AssertSqlSafe(sql)).bind(&label.plu).bind(&label.printed_plu).fetch_optional(ex).await?)
}

/// A live (not archived) product, with its total stock and the catalog's price.
pub async fn get(conn: &mut AnyConnection, id: i64) -> Result<Option<Product>> {
    get_in(conn, id, None).await
}

/// A live (not archived) product, read for `store`.
pub async fn get_in(conn: &mut AnyConnection, id: i64, store: Option<i64>) -> Result<Option<Product>> {
    let sql = format!("{} WHERE p.id = $1 AND p.archived_at IS NULL", select_product(store));
    let found: Option<Product> = sqlx::query_as(AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *conn).await?;
    with_barcodes_of_one(conn, found).await
}

/// The details as bound to `$1` to `$12` of an insert or an update: name, search key, code,
/// description, price, minimum stock, category, the time of the change, unit, cost, active.
fn details_args(details: &ProductDetails, now: Timestamp) -> Vec<Arg> {
    vec![
        Arg::Text(details.name.clone()),
        Arg::Text(product_search_key(&details.name, details.code.as_deref())),
        Arg::MaybeText(details.code.clone()),
        Arg::MaybeText(details.description.clone()),
        Arg::Int(details.price.cents()),
        Arg::Int(details.min_stock),
        Arg::Int(details.category_id),
        Arg::Int(now.micros()),
        Arg::Text(details.unit.as_str().into()),
        Arg::MaybeInt(details.cost.map(Money::cents)),
        Arg::Int(i64::from(details.active)),
    ]
}

/// Creates a product with no stock (its stock comes in through the inventory).
pub async fn insert(tx: &mut Tx, details: &ProductDetails, now: Timestamp) -> Result<i64> {
    Ok(insert_many(tx, &[details], now).await?[0])
}

/// Creates products with no stock, in one statement (and one for their barcodes); their ids, in
/// the order given.
pub async fn insert_many(tx: &mut Tx, products: &[&ProductDetails], now: Timestamp) -> Result<Vec<i64>> {
    if products.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows = Vec::with_capacity(products.len());
    let mut args = Vec::with_capacity(products.len() * 11);
    for details in products {
        // `$n+8` twice: the time is both created_at and updated_at (as in `details_args`).
        let n = args.len();
        rows.push(format!("({}, ${}, {}, 0)", placeholders(n + 1, 8), n + 8, placeholders(n + 9, 3)));
        args.extend(details_args(details, now));
    }
    let sql = format!(
        "INSERT INTO products (name, search_key, code, description, price_cents, min_stock, category_id, \
         created_at, updated_at, unit, cost_cents, active, stock) VALUES {} RETURNING id",
        rows.join(", ")
    );
    let mut ids: Vec<i64> = bind_all(sqlx::query_scalar(AssertSqlSafe(sql)), &args)
        .fetch_all(&mut **tx)
        .await
        .unique_means(DomainError::CodeTaken)
        // The category was deleted a moment ago.
        .foreign_key_means(DomainError::CategoryNotFound)?;
    // One statement numbers its rows in the order of its values (SQLite's rowids, PostgreSQL's
    // sequence), whatever order RETURNING gives them in.
    ids.sort_unstable();
    let values: Vec<String> = (0..ids.len()).map(|i| format!("({}, $1)", placeholders(2 + 2 * i, 2))).collect();
    let sql = format!("INSERT INTO product_prices (product_id, price_cents, valid_from) VALUES {}", values.join(", "));
    let mut args = vec![Arg::Int(now.micros())];
    for (&id, details) in ids.iter().zip(products) {
        args.extend([Arg::Int(id), Arg::Int(details.price.cents())]);
    }
    bind_all(sqlx::query(AssertSqlSafe(sql)), &args).execute(&mut **tx).await?;
    let barcodes: Vec<(i64, &Barcode, bool)> = ids
        .iter()
        .zip(products)
        .flat_map(|(&id, details)| details.barcodes.iter().map(move |barcode| (id, barcode, details.active)))
        .collect();
    add_barcodes(tx, &barcodes).await?;
    Ok(ids)
}

/// The GTIN-14 keys among `keys` that a live product's barcode holds.
pub async fn live_barcodes(tx: &mut Tx, keys: &[String]) -> Result<HashSet<String>> {
    if keys.is_empty() {
        return Ok(HashSet::new());
    }
    let sql = format!("SELECT gtin FROM product_barcodes WHERE live = 1 AND gtin IN ({})", placeholders(1, keys.len()));
    let args: Vec<Arg> = keys.iter().map(|key| Arg::Text(key.clone())).collect();
    let found: Vec<String> = bind_all(sqlx::query_scalar(AssertSqlSafe(sql)), &args).fetch_all(&mut **tx).await?;
    Ok(found.into_iter().collect())
}

/// Replaces a product's barcodes; `live`: whether they must be unique now (an active product).
async fn set_barcodes(tx: &mut Tx, product_id: i64, barcodes: &[Barcode], live: bool) -> Result<()> {
    sqlx::query("DELETE FROM product_barcodes WHERE product_id = $1").bind(product_id).execute(&mut **tx).await?;
    let barcodes: Vec<(i64, &Barcode, bool)> = barcodes.iter().map(|barcode| (product_id, barcode, live)).collect();
    add_barcodes(tx, &barcodes).await
}

/// Adds barcodes: product, barcode, and whether it must be unique now (an active product's).
async fn add_barcodes(tx: &mut Tx, barcodes: &[(i64, &Barcode, bool)]) -> Result<()> {
    if barcodes.is_empty() {
        return Ok(());
    }
    let values: Vec<String> = (0..barcodes.len()).map(|i| format!("({})", placeholders(1 + 4 * i, 4))).collect();
    let sql = format!("INSERT INTO product_barcodes (product_id, live, barcode, gtin) VALUES {}", values.join(", "));
    let mut args = Vec::with_capacity(barcodes.len() * 4);
    for &(product_id, barcode, live) in barcodes {
        args.extend([
            Arg::Int(product_id),
            Arg::Int(i64::from(live)),
            Arg::Text(barcode.digits.clone()),
            Arg::Text(barcode.key()),
        ]);
    }
    bind_all(sqlx::query(AssertSqlSafe(sql)), &args)
        .execute(&mut **tx)
        .await
        .unique_means(DomainError::BarcodeTaken)?;
    Ok(())
}

/// Sets the details of an active product. Returns false when there is none.
pub async fn update(tx: &mut Tx, id: i64, details: &ProductDetails, now: Timestamp) -> Result<bool> {
    let sql = "UPDATE products SET name = $1, search_key = $2, code = $3, description = $4, price_cents = $5, \
               min_stock = $6, category_id = $7, updated_at = $8, unit = $9, cost_cents = $10, active = $11 \
               WHERE id = $12 AND archived_at IS NULL";
    let mut args = details_args(details, now);
    args.push(Arg::Int(id));
    let result = bind_all(sqlx::query(sql), &args)
        .execute(&mut **tx)
        .await
        .unique_means(DomainError::CodeTaken)
        .foreign_key_means(DomainError::CategoryNotFound)?;
    if result.rows_affected() != 1 {
        return Ok(false);
    }
    set_barcodes(tx, id, &details.barcodes, details.active).await?;
    // A new price closes the one before in the product's history of prices.
    let closed = sqlx::query(
        "UPDATE product_prices SET valid_until = $3 WHERE product_id = $1 AND valid_until IS NULL AND price_cents <> $2",
    )
    .bind(id)
    .bind(details.price.cents())
    .bind(now.micros())
    .execute(&mut **tx)
    .await?;
    if closed.rows_affected() > 0 {
        sqlx::query("INSERT INTO product_prices (product_id, price_cents, valid_from) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(details.price.cents())
            .bind(now.micros())
            .execute(&mut **tx)
            .await?;
    }
    Ok(true)
}

/// Whether the product's price was `price` at some moment of `[from, until]`.
pub async fn had_price(tx: &mut Tx, product_id: i64, price: Money, from: Timestamp, until: Timestamp) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM product_prices WHERE product_id = $1 AND price_cents = $2 AND valid_from <= $4 \
         AND (valid_until IS NULL OR valid_until >= $3) LIMIT 1",
    )
    .bind(product_id)
    .bind(price.cents())
    .bind(from.micros())
    .bind(until.micros())
    .fetch_optional(&mut **tx)
    .await?;
    Ok(found.is_some())
}

/// The products whose stock is below zero (sales made offline took more than there was), by name.
pub async fn below_zero<'c>(ex: impl AnyExecutor<'c>) -> Result<Vec<(i64, String, Quantity)>> {
    let rows: Vec<(i64, String, i64, String)> = sqlx::query_as(
        "SELECT id, name, stock, unit FROM products WHERE stock < 0 AND archived_at IS NULL ORDER BY search_key, id",
    )
    .fetch_all(ex)
    .await?;
    rows.into_iter().map(|(id, name, stock, u)| Ok((id, name, Quantity::new(stock, unit(u)?)))).collect()
}

/// Whether the product has any stock movement (its unit's integers then mean something).
pub async fn has_movements(tx: &mut Tx, id: i64) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM stock_movements WHERE product_id = $1 LIMIT 1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(found.is_some())
}

/// Archives a live product; its barcodes are free for others. Returns false when there is no
/// such product.
pub async fn archive(tx: &mut Tx, id: i64, now: Timestamp) -> Result<bool> {
    let result =
        sqlx::query("UPDATE products SET archived_at = $2, updated_at = $2 WHERE id = $1 AND archived_at IS NULL")
            .bind(id)
            .bind(now.micros())
            .execute(&mut **tx)
            .await?;
    sqlx::query("UPDATE product_barcodes SET live = 0 WHERE product_id = $1").bind(id).execute(&mut **tx).await?;
    Ok(result.rows_affected() == 1)
}
