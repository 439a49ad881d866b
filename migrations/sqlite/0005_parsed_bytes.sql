-- Issue 9 item 1: discovery reads at most a cap of each HTML document and stylesheet, and a page keeps bodies
-- only within its budget. An object whose discovery stopped before its end records the decoded bytes it parsed
-- and why ('parse-cap' or 'page-budget'); both NULL when the whole body was read (and on loads stored before).
-- Numbered 0005: 0004 is taken by another change; the runner applies files in name order, gaps allowed.
ALTER TABLE objects ADD COLUMN parsed_bytes INTEGER;
ALTER TABLE objects ADD COLUMN discovery_limit TEXT;
