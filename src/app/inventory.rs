//! Changes of stock that an administrator makes (a sale's are part of selling).

use super::{Context, Result};
use crate::db::{self, inventory};
use crate::domain::DomainError;
use crate::domain::catalog::Product;
use crate::domain::inventory::{Movement, StockChange};
use crate::domain::page::PageRequest;
use crate::domain::time::Timestamp;
use crate::domain::users::Actor;

/// Adds or removes units, or sets a counted stock, as one movement.
pub async fn change_stock(ctx: &Context, actor: &Actor, product_id: i64, change: StockChange) -> Result<Product> {
    actor.require_admin()?;
    let mut tx = ctx.db.begin().await?;
    inventory::change(&mut tx, ctx.db.backend, product_id, change, actor.user_id(), Timestamp::now()).await?;
    let product = db::products::get(&mut *tx, product_id).await?.ok_or(DomainError::ProductNotFound)?;
    tx.commit().await?;
    Ok(product)
}

/// A page of a product's stock movements, newest first, and how many there are.
pub async fn movements(
    ctx: &Context,
    actor: &Actor,
    product_id: i64,
    page: PageRequest,
) -> Result<(Vec<Movement>, i64)> {
    actor.require_admin()?;
    if db::products::get(&ctx.db.read, product_id).await?.is_none() {
        return Err(DomainError::ProductNotFound.into());
    }
    Ok(inventory::movements(&ctx.db.read, product_id, page).await?)
}
