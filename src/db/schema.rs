//! The registry of the tables: which ones hold a shop's data and move with it — backups,
//! restores, exports, imports and the first-version import all read and write exactly the
//! tables listed in [`carried!`], in that order — and which do not, and why ([`NOT_CARRIED`]).
//! [`uncovered`] compares the registry with a migrated database: a table or a column that a
//! migration adds and nobody registers here fails the test suite instead of being silently
//! left out of backups.
//!
//! Each carried table has a row type: its columns as a backup holds them, with the SQL that
//! reads and writes them. Columns derived from others (search keys) are written from the row
//! and not carried in files.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

use super::{Arg, Backend, Result, bind_all, column_names, placeholders, table_names};
use crate::domain::barcode::{DEFAULT_LABEL_MASK, LabelValue};
use crate::domain::catalog::Unit;
use crate::domain::settings::DEFAULT_OFFLINE_SALE_MAX_HOURS;
use crate::domain::text::{product_search_key, search_key};
use crate::domain::time::Timestamp;

/// A carried table: its name, the columns an insert writes (all of the table's columns), and
/// how a row is read and written.
pub trait Table: Sized {
    const NAME: &'static str;
    const COLUMNS: &'static [&'static str];
    fn from_row(row: &AnyRow) -> sqlx::Result<Self>;
    /// One value per column of [`Table::COLUMNS`], in order.
    fn values(&self) -> Vec<Arg>;
}

/// Generates [`Dataset`] (every row of a shop, each carried table in id order) and the list of
/// carried tables from one list of `table: RowType`, in the order they can be written (each
/// refers only to earlier ones).
macro_rules! carried {
    ($($table:ident: $row:ty),+ $(,)?) => {
        /// Every row of a shop, each carried table in id order. A table missing from a file
        /// written by an older version is empty.
        #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
        pub struct Dataset {
            $(#[serde(default)] pub $table: Vec<$row>,)+
        }

        /// The carried tables with their columns, in the order they can be written.
        pub const CARRIED: &[(&str, &[&str])] = &[$((<$row as Table>::NAME, <$row as Table>::COLUMNS)),+];

        impl Dataset {
            /// Every row of the carried tables, in the caller's transaction (a snapshot: see
            /// `Db::begin_snapshot`).
            pub async fn read(conn: &mut AnyConnection) -> Result<Dataset> {
                Ok(Dataset { $($table: read_rows::<$row>(conn).await?,)+ })
            }

            /// Writes every row with its id, table by table.
            pub async fn write(&self, conn: &mut AnyConnection) -> Result<()> {
                $(write_rows(conn, &self.$table).await?;)+
                Ok(())
            }

            /// Rows per carried table.
            pub fn row_counts(&self) -> BTreeMap<String, i64> {
                BTreeMap::from([$((<$row as Table>::NAME.to_string(), self.$table.len() as i64)),+])
            }
        }
    };
}

carried! {
    settings: SettingsRow,
    stores: StoreRow,
    terminals: TerminalRow,
    users: UserRow,
    user_stores: UserStoreRow,
    categories: CategoryRow,
    customers: CustomerRow,
    products: ProductRow,
    product_prices: PriceRow,
    product_barcodes: BarcodeRow,
    product_photos: ProductPhotoRow,
    store_prices: StorePriceRow,
    cash_sessions: CashSessionRow,
    cash_movements: CashMovementRow,
    sales: SaleRow,
    sale_items: SaleItemRow,
    sale_payments: SalePaymentRow,
    sale_returns: SaleReturnRow,
    sale_return_items: SaleReturnItemRow,
    stock_transfers: TransferRow,
    stock_transfer_items: TransferItemRow,
    stock_movements: MovementRow,
    audit_log: AuditRow,
}

/// Why a table of the schema is not carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotCarried {
    /// Derived from carried tables: emptied before a load and rebuilt after it.
    Rebuilt(&'static str),
    /// The target database's own: left as it is.
    Kept(&'static str),
}

pub const NOT_CARRIED: &[(&str, NotCarried)] = &[
    ("store_stock", NotCarried::Rebuilt("each store's stock, the sum of its movements, recomputed after a load")),
    ("open_cash_sessions", NotCarried::Rebuilt("each operator's open session, the one without a closing")),
    ("daily_sales", NotCarried::Rebuilt("totals per day and seller, recomputed from the sales after a load")),
    ("daily_product_sales", NotCarried::Rebuilt("totals per day and product, recomputed from the sales after a load")),
    (
        "monthly_product_sales",
        NotCarried::Rebuilt("totals per month and product, recomputed from the sales after a load"),
    ),
    ("hourly_sales", NotCarried::Rebuilt("totals per day, hour and seller, recomputed from the sales after a load")),
    ("daily_payment_sales", NotCarried::Rebuilt("totals per day, seller and payment method, recomputed after a load")),
    ("catalog_version", NotCarried::Kept("a random value that triggers replace on every change to the catalog")),
    (
        "meta",
        NotCarried::Kept(
            "facts of this installation: generated secrets, how the daily totals were computed, the first-version \
             import marker",
        ),
    ),
    ("_sqlx_migrations", NotCarried::Kept("the schema's history: the target has its own")),
    ("sqlite_sequence", NotCarried::Kept("SQLite's AUTOINCREMENT counters, set after the rows by continue_ids")),
];

/// What the registry misses in a migrated database: tables neither carried nor listed as not
/// carried, and carried tables whose columns differ from their row type's. Empty when every
/// table and column is accounted for.
pub async fn uncovered(conn: &mut AnyConnection, backend: Backend) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut tables = table_names(conn, backend).await?;
    tables.sort();
    for table in tables {
        if NOT_CARRIED.iter().any(|(name, _)| *name == table) {
            continue;
        }
        let Some((_, columns)) = CARRIED.iter().find(|(name, _)| *name == table) else {
            problems.push(format!("a tabela {table} não é levada pelos backups nem está em NOT_CARRIED"));
            continue;
        };
        let actual = column_names(conn, backend, &table).await?;
        let missing: Vec<&String> = actual.iter().filter(|c| !columns.contains(&c.as_str())).collect();
        let extra: Vec<&&str> = columns.iter().filter(|c| !actual.iter().any(|a| a == *c)).collect();
        if !missing.is_empty() || !extra.is_empty() {
            problems.push(format!(
                "as colunas de {table} diferem do registro: no banco e não no registro {missing:?}; no registro e \
                 não no banco {extra:?}"
            ));
        }
    }
    Ok(problems)
}

/// Rows per multi-row `INSERT`: well under the bind limits of SQLite (32766) and PostgreSQL
/// (65535) for the widest table.
const CHUNK: usize = 500;

async fn read_rows<T: Table>(conn: &mut AnyConnection) -> Result<Vec<T>> {
    let sql = format!("SELECT {} FROM {} ORDER BY id", T::COLUMNS.join(", "), T::NAME);
    let rows = sqlx::query(AssertSqlSafe(sql)).fetch_all(&mut *conn).await?;
    Ok(rows.iter().map(T::from_row).collect::<sqlx::Result<Vec<T>>>()?)
}

async fn write_rows<T: Table>(conn: &mut AnyConnection, rows: &[T]) -> Result<()> {
    let width = T::COLUMNS.len();
    for chunk in rows.chunks(CHUNK) {
        let values: Vec<String> =
            (0..chunk.len()).map(|i| format!("({})", placeholders(1 + width * i, width))).collect();
        let sql = format!("INSERT INTO {} ({}) VALUES {}", T::NAME, T::COLUMNS.join(", "), values.join(", "));
        let args: Vec<Arg> = chunk.iter().flat_map(T::values).collect();
        bind_all(sqlx::query(AssertSqlSafe(sql)), &args).execute(&mut *conn).await?;
    }
    Ok(())
}

fn timestamp(row: &AnyRow, column: &str) -> sqlx::Result<Timestamp> {
    Ok(Timestamp::from_micros(row.try_get(column)?))
}

fn maybe_timestamp(row: &AnyRow, column: &str) -> sqlx::Result<Option<Timestamp>> {
    Ok(row.try_get::<Option<i64>, _>(column)?.map(Timestamp::from_micros))
}

fn micros(t: Option<Timestamp>) -> Arg {
    Arg::MaybeInt(t.map(Timestamp::micros))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    /// bcrypt, or a first-version Werkzeug hash (replaced by bcrypt at the first login).
    pub password_hash: String,
    pub role: String,
    #[serde(default)]
    pub session_version: i64,
    pub created_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deactivated_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<Timestamp>,
}

impl Table for UserRow {
    const NAME: &'static str = "users";
    const COLUMNS: &'static [&'static str] =
        &["id", "username", "password_hash", "role", "session_version", "created_at", "deactivated_at", "deleted_at"];

    fn from_row(r: &AnyRow) -> sqlx::Result<UserRow> {
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
    }

    fn values(&self) -> Vec<Arg> {
        vec![
            Arg::Int(self.id),
            Arg::Text(self.username.clone()),
            Arg::Text(self.password_hash.clone()),
            Arg::Text(self.role.clone()),
            Arg::Int(self.session_version),
            Arg::Int(self.created_at.micros()),
            micros(self.deactivated_at),
            micros(self.deleted_at),
        ]
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryRow {
    pub id: i64,
    pub name: String,
    pub created_at: Timestamp,
}

impl Table for CategoryRow {
    const NAME: &'static str = "categories";
    /// `name_key` is derived from the name.
    const COLUMNS: &'static [&'static str] = &["id", "name", "name_key", "created_at"];

    fn from_row(r: &AnyRow) -> sqlx::Result<CategoryRow> {
        Ok(CategoryRow { id: r.try_get("id")?, name: r.try_get("name")?, created_at: timestamp(r, "created_at")? })
    }

    fn values(&self) -> Vec<Arg> {
        vec![
            Arg::Int(self.id),
            Arg::Text(self.name.clone()),
            Arg::Text(search_key(&self.name)),
            Arg::Int(self.created_at.micros()),
        ]
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductRow {
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    pub price_cents: i64,
    /// The sum of the product's movements (see `db::inventory`).
    pub stock: i64,
    pub min_stock: i64,
    #[serde(default)]
    pub category_id: Option<i64>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived_at: Option<Timestamp>,
    #[serde(default = "whole_units")]
    pub unit: String,
    #[serde(default)]
    pub cost_cents: Option<i64>,
    #[serde(default)]
    pub average_cost_cents: Option<i64>,
    #[serde(default = "yes")]
    pub active: i64,
}

impl ProductRow {
    /// A product as the first version had them: sold in units, no cost, active; the other
    /// fields are the caller's to set.
    pub fn sold_in_units() -> ProductRow {
        ProductRow {
            id: 0,
            name: String::new(),
            code: None,
            description: None,
            price_cents: 0,
            stock: 0,
            min_stock: 0,
            category_id: None,
            created_at: Timestamp::from_micros(0),
            updated_at: Timestamp::from_micros(0),
            archived_at: None,
            unit: whole_units(),
            cost_cents: None,
            average_cost_cents: None,
            active: 1,
        }
    }
}

impl Table for ProductRow {
    const NAME: &'static str = "products";
    /// `search_key` is derived from the name and the code.
    const COLUMNS: &'static [&'static str] = &[
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
        "unit",
        "cost_cents",
        "average_cost_cents",
        "active",
    ];

    fn from_row(r: &AnyRow) -> sqlx::Result<ProductRow> {
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
            unit: r.try_get("unit")?,
            cost_cents: r.try_get("cost_cents")?,
            average_cost_cents: r.try_get("average_cost_cents")?,
            active: r.try_get("active")?,
        })
    }

    fn values(&self) -> Vec<Arg> {
        vec![
            Arg::Int(self.id),
            Arg::Text(self.name.clone()),
            Arg::Text(product_search_key(&self.name, self.code.as_deref())),
            Arg::MaybeText(self.code.clone()),
            Arg::MaybeText(self.description.clone()),
            Arg::Int(self.price_cents),
            Arg::Int(self.stock),
            Arg::Int(self.min_stock),
            Arg::MaybeInt(self.category_id),
            Arg::Int(self.created_at.micros()),
            Arg::Int(self.updated_at.micros()),
            micros(self.archived_at),
            Arg::Text(self.unit.clone()),
            Arg::MaybeInt(self.cost_cents),
            Arg::MaybeInt(self.average_cost_cents),
            Arg::Int(self.active),
        ]
    }
}

/// A column's value as a row type holds it: read from a row, bound to a statement.
trait Column: Sized {
    fn get(row: &AnyRow, column: &str) -> sqlx::Result<Self>;
    fn arg(&self) -> Arg;
}

impl Column for i64 {
    fn get(row: &AnyRow, column: &str) -> sqlx::Result<i64> {
        row.try_get(column)
    }
    fn arg(&self) -> Arg {
        Arg::Int(*self)
    }
}

impl Column for Option<i64> {
    fn get(row: &AnyRow, column: &str) -> sqlx::Result<Option<i64>> {
        row.try_get(column)
    }
    fn arg(&self) -> Arg {
        Arg::MaybeInt(*self)
    }
}

impl Column for String {
    fn get(row: &AnyRow, column: &str) -> sqlx::Result<String> {
        row.try_get(column)
    }
    fn arg(&self) -> Arg {
        Arg::Text(self.clone())
    }
}

impl Column for Option<String> {
    fn get(row: &AnyRow, column: &str) -> sqlx::Result<Option<String>> {
        row.try_get(column)
    }
    fn arg(&self) -> Arg {
        Arg::MaybeText(self.clone())
    }
}

impl Column for Timestamp {
    fn get(row: &AnyRow, column: &str) -> sqlx::Result<Timestamp> {
        timestamp(row, column)
    }
    fn arg(&self) -> Arg {
        Arg::Int(self.micros())
    }
}

impl Column for Option<Timestamp> {
    fn get(row: &AnyRow, column: &str) -> sqlx::Result<Option<Timestamp>> {
        maybe_timestamp(row, column)
    }
    fn arg(&self) -> Arg {
        micros(*self)
    }
}

/// A row type whose fields are its table's columns, one for one, in order.
macro_rules! row {
    ($(#[$meta:meta])* $row:ident = $table:literal { $($(#[$field_meta:meta])* $field:ident: $ty:ty),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        pub struct $row {
            $($(#[$field_meta])* pub $field: $ty,)+
        }

        impl Table for $row {
            const NAME: &'static str = $table;
            const COLUMNS: &'static [&'static str] = &[$(stringify!($field)),+];

            fn from_row(r: &AnyRow) -> sqlx::Result<$row> {
                Ok($row { $($field: Column::get(r, stringify!($field))?,)+ })
            }

            fn values(&self) -> Vec<Arg> {
                vec![$(self.$field.arg()),+]
            }
        }
    };
}

fn concluded() -> String {
    "concluida".into()
}

row! {
    /// The shop's settings: at most one row, id 1.
    SettingsRow = "settings" {
        id: i64,
        #[serde(default)] shop_name: Option<String>,
        #[serde(default)] shop_cnpj: Option<String>,
        #[serde(default)] shop_address: Option<String>,
        #[serde(default)] shop_phone: Option<String>,
        #[serde(default)] pix_key: Option<String>,
        #[serde(default)] pix_merchant_name: Option<String>,
        #[serde(default)] pix_merchant_city: Option<String>,
        #[serde(default)] max_discount_bp: i64,
        #[serde(default)] require_cash_session: i64,
        #[serde(default)] auto_print: i64,
        #[serde(default)] printer_address: Option<String>,
        #[serde(default = "wide_paper")] printer_columns: i64,
        #[serde(default)] open_drawer: i64,
        #[serde(default = "default_label_mask")] scale_label_mask: String,
        #[serde(default = "weight_labels")] scale_label_value: String,
        #[serde(default = "offline_hours")] offline_sale_max_hours: i64,
        updated_at: Timestamp,
    }
}

fn wide_paper() -> i64 {
    48
}

fn default_label_mask() -> String {
    DEFAULT_LABEL_MASK.into()
}

fn weight_labels() -> String {
    LabelValue::Weight.as_str().into()
}

fn offline_hours() -> i64 {
    DEFAULT_OFFLINE_SALE_MAX_HOURS
}

fn whole_units() -> String {
    Unit::Un.as_str().into()
}

fn yes() -> i64 {
    1
}

fn first_store() -> i64 {
    1
}

row! {
    /// A store of the shop (a shop has store 1 from the start).
    StoreRow = "stores" {
        id: i64,
        name: String,
        created_at: Timestamp,
        #[serde(default, skip_serializing_if = "Option::is_none")] archived_at: Option<Timestamp>,
        #[serde(default, skip_serializing_if = "Option::is_none")] shop_cnpj: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")] shop_address: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")] shop_phone: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")] pix_key: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")] pix_merchant_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")] pix_merchant_city: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")] printer_address: Option<String>,
    }
}

row! {
    /// A point of sale of a store.
    TerminalRow = "terminals" {
        id: i64,
        store_id: i64,
        name: String,
        created_at: Timestamp,
        #[serde(default, skip_serializing_if = "Option::is_none")] archived_at: Option<Timestamp>,
    }
}

row! {
    /// A store a user works in.
    UserStoreRow = "user_stores" {
        id: i64,
        user_id: i64,
        store_id: i64,
    }
}

row! {
    /// A price a product had, from when until when (None: its price now).
    PriceRow = "product_prices" {
        id: i64,
        product_id: i64,
        price_cents: i64,
        valid_from: Timestamp,
        #[serde(default)] valid_until: Option<Timestamp>,
    }
}

row! {
    /// A product's barcode; `gtin` is its GTIN-14 form, `live` whether the product is active.
    BarcodeRow = "product_barcodes" {
        id: i64,
        product_id: i64,
        barcode: String,
        gtin: String,
        live: i64,
    }
}

row! {
    /// A product's photo: the keys of its images in the photo storage. The images travel beside
    /// the rows (`transfer::photos`).
    ProductPhotoRow = "product_photos" {
        id: i64,
        product_id: i64,
        photo_key: String,
        thumb_key: String,
        width: i64,
        height: i64,
        bytes: i64,
        updated_at: Timestamp,
    }
}

row! {
    CashSessionRow = "cash_sessions" {
        id: i64,
        user_id: i64,
        terminal: String,
        opening_float_cents: i64,
        opened_at: Timestamp,
        #[serde(default)] closed_at: Option<Timestamp>,
        #[serde(default)] closed_by: Option<i64>,
        #[serde(default)] counted_cents: Option<i64>,
        #[serde(default)] expected_cents: Option<i64>,
        #[serde(default)] difference_cents: Option<i64>,
        #[serde(default = "first_store")] store_id: i64,
        #[serde(default, skip_serializing_if = "Option::is_none")] terminal_id: Option<i64>,
    }
}

row! {
    CashMovementRow = "cash_movements" {
        id: i64,
        session_id: i64,
        /// `suprimento` or `sangria`.
        kind: String,
        amount_cents: i64,
        #[serde(default)] reason: Option<String>,
        user_id: i64,
        created_at: Timestamp,
        /// Its parent's store (filled in by `Dataset::complete_older_rows`).
        #[serde(default)] store_id: Option<i64>,
    }
}

row! {
    SaleRow = "sales" {
        id: i64,
        user_id: i64,
        total_cents: i64,
        #[serde(default)] payment_method: Option<String>,
        created_at: Timestamp,
        #[serde(default, skip_serializing_if = "Option::is_none")] idempotency_key: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")] idempotency_fingerprint: Option<String>,
        /// None only in files written before discounts: the total (see `Dataset::complete`).
        #[serde(default)] subtotal_cents: Option<i64>,
        #[serde(default)] discount_cents: i64,
        #[serde(default)] change_cents: i64,
        #[serde(default)] refunded_cents: i64,
        /// `concluida` or `cancelada`.
        #[serde(default = "concluded")] status: String,
        #[serde(default, skip_serializing_if = "Option::is_none")] cancelled_at: Option<Timestamp>,
        #[serde(default, skip_serializing_if = "Option::is_none")] cancelled_by: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")] cancel_reason: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")] discount_approved_by: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")] cash_session_id: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")] customer_id: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")] client_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")] received_at: Option<Timestamp>,
        #[serde(default, skip_serializing_if = "Option::is_none")] review: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")] reviewed_at: Option<Timestamp>,
        #[serde(default, skip_serializing_if = "Option::is_none")] reviewed_by: Option<i64>,
        #[serde(default = "first_store")] store_id: i64,
    }
}

row! {
    SaleItemRow = "sale_items" {
        id: i64,
        sale_id: i64,
        product_id: i64,
        /// The product's name when it was sold, as printed on the receipt.
        product_name: String,
        quantity: i64,
        price_cents: i64,
        #[serde(default)] discount_cents: i64,
        /// None only in files written before discounts: price x quantity.
        #[serde(default)] net_cents: Option<i64>,
        #[serde(default)] returned_quantity: i64,
        /// The product's unit when it was sold: `quantity` is in its integers.
        #[serde(default = "whole_units")] unit: String,
        /// The cost of one unit when it was sold, if known.
        #[serde(default)] cost_cents: Option<i64>,
        /// Its parent's store (filled in by `Dataset::complete_older_rows`).
        #[serde(default)] store_id: Option<i64>,
    }
}

row! {
    SalePaymentRow = "sale_payments" {
        id: i64,
        sale_id: i64,
        method: String,
        amount_cents: i64,
        #[serde(default)] tendered_cents: Option<i64>,
        /// Its parent's store (filled in by `Dataset::complete_older_rows`).
        #[serde(default)] store_id: Option<i64>,
    }
}

row! {
    SaleReturnRow = "sale_returns" {
        id: i64,
        sale_id: i64,
        user_id: i64,
        reason: String,
        refund_method: String,
        refund_cents: i64,
        #[serde(default)] cash_session_id: Option<i64>,
        created_at: Timestamp,
        /// Its parent's store (filled in by `Dataset::complete_older_rows`).
        #[serde(default)] store_id: Option<i64>,
    }
}

row! {
    SaleReturnItemRow = "sale_return_items" {
        id: i64,
        return_id: i64,
        sale_item_id: i64,
        quantity: i64,
        refund_cents: i64,
        /// Its parent's store (filled in by `Dataset::complete_older_rows`).
        #[serde(default)] store_id: Option<i64>,
    }
}

row! {
    MovementRow = "stock_movements" {
        id: i64,
        product_id: i64,
        quantity: i64,
        balance: i64,
        /// `inicial`, `venda`, `ajuste`, `contagem`, `importacao`, `cancelamento`, `devolucao` or
        /// `entrada`.
        reason: String,
        #[serde(default)] user_id: Option<i64>,
        #[serde(default)] sale_id: Option<i64>,
        created_at: Timestamp,
        #[serde(default)] return_id: Option<i64>,
        #[serde(default)] unit_cost_cents: Option<i64>,
        #[serde(default)] supplier: Option<String>,
        #[serde(default)] invoice: Option<String>,
        #[serde(default)] note: Option<String>,
        #[serde(default = "first_store")] store_id: i64,
        #[serde(default, skip_serializing_if = "Option::is_none")] transfer_id: Option<i64>,
    }
}

row! {
    /// Goods sent from one store to another.
    TransferRow = "stock_transfers" {
        id: i64,
        from_store_id: i64,
        to_store_id: i64,
        /// `em_transito`, `recebida` or `cancelada`.
        status: String,
        #[serde(default)] note: Option<String>,
        #[serde(default)] user_id: Option<i64>,
        created_at: Timestamp,
        #[serde(default, skip_serializing_if = "Option::is_none")] closed_by: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")] closed_at: Option<Timestamp>,
    }
}

row! {
    TransferItemRow = "stock_transfer_items" {
        id: i64,
        transfer_id: i64,
        product_id: i64,
        /// In the product's unit's integers.
        quantity: i64,
    }
}

row! {
    /// A price one store charges instead of the catalog's.
    StorePriceRow = "store_prices" {
        id: i64,
        store_id: i64,
        product_id: i64,
        price_cents: i64,
        updated_at: Timestamp,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerRow {
    pub id: i64,
    pub name: String,
    /// The CPF (11 digits) or CNPJ (14 characters), normalised.
    #[serde(default)]
    pub document: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Table for CustomerRow {
    const NAME: &'static str = "customers";
    /// `search_key` is derived from the name.
    const COLUMNS: &'static [&'static str] =
        &["id", "name", "search_key", "document", "phone", "email", "created_at", "updated_at"];

    fn from_row(r: &AnyRow) -> sqlx::Result<CustomerRow> {
        Ok(CustomerRow {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            document: r.try_get("document")?,
            phone: r.try_get("phone")?,
            email: r.try_get("email")?,
            created_at: timestamp(r, "created_at")?,
            updated_at: timestamp(r, "updated_at")?,
        })
    }

    fn values(&self) -> Vec<Arg> {
        vec![
            Arg::Int(self.id),
            Arg::Text(self.name.clone()),
            Arg::Text(search_key(&self.name)),
            Arg::MaybeText(self.document.clone()),
            Arg::MaybeText(self.phone.clone()),
            Arg::MaybeText(self.email.clone()),
            Arg::Int(self.created_at.micros()),
            Arg::Int(self.updated_at.micros()),
        ]
    }
}

row! {
    /// An entry of the audit log, with the hashes that chain it to the one before
    /// (`domain::audit`): carried as written, so a restored log still verifies.
    AuditRow = "audit_log" {
        id: i64,
        created_at: Timestamp,
        #[serde(default)] user_id: Option<i64>,
        #[serde(default)] username: Option<String>,
        action: String,
        #[serde(default)] entity: Option<String>,
        #[serde(default)] entity_id: Option<i64>,
        #[serde(default)] client: Option<String>,
        details: String,
        prev_hash: String,
        hash: String,
        #[serde(default, skip_serializing_if = "Option::is_none")] store_id: Option<i64>,
    }
}

impl SaleRow {
    /// A sale as the first version recorded one: its total, paid with at most one method, no
    /// discount, change, return or cancellation.
    pub fn plain(
        id: i64,
        user_id: i64,
        total_cents: i64,
        payment_method: Option<String>,
        created_at: Timestamp,
    ) -> SaleRow {
        SaleRow {
            id,
            user_id,
            total_cents,
            payment_method,
            created_at,
            idempotency_key: None,
            idempotency_fingerprint: None,
            subtotal_cents: Some(total_cents),
            discount_cents: 0,
            change_cents: 0,
            refunded_cents: 0,
            status: concluded(),
            cancelled_at: None,
            cancelled_by: None,
            cancel_reason: None,
            discount_approved_by: None,
            cash_session_id: None,
            customer_id: None,
            client_id: None,
            received_at: None,
            review: None,
            reviewed_at: None,
            reviewed_by: None,
            store_id: 1,
        }
    }
}

impl SaleItemRow {
    /// A line without discount or return.
    pub fn plain(
        id: i64,
        sale_id: i64,
        product_id: i64,
        product_name: String,
        quantity: i64,
        price_cents: i64,
    ) -> SaleItemRow {
        SaleItemRow {
            id,
            sale_id,
            product_id,
            product_name,
            quantity,
            price_cents,
            discount_cents: 0,
            net_cents: Some(price_cents * quantity),
            returned_quantity: 0,
            unit: whole_units(),
            cost_cents: None,
            store_id: None,
        }
    }
}
