//! The shop's settings: what receipts print, the PIX key, the employees' discount limit, the
//! cash-register rule and the printer.

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
    /// When they were last saved (None: never).
    pub updated_at: Option<Timestamp>,
}

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
            updated_at: None,
        }
    }
}
