//! Logs: readable lines in development, one JSON object per line in production. Every line
//! written while serving a request carries its span: the request id (also sent back in the
//! `x-request-id` header), method and route. `RUST_LOG` overrides the levels.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

use crate::config::Environment;

pub fn init(environment: Environment) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info,sistema_vendas=info"));
    // Colours only on a terminal: not in log files, nor in what a platform collects.
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_ansi(std::io::stdout().is_terminal());
    let _ = match environment {
        Environment::Production => {
            builder.json().flatten_event(true).with_current_span(true).with_span_list(false).try_init()
        }
        Environment::Development => builder.try_init(),
    };
}
