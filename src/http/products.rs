use std::collections::HashMap;
use std::sync::Mutex;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::{AdminUser, CurrentUser};
use super::error::{Error, Result};
use super::input::{
    JsonBody, Params, Raw, integer, is_absent, keep_character_refusal, keep_null, name_field, number, path_id,
    refuse_nulls, text, text_field,
};
use super::{AppState, Message};
use crate::app;

use crate::domain::DomainError;
use crate::domain::catalog::{
    self, DEFAULT_MIN_STOCK, MAX_CODE_CHARS, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, MAX_STOCK, NewProduct,
    ProductChanges, ProductDetails, ProductFilter,
};
use crate::domain::inventory::{self, StockChange};
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
    description: Option<String>,
    price: Money,
    stock: i64,
    category_id: Option<i64>,
    category_name: Option<String>,
    created_at: Timestamp,
    /// Barcode or SKU, unique among active products.
    code: Option<String>,
    /// At or below this stock the product is flagged as low.
    min_stock: i64,
    low_stock: bool,
    updated_at: Timestamp,
}

impl From<catalog::Product> for Product {
    fn from(p: catalog::Product) -> Product {
        Product {
            low_stock: p.low_stock(),
            id: p.id,
            name: p.name,
            description: p.description,
            price: p.price,
            stock: p.stock,
            category_id: p.category_id,
            category_name: p.category_name,
            created_at: p.created_at,
            code: p.code,
            min_stock: p.min_stock,
            updated_at: p.updated_at,
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

#[derive(Deserialize, IntoParams)]
#[allow(dead_code)]
pub struct ProductQuery {
    /// Página, a partir de 1.
    page: Option<i64>,
    /// Itens por página (1 a 100, padrão 50).
    per_page: Option<i64>,
    /// Parte do nome ou do código, sem diferenciar maiúsculas nem acentos.
    search: Option<String>,
    category_id: Option<i64>,
    /// Código exato (leitor de código de barras).
    code: Option<String>,
    /// `true`: só produtos com estoque baixo.
    low_stock: Option<bool>,
}

#[utoipa::path(get, path = "/api/products", tag = "produtos", security(("bearer" = [])), params(ProductQuery),
    responses((status = 200, body = ProductPage), (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody)))]
pub async fn list(State(state): State<AppState>, user: CurrentUser, params: Params) -> Result<Response> {
    let page = params.page(50)?;
    let search = params.get("search").map(search_key).filter(|s| !s.is_empty());
    if search.as_ref().is_some_and(|s| s.chars().count() > MAX_NAME_CHARS) {
        return Err(Error::invalid("Busca muito longa"));
    }
    let filter = ProductFilter {
        search,
        category_id: params.integer("category_id", "Parâmetro category_id inválido")?,
        code: params.get("code").map(str::to_string),
        low_stock: params.flag("low_stock")?.unwrap_or(false),
    };
    let json = match state.product_pages.get(user.catalog_version, &(filter.clone(), page)) {
        Some(json) => json,
        None => {
            let (products, total) = app::catalog::products(&state.app, &filter, page).await?;
            let products = products.into_iter().map(Product::from).collect();
            let listing = ProductPage { products, total, pages: page.pages(total), current_page: page.page };
            let json = Bytes::from(serde_json::to_vec(&listing).map_err(anyhow::Error::from)?);
            state.product_pages.keep(user.catalog_version, (filter, page), json.clone());
            json
        }
    };
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], json).into_response())
}

/// Product listings as sent, kept for one catalog version (migration 0002): any committed change
/// to a product or a category gives the catalog a new version, and pages are computed again. The
/// version comes with the session check, so a kept page costs a request one query.
#[derive(Default)]
pub struct ProductPages(Mutex<KeptPages>);

#[derive(Default)]
struct KeptPages {
    version: i64,
    pages: HashMap<(ProductFilter, PageRequest), Bytes>,
}

/// Enough for every page of a shop's catalog and its frequent searches (a 50-product page is
/// about 15 kB); past it, the kept pages start over.
const MAX_KEPT_PAGES: usize = 256;

impl ProductPages {
    fn get(&self, version: i64, key: &(ProductFilter, PageRequest)) -> Option<Bytes> {
        let kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if kept.version == version { kept.pages.get(key).cloned() } else { None }
    }

    fn keep(&self, version: i64, key: (ProductFilter, PageRequest), json: Bytes) {
        let mut kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if kept.version != version || kept.pages.len() >= MAX_KEPT_PAGES {
            kept.version = version;
            kept.pages.clear();
        }
        kept.pages.insert(key, json);
    }
}

#[utoipa::path(get, path = "/api/products/{id}", tag = "produtos", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Product), (status = 404, body = super::ErrorBody)))]
pub async fn get(State(state): State<AppState>, _: CurrentUser, Path(id): Path<String>) -> Result<Json<Product>> {
    let id = path_id(&id, DomainError::ProductNotFound)?;
    Ok(Json(app::catalog::product(&state.app, id).await?.into()))
}

#[derive(Deserialize, ToSchema)]
pub struct ProductBody {
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(value_type = String, required = true)]
    name: Option<Raw>,
    /// `null` apaga a descrição.
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(value_type = Option<String>)]
    description: Option<Raw>,
    /// Maior que zero, no máximo duas casas decimais; número ou texto numérico.
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(value_type = f64, example = 12.5, required = true)]
    price: Option<Raw>,
    /// Inteiro, zero ou mais (padrão 0).
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(value_type = Option<i64>)]
    stock: Option<Raw>,
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(value_type = i64, required = true)]
    category_id: Option<Raw>,
    /// Código de barras ou SKU (até 64 caracteres), único entre os produtos ativos; `null` apaga.
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(value_type = Option<String>)]
    code: Option<Raw>,
    /// Estoque mínimo (padrão 5).
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(value_type = Option<i64>)]
    min_stock: Option<Raw>,
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

fn min_stock(raw: &Option<Raw>) -> Result<Option<i64>> {
    stock(raw, "Estoque mínimo deve ser um número inteiro", "Estoque mínimo deve ser um valor positivo")
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
fn optional_text(raw: &Option<Raw>, field: &str, max_chars: usize) -> Result<Option<Option<String>>> {
    if raw.is_none() {
        return Ok(None);
    }
    let value = text(raw)
        .map_err(|_| Error::invalid(format!("{field} deve ser texto")))?
        .map(|t| text_field(&t, field))
        .transpose()?
        .flatten();
    if value.as_ref().is_some_and(|v| v.chars().count() > max_chars) {
        return Err(Error::invalid(format!("{field} deve ter no máximo {max_chars} caracteres")));
    }
    Ok(Some(value))
}

fn code(raw: &Option<Raw>) -> Result<Option<Option<String>>> {
    let code = optional_text(raw, "Código", MAX_CODE_CHARS)?;
    if code.as_ref().and_then(Option::as_ref).is_some_and(|c| c.chars().any(char::is_control)) {
        return Err(Error::invalid("Código contém caracteres inválidos"));
    }
    Ok(code)
}

#[utoipa::path(post, path = "/api/products", tag = "produtos", security(("bearer" = [])), request_body = ProductBody,
    responses((status = 201, body = Product), (status = 400, body = super::ErrorBody), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    JsonBody(body): JsonBody<ProductBody>,
) -> Result<(StatusCode, Json<Product>)> {
    let required = || Error::invalid(REQUIRED);
    let name = name(&body.name).map_err(keep_character_refusal(required))?.ok_or_else(required)?;
    if is_absent(&body.price) || is_absent(&body.category_id) {
        return Err(required());
    }
    let category_id = category_id(&body.category_id)?.ok_or_else(required)?;
    let price = price(&body.price, &CREATE_MESSAGES)?.ok_or_else(required)?;
    let stock = stock(&body.stock, CREATE_MESSAGES.wrong_type, CREATE_MESSAGES.stock_not_positive)?;
    let details = ProductDetails {
        name,
        code: code(&body.code)?.flatten(),
        description: optional_text(&body.description, "Descrição", MAX_DESCRIPTION_CHARS)?.flatten(),
        price,
        min_stock: min_stock(&body.min_stock)?.unwrap_or(DEFAULT_MIN_STOCK),
        category_id,
    };
    let new = NewProduct { details, stock: stock.unwrap_or(0) };
    let product = app::catalog::create_product(&state.app, &admin.actor, new).await?;
    Ok((StatusCode::CREATED, Json(product.into())))
}

#[utoipa::path(put, path = "/api/products/{id}", tag = "produtos", security(("bearer" = [])), request_body = ProductBody,
    params(("id" = i64, Path)),
    responses((status = 200, body = Product), (status = 400, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<ProductBody>,
) -> Result<Json<Product>> {
    let id = path_id(&id, DomainError::ProductNotFound)?;
    refuse_nulls(&[
        ("name", &body.name),
        ("price", &body.price),
        ("stock", &body.stock),
        ("category_id", &body.category_id),
        ("min_stock", &body.min_stock),
    ])?;
    let changes = ProductChanges {
        name: name(&body.name)?,
        price: price(&body.price, &UPDATE_MESSAGES)?,
        stock: stock(&body.stock, UPDATE_MESSAGES.wrong_type, UPDATE_MESSAGES.stock_not_positive)?,
        category_id: category_id(&body.category_id)?,
        code: code(&body.code)?,
        description: optional_text(&body.description, "Descrição", MAX_DESCRIPTION_CHARS)?,
        min_stock: min_stock(&body.min_stock)?,
    };
    Ok(Json(app::catalog::update_product(&state.app, &admin.actor, id, changes).await?.into()))
}

#[derive(Deserialize, ToSchema)]
pub struct StockBody {
    /// O estoque contado (inteiro, zero ou mais).
    #[schema(value_type = Option<i64>)]
    stock: Option<Raw>,
    /// Alternativa a `stock`: quanto somar (entrada) ou subtrair (perda), sem deixar o estoque negativo.
    #[schema(value_type = Option<i64>)]
    adjustment: Option<Raw>,
}

#[utoipa::path(put, path = "/api/products/{id}/stock", tag = "produtos", security(("bearer" = [])), request_body = StockBody,
    params(("id" = i64, Path)),
    responses((status = 200, body = Product), (status = 400, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn update_stock(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<StockBody>,
) -> Result<Json<Product>> {
    let id = path_id(&id, DomainError::ProductNotFound)?;
    let change = if let Some(stock) = stock(&body.stock, "Estoque deve ser um número inteiro", STOCK_NOT_POSITIVE)? {
        StockChange::CountedAs(stock)
    } else if let Some(delta) = integer(&body.adjustment, -MAX_STOCK, MAX_STOCK).map_err(|_| {
        Error::invalid("Ajuste de estoque deve ser um número inteiro entre -1.000.000.000 e 1.000.000.000")
    })? {
        StockChange::Adjust(delta)
    } else {
        return Err(Error::invalid("Novo valor de estoque é obrigatório"));
    };
    Ok(Json(app::inventory::change_stock(&state.app, &admin.actor, id, change).await?.into()))
}

/// A change of a product's stock, newest first.
#[derive(Serialize, ToSchema)]
pub struct StockMovement {
    id: i64,
    /// Units in (positive) or out (negative).
    quantity: i64,
    /// The stock right after the movement.
    balance: i64,
    /// `inicial`, `venda`, `ajuste`, `contagem` or `importacao`.
    reason: &'static str,
    user_id: Option<i64>,
    sale_id: Option<i64>,
    created_at: Timestamp,
}

impl From<inventory::Movement> for StockMovement {
    fn from(m: inventory::Movement) -> StockMovement {
        StockMovement {
            id: m.id,
            quantity: m.quantity,
            balance: m.balance,
            reason: m.reason.as_str(),
            user_id: m.user_id,
            sale_id: m.sale_id,
            created_at: m.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MovementPage {
    movements: Vec<StockMovement>,
    total: i64,
    pages: i64,
    current_page: i64,
}

/// The product's stock ledger: every sale, adjustment and count that changed its stock.
#[utoipa::path(get, path = "/api/products/{id}/movements", tag = "produtos", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = MovementPage), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn movements(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<MovementPage>> {
    let id = path_id(&id, DomainError::ProductNotFound)?;
    let page = params.page(50)?;
    let (movements, total) = app::inventory::movements(&state.app, &admin.actor, id, page).await?;
    Ok(Json(MovementPage {
        movements: movements.into_iter().map(StockMovement::from).collect(),
        total,
        pages: page.pages(total),
        current_page: page.page,
    }))
}

/// Removes a product from the catalog. It is archived, not erased: the sales that name it
/// keep it, and its code can be given to another product.
#[utoipa::path(delete, path = "/api/products/{id}", tag = "produtos", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Message), (status = 404, body = super::ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<String>,
) -> Result<Json<Message>> {
    let id = path_id(&id, DomainError::ProductNotFound)?;
    app::catalog::archive_product(&state.app, &admin.actor, id).await?;
    Ok(Json(Message::new("Produto deletado com sucesso")))
}
