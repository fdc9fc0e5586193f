use super::catalog::Quantity;
use super::money::Money;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Sales of today (calendar day in the business time zone).
    pub today_sales: Money,
    /// Sales of this calendar month.
    pub month_sales: Money,
    /// All sales ever.
    pub total_sales: Money,
    pub today_count: i64,
    pub month_count: i64,
    pub total_count: i64,
    /// This month's sales divided by this month's number of sales.
    pub average_ticket: Money,
    /// The five products with most units sold in the last 30 days (today and the 29 before); a
    /// product sold by weight counts its kilograms (litres, metres).
    pub top_products: Vec<TopProduct>,
    /// The last 30 days, oldest first, including days without sales.
    pub daily: Vec<DailyTotal>,
    /// The business time zone the days above are counted in.
    pub timezone: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopProduct {
    pub product_id: i64,
    pub name: String,
    /// In the product's unit (kilograms of a product sold by weight).
    pub total_sold: Quantity,
    pub total_amount: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyTotal {
    /// `YYYY-MM-DD`
    pub date: String,
    pub count: i64,
    pub total: Money,
}

/// Days the dashboard looks back over.
pub const REPORT_DAYS: u64 = 30;
