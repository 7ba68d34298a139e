-- 010: who is who. A session's recording holds participants (a face, a voice, or both); every frame and window result
-- belongs to one. Participants are numbered 1.. within their session (1 = the main participant, whom the session's
-- top-level summary describes unless another is marked as the client). Written with the session in one transaction
-- (sessions-repo.ts saveAnalysis); names and the client mark are the user's (participants-repo.ts).
CREATE TABLE participants (
  id              INTEGER PRIMARY KEY,
  session_id      INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  number          INTEGER NOT NULL CHECK (typeof(number) = 'integer' AND number >= 1),
  name            TEXT    CHECK (name IS NULL OR length(trim(name)) > 0),
  is_client       INTEGER NOT NULL DEFAULT 0 CHECK (is_client IN (0, 1)),
  -- JSON {face, voice, fused}: the participant's own summaries (people/participants.ts), null where it has none.
  summary         TEXT    NOT NULL CHECK (json_valid(summary) AND json_type(summary) = 'object'),
  thumbnail       BLOB,    -- a small JPEG of the face (null: a voice-only participant)
  thumbnail_mime  TEXT,
  -- Mean face-identity descriptor, float32 little-endian (biometric data: erased with the session).
  face_embedding  BLOB,
  embedding_model TEXT,
  embedding_count INTEGER,
  UNIQUE (session_id, number),
  CHECK ((thumbnail IS NULL) = (thumbnail_mime IS NULL)),
  CHECK ((face_embedding IS NULL) = (embedding_model IS NULL))
);
CREATE UNIQUE INDEX participants_one_client ON participants (session_id) WHERE is_client = 1;

-- Sessions analysed before this migration are one participant each: the summary's face and voice are that person's.
INSERT INTO participants (session_id, number, summary)
SELECT s.id, 1, json_object(
  'face', CASE WHEN coalesce(json_extract(s.summary, '$.face.framesWithFace'), 0) > 0 THEN json_set(json_extract(s.summary, '$.face'),
            '$.box', json((SELECT json_object('x', round(avg(json_extract(f.box, '$[0]')), 1), 'y', round(avg(json_extract(f.box, '$[1]')), 1),
                                              'width', round(avg(json_extract(f.box, '$[2]')), 1), 'height', round(avg(json_extract(f.box, '$[3]')), 1))
                           FROM frame_results f WHERE f.session_id = s.id AND f.face_found = 1 AND f.box IS NOT NULL)),
            '$.firstSeenS', (SELECT min(time_s) FROM frame_results f WHERE f.session_id = s.id AND f.face_found = 1),
            '$.lastSeenS', (SELECT max(time_s) FROM frame_results f WHERE f.session_id = s.id AND f.face_found = 1),
            '$.small', json('false'), '$.still', json('false')) END,
  'voice', CASE WHEN coalesce(json_extract(s.summary, '$.voice.voicedWindows'), 0) > 0 THEN json_set(json_extract(s.summary, '$.voice'),
            -- speech seconds: the union of the windows with speech (each window's part not already covered)
            '$.speechS', (SELECT round(coalesce(sum(max(0, e - max(st, coalesce(prev, st)))), 0), 3) FROM (
                            SELECT w.start_s AS st, w.end_s AS e,
                                   max(w.end_s) OVER (ORDER BY w.start_s, w.window_index ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev
                            FROM window_results w WHERE w.session_id = s.id AND w.voiced = 1)),
            '$.speaker', 0, '$.channel', NULL, '$.link', NULL) END,
  'fused', CASE WHEN json_extract(s.summary, '$.fused.label') IS NOT NULL
            THEN json_object('label', json_extract(s.summary, '$.fused.label'), 'confidence', json_extract(s.summary, '$.fused.confidence')) END)
FROM sessions s;

-- Frame results: one row per participant with a face track and analysed frame (face_found 0 where it is not on screen).
CREATE TABLE frame_results_by_participant (
  session_id  INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  participant INTEGER NOT NULL,
  frame_index INTEGER NOT NULL,
  time_s      REAL    NOT NULL,
  face_found  INTEGER NOT NULL,
  box         TEXT,    -- JSON [x, y, w, h] in source pixels, null without a face
  face_score  REAL,
  label       TEXT,    -- top label, null without a face or when abstained
  confidence  REAL,
  probs       BLOB,    -- float32 little-endian, model label order; null without a face
  PRIMARY KEY (session_id, participant, frame_index),
  FOREIGN KEY (session_id, participant) REFERENCES participants (session_id, number) ON DELETE CASCADE
) WITHOUT ROWID;
INSERT INTO frame_results_by_participant (session_id, participant, frame_index, time_s, face_found, box, face_score, label, confidence, probs)
SELECT session_id, 1, frame_index, time_s, face_found, box, face_score, label, confidence, probs FROM frame_results;
DROP TABLE frame_results;
ALTER TABLE frame_results_by_participant RENAME TO frame_results;

-- Window results: the windows of each participant's speech.
CREATE TABLE window_results_by_participant (
  session_id   INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  participant  INTEGER NOT NULL,
  window_index INTEGER NOT NULL,
  start_s      REAL    NOT NULL,
  end_s        REAL    NOT NULL,
  voiced       INTEGER NOT NULL,
  label        TEXT,
  confidence   REAL,
  probs        BLOB,
  PRIMARY KEY (session_id, participant, window_index),
  FOREIGN KEY (session_id, participant) REFERENCES participants (session_id, number) ON DELETE CASCADE
) WITHOUT ROWID;
INSERT INTO window_results_by_participant (session_id, participant, window_index, start_s, end_s, voiced, label, confidence, probs)
SELECT session_id, 1, window_index, start_s, end_s, voiced, label, confidence, probs FROM window_results;
DROP TABLE window_results;
ALTER TABLE window_results_by_participant RENAME TO window_results;

-- Who speaks when (diarization), on the file's clock. Sessions from before this migration have none.
CREATE TABLE speech_turns (
  session_id  INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  participant INTEGER NOT NULL,
  start_s     REAL    NOT NULL CHECK (start_s >= 0),
  end_s       REAL    NOT NULL,
  PRIMARY KEY (session_id, start_s, participant),
  FOREIGN KEY (session_id, participant) REFERENCES participants (session_id, number) ON DELETE CASCADE,
  CHECK (end_s > start_s)
) WITHOUT ROWID;

-- The faces of the people the user named in a client's sessions, kept with the client to recognise them in the
-- client's later sessions (offered as a suggestion, never applied by itself). One row per named participant; erased
-- with the client, and with the session (participant) it was learnt from.
CREATE TABLE client_faces (
  id              INTEGER PRIMARY KEY,
  client_id       INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  participant_id  INTEGER NOT NULL UNIQUE REFERENCES participants (id) ON DELETE CASCADE,
  name            TEXT    NOT NULL CHECK (length(trim(name)) > 0),
  is_client       INTEGER NOT NULL DEFAULT 0 CHECK (is_client IN (0, 1)),
  embedding       BLOB    NOT NULL, -- float32 little-endian descriptor (biometric data)
  embedding_model TEXT    NOT NULL,
  embedding_count INTEGER NOT NULL CHECK (embedding_count >= 1),
  created_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX client_faces_client ON client_faces (client_id);

-- A session given to another client takes the faces learnt from it along; a session taken from its client takes them out.
CREATE TRIGGER sessions_client_faces_follow AFTER UPDATE OF client_id ON sessions
BEGIN
  DELETE FROM client_faces WHERE NEW.client_id IS NULL AND participant_id IN (SELECT id FROM participants WHERE session_id = NEW.id);
  UPDATE client_faces SET client_id = NEW.client_id WHERE NEW.client_id IS NOT NULL AND participant_id IN (SELECT id FROM participants WHERE session_id = NEW.id);
END;
