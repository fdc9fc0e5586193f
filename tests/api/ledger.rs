//! The stock ledger: every path that changes a product's stock leaves exactly one movement with
//! its reason, what it left and who did it, failed changes leave none, and stock is the sum of
//! movements after anything — a storm of sales, adjustments and counts on two instances included.

use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::Connection;

use crate::helpers::*;

async fn movements(app: &TestApp, admin: &str, product: i64) -> Vec<Value> {
    let reply = app.get(&format!("/api/products/{product}/movements?per_page=100"), admin).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body["movements"].as_array().unwrap().clone()
}

/// (reason, quantity, balance) of the newest movement, and how many there are.
fn newest(list: &[Value]) -> ((String, i64, i64), usize) {
    let m = &list[0];
    (
        (m["reason"].as_str().unwrap().to_string(), m["quantity"].as_i64().unwrap(), m["balance"].as_i64().unwrap()),
        list.len(),
    )
}

#[tokio::test]
async fn every_path_that_changes_stock_leaves_exactly_one_movement() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let admin_id = app.get("/api/auth/me", &admin).await.body["id"].as_i64().unwrap();
    let category = app.create_category(&admin, "Bebidas").await;
    let product = app.create_product(&admin, "Suco", "4.50", 10, category).await;
    let path = format!("/api/products/{product}");
    let stock = format!("{path}/stock");

    let list = movements(&app, &admin, product).await;
    assert_eq!(newest(&list), (("inicial".into(), 10, 10), 1), "criado com estoque");
    assert_eq!(list[0]["user_id"], admin_id);

    let sale = app.sell(&admin, &[(product, 3)]).await;
    assert_eq!(sale.status, StatusCode::CREATED);
    let list = movements(&app, &admin, product).await;
    assert_eq!(newest(&list), (("venda".into(), -3, 7), 2));
    assert_eq!(list[0]["sale_id"], sale.body["id"]);

    assert_eq!(app.put(&stock, &admin, json!({"stock": 12})).await.status, StatusCode::OK);
    assert_eq!(newest(&movements(&app, &admin, product).await), (("contagem".into(), 5, 12), 3), "PUT /stock");

    assert_eq!(app.put(&stock, &admin, json!({"adjustment": -2})).await.status, StatusCode::OK);
    assert_eq!(newest(&movements(&app, &admin, product).await), (("ajuste".into(), -2, 10), 4), "ajuste");

    let edit = app.put(&path, &admin, json!({"stock": 4, "price": "5.00"})).await;
    assert_eq!(edit.status, StatusCode::OK, "{}", edit.body);
    assert_eq!(newest(&movements(&app, &admin, product).await), (("contagem".into(), -6, 4), 5), "edição do produto");

    // What changes nothing, or is refused, leaves nothing.
    assert_eq!(app.put(&stock, &admin, json!({"stock": 4})).await.status, StatusCode::OK);
    assert_eq!(app.put(&path, &admin, json!({"price": "6.00"})).await.status, StatusCode::OK);
    assert_eq!(app.put(&stock, &admin, json!({"adjustment": -5})).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.sell(&admin, &[(product, 5)]).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(movements(&app, &admin, product).await.len(), 5);
    assert_eq!(app.stock_of(&admin, product).await, 4);
    assert_eq!(unbalanced(&app.database_url).await, vec![]);
}

#[tokio::test]
async fn a_first_version_import_gives_each_product_in_stock_one_opening_movement() {
    let (url, database) = fresh_database().await;
    let run = cli(&url, &["import-v1", first_version_fixture().to_str().unwrap()]).await;
    assert!(run.success, "{}\n{}", run.stdout, run.stderr);
    let mut conn = connect(&url).await;
    let per_product: Vec<(i64, i64, i64, String)> = sqlx::query_as(
        "SELECT p.id, p.stock, COUNT(m.id), COALESCE(MIN(m.reason), '') FROM products p \
         LEFT JOIN stock_movements m ON m.product_id = p.id GROUP BY p.id, p.stock ORDER BY p.id",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    conn.close().await.unwrap();
    assert!(per_product.iter().any(|(_, stock, _, _)| *stock > 0));
    for (id, stock, count, reason) in per_product {
        let expected = if stock == 0 { (0, String::new()) } else { (1, "importacao".to_string()) };
        assert_eq!((count, reason), expected, "produto {id} com estoque {stock}");
    }
    assert_eq!(unbalanced(&url).await, vec![]);
    drop(database);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn stock_is_the_sum_of_movements_after_a_storm_of_sales_adjustments_and_counts_on_two_instances() {
    let first = spawn_app().await;
    let (database, second_guard) = (first.database_url.clone(), sqlite_database().1);
    let second = spawn_app_on(database, second_guard, &[]).await;
    let admin = first.admin_token().await;
    let category = first.create_category(&admin, "Mercearia").await;
    let mut products = Vec::new();
    for i in 0..3 {
        products.push(first.create_product(&admin, &format!("Item {i}"), "2.00", 20, category).await);
    }
    let products = &products;
    let workers = (0..8u64).map(|w| {
        let app = if w % 2 == 0 { &first } else { &second };
        let admin = admin.clone();
        async move {
            let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (w + 1));
            let mut statuses = Vec::new();
            for _ in 0..25 {
                let product = products[rng.below(3) as usize];
                let reply = match rng.below(4) {
                    0 | 1 => app.sell(&admin, &[(product, 1 + rng.below(3)), (products[0], 1)]).await,
                    2 => {
                        let body = json!({"adjustment": rng.below(9) - 4});
                        app.put(&format!("/api/products/{product}/stock"), &admin, body).await
                    }
                    _ => {
                        app.put(&format!("/api/products/{product}/stock"), &admin, json!({"stock": rng.below(15)}))
                            .await
                    }
                };
                statuses.push(reply.status);
            }
            statuses
        }
    });
    let statuses: Vec<StatusCode> = join_all(workers).await.into_iter().flatten().collect();
    assert!(statuses.iter().all(|s| [StatusCode::OK, StatusCode::CREATED, StatusCode::BAD_REQUEST].contains(s)));
    assert!(statuses.contains(&StatusCode::CREATED) && statuses.contains(&StatusCode::OK));

    assert_eq!(unbalanced(&first.database_url).await, vec![]);
    for &product in products {
        let list = movements(&first, &admin, product).await;
        let stock = first.stock_of(&admin, product).await;
        assert!(stock >= 0);
        assert_eq!(list[0]["balance"].as_i64(), Some(stock), "o último movimento deixou o estoque de agora");
    }
    let sold: i64 = first
        .all_sales(&admin)
        .await
        .iter()
        .flat_map(|s| s["items"].as_array().unwrap().clone())
        .map(|item| item["quantity"].as_i64().unwrap())
        .sum();
    let mut conn = connect(&first.database_url).await;
    let taken: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(-SUM(quantity), 0) AS BIGINT) FROM stock_movements WHERE reason = 'venda'",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    conn.close().await.unwrap();
    assert_eq!(taken, sold, "cada unidade vendida é um movimento de venda");
}
