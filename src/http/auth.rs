//! Sessions: JWT access tokens (HS256, `sub` = user id as a string) checked against the
//! database on every request, so that a deleted, deactivated or demoted user loses access at once.

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
use super::input::{JsonBody, Raw, text};
use super::proxy::ClientAddress;
use crate::db;
use crate::domain::passwords::{self, Verified};
use crate::domain::text::clean_name;
use crate::domain::time::Timestamp;
use crate::domain::users::{Role, User, check_new_password};
use crate::error::{Error, Result};

pub const FORBIDDEN_NOT_ADMIN: &str = "Acesso negado. Apenas administradores podem realizar esta ação";
const MISSING_TOKEN: &str = "Token de acesso não fornecido";
const INVALID_TOKEN: &str = "Token de acesso inválido";
const EXPIRED_TOKEN: &str = "Sessão expirada. Faça login novamente";
const ENDED_SESSION: &str = "Sessão encerrada. Faça login novamente";

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
    pub id: i64,
    pub username: String,
    pub role: Role,
    /// The catalog's version when the session was checked (see `db::users::session`).
    pub catalog_version: i64,
}

impl CurrentUser {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
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
        match db::users::session(&state.db.read, id).await? {
            Some((user, catalog_version)) if user.active && user.session_version == claims.ver => {
                Ok(CurrentUser { id: user.id, username: user.username, role: user.role, catalog_version })
            }
            _ => Err(Error::Unauthorized(ENDED_SESSION.into())),
        }
    }
}

/// The user making the request, who must be an administrator.
pub struct AdminUser(pub CurrentUser);

impl FromRequestParts<AppState> for AdminUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        if user.is_admin() { Ok(AdminUser(user)) } else { Err(Error::Forbidden(FORBIDDEN_NOT_ADMIN.into())) }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct LoginBody {
    #[schema(value_type = String)]
    username: Option<Raw>,
    #[schema(value_type = String)]
    password: Option<Raw>,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    access_token: String,
    user: User,
    /// When the token stops working.
    expires_at: Timestamp,
}

#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginBody,
    responses(
        (status = 200, description = "Sessão iniciada", body = LoginResponse),
        (status = 400, description = "Username e password são obrigatórios", body = super::ErrorBody),
        (status = 401, description = "Credenciais inválidas", body = super::ErrorBody),
        (status = 429, description = "Muitas tentativas", body = super::ErrorBody),
    ))]
pub async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    JsonBody(body): JsonBody<LoginBody>,
) -> Result<Json<LoginResponse>> {
    let required = || Error::invalid("Username e password são obrigatórios");
    let username = text(&body.username).map_err(|_| required())?.filter(|u| !u.is_empty()).ok_or_else(required)?;
    let password = text(&body.password).map_err(|_| required())?.filter(|p| !p.is_empty()).ok_or_else(required)?;
    let invalid = || Error::Unauthorized("Credenciais inválidas".into());
    // Counted before the password is checked, so that parallel attempts count too.
    let attempt = state.login_limiter.attempt(&username, address).await.map_err(|retry_after| {
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
        invalid()
    };

    let mut user = db::users::credentials_by_username(&state.db.read, &username).await?;
    // Usernames are stored in NFC and trimmed; older ones (imported) are found as they were typed.
    if let Some(stored_form) = clean_name(&username).filter(|n| user.is_none() && *n != username) {
        user = db::users::credentials_by_username(&state.db.read, &stored_form).await?;
    }
    let Some(user) = user else {
        if attempt.spares_unknown_user() && state.login_limiter.imitate_check().await {
            state.metrics.login_check_spared();
        } else {
            // Spend the same time as for a real user, so that names cannot be probed by timing.
            let started = Instant::now();
            passwords::verify(password, state.decoy_hash.to_string()).await;
            state.login_limiter.checked_in(started.elapsed());
        }
        return Err(failed(None));
    };
    let verified = passwords::verify(password.clone(), user.password_hash.clone()).await;
    if verified == Verified::No {
        return Err(failed(Some(user.id)));
    }
    if !user.active {
        return Err(Error::Unauthorized("Usuário desativado. Procure o administrador".into()));
    }
    if verified == Verified::YesUpgrade {
        let new_hash = passwords::hash(password, state.config.bcrypt_cost).await?;
        db::users::upgrade_password_hash(&state.db.write, user.id, &user.password_hash, &new_hash).await?;
    }
    let (access_token, expires_at) = state.jwt.issue(user.id, user.role, user.session_version)?;
    let user = db::users::get(&state.db.read, user.id).await?.ok_or_else(invalid)?;
    state.login_limiter.succeeded(attempt).await;
    Ok(Json(LoginResponse { access_token, user, expires_at }))
}

#[utoipa::path(get, path = "/api/auth/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = User), (status = 401, body = super::ErrorBody)))]
pub async fn me(State(state): State<AppState>, user: CurrentUser) -> Result<Json<User>> {
    let user =
        db::users::get(&state.db.read, user.id).await?.ok_or_else(|| Error::Unauthorized(ENDED_SESSION.into()))?;
    Ok(Json(user))
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordBody {
    #[schema(value_type = String)]
    current_password: Option<Raw>,
    #[schema(value_type = String)]
    new_password: Option<Raw>,
}

/// Changes the caller's own password. Other sessions of the user end; the caller gets a new token.
#[utoipa::path(put, path = "/api/auth/password", tag = "auth", security(("bearer" = [])), request_body = PasswordBody,
    responses(
        (status = 200, description = "Senha alterada; `access_token` novo", body = super::MessageWithToken),
        (status = 400, body = super::ErrorBody),
        (status = 401, body = super::ErrorBody),
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
    check_new_password(&new).map_err(Error::invalid)?;
    let credentials = db::users::credentials_by_id(&state.db.read, user.id)
        .await?
        .ok_or_else(|| Error::Unauthorized(ENDED_SESSION.into()))?;
    if passwords::verify(current, credentials.password_hash).await == Verified::No {
        return Err(Error::invalid("Senha atual incorreta"));
    }
    let hash = passwords::hash(new, state.config.bcrypt_cost).await?;
    let version = db::users::set_password(&state.db.write, user.id, &hash)
        .await?
        .ok_or_else(|| Error::Unauthorized(ENDED_SESSION.into()))?;
    let (access_token, expires_at) = state.jwt.issue(user.id, user.role, version)?;
    Ok(Json(super::MessageWithToken { message: "Senha alterada com sucesso".into(), access_token, expires_at }))
}
