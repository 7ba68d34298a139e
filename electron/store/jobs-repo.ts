import type { Db } from './db.js';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobRow {
  id: number;
  file: string;
  clientId: number | null;
  fps: number;
  status: JobStatus;
  /** What went wrong, in words (the file is in `file`). */
  error: string | null;
  /** The tool's own message (ffprobe/ffmpeg), for a technical reader. */
  errorDetail: string | null;
  /** False when the failure is in the file's content, so a retry of the same file would fail the same way. */
  retryable: boolean;
  sessionId: number | null;
  /** The recording was stored already (same content, fps and models): the job points at that session. */
  alreadyAnalysed: boolean;
  /** A transcript file given with the recording (null: one beside the recording is looked for when the job runs). */
  transcript: string | null;
  /** What the job did not do although it finished (e.g. a stored recording kept the transcript it had). */
  note: string | null;
  createdAt: string;
}

const SELECT = `SELECT id, file, client_id AS clientId, fps, status, error, error_detail AS errorDetail, retryable, session_id AS sessionId, already_analysed AS alreadyAnalysed, transcript, note, created_at AS createdAt FROM import_jobs`;

type Row = Omit<JobRow, 'retryable' | 'alreadyAnalysed'> & { retryable: number; alreadyAnalysed: number };
const toJob = (r: Row | undefined): JobRow | undefined => r && { ...r, retryable: r.retryable === 1, alreadyAnalysed: r.alreadyAnalysed === 1 };

/** Queue recordings (each with its transcript file, when one is given: `transcripts[i]` goes with `files[i]`). */
export function addJobs(db: Db, files: string[], clientId: number | null, fps: number, transcripts: ReadonlyArray<string | null> = []): JobRow[] {
  const insert = db.prepare('INSERT INTO import_jobs (file, client_id, fps, transcript) VALUES (?, ?, ?, ?)');
  return db.transaction(() => files.map((f, i) => getJob(db, Number(insert.run(f, clientId, fps, transcripts[i] ?? null).lastInsertRowid))!))();
}

export function getJob(db: Db, id: number): JobRow | undefined {
  return toJob(db.prepare(`${SELECT} WHERE id = ?`).get(id) as Row | undefined);
}

/** Recent jobs first: everything still to do, then the last 200 finished. */
export function listJobs(db: Db): JobRow[] {
  return db
    .prepare(
      `${SELECT} WHERE status IN ('queued', 'running') OR id IN (SELECT id FROM import_jobs WHERE status NOT IN ('queued', 'running') ORDER BY id DESC LIMIT 200) ORDER BY id`,
    )
    .all()
    .map((r) => toJob(r as Row)!);
}

export function nextQueuedJob(db: Db): JobRow | undefined {
  return toJob(db.prepare(`${SELECT} WHERE status = 'queued' ORDER BY id LIMIT 1`).get() as Row | undefined);
}

export function setJobStatus(
  db: Db,
  id: number,
  status: JobStatus,
  extra: { error?: string | null; errorDetail?: string | null; retryable?: boolean; sessionId?: number | null } = {},
): void {
  db.prepare(
    `UPDATE import_jobs SET status = ?, error = ?, error_detail = ?, retryable = ?, session_id = COALESCE(?, session_id), note = NULL,
     updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?`,
  ).run(status, extra.error ?? null, extra.errorDetail ?? null, extra.retryable === false ? 0 : 1, extra.sessionId ?? null, id);
}

/** After a restart: jobs that were running when the app stopped are queued again (their partial work was never stored). */
export function requeueInterrupted(db: Db): number {
  return db.prepare("UPDATE import_jobs SET status = 'queued', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE status = 'running'").run()
    .changes;
}

/** The job ends done, pointing at the session that already holds its recording (same content, fps and models). */
export function markJobAlreadyAnalysed(db: Db, id: number, sessionId: number): void {
  db.prepare(
    "UPDATE import_jobs SET status = 'done', error = NULL, session_id = ?, already_analysed = 1, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
  ).run(sessionId, id);
}

/** A note on a finished job (null clears it). */
export function setJobNote(db: Db, id: number, note: string | null): void {
  db.prepare('UPDATE import_jobs SET note = ? WHERE id = ?').run(note, id);
}

/** The files (recordings and transcripts given with them) queued or running jobs still need. */
export function activeJobFiles(db: Db): string[] {
  return (
    db
      .prepare(
        "SELECT file FROM import_jobs WHERE status IN ('queued', 'running') UNION SELECT transcript FROM import_jobs WHERE status IN ('queued', 'running') AND transcript IS NOT NULL",
      )
      .all() as Array<{ file: string }>
  ).map((r) => r.file);
}
