import type { Db } from './db.js';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobRow {
  id: number;
  file: string;
  clientId: number | null;
  fps: number;
  status: JobStatus;
  error: string | null;
  sessionId: number | null;
  createdAt: string;
}

const SELECT = `SELECT id, file, client_id AS clientId, fps, status, error, session_id AS sessionId, created_at AS createdAt FROM import_jobs`;

export function addJobs(db: Db, files: string[], clientId: number | null, fps: number): JobRow[] {
  const insert = db.prepare('INSERT INTO import_jobs (file, client_id, fps) VALUES (?, ?, ?)');
  return db.transaction(() => files.map((f) => getJob(db, Number(insert.run(f, clientId, fps).lastInsertRowid))!))();
}

export function getJob(db: Db, id: number): JobRow | undefined {
  return db.prepare(`${SELECT} WHERE id = ?`).get(id) as JobRow | undefined;
}

/** Recent jobs first: everything still to do, then the last 200 finished. */
export function listJobs(db: Db): JobRow[] {
  return db
    .prepare(`${SELECT} WHERE status IN ('queued', 'running') OR id IN (SELECT id FROM import_jobs WHERE status NOT IN ('queued', 'running') ORDER BY id DESC LIMIT 200) ORDER BY id`)
    .all() as JobRow[];
}

export function nextQueuedJob(db: Db): JobRow | undefined {
  return db.prepare(`${SELECT} WHERE status = 'queued' ORDER BY id LIMIT 1`).get() as JobRow | undefined;
}

export function setJobStatus(db: Db, id: number, status: JobStatus, extra: { error?: string | null; sessionId?: number | null } = {}): void {
  db.prepare(
    "UPDATE import_jobs SET status = ?, error = ?, session_id = COALESCE(?, session_id), updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
  ).run(status, extra.error ?? null, extra.sessionId ?? null, id);
}

/** After a restart: jobs that were running when the app stopped are queued again (their partial work was never stored). */
export function requeueInterrupted(db: Db): number {
  return db.prepare("UPDATE import_jobs SET status = 'queued', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE status = 'running'").run().changes;
}
