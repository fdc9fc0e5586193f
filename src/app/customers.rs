//! Customers: any signed-in user finds, creates and corrects them (the PDV names the customer
//! of a sale without leaving the sale); what they bought is read from their sales.

use super::{Context, Result, audit};
use crate::db;
use crate::domain::DomainError;
use crate::domain::audit::{self as log, Action, NewEntry};
use crate::domain::customers::{Customer, CustomerChanges, CustomerDetails};
use crate::domain::page::PageRequest;
use crate::domain::time::Timestamp;
use crate::domain::users::Actor;

/// A page of customers by name, and how many match `search` (see `db::customers::list`).
pub async fn list(ctx: &Context, search: Option<&str>, page: PageRequest) -> Result<(Vec<Customer>, i64)> {
    Ok(db::customers::list(&ctx.db.read, search, page).await?)
}

pub async fn get(ctx: &Context, id: i64) -> Result<Customer> {
    Ok(db::customers::get(&ctx.db.read, id).await?.ok_or(DomainError::CustomerNotFound)?)
}

/// A document another customer has is refused (the unique index decides, also in a race).
pub async fn create(ctx: &Context, actor: &Actor, details: CustomerDetails) -> Result<Customer> {
    let mut tx = ctx.db.begin().await?;
    let id = db::customers::insert(&mut *tx, &details, Timestamp::now()).await?;
    let customer = db::customers::get(&mut *tx, id).await?.ok_or(DomainError::CustomerNotFound)?;
    let entry = NewEntry::new(
        &audit::who(actor),
        Action::CustomerCreated,
        Some(("cliente", id)),
        audit::customer_view(&details),
    );
    audit::commit(ctx, tx, &[entry]).await?;
    Ok(customer)
}

pub async fn update(ctx: &Context, actor: &Actor, id: i64, changes: CustomerChanges) -> Result<Customer> {
    if changes.is_empty() {
        return Err(DomainError::NothingToChange.into());
    }
    let mut tx = ctx.db.begin().await?;
    let current = db::customers::get(&mut *tx, id).await?.ok_or(DomainError::CustomerNotFound)?;
    let details = changes.apply(&current.details);
    if details == current.details {
        tx.commit().await?;
        return Ok(current);
    }
    if !db::customers::update(&mut *tx, id, &details, Timestamp::now()).await? {
        return Err(DomainError::CustomerNotFound.into());
    }
    let customer = db::customers::get(&mut *tx, id).await?.ok_or(DomainError::CustomerNotFound)?;
    let changed = log::changes(&audit::customer_view(&current.details), &audit::customer_view(&details));
    audit::commit(
        ctx,
        tx,
        &[NewEntry::new(&audit::who(actor), Action::CustomerChanged, Some(("cliente", id)), changed)],
    )
    .await?;
    Ok(customer)
}
