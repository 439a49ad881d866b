-- Issue 14: an object's body size with its Content-Encoding undone (HAR content.size), when FetchAgent knows it
-- without decoding on the clock; NULL when unknown, and on objects stored before.
ALTER TABLE objects ADD COLUMN decoded_bytes INTEGER;
