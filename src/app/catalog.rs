//! The catalog: products and categories.

use super::{Context, Result};

use crate::db::{self, inventory};
use crate::domain::DomainError;
use crate::domain::catalog::{Category, NewProduct, Product, ProductChanges, ProductFilter};
use crate::domain::inventory::StockChange;
use crate::domain::page::PageRequest;
use crate::domain::time::Timestamp;
use crate::domain::users::Actor;

/// A page of active products and how many match in all.
pub async fn products(ctx: &Context, filter: &ProductFilter, page: PageRequest) -> Result<(Vec<Product>, i64)> {
    Ok(db::products::list(&ctx.db.read, filter, page).await?)
}

pub async fn product(ctx: &Context, id: i64) -> Result<Product> {
    Ok(db::products::get(&ctx.db.read, id).await?.ok_or(DomainError::ProductNotFound)?)
}

/// Creates a product; the stock it starts with is its first movement.
pub async fn create_product(ctx: &Context, actor: &Actor, new: NewProduct) -> Result<Product> {
    actor.require_admin()?;
    let now = Timestamp::now();
    let mut tx = ctx.db.begin().await?;
    if !db::categories::exists(&mut *tx, new.details.category_id).await? {
        return Err(DomainError::CategoryNotFound.into());
    }
    let id = db::products::insert(&mut tx, &new.details, now).await?;
    inventory::receive_initial(&mut tx, id, new.stock, actor.user_id(), now).await?;
    let product = db::products::get(&mut *tx, id).await?.ok_or(DomainError::ProductNotFound)?;
    tx.commit().await?;
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
    let current = db::products::get(&mut *tx, id).await?.ok_or(DomainError::ProductNotFound)?;
    let details = changes.apply(&current)?;
    if changes.category_id.is_some() && !db::categories::exists(&mut *tx, details.category_id).await? {
        return Err(DomainError::CategoryNotFound.into());
    }
    if current.details().as_ref() != Some(&details) {
        db::products::update(&mut tx, id, &details, now).await?;
    }
    if let Some(counted) = changes.stock {
        inventory::change(&mut tx, ctx.db.backend, id, StockChange::CountedAs(counted), actor.user_id(), now).await?;
    }
    let product = db::products::get(&mut *tx, id).await?.ok_or(DomainError::ProductNotFound)?;
    tx.commit().await?;
    Ok(product)
}

/// Removes a product from the catalog. It is archived, not erased: the sales that name it keep
/// it, and its code can be given to another product.
pub async fn archive_product(ctx: &Context, actor: &Actor, id: i64) -> Result<()> {
    actor.require_admin()?;
    if !db::products::archive(&ctx.db.write, id, Timestamp::now()).await? {
        return Err(DomainError::ProductNotFound.into());
    }
    Ok(())
}

pub async fn categories(ctx: &Context) -> Result<Vec<Category>> {
    Ok(db::categories::list(&ctx.db.read).await?)
}

pub async fn create_category(ctx: &Context, actor: &Actor, name: &str) -> Result<Category> {
    actor.require_admin()?;
    let mut tx = ctx.db.begin().await?;
    let id = db::categories::insert(&mut *tx, name, Timestamp::now()).await?;
    let category = db::categories::get(&mut *tx, id).await?.ok_or(DomainError::CategoryNotFound)?;
    tx.commit().await?;
    Ok(category)
}

pub async fn rename_category(ctx: &Context, actor: &Actor, id: i64, name: &str) -> Result<Category> {
    actor.require_admin()?;
    let mut tx = ctx.db.begin().await?;
    if !db::categories::rename(&mut *tx, id, name).await? {
        return Err(DomainError::CategoryNotFound.into());
    }
    let category = db::categories::get(&mut *tx, id).await?.ok_or(DomainError::CategoryNotFound)?;
    tx.commit().await?;
    Ok(category)
}

/// Deletes a category that holds no active product.
pub async fn delete_category(ctx: &Context, actor: &Actor, id: i64) -> Result<()> {
    actor.require_admin()?;
    let mut tx = ctx.db.begin().await?;
    if !db::categories::exists(&mut *tx, id).await? {
        return Err(DomainError::CategoryNotFound.into());
    }
    if db::categories::live_products(&mut *tx, id).await? > 0 {
        return Err(DomainError::CategoryInUse.into());
    }
    db::categories::delete(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}
