//! Sales made at a terminal without connection, sent when the server is back: each arrives once
//! (`client_id`, decided by the unique index even for two at once), keeps when it was made, its
//! seller, its cash session and the prices the terminal showed, and is recorded even when the
//! stock is gone — flagged for review.

use chrono::{Duration, SecondsFormat, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, cents, connect, spawn_app, unbalanced};

fn ago(minutes: i64) -> String {
    (Utc::now() - Duration::minutes(minutes)).to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A sale as the PDV's queue sends it: made `minutes` ago, `(product, quantity, price shown)`.
fn offline_sale(client_id: &str, minutes: i64, items: &[(i64, i64, &str)]) -> Value {
    made_at(client_id, &ago(minutes), items)
}

fn made_at(client_id: &str, sold_at: &str, items: &[(i64, i64, &str)]) -> Value {
    let items: Vec<Value> =
        items.iter().map(|(p, q, price)| json!({"product_id": p, "quantity": q, "unit_price": price})).collect();
    json!({"client_id": client_id, "sold_at": sold_at, "items": items})
}

async fn rows(app: &TestApp, sql: &str) -> i64 {
    let mut conn = connect(&app.database_url).await;
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string())).fetch_one(&mut conn).await.unwrap()
}

struct Shop {
    app: TestApp,
    admin: String,
    category: i64,
}

async fn shop() -> Shop {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let category = app.create_category(&admin, "Mercearia").await;
    Shop { app, admin, category }
}

#[tokio::test]
async fn a_sale_made_offline_keeps_its_time_and_arrives_once_however_often_it_is_sent() {
    let Shop { app, admin, category } = shop().await;
    let product = app.create_product(&admin, "Arroz", "10.00", 10, category).await;
    let id = new_id();
    let body = offline_sale(&id, 90, &[(product, 2, "10.00")]);

    let first = app.post("/api/sales", &admin, body.clone()).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert_eq!(first.body["client_id"], id);
    let made = chrono::DateTime::parse_from_rfc3339(first.body["timestamp"].as_str().unwrap()).unwrap();
    let sent = chrono::DateTime::parse_from_rfc3339(body["sold_at"].as_str().unwrap()).unwrap();
    assert_eq!(made, sent, "the sale keeps the time it was made");
    let received = chrono::DateTime::parse_from_rfc3339(first.body["received_at"].as_str().unwrap()).unwrap();
    assert!(received - made >= Duration::minutes(89), "received {received}, made {made}");
    assert_eq!(first.body["review_reasons"], json!([]));

    // The reply was lost: the terminal sends it again, also with a fresh Idempotency-Key.
    for _ in 0..3 {
        let again = app.post("/api/sales", &admin, body.clone()).await;
        assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
        assert_eq!(again.headers.get("idempotent-replayed").unwrap(), "true");
        assert_eq!(again.body["id"], first.body["id"]);
    }
    assert_eq!(rows(&app, "SELECT COUNT(*) FROM sales").await, 1);
    assert_eq!(app.stock_of(&admin, product).await, 8);

    // The reports put it where it was made.
    let day = made.with_timezone(&chrono_tz::America::Sao_Paulo).date_naive().to_string();
    let report = app.get(&format!("/api/reports/sales?group_by=hour&start_date={day}&end_date={day}"), &admin).await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    let hour = made.with_timezone(&chrono_tz::America::Sao_Paulo).format("%H").to_string();
    let row = report.body["rows"].as_array().unwrap().iter().find(|r| r["count"] == 1).expect("a row with the sale");
    assert!(row["key"].as_str().unwrap().starts_with(&hour), "{row}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_client_id_sent_at_once_from_many_connections_makes_one_sale() {
    let Shop { app, admin, category } = shop().await;
    let product = app.create_product(&admin, "Feijão", "7.50", 100, category).await;
    let id = new_id();
    let body = offline_sale(&id, 5, &[(product, 1, "7.50")]);
    let replies = futures_util::future::join_all((0..12).map(|_| app.post("/api/sales", &admin, body.clone()))).await;
    let ids: Vec<&Value> = replies.iter().map(|r| &r.body["id"]).collect();
    for reply in &replies {
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    }
    assert!(ids.iter().all(|i| *i == ids[0]), "{ids:?}");
    assert_eq!(replies.iter().filter(|r| r.headers.get("idempotent-replayed").is_none()).count(), 1);
    assert_eq!(rows(&app, "SELECT COUNT(*) FROM sales").await, 1);
    assert_eq!(rows(&app, "SELECT COUNT(*) FROM stock_movements WHERE reason = 'venda'").await, 1);
    assert_eq!(app.stock_of(&admin, product).await, 99);
    // A live sale with a client_id is kept from repeating too.
    let live = json!({"client_id": new_id(), "items": [{"product_id": product, "quantity": 1}]});
    let replies = futures_util::future::join_all((0..6).map(|_| app.post("/api/sales", &admin, live.clone()))).await;
    assert!(replies.iter().all(|r| r.status == StatusCode::CREATED && r.body["id"] == replies[0].body["id"]));
    assert_eq!(rows(&app, "SELECT COUNT(*) FROM sales").await, 2);
}

#[tokio::test]
async fn a_sale_past_the_stock_is_recorded_below_zero_and_flagged_for_review() {
    let Shop { app, admin, category } = shop().await;
    let scarce = app.create_product(&admin, "Leite", "5.00", 1, category).await;
    let plenty = app.create_product(&admin, "Pão", "1.00", 50, category).await;
    // At the counter, the stock that is not there is refused.
    let live = app.sell(&admin, &[(scarce, 3)]).await;
    assert_eq!(live.status, StatusCode::BAD_REQUEST, "{}", live.body);

    let sale =
        app.post("/api/sales", &admin, offline_sale(&new_id(), 30, &[(scarce, 3, "5.00"), (plenty, 2, "1.00")])).await;
    assert_eq!(sale.status, StatusCode::CREATED, "{}", sale.body);
    assert_eq!(sale.body["review_reasons"], json!(["estoque_insuficiente"]));
    assert_eq!(cents(&sale.body["total_amount"]), 1700);
    assert_eq!(app.stock_of(&admin, scarce).await, -2);
    assert_eq!(app.stock_of(&admin, plenty).await, 48);
    assert_eq!(unbalanced(&app.database_url).await, vec![], "the ledger explains the negative stock");

    let review = app.get("/api/review", &admin).await;
    assert_eq!(review.status, StatusCode::OK, "{}", review.body);
    assert_eq!(review.body["sales"].as_array().unwrap().len(), 1);
    assert_eq!(review.body["sales"][0]["id"], sale.body["id"]);
    assert_eq!(review.body["products"], json!([{"id": scarce, "name": "Leite", "stock": -2, "unit": "UN"}]));

    // Reviewed once, by an administrator, and audited.
    let id = sale.body["id"].as_i64().unwrap();
    let reviewed = app.post(&format!("/api/sales/{id}/review"), &admin, json!({})).await;
    assert_eq!(reviewed.status, StatusCode::OK, "{}", reviewed.body);
    assert_eq!(reviewed.body["reviewed_by"], "admin");
    assert!(reviewed.body["reviewed_at"].is_string());
    assert_eq!(app.post(&format!("/api/sales/{id}/review"), &admin, json!({})).await.status, StatusCode::CONFLICT);
    let review = app.get("/api/review", &admin).await;
    assert_eq!(review.body["sales"], json!([]));
    assert_eq!(review.body["products"].as_array().unwrap().len(), 1, "the product waits for a count or an entry");
    let audit = app.get("/api/audit?action=venda.revisada", &admin).await;
    assert_eq!(audit.body["entries"].as_array().unwrap().len(), 1, "{}", audit.body);

    // An entry puts the product back above zero: nothing left to review.
    let entry = json!({"product_id": scarce, "quantity": 12, "unit_cost": "3.00"});
    assert_eq!(app.post("/api/stock/entries", &admin, entry).await.status, StatusCode::CREATED);
    assert_eq!(app.get("/api/review", &admin).await.body["products"], json!([]));

    // A product deactivated since the terminal sold it.
    let put = app.put(&format!("/api/products/{plenty}"), &admin, json!({"active": false})).await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);
    let sale = app.post("/api/sales", &admin, offline_sale(&new_id(), 10, &[(plenty, 1, "1.00")])).await;
    assert_eq!(sale.status, StatusCode::CREATED, "{}", sale.body);
    assert_eq!(sale.body["review_reasons"], json!(["produto_inativo"]));
}

#[tokio::test]
async fn the_price_the_terminal_showed_is_kept_only_if_the_product_had_it() {
    let Shop { app, admin, category } = shop().await;
    let product = app.create_product(&admin, "Café", "20.00", 50, category).await;
    // The terminal sold at 20.00; the price went up to 22.00 before the sale arrived.
    let sold_at = ago(0);
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let put = app.put(&format!("/api/products/{product}"), &admin, json!({"price": "22.00"})).await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);
    let sale = app.post("/api/sales", &admin, made_at(&new_id(), &sold_at, &[(product, 2, "20.00")])).await;
    assert_eq!(sale.status, StatusCode::CREATED, "{}", sale.body);
    assert_eq!(cents(&sale.body["items"][0]["price_at_sale"]), 2000);
    assert_eq!(cents(&sale.body["total_amount"]), 4000);

    // A price the product never had is refused, and nothing is written.
    let before = rows(&app, "SELECT COUNT(*) FROM sales").await;
    let forged = app.post("/api/sales", &admin, made_at(&new_id(), &sold_at, &[(product, 2, "0.01")])).await;
    assert_eq!(forged.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", forged.body);
    assert_eq!(forged.error(), "O preço R$ 0,01 de Café não consta no histórico de preços do produto");
    assert_eq!(forged.body["product_id"], product);
    assert_eq!(rows(&app, "SELECT COUNT(*) FROM sales").await, before);
    assert_eq!(app.stock_of(&admin, product).await, 48);

    // A price the product had only before the period a sale may come from is refused too.
    assert_eq!(app.put("/api/settings", &admin, json!({"offline_sale_max_hours": 1})).await.status, StatusCode::OK);
    let mut conn = connect(&app.database_url).await;
    let long_ago = (Utc::now() - Duration::hours(3)).timestamp_micros();
    sqlx::query("UPDATE product_prices SET valid_until = $1 WHERE product_id = $2 AND valid_until IS NOT NULL")
        .bind(long_ago)
        .bind(product)
        .execute(&mut conn)
        .await
        .unwrap();
    let stale = app.post("/api/sales", &admin, made_at(&new_id(), &sold_at, &[(product, 1, "20.00")])).await;
    // The price of now is always taken.
    let current = app.post("/api/sales", &admin, made_at(&new_id(), &sold_at, &[(product, 1, "22.00")])).await;
    assert_eq!(current.status, StatusCode::CREATED, "{}", current.body);
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", stale.body);

    // At the counter a price cannot be sent.
    let live = app
        .post("/api/sales", &admin, json!({"items": [{"product_id": product, "quantity": 1, "unit_price": "1.00"}]}))
        .await;
    assert_eq!(live.status, StatusCode::BAD_REQUEST, "{}", live.body);
    assert_eq!(live.error(), "unit_price só vale numa venda feita sem conexão (com sold_at)");
}

#[tokio::test]
async fn when_a_sale_was_made_is_bounded_by_the_settings() {
    let Shop { app, admin, category } = shop().await;
    let product = app.create_product(&admin, "Açúcar", "4.00", 50, category).await;
    let future = offline_sale(&new_id(), -30, &[(product, 1, "4.00")]);
    let reply = app.post("/api/sales", &admin, future).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert_eq!(reply.error(), "sold_at está no futuro: confira o relógio do terminal");
    // A terminal's clock a little ahead is fine.
    let ahead = app.post("/api/sales", &admin, offline_sale(&new_id(), -2, &[(product, 1, "4.00")])).await;
    assert_eq!(ahead.status, StatusCode::CREATED, "{}", ahead.body);

    let old = offline_sale(&new_id(), 73 * 60, &[(product, 1, "4.00")]);
    let reply = app.post("/api/sales", &admin, old.clone()).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert_eq!(reply.error(), "Venda feita há mais de 72 horas: o limite das configurações não a aceita mais");
    let settings = app.put("/api/settings", &admin, json!({"offline_sale_max_hours": 100})).await;
    assert_eq!(settings.body["offline_sale_max_hours"], 100);
    assert_eq!(app.post("/api/sales", &admin, old).await.status, StatusCode::CREATED);
    for bad in [json!(0), json!(721), json!("x"), json!(null)] {
        let reply = app.put("/api/settings", &admin, json!({"offline_sale_max_hours": bad})).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}: {}", reply.body);
    }

    let cases = [
        (
            json!({"sold_at": ago(1), "items": [{"product_id": product, "quantity": 1}]}),
            "Uma venda feita sem conexão (sold_at) precisa de client_id",
        ),
        (
            json!({"client_id": "abc", "items": [{"product_id": product, "quantity": 1}]}),
            "client_id deve ser um UUID (como 0b5c6f1e-3d2a-4c8b-9f10-2a7e5d4c3b21)",
        ),
        (
            json!({"client_id": new_id(), "sold_at": "ontem", "items": [{"product_id": product, "quantity": 1}]}),
            "sold_at deve ser uma data e hora RFC 3339, como 2026-12-01T14:30:00-03:00",
        ),
        (
            json!({"user_id": 1, "items": [{"product_id": product, "quantity": 1}]}),
            "user_id só vale numa venda feita sem conexão (com sold_at)",
        ),
        (
            json!({"cash_session_id": 1, "items": [{"product_id": product, "quantity": 1}]}),
            "cash_session_id só vale numa venda feita sem conexão (com sold_at)",
        ),
    ];
    let before = rows(&app, "SELECT COUNT(*) FROM sales").await;
    for (body, message) in cases {
        let reply = app.post("/api/sales", &admin, body.clone()).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}: {}", reply.body);
        assert_eq!(reply.error(), message);
    }
    assert_eq!(rows(&app, "SELECT COUNT(*) FROM sales").await, before);
}

#[tokio::test]
async fn a_queue_is_sent_as_the_seller_who_made_each_sale() {
    let Shop { app, admin, category } = shop().await;
    let product = app.create_product(&admin, "Óleo", "9.00", 50, category).await;
    let (maria_id, maria) = app.create_user(&admin, "maria", "funcionario").await;
    let (_, joao) = app.create_user(&admin, "joao", "funcionario").await;
    let mut sale = offline_sale(&new_id(), 15, &[(product, 1, "9.00")]);
    sale["user_id"] = json!(maria_id);

    // Another employee logged in at the terminal cannot send maria's sale.
    let refused = app.post("/api/sales", &joao, sale.clone()).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert_eq!(
        refused.error(),
        "Um funcionário só envia as próprias vendas: entre como o vendedor da venda ou como administrador"
    );
    // Maria herself, after logging in again, or an administrator, can.
    let own = app.post("/api/sales", &maria, sale.clone()).await;
    assert_eq!(own.status, StatusCode::CREATED, "{}", own.body);
    assert_eq!(own.body["user_username"], "maria");
    let mut by_admin = offline_sale(&new_id(), 14, &[(product, 1, "9.00")]);
    by_admin["user_id"] = json!(maria_id);
    let sent = app.post("/api/sales", &admin, by_admin).await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.body);
    assert_eq!(sent.body["user_id"], maria_id);
    assert_eq!(sent.body["user_username"], "maria");
    // A client_id of maria's sent as joao's is not maria's sale.
    let mut stolen = sale.clone();
    stolen.as_object_mut().unwrap().remove("user_id");
    let reply = app.post("/api/sales", &joao, stolen).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    let listed = app.get("/api/sales", &maria).await;
    assert_eq!(listed.body["total"], 2, "{}", listed.body);
    let mut unknown = offline_sale(&new_id(), 14, &[(product, 1, "9.00")]);
    unknown["user_id"] = json!(9999);
    assert_eq!(app.post("/api/sales", &admin, unknown).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_sale_keeps_the_cash_session_it_was_made_in_even_once_it_is_closed() {
    let Shop { app, admin, category } = shop().await;
    let product = app.create_product(&admin, "Sabão", "3.00", 50, category).await;
    let (_, maria) = app.create_user(&admin, "maria", "funcionario").await;
    let (_, joao) = app.create_user(&admin, "joao", "funcionario").await;
    let session = app.post("/api/cash-sessions", &maria, json!({"opening_float": 50})).await;
    let session = session.body["id"].as_i64().unwrap();

    let mut sale = offline_sale(&new_id(), 10, &[(product, 2, "3.00")]);
    sale["cash_session_id"] = json!(session);
    sale["payment_method"] = json!("dinheiro");
    let open = app.post("/api/sales", &maria, sale).await;
    assert_eq!(open.status, StatusCode::CREATED, "{}", open.body);
    assert_eq!(open.body["cash_session_id"], session);
    assert_eq!(open.body["review_reasons"], json!([]));

    let closed = app.post(&format!("/api/cash-sessions/{session}/close"), &maria, json!({"counted": 56})).await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    // A late sale of that session: attached to it, explicitly flagged, never put in another one.
    let reopened = app.post("/api/cash-sessions", &maria, json!({"opening_float": 20})).await;
    assert_eq!(reopened.status, StatusCode::CREATED, "{}", reopened.body);
    let mut late = offline_sale(&new_id(), 8, &[(product, 1, "3.00")]);
    late["cash_session_id"] = json!(session);
    late["payment_method"] = json!("dinheiro");
    let late = app.post("/api/sales", &maria, late).await;
    assert_eq!(late.status, StatusCode::CREATED, "{}", late.body);
    assert_eq!(late.body["cash_session_id"], session);
    assert_eq!(late.body["review_reasons"], json!(["caixa_fechado"]));

    // Someone else's session is refused.
    let mut other = offline_sale(&new_id(), 8, &[(product, 1, "3.00")]);
    other["cash_session_id"] = json!(session);
    let reply = app.post("/api/sales", &joao, other).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert_eq!(reply.error(), format!("O caixa {session} não é do vendedor desta venda"));

    // Made without a session where the settings require one: recorded, flagged.
    assert_eq!(app.put("/api/settings", &admin, json!({"require_cash_session": true})).await.status, StatusCode::OK);
    let none = app.post("/api/sales", &joao, offline_sale(&new_id(), 5, &[(product, 1, "3.00")])).await;
    assert_eq!(none.status, StatusCode::CREATED, "{}", none.body);
    assert_eq!(none.body["cash_session_id"], Value::Null);
    assert_eq!(none.body["review_reasons"], json!(["sem_caixa"]));
    let live = app.sell(&joao, &[(product, 1)]).await;
    assert_eq!(live.status, StatusCode::CONFLICT, "at the counter the rule still refuses: {}", live.body);
}
