import { EMOTION_LABELS } from '../contract/shared/labels.js';

export interface TrackForFusion {
  /** Mean probability per label over the track's usable frames/windows. */
  meanProbs: Record<string, number>;
  /** How much to trust this track: its model's held-out UAR (from the manifest), else 1. */
  weight: number;
  /** Number of usable frames/windows; a track with none takes no part. */
  votes: number;
}

export interface Fused {
  label: string | null;
  confidence: number | null;
  /** The fused probability per label over the project vocabulary. */
  probs: Record<string, number>;
}

/**
 * Late fusion of face and voice: the weighted mean of each track's mean probability vector over the
 * eight-label vocabulary (a label a model lacks, e.g. `calm` for face, counts as 0 for it), weights
 * = each model's held-out UAR, renormalised over the tracks that had usable input.
 * The label is the arg-max; the confidence is its fused probability.
 */
export function fuseTracks(tracks: TrackForFusion[]): Fused {
  const usable = tracks.filter((t) => t.votes > 0 && t.weight > 0);
  const probs: Record<string, number> = Object.fromEntries(EMOTION_LABELS.map((l) => [l, 0]));
  if (usable.length === 0) return { label: null, confidence: null, probs };
  const total = usable.reduce((s, t) => s + t.weight, 0);
  for (const t of usable) for (const l of EMOTION_LABELS) probs[l] += ((t.meanProbs[l] ?? 0) * t.weight) / total;
  const label = EMOTION_LABELS.reduce((best, l) => (probs[l] > probs[best] ? l : best), EMOTION_LABELS[0]);
  return { label, confidence: probs[label], probs };
}
