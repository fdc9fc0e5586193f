//! The real binary as platforms run it, in its own process: the exact commands of the
//! Procfile and the Dockerfile with the environment each platform sets, its logs, SIGTERM in
//! the middle of a sales load, two processes selling from one database, and the operations
//! commands. On SQLite by default, on PostgreSQL with `TEST_DATABASE_URL`.

#[allow(dead_code)]
#[path = "api/helpers.rs"]
mod helpers;
#[allow(dead_code)]
#[path = "support/manifests.rs"]
mod manifests;

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use helpers::fresh_database;
use manifests::*;

const BINARY: &str = env!("CARGO_BIN_EXE_sistema-vendas");
const JWT_SECRET: &str = "4c9e1b7f2a8d6e3c0f5b9a2d7e1c4f8b6a3d0e9c2b5f8a1d";
const SECRET_KEY: &str = "e2a7c4f9b1d6e3a8c5f0b7d2e9a4c1f6b3d8e5a0c7f2b9d4";
const ADMIN_PASSWORD: &str = "Caixa-Forte-2026";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// `PATH` with the binary's folder first, as in the image (`/usr/local/bin`).
fn path_with_binary() -> String {
    let folder = Path::new(BINARY).parent().unwrap().display().to_string();
    format!("{folder}:/usr/local/bin:/usr/bin:/bin")
}

/// A command with only the given environment (and a `PATH` that finds the binary).
fn command(program: &str, args: &[&str], env: &[(String, String)]) -> Command {
    let mut command = Command::new(program);
    command.args(args).env_clear().env("PATH", path_with_binary()).envs(env.iter().map(|(k, v)| (k, v)));
    command
}

fn pairs(vars: &[(&str, &str)]) -> Vec<(String, String)> {
    vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// A server process, its output collected line by line.
struct Server {
    child: Child,
    port: u16,
    output: Arc<Mutex<Vec<String>>>,
    client: reqwest::Client,
}

impl Server {
    /// Starts `command` (which must listen on `port`) and waits until `/healthz` answers.
    /// The process gets a group of its own, so that what a shell command started is stopped
    /// with it.
    async fn start(mut command: Command, port: u16) -> Server {
        let mut child = command
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let output = Arc::new(Mutex::new(Vec::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let output = output.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    output.lock().unwrap().push(line);
                }
            });
        }
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let mut server = Server { child, port, output, client };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(response) = server.client.get(server.url("/healthz")).send().await
                && response.status() == StatusCode::OK
            {
                break;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("o servidor saiu ({status}):\n{}", server.output());
            }
            assert!(Instant::now() < deadline, "o servidor não respondeu em 60 s:\n{}", server.output());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        server
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn output(&self) -> String {
        self.output.lock().unwrap().join("\n")
    }

    /// Sends a signal (`TERM`, `KILL`) to the process and what it started (its group), as
    /// platforms do.
    fn signal(&self, name: &str) {
        let group = format!("-{}", self.child.id());
        let status = Command::new("kill").args([&format!("-{name}"), "--", &group]).status().unwrap();
        assert!(status.success());
    }

    async fn wait_exit(&mut self, limit: Duration) -> ExitStatus {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "o servidor não saiu em {limit:?}:\n{}", self.output());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    async fn login(&self, username: &str, password: &str) -> reqwest::Response {
        self.client
            .post(self.url("/api/auth/login"))
            .header("x-forwarded-proto", "https")
            .json(&json!({"username": username, "password": password}))
            .send()
            .await
            .unwrap()
    }

    async fn token(&self, username: &str, password: &str) -> String {
        let response = self.login(username, password).await;
        assert_eq!(response.status(), StatusCode::OK, "{}", self.output());
        response.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_string()
    }

    async fn post(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        let response = self.client.post(self.url(path)).bearer_auth(token).json(&body).send().await.unwrap();
        (response.status(), response.json().await.unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        let response = self.client.get(self.url(path)).bearer_auth(token).send().await.unwrap();
        (response.status(), response.json().await.unwrap_or(Value::Null))
    }

    /// A category and a product with `stock` units at `price`; returns the product's id.
    async fn product(&self, token: &str, price: &str, stock: i64) -> i64 {
        let (status, category) = self.post("/api/categories", token, json!({"name": "Mercearia"})).await;
        assert_eq!(status, StatusCode::CREATED, "{category}");
        let body = json!({"name": "Café", "price": price, "stock": stock, "category_id": category["id"]});
        let (status, product) = self.post("/api/products", token, body).await;
        assert_eq!(status, StatusCode::CREATED, "{product}");
        product["id"].as_i64().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Whatever is left of the group (a shell's server outlives the shell).
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The UI page and the API answer as a browser and a client would see them.
async fn assert_serves_api_and_ui(server: &Server, forwarded_proto: &str) {
    let get = |path: &str| server.client.get(server.url(path)).header("x-forwarded-proto", forwarded_proto).send();
    let info = get("/api/info").await.unwrap();
    assert_eq!(info.status(), StatusCode::OK);
    assert_eq!(info.json::<Value>().await.unwrap()["name"], "Sistema de Vendas");
    for page in ["/", "/pdv"] {
        let response = get(page).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{page}");
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        assert!(response.text().await.unwrap().contains("Sistema de Vendas"), "{page}");
    }
    assert_eq!(get("/readyz").await.unwrap().status(), StatusCode::OK);
}

fn run(mut command: Command) -> (ExitStatus, String) {
    let output = command.stdin(Stdio::null()).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status, text)
}

#[tokio::test]
async fn the_procfile_commands_serve_the_api_and_the_ui_with_herokus_environment() {
    let (database_url, _database) = fresh_database().await;
    let port = free_port();
    // Heroku's config vars: app.json's (secrets generated, the admin password typed), PORT, the
    // add-on's DATABASE_URL, and the app's address as docs/deploy.md says to set it.
    let mut env = platform_env(&heroku_env(), &[("ADMIN_PASSWORD", ADMIN_PASSWORD)]);
    env.extend(pairs(&[
        ("PORT", &port.to_string()),
        ("DATABASE_URL", &database_url),
        ("PUBLIC_URL", "https://loja.herokuapp.com"),
    ]));
    let procfile = procfile();

    // Heroku runs Procfile commands with a shell.
    let (status, output) = run(command("sh", &["-c", &procfile["release"]], &env));
    assert!(status.success(), "release: {output}");

    let server = Server::start(command("sh", &["-c", &procfile["web"]], &env), port).await;
    assert_serves_api_and_ui(&server, "https").await;
    let response =
        server.client.get(server.url("/api/info")).header("x-forwarded-proto", "https").send().await.unwrap();
    assert_eq!(response.headers()["strict-transport-security"], "max-age=31536000");
    // FORCE_HTTPS (app.json): a plain-HTTP visit is sent to the app's HTTPS address, whatever
    // host it named.
    for host in ["loja.herokuapp.com", "evil.example"] {
        let response = server.client.get(server.url("/vendas")).header("host", host).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::PERMANENT_REDIRECT, "{host}");
        assert_eq!(response.headers()["location"], "https://loja.herokuapp.com/vendas", "{host}");
    }
    server.token("admin", ADMIN_PASSWORD).await;
}

/// The Procfile's command runs under a shell; stopping the server must stop what the shell
/// started too, or every test run leaves a server behind.
#[tokio::test]
async fn a_server_started_through_a_shell_is_gone_once_dropped() {
    let (database_url, _database) = fresh_database().await;
    let port = free_port();
    let env = pairs(&[("PORT", &port.to_string()), ("DATABASE_URL", &database_url), ("BCRYPT_COST", "4")]);
    let server = Server::start(command("sh", &["-c", &procfile()["web"]], &env), port).await;
    let url = server.url("/healthz");
    drop(server);
    let deadline = Instant::now() + Duration::from_secs(10);
    while reqwest::get(&url).await.is_ok() {
        assert!(Instant::now() < deadline, "the server outlived its shell: still answering on port {port}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn the_dockerfile_command_and_health_check_work_with_the_images_environment() {
    let (database_url, _database) = fresh_database().await;
    let runtime = dockerfile().pop().unwrap();
    let port = free_port();
    // The image's ENV, then what DigitalOcean / AWS set on top (PORT included).
    let mut env = runtime.env();
    let typed = [
        ("JWT_SECRET_KEY", JWT_SECRET),
        ("SECRET_KEY", SECRET_KEY),
        ("ADMIN_PASSWORD", ADMIN_PASSWORD),
        ("DATABASE_URL", &database_url),
        ("CORS_ORIGINS", "https://loja.example.com"),
    ];
    env.extend(platform_env(&digitalocean_env(), &typed));
    env.extend(pairs(&[("PORT", &port.to_string())]));
    let cmd = runtime.exec_form("CMD");
    let healthcheck = runtime.exec_form("HEALTHCHECK");
    let args: Vec<&str> = cmd[1..].iter().map(String::as_str).collect();

    let mut server = Server::start(command(&cmd[0], &args, &env), port).await;
    assert_serves_api_and_ui(&server, "https").await;
    server.token("admin", ADMIN_PASSWORD).await;
    let check: Vec<&str> = healthcheck[1..].iter().map(String::as_str).collect();
    let (status, output) = run(command(&healthcheck[0], &check, &env));
    assert!(status.success(), "health check of a running server: {output}");

    server.signal("TERM");
    assert!(server.wait_exit(Duration::from_secs(30)).await.success(), "{}", server.output());
    let (status, _) = run(command(&healthcheck[0], &check, &env));
    assert!(!status.success(), "health check of a stopped server must fail");
}

#[tokio::test]
async fn production_logs_are_json_lines_with_the_request_id_and_never_a_secret() {
    let (database_url, _database) = fresh_database().await;
    // A password in the database URL (PostgreSQL's trust authentication never asks for it).
    let database_url = database_url.replacen("postgres://postgres@", "postgres://postgres:pg-s3nha-secreta@", 1);
    let port = free_port();
    let env = pairs(&[
        ("APP_ENV", "production"),
        ("PORT", &port.to_string()),
        ("HOST", "127.0.0.1"),
        ("DATABASE_URL", &database_url),
        ("JWT_SECRET_KEY", JWT_SECRET),
        ("SECRET_KEY", SECRET_KEY),
        ("ADMIN_PASSWORD", ADMIN_PASSWORD),
        ("BCRYPT_COST", "4"),
        ("RUST_LOG", "debug"),
    ]);
    let mut server = Server::start(command(BINARY, &["serve"], &env), port).await;
    let tried = "tentativa-errada-secreta";
    assert_eq!(server.login("admin", tried).await.status(), StatusCode::UNAUTHORIZED);
    let token = server.token("admin", ADMIN_PASSWORD).await;
    let response = server
        .client
        .get(server.url("/api/nada"))
        .bearer_auth(&token)
        .header("x-request-id", "req-teste-42")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "req-teste-42");
    server.signal("TERM");
    assert!(server.wait_exit(Duration::from_secs(30)).await.success());

    let output = server.output();
    let lines: Vec<Value> = output
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not a JSON line: {l}")))
        .collect();
    let of_request: Vec<&Value> = lines.iter().filter(|l| l["span"]["request_id"] == "req-teste-42").collect();
    assert!(!of_request.is_empty(), "{output}");
    assert!(of_request.iter().any(|l| l["status"] == 404 && l["span"]["route"] == "/api/{*rest}"), "{output}");
    // Every line written while answering a request carries its id.
    for line in &lines {
        if line.get("status").is_some() || line.get("latency").is_some() {
            assert!(line["span"]["request_id"].as_str().is_some_and(|id| !id.is_empty()), "{line}");
        }
    }
    for secret in [JWT_SECRET, SECRET_KEY, ADMIN_PASSWORD, tried, "pg-s3nha-secreta", token.as_str()] {
        assert!(!output.contains(secret), "a secret is in the logs:\n{output}");
    }
}

#[tokio::test]
async fn development_logs_are_readable_lines_with_the_request_id() {
    let (database_url, _database) = fresh_database().await;
    let port = free_port();
    let env = pairs(&[("PORT", &port.to_string()), ("DATABASE_URL", &database_url), ("BCRYPT_COST", "4")]);
    let mut server = Server::start(command(BINARY, &[], &env), port).await;
    server.client.get(server.url("/api/info")).header("x-request-id", "dev-7").send().await.unwrap();
    server.signal("TERM");
    server.wait_exit(Duration::from_secs(30)).await;
    let output = server.output();
    let line = output.lines().find(|l| l.contains("request_id=dev-7")).unwrap_or_else(|| panic!("{output}"));
    assert!(!line.trim_start().starts_with('{'), "{line}");
    assert!(line.contains("route=/api/info") && line.contains("status=200"), "{line}");
}

/// A sale as the client saw it.
enum Outcome {
    Sold {
        id: i64,
        total_cents: i64,
    },
    Refused,
    /// No answer: the connection was refused (the sale was not sent), or closed by the shutdown
    /// (it may or may not have been written).
    Unknown {
        connection_refused: bool,
    },
}

struct Stored {
    sales: HashMap<i64, i64>,
    /// Per sale: (sum of items' subtotals, units).
    items: HashMap<i64, (i64, i64)>,
    stock: i64,
}

async fn stored(database_url: &str, product: i64) -> Stored {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(database_url).await.unwrap();
    let sales: Vec<(i64, i64)> = sqlx::query_as("SELECT id, total_cents FROM sales").fetch_all(&pool).await.unwrap();
    let items: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT sale_id, CAST(SUM(quantity * price_cents) AS BIGINT), CAST(SUM(quantity) AS BIGINT) \
         FROM sale_items GROUP BY sale_id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let stock: i64 =
        sqlx::query_scalar("SELECT stock FROM products WHERE id = $1").bind(product).fetch_one(&pool).await.unwrap();
    pool.close().await;
    Stored {
        sales: sales.into_iter().collect(),
        items: items.into_iter().map(|(sale, amount, units)| (sale, (amount, units))).collect(),
        stock,
    }
}

#[tokio::test]
async fn sigterm_during_a_sales_load_keeps_every_answered_sale_and_no_half_sale() {
    stopped_during_a_sales_load("TERM").await;
}

/// SIGKILL gives the process no chance to finish anything: what made it to the database before
/// each 201 must be enough (on SQLite, the write-ahead log in the operating system's hands).
#[tokio::test]
async fn a_killed_process_keeps_every_answered_sale_and_no_half_sale() {
    stopped_during_a_sales_load("KILL").await;
}

/// Eight sellers selling until the server gets `signal`; then every sale answered 201 is stored
/// as answered, none is half-written, and the stock went down by exactly the units stored.
async fn stopped_during_a_sales_load(signal: &str) {
    let (database_url, _database) = fresh_database().await;
    let port = free_port();
    let env = pairs(&[
        ("PORT", &port.to_string()),
        ("HOST", "127.0.0.1"),
        ("DATABASE_URL", &database_url),
        ("BCRYPT_COST", "4"),
    ]);
    let mut server = Server::start(command(BINARY, &["serve"], &env), port).await;
    let token = server.token("admin", "admin123").await;
    const STOCK: i64 = 1_000_000;
    let product = server.product(&token, "1.25", STOCK).await;

    let terminated = Arc::new(AtomicBool::new(false));
    let sold = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let sellers: Vec<_> = (0..8)
        .map(|seller| {
            let (client, url, token) = (reqwest::Client::new(), server.url("/api/sales"), token.clone());
            let (terminated, sold) = (terminated.clone(), sold.clone());
            tokio::spawn(async move {
                let mut outcomes = Vec::new();
                for n in 0.. {
                    let quantity = 1 + (seller + n) % 3;
                    let body = json!({"items": [{"product_id": product, "quantity": quantity}]});
                    let outcome = match client.post(&url).bearer_auth(&token).json(&body).send().await {
                        Ok(response) if response.status() == StatusCode::CREATED => {
                            match response.json::<Value>().await {
                                Ok(sale) => {
                                    sold.fetch_add(1, Ordering::SeqCst);
                                    let total = helpers::cents(&sale["total_amount"]);
                                    Outcome::Sold { id: sale["id"].as_i64().unwrap(), total_cents: total }
                                }
                                Err(_) => Outcome::Unknown { connection_refused: false },
                            }
                        }
                        Ok(_) => Outcome::Refused,
                        Err(error) => Outcome::Unknown { connection_refused: error.is_connect() },
                    };
                    let unanswered = matches!(outcome, Outcome::Unknown { .. });
                    outcomes.push(outcome);
                    if unanswered {
                        assert!(terminated.load(Ordering::SeqCst), "a sale failed before the signal");
                        break;
                    }
                }
                outcomes
            })
        })
        .collect();

    let deadline = Instant::now() + Duration::from_secs(60);
    while sold.load(Ordering::SeqCst) < 200 {
        assert!(Instant::now() < deadline, "the load did not get going");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    terminated.store(true, Ordering::SeqCst);
    server.signal(signal);
    let status = server.wait_exit(Duration::from_secs(30)).await;
    // SIGTERM: a clean exit once the requests in flight are done; SIGKILL: no exit of its own.
    assert_eq!(status.success(), signal == "TERM", "exit after SIG{signal}: {status}\n{}", server.output());
    let mut outcomes = Vec::new();
    for seller in sellers {
        outcomes.extend(seller.await.unwrap());
    }

    let stored = stored(&database_url, product).await;
    let answered: HashMap<i64, i64> = outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Sold { id, total_cents } => Some((*id, *total_cents)),
            _ => None,
        })
        .collect();
    let unknown = outcomes.iter().filter(|o| matches!(o, Outcome::Unknown { .. })).count();
    if signal == "TERM" {
        // Every sale sent before the process stopped was answered; the rest were not sent.
        let cut_off = outcomes.iter().filter(|o| matches!(o, Outcome::Unknown { connection_refused: false })).count();
        assert_eq!(cut_off, 0, "sales cut off by SIGTERM, answered neither way");
    }
    assert!(outcomes.iter().all(|o| !matches!(o, Outcome::Refused)), "no sale was refused");
    for (id, total) in &answered {
        assert_eq!(stored.sales.get(id), Some(total), "sale {id} got a 201 and must be stored as answered");
    }
    assert!(stored.sales.len() <= answered.len() + unknown, "only sales that were sent are stored");
    if signal == "TERM" {
        assert_eq!(stored.sales.len(), answered.len(), "after SIGTERM, the sales stored are those answered 201");
    }
    let mut units = 0;
    for (id, total) in &stored.sales {
        let (amount, sale_units) = stored.items.get(id).copied().unwrap_or_else(|| panic!("sale {id} without items"));
        assert_eq!(amount, *total, "sale {id}: items add up to the total");
        units += sale_units;
    }
    assert_eq!(stored.items.len(), stored.sales.len(), "no items without a sale");
    assert_eq!(STOCK - stored.stock, units, "the stock went down by exactly the units stored");
    eprintln!("{} vendas respondidas 201, {unknown} sem resposta, {} gravadas", answered.len(), stored.sales.len());
}

const A_REQUEST: &[u8] = b"GET /api/info HTTP/1.1\r\nHost: loja\r\n\r\n";

/// `sistema-vendas serve` with the development defaults on a fresh database.
async fn development_server() -> (Server, helpers::TestDatabase) {
    let (database_url, database) = fresh_database().await;
    let port = free_port();
    let env = pairs(&[("PORT", &port.to_string()), ("HOST", "127.0.0.1"), ("DATABASE_URL", &database_url)]);
    (Server::start(command(BINARY, &["serve"], &env), port).await, database)
}

/// A request that had begun to arrive when SIGTERM came, and one sent on an idle keep-alive
/// connection just after it, are answered (and their connections closed) before the process
/// exits; new connections are refused.
#[tokio::test]
async fn sigterm_answers_requests_arriving_on_open_connections_and_refuses_new_ones() {
    let (mut server, _database) = development_server().await;
    let address = format!("127.0.0.1:{}", server.port);
    let mut arriving = TcpStream::connect(&address).await.unwrap();
    let mut idle = TcpStream::connect(&address).await.unwrap();
    for stream in [&mut arriving, &mut idle] {
        stream.write_all(A_REQUEST).await.unwrap();
        let response = helpers::read_response(stream).await;
        assert!(response.starts_with("HTTP/1.1 200"), "{response:?}");
    }
    let (head, rest) = A_REQUEST.split_at(A_REQUEST.len() - 2);
    arriving.write_all(head).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;

    server.signal("TERM");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(TcpStream::connect(&address).await.is_err(), "a new connection is refused");
    arriving.write_all(rest).await.unwrap();
    idle.write_all(A_REQUEST).await.unwrap();
    for (name, stream) in [("arriving", &mut arriving), ("idle", &mut idle)] {
        let response = helpers::read_response(stream).await;
        assert!(response.starts_with("HTTP/1.1 200"), "{name}: {response:?}\n{}", server.output());
        assert!(response.to_ascii_lowercase().contains("connection: close"), "{name}: {response}");
    }
    assert!(server.wait_exit(Duration::from_secs(10)).await.success(), "{}", server.output());
}

/// Clients sending requests one after the other on keep-alive connections, some with pauses
/// between them, when SIGTERM comes: each request gets its whole answer, or its connection is
/// refused; none is cut off.
#[tokio::test]
async fn sigterm_under_a_keep_alive_load_answers_every_request_or_refuses_the_connection() {
    let (mut server, _database) = development_server().await;
    let answered = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let clients: Vec<_> = (0..16u64)
        .map(|n| {
            let (url, answered) = (server.url("/api/info"), answered.clone());
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                for round in 0u64.. {
                    match client.get(&url).send().await {
                        Ok(response) => match response.bytes().await {
                            Ok(_) => answered.fetch_add(1, Ordering::SeqCst),
                            Err(error) => return Err(format!("answer cut off: {error:?}")),
                        },
                        Err(error) if error.is_connect() => return Ok(()),
                        Err(error) => return Err(format!("{error:?}")),
                    };
                    if n % 2 == 1 {
                        tokio::time::sleep(Duration::from_micros((n * 131 + round * 17) % 2000)).await;
                    }
                }
                Ok(())
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    while answered.load(Ordering::SeqCst) < 1000 {
        assert!(Instant::now() < deadline, "the load did not get going");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let before = answered.load(Ordering::SeqCst);
    server.signal("TERM");
    let status = server.wait_exit(Duration::from_secs(30)).await;
    let mut failures = Vec::new();
    for client in clients {
        if let Err(failure) = client.await.unwrap() {
            failures.push(failure);
        }
    }
    let after = answered.load(Ordering::SeqCst) - before;
    eprintln!("{before} respostas antes do SIGTERM, {after} depois; {} cortadas", failures.len());
    assert!(failures.is_empty(), "requests cut off by the shutdown: {failures:#?}\n{}", server.output());
    assert!(status.success(), "{}", server.output());
}

#[tokio::test]
async fn two_processes_on_one_database_never_sell_more_than_the_stock() {
    let (database_url, _database) = fresh_database().await;
    let start = |port: u16| {
        let env = pairs(&[("PORT", &port.to_string()), ("DATABASE_URL", &database_url), ("BCRYPT_COST", "4")]);
        Server::start(command(BINARY, &["serve"], &env), port)
    };
    let first = start(free_port()).await;
    let second = start(free_port()).await;
    let token = first.token("admin", "admin123").await;
    const STOCK: i64 = 40;
    let product = first.product(&token, "2.50", STOCK).await;

    // 160 attempts in 10 waves of 16, half through each process. One big burst let one process
    // keep SQLite's write lock until the stock was gone (the other polls for it), which proved
    // nothing about the second; in waves, every wave contends across the two processes, the
    // first two have stock for all 16 (so both sell), and the third has 16 for the last 8 units.
    let mut results = Vec::new();
    for _wave in 0..10 {
        let attempts = (0..16).map(|n| {
            let server = if n % 2 == 0 { &first } else { &second };
            let body = json!({"items": [{"product_id": product, "quantity": 1}]});
            let token = token.clone();
            async move { (n % 2, server.post("/api/sales", &token, body).await) }
        });
        results.extend(futures_util::future::join_all(attempts).await);
    }
    let mut sold_by = [0, 0];
    for (instance, (status, body)) in &results {
        match *status {
            StatusCode::CREATED => sold_by[*instance] += 1,
            StatusCode::BAD_REQUEST => {
                assert!(body["error"].as_str().unwrap().starts_with("Estoque insuficiente"), "{body}")
            }
            other => panic!("{other}: {body}"),
        }
    }
    assert_eq!(sold_by[0] + sold_by[1], STOCK, "exactly the stock was sold: {sold_by:?}");
    assert!(sold_by.iter().all(|n| *n > 0), "both instances sold: {sold_by:?}");
    for server in [&first, &second] {
        let (_, body) = server.get(&format!("/api/products/{product}"), &token).await;
        assert_eq!(body["stock"], 0);
        // No instance shows stale totals after the other's sales.
        let (_, summary) = server.get("/api/sales/reports/summary", &token).await;
        assert_eq!(summary["total_count"], STOCK);
        assert_eq!(helpers::cents(&summary["total_sales"]), STOCK * 250);
    }
    let stored = stored(&database_url, product).await;
    assert_eq!(stored.items.values().map(|(_, units)| units).sum::<i64>(), STOCK);
}

fn cli(args: &[&str], env: &[(String, String)], stdin: Option<&str>) -> (ExitStatus, String) {
    let mut command = command(BINARY, args, env);
    let mut child = command
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    let output = child.wait_with_output().unwrap();
    (output.status, format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr)))
}

#[tokio::test]
async fn create_admin_and_reset_password_work_from_scripts() {
    let (database_url, _database) = fresh_database().await;
    let env = pairs(&[("DATABASE_URL", &database_url), ("BCRYPT_COST", "4")]);
    let with = |extra: &[(&str, &str)]| [env.clone(), pairs(extra)].concat();

    let (status, output) =
        cli(&["create-admin", "--username", "gerente", "--password-stdin"], &env, Some("Gerente-Forte-1\n"));
    assert!(status.success(), "{output}");
    assert!(output.contains("Administrador \"gerente\" criado"), "{output}");
    let (status, output) = cli(&["create-admin", "--username", "gerente", "--password", "Outra-Senha-22"], &env, None);
    assert!(!status.success() && output.contains("já existe") && output.contains("reset-password"), "{output}");
    for (password, expected) in [("123", "pelo menos 6"), ("admin123", "senha padrão conhecida")] {
        let (status, output) = cli(&["reset-password", "-u", "gerente", "--password", password], &env, None);
        assert!(!status.success() && output.contains(expected), "{password}: {output}");
    }
    let (status, output) = cli(&["reset-password", "-u", "ninguem", "--password", "Senha-Boa-33"], &env, None);
    assert!(!status.success() && output.contains("não encontrado"), "{output}");
    let (status, output) = cli(&["reset-password", "-u", "gerente"], &env, None);
    assert!(!status.success() && output.contains("--password-stdin"), "no terminal, no password: {output}");
    let (status, output) = cli(&["reset-password", "-u", "gerente"], &with(&[("NEW_PASSWORD", "Nova-Senha-44")]), None);
    assert!(status.success() && output.contains("sessões abertas foram encerradas"), "{output}");
    assert!(!output.contains("Nova-Senha-44"));

    let port = free_port();
    let server = Server::start(command(BINARY, &["serve"], &with(&[("PORT", &port.to_string())])), port).await;
    assert_eq!(server.login("gerente", "Gerente-Forte-1").await.status(), StatusCode::UNAUTHORIZED);
    let token = server.token("gerente", "Nova-Senha-44").await;
    let (status, me) = server.get("/api/auth/me", &token).await;
    assert_eq!((status, me["role"].as_str()), (StatusCode::OK, Some("admin")));
}

#[tokio::test]
async fn production_refuses_the_default_admin_password_until_it_is_reset() {
    let (database_url, _database) = fresh_database().await;
    let port = free_port();
    let dev = pairs(&[("DATABASE_URL", &database_url), ("BCRYPT_COST", "4"), ("PORT", &port.to_string())]);
    // The shop ran in development: admin / admin123.
    let mut server = Server::start(command(BINARY, &["serve"], &dev), port).await;
    server.signal("TERM");
    server.wait_exit(Duration::from_secs(30)).await;

    let production =
        [dev.clone(), pairs(&[("APP_ENV", "production"), ("JWT_SECRET_KEY", JWT_SECRET), ("SECRET_KEY", SECRET_KEY)])]
            .concat();
    let (status, output) = cli(&["serve"], &production, None);
    assert!(!status.success(), "{output}");
    assert!(output.contains("\"admin\" ainda usa uma senha padrão conhecida"), "{output}");
    let (status, output) = cli(&["check"], &production, None);
    assert!(!status.success() && output.contains("[falha] o administrador \"admin\""), "{output}");

    let (status, output) =
        cli(&["reset-password", "--username", "admin", "--password-stdin"], &production, Some("Caixa-Nova-2026\n"));
    assert!(status.success(), "{output}");
    let server = Server::start(command(BINARY, &["serve"], &production), port).await;
    server.token("admin", "Caixa-Nova-2026").await;
}

#[tokio::test]
async fn check_prints_the_settings_masked_and_finds_what_is_wrong() {
    let (database_url, _database) = fresh_database().await;
    let good = pairs(&[
        ("APP_ENV", "production"),
        ("DATABASE_URL", &database_url),
        ("JWT_SECRET_KEY", JWT_SECRET),
        ("SECRET_KEY", SECRET_KEY),
        ("ADMIN_PASSWORD", ADMIN_PASSWORD),
        ("REDIS_URL", "redis://127.0.0.1:6379"),
    ]);
    if let Some(path) = database_url.strip_prefix("sqlite://") {
        // A check creates nothing: a SQLite file that does not exist yet is only mentioned.
        let (status, output) = cli(&["check"], &good, None);
        assert!(status.success() && output.contains("ainda não existe: será criado ao iniciar"), "{output}");
        assert!(!Path::new(path).exists());
    }
    let (status, output) = cli(&["migrate"], &good, None);
    assert!(status.success(), "{output}");
    let (status, output) = cli(&["check"], &good, None);
    assert!(status.success(), "{output}");
    for expected in [
        "APP_ENV",
        "production",
        "JWT_SECRET_KEY",
        "<definido, 48 caracteres>",
        "[ok]    banco de dados conectado",
        "[ok]    Redis acessível",
        "Tudo certo.",
    ] {
        assert!(output.contains(expected), "{expected}: {output}");
    }
    let sqlite = database_url.starts_with("sqlite");
    assert!(output.contains(if sqlite { "SQLite 3." } else { "PostgreSQL" }), "{output}");
    if sqlite {
        // The durability, read back from a connection: NORMAL unless SQLITE_SYNCHRONOUS=full.
        assert!(output.contains("synchronous = NORMAL"), "{output}");
        let full = [good.clone(), pairs(&[("SQLITE_SYNCHRONOUS", "FULL")])].concat();
        let (status, output) = cli(&["check"], &full, None);
        assert!(status.success() && output.contains("synchronous = FULL"), "{output}");
    }
    for secret in [JWT_SECRET, SECRET_KEY, ADMIN_PASSWORD] {
        assert!(!output.contains(secret), "{output}");
    }

    let bad = pairs(&[
        ("APP_ENV", "production"),
        ("DATABASE_URL", "postgres://vendas:s3nha-do-banco@127.0.0.1:1/vendas"),
        ("DB_ACQUIRE_TIMEOUT", "1"),
        ("JWT_SECRET_KEY", "curta"),
        ("REDIS_URL", "redis://:s3nha-do-redis@127.0.0.1:1"),
    ]);
    let (status, output) = cli(&["check"], &bad, None);
    assert!(!status.success(), "{output}");
    for expected in [
        "postgres://vendas:***@127.0.0.1:1/vendas",
        "[falha] JWT_SECRET_KEY fraco",
        "[falha] SECRET_KEY não definido",
        "[falha] banco de dados",
        "[falha] não foi possível conectar ao Redis em redis://:***@127.0.0.1:1",
        "problema(s) encontrado(s)",
    ] {
        assert!(output.contains(expected), "{expected}: {output}");
    }
    for secret in ["s3nha-do-banco", "s3nha-do-redis", "curta"] {
        assert!(!output.contains(secret), "{secret}: {output}");
    }
    let seen: HashSet<&str> = output.lines().filter(|l| l.starts_with("[falha]")).collect();
    assert_eq!(seen.len(), 4, "{output}");
}
