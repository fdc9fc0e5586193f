//! What load balancers and monitoring call: `/healthz` (the process answers), `/readyz` (and
//! the database too) and `/metrics` (Prometheus). Outside `/api`, not in the OpenAPI document.

use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use subtle::ConstantTimeEq;

use super::AppState;
use super::error::Error;

/// How long `/readyz` waits for the database: less than load balancers' health-check timeouts.
const READY_TIMEOUT: Duration = Duration::from_secs(2);

/// The process is up and serving (no database involved: a database outage must not make a
/// platform restart healthy processes).
pub async fn healthz() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

/// The instance can serve: the database answers. 503 while it does not, so a load balancer
/// sends traffic elsewhere; it recovers by itself when the database is back.
pub async fn readyz(State(state): State<AppState>) -> Response {
    let started = Instant::now();
    match tokio::time::timeout(READY_TIMEOUT, state.app.db.ping()).await {
        Ok(true) => {
            Json(json!({ "status": "ok", "database": "ok", "latency_ms": started.elapsed().as_millis() as u64 }))
                .into_response()
        }
        Ok(false) => Error::Unavailable(anyhow::anyhow!("/readyz: o banco não respondeu")).into_response(),
        Err(_) => {
            Error::Unavailable(anyhow::anyhow!("/readyz: o banco não respondeu em {READY_TIMEOUT:?}")).into_response()
        }
    }
}

/// Prometheus metrics. Sales figures are business data: with `METRICS_TOKEN` set, a scraper
/// must send it as a Bearer token; without it, `/metrics` is open in development and off (404)
/// in production.
pub async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match &state.config.metrics_token {
        Some(token) => {
            let sent = headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .unwrap_or_default();
            if !bool::from(sent.as_bytes().ct_eq(token.as_bytes())) {
                return Error::Unauthorized("Token de métricas inválido".into()).into_response();
            }
        }
        None if state.config.is_production() => {
            return (StatusCode::NOT_FOUND, Json(json!({ "error": "Recurso não encontrado" }))).into_response();
        }
        None => {}
    }
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
        )],
        state.metrics.render(&state.app.db),
    )
        .into_response()
}

/// Counts every request by method, route pattern and status, and times it.
pub async fn track(
    State(state): State<AppState>,
    route: Option<MatchedPath>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let response = next.run(request).await;
    let route = route.as_ref().map(MatchedPath::as_str).unwrap_or("ui");
    state.metrics.request(method.as_str(), route, response.status().as_u16(), started.elapsed());
    response
}
