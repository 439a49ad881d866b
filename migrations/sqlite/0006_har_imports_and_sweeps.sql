-- Issue 14. A HAR imported from a browser (POST /api/hars) is stored as a page load: imported_from holds the
-- HAR's creator (NULL for every load FetchAgent ran), title the page's title. A comparison may sweep one
-- option over several values (sweep_option: 'maxConnectionsPerHost' or 'pipelineDepth'; NULL when it does
-- not); each of its rows records the value it ran with (sweep_value).
-- Numbered 0005: 0004 is taken by another branch's migration (cancel); migrations apply in name order.

ALTER TABLE page_loads ADD COLUMN title TEXT;
ALTER TABLE page_loads ADD COLUMN imported_from TEXT;
ALTER TABLE comparisons ADD COLUMN sweep_option TEXT;
ALTER TABLE comparison_rows ADD COLUMN sweep_value INTEGER;
