//! What caches may keep: nothing the API answers (a login's answer carries the session's token),
//! while the web UI's hashed assets stay cached for good (`security.rs` checks those).

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn no_api_answer_may_be_stored_by_a_cache_the_login_with_its_token_included() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let login = json!({"username": "admin", "password": ADMIN_PASSWORD});
    let wrong = json!({"username": "admin", "password": "errada"});
    for (method, path, auth, body) in [
        (Method::POST, "/api/auth/login", None, Some(&login)),
        (Method::POST, "/api/auth/login", None, Some(&wrong)),
        (Method::GET, "/api/auth/me", Some(&token), None),
        (Method::GET, "/api/products", Some(&token), None),
        (Method::GET, "/api/sales/export", Some(&token), None),
        (Method::GET, "/api/products", None, None),
        (Method::GET, "/api/info", None, None),
        (Method::GET, "/api/openapi.json", None, None),
        (Method::GET, "/api/nada", None, None),
        (Method::DELETE, "/api/info", None, None),
    ] {
        let mut request = app.client.request(method.clone(), app.url(path));
        if let Some(token) = auth {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let cache = response.headers().get("cache-control").map(|v| v.to_str().unwrap().to_string());
        assert_eq!(cache.as_deref(), Some("no-store"), "{method} {path} ({status})");
    }
}
