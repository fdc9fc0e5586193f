use std::collections::HashMap;

use futures_util::future::join_all;
use reqwest::StatusCode;

use crate::helpers::*;

/// 200 clients race for the 10 units of a product, one unit each, all at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_buyers_of_ten_units_make_exactly_ten_sales() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let category = app.create_category(&admin, "Promoção").await;
    let product = app.create_product(&admin, "Último lote", "9.90", 10, category).await;
    let mut sellers = Vec::new();
    for i in 0..4 {
        sellers.push(app.create_user(&admin, &format!("caixa{i}"), "funcionario").await.1);
    }

    let replies = join_all((0..200).map(|i| app.sell(&sellers[i % sellers.len()], &[(product, 1)]))).await;
    let created = replies.iter().filter(|r| r.status == StatusCode::CREATED).count();
    let refused: Vec<_> = replies.iter().filter(|r| r.status != StatusCode::CREATED).collect();
    assert_eq!(created, 10);
    assert_eq!(refused.len(), 190);
    for reply in refused {
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
        assert!(
            reply.error().starts_with("Estoque insuficiente para o produto Último lote. Disponível: "),
            "{}",
            reply.body
        );
    }
    assert_eq!(app.stock_of(&admin, product).await, 0);
    let sales = app.get("/api/sales?per_page=100", &admin).await.body;
    assert_eq!(sales["total"], 10);
    assert_eq!(cents(&sales["total_amount"]), 10 * 990);
}

/// A tiny deterministic generator, so that a failing storm can be replayed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Many multi-item sales at once over a few scarce products: stock never goes negative, and
/// the units sold always equal the stock removed.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_storm_of_multi_item_sales_never_oversells() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let category = app.create_category(&admin, "Mercearia").await;
    let mut initial = HashMap::new();
    for i in 0..6 {
        let stock = 15 + i * 5;
        let id = app.create_product(&admin, &format!("Produto {i}"), "2.50", stock, category).await;
        initial.insert(id, stock);
    }
    let ids: Vec<i64> = initial.keys().copied().collect();
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let orders: Vec<Vec<(i64, i64)>> = (0..300)
        .map(|_| {
            (0..1 + rng.below(4))
                .map(|_| (ids[rng.below(ids.len() as u64) as usize], 1 + rng.below(3) as i64))
                .collect()
        })
        .collect();

    let replies = join_all(orders.iter().map(|items| app.sell(&admin, items))).await;
    let mut sold: HashMap<i64, i64> = HashMap::new();
    let mut created = 0;
    for (items, reply) in orders.iter().zip(&replies) {
        match reply.status {
            StatusCode::CREATED => {
                created += 1;
                for (product, quantity) in items {
                    *sold.entry(*product).or_default() += quantity;
                }
            }
            StatusCode::BAD_REQUEST => assert!(reply.error().starts_with("Estoque insuficiente"), "{}", reply.body),
            other => panic!("status inesperado {other}: {}", reply.body),
        }
    }
    assert!(created > 10, "the storm should sell something ({created})");

    let mut recorded: HashMap<i64, i64> = HashMap::new();
    let mut page = 1;
    loop {
        let body = app.get(&format!("/api/sales?per_page=100&page={page}"), &admin).await.body;
        let sales = body["sales"].as_array().unwrap();
        if sales.is_empty() {
            break;
        }
        for item in sales.iter().flat_map(|s| s["items"].as_array().unwrap()) {
            *recorded.entry(item["product_id"].as_i64().unwrap()).or_default() += item["quantity"].as_i64().unwrap();
        }
        page += 1;
    }
    for (product, start) in &initial {
        let stock = app.stock_of(&admin, *product).await;
        assert!(stock >= 0);
        let sold_units = sold.get(product).copied().unwrap_or(0);
        assert_eq!(start - stock, sold_units, "stock removed = units answered 201 (product {product})");
        assert_eq!(
            recorded.get(product).copied().unwrap_or(0),
            sold_units,
            "units in recorded sales (product {product})"
        );
    }
}
