use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;

use super::auth::AdminUser;
use super::input::{JsonBody, Raw, boolean, path_id, text};
use super::{AppState, Message};
use crate::db;
use crate::domain::passwords;
use crate::domain::time::Timestamp;
use crate::domain::users::{self, Role, USER_NOT_FOUND, User, UserChanges, check_new_password, check_username};
use crate::error::{Error, Result, is_unique_violation};

const INVALID_ROLE: &str = "Role deve ser admin ou funcionario";

#[utoipa::path(get, path = "/api/users", tag = "usuarios", security(("bearer" = [])),
    responses((status = 200, body = Vec<User>), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody)))]
pub async fn list(State(state): State<AppState>, _: AdminUser) -> Result<Json<Vec<User>>> {
    Ok(Json(db::users::list(&state.db.read).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct UserBody {
    #[schema(value_type = Option<String>)]
    username: Option<Raw>,
    /// On update, empty or absent keeps the current password.
    #[schema(value_type = Option<String>)]
    password: Option<Raw>,
    /// `admin` or `funcionario` (default on creation).
    #[schema(value_type = Option<String>)]
    role: Option<Raw>,
    /// Update only: false deactivates the account.
    #[schema(value_type = Option<bool>)]
    active: Option<Raw>,
}

fn role(body: &UserBody) -> Result<Option<Role>> {
    match text(&body.role).map_err(|_| Error::invalid(INVALID_ROLE))? {
        None => Ok(None),
        Some(role) => Role::parse(role.trim()).map(Some).ok_or_else(|| Error::invalid(INVALID_ROLE)),
    }
}

#[utoipa::path(post, path = "/api/users", tag = "usuarios", security(("bearer" = [])), request_body = UserBody,
    responses((status = 201, body = User), (status = 400, body = super::ErrorBody), (status = 403, body = super::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    _: AdminUser,
    JsonBody(body): JsonBody<UserBody>,
) -> Result<(StatusCode, Json<User>)> {
    let required = || Error::invalid("Username e password são obrigatórios");
    let username = text(&body.username).map_err(|_| required())?.ok_or_else(required)?;
    let password = text(&body.password).map_err(|_| required())?.filter(|p| !p.is_empty()).ok_or_else(required)?;
    let username = check_username(&username).map_err(Error::invalid)?;
    let role = role(&body)?.unwrap_or(Role::Funcionario);
    check_new_password(&password).map_err(Error::invalid)?;
    let hash = passwords::hash(password, state.config.bcrypt_cost).await?;
    let id = match db::users::insert(&state.db.write, &username, &hash, role, Timestamp::now()).await {
        Err(e) if is_unique_violation(&e) => return Err(Error::invalid("Usuário já existe")),
        other => other?,
    };
    let user =
        db::users::get(&state.db.write, id).await?.ok_or_else(|| anyhow::anyhow!("usuário recém-criado sumiu"))?;
    Ok((StatusCode::CREATED, Json(user)))
}

#[utoipa::path(put, path = "/api/users/{id}", tag = "usuarios", security(("bearer" = [])), request_body = UserBody,
    params(("id" = i64, Path)),
    responses((status = 200, body = User), (status = 400, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<UserBody>,
) -> Result<Json<User>> {
    let id = path_id(&id, USER_NOT_FOUND)?;
    let username = match text(&body.username).map_err(|_| Error::invalid("Username inválido"))? {
        None => None,
        Some(u) => Some(
            check_username(&u)
                .map_err(|_| Error::invalid("Username não pode ser vazio e deve ter até 80 caracteres"))?,
        ),
    };
    let password = text(&body.password).map_err(|_| Error::invalid("Senha inválida"))?.filter(|p| !p.is_empty());
    if let Some(password) = &password {
        check_new_password(password).map_err(Error::invalid)?;
    }
    let active = boolean(&body.active).map_err(|_| Error::invalid("active deve ser true ou false"))?;
    let changes = UserChanges { username, password, role: role(&body)?, active };
    Ok(Json(users::update(&state.db, state.config.bcrypt_cost, admin.id, id, changes).await?))
}

#[utoipa::path(delete, path = "/api/users/{id}", tag = "usuarios", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Message), (status = 400, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<String>,
) -> Result<Json<Message>> {
    let id = path_id(&id, USER_NOT_FOUND)?;
    users::delete(&state.db, admin.id, id).await?;
    Ok(Json(Message::new("Usuário deletado com sucesso")))
}
