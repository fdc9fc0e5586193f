//! No input a client can send produces a 500: every bad body, type, number or id gets a 4xx
//! with a Portuguese `error`, and changes nothing.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::permissions::{endpoints, fixtures};

/// Values that have broken parsers before.
fn nasty_values() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(1e300),
        json!(-1e300),
        json!(9223372036854775807i64),
        json!(9223372036854775808u64),
        json!(18446744073709551615u64),
        json!(-9223372036854775808i64),
        json!(0.1),
        json!("1e999999999"),
        json!("NaN"),
        json!(""),
        json!(" "),
        json!("abc"),
        json!("12,50"),
        json!("💥"),
        json!("a".repeat(10_000)),
        json!("\u{0000}"),
        json!("%_\\'\";--"),
        json!([]),
        json!([1, 2]),
        json!({}),
        json!({"a": 1}),
    ]
}

#[tokio::test]
async fn no_field_value_produces_a_server_error() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let ids = fixtures(&app, &admin, &admin).await;
    let mut checked = 0;
    for (_, method, path, body) in endpoints(&ids) {
        if method == Method::GET || method == Method::DELETE || path == "/api/auth/password" {
            continue;
        }
        let Some(Value::Object(fields)) = body else {
            continue;
        };
        for field in fields.keys() {
            for value in nasty_values() {
                let mut broken = fields.clone();
                broken.insert(field.clone(), value.clone());
                let reply = app.request(method.clone(), &path, Some(&admin), Some(Value::Object(broken))).await;
                assert!(
                    reply.status.as_u16() < 500,
                    "{method} {path} {field}={value}: {} {}",
                    reply.status,
                    reply.body
                );
                if reply.status.is_client_error() {
                    assert!(reply.body["error"].is_string(), "{method} {path} {field}={value}: {}", reply.body);
                }
                checked += 1;
            }
        }
    }
    // Sale items get the same treatment inside the array.
    for field in ["product_id", "quantity"] {
        for value in nasty_values() {
            let mut item = json!({"product_id": ids.keep_product, "quantity": 1});
            item[field] = value.clone();
            let reply = app.post("/api/sales", &admin, json!({"items": [item]})).await;
            assert!(
                reply.status.is_client_error() || reply.status == StatusCode::CREATED,
                "{field}={value}: {} {}",
                reply.status,
                reply.body
            );
            checked += 1;
        }
    }
    assert!(checked > 300, "{checked}");
}

#[tokio::test]
async fn malformed_bodies_are_400_json_errors() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for body in [
        "{",
        "[]",
        "\"texto\"",
        "42",
        "null",
        "{\"name\": }",
        "<xml/>",
        "{\"items\": [{\"product_id\": 1, \"quantity\": 1}]",
    ] {
        for path in ["/api/products", "/api/categories", "/api/sales", "/api/users"] {
            let reply = app.send_raw(Method::POST, path, Some(&admin), body).await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{path} {body}: {}", reply.body);
            assert!(reply.body["error"].is_string());
        }
    }
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let huge = format!("{{\"name\": \"{}\"}}", "x".repeat(2 * 1024 * 1024));
    let reply = app.send_raw(Method::POST, "/api/categories", Some(&admin), &huge).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.error(), "Corpo da requisição muito grande");
}

#[tokio::test]
async fn odd_ids_in_paths_are_404s() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for id in ["0", "-1", "abc", "1.5", "9223372036854775808", "99999999", "%00", "1e3"] {
        for (path, message) in [
            (format!("/api/products/{id}"), "Produto não encontrado"),
            (format!("/api/sales/{id}"), "Venda não encontrada"),
        ] {
            let reply = app.get(&path, &admin).await;
            assert_eq!((reply.status, reply.error()), (StatusCode::NOT_FOUND, message), "{path}");
        }
        let reply = app.put(&format!("/api/categories/{id}"), &admin, json!({"name": "x"})).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{id}");
        let reply = app.delete(&format!("/api/users/{id}"), &admin).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{id}");
    }
}

#[tokio::test]
async fn odd_query_strings_never_break_listings() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for query in [
        "search=%25%25%25",
        "search=%00",
        "search=%FF%FE",
        "search=' OR 1=1 --",
        "category_id=1e999",
        "low_stock=talvez",
        "page=99999999999999999999",
        "start_date=%00",
        "code=",
        "code=%00",
        "code=%C3%A7%00",
    ] {
        for path in ["/api/products", "/api/sales", "/api/sales/export"] {
            let reply = app.get(&format!("{path}?{query}"), &admin).await;
            assert!(reply.status.as_u16() < 500, "{path}?{query}: {}", reply.status);
        }
    }
}
