-- The stock ledger: every change of a product's stock is one row here, written in the same
-- transaction as the change (src/db/inventory.rs is the only code that writes either), so that
-- a product's stock is always the sum of its movements.
CREATE TABLE stock_movements (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id INTEGER NOT NULL REFERENCES products (id),
    -- Units in (positive) or out (negative).
    quantity   INTEGER NOT NULL CHECK (quantity <> 0),
    -- The product's stock right after this movement.
    balance    INTEGER NOT NULL,
    reason     TEXT    NOT NULL CHECK (reason IN ('inicial', 'venda', 'ajuste', 'contagem', 'importacao')),
    -- Who made it (NULL: the operator at the command line, or an import).
    user_id    INTEGER REFERENCES users (id),
    sale_id    INTEGER REFERENCES sales (id),
    created_at INTEGER NOT NULL
);
CREATE INDEX stock_movements_product ON stock_movements (product_id, id);
CREATE INDEX stock_movements_sale ON stock_movements (sale_id) WHERE sale_id IS NOT NULL;

-- The stock products already have is where their ledger begins.
INSERT INTO stock_movements (product_id, quantity, balance, reason, created_at)
SELECT id, stock, stock, 'inicial', updated_at FROM products WHERE stock <> 0 ORDER BY id;
