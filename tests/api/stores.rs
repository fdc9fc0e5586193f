//! Several stores: store 1 exists from the start and a one-store shop never names it; a second
//! store has its own terminals, cash sessions and sales; employees sell only in the stores they
//! were given.

use reqwest::StatusCode;
use serde_json::{Value, json};

use sqlx::Connection;

use crate::helpers::{TestApp, connect, spawn_app};

struct Shop {
    app: TestApp,
    admin: String,
    product: i64,
}

async fn shop() -> Shop {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let category = app.create_category(&admin, "Mercearia").await;
    let product = app.create_product(&admin, "Arroz", "10.00", 100, category).await;
    Shop { app, admin, product }
}

async fn add_store(app: &TestApp, admin: &str, name: &str) -> i64 {
    let reply = app.post("/api/stores", admin, json!({"name": name})).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.body["id"].as_i64().unwrap()
}

/// Gives a store 100 units of a product (a new store has none).
async fn stock(app: &TestApp, admin: &str, product: i64, store: i64) {
    let body = json!({"product_id": product, "quantity": 100, "reason": "Estoque inicial", "store_id": store});
    let reply = app.post("/api/stock/adjustments", admin, body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
}

/// An employee who works in `stores`, with their token.
async fn employee(app: &TestApp, admin: &str, username: &str, stores: &[i64]) -> (i64, String) {
    let body = json!({"username": username, "password": "senha123", "role": "funcionario", "store_ids": stores});
    let reply = app.post("/api/users", admin, body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let mut sorted = stores.to_vec();
    sorted.sort_unstable();
    assert_eq!(reply.body["store_ids"], json!(sorted));
    (reply.body["id"].as_i64().unwrap(), app.token(username, "senha123").await)
}

fn sale(product: i64, store: Option<i64>) -> Value {
    let mut body = json!({"items": [{"product_id": product, "quantity": 1}], "payment_method": "dinheiro"});
    if let Some(store) = store {
        body["store_id"] = json!(store);
    }
    body
}

#[tokio::test]
async fn a_one_store_shop_has_store_one_named_after_it_and_never_names_it() {
    let Shop { app, admin, product } = shop().await;
    let stores = app.get("/api/stores", &admin).await;
    assert_eq!(stores.status, StatusCode::OK);
    assert_eq!(stores.body.as_array().unwrap().len(), 1);
    assert_eq!((stores.body[0]["id"].as_i64(), stores.body[0]["active"].as_bool()), (Some(1), Some(true)));

    // Users, cash sessions and sales go to store 1 without anyone saying so.
    let (_, maria) = app.create_user(&admin, "maria", "funcionario").await;
    let users = app.get("/api/users", &admin).await.body;
    assert!(users.as_array().unwrap().iter().all(|u| u["store_ids"] == json!([1])), "{users}");
    let session = app.post("/api/cash-sessions", &maria, json!({"opening_float": 50})).await;
    assert_eq!((session.status, session.body["store_id"].as_i64()), (StatusCode::CREATED, Some(1)), "{}", session.body);
    for token in [&maria, &admin] {
        let sold = app.post("/api/sales", token, sale(product, None)).await;
        assert_eq!(sold.status, StatusCode::CREATED, "{}", sold.body);
        assert_eq!(sold.body["store_id"], 1);
        assert_eq!(sold.body["store_name"], stores.body[0]["name"]);
    }
}

#[tokio::test]
async fn a_second_store_sells_on_its_own_and_an_employee_sells_only_where_they_work() {
    let Shop { app, admin, product } = shop().await;
    let bairro = add_store(&app, &admin, "Loja Bairro").await;
    stock(&app, &admin, product, bairro).await;
    assert_eq!(app.get("/api/stores", &admin).await.body.as_array().unwrap().len(), 2);
    let (_, ana) = employee(&app, &admin, "ana", &[1]).await;
    let (_, bia) = employee(&app, &admin, "bia", &[bairro]).await;
    let (_, cris) = employee(&app, &admin, "cris", &[1, bairro]).await;

    // Each sees the stores they work in.
    let seen = app.get("/api/stores", &bia).await.body;
    assert_eq!(seen.as_array().unwrap().iter().map(|s| s["id"].as_i64().unwrap()).collect::<Vec<_>>(), vec![bairro]);

    // bia sells in her store without naming it; in store 1 she may not sell.
    let sold = app.post("/api/sales", &bia, sale(product, None)).await;
    assert_eq!((sold.status, sold.body["store_id"].as_i64()), (StatusCode::CREATED, Some(bairro)), "{}", sold.body);
    assert_eq!(sold.body["store_name"], "Loja Bairro");
    let refused = app.post("/api/sales", &bia, sale(product, Some(1))).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert!(refused.error().contains("Loja"), "{}", refused.body);
    let refused = app.post("/api/cash-sessions", &bia, json!({"opening_float": 10, "store_id": 1})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);

    // Nor does she see store 1's sales.
    let in_store_one = app.post("/api/sales", &ana, sale(product, None)).await.body;
    assert_eq!(in_store_one["store_id"], 1);
    let hidden = app.get(&format!("/api/sales/{}", in_store_one["id"]), &bia).await;
    assert_eq!(hidden.status, StatusCode::FORBIDDEN);
    let listed = app.get("/api/sales?store_id=1", &bia).await.body;
    assert_eq!(listed["total"], 0, "{listed}");

    // cris works in both: a sale must say where, or go where her cash session is.
    let ambiguous = app.post("/api/sales", &cris, sale(product, None)).await;
    assert_eq!(ambiguous.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", ambiguous.body);
    assert!(ambiguous.error().contains("store_id"), "{}", ambiguous.body);
    let named = app.post("/api/sales", &cris, sale(product, Some(bairro))).await;
    assert_eq!((named.status, named.body["store_id"].as_i64()), (StatusCode::CREATED, Some(bairro)));
    let session = app.post("/api/cash-sessions", &cris, json!({"opening_float": 20, "store_id": bairro})).await.body;
    assert_eq!(session["store_id"], bairro);
    let in_session = app.post("/api/sales", &cris, sale(product, None)).await.body;
    assert_eq!((in_session["store_id"].as_i64(), &in_session["cash_session_id"]), (Some(bairro), &session["id"]));
    let elsewhere = app.post("/api/sales", &cris, sale(product, Some(1))).await;
    assert_eq!(elsewhere.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", elsewhere.body);
    assert!(elsewhere.error().contains("Loja Bairro"), "{}", elsewhere.body);

    // The administrator, given store 1 as the first administrator, sells there unless naming another.
    let own = app.post("/api/sales", &admin, sale(product, None)).await.body;
    assert_eq!(own["store_id"], 1);
    let there = app.post("/api/sales", &admin, sale(product, Some(bairro))).await.body;
    assert_eq!(there["store_id"], bairro);

    // The listing per store, and both stores adding up to the whole.
    let whole = app.get("/api/sales", &admin).await.body;
    let one = app.get("/api/sales?store_id=1", &admin).await.body;
    let two = app.get(&format!("/api/sales?store_id={bairro}"), &admin).await.body;
    assert_eq!((one["total"].as_i64(), two["total"].as_i64()), (Some(2), Some(4)), "{one} {two}");
    assert_eq!(whole["total"].as_i64(), Some(6));
    assert_eq!(
        crate::helpers::cents(&one["total_amount"]) + crate::helpers::cents(&two["total_amount"]),
        crate::helpers::cents(&whole["total_amount"])
    );
    assert!(two["sales"].as_array().unwrap().iter().all(|s| s["store_id"] == bairro));
    // The export of a store's sales: one line per sale, after the header.
    let export = app.client.get(app.url(&format!("/api/sales/export?store_id={bairro}"))).bearer_auth(&admin);
    let csv = export.send().await.unwrap().text().await.unwrap();
    let ids: Vec<&str> = csv.lines().skip(1).filter_map(|l| l.split(';').next()).collect();
    let mut expected: Vec<String> = two["sales"].as_array().unwrap().iter().map(|s| s["id"].to_string()).collect();
    expected.reverse();
    assert_eq!(ids, expected, "{csv}");
    let sessions = app.get(&format!("/api/cash-sessions?store_id={bairro}"), &admin).await.body;
    assert_eq!(sessions["total"].as_i64(), Some(1), "{sessions}");
}

#[tokio::test]
async fn a_terminal_gives_its_cash_session_its_store_and_name() {
    let Shop { app, admin, product } = shop().await;
    let bairro = add_store(&app, &admin, "Loja Bairro").await;
    stock(&app, &admin, product, bairro).await;
    let terminal = app.post("/api/terminals", &admin, json!({"store_id": bairro, "name": "Caixa 2"})).await;
    assert_eq!(terminal.status, StatusCode::CREATED, "{}", terminal.body);
    let terminal = terminal.body["id"].as_i64().unwrap();
    let again = app.post("/api/terminals", &admin, json!({"store_id": bairro, "name": "Caixa 2"})).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", again.body);
    let (_, bia) = employee(&app, &admin, "bia", &[bairro]).await;
    let listed = app.get("/api/terminals", &bia).await.body;
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");

    let wrong = json!({"opening_float": 10, "terminal_id": terminal, "store_id": 1});
    assert_eq!(app.post("/api/cash-sessions", &admin, wrong).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let session = app.post("/api/cash-sessions", &bia, json!({"opening_float": 10, "terminal_id": terminal})).await;
    assert_eq!(session.status, StatusCode::CREATED, "{}", session.body);
    assert_eq!((session.body["store_id"].as_i64(), session.body["terminal"].as_str()), (Some(bairro), Some("Caixa 2")));
    assert_eq!(session.body["terminal_id"], terminal);
    assert_eq!(app.post("/api/sales", &bia, sale(product, None)).await.body["store_id"], bairro);

    // A deactivated terminal opens no session.
    let off = app.put(&format!("/api/terminals/{terminal}"), &admin, json!({"active": false})).await;
    assert_eq!((off.status, off.body["active"].as_bool()), (StatusCode::OK, Some(false)));
    let closed =
        app.post(&format!("/api/cash-sessions/{}/close", session.body["id"]), &bia, json!({"counted": 20})).await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    let refused = app.post("/api/cash-sessions", &bia, json!({"opening_float": 10, "terminal_id": terminal})).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
}

#[tokio::test]
async fn stores_are_renamed_closed_and_reopened_but_the_last_open_store_stays() {
    let Shop { app, admin, product } = shop().await;
    let bairro = add_store(&app, &admin, "Loja Bairro").await;
    stock(&app, &admin, product, bairro).await;
    assert_eq!(
        app.post("/api/stores", &admin, json!({"name": "Loja Bairro"})).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    for bad in [json!({}), json!({"name": ""}), json!({"name": 5}), json!({"name": "a\nb"})] {
        let reply = app.post("/api/stores", &admin, bad.clone()).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}: {}", reply.body);
    }
    let (_, bia) = employee(&app, &admin, "bia", &[bairro]).await;
    assert_eq!(app.post("/api/stores", &bia, json!({"name": "Outra"})).await.status, StatusCode::FORBIDDEN);

    let renamed = app.put(&format!("/api/stores/{bairro}"), &admin, json!({"name": "Loja Vila"})).await;
    assert_eq!((renamed.status, renamed.body["name"].as_str()), (StatusCode::OK, Some("Loja Vila")));
    let sold = app.post("/api/sales", &bia, sale(product, None)).await.body;
    assert_eq!(sold["store_name"], "Loja Vila");

    // Closed, it keeps its sales and sells nothing new.
    assert_eq!(
        app.put(&format!("/api/stores/{bairro}"), &admin, json!({"active": false})).await.status,
        StatusCode::OK
    );
    let refused = app.post("/api/sales", &bia, sale(product, Some(bairro))).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert_eq!(app.get(&format!("/api/sales/{}", sold["id"]), &admin).await.body["store_name"], "Loja Vila");
    let last = app.put("/api/stores/1", &admin, json!({"active": false})).await;
    assert_eq!(last.status, StatusCode::CONFLICT, "{}", last.body);
    assert_eq!(app.put(&format!("/api/stores/{bairro}"), &admin, json!({"active": true})).await.status, StatusCode::OK);
    assert_eq!(app.post("/api/sales", &bia, sale(product, None)).await.status, StatusCode::CREATED);
    assert_eq!(app.put("/api/stores/99", &admin, json!({"name": "X"})).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.put("/api/stores/1", &admin, json!({})).await.status, StatusCode::BAD_REQUEST);

    // Every change is in the audit log: created, renamed, closed, reopened.
    let audit = app.get("/api/audit?action=loja", &admin).await.body;
    let actions: Vec<&str> =
        audit["entries"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["loja.alterada", "loja.alterada", "loja.alterada", "loja.criada"], "{audit}");
}

#[tokio::test]
async fn a_users_stores_are_checked_and_an_employee_keeps_one() {
    let Shop { app, admin, .. } = shop().await;
    let bairro = add_store(&app, &admin, "Loja Bairro").await;
    let body = |stores: Value| json!({"username": "zeca", "password": "senha123", "store_ids": stores});
    assert_eq!(app.post("/api/users", &admin, body(json!([]))).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.post("/api/users", &admin, body(json!([99]))).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.post("/api/users", &admin, body(json!("1"))).await.status, StatusCode::BAD_REQUEST);
    let (zeca, _) = employee(&app, &admin, "zeca", &[bairro, 1]).await;
    let both = app.get("/api/users", &admin).await.body;
    let zeca_row = both.as_array().unwrap().iter().find(|u| u["id"] == zeca).unwrap().clone();
    assert_eq!(zeca_row["store_ids"], json!([1, bairro]));
    let moved = app.put(&format!("/api/users/{zeca}"), &admin, json!({"store_ids": [bairro]})).await;
    assert_eq!((moved.status, &moved.body["store_ids"]), (StatusCode::OK, &json!([bairro])), "{}", moved.body);
    let none = app.put(&format!("/api/users/{zeca}"), &admin, json!({"store_ids": []})).await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", none.body);
    let mut conn = connect(&app.database_url).await;
    let rows: i64 =
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM user_stores WHERE user_id = {zeca}")))
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert_eq!(rows, 1, "a refused change changes nothing");
}

/// A shop of the version before stores (its schema at migration 10, its rows written as that
/// version wrote them) opens as store 1 with everything in it.
#[tokio::test]
async fn a_database_of_the_version_before_stores_opens_as_store_one_with_everything_in_place() {
    let (url, database) = crate::helpers::fresh_database().await;
    let created = if url.starts_with("sqlite") { format!("{url}?mode=rwc") } else { url.clone() };
    let mut conn = connect(&created).await;
    let migrations = if url.starts_with("postgres") {
        sqlx::migrate!("migrations/postgres")
    } else {
        sqlx::migrate!("migrations/sqlite")
    };
    migrations.run_to(10, &mut conn).await.expect("migrar até a versão 10");
    let hash = bcrypt::hash(crate::helpers::ADMIN_PASSWORD, 4).unwrap();
    let now = chrono::Utc::now().timestamp_micros();
    for sql in [
        format!("INSERT INTO settings (id, shop_name, updated_at) VALUES (1, 'Mercado Bom Preço', {now})"),
        format!(
            "INSERT INTO users (id, username, password_hash, role, created_at) VALUES (1, 'admin', '{hash}', 'admin', {now})"
        ),
        format!(
            "INSERT INTO users (id, username, password_hash, role, created_at) VALUES (2, 'maria', '{hash}', 'funcionario', {now})"
        ),
        format!(
            "INSERT INTO cash_sessions (id, user_id, terminal, opening_float_cents, opened_at) VALUES (1, 2, 'PDV', 0, {now})"
        ),
        format!(
            "INSERT INTO sales (id, user_id, total_cents, subtotal_cents, payment_method, created_at, cash_session_id) \
                 VALUES (1, 2, 1000, 1000, 'dinheiro', {now}, 1)"
        ),
        format!("INSERT INTO categories (id, name, name_key, created_at) VALUES (1, 'Bebidas', 'bebidas', {now})"),
        format!(
            "INSERT INTO products (id, name, search_key, price_cents, stock, category_id, created_at, updated_at) \
                 VALUES (1, 'Suco', 'suco', 800, 12, 1, {now}, {now})"
        ),
        format!(
            "INSERT INTO stock_movements (product_id, quantity, balance, reason, created_at) \
                 VALUES (1, 12, 12, 'inicial', {now})"
        ),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut conn).await.unwrap();
    }
    if url.starts_with("postgres") {
        // Rows written with their ids, as that version's sales were not: its counters follow them.
        for table in ["users", "cash_sessions", "sales", "categories", "products", "stock_movements"] {
            let sql = format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))");
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut conn).await.unwrap();
        }
    }
    conn.close().await.unwrap();

    let app = crate::helpers::spawn_app_on(url, database, &[]).await;
    let admin = app.admin_token().await;
    let stores = app.get("/api/stores", &admin).await.body;
    assert_eq!(
        stores,
        json!([{"id": 1, "name": "Mercado Bom Preço", "created_at": stores[0]["created_at"], "active": true}])
    );
    let old_sale = app.get("/api/sales/1", &admin).await.body;
    assert_eq!((old_sale["store_id"].as_i64(), old_sale["store_name"].as_str()), (Some(1), Some("Mercado Bom Preço")));
    let session = app.get("/api/cash-sessions/1", &admin).await.body;
    assert_eq!(session["session"]["store_id"], 1, "{session}");
    let users = app.get("/api/users", &admin).await.body;
    assert!(users.as_array().unwrap().iter().all(|u| u["store_ids"] == json!([1])), "{users}");

    // The stock is store 1's, movements included.
    assert_eq!(app.get("/api/products/1?store_id=1", &admin).await.body["stock"], 12);
    let moves = app.get("/api/products/1/movements", &admin).await.body;
    assert_eq!((moves["movements"][0]["store_id"].as_i64(), moves["total"].as_i64()), (Some(1), Some(1)), "{moves}");

    // maria goes on selling in her drawer, in store 1, without anything to set up.
    let maria = app.token("maria", crate::helpers::ADMIN_PASSWORD).await;
    let sold = app.post("/api/sales", &maria, sale(1, None)).await.body;
    assert_eq!((sold["store_id"].as_i64(), sold["cash_session_id"].as_i64()), (Some(1), Some(1)), "{sold}");
    assert_eq!(app.get("/api/products/1?store_id=1", &admin).await.body["stock"], 11);
    assert_eq!(crate::helpers::unbalanced(&app.database_url).await, vec![]);
    // A new store continues after store 1.
    assert_eq!(add_store(&app, &admin, "Filial").await, 2);
}

/// `(key, count, thousandths, gross, discounts, net)` of each row of a report.
fn report_rows(report: &Value) -> std::collections::BTreeMap<String, [i64; 5]> {
    let thousandths = |v: &Value| (v.as_f64().unwrap() * 1000.0).round() as i64;
    report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let figures = [
                r["count"].as_i64().unwrap(),
                thousandths(&r["quantity"]),
                crate::helpers::cents(&r["gross"]),
                crate::helpers::cents(&r["discounts"]),
                crate::helpers::cents(&r["net"]),
            ];
            (r["key"].as_str().unwrap().to_string(), figures)
        })
        .collect()
}

#[tokio::test]
async fn each_stores_report_adds_up_to_the_consolidated_report_for_every_grouping() {
    let Shop { app, admin, product } = shop().await;
    let bairro = add_store(&app, &admin, "Loja Bairro").await;
    stock(&app, &admin, product, bairro).await;
    let category = app.create_category(&admin, "Bebidas").await;
    let juice = app.create_product(&admin, "Suco", "4.50", 100, category).await;
    stock(&app, &admin, juice, bairro).await;
    let (_, ana) = employee(&app, &admin, "ana", &[1]).await;
    let (_, bia) = employee(&app, &admin, "bia", &[bairro]).await;
    let mut made = Vec::new();
    for (token, items, method) in [
        (&ana, json!([{"product_id": product, "quantity": 2}]), "dinheiro"),
        (&admin, json!([{"product_id": juice, "quantity": 1, "discount_amount": "0.50"}]), "pix"),
        (&bia, json!([{"product_id": product, "quantity": 1}, {"product_id": juice, "quantity": 3}]), "debito"),
        (&bia, json!([{"product_id": juice, "quantity": 1}]), "dinheiro"),
        (&admin, json!([{"product_id": product, "quantity": 4}]), "credito"),
    ] {
        let reply = app.post("/api/sales", token, json!({"items": items, "payment_method": method})).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        made.push(reply.body);
    }
    // A cancellation in store 2 and a return in store 1.
    let cancel = app.post(&format!("/api/sales/{}/cancel", made[3]["id"]), &admin, json!({"reason": "Erro"})).await;
    assert_eq!(cancel.status, StatusCode::OK, "{}", cancel.body);
    let back = json!({"items": [{"sale_item_id": made[0]["items"][0]["id"], "quantity": 1}], "reason": "Troca",
        "refund_method": "dinheiro"});
    assert_eq!(
        app.post(&format!("/api/sales/{}/returns", made[0]["id"]), &admin, back).await.status,
        StatusCode::CREATED
    );

    for group in ["day", "week", "month", "hour", "employee", "product", "category", "payment_method"] {
        let get = |store: Option<i64>| {
            let query = match store {
                Some(id) => format!("/api/reports/sales?group_by={group}&store_id={id}"),
                None => format!("/api/reports/sales?group_by={group}"),
            };
            let (app, admin) = (&app, &admin);
            async move {
                let reply = app.get(&query, admin).await;
                assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.body);
                reply.body
            }
        };
        let whole = get(None).await;
        let (one, two) = (get(Some(1)).await, get(Some(bairro)).await);
        let mut summed = report_rows(&one);
        for (key, figures) in report_rows(&two) {
            let row = summed.entry(key).or_default();
            for (total, value) in row.iter_mut().zip(figures) {
                *total += value;
            }
        }
        assert_eq!(summed, report_rows(&whole), "{group}: the stores add up to the whole");
        let net = |r: &Value| crate::helpers::cents(&r["totals"]["net"]);
        assert_eq!(net(&one) + net(&two), net(&whole), "{group}");
        assert!(net(&one) > 0 && net(&two) > 0, "{group}: both stores sold");
    }
    // Store 2's report is its own sales: bia's standing sale only (R$ 4,50 x 3 + R$ 10,00).
    let two = app.get(&format!("/api/reports/sales?group_by=employee&store_id={bairro}"), &admin).await.body;
    assert_eq!((two["totals"]["count"].as_i64(), crate::helpers::cents(&two["totals"]["net"])), (Some(1), 2350));
}
