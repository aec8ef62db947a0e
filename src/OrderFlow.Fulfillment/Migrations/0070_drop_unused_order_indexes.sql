-- Every status change rewrites the order row outside HOT (its status is indexed), so it inserts into every index of
-- orders: seven per status event instead of nine without these two. No query reads them: lists filter by status and
-- page by id (orders_status_id; ids are version-7 UUIDs, so id order is arrival order), and age bounds use the primary key.
DROP INDEX IF EXISTS fulfillment.orders_status;
DROP INDEX IF EXISTS fulfillment.orders_created;
