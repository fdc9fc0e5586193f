//! How the images of product photos travel with a shop. The rows (`product_photos`) are a
//! carried table like any other; the images they name are read from the photo storage and
//! written beside them:
//!
//! - an SQLite backup holds them in a table of its own in the backup file (`db::photos`);
//! - a portable export (and the backup that falls back to it) in its `photo_files` field;
//! - a `pg_dump` archive cannot hold them: they go to a file beside it, `<backup>.fotos`
//!   (gzip-compressed JSON), which a restore of the archive reads when it is there.
//!
//! A restore or an import writes them into the storage the target is configured with (a shop on
//! the disk restored into a deployment on S3 gets them there) before the rows; each image is
//! checked against its key (the SHA-256 of its bytes). A photo whose images did not come and are
//! not in the storage is left out, with a note: the product is restored without it.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

use super::Partial;
use crate::db::schema::ProductPhotoRow;
use crate::domain::photo;
use crate::storage::Photos;

/// One image, as a file carries it (its bytes in base64 in JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoFile {
    pub key: String,
    #[serde(serialize_with = "to_base64", deserialize_with = "from_base64")]
    pub data: Vec<u8>,
}

fn to_base64<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&STANDARD.encode(bytes))
}

fn from_base64<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    let text = String::deserialize(d)?;
    STANDARD.decode(text).map_err(serde::de::Error::custom)
}

/// The keys of every image the rows name, once each.
pub fn keys(rows: &[ProductPhotoRow]) -> BTreeSet<String> {
    rows.iter().flat_map(|r| [r.photo_key.clone(), r.thumb_key.clone()]).collect()
}

/// The images named by `keys`, read from the storage, and the keys it did not have (an image
/// removed after the snapshot was taken: the note says so).
pub async fn collect(
    photos: &Photos,
    keys: impl IntoIterator<Item = String>,
) -> anyhow::Result<(Vec<PhotoFile>, Option<String>)> {
    let mut files = Vec::new();
    let mut missing = 0;
    for key in keys {
        match photos.get(&key).await? {
            Some(data) => files.push(PhotoFile { key, data }),
            None => missing += 1,
        }
    }
    let note = (missing > 0).then(|| {
        format!("{missing} imagem(ns) de fotos não estavam em {} e ficaram fora do backup", photos.describe())
    });
    Ok((files, note))
}

/// Writes the images into the storage, after checking each against its key; then leaves out
/// of `rows` the photos whose images are neither in `files` nor already in the storage.
/// Returns a note when some were left out.
pub async fn restore(
    photos: &Photos,
    files: Vec<PhotoFile>,
    rows: &mut Vec<ProductPhotoRow>,
) -> anyhow::Result<Option<String>> {
    let files = checked(files)?;
    for (key, data) in &files {
        photos.put(key, data.clone()).await?;
    }
    let mut present = BTreeMap::new();
    for key in keys(rows) {
        let here = files.contains_key(&key) || photos.has(&key).await?;
        present.insert(key, here);
    }
    let before = rows.len();
    rows.retain(|r| present[&r.photo_key] && present[&r.thumb_key]);
    let left_out = before - rows.len();
    Ok((left_out > 0).then(|| {
        format!(
            "{left_out} produto(s) ficaram sem foto: as imagens não vieram no arquivo nem estão em {}",
            photos.describe()
        )
    }))
}

/// The images by key, each one's bytes checked against its name.
fn checked(files: Vec<PhotoFile>) -> anyhow::Result<BTreeMap<String, Vec<u8>>> {
    let mut by_key = BTreeMap::new();
    for PhotoFile { key, data } in files {
        if !photo::is_key(&key) {
            bail!("nome de imagem inválido no arquivo: {key:?}");
        }
        if format!("{}.jpg", hex::encode(Sha256::digest(&data))) != key {
            bail!("a imagem {key} do arquivo está corrompida (o conteúdo não confere com o nome)");
        }
        by_key.insert(key, data);
    }
    Ok(by_key)
}

/// The file beside a `pg_dump` archive that holds its images.
pub fn sidecar(backup: &Path) -> PathBuf {
    let mut name = backup.as_os_str().to_owned();
    name.push(".fotos");
    PathBuf::from(name)
}

const SIDECAR_FORMAT: &str = "sistema-vendas-fotos";

#[derive(Serialize, Deserialize)]
struct Sidecar {
    format: String,
    photo_files: Vec<PhotoFile>,
}

/// Writes the images beside a backup (nothing, and any older such file removed, when there are
/// none).
pub fn write_sidecar(backup: &Path, files: Vec<PhotoFile>) -> anyhow::Result<()> {
    let path = sidecar(backup);
    if files.is_empty() {
        let _ = std::fs::remove_file(&path);
        return Ok(());
    }
    let partial = Partial::new(&path)?;
    let file =
        std::fs::File::create(&partial.path).with_context(|| format!("não foi possível criar {}", path.display()))?;
    let mut out = GzEncoder::new(std::io::BufWriter::new(file), Compression::fast());
    serde_json::to_writer(&mut out, &Sidecar { format: SIDECAR_FORMAT.into(), photo_files: files })?;
    out.finish()?.flush()?;
    partial.finish()?;
    Ok(())
}

/// The images beside a backup; none when there is no such file.
pub fn read_sidecar(backup: &Path) -> anyhow::Result<Vec<PhotoFile>> {
    let path = sidecar(backup);
    let Ok(file) = std::fs::File::open(&path) else {
        return Ok(Vec::new());
    };
    let mut json = Vec::new();
    GzDecoder::new(file)
        .read_to_end(&mut json)
        .with_context(|| format!("{}: arquivo de fotos corrompido ou incompleto", path.display()))?;
    let sidecar: Sidecar = serde_json::from_slice(&json)
        .with_context(|| format!("{}: não é um arquivo de fotos deste sistema", path.display()))?;
    if sidecar.format != SIDECAR_FORMAT {
        bail!("{}: não é um arquivo de fotos deste sistema", path.display());
    }
    Ok(sidecar.photo_files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_checked_against_their_names() {
        let data = b"imagem".to_vec();
        let key = format!("{}.jpg", hex::encode(Sha256::digest(&data)));
        assert!(checked(vec![PhotoFile { key: key.clone(), data: data.clone() }]).is_ok());
        let corrupt = PhotoFile { key: key.clone(), data: b"outra".to_vec() };
        assert!(checked(vec![corrupt]).unwrap_err().to_string().contains("corrompida"));
        let traversal = PhotoFile { key: "../../etc/passwd".into(), data };
        assert!(checked(vec![traversal]).unwrap_err().to_string().contains("inválido"));
    }

    #[test]
    fn a_sidecar_keeps_the_images_and_none_means_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let backup = dir.path().join("loja.backup");
        let files = vec![PhotoFile { key: "k".into(), data: vec![0, 255, 7] }];
        write_sidecar(&backup, files.clone()).unwrap();
        assert_eq!(read_sidecar(&backup).unwrap(), files);
        write_sidecar(&backup, Vec::new()).unwrap();
        assert!(!sidecar(&backup).exists());
        assert_eq!(read_sidecar(&backup).unwrap(), Vec::new());
    }
}
