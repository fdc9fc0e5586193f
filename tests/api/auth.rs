use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn admin_logs_in_with_the_default_password_and_gets_a_token_and_user() {
    let app = spawn_app().await;
    let reply = app.login("admin", "admin123").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body["access_token"].as_str().unwrap().len() > 20);
    let user = &reply.body["user"];
    assert_eq!(user["username"], "admin");
    assert_eq!(user["role"], "admin");
    assert!(user["id"].is_i64());
    assert!(user["created_at"].as_str().unwrap().ends_with('Z'));
    assert!(reply.body["expires_at"].is_string());
}

#[tokio::test]
async fn login_without_username_or_password_is_400() {
    let app = spawn_app().await;
    for body in [
        json!({}),
        json!({"username": "admin"}),
        json!({"password": "x"}),
        json!({"username": "", "password": ""}),
        json!({"username": 1, "password": 2}),
    ] {
        let reply = app.request(Method::POST, "/api/auth/login", None, Some(body)).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert_eq!(reply.error(), "Username e password são obrigatórios");
    }
    let reply = app.send_raw(Method::POST, "/api/auth/login", None, "").await;
    assert_eq!(reply.error(), "Username e password são obrigatórios");
}

#[tokio::test]
async fn wrong_password_or_unknown_user_is_401_invalid_credentials() {
    let app = spawn_app().await;
    for (user, password) in [("admin", "wrong"), ("nobody", "admin123"), ("ADMIN", "admin123")] {
        let reply = app.login(user, password).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert_eq!(reply.error(), "Credenciais inválidas");
    }
}

#[tokio::test]
async fn me_returns_the_caller() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let reply = app.get("/api/auth/me", &token).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["username"], "admin");
}

#[tokio::test]
async fn the_token_subject_is_a_string() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let payload = token.split('.').nth(1).unwrap();
    use base64_decode::decode;
    let claims: serde_json::Value = serde_json::from_slice(&decode(payload)).unwrap();
    assert!(claims["sub"].is_string(), "{claims}");
}

/// Minimal base64url decoding for reading a JWT payload in a test.
mod base64_decode {
    pub fn decode(text: &str) -> Vec<u8> {
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut bits = 0u32;
        let mut count = 0;
        let mut out = Vec::new();
        for c in text.bytes() {
            let value = alphabet.iter().position(|a| *a == c).unwrap() as u32;
            bits = (bits << 6) | value;
            count += 6;
            if count >= 8 {
                count -= 8;
                out.push((bits >> count) as u8);
                bits &= (1 << count) - 1;
            }
        }
        out
    }
}

fn token_with(claims: serde_json::Value, secret: &str) -> String {
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &EncodingKey::from_secret(secret.as_bytes()).unwrap())
        .unwrap()
}

fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

#[tokio::test]
async fn every_token_problem_is_401_with_an_error_message() {
    let app = spawn_app().await;
    let good = app.admin_token().await;
    let expired = token_with(
        json!({"sub": "1", "iat": now() - 7200, "exp": now() - 3600, "ver": 0, "role": "admin"}),
        JWT_SECRET,
    );
    let forged = token_with(
        json!({"sub": "1", "iat": now(), "exp": now() + 3600, "ver": 0, "role": "admin"}),
        "another-secret-another-secret-another",
    );
    let numeric_sub =
        token_with(json!({"sub": 1, "iat": now(), "exp": now() + 3600, "ver": 0, "role": "admin"}), JWT_SECRET);
    let unknown_user =
        token_with(json!({"sub": "999", "iat": now(), "exp": now() + 3600, "ver": 0, "role": "admin"}), JWT_SECRET);
    let no_exp = token_with(json!({"sub": "1", "ver": 0, "role": "admin"}), JWT_SECRET);
    let cases: Vec<(&str, Option<String>)> = vec![
        ("missing", None),
        ("not bearer", Some(format!("Token {good}"))),
        ("empty bearer", Some("Bearer ".into())),
        ("garbage", Some("Bearer abc.def.ghi".into())),
        ("expired", Some(format!("Bearer {expired}"))),
        ("forged", Some(format!("Bearer {forged}"))),
        ("numeric sub", Some(format!("Bearer {numeric_sub}"))),
        ("unknown user", Some(format!("Bearer {unknown_user}"))),
        ("no exp", Some(format!("Bearer {no_exp}"))),
        ("alg none", Some(format!("Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{}.", good.split('.').nth(1).unwrap()))),
    ];
    for (case, header) in cases {
        let mut request = app.client.get(app.url("/api/auth/me"));
        if let Some(header) = header {
            request = request.header("authorization", header);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{case}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert!(body["error"].is_string(), "{case}: {body}");
    }
}

#[tokio::test]
async fn an_expired_token_says_the_session_expired() {
    let app = spawn_app().await;
    let expired = token_with(
        json!({"sub": "1", "iat": now() - 7200, "exp": now() - 3600, "ver": 0, "role": "admin"}),
        JWT_SECRET,
    );
    let reply = app.get("/api/auth/me", &expired).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.error(), "Sessão expirada. Faça login novamente");
}

#[tokio::test]
async fn tokens_expire_after_the_configured_lifetime() {
    let app = spawn_app_with(&[("JWT_ACCESS_TOKEN_EXPIRES", "1")]).await;
    let token = app.admin_token().await;
    assert_eq!(app.get("/api/auth/me", &token).await.status, StatusCode::OK);
    // Validation allows 5 seconds of clock leeway.
    tokio::time::sleep(std::time::Duration::from_secs(7)).await;
    assert_eq!(app.get("/api/auth/me", &token).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_user_changes_their_own_password_and_old_sessions_end() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (_, maria) = app.create_user(&admin, "maria", "funcionario").await;
    let other_session = app.token("maria", "senha123").await;

    let reply = app
        .put("/api/auth/password", &maria, json!({"current_password": "errada", "new_password": "nova-senha"}))
        .await;
    assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, "Senha atual incorreta"));
    let reply =
        app.put("/api/auth/password", &maria, json!({"current_password": "senha123", "new_password": "123"})).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, "Senha deve ter pelo menos 6 caracteres"));

    let reply = app
        .put("/api/auth/password", &maria, json!({"current_password": "senha123", "new_password": "nova-senha"}))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["message"], "Senha alterada com sucesso");
    let fresh = reply.body["access_token"].as_str().unwrap();
    assert_eq!(app.get("/api/auth/me", fresh).await.status, StatusCode::OK);
    assert_eq!(app.get("/api/auth/me", &other_session).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.login("maria", "senha123").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.login("maria", "nova-senha").await.status, StatusCode::OK);
}
