//! Who may call what: every endpoint, as anonymous, employee and administrator.

use chrono::Utc;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Public,
    AnyUser,
    AdminOnly,
}

use Access::*;

/// Every endpoint of the API: who may call it, method, path and a valid body.
pub fn endpoints(ids: &Ids) -> Vec<(Access, Method, String, Option<Value>)> {
    let Ids {
        category,
        keep_category,
        product,
        keep_product,
        sale,
        user,
        cancel_sale,
        review_sale,
        return_sale,
        return_item,
        cash_session,
        photo_key,
        customer,
        store,
        terminal,
        transfer,
        cancel_transfer,
    } = ids;
    vec![
        (Public, Method::GET, "/api/info".into(), None),
        (Public, Method::POST, "/api/auth/login".into(), Some(json!({"username": "admin", "password": "admin123"}))),
        (AnyUser, Method::GET, "/api/auth/me".into(), None),
        (
            AnyUser,
            Method::PUT,
            "/api/auth/password".into(),
            Some(json!({"current_password": "x", "new_password": "y"})),
        ),
        (AdminOnly, Method::GET, "/api/users".into(), None),
        (AdminOnly, Method::POST, "/api/users".into(), Some(json!({"username": "novo", "password": "senha123"}))),
        (AdminOnly, Method::PUT, format!("/api/users/{user}"), Some(json!({"username": "renomeado"}))),
        (AdminOnly, Method::DELETE, format!("/api/users/{user}"), None),
        (AnyUser, Method::GET, "/api/stores".into(), None),
        (AdminOnly, Method::POST, "/api/stores".into(), Some(json!({"name": "Loja Nova"}))),
        (AdminOnly, Method::PUT, format!("/api/stores/{store}"), Some(json!({"name": "Loja Renomeada"}))),
        (AnyUser, Method::GET, "/api/terminals".into(), None),
        (AdminOnly, Method::POST, "/api/terminals".into(), Some(json!({"store_id": store, "name": "Caixa Novo"}))),
        (AdminOnly, Method::PUT, format!("/api/terminals/{terminal}"), Some(json!({"name": "Caixa Renomeado"}))),
        (AdminOnly, Method::GET, format!("/api/stores/{store}/settings"), None),
        (
            AdminOnly,
            Method::PUT,
            format!("/api/stores/{store}/settings"),
            Some(json!({"shop_phone": "(11) 4444-5555"})),
        ),
        (AdminOnly, Method::GET, format!("/api/stores/{store}/prices"), None),
        (AdminOnly, Method::PUT, format!("/api/stores/{store}/prices/{keep_product}"), Some(json!({"price": "1.50"}))),
        (AdminOnly, Method::DELETE, format!("/api/stores/{store}/prices/{keep_product}"), None),
        (AnyUser, Method::GET, "/api/stock/transfers".into(), None),
        (
            AdminOnly,
            Method::POST,
            "/api/stock/transfers".into(),
            Some(
                json!({"from_store_id": 1, "to_store_id": store, "items": [{"product_id": keep_product, "quantity": 1}]}),
            ),
        ),
        (AnyUser, Method::GET, format!("/api/stock/transfers/{transfer}"), None),
        // The seller works in store 1, where this transfer goes.
        (AnyUser, Method::POST, format!("/api/stock/transfers/{transfer}/receive"), None),
        (AdminOnly, Method::POST, format!("/api/stock/transfers/{cancel_transfer}/cancel"), None),
        (AnyUser, Method::GET, "/api/categories".into(), None),
        (AdminOnly, Method::POST, "/api/categories".into(), Some(json!({"name": "Nova"}))),
        (AdminOnly, Method::PUT, format!("/api/categories/{category}"), Some(json!({"name": "Renomeada"}))),
        (AdminOnly, Method::DELETE, format!("/api/categories/{category}"), None),
        (AnyUser, Method::GET, "/api/products".into(), None),
        (
            AdminOnly,
            Method::POST,
            "/api/products".into(),
            Some(json!({"name": "Novo", "price": 1, "category_id": keep_category})),
        ),
        (AnyUser, Method::GET, format!("/api/products/{product}"), None),
        (AdminOnly, Method::PUT, format!("/api/products/{product}"), Some(json!({"price": 2}))),
        (AdminOnly, Method::PUT, format!("/api/products/{product}/stock"), Some(json!({"stock": 50}))),
        (AdminOnly, Method::GET, format!("/api/products/{product}/movements"), None),
        (AnyUser, Method::GET, "/api/products/lookup?code=FIXO-1".into(), None),
        (AnyUser, Method::GET, "/api/products/catalog".into(), None),
        (AdminOnly, Method::GET, "/api/products/export".into(), None),
        (
            AdminOnly,
            Method::POST,
            "/api/products/import".into(),
            Some(json!("nome;categoria;preco\nSal;Mercearia;2,00\n")),
        ),
        (
            AdminOnly,
            Method::POST,
            "/api/stock/entries".into(),
            Some(json!({"product_id": keep_product, "quantity": 1, "unit_cost": 1})),
        ),
        (
            AdminOnly,
            Method::POST,
            "/api/stock/adjustments".into(),
            Some(json!({"product_id": keep_product, "quantity": 1, "reason": "Teste"})),
        ),
        (
            AdminOnly,
            Method::POST,
            "/api/stock/counts".into(),
            Some(json!({"product_id": keep_product, "counted": 900})),
        ),
        (AdminOnly, Method::PUT, format!("/api/products/{product}/photo"), Some(json!(PHOTO))),
        (AdminOnly, Method::DELETE, format!("/api/products/{product}/photo"), None),
        (Public, Method::GET, format!("/api/photos/{photo_key}"), None),
        (AdminOnly, Method::DELETE, format!("/api/products/{product}"), None),
        (AnyUser, Method::GET, "/api/sales".into(), None),
        (
            AnyUser,
            Method::POST,
            "/api/sales".into(),
            Some(json!({"items": [{"product_id": keep_product, "quantity": 1}]})),
        ),
        (AnyUser, Method::GET, format!("/api/sales/{sale}"), None),
        (AnyUser, Method::GET, "/api/sales/export".into(), None),
        (AdminOnly, Method::GET, "/api/sales/reports/summary".into(), None),
        (AdminOnly, Method::POST, format!("/api/sales/{cancel_sale}/cancel"), Some(json!({"reason": "Teste"}))),
        (AdminOnly, Method::GET, "/api/review".into(), None),
        (AdminOnly, Method::POST, format!("/api/sales/{review_sale}/review"), None),
        (
            AdminOnly,
            Method::POST,
            format!("/api/sales/{return_sale}/returns"),
            Some(json!({"items": [{"sale_item_id": return_item, "quantity": 1}], "reason": "Defeito",
                "refund_method": "dinheiro"})),
        ),
        (AnyUser, Method::POST, format!("/api/sales/{sale}/print"), None),
        (AnyUser, Method::GET, "/api/settings".into(), None),
        (AdminOnly, Method::PUT, "/api/settings".into(), Some(json!({"shop_name": "Loja"}))),
        (AnyUser, Method::GET, "/api/pix?amount=10.50".into(), None),
        // The seller's open session: read, moved, closed, and then a new one opened.
        (AnyUser, Method::GET, "/api/cash-sessions".into(), None),
        (AnyUser, Method::GET, "/api/cash-sessions/current".into(), None),
        (AnyUser, Method::GET, format!("/api/cash-sessions/{cash_session}"), None),
        (
            AnyUser,
            Method::POST,
            format!("/api/cash-sessions/{cash_session}/movements"),
            Some(json!({"type": "suprimento", "amount": 10})),
        ),
        (AnyUser, Method::POST, format!("/api/cash-sessions/{cash_session}/close"), Some(json!({"counted": 110}))),
        (AnyUser, Method::POST, "/api/cash-sessions".into(), Some(json!({"opening_float": 50}))),
        (AdminOnly, Method::GET, "/api/cash-sessions/report".into(), None),
        (AnyUser, Method::GET, "/api/customers?search=ana".into(), None),
        (AnyUser, Method::POST, "/api/customers".into(), Some(json!({"name": "Cliente novo"}))),
        (AnyUser, Method::GET, format!("/api/customers/{customer}"), None),
        (AnyUser, Method::PUT, format!("/api/customers/{customer}"), Some(json!({"phone": "(11) 3333-4444"}))),
        (AdminOnly, Method::GET, "/api/audit?action=venda".into(), None),
        (AdminOnly, Method::GET, "/api/audit/check".into(), None),
        (AdminOnly, Method::GET, "/api/reports/sales?group_by=product".into(), None),
    ]
}

/// The body of [`endpoints`] that stands for an image: [`call`] sends a PNG instead.
pub const PHOTO: &str = "<imagem PNG>";

/// Calls an endpoint of [`endpoints`] with its body.
pub async fn call(app: &TestApp, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Reply {
    if body.as_ref().and_then(Value::as_str) != Some(PHOTO) {
        return app.request(method, path, token, body).await;
    }
    let mut request = app.client.request(method, app.url(path)).body(crate::photos::png(40, 30));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("requisição");
    Reply::of(response).await
}

pub struct Ids {
    pub category: i64,
    pub keep_category: i64,
    pub product: i64,
    pub keep_product: i64,
    pub sale: i64,
    pub user: i64,
    /// An open cash session of the seller.
    pub cash_session: i64,
    pub cancel_sale: i64,
    /// A sale made offline past the stock: flagged for review.
    pub review_sale: i64,
    pub return_sale: i64,
    pub return_item: i64,
    /// The image of a product's photo.
    pub photo_key: String,
    pub customer: i64,
    /// A second store, and a terminal of it.
    pub store: i64,
    pub terminal: i64,
    /// Two transfers in transit from `store` to store 1: one to receive, one to cancel.
    pub transfer: i64,
    pub cancel_transfer: i64,
}

impl Ids {
    /// A path of [`endpoints`] as the document writes it: ids as `{id}`, without the query.
    pub fn generic(&self, path: &str) -> String {
        let ids = [
            self.category,
            self.product,
            self.sale,
            self.user,
            self.cancel_sale,
            self.review_sale,
            self.return_sale,
            self.cash_session,
            self.customer,
            self.store,
            self.terminal,
            self.keep_product,
            self.transfer,
            self.cancel_transfer,
        ]
        .map(|v| v.to_string());
        let path = path.split('?').next().unwrap_or_default();
        let generic = |s| match s {
            s if ids.iter().any(|v| v == s) => "{id}",
            s if s == self.photo_key => "{key}",
            s => s,
        };
        // A store's price names its product second.
        path.split('/').map(generic).collect::<Vec<_>>().join("/").replace("/prices/{id}", "/prices/{product_id}")
    }
}

/// Objects each endpoint can act on (deletes get their own).
pub async fn fixtures(app: &TestApp, admin: &str, seller: &str) -> Ids {
    let keep_category = app.create_category(admin, "Fixa").await;
    let keep_product = app.create_product(admin, "Fixo", "1.00", 1000, keep_category).await;
    let coded = app.put(&format!("/api/products/{keep_product}"), admin, json!({"code": "FIXO-1"})).await;
    assert_eq!(coded.status, StatusCode::OK);
    let sale = app.sell(seller, &[(keep_product, 1)]).await.body["id"].as_i64().unwrap();
    let cancel_sale = app.sell(seller, &[(keep_product, 1)]).await.body["id"].as_i64().unwrap();
    let sold = app.sell(seller, &[(keep_product, 1)]).await.body;
    let sold_out = app.create_product(admin, "Esgotado", "1.00", 0, keep_category).await;
    let made_offline = json!({"client_id": uuid::Uuid::new_v4().to_string(), "sold_at": Utc::now().to_rfc3339(),
        "items": [{"product_id": sold_out, "quantity": 1}]});
    let review_sale = app.post("/api/sales", seller, made_offline).await.body["id"].as_i64().unwrap();
    let settings = json!({"printer_address": printer_listener().await, "pix_key": "+5511912345678",
        "pix_merchant_name": "Loja", "pix_merchant_city": "Sao Paulo"});
    assert_eq!(app.put("/api/settings", admin, settings).await.status, StatusCode::OK);
    let cash_session = app.post("/api/cash-sessions", seller, json!({"opening_float": 100})).await;
    let cash_session = cash_session.body["id"].as_i64().unwrap();
    let photo_path = format!("/api/products/{keep_product}/photo");
    let photo = call(app, Method::PUT, &photo_path, Some(admin), Some(json!(PHOTO))).await;
    let photo_url = photo.body["photo_url"].as_str().expect("foto do produto fixo").to_string();
    let store = app.post("/api/stores", admin, json!({"name": format!("Filial {}", uuid::Uuid::new_v4())})).await;
    let store = store.body["id"].as_i64().expect("loja criada");
    let terminal = app.post("/api/terminals", admin, json!({"store_id": store, "name": "Caixa Fixo"})).await;
    let stocked = json!({"product_id": keep_product, "quantity": 10, "reason": "Estoque", "store_id": store});
    assert_eq!(app.post("/api/stock/adjustments", admin, stocked).await.status, StatusCode::CREATED);
    let send = || {
        let body =
            json!({"from_store_id": store, "to_store_id": 1, "items": [{"product_id": keep_product, "quantity": 1}]});
        app.post("/api/stock/transfers", admin, body)
    };
    let transfer = send().await.body["id"].as_i64().expect("transferência criada");
    let cancel_transfer = send().await.body["id"].as_i64().expect("transferência criada");
    Ids {
        transfer,
        cancel_transfer,
        store,
        terminal: terminal.body["id"].as_i64().expect("terminal criado"),
        photo_key: photo_url.rsplit('/').next().unwrap().to_string(),
        cancel_sale,
        review_sale,
        return_sale: sold["id"].as_i64().unwrap(),
        return_item: sold["items"][0]["id"].as_i64().unwrap(),
        category: app.create_category(admin, &format!("Apagar {}", uuid::Uuid::new_v4())).await,
        keep_category,
        product: app.create_product(admin, "Apagar", "1.00", 10, keep_category).await,
        keep_product,
        sale,
        user: app
            .create_user(admin, &format!("apagar{}", &uuid::Uuid::new_v4().simple().to_string()[..6]), "funcionario")
            .await
            .0,
        cash_session,
        customer: app.post("/api/customers", admin, json!({"name": "Ana Fixa"})).await.body["id"].as_i64().unwrap(),
    }
}

/// A printer that takes whatever is sent: the address of a listener on loopback.
pub async fn printer_listener() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut sink = tokio::io::sink();
                let _ = tokio::io::copy(&mut socket, &mut sink).await;
            });
        }
    });
    address
}

#[tokio::test]
async fn anonymous_callers_get_401_everywhere_but_login_and_info() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let ids = fixtures(&app, &admin, &admin).await;
    for (access, method, path, body) in endpoints(&ids) {
        let reply = call(&app, method.clone(), &path, None, body).await;
        if access == Public {
            assert!(reply.status.is_success(), "{method} {path}: {}", reply.status);
        } else {
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{method} {path}");
            assert!(reply.body["error"].is_string(), "{method} {path}");
        }
    }
}

#[tokio::test]
async fn employees_get_403_on_admin_endpoints_and_succeed_on_the_rest() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (_, employee) = app.create_user(&admin, "caixa", "funcionario").await;
    let ids = fixtures(&app, &admin, &employee).await;
    for (access, method, path, body) in endpoints(&ids) {
        if path == "/api/auth/password" {
            continue; // covered in auth.rs (it would change the employee's password)
        }
        let reply = call(&app, method.clone(), &path, Some(&employee), body).await;
        match access {
            AdminOnly => {
                assert_eq!(reply.status, StatusCode::FORBIDDEN, "{method} {path}: {}", reply.body);
                assert_eq!(reply.error(), "Acesso negado. Apenas administradores podem realizar esta ação");
            }
            _ => assert!(reply.status.is_success(), "{method} {path}: {} {}", reply.status, reply.body),
        }
    }
    // Nothing an employee was refused changed anything.
    assert_eq!(app.get(&format!("/api/products/{}", ids.product), &admin).await.status, StatusCode::OK);
    assert_eq!(app.get("/api/users", &admin).await.body.as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn admins_succeed_on_every_endpoint() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let ids = fixtures(&app, &admin, &admin).await;
    for (_, method, path, body) in endpoints(&ids) {
        if path == "/api/auth/password" {
            continue; // covered in auth.rs
        }
        let reply = call(&app, method.clone(), &path, Some(&admin), body).await;
        assert!(reply.status.is_success(), "{method} {path}: {} {}", reply.status, reply.body);
    }
}
