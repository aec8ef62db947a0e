-- Indexes for console pages that read a supplier's or a subscription's whole history with 1,000,000 orders stored
-- (measured on the bench's seeded database, docs/benchmarks.md, "The console's reads with 1,000,000 orders stored").
-- The partial ones cost the order path nothing: a row enters them only in a status that is the exception.

-- Suppliers page (every 10 s): refusals and failed placements of the last day.
CREATE INDEX supplier_orders_troubled ON fulfillment.supplier_orders (supplier_id, updated_at)
    WHERE status IN ('rejected', 'unreachable');
-- Suppliers page: placements of the last day. Every supplier order is placed, so this one is written on the order path:
-- an entry per insert and per update (supplier orders are not HOT-updated), ~4 of an order's ~480 WAL records.
CREATE INDEX supplier_orders_placed ON fulfillment.supplier_orders (supplier_id, placed_at) WHERE placed_at IS NOT NULL;
-- A subscription's delivery log filtered to failed deliveries (every 2 s while open).
CREATE INDEX webhook_deliveries_failed ON fulfillment.webhook_deliveries (subscription_id, id DESC) WHERE status = 'failed';
