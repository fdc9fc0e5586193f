use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::AppState;
use super::auth::CurrentUser;
use super::error::{Error, Result};
use super::input::{JsonBody, Params, Raw, keep_null, name_field, path_id, refuse_nulls, text};
use super::openapi::PageQuery;
use crate::app;
use crate::domain::DomainError;
use crate::domain::catalog::MAX_NAME_CHARS;
use crate::domain::customers::{self, CustomerChanges, CustomerDetails, Document, MAX_EMAIL_CHARS};
use crate::domain::money::Money;
use crate::domain::time::Timestamp;

#[derive(Serialize, ToSchema)]
pub struct Customer {
    id: i64,
    name: String,
    /// CPF or CNPJ, punctuated (`123.456.789-09`, `11.222.333/0001-81`, `12.ABC.345/01DE-35`).
    #[schema(required = true)]
    document: Option<String>,
    /// `CPF` or `CNPJ`.
    #[schema(required = true)]
    document_type: Option<String>,
    #[schema(required = true)]
    phone: Option<String>,
    #[schema(required = true)]
    email: Option<String>,
    created_at: Timestamp,
    updated_at: Timestamp,
    /// Sales that stand (not cancelled).
    purchases_count: i64,
    /// What those sales came to, net of returns.
    total_spent: Money,
    #[schema(required = true)]
    last_purchase_at: Option<Timestamp>,
}

impl From<customers::Customer> for Customer {
    fn from(c: customers::Customer) -> Customer {
        Customer {
            id: c.id,
            document: c.details.document.as_ref().map(Document::formatted),
            document_type: c.details.document.as_ref().map(|d| d.kind().to_string()),
            name: c.details.name,
            phone: c.details.phone,
            email: c.details.email,
            created_at: c.created_at,
            updated_at: c.updated_at,
            purchases_count: c.purchases,
            total_spent: c.spent,
            last_purchase_at: c.last_purchase_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CustomerPage {
    customers: Vec<Customer>,
    total: i64,
    pages: i64,
    current_page: i64,
}

/// `POST /api/customers`, and `PUT /api/customers/{id}` (only the fields sent change; `name`
/// cannot be null, the others are cleared with `null`).
#[derive(Deserialize, ToSchema)]
#[schema(examples(json!({"name": "Ana Souza", "document": "529.982.247-25", "phone": "(11) 98765-4321"})))]
pub struct CustomerBody {
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(value_type = String, min_length = 1, max_length = 200)]
    name: Option<Raw>,
    /// CPF (11 dígitos) ou CNPJ (14 caracteres, numérico ou alfanumérico), com ou sem pontuação;
    /// os dígitos verificadores são conferidos.
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(value_type = Option<String>, example = "529.982.247-25")]
    document: Option<Raw>,
    /// De 8 a 15 dígitos, com `+ ( ) - .` e espaços.
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(value_type = Option<String>, max_length = 30)]
    phone: Option<Raw>,
    #[serde(default, deserialize_with = "keep_null")]
    #[schema(value_type = Option<String>, max_length = 254)]
    email: Option<Raw>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct CustomerQuery {
    /// Parte do nome (sem diferenciar maiúsculas nem acentos) ou o começo do CPF/CNPJ.
    search: Option<String>,
}

/// An optional field of the body: None when absent, `Some(None)` when null or blank.
fn optional(raw: &Option<Raw>, field: &str) -> Result<Option<Option<String>>> {
    match raw {
        None => Ok(None),
        Some(_) => {
            let value = text(raw).map_err(|_| Error::invalid(format!("{field} deve ser texto")))?;
            Ok(Some(value.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())))
        }
    }
}

fn changes(body: &CustomerBody) -> Result<CustomerChanges> {
    refuse_nulls(&[("name", &body.name)])?;
    let name = match text(&body.name).map_err(|_| Error::invalid("Nome do cliente deve ser texto"))? {
        Some(name) => {
            let name = name_field(&name, "Nome do cliente")?;
            if name.chars().count() > MAX_NAME_CHARS {
                return Err(Error::invalid("Nome do cliente deve ter no máximo 200 caracteres"));
            }
            Some(name)
        }
        None => None,
    };
    let document = optional(&body.document, "document")?
        .map(|d| d.map(|d| Document::parse(&d).map_err(DomainError::from)).transpose())
        .transpose()?;
    let phone = optional(&body.phone, "phone")?
        .map(|p| {
            p.map(|p| {
                customers::phone(&p).ok_or_else(|| {
                    Error::invalid("Telefone inválido: use de 8 a 15 dígitos, com DDD (ex.: (11) 98765-4321)")
                })
            })
            .transpose()
        })
        .transpose()?;
    let email = optional(&body.email, "email")?
        .map(|e| {
            e.map(|e| {
                customers::email(&e).ok_or_else(|| {
                    Error::invalid(format!(
                        "E-mail inválido (ex.: nome@exemplo.com.br, até {MAX_EMAIL_CHARS} caracteres)"
                    ))
                })
            })
            .transpose()
        })
        .transpose()?;
    Ok(CustomerChanges { name, document, phone, email })
}

#[utoipa::path(get, path = "/api/customers", tag = "clientes", operation_id = "list_customers", security(("bearer" = [])),
    params(PageQuery, CustomerQuery),
    responses((status = 200, body = CustomerPage)))]
pub async fn list(State(state): State<AppState>, _: CurrentUser, params: Params) -> Result<Json<CustomerPage>> {
    let page = params.page(20)?;
    let (customers, total) = app::customers::list(&state.app, params.get("search"), page).await?;
    Ok(Json(CustomerPage {
        customers: customers.into_iter().map(Customer::from).collect(),
        total,
        pages: page.pages(total),
        current_page: page.page,
    }))
}

#[utoipa::path(get, path = "/api/customers/{id}", tag = "clientes", operation_id = "get_customer", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = Customer),
        (status = 404, description = "Cliente não encontrado", body = super::ErrorBody),
    ))]
pub async fn get(State(state): State<AppState>, _: CurrentUser, Path(id): Path<String>) -> Result<Json<Customer>> {
    let id = path_id(&id, DomainError::CustomerNotFound)?;
    Ok(Json(app::customers::get(&state.app, id).await?.into()))
}

/// Any signed-in user creates customers (the PDV does it without leaving the sale).
#[utoipa::path(post, path = "/api/customers", tag = "clientes", operation_id = "create_customer", security(("bearer" = [])),
    request_body = CustomerBody,
    responses(
        (status = 201, body = Customer),
        (status = 400, description = "Nome ausente, CPF/CNPJ inválido, telefone ou e-mail inválido, ou \"Já existe um \
            cliente com este CPF/CNPJ\"", body = super::ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<CustomerBody>,
) -> Result<(StatusCode, Json<Customer>)> {
    let changes = changes(&body)?;
    let name = changes.name.ok_or_else(|| Error::invalid("Nome do cliente é obrigatório"))?;
    let details = CustomerDetails {
        name,
        document: changes.document.flatten(),
        phone: changes.phone.flatten(),
        email: changes.email.flatten(),
    };
    let customer = app::customers::create(&state.app, &user.actor, details).await?;
    Ok((StatusCode::CREATED, Json(customer.into())))
}

#[utoipa::path(put, path = "/api/customers/{id}", tag = "clientes", operation_id = "update_customer", security(("bearer" = [])),
    request_body = CustomerBody, params(("id" = i64, Path)),
    responses(
        (status = 200, body = Customer),
        (status = 400, description = "Nenhum campo, ou campos inválidos como no cadastro", body = super::ErrorBody),
        (status = 404, description = "Cliente não encontrado", body = super::ErrorBody),
    ))]
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<CustomerBody>,
) -> Result<Json<Customer>> {
    let id = path_id(&id, DomainError::CustomerNotFound)?;
    let changes = changes(&body)?;
    Ok(Json(app::customers::update(&state.app, &user.actor, id, changes).await?.into()))
}
