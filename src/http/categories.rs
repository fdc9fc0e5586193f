use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;

use super::auth::{AdminUser, CurrentUser};
use super::input::{JsonBody, Raw, name_field, path_id, text};
use super::{AppState, Message};
use crate::db;
use crate::domain::catalog::{Category, MAX_NAME_CHARS};
use crate::domain::text::search_key;
use crate::domain::time::Timestamp;
use crate::error::{Error, Result, is_unique_violation};

const NOT_FOUND: &str = "Categoria não encontrada";
const NAME_REQUIRED: &str = "Nome da categoria é obrigatório";

#[derive(Deserialize, ToSchema)]
pub struct CategoryBody {
    #[schema(value_type = String)]
    name: Option<Raw>,
}

fn name(body: &CategoryBody) -> Result<String> {
    let name = text(&body.name)
        .ok()
        .flatten()
        .ok_or_else(|| Error::invalid(NAME_REQUIRED))
        .and_then(|n| name_field(&n, "Nome da categoria"))?;
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(Error::invalid("Nome da categoria deve ter no máximo 200 caracteres"));
    }
    Ok(name)
}

#[utoipa::path(get, path = "/api/categories", tag = "categorias", security(("bearer" = [])),
    responses((status = 200, body = Vec<Category>), (status = 401, body = super::ErrorBody)))]
pub async fn list(State(state): State<AppState>, _: CurrentUser) -> Result<Json<Vec<Category>>> {
    Ok(Json(db::categories::list(&state.db.read).await?))
}

#[utoipa::path(post, path = "/api/categories", tag = "categorias", security(("bearer" = [])), request_body = CategoryBody,
    responses((status = 201, body = Category), (status = 400, body = super::ErrorBody), (status = 403, body = super::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    _: AdminUser,
    JsonBody(body): JsonBody<CategoryBody>,
) -> Result<(StatusCode, Json<Category>)> {
    let name = name(&body)?;
    let id = match db::categories::insert(&state.db.write, &name, &search_key(&name), Timestamp::now()).await {
        Err(e) if is_unique_violation(&e) => return Err(Error::invalid("Categoria já existe")),
        other => other?,
    };
    let category = db::categories::get(&state.db.write, id).await?.ok_or_else(|| Error::not_found(NOT_FOUND))?;
    Ok((StatusCode::CREATED, Json(category)))
}

#[utoipa::path(put, path = "/api/categories/{id}", tag = "categorias", security(("bearer" = [])), request_body = CategoryBody,
    params(("id" = i64, Path)),
    responses((status = 200, body = Category), (status = 400, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    _: AdminUser,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<CategoryBody>,
) -> Result<Json<Category>> {
    let id = path_id(&id, NOT_FOUND)?;
    if !db::categories::exists(&state.db.read, id).await? {
        return Err(Error::not_found(NOT_FOUND));
    }
    let name = name(&body)?;
    match db::categories::rename(&state.db.write, id, &name, &search_key(&name)).await {
        Err(e) if is_unique_violation(&e) => {
            return Err(Error::invalid("Nome da categoria já existe"));
        }
        Ok(false) => return Err(Error::not_found(NOT_FOUND)),
        other => other?,
    };
    let category = db::categories::get(&state.db.write, id).await?.ok_or_else(|| Error::not_found(NOT_FOUND))?;
    Ok(Json(category))
}

#[utoipa::path(delete, path = "/api/categories/{id}", tag = "categorias", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Message), (status = 400, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn delete(State(state): State<AppState>, _: AdminUser, Path(id): Path<String>) -> Result<Json<Message>> {
    let id = path_id(&id, NOT_FOUND)?;
    let in_use = || Error::invalid("Não é possível deletar categoria com produtos associados");
    let mut tx = state.db.begin().await?;
    if !db::categories::exists(&mut *tx, id).await? {
        return Err(Error::not_found(NOT_FOUND));
    }
    if db::categories::live_products(&mut *tx, id).await? > 0 {
        return Err(in_use());
    }
    match db::categories::delete(&mut tx, id).await {
        // A product was added to it by another request at the same moment.
        Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => return Err(in_use()),
        other => other?,
    };
    tx.commit().await?;
    Ok(Json(Message::new("Categoria deletada com sucesso")))
}
