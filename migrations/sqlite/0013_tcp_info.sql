-- Issue 13 item 2: what the kernel knew of each connection (Linux TCP_INFO), as JSON: on each object when it ended,
-- on each connection when it closed. NULL where the kernel offers none, and on rows stored before.
ALTER TABLE objects ADD COLUMN tcp_info TEXT;
ALTER TABLE connections ADD COLUMN tcp_info TEXT;
