import { fuseTracks } from './fuse.js';
import type { AnalysisSummary } from './result.js';

/**
 * How much of a recording each track actually saw, and whether that is enough to name a label. A face seen in 5 of
 * 13 frames, or one false detection in a cartoon, must not become "face: sad" in a summary or a trend: below the
 * minimum the track says "too little data" instead. The minimum is a per-database setting (Settings page).
 */
export interface CoverageRule {
  /** Share of analysed frames with a face. */
  minFaceShare: number;
  /** Frames with a face. */
  minFaceFrames: number;
  /** Share of the recording's time inside windows with speech. */
  minSpeechShare: number;
  /** Seconds inside windows with speech. */
  minSpeechS: number;
}

export const DEFAULT_COVERAGE_RULE: Readonly<CoverageRule> = { minFaceShare: 0.2, minFaceFrames: 10, minSpeechShare: 0.1, minSpeechS: 5 };

export const TOO_LITTLE_DATA = 'too little data';

export interface FaceCoverage {
  framesAnalysed: number;
  framesWithFace: number;
  /** framesWithFace / framesAnalysed; null without video frames. */
  share: number | null;
  enough: boolean;
  /** Why there is no label when `enough` is false, in words. */
  why: string | null;
}

export interface VoiceCoverage {
  /** Seconds of the recording inside at least one window with speech. */
  speechS: number;
  durationS: number;
  share: number | null;
  enough: boolean;
  why: string | null;
}

export interface Coverage {
  face: FaceCoverage;
  voice: VoiceCoverage;
  /** The fused estimate over the tracks with enough data (null label: neither has). */
  fused: { label: string | null; confidence: number | null; tracks: Array<'face' | 'voice'> };
  rule: CoverageRule;
}

const pct = (x: number) => `${Math.round(x * 100)} %`;

/** Seconds covered by the union of [start, end) intervals. */
export function unionSeconds(intervals: ReadonlyArray<readonly [number, number]>): number {
  const sorted = [...intervals].filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  let total = 0;
  let curStart = -Infinity;
  let curEnd = -Infinity;
  for (const [a, b] of sorted) {
    if (a > curEnd) {
      if (curEnd > curStart) total += curEnd - curStart;
      curStart = a;
      curEnd = b;
    } else curEnd = Math.max(curEnd, b);
  }
  if (curEnd > curStart) total += curEnd - curStart;
  return total;
}

export function faceCoverage(s: Pick<AnalysisSummary, 'face'>, rule: CoverageRule): FaceCoverage {
  const { framesAnalysed, framesWithFace } = s.face;
  const share = framesAnalysed > 0 ? framesWithFace / framesAnalysed : null;
  let why: string | null = null;
  if (framesAnalysed === 0) why = s.face.reason ?? 'no video frames';
  else if (framesWithFace === 0) why = `no face in ${framesAnalysed} frames`;
  else if (framesWithFace < rule.minFaceFrames || share! < rule.minFaceShare)
    why = `${TOO_LITTLE_DATA}: a face in ${framesWithFace} of ${framesAnalysed} frames (${pct(share!)}); needs at least ${rule.minFaceFrames} frames and ${pct(rule.minFaceShare)}`;
  else if (s.face.majority === null) why = s.face.reason ?? 'every face frame was uncertain';
  return { framesAnalysed, framesWithFace, share, enough: why === null, why };
}

export function voiceCoverage(s: Pick<AnalysisSummary, 'voice'>, speechS: number, durationS: number, rule: CoverageRule): VoiceCoverage {
  const share = durationS > 0 && s.voice.windows > 0 ? Math.min(1, speechS / durationS) : null;
  let why: string | null = null;
  if (s.voice.windows === 0) why = s.voice.reason ?? 'no audio';
  else if (s.voice.voicedWindows === 0) why = 'no speech';
  else if (speechS < rule.minSpeechS || share! < rule.minSpeechShare)
    why = `${TOO_LITTLE_DATA}: windows with speech cover ${speechS.toFixed(0)} s of ${durationS.toFixed(0)} s (${pct(share!)}); needs at least ${rule.minSpeechS} s and ${pct(rule.minSpeechShare)}`;
  else if (s.voice.majority === null) why = s.voice.reason ?? 'every window with speech was uncertain';
  return { speechS, durationS, share, enough: why === null, why };
}

/**
 * Coverage of a stored or fresh summary under a rule. `speechS` is the union of the voiced windows' time. The fused
 * estimate is recomputed over the tracks with enough data (from their mean probabilities when the summary has them;
 * a summary from before they were stored falls back to the one usable track's majority, without a confidence).
 */
export function judgeCoverage(s: AnalysisSummary, speechS: number, rule: CoverageRule = DEFAULT_COVERAGE_RULE): Coverage {
  const face = faceCoverage(s, rule);
  const voice = voiceCoverage(s, speechS, s.session.durationS, rule);
  const tracks = [...(face.enough ? (['face'] as const) : []), ...(voice.enough ? (['voice'] as const) : [])];
  let fused: Coverage['fused'];
  if (tracks.length === 2) fused = { label: s.fused.label, confidence: s.fused.confidence, tracks };
  else if (tracks.length === 0) fused = { label: null, confidence: null, tracks };
  else {
    const only = tracks[0];
    const meanProbs = s[only].meanProbs;
    if (meanProbs) {
      const f = fuseTracks([{ meanProbs, votes: 1, weight: 1 }]);
      fused = { label: f.label, confidence: f.confidence, tracks };
    } else fused = { label: s[only].majority, confidence: null, tracks };
  }
  return { face, voice, fused, rule };
}

/** A rule from a stored setting, every field checked; the default for anything missing or out of range. */
export function coverageRuleFrom(value: unknown): CoverageRule {
  const v = (value ?? {}) as Partial<Record<keyof CoverageRule, unknown>>;
  const pick = (k: keyof CoverageRule, max: number) => {
    const x = v[k];
    return typeof x === 'number' && Number.isFinite(x) && x >= 0 && x <= max ? x : DEFAULT_COVERAGE_RULE[k];
  };
  return {
    minFaceShare: pick('minFaceShare', 1),
    minFaceFrames: pick('minFaceFrames', 100000),
    minSpeechShare: pick('minSpeechShare', 1),
    minSpeechS: pick('minSpeechS', 100000),
  };
}
