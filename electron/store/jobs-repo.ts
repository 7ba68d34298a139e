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
  createdAt: string;
}

const SELECT = `SELECT id, file, client_id AS clientId, fps, status, error, error_detail AS errorDetail, retryable, session_id AS sessionId, created_at AS createdAt FROM import_jobs`;

const toRow = (r: (Omit<JobRow, 'retryable'> & { retryable: number }) | undefined): JobRow | undefined => r && { ...r, retryable: r.retryable === 1 };

export function addJobs(db: Db, files: string[], clientId: number | null, fps: number): JobRow[] {
  const insert = db.prepare('INSERT INTO import_jobs (file, client_id, fps) VALUES (?, ?, ?)');
  return db.transaction(() => files.map((f) => getJob(db, Number(insert.run(f, clientId, fps).lastInsertRowid))!))();
}

export function getJob(db: Db, id: number): JobRow | undefined {
  return toRow(db.prepare(`${SELECT} WHERE id = ?`).get(id) as Parameters<typeof toRow>[0]);
}

/** Recent jobs first: everything still to do, then the last 200 finished. */
export function listJobs(db: Db): JobRow[] {
  return db
    .prepare(`${SELECT} WHERE status IN ('queued', 'running') OR id IN (SELECT id FROM import_jobs WHERE status NOT IN ('queued', 'running') ORDER BY id DESC LIMIT 200) ORDER BY id`)
    .all()
    .map((r) => toRow(r as Parameters<typeof toRow>[0])!);
}

export function nextQueuedJob(db: Db): JobRow | undefined {
  return toRow(db.prepare(`${SELECT} WHERE status = 'queued' ORDER BY id LIMIT 1`).get() as Parameters<typeof toRow>[0]);
}

export function setJobStatus(
  db: Db,
  id: number,
  status: JobStatus,
  extra: { error?: string | null; errorDetail?: string | null; retryable?: boolean; sessionId?: number | null } = {},
): void {
  db.prepare(
    `UPDATE import_jobs SET status = ?, error = ?, error_detail = ?, retryable = ?, session_id = COALESCE(?, session_id),
     updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?`,
  ).run(status, extra.error ?? null, extra.errorDetail ?? null, extra.retryable === false ? 0 : 1, extra.sessionId ?? null, id);
}

/** After a restart: jobs that were running when the app stopped are queued again (their partial work was never stored). */
export function requeueInterrupted(db: Db): number {
  return db.prepare("UPDATE import_jobs SET status = 'queued', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE status = 'running'").run().changes;
}
