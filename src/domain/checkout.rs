//! The arithmetic of the counter: discounts (per line and per sale, as a percentage or an
//! amount), how a sale's discount is shared among its lines, how payments settle a total and
//! give change, and what a return refunds. All exact, in integer cents.
//!
//! Rounding rules, stated once:
//! - A percentage takes `base × percent` off, rounded half up to the cent (10% of R$ 0,05 is
//!   R$ 0,01; 33,33% of R$ 0,10 is R$ 0,03).
//! - A line's percentage applies to the line (price × quantity); the sale's percentage applies
//!   to what the lines cost after their own discounts.
//! - The sale's discount is shared among the lines in proportion to what each costs, by the
//!   largest remainder: every share is whole cents and the shares add up to the discount
//!   exactly (ties go to the earlier line).
//! - A return of `q` of a line's `n` units refunds the line's net amount × (returned so far +
//!   q) / n, rounded down, minus what earlier returns refunded: however the units come back,
//!   the refunds of a line add up to exactly its net amount.

use super::error::DomainError;
use super::money::Money;
use super::sales::PaymentMethod;

/// The largest subtotal a sale may have: R$ 10.000.000,00 (as the largest price). It keeps every
/// sum of sales a shop can make far inside what integer cents and JSON numbers hold exactly.
pub const MAX_SALE_TOTAL: Money = Money::MAX_PRICE;

/// Hundredths of a percent in a whole: 100% = 10.000.
pub const FULL_BP: i64 = 10_000;

/// A discount as asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Discount {
    /// In hundredths of a percent (1250 = 12,5%), 1..=10.000.
    Percent(i64),
    /// At least one cent.
    Amount(Money),
}

impl Discount {
    /// What it takes off `base`; an amount above the base is refused.
    pub fn of(self, base: Money) -> Result<Money, DomainError> {
        match self {
            Discount::Percent(bp) => {
                let cents =
                    (i128::from(base.cents()) * i128::from(bp) * 2 + i128::from(FULL_BP)) / (2 * i128::from(FULL_BP));
                Ok(Money::from_cents(cents as i64))
            }
            Discount::Amount(amount) if amount > base => Err(DomainError::DiscountAboveAmount),
            Discount::Amount(amount) => Ok(amount),
        }
    }

    /// A stable text for fingerprints: `p1250` or `a300`.
    pub fn code(self) -> String {
        match self {
            Discount::Percent(bp) => format!("p{bp}"),
            Discount::Amount(amount) => format!("a{}", amount.cents()),
        }
    }
}

/// One line's amounts once priced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineAmounts {
    /// Price × quantity.
    pub gross: Money,
    /// The line's own discount.
    pub discount: Money,
    /// What the line costs after its discount and its share of the sale's.
    pub net: Money,
}

/// A sale's amounts: its lines (in the order given) and the totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Priced {
    pub lines: Vec<LineAmounts>,
    pub subtotal: Money,
    /// Every discount: the lines' and the sale's.
    pub discount: Money,
    pub total: Money,
}

impl Priced {
    /// Whether the discount is above `limit_bp` hundredths of a percent of the subtotal.
    pub fn discount_above(&self, limit_bp: i64) -> bool {
        i128::from(self.discount.cents()) * i128::from(FULL_BP)
            > i128::from(limit_bp) * i128::from(self.subtotal.cents())
    }
}

/// A line to price: what it costs before discounts (price × quantity, or a scale label's
/// price), and its discount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineToPrice {
    pub gross: Money,
    pub discount: Option<Discount>,
}

/// Prices the lines with the sale's discount. A subtotal above [`MAX_SALE_TOTAL`] is refused.
pub fn price(lines: &[LineToPrice], sale_discount: Option<Discount>) -> Result<Priced, DomainError> {
    let mut priced = Vec::with_capacity(lines.len());
    for line in lines {
        let gross = line.gross;
        let discount = line.discount.map_or(Ok(Money::ZERO), |d| d.of(gross))?;
        priced.push(LineAmounts { gross, discount, net: gross - discount });
    }
    let after_lines: i64 = sum(priced.iter().map(|l| l.net))?;
    let sale_cut = sale_discount.map_or(Ok(Money::ZERO), |d| d.of(Money::from_cents(after_lines)))?;
    let shares = apportion(sale_cut, &priced.iter().map(|l| l.net).collect::<Vec<_>>());
    for (line, share) in priced.iter_mut().zip(shares) {
        line.net = line.net - share;
    }
    let subtotal = Money::from_cents(sum(priced.iter().map(|l| l.gross))?);
    if subtotal > MAX_SALE_TOTAL {
        return Err(DomainError::TotalTooLarge);
    }
    let total = Money::from_cents(sum(priced.iter().map(|l| l.net))?);
    Ok(Priced { lines: priced, subtotal, discount: subtotal - total, total })
}

fn sum(mut amounts: impl Iterator<Item = Money>) -> Result<i64, DomainError> {
    amounts.try_fold(0i64, |acc, m| acc.checked_add(m.cents())).ok_or(DomainError::TotalTooLarge)
}

/// `amount` split in proportion to `weights`, by the largest remainder (ties to the earlier
/// weight); the parts add up to `amount`. Requires `amount <= sum(weights)`.
pub fn apportion(amount: Money, weights: &[Money]) -> Vec<Money> {
    let total: i128 = weights.iter().map(|w| i128::from(w.cents())).sum();
    if total == 0 || amount == Money::ZERO {
        return vec![Money::ZERO; weights.len()];
    }
    let exact: Vec<(i128, i128)> = weights
        .iter()
        .map(|w| (i128::from(amount.cents()) * i128::from(w.cents())).div_euclid(total))
        .zip(weights.iter().map(|w| (i128::from(amount.cents()) * i128::from(w.cents())).rem_euclid(total)))
        .collect();
    let mut parts: Vec<i64> = exact.iter().map(|(q, _)| *q as i64).collect();
    let mut left = amount.cents() - parts.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(exact[i].1), i));
    for i in order {
        if left == 0 {
            break;
        }
        parts[i] += 1;
        left -= 1;
    }
    parts.into_iter().map(Money::from_cents).collect()
}

/// What a line's returns refund once `returned` of its `quantity` units came back.
pub fn refund_of(net: Money, quantity: i64, returned: i64) -> Money {
    if quantity <= 0 {
        return Money::ZERO;
    }
    Money::from_cents((i128::from(net.cents()) * i128::from(returned) / i128::from(quantity)) as i64)
}

/// A payment as asked for: `amount` with `method`; for cash, `tendered` is what the customer
/// handed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaymentLine {
    pub method: PaymentMethod,
    pub amount: Money,
    pub tendered: Option<Money>,
}

/// A payment as recorded: `amount` is what it paid of the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Payment {
    pub method: PaymentMethod,
    pub amount: Money,
    pub tendered: Option<Money>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settled {
    pub payments: Vec<Payment>,
    pub change: Money,
    /// The sale's one payment method, when there is one.
    pub method: Option<PaymentMethod>,
}

/// How `lines` pay `total`. They must add up to it exactly, except that cash may exceed it:
/// the excess (and whatever `tendered` adds) is change. No lines with a `method` (the single
/// payment method of earlier clients) pay the whole total with it; no lines and no method
/// record no payment, as the first version did.
pub fn settle(total: Money, method: Option<PaymentMethod>, lines: &[PaymentLine]) -> Result<Settled, DomainError> {
    if lines.is_empty() {
        let payments = match method {
            Some(method) if total > Money::ZERO => vec![Payment { method, amount: total, tendered: None }],
            _ => Vec::new(),
        };
        return Ok(Settled { payments, change: Money::ZERO, method });
    }
    for line in lines {
        match line.tendered {
            Some(_) if line.method != PaymentMethod::Dinheiro => return Err(DomainError::TenderedNotCash),
            Some(tendered) if tendered < line.amount => return Err(DomainError::TenderedBelowAmount),
            _ => {}
        }
    }
    let paid = sum(lines.iter().map(|l| l.amount))?;
    let not_cash = sum(lines.iter().filter(|l| l.method != PaymentMethod::Dinheiro).map(|l| l.amount))?;
    if not_cash > total.cents() {
        return Err(DomainError::PaymentsAboveTotal);
    }
    if paid < total.cents() {
        return Err(DomainError::PaymentsShort { paid: Money::from_cents(paid), total });
    }
    // The excess comes off the cash lines, the last first; a cash line left paying nothing
    // means the other methods already paid it all.
    let mut excess = paid - total.cents();
    let mut payments: Vec<Payment> = lines
        .iter()
        .map(|l| Payment {
            method: l.method,
            amount: l.amount,
            tendered: (l.method == PaymentMethod::Dinheiro).then(|| l.tendered.unwrap_or(l.amount)),
        })
        .collect();
    for payment in payments.iter_mut().rev().filter(|p| p.method == PaymentMethod::Dinheiro) {
        let taken = excess.min(payment.amount.cents());
        payment.amount = payment.amount - Money::from_cents(taken);
        excess -= taken;
    }
    if payments.iter().any(|p| p.amount == Money::ZERO) {
        return Err(DomainError::PaymentsAboveTotal);
    }
    let change = payments.iter().filter_map(|p| p.tendered.map(|t| t - p.amount)).sum();
    let mut methods: Vec<PaymentMethod> = payments.iter().map(|p| p.method).collect();
    methods.dedup();
    let single = if methods.len() == 1 { Some(methods[0]) } else { None };
    if method.is_some() && method != single {
        return Err(DomainError::PaymentMethodMismatch);
    }
    Ok(Settled { payments, change, method: single })
}

#[cfg(test)]
mod tests {
    use super::*;
    use PaymentMethod::*;

    fn m(cents: i64) -> Money {
        Money::from_cents(cents)
    }

    fn line(price: i64, quantity: i64, discount: Option<Discount>) -> LineToPrice {
        LineToPrice { gross: m(price * quantity), discount }
    }

    #[test]
    fn a_subtotal_that_does_not_fit_is_an_error_not_a_wrap() {
        assert_eq!(price(&[line(i64::MAX / 2 + 1, 1, None); 2], None), Err(DomainError::TotalTooLarge));
        assert_eq!(price(&[line(MAX_SALE_TOTAL.cents(), 1, None)], None).unwrap().total, MAX_SALE_TOTAL);
        assert_eq!(
            price(&[line(MAX_SALE_TOTAL.cents(), 1, None), line(1, 1, None)], None),
            Err(DomainError::TotalTooLarge)
        );
    }

    fn pay(method: PaymentMethod, amount: i64, tendered: Option<i64>) -> PaymentLine {
        PaymentLine { method, amount: m(amount), tendered: tendered.map(m) }
    }

    #[test]
    fn percentages_round_half_up_to_the_cent() {
        assert_eq!(Discount::Percent(1000).of(m(5)), Ok(m(1)), "10% de R$ 0,05 = 0,5 centavo -> 1");
        assert_eq!(Discount::Percent(1000).of(m(4)), Ok(m(0)));
        assert_eq!(Discount::Percent(3333).of(m(10)), Ok(m(3)), "33,33% de R$ 0,10");
        assert_eq!(Discount::Percent(10_000).of(m(999)), Ok(m(999)));
        assert_eq!(Discount::Amount(m(11)).of(m(10)), Err(DomainError::DiscountAboveAmount));
    }

    #[test]
    fn thirty_three_percent_of_ten_cents_in_three_lines_is_exact_both_ways() {
        let lines = [line(10, 1, Some(Discount::Percent(3333))); 3];
        let per_line = price(&lines, None).unwrap();
        assert_eq!((per_line.subtotal, per_line.discount, per_line.total), (m(30), m(9), m(21)));
        assert!(per_line.lines.iter().all(|l| l.net == m(7)));

        let per_sale = price(&[line(10, 1, None); 3], Some(Discount::Percent(3333))).unwrap();
        // 33,33% of R$ 0,30 = 9,999 cents -> 10, shared 4 + 3 + 3 (the first line takes the tie).
        assert_eq!((per_sale.discount, per_sale.total), (m(10), m(20)));
        let nets: Vec<Money> = per_sale.lines.iter().map(|l| l.net).collect();
        assert_eq!(nets, vec![m(6), m(7), m(7)]);
    }

    #[test]
    fn a_sale_discount_is_shared_in_proportion_and_adds_up() {
        let shares = apportion(m(100), &[m(1), m(1), m(1)]);
        assert_eq!(shares, vec![m(34), m(33), m(33)]);
        let shares = apportion(m(7), &[m(500), m(250), m(250)]);
        assert_eq!(shares.iter().copied().sum::<Money>(), m(7));
        assert_eq!(shares, vec![m(3), m(2), m(2)]);
    }

    #[test]
    fn line_and_sale_discounts_combine() {
        // 2 x R$ 5,00 with R$ 1,00 off the line, 1 x R$ 10,00; 10% off the sale (R$ 1,90).
        let priced =
            price(&[line(500, 2, Some(Discount::Amount(m(100)))), line(1000, 1, None)], Some(Discount::Percent(1000)))
                .unwrap();
        assert_eq!((priced.subtotal, priced.discount, priced.total), (m(2000), m(290), m(1710)));
        assert_eq!(priced.lines[0].discount, m(100));
        assert_eq!(priced.lines.iter().map(|l| l.net).sum::<Money>(), m(1710));
        assert!(priced.discount_above(1000));
        assert!(!priced.discount_above(1450));
        assert!(priced.discount_above(1449));
    }

    #[test]
    fn cash_above_the_total_gives_change() {
        let settled = settle(m(3750), None, &[pay(Dinheiro, 5000, None)]).unwrap();
        assert_eq!(settled.payments, vec![Payment { method: Dinheiro, amount: m(3750), tendered: Some(m(5000)) }]);
        assert_eq!((settled.change, settled.method), (m(1250), Some(Dinheiro)));

        let settled = settle(m(3750), None, &[pay(Dinheiro, 3750, Some(10_000))]).unwrap();
        assert_eq!(settled.change, m(6250));
    }

    #[test]
    fn split_payments_add_up_exactly() {
        let settled = settle(m(10_000), None, &[pay(Credito, 6000, None), pay(Pix, 4000, None)]).unwrap();
        assert_eq!((settled.change, settled.method, settled.payments.len()), (m(0), None, 2));
        assert_eq!(
            settle(m(10_000), None, &[pay(Credito, 6000, None), pay(Pix, 3999, None)]),
            Err(DomainError::PaymentsShort { paid: m(9999), total: m(10_000) })
        );
        assert_eq!(settle(m(10_000), None, &[pay(Credito, 10_001, None)]), Err(DomainError::PaymentsAboveTotal));
        assert_eq!(
            settle(m(10_000), None, &[pay(Credito, 10_000, None), pay(Dinheiro, 500, None)]),
            Err(DomainError::PaymentsAboveTotal),
            "dinheiro que não paga nada"
        );
        let settled = settle(m(10_000), None, &[pay(Credito, 6000, None), pay(Dinheiro, 5000, None)]).unwrap();
        assert_eq!(settled.payments[1], Payment { method: Dinheiro, amount: m(4000), tendered: Some(m(5000)) });
        assert_eq!(settled.change, m(1000));
    }

    #[test]
    fn tendered_is_for_cash_only_and_never_below_the_amount() {
        assert_eq!(settle(m(100), None, &[pay(Debito, 100, Some(200))]), Err(DomainError::TenderedNotCash));
        assert_eq!(settle(m(100), None, &[pay(Dinheiro, 100, Some(50))]), Err(DomainError::TenderedBelowAmount));
    }

    #[test]
    fn without_lines_the_single_method_pays_the_total() {
        let settled = settle(m(500), Some(Pix), &[]).unwrap();
        assert_eq!(settled.payments, vec![Payment { method: Pix, amount: m(500), tendered: None }]);
        assert_eq!(settle(m(500), None, &[]).unwrap().payments, vec![]);
        assert_eq!(settle(m(500), Some(Pix), &[pay(Debito, 500, None)]), Err(DomainError::PaymentMethodMismatch));
        assert_eq!(settle(m(500), Some(Pix), &[pay(Pix, 500, None)]).unwrap().method, Some(Pix));
    }

    #[test]
    fn returns_of_a_line_refund_exactly_its_net_amount() {
        let net = m(1000);
        let (a, b, c) = (refund_of(net, 3, 1), refund_of(net, 3, 2), refund_of(net, 3, 3));
        assert_eq!((a, b - a, c - b), (m(333), m(333), m(334)));
        assert_eq!(c, net);
    }
}
