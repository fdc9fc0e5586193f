//! Products and categories, and the rules of editing them.

use super::barcode::Barcode;
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
    /// The price in the store it was read for (that store's own, else the catalog's).
    pub price: Money,
    /// The catalog's price, the one every store charges unless it has its own.
    pub catalog_price: Money,
    /// In the store it was read for; read for none, in all the stores.
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
    /// How it is sold; `stock` and `min_stock` are in this unit's integers.
    pub unit: Unit,
    /// The cost of one unit: the last entry's, or the one typed.
    pub cost: Option<Money>,
    /// The weighted average cost of the units in stock, kept by the entries.
    pub average_cost: Option<Money>,
    /// An inactive product is kept but not sold.
    pub active: bool,
    /// Its barcodes, in the order they were given.
    pub barcodes: Vec<String>,
    /// Its photo, if it has one.
    pub photo: Option<super::photo::PhotoKeys>,
}

impl Product {
    pub fn low_stock(&self) -> bool {
        self.stock <= self.min_stock
    }

    /// Its barcodes as values (they were checked when stored).
    pub fn barcode_list(&self) -> Vec<Barcode> {
        self.barcodes.iter().map(|digits| Barcode { digits: digits.clone() }).collect()
    }

    pub fn quantity(&self, stored: i64) -> Quantity {
        Quantity::new(stored, self.unit)
    }

    /// What an administrator edits; None for a product without a category.
    pub fn details(&self) -> Option<ProductDetails> {
        Some(ProductDetails {
            name: self.name.clone(),
            code: self.code.clone(),
            description: self.description.clone(),
            price: self.catalog_price,
            min_stock: self.min_stock,
            category_id: self.category_id?,
            unit: self.unit,
            cost: self.cost,
            active: self.active,
            barcodes: self.barcode_list(),
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
    pub unit: Unit,
    pub cost: Option<Money>,
    pub active: bool,
    pub barcodes: Vec<Barcode>,
}

impl ProductDetails {
    /// Two barcodes of the same product that are one GTIN.
    pub fn check_barcodes(&self) -> Result<(), DomainError> {
        let mut keys = std::collections::HashSet::new();
        match self.barcodes.iter().find(|b| !keys.insert(b.key())) {
            Some(repeated) => Err(DomainError::BarcodeRepeated { barcode: repeated.digits.clone() }),
            None if self.barcodes.len() > MAX_BARCODES => Err(DomainError::TooManyBarcodes),
            None => Ok(()),
        }
    }
}

/// A product to be created, with the stock it starts with.
#[derive(Debug, Clone)]
pub struct NewProduct {
    pub details: ProductDetails,
    pub stock: i64,
    /// Where the stock is (see `app::stores::stock_store`).
    pub store_id: Option<i64>,
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
    /// A counted stock, in thousandths as typed: the inventory records the difference.
    pub stock: Option<i64>,
    pub unit: Option<Unit>,
    pub cost: Option<Option<Money>>,
    pub active: Option<bool>,
    pub barcodes: Option<Vec<Barcode>>,
    /// The unit `stock` and `min_stock` were read in: the change is refused if the product's
    /// unit is another when it is applied.
    pub typed_for: Unit,
    /// The store whose stock was counted.
    pub store_id: Option<i64>,
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
            && self.unit.is_none()
            && self.cost.is_none()
            && self.active.is_none()
            && self.barcodes.is_none()
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
            unit: self.unit.unwrap_or(current.unit),
            cost: self.cost.unwrap_or(current.cost),
            active: self.active.unwrap_or(current.active),
            barcodes: match &self.barcodes {
                Some(barcodes) => barcodes.clone(),
                None => current.barcode_list(),
            },
        })
    }
}

/// A line of a catalog import: a product's details by name (its category is found or created by
/// name) and, for a new product, the stock it starts with. An existing product is the live one
/// with the same code.
#[derive(Debug, Clone)]
pub struct CatalogLine {
    /// The line of the file (1 is the header).
    pub line: usize,
    pub details: ProductDetails,
    pub category: String,
    pub stock: i64,
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Imported {
    pub created: usize,
    pub updated: usize,
    pub categories_created: usize,
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
    /// Only active (true) or only inactive (false) products; None: both.
    pub active: Option<bool>,
    /// Read for this store: its stock and its prices (None: all the stores, the catalog's prices).
    pub store_id: Option<i64>,
}

/// How a product is sold and counted. KG, L and M are fractional: their quantities are kept
/// in thousandths (grams, millilitres, millimetres) as integers, so that amounts stay exact;
/// every other unit counts whole units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Unit {
    #[default]
    Un,
    Pc,
    Cx,
    Dz,
    Pct,
    Par,
    Kit,
    Fd,
    Kg,
    L,
    M,
}

impl Unit {
    pub const ALL: [Unit; 11] =
        [Unit::Un, Unit::Pc, Unit::Cx, Unit::Dz, Unit::Pct, Unit::Par, Unit::Kit, Unit::Fd, Unit::Kg, Unit::L, Unit::M];

    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Un => "UN",
            Unit::Pc => "PC",
            Unit::Cx => "CX",
            Unit::Dz => "DZ",
            Unit::Pct => "PCT",
            Unit::Par => "PAR",
            Unit::Kit => "KIT",
            Unit::Fd => "FD",
            Unit::Kg => "KG",
            Unit::L => "L",
            Unit::M => "M",
        }
    }

    /// Upper or lower case.
    pub fn parse(text: &str) -> Option<Unit> {
        Unit::ALL.into_iter().find(|u| u.as_str().eq_ignore_ascii_case(text.trim()))
    }

    /// Decimal places of a quantity in this unit.
    pub fn decimals(self) -> u32 {
        if self.is_fractional() { 3 } else { 0 }
    }

    pub fn is_fractional(self) -> bool {
        matches!(self, Unit::Kg | Unit::L | Unit::M)
    }

    /// Stored integers per whole unit (1000 grams in a kilogram).
    pub fn per_unit(self) -> i64 {
        10_i64.pow(self.decimals())
    }

    /// The stored quantity of `thousandths` of a unit (what a client sends: `0.350` is 350),
    /// or None when the unit is whole and the quantity is not.
    pub fn from_thousandths(self, thousandths: i64) -> Option<i64> {
        if self.is_fractional() {
            Some(thousandths)
        } else if thousandths % 1000 == 0 {
            Some(thousandths / 1000)
        } else {
            None
        }
    }

    /// The amount of `quantity` (stored integers) at `price` per whole unit, half up to the
    /// cent; None past what an amount can hold.
    pub fn amount(self, price: Money, quantity: i64) -> Option<Money> {
        let per_unit = i128::from(self.per_unit());
        let exact = i128::from(price.cents()).checked_mul(i128::from(quantity))?;
        let cents = (exact + per_unit / 2).div_euclid(per_unit);
        i64::try_from(cents).ok().map(Money::from_cents)
    }
}

/// A quantity of a product in its unit, for showing: `1,250` for 1250 g of a KG product, `3` for
/// three units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Quantity {
    /// Stored integers (grams for KG).
    pub stored: i64,
    pub unit: Unit,
}

impl Quantity {
    pub fn new(stored: i64, unit: Unit) -> Quantity {
        Quantity { stored, unit }
    }

    /// Whole units, for a unit that has no decimals.
    pub fn units(units: i64) -> Quantity {
        Quantity { stored: units, unit: Unit::Un }
    }

    /// The quantity as a decimal number of whole units (exact: at most three decimals).
    pub fn as_f64(self) -> f64 {
        self.stored as f64 / self.unit.per_unit() as f64
    }
}

impl std::fmt::Display for Quantity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let decimals = self.unit.decimals() as usize;
        if decimals == 0 {
            return write!(f, "{}", self.stored);
        }
        let per_unit = self.unit.per_unit();
        let sign = if self.stored < 0 { "-" } else { "" };
        let magnitude = self.stored.unsigned_abs();
        let whole = magnitude / per_unit as u64;
        let fraction = magnitude % per_unit as u64;
        let symbol = match self.unit {
            Unit::Kg => "kg",
            Unit::M => "m",
            other => other.as_str(),
        };
        write!(f, "{sign}{whole},{fraction:0decimals$} {symbol}")
    }
}

/// Limits on what a product may hold.
pub const MAX_STOCK: i64 = 1_000_000_000;
pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_CODE_CHARS: usize = 64;
pub const MAX_DESCRIPTION_CHARS: usize = 2000;
pub const DEFAULT_MIN_STOCK: i64 = 5;
pub const MAX_BARCODES: usize = 20;

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
            catalog_price: Money::from_cents(1290),
            stock: 5,
            category_id: Some(2),
            category_name: Some("Mercearia".into()),
            created_at: t,
            code: Some("789".into()),
            min_stock: 5,
            updated_at: t,
            unit: Unit::Un,
            cost: None,
            average_cost: None,
            active: true,
            barcodes: vec!["7891000100103".into()],
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
    fn a_change_keeps_the_barcodes_unless_it_names_them() {
        let details =
            ProductChanges { name: Some("Café forte".into()), ..Default::default() }.apply(&product()).unwrap();
        assert_eq!(details.barcodes, vec![Barcode { digits: "7891000100103".into() }]);
        let cleared = ProductChanges { barcodes: Some(vec![]), ..Default::default() }.apply(&product()).unwrap();
        assert!(cleared.barcodes.is_empty());
    }

    #[test]
    fn one_gtin_twice_in_a_product_is_refused() {
        let mut details = product().details().unwrap();
        details.barcodes = vec![Barcode::parse("036000291452").unwrap(), Barcode::parse("0036000291452").unwrap()];
        assert_eq!(details.check_barcodes(), Err(DomainError::BarcodeRepeated { barcode: "0036000291452".into() }));
    }

    #[test]
    fn fractional_units_keep_thousandths_and_price_half_up() {
        assert_eq!(Unit::parse("kg"), Some(Unit::Kg));
        assert_eq!(Unit::Kg.from_thousandths(350), Some(350));
        assert_eq!(Unit::Un.from_thousandths(2000), Some(2));
        assert_eq!(Unit::Un.from_thousandths(1500), None);
        // 0,355 kg at R$ 29,90/kg = R$ 10,6145: R$ 10,61; 0,125 kg at R$ 0,99 = 12,375 cents: 12.
        assert_eq!(Unit::Kg.amount(Money::from_cents(2990), 355), Some(Money::from_cents(1061)));
        assert_eq!(Unit::Kg.amount(Money::from_cents(99), 125), Some(Money::from_cents(12)));
        // Half a cent rounds up: 0,5 kg at R$ 0,01.
        assert_eq!(Unit::Kg.amount(Money::from_cents(1), 500), Some(Money::from_cents(1)));
        assert_eq!(Unit::Un.amount(Money::from_cents(250), 3), Some(Money::from_cents(750)));
        assert_eq!(Unit::Un.amount(Money::from_cents(i64::MAX), 2), None);
    }

    #[test]
    fn quantities_show_in_their_unit() {
        assert_eq!(Quantity::new(1250, Unit::Kg).to_string(), "1,250 kg");
        assert_eq!(Quantity::new(-5, Unit::L).to_string(), "-0,005 L");
        assert_eq!(Quantity::new(7, Unit::Cx).to_string(), "7");
    }

    #[test]
    fn low_stock_is_at_or_below_the_minimum() {
        assert!(product().low_stock());
        assert!(!Product { stock: 6, ..product() }.low_stock());
    }
}
