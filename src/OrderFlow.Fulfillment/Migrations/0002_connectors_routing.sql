-- Connector settings per supplier: how it authenticates.
ALTER TABLE fulfillment.suppliers
    ADD COLUMN auth_type text NOT NULL DEFAULT 'api_key' CHECK (auth_type IN ('api_key', 'bearer', 'basic')),
    ADD COLUMN auth_header text;

-- Intake secrets per merchant, several valid at once during a rotation; the old one stops working at expires_at.
CREATE TABLE fulfillment.merchant_secrets (
    id uuid PRIMARY KEY,
    merchant_id text NOT NULL REFERENCES fulfillment.merchants (id),
    secret text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz
);
CREATE INDEX merchant_secrets_merchant ON fulfillment.merchant_secrets (merchant_id);
INSERT INTO fulfillment.merchant_secrets (id, merchant_id, secret, created_at)
SELECT gen_random_uuid(), id, intake_secret, created_at FROM fulfillment.merchants;
ALTER TABLE fulfillment.merchants DROP COLUMN intake_secret;

-- Deliveries seen per sender event id (Shopify's X-Shopify-Event-Id, WooCommerce's delivery id) share intake_events;
-- the format keeps ids of different platforms apart.
ALTER TABLE fulfillment.intake_events ADD COLUMN format text NOT NULL DEFAULT 'standard';
ALTER TABLE fulfillment.intake_events DROP CONSTRAINT intake_events_pkey, ADD PRIMARY KEY (merchant_id, format, webhook_id);
