//! HTTPS behind a proxy (HSTS, redirect), security headers on every kind of response, CORS as
//! configured, the web UI's caching and CSP, and the request limits (body size, time).

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::*;
use crate::instance::*;

#[tokio::test]
async fn hsts_is_sent_only_to_clients_that_came_over_https() {
    let app = spawn_app().await;
    let plain = app.client.get(app.url("/api/info")).send().await.unwrap();
    assert!(plain.headers().get("strict-transport-security").is_none());
    let secure = app.client.get(app.url("/api/info")).header("x-forwarded-proto", "https").send().await.unwrap();
    assert_eq!(secure.headers()["strict-transport-security"], "max-age=31536000");
}

#[tokio::test]
async fn force_https_redirects_plain_http_but_not_health_checks_or_https() {
    let app = spawn_app_with(&[("FORCE_HTTPS", "true"), ("PUBLIC_URL", "https://loja.example.com")]).await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let response =
        client.get(app.url("/api/products?search=caf%C3%A9")).header("host", "loja.example.com").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(response.headers()["location"], "https://loja.example.com/api/products?search=caf%C3%A9");
    let response = client.post(app.url("/api/auth/login")).header("host", "loja.example.com:80").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::PERMANENT_REDIRECT, "a POST keeps its method (308)");
    assert_eq!(response.headers()["location"], "https://loja.example.com/api/auth/login");
    for path in ["/healthz", "/readyz", "/metrics"] {
        assert_eq!(client.get(app.url(path)).send().await.unwrap().status(), StatusCode::OK, "{path}");
    }
    let response = client.get(app.url("/api/info")).header("x-forwarded-proto", "https").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn security_headers_are_on_every_kind_of_response() {
    let app = spawn_app().await;
    for (method, path) in [
        (Method::GET, "/"),
        (Method::GET, "/produtos"),
        (Method::GET, "/api/nada"),
        (Method::GET, "/api/products"),
        (Method::DELETE, "/api/info"),
        (Method::GET, "/healthz"),
        (Method::GET, "/assets/nao-existe.js"),
    ] {
        let response = app.client.request(method.clone(), app.url(path)).send().await.unwrap();
        let headers = response.headers();
        for name in ["content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy"] {
            assert!(headers.contains_key(name), "{method} {path}: {name}");
        }
        assert!(headers["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));
    }
}

async fn preflight(app: &TestApp, origin: &str) -> reqwest::Response {
    app.client
        .request(Method::OPTIONS, app.url("/api/products"))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "authorization,content-type")
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn cors_answers_real_requests_from_allowed_origins_only_and_never_with_credentials() {
    let app = spawn_app_with(&[("CORS_ORIGINS", "https://loja.example.com")]).await;
    let allowed =
        app.client.get(app.url("/api/info")).header("origin", "https://loja.example.com").send().await.unwrap();
    assert_eq!(allowed.headers()["access-control-allow-origin"], "https://loja.example.com");
    assert!(allowed.headers().get("access-control-allow-credentials").is_none());
    let exposed = allowed.headers()["access-control-expose-headers"].to_str().unwrap();
    assert!(exposed.contains("x-request-id") && exposed.contains("etag"), "{exposed}");
    let denied = app.client.get(app.url("/api/info")).header("origin", "https://loja.example.com.evil.io").send().await;
    assert!(denied.unwrap().headers().get("access-control-allow-origin").is_none());
    let preflight = preflight(&app, "https://loja.example.com").await;
    assert!(preflight.headers()["access-control-allow-methods"].to_str().unwrap().contains("POST"));
    let allowed = preflight.headers()["access-control-allow-headers"].to_str().unwrap();
    assert!(allowed.contains("if-none-match"), "{allowed}");
}

#[tokio::test]
async fn production_allows_no_other_origin_unless_configured() {
    let dev = spawn_app().await;
    let allowed = preflight(&dev, "http://localhost:5173").await;
    assert_eq!(allowed.headers()["access-control-allow-origin"], "http://localhost:5173", "the Vite dev server");
    let production = spawn_app_with(PRODUCTION).await;
    let denied = preflight(&production, "http://localhost:5173").await;
    assert!(denied.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn a_wildcard_origin_is_allowed_without_credentials() {
    let app = spawn_app_with(&[("CORS_ORIGINS", "*")]).await;
    let response = preflight(&app, "https://qualquer.example.com").await;
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    assert!(response.headers().get("access-control-allow-credentials").is_none());
}

/// The built web UI (`web/dist`), when this build has one.
fn built_index() -> Option<String> {
    let index = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("web/dist/index.html");
    let html = std::fs::read_to_string(index).ok();
    if html.is_none() {
        eprintln!("web/dist não compilado (SKIP_WEB_BUILD): verificação da interface pulada");
    }
    html
}

#[tokio::test]
async fn hashed_assets_are_cached_for_a_year_and_index_html_never() {
    let Some(html) = built_index() else { return };
    let app = spawn_app().await;
    for path in ["/", "/index.html", "/pdv"] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
    }
    let assets: Vec<&str> =
        html.split('"').filter(|s| s.starts_with("/assets/") && (s.ends_with(".js") || s.ends_with(".css"))).collect();
    assert!(!assets.is_empty(), "index.html names its assets");
    for asset in assets {
        let response = app.client.get(app.url(asset)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{asset}");
        assert_eq!(response.headers()["cache-control"], "public, max-age=31536000, immutable", "{asset}");
    }
}

#[tokio::test]
async fn the_web_ui_runs_under_the_content_security_policy() {
    let Some(html) = built_index() else { return };
    let app = spawn_app().await;
    let csp = app.client.get(app.url("/")).send().await.unwrap().headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-eval"), "{csp}");
    // script-src 'self' runs no inline script and no inline event handler: every script of the
    // page must come from a file of the same origin.
    for tag in html.split("<script").skip(1) {
        let open = &tag[..tag.find('>').unwrap()];
        assert!(open.contains("src=\"/"), "inline or foreign script: <script{open}>");
    }
    let lower = html.to_lowercase();
    for handler in [" onload=", " onclick=", " onerror=", "javascript:"] {
        assert!(!lower.contains(handler), "inline handler {handler}");
    }
    assert!(!lower.contains("http://") && !lower.contains("https://"), "everything from the same origin");
}

#[tokio::test]
async fn a_streamed_body_over_the_limit_is_refused() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let address = app.address.trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let head = format!(
        "POST /api/categories HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {admin}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, "x".repeat(64 * 1024));
    // Up to 2 MB, stopping when the server answers and closes.
    for _ in 0..32 {
        if stream.write_all(chunk.as_bytes()).await.is_err() {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut response = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut response)).await;
    let response = String::from_utf8_lossy(&response);
    assert!(response.starts_with("HTTP/1.1 413"), "{response}");
    assert!(response.contains("Corpo da requisição muito grande"), "{response}");
}

#[tokio::test]
async fn a_request_that_takes_too_long_gets_a_503_json_error() {
    let app = spawn_app_with(&[("REQUEST_TIMEOUT", "1")]).await;
    let address = app.address.trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    // A body that never finishes arriving.
    let head = format!(
        "POST /api/auth/login HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: 100\r\n\r\n{{\"username\":"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    let mut response = vec![0; 4096];
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut response)).await.unwrap().unwrap();
    let elapsed = started.elapsed();
    let response = String::from_utf8_lossy(&response[..read]);
    assert!(response.starts_with("HTTP/1.1 503"), "{response}");
    let body: Value = serde_json::from_str(response.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    assert_eq!(body["error"], "Tempo limite da requisição esgotado");
    assert!(elapsed >= Duration::from_millis(900) && elapsed < Duration::from_secs(5), "{elapsed:?}");
}
