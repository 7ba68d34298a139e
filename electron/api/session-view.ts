import { existsSync } from 'node:fs';
import type { ApiOutput } from '../contract/api.js';
import type { Db } from '../store/db.js';
import { coverageRule, sessionCoverage } from '../store/session-coverage.js';
import type { SessionListItem } from '../store/sessions-repo.js';

/**
 * A stored session as every view shows it: whether its recording is still where it was, and how much each track saw
 * (with "too little data" below the database's minimum).
 */
export function presentSession(db: Db, s: SessionListItem, rule = coverageRule(db)): ApiOutput<'sessions.list'>[number] {
  return { ...s, fileAvailable: existsSync(s.file), coverage: sessionCoverage(db, s, rule) };
}
