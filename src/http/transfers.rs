//! Transfers between stores: `GET/POST /api/stock/transfers`, `GET /api/stock/transfers/{id}`,
//! `POST /api/stock/transfers/{id}/receive` and `.../cancel`.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::{IntoParams, ToSchema};

use super::AppState;
use super::auth::{AdminUser, CurrentUser};
use super::error::{Error, Result};
use super::input::{JsonBody, Params, Raw, integer, is_absent, optional_text, path_id};
use super::openapi::{self, PageQuery};
use crate::app;
use crate::domain::DomainError;
use crate::domain::catalog::{Quantity, Unit};
use crate::domain::inventory::{self, MAX_NOTE_CHARS, NewTransfer, TransferStatus};
use crate::domain::sales::{MAX_LINES, MAX_QUANTITY};
use crate::domain::time::Timestamp;

/// Goods sent from one store to another.
#[derive(Serialize, ToSchema)]
pub struct Transfer {
    id: i64,
    from_store_id: i64,
    from_store_name: String,
    to_store_id: i64,
    to_store_name: String,
    /// `em_transito` (out of the origin, not yet in the destination), `recebida` or `cancelada`
    /// (back in the origin).
    #[schema(schema_with = transfer_status)]
    status: &'static str,
    #[schema(required = true)]
    note: Option<String>,
    /// Who sent it.
    #[schema(required = true)]
    user_id: Option<i64>,
    #[schema(required = true)]
    username: Option<String>,
    created_at: Timestamp,
    /// When and by whom it was received or cancelled.
    #[schema(required = true)]
    closed_at: Option<Timestamp>,
    #[schema(required = true)]
    closed_by: Option<i64>,
    items: Vec<TransferItem>,
}

#[derive(Serialize, ToSchema)]
pub struct TransferItem {
    product_id: i64,
    product_name: String,
    unit: Unit,
    /// In the product's unit.
    quantity: Quantity,
}

fn transfer_status() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String).enum_values(Some(TransferStatus::ALL.map(TransferStatus::as_str)))
}

impl From<inventory::Transfer> for Transfer {
    fn from(t: inventory::Transfer) -> Transfer {
        Transfer {
            id: t.id,
            from_store_id: t.from_store_id,
            from_store_name: t.from_store_name,
            to_store_id: t.to_store_id,
            to_store_name: t.to_store_name,
            status: t.status.as_str(),
            note: t.note,
            user_id: t.user_id,
            username: t.username,
            created_at: t.created_at,
            closed_at: t.closed_at,
            closed_by: t.closed_by,
            items: t
                .items
                .into_iter()
                .map(|i| TransferItem {
                    product_id: i.product_id,
                    product_name: i.product_name,
                    unit: i.unit,
                    quantity: Quantity::new(i.quantity, i.unit),
                })
                .collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TransferPage {
    transfers: Vec<Transfer>,
    total: i64,
    pages: i64,
    current_page: i64,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct TransferQuery {
    /// Só as nesta situação.
    #[param(schema_with = transfer_status)]
    status: Option<String>,
    /// Só as que saíram desta loja ou vão para ela.
    #[param(format = Int64, minimum = 1)]
    store_id: Option<i64>,
}

/// Transfers, newest first: all for an administrator, those of their stores for an employee.
#[utoipa::path(get, path = "/api/stock/transfers", tag = "estoque", operation_id = "list_transfers",
    security(("bearer" = [])), params(PageQuery, TransferQuery),
    responses(
        (status = 200, body = TransferPage),
        (status = 400, description = "Parâmetro inválido", body = super::ErrorBody),
    ))]
pub async fn list(State(state): State<AppState>, user: CurrentUser, params: Params) -> Result<Json<TransferPage>> {
    let page = params.page(50)?;
    let status = match params.get("status") {
        None => None,
        Some(text) => Some(
            TransferStatus::parse(text)
                .ok_or_else(|| Error::invalid("Parâmetro status deve ser em_transito, recebida ou cancelada"))?,
        ),
    };
    let store = super::stores::store_param(&params)?;
    let (transfers, total) = app::transfers::list(&state.app, &user.actor, status, store, page).await?;
    Ok(Json(TransferPage {
        transfers: transfers.into_iter().map(Transfer::from).collect(),
        total,
        pages: page.pages(total),
        current_page: page.page,
    }))
}

#[utoipa::path(get, path = "/api/stock/transfers/{id}", tag = "estoque", operation_id = "get_transfer",
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses(
        (status = 200, body = Transfer),
        (status = 404, description = "Transferência não encontrada", body = super::ErrorBody),
    ))]
pub async fn get(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> Result<Json<Transfer>> {
    let id = path_id(&id, DomainError::TransferNotFound)?;
    Ok(Json(app::transfers::get(&state.app, &user.actor, id).await?.into()))
}

/// `POST /api/stock/transfers`.
#[derive(Deserialize, ToSchema)]
#[schema(examples(json!({"from_store_id": 1, "to_store_id": 2, "items": [{"product_id": 1, "quantity": 10}],
    "note": "Reposição"})))]
pub struct TransferBody {
    #[schema(schema_with = openapi::id, required = true)]
    from_store_id: Option<Raw>,
    #[schema(schema_with = openapi::id, required = true)]
    to_store_id: Option<Raw>,
    /// Os produtos e quantidades (um produto repetido soma), de 1 a 100 itens.
    #[schema(value_type = Vec<TransferItemBody>, required = true)]
    items: Option<Raw>,
    #[schema(schema_with = openapi::setting_text)]
    note: Option<Raw>,
}

#[derive(Deserialize, ToSchema)]
pub struct TransferItemBody {
    #[schema(schema_with = openapi::id, required = true)]
    product_id: Option<Raw>,
    #[schema(schema_with = openapi::quantity, required = true)]
    quantity: Option<Raw>,
}

fn store(raw: &Option<Raw>, field: &str) -> Result<i64> {
    super::stores::store_field(raw)?.ok_or_else(|| Error::invalid(format!("{field} é obrigatório")))
}

/// The lines of a transfer, each product once (repeated ones summed), in thousandths as typed.
fn lines(items: &Option<Raw>) -> Result<Vec<(i64, i64)>> {
    let required = || Error::invalid("Lista de itens é obrigatória");
    let items: Vec<Box<RawValue>> = match items {
        Some(raw) => serde_json::from_str(raw.get()).map_err(|_| required())?,
        None => return Err(required()),
    };
    if items.is_empty() {
        return Err(required());
    }
    if items.len() > MAX_LINES {
        return Err(Error::invalid(format!("Uma transferência pode ter no máximo {MAX_LINES} itens")));
    }
    let incomplete = || Error::invalid("product_id e quantity são obrigatórios para cada item");
    let mut summed: BTreeMap<i64, i64> = BTreeMap::new();
    for raw in &items {
        let item: TransferItemBody = serde_json::from_str(raw.get()).map_err(|_| incomplete())?;
        if is_absent(&item.product_id) || is_absent(&item.quantity) {
            return Err(incomplete());
        }
        let product_id = integer(&item.product_id, 1, i64::MAX)
            .map_err(|_| Error::invalid("product_id deve ser um número inteiro positivo"))?
            .ok_or_else(incomplete)?;
        let quantity = super::sales::line_quantity(&item.quantity)?;
        let total = summed.entry(product_id).or_default();
        *total += quantity;
        if *total > MAX_QUANTITY * 1000 {
            return Err(Error::invalid("Quantidade acima do limite permitido"));
        }
    }
    Ok(summed.into_iter().collect())
}

/// Sends goods: they leave the origin's stock now (never below zero) and are in transit until
/// received.
#[utoipa::path(post, path = "/api/stock/transfers", tag = "estoque", operation_id = "create_transfer",
    security(("bearer" = [])), request_body = TransferBody,
    responses(
        (status = 201, body = Transfer),
        (status = 400, description = "Campo ausente ou inválido, ou estoque insuficiente na loja de origem (com \
            `product_id` e `available`)", body = super::ErrorBody),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
        (status = 404, description = "Loja ou produto não encontrados", body = super::ErrorBody),
        (status = 409, description = "A loja de destino está desativada", body = super::ErrorBody),
        (status = 422, description = "A mesma loja na origem e no destino", body = super::ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    JsonBody(body): JsonBody<TransferBody>,
) -> Result<(StatusCode, Json<Transfer>)> {
    let new = NewTransfer {
        from_store_id: store(&body.from_store_id, "from_store_id")?,
        to_store_id: store(&body.to_store_id, "to_store_id")?,
        lines: lines(&body.items)?,
        note: optional_text(&body.note, "Observação", MAX_NOTE_CHARS)?.flatten(),
    };
    let transfer = app::transfers::send(&state.app, &admin.actor, new).await?;
    Ok((StatusCode::CREATED, Json(transfer.into())))
}

/// The goods enter the destination's stock (an administrator, or an employee of that store).
#[utoipa::path(post, path = "/api/stock/transfers/{id}/receive", tag = "estoque", operation_id = "receive_transfer",
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses(
        (status = 200, body = Transfer),
        (status = 403, description = "Funcionário de outra loja", body = super::ErrorBody),
        (status = 404, description = "Transferência não encontrada", body = super::ErrorBody),
        (status = 409, description = "Já recebida ou cancelada", body = super::ErrorBody),
    ))]
pub async fn receive(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Transfer>> {
    let id = path_id(&id, DomainError::TransferNotFound)?;
    Ok(Json(app::transfers::receive(&state.app, &user.actor, id).await?.into()))
}

/// The goods go back to the origin's stock.
#[utoipa::path(post, path = "/api/stock/transfers/{id}/cancel", tag = "estoque", operation_id = "cancel_transfer",
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses(
        (status = 200, body = Transfer),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
        (status = 404, description = "Transferência não encontrada", body = super::ErrorBody),
        (status = 409, description = "Já recebida ou cancelada", body = super::ErrorBody),
    ))]
pub async fn cancel(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<String>,
) -> Result<Json<Transfer>> {
    let id = path_id(&id, DomainError::TransferNotFound)?;
    Ok(Json(app::transfers::cancel(&state.app, &admin.actor, id).await?.into()))
}
