-- Status events are only ever appended, so their creation time follows their place in the table. The one query by time
-- (a subscription's replay since a moment) reads a range; a BRIN index finds it from a summary per 128 pages, where the
-- B-tree took an entry on every status event, in the hottest insert OrderFlow has.
DROP INDEX IF EXISTS fulfillment.order_events_created;
CREATE INDEX IF NOT EXISTS order_events_created_brin ON fulfillment.order_events USING brin (created_at) WITH (autosummarize = on);
