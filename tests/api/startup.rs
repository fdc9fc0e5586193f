use reqwest::StatusCode;
use sistema_vendas::App;

use crate::helpers::*;

#[tokio::test]
async fn a_second_instance_on_the_same_database_shares_data_and_sessions() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    app.create_category(&admin, "Bebidas").await;
    let second = App::build(test_config(&app.database_url, &[])).await.unwrap();
    let address = format!("http://{}", second.local_addr());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(second.run_until(async move {
        let _ = rx.await;
    }));
    let response = app.client.get(format!("{address}/api/categories")).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "the token works on the other instance");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body.as_array().unwrap().len(), 1);
    let users = app.get("/api/users", &admin).await.body;
    assert_eq!(users.as_array().unwrap().len(), 1, "the admin was created once");
    tx.send(()).unwrap();
    server.await.unwrap().unwrap();
}

#[tokio::test]
async fn instances_starting_at_once_on_a_new_database_all_come_up_with_one_admin() {
    let (url, _database) = fresh_database().await;
    let builds = (0..4).map(|_| App::build(test_config(&url, &[])));
    let apps: Vec<App> =
        futures_util::future::join_all(builds).await.into_iter().map(|b| b.expect("every instance starts")).collect();
    let address = format!("http://{}", apps[0].local_addr());
    let app = apps.into_iter().next().unwrap();
    tokio::spawn(app.run_until(std::future::pending()));
    let client = reqwest::Client::new();
    let login: serde_json::Value = client
        .post(format!("{address}/api/auth/login"))
        .json(&serde_json::json!({"username": "admin", "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["access_token"].as_str().unwrap();
    let users: serde_json::Value =
        client.get(format!("{address}/api/users")).bearer_auth(token).send().await.unwrap().json().await.unwrap();
    assert_eq!(users.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_generated_jwt_secret_is_kept_across_restarts() {
    let (url, _database) = fresh_database().await;
    let vars = [("JWT_SECRET_KEY", "")];
    let first = App::build(test_config(&url, &vars)).await.unwrap();
    let first_address = format!("http://{}", first.local_addr());
    tokio::spawn(first.run_until(std::future::pending()));
    let client = reqwest::Client::new();
    let login: serde_json::Value = client
        .post(format!("{first_address}/api/auth/login"))
        .json(&serde_json::json!({"username": "admin", "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["access_token"].as_str().unwrap();
    let second = App::build(test_config(&url, &vars)).await.unwrap();
    let second_address = format!("http://{}", second.local_addr());
    tokio::spawn(second.run_until(std::future::pending()));
    let response = client.get(format!("{second_address}/api/auth/me")).bearer_auth(token).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    // And a token signed with another secret is refused there.
    let other = spawn_app().await;
    let foreign = other.admin_token().await;
    let response = client.get(format!("{second_address}/api/auth/me")).bearer_auth(&foreign).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn production_refuses_to_create_the_first_admin_without_a_password() {
    let (url, _database) = fresh_database().await;
    let production = [("APP_ENV", "production"), ("SECRET_KEY", crate::instance::STRONG_SECRET_KEY)];
    let error = App::build(test_config(&url, &production)).await.err().expect("must refuse").to_string();
    assert!(error.contains("ADMIN_PASSWORD"), "{error}");
    let app =
        App::build(test_config(&url, &[production[0], production[1], ("ADMIN_PASSWORD", "uma-senha-forte-2026")]))
            .await;
    assert!(app.is_ok());
}
