-- What SQLite's 0015_after_onload and 0018_cache_and_proxy_fields add, in the same order (Tables.cs spells it once):
-- issue 16's icon after the load event and anonymous (CORS) font connections; issue 15's HTTP cache entry per object
-- (HAR 1.2 cache, as JSON) and --keep-connections on connections; issue 12's Via and Age per object.
ALTER TABLE objects ADD COLUMN after_onload BIGINT NOT NULL DEFAULT 0;
ALTER TABLE objects ADD COLUMN cache TEXT;
ALTER TABLE objects ADD COLUMN via TEXT;
ALTER TABLE objects ADD COLUMN age BIGINT;
ALTER TABLE connections ADD COLUMN anonymous BIGINT NOT NULL DEFAULT 0;
ALTER TABLE connections ADD COLUMN kept_for_repeat_view BIGINT NOT NULL DEFAULT 0;
ALTER TABLE connections ADD COLUMN kept_from BIGINT;
