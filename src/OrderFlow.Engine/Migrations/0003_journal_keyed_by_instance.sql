-- orderflow: no transaction
-- The journal is read only by instance (InstanceQueries.GetJournalAsync: WHERE instance_id = $1 ORDER BY id) and deleted
-- with its instance, yet every entry was written into two B-trees: the primary key on id and (instance_id, id). Keyed on
-- (instance_id, id) alone, an entry costs one index entry; with the deliveries' and notifications' changes of
-- fulfillment's 0120 an order wrote ~7% fewer WAL records (docs/benchmarks.md, "Fewer index entries").
--
-- Outside a transaction (SqlMigrator), so that a journal of millions of entries is indexed without holding off the bursts
-- that write it: the new key is built concurrently and then takes the primary key's place, which needs the table's lock
-- only for a moment. Safe to run again from the top.
DROP INDEX CONCURRENTLY IF EXISTS engine.journal_key;
CREATE UNIQUE INDEX CONCURRENTLY journal_key ON engine.journal (instance_id, id);
ALTER TABLE engine.journal DROP CONSTRAINT journal_pkey, ADD CONSTRAINT journal_pkey PRIMARY KEY USING INDEX journal_key;
DROP INDEX CONCURRENTLY IF EXISTS engine.journal_instance;
