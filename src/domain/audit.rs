//! The audit log: what was done, by whom, when, from where. Entries are only ever appended,
//! and each carries the hash of the one before it, so that a changed, removed or reordered
//! entry breaks the chain at that point ([`verify`]). The hash covers every field of the entry
//! with its length, so no two different entries hash the same way by moving text between
//! fields.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::time::Timestamp;

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What was done. `area.what`: a filter by area (`produto`) finds all of its actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    LoginSucceeded,
    LoginFailed,
    UserCreated,
    UserChanged,
    UserDeleted,
    CategoryCreated,
    CategoryRenamed,
    CategoryDeleted,
    ProductCreated,
    ProductChanged,
    ProductDeleted,
    ProductPhotoChanged,
    CatalogImported,
    StockMoved,
    CustomerCreated,
    CustomerChanged,
    SaleMade,
    SaleCancelled,
    SaleReturned,
    SaleReviewed,
    SettingsChanged,
    CashOpened,
    CashMovement,
    CashClosed,
    StoreCreated,
    StoreChanged,
    TerminalCreated,
    TerminalChanged,
    StorePriceChanged,
    TransferSent,
    TransferReceived,
    TransferCancelled,
}

impl Action {
    pub const ALL: &[Action] = &[
        Action::LoginSucceeded,
        Action::LoginFailed,
        Action::UserCreated,
        Action::UserChanged,
        Action::UserDeleted,
        Action::CategoryCreated,
        Action::CategoryRenamed,
        Action::CategoryDeleted,
        Action::ProductCreated,
        Action::ProductChanged,
        Action::ProductDeleted,
        Action::ProductPhotoChanged,
        Action::CatalogImported,
        Action::StockMoved,
        Action::CustomerCreated,
        Action::CustomerChanged,
        Action::SaleMade,
        Action::SaleCancelled,
        Action::SaleReturned,
        Action::SaleReviewed,
        Action::SettingsChanged,
        Action::CashOpened,
        Action::CashMovement,
        Action::CashClosed,
        Action::StoreCreated,
        Action::StoreChanged,
        Action::TerminalCreated,
        Action::TerminalChanged,
        Action::StorePriceChanged,
        Action::TransferSent,
        Action::TransferReceived,
        Action::TransferCancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::LoginSucceeded => "login.sucesso",
            Action::LoginFailed => "login.falha",
            Action::UserCreated => "usuario.criado",
            Action::UserChanged => "usuario.alterado",
            Action::UserDeleted => "usuario.excluido",
            Action::CategoryCreated => "categoria.criada",
            Action::CategoryRenamed => "categoria.alterada",
            Action::CategoryDeleted => "categoria.excluida",
            Action::ProductCreated => "produto.criado",
            Action::ProductChanged => "produto.alterado",
            Action::ProductDeleted => "produto.excluido",
            Action::ProductPhotoChanged => "produto.foto",
            Action::CatalogImported => "produto.importacao",
            Action::StockMoved => "estoque.movimento",
            Action::CustomerCreated => "cliente.criado",
            Action::CustomerChanged => "cliente.alterado",
            Action::SaleMade => "venda.criada",
            Action::SaleCancelled => "venda.cancelada",
            Action::SaleReturned => "venda.devolucao",
            Action::SaleReviewed => "venda.revisada",
            Action::SettingsChanged => "configuracoes.alteradas",
            Action::CashOpened => "caixa.aberto",
            Action::CashMovement => "caixa.movimento",
            Action::CashClosed => "caixa.fechado",
            Action::StoreCreated => "loja.criada",
            Action::StoreChanged => "loja.alterada",
            Action::TerminalCreated => "terminal.criado",
            Action::TerminalChanged => "terminal.alterado",
            Action::StorePriceChanged => "loja.preco",
            Action::TransferSent => "transferencia.enviada",
            Action::TransferReceived => "transferencia.recebida",
            Action::TransferCancelled => "transferencia.cancelada",
        }
    }

    /// A filter as typed: an action (`produto.alterado`) or an area (`produto`). None when it
    /// names neither.
    pub fn filter(text: &str) -> Option<ActionFilter> {
        if let Some(action) = Action::ALL.iter().find(|a| a.as_str() == text) {
            return Some(ActionFilter::Exactly(action.as_str()));
        }
        Action::ALL
            .iter()
            .any(|a| a.as_str().split('.').next() == Some(text))
            .then(|| ActionFilter::Area(format!("{text}.")))
    }
}

/// Which actions a listing shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionFilter {
    Exactly(&'static str),
    /// Every action starting with this (`produto.`).
    Area(String),
}

/// Which entries a listing shows: the half-open period `[from, until)`, who and what.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub user_id: Option<i64>,
    /// Only what happened in this store.
    pub store_id: Option<i64>,
    pub action: Option<ActionFilter>,
    pub from: Option<Timestamp>,
    pub until: Option<Timestamp>,
}

/// Who did it: the signed-in user (their id and name then), the operator at the command line
/// (neither), or the name typed at a failed login (no id).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Who {
    pub user_id: Option<i64>,
    pub username: Option<String>,
    /// The client's address, where the request came from (logins).
    pub client: Option<String>,
}

/// An entry to append: the log gives it its id, time and hashes.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEntry {
    pub who: Who,
    pub action: Action,
    /// The kind and id of what it was done to (`produto`, 12).
    pub entity: Option<(&'static str, i64)>,
    /// A JSON object: what changed, the amounts, the reason.
    pub details: Value,
    /// The store it happened in (None: the shop as a whole).
    pub store_id: Option<i64>,
}

impl NewEntry {
    pub fn new(who: &Who, action: Action, entity: Option<(&'static str, i64)>, details: Value) -> NewEntry {
        NewEntry { who: who.clone(), action, entity, details, store_id: None }
    }

    /// The entry of something that happened in store `id`.
    pub fn in_store(self, id: i64) -> NewEntry {
        NewEntry { store_id: Some(id), ..self }
    }

    /// The entry as the log stores it, after `prev` (id and hash of the last entry).
    pub fn sealed(&self, prev: (i64, &str), at: Timestamp) -> Entry {
        let mut entry = Entry {
            id: prev.0 + 1,
            created_at: at,
            user_id: self.who.user_id,
            username: self.who.username.clone(),
            action: self.action.as_str().to_string(),
            entity: self.entity.map(|(kind, _)| kind.to_string()),
            entity_id: self.entity.map(|(_, id)| id),
            client: self.who.client.clone(),
            details: self.details.to_string(),
            prev_hash: prev.1.to_string(),
            hash: String::new(),
            store_id: self.store_id,
        };
        entry.hash = entry.computed_hash();
        entry
    }
}

/// An entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    pub created_at: Timestamp,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub action: String,
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub client: Option<String>,
    /// JSON, as stored.
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
    pub store_id: Option<i64>,
}

impl Entry {
    /// SHA-256, in hex, of `prev_hash` and every field, each as `length:value` (`~` for none);
    /// the store last, and only when there is one (the entries written before stores keep the
    /// hash they had).
    pub fn computed_hash(&self) -> String {
        let mut hasher = Sha256::new();
        let mut field = |value: Option<&str>| match value {
            Some(text) => hasher.update(format!("{}:{text};", text.len())),
            None => hasher.update("~;"),
        };
        field(Some(&self.prev_hash));
        field(Some(&self.id.to_string()));
        field(Some(&self.created_at.micros().to_string()));
        field(self.user_id.map(|id| id.to_string()).as_deref());
        field(self.username.as_deref());
        field(Some(&self.action));
        field(self.entity.as_deref());
        field(self.entity_id.map(|id| id.to_string()).as_deref());
        field(self.client.as_deref());
        field(Some(&self.details));
        if let Some(store) = self.store_id {
            field(Some(&store.to_string()));
        }
        hex::encode(hasher.finalize())
    }
}

/// Where the chain breaks, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Broken {
    #[error("a entrada {id} foi alterada: seu conteúdo não confere com o hash gravado")]
    Changed { id: i64 },
    #[error("antes da entrada {id} falta ou mudou uma entrada: o hash anterior gravado não é o da entrada {previous}")]
    Unlinked { id: i64, previous: i64 },
    #[error("a primeira entrada ({id}) não começa a cadeia: entradas anteriores foram apagadas")]
    NoGenesis { id: i64 },
}

/// Follows the chain entry by entry (in id order), keeping only the last one seen.
#[derive(Debug, Default)]
pub struct Chain {
    last: Option<(i64, String)>,
    pub entries: i64,
}

impl Chain {
    pub fn check(&mut self, entry: &Entry) -> Result<(), Broken> {
        match &self.last {
            None if entry.prev_hash != GENESIS => return Err(Broken::NoGenesis { id: entry.id }),
            Some((previous, hash)) if *hash != entry.prev_hash => {
                return Err(Broken::Unlinked { id: entry.id, previous: *previous });
            }
            _ => {}
        }
        if entry.computed_hash() != entry.hash {
            return Err(Broken::Changed { id: entry.id });
        }
        self.last = Some((entry.id, entry.hash.clone()));
        self.entries += 1;
        Ok(())
    }

    /// The last entry's id and hash: what a later check can be compared with.
    pub fn head(&self) -> Option<&(i64, String)> {
        self.last.as_ref()
    }
}

/// Checks a whole chain (see [`Chain::check`]).
pub fn verify<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> Result<Chain, Broken> {
    let mut chain = Chain::default();
    for entry in entries {
        chain.check(entry)?;
    }
    Ok(chain)
}

/// The fields whose values differ between two JSON objects, as
/// `{"field": {"antes": before, "depois": after}}`.
pub fn changes(before: &Value, after: &Value) -> Value {
    let empty = Map::new();
    let before = before.as_object().unwrap_or(&empty);
    let after = after.as_object().unwrap_or(&empty);
    let mut changed = Map::new();
    for (field, new) in after {
        let old = before.get(field).unwrap_or(&Value::Null);
        if old != new {
            changed.insert(field.clone(), serde_json::json!({"antes": old, "depois": new}));
        }
    }
    Value::Object(changed)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn chain(n: usize) -> Vec<Entry> {
        let who = Who { user_id: Some(1), username: Some("admin".into()), client: Some("10.0.0.1".into()) };
        let mut entries: Vec<Entry> = Vec::new();
        for i in 0..n {
            let new = NewEntry::new(&who, Action::ProductChanged, Some(("produto", i as i64)), json!({"i": i}));
            let prev = entries.last().map_or((0, GENESIS.to_string()), |e| (e.id, e.hash.clone()));
            entries.push(new.sealed((prev.0, &prev.1), Timestamp::from_micros(1_000 + i as i64)));
        }
        entries
    }

    #[test]
    fn an_untouched_chain_verifies() {
        let entries = chain(5);
        let verified = verify(&entries).unwrap();
        assert_eq!(verified.entries, 5);
        assert_eq!(verified.head(), Some(&(5, entries[4].hash.clone())));
        assert_eq!(entries[0].prev_hash, GENESIS);
        assert_eq!(entries[3].prev_hash, entries[2].hash);
    }

    #[test]
    fn a_changed_field_breaks_the_chain_at_that_entry() {
        let mut entries = chain(5);
        entries[2].details = json!({"i": 99}).to_string();
        assert_eq!(verify(&entries).unwrap_err(), Broken::Changed { id: 3 });
        let mut entries = chain(5);
        entries[1].username = Some("maria".into());
        assert_eq!(verify(&entries).unwrap_err(), Broken::Changed { id: 2 });
        let mut entries = chain(5);
        entries[4].created_at = Timestamp::from_micros(0);
        assert_eq!(verify(&entries).unwrap_err(), Broken::Changed { id: 5 });
    }

    #[test]
    fn a_removed_or_rehashed_entry_breaks_the_link_after_it() {
        let mut entries = chain(5);
        entries.remove(2);
        assert_eq!(verify(&entries).unwrap_err(), Broken::Unlinked { id: 4, previous: 2 });
        // Changing an entry and writing its hash again still leaves the next one pointing at
        // the old hash.
        let mut entries = chain(5);
        entries[1].details = json!({"i": 99}).to_string();
        entries[1].hash = entries[1].computed_hash();
        assert_eq!(verify(&entries).unwrap_err(), Broken::Unlinked { id: 3, previous: 2 });
        let entries = chain(5);
        assert_eq!(verify(&entries[1..]).unwrap_err(), Broken::NoGenesis { id: 2 });
    }

    #[test]
    fn moving_text_between_fields_changes_the_hash() {
        let mut a = chain(1).remove(0);
        let mut b = a.clone();
        a.username = Some("ab".into());
        a.client = Some("c".into());
        b.username = Some("a".into());
        b.client = Some("bc".into());
        assert_ne!(a.computed_hash(), b.computed_hash());
        b.username = None;
        b.client = Some(String::new());
        let mut c = b.clone();
        c.username = Some(String::new());
        assert_ne!(b.computed_hash(), c.computed_hash());
    }

    #[test]
    fn filters_name_an_action_or_an_area() {
        assert_eq!(Action::filter("produto.alterado"), Some(ActionFilter::Exactly("produto.alterado")));
        assert_eq!(Action::filter("produto"), Some(ActionFilter::Area("produto.".into())));
        assert_eq!(Action::filter("prod"), None);
        assert_eq!(Action::filter("produto.x"), None);
    }

    #[test]
    fn changes_list_only_what_differs() {
        let before = json!({"nome": "Café", "preco": "10.00", "estoque": 5});
        let after = json!({"nome": "Café", "preco": "12.00", "estoque": 5});
        assert_eq!(changes(&before, &after), json!({"preco": {"antes": "10.00", "depois": "12.00"}}));
        assert_eq!(changes(&before, &before), json!({}));
    }
}
