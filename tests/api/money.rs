use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

/// Binary floats drift on sums like these; exact cents do not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousands_of_ten_and_twenty_cent_sales_sum_exactly() {
    // A hundred sales wait at once for SQLite's one writer: on a loaded machine (a debug build
    // beside other suites) the last ones would pass the default 5 s wait and get a 503.
    let app = spawn_app_with(&[("DB_ACQUIRE_TIMEOUT", "60")]).await;
    let admin = app.admin_token().await;
    let category = app.create_category(&admin, "Balas").await;
    let ten = app.create_product(&admin, "Bala", "0.10", 100_000, category).await;
    let twenty = app.create_product(&admin, "Chiclete", "0.20", 100_000, category).await;
    let sales = 3000;
    for batch in 0..(sales / 100) {
        let replies = join_all((0..100).map(|i| {
            let product = if (batch * 100 + i) % 2 == 0 { ten } else { twenty };
            app.sell(&admin, &[(product, 1)])
        }))
        .await;
        let refused: Vec<String> = replies
            .iter()
            .filter(|r| r.status != StatusCode::CREATED)
            .map(|r| format!("{} {}", r.status, r.body))
            .collect();
        assert!(refused.is_empty(), "{refused:?}");
    }
    let expected = (sales / 2) * 10 + (sales / 2) * 20;
    let summary = app.get("/api/sales/reports/summary", &admin).await.body;
    assert_eq!(summary["total_sales"].to_string(), "450.0");
    for field in ["total_sales", "today_sales", "month_sales"] {
        assert_eq!(cents(&summary[field]), expected, "{field}");
    }
    let list = app.get("/api/sales?per_page=1", &admin).await.body;
    assert_eq!(cents(&list["total_amount"]), expected);
    assert_eq!(list["total"], sales);
    assert_eq!(cents(&list["average_ticket"]), 15);
}

#[tokio::test]
async fn prices_keep_their_cents_through_every_operation() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let category = app.create_category(&admin, "X").await;
    for price in ["0.01", "0.29", "1.10", "19.99", "1234567.89", "10000000.00"] {
        let id = app.create_product(&admin, price, price, 10, category).await;
        let product = app.get(&format!("/api/products/{id}"), &admin).await.body;
        let expected: i64 = price.replace('.', "").parse().unwrap();
        assert_eq!(cents(&product["price"]), expected, "{price}");
        // Three units, or one of the dearest price: a sale is at most R$ 10.000.000,00.
        let units = if price == "10000000.00" { 1 } else { 3 };
        let sale = app.sell(&admin, &[(id, units)]).await.body;
        assert_eq!(cents(&sale["total_amount"]), expected * units, "{price}");
    }
    let reply =
        app.post("/api/products", &admin, json!({"name": "y", "price": "0.015", "category_id": category})).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "a fraction of a cent is refused, not rounded");
}

/// A sale is bounded to what a shop can mean (R$ 10 million), so no sum of sales reaches what
/// integer cents or JSON numbers hold: the review's eleven sales of R$ 10 million × 1 billion
/// units are refused, and eleven of the largest sale a shop may make sum exactly.
#[tokio::test]
async fn a_sale_beyond_ten_million_reais_is_refused_and_the_largest_sales_sum_exactly() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let category = app.create_category(&admin, "Imóveis").await;
    let dearest = app.create_product(&admin, "Sala comercial", "10000000.00", 1_000_000_000, category).await;
    let cheap = app.create_product(&admin, "Chaveiro", "0.01", 100, category).await;
    for items in [vec![(dearest, 1_000_000_000)], vec![(dearest, 2)], vec![(dearest, 1), (cheap, 1)]] {
        let reply = app.sell(&admin, &items).await;
        assert_eq!(
            (reply.status, reply.error()),
            (StatusCode::BAD_REQUEST, "Valor total da venda acima do limite permitido (R$ 10.000.000,00)"),
            "{items:?}"
        );
    }
    assert_eq!(app.stock_of(&admin, dearest).await, 1_000_000_000, "nothing sold");
    for _ in 0..11 {
        assert_eq!(app.sell(&admin, &[(dearest, 1)]).await.status, StatusCode::CREATED);
    }
    let expected = 11 * 1_000_000_000_i64;
    let summary = app.get("/api/sales/reports/summary", &admin).await.body;
    for field in ["total_sales", "today_sales", "month_sales"] {
        assert_eq!(cents(&summary[field]), expected, "{field}");
    }
    assert_eq!(summary["total_sales"].to_string(), "110000000.0");
    let list = app.get("/api/sales?per_page=1", &admin).await.body;
    assert_eq!(cents(&list["total_amount"]), expected);
}
