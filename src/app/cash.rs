//! The cash register: opening a session, suprimentos and sangrias, closing with the count, and
//! reading sessions and the day's report. Any signed-in user opens a session for themself; a
//! session is read and changed by its operator or an administrator.

use chrono::{Days, NaiveDate};

use serde_json::json;

use super::{Context, Result, audit};
use crate::db;
use crate::domain::DomainError;
use crate::domain::audit::{Action, NewEntry};
use crate::domain::cash::{
    self, Activity, CashMovement, CashSession, CashSessionsFilter, DEFAULT_TERMINAL, DayReport, MovementKind,
    NewCashSession, NewMovement, SessionReport, SessionView,
};
use crate::domain::money::Money;
use crate::domain::page::PageRequest;
use crate::domain::time::Timestamp;
use crate::domain::users::Actor;

/// The signed-in user an actor is: the operator at the command line has no drawer.
fn operator(actor: &Actor) -> Result<(i64, &str)> {
    match actor {
        Actor::User { id, username, .. } => Ok((*id, username)),
        Actor::Operator => Err(DomainError::NotASeller.into()),
    }
}

/// Opens a session for the actor, in a store they work in: the one named, else the registered
/// terminal's, else their only store. A second open session for the same user is refused, also
/// when two opens race (the database's key of open sessions decides).
pub async fn open(ctx: &Context, actor: &Actor, new: NewCashSession) -> Result<SessionView> {
    let (user_id, _) = operator(actor)?;
    let mut tx = ctx.db.begin().await?;
    let terminal = match new.terminal_id {
        Some(id) => {
            let terminal = db::stores::terminal(&mut *tx, id).await?.ok_or(DomainError::TerminalNotFound)?;
            if !terminal.active {
                return Err(DomainError::TerminalArchived { name: terminal.name }.into());
            }
            if new.store_id.is_some_and(|store| store != terminal.store_id) {
                return Err(DomainError::TerminalOfOtherStore { name: terminal.name }.into());
            }
            Some(terminal)
        }
        None => None,
    };
    let workplace = db::stores::workplace(&mut tx, user_id, actor.is_admin()).await?;
    let store = workplace.choose(new.store_id.or(terminal.as_ref().map(|t| t.store_id)), None, false)?;
    let name = new.terminal.or(terminal.map(|t| t.name)).unwrap_or_else(|| DEFAULT_TERMINAL.to_string());
    let opening = db::cash::SessionToOpen {
        terminal: &name,
        opening_float: new.opening_float,
        store_id: store.id,
        terminal_id: new.terminal_id,
    };
    let id = db::cash::insert(&mut tx, user_id, &opening, Timestamp::now()).await?;
    let session = db::cash::get(&mut *tx, id).await?.ok_or_else(|| anyhow::anyhow!("caixa {id} sumiu ao abrir"))?;
    let view = json!({"terminal": name, "loja_id": store.id, "fundo_de_troco": new.opening_float.to_string()});
    audit::commit(
        ctx,
        tx,
        &[NewEntry::new(&audit::who(actor), Action::CashOpened, Some(("caixa", id)), view).in_store(store.id)],
    )
    .await?;
    Ok(SessionView::new(session, actor, Some(&Activity::default())))
}

/// The actor's open session.
pub async fn current(ctx: &Context, actor: &Actor) -> Result<SessionView> {
    let (user_id, _) = operator(actor).map_err(|_| DomainError::NoOpenCashSession)?;
    let mut tx = ctx.db.begin_snapshot().await?;
    let session = db::cash::current_of(&mut *tx, user_id).await?.ok_or(DomainError::NoOpenCashSession)?;
    let activity = if SessionView::needs_activity(&session, actor) {
        Some(db::cash::activity(&mut tx, session.id).await?)
    } else {
        None
    };
    Ok(SessionView::new(session, actor, activity.as_ref()))
}

/// Records a suprimento or a sangria in an open session, by its operator or an administrator.
/// A sangria may take at most what the drawer should hold at that moment: the session's row
/// is locked first, so that two sangrias, or a sangria and the closing, happen one after the
/// other.
pub async fn record_movement(
    ctx: &Context,
    actor: &Actor,
    session_id: i64,
    movement: NewMovement,
) -> Result<CashMovement> {
    let (user_id, username) = operator(actor)?;
    let mut tx = ctx.db.begin().await?;
    let session = locked(&mut tx, ctx, actor, session_id).await?;
    if !session.is_open() {
        return Err(DomainError::CashSessionClosed.into());
    }
    if movement.kind == MovementKind::Sangria {
        let activity = db::cash::activity(&mut tx, session.id).await?;
        cash::check_withdrawal(cash::expected(session.opening_float, &activity), movement.amount)?;
    }
    let now = Timestamp::now();
    let id = db::cash::insert_movement(&mut tx, (session.id, session.store_id), user_id, &movement, now).await?;
    let view = json!({"tipo": movement.kind.as_str(), "valor": movement.amount.to_string(), "motivo": movement.reason});
    audit::commit(
        ctx,
        tx,
        &[NewEntry::new(&audit::who(actor), Action::CashMovement, Some(("caixa", session.id)), view)
            .in_store(session.store_id)],
    )
    .await?;
    Ok(CashMovement {
        id,
        session_id: session.id,
        kind: movement.kind,
        amount: movement.amount,
        reason: movement.reason,
        user_id,
        user_username: username.to_string(),
        created_at: now,
    })
}

/// Closes a session with what was counted in the drawer, by its operator or an administrator:
/// the expected cash is computed under the session's lock, and the difference (counted -
/// expected) kept as it is. Closing a closed session is refused: the conditional update
/// decides.
pub async fn close(ctx: &Context, actor: &Actor, session_id: i64, counted: Money) -> Result<SessionView> {
    let mut tx = ctx.db.begin().await?;
    let session = locked(&mut tx, ctx, actor, session_id).await?;
    let activity = db::cash::activity(&mut tx, session.id).await?;
    let expected = cash::expected(session.opening_float, &activity);
    if !db::cash::close(&mut tx, &session, actor.user_id(), counted, expected, Timestamp::now()).await? {
        return Err(DomainError::CashSessionClosed.into());
    }
    let closed = db::cash::get(&mut *tx, session.id).await?.ok_or(DomainError::CashSessionNotFound)?;
    let view = json!({
        "contado": counted.to_string(),
        "esperado": expected.to_string(),
        "diferenca": (counted - expected).to_string(),
    });
    audit::commit(
        ctx,
        tx,
        &[NewEntry::new(&audit::who(actor), Action::CashClosed, Some(("caixa", session.id)), view)
            .in_store(session.store_id)],
    )
    .await?;
    Ok(SessionView::new(closed, actor, None))
}

/// The session, locked, if the actor may change it.
async fn locked(tx: &mut db::Tx, ctx: &Context, actor: &Actor, session_id: i64) -> Result<CashSession> {
    let session = db::cash::lock(tx, ctx.db.backend, session_id).await?.ok_or(DomainError::CashSessionNotFound)?;
    session.check_access(actor)?;
    Ok(session)
}

/// A session with its sales by payment method, movements and cash refunds.
pub async fn report(ctx: &Context, actor: &Actor, session_id: i64) -> Result<SessionReport> {
    let mut tx = ctx.db.begin_snapshot().await?;
    let session = db::cash::get(&mut *tx, session_id).await?.ok_or(DomainError::CashSessionNotFound)?;
    session.check_access(actor)?;
    let activity = db::cash::activity(&mut tx, session.id).await?;
    let movements = db::cash::movements_of(&mut *tx, session.id).await?;
    let refunds = db::cash::cash_refunds_of(&mut *tx, session.id).await?;
    let view = SessionView::new(session, actor, Some(&activity));
    Ok(SessionReport { view, activity, movements, refunds })
}

/// A page of sessions, the last opened first, and how many the filter has.
#[derive(Debug)]
pub struct Listing {
    pub sessions: Vec<SessionView>,
    pub count: i64,
}

/// Employees only ever see their own sessions.
pub async fn list(ctx: &Context, actor: &Actor, filter: CashSessionsFilter, page: PageRequest) -> Result<Listing> {
    let filter = if actor.is_admin() { filter } else { CashSessionsFilter { user_id: actor.user_id(), ..filter } };
    let mut tx = ctx.db.begin_snapshot().await?;
    let count = db::cash::count(&mut *tx, &filter).await?;
    let sessions = if page.offset() < count { db::cash::list(&mut *tx, &filter, page).await? } else { Vec::new() };
    let needing: Vec<i64> = sessions.iter().filter(|s| SessionView::needs_activity(s, actor)).map(|s| s.id).collect();
    let mut activities = db::cash::activities(&mut tx, &needing).await?;
    let sessions = sessions
        .into_iter()
        .map(|s| {
            let activity = activities.remove(&s.id);
            SessionView::new(s, actor, activity.as_ref())
        })
        .collect();
    Ok(Listing { sessions, count })
}

/// The sessions opened on a day (in the business time zone), per operator and in all.
pub async fn day_report(ctx: &Context, actor: &Actor, date: NaiveDate) -> Result<DayReport> {
    actor.require_admin()?;
    let from = ctx.calendar.start_of(date);
    let until =
        date.checked_add_days(Days::new(1)).map_or(Timestamp::from_micros(i64::MAX), |d| ctx.calendar.start_of(d));
    let mut tx = ctx.db.begin_snapshot().await?;
    let sessions = db::cash::opened_between(&mut *tx, from, until).await?;
    let ids: Vec<i64> = sessions.iter().map(|s| s.id).collect();
    let mut activities = db::cash::activities(&mut tx, &ids).await?;
    let sessions: Vec<(CashSession, Activity)> = sessions
        .into_iter()
        .map(|s| {
            let activity = activities.remove(&s.id).unwrap_or_default();
            (s, activity)
        })
        .collect();
    Ok(cash::day_report(date, &sessions))
}
