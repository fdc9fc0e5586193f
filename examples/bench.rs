//! The benchmark: seeds a shop into a fresh database (1,000 products and 100,000 sales with
//! 300,000 items by default), starts the release server on it as a shop would run it, and
//! measures throughput and p50/p99 latency of the main endpoints with a load generator in this
//! process, on the same machine. On PostgreSQL it also runs the sale transaction as raw SQL with
//! pgbench, to show what the HTTP layer costs. `scripts/bench` runs it on both databases; the
//! figures are in docs/performance.md.
//!
//!     cargo run --release --example bench -- --database sqlite
//!     cargo run --release --example bench -- --database postgres --pgbench

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use clap::{Parser, ValueEnum};
use serde_json::{Value, json};
use sistema_vendas::app::passwords;
use sistema_vendas::config::Config;
use sistema_vendas::db::schema::BarcodeRow;
use sistema_vendas::domain::barcode::check_digit;
use sistema_vendas::domain::time::{BusinessCalendar, Timestamp};
use sistema_vendas::transfer::dataset::{CategoryRow, Dataset, ProductRow, SaleItemRow, SaleRow, UserRow};
use sistema_vendas::transfer::demo::Rng;
use sistema_vendas::transfer::load::{LoadOptions, load_into};
use sqlx::{Connection, PgConnection};
use tokio::process::{Child, Command};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Database {
    Sqlite,
    Postgres,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum, Debug)]
enum Scenario {
    ListProducts,
    SearchProducts,
    ListSales,
    Summary,
    CreateSale,
    /// A scanned barcode, as the PDV looks up one it does not have in its index.
    Scan,
    /// The whole active catalog in one answer, as the PDV loads it when it opens.
    PdvCatalog,
    /// Product pages with a sale every tenth request: each sale changes the catalog (stock), so
    /// pages kept in memory keep being computed again, as at a busy till.
    ProductsWhileSelling,
    /// `GET /api/reports/sales`, measured once per grouping, each request a random period of
    /// one day to twelve months within the last year.
    Reports,
    /// The whole sales export, CSV and then XLSX, once each: rows per second, and how much the
    /// server's resident memory grows while it runs.
    Export,
    /// 1,000 sales made at a terminal without connection, sent as the PDV's queue sends them
    /// when the server is back: one at a time, oldest first, on one connection; then all sent
    /// again, as when every reply was lost.
    OfflineSync,
}

/// The groupings of the reports.
const GROUPS: [&str; 8] = ["day", "week", "month", "hour", "employee", "product", "category", "payment_method"];

impl Scenario {
    const ALL: [Scenario; 11] = [
        Scenario::ListProducts,
        Scenario::SearchProducts,
        Scenario::Scan,
        Scenario::PdvCatalog,
        Scenario::ListSales,
        Scenario::Summary,
        Scenario::CreateSale,
        Scenario::ProductsWhileSelling,
        Scenario::Reports,
        Scenario::Export,
        Scenario::OfflineSync,
    ];

    fn label(self) -> &'static str {
        match self {
            Scenario::ListProducts => "listar produtos (50 por página)",
            Scenario::SearchProducts => "buscar produtos",
            Scenario::Scan => "ler código de barras (lookup)",
            Scenario::PdvCatalog => "catálogo do PDV (todos os produtos ativos)",
            Scenario::ListSales => "listar vendas (20 por página, com itens)",
            Scenario::Summary => "resumo (relatório)",
            Scenario::CreateSale => "criar venda (3 itens)",
            Scenario::ProductsWhileSelling => "listar produtos, 1 venda a cada 10 requisições",
            Scenario::Reports => "relatório de vendas",
            Scenario::Export => "exportação de vendas",
            Scenario::OfflineSync => "sincronizar 1.000 vendas feitas sem conexão",
        }
    }

    /// What the first version reached on this kind of machine (2 gunicorn workers, SQLite,
    /// 100,000 sales), in requests per second; the mixed load was not measured there.
    fn first_version_rps(self) -> Option<f64> {
        match self {
            Scenario::ListProducts => Some(430.0),
            Scenario::SearchProducts => Some(380.0),
            Scenario::Scan | Scenario::PdvCatalog | Scenario::Reports | Scenario::Export | Scenario::OfflineSync => {
                None
            }
            Scenario::ListSales => Some(7.5),
            Scenario::Summary => Some(12.7),
            Scenario::CreateSale => Some(51.0),
            Scenario::ProductsWhileSelling => None,
        }
    }
}

#[derive(Parser)]
struct Args {
    #[arg(long, value_enum, default_value = "sqlite")]
    database: Database,
    /// A PostgreSQL server where the benchmark creates its own database (dropped at the end).
    #[arg(long, env = "TEST_DATABASE_URL", default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
    postgres_server: String,
    #[arg(long, default_value_t = 1_000)]
    products: i64,
    #[arg(long, default_value_t = 100_000)]
    sales: i64,
    /// Seconds each scenario is measured, after a warm-up of 2 seconds.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Requests in flight at once (one keep-alive connection each).
    #[arg(long, default_value_t = 16)]
    connections: usize,
    /// Only these scenarios (comma-separated); all by default.
    #[arg(long, value_enum, value_delimiter = ',')]
    only: Vec<Scenario>,
    /// Also run the sale transaction as raw SQL with pgbench (PostgreSQL only).
    #[arg(long)]
    pgbench: bool,
    /// Keeps the seeded database under this name (a SQLite file, or a PostgreSQL database on
    /// `--postgres-server`) and uses it as it is when it exists: repeated measurements without
    /// seeding again. The products and sales options must be the ones it was seeded with.
    #[arg(long)]
    reuse: Option<String>,
    /// The server binary (build it with `cargo build --release`).
    #[arg(long, default_value = "target/release/sistema-vendas")]
    binary: PathBuf,
}

/// The seeded shop's password for every user.
const PASSWORD: &str = "bench-senha-123";
const EMPLOYEES: i64 = 5;
const CATEGORIES: i64 = 10;
/// The product words of the seeded catalog; searches look for them without accents.
const WORDS: [&str; 20] = [
    "Café",
    "Açúcar",
    "Feijão",
    "Arroz",
    "Macarrão",
    "Óleo",
    "Leite",
    "Pão",
    "Sabão",
    "Detergente",
    "Biscoito",
    "Farinha",
    "Manteiga",
    "Queijo",
    "Presunto",
    "Maçã",
    "Banana",
    "Limão",
    "Suco",
    "Refrigerante",
];
const SEARCHES: [&str; 20] = [
    "cafe",
    "acucar",
    "feijao",
    "arroz",
    "macarrao",
    "oleo",
    "leite",
    "pao",
    "sabao",
    "detergente",
    "biscoito",
    "farinha",
    "manteiga",
    "queijo",
    "presunto",
    "maca",
    "banana",
    "limao",
    "suco",
    "refrigerante",
];

/// The EAN-13 of the seeded product `id`.
fn barcode(id: i64) -> String {
    let payload = format!("789{id:09}");
    format!("{payload}{}", check_digit(&payload))
}

/// Three different products, one from each third of the catalog, in id order (as pgbench's
/// script picks them).
fn three_products(rng: &mut Rng, products: i64) -> [i64; 3] {
    let third = products / 3;
    [rng.between(1, third), rng.between(third + 1, 2 * third), rng.between(2 * third + 1, products)]
}

async fn shop(products: i64, sales: i64) -> anyhow::Result<Dataset> {
    let mut rng = Rng(2026);
    let now = Timestamp::now();
    let year_ago = Timestamp::from_micros(now.micros() - 365 * 24 * 3600 * 1_000_000);
    let hash = passwords::hash(PASSWORD.to_string(), 10).await?;
    let mut data = Dataset::default();
    for id in 1..=EMPLOYEES + 1 {
        data.users.push(UserRow {
            id,
            username: if id == 1 { "admin".into() } else { format!("caixa{}", id - 1) },
            password_hash: hash.clone(),
            role: if id == 1 { "admin".into() } else { "funcionario".into() },
            session_version: 0,
            created_at: year_ago,
            deactivated_at: None,
            deleted_at: None,
        });
    }
    for id in 1..=CATEGORIES {
        data.categories.push(CategoryRow { id, name: format!("Categoria {id}"), created_at: year_ago });
    }
    for id in 1..=products {
        let word = WORDS[(id as usize) % WORDS.len()];
        data.products.push(ProductRow {
            id,
            name: format!("{word} tipo {} {}g", id % 7 + 1, 100 * (id % 10 + 1)),
            code: Some(format!("789{id:010}")),
            description: None,
            price_cents: rng.between(100, 9_999),
            stock: 1_000_000,
            min_stock: 5,
            category_id: Some(id % CATEGORIES + 1),
            created_at: year_ago,
            updated_at: year_ago,
            archived_at: None,
            ..ProductRow::sold_in_units()
        });
        let code = barcode(id);
        data.product_barcodes.push(BarcodeRow {
            id,
            product_id: id,
            gtin: format!("{code:0>14}"),
            barcode: code,
            live: 1,
        });
    }
    // Sales spread evenly over the last year, oldest first.
    let step = (now.micros() - year_ago.micros()) / sales.max(1);
    for id in 1..=sales {
        let mut total = 0;
        for product_id in three_products(&mut rng, products) {
            let product = &data.products[(product_id - 1) as usize];
            let quantity = rng.between(1, 3);
            total += quantity * product.price_cents;
            let item_id = data.sale_items.len() as i64 + 1;
            data.sale_items.push(SaleItemRow {
                // A known cost (60% of the price), so that the reports compute margins.
                cost_cents: Some(product.price_cents * 6 / 10),
                ..SaleItemRow::plain(item_id, id, product_id, product.name.clone(), quantity, product.price_cents)
            });
        }
        let method = ["dinheiro", "debito", "credito", "pix"][rng.between(0, 3) as usize];
        let at = Timestamp::from_micros(year_ago.micros() + id * step);
        data.sales.push(SaleRow::plain(id, rng.between(1, EMPLOYEES + 1), total, Some(method.into()), at));
    }
    Ok(data)
}

/// The database the benchmark runs on: a SQLite file in a temporary directory, or its own
/// PostgreSQL database.
struct BenchDatabase {
    url: String,
    _dir: tempfile::TempDir,
    postgres: Option<(String, String)>,
}

impl BenchDatabase {
    /// The database, and whether it still has to be seeded.
    async fn create(args: &Args) -> anyhow::Result<(BenchDatabase, bool)> {
        let dir = tempfile::tempdir()?;
        if args.database == Database::Sqlite {
            let path = match &args.reuse {
                Some(path) => PathBuf::from(path),
                None => dir.path().join("bench.db"),
            };
            let seed = !path.exists();
            let url = format!("sqlite://{}", path.display());
            return Ok((BenchDatabase { url, _dir: dir, postgres: None }, seed));
        }
        let name = args.reuse.clone().unwrap_or_else(|| format!("sv_bench_{}", std::process::id()));
        let mut admin = PgConnection::connect(&args.postgres_server).await.context("PostgreSQL indisponível")?;
        let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(&name)
            .fetch_one(&mut admin)
            .await?;
        if !exists {
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut admin).await?;
        }
        let (base, _) = args.postgres_server.rsplit_once('/').context("URL do PostgreSQL sem banco")?;
        let url = format!("{base}/{name}");
        let postgres = args.reuse.is_none().then(|| (args.postgres_server.clone(), name));
        Ok((BenchDatabase { url, _dir: dir, postgres }, !exists))
    }

    async fn drop(self) -> anyhow::Result<()> {
        if let Some((server, name)) = self.postgres {
            let mut admin = PgConnection::connect(&server).await?;
            sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                .execute(&mut admin)
                .await?;
        }
        Ok(())
    }
}

struct Server {
    child: Child,
    base: String,
    started_in: Duration,
}

impl Server {
    async fn start(binary: &Path, database_url: &str) -> anyhow::Result<Server> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let started = Instant::now();
        let child = Command::new(binary)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DATABASE_URL", database_url)
            .env("PORT", port.to_string())
            .env("HOST", "127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("não foi possível iniciar {} (rode cargo build --release)", binary.display()))?;
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        while client.get(format!("{base}/healthz")).send().await.is_err() {
            ensure!(started.elapsed() < Duration::from_secs(60), "o servidor não respondeu em 60 s");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        Ok(Server { child, base, started_in: started.elapsed() })
    }

    /// Resident memory now and at its peak, in MiB (Linux).
    fn memory(&self) -> (f64, f64) {
        let status = self.child.id().and_then(|pid| std::fs::read_to_string(format!("/proc/{pid}/status")).ok());
        let field = |name: &str| {
            status
                .as_deref()
                .and_then(|s| s.lines().find(|l| l.starts_with(name)))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
                .map_or(f64::NAN, |kib| kib / 1024.0)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }
}

async fn login(client: &reqwest::Client, base: &str, username: &str) -> anyhow::Result<String> {
    let response = client
        .post(format!("{base}/api/auth/login"))
        .json(&json!({"username": username, "password": PASSWORD}))
        .send()
        .await?;
    ensure!(response.status().is_success(), "login de {username} falhou: {}", response.status());
    let body: Value = response.json().await?;
    Ok(body["access_token"].as_str().context("login sem token")?.to_string())
}

struct Measured {
    requests: usize,
    seconds: f64,
    /// Sorted latencies in microseconds.
    latencies: Vec<u64>,
}

impl Measured {
    fn rps(&self) -> f64 {
        self.requests as f64 / self.seconds
    }

    fn percentile_ms(&self, p: f64) -> f64 {
        let index = ((self.latencies.len() as f64 * p) as usize).min(self.latencies.len() - 1);
        self.latencies[index] as f64 / 1000.0
    }
}

/// One keep-alive HTTP/1.1 connection that sends a request and reads the whole answer. A
/// minimal client, so that the load generator takes as little as possible of the CPU it
/// shares with the server.
struct HttpConnection {
    stream: tokio::io::BufReader<tokio::net::TcpStream>,
    request: Vec<u8>,
    body: Vec<u8>,
}

impl HttpConnection {
    async fn open(address: &str) -> anyhow::Result<HttpConnection> {
        let stream = tokio::net::TcpStream::connect(address).await?;
        stream.set_nodelay(true)?;
        Ok(HttpConnection { stream: tokio::io::BufReader::new(stream), request: Vec::new(), body: Vec::new() })
    }

    /// Sends `method path` with the token and an optional JSON body; returns the status code
    /// (the answer's body is in `self.body`).
    async fn send(&mut self, method: &str, path: &str, token: &str, json: Option<&str>) -> anyhow::Result<u16> {
        use std::io::Write;
        use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
        self.request.clear();
        write!(self.request, "{method} {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\n")?;
        if let Some(json) = json {
            write!(self.request, "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{json}", json.len())?;
        } else {
            self.request.extend_from_slice(b"\r\n");
        }
        self.stream.get_mut().write_all(&self.request).await?;

        let mut line = String::new();
        self.stream.read_line(&mut line).await?;
        let status: u16 = line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).context("resposta sem status")?;
        let mut length = None;
        loop {
            line.clear();
            self.stream.read_line(&mut line).await?;
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse::<usize>().ok();
            }
        }
        let length = length.context("resposta sem Content-Length")?;
        self.body.resize(length, 0);
        self.stream.read_exact(&mut self.body).await?;
        Ok(status)
    }
}

struct Load {
    /// The grouping the reports scenario asks for now (an index of `GROUPS`).
    group: std::sync::atomic::AtomicUsize,
    address: String,
    admin: String,
    employee: String,
    products: i64,
    sales: i64,
}

impl Load {
    /// The next request of a scenario: method, path, token, JSON body.
    fn request(&self, scenario: Scenario, rng: &mut Rng) -> (&'static str, String, &str, Option<String>) {
        match scenario {
            Scenario::ListProducts => {
                let page = rng.between(1, (self.products / 50).max(1));
                ("GET", format!("/api/products?page={page}&per_page=50"), &self.employee, None)
            }
            Scenario::SearchProducts => {
                let term = SEARCHES[rng.between(0, SEARCHES.len() as i64 - 1) as usize];
                ("GET", format!("/api/products?search={term}"), &self.employee, None)
            }
            Scenario::Scan => {
                let code = barcode(rng.between(1, self.products));
                ("GET", format!("/api/products/lookup?code={code}"), &self.employee, None)
            }
            Scenario::PdvCatalog => ("GET", "/api/products/catalog".into(), &self.employee, None),
            Scenario::ListSales => {
                let page = rng.between(1, (self.sales / 20).clamp(1, 100));
                ("GET", format!("/api/sales?page={page}&per_page=20"), &self.admin, None)
            }
            Scenario::Summary => ("GET", "/api/sales/reports/summary".into(), &self.admin, None),
            Scenario::CreateSale => {
                let items: Vec<Value> = three_products(rng, self.products)
                    .iter()
                    .map(|id| json!({"product_id": id, "quantity": 1}))
                    .collect();
                let body = json!({"items": items, "payment_method": "pix"}).to_string();
                ("POST", "/api/sales".into(), &self.employee, Some(body))
            }
            Scenario::ProductsWhileSelling => {
                let next = if rng.between(1, 10) == 1 { Scenario::CreateSale } else { Scenario::ListProducts };
                self.request(next, rng)
            }
            Scenario::Reports => {
                let group = GROUPS[self.group.load(std::sync::atomic::Ordering::Relaxed)];
                let today = chrono::Utc::now().date_naive();
                let days = rng.between(1, 365);
                let start = today - chrono::Days::new(rng.between(days - 1, 364) as u64);
                let end = (start + chrono::Days::new(days as u64 - 1)).min(today);
                let path = format!("/api/reports/sales?group_by={group}&start_date={start}&end_date={end}");
                ("GET", path, &self.admin, None)
            }
            Scenario::Export => unreachable!("measured by export()"),
            Scenario::OfflineSync => unreachable!("measured by offline_sync()"),
        }
    }

    /// `connections` loops sending requests back to back for the warm-up and then `seconds`;
    /// only the requests that start after the warm-up count. Any answer but a success fails.
    async fn run(self: &Arc<Self>, scenario: Scenario, connections: usize, seconds: u64) -> anyhow::Result<Measured> {
        let measuring = Instant::now() + Duration::from_secs(2);
        let end = measuring + Duration::from_secs(seconds);
        let tasks: Vec<_> = (0..connections)
            .map(|n| {
                let load = Arc::clone(self);
                tokio::spawn(async move {
                    let mut connection = HttpConnection::open(&load.address).await?;
                    let mut rng = Rng(n as u64 * 7919 + scenario as u64);
                    let mut latencies = Vec::new();
                    loop {
                        let started = Instant::now();
                        if started >= end {
                            return anyhow::Ok(latencies);
                        }
                        let (method, path, token, body) = load.request(scenario, &mut rng);
                        let status = connection.send(method, &path, token, body.as_deref()).await?;
                        if !(200..300).contains(&status) {
                            bail!("{scenario:?}: {status} {}", String::from_utf8_lossy(&connection.body));
                        }
                        if started >= measuring {
                            latencies.push(started.elapsed().as_micros() as u64);
                        }
                    }
                })
            })
            .collect();
        let mut latencies = Vec::new();
        for task in tasks {
            latencies.extend(task.await??);
        }
        latencies.sort_unstable();
        Ok(Measured { requests: latencies.len(), seconds: seconds as f64, latencies })
    }
}

/// Downloads the whole sales export, sampling the server's resident memory meanwhile.
async fn export(server: &Server, token: &str, format: &str, sales: i64) -> anyhow::Result<()> {
    let pid = server.child.id().context("servidor sem pid")?;
    // Anonymous memory: what the server holds (its heap, SQLite's page caches), not the pages of
    // the database file the kernel maps and can drop.
    let rss = move || {
        std::fs::read_to_string(format!("/proc/{pid}/status"))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("RssAnon:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
            })
            .map_or(f64::NAN, |kib| kib / 1024.0)
    };
    let before = rss();
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let done = Arc::clone(&done);
        tokio::spawn(async move {
            let mut peak = 0.0_f64;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(rss());
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            peak
        })
    };
    let started = Instant::now();
    let client = reqwest::Client::new();
    let mut response =
        client.get(format!("{}/api/sales/export?format={format}", server.base)).bearer_auth(token).send().await?;
    ensure!(response.status().is_success(), "exportação {format}: {}", response.status());
    let mut bytes = 0usize;
    let first_byte = loop {
        if let Some(chunk) = response.chunk().await? {
            bytes += chunk.len();
            break started.elapsed();
        }
    };
    while let Some(chunk) = response.chunk().await? {
        bytes += chunk.len();
    }
    let elapsed = started.elapsed().as_secs_f64();
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let peak = sampler.await?;
    println!(
        "| exportação {format} de {sales} vendas | {:.0} linhas/s | {elapsed:.1} s no total, 1º byte em {:.2} s | {:.1} MB | \
         memória anônima (heap, caches do SQLite): {before:.1} MiB antes, pico {peak:.1} MiB (+{:.1}) |",
        sales as f64 / elapsed,
        first_byte.as_secs_f64(),
        bytes as f64 / 1e6,
        peak - before,
    );
    Ok(())
}

/// Sends 1,000 sales made offline over the last hour, oldest first, one at a time (what the PDV's
/// queue does when the server is back), and then the same 1,000 again (each answered with the
/// sale already recorded).
async fn offline_sync(load: &Load) -> anyhow::Result<()> {
    const WAITING: i64 = 1_000;
    let catalog: Value = reqwest::Client::new()
        .get(format!("http://{}/api/products/catalog", load.address))
        .bearer_auth(&load.employee)
        .send()
        .await?
        .json()
        .await?;
    let prices: std::collections::HashMap<i64, Value> = catalog["products"]
        .as_array()
        .context("catálogo sem produtos")?
        .iter()
        .filter_map(|p| Some((p["id"].as_i64()?, p["price"].clone())))
        .collect();
    let mut rng = Rng(14);
    let hour_ago = chrono::Utc::now() - chrono::Duration::hours(1);
    let queue: Vec<String> = (0..WAITING)
        .map(|i| {
            let items: Vec<Value> = three_products(&mut rng, load.products)
                .iter()
                .map(|id| json!({"product_id": id, "quantity": 1, "unit_price": prices.get(id)}))
                .collect();
            let sold_at = hour_ago + chrono::Duration::milliseconds(i * 3_600);
            json!({"client_id": uuid::Uuid::new_v4().to_string(), "sold_at": sold_at.to_rfc3339(),
                "items": items, "payment_method": "dinheiro"})
            .to_string()
        })
        .collect();
    let mut connection = HttpConnection::open(&load.address).await?;
    for (pass, what) in [(0, "enviadas"), (1, "enviadas de novo (respostas perdidas: nenhuma venda nova)")] {
        let started = Instant::now();
        let mut latencies = Vec::with_capacity(queue.len());
        for body in &queue {
            let sent = Instant::now();
            let status = connection.send("POST", "/api/sales", &load.employee, Some(body)).await?;
            ensure!(
                status == 201,
                "venda offline (passada {pass}): {status} {}",
                String::from_utf8_lossy(&connection.body)
            );
            latencies.push(sent.elapsed().as_micros() as u64);
        }
        let elapsed = started.elapsed().as_secs_f64();
        latencies.sort_unstable();
        let measured = Measured { requests: latencies.len(), seconds: elapsed, latencies };
        println!(
            "| {} ({what}), uma por vez: {elapsed:.2} s | {:.0} | {:.2} | {:.2} | — | — |",
            Scenario::OfflineSync.label(),
            measured.rps(),
            measured.percentile_ms(0.50),
            measured.percentile_ms(0.99),
        );
    }
    Ok(())
}

/// The sale transaction of `POST /api/sales` as raw SQL: the same round trips and the same
/// work as the statements the server sends (the session check, the row locks in id order, the
/// updates of the stock (the chain's total, the store's), the sale, its items, their stock movements, the daily totals), without HTTP, JSON, tokens or
/// the driver. Run by pgbench; returns its transactions per second.
async fn pgbench(url: &str, products: i64, connections: usize, seconds: u64) -> anyhow::Result<f64> {
    let script = r#"
\set third :products / 3
\set p1 random(1, :third)
\set p2 random(:third + 1, 2 * :third)
\set p3 random(2 * :third + 1, :products)
BEGIN;
SELECT id, username, role, session_version FROM users WHERE id = 2 AND deleted_at IS NULL AND deactivated_at IS NULL;
SELECT (SELECT max_discount_bp FROM settings WHERE id = 1), (SELECT require_cash_session FROM settings WHERE id = 1), (SELECT s.id FROM open_cash_sessions o JOIN cash_sessions s ON s.id = o.session_id AND s.store_id = o.store_id WHERE o.user_id = 2 AND s.closed_at IS NULL FOR SHARE OF s), (SELECT store_id FROM open_cash_sessions WHERE user_id = 2);
SELECT id FROM products WHERE id IN (:p1, :p2, :p3) ORDER BY id FOR UPDATE;
WITH taken AS (UPDATE products SET stock = stock - 1 WHERE id IN (:p1, :p2, :p3) AND archived_at IS NULL AND active = 1 RETURNING price_cents) SELECT SUM(price_cents) AS total FROM taken \gset
UPDATE store_stock SET stock = stock - 1 WHERE store_id = 1 AND product_id IN (:p1, :p2, :p3) AND stock >= 1 RETURNING product_id, stock;
INSERT INTO sales (user_id, total_cents, payment_method, created_at, idempotency_key, idempotency_fingerprint, subtotal_cents, discount_cents, change_cents, discount_approved_by, cash_session_id, store_id) VALUES (2, :total, 'pix', CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000 AS BIGINT), NULL, NULL, :total, 0, 0, NULL, NULL, 1) RETURNING id AS sale \gset
INSERT INTO sale_payments (sale_id, store_id, method, amount_cents, tendered_cents) VALUES (:sale, 1, 'pix', :total, NULL);
INSERT INTO sale_items (sale_id, store_id, product_id, product_name, quantity, price_cents, discount_cents, net_cents) SELECT :sale, 1, id, name, 1, price_cents, 0, price_cents FROM products WHERE id IN (:p1, :p2, :p3) RETURNING id, product_id;
INSERT INTO stock_movements (store_id, product_id, quantity, balance, reason, user_id, sale_id, created_at) SELECT 1, id, -1, stock, 'venda', 2, :sale, CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000 AS BIGINT) FROM products WHERE id IN (:p1, :p2, :p3);
INSERT INTO daily_sales (day, store_id, user_id, sales_count, amount_cents) VALUES (:day, 1, 2, 1, :total) ON CONFLICT (day, store_id, user_id) DO UPDATE SET sales_count = daily_sales.sales_count + 1, amount_cents = daily_sales.amount_cents + excluded.amount_cents;
INSERT INTO daily_product_sales (day, store_id, product_id, quantity, amount_cents) SELECT :day, 1, id, 1, price_cents FROM products WHERE id IN (:p1, :p2, :p3) ON CONFLICT (day, store_id, product_id) DO UPDATE SET quantity = daily_product_sales.quantity + excluded.quantity, amount_cents = daily_product_sales.amount_cents + excluded.amount_cents;
COMMIT;
"#;
    let file = tempfile::Builder::new().suffix(".sql").tempfile()?;
    std::fs::write(file.path(), script)?;
    let day = BusinessCalendar::new(chrono_tz::America::Sao_Paulo).today().format("%Y-%m-%d").to_string();
    let output = Command::new("pgbench")
        .args(["--no-vacuum", "--protocol=prepared", "--jobs=2"])
        .arg(format!("--client={connections}"))
        .arg(format!("--time={seconds}"))
        .arg(format!("--define=products={products}"))
        .arg(format!("--define=day={day}"))
        .arg(format!("--file={}", file.path().display()))
        .arg(url)
        .output()
        .await
        .context("pgbench não encontrado (pacote postgresql-client ou postgresql-contrib)")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    ensure!(output.status.success(), "pgbench falhou:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let tps = stdout
        .lines()
        .find_map(|l| l.strip_prefix("tps = ")?.split_whitespace().next()?.parse::<f64>().ok())
        .context("pgbench não informou tps")?;
    Ok(tps)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let scenarios = if args.only.is_empty() { Scenario::ALL.to_vec() } else { args.only.clone() };
    let (database, seed) = BenchDatabase::create(&args).await?;
    let result = bench(&args, &database.url, seed, &scenarios).await;
    database.drop().await?;
    result
}

async fn bench(args: &Args, url: &str, seed: bool, scenarios: &[Scenario]) -> anyhow::Result<()> {
    let backend = if args.database == Database::Sqlite { "SQLite" } else { "PostgreSQL" };
    let config = Config::from_vars([("DATABASE_URL".to_string(), url.to_string())].into())?;
    if seed {
        let started = Instant::now();
        let data = shop(args.products, args.sales).await?;
        let options = LoadOptions { replace: true, calendar: BusinessCalendar::new(config.timezone), marker: None };
        let (products, sales, items) = (data.products.len(), data.sales.len(), data.sale_items.len());
        load_into(&config, data, options).await?;
        println!(
            "{backend}: {products} produtos, {sales} vendas e {items} itens gravados em {:.1} s",
            started.elapsed().as_secs_f64()
        );
    } else {
        println!("{backend}: o banco {url} já semeado");
    }

    let mut server = Server::start(&args.binary, url).await?;
    let (idle_rss, _) = server.memory();
    println!("servidor pronto em {:.0} ms, memória residente {idle_rss:.1} MiB", server.started_in.as_secs_f64() * 1e3);
    let client = reqwest::Client::new();
    let load = Arc::new(Load {
        admin: login(&client, &server.base, "admin").await?,
        employee: login(&client, &server.base, "caixa1").await?,
        address: server.base.trim_start_matches("http://").to_string(),
        products: args.products,
        sales: args.sales,
        group: std::sync::atomic::AtomicUsize::new(0),
    });

    println!("\n{backend}, {} vendas, {} conexões, {} s por cenário:\n", args.sales, args.connections, args.seconds);
    println!("| Operação | req/s | p50 (ms) | p99 (ms) | 1ª versão (req/s) | × 1ª versão |");
    println!("|---|---:|---:|---:|---:|---:|");
    let mut sale_rps = None;
    for &scenario in scenarios {
        if scenario == Scenario::Reports {
            for (i, group) in GROUPS.iter().enumerate() {
                load.group.store(i, std::sync::atomic::Ordering::Relaxed);
                // Under load (every connection at once), and one admin alone.
                for connections in [args.connections, 1] {
                    let measured = load.run(scenario, connections, args.seconds).await?;
                    println!(
                        "| {} por {group} (períodos de 1 dia a 12 meses), {connections} conexão(ões) | {:.0} | {:.2} | {:.2} | — | — |",
                        scenario.label(),
                        measured.rps(),
                        measured.percentile_ms(0.50),
                        measured.percentile_ms(0.99),
                    );
                }
            }
            continue;
        }
        if scenario == Scenario::OfflineSync {
            offline_sync(&load).await?;
            continue;
        }
        if scenario == Scenario::Export {
            for format in ["csv", "xlsx"] {
                export(&server, &load.admin, format, args.sales).await?;
            }
            continue;
        }
        let measured = load.run(scenario, args.connections, args.seconds).await?;
        let first_version = match scenario.first_version_rps() {
            Some(rps) => format!("{rps} | {:.0}×", measured.rps() / rps),
            None => "— | —".to_string(),
        };
        println!(
            "| {} | {:.0} | {:.2} | {:.2} | {first_version} |",
            scenario.label(),
            measured.rps(),
            measured.percentile_ms(0.50),
            measured.percentile_ms(0.99),
        );
        if scenario == Scenario::CreateSale {
            sale_rps = Some(measured.rps());
        }
    }
    let (rss, peak) = server.memory();
    println!("\nmemória residente do servidor: {rss:.1} MiB ao fim da carga, pico {peak:.1} MiB");
    server.child.start_kill()?;
    server.child.wait().await?;

    if args.pgbench {
        ensure!(args.database == Database::Postgres, "--pgbench só com --database postgres");
        let tps = pgbench(url, args.products, args.connections, args.seconds).await?;
        match sale_rps {
            Some(rps) => println!(
                "pgbench, a mesma transação de venda em SQL puro: {tps:.0} transações/s; a API HTTP faz {rps:.0}/s, {:.0}% disso",
                100.0 * rps / tps
            ),
            None => println!("pgbench, a mesma transação de venda em SQL puro: {tps:.0} transações/s"),
        }
    }
    Ok(())
}
