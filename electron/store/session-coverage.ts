import { coverageRuleFrom, judgeCoverage, unionSeconds, type Coverage, type CoverageRule } from '../analysis/coverage.js';
import type { Db } from './db.js';
import { describedParticipant } from './participants-repo.js';
import { getSetting, setSetting } from './settings-repo.js';
import type { SessionListItem } from './sessions-repo.js';

const COVERAGE_SETTING = 'coverage.rule';

/** The minimum-data rule stored in this database (Settings), else the default. */
export function coverageRule(db: Db): CoverageRule {
  return coverageRuleFrom(getSetting(db, COVERAGE_SETTING));
}

/** Store the rule (null: back to the default). */
export function setCoverageRule(db: Db, rule: CoverageRule | null): CoverageRule {
  setSetting(db, COVERAGE_SETTING, rule === null ? undefined : coverageRuleFrom(rule));
  return coverageRule(db);
}

/** Seconds of the recording inside at least one window with a participant's speech (default: the one the summary describes). */
export function speechSeconds(db: Db, sessionId: number, participant = describedParticipant(db, sessionId)): number {
  if (participant === null) return 0;
  const rows = db
    .prepare('SELECT start_s AS a, end_s AS b FROM window_results WHERE session_id = ? AND participant = ? AND voiced = 1')
    .all(sessionId, participant) as Array<{ a: number; b: number }>;
  return unionSeconds(rows.map((r) => [r.a, r.b] as const));
}

/** How much of a stored session each track saw (of the participant its summary describes), judged by the database's rule (or the one given). */
export function sessionCoverage(db: Db, s: Pick<SessionListItem, 'id' | 'summary'>, rule = coverageRule(db)): Coverage {
  return judgeCoverage(s.summary, speechSeconds(db, s.id), rule);
}
