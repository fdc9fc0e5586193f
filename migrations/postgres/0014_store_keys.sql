-- Every row that grows with sales carries its store, and every key and unique constraint of
-- those tables includes it, so that they can be distributed by store_id (Citus distributed
-- tables, co-located; or native partitioning) as they are (docs/scaling.md). The store follows
-- the id in each key: every query that finds a row by its id keeps using the key's index.

-- The rows of a sale, of a return and of a cash session: their parent's store.
ALTER TABLE sale_items ADD COLUMN store_id BIGINT;
UPDATE sale_items i SET store_id = s.store_id FROM sales s WHERE s.id = i.sale_id;
ALTER TABLE sale_items ALTER COLUMN store_id SET NOT NULL;
ALTER TABLE sale_payments ADD COLUMN store_id BIGINT;
UPDATE sale_payments p SET store_id = s.store_id FROM sales s WHERE s.id = p.sale_id;
ALTER TABLE sale_payments ALTER COLUMN store_id SET NOT NULL;
ALTER TABLE sale_returns ADD COLUMN store_id BIGINT;
UPDATE sale_returns r SET store_id = s.store_id FROM sales s WHERE s.id = r.sale_id;
ALTER TABLE sale_returns ALTER COLUMN store_id SET NOT NULL;
ALTER TABLE sale_return_items ADD COLUMN store_id BIGINT;
UPDATE sale_return_items i SET store_id = r.store_id FROM sale_returns r WHERE r.id = i.return_id;
ALTER TABLE sale_return_items ALTER COLUMN store_id SET NOT NULL;
ALTER TABLE cash_movements ADD COLUMN store_id BIGINT;
UPDATE cash_movements m SET store_id = c.store_id FROM cash_sessions c WHERE c.id = m.session_id;
ALTER TABLE cash_movements ALTER COLUMN store_id SET NOT NULL;

-- The references between them, dropped while their keys change and added back with the store.
ALTER TABLE sale_items DROP CONSTRAINT sale_items_sale_id_fkey;
ALTER TABLE sale_payments DROP CONSTRAINT sale_payments_sale_id_fkey;
ALTER TABLE sale_returns DROP CONSTRAINT sale_returns_sale_id_fkey;
-- A refund in cash comes out of the refunding user's open drawer, which may be another store's:
-- a reference across stores, which a distributed table cannot enforce. The return's use case
-- holds that session in its own transaction (db::cash::hold_open_session).
ALTER TABLE sale_returns DROP CONSTRAINT sale_returns_cash_session_id_fkey;
ALTER TABLE sale_return_items DROP CONSTRAINT sale_return_items_return_id_fkey;
ALTER TABLE sale_return_items DROP CONSTRAINT sale_return_items_sale_item_id_fkey;
ALTER TABLE stock_movements DROP CONSTRAINT stock_movements_sale_id_fkey;
ALTER TABLE stock_movements DROP CONSTRAINT stock_movements_return_id_fkey;
ALTER TABLE sales DROP CONSTRAINT sales_cash_session_id_fkey;
ALTER TABLE cash_movements DROP CONSTRAINT cash_movements_session_id_fkey;

ALTER TABLE sales DROP CONSTRAINT sales_pkey, ADD PRIMARY KEY (id, store_id);
ALTER TABLE sale_items DROP CONSTRAINT sale_items_pkey, ADD PRIMARY KEY (id, store_id);
ALTER TABLE sale_payments DROP CONSTRAINT sale_payments_pkey, ADD PRIMARY KEY (id, store_id);
ALTER TABLE sale_returns DROP CONSTRAINT sale_returns_pkey, ADD PRIMARY KEY (id, store_id);
ALTER TABLE sale_return_items DROP CONSTRAINT sale_return_items_pkey, ADD PRIMARY KEY (id, store_id);
ALTER TABLE stock_movements DROP CONSTRAINT stock_movements_pkey, ADD PRIMARY KEY (id, store_id);
ALTER TABLE cash_sessions DROP CONSTRAINT cash_sessions_pkey, ADD PRIMARY KEY (id, store_id);
ALTER TABLE cash_movements DROP CONSTRAINT cash_movements_pkey, ADD PRIMARY KEY (id, store_id);

ALTER TABLE sale_items ADD FOREIGN KEY (sale_id, store_id) REFERENCES sales (id, store_id);
ALTER TABLE sale_payments ADD FOREIGN KEY (sale_id, store_id) REFERENCES sales (id, store_id);
ALTER TABLE sale_returns ADD FOREIGN KEY (sale_id, store_id) REFERENCES sales (id, store_id);
ALTER TABLE sale_return_items ADD FOREIGN KEY (return_id, store_id) REFERENCES sale_returns (id, store_id);
ALTER TABLE sale_return_items ADD FOREIGN KEY (sale_item_id, store_id) REFERENCES sale_items (id, store_id);
ALTER TABLE stock_movements ADD FOREIGN KEY (sale_id, store_id) REFERENCES sales (id, store_id);
ALTER TABLE stock_movements ADD FOREIGN KEY (return_id, store_id) REFERENCES sale_returns (id, store_id);
ALTER TABLE sales ADD FOREIGN KEY (cash_session_id, store_id) REFERENCES cash_sessions (id, store_id);
ALTER TABLE cash_movements ADD FOREIGN KEY (session_id, store_id) REFERENCES cash_sessions (id, store_id);

-- A replayed sale (the same idempotency key, or an offline sale's client_id) comes from a
-- terminal of one store, so to the same store.
DROP INDEX sales_idempotency;
CREATE UNIQUE INDEX sales_idempotency ON sales (user_id, idempotency_key, store_id) WHERE idempotency_key IS NOT NULL;
DROP INDEX sales_client_id;
CREATE UNIQUE INDEX sales_client_id ON sales (client_id, store_id) WHERE client_id IS NOT NULL;
