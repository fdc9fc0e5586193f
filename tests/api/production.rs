//! Production mode refuses to start with weak or missing secrets, or while an administrator
//! still has a known default password, and says why without printing any secret.

use reqwest::StatusCode;
use serde_json::json;
use sistema_vendas::App;

use crate::helpers::*;
use crate::instance::*;

async fn refusal(url: &str, vars: &[(&str, &str)]) -> String {
    match App::build(test_config(url, vars)).await {
        Ok(_) => panic!("produção deveria recusar: {vars:?}"),
        Err(error) => format!("{error:#}"),
    }
}

#[tokio::test]
async fn production_refuses_missing_or_weak_secrets_and_names_them() {
    let (url, _database) = fresh_database().await;
    let weak = "abc123";
    let copied = "troque-esta-chave-secreta-por-uma-aleatoria-de-verdade";
    let repeated = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (with(PRODUCTION, &[("JWT_SECRET_KEY", "")]), "JWT_SECRET_KEY não definido"),
        (with(PRODUCTION, &[("SECRET_KEY", "")]), "SECRET_KEY não definido"),
        (with(PRODUCTION, &[("JWT_SECRET_KEY", weak)]), "JWT_SECRET_KEY fraco: tem 6 caracteres"),
        (with(PRODUCTION, &[("SECRET_KEY", weak)]), "SECRET_KEY fraco"),
        (with(PRODUCTION, &[("JWT_SECRET_KEY", copied)]), "JWT_SECRET_KEY parece um valor de exemplo"),
        (with(PRODUCTION, &[("SECRET_KEY", repeated)]), "SECRET_KEY parece um valor de exemplo"),
        (with(PRODUCTION, &[("SECRET_KEY", STRONG_JWT_SECRET)]), "devem ser diferentes"),
        (with(PRODUCTION, &[("ADMIN_PASSWORD", "admin123")]), "ADMIN_PASSWORD é uma senha padrão"),
        // The first version's flags mean production too.
        (
            with(&with(PRODUCTION, &[("APP_ENV", ""), ("FLASK_ENV", "production")]), &[("SECRET_KEY", weak)]),
            "SECRET_KEY",
        ),
        (with(&with(PRODUCTION, &[("APP_ENV", ""), ("DEBUG", "False")]), &[("SECRET_KEY", weak)]), "SECRET_KEY"),
    ];
    for (vars, expected) in cases {
        let error = refusal(&url, &vars).await;
        assert!(error.contains(expected), "{vars:?}: {error}");
        assert!(error.contains("openssl rand") || !expected.contains("KEY"), "says how to make one: {error}");
        for secret in [weak, copied, repeated, STRONG_JWT_SECRET, STRONG_SECRET_KEY] {
            assert!(!error.contains(secret), "the message shows a secret: {error}");
        }
    }
    // Every problem at once, so that one deploy fixes them all.
    let error = refusal(&url, &[("APP_ENV", "production"), ("JWT_SECRET_KEY", weak)]).await;
    assert!(error.contains("JWT_SECRET_KEY") && error.contains("SECRET_KEY não definido"), "{error}");
}

#[tokio::test]
async fn production_starts_with_strong_secrets_and_a_chosen_admin_password() {
    let (url, _database) = fresh_database().await;
    let app = start(test_config(&url, PRODUCTION)).await;
    assert_eq!(app.login("admin", STRONG_ADMIN_PASSWORD).await.status(), StatusCode::OK);
    assert_eq!(app.login("admin", "admin123").await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn production_refuses_to_run_while_an_admin_keeps_a_default_password() {
    // A shop that ran in development (admin / admin123) and is switched to production.
    let dev = spawn_app().await;
    let admin = dev.admin_token().await;
    let error = refusal(&dev.database_url, PRODUCTION).await;
    assert!(error.contains("\"admin\" ainda usa uma senha padrão"), "{error}");
    assert!(error.contains("sistema-vendas reset-password --username admin"), "{error}");
    assert!(!error.contains("admin123"), "{error}");

    // A second administrator with a default password is caught too; an employee is not checked.
    let reply = dev
        .put("/api/auth/password", &admin, json!({"current_password": "admin123", "new_password": "Outra-Senha-99"}))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let admin = reply.body["access_token"].as_str().unwrap().to_string();
    dev.post("/api/users", &admin, json!({"username": "gerente", "password": "123456", "role": "admin"})).await;
    dev.post("/api/users", &admin, json!({"username": "caixa", "password": "admin123", "role": "funcionario"})).await;
    let error = refusal(&dev.database_url, PRODUCTION).await;
    assert!(error.contains("\"gerente\"") && !error.contains("\"admin\"") && !error.contains("caixa"), "{error}");

    // Deactivated, it can no longer log in: production starts.
    let users = dev.get("/api/users", &admin).await.body;
    let gerente =
        users.as_array().unwrap().iter().find(|u| u["username"] == "gerente").unwrap()["id"].as_i64().unwrap();
    let reply = dev.put(&format!("/api/users/{gerente}"), &admin, json!({"active": false})).await;
    assert_eq!(reply.status, StatusCode::OK);
    let app = start(test_config(&dev.database_url, PRODUCTION)).await;
    assert_eq!(app.login("admin", "Outra-Senha-99").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn development_runs_without_secrets() {
    let (url, _database) = fresh_database().await;
    let app = start(test_config(&url, &[("JWT_SECRET_KEY", ""), ("SECRET_KEY", "")])).await;
    assert_eq!(app.login("admin", ADMIN_PASSWORD).await.status(), StatusCode::OK);
}
