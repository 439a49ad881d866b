-- Issue 13 item 3: the ports a load used and the TIME_WAIT sockets it left (the side that closes first holds
-- TIME_WAIT): per load the local ports (a JSON array) and how many of FetchAgent's ends sat in TIME_WAIT; per
-- connection whether its end did and who closed first ('client', 'server'). NULL where the kernel's table could
-- not be read, and on rows stored before.
ALTER TABLE page_loads ADD COLUMN ports_used TEXT;
ALTER TABLE page_loads ADD COLUMN time_wait_sockets INTEGER;
ALTER TABLE connections ADD COLUMN time_wait INTEGER;
ALTER TABLE connections ADD COLUMN closed_by TEXT;
