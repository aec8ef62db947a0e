-- Merchant overrides of the customer message templates (Liquid), one per event and channel; the built-in defaults apply
-- where there is none. version grows with every save, so each process sees a change at its next render.
CREATE TABLE fulfillment.notification_templates (
    merchant_id text NOT NULL REFERENCES fulfillment.merchants (id),
    event text NOT NULL,
    channel text NOT NULL CHECK (channel IN ('email', 'sms')),
    -- e-mail only; null for SMS
    subject text,
    text_body text NOT NULL,
    -- e-mail only; null: a plain-text e-mail
    html_body text,
    version int NOT NULL DEFAULT 1,
    updated_at timestamptz NOT NULL,
    updated_by text NOT NULL,
    PRIMARY KEY (merchant_id, event, channel)
);

-- SMS goes to customers of merchants that turned it on (and only when ops configured a provider).
ALTER TABLE fulfillment.merchants ADD COLUMN sms_enabled boolean NOT NULL DEFAULT false;

-- What the provider called the message (SMS), for support questions.
ALTER TABLE fulfillment.notifications ADD COLUMN provider_message_id text;
CREATE INDEX notifications_order ON fulfillment.notifications (order_id, created_at);

-- Adaptive tracking: when each active supplier order is next asked about, and when its news last changed.
ALTER TABLE fulfillment.supplier_orders
    ADD COLUMN next_poll_at timestamptz,
    ADD COLUMN tracking_changed_at timestamptz;
CREATE INDEX supplier_orders_due ON fulfillment.supplier_orders (supplier_id, next_poll_at)
    WHERE status IN ('pending', 'accepted', 'shipped', 'cancel_requested');

-- An SMS has no subject.
ALTER TABLE fulfillment.notifications ALTER COLUMN subject DROP NOT NULL;
