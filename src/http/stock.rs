//! The stock ledger's commands and reading: `/api/stock/entries`, `/api/stock/adjustments`,
//! `/api/stock/counts`, `GET /api/products/{id}/movements`, and what a scanned code is
//! (`GET /api/products/lookup`).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::{IntoParams, ToSchema};

use super::AppState;
use super::auth::{AdminUser, CurrentUser};
use super::error::{Error, Result};
use super::input::{JsonBody, Params, Raw, integer, is_absent, number, optional_text, path_id};
use super::openapi::{self, PageQuery};
use super::products::{Product, signed_quantity, stock_in};
use crate::app;
use crate::domain::DomainError;
use crate::domain::catalog::{Quantity, Unit};
use crate::domain::inventory::{self, Entry, MAX_NOTE_CHARS, MovementReason, StockChange, StockCommand};
use crate::domain::money::Money;
use crate::domain::time::Timestamp;
use crate::domain::users::Actor;

/// A change of a product's stock, newest first.
#[derive(Serialize, ToSchema)]
pub struct StockMovement {
    id: i64,
    /// `inicial`, `venda`, `ajuste`, `contagem`, `importacao`, `cancelamento`, `devolucao`,
    /// `entrada` ou `transferencia`.
    #[serde(rename = "type")]
    #[schema(schema_with = movement_reason)]
    kind: &'static str,
    /// The same as `type` (the name earlier versions sent).
    #[schema(schema_with = movement_reason)]
    reason: &'static str,
    /// In (positive) or out (negative), in the product's unit.
    quantity: Quantity,
    /// The stock right after the movement.
    stock_after: Quantity,
    /// The same as `stock_after` (the name earlier versions sent).
    balance: Quantity,
    #[schema(required = true)]
    user_id: Option<i64>,
    /// Who made it (`null`: the command line or an import).
    #[schema(required = true)]
    user_username: Option<String>,
    /// The sale that took the units, or whose units came back.
    #[schema(required = true)]
    sale_id: Option<i64>,
    /// The return that brought the units back.
    #[schema(required = true)]
    return_id: Option<i64>,
    /// An entry's cost of one unit.
    #[schema(required = true)]
    unit_cost: Option<Money>,
    #[schema(required = true)]
    supplier: Option<String>,
    /// The invoice (nota fiscal) of an entry.
    #[schema(required = true)]
    invoice: Option<String>,
    /// Why an adjustment or a count was made.
    #[schema(required = true)]
    note: Option<String>,
    /// The store whose stock moved: `stock_after` is its stock.
    store_id: i64,
    #[schema(required = true)]
    store_name: Option<String>,
    /// The transfer between stores that moved the units.
    #[schema(required = true)]
    transfer_id: Option<i64>,
    created_at: Timestamp,
}

fn movement_reason() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String).enum_values(Some(MovementReason::ALL.map(MovementReason::as_str)))
}

impl From<inventory::Movement> for StockMovement {
    fn from(m: inventory::Movement) -> StockMovement {
        StockMovement {
            id: m.id,
            kind: m.reason.as_str(),
            reason: m.reason.as_str(),
            quantity: Quantity::new(m.quantity, m.unit),
            stock_after: Quantity::new(m.balance, m.unit),
            balance: Quantity::new(m.balance, m.unit),
            user_id: m.user_id,
            user_username: m.username,
            sale_id: m.sale_id,
            return_id: m.return_id,
            unit_cost: m.unit_cost,
            supplier: m.supplier,
            invoice: m.invoice,
            note: m.note,
            store_id: m.store_id,
            store_name: m.store_name,
            transfer_id: m.transfer_id,
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

/// The product's stock ledger: every movement that changed its stock.
#[utoipa::path(get, path = "/api/products/{id}/movements", tag = "estoque", operation_id = "list_product_movements",
    security(("bearer" = [])),
    params(("id" = i64, Path), PageQuery, ("store_id" = Option<i64>, Query, minimum = 1, description = "Só os desta loja")),
    responses(
        (status = 200, body = MovementPage),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
        (status = 404, description = "Produto não encontrado", body = super::ErrorBody),
    ))]
pub async fn movements(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<MovementPage>> {
    let id = path_id(&id, DomainError::ProductNotFound)?;
    let page = params.page(50)?;
    let store = super::stores::store_param(&params)?;
    let (movements, total) = app::inventory::movements(&state.app, &admin.actor, id, store, page).await?;
    Ok(Json(MovementPage {
        movements: movements.into_iter().map(StockMovement::from).collect(),
        total,
        pages: page.pages(total),
        current_page: page.page,
    }))
}

/// `POST /api/stock/entries`: goods received.
#[derive(Deserialize, ToSchema)]
#[schema(examples(json!({"product_id": 1, "quantity": 24, "unit_cost": "9.90", "supplier": "Distribuidora Sul",
    "invoice": "NF 12345"})))]
pub struct EntryBody {
    #[schema(schema_with = openapi::id, required = true)]
    product_id: Option<Raw>,
    /// Quanto entrou, na unidade do produto.
    #[schema(schema_with = openapi::quantity, required = true)]
    quantity: Option<Raw>,
    /// Custo de uma unidade (de um quilo, em KG); entra no custo médio.
    #[schema(schema_with = openapi::cost, required = true)]
    unit_cost: Option<Raw>,
    #[schema(schema_with = openapi::setting_text)]
    supplier: Option<Raw>,
    /// Número da nota fiscal.
    #[schema(schema_with = openapi::setting_text)]
    invoice: Option<Raw>,
    #[schema(schema_with = openapi::stock_store)]
    store_id: Option<Raw>,
}

/// `POST /api/stock/adjustments`: a signed change with its reason (a loss, breakage, a gift).
#[derive(Deserialize, ToSchema)]
#[schema(examples(json!({"product_id": 1, "quantity": -2, "reason": "Quebra"})))]
pub struct AdjustmentBody {
    #[schema(schema_with = openapi::id, required = true)]
    product_id: Option<Raw>,
    #[schema(schema_with = openapi::signed_quantity, required = true)]
    quantity: Option<Raw>,
    #[schema(schema_with = openapi::setting_text, required = true)]
    reason: Option<Raw>,
    #[schema(schema_with = openapi::stock_store)]
    store_id: Option<Raw>,
}

/// `POST /api/stock/counts`: the quantity counted; the movement is the difference.
#[derive(Deserialize, ToSchema)]
#[schema(examples(json!({"product_id": 1, "counted": 37, "reason": "Inventário de dezembro"})))]
pub struct CountBody {
    #[schema(schema_with = openapi::id, required = true)]
    product_id: Option<Raw>,
    #[schema(schema_with = openapi::stock, required = true)]
    counted: Option<Raw>,
    #[schema(schema_with = openapi::setting_text)]
    reason: Option<Raw>,
    #[schema(schema_with = openapi::stock_store)]
    store_id: Option<Raw>,
}

/// The product after the change; `recorded` is false when a count found the stock as it was.
#[derive(Serialize, ToSchema)]
pub struct StockChanged {
    product: Product,
    recorded: bool,
}

fn product_id(raw: &Option<Raw>) -> Result<i64> {
    if is_absent(raw) {
        return Err(Error::invalid("product_id é obrigatório"));
    }
    integer(raw, 1, i64::MAX)
        .map_err(|_| Error::invalid("product_id deve ser um número inteiro positivo"))?
        .ok_or_else(|| Error::invalid("product_id é obrigatório"))
}

fn note(raw: &Option<Raw>, field: &str) -> Result<Option<String>> {
    Ok(optional_text(raw, field, MAX_NOTE_CHARS)?.flatten())
}

/// A quantity of `unit` more than zero.
fn positive_quantity(unit: Unit, raw: &Option<Raw>) -> Result<i64> {
    let whole = "Quantidade deve ser um número inteiro maior que zero";
    let fractional = "Quantidade deve ser um número maior que zero com até três casas decimais";
    let message = if unit.is_fractional() { fractional } else { whole };
    match stock_in(unit, raw, message, message)? {
        Some(quantity) if quantity > 0 => Ok(quantity),
        Some(_) => Err(Error::invalid(message)),
        None => Err(Error::invalid("quantity é obrigatório")),
    }
}

async fn apply(
    state: &AppState,
    admin: &Actor,
    product_id: i64,
    command: StockCommand,
) -> Result<(StatusCode, Json<StockChanged>)> {
    let changed = app::inventory::change_stock(&state.app, admin, product_id, command).await?;
    let status = if changed.recorded { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(StockChanged { product: changed.product.into(), recorded: changed.recorded })))
}

#[utoipa::path(post, path = "/api/stock/entries", tag = "estoque", operation_id = "create_stock_entry",
    security(("bearer" = [])), request_body = EntryBody,
    responses(
        (status = 201, body = StockChanged),
        (status = 400, description = "Campo ausente ou inválido, ou estoque acima do limite", body = super::ErrorBody),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
        (status = 404, description = "Produto ou loja não encontrados", body = super::ErrorBody),
        (status = 409, description = "A unidade do produto mudou durante a operação", body = super::ErrorBody),
        (status = 422, description = "Sem `store_id`, e quem faz trabalha em mais de uma loja", body = super::ErrorBody),
    ))]
pub async fn entry(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    JsonBody(body): JsonBody<EntryBody>,
) -> Result<(StatusCode, Json<StockChanged>)> {
    let product_id = product_id(&body.product_id)?;
    let unit = app::catalog::product(&state.app, product_id, None).await?.unit;
    let quantity = positive_quantity(unit, &body.quantity)?;
    if is_absent(&body.unit_cost) {
        return Err(Error::invalid("unit_cost é obrigatório"));
    }
    let unit_cost = number(&body.unit_cost, 2, 0, Money::MAX_PRICE.cents())
        .map_err(|_| {
            Error::invalid("unit_cost deve ser um valor de 0 a R$ 10.000.000,00, com até duas casas decimais")
        })?
        .map(Money::from_cents)
        .ok_or_else(|| Error::invalid("unit_cost é obrigatório"))?;
    let entry = Entry {
        quantity,
        unit_cost,
        supplier: note(&body.supplier, "Fornecedor")?,
        invoice: note(&body.invoice, "Nota fiscal")?,
    };
    let store_id = super::stores::store_field(&body.store_id)?;
    let command = StockCommand { change: StockChange::Entry(entry), unit, note: None, store_id };
    apply(&state, &admin.actor, product_id, command).await
}

#[utoipa::path(post, path = "/api/stock/adjustments", tag = "estoque", operation_id = "create_stock_adjustment",
    security(("bearer" = [])), request_body = AdjustmentBody,
    responses(
        (status = 201, body = StockChanged),
        (status = 400, description = "Campo ausente ou inválido, ou um ajuste que deixaria o estoque negativo ou acima \
            do limite (com `product_id` e `available`)", body = super::ErrorBody),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
        (status = 404, description = "Produto ou loja não encontrados", body = super::ErrorBody),
        (status = 409, description = "A unidade do produto mudou durante a operação", body = super::ErrorBody),
        (status = 422, description = "Sem `store_id`, e quem faz trabalha em mais de uma loja", body = super::ErrorBody),
    ))]
pub async fn adjustment(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    JsonBody(body): JsonBody<AdjustmentBody>,
) -> Result<(StatusCode, Json<StockChanged>)> {
    let product_id = product_id(&body.product_id)?;
    let unit = app::catalog::product(&state.app, product_id, None).await?.unit;
    let quantity = signed_quantity(unit, &body.quantity, "Quantidade do ajuste")?
        .filter(|q| *q != 0)
        .ok_or_else(|| Error::invalid("Quantidade do ajuste deve ser diferente de zero"))?;
    let reason = note(&body.reason, "Motivo")?.ok_or_else(|| Error::invalid("O motivo do ajuste é obrigatório"))?;
    let store_id = super::stores::store_field(&body.store_id)?;
    let command = StockCommand { change: StockChange::Adjust(quantity), unit, note: Some(reason), store_id };
    apply(&state, &admin.actor, product_id, command).await
}

#[utoipa::path(post, path = "/api/stock/counts", tag = "estoque", operation_id = "create_stock_count",
    security(("bearer" = [])), request_body = CountBody,
    responses(
        (status = 201, description = "A diferença foi registrada", body = StockChanged),
        (status = 200, description = "A contagem confere com o estoque: nada registrado", body = StockChanged),
        (status = 400, description = "Campo ausente ou inválido", body = super::ErrorBody),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
        (status = 404, description = "Produto ou loja não encontrados", body = super::ErrorBody),
        (status = 409, description = "A unidade do produto mudou durante a operação", body = super::ErrorBody),
        (status = 422, description = "Sem `store_id`, e quem faz trabalha em mais de uma loja", body = super::ErrorBody),
    ))]
pub async fn count(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    JsonBody(body): JsonBody<CountBody>,
) -> Result<(StatusCode, Json<StockChanged>)> {
    let product_id = product_id(&body.product_id)?;
    let unit = app::catalog::product(&state.app, product_id, None).await?.unit;
    let counted =
        stock_in(unit, &body.counted, "Contagem deve ser um número inteiro", "Contagem deve ser zero ou mais")?
            .ok_or_else(|| Error::invalid("counted é obrigatório"))?;
    let command = StockCommand {
        change: StockChange::CountedAs(counted),
        unit,
        note: note(&body.reason, "Motivo")?,
        store_id: super::stores::store_field(&body.store_id)?,
    };
    apply(&state, &admin.actor, product_id, command).await
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct LookupQuery {
    #[param(schema_with = openapi::scanned_code)]
    code: String,
}

/// What a scanned code names: the product, and for a scale label the quantity (weight labels,
/// or what a price label's amount buys) and the amount (price labels).
#[derive(Serialize, ToSchema)]
pub struct Lookup {
    product: Product,
    /// `codigo_de_barras`, `codigo` ou `balanca`.
    #[schema(schema_with = lookup_source)]
    source: &'static str,
    /// Da etiqueta: a quantidade, na unidade do produto.
    #[schema(required = true)]
    quantity: Option<Quantity>,
    /// Da etiqueta de preço: o valor do item.
    #[schema(required = true)]
    amount: Option<Money>,
}

fn lookup_source() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String).enum_values(Some(["codigo_de_barras", "codigo", "balanca"]))
}

#[utoipa::path(get, path = "/api/products/lookup", tag = "produtos", operation_id = "lookup_product",
    security(("bearer" = [])), params(LookupQuery),
    responses(
        (status = 200, body = Lookup),
        (status = 400, description = "Código ausente, ou etiqueta da balança com dígito verificador errado, ou etiqueta \
            de peso de um produto vendido por unidade", body = super::ErrorBody),
        (status = 404, description = "Nenhum produto com esse código, ou etiqueta de um produto não cadastrado",
            body = super::ErrorBody),
    ))]
pub async fn lookup(State(state): State<AppState>, _: CurrentUser, params: Params) -> Result<Json<Lookup>> {
    // Params are trimmed, and a blank one is absent.
    let code = params.get("code").ok_or_else(|| Error::invalid("Informe o código lido (code)"))?;
    if code.chars().count() > 64 {
        return Err(Error::invalid("Código muito longo"));
    }
    // Control characters are in no product's code or barcode.
    if code.chars().any(char::is_control) {
        let shown: String = code.chars().filter(|c| !c.is_control()).collect();
        return Err(DomainError::UnknownCode { code: shown }.into());
    }
    let scanned = app::catalog::scan(&state.app, code, super::stores::store_param(&params)?).await?;
    let product = &scanned.product;
    let source = match (scanned.quantity, product.barcodes.iter().any(|b| b == code)) {
        (Some(_), _) => "balanca",
        (None, true) => "codigo_de_barras",
        (None, false) if product.code.as_deref() == Some(code) => "codigo",
        (None, false) => "codigo_de_barras",
    };
    let quantity = scanned.quantity.map(|thousandths| {
        Quantity::new(scanned.product.unit.from_thousandths(thousandths).unwrap_or(1), scanned.product.unit)
    });
    Ok(Json(Lookup { source, quantity, amount: scanned.amount, product: scanned.product.into() }))
}
