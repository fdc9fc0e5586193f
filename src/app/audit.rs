//! The audit log: every use case that changes something appends its entries as it commits
//! ([`commit`]), so an action and its record are written together or not at all; logins have
//! a transaction of their own ([`record`]). Administrators read the log; `sistema-vendas check`
//! walks its chain ([`verify`]).

use serde_json::{Value, json};

use super::{Context, Result};
use crate::db::{self, Db, Tx};
use crate::domain::audit::{AuditFilter, Broken, Chain, Entry, NewEntry, Who};
use crate::domain::catalog::{ProductDetails, Quantity};
use crate::domain::customers::CustomerDetails;
use crate::domain::inventory::{StockChange, StockCommand};
use crate::domain::page::PageRequest;
use crate::domain::settings::{Settings, StoreSettings};
use crate::domain::time::Timestamp;
use crate::domain::users::{Actor, User};

/// Who an actor is, for the log.
pub fn who(actor: &Actor) -> Who {
    match actor {
        Actor::User { id, username, .. } => Who { user_id: Some(*id), username: Some(username.clone()), client: None },
        Actor::Operator => Who::default(),
    }
}

/// Appends the entries and commits: the append is the transaction's last statement (see
/// `db::audit`).
pub async fn commit(ctx: &Context, mut tx: Tx, entries: &[NewEntry]) -> Result<()> {
    db::audit::append(&mut tx, ctx.db.backend, entries, Timestamp::now()).await?;
    tx.commit().await?;
    Ok(())
}

/// Appends one entry in a transaction of its own (a login, which changes nothing else).
pub async fn record(ctx: &Context, entry: NewEntry) -> Result<()> {
    commit(ctx, ctx.db.begin().await?, &[entry]).await
}

/// A page of the log, newest first, and how many entries match (administrators).
pub async fn list(ctx: &Context, actor: &Actor, filter: &AuditFilter, page: PageRequest) -> Result<(Vec<Entry>, i64)> {
    actor.require_admin()?;
    Ok(db::audit::list(&ctx.db.read, filter, page).await?)
}

/// Walks the whole chain, a part at a time: its length and head, or where it breaks (with
/// the entries that held before the break).
pub async fn verify(db: &Db) -> Result<Result<Chain, (Chain, Broken)>> {
    let mut chain = Chain::default();
    let mut last = 0;
    loop {
        let entries = db::audit::after(&db.read, last, 10_000).await?;
        let Some(end) = entries.last() else { return Ok(Ok(chain)) };
        last = end.id;
        for entry in &entries {
            if let Err(broken) = chain.check(entry) {
                return Ok(Err((chain, broken)));
            }
        }
    }
}

// What the entries say about each kind of thing, in the words of the shop.

pub fn user_view(user: &User) -> Value {
    json!({"usuario": user.username, "papel": user.role.as_str(), "ativo": user.active, "lojas": user.stores})
}

pub fn product_view(details: &ProductDetails) -> Value {
    json!({
        "nome": details.name,
        "codigo": details.code,
        "descricao": details.description,
        "preco": details.price.to_string(),
        "custo": details.cost.map(|c| c.to_string()),
        "categoria_id": details.category_id,
        "unidade": details.unit.as_str(),
        "estoque_minimo": Quantity::new(details.min_stock, details.unit).to_string(),
        "ativo": details.active,
        "codigos_de_barras": details.barcodes.iter().map(|b| b.digits.clone()).collect::<Vec<_>>(),
    })
}

pub fn customer_view(details: &CustomerDetails) -> Value {
    json!({
        "nome": details.name,
        "documento": details.document.as_ref().map(|d| d.formatted()),
        "telefone": details.phone,
        "email": details.email,
    })
}

pub fn settings_view(s: &Settings) -> Value {
    json!({
        "shop_name": s.shop_name,
        "shop_cnpj": s.shop_cnpj,
        "shop_address": s.shop_address,
        "shop_phone": s.shop_phone,
        "pix_key": s.pix_key,
        "pix_merchant_name": s.pix_merchant_name,
        "pix_merchant_city": s.pix_merchant_city,
        "max_discount_percent": format!("{}.{:02}", s.max_discount_bp / 100, s.max_discount_bp % 100),
        "require_cash_session": s.require_cash_session,
        "auto_print": s.auto_print,
        "printer_address": s.printer_address,
        "printer_columns": s.printer_columns,
        "open_drawer": s.open_drawer,
        "scale_label_mask": s.scale_label_mask.as_str(),
        "scale_label_value": s.scale_label_value.as_str(),
        "offline_sale_max_hours": s.offline_sale_max_hours,
    })
}

/// A store's own receipt data, PIX and printer, named as the shop's settings are.
pub fn store_settings_view(s: &StoreSettings) -> serde_json::Value {
    json!({
        "shop_cnpj": s.shop_cnpj,
        "shop_address": s.shop_address,
        "shop_phone": s.shop_phone,
        "pix_key": s.pix_key,
        "pix_merchant_name": s.pix_merchant_name,
        "pix_merchant_city": s.pix_merchant_city,
        "printer_address": s.printer_address,
    })
}

/// A change of stock that an administrator made, with the balance it left.
pub fn stock_view(command: &StockCommand, balance: i64) -> Value {
    let quantity = |value: i64| Quantity::new(value, command.unit).to_string();
    let mut view = match &command.change {
        StockChange::CountedAs(counted) => json!({"motivo": "contagem", "contado": quantity(*counted)}),
        StockChange::Adjust(delta) => json!({"motivo": "ajuste", "quantidade": quantity(*delta)}),
        StockChange::Entry(entry) => json!({
            "motivo": "entrada",
            "quantidade": quantity(entry.quantity),
            "custo_unitario": entry.unit_cost.to_string(),
            "fornecedor": entry.supplier,
            "nota_fiscal": entry.invoice,
        }),
    };
    view["saldo"] = json!(quantity(balance));
    view["unidade"] = json!(command.unit.as_str());
    if let Some(note) = &command.note {
        view["observacao"] = json!(note);
    }
    view
}
