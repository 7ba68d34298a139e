import type { VoiceFaceLink } from '../result.js';
import { speechWithin, type SpeakerTurn } from './speakers.js';

/**
 * Which voice belongs to which face, where the recording shows it; never a forced guess.
 *
 * Evidence 1, mouth and speech together: for a face and a speaker, the face's mouth activity at each analysed frame
 * (people/mouth-activity.ts: how much the mouth region changed since the previous frame) is correlated with the share
 * of that frame interval in which the speaker speaks (Pearson). A talking face moves its mouth while its voice is
 * heard and less while the others talk. Pairs are taken best first; a pair is linked when its correlation is at
 * least `minCorrelation`, clearly above chance for the number of frames (one-sided Fisher z test), and clearly above
 * the face's and the speaker's other pairs (`margin`). Confidence = (1 − p) × min(1, margin / `fullMargin`).
 *
 * Evidence 2, one face and one voice: when the recording has exactly one face that moves (pictures in a slide are
 * excluded) and exactly one speaker, and the mouth left them unlinked, they are linked with confidence = the share of
 * the speaker's speech during which the face is on screen (below `minOnScreen`, the voice may be someone off camera:
 * no link).
 *
 * A speaker without a link stays a voice-only participant; a face without one stays a face-only participant.
 */
export interface LinkFace {
  key: number;
  /** Mouth activity per frame (the change since the previous frame of the same face). */
  mouth: ReadonlyArray<{ t: number; activity: number }>;
  /** Times of the frames in which the face is on screen. */
  seenAt: readonly number[];
  still: boolean;
}

export interface LinkRules {
  /** Seconds between analysed frames. */
  frameStep: number;
  minFrames: number;
  minCorrelation: number;
  /** p-value of the correlation test at most this. */
  maxP: number;
  /** A margin of this much over the next best pair gives full confidence. */
  fullMargin: number;
  minConfidence: number;
  minOnScreen: number;
}

export const DEFAULT_LINK_RULES: Omit<LinkRules, 'frameStep'> = {
  minFrames: 20,
  minCorrelation: 0.3,
  maxP: 0.01,
  fullMargin: 0.2,
  minConfidence: 0.5,
  minOnScreen: 0.5,
};

export interface LinkMeasure {
  face: number;
  speaker: number;
  /** null when it could not be measured (too few frames, the face never moved, the speaker never or always spoke). */
  correlation: number | null;
  frames: number;
}

export function linkVoicesToFaces(
  faces: readonly LinkFace[],
  speakers: ReadonlyArray<{ id: number; speechS: number }>,
  turns: readonly SpeakerTurn[],
  rules: LinkRules,
): { links: Map<number, { face: number; link: VoiceFaceLink }>; measures: LinkMeasure[] } {
  const measures: LinkMeasure[] = [];
  for (const f of faces)
    for (const s of speakers) {
      const x = f.mouth.map((m) => m.activity);
      const y = f.mouth.map((m) => speechWithin(turns, s.id, m.t - rules.frameStep, m.t) / rules.frameStep);
      measures.push({ face: f.key, speaker: s.id, correlation: x.length >= rules.minFrames ? pearson(x, y) : null, frames: x.length });
    }
  const links = new Map<number, { face: number; link: VoiceFaceLink }>();
  const linkedFaces = new Set<number>();
  const r = (m: LinkMeasure) => m.correlation ?? -Infinity;
  for (const m of [...measures].filter((m) => m.correlation !== null).sort((a, b) => r(b) - r(a))) {
    if (links.has(m.speaker) || linkedFaces.has(m.face) || r(m) < rules.minCorrelation) continue;
    const rivals = measures.filter((o) => o !== m && o.correlation !== null && (o.face === m.face || o.speaker === m.speaker)).map(r);
    const margin = r(m) - Math.max(0, ...rivals);
    const p = correlationP(r(m), m.frames);
    const confidence = (1 - p) * Math.min(1, margin / rules.fullMargin);
    if (p > rules.maxP || confidence < rules.minConfidence) continue;
    links.set(m.speaker, { face: m.face, link: { confidence: round3(confidence), evidence: 'mouth-speech', correlation: round3(r(m)) } });
    linkedFaces.add(m.face);
  }
  const moving = faces.filter((f) => !f.still);
  if (moving.length === 1 && speakers.length === 1 && links.size === 0) {
    const [f] = moving;
    const [s] = speakers;
    const half = rules.frameStep / 2;
    const onScreen = s.speechS > 0 ? f.seenAt.reduce((sum, t) => sum + speechWithin(turns, s.id, t - half, t + half), 0) / s.speechS : 0;
    if (onScreen >= rules.minOnScreen) {
      const measured = measures.find((m) => m.face === f.key && m.speaker === s.id)?.correlation ?? null;
      links.set(s.id, {
        face: f.key,
        link: { confidence: round3(Math.min(1, onScreen)), evidence: 'one-face-one-voice', correlation: measured === null ? null : round3(measured) },
      });
    }
  }
  return { links, measures };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

export function pearson(x: readonly number[], y: readonly number[]): number | null {
  const n = x.length;
  if (n < 3) return null;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  if (sxx < 1e-12 || syy < 1e-12) return null;
  return sxy / Math.sqrt(sxx * syy);
}

/** One-sided p-value of a correlation r over n pairs being > 0 by chance (Fisher z, normal approximation). */
export function correlationP(r: number, n: number): number {
  if (n < 4) return 1;
  const z = Math.atanh(Math.max(-0.999999, Math.min(0.999999, r))) * Math.sqrt(n - 3);
  return 1 - normalCdf(z);
}

function normalCdf(z: number): number {
  // Abramowitz & Stegun 7.1.26 on erf (|error| < 1.5e-7).
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
