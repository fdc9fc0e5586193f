use std::net::IpAddr;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
use utoipa::{IntoParams, ToSchema};

use super::AppState;
use super::auth::{AdminUser, CurrentUser, check_password};
use super::error::{Error, Result};
use super::export::{Cell, Export, Format};
use super::input::{JsonBody, Params, Raw, integer, is_absent, name_field, number, path_id, text};
use super::openapi::{self, PageQuery};
use super::proxy::ClientAddress;
use crate::app;

use crate::domain::DomainError;
use crate::domain::catalog::{Quantity, Unit};
use crate::domain::checkout::{self, Discount, FULL_BP, PaymentLine};
use crate::domain::money::Money;
use crate::domain::number::NumberError;
use crate::domain::reports;
use crate::domain::sales::{
    self, Approver, Labelled, MAX_IDEMPOTENCY_KEY_CHARS, MAX_LINES, MAX_QUANTITY, MadeOffline, NewReturn, NewSale,
    PaymentMethod, SaleLine, SalesFilter,
};
use crate::domain::time::Timestamp;
use crate::domain::users::Role;

#[derive(Serialize, ToSchema)]
pub struct SaleItem {
    id: i64,
    sale_id: i64,
    product_id: i64,
    /// The product's name when it was sold.
    product_name: String,
    /// In `unit` (up to three decimals in KG, L and M).
    quantity: Quantity,
    /// The product's unit when it was sold.
    unit: Unit,
    price_at_sale: Money,
    /// `price_at_sale × quantity`.
    subtotal: Money,
    /// The line's own discount.
    discount_amount: Money,
    /// What the line cost after its discount and its share of the sale's discount (returns
    /// are valued from it).
    total_amount: Money,
    /// How much already came back.
    returned_quantity: Quantity,
}

/// A payment of a sale: `amount` is what it paid of the total; for cash, `tendered` is what the
/// customer handed over.
#[derive(Serialize, ToSchema)]
pub struct Payment {
    method: PaymentMethod,
    amount: Money,
    #[schema(required = true)]
    tendered: Option<Money>,
}

impl From<checkout::Payment> for Payment {
    fn from(p: checkout::Payment) -> Payment {
        Payment { method: p.method, amount: p.amount, tendered: p.tendered }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ReturnedItem {
    sale_item_id: i64,
    quantity: Quantity,
    refund_amount: Money,
}

/// Items of a sale that came back, and what was refunded.
#[derive(Serialize, ToSchema)]
pub struct SaleReturn {
    id: i64,
    sale_id: i64,
    user_id: i64,
    user_username: String,
    reason: String,
    refund_method: PaymentMethod,
    refund_amount: Money,
    #[schema(required = true)]
    cash_session_id: Option<i64>,
    created_at: Timestamp,
    items: Vec<ReturnedItem>,
}

impl SaleReturn {
    /// `items`: the sale's, whose units the returned quantities are in.
    fn of(r: sales::SaleReturn, items: &[sales::SaleItem]) -> SaleReturn {
        let unit_of = |id: i64| items.iter().find(|i| i.id == id).map(|i| i.unit).unwrap_or_default();
        SaleReturn {
            id: r.id,
            sale_id: r.sale_id,
            user_id: r.user_id,
            user_username: r.user_username,
            reason: r.reason,
            refund_method: r.refund_method,
            refund_amount: r.refund,
            cash_session_id: r.cash_session_id,
            created_at: r.created_at,
            items: r
                .items
                .into_iter()
                .map(|i| ReturnedItem {
                    sale_item_id: i.sale_item_id,
                    quantity: Quantity::new(i.quantity, unit_of(i.sale_item_id)),
                    refund_amount: i.refund,
                })
                .collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SaleStatus {
    Concluida,
    Cancelada,
}

#[derive(Serialize, ToSchema)]
pub struct Sale {
    id: i64,
    user_id: i64,
    user_username: String,
    /// What the customer paid: `subtotal_amount - discount_amount`.
    total_amount: Money,
    timestamp: Timestamp,
    /// The sale's one payment method; `null` when it was split among several, or in sales
    /// from before payment methods were recorded.
    #[schema(required = true)]
    payment_method: Option<PaymentMethod>,
    items: Vec<SaleItem>,
    /// `concluida`, or `cancelada` (out of every total, its stock back).
    status: SaleStatus,
    /// Price × quantity of every line.
    subtotal_amount: Money,
    /// Every discount: the lines' and the sale's.
    discount_amount: Money,
    /// What the payments add up to (`total_amount`, unless some are missing in sales from
    /// before payments were recorded).
    payments: Vec<Payment>,
    /// Cash handed back.
    change: Money,
    /// Sum of the returns' refunds.
    refunded_amount: Money,
    returns: Vec<SaleReturn>,
    #[schema(required = true)]
    cancelled_at: Option<Timestamp>,
    /// Who cancelled it.
    #[schema(required = true)]
    cancelled_by: Option<String>,
    #[schema(required = true)]
    cancel_reason: Option<String>,
    /// The administrator who approved a discount above the employees' limit.
    #[schema(required = true)]
    discount_approved_by: Option<String>,
    /// The seller's cash session when the sale was made.
    #[schema(required = true)]
    cash_session_id: Option<i64>,
    /// A loja da venda.
    store_id: i64,
    store_name: String,
    /// Who bought, when the seller named them.
    #[schema(required = true)]
    customer: Option<SaleCustomer>,
    /// O identificador que o terminal deu à venda (UUID).
    #[schema(required = true)]
    client_id: Option<String>,
    /// Quando o servidor registrou a venda; `timestamp` é quando ela foi feita (antes, numa venda
    /// feita sem conexão).
    received_at: Timestamp,
    /// Por que a venda precisa ser revisada (feita sem conexão, chegou quando algo já não era
    /// como o terminal via); vazio: nada a revisar.
    #[schema(schema_with = review_reasons)]
    review_reasons: Vec<&'static str>,
    /// Quando um administrador a revisou.
    #[schema(required = true)]
    reviewed_at: Option<Timestamp>,
    #[schema(required = true)]
    reviewed_by: Option<String>,
}

fn review_reasons() -> ArrayBuilder {
    ArrayBuilder::new().items(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(sales::ReviewReason::ALL.map(sales::ReviewReason::as_str))),
    )
}

/// The customer of a sale, as the receipt prints them.
#[derive(Serialize, ToSchema)]
pub struct SaleCustomer {
    id: i64,
    name: String,
    /// CPF or CNPJ, punctuated (`123.456.789-09`, `12.ABC.345/01DE-35`).
    #[schema(required = true)]
    document: Option<String>,
}

impl From<sales::Sale> for Sale {
    fn from(sale: sales::Sale) -> Sale {
        let returns = sale.returns.into_iter().map(|r| SaleReturn::of(r, &sale.items)).collect();
        let items = sale
            .items
            .into_iter()
            .map(|item| SaleItem {
                subtotal: item.subtotal(),
                id: item.id,
                sale_id: item.sale_id,
                product_id: item.product_id,
                product_name: item.product_name,
                quantity: Quantity::new(item.quantity, item.unit),
                unit: item.unit,
                price_at_sale: item.price_at_sale,
                discount_amount: item.discount,
                total_amount: item.net,
                returned_quantity: Quantity::new(item.returned_quantity, item.unit),
            })
            .collect();
        let cancellation = sale.cancellation;
        Sale {
            id: sale.id,
            user_id: sale.user_id,
            user_username: sale.user_username,
            total_amount: sale.total_amount,
            timestamp: sale.timestamp,
            payment_method: sale.payment_method,
            items,
            status: match sale.status {
                sales::SaleStatus::Completed => SaleStatus::Concluida,
                sales::SaleStatus::Cancelled => SaleStatus::Cancelada,
            },
            subtotal_amount: sale.subtotal,
            discount_amount: sale.discount,
            payments: sale.payments.into_iter().map(Payment::from).collect(),
            change: sale.change,
            refunded_amount: sale.refunded,
            returns,
            cancelled_at: cancellation.as_ref().map(|c| c.at),
            cancelled_by: cancellation.as_ref().map(|c| c.by.clone()),
            cancel_reason: cancellation.map(|c| c.reason),
            discount_approved_by: sale.discount_approved_by,
            cash_session_id: sale.cash_session_id,
            store_id: sale.store_id,
            store_name: sale.store_name,
            customer: sale.customer.map(|c| SaleCustomer {
                id: c.id,
                name: c.name,
                document: c.document.map(|d| d.formatted()),
            }),
            client_id: sale.client_id,
            received_at: sale.received_at,
            review_reasons: sale.review.iter().map(|r| r.as_str()).collect(),
            reviewed_at: sale.reviewed.as_ref().map(|r| r.at),
            reviewed_by: sale.reviewed.map(|r| r.by),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SalePage {
    sales: Vec<Sale>,
    total: i64,
    pages: i64,
    current_page: i64,
    /// Sum of every sale of the filter (not only this page).
    total_amount: Money,
    /// `total_amount / total`.
    average_ticket: Money,
}

/// The filters of the sales listing and export. Values are trimmed; an empty one counts as absent.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct SalesQuery {
    /// Início do período: `AAAA-MM-DD`, `AAAA-MM-DDTHH:MM`, com segundos, ou RFC 3339.
    #[param(schema_with = openapi::period_bound)]
    start_date: Option<String>,
    /// Fim do período, como `start_date`; uma data sem hora inclui o dia inteiro.
    #[param(schema_with = openapi::period_bound)]
    end_date: Option<String>,
    /// Vendas de um vendedor (só administradores: para os demais o filtro é sempre o próprio usuário).
    #[param(format = Int64)]
    user_id: Option<i64>,
    /// Compras de um cliente.
    #[param(format = Int64)]
    customer_id: Option<i64>,
    /// Vendas de uma loja.
    #[param(format = Int64, minimum = 1)]
    store_id: Option<i64>,
}

/// The period of `start_date` and `end_date`, as the sales listing reads them.
pub(super) fn period(state: &AppState, params: &Params) -> Result<(Option<Timestamp>, Option<Timestamp>)> {
    let bound = |name: &str| -> Result<Option<_>> {
        params
            .get(name)
            .map(|text| {
                state
                    .app
                    .calendar
                    .parse_period(text)
                    .ok_or_else(|| Error::invalid(format!("Formato de data inválido para {name}")))
            })
            .transpose()
    };
    Ok((bound("start_date")?.map(|(from, _)| from), bound("end_date")?.map(|(_, until)| until)))
}

/// The sales a caller asks for (employees only ever see their own, whatever they ask: see
/// `app::sales`; their `user_id` is checked but not used).
pub(super) fn sales_filter(state: &AppState, user: &CurrentUser, params: &Params) -> Result<SalesFilter> {
    let (from, until) = period(state, params)?;
    let user_id = params.integer("user_id", "Parâmetro user_id inválido")?.filter(|_| user.actor.is_admin());
    let customer_id = params.integer("customer_id", "Parâmetro customer_id inválido")?;
    let store_id = super::stores::store_param(params)?;
    Ok(SalesFilter { from, until, user_id, customer_id, store_id })
}

/// Newest first. Employees see only their own sales.
#[utoipa::path(get, path = "/api/sales", tag = "vendas", operation_id = "list_sales", security(("bearer" = [])),
    params(PageQuery, SalesQuery),
    responses((status = 200, body = SalePage)))]
pub async fn list(State(state): State<AppState>, user: CurrentUser, params: Params) -> Result<Json<SalePage>> {
    let page = params.page(20)?;
    let filter = sales_filter(&state, &user, &params)?;
    let listing = app::sales::list(&state.app, &user.actor, filter, page).await?;
    Ok(Json(SalePage {
        sales: listing.sales.into_iter().map(Sale::from).collect(),
        total: listing.count,
        pages: page.pages(listing.count),
        current_page: page.page,
        total_amount: listing.total_amount,
        average_ticket: listing.total_amount.average(listing.count),
    }))
}

/// `POST /api/sales`. The subtotal (the products' prices now, times the quantities) is at most
/// R$ 10.000.000,00.
#[derive(Deserialize, ToSchema)]
#[schema(examples(
    json!({"items": [{"product_id": 1, "quantity": 2}], "payment_method": "pix"}),
    json!({"items": [{"product_id": 1, "quantity": 1, "discount_percent": 10}],
        "payments": [{"method": "dinheiro", "amount": 50}]})
))]
pub struct SaleBody {
    /// De 1 a 1000 itens; o mesmo produto repetido conta somado (sem desconto).
    #[schema(value_type = Vec<SaleItemBody>, required = true, min_items = 1, max_items = 1000)]
    items: Option<Raw>,
    /// A forma de pagamento única (clientes anteriores): paga o total. Com `payments`, se
    /// presente, deve ser a forma de todos eles. Ausente ou `null` sem `payments`: não registrada.
    #[schema(value_type = Option<PaymentMethod>)]
    payment_method: Option<Raw>,
    /// Os pagamentos: somam exatamente o total, exceto o dinheiro, que pode passar dele (a
    /// diferença, e o que `tendered` somar, é o troco). De 1 a 20.
    #[schema(value_type = Option<Vec<PaymentBody>>, max_items = 20)]
    payments: Option<Raw>,
    /// Desconto da venda em percentual, sobre o que os itens custam depois dos seus descontos
    /// (arredondado ao centavo, metade para cima). Não junto com `discount_amount`.
    #[schema(schema_with = openapi::percent)]
    discount_percent: Option<Raw>,
    /// Desconto da venda em reais. Não junto com `discount_percent`.
    #[schema(schema_with = openapi::amount)]
    discount_amount: Option<Raw>,
    /// Um administrador aprova, digitando nome e senha no PDV, o desconto de um funcionário
    /// acima do limite das configurações.
    #[schema(value_type = Option<ApprovalBody>)]
    discount_approval: Option<Raw>,
    /// O cliente que comprou (opcional): sai no cupom e no histórico de compras dele.
    #[schema(schema_with = openapi::optional_id)]
    customer_id: Option<Raw>,
    /// O identificador que o terminal dá à venda (UUID): uma venda com um `client_id` já
    /// registrado responde com a venda registrada (`idempotent-replayed: true`) e não cria outra.
    #[schema(value_type = Option<String>, pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    client_id: Option<Raw>,
    /// Quando a venda foi feita, num terminal sem conexão com o servidor (exige `client_id`):
    /// no máximo 5 minutos no futuro e não mais antiga que `offline_sale_max_hours` das
    /// configurações. Ela é registrada mesmo que o estoque não esteja mais lá (ele fica negativo e
    /// a venda é marcada para revisão), com os preços que o terminal mostrou (`unit_price`).
    #[schema(value_type = Option<String>, format = DateTime)]
    sold_at: Option<Raw>,
    /// Só com `sold_at`: o vendedor que fez a venda (ausente: quem envia). Um funcionário só envia
    /// as próprias vendas; um administrador, as de qualquer um.
    #[schema(schema_with = openapi::optional_id)]
    user_id: Option<Raw>,
    /// Só com `sold_at`: o caixa aberto no terminal quando a venda foi feita, do vendedor. Se ele
    /// foi fechado enquanto isso, a venda fica nele assim mesmo, marcada para revisão.
    #[schema(schema_with = openapi::optional_id)]
    cash_session_id: Option<Raw>,
    /// A loja da venda. Ausente: a do caixa aberto do vendedor, ou a única loja em que ele
    /// trabalha. Um funcionário só vende nas lojas em que trabalha.
    #[schema(schema_with = openapi::optional_id)]
    store_id: Option<Raw>,
}

/// A line: `product_id` and `quantity`, or `label` (a scale label as scanned: the server reads
/// the product and the weight or the price from it).
#[derive(Deserialize, ToSchema)]
pub struct SaleItemBody {
    #[schema(schema_with = openapi::id)]
    product_id: Option<Raw>,
    #[schema(schema_with = openapi::quantity)]
    quantity: Option<Raw>,
    /// A etiqueta da balança lida (EAN-13 começando por 2), no lugar de `product_id` e `quantity`.
    #[schema(value_type = Option<String>, example = "2001230012509")]
    label: Option<Raw>,
    /// Desconto do item (sobre preço × quantidade) em percentual. Não junto com `discount_amount`.
    #[schema(schema_with = openapi::percent)]
    discount_percent: Option<Raw>,
    /// Desconto do item em reais, no máximo preço × quantidade.
    #[schema(schema_with = openapi::amount)]
    discount_amount: Option<Raw>,
    /// Só com `sold_at` da venda: o preço unitário que o terminal mostrou. Vale se o produto
    /// teve esse preço em algum momento do período em que a venda pode chegar.
    #[schema(schema_with = openapi::amount)]
    unit_price: Option<Raw>,
}

#[derive(Deserialize, ToSchema)]
pub struct PaymentBody {
    #[schema(value_type = PaymentMethod, required = true)]
    method: Option<Raw>,
    #[schema(schema_with = openapi::amount, required = true)]
    amount: Option<Raw>,
    /// Só em dinheiro: o que o cliente entregou (pelo menos `amount`).
    #[schema(schema_with = openapi::amount)]
    tendered: Option<Raw>,
}

#[derive(Deserialize, ToSchema)]
pub struct ApprovalBody {
    #[schema(schema_with = openapi::login_username, required = true)]
    username: Option<Raw>,
    #[schema(schema_with = openapi::password, required = true)]
    password: Option<Raw>,
}

/// At most this many payment lines in one sale.
const MAX_PAYMENTS: usize = 20;

/// A money field: positive, two decimals, at most the largest price.
fn amount(raw: &Option<Raw>, field: &str) -> Result<Option<Money>> {
    number(raw, 2, 1, Money::MAX_PRICE.cents())
        .map(|cents| cents.map(Money::from_cents))
        .map_err(|_| Error::invalid(format!("{field} deve ser um valor maior que zero, com até duas casas decimais")))
}

/// A discount given as `discount_percent` or `discount_amount` (`of` names whose: "do item").
fn discount(percent: &Option<Raw>, value: &Option<Raw>, of: &str) -> Result<Option<Discount>> {
    let percent = number(percent, 2, 1, FULL_BP).map_err(|_| {
        Error::invalid(format!(
            "discount_percent {of} deve ser um percentual maior que zero e até 100, com até duas casas decimais"
        ))
    })?;
    let value = amount(value, &format!("discount_amount {of}"))?;
    match (percent, value) {
        (Some(_), Some(_)) => {
            Err(Error::invalid(format!("Informe discount_percent ou discount_amount {of}, não os dois")))
        }
        (Some(bp), None) => Ok(Some(Discount::Percent(bp))),
        (None, Some(value)) => Ok(Some(Discount::Amount(value))),
        (None, None) => Ok(None),
    }
}

fn payment_method(raw: &Option<Raw>) -> Result<Option<PaymentMethod>> {
    let invalid = || Error::invalid("Forma de pagamento deve ser dinheiro, debito, credito, pix ou outro");
    match text(raw).map_err(|_| invalid())? {
        None => Ok(None),
        Some(method) => Ok(Some(PaymentMethod::parse(method.trim()).ok_or_else(invalid)?)),
    }
}

fn payments(raw: &Option<Raw>) -> Result<Vec<PaymentLine>> {
    let invalid = || Error::invalid("payments deve ser uma lista de pagamentos com method e amount");
    let lines: Vec<Box<RawValue>> = match raw {
        Some(raw) if raw.get() != "null" => serde_json::from_str(raw.get()).map_err(|_| invalid())?,
        _ => return Ok(Vec::new()),
    };
    if lines.is_empty() {
        return Err(invalid());
    }
    if lines.len() > MAX_PAYMENTS {
        return Err(Error::invalid(format!("Uma venda pode ter no máximo {MAX_PAYMENTS} pagamentos")));
    }
    lines
        .iter()
        .map(|raw| {
            let line: PaymentBody = serde_json::from_str(raw.get()).map_err(|_| invalid())?;
            let method = payment_method(&line.method)?.ok_or_else(invalid)?;
            let paid = amount(&line.amount, "amount do pagamento")?.ok_or_else(invalid)?;
            let tendered = amount(&line.tendered, "tendered")?;
            Ok(PaymentLine { method, amount: paid, tendered })
        })
        .collect()
}

/// The administrator's name and password of `discount_approval`, if sent.
fn approval(raw: &Option<Raw>) -> Result<Option<(String, String)>> {
    let invalid = || Error::invalid("discount_approval precisa de username e password de um administrador");
    let body: ApprovalBody = match raw {
        Some(raw) if raw.get() != "null" => serde_json::from_str(raw.get()).map_err(|_| invalid())?,
        _ => return Ok(None),
    };
    let username = text(&body.username).map_err(|_| invalid())?.filter(|u| !u.trim().is_empty()).ok_or_else(invalid)?;
    let password = text(&body.password).map_err(|_| invalid())?.filter(|p| !p.is_empty()).ok_or_else(invalid)?;
    Ok(Some((username, password)))
}

/// A line as requested: a product and quantity, or a scale label still to be read.
enum RequestedLine {
    Product(SaleLine),
    Label { code: String, discount: Option<Discount> },
}

/// The lines of a sale, with every scale label read (its product, and its weight or price).
async fn read_lines(state: &AppState, items: &Option<Raw>, store: Option<i64>) -> Result<Vec<SaleLine>> {
    let mut lines = Vec::new();
    for line in requested_lines(items)? {
        lines.push(match line {
            RequestedLine::Product(line) => line,
            RequestedLine::Label { code, discount } => {
                let scanned = app::catalog::scan(&state.app, &code, store).await?;
                let Some(quantity) = scanned.quantity else {
                    return Err(Error::invalid(format!("{code} não é uma etiqueta da balança")));
                };
                let labelled = scanned.amount.map(|amount| Labelled { quantity, amount });
                SaleLine { product_id: scanned.product.id, quantity, discount, labelled, shown_price: None }
            }
        });
    }
    Ok(lines)
}

fn requested_lines(items: &Option<Raw>) -> Result<Vec<RequestedLine>> {
    let required = || Error::invalid("Lista de itens é obrigatória");
    let items: Vec<Box<RawValue>> = match items {
        Some(raw) => serde_json::from_str(raw.get()).map_err(|_| required())?,
        None => return Err(required()),
    };
    if items.is_empty() {
        return Err(required());
    }
    if items.len() > MAX_LINES {
        return Err(Error::invalid(format!("Uma venda pode ter no máximo {MAX_LINES} itens")));
    }
    let incomplete = || Error::invalid("product_id e quantity são obrigatórios para cada item");
    items
        .iter()
        .map(|raw| {
            let item: SaleItemBody = serde_json::from_str(raw.get()).map_err(|_| incomplete())?;
            let discount = discount(&item.discount_percent, &item.discount_amount, "do item")?;
            if !is_absent(&item.label) && is_absent(&item.product_id) && is_absent(&item.quantity) {
                let code = text(&item.label).ok().flatten().map(|c| c.trim().to_string()).filter(|c| !c.is_empty());
                let code = code.ok_or_else(|| Error::invalid("label deve ser o código lido da etiqueta"))?;
                return Ok(RequestedLine::Label { code, discount });
            }
            if is_absent(&item.product_id) || is_absent(&item.quantity) {
                return Err(incomplete());
            }
            let product_id = integer(&item.product_id, 1, i64::MAX)
                .map_err(|_| Error::invalid("product_id deve ser um número inteiro positivo"))?
                .ok_or_else(incomplete)?;
            let quantity = line_quantity(&item.quantity)?;
            let shown_price = amount(&item.unit_price, "unit_price")?;
            Ok(RequestedLine::Product(SaleLine { shown_price, ..SaleLine::new(product_id, quantity, discount) }))
        })
        .collect()
}

/// A line's quantity (of a sale, of a transfer) in thousandths, present: a product sold by weight
/// takes up to three decimals, others whole units (checked with the product's unit when the
/// stock is taken).
pub(super) fn line_quantity(raw: &Option<Raw>) -> Result<i64> {
    match number(raw, 3, i64::MIN, i64::MAX) {
        Ok(Some(q)) if q <= 0 => Err(Error::invalid("Quantidade deve ser maior que zero")),
        Ok(Some(q)) if q <= MAX_QUANTITY * 1000 => Ok(q),
        Ok(_) | Err(NumberError::OutOfRange) => Err(Error::invalid("Quantidade acima do limite permitido")),
        Err(_) => Err(Error::invalid("Quantidade deve ser um número inteiro")),
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
pub struct SaleHeaders {
    /// Repetir a mesma chave (do mesmo vendedor, em 24 horas) com o mesmo pedido devolve a venda
    /// já criada, com `idempotent-replayed: true`; com outro pedido, 422.
    #[serde(rename = "Idempotency-Key")]
    #[param(schema_with = openapi::idempotency_key)]
    idempotency_key: Option<String>,
}

fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = value.to_str().map(str::trim).unwrap_or_default();
    if key.is_empty() || key.len() > MAX_IDEMPOTENCY_KEY_CHARS || !key.chars().all(|c| c.is_ascii_graphic()) {
        return Err(Error::invalid("Idempotency-Key inválido (até 100 caracteres visíveis)"));
    }
    Ok(Some(key.to_string()))
}

/// Sells the items to the caller's customer; the caller is the seller. Prices are the
/// products' prices at this moment.
#[utoipa::path(post, path = "/api/sales", tag = "vendas", operation_id = "create_sale", security(("bearer" = [])),
    request_body = SaleBody,
    params(SaleHeaders),
    responses(
        (status = 201, body = Sale,
            headers(("idempotent-replayed" = String, description = "`true` quando a venda já existia com esta chave"))),
        (status = 400, description = "Itens, descontos, pagamentos ou `Idempotency-Key` inválidos, pagamentos que não \
            somam o total, total acima do limite, ou estoque insuficiente (com `product_id` e `available`)",
            body = super::ErrorBody),
        (status = 403, description = "Desconto acima do limite dos funcionários sem aprovação, aprovação recusada, ou uma \
            loja em que o vendedor não trabalha",
            body = super::ErrorBody),
        (status = 404, description = "Produto não encontrado (com `product_id`; `available` nulo), ou a loja", body = super::ErrorBody),
        (status = 409, description = "O vendedor não tem caixa aberto e as configurações o exigem, ou a loja está desativada",
            body = super::ErrorBody),
        (status = 422, description = "`Idempotency-Key` já usada para outra venda (itens, descontos ou pagamentos \
            diferentes); a loja não foi indicada e o vendedor trabalha em mais de uma; ou não é a do caixa aberto",
            body = super::ErrorBody),
        (status = 429, description = "Muitas falhas recentes na senha de aprovação", body = super::ErrorBody,
            headers(("Retry-After" = u64, description = "Segundos a esperar antes de tentar de novo"))),
    ))]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    JsonBody(body): JsonBody<SaleBody>,
) -> Result<Response> {
    let store_id = super::stores::store_field(&body.store_id)?;
    let lines = read_lines(&state, &body.items, store_id).await?;
    let mut new_sale = NewSale::new(lines, payment_method(&body.payment_method)?, idempotency_key(&headers)?)?;
    new_sale.payments = payments(&body.payments)?;
    new_sale.discount = discount(&body.discount_percent, &body.discount_amount, "da venda")?;
    new_sale.customer_id = integer(&body.customer_id, 1, i64::MAX)
        .map_err(|_| Error::invalid("customer_id deve ser um número inteiro positivo"))?;
    new_sale.client_id = client_id(&body.client_id)?;
    new_sale.offline = made_offline(&body, new_sale.client_id.is_some())?;
    new_sale.store_id = store_id;
    if new_sale.offline.is_none() && new_sale.lines.iter().any(|l| l.shown_price.is_some()) {
        return Err(Error::invalid("unit_price só vale numa venda feita sem conexão (com sold_at)"));
    }
    if let Some((username, password)) = approval(&body.discount_approval)? {
        new_sale.approval = Some(approve(&state, address, &username, password).await?);
    }
    let sold = app::sales::sell(&state.app, &user.actor, new_sale).await?;
    if !sold.replayed {
        state.metrics.sale(sold.sale.total_amount);
    }
    let mut response = (StatusCode::CREATED, Json(Sale::from(sold.sale))).into_response();
    if sold.replayed {
        response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(response)
}

/// A UUID, in its lower-case hyphenated form.
fn client_id(raw: &Option<Raw>) -> Result<Option<String>> {
    let invalid = || Error::invalid("client_id deve ser um UUID (como 0b5c6f1e-3d2a-4c8b-9f10-2a7e5d4c3b21)");
    match text(raw).map_err(|_| invalid())? {
        None => Ok(None),
        Some(id) => Ok(Some(uuid::Uuid::try_parse(id.trim()).map_err(|_| invalid())?.hyphenated().to_string())),
    }
}

/// When, by whom and in which cash session a sale made without connection was made.
fn made_offline(body: &SaleBody, has_client_id: bool) -> Result<Option<MadeOffline>> {
    let offline_only = [("user_id", &body.user_id), ("cash_session_id", &body.cash_session_id)];
    if is_absent(&body.sold_at) {
        return match offline_only.iter().find(|(_, raw)| !is_absent(raw)) {
            Some((field, _)) => {
                Err(Error::invalid(format!("{field} só vale numa venda feita sem conexão (com sold_at)")))
            }
            None => Ok(None),
        };
    }
    if !has_client_id {
        return Err(Error::invalid("Uma venda feita sem conexão (sold_at) precisa de client_id"));
    }
    let invalid = || Error::invalid("sold_at deve ser uma data e hora RFC 3339, como 2026-12-01T14:30:00-03:00");
    let raw = body.sold_at.as_ref().ok_or_else(invalid)?;
    let sold_at: Timestamp = serde_json::from_str(raw.get()).map_err(|_| invalid())?;
    let id = |raw: &Option<Raw>, field: &str| {
        integer(raw, 1, i64::MAX).map_err(|_| Error::invalid(format!("{field} deve ser um número inteiro positivo")))
    };
    Ok(Some(MadeOffline {
        sold_at,
        seller_id: id(&body.user_id, "user_id")?,
        cash_session_id: id(&body.cash_session_id, "cash_session_id")?,
    }))
}

/// An administrator's approval typed at the PDV: their password is checked under the login
/// limits. A wrong name or password, or a user who is not an administrator, is refused with
/// 403 (not 401: the seller's own session is fine).
async fn approve(state: &AppState, address: IpAddr, username: &str, password: String) -> Result<Approver> {
    match check_password(state, address, username, password).await {
        Ok(signed_in) if signed_in.user.role == Role::Admin => {
            Ok(Approver { id: signed_in.user.id, username: signed_in.user.username })
        }
        Ok(_) | Err(Error::Unauthorized(_)) => Err(DomainError::ApprovalRefused.into()),
        Err(other) => Err(other),
    }
}

#[utoipa::path(get, path = "/api/sales/{id}", tag = "vendas", operation_id = "get_sale", security(("bearer" = [])), params(("id" = i64, Path)),
    responses(
        (status = 200, body = Sale),
        (status = 403, description = "Venda de outro vendedor (para funcionários)", body = super::ErrorBody),
        (status = 404, description = "Venda não encontrada", body = super::ErrorBody),
    ))]
pub async fn get(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> Result<Json<Sale>> {
    let id = path_id(&id, DomainError::SaleNotFound)?;
    Ok(Json(app::sales::get(&state.app, &user.actor, id).await?.into()))
}

/// The most characters of a cancellation's or a return's reason.
const MAX_REASON_CHARS: usize = 500;

fn reason(raw: &Option<Raw>) -> Result<String> {
    let required = || Error::invalid("Motivo (reason) é obrigatório");
    let typed = text(raw).map_err(|_| required())?.ok_or_else(required)?;
    let reason = name_field(&typed, "Motivo")?;
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(Error::invalid(format!("Motivo deve ter no máximo {MAX_REASON_CHARS} caracteres")));
    }
    Ok(reason)
}

#[derive(Deserialize, ToSchema)]
#[schema(examples(json!({"reason": "Cliente desistiu da compra"})))]
pub struct CancelBody {
    /// Por que a venda foi cancelada (até 500 caracteres).
    #[schema(schema_with = openapi::reason, required = true)]
    reason: Option<Raw>,
}

/// Cancels a sale (administrators): its stock comes back, it leaves every total and report, and
/// it shows as `cancelada` with who cancelled it, when and why.
#[utoipa::path(post, path = "/api/sales/{id}/cancel", tag = "vendas", operation_id = "cancel_sale",
    security(("bearer" = [])), params(("id" = i64, Path)), request_body = CancelBody,
    responses(
        (status = 200, body = Sale),
        (status = 400, description = "Motivo ausente ou inválido", body = super::ErrorBody),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
        (status = 404, description = "Venda não encontrada", body = super::ErrorBody),
        (status = 409, description = "Venda já cancelada", body = super::ErrorBody),
    ))]
pub async fn cancel(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<CancelBody>,
) -> Result<Json<Sale>> {
    let id = path_id(&id, DomainError::SaleNotFound)?;
    let reason = reason(&body.reason)?;
    Ok(Json(app::sales::cancel(&state.app, &admin.actor, id, &reason).await?.into()))
}

/// Marks a sale flagged for review as looked at (administrators).
#[utoipa::path(post, path = "/api/sales/{id}/review", tag = "vendas", operation_id = "review_sale",
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses(
        (status = 200, body = Sale),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
        (status = 404, description = "Venda não encontrada", body = super::ErrorBody),
        (status = 409, description = "Nada a revisar nesta venda, ou já revisada", body = super::ErrorBody),
    ))]
pub async fn review(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<String>,
) -> Result<Json<Sale>> {
    let id = path_id(&id, DomainError::SaleNotFound)?;
    Ok(Json(app::sales::mark_reviewed(&state.app, &admin.actor, id).await?.into()))
}

/// A product whose stock sales made without connection took below zero.
#[derive(Serialize, ToSchema)]
pub struct ProductBelowZero {
    id: i64,
    name: String,
    stock: Quantity,
    unit: Unit,
}

/// What needs a look on the dashboard.
#[derive(Serialize, ToSchema)]
pub struct ToReview {
    /// Vendas feitas sem conexão marcadas ao chegar e ainda não revisadas, as mais novas primeiro
    /// (até 200).
    sales: Vec<Sale>,
    /// Produtos com estoque abaixo de zero, por nome.
    products: Vec<ProductBelowZero>,
}

#[utoipa::path(get, path = "/api/review", tag = "vendas", operation_id = "to_review", security(("bearer" = [])),
    responses(
        (status = 200, body = ToReview),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
    ))]
pub async fn to_review(State(state): State<AppState>, AdminUser(admin): AdminUser) -> Result<Json<ToReview>> {
    let found = app::sales::to_review(&state.app, &admin.actor).await?;
    Ok(Json(ToReview {
        sales: found.sales.into_iter().map(Sale::from).collect(),
        products: found
            .products
            .into_iter()
            .map(|(id, name, stock)| ProductBelowZero { id, name, unit: stock.unit, stock })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[schema(examples(json!({"items": [{"sale_item_id": 1, "quantity": 1}], "reason": "Produto com defeito",
    "refund_method": "dinheiro"})))]
pub struct ReturnBody {
    /// De 1 a 1000 itens da venda; o mesmo item repetido conta somado.
    #[schema(value_type = Vec<ReturnItemBody>, required = true, min_items = 1, max_items = 1000)]
    items: Option<Raw>,
    #[schema(schema_with = openapi::reason, required = true)]
    reason: Option<Raw>,
    /// Como o valor foi devolvido ao cliente (em dinheiro, sai do caixa aberto de quem devolve).
    #[schema(value_type = PaymentMethod, required = true)]
    refund_method: Option<Raw>,
}

#[derive(Deserialize, ToSchema)]
pub struct ReturnItemBody {
    #[schema(schema_with = openapi::id, required = true)]
    sale_item_id: Option<Raw>,
    #[schema(schema_with = openapi::quantity, required = true)]
    quantity: Option<Raw>,
}

fn return_items(raw: &Option<Raw>) -> Result<Vec<(i64, i64)>> {
    let required = || Error::invalid("Lista de itens a devolver é obrigatória");
    let items: Vec<Box<RawValue>> = match raw {
        Some(raw) => serde_json::from_str(raw.get()).map_err(|_| required())?,
        None => return Err(required()),
    };
    if items.is_empty() {
        return Err(required());
    }
    if items.len() > MAX_LINES {
        return Err(Error::invalid(format!("Uma devolução pode ter no máximo {MAX_LINES} itens")));
    }
    let incomplete = || Error::invalid("sale_item_id e quantity são obrigatórios para cada item");
    let mut merged: Vec<(i64, i64)> = Vec::with_capacity(items.len());
    for raw in &items {
        let item: ReturnItemBody = serde_json::from_str(raw.get()).map_err(|_| incomplete())?;
        let id = integer(&item.sale_item_id, 1, i64::MAX)
            .map_err(|_| Error::invalid("sale_item_id deve ser um número inteiro positivo"))?
            .ok_or_else(incomplete)?;
        // Thousandths, as a sale's lines (the item's unit decides if a fraction is allowed).
        let quantity = number(&item.quantity, 3, 1, MAX_QUANTITY * 1000)
            .map_err(|_| Error::invalid("Quantidade deve ser um número inteiro maior que zero"))?
            .ok_or_else(incomplete)?;
        match merged.iter_mut().find(|(i, _)| *i == id) {
            Some((_, q)) => {
                *q = q
                    .checked_add(quantity)
                    .filter(|q| *q <= MAX_QUANTITY * 1000)
                    .ok_or(DomainError::QuantityTooLarge)?
            }
            None => merged.push((id, quantity)),
        }
    }
    Ok(merged)
}

/// Takes back units of a sale (administrators): refunded at the price actually paid after
/// discounts, stock returned, never more than was sold across all returns of the sale.
#[utoipa::path(post, path = "/api/sales/{id}/returns", tag = "vendas", operation_id = "return_sale_items",
    security(("bearer" = [])), params(("id" = i64, Path)), request_body = ReturnBody,
    responses(
        (status = 201, description = "A venda, com a devolução", body = Sale),
        (status = 400, description = "Itens, motivo ou forma de devolução inválidos, ou item de outra venda",
            body = super::ErrorBody),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
        (status = 404, description = "Venda não encontrada", body = super::ErrorBody),
        (status = 409, description = "Venda cancelada, ou mais unidades que as vendidas ainda não devolvidas",
            body = super::ErrorBody),
    ))]
pub async fn return_sale_items(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<ReturnBody>,
) -> Result<(StatusCode, Json<Sale>)> {
    let id = path_id(&id, DomainError::SaleNotFound)?;
    let items = return_items(&body.items)?;
    let reason = reason(&body.reason)?;
    let refund_method = payment_method(&body.refund_method)?
        .ok_or_else(|| Error::invalid("Forma de devolução (refund_method) é obrigatória"))?;
    let request = NewReturn { items, reason, refund_method };
    let sale = app::sales::return_items(&state.app, &admin.actor, id, request).await?;
    Ok((StatusCode::CREATED, Json(sale.into())))
}

#[utoipa::path(get, path = "/api/sales/reports/summary", tag = "vendas", operation_id = "get_sales_summary",
    security(("bearer" = [])),
    params(("store_id" = Option<i64>, Query, minimum = 1, description = "Só as vendas desta loja (ausente: todas)")),
    responses(
        (status = 200, body = Summary),
        (status = 400, description = "Parâmetro store_id inválido", body = super::ErrorBody),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
        (status = 404, description = "Loja não encontrada", body = super::ErrorBody),
    ))]
pub async fn summary(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    params: Params,
) -> Result<Json<Summary>> {
    let store_id = super::stores::store_param(&params)?;
    Ok(Json(app::sales::summary(&state.app, &admin.actor, store_id).await?.into()))
}

#[derive(Serialize, ToSchema)]
pub struct Summary {
    /// Sales of today (calendar day in the business time zone).
    today_sales: Money,
    /// Sales of this calendar month.
    month_sales: Money,
    /// All sales ever.
    total_sales: Money,
    today_count: i64,
    month_count: i64,
    total_count: i64,
    /// This month's sales divided by this month's number of sales.
    average_ticket: Money,
    /// The five products with most units sold in the last 30 days (today and the 29 before); a
    /// product sold by weight counts its kilograms (litres, metres).
    top_products: Vec<TopProduct>,
    /// The last 30 days, oldest first, including days without sales.
    daily: Vec<DailyTotal>,
    /// The business time zone the days above are counted in.
    timezone: String,
}

#[derive(Serialize, ToSchema)]
pub struct TopProduct {
    product_id: i64,
    name: String,
    /// Units sold, in the product's `unit` (kilograms, with three decimals, for KG).
    total_sold: Quantity,
    unit: Unit,
    total_amount: Money,
}

#[derive(Serialize, ToSchema)]
pub struct DailyTotal {
    /// `YYYY-MM-DD`
    date: String,
    count: i64,
    total: Money,
}

impl From<reports::Summary> for Summary {
    fn from(s: reports::Summary) -> Summary {
        Summary {
            today_sales: s.today_sales,
            month_sales: s.month_sales,
            total_sales: s.total_sales,
            today_count: s.today_count,
            month_count: s.month_count,
            total_count: s.total_count,
            average_ticket: s.average_ticket,
            top_products: s
                .top_products
                .into_iter()
                .map(|t| TopProduct {
                    product_id: t.product_id,
                    name: t.name,
                    unit: t.total_sold.unit,
                    total_sold: t.total_sold,
                    total_amount: t.total_amount,
                })
                .collect(),
            daily: s.daily.into_iter().map(|d| DailyTotal { date: d.date, count: d.count, total: d.total }).collect(),
            timezone: s.timezone,
        }
    }
}

/// The filtered sales as a spreadsheet that opens directly in Excel in Portuguese: UTF-8 with
/// a byte-order mark, `;` between fields, decimal comma, local date and time.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ExportQuery {
    /// `csv` (padrão: `;`, vírgula decimal, UTF-8 com BOM) ou `xlsx` (números como números, datas como datas).
    #[param(inline, value_type = Option<String>, pattern = "^(csv|xlsx)$")]
    format: Option<String>,
}

/// The sales export's columns.
const EXPORT_COLUMNS: &[&str] = &[
    "Venda",
    "Data",
    "Vendedor",
    "Pagamento",
    "Itens",
    "Produtos",
    "Total",
    "Cliente",
    "CPF/CNPJ",
    "Subtotal",
    "Desconto",
    "Devolvido",
    "Situação",
];

/// How many sales an export reads at a time.
const EXPORT_PART: i64 = 2000;

/// Every sale of the filter, oldest first, streamed (employees: their own).
#[utoipa::path(get, path = "/api/sales/export", tag = "vendas", operation_id = "export_sales", security(("bearer" = [])),
    params(SalesQuery, ExportQuery),
    responses(
        (status = 200, description = "A planilha para baixar", content(
            (String = "text/csv"),
            (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ), headers(("Content-Disposition" = String, description = "`attachment; filename=\"vendas-AAAA-MM-DD.csv\"` (ou `.xlsx`)"))),
        (status = 400, description = "Filtro ou formato inválido", body = super::ErrorBody),
    ))]
pub async fn export(State(state): State<AppState>, user: CurrentUser, params: Params) -> Result<Response> {
    let filter = sales_filter(&state, &user, &params)?;
    let format = Format::of(&params, Some(Format::Csv))?.unwrap_or(Format::Csv);
    // The first part before answering: a refusal or an unreachable database is still an error
    // status, not a broken download.
    let mut reader = app::sales::SalesReader::new(&state.app, &user.actor, filter, EXPORT_PART).await?;
    let first = reader.next().await?;
    let name = format!("vendas-{}", state.app.calendar.today().format("%Y-%m-%d"));
    let (mut export, response) = Export::start(format, &name, EXPORT_COLUMNS)?;
    let tz = state.app.calendar.tz;
    tokio::spawn(async move {
        let mut part = first;
        let outcome: Result<()> = async {
            while !part.is_empty() && export.rows(part.iter().map(|sale| export_row(sale, tz))).await? {
                part = reader.next().await?;
            }
            Ok(())
        }
        .await;
        match outcome {
            Ok(()) => {
                if let Err(error) = export.finish().await {
                    tracing::error!(%error, "exportação de vendas");
                }
            }
            Err(error) => export.abort(&error).await,
        }
    });
    Ok(response)
}

fn export_row(sale: &sales::Sale, tz: chrono_tz::Tz) -> Vec<Cell> {
    let local = sale.timestamp.to_utc().with_timezone(&tz).naive_local();
    let products = sale
        .items
        .iter()
        .map(|i| format!("{} x {}", Quantity::new(i.quantity, i.unit), i.product_name))
        .collect::<Vec<_>>();
    vec![
        Cell::Integer(sale.id),
        Cell::DateTime(local),
        Cell::Text(sale.user_username.clone()),
        Cell::Text(sale.payment_method.map(PaymentMethod::label).unwrap_or("").to_string()),
        // A line sold by weight counts as one item.
        Cell::Integer(sale.items.iter().map(|i| if i.unit.is_fractional() { 1 } else { i.quantity }).sum()),
        Cell::Text(products.join(", ")),
        Cell::Money(sale.total_amount),
        Cell::Text(sale.customer.as_ref().map(|c| c.name.clone()).unwrap_or_default()),
        Cell::Text(sale.customer.as_ref().and_then(|c| c.document.as_ref()).map(|d| d.formatted()).unwrap_or_default()),
        Cell::Money(sale.subtotal),
        Cell::Money(sale.discount),
        Cell::Money(sale.refunded),
        Cell::Text(sale.status.label().to_string()),
    ]
}
