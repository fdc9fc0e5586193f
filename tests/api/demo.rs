//! `sistema-vendas demo`: an empty database becomes a shop worth looking at, whose ledger holds,
//! and a database that already holds a shop is left alone.

use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn the_demo_shop_opens_with_products_users_and_ninety_days_of_sales() {
    let (url, database) = fresh_database().await;
    let run = cli(&url, &["demo"]).await;
    assert!(run.success, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("Loja de demonstração gravada"), "{}", run.stdout);
    let check = cli(&url, &["check"]).await;
    assert!(
        check.success
            && check
                .stdout
                .contains("o estoque de cada produto, em cada loja e no total, é a soma dos seus movimentos"),
        "{}",
        check.stdout
    );
    let again = cli(&url, &["demo"]).await;
    assert!(!again.success && again.stderr.contains("o banco de destino já tem dados"), "{}", again.stderr);

    let app = spawn_app_on(url, database, &[]).await;
    let admin = app.admin_token().await;
    let products = app.get("/api/products?per_page=100", &admin).await.body;
    assert!(products["total"].as_i64().unwrap() >= 250, "{}", products["total"]);
    let barcode =
        products["products"].as_array().unwrap().iter().find_map(|p| p["barcode"].as_str()).unwrap().to_string();
    let found = app.get(&format!("/api/products/lookup?code={barcode}"), &admin).await;
    assert_eq!((found.status, found.body["source"].as_str()), (StatusCode::OK, Some("codigo_de_barras")));
    let weighed = app.get("/api/products?search=muçarela", &admin).await.body;
    assert_eq!(weighed["products"][0]["unit"], "KG");

    let cashier = app.token("maria", "caixa123").await;
    let sales = app.get("/api/sales?per_page=1", &cashier).await.body;
    assert!(sales["total"].as_i64().unwrap() > 1000, "{}", sales["total"]);
    let summary = app.get("/api/sales/reports/summary", &admin).await.body;
    assert!(cents(&summary["month_sales"]) > 0, "{summary}");
    assert_eq!(summary["top_products"].as_array().map(Vec::len), Some(5));
    let total = app.get("/api/sales?per_page=1", &admin).await.body["total"].as_i64().unwrap();
    let oldest = app.get(&format!("/api/sales?per_page=1&page={total}"), &admin).await.body;
    let oldest = chrono::DateTime::parse_from_rfc3339(oldest["sales"][0]["timestamp"].as_str().unwrap()).unwrap();
    let days = (chrono::Utc::now() - oldest.to_utc()).num_days();
    assert!((88..=90).contains(&days), "a venda mais antiga é de {days} dias atrás");
    let movements = app.get(&format!("/api/products/{}/movements", products["products"][0]["id"]), &admin).await.body;
    let kinds: Vec<&str> =
        movements["movements"].as_array().unwrap().iter().filter_map(|m| m["type"].as_str()).collect();
    assert!(kinds.contains(&"venda"), "{kinds:?}");
}
