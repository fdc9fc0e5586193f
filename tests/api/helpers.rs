//! Starts the real server on a free port with a fresh database: a temporary SQLite file, or,
//! when `TEST_DATABASE_URL` names a PostgreSQL server, a new database created for the test and
//! dropped after it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sistema_vendas::App;
use sistema_vendas::config::Config;
use sqlx::Connection;
use tokio::sync::oneshot;

pub const ADMIN_PASSWORD: &str = "admin123";
pub const JWT_SECRET: &str = "test-secret-that-is-long-enough-for-hs256-0123456789";

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub database_url: String,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    _database: TestDatabase,
}

/// A test's own database, removed when the test ends.
pub enum TestDatabase {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let TestDatabase::Postgres { admin_url, name } = self {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            let database = name.clone();
            // Drop runs inside the test's runtime: use a thread with a runtime of its own.
            let dropped = std::thread::spawn(move || {
                tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async move {
                    let mut conn = sqlx::PgConnection::connect(&admin_url).await?;
                    sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)")))
                        .execute(&mut conn)
                        .await?;
                    anyhow::Ok(())
                })
            })
            .join();
            if !matches!(dropped, Ok(Ok(()))) {
                eprintln!("aviso: não foi possível remover o banco de teste {name}");
            }
        }
    }
}

static DATABASE_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A fresh, empty database URL for a test (and the guard that removes it).
/// A database the first version wrote (`tests/fixtures/first-version.README.md` lists its facts).
pub fn first_version_fixture() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/first-version.sqlite")
}

pub async fn fresh_database() -> (String, TestDatabase) {
    match std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) {
        Some(admin_url) => {
            let name = format!(
                "sv_test_{}_{}_{}",
                std::process::id(),
                DATABASE_COUNTER.fetch_add(1, Ordering::SeqCst),
                uuid::Uuid::new_v4().simple().to_string().get(..8).unwrap_or_default()
            );
            let mut conn =
                sqlx::PgConnection::connect(&admin_url).await.expect("TEST_DATABASE_URL: PostgreSQL inacessível");
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
                .execute(&mut conn)
                .await
                .expect("CREATE DATABASE");
            let (base, query) = match admin_url.split_once('?') {
                Some((base, query)) => (base.to_string(), format!("?{query}")),
                None => (admin_url.clone(), String::new()),
            };
            let server = base.rsplit_once('/').map(|(server, _)| server.to_string()).unwrap_or(base);
            (format!("{server}/{name}{query}"), TestDatabase::Postgres { admin_url, name })
        }
        None => sqlite_database(),
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// The test configuration for a database, plus `vars` (which win).
pub fn test_config(database_url: &str, vars: &[(&str, &str)]) -> Config {
    let mut env: HashMap<String, String> = [
        ("HOST", "127.0.0.1"),
        ("PORT", "0"),
        ("BCRYPT_COST", "4"),
        ("JWT_SECRET_KEY", JWT_SECRET),
        ("DATABASE_URL", database_url),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    // With PostgreSQL there is no database file to keep photos beside: under target/, not in the
    // checkout's data/fotos.
    if database_url.starts_with("postgres") {
        env.insert("PHOTOS_DIR".into(), format!("{}/fotos-pg", env!("CARGO_TARGET_TMPDIR")));
    }
    env.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Config::from_vars(env).expect("configuração de teste")
}

/// Starts the server with the test defaults plus `vars` (which win).
pub async fn spawn_app_with(vars: &[(&str, &str)]) -> TestApp {
    let (database_url, database) = fresh_database().await;
    spawn_app_on(database_url, database, vars).await
}

/// Starts the server on a database the test prepared (with the command line, say); the
/// database goes away with the returned app.
pub async fn spawn_app_on(database_url: String, database: TestDatabase, vars: &[(&str, &str)]) -> TestApp {
    let config = test_config(&database_url, vars);
    let app = App::build(config).await.expect("servidor de teste");
    let address = format!("http://{}", app.local_addr());
    let (tx, rx) = oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async move {
        let _ = rx.await;
    }));
    TestApp {
        address,
        client: reqwest::Client::builder().pool_max_idle_per_host(64).build().unwrap(),
        database_url,
        shutdown: Some(tx),
        server: Some(server),
        _database: database,
    }
}

/// A temporary SQLite database, whatever `TEST_DATABASE_URL` says.
pub fn sqlite_database() -> (String, TestDatabase) {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    (url, TestDatabase::Sqlite(dir))
}

/// What a run of the real binary printed, and whether it succeeded.
pub struct CliRun {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `sistema-vendas <args>` (the real binary) on `database_url` with the test settings.
pub async fn cli(database_url: &str, args: &[&str]) -> CliRun {
    cli_with(database_url, args, &[]).await
}

/// [`cli`] with more environment variables (which win).
pub async fn cli_with(database_url: &str, args: &[&str], vars: &[(&str, &str)]) -> CliRun {
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_sistema-vendas"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("BCRYPT_COST", "4")
        .env("JWT_SECRET_KEY", JWT_SECRET)
        .env("RUST_LOG", "warn")
        .env_remove("APP_ENV")
        .env_remove("FLASK_ENV")
        .env_remove("BACKUP_DIR")
        .env_remove("BUSINESS_TIMEZONE")
        .envs(vars.iter().copied())
        .output()
        .await
        .expect("executar sistema-vendas");
    CliRun {
        success: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A direct connection to a test database, for what the API does not show (stored hashes).
pub async fn connect(database_url: &str) -> sqlx::AnyConnection {
    try_connect(database_url).await.expect("conexão direta ao banco de teste")
}

fn try_connect(database_url: &str) -> impl Future<Output = sqlx::Result<sqlx::AnyConnection>> + use<'_> {
    sqlx::any::install_default_drivers();
    sqlx::AnyConnection::connect(database_url)
}

/// Runs `command <file>` for each case, which must fail with its message, and checks that the
/// database was not touched at all (not even its schema created: the file is read first).
pub async fn assert_refused_untouched(database_url: &str, command: &str, cases: &[(&std::path::Path, &str)]) {
    for (file, message) in cases {
        let run = cli(database_url, &[command, file.to_str().unwrap()]).await;
        assert!(!run.success, "{command} {}", file.display());
        assert!(run.stderr.contains(message), "{}: esperado {message:?}:\n{}", file.display(), run.stderr);
    }
    if let Ok(mut conn) = try_connect(database_url).await {
        let users: Result<i64, _> = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&mut conn).await;
        assert!(users.is_err(), "o banco de destino nem foi preparado");
    }
}

/// A response: status and parsed JSON body (Null when not JSON).
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    /// Reads a whole response: its body as JSON (Null when it is not).
    pub async fn of(response: reqwest::Response) -> Reply {
        let (status, headers) = (response.status(), response.headers().clone());
        let text = response.text().await.unwrap_or_default();
        Reply { status, headers, body: serde_json::from_str(&text).unwrap_or(Value::Null) }
    }

    /// The `error` message of an error body.
    pub fn error(&self) -> &str {
        self.body["error"].as_str().unwrap_or_else(|| panic!("sem campo error: {} {}", self.status, self.body))
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// A JSON body, or for a JSON string the text itself as `text/csv` (no endpoint takes a
    /// bare JSON string; the catalog import takes a file).
    pub async fn request(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Reply {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        match body {
            Some(Value::String(text)) => request = request.header("content-type", "text/csv").body(text),
            Some(body) => request = request.json(&body),
            None => {}
        }
        let response = request.send().await.expect("requisição");
        Reply::of(response).await
    }

    /// Sends a raw body (not necessarily JSON).
    pub async fn send_raw(&self, method: Method, path: &str, token: Option<&str>, body: &str) -> Reply {
        let mut request = self
            .client
            .request(method, self.url(path))
            .header("content-type", "application/json")
            .body(body.to_string());
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("requisição");
        Reply::of(response).await
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.request(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Reply {
        self.request(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn put(&self, path: &str, token: &str, body: Value) -> Reply {
        self.request(Method::PUT, path, Some(token), Some(body)).await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Reply {
        self.request(Method::DELETE, path, Some(token), None).await
    }

    pub async fn login(&self, username: &str, password: &str) -> Reply {
        self.request(Method::POST, "/api/auth/login", None, Some(json!({"username": username, "password": password})))
            .await
    }

    pub async fn token(&self, username: &str, password: &str) -> String {
        let reply = self.login(username, password).await;
        assert_eq!(reply.status, StatusCode::OK, "login de {username}: {}", reply.body);
        reply.body["access_token"].as_str().unwrap().to_string()
    }

    pub async fn admin_token(&self) -> String {
        self.token("admin", ADMIN_PASSWORD).await
    }

    /// Creates a user and returns (id, token).
    pub async fn create_user(&self, admin: &str, username: &str, role: &str) -> (i64, String) {
        let reply =
            self.post("/api/users", admin, json!({"username": username, "password": "senha123", "role": role})).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        (reply.body["id"].as_i64().unwrap(), self.token(username, "senha123").await)
    }

    pub async fn create_category(&self, admin: &str, name: &str) -> i64 {
        let reply = self.post("/api/categories", admin, json!({"name": name})).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        reply.body["id"].as_i64().unwrap()
    }

    /// Creates a product with a price given as a decimal string and returns its id.
    pub async fn create_product(&self, admin: &str, name: &str, price: &str, stock: i64, category_id: i64) -> i64 {
        let reply = self
            .post(
                "/api/products",
                admin,
                json!({"name": name, "price": price, "stock": stock, "category_id": category_id}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        reply.body["id"].as_i64().unwrap()
    }

    /// Sells `(product_id, quantity)` items as the user of `token`.
    pub fn sell<'a>(&'a self, token: &str, items: &[(i64, i64)]) -> impl Future<Output = Reply> + use<'a> {
        let items: Vec<Value> = items.iter().map(|(p, q)| json!({"product_id": p, "quantity": q})).collect();
        let token = token.to_string();
        async move { self.post("/api/sales", &token, json!({ "items": items })).await }
    }

    /// Every sale the API lists (all pages), newest first.
    pub async fn all_sales(&self, token: &str) -> Vec<Value> {
        let mut sales = Vec::new();
        for page in 1.. {
            let reply = self.get(&format!("/api/sales?page={page}&per_page=100"), token).await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
            let batch = reply.body["sales"].as_array().unwrap().clone();
            if batch.is_empty() {
                break;
            }
            sales.extend(batch);
        }
        sales
    }

    pub async fn stock_of(&self, token: &str, product_id: i64) -> i64 {
        let reply = self.get(&format!("/api/products/{product_id}"), token).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        reply.body["stock"].as_i64().unwrap()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server.abort();
        }
    }
}

/// Reads one whole HTTP/1.1 answer (head and `Content-Length` body) from a raw connection, or
/// what came before the server closed it (empty when it closed without answering).
pub async fn read_response(stream: &mut tokio::net::TcpStream) -> String {
    use tokio::io::AsyncReadExt;
    let complete = |text: &str| {
        let Some((head, body)) = text.split_once("\r\n\r\n") else { return false };
        let length =
            head.lines().find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:")?.trim().parse().ok());
        length.is_some_and(|length: usize| body.len() >= length)
    };
    let mut response = Vec::new();
    let mut buffer = [0; 4096];
    while !complete(&String::from_utf8_lossy(&response)) {
        match tokio::time::timeout(std::time::Duration::from_secs(10), stream.read(&mut buffer)).await {
            Ok(Ok(read)) if read > 0 => response.extend_from_slice(&buffer[..read]),
            Ok(_) => break,
            Err(_) => panic!("sem resposta em 10 s: {}", String::from_utf8_lossy(&response)),
        }
    }
    String::from_utf8_lossy(&response).into_owned()
}

/// Money as exact cents from a JSON number (which has at most two decimals).
pub fn cents(value: &Value) -> i64 {
    let text = value.to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, "0"));
    assert!(frac.len() <= 2, "mais de duas casas decimais: {text}");
    let frac = format!("{frac:0<2}");
    let sign = if int.starts_with('-') { -1 } else { 1 };
    int.parse::<i64>().unwrap() * 100 + sign * frac.parse::<i64>().unwrap()
}

/// Where the ledger does not hold (a product's total, or its stock in a store, that is not the sum
/// of its movements), read straight from the database.
pub async fn unbalanced(database_url: &str) -> Vec<sistema_vendas::db::inventory::Unbalanced> {
    let mut conn = connect(database_url).await;
    let found = sistema_vendas::db::inventory::unbalanced(&mut conn).await.unwrap();
    conn.close().await.unwrap();
    found
}

/// A tiny deterministic generator, so that a failing storm can be replayed.
pub struct Rng(pub u64);

impl Rng {
    pub fn below(&mut self, n: u64) -> i64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n) as i64
    }
}

/// A network printer: every connection's bytes, as received.
pub async fn printer() -> (String, tokio::sync::mpsc::UnboundedReceiver<Vec<u8>>) {
    use tokio::io::AsyncReadExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut bytes = Vec::new();
            socket.read_to_end(&mut bytes).await.unwrap();
            sender.send(bytes).unwrap();
        }
    });
    (address, receiver)
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
