//! Moving a shop from the embedded SQLite to the configured database (PostgreSQL when
//! `TEST_DATABASE_URL` is set) and back with `export` / `import`, through the real binary.

use std::io::Read;
use std::path::Path;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

/// A shop on SQLite with a bit of everything: users of both roles, one deactivated and one
/// deleted after selling, products with codes, one archived after being sold, adjusted stock,
/// sales with payment methods and an idempotency key.
async fn sqlite_shop() -> (TestApp, String) {
    let (url, database) = sqlite_database();
    let app = spawn_app_on(url, database, &[]).await;
    let admin = app.admin_token().await;
    let (_, caixa) = app.create_user(&admin, "caixa", "funcionario").await;
    app.create_user(&admin, "gerente", "admin").await;
    let (temporario_id, temporario) = app.create_user(&admin, "temporario", "funcionario").await;
    let (inativo_id, _) = app.create_user(&admin, "inativo", "funcionario").await;

    let bebidas = app.create_category(&admin, "Bebidas").await;
    let mercearia = app.create_category(&admin, "Mercearia").await;
    let reply = app
        .post(
            "/api/products",
            &admin,
            json!({"name": "Café Torrado 500g", "price": "18.90", "stock": 40, "category_id": mercearia,
                   "code": "7891000100103", "min_stock": 10, "description": "Moído"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let cafe = reply.body["id"].as_i64().unwrap();
    let suco = app.create_product(&admin, "Suco de Laranja 1L", "9.99", 12, bebidas).await;
    let bolo = app.create_product(&admin, "Bolo de Fubá", "15.00", 3, mercearia).await;

    let sale = app
        .client
        .post(app.url("/api/sales"))
        .bearer_auth(&caixa)
        .header("Idempotency-Key", "caixa-0001")
        .json(&json!({"items": [{"product_id": cafe, "quantity": 2}, {"product_id": suco, "quantity": 1}],
                      "payment_method": "pix"}))
        .send()
        .await
        .unwrap();
    assert_eq!(sale.status(), StatusCode::CREATED);
    for (token, items) in
        [(&temporario, vec![(bolo, 1)]), (&admin, vec![(suco, 3), (bolo, 2)]), (&caixa, vec![(cafe, 1)])]
    {
        let reply = app.sell(token, &items).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    }
    assert_eq!(
        app.put(&format!("/api/products/{suco}/stock"), &admin, json!({"adjustment": 5})).await.status,
        StatusCode::OK
    );
    assert_eq!(app.delete(&format!("/api/products/{bolo}"), &admin).await.status, StatusCode::OK);
    assert_eq!(app.delete(&format!("/api/users/{temporario_id}"), &admin).await.status, StatusCode::OK);
    let reply = app.put(&format!("/api/users/{inativo_id}"), &admin, json!({"active": false})).await;
    assert_eq!(reply.status, StatusCode::OK);
    // The admin's drawer of the day is closed; the cashier's is still open.
    let drawer = app.post("/api/cash-sessions", &admin, json!({"opening_float": 50})).await.body;
    let close = format!("/api/cash-sessions/{}/close", drawer["id"]);
    assert_eq!(app.post(&close, &admin, json!({"counted": 50})).await.status, StatusCode::OK);
    let drawer = app.post("/api/cash-sessions", &caixa, json!({"opening_float": 100})).await;
    assert_eq!(drawer.status, StatusCode::CREATED, "{}", drawer.body);
    (app, admin)
}

/// What the API shows of a whole shop.
async fn views(app: &TestApp, admin: &str) -> Vec<Value> {
    let mut views = Vec::new();
    for path in ["/api/users", "/api/categories", "/api/products?per_page=100", "/api/sales/reports/summary"] {
        let reply = app.get(path, admin).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
        views.push(reply.body);
    }
    views.push(Value::Array(app.all_sales(admin).await));
    views
}

/// The rows and totals of an export (not when or from where it was made).
fn rows(file: &Path) -> Value {
    let raw = std::fs::read(file).unwrap();
    let mut text = String::new();
    if raw.starts_with(&[0x1f, 0x8b]) {
        flate2::read::GzDecoder::new(&raw[..]).read_to_string(&mut text).unwrap();
    } else {
        text = String::from_utf8(raw).unwrap();
    }
    let mut export: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(export["format"], "sistema-vendas-export");
    assert_eq!(export["version"], 1);
    for volatile in ["exported_at", "source", "app_version"] {
        export.as_object_mut().unwrap().remove(volatile);
    }
    export
}

async fn run_ok(database_url: &str, args: &[&str]) -> String {
    let run = cli(database_url, args).await;
    assert!(run.success, "{args:?} falhou:\n{}\n{}", run.stdout, run.stderr);
    run.stdout
}

#[tokio::test]
async fn a_shop_moves_from_sqlite_to_the_configured_database_and_back_with_the_same_rows_and_totals() {
    let (source, admin) = sqlite_shop().await;
    let dir = tempfile::tempdir().unwrap();
    let exported = dir.path().join("loja.json.gz");
    let report = run_ok(&source.database_url, &["export", exported.to_str().unwrap()]).await;
    assert!(report.contains("vendas             4"), "{report}");

    let (url, database) = fresh_database().await;
    let report = run_ok(&url, &["import", exported.to_str().unwrap()]).await;
    assert!(report.contains("Conferido no destino"), "{report}");
    // And back (before anyone logs in there: a login is an entry of the audit log): the same
    // rows come out of the target, and out of SQLite again.
    let again = dir.path().join("de-volta.json");
    run_ok(&url, &["export", again.to_str().unwrap()]).await;
    assert_eq!(rows(&again), rows(&exported));
    let target = spawn_app_on(url.clone(), database, &[]).await;
    let target_admin = target.admin_token().await;
    assert_eq!(views(&target, &target_admin).await, views(&source, &admin).await);
    assert_eq!(target.login("caixa", "senha123").await.status, StatusCode::OK);
    assert_eq!(target.login("inativo", "senha123").await.status, StatusCode::UNAUTHORIZED);
    let (sqlite_url, _sqlite) = sqlite_database();
    run_ok(&sqlite_url, &["import", again.to_str().unwrap()]).await;
    let third = dir.path().join("terceira.json");
    run_ok(&sqlite_url, &["export", third.to_str().unwrap()]).await;
    assert_eq!(rows(&third), rows(&exported));

    // New rows continue after the moved ids.
    let moved = rows(&exported);
    let highest =
        |table: &str| moved[table].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).max().unwrap();
    let category = target.create_category(&target_admin, "Limpeza").await;
    assert_eq!(category, highest("categories") + 1);
    let product = target.create_product(&target_admin, "Sabão", "3.50", 10, category).await;
    assert_eq!(product, highest("products") + 1);
    let sale = target.sell(&target_admin, &[(product, 1)]).await;
    assert_eq!(sale.body["id"].as_i64(), Some(highest("sales") + 1));
    assert_eq!(sale.body["items"][0]["id"].as_i64(), Some(highest("sale_items") + 1));
    let (user, _) = target.create_user(&target_admin, "novo", "funcionario").await;
    assert_eq!(user, highest("users") + 1);

    // The cashier's drawer is open there as it was: her next sale goes into it, a second one is
    // refused, and once it is closed she opens another.
    let caixa = target.token("caixa", "senha123").await;
    let drawer = target.get("/api/cash-sessions/current", &caixa).await.body;
    assert_eq!(cents(&drawer["opening_float"]), 10000, "{drawer}");
    let sale = target.sell(&caixa, &[(product, 1)]).await.body;
    assert_eq!(sale["cash_session_id"], drawer["id"], "{sale}");
    let second = target.post("/api/cash-sessions", &caixa, json!({"opening_float": 0})).await;
    assert_eq!(second.status, StatusCode::CONFLICT, "{}", second.body);
    let close = format!("/api/cash-sessions/{}/close", drawer["id"]);
    assert_eq!(target.post(&close, &caixa, json!({"counted": 0})).await.status, StatusCode::OK);
    let next = target.post("/api/cash-sessions", &caixa, json!({"opening_float": 0})).await;
    assert_eq!(next.status, StatusCode::CREATED, "{}", next.body);

    // A second import into the now busy database is refused.
    let refused = cli(&url, &["import", exported.to_str().unwrap()]).await;
    assert!(!refused.success);
    assert!(refused.stderr.contains("o banco de destino já tem dados"), "{}", refused.stderr);
}

#[tokio::test]
async fn an_export_that_was_edited_or_cut_short_is_refused_before_anything_is_written() {
    let (source, _) = sqlite_shop().await;
    let dir = tempfile::tempdir().unwrap();
    let exported = dir.path().join("loja.json");
    run_ok(&source.database_url, &["export", exported.to_str().unwrap()]).await;
    let mut export: Value = serde_json::from_str(&std::fs::read_to_string(&exported).unwrap()).unwrap();
    export["sales"][0]["total_cents"] = json!(1);
    let edited = dir.path().join("editado.json");
    std::fs::write(&edited, export.to_string()).unwrap();
    let text = std::fs::read_to_string(&exported).unwrap();
    let cut = dir.path().join("cortado.json");
    std::fs::write(&cut, &text[..text.len() / 2]).unwrap();
    export["version"] = json!(99);
    let newer = dir.path().join("futuro.json");
    std::fs::write(&newer, export.to_string()).unwrap();

    let (url, _database) = fresh_database().await;
    let cases: [(&std::path::Path, &str); 3] = [
        (&edited, "as linhas não conferem com os totais declarados"),
        (&cut, "JSON inválido ou incompleto"),
        (&newer, "versão mais nova do sistema"),
    ];
    assert_refused_untouched(&url, "import", &cases).await;
}
