//! `FORCE_HTTPS` sends plain-HTTP visitors to the shop's own HTTPS address (`PUBLIC_URL`),
//! never to whatever `Host` a client sent (a redirect to `https://evil.example/...`).

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

#[tokio::test]
async fn plain_http_is_redirected_to_the_public_address_the_host_names_or_else_the_first() {
    let public = [("FORCE_HTTPS", "true"), ("PUBLIC_URL", "https://loja.example.com, https://www.loja.example.com/")];
    let app = spawn_app_with(&public).await;
    let client = no_redirects();
    for (host, location) in [
        ("evil.example", "https://loja.example.com/vendas?x=1"),
        ("www.loja.example.com", "https://www.loja.example.com/vendas?x=1"),
        ("LOJA.Example.com:80", "https://loja.example.com/vendas?x=1"),
        ("loja.example.com.evil.example", "https://loja.example.com/vendas?x=1"),
    ] {
        let response = client.get(app.url("/vendas?x=1")).header("host", host).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::PERMANENT_REDIRECT, "{host}");
        assert_eq!(response.headers()["location"], location, "{host}");
    }
}

#[tokio::test]
async fn without_a_public_address_plain_http_is_refused_instead_of_redirected_to_the_clients_host() {
    let app = spawn_app_with(&[("FORCE_HTTPS", "true")]).await;
    let client = no_redirects();
    let response = client.post(app.url("/api/auth/login")).header("host", "evil.example").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.headers().get("location").is_none());
    let body: Value = response.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("HTTPS"), "{body}");
    // Health checks stay plain HTTP, and HTTPS is served.
    assert_eq!(client.get(app.url("/readyz")).send().await.unwrap().status(), StatusCode::OK);
    let secure = client.get(app.url("/api/info")).header("x-forwarded-proto", "https").send().await.unwrap();
    assert_eq!(secure.status(), StatusCode::OK);
}
