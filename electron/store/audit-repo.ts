import { createHash } from 'node:crypto';
import type { Db } from './db.js';

/**
 * The audit log: append-only (triggers refuse UPDATE and DELETE) and hash-chained (each row's hash covers
 * the previous row's hash and its own fields), so an edited, removed or reordered row is found by
 * `verifyAuditChain`. Rows carry ids, counts and fixed words only — never a client code, a name, a file path
 * or a note — so erasing a client leaves nothing of it here. `appendAudit` enforces that: detail values are
 * numbers, booleans, null, or short words under the keys in WORD_KEYS.
 */

export type AuditActor = 'cli' | 'app' | 'browser';

export type AuditAction =
  | 'import'
  | 'view'
  | 'export'
  | 'erase'
  | 'edit'
  | 'create'
  | 'settings'
  | 'unlock'
  | 'unlock-failed'
  | 'lock'
  | 'setup'
  | 'encrypt'
  | 'rekey'
  | 'backup'
  | 'restore'
  | 'audit-export'
  | 'attach'
  | 'search';

export type AuditObjectKind = 'client' | 'session' | 'dass' | 'annotation-track' | 'database' | 'audit-log' | 'settings' | 'transcript';

export type AuditDetails = Record<string, number | boolean | null | string | number[]>;

export interface AuditEvent {
  actor: AuditActor;
  action: AuditAction;
  objectKind?: AuditObjectKind | null;
  objectId?: number | null;
  details?: AuditDetails;
}

export interface AuditRow {
  id: number;
  at: string;
  actor: AuditActor;
  action: string;
  objectKind: string | null;
  objectId: number | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** Keys whose values may be words (formats, roles, model ids, reasons): a fixed, non-identifying vocabulary. */
export const WORD_KEYS = new Set(['format', 'per', 'role', 'model', 'reason', 'method', 'setting', 'fields', 'cipher']);
const WORD = /^[A-Za-z0-9][A-Za-z0-9._@,-]{0,63}$/;
export const GENESIS_HASH = '0'.repeat(64);

function checkDetails(details: AuditDetails): void {
  for (const [k, v] of Object.entries(details)) {
    if (!/^[a-zA-Z][a-zA-Z0-9]{0,39}$/.test(k)) throw new Error(`audit: detail key "${k}" is not a plain name`);
    const ok =
      v === null ||
      typeof v === 'boolean' ||
      (typeof v === 'number' && Number.isFinite(v)) ||
      (Array.isArray(v) && v.every((x) => Number.isInteger(x))) ||
      (typeof v === 'string' && WORD_KEYS.has(k) && WORD.test(v));
    if (!ok)
      throw new Error(
        `audit: detail "${k}" must be a number, boolean, list of ids, or a short word under ${[...WORD_KEYS].join('/')} (no names, codes, paths or notes)`,
      );
  }
}

/** The exact bytes a row's hash covers: the previous hash and the row's fields, in a fixed order. */
function rowHash(
  prevHash: string,
  r: { id: number; at: string; actor: string; action: string; objectKind: string | null; objectId: number | null; details: string },
): string {
  const canonical = JSON.stringify([prevHash, r.id, r.at, r.actor, r.action, r.objectKind, r.objectId, r.details]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Append one event (in its own immediate transaction, or as a savepoint of the caller's transaction so it
 * commits or rolls back with the change it records). Returns the new row's id.
 */
export function appendAudit(db: Db, event: AuditEvent): number {
  const details = event.details ?? {};
  checkDetails(details);
  const detailsJson = JSON.stringify(details);
  const write = db.transaction(() => {
    const last = db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string } | undefined;
    const seq = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'").get() as { seq: number } | undefined;
    const id = Math.max(last?.id ?? 0, seq?.seq ?? 0) + 1;
    const at = new Date().toISOString();
    const prevHash = last?.hash ?? GENESIS_HASH;
    const row = {
      id,
      at,
      actor: event.actor,
      action: event.action,
      objectKind: event.objectKind ?? null,
      objectId: event.objectId ?? null,
      details: detailsJson,
    };
    db.prepare(
      'INSERT INTO audit_log (id, at, actor, action, object_kind, object_id, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(id, at, row.actor, row.action, row.objectKind, row.objectId, detailsJson, prevHash, rowHash(prevHash, row));
    return id;
  });
  return db.inTransaction ? write() : write.immediate();
}

interface RawRow {
  id: number;
  at: string;
  actor: AuditActor;
  action: string;
  object_kind: string | null;
  object_id: number | null;
  details: string;
  prev_hash: string;
  hash: string;
}

const toRow = (r: RawRow): AuditRow => ({
  id: r.id,
  at: r.at,
  actor: r.actor,
  action: r.action,
  objectKind: r.object_kind,
  objectId: r.object_id,
  details: JSON.parse(r.details) as Record<string, unknown>,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/** Newest first. */
export function listAudit(db: Db, { limit = 200, offset = 0 }: { limit?: number; offset?: number } = {}): { rows: AuditRow[]; total: number } {
  const rows = (db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ? OFFSET ?').all(limit, offset) as RawRow[]).map(toRow);
  const total = (db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
  return { rows, total };
}

/** Oldest first, every row (exports). */
export function allAudit(db: Db): AuditRow[] {
  return (db.prepare('SELECT * FROM audit_log ORDER BY id').all() as RawRow[]).map(toRow);
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  /** The first row that does not fit the chain, and why. */
  firstBroken: { id: number; reason: string } | null;
  /** The last row's hash: note it down (or keep an exported copy) to detect the tail being cut off later. */
  headHash: string;
}

/**
 * Recompute the chain from the first row: each row's prev_hash must be the previous row's hash, and its
 * hash must match its fields. An edited row fails its own hash; a removed or reordered row breaks the link
 * of the next one. (Cutting rows off the end leaves a valid shorter chain: compare headHash with one noted
 * earlier.)
 */
export function verifyAuditChain(db: Db): AuditVerification {
  let prev = GENESIS_HASH;
  let checked = 0;
  for (const r of db.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as IterableIterator<RawRow>) {
    const broken = (reason: string) => ({ ok: false, checked, firstBroken: { id: r.id, reason }, headHash: prev });
    if (r.prev_hash !== prev)
      return broken(
        checked === 0
          ? 'the first entry does not start the chain (entries before it were removed?)'
          : 'does not link to the entry before it (an entry was removed or reordered)',
      );
    const want = rowHash(prev, {
      id: r.id,
      at: r.at,
      actor: r.actor,
      action: r.action,
      objectKind: r.object_kind,
      objectId: r.object_id,
      details: r.details,
    });
    if (want !== r.hash) return broken('its fields do not match its hash (the entry was edited)');
    prev = r.hash;
    checked++;
  }
  return { ok: true, checked, firstBroken: null, headHash: prev };
}

const CSV_COLUMNS = ['id', 'at', 'actor', 'action', 'object_kind', 'object_id', 'details', 'prev_hash', 'hash'] as const;

export function auditToCsv(rows: readonly AuditRow[]): string {
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = rows.map((r) => [r.id, r.at, r.actor, r.action, r.objectKind, r.objectId, r.details, r.prevHash, r.hash].map(cell).join(','));
  return [CSV_COLUMNS.join(','), ...lines].join('\n') + '\n';
}

export function auditToJson(rows: readonly AuditRow[], verification: AuditVerification): string {
  return JSON.stringify({ exportedAt: new Date().toISOString(), verification, entries: rows }, null, 2) + '\n';
}
