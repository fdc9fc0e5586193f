//! Sales reports: every grouping adds up to the sales themselves (a cancellation and a return
//! in the period), whether read from the totals kept with each sale, rebuilt by the command, or
//! from the sales (partial days, filters no total keeps); exports in CSV and XLSX, read back.

use std::collections::BTreeMap;

use sqlx::Connection;

use chrono::{DateTime, Datelike, Timelike, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

const TZ: chrono_tz::Tz = chrono_tz::America::Sao_Paulo;

/// What a group must add up to, computed here from the sales as the API lists them.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Expected {
    count: i64,
    /// Thousandths.
    quantity: i64,
    gross: i64,
    net: i64,
    cost: i64,
}

fn thousandths(value: &Value) -> i64 {
    (value.as_f64().unwrap() * 1000.0).round() as i64
}

struct Shop {
    app: TestApp,
    admin: String,
    maria: i64,
    joao: i64,
    coffee: i64,
    cheese: i64,
    bread: i64,
    groceries: i64,
    bakery: i64,
}

impl Shop {
    /// Each product's category.
    fn categories(&self) -> BTreeMap<i64, i64> {
        BTreeMap::from([(self.coffee, self.groceries), (self.cheese, self.groceries), (self.bread, self.bakery)])
    }
}

/// Two sellers, three products (coffee with a known cost, cheese sold by weight), sales paid
/// in several ways, one cancelled, one partly returned.
async fn shop() -> Shop {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (maria, maria_token) = app.create_user(&admin, "maria", "funcionario").await;
    let (joao, joao_token) = app.create_user(&admin, "joao", "funcionario").await;
    assert_eq!(app.put("/api/settings", &admin, json!({"max_discount_percent": 20})).await.status, StatusCode::OK);
    let groceries = app.create_category(&admin, "Mercearia").await;
    let bakery = app.create_category(&admin, "Padaria").await;
    let product = |body: Value| {
        let (app, admin) = (&app, admin.clone());
        async move { app.post("/api/products", &admin, body).await.body["id"].as_i64().unwrap() }
    };
    let coffee = product(
        json!({"name": "Café", "price": "18.00", "stock": 100, "cost_price": "6.00", "category_id": groceries}),
    )
    .await;
    let cheese =
        product(json!({"name": "Queijo", "price": "39.90", "stock": 10, "unit": "KG", "category_id": groceries})).await;
    let bread = product(json!({"name": "Pão", "price": "0.75", "stock": 500, "category_id": bakery})).await;
    let sell = |token: &str, items: Value, extra: Value| {
        let (app, token) = (&app, token.to_string());
        async move {
            let mut body = extra;
            body["items"] = items;
            let reply = app.post("/api/sales", &token, body).await;
            assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
            reply.body
        }
    };
    sell(
        &maria_token,
        json!([{"product_id": coffee, "quantity": 2}, {"product_id": cheese, "quantity": 1.5}]),
        json!({"payments": [{"method": "dinheiro", "amount": 50}, {"method": "pix", "amount": 45.85}]}),
    )
    .await;
    let discounted = sell(
        &maria_token,
        json!([{"product_id": coffee, "quantity": 3, "discount_percent": 10}, {"product_id": bread, "quantity": 10}]),
        json!({"payment_method": "credito"}),
    )
    .await;
    let cancelled =
        sell(&joao_token, json!([{"product_id": coffee, "quantity": 1}]), json!({"payment_method": "debito"})).await;
    sell(
        &joao_token,
        json!([{"product_id": bread, "quantity": 20}, {"product_id": cheese, "quantity": 0.5}]),
        json!({"payment_method": "pix"}),
    )
    .await;
    sell(&admin, json!([{"product_id": coffee, "quantity": 1}]), json!({})).await;

    let cancel = app.post(&format!("/api/sales/{}/cancel", cancelled["id"]), &admin, json!({"reason": "Engano"})).await;
    assert_eq!(cancel.status, StatusCode::OK);
    let coffee_line = discounted["items"].as_array().unwrap().iter().find(|i| i["product_id"] == coffee).unwrap();
    let back = json!({"items": [{"sale_item_id": coffee_line["id"], "quantity": 1}], "reason": "Troca", "refund_method": "dinheiro"});
    let reply = app.post(&format!("/api/sales/{}/returns", discounted["id"]), &admin, back).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    Shop { app, admin, maria, joao, coffee, cheese, bread, groceries, bakery }
}

/// The expected rows of a grouping, from the sales the API lists.
fn expected(sales: &[Value], group_by: &str, categories: &BTreeMap<i64, i64>) -> BTreeMap<String, Expected> {
    let mut rows: BTreeMap<String, Expected> = BTreeMap::new();
    for sale in sales.iter().filter(|s| s["status"] == "concluida") {
        let at: DateTime<Utc> = sale["timestamp"].as_str().unwrap().parse().unwrap();
        let local = at.with_timezone(&TZ);
        let monday = local.date_naive() - chrono::Days::new(u64::from(local.weekday().num_days_from_monday()));
        let sale_key = match group_by {
            "day" => local.format("%Y-%m-%d").to_string(),
            "week" => monday.format("%Y-%m-%d").to_string(),
            "month" => local.format("%Y-%m").to_string(),
            "hour" => format!("{:02}", local.hour()),
            "employee" => sale["user_id"].to_string(),
            _ => String::new(),
        };
        let refunds: BTreeMap<i64, i64> =
            sale["returns"].as_array().unwrap().iter().flat_map(|r| r["items"].as_array().unwrap().clone()).fold(
                BTreeMap::new(),
                |mut m, i| {
                    *m.entry(i["sale_item_id"].as_i64().unwrap()).or_default() += cents(&i["refund_amount"]);
                    m
                },
            );
        if group_by == "payment_method" {
            for payment in sale["payments"].as_array().unwrap() {
                let row = rows.entry(payment["method"].as_str().unwrap().to_string()).or_default();
                row.count += 1;
                row.net += cents(&payment["amount"]);
            }
            if sale["payments"].as_array().unwrap().is_empty() {
                let row = rows.entry("nao_informado".into()).or_default();
                row.count += 1;
                row.net += cents(&sale["total_amount"]);
            }
            for r in sale["returns"].as_array().unwrap() {
                rows.entry(r["refund_method"].as_str().unwrap().to_string()).or_default().net -=
                    cents(&r["refund_amount"]);
            }
            continue;
        }
        let mut whole = Expected { count: 1, ..Expected::default() };
        for item in sale["items"].as_array().unwrap() {
            let product = item["product_id"].as_i64().unwrap();
            let kept = thousandths(&item["quantity"]) - thousandths(&item["returned_quantity"]);
            let line = Expected {
                count: 1,
                quantity: kept,
                // Prices here make every amount exact: price × kept units.
                gross: cents(&item["price_at_sale"]) * kept / 1000,
                net: cents(&item["total_amount"]) - refunds.get(&item["id"].as_i64().unwrap()).copied().unwrap_or(0),
                cost: if item["product_name"] == "Café" { 600 * kept / 1000 } else { 0 },
            };
            let key = match group_by {
                "product" => product.to_string(),
                "category" => categories[&product].to_string(),
                _ => {
                    whole = Expected {
                        quantity: whole.quantity + line.quantity,
                        gross: whole.gross + line.gross,
                        net: whole.net + line.net,
                        cost: whole.cost + line.cost,
                        ..whole
                    };
                    continue;
                }
            };
            let row = rows.entry(key).or_default();
            *row = Expected {
                count: row.count + 1,
                quantity: row.quantity + line.quantity,
                gross: row.gross + line.gross,
                net: row.net + line.net,
                cost: row.cost + line.cost,
            };
        }
        if !matches!(group_by, "product" | "category") {
            let row = rows.entry(sale_key).or_default();
            *row = Expected {
                count: row.count + 1,
                quantity: row.quantity + whole.quantity,
                gross: row.gross + whole.gross,
                net: row.net + whole.net,
                cost: row.cost + whole.cost,
            };
        }
    }
    rows
}

/// The rows of a report as the API gives them, in the same shape.
fn got(report: &Value) -> BTreeMap<String, Expected> {
    report["rows"]
        .as_array()
        .unwrap_or_else(|| panic!("{report}"))
        .iter()
        .map(|row| {
            let figures = Expected {
                count: row["count"].as_i64().unwrap(),
                quantity: thousandths(&row["quantity"]),
                gross: cents(&row["gross"]),
                net: cents(&row["net"]),
                cost: if row["cost"].is_null() { 0 } else { cents(&row["cost"]) },
            };
            // Gross minus discounts is net (by payment method only net is kept).
            if cents(&row["gross"]) != 0 {
                assert_eq!(cents(&row["gross"]) - cents(&row["discounts"]), figures.net, "{row}");
            }
            (row["key"].as_str().unwrap().to_string(), figures)
        })
        .collect()
}

/// The row of an id (a product's, a seller's) in a report.
fn row_of(report: &Value, id: i64) -> &Value {
    let key = id.to_string();
    report["rows"].as_array().unwrap().iter().find(|r| r["key"].as_str() == Some(&key)).unwrap()
}

const GROUPS: [&str; 8] = ["day", "week", "month", "hour", "employee", "product", "category", "payment_method"];

async fn report(shop: &Shop, query: &str) -> Value {
    let reply = shop.app.get(&format!("/api/reports/sales?{query}"), &shop.admin).await;
    assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.body);
    reply.body
}

async fn check_every_grouping(shop: &Shop, what: &str) {
    let sales = shop.app.all_sales(&shop.admin).await;
    let categories = shop.categories();
    let standing: Vec<&Value> = sales.iter().filter(|s| s["status"] == "concluida").collect();
    let net: i64 = standing.iter().map(|s| cents(&s["total_amount"]) - cents(&s["refunded_amount"])).sum();
    for group in GROUPS {
        let body = report(shop, &format!("group_by={group}")).await;
        assert_eq!(got(&body), expected(&sales, group, &categories), "{what}: {group}");
        assert_eq!(cents(&body["totals"]["net"]), net, "{what}: {group}: the totals are the sales' net");
        // By product, a sale with two products counts in each (paid two ways, it counts in each
        // method's row, but once in the totals).
        if !matches!(group, "product" | "category") {
            assert_eq!(body["totals"]["count"].as_i64(), Some(standing.len() as i64), "{what}: {group}");
        }
        // A period that starts and ends inside a day reads those partial days from the sales:
        // the same rows.
        let first: DateTime<Utc> = sales.last().unwrap()["timestamp"].as_str().unwrap().parse().unwrap();
        let start = (first.with_timezone(&TZ) - chrono::Duration::minutes(1)).format("%Y-%m-%dT%H:%M");
        let end = (Utc::now().with_timezone(&TZ) + chrono::Duration::minutes(2)).format("%Y-%m-%dT%H:%M");
        let partial = report(shop, &format!("group_by={group}&start_date={start}&end_date={end}")).await;
        assert_eq!(got(&partial), got(&body), "{what}: {group} over partial days");
    }
}

#[tokio::test]
async fn every_grouping_adds_up_to_the_sales_with_a_cancellation_and_a_return() {
    let shop = shop().await;
    check_every_grouping(&shop, "as kept with each sale").await;

    let body = report(&shop, "group_by=product").await;
    let coffee = row_of(&body, shop.coffee);
    // 2 + (3 - 1 returned) + 1 (the cancelled one left out): 5 at R$ 6,00.
    assert_eq!((coffee["count"].as_i64(), coffee["quantity"].as_f64()), (Some(3), Some(5.0)));
    assert_eq!((cents(&coffee["cost"]), cents(&coffee["margin"])), (3000, 3600 + 3240 + 1800 - 3000));
    let cheese = row_of(&body, shop.cheese);
    assert_eq!((cheese["quantity"].as_f64(), &cheese["cost"]), (Some(2.0), &Value::Null), "kilograms; no cost known");
    assert_eq!(cheese["label"], "Queijo");

    // Filters: a seller, a product, a category.
    let sales = shop.app.all_sales(&shop.admin).await;
    let categories = shop.categories();
    let marias: Vec<Value> = sales.iter().filter(|s| s["user_id"] == shop.maria).cloned().collect();
    for group in ["day", "product", "category", "payment_method", "hour"] {
        let body = report(&shop, &format!("group_by={group}&user_id={}", shop.maria)).await;
        assert_eq!(got(&body), expected(&marias, group, &categories), "maria, {group}");
    }
    let by_day = report(&shop, &format!("group_by=day&product_id={}", shop.bread)).await;
    let by_product = report(&shop, "group_by=product").await;
    let bread = row_of(&by_product, shop.bread);
    assert_eq!(cents(&by_day["totals"]["net"]), cents(&bread["net"]));
    let employee = report(&shop, &format!("group_by=employee&category_id={}", shop.bakery)).await;
    assert_eq!(cents(&employee["totals"]["net"]), cents(&bread["net"]), "only bakery lines");
    assert_eq!(got(&employee).len(), 2, "maria and joao sold bread");
    // By payment method with a category: what the sales that had bakery products paid.
    let with_bread: Vec<Value> = sales
        .iter()
        .filter(|s| s["items"].as_array().unwrap().iter().any(|i| i["product_id"] == shop.bread))
        .cloned()
        .collect();
    let paid = report(&shop, &format!("group_by=payment_method&category_id={}", shop.bakery)).await;
    assert_eq!(got(&paid), expected(&with_bread, "payment_method", &categories));
    assert_eq!(got(&paid).len(), 3, "credito and pix paid them, dinheiro refunded one: {paid}");
    let standing_with_bread = with_bread.iter().filter(|s| s["status"] == "concluida").count() as i64;
    assert_eq!(paid["totals"]["count"].as_i64(), Some(standing_with_bread), "each sale once in the totals");
    let joao = report(&shop, &format!("group_by=product&user_id={}", shop.joao)).await;
    assert_eq!(got(&joao).len(), 2, "bread and cheese (the cancelled coffee counts nothing)");

    assert_eq!(report(&shop, "").await, report(&shop, "group_by=day").await, "by day unless asked otherwise");
    for (query, message) in [
        (
            "group_by=semana",
            "Parâmetro group_by deve ser day, week, month, employee, product, category, hour ou payment_method",
        ),
        ("group_by=day&start_date=ontem", "Formato de data inválido para start_date"),
        ("group_by=day&format=pdf", "Parâmetro format deve ser json, csv ou xlsx"),
        ("group_by=day&user_id=abc", "Parâmetro user_id inválido"),
    ] {
        let reply = shop.app.get(&format!("/api/reports/sales?{query}"), &shop.admin).await;
        assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, message), "{query}");
    }
    let employee = shop.app.token("maria", "senha123").await;
    assert_eq!(shop.app.get("/api/reports/sales?group_by=day", &employee).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_totals_rebuilt_from_the_sales_are_the_ones_kept_and_follow_sales_moved_across_months() {
    let shop = shop().await;
    let mut before = Vec::new();
    for group in GROUPS {
        before.push(report(&shop, &format!("group_by={group}")).await);
    }
    let run = cli(&shop.app.database_url, &["rebuild-reports"]).await;
    assert!(run.success, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("Totais dos relatórios recalculados"), "{}", run.stdout);
    for (group, kept) in GROUPS.iter().zip(&before) {
        assert_eq!(&report(&shop, &format!("group_by={group}")).await, kept, "{group}: rebuilt = kept");
    }

    // Sales of other months (moved with SQL, then rebuilt): whole months come from the monthly
    // totals, the days around them from the daily ones.
    let mut conn = connect(&shop.app.database_url).await;
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM sales ORDER BY id").fetch_all(&mut conn).await.unwrap();
    let day = 24 * 3600 * 1_000_000_i64;
    for (i, id) in ids.iter().enumerate() {
        sqlx::query("UPDATE sales SET created_at = created_at - $2 WHERE id = $1")
            .bind(id)
            .bind(day * [0, 40, 75, 200, 330][i % 5])
            .execute(&mut conn)
            .await
            .unwrap();
    }
    conn.close().await.unwrap();
    assert!(cli(&shop.app.database_url, &["rebuild-reports"]).await.success);
    check_every_grouping(&shop, "over a year").await;
    let year_ago = (Utc::now().with_timezone(&TZ) - chrono::Duration::days(364)).format("%Y-%m-%d");
    let today = Utc::now().with_timezone(&TZ).format("%Y-%m-%d");
    for group in ["month", "product", "category"] {
        let whole = report(&shop, &format!("group_by={group}")).await;
        let year = report(&shop, &format!("group_by={group}&start_date={year_ago}&end_date={today}")).await;
        assert_eq!(got(&year), got(&whole), "{group}: the last 12 months hold every sale");
    }
    let months = report(&shop, "group_by=month").await;
    assert_eq!(months["rows"].as_array().unwrap().len(), 4, "the cancelled sale's month has nothing: {months}");

    // A period that holds most of a month but not the day of a sale in it: read as the month's
    // totals less the days outside, which must take that sale away again.
    let sales = shop.app.all_sales(&shop.admin).await;
    let categories = shop.categories();
    let day_of =
        |sale: &Value| sale["timestamp"].as_str().unwrap().parse::<DateTime<Utc>>().unwrap().with_timezone(&TZ);
    for sold in sales.iter().map(|s| day_of(s).date_naive()).collect::<std::collections::BTreeSet<_>>() {
        let first = sold.with_day(1).unwrap();
        let last = (first + chrono::Months::new(1)).pred_opt().unwrap();
        let (start, end) = if 2 * sold.day() < last.day() {
            (sold.succ_opt().unwrap(), last)
        } else {
            (first, sold.pred_opt().unwrap())
        };
        let inside: Vec<Value> =
            sales.iter().filter(|s| (start..=end).contains(&day_of(s).date_naive())).cloned().collect();
        for group in ["month", "product", "category"] {
            let body = report(&shop, &format!("group_by={group}&start_date={start}&end_date={end}")).await;
            assert_eq!(
                got(&body),
                expected(&inside, group, &categories),
                "{group} from {start} to {end}, without {sold}"
            );
        }
    }
}

#[tokio::test]
async fn exports_are_read_back_by_a_spreadsheet_library_with_numbers_and_dates() {
    use calamine::{Data, Reader, Xlsx};
    let shop = shop().await;
    let download = |path: String| {
        let (app, admin) = (&shop.app, shop.admin.clone());
        async move {
            let response = app.client.get(app.url(&path)).bearer_auth(&admin).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            let headers = response.headers().clone();
            (headers, response.bytes().await.unwrap().to_vec())
        }
    };
    let (headers, bytes) = download("/api/reports/sales?group_by=day&format=xlsx".into()).await;
    assert_eq!(headers["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert!(headers["content-disposition"].to_str().unwrap().contains("relatorio-day-"));
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    assert_eq!(rows[0][0], Data::String("Grupo".into()));
    assert_eq!(rows[0][5], Data::String("Líquido".into()));
    let json = report(&shop, "group_by=day").await;
    let today = json["rows"][0]["key"].as_str().unwrap().to_string();
    let Data::DateTime(date) = &rows[1][0] else { panic!("a date cell: {:?}", rows[1][0]) };
    assert_eq!(date.as_datetime().unwrap().date().format("%Y-%m-%d").to_string(), today);
    assert_eq!(rows[1][1], Data::Float(json["totals"]["count"].as_f64().unwrap()));
    assert_eq!(rows[1][5], Data::Float(json["totals"]["net"].as_f64().unwrap()), "net as a number");
    assert_eq!(rows.last().unwrap()[0], Data::String("Total".into()));

    let (headers, bytes) = download("/api/sales/export?format=xlsx".into()).await;
    assert!(headers["content-disposition"].to_str().unwrap().ends_with(".xlsx\""));
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    let sales = shop.app.all_sales(&shop.admin).await;
    assert_eq!(rows.len(), 1 + sales.len());
    assert_eq!(rows[0][12], Data::String("Situação".into()));
    for (row, sale) in rows[1..].iter().zip(sales.iter().rev()) {
        assert_eq!(row[0], Data::Float(sale["id"].as_f64().unwrap()));
        assert!(matches!(row[1], Data::DateTime(_)), "{:?}", row[1]);
        assert_eq!(row[6], Data::Float(sale["total_amount"].as_f64().unwrap()));
        assert_eq!(row[11], Data::Float(sale["refunded_amount"].as_f64().unwrap()));
        let status = if sale["status"] == "cancelada" { "Cancelada" } else { "Concluída" };
        assert_eq!(row[12], Data::String(status.into()));
    }

    // Nothing to export: the header alone.
    let (_, bytes) = download("/api/sales/export?start_date=2000-01-01&end_date=2000-01-02".into()).await;
    let empty = String::from_utf8(bytes).unwrap();
    assert!(empty.starts_with("\u{feff}Venda;Data;") && empty.ends_with("Situação\r\n"), "{empty:?}");
    let (headers, bytes) = download("/api/reports/sales?group_by=product&format=csv".into()).await;
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    let text = String::from_utf8(bytes).unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines[0], "Grupo;Vendas;Quantidade;Bruto;Descontos;Líquido;Ticket médio;Custo;Margem;Margem %");
    assert_eq!(lines.len(), 1 + 3 + 1, "three products and the total");
    assert!(lines.iter().any(|l| l.starts_with("Queijo;2;2,000;")), "{text}");
}
