//! Stores and their terminals (points of sale).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::auth::{AdminUser, CurrentUser};
use super::error::{Error, Result};
use super::input::{JsonBody, Params, Raw, boolean, integer, name_field, path_id, refuse_nulls, text};
use super::openapi;
use crate::app;
use crate::domain::DomainError;
use crate::domain::money::Money;
use crate::domain::stores::{self, MAX_NAME_CHARS, PlaceChanges};
use crate::domain::time::Timestamp;

#[derive(Serialize, ToSchema)]
pub struct Store {
    id: i64,
    name: String,
    created_at: Timestamp,
    /// `false`: a loja foi desativada (o histórico fica; nada novo é vendido nela).
    active: bool,
}

impl From<stores::Store> for Store {
    fn from(s: stores::Store) -> Store {
        Store { id: s.id, name: s.name, created_at: s.created_at, active: s.active }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Terminal {
    id: i64,
    store_id: i64,
    name: String,
    created_at: Timestamp,
    active: bool,
}

impl From<stores::Terminal> for Terminal {
    fn from(t: stores::Terminal) -> Terminal {
        Terminal { id: t.id, store_id: t.store_id, name: t.name, created_at: t.created_at, active: t.active }
    }
}

/// `POST /api/stores`.
#[derive(Deserialize, ToSchema)]
#[schema(examples(json!({"name": "Loja Centro"})))]
pub struct StoreBody {
    #[schema(schema_with = openapi::store_name, required = true)]
    name: Option<Raw>,
}

/// `PUT /api/stores/{id}` and `PUT /api/terminals/{id}`: only the fields sent change; at least one.
#[derive(Deserialize, ToSchema)]
#[schema(min_properties = 1, examples(json!({"name": "Loja Bairro"}), json!({"active": false})))]
pub struct PlaceUpdateBody {
    #[serde(default, deserialize_with = "super::input::keep_null")]
    #[schema(schema_with = openapi::store_name)]
    name: Option<Raw>,
    /// `false` desativa; `true` reativa.
    #[serde(default, deserialize_with = "super::input::keep_null")]
    #[schema(value_type = bool)]
    active: Option<Raw>,
}

/// `POST /api/terminals`.
#[derive(Deserialize, ToSchema)]
#[schema(examples(json!({"store_id": 2, "name": "Caixa 1"})))]
pub struct TerminalBody {
    #[schema(value_type = i64, required = true)]
    store_id: Option<Raw>,
    #[schema(schema_with = openapi::store_name, required = true)]
    name: Option<Raw>,
}

/// The `store_id` of a request's body (absent or null: none named).
pub fn store_field(raw: &Option<Raw>) -> Result<Option<i64>> {
    integer(raw, 1, i64::MAX).map_err(|_| Error::invalid("store_id deve ser o id de uma loja"))
}

/// The `store_id` of a query string.
pub fn store_param(params: &Params) -> Result<Option<i64>> {
    let invalid = "Parâmetro store_id inválido";
    match params.integer("store_id", invalid)? {
        Some(id) if id < 1 => Err(Error::invalid(invalid)),
        id => Ok(id),
    }
}

fn name(raw: &Option<Raw>, subject: &str) -> Result<Option<String>> {
    let Some(typed) = text(raw).map_err(|_| Error::invalid(format!("{subject} deve ser texto")))? else {
        return Ok(None);
    };
    let name = name_field(&typed, subject)?;
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(Error::invalid(format!("{subject} deve ter no máximo {MAX_NAME_CHARS} caracteres")));
    }
    Ok(Some(name))
}

fn required_name(raw: &Option<Raw>, subject: &str) -> Result<String> {
    name(raw, subject)?.ok_or_else(|| Error::invalid(format!("{subject} é obrigatório")))
}

fn changes(body: &PlaceUpdateBody, subject: &str) -> Result<PlaceChanges> {
    refuse_nulls(&[("name", &body.name), ("active", &body.active)])?;
    let active = boolean(&body.active).map_err(|_| Error::invalid("active deve ser true ou false"))?;
    Ok(PlaceChanges { name: name(&body.name, subject)?, active })
}

/// Every store for an administrator; the stores an employee works in for them.
#[utoipa::path(get, path = "/api/stores", tag = "lojas", operation_id = "list_stores", security(("bearer" = [])),
    responses((status = 200, body = Vec<Store>)))]
pub async fn list(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Vec<Store>>> {
    Ok(Json(app::stores::list(&state.app, &user.actor).await?.into_iter().map(Store::from).collect()))
}

#[utoipa::path(post, path = "/api/stores", tag = "lojas", operation_id = "create_store", security(("bearer" = [])),
    request_body = StoreBody,
    responses(
        (status = 201, body = Store),
        (status = 400, description = "Nome inválido", body = super::ErrorBody),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
        (status = 422, description = "Já existe uma loja com este nome", body = super::ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    JsonBody(body): JsonBody<StoreBody>,
) -> Result<(StatusCode, Json<Store>)> {
    let name = required_name(&body.name, "Nome da loja")?;
    let store = app::stores::create(&state.app, &admin.actor, name).await?;
    Ok((StatusCode::CREATED, Json(store.into())))
}

/// Renames, closes (`active: false`) or reopens a store. The last open store stays open.
#[utoipa::path(put, path = "/api/stores/{id}", tag = "lojas", operation_id = "update_store", security(("bearer" = [])),
    request_body = PlaceUpdateBody, params(("id" = i64, Path)),
    responses(
        (status = 200, body = Store),
        (status = 400, description = "Campos inválidos ou nenhum campo", body = super::ErrorBody),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
        (status = 404, description = "Loja não encontrada", body = super::ErrorBody),
        (status = 409, description = "A última loja ativa", body = super::ErrorBody),
        (status = 422, description = "Já existe uma loja com este nome", body = super::ErrorBody),
    ))]
pub async fn update(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<PlaceUpdateBody>,
) -> Result<Json<Store>> {
    let id = path_id(&id, DomainError::StoreNotFound)?;
    let store = app::stores::update(&state.app, &admin.actor, id, changes(&body, "Nome da loja")?).await?;
    Ok(Json(store.into()))
}

/// The terminals of the stores the user works in (all for an administrator).
#[utoipa::path(get, path = "/api/terminals", tag = "lojas", operation_id = "list_terminals", security(("bearer" = [])),
    responses((status = 200, body = Vec<Terminal>)))]
pub async fn terminals(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Vec<Terminal>>> {
    Ok(Json(app::stores::terminals(&state.app, &user.actor).await?.into_iter().map(Terminal::from).collect()))
}

#[utoipa::path(post, path = "/api/terminals", tag = "lojas", operation_id = "create_terminal", security(("bearer" = [])),
    request_body = TerminalBody,
    responses(
        (status = 201, body = Terminal),
        (status = 400, description = "Campos inválidos", body = super::ErrorBody),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
        (status = 404, description = "Loja não encontrada", body = super::ErrorBody),
        (status = 409, description = "Loja desativada", body = super::ErrorBody),
        (status = 422, description = "Já existe um terminal com este nome nesta loja", body = super::ErrorBody),
    ))]
pub async fn create_terminal(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    JsonBody(body): JsonBody<TerminalBody>,
) -> Result<(StatusCode, Json<Terminal>)> {
    let store_id = store_field(&body.store_id)?.ok_or_else(|| Error::invalid("store_id é obrigatório"))?;
    let name = required_name(&body.name, "Nome do terminal")?;
    let terminal = app::stores::create_terminal(&state.app, &admin.actor, store_id, name).await?;
    Ok((StatusCode::CREATED, Json(terminal.into())))
}

#[utoipa::path(put, path = "/api/terminals/{id}", tag = "lojas", operation_id = "update_terminal", security(("bearer" = [])),
    request_body = PlaceUpdateBody, params(("id" = i64, Path)),
    responses(
        (status = 200, body = Terminal),
        (status = 400, description = "Campos inválidos ou nenhum campo", body = super::ErrorBody),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
        (status = 404, description = "Terminal não encontrado", body = super::ErrorBody),
        (status = 422, description = "Já existe um terminal com este nome nesta loja", body = super::ErrorBody),
    ))]
pub async fn update_terminal(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<PlaceUpdateBody>,
) -> Result<Json<Terminal>> {
    let id = path_id(&id, DomainError::TerminalNotFound)?;
    let terminal =
        app::stores::update_terminal(&state.app, &admin.actor, id, changes(&body, "Nome do terminal")?).await?;
    Ok(Json(terminal.into()))
}

/// A price one store charges instead of the catalog's.
#[derive(Serialize, ToSchema)]
pub struct StorePrice {
    product_id: i64,
    product_name: String,
    price: Money,
    catalog_price: Money,
}

impl From<stores::StorePrice> for StorePrice {
    fn from(p: stores::StorePrice) -> StorePrice {
        StorePrice {
            product_id: p.product_id,
            product_name: p.product_name,
            price: p.price,
            catalog_price: p.catalog_price,
        }
    }
}

/// `PUT /api/stores/{id}/prices/{product_id}`.
#[derive(Deserialize, ToSchema)]
#[schema(examples(json!({"price": "19.90"})))]
pub struct StorePriceBody {
    #[schema(schema_with = openapi::price, required = true)]
    price: Option<Raw>,
}

/// The prices the store charges instead of the catalog's, by product name.
#[utoipa::path(get, path = "/api/stores/{id}/prices", tag = "lojas", operation_id = "list_store_prices",
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses(
        (status = 200, body = Vec<StorePrice>),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
        (status = 404, description = "Loja não encontrada", body = super::ErrorBody),
    ))]
pub async fn prices(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<StorePrice>>> {
    let id = path_id(&id, DomainError::StoreNotFound)?;
    Ok(Json(app::stores::prices(&state.app, &admin.actor, id).await?.into_iter().map(StorePrice::from).collect()))
}

/// The store charges this price for the product instead of the catalog's (its sales, its PDV's
/// catalog and receipts).
#[utoipa::path(put, path = "/api/stores/{id}/prices/{product_id}", tag = "lojas", operation_id = "set_store_price",
    security(("bearer" = [])), request_body = StorePriceBody, params(("id" = i64, Path), ("product_id" = i64, Path)),
    responses(
        (status = 200, body = StorePrice),
        (status = 400, description = "Preço ausente ou inválido", body = super::ErrorBody),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
        (status = 404, description = "Loja ou produto não encontrados", body = super::ErrorBody),
    ))]
pub async fn set_price(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path((id, product_id)): Path<(String, String)>,
    JsonBody(body): JsonBody<StorePriceBody>,
) -> Result<Json<StorePrice>> {
    let id = path_id(&id, DomainError::StoreNotFound)?;
    let product_id = path_id(&product_id, DomainError::ProductNotFound)?;
    let price = super::products::positive_price(&body.price)?.ok_or_else(|| Error::invalid("price é obrigatório"))?;
    let set = app::stores::set_price(&state.app, &admin.actor, id, product_id, Some(price)).await?;
    Ok(Json(set.ok_or_else(|| anyhow::anyhow!("o preço da loja não foi gravado"))?.into()))
}

/// The store charges the catalog's price for the product again.
#[utoipa::path(delete, path = "/api/stores/{id}/prices/{product_id}", tag = "lojas", operation_id = "remove_store_price",
    security(("bearer" = [])), params(("id" = i64, Path), ("product_id" = i64, Path)),
    responses(
        (status = 204, description = "A loja volta ao preço do catálogo"),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
        (status = 404, description = "Loja ou produto não encontrados", body = super::ErrorBody),
    ))]
pub async fn remove_price(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path((id, product_id)): Path<(String, String)>,
) -> Result<StatusCode> {
    let id = path_id(&id, DomainError::StoreNotFound)?;
    let product_id = path_id(&product_id, DomainError::ProductNotFound)?;
    app::stores::set_price(&state.app, &admin.actor, id, product_id, None).await?;
    Ok(StatusCode::NO_CONTENT)
}
