-- 004: researchers' annotations. A track belongs to a session and an annotator (a name); its segments
-- [start_s, end_s) carry labels from a label scheme and never overlap within the track (enforced by
-- electron/store/annotations-repo.ts, the one writer). Every edit is logged with the segments it removed
-- and added, so undo/redo works across restarts. Model estimates can be materialised as read-only tracks.
CREATE TABLE label_schemes (
  id     INTEGER PRIMARY KEY,
  name   TEXT NOT NULL UNIQUE,
  labels TEXT NOT NULL CHECK (json_valid(labels) AND json_type(labels) = 'array') -- JSON array of label strings
);
INSERT INTO label_schemes (name, labels)
VALUES ('affect-8', '["neutral","calm","happy","sad","angry","fearful","disgust","surprised"]');

CREATE TABLE annotation_tracks (
  id         INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  annotator  TEXT    NOT NULL CHECK (length(trim(annotator)) > 0),
  scheme_id  INTEGER NOT NULL REFERENCES label_schemes (id),
  source     TEXT    NOT NULL DEFAULT 'human' CHECK (source IN ('human', 'model', 'import')),
  read_only  INTEGER NOT NULL DEFAULT 0 CHECK (read_only IN (0, 1)),
  created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (session_id, annotator)
);

-- AUTOINCREMENT: an id is never reused, so undo can put a deleted segment back under its own id.
CREATE TABLE annotation_segments (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  track_id INTEGER NOT NULL REFERENCES annotation_tracks (id) ON DELETE CASCADE,
  start_s  REAL    NOT NULL CHECK (start_s >= 0),
  end_s    REAL    NOT NULL,
  label    TEXT    NOT NULL,
  CHECK (end_s > start_s)
);
CREATE INDEX annotation_segments_track ON annotation_segments (track_id, start_s);

-- The repository checks overlaps with a clear message; these triggers are the backstop for any other writer.
CREATE TRIGGER annotation_segments_no_overlap_insert BEFORE INSERT ON annotation_segments
WHEN EXISTS (SELECT 1 FROM annotation_segments s WHERE s.track_id = NEW.track_id AND s.start_s < NEW.end_s AND NEW.start_s < s.end_s)
BEGIN
  SELECT RAISE(ABORT, 'annotation segments must not overlap within a track');
END;
CREATE TRIGGER annotation_segments_no_overlap_update BEFORE UPDATE OF track_id, start_s, end_s ON annotation_segments
WHEN EXISTS (SELECT 1 FROM annotation_segments s WHERE s.id <> NEW.id AND s.track_id = NEW.track_id AND s.start_s < NEW.end_s AND NEW.start_s < s.end_s)
BEGIN
  SELECT RAISE(ABORT, 'annotation segments must not overlap within a track');
END;

-- One row per edit: the segments it removed (before) and added (after), as JSON arrays of
-- {id, start, end, label}. Undo applies after→before, redo before→after; a new edit drops the undone ones.
CREATE TABLE annotation_edits (
  id         INTEGER PRIMARY KEY,
  track_id   INTEGER NOT NULL REFERENCES annotation_tracks (id) ON DELETE CASCADE,
  op         TEXT    NOT NULL,
  before     TEXT    NOT NULL,
  after      TEXT    NOT NULL,
  undone     INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1)),
  created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX annotation_edits_track ON annotation_edits (track_id, id);

-- The container's real presentation timestamps of the first video stream (variable frame rate included),
-- float64 little-endian seconds in presentation order; edges snap to these.
CREATE TABLE media_frame_times (
  media_id   INTEGER PRIMARY KEY REFERENCES media (id) ON DELETE CASCADE,
  times      BLOB    NOT NULL,
  end_s      REAL    NOT NULL, -- end of the last frame (the stream's or the container's duration)
  method     TEXT    NOT NULL, -- how they were read, e.g. 'ffprobe packet pts_time'
  created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
