-- A product's photo. The images themselves live in the photo storage (a folder beside the
-- database, or an S3-compatible bucket: see `storage`), under keys made of the SHA-256 of their
-- bytes, so an object never changes once written; this row names the display image and its
-- thumbnail. At most one photo per product.
CREATE TABLE product_photos (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id INTEGER NOT NULL UNIQUE REFERENCES products (id),
    photo_key  TEXT    NOT NULL,
    thumb_key  TEXT    NOT NULL,
    width      INTEGER NOT NULL CHECK (width > 0),
    height     INTEGER NOT NULL CHECK (height > 0),
    bytes      INTEGER NOT NULL CHECK (bytes > 0),
    updated_at INTEGER NOT NULL
);

-- The product pages (which carry the photo's addresses) are kept per catalog version.
CREATE TRIGGER product_photos_inserted AFTER INSERT ON product_photos
BEGIN UPDATE catalog_version SET version = random(); END;
CREATE TRIGGER product_photos_updated AFTER UPDATE ON product_photos
BEGIN UPDATE catalog_version SET version = random(); END;
CREATE TRIGGER product_photos_deleted AFTER DELETE ON product_photos
BEGIN UPDATE catalog_version SET version = random(); END;
