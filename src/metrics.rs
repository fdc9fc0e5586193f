//! Metrics in the Prometheus (OpenMetrics) text format, served at `/metrics`: requests by route
//! and status, latency, sales, login failures and the database pools. Each running [`App`]
//! has its own registry (no global state), so that several instances in one process, as the
//! tests start them, count apart.
//!
//! [`App`]: crate::App

use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use crate::db::{Backend, Db};
use crate::domain::money::Money;
use crate::ratelimit::Scope;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    /// The route's pattern (`/api/products/{id}`), never the raw path: one series per route.
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    pool: String,
    state: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LimitLabels {
    /// `username` or `address`.
    scope: String,
}

type LatencyFamily = Family<RouteLabels, Histogram, fn() -> Histogram>;

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: LatencyFamily,
    sales: Counter,
    sales_cents: Counter,
    login_failures: Counter,
    login_blocked: Counter,
    login_limit_reached: Family<LimitLabels, Counter>,
    login_checks_spared: Counter,
    pool_connections: Family<PoolLabels, Gauge>,
}

/// Seconds: from a cached read (1 ms) to the request timeout.
const LATENCY_BUCKETS: [f64; 14] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

fn latency_histogram() -> Histogram {
    Histogram::new(LATENCY_BUCKETS)
}

impl Default for Metrics {
    fn default() -> Metrics {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("sistema_vendas");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = LatencyFamily::new_with_constructor(latency_histogram);
        let (sales, sales_cents, login_failures, login_blocked) =
            (Counter::default(), Counter::default(), Counter::default(), Counter::default());
        let pool_connections = Family::<PoolLabels, Gauge>::default();
        registry.register("http_requests", "Requisições HTTP por método, rota e status", requests.clone());
        registry.register("http_request_duration_seconds", "Tempo até a resposta, por método e rota", latency.clone());
        registry.register("sales", "Vendas registradas por esta instância", sales.clone());
        registry.register(
            "sales_amount_cents",
            "Valor das vendas registradas por esta instância, em centavos",
            sales_cents.clone(),
        );
        registry.register("login_failures", "Logins recusados por credenciais inválidas", login_failures.clone());
        registry.register(
            "login_blocked",
            "Logins adiados pelo limite de tentativas (429), sem conferir a senha",
            login_blocked.clone(),
        );
        let login_limit_reached = Family::<LimitLabels, Counter>::default();
        registry.register(
            "login_limit_reached",
            "Usuários (scope=username) ou endereços (scope=address) que atingiram o limite de falhas: ataque provável",
            login_limit_reached.clone(),
        );
        let login_checks_spared = Counter::default();
        registry.register(
            "login_checks_spared",
            "Logins de usuário inexistente, de endereço ou usuário acima do limite, recusados sem conferir senha",
            login_checks_spared.clone(),
        );
        registry.register(
            "db_pool_connections",
            "Conexões do pool do banco por estado (idle, in_use, max)",
            pool_connections.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            sales,
            sales_cents,
            login_failures,
            login_blocked,
            login_limit_reached,
            login_checks_spared,
            pool_connections,
        }
    }

    /// One answered request. `route` is the matched route pattern.
    pub fn request(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let method = match method {
            "GET" | "POST" | "PUT" | "DELETE" | "PATCH" | "HEAD" | "OPTIONS" => method,
            _ => "OTHER",
        };
        self.requests.get_or_create(&RequestLabels { method: method.into(), route: route.into(), status }).inc();
        self.latency
            .get_or_create(&RouteLabels { method: method.into(), route: route.into() })
            .observe(elapsed.as_secs_f64());
    }

    pub fn sale(&self, total: Money) {
        self.sales.inc();
        self.sales_cents.inc_by(total.cents().max(0) as u64);
    }

    pub fn login_failed(&self) {
        self.login_failures.inc();
    }

    pub fn login_blocked(&self) {
        self.login_blocked.inc();
    }

    pub fn login_limit_reached(&self, scope: Scope) {
        self.login_limit_reached.get_or_create(&LimitLabels { scope: scope.as_str().into() }).inc();
    }

    pub fn login_check_spared(&self) {
        self.login_checks_spared.inc();
    }

    /// The exposition, with the pools' current state.
    pub fn render(&self, db: &Db) -> String {
        let pools = match db.backend {
            Backend::Postgres => vec![("main", &db.write)],
            Backend::Sqlite => vec![("read", &db.read), ("write", &db.write)],
        };
        for (name, pool) in pools {
            let size = i64::from(pool.size());
            let idle = pool.num_idle() as i64;
            let max = i64::from(pool.options().get_max_connections());
            for (state, value) in [("idle", idle), ("in_use", (size - idle).max(0)), ("max", max)] {
                self.pool_connections.get_or_create(&PoolLabels { pool: name.into(), state: state.into() }).set(value);
            }
        }
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry).expect("escrever num String não falha");
        text
    }
}
