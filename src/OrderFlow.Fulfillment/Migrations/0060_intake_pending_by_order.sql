-- An acknowledged order is addressable by its id (the 202's Location) before the materializer has stored it: reading it
-- stores it at once. Only rows still waiting are indexed, so the index stays as small as the inbox's backlog.
CREATE INDEX IF NOT EXISTS intake_events_pending_order ON fulfillment.intake_events (order_id) WHERE payload IS NOT NULL;
