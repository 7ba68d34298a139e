import { appendAudit, type AuditActor } from './audit-repo.js';
import type { Db } from './db.js';
import { optimizeTranscriptSearch, transcriptCounts } from './transcripts-repo.js';

/**
 * Erasure. A client is erased by deleting its sessions, then its row: every table holding a client's or a
 * session's data references clients(id) or sessions(id) ON DELETE CASCADE (a recording's media row goes
 * with its last session, by trigger), so nothing here lists the tables that hold data. The database runs
 * with secure_delete on (db.ts), so deleted bytes are zeroed; `compactAfterErasure` then checkpoints the
 * WAL away and vacuums, so the bytes are gone from the file and its WAL too.
 */

export type ErasureTarget =
  | { kind: 'client'; id: number }
  | { kind: 'session'; id: number }
  | { kind: 'dass'; id: number }
  | { kind: 'annotation-track'; id: number }
  | { kind: 'transcript'; id: number };

export interface ErasureCounts {
  clients: number;
  sessions: number;
  dass: number;
  annotationTracks: number;
  annotationSegments: number;
  importJobs: number;
  /** Transcripts (their words leave the search index too). */
  transcripts: number;
  /** Recordings whose stored path and technical details go (the recording files themselves stay where they are). */
  recordings: number;
}

export class NotFoundError extends Error {}

const one = (db: Db, sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { n: number }).n;

/** What erasing this target removes (counted before anything is deleted). Throws NotFoundError for an unknown id. */
export function erasurePreview(db: Db, target: ErasureTarget): ErasureCounts {
  const { kind, id } = target;
  const exists: Record<ErasureTarget['kind'], string> = {
    client: 'SELECT count(*) AS n FROM clients WHERE id = ?',
    session: 'SELECT count(*) AS n FROM sessions WHERE id = ?',
    dass: 'SELECT count(*) AS n FROM dass_administrations WHERE id = ?',
    'annotation-track': 'SELECT count(*) AS n FROM annotation_tracks WHERE id = ?',
    transcript: 'SELECT count(*) AS n FROM transcripts WHERE id = ?',
  };
  if (one(db, exists[kind], id) === 0) throw new NotFoundError(`no ${kind === 'dass' ? 'DASS-21 entry' : kind.replace('-', ' ')} with id ${id}`);
  const none = { clients: 0, sessions: 0, dass: 0, annotationTracks: 0, annotationSegments: 0, importJobs: 0, transcripts: 0, recordings: 0 };
  if (kind === 'transcript') return { ...none, transcripts: 1 };
  if (kind === 'dass') return { ...none, dass: 1 };
  if (kind === 'annotation-track')
    return { ...none, annotationTracks: 1, annotationSegments: one(db, 'SELECT count(*) AS n FROM annotation_segments WHERE track_id = ?', id) };
  // The sessions that go: the client's, or the one.
  const sessions = kind === 'client' ? 'SELECT id FROM sessions WHERE client_id = ?' : 'SELECT id FROM sessions WHERE id = ?';
  return {
    clients: kind === 'client' ? 1 : 0,
    sessions: one(db, `SELECT count(*) AS n FROM (${sessions})`, id),
    dass: kind === 'client' ? one(db, 'SELECT count(*) AS n FROM dass_administrations WHERE client_id = ?', id) : 0,
    annotationTracks: one(db, `SELECT count(*) AS n FROM annotation_tracks WHERE session_id IN (${sessions})`, id),
    annotationSegments: one(
      db,
      `SELECT count(*) AS n FROM annotation_segments WHERE track_id IN (SELECT id FROM annotation_tracks WHERE session_id IN (${sessions}))`,
      id,
    ),
    importJobs: one(
      db,
      `SELECT count(*) AS n FROM import_jobs WHERE session_id IN (${sessions})${kind === 'client' ? ' OR client_id = ?' : ''}`,
      ...(kind === 'client' ? [id, id] : [id]),
    ),
    transcripts: transcriptCounts(db, sessions, id).transcripts,
    recordings: one(
      db,
      `SELECT count(DISTINCT media_id) AS n FROM sessions s WHERE s.id IN (${sessions})
       AND NOT EXISTS (SELECT 1 FROM sessions o WHERE o.media_id = s.media_id AND o.id NOT IN (${sessions}))`,
      id,
      id,
    ),
  };
}

/**
 * Erase the target and everything of it in one transaction, with its audit entry (ids and counts only).
 * Returns what went. Call `compactAfterErasure` afterwards (it cannot run inside a transaction).
 */
export function erase(db: Db, target: ErasureTarget, actor: AuditActor): ErasureCounts {
  return db
    .transaction(() => {
      const counts = erasurePreview(db, target);
      const { kind, id } = target;
      if (kind === 'client') {
        db.prepare('DELETE FROM sessions WHERE client_id = ?').run(id);
        db.prepare('DELETE FROM clients WHERE id = ?').run(id);
      } else if (kind === 'session') db.prepare('DELETE FROM sessions WHERE id = ?').run(id);
      else if (kind === 'dass') db.prepare('DELETE FROM dass_administrations WHERE id = ?').run(id);
      else if (kind === 'transcript') db.prepare('DELETE FROM transcripts WHERE id = ?').run(id);
      else db.prepare('DELETE FROM annotation_tracks WHERE id = ?').run(id);
      // The search index keeps the terms of deleted cues in older segments until it is merged: merge it now.
      if (counts.transcripts > 0) optimizeTranscriptSearch(db);
      appendAudit(db, { actor, action: 'erase', objectKind: kind, objectId: id, details: { ...counts } });
      return counts;
    })
    .immediate();
}

/**
 * After an erasure: move everything out of the WAL into the file (TRUNCATE empties the WAL file), rebuild the
 * file without free pages (VACUUM), and empty the WAL again. Returns a warning instead of throwing when another
 * connection (the app, another command) keeps a read open and the WAL cannot be emptied now.
 */
export function compactAfterErasure(db: Db): { ok: true } | { ok: false; warning: string } {
  try {
    checkpointTruncate(db);
    db.exec('VACUUM');
    checkpointTruncate(db);
    return { ok: true };
  } catch (err) {
    return {
      ok: false,
      warning: `the erased data is deleted, but the file could not be compacted now (${(err as Error).message}); close other programs using the database and erase again, or run \`affect db compact\``,
    };
  }
}

export function checkpointTruncate(db: Db): void {
  const r = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number; log: number; checkpointed: number }>;
  if (r[0] && r[0].busy !== 0) throw new Error('another connection is reading the database');
}

/** One line naming what goes, for confirmations: "client 7: 4 sessions, 3 DASS-21 entries, 2 annotation tracks". */
export function describeErasure(counts: ErasureCounts): string {
  const parts: string[] = [];
  const add = (n: number, one: string, many = `${one}s`) => n > 0 && parts.push(`${n} ${n === 1 ? one : many}`);
  add(counts.sessions, 'session');
  add(counts.dass, 'DASS-21 entry', 'DASS-21 entries');
  add(counts.annotationTracks, 'annotation track');
  add(counts.importJobs, 'import job');
  add(counts.transcripts, 'transcript');
  // A track on its own: say how much labelling goes with it.
  if (counts.sessions === 0 && counts.annotationTracks > 0) add(counts.annotationSegments, 'labelled segment');
  return parts.length ? parts.join(', ') : 'nothing else';
}
