//! How a sale is made: one transaction that takes every item's stock with a conditional update
//! (never below zero) and records the sale, its items and the daily totals — or writes nothing.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};
use utoipa::ToSchema;

use super::money::Money;
use super::time::{BusinessCalendar, Timestamp};
use crate::db::{self, Db};
use crate::error::{Error, Result, is_unique_violation};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PaymentMethod {
    Dinheiro,
    Debito,
    Credito,
    Pix,
    Outro,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 5] = [
        PaymentMethod::Dinheiro,
        PaymentMethod::Debito,
        PaymentMethod::Credito,
        PaymentMethod::Pix,
        PaymentMethod::Outro,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Dinheiro => "dinheiro",
            PaymentMethod::Debito => "debito",
            PaymentMethod::Credito => "credito",
            PaymentMethod::Pix => "pix",
            PaymentMethod::Outro => "outro",
        }
    }

    pub fn parse(text: &str) -> Option<PaymentMethod> {
        PaymentMethod::ALL.into_iter().find(|m| m.as_str() == text)
    }

    /// As shown to people (CSV export).
    pub fn label(self) -> &'static str {
        match self {
            PaymentMethod::Dinheiro => "Dinheiro",
            PaymentMethod::Debito => "Cartão de débito",
            PaymentMethod::Credito => "Cartão de crédito",
            PaymentMethod::Pix => "Pix",
            PaymentMethod::Outro => "Outro",
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SaleItem {
    pub id: i64,
    pub sale_id: i64,
    pub product_id: i64,
    /// The product's name when it was sold.
    pub product_name: String,
    pub quantity: i64,
    pub price_at_sale: Money,
    pub subtotal: Money,
}

impl FromRow<'_, AnyRow> for SaleItem {
    fn from_row(row: &AnyRow) -> sqlx::Result<SaleItem> {
        let quantity: i64 = row.try_get("quantity")?;
        let price = Money::from_cents(row.try_get("price_cents")?);
        Ok(SaleItem {
            id: row.try_get("id")?,
            sale_id: row.try_get("sale_id")?,
            product_id: row.try_get("product_id")?,
            product_name: row.try_get("product_name")?,
            quantity,
            price_at_sale: price,
            subtotal: price * quantity,
        })
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Sale {
    pub id: i64,
    pub user_id: i64,
    pub user_username: String,
    pub total_amount: Money,
    pub timestamp: Timestamp,
    pub payment_method: Option<PaymentMethod>,
    pub items: Vec<SaleItem>,
}

impl FromRow<'_, AnyRow> for Sale {
    fn from_row(row: &AnyRow) -> sqlx::Result<Sale> {
        let payment: Option<String> = row.try_get("payment_method")?;
        Ok(Sale {
            id: row.try_get("id")?,
            user_id: row.try_get("user_id")?,
            user_username: row.try_get("user_username")?,
            total_amount: Money::from_cents(row.try_get("total_cents")?),
            timestamp: Timestamp::from_micros(row.try_get("created_at")?),
            payment_method: payment.as_deref().and_then(PaymentMethod::parse),
            items: Vec::new(),
        })
    }
}

/// The most lines one sale may have, and the most units of one product.
pub const MAX_LINES: usize = 1000;
pub const MAX_QUANTITY: i64 = 1_000_000_000;
pub const MAX_IDEMPOTENCY_KEY_CHARS: usize = 100;

/// One line of a sale as requested: a product and how many units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaleLine {
    pub product_id: i64,
    pub quantity: i64,
}

/// A sale to be made, as parsed from a request.
#[derive(Debug, Clone)]
pub struct NewSale {
    /// One line per product, in the order first requested; repeated products are summed.
    pub lines: Vec<SaleLine>,
    pub payment_method: Option<PaymentMethod>,
    pub idempotency_key: Option<String>,
}

impl NewSale {
    pub fn new(
        requested: Vec<SaleLine>,
        payment_method: Option<PaymentMethod>,
        idempotency_key: Option<String>,
    ) -> Result<NewSale> {
        let mut lines: Vec<SaleLine> = Vec::with_capacity(requested.len());
        for line in requested {
            match lines.iter_mut().find(|l| l.product_id == line.product_id) {
                Some(existing) => {
                    existing.quantity = existing
                        .quantity
                        .checked_add(line.quantity)
                        .filter(|q| *q <= MAX_QUANTITY)
                        .ok_or_else(|| Error::invalid("Quantidade acima do limite permitido"))?;
                }
                None => lines.push(line),
            }
        }
        Ok(NewSale { lines, payment_method, idempotency_key })
    }
}

/// A line once its stock was taken: what it cost at that moment.
#[derive(Debug, Clone)]
pub struct SoldLine {
    pub product_id: i64,
    pub product_name: String,
    pub quantity: i64,
    pub price: Money,
}

/// Who sells.
#[derive(Debug, Clone)]
pub struct Seller {
    pub id: i64,
    pub username: String,
}

/// The result of [`sell`]: the sale, and whether it already existed (an idempotent replay).
pub struct Sold {
    pub sale: Sale,
    pub replayed: bool,
}

pub async fn sell(db: &Db, calendar: BusinessCalendar, seller: &Seller, new_sale: NewSale) -> Result<Sold> {
    if let Some(key) = &new_sale.idempotency_key
        && let Some(sale) = db::sales::find_by_idempotency_key(&db.read, seller.id, key).await?
    {
        return Ok(Sold { sale, replayed: true });
    }

    let mut tx = db.begin().await?;
    let lines: Vec<(i64, i64)> = new_sale.lines.iter().map(|l| (l.product_id, l.quantity)).collect();
    let mut taken: HashMap<i64, (String, Money)> = db::products::take_stock(&mut tx, db.backend, &lines)
        .await?
        .into_iter()
        .map(|(id, name, price)| (id, (name, price)))
        .collect();
    // Every line or none; the first line in id order that could not be taken is the one reported.
    if let Some(missing) = lines.iter().map(|&(id, _)| id).filter(|id| !taken.contains_key(id)).min() {
        return Err(why_not_sold(&mut tx, missing).await?);
    }
    // In the order they were asked for (every line was taken, so none is skipped).
    let sold: Vec<SoldLine> = new_sale
        .lines
        .iter()
        .filter_map(|line| {
            let (product_name, price) = taken.remove(&line.product_id)?;
            Some(SoldLine { product_id: line.product_id, product_name, quantity: line.quantity, price })
        })
        .collect();

    let total = sold
        .iter()
        .try_fold(0i64, |acc, s| s.price.cents().checked_mul(s.quantity).and_then(|v| acc.checked_add(v)))
        .map(Money::from_cents)
        .ok_or_else(|| Error::invalid("Valor total da venda acima do limite permitido"))?;

    let now = Timestamp::now();
    let sale_id = match db::sales::insert(
        &mut tx,
        seller.id,
        total,
        new_sale.payment_method,
        now,
        new_sale.idempotency_key.as_deref(),
    )
    .await
    {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => {
            // The same idempotency key won a race with this request: answer with that sale.
            drop(tx);
            let key = new_sale.idempotency_key.as_deref().unwrap_or_default();
            let sale = db::sales::find_by_idempotency_key(&db.read, seller.id, key)
                .await?
                .ok_or_else(|| anyhow::anyhow!("venda idempotente não encontrada após conflito"))?;
            return Ok(Sold { sale, replayed: true });
        }
        Err(e) => return Err(e.into()),
    };
    let items = db::sales::insert_items(&mut tx, sale_id, &sold).await?;
    db::reports::record_sale(&mut tx, &super::time::day_key(calendar.date_of(now)), seller.id, total, &sold).await?;
    tx.commit().await?;

    let sale = Sale {
        id: sale_id,
        user_id: seller.id,
        user_username: seller.username.clone(),
        total_amount: total,
        timestamp: now,
        payment_method: new_sale.payment_method,
        items,
    };
    Ok(Sold { sale, replayed: false })
}

/// The error for a line whose stock could not be taken: unknown product or not enough stock.
async fn why_not_sold(tx: &mut db::Tx, product_id: i64) -> Result<Error> {
    Ok(match db::products::live_stock(&mut **tx, product_id).await? {
        None => Error::Item {
            message: format!("Produto com ID {product_id} não encontrado"),
            product_id,
            available: None,
            unknown_product: true,
        },
        Some((name, stock)) => Error::Item {
            message: format!("Estoque insuficiente para o produto {name}. Disponível: {stock}"),
            product_id,
            available: Some(stock),
            unknown_product: false,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(product_id: i64, quantity: i64) -> SaleLine {
        SaleLine { product_id, quantity }
    }

    #[test]
    fn the_same_product_twice_is_one_line_with_the_summed_quantity() {
        let sale = NewSale::new(vec![line(3, 1), line(1, 2), line(3, 4)], None, None).unwrap();
        assert_eq!(sale.lines, vec![line(3, 5), line(1, 2)]);
    }

    #[test]
    fn summed_quantities_are_bounded() {
        assert!(NewSale::new(vec![line(1, MAX_QUANTITY), line(1, 1)], None, None).is_err());
    }

    #[test]
    fn payment_methods_parse_from_their_codes() {
        for method in PaymentMethod::ALL {
            assert_eq!(PaymentMethod::parse(method.as_str()), Some(method));
        }
        assert_eq!(PaymentMethod::parse("cheque"), None);
    }
}
