-- Intake acknowledges an order once it is durable in intake_events (the webhook ids already seen), with the order's
-- validated body in `payload`; the intake materializer then stores the order and starts its workflow, and clears
-- `payload`. A row with a payload is an acknowledged order not yet stored.
ALTER TABLE fulfillment.intake_events
    ADD COLUMN merchant_order_id text,
    ADD COLUMN payload text;
-- Deduplicates on the merchant's order id while an order waits in the inbox (orders' own unique key covers it after).
-- Rows from before this migration have no merchant_order_id; their orders are in fulfillment.orders.
CREATE UNIQUE INDEX IF NOT EXISTS intake_events_merchant_order ON fulfillment.intake_events (merchant_id, merchant_order_id)
    WHERE merchant_order_id IS NOT NULL;
-- The materializer's queue: acknowledged orders not yet stored, oldest first.
CREATE INDEX IF NOT EXISTS intake_events_pending ON fulfillment.intake_events (received_at) WHERE payload IS NOT NULL;
