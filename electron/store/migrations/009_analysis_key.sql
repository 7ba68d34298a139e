-- 009: one stored analysis per recording content, frame rate and set of models, even with two processes
-- writing at once. sessions.analysis_key = '<media sha256>|<fps, 6 decimals>|<model sha256s, sorted, comma-joined>'
-- (electron/store/analysis-key.ts builds the same string); a UNIQUE index refuses a second copy. Re-analysis
-- with `--force` replaces a session's results in place (same id; annotations, client and DASS links kept).
ALTER TABLE sessions ADD COLUMN analysis_key TEXT;
UPDATE sessions SET analysis_key =
  (SELECT m.sha256 FROM media m WHERE m.id = sessions.media_id)
  || '|' || printf('%.6f', json_extract(settings, '$.fps'))
  || '|' || (SELECT group_concat(m2.sha256, ',' ORDER BY m2.sha256) FROM session_models sm JOIN models m2 ON m2.id = sm.model_id WHERE sm.session_id = sessions.id);
-- Copies stored twice before this version: the oldest keeps the key; later ones stay (they may carry
-- annotations or DASS links) without a key, so they are never taken for "the" analysis of that recording.
UPDATE sessions SET analysis_key = NULL
WHERE analysis_key IS NOT NULL AND EXISTS (SELECT 1 FROM sessions o WHERE o.analysis_key = sessions.analysis_key AND o.id < sessions.id);
CREATE UNIQUE INDEX sessions_analysis_key ON sessions (analysis_key);

-- An import job whose recording turned out to be stored already ends 'done', pointing at that session, with this flag.
ALTER TABLE import_jobs ADD COLUMN already_analysed INTEGER NOT NULL DEFAULT 0 CHECK (already_analysed IN (0, 1));
