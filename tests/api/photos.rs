//! Product photos through real HTTP: uploaded by an administrator, resized, shown in the product
//! JSON and served to anyone by their address; refused when they are not images or too large;
//! carried by backups, restores, exports and imports into a fresh database and a fresh storage —
//! a folder on the disk, and an S3-compatible bucket on a local S3 server (moto) started here.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::Duration;

use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

/// A PNG of `width` x `height` pixels (a gradient, so that it does not compress to nothing).
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let image = RgbImage::from_fn(width, height, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 120]));
    let mut bytes = Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(image).write_to(&mut bytes, ImageFormat::Png).unwrap();
    bytes.into_inner()
}

fn is_postgres(database_url: &str) -> bool {
    database_url.starts_with("postgres")
}

/// The folder an SQLite database's photos go to by default: `fotos/` beside the file.
fn beside(database_url: &str) -> PathBuf {
    Path::new(database_url.trim_start_matches("sqlite://")).parent().unwrap().join("fotos")
}

/// A shop on a fresh database whose photos go to a folder: by default beside an SQLite
/// database; with PostgreSQL, to a temporary `PHOTOS_DIR`.
struct Shop {
    app: TestApp,
    admin: String,
    product: i64,
    photos_dir: PathBuf,
    /// The environment the server runs with, for the command line on the same shop.
    vars: Vec<(String, String)>,
    _dir: tempfile::TempDir,
}

async fn shop_with(extra: &[(&str, &str)]) -> Shop {
    let dir = tempfile::tempdir().unwrap();
    let (database_url, database) = fresh_database().await;
    let mut vars: Vec<(String, String)> = extra.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let photos_dir = if is_postgres(&database_url) {
        let photos_dir = dir.path().join("fotos-pg");
        vars.push(("PHOTOS_DIR".into(), photos_dir.display().to_string()));
        photos_dir
    } else {
        beside(&database_url)
    };
    let borrowed: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let app = spawn_app_on(database_url, database, &borrowed).await;
    let admin = app.admin_token().await;
    let category = app.create_category(&admin, "Mercearia").await;
    let product = app.create_product(&admin, "Café Torrado 500 g", "18.90", 10, category).await;
    Shop { app, admin, product, photos_dir, vars, _dir: dir }
}

async fn shop() -> Shop {
    shop_with(&[]).await
}

impl Shop {
    fn vars(&self) -> Vec<(&str, &str)> {
        self.vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
    }
}

/// `PUT /api/products/{id}/photo` with `bytes` as the body.
async fn upload(app: &TestApp, token: Option<&str>, product: i64, bytes: Vec<u8>) -> Reply {
    let mut request = app
        .client
        .put(app.url(&format!("/api/products/{product}/photo")))
        .header("content-type", "image/png")
        .body(bytes);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("requisição");
    Reply::of(response).await
}

/// GETs an image without any token: status, headers and bytes.
async fn fetch(app: &TestApp, url: &str) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    let response = app.client.get(app.url(url)).send().await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    (status, headers, response.bytes().await.unwrap().to_vec())
}

fn dimensions(jpeg: &[u8]) -> (u32, u32) {
    let image = image::load_from_memory_with_format(jpeg, ImageFormat::Jpeg).expect("um JPEG");
    (image.width(), image.height())
}

fn key_of(url: &Value) -> String {
    url.as_str().unwrap().rsplit('/').next().unwrap().to_string()
}

#[tokio::test]
async fn an_uploaded_photo_is_resized_kept_and_shown_with_the_product() {
    let shop = shop().await;
    let (app, admin) = (&shop.app, &shop.admin);
    let reply = upload(app, Some(admin), shop.product, png(1600, 1200)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let (photo_url, thumbnail_url) = (reply.body["photo_url"].clone(), reply.body["thumbnail_url"].clone());
    assert!(photo_url.as_str().unwrap().starts_with("/api/photos/"), "{photo_url}");
    assert_ne!(photo_url, thumbnail_url);

    // The product as every reader sees it: alone, in the listing, in a search (the PDV's).
    let product = app.get(&format!("/api/products/{}", shop.product), admin).await.body;
    assert_eq!((&product["photo_url"], &product["thumbnail_url"]), (&photo_url, &thumbnail_url));
    for listing in ["/api/products", "/api/products?search=cafe"] {
        let listed = &app.get(listing, admin).await.body["products"][0];
        assert_eq!((&listed["photo_url"], &listed["thumbnail_url"]), (&photo_url, &thumbnail_url), "{listing}");
    }

    // Served without a token (an <img> sends none), resized, cached for good.
    let (status, headers, photo) = fetch(app, photo_url.as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "image/jpeg");
    assert_eq!(headers["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(dimensions(&photo), (800, 600));
    let (status, _, thumbnail) = fetch(app, thumbnail_url.as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(dimensions(&thumbnail), (160, 120));

    // Kept in the folder (beside the SQLite database by default).
    assert_eq!(std::fs::read(shop.photos_dir.join(key_of(&photo_url))).unwrap(), photo);

    // A new photo replaces the old one, whose images go.
    let reply = upload(app, Some(admin), shop.product, png(300, 600)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_ne!(reply.body["photo_url"], photo_url);
    let (status, _, photo) = fetch(app, reply.body["photo_url"].as_str().unwrap()).await;
    assert_eq!((status, dimensions(&photo)), (StatusCode::OK, (300, 600)), "menor que 800 px: não é ampliada");
    assert_eq!(fetch(app, photo_url.as_str().unwrap()).await.0, StatusCode::NOT_FOUND);
    assert!(!shop.photos_dir.join(key_of(&photo_url)).exists());
}

#[tokio::test]
async fn what_is_not_a_photo_or_too_large_is_refused_in_portuguese_and_changes_nothing() {
    let shop = shop().await;
    let (app, admin) = (&shop.app, &shop.admin);
    let reply = upload(app, Some(admin), shop.product, png(200, 100)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let before = app.get(&format!("/api/products/{}", shop.product), admin).await.body;
    let files_before = std::fs::read_dir(&shop.photos_dir).unwrap().count();

    let cases: [(Vec<u8>, StatusCode, &str); 5] = [
        (
            b"isto nao e uma imagem".to_vec(),
            StatusCode::BAD_REQUEST,
            "Arquivo não é uma imagem JPEG, PNG ou WebP válida",
        ),
        (Vec::new(), StatusCode::BAD_REQUEST, "Arquivo não é uma imagem JPEG, PNG ou WebP válida"),
        (png(100, 100)[..200].to_vec(), StatusCode::BAD_REQUEST, "Arquivo não é uma imagem JPEG, PNG ou WebP válida"),
        (png(12_001, 1), StatusCode::BAD_REQUEST, "Imagem com pixels demais"),
        (
            vec![0x89; 10 * 1024 * 1024 + 1],
            StatusCode::PAYLOAD_TOO_LARGE,
            "Foto muito grande: envie uma imagem de até 10 MB",
        ),
    ];
    for (bytes, status, message) in cases {
        let length = bytes.len();
        let reply = upload(app, Some(admin), shop.product, bytes).await;
        assert_eq!(reply.status, status, "{length} bytes: {}", reply.body);
        assert!(reply.error().starts_with(message), "{length} bytes: {}", reply.body);
    }
    assert_eq!(app.get(&format!("/api/products/{}", shop.product), admin).await.body, before);
    assert_eq!(std::fs::read_dir(&shop.photos_dir).unwrap().count(), files_before, "nenhum arquivo novo");
    let missing = upload(app, Some(admin), 999_999, png(10, 10)).await;
    assert_eq!((missing.status, missing.error()), (StatusCode::NOT_FOUND, "Produto não encontrado"));
    let (status, _, body) = fetch(app, &format!("/api/photos/{}.jpg", "0".repeat(64))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(serde_json::from_slice::<Value>(&body).unwrap()["error"], "Foto não encontrada");
    assert_eq!(fetch(app, "/api/photos/..%2F..%2Fetc%2Fpasswd").await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn employees_see_photos_but_cannot_change_them() {
    let shop = shop().await;
    let (app, admin) = (&shop.app, &shop.admin);
    let (_, employee) = app.create_user(admin, "caixa", "funcionario").await;
    assert_eq!(upload(app, Some(admin), shop.product, png(50, 50)).await.status, StatusCode::OK);
    let before = app.get(&format!("/api/products/{}", shop.product), &employee).await.body;
    assert!(before["photo_url"].is_string(), "{before}");

    let refused = upload(app, Some(&employee), shop.product, png(60, 60)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.error(), "Acesso negado. Apenas administradores podem realizar esta ação");
    let refused = app.delete(&format!("/api/products/{}/photo", shop.product), &employee).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(upload(app, None, shop.product, png(60, 60)).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.get(&format!("/api/products/{}", shop.product), &employee).await.body, before);
}

#[tokio::test]
async fn a_removed_photo_leaves_the_product_without_one() {
    let shop = shop().await;
    let (app, admin) = (&shop.app, &shop.admin);
    let photo_url = upload(app, Some(admin), shop.product, png(90, 90)).await.body["photo_url"].clone();
    let reply = app.delete(&format!("/api/products/{}/photo", shop.product), admin).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.body["photo_url"].is_null() && reply.body["thumbnail_url"].is_null(), "{}", reply.body);
    let product = app.get(&format!("/api/products/{}", shop.product), admin).await.body;
    assert!(product["photo_url"].is_null(), "{product}");
    assert!(app.get("/api/products", admin).await.body["products"][0]["photo_url"].is_null());
    assert_eq!(fetch(app, photo_url.as_str().unwrap()).await.0, StatusCode::NOT_FOUND);
    // Removing again is fine; an unknown product is not.
    assert_eq!(app.delete(&format!("/api/products/{}/photo", shop.product), admin).await.status, StatusCode::OK);
    assert_eq!(app.delete("/api/products/999999/photo", admin).await.status, StatusCode::NOT_FOUND);
}

/// Uploads a photo, takes `command` (backup or export) of the shop with the command line, then
/// loses the shop's photos; returns the photo's URL and bytes.
async fn photo_then(shop: &Shop, command: &str, file: &Path) -> (Value, Vec<u8>) {
    let reply = upload(&shop.app, Some(&shop.admin), shop.product, png(1000, 500)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let photo_url = reply.body["photo_url"].clone();
    let (_, _, bytes) = fetch(&shop.app, photo_url.as_str().unwrap()).await;
    let run = cli_with(&shop.app.database_url, &[command, file.to_str().unwrap()], &shop.vars()).await;
    assert!(run.success, "{command}: {}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("imagens de fotos: 2"), "{}", run.stdout);
    (photo_url, bytes)
}

/// Restores (or imports) `file` into a fresh database with `vars`, starts a server on it, and
/// checks that the product shows the same photo, served from the target's storage.
async fn restored_shows(file: &Path, command: &str, vars: &[(&str, &str)], photo_url: &Value, bytes: &[u8]) -> TestApp {
    let (database_url, database) = fresh_database().await;
    let run = cli_with(&database_url, &[command, file.to_str().unwrap()], vars).await;
    assert!(run.success, "{command}: {}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("imagens de fotos: 2"), "{}", run.stdout);
    let app = spawn_app_on(database_url, database, vars).await;
    let admin = app.admin_token().await;
    let product = &app.get("/api/products", &admin).await.body["products"][0];
    assert_eq!(&product["photo_url"], photo_url, "{product}");
    let (status, _, served) = fetch(&app, photo_url.as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(served, bytes);
    let (status, _, _) = fetch(&app, product["thumbnail_url"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    app
}

#[tokio::test]
async fn a_backup_restored_on_a_fresh_machine_brings_the_photos_back() {
    let shop = shop().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("loja.backup");
    let (photo_url, bytes) = photo_then(&shop, "backup", &file).await;
    std::fs::remove_dir_all(&shop.photos_dir).unwrap();

    // The new machine: another database, an empty photo folder (beside the SQLite database).
    let new_dir = dir.path().join("fotos-novas");
    let vars: Vec<(&str, &str)> =
        if is_postgres(&shop.app.database_url) { vec![("PHOTOS_DIR", new_dir.to_str().unwrap())] } else { Vec::new() };
    let restored = restored_shows(&file, "restore", &vars, &photo_url, &bytes).await;
    let target = if vars.is_empty() { beside(&restored.database_url) } else { new_dir };
    assert!(target.join(key_of(&photo_url)).is_file(), "{}", target.display());
}

#[tokio::test]
async fn an_export_imported_elsewhere_brings_the_photos_back() {
    let shop = shop().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("loja.json.gz");
    let (photo_url, bytes) = photo_then(&shop, "export", &file).await;
    std::fs::remove_dir_all(&shop.photos_dir).unwrap();
    let new_dir = dir.path().join("fotos-novas");
    restored_shows(&file, "import", &[("PHOTOS_DIR", new_dir.to_str().unwrap())], &photo_url, &bytes).await;
    assert!(new_dir.join(key_of(&photo_url)).is_file());
}

/// A local S3-compatible server (moto), stopped when dropped. `scripts/test` installs it; set
/// `MOTO_SERVER` to its path when it is not `moto_server` on the PATH.
struct S3Server {
    endpoint: String,
    _process: tokio::process::Child,
}

impl S3Server {
    async fn start() -> S3Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let program = std::env::var("MOTO_SERVER").unwrap_or_else(|_| "moto_server".into());
        let process = tokio::process::Command::new(&program)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("{program} não pôde ser iniciado ({e}): instale-o com pip install 'moto[server]' (scripts/test o faz)")
            });
        let endpoint = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        for _ in 0..150 {
            if client.get(&endpoint).send().await.is_ok_and(|r| r.status().is_success()) {
                return S3Server { endpoint, _process: process };
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("o servidor S3 local (moto) não respondeu em {endpoint}");
    }

    /// Creates an empty bucket; returns the variables that point the system at it.
    async fn bucket(&self, name: &str) -> Vec<(String, String)> {
        let reply = reqwest::Client::new().put(format!("{}/{name}", self.endpoint)).send().await.unwrap();
        assert!(reply.status().is_success(), "criar o bucket {name}: {}", reply.status());
        [
            ("S3_BUCKET", name),
            ("S3_ENDPOINT", &self.endpoint),
            ("S3_REGION", "us-east-1"),
            ("AWS_ACCESS_KEY_ID", "teste"),
            ("AWS_SECRET_ACCESS_KEY", "teste-segredo"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .to_vec()
    }

    /// Whether the bucket holds an object with `key` (its listing names it).
    async fn holds(&self, bucket: &str, key: &str) -> bool {
        let url = format!("{}/{bucket}?list-type=2", self.endpoint);
        let listing = reqwest::Client::new().get(url).send().await.unwrap().text().await.unwrap();
        listing.contains(&format!("<Key>{key}</Key>"))
    }
}

fn borrow(vars: &[(String, String)]) -> Vec<(&str, &str)> {
    vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

#[tokio::test]
async fn photos_on_s3_are_served_backed_up_and_restored_into_another_bucket() {
    let s3 = S3Server::start().await;
    let source = s3.bucket("loja-origem").await;
    let shop = shop_with(&borrow(&source)).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("loja.backup");
    let (photo_url, bytes) = photo_then(&shop, "backup", &file).await;
    assert!(s3.holds("loja-origem", &key_of(&photo_url)).await, "a foto foi para o bucket");
    assert_eq!(dimensions(&bytes), (800, 400));
    assert!(!shop.photos_dir.exists(), "nada gravado no disco");

    let target = s3.bucket("loja-destino").await;
    restored_shows(&file, "restore", &borrow(&target), &photo_url, &bytes).await;
    assert!(s3.holds("loja-destino", &key_of(&photo_url)).await);
}

#[tokio::test]
async fn a_shop_on_the_disk_restored_into_a_cloud_deployment_gets_its_photos_on_s3() {
    let shop = shop().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("loja.backup");
    let (photo_url, bytes) = photo_then(&shop, "backup", &file).await;
    std::fs::remove_dir_all(&shop.photos_dir).unwrap();

    let s3 = S3Server::start().await;
    let cloud = s3.bucket("nuvem").await;
    restored_shows(&file, "restore", &borrow(&cloud), &photo_url, &bytes).await;
    assert!(s3.holds("nuvem", &key_of(&photo_url)).await);
}
