//! The shop's settings: what receipts print, the PIX key, the employees' discount limit, the
//! cash-register rule and the printer.

use super::barcode::{LabelMask, LabelValue};
use super::time::Timestamp;

/// Characters per line of the thermal printer: 48 on 80 mm paper, 32 on 58 mm.
pub const PRINTER_COLUMNS: [i64; 2] = [48, 32];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub shop_name: Option<String>,
    /// Normalised (14 characters, no punctuation).
    pub shop_cnpj: Option<String>,
    pub shop_address: Option<String>,
    pub shop_phone: Option<String>,
    pub pix_key: Option<String>,
    pub pix_merchant_name: Option<String>,
    pub pix_merchant_city: Option<String>,
    /// The largest discount an employee may give alone, in hundredths of a percent.
    pub max_discount_bp: i64,
    /// Whether a sale needs its seller to have an open cash session.
    pub require_cash_session: bool,
    /// Whether the PDV prints the receipt after each sale.
    pub auto_print: bool,
    /// `host:port` of a network thermal printer.
    pub printer_address: Option<String>,
    pub printer_columns: i64,
    /// Whether a cash sale opens the drawer connected to the printer.
    pub open_drawer: bool,
    /// The layout of the scale's labels, and whether their value is the weight or the price.
    pub scale_label_mask: LabelMask,
    pub scale_label_value: LabelValue,
    /// How many hours old a sale made at a terminal without connection may be when it arrives.
    pub offline_sale_max_hours: i64,
    /// When they were last saved (None: never).
    pub updated_at: Option<Timestamp>,
}

/// What a sale reads of the settings, with the seller's open cash session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaleRules {
    pub max_discount_bp: i64,
    pub require_cash_session: bool,
    /// The seller's open cash session: its id and its store.
    pub cash_session: Option<(i64, i64)>,
    pub offline_sale_max_hours: i64,
}

/// The bounds of `offline_sale_max_hours`: an hour to thirty days.
pub const OFFLINE_SALE_MAX_HOURS: (i64, i64) = (1, 720);
/// The default: a long weekend without internet.
pub const DEFAULT_OFFLINE_SALE_MAX_HOURS: i64 = 72;

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            shop_name: None,
            shop_cnpj: None,
            shop_address: None,
            shop_phone: None,
            pix_key: None,
            pix_merchant_name: None,
            pix_merchant_city: None,
            max_discount_bp: 0,
            require_cash_session: false,
            auto_print: false,
            printer_address: None,
            printer_columns: PRINTER_COLUMNS[0],
            open_drawer: false,
            scale_label_mask: LabelMask::default(),
            scale_label_value: LabelValue::Weight,
            offline_sale_max_hours: DEFAULT_OFFLINE_SALE_MAX_HOURS,
            updated_at: None,
        }
    }
}

/// What `PUT /api/settings` changes: None leaves a field as it is; for the texts, `Some(None)`
/// clears one. Values are already validated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SettingsChanges {
    pub shop_name: Option<Option<String>>,
    pub shop_cnpj: Option<Option<String>>,
    pub shop_address: Option<Option<String>>,
    pub shop_phone: Option<Option<String>>,
    pub pix_key: Option<Option<String>>,
    pub pix_merchant_name: Option<Option<String>>,
    pub pix_merchant_city: Option<Option<String>>,
    pub max_discount_bp: Option<i64>,
    pub require_cash_session: Option<bool>,
    pub auto_print: Option<bool>,
    pub printer_address: Option<Option<String>>,
    pub printer_columns: Option<i64>,
    pub open_drawer: Option<bool>,
    pub scale_label_mask: Option<LabelMask>,
    pub scale_label_value: Option<LabelValue>,
    pub offline_sale_max_hours: Option<i64>,
}

impl SettingsChanges {
    pub fn is_empty(&self) -> bool {
        *self == SettingsChanges::default()
    }

    pub fn apply(self, mut s: Settings) -> Settings {
        fn set<T>(field: &mut T, value: Option<T>) {
            if let Some(value) = value {
                *field = value;
            }
        }
        set(&mut s.shop_name, self.shop_name);
        set(&mut s.shop_cnpj, self.shop_cnpj);
        set(&mut s.shop_address, self.shop_address);
        set(&mut s.shop_phone, self.shop_phone);
        set(&mut s.pix_key, self.pix_key);
        set(&mut s.pix_merchant_name, self.pix_merchant_name);
        set(&mut s.pix_merchant_city, self.pix_merchant_city);
        set(&mut s.max_discount_bp, self.max_discount_bp);
        set(&mut s.require_cash_session, self.require_cash_session);
        set(&mut s.auto_print, self.auto_print);
        set(&mut s.printer_address, self.printer_address);
        set(&mut s.printer_columns, self.printer_columns);
        set(&mut s.open_drawer, self.open_drawer);
        set(&mut s.scale_label_mask, self.scale_label_mask);
        set(&mut s.scale_label_value, self.scale_label_value);
        set(&mut s.offline_sale_max_hours, self.offline_sale_max_hours);
        s
    }
}

/// The settings a store may have of its own, for its receipts, its PIX and its printer (None:
/// the shop's).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoreSettings {
    pub shop_cnpj: Option<String>,
    pub shop_address: Option<String>,
    pub shop_phone: Option<String>,
    pub pix_key: Option<String>,
    pub pix_merchant_name: Option<String>,
    pub pix_merchant_city: Option<String>,
    pub printer_address: Option<String>,
}

impl Settings {
    /// The settings in a store: its own where it has them, the shop's elsewhere.
    pub fn at_store(self, own: StoreSettings) -> Settings {
        let or = |own: Option<String>, shop: Option<String>| own.or(shop);
        Settings {
            shop_cnpj: or(own.shop_cnpj, self.shop_cnpj),
            shop_address: or(own.shop_address, self.shop_address),
            shop_phone: or(own.shop_phone, self.shop_phone),
            pix_key: or(own.pix_key, self.pix_key),
            pix_merchant_name: or(own.pix_merchant_name, self.pix_merchant_name),
            pix_merchant_city: or(own.pix_merchant_city, self.pix_merchant_city),
            printer_address: or(own.printer_address, self.printer_address),
            ..self
        }
    }
}

/// The most characters of each text setting (the PIX name and city: what a BR Code holds).
pub const MAX_SHOP_NAME: usize = 100;
pub const MAX_SHOP_ADDRESS: usize = 200;
pub const MAX_SHOP_PHONE: usize = 30;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_prints_its_own_data_and_the_shops_where_it_has_none() {
        let shop = Settings {
            shop_name: Some("Mercadinho".into()),
            shop_cnpj: Some("11222333000181".into()),
            shop_phone: Some("11 3333-4444".into()),
            pix_key: Some("loja@example.com".into()),
            printer_address: Some("10.0.0.5:9100".into()),
            max_discount_bp: 500,
            ..Settings::default()
        };
        let own = StoreSettings {
            shop_cnpj: Some("11444777000161".into()),
            shop_address: Some("Rua B, 2".into()),
            printer_address: Some("10.1.0.5:9100".into()),
            ..StoreSettings::default()
        };
        let at_store = shop.clone().at_store(own);
        assert_eq!(
            at_store,
            Settings {
                shop_cnpj: Some("11444777000161".into()),
                shop_address: Some("Rua B, 2".into()),
                printer_address: Some("10.1.0.5:9100".into()),
                ..shop.clone()
            }
        );
        assert_eq!(shop.clone().at_store(StoreSettings::default()), shop);
    }
}
