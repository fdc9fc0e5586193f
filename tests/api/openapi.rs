use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::permissions::{Access, endpoints, fixtures};

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
    let mut tested = BTreeSet::new();
    for (_, method, path, _) in endpoints(&ids) {
        tested.insert((method.to_string(), ids.generic(&path)));
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

/// Every operation as the document has it, with the permission matrix's access for it.
async fn documented_operations(app: &TestApp) -> Vec<(Access, String, String, Value)> {
    let doc = app.request(Method::GET, "/api/openapi.json", None, None).await.body;
    let admin = app.admin_token().await;
    let ids = fixtures(app, &admin, &admin).await;
    let access = |method: &str, path: &str| {
        endpoints(&ids)
            .into_iter()
            .find(|(_, m, p, _)| m.as_str().eq_ignore_ascii_case(method) && ids.generic(p) == path)
            .map(|(access, ..)| access)
            .unwrap_or_else(|| panic!("{method} {path} is not in the permission matrix"))
    };
    let mut operations = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            operations.push((access(method, path), method.to_uppercase(), path.clone(), operation.clone()));
        }
    }
    operations
}

#[tokio::test]
async fn operation_ids_are_unique_and_name_what_they_do() {
    let app = spawn_app().await;
    let operations = documented_operations(&app).await;
    let ids: BTreeSet<&str> = operations.iter().map(|(.., op)| op["operationId"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), operations.len(), "{ids:?}");
    for id in ["list_products", "create_product", "update_product", "get_sale", "create_sale", "list_users"] {
        assert!(ids.contains(id), "{id}");
    }
}

/// Parameters are where the server reads them: `{id}` in the path, filters and pages in the
/// query (declared `in: path` they were never sent by generated clients).
#[tokio::test]
async fn parameters_are_declared_where_the_server_reads_them() {
    let app = spawn_app().await;
    for (_, method, path, operation) in documented_operations(&app).await {
        for parameter in operation["parameters"].as_array().into_iter().flatten() {
            let name = parameter["name"].as_str().unwrap();
            let expected = match name {
                _ if path.contains(&format!("{{{name}}}")) => "path",
                "id" | "key" => "path",
                "Idempotency-Key" | "If-None-Match" => "header",
                _ => "query",
            };
            assert_eq!(parameter["in"], expected, "{method} {path} {name}");
            if expected == "query" {
                assert_eq!(parameter["allowEmptyValue"], true, "{method} {path} {name}: empty counts as absent");
            }
        }
    }
}

/// 401 wherever a session is required, 403 on what only administrators may do, 503 everywhere,
/// each with an `ErrorBody`; the error statuses of a sale as the handler answers them.
#[tokio::test]
async fn every_refusal_the_server_can_answer_is_documented() {
    let app = spawn_app().await;
    for (access, method, path, operation) in documented_operations(&app).await {
        let responses = operation["responses"].as_object().unwrap();
        let mut expected = vec!["503"];
        if access != Access::Public {
            expected.push("401");
        }
        if access == Access::AdminOnly {
            expected.push("403");
        }
        if operation.get("requestBody").is_some() {
            expected.extend(["400", "413"]);
        }
        for status in expected {
            let schema = &responses.get(status).unwrap_or_else(|| panic!("{method} {path}: no {status}"))["content"]["application/json"]
                ["schema"]["$ref"];
            assert_eq!(schema, "#/components/schemas/ErrorBody", "{method} {path} {status}");
        }
        // Besides the admin-only operations: another seller's sale or another operator's cash
        // session, a discount above the employees' limit without an administrator's approval, and
        // a sale, a cash session or a transfer received in a store the user does not work in, and
        // the settings or the PIX of such a store.
        let refusing = [
            ("GET", "/api/settings"),
            ("GET", "/api/pix"),
            ("GET", "/api/sales/{id}"),
            ("POST", "/api/sales/{id}/print"),
            ("POST", "/api/sales"),
            ("POST", "/api/cash-sessions"),
            ("GET", "/api/cash-sessions/{id}"),
            ("POST", "/api/cash-sessions/{id}/movements"),
            ("POST", "/api/cash-sessions/{id}/close"),
            ("POST", "/api/stock/transfers/{id}/receive"),
        ];
        if access != Access::AdminOnly && !refusing.contains(&(method.as_str(), path.as_str())) {
            assert!(!responses.contains_key("403"), "{method} {path}: 403 only where someone can be refused");
        }
    }
    let doc = app.request(Method::GET, "/api/openapi.json", None, None).await.body;
    let sale = doc["paths"]["/api/sales"]["post"]["responses"].as_object().unwrap();
    assert!(["201", "400", "404", "422"].iter().all(|s| sale.contains_key(*s)), "{sale:?}");
    let error = &doc["components"]["schemas"]["ErrorBody"]["properties"];
    assert!(error["product_id"].is_object() && error["available"].is_object());
}

/// What the server always sends, null or not, is required in the document (generated types then
/// say `string | null`, not "maybe absent").
#[tokio::test]
async fn fields_always_sent_are_required_even_when_null() {
    let app = spawn_app().await;
    let doc = app.request(Method::GET, "/api/openapi.json", None, None).await.body;
    let schemas = &doc["components"]["schemas"];
    for (schema, fields) in [
        ("Product", &["code", "description", "category_id", "category_name"][..]),
        ("Sale", &["payment_method"]),
        ("StockMovement", &["user_id", "sale_id"]),
    ] {
        let required: Vec<&str> =
            schemas[schema]["required"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        let properties = schemas[schema]["properties"].as_object().unwrap();
        assert_eq!(required.len(), properties.len(), "{schema}: every field is sent");
        for field in fields {
            assert!(required.contains(field), "{schema}.{field}");
        }
    }
}

/// Create and update bodies differ where the handlers do: what creation requires, an update
/// neither requires nor accepts as null.
#[tokio::test]
async fn create_and_update_bodies_say_what_each_requires() {
    let app = spawn_app().await;
    let doc = app.request(Method::GET, "/api/openapi.json", None, None).await.body;
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["ProductCreateBody"]["required"], json!(["name", "price", "category_id"]));
    assert_eq!(schemas["UserCreateBody"]["required"], json!(["username", "password"]));
    for update in ["ProductUpdateBody", "UserUpdateBody"] {
        assert!(schemas[update].get("required").is_none(), "{update}");
        assert_eq!(schemas[update]["minProperties"], 1, "{update}: an empty update is refused");
    }
    let update = &schemas["ProductUpdateBody"]["properties"];
    assert!(!update["price"].to_string().contains("\"null\""), "price cannot be cleared");
    assert!(update["code"]["type"].as_array().unwrap().contains(&json!("null")), "code can be cleared");
    let create = &schemas["ProductCreateBody"]["properties"];
    assert_eq!(create["price"]["oneOf"][0]["exclusiveMinimum"], 0);
    assert_eq!(create["price"]["oneOf"][0]["maximum"], 10_000_000);
    assert_eq!(schemas["SaleBody"]["properties"]["items"]["maxItems"], 1000);
}
