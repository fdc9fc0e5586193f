//! All SQL that touches customers. What a customer bought is read from their sales (the
//! `sales_customer` index), never kept as a running total.

use sqlx::any::AnyRow;
use sqlx::{AnyExecutor, FromRow, Row};

use super::{Arg, Enforces, Result, counted_page};
use crate::domain::DomainError;
use crate::domain::customers::{Customer, CustomerDetails, Document};
use crate::domain::money::Money;
use crate::domain::page::PageRequest;
use crate::domain::sales::SaleCustomer;
use crate::domain::text::{contains_pattern, search_key};
use crate::domain::time::Timestamp;

macro_rules! select_customer {
    () => {
        "SELECT c.id, c.name, c.document, c.phone, c.email, c.created_at, c.updated_at, \
         (SELECT COUNT(*) FROM sales s WHERE s.customer_id = c.id AND s.status = 'concluida') AS purchases, \
         (SELECT CAST(COALESCE(SUM(s.total_cents - s.refunded_cents), 0) AS BIGINT) FROM sales s \
          WHERE s.customer_id = c.id AND s.status = 'concluida') AS spent_cents, \
         (SELECT MAX(s.created_at) FROM sales s WHERE s.customer_id = c.id AND s.status = 'concluida') AS last_purchase_at"
    };
}

impl FromRow<'_, AnyRow> for Customer {
    fn from_row(row: &AnyRow) -> sqlx::Result<Customer> {
        Ok(Customer {
            id: row.try_get("id")?,
            details: CustomerDetails {
                name: row.try_get("name")?,
                document: row.try_get::<Option<String>, _>("document")?.map(Document::stored),
                phone: row.try_get("phone")?,
                email: row.try_get("email")?,
            },
            created_at: Timestamp::from_micros(row.try_get("created_at")?),
            updated_at: Timestamp::from_micros(row.try_get("updated_at")?),
            purchases: row.try_get("purchases")?,
            spent: Money::from_cents(row.try_get("spent_cents")?),
            last_purchase_at: row.try_get::<Option<i64>, _>("last_purchase_at")?.map(Timestamp::from_micros),
        })
    }
}

pub async fn get<'c>(ex: impl AnyExecutor<'c>, id: i64) -> Result<Option<Customer>> {
    Ok(sqlx::query_as(concat!(select_customer!(), " FROM customers c WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(ex)
        .await?)
}

pub async fn exists<'c>(ex: impl AnyExecutor<'c>, id: i64) -> Result<bool> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM customers WHERE id = $1").bind(id).fetch_optional(ex).await?;
    Ok(found.is_some())
}

/// A page of customers by name, and how many match: `search` finds a part of the name (case
/// and accents do not count) or the start of the document (typed with or without punctuation).
pub async fn list<'c>(
    ex: impl AnyExecutor<'c> + Copy,
    search: Option<&str>,
    page: PageRequest,
) -> Result<(Vec<Customer>, i64)> {
    let mut args = Vec::new();
    let mut clause = String::new();
    if let Some(search) = search {
        args.push(Arg::Text(contains_pattern(&search_key(search))));
        clause = " WHERE c.search_key LIKE CAST($1 AS TEXT) ESCAPE '\\'".to_string();
        let document: String =
            search.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect();
        if document.len() >= 3 && document.chars().any(|c| c.is_ascii_digit()) {
            args.push(Arg::Text(format!("{document}%")));
            clause.push_str(" OR c.document LIKE CAST($2 AS TEXT)");
        }
    }
    let from = format!("FROM customers c{clause}");
    counted_page(ex, select_customer!(), &from, "c.search_key, c.id", args, page).await
}

/// A document another customer has is [`DomainError::DocumentTaken`].
pub async fn insert<'c>(ex: impl AnyExecutor<'c>, details: &CustomerDetails, now: Timestamp) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO customers (name, search_key, document, phone, email, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(&details.name)
    .bind(search_key(&details.name))
    .bind(details.document.as_ref().map(Document::as_str))
    .bind(&details.phone)
    .bind(&details.email)
    .bind(now.micros())
    .fetch_one(ex)
    .await
    .unique_means(DomainError::DocumentTaken)
}

/// Returns false when there is no such customer; a document another customer has is
/// [`DomainError::DocumentTaken`].
pub async fn update<'c>(ex: impl AnyExecutor<'c>, id: i64, details: &CustomerDetails, now: Timestamp) -> Result<bool> {
    let result = sqlx::query(
        "UPDATE customers SET name = $2, search_key = $3, document = $4, phone = $5, email = $6, updated_at = $7 \
         WHERE id = $1",
    )
    .bind(id)
    .bind(&details.name)
    .bind(search_key(&details.name))
    .bind(details.document.as_ref().map(Document::as_str))
    .bind(&details.phone)
    .bind(&details.email)
    .bind(now.micros())
    .execute(ex)
    .await
    .unique_means(DomainError::DocumentTaken)?;
    Ok(result.rows_affected() == 1)
}

/// A customer as a sale names them.
pub async fn named<'c>(ex: impl AnyExecutor<'c>, id: i64) -> Result<Option<SaleCustomer>> {
    let row: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT name, document FROM customers WHERE id = $1").bind(id).fetch_optional(ex).await?;
    Ok(row.map(|(name, document)| SaleCustomer { id, name, document: document.map(Document::stored) }))
}
