//! The use cases: one function per thing a user (or the operator at the command line) does —
//! sell, create a product, count the stock, create a user, log in — and per question the edges
//! ask. A command takes the acting [`Actor`](crate::domain::users::Actor) and a parsed command,
//! checks the rules, and runs in one transaction: all of it is written or nothing is. The edges
//! (`http`, `cli`) only parse, call one function here and shape the answer; the SQL is in `db`,
//! the rules in `domain`.

pub mod audit;
pub mod auth;
pub mod cash;
pub mod catalog;
pub mod customers;
pub mod inventory;
pub mod passwords;
pub mod photos;
pub mod reports;
pub mod sales;
pub mod settings;
pub mod stores;
pub mod transfers;
pub mod users;
mod werkzeug;

use std::sync::Arc;

use crate::db::{self, Db};
use crate::domain::DomainError;
use crate::domain::time::BusinessCalendar;

/// What the use cases run with.
#[derive(Clone)]
pub struct Context {
    pub db: Db,
    pub calendar: BusinessCalendar,
    pub bcrypt_cost: u32,
    /// Checked against when a login names an unknown user, so that it takes as long as a real one.
    pub decoy_hash: Arc<str>,
    pub summary_cache: Arc<db::reports::SummaryCache>,
    /// Where the images of product photos are kept.
    pub photos: crate::storage::Photos,
}

/// Why a use case did not do what it was asked.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A rule of the shop said no.
    #[error(transparent)]
    Refused(#[from] DomainError),
    /// The database cannot be reached right now: retry.
    #[error("banco de dados indisponível")]
    Unavailable(#[source] anyhow::Error),
    /// A bug or an unexpected failure.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<db::Error> for Error {
    fn from(error: db::Error) -> Error {
        match error {
            db::Error::Refused(rule) => Error::Refused(rule),
            db::Error::Unavailable(e) => Error::Unavailable(e.into()),
            db::Error::Failed(e) => Error::Internal(e.into()),
            overflow @ db::Error::Overflow(_) => Error::Internal(overflow.into()),
        }
    }
}

impl From<sqlx::Error> for Error {
    fn from(error: sqlx::Error) -> Error {
        db::Error::from(error).into()
    }
}
