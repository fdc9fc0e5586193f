//! The sales reports (administrators): rows of a grouping over a period, from the totals kept
//! with every sale (`db::rollups`), named for people.

use std::collections::HashMap;

use super::{Context, Result};
use crate::db;
use crate::domain::figures::{Figures, GroupBy, ReportRequest, ReportRow, UNRECORDED_METHOD};
use crate::domain::sales::PaymentMethod;
use crate::domain::users::Actor;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub request: ReportRequest,
    /// Time groups in time order; the others by net, largest first.
    pub rows: Vec<ReportRow>,
    pub totals: Figures,
}

pub async fn sales(ctx: &Context, actor: &Actor, request: ReportRequest) -> Result<Report> {
    actor.require_admin()?;
    let grouped = db::rollups::report(&ctx.db.read, ctx.calendar, &request).await?;
    let figures = grouped.rows;
    let ids: Vec<i64> = figures.keys().filter_map(|key| key.parse().ok()).collect();
    let names: HashMap<i64, String> = match request.group_by {
        GroupBy::Employee => db::rollups::names(&ctx.db.read, "users", "username", &ids).await?,
        GroupBy::Product => db::rollups::names(&ctx.db.read, "products", "name", &ids).await?,
        GroupBy::Category => db::rollups::names(&ctx.db.read, "categories", "name", &ids).await?,
        _ => HashMap::new(),
    };
    let mut totals = Figures::default();
    let mut rows: Vec<ReportRow> = figures
        .into_iter()
        .filter(|(_, figures)| !figures.is_zero())
        .map(|(key, figures)| {
            totals.add(&figures);
            ReportRow { label: label(request.group_by, &key, &names), key, figures }
        })
        .collect();
    // A sale paid two ways counts in each method's row, but once in the totals.
    if request.group_by == GroupBy::PaymentMethod {
        totals.count = match grouped.sales {
            Some(sales) => sales,
            None => {
                let by_day = ReportRequest { group_by: GroupBy::Day, ..request };
                db::rollups::report(&ctx.db.read, ctx.calendar, &by_day).await?.rows.values().map(|f| f.count).sum()
            }
        };
    }
    if !request.group_by.is_time() {
        rows.sort_by(|a, b| b.figures.net.cmp(&a.figures.net).then_with(|| a.label.cmp(&b.label)));
    }
    Ok(Report { request, rows, totals })
}

/// How people read a row's key.
fn label(group: GroupBy, key: &str, names: &HashMap<i64, String>) -> String {
    let date = |text: &str| {
        chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_or_else(|_| text.to_string(), |d| d.format("%d/%m/%Y").to_string())
    };
    let named = |fallback: &str| {
        key.parse::<i64>().ok().and_then(|id| names.get(&id).cloned()).unwrap_or_else(|| fallback.to_string())
    };
    match group {
        GroupBy::Day => date(key),
        GroupBy::Week => format!("Semana de {}", date(key)),
        GroupBy::Month => match key.split_once('-') {
            Some((year, month)) => format!("{month}/{year}"),
            None => key.to_string(),
        },
        GroupBy::Hour => format!("{key}h"),
        GroupBy::Employee => named(&format!("usuário {key}")),
        GroupBy::Product => named(&format!("produto {key}")),
        GroupBy::Category => {
            if key.is_empty() {
                "Sem categoria".into()
            } else {
                named(&format!("categoria {key}"))
            }
        }
        GroupBy::PaymentMethod => match PaymentMethod::parse(key) {
            Some(method) => method.label().to_string(),
            None if key == UNRECORDED_METHOD => "Não informada".into(),
            None => key.to_string(),
        },
    }
}
