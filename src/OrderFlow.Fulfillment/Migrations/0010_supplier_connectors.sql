-- Connector settings per supplier, configured without code: a fourth auth type (HMAC-signed requests), the timeout of
-- one request, a rate limit shared by every server process, and whether stock is confirmed live before placing.
ALTER TABLE fulfillment.suppliers DROP CONSTRAINT IF EXISTS suppliers_auth_type_check;
ALTER TABLE fulfillment.suppliers
    ADD CONSTRAINT suppliers_auth_type_check CHECK (auth_type IN ('api_key', 'bearer', 'basic', 'hmac')),
    -- one HTTP attempt, in seconds; null: OrderFlow:Fulfillment:SupplierAttemptTimeoutSeconds
    ADD COLUMN timeout_seconds int CHECK (timeout_seconds BETWEEN 1 AND 120),
    -- requests per second across all server processes, with bursts up to rate_limit_burst; null: unlimited
    ADD COLUMN rate_limit_per_second double precision CHECK (rate_limit_per_second > 0 AND rate_limit_per_second <= 10000),
    ADD COLUMN rate_limit_burst int CHECK (rate_limit_burst BETWEEN 1 AND 10000),
    ADD COLUMN live_stock_check boolean NOT NULL DEFAULT false;

-- The rate limiter's state per supplier (GCRA): the theoretical arrival time of the next request; see SupplierRateLimiter.
-- One row update per outbound request, so every process draws from the same allowance.
CREATE TABLE fulfillment.supplier_rate_limits (
    supplier_id text PRIMARY KEY REFERENCES fulfillment.suppliers (id) ON DELETE CASCADE,
    theoretical_arrival timestamptz NOT NULL
);
