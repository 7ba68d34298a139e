import type { ApiOutput } from '../../../electron/contract/api';

type Detail = ApiOutput<'sessions.get'>;

export interface FusedPoint {
  t: number;
  label: string | null;
  confidence: number | null;
}

/**
 * The fused estimate over time, by the same rule as the session summary: at each frame time, the
 * weighted mean of the face probabilities and the probabilities of the voice window(s) covering that
 * time, over the eight-label vocabulary (weights from the summary: each model's held-out UAR).
 */
export function fusedTrack(d: Detail): FusedPoint[] {
  const wFace = d.summary.fused.weights?.face ?? 1;
  const wVoice = d.summary.fused.weights?.voice ?? 1;
  const times = d.frames.length > 0 ? d.frames.map((f) => f.t) : d.windows.map((w) => (w.start + w.end) / 2);
  return times.map((t, i) => {
    const probs = new Map<string, number>();
    let total = 0;
    const frame = d.frames.length > 0 ? d.frames[i] : null;
    if (frame?.probs) {
      frame.probs.forEach((p, k) => probs.set(d.faceLabels[k], (probs.get(d.faceLabels[k]) ?? 0) + p * wFace));
      total += wFace;
    }
    const covering = d.windows.filter((w) => w.probs && w.label !== null && w.start <= t && t < w.end); // uncertain windows take no part
    if (covering.length > 0) {
      covering.forEach((w) => w.probs!.forEach((p, k) => probs.set(d.voiceLabels[k], (probs.get(d.voiceLabels[k]) ?? 0) + (p * wVoice) / covering.length)));
      total += wVoice;
    }
    if (total === 0) return { t, label: null, confidence: null };
    let best: string | null = null;
    for (const [label, v] of probs) if (best === null || v > probs.get(best)!) best = label;
    return { t, label: best, confidence: best === null ? null : probs.get(best)! / total };
  });
}
