/**
 * Temporal smoothing of per-frame probabilities: a centred moving average over ±radius neighbouring
 * frames that have probabilities (a frame without a face breaks the run: smoothing never bridges a
 * gap). radius 0 returns the input unchanged.
 */
export function smoothProbabilities(probs: ReadonlyArray<Float32Array | null>, radius: number): Array<Float32Array | null> {
  if (radius <= 0) return probs.slice();
  return probs.map((p, i) => {
    if (!p) return null;
    const sum = new Float32Array(p.length);
    let n = 0;
    for (let j = i; j >= Math.max(0, i - radius) && probs[j]; j--) {
      probs[j]!.forEach((v, k) => (sum[k] += v));
      n++;
    }
    for (let j = i + 1; j <= Math.min(probs.length - 1, i + radius) && probs[j]; j++) {
      probs[j]!.forEach((v, k) => (sum[k] += v));
      n++;
    }
    return sum.map((v) => v / n);
  });
}

/**
 * Flicker rate: the share of consecutive pairs of labelled frames whose labels differ (frames
 * without a label are skipped, not counted as changes). 0 = never changes; null with < 2 labels.
 */
export function flickerRate(labels: ReadonlyArray<string | null>): number | null {
  const seq = labels.filter((l): l is string => l !== null);
  if (seq.length < 2) return null;
  let changes = 0;
  for (let i = 1; i < seq.length; i++) if (seq[i] !== seq[i - 1]) changes++;
  return changes / (seq.length - 1);
}
