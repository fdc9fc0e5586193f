//! Sales: what is asked for, what was sold, and the rules of a sale's lines and total.

use sha2::{Digest, Sha256};

use super::checkout::{Discount, Payment, PaymentLine};
use super::error::DomainError;
use super::money::Money;
use super::time::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

    /// As people read it (receipts, reports, the PDV).
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

/// Whether a sale stands or was cancelled (its stock back, out of every total).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaleStatus {
    Completed,
    Cancelled,
}

impl SaleStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SaleStatus::Completed => "concluida",
            SaleStatus::Cancelled => "cancelada",
        }
    }

    pub fn parse(text: &str) -> Option<SaleStatus> {
        [SaleStatus::Completed, SaleStatus::Cancelled].into_iter().find(|s| s.as_str() == text)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleItem {
    pub id: i64,
    pub sale_id: i64,
    pub product_id: i64,
    /// The product's name when it was sold.
    pub product_name: String,
    pub quantity: i64,
    pub price_at_sale: Money,
    /// The line's own discount.
    pub discount: Money,
    /// What the line cost after every discount.
    pub net: Money,
    pub returned_quantity: i64,
}

impl SaleItem {
    pub fn subtotal(&self) -> Money {
        self.price_at_sale * self.quantity
    }
}

/// The cancellation of a sale: when, by whom, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cancellation {
    pub at: Timestamp,
    pub by: String,
    pub reason: String,
}

/// Items of a sale that came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleReturn {
    pub id: i64,
    pub sale_id: i64,
    pub user_id: i64,
    pub user_username: String,
    pub reason: String,
    pub refund_method: PaymentMethod,
    pub refund: Money,
    pub cash_session_id: Option<i64>,
    pub created_at: Timestamp,
    pub items: Vec<ReturnedItem>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReturnedItem {
    pub sale_item_id: i64,
    pub quantity: i64,
    pub refund: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sale {
    pub id: i64,
    pub user_id: i64,
    pub user_username: String,
    pub total_amount: Money,
    pub timestamp: Timestamp,
    pub payment_method: Option<PaymentMethod>,
    pub items: Vec<SaleItem>,
    pub subtotal: Money,
    pub discount: Money,
    pub change: Money,
    pub refunded: Money,
    pub status: SaleStatus,
    pub payments: Vec<Payment>,
    pub cancellation: Option<Cancellation>,
    /// The administrator who approved a discount above the employees' limit.
    pub discount_approved_by: Option<String>,
    pub cash_session_id: Option<i64>,
    pub returns: Vec<SaleReturn>,
}

/// Which sales a listing shows: the half-open period `[from, until)` and the seller.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SalesFilter {
    pub from: Option<Timestamp>,
    pub until: Option<Timestamp>,
    pub user_id: Option<i64>,
}

/// The most lines one sale may have, and the most units of one product.
pub const MAX_LINES: usize = 1000;
pub const MAX_QUANTITY: i64 = 1_000_000_000;
pub const MAX_IDEMPOTENCY_KEY_CHARS: usize = 100;
/// How long an idempotency key answers with the sale it made; after it, the key is free again.
pub const IDEMPOTENCY_KEY_LIFETIME_MICROS: i64 = 24 * 3600 * 1_000_000;

/// One line of a sale as requested: a product, how many units, and its discount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaleLine {
    pub product_id: i64,
    pub quantity: i64,
    pub discount: Option<Discount>,
}

/// The administrator who approved a discount, once their password was checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approver {
    pub id: i64,
    pub username: String,
}

/// A sale to be made, as parsed from a request.
#[derive(Debug, Clone)]
pub struct NewSale {
    /// One line per product, in the order first requested; repeated products are summed.
    pub lines: Vec<SaleLine>,
    pub payment_method: Option<PaymentMethod>,
    pub payments: Vec<PaymentLine>,
    /// The sale's discount, on what the lines cost after their own.
    pub discount: Option<Discount>,
    pub approval: Option<Approver>,
    pub idempotency_key: Option<String>,
}

impl NewSale {
    pub fn new(
        requested: Vec<SaleLine>,
        payment_method: Option<PaymentMethod>,
        idempotency_key: Option<String>,
    ) -> Result<NewSale, DomainError> {
        let mut lines: Vec<SaleLine> = Vec::with_capacity(requested.len());
        for line in requested {
            match lines.iter_mut().find(|l| l.product_id == line.product_id) {
                Some(existing) if existing.discount.is_some() || line.discount.is_some() => {
                    return Err(DomainError::RepeatedDiscountedLine { product_id: line.product_id });
                }
                Some(existing) => {
                    existing.quantity = existing
                        .quantity
                        .checked_add(line.quantity)
                        .filter(|q| *q <= MAX_QUANTITY)
                        .ok_or(DomainError::QuantityTooLarge)?;
                }
                None => lines.push(line),
            }
        }
        Ok(NewSale { lines, payment_method, payments: Vec::new(), discount: None, approval: None, idempotency_key })
    }

    /// What identifies the request behind an idempotency key: its lines (in product order), its
    /// discounts and its payments, hashed (an approval's password is left out).
    pub fn fingerprint(&self) -> String {
        let discount = |d: Option<Discount>| d.map_or("-".to_string(), Discount::code);
        let mut lines = self.lines.clone();
        lines.sort_by_key(|l| l.product_id);
        let mut canonical: String = lines
            .iter()
            .map(|l| format!("{}x{}{};", l.product_id, l.quantity, l.discount.map_or(String::new(), Discount::code)))
            .collect();
        canonical.push_str(self.payment_method.map_or("-", PaymentMethod::as_str));
        // Without discounts or payments the text is what earlier versions hashed: their keys
        // keep matching.
        if self.discount.is_some() || !self.payments.is_empty() {
            canonical.push_str(&format!("|{}|", discount(self.discount)));
            for p in &self.payments {
                let tendered = p.tendered.map_or("-".to_string(), |t| t.cents().to_string());
                canonical.push_str(&format!("{}:{}:{tendered};", p.method.as_str(), p.amount.cents()));
            }
        }
        if let Some(approval) = &self.approval {
            canonical.push_str(&format!("|{}", approval.username));
        }
        hex::encode(Sha256::digest(canonical.as_bytes()))
    }
}

/// Units of a sale's lines that a customer brings back.
#[derive(Debug, Clone)]
pub struct NewReturn {
    /// (sale item, units), each item once.
    pub items: Vec<(i64, i64)>,
    pub reason: String,
    pub refund_method: PaymentMethod,
}

/// A line once its stock was taken: what it cost at that moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoldLine {
    pub product_id: i64,
    pub product_name: String,
    pub quantity: i64,
    pub price: Money,
    /// The line's own discount.
    pub discount: Money,
    /// What the line costs after every discount.
    pub net: Money,
}

pub use super::checkout::MAX_SALE_TOTAL;

#[cfg(test)]
mod tests {
    use super::*;

    fn line(product_id: i64, quantity: i64) -> SaleLine {
        SaleLine { product_id, quantity, discount: None }
    }

    #[test]
    fn the_same_product_twice_is_one_line_with_the_summed_quantity() {
        let sale = NewSale::new(vec![line(3, 1), line(1, 2), line(3, 4)], None, None).unwrap();
        assert_eq!(sale.lines, vec![line(3, 5), line(1, 2)]);
    }

    #[test]
    fn summed_quantities_are_bounded() {
        let error = NewSale::new(vec![line(1, MAX_QUANTITY), line(1, 1)], None, None).unwrap_err();
        assert_eq!(error, DomainError::QuantityTooLarge);
    }

    #[test]
    fn the_fingerprint_tells_requests_apart_but_not_the_order_of_their_lines() {
        let sale = |lines, method| NewSale::new(lines, method, None).unwrap().fingerprint();
        let cart = sale(vec![line(1, 2), line(3, 1)], Some(PaymentMethod::Pix));
        assert_eq!(cart, sale(vec![line(3, 1), line(1, 2)], Some(PaymentMethod::Pix)));
        assert_ne!(cart, sale(vec![line(1, 2), line(3, 2)], Some(PaymentMethod::Pix)));
        assert_ne!(cart, sale(vec![line(1, 2), line(3, 1)], Some(PaymentMethod::Dinheiro)));
        assert_ne!(cart, sale(vec![line(1, 2), line(3, 1)], None));
    }

    #[test]
    fn payment_methods_parse_from_their_codes() {
        for method in PaymentMethod::ALL {
            assert_eq!(PaymentMethod::parse(method.as_str()), Some(method));
        }
        assert_eq!(PaymentMethod::parse("cheque"), None);
    }
}
