-- The counter: payments (split, with change), discounts, cancellations and returns, the cash
-- register and the shop's settings.

-- One row (id = 1) when the shop saved its settings; none means every field is empty.
CREATE TABLE settings (
    id                   INTEGER PRIMARY KEY CHECK (id = 1),
    shop_name            TEXT,
    shop_cnpj            TEXT,
    shop_address         TEXT,
    shop_phone           TEXT,
    pix_key              TEXT,
    pix_merchant_name    TEXT,
    pix_merchant_city    TEXT,
    -- The largest discount an employee may give without an administrator, in hundredths of a
    -- percent (1000 = 10%).
    max_discount_bp      INTEGER NOT NULL DEFAULT 0 CHECK (max_discount_bp BETWEEN 0 AND 10000),
    require_cash_session INTEGER NOT NULL DEFAULT 0 CHECK (require_cash_session IN (0, 1)),
    auto_print           INTEGER NOT NULL DEFAULT 0 CHECK (auto_print IN (0, 1)),
    printer_address      TEXT,
    -- Characters per line of the thermal printer: 48 (80 mm) or 32 (58 mm).
    printer_columns      INTEGER NOT NULL DEFAULT 48 CHECK (printer_columns IN (32, 48)),
    open_drawer          INTEGER NOT NULL DEFAULT 0 CHECK (open_drawer IN (0, 1)),
    updated_at           INTEGER NOT NULL
);

-- A cashier's session at a terminal: from the opening float to the count at closing.
CREATE TABLE cash_sessions (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id             INTEGER NOT NULL REFERENCES users (id),
    terminal            TEXT    NOT NULL,
    opening_float_cents INTEGER NOT NULL CHECK (opening_float_cents >= 0),
    opened_at           INTEGER NOT NULL,
    closed_at           INTEGER,
    closed_by           INTEGER REFERENCES users (id),
    -- What the cashier counted, what the session's movements say should be there, and the
    -- difference (counted - expected), kept as they were at closing.
    counted_cents       INTEGER,
    expected_cents      INTEGER,
    difference_cents    INTEGER,
    CHECK ((closed_at IS NULL) = (counted_cents IS NULL))
);
-- A cashier has at most one open session.
CREATE UNIQUE INDEX cash_sessions_open ON cash_sessions (user_id) WHERE closed_at IS NULL;
CREATE INDEX cash_sessions_opened ON cash_sessions (opened_at, id);

CREATE TABLE cash_movements (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id   INTEGER NOT NULL REFERENCES cash_sessions (id),
    kind         TEXT    NOT NULL CHECK (kind IN ('suprimento', 'sangria')),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    reason       TEXT,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    created_at   INTEGER NOT NULL
);
CREATE INDEX cash_movements_session ON cash_movements (session_id);

-- total_cents is what the customer pays: subtotal_cents (price x quantity of every line) minus
-- discount_cents (the lines' and the sale's discounts). refunded_cents sums the returns.
ALTER TABLE sales ADD COLUMN subtotal_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sales ADD COLUMN discount_cents INTEGER NOT NULL DEFAULT 0 CHECK (discount_cents >= 0);
ALTER TABLE sales ADD COLUMN change_cents INTEGER NOT NULL DEFAULT 0 CHECK (change_cents >= 0);
ALTER TABLE sales ADD COLUMN refunded_cents INTEGER NOT NULL DEFAULT 0 CHECK (refunded_cents >= 0);
ALTER TABLE sales ADD COLUMN status TEXT NOT NULL DEFAULT 'concluida' CHECK (status IN ('concluida', 'cancelada'));
ALTER TABLE sales ADD COLUMN cancelled_at INTEGER;
ALTER TABLE sales ADD COLUMN cancelled_by INTEGER REFERENCES users (id);
ALTER TABLE sales ADD COLUMN cancel_reason TEXT;
-- The administrator who approved a discount above the employees' limit.
ALTER TABLE sales ADD COLUMN discount_approved_by INTEGER REFERENCES users (id);
ALTER TABLE sales ADD COLUMN cash_session_id INTEGER REFERENCES cash_sessions (id);
UPDATE sales SET subtotal_cents = total_cents;
CREATE INDEX sales_cash_session ON sales (cash_session_id) WHERE cash_session_id IS NOT NULL;

-- discount_cents: the line's own discount; net_cents: what the line finally costs, after its
-- discount and its share of the sale's (returns are valued from it).
ALTER TABLE sale_items ADD COLUMN discount_cents INTEGER NOT NULL DEFAULT 0 CHECK (discount_cents >= 0);
ALTER TABLE sale_items ADD COLUMN net_cents INTEGER NOT NULL DEFAULT 0 CHECK (net_cents >= 0);
ALTER TABLE sale_items ADD COLUMN returned_quantity INTEGER NOT NULL DEFAULT 0
    CHECK (returned_quantity >= 0 AND returned_quantity <= quantity);
UPDATE sale_items SET net_cents = price_cents * quantity;

-- How a sale was paid: one row per method line. amount_cents is what it paid of the total;
-- tendered_cents, for cash, what the customer handed over (the change is the difference).
CREATE TABLE sale_payments (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    sale_id        INTEGER NOT NULL REFERENCES sales (id),
    method         TEXT    NOT NULL CHECK (method IN ('dinheiro', 'debito', 'credito', 'pix', 'outro')),
    amount_cents   INTEGER NOT NULL CHECK (amount_cents > 0),
    tendered_cents INTEGER CHECK (tendered_cents >= amount_cents)
);
CREATE INDEX sale_payments_sale ON sale_payments (sale_id);
-- The sales before payments were recorded paid their total with their one method.
INSERT INTO sale_payments (sale_id, method, amount_cents)
SELECT id, payment_method, total_cents FROM sales
WHERE payment_method IN ('dinheiro', 'debito', 'credito', 'pix', 'outro') AND total_cents > 0 ORDER BY id;

CREATE TABLE sale_returns (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    sale_id         INTEGER NOT NULL REFERENCES sales (id),
    user_id         INTEGER NOT NULL REFERENCES users (id),
    reason          TEXT    NOT NULL,
    refund_method   TEXT    NOT NULL CHECK (refund_method IN ('dinheiro', 'debito', 'credito', 'pix', 'outro')),
    refund_cents    INTEGER NOT NULL CHECK (refund_cents >= 0),
    cash_session_id INTEGER REFERENCES cash_sessions (id),
    created_at      INTEGER NOT NULL
);
CREATE INDEX sale_returns_sale ON sale_returns (sale_id);
CREATE INDEX sale_returns_cash_session ON sale_returns (cash_session_id) WHERE cash_session_id IS NOT NULL;

CREATE TABLE sale_return_items (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    return_id    INTEGER NOT NULL REFERENCES sale_returns (id),
    sale_item_id INTEGER NOT NULL REFERENCES sale_items (id),
    quantity     INTEGER NOT NULL CHECK (quantity > 0),
    refund_cents INTEGER NOT NULL CHECK (refund_cents >= 0)
);
CREATE INDEX sale_return_items_return ON sale_return_items (return_id);

-- Sales no longer cancelled are counted apart, so that a listing's count still includes them.
ALTER TABLE daily_sales ADD COLUMN cancelled_count INTEGER NOT NULL DEFAULT 0;

-- Cancellations and returns bring stock back: the ledger gains their reasons and the return.
CREATE TABLE stock_movements_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id INTEGER NOT NULL REFERENCES products (id),
    quantity   INTEGER NOT NULL CHECK (quantity <> 0),
    balance    INTEGER NOT NULL,
    reason     TEXT    NOT NULL
        CHECK (reason IN ('inicial', 'venda', 'ajuste', 'contagem', 'importacao', 'cancelamento', 'devolucao')),
    user_id    INTEGER REFERENCES users (id),
    sale_id    INTEGER REFERENCES sales (id),
    created_at INTEGER NOT NULL,
    return_id  INTEGER REFERENCES sale_returns (id)
);
INSERT INTO stock_movements_new (id, product_id, quantity, balance, reason, user_id, sale_id, created_at)
SELECT id, product_id, quantity, balance, reason, user_id, sale_id, created_at FROM stock_movements ORDER BY id;
DROP TABLE stock_movements;
ALTER TABLE stock_movements_new RENAME TO stock_movements;
CREATE INDEX stock_movements_product ON stock_movements (product_id, id);
CREATE INDEX stock_movements_sale ON stock_movements (sale_id) WHERE sale_id IS NOT NULL;
