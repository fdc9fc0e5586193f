//! Users: creating, changing and removing them, and the first administrator.

use serde_json::json;

use super::{Context, Result, audit, passwords, stores};
use crate::db;
use crate::domain::DomainError;
use crate::domain::audit::{Action, NewEntry, changes as changes_between};
use crate::domain::time::Timestamp;
use crate::domain::users::{
    Actor, NewUser, Role, User, UserChanges, apply_changes, check_deletion, check_new_password, check_username,
};

pub async fn list(ctx: &Context, actor: &Actor) -> Result<Vec<User>> {
    actor.require_admin()?;
    Ok(db::users::list(&ctx.db.read).await?)
}

/// Creates a user (an administrator too, from the command line or by another administrator).
pub async fn create(ctx: &Context, actor: &Actor, new: NewUser) -> Result<User> {
    actor.require_admin()?;
    let username = check_username(&new.username)?;
    check_new_password(&new.password)?;
    let hash = passwords::hash(new.password, ctx.bcrypt_cost).await?;
    let mut tx = ctx.db.begin().await?;
    let stores = stores::checked_stores(&mut tx, new.role == Role::Funcionario, new.stores).await?;
    let id = db::users::insert(&mut *tx, &username, &hash, new.role, Timestamp::now()).await?;
    db::stores::set_stores_of(&mut tx, id, &stores.unwrap_or_default()).await?;
    let user = db::users::get(&mut *tx, id).await?.ok_or(DomainError::UserNotFound)?;
    let entry = NewEntry::new(&audit::who(actor), Action::UserCreated, Some(("usuario", id)), audit::user_view(&user));
    audit::commit(ctx, tx, &[entry]).await?;
    Ok(user)
}

/// Applies `changes` to user `id`. The last active administrator can never be demoted or
/// deactivated, nor can the actor deactivate themselves; a new password or a deactivation ends
/// the user's sessions.
pub async fn update(ctx: &Context, actor: &Actor, id: i64, changes: UserChanges) -> Result<User> {
    actor.require_admin()?;
    if changes.is_empty() {
        return Err(DomainError::NothingToChange.into());
    }
    if let Some(username) = &changes.username {
        check_username(username)?;
    }
    let new_password_hash = match &changes.password {
        Some(password) => {
            check_new_password(password)?;
            Some(passwords::hash(password.clone(), ctx.bcrypt_cost).await?)
        }
        None => None,
    };
    let mut tx = ctx.db.begin().await?;
    // Lock the administrators first: what is read below cannot change before the commit.
    let other_admins = db::users::other_active_admins(&mut tx, &ctx.db, id).await?;
    let current = db::users::get(&mut *tx, id).await?.ok_or(DomainError::UserNotFound)?;
    let (username, role, active) = apply_changes(actor, &current, &changes, other_admins)?;
    let stores = match changes.stores {
        Some(stores) => stores::checked_stores(&mut tx, role == Role::Funcionario, Some(stores)).await?,
        // An administrator made an employee, who had no store: the shop's first, as on creation.
        None if role == Role::Funcionario && current.stores.is_empty() => {
            stores::checked_stores(&mut tx, true, None).await?
        }
        None => None,
    };
    let fields = db::users::UserFields { username, role, active, new_password_hash };
    let password_changed = fields.new_password_hash.is_some();
    db::users::update(&mut tx, id, &fields, current.active, Timestamp::now()).await?;
    if let Some(stores) = stores {
        db::stores::set_stores_of(&mut tx, id, &stores).await?;
    }
    let user = db::users::get(&mut *tx, id).await?.ok_or(DomainError::UserNotFound)?;
    let mut changed = changes_between(&audit::user_view(&current), &audit::user_view(&user));
    if password_changed {
        changed["senha"] = json!("alterada");
    }
    let entry = NewEntry::new(&audit::who(actor), Action::UserChanged, Some(("usuario", id)), changed);
    audit::commit(ctx, tx, &[entry]).await?;
    Ok(user)
}

/// Deletes user `id`. Their sales stay, with their name.
pub async fn delete(ctx: &Context, actor: &Actor, id: i64) -> Result<()> {
    actor.require_admin()?;
    let mut tx = ctx.db.begin().await?;
    let other_admins = db::users::other_active_admins(&mut tx, &ctx.db, id).await?;
    let current = db::users::get(&mut *tx, id).await?.ok_or(DomainError::UserNotFound)?;
    check_deletion(actor, &current, other_admins)?;
    db::users::delete(&mut tx, id, Timestamp::now()).await?;
    let entry =
        NewEntry::new(&audit::who(actor), Action::UserDeleted, Some(("usuario", id)), audit::user_view(&current));
    audit::commit(ctx, tx, &[entry]).await?;
    Ok(())
}

/// Sets a user's password (the operator's `reset-password`); their open sessions end.
pub async fn reset_password(ctx: &Context, actor: &Actor, username: &str, password: String) -> Result<User> {
    actor.require_admin()?;
    check_new_password(&password)?;
    let user =
        db::users::credentials_by_username(&ctx.db.read, username.trim()).await?.ok_or(DomainError::UserNotFound)?;
    let hash = passwords::hash(password, ctx.bcrypt_cost).await?;
    let mut tx = ctx.db.begin().await?;
    db::users::set_password(&mut *tx, user.id, &hash).await?.ok_or(DomainError::UserNotFound)?;
    let entry = NewEntry::new(
        &audit::who(actor),
        Action::UserChanged,
        Some(("usuario", user.id)),
        json!({"senha": "redefinida"}),
    );
    audit::commit(ctx, tx, &[entry]).await?;
    Ok(db::users::get(&ctx.db.read, user.id).await?.ok_or(DomainError::UserNotFound)?)
}

/// Creates the `admin` user with `password` when the database has no users at all. Returns
/// true if it did (another instance starting at the same moment may have done it first).
pub async fn ensure_first_admin(ctx: &Context, password: String) -> Result<bool> {
    let hash = passwords::hash(password, ctx.bcrypt_cost).await?;
    Ok(db::users::create_first_admin(&ctx.db, &hash, Timestamp::now()).await?)
}

/// The active administrators whose password is a known default (production refuses them).
pub async fn admins_with_default_passwords(ctx: &Context) -> Result<Vec<String>> {
    let mut found = Vec::new();
    for admin in db::users::active_admins(&ctx.db.read).await? {
        if passwords::known_default(&admin.password_hash).await.is_some() {
            found.push(admin.username);
        }
    }
    Ok(found)
}
