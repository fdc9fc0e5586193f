//! Stock per store: each store sells from its own stock and at its own price, and a transfer
//! moves units from one store to another (in transit until received) without creating or losing
//! any, however many sales and transfers run at once.

use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Rng, TestApp, cents, spawn_app, unbalanced};

struct Shop {
    app: TestApp,
    admin: String,
    product: i64,
    bairro: i64,
}

/// A shop with store 1 (100 units of Arroz at R$ 10,00) and a second store with none.
async fn two_stores() -> Shop {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let category = app.create_category(&admin, "Mercearia").await;
    let product = app.create_product(&admin, "Arroz", "10.00", 100, category).await;
    let reply = app.post("/api/stores", &admin, json!({"name": "Loja Bairro"})).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    Shop { bairro: reply.body["id"].as_i64().unwrap(), app, admin, product }
}

async fn stock_in(app: &TestApp, token: &str, product: i64, store: i64) -> i64 {
    let reply = app.get(&format!("/api/products/{product}?store_id={store}"), token).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body["stock"].as_i64().unwrap()
}

fn sale_in(store: i64, product: i64, quantity: i64) -> Value {
    json!({"items": [{"product_id": product, "quantity": quantity}], "payment_method": "dinheiro", "store_id": store})
}

fn transfer(from: i64, to: i64, product: i64, quantity: i64) -> Value {
    json!({"from_store_id": from, "to_store_id": to, "items": [{"product_id": product, "quantity": quantity}]})
}

#[tokio::test]
async fn a_sale_in_a_store_takes_only_that_stores_stock() {
    let Shop { app, admin, product, bairro } = two_stores().await;
    assert_eq!(stock_in(&app, &admin, product, 1).await, 100);
    assert_eq!(stock_in(&app, &admin, product, bairro).await, 0);

    // The second store has none: its sale is refused and changes nothing.
    let refused = app.post("/api/sales", &admin, sale_in(bairro, product, 1)).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert_eq!((refused.body["product_id"].as_i64(), refused.body["available"].as_i64()), (Some(product), Some(0)));
    assert_eq!(app.stock_of(&admin, product).await, 100);

    // An entry in the second store is that store's.
    let entry = json!({"product_id": product, "quantity": 5, "unit_cost": "6.00", "store_id": bairro});
    let entered = app.post("/api/stock/entries", &admin, entry).await;
    assert_eq!(entered.status, StatusCode::CREATED, "{}", entered.body);
    assert_eq!(entered.body["product"]["stock"], 5, "the answer shows the store's stock");
    let sold = app.post("/api/sales", &admin, sale_in(bairro, product, 2)).await;
    assert_eq!(sold.status, StatusCode::CREATED, "{}", sold.body);
    assert_eq!(stock_in(&app, &admin, product, bairro).await, 3);
    assert_eq!(stock_in(&app, &admin, product, 1).await, 100, "store 1 sold nothing");
    assert_eq!(app.stock_of(&admin, product).await, 103, "without a store: the total");

    // More than the store has is refused, though the chain has it.
    let refused = app.post("/api/sales", &admin, sale_in(bairro, product, 4)).await;
    assert_eq!((refused.status, refused.body["available"].as_i64()), (StatusCode::BAD_REQUEST, Some(3)));

    // A cancelled sale's units come back to the store that sold them.
    let id = sold.body["id"].as_i64().unwrap();
    let cancelled = app.post(&format!("/api/sales/{id}/cancel"), &admin, json!({"reason": "Erro"})).await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.body);
    assert_eq!(stock_in(&app, &admin, product, bairro).await, 5);
    assert_eq!(stock_in(&app, &admin, product, 1).await, 100);

    // The ledger of one store, with its balances.
    let moves = app.get(&format!("/api/products/{product}/movements?store_id={bairro}"), &admin).await;
    assert_eq!(moves.status, StatusCode::OK, "{}", moves.body);
    let listed: Vec<(String, i64, i64)> = moves.body["movements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["type"].as_str().unwrap().to_string(),
                m["quantity"].as_i64().unwrap(),
                m["stock_after"].as_i64().unwrap(),
            )
        })
        .collect();
    let expected = [("cancelamento", 2, 5), ("venda", -2, 3), ("entrada", 5, 5)];
    assert_eq!(listed, expected.map(|(r, q, b)| (r.to_string(), q, b)));
    assert!(moves.body["movements"].as_array().unwrap().iter().all(|m| m["store_id"] == bairro));
    assert_eq!(unbalanced(&app.database_url).await, vec![]);
}

#[tokio::test]
async fn with_two_stores_a_stock_change_names_its_store() {
    let Shop { app, admin, product, bairro } = two_stores().await;
    // The first admin works in store 1: an unnamed change is store 1's.
    let adjusted = app
        .post("/api/stock/adjustments", &admin, json!({"product_id": product, "quantity": -1, "reason": "Quebra"}))
        .await;
    assert_eq!(adjusted.status, StatusCode::CREATED, "{}", adjusted.body);
    assert_eq!(stock_in(&app, &admin, product, 1).await, 99);
    // An administrator who works in both must name one.
    let body = json!({"username": "gerente", "password": "senha123", "role": "admin", "store_ids": [1, bairro]});
    assert_eq!(app.post("/api/users", &admin, body).await.status, StatusCode::CREATED);
    let manager = app.token("gerente", "senha123").await;
    let count = json!({"product_id": product, "counted": 7});
    let refused = app.post("/api/stock/counts", &manager, count.clone()).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.error().contains("Informe a loja"), "{}", refused.error());
    let mut named = count;
    named["store_id"] = json!(bairro);
    assert_eq!(app.post("/api/stock/counts", &manager, named).await.status, StatusCode::CREATED);
    assert_eq!(stock_in(&app, &admin, product, bairro).await, 7);
    let missing = app
        .post(
            "/api/stock/adjustments",
            &admin,
            json!({"product_id": product, "quantity": 1, "reason": "x", "store_id": 999}),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND, "{}", missing.body);
    assert_eq!(app.stock_of(&admin, product).await, 106);
}

#[tokio::test]
async fn a_transfer_moves_its_units_exactly_and_is_in_transit_until_received() {
    let Shop { app, admin, product, bairro } = two_stores().await;
    let sent = app.post("/api/stock/transfers", &admin, transfer(1, bairro, product, 10)).await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.body);
    assert_eq!(sent.body["status"], "em_transito");
    assert_eq!(sent.body["items"][0]["quantity"], 10);
    assert_eq!(
        (sent.body["from_store_id"].as_i64(), sent.body["to_store_name"].as_str()),
        (Some(1), Some("Loja Bairro"))
    );
    let id = sent.body["id"].as_i64().unwrap();
    // In transit: out of store 1, not yet in the second.
    assert_eq!((stock_in(&app, &admin, product, 1).await, stock_in(&app, &admin, product, bairro).await), (90, 0));
    let in_transit = app.get("/api/stock/transfers?status=em_transito", &admin).await;
    assert_eq!(in_transit.body["total"], 1, "{}", in_transit.body);

    // Only an employee of the destination (or an administrator) receives it.
    let (_, ana) = app.create_user(&admin, "ana", "funcionario").await;
    let body = json!({"username": "bia", "password": "senha123", "role": "funcionario", "store_ids": [bairro]});
    assert_eq!(app.post("/api/users", &admin, body).await.status, StatusCode::CREATED);
    let bia = app.token("bia", "senha123").await;
    assert_eq!(
        app.post("/api/stock/transfers", &bia, transfer(bairro, 1, product, 1)).await.status,
        StatusCode::FORBIDDEN
    );
    let refused = app.post(&format!("/api/stock/transfers/{id}/receive"), &ana, json!({})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert_eq!(stock_in(&app, &admin, product, bairro).await, 0, "a refused receipt changes nothing");
    let received = app.post(&format!("/api/stock/transfers/{id}/receive"), &bia, json!({})).await;
    assert_eq!(
        (received.status, received.body["status"].as_str()),
        (StatusCode::OK, Some("recebida")),
        "{}",
        received.body
    );
    assert_eq!((stock_in(&app, &admin, product, 1).await, stock_in(&app, &admin, product, bairro).await), (90, 10));
    assert_eq!(app.stock_of(&admin, product).await, 100, "no unit created or lost");
    let again = app.post(&format!("/api/stock/transfers/{id}/receive"), &admin, json!({})).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert_eq!(
        app.post(&format!("/api/stock/transfers/{id}/cancel"), &admin, json!({})).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(stock_in(&app, &admin, product, bairro).await, 10);

    // A cancelled transfer's units go back where they were sent from.
    let sent = app.post("/api/stock/transfers", &admin, transfer(bairro, 1, product, 4)).await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.body);
    assert_eq!(stock_in(&app, &admin, product, bairro).await, 6);
    let id = sent.body["id"].as_i64().unwrap();
    let cancelled = app.post(&format!("/api/stock/transfers/{id}/cancel"), &admin, json!({})).await;
    assert_eq!(cancelled.body["status"], "cancelada", "{}", cancelled.body);
    assert_eq!((stock_in(&app, &admin, product, 1).await, stock_in(&app, &admin, product, bairro).await), (90, 10));

    // What a store does not have is not sent; the same store on both ends is refused.
    let short = app.post("/api/stock/transfers", &admin, transfer(bairro, 1, product, 11)).await;
    assert_eq!((short.status, short.body["available"].as_i64()), (StatusCode::BAD_REQUEST, Some(10)), "{}", short.body);
    let same = app.post("/api/stock/transfers", &admin, transfer(1, 1, product, 1)).await;
    assert_eq!(same.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", same.body);
    assert_eq!(app.get("/api/stock/transfers", &admin).await.body["total"], 2);

    // The employee of the second store sees its transfers, the one of store 1 too, nobody else's.
    assert_eq!(app.get("/api/stock/transfers", &bia).await.body["total"], 2);
    let moves = app.get(&format!("/api/products/{product}/movements?store_id={bairro}"), &admin).await.body;
    assert!(
        moves["movements"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["type"] == "transferencia" && m["transfer_id"].is_i64()),
        "{moves}"
    );
    assert_eq!(unbalanced(&app.database_url).await, vec![]);
}

#[tokio::test]
async fn a_store_charges_its_own_price_on_the_sale_and_the_receipt() {
    let Shop { app, admin, product, bairro } = two_stores().await;
    let sent = app.post("/api/stock/transfers", &admin, transfer(1, bairro, product, 10)).await;
    let id = sent.body["id"].as_i64().unwrap();
    app.post(&format!("/api/stock/transfers/{id}/receive"), &admin, json!({})).await;

    let set = app.put(&format!("/api/stores/{bairro}/prices/{product}"), &admin, json!({"price": "12.50"})).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert_eq!((cents(&set.body["price"]), cents(&set.body["catalog_price"])), (1250, 1000));
    let listed = app.get(&format!("/api/stores/{bairro}/prices"), &admin).await;
    assert_eq!(listed.body.as_array().unwrap().len(), 1, "{}", listed.body);

    let catalog = app.get(&format!("/api/products/catalog?store_id={bairro}"), &admin).await;
    assert_eq!(cents(&catalog.body["products"][0]["price"]), 1250, "{}", catalog.body);
    let product_there = app.get(&format!("/api/products/{product}?store_id={bairro}"), &admin).await.body;
    assert_eq!((cents(&product_there["price"]), cents(&product_there["catalog_price"])), (1250, 1000));

    let there = app.post("/api/sales", &admin, sale_in(bairro, product, 2)).await;
    assert_eq!(there.status, StatusCode::CREATED, "{}", there.body);
    assert_eq!(
        (cents(&there.body["total_amount"]), cents(&there.body["items"][0]["price_at_sale"])),
        (2500, 1250),
        "{}",
        there.body
    );
    let receipt = app.get(&format!("/api/sales/{}", there.body["id"]), &admin).await.body;
    assert_eq!(cents(&receipt["items"][0]["price_at_sale"]), 1250);
    let here = app.post("/api/sales", &admin, sale_in(1, product, 2)).await;
    assert_eq!(cents(&here.body["total_amount"]), 2000, "store 1 charges the catalog's price");

    assert_eq!(
        app.delete(&format!("/api/stores/{bairro}/prices/{product}"), &admin).await.status,
        StatusCode::NO_CONTENT
    );
    let back = app.post("/api/sales", &admin, sale_in(bairro, product, 1)).await;
    assert_eq!(cents(&back.body["total_amount"]), 1000, "{}", back.body);
    let (_, ana) = app.create_user(&admin, "ana", "funcionario").await;
    let refused = app.put(&format!("/api/stores/{bairro}/prices/{product}"), &ana, json!({"price": "1.00"})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

/// Sales in both stores and transfers both ways (received, cancelled, left in transit), all at
/// once: every unit that entered is in a store, in transit, or was sold.
#[tokio::test]
async fn a_storm_of_sales_and_transfers_never_creates_or_loses_a_unit() {
    let Shop { app, admin, product, bairro } = two_stores().await;
    let sent = app.post("/api/stock/transfers", &admin, transfer(1, bairro, product, 40)).await;
    let first = sent.body["id"].as_i64().unwrap();
    app.post(&format!("/api/stock/transfers/{first}/receive"), &admin, json!({})).await;

    let mut rng = Rng(15);
    let stores = [1, bairro];
    let requests: Vec<(u64, i64, i64)> =
        (0..120).map(|_| (rng.below(3) as u64, stores[rng.below(2) as usize], rng.below(4) + 1)).collect();
    let replies = join_all(requests.iter().map(|&(kind, store, quantity)| {
        let (app, admin) = (&app, &admin);
        async move {
            match kind {
                0 => ("venda", quantity, app.post("/api/sales", admin, sale_in(store, product, quantity)).await),
                _ => {
                    let other = if store == 1 { bairro } else { 1 };
                    let sent = app.post("/api/stock/transfers", admin, transfer(store, other, product, quantity)).await;
                    if sent.status == StatusCode::CREATED {
                        let id = sent.body["id"].as_i64().unwrap();
                        let action = if kind == 1 { "receive" } else { "cancel" };
                        let closed = app.post(&format!("/api/stock/transfers/{id}/{action}"), admin, json!({})).await;
                        assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
                    }
                    ("transferencia", quantity, sent)
                }
            }
        }
    }))
    .await;
    let mut sold = 0;
    for (kind, quantity, reply) in &replies {
        match reply.status {
            StatusCode::CREATED if *kind == "venda" => sold += quantity,
            StatusCode::CREATED => {}
            StatusCode::BAD_REQUEST => assert!(reply.error().contains("Estoque insuficiente"), "{}", reply.body),
            other => panic!("{kind}: {other} {}", reply.body),
        }
    }
    // One transfer left in transit.
    let pending = app.post("/api/stock/transfers", &admin, transfer(1, bairro, product, 1)).await;
    let in_transit = if pending.status == StatusCode::CREATED { 1 } else { 0 };

    let (centro, bairro_stock) =
        (stock_in(&app, &admin, product, 1).await, stock_in(&app, &admin, product, bairro).await);
    assert!(centro >= 0 && bairro_stock >= 0, "{centro} {bairro_stock}");
    assert_eq!(centro + bairro_stock + in_transit, 100 - sold, "entries minus sales, wherever the units are");
    assert_eq!(app.stock_of(&admin, product).await, centro + bairro_stock);
    let units_sold: i64 = app
        .all_sales(&admin)
        .await
        .iter()
        .map(|s| s["items"].as_array().unwrap().iter().map(|i| i["quantity"].as_i64().unwrap()).sum::<i64>())
        .sum();
    assert_eq!(units_sold, sold);
    assert_eq!(unbalanced(&app.database_url).await, vec![]);
}
