CREATE SCHEMA IF NOT EXISTS engine;

-- Published versions are immutable; a draft per definition is what the designer edits.
CREATE TABLE engine.workflow_definitions (
    definition_id text NOT NULL,
    version int NOT NULL,
    name text NOT NULL,
    definition jsonb NOT NULL,
    content_hash text NOT NULL,
    published_at timestamptz NOT NULL DEFAULT now(),
    published_by text NOT NULL,
    PRIMARY KEY (definition_id, version)
);

CREATE TABLE engine.workflow_drafts (
    definition_id text PRIMARY KEY,
    definition jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL
);

CREATE TABLE engine.workflow_instances (
    id uuid PRIMARY KEY,
    definition_id text NOT NULL,
    definition_version int NOT NULL,
    correlation_id text,
    status text NOT NULL,
    variables jsonb NOT NULL,
    state jsonb NOT NULL,
    -- true while work is queued that no burst has done yet; the sweep re-dispatches stale ones.
    pending boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    FOREIGN KEY (definition_id, definition_version) REFERENCES engine.workflow_definitions (definition_id, version)
);
CREATE INDEX workflow_instances_pending ON engine.workflow_instances (updated_at) WHERE pending;
CREATE INDEX workflow_instances_correlation ON engine.workflow_instances (correlation_id);
CREATE INDEX workflow_instances_status ON engine.workflow_instances (status, updated_at DESC);

CREATE TABLE engine.bookmarks (
    id uuid PRIMARY KEY,
    instance_id uuid NOT NULL REFERENCES engine.workflow_instances (id) ON DELETE CASCADE,
    activity_id text NOT NULL,
    -- 'event' waits for ResumeAsync, 'timer' and 'retry' resume at resume_at.
    kind text NOT NULL,
    name text NOT NULL,
    correlation_key text,
    resume_at timestamptz,
    state jsonb,
    attempt int NOT NULL DEFAULT 1,
    resumed_at timestamptz,
    payload jsonb,
    created_at timestamptz NOT NULL
);
CREATE INDEX bookmarks_lookup ON engine.bookmarks (name, correlation_key);
CREATE INDEX bookmarks_instance ON engine.bookmarks (instance_id);
CREATE INDEX bookmarks_due ON engine.bookmarks (resume_at) WHERE resume_at IS NOT NULL;

CREATE TABLE engine.journal (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    instance_id uuid NOT NULL REFERENCES engine.workflow_instances (id) ON DELETE CASCADE,
    burst_id uuid NOT NULL,
    activity_id text,
    activity_type text,
    event text NOT NULL,
    outcomes text[],
    attempt int,
    input jsonb,
    output jsonb,
    error text,
    actor text,
    started_at timestamptz NOT NULL,
    duration_ms double precision
);
CREATE INDEX journal_instance ON engine.journal (instance_id, id);

CREATE TABLE engine.incidents (
    id uuid PRIMARY KEY,
    instance_id uuid NOT NULL REFERENCES engine.workflow_instances (id) ON DELETE CASCADE,
    activity_id text NOT NULL,
    activity_type text NOT NULL,
    message text NOT NULL,
    attempts int NOT NULL,
    created_at timestamptz NOT NULL,
    resolved_at timestamptz,
    resolution text,
    resolved_by text
);
CREATE INDEX incidents_open ON engine.incidents (created_at) WHERE resolved_at IS NULL;
CREATE INDEX incidents_instance ON engine.incidents (instance_id);
