//! Selling, and reading what was sold.

use super::{Context, Result};
use crate::db::sales::{KeyedRequest, SaleToRecord};
use crate::db::{self, inventory};
use crate::domain::DomainError;
use crate::domain::checkout::{self, LineToPrice};
use crate::domain::money::Money;
use crate::domain::page::PageRequest;
use crate::domain::reports::Summary;
use crate::domain::sales::{IDEMPOTENCY_KEY_LIFETIME_MICROS, NewSale, Sale, SaleStatus, SalesFilter, SoldLine};
use crate::domain::time::{Timestamp, day_key};
use crate::domain::users::Actor;

/// A sale made, or found: the same idempotency key with the same request answers with the sale
/// it already made (`replayed`).
#[derive(Debug)]
pub struct Sold {
    pub sale: Sale,
    pub replayed: bool,
}

/// Sells the lines as the actor, at the products' prices of this moment, in one transaction:
/// every line's stock is taken (never below zero) with its movement, the lines are priced with
/// their discounts, the payments settle the total, and the sale, its items, its payments and
/// the daily totals are written — or nothing is. An employee's discount above the settings'
/// limit needs an administrator's approval (checked by the caller: `new_sale.approval`).
pub async fn sell(ctx: &Context, actor: &Actor, new_sale: NewSale) -> Result<Sold> {
    let Actor::User { id: seller, username, .. } = actor else {
        return Err(DomainError::NotASeller.into());
    };
    let now = Timestamp::now();
    let fingerprint = new_sale.fingerprint();
    let keyed = new_sale.idempotency_key.as_deref().map(|key| KeyedRequest { key, fingerprint: &fingerprint });
    let mut expired = None;
    if let Some(keyed) = keyed
        && let Some((sale, stored)) = db::sales::find_by_idempotency_key(&ctx.db.read, *seller, keyed.key).await?
    {
        if now.micros() - sale.timestamp.micros() < IDEMPOTENCY_KEY_LIFETIME_MICROS {
            return replay(sale, stored, &fingerprint);
        }
        expired = Some(sale.id);
    }

    let mut tx = ctx.db.begin().await?;
    let settings = db::settings::get(&mut *tx).await?;
    let cash_session_id = db::cash::hold_open_session(&mut tx, ctx.db.backend, *seller).await?;
    if settings.require_cash_session && cash_session_id.is_none() {
        return Err(DomainError::CashSessionRequired.into());
    }
    if let Some(sale_id) = expired {
        db::sales::forget_idempotency_key(&mut tx, sale_id).await?;
    }
    let taken = inventory::take_for_sale(&mut tx, ctx.db.backend, &new_sale.lines).await?;
    let discount_of =
        |product_id: i64| new_sale.lines.iter().find(|l| l.product_id == product_id).and_then(|l| l.discount);
    let to_price: Vec<LineToPrice> = taken
        .lines()
        .iter()
        .map(|l| LineToPrice { price: l.price, quantity: l.quantity, discount: discount_of(l.product_id) })
        .collect();
    let priced = checkout::price(&to_price, new_sale.discount)?;
    if !actor.is_admin() && new_sale.approval.is_none() && priced.discount_above(settings.max_discount_bp) {
        return Err(DomainError::DiscountNeedsApproval { limit_bp: settings.max_discount_bp }.into());
    }
    let settled = checkout::settle(priced.total, new_sale.payment_method, &new_sale.payments)?;
    let sold: Vec<SoldLine> = taken
        .lines()
        .iter()
        .zip(&priced.lines)
        .map(|(line, amounts)| SoldLine {
            product_id: line.product_id,
            product_name: line.name.clone(),
            quantity: line.quantity,
            price: line.price,
            discount: amounts.discount,
            net: amounts.net,
        })
        .collect();
    let record = SaleToRecord {
        user_id: *seller,
        priced: &priced,
        settled: &settled,
        approved_by: new_sale.approval.as_ref().map(|a| a.id),
        cash_session_id,
        at: now,
        keyed,
    };
    let sale_id = match db::sales::insert(&mut tx, &record).await {
        Ok(id) => id,
        Err(db::Error::Refused(DomainError::IdempotencyKeyReused)) => {
            // A request with the same key won a race with this one: answer with its sale.
            drop(tx);
            let key = keyed.map(|k| k.key).unwrap_or_default();
            let (sale, stored) = db::sales::find_by_idempotency_key(&ctx.db.read, *seller, key)
                .await?
                .ok_or_else(|| anyhow::anyhow!("venda idempotente não encontrada após conflito"))?;
            return replay(sale, stored, &fingerprint);
        }
        Err(e) => return Err(e.into()),
    };
    let items = db::sales::insert_items(&mut tx, sale_id, &sold).await?;
    taken.record(&mut tx, sale_id, *seller, now).await?;
    db::reports::record_sale(&mut tx, &day_key(ctx.calendar.date_of(now)), *seller, priced.total, &sold).await?;
    tx.commit().await?;

    let sale = Sale {
        id: sale_id,
        user_id: *seller,
        user_username: username.clone(),
        total_amount: priced.total,
        timestamp: now,
        payment_method: settled.method,
        items,
        subtotal: priced.subtotal,
        discount: priced.discount,
        change: settled.change,
        refunded: Money::ZERO,
        status: SaleStatus::Completed,
        payments: settled.payments,
        cancellation: None,
        discount_approved_by: new_sale.approval.map(|a| a.username),
        cash_session_id,
        returns: Vec::new(),
    };
    Ok(Sold { sale, replayed: false })
}

/// The sale an idempotency key made, unless the key now comes with a different request.
fn replay(sale: Sale, stored_fingerprint: Option<String>, fingerprint: &str) -> Result<Sold> {
    match stored_fingerprint {
        Some(stored) if stored != fingerprint => Err(DomainError::IdempotencyKeyReused.into()),
        _ => Ok(Sold { sale, replayed: true }),
    }
}

/// What the actor may see of a filter: employees only ever see their own sales.
fn visible(actor: &Actor, filter: SalesFilter) -> SalesFilter {
    if actor.is_admin() { filter } else { SalesFilter { user_id: actor.user_id(), ..filter } }
}

pub async fn get(ctx: &Context, actor: &Actor, id: i64) -> Result<Sale> {
    let sale = db::sales::get(&ctx.db.read, id).await?.ok_or(DomainError::SaleNotFound)?;
    if !actor.is_admin() && actor.user_id() != Some(sale.user_id) {
        return Err(DomainError::NotYourSale.into());
    }
    Ok(sale)
}

/// A page of the sales of a filter, newest first, with how many and how much there are in all.
#[derive(Debug)]
pub struct Listing {
    pub sales: Vec<Sale>,
    pub count: i64,
    pub total_amount: Money,
}

pub async fn list(ctx: &Context, actor: &Actor, filter: SalesFilter, page: PageRequest) -> Result<Listing> {
    let filter = visible(actor, filter);
    let (count, total_amount) = db::reports::count_and_sum_of(&ctx.db.read, ctx.calendar, &filter).await?;
    let sales = if page.offset() < count { db::sales::list(&ctx.db.read, &filter, page).await? } else { Vec::new() };
    Ok(Listing { sales, count, total_amount })
}

/// Every sale of a filter, oldest first, with items (for exports).
pub async fn all(ctx: &Context, actor: &Actor, filter: SalesFilter) -> Result<Vec<Sale>> {
    Ok(db::sales::all(&ctx.db.read, &visible(actor, filter)).await?)
}

/// The dashboard: today, this month, all time, the best sellers and the last 30 days.
pub async fn summary(ctx: &Context, actor: &Actor) -> Result<Summary> {
    actor.require_admin()?;
    Ok(db::reports::summary(&ctx.db.read, ctx.calendar, &ctx.summary_cache).await?)
}
