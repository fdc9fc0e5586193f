use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::AppState;
use super::auth::AdminUser;
use super::error::{Error, Result};
use super::export::{Cell, Export, Format};
use super::input::Params;
use super::openapi;
use crate::app;
use crate::app::reports::Report;
use crate::domain::catalog::{Quantity, Unit};
use crate::domain::figures::{Figures, GroupBy, ReportRequest};
use crate::domain::money::Money;

/// What a group of sales came to. Cancelled sales count nothing; returns take out their units
/// and what they refunded, on the day of the sale.
#[derive(Serialize, ToSchema)]
pub struct ReportFigures {
    /// Sales. By product or category: the sales that had the product (a sale with two products
    /// of a category counts twice there); by payment method, the sales that used it (a sale
    /// paid two ways counts in each).
    count: i64,
    /// Units sold (a product sold by weight counts its kilograms). By payment method: 0.
    quantity: Quantity,
    /// Price × quantity. By payment method: 0.
    gross: Money,
    /// Every discount (`gross - net`). By payment method: 0.
    discounts: Money,
    /// What the customers paid. By payment method: what the method took in, minus what returns
    /// refunded with it (with a product or category filter: in the sales that had them).
    net: Money,
    /// `net / count`.
    average_ticket: Money,
    /// The cost of the lines whose cost was known when they were sold (the product's average
    /// cost, or its cost); `null` when none was.
    #[schema(required = true)]
    cost: Option<Money>,
    /// What those lines sold for minus their cost.
    #[schema(required = true)]
    margin: Option<Money>,
    /// `margin` over what those lines sold for, in percent (two decimals).
    #[schema(required = true)]
    margin_percent: Option<f64>,
}

impl From<&Figures> for ReportFigures {
    fn from(f: &Figures) -> ReportFigures {
        let margin = f.margin();
        ReportFigures {
            count: f.count,
            quantity: Quantity::new(f.quantity, Unit::Kg),
            gross: Money::from_cents(f.gross),
            discounts: Money::from_cents(f.discount),
            net: Money::from_cents(f.net),
            average_ticket: Money::from_cents(f.net).average(f.count),
            cost: margin.map(|_| Money::from_cents(f.cost)),
            margin,
            margin_percent: f.margin_bp().map(|bp| bp as f64 / 100.0),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ReportRow {
    /// `2026-03-10` (day), `2026-03-09` (week: its Monday), `2026-03` (month), `14` (hour of
    /// the day), the seller's, product's or category's id (`""`: no category), the payment
    /// method (`nao_informado`: sales from before methods were recorded).
    key: String,
    /// How people read it: `10/03/2026`, `Semana de 09/03/2026`, `03/2026`, `14h`, a name.
    label: String,
    #[serde(flatten)]
    figures: ReportFigures,
}

#[derive(Serialize, ToSchema)]
pub struct SalesReport {
    group_by: String,
    /// Time groups in time order (those without sales left out); the others by net, largest first.
    rows: Vec<ReportRow>,
    /// The sum of the rows (by payment method, `count` is the sales, each once).
    totals: ReportFigures,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ReportQuery {
    /// Como agrupar (padrão `day`).
    #[param(inline, value_type = Option<String>, pattern = "^(day|week|month|employee|product|category|hour|payment_method)$")]
    group_by: Option<String>,
    /// Início do período, como nas vendas.
    #[param(schema_with = openapi::period_bound)]
    start_date: Option<String>,
    /// Fim do período; uma data sem hora inclui o dia inteiro.
    #[param(schema_with = openapi::period_bound)]
    end_date: Option<String>,
    /// Só as vendas deste vendedor.
    #[param(format = Int64)]
    user_id: Option<i64>,
    /// Só as linhas deste produto.
    #[param(format = Int64)]
    product_id: Option<i64>,
    /// Só as linhas dos produtos desta categoria.
    #[param(format = Int64)]
    category_id: Option<i64>,
    /// Só as vendas desta loja (as lojas somam o relatório de todas).
    #[param(format = Int64, minimum = 1)]
    store_id: Option<i64>,
    /// `json` (padrão), `csv` ou `xlsx`.
    #[param(inline, value_type = Option<String>, pattern = "^(json|csv|xlsx)$")]
    format: Option<String>,
}

const COLUMNS: &[&str] =
    &["Grupo", "Vendas", "Quantidade", "Bruto", "Descontos", "Líquido", "Ticket médio", "Custo", "Margem", "Margem %"];

/// Sales grouped by day, week, month, hour, seller, product, category or payment method.
#[utoipa::path(get, path = "/api/reports/sales", tag = "relatorios", operation_id = "sales_report", security(("bearer" = [])),
    params(ReportQuery),
    responses(
        (status = 200, description = "O relatório; com `format=csv` ou `xlsx`, a planilha para baixar", content(
            (SalesReport = "application/json"),
            (String = "text/csv"),
            (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )),
        (status = 400, description = "Agrupamento, período, filtro ou formato inválido", body = super::ErrorBody),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
    ))]
pub async fn sales(State(state): State<AppState>, AdminUser(admin): AdminUser, params: Params) -> Result<Response> {
    let group_by = match params.get("group_by") {
        None => GroupBy::Day,
        Some(text) => GroupBy::parse(text).ok_or_else(|| {
            Error::invalid(
                "Parâmetro group_by deve ser day, week, month, employee, product, category, hour ou payment_method",
            )
        })?,
    };
    let (from, until) = super::sales::period(&state, &params)?;
    let id = |name: &str| params.integer(name, &format!("Parâmetro {name} inválido"));
    let request = ReportRequest {
        group_by,
        from,
        until,
        user_id: id("user_id")?,
        product_id: id("product_id")?,
        category_id: id("category_id")?,
        store_id: super::stores::store_param(&params)?,
    };
    let format = Format::of(&params, None)?;
    let report = app::reports::sales(&state.app, &admin.actor, request).await?;
    match format {
        None => Ok(Json(shaped(&report)).into_response()),
        Some(format) => {
            let name = format!("relatorio-{}-{}", group_by.as_str(), state.app.calendar.today().format("%Y-%m-%d"));
            let (mut export, response) = Export::start(format, &name, COLUMNS)?;
            let rows = report.rows.iter().map(|row| cells(group_by, &row.key, &row.label, &row.figures));
            let total = std::iter::once(cells(GroupBy::Employee, "", "Total", &report.totals));
            export.rows(rows.chain(total)).await?;
            export.finish().await?;
            Ok(response)
        }
    }
}

fn shaped(report: &Report) -> SalesReport {
    SalesReport {
        group_by: report.request.group_by.as_str().to_string(),
        rows: report
            .rows
            .iter()
            .map(|row| ReportRow { key: row.key.clone(), label: row.label.clone(), figures: (&row.figures).into() })
            .collect(),
        totals: (&report.totals).into(),
    }
}

/// A row of the spreadsheet: a day is a date cell.
fn cells(group: GroupBy, key: &str, label: &str, f: &Figures) -> Vec<Cell> {
    let first = match (group, chrono::NaiveDate::parse_from_str(key, "%Y-%m-%d")) {
        (GroupBy::Day, Ok(day)) => Cell::Date(day),
        _ => Cell::Text(label.to_string()),
    };
    let optional = |value: Option<Money>| value.map_or(Cell::Empty, Cell::Money);
    let margin = f.margin();
    vec![
        first,
        Cell::Integer(f.count),
        Cell::Thousandths(f.quantity),
        Cell::Money(Money::from_cents(f.gross)),
        Cell::Money(Money::from_cents(f.discount)),
        Cell::Money(Money::from_cents(f.net)),
        Cell::Money(Money::from_cents(f.net).average(f.count)),
        optional(margin.map(|_| Money::from_cents(f.cost))),
        optional(margin),
        f.margin_bp().map_or(Cell::Empty, Cell::Percent),
    ]
}
