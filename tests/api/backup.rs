//! Backups taken with the real binary while the server keeps selling, restored into fresh
//! databases and checked through the API.
//!
//! What a backup must hold: it is one consistent snapshot taken at some moment between the
//! start and the end of the `backup` command. So every sale confirmed (201) before the command
//! started is in it; no sale requested after the command ended is; every sale in it is a
//! confirmed sale, whole (its total and every item); and stock agrees with the sales in it
//! (for each product, stock + units sold = initial stock), as do the daily totals.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

const INITIAL_STOCK: i64 = 100_000;

struct Shop {
    app: TestApp,
    admin: String,
    sellers: Vec<String>,
    products: Vec<i64>,
}

async fn shop() -> Shop {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let category = app.create_category(&admin, "Mercearia").await;
    let mut products = Vec::new();
    for (i, price) in ["4.79", "18.90", "0.75", "8.49", "2.50"].into_iter().enumerate() {
        products.push(app.create_product(&admin, &format!("Produto {i}"), price, INITIAL_STOCK, category).await);
    }
    let mut sellers = vec![admin.clone()];
    for i in 0..2 {
        sellers.push(app.create_user(&admin, &format!("caixa{i}"), "funcionario").await.1);
    }
    Shop { app, admin, sellers, products }
}

/// A sale the load got a 201 for.
struct Confirmed {
    id: i64,
    total: i64,
    items: Vec<(i64, i64)>,
    sent: Instant,
    received: Instant,
}

/// (product, quantity) of each item of a sale as the API shows it, in product order.
fn items_of(sale: &Value) -> Vec<(i64, i64)> {
    let mut items: Vec<(i64, i64)> = sale["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["product_id"].as_i64().unwrap(), i["quantity"].as_i64().unwrap()))
        .collect();
    items.sort();
    items
}

/// Sells as every seller at once until `stop`; returns the confirmed sales and the failures.
async fn sell_until(shop: &Shop, stop: &AtomicBool) -> (Vec<Confirmed>, Vec<String>) {
    let sellers = shop.sellers.iter().enumerate().map(|(k, token)| async move {
        let (mut confirmed, mut failures) = (Vec::new(), Vec::new());
        let mut n = k;
        while !stop.load(Ordering::SeqCst) {
            n += shop.sellers.len();
            let p = &shop.products;
            let items = [(p[n % p.len()], 1 + (n % 3) as i64), (p[(n + 2) % p.len()], 1)];
            let sent = Instant::now();
            let reply = shop.app.sell(token, &items).await;
            let received = Instant::now();
            if reply.status == StatusCode::CREATED {
                confirmed.push(Confirmed {
                    id: reply.body["id"].as_i64().unwrap(),
                    total: cents(&reply.body["total_amount"]),
                    items: items_of(&reply.body),
                    sent,
                    received,
                });
            } else {
                failures.push(format!("{} {}", reply.status, reply.body));
            }
        }
        (confirmed, failures)
    });
    let (mut confirmed, mut failures) = (Vec::new(), Vec::new());
    for (c, f) in join_all(sellers).await {
        confirmed.extend(c);
        failures.extend(f);
    }
    (confirmed, failures)
}

/// The number of sales a `backup` report says the backup holds.
fn reported_sales(stdout: &str) -> i64 {
    let line = stdout.lines().find(|l| l.trim_start().starts_with("vendas ")).expect("linha de vendas no relatório");
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_while_selling_holds_every_sale_confirmed_before_it_and_agrees_with_itself() {
    let shop = shop().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backup");
    let stop = AtomicBool::new(false);

    let backup = async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let began = Instant::now();
        let run = cli(&shop.app.database_url, &["backup", file.to_str().unwrap()]).await;
        let ended = Instant::now();
        tokio::time::sleep(Duration::from_millis(300)).await;
        stop.store(true, Ordering::SeqCst);
        (run, began, ended)
    };
    let ((confirmed, failures), (run, began, ended)) = tokio::join!(sell_until(&shop, &stop), backup);
    assert!(run.success, "backup falhou:\n{}\n{}", run.stdout, run.stderr);
    let expected_kind = match shop.app.database_url.starts_with("postgres") {
        true if std::process::Command::new("pg_dump").arg("--version").output().is_ok() => "arquivo do pg_dump",
        true => "exportação portável",
        false => "banco SQLite",
    };
    assert!(run.stdout.contains(expected_kind), "{expected_kind}:\n{}", run.stdout);
    assert!(failures.is_empty(), "vendas recusadas durante o backup: {failures:?}");
    let during = confirmed.iter().filter(|c| c.received > began && c.received < ended).count();
    assert!(during > 0, "o servidor deve continuar vendendo durante o backup ({} vendas no total)", confirmed.len());

    let (url, database) = fresh_database().await;
    let restore = cli(&url, &["restore", file.to_str().unwrap()]).await;
    assert!(restore.success, "restore falhou:\n{}\n{}", restore.stdout, restore.stderr);
    let restored = spawn_app_on(url, database, &[]).await;
    let admin = restored.admin_token().await;
    let sales: HashMap<i64, Value> =
        restored.all_sales(&admin).await.into_iter().map(|s| (s["id"].as_i64().unwrap(), s)).collect();

    let by_id: HashMap<i64, &Confirmed> = confirmed.iter().map(|c| (c.id, c)).collect();
    for c in confirmed.iter().filter(|c| c.received < began) {
        let sale =
            sales.get(&c.id).unwrap_or_else(|| panic!("venda {} confirmada antes do backup não está nele", c.id));
        assert_eq!((cents(&sale["total_amount"]), items_of(sale)), (c.total, c.items.clone()), "venda {}", c.id);
    }
    for (id, sale) in &sales {
        let c = by_id.get(id).unwrap_or_else(|| panic!("venda {id} no backup sem ter sido confirmada"));
        assert!(c.sent < ended, "venda {id} pedida depois do fim do backup");
        assert_eq!((cents(&sale["total_amount"]), items_of(sale)), (c.total, c.items.clone()), "venda {id}");
    }
    println!("{} vendas confirmadas, {} durante o backup, {} no backup", confirmed.len(), during, sales.len());

    let mut sold: HashMap<i64, i64> = HashMap::new();
    for sale in sales.values() {
        for (product, quantity) in items_of(sale) {
            *sold.entry(product).or_default() += quantity;
        }
    }
    for product in &shop.products {
        let stock = restored.stock_of(&admin, *product).await;
        assert_eq!(stock + sold.get(product).copied().unwrap_or(0), INITIAL_STOCK, "produto {product}");
    }
    let summary = restored.get("/api/sales/reports/summary", &admin).await.body;
    assert_eq!(summary["total_count"].as_i64(), Some(sales.len() as i64));
    assert_eq!(cents(&summary["total_sales"]), sales.values().map(|s| cents(&s["total_amount"])).sum::<i64>());
    assert_eq!(reported_sales(&run.stdout), sales.len() as i64, "o relatório do backup descreve o que ele contém");

    // The restored shop sells on, after the restored ids.
    let next = restored.sell(&admin, &[(shop.products[0], 1)]).await;
    assert_eq!(next.status, StatusCode::CREATED, "{}", next.body);
    assert!(next.body["id"].as_i64().unwrap() > sales.keys().copied().max().unwrap_or(0));
    drop(shop.admin);
}

#[tokio::test]
async fn a_restore_refuses_a_database_with_a_shop_unless_forced() {
    let source = shop().await;
    let sale = source.app.sell(&source.admin, &[(source.products[1], 2)]).await;
    assert_eq!(sale.status, StatusCode::CREATED);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("loja.backup");
    assert!(cli(&source.app.database_url, &["backup", file.to_str().unwrap()]).await.success);

    let other = spawn_app().await;
    let admin = other.admin_token().await;
    let category = other.create_category(&admin, "Outra loja").await;
    let product = other.create_product(&admin, "Outro produto", "1.00", 5, category).await;
    assert_eq!(other.sell(&admin, &[(product, 1)]).await.status, StatusCode::CREATED);

    let refused = cli(&other.database_url, &["restore", file.to_str().unwrap()]).await;
    assert!(!refused.success);
    assert!(refused.stderr.contains("o banco de destino já tem dados"), "{}", refused.stderr);
    assert!(refused.stderr.contains("--force"), "{}", refused.stderr);
    let categories = other.get("/api/categories", &admin).await.body;
    assert_eq!(categories[0]["name"], "Outra loja");

    let forced = cli(&other.database_url, &["restore", "--force", file.to_str().unwrap()]).await;
    assert!(forced.success, "{}\n{}", forced.stdout, forced.stderr);
    let admin = other.admin_token().await;
    let categories = other.get("/api/categories", &admin).await.body;
    assert_eq!(categories.as_array().unwrap().len(), 1);
    assert_eq!(categories[0]["name"], "Mercearia");
    let sales = other.all_sales(&admin).await;
    assert_eq!(sales.len(), 1);
    assert_eq!(sales[0]["id"], sale.body["id"]);
    assert_eq!(cents(&sales[0]["total_amount"]), 2 * 1890);
}

#[tokio::test]
async fn without_pg_dump_a_postgresql_backup_is_a_portable_export_that_restores() {
    let source = shop().await;
    assert_eq!(source.app.sell(&source.admin, &[(source.products[0], 3)]).await.status, StatusCode::CREATED);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("loja.backup");
    // No PostgreSQL client tools on the path.
    let run =
        cli_with(&source.app.database_url, &["backup", file.to_str().unwrap()], &[("PATH", "/nonexistent")]).await;
    assert!(run.success, "{}\n{}", run.stdout, run.stderr);
    if source.app.database_url.starts_with("postgres") {
        assert!(run.stdout.contains("pg_dump não encontrado"), "{}", run.stdout);
        assert!(run.stdout.contains("exportação portável (JSON)"), "{}", run.stdout);
    } else {
        assert!(run.stdout.contains("banco SQLite"), "{}", run.stdout);
    }

    let (url, database) = sqlite_database();
    let restore = cli(&url, &["restore", file.to_str().unwrap()]).await;
    assert!(restore.success, "{}\n{}", restore.stdout, restore.stderr);
    let restored = spawn_app_on(url, database, &[]).await;
    let admin = restored.admin_token().await;
    assert_eq!(restored.stock_of(&admin, source.products[0]).await, INITIAL_STOCK - 3);
    assert_eq!(restored.all_sales(&admin).await.len(), 1);
}

#[tokio::test]
async fn a_file_that_is_not_a_backup_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("lixo.backup");
    std::fs::write(&garbage, b"nada a ver").unwrap();
    let first_version = dir.path().join("primeira.sqlite");
    std::fs::copy(first_version_fixture(), &first_version).unwrap();
    let (url, _database) = fresh_database().await;
    let missing = dir.path().join("nao-existe");
    let cases: [(&std::path::Path, &str); 3] = [
        (&garbage, "não é um backup nem uma exportação deste sistema"),
        (&first_version, "é um banco da primeira versão"),
        (&missing, "não foi possível abrir o arquivo"),
    ];
    assert_refused_untouched(&url, "restore", &cases).await;
}

#[tokio::test]
async fn the_server_takes_scheduled_backups_and_removes_old_ones() {
    let dir = tempfile::tempdir().unwrap();
    let backups = dir.path().join("backups");
    std::fs::create_dir(&backups).unwrap();
    for old in ["sistema-vendas-20200101-000000.db", "sistema-vendas-20200102-000000.backup"] {
        std::fs::write(backups.join(old), b"antigo").unwrap();
    }
    std::fs::write(backups.join("anotacoes.txt"), b"fica").unwrap();
    let dir_var = backups.to_str().unwrap();
    let app = spawn_app_with(&[("BACKUP_DIR", dir_var), ("BACKUP_INTERVAL", "1s"), ("BACKUP_KEEP_DAYS", "1")]).await;
    let admin = app.admin_token().await;
    let category = app.create_category(&admin, "Padaria").await;
    let product = app.create_product(&admin, "Pão", "0.75", 100, category).await;
    assert_eq!(app.sell(&admin, &[(product, 4)]).await.status, StatusCode::CREATED);
    let sold_at = chrono::Utc::now();

    // Wait for a backup started after the sale (its name gives when it started, to the second)
    // and for the old ones to be gone.
    let old = ["sistema-vendas-20200101-000000.db", "sistema-vendas-20200102-000000.backup"];
    let deadline = Instant::now() + Duration::from_secs(60);
    let newest = loop {
        let names: Vec<String> =
            std::fs::read_dir(&backups).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        let after_sale = names.iter().find(|name| {
            let stamp = name.strip_prefix("sistema-vendas-").and_then(|r| r.split_once('.')).map(|(t, _)| t);
            stamp
                .and_then(|t| chrono::NaiveDateTime::parse_from_str(t, "%Y%m%d-%H%M%S").ok())
                .is_some_and(|t| t.and_utc() > sold_at)
        });
        if let Some(name) = after_sale
            && !old.iter().any(|o| names.contains(&o.to_string()))
        {
            break name.clone();
        }
        assert!(Instant::now() < deadline, "nenhum backup automático depois da venda: {names:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(backups.join("anotacoes.txt").exists(), "outros arquivos ficam");
    drop(app);

    let (url, database) = fresh_database().await;
    let run = cli(&url, &["restore", backups.join(&newest).to_str().unwrap()]).await;
    assert!(run.success, "{}\n{}", run.stdout, run.stderr);
    let restored = spawn_app_on(url, database, &[]).await;
    let admin = restored.admin_token().await;
    assert_eq!(restored.stock_of(&admin, product).await, 96);
    assert_eq!(restored.all_sales(&admin).await.len(), 1);
}
