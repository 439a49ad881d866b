-- Issue 10 item 6: beside every error text its machine-readable kind (timeout, dns, refused, tls, truncated,
-- protocol, limit, …), kebab-case as the document writes it; NULL when there is no error, and on rows stored before.
ALTER TABLE page_loads ADD COLUMN error_kind TEXT;
ALTER TABLE objects ADD COLUMN error_kind TEXT;
ALTER TABLE connections ADD COLUMN error_kind TEXT;
