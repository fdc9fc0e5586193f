use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

async fn setup() -> (TestApp, String, i64) {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let category = app.create_category(&admin, "Mercearia").await;
    (app, admin, category)
}

#[tokio::test]
async fn a_product_is_created_with_every_field() {
    let (app, admin, category) = setup().await;
    let reply = app
        .post(
            "/api/products",
            &admin,
            json!({"name": "Café Torrado 500g", "description": "Tradicional", "price": 17.49, "stock": 40, "category_id": category, "code": "7891000100103", "min_stock": 8}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let p = &reply.body;
    assert_eq!(p["name"], "Café Torrado 500g");
    assert_eq!(p["description"], "Tradicional");
    assert_eq!(p["price"].to_string(), "17.49");
    assert_eq!(p["stock"], 40);
    assert_eq!(p["category_id"], category);
    assert_eq!(p["category_name"], "Mercearia");
    assert_eq!(p["code"], "7891000100103");
    assert_eq!(p["min_stock"], 8);
    assert_eq!(p["low_stock"], false);
    assert!(p["created_at"].as_str().unwrap().ends_with('Z'));
}

#[tokio::test]
async fn numeric_strings_are_accepted_and_defaults_apply() {
    let (app, admin, category) = setup().await;
    let reply = app
        .post(
            "/api/products",
            &admin,
            json!({"name": "Pão", "price": "0.50", "stock": "3", "category_id": category.to_string()}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["price"].to_string(), "0.5");
    assert_eq!(reply.body["stock"], 3);
    assert_eq!(reply.body["min_stock"], 5);
    assert_eq!(reply.body["low_stock"], true);
    assert_eq!(reply.body["description"], Value::Null);
    let reply = app.post("/api/products", &admin, json!({"name": "Bala", "price": 0.1, "category_id": category})).await;
    assert_eq!(reply.body["stock"], 0, "stock defaults to zero");
}

#[tokio::test]
async fn product_creation_errors_match_the_first_version() {
    let (app, admin, category) = setup().await;
    let required = "Nome, preço e categoria são obrigatórios";
    let types = "Preço deve ser um número e estoque deve ser um inteiro";
    let positive = "Preço e estoque devem ser valores positivos";
    let cases = [
        (json!({"price": 1, "category_id": category}), StatusCode::BAD_REQUEST, required),
        (json!({"name": "", "price": 1, "category_id": category}), StatusCode::BAD_REQUEST, required),
        (json!({"name": "X", "category_id": category}), StatusCode::BAD_REQUEST, required),
        (json!({"name": "X", "price": null, "category_id": category}), StatusCode::BAD_REQUEST, required),
        (json!({"name": "X", "price": 1}), StatusCode::BAD_REQUEST, required),
        (json!({"name": "X", "price": 1, "category_id": 999}), StatusCode::NOT_FOUND, "Categoria não encontrada"),
        (json!({"name": "X", "price": "abc", "category_id": category}), StatusCode::BAD_REQUEST, types),
        (json!({"name": "X", "price": true, "category_id": category}), StatusCode::BAD_REQUEST, types),
        (json!({"name": "X", "price": 1, "stock": "muito", "category_id": category}), StatusCode::BAD_REQUEST, types),
        (json!({"name": "X", "price": 1, "stock": 1.5, "category_id": category}), StatusCode::BAD_REQUEST, types),
        (json!({"name": "X", "price": 0, "category_id": category}), StatusCode::BAD_REQUEST, positive),
        (json!({"name": "X", "price": -2, "category_id": category}), StatusCode::BAD_REQUEST, positive),
        (json!({"name": "X", "price": "-1e300", "category_id": category}), StatusCode::BAD_REQUEST, positive),
        (json!({"name": "X", "price": 1, "stock": -1, "category_id": category}), StatusCode::BAD_REQUEST, positive),
        (
            json!({"name": "X", "price": 12.345, "category_id": category}),
            StatusCode::BAD_REQUEST,
            "Preço deve ter no máximo duas casas decimais",
        ),
        (
            json!({"name": "X", "price": 1e300, "category_id": category}),
            StatusCode::BAD_REQUEST,
            "Preço acima do limite permitido (R$ 10.000.000,00)",
        ),
        (
            json!({"name": "X", "price": 1, "stock": 9223372036854775808u64, "category_id": category}),
            StatusCode::BAD_REQUEST,
            "Estoque acima do limite permitido (1.000.000.000)",
        ),
    ];
    for (body, status, message) in cases {
        let reply = app.post("/api/products", &admin, body.clone()).await;
        assert_eq!((reply.status, reply.error()), (status, message), "{body}");
    }
    assert_eq!(app.get("/api/products", &admin).await.body["total"], 0, "nothing was written");
}

#[tokio::test]
async fn codes_are_unique_among_active_products() {
    let (app, admin, category) = setup().await;
    let body = json!({"name": "A", "price": 1, "category_id": category, "code": "123"});
    let first = app.post("/api/products", &admin, body.clone()).await.body["id"].as_i64().unwrap();
    let reply = app.post("/api/products", &admin, body.clone()).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, "Código já cadastrado em outro produto"));
    app.delete(&format!("/api/products/{first}"), &admin).await;
    assert_eq!(
        app.post("/api/products", &admin, body).await.status,
        StatusCode::CREATED,
        "an archived product frees its code"
    );
}

#[tokio::test]
async fn products_are_updated_partially() {
    let (app, admin, category) = setup().await;
    let other = app.create_category(&admin, "Bebidas").await;
    let id = app.create_product(&admin, "Suco", "5.00", 10, category).await;
    let reply = app.put(&format!("/api/products/{id}"), &admin, json!({"price": "6.25"})).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        (reply.body["price"].to_string().as_str(), &reply.body["name"], &reply.body["stock"]),
        ("6.25", &json!("Suco"), &json!(10))
    );
    let reply = app
        .put(
            &format!("/api/products/{id}"),
            &admin,
            json!({"name": "Suco de Uva", "category_id": other, "stock": 3, "description": "1L"}),
        )
        .await;
    assert_eq!(reply.body["category_name"], "Bebidas");
    assert_eq!(reply.body["stock"], 3);
    assert_eq!(reply.body["description"], "1L");
    let reply = app.put(&format!("/api/products/{id}"), &admin, json!({"description": null, "code": "abc"})).await;
    assert_eq!((&reply.body["description"], &reply.body["code"]), (&Value::Null, &json!("abc")));
}

#[tokio::test]
async fn product_update_errors_match_the_first_version() {
    let (app, admin, category) = setup().await;
    let id = app.create_product(&admin, "Suco", "5.00", 10, category).await;
    let url = format!("/api/products/{id}");
    let cases = [
        ("/api/products/999", json!({"price": 1}), StatusCode::NOT_FOUND, "Produto não encontrado"),
        (url.as_str(), json!({"category_id": 999}), StatusCode::NOT_FOUND, "Categoria não encontrada"),
        (url.as_str(), json!({"price": 0}), StatusCode::BAD_REQUEST, "Preço deve ser um valor positivo"),
        (url.as_str(), json!({"price": -5}), StatusCode::BAD_REQUEST, "Preço deve ser um valor positivo"),
        (url.as_str(), json!({"stock": -1}), StatusCode::BAD_REQUEST, "Estoque deve ser um valor positivo"),
        (url.as_str(), json!({"name": ""}), StatusCode::BAD_REQUEST, "Nome do produto é obrigatório"),
    ];
    for (path, body, status, message) in cases {
        let reply = app.put(path, &admin, body.clone()).await;
        assert_eq!((reply.status, reply.error()), (status, message), "{path} {body}");
    }
    let product = app.get(&url, &admin).await.body;
    assert_eq!((product["price"].to_string().as_str(), &product["stock"]), ("5.0", &json!(10)), "nothing changed");
}

#[tokio::test]
async fn stock_is_set_or_adjusted_without_going_negative() {
    let (app, admin, category) = setup().await;
    let id = app.create_product(&admin, "Suco", "5.00", 10, category).await;
    let url = format!("/api/products/{id}/stock");
    let reply = app.put(&url, &admin, json!({"stock": 25})).await;
    assert_eq!((reply.status, &reply.body["stock"]), (StatusCode::OK, &json!(25)));
    let reply = app.put(&url, &admin, json!({"adjustment": 5})).await;
    assert_eq!(reply.body["stock"], 30);
    let reply = app.put(&url, &admin, json!({"adjustment": "-30"})).await;
    assert_eq!(reply.body["stock"], 0);
    let reply = app.put(&url, &admin, json!({"adjustment": -1})).await;
    assert_eq!(
        (reply.status, reply.error()),
        (StatusCode::BAD_REQUEST, "Estoque insuficiente para o ajuste. Disponível: 0")
    );
    let reply = app.put(&url, &admin, json!({})).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, "Novo valor de estoque é obrigatório"));
    let reply = app.put(&url, &admin, json!({"stock": -3})).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, "Estoque deve ser um valor positivo"));
    let reply = app.put(&url, &admin, json!({"stock": 2.5})).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let reply = app.put("/api/products/999/stock", &admin, json!({"stock": 1})).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::NOT_FOUND, "Produto não encontrado"));
    assert_eq!(app.stock_of(&admin, id).await, 0);
}

#[tokio::test]
async fn listing_paginates_like_the_first_version() {
    let (app, admin, category) = setup().await;
    for i in 0..7 {
        app.create_product(&admin, &format!("Produto {i:02}"), "1.00", 1, category).await;
    }
    let reply = app.get("/api/products?page=2&per_page=3", &admin).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        (&reply.body["total"], &reply.body["pages"], &reply.body["current_page"]),
        (&json!(7), &json!(3), &json!(2))
    );
    let names: Vec<&str> =
        reply.body["products"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Produto 03", "Produto 04", "Produto 05"]);
    let past = app.get("/api/products?page=9&per_page=3", &admin).await;
    assert_eq!((past.status, past.body["products"].as_array().unwrap().len()), (StatusCode::OK, 0));
    assert_eq!(
        app.get("/api/products", &admin).await.body["products"].as_array().unwrap().len(),
        7,
        "default page size 50"
    );
    for bad in ["per_page=0", "per_page=101", "per_page=100000", "page=0", "page=-1", "page=abc", "per_page=1.5"] {
        let reply = app.get(&format!("/api/products?{bad}"), &admin).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(reply.error().starts_with("Parâmetro"), "{bad}");
    }
}

#[tokio::test]
async fn search_ignores_case_and_accents_and_takes_wildcards_literally() {
    let (app, admin, category) = setup().await;
    for name in ["Café Torrado 500g", "Açúcar Refinado", "Desconto 50% Off", "Pão_de_Queijo", "Cafeteira"] {
        app.create_product(&admin, name, "1.00", 1, category).await;
    }
    let search = |q: &str| {
        let app = &app;
        let admin = &admin;
        let q = q.to_string();
        async move {
            let reply = app
                .client
                .get(app.url("/api/products"))
                .query(&[("search", q.as_str())])
                .bearer_auth(admin)
                .send()
                .await
                .unwrap();
            let body: Value = reply.json().await.unwrap();
            body["products"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["name"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(search("cafe").await, ["Café Torrado 500g", "Cafeteira"]);
    assert_eq!(search("CAFÉ TORRADO").await, ["Café Torrado 500g"]);
    assert_eq!(search("acucar").await, ["Açúcar Refinado"]);
    assert_eq!(search("%").await, ["Desconto 50% Off"]);
    assert_eq!(search("_").await, ["Pão_de_Queijo"]);
    assert_eq!(search("50%").await, ["Desconto 50% Off"]);
    assert!(search("c_f").await.is_empty());
    assert!(search("zzz").await.is_empty());
}

#[tokio::test]
async fn products_are_found_by_code_and_filtered_by_category_and_low_stock() {
    let (app, admin, category) = setup().await;
    let other = app.create_category(&admin, "Bebidas").await;
    app.post(
        "/api/products",
        &admin,
        json!({"name": "Água", "price": 2, "stock": 100, "category_id": other, "code": "7890001"}),
    )
    .await;
    app.create_product(&admin, "Sal", "3.00", 2, category).await;
    app.create_product(&admin, "Arroz", "20.00", 50, category).await;
    let reply = app.get("/api/products?code=7890001", &admin).await;
    assert_eq!(reply.body["products"][0]["name"], "Água");
    assert_eq!(reply.body["total"], 1);
    assert_eq!(app.get("/api/products?code=789", &admin).await.body["total"], 0, "code is an exact match");
    assert_eq!(app.get("/api/products?search=789", &admin).await.body["total"], 1, "search also looks at codes");
    let reply = app.get(&format!("/api/products?category_id={category}"), &admin).await;
    assert_eq!(reply.body["total"], 2);
    let reply = app.get("/api/products?low_stock=true", &admin).await;
    assert_eq!(reply.body["products"][0]["name"], "Sal");
    assert_eq!(reply.body["total"], 1);
    assert_eq!(app.get("/api/products?category_id=abc", &admin).await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn deleting_a_sold_product_archives_it_and_keeps_its_sales_intact() {
    let (app, admin, category) = setup().await;
    let id = app.create_product(&admin, "Bolo de Fubá", "12.00", 5, category).await;
    let sale = app.sell(&admin, &[(id, 2)]).await;
    assert_eq!(sale.status, StatusCode::CREATED);
    let reply = app.delete(&format!("/api/products/{id}"), &admin).await;
    assert_eq!((reply.status, reply.body["message"].as_str()), (StatusCode::OK, Some("Produto deletado com sucesso")));
    assert_eq!(app.get("/api/products", &admin).await.body["total"], 0, "hidden from lists");
    assert_eq!(app.get(&format!("/api/products/{id}"), &admin).await.status, StatusCode::NOT_FOUND);
    let reply = app.sell(&admin, &[(id, 1)]).await;
    assert_eq!(
        (reply.status, reply.error()),
        (StatusCode::NOT_FOUND, format!("Produto com ID {id} não encontrado").as_str()),
        "not sellable"
    );
    let kept = app.get(&format!("/api/sales/{}", sale.body["id"]), &admin).await;
    assert_eq!(kept.body, sale.body, "the sale is unchanged");
    assert_eq!(app.delete(&format!("/api/products/{id}"), &admin).await.status, StatusCode::NOT_FOUND);
}

/// Product pages are kept in memory while the catalog is unchanged; every change, whether made
/// here, through another instance on the same database or straight in the database, shows in
/// the very next page.
#[tokio::test]
async fn the_next_product_page_shows_every_change_wherever_it_was_made() {
    let (app, admin, category) = setup().await;
    let other = crate::instance::start(test_config(&app.database_url, &[])).await;
    let elsewhere = |method: reqwest::Method, path: String, body: Value| {
        let request = other.client.request(method, other.url(&path)).bearer_auth(&admin).json(&body).send();
        async move { assert!(request.await.unwrap().status().is_success()) }
    };
    let cafe = app.create_product(&admin, "Café", "9.90", 10, category).await;
    let page = || async {
        let reply = app.get("/api/products?search=cafe", &admin).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        reply.body
    };
    let first = |page: &Value, field: &str| page["products"][0][field].clone();
    let kept = page().await;
    assert_eq!((first(&kept, "stock"), kept["total"].clone()), (json!(10), json!(1)));
    assert_eq!(page().await, kept);

    elsewhere(reqwest::Method::POST, "/api/sales".into(), json!({"items": [{"product_id": cafe, "quantity": 3}]}))
        .await;
    assert_eq!(first(&page().await, "stock"), 7, "a sale made by another instance");
    elsewhere(reqwest::Method::PUT, format!("/api/products/{cafe}"), json!({"price": "10.50"})).await;
    assert_eq!(first(&page().await, "price"), 10.5, "a new price set through another instance");
    elsewhere(reqwest::Method::PUT, format!("/api/categories/{category}"), json!({"name": "Bebidas"})).await;
    assert_eq!(first(&page().await, "category_name"), "Bebidas", "a category renamed through another instance");
    app.put(&format!("/api/products/{cafe}/stock"), &admin, json!({"adjustment": 5})).await;
    assert_eq!(first(&page().await, "stock"), 12, "a stock adjustment made here");

    let mut db = connect(&app.database_url).await;
    sqlx::query("UPDATE products SET stock = 40 WHERE id = $1").bind(cafe).execute(&mut db).await.unwrap();
    assert_eq!(first(&page().await, "stock"), 40, "a change made straight in the database");

    let body = json!({"name": "Cafeteira", "price": 80, "stock": 2, "category_id": category});
    elsewhere(reqwest::Method::POST, "/api/products".into(), body).await;
    assert_eq!(page().await["total"], 2, "a product created through another instance");
    elsewhere(reqwest::Method::DELETE, format!("/api/products/{cafe}"), json!({})).await;
    let after = page().await;
    assert_eq!((after["total"].clone(), first(&after, "name")), (json!(1), json!("Cafeteira")), "a product deleted");
}

/// `null` for a field that cannot be cleared is refused, not read as "leave it"; an update that
/// names no field is refused; neither changes anything (not even `updated_at`).
#[tokio::test]
async fn a_null_or_an_empty_product_update_is_refused_and_changes_nothing() {
    let (app, admin, category) = setup().await;
    let id = app.create_product(&admin, "Suco", "5.00", 10, category).await;
    let url = format!("/api/products/{id}");
    let before = app.get(&url, &admin).await.body;
    for field in ["name", "price", "stock", "category_id", "min_stock"] {
        let reply = app.put(&url, &admin, json!({ field: null })).await;
        assert_eq!(
            (reply.status, reply.error()),
            (StatusCode::BAD_REQUEST, format!("O campo {field} não pode ser nulo").as_str())
        );
    }
    for body in ["", "{}", r#"{"nome": "Suco de uva"}"#] {
        let reply = app.send_raw(reqwest::Method::PUT, &url, Some(&admin), body).await;
        assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, "Nenhum campo para alterar"), "{body:?}");
    }
    assert_eq!(app.get(&url, &admin).await.body, before);
    // Clearing what may be cleared still works.
    let reply = app.put(&url, &admin, json!({"description": null})).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}
