//! The catalog as a spreadsheet: `GET /api/products/export` and `POST /api/products/import`, in
//! the CSV that Excel in Portuguese opens and saves (UTF-8 with a byte-order mark, `;` between
//! fields, decimal comma). The columns are documented in docs/api.md:
//!
//! `codigo;nome;categoria;unidade;preco;custo;custo_medio;estoque_minimo;estoque;codigos_de_barras;ativo;descricao`
//!
//! An import reads every line before it writes anything: all the problems of the file come back
//! at once, each with its line and column, and a file with any problem imports nothing.

use std::collections::HashMap;

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::response::Response;
use serde::Serialize;
use utoipa::ToSchema;

use super::AppState;
use super::auth::AdminUser;
use super::error::{Error, Result, RowError};
use super::input::Params;
use crate::app;
use crate::domain::barcode::Barcode;
use crate::domain::catalog::{
    CatalogLine, DEFAULT_MIN_STOCK, MAX_CODE_CHARS, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, MAX_STOCK, Product,
    ProductDetails, Quantity, Unit,
};
use crate::domain::money::Money;
use crate::domain::number::parse_scaled;
use crate::domain::text;

/// The columns, in the order an export writes them.
const COLUMNS: [&str; 12] = [
    "codigo",
    "nome",
    "categoria",
    "unidade",
    "preco",
    "custo",
    "custo_medio",
    "estoque_minimo",
    "estoque",
    "codigos_de_barras",
    "ativo",
    "descricao",
];

/// Columns an import must find.
const REQUIRED: [&str; 3] = ["nome", "categoria", "preco"];

/// The largest file an import reads (about 100,000 products).
const MAX_IMPORT_BYTES: usize = 20 * 1024 * 1024;

/// Problems reported at most (the file is refused whole anyway).
const MAX_REPORTED: usize = 200;

/// The filters are the listing's: with `low_stock=true` this is the low-stock report.
#[utoipa::path(get, path = "/api/products/export", tag = "produtos", operation_id = "export_products",
    security(("bearer" = [])),
    params(super::products::ProductQuery),
    responses(
        (status = 200, content_type = "text/csv", body = String,
            headers(("Content-Disposition" = String, description = "`attachment; filename=\"produtos-AAAA-MM-DD.csv\"`"))),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
    ))]
pub async fn export(State(state): State<AppState>, AdminUser(admin): AdminUser, params: Params) -> Result<Response> {
    let filter = super::products::filter_of(&params)?;
    let products = app::catalog::all_products(&state.app, &admin.actor, &filter).await?;
    let mut writer = csv_writer();
    writer.write_record(COLUMNS).map_err(anyhow::Error::from)?;
    for product in &products {
        writer.write_record(row(product)).map_err(anyhow::Error::from)?;
    }
    let mut csv = String::from("\u{feff}");
    csv.push_str(
        &String::from_utf8(writer.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?).map_err(anyhow::Error::from)?,
    );
    Ok(super::csv_attachment(&format!("produtos-{}.csv", state.app.calendar.today().format("%Y-%m-%d")), csv))
}

fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new().delimiter(b';').terminator(csv::Terminator::CRLF).from_writer(Vec::new())
}

fn row(p: &Product) -> [String; 12] {
    let money = |m: Option<Money>| m.map(|m| decimal_comma(&m.to_string())).unwrap_or_default();
    let quantity = |stored: i64| {
        let shown = Quantity::new(stored, p.unit).to_string();
        shown.split(' ').next().unwrap_or_default().to_string()
    };
    [
        spreadsheet_safe(p.code.as_deref().unwrap_or_default()),
        spreadsheet_safe(&p.name),
        spreadsheet_safe(p.category_name.as_deref().unwrap_or_default()),
        p.unit.as_str().to_string(),
        money(Some(p.catalog_price)),
        money(p.cost),
        money(p.average_cost),
        quantity(p.min_stock),
        quantity(p.stock),
        p.barcodes.join(" "),
        if p.active { "sim" } else { "não" }.to_string(),
        spreadsheet_safe(p.description.as_deref().unwrap_or_default()),
    ]
}

fn decimal_comma(amount: &str) -> String {
    amount.replace('.', ",")
}

/// Text a spreadsheet would run as a formula gets a leading apostrophe (which an import strips).
fn spreadsheet_safe(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_string() }
}

/// A field as [`spreadsheet_safe`] wrote it.
fn unescape(value: &str) -> &str {
    match value.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => value,
    }
}

/// What an import did.
#[derive(Serialize, ToSchema)]
pub struct ImportSummary {
    /// Produtos novos.
    created: usize,
    /// Produtos que já existiam (mesmo `codigo`) e foram atualizados.
    updated: usize,
    /// Categorias criadas porque o arquivo as nomeou.
    categories_created: usize,
}

/// Imports the catalog from a CSV file (the body, `text/csv`, up to 20 MB), all or nothing: a line
/// whose `codigo` is a product's updates it (its stock is not touched: use entries and counts),
/// any other line creates a product with `estoque` as its first movement; a category is found by
/// name or created. Problems come back all at once, each with its line and column.
#[utoipa::path(post, path = "/api/products/import", tag = "produtos", operation_id = "import_products",
    security(("bearer" = [])),
    params(("store_id" = Option<i64>, Query, minimum = 1, description = "A loja que recebe o estoque dos produtos novos (com duas \
        ou mais lojas, obrigatória se o arquivo traz estoque)")),
    request_body(content = String, content_type = "text/csv",
        description = "O arquivo: cabeçalho com os nomes das colunas (nome, categoria e preco obrigatórias), separadas \
            por `;` (ou `,`)"),
    responses(
        (status = 200, body = ImportSummary),
        (status = 400, description = "Problemas no arquivo (`errors`: linha, coluna e mensagem de cada um); nada foi \
            importado", body = super::ErrorBody),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
        (status = 404, description = "A loja não existe", body = super::ErrorBody),
        (status = 413, description = "Arquivo maior que 20 MB", body = super::ErrorBody),
        (status = 422, description = "Com duas ou mais lojas, o estoque dos produtos novos pede `store_id`",
            body = super::ErrorBody),
    ))]
pub async fn import(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    params: Params,
    body: Body,
) -> Result<Json<ImportSummary>> {
    let store = super::stores::store_param(&params)?;
    let bytes = axum::body::to_bytes(body, MAX_IMPORT_BYTES).await.map_err(|_| Error::PayloadTooLarge)?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| Error::invalid("O arquivo deve estar em UTF-8 (no Excel: salvar como CSV UTF-8)"))?;
    let lines = read(text)?;
    let imported = app::catalog::import(&state.app, &admin.actor, lines, store).await?;
    Ok(Json(ImportSummary {
        created: imported.created,
        updated: imported.updated,
        categories_created: imported.categories_created,
    }))
}

/// Every line of the file, parsed, or every problem found.
fn read(text: &str) -> Result<Vec<CatalogLine>> {
    let text = text.trim_start_matches('\u{feff}');
    let header_line = text.lines().next().unwrap_or_default();
    let delimiter = if header_line.contains(';') { b';' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|_| Error::invalid("Não foi possível ler o cabeçalho do arquivo"))?
        .iter()
        .map(|h| text::search_key(h).replace(' ', "_"))
        .collect();
    let mut problems = Vec::new();
    for (i, name) in header.iter().enumerate() {
        if !COLUMNS.contains(&name.as_str()) {
            problems.push(problem(1, name, format!("coluna desconhecida (as colunas são: {})", COLUMNS.join(", "))));
        } else if header[..i].contains(name) {
            problems.push(problem(1, name, "coluna repetida".into()));
        }
    }
    for required in REQUIRED {
        if !header.iter().any(|h| h == required) {
            problems.push(problem(1, required, "coluna obrigatória ausente".into()));
        }
    }
    if !problems.is_empty() {
        return Err(refusal(problems));
    }
    let mut lines = Vec::new();
    let mut lines_seen = LineCounter { text, byte: 0, line: 1 };
    let mut codes: HashMap<String, usize> = HashMap::new();
    let mut barcodes: HashMap<String, usize> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(0, |p| p.line() as usize);
                problems.push(problem(line, "", "linha ilegível (aspas sem fechar?)".into()));
                break;
            }
        };
        let line = lines_seen.line_at(record.position().map_or(0, |p| p.byte() as usize));
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() > header.len() {
            problems.push(problem(line, "", format!("{} campos, mas o cabeçalho tem {}", record.len(), header.len())));
            continue;
        }
        let fields = Fields { header: &header, record: &record };
        let mut at = LineProblems { line, problems: &mut problems };
        let code = fields.get("codigo");
        if !code.is_empty()
            && let Some(first) = codes.insert(code.to_string(), line)
        {
            at.push("codigo", format!("código {code} repetido (já na linha {first})"));
        }
        if let Some(parsed) = parse_line(&mut at, &fields) {
            for barcode in &parsed.details.barcodes {
                if let Some(first) = barcodes.insert(barcode.key(), line) {
                    at.push(
                        "codigos_de_barras",
                        format!("código de barras {} repetido (já na linha {first})", barcode.digits),
                    );
                }
            }
            lines.push(parsed);
        }
        if problems.len() >= MAX_REPORTED {
            break;
        }
    }
    if !problems.is_empty() {
        return Err(refusal(problems));
    }
    if lines.is_empty() {
        return Err(Error::invalid("O arquivo não tem nenhum produto"));
    }
    Ok(lines)
}

/// The line a byte of the file is on, counted as the reader goes (the CSV reader's own count is
/// one short after a CRLF). A record's position is before the line break that ends the one
/// before it: those breaks are skipped first.
struct LineCounter<'a> {
    text: &'a str,
    byte: usize,
    line: usize,
}

impl LineCounter<'_> {
    fn line_at(&mut self, byte: usize) -> usize {
        let bytes = self.text.as_bytes();
        let start = byte + bytes[byte.min(bytes.len())..].iter().take_while(|b| matches!(b, b'\r' | b'\n')).count();
        let start = start.min(bytes.len()).max(self.byte);
        self.line += bytes[self.byte..start].iter().filter(|b| **b == b'\n').count();
        self.byte = start;
        self.line
    }
}

fn problem(line: usize, column: &str, message: String) -> RowError {
    RowError { line, column: column.to_string(), message }
}

fn refusal(problems: Vec<RowError>) -> Error {
    let first = &problems[0];
    let column = if first.column.is_empty() { String::new() } else { format!(", coluna {}", first.column) };
    let more = match problems.len() {
        1 => String::new(),
        n => format!(" (e mais {} problema(s))", n - 1),
    };
    Error::Rows {
        message: format!("Linha {}{column}: {}{more}. Nada foi importado", first.line, first.message),
        errors: problems,
    }
}

/// A line's fields by column name.
struct Fields<'a> {
    header: &'a [String],
    record: &'a csv::StringRecord,
}

impl<'a> Fields<'a> {
    /// The field (empty when the column is absent or the line is short).
    fn get(&self, column: &str) -> &'a str {
        self.header.iter().position(|h| h == column).and_then(|i| self.record.get(i)).map(unescape).unwrap_or("")
    }
}

struct LineProblems<'a> {
    line: usize,
    problems: &'a mut Vec<RowError>,
}

impl LineProblems<'_> {
    fn push(&mut self, column: &str, message: String) {
        self.problems.push(problem(self.line, column, message));
    }

    /// The value, or the problem recorded and None.
    fn check<T>(&mut self, column: &str, value: std::result::Result<T, String>) -> Option<T> {
        value.map_err(|message| self.push(column, message)).ok()
    }
}

fn parse_line(at: &mut LineProblems, fields: &Fields) -> Option<CatalogLine> {
    let field = |column: &str| fields.get(column);
    let name = at.check("nome", required_name(field("nome"), MAX_NAME_CHARS));
    let category = at.check("categoria", required_name(field("categoria"), MAX_NAME_CHARS));
    let code = at.check("codigo", optional(field("codigo"), MAX_CODE_CHARS));
    let description = at.check("descricao", optional(field("descricao"), MAX_DESCRIPTION_CHARS));
    let unit = at.check(
        "unidade",
        match field("unidade") {
            "" => Ok(Unit::Un),
            typed => Unit::parse(typed).ok_or_else(|| {
                let units: Vec<&str> = Unit::ALL.iter().map(|u| u.as_str()).collect();
                format!("unidade {typed:?} desconhecida (use {})", units.join(", "))
            }),
        },
    );
    let price = at.check(
        "preco",
        match field("preco") {
            "" => Err("preço obrigatório".to_string()),
            typed => decimal(typed, 2, 1, Money::MAX_PRICE.cents())
                .map(Money::from_cents)
                .map_err(|_| format!("preço {typed:?} inválido: maior que zero, até duas casas decimais (como 12,50)")),
        },
    );
    let cost = at.check(
        "custo",
        match field("custo") {
            "" => Ok(None),
            typed => decimal(typed, 2, 0, Money::MAX_PRICE.cents())
                .map(|c| Some(Money::from_cents(c)))
                .map_err(|_| format!("custo {typed:?} inválido: zero ou mais, até duas casas decimais")),
        },
    );
    let active = at.check(
        "ativo",
        match search_key_of(field("ativo")).as_str() {
            "" | "sim" | "s" | "true" | "1" => Ok(true),
            "nao" | "n" | "false" | "0" => Ok(false),
            typed => Err(format!("ativo {typed:?} inválido: sim ou não")),
        },
    );
    let barcodes = at.check(
        "codigos_de_barras",
        field("codigos_de_barras")
            .split([' ', ',', '|'])
            .filter(|c| !c.is_empty())
            .map(|c| Barcode::parse(c).map_err(|e| e.to_string()))
            .collect::<std::result::Result<Vec<_>, _>>(),
    );
    let unit = unit?;
    let min_stock =
        at.check("estoque_minimo", quantity(field("estoque_minimo"), unit, DEFAULT_MIN_STOCK * unit.per_unit()));
    let stock = at.check("estoque", quantity(field("estoque"), unit, 0));
    let details = ProductDetails {
        name: name?,
        code: code?,
        description: description?,
        price: price?,
        min_stock: min_stock?,
        category_id: 0,
        unit,
        cost: cost?,
        active: active?,
        barcodes: barcodes?,
    };
    Some(CatalogLine { line: at.line, details, category: category?, stock: stock? })
}

fn search_key_of(text: &str) -> String {
    text::search_key(text)
}

fn required_name(typed: &str, max: usize) -> std::result::Result<String, String> {
    let name = text::name(typed).map_err(|_| "obrigatório, sem caracteres de controle".to_string())?;
    if name.chars().count() > max {
        return Err(format!("no máximo {max} caracteres"));
    }
    Ok(name)
}

fn optional(typed: &str, max: usize) -> std::result::Result<Option<String>, String> {
    if typed.is_empty() {
        return Ok(None);
    }
    required_name(typed, max).map(Some)
}

/// A decimal with a comma (`1.234,56`) or a point (`1234.56`), scaled.
fn decimal(typed: &str, scale: u32, min: i64, max: i64) -> std::result::Result<i64, ()> {
    let normalized = if typed.contains(',') { typed.replace('.', "").replace(',', ".") } else { typed.to_string() };
    parse_scaled(&normalized, scale, min, max).map_err(|_| ())
}

/// A quantity in the unit's integers (three decimals for KG, L and M), 0 to MAX_STOCK.
fn quantity(typed: &str, unit: Unit, absent: i64) -> std::result::Result<i64, String> {
    if typed.is_empty() {
        return Ok(absent);
    }
    decimal(typed, unit.decimals(), 0, MAX_STOCK).map_err(|_| {
        let kind = if unit.is_fractional() { "até três casas decimais" } else { "inteiro" };
        format!("{typed:?} inválido: zero ou mais, {kind} (unidade {})", unit.as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<(usize, String)> {
        match read(text) {
            Err(Error::Rows { errors, .. }) => errors.into_iter().map(|e| (e.line, e.column)).collect(),
            Err(other) => panic!("{other:?}"),
            Ok(_) => Vec::new(),
        }
    }

    #[test]
    fn a_file_excel_saves_is_read_with_decimal_commas_and_units() {
        let text = "\u{feff}codigo;nome;categoria;unidade;preco;custo;estoque;codigos_de_barras;ativo\r\n\
                    CAF;Café 500 g;Mercearia;UN;18,90;12,00;24;7891000100103;sim\r\n\
                    ;Queijo;Frios;kg;\"1.049,90\";;2,5;;não\r\n";
        let lines = read(text).unwrap();
        assert_eq!(lines.len(), 2);
        let (coffee, cheese) = (&lines[0], &lines[1]);
        assert_eq!((coffee.line, coffee.details.price.cents(), coffee.stock), (2, 1890, 24));
        assert_eq!(coffee.details.barcodes[0].digits, "7891000100103");
        assert_eq!((cheese.details.unit, cheese.stock, cheese.details.price.cents()), (Unit::Kg, 2500, 104_990));
        assert!(!cheese.details.active && cheese.details.code.is_none());
        assert_eq!(cheese.details.min_stock, 5000, "5 kg, the default minimum in grams");
    }

    #[test]
    fn every_problem_comes_back_with_its_line_and_column() {
        let text = "nome;categoria;preco;estoque;codigo\n\
                    Café;Mercearia;abc;1;A\n\
                    ;Mercearia;1,00;1,5;B\n\
                    Chá;Mercearia;2,00;1;A\n";
        assert_eq!(
            problems(text),
            [(2, "preco".into()), (3, "nome".into()), (3, "estoque".into()), (4, "codigo".into())]
        );
        assert_eq!(problems("nome;preco\nx;1\n"), [(1, "categoria".into())]);
        assert_eq!(problems("nome;categoria;preco;cor\nx;y;1;azul\n"), [(1, "cor".into())]);
    }

    #[test]
    fn an_export_reads_back_as_the_same_catalog() {
        let t = crate::domain::time::Timestamp::from_micros(0);
        let product = Product {
            id: 1,
            name: "=Queijo".into(),
            description: Some("Meia cura; artesanal".into()),
            price: Money::from_cents(4990),
            catalog_price: Money::from_cents(4990),
            stock: 2145,
            category_id: Some(1),
            category_name: Some("Frios".into()),
            created_at: t,
            code: Some("123".into()),
            min_stock: 500,
            updated_at: t,
            unit: Unit::Kg,
            cost: Some(Money::from_cents(3000)),
            average_cost: Some(Money::from_cents(3100)),
            active: true,
            barcodes: vec!["7891000100103".into()],
            photo: None,
        };
        let mut writer = csv_writer();
        writer.write_record(COLUMNS).unwrap();
        writer.write_record(row(&product)).unwrap();
        let text = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        let line = read(&text).unwrap().remove(0);
        assert_eq!(line.details.name, "=Queijo", "the apostrophe that defused the formula is gone");
        assert_eq!((line.details.price, line.details.cost, line.stock), (product.price, product.cost, 2145));
        assert_eq!((line.details.min_stock, line.details.unit), (500, Unit::Kg));
        assert_eq!(line.details.description.as_deref(), Some("Meia cura; artesanal"));
        assert_eq!(line.category, "Frios");
    }
}
