-- A value that changes with every committed change to products or categories, so a product
-- page computed at one value holds for as long as the value does (see `http::products`). Random
-- rather than counted: a restored copy of an older database never brings back a value that
-- meant different data.
CREATE TABLE catalog_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);

CREATE FUNCTION new_catalog_version() RETURNS BIGINT LANGUAGE sql VOLATILE
AS $$ SELECT floor((random() * 2 - 1) * 9.2e18)::BIGINT $$;

INSERT INTO catalog_version (id, version) VALUES (1, new_catalog_version());

CREATE FUNCTION catalog_changed() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    UPDATE catalog_version SET version = new_catalog_version();
    RETURN NULL;
END $$;

-- Deferred to the commit: the single row is then the last lock a transaction takes, so it can
-- never be part of a deadlock, and is held only while the transaction commits.
CREATE CONSTRAINT TRIGGER products_changed AFTER INSERT OR UPDATE OR DELETE ON products
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION catalog_changed();
CREATE CONSTRAINT TRIGGER categories_changed AFTER INSERT OR UPDATE OR DELETE ON categories
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION catalog_changed();
