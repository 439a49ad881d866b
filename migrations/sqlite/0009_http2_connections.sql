-- Issue 11: what an HTTP/2 connection says of itself (the multiplexed strategy). protocol is ALPN's id, 'h2' or
-- 'http/1.1', set by the multiplexed strategy only; peer_settings the server's SETTINGS as a JSON object of RFC 9113
-- names to values; peak_concurrent_streams the most streams open at once; goaway the server's GOAWAY
-- ('last-stream-id N, CODE'). NULL on other strategies' connections and on rows stored before.
ALTER TABLE connections ADD COLUMN protocol TEXT;
ALTER TABLE connections ADD COLUMN peer_settings TEXT;
ALTER TABLE connections ADD COLUMN peak_concurrent_streams INTEGER;
ALTER TABLE connections ADD COLUMN goaway TEXT;
