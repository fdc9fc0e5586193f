//! The HTTP face of every failure: client errors are answered with their status and a
//! Portuguese message as `{"error": ...}` (the first version's messages, word for word); server
//! errors are logged with their cause and the request id and answered generically.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::app;
use crate::domain::DomainError;
use crate::domain::catalog::Quantity;
use crate::domain::photo::PhotoError;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What is wrong in one line and column of an uploaded file (lines count from 1, the header).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct RowError {
    pub line: usize,
    pub column: String,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// 400: the request is not acceptable as sent.
    #[error("{0}")]
    Invalid(String),
    /// 401: no valid session.
    #[error("{0}")]
    Unauthorized(String),
    /// 403: valid session, not allowed.
    #[error("{0}")]
    Forbidden(String),
    /// 404: no such resource.
    #[error("{0}")]
    NotFound(String),
    /// 409: in conflict with the resource's state (a sale already cancelled, a cash session
    /// already open).
    #[error("{0}")]
    Conflict(String),
    /// 422: understood, but in conflict with what the same request key did before.
    #[error("{0}")]
    Unprocessable(String),
    /// A line of a sale, or a stock change, that cannot be served: the body also names the
    /// product (and what it has), so that a client can point at the right line.
    #[error("{message}")]
    Line { status: StatusCode, message: String, product_id: i64, available: Option<Quantity> },
    /// 400: lines of a file that cannot be read, each with its line and column.
    #[error("{message}")]
    Rows { message: String, errors: Vec<RowError> },
    /// 502: a device the server talks to for the client (the receipt printer) failed.
    #[error("{0}")]
    BadGateway(String),
    /// 413: the body is larger than the server accepts.
    #[error("Corpo da requisição muito grande")]
    PayloadTooLarge,
    /// 413, with what the limit is.
    #[error("{0}")]
    TooLarge(String),
    /// 429: too many attempts; try again after the given number of seconds.
    #[error("Muitas tentativas. Tente novamente em {retry_after} segundos")]
    TooManyRequests { retry_after: u64 },
    /// 503: the database cannot be reached right now.
    #[error("Serviço temporariamente indisponível")]
    Unavailable(#[source] anyhow::Error),
    /// 500: a bug or an unexpected failure.
    #[error("Erro interno do servidor")]
    Internal(#[from] anyhow::Error),
}

impl Error {
    pub fn invalid(message: impl Into<String>) -> Error {
        Error::Invalid(message.into())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Error::Invalid(_) | Error::Rows { .. } => StatusCode::BAD_REQUEST,
            Error::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Error::Forbidden(_) => StatusCode::FORBIDDEN,
            Error::NotFound(_) => StatusCode::NOT_FOUND,
            Error::Conflict(_) => StatusCode::CONFLICT,
            Error::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Error::Line { status, .. } => *status,
            Error::PayloadTooLarge | Error::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Error::BadGateway(_) => StatusCode::BAD_GATEWAY,
            Error::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Error::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// The status each rule of the shop is answered with.
impl From<DomainError> for Error {
    fn from(rule: DomainError) -> Error {
        let message = rule.to_string();
        match rule {
            DomainError::AdminOnly
            | DomainError::NotYourSale
            | DomainError::NotASeller
            | DomainError::NotYourCashSession
            | DomainError::DiscountNeedsApproval { .. }
            | DomainError::ApprovalRefused => Error::Forbidden(message),
            DomainError::ProductNotFound
            | DomainError::CategoryNotFound
            | DomainError::UserNotFound
            | DomainError::SaleNotFound
            | DomainError::CustomerNotFound
            | DomainError::StoreNotFound
            | DomainError::TerminalNotFound
            | DomainError::TransferNotFound
            | DomainError::CashSessionNotFound => Error::NotFound(message),
            DomainError::NotYourStore { .. } => Error::Forbidden(message),
            DomainError::StoreArchived { .. }
            | DomainError::TerminalArchived { .. }
            | DomainError::LastStore
            | DomainError::TransferClosed { .. } => Error::Conflict(message),
            DomainError::StoreNameTaken
            | DomainError::TerminalNameTaken
            | DomainError::TerminalOfOtherStore { .. }
            | DomainError::StoreRequired
            | DomainError::TransferToSameStore
            | DomainError::CashSessionOfOtherStore { .. }
            | DomainError::EmployeeWithoutStore => Error::Unprocessable(message),
            DomainError::SaleAlreadyCancelled
            | DomainError::ReturnOfCancelledSale
            | DomainError::ReturnAboveSold { .. }
            | DomainError::CashSessionRequired
            | DomainError::CashSessionAlreadyOpen
            | DomainError::NoOpenCashSession
            | DomainError::CashSessionClosed
            | DomainError::PixNotConfigured
            | DomainError::PrinterNotConfigured
            | DomainError::UnitChanged
            | DomainError::NothingToReview
            | DomainError::AlreadyReviewed => Error::Conflict(message),
            DomainError::PrinterFailed(_) => Error::BadGateway(message),
            DomainError::Photo(PhotoError::TooLarge) => Error::TooLarge(message),
            DomainError::Photo(PhotoError::NoPhoto) => Error::NotFound(message),
            DomainError::UnknownUsername
            | DomainError::WrongPassword { .. }
            | DomainError::UserDeactivated
            | DomainError::SessionEnded => Error::Unauthorized(message),
            DomainError::IdempotencyKeyReused
            | DomainError::ClientIdTaken
            | DomainError::ClientIdRecorded
            | DomainError::CashSessionOfAnother { .. } => Error::Unprocessable(message),
            DomainError::NotYourSaleToSend => Error::Forbidden(message),
            DomainError::SoldInTheFuture | DomainError::SoldTooLongAgo { .. } => Error::Invalid(message),
            DomainError::PriceNotInHistory { product_id, .. } => {
                Error::Line { status: StatusCode::UNPROCESSABLE_ENTITY, message, product_id, available: None }
            }
            DomainError::UnknownProduct { product_id } => {
                Error::Line { status: StatusCode::NOT_FOUND, message, product_id, available: None }
            }
            DomainError::OutOfStock { product_id, available, .. }
            | DomainError::AdjustmentBelowZero { product_id, available }
            | DomainError::StockAboveLimit { product_id, available } => {
                Error::Line { status: StatusCode::BAD_REQUEST, message, product_id, available: Some(available) }
            }
            DomainError::WholeUnitsOnly { product_id } | DomainError::ProductInactive { product_id, .. } => {
                Error::Line { status: StatusCode::BAD_REQUEST, message, product_id, available: None }
            }
            DomainError::UnknownCode { .. } | DomainError::UnknownScaleProduct { .. } => Error::NotFound(message),
            DomainError::ImportLine { line, column, error } => Error::Rows {
                message,
                errors: vec![RowError { line, column: column.to_string(), message: error.to_string() }],
            },
            DomainError::QuantityTooLarge
            | DomainError::TotalTooLarge
            | DomainError::NothingToChange
            | DomainError::CodeTaken
            | DomainError::InvalidBarcode { .. }
            | DomainError::BarcodeRepeated { .. }
            | DomainError::TooManyBarcodes
            | DomainError::BarcodeTaken
            | DomainError::UnitChangeWithHistory
            | DomainError::InvalidLabelMask
            | DomainError::InvalidLabel { .. }
            | DomainError::WeightLabelOfWholeUnits { .. }
            | DomainError::CountUnchanged
            | DomainError::CategoryExists
            | DomainError::DocumentTaken
            | DomainError::CategoryNameTaken
            | DomainError::CategoryInUse
            | DomainError::UserExists
            | DomainError::UsernameTaken
            | DomainError::LastAdmin
            | DomainError::CannotDeactivateSelf
            | DomainError::CannotDeleteSelf
            | DomainError::PasswordTooShort
            | DomainError::PasswordTooLong
            | DomainError::UsernameRequired
            | DomainError::UsernameTooLong
            | DomainError::UsernameInvalid
            | DomainError::WrongCurrentPassword
            | DomainError::DiscountAboveAmount
            | DomainError::RepeatedDiscountedLine { .. }
            | DomainError::RepeatedPricedLine { .. }
            | DomainError::PaymentsShort { .. }
            | DomainError::PaymentsAboveTotal
            | DomainError::TenderedNotCash
            | DomainError::TenderedBelowAmount
            | DomainError::PaymentMethodMismatch
            | DomainError::ItemNotInSale { .. }
            | DomainError::WithdrawalAboveCash { .. }
            | DomainError::Pix(_)
            | DomainError::Document(_)
            | DomainError::SettingTooLong { .. }
            | DomainError::PrinterAddress(_)
            | DomainError::Photo(PhotoError::NotAnImage | PhotoError::TooManyPixels) => Error::Invalid(message),
        }
    }
}

impl From<app::Error> for Error {
    fn from(error: app::Error) -> Error {
        match error {
            app::Error::Refused(rule) => rule.into(),
            app::Error::Unavailable(cause) => Error::Unavailable(cause),
            app::Error::Internal(cause) => Error::Internal(cause),
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = match &self {
            Error::Line { message, product_id, available, .. } => {
                json!({ "error": message, "product_id": product_id, "available": available })
            }
            Error::Rows { message, errors } => json!({ "error": message, "errors": errors }),
            Error::Internal(cause) => {
                tracing::error!(error = ?cause, "erro interno");
                json!({ "error": self.to_string() })
            }
            Error::Unavailable(cause) => {
                tracing::warn!(error = %cause, "banco de dados indisponível");
                json!({ "error": self.to_string() })
            }
            _ => json!({ "error": self.to_string() }),
        };
        let mut response = (status, axum::Json(body)).into_response();
        if let Error::TooManyRequests { retry_after } = self {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        }
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        response
    }
}
