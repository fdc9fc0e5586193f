//! The counter: payments with change, split payments, discounts with approval, cancellations
//! and returns, settings, the PIX code and printing a receipt on a network printer.

use std::collections::BTreeMap;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

async fn shop() -> (TestApp, String, i64) {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let category = app.create_category(&admin, "Mercearia").await;
    (app, admin, category)
}

fn sale(items: Value, extra: Value) -> Value {
    let mut body = extra;
    body["items"] = items;
    body
}

#[tokio::test]
async fn a_cash_sale_gives_change_and_records_what_was_paid() {
    let (app, admin, category) = shop().await;
    let rice = app.create_product(&admin, "Arroz", "12.50", 10, category).await;
    let body =
        sale(json!([{"product_id": rice, "quantity": 3}]), json!({"payments": [{"method": "dinheiro", "amount": 50}]}));
    let reply = app.post("/api/sales", &admin, body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let s = &reply.body;
    assert_eq!(
        (cents(&s["subtotal_amount"]), cents(&s["discount_amount"]), cents(&s["total_amount"])),
        (3750, 0, 3750)
    );
    assert_eq!(cents(&s["change"]), 1250);
    assert_eq!(s["payments"], json!([{"method": "dinheiro", "amount": 37.5, "tendered": 50.0}]));
    assert_eq!((s["status"].as_str(), s["payment_method"].as_str()), (Some("concluida"), Some("dinheiro")));

    // The same with the amount due and what was handed over.
    let body = sale(
        json!([{"product_id": rice, "quantity": 1}]),
        json!({"payments": [{"method": "dinheiro", "amount": 12.5, "tendered": 20}]}),
    );
    let reply = app.post("/api/sales", &admin, body).await;
    assert_eq!(cents(&reply.body["change"]), 750, "{}", reply.body);
    let stored = app.get(&format!("/api/sales/{}", reply.body["id"]), &admin).await.body;
    assert_eq!(stored["payments"], reply.body["payments"]);
    assert_eq!(stored["change"], reply.body["change"]);
}

#[tokio::test]
async fn a_split_sale_must_add_up_and_only_cash_may_pass_the_total() {
    let (app, admin, category) = shop().await;
    let oil = app.create_product(&admin, "Azeite", "40.00", 10, category).await;
    let items = json!([{"product_id": oil, "quantity": 2}]);
    let split = |payments: Value| sale(items.clone(), json!({ "payments": payments }));

    let reply = app
        .post(
            "/api/sales",
            &admin,
            split(json!([{"method": "credito", "amount": 50}, {"method": "pix", "amount": 30}])),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["payment_method"], Value::Null, "dividida entre duas formas");
    assert_eq!(reply.body["payments"].as_array().unwrap().len(), 2);
    assert_eq!(cents(&reply.body["change"]), 0);

    for (payments, message) in [
        (
            json!([{"method": "credito", "amount": 50}, {"method": "pix", "amount": 29.99}]),
            "Os pagamentos somam R$ 79,99, mas o total é R$ 80,00",
        ),
        (
            json!([{"method": "debito", "amount": 80.01}]),
            "Pagamentos acima do total: só o dinheiro pode passar do total (a diferença é o troco)",
        ),
        (
            json!([{"method": "pix", "amount": 80, "tendered": 100}]),
            "Valor recebido (tendered) só existe para pagamento em dinheiro",
        ),
        (
            json!([{"method": "dinheiro", "amount": 80, "tendered": 70}]),
            "Valor recebido menor que o valor pago em dinheiro",
        ),
        (
            json!([{"method": "cheque", "amount": 80}]),
            "Forma de pagamento deve ser dinheiro, debito, credito, pix ou outro",
        ),
        (
            json!([{"method": "pix", "amount": "8,00"}]),
            "amount do pagamento deve ser um valor maior que zero, com até duas casas decimais",
        ),
        (
            json!([{"method": "pix", "amount": 0.001}]),
            "amount do pagamento deve ser um valor maior que zero, com até duas casas decimais",
        ),
        (json!([]), "payments deve ser uma lista de pagamentos com method e amount"),
        (json!({"method": "pix"}), "payments deve ser uma lista de pagamentos com method e amount"),
    ] {
        let reply = app.post("/api/sales", &admin, split(payments.clone())).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{payments}: {}", reply.body);
        assert_eq!(reply.error(), message, "{payments}");
    }
    let mismatch =
        sale(items.clone(), json!({"payment_method": "pix", "payments": [{"method": "debito", "amount": 80}]}));
    assert_eq!(app.post("/api/sales", &admin, mismatch).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.stock_of(&admin, oil).await, 8, "só a venda aceita baixou o estoque");
    assert_eq!(app.all_sales(&admin).await.len(), 1);
}

#[tokio::test]
async fn discounts_are_exact_to_the_cent_in_lines_and_on_the_sale() {
    let (app, admin, category) = shop().await;
    let mut candy = Vec::new();
    for i in 0..3 {
        candy.push(app.create_product(&admin, &format!("Bala {i}"), "0.10", 10, category).await);
    }
    // 33,33% off each of three lines of R$ 0,10: R$ 0,03 each (half up), R$ 0,21 in all.
    let items: Vec<Value> =
        candy.iter().map(|p| json!({"product_id": p, "quantity": 1, "discount_percent": 33.33})).collect();
    let reply = app.post("/api/sales", &admin, json!({ "items": items })).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!((cents(&reply.body["discount_amount"]), cents(&reply.body["total_amount"])), (9, 21));
    assert!(reply.body["items"].as_array().unwrap().iter().all(|i| cents(&i["total_amount"]) == 7));

    // 33,33% off the sale of R$ 0,30: 9,999 cents -> R$ 0,10, shared 4 + 3 + 3.
    let items: Vec<Value> = candy.iter().map(|p| json!({"product_id": p, "quantity": 1})).collect();
    let reply = app.post("/api/sales", &admin, json!({"items": items, "discount_percent": "33.33"})).await;
    assert_eq!((cents(&reply.body["discount_amount"]), cents(&reply.body["total_amount"])), (10, 20));
    let nets: Vec<i64> = reply.body["items"].as_array().unwrap().iter().map(|i| cents(&i["total_amount"])).collect();
    assert_eq!(nets, vec![6, 7, 7]);

    // An amount off a line and off the sale; the payments pay what is left.
    let body = json!({"items": [{"product_id": candy[0], "quantity": 5, "discount_amount": 0.2}],
        "discount_amount": 0.1, "payments": [{"method": "pix", "amount": 0.2}]});
    let reply = app.post("/api/sales", &admin, body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!((cents(&reply.body["subtotal_amount"]), cents(&reply.body["total_amount"])), (50, 20));
    assert_eq!(cents(&reply.body["items"][0]["discount_amount"]), 20);

    for (body, message) in [
        (
            json!({"items": [{"product_id": candy[0], "quantity": 1, "discount_amount": 0.11}]}),
            "Desconto maior que o valor a que se aplica",
        ),
        (
            json!({"items": [{"product_id": candy[0], "quantity": 1, "discount_percent": 100.01}]}),
            "discount_percent do item deve ser um percentual maior que zero e até 100, com até duas casas decimais",
        ),
        (
            json!({"items": [{"product_id": candy[0], "quantity": 1}], "discount_percent": 10, "discount_amount": 0.01}),
            "Informe discount_percent ou discount_amount da venda, não os dois",
        ),
        (
            json!({"items": [{"product_id": candy[0], "quantity": 1, "discount_percent": 5}, {"product_id": candy[0], "quantity": 1}]}),
            &format!("O produto {} aparece em mais de uma linha e uma delas tem desconto: junte as linhas", candy[0]),
        ),
    ] {
        let reply = app.post("/api/sales", &admin, body.clone()).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}: {}", reply.body);
        assert_eq!(reply.error(), message);
    }
    // The daily totals, and so the dashboard, hold the discounted amounts.
    let summary = app.get("/api/sales/reports/summary", &admin).await.body;
    assert_eq!(cents(&summary["today_sales"]), 21 + 20 + 20);
}

#[tokio::test]
async fn an_employee_discount_over_the_limit_needs_an_administrator_at_the_pdv() {
    let (app, admin, category) = shop().await;
    let wine = app.create_product(&admin, "Vinho", "100.00", 10, category).await;
    assert_eq!(app.put("/api/settings", &admin, json!({"max_discount_percent": 10})).await.status, StatusCode::OK);
    let (_, cashier) = app.create_user(&admin, "caixa", "funcionario").await;
    app.create_user(&admin, "outro", "funcionario").await;
    let body = |extra: Value| {
        let mut body = json!({"items": [{"product_id": wine, "quantity": 1}], "discount_percent": 15});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        body
    };
    let within = json!({"items": [{"product_id": wine, "quantity": 1}], "discount_amount": 10});
    assert_eq!(app.post("/api/sales", &cashier, within).await.status, StatusCode::CREATED, "10% é o limite");

    let reply = app.post("/api/sales", &cashier, body(json!({}))).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        reply.error(),
        "Desconto acima do limite de 10% para funcionários: é preciso a aprovação de um administrador"
    );
    for approval in
        [json!({"username": "admin", "password": "errada"}), json!({"username": "outro", "password": "senha123"})]
    {
        let reply = app.post("/api/sales", &cashier, body(json!({ "discount_approval": approval }))).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
        assert_eq!(reply.error(), "Aprovação recusada: usuário ou senha de administrador inválidos");
    }
    assert_eq!(app.stock_of(&admin, wine).await, 9, "nada foi vendido nas recusas");

    let approval = json!({"discount_approval": {"username": "admin", "password": ADMIN_PASSWORD}});
    let reply = app.post("/api/sales", &cashier, body(approval)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["discount_approved_by"], "admin");
    assert_eq!(cents(&reply.body["total_amount"]), 8500);
    // The cashier's session is still good (a refused approval is not a 401).
    assert_eq!(app.get("/api/auth/me", &cashier).await.status, StatusCode::OK);
    // Administrators give any discount themselves.
    assert_eq!(app.post("/api/sales", &admin, body(json!({}))).await.status, StatusCode::CREATED);
}

async fn item_ids(sale: &Value) -> BTreeMap<i64, i64> {
    sale["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["product_id"].as_i64().unwrap(), i["id"].as_i64().unwrap()))
        .collect()
}

#[tokio::test]
async fn a_cancellation_and_returns_bring_stock_back_and_leave_the_totals() {
    let (app, admin, category) = shop().await;
    let beans = app.create_product(&admin, "Feijão", "10.00", 20, category).await;
    let coffee = app.create_product(&admin, "Café", "15.00", 20, category).await;
    let items = json!([{"product_id": beans, "quantity": 3}, {"product_id": coffee, "quantity": 2}]);
    // R$ 60,00 with 10% off the sale: R$ 54,00, lines 27,00 and 27,00.
    let first = app
        .post("/api/sales", &admin, json!({"items": items, "discount_percent": 10, "payment_method": "pix"}))
        .await
        .body;
    let second = app.post("/api/sales", &admin, json!({"items": [{"product_id": beans, "quantity": 1}]})).await.body;
    let summary = async |app: &TestApp| app.get("/api/sales/reports/summary", &admin).await.body;
    assert_eq!(cents(&summary(&app).await["today_sales"]), 6400);

    // Cancel the second: its stock back, out of the totals, shown as cancelled.
    let path = format!("/api/sales/{}/cancel", second["id"]);
    let reply = app.post(&path, &admin, json!({"reason": "Cliente desistiu"})).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        (reply.body["status"].as_str(), reply.body["cancel_reason"].as_str()),
        (Some("cancelada"), Some("Cliente desistiu"))
    );
    assert_eq!(reply.body["cancelled_by"], "admin");
    let again = app.post(&path, &admin, json!({"reason": "De novo"})).await;
    assert_eq!((again.status, again.error()), (StatusCode::CONFLICT, "Venda já cancelada"));
    assert_eq!(app.stock_of(&admin, beans).await, 17);
    let s = summary(&app).await;
    assert_eq!((cents(&s["today_sales"]), s["today_count"].as_i64()), (5400, Some(1)));
    let listing = app.get("/api/sales", &admin).await.body;
    assert_eq!(
        (listing["total"].as_i64(), cents(&listing["total_amount"])),
        (Some(2), 5400),
        "a cancelada aparece, sem valor"
    );

    // Two partial returns of the first, valued at what was paid after the discount.
    let ids = item_ids(&first).await;
    let returns = format!("/api/sales/{}/returns", first["id"]);
    let give_back = |item: i64, quantity: i64| json!({"items": [{"sale_item_id": item, "quantity": quantity}], "reason": "Defeito", "refund_method": "dinheiro"});
    let reply = app.post(&returns, &admin, give_back(ids[&beans], 1)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(cents(&reply.body["refunded_amount"]), 900, "R$ 27,00 por 3 unidades");
    let reply = app.post(&returns, &admin, give_back(ids[&beans], 2)).await;
    assert_eq!(cents(&reply.body["refunded_amount"]), 2700);
    assert_eq!(reply.body["returns"].as_array().unwrap().len(), 2);
    assert_eq!(
        reply.body["items"].as_array().unwrap().iter().find(|i| i["product_id"] == beans).unwrap()["returned_quantity"],
        3
    );
    // A third return beyond what was sold is refused and changes nothing.
    let reply = app.post(&returns, &admin, give_back(ids[&beans], 1)).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(
        reply.error(),
        format!("Devolução acima do vendido no item {}. Disponível para devolver: 0", ids[&beans])
    );
    assert_eq!(app.stock_of(&admin, beans).await, 20);
    assert_eq!(app.stock_of(&admin, coffee).await, 18);
    let s = summary(&app).await;
    assert_eq!(cents(&s["today_sales"]), 2700, "54,00 - 27,00 devolvidos");
    let top: Vec<(i64, i64)> = s["top_products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["product_id"].as_i64().unwrap(), p["total_sold"].as_i64().unwrap()))
        .collect();
    assert!(top.contains(&(coffee, 2)) && !top.iter().any(|(p, units)| *p == beans && *units != 0), "{top:?}");

    // The ledger names each movement.
    let movements = app.get(&format!("/api/products/{beans}/movements"), &admin).await.body;
    let reasons: Vec<&str> =
        movements["movements"].as_array().unwrap().iter().map(|m| m["reason"].as_str().unwrap()).collect();
    assert_eq!(reasons, ["devolucao", "devolucao", "cancelamento", "venda", "venda", "inicial"]);
    // Cancelling after returns brings back only what was not returned.
    let reply = app.post(&format!("/api/sales/{}/cancel", first["id"]), &admin, json!({"reason": "Erro"})).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(app.stock_of(&admin, coffee).await, 20);
    assert_eq!(app.stock_of(&admin, beans).await, 20);
    assert_eq!(cents(&summary(&app).await["today_sales"]), 0);
    let refused = app.post(&returns, &admin, give_back(ids[&coffee], 1)).await;
    assert_eq!((refused.status, refused.error()), (StatusCode::CONFLICT, "Venda cancelada não aceita devolução"));
}

#[tokio::test]
async fn concurrent_returns_of_the_last_units_return_each_unit_once() {
    let (app, admin, category) = shop().await;
    let soap = app.create_product(&admin, "Sabonete", "3.33", 10, category).await;
    let sold = app.post("/api/sales", &admin, json!({"items": [{"product_id": soap, "quantity": 3}]})).await.body;
    let item = sold["items"][0]["id"].as_i64().unwrap();
    let path = format!("/api/sales/{}/returns", sold["id"]);
    let body = json!({"items": [{"sale_item_id": item, "quantity": 1}], "reason": "Troca", "refund_method": "pix"});
    let replies = futures_util::future::join_all((0..8).map(|_| app.post(&path, &admin, body.clone()))).await;
    let created = replies.iter().filter(|r| r.status == StatusCode::CREATED).count();
    assert_eq!(created, 3, "{:?}", replies.iter().map(|r| r.status).collect::<Vec<_>>());
    assert!(replies.iter().all(|r| r.status == StatusCode::CREATED || r.status == StatusCode::CONFLICT));
    let stored = app.get(&format!("/api/sales/{}", sold["id"]), &admin).await.body;
    assert_eq!(cents(&stored["refunded_amount"]), 999, "3,33 + 3,33 + 3,33: exatamente o pago");
    assert_eq!(app.stock_of(&admin, soap).await, 10);
}

#[tokio::test]
async fn bad_cancellations_and_returns_are_refused_in_portuguese() {
    let (app, admin, category) = shop().await;
    let milk = app.create_product(&admin, "Leite", "5.00", 10, category).await;
    let sold = app.sell(&admin, &[(milk, 2)]).await.body;
    let item = sold["items"][0]["id"].as_i64().unwrap();
    let (_, cashier) = app.create_user(&admin, "caixa", "funcionario").await;
    let returns = format!("/api/sales/{}/returns", sold["id"]);
    for (path, body, status, message) in [
        (
            format!("/api/sales/{}/cancel", sold["id"]),
            json!({}),
            StatusCode::BAD_REQUEST,
            "Motivo (reason) é obrigatório".to_string(),
        ),
        (
            format!("/api/sales/{}/cancel", sold["id"]),
            json!({"reason": "   "}),
            StatusCode::BAD_REQUEST,
            "Motivo é obrigatório".into(),
        ),
        (
            "/api/sales/99999/cancel".into(),
            json!({"reason": "x"}),
            StatusCode::NOT_FOUND,
            "Venda não encontrada".into(),
        ),
        (
            returns.clone(),
            json!({"items": [], "reason": "x", "refund_method": "pix"}),
            StatusCode::BAD_REQUEST,
            "Lista de itens a devolver é obrigatória".into(),
        ),
        (
            returns.clone(),
            json!({"items": [{"sale_item_id": item, "quantity": 0}], "reason": "x", "refund_method": "pix"}),
            StatusCode::BAD_REQUEST,
            "Quantidade deve ser um número inteiro maior que zero".into(),
        ),
        (
            returns.clone(),
            json!({"items": [{"sale_item_id": item, "quantity": 1}], "reason": "x"}),
            StatusCode::BAD_REQUEST,
            "Forma de devolução (refund_method) é obrigatória".into(),
        ),
        (
            returns.clone(),
            json!({"items": [{"sale_item_id": item + 1000, "quantity": 1}], "reason": "x", "refund_method": "pix"}),
            StatusCode::BAD_REQUEST,
            format!("Item {} não pertence a esta venda", item + 1000),
        ),
        (
            returns.clone(),
            json!({"items": [{"sale_item_id": item, "quantity": 3}], "reason": "x", "refund_method": "pix"}),
            StatusCode::CONFLICT,
            format!("Devolução acima do vendido no item {item}. Disponível para devolver: 2"),
        ),
    ] {
        let reply = app.post(&path, &admin, body.clone()).await;
        assert_eq!((reply.status, reply.error()), (status, message.as_str()), "{path} {body}");
    }
    let reply = app
        .post(
            &returns,
            &cashier,
            json!({"items": [{"sale_item_id": item, "quantity": 1}], "reason": "x", "refund_method": "pix"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(app.stock_of(&admin, milk).await, 8);
    assert_eq!(app.get(&format!("/api/sales/{}", sold["id"]), &admin).await.body["status"], "concluida");
}

#[tokio::test]
async fn one_idempotency_key_makes_one_sale_and_one_set_of_payments_retried_or_sent_at_once() {
    let (app, admin, category) = shop().await;
    let bread = app.create_product(&admin, "Pão", "0.75", 100, category).await;
    let body =
        json!({"items": [{"product_id": bread, "quantity": 10}], "payments": [{"method": "dinheiro", "amount": 10}]});
    let send = || {
        app.client
            .post(app.url("/api/sales"))
            .bearer_auth(&admin)
            .header("Idempotency-Key", "caixa-1-venda-42")
            .json(&body)
            .send()
    };
    let replies = futures_util::future::join_all((0..6).map(|_| send())).await;
    let mut ids = Vec::new();
    for reply in replies {
        let reply = reply.unwrap();
        assert_eq!(reply.status(), StatusCode::CREATED);
        ids.push(reply.json::<Value>().await.unwrap()["id"].as_i64().unwrap());
    }
    let retried: Value = send().await.unwrap().json().await.unwrap();
    ids.push(retried["id"].as_i64().unwrap());
    ids.dedup();
    assert_eq!(ids.len(), 1, "{ids:?}");
    assert_eq!(retried["payments"], json!([{"method": "dinheiro", "amount": 7.5, "tendered": 10.0}]));
    assert_eq!(app.all_sales(&admin).await.len(), 1);
    assert_eq!(app.stock_of(&admin, bread).await, 90);
    let mut conn = connect(&app.database_url).await;
    let payments: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sale_payments").fetch_one(&mut conn).await.unwrap();
    assert_eq!(payments, 1);
    // The same key with other payments is another request.
    let other =
        json!({"items": [{"product_id": bread, "quantity": 10}], "payments": [{"method": "pix", "amount": 7.5}]});
    let reply = app
        .client
        .post(app.url("/api/sales"))
        .bearer_auth(&admin)
        .header("Idempotency-Key", "caixa-1-venda-42")
        .json(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn settings_are_validated_and_partial() {
    let (app, admin, _) = shop().await;
    let (_, cashier) = app.create_user(&admin, "caixa", "funcionario").await;
    let initial = app.get("/api/settings", &cashier).await;
    assert_eq!(initial.status, StatusCode::OK);
    assert_eq!((initial.body["shop_name"].clone(), initial.body["printer_columns"].as_i64()), (Value::Null, Some(48)));

    let reply = app
        .put(
            "/api/settings",
            &admin,
            json!({"shop_name": "Mercadinho Bom Preço", "shop_cnpj": "11222333000181",
        "pix_key": "(11) 91234-5678", "max_discount_percent": 12.5, "printer_columns": 32}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["shop_cnpj"], "11.222.333/0001-81");
    assert_eq!(reply.body["pix_key"], "+5511912345678");
    assert_eq!(reply.body["max_discount_percent"], 12.5);
    let alphanumeric = app.put("/api/settings", &admin, json!({"shop_cnpj": "12.abc.345/01de-35"})).await;
    assert_eq!(alphanumeric.body["shop_cnpj"], "12.ABC.345/01DE-35", "{}", alphanumeric.body);

    for (body, message) in [
        (json!({"shop_cnpj": "11.222.333/0001-82"}), "CNPJ inválido: dígito verificador não confere"),
        (
            json!({"pix_key": "nao sei"}),
            "Chave PIX não reconhecida: use CPF, CNPJ, e-mail, telefone com +55 ou chave aleatória",
        ),
        (
            json!({"max_discount_percent": 101}),
            "max_discount_percent deve ser um percentual de 0 a 100, com até duas casas decimais",
        ),
        (json!({"max_discount_percent": null}), "O campo max_discount_percent não pode ser nulo"),
        (json!({"printer_columns": 40}), "printer_columns deve ser 48 (papel de 80 mm) ou 32 (58 mm)"),
        (json!({"auto_print": "sim"}), "auto_print deve ser true ou false"),
        (
            json!({"pix_merchant_city": "Santo Antônio da Platina"}),
            "Cidade do recebedor PIX deve ter no máximo 15 caracteres",
        ),
        (
            json!({"printer_address": "http://impressora"}),
            "Endereço da impressora inválido: use host ou host:porta (por exemplo 192.168.0.50:9100)",
        ),
        (json!({}), "Nenhum campo para alterar"),
    ] {
        let reply = app.put("/api/settings", &admin, body.clone()).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}: {}", reply.body);
        assert!(reply.error().starts_with(message.split(':').next().unwrap()), "{body}: {}", reply.error());
    }
    let now = app.get("/api/settings", &admin).await.body;
    assert_eq!(
        (now["shop_cnpj"].as_str(), now["max_discount_percent"].as_f64()),
        (Some("12.ABC.345/01DE-35"), Some(12.5)),
        "recusas não mudaram nada"
    );
    let cleared = app.put("/api/settings", &admin, json!({"shop_name": null, "shop_cnpj": ""})).await.body;
    assert_eq!((cleared["shop_name"].clone(), cleared["shop_cnpj"].clone()), (Value::Null, Value::Null));
    assert_eq!(app.put("/api/settings", &cashier, json!({"shop_name": "X"})).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_pix_code_is_the_banco_centrals_br_code() {
    let (app, admin, _) = shop().await;
    let unset = app.get("/api/pix?amount=10", &admin).await;
    assert_eq!(unset.status, StatusCode::CONFLICT);
    let settings = json!({"pix_key": "123e4567-e12b-12d1-a456-426655440000", "pix_merchant_name": "Fulano de Tal",
        "pix_merchant_city": "BRASILIA"});
    assert_eq!(app.put("/api/settings", &admin, settings).await.status, StatusCode::OK);
    let reply = app.get("/api/pix", &admin).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        reply.body["payload"],
        "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D"
    );
    assert!(reply.body["svg"].as_str().unwrap().contains("</svg>"));
    let paid = app.get("/api/pix?amount=12.5&txid=VENDA42", &admin).await.body;
    let payload = paid["payload"].as_str().unwrap();
    assert!(payload.contains("540512.50") && payload.contains("0507VENDA42"), "{payload}");
    for query in ["amount=0", "amount=abc", "amount=1.234", "txid=com%20espaco", "txid=abcdefghijklmnopqrstuvwxyz"] {
        let reply = app.get(&format!("/api/pix?{query}"), &admin).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}: {}", reply.body);
    }
}

/// A network printer on loopback: the bytes of every connection it accepted.
#[tokio::test]
async fn a_receipt_goes_to_the_network_printer_as_escpos() {
    let (app, admin, category) = shop().await;
    let sugar = app.create_product(&admin, "Pão de Açúcar", "7.90", 10, category).await;
    let sold = app
        .post(
            "/api/sales",
            &admin,
            json!({"items": [{"product_id": sugar, "quantity": 2}],
        "payments": [{"method": "dinheiro", "amount": 20}]}),
        )
        .await
        .body;
    let card = app
        .post(
            "/api/sales",
            &admin,
            json!({"items": [{"product_id": sugar, "quantity": 1}], "payment_method": "debito"}),
        )
        .await
        .body;
    let print = |id: &Value| format!("/api/sales/{id}/print");
    let unset = app.request(Method::POST, &print(&sold["id"]), Some(&admin), None).await;
    assert_eq!(
        (unset.status, unset.error()),
        (StatusCode::CONFLICT, "Nenhuma impressora configurada: informe o endereço dela nas configurações")
    );

    let (address, mut printed) = printer().await;
    let settings = json!({"printer_address": address, "open_drawer": true, "shop_name": "Padaria São João", "shop_cnpj": "11.222.333/0001-81"});
    assert_eq!(app.put("/api/settings", &admin, settings).await.status, StatusCode::OK);
    let reply = app.request(Method::POST, &print(&sold["id"]), Some(&admin), None).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.body);
    let bytes = printed.recv().await.unwrap();
    assert!(bytes.starts_with(b"\x1b@"), "ESC @ primeiro");
    assert!(contains(&bytes, b"\x1bt\x03"), "página de código PC860");
    assert!(contains(&bytes, b"P\x84o de A\x87\xa3car"), "acentos em CP860");
    assert!(contains(&bytes, b"Padaria S\x84o Jo\x84o"));
    assert!(contains(&bytes, b"11.222.333/0001-81"));
    assert!(contains(&bytes, b"N\x8eO \x90 DOCUMENTO FISCAL"), "{}", String::from_utf8_lossy(&bytes));
    assert!(contains(&bytes, b"Troco"));
    assert!(contains(&bytes, b"\x1dVB\x00"), "corte parcial");
    assert!(contains(&bytes, b"\x1bp\x00\x19\xfa"), "pulso da gaveta numa venda em dinheiro");

    let reply = app.request(Method::POST, &print(&card["id"]), Some(&admin), None).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    let bytes = printed.recv().await.unwrap();
    assert!(contains(&bytes, b"\x1dVB\x00") && !contains(&bytes, b"\x1bp\x00"), "sem gaveta no cartão");

    // A printer that is not there: a clear 502, and the sale is untouched.
    let gone = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap().to_string();
    assert_eq!(app.put("/api/settings", &admin, json!({"printer_address": gone})).await.status, StatusCode::OK);
    let reply = app.request(Method::POST, &print(&sold["id"]), Some(&admin), None).await;
    assert_eq!(reply.status, StatusCode::BAD_GATEWAY);
    assert!(reply.error().starts_with("Impressora não encontrada em 127.0.0.1:"), "{}", reply.error());
}
