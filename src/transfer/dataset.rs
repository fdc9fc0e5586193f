//! A shop's data as it moves between databases ([`Dataset`], generated from the table
//! registry in `db::schema`): whatever the source (a portable export, a backup, a first-version
//! database), it is checked against the rules of this schema here, given opening stock
//! movements when its source had no ledger, and written by one piece of code ([`super::load`]).

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::db::bulk::{Totals, UserTotals};
pub use crate::db::schema::{CategoryRow, Dataset, ProductRow, SaleItemRow, SaleRow, UserRow};
use crate::db::schema::{MovementRow, PriceRow, SalePaymentRow, StoreRow, UserStoreRow};
use crate::domain::catalog::{MAX_STOCK, Unit};
use crate::domain::inventory::MovementReason;
use crate::domain::money::brl;
use crate::domain::sales::PaymentMethod;
use crate::domain::stores::FIRST_STORE_NAME;
use crate::domain::text::search_key;
use crate::domain::time::Timestamp;
use crate::domain::users::Role;

/// A sale whose items do not add up to its total (kept as it is; reported).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub sale_id: i64,
    pub total_cents: i64,
    pub items_cents: i64,
    pub items: usize,
}

impl Dataset {
    pub fn totals(&self) -> Totals {
        let mut per_user: BTreeMap<i64, UserTotals> = self
            .users
            .iter()
            .map(|u| (u.id, UserTotals { user_id: u.id, username: u.username.clone(), ..UserTotals::default() }))
            .collect();
        for sale in &self.sales {
            let entry = per_user.entry(sale.user_id).or_default();
            entry.sales += 1;
            entry.cents += sale.total_cents;
        }
        Totals {
            users: self.users.len() as i64,
            categories: self.categories.len() as i64,
            products: self.products.len() as i64,
            sales: self.sales.len() as i64,
            sale_items: self.sale_items.len() as i64,
            sales_cents: self.sales.iter().map(|s| s.total_cents).sum(),
            items_cents: self.sale_items.iter().map(|i| i.net_cents.unwrap_or(i.quantity * i.price_cents)).sum(),
            units_sold: self.sale_items.iter().filter(|i| whole_units(&i.unit)).map(|i| i.quantity).sum(),
            stock_units: self.products.iter().filter(|p| whole_units(&p.unit)).map(|p| p.stock).sum(),
            per_user: per_user.into_values().collect(),
            tables: self.row_counts(),
        }
    }

    /// Fills in what files written before discounts and payments do not have: a sale's
    /// subtotal is its total, a line's net amount is price x quantity, and a sale with a payment
    /// method and no recorded payments paid its whole total with it (as the migration that
    /// brought payments did to the sales already in a database).
    pub fn complete_older_rows(&mut self) {
        for sale in &mut self.sales {
            sale.subtotal_cents.get_or_insert(sale.total_cents);
        }
        for item in &mut self.sale_items {
            item.net_cents.get_or_insert(item.quantity * item.price_cents);
        }
        let paid: HashSet<i64> = self.sale_payments.iter().map(|p| p.sale_id).collect();
        let mut next_id = self.sale_payments.iter().map(|p| p.id).max().unwrap_or(0) + 1;
        for sale in self.sales.iter().filter(|s| s.total_cents > 0 && !paid.contains(&s.id)) {
            let Some(method) = sale.payment_method.as_deref().and_then(PaymentMethod::parse) else { continue };
            self.sale_payments.push(SalePaymentRow {
                id: next_id,
                sale_id: sale.id,
                method: method.as_str().into(),
                amount_cents: sale.total_cents,
                tendered_cents: None,
                store_id: None,
            });
            next_id += 1;
        }
        // A file written before prices had a history: each product's price, since it was created.
        if self.product_prices.is_empty() {
            self.product_prices = self
                .products
                .iter()
                .enumerate()
                .map(|(i, p)| PriceRow {
                    id: i as i64 + 1,
                    product_id: p.id,
                    price_cents: p.price_cents,
                    valid_from: p.created_at,
                    valid_until: None,
                })
                .collect();
        }
        // A file written before stores: one store, named after the shop, where everyone works
        // (the sales and cash sessions in it are store 1's by their rows' default).
        if self.stores.is_empty() {
            let shop_name = self.settings.first().and_then(|s| s.shop_name.as_deref()).map(str::trim);
            let created_at = self.users.iter().map(|u| u.created_at).min().unwrap_or_else(Timestamp::now);
            self.stores.push(StoreRow {
                id: 1,
                name: shop_name.filter(|n| !n.is_empty()).unwrap_or(FIRST_STORE_NAME).into(),
                created_at,
                archived_at: None,
                shop_cnpj: None,
                shop_address: None,
                shop_phone: None,
                pix_key: None,
                pix_merchant_name: None,
                pix_merchant_city: None,
                printer_address: None,
            });
            self.user_stores = self
                .users
                .iter()
                .enumerate()
                .map(|(i, u)| UserStoreRow { id: i as i64 + 1, user_id: u.id, store_id: 1 })
                .collect();
        }
        self.give_rows_their_parents_store();
    }

    /// The rows of a sale, of a return and of a cash session are in their parent's store (a
    /// file written before they carried it has none; one that has it says the same).
    fn give_rows_their_parents_store(&mut self) {
        let sales: HashMap<i64, i64> = self.sales.iter().map(|s| (s.id, s.store_id)).collect();
        for item in &mut self.sale_items {
            item.store_id = sales.get(&item.sale_id).copied();
        }
        for payment in &mut self.sale_payments {
            payment.store_id = sales.get(&payment.sale_id).copied();
        }
        for r in &mut self.sale_returns {
            r.store_id = sales.get(&r.sale_id).copied();
        }
        let returns: HashMap<i64, i64> = self.sale_returns.iter().filter_map(|r| Some((r.id, r.store_id?))).collect();
        for item in &mut self.sale_return_items {
            item.store_id = returns.get(&item.return_id).copied();
        }
        let sessions: HashMap<i64, i64> = self.cash_sessions.iter().map(|c| (c.id, c.store_id)).collect();
        for movement in &mut self.cash_movements {
            movement.store_id = sessions.get(&movement.session_id).copied();
        }
    }

    /// Gives every product whose stock its movements do not explain (a source without a ledger:
    /// a first-version shop, an export of an older version) one movement of the difference, an
    /// import as of `now`, so that stock is the sum of movements once written.
    pub fn add_opening_movements(&mut self, now: Timestamp) {
        let mut moved: HashMap<i64, i64> = HashMap::new();
        for movement in &self.stock_movements {
            *moved.entry(movement.product_id).or_default() += movement.quantity;
        }
        let mut next_id = self.stock_movements.iter().map(|m| m.id).max().unwrap_or(0) + 1;
        for product in &self.products {
            let quantity = product.stock - moved.get(&product.id).copied().unwrap_or(0);
            if quantity != 0 {
                self.stock_movements.push(MovementRow {
                    id: next_id,
                    product_id: product.id,
                    quantity,
                    balance: product.stock,
                    reason: MovementReason::Import.as_str().into(),
                    user_id: None,
                    sale_id: None,
                    created_at: now,
                    return_id: None,
                    unit_cost_cents: None,
                    supplier: None,
                    invoice: None,
                    note: None,
                    store_id: 1,
                    transfer_id: None,
                });
                next_id += 1;
            }
        }
    }

    /// Sales whose items do not add up to their total (a sale with no items counts as zero).
    pub fn mismatched_sales(&self) -> Vec<Mismatch> {
        let mut by_sale: HashMap<i64, (i64, usize)> = HashMap::new();
        for item in &self.sale_items {
            let entry = by_sale.entry(item.sale_id).or_default();
            entry.0 += item.net_cents.unwrap_or(item.quantity * item.price_cents);
            entry.1 += 1;
        }
        self.sales
            .iter()
            .filter_map(|sale| {
                let (items_cents, items) = by_sale.get(&sale.id).copied().unwrap_or_default();
                (items_cents != sale.total_cents).then_some(Mismatch {
                    sale_id: sale.id,
                    total_cents: sale.total_cents,
                    items_cents,
                    items,
                })
            })
            .collect()
    }

    /// Everything that this schema would refuse, in words a shop owner can act on. Empty when
    /// the dataset can be written as it is.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        duplicate_ids("usuário", self.users.iter().map(|u| u.id), &mut problems);
        duplicate_ids("categoria", self.categories.iter().map(|c| c.id), &mut problems);
        duplicate_ids("produto", self.products.iter().map(|p| p.id), &mut problems);
        duplicate_ids("venda", self.sales.iter().map(|s| s.id), &mut problems);
        duplicate_ids("item de venda", self.sale_items.iter().map(|i| i.id), &mut problems);
        duplicate_ids("movimento de estoque", self.stock_movements.iter().map(|m| m.id), &mut problems);

        let mut live_names = HashSet::new();
        for user in &self.users {
            if Role::parse(&user.role).is_none() {
                problems.push(format!(
                    "usuário {} ({}): papel {:?} desconhecido (use admin ou funcionario)",
                    user.id, user.username, user.role
                ));
            }
            if user.username.trim().is_empty() {
                problems.push(format!("usuário {}: nome de usuário vazio", user.id));
            }
            if user.deleted_at.is_none() && !live_names.insert(user.username.as_str()) {
                problems.push(format!("usuário {}: o nome {:?} aparece mais de uma vez", user.id, user.username));
            }
        }

        let mut keys: HashMap<String, i64> = HashMap::new();
        for category in &self.categories {
            if let Some(other) = keys.insert(search_key(&category.name), category.id) {
                problems.push(format!(
                    "categoria {} ({:?}): mesmo nome que a categoria {other} (maiúsculas e acentos não contam)",
                    category.id, category.name
                ));
            }
        }

        let categories: HashSet<i64> = self.categories.iter().map(|c| c.id).collect();
        let mut live_codes = HashSet::new();
        for p in &self.products {
            let label = format!("produto {} ({:?})", p.id, p.name);
            if p.price_cents <= 0 {
                problems.push(format!("{label}: preço {} (deve ser maior que zero)", brl(p.price_cents)));
            }
            if !(0..=MAX_STOCK).contains(&p.stock) || p.min_stock < 0 {
                problems.push(format!("{label}: estoque {} / mínimo {} fora do permitido", p.stock, p.min_stock));
            }
            if p.category_id.is_some_and(|c| !categories.contains(&c)) {
                problems.push(format!("{label}: categoria {} não existe", p.category_id.unwrap_or_default()));
            }
            if let Some(code) = &p.code
                && p.archived_at.is_none()
                && !live_codes.insert(code.as_str())
            {
                problems.push(format!("{label}: código {code:?} repetido em outro produto ativo"));
            }
        }

        let users: HashSet<i64> = self.users.iter().map(|u| u.id).collect();
        let mut keys_per_user = HashSet::new();
        for sale in &self.sales {
            if !users.contains(&sale.user_id) {
                problems.push(format!("venda {}: vendedor {} não existe", sale.id, sale.user_id));
            }
            if sale.total_cents < 0 {
                problems.push(format!("venda {}: total negativo ({})", sale.id, brl(sale.total_cents)));
            }
            if let Some(method) = &sale.payment_method
                && PaymentMethod::parse(method).is_none()
            {
                problems.push(format!("venda {}: forma de pagamento {method:?} desconhecida", sale.id));
            }
            if let Some(key) = &sale.idempotency_key
                && !keys_per_user.insert((sale.user_id, key.as_str()))
            {
                problems.push(format!("venda {}: chave de idempotência repetida", sale.id));
            }
        }

        let mut open_drawers = HashMap::new();
        for session in self.cash_sessions.iter().filter(|c| c.closed_at.is_none()) {
            if let Some(other) = open_drawers.insert(session.user_id, session.id) {
                problems.push(format!(
                    "caixa {}: o operador {} já tem o caixa {other} aberto (um caixa aberto por pessoa)",
                    session.id, session.user_id
                ));
            }
        }

        let sales: HashSet<i64> = self.sales.iter().map(|s| s.id).collect();
        let products: HashSet<i64> = self.products.iter().map(|p| p.id).collect();
        for item in &self.sale_items {
            let label = format!("item {} da venda {}", item.id, item.sale_id);
            if !sales.contains(&item.sale_id) {
                problems.push(format!("{label}: a venda não existe"));
            }
            if !products.contains(&item.product_id) {
                problems.push(format!("{label}: o produto {} não existe", item.product_id));
            }
            if item.quantity <= 0 {
                problems.push(format!("{label}: quantidade {} (deve ser maior que zero)", item.quantity));
            }
            if item.price_cents < 0 {
                problems.push(format!("{label}: preço negativo ({})", brl(item.price_cents)));
            }
        }
        for movement in &self.stock_movements {
            let label = format!("movimento de estoque {}", movement.id);
            if !products.contains(&movement.product_id) {
                problems.push(format!("{label}: o produto {} não existe", movement.product_id));
            }
            if MovementReason::parse(&movement.reason).is_none() {
                problems.push(format!("{label}: motivo {:?} desconhecido", movement.reason));
            }
            if movement.quantity == 0 {
                problems.push(format!("{label}: quantidade zero"));
            }
        }
        problems
    }
}

fn duplicate_ids(what: &str, ids: impl Iterator<Item = i64>, problems: &mut Vec<String>) {
    let mut seen = HashSet::new();
    for id in ids {
        if !seen.insert(id) {
            problems.push(format!("{what} {id}: id repetido"));
        }
    }
}

/// Whether a unit as stored counts whole units (not the grams of a KG product).
fn whole_units(unit: &str) -> bool {
    Unit::parse(unit).is_none_or(|u| !u.is_fractional())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::schema::CashSessionRow;

    pub(crate) fn small() -> Dataset {
        let t = Timestamp::from_micros(1_748_862_000_000_000);
        Dataset {
            users: vec![UserRow {
                id: 3,
                username: "maria".into(),
                password_hash: "x".into(),
                role: "funcionario".into(),
                session_version: 0,
                created_at: t,
                deactivated_at: None,
                deleted_at: None,
            }],
            categories: vec![CategoryRow { id: 1, name: "Bebidas".into(), created_at: t }],
            products: vec![ProductRow {
                id: 7,
                name: "Suco".into(),
                code: None,
                description: None,
                price_cents: 999,
                stock: 22,
                min_stock: 5,
                category_id: Some(1),
                created_at: t,
                updated_at: t,
                archived_at: None,
                ..ProductRow::sold_in_units()
            }],
            sales: vec![SaleRow::plain(9, 3, 1998, None, t)],
            sale_items: vec![SaleItemRow::plain(13, 9, 7, "Suco".into(), 2, 999)],
            ..Dataset::default()
        }
    }

    #[test]
    fn totals_count_and_sum_per_user() {
        let totals = small().totals();
        assert_eq!((totals.users, totals.sales, totals.sales_cents, totals.items_cents), (1, 1, 1998, 1998));
        assert_eq!(totals.per_user, vec![UserTotals { user_id: 3, username: "maria".into(), sales: 1, cents: 1998 }]);
        assert!(totals.differences(&small().totals()).is_empty());
    }

    #[test]
    fn a_source_without_a_ledger_gets_one_opening_movement_per_product_in_stock() {
        let mut data = small();
        data.add_opening_movements(Timestamp::from_micros(5));
        assert_eq!(data.stock_movements.len(), 1);
        let opening = &data.stock_movements[0];
        assert_eq!((opening.product_id, opening.quantity, opening.balance), (7, 22, 22));
        assert_eq!(opening.reason, "importacao");
        data.add_opening_movements(Timestamp::from_micros(6));
        assert_eq!(data.stock_movements.len(), 1, "o que os movimentos explicam não ganha outro");
    }

    #[test]
    fn a_valid_dataset_has_no_problems_and_no_mismatches() {
        assert_eq!(small().problems(), Vec::<String>::new());
        assert!(small().mismatched_sales().is_empty());
    }

    #[test]
    fn a_total_that_items_do_not_explain_is_reported_not_changed() {
        let mut data = small();
        data.sales[0].total_cents = 2000;
        assert_eq!(
            data.mismatched_sales(),
            vec![Mismatch { sale_id: 9, total_cents: 2000, items_cents: 1998, items: 1 }]
        );
        assert_eq!(data.sales[0].total_cents, 2000);
    }

    #[test]
    fn what_the_schema_refuses_is_explained() {
        let mut data = small();
        data.users[0].role = "gerente".into();
        data.products[0].price_cents = 0;
        data.sale_items[0].product_id = 99;
        data.categories.push(CategoryRow { id: 2, name: "bebidas".into(), created_at: data.categories[0].created_at });
        let open_drawer = |id| CashSessionRow {
            id,
            user_id: 3,
            terminal: "PDV".into(),
            opening_float_cents: 0,
            opened_at: data.categories[0].created_at,
            closed_at: None,
            closed_by: None,
            counted_cents: None,
            expected_cents: None,
            difference_cents: None,
            store_id: 1,
            terminal_id: None,
        };
        data.cash_sessions = vec![open_drawer(7), open_drawer(8)];
        let problems = data.problems().join("\n");
        assert!(problems.contains("caixa 8: o operador 3 já tem o caixa 7 aberto"), "{problems}");
        assert!(problems.contains("papel \"gerente\""), "{problems}");
        assert!(problems.contains("deve ser maior que zero"), "{problems}");
        assert!(problems.contains("o produto 99 não existe"), "{problems}");
        assert!(problems.contains("mesmo nome que a categoria 1"), "{problems}");
    }
}
