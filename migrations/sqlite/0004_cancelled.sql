-- Issue 9 item 2: a page load may be 'cancelled' (DELETE of a running or queued load). SQLite cannot alter a CHECK
-- constraint, so page_loads is rebuilt as https://www.sqlite.org/lang_altertable.html#otheralter describes: a new
-- table with the new constraint, every row copied, the old one dropped, the new one renamed, its indexes made again.
-- The runner turns foreign keys off around this file (PRAGMA foreign_keys cannot change inside a transaction), so
-- dropping the old table neither cascades to objects and connections nor nulls comparison_rows.page_load_id; it runs
-- PRAGMA foreign_key_check before committing. The columns are those of 0001 plus 0002's concurrent_loads, in order.

CREATE TABLE page_loads_new (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    url                   TEXT    NOT NULL,
    host                  TEXT    NOT NULL,
    final_url             TEXT,
    started_at            TEXT    NOT NULL,
    status                TEXT    NOT NULL CHECK (status IN ('running', 'completed', 'partial', 'failed', 'cancelled')),
    error                 TEXT,
    strategy              TEXT    NOT NULL,
    options               TEXT    NOT NULL,
    ttfb_ms               REAL    NOT NULL DEFAULT 0,
    dom_content_loaded_ms REAL    NOT NULL DEFAULT 0,
    start_render_ms       REAL    NOT NULL DEFAULT 0,
    speed_index_ms        REAL    NOT NULL DEFAULT 0,
    visually_complete_ms  REAL    NOT NULL DEFAULT 0,
    on_load_ms            REAL    NOT NULL DEFAULT 0,
    perceived_ms          REAL    NOT NULL DEFAULT 0,
    actual_ms             REAL    NOT NULL DEFAULT 0,
    object_count          INTEGER NOT NULL DEFAULT 0,
    connection_count      INTEGER NOT NULL DEFAULT 0,
    reused_requests       INTEGER NOT NULL DEFAULT 0,
    retried_requests      INTEGER NOT NULL DEFAULT 0,
    bytes                 INTEGER NOT NULL DEFAULT 0,
    objects_not_fetched   INTEGER NOT NULL DEFAULT 0,
    visual_progress       TEXT    NOT NULL DEFAULT '[]',
    concurrent_loads      INTEGER NOT NULL DEFAULT 0
);

INSERT INTO page_loads_new (
    id, url, host, final_url, started_at, status, error, strategy, options, ttfb_ms, dom_content_loaded_ms, start_render_ms,
    speed_index_ms, visually_complete_ms, on_load_ms, perceived_ms, actual_ms, object_count, connection_count, reused_requests,
    retried_requests, bytes, objects_not_fetched, visual_progress, concurrent_loads)
SELECT
    id, url, host, final_url, started_at, status, error, strategy, options, ttfb_ms, dom_content_loaded_ms, start_render_ms,
    speed_index_ms, visually_complete_ms, on_load_ms, perceived_ms, actual_ms, object_count, connection_count, reused_requests,
    retried_requests, bytes, objects_not_fetched, visual_progress, concurrent_loads
FROM page_loads;

-- AUTOINCREMENT never reuses an id: carry the old table's high-water mark (a deleted newest load's id included),
-- which DROP TABLE removes from sqlite_sequence and RENAME carries over under the new name.
DELETE FROM sqlite_sequence WHERE name = 'page_loads_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'page_loads_new', seq FROM sqlite_sequence WHERE name = 'page_loads';

DROP TABLE page_loads;
ALTER TABLE page_loads_new RENAME TO page_loads;

CREATE INDEX ix_page_loads_started_at ON page_loads (started_at);
CREATE INDEX ix_page_loads_url_started_at ON page_loads (url, started_at);
CREATE INDEX ix_page_loads_host_started_at ON page_loads (host, started_at);
CREATE INDEX ix_page_loads_status_started_at ON page_loads (status, started_at);
