-- 001: clients, sessions (one analysed recording each), media, models, per-frame and per-window results.
CREATE TABLE clients (
  id           INTEGER PRIMARY KEY,
  code         TEXT    NOT NULL UNIQUE,
  display_name TEXT,
  created_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  archived_at  TEXT
);

CREATE TABLE models (
  id         INTEGER PRIMARY KEY,
  model_id   TEXT NOT NULL,
  version    TEXT NOT NULL,
  sha256     TEXT NOT NULL,
  task       TEXT NOT NULL,
  labels     TEXT NOT NULL, -- JSON array, output order
  UNIQUE (model_id, version, sha256)
);

CREATE TABLE media (
  id          INTEGER PRIMARY KEY,
  path        TEXT    NOT NULL,
  sha256      TEXT    NOT NULL, -- content hash of the file (first+last MiB and size for large files; see media-hash.ts)
  size_bytes  INTEGER NOT NULL,
  format      TEXT    NOT NULL,
  duration_s  REAL    NOT NULL,
  video_codec TEXT,
  width       INTEGER,
  height      INTEGER,
  fps         REAL,
  audio_codec TEXT,
  sample_rate INTEGER,
  channels    INTEGER
);
CREATE INDEX media_sha256 ON media (sha256);

-- A session row is written only when its analysis has finished: results are all there or not at all.
CREATE TABLE sessions (
  id             INTEGER PRIMARY KEY,
  client_id      INTEGER REFERENCES clients (id) ON DELETE SET NULL,
  media_id       INTEGER NOT NULL REFERENCES media (id),
  title          TEXT,
  recorded_at    TEXT,
  analysed_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  settings       TEXT    NOT NULL, -- JSON: fps, thresholds, engine version
  summary        TEXT    NOT NULL, -- JSON: the analysis summary (face, voice, fused)
  elapsed_s      REAL    NOT NULL
);
CREATE INDEX sessions_client ON sessions (client_id);

CREATE TABLE session_models (
  session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  model_id   INTEGER NOT NULL REFERENCES models (id),
  role       TEXT    NOT NULL, -- 'face-detector' | 'face-expression' | 'voice-emotion'
  PRIMARY KEY (session_id, role)
);

CREATE TABLE frame_results (
  session_id  INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  frame_index INTEGER NOT NULL,
  time_s      REAL    NOT NULL,
  face_found  INTEGER NOT NULL,
  box         TEXT,    -- JSON [x, y, w, h] in source pixels, null without a face
  face_score  REAL,
  label       TEXT,    -- top label, null without a face or when abstained
  confidence  REAL,
  probs       BLOB,    -- float32 little-endian, model label order; null without a face
  PRIMARY KEY (session_id, frame_index)
) WITHOUT ROWID;

CREATE TABLE window_results (
  session_id   INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  window_index INTEGER NOT NULL,
  start_s      REAL    NOT NULL,
  end_s        REAL    NOT NULL,
  voiced       INTEGER NOT NULL,
  label        TEXT,
  confidence   REAL,
  probs        BLOB,
  PRIMARY KEY (session_id, window_index)
) WITHOUT ROWID;
