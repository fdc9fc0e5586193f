-- Stock per store. A product's stock in each store is its row here (none: zero), and the sum of
-- that store's movements of it; `products.stock` stays the chain's total, the sum of all its
-- movements. Everything a shop had before is store 1's.
CREATE TABLE store_stock (
    store_id   INTEGER NOT NULL REFERENCES stores (id),
    product_id INTEGER NOT NULL REFERENCES products (id),
    stock      INTEGER NOT NULL,
    PRIMARY KEY (store_id, product_id)
) WITHOUT ROWID;
INSERT INTO store_stock (store_id, product_id, stock) SELECT 1, id, stock FROM products WHERE stock <> 0 ORDER BY id;

-- Goods sent from one store to another: they leave the first when sent and enter the second when
-- received (in transit meanwhile), or go back to the first if the transfer is cancelled.
CREATE TABLE stock_transfers (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    from_store_id INTEGER NOT NULL REFERENCES stores (id),
    to_store_id   INTEGER NOT NULL REFERENCES stores (id),
    status        TEXT    NOT NULL CHECK (status IN ('em_transito', 'recebida', 'cancelada')),
    note          TEXT,
    user_id       INTEGER REFERENCES users (id),
    created_at    INTEGER NOT NULL,
    closed_by     INTEGER REFERENCES users (id),
    closed_at     INTEGER,
    CHECK (from_store_id <> to_store_id)
);
CREATE INDEX stock_transfers_created ON stock_transfers (created_at, id);
CREATE TABLE stock_transfer_items (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    transfer_id INTEGER NOT NULL REFERENCES stock_transfers (id),
    product_id  INTEGER NOT NULL REFERENCES products (id),
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    UNIQUE (transfer_id, product_id)
);

-- The ledger gains the store of each movement and the transfers.
CREATE TABLE stock_movements_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id      INTEGER NOT NULL REFERENCES products (id),
    quantity        INTEGER NOT NULL CHECK (quantity <> 0),
    balance         INTEGER NOT NULL,
    reason          TEXT    NOT NULL CHECK (reason IN
        ('inicial', 'venda', 'ajuste', 'contagem', 'importacao', 'cancelamento', 'devolucao', 'entrada',
         'transferencia')),
    user_id         INTEGER REFERENCES users (id),
    sale_id         INTEGER REFERENCES sales (id),
    created_at      INTEGER NOT NULL,
    return_id       INTEGER REFERENCES sale_returns (id),
    unit_cost_cents INTEGER CHECK (unit_cost_cents >= 0),
    supplier        TEXT,
    invoice         TEXT,
    note            TEXT,
    store_id        INTEGER NOT NULL DEFAULT 1,
    transfer_id     INTEGER REFERENCES stock_transfers (id)
);
INSERT INTO stock_movements_new (id, product_id, quantity, balance, reason, user_id, sale_id, created_at, return_id,
    unit_cost_cents, supplier, invoice, note)
SELECT id, product_id, quantity, balance, reason, user_id, sale_id, created_at, return_id,
    unit_cost_cents, supplier, invoice, note
FROM stock_movements ORDER BY id;
DROP TABLE stock_movements;
ALTER TABLE stock_movements_new RENAME TO stock_movements;
CREATE INDEX stock_movements_product ON stock_movements (product_id, id);
CREATE INDEX stock_movements_sale ON stock_movements (sale_id) WHERE sale_id IS NOT NULL;

-- A price that one store charges instead of the catalog's.
CREATE TABLE store_prices (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    store_id    INTEGER NOT NULL REFERENCES stores (id),
    product_id  INTEGER NOT NULL REFERENCES products (id),
    price_cents INTEGER NOT NULL CHECK (price_cents > 0),
    updated_at  INTEGER NOT NULL,
    UNIQUE (store_id, product_id)
);
CREATE TRIGGER store_prices_inserted AFTER INSERT ON store_prices
BEGIN UPDATE catalog_version SET version = random(); END;
CREATE TRIGGER store_prices_updated AFTER UPDATE ON store_prices
BEGIN UPDATE catalog_version SET version = random(); END;
CREATE TRIGGER store_prices_deleted AFTER DELETE ON store_prices
BEGIN UPDATE catalog_version SET version = random(); END;
