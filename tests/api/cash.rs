//! The cash register: opening, suprimentos and sangrias, the blind count, closing with the
//! difference kept, and the reports.

use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

struct Shop {
    app: TestApp,
    admin: String,
    maria: String,
    maria_id: i64,
    joao: String,
    joao_id: i64,
    /// R$ 37,50
    cafe: i64,
    /// R$ 10,00
    pao: i64,
}

async fn shop() -> Shop {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (maria_id, maria) = app.create_user(&admin, "maria", "funcionario").await;
    let (joao_id, joao) = app.create_user(&admin, "joao", "funcionario").await;
    let category = app.create_category(&admin, "Mercearia").await;
    let cafe = app.create_product(&admin, "Café Especial 1kg", "37.50", 1000, category).await;
    let pao = app.create_product(&admin, "Pão de Queijo", "10.00", 1000, category).await;
    Shop { app, admin, maria, maria_id, joao, joao_id, cafe, pao }
}

impl Shop {
    async fn open(&self, token: &str, body: Value) -> Value {
        let reply = self.app.post("/api/cash-sessions", token, body).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        reply.body
    }

    /// Sells one product, `quantity` units, paid with `payments` (`(method, amount)`).
    async fn sell(&self, token: &str, product: i64, quantity: i64, payments: &[(&str, &str)]) -> Value {
        let payments: Vec<Value> = payments.iter().map(|(m, a)| json!({"method": m, "amount": a})).collect();
        let body = json!({"items": [{"product_id": product, "quantity": quantity}], "payments": payments});
        let reply = self.app.post("/api/sales", token, body).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        reply.body
    }

    async fn movement(&self, token: &str, session: i64, kind: &str, amount: &str) -> Reply {
        let path = format!("/api/cash-sessions/{session}/movements");
        self.app.post(&path, token, json!({"type": kind, "amount": amount, "reason": format!("{kind} de teste")})).await
    }

    async fn close(&self, token: &str, session: i64, counted: &str) -> Reply {
        self.app.post(&format!("/api/cash-sessions/{session}/close"), token, json!({"counted": counted})).await
    }

    async fn report(&self, token: &str, session: i64) -> Value {
        let reply = self.app.get(&format!("/api/cash-sessions/{session}"), token).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        reply.body
    }
}

fn id(value: &Value) -> i64 {
    value["id"].as_i64().unwrap()
}

/// `(method, count, cents)` of a report's `payments`.
fn methods(payments: &Value) -> Vec<(String, i64, i64)> {
    payments
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["method"].as_str().unwrap().to_string(), p["count"].as_i64().unwrap(), cents(&p["amount"])))
        .collect()
}

#[tokio::test]
async fn the_expected_cash_is_the_float_plus_cash_kept_plus_suprimentos_minus_sangrias() {
    let s = shop().await;
    // Before the session: not in its drawer.
    s.sell(&s.maria, s.pao, 1, &[("dinheiro", "10")]).await;
    let opened = s.open(&s.maria, json!({"opening_float": 100, "terminal": "Caixa 1"})).await;
    assert_eq!(opened["user_id"], s.maria_id);
    assert_eq!(opened["user_username"], "maria");
    assert_eq!(opened["terminal"], "Caixa 1");
    assert_eq!(cents(&opened["opening_float"]), 10000);
    assert_eq!(opened["status"], "aberto");
    for field in ["closed_at", "closed_by", "counted", "expected", "difference"] {
        assert!(opened[field].is_null(), "{field}: {opened}");
    }
    let session = id(&opened);

    // 37,50 paid with 50: 12,50 of change, 37,50 stays.
    let sale = s.sell(&s.maria, s.cafe, 1, &[("dinheiro", "50")]).await;
    assert_eq!((cents(&sale["change"]), sale["cash_session_id"].as_i64()), (1250, Some(session)));
    // A card sale is not in the drawer.
    s.sell(&s.maria, s.cafe, 1, &[("credito", "37.50")]).await;
    // Split: 5,00 in cash, 15,00 by pix.
    s.sell(&s.maria, s.pao, 2, &[("dinheiro", "5"), ("pix", "15")]).await;
    // Another operator's cash sale is not in this drawer.
    s.sell(&s.joao, s.cafe, 1, &[("dinheiro", "37.50")]).await;
    let suprimento = s.movement(&s.maria, session, "suprimento", "20").await;
    assert_eq!(suprimento.status, StatusCode::CREATED, "{}", suprimento.body);
    let m = &suprimento.body;
    assert_eq!(
        (&m["type"], &m["session_id"], &m["user_id"]),
        (&json!("suprimento"), &json!(session), &json!(s.maria_id))
    );
    assert_eq!(
        (cents(&m["amount"]), &m["reason"], &m["user_username"]),
        (2000, &json!("suprimento de teste"), &json!("maria"))
    );
    assert!(m["id"].is_i64() && m["created_at"].is_string());
    let sangria = s.movement(&s.maria, session, "sangria", "30.00").await;
    assert_eq!(sangria.status, StatusCode::CREATED, "{}", sangria.body);

    let by_hand = 10000 + 3750 + 500 + 2000 - 3000;
    let report = s.report(&s.admin, session).await;
    assert_eq!(cents(&report["session"]["expected"]), by_hand, "{report}");
    assert_eq!((report["sales_count"].as_i64(), report["cancelled_count"].as_i64()), (Some(3), Some(0)));
    assert_eq!(
        methods(&report["payments"]),
        [("dinheiro".into(), 2, 4250), ("credito".into(), 1, 3750), ("pix".into(), 1, 1500)]
    );
    assert_eq!(
        (cents(&report["suprimentos"]), cents(&report["sangrias"]), cents(&report["cash_refunds"])),
        (2000, 3000, 0)
    );
    let kinds: Vec<&str> =
        report["movements"].as_array().unwrap().iter().map(|m| m["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["suprimento", "sangria"]);
    assert_eq!(report["refunds"], json!([]));

    // Counted 2,50 short: the difference is kept as it is.
    let closed = s.close(&s.maria, session, "130").await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    let c = &closed.body;
    assert_eq!(
        (cents(&c["expected"]), cents(&c["counted"]), cents(&c["difference"])),
        (by_hand, 13000, 13000 - by_hand)
    );
    assert_eq!(
        (&c["status"], &c["closed_by"], &c["closed_by_username"]),
        (&json!("fechado"), &json!(s.maria_id), &json!("maria"))
    );
    assert!(c["closed_at"].is_string());
    // Later reads show the same, to the operator too.
    let again = s.report(&s.maria, session).await;
    assert_eq!(&again["session"], c);
    // A sale after the closing is in no session.
    let later = s.sell(&s.maria, s.pao, 1, &[("dinheiro", "10")]).await;
    assert!(later["cash_session_id"].is_null());
    assert_eq!(s.report(&s.admin, session).await["sales_count"], 3);
}

/// A cancelled sale's cash is out of its session; a return refunded in cash comes out of the
/// drawer of whoever refunds it (an administrator), not of the seller's.
#[tokio::test]
async fn cancelled_sales_and_cash_refunds_leave_the_drawer() {
    let s = shop().await;
    let marias = id(&s.open(&s.maria, json!({"opening_float": "100"})).await);
    s.sell(&s.maria, s.cafe, 1, &[("dinheiro", "50")]).await;
    let cancelled = s.sell(&s.maria, s.cafe, 1, &[("dinheiro", "40")]).await;
    let returned = s.sell(&s.maria, s.pao, 2, &[("pix", "20")]).await;
    let reply = s.app.post(&format!("/api/sales/{}/cancel", id(&cancelled)), &s.admin, json!({"reason": "Erro"})).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);

    let admins = id(&s.open(&s.admin, json!({"opening_float": 50})).await);
    let item = returned["items"][0]["id"].clone();
    for method in ["dinheiro", "pix"] {
        let back =
            json!({"items": [{"sale_item_id": item, "quantity": 1}], "reason": "Defeito", "refund_method": method});
        let reply = s.app.post(&format!("/api/sales/{}/returns", id(&returned)), &s.admin, back).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    }

    let report = s.report(&s.admin, marias).await;
    assert_eq!((report["sales_count"].as_i64(), report["cancelled_count"].as_i64()), (Some(2), Some(1)));
    assert_eq!(methods(&report["payments"]), [("dinheiro".into(), 1, 3750), ("pix".into(), 1, 2000)]);
    assert_eq!((cents(&report["cash_refunds"]), &report["refunds"]), (0, &json!([])));
    assert_eq!(cents(&report["session"]["expected"]), 10000 + 3750);

    let report = s.report(&s.admin, admins).await;
    assert_eq!(cents(&report["cash_refunds"]), 1000, "only the refund in cash");
    let refunds = report["refunds"].as_array().unwrap();
    assert_eq!(
        (refunds.len(), &refunds[0]["sale_id"], &refunds[0]["user_username"]),
        (1, &returned["id"], &json!("admin"))
    );
    assert_eq!(cents(&refunds[0]["amount"]), 1000);
    assert_eq!(cents(&report["session"]["expected"]), 5000 - 1000);
    // A sangria may take what is left, not more.
    assert_eq!(s.movement(&s.admin, admins, "sangria", "40.01").await.status, StatusCode::BAD_REQUEST);
    let closed = s.close(&s.admin, admins, "40").await;
    assert_eq!((cents(&closed.body["expected"]), cents(&closed.body["difference"])), (4000, 0));
    let closed = s.close(&s.maria, marias, "137.50").await;
    assert_eq!((cents(&closed.body["expected"]), cents(&closed.body["difference"])), (13750, 0));
}

#[tokio::test]
async fn a_second_session_the_same_day_starts_from_its_own_float() {
    let s = shop().await;
    let first = id(&s.open(&s.maria, json!({"opening_float": 100})).await);
    s.sell(&s.maria, s.cafe, 1, &[("dinheiro", "50")]).await;
    s.movement(&s.maria, first, "sangria", "100").await;
    let closed = s.close(&s.maria, first, "37.50").await;
    assert_eq!((closed.status, cents(&closed.body["difference"])), (StatusCode::OK, 0), "{}", closed.body);

    let second = s.open(&s.maria, json!({"opening_float": 50})).await;
    assert_ne!(id(&second), first);
    s.sell(&s.maria, s.pao, 1, &[("dinheiro", "10")]).await;
    let report = s.report(&s.admin, id(&second)).await;
    assert_eq!(cents(&report["session"]["expected"]), 6000, "{report}");
    assert_eq!(report["sales_count"], 1);
    assert_eq!(report["movements"], json!([]));
    // The first one's figures are as they were at its closing.
    assert_eq!(cents(&s.report(&s.admin, first).await["session"]["expected"]), 3750);
}

#[tokio::test]
async fn the_count_is_blind_for_employees_while_the_session_is_open() {
    let s = shop().await;
    let opened = s.open(&s.maria, json!({"opening_float": 100})).await;
    let session = id(&opened);
    s.sell(&s.maria, s.cafe, 1, &[("dinheiro", "37.50")]).await;

    let current = s.app.get("/api/cash-sessions/current", &s.maria).await;
    assert_eq!((current.status, id(&current.body)), (StatusCode::OK, session));
    assert!(current.body["expected"].is_null(), "{}", current.body);
    assert!(s.report(&s.maria, session).await["session"]["expected"].is_null());
    let listed = s.app.get("/api/cash-sessions", &s.maria).await.body;
    assert!(listed["cash_sessions"][0]["expected"].is_null(), "{listed}");

    assert_eq!(cents(&s.report(&s.admin, session).await["session"]["expected"]), 13750);
    let listed = s.app.get("/api/cash-sessions", &s.admin).await.body;
    assert_eq!(cents(&listed["cash_sessions"][0]["expected"]), 13750, "{listed}");
    // An administrator's own open session shows its expected to them.
    let own = s.open(&s.admin, json!({"opening_float": 0})).await;
    assert_eq!(cents(&own["expected"]), 0);
    assert_eq!(cents(&s.app.get("/api/cash-sessions/current", &s.admin).await.body["expected"]), 0);

    let closed = s.close(&s.maria, session, "137.50").await.body;
    assert_eq!((cents(&closed["expected"]), cents(&closed["difference"])), (13750, 0));
    let listed = s.app.get("/api/cash-sessions", &s.maria).await.body;
    assert_eq!(cents(&listed["cash_sessions"][0]["expected"]), 13750);
}

#[tokio::test]
async fn two_opens_at_once_for_one_operator_make_one_session() {
    let s = shop().await;
    let open = || s.app.post("/api/cash-sessions", &s.maria, json!({"opening_float": 100}));
    let replies = join_all([open(), open(), open(), open()]).await;
    let created = replies.iter().filter(|r| r.status == StatusCode::CREATED).count();
    assert_eq!(created, 1, "{:?}", replies.iter().map(|r| (r.status, r.body.clone())).collect::<Vec<_>>());
    for reply in replies.iter().filter(|r| r.status != StatusCode::CREATED) {
        assert_eq!(
            (reply.status, reply.error()),
            (StatusCode::CONFLICT, "Já existe um caixa aberto para este operador")
        );
    }
    assert_eq!(s.app.get("/api/cash-sessions", &s.admin).await.body["total"], 1);
    // Another operator opens their own.
    assert_eq!(
        s.app.post("/api/cash-sessions", &s.joao, json!({"opening_float": 0})).await.status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn a_session_closes_once() {
    let s = shop().await;
    let session = id(&s.open(&s.maria, json!({"opening_float": 100})).await);
    let (a, b) = tokio::join!(s.close(&s.maria, session, "100"), s.close(&s.admin, session, "90"));
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT], "{} {}", a.body, b.body);
    let winner = if a.status == StatusCode::OK { &a.body } else { &b.body };
    let again = s.close(&s.maria, session, "50").await;
    assert_eq!((again.status, again.error()), (StatusCode::CONFLICT, "Caixa já fechado"));
    assert_eq!(&s.report(&s.admin, session).await["session"], winner, "the first closing stands");
    let movement = s.movement(&s.maria, session, "suprimento", "10").await;
    assert_eq!((movement.status, movement.error()), (StatusCode::CONFLICT, "Caixa já fechado"));
    assert_eq!(s.report(&s.admin, session).await["movements"], json!([]));
    let current = s.app.get("/api/cash-sessions/current", &s.maria).await;
    assert_eq!((current.status, current.error()), (StatusCode::NOT_FOUND, "Nenhum caixa aberto para este operador"));
}

/// A sale made while a closing is being written waits for it, and then finds the session closed:
/// its cash is in no session, rather than in one whose count is already stored.
#[tokio::test]
async fn a_sale_that_waits_for_a_closing_is_in_no_session() {
    let s = shop().await;
    let session = id(&s.open(&s.maria, json!({"opening_float": 100})).await);
    // A closing in progress, holding what a closing holds (SQLite: the write lock; PostgreSQL:
    // the session's row).
    let mut db = connect(&s.app.database_url).await;
    let begin = if s.app.database_url.starts_with("postgres") { "BEGIN" } else { "BEGIN IMMEDIATE" };
    sqlx::query(begin).execute(&mut db).await.unwrap();
    sqlx::query(
        "UPDATE cash_sessions SET closed_at = 1, closed_by = user_id, counted_cents = 10000, expected_cents = 10000, \
         difference_cents = 0 WHERE id = $1",
    )
    .bind(session)
    .execute(&mut db)
    .await
    .unwrap();
    let sale = tokio::spawn(
        s.app
            .client
            .post(s.app.url("/api/sales"))
            .bearer_auth(&s.maria)
            .json(&json!({"items": [{"product_id": s.pao, "quantity": 1}], "payments": [{"method": "dinheiro", "amount": 10}]}))
            .send(),
    );
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(!sale.is_finished(), "the sale waits for the closing");
    sqlx::query("COMMIT").execute(&mut db).await.unwrap();
    let sale = sale.await.unwrap().unwrap();
    assert_eq!(sale.status(), StatusCode::CREATED);
    let sale: Value = sale.json().await.unwrap();
    assert!(sale["cash_session_id"].is_null(), "{sale}");
    assert_eq!(s.report(&s.admin, session).await["sales_count"], 0);
}

#[tokio::test]
async fn another_employee_cannot_touch_someones_session_but_an_administrator_can() {
    let s = shop().await;
    let session = id(&s.open(&s.maria, json!({"opening_float": 100})).await);
    let path = format!("/api/cash-sessions/{session}");
    let refusals = [
        s.app.get(&path, &s.joao).await,
        s.movement(&s.joao, session, "sangria", "10").await,
        s.movement(&s.joao, session, "suprimento", "10").await,
        s.close(&s.joao, session, "100").await,
    ];
    for reply in refusals {
        assert_eq!(
            (reply.status, reply.error()),
            (StatusCode::FORBIDDEN, "Acesso negado: o caixa é de outro operador")
        );
    }
    // Nor does joao see it in his listing, whatever he asks.
    let listed = s.app.get(&format!("/api/cash-sessions?user_id={}", s.maria_id), &s.joao).await.body;
    assert_eq!(listed["total"], 0, "{listed}");
    let report = s.report(&s.admin, session).await;
    assert_eq!((&report["session"]["status"], &report["movements"]), (&json!("aberto"), &json!([])));

    let movement = s.movement(&s.admin, session, "suprimento", "5").await;
    assert_eq!(movement.status, StatusCode::CREATED, "{}", movement.body);
    assert_eq!(movement.body["user_username"], "admin");
    let closed = s.close(&s.admin, session, "105").await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    assert_eq!((&closed.body["closed_by_username"], &closed.body["user_id"]), (&json!("admin"), &json!(s.maria_id)));
    assert_eq!(cents(&closed.body["difference"]), 0);
}

#[tokio::test]
async fn a_sangria_cannot_take_more_than_the_drawer_should_hold() {
    let s = shop().await;
    let session = id(&s.open(&s.maria, json!({"opening_float": 10})).await);
    let reply = s.movement(&s.maria, session, "sangria", "10.01").await;
    assert_eq!(
        (reply.status, reply.error()),
        (StatusCode::BAD_REQUEST, "Sangria maior que o dinheiro esperado no caixa (R$ 10,00)")
    );
    s.sell(&s.maria, s.pao, 1, &[("dinheiro", "10")]).await;
    assert_eq!(s.movement(&s.maria, session, "sangria", "20").await.status, StatusCode::CREATED);
    let reply = s.movement(&s.maria, session, "sangria", "0.01").await;
    assert_eq!(reply.error(), "Sangria maior que o dinheiro esperado no caixa (R$ 0,00)");
    assert_eq!(s.movement(&s.maria, session, "suprimento", "0.01").await.status, StatusCode::CREATED);
    assert_eq!(s.movement(&s.maria, session, "sangria", "0.01").await.status, StatusCode::CREATED);
    assert_eq!(cents(&s.report(&s.admin, session).await["session"]["expected"]), 0);
}

/// Sangrias at the same moment take turns under the session's lock: together they never take
/// more than the drawer holds.
#[tokio::test]
async fn sangrias_at_once_never_take_more_than_the_drawer_holds() {
    let s = shop().await;
    let session = id(&s.open(&s.maria, json!({"opening_float": 100})).await);
    let sangrias = (0..8).map(|_| s.movement(&s.maria, session, "sangria", "30"));
    let replies = join_all(sangrias).await;
    let taken = replies.iter().filter(|r| r.status == StatusCode::CREATED).count();
    assert_eq!(taken, 3, "{:?}", replies.iter().map(|r| (r.status, r.body.clone())).collect::<Vec<_>>());
    assert!(replies.iter().all(|r| r.status == StatusCode::CREATED || r.status == StatusCode::BAD_REQUEST));
    assert_eq!(cents(&s.report(&s.admin, session).await["session"]["expected"]), 1000);
}

#[tokio::test]
async fn bad_inputs_are_refused_in_portuguese_and_change_nothing() {
    let s = shop().await;
    let float = "Valor de abertura (opening_float) deve ser zero ou mais, com até duas casas decimais e no máximo R$ \
                 10.000.000,00";
    let open_cases = [
        (json!({}), "Valor de abertura (opening_float) é obrigatório"),
        (json!({"opening_float": null}), "Valor de abertura (opening_float) é obrigatório"),
        (json!({"opening_float": -1}), float),
        (json!({"opening_float": "-0.01"}), float),
        (json!({"opening_float": "cem"}), float),
        (json!({"opening_float": 1.234}), float),
        (json!({"opening_float": true}), float),
        (json!({"opening_float": 10000000.01}), float),
        (json!({"opening_float": 1, "terminal": 5}), "Terminal (terminal) deve ser texto"),
        (
            json!({"opening_float": 1, "terminal": " "}),
            "Terminal não pode ficar em branco (sem o campo, o terminal é \"PDV\")",
        ),
        (json!({"opening_float": 1, "terminal": "a".repeat(41)}), "Terminal deve ter no máximo 40 caracteres"),
        (json!({"opening_float": 1, "terminal": "Caixa\u{1b}1"}), "Terminal contém caracteres inválidos"),
    ];
    for (body, message) in open_cases {
        let reply = s.app.post("/api/cash-sessions", &s.maria, body.clone()).await;
        assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, message), "{body}");
    }
    assert_eq!(s.app.get("/api/cash-sessions/current", &s.maria).await.status, StatusCode::NOT_FOUND);
    assert_eq!(s.app.get("/api/cash-sessions", &s.admin).await.body["total"], 0);

    let opened = s.open(&s.maria, json!({"opening_float": 0, "terminal": "  Caixa 2 "})).await;
    assert_eq!((cents(&opened["opening_float"]), &opened["terminal"]), (0, &json!("Caixa 2")));
    let session = id(&opened);
    let path = format!("/api/cash-sessions/{session}/movements");
    let amount = "Valor (amount) deve ser maior que zero, com até duas casas decimais e no máximo R$ 10.000.000,00";
    let kind = "Tipo (type) deve ser suprimento ou sangria";
    let movement_cases = [
        (json!({"amount": 10}), kind),
        (json!({"type": "troco", "amount": 10}), kind),
        (json!({"type": 1, "amount": 10}), kind),
        (json!({"type": " sangria", "amount": 10}), kind),
        (json!({"type": "suprimento"}), "Valor (amount) é obrigatório"),
        (json!({"type": "suprimento", "amount": 0}), amount),
        (json!({"type": "suprimento", "amount": -5}), amount),
        (json!({"type": "suprimento", "amount": "dez"}), amount),
        (json!({"type": "suprimento", "amount": 1.001}), amount),
        (json!({"type": "suprimento", "amount": 10, "reason": 5}), "Motivo (reason) deve ser texto"),
        (
            json!({"type": "suprimento", "amount": 10, "reason": "x".repeat(201)}),
            "Motivo deve ter no máximo 200 caracteres",
        ),
        (json!({"type": "suprimento", "amount": 10, "reason": "a\u{0007}b"}), "Motivo contém caracteres inválidos"),
    ];
    for (body, message) in movement_cases {
        let reply = s.app.post(&path, &s.maria, body.clone()).await;
        assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, message), "{body}");
    }
    let counted =
        "Valor contado (counted) deve ser zero ou mais, com até duas casas decimais e no máximo R$ 10.000.000,00";
    let close_cases = [
        (json!({}), "Valor contado (counted) é obrigatório"),
        (json!({"counted": -1}), counted),
        (json!({"counted": "muito"}), counted),
        (json!({"counted": 1.005}), counted),
        (json!({"counted": [1]}), counted),
    ];
    for (body, message) in close_cases {
        let reply = s.close_raw(session, body.clone()).await;
        assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, message), "{body}");
    }
    let report = s.report(&s.admin, session).await;
    assert_eq!((&report["session"]["status"], &report["movements"]), (&json!("aberto"), &json!([])));

    // Blank and null reasons are none; zero counted is a count.
    let movement = s.app.post(&path, &s.maria, json!({"type": "suprimento", "amount": "0.5", "reason": "  "})).await;
    assert_eq!((movement.status, &movement.body["reason"]), (StatusCode::CREATED, &json!(null)), "{}", movement.body);
    let closed = s.close(&s.maria, session, "0").await;
    assert_eq!((closed.status, cents(&closed.body["difference"])), (StatusCode::OK, -50), "{}", closed.body);
}

impl Shop {
    async fn close_raw(&self, session: i64, body: Value) -> Reply {
        self.app.post(&format!("/api/cash-sessions/{session}/close"), &self.maria, body).await
    }
}

#[tokio::test]
async fn unknown_sessions_are_404() {
    let s = shop().await;
    let current = s.app.get("/api/cash-sessions/current", &s.maria).await;
    assert_eq!((current.status, current.error()), (StatusCode::NOT_FOUND, "Nenhum caixa aberto para este operador"));
    for id in ["999", "0", "-1", "abc", "1.5", "9223372036854775808"] {
        let reply = s.app.get(&format!("/api/cash-sessions/{id}"), &s.admin).await;
        assert_eq!((reply.status, reply.error()), (StatusCode::NOT_FOUND, "Caixa não encontrado"), "{id}");
        let reply = s.close(&s.admin, 0, "1").await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        let path = format!("/api/cash-sessions/{id}/movements");
        let reply = s.app.post(&path, &s.admin, json!({"type": "suprimento", "amount": 1})).await;
        assert_eq!((reply.status, reply.error()), (StatusCode::NOT_FOUND, "Caixa não encontrado"), "{id}");
    }
}

#[tokio::test]
async fn the_listing_filters_by_period_and_operator() {
    let s = shop().await;
    let first = id(&s.open(&s.maria, json!({"opening_float": 1})).await);
    s.close(&s.maria, first, "1").await;
    let second = id(&s.open(&s.maria, json!({"opening_float": 2})).await);
    let joaos = id(&s.open(&s.joao, json!({"opening_float": 3})).await);

    let ids = |body: &Value| -> Vec<i64> { body["cash_sessions"].as_array().unwrap().iter().map(id).collect() };
    let all = s.app.get("/api/cash-sessions", &s.admin).await.body;
    assert_eq!(
        (ids(&all), &all["total"], &all["pages"], &all["current_page"]),
        (vec![joaos, second, first], &json!(3), &json!(1), &json!(1))
    );
    let marias = s.app.get(&format!("/api/cash-sessions?user_id={}", s.maria_id), &s.admin).await.body;
    assert_eq!(ids(&marias), [second, first]);
    let own = s.app.get(&format!("/api/cash-sessions?user_id={}", s.maria_id), &s.joao).await.body;
    assert_eq!(ids(&own), [joaos], "employees see only their own");
    let page = s.app.get("/api/cash-sessions?per_page=1&page=2", &s.admin).await.body;
    assert_eq!((ids(&page), &page["pages"]), (vec![second], &json!(3)));
    let today = s.app.get("/api/cash-sessions/report", &s.admin).await.body["date"].as_str().unwrap().to_string();
    let on_the_day = s.app.get(&format!("/api/cash-sessions?start_date={today}&end_date={today}"), &s.admin).await.body;
    assert_eq!(on_the_day["total"], 3);
    let before = s.app.get("/api/cash-sessions?end_date=2020-01-01", &s.admin).await.body;
    assert_eq!(before["total"], 0);
    for query in ["start_date=ontem", "end_date=2026-13-01", "user_id=abc", "page=0", "per_page=101"] {
        let reply = s.app.get(&format!("/api/cash-sessions?{query}"), &s.admin).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}");
        assert!(reply.error().contains("inválid") || reply.error().contains("Parâmetro"), "{query}: {}", reply.error());
    }
}

#[tokio::test]
async fn the_day_report_adds_up_per_operator_and_payment_method() {
    let s = shop().await;
    let marias = id(&s.open(&s.maria, json!({"opening_float": 100})).await);
    s.sell(&s.maria, s.cafe, 1, &[("dinheiro", "50")]).await;
    s.sell(&s.maria, s.pao, 1, &[("debito", "10")]).await;
    s.movement(&s.maria, marias, "sangria", "20").await;
    s.close(&s.maria, marias, "115").await; // 2,50 short of 117,50
    let joaos = id(&s.open(&s.joao, json!({"opening_float": 50})).await);
    s.sell(&s.joao, s.pao, 3, &[("dinheiro", "30")]).await;
    s.movement(&s.joao, joaos, "suprimento", "10").await;

    let reply = s.app.get("/api/cash-sessions/report", &s.admin).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let report = &reply.body;
    assert_eq!(report["timezone"], "America/Sao_Paulo");
    let operators = report["operators"].as_array().unwrap();
    let names: Vec<&str> = operators.iter().map(|o| o["user_username"].as_str().unwrap()).collect();
    assert_eq!(names, ["joao", "maria"]);
    let (joao, maria) = (&operators[0]["totals"], &operators[1]["totals"]);
    assert_eq!(operators[0]["user_id"], s.joao_id);
    assert_eq!(
        (cents(&maria["opening_float"]), cents(&maria["sangrias"]), maria["sales_count"].as_i64()),
        (10000, 2000, Some(2))
    );
    assert_eq!(
        (cents(&maria["expected"]), cents(&maria["counted"]), cents(&maria["difference"])),
        (11750, 11500, -250)
    );
    assert_eq!(methods(&maria["payments"]), [("dinheiro".into(), 1, 3750), ("debito".into(), 1, 1000)]);
    assert_eq!((joao["open_count"].as_i64(), cents(&joao["expected"]), cents(&joao["counted"])), (Some(1), 9000, 0));
    let totals = &report["totals"];
    assert_eq!((totals["sessions_count"].as_i64(), totals["open_count"].as_i64()), (Some(2), Some(1)));
    assert_eq!(
        (cents(&totals["opening_float"]), cents(&totals["suprimentos"]), cents(&totals["sangrias"])),
        (15000, 1000, 2000)
    );
    assert_eq!(methods(&totals["payments"]), [("dinheiro".into(), 2, 6750), ("debito".into(), 1, 1000)]);
    assert_eq!((cents(&totals["expected"]), cents(&totals["difference"])), (11750 + 9000, -250));

    let date = report["date"].as_str().unwrap();
    let same = s.app.get(&format!("/api/cash-sessions/report?date={date}"), &s.admin).await;
    assert_eq!(&same.body, report);
    let other = s.app.get("/api/cash-sessions/report?date=2020-02-29", &s.admin).await.body;
    assert_eq!((&other["operators"], &other["totals"]["sessions_count"]), (&json!([]), &json!(0)));
    for date in ["29/02/2020", "2020-2-29", "2021-02-29", "%2B2020-02-29", "hoje"] {
        let bad = s.app.get(&format!("/api/cash-sessions/report?date={date}"), &s.admin).await;
        let message = "Formato de data inválido para date (use AAAA-MM-DD)";
        assert_eq!((bad.status, bad.error()), (StatusCode::BAD_REQUEST, message), "{date}");
    }
    let employee = s.app.get("/api/cash-sessions/report", &s.maria).await;
    assert_eq!(employee.status, StatusCode::FORBIDDEN);
}
