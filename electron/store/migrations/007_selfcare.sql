-- 007: self-care exercise runs (breathing, muscle relaxation, grounding, the focus game), one row per run a client
-- started, with the tension they rated before and after (0-10, either may be skipped). A run is written when it starts
-- (outcome NULL) and finished once: 'completed' or 'left' (stopped early, which is never held against anyone).
-- Erased with the client. Read and written only through electron/store/selfcare-repo.ts.
CREATE TABLE selfcare_runs (
  id             INTEGER PRIMARY KEY,
  client_id      INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  exercise       TEXT    NOT NULL CHECK (length(exercise) > 0),
  level          INTEGER NOT NULL CHECK (typeof(level) = 'integer' AND level >= 1),
  -- 'clinician': run with the clinician in the room; 'client': handed over in client mode.
  mode           TEXT    NOT NULL CHECK (mode IN ('clinician', 'client')),
  started_at     TEXT    NOT NULL, -- ISO 8601 UTC
  finished_at    TEXT,
  length_s       REAL    CHECK (length_s IS NULL OR length_s >= 0),
  outcome        TEXT    CHECK (outcome IS NULL OR outcome IN ('completed', 'left')),
  tension_before INTEGER CHECK (tension_before IS NULL OR (typeof(tension_before) = 'integer' AND tension_before BETWEEN 0 AND 10)),
  tension_after  INTEGER CHECK (tension_after IS NULL OR (typeof(tension_after) = 'integer' AND tension_after BETWEEN 0 AND 10)),
  -- The focus game's share of time on the light (0-1); NULL for the other exercises.
  score          REAL    CHECK (score IS NULL OR (score >= 0 AND score <= 1)),
  -- How it was run: breathing pattern, spoken guidance, large text, reduced motion (JSON object).
  options        TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(options) AND json_type(options) = 'object'),
  CHECK ((outcome IS NULL) = (finished_at IS NULL)),
  CHECK (outcome IS NULL OR length_s IS NOT NULL)
);
CREATE INDEX selfcare_runs_client ON selfcare_runs (client_id, started_at, id);
