-- What a store prints and charges with, when it is not the shop's: its CNPJ, address and phone
-- on receipts, its PIX key and recipient, its thermal printer. NULL: the shop's (settings).
ALTER TABLE stores ADD COLUMN shop_cnpj TEXT;
ALTER TABLE stores ADD COLUMN shop_address TEXT;
ALTER TABLE stores ADD COLUMN shop_phone TEXT;
ALTER TABLE stores ADD COLUMN pix_key TEXT;
ALTER TABLE stores ADD COLUMN pix_merchant_name TEXT;
ALTER TABLE stores ADD COLUMN pix_merchant_city TEXT;
ALTER TABLE stores ADD COLUMN printer_address TEXT;

-- The store an audit entry happened in (a sale, a cash session, stock, a store's own settings);
-- NULL: the shop as a whole (the catalog, users, settings) and every entry written before.
ALTER TABLE audit_log ADD COLUMN store_id INTEGER;
CREATE INDEX audit_log_store ON audit_log (store_id, id);

-- The sales' totals per store: every rollup's key gets the store after the day (a period's
-- reads keep the day's order; a store's report reads its own rows). Derived tables: emptied
-- here, and rebuilt from the sales on the first start (report_rollups_version 2).
DROP TABLE daily_sales;
CREATE TABLE daily_sales (
    day             TEXT    NOT NULL,
    store_id        INTEGER NOT NULL,
    user_id         INTEGER NOT NULL,
    sales_count     INTEGER NOT NULL,
    amount_cents    INTEGER NOT NULL,
    cancelled_count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, store_id, user_id)
) WITHOUT ROWID;
DROP TABLE hourly_sales;
CREATE TABLE hourly_sales (
    day              TEXT    NOT NULL,
    store_id         INTEGER NOT NULL,
    hour             INTEGER NOT NULL,
    user_id          INTEGER NOT NULL,
    sales_count      INTEGER NOT NULL,
    quantity         INTEGER NOT NULL,
    gross_cents      INTEGER NOT NULL,
    discount_cents   INTEGER NOT NULL,
    net_cents        INTEGER NOT NULL,
    cost_cents       INTEGER NOT NULL,
    costed_net_cents INTEGER NOT NULL,
    PRIMARY KEY (day, store_id, hour, user_id)
) WITHOUT ROWID;
DROP TABLE daily_payment_sales;
CREATE TABLE daily_payment_sales (
    day          TEXT    NOT NULL,
    store_id     INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    method       TEXT    NOT NULL,
    sales_count  INTEGER NOT NULL,
    amount_cents INTEGER NOT NULL,
    PRIMARY KEY (day, store_id, user_id, method)
) WITHOUT ROWID;
DROP TABLE daily_product_sales;
CREATE TABLE daily_product_sales (
    day              TEXT    NOT NULL,
    store_id         INTEGER NOT NULL,
    product_id       INTEGER NOT NULL,
    quantity         INTEGER NOT NULL,
    amount_cents     INTEGER NOT NULL,
    sales_count      INTEGER NOT NULL,
    gross_cents      INTEGER NOT NULL,
    discount_cents   INTEGER NOT NULL,
    cost_cents       INTEGER NOT NULL,
    costed_net_cents INTEGER NOT NULL,
    PRIMARY KEY (day, store_id, product_id)
) WITHOUT ROWID;
DROP TABLE monthly_product_sales;
CREATE TABLE monthly_product_sales (
    month            TEXT    NOT NULL,
    store_id         INTEGER NOT NULL,
    product_id       INTEGER NOT NULL,
    quantity         INTEGER NOT NULL,
    amount_cents     INTEGER NOT NULL,
    sales_count      INTEGER NOT NULL,
    gross_cents      INTEGER NOT NULL,
    discount_cents   INTEGER NOT NULL,
    cost_cents       INTEGER NOT NULL,
    costed_net_cents INTEGER NOT NULL,
    PRIMARY KEY (month, store_id, product_id)
) WITHOUT ROWID;
