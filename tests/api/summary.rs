use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn the_summary_counts_today_this_month_and_everything() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let category = app.create_category(&admin, "Mercearia").await;
    let cafe = app.create_product(&admin, "Café", "10.00", 100, category).await;
    let pao = app.create_product(&admin, "Pão", "0.50", 100, category).await;
    let leite = app.create_product(&admin, "Leite", "4.25", 100, category).await;
    app.sell(&admin, &[(cafe, 1), (pao, 10)]).await;
    app.sell(&admin, &[(leite, 2)]).await;

    let reply = app.get("/api/sales/reports/summary", &admin).await;
    assert_eq!(reply.status, StatusCode::OK);
    let s = &reply.body;
    for field in ["today_sales", "month_sales", "total_sales"] {
        assert_eq!(cents(&s[field]), 1000 + 500 + 850, "{field}");
    }
    assert_eq!(s["today_count"], 2);
    assert_eq!(s["month_count"], 2);
    assert_eq!(s["total_count"], 2);
    assert_eq!(cents(&s["average_ticket"]), 1175);
    let top: Vec<(&str, i64)> = s["top_products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["total_sold"].as_i64().unwrap()))
        .collect();
    assert_eq!(top, [("Pão", 10), ("Leite", 2), ("Café", 1)]);
    let daily = s["daily"].as_array().unwrap();
    assert_eq!(daily.len(), 30);
    assert_eq!(daily[29]["count"], 2);
    assert_eq!(cents(&daily[29]["total"]), 2350);
    assert_eq!(daily[0]["count"], 0);
    assert_eq!(s["timezone"], "America/Sao_Paulo");
}

#[tokio::test]
async fn top_products_are_the_five_best_sellers() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let category = app.create_category(&admin, "Mercearia").await;
    let mut products = Vec::new();
    for i in 1..=7 {
        products.push(app.create_product(&admin, &format!("P{i}"), "1.00", 100, category).await);
    }
    for (i, product) in products.iter().enumerate() {
        app.sell(&admin, &[(*product, i as i64 + 1)]).await;
    }
    let s = app.get("/api/sales/reports/summary", &admin).await.body;
    let names: Vec<&str> = s["top_products"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["P7", "P6", "P5", "P4", "P3"]);
}

#[tokio::test]
async fn an_empty_shop_has_a_zero_summary() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let s = app.get("/api/sales/reports/summary", &admin).await.body;
    assert_eq!(cents(&s["total_sales"]), 0);
    assert_eq!(cents(&s["average_ticket"]), 0);
    assert_eq!(s["top_products"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn the_summary_is_for_admins_only() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (_, employee) = app.create_user(&admin, "caixa", "funcionario").await;
    let reply = app.get("/api/sales/reports/summary", &employee).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(reply.error().starts_with("Acesso negado. Apenas administradores"));
}
