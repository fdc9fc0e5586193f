//! What running schemathesis against the OpenAPI document found (`scripts/schemathesis`): places
//! where the server answered otherwise than the document could say. Each test is the request
//! that showed it.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

/// An employee's `user_id` is not used (they only ever see their own sales), but a malformed one
/// is refused as it is for an administrator: the parameter has one meaning for every caller.
#[tokio::test]
async fn a_malformed_user_id_is_refused_for_employees_too() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (_, employee) = app.create_user(&admin, "caixa", "funcionario").await;
    for path in ["/api/sales?user_id=abc", "/api/sales/export?user_id=1.5"] {
        for token in [&admin, &employee] {
            let reply = app.get(path, token).await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{path}");
            assert_eq!(reply.error(), "Parâmetro user_id inválido");
        }
    }
    assert_eq!(app.get("/api/sales?user_id=1", &employee).await.status, StatusCode::OK);
}

/// `{"stock": 3, "adjustment": ""}` set the stock and ignored the adjustment unread: now both
/// fields are read, and the counted stock still wins when both are valid.
#[tokio::test]
async fn a_malformed_adjustment_is_refused_even_beside_a_stock() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let category = app.create_category(&admin, "Geral").await;
    let product = app.create_product(&admin, "Café", "10.00", 5, category).await;
    let path = format!("/api/products/{product}/stock");
    for adjustment in [json!(""), json!("x"), json!(1.5), json!(2_000_000_000)] {
        let reply = app.put(&path, &admin, json!({"stock": 3, "adjustment": adjustment})).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{adjustment}");
        assert!(reply.error().starts_with("Ajuste de estoque deve ser um número inteiro"), "{}", reply.body);
    }
    assert_eq!(app.stock_of(&admin, product).await, 5);
    let reply = app.put(&path, &admin, json!({"stock": 3, "adjustment": 10})).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["stock"], 3);
}

/// The search limit (200 characters) counts what was sent, as the document says: a Hangul search
/// of 150 syllables, whose search key is twice as long, is a search like any other.
#[tokio::test]
async fn the_search_limit_counts_the_characters_sent() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let search = "가".repeat(150);
    let reply = app.get(&format!("/api/products?search={search}"), &admin).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["total"], 0);
    let reply = app.get(&format!("/api/products?search={}", "a".repeat(201)), &admin).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.error(), "Busca muito longa");
    let padded = format!("%20%20{}%20%20", "a".repeat(200));
    assert_eq!(app.get(&format!("/api/products?search={padded}"), &admin).await.status, StatusCode::OK);
}
