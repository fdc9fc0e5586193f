//! Users, their roles, who acts, and the rules of changing users.

use super::error::DomainError;
use super::text::{self, TextError};
use super::time::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Admin,
    Funcionario,
}

impl Role {
    pub const ALL: [Role; 2] = [Role::Admin, Role::Funcionario];

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == text)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Funcionario => "funcionario",
        }
    }
}

/// A user of the system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub role: Role,
    /// False when an administrator deactivated the account: it cannot log in.
    pub active: bool,
    pub created_at: Timestamp,
    /// The ids of the stores the user works in (an administrator works in every store).
    pub stores: Vec<i64>,
}

/// Who does something: a signed-in user, or the operator at the server's command line (who can
/// do what an administrator can, and is no seller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    User { id: i64, username: String, role: Role },
    Operator,
}

impl Actor {
    pub fn is_admin(&self) -> bool {
        match self {
            Actor::User { role, .. } => *role == Role::Admin,
            Actor::Operator => true,
        }
    }

    pub fn require_admin(&self) -> Result<(), DomainError> {
        if self.is_admin() { Ok(()) } else { Err(DomainError::AdminOnly) }
    }

    /// The user's id; None for the operator.
    pub fn user_id(&self) -> Option<i64> {
        match self {
            Actor::User { id, .. } => Some(*id),
            Actor::Operator => None,
        }
    }
}

/// The longest username accepted.
pub const MAX_USERNAME_CHARS: usize = 80;
/// The shortest password accepted for new passwords (imported ones are kept as they are).
pub const MIN_PASSWORD_CHARS: usize = 6;
/// bcrypt only reads the first 72 bytes; longer passwords are refused rather than truncated.
pub const MAX_PASSWORD_BYTES: usize = 72;

/// Checks a new password against the rules.
pub fn check_new_password(password: &str) -> Result<(), DomainError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        Err(DomainError::PasswordTooShort)
    } else if password.len() > MAX_PASSWORD_BYTES {
        Err(DomainError::PasswordTooLong)
    } else {
        Ok(())
    }
}

/// Checks a username; returns it as stored (NFC, trimmed: see [`text::username`]).
pub fn check_username(username: &str) -> Result<String, DomainError> {
    match text::username(username) {
        Err(TextError::Empty) => Err(DomainError::UsernameRequired),
        Err(TextError::InvalidCharacters) => Err(DomainError::UsernameInvalid),
        Ok(name) if name.chars().count() > MAX_USERNAME_CHARS => Err(DomainError::UsernameTooLong),
        Ok(name) => Ok(name),
    }
}

/// A new user, as parsed.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub password: String,
    pub role: Role,
    /// The stores the user works in; None: the shop's only store (store 1 while it has one).
    pub stores: Option<Vec<i64>>,
}

/// A change to a user, as parsed; None leaves a field as it is.
#[derive(Debug, Default, Clone)]
pub struct UserChanges {
    pub username: Option<String>,
    pub password: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    pub stores: Option<Vec<i64>>,
}

impl UserChanges {
    pub fn is_empty(&self) -> bool {
        self.username.is_none()
            && self.password.is_none()
            && self.role.is_none()
            && self.active.is_none()
            && self.stores.is_none()
    }
}

/// What a user becomes after `changes`, if the rules allow it: nobody deactivates themselves,
/// and the last active administrator is never demoted or deactivated. `other_admins` counts
/// the active administrators other than `current`.
pub fn apply_changes(
    actor: &Actor,
    current: &User,
    changes: &UserChanges,
    other_admins: usize,
) -> Result<(String, Role, bool), DomainError> {
    let username = changes.username.clone().unwrap_or_else(|| current.username.clone());
    let role = changes.role.unwrap_or(current.role);
    let active = changes.active.unwrap_or(current.active);
    if actor.user_id() == Some(current.id) && current.active && !active {
        return Err(DomainError::CannotDeactivateSelf);
    }
    let loses_admin = current.role == Role::Admin && current.active && (role != Role::Admin || !active);
    if loses_admin && other_admins == 0 {
        return Err(DomainError::LastAdmin);
    }
    Ok((username, role, active))
}

/// Whether `actor` may delete `current` (`other_admins` as in [`apply_changes`]).
pub fn check_deletion(actor: &Actor, current: &User, other_admins: usize) -> Result<(), DomainError> {
    if actor.user_id() == Some(current.id) {
        return Err(DomainError::CannotDeleteSelf);
    }
    if current.role == Role::Admin && current.active && other_admins == 0 {
        return Err(DomainError::LastAdmin);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: i64, role: Role) -> User {
        User {
            id,
            username: format!("u{id}"),
            role,
            active: true,
            created_at: Timestamp::from_micros(0),
            stores: vec![1],
        }
    }

    fn admin(id: i64) -> Actor {
        Actor::User { id, username: format!("u{id}"), role: Role::Admin }
    }

    #[test]
    fn the_last_active_admin_is_never_demoted_deactivated_or_deleted() {
        let only = user(1, Role::Admin);
        let demote = UserChanges { role: Some(Role::Funcionario), ..UserChanges::default() };
        let deactivate = UserChanges { active: Some(false), ..UserChanges::default() };
        assert_eq!(apply_changes(&Actor::Operator, &only, &demote, 0), Err(DomainError::LastAdmin));
        assert_eq!(apply_changes(&Actor::Operator, &only, &deactivate, 0), Err(DomainError::LastAdmin));
        assert_eq!(check_deletion(&admin(2), &only, 0), Err(DomainError::LastAdmin));
        assert!(apply_changes(&Actor::Operator, &only, &demote, 1).is_ok());
    }

    #[test]
    fn nobody_deactivates_or_deletes_themselves() {
        let me = user(1, Role::Admin);
        let deactivate = UserChanges { active: Some(false), ..UserChanges::default() };
        assert_eq!(apply_changes(&admin(1), &me, &deactivate, 3), Err(DomainError::CannotDeactivateSelf));
        assert_eq!(check_deletion(&admin(1), &me, 3), Err(DomainError::CannotDeleteSelf));
    }

    #[test]
    fn unchanged_fields_keep_their_values() {
        let current = user(5, Role::Funcionario);
        let rename = UserChanges { username: Some("novo".into()), ..UserChanges::default() };
        assert_eq!(apply_changes(&admin(1), &current, &rename, 1), Ok(("novo".into(), Role::Funcionario, true)));
    }

    #[test]
    fn passwords_and_usernames_follow_the_rules() {
        assert_eq!(check_new_password("12345"), Err(DomainError::PasswordTooShort));
        assert_eq!(check_new_password(&"x".repeat(73)), Err(DomainError::PasswordTooLong));
        assert_eq!(check_new_password("123456"), Ok(()));
        assert_eq!(check_username("  ana "), Ok("ana".into()));
        assert_eq!(check_username("   "), Err(DomainError::UsernameRequired));
        assert_eq!(check_username(&"a".repeat(81)), Err(DomainError::UsernameTooLong));
        assert_eq!(check_username("a\u{1b}b"), Err(DomainError::UsernameInvalid));
    }
}
