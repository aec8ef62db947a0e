-- Hot paths must not scan what has finished (issue 6: a million stored orders).
-- The tracking sweep's staleness check reads only parcels still on their way; delivered ones are the vast majority.
CREATE INDEX IF NOT EXISTS parcels_moving ON fulfillment.parcels ((coalesce(last_event_at, created_at)))
    WHERE status IN ('Pending', 'InfoReceived', 'InTransit');
-- Placing, applying a supplier's answer and rerouting find an order's lines by their supplier order.
CREATE INDEX IF NOT EXISTS order_lines_supplier_order ON fulfillment.order_lines (supplier_order_id);
