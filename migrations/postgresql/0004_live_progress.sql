-- Issue 17, item 4: live progress from any agent. The agent running a load writes each finished object here and
-- announces it with NOTIFY fetchagent_live (the payload is only the load's id: NOTIFY payloads stop at 8000 bytes,
-- an object's record need not); an agent following the load for /events reads the rows after the last it read.
-- seq orders the rows as the running agent saw its objects finish; attempt is the queue's attempt (1 for a load
-- that was never queued), so a follower sees a load re-run after its agent died start again. The rows go when the
-- load is stored: the stored document holds every object from then on.
CREATE TABLE live_objects (
    seq          BIGSERIAL PRIMARY KEY,
    page_load_id BIGINT    NOT NULL REFERENCES page_loads (id) ON DELETE CASCADE,
    attempt      BIGINT    NOT NULL,
    agent        TEXT      NOT NULL,
    record       TEXT      NOT NULL
);
CREATE INDEX ix_live_objects_load ON live_objects (page_load_id, seq);
