import { allAudit, verifyAuditChain } from '../../store/audit-repo.js';
import { defaultDatabasePath } from '../../store/default-paths.js';
import { parseCommandArgs, UsageError, writeLine, type CliIO } from '../io.js';
import { openCliDatabase } from '../open-db.js';

/**
 * affect audit [--json] [--db <path>]         the audit log, oldest first (JSON: one object with every entry)
 * affect audit verify [--json] [--db <path>]  recompute the hash chain; exit 1 naming the first broken entry
 */
export async function runAudit(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { db: { type: 'string' }, json: { type: 'boolean', default: false } });
  if (positionals.length > 1 || (positionals[0] !== undefined && positionals[0] !== 'verify'))
    throw new UsageError('audit takes no argument, or "verify"');
  const dbPath = values.db ?? defaultDatabasePath();
  const { db } = await openCliDatabase(dbPath, io, { mustExist: true });
  try {
    if (positionals[0] === 'verify') {
      const v = verifyAuditChain(db);
      if (values.json) writeLine(io.stdout, JSON.stringify(v));
      else if (v.ok) writeLine(io.stdout, `audit log intact: ${v.checked} entries, head ${v.headHash}`);
      else
        writeLine(io.stdout, `audit log BROKEN at entry ${v.firstBroken!.id}: ${v.firstBroken!.reason} (${v.checked} entries before it check out)`);
      return v.ok ? 0 : 1;
    }
    const rows = allAudit(db);
    if (values.json) {
      writeLine(io.stdout, JSON.stringify({ entries: rows }));
      return 0;
    }
    for (const r of rows)
      writeLine(
        io.stdout,
        `${r.id}\t${r.at}\t${r.actor}\t${r.action}\t${r.objectKind ? `${r.objectKind}${r.objectId !== null ? ` ${r.objectId}` : ''}` : '-'}\t${Object.keys(r.details).length ? JSON.stringify(r.details) : ''}`,
      );
    if (rows.length === 0) writeLine(io.stderr, 'affect audit: no entries yet');
    return 0;
  } finally {
    db.close();
  }
}
