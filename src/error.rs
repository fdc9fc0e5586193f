//! The one error type of the system. Client errors carry a message in Portuguese that is sent
//! as `{"error": ...}`; server errors are logged with their cause and answered generically.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

pub type Result<T, E = Error> = std::result::Result<T, E>;

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
    /// An item of a sale (or a stock change) that cannot be served: 404 for an unknown product,
    /// 400 for missing stock. Carries the product so a client can point at the right line.
    #[error("{message}")]
    Item { message: String, product_id: i64, available: Option<i64>, unknown_product: bool },
    /// 413: the body is larger than the server accepts.
    #[error("Corpo da requisição muito grande")]
    PayloadTooLarge,
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

    pub fn not_found(message: impl Into<String>) -> Error {
        Error::NotFound(message.into())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Error::Invalid(_) => StatusCode::BAD_REQUEST,
            Error::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Error::Forbidden(_) => StatusCode::FORBIDDEN,
            Error::NotFound(_) => StatusCode::NOT_FOUND,
            Error::Item { unknown_product: true, .. } => StatusCode::NOT_FOUND,
            Error::Item { .. } => StatusCode::BAD_REQUEST,
            Error::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Error::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Error::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// Database failures: an unreachable database is a 503 the client may retry; anything else is
/// a 500. Constraint violations that a client can cause are turned into 4xx where they happen.
impl From<sqlx::Error> for Error {
    fn from(error: sqlx::Error) -> Error {
        match error {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) => {
                Error::Unavailable(error.into())
            }
            sqlx::Error::Database(ref e) if e.code().is_some_and(|code| is_unavailable_code(&code)) => {
                Error::Unavailable(error.into())
            }
            other => Error::Internal(other.into()),
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = match &self {
            Error::Item { message, product_id, available, .. } => {
                json!({ "error": message, "product_id": product_id, "available": available })
            }
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

/// Database error codes that mean "not now" rather than "never": PostgreSQL's connection
/// exceptions (SQLSTATE class 08), the ends of a connection an operator or the server caused
/// (57P01-57P05: shutdowns, a database dropped, an idle session ended) and the database
/// missing when connecting (3D000, after a drop), and SQLite's busy and locked (extended) codes
/// once `busy_timeout` ran out.
fn is_unavailable_code(code: &str) -> bool {
    if code.len() == 5 {
        return code.starts_with("08") || code.starts_with("57P") || code == "3D000";
    }
    code.parse::<u32>().is_ok_and(|sqlite| matches!(sqlite & 0xff, 5 | 6))
}

/// True when a database error is a unique-constraint violation (same on SQLite and PostgreSQL).
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_unique_violation())
}

#[cfg(test)]
mod tests {
    use super::is_unavailable_code;

    #[test]
    fn lost_connections_and_busy_databases_are_unavailable_not_internal() {
        for code in ["08006", "08003", "57P01", "57P03", "57P04", "57P05", "3D000", "5", "6", "517", "261"] {
            assert!(is_unavailable_code(code), "{code}");
        }
        for code in ["23505", "23503", "40001", "42601", "22005", "57014", "0A000", "55000", "19", "2067", "1"] {
            assert!(!is_unavailable_code(code), "{code}");
        }
    }
}
