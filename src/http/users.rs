use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::AdminUser;
use super::error::{Error, Result};
use super::input::{JsonBody, Raw, boolean, keep_null, path_id, refuse_nulls, text};
use super::openapi;
use super::{AppState, Message};
use crate::app;
use crate::domain::DomainError;
use crate::domain::time::Timestamp;
use crate::domain::users::{self, NewUser, Role, UserChanges};

const INVALID_ROLE: &str = "Role deve ser admin ou funcionario";

/// A user as clients see it.
#[derive(Serialize, ToSchema)]
pub struct User {
    id: i64,
    username: String,
    role: Role,
    /// False when an administrator deactivated the account: it cannot log in.
    active: bool,
    created_at: Timestamp,
    /// As lojas em que o usuário trabalha (um funcionário só vende nelas; um administrador vende em todas).
    store_ids: Vec<i64>,
}

impl From<users::User> for User {
    fn from(user: users::User) -> User {
        User {
            id: user.id,
            username: user.username,
            role: user.role,
            active: user.active,
            created_at: user.created_at,
            store_ids: user.stores,
        }
    }
}

/// `store_ids`: a list of store ids (absent or null: unchanged, or on creation the shop's only store).
fn stores(raw: &Option<Raw>) -> Result<Option<Vec<i64>>> {
    let Some(raw) = raw.as_ref().filter(|r| r.get() != "null") else { return Ok(None) };
    let ids: Vec<i64> =
        serde_json::from_str(raw.get()).map_err(|_| Error::invalid("store_ids deve ser uma lista de ids de lojas"))?;
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    Ok(Some(unique))
}

#[utoipa::path(get, path = "/api/users", tag = "usuarios", operation_id = "list_users", security(("bearer" = [])),
    responses((status = 200, body = Vec<User>), (status = 403, description = "Só administradores", body = super::ErrorBody)))]
pub async fn list(State(state): State<AppState>, AdminUser(admin): AdminUser) -> Result<Json<Vec<User>>> {
    Ok(Json(app::users::list(&state.app, &admin.actor).await?.into_iter().map(User::from).collect()))
}

/// `POST /api/users`. Unknown fields are ignored.
#[derive(Deserialize, ToSchema)]
#[schema(examples(json!({"username": "maria", "password": "caixa2026", "role": "funcionario"})))]
pub struct UserCreateBody {
    #[schema(schema_with = openapi::username, required = true)]
    username: Option<Raw>,
    #[schema(schema_with = openapi::new_password, required = true)]
    password: Option<Raw>,
    /// `funcionario` quando ausente ou `null`.
    #[schema(value_type = Option<Role>)]
    role: Option<Raw>,
    /// As lojas em que trabalha; quando ausente, a única loja (com várias, a loja 1).
    #[schema(value_type = Option<Vec<i64>>)]
    store_ids: Option<Raw>,
}

/// `PUT /api/users/{id}`: only the fields sent change; at least one. `username`, `role` and
/// `active` cannot be null. A new password or a deactivation ends the user's sessions.
#[derive(Deserialize, ToSchema)]
#[schema(min_properties = 1, examples(json!({"role": "admin"}), json!({"active": false})))]
pub struct UserUpdateBody {
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(schema_with = openapi::username)]
    username: Option<Raw>,
    #[schema(schema_with = openapi::changed_password)]
    password: Option<Raw>,
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(value_type = Role)]
    role: Option<Raw>,
    /// `false` desativa a conta (não pode entrar; as vendas ficam).
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(value_type = bool)]
    active: Option<Raw>,
    /// As lojas em que trabalha a partir de agora (a lista inteira).
    #[schema(value_type = Option<Vec<i64>>)]
    store_ids: Option<Raw>,
}

fn role(raw: &Option<Raw>) -> Result<Option<Role>> {
    match text(raw).map_err(|_| Error::invalid(INVALID_ROLE))? {
        None => Ok(None),
        Some(role) => Role::parse(role.trim()).map(Some).ok_or_else(|| Error::invalid(INVALID_ROLE)),
    }
}

#[utoipa::path(post, path = "/api/users", tag = "usuarios", operation_id = "create_user", security(("bearer" = [])),
    request_body = UserCreateBody,
    responses(
        (status = 201, body = User),
        (status = 400, description = "Campos inválidos, ou \"Usuário já existe\"", body = super::ErrorBody),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
        (status = 404, description = "Uma loja de store_ids não existe", body = super::ErrorBody),
        (status = 422, description = "Um funcionário sem loja", body = super::ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    JsonBody(body): JsonBody<UserCreateBody>,
) -> Result<(StatusCode, Json<User>)> {
    let required = || Error::invalid("Username e password são obrigatórios");
    let username = text(&body.username).map_err(|_| required())?.ok_or_else(required)?;
    let password = text(&body.password).map_err(|_| required())?.filter(|p| !p.is_empty()).ok_or_else(required)?;
    let role = role(&body.role)?.unwrap_or(Role::Funcionario);
    let user = app::users::create(
        &state.app,
        &admin.actor,
        NewUser { username, password, role, stores: stores(&body.store_ids)? },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(user.into())))
}

#[utoipa::path(put, path = "/api/users/{id}", tag = "usuarios", operation_id = "update_user", security(("bearer" = [])),
    request_body = UserUpdateBody, params(("id" = i64, Path)),
    responses(
        (status = 200, body = User),
        (status = 400, description = "Campos inválidos, nenhum campo, \"Username já existe\", o último administrador ativo ou \
            desativar a si mesmo", body = super::ErrorBody),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
        (status = 404, description = "Usuário não encontrado, ou uma loja de store_ids", body = super::ErrorBody),
        (status = 422, description = "Um funcionário sem loja", body = super::ErrorBody),
    ))]
pub async fn update(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<UserUpdateBody>,
) -> Result<Json<User>> {
    let id = path_id(&id, DomainError::UserNotFound)?;
    refuse_nulls(&[("username", &body.username), ("role", &body.role), ("active", &body.active)])?;
    let username = text(&body.username).map_err(|_| Error::invalid("Username inválido"))?;
    let password = text(&body.password).map_err(|_| Error::invalid("Senha inválida"))?.filter(|p| !p.is_empty());
    let active = boolean(&body.active).map_err(|_| Error::invalid("active deve ser true ou false"))?;
    let changes = UserChanges { username, password, role: role(&body.role)?, active, stores: stores(&body.store_ids)? };
    let user = app::users::update(&state.app, &admin.actor, id, changes).await.map_err(|e| match e {
        app::Error::Refused(DomainError::UsernameRequired | DomainError::UsernameTooLong) => {
            Error::invalid("Username não pode ser vazio e deve ter até 80 caracteres")
        }
        other => other.into(),
    })?;
    Ok(Json(user.into()))
}

#[utoipa::path(delete, path = "/api/users/{id}", tag = "usuarios", operation_id = "delete_user", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = Message),
        (status = 400, description = "Deletar a si mesmo ou o último administrador ativo", body = super::ErrorBody),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
        (status = 404, description = "Usuário não encontrado", body = super::ErrorBody),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<String>,
) -> Result<Json<Message>> {
    let id = path_id(&id, DomainError::UserNotFound)?;
    app::users::delete(&state.app, &admin.actor, id).await?;
    Ok(Json(Message::new("Usuário deletado com sucesso")))
}
