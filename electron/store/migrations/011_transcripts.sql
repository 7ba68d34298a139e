-- 010: what was said. A session has at most one transcript (attaching another replaces it, in one transaction):
-- where it came from (format, file name, encoding, a hash of its bytes), its speakers as the file names them (with
-- the user's corrected name and the participant they are mapped to), and its cues (utterances) on the recording's
-- clock with the text model's estimate for each. Everything goes with the session (ON DELETE CASCADE), and the search
-- index follows the cues by trigger. Read and written only through electron/store/transcripts-repo.ts.
CREATE TABLE transcripts (
  id            INTEGER PRIMARY KEY,
  session_id    INTEGER NOT NULL UNIQUE REFERENCES sessions (id) ON DELETE CASCADE,
  format        TEXT    NOT NULL CHECK (format IN ('webvtt', 'srt', 'timestamped-text', 'eaf')),
  file_name     TEXT    NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255), -- the base name only, never the folder
  encoding      TEXT    NOT NULL,
  sha256        TEXT    NOT NULL CHECK (length(sha256) = 64), -- of the file's bytes
  imported_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  -- The text-emotion model that estimated the cues (null: none was run).
  text_model_id INTEGER REFERENCES models (id),
  -- What the readers tolerated or evened out (JSON array of sentences).
  warnings      TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(warnings) AND json_type(warnings) = 'array')
);

-- A speaker as the file names them. participant: the session participant's number (participants.number) they are
-- mapped to, null when not mapped; mapping 'auto' (by overlap with the diarized speech turns, score = share of the
-- speaker's cue time inside that participant's turns) or 'user' (chosen by hand; score null).
CREATE TABLE transcript_speakers (
  id             INTEGER PRIMARY KEY,
  transcript_id  INTEGER NOT NULL REFERENCES transcripts (id) ON DELETE CASCADE,
  label          TEXT    NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
  name           TEXT    CHECK (name IS NULL OR length(trim(name)) BETWEEN 1 AND 200), -- the user's correction
  participant    INTEGER CHECK (participant IS NULL OR (typeof(participant) = 'integer' AND participant >= 1)),
  mapping        TEXT    CHECK (mapping IS NULL OR mapping IN ('auto', 'user')),
  mapping_score  REAL    CHECK (mapping_score IS NULL OR (mapping_score >= 0 AND mapping_score <= 1)),
  UNIQUE (transcript_id, label),
  CHECK ((participant IS NULL) OR (mapping IS NOT NULL))
);

-- One utterance. probs: float32 little-endian in the text model's label order (null: no words the model could read).
-- label: the estimate, null when the model abstained (top probability below its threshold) or had nothing to read;
-- top/confidence: the top label and its probability even when it abstained. participant: the cue's speaker's
-- participant, or for a cue without a named speaker the participant whose speech turns cover it (auto).
CREATE TABLE transcript_cues (
  id            INTEGER PRIMARY KEY,
  transcript_id INTEGER NOT NULL REFERENCES transcripts (id) ON DELETE CASCADE,
  seq           INTEGER NOT NULL CHECK (seq >= 0), -- time order within the transcript
  start_s       REAL    NOT NULL CHECK (start_s >= 0),
  end_s         REAL    NOT NULL,
  speaker_id    INTEGER REFERENCES transcript_speakers (id) ON DELETE SET NULL,
  text          TEXT    NOT NULL CHECK (length(text) > 0),
  source_line   INTEGER, -- 1-based line in the file (null for ELAN annotations)
  label         TEXT,
  top           TEXT,
  confidence    REAL    CHECK (confidence IS NULL OR (confidence >= 0 AND confidence <= 1)),
  probs         BLOB,
  participant   INTEGER CHECK (participant IS NULL OR (typeof(participant) = 'integer' AND participant >= 1)),
  UNIQUE (transcript_id, seq),
  CHECK (end_s >= start_s)
);
CREATE INDEX transcript_cues_time ON transcript_cues (transcript_id, start_s);
CREATE INDEX transcript_cues_speaker ON transcript_cues (speaker_id);

-- Full-text search over what was said, inside the (encrypted) database: an FTS5 index over transcript_cues.text
-- (external content: the words are stored once, in transcript_cues; the index holds the terms). Accents are folded
-- (remove_diacritics 2), so "muede" does not find "müde" but "mude" does. Kept in step by these triggers, which also
-- fire for rows removed by ON DELETE CASCADE. Erasure runs the index's 'optimize' before VACUUM (erase-repo.ts), so
-- the terms of erased cues are not left in older index segments.
CREATE VIRTUAL TABLE transcript_search USING fts5 (text, content = 'transcript_cues', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER transcript_cues_search_insert AFTER INSERT ON transcript_cues
BEGIN
  INSERT INTO transcript_search (rowid, text) VALUES (NEW.id, NEW.text);
END;
CREATE TRIGGER transcript_cues_search_delete AFTER DELETE ON transcript_cues
BEGIN
  INSERT INTO transcript_search (transcript_search, rowid, text) VALUES ('delete', OLD.id, OLD.text);
END;
CREATE TRIGGER transcript_cues_search_update AFTER UPDATE OF text ON transcript_cues
BEGIN
  INSERT INTO transcript_search (transcript_search, rowid, text) VALUES ('delete', OLD.id, OLD.text);
  INSERT INTO transcript_search (rowid, text) VALUES (NEW.id, NEW.text);
END;

-- An import job may bring its transcript: a file given with the recording (browser uploads, `--transcript`), else
-- the one beside the recording with the same base name is looked for when the job runs. note: what the job did not do
-- although it finished (a recording already stored keeps the transcript it has).
ALTER TABLE import_jobs ADD COLUMN transcript TEXT;
ALTER TABLE import_jobs ADD COLUMN note TEXT;
