//! The audit log: an entry for every kind of action, filters by who, what and when, and a log
//! that neither the API nor SQL can change — and whose tampering `check` finds.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

/// Every entry the log has, newest first.
async fn entries(app: &TestApp, admin: &str, query: &str) -> Vec<Value> {
    let mut all = Vec::new();
    for page in 1.. {
        let body = app.get(&format!("/api/audit?per_page=100&page={page}{query}"), admin).await.body;
        let entries = body["entries"].as_array().unwrap_or_else(|| panic!("{body}")).clone();
        if entries.is_empty() {
            return all;
        }
        all.extend(entries);
    }
    unreachable!()
}

fn actions(entries: &[Value]) -> BTreeSet<String> {
    entries.iter().map(|e| e["action"].as_str().unwrap().to_string()).collect()
}

fn details(entry: &Value) -> Value {
    entry["details"].clone()
}

#[tokio::test]
async fn every_kind_of_action_leaves_an_entry_with_who_what_and_when() {
    let app = spawn_app().await;
    assert_eq!(app.login("ninguem", "x").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.login("admin", "errada").await.status, StatusCode::UNAUTHORIZED);
    let admin = app.admin_token().await;
    let (maria_id, maria) = app.create_user(&admin, "maria", "funcionario").await;
    let (temp_id, _) = app.create_user(&admin, "temporario", "funcionario").await;
    assert_eq!(
        app.put(&format!("/api/users/{temp_id}"), &admin, json!({"role": "admin"})).await.status,
        StatusCode::OK
    );
    assert_eq!(app.delete(&format!("/api/users/{temp_id}"), &admin).await.status, StatusCode::OK);

    let category = app.create_category(&admin, "Mercearia").await;
    let spare = app.create_category(&admin, "Sobra").await;
    app.put(&format!("/api/categories/{spare}"), &admin, json!({"name": "Sobras"})).await;
    app.delete(&format!("/api/categories/{spare}"), &admin).await;
    let coffee = app.create_product(&admin, "Café", "10.00", 20, category).await;
    let reply = app.put(&format!("/api/products/{coffee}"), &admin, json!({"price": "12.50", "stock": 30})).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let photo = crate::permissions::call(
        &app,
        Method::PUT,
        &format!("/api/products/{coffee}/photo"),
        Some(&admin),
        Some(json!(crate::permissions::PHOTO)),
    )
    .await;
    assert_eq!(photo.status, StatusCode::OK);
    let gone = app.create_product(&admin, "Saindo", "1.00", 0, category).await;
    app.delete(&format!("/api/products/{gone}"), &admin).await;
    let entry = json!({"product_id": coffee, "quantity": 5, "unit_cost": "6.00", "supplier": "Torrefação"});
    assert_eq!(app.post("/api/stock/entries", &admin, entry).await.status, StatusCode::CREATED);
    let adjustment = json!({"product_id": coffee, "quantity": -1, "reason": "Quebra"});
    assert_eq!(app.post("/api/stock/adjustments", &admin, adjustment).await.status, StatusCode::CREATED);
    let count = json!({"product_id": coffee, "counted": 30});
    assert_eq!(app.post("/api/stock/counts", &admin, count).await.status, StatusCode::CREATED);
    let csv = "nome;categoria;preco\nSal;Mercearia;2,00\n";
    let reply = app.request(Method::POST, "/api/products/import", Some(&admin), Some(json!(csv))).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);

    let customer = app.post("/api/customers", &maria, json!({"name": "Ana", "document": "52998224725"})).await.body;
    app.put(&format!("/api/customers/{}", customer["id"]), &maria, json!({"phone": "(11) 98765-4321"})).await;
    assert_eq!(app.put("/api/settings", &admin, json!({"shop_name": "Mercadinho"})).await.status, StatusCode::OK);
    let session = app.post("/api/cash-sessions", &maria, json!({"opening_float": 50})).await.body["id"].clone();
    let sold = app
        .post(
            "/api/sales",
            &maria,
            json!({"items": [{"product_id": coffee, "quantity": 2}], "payments": [{"method": "dinheiro", "amount": 30}],
                "customer_id": customer["id"]}),
        )
        .await
        .body;
    let other = app.sell(&maria, &[(coffee, 1)]).await.body;
    let back = json!({"items": [{"sale_item_id": sold["items"][0]["id"], "quantity": 1}], "reason": "Troca",
        "refund_method": "pix"});
    assert_eq!(app.post(&format!("/api/sales/{}/returns", sold["id"]), &admin, back).await.status, StatusCode::CREATED);
    app.post(&format!("/api/sales/{}/cancel", other["id"]), &admin, json!({"reason": "Engano"})).await;
    let movement = json!({"type": "sangria", "amount": 10, "reason": "Cofre"});
    let path = format!("/api/cash-sessions/{session}/movements");
    assert_eq!(app.post(&path, &maria, movement).await.status, StatusCode::CREATED);
    let closed = app.post(&format!("/api/cash-sessions/{session}/close"), &maria, json!({"counted": 65})).await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    let reply = app
        .put("/api/auth/password", &maria, json!({"current_password": "senha123", "new_password": "nova-senha-1"}))
        .await;
    assert_eq!(reply.status, StatusCode::OK);

    let log = entries(&app, &admin, "").await;
    let expected: BTreeSet<String> = [
        "login.falha",
        "login.sucesso",
        "usuario.criado",
        "usuario.alterado",
        "usuario.excluido",
        "categoria.criada",
        "categoria.alterada",
        "categoria.excluida",
        "produto.criado",
        "produto.alterado",
        "produto.foto",
        "produto.excluido",
        "produto.importacao",
        "estoque.movimento",
        "cliente.criado",
        "cliente.alterado",
        "configuracoes.alteradas",
        "caixa.aberto",
        "venda.criada",
        "venda.devolucao",
        "venda.cancelada",
        "caixa.movimento",
        "caixa.fechado",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(actions(&log), expected);
    let ids: Vec<i64> = log.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");

    let find = |action: &str, entity_id: Option<i64>| -> Value {
        log.iter()
            .find(|e| e["action"] == action && entity_id.is_none_or(|id| e["entity_id"] == id))
            .unwrap_or_else(|| panic!("{action} {entity_id:?}"))
            .clone()
    };
    let unknown = log.iter().find(|e| e["action"] == "login.falha" && e["username"] == "ninguem").unwrap();
    assert_eq!((&unknown["user_id"], unknown["client"].as_str()), (&Value::Null, Some("127.0.0.1")));
    assert_eq!(details(unknown), json!({"motivo": "usuário desconhecido"}));
    let wrong = log.iter().find(|e| e["action"] == "login.falha" && e["username"] == "admin").unwrap();
    assert_eq!((wrong["user_id"].as_i64(), details(wrong)), (Some(1), json!({"motivo": "senha incorreta"})));
    let changed = find("produto.alterado", Some(coffee));
    assert_eq!(details(&changed), json!({"preco": {"antes": "10.00", "depois": "12.50"}}));
    assert_eq!((changed["username"].as_str(), changed["entity"].as_str()), (Some("admin"), Some("produto")));
    let counted = log
        .iter()
        .find(|e| e["action"] == "estoque.movimento" && e["details"]["motivo"] == "entrada")
        .expect("entrada");
    assert_eq!(details(counted)["fornecedor"], "Torrefação");
    assert_eq!(details(counted)["saldo"], "35");
    let sale = find("venda.criada", sold["id"].as_i64());
    assert_eq!((sale["user_id"].as_i64(), &details(&sale)["cliente_id"]), (Some(maria_id), &customer["id"]));
    assert_eq!(details(&sale)["total"], "25.00");
    assert_eq!(details(&find("venda.cancelada", other["id"].as_i64()))["motivo"], "Engano");
    assert_eq!(details(&find("venda.devolucao", sold["id"].as_i64()))["reembolso"], "12.50");
    assert_eq!(
        details(&find("configuracoes.alteradas", None)),
        json!({"shop_name": {"antes": null, "depois": "Mercadinho"}})
    );
    assert_eq!(
        details(&find("usuario.alterado", Some(temp_id))),
        json!({"papel": {"antes": "funcionario", "depois": "admin"}})
    );
    assert_eq!(details(&find("usuario.alterado", Some(maria_id))), json!({"senha": "alterada"}));
    let close = find("caixa.fechado", session.as_i64());
    assert_eq!(details(&close), json!({"contado": "65.00", "esperado": "65.00", "diferenca": "0.00"}));

    // Filters: who, what (an action or a whole area), when.
    let by_maria = entries(&app, &admin, &format!("&user_id={maria_id}")).await;
    assert!(!by_maria.is_empty() && by_maria.iter().all(|e| e["user_id"] == maria_id));
    let products = entries(&app, &admin, "&action=produto").await;
    assert_eq!(
        actions(&products),
        ["produto.alterado", "produto.criado", "produto.excluido", "produto.foto", "produto.importacao"]
            .into_iter()
            .map(String::from)
            .collect()
    );
    let sales = entries(&app, &admin, "&action=venda.criada").await;
    assert_eq!(sales.len(), 2);
    assert!(entries(&app, &admin, "&start_date=2099-01-01").await.is_empty());
    let today = &log[0]["created_at"].as_str().unwrap()[..10];
    assert_eq!(entries(&app, &admin, &format!("&start_date=2000-01-01&end_date={today}")).await.len(), log.len());
    let reply = app.get("/api/audit?action=produtos", &admin).await;
    assert_eq!(
        (reply.status, reply.error()),
        (StatusCode::BAD_REQUEST, "Parâmetro action inválido: use uma ação (produto.alterado) ou uma área (produto)")
    );
    assert_eq!(app.get("/api/audit", &maria).await.status, StatusCode::UNAUTHORIZED, "a senha mudou: sessão encerrada");
    let maria = app.token("maria", "nova-senha-1").await;
    assert_eq!(app.get("/api/audit", &maria).await.status, StatusCode::FORBIDDEN);

    let check = app.get("/api/audit/check", &admin).await.body;
    assert_eq!(check["intact"], true, "{check}");
    assert_eq!(check["head_hash"], app.get("/api/audit?per_page=1", &admin).await.body["entries"][0]["hash"]);
}

#[tokio::test]
async fn no_api_and_no_sql_changes_an_entry_and_check_finds_one_changed_behind_its_back() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let category = app.create_category(&admin, "Mercearia").await;
    let product = app.create_product(&admin, "Café", "10.00", 20, category).await;
    app.put(&format!("/api/products/{product}"), &admin, json!({"price": "12.00"})).await;
    for _ in 0..3 {
        app.sell(&admin, &[(product, 1)]).await;
    }
    let before = entries(&app, &admin, "").await;
    let target = before.iter().find(|e| e["action"] == "produto.alterado").unwrap()["id"].as_i64().unwrap();

    for method in [Method::PUT, Method::DELETE, Method::PATCH, Method::POST] {
        for path in ["/api/audit", &format!("/api/audit/{target}")] {
            let reply = app.request(method.clone(), path, Some(&admin), Some(json!({"details": "{}"}))).await;
            assert!(
                [StatusCode::NOT_FOUND, StatusCode::METHOD_NOT_ALLOWED].contains(&reply.status),
                "{method} {path}: {}",
                reply.status
            );
        }
    }

    let mut conn = connect(&app.database_url).await;
    let update = sqlx::query("UPDATE audit_log SET details = '{\"preco\": \"1.00\"}' WHERE id = $1")
        .bind(target)
        .execute(&mut conn)
        .await;
    assert!(update.unwrap_err().to_string().contains("registro de auditoria"));
    let delete = sqlx::query("DELETE FROM audit_log WHERE id = $1").bind(target).execute(&mut conn).await;
    assert!(delete.unwrap_err().to_string().contains("registro de auditoria"));
    let postgres = app.database_url.starts_with("postgres");
    if postgres {
        let truncate = sqlx::query("TRUNCATE audit_log").execute(&mut conn).await;
        assert!(truncate.unwrap_err().to_string().contains("registro de auditoria"));
    }
    assert_eq!(entries(&app, &admin, "").await, before, "nada mudou");
    let run = cli(&app.database_url, &["check"]).await;
    assert!(run.success, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("registro de auditoria íntegro"), "{}", run.stdout);

    // Someone who owns the database turns the guard off and edits the price change.
    let disable = if postgres {
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"
    } else {
        "DROP TRIGGER audit_log_no_update"
    };
    sqlx::query(disable).execute(&mut conn).await.unwrap();
    sqlx::query(
        "UPDATE audit_log SET details = '{\"preco\": {\"antes\": \"10.00\", \"depois\": \"1.00\"}}' WHERE id = $1",
    )
    .bind(target)
    .execute(&mut conn)
    .await
    .unwrap();
    let run = cli(&app.database_url, &["check"]).await;
    assert!(!run.success, "{}", run.stdout);
    assert!(
        run.stdout.contains(&format!("registro de auditoria adulterado: a entrada {target} foi alterada")),
        "{}",
        run.stdout
    );
    let check = app.get("/api/audit/check", &admin).await.body;
    assert_eq!((check["intact"].as_bool(), check["entries"].as_i64()), (Some(false), Some(target - 1)), "{check}");
}
