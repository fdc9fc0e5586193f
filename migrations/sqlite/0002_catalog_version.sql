-- A value that changes with every committed change to products or categories, so a product
-- page computed at one value holds for as long as the value does (see `http::products`). Random
-- rather than counted: a restored copy of an older database never brings back a value that
-- meant different data.
CREATE TABLE catalog_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO catalog_version (id, version) VALUES (1, random());

CREATE TRIGGER products_inserted AFTER INSERT ON products
BEGIN UPDATE catalog_version SET version = random(); END;
CREATE TRIGGER products_updated AFTER UPDATE ON products
BEGIN UPDATE catalog_version SET version = random(); END;
CREATE TRIGGER products_deleted AFTER DELETE ON products
BEGIN UPDATE catalog_version SET version = random(); END;
CREATE TRIGGER categories_inserted AFTER INSERT ON categories
BEGIN UPDATE catalog_version SET version = random(); END;
CREATE TRIGGER categories_updated AFTER UPDATE ON categories
BEGIN UPDATE catalog_version SET version = random(); END;
CREATE TRIGGER categories_deleted AFTER DELETE ON categories
BEGIN UPDATE catalog_version SET version = random(); END;
