-- Subscription management (issue 4): when an endpoint started failing (disabled after a grace period), when it was disabled.
ALTER TABLE fulfillment.webhook_subscriptions
    ADD COLUMN description text,
    ADD COLUMN failing_since timestamptz,
    ADD COLUMN disabled_at timestamptz,
    ADD COLUMN updated_at timestamptz,
    -- deleted by the merchant; kept (disabled, hidden) while its delivery log refers to it
    ADD COLUMN deleted_at timestamptz;

ALTER TABLE fulfillment.webhook_deliveries ADD COLUMN replays int NOT NULL DEFAULT 0;
CREATE INDEX webhook_deliveries_subscription ON fulfillment.webhook_deliveries (subscription_id, id DESC);

-- A global, monotonic position for the pull feed (GET /api/events?after=): event ids are not ordered.
ALTER TABLE fulfillment.order_events ADD COLUMN position bigint GENERATED ALWAYS AS IDENTITY;
CREATE UNIQUE INDEX order_events_position ON fulfillment.order_events (position);

-- What the merchant must be told (an endpoint disabled, …); the console shows them, a mail digest can follow.
CREATE TABLE fulfillment.merchant_notices (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    merchant_id text NOT NULL REFERENCES fulfillment.merchants (id),
    kind text NOT NULL,
    subject_id text,
    message text NOT NULL,
    created_at timestamptz NOT NULL,
    acknowledged_at timestamptz
);
CREATE INDEX merchant_notices_merchant ON fulfillment.merchant_notices (merchant_id, id DESC);

-- Why an order needs a person's look although its workflow is fine (stale tracking); null when nothing is wrong.
ALTER TABLE fulfillment.orders ADD COLUMN attention_reason text;
CREATE INDEX orders_attention ON fulfillment.orders (updated_at DESC) WHERE attention_reason IS NOT NULL;

-- Carrier webhook deliveries already applied, so a resent one (same provider event id) changes nothing.
CREATE TABLE fulfillment.carrier_webhook_events (
    provider text NOT NULL,
    event_id text NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (provider, event_id)
);
