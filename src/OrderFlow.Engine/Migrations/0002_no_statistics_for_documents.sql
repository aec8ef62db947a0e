-- ANALYZE sorts the sample of every jsonb column to build statistics no query reads (nothing filters or sorts on an
-- instance's variables or state, a bookmark's state or payload, or a journal entry's input or output). Gather none:
-- autoanalyze of these busy tables costs a fraction of what it did (see fulfillment's 0090_no_statistics_for_documents).
ALTER TABLE engine.workflow_instances ALTER COLUMN variables SET STATISTICS 0, ALTER COLUMN state SET STATISTICS 0;
ALTER TABLE engine.bookmarks ALTER COLUMN state SET STATISTICS 0, ALTER COLUMN payload SET STATISTICS 0;
ALTER TABLE engine.journal ALTER COLUMN input SET STATISTICS 0, ALTER COLUMN output SET STATISTICS 0;
