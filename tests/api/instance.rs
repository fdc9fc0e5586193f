//! Servers started from a given configuration (a database URL of the test's choosing, a second
//! instance on the same database, production settings), and the secrets production accepts.

use reqwest::StatusCode;
use serde_json::{Value, json};
use sistema_vendas::App;
use sistema_vendas::config::Config;
use tokio::sync::oneshot;

/// Random-looking secrets of 48 characters, as `openssl rand -hex 24` prints.
pub const STRONG_JWT_SECRET: &str = "b3f1c9e27a5d48e6a0c4f8d2e1b7a9c35d6e4f2a1b8c7d9e";
pub const STRONG_SECRET_KEY: &str = "7d2e9a4c1f6b3e8d0a5c2f9e4b7d1a6c3e8f0b5d2a9c4e1f";
pub const STRONG_ADMIN_PASSWORD: &str = "Caixa-Forte-2026";

/// What a production deployment sets.
pub const PRODUCTION: &[(&str, &str)] = &[
    ("APP_ENV", "production"),
    ("JWT_SECRET_KEY", STRONG_JWT_SECRET),
    ("SECRET_KEY", STRONG_SECRET_KEY),
    ("ADMIN_PASSWORD", STRONG_ADMIN_PASSWORD),
];

/// `base` with `extra` added (later names win when the configuration is read).
pub fn with<'a>(base: &[(&'a str, &'a str)], extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    base.iter().chain(extra).copied().collect()
}

pub struct Instance {
    pub address: String,
    pub client: reqwest::Client,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

/// Builds and serves an instance; panics if it does not start.
pub async fn start(config: Config) -> Instance {
    let app = App::build(config).await.expect("a instância deve iniciar");
    let address = format!("http://{}", app.local_addr());
    let (tx, rx) = oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async move {
        let _ = rx.await;
    }));
    Instance { address, client: reqwest::Client::new(), shutdown: Some(tx), server: Some(server) }
}

impl Instance {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// POST /api/auth/login as seen from `forwarded_for` (sent as `X-Forwarded-For` when given).
    pub async fn login_from(&self, username: &str, password: &str, forwarded_for: Option<&str>) -> reqwest::Response {
        let mut request =
            self.client.post(self.url("/api/auth/login")).json(&json!({ "username": username, "password": password }));
        if let Some(address) = forwarded_for {
            request = request.header("x-forwarded-for", address);
        }
        request.send().await.expect("login")
    }

    pub async fn login(&self, username: &str, password: &str) -> reqwest::Response {
        self.login_from(username, password, None).await
    }

    pub async fn token(&self, username: &str, password: &str) -> String {
        let response = self.login(username, password).await;
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.unwrap();
        body["access_token"].as_str().unwrap().to_string()
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server.abort();
        }
    }
}
