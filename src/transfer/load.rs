//! The one way data comes into the database in bulk: one transaction that refuses a database
//! that already holds a shop (unless told to replace it), writes every row of every carried
//! table with its id (`db::schema`), makes new ids continue after them, checks that every
//! product's stock is the sum of its movements, rebuilds the daily totals, and reads back counts
//! and sums that must equal the source's before it commits. Any failure leaves the database as
//! it was.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use super::dataset::Dataset;
use crate::config::Config;
use crate::db::bulk::{self, Contents, Totals};
use crate::db::{Db, cash, inventory, meta, reports};
use crate::domain::time::{BusinessCalendar, Timestamp};

/// How many problems an error message lists before saying "and N more".
const LISTED_PROBLEMS: usize = 30;

pub struct LoadOptions {
    /// Replace a database that already holds a shop (`--force`). Without it such a database
    /// is refused; one that holds only what the server creates on first start (the `admin`
    /// user) counts as empty and is replaced.
    pub replace: bool,
    pub calendar: BusinessCalendar,
    /// A `meta` entry written with the data: (key, what was imported, completing "este banco já
    /// recebeu a importação ..."). When the key is already there the load is refused whatever
    /// `replace` says: the first-version import uses it so that a second run cannot duplicate a
    /// shop.
    pub marker: Option<(&'static str, String)>,
}

pub struct Loaded {
    /// Counts and sums read back from the database, equal to the source's.
    pub totals: Totals,
    /// What the database held before and was replaced.
    pub replaced: Contents,
    pub elapsed: Duration,
}

/// The message for a dataset the schema would refuse.
pub fn problems_message(problems: &[String]) -> String {
    let mut message = format!("a origem tem {} problema(s) que impedem a importação:", problems.len());
    for problem in problems.iter().take(LISTED_PROBLEMS) {
        message.push_str("\n  - ");
        message.push_str(problem);
    }
    if problems.len() > LISTED_PROBLEMS {
        message.push_str(&format!("\n  ... e mais {}", problems.len() - LISTED_PROBLEMS));
    }
    message.push_str("\nNada foi gravado.");
    message
}

pub async fn load(db: &Db, mut data: Dataset, options: LoadOptions) -> anyhow::Result<Loaded> {
    let started = Instant::now();
    data.complete_older_rows();
    let problems = data.problems();
    if !problems.is_empty() {
        bail!(problems_message(&problems));
    }
    data.add_opening_movements(Timestamp::now());
    let expected = data.totals();

    let mut tx = db.begin().await.context("não foi possível iniciar a transação no banco de destino")?;
    if let Some((key, _)) = &options.marker
        && let Some(previous) = meta::get(&mut *tx, key).await?
    {
        bail!(
            "este banco já recebeu a importação {previous}; importar de novo duplicaria os dados. Nada foi \
             gravado."
        );
    }
    let contents = bulk::contents(&mut tx).await?;
    if !contents.is_fresh() && !options.replace {
        bail!(not_empty_message(&contents));
    }
    // Even a database with no users has rows a migration wrote (store 1): cleared all the same.
    let highest_session = bulk::clear(&mut tx).await?;
    let session_floor = if contents == Contents::default() { 0 } else { highest_session + 1 };
    for user in &mut data.users {
        user.session_version = user.session_version.max(session_floor);
    }

    data.write(&mut tx).await.context("falha ao gravar os dados no banco de destino")?;
    tracing::debug!(elapsed = ?started.elapsed(), "linhas gravadas");
    bulk::continue_ids_after_rows(&mut tx, db.backend).await?;
    inventory::rebuild_store_stock(&mut tx).await?;
    cash::rebuild_open_sessions(&mut tx).await?;
    let unbalanced = inventory::unbalanced(&mut tx).await?;
    if let Some(first) = unbalanced.first() {
        bail!(
            "o estoque de {} produto(s) não é a soma dos seus movimentos (produto {}: estoque {}, movimentos \
             somam {}); a transação foi desfeita e nada foi gravado",
            unbalanced.len(),
            first.product_id,
            first.stock,
            first.moved
        );
    }
    bulk::analyze(&mut tx, db.backend).await?;
    reports::rebuild_aggregates(&mut tx, options.calendar).await?;
    tracing::debug!(elapsed = ?started.elapsed(), "totais diários recalculados");
    meta::set(&mut *tx, reports::AGGREGATES_TIMEZONE, options.calendar.tz.name()).await?;
    if let Some((key, value)) = &options.marker {
        meta::set(&mut *tx, key, value).await?;
    }

    let totals = bulk::totals(&mut tx).await?;
    let differences = expected.differences(&totals);
    if !differences.is_empty() {
        bail!(
            "a conferência depois de gravar falhou, a transação foi desfeita e nada foi gravado:\n  - {}",
            differences.join("\n  - ")
        );
    }
    tracing::debug!(elapsed = ?started.elapsed(), "conferido");
    tx.commit().await.context("falha ao confirmar a transação")?;
    Ok(Loaded { totals, replaced: contents, elapsed: started.elapsed() })
}

/// [`load`] into the configured database, creating its schema if it has none yet.
pub async fn load_into(config: &Config, data: Dataset, options: LoadOptions) -> anyhow::Result<Loaded> {
    let db = crate::connect(config).await?;
    let loaded = async {
        db.migrate().await.context("falha ao preparar o banco de destino")?;
        load(&db, data, options).await
    }
    .await;
    db.close().await;
    loaded
}

/// The refusal to write into a database that already holds a shop.
pub fn not_empty_message(contents: &Contents) -> String {
    format!(
        "o banco de destino já tem dados ({} usuário(s), {} categoria(s), {} produto(s), {} venda(s)): só é possível \
         gravar num banco vazio. Use um banco novo, ou --force para substituir tudo o que ele tem. Nada foi gravado.",
        contents.users, contents.categories, contents.products, contents.sales
    )
}

/// What an import replaced, for the report (None when the database was empty).
pub fn replaced_note(replaced: &Contents) -> Option<String> {
    if *replaced == Contents::default() {
        None
    } else if replaced.is_fresh() {
        Some("o usuário criado na primeira inicialização do servidor foi substituído pelos usuários importados".into())
    } else {
        Some(format!(
            "substituídos (--force): {} usuário(s), {} categoria(s), {} produto(s), {} venda(s) que o banco tinha",
            replaced.users, replaced.categories, replaced.products, replaced.sales
        ))
    }
}
