//! Products and categories, and the rules of editing them.

use super::error::DomainError;
use super::money::Money;
use super::time::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub id: i64,
    pub name: String,
    pub created_at: Timestamp,
    /// Active products in the category.
    pub products_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    pub id: i64,
    pub name: String,
    pub description: Option<String>,
    pub price: Money,
    pub stock: i64,
    /// None only for an archived product whose category was deleted.
    pub category_id: Option<i64>,
    pub category_name: Option<String>,
    pub created_at: Timestamp,
    /// Barcode or SKU, unique among active products.
    pub code: Option<String>,
    /// At or below this stock the product is flagged as low.
    pub min_stock: i64,
    pub updated_at: Timestamp,
    /// Its photo, if it has one.
    pub photo: Option<super::photo::PhotoKeys>,
}

impl Product {
    pub fn low_stock(&self) -> bool {
        self.stock <= self.min_stock
    }

    /// What an administrator edits; None for a product without a category.
    pub fn details(&self) -> Option<ProductDetails> {
        Some(ProductDetails {
            name: self.name.clone(),
            code: self.code.clone(),
            description: self.description.clone(),
            price: self.price,
            min_stock: self.min_stock,
            category_id: self.category_id?,
        })
    }
}

/// What an administrator edits on a product (stock changes through the inventory).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductDetails {
    pub name: String,
    pub code: Option<String>,
    pub description: Option<String>,
    pub price: Money,
    pub min_stock: i64,
    pub category_id: i64,
}

/// A product to be created, with the stock it starts with.
#[derive(Debug, Clone)]
pub struct NewProduct {
    pub details: ProductDetails,
    pub stock: i64,
}

/// A change to a product, as parsed; None leaves a field as it is, and `Some(None)` clears an
/// optional one.
#[derive(Debug, Default, Clone)]
pub struct ProductChanges {
    pub name: Option<String>,
    pub code: Option<Option<String>>,
    pub description: Option<Option<String>>,
    pub price: Option<Money>,
    pub min_stock: Option<i64>,
    pub category_id: Option<i64>,
    /// A counted stock: the inventory records the difference.
    pub stock: Option<i64>,
}

impl ProductChanges {
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.code.is_none()
            && self.description.is_none()
            && self.price.is_none()
            && self.min_stock.is_none()
            && self.category_id.is_none()
            && self.stock.is_none()
    }

    /// The details of `current` after the change. An archived product lost its category when
    /// the category was deleted; an edit must give it one.
    pub fn apply(&self, current: &Product) -> Result<ProductDetails, DomainError> {
        Ok(ProductDetails {
            name: self.name.clone().unwrap_or_else(|| current.name.clone()),
            code: self.code.clone().unwrap_or_else(|| current.code.clone()),
            description: self.description.clone().unwrap_or_else(|| current.description.clone()),
            price: self.price.unwrap_or(current.price),
            min_stock: self.min_stock.unwrap_or(current.min_stock),
            category_id: self.category_id.or(current.category_id).ok_or(DomainError::CategoryNotFound)?,
        })
    }
}

/// Which products a listing shows. Archived products never appear.
#[derive(Debug, Default, Clone, PartialEq, Eq, Hash)]
pub struct ProductFilter {
    /// Already normalized with `search_key`: matched anywhere in the name or code.
    pub search: Option<String>,
    pub category_id: Option<i64>,
    /// Exact code (what a barcode scanner reads).
    pub code: Option<String>,
    pub low_stock: bool,
}

/// Limits on what a product may hold.
pub const MAX_STOCK: i64 = 1_000_000_000;
pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_CODE_CHARS: usize = 64;
pub const MAX_DESCRIPTION_CHARS: usize = 2000;
pub const DEFAULT_MIN_STOCK: i64 = 5;

#[cfg(test)]
mod tests {
    use super::*;

    fn product() -> Product {
        let t = Timestamp::from_micros(0);
        Product {
            id: 1,
            name: "Café".into(),
            description: Some("500 g".into()),
            price: Money::from_cents(1290),
            stock: 5,
            category_id: Some(2),
            category_name: Some("Mercearia".into()),
            created_at: t,
            code: Some("789".into()),
            min_stock: 5,
            updated_at: t,
            photo: None,
        }
    }

    #[test]
    fn a_change_keeps_what_it_does_not_name_and_clears_what_it_nulls() {
        let changes = ProductChanges { price: Some(Money::from_cents(1500)), code: Some(None), ..Default::default() };
        let details = changes.apply(&product()).unwrap();
        assert_eq!(details.price, Money::from_cents(1500));
        assert_eq!(details.code, None);
        assert_eq!((details.name.as_str(), details.category_id), ("Café", 2));
        assert_eq!(details.description.as_deref(), Some("500 g"));
    }

    #[test]
    fn a_product_without_a_category_must_be_given_one() {
        let orphan = Product { category_id: None, ..product() };
        assert_eq!(ProductChanges::default().apply(&orphan), Err(DomainError::CategoryNotFound));
        let given = ProductChanges { category_id: Some(3), ..Default::default() };
        assert_eq!(given.apply(&orphan).unwrap().category_id, 3);
    }

    #[test]
    fn low_stock_is_at_or_below_the_minimum() {
        assert!(product().low_stock());
        assert!(!Product { stock: 6, ..product() }.low_stock());
    }
}
