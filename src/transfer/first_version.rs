//! Importing a first-version shop (Flask + SQLAlchemy, on SQLite or PostgreSQL): its users
//! with their roles and Werkzeug password hashes (kept as they are; the first login replaces
//! them with bcrypt), categories, products, sales and items, with their ids and times.
//!
//! Money: the first version's SQLite stored `NUMERIC(10,2)` as binary floats. Each stored
//! value is rounded to cents once, exactly (half away from zero on the float's exact value);
//! a sale's total is never changed, and a sale whose items do not add up to it is reported.
//! Times were naive UTC and are stored as UTC.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use anyhow::{Context, bail};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use sqlx::Connection;

use super::dataset::{CategoryRow, Dataset, Mismatch, ProductRow, SaleItemRow, SaleRow, UserRow};
use super::load::{LoadOptions, load_into, problems_message, replaced_note};
use super::{FileKind, seconds};
use crate::config::{Config, mask_password};
use crate::db::first_version::{self as source, Stored};
use crate::db::{self, Backend, bulk};
use crate::domain::catalog::DEFAULT_MIN_STOCK;
use crate::domain::money::brl;
use crate::domain::number::{NumberError, parse_scaled};
use crate::domain::text::{clean_name, search_key};
use crate::domain::time::{BusinessCalendar, Timestamp};

/// The `meta` key that records a first-version import (and refuses a second one).
pub const MARKER: &str = "first_version_import";

/// Where the first version's data is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Source {
    /// A `postgres://` URL, or an SQLite file (a path, or `sqlite://path`).
    pub fn parse(text: &str) -> Source {
        let text = text.trim();
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            return Source::Postgres(text.replacen("postgresql://", "postgres://", 1));
        }
        let path = text.strip_prefix("sqlite://").or_else(|| text.strip_prefix("sqlite:")).unwrap_or(text);
        Source::Sqlite(PathBuf::from(path))
    }

    /// For messages: the path, or the URL with its password masked.
    pub fn describe(&self) -> String {
        match self {
            Source::Sqlite(path) => path.display().to_string(),
            Source::Postgres(url) => mask_password(url),
        }
    }
}

/// Opens the source read-only and reads its five tables in one read transaction. Every way
/// it can be unusable (missing, not SQLite, damaged, not a first-version schema) ends here
/// with a message, before anything is written anywhere.
pub async fn read(source: &Source) -> anyhow::Result<source::Contents> {
    let (mut conn, backend) = match source {
        Source::Sqlite(path) => {
            if !path.is_file() {
                bail!("arquivo não encontrado: {}", path.display());
            }
            if FileKind::of(path).ok() != Some(FileKind::Sqlite) {
                bail!("{} não é um banco SQLite: arquivo corrompido ou de outro tipo", path.display());
            }
            let mut conn = db::open_other(&path.to_string_lossy())
                .await
                .with_context(|| format!("não foi possível abrir o banco SQLite {}", path.display()))?;
            let damage = bulk::sqlite_damage(&mut conn)
                .await
                .with_context(|| format!("o banco {} está corrompido", path.display()))?;
            if let Some(damage) = damage {
                bail!("o banco {} está corrompido: {damage}", path.display());
            }
            (conn, Backend::Sqlite)
        }
        Source::Postgres(url) => {
            let conn = db::open_other(url)
                .await
                .with_context(|| format!("não foi possível conectar à origem {}", mask_password(url)))?;
            (conn, Backend::Postgres)
        }
    };
    let tables =
        crate::db::table_names(&mut conn, backend).await.context("não foi possível listar as tabelas da origem")?;
    if tables.iter().any(|t| t == "_sqlx_migrations") {
        bail!(
            "{} é um banco deste sistema, não da primeira versão: para trazê-lo use restore (backup) ou import \
             (exportação)",
            source.describe()
        );
    }
    let missing: Vec<&str> = source::TABLES.into_iter().filter(|t| !tables.iter().any(|have| have == t)).collect();
    if !missing.is_empty() {
        bail!(
            "{} não é um banco completo da primeira versão: falta(m) a(s) tabela(s) {}",
            source.describe(),
            missing.join(", ")
        );
    }
    // One read transaction: a consistent view even if the first version is still running.
    let mut tx = conn.begin().await?;
    let contents = source::read(&mut tx, backend).await?;
    tx.rollback().await?;
    conn.close().await?;
    Ok(contents)
}

/// The first version's data in this system's terms, with what was adapted and what blocks
/// the import.
#[derive(Debug, Clone, Default)]
pub struct Conversion {
    pub data: Dataset,
    /// What was adapted on the way (renamed categories, placeholders for deleted rows,
    /// values with more than two decimals), for the report.
    pub notes: Vec<String>,
    /// What makes the import impossible (nothing is written while there is any).
    pub problems: Vec<String>,
    /// Sales whose items do not add up to their total: imported unchanged, and reported.
    pub mismatches: Vec<Mismatch>,
}

pub fn convert(source: source::Contents, now: Timestamp) -> Conversion {
    let mut log = Findings { notes: Vec::new(), problems: Vec::new(), now };
    let mut users = users(&source.users, &mut log);
    let categories = categories(&source.categories, &mut log);
    let mut products = products(&source.products, &categories, &mut log);
    let sales = sales(&source.sales, &mut log);
    users.extend(deleted_sellers(&users, &sales, &mut log));
    users.sort_by_key(|u| u.id);
    let mut items: Vec<SaleItemRow> = source.items.iter().map(|i| item(i, &mut log)).collect();
    products.extend(deleted_products(&products, &items, &mut log));
    products.sort_by_key(|p| p.id);
    let names: HashMap<i64, &str> = products.iter().map(|p| (p.id, p.name.as_str())).collect();
    for item in &mut items {
        item.product_name = names.get(&item.product_id).copied().unwrap_or_default().to_string();
    }

    let data = Dataset { users, categories, products, sales, sale_items: items, ..Dataset::default() };
    for user in data.users.iter().filter(|u| u.deleted_at.is_none()) {
        if !["scrypt:", "pbkdf2:", "$2"].iter().any(|p| user.password_hash.starts_with(p)) {
            log.notes.push(format!(
                "usuário {} ({}): formato de senha desconhecido; não conseguirá entrar até que um administrador \
                 defina uma nova senha",
                user.id, user.username
            ));
        }
    }
    log.problems.extend(data.problems());
    let mismatches = data.mismatched_sales();
    Conversion { data, notes: log.notes, problems: log.problems, mismatches }
}

/// What a conversion noted and what blocks it, and the time of the import.
struct Findings {
    notes: Vec<String>,
    problems: Vec<String>,
    now: Timestamp,
}

impl Findings {
    /// A creation time of the source; a missing or unreadable one becomes the import's, noted.
    fn created(&mut self, what: &str, text: &Option<String>) -> Timestamp {
        match text.as_deref().map(naive_utc) {
            Some(Some(t)) => t,
            other => {
                let why = if other.is_none() { "sem data de criação" } else { "data de criação ilegível" };
                self.notes.push(format!("{what}: {why}; registrada a data da importação"));
                self.now
            }
        }
    }

    /// A money value of the source in cents, rounded once; notes values that had more than
    /// two decimals (not just the float's representation error), and records unreadable ones.
    fn money(&mut self, label: &str, field: &str, value: &Stored) -> i64 {
        match cents(value) {
            Ok((cents, true)) => cents,
            Ok((cents, false)) => {
                self.notes.push(format!("{label}: {field} {} arredondado para {}", shown(value), brl(cents)));
                cents
            }
            Err(why) => {
                self.problems.push(format!("{label}: {field} {why}"));
                0
            }
        }
    }
}

fn users(source: &[source::User], log: &mut Findings) -> Vec<UserRow> {
    source
        .iter()
        .map(|u| UserRow {
            id: u.id,
            username: u.username.clone(),
            password_hash: u.password_hash.clone(),
            role: u.role.trim().to_string(),
            session_version: 0,
            created_at: log.created(&format!("usuário {} ({})", u.id, u.username), &u.created_at),
            deactivated_at: None,
            deleted_at: None,
        })
        .collect()
}

/// Categories, renamed where this system's rule (names unique regardless of case and
/// accents) would take two of them for one.
fn categories(source: &[source::Category], log: &mut Findings) -> Vec<CategoryRow> {
    let mut categories = Vec::with_capacity(source.len());
    let mut keys: HashMap<String, (i64, String)> = HashMap::new();
    for c in source {
        let created_at = log.created(&format!("categoria {} ({})", c.id, c.name), &c.created_at);
        let mut name = clean_name(&c.name).unwrap_or_else(|| format!("Categoria {}", c.id));
        if let Some((other, other_name)) = keys.get(&search_key(&name)) {
            let original = name.clone();
            let mut n = 2;
            while keys.contains_key(&search_key(&format!("{original} ({n})"))) {
                n += 1;
            }
            name = format!("{original} ({n})");
            log.notes.push(format!(
                "categoria {} {original:?} renomeada para {name:?}: neste sistema o nome coincide com o da \
                 categoria {other} {other_name:?} (maiúsculas e acentos não distinguem categorias). Junte-as pela \
                 tela de produtos se forem a mesma",
                c.id
            ));
        }
        keys.insert(search_key(&name), (c.id, name.clone()));
        categories.push(CategoryRow { id: c.id, name, created_at });
    }
    categories
}

fn products(source: &[source::Product], categories: &[CategoryRow], log: &mut Findings) -> Vec<ProductRow> {
    let category_ids: HashSet<i64> = categories.iter().map(|c| c.id).collect();
    source
        .iter()
        .map(|p| {
            let label = format!("produto {} ({})", p.id, p.name);
            let created_at = log.created(&label, &p.created_at);
            let category_id = p.category_id.filter(|id| {
                let exists = category_ids.contains(id);
                if !exists {
                    log.notes
                        .push(format!("{label}: a categoria {id} não existe mais na origem; importado sem categoria"));
                }
                exists
            });
            ProductRow {
                id: p.id,
                name: clean_name(&p.name).unwrap_or_else(|| format!("Produto {}", p.id)),
                code: None,
                description: p.description.as_deref().and_then(clean_name),
                price_cents: log.money(&label, "preço", &p.price),
                stock: p.stock,
                min_stock: DEFAULT_MIN_STOCK,
                category_id,
                created_at,
                updated_at: created_at,
                archived_at: None,
                ..ProductRow::sold_in_units()
            }
        })
        .collect()
}

fn sales(source: &[source::Sale], log: &mut Findings) -> Vec<SaleRow> {
    source
        .iter()
        .map(|s| {
            let label = format!("venda {}", s.id);
            let created_at = match s.timestamp.as_deref() {
                Some(text) => naive_utc(text).unwrap_or_else(|| {
                    log.problems.push(format!("{label}: data ilegível {text:?}"));
                    log.now
                }),
                None => {
                    log.problems.push(format!("{label}: sem data"));
                    log.now
                }
            };
            SaleRow::plain(s.id, s.user_id, log.money(&label, "total", &s.total_amount), None, created_at)
        })
        .collect()
}

fn item(i: &source::Item, log: &mut Findings) -> SaleItemRow {
    let price_cents = log.money(&format!("item {} da venda {}", i.id, i.sale_id), "preço", &i.price_at_sale);
    SaleItemRow::plain(i.id, i.sale_id, i.product_id, String::new(), i.quantity, price_cents)
}

/// Sellers the first version deleted while keeping their sales (its SQLite did not enforce
/// foreign keys): kept as deleted users, so that those sales keep their seller and total.
fn deleted_sellers(users: &[UserRow], sales: &[SaleRow], log: &mut Findings) -> Vec<UserRow> {
    let user_ids: HashSet<i64> = users.iter().map(|u| u.id).collect();
    let mut first_sale: BTreeMap<i64, Timestamp> = BTreeMap::new();
    for sale in sales.iter().filter(|s| !user_ids.contains(&s.user_id)) {
        let first = first_sale.entry(sale.user_id).or_insert(sale.created_at);
        *first = (*first).min(sale.created_at);
    }
    first_sale
        .into_iter()
        .map(|(id, first_sale)| {
            let username = format!("usuario-removido-{id}");
            log.notes.push(format!(
                "as vendas do usuário {id}, que não existe mais na origem, ficam com o usuário removido {username:?}"
            ));
            UserRow {
                id,
                username,
                password_hash: String::new(),
                role: "funcionario".into(),
                session_version: 0,
                created_at: first_sale,
                deactivated_at: Some(log.now),
                deleted_at: Some(log.now),
            }
        })
        .collect()
}

/// Products the first version deleted while keeping their sales: kept archived, at the
/// highest price they were sold for.
fn deleted_products(products: &[ProductRow], items: &[SaleItemRow], log: &mut Findings) -> Vec<ProductRow> {
    let product_ids: HashSet<i64> = products.iter().map(|p| p.id).collect();
    let mut highest_price: BTreeMap<i64, i64> = BTreeMap::new();
    for item in items.iter().filter(|i| !product_ids.contains(&i.product_id)) {
        let highest = highest_price.entry(item.product_id).or_insert(item.price_cents);
        *highest = (*highest).max(item.price_cents);
    }
    highest_price
        .into_iter()
        .map(|(id, price_cents)| {
            let name = format!("Produto removido {id}");
            log.notes.push(format!(
                "os itens vendidos do produto {id}, que não existe mais na origem, ficam com o produto arquivado \
                 {name:?}"
            ));
            ProductRow {
                id,
                name,
                code: None,
                description: None,
                price_cents: price_cents.max(1),
                stock: 0,
                min_stock: 0,
                category_id: None,
                created_at: log.now,
                updated_at: log.now,
                archived_at: Some(log.now),
                ..ProductRow::sold_in_units()
            }
        })
        .collect()
}

fn shown(value: &Stored) -> String {
    match value {
        Stored::Null => "vazio".into(),
        Stored::Integer(i) => i.to_string(),
        Stored::Real(r) => r.to_string(),
        Stored::Text(t) => format!("{t:?}"),
    }
}

/// Cents of a stored value, and whether the value was (up to the float's representation
/// error) a whole number of cents.
pub fn cents(value: &Stored) -> Result<(i64, bool), String> {
    match value {
        Stored::Null => Err("vazio".into()),
        Stored::Integer(units) => units.checked_mul(100).map(|c| (c, true)).ok_or_else(|| "fora do limite".into()),
        Stored::Real(real) => {
            let cents = round_to_cents(*real).ok_or_else(|| format!("inválido ({real})"))?;
            Ok((cents, (real * 100.0 - cents as f64).abs() < 1e-6))
        }
        Stored::Text(text) => match parse_scaled(text.trim(), 2, i64::MIN, i64::MAX) {
            Ok(cents) => Ok((cents, true)),
            Err(NumberError::TooPrecise) => match text.trim().parse::<f64>() {
                Ok(real) => cents(&Stored::Real(real)).map(|(c, _)| (c, false)),
                Err(_) => Err(format!("ilegível ({text:?})")),
            },
            Err(_) => Err(format!("ilegível ({text:?})")),
        },
    }
}

/// Rounds a binary float to cents once, on its exact value, half away from zero. None for
/// values no price or total can have (not finite, beyond a trillion).
pub fn round_to_cents(value: f64) -> Option<i64> {
    if !value.is_finite() || value.abs() > 1e12 {
        return None;
    }
    let bits = value.to_bits();
    let negative = bits >> 63 == 1;
    let exponent = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1u64 << 52) - 1);
    // value = mantissa × 2^power, exactly.
    let (mantissa, power) = if exponent == 0 { (fraction, -1074) } else { (fraction | (1 << 52), exponent - 1075) };
    let hundred_times = u128::from(mantissa) * 100;
    let cents = if power >= 0 {
        hundred_times << power
    } else {
        let shift = power.unsigned_abs();
        if shift > 100 { 0 } else { (hundred_times + (1u128 << (shift - 1))) >> shift }
    };
    let cents = i64::try_from(cents).ok()?;
    Some(if negative { -cents } else { cents })
}

/// A first-version time (naive UTC, as SQLAlchemy wrote it) as an instant.
pub fn naive_utc(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    for format in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return Some(Timestamp::from(naive.and_utc()));
        }
    }
    for format in ["%Y-%m-%d %H:%M:%S%.f%#z", "%Y-%m-%dT%H:%M:%S%.f%#z"] {
        if let Ok(instant) = DateTime::parse_from_str(text, format) {
            return Some(Timestamp::from(instant.with_timezone(&Utc)));
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().map(|d| Timestamp::from(d.and_time(Default::default()).and_utc()))
}

/// `import-v1`: reads, converts and reports; unless `dry_run`, writes it all in one
/// transaction into the configured (empty) database and verifies it.
pub async fn run(config: &Config, source: &Source, dry_run: bool) -> anyhow::Result<()> {
    let contents = read(source).await?;
    let conversion = convert(contents, Timestamp::now());
    let data = &conversion.data;
    println!("Primeira versão: {}", source.describe());
    println!("{}", period(data));
    print!("{}", data.totals().render());
    print_findings(&conversion);
    if !conversion.problems.is_empty() {
        bail!(problems_message(&conversion.problems));
    }
    if dry_run {
        println!(
            "\nSimulação (--dry-run): nada foi gravado. Sem --dry-run, tudo isso seria gravado em {}.",
            config.database
        );
        return Ok(());
    }

    let totals = data.totals();
    let marker = format!(
        "da primeira versão, de {}, em {} ({} vendas, {})",
        source.describe(),
        Timestamp::now().to_utc().format("%d/%m/%Y %H:%M UTC"),
        totals.sales,
        brl(totals.sales_cents)
    );
    let options = LoadOptions {
        replace: false,
        calendar: BusinessCalendar::new(config.timezone),
        marker: Some((MARKER, marker)),
    };
    let last_sale = data.sales.iter().map(|s| s.id).max().unwrap_or(0);
    let loaded = load_into(config, conversion.data, options).await?;
    if let Some(note) = replaced_note(&loaded.replaced) {
        println!("\nObservação: {note}.");
    }
    println!(
        "\nImportado para {} em {} e conferido no destino: contagens e somas (no total e por usuário) iguais às \
         da origem.",
        config.database,
        seconds(loaded.elapsed)
    );
    println!(
        "Os usuários entram com as senhas que já tinham; no primeiro login de cada um a senha passa a ser guardada \
         em bcrypt. Novas vendas continuam a numeração depois da venda {}.",
        last_sale
    );
    Ok(())
}

fn period(data: &Dataset) -> String {
    let first = data.sales.iter().map(|s| s.created_at).min();
    let last = data.sales.iter().map(|s| s.created_at).max();
    match (first, last) {
        (Some(first), Some(last)) => format!(
            "Vendas de {} a {} (UTC):",
            first.to_utc().format("%d/%m/%Y %H:%M"),
            last.to_utc().format("%d/%m/%Y %H:%M")
        ),
        _ => "Nenhuma venda:".into(),
    }
}

fn print_findings(conversion: &Conversion) {
    if !conversion.mismatches.is_empty() {
        println!("\nVendas cujos itens não somam o total (importadas como estão, o total não foi alterado):");
        for m in &conversion.mismatches {
            println!(
                "  - venda {}: total {}, {} item(ns) somam {} (diferença {})",
                m.sale_id,
                brl(m.total_cents),
                m.items,
                brl(m.items_cents),
                brl(m.total_cents - m.items_cents)
            );
        }
    } else {
        println!("\nTodas as vendas conferem: os itens de cada uma somam o seu total.");
    }
    if !conversion.notes.is_empty() {
        println!("\nAvisos:");
        for note in &conversion.notes {
            println!("  - {note}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_are_rounded_to_cents_once_on_their_exact_value() {
        assert_eq!(round_to_cents(4.79), Some(479));
        assert_eq!(round_to_cents(18.9), Some(1890));
        assert_eq!(round_to_cents(47.379999999999995), Some(4738));
        assert_eq!(round_to_cents(34.980000000000004), Some(3498));
        assert_eq!(round_to_cents(0.75), Some(75));
        // 0.125 is exact in binary: a true half, rounded away from zero.
        assert_eq!(round_to_cents(0.125), Some(13));
        assert_eq!(round_to_cents(-0.125), Some(-13));
        // 1.005 is stored as 1.00499999999999989...: below the half.
        assert_eq!(round_to_cents(1.005), Some(100));
        assert_eq!(round_to_cents(2.675), Some(267));
        assert_eq!(round_to_cents(0.0), Some(0));
        assert_eq!(round_to_cents(1e-300), Some(0));
        assert_eq!(round_to_cents(123_456_789.99), Some(12_345_678_999));
        assert_eq!(round_to_cents(f64::NAN), None);
        assert_eq!(round_to_cents(1e20), None);
    }

    #[test]
    fn stored_values_say_whether_rounding_changed_them() {
        assert_eq!(cents(&Stored::Real(47.379999999999995)), Ok((4738, true)));
        assert_eq!(cents(&Stored::Real(0.125)), Ok((13, false)));
        assert_eq!(cents(&Stored::Integer(15)), Ok((1500, true)));
        assert_eq!(cents(&Stored::Text("18.90".into())), Ok((1890, true)));
        assert_eq!(cents(&Stored::Text("2.999".into())), Ok((300, false)));
        assert!(cents(&Stored::Text("abc".into())).is_err());
        assert!(cents(&Stored::Null).is_err());
    }

    #[test]
    fn first_version_times_are_naive_utc() {
        let at = |t: &str| naive_utc(t).map(|t| t.to_rfc3339());
        assert_eq!(at("2025-06-02 11:00:00").as_deref(), Some("2025-06-02T11:00:00Z"));
        assert_eq!(at("2026-11-29 14:04:08.992351").as_deref(), Some("2026-11-29T14:04:08.992351Z"));
        assert_eq!(at("2025-06-02T11:00").as_deref(), Some("2025-06-02T11:00:00Z"));
        assert_eq!(at("2025-06-02 08:00:00-03").as_deref(), Some("2025-06-02T11:00:00Z"));
        assert_eq!(at("2025-06-02").as_deref(), Some("2025-06-02T00:00:00Z"));
        assert_eq!(at("ontem"), None);
    }

    #[test]
    fn sources_are_files_or_postgres_urls() {
        assert_eq!(Source::parse("loja.sqlite"), Source::Sqlite("loja.sqlite".into()));
        assert_eq!(Source::parse("sqlite:///tmp/loja.db"), Source::Sqlite("/tmp/loja.db".into()));
        assert_eq!(Source::parse("postgresql://u:p@h/db"), Source::Postgres("postgres://u:p@h/db".into()));
        assert_eq!(Source::parse("postgres://u:segredo@h/db").describe(), "postgres://u:***@h/db");
    }

    fn contents() -> source::Contents {
        let time = Some("2025-06-02 11:00:00".to_string());
        source::Contents {
            users: vec![source::User {
                id: 1,
                username: "ana".into(),
                password_hash: "scrypt:32768:8:1$s$00".into(),
                role: "admin".into(),
                created_at: time.clone(),
            }],
            categories: vec![
                source::Category { id: 1, name: "Bebidas".into(), created_at: time.clone() },
                source::Category { id: 2, name: "bebidas".into(), created_at: None },
            ],
            products: vec![source::Product {
                id: 1,
                name: "Água".into(),
                description: Some(String::new()),
                price: Stored::Real(2.5),
                stock: 10,
                category_id: Some(9),
                created_at: time.clone(),
            }],
            sales: vec![
                source::Sale { id: 1, user_id: 1, total_amount: Stored::Real(5.0), timestamp: time.clone() },
                source::Sale { id: 2, user_id: 7, total_amount: Stored::Real(9.99), timestamp: time.clone() },
            ],
            items: vec![
                source::Item { id: 1, sale_id: 1, product_id: 1, quantity: 2, price_at_sale: Stored::Real(2.5) },
                source::Item { id: 2, sale_id: 2, product_id: 5, quantity: 1, price_at_sale: Stored::Real(9.0) },
            ],
        }
    }

    #[test]
    fn what_the_first_version_left_behind_is_kept_and_reported() {
        let now = Timestamp::from_micros(1_800_000_000_000_000);
        let conversion = convert(contents(), now);
        assert_eq!(conversion.problems, Vec::<String>::new());
        let data = &conversion.data;
        assert_eq!(data.categories[1].name, "bebidas (2)");
        assert_eq!(data.categories[1].created_at, now);
        assert_eq!(data.products[0].category_id, None);
        assert_eq!(data.products[0].description, None);
        assert_eq!(data.products[0].min_stock, DEFAULT_MIN_STOCK);
        let ghost = data.users.iter().find(|u| u.id == 7).unwrap();
        assert!(ghost.deleted_at.is_some());
        let archived = data.products.iter().find(|p| p.id == 5).unwrap();
        assert_eq!((archived.price_cents, archived.archived_at), (900, Some(now)));
        assert_eq!(data.sale_items[1].product_name, "Produto removido 5");
        assert_eq!(data.sales[1].total_cents, 999, "o total nunca é alterado");
        assert_eq!(conversion.mismatches.len(), 1);
        assert_eq!(conversion.mismatches[0].sale_id, 2);
        let notes = conversion.notes.join("\n");
        for expected in ["renomeada", "sem categoria", "usuario-removido-7", "Produto removido 5"] {
            assert!(notes.contains(expected), "{expected}: {notes}");
        }
    }

    #[test]
    fn a_sale_without_a_time_blocks_the_import() {
        let mut source = contents();
        source.sales[0].timestamp = None;
        let conversion = convert(source, Timestamp::now());
        assert!(conversion.problems.iter().any(|p| p.contains("venda 1: sem data")), "{:?}", conversion.problems);
    }
}
