//! Sales: what is asked for, what was sold, and the rules of a sale's lines and total.

use sha2::{Digest, Sha256};

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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleItem {
    pub id: i64,
    pub sale_id: i64,
    pub product_id: i64,
    /// The product's name when it was sold.
    pub product_name: String,
    pub quantity: i64,
    pub price_at_sale: Money,
}

impl SaleItem {
    pub fn subtotal(&self) -> Money {
        self.price_at_sale * self.quantity
    }
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
    ) -> Result<NewSale, DomainError> {
        let mut lines: Vec<SaleLine> = Vec::with_capacity(requested.len());
        for line in requested {
            match lines.iter_mut().find(|l| l.product_id == line.product_id) {
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
        Ok(NewSale { lines, payment_method, idempotency_key })
    }

    /// What identifies the request behind an idempotency key: its lines (in product order) and
    /// its payment, hashed.
    pub fn fingerprint(&self) -> String {
        let mut lines = self.lines.clone();
        lines.sort_by_key(|l| l.product_id);
        let mut canonical: String = lines.iter().map(|l| format!("{}x{};", l.product_id, l.quantity)).collect();
        canonical.push_str(self.payment_method.map_or("-", PaymentMethod::as_str));
        hex::encode(Sha256::digest(canonical.as_bytes()))
    }
}

/// A line once its stock was taken: what it cost at that moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoldLine {
    pub product_id: i64,
    pub product_name: String,
    pub quantity: i64,
    pub price: Money,
}

/// The largest total a sale may have: R$ 10.000.000,00 (as the largest price). It keeps every
/// sum of sales a shop can make far inside what integer cents and JSON numbers hold exactly.
pub const MAX_SALE_TOTAL: Money = Money::MAX_PRICE;

/// The total of the lines, or an error when it is beyond what a sale may be.
pub fn total(lines: &[SoldLine]) -> Result<Money, DomainError> {
    lines
        .iter()
        .try_fold(0i64, |acc, s| s.price.cents().checked_mul(s.quantity).and_then(|v| acc.checked_add(v)))
        .filter(|cents| *cents <= MAX_SALE_TOTAL.cents())
        .map(Money::from_cents)
        .ok_or(DomainError::TotalTooLarge)
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

    #[test]
    fn a_total_that_does_not_fit_is_an_error_not_a_wrap() {
        let sold = |cents, quantity| SoldLine {
            product_id: 1,
            product_name: "x".into(),
            quantity,
            price: Money::from_cents(cents),
        };
        assert_eq!(total(&[sold(250, 3), sold(1, 1)]), Ok(Money::from_cents(751)));
        assert_eq!(total(&[sold(i64::MAX / 2, 3)]), Err(DomainError::TotalTooLarge));
        assert_eq!(total(&[sold(MAX_SALE_TOTAL.cents(), 1)]), Ok(MAX_SALE_TOTAL));
        assert_eq!(total(&[sold(MAX_SALE_TOTAL.cents(), 1), sold(1, 1)]), Err(DomainError::TotalTooLarge));
    }
}
