//! Sessions: JWT access tokens (HS256, `sub` = user id as a string) checked against the
//! database on every request, so that a deleted, deactivated or demoted user loses access at once.

use std::net::IpAddr;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::error::{Error, Result};
use super::input::{JsonBody, Raw, text};
use super::openapi;
use super::proxy::ClientAddress;
use super::users::User;
use crate::app;
use crate::app::auth::UnknownNames;
use crate::domain::DomainError;
use crate::domain::time::Timestamp;
use crate::domain::users::{Actor, Role};

const MISSING_TOKEN: &str = "Token de acesso não fornecido";
const INVALID_TOKEN: &str = "Token de acesso inválido";
const EXPIRED_TOKEN: &str = "Sessão expirada. Faça login novamente";

pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    lifetime: Duration,
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    iat: u64,
    exp: u64,
    /// The user's session version when the token was issued.
    ver: i64,
    role: String,
}

impl JwtKeys {
    pub fn new(secret: &[u8], lifetime: Duration) -> anyhow::Result<JwtKeys> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        validation.set_required_spec_claims(&["exp", "sub"]);
        Ok(JwtKeys {
            encoding: EncodingKey::from_secret(secret)?,
            decoding: DecodingKey::from_secret(secret)?,
            validation,
            lifetime,
        })
    }

    /// A token for the user, and when it expires.
    pub fn issue(&self, id: i64, role: Role, session_version: i64) -> Result<(String, Timestamp)> {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        let exp = now + self.lifetime;
        let claims = Claims {
            sub: id.to_string(),
            iat: now.as_secs(),
            exp: exp.as_secs(),
            ver: session_version,
            role: role.as_str().into(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(anyhow::Error::from)?;
        Ok((token, Timestamp::from_micros(exp.as_micros() as i64)))
    }

    fn verify(&self, token: &str) -> Result<Claims> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).map(|data| data.claims).map_err(|e| {
            Error::Unauthorized(
                if matches!(e.kind(), ErrorKind::ExpiredSignature) { EXPIRED_TOKEN } else { INVALID_TOKEN }.into(),
            )
        })
    }
}

/// The user making the request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub actor: Actor,
    /// The catalog's version when the session was checked (see `db::users::session`).
    pub catalog_version: i64,
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let header = parts.headers.get(AUTHORIZATION).ok_or_else(|| Error::Unauthorized(MISSING_TOKEN.into()))?;
        let token = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer ").or_else(|| h.strip_prefix("bearer ")))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| Error::Unauthorized(INVALID_TOKEN.into()))?;
        let claims = state.jwt.verify(token)?;
        let id: i64 = claims.sub.parse().map_err(|_| Error::Unauthorized(INVALID_TOKEN.into()))?;
        let (actor, catalog_version) = app::auth::session(&state.app, id, claims.ver).await?;
        Ok(CurrentUser { actor, catalog_version })
    }
}

/// The user making the request, who must be an administrator: refused with 403 before the body
/// is read, as the first version did (the use case checks again).
pub struct AdminUser(pub CurrentUser);

impl FromRequestParts<AppState> for AdminUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        user.actor.require_admin()?;
        Ok(AdminUser(user))
    }
}

#[derive(Deserialize, ToSchema)]
pub struct LoginBody {
    #[schema(schema_with = openapi::login_username, required = true)]
    username: Option<Raw>,
    #[schema(schema_with = openapi::password, required = true)]
    password: Option<Raw>,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    access_token: String,
    user: User,
    /// When the token stops working.
    expires_at: Timestamp,
}

#[utoipa::path(post, path = "/api/auth/login", tag = "auth", operation_id = "login", request_body = LoginBody,
    responses(
        (status = 200, description = "Sessão iniciada", body = LoginResponse),
        (status = 400, description = "Username e password são obrigatórios", body = super::ErrorBody),
        (status = 401, description = "Credenciais inválidas, ou usuário desativado", body = super::ErrorBody),
        (status = 429, description = "Muitas falhas recentes deste usuário neste endereço", body = super::ErrorBody,
            headers(("Retry-After" = u64, description = "Segundos a esperar antes de tentar de novo"))),
    ))]
pub async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    JsonBody(body): JsonBody<LoginBody>,
) -> Result<Json<LoginResponse>> {
    let required = || Error::invalid("Username e password são obrigatórios");
    let username = text(&body.username).map_err(|_| required())?.filter(|u| !u.is_empty()).ok_or_else(required)?;
    let password = text(&body.password).map_err(|_| required())?.filter(|p| !p.is_empty()).ok_or_else(required)?;
    let signed_in = check_password(&state, address, &username, password).await?;
    let user = signed_in.user;
    let (access_token, expires_at) = state.jwt.issue(user.id, user.role, signed_in.session_version)?;
    Ok(Json(LoginResponse { access_token, user: user.into(), expires_at }))
}

/// Checks a username and password typed at `address`, under the login limits (a login, or an
/// administrator approving a discount at the PDV: both are guesses an attacker could make).
pub async fn check_password(
    state: &AppState,
    address: IpAddr,
    username: &str,
    password: String,
) -> Result<app::auth::SignedIn> {
    // Counted before the password is checked, so that parallel attempts count too.
    let attempt = state.login_limiter.attempt(username, address).await.map_err(|retry_after| {
        state.metrics.login_blocked();
        tracing::debug!(%address, retry_after, "login adiado: falhas recentes deste usuário neste endereço");
        Error::TooManyRequests { retry_after }
    })?;
    let failed = |user_id: Option<i64>| {
        state.metrics.login_failed();
        for scope in attempt.limits_reached() {
            state.metrics.login_limit_reached(scope);
            tracing::warn!(
                %address,
                limit = scope.as_str(),
                user_id,
                "login: limite de falhas atingido (possível ataque); quem falhou espera cada vez mais"
            );
        }
    };

    // Past a limit, a name that does not exist costs no password check (see `ratelimit`).
    let spare = attempt.spares_unknown_user() && state.login_limiter.can_imitate_check();
    let unknown_names = if spare { UnknownNames::Refuse } else { UnknownNames::CheckDecoy };
    let started = Instant::now();
    let signed_in = match app::auth::login(&state.app, username, password, unknown_names, &address.to_string()).await {
        Ok(signed_in) => signed_in,
        Err(app::Error::Refused(DomainError::UnknownUsername)) => {
            if spare {
                state.login_limiter.imitate_check().await;
                state.metrics.login_check_spared();
            } else {
                state.login_limiter.checked_in(started.elapsed());
            }
            failed(None);
            return Err(DomainError::UnknownUsername.into());
        }
        Err(app::Error::Refused(DomainError::WrongPassword { user_id })) => {
            failed(Some(user_id));
            return Err(DomainError::WrongPassword { user_id }.into());
        }
        Err(other) => return Err(other.into()),
    };
    state.login_limiter.succeeded(attempt).await;
    Ok(signed_in)
}

#[utoipa::path(get, path = "/api/auth/me", tag = "auth", operation_id = "get_current_user", security(("bearer" = [])),
    responses((status = 200, body = User)))]
pub async fn me(State(state): State<AppState>, user: CurrentUser) -> Result<Json<User>> {
    Ok(Json(app::auth::me(&state.app, &user.actor).await?.into()))
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordBody {
    #[schema(schema_with = openapi::password, required = true)]
    current_password: Option<Raw>,
    #[schema(schema_with = openapi::new_password, required = true)]
    new_password: Option<Raw>,
}

/// Changes the caller's own password. Other sessions of the user end; the caller gets a new token.
#[utoipa::path(put, path = "/api/auth/password", tag = "auth", operation_id = "change_password", security(("bearer" = [])),
    request_body = PasswordBody,
    responses(
        (status = 200, description = "Senha alterada; `access_token` novo", body = super::MessageWithToken),
        (status = 400, description = "Campos ausentes, \"Senha atual incorreta\" ou nova senha inválida", body = super::ErrorBody),
    ))]
pub async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<PasswordBody>,
) -> Result<Json<super::MessageWithToken>> {
    let required = || Error::invalid("Senha atual e nova senha são obrigatórias");
    let current =
        text(&body.current_password).map_err(|_| required())?.filter(|p| !p.is_empty()).ok_or_else(required)?;
    let new = text(&body.new_password).map_err(|_| required())?.filter(|p| !p.is_empty()).ok_or_else(required)?;
    let version = app::auth::change_password(&state.app, &user.actor, current, new).await?;
    let Actor::User { id, role, .. } = user.actor else { return Err(DomainError::SessionEnded.into()) };
    let (access_token, expires_at) = state.jwt.issue(id, role, version)?;
    Ok(Json(super::MessageWithToken { message: "Senha alterada com sucesso".into(), access_token, expires_at }))
}
