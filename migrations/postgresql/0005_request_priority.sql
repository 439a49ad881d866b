-- What SQLite's 0019_request_priority adds: the priority each request went out at, in Chromium's words (VeryHigh,
-- High, Medium, Low or VeryLow); NULL on objects stored before.
ALTER TABLE objects ADD COLUMN priority TEXT;
