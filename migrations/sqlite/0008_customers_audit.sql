-- Customers, and the audit log.

-- A customer needs only a name. document is the CPF (11 digits) or the CNPJ (14 upper-case
-- characters, numeric or alphanumeric), check digits verified, as `domain::documents` writes
-- them; a document belongs to one customer at most.
CREATE TABLE customers (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT    NOT NULL,
    -- Lower case, without accents: what searches and ordering use.
    search_key TEXT    NOT NULL,
    document   TEXT    CHECK (length(document) IN (11, 14)),
    phone      TEXT,
    email      TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX customers_document ON customers (document) WHERE document IS NOT NULL;
CREATE INDEX customers_order ON customers (search_key, id);

ALTER TABLE sales ADD COLUMN customer_id INTEGER REFERENCES customers (id);
CREATE INDEX sales_customer ON sales (customer_id, created_at, id) WHERE customer_id IS NOT NULL;

-- What was done, by whom, when: append-only. Each entry carries the hash of the one before
-- (prev_hash) and its own (hash, over prev_hash and its fields: see `domain::audit`), so that
-- `sistema-vendas check` finds an entry changed or removed behind the application's back.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at INTEGER NOT NULL,
    -- Who did it (NULL: the operator at the command line, or a login of an unknown name).
    user_id    INTEGER REFERENCES users (id),
    -- The actor's name then, or the name typed at a failed login.
    username   TEXT,
    action     TEXT    NOT NULL,
    entity     TEXT,
    entity_id  INTEGER,
    -- The client's address, where the request came from.
    client     TEXT,
    -- JSON: what changed (before and after), the amounts, the reason.
    details    TEXT    NOT NULL,
    prev_hash  TEXT    NOT NULL,
    hash       TEXT    NOT NULL
);
CREATE INDEX audit_log_created ON audit_log (created_at, id);
CREATE INDEX audit_log_user ON audit_log (user_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);

-- The database refuses to change or delete an entry. Only replacing the whole shop (a restore
-- or an import with --force, in its own transaction) empties the log, by first writing the
-- meta key that lets its DELETE through.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'o registro de auditoria não pode ser alterado'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'audit_log_replacing')
BEGIN SELECT RAISE(ABORT, 'o registro de auditoria não pode ser apagado'); END;
