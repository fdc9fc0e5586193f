//! The receipt a shop prints for a sale ("cupom não fiscal"): what it shows, as values already
//! formatted by whoever builds it, and [`layout`], which turns it into rows of text that fit a
//! printer's width. How the rows become bytes is the printer's business (`crate::printer`).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::documents::format_cnpj;
use super::money::{Money, brl};
use super::sales::{Sale, SaleStatus};
use super::settings::Settings;
use super::text::is_invisible;

/// What a receipt shows. Amounts taken off (`discount` of a line or of the sale) are zero or
/// positive; `change` is what the customer gets back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Receipt {
    pub shop_name: String,
    /// Already formatted: "12.345.678/0001-90".
    pub shop_cnpj: Option<String>,
    pub shop_address: Option<String>,
    pub shop_phone: Option<String>,
    pub sale_number: i64,
    /// Already formatted in the shop's time zone: "01/12/2026 14:05".
    pub when: String,
    pub seller: String,
    pub customer: Option<String>,
    /// Already formatted, with its kind: "CPF: 529.982.247-25".
    pub customer_document: Option<String>,
    pub cancelled: bool,
    pub lines: Vec<ReceiptLine>,
    pub subtotal: Money,
    pub discount: Money,
    pub total: Money,
    pub payments: Vec<ReceiptPayment>,
    pub change: Money,
}

/// One item of the sale. `total` is what the line costs, its discount already taken off.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReceiptLine {
    pub name: String,
    pub quantity: i64,
    pub unit_price: Money,
    pub discount: Money,
    pub total: Money,
}

/// A payment as the receipt names it: "Dinheiro", "Cartão de crédito", "Pix".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReceiptPayment {
    pub label: String,
    pub amount: Money,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// One printed line. A `double` row is printed at twice the width and height, so each of its
/// characters takes two columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReceiptRow {
    Text {
        text: String,
        align: Align,
        bold: bool,
        double: bool,
    },
    /// A line of dashes across the paper.
    Separator {
        width: usize,
    },
}

impl ReceiptRow {
    /// The columns the row takes on paper.
    pub fn width(&self) -> usize {
        match self {
            ReceiptRow::Text { text, double, .. } => text.chars().count() * if *double { 2 } else { 1 },
            ReceiptRow::Separator { width } => *width,
        }
    }
}

/// The rows of `receipt` on paper `columns` characters wide (48 on 80 mm paper, 32 on 58 mm,
/// in the printer's standard font): no row is wider. Texts are kept with their accents, on one
/// line each (line breaks and tabs become spaces), and wrapped at spaces.
pub fn layout(receipt: &Receipt, columns: usize) -> Vec<ReceiptRow> {
    let mut rows = Rows { width: columns.max(1), rows: Vec::new() };

    rows.wrapped(&receipt.shop_name, Align::Center, true);
    if let Some(cnpj) = &receipt.shop_cnpj {
        rows.wrapped(&format!("CNPJ: {cnpj}"), Align::Center, false);
    }
    if let Some(address) = &receipt.shop_address {
        rows.wrapped(address, Align::Center, false);
    }
    if let Some(phone) = &receipt.shop_phone {
        rows.wrapped(&format!("Tel.: {phone}"), Align::Center, false);
    }
    rows.separator();
    rows.pair(&format!("Venda nº {}", receipt.sale_number), &receipt.when);
    if receipt.cancelled {
        rows.banner("VENDA CANCELADA");
    }
    rows.separator();

    for line in &receipt.lines {
        rows.wrapped(&line.name, Align::Left, false);
        rows.pair(&format!("{} x {}", line.quantity, brl(line.unit_price.cents())), &brl(line.total.cents()));
        if line.discount != Money::ZERO {
            rows.wrapped(&format!("Desconto no item: {}", brl(-line.discount.cents())), Align::Left, false);
        }
    }
    rows.separator();

    rows.pair("Subtotal", &brl(receipt.subtotal.cents()));
    if receipt.discount != Money::ZERO {
        rows.pair("Desconto", &brl(-receipt.discount.cents()));
    }
    rows.total("TOTAL", &brl(receipt.total.cents()));
    for payment in &receipt.payments {
        rows.pair(&payment.label, &brl(payment.amount.cents()));
    }
    if receipt.change > Money::ZERO {
        rows.pair("Troco", &brl(receipt.change.cents()));
    }
    rows.separator();

    rows.wrapped(&format!("Vendedor: {}", receipt.seller), Align::Left, false);
    if let Some(customer) = &receipt.customer {
        rows.wrapped(&format!("Cliente: {customer}"), Align::Left, false);
    }
    if let Some(document) = &receipt.customer_document {
        rows.wrapped(document, Align::Left, false);
    }
    if receipt.cancelled {
        rows.separator();
        rows.banner("VENDA CANCELADA");
    }
    rows.separator();
    rows.wrapped("NÃO É DOCUMENTO FISCAL", Align::Center, false);
    rows.rows
}

/// Rows being laid out on paper `width` columns wide.
struct Rows {
    width: usize,
    rows: Vec<ReceiptRow>,
}

impl Rows {
    fn push(&mut self, text: String, align: Align, bold: bool, double: bool) {
        self.rows.push(ReceiptRow::Text { text, align, bold, double });
    }

    fn separator(&mut self) {
        self.rows.push(ReceiptRow::Separator { width: self.width });
    }

    fn wrapped(&mut self, text: &str, align: Align, bold: bool) {
        for line in wrap(&one_line(text), self.width) {
            self.push(line, align, bold, false);
        }
    }

    /// `left` and `right` at either end of one row; on rows of their own when they do not fit.
    fn pair(&mut self, left: &str, right: &str) {
        if let Some(text) = spread(left, right, self.width) {
            self.push(text, Align::Left, false, false);
        } else {
            self.wrapped(left, Align::Left, false);
            self.wrapped(right, Align::Right, false);
        }
    }

    /// As [`Rows::pair`], bold, and at double size where it fits.
    fn total(&mut self, label: &str, amount: &str) {
        if let Some(text) = spread(label, amount, self.width / 2) {
            self.push(text, Align::Left, true, true);
        } else if let Some(text) = spread(label, amount, self.width) {
            self.push(text, Align::Left, true, false);
        } else {
            self.wrapped(label, Align::Left, true);
            self.wrapped(amount, Align::Right, true);
        }
    }

    /// A warning nobody should miss: centered, bold, at double size where it fits.
    fn banner(&mut self, text: &str) {
        if text.chars().count() <= self.width / 2 {
            self.push(text.to_string(), Align::Center, true, true);
        } else {
            self.wrapped(text, Align::Center, true);
        }
    }
}

/// `left`, spaces, `right`: exactly `width` characters, if both fit with a space between them.
fn spread(left: &str, right: &str, width: usize) -> Option<String> {
    let (left, right) = (one_line(left), one_line(right));
    let used = left.chars().count() + right.chars().count();
    (!left.is_empty() && used < width).then(|| format!("{left}{}{right}", " ".repeat(width - used)))
}

/// `text` as one printable line: composed (NFC, so "ã" is one character), with line breaks,
/// tabs and runs of spaces as one space, control and invisible characters dropped.
fn one_line(text: &str) -> String {
    let mut line = String::with_capacity(text.len());
    for c in text.nfc() {
        if c.is_whitespace() || c.is_control() {
            if c.is_whitespace() && !line.is_empty() && !line.ends_with(' ') {
                line.push(' ');
            }
        } else if !is_invisible(c) && !is_combining_mark(c) {
            line.push(c);
        }
    }
    line.truncate(line.trim_end().len());
    line
}

/// `text` (one line) broken at spaces into lines of at most `width` characters; a word longer
/// than that is cut.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let (used, len) = (current.chars().count(), word.chars().count());
        if used > 0 && used + 1 + len <= width {
            current.push(' ');
            current.push_str(word);
            continue;
        }
        if used > 0 {
            lines.push(std::mem::take(&mut current));
        }
        let chars: Vec<char> = word.chars().collect();
        let mut chunks = chars.chunks(width).map(|chunk| chunk.iter().collect::<String>()).peekable();
        while let Some(chunk) = chunks.next() {
            if chunks.peek().is_some() {
                lines.push(chunk);
            } else {
                current = chunk;
            }
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// The receipt of a sale: the shop from the settings, the sale as it stands (cancelled, with
/// its discounts, payments and change). `when` is the sale's time, formatted for the shop.
pub fn of_sale(sale: &Sale, settings: &Settings, when: String) -> Receipt {
    Receipt {
        shop_name: settings.shop_name.clone().unwrap_or_else(|| "Sistema de Vendas".into()),
        shop_cnpj: settings.shop_cnpj.as_deref().map(format_cnpj),
        shop_address: settings.shop_address.clone(),
        shop_phone: settings.shop_phone.clone(),
        sale_number: sale.id,
        when,
        seller: sale.user_username.clone(),
        customer: sale.customer.as_ref().map(|c| c.name.clone()),
        customer_document: sale
            .customer
            .as_ref()
            .and_then(|c| c.document.as_ref())
            .map(|d| format!("{}: {}", d.kind(), d.formatted())),
        cancelled: sale.status == SaleStatus::Cancelled,
        lines: sale
            .items
            .iter()
            .map(|i| ReceiptLine {
                name: i.product_name.clone(),
                quantity: i.quantity,
                unit_price: i.price_at_sale,
                discount: i.discount,
                total: i.subtotal() - i.discount,
            })
            .collect(),
        subtotal: sale.subtotal,
        discount: sale.discount,
        total: sale.total_amount,
        payments: sale
            .payments
            .iter()
            .map(|p| ReceiptPayment { label: p.method.label().into(), amount: p.tendered.unwrap_or(p.amount) })
            .collect(),
        change: sale.change,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn money(cents: i64) -> Money {
        Money::from_cents(cents)
    }

    fn receipt() -> Receipt {
        Receipt {
            shop_name: "Padaria Pão Quente".into(),
            shop_cnpj: Some("12.345.678/0001-90".into()),
            shop_address: Some("Rua das Flores, 123 - Centro, São Paulo - SP".into()),
            shop_phone: Some("(11) 3456-7890".into()),
            sale_number: 1042,
            when: "01/12/2026 14:05".into(),
            seller: "Maria".into(),
            customer: Some("João".into()),
            customer_document: Some("CPF: 529.982.247-25".into()),
            cancelled: false,
            lines: vec![
                ReceiptLine {
                    name: "Pão de Açúcar".into(),
                    quantity: 2,
                    unit_price: money(350),
                    discount: money(0),
                    total: money(700),
                },
                ReceiptLine {
                    name: "Bolo de Chocolate Promoção".into(),
                    quantity: 1,
                    unit_price: money(2590),
                    discount: money(300),
                    total: money(2290),
                },
            ],
            subtotal: money(3290),
            discount: money(300),
            total: money(2990),
            payments: vec![ReceiptPayment { label: "Dinheiro".into(), amount: money(5000) }],
            change: money(2010),
        }
    }

    /// The rows as they look on paper: a double row's characters spaced out, since each takes
    /// two columns.
    fn paper(rows: &[ReceiptRow], columns: usize) -> String {
        let lines: Vec<String> = rows
            .iter()
            .map(|row| match row {
                ReceiptRow::Separator { width } => "-".repeat(*width),
                ReceiptRow::Text { text, align, double, .. } => {
                    let text: String =
                        if *double { text.chars().flat_map(|c| [c, ' ']).collect() } else { text.clone() };
                    let text = text.trim_end();
                    let room = columns - text.chars().count();
                    let indent = match align {
                        Align::Left => 0,
                        Align::Center => room / 2,
                        Align::Right => room,
                    };
                    format!("{}{text}", " ".repeat(indent))
                }
            })
            .collect();
        lines.join("\n")
    }

    fn texts(rows: &[ReceiptRow]) -> Vec<&str> {
        rows.iter()
            .filter_map(|row| match row {
                ReceiptRow::Text { text, .. } => Some(text.as_str()),
                ReceiptRow::Separator { .. } => None,
            })
            .collect()
    }

    #[test]
    fn a_receipt_on_80_mm_paper() {
        let expected = "
               Padaria Pão Quente
            CNPJ: 12.345.678/0001-90
  Rua das Flores, 123 - Centro, São Paulo - SP
              Tel.: (11) 3456-7890
------------------------------------------------
Venda nº 1042                   01/12/2026 14:05
------------------------------------------------
Pão de Açúcar
2 x R$ 3,50                              R$ 7,00
Bolo de Chocolate Promoção
1 x R$ 25,90                            R$ 22,90
Desconto no item: -R$ 3,00
------------------------------------------------
Subtotal                                R$ 32,90
Desconto                                -R$ 3,00
T O T A L                       R $   2 9 , 9 0
Dinheiro                                R$ 50,00
Troco                                   R$ 20,10
------------------------------------------------
Vendedor: Maria
Cliente: João
CPF: 529.982.247-25
------------------------------------------------
             NÃO É DOCUMENTO FISCAL";
        assert_eq!(paper(&layout(&receipt(), 48), 48), expected.trim_start_matches('\n'));
    }

    #[test]
    fn a_receipt_on_58_mm_paper() {
        let receipt = Receipt { total: money(123_456), ..receipt() };
        let expected = "
       Padaria Pão Quente
    CNPJ: 12.345.678/0001-90
 Rua das Flores, 123 - Centro,
         São Paulo - SP
      Tel.: (11) 3456-7890
--------------------------------
Venda nº 1042   01/12/2026 14:05
--------------------------------
Pão de Açúcar
2 x R$ 3,50              R$ 7,00
Bolo de Chocolate Promoção
1 x R$ 25,90            R$ 22,90
Desconto no item: -R$ 3,00
--------------------------------
Subtotal                R$ 32,90
Desconto                -R$ 3,00
TOTAL                R$ 1.234,56
Dinheiro                R$ 50,00
Troco                   R$ 20,10
--------------------------------
Vendedor: Maria
Cliente: João
CPF: 529.982.247-25
--------------------------------
     NÃO É DOCUMENTO FISCAL";
        let rows = layout(&receipt, 32);
        assert_eq!(paper(&rows, 32), expected.trim_start_matches('\n'));
        let total = rows.iter().find(|row| matches!(row, ReceiptRow::Text { text, .. } if text.starts_with("TOTAL")));
        assert!(
            matches!(total, Some(ReceiptRow::Text { bold: true, double: false, .. })),
            "too wide for double size, still bold: {total:?}"
        );
    }

    #[test]
    fn a_long_name_is_wrapped_at_spaces_with_its_accents() {
        let name = "Pão de Açúcar Orgânico Integral com Castanhas-do-Pará e Mel de Laranjeira";
        let receipt = Receipt {
            lines: vec![ReceiptLine { name: name.into(), quantity: 1, ..ReceiptLine::default() }],
            ..receipt()
        };
        for columns in [32, 48] {
            let rows = layout(&receipt, columns);
            let texts = texts(&rows);
            let start = texts.iter().position(|t| t.starts_with("Pão de Açúcar Orgânico")).unwrap();
            let end = texts.iter().position(|t| t.starts_with("1 x ")).unwrap();
            assert!(end - start > 1, "wrapped at {columns}: {texts:?}");
            assert_eq!(texts[start..end].join(" "), name);
            assert!(rows.iter().all(|row| row.width() <= columns));
        }
    }

    #[test]
    fn a_word_longer_than_the_paper_is_cut() {
        assert_eq!(wrap("Paralelepípedos", 6), ["Parale", "lepípe", "dos"]);
        assert_eq!(wrap("um Paralelepípedo", 8), ["um", "Paralele", "pípedo"]);
        assert_eq!(wrap("", 8), Vec::<String>::new());
    }

    #[test]
    fn texts_are_kept_on_one_line_composed_without_invisible_characters() {
        assert_eq!(one_line("  Rua A,\n123\t- Centro \r\n"), "Rua A, 123 - Centro");
        assert_eq!(one_line("Pa\u{0303}o\u{200b} \u{1b}[0m"), "Pão [0m");
        assert_eq!(one_line("P\u{00e3}o"), "Pão");
    }

    #[test]
    fn a_cancelled_sale_says_so_at_the_top_and_the_bottom() {
        let banner =
            ReceiptRow::Text { text: "VENDA CANCELADA".into(), align: Align::Center, bold: true, double: true };
        for columns in [32, 48] {
            let rows = layout(&Receipt { cancelled: true, ..receipt() }, columns);
            let at: Vec<usize> = rows.iter().enumerate().filter(|(_, r)| **r == banner).map(|(i, _)| i).collect();
            assert_eq!(at.len(), 2, "{rows:?}");
            assert!(at[0] < 8 && at[1] > rows.len() - 6, "{at:?}");
            assert!(!layout(&receipt(), columns).contains(&banner));
        }
    }

    #[test]
    fn what_is_zero_or_absent_is_left_out() {
        let receipt = Receipt {
            shop_cnpj: None,
            shop_address: None,
            shop_phone: None,
            customer: None,
            discount: Money::ZERO,
            change: Money::ZERO,
            payments: vec![ReceiptPayment { label: "Pix".into(), amount: money(2990) }],
            lines: vec![ReceiptLine { name: "Café".into(), quantity: 1, ..ReceiptLine::default() }],
            ..receipt()
        };
        let rows = layout(&receipt, 48);
        let texts = texts(&rows).join("\n");
        for absent in ["CNPJ", "Tel.", "Cliente", "Desconto", "Troco"] {
            assert!(!texts.contains(absent), "{absent} in\n{texts}");
        }
        assert!(texts.contains("Pix"), "{texts}");
    }

    #[test]
    fn a_narrow_paper_puts_a_pair_on_two_rows() {
        let rows = layout(&receipt(), 20);
        let texts = texts(&rows);
        let at = texts.iter().position(|t| *t == "Venda nº 1042").unwrap();
        assert_eq!(texts[at + 1], "01/12/2026 14:05");
        assert!(matches!(&rows[..], [.., ReceiptRow::Text { align: Align::Center, .. }]));
        assert!(rows.iter().all(|row| row.width() <= 20));
    }

    #[test]
    fn no_paper_is_too_narrow_to_lay_out() {
        for columns in [0, 1, 2, 5] {
            let rows = layout(&Receipt { cancelled: true, ..receipt() }, columns);
            assert!(rows.iter().all(|row| row.width() <= columns.max(1)), "{columns}: {rows:?}");
        }
    }

    proptest! {
        #[test]
        fn no_row_is_wider_than_the_paper(
            name in "\\PC{0,120}",
            shop in "[a-zA-Zçãé \\n]{0,80}",
            label in "\\PC{0,60}",
            quantity in 1i64..100_000,
            cents in 0i64..10_000_000_000,
            columns in 16usize..=64,
        ) {
            let receipt = Receipt {
                shop_name: shop,
                customer: Some(name.clone()),
                lines: vec![ReceiptLine {
                    name,
                    quantity,
                    unit_price: money(cents),
                    discount: money(cents / 3),
                    total: money(cents * quantity),
                }],
                subtotal: money(cents * quantity),
                total: money(cents * quantity),
                payments: vec![ReceiptPayment { label, amount: money(cents) }],
                change: money(cents),
                cancelled: true,
                ..receipt()
            };
            for row in layout(&receipt, columns) {
                prop_assert!(row.width() <= columns, "{:?} at {}", row, columns);
            }
        }
    }
}
