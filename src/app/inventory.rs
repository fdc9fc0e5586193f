//! Changes of stock that an administrator makes (a sale's are part of selling).

use super::{Context, Result, audit, stores};
use crate::db::{self, inventory};
use crate::domain::DomainError;
use crate::domain::audit::{Action, NewEntry};
use crate::domain::catalog::Product;
use crate::domain::inventory::{Movement, StockCommand};
use crate::domain::page::PageRequest;
use crate::domain::time::Timestamp;
use crate::domain::users::Actor;

/// A product after a change of its stock, and whether the change was a movement (a count
/// equal to the stock is none).
#[derive(Debug)]
pub struct Changed {
    pub product: Product,
    pub recorded: bool,
}

/// An entry of goods, an adjustment or a count, as one movement.
pub async fn change_stock(ctx: &Context, actor: &Actor, product_id: i64, command: StockCommand) -> Result<Changed> {
    actor.require_admin()?;
    let mut tx = ctx.db.begin().await?;
    let store_id = stores::stock_store(&mut tx, actor, command.store_id).await?;
    let now = Timestamp::now();
    let balance =
        inventory::change(&mut tx, ctx.db.backend, store_id, product_id, &command, actor.user_id(), now).await?;
    let product =
        db::products::get_in(&mut tx, product_id, Some(store_id)).await?.ok_or(DomainError::ProductNotFound)?;
    let entries: Vec<NewEntry> = balance
        .map(|balance| {
            let view = audit::stock_view(&command, balance);
            NewEntry::new(&audit::who(actor), Action::StockMoved, Some(("produto", product_id)), view)
                .in_store(store_id)
        })
        .into_iter()
        .collect();
    audit::commit(ctx, tx, &entries).await?;
    Ok(Changed { product, recorded: balance.is_some() })
}

/// A page of a product's stock movements, newest first, and how many there are.
pub async fn movements(
    ctx: &Context,
    actor: &Actor,
    product_id: i64,
    store_id: Option<i64>,
    page: PageRequest,
) -> Result<(Vec<Movement>, i64)> {
    actor.require_admin()?;
    if db::products::get(&mut *ctx.db.read.acquire().await?, product_id).await?.is_none() {
        return Err(DomainError::ProductNotFound.into());
    }
    Ok(inventory::movements(&ctx.db.read, product_id, store_id, page).await?)
}
