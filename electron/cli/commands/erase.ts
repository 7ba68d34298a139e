import { defaultDatabasePath } from '../../store/default-paths.js';
import { compactAfterErasure, describeErasure, erase, erasurePreview, NotFoundError, type ErasureTarget } from '../../store/erase-repo.js';
import { parseCommandArgs, UsageError, writeLine, type CliIO } from '../io.js';
import { openCliDatabase } from '../open-db.js';
import { canPrompt, confirmOnTty } from '../passphrase.js';

/**
 * affect erase client <code> [--yes] [--db <path>]
 * affect erase session <id> [--yes] [--db <path>]
 * affect erase transcript <session-id> [--yes] [--db <path>]
 * Deletes the client with all its sessions, DASS-21 entries and annotations (or one session with its
 * annotations), then compacts the file so the bytes are gone from it and its WAL. Asks on a terminal;
 * without a terminal --yes is required. The recordings themselves are not touched.
 */
export async function runErase(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { db: { type: 'string' }, yes: { type: 'boolean', default: false } });
  const [kind, ref, ...extra] = positionals;
  if ((kind !== 'client' && kind !== 'session' && kind !== 'transcript') || !ref || extra.length)
    throw new UsageError('erase needs: client <code> | session <id> | transcript <session-id>');
  const dbPath = values.db ?? defaultDatabasePath();
  const { db } = await openCliDatabase(dbPath, io, { mustExist: true });
  try {
    let target: ErasureTarget;
    let name: string;
    if (kind === 'client') {
      const row = db.prepare('SELECT id FROM clients WHERE code = ?').get(ref.trim()) as { id: number } | undefined;
      if (!row) throw new NotFoundError(`${dbPath}: no client with code "${ref}"`);
      target = { kind: 'client', id: row.id };
      name = `client ${ref}`;
    } else {
      const id = Number(ref);
      if (!Number.isInteger(id) || id <= 0) throw new UsageError(`session id must be a positive integer, got "${ref}"`);
      if (kind === 'session') {
        target = { kind: 'session', id };
        name = `session ${id}`;
      } else {
        const row = db.prepare('SELECT id FROM transcripts WHERE session_id = ?').get(id) as { id: number } | undefined;
        if (!row) throw new NotFoundError(`${dbPath}: session ${id} has no transcript`);
        target = { kind: 'transcript', id: row.id };
        name = `the transcript of session ${id}`;
      }
    }
    const counts = erasurePreview(db, target);
    const what = `Erase ${name}: ${describeErasure(counts)}`;
    if (!values.yes) {
      if (!canPrompt()) throw new UsageError(`${what}. Not a terminal: add --yes to confirm`);
      if (!(await confirmOnTty(`${what}. This cannot be undone (backups keep their copy). Erase? [y/N] `))) {
        writeLine(io.stderr, 'affect erase: not erased');
        return 1;
      }
    }
    erase(db, target, 'cli');
    const compacted = compactAfterErasure(db);
    writeLine(io.stdout, `erased ${name}: ${describeErasure(counts)}`);
    if (!compacted.ok) writeLine(io.stderr, `affect erase: warning: ${compacted.warning}`);
    return 0;
  } catch (err) {
    if (err instanceof NotFoundError) {
      writeLine(io.stderr, `affect erase: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    db.close();
  }
}
