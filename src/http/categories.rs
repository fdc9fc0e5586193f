use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::{AdminUser, CurrentUser};
use super::error::{Error, Result};
use super::input::{JsonBody, Raw, name_field, path_id, text};
use super::openapi;
use super::{AppState, Message};
use crate::app;
use crate::domain::DomainError;
use crate::domain::catalog::{self, MAX_NAME_CHARS};
use crate::domain::time::Timestamp;

const NAME_REQUIRED: &str = "Nome da categoria é obrigatório";

#[derive(Serialize, ToSchema)]
pub struct Category {
    id: i64,
    name: String,
    created_at: Timestamp,
    /// Active products in the category.
    products_count: i64,
}

impl From<catalog::Category> for Category {
    fn from(c: catalog::Category) -> Category {
        Category { id: c.id, name: c.name, created_at: c.created_at, products_count: c.products_count }
    }
}

/// `POST /api/categories` and `PUT /api/categories/{id}`.
#[derive(Deserialize, ToSchema)]
#[schema(examples(json!({"name": "Mercearia"})))]
pub struct CategoryBody {
    #[schema(schema_with = openapi::catalog_name, required = true)]
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

#[utoipa::path(get, path = "/api/categories", tag = "categorias", operation_id = "list_categories", security(("bearer" = [])),
    responses((status = 200, body = Vec<Category>)))]
pub async fn list(State(state): State<AppState>, _: CurrentUser) -> Result<Json<Vec<Category>>> {
    Ok(Json(app::catalog::categories(&state.app).await?.into_iter().map(Category::from).collect()))
}

#[utoipa::path(post, path = "/api/categories", tag = "categorias", operation_id = "create_category", security(("bearer" = [])),
    request_body = CategoryBody,
    responses(
        (status = 201, body = Category),
        (status = 400, description = "Nome inválido, ou \"Categoria já existe\"", body = super::ErrorBody),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    JsonBody(body): JsonBody<CategoryBody>,
) -> Result<(StatusCode, Json<Category>)> {
    let category = app::catalog::create_category(&state.app, &admin.actor, &name(&body)?).await?;
    Ok((StatusCode::CREATED, Json(category.into())))
}

#[utoipa::path(put, path = "/api/categories/{id}", tag = "categorias", operation_id = "update_category", security(("bearer" = [])),
    request_body = CategoryBody, params(("id" = i64, Path)),
    responses(
        (status = 200, body = Category),
        (status = 400, description = "Nome inválido, ou \"Nome da categoria já existe\"", body = super::ErrorBody),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
        (status = 404, description = "Categoria não encontrada", body = super::ErrorBody),
    ))]
pub async fn update(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<CategoryBody>,
) -> Result<Json<Category>> {
    let id = path_id(&id, DomainError::CategoryNotFound)?;
    let category = app::catalog::rename_category(&state.app, &admin.actor, id, &name(&body)?).await?;
    Ok(Json(category.into()))
}

#[utoipa::path(delete, path = "/api/categories/{id}", tag = "categorias", operation_id = "delete_category", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = Message),
        (status = 400, description = "Categoria com produtos associados", body = super::ErrorBody),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
        (status = 404, description = "Categoria não encontrada", body = super::ErrorBody),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<String>,
) -> Result<Json<Message>> {
    let id = path_id(&id, DomainError::CategoryNotFound)?;
    app::catalog::delete_category(&state.app, &admin.actor, id).await?;
    Ok(Json(Message::new("Categoria deletada com sucesso")))
}
