-- Issue 16: the priority each request went out at, in Chromium's words (DevTools protocol's ResourcePriority, HAR's
-- _priority): VeryHigh, High, Medium, Low or VeryLow. It is what ordered the pool's queue and tight mode, including an
-- image boosted to Medium, which the object's kind alone cannot tell. NULL on objects stored before.
ALTER TABLE objects ADD COLUMN priority TEXT;
