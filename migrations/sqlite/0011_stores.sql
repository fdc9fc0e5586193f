-- Several stores. A shop has one (id 1, named after the shop) until it opens another; every sale
-- and cash session made before this migration is store 1's, and so is every user.
CREATE TABLE stores (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    -- A closed store keeps its history; nothing new is sold or opened in it.
    archived_at INTEGER
);
INSERT INTO stores (id, name, created_at)
SELECT 1, COALESCE((SELECT NULLIF(trim(shop_name), '') FROM settings WHERE id = 1), 'Loja 1'),
       CAST(strftime('%s', 'now') AS INTEGER) * 1000000;

-- The points of sale of a store: a cash session opened at one is that store's.
CREATE TABLE terminals (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    store_id    INTEGER NOT NULL REFERENCES stores (id),
    name        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    archived_at INTEGER,
    UNIQUE (store_id, name)
);

-- The stores a user works in: an employee sells only there (administrators sell in any).
CREATE TABLE user_stores (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id  INTEGER NOT NULL REFERENCES users (id),
    store_id INTEGER NOT NULL REFERENCES stores (id),
    UNIQUE (user_id, store_id)
);
INSERT INTO user_stores (user_id, store_id) SELECT id, 1 FROM users ORDER BY id;

-- (SQLite refuses a column added with REFERENCES and a default other than NULL: the store of a
-- sale and of a cash session is checked by the application, which writes it.)
ALTER TABLE sales ADD COLUMN store_id INTEGER NOT NULL DEFAULT 1;
CREATE INDEX sales_store_created ON sales (store_id, created_at, id);
ALTER TABLE cash_sessions ADD COLUMN store_id INTEGER NOT NULL DEFAULT 1;
ALTER TABLE cash_sessions ADD COLUMN terminal_id INTEGER REFERENCES terminals (id);
CREATE INDEX cash_sessions_store_opened ON cash_sessions (store_id, opened_at, id);
