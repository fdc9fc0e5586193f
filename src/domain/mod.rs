//! The shop's concepts and rules, pure: value types (money, quantities, times, text), the
//! entities as the rest of the system reads them, the rules of changing them and the typed
//! errors they refuse with. No SQL, no HTTP, no I/O: `db` maps rows to these types, `app` runs
//! the use cases, `http` shapes them for clients.

pub mod audit;
pub mod barcode;
pub mod cash;
pub mod catalog;
pub mod checkout;
pub mod customers;
pub mod documents;
pub mod error;
pub mod figures;
pub mod inventory;
pub mod money;
pub mod number;
pub mod page;
pub mod photo;
pub mod pix;
pub mod receipt;
pub mod reports;
pub mod sales;
pub mod settings;
pub mod stores;
pub mod text;
pub mod time;
pub mod users;

pub use error::DomainError;
