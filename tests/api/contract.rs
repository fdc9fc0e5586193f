//! Conventions of the first version's contract that every client relies on.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn every_path_answers_with_and_without_a_trailing_slash_without_redirecting() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let category = app.create_category(&admin, "Bebidas").await;
    for path in [
        "/api/products",
        "/api/categories",
        "/api/sales",
        "/api/users",
        "/api/auth/me",
        "/api/sales/reports/summary",
        &format!("/api/categories/{category}"),
    ] {
        let method = if path.contains("/categories/") { Method::PUT } else { Method::GET };
        let body = path.contains("/categories/").then(|| json!({"name": "Bebidas"}));
        for variant in [path.to_string(), format!("{path}/")] {
            let reply = app.request(method.clone(), &variant, Some(&admin), body.clone()).await;
            assert_eq!(reply.status, StatusCode::OK, "{variant}");
        }
    }
    let reply = app
        .request(Method::POST, "/api/auth/login/", None, Some(json!({"username": "admin", "password": "admin123"})))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let reply = app.post("/api/categories/", &admin, json!({"name": "Padaria"})).await;
    assert_eq!(reply.status, StatusCode::CREATED);
}

#[tokio::test]
async fn unknown_api_routes_and_methods_answer_json() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let reply = app.get("/api/nada", &admin).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::NOT_FOUND, "Recurso não encontrado"));
    let reply = app.request(Method::PATCH, "/api/products", Some(&admin), None).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::METHOD_NOT_ALLOWED, "Método não permitido"));
}

#[tokio::test]
async fn responses_are_json_with_security_headers_and_a_request_id() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/api/info")).send().await.unwrap();
    let headers = response.headers();
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert!(headers["content-security-policy"].to_str().unwrap().contains("default-src 'self'"));
    assert!(headers.contains_key("referrer-policy"));
    assert!(headers.contains_key("x-request-id"));
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["timezone"], "America/Sao_Paulo");
    assert_eq!(body["currency"], "BRL");
}

#[tokio::test]
async fn cors_allows_exactly_the_configured_origins() {
    let app = spawn_app_with(&[("CORS_ORIGINS", "https://loja.example.com,https://admin.example.com")]).await;
    let preflight = |origin: &'static str| {
        app.client
            .request(Method::OPTIONS, app.url("/api/products"))
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .header("access-control-request-headers", "authorization")
            .send()
    };
    let allowed = preflight("https://loja.example.com").await.unwrap();
    assert_eq!(allowed.headers()["access-control-allow-origin"], "https://loja.example.com");
    assert!(allowed.headers()["access-control-allow-headers"].to_str().unwrap().contains("authorization"));
    let denied = preflight("https://evil.example.com").await.unwrap();
    assert!(denied.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn the_web_ui_is_served_for_app_routes_and_not_for_missing_files() {
    let app = spawn_app().await;
    for path in ["/", "/pdv", "/produtos", "/vendas/"] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"), "{path}");
    }
    let missing = app.client.get(app.url("/assets/nao-existe.js")).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}
