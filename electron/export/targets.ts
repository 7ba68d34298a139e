import type { Db } from '../store/db.js';
import { getSession, listSessions } from '../store/sessions-repo.js';

export class ExportTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportTargetError';
  }
}

/** Session ids for `<session-id>`, `client:<code>` or `all`, oldest first; throws when there are none. */
export function resolveSessions(db: Db, target: string): number[] {
  if (target === 'all') {
    const ids = listSessions(db).map((s) => s.id);
    if (ids.length === 0) throw new ExportTargetError('the database has no sessions');
    return ids;
  }
  if (target.startsWith('client:')) {
    const code = target.slice('client:'.length).trim();
    const client = db.prepare('SELECT id FROM clients WHERE code = ?').get(code) as { id: number } | undefined;
    if (!client) throw new ExportTargetError(`no client with code "${code}"`);
    const ids = listSessions(db, { clientId: client.id }).map((s) => s.id);
    if (ids.length === 0) throw new ExportTargetError(`client "${code}" has no sessions`);
    return ids;
  }
  if (!/^\d+$/.test(target)) throw new ExportTargetError(`"${target}" is not a session id, client:<code> or all`);
  const id = Number(target);
  if (!getSession(db, id)) throw new ExportTargetError(`no session with id ${id}`);
  return [id];
}

export function clientCodeOf(db: Db, sessionId: number): string | null {
  const row = db.prepare('SELECT c.code FROM sessions s LEFT JOIN clients c ON c.id = s.client_id WHERE s.id = ?').get(sessionId) as
    { code: string | null } | undefined;
  return row?.code ?? null;
}
