-- Issue 16 item 5: an object requested after the load event, as Chromium requests the page's icon; it is recorded but
-- counts in no metric (onLoad, start render, Speed Index). 0 on objects stored before.
ALTER TABLE objects ADD COLUMN after_onload INTEGER NOT NULL DEFAULT 0;
-- Issue 16 item 6: a connection of an origin's anonymous pool (fonts from another origin, sent without credentials,
-- which Chromium keeps on sockets of their own). 0 on connections stored before.
ALTER TABLE connections ADD COLUMN anonymous INTEGER NOT NULL DEFAULT 0;
