//! Product photos: an administrator uploads one (it is decoded, scaled and re-encoded by
//! `domain::photo`, its images written to the photo storage, then the row that names them),
//! or removes it; anyone reads the images by key. Images no photo uses any more are removed
//! from the storage; an archived product keeps its photo with its row.

use serde_json::json;

use super::{Context, Error, Result, audit};
use crate::db;
use crate::domain::DomainError;
use crate::domain::audit::{Action, NewEntry};
use crate::domain::catalog::Product;
use crate::domain::photo::{self, PhotoError, ProductPhoto};
use crate::domain::time::Timestamp;
use crate::domain::users::Actor;

/// Sets (or replaces) the photo of an active product from the bytes uploaded.
pub async fn set(ctx: &Context, actor: &Actor, product_id: i64, upload: Vec<u8>) -> Result<Product> {
    actor.require_admin()?;
    db::products::get(&mut *ctx.db.read.acquire().await?, product_id).await?.ok_or(DomainError::ProductNotFound)?;
    let prepared = tokio::task::spawn_blocking(move || photo::prepare(&upload))
        .await
        .map_err(anyhow::Error::from)?
        .map_err(DomainError::from)?;
    // The images first: a row never names an image that is not there.
    for image in [&prepared.thumbnail, &prepared.photo] {
        ctx.photos.put(&image.key, image.bytes.clone()).await.map_err(Error::Unavailable)?;
    }
    let photo = ProductPhoto::new(product_id, &prepared, Timestamp::now());
    let mut tx = ctx.db.begin().await?;
    // Archived meanwhile: its photo cannot change any more.
    db::products::get(&mut tx, product_id).await?.ok_or(DomainError::ProductNotFound)?;
    let previous = db::photos::get(&mut *tx, product_id).await?;
    db::photos::save(&mut tx, &photo).await?;
    let view = json!({"foto": photo.photo_key, "miniatura": photo.thumb_key});
    audit::commit(
        ctx,
        tx,
        &[NewEntry::new(&audit::who(actor), Action::ProductPhotoChanged, Some(("produto", product_id)), view)],
    )
    .await?;
    if let Some(previous) = previous {
        forget(ctx, &previous).await;
    }
    super::catalog::product(ctx, product_id, None).await
}

/// Removes the photo of an active product (one without a photo is left as it is).
pub async fn remove(ctx: &Context, actor: &Actor, product_id: i64) -> Result<Product> {
    actor.require_admin()?;
    let mut tx = ctx.db.begin().await?;
    db::products::get(&mut tx, product_id).await?.ok_or(DomainError::ProductNotFound)?;
    let previous = db::photos::delete(&mut tx, product_id).await?;
    if previous.is_some() {
        let entry = NewEntry::new(
            &audit::who(actor),
            Action::ProductPhotoChanged,
            Some(("produto", product_id)),
            json!({"foto": null}),
        );
        audit::commit(ctx, tx, &[entry]).await?;
    } else {
        tx.commit().await?;
    }
    if let Some(previous) = previous {
        forget(ctx, &previous).await;
    }
    super::catalog::product(ctx, product_id, None).await
}

/// The bytes of an image (a JPEG) by its key. Public: keys are the hash of the image, so only
/// someone who was shown one can ask for it.
pub async fn image(ctx: &Context, key: &str) -> Result<Vec<u8>> {
    if !photo::is_key(key) {
        return Err(DomainError::from(PhotoError::NoPhoto).into());
    }
    ctx.photos.get(key).await.map_err(Error::Unavailable)?.ok_or_else(|| DomainError::from(PhotoError::NoPhoto).into())
}

/// Removes the images of a photo that no product uses any more. A failure leaves an image
/// nobody names, which harms nothing: it is logged, not answered.
async fn forget(ctx: &Context, previous: &ProductPhoto) {
    for key in previous.keys() {
        let removed = async {
            if !db::photos::is_used(&ctx.db.read, key).await? {
                ctx.photos.delete(key).await?;
            }
            anyhow::Ok(())
        };
        if let Err(e) = removed.await {
            tracing::warn!(key, error = format!("{e:#}"), "imagem antiga da foto não removida");
        }
    }
}
