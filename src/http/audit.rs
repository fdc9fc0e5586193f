use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use utoipa::{IntoParams, ToSchema};

use super::AppState;
use super::auth::AdminUser;
use super::error::{Error, Result};
use super::input::Params;
use super::openapi::{self, PageQuery};
use crate::app;
use crate::domain::audit::{self, Action, AuditFilter};
use crate::domain::time::Timestamp;

/// An entry of the audit log.
#[derive(Serialize, ToSchema)]
pub struct AuditEntry {
    id: i64,
    created_at: Timestamp,
    /// Who did it; `null`: the operator at the command line, or a login of an unknown name.
    #[schema(required = true)]
    user_id: Option<i64>,
    /// The user's name then, or the name typed at a failed login.
    #[schema(required = true)]
    username: Option<String>,
    /// `area.what`: `login.sucesso`, `produto.alterado`, `venda.criada`, ...
    action: String,
    /// What it was done to: `produto`, `venda`, `usuario`, `categoria`, `cliente`, `caixa`.
    #[schema(required = true)]
    entity: Option<String>,
    #[schema(required = true)]
    entity_id: Option<i64>,
    /// The client's address (logins).
    #[schema(required = true)]
    client: Option<String>,
    /// What changed (`{"campo": {"antes": ..., "depois": ...}}`), the amounts, the reason.
    #[schema(value_type = Object)]
    details: Box<RawValue>,
    /// The store it happened in (a sale, a cash session, stock, a store's settings); `null`: the
    /// shop as a whole (the catalog, users, settings).
    #[schema(required = true)]
    store_id: Option<i64>,
    /// SHA-256 of the entry before (the chain's link).
    prev_hash: String,
    /// SHA-256 of this entry with `prev_hash`.
    hash: String,
}

impl TryFrom<audit::Entry> for AuditEntry {
    type Error = Error;

    fn try_from(e: audit::Entry) -> Result<AuditEntry> {
        let details = RawValue::from_string(e.details).map_err(|err| Error::Internal(err.into()))?;
        Ok(AuditEntry {
            id: e.id,
            created_at: e.created_at,
            user_id: e.user_id,
            username: e.username,
            action: e.action,
            entity: e.entity,
            entity_id: e.entity_id,
            client: e.client,
            details,
            store_id: e.store_id,
            prev_hash: e.prev_hash,
            hash: e.hash,
        })
    }
}

#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    entries: Vec<AuditEntry>,
    total: i64,
    pages: i64,
    current_page: i64,
    /// Every action there is, for filters.
    actions: Vec<&'static str>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct AuditQuery {
    /// Quem fez.
    #[param(format = Int64)]
    user_id: Option<i64>,
    /// Uma ação (`produto.alterado`) ou uma área inteira (`produto`).
    #[param(schema_with = action_filter)]
    action: Option<String>,
    /// Só o que aconteceu nesta loja.
    #[param(format = Int64, minimum = 1)]
    store_id: Option<i64>,
    /// Início do período, como nas vendas.
    #[param(schema_with = openapi::period_bound)]
    start_date: Option<String>,
    /// Fim do período; uma data sem hora inclui o dia inteiro.
    #[param(schema_with = openapi::period_bound)]
    end_date: Option<String>,
}

/// Every action and every area there is.
fn action_filter() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    let mut values: Vec<String> = Action::ALL.iter().map(|a| a.as_str().to_string()).collect();
    for action in Action::ALL {
        let area = action.as_str().split('.').next().unwrap_or_default().to_string();
        if !values.contains(&area) {
            values.push(area);
        }
    }
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(values))
        .into()
}

/// Newest first. No API changes or deletes an entry.
#[utoipa::path(get, path = "/api/audit", tag = "auditoria", operation_id = "list_audit", security(("bearer" = [])),
    params(PageQuery, AuditQuery),
    responses(
        (status = 200, body = AuditPage),
        (status = 400, description = "Filtro inválido", body = super::ErrorBody),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    params: Params,
) -> Result<Json<AuditPage>> {
    let page = params.page(50)?;
    let (from, until) = super::sales::period(&state, &params)?;
    let action = params
        .get("action")
        .map(|text| {
            Action::filter(text).ok_or_else(|| {
                Error::invalid("Parâmetro action inválido: use uma ação (produto.alterado) ou uma área (produto)")
            })
        })
        .transpose()?;
    let user_id = params.integer("user_id", "Parâmetro user_id inválido")?;
    let store_id = super::stores::store_param(&params)?;
    let filter = AuditFilter { user_id, store_id, action, from, until };
    let (entries, total) = app::audit::list(&state.app, &admin.actor, &filter, page).await?;
    Ok(Json(AuditPage {
        entries: entries.into_iter().map(AuditEntry::try_from).collect::<Result<_>>()?,
        total,
        pages: page.pages(total),
        current_page: page.page,
        actions: Action::ALL.iter().map(|a| a.as_str()).collect(),
    }))
}

/// The chain checked from the first entry to the last.
#[derive(Serialize, ToSchema)]
pub struct AuditCheck {
    /// True when every entry is as it was written and none is missing between them.
    intact: bool,
    /// Entries checked (up to the break, if any).
    entries: i64,
    /// The last entry's id and hash: a copy of them kept elsewhere shows whether the newest
    /// entries were removed later.
    #[schema(required = true)]
    head_id: Option<i64>,
    #[schema(required = true)]
    head_hash: Option<String>,
    /// Where and why the chain breaks.
    #[schema(required = true)]
    problem: Option<String>,
}

/// Walks the whole chain, as `sistema-vendas check` does.
#[utoipa::path(get, path = "/api/audit/check", tag = "auditoria", operation_id = "check_audit", security(("bearer" = [])),
    responses(
        (status = 200, body = AuditCheck),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
    ))]
pub async fn check(State(state): State<AppState>, _: AdminUser) -> Result<Json<AuditCheck>> {
    Ok(Json(match app::audit::verify(&state.app.db).await? {
        Ok(chain) => AuditCheck {
            intact: true,
            entries: chain.entries,
            head_id: chain.head().map(|(id, _)| *id),
            head_hash: chain.head().map(|(_, hash)| hash.clone()),
            problem: None,
        },
        Err((chain, broken)) => AuditCheck {
            intact: false,
            entries: chain.entries,
            head_id: None,
            head_hash: None,
            problem: Some(broken.to_string()),
        },
    }))
}
