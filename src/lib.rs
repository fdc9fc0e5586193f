//! Sistema de Vendas: a sales and point-of-sale system. The library holds the whole system;
//! `main.rs` only reads the configuration and runs it.

pub mod app;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod http;
pub mod metrics;
pub mod printer;
pub mod ratelimit;
pub mod serve;
pub mod storage;
pub mod telemetry;
pub mod transfer;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use tokio::net::TcpListener;

use config::{Config, Environment};
use db::{Db, PoolSettings};
use domain::time::BusinessCalendar;
use http::AppState;
use http::auth::JwtKeys;
use metrics::Metrics;
use ratelimit::LoginLimiter;

/// The password of the `admin` user created on first start in development, as the first
/// version had it. Production refuses to create an administrator with it.
pub const DEFAULT_ADMIN_PASSWORD: &str = "admin123";

/// A running system: its database, and a listener already bound (port 0 picks a free port).
pub struct App {
    listener: TcpListener,
    state: AppState,
}

impl App {
    /// Connects to the database, brings its schema up to date, creates the first administrator
    /// if there are no users, and binds the listener.
    ///
    /// In production, refuses to start with weak or missing secrets, or while an administrator
    /// still has a known default password.
    pub async fn build(config: Config) -> anyhow::Result<App> {
        install_crypto();
        if config.is_production() {
            let problems = config.production_problems();
            anyhow::ensure!(problems.is_empty(), "{}", refusal(&problems));
        }
        let db = connect(&config).await?;
        db.migrate().await.context("falha ao aplicar as migrações do banco")?;
        let state = prepare(db, config).await?;
        let address = format!("{}:{}", state.config.host, state.config.port);
        let listener = serve::bind(&address).await.with_context(|| format!("não foi possível escutar em {address}"))?;
        Ok(App { listener, state })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("listener sem endereço")
    }

    pub fn db(&self) -> &Db {
        &self.state.app.db
    }

    /// Serves until `shutdown` completes, then answers the requests that have begun (see
    /// [`serve`]) and closes the database.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        if self.state.config.force_https && self.state.config.public_hosts.is_empty() {
            tracing::warn!(
                "FORCE_HTTPS sem PUBLIC_URL: quem chega por HTTP recebe 403 em vez de ser redirecionado; \
                 defina PUBLIC_URL com o endereço HTTPS do sistema"
            );
        }
        let db = self.state.app.db.clone();
        let photos = self.state.app.photos.clone();
        let backups = self
            .state
            .config
            .backup
            .clone()
            .map(|schedule| tokio::spawn(transfer::schedule::run(db.clone(), photos, schedule)));
        let config = &self.state.config;
        let limits = serve::Limits {
            header_timeout: config.header_timeout,
            keep_alive_timeout: config.keep_alive_timeout,
            max_connections: serve::connection_cap(config.max_connections),
        };
        tracing::debug!(?limits, "limites das conexões");
        let app = http::app(self.state);
        let served = serve::serve(self.listener, app, limits, shutdown).await;
        if let Some(backups) = backups {
            backups.abort();
        }
        db.close().await;
        served?;
        Ok(())
    }
}

/// Two TLS implementations are built in (ring, which the database and Redis clients use, and
/// aws-lc-rs, which the S3 client brings): clients that do not name one use ring.
pub fn install_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

pub async fn connect(config: &Config) -> anyhow::Result<Db> {
    let settings = PoolSettings {
        size: config.pool_size,
        recycle: config.pool_recycle,
        acquire_timeout: config.db_acquire_timeout,
        sqlite_full_sync: config.sqlite_full_sync,
    };
    Db::connect(&config.database, &settings).await
}

/// The use cases' context on a database (for the server, and for commands that run them).
pub async fn context(db: Db, config: &Config) -> anyhow::Result<app::Context> {
    let decoy_hash: Arc<str> = {
        let cost = config.bcrypt_cost;
        tokio::task::spawn_blocking(move || app::passwords::decoy_hash(cost)).await?.into()
    };
    Ok(app::Context {
        db,
        calendar: BusinessCalendar::new(config.timezone),
        bcrypt_cost: config.bcrypt_cost,
        decoy_hash,
        summary_cache: Arc::default(),
        photos: storage::Photos::open(&config.photos)?,
    })
}

/// Everything that needs the migrated database before serving: the first administrator, the
/// signing secret, the daily totals in the configured time zone.
async fn prepare(db: Db, config: Config) -> anyhow::Result<AppState> {
    let ctx = context(db, &config).await?;
    let admin_password = match (&config.admin_password, config.environment) {
        (Some(password), _) => password.clone(),
        (None, Environment::Development) => DEFAULT_ADMIN_PASSWORD.to_string(),
        (None, Environment::Production) => String::new(),
    };
    if db::users::count_live(&ctx.db.read).await? == 0 {
        anyhow::ensure!(
            !admin_password.is_empty(),
            "o banco não tem usuários: defina ADMIN_PASSWORD com a senha do primeiro administrador (usuário admin)"
        );
        if app::users::ensure_first_admin(&ctx, admin_password).await? {
            tracing::info!("usuário admin criado");
        }
    }
    if config.is_production() {
        let problems = admins_with_default_passwords(&ctx).await?;
        anyhow::ensure!(problems.is_empty(), "{}", refusal(&problems));
    }
    // Secrets not configured (development): generated once and kept in the database, so that
    // they survive restarts, are shared by instances on one database, and differ between
    // installations.
    let secret = match &config.jwt_secret {
        Some(secret) => secret.clone(),
        None => db::meta::get_or_insert(&ctx.db.write, "jwt_secret", &random_secret()).await?,
    };
    let secret_key = match &config.secret_key {
        Some(key) => key.clone(),
        None => db::meta::get_or_insert(&ctx.db.write, "secret_key", &random_secret()).await?,
    };
    let login_limiter =
        LoginLimiter::new(config.login_limits, secret_key.as_bytes(), config.redis_url.as_deref()).await?;
    if login_limiter.uses_redis() {
        tracing::info!("limite de tentativas de login compartilhado pelo Redis");
    }
    if config.is_production() && config.metrics_token.is_none() {
        tracing::info!("/metrics desativado: defina METRICS_TOKEN para habilitá-lo");
    }
    if db::reports::ensure_aggregates(&ctx.db, ctx.calendar).await? {
        tracing::info!(timezone = ctx.calendar.tz.name(), "totais diários recalculados");
    }
    Ok(AppState {
        jwt: Arc::new(JwtKeys::new(secret.as_bytes(), config.jwt_lifetime)?),
        app: ctx,
        login_limiter: Arc::new(login_limiter),
        metrics: Arc::new(Metrics::new()),
        product_pages: Arc::default(),
        pdv_catalog: Arc::default(),
        config: Arc::new(config),
    })
}

/// The active administrators whose password is a known default, as messages saying what to do.
pub async fn admins_with_default_passwords(ctx: &app::Context) -> anyhow::Result<Vec<String>> {
    Ok(app::users::admins_with_default_passwords(ctx)
        .await?
        .into_iter()
        .map(|username| {
            format!(
                "o administrador {username:?} ainda usa uma senha padrão conhecida; troque-a com \
                 `sistema-vendas reset-password --username {username}`"
            )
        })
        .collect())
}

fn refusal(problems: &[String]) -> String {
    format!("produção (APP_ENV=production) recusada:\n  - {}", problems.join("\n  - "))
}

fn random_secret() -> String {
    format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple())
}

/// Completes on Ctrl-C or SIGTERM (what platforms send before stopping a process).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("encerrando: terminando as requisições em andamento");
}
