-- Issue 12: through a proxy. An object's CONNECT exchange (HAR _proxy, inside connect as ssl is; -1 when none, and on
-- rows stored before), a connection's proxy (http://host:port; NULL when direct) and its CONNECT time.
ALTER TABLE objects ADD COLUMN proxy_ms REAL NOT NULL DEFAULT -1;
ALTER TABLE connections ADD COLUMN proxy TEXT;
ALTER TABLE connections ADD COLUMN proxy_ms REAL NOT NULL DEFAULT -1;
