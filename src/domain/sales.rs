//! Sales: what is asked for, what was sold, and the rules of a sale's lines and total.

use sha2::{Digest, Sha256};

use super::catalog::Unit;
use super::checkout::{Discount, Payment, PaymentLine};
use super::customers::Document;
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

    /// As people read it (exports).
    pub fn label(self) -> &'static str {
        match self {
            SaleStatus::Completed => "Concluída",
            SaleStatus::Cancelled => "Cancelada",
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
    /// In the unit's integers (grams for KG).
    pub quantity: i64,
    pub unit: Unit,
    pub price_at_sale: Money,
    /// The line's own discount.
    pub discount: Money,
    /// What the line cost after every discount.
    pub net: Money,
    pub returned_quantity: i64,
}

impl SaleItem {
    /// Price × quantity (half up to the cent for a fraction of a unit).
    pub fn subtotal(&self) -> Money {
        self.unit.amount(self.price_at_sale, self.quantity).unwrap_or(Money::ZERO)
    }
}

/// Who bought, as a sale names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleCustomer {
    pub id: i64,
    pub name: String,
    pub document: Option<Document>,
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

/// Why a sale needs someone to look at it: it was made offline and, when it arrived, something
/// was no longer as the terminal had seen it. It is recorded all the same (the goods left).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewReason {
    /// A product's stock went below zero with it.
    StockShort,
    /// Its cash session had been closed before it arrived; it is in that session all the same.
    SessionClosed,
    /// It was made without an open cash session where the settings require one.
    NoSession,
    /// A product had been deactivated or archived since.
    ProductInactive,
}

impl ReviewReason {
    pub const ALL: [ReviewReason; 4] =
        [ReviewReason::StockShort, ReviewReason::SessionClosed, ReviewReason::NoSession, ReviewReason::ProductInactive];

    pub fn as_str(self) -> &'static str {
        match self {
            ReviewReason::StockShort => "estoque_insuficiente",
            ReviewReason::SessionClosed => "caixa_fechado",
            ReviewReason::NoSession => "sem_caixa",
            ReviewReason::ProductInactive => "produto_inativo",
        }
    }

    pub fn parse(text: &str) -> Option<ReviewReason> {
        ReviewReason::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// The stored form of a sale's reasons: their codes, comma-separated (None: nothing to see).
    pub fn join(reasons: &[ReviewReason]) -> Option<String> {
        (!reasons.is_empty()).then(|| reasons.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(","))
    }

    pub fn split(stored: Option<&str>) -> Vec<ReviewReason> {
        stored.map_or_else(Vec::new, |s| s.split(',').filter_map(ReviewReason::parse).collect())
    }
}

/// Who looked at a flagged sale, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reviewed {
    pub at: Timestamp,
    pub by: String,
}

/// A sale made at a terminal that could not reach the server, sent when it came back: when it
/// was made, by whom, and in which cash session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MadeOffline {
    pub sold_at: Timestamp,
    /// None: the sender made it.
    pub seller_id: Option<i64>,
    pub cash_session_id: Option<i64>,
}

/// How far ahead of the server a terminal's clock may be.
pub const CLOCK_TOLERANCE_MICROS: i64 = 5 * 60 * 1_000_000;

impl MadeOffline {
    /// A sale made offline is accepted when it is not in the future (beyond the tolerance of the
    /// terminals' clocks) and at most `max_hours` old.
    pub fn check_time(&self, now: Timestamp, max_hours: i64) -> Result<(), DomainError> {
        if self.sold_at.micros() > now.micros() + CLOCK_TOLERANCE_MICROS {
            return Err(DomainError::SoldInTheFuture);
        }
        if self.sold_at.micros() < self.oldest_allowed(now, max_hours).micros() {
            return Err(DomainError::SoldTooLongAgo { max_hours });
        }
        Ok(())
    }

    /// The start of the period whose prices a sale made offline may keep.
    pub fn oldest_allowed(&self, now: Timestamp, max_hours: i64) -> Timestamp {
        Timestamp::from_micros(now.micros() - max_hours * 3600 * 1_000_000)
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
    pub store_id: i64,
    pub store_name: String,
    pub returns: Vec<SaleReturn>,
    pub customer: Option<SaleCustomer>,
    /// The terminal's id of the sale.
    pub client_id: Option<String>,
    /// When the server recorded it (`timestamp` is when it was made).
    pub received_at: Timestamp,
    pub review: Vec<ReviewReason>,
    pub reviewed: Option<Reviewed>,
}

/// Which sales a listing shows: the half-open period `[from, until)` and the seller.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SalesFilter {
    pub from: Option<Timestamp>,
    pub until: Option<Timestamp>,
    pub user_id: Option<i64>,
    /// A customer's purchases.
    pub customer_id: Option<i64>,
    pub store_id: Option<i64>,
}

/// The most lines one sale may have, and the most units of one product.
pub const MAX_LINES: usize = 1000;
pub const MAX_QUANTITY: i64 = 1_000_000_000;
pub const MAX_IDEMPOTENCY_KEY_CHARS: usize = 100;
/// How long an idempotency key answers with the sale it made; after it, the key is free again.
pub const IDEMPOTENCY_KEY_LIFETIME_MICROS: i64 = 24 * 3600 * 1_000_000;

/// One line of a sale as requested: a product, how much of it, and its discount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaleLine {
    pub product_id: i64,
    /// In thousandths of the product's unit, as typed (`2` units are 2000, `0,350` kg is 350):
    /// what that is in stored integers depends on the unit (see `Unit::from_thousandths`).
    pub quantity: i64,
    pub discount: Option<Discount>,
    /// The part of the quantity that scale labels priced (the label's price, not the
    /// product's, is what it costs).
    pub labelled: Option<Labelled>,
    /// The unit price a terminal showed when it sold offline.
    pub shown_price: Option<Money>,
}

impl SaleLine {
    pub fn new(product_id: i64, quantity: i64, discount: Option<Discount>) -> SaleLine {
        SaleLine { product_id, quantity, discount, labelled: None, shown_price: None }
    }

    /// What the line costs before discounts: the labels' prices, and the rest at `price` per
    /// whole unit. `stored` is the line's whole quantity in the unit's integers.
    pub fn gross(&self, unit: Unit, price: Money, stored: i64) -> Result<Money, DomainError> {
        let (labelled_quantity, labelled_amount) =
            self.labelled.map_or((0, Money::ZERO), |l| (unit.from_thousandths(l.quantity).unwrap_or(0), l.amount));
        let rest = unit.amount(price, stored - labelled_quantity).ok_or(DomainError::TotalTooLarge)?;
        rest.cents().checked_add(labelled_amount.cents()).map(Money::from_cents).ok_or(DomainError::TotalTooLarge)
    }
}

/// Quantity (thousandths) and price that scale labels gave a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Labelled {
    pub quantity: i64,
    pub amount: Money,
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
    /// Who bought, when the seller named them.
    pub customer_id: Option<i64>,
    /// The terminal's id of the sale: a second sale with it is never made.
    pub client_id: Option<String>,
    pub offline: Option<MadeOffline>,
    /// The store the request names (None: the cash session's, or the seller's only store).
    pub store_id: Option<i64>,
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
                Some(existing) if existing.shown_price != line.shown_price => {
                    return Err(DomainError::RepeatedPricedLine { product_id: line.product_id });
                }
                Some(existing) => {
                    existing.quantity = existing
                        .quantity
                        .checked_add(line.quantity)
                        .filter(|q| *q <= MAX_QUANTITY * 1000)
                        .ok_or(DomainError::QuantityTooLarge)?;
                    existing.labelled = match (existing.labelled, line.labelled) {
                        (Some(a), Some(b)) => Some(Labelled {
                            quantity: a.quantity + b.quantity,
                            amount: Money::from_cents(
                                a.amount.cents().checked_add(b.amount.cents()).ok_or(DomainError::TotalTooLarge)?,
                            ),
                        }),
                        (a, b) => a.or(b),
                    };
                }
                None => lines.push(line),
            }
        }
        Ok(NewSale {
            lines,
            payment_method,
            payments: Vec::new(),
            discount: None,
            approval: None,
            idempotency_key,
            customer_id: None,
            client_id: None,
            offline: None,
            store_id: None,
        })
    }

    /// What identifies the request behind an idempotency key: its lines (in product order), its
    /// discounts and its payments, hashed (an approval's password is left out).
    pub fn fingerprint(&self) -> String {
        let discount = |d: Option<Discount>| d.map_or("-".to_string(), Discount::code);
        let mut lines = self.lines.clone();
        lines.sort_by_key(|l| l.product_id);
        let mut canonical: String = lines
            .iter()
            .map(|l| {
                // Whole units as earlier versions wrote them, so that their keys keep matching.
                let quantity =
                    if l.quantity % 1000 == 0 { (l.quantity / 1000).to_string() } else { format!("{}m", l.quantity) };
                let labelled = l.labelled.map_or(String::new(), |x| format!("@{}:{}", x.quantity, x.amount.cents()));
                format!("{}x{quantity}{labelled}{};", l.product_id, l.discount.map_or(String::new(), Discount::code))
            })
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
        if let Some(customer_id) = self.customer_id {
            canonical.push_str(&format!("|c{customer_id}"));
        }
        hex::encode(Sha256::digest(canonical.as_bytes()))
    }
}

/// Units of a sale's lines that a customer brings back.
#[derive(Debug, Clone)]
pub struct NewReturn {
    /// (sale item, quantity in thousandths of its unit as typed), each item once.
    pub items: Vec<(i64, i64)>,
    pub reason: String,
    pub refund_method: PaymentMethod,
}

/// A line once its stock was taken: what it cost at that moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoldLine {
    pub product_id: i64,
    pub product_name: String,
    /// In the unit's integers.
    pub quantity: i64,
    pub unit: Unit,
    pub price: Money,
    /// The line's own discount.
    pub discount: Money,
    /// What the line costs after every discount.
    pub net: Money,
    /// The cost of one unit when sold (the product's average cost, or its cost), if known.
    pub unit_cost: Option<Money>,
}

pub use super::checkout::MAX_SALE_TOTAL;

#[cfg(test)]
mod tests {
    use super::*;

    /// A line of whole units.
    fn line(product_id: i64, units: i64) -> SaleLine {
        SaleLine::new(product_id, units * 1000, None)
    }

    #[test]
    fn a_sale_made_offline_may_be_a_little_ahead_of_the_server_and_up_to_the_limit_old() {
        const MINUTE: i64 = 60 * 1_000_000;
        let now = Timestamp::from_micros(1_000_000 * MINUTE);
        let made = |minutes_ago: i64| MadeOffline {
            sold_at: Timestamp::from_micros(now.micros() - minutes_ago * MINUTE),
            seller_id: None,
            cash_session_id: None,
        };
        assert_eq!(made(-5).check_time(now, 1), Ok(()));
        assert_eq!(made(-6).check_time(now, 1), Err(DomainError::SoldInTheFuture));
        assert_eq!(made(60).check_time(now, 1), Ok(()));
        assert_eq!(made(61).check_time(now, 1), Err(DomainError::SoldTooLongAgo { max_hours: 1 }));
        assert_eq!(made(0).oldest_allowed(now, 2).micros(), now.micros() - 120 * MINUTE);
    }

    #[test]
    fn review_reasons_are_stored_as_their_codes() {
        let reasons = [ReviewReason::StockShort, ReviewReason::SessionClosed];
        let stored = ReviewReason::join(&reasons);
        assert_eq!(stored.as_deref(), Some("estoque_insuficiente,caixa_fechado"));
        assert_eq!(ReviewReason::split(stored.as_deref()), reasons);
        assert_eq!(ReviewReason::join(&[]), None);
        assert_eq!(ReviewReason::split(None), vec![]);
        for reason in ReviewReason::ALL {
            assert_eq!(ReviewReason::parse(reason.as_str()), Some(reason));
        }
    }

    #[test]
    fn repeated_lines_with_different_prices_shown_are_not_summed() {
        let priced = |cents| SaleLine { shown_price: Some(Money::from_cents(cents)), ..line(1, 1) };
        assert_eq!(
            NewSale::new(vec![priced(100), priced(200)], None, None).err(),
            Some(DomainError::RepeatedPricedLine { product_id: 1 })
        );
        assert_eq!(NewSale::new(vec![priced(100), priced(100)], None, None).unwrap().lines[0].quantity, 2000);
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
    fn labels_of_the_same_product_add_up_their_quantities_and_prices() {
        let labelled = |grams: i64, cents: i64| SaleLine {
            labelled: Some(Labelled { quantity: grams, amount: Money::from_cents(cents) }),
            ..SaleLine::new(7, grams, None)
        };
        let sale =
            NewSale::new(vec![labelled(250, 1000), SaleLine::new(7, 100, None), labelled(300, 1200)], None, None)
                .unwrap();
        assert_eq!(sale.lines.len(), 1);
        let line = sale.lines[0];
        assert_eq!(line.quantity, 650);
        assert_eq!(line.labelled, Some(Labelled { quantity: 550, amount: Money::from_cents(2200) }));
        // The labels' R$ 22,00 and 100 g at R$ 40,00/kg.
        assert_eq!(line.gross(Unit::Kg, Money::from_cents(4000), 650), Ok(Money::from_cents(2600)));
    }

    #[test]
    fn the_fingerprint_of_whole_units_is_the_one_earlier_versions_hashed() {
        let sale = NewSale::new(vec![line(1, 2)], None, None).unwrap();
        let earlier = hex::encode(Sha256::digest("1x2;-".as_bytes()));
        assert_eq!(sale.fingerprint(), earlier);
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
