//! What load balancers and monitoring see: `/healthz`, `/readyz` (failing fast while the
//! database is unreachable and recovering by itself), `/metrics`, request ids.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::instance::*;
use crate::tcp_proxy::{TcpProxy, host_port};

#[tokio::test]
async fn healthz_and_readyz_answer_when_all_is_well() {
    let app = spawn_app().await;
    for path in ["/healthz", "/readyz", "/healthz/"] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["status"], "ok", "{path}");
    }
}

/// PostgreSQL only: the database sits behind a proxy the test stops and starts again (the
/// machine's PostgreSQL keeps running). SQLite is a file: it cannot become unreachable.
#[tokio::test]
async fn with_the_database_unreachable_readyz_and_the_api_answer_503_fast_and_recover_by_themselves() {
    let (url, _database) = fresh_database().await;
    if !url.starts_with("postgres") {
        eprintln!("só no PostgreSQL (TEST_DATABASE_URL): pulado no SQLite");
        return;
    }
    let proxy = TcpProxy::start(&host_port(&url, 5432)).await;
    let app = start(test_config(&proxy.route(&url), &[("DB_ACQUIRE_TIMEOUT", "1")])).await;
    let token = app.token("admin", ADMIN_PASSWORD).await;
    let products = || app.client.get(app.url("/api/products")).bearer_auth(&token).send();
    assert_eq!(products().await.unwrap().status(), StatusCode::OK);

    proxy.stop();
    for path in ["/readyz", "/api/products"] {
        let started = Instant::now();
        let response = app.client.get(app.url(path)).bearer_auth(&token).send().await.unwrap();
        let elapsed = started.elapsed();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert!(elapsed < Duration::from_secs(4), "{path} took {elapsed:?}");
        assert_eq!(response.headers()["retry-after"], "5");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], "Serviço temporariamente indisponível", "{path}");
    }
    // The process itself is alive: a platform must not restart it for a database outage.
    assert_eq!(app.client.get(app.url("/healthz")).send().await.unwrap().status(), StatusCode::OK);

    proxy.resume().await;
    let deadline = Instant::now() + Duration::from_secs(15);
    while app.client.get(app.url("/readyz")).send().await.unwrap().status() != StatusCode::OK {
        assert!(Instant::now() < deadline, "/readyz did not recover");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(products().await.unwrap().status(), StatusCode::OK, "the same session works again");
}

/// The value of the sample `name` (with its labels, as the exposition writes them).
fn sample(metrics: &str, name: &str) -> Option<f64> {
    metrics.lines().find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.split(' ').next()?.parse().ok())
}

async fn metrics(app: &TestApp) -> String {
    let response = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("application/openmetrics-text"));
    response.text().await.unwrap()
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status_with_latency_sales_logins_and_pools() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let category = app.create_category(&admin, "Bebidas").await;
    let product = app.create_product(&admin, "Café", "12.50", 10, category).await;
    for _ in 0..3 {
        assert_eq!(app.get(&format!("/api/products/{product}"), &admin).await.status, StatusCode::OK);
    }
    assert_eq!(app.get("/api/products/999999", &admin).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.sell(&admin, &[(product, 2)]).await.status, StatusCode::CREATED);
    // A replayed sale is not a new sale.
    for _ in 0..2 {
        let response = app
            .client
            .post(app.url("/api/sales"))
            .bearer_auth(&admin)
            .header("idempotency-key", "venda-1")
            .json(&json!({"items": [{"product_id": product, "quantity": 1}]}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    assert_eq!(app.login("admin", "errada").await.status, StatusCode::UNAUTHORIZED);

    let text = metrics(&app).await;
    let route = |method: &str, route: &str, status: u16| {
        sample(
            &text,
            &format!("sistema_vendas_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}}"),
        )
    };
    assert_eq!(route("GET", "/api/products/{id}", 200), Some(3.0), "{text}");
    assert_eq!(route("GET", "/api/products/{id}", 404), Some(1.0));
    assert_eq!(route("POST", "/api/sales", 201), Some(3.0));
    assert_eq!(route("POST", "/api/auth/login", 401), Some(1.0));
    assert!(!text.contains(&format!("/api/products/{product}\"")), "raw paths are not labels");
    let histogram = |series: &str, labels: &str| {
        sample(
            &text,
            &format!(
                "sistema_vendas_http_request_duration_seconds_{series}{{{labels}method=\"GET\",route=\"/api/products/{{id}}\"}}"
            ),
        )
    };
    assert_eq!(histogram("count", ""), Some(4.0), "{text}");
    assert_eq!(histogram("bucket", "le=\"+Inf\","), Some(4.0), "{text}");
    assert!(histogram("bucket", "le=\"0.005\",").is_some(), "{text}");
    assert!(histogram("sum", "").is_some_and(|seconds| seconds > 0.0), "{text}");
    assert_eq!(sample(&text, "sistema_vendas_sales_total"), Some(2.0));
    assert_eq!(sample(&text, "sistema_vendas_sales_amount_cents_total"), Some(3750.0));
    assert_eq!(sample(&text, "sistema_vendas_login_failures_total"), Some(1.0));
    assert!(text.contains("sistema_vendas_db_pool_connections{pool="), "{text}");
    assert!(text.contains("state=\"max\""), "{text}");
    assert!(text.trim_end().ends_with("# EOF"));
}

#[tokio::test]
async fn metrics_require_the_token_when_one_is_set() {
    let app = spawn_app_with(&[("METRICS_TOKEN", "token-do-prometheus")]).await;
    let get = |token: Option<&'static str>| {
        let mut request = app.client.get(app.url("/metrics"));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    assert_eq!(get(None).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    assert_eq!(get(Some("outro")).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    assert_eq!(get(Some("token-do-prometheus")).await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn metrics_are_off_in_production_without_a_token() {
    let app = spawn_app_with(PRODUCTION).await;
    let response = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let app = spawn_app_with(&with(PRODUCTION, &[("METRICS_TOKEN", "t0k3n")])).await;
    let response = app.client.get(app.url("/metrics")).bearer_auth("t0k3n").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn every_response_has_a_request_id_and_a_given_one_is_kept() {
    let app = spawn_app().await;
    let mut ids = std::collections::HashSet::new();
    for path in ["/api/info", "/api/nada", "/", "/healthz"] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        ids.insert(response.headers()["x-request-id"].to_str().unwrap().to_string());
    }
    assert_eq!(ids.len(), 4, "one id per request: {ids:?}");
    let response = app.client.get(app.url("/api/info")).header("x-request-id", "lb-1234").send().await.unwrap();
    assert_eq!(response.headers()["x-request-id"], "lb-1234");
}
