//! The photo storage, an outbound adapter like `db` and `printer`: where the images of product
//! photos are kept, by key (`domain::photo::Image::key`). One code path over the `object_store`
//! crate, on a folder of the disk (by default `fotos/` beside the SQLite database) or on an
//! S3-compatible bucket (AWS S3, MinIO, Cloudflare R2, ...), as the configuration says
//! (`config::PhotoStorage`). Keys name their content, so an object is written once and never
//! changes; writing it again is harmless.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, RetryConfig};

use crate::config::PhotoStorage;

#[derive(Clone)]
pub struct Photos {
    store: Arc<dyn ObjectStore>,
    /// Where the keys live in the store (a folder's absolute path; the bucket's root).
    prefix: Path,
    description: Arc<str>,
}

impl std::fmt::Debug for Photos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.description)
    }
}

impl Photos {
    /// The configured storage. Touches nothing yet: a folder is created by the first photo, and
    /// a bucket is first reached then.
    pub fn open(storage: &PhotoStorage) -> anyhow::Result<Photos> {
        let description = storage.describe().into();
        match storage {
            PhotoStorage::Dir(dir) => {
                let dir = std::path::absolute(dir)
                    .with_context(|| format!("PHOTOS_DIR: caminho inválido: {}", dir.display()))?;
                let prefix = Path::from_absolute_path(&dir)
                    .with_context(|| format!("PHOTOS_DIR: caminho inválido: {}", dir.display()))?;
                Ok(Photos { store: Arc::new(LocalFileSystem::new()), prefix, description })
            }
            PhotoStorage::S3(s3) => {
                let mut builder = AmazonS3Builder::new()
                    .with_bucket_name(&s3.bucket)
                    .with_region(&s3.region)
                    .with_retry(RetryConfig {
                        max_retries: 3,
                        retry_timeout: Duration::from_secs(20),
                        ..RetryConfig::default()
                    });
                if let Some(endpoint) = &s3.endpoint {
                    builder = builder.with_endpoint(endpoint).with_allow_http(endpoint.starts_with("http://"));
                }
                if let (Some(id), Some(secret)) = (&s3.access_key_id, &s3.secret_access_key) {
                    builder = builder.with_access_key_id(id).with_secret_access_key(secret);
                }
                let store =
                    builder.build().context("configuração do S3 inválida (S3_BUCKET, S3_ENDPOINT, S3_REGION)")?;
                Ok(Photos { store: Arc::new(store), prefix: Path::default(), description })
            }
        }
    }

    fn path(&self, key: &str) -> Path {
        self.prefix.clone().join(key)
    }

    /// Keeps `bytes` under `key` (atomically: the object is whole or absent).
    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> anyhow::Result<()> {
        self.store
            .put(&self.path(key), bytes.into())
            .await
            .with_context(|| format!("não foi possível gravar a foto {key} em {}", self.description))?;
        Ok(())
    }

    /// The bytes kept under `key`; None when there are none.
    pub async fn get(&self, key: &str) -> anyhow::Result<Option<Vec<u8>>> {
        let read = async { self.store.get(&self.path(key)).await?.bytes().await };
        match read.await {
            Ok(bytes) => Ok(Some(bytes.to_vec())),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e).with_context(|| format!("não foi possível ler a foto {key} em {}", self.description)),
        }
    }

    /// Whether something is kept under `key`.
    pub async fn has(&self, key: &str) -> anyhow::Result<bool> {
        match self.store.head(&self.path(key)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => {
                Err(e).with_context(|| format!("não foi possível consultar a foto {key} em {}", self.description))
            }
        }
    }

    /// Removes what is kept under `key` (nothing there is fine).
    pub async fn delete(&self, key: &str) -> anyhow::Result<()> {
        match self.store.delete(&self.path(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e).with_context(|| format!("não foi possível remover a foto {key} de {}", self.description)),
        }
    }

    pub fn describe(&self) -> &str {
        &self.description
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_folder_is_created_by_the_first_photo_and_keeps_it_by_key() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("dados").join("fotos");
        let photos = Photos::open(&PhotoStorage::Dir(dir.clone())).unwrap();
        assert!(!dir.exists(), "nada criado antes da primeira foto");
        assert_eq!(photos.get("a.jpg").await.unwrap(), None);
        assert!(!photos.has("a.jpg").await.unwrap());
        photos.put("a.jpg", b"jpeg".to_vec()).await.unwrap();
        assert_eq!(std::fs::read(dir.join("a.jpg")).unwrap(), b"jpeg");
        assert_eq!(photos.get("a.jpg").await.unwrap().as_deref(), Some(&b"jpeg"[..]));
        assert!(photos.has("a.jpg").await.unwrap());
        photos.delete("a.jpg").await.unwrap();
        photos.delete("a.jpg").await.unwrap();
        assert_eq!(photos.get("a.jpg").await.unwrap(), None);
    }
}
