use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn categories_are_created_listed_renamed_and_deleted() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let reply = app.post("/api/categories", &admin, json!({"name": "  Bebidas "})).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(reply.body["name"], "Bebidas");
    assert_eq!(reply.body["products_count"], 0);
    let id = reply.body["id"].as_i64().unwrap();
    app.create_category(&admin, "Açougue").await;

    let list = app.get("/api/categories", &admin).await;
    let names: Vec<&str> = list.body.as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Açougue", "Bebidas"], "alphabetical, accents ignored");

    let reply = app.put(&format!("/api/categories/{id}"), &admin, json!({"name": "Bebidas e Sucos"})).await;
    assert_eq!((reply.status, reply.body["name"].as_str()), (StatusCode::OK, Some("Bebidas e Sucos")));

    let reply = app.delete(&format!("/api/categories/{id}"), &admin).await;
    assert_eq!(
        (reply.status, reply.body["message"].as_str()),
        (StatusCode::OK, Some("Categoria deletada com sucesso"))
    );
    assert_eq!(app.get("/api/categories", &admin).await.body.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn category_errors_match_the_first_version() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = app.create_category(&admin, "Bebidas").await;
    let other = app.create_category(&admin, "Padaria").await;
    for body in [json!({}), json!({"name": ""}), json!({"name": "   "}), json!({"name": 5})] {
        let reply = app.post("/api/categories", &admin, body).await;
        assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, "Nome da categoria é obrigatório"));
    }
    for name in ["Bebidas", "bebidas", "BEBÍDAS"] {
        let reply = app.post("/api/categories", &admin, json!({"name": name})).await;
        assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, "Categoria já existe"), "{name}");
    }
    let reply = app.put(&format!("/api/categories/{other}"), &admin, json!({"name": "bebidas"})).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, "Nome da categoria já existe"));
    let reply = app.put(&format!("/api/categories/{id}"), &admin, json!({"name": ""})).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, "Nome da categoria é obrigatório"));
    let reply = app.put("/api/categories/999", &admin, json!({"name": "X"})).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::NOT_FOUND, "Categoria não encontrada"));
    let reply = app.delete("/api/categories/999", &admin).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::NOT_FOUND, "Categoria não encontrada"));
    // Renaming to its own name (other case) is fine.
    let reply = app.put(&format!("/api/categories/{id}"), &admin, json!({"name": "BEBIDAS"})).await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn a_category_with_products_cannot_be_deleted_until_they_are_gone() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = app.create_category(&admin, "Bebidas").await;
    let product = app.create_product(&admin, "Suco", "5.00", 3, id).await;
    let list = app.get("/api/categories", &admin).await;
    assert_eq!(list.body[0]["products_count"], 1);
    let reply = app.delete(&format!("/api/categories/{id}"), &admin).await;
    assert_eq!(
        (reply.status, reply.error()),
        (StatusCode::BAD_REQUEST, "Não é possível deletar categoria com produtos associados")
    );

    // A sold then deleted (archived) product does not hold the category.
    let employee = app.create_user(&admin, "caixa", "funcionario").await.1;
    assert_eq!(app.sell(&employee, &[(product, 1)]).await.status, StatusCode::CREATED);
    assert_eq!(app.delete(&format!("/api/products/{product}"), &admin).await.status, StatusCode::OK);
    assert_eq!(app.get("/api/categories", &admin).await.body[0]["products_count"], 0);
    assert_eq!(app.delete(&format!("/api/categories/{id}"), &admin).await.status, StatusCode::OK);
    let sale = app.get("/api/sales", &admin).await;
    assert_eq!(sale.body["sales"][0]["items"][0]["product_name"], "Suco");
}
