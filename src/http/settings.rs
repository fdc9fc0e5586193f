//! `/api/settings` and a store's own (`/api/stores/{id}/settings`), the PIX code of an amount
//! (`/api/pix`) and printing a receipt on the thermal printer (`/api/sales/{id}/print`).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::{IntoParams, ToSchema};

use super::AppState;
use super::auth::{AdminUser, CurrentUser};
use super::error::{Error, Result};
use super::input::{
    JsonBody, Params, Raw, boolean, integer, keep_null, number, optional_text, path_id, refuse_nulls, text,
};
use super::openapi;
use crate::app;
use crate::domain::DomainError;
use crate::domain::barcode::{LabelMask, LabelValue};
use crate::domain::checkout::FULL_BP;
use crate::domain::documents::{self, format_cnpj};
use crate::domain::money::Money;
use crate::domain::pix::{MAX_MERCHANT_CITY, MAX_MERCHANT_NAME, MAX_TXID, PixKey};
use crate::domain::settings::{
    self, MAX_SHOP_ADDRESS, MAX_SHOP_NAME, MAX_SHOP_PHONE, OFFLINE_SALE_MAX_HOURS, PRINTER_COLUMNS, SettingsChanges,
};
use crate::domain::time::Timestamp;
use crate::printer;

/// The shop's settings. Texts not set are `null`.
#[derive(Serialize, ToSchema)]
pub struct Settings {
    #[schema(required = true)]
    shop_name: Option<String>,
    /// Formatted: `12.345.678/0001-95` (or the alphanumeric kind, `12.ABC.345/01DE-35`).
    #[schema(required = true)]
    shop_cnpj: Option<String>,
    #[schema(required = true)]
    shop_address: Option<String>,
    #[schema(required = true)]
    shop_phone: Option<String>,
    /// CPF, CNPJ, e-mail, telefone (+55...) ou chave aleatória, normalizada.
    #[schema(required = true)]
    pix_key: Option<String>,
    #[schema(required = true)]
    pix_merchant_name: Option<String>,
    #[schema(required = true)]
    pix_merchant_city: Option<String>,
    /// O maior desconto (percentual do subtotal) que um funcionário dá sem aprovação.
    max_discount_percent: f64,
    /// Se uma venda exige que o vendedor tenha o caixa aberto.
    require_cash_session: bool,
    /// Se o PDV imprime o recibo depois de cada venda.
    auto_print: bool,
    /// `host:porta` da impressora térmica de rede (ESC/POS, porta 9100 por padrão).
    #[schema(required = true)]
    printer_address: Option<String>,
    /// Caracteres por linha: 48 (papel de 80 mm) ou 32 (58 mm).
    printer_columns: i64,
    /// Se uma venda em dinheiro abre a gaveta ligada à impressora.
    open_drawer: bool,
    /// O leiaute das etiquetas da balança (EAN-13 começando por 2): 13 caracteres, um por dígito —
    /// um dígito fixo, `C` código do produto, `V` valor, `X` ignorado, `D` dígito verificador (o
    /// último). Padrão `2CCCCCXVVVVVD`.
    #[schema(example = "2CCCCCXVVVVVD")]
    scale_label_mask: String,
    /// O que o valor da etiqueta é: `peso` (gramas) ou `preco` (centavos).
    #[schema(schema_with = label_value)]
    scale_label_value: &'static str,
    /// Quantas horas depois de feita uma venda sem conexão ainda é aceita pelo servidor (1 a 720).
    offline_sale_max_hours: i64,
    #[schema(required = true)]
    updated_at: Option<Timestamp>,
}

fn label_value() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String).enum_values(Some(LabelValue::ALL.map(LabelValue::as_str)))
}

impl From<settings::Settings> for Settings {
    fn from(s: settings::Settings) -> Settings {
        Settings {
            shop_name: s.shop_name,
            shop_cnpj: s.shop_cnpj.as_deref().map(format_cnpj),
            shop_address: s.shop_address,
            shop_phone: s.shop_phone,
            pix_key: s.pix_key,
            pix_merchant_name: s.pix_merchant_name,
            pix_merchant_city: s.pix_merchant_city,
            max_discount_percent: s.max_discount_bp as f64 / 100.0,
            require_cash_session: s.require_cash_session,
            auto_print: s.auto_print,
            printer_address: s.printer_address,
            printer_columns: s.printer_columns,
            open_drawer: s.open_drawer,
            scale_label_mask: s.scale_label_mask.as_str().to_string(),
            scale_label_value: s.scale_label_value.as_str(),
            offline_sale_max_hours: s.offline_sale_max_hours,
            updated_at: s.updated_at,
        }
    }
}

/// The shop's settings; in a store (`store_id`), with its own receipt data, PIX and printer
/// where it has them.
#[utoipa::path(get, path = "/api/settings", tag = "configuracoes", operation_id = "get_settings",
    security(("bearer" = [])),
    params(("store_id" = Option<i64>, Query, minimum = 1, description = "As configurações nesta loja (uma em que o usuário trabalha)")),
    responses(
        (status = 200, body = Settings),
        (status = 400, description = "Parâmetro store_id inválido", body = super::ErrorBody),
        (status = 403, description = "Loja em que o usuário não trabalha", body = super::ErrorBody),
        (status = 404, description = "Loja não encontrada", body = super::ErrorBody),
    ))]
pub async fn get(State(state): State<AppState>, user: CurrentUser, params: Params) -> Result<Json<Settings>> {
    let store_id = super::stores::store_param(&params)?;
    Ok(Json(app::settings::get(&state.app, &user.actor, store_id).await?.into()))
}

/// A store's own receipt data, PIX and printer; `null`: the shop's (`/api/settings`).
#[derive(Serialize, ToSchema)]
pub struct StoreSettings {
    /// Formatted, like the shop's.
    #[schema(required = true)]
    shop_cnpj: Option<String>,
    #[schema(required = true)]
    shop_address: Option<String>,
    #[schema(required = true)]
    shop_phone: Option<String>,
    #[schema(required = true)]
    pix_key: Option<String>,
    #[schema(required = true)]
    pix_merchant_name: Option<String>,
    #[schema(required = true)]
    pix_merchant_city: Option<String>,
    #[schema(required = true)]
    printer_address: Option<String>,
}

impl From<settings::StoreSettings> for StoreSettings {
    fn from(s: settings::StoreSettings) -> StoreSettings {
        StoreSettings {
            shop_cnpj: s.shop_cnpj.as_deref().map(format_cnpj),
            shop_address: s.shop_address,
            shop_phone: s.shop_phone,
            pix_key: s.pix_key,
            pix_merchant_name: s.pix_merchant_name,
            pix_merchant_city: s.pix_merchant_city,
            printer_address: s.printer_address,
        }
    }
}

/// All of a store's own settings at once: a field absent, `null` or blank is the shop's (at least
/// one field is sent: `{"shop_cnpj": null}` gives the store back all of the shop's).
#[derive(Deserialize, ToSchema)]
#[schema(min_properties = 1, examples(json!({"shop_cnpj": "11.444.777/0001-61", "shop_address": "Rua das Flores, 20 — Bairro",
    "printer_address": "192.168.1.60:9100"})))]
pub struct StoreSettingsBody {
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(schema_with = openapi::setting_text)]
    shop_cnpj: Option<Raw>,
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(schema_with = openapi::setting_text)]
    shop_address: Option<Raw>,
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(schema_with = openapi::setting_text)]
    shop_phone: Option<Raw>,
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(schema_with = openapi::setting_text)]
    pix_key: Option<Raw>,
    /// Até 25 caracteres.
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(schema_with = openapi::setting_text)]
    pix_merchant_name: Option<Raw>,
    /// Até 15 caracteres.
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(schema_with = openapi::setting_text)]
    pix_merchant_city: Option<Raw>,
    /// `host` ou `host:porta`.
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(schema_with = openapi::setting_text)]
    printer_address: Option<Raw>,
}

#[utoipa::path(get, path = "/api/stores/{id}/settings", tag = "lojas", operation_id = "get_store_settings",
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses(
        (status = 200, body = StoreSettings),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
        (status = 404, description = "Loja não encontrada", body = super::ErrorBody),
    ))]
pub async fn store_settings(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<String>,
) -> Result<Json<StoreSettings>> {
    let id = path_id(&id, DomainError::StoreNotFound)?;
    Ok(Json(app::stores::settings(&state.app, &admin.actor, id).await?.into()))
}

/// Replaces a store's own receipt data, PIX and printer.
#[utoipa::path(put, path = "/api/stores/{id}/settings", tag = "lojas", operation_id = "update_store_settings",
    security(("bearer" = [])), request_body = StoreSettingsBody, params(("id" = i64, Path)),
    responses(
        (status = 200, body = StoreSettings),
        (status = 400, description = "Um campo inválido (a mensagem diz qual), ou nenhum campo", body = super::ErrorBody),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
        (status = 404, description = "Loja não encontrada", body = super::ErrorBody),
    ))]
pub async fn update_store_settings(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<StoreSettingsBody>,
) -> Result<Json<StoreSettings>> {
    let id = path_id(&id, DomainError::StoreNotFound)?;
    let sent = [
        &body.shop_cnpj,
        &body.shop_address,
        &body.shop_phone,
        &body.pix_key,
        &body.pix_merchant_name,
        &body.pix_merchant_city,
        &body.printer_address,
    ];
    if sent.iter().all(|field| field.is_none()) {
        return Err(DomainError::NothingToChange.into());
    }
    let own = |raw: &Option<Raw>, field: &str, max: usize, parse: fn(&str) -> Result<String>| {
        Ok::<_, Error>(setting(raw, field, max, parse)?.flatten())
    };
    let own = settings::StoreSettings {
        shop_cnpj: own(&body.shop_cnpj, "CNPJ", 30, cnpj)?,
        shop_address: own(&body.shop_address, "Endereço", MAX_SHOP_ADDRESS, as_typed)?,
        shop_phone: own(&body.shop_phone, "Telefone", MAX_SHOP_PHONE, as_typed)?,
        pix_key: own(&body.pix_key, "Chave PIX", 100, pix_key)?,
        pix_merchant_name: own(&body.pix_merchant_name, "Nome do recebedor PIX", MAX_MERCHANT_NAME, as_typed)?,
        pix_merchant_city: own(&body.pix_merchant_city, "Cidade do recebedor PIX", MAX_MERCHANT_CITY, as_typed)?,
        printer_address: own(&body.printer_address, "Endereço da impressora", 300, printer_address)?,
    };
    Ok(Json(app::stores::set_settings(&state.app, &admin.actor, id, own).await?.into()))
}

/// Partial: only the fields sent change; `null` or blank clears a text.
#[derive(Deserialize, ToSchema)]
#[schema(min_properties = 1, examples(json!({"shop_name": "Mercadinho Bom Preço", "shop_cnpj": "11.222.333/0001-81",
    "pix_key": "+5511912345678", "pix_merchant_name": "Mercadinho Bom Preco", "pix_merchant_city": "Sao Paulo",
    "max_discount_percent": 10})))]
pub struct SettingsBody {
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(schema_with = openapi::setting_text)]
    shop_name: Option<Raw>,
    /// CNPJ com dígitos verificadores válidos (numérico ou alfanumérico), com ou sem pontuação.
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(schema_with = openapi::setting_text)]
    shop_cnpj: Option<Raw>,
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(schema_with = openapi::setting_text)]
    shop_address: Option<Raw>,
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(schema_with = openapi::setting_text)]
    shop_phone: Option<Raw>,
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(schema_with = openapi::setting_text)]
    pix_key: Option<Raw>,
    /// Até 25 caracteres (o que o código PIX leva).
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(schema_with = openapi::setting_text)]
    pix_merchant_name: Option<Raw>,
    /// Até 15 caracteres.
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(schema_with = openapi::setting_text)]
    pix_merchant_city: Option<Raw>,
    /// De 0 a 100, até duas casas decimais.
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(schema_with = openapi::discount_limit)]
    max_discount_percent: Option<Raw>,
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(value_type = bool)]
    require_cash_session: Option<Raw>,
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(value_type = bool)]
    auto_print: Option<Raw>,
    /// `host` ou `host:porta`.
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(schema_with = openapi::setting_text)]
    printer_address: Option<Raw>,
    /// 48 ou 32.
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(schema_with = openapi::printer_columns)]
    printer_columns: Option<Raw>,
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(value_type = bool)]
    open_drawer: Option<Raw>,
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(value_type = String, example = "2CCCCCXVVVVVD")]
    scale_label_mask: Option<Raw>,
    /// `peso` ou `preco`.
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(schema_with = label_value)]
    scale_label_value: Option<Raw>,
    /// Horas, de 1 a 720.
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(value_type = i64, minimum = 1, maximum = 720)]
    offline_sale_max_hours: Option<Raw>,
}

fn flag(raw: &Option<Raw>, field: &str) -> Result<Option<bool>> {
    boolean(raw).map_err(|_| Error::invalid(format!("{field} deve ser true ou false")))
}

/// A text setting, checked by `parse` when it is not cleared.
fn setting(
    raw: &Option<Raw>,
    field: &str,
    max: usize,
    parse: impl Fn(&str) -> Result<String>,
) -> Result<Option<Option<String>>> {
    optional_text(raw, field, max)?.map(|value| value.map(|v| parse(&v)).transpose()).transpose()
}

fn as_typed(text: &str) -> Result<String> {
    Ok(text.to_string())
}

fn cnpj(text: &str) -> Result<String> {
    documents::cnpj(text).map_err(|e| DomainError::from(e).into())
}

fn pix_key(text: &str) -> Result<String> {
    Ok(PixKey::parse(text).map_err(DomainError::from)?.as_str().to_string())
}

fn printer_address(text: &str) -> Result<String> {
    printer::parse_address(text).map_err(|e| DomainError::PrinterAddress(e.to_string()).into())
}

#[utoipa::path(put, path = "/api/settings", tag = "configuracoes", operation_id = "update_settings",
    security(("bearer" = [])), request_body = SettingsBody,
    responses(
        (status = 200, body = Settings),
        (status = 400, description = "Um campo inválido (a mensagem diz qual), ou nenhum campo", body = super::ErrorBody),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
    ))]
pub async fn update(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    JsonBody(body): JsonBody<SettingsBody>,
) -> Result<Json<Settings>> {
    refuse_nulls(&[
        ("max_discount_percent", &body.max_discount_percent),
        ("require_cash_session", &body.require_cash_session),
        ("auto_print", &body.auto_print),
        ("printer_columns", &body.printer_columns),
        ("open_drawer", &body.open_drawer),
        ("scale_label_mask", &body.scale_label_mask),
        ("scale_label_value", &body.scale_label_value),
        ("offline_sale_max_hours", &body.offline_sale_max_hours),
    ])?;
    let mask = text(&body.scale_label_mask)
        .map_err(|_| Error::from(DomainError::InvalidLabelMask))?
        .map(|m| LabelMask::parse(&m))
        .transpose()?;
    let bad_value = || Error::invalid("scale_label_value deve ser peso ou preco");
    let label_value = match text(&body.scale_label_value).map_err(|_| bad_value())? {
        None => None,
        Some(v) => Some(LabelValue::parse(&v).ok_or_else(bad_value)?),
    };
    let columns = integer(&body.printer_columns, 0, i64::MAX)
        .ok()
        .flatten()
        .filter(|c| PRINTER_COLUMNS.contains(c))
        .map(Some)
        .ok_or_else(|| Error::invalid("printer_columns deve ser 48 (papel de 80 mm) ou 32 (58 mm)"));
    let changes = SettingsChanges {
        shop_name: setting(&body.shop_name, "Nome da loja", MAX_SHOP_NAME, as_typed)?,
        shop_cnpj: setting(&body.shop_cnpj, "CNPJ", 30, cnpj)?,
        shop_address: setting(&body.shop_address, "Endereço", MAX_SHOP_ADDRESS, as_typed)?,
        shop_phone: setting(&body.shop_phone, "Telefone", MAX_SHOP_PHONE, as_typed)?,
        pix_key: setting(&body.pix_key, "Chave PIX", 100, pix_key)?,
        pix_merchant_name: setting(&body.pix_merchant_name, "Nome do recebedor PIX", MAX_MERCHANT_NAME, as_typed)?,
        pix_merchant_city: setting(&body.pix_merchant_city, "Cidade do recebedor PIX", MAX_MERCHANT_CITY, as_typed)?,
        max_discount_bp: number(&body.max_discount_percent, 2, 0, FULL_BP).map_err(|_| {
            Error::invalid("max_discount_percent deve ser um percentual de 0 a 100, com até duas casas decimais")
        })?,
        require_cash_session: flag(&body.require_cash_session, "require_cash_session")?,
        auto_print: flag(&body.auto_print, "auto_print")?,
        printer_address: setting(&body.printer_address, "Endereço da impressora", 300, printer_address)?,
        printer_columns: if body.printer_columns.is_some() { columns? } else { None },
        open_drawer: flag(&body.open_drawer, "open_drawer")?,
        scale_label_mask: mask,
        scale_label_value: label_value,
        offline_sale_max_hours: integer(
            &body.offline_sale_max_hours,
            OFFLINE_SALE_MAX_HOURS.0,
            OFFLINE_SALE_MAX_HOURS.1,
        )
        .map_err(|_| Error::invalid("offline_sale_max_hours deve ser um número inteiro de horas, de 1 a 720"))?,
    };
    Ok(Json(app::settings::update(&state.app, &admin.actor, changes).await?.into()))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct PixQuery {
    /// O valor em reais, como `12.50` (ausente: quem paga digita).
    #[param(pattern = r"^(?:[1-9][0-9]{0,7}(?:\.[0-9]{1,2})?|0\.(?:[1-9][0-9]?|0[1-9]))$")]
    amount: Option<String>,
    /// Identificador da transação: de 1 a 25 letras ou dígitos (ausente: `***`).
    #[param(pattern = "^[A-Za-z0-9]{1,25}$")]
    txid: Option<String>,
    /// A loja do PIX: a chave e o recebedor dela, quando tem os seus.
    #[param(format = Int64, minimum = 1)]
    store_id: Option<i64>,
}

/// An amount as the PIX query writes it (and its pattern says): digits, no leading zeros, at
/// most two decimals after a point, more than zero, below R$ 100.000.000.
fn pix_amount(text: &str) -> Option<Money> {
    let (units, decimals) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let plain_units = digits(units) && units.len() <= 8 && (units == "0" || !units.starts_with('0'));
    let plain_decimals = (decimals.is_empty() && !text.contains('.')) || (digits(decimals) && decimals.len() <= 2);
    if !plain_units || !plain_decimals {
        return None;
    }
    let cents = units.parse::<i64>().ok()? * 100 + format!("{decimals:0<2}").parse::<i64>().ok()?;
    (cents > 0).then(|| Money::from_cents(cents))
}

/// A static PIX code.
#[derive(Serialize, ToSchema)]
pub struct Pix {
    /// O "copia e cola": o BR Code, que o QR leva.
    payload: String,
    /// O QR code do payload, um documento SVG.
    svg: String,
}

/// The static PIX code (BR Code) of an amount, with its QR code. A static code cannot confirm
/// the payment: the cashier confirms it on the customer's phone.
#[utoipa::path(get, path = "/api/pix", tag = "configuracoes", operation_id = "get_pix", security(("bearer" = [])),
    params(PixQuery),
    responses(
        (status = 200, body = Pix),
        (status = 400, description = "Valor, txid ou store_id inválidos", body = super::ErrorBody),
        (status = 403, description = "Loja em que o usuário não trabalha", body = super::ErrorBody),
        (status = 404, description = "Loja não encontrada", body = super::ErrorBody),
        (status = 409, description = "Chave PIX, nome ou cidade do recebedor não configurados", body = super::ErrorBody),
    ))]
pub async fn pix(State(state): State<AppState>, user: CurrentUser, params: Params) -> Result<Json<Pix>> {
    let amount = params
        .get("amount")
        .map(|text| {
            pix_amount(text)
                .ok_or_else(|| Error::invalid("amount deve ser um valor maior que zero, com até duas casas decimais"))
        })
        .transpose()?;
    let txid = params.get("txid");
    if txid.is_some_and(|t| t.len() > MAX_TXID) {
        return Err(DomainError::Pix(crate::domain::pix::PixError::Txid).into());
    }
    let store_id = super::stores::store_param(&params)?;
    let (payload, svg) = app::settings::pix(&state.app, &user.actor, store_id, amount, txid).await?;
    Ok(Json(Pix { payload, svg }))
}

/// Sends the receipt of a sale to the thermal printer of the settings (ESC/POS over the
/// network); a cash sale opens the drawer when the settings say so.
#[utoipa::path(post, path = "/api/sales/{id}/print", tag = "vendas", operation_id = "print_sale_receipt",
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Enviado à impressora"),
        (status = 403, description = "Venda de outro vendedor (para funcionários)", body = super::ErrorBody),
        (status = 404, description = "Venda não encontrada", body = super::ErrorBody),
        (status = 409, description = "Nenhuma impressora configurada", body = super::ErrorBody),
        (status = 502, description = "A impressora não foi encontrada ou não respondeu", body = super::ErrorBody),
    ))]
pub async fn print(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> Result<StatusCode> {
    let id = path_id(&id, DomainError::SaleNotFound)?;
    app::settings::print_receipt(&state.app, &user.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::pix_amount;

    #[test]
    fn pix_amounts_are_exactly_what_the_pattern_says() {
        let cents = |t: &str| pix_amount(t).map(|m| m.cents());
        assert_eq!(
            (cents("12.5"), cents("0.01"), cents("99999999.99"), cents("7")),
            (Some(1250), Some(1), Some(9_999_999_999), Some(700))
        );
        for refused in ["0", "0.0", "0.00", "01", "1.", ".5", "1.234", "1e2", " 1", "-1", "100000000", "1,50", ""] {
            assert_eq!(cents(refused), None, "{refused}");
        }
    }
}
