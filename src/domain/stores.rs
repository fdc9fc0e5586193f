//! The shop's stores, their terminals, and which store a sale or a cash session belongs to.
//!
//! A shop has one store from the start (id 1, named after the shop: [`FIRST_STORE_NAME`] when it
//! has no name yet); a second one is added when the business grows. Employees work in the stores
//! an administrator gave them; administrators work in all.

use super::DomainError;
use super::money::Money;
use super::time::Timestamp;

/// The name of store 1 when the shop's settings have no name.
pub const FIRST_STORE_NAME: &str = "Loja 1";
/// The longest name of a store or a terminal.
pub const MAX_NAME_CHARS: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Store {
    pub id: i64,
    pub name: String,
    pub created_at: Timestamp,
    /// False once an administrator closed it: its history stays, nothing new happens in it.
    pub active: bool,
}

/// A point of sale of a store (a PC with the PDV, a tablet): a cash session opened at it is its
/// store's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terminal {
    pub id: i64,
    pub store_id: i64,
    pub name: String,
    pub created_at: Timestamp,
    pub active: bool,
}

/// A price one store charges instead of the catalog's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorePrice {
    pub product_id: i64,
    pub product_name: String,
    pub price: Money,
    pub catalog_price: Money,
}

/// What an administrator changes in a store or a terminal (None: unchanged).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlaceChanges {
    pub name: Option<String>,
    pub active: Option<bool>,
}

/// The stores as a user may work in them: every store of the shop, and the ones the user was
/// given (all of them for an administrator).
#[derive(Debug, Clone)]
pub struct Workplace {
    pub stores: Vec<Store>,
    pub mine: Vec<i64>,
    pub admin: bool,
}

impl Workplace {
    fn check_allowed(&self, store: &Store) -> Result<(), DomainError> {
        if self.admin || self.mine.contains(&store.id) {
            Ok(())
        } else {
            Err(DomainError::NotYourStore { name: store.name.clone() })
        }
    }

    fn find(&self, id: i64) -> Result<&Store, DomainError> {
        self.stores.iter().find(|s| s.id == id).ok_or(DomainError::StoreNotFound)
    }

    /// A store the user may read (an open or a closed one).
    pub fn readable(&self, id: i64) -> Result<&Store, DomainError> {
        let store = self.find(id)?;
        self.check_allowed(store)?;
        Ok(store)
    }

    /// The store of a sale or of a cash session: the one the request names; else the store of the
    /// cash session it goes into (`session`: its id and store); else the only active store the
    /// user was given (for an administrator given none, the only active store). The user must work there, and it must be open (`late`: a sale made at a
    /// terminal without connection, which happened whatever was decided since, is kept in a store
    /// closed meanwhile).
    pub fn choose(&self, named: Option<i64>, session: Option<(i64, i64)>, late: bool) -> Result<&Store, DomainError> {
        let store = match (named, session) {
            (Some(id), Some((session_id, session_store))) if id != session_store => {
                self.find(id)?;
                let store = self.find(session_store)?.name.clone();
                return Err(DomainError::CashSessionOfOtherStore { session_id, store });
            }
            (Some(id), _) | (None, Some((_, id))) => self.find(id)?,
            (None, None) => {
                let open: Vec<&Store> = self.stores.iter().filter(|s| s.active).collect();
                let mine: Vec<&Store> = open.iter().copied().filter(|s| self.mine.contains(&s.id)).collect();
                // An administrator given no store works in all of them.
                let candidates = if mine.is_empty() && self.admin { open } else { mine };
                match candidates[..] {
                    [only] => only,
                    [] => return Err(DomainError::EmployeeWithoutStore),
                    _ => return Err(DomainError::StoreRequired),
                }
            }
        };
        self.check_allowed(store)?;
        if !store.active && !late {
            return Err(DomainError::StoreArchived { name: store.name.clone() });
        }
        Ok(store)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(id: i64, name: &str, active: bool) -> Store {
        Store { id, name: name.into(), created_at: Timestamp::from_micros(0), active }
    }

    fn shop(mine: &[i64], admin: bool) -> Workplace {
        Workplace {
            stores: vec![store(1, "Centro", true), store(2, "Bairro", true), store(3, "Antiga", false)],
            mine: mine.to_vec(),
            admin,
        }
    }

    #[test]
    fn the_only_store_needs_no_naming() {
        let one = Workplace { stores: vec![store(1, "Loja 1", true)], mine: vec![1], admin: false };
        assert_eq!(one.choose(None, None, false).map(|s| s.id), Ok(1));
        assert_eq!(shop(&[2], false).choose(None, None, false).map(|s| s.id), Ok(2));
        assert_eq!(
            shop(&[2, 3], false).choose(None, None, false).map(|s| s.id),
            Ok(2),
            "a closed store does not count"
        );
    }

    #[test]
    fn several_stores_need_a_name_or_a_cash_session() {
        assert_eq!(shop(&[1, 2], false).choose(None, None, false), Err(DomainError::StoreRequired));
        assert_eq!(shop(&[], true).choose(None, None, false), Err(DomainError::StoreRequired));
        assert_eq!(shop(&[1, 2], false).choose(None, Some((7, 2)), false).map(|s| s.id), Ok(2));
        assert_eq!(shop(&[2], true).choose(None, None, false).map(|s| s.id), Ok(2), "an administrator's own store");
        assert_eq!(shop(&[], false).choose(None, None, false), Err(DomainError::EmployeeWithoutStore));
    }

    #[test]
    fn an_employee_sells_only_in_their_stores_and_never_in_a_closed_one() {
        assert_eq!(
            shop(&[2], false).choose(Some(1), None, false),
            Err(DomainError::NotYourStore { name: "Centro".into() })
        );
        assert_eq!(
            shop(&[2], false).choose(None, Some((7, 1)), false),
            Err(DomainError::NotYourStore { name: "Centro".into() })
        );
        assert_eq!(shop(&[], true).choose(Some(1), None, false).map(|s| s.id), Ok(1));
        assert_eq!(
            shop(&[3], false).choose(Some(3), None, false),
            Err(DomainError::StoreArchived { name: "Antiga".into() })
        );
        assert_eq!(shop(&[3], false).choose(Some(3), None, true).map(|s| s.id), Ok(3), "a late sale is kept");
        assert_eq!(shop(&[], true).choose(Some(9), None, false), Err(DomainError::StoreNotFound));
    }

    #[test]
    fn the_store_named_must_be_the_cash_sessions() {
        assert_eq!(
            shop(&[1, 2], false).choose(Some(1), Some((7, 2)), false),
            Err(DomainError::CashSessionOfOtherStore { session_id: 7, store: "Bairro".into() })
        );
        assert_eq!(shop(&[1, 2], false).choose(Some(2), Some((7, 2)), false).map(|s| s.id), Ok(2));
    }
}
