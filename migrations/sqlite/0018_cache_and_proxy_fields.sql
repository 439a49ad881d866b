-- Issue 15: an object's entry in the HTTP cache before its request and after its response (HAR 1.2 "cache"), as JSON,
-- on loads with a repeat view; NULL on loads without one, and on objects stored before.
ALTER TABLE objects ADD COLUMN cache TEXT;
-- --keep-connections: a first view's connection kept open for the repeat view (1), and a repeat view's connection
-- that continues a first view's (that connection's id there); 0 and NULL otherwise, and on rows stored before.
ALTER TABLE connections ADD COLUMN kept_for_repeat_view INTEGER NOT NULL DEFAULT 0;
ALTER TABLE connections ADD COLUMN kept_from INTEGER;
-- Issue 12: what proxies and caches on the way said of each response: Via (RFC 9110 §7.6.3) and Age (RFC 9111 §5.1).
ALTER TABLE objects ADD COLUMN via TEXT;
ALTER TABLE objects ADD COLUMN age INTEGER;
