//! Importing a first-version shop (`import-v1`), through the real binary, checked through the
//! API: `tests/fixtures/first-version.sqlite` (a copy of the project's shared fixture, a database
//! the first version wrote) and the facts of its README.

use std::path::{Path, PathBuf};

use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::{AnyConnection, Connection, Row};

use crate::helpers::{TestApp, cents, cli, connect, first_version_fixture as fixture, fresh_database, spawn_app_on};

/// (id, seller, total in cents, time) of every sale of the fixture.
const SALES: [(i64, &str, i64, &str); 12] = [
    (1, "maria", 2640, "2025-06-02T11:00:00Z"),
    (2, "maria", 750, "2025-06-04T16:17:00Z"),
    (3, "joao", 2027, "2025-06-06T12:34:00Z"),
    (4, "admin", 1500, "2025-06-08T17:51:00Z"),
    (5, "joao", 1449, "2025-06-10T13:08:00Z"),
    (6, "maria", 4738, "2025-06-12T18:25:00Z"),
    (7, "joao", 3000, "2025-06-14T14:42:00Z"),
    (8, "maria", 1500, "2025-06-16T19:59:00Z"),
    (9, "admin", 1998, "2025-06-18T15:16:00Z"),
    (10, "joao", 3849, "2025-06-20T11:33:00Z"),
    (11, "maria", 1466, "2025-06-22T16:50:00Z"),
    (12, "joao", 2440, "2025-06-24T12:07:00Z"),
];

const STOCK: [(&str, i64); 8] = [
    ("Café Torrado 500g", 36),
    ("Açúcar Refinado 1kg", 97),
    ("Refrigerante Guaraná 2L", 57),
    ("Água Mineral 500ml", 184),
    ("Pão Francês (unid.)", 260),
    ("Bolo de Fubá", 7),
    ("Suco de Laranja 1L", 22),
    ("Biscoito Água e Sal", 76),
];

/// (user, password, role, sales, total in cents).
const USERS: [(&str, &str, &str, i64, i64); 4] = [
    ("admin", "admin123", "admin", 2, 3498),
    ("gerente", "Gerente@2025", "admin", 0, 0),
    ("maria", "maria123", "funcionario", 5, 11094),
    ("joao", "joao123", "funcionario", 5, 12765),
];

/// A copy of the fixture the test may change (the fixture itself is never written).
fn fixture_copy(dir: &Path) -> PathBuf {
    let copy = dir.join("primeira-versao.sqlite");
    std::fs::copy(fixture(), &copy).expect("copiar a fixture");
    copy
}

async fn sqlite_file(path: &Path) -> AnyConnection {
    connect(&format!("sqlite://{}", path.display())).await
}

async fn execute(conn: &mut AnyConnection, sql: &str) {
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string())).execute(conn).await.expect(sql);
}

async fn password_hash(database_url: &str, username: &str) -> String {
    let mut conn = connect(database_url).await;
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE username = $1")
        .bind(username)
        .fetch_one(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    hash
}

/// Rows in each table of this system's schema (None when the schema is not there at all).
async fn row_counts(database_url: &str) -> Vec<(String, Option<i64>)> {
    let mut conn = connect(database_url).await;
    let mut counts = Vec::new();
    for table in ["users", "categories", "products", "sales", "sale_items", "daily_sales", "meta"] {
        let count = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
            .fetch_one(&mut conn)
            .await
            .ok();
        counts.push((table.to_string(), count));
    }
    conn.close().await.unwrap();
    counts
}

async fn import(database_url: &str, source: &str) {
    let run = cli(database_url, &["import-v1", source]).await;
    assert!(run.success, "import-v1 falhou:\n{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("R$ 273,57"), "{}", run.stdout);
}

/// Everything the fixture's README says, seen through the API.
async fn assert_fixture_shop(app: &TestApp, admin: &str) {
    let users = app.get("/api/users", admin).await.body;
    let users = users.as_array().unwrap();
    assert_eq!(users.len(), 4, "{users:?}");
    for (name, _, role, _, _) in USERS {
        let user = users.iter().find(|u| u["username"] == name).unwrap_or_else(|| panic!("{name} ausente"));
        assert_eq!(user["role"], role);
        assert_eq!(user["active"], true);
    }

    let categories = app.get("/api/categories", admin).await.body;
    let names: Vec<&str> = categories.as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Bebidas", "Mercearia", "Padaria"]);

    let products = app.get("/api/products?per_page=100", admin).await.body;
    assert_eq!(products["total"], 8);
    for (name, stock) in STOCK {
        let product = products["products"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{name} ausente"));
        assert_eq!(product["stock"], stock, "{name}");
        assert_eq!(product["code"], Value::Null);
        assert_eq!(product["min_stock"], 5);
    }
    let cafe = products["products"].as_array().unwrap().iter().find(|p| p["name"] == "Café Torrado 500g").unwrap();
    assert_eq!((cents(&cafe["price"]), cafe["category_name"].as_str()), (1890, Some("Mercearia")));

    let mut sales = app.all_sales(admin).await;
    sales.reverse();
    assert_eq!(sales.len(), 12);
    for (sale, (id, seller, total, time)) in sales.iter().zip(SALES) {
        assert_eq!(sale["id"], id);
        assert_eq!(sale["user_username"], seller, "venda {id}");
        assert_eq!(cents(&sale["total_amount"]), total, "venda {id}");
        assert_eq!(sale["timestamp"], time, "venda {id}");
        let items: i64 = sale["items"].as_array().unwrap().iter().map(|i| cents(&i["subtotal"])).sum();
        assert_eq!(items, total, "itens da venda {id}");
    }
    let items: usize = sales.iter().map(|s| s["items"].as_array().unwrap().len()).sum();
    assert_eq!(items, 20);
    let listed = app.get("/api/sales?per_page=1", admin).await.body;
    assert_eq!((listed["total"].as_i64(), cents(&listed["total_amount"])), (Some(12), 27357));

    for (name, _, _, count, total) in USERS {
        let id = users.iter().find(|u| u["username"] == name).unwrap()["id"].as_i64().unwrap();
        let listed = app.get(&format!("/api/sales?user_id={id}&per_page=1"), admin).await.body;
        assert_eq!((listed["total"].as_i64(), cents(&listed["total_amount"])), (Some(count), total), "{name}");
    }
    // The daily totals were rebuilt from the imported sales.
    let summary = app.get("/api/sales/reports/summary", admin).await.body;
    assert_eq!((summary["total_count"].as_i64(), cents(&summary["total_sales"])), (Some(12), 27357));
}

#[tokio::test]
async fn a_first_version_shop_arrives_whole_and_its_users_keep_their_passwords() {
    let (url, database) = fresh_database().await;
    import(&url, fixture().to_str().unwrap()).await;
    let app = spawn_app_on(url.clone(), database, &[]).await;

    for (name, password, _, _, _) in USERS {
        assert!(password_hash(&url, name).await.starts_with("scrypt:32768:8:1$"), "{name}: hash mantido");
        assert_eq!(app.login(name, "senha-errada").await.status, StatusCode::UNAUTHORIZED, "{name}");
        let reply = app.login(name, password).await;
        assert_eq!(reply.status, StatusCode::OK, "{name}: {}", reply.body);
        assert!(password_hash(&url, name).await.starts_with("$2"), "{name}: hash trocado por bcrypt");
        assert_eq!(app.login(name, password).await.status, StatusCode::OK, "{name}: de novo, com bcrypt");
        assert_eq!(app.login(name, "senha-errada").await.status, StatusCode::UNAUTHORIZED, "{name}");
    }

    let admin = app.token("admin", "admin123").await;
    assert_fixture_shop(&app, &admin).await;

    // The shop is store 1: its sales, and every user works there; new stores continue after it.
    let stores = app.get("/api/stores", &admin).await.body;
    assert_eq!(stores.as_array().unwrap().len(), 1, "{stores}");
    assert_eq!(stores[0]["id"], 1);
    assert!(app.all_sales(&admin).await.iter().all(|s| s["store_id"] == 1));
    let users = app.get("/api/users", &admin).await.body;
    assert!(users.as_array().unwrap().iter().all(|u| u["store_ids"] == json!([1])), "{users}");
    assert_eq!(app.post("/api/stores", &admin, json!({"name": "Filial"})).await.body["id"], 2);

    // New rows continue after the imported ids.
    let sale = app.sell(&admin, &[(1, 1)]).await;
    assert_eq!(sale.status, StatusCode::CREATED, "{}", sale.body);
    assert_eq!(sale.body["id"], 13);
    assert_eq!(sale.body["items"][0]["id"], 21);
    assert_eq!(app.stock_of(&admin, 1).await, 35);
    let category = app.create_category(&admin, "Limpeza").await;
    assert_eq!(category, 4);
    assert_eq!(app.create_product(&admin, "Detergente", "2.99", 10, category).await, 9);
}

#[tokio::test]
async fn a_second_import_is_refused_and_changes_nothing() {
    let (url, _database) = fresh_database().await;
    import(&url, fixture().to_str().unwrap()).await;
    let before = row_counts(&url).await;

    let again = cli(&url, &["import-v1", fixture().to_str().unwrap()]).await;
    assert!(!again.success);
    assert!(again.stderr.contains("já recebeu a importação da primeira versão"), "{}", again.stderr);
    assert!(again.stderr.contains("Nada foi gravado"), "{}", again.stderr);
    assert_eq!(row_counts(&url).await, before);
}

#[tokio::test]
async fn a_database_with_a_shop_of_its_own_is_refused() {
    let (url, database) = fresh_database().await;
    let app = spawn_app_on(url.clone(), database, &[]).await;
    let admin = app.admin_token().await;
    app.create_category(&admin, "Bebidas").await;

    let run = cli(&url, &["import-v1", fixture().to_str().unwrap()]).await;
    assert!(!run.success);
    assert!(run.stderr.contains("o banco de destino já tem dados"), "{}", run.stderr);
    let categories = app.get("/api/categories", &admin).await.body;
    assert_eq!(categories.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_admin_a_new_server_creates_is_replaced_by_the_imported_users() {
    let (url, database) = fresh_database().await;
    let app = spawn_app_on(url.clone(), database, &[]).await;
    let fresh_admin = app.admin_token().await;

    import(&url, fixture().to_str().unwrap()).await;
    let me = app.get("/api/auth/me", &fresh_admin).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED, "o token do admin substituído não vale mais");
    let admin = app.token("admin", "admin123").await;
    assert_fixture_shop(&app, &admin).await;
}

#[tokio::test]
async fn a_dry_run_reports_what_would_be_imported_and_writes_nothing() {
    let (url, _database) = fresh_database().await;
    assert!(cli(&url, &["migrate"]).await.success);
    let before = row_counts(&url).await;

    let run = cli(&url, &["import-v1", "--dry-run", fixture().to_str().unwrap()]).await;
    assert!(run.success, "{}", run.stderr);
    for expected in ["Simulação", "nada foi gravado", "vendas            12   total R$ 273,57", "maria", "R$ 110,94"]
    {
        assert!(run.stdout.contains(expected), "{expected}:\n{}", run.stdout);
    }
    assert_eq!(row_counts(&url).await, before);
    // And the real import is still possible afterwards.
    import(&url, fixture().to_str().unwrap()).await;
}

#[tokio::test]
async fn a_broken_source_is_explained_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let missing_table = fixture_copy(dir.path());
    let mut conn = sqlite_file(&missing_table).await;
    execute(&mut conn, "DROP TABLE sale_items").await;
    conn.close().await.unwrap();
    let garbage = dir.path().join("lixo.sqlite");
    std::fs::write(&garbage, b"isto nao e um banco de dados").unwrap();
    let truncated = dir.path().join("truncado.sqlite");
    std::fs::write(&truncated, &std::fs::read(fixture()).unwrap()[..12_288]).unwrap();
    let this_system = dir.path().join("deste-sistema.db");
    assert!(cli(&format!("sqlite://{}", this_system.display()), &["migrate"]).await.success);

    let cases = [
        (missing_table.display().to_string(), "falta(m) a(s) tabela(s) sale_items"),
        (garbage.display().to_string(), "não é um banco SQLite"),
        (truncated.display().to_string(), "está corrompido"),
        (dir.path().join("nao-existe.sqlite").display().to_string(), "arquivo não encontrado"),
        (this_system.display().to_string(), "é um banco deste sistema"),
    ];
    let (url, _database) = fresh_database().await;
    assert!(cli(&url, &["migrate"]).await.success);
    let before = row_counts(&url).await;
    for (source, message) in cases {
        let run = cli(&url, &["import-v1", &source]).await;
        assert!(!run.success, "{source}");
        assert!(run.stderr.contains(message), "{source}: esperado {message:?}:\n{}", run.stderr);
        assert_eq!(row_counts(&url).await, before, "{source}");
    }
}

#[tokio::test]
async fn a_failure_while_writing_undoes_the_whole_import() {
    let (url, _database) = fresh_database().await;
    assert!(cli(&url, &["migrate"]).await.success);
    let mut conn = connect(&url).await;
    let postgres = url.starts_with("postgres");
    let (create, drop) = if postgres {
        (
            "CREATE FUNCTION fail_sale_12() RETURNS trigger AS $$ BEGIN \
               IF NEW.id = 12 THEN RAISE EXCEPTION 'falha simulada na venda 12'; END IF; RETURN NEW; END $$ \
               LANGUAGE plpgsql; \
             CREATE TRIGGER fail_sale_12 BEFORE INSERT ON sales FOR EACH ROW EXECUTE FUNCTION fail_sale_12();",
            "DROP TRIGGER fail_sale_12 ON sales",
        )
    } else {
        (
            "CREATE TRIGGER fail_sale_12 BEFORE INSERT ON sales WHEN NEW.id = 12 \
             BEGIN SELECT RAISE(ABORT, 'falha simulada na venda 12'); END;",
            "DROP TRIGGER fail_sale_12",
        )
    };
    execute(&mut conn, create).await;
    let before = row_counts(&url).await;

    let run = cli(&url, &["import-v1", fixture().to_str().unwrap()]).await;
    assert!(!run.success);
    assert!(run.stderr.contains("falha simulada na venda 12"), "{}", run.stderr);
    assert_eq!(row_counts(&url).await, before, "nada das outras tabelas ficou gravado");

    execute(&mut conn, drop).await;
    conn.close().await.unwrap();
    import(&url, fixture().to_str().unwrap()).await;
}

/// `pbkdf2:sha256:<iterations>$salt$hex` as Werkzeug wrote it in older installs.
fn werkzeug_pbkdf2(password: &str, salt: &str, iterations: u32) -> String {
    let mut key = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password.as_bytes(), salt.as_bytes(), iterations, &mut key);
    format!("pbkdf2:sha256:{iterations}${salt}${}", hex::encode(key))
}

#[tokio::test]
async fn users_of_older_installs_with_pbkdf2_hashes_log_in_and_are_upgraded() {
    // Python: hashlib.pbkdf2_hmac('sha256', b'1234', b'aBcD1234', 1000).hex()
    assert_eq!(
        werkzeug_pbkdf2("1234", "aBcD1234", 1000),
        "pbkdf2:sha256:1000$aBcD1234$7e869a1a1e6e6a2c4f965503139236dad69a00d0ce530d2e3e09c445f8ee2a1c"
    );
    let dir = tempfile::tempdir().unwrap();
    let source = fixture_copy(dir.path());
    let hash = werkzeug_pbkdf2("carlos@2019", "Xq7vTz2LmN8pRs4W", 150_000);
    let mut conn = sqlite_file(&source).await;
    sqlx::query(
        "INSERT INTO users (id, username, password_hash, role, created_at) \
         VALUES (5, 'carlos', $1, 'funcionario', '2019-03-01 09:30:00')",
    )
    .bind(&hash)
    .execute(&mut conn)
    .await
    .unwrap();
    conn.close().await.unwrap();

    let (url, database) = fresh_database().await;
    import(&url, source.to_str().unwrap()).await;
    let app = spawn_app_on(url.clone(), database, &[]).await;
    assert_eq!(password_hash(&url, "carlos").await, hash);
    assert_eq!(app.login("carlos", "carlos@2018").await.status, StatusCode::UNAUTHORIZED);
    let reply = app.login("carlos", "carlos@2019").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["user"]["created_at"], "2019-03-01T09:30:00Z");
    assert!(password_hash(&url, "carlos").await.starts_with("$2"));
    assert_eq!(app.login("carlos", "carlos@2019").await.status, StatusCode::OK);
}

#[tokio::test]
async fn sales_that_do_not_add_up_and_colliding_categories_are_reported_not_changed() {
    let dir = tempfile::tempdir().unwrap();
    let source = fixture_copy(dir.path());
    let mut conn = sqlite_file(&source).await;
    // Sale 7 is 12 × 2.50 = 30.00; the first version says 30.50.
    execute(&mut conn, "UPDATE sales SET total_amount = 30.5 WHERE id = 7").await;
    execute(&mut conn, "INSERT INTO categories (id, name, created_at) VALUES (4, 'bebidas', NULL)").await;
    conn.close().await.unwrap();

    let (url, database) = fresh_database().await;
    let run = cli(&url, &["import-v1", source.to_str().unwrap()]).await;
    assert!(run.success, "{}", run.stderr);
    assert!(run.stdout.contains("venda 7: total R$ 30,50, 1 item(ns) somam R$ 30,00"), "{}", run.stdout);
    assert!(run.stdout.contains("renomeada para \"bebidas (2)\""), "{}", run.stdout);
    assert!(run.stdout.contains("R$ 274,07"), "o total da origem, com a venda como está:\n{}", run.stdout);

    let app = spawn_app_on(url, database, &[]).await;
    let admin = app.token("admin", "admin123").await;
    let sale = app.get("/api/sales/7", &admin).await.body;
    assert_eq!(cents(&sale["total_amount"]), 3050, "o total nunca é alterado");
    let categories = app.get("/api/categories", &admin).await.body;
    let names: Vec<&str> = categories.as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Bebidas", "bebidas (2)", "Mercearia", "Padaria"]);
}

/// The first version's schema as SQLAlchemy creates it on PostgreSQL (`password_hash` wider
/// than its declared 120 characters, which a scrypt hash does not fit in).
const FIRST_VERSION_POSTGRES: &str = "
    CREATE TABLE users (id SERIAL PRIMARY KEY, username VARCHAR(80) NOT NULL UNIQUE,
        password_hash VARCHAR(256) NOT NULL, role VARCHAR(20) NOT NULL, created_at TIMESTAMP WITHOUT TIME ZONE);
    CREATE TABLE categories (id SERIAL PRIMARY KEY, name VARCHAR(100) NOT NULL UNIQUE,
        created_at TIMESTAMP WITHOUT TIME ZONE);
    CREATE TABLE products (id SERIAL PRIMARY KEY, name VARCHAR(200) NOT NULL, description TEXT,
        price NUMERIC(10, 2) NOT NULL, stock INTEGER NOT NULL,
        category_id INTEGER NOT NULL REFERENCES categories (id), created_at TIMESTAMP WITHOUT TIME ZONE);
    CREATE TABLE sales (id SERIAL PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id),
        total_amount NUMERIC(10, 2) NOT NULL, timestamp TIMESTAMP WITHOUT TIME ZONE);
    CREATE TABLE sale_items (id SERIAL PRIMARY KEY, sale_id INTEGER NOT NULL REFERENCES sales (id),
        product_id INTEGER NOT NULL REFERENCES products (id), quantity INTEGER NOT NULL,
        price_at_sale NUMERIC(10, 2) NOT NULL);";

/// (table, columns with their PostgreSQL types) of the first version.
const FIRST_VERSION_TABLES: [(&str, &[(&str, &str)]); 5] = [
    (
        "users",
        &[
            ("id", "INTEGER"),
            ("username", "TEXT"),
            ("password_hash", "TEXT"),
            ("role", "TEXT"),
            ("created_at", "TIMESTAMP"),
        ],
    ),
    ("categories", &[("id", "INTEGER"), ("name", "TEXT"), ("created_at", "TIMESTAMP")]),
    (
        "products",
        &[
            ("id", "INTEGER"),
            ("name", "TEXT"),
            ("description", "TEXT"),
            ("price", "NUMERIC"),
            ("stock", "INTEGER"),
            ("category_id", "INTEGER"),
            ("created_at", "TIMESTAMP"),
        ],
    ),
    ("sales", &[("id", "INTEGER"), ("user_id", "INTEGER"), ("total_amount", "NUMERIC"), ("timestamp", "TIMESTAMP")]),
    (
        "sale_items",
        &[
            ("id", "INTEGER"),
            ("sale_id", "INTEGER"),
            ("product_id", "INTEGER"),
            ("quantity", "INTEGER"),
            ("price_at_sale", "NUMERIC"),
        ],
    ),
];

#[tokio::test]
async fn a_first_version_running_on_postgresql_is_imported_too() {
    if std::env::var("TEST_DATABASE_URL").is_err() {
        eprintln!("sem TEST_DATABASE_URL: origem PostgreSQL da primeira versão não testada nesta execução");
        return;
    }
    // The fixture's rows, in a PostgreSQL database with the first version's schema.
    let (source_url, _source) = fresh_database().await;
    let mut pg = connect(&source_url).await;
    execute(&mut pg, FIRST_VERSION_POSTGRES).await;
    let mut fixture_db = sqlite_file(&fixture()).await;
    for (table, columns) in FIRST_VERSION_TABLES {
        let select = columns.iter().map(|(c, _)| format!("CAST(\"{c}\" AS TEXT)")).collect::<Vec<_>>().join(", ");
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {select} FROM {table} ORDER BY id")))
            .fetch_all(&mut fixture_db)
            .await
            .unwrap();
        let names = columns.iter().map(|(c, _)| format!("\"{c}\"")).collect::<Vec<_>>().join(", ");
        let values =
            columns.iter().enumerate().map(|(i, (_, t))| format!("CAST(${} AS {t})", i + 1)).collect::<Vec<_>>();
        let insert = format!("INSERT INTO {table} ({names}) VALUES ({})", values.join(", "));
        for row in rows {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(insert.clone()));
            for i in 0..columns.len() {
                query = query.bind(row.get::<Option<String>, _>(i));
            }
            query.execute(&mut pg).await.unwrap();
        }
    }
    let total: String =
        sqlx::query_scalar("SELECT CAST(SUM(total_amount) AS TEXT) FROM sales").fetch_one(&mut pg).await.unwrap();
    assert_eq!(total, "273.57", "NUMERIC exato na primeira versão em PostgreSQL");
    pg.close().await.unwrap();
    fixture_db.close().await.unwrap();

    let (url, database) = fresh_database().await;
    import(&url, &source_url).await;
    let app = spawn_app_on(url, database, &[]).await;
    let admin = app.token("admin", "admin123").await;
    assert_fixture_shop(&app, &admin).await;
    assert_eq!(app.login("maria", "maria123").await.status, StatusCode::OK);
}
