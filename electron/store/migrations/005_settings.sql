-- 005: per-database application settings (key → JSON value), e.g. which installed model each analysis role uses.
-- Read and written only through electron/store/settings-repo.ts.
CREATE TABLE app_settings (
  key        TEXT PRIMARY KEY CHECK (length(key) > 0),
  value      TEXT NOT NULL CHECK (json_valid(value)),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
