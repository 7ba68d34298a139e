import { ApiError, type ApiOutput } from '../contract/api.js';
import { allAudit, appendAudit, auditToCsv, auditToJson, listAudit, verifyAuditChain, type AuditActor } from '../store/audit-repo.js';
import type { Db } from '../store/db.js';
import { compactAfterErasure, describeErasure, erase, erasurePreview, NotFoundError, type ErasureTarget } from '../store/erase-repo.js';

/**
 * Erasure and the audit log for the UI (the same store code as `affect erase` and `affect audit`).
 * `beforeErase` stops import jobs that would write into what is being erased.
 */
export function privacyHandlers(db: Db, opts: { actor: AuditActor; beforeErase: (target: ErasureTarget) => void }) {
  const found = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof NotFoundError) throw new ApiError(err.message, 'not-found');
      throw err;
    }
  };
  return {
    'erase.preview': (i: ErasureTarget): ApiOutput<'erase.preview'> => {
      const counts = found(() => erasurePreview(db, i));
      return { counts, description: describeErasure(counts) };
    },
    'erase.run': (i: ErasureTarget): ApiOutput<'erase.run'> => {
      found(() => erasurePreview(db, i));
      opts.beforeErase(i);
      const counts = erase(db, i, opts.actor);
      const compacted = compactAfterErasure(db);
      return { counts, compacted: compacted.ok, warning: compacted.ok ? null : compacted.warning };
    },
    'audit.list': (i: { limit?: number; offset?: number }): ApiOutput<'audit.list'> => {
      const { rows, total } = listAudit(db, i);
      return { entries: rows, total };
    },
    'audit.verify': (): ApiOutput<'audit.verify'> => verifyAuditChain(db),
    // Handed to the user (save dialog / download) like every export, never written behind their back.
    'audit.export': (i: { format: 'csv' | 'json' }): ApiOutput<'audit.export'> => {
      appendAudit(db, { actor: opts.actor, action: 'audit-export', objectKind: 'audit-log', details: { format: i.format } });
      const rows = allAudit(db);
      const text = i.format === 'csv' ? auditToCsv(rows) : auditToJson(rows, verifyAuditChain(db));
      return {
        fileName: `audit-log-${new Date().toISOString().replace(/[:.]/g, '-')}.${i.format}`,
        mime: i.format === 'csv' ? 'text/csv' : 'application/json',
        base64: Buffer.from(text, 'utf8').toString('base64'),
      };
    },
  };
}
