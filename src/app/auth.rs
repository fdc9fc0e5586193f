//! Sessions: logging in, checking a session on every request, changing one's own password.

use serde_json::json;

use super::passwords::{self, Verified};
use super::{Context, Result, audit};
use crate::db;
use crate::db::users::Credentials;
use crate::domain::DomainError;
use crate::domain::audit::{Action, NewEntry, Who};
use crate::domain::text::clean_name;
use crate::domain::users::{Actor, User, check_new_password};

/// A user whose password was right, and the session version a token must carry.
#[derive(Debug)]
pub struct SignedIn {
    pub user: User,
    pub session_version: i64,
}

/// What a login does with a name that no user has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnknownNames {
    /// Checks the password against a decoy hash, so that the answer takes as long as for a real
    /// user and names cannot be probed by timing.
    CheckDecoy,
    /// Refuses at once (the caller, held back by the login limits, imitates the delay).
    Refuse,
}

/// Checks a username and password typed at `client`; a first-version password hash is
/// replaced by bcrypt. Names are stored in NFC and trimmed; one stored otherwise (by an import)
/// is found as typed. Every outcome is an entry of the audit log.
pub async fn login(
    ctx: &Context,
    username: &str,
    password: String,
    unknown: UnknownNames,
    client: &str,
) -> Result<SignedIn> {
    let attempt =
        |user_id: Option<i64>| Who { user_id, username: Some(username.to_string()), client: Some(client.into()) };
    let failed = |user_id: Option<i64>, reason: &str| {
        NewEntry::new(
            &attempt(user_id),
            Action::LoginFailed,
            user_id.map(|id| ("usuario", id)),
            json!({"motivo": reason}),
        )
    };
    let Some(user) = credentials_by_name(ctx, username).await? else {
        if unknown == UnknownNames::CheckDecoy {
            passwords::verify(password, ctx.decoy_hash.to_string()).await;
        }
        audit::record(ctx, failed(None, "usuário desconhecido")).await?;
        return Err(DomainError::UnknownUsername.into());
    };
    let verified = passwords::verify(password.clone(), user.password_hash.clone()).await;
    if verified == Verified::No {
        audit::record(ctx, failed(Some(user.id), "senha incorreta")).await?;
        return Err(DomainError::WrongPassword { user_id: user.id }.into());
    }
    if !user.active {
        audit::record(ctx, failed(Some(user.id), "usuário desativado")).await?;
        return Err(DomainError::UserDeactivated.into());
    }
    let mut tx = ctx.db.begin().await?;
    if verified == Verified::YesUpgrade {
        let new_hash = passwords::hash(password, ctx.bcrypt_cost).await?;
        db::users::upgrade_password_hash(&mut *tx, user.id, &user.password_hash, &new_hash).await?;
    }
    let profile = db::users::get(&mut *tx, user.id).await?.ok_or(DomainError::UnknownUsername)?;
    let who = Who { username: Some(profile.username.clone()), ..attempt(Some(user.id)) };
    let entry = NewEntry::new(&who, Action::LoginSucceeded, Some(("usuario", user.id)), json!({}));
    audit::commit(ctx, tx, &[entry]).await?;
    Ok(SignedIn { user: profile, session_version: user.session_version })
}

/// A live user's credentials by name: as typed, or in the form names are stored (NFC, trimmed).
pub(super) async fn credentials_by_name(ctx: &Context, username: &str) -> Result<Option<Credentials>> {
    let found = db::users::credentials_by_username(&ctx.db.read, username).await?;
    match clean_name(username).filter(|name| found.is_none() && name != username) {
        Some(stored_form) => Ok(db::users::credentials_by_username(&ctx.db.read, &stored_form).await?),
        None => Ok(found),
    }
}

/// The actor of a token for user `id` issued at `session_version`, and the catalog's version
/// (see `db::users::session`). A deleted or deactivated user, or a token issued before the
/// password changed, has no session.
pub async fn session(ctx: &Context, id: i64, session_version: i64) -> Result<(Actor, i64)> {
    match db::users::session(&ctx.db.read, id).await? {
        Some((user, catalog_version)) if user.active && user.session_version == session_version => {
            Ok((Actor::User { id: user.id, username: user.username, role: user.role }, catalog_version))
        }
        _ => Err(DomainError::SessionEnded.into()),
    }
}

pub async fn me(ctx: &Context, actor: &Actor) -> Result<User> {
    let id = actor.user_id().ok_or(DomainError::SessionEnded)?;
    Ok(db::users::get(&ctx.db.read, id).await?.ok_or(DomainError::SessionEnded)?)
}

/// Changes the actor's own password; their other sessions end. Returns the new session version.
pub async fn change_password(ctx: &Context, actor: &Actor, current: String, new: String) -> Result<i64> {
    check_new_password(&new)?;
    let id = actor.user_id().ok_or(DomainError::SessionEnded)?;
    let credentials = db::users::credentials_by_id(&ctx.db.read, id).await?.ok_or(DomainError::SessionEnded)?;
    if passwords::verify(current, credentials.password_hash).await == Verified::No {
        return Err(DomainError::WrongCurrentPassword.into());
    }
    let hash = passwords::hash(new, ctx.bcrypt_cost).await?;
    let mut tx = ctx.db.begin().await?;
    let version = db::users::set_password(&mut *tx, id, &hash).await?.ok_or(DomainError::SessionEnded)?;
    let entry =
        NewEntry::new(&audit::who(actor), Action::UserChanged, Some(("usuario", id)), json!({"senha": "alterada"}));
    audit::commit(ctx, tx, &[entry]).await?;
    Ok(version)
}
