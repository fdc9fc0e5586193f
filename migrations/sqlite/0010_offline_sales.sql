-- no-transaction
-- (Rebuilding products below needs foreign keys off, which SQLite ignores inside a transaction:
-- the whole migration is one explicit transaction instead.)
PRAGMA foreign_keys = OFF;
BEGIN;

-- Sales made at a terminal that could not reach the server, sent when it came back.

-- client_id: the terminal's id of the sale (a UUID); one sale per id, whoever sends it twice.
-- created_at stays the time the sale was made (what the reports and the cash register read);
-- received_at is when the server recorded it (NULL before this migration: the same moment).
ALTER TABLE sales ADD COLUMN client_id TEXT;
ALTER TABLE sales ADD COLUMN received_at INTEGER;
-- Why the sale needs a look (comma-separated codes of `domain::sales::ReviewReason`), and who
-- looked at it.
ALTER TABLE sales ADD COLUMN review TEXT;
ALTER TABLE sales ADD COLUMN reviewed_at INTEGER;
ALTER TABLE sales ADD COLUMN reviewed_by INTEGER REFERENCES users (id);
CREATE UNIQUE INDEX sales_client_id ON sales (client_id) WHERE client_id IS NOT NULL;
CREATE INDEX sales_to_review ON sales (id) WHERE review IS NOT NULL AND reviewed_at IS NULL;

-- How old a sale made offline may be when it arrives.
ALTER TABLE settings ADD COLUMN offline_sale_max_hours INTEGER NOT NULL DEFAULT 72
    CHECK (offline_sale_max_hours BETWEEN 1 AND 720);

-- Every price a product had, from when until when (NULL: still its price): a sale made offline
-- keeps the price the terminal showed if the product had it then. Before this migration only
-- the price of now is known, taken as the product's since it was created.
CREATE TABLE product_prices (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id  INTEGER NOT NULL REFERENCES products (id),
    price_cents INTEGER NOT NULL,
    valid_from  INTEGER NOT NULL,
    valid_until INTEGER
);
CREATE INDEX product_prices_product ON product_prices (product_id, price_cents);
INSERT INTO product_prices (product_id, price_cents, valid_from) SELECT id, price_cents, created_at FROM products;

-- A sale made offline takes units that are no longer there (the goods already left): stock may
-- go below zero, by that path only (`db::inventory::Taking::AlreadyGone`). SQLite cannot drop a
-- CHECK constraint: the table is rebuilt as SQLite's documentation describes, with its indexes,
-- its triggers and its AUTOINCREMENT counter.
CREATE TABLE products_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL,
    -- Lower case, without accents, name and code: what searches and ordering use.
    search_key  TEXT    NOT NULL,
    code        TEXT,
    description TEXT,
    price_cents INTEGER NOT NULL CHECK (price_cents > 0),
    stock       INTEGER NOT NULL,
    min_stock   INTEGER NOT NULL DEFAULT 5 CHECK (min_stock >= 0),
    category_id INTEGER REFERENCES categories (id),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    -- A deleted product is archived: hidden everywhere but kept for the sales that name it.
    archived_at INTEGER,
    unit TEXT NOT NULL DEFAULT 'UN'
        CHECK (unit IN ('UN', 'PC', 'CX', 'DZ', 'PCT', 'PAR', 'KIT', 'FD', 'KG', 'L', 'M')),
    cost_cents INTEGER CHECK (cost_cents >= 0),
    average_cost_cents INTEGER CHECK (average_cost_cents >= 0),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);
INSERT INTO products_new (id, name, search_key, code, description, price_cents, stock, min_stock, category_id,
    created_at, updated_at, archived_at, unit, cost_cents, average_cost_cents, active)
SELECT id, name, search_key, code, description, price_cents, stock, min_stock, category_id,
    created_at, updated_at, archived_at, unit, cost_cents, average_cost_cents, active FROM products;
CREATE TEMP TABLE products_counter AS SELECT seq FROM sqlite_sequence WHERE name = 'products';
DROP TABLE products;
ALTER TABLE products_new RENAME TO products;
UPDATE sqlite_sequence SET seq = max(seq, COALESCE((SELECT seq FROM products_counter), 0)) WHERE name = 'products';
DROP TABLE products_counter;
CREATE UNIQUE INDEX products_code_live ON products (code) WHERE archived_at IS NULL AND code IS NOT NULL;
CREATE INDEX products_live_order ON products (search_key, id) WHERE archived_at IS NULL;
CREATE INDEX products_category ON products (category_id);
CREATE TRIGGER products_inserted AFTER INSERT ON products
BEGIN UPDATE catalog_version SET version = random(); END;
CREATE TRIGGER products_updated AFTER UPDATE ON products
BEGIN UPDATE catalog_version SET version = random(); END;
CREATE TRIGGER products_deleted AFTER DELETE ON products
BEGIN UPDATE catalog_version SET version = random(); END;
-- The products that sales made offline took below zero: the dashboard lists them for review.
CREATE INDEX products_below_zero ON products (id) WHERE stock < 0;

COMMIT;
PRAGMA foreign_keys = ON;
