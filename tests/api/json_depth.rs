//! Deeply nested JSON: refused before it is parsed, whatever field holds it; unknown fields at a
//! shallow depth stay tolerated, as the first version's clients send some.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::*;

const TOO_DEEP: &str = "Corpo da requisição aninhado demais";

/// `{"items": [...], "<field>": <depth nested arrays>}` as raw text.
fn sale_with_nested_field(product_id: i64, field: &str, depth: usize) -> String {
    format!(
        "{{\"items\": [{{\"product_id\": {product_id}, \"quantity\": 1}}], \"{field}\": {}{}}}",
        "[".repeat(depth),
        "]".repeat(depth)
    )
}

async fn shop() -> (TestApp, String, i64) {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let category = app.create_category(&admin, "Bebidas").await;
    let product = app.create_product(&admin, "Água", "2.50", 10, category).await;
    (app, admin, product)
}

#[tokio::test]
async fn a_sale_with_an_unknown_field_nested_400000_deep_is_refused_and_not_made() {
    let (app, admin, product) = shop().await;
    let body = sale_with_nested_field(product, "extra", 400_000);
    assert!(body.len() > 800_000 && body.len() < 1024 * 1024, "{}", body.len());
    let reply = app.send_raw(Method::POST, "/api/sales", Some(&admin), &body).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert_eq!(reply.error(), TOO_DEEP);
    assert!(app.all_sales(&admin).await.is_empty());
    assert_eq!(app.stock_of(&admin, product).await, 10);
}

#[tokio::test]
async fn deep_nesting_is_refused_in_any_body_and_any_field() {
    let (app, admin, product) = shop().await;
    let deep_objects = format!("{{\"name\": \"Bebidas\", \"x\": {}1{}}}", "{\"a\":".repeat(40), "}".repeat(40));
    let deep_items =
        format!("{{\"items\": {}{{\"product_id\": {product}, \"quantity\": 1}}{}}}", "[".repeat(40), "]".repeat(40));
    for (path, body) in [
        ("/api/categories", deep_objects.as_str()),
        (
            "/api/products",
            &format!(
                "{{\"name\": \"P\", \"price\": 1, \"category_id\": 1, \"d\": {}{}}}",
                "[".repeat(33),
                "]".repeat(33)
            ),
        ),
        ("/api/sales", deep_items.as_str()),
        (
            "/api/users",
            &format!(
                "{{\"username\": \"u\", \"password\": \"senha123\", \"x\": {}{}}}",
                "[".repeat(100),
                "]".repeat(100)
            ),
        ),
    ] {
        let reply = app.send_raw(Method::POST, path, Some(&admin), body).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{path}: {}", reply.body);
        assert_eq!(reply.error(), TOO_DEEP, "{path}");
    }
    let reply = app
        .send_raw(
            Method::POST,
            "/api/auth/login",
            None,
            &format!(
                "{{\"username\": \"admin\", \"password\": \"{ADMIN_PASSWORD}\", \"x\": {}{}}}",
                "[".repeat(50),
                "]".repeat(50)
            ),
        )
        .await;
    assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, TOO_DEEP));
    assert!(app.all_sales(&admin).await.is_empty());
    let categories = app.get("/api/categories", &admin).await.body;
    assert_eq!(categories.as_array().unwrap().len(), 1, "{categories}");
}

#[tokio::test]
async fn brackets_inside_strings_do_not_count_as_nesting() {
    let (app, admin, _) = shop().await;
    let name = format!("{}\\\"{}", "[{".repeat(40), "]}".repeat(40));
    let reply = app.send_raw(Method::POST, "/api/categories", Some(&admin), &format!("{{\"name\": \"{name}\"}}")).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
}

#[tokio::test]
async fn shallow_unknown_fields_are_still_tolerated() {
    let (app, admin, product) = shop().await;
    let body = sale_with_nested_field(product, "client_version", 3);
    let reply = app.send_raw(Method::POST, "/api/sales", Some(&admin), &body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let reply = app
        .post(
            "/api/sales",
            &admin,
            json!({"items": [{"product_id": product, "quantity": 1, "note": {"a": [1, {"b": [2]}]}}], "meta": {"app": "v1"}}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(app.all_sales(&admin).await.len(), 2);
}
