-- 003: the import queue, persisted so jobs survive a restart (a job that was running is queued again).
CREATE TABLE import_jobs (
  id          INTEGER PRIMARY KEY,
  file        TEXT    NOT NULL,
  client_id   INTEGER REFERENCES clients (id) ON DELETE SET NULL,
  fps         REAL    NOT NULL DEFAULT 2,
  status      TEXT    NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  error       TEXT,
  session_id  INTEGER REFERENCES sessions (id) ON DELETE SET NULL,
  created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX import_jobs_status ON import_jobs (status);
