-- The sales reports (GET /api/reports/sales) read totals kept in each sale's transaction, as
-- the dashboard reads daily_sales: a year of reports is a few thousand small rows whatever the
-- number of sales. Every one of them is derived (src/domain/figures.rs says what a sale adds)
-- and rebuilt from the sales by `sistema-vendas rebuild-reports`, after a load, and on the
-- first start after this migration.

-- The cost of one unit of a line when it was sold (the product's average cost, or its cost):
-- what the reports' margin is computed from. NULL: not known.
ALTER TABLE sale_items ADD COLUMN cost_cents BIGINT CHECK (cost_cents >= 0);

-- Per day and product: quantity (the product's integers) and amount_cents (net) as before,
-- and now how many sales had it, gross, discounts, and the cost and the net of the lines whose
-- cost was known.
ALTER TABLE daily_product_sales ADD COLUMN sales_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE daily_product_sales ADD COLUMN gross_cents BIGINT NOT NULL DEFAULT 0;
ALTER TABLE daily_product_sales ADD COLUMN discount_cents BIGINT NOT NULL DEFAULT 0;
ALTER TABLE daily_product_sales ADD COLUMN cost_cents BIGINT NOT NULL DEFAULT 0;
ALTER TABLE daily_product_sales ADD COLUMN costed_net_cents BIGINT NOT NULL DEFAULT 0;

-- The same per calendar month (YYYY-MM): a year by product is twelve rows per product.
CREATE TABLE monthly_product_sales (
    month            TEXT NOT NULL,
    product_id       BIGINT NOT NULL,
    quantity         BIGINT NOT NULL,
    amount_cents     BIGINT NOT NULL,
    sales_count      BIGINT NOT NULL,
    gross_cents      BIGINT NOT NULL,
    discount_cents   BIGINT NOT NULL,
    cost_cents       BIGINT NOT NULL,
    costed_net_cents BIGINT NOT NULL,
    PRIMARY KEY (month, product_id)
);

-- Per day, hour of the day (0-23, business time zone) and seller. quantity: thousandths of
-- whole units (a product sold by weight counts its kilograms).
CREATE TABLE hourly_sales (
    day              TEXT NOT NULL,
    hour             BIGINT NOT NULL,
    user_id          BIGINT NOT NULL,
    sales_count      BIGINT NOT NULL,
    quantity         BIGINT NOT NULL,
    gross_cents      BIGINT NOT NULL,
    discount_cents   BIGINT NOT NULL,
    net_cents        BIGINT NOT NULL,
    cost_cents       BIGINT NOT NULL,
    costed_net_cents BIGINT NOT NULL,
    PRIMARY KEY (day, hour, user_id)
);

-- Per day, seller and payment method: the sales that used it and what it took in, minus what
-- returns refunded with it.
CREATE TABLE daily_payment_sales (
    day          TEXT NOT NULL,
    user_id      BIGINT NOT NULL,
    method       TEXT NOT NULL,
    sales_count  BIGINT NOT NULL,
    amount_cents BIGINT NOT NULL,
    PRIMARY KEY (day, user_id, method)
);
