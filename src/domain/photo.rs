//! A product's photo as the shop keeps it: whatever the administrator uploads (JPEG, PNG or
//! WebP, up to [`MAX_UPLOAD_BYTES`] and [`MAX_PIXELS`]) is decoded, turned upright (EXIF
//! orientation), flattened onto white, and re-encoded as JPEG in two sizes: the photo (at most
//! [`PHOTO_SIZE`] px on its longer side) and the thumbnail the lists show (at most
//! [`THUMB_SIZE`] px). Re-encoding drops every metadata the file had (GPS position, camera).
//! Each image is named by the SHA-256 of its bytes ([`Image::key`]), so a name always means
//! the same bytes and can be cached for ever. Pure: bytes in, bytes out.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageReader, Rgb, RgbImage};
use sha2::{Digest, Sha256};

/// The largest upload accepted.
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;
/// The most pixels an upload may have (a 40-megapixel camera's photo), and the longest side.
pub const MAX_PIXELS: u64 = 40_000_000;
pub const MAX_SIDE: u32 = 12_000;
/// The longer side of the photo shown, and of the thumbnail, in pixels.
pub const PHOTO_SIZE: u32 = 800;
pub const THUMB_SIZE: u32 = 160;
const PHOTO_QUALITY: u8 = 85;
const THUMB_QUALITY: u8 = 80;
pub const CONTENT_TYPE: &str = "image/jpeg";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("Arquivo não é uma imagem JPEG, PNG ou WebP válida")]
    NotAnImage,
    #[error("Foto muito grande: envie uma imagem de até 10 MB")]
    TooLarge,
    #[error("Imagem com pixels demais: envie uma foto de até 40 megapixels e 12.000 pixels de lado")]
    TooManyPixels,
    #[error("Foto não encontrada")]
    NoPhoto,
}

const _: () = assert!(MAX_UPLOAD_BYTES == 10 << 20 && MAX_PIXELS == 40_000_000 && MAX_SIDE == 12_000);

/// One JPEG image, named by its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub key: String,
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// An upload made ready to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    pub photo: Image,
    pub thumbnail: Image,
}

/// The photo of a product, as kept: its images' keys and the photo's size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductPhoto {
    pub product_id: i64,
    pub photo_key: String,
    pub thumb_key: String,
    pub width: i64,
    pub height: i64,
    /// The photo's size in bytes.
    pub bytes: i64,
    pub updated_at: crate::domain::time::Timestamp,
}

impl ProductPhoto {
    pub fn new(product_id: i64, prepared: &Prepared, now: crate::domain::time::Timestamp) -> ProductPhoto {
        ProductPhoto {
            product_id,
            photo_key: prepared.photo.key.clone(),
            thumb_key: prepared.thumbnail.key.clone(),
            width: i64::from(prepared.photo.width),
            height: i64::from(prepared.photo.height),
            bytes: prepared.photo.bytes.len() as i64,
            updated_at: now,
        }
    }

    pub fn keys(&self) -> [&str; 2] {
        [&self.photo_key, &self.thumb_key]
    }
}

/// What a product shows of its photo: the keys of its images.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PhotoKeys {
    pub photo: String,
    pub thumbnail: String,
}

/// Whether `key` is one [`Image::key`] could have made (64 lowercase hex digits and `.jpg`):
/// anything else names no photo, and never reaches the storage.
pub fn is_key(key: &str) -> bool {
    key.strip_suffix(".jpg")
        .is_some_and(|hash| hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
}

/// Decodes an upload and makes its photo and thumbnail. CPU-bound: run it off the async
/// threads.
pub fn prepare(upload: &[u8]) -> Result<Prepared, PhotoError> {
    if upload.len() > MAX_UPLOAD_BYTES {
        return Err(PhotoError::TooLarge);
    }
    let reader = ImageReader::new(Cursor::new(upload)).with_guessed_format().map_err(|_| PhotoError::NotAnImage)?;
    let mut decoder = reader.into_decoder().map_err(|_| PhotoError::NotAnImage)?;
    let (width, height) = decoder.dimensions();
    if width == 0 || height == 0 {
        return Err(PhotoError::NotAnImage);
    }
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(PhotoError::TooManyPixels);
    }
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|_| PhotoError::NotAnImage)?;
    image.apply_orientation(orientation);
    let image = on_white(image);
    let photo = fit(&image, PHOTO_SIZE);
    let thumbnail = fit(&photo, THUMB_SIZE);
    Ok(Prepared { photo: encode(&photo, PHOTO_QUALITY)?, thumbnail: encode(&thumbnail, THUMB_QUALITY)? })
}

/// RGB, with any transparency shown over white (JPEG has no alpha).
fn on_white(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let rgba = image.into_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over_white = |c: u8| ((u32::from(c) * u32::from(a) + 255 * (255 - u32::from(a)) + 127) / 255) as u8;
        Rgb([over_white(r), over_white(g), over_white(b)])
    })
}

/// The image scaled down, proportions kept, so that its longer side is at most `size`; a
/// smaller image is kept as it is (never enlarged).
fn fit(image: &RgbImage, size: u32) -> RgbImage {
    if image.width() <= size && image.height() <= size {
        return image.clone();
    }
    DynamicImage::ImageRgb8(image.clone()).resize(size, size, FilterType::CatmullRom).into_rgb8()
}

fn encode(image: &RgbImage, quality: u8) -> Result<Image, PhotoError> {
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, quality).encode_image(image).map_err(|_| PhotoError::NotAnImage)?;
    let key = format!("{}.jpg", hex::encode(Sha256::digest(&bytes)));
    Ok(Image { key, bytes, width: image.width(), height: image.height() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageFormat, Rgba, RgbaImage};

    fn encoded(image: DynamicImage, format: ImageFormat) -> Vec<u8> {
        let mut bytes = Cursor::new(Vec::new());
        image.write_to(&mut bytes, format).unwrap();
        bytes.into_inner()
    }

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = RgbImage::from_fn(width, height, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
        encoded(DynamicImage::ImageRgb8(image), ImageFormat::Png)
    }

    fn decoded(image: &Image) -> DynamicImage {
        image::load_from_memory_with_format(&image.bytes, ImageFormat::Jpeg).unwrap()
    }

    #[test]
    fn a_large_photo_is_scaled_down_to_the_display_size_and_the_thumbnail_keeping_its_proportions() {
        let prepared = prepare(&png(2000, 1000)).unwrap();
        assert_eq!((prepared.photo.width, prepared.photo.height), (800, 400));
        assert_eq!((prepared.thumbnail.width, prepared.thumbnail.height), (160, 80));
        let photo = decoded(&prepared.photo);
        assert_eq!((photo.width(), photo.height()), (800, 400));
        let thumbnail = decoded(&prepared.thumbnail);
        assert_eq!((thumbnail.width(), thumbnail.height()), (160, 80));
    }

    #[test]
    fn a_portrait_photo_is_limited_by_its_height() {
        let prepared = prepare(&png(300, 1200)).unwrap();
        assert_eq!((prepared.photo.width, prepared.photo.height), (200, 800));
        assert_eq!((prepared.thumbnail.width, prepared.thumbnail.height), (40, 160));
    }

    #[test]
    fn a_small_photo_is_never_enlarged() {
        let prepared = prepare(&png(120, 90)).unwrap();
        assert_eq!((prepared.photo.width, prepared.photo.height), (120, 90));
        assert_eq!((prepared.thumbnail.width, prepared.thumbnail.height), (120, 90));
    }

    #[test]
    fn jpeg_and_webp_are_read_too_and_always_kept_as_jpeg() {
        let image = DynamicImage::ImageRgb8(RgbImage::from_pixel(50, 40, Rgb([200, 10, 10])));
        for format in [ImageFormat::Jpeg, ImageFormat::WebP] {
            let prepared = prepare(&encoded(image.clone(), format)).unwrap();
            assert_eq!((prepared.photo.width, prepared.photo.height), (50, 40), "{format:?}");
            assert!(prepared.photo.bytes.starts_with(&[0xff, 0xd8]), "{format:?}: JPEG");
        }
    }

    #[test]
    fn transparency_is_shown_over_white() {
        let image = RgbaImage::from_pixel(10, 10, Rgba([0, 0, 0, 0]));
        let prepared = prepare(&encoded(DynamicImage::ImageRgba8(image), ImageFormat::Png)).unwrap();
        let pixel = decoded(&prepared.photo).into_rgb8().get_pixel(5, 5).0;
        assert!(pixel.iter().all(|&c| c > 245), "{pixel:?}");
    }

    #[test]
    fn keys_are_the_hash_of_the_bytes_so_the_same_upload_gives_the_same_names() {
        let upload = png(400, 300);
        let (a, b) = (prepare(&upload).unwrap(), prepare(&upload).unwrap());
        assert_eq!(a, b);
        assert_ne!(a.photo.key, a.thumbnail.key);
        assert!(is_key(&a.photo.key) && is_key(&a.thumbnail.key));
        assert_eq!(a.photo.key, format!("{}.jpg", hex::encode(Sha256::digest(&a.photo.bytes))));
    }

    #[test]
    fn what_is_not_a_photo_is_refused() {
        assert_eq!(prepare(b"").unwrap_err(), PhotoError::NotAnImage);
        assert_eq!(prepare(b"%PDF-1.7 not an image").unwrap_err(), PhotoError::NotAnImage);
        let mut truncated = png(100, 100);
        truncated.truncate(truncated.len() / 2);
        assert_eq!(prepare(&truncated).unwrap_err(), PhotoError::NotAnImage);
        let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;";
        assert_eq!(prepare(gif).unwrap_err(), PhotoError::NotAnImage);
    }

    #[test]
    fn too_many_pixels_or_bytes_are_refused_before_decoding() {
        assert_eq!(prepare(&png(MAX_SIDE + 1, 1)).unwrap_err(), PhotoError::TooManyPixels);
        assert_eq!(prepare(&vec![0; MAX_UPLOAD_BYTES + 1]).unwrap_err(), PhotoError::TooLarge);
    }

    #[test]
    fn only_hash_names_are_keys() {
        assert!(is_key(&format!("{}.jpg", "a".repeat(64))));
        for bad in ["../etc/passwd", "", ".jpg", &format!("{}.png", "a".repeat(64)), &format!("{}.jpg", "A".repeat(64))]
        {
            assert!(!is_key(bad), "{bad}");
        }
    }
}
