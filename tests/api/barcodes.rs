//! Barcodes (EAN-8, EAN-13, UPC-A, GTIN-14) with their check digits, unique among active
//! products, found by search (an exact match first) and by the PDV's lookup; scale labels with
//! the weight or the price, as the settings' mask lays them out; the active flag.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

async fn product(app: &TestApp, admin: &str, body: Value) -> Value {
    let reply = app.post("/api/products", admin, body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.body
}

/// A label's digits with its check digit.
fn label(payload: &str) -> String {
    let sum: u32 =
        payload.bytes().rev().enumerate().map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 3 } else { 1 }).sum();
    format!("{payload}{}", (10 - sum % 10) % 10)
}

#[tokio::test]
async fn barcodes_of_every_kind_are_checked_and_unique_among_active_products() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let category = app.create_category(&admin, "Mercearia").await;
    let base = |name: &str| json!({"name": name, "price": "5.00", "category_id": category});

    let mut body = base("Café");
    body["barcodes"] = json!(["7891000100103", "96385074", "036000291452", "10012345678902"]);
    let coffee = product(&app, &admin, body).await;
    assert_eq!(coffee["barcode"], "7891000100103");
    assert_eq!(coffee["barcodes"].as_array().unwrap().len(), 4);

    for bad in ["7891000100104", "96385075", "036000291453", "10012345678903", "12345", "78910001001ab"] {
        let mut body = base("Chá");
        body["barcode"] = json!(bad);
        let reply = app.post("/api/products", &admin, body).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(reply.error().starts_with("Código de barras inválido"), "{bad}: {}", reply.error());
    }
    // The UPC-A above, written as an EAN-13: the same GTIN.
    let mut body = base("Chá");
    body["barcode"] = json!("0036000291452");
    let taken = app.post("/api/products", &admin, body.clone()).await;
    assert_eq!(
        (taken.status, taken.error()),
        (StatusCode::BAD_REQUEST, "Código de barras já cadastrado em outro produto ativo")
    );
    let total = app.get("/api/products", &admin).await.body["total"].clone();
    assert_eq!(total, 1, "nada foi criado");

    // An inactive product's codes are free; it cannot come back while another holds them.
    let id = coffee["id"].as_i64().unwrap();
    let off = app.put(&format!("/api/products/{id}"), &admin, json!({"active": false})).await;
    assert_eq!((off.status, off.body["active"].as_bool()), (StatusCode::OK, Some(false)), "{}", off.body);
    let tea = product(&app, &admin, body).await;
    assert_eq!(tea["barcode"], "0036000291452");
    let back = app.put(&format!("/api/products/{id}"), &admin, json!({"active": true})).await;
    assert_eq!(
        (back.status, back.error()),
        (StatusCode::BAD_REQUEST, "Código de barras já cadastrado em outro produto ativo")
    );
    let inactive = app.get("/api/products?active=false", &admin).await.body;
    assert_eq!(inactive["products"][0]["id"], id);
    let sale = app.sell(&admin, &[(id, 1)]).await;
    assert_eq!(
        (sale.status, sale.error()),
        (StatusCode::BAD_REQUEST, "Produto Café está inativo e não pode ser vendido")
    );
}

#[tokio::test]
async fn search_and_lookup_find_a_barcode_and_an_exact_match_comes_first() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let category = app.create_category(&admin, "Mercearia").await;
    // A product whose name holds the digits, and one whose barcode is them.
    product(&app, &admin, json!({"name": "Caixa 7891000100103 unidades", "price": "1.00", "category_id": category}))
        .await;
    let coffee = product(
        &app,
        &admin,
        json!({"name": "Café", "price": "9.90", "category_id": category,
        "barcode": "7891000100103", "code": "CAF-1"}),
    )
    .await;
    let found = app.get("/api/products?search=7891000100103", &admin).await.body;
    assert_eq!(found["total"], 2);
    assert_eq!(found["products"][0]["id"], coffee["id"], "o código de barras exato vem primeiro");

    let (_, employee) = app.create_user(&admin, "caixa", "funcionario").await;
    let lookup = app.get("/api/products/lookup?code=7891000100103", &employee).await;
    assert_eq!(lookup.status, StatusCode::OK, "{}", lookup.body);
    assert_eq!(
        (lookup.body["product"]["id"].clone(), lookup.body["source"].as_str()),
        (coffee["id"].clone(), Some("codigo_de_barras"))
    );
    let by_code = app.get("/api/products/lookup?code=CAF-1", &employee).await.body;
    assert_eq!((by_code["product"]["id"].clone(), by_code["source"].as_str()), (coffee["id"].clone(), Some("codigo")));
    let unknown = app.get("/api/products/lookup?code=7890000000000", &employee).await;
    assert_eq!((unknown.status, unknown.error()), (StatusCode::NOT_FOUND, "Nenhum produto com o código 7890000000000"));
    let empty = app.get("/api/products/lookup?code=", &employee).await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.get("/api/products/lookup?code=%20%20", &employee).await.status, StatusCode::BAD_REQUEST);
    let reply = app.get("/api/products/lookup?code=78%0A91", &employee).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::NOT_FOUND, "Nenhum produto com o código 7891"));
}

#[tokio::test]
async fn scale_labels_sell_the_weight_or_the_price_they_carry() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let category = app.create_category(&admin, "Açougue").await;
    let beef = product(
        &app,
        &admin,
        json!({"name": "Patinho", "price": "49.90", "unit": "KG", "stock": 10,
        "code": "123", "category_id": category}),
    )
    .await;
    let id = beef["id"].as_i64().unwrap();

    // The default layout: 2, five digits of code, one ignored, five of value (grams), check digit.
    let weighed = label("200123000355");
    let lookup = app.get(&format!("/api/products/lookup?code={weighed}"), &admin).await;
    assert_eq!(lookup.status, StatusCode::OK, "{}", lookup.body);
    assert_eq!((lookup.body["source"].as_str(), lookup.body["quantity"].as_f64()), (Some("balanca"), Some(0.355)));
    let sale = app.post("/api/sales", &admin, json!({"items": [{"label": weighed}]})).await;
    assert_eq!(sale.status, StatusCode::CREATED, "{}", sale.body);
    // 0,355 kg × R$ 49,90 = R$ 17,7145.
    assert_eq!((sale.body["items"][0]["product_id"].as_i64(), cents(&sale.body["total_amount"])), (Some(id), 1771));

    // Labels that carry the price, with the code in four digits and a fixed 0.
    let settings = json!({"scale_label_mask": "2CCCC0VVVVVVD", "scale_label_value": "preco"});
    let reply = app.put("/api/settings", &admin, settings).await;
    assert_eq!((reply.status, reply.body["scale_label_mask"].as_str()), (StatusCode::OK, Some("2CCCC0VVVVVVD")));
    let priced = label("201230001234");
    let lookup = app.get(&format!("/api/products/lookup?code={priced}"), &admin).await.body;
    // R$ 12,34 at R$ 49,90/kg: 0,247 kg; the line costs the label's price, not 0,247 × 49,90.
    assert_eq!((cents(&lookup["amount"]), lookup["quantity"].as_f64()), (1234, Some(0.247)));
    let sale = app.post("/api/sales", &admin, json!({"items": [{"label": priced}, {"label": priced}]})).await;
    assert_eq!(sale.status, StatusCode::CREATED, "{}", sale.body);
    assert_eq!(cents(&sale.body["total_amount"]), 2468);
    assert_eq!(sale.body["items"][0]["quantity"].as_f64(), Some(0.494));

    let unknown = label("209990001234");
    let reply = app.get(&format!("/api/products/lookup?code={unknown}"), &admin).await;
    assert_eq!(
        (reply.status, reply.error()),
        (StatusCode::NOT_FOUND, "Etiqueta da balança com o código 0999, que não é de nenhum produto ativo")
    );
    let sold = app.post("/api/sales", &admin, json!({"items": [{"label": unknown}]})).await;
    assert_eq!(sold.status, StatusCode::NOT_FOUND);
    let mut wrong = priced.clone();
    let last = wrong.pop().unwrap();
    wrong.push(if last == '0' { '1' } else { '0' });
    let reply = app.get(&format!("/api/products/lookup?code={wrong}"), &admin).await;
    assert_eq!(
        (reply.status, reply.error()),
        (StatusCode::BAD_REQUEST, format!("Etiqueta da balança com dígito verificador errado: {wrong}").as_str())
    );

    // A weight label of a product sold in units is refused.
    app.put("/api/settings", &admin, json!({"scale_label_value": "peso"})).await;
    product(
        &app,
        &admin,
        json!({"name": "Bolo", "price": "30.00", "stock": 5, "code": "456", "category_id": category}),
    )
    .await;
    let reply = app.get(&format!("/api/products/lookup?code={}", label("204560001000")), &admin).await;
    assert_eq!(
        (reply.status, reply.error()),
        (StatusCode::BAD_REQUEST, "A etiqueta traz o peso, mas Bolo não é vendido por peso ou medida (KG, L ou M)")
    );
    let bad_mask = app.put("/api/settings", &admin, json!({"scale_label_mask": "2CCCC"})).await;
    assert_eq!(bad_mask.status, StatusCode::BAD_REQUEST);
    assert!(bad_mask.error().starts_with("Máscara da etiqueta da balança inválida"));
    let stock = app.get(&format!("/api/products/{id}"), &admin).await.body["stock"].as_f64();
    assert_eq!(stock, Some(9.151));
}

#[tokio::test]
async fn the_catalog_for_the_pdv_has_every_active_product_and_answers_304_while_unchanged() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (_, employee) = app.create_user(&admin, "caixa1", "funcionario").await;
    let category = app.create_category(&admin, "Mercearia").await;
    let coffee = product(
        &app,
        &admin,
        json!({"name": "Café", "price": "18.90", "stock": 24, "category_id": category, "code": "CAF", "barcodes": ["7891000100103", "96385074"]}),
    )
    .await;
    let cheese = product(
        &app,
        &admin,
        json!({"name": "Queijo minas", "price": "49.90", "stock": "3.250", "unit": "KG", "category_id": category}),
    )
    .await;
    product(&app, &admin, json!({"name": "Antigo", "price": "1.00", "category_id": category, "active": false})).await;

    let catalog = |etag: Option<String>| {
        let mut request = app.client.get(app.url("/api/products/catalog")).bearer_auth(&employee);
        if let Some(etag) = etag {
            request = request.header("if-none-match", etag);
        }
        async move {
            let response = request.send().await.unwrap();
            let etag = response.headers().get("etag").map(|v| v.to_str().unwrap().to_string());
            (response.status(), etag, response.text().await.unwrap())
        }
    };
    let (status, etag, body) = catalog(None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let body: Value = serde_json::from_str(&body).unwrap();
    let etag = etag.expect("ETag");
    assert_eq!(etag, format!("\"{}\"", body["version"].as_str().unwrap()));
    let products = body["products"].as_array().unwrap();
    assert_eq!(products.len(), 2, "o inativo fica de fora: {body}");
    assert_eq!(
        products[0],
        json!({"id": coffee["id"], "name": "Café", "price": 18.9, "stock": 24, "unit": "UN", "code": "CAF",
               "barcodes": ["7891000100103", "96385074"], "category_id": category, "thumbnail_url": null})
    );
    assert_eq!((products[1]["id"].clone(), products[1]["stock"].as_f64()), (cheese["id"].clone(), Some(3.25)));

    let (status, again, body) = catalog(Some(etag.clone())).await;
    assert_eq!((status, again.as_deref(), body.as_str()), (StatusCode::NOT_MODIFIED, Some(etag.as_str()), ""));

    // A sale changes the stock, so the catalog has a new version with the new stock.
    let sale = app.sell(&employee, &[(coffee["id"].as_i64().unwrap(), 2)]).await;
    assert_eq!(sale.status, StatusCode::CREATED, "{}", sale.body);
    let (status, newer, body) = catalog(Some(etag.clone())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_ne!(newer, Some(etag));
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["products"][0]["stock"], 22);

    let anonymous = app.request(reqwest::Method::GET, "/api/products/catalog", None, None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}
