//! Logs: readable lines in development, JSON in production. `RUST_LOG` overrides the levels.

use tracing_subscriber::EnvFilter;

use crate::config::Environment;

pub fn init(environment: Environment) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info,sistema_vendas=info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = match environment {
        Environment::Production => builder.json().flatten_event(true).try_init(),
        Environment::Development => builder.try_init(),
    };
}
