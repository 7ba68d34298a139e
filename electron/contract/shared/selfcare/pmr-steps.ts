import type { MuscleGroup, PmrLevel } from './catalog.js';

export interface PmrStep {
  index: number;
  group: MuscleGroup;
  /** tense: gently tighten and hold; release: let go and notice (in recall levels, release only). */
  kind: 'tense' | 'release';
  startS: number;
  endS: number;
  /** What to do, shown under the group's name. */
  instruction: string;
  /** The group's name and the instruction, as spoken when the client asked for a voice. */
  text: string;
}

/** The timed steps of a PMR level, one tense and one release step per muscle group (release only by recall). */
export function pmrSchedule(level: PmrLevel): PmrStep[] {
  const steps: PmrStep[] = [];
  let t = 0;
  for (const group of level.groups) {
    if (level.tenseS > 0) {
      const instruction = `${group.tense} Hold it gently…`;
      steps.push({
        index: steps.length,
        group,
        kind: 'tense',
        startS: t,
        endS: t + level.tenseS,
        instruction,
        text: `${group.name}. ${instruction}`,
      });
      t += level.tenseS;
    }
    const instruction =
      level.tenseS > 0
        ? 'And let go. Let these muscles go loose, and notice the difference as the tension drains away.'
        : 'Bring your attention here, remember how these muscles felt after letting go, and let any tension drain away.';
    steps.push({
      index: steps.length,
      group,
      kind: 'release',
      startS: t,
      endS: t + level.releaseS,
      instruction,
      text: `${group.name}. ${instruction}`,
    });
    t += level.releaseS;
  }
  return steps;
}

/** The step under way at `tS` seconds (null once the level is over) and the seconds left in it. */
export function pmrAt(steps: readonly PmrStep[], tS: number): { step: PmrStep; secondsLeft: number } | null {
  const step = steps.find((s) => tS >= s.startS && tS < s.endS);
  return step ? { step, secondsLeft: Math.max(1, Math.ceil(step.endS - tS - 1e-9)) } : null;
}
