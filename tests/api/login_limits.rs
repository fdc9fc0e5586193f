//! Login brute force: failures per username and per client address are held back with 429 and
//! `Retry-After`, a success clears the username's count, the hold ends with the window, and
//! with a shared Redis the counts hold across instances.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;
use crate::instance::*;
use crate::tcp_proxy::{TcpProxy, host_port};

fn redis_url() -> String {
    std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

async fn status_and_error(response: reqwest::Response) -> (StatusCode, Option<u64>, String) {
    let status = response.status();
    let retry_after = response.headers().get("retry-after").map(|v| v.to_str().unwrap().parse().unwrap());
    let body: Value = response.json().await.unwrap_or(Value::Null);
    (status, retry_after, body["error"].as_str().unwrap_or_default().to_string())
}

/// Fails `count` logins of `username` and checks each was an ordinary 401.
async fn fail(app: &Instance, username: &str, count: usize, from: Option<&str>) {
    for _ in 0..count {
        let response = app.login_from(username, "senha-errada", from).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
}

async fn assert_held_back(app: &Instance, username: &str, password: &str, from: Option<&str>, window: u64) {
    let (status, retry_after, error) = status_and_error(app.login_from(username, password, from).await).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{username} from {from:?}");
    let retry_after = retry_after.expect("Retry-After");
    assert!((1..=window).contains(&retry_after), "Retry-After {retry_after}");
    assert_eq!(error, format!("Muitas tentativas. Tente novamente em {retry_after} segundos"));
}

/// An instance on a fresh database with an employee `maria` (password `senha123`).
async fn instance_with_maria(vars: &[(&str, &str)]) -> (Instance, TestDatabase) {
    let (url, database) = fresh_database().await;
    let app = start(test_config(&url, vars)).await;
    let admin = app.token("admin", ADMIN_PASSWORD).await;
    let response = app
        .client
        .post(app.url("/api/users"))
        .bearer_auth(&admin)
        .json(&serde_json::json!({"username": "maria", "password": "senha123"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    (app, database)
}

#[tokio::test]
async fn failures_of_one_username_are_held_back_even_with_the_right_password() {
    let (app, _database) = instance_with_maria(&[("LOGIN_MAX_FAILURES", "3")]).await;
    fail(&app, "admin", 3, None).await;
    assert_held_back(&app, "admin", ADMIN_PASSWORD, None, 900).await;
    // The same name typed in another case or with spaces is the same name.
    assert_held_back(&app, " ADMIN ", "x", None, 900).await;
    // Another user at the same address still logs in: the address limit is higher.
    assert_eq!(app.login("maria", "senha123").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn failures_from_one_address_are_held_back_across_usernames() {
    let vars = [("LOGIN_MAX_FAILURES_PER_IP", "4"), ("TRUST_PROXY", "1")];
    let (app, _database) = instance_with_maria(&vars).await;
    for name in ["joao", "ana", "pedro", "carla"] {
        fail(&app, name, 1, Some("203.0.113.9")).await;
    }
    assert_held_back(&app, "maria", "senha123", Some("203.0.113.9"), 900).await;
    // Behind the trusted proxy, another client address is another count.
    assert_eq!(app.login_from("maria", "senha123", Some("198.51.100.20")).await.status(), StatusCode::OK);
    // The proxy appends the real address: what the client wrote further left is ignored.
    let spoofed = app.login_from("maria", "senha123", Some("198.51.100.20, 203.0.113.9")).await;
    assert_eq!(spoofed.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn without_a_trusted_proxy_forwarded_addresses_do_not_escape_the_limit() {
    let (app, _database) = instance_with_maria(&[("LOGIN_MAX_FAILURES_PER_IP", "2")]).await;
    fail(&app, "joao", 1, Some("203.0.113.1")).await;
    fail(&app, "ana", 1, Some("203.0.113.2")).await;
    assert_held_back(&app, "pedro", "x", Some("203.0.113.3"), 900).await;
}

#[tokio::test]
async fn a_successful_login_clears_the_usernames_failures() {
    let (app, _database) =
        instance_with_maria(&[("LOGIN_MAX_FAILURES", "3"), ("LOGIN_MAX_FAILURES_PER_IP", "5")]).await;
    fail(&app, "maria", 2, None).await;
    assert_eq!(app.login("maria", "senha123").await.status(), StatusCode::OK);
    fail(&app, "maria", 2, None).await;
    assert_eq!(app.login("maria", "senha123").await.status(), StatusCode::OK);
    // Successes did not use up the address's allowance either: 4 failures so far, limit 5.
    fail(&app, "joao", 1, None).await;
    assert_held_back(&app, "ana", "x", None, 900).await;
}

#[tokio::test]
async fn the_hold_ends_with_the_window() {
    let vars = [("LOGIN_MAX_FAILURES", "2"), ("LOGIN_WINDOW_SECONDS", "1")];
    let (app, _database) = instance_with_maria(&vars).await;
    fail(&app, "maria", 2, None).await;
    assert_held_back(&app, "maria", "senha123", None, 1).await;
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let status = app.login("maria", "senha123").await.status();
        if status == StatusCode::OK {
            break;
        }
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert!(Instant::now() < deadline, "still held back after the window");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn instances_sharing_redis_share_the_counts() {
    let (url, _database) = fresh_database().await;
    let redis = redis_url();
    let vars = [("LOGIN_MAX_FAILURES", "3"), ("REDIS_URL", redis.as_str())];
    let first = start(test_config(&url, &vars)).await;
    let second = start(test_config(&url, &vars)).await;
    fail(&first, "admin", 2, None).await;
    fail(&second, "admin", 1, None).await;
    assert_held_back(&first, "admin", ADMIN_PASSWORD, None, 900).await;
    assert_held_back(&second, "admin", ADMIN_PASSWORD, None, 900).await;
}

#[tokio::test]
async fn without_redis_each_instance_counts_alone() {
    let (url, _database) = fresh_database().await;
    let vars = [("LOGIN_MAX_FAILURES", "3")];
    let first = start(test_config(&url, &vars)).await;
    let second = start(test_config(&url, &vars)).await;
    fail(&first, "admin", 3, None).await;
    assert_held_back(&first, "admin", ADMIN_PASSWORD, None, 900).await;
    assert_eq!(second.login("admin", ADMIN_PASSWORD).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn redis_going_away_falls_back_to_counting_in_the_instance() {
    let redis = TcpProxy::start(&host_port(&redis_url(), 6379)).await;
    let (url, _database) = fresh_database().await;
    let redis_url = redis.route(&redis_url());
    let app = start(test_config(&url, &[("LOGIN_MAX_FAILURES", "2"), ("REDIS_URL", redis_url.as_str())])).await;
    redis.stop();
    let started = Instant::now();
    fail(&app, "admin", 2, None).await;
    assert_held_back(&app, "admin", ADMIN_PASSWORD, None, 900).await;
    assert!(started.elapsed() < Duration::from_secs(10), "logins waited {:?} for Redis", started.elapsed());
}

#[tokio::test]
async fn a_configured_redis_that_cannot_be_reached_stops_the_start_without_showing_its_password() {
    let (url, _database) = fresh_database().await;
    let config = test_config(&url, &[("REDIS_URL", "redis://:s3nha-do-redis@127.0.0.1:1/0")]);
    let error = format!("{:#}", sistema_vendas::App::build(config).await.err().expect("must refuse"));
    assert!(error.contains("Redis") && error.contains("redis://:***@127.0.0.1:1/0"), "{error}");
    assert!(!error.contains("s3nha-do-redis"), "{error}");
}
