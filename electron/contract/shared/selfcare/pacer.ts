import { BREATH_PATTERNS, type BreathPattern } from './catalog.js';

export interface PacerState {
  phase: 'in' | 'out';
  /** 0..1 through the current phase. */
  progress: number;
  /** The pacer circle's size, 0 (empty lungs) .. 1 (full), eased so the turn at each end is gentle. */
  size: number;
  /** Whole seconds left in this phase (the count a static, reduced-motion pacer shows), at least 1. */
  count: number;
  /** 1-based number of the breath under way. */
  breath: number;
  secondsLeft: number;
  done: boolean;
}

/**
 * Where the breathing pacer is `tS` seconds into a run: in or out, how far, and the count. A breath lasts
 * 60 / breathsPerMin seconds, split into breathing in and breathing out by the pattern (no holds).
 */
export function pacerAt(tS: number, breathsPerMin: number, pattern: BreathPattern, lengthS: number): PacerState {
  const t = Math.max(0, Math.min(tS, lengthS));
  const cycle = 60 / breathsPerMin;
  const inS = cycle * BREATH_PATTERNS[pattern].inShare;
  const outS = cycle - inS;
  const breathIndex = Math.floor(t / cycle);
  const inCycle = t - breathIndex * cycle;
  const breathingIn = inCycle < inS;
  const phaseLen = breathingIn ? inS : outS;
  const intoPhase = breathingIn ? inCycle : inCycle - inS;
  const progress = intoPhase / phaseLen;
  const eased = 0.5 - 0.5 * Math.cos(Math.PI * progress);
  return {
    phase: breathingIn ? 'in' : 'out',
    progress,
    size: breathingIn ? eased : 1 - eased,
    count: Math.max(1, Math.ceil(phaseLen - intoPhase - 1e-9)),
    breath: breathIndex + 1,
    secondsLeft: lengthS - t,
    done: tS >= lengthS,
  };
}

/** Seconds breathing in and out for a pace and pattern (shown before starting). */
export function breathTimes(breathsPerMin: number, pattern: BreathPattern): { inS: number; outS: number } {
  const cycle = 60 / breathsPerMin;
  const inS = cycle * BREATH_PATTERNS[pattern].inShare;
  return { inS, outS: cycle - inS };
}
