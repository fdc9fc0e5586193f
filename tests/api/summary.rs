use reqwest::StatusCode;
use serde_json::json;

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
async fn a_product_sold_by_weight_counts_its_kilograms_among_the_best_sellers() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let category = app.create_category(&admin, "Frios").await;
    let cheese = app
        .post(
            "/api/products",
            &admin,
            json!({"name": "Queijo", "price": "40.00", "stock": "10", "unit": "KG", "category_id": category}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let bread = app.create_product(&admin, "Pão", "1.00", 100, category).await;
    let reply = app.post("/api/sales", &admin, json!({"items": [{"product_id": cheese, "quantity": "2.5"}]})).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    app.sell(&admin, &[(bread, 3)]).await;

    let s = app.get("/api/sales/reports/summary", &admin).await.body;
    let top: Vec<(&str, f64, &str)> = s["top_products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["total_sold"].as_f64().unwrap(), p["unit"].as_str().unwrap()))
        .collect();
    // 2.5 kg is 2.5 units, not 2,500 grams: the 3 loaves come first.
    assert_eq!(top, [("Pão", 3.0, "UN"), ("Queijo", 2.5, "KG")]);
    assert_eq!(cents(&s["top_products"][1]["total_amount"]), 10_000);
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

/// Kiritimati (UTC+14) and Pago Pago (UTC-11) are always on different calendar dates.
#[tokio::test]
async fn days_follow_the_business_time_zone_and_are_recounted_when_it_changes() {
    let (url, _database) = fresh_database().await;
    let start = |zone: &'static str| {
        let url = url.clone();
        async move {
            let app = sistema_vendas::App::build(test_config(&url, &[("BUSINESS_TIMEZONE", zone)])).await.unwrap();
            let address = format!("http://{}", app.local_addr());
            let (tx, rx) = tokio::sync::oneshot::channel::<()>();
            let server = tokio::spawn(app.run_until(async move {
                let _ = rx.await;
            }));
            (address, tx, server)
        }
    };
    let client = reqwest::Client::new();
    let token = |address: String| {
        let client = client.clone();
        async move {
            let login: serde_json::Value = client
                .post(format!("{address}/api/auth/login"))
                .json(&serde_json::json!({"username": "admin", "password": ADMIN_PASSWORD}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            login["access_token"].as_str().unwrap().to_string()
        }
    };
    let local_today = |zone: chrono_tz::Tz| chrono::Utc::now().with_timezone(&zone).format("%Y-%m-%d").to_string();

    let (address, stop, server) = start("Pacific/Kiritimati").await;
    let admin = token(address.clone()).await;
    let category: serde_json::Value = client
        .post(format!("{address}/api/categories"))
        .bearer_auth(&admin)
        .json(&serde_json::json!({"name": "X"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let product: serde_json::Value = client
        .post(format!("{address}/api/products"))
        .bearer_auth(&admin)
        .json(&serde_json::json!({"name": "Y", "price": 3, "stock": 5, "category_id": category["id"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let sold = client
        .post(format!("{address}/api/sales"))
        .bearer_auth(&admin)
        .json(&serde_json::json!({"items": [{"product_id": product["id"], "quantity": 1}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(sold.status(), StatusCode::CREATED);
    let summary: serde_json::Value = client
        .get(format!("{address}/api/sales/reports/summary"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(summary["timezone"], "Pacific/Kiritimati");
    assert_eq!(summary["daily"][29]["date"], local_today(chrono_tz::Pacific::Kiritimati));
    assert_eq!(summary["today_count"], 1);
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();

    let (address, stop, server) = start("Pacific/Pago_Pago").await;
    let summary: serde_json::Value = client
        .get(format!("{address}/api/sales/reports/summary"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(summary["timezone"], "Pacific/Pago_Pago");
    assert_eq!(summary["daily"][29]["date"], local_today(chrono_tz::Pacific::Pago_Pago));
    assert_eq!(summary["today_count"], 1, "the sale is recounted on the new zone's date");
    assert_eq!(summary["daily"][29]["count"], 1);
    assert_eq!(summary["daily"][28]["count"], 0);
    // A date filter is read in the new zone too.
    let today = local_today(chrono_tz::Pacific::Pago_Pago);
    let list: serde_json::Value = client
        .get(format!("{address}/api/sales?start_date={today}&end_date={today}"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1);
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}

/// The summary keeps what it read in memory; a sale or a rename made through another instance
/// on the same database shows in the very next summary all the same.
#[tokio::test]
async fn the_next_summary_shows_what_another_instance_just_did() {
    let app = spawn_app().await;
    let other = crate::instance::start(test_config(&app.database_url, &[])).await;
    let admin = app.admin_token().await;
    let category = app.create_category(&admin, "Mercearia").await;
    let cafe = app.create_product(&admin, "Café", "2.00", 100, category).await;
    let pao = app.create_product(&admin, "Pão", "0.50", 100, category).await;
    let summary = || async { app.get("/api/sales/reports/summary", &admin).await.body };
    let top = |s: &serde_json::Value| -> Vec<(String, i64)> {
        s["top_products"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["name"].as_str().unwrap().to_string(), p["total_sold"].as_i64().unwrap()))
            .collect()
    };
    let sell_elsewhere = |product: i64, quantity: i64| {
        let body = serde_json::json!({"items": [{"product_id": product, "quantity": quantity}]});
        let request = other.client.post(other.url("/api/sales")).bearer_auth(&admin).json(&body).send();
        async move { assert_eq!(request.await.unwrap().status(), StatusCode::CREATED) }
    };

    assert_eq!(summary().await["today_count"], 0);
    sell_elsewhere(cafe, 2).await;
    let s = summary().await;
    assert_eq!((s["today_count"].as_i64(), cents(&s["today_sales"])), (Some(1), 400));
    assert_eq!(top(&s), [("Café".to_string(), 2)]);

    sell_elsewhere(pao, 3).await;
    let renamed = other
        .client
        .put(other.url(&format!("/api/products/{cafe}")))
        .bearer_auth(&admin)
        .json(&serde_json::json!({"name": "Café Torrado"}))
        .send()
        .await
        .unwrap();
    assert_eq!(renamed.status(), StatusCode::OK);
    let s = summary().await;
    assert_eq!((s["total_count"].as_i64(), cents(&s["month_sales"])), (Some(2), 550));
    assert_eq!(top(&s), [("Pão".to_string(), 3), ("Café Torrado".to_string(), 2)]);
    assert_eq!(cents(&s["daily"][29]["total"]), 550);
}
