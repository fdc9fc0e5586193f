//! Login brute force. Failures are held back per (username, client address) with a delay that
//! grows with each failure, once the username or the address has had too many: an attacker
//! anywhere cannot keep a user out from an address the attack does not come from, nor the other
//! users behind the attacker's address. An address past its limit gets no password checked for
//! names that do not exist. With a shared Redis the counts hold across instances; without it (or
//! when it goes away) each instance counts alone.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;
use crate::instance::*;
use crate::tcp_proxy::{TcpProxy, host_port};

const ATTACKER: &str = "203.0.113.66";
const SHOP: &str = "198.51.100.7";

fn redis_url() -> String {
    std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

/// The counts in the instance's memory, then in Redis: each test that says so runs on both.
fn backends() -> [Vec<(&'static str, String)>; 2] {
    [vec![], vec![("REDIS_URL", redis_url())]]
}

/// A backend's settings plus `extra`.
fn on<'a>(backend: &'a [(&'static str, String)], extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    backend.iter().map(|(k, v)| (*k, v.as_str())).chain(extra.iter().copied()).collect()
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
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{username} from {from:?}");
    }
}

/// The login is held back; returns its `Retry-After`.
async fn assert_held_back(app: &Instance, username: &str, password: &str, from: Option<&str>, most: u64) -> u64 {
    let (status, retry_after, error) = status_and_error(app.login_from(username, password, from).await).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{username} from {from:?}");
    let retry_after = retry_after.expect("Retry-After");
    assert!((1..=most).contains(&retry_after), "Retry-After {retry_after}");
    assert_eq!(error, format!("Muitas tentativas. Tente novamente em {retry_after} segundos"));
    retry_after
}

async fn assert_logs_in(app: &Instance, username: &str, password: &str, from: Option<&str>) {
    let response = app.login_from(username, password, from).await;
    assert_eq!(response.status(), StatusCode::OK, "{username} from {from:?}");
}

async fn metric(app: &Instance, name: &str) -> f64 {
    let text = app.client.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or_else(|| panic!("{name} missing in:\n{text}"))
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
async fn an_attack_on_admin_keeps_out_neither_admin_elsewhere_nor_the_employees_behind_the_attacker() {
    for backend in backends() {
        let (app, _database) = instance_with_maria(&on(&backend, &[("TRUST_PROXY", "1")])).await;
        let (mut refused, mut held_back) = (0, 0);
        for _ in 0..200 {
            match app.login_from("admin", "senha-errada", Some(ATTACKER)).await.status() {
                StatusCode::UNAUTHORIZED => refused += 1,
                StatusCode::TOO_MANY_REQUESTS => held_back += 1,
                other => panic!("{other}"),
            }
        }
        // Five passwords were checked (LOGIN_MAX_FAILURES); the rest waited without one.
        assert_eq!((refused, held_back), (5, 195), "{backend:?}");
        let started = Instant::now();
        assert_logs_in(&app, "admin", ADMIN_PASSWORD, Some(SHOP)).await;
        assert_logs_in(&app, "maria", "senha123", Some(ATTACKER)).await;
        assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
        // Where the failures came from, the right password waits too: it cannot be told apart.
        assert_held_back(&app, "admin", ADMIN_PASSWORD, Some(ATTACKER), 16).await;
        assert_eq!(metric(&app, "sistema_vendas_login_failures_total").await, 5.0);
        assert_eq!(metric(&app, "sistema_vendas_login_blocked_total").await, 196.0);
        assert_eq!(metric(&app, "sistema_vendas_login_limit_reached_total{scope=\"username\"}").await, 1.0);
    }
}

#[tokio::test]
async fn a_held_back_pair_waits_twice_as_long_after_each_failure() {
    for backend in backends() {
        let (app, _database) = instance_with_maria(&on(&backend, &[("LOGIN_MAX_FAILURES", "1")])).await;
        for expected in [1, 2, 4] {
            fail(&app, "maria", 1, None).await;
            let retry_after = assert_held_back(&app, "maria", "senha123", None, expected).await;
            assert_eq!(retry_after, expected, "{backend:?}");
            if expected < 4 {
                tokio::time::sleep(Duration::from_secs(expected)).await;
            }
        }
        // Another name from the same address does not wait.
        assert_logs_in(&app, "admin", ADMIN_PASSWORD, None).await;
    }
}

#[tokio::test]
async fn parallel_wrong_passwords_get_no_more_checks_than_the_limit() {
    for backend in backends() {
        let (app, _database) = instance_with_maria(&on(&backend, &[("LOGIN_MAX_FAILURES", "3")])).await;
        let attempts = (0..40).map(|_| app.login_from("admin", "senha-errada", None));
        let statuses: Vec<StatusCode> =
            futures_util::future::join_all(attempts).await.iter().map(reqwest::Response::status).collect();
        let refused = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
        let held_back = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
        assert_eq!((refused, held_back), (3, 37), "{backend:?}");
    }
}

#[tokio::test]
async fn an_address_trying_many_names_gets_no_passwords_checked_for_unknown_ones_and_its_users_still_log_in() {
    for backend in backends() {
        let (app, _database) =
            instance_with_maria(&on(&backend, &[("TRUST_PROXY", "1"), ("LOGIN_MAX_FAILURES_PER_IP", "5")])).await;
        for i in 0..30 {
            fail(&app, &format!("usuario{i}"), 1, Some(ATTACKER)).await;
        }
        assert_eq!(metric(&app, "sistema_vendas_login_checks_spared_total").await, 25.0);
        assert_eq!(metric(&app, "sistema_vendas_login_limit_reached_total{scope=\"address\"}").await, 1.0);
        assert_logs_in(&app, "maria", "senha123", Some(ATTACKER)).await;
        // A real name from that address gets its password checked once, then waits.
        fail(&app, "admin", 1, Some(ATTACKER)).await;
        assert_held_back(&app, "admin", ADMIN_PASSWORD, Some(ATTACKER), 1).await;
        assert_logs_in(&app, "admin", ADMIN_PASSWORD, Some(SHOP)).await;
    }
}

#[tokio::test]
async fn the_same_name_typed_in_another_case_or_with_spaces_is_held_back_alike() {
    let (app, _database) = instance_with_maria(&[("LOGIN_MAX_FAILURES", "3")]).await;
    fail(&app, "admin", 3, None).await;
    assert_held_back(&app, "admin", ADMIN_PASSWORD, None, 4).await;
    assert_held_back(&app, " ADMIN ", "x", None, 4).await;
    assert_held_back(&app, "Admin", "x", None, 4).await;
    assert_logs_in(&app, "maria", "senha123", None).await;
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_address_counts_and_what_the_client_wrote_does_not() {
    let vars = [("LOGIN_MAX_FAILURES", "2"), ("TRUST_PROXY", "1")];
    let (app, _database) = instance_with_maria(&vars).await;
    fail(&app, "maria", 2, Some("203.0.113.9")).await;
    assert_held_back(&app, "maria", "senha123", Some("203.0.113.9"), 2).await;
    // Behind the trusted proxy, another client address is another count.
    assert_logs_in(&app, "maria", "senha123", Some("198.51.100.20")).await;
    // The proxy appends the real address: what the client wrote further left is ignored.
    assert_held_back(&app, "maria", "senha123", Some("198.51.100.20, 203.0.113.9"), 2).await;
}

#[tokio::test]
async fn without_a_trusted_proxy_forwarded_addresses_do_not_escape_the_hold() {
    let (app, _database) = instance_with_maria(&[("LOGIN_MAX_FAILURES", "2")]).await;
    fail(&app, "admin", 1, Some("203.0.113.1")).await;
    fail(&app, "admin", 1, Some("203.0.113.2")).await;
    assert_held_back(&app, "admin", ADMIN_PASSWORD, Some("203.0.113.3"), 2).await;
}

#[tokio::test]
async fn a_success_forgets_the_failures_of_its_address_for_that_user_only() {
    let vars = [("LOGIN_MAX_FAILURES", "3"), ("LOGIN_MAX_FAILURES_PER_IP", "5"), ("TRUST_PROXY", "1")];
    let (app, _database) = instance_with_maria(&vars).await;
    // A cashier who mistypes and then gets it right never waits, however often it happens.
    for _ in 0..4 {
        fail(&app, "maria", 2, Some(SHOP)).await;
        assert_logs_in(&app, "maria", "senha123", Some(SHOP)).await;
    }
    // Nor did those typos count against the shop's address: four unknown names still get checked.
    for name in ["joao", "ana", "pedro", "carla"] {
        fail(&app, name, 1, Some(SHOP)).await;
    }
    assert_eq!(metric(&app, "sistema_vendas_login_checks_spared_total").await, 0.0);
    // Admin's success at the shop does not forgive the attacker's failures.
    fail(&app, "admin", 3, Some(ATTACKER)).await;
    assert_logs_in(&app, "admin", ADMIN_PASSWORD, Some(SHOP)).await;
    assert_held_back(&app, "admin", ADMIN_PASSWORD, Some(ATTACKER), 4).await;
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
    assert_held_back(&first, "admin", ADMIN_PASSWORD, None, 4).await;
    assert_held_back(&second, "admin", ADMIN_PASSWORD, None, 4).await;
}

#[tokio::test]
async fn without_redis_each_instance_counts_alone() {
    let (url, _database) = fresh_database().await;
    let vars = [("LOGIN_MAX_FAILURES", "3")];
    let first = start(test_config(&url, &vars)).await;
    let second = start(test_config(&url, &vars)).await;
    fail(&first, "admin", 3, None).await;
    assert_held_back(&first, "admin", ADMIN_PASSWORD, None, 4).await;
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
    assert_held_back(&app, "admin", ADMIN_PASSWORD, None, 2).await;
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
