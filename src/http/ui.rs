//! The web UI, embedded in the release binary (read from `web/dist` on disk in debug builds).
//! Hashed assets are cached for a year; every other path that is not a file gets `index.html`,
//! so that deep links like `/produtos` work.

use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "web/dist"]
struct Assets;

const NOT_BUILT: &str = "<!doctype html><html lang=\"pt-BR\"><meta charset=\"utf-8\"><title>Sistema de Vendas</title>\
<p>A interface web não foi compilada neste binário. Compile com Node.js 20+ instalado \
(<code>cargo build --release</code>) ou use a API em <code>/api</code>.</p></html>";

pub async fn serve(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    if let Some(file) = (!path.is_empty()).then(|| Assets::get(path)).flatten() {
        let cache = if path.starts_with("assets/") { "public, max-age=31536000, immutable" } else { "no-cache" };
        return file_response(path, file.data.into_owned(), cache);
    }
    // A missing file (it has an extension) is a 404; anything else is a page of the app.
    let last_segment = path.rsplit('/').next().unwrap_or_default();
    if last_segment.contains('.') {
        return (StatusCode::NOT_FOUND, "Arquivo não encontrado").into_response();
    }
    match Assets::get("index.html") {
        Some(index) => file_response("index.html", index.data.into_owned(), "no-cache"),
        None => Html(NOT_BUILT).into_response(),
    }
}

fn file_response(path: &str, body: Vec<u8>, cache: &'static str) -> Response {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let mut response = body.into_response();
    let headers = response.headers_mut();
    if let Ok(content_type) = HeaderValue::from_str(mime.as_ref()) {
        headers.insert(header::CONTENT_TYPE, content_type);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}
