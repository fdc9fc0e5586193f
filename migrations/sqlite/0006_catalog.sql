-- The catalog and the stock ledger in full: units (weighed goods), costs, the active flag,
-- barcodes, the details of stock entries and adjustments, and the scale's label layout.

-- How a product is sold. KG, L and M take three decimals: their stock and quantities are kept
-- in grams, millilitres and millimetres (integers), every other unit in whole units.
ALTER TABLE products ADD COLUMN unit TEXT NOT NULL DEFAULT 'UN'
    CHECK (unit IN ('UN', 'PC', 'CX', 'DZ', 'PCT', 'PAR', 'KIT', 'FD', 'KG', 'L', 'M'));
-- The cost of one unit (of a kilogram, for KG): the last entry's or the one typed.
ALTER TABLE products ADD COLUMN cost_cents INTEGER CHECK (cost_cents >= 0);
-- The weighted average cost of the units in stock, kept by the entries of goods.
ALTER TABLE products ADD COLUMN average_cost_cents INTEGER CHECK (average_cost_cents >= 0);
-- An inactive product stays in the catalog but is not sold.
ALTER TABLE products ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));

-- A product's barcodes (EAN-8, UPC-A, EAN-13, GTIN-14), check digit verified. gtin is the
-- GTIN-14 form (zero-padded) that uniqueness and lookups compare; live copies whether the
-- product is active and not archived, so that only live products' codes must be unique.
CREATE TABLE product_barcodes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id INTEGER NOT NULL REFERENCES products (id),
    barcode    TEXT    NOT NULL,
    gtin       TEXT    NOT NULL CHECK (length(gtin) = 14),
    live       INTEGER NOT NULL DEFAULT 1 CHECK (live IN (0, 1))
);
CREATE UNIQUE INDEX product_barcodes_live ON product_barcodes (gtin) WHERE live = 1;
CREATE INDEX product_barcodes_product ON product_barcodes (product_id, id);

-- A line keeps the unit it was sold in (its quantity is in that unit's integers).
ALTER TABLE sale_items ADD COLUMN unit TEXT NOT NULL DEFAULT 'UN';

-- The ledger gains the entry of goods and the details of entries, adjustments and counts.
CREATE TABLE stock_movements_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id      INTEGER NOT NULL REFERENCES products (id),
    quantity        INTEGER NOT NULL CHECK (quantity <> 0),
    balance         INTEGER NOT NULL,
    reason          TEXT    NOT NULL CHECK (reason IN
        ('inicial', 'venda', 'ajuste', 'contagem', 'importacao', 'cancelamento', 'devolucao', 'entrada')),
    user_id         INTEGER REFERENCES users (id),
    sale_id         INTEGER REFERENCES sales (id),
    created_at      INTEGER NOT NULL,
    return_id       INTEGER REFERENCES sale_returns (id),
    -- An entry's cost of one unit, supplier and invoice number.
    unit_cost_cents INTEGER CHECK (unit_cost_cents >= 0),
    supplier        TEXT,
    invoice         TEXT,
    -- Why an adjustment or a count was made.
    note            TEXT
);
INSERT INTO stock_movements_new (id, product_id, quantity, balance, reason, user_id, sale_id, created_at, return_id)
SELECT id, product_id, quantity, balance, reason, user_id, sale_id, created_at, return_id
FROM stock_movements ORDER BY id;
DROP TABLE stock_movements;
ALTER TABLE stock_movements_new RENAME TO stock_movements;
CREATE INDEX stock_movements_product ON stock_movements (product_id, id);
CREATE INDEX stock_movements_sale ON stock_movements (sale_id) WHERE sale_id IS NOT NULL;

-- The layout of the scale's labels (see src/domain/barcode.rs) and what their value is.
ALTER TABLE settings ADD COLUMN scale_label_mask TEXT NOT NULL DEFAULT '2CCCCCXVVVVVD';
ALTER TABLE settings ADD COLUMN scale_label_value TEXT NOT NULL DEFAULT 'peso'
    CHECK (scale_label_value IN ('peso', 'preco'));
