-- What a sale with an idempotency key was asked for (a hash of its lines and payment), so that
-- the same key sent with a different request is refused instead of answered with this sale.
ALTER TABLE sales ADD COLUMN idempotency_fingerprint TEXT;
