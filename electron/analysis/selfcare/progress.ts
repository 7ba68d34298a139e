import { EXERCISES, type ExerciseId } from '../../contract/shared/selfcare/catalog.js';

export interface RunOutcome {
  exercise: string;
  level: number;
  outcome: 'completed' | 'left' | null;
}

export interface ExerciseProgress {
  exercise: ExerciseId;
  levels: number;
  /** Highest level completed (0: none yet). */
  completed: number;
  /** Highest level the client may start: the next after the highest completed, up to the last. */
  unlocked: number;
}

/** Levels reached per exercise from the stored runs: a level opens when the one before it is completed once. */
export function levelsReached(runs: readonly RunOutcome[]): ExerciseProgress[] {
  return EXERCISES.map((e) => {
    const completed = Math.max(0, ...runs.filter((r) => r.exercise === e.id && r.outcome === 'completed').map((r) => r.level));
    return { exercise: e.id, levels: e.levels.length, completed, unlocked: Math.min(e.levels.length, completed + 1) };
  });
}
