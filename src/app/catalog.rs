//! The catalog: products and categories.

use std::collections::HashMap;

use serde_json::json;

use super::{Context, Error, Result, audit, stores};

use crate::db::{self, inventory};
use crate::domain::DomainError;
use crate::domain::audit::{self as log, Action, NewEntry};
use crate::domain::barcode::{LabelValue, ScaleLabel};
use crate::domain::catalog::{
    CatalogLine, Category, Imported, NewProduct, Product, ProductChanges, ProductDetails, ProductFilter, Quantity,
};
use crate::domain::inventory::{StockChange, StockCommand};
use crate::domain::money::Money;
use crate::domain::page::PageRequest;
use crate::domain::text::search_key;
use crate::domain::time::Timestamp;
use crate::domain::users::Actor;

/// A page of the listing and how many products the filter finds (counted unless `known_total`).
pub async fn products(
    ctx: &Context,
    filter: &ProductFilter,
    page: PageRequest,
    known_total: Option<i64>,
) -> Result<(Vec<Product>, i64)> {
    Ok(db::products::list(&ctx.db.read, filter, page, known_total).await?)
}

/// A product, read for a store (its stock and price there) or for all.
pub async fn product(ctx: &Context, id: i64, store: Option<i64>) -> Result<Product> {
    let mut conn = ctx.db.read.acquire().await?;
    Ok(db::products::get_in(&mut conn, id, store).await?.ok_or(DomainError::ProductNotFound)?)
}

/// What a scanned code is: a product's barcode or code, or a scale label (with the quantity or
/// the price it carries).
#[derive(Debug, Clone)]
pub struct Scanned {
    pub product: Product,
    /// From a label: in thousandths of the unit (as a client types it).
    pub quantity: Option<i64>,
    /// From a label that carries the price.
    pub amount: Option<Money>,
}

pub async fn scan(ctx: &Context, code: &str, store: Option<i64>) -> Result<Scanned> {
    let mut conn = ctx.db.read.acquire().await?;
    let settings = db::settings::get(&mut *conn).await?;
    if let Some(label) = settings.scale_label_mask.read(code)? {
        let product = db::products::find_by_scale_code(&mut *conn, &label, store)
            .await?
            .ok_or(DomainError::UnknownScaleProduct { plu: label.printed_plu.clone() })?;
        return Ok(scale_line(product, &label, settings.scale_label_value)?);
    }
    match db::products::find_by_code(&mut conn, code, store).await? {
        Some(product) => Ok(Scanned { product, quantity: None, amount: None }),
        None => Err(DomainError::UnknownCode { code: code.chars().take(64).collect() }.into()),
    }
}

/// What a label gives: its weight as the quantity, or its price and the quantity that price
/// buys at the product's price (to the gram).
fn scale_line(product: Product, label: &ScaleLabel, value: LabelValue) -> std::result::Result<Scanned, DomainError> {
    match value {
        LabelValue::Weight if !product.unit.is_fractional() => {
            Err(DomainError::WeightLabelOfWholeUnits { name: product.name })
        }
        LabelValue::Weight => Ok(Scanned { quantity: Some(label.value), amount: None, product }),
        LabelValue::Price => {
            let amount = Money::from_cents(label.value);
            let quantity = if product.unit.is_fractional() {
                let price = i128::from(product.price.cents());
                ((i128::from(label.value) * 1000 + price / 2) / price).max(1) as i64
            } else {
                1000
            };
            Ok(Scanned { quantity: Some(quantity), amount: Some(amount), product })
        }
    }
}

/// Creates a product; the stock it starts with is its first movement.
pub async fn create_product(ctx: &Context, actor: &Actor, new: NewProduct) -> Result<Product> {
    actor.require_admin()?;
    let now = Timestamp::now();
    let mut tx = ctx.db.begin().await?;
    if !db::categories::exists(&mut *tx, new.details.category_id).await? {
        return Err(DomainError::CategoryNotFound.into());
    }
    new.details.check_barcodes()?;
    let id = db::products::insert(&mut tx, &new.details, now).await?;
    if new.stock != 0 {
        let store_id = stores::stock_store(&mut tx, actor, new.store_id).await?;
        inventory::receive_initial(&mut tx, ctx.db.backend, store_id, &[(id, new.stock)], actor.user_id(), now).await?;
    }
    let product = db::products::get(&mut tx, id).await?.ok_or(DomainError::ProductNotFound)?;
    let mut view = audit::product_view(&new.details);
    view["estoque"] = json!(Quantity::new(new.stock, new.details.unit).to_string());
    audit::commit(ctx, tx, &[NewEntry::new(&audit::who(actor), Action::ProductCreated, Some(("produto", id)), view)])
        .await?;
    Ok(product)
}

/// Changes a product's details and, when a counted stock comes with them, its stock (the
/// difference is a movement).
pub async fn update_product(ctx: &Context, actor: &Actor, id: i64, changes: ProductChanges) -> Result<Product> {
    actor.require_admin()?;
    if changes.is_empty() {
        return Err(DomainError::NothingToChange.into());
    }
    let now = Timestamp::now();
    let mut tx = ctx.db.begin().await?;
    let current = db::products::get(&mut tx, id).await?.ok_or(DomainError::ProductNotFound)?;
    let details = changes.apply(&current)?;
    details.check_barcodes()?;
    check_unit_change(&mut tx, &current, &details).await?;
    if changes.category_id.is_some() && !db::categories::exists(&mut *tx, details.category_id).await? {
        return Err(DomainError::CategoryNotFound.into());
    }
    let who = audit::who(actor);
    let mut entries = Vec::new();
    let before = current.details();
    if before.as_ref() != Some(&details) {
        db::products::update(&mut tx, id, &details, now).await?;
        let before = before.as_ref().map_or(json!({}), audit::product_view);
        let changed = log::changes(&before, &audit::product_view(&details));
        entries.push(NewEntry::new(&who, Action::ProductChanged, Some(("produto", id)), changed));
    }
    if (changes.stock.is_some() || changes.min_stock.is_some()) && details.unit != changes.typed_for {
        return Err(DomainError::UnitChanged.into());
    }
    if let Some(counted) = changes.stock {
        let command = StockCommand {
            change: StockChange::CountedAs(counted),
            unit: details.unit,
            note: None,
            store_id: changes.store_id,
        };
        let store_id = stores::stock_store(&mut tx, actor, changes.store_id).await?;
        if let Some(balance) =
            inventory::change(&mut tx, ctx.db.backend, store_id, id, &command, actor.user_id(), now).await?
        {
            entries.push(NewEntry::new(
                &who,
                Action::StockMoved,
                Some(("produto", id)),
                audit::stock_view(&command, balance),
            ));
        }
    }
    let product = db::products::get(&mut tx, id).await?.ok_or(DomainError::ProductNotFound)?;
    audit::commit(ctx, tx, &entries).await?;
    Ok(product)
}

/// Removes a product from the catalog. It is archived, not erased: the sales that name it keep
/// it, and its code can be given to another product.
pub async fn archive_product(ctx: &Context, actor: &Actor, id: i64) -> Result<()> {
    actor.require_admin()?;
    let mut tx = ctx.db.begin().await?;
    let product = db::products::get(&mut tx, id).await?.ok_or(DomainError::ProductNotFound)?;
    if !db::products::archive(&mut tx, id, Timestamp::now()).await? {
        return Err(DomainError::ProductNotFound.into());
    }
    let view = json!({"nome": product.name, "codigo": product.code});
    audit::commit(ctx, tx, &[NewEntry::new(&audit::who(actor), Action::ProductDeleted, Some(("produto", id)), view)])
        .await?;
    Ok(())
}

/// Imports a catalog, all or nothing, in one transaction: each line updates the live product with
/// its code, or creates one (with its starting stock as the first movement); a category is
/// found by name or created. A line the catalog refuses (a code or barcode another product
/// has) names its line and column, and nothing is written.
/// The opening stock of new products goes to `store_id` (see `stores::stock_store`).
pub async fn import(ctx: &Context, actor: &Actor, lines: Vec<CatalogLine>, store_id: Option<i64>) -> Result<Imported> {
    actor.require_admin()?;
    let now = Timestamp::now();
    let lines_count = lines.len();
    let mut imported = Imported::default();
    let mut tx = ctx.db.begin().await?;
    let stock_at = match lines.iter().any(|line| line.stock != 0) {
        true => stores::stock_store(&mut tx, actor, store_id).await?,
        false => 0,
    };
    let place = (ctx.db.backend, stock_at);
    // A file names a few categories many times: each is looked up (or created) once.
    let mut categories: HashMap<String, i64> = HashMap::new();
    // The live products with a code, read once: a line with one of their codes updates it, and
    // a line that changes nothing writes nothing (re-importing an export edits a few prices).
    let mut by_code: HashMap<String, Product> = db::products::all(&mut tx, &ProductFilter::default())
        .await?
        .into_iter()
        .filter_map(|product| Some((product.code.clone()?, product)))
        .collect();
    // New products wait here and are created together (a few statements per batch, not per line).
    let mut new_lines: Vec<CatalogLine> = Vec::new();
    for mut line in lines {
        let at = |column: &'static str| {
            move |error: DomainError| DomainError::ImportLine { line: line.line, column, error: Box::new(error) }
        };
        line.details.check_barcodes().map_err(at("codigos_de_barras"))?;
        let category_key = search_key(&line.category);
        line.details.category_id = match categories.get(&category_key) {
            Some(&id) => id,
            None => {
                let id = match db::categories::id_by_name(&mut *tx, &line.category).await? {
                    Some(id) => id,
                    None => {
                        imported.categories_created += 1;
                        db::categories::insert(&mut *tx, &line.category, now).await?
                    }
                };
                categories.insert(category_key, id);
                id
            }
        };
        let existing = line.details.code.as_ref().and_then(|code| by_code.remove(code));
        match existing {
            Some(current) => {
                if current.details().as_ref() != Some(&line.details) {
                    check_unit_change(&mut tx, &current, &line.details).await.map_err(|error| match error {
                        Error::Refused(rule) => at("unidade")(rule).into(),
                        other => other,
                    })?;
                    db::products::update(&mut tx, current.id, &line.details, now)
                        .await
                        .map_err(|error| refused_at(line.line, error))?;
                }
                imported.updated += 1;
            }
            None => {
                new_lines.push(line);
                if new_lines.len() == IMPORT_BATCH {
                    create(&mut tx, place, &mut new_lines, &mut imported, actor, now).await?;
                }
            }
        }
    }
    create(&mut tx, place, &mut new_lines, &mut imported, actor, now).await?;
    let view = json!({
        "linhas": lines_count,
        "criados": imported.created,
        "atualizados": imported.updated,
        "categorias_criadas": imported.categories_created,
    });
    audit::commit(ctx, tx, &[NewEntry::new(&audit::who(actor), Action::CatalogImported, None, view)]).await?;
    Ok(imported)
}

/// New products of an import created in one batch (a statement's parameters stay well under both
/// databases' limits).
const IMPORT_BATCH: usize = 500;

/// Creates the waiting new products of an import, with their opening stock, and empties `lines`.
/// A barcode that an active product already has names its line (the file itself repeats none:
/// its reading refuses that).
async fn create(
    tx: &mut db::Tx,
    (backend, store_id): (db::Backend, i64),
    lines: &mut Vec<CatalogLine>,
    imported: &mut Imported,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let Some(first) = lines.first().map(|line| line.line) else { return Ok(()) };
    let live = |line: &&CatalogLine| line.details.active;
    let keys: Vec<String> =
        lines.iter().filter(live).flat_map(|line| line.details.barcodes.iter().map(|b| b.key())).collect();
    let taken = db::products::live_barcodes(tx, &keys).await?;
    if let Some(line) =
        lines.iter().filter(live).find(|line| line.details.barcodes.iter().any(|b| taken.contains(&b.key())))
    {
        return Err(refused_at(line.line, DomainError::BarcodeTaken.into()));
    }
    let details: Vec<&ProductDetails> = lines.iter().map(|line| &line.details).collect();
    // Checked above; a refusal here is a change made by someone else meanwhile.
    let ids = db::products::insert_many(tx, &details, now).await.map_err(|error| refused_at(first, error))?;
    let opening: Vec<(i64, i64)> = ids.iter().zip(lines.iter()).map(|(&id, line)| (id, line.stock)).collect();
    inventory::receive_initial(tx, backend, store_id, &opening, actor.user_id(), now).await?;
    imported.created += lines.len();
    lines.clear();
    Ok(())
}

/// What the catalog refused while writing an import's line, named by its line: a barcode another
/// active product has in the barcodes' column, any other rule (a code taken) in the code's.
fn refused_at(line: usize, error: db::Error) -> Error {
    let column = |rule: &DomainError| if *rule == DomainError::BarcodeTaken { "codigos_de_barras" } else { "codigo" };
    match error {
        db::Error::Refused(rule) => {
            DomainError::ImportLine { line, column: column(&rule), error: Box::new(rule) }.into()
        }
        other => other.into(),
    }
}

/// A product's unit moves between whole and fractional units only while it has no movements
/// (its stored integers would change meaning).
async fn check_unit_change(tx: &mut db::Tx, current: &Product, details: &ProductDetails) -> Result<()> {
    if details.unit.decimals() != current.unit.decimals() && db::products::has_movements(tx, current.id).await? {
        return Err(DomainError::UnitChangeWithHistory.into());
    }
    Ok(())
}

/// Every live product the filter keeps, for the catalog's export.
pub async fn all_products(ctx: &Context, actor: &Actor, filter: &ProductFilter) -> Result<Vec<Product>> {
    actor.require_admin()?;
    Ok(db::products::all(&mut *ctx.db.read.acquire().await?, filter).await?)
}

/// What a till sells: every active product (with a store's stock and prices), for the PDV's own
/// index of codes.
pub async fn for_sale(ctx: &Context, store: Option<i64>) -> Result<Vec<Product>> {
    let filter = ProductFilter { active: Some(true), store_id: store, ..ProductFilter::default() };
    Ok(db::products::all(&mut *ctx.db.read.acquire().await?, &filter).await?)
}

pub async fn categories(ctx: &Context) -> Result<Vec<Category>> {
    Ok(db::categories::list(&ctx.db.read).await?)
}

pub async fn create_category(ctx: &Context, actor: &Actor, name: &str) -> Result<Category> {
    actor.require_admin()?;
    let mut tx = ctx.db.begin().await?;
    let id = db::categories::insert(&mut *tx, name, Timestamp::now()).await?;
    let category = db::categories::get(&mut *tx, id).await?.ok_or(DomainError::CategoryNotFound)?;
    let entry =
        NewEntry::new(&audit::who(actor), Action::CategoryCreated, Some(("categoria", id)), json!({"nome": name}));
    audit::commit(ctx, tx, &[entry]).await?;
    Ok(category)
}

pub async fn rename_category(ctx: &Context, actor: &Actor, id: i64, name: &str) -> Result<Category> {
    actor.require_admin()?;
    let mut tx = ctx.db.begin().await?;
    let before = db::categories::get(&mut *tx, id).await?.ok_or(DomainError::CategoryNotFound)?;
    if !db::categories::rename(&mut *tx, id, name).await? {
        return Err(DomainError::CategoryNotFound.into());
    }
    let category = db::categories::get(&mut *tx, id).await?.ok_or(DomainError::CategoryNotFound)?;
    let changed = log::changes(&json!({"nome": before.name}), &json!({"nome": category.name}));
    audit::commit(
        ctx,
        tx,
        &[NewEntry::new(&audit::who(actor), Action::CategoryRenamed, Some(("categoria", id)), changed)],
    )
    .await?;
    Ok(category)
}

/// Deletes a category that holds no active product.
pub async fn delete_category(ctx: &Context, actor: &Actor, id: i64) -> Result<()> {
    actor.require_admin()?;
    let mut tx = ctx.db.begin().await?;
    let category = db::categories::get(&mut *tx, id).await?.ok_or(DomainError::CategoryNotFound)?;
    if db::categories::live_products(&mut *tx, id).await? > 0 {
        return Err(DomainError::CategoryInUse.into());
    }
    db::categories::delete(&mut tx, id).await?;
    let entry = NewEntry::new(
        &audit::who(actor),
        Action::CategoryDeleted,
        Some(("categoria", id)),
        json!({"nome": category.name}),
    );
    audit::commit(ctx, tx, &[entry]).await?;
    Ok(())
}
