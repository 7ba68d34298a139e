import { EXERCISES, exerciseById } from '../contract/shared/selfcare/catalog.js';
import { levelsReached } from '../analysis/selfcare/progress.js';
import type { Db } from '../store/db.js';
import { listRuns } from '../store/selfcare-repo.js';

/** How many of the latest runs the report lists (the export has them all). */
export const REPORT_RUNS = 10;

export interface ReportSelfCare {
  /** Runs on or before this day (the session's date) count. */
  until: string;
  totalRuns: number;
  completedRuns: number;
  /** Mean of (after − before) over runs with both ratings; null when none has both. */
  meanTensionChange: number | null;
  ratedRuns: number;
  levels: Array<{ title: string; completed: number; levels: number }>;
  /** The latest runs, oldest first. */
  latest: Array<{
    startedAt: string;
    exercise: string;
    level: number;
    lengthS: number | null;
    outcome: 'completed' | 'left' | 'unfinished';
    before: number | null;
    after: number | null;
  }>;
}

/** The client's self-care exercises up to a day, for the clinician's report; null when the client has none. */
export function selfCareForReport(db: Db, clientId: number, until: string): ReportSelfCare | null {
  const runs = listRuns(db, clientId, { until });
  if (runs.length === 0) return null;
  const rated = runs.filter((r) => r.tensionBefore !== null && r.tensionAfter !== null);
  const progress = levelsReached(runs);
  return {
    until,
    totalRuns: runs.length,
    completedRuns: runs.filter((r) => r.outcome === 'completed').length,
    meanTensionChange: rated.length
      ? Math.round((rated.reduce((s, r) => s + (r.tensionAfter! - r.tensionBefore!), 0) / rated.length) * 10) / 10
      : null,
    ratedRuns: rated.length,
    levels: EXERCISES.map((e) => ({ title: e.title, completed: progress.find((p) => p.exercise === e.id)!.completed, levels: e.levels.length })),
    latest: runs.slice(-REPORT_RUNS).map((r) => {
      const e = exerciseById(r.exercise);
      return {
        startedAt: r.startedAt,
        exercise: `${e.title}, level ${r.level}`,
        level: r.level,
        lengthS: r.lengthS,
        outcome: r.outcome ?? 'unfinished',
        before: r.tensionBefore,
        after: r.tensionAfter,
      };
    }),
  };
}
