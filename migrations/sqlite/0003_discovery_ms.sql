-- Issue 7 item 2: the time FetchAgent itself held the critical path after a document's or stylesheet's
-- last byte (its discovery), in ms. NULL for every other object, and for loads stored before this column.
-- Numbered 0003: 0002 is taken by another change; the runner applies files in name order, gaps allowed.
ALTER TABLE objects ADD COLUMN discovery_ms REAL;
