-- 006: what a trustworthy review needs.
-- Where a session's recording date (sessions.recorded_at) came from: the container's metadata when it was imported
-- ('container'), or the user's correction ('user'). A date set before this migration was given by the caller: 'user'.
ALTER TABLE sessions ADD COLUMN recorded_at_source TEXT CHECK (recorded_at_source IS NULL OR recorded_at_source IN ('container', 'user'));
UPDATE sessions SET recorded_at_source = 'user' WHERE recorded_at IS NOT NULL;
-- The container's own creation date, kept when the user corrects the session's date (so it can be shown beside it).
ALTER TABLE media ADD COLUMN created_at TEXT;
-- An import that failed on the file's content (not a recording, damaged) fails again on a retry: the queue says so.
-- error holds the problem in words; error_detail the tool's own message (ffprobe/ffmpeg), for a technical reader.
ALTER TABLE import_jobs ADD COLUMN retryable INTEGER NOT NULL DEFAULT 1 CHECK (retryable IN (0, 1));
ALTER TABLE import_jobs ADD COLUMN error_detail TEXT;
