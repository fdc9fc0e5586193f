//! Names and texts as typed: stored in NFC and trimmed; control characters, and names that
//! show nothing once their invisible characters are left out, are refused and change nothing.

use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::Executor;

use crate::helpers::*;

const ESC_NAME: &str = "\u{1b}[31mCafé\u{1b}[0m";
const ZERO_WIDTH: &str = "\u{200b}\u{200b}\u{feff}\u{2060}";
/// "Pão de Açúcar" decomposed: letters followed by combining accents.
const NFD_NAME: &str = "Pa\u{303}o de Ac\u{327}u\u{301}car";
const NFC_NAME: &str = "P\u{e3}o de A\u{e7}\u{fa}car";

/// Texts no name may hold: control characters of every kind, line breaks, and the invisible
/// characters that turn the direction of the text around them.
fn bad_names() -> Vec<String> {
    let mut names: Vec<String> =
        ["\u{1b}", "\u{7}", "\u{8}", "\u{7f}", "\u{85}", "\u{9b}", "\u{2028}", "\u{202e}", "\u{2066}"]
            .iter()
            .map(|c| format!("Café{c}Torrado"))
            .collect();
    names.extend(["\n", "\r", "\t"].iter().map(|c| format!("Café{c}Torrado")));
    names.push(ESC_NAME.into());
    names
}

/// Names with nothing visible in them.
fn invisible_names() -> Vec<&'static str> {
    vec![ZERO_WIDTH, "\u{200b}", " \u{200c}\u{200d} ", "\u{ad}", "\u{3164}", "\u{115f}\u{1160}", "\u{fe0f}", "\u{180e}"]
}

async fn setup() -> (TestApp, String, i64) {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let category = app.create_category(&admin, "Mercearia").await;
    (app, admin, category)
}

async fn products(app: &TestApp, admin: &str) -> Vec<Value> {
    app.get("/api/products", admin).await.body["products"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_product_name_with_an_escape_sequence_is_refused_and_nothing_is_stored() {
    let (app, admin, category) = setup().await;
    let invalid = "Nome do produto contém caracteres inválidos";
    for name in bad_names() {
        let reply = app.post("/api/products", &admin, json!({"name": name, "price": 1, "category_id": category})).await;
        assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, invalid), "{name:?}");
    }
    assert!(products(&app, &admin).await.is_empty());

    let id = app.create_product(&admin, "Café", "5.00", 1, category).await;
    for name in bad_names() {
        let reply = app.put(&format!("/api/products/{id}"), &admin, json!({"name": name})).await;
        assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, invalid), "{name:?}");
    }
    assert_eq!(products(&app, &admin).await[0]["name"], "Café");
}

#[tokio::test]
async fn names_of_invisible_characters_only_are_refused() {
    let (app, admin, category) = setup().await;
    for name in invisible_names() {
        let reply = app.post("/api/categories", &admin, json!({"name": name})).await;
        assert_eq!(
            (reply.status, reply.error()),
            (StatusCode::BAD_REQUEST, "Nome da categoria é obrigatório"),
            "{name:?}"
        );
        let reply = app.put(&format!("/api/categories/{category}"), &admin, json!({"name": name})).await;
        assert_eq!(
            (reply.status, reply.error()),
            (StatusCode::BAD_REQUEST, "Nome da categoria é obrigatório"),
            "{name:?}"
        );
        let reply = app.post("/api/products", &admin, json!({"name": name, "price": 1, "category_id": category})).await;
        assert_eq!(
            (reply.status, reply.error()),
            (StatusCode::BAD_REQUEST, "Nome, preço e categoria são obrigatórios"),
            "{name:?}"
        );
    }
    let categories = app.get("/api/categories", &admin).await.body;
    assert_eq!(categories.as_array().unwrap().len(), 1, "{categories}");
    assert_eq!(categories[0]["name"], "Mercearia");
    assert!(products(&app, &admin).await.is_empty());
}

#[tokio::test]
async fn a_category_name_with_control_characters_is_refused() {
    let (app, admin, category) = setup().await;
    for name in bad_names() {
        let reply = app.post("/api/categories", &admin, json!({"name": name})).await;
        let expected = (StatusCode::BAD_REQUEST, "Nome da categoria contém caracteres inválidos");
        assert_eq!((reply.status, reply.error()), expected, "{name:?}");
        let reply = app.put(&format!("/api/categories/{category}"), &admin, json!({"name": name})).await;
        assert_eq!((reply.status, reply.error()), expected, "{name:?}");
    }
    assert_eq!(app.get("/api/categories", &admin).await.body.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn decomposed_input_is_stored_composed_and_trimmed() {
    let (app, admin, _) = setup().await;
    assert_ne!(NFD_NAME, NFC_NAME);
    let reply = app.post("/api/categories", &admin, json!({"name": format!("  {NFD_NAME}\u{3000}")})).await;
    assert_eq!((reply.status, &reply.body["name"]), (StatusCode::CREATED, &json!(NFC_NAME)), "{}", reply.body);
    let category = reply.body["id"].as_i64().unwrap();
    // The same name typed composed is the same category.
    let reply = app.post("/api/categories", &admin, json!({"name": NFC_NAME})).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, "Categoria já existe"));

    let body = json!({"name": NFD_NAME, "description": format!("Linha 1\r\n\tLinha {NFD_NAME}\n"), "code": format!(" {NFD_NAME} "), "price": 1, "category_id": category});
    let reply = app.post("/api/products", &admin, body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["name"], NFC_NAME);
    assert_eq!(reply.body["description"], format!("Linha 1\n\tLinha {NFC_NAME}"));
    assert_eq!(reply.body["code"], NFC_NAME);
    let id = reply.body["id"].as_i64().unwrap();
    for typed in [NFC_NAME, NFD_NAME] {
        let found = app.get(&format!("/api/products?code={}", urlencode(typed)), &admin).await;
        assert_eq!(found.body["total"], 1, "{typed:?}: {}", found.body);
    }
    let reply = app.put(&format!("/api/products/{id}"), &admin, json!({"name": format!("{NFD_NAME} 2")})).await;
    assert_eq!(reply.body["name"], format!("{NFC_NAME} 2"));
}

#[tokio::test]
async fn descriptions_keep_line_breaks_and_tabs_but_no_other_control_characters() {
    let (app, admin, category) = setup().await;
    let body =
        json!({"name": "Café", "description": "Torra média\n\tmoído na hora", "price": 1, "category_id": category});
    let reply = app.post("/api/products", &admin, body).await;
    assert_eq!(reply.body["description"], "Torra média\n\tmoído na hora");
    let id = reply.body["id"].as_i64().unwrap();
    for description in ["Torra\u{1b}[1m média", "Torra\u{7}", "a\u{202e}b", "a\u{2066}b", "\u{9b}"] {
        let reply = app.put(&format!("/api/products/{id}"), &admin, json!({"description": description})).await;
        assert_eq!(
            (reply.status, reply.error()),
            (StatusCode::BAD_REQUEST, "Descrição contém caracteres inválidos"),
            "{description:?}"
        );
        let body = json!({"name": "Chá", "description": description, "price": 1, "category_id": category});
        let reply = app.post("/api/products", &admin, body).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{description:?}");
    }
    // A description of invisible characters only clears it, as a blank one does.
    let reply = app.put(&format!("/api/products/{id}"), &admin, json!({"description": ZERO_WIDTH})).await;
    assert_eq!((reply.status, &reply.body["description"]), (StatusCode::OK, &Value::Null));
    assert_eq!(products(&app, &admin).await.len(), 1);
}

#[tokio::test]
async fn product_codes_with_control_or_invisible_characters_are_refused_or_cleared() {
    let (app, admin, category) = setup().await;
    for code in ["789\u{1b}123", "789\n123", "789\t123", "789\u{2029}123"] {
        let body = json!({"name": "Café", "code": code, "price": 1, "category_id": category});
        let reply = app.post("/api/products", &admin, body).await;
        assert_eq!(
            (reply.status, reply.error()),
            (StatusCode::BAD_REQUEST, "Código contém caracteres inválidos"),
            "{code:?}"
        );
    }
    let body = json!({"name": "Café", "code": ZERO_WIDTH, "price": 1, "category_id": category});
    let reply = app.post("/api/products", &admin, body).await;
    assert_eq!((reply.status, &reply.body["code"]), (StatusCode::CREATED, &Value::Null), "{}", reply.body);
}

#[tokio::test]
async fn usernames_are_stored_composed_and_refused_with_control_or_invisible_characters() {
    let (app, admin, _) = setup().await;
    let required = "Username e password são obrigatórios";
    let invalid = "Username contém caracteres inválidos";
    let mut cases: Vec<(String, &str)> = bad_names().into_iter().map(|n| (n, invalid)).collect();
    cases.extend(invisible_names().into_iter().map(|n| (n.to_string(), required)));
    // An invisible character inside a name makes it look like another user's.
    cases.extend(["ad\u{200b}min", "ma\u{ad}ria", "jo\u{2060}ao"].map(|n| (n.to_string(), invalid)));
    for (username, message) in &cases {
        let reply = app.post("/api/users", &admin, json!({"username": username, "password": "senha123"})).await;
        assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, *message), "{username:?}");
    }
    let users = app.get("/api/users", &admin).await.body;
    assert_eq!(users.as_array().unwrap().len(), 1, "{users}");

    let reply =
        app.post("/api/users", &admin, json!({"username": format!(" Jose\u{301} "), "password": "senha123"})).await;
    assert_eq!((reply.status, &reply.body["username"]), (StatusCode::CREATED, &json!("Jos\u{e9}")), "{}", reply.body);
    // Either form, with or without spaces around it, logs in.
    for typed in ["Jos\u{e9}", "Jose\u{301}", " Jos\u{e9} "] {
        assert_eq!(app.login(typed, "senha123").await.status, StatusCode::OK, "{typed:?}");
    }
    let reply = app.post("/api/users", &admin, json!({"username": "Jos\u{e9}", "password": "senha123"})).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, "Usuário já existe"));
}

#[tokio::test]
async fn users_stored_before_normalisation_still_log_in_as_they_are_typed() {
    let app = spawn_app().await;
    let mut db = connect(&app.database_url).await;
    // As an import of the first version may have stored them: decomposed, with spaces.
    for username in ["Jose\u{301}", " maria "] {
        let insert = format!(
            "INSERT INTO users (username, password_hash, role, created_at) \
             SELECT '{username}', password_hash, 'funcionario', created_at FROM users WHERE username = 'admin'"
        );
        db.execute(sqlx::AssertSqlSafe(insert)).await.unwrap();
        assert_eq!(app.login(username, ADMIN_PASSWORD).await.status, StatusCode::OK, "{username:?}");
    }
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}
