import type { Db } from './db.js';

export interface ClientRow {
  id: number;
  code: string;
  displayName: string | null;
  createdAt: string;
  archivedAt: string | null;
}

const SELECT = 'SELECT id, code, display_name AS displayName, created_at AS createdAt, archived_at AS archivedAt FROM clients';

/** Insert the client unless its code exists; the row, and whether this call created it. */
function insertClient(db: Db, code: string, displayName?: string | null): { row: ClientRow; created: boolean } {
  const trimmed = code.trim();
  if (!trimmed) throw new Error('client code must not be empty');
  const created =
    db.prepare('INSERT INTO clients (code, display_name) VALUES (?, ?) ON CONFLICT (code) DO NOTHING').run(trimmed, displayName ?? null).changes ===
    1;
  return { row: db.prepare(`${SELECT} WHERE code = ?`).get(trimmed) as ClientRow, created };
}

/** The client with this code, created when missing. Codes are pseudonymous identifiers, not names. */
export function ensureClient(db: Db, code: string, displayName?: string): ClientRow {
  return insertClient(db, code, displayName).row;
}

/** Create a client; throws DuplicateClientError when the code is taken (archived clients included). */
export function createClient(db: Db, code: string, displayName?: string | null): ClientRow {
  const { row, created } = insertClient(db, code, displayName);
  if (!created) throw new DuplicateClientError(row.code);
  return row;
}

export class DuplicateClientError extends Error {
  constructor(readonly code: string) {
    super(`a client with code "${code}" already exists`);
  }
}

export function getClient(db: Db, id: number): ClientRow | undefined {
  return db.prepare(`${SELECT} WHERE id = ?`).get(id) as ClientRow | undefined;
}

export function listClients(db: Db, { search = '', includeArchived = false } = {}): ClientRow[] {
  const like = `%${search.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
  return db
    .prepare(
      `${SELECT} WHERE (code LIKE ? ESCAPE '\\' OR display_name LIKE ? ESCAPE '\\') ${includeArchived ? '' : 'AND archived_at IS NULL'} ORDER BY code`,
    )
    .all(like, like) as ClientRow[];
}

export function renameClient(db: Db, id: number, displayName: string | null): void {
  if (db.prepare('UPDATE clients SET display_name = ? WHERE id = ?').run(displayName, id).changes !== 1) throw new Error(`no client with id ${id}`);
}

export function setClientArchived(db: Db, id: number, archived: boolean): void {
  const sql = archived
    ? "UPDATE clients SET archived_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?"
    : 'UPDATE clients SET archived_at = NULL WHERE id = ?';
  if (db.prepare(sql).run(id).changes !== 1) throw new Error(`no client with id ${id}`);
}
