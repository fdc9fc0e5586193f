use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};

use crate::helpers::*;
use crate::permissions::{endpoints, fixtures};

/// The OpenAPI document and the server agree: every documented operation is served, and every
/// endpoint the tests know (the permission matrix covers all of them) is documented.
#[tokio::test]
async fn the_openapi_document_lists_exactly_the_served_endpoints() {
    let app = spawn_app().await;
    let reply = app.request(Method::GET, "/api/openapi.json", None, None).await;
    assert_eq!(reply.status, StatusCode::OK);
    let doc = reply.body;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let mut documented = BTreeSet::new();
    for (path, operations) in doc["paths"].as_object().unwrap() {
        for method in operations.as_object().unwrap().keys() {
            documented.insert((method.to_uppercase(), path.clone()));
        }
    }

    let admin = app.admin_token().await;
    let ids = fixtures(&app, &admin, &admin).await;
    let id_values = [ids.category, ids.product, ids.sale, ids.user].map(|v| v.to_string());
    let mut tested = BTreeSet::new();
    for (_, method, path, _) in endpoints(&ids) {
        let generic = path
            .split('/')
            .map(|segment| if id_values.iter().any(|v| v == segment) { "{id}" } else { segment })
            .collect::<Vec<_>>()
            .join("/");
        tested.insert((method.to_string(), generic));
    }
    assert_eq!(documented, tested, "documented vs. served endpoints");

    // Every documented operation answers from a real route (not the API's 404/405 fallback).
    for (method, path) in &documented {
        let url = path.replace("{id}", "999999");
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let reply = app.request(method.clone(), &url, Some(&admin), Some(serde_json::json!({}))).await;
        assert_ne!(reply.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {url}");
        if reply.status == StatusCode::NOT_FOUND {
            assert_ne!(reply.error(), "Recurso não encontrado", "{method} {url} has no route");
        }
    }
}

#[tokio::test]
async fn documented_schemas_name_the_first_versions_fields() {
    let app = spawn_app().await;
    let doc = app.request(Method::GET, "/api/openapi.json", None, None).await.body;
    let schemas = &doc["components"]["schemas"];
    let fields =
        |name: &str| -> BTreeSet<String> { schemas[name]["properties"].as_object().unwrap().keys().cloned().collect() };
    for field in ["id", "name", "description", "price", "stock", "category_id", "category_name", "created_at"] {
        assert!(fields("Product").contains(field), "Product.{field}");
    }
    for field in ["id", "user_id", "user_username", "total_amount", "timestamp", "items"] {
        assert!(fields("Sale").contains(field), "Sale.{field}");
    }
    for field in ["id", "sale_id", "product_id", "product_name", "quantity", "price_at_sale", "subtotal"] {
        assert!(fields("SaleItem").contains(field), "SaleItem.{field}");
    }
    for field in ["today_sales", "month_sales", "total_sales", "today_count", "top_products"] {
        assert!(fields("Summary").contains(field), "Summary.{field}");
    }
}
