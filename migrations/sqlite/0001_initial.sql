-- FetchAgent's first schema: page loads, their objects and connections, comparisons of strategies.
-- Enums are stored as the contract's kebab-case strings ('completed', 'keep-alive-max') so the
-- database reads like the JSON document. Times inside a load are REAL milliseconds (IEEE doubles,
-- exact round trip); started_at/created_at are UTC text 'yyyy-MM-ddTHH:mm:ss.fffffffZ': fixed width,
-- so text order is time order, and 100 ns precision, so a DateTimeOffset comes back tick for tick.

CREATE TABLE page_loads (
    -- AUTOINCREMENT: an id is never reused after a delete, so a list cursor or a link stays unambiguous.
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    url                   TEXT    NOT NULL,
    host                  TEXT    NOT NULL,  -- from url, lower-case: the list's host filter
    final_url             TEXT,
    started_at            TEXT    NOT NULL,
    status                TEXT    NOT NULL CHECK (status IN ('running', 'completed', 'partial', 'failed')),
    error                 TEXT,
    strategy              TEXT    NOT NULL,  -- options.strategy, a column of its own for trends and comparisons
    options               TEXT    NOT NULL,  -- LoadOptions as the contract's JSON
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
    visual_progress       TEXT    NOT NULL DEFAULT '[]'  -- [{"ms":..,"percent":..}]
);

-- The list is newest first, by (started_at, id), optionally narrowed by url, host or status.
-- Each index ends in started_at (and, implicitly, the rowid id), so a filtered page is one
-- backwards range scan that stops after `limit` rows, with no sort.
CREATE INDEX ix_page_loads_started_at ON page_loads (started_at);
CREATE INDEX ix_page_loads_url_started_at ON page_loads (url, started_at);
CREATE INDEX ix_page_loads_host_started_at ON page_loads (host, started_at);
CREATE INDEX ix_page_loads_status_started_at ON page_loads (status, started_at);

-- One HTTP exchange (a redirect hop is one too). Every HAR timing phase has its own column
-- (-1 where the phase did not happen); the header lists, read only whole, are JSON text.
CREATE TABLE objects (
    page_load_id      INTEGER NOT NULL REFERENCES page_loads (id) ON DELETE CASCADE,
    id                INTEGER NOT NULL,
    url               TEXT    NOT NULL,
    method            TEXT    NOT NULL,
    kind              TEXT    NOT NULL,
    initiator         TEXT    NOT NULL,
    parent_id         INTEGER,
    render_blocking   INTEGER NOT NULL,
    parser_blocking   INTEGER NOT NULL,
    connection_id     INTEGER,
    reused_connection INTEGER NOT NULL,
    retries           INTEGER NOT NULL,
    start_ms          REAL    NOT NULL,
    end_ms            REAL    NOT NULL,
    time_ms           REAL    NOT NULL,
    blocked_ms        REAL    NOT NULL,
    dns_ms            REAL    NOT NULL,
    connect_ms        REAL    NOT NULL,
    ssl_ms            REAL    NOT NULL,
    send_ms           REAL    NOT NULL,
    wait_ms           REAL    NOT NULL,
    receive_ms        REAL    NOT NULL,
    http_version      TEXT,
    status            INTEGER,
    status_text       TEXT,
    content_type      TEXT,
    header_bytes      INTEGER NOT NULL,
    body_bytes        INTEGER NOT NULL,
    error             TEXT,
    redirect_url      TEXT,
    request_headers   TEXT    NOT NULL,  -- [{"name":..,"value":..}] in order
    response_headers  TEXT    NOT NULL,
    PRIMARY KEY (page_load_id, id)
);

-- One TCP connection (plus TLS) with its real 4-tuple and how it ended.
CREATE TABLE connections (
    page_load_id         INTEGER NOT NULL REFERENCES page_loads (id) ON DELETE CASCADE,
    id                   INTEGER NOT NULL,
    scheme               TEXT    NOT NULL,
    host                 TEXT    NOT NULL,
    port                 INTEGER NOT NULL,
    remote_address       TEXT,
    remote_port          INTEGER NOT NULL,
    local_address        TEXT,
    local_port           INTEGER NOT NULL,
    opened_ms            REAL    NOT NULL,
    closed_ms            REAL,
    dns_ms               REAL    NOT NULL,
    connect_ms           REAL    NOT NULL,
    ssl_ms               REAL    NOT NULL,
    requests             INTEGER NOT NULL,
    close_reason         TEXT,
    -- 1 when the server sent Keep-Alive at all: its timeout and max may each still be absent.
    keep_alive           INTEGER NOT NULL,
    keep_alive_timeout_s INTEGER,
    keep_alive_max       INTEGER,
    tls_protocol         TEXT,
    error                TEXT,
    PRIMARY KEY (page_load_id, id)
);

CREATE TABLE comparisons (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    url        TEXT    NOT NULL,
    runs       INTEGER NOT NULL,
    created_at TEXT    NOT NULL
);

-- One run of one strategy; the figures are read from the page load, so a deleted load leaves
-- the row (its strategy and position) with page_load_id NULL.
CREATE TABLE comparison_rows (
    comparison_id INTEGER NOT NULL REFERENCES comparisons (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    strategy      TEXT    NOT NULL,
    page_load_id  INTEGER REFERENCES page_loads (id) ON DELETE SET NULL,
    PRIMARY KEY (comparison_id, position)
);

-- Deleting a page load must find its comparison rows without a table scan (the SET NULL action).
CREATE INDEX ix_comparison_rows_page_load_id ON comparison_rows (page_load_id);
