-- Every row that grows with sales carries its store (PostgreSQL also puts it in their keys, for
-- distribution by store: docs/scaling.md). The rows of a sale, of a return and of a cash
-- session: their parent's store.
ALTER TABLE sale_items ADD COLUMN store_id INTEGER NOT NULL DEFAULT 1;
UPDATE sale_items SET store_id = (SELECT s.store_id FROM sales s WHERE s.id = sale_items.sale_id);
ALTER TABLE sale_payments ADD COLUMN store_id INTEGER NOT NULL DEFAULT 1;
UPDATE sale_payments SET store_id = (SELECT s.store_id FROM sales s WHERE s.id = sale_payments.sale_id);
ALTER TABLE sale_returns ADD COLUMN store_id INTEGER NOT NULL DEFAULT 1;
UPDATE sale_returns SET store_id = (SELECT s.store_id FROM sales s WHERE s.id = sale_returns.sale_id);
ALTER TABLE sale_return_items ADD COLUMN store_id INTEGER NOT NULL DEFAULT 1;
UPDATE sale_return_items SET store_id = (SELECT r.store_id FROM sale_returns r WHERE r.id = sale_return_items.return_id);
ALTER TABLE cash_movements ADD COLUMN store_id INTEGER NOT NULL DEFAULT 1;
UPDATE cash_movements SET store_id = (SELECT c.store_id FROM cash_sessions c WHERE c.id = cash_movements.session_id);

-- A replayed sale (the same idempotency key, or an offline sale's client_id) comes from a
-- terminal of one store, so to the same store: the same unique indexes as PostgreSQL's.
DROP INDEX sales_idempotency;
CREATE UNIQUE INDEX sales_idempotency ON sales (user_id, idempotency_key, store_id) WHERE idempotency_key IS NOT NULL;
DROP INDEX sales_client_id;
CREATE UNIQUE INDEX sales_client_id ON sales (client_id, store_id) WHERE client_id IS NOT NULL;
