-- Issue 17, item 3: the work queue agents share. A POST ?wait=false on any agent records the load (page_loads,
-- status running, no agent yet) and a row here; an agent takes rows with SELECT ... FOR UPDATE SKIP LOCKED, up to
-- its own MaxConcurrentLoads, and holds each by a lease it renews while the load runs. A row whose lease ran out
-- (its agent died) is taken again, or, after max attempts, its load is stored failed with the reason. The row goes
-- when its load is stored. Leases are read on the database's clock, the one clock every agent shares.
CREATE TABLE load_queue (
    page_load_id  BIGINT      PRIMARY KEY REFERENCES page_loads (id) ON DELETE CASCADE,
    url           TEXT        NOT NULL,
    options       TEXT        NOT NULL,
    want_agent    TEXT,
    want_location TEXT,
    enqueued_at   TIMESTAMPTZ NOT NULL,
    agent         TEXT,
    lease_until   TIMESTAMPTZ,
    attempts      BIGINT      NOT NULL DEFAULT 0
);
CREATE INDEX ix_load_queue_ready ON load_queue (enqueued_at, page_load_id);
