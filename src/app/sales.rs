//! Selling, and reading what was sold.

use serde_json::json;
use tokio::sync::mpsc;

use super::{Context, Error, Result, audit};
use crate::db::inventory::{Moving, Taking};
use crate::db::sales::{KeyedRequest, ReturnToRecord, SaleToRecord};
use crate::db::{self, inventory};
use crate::domain::DomainError;
use crate::domain::audit::{Action, NewEntry};
use crate::domain::catalog::Quantity;
use crate::domain::checkout::{self, LineToPrice, refund_of};
use crate::domain::figures::{SaleFacts, StandingLine, StandingSale};
use crate::domain::inventory::MovementReason;
use crate::domain::money::Money;
use crate::domain::page::PageRequest;
use crate::domain::reports::Summary;
use crate::domain::sales::{
    IDEMPOTENCY_KEY_LIFETIME_MICROS, NewReturn, NewSale, ReturnedItem, ReviewReason, Sale, SaleStatus, SalesFilter,
    SoldLine,
};
use crate::domain::time::{Timestamp, day_key};
use crate::domain::users::{Actor, Role};

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
///
/// A sale made at a terminal without connection (`new_sale.offline`) arrives later: it keeps
/// the time it was made, its seller (an employee sends only their own; an administrator anyone's),
/// its cash session, and the prices the terminal showed when the product had them; its units are
/// taken even below zero, and what was no longer as the terminal saw it flags it for review. A
/// `client_id` already recorded answers with its sale, also when two arrive at once (the unique
/// index decides).
pub async fn sell(ctx: &Context, actor: &Actor, new_sale: NewSale) -> Result<Sold> {
    let Actor::User { id: sender, username: sender_name, .. } = actor else {
        return Err(DomainError::NotASeller.into());
    };
    let now = Timestamp::now();
    let (seller, username, seller_is_admin) = match new_sale.offline.and_then(|o| o.seller_id) {
        Some(id) if id != *sender => {
            if !actor.is_admin() {
                return Err(DomainError::NotYourSaleToSend.into());
            }
            let user = db::users::get(&ctx.db.read, id).await?.ok_or(DomainError::UserNotFound)?;
            (user.id, user.username, user.role == Role::Admin)
        }
        _ => (*sender, sender_name.clone(), actor.is_admin()),
    };
    if let Some(client_id) = new_sale.client_id.as_deref()
        && let Some(sale) = db::sales::find_by_client_id(&ctx.db.read, client_id).await?
    {
        return recorded(sale, seller);
    }
    let fingerprint = new_sale.fingerprint();
    let keyed = new_sale.idempotency_key.as_deref().map(|key| KeyedRequest { key, fingerprint: &fingerprint });
    let mut expired = None;
    if let Some(keyed) = keyed
        && let Some((sale, stored)) = db::sales::find_by_idempotency_key(&ctx.db.read, seller, keyed.key).await?
    {
        if now.micros() - sale.timestamp.micros() < IDEMPOTENCY_KEY_LIFETIME_MICROS {
            return replay(sale, stored, &fingerprint);
        }
        expired = Some(sale.id);
    }

    let mut tx = ctx.db.begin().await?;
    let (rules, workplace) = db::settings::sale_rules(&mut *tx, ctx.db.backend, seller, seller_is_admin).await?;
    let mut review = Vec::new();
    let (at, cash_session, taking) = match new_sale.offline {
        None => {
            if rules.require_cash_session && rules.cash_session.is_none() {
                return Err(DomainError::CashSessionRequired.into());
            }
            (now, rules.cash_session, Taking::Available)
        }
        Some(offline) => {
            offline.check_time(now, rules.offline_sale_max_hours)?;
            let session = match offline.cash_session_id {
                Some(id) => {
                    let held = db::cash::hold_session(&mut tx, ctx.db.backend, id)
                        .await?
                        .ok_or(DomainError::CashSessionNotFound)?;
                    if held.owner != seller {
                        return Err(DomainError::CashSessionOfAnother { session_id: id }.into());
                    }
                    if !held.open {
                        review.push(ReviewReason::SessionClosed);
                    }
                    Some((id, held.store_id))
                }
                None => {
                    if rules.require_cash_session {
                        review.push(ReviewReason::NoSession);
                    }
                    None
                }
            };
            (offline.sold_at, session, Taking::AlreadyGone)
        }
    };
    let store = workplace.choose(new_sale.store_id, cash_session, new_sale.offline.is_some())?;
    let (store_id, store_name) = (store.id, store.name.clone());
    let cash_session_id = cash_session.map(|(id, _)| id);
    if let Some(sale_id) = expired {
        db::sales::forget_idempotency_key(&mut tx, sale_id).await?;
    }
    let customer = match new_sale.customer_id {
        Some(id) => Some(db::customers::named(&mut *tx, id).await?.ok_or(DomainError::CustomerNotFound)?),
        None => None,
    };
    let quantities: Vec<(i64, i64)> = new_sale.lines.iter().map(|l| (l.product_id, l.quantity)).collect();
    let taken = inventory::take(&mut tx, ctx.db.backend, store_id, &quantities, taking).await?;
    if taken.lines().iter().any(|line| line.balance < 0) {
        review.push(ReviewReason::StockShort);
    }
    if taken.lines().iter().any(|line| !line.live) {
        review.push(ReviewReason::ProductInactive);
    }
    let mut prices = Vec::with_capacity(taken.lines().len());
    let mut to_price = Vec::with_capacity(taken.lines().len());
    for taken in taken.lines() {
        let line =
            new_sale.lines.iter().find(|l| l.product_id == taken.product_id).ok_or(DomainError::TotalTooLarge)?;
        let price = match (line.shown_price, new_sale.offline) {
            (Some(shown), Some(offline)) if shown != taken.price => {
                let since = offline.oldest_allowed(now, rules.offline_sale_max_hours);
                if !db::products::had_price(&mut tx, taken.product_id, shown, since, offline.sold_at).await? {
                    let name = taken.name.clone();
                    return Err(
                        DomainError::PriceNotInHistory { product_id: taken.product_id, name, price: shown }.into()
                    );
                }
                shown
            }
            _ => taken.price,
        };
        prices.push(price);
        to_price.push(LineToPrice { gross: line.gross(taken.unit, price, taken.quantity)?, discount: line.discount });
    }
    let priced = checkout::price(&to_price, new_sale.discount)?;
    if !actor.is_admin() && new_sale.approval.is_none() && priced.discount_above(rules.max_discount_bp) {
        return Err(DomainError::DiscountNeedsApproval { limit_bp: rules.max_discount_bp }.into());
    }
    let settled = checkout::settle(priced.total, new_sale.payment_method, &new_sale.payments)?;
    let sold: Vec<SoldLine> = taken
        .lines()
        .iter()
        .zip(&priced.lines)
        .zip(&prices)
        .map(|((line, amounts), price)| SoldLine {
            product_id: line.product_id,
            product_name: line.name.clone(),
            quantity: line.quantity,
            unit: line.unit,
            price: *price,
            discount: amounts.discount,
            net: amounts.net,
            unit_cost: line.unit_cost,
        })
        .collect();
    let record = SaleToRecord {
        user_id: seller,
        priced: &priced,
        settled: &settled,
        approved_by: new_sale.approval.as_ref().map(|a| a.id),
        cash_session_id,
        customer_id: new_sale.customer_id,
        at,
        received_at: now,
        keyed,
        client_id: new_sale.client_id.as_deref(),
        review: &review,
        store_id,
    };
    let sale_id = match db::sales::insert(&mut tx, &record).await {
        Ok(id) => id,
        Err(db::Error::Refused(DomainError::IdempotencyKeyReused)) => {
            // A request with the same key won a race with this one: answer with its sale.
            drop(tx);
            let key = keyed.map(|k| k.key).unwrap_or_default();
            let (sale, stored) = db::sales::find_by_idempotency_key(&ctx.db.read, seller, key)
                .await?
                .ok_or_else(|| anyhow::anyhow!("venda idempotente não encontrada após conflito"))?;
            return replay(sale, stored, &fingerprint);
        }
        Err(db::Error::Refused(DomainError::ClientIdRecorded)) => {
            // The same sale, sent again before the first answer arrived, committed first.
            drop(tx);
            let client_id = new_sale.client_id.as_deref().unwrap_or_default();
            let sale = db::sales::find_by_client_id(&ctx.db.read, client_id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("venda do client_id não encontrada após conflito"))?;
            return recorded(sale, seller);
        }
        Err(e) => return Err(e.into()),
    };
    let items = db::sales::insert_items(&mut tx, sale_id, store_id, &sold).await?;
    let moving = Moving { sale_id: Some(sale_id), ..Moving::new(store_id, MovementReason::Sale, Some(seller), now) };
    taken.record(&mut tx, moving).await?;
    db::reports::record_sale(&mut tx, &day_key(ctx.calendar.date_of(at)), store_id, seller, priced.total).await?;
    let standing = StandingSale {
        created_at: at,
        store_id,
        user_id: seller,
        cancelled: false,
        lines: sold
            .iter()
            .map(|l| StandingLine {
                product_id: l.product_id,
                unit: l.unit,
                quantity: l.quantity,
                returned: 0,
                price: l.price,
                net: l.net,
                unit_cost: l.unit_cost,
            })
            .collect(),
        payments: if settled.payments.is_empty() {
            vec![(settled.method, priced.total)].into_iter().filter(|(_, total)| *total > Money::ZERO).collect()
        } else {
            settled.payments.iter().map(|p| (Some(p.method), p.amount)).collect()
        },
        refunds: Vec::new(),
    };
    db::rollups::record(&mut tx, &SaleFacts::of(&standing, ctx.calendar)).await?;
    let mut view = json!({
        "total": priced.total.to_string(),
        "desconto": priced.discount.to_string(),
        "itens": sold.len(),
        "pagamentos": settled.payments.iter().map(|p| json!({"forma": p.method.as_str(), "valor": p.amount.to_string()})).collect::<Vec<_>>(),
        "cliente_id": new_sale.customer_id,
        "loja_id": store_id,
        "aprovado_por": new_sale.approval.as_ref().map(|a| a.username.clone()),
    });
    if new_sale.offline.is_some() {
        view["feita_sem_conexao_em"] = json!(at.to_rfc3339());
        view["vendedor"] = json!(username);
        view["revisar"] = json!(review.iter().map(|r| r.as_str()).collect::<Vec<_>>());
    }
    if let Some(client_id) = &new_sale.client_id {
        view["client_id"] = json!(client_id);
    }
    audit::commit(
        ctx,
        tx,
        &[NewEntry::new(&audit::who(actor), Action::SaleMade, Some(("venda", sale_id)), view).in_store(store_id)],
    )
    .await?;

    let sale = Sale {
        id: sale_id,
        user_id: seller,
        user_username: username,
        total_amount: priced.total,
        timestamp: at,
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
        store_id,
        store_name,
        returns: Vec::new(),
        customer,
        client_id: new_sale.client_id,
        received_at: now,
        review,
        reviewed: None,
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

/// The sale a `client_id` already recorded: the same sale sent again (its reply was lost, or two
/// tabs sent it), unless the id names another seller's sale.
fn recorded(sale: Sale, seller: i64) -> Result<Sold> {
    if sale.user_id != seller {
        return Err(DomainError::ClientIdTaken.into());
    }
    Ok(Sold { sale, replayed: true })
}

/// Marks a sale flagged for review as looked at (administrators).
pub async fn mark_reviewed(ctx: &Context, actor: &Actor, sale_id: i64) -> Result<Sale> {
    actor.require_admin()?;
    let by = actor.user_id().ok_or(DomainError::NotASeller)?;
    let sale = db::sales::get(&ctx.db.read, sale_id).await?.ok_or(DomainError::SaleNotFound)?;
    if sale.review.is_empty() {
        return Err(DomainError::NothingToReview.into());
    }
    let mut tx = ctx.db.begin().await?;
    if !db::sales::mark_reviewed(&mut tx, sale_id, by, Timestamp::now()).await? {
        return Err(DomainError::AlreadyReviewed.into());
    }
    let view = json!({"revisar": sale.review.iter().map(|r| r.as_str()).collect::<Vec<_>>()});
    audit::commit(
        ctx,
        tx,
        &[NewEntry::new(&audit::who(actor), Action::SaleReviewed, Some(("venda", sale_id)), view)
            .in_store(sale.store_id)],
    )
    .await?;
    Ok(db::sales::get(&ctx.db.read, sale_id).await?.ok_or(DomainError::SaleNotFound)?)
}

/// What needs a look: sales made offline flagged when they arrived, and products below zero.
#[derive(Debug)]
pub struct ToReview {
    pub sales: Vec<Sale>,
    pub products: Vec<(i64, String, Quantity)>,
}

/// At most this many flagged sales are listed at once (the oldest wait for the newest).
const REVIEW_LIMIT: i64 = 200;

pub async fn to_review(ctx: &Context, actor: &Actor) -> Result<ToReview> {
    actor.require_admin()?;
    let sales = db::sales::to_review(&ctx.db.read, REVIEW_LIMIT).await?;
    let products = db::products::below_zero(&ctx.db.read).await?;
    Ok(ToReview { sales, products })
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

/// The sales of a filter, oldest first, with their items (not their payments nor returns), a
/// part at a time, on one connection of its own: what an export reads. The next part is read
/// while the caller writes the one it has (one part ahead, no more).
pub struct SalesReader {
    parts: mpsc::Receiver<Result<Vec<Sale>>>,
}

impl SalesReader {
    /// Starts reading parts of up to `limit` sales.
    pub async fn new(ctx: &Context, actor: &Actor, filter: SalesFilter, limit: i64) -> Result<SalesReader> {
        let mut conn = ctx.db.read.acquire().await.map_err(db::Error::from)?;
        let (filter, backend) = (visible(actor, filter), ctx.db.backend);
        let (sender, parts) = mpsc::channel(1);
        tokio::spawn(async move {
            let mut after = None;
            loop {
                let part = db::sales::part(&mut conn, backend, &filter, after, limit).await.map_err(Error::from);
                let last = part.as_ref().map_or(true, |part| (part.len() as i64) < limit);
                after = part.as_ref().ok().and_then(|part| part.last()).map(|sale| (sale.timestamp, sale.id));
                // Stop when the reader was dropped (the client went away) or after the last part.
                if sender.send(part).await.is_err() || last {
                    return;
                }
            }
        });
        Ok(SalesReader { parts })
    }

    /// The next part; empty once they are all read.
    pub async fn next(&mut self) -> Result<Vec<Sale>> {
        self.parts.recv().await.unwrap_or_else(|| Ok(Vec::new()))
    }
}

/// The dashboard: today, this month, all time, the best sellers and the last 30 days.
pub async fn summary(ctx: &Context, actor: &Actor, store_id: Option<i64>) -> Result<Summary> {
    actor.require_admin()?;
    if let Some(id) = store_id {
        db::stores::get(&ctx.db.read, id).await?.ok_or(DomainError::StoreNotFound)?;
    }
    Ok(db::reports::summary(&ctx.db.read, ctx.calendar, &ctx.summary_cache, store_id).await?)
}

/// Cancels a sale that stands (administrators): its remaining units come back to stock, it
/// leaves every total, and it keeps who cancelled it, when and why.
pub async fn cancel(ctx: &Context, actor: &Actor, sale_id: i64, reason: &str) -> Result<Sale> {
    actor.require_admin()?;
    let by = actor.user_id().ok_or(DomainError::AdminOnly)?;
    let now = Timestamp::now();
    let mut tx = ctx.db.begin().await?;
    let before = db::rollups::standing_sale(&mut tx, sale_id).await?;
    let Some(sale) = db::sales::cancel(&mut tx, sale_id, by, reason, now).await? else {
        return Err(match db::sales::status_of(&mut *tx, sale_id).await? {
            None => DomainError::SaleNotFound,
            Some(_) => DomainError::SaleAlreadyCancelled,
        }
        .into());
    };
    let lines = db::sales::lines_of(&mut tx, sale_id).await?;
    let units: Vec<(i64, i64)> =
        lines.iter().filter(|l| l.returned < l.quantity).map(|l| (l.product_id, l.quantity - l.returned)).collect();
    let back =
        Moving { sale_id: Some(sale_id), ..Moving::new(sale.store_id, MovementReason::Cancellation, Some(by), now) };
    inventory::put_back(&mut tx, ctx.db.backend, &units, back).await?;
    let day = day_key(ctx.calendar.date_of(sale.created_at));
    db::reports::remove_from_totals(&mut tx, &day, (sale.store_id, sale.user_id), true, sale.total - sale.refunded)
        .await?;
    record_change(ctx, &mut tx, sale_id, before).await?;
    let view = json!({"motivo": reason, "valor": (sale.total - sale.refunded).to_string()});
    audit::commit(
        ctx,
        tx,
        &[NewEntry::new(&audit::who(actor), Action::SaleCancelled, Some(("venda", sale_id)), view)
            .in_store(sale.store_id)],
    )
    .await?;
    get(ctx, actor, sale_id).await
}

/// Takes back some units of a sale that stands (administrators), refunded at what they were
/// actually paid after discounts (see `domain::checkout`), never more than were sold across
/// all returns. A cash refund is counted in the refunding user's open cash session.
pub async fn return_items(ctx: &Context, actor: &Actor, sale_id: i64, request: NewReturn) -> Result<Sale> {
    actor.require_admin()?;
    let by = actor.user_id().ok_or(DomainError::AdminOnly)?;
    let now = Timestamp::now();
    let mut tx = ctx.db.begin().await?;
    let Some(sale) = db::sales::lock_standing(&mut tx, sale_id).await? else {
        return Err(match db::sales::status_of(&mut *tx, sale_id).await? {
            None => DomainError::SaleNotFound,
            Some(_) => DomainError::ReturnOfCancelledSale,
        }
        .into());
    };
    let before = db::rollups::standing_sale(&mut tx, sale_id).await?;
    let lines = db::sales::lines_of(&mut tx, sale_id).await?;
    let mut returned = Vec::with_capacity(request.items.len());
    let mut units = Vec::with_capacity(request.items.len());
    for &(item_id, typed) in &request.items {
        let line =
            lines.iter().find(|l| l.id == item_id).ok_or(DomainError::ItemNotInSale { sale_item_id: item_id })?;
        let quantity =
            line.unit.from_thousandths(typed).ok_or(DomainError::WholeUnitsOnly { product_id: line.product_id })?;
        if !db::sales::mark_returned(&mut tx, item_id, quantity).await? {
            return Err(DomainError::ReturnAboveSold {
                sale_item_id: item_id,
                available: Quantity::new(line.quantity - line.returned, line.unit),
            }
            .into());
        }
        let refund = refund_of(line.net, line.quantity, line.returned + quantity)
            - refund_of(line.net, line.quantity, line.returned);
        returned.push(ReturnedItem { sale_item_id: item_id, quantity, refund });
        units.push((line.product_id, quantity));
    }
    let refund: Money = returned.iter().map(|r| r.refund).sum();
    let cash_session_id = db::cash::hold_open_session(&mut tx, ctx.db.backend, by).await?;
    let record = ReturnToRecord {
        sale_id,
        store_id: sale.store_id,
        user_id: by,
        reason: &request.reason,
        refund_method: request.refund_method,
        refund,
        cash_session_id,
        at: now,
        items: &returned,
    };
    let return_id = db::sales::insert_return(&mut tx, &record).await?;
    let back = Moving {
        sale_id: Some(sale_id),
        return_id: Some(return_id),
        ..Moving::new(sale.store_id, MovementReason::Return, Some(by), now)
    };
    inventory::put_back(&mut tx, ctx.db.backend, &units, back).await?;
    let day = day_key(ctx.calendar.date_of(sale.created_at));
    db::reports::remove_from_totals(&mut tx, &day, (sale.store_id, sale.user_id), false, refund).await?;
    record_change(ctx, &mut tx, sale_id, before).await?;
    let view = json!({
        "devolucao_id": return_id,
        "motivo": request.reason,
        "reembolso": refund.to_string(),
        "forma": request.refund_method.as_str(),
        "itens": returned.iter().map(|r| json!({"item_id": r.sale_item_id, "quantidade": r.quantity})).collect::<Vec<_>>(),
    });
    audit::commit(
        ctx,
        tx,
        &[NewEntry::new(&audit::who(actor), Action::SaleReturned, Some(("venda", sale_id)), view)
            .in_store(sale.store_id)],
    )
    .await?;
    get(ctx, actor, sale_id).await
}

/// Adds to the reports' totals what a cancellation or a return changed of a sale: the sale as
/// it stands now minus as it stood (`before`, read in the same transaction).
async fn record_change(ctx: &Context, tx: &mut db::Tx, sale_id: i64, before: Option<StandingSale>) -> Result<()> {
    let (Some(before), Some(after)) = (before, db::rollups::standing_sale(tx, sale_id).await?) else {
        return Err(DomainError::SaleNotFound.into());
    };
    let delta = SaleFacts::of(&after, ctx.calendar).minus(&SaleFacts::of(&before, ctx.calendar));
    Ok(db::rollups::record(tx, &delta).await?)
}
