//! Parsed value types and the use cases of the system. No HTTP in here; SQL lives in `db`.

pub mod catalog;
pub mod money;
pub mod number;
pub mod page;
pub mod passwords;
pub mod reports;
pub mod sales;
pub mod text;
pub mod time;
pub mod users;
pub mod werkzeug;
