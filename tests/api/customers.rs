//! Customers: CPF and CNPJ (numeric and alphanumeric) checked and stored normalised, found by
//! name or document, named on a sale, printed on its receipt, with their purchase history.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

async fn customers_count(app: &TestApp, token: &str) -> i64 {
    app.get("/api/customers", token).await.body["total"].as_i64().unwrap()
}

#[tokio::test]
async fn cpf_and_cnpj_are_checked_by_their_digits_and_stored_normalised() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let valid = [
        ("529.982.247-25", "529.982.247-25", "CPF"),
        ("11144477735", "111.444.777-35", "CPF"),
        (" 123.456.789-09 ", "123.456.789-09", "CPF"),
        ("11.222.333/0001-81", "11.222.333/0001-81", "CNPJ"),
        ("33000167000101", "33.000.167/0001-01", "CNPJ"),
        // The alphanumeric CNPJ (July 2026): letters count as their ASCII code minus 48.
        ("12.ABC.345/01DE-35", "12.ABC.345/01DE-35", "CNPJ"),
    ];
    for (i, (typed, shown, kind)) in valid.iter().enumerate() {
        let reply =
            app.post("/api/customers", &admin, json!({"name": format!("Cliente {i}"), "document": typed})).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{typed}: {}", reply.body);
        assert_eq!(
            (reply.body["document"].as_str(), reply.body["document_type"].as_str()),
            (Some(*shown), Some(*kind))
        );
    }
    let mut conn = connect(&app.database_url).await;
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT document FROM customers ORDER BY id").fetch_all(&mut conn).await.unwrap();
    assert_eq!(
        stored,
        ["52998224725", "11144477735", "12345678909", "11222333000181", "33000167000101", "12ABC34501DE35"]
    );

    let invalid = [
        ("529.982.247-24", "CPF inválido: dígito verificador não confere"),
        ("123.456.789-00", "CPF inválido: dígito verificador não confere"),
        ("111.111.111-11", "CPF inválido: todos os dígitos são iguais"),
        ("5299822472", "CPF deve ter 11 dígitos"),
        ("11.222.333/0001-82", "CNPJ inválido: dígito verificador não confere"),
        ("12.ABC.345/01DE-36", "CNPJ inválido: dígito verificador não confere"),
        ("12.ABD.345/01DE-35", "CNPJ inválido: dígito verificador não confere"),
        ("12ABC34501DE3A", "CNPJ inválido: use letras e dígitos nas 12 primeiras posições e dígitos nas 2 últimas"),
        ("00.000.000/0000-00", "CNPJ inválido: todos os caracteres são iguais"),
        ("1122233300018", "CNPJ deve ter 14 caracteres"),
    ];
    for (typed, message) in invalid {
        let reply = app.post("/api/customers", &admin, json!({"name": "Recusado", "document": typed})).await;
        assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, message), "{typed}");
    }
    // The same document, typed another way, or in lower case, belongs to one customer only.
    for typed in ["52998224725", "12abc34501de35"] {
        let reply = app.post("/api/customers", &admin, json!({"name": "Outro", "document": typed})).await;
        assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, "Já existe um cliente com este CPF/CNPJ"));
    }
    assert_eq!(customers_count(&app, &admin).await, 6, "nada recusado foi gravado");
}

#[tokio::test]
async fn customers_are_found_by_name_or_document_and_corrected() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (_, employee) = app.create_user(&admin, "maria", "funcionario").await;
    let ana = app
        .post(
            "/api/customers",
            &employee,
            json!({"name": "Ana Conceição", "document": "529.982.247-25", "phone": "(11) 98765-4321", "email": "Ana@Exemplo.com.br"}),
        )
        .await;
    assert_eq!(ana.status, StatusCode::CREATED, "funcionários cadastram no PDV: {}", ana.body);
    assert_eq!(ana.body["email"], "ana@exemplo.com.br");
    assert_eq!((ana.body["purchases_count"].as_i64(), cents(&ana.body["total_spent"])), (Some(0), 0));
    let id = ana.body["id"].as_i64().unwrap();
    app.post("/api/customers", &admin, json!({"name": "Bruno Lima"})).await;
    app.post("/api/customers", &admin, json!({"name": "Padaria Central", "document": "11.222.333/0001-81"})).await;

    let names = |body: &Value| -> Vec<String> {
        body["customers"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_string()).collect()
    };
    let all = app.get("/api/customers", &employee).await.body;
    assert_eq!(names(&all), ["Ana Conceição", "Bruno Lima", "Padaria Central"]);
    for (search, expected) in [
        ("conceicao", vec!["Ana Conceição"]),
        ("ANA", vec!["Ana Conceição"]),
        ("529.982", vec!["Ana Conceição"]),
        ("52998224725", vec!["Ana Conceição"]),
        ("11.222.333", vec!["Padaria Central"]),
        ("li", vec!["Bruno Lima"]),
        ("ninguém", vec![]),
    ] {
        let found = app.get(&format!("/api/customers?search={}", urlencode(search)), &employee).await.body;
        assert_eq!(names(&found), expected, "{search}");
    }

    let path = format!("/api/customers/{id}");
    let reply = app.put(&path, &employee, json!({"phone": null, "name": "Ana C. Souza"})).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!((reply.body["name"].as_str(), &reply.body["phone"]), (Some("Ana C. Souza"), &Value::Null));
    assert_eq!(reply.body["document"], "529.982.247-25", "o que não veio fica");
    for (body, message) in [
        (json!({"name": null}), "O campo name não pode ser nulo"),
        (json!({"name": "  "}), "Nome do cliente é obrigatório"),
        (json!({"phone": "1234"}), "Telefone inválido: use de 8 a 15 dígitos, com DDD (ex.: (11) 98765-4321)"),
        (json!({"email": "ana@exemplo"}), "E-mail inválido (ex.: nome@exemplo.com.br, até 254 caracteres)"),
        (json!({"document": "11.222.333/0001-81"}), "Já existe um cliente com este CPF/CNPJ"),
        (json!({}), "Nenhum campo para alterar"),
    ] {
        let reply = app.put(&path, &employee, body.clone()).await;
        assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, message), "{body}");
    }
    assert_eq!(app.get(&path, &employee).await.body["name"], "Ana C. Souza", "nada recusado mudou");
    let reply = app.put("/api/customers/999", &employee, json!({"name": "X"})).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::NOT_FOUND, "Cliente não encontrado"));
    assert_eq!(app.get("/api/customers/abc", &employee).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_customer_on_a_sale_is_on_its_receipt_and_in_their_history() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (_, employee) = app.create_user(&admin, "maria", "funcionario").await;
    let category = app.create_category(&admin, "Padaria").await;
    let bread = app.create_product(&admin, "Pão francês", "0.75", 100, category).await;
    let cake = app.create_product(&admin, "Bolo", "20.00", 10, category).await;
    let customer = app
        .post("/api/customers", &employee, json!({"name": "João da Silva", "document": "12.ABC.345/01DE-35"}))
        .await
        .body;
    let customer_id = customer["id"].as_i64().unwrap();

    let sell = |items: Value, customer: Value| {
        let employee = employee.clone();
        let app = &app;
        async move {
            app.post(
                "/api/sales",
                &employee,
                json!({"items": items, "payment_method": "dinheiro", "customer_id": customer}),
            )
            .await
        }
    };
    let first = sell(json!([{"product_id": bread, "quantity": 10}]), json!(customer_id)).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert_eq!(
        first.body["customer"],
        json!({"id": customer_id, "name": "João da Silva", "document": "12.ABC.345/01DE-35"})
    );
    let second = sell(json!([{"product_id": cake, "quantity": 2}]), json!(customer_id.to_string())).await;
    assert_eq!(second.status, StatusCode::CREATED);
    let third = sell(json!([{"product_id": cake, "quantity": 1}]), json!(customer_id)).await;
    let anonymous = sell(json!([{"product_id": bread, "quantity": 1}]), Value::Null).await;
    assert_eq!((anonymous.status, &anonymous.body["customer"]), (StatusCode::CREATED, &Value::Null));

    // An unknown customer refuses the sale and takes no stock.
    let before = app.stock_of(&admin, cake).await;
    let unknown = sell(json!([{"product_id": cake, "quantity": 1}]), json!(999)).await;
    assert_eq!((unknown.status, unknown.error()), (StatusCode::NOT_FOUND, "Cliente não encontrado"));
    let bad = sell(json!([{"product_id": cake, "quantity": 1}]), json!("abc")).await;
    assert_eq!((bad.status, bad.error()), (StatusCode::BAD_REQUEST, "customer_id deve ser um número inteiro positivo"));
    assert_eq!(app.stock_of(&admin, cake).await, before);

    // The third is cancelled, one cake of the second comes back.
    let cancel =
        app.post(&format!("/api/sales/{}/cancel", third.body["id"]), &admin, json!({"reason": "Desistiu"})).await;
    assert_eq!(cancel.status, StatusCode::OK, "{}", cancel.body);
    let item = second.body["items"][0]["id"].as_i64().unwrap();
    let returned = app
        .post(
            &format!("/api/sales/{}/returns", second.body["id"]),
            &admin,
            json!({"items": [{"sale_item_id": item, "quantity": 1}], "reason": "Amassado", "refund_method": "dinheiro"}),
        )
        .await;
    assert_eq!(returned.status, StatusCode::CREATED, "{}", returned.body);

    let history = app.get(&format!("/api/sales?customer_id={customer_id}"), &admin).await.body;
    let ids: Vec<i64> = history["sales"].as_array().unwrap().iter().map(|s| s["id"].as_i64().unwrap()).collect();
    assert_eq!(
        ids,
        [third.body["id"].as_i64().unwrap(), second.body["id"].as_i64().unwrap(), first.body["id"].as_i64().unwrap()]
    );
    assert_eq!(history["total"], 3, "a cancelada aparece no histórico");
    assert_eq!(cents(&history["total_amount"]), 750 + 2000, "sem a cancelada e sem o devolvido");
    let profile = app.get(&format!("/api/customers/{customer_id}"), &employee).await.body;
    assert_eq!((profile["purchases_count"].as_i64(), cents(&profile["total_spent"])), (Some(2), 2750));
    assert_eq!(profile["last_purchase_at"], second.body["timestamp"]);
    // An employee's history of the customer is their own sales, as with every listing.
    let (_, other) = app.create_user(&admin, "jose", "funcionario").await;
    let theirs = app.get(&format!("/api/sales?customer_id={customer_id}"), &other).await.body;
    assert_eq!(theirs["total"], 0);

    // The receipt names the customer and their CNPJ.
    let (address, mut printed) = printer().await;
    app.put("/api/settings", &admin, json!({"printer_address": address})).await;
    let print =
        app.request(Method::POST, &format!("/api/sales/{}/print", first.body["id"]), Some(&employee), None).await;
    assert_eq!(print.status, StatusCode::NO_CONTENT, "{}", print.body);
    let bytes = printed.recv().await.unwrap();
    assert!(contains(&bytes, b"Cliente: Jo\x84o da Silva"), "{}", String::from_utf8_lossy(&bytes));
    assert!(contains(&bytes, b"CNPJ: 12.ABC.345/01DE-35"));
}

/// Percent-encodes everything but letters and digits (enough for a query value).
fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}
