-- Each cashier's open drawer, one per person in the whole chain. The rule was a unique index
-- of cash_sessions (user_id) WHERE closed_at IS NULL: an index without the store, which a
-- table distributed by store cannot have (docs/scaling.md). Here it is the primary key of a
-- table that grows with the people, not with the sales (a reference table in a chain): a
-- session's opening writes its row and its closing deletes it, in the same transaction.
-- No reference to cash_sessions: a reference table cannot point into a distributed one.
CREATE TABLE open_cash_sessions (
    user_id    INTEGER PRIMARY KEY REFERENCES users (id),
    session_id INTEGER NOT NULL,
    store_id   INTEGER NOT NULL REFERENCES stores (id)
);
INSERT INTO open_cash_sessions (user_id, session_id, store_id)
    SELECT user_id, id, store_id FROM cash_sessions WHERE closed_at IS NULL ORDER BY user_id;
DROP INDEX cash_sessions_open;
