-- Money is integer cents; instants are integer microseconds since the Unix epoch (UTC).
-- AUTOINCREMENT: ids are never reused, so a sale number on a paper receipt stays unique.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    username        TEXT    NOT NULL,
    password_hash   TEXT    NOT NULL,
    role            TEXT    NOT NULL CHECK (role IN ('admin', 'funcionario')),
    -- Bumped when the password changes or the account is deactivated or deleted: tokens
    -- issued before no longer match and stop working at once.
    session_version INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    deactivated_at  INTEGER,
    -- A deleted user keeps their row (and name) for the sales they made.
    deleted_at      INTEGER
);
CREATE UNIQUE INDEX users_username_live ON users (username) WHERE deleted_at IS NULL;

CREATE TABLE categories (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT    NOT NULL,
    -- Lower case, without accents: "Bebidas" and "bebidas" are the same category.
    name_key   TEXT    NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

CREATE TABLE products (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL,
    -- Lower case, without accents, name and code: what searches and ordering use.
    search_key  TEXT    NOT NULL,
    code        TEXT,
    description TEXT,
    price_cents INTEGER NOT NULL CHECK (price_cents > 0),
    stock       INTEGER NOT NULL CHECK (stock >= 0),
    min_stock   INTEGER NOT NULL DEFAULT 5 CHECK (min_stock >= 0),
    category_id INTEGER REFERENCES categories (id),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    -- A deleted product is archived: hidden everywhere but kept for the sales that name it.
    archived_at INTEGER
);
CREATE UNIQUE INDEX products_code_live ON products (code) WHERE archived_at IS NULL AND code IS NOT NULL;
CREATE INDEX products_live_order ON products (search_key, id) WHERE archived_at IS NULL;
CREATE INDEX products_category ON products (category_id);

CREATE TABLE sales (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id         INTEGER NOT NULL REFERENCES users (id),
    total_cents     INTEGER NOT NULL CHECK (total_cents >= 0),
    payment_method  TEXT,
    created_at      INTEGER NOT NULL,
    idempotency_key TEXT
);
CREATE INDEX sales_created ON sales (created_at, id);
CREATE INDEX sales_user_created ON sales (user_id, created_at, id);
CREATE UNIQUE INDEX sales_idempotency ON sales (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE sale_items (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    sale_id      INTEGER NOT NULL REFERENCES sales (id),
    product_id   INTEGER NOT NULL REFERENCES products (id),
    -- The name at the time of the sale, as printed on the receipt.
    product_name TEXT    NOT NULL,
    quantity     INTEGER NOT NULL CHECK (quantity > 0),
    price_cents  INTEGER NOT NULL CHECK (price_cents >= 0)
);
CREATE INDEX sale_items_sale ON sale_items (sale_id);
CREATE INDEX sale_items_product ON sale_items (product_id);

-- Totals per calendar day of the business time zone, kept in the same transaction as each
-- sale, so that reports read a few hundred rows instead of every sale. Derived data: they can
-- be rebuilt from sales at any time (and are, when the business time zone changes).
CREATE TABLE daily_sales (
    day          TEXT    NOT NULL,
    user_id      INTEGER NOT NULL,
    sales_count  INTEGER NOT NULL,
    amount_cents INTEGER NOT NULL,
    PRIMARY KEY (day, user_id)
) WITHOUT ROWID;
CREATE TABLE daily_product_sales (
    day          TEXT    NOT NULL,
    product_id   INTEGER NOT NULL,
    quantity     INTEGER NOT NULL,
    amount_cents INTEGER NOT NULL,
    PRIMARY KEY (day, product_id)
) WITHOUT ROWID;
