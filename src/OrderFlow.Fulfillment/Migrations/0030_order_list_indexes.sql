-- The ops order list pages newest first by id (version-7 UUIDs) under each filter; these let an index answer each one.
CREATE INDEX IF NOT EXISTS orders_status_id ON fulfillment.orders (status, id DESC);
CREATE INDEX IF NOT EXISTS orders_merchant_id ON fulfillment.orders (merchant_id, id DESC);
CREATE INDEX IF NOT EXISTS orders_merchant_order_id ON fulfillment.orders (merchant_order_id);
CREATE INDEX IF NOT EXISTS order_lines_supplier ON fulfillment.order_lines (supplier_id, order_id) WHERE supplier_id IS NOT NULL;
