//! `sistema-vendas demo`: fills an empty database with a shop to look at — a neighbourhood
//! market with its categories, a few hundred products (barcodes, costs, some sold by weight with
//! the codes a scale prints), an administrator and two cashiers, and 90 days of sales with their
//! stock movements and restocking entries. The same shop every time (a fixed seed), written
//! through [`super::load::load`] like every bulk load: one transaction, checked before commit.

use std::collections::HashMap;

use crate::app::passwords;
use crate::config::Config;
use crate::domain::barcode::check_digit;
use crate::domain::catalog::Unit;
use crate::domain::inventory::MovementReason;
use crate::domain::time::{BusinessCalendar, Timestamp};

use super::dataset::{CategoryRow, Dataset, ProductRow, SaleItemRow, SaleRow, UserRow};
use super::load::{LoadOptions, load_into, replaced_note};
use crate::db::schema::MovementRow;

const DAYS: i64 = 90;
const DAY: i64 = 24 * 3600 * 1_000_000;
const HOUR: i64 = 3600 * 1_000_000;
pub const CASHIER_PASSWORD: &str = "caixa123";

/// (name, price in cents, unit) of a category's base items.
type Items = &'static [(&'static str, i64, Unit)];

/// The base items of each category; packaged ones come in brands.
const CATALOG: &[(&str, Items)] = &[
    (
        "Mercearia",
        &[
            ("Arroz Tipo 1 5 kg", 2790, Unit::Un),
            ("Feijão Carioca 1 kg", 849, Unit::Un),
            ("Feijão Preto 1 kg", 899, Unit::Un),
            ("Açúcar Refinado 1 kg", 479, Unit::Un),
            ("Café Torrado e Moído 500 g", 1890, Unit::Un),
            ("Óleo de Soja 900 ml", 749, Unit::Un),
            ("Macarrão Espaguete 500 g", 429, Unit::Un),
            ("Farinha de Trigo 1 kg", 539, Unit::Un),
            ("Sal Refinado 1 kg", 259, Unit::Un),
            ("Molho de Tomate 340 g", 319, Unit::Un),
            ("Farofa Temperada 400 g", 599, Unit::Un),
            ("Milho Verde em Conserva 200 g", 389, Unit::Un),
        ],
    ),
    (
        "Laticínios",
        &[
            ("Leite UHT Integral 1 L", 529, Unit::Un),
            ("Leite UHT Desnatado 1 L", 549, Unit::Un),
            ("Iogurte Natural 170 g", 329, Unit::Un),
            ("Manteiga com Sal 200 g", 1290, Unit::Un),
            ("Requeijão Cremoso 200 g", 899, Unit::Un),
            ("Creme de Leite 200 g", 399, Unit::Un),
        ],
    ),
    (
        "Bebidas",
        &[
            ("Refrigerante Cola 2 L", 999, Unit::Un),
            ("Refrigerante Guaraná 2 L", 849, Unit::Un),
            ("Suco de Uva Integral 1 L", 1390, Unit::Un),
            ("Água Mineral sem Gás 1,5 L", 299, Unit::Un),
            ("Cerveja Pilsen Lata 350 ml", 429, Unit::Un),
            ("Energético 250 ml", 899, Unit::Un),
        ],
    ),
    (
        "Limpeza",
        &[
            ("Detergente Líquido 500 ml", 249, Unit::Un),
            ("Sabão em Pó 1 kg", 1590, Unit::Un),
            ("Água Sanitária 2 L", 699, Unit::Un),
            ("Amaciante 2 L", 1490, Unit::Un),
            ("Desinfetante Lavanda 500 ml", 499, Unit::Un),
            ("Esponja Multiuso (3 un.)", 449, Unit::Un),
        ],
    ),
    (
        "Higiene",
        &[
            ("Sabonete em Barra 85 g", 239, Unit::Un),
            ("Creme Dental 90 g", 549, Unit::Un),
            ("Shampoo 350 ml", 1690, Unit::Un),
            ("Papel Higiênico (12 rolos)", 2190, Unit::Un),
            ("Desodorante Aerosol 150 ml", 1590, Unit::Un),
        ],
    ),
    (
        "Padaria",
        &[
            ("Pão de Forma 500 g", 899, Unit::Un),
            ("Biscoito Cream Cracker 350 g", 549, Unit::Un),
            ("Bolo de Fubá (fatia)", 650, Unit::Un),
            ("Torrada Integral 160 g", 699, Unit::Un),
        ],
    ),
];

/// Sold by weight, weighed at the counter's scale: (category, name, price per kg, scale code).
const WEIGHED: &[(&str, &str, i64, &str)] = &[
    ("Hortifrúti", "Banana Prata", 699, "1"),
    ("Hortifrúti", "Tomate Italiano", 899, "2"),
    ("Hortifrúti", "Batata Inglesa", 599, "3"),
    ("Hortifrúti", "Cebola", 549, "4"),
    ("Hortifrúti", "Maçã Gala", 1090, "5"),
    ("Hortifrúti", "Laranja Pera", 479, "6"),
    ("Hortifrúti", "Cenoura", 499, "7"),
    ("Hortifrúti", "Alho", 3290, "8"),
    ("Frios", "Queijo Muçarela", 4990, "20"),
    ("Frios", "Presunto Cozido", 3990, "21"),
    ("Frios", "Queijo Prato", 5290, "22"),
    ("Frios", "Mortadela", 2490, "23"),
    ("Açougue", "Carne Moída (patinho)", 4490, "40"),
    ("Açougue", "Frango (coxa e sobrecoxa)", 1590, "41"),
    ("Açougue", "Linguiça Toscana", 2690, "42"),
    ("Açougue", "Alcatra", 5990, "43"),
];

const BRANDS: &[&str] =
    &["Bom Grão", "Sabor do Campo", "Vale Verde", "Dona Clara", "Estrela do Sul", "Tropical", "Serra Azul", "Primor"];

const SUPPLIERS: &[&str] =
    &["Distribuidora Paulista", "Atacadão Central", "Ceasa", "Laticínios Minas", "Frigorífico Bom Corte"];

/// SplitMix64: the same shop (and the benchmark's same requests) every run.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: i64, high: i64) -> i64 {
        low + (self.next_u64() % (high - low + 1) as u64) as i64
    }
}

/// The shop as of `now`. `admin_hash` and `cashier_hash` are the users' password hashes.
pub fn shop(now: Timestamp, admin_hash: &str, cashier_hash: &str) -> Dataset {
    let mut rng = Rng(202_612);
    let start = now.micros() - DAYS * DAY;
    let at = |micros: i64| Timestamp::from_micros(micros);
    let mut data = Dataset::default();
    for (id, username, role) in [(1, "admin", "admin"), (2, "maria", "funcionario"), (3, "joao", "funcionario")] {
        data.users.push(UserRow {
            id,
            username: username.into(),
            password_hash: if id == 1 { admin_hash } else { cashier_hash }.into(),
            role: role.into(),
            session_version: 0,
            created_at: at(start - DAY),
            deactivated_at: None,
            deleted_at: None,
        });
    }
    let mut category_of: HashMap<&str, i64> = HashMap::new();
    let names = CATALOG.iter().map(|(c, _)| *c).chain(WEIGHED.iter().map(|(c, ..)| *c));
    for name in names {
        if !category_of.contains_key(name) {
            let id = category_of.len() as i64 + 1;
            category_of.insert(name, id);
            data.categories.push(CategoryRow { id, name: name.into(), created_at: at(start - DAY) });
        }
    }
    let product = |data: &mut Dataset, name: String, category: &str, price: i64, unit: Unit, code: String| {
        let id = data.products.len() as i64 + 1;
        data.products.push(ProductRow {
            id,
            name,
            code: Some(code),
            price_cents: price,
            min_stock: if unit.is_fractional() { 3000 } else { 6 },
            category_id: Some(category_of[category]),
            created_at: at(start - DAY),
            updated_at: at(start - DAY),
            unit: unit.as_str().into(),
            cost_cents: Some(price * 62 / 100),
            average_cost_cents: Some(price * 62 / 100),
            ..ProductRow::sold_in_units()
        });
        id
    };
    for (category, items) in CATALOG {
        for (i, (name, price, unit)) in items.iter().enumerate() {
            // Each item in six to eight brands, a little dearer or cheaper.
            let brands = 6 + (i % 3);
            for b in 0..brands {
                let brand = BRANDS[(i * 3 + b) % BRANDS.len()];
                let price = price * (90 + 7 * b as i64) / 100 / 10 * 10 + 9;
                let id = data.products.len() as i64 + 1;
                let code = format!("P{id:04}");
                let pid = product(&mut data, format!("{name} {brand}"), category, price, *unit, code);
                let payload = format!("789{:09}", 100_000 + pid * 37);
                let barcode = format!("{payload}{}", check_digit(&payload));
                data.product_barcodes.push(crate::db::schema::BarcodeRow {
                    id: data.product_barcodes.len() as i64 + 1,
                    product_id: pid,
                    gtin: format!("{barcode:0>14}"),
                    barcode,
                    live: 1,
                });
            }
        }
    }
    for (category, name, price, scale_code) in WEIGHED {
        product(&mut data, (*name).into(), category, *price, Unit::Kg, (*scale_code).into());
    }

    // Stock: an opening count before the first day, then the days' sales, each product
    // restocked by an entry when it runs low.
    let mut stock: Vec<i64> = data
        .products
        .iter()
        .map(|p| if p.unit == "KG" { rng.between(20, 60) * 1000 } else { rng.between(30, 120) })
        .collect();
    let mut movements: Vec<MovementRow> = Vec::new();
    let movement = |movements: &mut Vec<MovementRow>,
                    product_id: i64,
                    quantity: i64,
                    balance: i64,
                    reason: MovementReason,
                    when: i64| {
        movements.push(MovementRow {
            id: movements.len() as i64 + 1,
            product_id,
            quantity,
            balance,
            reason: reason.as_str().into(),
            user_id: Some(1),
            sale_id: None,
            created_at: at(when),
            return_id: None,
            unit_cost_cents: None,
            supplier: None,
            invoice: None,
            note: None,
            store_id: 1,
            transfer_id: None,
        });
    };
    for (i, p) in data.products.iter().enumerate() {
        movement(&mut movements, p.id, stock[i], stock[i], MovementReason::Initial, start - 2 * HOUR);
    }
    let mut invoice = 41_000;
    for day in 0..DAYS {
        let midnight = start + day * DAY;
        // Busier on Fridays and Saturdays, quieter on Sundays.
        let weekday = (midnight / DAY + 4) % 7;
        let sales = match weekday {
            5 | 6 => rng.between(70, 110),
            0 => rng.between(25, 45),
            _ => rng.between(45, 75),
        };
        let mut times: Vec<i64> = (0..sales).map(|_| midnight + 11 * HOUR + rng.between(0, 12 * HOUR - 1)).collect();
        times.sort_unstable();
        for when in times {
            let sale_id = data.sales.len() as i64 + 1;
            let lines = rng.between(1, 6);
            let mut total = 0;
            let mut seen = Vec::new();
            for _ in 0..lines {
                let index = rng.between(0, data.products.len() as i64 - 1) as usize;
                if seen.contains(&index) {
                    continue;
                }
                seen.push(index);
                let p = &data.products[index];
                let unit = Unit::parse(&p.unit).unwrap_or_default();
                let quantity = if unit.is_fractional() { rng.between(150, 1800) } else { rng.between(1, 3) };
                if stock[index] < quantity + p.min_stock {
                    let restock = if unit.is_fractional() { rng.between(30, 80) * 1000 } else { rng.between(40, 150) };
                    stock[index] += restock;
                    invoice += 1;
                    movement(&mut movements, p.id, restock, stock[index], MovementReason::Entry, when - HOUR);
                    let entry = movements.last_mut().expect("a entrada acabou de entrar");
                    entry.unit_cost_cents = p.cost_cents;
                    entry.supplier = Some(SUPPLIERS[index % SUPPLIERS.len()].into());
                    entry.invoice = Some(format!("NF {invoice}"));
                }
                stock[index] -= quantity;
                let net = unit
                    .amount(crate::domain::money::Money::from_cents(p.price_cents), quantity)
                    .map_or(0, |m| m.cents());
                total += net;
                data.sale_items.push(SaleItemRow {
                    net_cents: Some(net),
                    unit: p.unit.clone(),
                    ..SaleItemRow::plain(
                        data.sale_items.len() as i64 + 1,
                        sale_id,
                        p.id,
                        p.name.clone(),
                        quantity,
                        p.price_cents,
                    )
                });
                movement(&mut movements, p.id, -quantity, stock[index], MovementReason::Sale, when);
                let sold = movements.last_mut().expect("a venda acabou de entrar");
                sold.sale_id = Some(sale_id);
                sold.user_id = None;
            }
            let seller = rng.between(2, 3);
            for m in movements.iter_mut().rev().take_while(|m| m.sale_id == Some(sale_id)) {
                m.user_id = Some(seller);
            }
            let method = ["dinheiro", "debito", "credito", "pix", "pix", "debito"][rng.between(0, 5) as usize];
            data.sales.push(SaleRow::plain(sale_id, seller, total, Some(method.into()), at(when)));
        }
    }
    for (i, p) in data.products.iter_mut().enumerate() {
        p.stock = stock[i];
    }
    data.stock_movements = movements;
    data
}

/// `demo`: the demo shop into the configured database, which must be empty (or hold only the
/// administrator the server creates on its first start).
pub async fn run(config: &Config) -> anyhow::Result<()> {
    let admin_password = config.admin_password.clone().unwrap_or_else(|| crate::DEFAULT_ADMIN_PASSWORD.to_string());
    let admin_hash = passwords::hash(admin_password, config.bcrypt_cost).await?;
    let cashier_hash = passwords::hash(CASHIER_PASSWORD.to_string(), config.bcrypt_cost).await?;
    let data = shop(Timestamp::now(), &admin_hash, &cashier_hash);
    let options = LoadOptions { replace: false, calendar: BusinessCalendar::new(config.timezone), marker: None };
    let loaded = load_into(config, data, options).await?;
    println!("Loja de demonstração gravada em {} ({}):", config.database, super::seconds(loaded.elapsed));
    print!("{}", loaded.totals.render());
    if let Some(note) = replaced_note(&loaded.replaced) {
        println!("{note}");
    }
    println!(
        "Entre como admin (a senha de ADMIN_PASSWORD, ou {}) ou como maria ou joao (senha {CASHIER_PASSWORD}).",
        crate::DEFAULT_ADMIN_PASSWORD
    );
    Ok(())
}
