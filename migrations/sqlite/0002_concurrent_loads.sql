-- Issue 7: a page load records how many other loads ran beside it (the most at any moment), because
-- loads sharing the CPU inflate each other's phases. Loads stored before this migration are taken to
-- have run alone (0): the daemon gives no way to know better after the fact.

ALTER TABLE page_loads ADD COLUMN concurrent_loads INTEGER NOT NULL DEFAULT 0;
