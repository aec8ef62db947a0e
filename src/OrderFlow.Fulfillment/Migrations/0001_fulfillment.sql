CREATE SCHEMA IF NOT EXISTS fulfillment;

CREATE TABLE fulfillment.merchants (
    id text PRIMARY KEY,
    name text NOT NULL,
    -- Standard Webhooks secret (whsec_…) that signs this merchant's order webhooks. HMAC needs the plain key.
    intake_secret text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Where a merchant wants status webhooks; secret signs them (Standard Webhooks).
CREATE TABLE fulfillment.webhook_subscriptions (
    id uuid PRIMARY KEY,
    merchant_id text NOT NULL REFERENCES fulfillment.merchants (id),
    url text NOT NULL,
    secret text NOT NULL,
    -- null: every event type
    event_types text[],
    enabled boolean NOT NULL DEFAULT true,
    disabled_reason text,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_subscriptions_merchant ON fulfillment.webhook_subscriptions (merchant_id) WHERE enabled;

CREATE TABLE fulfillment.suppliers (
    id text PRIMARY KEY,
    name text NOT NULL,
    protocol text NOT NULL DEFAULT 'orderflow',
    base_url text NOT NULL,
    api_key text NOT NULL,
    -- lower is preferred
    priority int NOT NULL DEFAULT 100,
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE fulfillment.catalog (
    supplier_id text NOT NULL REFERENCES fulfillment.suppliers (id),
    sku text NOT NULL,
    name text,
    available int NOT NULL,
    unit_price numeric(12, 2) NOT NULL,
    shipping_price numeric(12, 2) NOT NULL DEFAULT 0,
    currency text NOT NULL,
    synced_at timestamptz NOT NULL,
    PRIMARY KEY (supplier_id, sku)
);
CREATE INDEX catalog_sku ON fulfillment.catalog (sku);

CREATE TABLE fulfillment.orders (
    id uuid PRIMARY KEY,
    merchant_id text NOT NULL REFERENCES fulfillment.merchants (id),
    merchant_order_id text NOT NULL,
    status text NOT NULL,
    currency text NOT NULL,
    customer jsonb NOT NULL,
    shipping_address jsonb NOT NULL,
    total numeric(14, 2) NOT NULL,
    tags text[] NOT NULL DEFAULT '{}',
    -- the public tracking page's unguessable key
    tracking_token text NOT NULL UNIQUE,
    workflow_instance_id uuid,
    -- per-order sequence of status events sent to storefronts
    last_sequence int NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    UNIQUE (merchant_id, merchant_order_id)
);
CREATE INDEX orders_status ON fulfillment.orders (status, created_at DESC);
CREATE INDEX orders_created ON fulfillment.orders (created_at DESC);
CREATE INDEX orders_customer_email ON fulfillment.orders ((lower(customer->>'email')));

-- Webhook deliveries already seen, so a resent webhook (same webhook-id) is recognised even with another body.
CREATE TABLE fulfillment.intake_events (
    merchant_id text NOT NULL,
    webhook_id text NOT NULL,
    order_id uuid NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (merchant_id, webhook_id)
);

CREATE TABLE fulfillment.supplier_orders (
    id uuid PRIMARY KEY,
    order_id uuid NOT NULL REFERENCES fulfillment.orders (id),
    supplier_id text NOT NULL REFERENCES fulfillment.suppliers (id),
    -- our reference, also the Idempotency-Key: derived from the order and routing round, so a repeated burst reuses it
    reference text NOT NULL UNIQUE,
    supplier_order_id text,
    -- new, pending, accepted, rejected, shipped, delivered, unreachable, cancel_requested, cancelled
    status text NOT NULL,
    rejection_reason text,
    rejection_message text,
    placed_at timestamptz,
    updated_at timestamptz NOT NULL
);
CREATE INDEX supplier_orders_order ON fulfillment.supplier_orders (order_id);
CREATE INDEX supplier_orders_active ON fulfillment.supplier_orders (supplier_id)
    WHERE status IN ('pending', 'accepted', 'shipped', 'cancel_requested');

CREATE TABLE fulfillment.order_lines (
    order_id uuid NOT NULL REFERENCES fulfillment.orders (id),
    line_id text NOT NULL,
    sku text NOT NULL,
    name text,
    quantity int NOT NULL,
    unit_price numeric(12, 2) NOT NULL,
    -- new, routed, placed, accepted, rejected, shipped, delivered, cancelled
    status text NOT NULL,
    supplier_id text,
    supplier_order_id uuid REFERENCES fulfillment.supplier_orders (id),
    -- suppliers that rejected this line (routing skips them)
    rejected_by text[] NOT NULL DEFAULT '{}',
    rejection_reason text,
    PRIMARY KEY (order_id, line_id)
);

CREATE TABLE fulfillment.parcels (
    id uuid PRIMARY KEY,
    order_id uuid NOT NULL REFERENCES fulfillment.orders (id),
    supplier_order_id uuid NOT NULL REFERENCES fulfillment.supplier_orders (id),
    supplier_shipment_id text NOT NULL,
    carrier text NOT NULL,
    tracking_number text NOT NULL,
    tracking_url text,
    -- normalized: Pending, InfoReceived, InTransit, OutForDelivery, AttemptFail, AvailableForPickup, Delivered, Exception, Expired
    status text NOT NULL,
    line_ids text[] NOT NULL,
    estimated_delivery timestamptz,
    last_event_at timestamptz,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    UNIQUE (supplier_order_id, supplier_shipment_id)
);
CREATE INDEX parcels_order ON fulfillment.parcels (order_id);
CREATE INDEX parcels_tracking_number ON fulfillment.parcels (tracking_number);

CREATE TABLE fulfillment.tracking_events (
    parcel_id uuid NOT NULL REFERENCES fulfillment.parcels (id),
    event_id text NOT NULL,
    status text NOT NULL,
    occurred_at timestamptz NOT NULL,
    location text,
    message text,
    PRIMARY KEY (parcel_id, event_id)
);

-- Status events of an order, in sequence; the truth that storefront deliveries are made from.
CREATE TABLE fulfillment.order_events (
    event_id text PRIMARY KEY,
    order_id uuid NOT NULL REFERENCES fulfillment.orders (id),
    sequence int NOT NULL,
    type text NOT NULL,
    payload jsonb NOT NULL,
    created_at timestamptz NOT NULL,
    UNIQUE (order_id, sequence)
);
CREATE INDEX order_events_created ON fulfillment.order_events (created_at);

-- One row per (event, subscription): the outbox of storefront webhooks.
CREATE TABLE fulfillment.webhook_deliveries (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id text NOT NULL REFERENCES fulfillment.order_events (event_id),
    subscription_id uuid NOT NULL REFERENCES fulfillment.webhook_subscriptions (id),
    order_id uuid NOT NULL,
    sequence int NOT NULL,
    -- pending, delivered, failed
    status text NOT NULL DEFAULT 'pending',
    attempts int NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    claimed_until timestamptz,
    last_status_code int,
    last_error text,
    delivered_at timestamptz,
    created_at timestamptz NOT NULL,
    UNIQUE (event_id, subscription_id)
);
CREATE INDEX webhook_deliveries_due ON fulfillment.webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_order ON fulfillment.webhook_deliveries (order_id, subscription_id, sequence);

-- Customer notifications, rendered when recorded; sent by the outbox pump.
CREATE TABLE fulfillment.notifications (
    id uuid PRIMARY KEY,
    order_id uuid NOT NULL REFERENCES fulfillment.orders (id),
    channel text NOT NULL,
    template text NOT NULL,
    recipient text NOT NULL,
    subject text NOT NULL,
    text_body text NOT NULL,
    html_body text,
    -- pending, sent, failed
    status text NOT NULL DEFAULT 'pending',
    attempts int NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    claimed_until timestamptz,
    last_error text,
    sent_at timestamptz,
    created_at timestamptz NOT NULL,
    UNIQUE (order_id, template, channel)
);
CREATE INDEX notifications_due ON fulfillment.notifications (next_attempt_at) WHERE status = 'pending';
