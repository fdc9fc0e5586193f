//! The cash register: `/api/cash-sessions`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::{AdminUser, CurrentUser};
use super::error::{Error, Result};
use super::input::{JsonBody, Params, Raw, integer, is_absent, number, path_id, text};
use super::openapi::{self, PageQuery};
use super::{AppState, ErrorBody};
use crate::app;
use crate::domain::DomainError;
use crate::domain::cash::{
    self, CashSessionsFilter, MAX_REASON_CHARS, MAX_TERMINAL_CHARS, MovementKind, NewCashSession, NewMovement,
};
use crate::domain::money::Money;
use crate::domain::sales::{PaymentMethod, SalesFilter};
use crate::domain::text::{self as rules, TextError};
use crate::domain::time::Timestamp;

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum CashSessionStatus {
    Aberto,
    Fechado,
}

/// A cashier's session at a terminal. The count is blind: while the session is open, only
/// administrators see `expected`; once closed, `expected`, `counted` and `difference` are
/// those of the closing.
#[derive(Serialize, ToSchema)]
pub struct CashSession {
    id: i64,
    /// The operator, whose drawer it is.
    user_id: i64,
    user_username: String,
    terminal: String,
    store_id: i64,
    /// O terminal cadastrado em que foi aberto.
    #[schema(required = true)]
    terminal_id: Option<i64>,
    opening_float: Money,
    opened_at: Timestamp,
    #[schema(required = true)]
    closed_at: Option<Timestamp>,
    /// Who closed it (the operator or an administrator).
    #[schema(required = true)]
    closed_by: Option<i64>,
    #[schema(required = true)]
    closed_by_username: Option<String>,
    /// What was counted in the drawer at closing.
    #[schema(required = true)]
    counted: Option<Money>,
    /// What the drawer should hold: the opening float + cash received - change + suprimentos -
    /// sangrias - cash refunds. `null` for employees while the session is open.
    #[schema(required = true)]
    expected: Option<Money>,
    /// `counted - expected` (negative: cash missing), as at closing.
    #[schema(required = true)]
    difference: Option<Money>,
    status: CashSessionStatus,
}

impl From<cash::SessionView> for CashSession {
    fn from(view: cash::SessionView) -> CashSession {
        let session = view.session;
        let closing = session.closing;
        CashSession {
            id: session.id,
            user_id: session.user_id,
            user_username: session.user_username,
            terminal: session.terminal,
            store_id: session.store_id,
            terminal_id: session.terminal_id,
            opening_float: session.opening_float,
            opened_at: session.opened_at,
            closed_at: closing.as_ref().map(|c| c.at),
            closed_by: closing.as_ref().and_then(|c| c.by),
            closed_by_username: closing.as_ref().and_then(|c| c.by_username.clone()),
            counted: closing.as_ref().map(|c| c.counted),
            expected: view.expected,
            difference: closing.as_ref().map(|c| c.difference),
            status: if closing.is_some() { CashSessionStatus::Fechado } else { CashSessionStatus::Aberto },
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum MovementType {
    Suprimento,
    Sangria,
}

impl From<MovementKind> for MovementType {
    fn from(kind: MovementKind) -> MovementType {
        match kind {
            MovementKind::Suprimento => MovementType::Suprimento,
            MovementKind::Sangria => MovementType::Sangria,
        }
    }
}

/// Cash put into the drawer (`suprimento`) or taken out of it (`sangria`) outside a sale.
#[derive(Serialize, ToSchema)]
pub struct CashMovement {
    id: i64,
    session_id: i64,
    #[serde(rename = "type")]
    kind: MovementType,
    amount: Money,
    #[schema(required = true)]
    reason: Option<String>,
    /// Who recorded it.
    user_id: i64,
    user_username: String,
    created_at: Timestamp,
}

impl From<cash::CashMovement> for CashMovement {
    fn from(m: cash::CashMovement) -> CashMovement {
        CashMovement {
            id: m.id,
            session_id: m.session_id,
            kind: m.kind.into(),
            amount: m.amount,
            reason: m.reason,
            user_id: m.user_id,
            user_username: m.user_username,
            created_at: m.created_at,
        }
    }
}

/// The sales paid (partly) with a method: how many (a sale split among methods counts in
/// each), and how much they paid with it (cash: received minus change).
#[derive(Serialize, ToSchema)]
pub struct MethodTotal {
    method: PaymentMethod,
    count: i64,
    amount: Money,
}

fn method_totals(totals: Vec<cash::MethodTotal>) -> Vec<MethodTotal> {
    totals.into_iter().map(|t| MethodTotal { method: t.method, count: t.count, amount: t.amount }).collect()
}

/// A return refunded in cash from the session's drawer.
#[derive(Serialize, ToSchema)]
pub struct CashRefund {
    return_id: i64,
    sale_id: i64,
    amount: Money,
    user_id: i64,
    user_username: String,
    created_at: Timestamp,
}

/// A session and what went on in it: its sales that stand, by payment method; the
/// suprimentos, sangrias and cash refunds.
#[derive(Serialize, ToSchema)]
pub struct CashSessionReport {
    session: CashSession,
    /// Sales of the session that stand (cancelled ones are out of every total).
    sales_count: i64,
    cancelled_count: i64,
    payments: Vec<MethodTotal>,
    suprimentos: Money,
    sangrias: Money,
    /// Sum of `refunds`.
    cash_refunds: Money,
    movements: Vec<CashMovement>,
    refunds: Vec<CashRefund>,
}

impl From<cash::SessionReport> for CashSessionReport {
    fn from(r: cash::SessionReport) -> CashSessionReport {
        CashSessionReport {
            session: r.view.into(),
            sales_count: r.activity.sales_count,
            cancelled_count: r.activity.cancelled_count,
            payments: method_totals(r.activity.payments),
            suprimentos: r.activity.suprimentos,
            sangrias: r.activity.sangrias,
            cash_refunds: r.activity.cash_refunds,
            movements: r.movements.into_iter().map(CashMovement::from).collect(),
            refunds: r
                .refunds
                .into_iter()
                .map(|f| CashRefund {
                    return_id: f.return_id,
                    sale_id: f.sale_id,
                    amount: f.amount,
                    user_id: f.user_id,
                    user_username: f.user_username,
                    created_at: f.created_at,
                })
                .collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CashSessionPage {
    cash_sessions: Vec<CashSession>,
    total: i64,
    pages: i64,
    current_page: i64,
}

/// Sums over sessions. `counted` and `difference` add the closed sessions'; `expected` adds
/// the closed sessions' (as at closing) and the open ones' (as of now).
#[derive(Serialize, ToSchema)]
pub struct CashTotals {
    sessions_count: i64,
    /// Sessions still open.
    open_count: i64,
    opening_float: Money,
    sales_count: i64,
    cancelled_count: i64,
    payments: Vec<MethodTotal>,
    suprimentos: Money,
    sangrias: Money,
    cash_refunds: Money,
    expected: Money,
    counted: Money,
    difference: Money,
}

impl From<cash::Totals> for CashTotals {
    fn from(t: cash::Totals) -> CashTotals {
        CashTotals {
            sessions_count: t.sessions_count,
            open_count: t.open_count,
            opening_float: t.opening_float,
            sales_count: t.sales_count,
            cancelled_count: t.cancelled_count,
            payments: method_totals(t.payments),
            suprimentos: t.suprimentos,
            sangrias: t.sangrias,
            cash_refunds: t.cash_refunds,
            expected: t.expected,
            counted: t.counted,
            difference: t.difference,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct OperatorCashTotals {
    user_id: i64,
    user_username: String,
    totals: CashTotals,
}

/// The sessions opened on a day, per operator (by name) and in all.
#[derive(Serialize, ToSchema)]
pub struct CashDayReport {
    /// `YYYY-MM-DD`, in the business time zone.
    date: String,
    timezone: String,
    operators: Vec<OperatorCashTotals>,
    totals: CashTotals,
}

/// `POST /api/cash-sessions`.
#[derive(Deserialize, ToSchema)]
#[schema(examples(json!({"opening_float": 100, "terminal": "Caixa 1"})))]
pub struct OpenCashSessionBody {
    /// O troco inicial (fundo de caixa), pode ser 0.
    #[schema(schema_with = openapi::amount_or_zero, required = true)]
    opening_float: Option<Raw>,
    #[schema(schema_with = openapi::terminal)]
    terminal: Option<Raw>,
    /// A loja do caixa. Ausente: a do terminal (`terminal_id`), ou a única loja em que o operador trabalha.
    #[schema(schema_with = openapi::optional_id)]
    store_id: Option<Raw>,
    /// Um terminal cadastrado (GET /api/terminals): o caixa é da loja dele e leva o nome dele.
    #[schema(schema_with = openapi::optional_id)]
    terminal_id: Option<Raw>,
}

/// `POST /api/cash-sessions/{id}/movements`.
#[derive(Deserialize, ToSchema)]
#[schema(examples(json!({"type": "sangria", "amount": 50, "reason": "Depósito no banco"})))]
pub struct MovementBody {
    /// `suprimento` (entrada de dinheiro) ou `sangria` (retirada).
    #[serde(rename = "type")]
    #[schema(value_type = MovementType, required = true)]
    kind: Option<Raw>,
    #[schema(schema_with = openapi::positive_amount, required = true)]
    amount: Option<Raw>,
    #[schema(schema_with = openapi::movement_reason)]
    reason: Option<Raw>,
}

/// `POST /api/cash-sessions/{id}/close`.
#[derive(Deserialize, ToSchema)]
#[schema(examples(json!({"counted": 152.5})))]
pub struct CloseCashSessionBody {
    /// O dinheiro contado na gaveta, pode ser 0.
    #[schema(schema_with = openapi::amount_or_zero, required = true)]
    counted: Option<Raw>,
}

/// A required amount of money: at most two decimals, at most R$ 10.000.000,00, and at least
/// `min_cents`. `subject` names it in the messages.
fn money(raw: &Option<Raw>, subject: &str, min_cents: i64) -> Result<Money> {
    if is_absent(raw) {
        return Err(Error::invalid(format!("{subject} é obrigatório")));
    }
    let bound = if min_cents > 0 { "maior que zero" } else { "zero ou mais" };
    number(raw, 2, min_cents, Money::MAX_PRICE.cents()).ok().flatten().map(Money::from_cents).ok_or_else(|| {
        Error::invalid(format!("{subject} deve ser {bound}, com até duas casas decimais e no máximo R$ 10.000.000,00"))
    })
}

fn terminal(raw: &Option<Raw>) -> Result<Option<String>> {
    let Some(typed) = text(raw).map_err(|_| Error::invalid("Terminal (terminal) deve ser texto"))? else {
        return Ok(None);
    };
    let name = rules::name(&typed).map_err(|e| match e {
        TextError::Empty => Error::invalid("Terminal não pode ficar em branco (sem o campo, o terminal é \"PDV\")"),
        TextError::InvalidCharacters => Error::invalid("Terminal contém caracteres inválidos"),
    })?;
    // Counted as sent (trimmed), as the document's pattern counts.
    if typed.trim().chars().count() > MAX_TERMINAL_CHARS {
        return Err(Error::invalid(format!("Terminal deve ter no máximo {MAX_TERMINAL_CHARS} caracteres")));
    }
    Ok(Some(name))
}

fn movement_kind(raw: &Option<Raw>) -> Result<MovementKind> {
    let invalid = || Error::invalid("Tipo (type) deve ser suprimento ou sangria");
    let kind = text(raw).map_err(|_| invalid())?.ok_or_else(invalid)?;
    MovementKind::parse(&kind).ok_or_else(invalid)
}

fn reason(raw: &Option<Raw>) -> Result<Option<String>> {
    let Some(typed) = text(raw).map_err(|_| Error::invalid("Motivo (reason) deve ser texto"))? else {
        return Ok(None);
    };
    let reason = match rules::multi_line(&typed) {
        Ok(reason) => reason,
        Err(TextError::Empty) => return Ok(None),
        Err(TextError::InvalidCharacters) => return Err(Error::invalid("Motivo contém caracteres inválidos")),
    };
    if reason.chars().count() > MAX_REASON_CHARS || typed.trim().chars().count() > MAX_REASON_CHARS {
        return Err(Error::invalid(format!("Motivo deve ter no máximo {MAX_REASON_CHARS} caracteres")));
    }
    Ok(Some(reason))
}

fn session_id(id: &str) -> Result<i64> {
    path_id(id, DomainError::CashSessionNotFound)
}

/// Opens a cash session for the caller (one open session per operator).
#[utoipa::path(post, path = "/api/cash-sessions", tag = "caixa", operation_id = "open_cash_session",
    security(("bearer" = [])),
    request_body = OpenCashSessionBody,
    responses(
        (status = 201, body = CashSession),
        (status = 403, description = "Uma loja em que o operador não trabalha", body = ErrorBody),
        (status = 404, description = "Loja ou terminal não encontrado", body = ErrorBody),
        (status = 409, description = "Já existe um caixa aberto para este operador; loja ou terminal desativado", body = ErrorBody),
        (status = 422, description = "A loja não foi indicada e o operador trabalha em mais de uma; o terminal é de outra loja", body = ErrorBody),
    ))]
pub async fn open(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<OpenCashSessionBody>,
) -> Result<(StatusCode, Json<CashSession>)> {
    let opening_float = money(&body.opening_float, "Valor de abertura (opening_float)", 0)?;
    let id = |raw: &Option<Raw>, field: &str| {
        integer(raw, 1, i64::MAX).map_err(|_| Error::invalid(format!("{field} deve ser um número inteiro positivo")))
    };
    let new = NewCashSession {
        terminal: terminal(&body.terminal)?,
        opening_float,
        store_id: id(&body.store_id, "store_id")?,
        terminal_id: id(&body.terminal_id, "terminal_id")?,
    };
    let session = app::cash::open(&state.app, &user.actor, new).await?;
    Ok((StatusCode::CREATED, Json(session.into())))
}

/// The caller's open cash session (`expected` only for administrators).
#[utoipa::path(get, path = "/api/cash-sessions/current", tag = "caixa", operation_id = "get_current_cash_session",
    security(("bearer" = [])),
    responses(
        (status = 200, body = CashSession),
        (status = 404, description = "Nenhum caixa aberto para este operador", body = ErrorBody),
    ))]
pub async fn current(State(state): State<AppState>, user: CurrentUser) -> Result<Json<CashSession>> {
    match app::cash::current(&state.app, &user.actor).await {
        Ok(session) => Ok(Json(session.into())),
        // Elsewhere (a cash refund) it is a conflict with the state; here, what was asked is not there.
        Err(app::Error::Refused(none @ DomainError::NoOpenCashSession)) => Err(Error::NotFound(none.to_string())),
        Err(other) => Err(other.into()),
    }
}

/// The filters of the sessions listing. Values are trimmed; an empty one counts as absent.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct CashSessionsQuery {
    /// Caixas abertos a partir de: `AAAA-MM-DD`, `AAAA-MM-DDTHH:MM`, com segundos, ou RFC 3339.
    #[param(schema_with = openapi::period_bound)]
    start_date: Option<String>,
    /// Caixas abertos até, como `start_date`; uma data sem hora inclui o dia inteiro.
    #[param(schema_with = openapi::period_bound)]
    end_date: Option<String>,
    /// Caixas de um operador (só administradores: para os demais é sempre o próprio usuário).
    #[param(format = Int64)]
    user_id: Option<i64>,
    /// Caixas de uma loja.
    #[param(format = Int64, minimum = 1)]
    store_id: Option<i64>,
}

/// The period and operator of a listing, read as the sales listing reads them.
fn sessions_filter(state: &AppState, user: &CurrentUser, params: &Params) -> Result<CashSessionsFilter> {
    let SalesFilter { from, until, user_id, store_id, .. } = super::sales::sales_filter(state, user, params)?;
    Ok(CashSessionsFilter { from, until, user_id, store_id })
}

/// The last opened first. Employees see only their own sessions, without `expected` while open.
#[utoipa::path(get, path = "/api/cash-sessions", tag = "caixa", operation_id = "list_cash_sessions",
    security(("bearer" = [])),
    params(PageQuery, CashSessionsQuery),
    responses((status = 200, body = CashSessionPage)))]
pub async fn list(State(state): State<AppState>, user: CurrentUser, params: Params) -> Result<Json<CashSessionPage>> {
    let page = params.page(20)?;
    let filter = sessions_filter(&state, &user, &params)?;
    let listing = app::cash::list(&state.app, &user.actor, filter, page).await?;
    Ok(Json(CashSessionPage {
        cash_sessions: listing.sessions.into_iter().map(CashSession::from).collect(),
        total: listing.count,
        pages: page.pages(listing.count),
        current_page: page.page,
    }))
}

/// A session with its sales by payment method, movements and cash refunds; by its operator
/// or an administrator.
#[utoipa::path(get, path = "/api/cash-sessions/{id}", tag = "caixa", operation_id = "get_cash_session",
    security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = CashSessionReport),
        (status = 403, description = "Caixa de outro operador (para funcionários)", body = ErrorBody),
        (status = 404, description = "Caixa não encontrado", body = ErrorBody),
    ))]
pub async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<CashSessionReport>> {
    let id = session_id(&id)?;
    Ok(Json(app::cash::report(&state.app, &user.actor, id).await?.into()))
}

/// Records a suprimento or a sangria in an open session; by its operator or an administrator.
#[utoipa::path(post, path = "/api/cash-sessions/{id}/movements", tag = "caixa", operation_id = "create_cash_movement",
    security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = MovementBody,
    responses(
        (status = 201, body = CashMovement),
        (status = 400, description = "Campos inválidos, ou sangria maior que o dinheiro esperado no caixa",
            body = ErrorBody),
        (status = 403, description = "Caixa de outro operador (para funcionários)", body = ErrorBody),
        (status = 404, description = "Caixa não encontrado", body = ErrorBody),
        (status = 409, description = "Caixa já fechado", body = ErrorBody),
    ))]
pub async fn record_movement(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<MovementBody>,
) -> Result<(StatusCode, Json<CashMovement>)> {
    let id = session_id(&id)?;
    let kind = movement_kind(&body.kind)?;
    let amount = money(&body.amount, "Valor (amount)", 1)?;
    let movement = NewMovement { kind, amount, reason: reason(&body.reason)? };
    let movement = app::cash::record_movement(&state.app, &user.actor, id, movement).await?;
    Ok((StatusCode::CREATED, Json(movement.into())))
}

/// Closes a session with the cash counted in the drawer; by its operator or an administrator.
/// The answer shows `expected`, `counted` and `difference` to everyone.
#[utoipa::path(post, path = "/api/cash-sessions/{id}/close", tag = "caixa", operation_id = "close_cash_session",
    security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = CloseCashSessionBody,
    responses(
        (status = 200, body = CashSession),
        (status = 403, description = "Caixa de outro operador (para funcionários)", body = ErrorBody),
        (status = 404, description = "Caixa não encontrado", body = ErrorBody),
        (status = 409, description = "Caixa já fechado", body = ErrorBody),
    ))]
pub async fn close(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<CloseCashSessionBody>,
) -> Result<Json<CashSession>> {
    let id = session_id(&id)?;
    let counted = money(&body.counted, "Valor contado (counted)", 0)?;
    Ok(Json(app::cash::close(&state.app, &user.actor, id, counted).await?.into()))
}

/// `AAAA-MM-DD` exactly (four digits, two, two), as the document's `format: date` says.
fn day(text: &str) -> Option<NaiveDate> {
    let digits_and_dashes = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    digits_and_dashes.then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()).flatten()
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct DayReportQuery {
    #[param(schema_with = openapi::date)]
    date: Option<String>,
}

/// The sessions opened on a day, per operator and per payment method.
#[utoipa::path(get, path = "/api/cash-sessions/report", tag = "caixa", operation_id = "get_cash_day_report",
    security(("bearer" = [])),
    params(DayReportQuery),
    responses(
        (status = 200, body = CashDayReport),
        (status = 403, description = "Só administradores", body = ErrorBody),
    ))]
pub async fn day_report(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    params: Params,
) -> Result<Json<CashDayReport>> {
    let calendar = state.app.calendar;
    let date = match params.get("date") {
        None => calendar.today(),
        Some(text) => day(text).ok_or_else(|| Error::invalid("Formato de data inválido para date (use AAAA-MM-DD)"))?,
    };
    let report = app::cash::day_report(&state.app, &admin.actor, date).await?;
    Ok(Json(CashDayReport {
        date: report.date.format("%Y-%m-%d").to_string(),
        timezone: calendar.tz.name().to_string(),
        operators: report
            .operators
            .into_iter()
            .map(|o| OperatorCashTotals { user_id: o.user_id, user_username: o.user_username, totals: o.totals.into() })
            .collect(),
        totals: report.totals.into(),
    }))
}
