use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};
use utoipa::ToSchema;

use super::text::{self, TextError};
use super::time::Timestamp;
use crate::db::{self, Db};
use crate::error::{Error, Result, is_unique_violation};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Funcionario,
}

impl Role {
    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "admin" => Some(Role::Admin),
            "funcionario" => Some(Role::Funcionario),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Funcionario => "funcionario",
        }
    }
}

/// A user as clients see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub role: Role,
    /// False when an administrator deactivated the account: it cannot log in.
    pub active: bool,
    pub created_at: Timestamp,
}

impl FromRow<'_, AnyRow> for User {
    fn from_row(row: &AnyRow) -> sqlx::Result<User> {
        Ok(User {
            id: row.try_get("id")?,
            username: row.try_get("username")?,
            role: role_column(row)?,
            active: row.try_get::<Option<i64>, _>("deactivated_at")?.is_none(),
            created_at: Timestamp::from_micros(row.try_get("created_at")?),
        })
    }
}

pub(crate) fn role_column(row: &AnyRow) -> sqlx::Result<Role> {
    let text: String = row.try_get("role")?;
    Role::parse(&text).ok_or_else(|| sqlx::Error::Decode(format!("papel desconhecido no banco: {text:?}").into()))
}

/// The longest username accepted.
pub const MAX_USERNAME_CHARS: usize = 80;
/// The shortest password accepted for new passwords (imported ones are kept as they are).
pub const MIN_PASSWORD_CHARS: usize = 6;
/// bcrypt only reads the first 72 bytes; longer passwords are refused rather than truncated.
pub const MAX_PASSWORD_BYTES: usize = 72;

pub const PASSWORD_TOO_SHORT: &str = "Senha deve ter pelo menos 6 caracteres";
pub const PASSWORD_TOO_LONG: &str = "Senha deve ter no máximo 72 bytes";

/// Checks a new password against the rules; returns the message to show when it fails.
pub fn check_new_password(password: &str) -> Result<(), &'static str> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        Err(PASSWORD_TOO_SHORT)
    } else if password.len() > MAX_PASSWORD_BYTES {
        Err(PASSWORD_TOO_LONG)
    } else {
        Ok(())
    }
}

/// Checks a username; returns it as stored (NFC, trimmed: see [`text::username`]), or the
/// message to show.
pub fn check_username(username: &str) -> Result<String, &'static str> {
    match text::username(username) {
        Err(TextError::Empty) => Err("Username e password são obrigatórios"),
        Err(TextError::InvalidCharacters) => Err("Username contém caracteres inválidos"),
        Ok(name) if name.chars().count() > MAX_USERNAME_CHARS => Err("Username deve ter no máximo 80 caracteres"),
        Ok(name) => Ok(name),
    }
}

pub const LAST_ADMIN: &str = "Não é possível remover o último administrador ativo";

/// A change to a user, as parsed from a request; None leaves a field as it is.
#[derive(Debug, Default)]
pub struct UserChanges {
    pub username: Option<String>,
    pub password: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
}

/// Applies `changes` to user `id` on behalf of administrator `acting_id`. The last active
/// administrator can never be demoted or deactivated.
pub async fn update(db: &Db, bcrypt_cost: u32, acting_id: i64, id: i64, changes: UserChanges) -> Result<User> {
    let new_password_hash = match changes.password {
        Some(password) => Some(super::passwords::hash(password, bcrypt_cost).await?),
        None => None,
    };
    let mut tx = db.begin().await?;
    // Lock the administrators first: what is read below cannot change before the commit.
    let other_admins = db::users::other_active_admins(&mut tx, db, id).await?;
    let current = db::users::get(&mut *tx, id).await?.ok_or_else(|| Error::not_found(USER_NOT_FOUND))?;
    let fields = db::users::UserFields {
        username: changes.username.unwrap_or(current.username.clone()),
        role: changes.role.unwrap_or(current.role),
        active: changes.active.unwrap_or(current.active),
        new_password_hash,
    };
    if id == acting_id && current.active && !fields.active {
        return Err(Error::invalid("Não é possível desativar o próprio usuário"));
    }
    let loses_admin = current.role == Role::Admin && current.active && (fields.role != Role::Admin || !fields.active);
    if loses_admin && other_admins == 0 {
        return Err(Error::invalid(LAST_ADMIN));
    }
    match db::users::update(&mut tx, id, &fields, current.active, Timestamp::now()).await {
        Err(e) if is_unique_violation(&e) => return Err(Error::invalid("Username já existe")),
        other => other?,
    }
    let user = db::users::get(&mut *tx, id).await?.ok_or_else(|| Error::not_found(USER_NOT_FOUND))?;
    tx.commit().await?;
    Ok(user)
}

/// Deletes user `id` on behalf of administrator `acting_id`. Their sales stay, with their name.
pub async fn delete(db: &Db, acting_id: i64, id: i64) -> Result<()> {
    let mut tx = db.begin().await?;
    let other_admins = db::users::other_active_admins(&mut tx, db, id).await?;
    let current = db::users::get(&mut *tx, id).await?.ok_or_else(|| Error::not_found(USER_NOT_FOUND))?;
    if id == acting_id {
        return Err(Error::invalid("Não é possível deletar o próprio usuário"));
    }
    if current.role == Role::Admin && current.active && other_admins == 0 {
        return Err(Error::invalid(LAST_ADMIN));
    }
    db::users::delete(&mut tx, id, Timestamp::now()).await?;
    tx.commit().await?;
    Ok(())
}

pub const USER_NOT_FOUND: &str = "Usuário não encontrado";
