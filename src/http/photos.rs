//! Product photos: `PUT /api/products/{id}/photo` with the image as the request's body,
//! `DELETE /api/products/{id}/photo` (administrators), and the images themselves at
//! `GET /api/photos/{key}`, open to anyone (an `<img>` sends no token): the key is the hash of
//! the image, known only to whom the product was shown, and its bytes never change, so they
//! are cached for a year. The binary serves them from either storage, so the web UI's
//! Content-Security-Policy (`img-src 'self'`) holds and a bucket need not be public.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use utoipa::ToSchema;

use super::AppState;
use super::auth::CurrentUser;
use super::error::{Error, Result};
use super::input::path_id;
use super::products::Product;
use crate::app;
use crate::domain::DomainError;
use crate::domain::photo::{CONTENT_TYPE, MAX_UPLOAD_BYTES, PhotoError};

/// Where the image with `key` is served.
pub fn url(key: &str) -> String {
    format!("/api/photos/{key}")
}

/// The bytes of a JPEG, PNG or WebP image, up to 10 MB and 40 megapixels.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
pub struct PhotoUpload(Vec<u8>);

fn too_large() -> Error {
    DomainError::from(PhotoError::TooLarge).into()
}

#[utoipa::path(put, path = "/api/products/{id}/photo", tag = "produtos", operation_id = "set_product_photo",
    security(("bearer" = [])), params(("id" = i64, Path)),
    request_body(content(
        (PhotoUpload = "image/jpeg"), (PhotoUpload = "image/png"), (PhotoUpload = "image/webp"),
        (PhotoUpload = "application/octet-stream")),
        description = "Os bytes da imagem (JPEG, PNG ou WebP; até 10 MB e 40 megapixels). O servidor a reduz a \
                       800 px (e uma miniatura de 160 px) e a grava como JPEG, sem metadados."),
    responses(
        (status = 200, description = "O produto, com photo_url e thumbnail_url", body = Product),
        (status = 400, description = "O corpo não é uma imagem JPEG, PNG ou WebP, ou tem pixels demais", body = super::ErrorBody),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
        (status = 404, description = "Produto não encontrado", body = super::ErrorBody),
        (status = 413, description = "Imagem maior que 10 MB", body = super::ErrorBody),
    ))]
pub async fn set(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    body: Body,
) -> Result<Json<Product>> {
    let id = path_id(&id, DomainError::ProductNotFound)?;
    user.actor.require_admin()?;
    // Read up to the limit (the 1 MiB of JSON bodies does not apply here).
    let upload = axum::body::to_bytes(body, MAX_UPLOAD_BYTES).await.map_err(|_| too_large())?;
    Ok(Json(app::photos::set(&state.app, &user.actor, id, upload.to_vec()).await?.into()))
}

#[utoipa::path(delete, path = "/api/products/{id}/photo", tag = "produtos", operation_id = "delete_product_photo",
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses(
        (status = 200, description = "O produto, sem foto (também quando ele não tinha uma)", body = Product),
        (status = 403, description = "Só administradores", body = super::ErrorBody),
        (status = 404, description = "Produto não encontrado", body = super::ErrorBody),
    ))]
pub async fn delete(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> Result<Json<Product>> {
    let id = path_id(&id, DomainError::ProductNotFound)?;
    Ok(Json(app::photos::remove(&state.app, &user.actor, id).await?.into()))
}

#[utoipa::path(get, path = "/api/photos/{key}", tag = "produtos", operation_id = "get_photo",
    params(("key" = String, Path, description = "O nome da imagem, como em photo_url e thumbnail_url")),
    responses(
        (status = 200, description = "A imagem (JPEG), com cache de um ano: o nome muda quando a foto muda",
            content_type = "image/jpeg", body = PhotoUpload),
        (status = 404, description = "Foto não encontrada", body = super::ErrorBody),
    ))]
pub async fn image(State(state): State<AppState>, Path(key): Path<String>) -> Result<Response> {
    let bytes = app::photos::image(&state.app, &key).await?;
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE)),
        (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable")),
    ];
    Ok((headers, bytes).into_response())
}
