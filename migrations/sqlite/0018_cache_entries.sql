-- Issue 15: an object's entry in the HTTP cache before its request and after its response (HAR 1.2 "cache"), as JSON,
-- on loads with a repeat view; NULL on loads without one, and on objects stored before.
ALTER TABLE objects ADD COLUMN cache TEXT;
