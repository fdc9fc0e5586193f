//! What is each store's own beside its stock: the data its receipts print, its PIX key and its
//! printer; its dashboard; its part of the audit log. A store without its own data uses the
//! shop's, and the stores' figures add up to the shop's.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, cents, cli, contains, printer, spawn_app};

async fn add_store(app: &TestApp, admin: &str, name: &str) -> i64 {
    let reply = app.post("/api/stores", admin, json!({"name": name})).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.body["id"].as_i64().unwrap()
}

async fn give_stock(app: &TestApp, admin: &str, product: i64, store: i64) {
    let body = json!({"product_id": product, "quantity": 100, "reason": "Estoque inicial", "store_id": store});
    assert_eq!(app.post("/api/stock/adjustments", admin, body).await.status, StatusCode::CREATED);
}

async fn sell(app: &TestApp, token: &str, product: i64, quantity: i64, store: i64) -> Value {
    let body = json!({"items": [{"product_id": product, "quantity": quantity}], "payment_method": "dinheiro",
        "store_id": store});
    let reply = app.post("/api/sales", token, body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.body
}

#[tokio::test]
async fn a_store_prints_and_charges_with_its_own_data_and_with_the_shops_where_it_has_none() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let shop = json!({"shop_name": "Mercadinho", "shop_cnpj": "11.222.333/0001-81", "shop_address": "Rua A, 1",
        "shop_phone": "(11) 3333-4444", "pix_key": "loja@example.com", "pix_merchant_name": "Mercadinho",
        "pix_merchant_city": "Sao Paulo"});
    assert_eq!(app.put("/api/settings", &admin, shop).await.status, StatusCode::OK);
    let bairro = add_store(&app, &admin, "Loja Bairro").await;

    // A new store has nothing of its own: its settings are the shop's.
    let own = app.get(&format!("/api/stores/{bairro}/settings"), &admin).await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(own.body.as_object().unwrap().values().all(Value::is_null), "{}", own.body);
    let shop_settings = app.get("/api/settings", &admin).await.body;
    assert_eq!(app.get(&format!("/api/settings?store_id={bairro}"), &admin).await.body, shop_settings);

    let (address, mut printed) = printer().await;
    let body = json!({"shop_cnpj": "11444777000161", "shop_address": "Av. B, 200", "pix_key": "+5511912345678",
        "pix_merchant_city": "Campinas", "printer_address": address});
    let saved = app.put(&format!("/api/stores/{bairro}/settings"), &admin, body).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(saved.body["shop_cnpj"], "11.444.777/0001-61");
    assert_eq!(saved.body["shop_phone"], Value::Null);
    assert_eq!(app.get(&format!("/api/stores/{bairro}/settings"), &admin).await.body, saved.body);

    // In the store: its own where it has them, the shop's elsewhere; the shop's are unchanged.
    let there = app.get(&format!("/api/settings?store_id={bairro}"), &admin).await.body;
    assert_eq!(
        [&there["shop_name"], &there["shop_cnpj"], &there["shop_address"], &there["shop_phone"]],
        [&json!("Mercadinho"), &json!("11.444.777/0001-61"), &json!("Av. B, 200"), &json!("(11) 3333-4444")]
    );
    assert_eq!([&there["pix_key"], &there["pix_merchant_name"]], [&json!("+5511912345678"), &json!("Mercadinho")]);
    assert_eq!(app.get("/api/settings", &admin).await.body, shop_settings);
    assert_eq!(app.get("/api/settings?store_id=1", &admin).await.body, shop_settings);

    // PIX: each store's key and city.
    let pix = |store: i64| {
        let (app, admin) = (&app, &admin);
        async move {
            let reply = app.get(&format!("/api/pix?amount=12.50&store_id={store}"), admin).await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
            reply.body["payload"].as_str().unwrap().to_string()
        }
    };
    let (one, two) = (pix(1).await, pix(bairro).await);
    assert!(one.contains("loja@example.com") && one.contains("Sao Paulo"), "{one}");
    assert!(two.contains("+5511912345678") && two.contains("Campinas") && !two.contains("loja@example"), "{two}");

    // A sale in the store prints on the store's printer, with the store's CNPJ and address.
    let category = app.create_category(&admin, "Mercearia").await;
    let product = app.create_product(&admin, "Arroz", "10.00", 100, category).await;
    give_stock(&app, &admin, product, bairro).await;
    let sale = sell(&app, &admin, product, 1, bairro).await;
    let print = app.request(Method::POST, &format!("/api/sales/{}/print", sale["id"]), Some(&admin), None).await;
    assert_eq!(print.status, StatusCode::NO_CONTENT, "{}", print.body);
    let bytes = printed.recv().await.unwrap();
    assert!(contains(&bytes, b"11.444.777/0001-61") && contains(&bytes, b"Av. B, 200"));
    assert!(!contains(&bytes, b"11.222.333/0001-81"), "{}", String::from_utf8_lossy(&bytes));
    // Store 1 has no printer of its own, nor has the shop.
    let first = sell(&app, &admin, product, 1, 1).await;
    let print = app.request(Method::POST, &format!("/api/sales/{}/print", first["id"]), Some(&admin), None).await;
    assert_eq!(print.status, StatusCode::CONFLICT, "{}", print.body);

    // Bad data is refused with the field's message and changes nothing.
    for (body, message) in [
        (json!({"shop_cnpj": "11.444.777/0001-62"}), "CNPJ inválido: dígito verificador não confere"),
        (json!({"pix_key": "não é chave"}), "Chave PIX não reconhecida"),
        (json!({"printer_address": "impressora:porta"}), "Endereço da impressora inválido"),
        (json!({"shop_address": 12}), "Endereço deve ser texto"),
    ] {
        let reply = app.put(&format!("/api/stores/{bairro}/settings"), &admin, body.clone()).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}: {}", reply.body);
        assert!(reply.error().starts_with(message), "{body}: {}", reply.error());
    }
    assert_eq!(app.get(&format!("/api/stores/{bairro}/settings"), &admin).await.body, saved.body);
    let nothing = app.put(&format!("/api/stores/{bairro}/settings"), &admin, json!({})).await;
    assert_eq!((nothing.status, nothing.error()), (StatusCode::BAD_REQUEST, "Nenhum campo para alterar"));
    assert_eq!(app.get(&format!("/api/stores/{bairro}/settings"), &admin).await.body, saved.body);
    let missing = app.put("/api/stores/99/settings", &admin, json!({"shop_cnpj": null})).await;
    assert_eq!((missing.status, missing.error()), (StatusCode::NOT_FOUND, "Loja não encontrada"));

    // Employees read the settings of their stores only, and change none.
    let body = json!({"username": "ana", "password": "senha123", "role": "funcionario", "store_ids": [1]});
    assert_eq!(app.post("/api/users", &admin, body).await.status, StatusCode::CREATED);
    let ana = app.token("ana", "senha123").await;
    assert_eq!(app.get("/api/settings?store_id=1", &ana).await.body, shop_settings);
    let other = app.get(&format!("/api/settings?store_id={bairro}"), &ana).await;
    assert_eq!(other.status, StatusCode::FORBIDDEN, "{}", other.body);
    assert_eq!(app.get(&format!("/api/pix?store_id={bairro}"), &ana).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get(&format!("/api/stores/{bairro}/settings"), &ana).await.status, StatusCode::FORBIDDEN);
    let put = app.put(&format!("/api/stores/{bairro}/settings"), &ana, json!({})).await;
    assert_eq!(put.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/api/settings?store_id=99", &admin).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/settings?store_id=x", &admin).await.status, StatusCode::BAD_REQUEST);
    let negative = app.get("/api/sales/reports/summary?store_id=-1", &admin).await;
    assert_eq!((negative.status, negative.error()), (StatusCode::BAD_REQUEST, "Parâmetro store_id inválido"));

    // Sent without anything: the store is back to the shop's.
    let cleared = app.put(&format!("/api/stores/{bairro}/settings"), &admin, json!({"shop_cnpj": ""})).await;
    assert_eq!(cleared.status, StatusCode::OK);
    assert_eq!(app.get(&format!("/api/settings?store_id={bairro}"), &admin).await.body, shop_settings);

    // Each change is the store's in the audit log.
    let log = app.get(&format!("/api/audit?action=loja.alterada&store_id={bairro}"), &admin).await.body;
    let entries = log["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "{log}");
    assert_eq!(entries[1]["details"]["shop_cnpj"], json!({"antes": null, "depois": "11444777000161"}));
    assert!(entries.iter().all(|e| e["store_id"] == bairro));
}

#[tokio::test]
async fn each_stores_dashboard_adds_up_to_the_shops() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let category = app.create_category(&admin, "Mercearia").await;
    let rice = app.create_product(&admin, "Arroz", "10.00", 100, category).await;
    let beans = app.create_product(&admin, "Feijão", "7.25", 100, category).await;
    let bairro = add_store(&app, &admin, "Loja Bairro").await;
    give_stock(&app, &admin, beans, bairro).await;
    sell(&app, &admin, rice, 2, 1).await;
    sell(&app, &admin, rice, 1, 1).await;
    sell(&app, &admin, beans, 4, bairro).await;
    let cancelled = sell(&app, &admin, beans, 1, bairro).await;
    let reply = app.post(&format!("/api/sales/{}/cancel", cancelled["id"]), &admin, json!({"reason": "Erro"})).await;
    assert_eq!(reply.status, StatusCode::OK);

    let summary = |query: &'static str| {
        let (app, admin) = (&app, &admin);
        async move {
            let reply = app.get(&format!("/api/sales/reports/summary{query}"), admin).await;
            assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.body);
            reply.body
        }
    };
    let (all, one) = (summary("").await, summary("?store_id=1").await);
    let two = app.get(&format!("/api/sales/reports/summary?store_id={bairro}"), &admin).await.body;
    let figures = |s: &Value| {
        [cents(&s["today_sales"]), cents(&s["month_sales"]), cents(&s["total_sales"])]
            .into_iter()
            .chain([&s["today_count"], &s["month_count"], &s["total_count"]].map(|v| v.as_i64().unwrap()))
            .collect::<Vec<_>>()
    };
    assert_eq!(figures(&one), [3000, 3000, 3000, 2, 2, 2]);
    assert_eq!(figures(&two), [2900, 2900, 2900, 1, 1, 1]);
    let summed: Vec<i64> = figures(&one).iter().zip(figures(&two)).map(|(a, b)| a + b).collect();
    assert_eq!(summed, figures(&all));
    assert_eq!(cents(&two["daily"][29]["total"]), 2900);
    assert_eq!(two["top_products"].as_array().unwrap().len(), 1);
    assert_eq!(two["top_products"][0]["name"], "Feijão");
    assert_eq!(all["top_products"].as_array().unwrap().len(), 2);

    let missing = app.get("/api/sales/reports/summary?store_id=99", &admin).await;
    assert_eq!((missing.status, missing.error()), (StatusCode::NOT_FOUND, "Loja não encontrada"));
    let bad = app.get("/api/sales/reports/summary?store_id=x", &admin).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    // The store's figures hold after the totals are rebuilt from the sales.
    let run = cli(&app.database_url, &["rebuild-reports"]).await;
    assert!(run.success, "{}\n{}", run.stdout, run.stderr);
    let again = app.get(&format!("/api/sales/reports/summary?store_id={bairro}"), &admin).await.body;
    assert_eq!(figures(&again), figures(&two));
}

#[tokio::test]
async fn the_audit_log_says_the_store_of_what_happened_in_one_and_keeps_its_chain() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let category = app.create_category(&admin, "Mercearia").await;
    let product = app.create_product(&admin, "Arroz", "10.00", 100, category).await;
    let bairro = add_store(&app, &admin, "Loja Bairro").await;
    give_stock(&app, &admin, product, bairro).await;
    let here = sell(&app, &admin, product, 1, 1).await;
    let there = sell(&app, &admin, product, 2, bairro).await;
    let session = app.post("/api/cash-sessions", &admin, json!({"opening_float": 50, "store_id": bairro})).await;
    assert_eq!(session.status, StatusCode::CREATED, "{}", session.body);
    let transfer =
        json!({"from_store_id": bairro, "to_store_id": 1, "items": [{"product_id": product, "quantity": 3}]});
    assert_eq!(app.post("/api/stock/transfers", &admin, transfer).await.status, StatusCode::CREATED);

    let log = |query: String| {
        let (app, admin) = (&app, &admin);
        async move {
            let reply = app.get(&format!("/api/audit?{query}"), admin).await;
            assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.body);
            reply.body["entries"].as_array().unwrap().clone()
        }
    };
    let actions =
        |entries: &[Value]| entries.iter().map(|e| e["action"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    let two = log(format!("store_id={bairro}")).await;
    assert_eq!(
        actions(&two),
        ["transferencia.enviada", "caixa.aberto", "venda.criada", "estoque.movimento", "loja.criada"]
    );
    assert!(two.iter().all(|e| e["store_id"] == bairro));
    let sales = log(format!("action=venda&store_id={bairro}")).await;
    assert_eq!(sales.len(), 1);
    assert_eq!(sales[0]["entity_id"], there["id"]);
    let one = log("store_id=1&action=venda".into()).await;
    assert_eq!((one.len(), &one[0]["entity_id"]), (1, &here["id"]));
    // What belongs to the shop as a whole has no store.
    let products = log("action=produto.criado".into()).await;
    assert_eq!(products[0]["store_id"], Value::Null);
    assert_eq!(app.get("/api/audit?store_id=abc", &admin).await.status, StatusCode::BAD_REQUEST);

    // The chain, with entries written with and without a store, verifies.
    let run = cli(&app.database_url, &["check"]).await;
    assert!(run.success, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("registro de auditoria íntegro"), "{}", run.stdout);
}
