//! What the sales reports add up, and the one rule for it: a sale counts as it stands now —
//! a cancelled sale counts nothing, a return takes its units and what it refunded out of the
//! sale (on the sale's own day). [`SaleFacts::of`] says what one sale adds to each kind of
//! total; the rollups kept with every sale add the difference a change makes
//! ([`SaleFacts::minus`]), and the same function read over the sales themselves rebuilds them,
//! so the two can never disagree.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::catalog::Unit;
use super::checkout::refund_of;
use super::money::Money;
use super::sales::PaymentMethod;
use super::time::{BusinessCalendar, Timestamp};

/// Sums that add up across sales, lines, days and groups. Amounts in cents; `quantity` in
/// thousandths of whole units (a product sold by weight counts its kilograms). `cost` and
/// `costed_net` cover only the lines whose cost was known when they were sold, so that the
/// margin (`costed_net - cost`) never mixes in lines without one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    pub count: i64,
    pub quantity: i64,
    pub gross: i64,
    pub discount: i64,
    pub net: i64,
    pub cost: i64,
    pub costed_net: i64,
}

impl Figures {
    pub fn add(&mut self, other: &Figures) {
        self.count += other.count;
        self.quantity += other.quantity;
        self.gross += other.gross;
        self.discount += other.discount;
        self.net += other.net;
        self.cost += other.cost;
        self.costed_net += other.costed_net;
    }

    pub fn minus(&self, other: &Figures) -> Figures {
        Figures {
            count: self.count - other.count,
            quantity: self.quantity - other.quantity,
            gross: self.gross - other.gross,
            discount: self.discount - other.discount,
            net: self.net - other.net,
            cost: self.cost - other.cost,
            costed_net: self.costed_net - other.costed_net,
        }
    }

    pub fn is_zero(&self) -> bool {
        *self == Figures::default()
    }

    /// What the lines with a known cost kept after it, None when no line had a cost.
    pub fn margin(&self) -> Option<Money> {
        (self.costed_net != 0 || self.cost != 0).then(|| Money::from_cents(self.costed_net - self.cost))
    }

    /// The margin over what those lines sold for, in hundredths of a percent (half away from zero).
    pub fn margin_bp(&self) -> Option<i64> {
        let margin = self.margin()?.cents();
        if self.costed_net == 0 {
            return None;
        }
        let scaled = i128::from(margin) * 20_000 / i128::from(self.costed_net);
        Some(((scaled + scaled.signum()) / 2) as i64)
    }
}

/// A line of a sale as it stands: what was sold and what came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandingLine {
    pub product_id: i64,
    pub unit: Unit,
    /// In the unit's integers.
    pub quantity: i64,
    pub returned: i64,
    pub price: Money,
    /// What the line cost after every discount.
    pub net: Money,
    /// The cost of one unit when it was sold, if known.
    pub unit_cost: Option<Money>,
}

/// A sale as it stands: its lines, its payments (`None`: a sale from before payments were
/// recorded, paid its total with a method nobody wrote down) and its refunds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandingSale {
    pub created_at: Timestamp,
    pub store_id: i64,
    pub user_id: i64,
    pub cancelled: bool,
    pub lines: Vec<StandingLine>,
    pub payments: Vec<(Option<PaymentMethod>, Money)>,
    pub refunds: Vec<(PaymentMethod, Money)>,
}

/// The payment bucket of sales whose method was not recorded.
pub const UNRECORDED_METHOD: &str = "nao_informado";

/// What one sale adds to each kind of total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleFacts {
    pub day: NaiveDate,
    pub hour: u32,
    pub store_id: i64,
    pub user_id: i64,
    /// The whole sale (count 1 while it stands).
    pub sale: Figures,
    /// Per product: the product's units in its own integers, and its figures (count 1: the
    /// sale had the product).
    pub products: BTreeMap<i64, (i64, Figures)>,
    /// Per payment method (`UNRECORDED_METHOD` when unknown): sales that used it, and what it
    /// took in minus what was refunded with it.
    pub payments: BTreeMap<String, (i64, i64)>,
}

impl SaleFacts {
    pub fn of(sale: &StandingSale, calendar: BusinessCalendar) -> SaleFacts {
        let mut facts = SaleFacts {
            day: calendar.date_of(sale.created_at),
            hour: calendar.hour_of(sale.created_at),
            store_id: sale.store_id,
            user_id: sale.user_id,
            sale: Figures::default(),
            products: BTreeMap::new(),
            payments: BTreeMap::new(),
        };
        if sale.cancelled {
            return facts;
        }
        facts.sale.count = 1;
        for line in &sale.lines {
            let figures = line_figures(line);
            facts.sale.add(&Figures { count: 0, ..figures });
            let entry = facts.products.entry(line.product_id).or_default();
            entry.0 += line.quantity - line.returned;
            entry.1.add(&figures);
        }
        for (method, amount) in &sale.payments {
            let code = method.map_or(UNRECORDED_METHOD, PaymentMethod::as_str).to_string();
            let entry = facts.payments.entry(code).or_default();
            entry.0 = 1;
            entry.1 += amount.cents();
        }
        for (method, amount) in &sale.refunds {
            facts.payments.entry(method.as_str().to_string()).or_default().1 -= amount.cents();
        }
        facts
    }

    /// What changed from `before` to `self` (the same sale): what the rollups must add.
    pub fn minus(&self, before: &SaleFacts) -> SaleFacts {
        let mut products = self.products.clone();
        for (id, (units, figures)) in &before.products {
            let entry = products.entry(*id).or_default();
            entry.0 -= units;
            entry.1 = entry.1.minus(figures);
        }
        let mut payments = self.payments.clone();
        for (method, (count, amount)) in &before.payments {
            let entry = payments.entry(method.clone()).or_default();
            entry.0 -= count;
            entry.1 -= amount;
        }
        products.retain(|_, (units, figures)| *units != 0 || !figures.is_zero());
        payments.retain(|_, (count, amount)| *count != 0 || *amount != 0);
        SaleFacts { sale: self.sale.minus(&before.sale), products, payments, ..self.clone() }
    }
}

/// A line's figures as it stands: the units not returned, at what they were paid.
fn line_figures(line: &StandingLine) -> Figures {
    let amount = |price: Money, units: i64| line.unit.amount(price, units).unwrap_or(Money::ZERO).cents();
    let kept = line.quantity - line.returned;
    let gross = amount(line.price, line.quantity) - amount(line.price, line.returned);
    let net = (line.net - refund_of(line.net, line.quantity, line.returned)).cents();
    let (cost, costed_net) = match line.unit_cost {
        Some(cost) => (amount(cost, line.quantity) - amount(cost, line.returned), net),
        None => (0, 0),
    };
    let quantity = if line.unit.decimals() > 0 { kept } else { kept * 1000 };
    Figures { count: 1, quantity, gross, discount: gross - net, net, cost, costed_net }
}

/// How a sales report groups its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Day,
    Week,
    Month,
    Hour,
    Employee,
    Product,
    Category,
    PaymentMethod,
}

impl GroupBy {
    pub const ALL: [GroupBy; 8] = [
        GroupBy::Day,
        GroupBy::Week,
        GroupBy::Month,
        GroupBy::Hour,
        GroupBy::Employee,
        GroupBy::Product,
        GroupBy::Category,
        GroupBy::PaymentMethod,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Day => "day",
            GroupBy::Week => "week",
            GroupBy::Month => "month",
            GroupBy::Hour => "hour",
            GroupBy::Employee => "employee",
            GroupBy::Product => "product",
            GroupBy::Category => "category",
            GroupBy::PaymentMethod => "payment_method",
        }
    }

    pub fn parse(text: &str) -> Option<GroupBy> {
        GroupBy::ALL.into_iter().find(|g| g.as_str() == text)
    }

    /// Groups that follow the calendar: their rows come in time order, the others by net.
    pub fn is_time(self) -> bool {
        matches!(self, GroupBy::Day | GroupBy::Week | GroupBy::Month | GroupBy::Hour)
    }

    /// The group of a key as the totals are kept: a day (`2026-03-10`) for days and weeks, a
    /// month (`2026-03`), an hour, a seller's, product's or category's id (`""`: none), a
    /// method. A week is its Monday.
    pub fn key_of(self, kept: &str) -> String {
        match self {
            GroupBy::Week => match NaiveDate::parse_from_str(kept, "%Y-%m-%d") {
                Ok(day) => {
                    let monday = day - chrono::Days::new(u64::from(day.weekday().num_days_from_monday()));
                    monday.format("%Y-%m-%d").to_string()
                }
                Err(_) => kept.to_string(),
            },
            GroupBy::Month => kept.get(..7).unwrap_or(kept).to_string(),
            GroupBy::Hour => kept.parse::<u32>().map_or_else(|_| kept.to_string(), |h| format!("{h:02}")),
            _ => kept.to_string(),
        }
    }

    /// The key a sale's facts have in this grouping, for the sale-level groups.
    pub fn key_of_sale(self, facts: &SaleFacts) -> String {
        match self {
            GroupBy::Hour => format!("{:02}", facts.hour),
            GroupBy::Employee => facts.user_id.to_string(),
            _ => self.key_of(&facts.day.format("%Y-%m-%d").to_string()),
        }
    }
}

/// What a sales report is asked for: a grouping, the half-open period, and who or what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportRequest {
    pub group_by: GroupBy,
    pub from: Option<Timestamp>,
    pub until: Option<Timestamp>,
    pub user_id: Option<i64>,
    pub product_id: Option<i64>,
    pub category_id: Option<i64>,
    pub store_id: Option<i64>,
}

impl ReportRequest {
    /// Whether the report looks at products (grouped or filtered by them).
    pub fn by_product(&self) -> bool {
        matches!(self.group_by, GroupBy::Product | GroupBy::Category)
            || self.product_id.is_some()
            || self.category_id.is_some()
    }
}

/// One row of a report: its key (see [`GroupBy::key_of`]), how people read it, its figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    pub key: String,
    pub label: String,
    pub figures: Figures,
}

/// Adds figures into the rows of their keys.
pub fn add_to(rows: &mut BTreeMap<String, Figures>, key: String, figures: &Figures) {
    rows.entry(key).or_default().add(figures);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calendar() -> BusinessCalendar {
        BusinessCalendar::new(chrono_tz::America::Sao_Paulo)
    }

    fn sale() -> StandingSale {
        StandingSale {
            // 2026-03-10 14:30 in São Paulo.
            created_at: Timestamp::from_micros(1_773_163_800_000_000),
            store_id: 1,
            user_id: 2,
            cancelled: false,
            lines: vec![
                StandingLine {
                    product_id: 1,
                    unit: Unit::Un,
                    quantity: 3,
                    returned: 0,
                    price: Money::from_cents(1000),
                    net: Money::from_cents(2700),
                    unit_cost: Some(Money::from_cents(600)),
                },
                StandingLine {
                    product_id: 2,
                    unit: Unit::Kg,
                    quantity: 1500,
                    returned: 0,
                    price: Money::from_cents(3990),
                    net: Money::from_cents(5985),
                    unit_cost: None,
                },
            ],
            payments: vec![
                (Some(PaymentMethod::Dinheiro), Money::from_cents(5000)),
                (Some(PaymentMethod::Pix), Money::from_cents(3685)),
            ],
            refunds: vec![],
        }
    }

    #[test]
    fn a_sale_adds_its_lines_units_in_thousandths_and_the_cost_where_known() {
        let facts = SaleFacts::of(&sale(), calendar());
        assert_eq!((facts.day.to_string(), facts.hour, facts.user_id), ("2026-03-10".into(), 14, 2));
        assert_eq!(
            facts.sale,
            Figures { count: 1, quantity: 4500, gross: 8985, discount: 300, net: 8685, cost: 1800, costed_net: 2700 }
        );
        assert_eq!(facts.sale.margin(), Some(Money::from_cents(900)));
        assert_eq!(facts.sale.margin_bp(), Some(3333));
        assert_eq!(facts.products[&2].0, 1500, "grams, as stored");
        assert_eq!(facts.payments["dinheiro"], (1, 5000));
        assert_eq!(facts.payments["pix"], (1, 3685));
    }

    #[test]
    fn a_return_takes_out_what_it_refunded_and_a_cancellation_everything() {
        let before = sale();
        let mut after = before.clone();
        after.lines[0].returned = 1;
        after.refunds.push((PaymentMethod::Pix, Money::from_cents(900)));
        let delta = SaleFacts::of(&after, calendar()).minus(&SaleFacts::of(&before, calendar()));
        assert_eq!(
            delta.sale,
            Figures {
                count: 0,
                quantity: -1000,
                gross: -1000,
                discount: -100,
                net: -900,
                cost: -600,
                costed_net: -900
            }
        );
        assert_eq!(delta.products.len(), 1);
        assert_eq!(delta.payments, BTreeMap::from([("pix".to_string(), (0, -900))]));

        let mut cancelled = after.clone();
        cancelled.cancelled = true;
        let delta = SaleFacts::of(&cancelled, calendar()).minus(&SaleFacts::of(&after, calendar()));
        let after_facts = SaleFacts::of(&after, calendar());
        assert_eq!(delta.sale.net, -after_facts.sale.net);
        assert_eq!(delta.sale.count, -1);
        assert_eq!(delta.payments["dinheiro"], (-1, -5000));
        assert_eq!(delta.payments["pix"], (-1, -(3685 - 900)));
    }

    #[test]
    fn keys_group_days_into_weeks_months_and_hours() {
        assert_eq!(GroupBy::Week.key_of("2026-03-12"), "2026-03-09", "a Thursday's Monday");
        assert_eq!(GroupBy::Week.key_of("2026-03-09"), "2026-03-09");
        assert_eq!(GroupBy::Month.key_of("2026-03-12"), "2026-03");
        assert_eq!(GroupBy::Hour.key_of("9"), "09");
        assert_eq!(GroupBy::parse("payment_method"), Some(GroupBy::PaymentMethod));
        assert_eq!(GroupBy::parse("semana"), None);
    }

    #[test]
    fn a_sale_without_recorded_payments_counts_as_unrecorded() {
        let mut old = sale();
        old.payments = vec![(None, Money::from_cents(8685))];
        assert_eq!(SaleFacts::of(&old, calendar()).payments[UNRECORDED_METHOD], (1, 8685));
    }
}
