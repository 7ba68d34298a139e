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
 * time, over the eight-label vocabulary (weights from the summary: each model's expected UAR on new data, cross-corpus where stated). A track
 * with too little data for a label (coverage) takes no part, as in the summary.
 */
export function fusedTrack(d: Detail): FusedPoint[] {
  const use = new Set(d.coverage.fused.tracks);
  const wFace = use.has('face') ? (d.summary.fused.weights?.face ?? 1) : 0;
  const wVoice = use.has('voice') ? (d.summary.fused.weights?.voice ?? 1) : 0;
  // Windows are sorted by start; the ones covering t start within the longest window's length before it.
  const withProbs = d.windows.filter((w) => w.probs);
  const longest = withProbs.reduce((m, w) => Math.max(m, w.end - w.start), 0);
  const windowsAt = (t: number) => {
    let lo = 0;
    let hi = withProbs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (withProbs[mid].start <= t) lo = mid + 1;
      else hi = mid;
    }
    const out: typeof withProbs = [];
    for (let k = lo - 1; k >= 0 && withProbs[k].start >= t - longest - 1e-9; k--) if (t < withProbs[k].end) out.push(withProbs[k]);
    return out;
  };
  const times = d.frames.length > 0 ? d.frames.map((f) => f.t) : d.windows.map((w) => (w.start + w.end) / 2);
  return times.map((t, i) => {
    const probs = new Map<string, number>();
    let total = 0;
    const frame = d.frames.length > 0 ? d.frames[i] : null;
    if (frame?.probs && wFace > 0) {
      frame.probs.forEach((p, k) => probs.set(d.faceLabels[k], (probs.get(d.faceLabels[k]) ?? 0) + p * wFace));
      total += wFace;
    }
    const covering = windowsAt(t).filter((w) => w.label !== null); // uncertain windows take no part
    if (covering.length > 0 && wVoice > 0) {
      covering.forEach((w) =>
        w.probs!.forEach((p, k) => probs.set(d.voiceLabels[k], (probs.get(d.voiceLabels[k]) ?? 0) + (p * wVoice) / covering.length)),
      );
      total += wVoice;
    }
    if (total === 0) return { t, label: null, confidence: null };
    let best: string | null = null;
    for (const [label, v] of probs) if (best === null || v > probs.get(best)!) best = label;
    return { t, label: best, confidence: best === null ? null : probs.get(best)! / total };
  });
}
