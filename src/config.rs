//! Typed settings read from the environment, with defaults that make `cargo run --release`
//! work with no configuration at all, and clear errors for values that cannot be used.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use chrono_tz::Tz;

/// Where the data lives.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// An embedded SQLite file.
    Sqlite { path: PathBuf },
    /// A PostgreSQL server (`postgres://` or `postgresql://`, `sslmode` honoured).
    Postgres { url: String },
}

impl DatabaseUrl {
    pub const DEFAULT_SQLITE_PATH: &'static str = "data/sistema-vendas.db";

    pub fn parse(text: &str) -> anyhow::Result<DatabaseUrl> {
        let text = text.trim();
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres { url: text.to_string() });
        }
        if let Some(rest) = text.strip_prefix("sqlite:") {
            let path = rest.trim_start_matches("//");
            let path = path.split('?').next().unwrap_or_default();
            if path.is_empty() || path == ":memory:" {
                bail!("DATABASE_URL: informe o caminho do arquivo SQLite (ex.: sqlite://data/vendas.db)");
            }
            return Ok(DatabaseUrl::Sqlite { path: PathBuf::from(path) });
        }
        bail!(
            "DATABASE_URL deve começar com postgres://, postgresql:// ou sqlite:// (recebido: {})",
            mask_password(text)
        )
    }

    /// The URL sqlx connects with.
    pub fn connect_url(&self) -> String {
        match self {
            DatabaseUrl::Sqlite { path } => format!("sqlite://{}?mode=rwc", path.display()),
            DatabaseUrl::Postgres { url } => url.replacen("postgresql://", "postgres://", 1),
        }
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self, DatabaseUrl::Sqlite { .. })
    }
}

/// Printed with the password masked, so that it can go to logs.
impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatabaseUrl::Sqlite { path } => write!(f, "sqlite://{}", path.display()),
            DatabaseUrl::Postgres { url } => f.write_str(&mask_password(url)),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// `postgres://user:secret@host/db` -> `postgres://user:***@host/db`.
pub fn mask_password(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    // The last `@` before the query ends the user info, even when an unencoded `/` or `@` in the
    // password makes the URL invalid (masking too much is harmless; too little is not).
    let query = rest.find(['?', '#']).unwrap_or(rest.len());
    let Some(at) = rest[..query].rfind('@') else {
        return url.to_string();
    };
    let user_info = &rest[..at];
    match user_info.find(':') {
        Some(colon) => format!("{}{}:***{}", &url[..scheme_end + 3], &user_info[..colon], &rest[at..]),
        None => url.to_string(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

/// How many failed logins make a username or a client address a likely target or source of an
/// attack: past either limit, a (username, address) pair with failures waits before its next
/// password check, longer after each failure (see `ratelimit`). Nobody is locked out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginLimits {
    /// Failures of one username (from any address) until `window` passes without one.
    pub per_username: u32,
    /// Failures from one client address (any username) until `window` passes without one.
    pub per_address: u32,
    /// How long failures are remembered after the last one; also the longest wait.
    pub window: Duration,
}

/// The shortest secret accepted in production.
pub const MIN_SECRET_CHARS: usize = 32;

#[derive(Clone)]
pub struct Config {
    pub environment: Environment,
    pub host: String,
    pub port: u16,
    pub database: DatabaseUrl,
    pub pool_size: u32,
    pub pool_recycle: Duration,
    /// None: a random secret is generated once and kept in the database.
    pub jwt_secret: Option<String>,
    pub secret_key: Option<String>,
    pub jwt_lifetime: Duration,
    pub bcrypt_cost: u32,
    pub timezone: Tz,
    pub cors_origins: Vec<String>,
    /// Password given to the `admin` user created on first start.
    pub admin_password: Option<String>,
    /// A Redis shared by the instances (login rate limits); None: each instance counts alone.
    pub redis_url: Option<String>,
    /// How many proxies in front of the server append to `X-Forwarded-For` (0: trust none, the
    /// client address is the peer's).
    pub trust_proxy: u8,
    /// Redirect plain HTTP requests (as `X-Forwarded-Proto` tells) to HTTPS.
    pub force_https: bool,
    /// The addresses the shop is reached at (`PUBLIC_URL`), as `host[:port]` in lower case:
    /// where `FORCE_HTTPS` redirects to.
    pub public_hosts: Vec<String>,
    /// Bearer token that `/metrics` requires. Without one, `/metrics` is open in development and
    /// off in production.
    pub metrics_token: Option<String>,
    pub login_limits: LoginLimits,
    pub request_timeout: Duration,
    /// How long a client has to send a request's head, from opening the connection or from the
    /// first byte of a further request on it.
    pub header_timeout: Duration,
    /// How long a connection is kept open waiting for a further request.
    pub keep_alive_timeout: Duration,
    /// Connections open at once (`MAX_CONNECTIONS`); None: as many as the open-files limit
    /// comfortably allows, up to 10 000 (see `serve::connection_cap`).
    pub max_connections: Option<usize>,
    /// How long a request waits for a database connection before answering 503.
    pub db_acquire_timeout: Duration,
    /// Backups the server takes by itself while it runs (`BACKUP_DIR`), if any.
    pub backup: Option<BackupSchedule>,
    /// `SQLITE_SYNCHRONOUS=full`: SQLite syncs every commit to the disk (see `db::sqlite_pragmas`).
    pub sqlite_full_sync: bool,
    /// Where product photos are kept (see `storage`).
    pub photos: PhotoStorage,
}

/// Where product photos are kept: a folder (`PHOTOS_DIR`; by default `fotos/` beside the SQLite
/// database, `data/fotos` with PostgreSQL), or an S3-compatible bucket when `S3_BUCKET` is set.
#[derive(Clone, PartialEq, Eq)]
pub enum PhotoStorage {
    Dir(PathBuf),
    S3(S3Settings),
}

#[derive(Clone, PartialEq, Eq)]
pub struct S3Settings {
    pub bucket: String,
    /// `S3_ENDPOINT` (MinIO, R2, a local server); None: AWS itself. `http://` is allowed.
    pub endpoint: Option<String>,
    pub region: String,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
}

impl PhotoStorage {
    pub const DEFAULT_POSTGRES_DIR: &'static str = "data/fotos";

    fn from_vars(get: impl Fn(&str) -> Option<String>, database: &DatabaseUrl) -> anyhow::Result<PhotoStorage> {
        if let Some(bucket) = get("S3_BUCKET") {
            let endpoint = get("S3_ENDPOINT").map(|e| e.trim_end_matches('/').to_string());
            if let Some(endpoint) = &endpoint {
                anyhow::ensure!(
                    endpoint.starts_with("https://") || endpoint.starts_with("http://"),
                    "S3_ENDPOINT deve começar com https:// ou http:// (recebido: {endpoint:?})"
                );
            }
            let (access_key_id, secret_access_key) = (get("AWS_ACCESS_KEY_ID"), get("AWS_SECRET_ACCESS_KEY"));
            anyhow::ensure!(
                access_key_id.is_some() == secret_access_key.is_some(),
                "defina AWS_ACCESS_KEY_ID e AWS_SECRET_ACCESS_KEY juntos (as credenciais do bucket S3_BUCKET)"
            );
            return Ok(PhotoStorage::S3(S3Settings {
                bucket,
                endpoint,
                region: get("S3_REGION").or_else(|| get("AWS_REGION")).unwrap_or_else(|| "us-east-1".into()),
                access_key_id,
                secret_access_key,
            }));
        }
        Ok(PhotoStorage::Dir(match (get("PHOTOS_DIR"), database) {
            (Some(dir), _) => PathBuf::from(dir),
            (None, DatabaseUrl::Sqlite { path }) => match path.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => parent.join("fotos"),
                _ => PathBuf::from("fotos"),
            },
            (None, DatabaseUrl::Postgres { .. }) => PathBuf::from(Self::DEFAULT_POSTGRES_DIR),
        }))
    }

    /// For logs and `check`: no secret.
    pub fn describe(&self) -> String {
        match self {
            PhotoStorage::Dir(dir) => format!("pasta {}", dir.display()),
            PhotoStorage::S3(s3) => {
                format!("bucket S3 {} ({}, região {})", s3.bucket, s3.endpoint.as_deref().unwrap_or("AWS"), s3.region)
            }
        }
    }
}

impl fmt::Debug for PhotoStorage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

/// Scheduled backups: one every `every` into `dir`, those older than `keep` removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSchedule {
    pub dir: PathBuf,
    pub every: Duration,
    pub keep: Duration,
}

/// `90`, `90s`, `30m`, `24h`, `7d`: a duration as an environment variable gives it (a bare
/// number is seconds).
pub fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => text.split_at(i),
        None => (text, "s"),
    };
    let seconds_per_unit = match unit.trim() {
        "s" => 1,
        "m" | "min" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return None,
    };
    let seconds = number.parse::<u64>().ok()?.checked_mul(seconds_per_unit)?;
    (seconds > 0).then(|| Duration::from_secs(seconds))
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Config");
        for (name, value) in self.settings() {
            debug.field(name, &value);
        }
        debug.finish()
    }
}

impl Config {
    pub fn from_env() -> anyhow::Result<Config> {
        Config::from_vars(std::env::vars().collect())
    }

    /// Reads the settings from a set of variables (the process environment, or a test's).
    pub fn from_vars(vars: HashMap<String, String>) -> anyhow::Result<Config> {
        let get = |name: &str| vars.get(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let number = |name: &str, default: u64| -> anyhow::Result<u64> {
            match get(name) {
                None => Ok(default),
                Some(v) => v.parse().with_context(|| format!("{name} deve ser um número inteiro (recebido: {v:?})")),
            }
        };

        let production = match get("APP_ENV").or_else(|| get("FLASK_ENV")).as_deref() {
            Some("production" | "prod") => true,
            Some(_) => false,
            None => get("DEBUG").is_some_and(|v| matches!(v.to_lowercase().as_str(), "false" | "0" | "no")),
        };

        let database = match get("DATABASE_URL") {
            Some(url) => DatabaseUrl::parse(&url)?,
            None => DatabaseUrl::Sqlite { path: PathBuf::from(DatabaseUrl::DEFAULT_SQLITE_PATH) },
        };

        let timezone_name = get("BUSINESS_TIMEZONE").unwrap_or_else(|| "America/Sao_Paulo".into());
        let timezone: Tz = timezone_name.parse().map_err(|_| {
            anyhow::anyhow!("BUSINESS_TIMEZONE inválido: {timezone_name:?} (use um nome IANA, ex.: America/Sao_Paulo)")
        })?;

        let bcrypt_cost = number("BCRYPT_COST", u64::from(bcrypt::DEFAULT_COST))?;
        if !(4..=31).contains(&bcrypt_cost) {
            bail!("BCRYPT_COST deve estar entre 4 e 31");
        }
        let pool_size = number("DB_POOL_SIZE", 10)?;
        if !(1..=1000).contains(&pool_size) {
            bail!("DB_POOL_SIZE deve estar entre 1 e 1000");
        }
        let jwt_lifetime = number("JWT_ACCESS_TOKEN_EXPIRES", 12 * 3600)?;
        if jwt_lifetime == 0 {
            bail!("JWT_ACCESS_TOKEN_EXPIRES deve ser maior que zero (segundos)");
        }
        let port = number("PORT", 5001)?;
        let port = u16::try_from(port).context("PORT deve estar entre 0 e 65535")?;
        let flag = |name: &str| -> anyhow::Result<bool> {
            match get(name) {
                None => Ok(false),
                Some(v) => parse_flag(&v).with_context(|| format!("{name} deve ser true ou false (recebido: {v:?})")),
            }
        };
        let trust_proxy = match get("TRUST_PROXY") {
            None => 0,
            Some(v) => match parse_flag(&v) {
                Some(trust) => u8::from(trust),
                None => v.parse::<u8>().ok().filter(|n| *n <= 10).with_context(|| {
                    format!("TRUST_PROXY deve ser true, false ou o número de proxies (0 a 10) (recebido: {v:?})")
                })?,
            },
        };
        let positive = |name: &str, default: u64| -> anyhow::Result<u64> {
            let value = number(name, default)?;
            anyhow::ensure!(value > 0, "{name} deve ser maior que zero");
            Ok(value)
        };
        let mut redis_url = get("REDIS_URL");
        if let Some(url) = &mut redis_url {
            anyhow::ensure!(
                url.starts_with("redis://") || url.starts_with("rediss://"),
                "REDIS_URL deve começar com redis:// ou rediss:// (recebido: {})",
                mask_password(url)
            );
            // Heroku's Redis has a self-signed certificate, and its REDIS_URL cannot be edited.
            if flag("REDIS_TLS_INSECURE")? && url.starts_with("rediss://") && !url.contains('#') {
                url.push_str("#insecure");
            }
        }

        let backup = match get("BACKUP_DIR") {
            None => None,
            Some(dir) => {
                let interval = get("BACKUP_INTERVAL").unwrap_or_else(|| "24h".into());
                let every = parse_duration(&interval).with_context(|| {
                    format!("BACKUP_INTERVAL inválido: {interval:?} (use, por exemplo, 24h, 6h, 30m ou 3600)")
                })?;
                let days = number("BACKUP_KEEP_DAYS", 7)?;
                if days == 0 {
                    bail!("BACKUP_KEEP_DAYS deve ser pelo menos 1");
                }
                Some(BackupSchedule { dir: PathBuf::from(dir), every, keep: Duration::from_secs(days * 86_400) })
            }
        };

        let photos = PhotoStorage::from_vars(get, &database)?;

        Ok(Config {
            environment: if production { Environment::Production } else { Environment::Development },
            host: get("HOST").unwrap_or_else(|| "0.0.0.0".into()),
            port,
            database,
            pool_size: pool_size as u32,
            pool_recycle: Duration::from_secs(number("DB_POOL_RECYCLE", 120)?),
            jwt_secret: get("JWT_SECRET_KEY"),
            secret_key: get("SECRET_KEY"),
            jwt_lifetime: Duration::from_secs(jwt_lifetime),
            bcrypt_cost: bcrypt_cost as u32,
            timezone,
            cors_origins: get("CORS_ORIGINS")
                .map(|v| {
                    v.split(',').map(|o| o.trim().trim_end_matches('/').to_string()).filter(|o| !o.is_empty()).collect()
                })
                .unwrap_or_default(),
            admin_password: get("ADMIN_PASSWORD"),
            redis_url,
            trust_proxy,
            force_https: flag("FORCE_HTTPS")?,
            public_hosts: get("PUBLIC_URL").as_deref().map(parse_public_hosts).transpose()?.unwrap_or_default(),
            sqlite_full_sync: match get("SQLITE_SYNCHRONOUS").map(|v| v.to_lowercase()).as_deref() {
                None | Some("normal") => false,
                Some("full") => true,
                Some(other) => bail!("SQLITE_SYNCHRONOUS deve ser normal ou full (recebido: {other:?})"),
            },
            metrics_token: get("METRICS_TOKEN"),
            login_limits: LoginLimits {
                per_username: positive("LOGIN_MAX_FAILURES", 5)? as u32,
                per_address: positive("LOGIN_MAX_FAILURES_PER_IP", 20)? as u32,
                window: Duration::from_secs(positive("LOGIN_WINDOW_SECONDS", 15 * 60)?),
            },
            request_timeout: Duration::from_secs(positive("REQUEST_TIMEOUT", 30)?),
            header_timeout: Duration::from_secs(positive("HEADER_TIMEOUT", 10)?),
            keep_alive_timeout: Duration::from_secs(positive("KEEP_ALIVE_TIMEOUT", 75)?),
            max_connections: match get("MAX_CONNECTIONS") {
                None => None,
                Some(_) => Some(positive("MAX_CONNECTIONS", 0)? as usize),
            },
            db_acquire_timeout: Duration::from_secs(positive("DB_ACQUIRE_TIMEOUT", 5)?),
            backup,
            photos,
        })
    }

    pub fn is_production(&self) -> bool {
        self.environment == Environment::Production
    }

    /// What keeps this configuration from running in production (empty when nothing does).
    /// Never includes a secret's value.
    pub fn production_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        problems.extend(secret_problem("JWT_SECRET_KEY", self.jwt_secret.as_deref()));
        problems.extend(secret_problem("SECRET_KEY", self.secret_key.as_deref()));
        if self.jwt_secret.is_some() && self.jwt_secret == self.secret_key {
            problems.push("JWT_SECRET_KEY e SECRET_KEY devem ser diferentes".into());
        }
        if self.admin_password.as_deref().is_some_and(|p| KNOWN_DEFAULT_PASSWORDS.contains(&p)) {
            problems.push("ADMIN_PASSWORD é uma senha padrão conhecida: escolha outra".into());
        }
        problems
    }

    /// Every setting as it can be shown (logs, `check`): secrets only say whether they are set.
    pub fn settings(&self) -> Vec<(&'static str, String)> {
        let secret = |v: &Option<String>| match v {
            Some(v) => format!("<definido, {} caracteres>", v.chars().count()),
            None => "<não definido>".into(),
        };
        let environment = match self.environment {
            Environment::Development => "development",
            Environment::Production => "production",
        };
        let limits = &self.login_limits;
        let mut settings = vec![
            ("APP_ENV", environment.into()),
            ("HOST", self.host.clone()),
            ("PORT", self.port.to_string()),
            ("DATABASE_URL", self.database.to_string()),
            ("DB_POOL_SIZE", self.pool_size.to_string()),
            ("DB_POOL_RECYCLE", self.pool_recycle.as_secs().to_string()),
            ("DB_ACQUIRE_TIMEOUT", self.db_acquire_timeout.as_secs().to_string()),
            ("SQLITE_SYNCHRONOUS", if self.sqlite_full_sync { "full" } else { "normal" }.into()),
            ("JWT_SECRET_KEY", secret(&self.jwt_secret)),
            ("SECRET_KEY", secret(&self.secret_key)),
            ("JWT_ACCESS_TOKEN_EXPIRES", self.jwt_lifetime.as_secs().to_string()),
            ("BCRYPT_COST", self.bcrypt_cost.to_string()),
            ("BUSINESS_TIMEZONE", self.timezone.name().into()),
            (
                "CORS_ORIGINS",
                if self.cors_origins.is_empty() { "<nenhuma>".into() } else { self.cors_origins.join(",") },
            ),
            ("ADMIN_PASSWORD", secret(&self.admin_password)),
            ("REDIS_URL", self.redis_url.as_deref().map(mask_password).unwrap_or_else(|| "<não definido>".into())),
            ("TRUST_PROXY", self.trust_proxy.to_string()),
            ("FORCE_HTTPS", self.force_https.to_string()),
            (
                "PUBLIC_URL",
                if self.public_hosts.is_empty() {
                    "<não definido>".into()
                } else {
                    self.public_hosts.iter().map(|h| format!("https://{h}")).collect::<Vec<_>>().join(",")
                },
            ),
            ("METRICS_TOKEN", secret(&self.metrics_token)),
            ("LOGIN_MAX_FAILURES", limits.per_username.to_string()),
            ("LOGIN_MAX_FAILURES_PER_IP", limits.per_address.to_string()),
            ("LOGIN_WINDOW_SECONDS", limits.window.as_secs().to_string()),
            ("REQUEST_TIMEOUT", self.request_timeout.as_secs().to_string()),
            ("HEADER_TIMEOUT", self.header_timeout.as_secs().to_string()),
            ("KEEP_ALIVE_TIMEOUT", self.keep_alive_timeout.as_secs().to_string()),
            ("MAX_CONNECTIONS", self.max_connections.map_or("<automático>".into(), |n| n.to_string())),
        ];
        let photos = match &self.photos {
            PhotoStorage::Dir(dir) => vec![("PHOTOS_DIR", dir.display().to_string())],
            PhotoStorage::S3(s3) => vec![
                ("S3_BUCKET", s3.bucket.clone()),
                ("S3_ENDPOINT", s3.endpoint.clone().unwrap_or_else(|| "<AWS>".into())),
                ("S3_REGION", s3.region.clone()),
                ("AWS_ACCESS_KEY_ID", secret(&s3.access_key_id)),
                ("AWS_SECRET_ACCESS_KEY", secret(&s3.secret_access_key)),
            ],
        };
        settings.extend(photos);
        settings
            .push(("BACKUP_DIR", self.backup.as_ref().map_or("<desligado>".into(), |b| b.dir.display().to_string())));
        if let Some(backup) = &self.backup {
            settings.push(("BACKUP_INTERVAL", format!("{}s", backup.every.as_secs())));
            settings.push(("BACKUP_KEEP_DAYS", (backup.keep.as_secs() / 86_400).to_string()));
        }
        settings
    }
}

/// Passwords that a production server refuses to run with: the first version's default, and
/// the two an administrator is most likely to have kept. Each one costs a hash check per
/// administrator at every production start (bcrypt: about a quarter of a second of CPU), so the
/// list stays short.
pub const KNOWN_DEFAULT_PASSWORDS: &[&str] = &["admin123", "admin", "123456"];

/// Words of the example values in guides and templates: a secret containing one was copied,
/// not generated.
const PLACEHOLDER_WORDS: &[&str] =
    &["change", "troque", "altere", "mude", "example", "exemplo", "your-", "sua-", "placeholder", "secret-key"];

fn secret_problem(name: &str, value: Option<&str>) -> Option<String> {
    let how = "gere uma com `openssl rand -hex 32`";
    let Some(value) = value else {
        return Some(format!("{name} não definido: em produção é obrigatório ({how})"));
    };
    let chars = value.chars().count();
    if chars < MIN_SECRET_CHARS {
        return Some(format!("{name} fraco: tem {chars} caracteres, o mínimo é {MIN_SECRET_CHARS} ({how})"));
    }
    let distinct = value.chars().collect::<std::collections::HashSet<_>>().len();
    let lower = value.to_lowercase();
    if distinct < 10 || PLACEHOLDER_WORDS.iter().any(|w| lower.contains(w)) {
        return Some(format!("{name} parece um valor de exemplo, não uma chave aleatória ({how})"));
    }
    None
}

/// `https://loja.example.com, https://www.loja.example.com` -> `["loja.example.com",
/// "www.loja.example.com"]`: the address of each entry (a bare `host[:port]` also serves).
fn parse_public_hosts(text: &str) -> anyhow::Result<Vec<String>> {
    let entries = text.split(',').map(str::trim).filter(|entry| !entry.is_empty());
    entries
        .map(|entry| {
            let address = entry.strip_prefix("https://").or_else(|| entry.strip_prefix("http://")).unwrap_or(entry);
            let address = address.strip_suffix('/').unwrap_or(address);
            match address.parse::<axum::http::uri::Authority>() {
                Ok(authority) if !address.contains(['/', '@']) && !authority.host().is_empty() => {
                    Ok(authority.as_str().to_ascii_lowercase())
                }
                _ => bail!("PUBLIC_URL: {entry:?} não é um endereço (use, por exemplo, https://loja.exemplo.com.br)"),
            }
        })
        .collect()
}

fn parse_flag(text: &str) -> Option<bool> {
    match text.to_lowercase().as_str() {
        "1" | "true" | "yes" | "on" | "sim" => Some(true),
        "0" | "false" | "no" | "off" | "nao" | "não" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> anyhow::Result<Config> {
        Config::from_vars(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    #[test]
    fn no_configuration_gives_sqlite_on_port_5001() {
        let c = config(&[]).unwrap();
        assert_eq!(c.port, 5001);
        assert_eq!(c.database, DatabaseUrl::Sqlite { path: PathBuf::from("data/sistema-vendas.db") });
        assert_eq!(c.environment, Environment::Development);
        assert_eq!(c.pool_size, 10);
        assert_eq!(c.pool_recycle, Duration::from_secs(120));
        assert_eq!(c.timezone, chrono_tz::America::Sao_Paulo);
    }

    #[test]
    fn both_postgres_schemes_are_accepted() {
        for url in ["postgres://u:p@h/db", "postgresql://u:p@h/db?sslmode=require"] {
            let c = config(&[("DATABASE_URL", url)]).unwrap();
            assert!(matches!(c.database, DatabaseUrl::Postgres { .. }));
            assert!(c.database.connect_url().starts_with("postgres://"));
        }
    }

    #[test]
    fn database_urls_print_without_their_password() {
        let url = DatabaseUrl::parse("postgres://vendas:s3cr3t@db.example.com:5432/vendas?sslmode=require").unwrap();
        assert_eq!(url.to_string(), "postgres://vendas:***@db.example.com:5432/vendas?sslmode=require");
        assert_eq!(mask_password("postgres://vendas@host/db"), "postgres://vendas@host/db");
        assert_eq!(mask_password("postgres://u:pa/ss@host/db"), "postgres://u:***@host/db");
        assert_eq!(mask_password("postgres://u:p@ss@host/db?a=1"), "postgres://u:***@host/db?a=1");
        assert_eq!(mask_password("redis://:s3nha@h:6379/0"), "redis://:***@h:6379/0");
        let err = DatabaseUrl::parse("mysql://root:hunter2@h/db").unwrap_err().to_string();
        assert!(!err.contains("hunter2"), "{err}");
    }

    #[test]
    fn flask_style_production_flags_are_understood() {
        assert_eq!(config(&[("FLASK_ENV", "production")]).unwrap().environment, Environment::Production);
        assert_eq!(config(&[("DEBUG", "False")]).unwrap().environment, Environment::Production);
        assert_eq!(config(&[("APP_ENV", "production")]).unwrap().environment, Environment::Production);
        assert_eq!(config(&[("APP_ENV", "development")]).unwrap().environment, Environment::Development);
    }

    #[test]
    fn bad_values_are_explained() {
        assert!(config(&[("PORT", "abc")]).unwrap_err().to_string().contains("PORT"));
        assert!(config(&[("SQLITE_SYNCHRONOUS", "off")]).unwrap_err().to_string().contains("normal ou full"));
        assert!(
            config(&[("BUSINESS_TIMEZONE", "Mars/Olympus")]).unwrap_err().to_string().contains("BUSINESS_TIMEZONE")
        );
        assert!(config(&[("DATABASE_URL", "sqlite://")]).is_err());
    }

    #[test]
    fn scheduled_backups_are_daily_and_kept_a_week_unless_told() {
        assert_eq!(config(&[]).unwrap().backup, None);
        let c = config(&[("BACKUP_DIR", "/var/backups/vendas")]).unwrap();
        assert_eq!(
            c.backup,
            Some(BackupSchedule {
                dir: PathBuf::from("/var/backups/vendas"),
                every: Duration::from_secs(86_400),
                keep: Duration::from_secs(7 * 86_400),
            })
        );
        let c = config(&[("BACKUP_DIR", "b"), ("BACKUP_INTERVAL", "6h"), ("BACKUP_KEEP_DAYS", "30")]).unwrap();
        let backup = c.backup.unwrap();
        assert_eq!((backup.every, backup.keep), (Duration::from_secs(6 * 3600), Duration::from_secs(30 * 86_400)));
        assert!(
            config(&[("BACKUP_DIR", "b"), ("BACKUP_INTERVAL", "sempre")])
                .unwrap_err()
                .to_string()
                .contains("BACKUP_INTERVAL")
        );
        assert!(config(&[("BACKUP_DIR", "b"), ("BACKUP_KEEP_DAYS", "0")]).is_err());
    }

    #[test]
    fn durations_take_a_unit() {
        assert_eq!(parse_duration("90"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("30m"), Some(Duration::from_secs(1800)));
        assert_eq!(parse_duration("1d"), Some(Duration::from_secs(86_400)));
        for bad in ["", "0", "h", "1y", "-1h", "1.5h"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn cors_origins_are_a_trimmed_list() {
        let c = config(&[("CORS_ORIGINS", "https://a.com/, https://b.com ,")]).unwrap();
        assert_eq!(c.cors_origins, vec!["https://a.com", "https://b.com"]);
    }

    #[test]
    fn proxy_https_and_limit_settings_are_parsed() {
        let c = config(&[]).unwrap();
        assert_eq!((c.trust_proxy, c.force_https, c.redis_url.clone()), (0, false, None));
        assert_eq!(c.login_limits, LoginLimits { per_username: 5, per_address: 20, window: Duration::from_secs(900) });
        assert_eq!(config(&[("TRUST_PROXY", "true")]).unwrap().trust_proxy, 1);
        assert_eq!(config(&[("TRUST_PROXY", "2")]).unwrap().trust_proxy, 2);
        assert!(config(&[("TRUST_PROXY", "talvez")]).unwrap_err().to_string().contains("TRUST_PROXY"));
        assert!(config(&[("FORCE_HTTPS", "sim")]).unwrap().force_https);
        assert!(config(&[("FORCE_HTTPS", "x")]).is_err());
        assert!(config(&[("LOGIN_WINDOW_SECONDS", "0")]).is_err());
        assert!(config(&[("REDIS_URL", "http://h")]).is_err());
        let c = config(&[("REDIS_URL", "rediss://:p@h:6380"), ("REDIS_TLS_INSECURE", "true")]).unwrap();
        assert_eq!(c.redis_url.as_deref(), Some("rediss://:p@h:6380#insecure"));
    }

    #[test]
    fn connection_limits_have_defaults_and_refuse_zero() {
        let c = config(&[]).unwrap();
        assert_eq!((c.header_timeout, c.keep_alive_timeout), (Duration::from_secs(10), Duration::from_secs(75)));
        assert_eq!(c.max_connections, None);
        let c = config(&[("HEADER_TIMEOUT", "2"), ("KEEP_ALIVE_TIMEOUT", "65"), ("MAX_CONNECTIONS", "500")]).unwrap();
        assert_eq!((c.header_timeout.as_secs(), c.keep_alive_timeout.as_secs(), c.max_connections), (2, 65, Some(500)));
        for name in ["HEADER_TIMEOUT", "KEEP_ALIVE_TIMEOUT", "MAX_CONNECTIONS"] {
            assert!(config(&[(name, "0")]).unwrap_err().to_string().contains(name), "{name}");
            assert!(config(&[(name, "muito")]).unwrap_err().to_string().contains(name), "{name}");
        }
    }

    #[test]
    fn public_addresses_are_a_list_of_hosts() {
        assert_eq!(config(&[]).unwrap().public_hosts, Vec::<String>::new());
        let c = config(&[("PUBLIC_URL", "https://Loja.Example.com/, www.loja.example.com ,http://h:8443")]).unwrap();
        assert_eq!(c.public_hosts, ["loja.example.com", "www.loja.example.com", "h:8443"]);
        for bad in ["https://loja.example.com/vendas", "https://u:p@loja.example.com", "ftp://loja", "https://"] {
            assert!(config(&[("PUBLIC_URL", bad)]).unwrap_err().to_string().contains("PUBLIC_URL"), "{bad}");
        }
    }

    #[test]
    fn production_problems_name_each_weak_secret_without_showing_it() {
        let strong = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        let other = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752";
        let ok = config(&[("JWT_SECRET_KEY", strong), ("SECRET_KEY", other)]).unwrap();
        assert!(ok.production_problems().is_empty());
        let weak = config(&[("JWT_SECRET_KEY", "0123456789abcdef0123456789abcde"), ("SECRET_KEY", strong)]).unwrap();
        let problems = weak.production_problems();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("JWT_SECRET_KEY fraco: tem 31 caracteres"), "{problems:?}");
        assert!(!problems[0].contains("0123456789"));
        let same = config(&[("JWT_SECRET_KEY", strong), ("SECRET_KEY", strong)]).unwrap();
        assert_eq!(same.production_problems(), ["JWT_SECRET_KEY e SECRET_KEY devem ser diferentes"]);
        let example = config(&[("JWT_SECRET_KEY", "your-jwt-secret-key-change-in-production"), ("SECRET_KEY", other)]);
        assert!(example.unwrap().production_problems()[0].contains("valor de exemplo"));
    }

    #[test]
    fn photos_go_beside_the_sqlite_database_unless_a_folder_or_a_bucket_is_named() {
        let dir = |c: Config| match c.photos {
            PhotoStorage::Dir(dir) => dir,
            other => panic!("{other:?}"),
        };
        assert_eq!(dir(config(&[]).unwrap()), PathBuf::from("data/fotos"));
        assert_eq!(
            dir(config(&[("DATABASE_URL", "sqlite:///srv/loja/vendas.db")]).unwrap()),
            PathBuf::from("/srv/loja/fotos")
        );
        assert_eq!(dir(config(&[("DATABASE_URL", "sqlite://vendas.db")]).unwrap()), PathBuf::from("fotos"));
        assert_eq!(dir(config(&[("DATABASE_URL", "postgres://h/db")]).unwrap()), PathBuf::from("data/fotos"));
        assert_eq!(dir(config(&[("PHOTOS_DIR", "/var/fotos")]).unwrap()), PathBuf::from("/var/fotos"));
        let s3 = config(&[
            ("S3_BUCKET", "loja"),
            ("S3_ENDPOINT", "http://127.0.0.1:9000/"),
            ("AWS_ACCESS_KEY_ID", "chave"),
            ("AWS_SECRET_ACCESS_KEY", "segredo-s3"),
        ])
        .unwrap();
        let PhotoStorage::S3(settings) = &s3.photos else { panic!("{:?}", s3.photos) };
        assert_eq!(
            (settings.endpoint.as_deref(), settings.region.as_str()),
            (Some("http://127.0.0.1:9000"), "us-east-1")
        );
        assert!(!format!("{:?}", s3.settings()).contains("segredo-s3"));
        assert!(config(&[("S3_BUCKET", "loja"), ("S3_ENDPOINT", "ftp://h")]).is_err());
        assert!(config(&[("S3_BUCKET", "loja"), ("AWS_ACCESS_KEY_ID", "chave")]).is_err());
    }

    #[test]
    fn settings_show_whether_secrets_are_set_never_their_values() {
        let c = config(&[
            ("JWT_SECRET_KEY", "segredo-jwt-muito-secreto"),
            ("REDIS_URL", "redis://:senha-redis@h:6379"),
            ("DATABASE_URL", "postgres://u:senha-pg@h/db"),
        ])
        .unwrap();
        let shown = format!("{:?} {:?}", c.settings(), c);
        for secret in ["segredo-jwt", "senha-redis", "senha-pg"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.contains("<definido, 25 caracteres>") && shown.contains("redis://:***@h:6379"), "{shown}");
    }
}
