use std::collections::HashMap;
use std::sync::Mutex;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::{AdminUser, CurrentUser};
use super::error::{Error, Result};
use super::input::{
    JsonBody, Params, Raw, boolean, integer, is_absent, keep_character_refusal, keep_null, name_field, number,
    optional_text, path_id, refuse_nulls, text,
};
use super::openapi::{self, PageQuery};
use super::{AppState, Message};
use crate::app;

use crate::domain::DomainError;
use crate::domain::barcode::Barcode;
use crate::domain::catalog::{
    self, DEFAULT_MIN_STOCK, MAX_BARCODES, MAX_CODE_CHARS, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, MAX_STOCK,
    NewProduct, ProductChanges, ProductDetails, ProductFilter, Quantity, Unit,
};
use crate::domain::inventory::{StockChange, StockCommand};
use crate::domain::money::Money;
use crate::domain::number::NumberError;
use crate::domain::page::PageRequest;
use crate::domain::text::search_key;
use crate::domain::time::Timestamp;

const REQUIRED: &str = "Nome, preço e categoria são obrigatórios";
const WRONG_TYPES: &str = "Preço deve ser um número e estoque deve ser um inteiro";
const NOT_POSITIVE: &str = "Preço e estoque devem ser valores positivos";
const PRICE_NOT_POSITIVE: &str = "Preço deve ser um valor positivo";
const STOCK_NOT_POSITIVE: &str = "Estoque deve ser um valor positivo";

#[derive(Serialize, ToSchema)]
pub struct Product {
    id: i64,
    name: String,
    #[schema(required = true)]
    description: Option<String>,
    /// O preço na loja para a qual foi lido (`store_id`): o próprio dela, ou o do catálogo.
    price: Money,
    /// O preço do catálogo, que toda loja cobra se não tiver o seu.
    catalog_price: Money,
    /// O estoque na loja para a qual foi lido (`store_id`); sem loja, o total de todas.
    stock: Quantity,
    #[schema(required = true)]
    category_id: Option<i64>,
    #[schema(required = true)]
    category_name: Option<String>,
    created_at: Timestamp,
    /// Código interno (SKU), único entre os produtos.
    #[schema(required = true)]
    code: Option<String>,
    /// At or below this stock the product is flagged as low.
    min_stock: Quantity,
    low_stock: bool,
    updated_at: Timestamp,
    /// Como é vendido: `stock`, `min_stock` e as quantidades das vendas nesta unidade (até três
    /// casas decimais em KG, L e M).
    unit: Unit,
    /// O primeiro código de barras (`null` sem nenhum).
    #[schema(required = true)]
    barcode: Option<String>,
    /// Todos os códigos de barras (EAN-8, EAN-13, UPC-A, GTIN-14), na ordem dada.
    barcodes: Vec<String>,
    /// Custo de uma unidade (de um quilo, em KG): o da última entrada, ou o digitado.
    #[schema(required = true)]
    cost_price: Option<Money>,
    /// Custo médio ponderado do estoque, mantido pelas entradas.
    #[schema(required = true)]
    average_cost: Option<Money>,
    /// Um produto inativo fica no cadastro, mas não é vendido.
    active: bool,
    /// The photo (at most 800 px on its longer side), as a path on this server; `null` without
    /// one. The address changes with the photo, and its image never does.
    #[schema(required = true, example = "/api/photos/3f7a...c1.jpg")]
    photo_url: Option<String>,
    /// Its thumbnail (at most 160 px), for lists; `null` without a photo.
    #[schema(required = true)]
    thumbnail_url: Option<String>,
}

impl From<catalog::Product> for Product {
    fn from(p: catalog::Product) -> Product {
        let (photo_url, thumbnail_url) = match &p.photo {
            Some(keys) => (Some(super::photos::url(&keys.photo)), Some(super::photos::url(&keys.thumbnail))),
            None => (None, None),
        };
        Product {
            photo_url,
            thumbnail_url,
            low_stock: p.low_stock(),
            stock: p.quantity(p.stock),
            min_stock: p.quantity(p.min_stock),
            id: p.id,
            name: p.name,
            description: p.description,
            price: p.price,
            catalog_price: p.catalog_price,
            category_id: p.category_id,
            category_name: p.category_name,
            created_at: p.created_at,
            code: p.code,
            updated_at: p.updated_at,
            unit: p.unit,
            barcode: p.barcodes.first().cloned(),
            barcodes: p.barcodes,
            cost_price: p.cost,
            average_cost: p.average_cost,
            active: p.active,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ProductPage {
    products: Vec<Product>,
    total: i64,
    pages: i64,
    current_page: i64,
}

/// The filters of the product listing (with `page` and `per_page`). Values are trimmed; an
/// empty one counts as absent.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ProductQuery {
    #[param(schema_with = openapi::search)]
    search: Option<String>,
    /// Só produtos desta categoria.
    #[param(format = Int64)]
    category_id: Option<i64>,
    #[param(schema_with = openapi::code_filter)]
    code: Option<String>,
    /// `true` (ou `1`): só produtos com estoque baixo; `false` (ou `0`): todos.
    low_stock: Option<bool>,
    /// `true`: só os ativos; `false`: só os inativos; ausente: todos.
    active: Option<bool>,
    /// Lidos para esta loja: `stock` é o estoque dela e `price` o preço dela (o próprio, ou o do
    /// catálogo). Ausente: `stock` é o total das lojas e `price` o do catálogo.
    #[param(format = Int64, minimum = 1)]
    store_id: Option<i64>,
}

#[utoipa::path(get, path = "/api/products", tag = "produtos", operation_id = "list_products", security(("bearer" = [])),
    params(PageQuery, ProductQuery),
    responses((status = 200, body = ProductPage)))]
pub async fn list(State(state): State<AppState>, user: CurrentUser, params: Params) -> Result<Response> {
    let page = params.page(50)?;
    let filter = filter_of(&params)?;
    let version = user.catalog_version;
    let json = match state.product_pages.get(version, &(filter.clone(), page)) {
        Some(json) => json,
        None => {
            let known_total = state.product_pages.total(version, &filter);
            let (products, total) = app::catalog::products(&state.app, &filter, page, known_total).await?;
            let products = products.into_iter().map(Product::from).collect();
            let listing = ProductPage { products, total, pages: page.pages(total), current_page: page.page };
            let json = Bytes::from(serde_json::to_vec(&listing).map_err(anyhow::Error::from)?);
            state.product_pages.keep(version, (filter, page), json.clone(), total);
            json
        }
    };
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], json).into_response())
}

/// The [`ProductQuery`] filters of a request (the listing's, and the export's).
pub fn filter_of(params: &Params) -> Result<ProductFilter> {
    // The limit counts the characters sent, which the document can state (the key can be longer).
    if params.get("search").is_some_and(|s| s.chars().count() > MAX_NAME_CHARS) {
        return Err(Error::invalid("Busca muito longa"));
    }
    Ok(ProductFilter {
        search: params.get("search").map(search_key).filter(|s| !s.is_empty()),
        category_id: params.integer("category_id", "Parâmetro category_id inválido")?,
        code: params.get("code").map(str::to_string),
        low_stock: params.flag("low_stock")?.unwrap_or(false),
        active: params.flag("active")?,
        store_id: super::stores::store_param(params)?,
    })
}

/// A product as a till needs it to sell from its own index: `GET /api/products/catalog`.
#[derive(Serialize, ToSchema)]
pub struct CatalogProduct {
    id: i64,
    name: String,
    price: Money,
    stock: Quantity,
    unit: Unit,
    #[schema(required = true)]
    code: Option<String>,
    barcodes: Vec<String>,
    #[schema(required = true)]
    category_id: Option<i64>,
    #[schema(required = true)]
    thumbnail_url: Option<String>,
}

impl From<catalog::Product> for CatalogProduct {
    fn from(p: catalog::Product) -> CatalogProduct {
        CatalogProduct {
            stock: p.quantity(p.stock),
            thumbnail_url: p.photo.as_ref().map(|keys| super::photos::url(&keys.thumbnail)),
            id: p.id,
            name: p.name,
            price: p.price,
            unit: p.unit,
            code: p.code,
            barcodes: p.barcodes,
            category_id: p.category_id,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Catalog {
    /// The catalog's version, also sent as the `ETag`: any change to a product (its stock too)
    /// or a category gives a new one.
    version: String,
    /// Every active product, by name.
    products: Vec<CatalogProduct>,
}

/// Every active product in one answer, for the PDV's local index (a scan answered without the
/// network). With `If-None-Match` naming the current version: 304 and no body.
#[utoipa::path(get, path = "/api/products/catalog", tag = "produtos", operation_id = "product_catalog",
    security(("bearer" = [])),
    params(("If-None-Match" = Option<String>, Header, description = "O `ETag` de uma resposta anterior"),
        ("store_id" = Option<i64>, Query, minimum = 1, description = "A loja do PDV: o estoque e os preços dela")),
    responses(
        (status = 200, body = Catalog, headers(("ETag" = String, description = "A versão do catálogo, entre aspas"))),
        (status = 304, description = "O catálogo não mudou desde a versão em `If-None-Match`"),
    ))]
pub async fn catalog(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    params: Params,
) -> Result<Response> {
    let store = super::stores::store_param(&params)?;
    let version = match store {
        Some(id) => format!("{}-{id}", user.catalog_version),
        None => user.catalog_version.to_string(),
    };
    let etag = HeaderValue::try_from(format!("\"{version}\"")).map_err(anyhow::Error::from)?;
    if headers.get(header::IF_NONE_MATCH) == Some(&etag) {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response());
    }
    // One answer per catalog version and store, computed once: PDVs opening together wait for it.
    let mut kept = state.pdv_catalog.0.lock().await;
    // Any store id can be asked for: past a chain's worth of stores, the kept answers start over.
    if kept.0 != user.catalog_version || kept.1.len() >= MAX_KEPT_CATALOGS {
        *kept = (user.catalog_version, HashMap::new());
    }
    let json = match kept.1.get(&store) {
        Some(json) => json.clone(),
        None => {
            let products =
                app::catalog::for_sale(&state.app, store).await?.into_iter().map(CatalogProduct::from).collect();
            let json = Bytes::from(serde_json::to_vec(&Catalog { version, products }).map_err(anyhow::Error::from)?);
            kept.1.insert(store, json.clone());
            json
        }
    };
    drop(kept);
    Ok(([(header::ETAG, etag), (header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], json)
        .into_response())
}

/// Catalogs kept per version (one per store asked for, and one for none): each is the whole
/// catalog, so the number is bounded.
const MAX_KEPT_CATALOGS: usize = 32;

/// The latest `GET /api/products/catalog` answers (one per store asked for), with their catalog
/// version.
#[derive(Default)]
pub struct PdvCatalog(tokio::sync::Mutex<(i64, HashMap<Option<i64>, Bytes>)>);

/// Product listings as sent, and how many products each filter finds, kept for one catalog
/// version (migration 0002): any committed change to a product or a category gives the catalog a
/// new version, and pages are computed again. The version comes with the session check, so a
/// kept page costs a request one query; a page not kept yet skips the count when its filter's
/// total is known (in a big catalog, counting is most of a page's cost).
#[derive(Default)]
pub struct ProductPages(Mutex<KeptPages>);

#[derive(Default)]
struct KeptPages {
    version: i64,
    pages: HashMap<(ProductFilter, PageRequest), Bytes>,
    totals: HashMap<ProductFilter, i64>,
}

/// Enough for every page of a shop's catalog and its frequent searches (a 50-product page is
/// about 15 kB); past it, the kept pages start over.
const MAX_KEPT_PAGES: usize = 256;

impl ProductPages {
    fn get(&self, version: i64, key: &(ProductFilter, PageRequest)) -> Option<Bytes> {
        let kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if kept.version == version { kept.pages.get(key).cloned() } else { None }
    }

    fn total(&self, version: i64, filter: &ProductFilter) -> Option<i64> {
        let kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if kept.version == version { kept.totals.get(filter).copied() } else { None }
    }

    fn keep(&self, version: i64, key: (ProductFilter, PageRequest), json: Bytes, total: i64) {
        let mut kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if kept.version != version || kept.pages.len() >= MAX_KEPT_PAGES {
            kept.version = version;
            kept.pages.clear();
            kept.totals.clear();
        }
        kept.totals.insert(key.0.clone(), total);
        kept.pages.insert(key, json);
    }
}

#[utoipa::path(get, path = "/api/products/{id}", tag = "produtos", operation_id = "get_product", security(("bearer" = [])),
    params(("id" = i64, Path), ("store_id" = Option<i64>, Query, minimum = 1, description = "Lido para esta loja: o estoque e o preço dela")),
    responses((status = 200, body = Product), (status = 404, description = "Produto não encontrado", body = super::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    _: CurrentUser,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Product>> {
    let id = path_id(&id, DomainError::ProductNotFound)?;
    let store = super::stores::store_param(&params)?;
    Ok(Json(app::catalog::product(&state.app, id, store).await?.into()))
}

/// `POST /api/products`. Unknown fields are ignored; `null` in an optional field is its default.
#[derive(Deserialize, ToSchema)]
#[schema(examples(json!({"name": "Café Torrado 500 g", "price": "18.90", "stock": 24, "category_id": 1, "code": "7891234567895"})))]
pub struct ProductCreateBody {
    #[schema(schema_with = openapi::catalog_name, required = true)]
    name: Option<Raw>,
    #[schema(schema_with = openapi::product_description)]
    description: Option<Raw>,
    #[schema(schema_with = openapi::price, required = true)]
    price: Option<Raw>,
    /// O estoque inicial (padrão 0).
    #[schema(schema_with = openapi::stock_or_null)]
    stock: Option<Raw>,
    #[schema(schema_with = openapi::id, required = true)]
    category_id: Option<Raw>,
    #[schema(schema_with = openapi::product_code)]
    code: Option<Raw>,
    /// Estoque mínimo (padrão 5): com estoque igual ou abaixo dele, o produto aparece como baixo.
    #[schema(schema_with = openapi::stock_or_null)]
    min_stock: Option<Raw>,
    /// Unidade de venda (padrão `UN`); em KG, L e M as quantidades têm até três casas decimais.
    #[schema(value_type = Option<Unit>)]
    unit: Option<Raw>,
    /// Preço de custo de uma unidade.
    #[schema(schema_with = openapi::amount)]
    cost_price: Option<Raw>,
    /// Padrão `true`.
    #[schema(value_type = Option<bool>)]
    active: Option<Raw>,
    /// Um código de barras (EAN-8, EAN-13, UPC-A ou GTIN-14, com dígito verificador).
    #[schema(value_type = Option<String>, example = "7891000100103")]
    barcode: Option<Raw>,
    /// Vários códigos de barras (no lugar de `barcode`, ou além dele: `barcode` vem primeiro).
    #[schema(value_type = Option<Vec<String>>)]
    barcodes: Option<Raw>,
    #[schema(schema_with = openapi::stock_store)]
    store_id: Option<Raw>,
}

/// `PUT /api/products/{id}`: only the fields sent change; at least one. `null` clears
/// `description` and `code`, and is refused in the others.
#[derive(Deserialize, ToSchema)]
#[schema(min_properties = 1, examples(json!({"price": "19.50", "min_stock": 10})))]
pub struct ProductUpdateBody {
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(schema_with = openapi::catalog_name)]
    name: Option<Raw>,
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(schema_with = openapi::product_description)]
    description: Option<Raw>,
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(schema_with = openapi::price)]
    price: Option<Raw>,
    /// O estoque contado (registrado como contagem no histórico).
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(schema_with = openapi::stock)]
    stock: Option<Raw>,
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(schema_with = openapi::id)]
    category_id: Option<Raw>,
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(schema_with = openapi::product_code)]
    code: Option<Raw>,
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(schema_with = openapi::stock)]
    min_stock: Option<Raw>,
    /// Só muda entre unidades inteiras, ou entre KG, L e M, depois que o produto teve movimentos.
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(value_type = Option<Unit>)]
    unit: Option<Raw>,
    /// `null` apaga.
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(schema_with = openapi::amount)]
    cost_price: Option<Raw>,
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(value_type = Option<bool>)]
    active: Option<Raw>,
    /// Substitui os códigos de barras por este (`null` ou vazio: nenhum).
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(value_type = Option<String>)]
    barcode: Option<Raw>,
    /// Substitui os códigos de barras por estes.
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(value_type = Option<Vec<String>>)]
    barcodes: Option<Raw>,
    #[schema(schema_with = openapi::stock_store)]
    store_id: Option<Raw>,
}

/// The messages of one endpoint for a bad price or stock.
struct Messages {
    wrong_type: &'static str,
    price_not_positive: &'static str,
    stock_not_positive: &'static str,
}

const CREATE_MESSAGES: Messages =
    Messages { wrong_type: WRONG_TYPES, price_not_positive: NOT_POSITIVE, stock_not_positive: NOT_POSITIVE };
const UPDATE_MESSAGES: Messages = Messages {
    wrong_type: WRONG_TYPES,
    price_not_positive: PRICE_NOT_POSITIVE,
    stock_not_positive: STOCK_NOT_POSITIVE,
};

fn is_negative(raw: &Option<Raw>) -> bool {
    raw.as_ref().is_some_and(|r| r.get().trim_start_matches('"').trim_start().starts_with('-'))
}

/// A price more than zero (None: absent), as a product's update reads it.
pub(crate) fn positive_price(raw: &Option<Raw>) -> Result<Option<Money>> {
    price(raw, &UPDATE_MESSAGES)
}

fn price(raw: &Option<Raw>, messages: &Messages) -> Result<Option<Money>> {
    match number(raw, 2, i64::MIN, i64::MAX) {
        Ok(None) => Ok(None),
        Ok(Some(cents)) if cents <= 0 => Err(Error::invalid(messages.price_not_positive)),
        Ok(Some(cents)) if cents <= Money::MAX_PRICE.cents() => Ok(Some(Money::from_cents(cents))),
        Err(NumberError::NotANumber) => Err(Error::invalid(messages.wrong_type)),
        Err(NumberError::TooPrecise) => Err(Error::invalid("Preço deve ter no máximo duas casas decimais")),
        Err(NumberError::OutOfRange) if is_negative(raw) => Err(Error::invalid(messages.price_not_positive)),
        _ => Err(Error::invalid("Preço acima do limite permitido (R$ 10.000.000,00)")),
    }
}

pub(crate) fn stock(raw: &Option<Raw>, wrong_type: &str, not_positive: &str) -> Result<Option<i64>> {
    match integer(raw, i64::MIN, i64::MAX) {
        Ok(None) => Ok(None),
        Ok(Some(stock)) if stock < 0 => Err(Error::invalid(not_positive)),
        Ok(Some(stock)) if stock <= MAX_STOCK => Ok(Some(stock)),
        Err(NumberError::NotANumber | NumberError::TooPrecise) => Err(Error::invalid(wrong_type)),
        Err(NumberError::OutOfRange) if is_negative(raw) => Err(Error::invalid(not_positive)),
        _ => Err(Error::invalid("Estoque acima do limite permitido (1.000.000.000)")),
    }
}

/// A stock-like field in `unit`: whole units as the first version read them, or up to three
/// decimals (stored in thousandths) for KG, L and M.
pub(crate) fn stock_in(unit: Unit, raw: &Option<Raw>, wrong_type: &str, not_positive: &str) -> Result<Option<i64>> {
    if !unit.is_fractional() {
        return stock(raw, wrong_type, not_positive);
    }
    match number(raw, 3, i64::MIN, i64::MAX) {
        Ok(None) => Ok(None),
        Ok(Some(stock)) if stock < 0 => Err(Error::invalid(not_positive)),
        Ok(Some(stock)) if stock <= MAX_STOCK => Ok(Some(stock)),
        Err(NumberError::NotANumber) => Err(Error::invalid(FRACTIONAL_STOCK)),
        Err(NumberError::TooPrecise) => Err(Error::invalid(FRACTIONAL_STOCK)),
        Err(NumberError::OutOfRange) if is_negative(raw) => Err(Error::invalid(not_positive)),
        _ => Err(Error::invalid("Estoque acima do limite permitido (1.000.000.000)")),
    }
}

const FRACTIONAL_STOCK: &str = "Estoque deve ser um número com no máximo três casas decimais";

fn min_stock(unit: Unit, raw: &Option<Raw>) -> Result<Option<i64>> {
    stock_in(unit, raw, "Estoque mínimo deve ser um número inteiro", "Estoque mínimo deve ser um valor positivo")
}

fn unit(raw: &Option<Raw>) -> Result<Option<Unit>> {
    let invalid = || {
        let units: Vec<&str> = Unit::ALL.iter().map(|u| u.as_str()).collect();
        Error::invalid(format!("Unidade deve ser uma destas: {}", units.join(", ")))
    };
    match text(raw).map_err(|_| invalid())? {
        None => Ok(None),
        Some(typed) => Unit::parse(&typed).map(Some).ok_or_else(invalid),
    }
}

/// Absent: None; null: Some(None) (clears it).
fn cost_price(raw: &Option<Raw>) -> Result<Option<Option<Money>>> {
    if raw.as_ref().is_some_and(|r| r.get() == "null") {
        return Ok(Some(None));
    }
    number(raw, 2, 0, Money::MAX_PRICE.cents()).map(|cents| cents.map(|c| Some(Money::from_cents(c)))).map_err(|_| {
        Error::invalid("Preço de custo deve ser um valor de 0 a R$ 10.000.000,00, com até duas casas decimais")
    })
}

fn active(raw: &Option<Raw>) -> Result<Option<bool>> {
    boolean(raw).map_err(|_| Error::invalid("active deve ser true ou false"))
}

/// `barcode` then `barcodes`, each code once: None when neither is sent (an update keeps the
/// product's), an empty list when they clear them.
fn barcodes(one: &Option<Raw>, many: &Option<Raw>) -> Result<Option<Vec<Barcode>>> {
    if one.is_none() && many.is_none() {
        return Ok(None);
    }
    let not_text = || Error::invalid("Códigos de barras devem ser texto: barcode um código, barcodes uma lista deles");
    let mut typed: Vec<String> = Vec::new();
    if let Some(code) = text(one).map_err(|_| not_text())? {
        typed.push(code);
    }
    if let Some(raw) = many.as_ref().filter(|r| r.get() != "null") {
        let list: Vec<String> = serde_json::from_str(raw.get()).map_err(|_| not_text())?;
        typed.extend(list);
    }
    let mut parsed: Vec<Barcode> = Vec::new();
    for code in typed.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        if parsed.len() >= MAX_BARCODES {
            return Err(DomainError::TooManyBarcodes.into());
        }
        let barcode = Barcode::parse(code)?;
        if !parsed.contains(&barcode) {
            parsed.push(barcode);
        }
    }
    Ok(Some(parsed))
}

fn category_id(raw: &Option<Raw>) -> Result<Option<i64>> {
    integer(raw, 1, i64::MAX).map_err(|_| DomainError::CategoryNotFound.into())
}

fn name(raw: &Option<Raw>) -> Result<Option<String>> {
    let Some(name) = text(raw).map_err(|_| Error::invalid("Nome do produto deve ser texto"))? else {
        return Ok(None);
    };
    let name = name_field(&name, "Nome do produto")?;
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(Error::invalid("Nome do produto deve ter no máximo 200 caracteres"));
    }
    Ok(Some(name))
}

/// Absent: None; null or blank: Some(None) (clears it); otherwise the trimmed text.
fn code(raw: &Option<Raw>) -> Result<Option<Option<String>>> {
    let code = optional_text(raw, "Código", MAX_CODE_CHARS)?;
    if code.as_ref().and_then(Option::as_ref).is_some_and(|c| c.chars().any(char::is_control)) {
        return Err(Error::invalid("Código contém caracteres inválidos"));
    }
    Ok(code)
}

#[utoipa::path(post, path = "/api/products", tag = "produtos", operation_id = "create_product", security(("bearer" = [])),
    request_body = ProductCreateBody,
    responses(
        (status = 201, body = Product),
        (status = 400, description = "Campos ausentes ou inválidos, ou código já cadastrado", body = super::ErrorBody),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
        (status = 404, description = "Categoria ou loja não encontradas", body = super::ErrorBody),
        (status = 422, description = "Estoque sem `store_id`, e quem faz trabalha em mais de uma loja",
            body = super::ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    JsonBody(body): JsonBody<ProductCreateBody>,
) -> Result<(StatusCode, Json<Product>)> {
    let required = || Error::invalid(REQUIRED);
    let name = name(&body.name).map_err(keep_character_refusal(required))?.ok_or_else(required)?;
    if is_absent(&body.price) || is_absent(&body.category_id) {
        return Err(required());
    }
    let category_id = category_id(&body.category_id)?.ok_or_else(required)?;
    let price = price(&body.price, &CREATE_MESSAGES)?.ok_or_else(required)?;
    let unit = unit(&body.unit)?.unwrap_or_default();
    let stock = stock_in(unit, &body.stock, CREATE_MESSAGES.wrong_type, CREATE_MESSAGES.stock_not_positive)?;
    let details = ProductDetails {
        name,
        code: code(&body.code)?.flatten(),
        description: optional_text(&body.description, "Descrição", MAX_DESCRIPTION_CHARS)?.flatten(),
        price,
        min_stock: min_stock(unit, &body.min_stock)?.unwrap_or(DEFAULT_MIN_STOCK * unit.per_unit()),
        category_id,
        unit,
        cost: cost_price(&body.cost_price)?.flatten(),
        active: active(&body.active)?.unwrap_or(true),
        barcodes: barcodes(&body.barcode, &body.barcodes)?.unwrap_or_default(),
    };
    let new = NewProduct { details, stock: stock.unwrap_or(0), store_id: super::stores::store_field(&body.store_id)? };
    let product = app::catalog::create_product(&state.app, &admin.actor, new).await?;
    Ok((StatusCode::CREATED, Json(product.into())))
}

#[utoipa::path(put, path = "/api/products/{id}", tag = "produtos", operation_id = "update_product", security(("bearer" = [])),
    request_body = ProductUpdateBody, params(("id" = i64, Path)),
    responses(
        (status = 200, body = Product),
        (status = 400, description = "Campos inválidos ou nulos, nenhum campo, ou código já cadastrado", body = super::ErrorBody),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
        (status = 404, description = "Produto, categoria ou loja não encontrados", body = super::ErrorBody),
        (status = 422, description = "Estoque sem `store_id`, e quem faz trabalha em mais de uma loja",
            body = super::ErrorBody),
    ))]
pub async fn update(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<ProductUpdateBody>,
) -> Result<Json<Product>> {
    let id = path_id(&id, DomainError::ProductNotFound)?;
    refuse_nulls(&[
        ("name", &body.name),
        ("price", &body.price),
        ("stock", &body.stock),
        ("category_id", &body.category_id),
        ("min_stock", &body.min_stock),
        ("unit", &body.unit),
        ("active", &body.active),
    ])?;
    let new_unit = unit(&body.unit)?;
    // Quantities are read in the unit the product will have.
    let unit = match new_unit {
        Some(unit) => unit,
        None if is_absent(&body.stock) && is_absent(&body.min_stock) => Unit::default(),
        None => app::catalog::product(&state.app, id, None).await?.unit,
    };
    let changes = ProductChanges {
        name: name(&body.name)?,
        price: price(&body.price, &UPDATE_MESSAGES)?,
        stock: stock_in(unit, &body.stock, UPDATE_MESSAGES.wrong_type, UPDATE_MESSAGES.stock_not_positive)?,
        category_id: category_id(&body.category_id)?,
        code: code(&body.code)?,
        description: optional_text(&body.description, "Descrição", MAX_DESCRIPTION_CHARS)?,
        min_stock: min_stock(unit, &body.min_stock)?,
        unit: new_unit,
        cost: cost_price(&body.cost_price)?,
        active: active(&body.active)?,
        barcodes: barcodes(&body.barcode, &body.barcodes)?,
        typed_for: unit,
        store_id: super::stores::store_field(&body.store_id)?,
    };
    Ok(Json(app::catalog::update_product(&state.app, &admin.actor, id, changes).await?.into()))
}

/// `{"stock": n}` (the counted stock) or `{"adjustment": n}`; with both, `stock` wins (and an
/// invalid `adjustment` beside it is still refused).
#[derive(Deserialize, ToSchema)]
#[schema(min_properties = 1, examples(json!({"adjustment": 12}), json!({"stock": 40})))]
pub struct StockBody {
    #[schema(schema_with = openapi::counted_stock)]
    stock: Option<Raw>,
    #[schema(schema_with = openapi::stock_adjustment)]
    adjustment: Option<Raw>,
    #[schema(schema_with = openapi::stock_store)]
    store_id: Option<Raw>,
}

#[utoipa::path(put, path = "/api/products/{id}/stock", tag = "produtos", operation_id = "update_product_stock",
    security(("bearer" = [])), request_body = StockBody, params(("id" = i64, Path)),
    responses(
        (status = 200, body = Product),
        (status = 400, description = "Sem `stock` nem `adjustment`, valor inválido, ou um ajuste que deixaria o estoque \
            negativo ou acima do limite (com `product_id` e `available`)", body = super::ErrorBody),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
        (status = 404, description = "Produto ou loja não encontrados", body = super::ErrorBody),
        (status = 422, description = "Estoque sem `store_id`, e quem faz trabalha em mais de uma loja",
            body = super::ErrorBody),
    ))]
pub async fn update_stock(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<StockBody>,
) -> Result<Json<Product>> {
    let id = path_id(&id, DomainError::ProductNotFound)?;
    let unit = app::catalog::product(&state.app, id, None).await?.unit;
    let counted = stock_in(unit, &body.stock, "Estoque deve ser um número inteiro", STOCK_NOT_POSITIVE)?;
    let adjustment = signed_quantity(unit, &body.adjustment, "Ajuste de estoque")?;
    let change = match (counted, adjustment) {
        (Some(stock), _) => StockChange::CountedAs(stock),
        (None, Some(delta)) => StockChange::Adjust(delta),
        (None, None) => return Err(Error::invalid("Novo valor de estoque é obrigatório")),
    };
    let command = StockCommand { change, unit, note: None, store_id: super::stores::store_field(&body.store_id)? };
    Ok(Json(app::inventory::change_stock(&state.app, &admin.actor, id, command).await?.product.into()))
}

/// A signed quantity in `unit`, from -MAX_STOCK to MAX_STOCK.
pub(crate) fn signed_quantity(unit: Unit, raw: &Option<Raw>, what: &str) -> Result<Option<i64>> {
    let max = MAX_STOCK;
    let parsed = if unit.is_fractional() { number(raw, 3, -max, max) } else { integer(raw, -max, max) };
    parsed.map_err(|_| {
        let kind = if unit.is_fractional() { "um número com até três casas decimais" } else { "um número inteiro" };
        Error::invalid(format!("{what} deve ser {kind} entre -1.000.000.000 e 1.000.000.000"))
    })
}

/// Removes a product from the catalog. It is archived, not erased: the sales that name it
/// keep it, and its code can be given to another product.
#[utoipa::path(delete, path = "/api/products/{id}", tag = "produtos", operation_id = "delete_product", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = Message),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
        (status = 404, description = "Produto não encontrado", body = super::ErrorBody),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<String>,
) -> Result<Json<Message>> {
    let id = path_id(&id, DomainError::ProductNotFound)?;
    app::catalog::archive_product(&state.app, &admin.actor, id).await?;
    Ok(Json(Message::new("Produto deletado com sucesso")))
}

#[cfg(test)]
mod tests {
    use super::super::openapi::tests::{candidates, regex};
    use super::super::openapi::{code_pattern, description_pattern};
    use super::*;

    fn raw(text: &str) -> Option<Raw> {
        Some(serde_json::value::to_raw_value(text).unwrap())
    }

    /// The documented patterns of `code` and `description` accept exactly what the handlers do,
    /// for every character of the Basic Multilingual Plane (see `openapi::tests::candidates`).
    #[test]
    fn the_code_and_description_patterns_accept_exactly_what_the_handlers_accept() {
        let (code_matches, description_matches) = (regex(&code_pattern()), regex(&description_pattern()));
        for candidate in candidates() {
            assert_eq!(code_matches(&candidate), code(&raw(&candidate)).is_ok(), "code {candidate:?}");
            let description = optional_text(&raw(&candidate), "Descrição", MAX_DESCRIPTION_CHARS);
            assert_eq!(description_matches(&candidate), description.is_ok(), "description {candidate:?}");
        }
        for (text, accepted) in [(format!("\n {}\t", "a".repeat(64)), true), ("a".repeat(65), false)] {
            assert_eq!(code_matches(&text), accepted);
            assert_eq!(code(&raw(&text)).is_ok(), accepted);
        }
    }
}
