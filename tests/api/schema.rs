//! The table registry (`db::schema`) against the real schema: every table a migration creates is
//! carried by backups and exports or listed as not carried with a reason, every column of a
//! carried table is in its row type, and what a backup carries comes back whole.

use reqwest::{Method, StatusCode};
use serde_json::json;
use sistema_vendas::config::DatabaseUrl;
use sistema_vendas::db::schema::{self, Dataset};
use sistema_vendas::db::{Backend, Db, PoolSettings};

use crate::helpers::*;
use crate::permissions::PHOTO;

async fn migrated(url: &str) -> Db {
    let settings = PoolSettings {
        size: 2,
        recycle: std::time::Duration::from_secs(60),
        acquire_timeout: std::time::Duration::from_secs(10),
        sqlite_full_sync: false,
    };
    let db = Db::connect(&DatabaseUrl::parse(url).unwrap(), &settings).await.unwrap();
    db.migrate().await.unwrap();
    db
}

#[tokio::test]
async fn every_table_and_column_of_the_schema_is_carried_or_excluded_with_a_reason() {
    let (url, _database) = fresh_database().await;
    let db = migrated(&url).await;
    let mut conn = db.write.acquire().await.unwrap();
    let problems = schema::uncovered(&mut conn, db.backend).await.unwrap();
    assert_eq!(problems, Vec::<String>::new());
}

#[tokio::test]
async fn a_table_or_a_column_that_nobody_registered_is_reported() {
    let (url, _database) = fresh_database().await;
    let db = migrated(&url).await;
    let mut conn = db.write.acquire().await.unwrap();
    // What a scratch migration of a next feature could add without touching the registry.
    sqlx::query("CREATE TABLE loyalty_points (id INTEGER PRIMARY KEY, customer TEXT NOT NULL)")
        .execute(&mut *conn)
        .await
        .unwrap();
    sqlx::query("ALTER TABLE products ADD COLUMN weight_grams INTEGER").execute(&mut *conn).await.unwrap();
    let problems = schema::uncovered(&mut conn, db.backend).await.unwrap().join("\n");
    assert!(problems.contains("loyalty_points"), "{problems}");
    assert!(problems.contains("products") && problems.contains("weight_grams"), "{problems}");
}

/// The tables that grow with sales: distributed by store in a chain (docs/scaling.md, step 5).
const BY_STORE: [&str; 14] = [
    "sales",
    "sale_items",
    "sale_payments",
    "sale_returns",
    "sale_return_items",
    "stock_movements",
    "store_stock",
    "cash_sessions",
    "cash_movements",
    "daily_sales",
    "hourly_sales",
    "daily_payment_sales",
    "daily_product_sales",
    "monthly_product_sales",
];

#[tokio::test]
async fn every_table_that_grows_with_sales_carries_its_store_in_every_key_and_reference() {
    let (url, _database) = fresh_database().await;
    let db = migrated(&url).await;
    let mut conn = db.write.acquire().await.unwrap();
    for table in BY_STORE {
        let sql = match db.backend {
            Backend::Sqlite => format!("SELECT \"notnull\" FROM pragma_table_info('{table}') WHERE name = 'store_id'"),
            Backend::Postgres => format!(
                "SELECT CASE is_nullable WHEN 'NO' THEN 1 ELSE 0 END FROM information_schema.columns \
                 WHERE table_name = '{table}' AND column_name = 'store_id'"
            ),
        };
        let not_null: Option<i64> =
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_optional(&mut *conn).await.unwrap();
        assert_eq!(not_null, Some(1), "{table}.store_id NOT NULL");
    }
    if db.backend == Backend::Sqlite {
        return; // one file: the keys that distribution needs are PostgreSQL's
    }
    let tables = BY_STORE.map(|t| format!("'{t}'")).join(", ");
    let has_store = |relation: &str, columns: &str| {
        format!(
            "EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = {relation} AND a.attname = 'store_id' \
             AND a.attnum = ANY({columns}))"
        )
    };
    // Citus refuses a primary key or a unique index without the distribution column.
    let unique = format!(
        "SELECT (t.relname || '.' || i.relname)::text FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid \
         JOIN pg_class t ON t.oid = x.indrelid WHERE x.indisunique AND t.relname IN ({tables}) AND NOT {} ORDER BY 1",
        has_store("t.oid", "x.indkey")
    );
    let unique: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(unique)).fetch_all(&mut *conn).await.unwrap();
    assert_eq!(unique, Vec::<String>::new());
    // Nor a reference from a table that is not distributed (a reference table: users, stores,
    // the open drawers) into one that is.
    let into_distributed = format!(
        "SELECT (t.relname || '.' || c.conname)::text FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid \
         JOIN pg_class r ON r.oid = c.confrelid WHERE c.contype = 'f' AND t.relname NOT IN ({tables}) \
         AND r.relname IN ({tables}) ORDER BY 1"
    );
    let into_distributed: Vec<String> =
        sqlx::query_scalar(sqlx::AssertSqlSafe(into_distributed)).fetch_all(&mut *conn).await.unwrap();
    assert_eq!(into_distributed, Vec::<String>::new());
    // And a reference between two distributed tables that does not pair their stores.
    let references = format!(
        "SELECT c.conname::text FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid \
         JOIN pg_class r ON r.oid = c.confrelid WHERE c.contype = 'f' AND t.relname IN ({tables}) \
         AND r.relname IN ({tables}) AND NOT ({} AND {}) ORDER BY 1",
        has_store("t.oid", "c.conkey"),
        has_store("r.oid", "c.confkey")
    );
    let references: Vec<String> =
        sqlx::query_scalar(sqlx::AssertSqlSafe(references)).fetch_all(&mut *conn).await.unwrap();
    assert_eq!(references, Vec::<String>::new());
    let paired = "SELECT COUNT(*) FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid \
                  WHERE c.contype = 'f' AND t.relname = 'sale_items' AND array_length(c.conkey, 1) = 2";
    assert_eq!(sqlx::query_scalar::<_, i64>(paired).fetch_one(&mut *conn).await.unwrap(), 1);
}

/// Every carried table of a database, as rows.
async fn dataset(url: &str) -> Dataset {
    let db = migrated(url).await;
    let mut tx = db.begin_snapshot().await.unwrap();
    let data = Dataset::read(&mut tx).await.unwrap();
    tx.rollback().await.unwrap();
    db.close().await;
    data
}

#[tokio::test]
async fn a_backup_brings_back_every_row_of_every_carried_table() {
    let photos = tempfile::tempdir().unwrap();
    let vars = [("PHOTOS_DIR", photos.path().to_str().unwrap())];
    let app = spawn_app_with(&vars).await;
    let admin = app.admin_token().await;
    let category = app.create_category(&admin, "Bebidas").await;
    let body = json!({"name": "Suco", "price": "4.50", "stock": 20, "category_id": category,
        "barcodes": ["7891000100103", "96385074"], "cost_price": "2.10"});
    let product = app.post("/api/products", &admin, body).await.body["id"].as_i64().unwrap();
    let photo = format!("/api/products/{product}/photo");
    let photo = crate::permissions::call(&app, Method::PUT, &photo, Some(&admin), Some(json!(PHOTO))).await;
    assert_eq!(photo.status, StatusCode::OK, "{}", photo.body);
    assert_eq!(app.sell(&admin, &[(product, 3)]).await.status, StatusCode::CREATED);
    let entry =
        json!({"product_id": product, "quantity": 4, "unit_cost": "2.30", "supplier": "Sucos SA", "invoice": "77"});
    assert_eq!(app.post("/api/stock/entries", &admin, entry).await.status, StatusCode::CREATED);
    let reply = app.put(&format!("/api/products/{product}/stock"), &admin, json!({"adjustment": -2})).await;
    assert_eq!(reply.status, StatusCode::OK);
    app.create_user(&admin, "maria", "funcionario").await;
    assert_eq!(app.put("/api/settings", &admin, json!({"shop_name": "Loja"})).await.status, StatusCode::OK);
    // A second store, and a terminal of store 1 where the cash session below is opened.
    let filial = app.post("/api/stores", &admin, json!({"name": "Filial"})).await.body["id"].clone();
    // Its own price, and 2 units sent to it: each store's stock comes back with the ledger.
    let priced = app.put(&format!("/api/stores/{filial}/prices/{product}"), &admin, json!({"price": "5.00"})).await;
    assert_eq!(priced.status, StatusCode::OK, "{}", priced.body);
    let sent = json!({"from_store_id": 1, "to_store_id": filial, "items": [{"product_id": product, "quantity": 2}]});
    let sent = app.post("/api/stock/transfers", &admin, sent).await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.body);
    let received = app.post(&format!("/api/stock/transfers/{}/receive", sent.body["id"]), &admin, json!({})).await;
    assert_eq!(received.status, StatusCode::OK, "{}", received.body);
    let terminal =
        app.post("/api/terminals", &admin, json!({"store_id": 1, "name": "Caixa 1"})).await.body["id"].clone();
    // A cash session with a sale paid in cash, a cash refund and a sangria, closed.
    let opened = json!({"opening_float": 100, "terminal_id": terminal});
    let session = app.post("/api/cash-sessions", &admin, opened).await.body["id"].clone();
    let customer = app.post("/api/customers", &admin, json!({"name": "Ana", "document": "529.982.247-25"})).await;
    let paid = json!({"items": [{"product_id": product, "quantity": 2}], "payments": [{"method": "dinheiro", "amount": 10}],
        "customer_id": customer.body["id"]});
    let sold = app.post("/api/sales", &admin, paid).await.body;
    assert_eq!(sold["cash_session_id"], session);
    let back = json!({"items": [{"sale_item_id": sold["items"][0]["id"], "quantity": 1}], "reason": "Troca",
        "refund_method": "dinheiro"});
    assert_eq!(app.post(&format!("/api/sales/{}/returns", sold["id"]), &admin, back).await.status, StatusCode::CREATED);
    let movement = json!({"type": "sangria", "amount": 1, "reason": "Cofre"});
    let path = format!("/api/cash-sessions/{session}/movements");
    assert_eq!(app.post(&path, &admin, movement).await.status, StatusCode::CREATED);
    let closed = app.post(&format!("/api/cash-sessions/{session}/close"), &admin, json!({"counted": 103.5})).await;
    assert_eq!((closed.status, closed.body["difference"].as_f64()), (StatusCode::OK, Some(0.0)), "{}", closed.body);

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("loja.backup");
    let run = cli_with(&app.database_url, &["backup", file.to_str().unwrap()], &vars).await;
    assert!(run.success, "{}", run.stderr);
    let (target, target_database) = fresh_database().await;
    let run = cli_with(&target, &["restore", file.to_str().unwrap()], &vars).await;
    assert!(run.success, "{}", run.stderr);

    let (source, restored) = (dataset(&app.database_url).await, dataset(&target).await);
    assert_eq!(source.stock_movements.len(), 8, "inicial, venda, entrada, ajuste, 2 transferência, venda, devolução");
    for (table, rows) in source.row_counts() {
        assert!(rows > 0, "{table} has rows to carry");
    }
    assert_eq!(restored, source);
    let restored = crate::helpers::spawn_app_on(target, target_database, &vars).await;
    let admin = restored.admin_token().await;
    for (store, stock) in [(1, 16), (2, 2)] {
        let read = restored.get(&format!("/api/products/{product}?store_id={store}"), &admin).await.body;
        assert_eq!(read["stock"], stock, "{read}");
    }
    assert_eq!(crate::helpers::unbalanced(&restored.database_url).await, vec![]);
}
