-- Connector settings per supplier: how it authenticates.
ALTER TABLE fulfillment.suppliers
    ADD COLUMN auth_type text NOT NULL DEFAULT 'api_key' CHECK (auth_type IN ('api_key', 'bearer', 'basic')),
    ADD COLUMN auth_header text;
