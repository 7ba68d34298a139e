/**
 * Per-track aggregation: the majority vote over frames (or windows), the share of each label,
 * and the mean probability vector. Ties in the vote are broken by summed probability.
 */
export interface Estimate {
  /** Top label, or null when the frame/window had no usable input or the model abstained. */
  label: string | null;
  /** Probabilities in `labels` order, or null when there was no usable input. */
  probs: Float32Array | null;
}

export interface TrackAggregate {
  /** Number of estimates with a label (that took part in the vote). */
  votes: number;
  majority: string | null;
  /** label → share of the votes (sums to 1 when votes > 0). */
  distribution: Record<string, number>;
  /** label → mean probability over estimates with probabilities. */
  meanProbs: Record<string, number>;
}

export function aggregateTrack(labels: readonly string[], estimates: Iterable<Estimate>): TrackAggregate {
  const counts = new Map<string, number>(labels.map((l) => [l, 0]));
  const probSums = new Float64Array(labels.length);
  let votes = 0;
  let withProbs = 0;
  for (const e of estimates) {
    if (e.probs) {
      withProbs++;
      for (let i = 0; i < labels.length; i++) probSums[i] += e.probs[i];
    }
    if (e.label !== null) {
      counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
      votes++;
    }
  }
  const distribution: Record<string, number> = {};
  const meanProbs: Record<string, number> = {};
  labels.forEach((l, i) => {
    distribution[l] = votes ? (counts.get(l) ?? 0) / votes : 0;
    meanProbs[l] = withProbs ? probSums[i] / withProbs : 0;
  });
  let majority: string | null = null;
  if (votes > 0) {
    majority = [...labels].sort((a, b) => {
      const byCount = (counts.get(b) ?? 0) - (counts.get(a) ?? 0);
      return byCount !== 0 ? byCount : meanProbs[b] - meanProbs[a];
    })[0];
  }
  return { votes, majority, distribution, meanProbs };
}

/** Index of the largest value. */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
