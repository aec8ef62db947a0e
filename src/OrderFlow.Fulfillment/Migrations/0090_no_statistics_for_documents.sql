-- ANALYZE keeps statistics for every column, and for a jsonb column or a long text body it sorts the whole sample to
-- build them: in the bench's lifecycle runs autoanalyze was 5% of PostgreSQL's CPU, a third of it in jsonb comparisons
-- (perf, 2026-11-30). No query filters or sorts on these columns (the customer e-mail search goes through the
-- expression index orders_customer_email, whose own statistics ANALYZE still gathers), so their statistics are never
-- read: gather none.
ALTER TABLE fulfillment.orders ALTER COLUMN customer SET STATISTICS 0, ALTER COLUMN shipping_address SET STATISTICS 0;
ALTER TABLE fulfillment.order_events ALTER COLUMN payload SET STATISTICS 0;
ALTER TABLE fulfillment.notifications ALTER COLUMN text_body SET STATISTICS 0, ALTER COLUMN html_body SET STATISTICS 0;
