-- How many orders each merchant has, kept by triggers, so that GET /api/orders/stats (the console's Orders page asks
-- every 4 s) reads a few rows instead of counting every order: with 1,000,000 stored the count took ~265 ms of CPU per
-- call (380 ms with parallel workers), growing with every order ever stored. The counts per status are read live for
-- every status but delivered (orders in flight, exceptions, cancellations, through orders_status_id) and delivered is
-- the total less those (OrderQueries.StatsAsync).
--
-- The counters do not follow status changes: that cost every status event a trigger call and two counter upserts
-- (~18-25 more WAL records and ~40-70 more buffers per order, and in alternated runs with 1,000,000 stored 12-18% fewer
-- complete orders a second; docs/benchmarks-history.md). An order's insert and delete touch them, a statement at a time.
--
-- Each backend adds to rows of its own (slot = its pid, unique among live backends), so concurrent transactions never
-- wait on one counter row, and two never lock two rows in opposite orders (a deadlock). OrderCountsFoldJob moves the
-- backends' rows into slot 0 now and then, skipping any row a running transaction holds.
CREATE TABLE fulfillment.order_counts (
    merchant_id text NOT NULL,
    slot integer NOT NULL,
    count bigint NOT NULL,
    PRIMARY KEY (merchant_id, slot)
) WITH (fillfactor = 50);

-- New and deleted orders, a statement at a time (the intake materializer inserts its batch in one statement).
CREATE FUNCTION fulfillment.order_counts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO fulfillment.order_counts AS c (merchant_id, slot, count)
    SELECT merchant_id, pg_backend_pid(), CASE TG_OP WHEN 'DELETE' THEN -count(*) ELSE count(*) END
    FROM order_counts_rows GROUP BY merchant_id
    ON CONFLICT (merchant_id, slot) DO UPDATE SET count = c.count + excluded.count;
    RETURN NULL;
END $$;

-- A change of merchant, a row at a time. OrderFlow never makes one (the status event does not set merchant_id, so this
-- never fires on the order path), but an order moved by hand keeps the counts right.
CREATE FUNCTION fulfillment.order_counts_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO fulfillment.order_counts AS c (merchant_id, slot, count)
    VALUES (OLD.merchant_id, pg_backend_pid(), -1), (NEW.merchant_id, pg_backend_pid(), 1)
    ON CONFLICT (merchant_id, slot) DO UPDATE SET count = c.count + excluded.count;
    RETURN NULL;
END $$;

CREATE FUNCTION fulfillment.order_counts_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM fulfillment.order_counts;
    RETURN NULL;
END $$;

CREATE TRIGGER order_counts_inserted AFTER INSERT ON fulfillment.orders
    REFERENCING NEW TABLE AS order_counts_rows FOR EACH STATEMENT EXECUTE FUNCTION fulfillment.order_counts_changed();
CREATE TRIGGER order_counts_deleted AFTER DELETE ON fulfillment.orders
    REFERENCING OLD TABLE AS order_counts_rows FOR EACH STATEMENT EXECUTE FUNCTION fulfillment.order_counts_changed();
CREATE TRIGGER order_counts_moved AFTER UPDATE OF merchant_id ON fulfillment.orders
    FOR EACH ROW WHEN (OLD.merchant_id IS DISTINCT FROM NEW.merchant_id)
    EXECUTE FUNCTION fulfillment.order_counts_moved();
CREATE TRIGGER order_counts_truncated AFTER TRUNCATE ON fulfillment.orders
    FOR EACH STATEMENT EXECUTE FUNCTION fulfillment.order_counts_truncated();

-- The orders stored before: counted once, in this migration's transaction. CREATE TRIGGER has locked orders against
-- writes until it commits (the migration runs at start-up, under the migrations' advisory lock), so no order is
-- counted twice or missed; with 1,000,000 stored this takes under a second.
INSERT INTO fulfillment.order_counts (merchant_id, slot, count)
SELECT merchant_id, 0, count(*) FROM fulfillment.orders GROUP BY merchant_id;
