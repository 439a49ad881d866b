-- Issue 15: a repeat view (the page loaded again with the HTTP cache its first view left) is a page load of its own,
-- linked to its first view; it goes with it (ON DELETE CASCADE) and stays out of the list and trends.
ALTER TABLE page_loads ADD COLUMN repeat_of INTEGER REFERENCES page_loads(id) ON DELETE CASCADE;
CREATE INDEX page_loads_repeat_of ON page_loads(repeat_of) WHERE repeat_of IS NOT NULL;
-- An object answered by the cache with nothing sent (RFC 9111 §4.2), and one revalidated with a 304 (§4.3.4); 0 on objects stored before.
ALTER TABLE objects ADD COLUMN from_cache INTEGER NOT NULL DEFAULT 0;
ALTER TABLE objects ADD COLUMN revalidated INTEGER NOT NULL DEFAULT 0;
