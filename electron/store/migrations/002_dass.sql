-- 002: DASS-21 administrations, one row per questionnaire a client filled in.
-- Item answers are kept (q1..q21, NULL = not answered) so scores can always be recomputed; the scores,
-- bands and completeness are stored as computed by electron/analysis/dass/score.ts at save time, with its
-- SCORING_VERSION. Scoring rules: data/dass21/SCORING.md.
CREATE TABLE dass_administrations (
  id              INTEGER PRIMARY KEY,
  client_id       INTEGER NOT NULL REFERENCES clients (id),
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
CREATE INDEX dass_administrations_client ON dass_administrations (client_id, administered_on, id);
CREATE INDEX dass_administrations_session ON dass_administrations (session_id);
