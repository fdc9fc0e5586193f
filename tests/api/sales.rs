use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

struct Shop {
    app: TestApp,
    admin: String,
    maria: String,
    maria_id: i64,
    joao: String,
    cafe: i64,
    pao: i64,
}

async fn shop() -> Shop {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (maria_id, maria) = app.create_user(&admin, "maria", "funcionario").await;
    let (_, joao) = app.create_user(&admin, "joao", "funcionario").await;
    let category = app.create_category(&admin, "Mercearia").await;
    let cafe = app.create_product(&admin, "Café Torrado 500g", "17.49", 10, category).await;
    let pao = app.create_product(&admin, "Pão Francês", "0.75", 100, category).await;
    Shop { app, admin, maria, maria_id, joao, cafe, pao }
}

#[tokio::test]
async fn a_sale_takes_the_stock_and_records_prices_at_the_moment() {
    let s = shop().await;
    let reply = s.app.sell(&s.maria, &[(s.cafe, 2), (s.pao, 4)]).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let sale = &reply.body;
    assert_eq!(sale["user_id"], s.maria_id);
    assert_eq!(sale["user_username"], "maria");
    assert_eq!(cents(&sale["total_amount"]), 2 * 1749 + 4 * 75);
    assert!(sale["timestamp"].as_str().unwrap().ends_with('Z'));
    let items = sale["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["product_id"], s.cafe);
    assert_eq!(items[0]["product_name"], "Café Torrado 500g");
    assert_eq!(items[0]["quantity"], 2);
    assert_eq!(items[0]["price_at_sale"].to_string(), "17.49");
    assert_eq!(items[0]["subtotal"].to_string(), "34.98");
    assert_eq!(items[0]["sale_id"], sale["id"]);
    assert!(items[0]["id"].is_i64());
    assert_eq!(s.app.stock_of(&s.admin, s.cafe).await, 8);
    assert_eq!(s.app.stock_of(&s.admin, s.pao).await, 96);

    // A later price change does not touch the sale.
    s.app.put(&format!("/api/products/{}", s.cafe), &s.admin, json!({"price": 20, "name": "Café Especial"})).await;
    let again = s.app.get(&format!("/api/sales/{}", sale["id"]), &s.admin).await;
    assert_eq!(&again.body, sale);
}

#[tokio::test]
async fn the_same_product_twice_counts_against_its_stock_once_summed() {
    let s = shop().await;
    let reply = s.app.sell(&s.maria, &[(s.cafe, 6), (s.cafe, 5)]).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "11 of 10 must fail: {}", reply.body);
    assert_eq!(reply.error(), "Estoque insuficiente para o produto Café Torrado 500g. Disponível: 10");
    let reply = s.app.sell(&s.maria, &[(s.cafe, 6), (s.pao, 1), (s.cafe, 4)]).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let items = reply.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!((&items[0]["product_id"], &items[0]["quantity"]), (&json!(s.cafe), &json!(10)));
    assert_eq!(s.app.stock_of(&s.admin, s.cafe).await, 0);
}

#[tokio::test]
async fn a_failed_sale_writes_nothing() {
    let s = shop().await;
    let reply = s.app.sell(&s.maria, &[(s.pao, 5), (s.cafe, 11)]).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.body["product_id"], s.cafe);
    assert_eq!(reply.body["available"], 10);
    let reply = s.app.sell(&s.maria, &[(s.pao, 5), (999, 1)]).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::NOT_FOUND, "Produto com ID 999 não encontrado"));
    assert_eq!(reply.body["product_id"], 999);
    assert_eq!(s.app.stock_of(&s.admin, s.pao).await, 100, "the other item's stock was not taken");
    assert_eq!(s.app.get("/api/sales", &s.admin).await.body["total"], 0);
}

#[tokio::test]
async fn sale_validation_errors_match_the_first_version() {
    let s = shop().await;
    let cases = [
        (json!({}), "Lista de itens é obrigatória"),
        (json!({"items": []}), "Lista de itens é obrigatória"),
        (json!({"items": "café"}), "Lista de itens é obrigatória"),
        (json!({"items": [{"product_id": s.cafe}]}), "product_id e quantity são obrigatórios para cada item"),
        (json!({"items": [{"quantity": 1}]}), "product_id e quantity são obrigatórios para cada item"),
        (json!({"items": [5]}), "product_id e quantity são obrigatórios para cada item"),
        (json!({"items": [{"product_id": s.cafe, "quantity": 0}]}), "Quantidade deve ser maior que zero"),
        (json!({"items": [{"product_id": s.cafe, "quantity": -3}]}), "Quantidade deve ser maior que zero"),
        (json!({"items": [{"product_id": s.cafe, "quantity": 1.5}]}), "Quantidade deve ser um número inteiro"),
        (json!({"items": [{"product_id": s.cafe, "quantity": "dois"}]}), "Quantidade deve ser um número inteiro"),
        (json!({"items": [{"product_id": s.cafe, "quantity": 1e300}]}), "Quantidade acima do limite permitido"),
        (
            json!({"items": [{"product_id": s.cafe, "quantity": 1}], "payment_method": "cheque"}),
            "Forma de pagamento deve ser dinheiro, debito, credito, pix ou outro",
        ),
    ];
    for (body, message) in cases {
        let reply = s.app.post("/api/sales", &s.maria, body.clone()).await;
        assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, message), "{body}");
    }
    assert_eq!(s.app.stock_of(&s.admin, s.cafe).await, 10);
}

#[tokio::test]
async fn numeric_strings_work_in_sale_items() {
    let s = shop().await;
    let reply = s
        .app
        .post(
            "/api/sales",
            &s.maria,
            json!({"items": [{"product_id": s.cafe.to_string(), "quantity": "2"}], "payment_method": "pix"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["payment_method"], "pix");
}

#[tokio::test]
async fn an_idempotency_key_makes_a_retried_sale_happen_once() {
    let s = shop().await;
    let send = || {
        s.app
            .client
            .post(s.app.url("/api/sales"))
            .bearer_auth(&s.maria)
            .header("Idempotency-Key", "caixa1-0001")
            .json(&json!({"items": [{"product_id": s.cafe, "quantity": 1}]}))
            .send()
    };
    let (a, b) = tokio::join!(send(), send());
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!((a.status(), b.status()), (StatusCode::CREATED, StatusCode::CREATED));
    let replayed = [&a, &b].iter().filter(|r| r.headers().get("idempotent-replayed").is_some()).count();
    assert_eq!(replayed, 1);
    let (a, b): (Value, Value) = (a.json().await.unwrap(), b.json().await.unwrap());
    assert_eq!(a["id"], b["id"]);
    let c: Value = send().await.unwrap().json().await.unwrap();
    assert_eq!(c["id"], a["id"]);
    assert_eq!(s.app.stock_of(&s.admin, s.cafe).await, 9, "sold once");
    // Another seller's key is another sale.
    let other = s
        .app
        .client
        .post(s.app.url("/api/sales"))
        .bearer_auth(&s.joao)
        .header("Idempotency-Key", "caixa1-0001")
        .json(&json!({"items": [{"product_id": s.cafe, "quantity": 1}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::CREATED);
    assert!(other.headers().get("idempotent-replayed").is_none());
}

/// A key sent again with another cart (or payment) is refused: answering with the first sale
/// would make the till believe the second cart was paid.
#[tokio::test]
async fn an_idempotency_key_reused_for_a_different_sale_is_refused_and_sells_nothing() {
    let s = shop().await;
    let send = |body: Value| {
        s.app
            .client
            .post(s.app.url("/api/sales"))
            .bearer_auth(&s.maria)
            .header("Idempotency-Key", "caixa1-0042")
            .json(&body)
            .send()
    };
    let item = |product: i64, quantity: i64| json!({"product_id": product, "quantity": quantity});
    let cart = json!({"items": [item(s.cafe, 1), item(s.pao, 2)], "payment_method": "pix"});
    let first = send(cart).await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    let differences = [
        json!({"items": [item(s.cafe, 2), item(s.pao, 2)], "payment_method": "pix"}),
        json!({"items": [item(s.cafe, 1)], "payment_method": "pix"}),
        json!({"items": [item(s.cafe, 1), item(s.pao, 2)], "payment_method": "dinheiro"}),
        json!({"items": [item(s.cafe, 1), item(s.pao, 2)]}),
    ];
    for body in differences {
        let reply = send(body.clone()).await.unwrap();
        assert_eq!(reply.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(reply.headers().get("idempotent-replayed").is_none());
        let error: Value = reply.json().await.unwrap();
        assert!(error["error"].as_str().unwrap().starts_with("Idempotency-Key já usada para outra venda"), "{error}");
    }
    // The same cart, its lines in another order, is the same request.
    let again = send(json!({"items": [item(s.pao, 2), item(s.cafe, 1)], "payment_method": "pix"})).await.unwrap();
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(again.json::<Value>().await.unwrap()["id"], first["id"]);
    assert_eq!(s.app.stock_of(&s.admin, s.cafe).await, 9, "sold once");
    assert_eq!(s.app.stock_of(&s.admin, s.pao).await, 98);
}

#[tokio::test]
async fn employees_see_only_their_own_sales_and_admins_see_all() {
    let s = shop().await;
    let mine = s.app.sell(&s.maria, &[(s.pao, 1)]).await.body;
    let theirs = s.app.sell(&s.joao, &[(s.pao, 2)]).await.body;
    let list = s.app.get("/api/sales", &s.maria).await;
    assert_eq!(list.body["total"], 1);
    assert_eq!(list.body["sales"][0]["id"], mine["id"]);
    assert_eq!(cents(&list.body["total_amount"]), 75);
    let other = s.app.get(&format!("/api/sales/{}", theirs["id"]), &s.maria).await;
    assert_eq!((other.status, other.error()), (StatusCode::FORBIDDEN, "Acesso negado"));
    assert_eq!(s.app.get(&format!("/api/sales/{}", mine["id"]), &s.maria).await.status, StatusCode::OK);
    // An employee cannot widen the filter to someone else.
    let sneaky = s.app.get(&format!("/api/sales?user_id={}", theirs["user_id"]), &s.maria).await;
    assert_eq!(sneaky.body["total"], 1);
    assert_eq!(sneaky.body["sales"][0]["id"], mine["id"]);

    let all = s.app.get("/api/sales", &s.admin).await;
    assert_eq!(all.body["total"], 2);
    assert_eq!(all.body["sales"][0]["id"], theirs["id"], "newest first");
    assert_eq!(cents(&all.body["total_amount"]), 225);
    assert_eq!(cents(&all.body["average_ticket"]), 113, "225 / 2 rounded half up");
    let by_user = s.app.get(&format!("/api/sales?user_id={}", s.maria_id), &s.admin).await;
    assert_eq!(by_user.body["total"], 1);
    let missing = s.app.get("/api/sales/999", &s.admin).await;
    assert_eq!((missing.status, missing.error()), (StatusCode::NOT_FOUND, "Venda não encontrada"));
}

#[tokio::test]
async fn sales_are_paginated_newest_first() {
    let s = shop().await;
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(s.app.sell(&s.maria, &[(s.pao, 1)]).await.body["id"].as_i64().unwrap());
    }
    let page = s.app.get("/api/sales?page=2&per_page=2", &s.admin).await;
    assert_eq!(
        (&page.body["total"], &page.body["pages"], &page.body["current_page"]),
        (&json!(5), &json!(3), &json!(2))
    );
    let got: Vec<i64> = page.body["sales"].as_array().unwrap().iter().map(|s| s["id"].as_i64().unwrap()).collect();
    assert_eq!(got, [ids[2], ids[1]]);
    assert_eq!(page.body["sales"][0]["items"].as_array().unwrap().len(), 1, "items included");
    assert_eq!(s.app.get("/api/sales?per_page=101", &s.admin).await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn date_filters_accept_dates_and_datetime_local_values() {
    let s = shop().await;
    s.app.sell(&s.maria, &[(s.pao, 1)]).await;
    let tz = chrono_tz::America::Sao_Paulo;
    let now = Utc::now().with_timezone(&tz);
    let today = now.format("%Y-%m-%d").to_string();
    let tomorrow = (now + Duration::days(1)).format("%Y-%m-%d").to_string();
    let yesterday = (now - Duration::days(1)).format("%Y-%m-%d").to_string();
    let minute = |d: chrono::DateTime<chrono_tz::Tz>| d.format("%Y-%m-%dT%H:%M").to_string();
    let count = |query: String| {
        let s = &s;
        async move {
            let reply = s.app.get(&format!("/api/sales?{query}"), &s.admin).await;
            assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.body);
            reply.body["total"].as_i64().unwrap()
        }
    };
    assert_eq!(
        count(format!("start_date={today}&end_date={today}")).await,
        1,
        "a date-only end includes the whole day"
    );
    assert_eq!(count(format!("start_date={tomorrow}")).await, 0);
    assert_eq!(count(format!("end_date={yesterday}")).await, 0);
    assert_eq!(count(format!("start_date={}", minute(now - Duration::minutes(5)))).await, 1);
    assert_eq!(count(format!("end_date={}", minute(now - Duration::minutes(5)))).await, 0);
    assert_eq!(count(format!("end_date={}", minute(now))).await, 1, "the end minute is included");
    assert_eq!(count(format!("start_date={}:00", minute(now - Duration::minutes(5)))).await, 1, "with seconds");
    let utc = Utc::now() - Duration::minutes(1);
    assert_eq!(count(format!("start_date={}", utc.format("%Y-%m-%dT%H:%M:%SZ"))).await, 1, "RFC 3339 with an offset");

    for (param, value) in [("start_date", "29/11/2026"), ("end_date", "ontem"), ("start_date", "2026-13-01")] {
        let reply = s.app.get(&format!("/api/sales?{param}={value}"), &s.admin).await;
        assert_eq!(
            (reply.status, reply.error()),
            (StatusCode::BAD_REQUEST, format!("Formato de data inválido para {param}").as_str())
        );
    }
}

#[tokio::test]
async fn the_csv_export_opens_in_excel_in_portuguese() {
    let s = shop().await;
    s.app.post("/api/sales", &s.maria, json!({"items": [{"product_id": s.cafe, "quantity": 2}, {"product_id": s.pao, "quantity": 1}], "payment_method": "credito"})).await;
    s.app.sell(&s.joao, &[(s.pao, 3)]).await;
    let response = s.app.client.get(s.app.url("/api/sales/export")).bearer_auth(&s.admin).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(response.headers()["content-disposition"].to_str().unwrap().starts_with("attachment; filename=\"vendas-"));
    let bytes = response.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 byte-order mark for Excel");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines[0],
        "Venda;Data;Vendedor;Pagamento;Itens;Produtos;Total;Cliente;CPF/CNPJ;Subtotal;Desconto;Devolvido;Situação"
    );
    assert_eq!(lines.len(), 3);
    let first: Vec<&str> = lines[1].split(';').collect();
    assert_eq!(first[2], "maria");
    assert_eq!(first[3], "Cartão de crédito");
    assert_eq!(first[4], "3");
    assert_eq!(first[5], "2 x Café Torrado 500g, 1 x Pão Francês");
    assert_eq!(first[6], "35,73");
    assert!(chrono::NaiveDateTime::parse_from_str(first[1], "%d/%m/%Y %H:%M").is_ok(), "{}", first[1]);
    // Employees export only their own sales.
    let own = s
        .app
        .client
        .get(s.app.url("/api/sales/export"))
        .bearer_auth(&s.joao)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(own.split("\r\n").filter(|l| !l.is_empty()).count(), 2);
    assert!(own.contains(";joao;"));
}
