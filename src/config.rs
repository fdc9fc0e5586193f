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
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
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
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let set = |v: &Option<String>| {
            if v.is_some() { "<definido>" } else { "<não definido>" }
        };
        f.debug_struct("Config")
            .field("environment", &self.environment)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("database", &self.database)
            .field("pool_size", &self.pool_size)
            .field("pool_recycle", &self.pool_recycle)
            .field("jwt_secret", &set(&self.jwt_secret))
            .field("secret_key", &set(&self.secret_key))
            .field("jwt_lifetime", &self.jwt_lifetime)
            .field("bcrypt_cost", &self.bcrypt_cost)
            .field("timezone", &self.timezone)
            .field("cors_origins", &self.cors_origins)
            .field("admin_password", &set(&self.admin_password))
            .finish()
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
        })
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
        assert!(
            config(&[("BUSINESS_TIMEZONE", "Mars/Olympus")]).unwrap_err().to_string().contains("BUSINESS_TIMEZONE")
        );
        assert!(config(&[("DATABASE_URL", "sqlite://")]).is_err());
    }

    #[test]
    fn cors_origins_are_a_trimmed_list() {
        let c = config(&[("CORS_ORIGINS", "https://a.com/, https://b.com ,")]).unwrap();
        assert_eq!(c.cors_origins, vec!["https://a.com", "https://b.com"]);
    }
}
