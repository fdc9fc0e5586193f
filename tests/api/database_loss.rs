//! A PostgreSQL database that goes away under a running server (dropped, as an operator's
//! mistake or a platform's reset can do) is an outage like an unreachable server: 503 with
//! `Retry-After`, never a 500.

use reqwest::{Method, StatusCode};
use serde_json::json;
use sqlx::Connection;

use crate::helpers::*;

#[tokio::test]
async fn a_dropped_postgres_database_answers_503_with_retry_after_like_an_unreachable_one() {
    let Some(admin_url) = std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) else {
        eprintln!("TEST_DATABASE_URL não definido: o banco PostgreSQL removido não é testado no SQLite");
        return;
    };
    let app = spawn_app().await;
    let token = app.admin_token().await;
    assert_eq!(app.get("/api/products", &token).await.status, StatusCode::OK);

    let name = app.database_url.rsplit('/').next().unwrap().split('?').next().unwrap().to_string();
    let mut admin = sqlx::PgConnection::connect(&admin_url).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE \"{name}\" WITH (FORCE)")))
        .execute(&mut admin)
        .await
        .unwrap();

    let login = json!({"username": "admin", "password": ADMIN_PASSWORD});
    let sale = json!({"items": [{"product_id": 1, "quantity": 1}]});
    // Twice each: the connections the drop ended, then new ones to a database that is not there.
    for _ in 0..2 {
        for (method, path, body) in [
            (Method::GET, "/api/products", None),
            (Method::POST, "/api/sales", Some(&sale)),
            (Method::POST, "/api/auth/login", Some(&login)),
            (Method::GET, "/readyz", None),
        ] {
            let mut request = app.client.request(method.clone(), app.url(path)).bearer_auth(&token);
            if let Some(body) = body {
                request = request.json(body);
            }
            let response = request.send().await.unwrap();
            let status = response.status();
            let retry_after = response.headers().get("retry-after").cloned();
            let body: serde_json::Value = response.json().await.unwrap_or_default();
            assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{method} {path}: {body}");
            assert!(retry_after.is_some(), "{method} {path}: Retry-After");
            assert_eq!(body["error"], "Serviço temporariamente indisponível", "{method} {path}");
        }
    }
}
