//! Stores and their terminals: administrators add, rename, close and reopen them; everyone reads
//! the stores they work in (the PDV picks its store from them).

use serde_json::json;

use super::{Context, Result, audit};
use crate::db;
use crate::db::stores::Place;
use crate::domain::DomainError;
use crate::domain::audit::{self as log, Action, NewEntry};
use crate::domain::money::Money;
use crate::domain::settings::StoreSettings;
use crate::domain::stores::{PlaceChanges, Store, StorePrice, Terminal};
use crate::domain::time::Timestamp;
use crate::domain::users::Actor;

/// Every store for an administrator; the stores an employee works in for them.
pub async fn list(ctx: &Context, actor: &Actor) -> Result<Vec<Store>> {
    let stores = db::stores::list(&ctx.db.read).await?;
    match actor.user_id().filter(|_| !actor.is_admin()) {
        None => Ok(stores),
        Some(user) => {
            let mine = db::stores::stores_of(&ctx.db.read, user).await?;
            Ok(stores.into_iter().filter(|s| mine.contains(&s.id)).collect())
        }
    }
}

/// The store whose stock a change by `actor` moves: the one named, else the only open store
/// they work in (an administrator given none: the only open store). A closed store's stock may
/// still change (what it had is counted, adjusted or sent away).
pub(super) async fn stock_store(tx: &mut db::Tx, actor: &Actor, named: Option<i64>) -> Result<i64> {
    let workplace = db::stores::workplace(tx, actor.user_id().unwrap_or(0), actor.is_admin()).await?;
    Ok(workplace.choose(named, None, true)?.id)
}

fn store_view(store: &Store) -> serde_json::Value {
    json!({"nome": store.name, "ativa": store.active})
}

fn terminal_view(terminal: &Terminal) -> serde_json::Value {
    json!({"loja_id": terminal.store_id, "nome": terminal.name, "ativo": terminal.active})
}

pub async fn create(ctx: &Context, actor: &Actor, name: String) -> Result<Store> {
    actor.require_admin()?;
    let mut tx = ctx.db.begin().await?;
    let id = db::stores::insert(&mut tx, &name, Timestamp::now()).await?;
    let store = db::stores::get(&mut *tx, id).await?.ok_or(DomainError::StoreNotFound)?;
    let entry =
        NewEntry::new(&audit::who(actor), Action::StoreCreated, Some(("loja", id)), store_view(&store)).in_store(id);
    audit::commit(ctx, tx, &[entry]).await?;
    Ok(store)
}

/// Renames, closes or reopens a store. The last open store cannot be closed.
pub async fn update(ctx: &Context, actor: &Actor, id: i64, changes: PlaceChanges) -> Result<Store> {
    actor.require_admin()?;
    if changes == PlaceChanges::default() {
        return Err(DomainError::NothingToChange.into());
    }
    let mut tx = ctx.db.begin().await?;
    let stores = db::stores::list(&mut *tx).await?;
    let current = stores.iter().find(|s| s.id == id).ok_or(DomainError::StoreNotFound)?;
    let active = changes.active.unwrap_or(current.active);
    if current.active && !active && !stores.iter().any(|s| s.id != id && s.active) {
        return Err(DomainError::LastStore.into());
    }
    let name = changes.name.unwrap_or_else(|| current.name.clone());
    db::stores::update(&mut tx, Place::Store, id, &name, active, Timestamp::now()).await?;
    let store = db::stores::get(&mut *tx, id).await?.ok_or(DomainError::StoreNotFound)?;
    let changed = log::changes(&store_view(current), &store_view(&store));
    let entry = NewEntry::new(&audit::who(actor), Action::StoreChanged, Some(("loja", id)), changed).in_store(id);
    audit::commit(ctx, tx, &[entry]).await?;
    Ok(store)
}

/// The terminals of the stores the actor works in (all for an administrator).
pub async fn terminals(ctx: &Context, actor: &Actor) -> Result<Vec<Terminal>> {
    let stores: Vec<i64> = list(ctx, actor).await?.iter().map(|s| s.id).collect();
    let terminals = db::stores::terminals(&ctx.db.read).await?;
    Ok(terminals.into_iter().filter(|t| stores.contains(&t.store_id)).collect())
}

pub async fn create_terminal(ctx: &Context, actor: &Actor, store_id: i64, name: String) -> Result<Terminal> {
    actor.require_admin()?;
    let mut tx = ctx.db.begin().await?;
    let store = db::stores::get(&mut *tx, store_id).await?.ok_or(DomainError::StoreNotFound)?;
    if !store.active {
        return Err(DomainError::StoreArchived { name: store.name }.into());
    }
    let id = db::stores::insert_terminal(&mut tx, store_id, &name, Timestamp::now()).await?;
    let terminal = db::stores::terminal(&mut *tx, id).await?.ok_or(DomainError::TerminalNotFound)?;
    let entry =
        NewEntry::new(&audit::who(actor), Action::TerminalCreated, Some(("terminal", id)), terminal_view(&terminal))
            .in_store(store_id);
    audit::commit(ctx, tx, &[entry]).await?;
    Ok(terminal)
}

pub async fn update_terminal(ctx: &Context, actor: &Actor, id: i64, changes: PlaceChanges) -> Result<Terminal> {
    actor.require_admin()?;
    if changes == PlaceChanges::default() {
        return Err(DomainError::NothingToChange.into());
    }
    let mut tx = ctx.db.begin().await?;
    let current = db::stores::terminal(&mut *tx, id).await?.ok_or(DomainError::TerminalNotFound)?;
    let name = changes.name.unwrap_or_else(|| current.name.clone());
    let active = changes.active.unwrap_or(current.active);
    db::stores::update(&mut tx, Place::Terminal, id, &name, active, Timestamp::now()).await?;
    let terminal = db::stores::terminal(&mut *tx, id).await?.ok_or(DomainError::TerminalNotFound)?;
    let changed = log::changes(&terminal_view(&current), &terminal_view(&terminal));
    let entry = NewEntry::new(&audit::who(actor), Action::TerminalChanged, Some(("terminal", id)), changed)
        .in_store(terminal.store_id);
    audit::commit(ctx, tx, &[entry]).await?;
    Ok(terminal)
}

/// The stores a user will work in, checked: each exists, and an employee has one at least.
/// None (a user created without naming any): the shop's first open store.
pub(super) async fn checked_stores(
    tx: &mut db::Tx,
    employee: bool,
    stores: Option<Vec<i64>>,
) -> Result<Option<Vec<i64>>> {
    let existing = db::stores::list(&mut **tx).await?;
    let Some(stores) = stores else {
        return Ok(existing.iter().find(|s| s.active).map(|s| vec![s.id]));
    };
    if stores.iter().any(|id| !existing.iter().any(|s| s.id == *id)) {
        return Err(DomainError::StoreNotFound.into());
    }
    if employee && stores.is_empty() {
        return Err(DomainError::EmployeeWithoutStore.into());
    }
    Ok(Some(stores))
}

/// A store's own receipt data, PIX and printer (None: the shop's) (administrators).
pub async fn settings(ctx: &Context, actor: &Actor, store_id: i64) -> Result<StoreSettings> {
    actor.require_admin()?;
    Ok(db::stores::settings(&ctx.db.read, store_id).await?.ok_or(DomainError::StoreNotFound)?)
}

/// Replaces a store's own settings (what it leaves out is the shop's).
pub async fn set_settings(ctx: &Context, actor: &Actor, store_id: i64, own: StoreSettings) -> Result<StoreSettings> {
    actor.require_admin()?;
    let mut tx = ctx.db.begin().await?;
    let before = db::stores::settings(&mut *tx, store_id).await?.ok_or(DomainError::StoreNotFound)?;
    db::stores::set_settings(&mut tx, store_id, &own).await?;
    let changed = log::changes(&audit::store_settings_view(&before), &audit::store_settings_view(&own));
    let entries: Vec<NewEntry> = (before != own)
        .then(|| {
            NewEntry::new(&audit::who(actor), Action::StoreChanged, Some(("loja", store_id)), changed)
                .in_store(store_id)
        })
        .into_iter()
        .collect();
    audit::commit(ctx, tx, &entries).await?;
    Ok(own)
}

/// The prices a store charges instead of the catalog's (administrators).
pub async fn prices(ctx: &Context, actor: &Actor, store_id: i64) -> Result<Vec<StorePrice>> {
    actor.require_admin()?;
    db::stores::get(&ctx.db.read, store_id).await?.ok_or(DomainError::StoreNotFound)?;
    Ok(db::stores::prices(&ctx.db.read, store_id).await?)
}

/// Gives a store its own price of a product (`price`), or takes it away (None: the catalog's
/// again). Returns the store's price now, None when it charges the catalog's.
pub async fn set_price(
    ctx: &Context,
    actor: &Actor,
    store_id: i64,
    product_id: i64,
    price: Option<Money>,
) -> Result<Option<StorePrice>> {
    actor.require_admin()?;
    let mut tx = ctx.db.begin().await?;
    db::stores::get(&mut *tx, store_id).await?.ok_or(DomainError::StoreNotFound)?;
    let product = db::products::get(&mut tx, product_id).await?.ok_or(DomainError::ProductNotFound)?;
    let before = match price {
        Some(price) => db::stores::set_price(&mut tx, store_id, product_id, price, Timestamp::now()).await?,
        None => db::stores::remove_price(&mut tx, store_id, product_id).await?,
    };
    let shown = |p: Option<Money>| p.map_or(json!(null), |p| json!(p.to_string()));
    let view = json!({"loja_id": store_id, "produto_id": product_id, "antes": shown(before), "depois": shown(price)});
    let entries: Vec<NewEntry> = (before != price)
        .then(|| {
            NewEntry::new(&audit::who(actor), Action::StorePriceChanged, Some(("loja", store_id)), view)
                .in_store(store_id)
        })
        .into_iter()
        .collect();
    audit::commit(ctx, tx, &entries).await?;
    Ok(price.map(|price| StorePrice {
        product_id,
        product_name: product.name,
        price,
        catalog_price: product.catalog_price,
    }))
}
