//! The HTTP layer: routing, the middleware stack, JSON in and out. Each resource has its module;
//! the API is described by the handlers' annotations and served at `/api/openapi.json`.

mod audit;
pub mod auth;
mod cash;
mod catalog_csv;
mod categories;
mod customers;
pub mod error;
mod export;
pub mod input;
mod json;
mod openapi;
mod ops;
mod photos;
mod products;
pub mod proxy;
mod reports;
mod sales;
mod settings;
mod stock;
mod stores;
mod transfers;
mod ui;
mod users;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use serde::Serialize;
use tower::{Layer, ServiceBuilder};
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::normalize_path::{NormalizePath, NormalizePathLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app;
use crate::config::{Config, Environment};
use crate::domain::sales::PaymentMethod;
use crate::domain::time::Timestamp;
use crate::metrics::Metrics;
use crate::ratelimit::LoginLimiter;
use auth::JwtKeys;

/// What every handler can reach: the use cases' context, and what the HTTP edge keeps.
#[derive(Clone)]
pub struct AppState {
    pub app: app::Context,
    pub config: Arc<Config>,
    pub jwt: Arc<JwtKeys>,
    pub login_limiter: Arc<LoginLimiter>,
    pub metrics: Arc<Metrics>,
    pub product_pages: Arc<products::ProductPages>,
    pub pdv_catalog: Arc<products::PdvCatalog>,
}

/// `{"error": "mensagem"}`. A refused line of a sale, or a refused stock change, also names the
/// product (`product_id`) and what it has (`available`; `null` when the product does not exist).
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// A mensagem, em português.
    error: String,
    /// O produto da linha recusada (itens de uma venda, ajuste de estoque).
    #[serde(skip_serializing_if = "Option::is_none")]
    product_id: Option<i64>,
    /// O estoque disponível desse produto; `null` quando ele não existe.
    #[serde(skip_serializing_if = "Option::is_none")]
    available: Option<crate::domain::catalog::Quantity>,
    /// Num arquivo enviado (importação do catálogo): cada problema com a linha e a coluna.
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<Vec<error::RowError>>,
}

/// A CSV file to download, named `filename`.
pub fn csv_attachment(filename: &str, csv: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
        ],
        csv,
    )
        .into_response()
}

/// `{"message": "mensagem"}`
#[derive(Serialize, ToSchema)]
pub struct Message {
    message: String,
}

impl Message {
    pub fn new(message: &str) -> Message {
        Message { message: message.to_string() }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MessageWithToken {
    message: String,
    access_token: String,
    expires_at: Timestamp,
}

#[derive(Serialize, ToSchema)]
pub struct Info {
    name: &'static str,
    version: &'static str,
    /// The business time zone: "today" and "this month" are counted in it.
    timezone: String,
    currency: &'static str,
    /// The payment methods a sale accepts, with the names people see (receipts, reports, PDV).
    payment_methods: Vec<PaymentMethodLabel>,
}

#[derive(Serialize, ToSchema)]
pub struct PaymentMethodLabel {
    method: PaymentMethod,
    label: &'static str,
}

#[utoipa::path(get, path = "/api/info", tag = "sistema", operation_id = "get_info", responses((status = 200, body = Info)))]
async fn info(State(state): State<AppState>) -> Json<Info> {
    Json(Info {
        name: "Sistema de Vendas",
        version: env!("CARGO_PKG_VERSION"),
        timezone: state.app.calendar.tz.name().into(),
        currency: "BRL",
        payment_methods: PaymentMethod::ALL
            .into_iter()
            .map(|method| PaymentMethodLabel { method, label: method.label() })
            .collect(),
    })
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Sistema de Vendas", description = "API do sistema de vendas e PDV. Erros: `{\"error\": \"mensagem\"}`."),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Sessão"),
        (name = "usuarios", description = "Usuários (só administradores)"),
        (name = "lojas", description = "Lojas e seus terminais (PDVs)"),
        (name = "categorias", description = "Categorias"),
        (name = "produtos", description = "Produtos e estoque"),
        (name = "vendas", description = "Vendas e relatórios"),
        (name = "caixa", description = "Caixa: abertura, suprimento, sangria, fechamento e relatórios"),
        (name = "configuracoes", description = "Configurações da loja, PIX e impressora"),
        (name = "relatorios", description = "Relatórios de vendas por período, vendedor, produto, categoria, hora e forma de pagamento, com exportação CSV e XLSX"),
        (name = "clientes", description = "Clientes: CPF/CNPJ, contato e histórico de compras"),
        (name = "auditoria", description = "Registro de auditoria encadeado por hash (só administradores)"),
        (name = "sistema", description = "Informações do sistema"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
    }
}

/// The API routes with their OpenAPI description.
fn api() -> OpenApiRouter<AppState> {
    let mut api = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(info))
        .routes(routes!(auth::login))
        .routes(routes!(auth::me))
        .routes(routes!(auth::change_password))
        .routes(routes!(users::list, users::create))
        .routes(routes!(users::update, users::delete))
        .routes(routes!(stores::list, stores::create))
        .routes(routes!(stores::update))
        .routes(routes!(settings::store_settings, settings::update_store_settings))
        .routes(routes!(stores::prices))
        .routes(routes!(stores::set_price, stores::remove_price))
        .routes(routes!(stores::terminals, stores::create_terminal))
        .routes(routes!(stores::update_terminal))
        .routes(routes!(categories::list, categories::create))
        .routes(routes!(categories::update, categories::delete))
        .routes(routes!(products::list, products::create))
        .routes(routes!(products::get, products::update, products::delete))
        .routes(routes!(products::update_stock))
        .routes(routes!(stock::movements))
        .routes(routes!(stock::lookup))
        .routes(routes!(products::catalog))
        .routes(routes!(catalog_csv::export))
        .routes(routes!(catalog_csv::import))
        .routes(routes!(stock::entry))
        .routes(routes!(stock::adjustment))
        .routes(routes!(stock::count))
        .routes(routes!(transfers::list, transfers::create))
        .routes(routes!(transfers::get))
        .routes(routes!(transfers::receive))
        .routes(routes!(transfers::cancel))
        .routes(routes!(photos::set, photos::delete))
        .routes(routes!(photos::image))
        .routes(routes!(sales::list, sales::create))
        .routes(routes!(sales::get))
        .routes(routes!(sales::cancel))
        .routes(routes!(sales::review))
        .routes(routes!(sales::to_review))
        .routes(routes!(sales::return_sale_items))
        .routes(routes!(settings::print))
        .routes(routes!(settings::get, settings::update))
        .routes(routes!(settings::pix))
        .routes(routes!(sales::export))
        .routes(routes!(sales::summary))
        .routes(routes!(cash::list, cash::open))
        .routes(routes!(cash::current))
        .routes(routes!(cash::day_report))
        .routes(routes!(cash::get))
        .routes(routes!(cash::record_movement))
        .routes(routes!(cash::close))
        .routes(routes!(customers::list, customers::create))
        .routes(routes!(customers::get, customers::update))
        .routes(routes!(audit::list))
        .routes(routes!(audit::check))
        .routes(routes!(reports::sales));
    openapi::complete(api.get_openapi_mut());
    api
}

/// The OpenAPI document of the API.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api().into_openapi()
}

/// Largest request body accepted (a sale with a thousand items is about 50 KB).
const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The whole application: API, web UI, operations endpoints and middleware. Paths answer with
/// and without a trailing slash.
pub fn app(state: AppState) -> NormalizePath<Router> {
    let (api_router, openapi) = api().split_for_parts();
    let openapi = Arc::new(openapi);
    let router = Router::new()
        .merge(api_router)
        .route("/api/openapi.json", axum::routing::get(move || async move { Json(openapi.as_ref().clone()) }))
        .route("/api/{*rest}", axum::routing::any(api_not_found))
        .route("/healthz", axum::routing::get(ops::healthz))
        .route("/readyz", axum::routing::get(ops::readyz))
        .route("/metrics", axum::routing::get(ops::metrics))
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(ui::serve)
        .with_state(state.clone())
        .layer(
            ServiceBuilder::new()
                .layer(axum::middleware::from_fn_with_state(state.clone(), ops::track))
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(request_span)
                        .on_response(DefaultOnResponse::new().level(Level::INFO)),
                )
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(axum::middleware::from_fn_with_state(state.config.clone(), proxy::https))
                .layer(cors(&state.config))
                .layer(axum::middleware::from_fn(security_headers))
                .layer(axum::middleware::from_fn_with_state(state.config.request_timeout, timeout))
                .layer(CompressionLayer::new())
                .layer(DefaultBodyLimit::max(MAX_BODY_BYTES)),
        );
    NormalizePathLayer::trim_trailing_slash().layer(router)
}

/// The span every log line of a request is written in: its id (also sent back in
/// `x-request-id`), method and route pattern. No query string, no headers: nothing secret.
fn request_span(request: &axum::extract::Request) -> tracing::Span {
    let request_id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let route = request.extensions().get::<axum::extract::MatchedPath>().map(|m| m.as_str()).unwrap_or("ui");
    tracing::info_span!("request", %request_id, method = %request.method(), %route, path = %request.uri().path())
}

/// Answers 503 with a JSON error when a request (reading its body included) takes too long.
async fn timeout(
    State(limit): State<Duration>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(seconds = limit.as_secs(), "requisição excedeu o tempo limite");
            let body = Json(serde_json::json!({ "error": "Tempo limite da requisição esgotado" }));
            (StatusCode::SERVICE_UNAVAILABLE, body).into_response()
        }
    }
}

async fn api_not_found(uri: Uri) -> Response {
    tracing::debug!(%uri, "rota inexistente");
    (StatusCode::NOT_FOUND, Json(serde_json::json!({ "error": "Recurso não encontrado" }))).into_response()
}

async fn method_not_allowed() -> Response {
    (StatusCode::METHOD_NOT_ALLOWED, Json(serde_json::json!({ "error": "Método não permitido" }))).into_response()
}

/// CORS exactly as configured: the listed origins (or any origin, without credentials, for
/// `*`). In development the Vite dev server is allowed when nothing is configured.
fn cors(config: &Config) -> CorsLayer {
    let mut origins = config.cors_origins.clone();
    if origins.is_empty() && config.environment == Environment::Development {
        origins = vec!["http://localhost:5173".into(), "http://127.0.0.1:5173".into()];
    }
    let allow_origin = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()))
    };
    CorsLayer::new()
        .allow_origin(allow_origin)
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE, Method::OPTIONS])
        // The PDV asks for the catalog again with the version it has (If-None-Match, ETag).
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_NONE_MATCH,
            HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([
            header::ETAG,
            HeaderName::from_static("x-request-id"),
            HeaderName::from_static("idempotent-replayed"),
            header::CONTENT_DISPOSITION,
            header::RETRY_AFTER,
        ])
        .max_age(Duration::from_secs(3600))
}

const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; \
     base-uri 'self'; form-action 'self'";

/// Security headers on every response; the CSP is one the web UI works under. No cache may keep
/// an API answer (a login's carries the session's token); a handler can still say otherwise.
async fn security_headers(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let path = request.uri().path();
    let api = path == "/api" || path.starts_with("/api/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if api {
        headers.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    }
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
    ] {
        headers.entry(name).or_insert(HeaderValue::from_static(value));
    }
    response
}
