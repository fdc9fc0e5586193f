use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn admin_creates_lists_updates_and_deletes_users() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;

    let reply = app.post("/api/users", &admin, json!({"username": "joao", "password": "joao123"})).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["role"], "funcionario", "role defaults to funcionario");
    assert_eq!(reply.body["active"], true);
    assert!(reply.body.get("password_hash").is_none() && reply.body.get("password").is_none());
    let id = reply.body["id"].as_i64().unwrap();

    let list = app.get("/api/users", &admin).await;
    assert_eq!(list.status, StatusCode::OK);
    let names: Vec<&str> = list.body.as_array().unwrap().iter().map(|u| u["username"].as_str().unwrap()).collect();
    assert_eq!(names, ["admin", "joao"]);

    let reply = app
        .put(&format!("/api/users/{id}"), &admin, json!({"username": "joao.silva", "role": "admin", "password": ""}))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!((reply.body["username"].as_str(), reply.body["role"].as_str()), (Some("joao.silva"), Some("admin")));
    assert_eq!(app.login("joao.silva", "joao123").await.status, StatusCode::OK, "empty password keeps the old one");

    let reply = app.delete(&format!("/api/users/{id}"), &admin).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["message"], "Usuário deletado com sucesso");
    assert_eq!(app.get("/api/users", &admin).await.body.as_array().unwrap().len(), 1);
    assert_eq!(app.delete(&format!("/api/users/{id}"), &admin).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn user_creation_errors_match_the_first_version() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let cases = [
        (json!({"username": "x"}), "Username e password são obrigatórios"),
        (json!({"password": "senha123"}), "Username e password são obrigatórios"),
        (json!({"username": "  ", "password": "senha123"}), "Username e password são obrigatórios"),
        (json!({"username": "x", "password": "senha123", "role": "gerente"}), "Role deve ser admin ou funcionario"),
        (json!({"username": "admin", "password": "senha123"}), "Usuário já existe"),
        (json!({"username": "y", "password": "12345"}), "Senha deve ter pelo menos 6 caracteres"),
    ];
    for (body, message) in cases {
        let reply = app.post("/api/users", &admin, body.clone()).await;
        assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, message), "{body}");
    }
}

#[tokio::test]
async fn user_update_errors() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (id, _) = app.create_user(&admin, "maria", "funcionario").await;
    let reply = app.put("/api/users/999", &admin, json!({"username": "z"})).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::NOT_FOUND, "Usuário não encontrado"));
    let reply = app.put("/api/users/abc", &admin, json!({"username": "z"})).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::NOT_FOUND, "Usuário não encontrado"));
    let reply = app.put(&format!("/api/users/{id}"), &admin, json!({"username": "admin"})).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, "Username já existe"));
    let reply = app.put(&format!("/api/users/{id}"), &admin, json!({"role": "dono"})).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, "Role deve ser admin ou funcionario"));
    let reply = app.put(&format!("/api/users/{id}"), &admin, json!({"active": "sim"})).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_admin_cannot_delete_themselves() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let reply = app.delete("/api/users/1", &admin).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, "Não é possível deletar o próprio usuário"));
}

#[tokio::test]
async fn the_last_active_admin_cannot_be_demoted_deactivated_or_deleted() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let reply = app.put("/api/users/1", &admin, json!({"role": "funcionario"})).await;
    assert_eq!(
        (reply.status, reply.error()),
        (StatusCode::BAD_REQUEST, "Não é possível remover o último administrador ativo")
    );

    // With a second admin, the first may be demoted; then the second is the last one.
    let (second, second_token) = app.create_user(&admin, "gerente", "admin").await;
    let reply = app.put("/api/users/1", &second_token, json!({"role": "funcionario"})).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let reply = app.put(&format!("/api/users/{second}"), &second_token, json!({"role": "funcionario"})).await;
    assert_eq!(reply.error(), "Não é possível remover o último administrador ativo");
    let reply = app.put(&format!("/api/users/{second}"), &second_token, json!({"active": false})).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let reply = app.delete(&format!("/api/users/{second}"), &second_token).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    // Still exactly one active admin.
    let users = app.get("/api/users", &second_token).await.body;
    let admins = users.as_array().unwrap().iter().filter(|u| u["role"] == "admin" && u["active"] == true).count();
    assert_eq!(admins, 1);
}

#[tokio::test]
async fn two_admins_demoting_each_other_at_once_leave_one_admin() {
    let app = spawn_app().await;
    let first = app.admin_token().await;
    let (second_id, second) = app.create_user(&first, "gerente", "admin").await;
    let second_url = format!("/api/users/{second_id}");
    for _ in 0..5 {
        let (a, b) = tokio::join!(
            app.put(&second_url, &first, json!({"role": "funcionario"})),
            app.put("/api/users/1", &second, json!({"role": "funcionario"})),
        );
        let winners = [a.status, b.status].iter().filter(|s| **s == StatusCode::OK).count();
        assert_eq!(winners, 1, "{} {} / {} {}", a.status, a.body, b.status, b.body);
        let (still_admin, demoted) = if a.status == StatusCode::OK { (&first, second_id) } else { (&second, 1) };
        let users = app.get("/api/users", still_admin).await.body;
        assert_eq!(users.as_array().unwrap().iter().filter(|u| u["role"] == "admin").count(), 1);
        let restored = app.put(&format!("/api/users/{demoted}"), still_admin, json!({"role": "admin"})).await;
        assert_eq!(restored.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn deleting_a_user_with_sales_keeps_the_sales_and_their_name() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (id, maria) = app.create_user(&admin, "maria", "funcionario").await;
    let category = app.create_category(&admin, "Mercearia").await;
    let product = app.create_product(&admin, "Arroz 5kg", "24.90", 10, category).await;
    let sale = app.sell(&maria, &[(product, 2)]).await;
    assert_eq!(sale.status, StatusCode::CREATED);
    let sale_id = sale.body["id"].as_i64().unwrap();

    let reply = app.delete(&format!("/api/users/{id}"), &admin).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);

    let kept = app.get(&format!("/api/sales/{sale_id}"), &admin).await;
    assert_eq!(kept.status, StatusCode::OK);
    assert_eq!(kept.body["user_username"], "maria");
    assert_eq!(kept.body["user_id"], id);
    assert_eq!(cents(&kept.body["total_amount"]), 4980);
    let list = app.get("/api/sales", &admin).await;
    assert_eq!(list.body["total"], 1);
    // Her session ended at once, she cannot log in, and the name is free again.
    assert_eq!(app.get("/api/auth/me", &maria).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.login("maria", "senha123").await.status, StatusCode::UNAUTHORIZED);
    let reply = app.post("/api/users", &admin, json!({"username": "maria", "password": "outra-senha"})).await;
    assert_eq!(reply.status, StatusCode::CREATED);
}

#[tokio::test]
async fn a_deactivated_user_loses_access_at_once_and_can_be_reactivated() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (id, joao) = app.create_user(&admin, "joao", "funcionario").await;
    let reply = app.put(&format!("/api/users/{id}"), &admin, json!({"active": false})).await;
    assert_eq!((reply.status, &reply.body["active"]), (StatusCode::OK, &json!(false)));
    assert_eq!(app.get("/api/categories", &joao).await.status, StatusCode::UNAUTHORIZED);
    let reply = app.login("joao", "senha123").await;
    assert_eq!(
        (reply.status, reply.error()),
        (StatusCode::UNAUTHORIZED, "Usuário desativado. Procure o administrador")
    );
    assert_eq!(app.put(&format!("/api/users/{id}"), &admin, json!({"active": true})).await.status, StatusCode::OK);
    assert_eq!(app.login("joao", "senha123").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_role_change_takes_effect_at_once() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (id, token) = app.create_user(&admin, "ana", "funcionario").await;
    assert_eq!(app.get("/api/users", &token).await.status, StatusCode::FORBIDDEN);
    app.put(&format!("/api/users/{id}"), &admin, json!({"role": "admin"})).await;
    assert_eq!(app.get("/api/users", &token).await.status, StatusCode::OK, "promoted with the same token");
    app.put(&format!("/api/users/{id}"), &admin, json!({"role": "funcionario"})).await;
    assert_eq!(app.get("/api/users", &token).await.status, StatusCode::FORBIDDEN, "demoted with the same token");
}

#[tokio::test]
async fn an_admin_changing_a_password_ends_that_users_sessions() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (id, token) = app.create_user(&admin, "bia", "funcionario").await;
    app.put(&format!("/api/users/{id}"), &admin, json!({"password": "nova-senha"})).await;
    assert_eq!(app.get("/api/auth/me", &token).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.login("bia", "nova-senha").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_null_or_an_empty_user_update_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (id, _) = app.create_user(&admin, "maria", "funcionario").await;
    let url = format!("/api/users/{id}");
    for field in ["username", "role", "active"] {
        let reply = app.put(&url, &admin, json!({ field: null })).await;
        assert_eq!(
            (reply.status, reply.error()),
            (StatusCode::BAD_REQUEST, format!("O campo {field} não pode ser nulo").as_str())
        );
    }
    for body in ["", "{}", r#"{"ativo": false}"#] {
        let reply = app.send_raw(reqwest::Method::PUT, &url, Some(&admin), body).await;
        assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, "Nenhum campo para alterar"), "{body:?}");
    }
    let users = app.get("/api/users", &admin).await.body;
    let maria = users.as_array().unwrap().iter().find(|u| u["id"] == id).unwrap().clone();
    assert_eq!(
        (&maria["username"], &maria["role"], &maria["active"]),
        (&json!("maria"), &json!("funcionario"), &json!(true))
    );
    assert_eq!(app.login("maria", "senha123").await.status, StatusCode::OK);
}
