-- 008: privacy. Erasure relies on ON DELETE CASCADE (erasing a client = deleting its sessions, then the client row),
-- and an append-only, hash-chained audit log (electron/store/audit-repo.ts is its one writer).
--
-- SQLite cannot change a foreign key in place, so the two tables whose rows would outlive an erased client or
-- session are rebuilt with every row and id kept (nothing references either table):
--   dass_administrations.client_id  → clients  ON DELETE CASCADE (was NO ACTION: erasing a client failed)
--   import_jobs.client_id           → clients  ON DELETE CASCADE (was SET NULL: the job kept the recording's path)
--   import_jobs.session_id          → sessions ON DELETE CASCADE (was SET NULL: likewise)
-- A recording's media row (its path) goes with the last session that uses it (trigger below); its frame
-- times cascade from it.
CREATE TABLE dass_administrations_v2 (
  id              INTEGER PRIMARY KEY,
  client_id       INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  session_id      INTEGER REFERENCES sessions (id) ON DELETE SET NULL,
  administered_on TEXT    NOT NULL CHECK (administered_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'), -- YYYY-MM-DD
  q1  INTEGER CHECK (q1 IS NULL OR (typeof(q1) = 'integer' AND q1 BETWEEN 0 AND 3)),
  q2  INTEGER CHECK (q2 IS NULL OR (typeof(q2) = 'integer' AND q2 BETWEEN 0 AND 3)),
  q3  INTEGER CHECK (q3 IS NULL OR (typeof(q3) = 'integer' AND q3 BETWEEN 0 AND 3)),
  q4  INTEGER CHECK (q4 IS NULL OR (typeof(q4) = 'integer' AND q4 BETWEEN 0 AND 3)),
  q5  INTEGER CHECK (q5 IS NULL OR (typeof(q5) = 'integer' AND q5 BETWEEN 0 AND 3)),
  q6  INTEGER CHECK (q6 IS NULL OR (typeof(q6) = 'integer' AND q6 BETWEEN 0 AND 3)),
  q7  INTEGER CHECK (q7 IS NULL OR (typeof(q7) = 'integer' AND q7 BETWEEN 0 AND 3)),
  q8  INTEGER CHECK (q8 IS NULL OR (typeof(q8) = 'integer' AND q8 BETWEEN 0 AND 3)),
  q9  INTEGER CHECK (q9 IS NULL OR (typeof(q9) = 'integer' AND q9 BETWEEN 0 AND 3)),
  q10 INTEGER CHECK (q10 IS NULL OR (typeof(q10) = 'integer' AND q10 BETWEEN 0 AND 3)),
  q11 INTEGER CHECK (q11 IS NULL OR (typeof(q11) = 'integer' AND q11 BETWEEN 0 AND 3)),
  q12 INTEGER CHECK (q12 IS NULL OR (typeof(q12) = 'integer' AND q12 BETWEEN 0 AND 3)),
  q13 INTEGER CHECK (q13 IS NULL OR (typeof(q13) = 'integer' AND q13 BETWEEN 0 AND 3)),
  q14 INTEGER CHECK (q14 IS NULL OR (typeof(q14) = 'integer' AND q14 BETWEEN 0 AND 3)),
  q15 INTEGER CHECK (q15 IS NULL OR (typeof(q15) = 'integer' AND q15 BETWEEN 0 AND 3)),
  q16 INTEGER CHECK (q16 IS NULL OR (typeof(q16) = 'integer' AND q16 BETWEEN 0 AND 3)),
  q17 INTEGER CHECK (q17 IS NULL OR (typeof(q17) = 'integer' AND q17 BETWEEN 0 AND 3)),
  q18 INTEGER CHECK (q18 IS NULL OR (typeof(q18) = 'integer' AND q18 BETWEEN 0 AND 3)),
  q19 INTEGER CHECK (q19 IS NULL OR (typeof(q19) = 'integer' AND q19 BETWEEN 0 AND 3)),
  q20 INTEGER CHECK (q20 IS NULL OR (typeof(q20) = 'integer' AND q20 BETWEEN 0 AND 3)),
  q21 INTEGER CHECK (q21 IS NULL OR (typeof(q21) = 'integer' AND q21 BETWEEN 0 AND 3)),
  depression      INTEGER CHECK (depression IS NULL OR (typeof(depression) = 'integer' AND depression BETWEEN 0 AND 42)),
  anxiety         INTEGER CHECK (anxiety IS NULL OR (typeof(anxiety) = 'integer' AND anxiety BETWEEN 0 AND 42)),
  stress          INTEGER CHECK (stress IS NULL OR (typeof(stress) = 'integer' AND stress BETWEEN 0 AND 42)),
  depression_band TEXT    CHECK (depression_band IS NULL OR depression_band IN ('normal', 'mild', 'moderate', 'severe', 'extremely severe')),
  anxiety_band    TEXT    CHECK (anxiety_band IS NULL OR anxiety_band IN ('normal', 'mild', 'moderate', 'severe', 'extremely severe')),
  stress_band     TEXT    CHECK (stress_band IS NULL OR stress_band IN ('normal', 'mild', 'moderate', 'severe', 'extremely severe')),
  complete        INTEGER NOT NULL CHECK (complete IN (0, 1)), -- every subscale has a score (a prorated one counts)
  scoring_version TEXT    NOT NULL,
  notes           TEXT,
  created_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  CHECK ((depression IS NULL) = (depression_band IS NULL)),
  CHECK ((anxiety IS NULL) = (anxiety_band IS NULL)),
  CHECK ((stress IS NULL) = (stress_band IS NULL))
);
INSERT INTO dass_administrations_v2 SELECT * FROM dass_administrations;
DROP TABLE dass_administrations;
ALTER TABLE dass_administrations_v2 RENAME TO dass_administrations;
CREATE INDEX dass_administrations_client ON dass_administrations (client_id, administered_on, id);
CREATE INDEX dass_administrations_session ON dass_administrations (session_id);

CREATE TABLE import_jobs_v2 (
  id          INTEGER PRIMARY KEY,
  file        TEXT    NOT NULL,
  client_id   INTEGER REFERENCES clients (id) ON DELETE CASCADE,
  fps         REAL    NOT NULL DEFAULT 2,
  status      TEXT    NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  error       TEXT,
  session_id  INTEGER REFERENCES sessions (id) ON DELETE CASCADE,
  created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  retryable   INTEGER NOT NULL DEFAULT 1 CHECK (retryable IN (0, 1)),
  error_detail TEXT
);
INSERT INTO import_jobs_v2 (id, file, client_id, fps, status, error, session_id, created_at, updated_at, retryable, error_detail)
  SELECT id, file, client_id, fps, status, error, session_id, created_at, updated_at, retryable, error_detail FROM import_jobs;
DROP TABLE import_jobs;
ALTER TABLE import_jobs_v2 RENAME TO import_jobs;
CREATE INDEX import_jobs_status ON import_jobs (status);

CREATE TRIGGER sessions_release_media AFTER DELETE ON sessions
BEGIN
  DELETE FROM media WHERE id = OLD.media_id AND NOT EXISTS (SELECT 1 FROM sessions WHERE media_id = OLD.media_id);
END;

-- One row per event: when, from where (cli | app | browser), what, on which object (kind and integer id), and
-- details (JSON: ids, counts and fixed words only — never a client code, name, file path or note, so erasing a
-- client leaves no trace of it here). hash = sha256 over prev_hash and the row's fields (see audit-repo.ts);
-- the first row's prev_hash is 64 zeros. `affect audit verify` recomputes the chain.
CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  at          TEXT    NOT NULL,
  actor       TEXT    NOT NULL CHECK (actor IN ('cli', 'app', 'browser')),
  action      TEXT    NOT NULL CHECK (length(action) BETWEEN 1 AND 40),
  object_kind TEXT    CHECK (object_kind IS NULL OR length(object_kind) BETWEEN 1 AND 40),
  object_id   INTEGER,
  details     TEXT    NOT NULL CHECK (json_valid(details)),
  prev_hash   TEXT    NOT NULL CHECK (length(prev_hash) = 64),
  hash        TEXT    NOT NULL UNIQUE CHECK (length(hash) = 64)
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
