-- orderflow: no transaction
-- Indexes for console pages that read a supplier's or a subscription's whole history with 1,000,000 orders stored
-- (measured on the bench's seeded database, docs/benchmarks.md, "The console's reads with 1,000,000 orders stored").
-- The partial ones cost the order path nothing: a row enters them only in a status that is the exception.
--
-- Built CONCURRENTLY, a statement at a time (SqlMigrator): with 1,000,000 orders and 5,000,000 deliveries stored a plain
-- build took ~2.3 s and held off every insert and update of supplier_orders and webhook_deliveries meanwhile, i.e. every
-- order in flight of every server process. Each build is preceded by a drop, so a build that failed half-way (which
-- leaves an invalid index behind) is made again at the next start.

-- Suppliers page (every 10 s): refusals and failed placements of the last day.
DROP INDEX CONCURRENTLY IF EXISTS fulfillment.supplier_orders_troubled;
CREATE INDEX CONCURRENTLY supplier_orders_troubled ON fulfillment.supplier_orders (supplier_id, updated_at)
    WHERE status IN ('rejected', 'unreachable');
-- Suppliers page: placements of the last day. Every supplier order is placed, so this one is written on the order path:
-- an entry per insert and per update (supplier orders are not HOT-updated), ~4 of an order's ~480 WAL records.
DROP INDEX CONCURRENTLY IF EXISTS fulfillment.supplier_orders_placed;
CREATE INDEX CONCURRENTLY supplier_orders_placed ON fulfillment.supplier_orders (supplier_id, placed_at) WHERE placed_at IS NOT NULL;
-- A subscription's delivery log filtered to failed deliveries (every 2 s while open).
DROP INDEX CONCURRENTLY IF EXISTS fulfillment.webhook_deliveries_failed;
CREATE INDEX CONCURRENTLY webhook_deliveries_failed ON fulfillment.webhook_deliveries (subscription_id, id DESC) WHERE status = 'failed';
