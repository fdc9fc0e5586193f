//! Entries of goods, adjustments and counts (`/api/stock/...`), the average cost, weighed goods
//! sold by fractions exact to the gram, the ledger after a storm of all of them, and the check
//! command finding a stock changed behind the application's back.

use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::Connection;

use crate::helpers::*;

async fn product(app: &TestApp, admin: &str, body: Value) -> Value {
    let reply = app.post("/api/products", admin, body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.body
}

async fn newest_movement(app: &TestApp, admin: &str, product: i64) -> Value {
    let reply = app.get(&format!("/api/products/{product}/movements"), admin).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body["movements"][0].clone()
}

async fn movement_count(app: &TestApp, admin: &str, product: i64) -> i64 {
    app.get(&format!("/api/products/{product}/movements"), admin).await.body["total"].as_i64().unwrap()
}

#[tokio::test]
async fn an_entry_adds_stock_keeps_the_average_cost_and_names_supplier_and_invoice() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let category = app.create_category(&admin, "Mercearia").await;
    let id = product(
        &app,
        &admin,
        json!({"name": "Arroz", "price": "25.00", "stock": 10, "category_id": category,
        "cost_price": "20.00"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();

    let body = json!({"product_id": id, "quantity": 30, "unit_cost": "24.00", "supplier": "Cerealista Sul",
        "invoice": "NF 4521"});
    let reply = app.post("/api/stock/entries", &admin, body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["recorded"], true);
    let product = &reply.body["product"];
    // 10 at R$ 20,00 (the cost price, as there was no average yet) and 30 at R$ 24,00.
    assert_eq!((product["stock"].as_i64(), cents(&product["average_cost"])), (Some(40), 2300));
    assert_eq!(cents(&product["cost_price"]), 2400, "o custo passa a ser o da última entrada");

    let m = newest_movement(&app, &admin, id).await;
    assert_eq!(
        (m["type"].as_str(), m["quantity"].as_i64(), m["stock_after"].as_i64()),
        (Some("entrada"), Some(30), Some(40))
    );
    assert_eq!((m["supplier"].as_str(), m["invoice"].as_str()), (Some("Cerealista Sul"), Some("NF 4521")));
    assert_eq!((cents(&m["unit_cost"]), m["user_username"].as_str()), (2400, Some("admin")));
    assert!(m["created_at"].as_str().is_some());

    let refused = [
        (
            json!({"product_id": id, "quantity": 0, "unit_cost": "1.00"}),
            "Quantidade deve ser um número inteiro maior que zero",
        ),
        (
            json!({"product_id": id, "quantity": 1.5, "unit_cost": "1.00"}),
            "Quantidade deve ser um número inteiro maior que zero",
        ),
        (json!({"product_id": id, "quantity": 2}), "unit_cost é obrigatório"),
        (
            json!({"product_id": id, "quantity": 2, "unit_cost": "-1"}),
            "unit_cost deve ser um valor de 0 a R$ 10.000.000,00, com até duas casas decimais",
        ),
        (json!({"quantity": 2, "unit_cost": "1"}), "product_id é obrigatório"),
    ];
    for (body, message) in refused {
        let reply = app.post("/api/stock/entries", &admin, body.clone()).await;
        assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, message), "{body}");
    }
    let missing =
        app.post("/api/stock/entries", &admin, json!({"product_id": 999, "quantity": 1, "unit_cost": "1"})).await;
    assert_eq!((missing.status, missing.error()), (StatusCode::NOT_FOUND, "Produto não encontrado"));
    let (_, employee) = app.create_user(&admin, "caixa", "funcionario").await;
    let body = json!({"product_id": id, "quantity": 1, "unit_cost": "1"});
    assert_eq!(app.post("/api/stock/entries", &employee, body).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.stock_of(&admin, id).await, 40);
    assert_eq!(movement_count(&app, &admin, id).await, 2, "inicial e uma entrada: as recusas não deixaram nada");
}

#[tokio::test]
async fn adjustments_need_a_reason_and_counts_record_the_difference() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let category = app.create_category(&admin, "Bebidas").await;
    let id = app.create_product(&admin, "Suco", "4.50", 10, category).await;

    let reply =
        app.post("/api/stock/adjustments", &admin, json!({"product_id": id, "quantity": -3, "reason": "Quebra"})).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let m = newest_movement(&app, &admin, id).await;
    assert_eq!(
        (m["type"].as_str(), m["quantity"].as_i64(), m["note"].as_str()),
        (Some("ajuste"), Some(-3), Some("Quebra"))
    );

    for (body, message) in [
        (json!({"product_id": id, "quantity": -3}), "O motivo do ajuste é obrigatório"),
        (json!({"product_id": id, "quantity": 0, "reason": "x"}), "Quantidade do ajuste deve ser diferente de zero"),
    ] {
        let reply = app.post("/api/stock/adjustments", &admin, body).await;
        assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, message));
    }
    let below =
        app.post("/api/stock/adjustments", &admin, json!({"product_id": id, "quantity": -8, "reason": "Furto"})).await;
    assert_eq!(
        (below.status, below.error()),
        (StatusCode::BAD_REQUEST, "Estoque insuficiente para o ajuste. Disponível: 7")
    );
    assert_eq!(below.body["available"], 7);

    let count =
        app.post("/api/stock/counts", &admin, json!({"product_id": id, "counted": 5, "reason": "Inventário"})).await;
    assert_eq!(count.status, StatusCode::CREATED, "{}", count.body);
    let m = newest_movement(&app, &admin, id).await;
    assert_eq!(
        (m["type"].as_str(), m["quantity"].as_i64(), m["stock_after"].as_i64()),
        (Some("contagem"), Some(-2), Some(5))
    );
    let same = app.post("/api/stock/counts", &admin, json!({"product_id": id, "counted": 5})).await;
    assert_eq!((same.status, same.body["recorded"].as_bool()), (StatusCode::OK, Some(false)), "{}", same.body);
    assert_eq!(movement_count(&app, &admin, id).await, 3);
    assert_eq!(app.stock_of(&admin, id).await, 5);
}

#[tokio::test]
async fn a_product_sold_by_weight_sells_fractions_exact_to_the_gram() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let category = app.create_category(&admin, "Frios").await;
    let cheese = product(
        &app,
        &admin,
        json!({"name": "Queijo minas", "price": "29.90", "stock": "2.5", "unit": "kg",
        "category_id": category}),
    )
    .await;
    assert_eq!((cheese["unit"].as_str(), cheese["stock"].as_f64()), (Some("KG"), Some(2.5)));
    let id = cheese["id"].as_i64().unwrap();

    let sale = app.post("/api/sales", &admin, json!({"items": [{"product_id": id, "quantity": 0.355}]})).await;
    assert_eq!(sale.status, StatusCode::CREATED, "{}", sale.body);
    // 0,355 kg × R$ 29,90 = R$ 10,6145: half up to the cent.
    assert_eq!(cents(&sale.body["total_amount"]), 1061);
    let item = &sale.body["items"][0];
    assert_eq!((item["quantity"].as_f64(), item["unit"].as_str()), (Some(0.355), Some("KG")));
    let after = app.get(&format!("/api/products/{id}"), &admin).await.body;
    assert_eq!(after["stock"].as_f64(), Some(2.145));
    let m = newest_movement(&app, &admin, id).await;
    assert_eq!((m["quantity"].as_f64(), m["stock_after"].as_f64()), (Some(-0.355), Some(2.145)));

    let too_precise = app.post("/api/sales", &admin, json!({"items": [{"product_id": id, "quantity": 0.0005}]})).await;
    assert_eq!(too_precise.status, StatusCode::BAD_REQUEST);
    let too_much = app.post("/api/sales", &admin, json!({"items": [{"product_id": id, "quantity": "2.146"}]})).await;
    assert_eq!(
        (too_much.status, too_much.error()),
        (StatusCode::BAD_REQUEST, "Estoque insuficiente para o produto Queijo minas. Disponível: 2,145 kg")
    );
    assert_eq!(too_much.body["available"].as_f64(), Some(2.145));

    let units = app.create_product(&admin, "Pão de forma", "8.00", 10, category).await;
    let half = app.post("/api/sales", &admin, json!({"items": [{"product_id": units, "quantity": 0.5}]})).await;
    assert_eq!((half.status, half.error()), (StatusCode::BAD_REQUEST, "Quantidade deve ser um número inteiro"));
    assert_eq!(app.stock_of(&admin, units).await, 10);

    // A return of part of it, in kilograms too.
    let item_id = item["id"].as_i64().unwrap();
    let body = json!({"items": [{"sale_item_id": item_id, "quantity": 0.155}], "reason": "Sobrou", "refund_method": "dinheiro"});
    let back = app.post(&format!("/api/sales/{}/returns", sale.body["id"]), &admin, body).await;
    assert_eq!(back.status, StatusCode::CREATED, "{}", back.body);
    assert_eq!(back.body["items"][0]["returned_quantity"].as_f64(), Some(0.155));
    assert_eq!(app.get(&format!("/api/products/{id}"), &admin).await.body["stock"].as_f64(), Some(2.3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_ledger_holds_after_a_storm_and_the_check_command_finds_a_change_behind_its_back() {
    let first = spawn_app().await;
    let second = spawn_app_on(first.database_url.clone(), sqlite_database().1, &[]).await;
    let admin = first.admin_token().await;
    let category = first.create_category(&admin, "Granel").await;
    let mut products = Vec::new();
    for (i, unit) in ["UN", "KG", "UN"].iter().enumerate() {
        let body =
            json!({"name": format!("Item {i}"), "price": "3.00", "stock": 20, "unit": unit, "category_id": category});
        products.push(product(&first, &admin, body).await["id"].as_i64().unwrap());
    }
    let products = &products;
    let workers = (0..8u64).map(|w| {
        let app = if w % 2 == 0 { &first } else { &second };
        let admin = admin.clone();
        async move {
            let mut rng = Rng(0xC0FF_EE00_1234_5678 ^ (w + 1));
            let mut statuses = Vec::new();
            for _ in 0..24 {
                let pick = rng.below(3) as usize;
                let product = products[pick];
                // The KG product moves in grams.
                let amount = |n: i64| if pick == 1 { json!(format!("{}.{:03}", n, rng_grams(n))) } else { json!(n) };
                let reply = match rng.below(5) {
                    0 | 1 => {
                        let items = json!([{"product_id": product, "quantity": amount(1 + rng.below(2))}]);
                        app.post("/api/sales", &admin, json!({ "items": items })).await
                    }
                    2 => {
                        let body =
                            json!({"product_id": product, "quantity": amount(1 + rng.below(5)), "unit_cost": "1.50"});
                        app.post("/api/stock/entries", &admin, body).await
                    }
                    3 => {
                        let body = json!({"product_id": product, "quantity": rng.below(7) - 4, "reason": "Ajuste"});
                        app.post("/api/stock/adjustments", &admin, body).await
                    }
                    _ => {
                        let body = json!({"product_id": product, "counted": amount(rng.below(15))});
                        app.post("/api/stock/counts", &admin, body).await
                    }
                };
                statuses.push(reply.status);
            }
            statuses
        }
    });
    let statuses: Vec<StatusCode> = join_all(workers).await.into_iter().flatten().collect();
    assert!(
        statuses.iter().all(|s| [StatusCode::OK, StatusCode::CREATED, StatusCode::BAD_REQUEST].contains(s)),
        "{statuses:?}"
    );
    assert!(statuses.iter().filter(|s| **s == StatusCode::CREATED).count() > 50);
    assert_eq!(unbalanced(&first.database_url).await, vec![]);
    let run = cli(&first.database_url, &["check"]).await;
    assert!(run.success, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("o estoque de cada produto, em cada loja e no total, é a soma dos seus movimentos"),
        "{}",
        run.stdout
    );
    // Two instances appended to the audit log at once: one unbroken chain.
    assert!(run.stdout.contains("registro de auditoria íntegro"), "{}", run.stdout);

    // Someone edits a stock with SQL, behind the application's back.
    let mut conn = connect(&first.database_url).await;
    sqlx::query("UPDATE products SET stock = stock + 7 WHERE id = $1")
        .bind(products[2])
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let run = cli(&first.database_url, &["check"]).await;
    assert!(!run.success, "{}", run.stdout);
    assert!(run.stdout.contains(&format!("produto {} no total: estoque", products[2])), "{}", run.stdout);
    assert!(run.stdout.contains("(diferença 7)"), "{}", run.stdout);
}

/// A deterministic number of grams for a kilogram amount.
fn rng_grams(n: i64) -> i64 {
    (n * 137) % 1000
}
