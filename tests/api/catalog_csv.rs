//! The catalog as a spreadsheet: an export Excel in Portuguese opens, and an import that is all
//! or nothing, with every problem reported by line and column.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::*;

async fn export(app: &TestApp, admin: &str) -> (StatusCode, String, String) {
    export_of(app, admin, "").await
}

/// The export with the listing's filters (`low_stock=true`, ...).
async fn export_of(app: &TestApp, admin: &str, query: &str) -> (StatusCode, String, String) {
    let response =
        app.client.get(app.url(&format!("/api/products/export?{query}"))).bearer_auth(admin).send().await.unwrap();
    let status = response.status();
    let kind = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (status, kind, response.text().await.unwrap())
}

async fn count(app: &TestApp, admin: &str, path: &str) -> usize {
    let body = app.get(path, admin).await.body;
    body.get("total").and_then(|t| t.as_u64()).map_or_else(|| body.as_array().unwrap().len(), |t| t as usize)
}

const FILE: &str = "\u{feff}codigo;nome;categoria;unidade;preco;custo;estoque_minimo;estoque;codigos_de_barras;ativo;descricao\r\n\
    CAF-500;Café torrado 500 g;Mercearia;UN;18,90;12,40;6;24;7891000100103 96385074;sim;\"Moído; tradicional\"\r\n\
    QJ-MIN;Queijo minas;Frios;KG;49,90;31,00;1,5;3,250;;sim;\r\n\
    ARZ-5;Arroz 5 kg;Mercearia;UN;\"1.024,00\";;;10;036000291452;não;Fardo\r\n";

#[tokio::test]
async fn an_import_creates_the_catalog_and_its_export_reads_back_in_excel_terms() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let reply = app.send_raw(Method::POST, "/api/products/import", Some(&admin), FILE).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body, json!({"created": 3, "updated": 0, "categories_created": 2}));

    let cheese = &app.get("/api/products?search=queijo", &admin).await.body["products"][0];
    assert_eq!(
        (cheese["unit"].as_str(), cheese["stock"].as_f64(), cheese["min_stock"].as_f64()),
        (Some("KG"), Some(3.25), Some(1.5))
    );
    assert_eq!((cents(&cheese["price"]), cents(&cheese["cost_price"])), (4990, 3100));
    let coffee = &app.get("/api/products?search=cafe", &admin).await.body["products"][0];
    assert_eq!(coffee["barcodes"], json!(["7891000100103", "96385074"]));
    assert_eq!((coffee["description"].as_str(), coffee["stock"].as_i64()), (Some("Moído; tradicional"), Some(24)));
    let rice = &app.get("/api/products?search=arroz", &admin).await.body["products"][0];
    assert_eq!((rice["active"].as_bool(), cents(&rice["price"])), (Some(false), 102_400));
    let movements = app.get(&format!("/api/products/{}/movements", coffee["id"]), &admin).await.body;
    assert_eq!((movements["total"].as_i64(), movements["movements"][0]["type"].as_str()), (Some(1), Some("inicial")));

    let (status, kind, csv) = export(&app, &admin).await;
    assert_eq!((status, kind.as_str()), (StatusCode::OK, "text/csv; charset=utf-8"));
    assert!(
        csv.starts_with("\u{feff}codigo;nome;categoria;unidade;preco;custo;custo_medio;estoque_minimo;estoque;"),
        "{csv}"
    );
    assert!(csv.contains("QJ-MIN;Queijo minas;Frios;KG;49,90;31,00;;1,500;3,250;;sim;"), "{csv}");
    assert!(csv.contains("\"Moído; tradicional\""), "{csv}");

    // The export imported again changes the prices it was edited with, not the stock.
    let edited = csv.replace("49,90", "52,00").replace(";3,250;", ";9,000;");
    let again = app.send_raw(Method::POST, "/api/products/import", Some(&admin), &edited).await;
    assert_eq!(again.body, json!({"created": 0, "updated": 3, "categories_created": 0}), "{}", again.body);
    let cheese = &app.get("/api/products?search=queijo", &admin).await.body["products"][0];
    assert_eq!((cents(&cheese["price"]), cheese["stock"].as_f64()), (5200, Some(3.25)));
}

#[tokio::test]
async fn one_bad_line_rolls_the_whole_file_back_and_every_problem_names_its_line_and_column() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let bad = "nome;categoria;preco;estoque;codigos_de_barras\n\
               Café;Mercearia;18,90;24;7891000100103\n\
               Chá;Mercearia;abc;5;\n\
               Mate;Mercearia;9,90;1,5;7891000100104\n";
    let reply = app.send_raw(Method::POST, "/api/products/import", Some(&admin), bad).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    let errors: Vec<(i64, String)> = reply.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["line"].as_i64().unwrap(), e["column"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(errors, [(3, "preco".into()), (4, "codigos_de_barras".into()), (4, "estoque".into())]);
    assert!(reply.error().starts_with("Linha 3, coluna preco: preço \"abc\" inválido"), "{}", reply.error());
    assert!(reply.error().ends_with("Nada foi importado"), "{}", reply.error());
    assert_eq!((count(&app, &admin, "/api/products").await, count(&app, &admin, "/api/categories").await), (0, 0));

    // A line that only the catalog can refuse (a barcode another product has) rolls back the
    // lines before it too.
    let category = app.create_category(&admin, "Outros").await;
    let body = json!({"name": "Café antigo", "price": "1.00", "category_id": category, "barcode": "96385074"});
    assert_eq!(app.post("/api/products", &admin, body).await.status, StatusCode::CREATED);
    let taken = "nome;categoria;preco;codigos_de_barras\nSal;Mercearia;2,00;\nAçúcar;Mercearia;4,00;96385074\n";
    let reply = app.send_raw(Method::POST, "/api/products/import", Some(&admin), taken).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert_eq!(
        reply.error(),
        "Linha 3, coluna codigos_de_barras: Código de barras já cadastrado em outro produto ativo. Nada foi importado"
    );
    assert_eq!(reply.body["errors"][0]["line"], 3);
    assert_eq!((count(&app, &admin, "/api/products").await, count(&app, &admin, "/api/categories").await), (1, 1));

    let (_, employee) = app.create_user(&admin, "caixa", "funcionario").await;
    let refused = app.send_raw(Method::POST, "/api/products/import", Some(&employee), FILE).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(export(&app, &employee).await.0, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_export_keeps_the_listings_filters_so_low_stock_is_a_report() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let reply = app.send_raw(Method::POST, "/api/products/import", Some(&admin), FILE).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let names = |csv: &str| -> Vec<String> {
        csv.lines().skip(1).map(|line| line.split(';').nth(1).unwrap().to_string()).collect()
    };

    // Nothing is low yet (coffee 24 over 6, cheese 3,250 kg over 1,5, rice 10 over 5); then the
    // cheese is counted at 1,2 kg.
    let (_, _, csv) = export_of(&app, &admin, "low_stock=true").await;
    assert!(names(&csv).is_empty(), "{csv}");
    let cheese = app.get("/api/products?search=queijo", &admin).await.body["products"][0]["id"].as_i64().unwrap();
    let reply = app.post("/api/stock/counts", &admin, json!({"product_id": cheese, "counted": "1.2"})).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);

    let (status, kind, csv) = export_of(&app, &admin, "low_stock=true").await;
    assert_eq!((status, kind.as_str()), (StatusCode::OK, "text/csv; charset=utf-8"));
    assert!(csv.starts_with("\u{feff}codigo;nome;"), "{csv}");
    assert_eq!(names(&csv), ["Queijo minas"], "{csv}");
    assert!(csv.contains(";1,500;1,200;"), "{csv}");
    let (_, _, csv) = export_of(&app, &admin, "active=false").await;
    assert_eq!(names(&csv), ["Arroz 5 kg"], "{csv}");
    let (_, _, csv) = export_of(&app, &admin, "search=cafe&active=true").await;
    assert_eq!(names(&csv), ["Café torrado 500 g"], "{csv}");
    let (_, _, csv) = export(&app, &admin).await;
    assert_eq!(names(&csv).len(), 3, "{csv}");

    let (status, _, body) = export_of(&app, &admin, "low_stock=talvez").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("Parâmetro low_stock deve ser true ou false"), "{body}");
}

/// A GS1 code of 13 digits with its check digit.
fn ean13(payload: u64) -> String {
    let digits = format!("{payload:012}");
    let sum: u32 =
        digits.bytes().rev().enumerate().map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 3 } else { 1 }).sum();
    format!("{digits}{}", (10 - sum % 10) % 10)
}

#[tokio::test]
async fn a_big_import_creates_every_product_with_its_barcode_and_opening_stock_in_the_ledger() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    // More lines than two batches of new products: some weighed, some inactive, some without
    // stock; the last one takes a barcode an active product has (found after the batches before).
    let mut file = String::from("codigo;nome;categoria;unidade;preco;estoque;codigos_de_barras;ativo\n");
    for i in 0..1_234u64 {
        let (unit, stock) = if i % 10 == 0 { ("KG", "2,5") } else { ("UN", if i % 7 == 0 { "0" } else { "12" }) };
        let active = if i % 50 == 1 { "não" } else { "sim" };
        file.push_str(&format!(
            "P{i};Produto {i};Cat {};{unit};3,50;{stock};{};{active}\n",
            i % 3,
            ean13(789_000_000_000 + i)
        ));
    }
    let category = app.create_category(&admin, "Antiga").await;
    let body = json!({"name": "Antigo", "price": "1.00", "category_id": category, "barcode": ean13(789_000_009_999)});
    assert_eq!(app.post("/api/products", &admin, body).await.status, StatusCode::CREATED);
    let taken = format!("{file}P9999;Produto novo;Cat 1;UN;1,00;1;{};sim\n", ean13(789_000_009_999));
    let reply = app.send_raw(Method::POST, "/api/products/import", Some(&admin), &taken).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert_eq!(
        reply.error(),
        "Linha 1236, coluna codigos_de_barras: Código de barras já cadastrado em outro produto ativo. Nada foi importado"
    );
    assert_eq!(count(&app, &admin, "/api/products").await, 1);
    assert_eq!(unbalanced(&app.database_url).await, []);

    let reply = app.send_raw(Method::POST, "/api/products/import", Some(&admin), &file).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body, json!({"created": 1_234, "updated": 0, "categories_created": 3}));

    assert_eq!(count(&app, &admin, "/api/products").await, 1_235);
    let found = app.get(&format!("/api/products?search={}", ean13(789_000_000_778)), &admin).await.body;
    let p778 = &found["products"][0];
    assert_eq!(
        (p778["name"].as_str(), p778["stock"].as_i64(), p778["unit"].as_str()),
        (Some("Produto 778"), Some(12), Some("UN"))
    );
    let p10 = &app.get("/api/products?code=P10", &admin).await.body["products"][0];
    assert_eq!((p10["stock"].as_f64(), p10["unit"].as_str()), (Some(2.5), Some("KG")));
    // An inactive product's barcode is not live: another product may take it.
    let body = json!({"name": "Outro", "price": "1.00", "category_id": category, "barcode": ean13(789_000_000_051)});
    assert_eq!(app.post("/api/products", &admin, body).await.status, StatusCode::CREATED);

    // Every opening stock is a movement, and the ledger adds up.
    assert_eq!(unbalanced(&app.database_url).await, []);
    let movements = app.get(&format!("/api/products/{}/movements", p778["id"]), &admin).await.body;
    assert_eq!((movements["total"].as_i64(), movements["movements"][0]["type"].as_str()), (Some(1), Some("inicial")));
    let p7 = &app.get("/api/products?code=P7", &admin).await.body["products"][0];
    let none = app.get(&format!("/api/products/{}/movements", p7["id"]), &admin).await.body;
    assert_eq!((p7["stock"].as_i64(), none["total"].as_i64()), (Some(0), Some(0)));

    // The same file again updates every product (their stock stays: entries and counts change it).
    let again = file.replace(";3,50;", ";3,90;");
    let reply = app.send_raw(Method::POST, "/api/products/import", Some(&admin), &again).await;
    assert_eq!(reply.body, json!({"created": 0, "updated": 1_234, "categories_created": 0}), "{}", reply.body);
    let p778 = app.get(&format!("/api/products/{}", p778["id"]), &admin).await.body;
    assert_eq!((cents(&p778["price"]), p778["stock"].as_i64()), (390, Some(12)));
    assert_eq!(unbalanced(&app.database_url).await, []);

    // A line that changes nothing writes nothing: the product keeps its time of change.
    let reply = app.send_raw(Method::POST, "/api/products/import", Some(&admin), &again).await;
    assert_eq!(reply.body, json!({"created": 0, "updated": 1_234, "categories_created": 0}), "{}", reply.body);
    let unchanged = app.get(&format!("/api/products/{}", p778["id"]), &admin).await.body;
    assert_eq!(unchanged["updated_at"], p778["updated_at"]);
}
