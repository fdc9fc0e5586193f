//! The portable export: one JSON document with every row of the shop and the counts and sums
//! that describe it, the same from SQLite and from PostgreSQL. Money is integer cents and
//! times RFC 3339 in UTC, so nothing is lost on the way. Compressed with gzip when the file
//! name ends in `.gz` (and read either way).
//!
//! ```json
//! {"format": "sistema-vendas-export", "version": 1, "app_version": "0.1.0",
//!  "exported_at": "2026-11-29T17:05:00Z", "source": "sqlite", "totals": {...},
//!  "users": [...], "categories": [...], "products": [...], "sales": [...], "sale_items": [...]}
//! ```

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, bail};
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use serde::{Deserialize, Serialize};

use super::dataset::Dataset;
use super::load::{LoadOptions, load_into, replaced_note};
use super::photos::{self, PhotoFile};
use super::{Partial, seconds, size};
use crate::config::{Config, DatabaseUrl};
use crate::db::bulk::{self, Totals};
use crate::db::{Backend, Db};
use crate::domain::time::{BusinessCalendar, Timestamp};
use crate::storage::Photos;

pub const FORMAT: &str = "sistema-vendas-export";
/// Bumped when the meaning of a field changes; readers refuse versions they do not know.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Export {
    pub format: String,
    pub version: u32,
    pub app_version: String,
    pub exported_at: Timestamp,
    /// `sqlite` or `postgres`.
    pub source: String,
    /// What the rows below add up to (checked when the file is read).
    pub totals: Totals,
    #[serde(flatten)]
    pub data: Dataset,
    /// The images of the product photos (see `transfer::photos`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photo_files: Vec<PhotoFile>,
}

impl Export {
    pub fn new(data: Dataset, backend: Backend) -> Export {
        Export {
            format: FORMAT.into(),
            version: VERSION,
            app_version: env!("CARGO_PKG_VERSION").into(),
            exported_at: Timestamp::now(),
            source: match backend {
                Backend::Sqlite => "sqlite".into(),
                Backend::Postgres => "postgres".into(),
            },
            totals: data.totals(),
            data,
            photo_files: Vec::new(),
        }
    }
}

/// Reads every row of the database in one snapshot (the server may keep selling meanwhile),
/// and checks that the rows add up to what the database itself counts and sums.
pub async fn snapshot(db: &Db) -> anyhow::Result<Export> {
    let mut tx = db.begin_snapshot().await.context("não foi possível abrir uma leitura consistente do banco")?;
    let data = Dataset::read(&mut tx).await.context("falha ao ler os dados do banco")?;
    let counted = bulk::totals(&mut tx).await?;
    tx.rollback().await?;
    let export = Export::new(data, db.backend);
    let differences = export.totals.differences(&counted);
    anyhow::ensure!(differences.is_empty(), "leitura inconsistente do banco: {}", differences.join("; "));
    Ok(export)
}

/// Writes `export` to `path` (gzip when the name ends in `.gz`); the file appears complete or
/// not at all. Returns its size in bytes.
pub fn write(export: &Export, path: &Path) -> anyhow::Result<u64> {
    let partial = Partial::new(path)?;
    let file = File::create(&partial.path).with_context(|| format!("não foi possível criar {}", path.display()))?;
    let gzip = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    let mut out: Box<dyn Write> = if gzip {
        Box::new(GzEncoder::new(BufWriter::new(file), Compression::default()))
    } else {
        Box::new(BufWriter::new(file))
    };
    serde_json::to_writer(&mut out, export)?;
    out.write_all(b"\n")?;
    drop(out); // flushes (and finishes the gzip stream)
    partial.finish()
}

/// The fields every version has, read first so that an unknown file gets a clear message.
#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    version: Option<u32>,
}

/// Reads an export and checks that its rows add up to the totals it declares (a truncated or
/// edited file is refused).
pub fn read(path: &Path) -> anyhow::Result<Export> {
    let raw = std::fs::read(path).with_context(|| format!("não foi possível ler {}", path.display()))?;
    let bytes = if raw.starts_with(&[0x1f, 0x8b]) {
        let mut bytes = Vec::with_capacity(raw.len() * 8);
        GzDecoder::new(&raw[..])
            .read_to_end(&mut bytes)
            .with_context(|| format!("{}: arquivo gzip corrompido ou incompleto", path.display()))?;
        bytes
    } else {
        raw
    };
    let header: Header = serde_json::from_slice(&bytes).with_context(|| {
        format!("{} não é uma exportação deste sistema (JSON inválido ou incompleto)", path.display())
    })?;
    if header.format.as_deref() != Some(FORMAT) {
        bail!("{} não é uma exportação deste sistema (campo format diferente de {FORMAT:?})", path.display());
    }
    match header.version {
        Some(VERSION) => {}
        Some(v) if v > VERSION => bail!(
            "{} foi exportado por uma versão mais nova do sistema (formato {v}); atualize este programa para importá-lo",
            path.display()
        ),
        other => bail!("{}: versão de formato desconhecida: {other:?}", path.display()),
    }
    let export: Export = serde_json::from_slice(&bytes)
        .with_context(|| format!("{}: conteúdo inválido para o formato {FORMAT} {VERSION}", path.display()))?;
    let differences = export.totals.differences(&export.data.totals());
    if !differences.is_empty() {
        bail!(
            "{}: as linhas não conferem com os totais declarados no arquivo (editado ou incompleto?): {}",
            path.display(),
            differences.join("; ")
        );
    }
    Ok(export)
}

/// `export <file>`.
pub async fn run_export(config: &Config, file: &Path) -> anyhow::Result<()> {
    let started = Instant::now();
    if let DatabaseUrl::Sqlite { path } = &config.database
        && !path.is_file()
    {
        bail!("banco SQLite não encontrado: {} (confira DATABASE_URL)", path.display());
    }
    let storage = Photos::open(&config.photos)?;
    let db = crate::connect(config).await?;
    let export = snapshot(&db).await;
    db.close().await;
    let mut export = export?;
    let (files, missing) = photos::collect(&storage, photos::keys(&export.data.product_photos)).await?;
    export.photo_files = files;
    let bytes = write(&export, file)?;
    println!(
        "Exportado de {} para {} ({}, em {}):",
        config.database,
        file.display(),
        size(bytes),
        seconds(started.elapsed())
    );
    print!("{}", export.totals.render());
    if !export.photo_files.is_empty() {
        println!("  imagens de fotos: {}", export.photo_files.len());
    }
    if let Some(note) = missing {
        println!("Observação: {note}.");
    }
    println!("Para importar num banco vazio: DATABASE_URL=<destino> sistema-vendas import {}", file.display());
    Ok(())
}

/// `import <file> [--force]`.
pub async fn run_import(config: &Config, file: &Path, force: bool) -> anyhow::Result<()> {
    let Export { source, exported_at, mut data, photo_files, .. } = read(file)?;
    let storage = Photos::open(&config.photos)?;
    let images = photo_files.len();
    let photos_note = photos::restore(&storage, photo_files, &mut data.product_photos).await?;
    let options = LoadOptions { replace: force, calendar: BusinessCalendar::new(config.timezone), marker: None };
    let loaded = load_into(config, data, options).await?;
    println!(
        "Importado {} (exportado de um banco {} em {}) para {} em {}:",
        file.display(),
        source,
        exported_at.to_rfc3339(),
        config.database,
        seconds(loaded.elapsed)
    );
    print!("{}", loaded.totals.render());
    if images > 0 {
        println!("  imagens de fotos: {images} (em {})", storage.describe());
    }
    println!("Conferido no destino: contagens e somas (no total e por usuário) iguais às do arquivo.");
    for note in [replaced_note(&loaded.replaced), photos_note].into_iter().flatten() {
        println!("Observação: {note}.");
    }
    Ok(())
}
