//! Transfers of goods between stores: an administrator sends them (they leave the origin's
//! stock at once), the destination receives them (an administrator, or an employee of that
//! store), or an administrator cancels them in transit (they come back to the origin). Units are
//! never created or lost: what left one store is in transit until it enters the other or comes
//! back.

use serde_json::json;

use super::{Context, Result, audit};
use crate::db::inventory::{Moving, Taking};
use crate::db::transfers::TransferFilter;
use crate::db::{self, inventory};
use crate::domain::DomainError;
use crate::domain::audit::{Action, NewEntry};
use crate::domain::catalog::Quantity;
use crate::domain::inventory::{MovementReason, NewTransfer, Transfer, TransferStatus};
use crate::domain::page::PageRequest;
use crate::domain::time::Timestamp;
use crate::domain::users::Actor;

pub async fn send(ctx: &Context, actor: &Actor, new: NewTransfer) -> Result<Transfer> {
    actor.require_admin()?;
    if new.from_store_id == new.to_store_id {
        return Err(DomainError::TransferToSameStore.into());
    }
    let now = Timestamp::now();
    let mut tx = ctx.db.begin().await?;
    let workplace = db::stores::workplace(&mut tx, actor.user_id().unwrap_or(0), true).await?;
    // What a closed store still has may be sent away; nothing is sent to one.
    let from = workplace.choose(Some(new.from_store_id), None, true)?.id;
    let to = workplace.choose(Some(new.to_store_id), None, false)?.id;
    let id = db::transfers::insert(&mut tx, from, to, new.note.as_deref(), actor.user_id(), now).await?;
    let taken = inventory::take(&mut tx, ctx.db.backend, from, &new.lines, Taking::Available).await?;
    let items: Vec<(i64, i64)> = taken.lines().iter().map(|l| (l.product_id, l.quantity)).collect();
    let view = json!({
        "de": from,
        "para": to,
        "itens": taken.lines().iter().map(|l| json!({
            "produto_id": l.product_id,
            "quantidade": Quantity::new(l.quantity, l.unit).to_string(),
        })).collect::<Vec<_>>(),
    });
    db::transfers::insert_items(&mut tx, id, &items).await?;
    let moving = Moving { transfer_id: Some(id), ..Moving::new(from, MovementReason::Transfer, actor.user_id(), now) };
    taken.record(&mut tx, moving).await?;
    let entry =
        NewEntry::new(&audit::who(actor), Action::TransferSent, Some(("transferencia", id)), view).in_store(from);
    audit::commit(ctx, tx, &[entry]).await?;
    get(ctx, actor, id).await
}

/// The goods enter the destination.
pub async fn receive(ctx: &Context, actor: &Actor, id: i64) -> Result<Transfer> {
    close(ctx, actor, id, TransferStatus::Received).await
}

/// The goods go back to the origin (administrators).
pub async fn cancel(ctx: &Context, actor: &Actor, id: i64) -> Result<Transfer> {
    actor.require_admin()?;
    close(ctx, actor, id, TransferStatus::Cancelled).await
}

async fn close(ctx: &Context, actor: &Actor, id: i64, status: TransferStatus) -> Result<Transfer> {
    let now = Timestamp::now();
    let mut tx = ctx.db.begin().await?;
    let Some((from, to)) = db::transfers::close(&mut tx, id, status, actor.user_id(), now).await? else {
        return Err(match db::transfers::stores_of(&mut *tx, id).await? {
            None => DomainError::TransferNotFound,
            Some((_, _, closed)) => DomainError::TransferClosed { status: closed.as_str() },
        }
        .into());
    };
    let store = if status == TransferStatus::Received { to } else { from };
    if !actor.is_admin() {
        let workplace = db::stores::workplace(&mut tx, actor.user_id().unwrap_or(0), false).await?;
        workplace.choose(Some(store), None, true)?;
    }
    let items = db::transfers::items_of(&mut tx, id).await?;
    let moving = Moving { transfer_id: Some(id), ..Moving::new(store, MovementReason::Transfer, actor.user_id(), now) };
    inventory::put_back(&mut tx, ctx.db.backend, &items, moving).await?;
    let action = if status == TransferStatus::Received { Action::TransferReceived } else { Action::TransferCancelled };
    let entry =
        NewEntry::new(&audit::who(actor), action, Some(("transferencia", id)), json!({"loja": store})).in_store(store);
    audit::commit(ctx, tx, &[entry]).await?;
    get(ctx, actor, id).await
}

/// The stores whose transfers `actor` sees: all for an administrator, their own for an employee.
async fn visible_stores(ctx: &Context, actor: &Actor) -> Result<Option<Vec<i64>>> {
    match actor.user_id().filter(|_| !actor.is_admin()) {
        None => Ok(None),
        Some(user) => Ok(Some(db::stores::stores_of(&ctx.db.read, user).await?)),
    }
}

pub async fn get(ctx: &Context, actor: &Actor, id: i64) -> Result<Transfer> {
    let transfer = db::transfers::get(&ctx.db.read, id).await?.ok_or(DomainError::TransferNotFound)?;
    if let Some(mine) = visible_stores(ctx, actor).await?
        && !mine.contains(&transfer.from_store_id)
        && !mine.contains(&transfer.to_store_id)
    {
        return Err(DomainError::TransferNotFound.into());
    }
    Ok(transfer)
}

/// A page of transfers, newest first: of `store` (from or to it) if named, else of every store
/// `actor` sees.
pub async fn list(
    ctx: &Context,
    actor: &Actor,
    status: Option<TransferStatus>,
    store: Option<i64>,
    page: PageRequest,
) -> Result<(Vec<Transfer>, i64)> {
    let stores = match (visible_stores(ctx, actor).await?, store) {
        (None, None) => None,
        (None, Some(store)) => Some(vec![store]),
        (Some(mine), None) => Some(mine),
        (Some(mine), Some(store)) => Some(mine.into_iter().filter(|&id| id == store).collect()),
    };
    Ok(db::transfers::list(&ctx.db.read, &TransferFilter { status, stores }, page).await?)
}
